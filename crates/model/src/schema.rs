//! The schema registry: FollowTheMoney schemata read from `data/schemata.txt`.
//!
//! The model is data, as in FollowTheMoney itself: adding a property is an edit to the text
//! file, not to code. The registry is parsed once, on first use, and is immutable afterwards.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

const SCHEMATA: &str = include_str!("../data/schemata.txt");

/// The kind of value a property holds; matching and cleaning depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PropertyType {
    /// A name of the entity, screened by the matcher.
    Name,
    /// Free prose (notes, remarks).
    Text,
    /// A short string without further semantics (position, legal form).
    String,
    /// A date or partial date in ISO form: `1954`, `1954-08`, `1954-08-30`.
    Date,
    /// A lower-case ISO 3166-1 alpha-2 code or an FtM territory code (`xk`, `suhh`).
    Country,
    /// A document, registry or vessel number.
    Identifier,
    /// The id of another entity.
    Entity,
    /// A URL.
    Url,
    /// An e-mail address.
    Email,
    /// A telephone number.
    Phone,
    /// An OpenSanctions topic such as `sanction` or `role.pep`.
    Topic,
    /// `male`, `female` or `other`.
    Gender,
    /// A number kept as written.
    Number,
    /// A postal address written on one line.
    Address,
    /// An ISO 639 language code.
    Language,
    /// A JSON document kept as text.
    Json,
}

impl PropertyType {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "name" => Self::Name,
            "text" => Self::Text,
            "string" => Self::String,
            "date" => Self::Date,
            "country" => Self::Country,
            "identifier" => Self::Identifier,
            "entity" => Self::Entity,
            "url" => Self::Url,
            "email" => Self::Email,
            "phone" => Self::Phone,
            "topic" => Self::Topic,
            "gender" => Self::Gender,
            "number" => Self::Number,
            "address" => Self::Address,
            "language" => Self::Language,
            "json" => Self::Json,
            _ => return None,
        })
    }
}

/// How a schema relates entities, which decides how it is nested and drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaRole {
    /// An entity in its own right (a person, a company, an address).
    Node,
    /// A relation from one entity to another (ownership, directorship, family).
    Edge {
        /// The property that holds the source entity (`owner`).
        source: &'static str,
        /// The property that holds the target entity (`asset`).
        target: &'static str,
    },
    /// A record about one entity (a sanction, an identity document).
    Attached {
        /// The property that holds the entity described (`entity`, `holder`).
        subject: &'static str,
    },
}

#[derive(Debug)]
struct SchemaDef {
    name: &'static str,
    parents: Vec<&'static str>,
    ancestors: Vec<usize>,
    matchable: bool,
    is_abstract: bool,
    role: SchemaRole,
    properties: HashMap<&'static str, PropertyType>,
}

struct Registry {
    schemata: Vec<SchemaDef>,
    by_name: HashMap<&'static str, usize>,
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| parse_registry(SCHEMATA))
}

/// Parse the embedded schema file. The file is part of the binary and checked by tests, so a
/// malformed line is a programming error and panics at first use.
fn parse_registry(text: &'static str) -> Registry {
    let mut schemata: Vec<SchemaDef> = Vec::new();
    for block in text.split("\n\n") {
        let mut lines = block
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        let Some(head) = lines.next() else { continue };
        let (decl, flags) = match head.split_once('[') {
            Some((d, f)) => (d.trim(), f.trim_end_matches(']').trim()),
            None => (head, ""),
        };
        let (name, parents) = match decl.split_once('<') {
            Some((n, p)) => (n.trim(), p.split(',').map(str::trim).collect()),
            None => (decl.trim(), Vec::new()),
        };
        let mut def = SchemaDef {
            name,
            parents,
            ancestors: Vec::new(),
            matchable: false,
            is_abstract: false,
            role: SchemaRole::Node,
            properties: HashMap::new(),
        };
        for flag in flags.split_whitespace() {
            if flag == "matchable" {
                def.matchable = true;
            } else if flag == "abstract" {
                def.is_abstract = true;
            } else if let Some(inner) = flag.strip_prefix("edge(").and_then(|f| f.strip_suffix(')'))
            {
                let (source, target) = inner.split_once("->").expect("edge(source->target)");
                def.role = SchemaRole::Edge { source, target };
            } else if let Some(inner) = flag
                .strip_prefix("attached(")
                .and_then(|f| f.strip_suffix(')'))
            {
                def.role = SchemaRole::Attached { subject: inner };
            } else {
                panic!("schemata.txt: unknown flag {flag:?} on {name}");
            }
        }
        for line in lines {
            for pair in line.split_whitespace() {
                let (prop, ty) = pair.split_once(':').expect("property:type");
                let ty = PropertyType::parse(ty)
                    .unwrap_or_else(|| panic!("schemata.txt: unknown type in {pair:?}"));
                def.properties.insert(prop, ty);
            }
        }
        schemata.push(def);
    }
    let by_name: HashMap<&'static str, usize> = schemata
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name, i))
        .collect();
    // Resolve ancestors (self first, then breadth-first parents) and inherit properties.
    for i in 0..schemata.len() {
        let mut order = vec![i];
        let mut k = 0;
        while k < order.len() {
            let parents = schemata[order[k]].parents.clone();
            for p in parents {
                let pi = *by_name
                    .get(p)
                    .unwrap_or_else(|| panic!("schemata.txt: unknown parent {p}"));
                if !order.contains(&pi) {
                    order.push(pi);
                }
            }
            k += 1;
        }
        let mut props = HashMap::new();
        for &a in order.iter().rev() {
            for (n, t) in &schemata[a].properties {
                props.insert(*n, *t);
            }
        }
        let matchable = schemata[i].matchable;
        let def = &mut schemata[i];
        def.ancestors = order;
        def.properties = props;
        def.matchable = matchable;
    }
    Registry { schemata, by_name }
}

/// A FollowTheMoney schema such as `Person` or `Ownership`: cheap to copy, compared by identity.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Schema(u16);

impl Schema {
    /// Look a schema up by its FtM name (`Person`, `Company` …).
    pub fn get(name: &str) -> Option<Schema> {
        registry().by_name.get(name).map(|&i| Schema(i as u16))
    }

    /// Look a schema up by name, panicking if it is unknown: for names written in code.
    pub fn named(name: &str) -> Schema {
        Self::get(name).unwrap_or_else(|| panic!("unknown schema {name}"))
    }

    fn def(self) -> &'static SchemaDef {
        &registry().schemata[self.0 as usize]
    }

    /// The FtM name of the schema.
    pub fn name(self) -> &'static str {
        self.def().name
    }

    /// Whether entities of this schema are screened by name (people, organisations, vessels …).
    pub fn is_matchable(self) -> bool {
        self.def().matchable
    }

    /// Whether the schema only exists to be extended (`Thing`, `Interval`).
    pub fn is_abstract(self) -> bool {
        self.def().is_abstract
    }

    /// How the schema relates entities.
    pub fn role(self) -> &'static SchemaRole {
        &self.def().role
    }

    /// Whether this schema is `other` or extends it (a `Company` is a `LegalEntity`).
    pub fn is_a(self, other: Schema) -> bool {
        self.def().ancestors.contains(&(other.0 as usize))
    }

    /// The type of a property on this schema, inherited ones included.
    pub fn property_type(self, property: &str) -> Option<PropertyType> {
        self.def().properties.get(property).copied()
    }

    /// Every property of this schema with its type, inherited ones included.
    pub fn properties(self) -> impl Iterator<Item = (&'static str, PropertyType)> {
        self.def().properties.iter().map(|(n, t)| (*n, *t))
    }

    /// Every schema in the registry.
    pub fn all() -> impl Iterator<Item = Schema> {
        (0..registry().schemata.len()).map(|i| Schema(i as u16))
    }

    /// The most specific schema that both `self` and `other` are, if one is the other's ancestor.
    ///
    /// Used when two sources describe one entity with different schemata (`LegalEntity` vs
    /// `Company`): the more specific one wins.
    pub fn common_descendant(self, other: Schema) -> Option<Schema> {
        if self.is_a(other) {
            Some(self)
        } else if other.is_a(self) {
            Some(other)
        } else {
            None
        }
    }
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Schema {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Schema {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Schema::get(&name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown schema {name:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_parses_and_inherits() {
        let person = Schema::named("Person");
        assert!(person.is_a(Schema::named("LegalEntity")));
        assert!(person.is_a(Schema::named("Thing")));
        assert!(!person.is_a(Schema::named("Organization")));
        assert_eq!(person.property_type("name"), Some(PropertyType::Name));
        assert_eq!(person.property_type("birthDate"), Some(PropertyType::Date));
        assert_eq!(person.property_type("imoNumber"), None);
        assert!(person.is_matchable());
        let company = Schema::named("Company");
        assert!(company.is_a(Schema::named("Asset")));
        assert!(company.is_a(Schema::named("Organization")));
        assert_eq!(company.property_type("amount"), Some(PropertyType::Number));
        let own = Schema::named("Ownership");
        assert_eq!(
            own.role(),
            &SchemaRole::Edge {
                source: "owner",
                target: "asset"
            }
        );
        assert!(!own.is_matchable());
        assert_eq!(Schema::get("Nonsense"), None);
    }

    #[test]
    fn every_edge_and_attachment_names_an_entity_property() {
        for s in Schema::all() {
            match s.role() {
                SchemaRole::Edge { source, target } => {
                    assert_eq!(s.property_type(source), Some(PropertyType::Entity), "{s}");
                    assert_eq!(s.property_type(target), Some(PropertyType::Entity), "{s}");
                }
                SchemaRole::Attached { subject } => {
                    assert_eq!(s.property_type(subject), Some(PropertyType::Entity), "{s}");
                }
                SchemaRole::Node => {}
            }
        }
    }

    #[test]
    fn common_descendant_prefers_specific() {
        let le = Schema::named("LegalEntity");
        let co = Schema::named("Company");
        assert_eq!(le.common_descendant(co), Some(co));
        assert_eq!(co.common_descendant(le), Some(co));
        assert_eq!(co.common_descendant(Schema::named("Person")), None);
    }
}
