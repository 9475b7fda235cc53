//! The text side of sanctions screening: how names are written, and when two writings are the
//! same name.
//!
//! A listed name and a screened name rarely agree byte for byte. They differ in case,
//! diacritics, punctuation and spacing; in invisible characters and look-alike letters from
//! other scripts; in script (`Лукашэнка` vs `Lukashenka`) and romanisation system
//! (Lukashenko, Lukaschenko, Loukachenko, Łukaszenka); in the language of a given name
//! (Alexander, Aliaksandr, Oleksandr); in which parts are written (patronymics, particles,
//! honorifics, legal forms). This crate turns a name into comparable Latin forms whose words
//! know their role, and provides the keys under which spellings meet:
//!
//! - [`fold`]: Unicode cleaning (NFKC, default-ignorable and zero-width characters), case
//!   folding, Latin diacritics, punctuation and spacing;
//! - [`confusables`]: homoglyph repair inside words and UTS #39 skeletons;
//! - [`script`]: script detection;
//! - [`translit`]: Cyrillic in six romanisations (BGN/PCGN, ICAO 9303, scholarly/ISO 9,
//!   German, French, Polish) for Russian, Belarusian and Ukrainian; Arabic (consonants, with
//!   particles and common names); Greek; Hebrew; Chinese pinyin; any other script through
//!   `any_ascii`;
//! - [`equivalents`]: given-name classes across languages, partly derived from OFAC's own
//!   alias groups; patronymics resolved to their father's name;
//! - [`parts`]: roles of words (given, family, patronymic, particle, honorific, generational,
//!   initial, legal form) and multilingual legal-form tables;
//! - [`keys`]: romanisation keys, consonant skeletons, Double Metaphone codes.
//!
//! ```
//! use interdict_names::{analyze_name, NameKind, TokenRole, keys::roman_key, same_given_name};
//!
//! let listed = analyze_name("LUKASHENKA, Alyaksandr Hryhoryavich", NameKind::Person);
//! let query = analyze_name("Александр Лукашенко", NameKind::Person);
//! assert_eq!(listed.forms[0].tokens[2].role, TokenRole::Patronymic);
//! // The Russian BGN form of the query is "aleksandr lukashenko".
//! let q = &query.forms[0].tokens;
//! assert_eq!(roman_key(&q[1].text), roman_key("lukashenka"));
//! assert!(same_given_name(&q[0].text, "alyaksandr"));
//! ```
//!
//! Every function is pure: tables are embedded with `include_str!` and parsed once on first
//! use; nothing reads files or the network at run time.
//!
//! What this crate does not do: decide whether two names match or score them (that is
//! `interdict-matching`, which uses these forms and keys), know about entities or lists, or
//! detect the language of Latin-script names.

pub mod analyze;
pub mod confusables;
pub mod equivalents;
pub mod fold;
pub mod keys;
pub mod parts;
pub mod script;
pub mod translit;

pub use analyze::{AnalyzedName, NameForm, NameKind, NameToken, analyze_name};
pub use equivalents::{
    NameClass, given_name_class, given_name_class_near, patronymic_class, patronymic_class_near,
    same_given_name,
};
pub use fold::fold;
pub use parts::TokenRole;
pub use script::Script;
pub use translit::FormSystem;
