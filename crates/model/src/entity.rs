//! Entities: an id, a schema and property values that remember where they came from.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::schema::{PropertyType, Schema};

/// One property value and its provenance.
///
/// The origin names the field of the source file the value was read from (`sdn.csv:remarks`,
/// `alt.csv:9302`), so an analyst can always trace a value back to the list. The source and the
/// list version are those of the version the entity belongs to, recorded by the store.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Value {
    /// The value in the form the property type expects (ISO date, ISO country code …).
    #[serde(rename = "v")]
    pub value: String,
    /// The field of the source file that held the value, if known.
    #[serde(rename = "o", default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
}

/// An entity in the FollowTheMoney shape: a person, a company, a sanction, an ownership …
///
/// Properties are kept in a sorted map so that serialisation, hashing and diffs are stable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// Stable id in the OpenSanctions style (`ofac-9760`, `un-qdi-237`).
    pub id: String,
    /// The FtM schema.
    pub schema: Schema,
    /// Property name to values, in the order they were first seen.
    #[serde(default)]
    pub properties: BTreeMap<String, Vec<Value>>,
    /// Ids from other sources known to be this entity (FtM `referents`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referents: Vec<String>,
}

/// The reason a value could not be added to an entity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PropertyError {
    /// The schema has no such property.
    #[error("schema {schema} has no property {property:?}")]
    Unknown {
        /// The schema of the entity.
        schema: Schema,
        /// The property asked for.
        property: String,
    },
}

impl Entity {
    /// A new entity with no properties.
    pub fn new(id: impl Into<String>, schema: Schema) -> Self {
        Entity {
            id: id.into(),
            schema,
            properties: BTreeMap::new(),
            referents: Vec::new(),
        }
    }

    /// Add a value with its origin. Whitespace is trimmed and collapsed; empty values and exact
    /// duplicates are ignored (the first origin is kept). Unknown properties are an error so that
    /// a typo in an importer cannot silently lose data.
    pub fn add(
        &mut self,
        property: &str,
        value: impl AsRef<str>,
        origin: Option<&str>,
    ) -> Result<(), PropertyError> {
        if self.schema.property_type(property).is_none() {
            return Err(PropertyError::Unknown {
                schema: self.schema,
                property: property.to_string(),
            });
        }
        let value = collapse_whitespace(value.as_ref());
        if value.is_empty() {
            return Ok(());
        }
        let values = self.properties.entry(property.to_string()).or_default();
        if !values.iter().any(|v| v.value == value) {
            values.push(Value {
                value,
                origin: origin.map(str::to_string),
            });
        }
        Ok(())
    }

    /// Add a value for a property whose name is written in code and known to exist.
    ///
    /// # Panics
    /// If the schema has no such property: that is a bug in the caller, not bad input.
    pub fn set(&mut self, property: &str, value: impl AsRef<str>, origin: Option<&str>) {
        if let Err(e) = self.add(property, value, origin) {
            panic!("{e}");
        }
    }

    /// The values of a property.
    pub fn values<'a>(&'a self, property: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.properties
            .get(property)
            .into_iter()
            .flatten()
            .map(|v| v.value.as_str())
    }

    /// The first value of a property.
    pub fn first(&self, property: &str) -> Option<&str> {
        self.values(property).next()
    }

    /// Whether the property has any value.
    pub fn has(&self, property: &str) -> bool {
        self.properties.get(property).is_some_and(|v| !v.is_empty())
    }

    /// Every value of every property of the given type (all names, all dates …).
    pub fn values_of_type(&self, ty: PropertyType) -> impl Iterator<Item = (&str, &str)> {
        self.properties
            .iter()
            .filter(move |(p, _)| self.schema.property_type(p) == Some(ty))
            .flat_map(|(p, vs)| vs.iter().map(move |v| (p.as_str(), v.value.as_str())))
    }

    /// The entity's display name, as FtM computes a caption: the first `name`, else another
    /// naming property, else the id.
    pub fn caption(&self) -> &str {
        for p in [
            "name",
            "lastName",
            "alias",
            "full",
            "number",
            "imoNumber",
            "program",
            "title",
        ] {
            if let Some(v) = self.first(p) {
                return v;
            }
        }
        &self.id
    }

    /// A hash of the entity's content (values and provenance) that is the same whenever the
    /// content is: used to store unchanged entities only once across list versions.
    pub fn content_hash(&self) -> String {
        let bytes = serde_json::to_vec(self).unwrap_or_default();
        hex::encode(Sha256::digest(&bytes))
    }

    /// Merge another description of the same entity into this one (values are unioned, the more
    /// specific schema wins when one extends the other).
    pub fn merge(&mut self, other: &Entity) {
        if let Some(s) = self.schema.common_descendant(other.schema) {
            self.schema = s;
        }
        for (prop, values) in &other.properties {
            let mine = self.properties.entry(prop.clone()).or_default();
            for v in values {
                if !mine.iter().any(|m| m.value == v.value) {
                    mine.push(v.clone());
                }
            }
        }
        for r in &other.referents {
            if !self.referents.contains(r) {
                self.referents.push(r.clone());
            }
        }
    }

    /// The entity as a FollowTheMoney JSON object (values only, no provenance), the shape
    /// OpenSanctions and yente exchange.
    pub fn to_ftm(&self) -> serde_json::Value {
        let props: serde_json::Map<String, serde_json::Value> = self
            .properties
            .iter()
            .map(|(k, vs)| {
                (
                    k.clone(),
                    serde_json::Value::from(vs.iter().map(|v| v.value.clone()).collect::<Vec<_>>()),
                )
            })
            .collect();
        let mut obj = serde_json::json!({
            "id": self.id,
            "schema": self.schema.name(),
            "caption": self.caption(),
            "properties": props,
        });
        if !self.referents.is_empty() {
            obj["referents"] = serde_json::Value::from(self.referents.clone());
        }
        obj
    }
}

/// Trim and collapse runs of whitespace (including no-break spaces) into one space.
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_trims_dedups_and_rejects_unknown() {
        let mut e = Entity::new("ofac-9760", Schema::named("Person"));
        e.add(
            "name",
            "  LUKASHENKA,\u{a0} Alyaksandr ",
            Some("sdn.csv:name"),
        )
        .unwrap();
        e.add("name", "LUKASHENKA, Alyaksandr", Some("alt.csv:1"))
            .unwrap();
        e.add("alias", "", None).unwrap();
        assert_eq!(
            e.values("name").collect::<Vec<_>>(),
            vec!["LUKASHENKA, Alyaksandr"]
        );
        assert_eq!(
            e.properties["name"][0].origin.as_deref(),
            Some("sdn.csv:name")
        );
        assert!(!e.has("alias"));
        assert!(e.add("imoNumber", "123", None).is_err());
        assert_eq!(e.caption(), "LUKASHENKA, Alyaksandr");
    }

    #[test]
    fn hash_is_stable_and_content_sensitive() {
        let mut a = Entity::new("x", Schema::named("Company"));
        a.set("name", "NAFTAN OAO", None);
        let mut b = a.clone();
        assert_eq!(a.content_hash(), b.content_hash());
        b.set("country", "by", None);
        assert_ne!(a.content_hash(), b.content_hash());
        let json = serde_json::to_string(&b).unwrap();
        let back: Entity = serde_json::from_str(&json).unwrap();
        assert_eq!(back, b);
    }

    #[test]
    fn merge_prefers_specific_schema() {
        let mut a = Entity::new("x", Schema::named("LegalEntity"));
        a.set("name", "A", None);
        let mut b = Entity::new("x", Schema::named("Company"));
        b.set("name", "B", None);
        a.merge(&b);
        assert_eq!(a.schema, Schema::named("Company"));
        assert_eq!(a.values("name").count(), 2);
    }
}
