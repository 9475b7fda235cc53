//! Screening: find the listed entities a query may be, score each with a calibrated number
//! in [0, 1], and explain the score.
//!
//! An [`Index`] is built once from listed entities ([`IndexBuilder`]) and never changes; a list
//! update builds a new one and [`IndexHandle`] swaps it in atomically. Building analyses every
//! listed name with `interdict-names` (Unicode folding, homoglyph repair, transliteration into
//! every romanisation, name-part tagging) and indexes the words of every Latin form under
//! several keys: the word itself, its given-name class, its romanisation key, its consonant
//! skeleton, its Double Metaphone codes, its deletion neighbourhood (edit distance) and its
//! prefixes. A search analyses the query the same way, gathers candidates through those keys
//! (rare words first, common words only refining), aligns the query's names with each
//! candidate's names word by word (roles decide what a missing word costs, a patronymic never
//! stands in for a given name), then lets birth dates, countries, gender, identifiers and
//! addresses move the score. Each [`Match`] carries its features and the word alignment.
//!
//! ```
//! use interdict_matching::{EntityMeta, IndexBuilder, Options, Query};
//! use interdict_model::{Entity, Schema};
//!
//! let mut father = Entity::new("ofac-9760", Schema::named("Person"));
//! father.set("name", "LUKASHENKA, Alyaksandr Hryhoryavich", None);
//! father.set("birthDate", "1954-08-30", None);
//! let mut son = Entity::new("ofac-9797", Schema::named("Person"));
//! son.set("name", "LUKASHENKA, Viktar Aliaksandravich", None);
//! son.set("birthDate", "1976", None);
//!
//! let mut builder = IndexBuilder::new();
//! builder.add(father, EntityMeta::dataset("us_ofac_sdn"));
//! builder.add(son, EntityMeta::dataset("us_ofac_sdn"));
//! let index = builder.build().unwrap();
//!
//! let query = Query::person("Александр Лукашенко").with_birth_date("1954-08-30");
//! let results = index.search(&query, &Options::default());
//! assert_eq!(results[0].entity_id, "ofac-9760");
//! assert!(results[0].is_match);
//! let name = results[0].name.as_ref().unwrap();
//! assert_eq!(name.query_system, "ru-bgn");
//! assert!(results[0].feature("dob_match").is_some());
//! // The son is not a match: his patronymic is not the query's given name.
//! assert!(results.iter().all(|m| m.entity_id != "ofac-9797"));
//! ```
//!
//! What this crate does not do: read list files or a store (entities are given to the
//! builder), speak HTTP or yente's JSON (the server converts [`Match`] with
//! [`Match::yente_explanations`]), or persist the index.

pub mod attrs;
pub mod explain;
pub mod index;
pub mod query;
mod score;
mod search;
pub mod text;
mod vocab;

pub use explain::{Feature, Match, NameExplanation, WordAlignment, YenteExplanation};
pub use index::{BuildError, EntityMeta, Index, IndexBuilder, IndexHandle, IndexStats};
pub use query::{DEFAULT_THRESHOLD, DateSpan, Filters, Options, Query, QueryIdentifier};
pub use score::WordMethod;
pub use text::{TextHit, TextOptions};
