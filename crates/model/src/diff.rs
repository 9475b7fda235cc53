//! Property-level differences between two descriptions of an entity, and between two list
//! versions.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::entity::Entity;
use crate::schema::Schema;

/// The values of one property that one version has and the other has not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropertyChange {
    /// The FtM property name.
    pub property: String,
    /// Values only in the newer version.
    pub added: Vec<String>,
    /// Values only in the older version.
    pub removed: Vec<String>,
}

/// What happened to one entity between two list versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "lowercase")]
pub enum EntityChange {
    /// The entity is only in the newer version.
    Added {
        /// Entity id.
        id: String,
        /// Entity schema.
        schema: Schema,
        /// Its caption in the newer version.
        caption: String,
    },
    /// The entity is only in the older version.
    Removed {
        /// Entity id.
        id: String,
        /// Entity schema.
        schema: Schema,
        /// Its caption in the older version.
        caption: String,
    },
    /// The entity is in both with different values.
    Changed {
        /// Entity id.
        id: String,
        /// Schema in the newer version.
        schema: Schema,
        /// Caption in the newer version.
        caption: String,
        /// The schema in the older version, if it differs.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        old_schema: Option<Schema>,
        /// Property-level changes, sorted by property name.
        properties: Vec<PropertyChange>,
    },
}

impl EntityChange {
    /// The id of the entity concerned.
    pub fn id(&self) -> &str {
        match self {
            EntityChange::Added { id, .. }
            | EntityChange::Removed { id, .. }
            | EntityChange::Changed { id, .. } => id,
        }
    }
}

/// Compare two descriptions of the same entity, ignoring provenance: a value that moved from one
/// source field to another is not a change. `None` when nothing differs.
pub fn diff_entity(old: &Entity, new: &Entity) -> Option<EntityChange> {
    let props: BTreeSet<&String> = old.properties.keys().chain(new.properties.keys()).collect();
    let mut changes = Vec::new();
    for p in props {
        let o: BTreeSet<&str> = old.values(p).collect();
        let n: BTreeSet<&str> = new.values(p).collect();
        if o == n {
            continue;
        }
        changes.push(PropertyChange {
            property: p.clone(),
            added: n.difference(&o).map(|s| s.to_string()).collect(),
            removed: o.difference(&n).map(|s| s.to_string()).collect(),
        });
    }
    if changes.is_empty() && old.schema == new.schema {
        return None;
    }
    Some(EntityChange::Changed {
        id: new.id.clone(),
        schema: new.schema,
        caption: new.caption().to_string(),
        old_schema: (old.schema != new.schema).then_some(old.schema),
        properties: changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_ignores_provenance_and_reports_values() {
        let mut a = Entity::new("ofac-9760", Schema::named("Person"));
        a.set(
            "name",
            "LUKASHENKA, Alyaksandr Hryhoryavich",
            Some("sdn.csv:name"),
        );
        a.set("birthDate", "1954-08-30", Some("sdn.csv:remarks"));
        let mut b = Entity::new("ofac-9760", Schema::named("Person"));
        b.set(
            "name",
            "LUKASHENKA, Alyaksandr Ryhorovich",
            Some("sdn.csv:name"),
        );
        b.set("birthDate", "1954-08-30", Some("elsewhere"));
        let Some(EntityChange::Changed { properties, .. }) = diff_entity(&a, &b) else {
            panic!("expected a change")
        };
        assert_eq!(properties.len(), 1);
        assert_eq!(properties[0].property, "name");
        assert_eq!(
            properties[0].added,
            vec!["LUKASHENKA, Alyaksandr Ryhorovich"]
        );
        assert_eq!(
            properties[0].removed,
            vec!["LUKASHENKA, Alyaksandr Hryhoryavich"]
        );
        assert_eq!(diff_entity(&a, &a), None);
    }
}
