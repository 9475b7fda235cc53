//! The entity model of interdict: FollowTheMoney schemata and property names, values that keep
//! their provenance, partial dates, countries, stable ids, list versions and diffs.
//!
//! Everything else in interdict speaks this model: importers produce [`Entity`] values, the
//! store persists them per [`ListVersion`], the matcher indexes their names, the ownership and
//! decision rules read their relations. The crate does no I/O and knows nothing of files,
//! databases or HTTP.
//!
//! ```
//! use interdict_model::{Entity, Schema};
//! let mut e = Entity::new("ofac-12860", Schema::named("Company"));
//! e.set("name", "NAFTAN OAO", Some("sdn.csv:name"));
//! e.set("country", "by", Some("add.csv:country"));
//! assert_eq!(e.caption(), "NAFTAN OAO");
//! assert!(e.schema.is_a(Schema::named("LegalEntity")));
//! ```

pub mod country;
pub mod date;
pub mod diff;
pub mod entity;
pub mod id;
pub mod record;
pub mod schema;
pub mod version;

pub use country::{country_code, country_name};
pub use date::PartialDate;
pub use diff::{EntityChange, PropertyChange, diff_entity};
pub use entity::{Entity, PropertyError, Value};
pub use record::{ImportMode, ListRecord};
pub use schema::{PropertyType, Schema, SchemaRole};
pub use version::ListVersion;
