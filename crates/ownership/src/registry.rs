//! From a holdings CSV to a registry version: owners and assets resolved to entity ids without
//! guessing, and the rows written as FollowTheMoney entities that the store keeps as a list
//! version like any other.
//!
//! A user's registry names owners and assets by entity id (`ofac-12860`) or by name
//! (`NAFTAN OAO`). A wrong resolution blocks the wrong company, or misses a block, so a name
//! resolves only when nothing else is plausible:
//!
//! 1. **An id** the [`Directory`] knows resolves to itself. Text shaped like an id
//!    (`ofac-99999`: lower-case letters, digits and dashes, with a digit) that nobody has is an
//!    error, never a new company.
//! 2. **A name** resolves when its normalised form (case, accents kept, punctuation and
//!    spacing ignored: `"Naftan" OAO` = `NAFTAN OAO`) equals the `name`, `alias` or
//!    `previousName` of **exactly one** organisation, company or other non-person party.
//!    Equal to several: an error listing them (write the id).
//! 3. A name equal to a **person's** name is an error: people share names, so a person is
//!    named by id only.
//! 4. A name that only **nearly** matches (the same words once legal forms such as OAO, OJSC,
//!    LLC are dropped, in any order: `Naftan OJSC`, `OAO Naftan`) is an error naming the
//!    candidates: resolving it could block the wrong company, creating a new one could hide
//!    a block. Write the id, or the name exactly as the candidate has it.
//! 5. Any other name creates a party in the registry: a `Company` when it is owned by someone
//!    in the file (an asset), else a `LegalEntity` (an owner may be a person or a company; the
//!    registry does not say). Its id is derived from the dataset and the normalised name, so
//!    the same name gives the same id in every import, and every creation is reported.
//!
//! The entities a [`RegistryBuilder`] writes: one `Ownership` per row (a holding, or a control
//! relation under the [`crate::relation`] convention), with a derived id that is stable across
//! imports (owner, asset, kind, dates), `percentage` in [`crate::Share::notation`], the dates as
//! written, `recordId` `file:line` and `publisher` the row's source or the file name; and the
//! created parties. Read back with [`crate::relation_from_entity`] they give exactly the
//! relations [`ParsedHoldings::resolve`] returned.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use interdict_model::id::{derived_id, slug};
use interdict_model::{Entity, Schema};
use serde::Serialize;

use crate::holdings_csv::{ParsedHoldings, Resolver, Side};
use crate::relation::{Control, ControlKind, Holding, Relation};

/// Words that say what legal form a company has, not which company it is: dropped for the
/// near-match check only.
const LEGAL_FORMS: &[&str] = &[
    "oao",
    "ojsc",
    "jsc",
    "ooo",
    "llc",
    "ltd",
    "limited",
    "zao",
    "cjsc",
    "pao",
    "pjsc",
    "ao",
    "uab",
    "gmbh",
    "ag",
    "sa",
    "srl",
    "spa",
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "plc",
    "llp",
    "lp",
    "oy",
    "ab",
    "as",
    "bv",
    "nv",
    "kft",
    "sro",
    "doo",
    "ad",
    "ead",
    "oy",
    "sp",
    "zoo",
    "rup",
    "up",
    "chup",
    "odo",
    "zaa",
    "aat",
    "tat",
    "the",
    "ооо",
    "оао",
    "зао",
    "пао",
    "ао",
    "ао",
    "ат",
    "аат",
    "зат",
    "тат",
    "руп",
    "уп",
    "чуп",
    "одо",
];

/// A name in the form names are compared in: lower case, letters and digits of any script,
/// every run of anything else one space.
pub fn normalise_name(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.extend(c.to_lowercase());
        } else {
            gap = true;
        }
    }
    out
}

/// The near-match key: the normalised words without legal forms, sorted.
fn loose_key(normalised: &str) -> String {
    let mut words: Vec<&str> = normalised
        .split(' ')
        .filter(|w| !w.is_empty() && !LEGAL_FORMS.contains(w))
        .collect();
    words.sort_unstable();
    words.join(" ")
}

/// Whether text is shaped like an entity id rather than a name: `ofac-12860`, `eu-fsf-13`.
pub fn looks_like_id(text: &str) -> bool {
    let mut parts = text.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| p.starts_with(|c: char| c.is_ascii_lowercase()));
    first_ok
        && text.contains('-')
        && text.bytes().any(|b| b.is_ascii_digit())
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && text.split('-').all(|p| !p.is_empty())
}

/// One party a name can resolve to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    /// The entity id.
    pub id: String,
    /// Its caption.
    pub name: String,
    /// Its schema.
    pub schema: String,
    /// The dataset it was read from.
    pub dataset: String,
}

/// Every party names may resolve to, with its names indexed: built from the current lists
/// and the registry (the caller reads them from the store).
#[derive(Debug, Clone, Default)]
pub struct Directory {
    parties: Vec<(Candidate, bool)>,
    by_id: HashMap<String, usize>,
    by_name: HashMap<String, BTreeSet<usize>>,
    by_loose: HashMap<String, BTreeSet<usize>>,
}

impl Directory {
    /// An empty directory.
    pub fn new() -> Directory {
        Directory::default()
    }

    /// Add an entity of `dataset` if it is a party (a person, organisation, company, vessel
    /// …); other entities (sanctions, addresses, relations) are ignored. An id seen before
    /// keeps its first entry but gains the new names.
    pub fn add(&mut self, dataset: &str, entity: &Entity) {
        let party = ["LegalEntity", "Asset"]
            .iter()
            .any(|s| Schema::get(s).is_some_and(|p| entity.schema.is_a(p)));
        if !party {
            return;
        }
        let person = Schema::get("Person").is_some_and(|p| entity.schema.is_a(p));
        let i = match self.by_id.get(&entity.id) {
            Some(&i) => i,
            None => {
                let i = self.parties.len();
                self.parties.push((
                    Candidate {
                        id: entity.id.clone(),
                        name: entity.caption().to_string(),
                        schema: entity.schema.name().to_string(),
                        dataset: dataset.to_string(),
                    },
                    person,
                ));
                self.by_id.insert(entity.id.clone(), i);
                i
            }
        };
        for prop in ["name", "alias", "previousName"] {
            for name in entity.values(prop) {
                self.index_name(i, name);
            }
        }
    }

    fn index_name(&mut self, i: usize, name: &str) {
        let n = normalise_name(name);
        if n.is_empty() {
            return;
        }
        let loose = loose_key(&n);
        self.by_name.entry(n).or_default().insert(i);
        if !loose.is_empty() {
            self.by_loose.entry(loose).or_default().insert(i);
        }
    }

    /// Whether the directory has this id.
    pub fn contains(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    /// The number of parties.
    pub fn len(&self) -> usize {
        self.parties.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.parties.is_empty()
    }

    fn candidates(&self, set: &BTreeSet<usize>) -> Vec<&(Candidate, bool)> {
        set.iter().filter_map(|&i| self.parties.get(i)).collect()
    }
}

/// How one cell of the file was resolved, for the import's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Resolution {
    /// The text is a known entity id.
    Id {
        /// The id.
        id: String,
    },
    /// The text is the exact name of one party.
    Name {
        /// The text as written.
        text: String,
        /// The party it names.
        party: Candidate,
    },
    /// The text names no known party: one was created.
    Created {
        /// The text as written.
        text: String,
        /// The created party.
        party: Candidate,
    },
}

/// A party the import creates for a name nobody has.
#[derive(Debug, Clone)]
struct Created {
    name: String,
    origin: String,
    asset: bool,
}

/// Resolves the cells of one holdings file against a [`Directory`] under the rules of the
/// module documentation, remembering what it created, then writes the registry's entities.
#[derive(Debug)]
pub struct RegistryBuilder<'a> {
    directory: &'a Directory,
    dataset: String,
    file: String,
    created: BTreeMap<String, Created>,
    created_by_name: HashMap<String, String>,
    created_by_loose: HashMap<String, BTreeSet<String>>,
    resolutions: BTreeMap<String, Resolution>,
}

impl<'a> RegistryBuilder<'a> {
    /// A builder for the registry `dataset`, reading the file named `file`.
    pub fn new(directory: &'a Directory, dataset: &str, file: &str) -> RegistryBuilder<'a> {
        RegistryBuilder {
            directory,
            dataset: dataset.to_string(),
            file: file.to_string(),
            created: BTreeMap::new(),
            created_by_name: HashMap::new(),
            created_by_loose: HashMap::new(),
            resolutions: BTreeMap::new(),
        }
    }

    /// How each distinct text of the file was resolved, by text.
    pub fn resolutions(&self) -> impl Iterator<Item = &Resolution> {
        self.resolutions.values()
    }

    /// The id a created party gets: the dataset and a slug of the name when it is ASCII,
    /// else a hash of the normalised name.
    fn created_id(&self, normalised: &str) -> String {
        let s = slug(normalised);
        if normalised.is_ascii() && !s.is_empty() {
            format!("{}-{s}", slug(&self.dataset))
        } else {
            derived_id(&slug(&self.dataset), &[normalised])
        }
    }

    fn describe(c: &(Candidate, bool)) -> String {
        format!(
            "{} ({}, {} in {})",
            c.0.name, c.0.id, c.0.schema, c.0.dataset
        )
    }

    fn resolve_text(&mut self, text: &str, side: Side) -> Result<String, String> {
        let text = text.trim();
        if self.directory.contains(text) || self.created.contains_key(text) {
            self.resolutions
                .entry(text.to_string())
                .or_insert_with(|| Resolution::Id {
                    id: text.to_string(),
                });
            return Ok(text.to_string());
        }
        let normalised = normalise_name(text);
        if normalised.is_empty() {
            return Err(format!(
                "{text:?} is neither an entity id nor a name (no letters or digits)"
            ));
        }
        if let Some(set) = self.directory.by_name.get(&normalised) {
            let found = self.directory.candidates(set);
            let people: Vec<String> = found
                .iter()
                .filter(|c| c.1)
                .map(|c| Self::describe(c))
                .collect();
            if !people.is_empty() {
                return Err(format!(
                    "{text:?} is the name of {}; people share names, so a person is named by id only: write the id",
                    people.join(" and ")
                ));
            }
            if found.len() > 1 {
                let all: Vec<String> = found.iter().map(|c| Self::describe(c)).collect();
                return Err(format!(
                    "{text:?} is ambiguous: it is the name of {}; write the id of the one meant",
                    all.join(", ")
                ));
            }
            if let Some(c) = found.first() {
                let id = c.0.id.clone();
                self.resolutions
                    .entry(text.to_string())
                    .or_insert_with(|| Resolution::Name {
                        text: text.to_string(),
                        party: c.0.clone(),
                    });
                return Ok(id);
            }
        }
        if let Some(id) = self.created_by_name.get(&normalised).cloned() {
            if side == Side::Asset
                && let Some(c) = self.created.get_mut(&id)
            {
                c.asset = true;
            }
            return Ok(id);
        }
        if looks_like_id(text) {
            return Err(format!(
                "no entity has the id {text:?} in the current lists or the registry (an id is not a name: no company is created for it)"
            ));
        }
        let loose = loose_key(&normalised);
        if !loose.is_empty() {
            let mut near: Vec<String> = self
                .directory
                .by_loose
                .get(&loose)
                .map(|set| {
                    self.directory
                        .candidates(set)
                        .iter()
                        .map(|c| Self::describe(c))
                        .collect()
                })
                .unwrap_or_default();
            if let Some(ids) = self.created_by_loose.get(&loose) {
                for id in ids {
                    if let Some(c) = self.created.get(id) {
                        near.push(format!("{} (created from {})", c.name, c.origin));
                    }
                }
            }
            if !near.is_empty() {
                return Err(format!(
                    "{text:?} is not the exact name of any party but nearly matches {}: write the id, or the name exactly as written there (a guess either way could block the wrong company or miss a block)",
                    near.join(", ")
                ));
            }
        }
        let id = self.created_id(&normalised);
        if self.directory.contains(&id) {
            // The derived id of a party created by an earlier import: the same party.
            return Ok(id);
        }
        self.created.insert(
            id.clone(),
            Created {
                name: text.to_string(),
                origin: self.file.clone(),
                asset: side == Side::Asset,
            },
        );
        self.created_by_name.insert(normalised, id.clone());
        if !loose.is_empty() {
            self.created_by_loose
                .entry(loose)
                .or_default()
                .insert(id.clone());
        }
        self.resolutions.insert(
            text.to_string(),
            Resolution::Created {
                text: text.to_string(),
                party: Candidate {
                    id: id.clone(),
                    name: text.to_string(),
                    schema: String::new(),
                    dataset: self.dataset.clone(),
                },
            },
        );
        Ok(id)
    }

    /// The registry's entities for the resolved relations: one `Ownership` per relation and
    /// the parties created. Returns them with the final resolutions (created parties with
    /// their schema).
    pub fn entities(mut self, relations: &[Relation]) -> (Vec<Entity>, Vec<Resolution>) {
        let mut out = Vec::with_capacity(relations.len() + self.created.len());
        let mut seen: HashMap<String, usize> = HashMap::new();
        let prefix = format!("{}-own", slug(&self.dataset));
        for r in relations {
            let (owner, asset, kind, period, share, record, source) = match r {
                Relation::Holding(Holding {
                    owner,
                    asset,
                    share,
                    period,
                    record,
                    source,
                    ..
                }) => (owner, asset, None, period, Some(*share), record, source),
                Relation::Control(Control {
                    controller,
                    asset,
                    kind,
                    votes,
                    period,
                    record,
                    source,
                }) => (
                    controller,
                    asset,
                    Some(*kind),
                    period,
                    *votes,
                    record,
                    source,
                ),
                _ => continue,
            };
            let date = |d: Option<interdict_model::PartialDate>| {
                d.map(|d| d.to_string()).unwrap_or_default()
            };
            let marker = kind.map(control_marker).unwrap_or("shares");
            let (start, end) = (date(period.start), date(period.end));
            let base = derived_id(&prefix, &[owner, asset, marker, &start, &end]);
            let n = seen.entry(base.clone()).or_insert(0);
            *n += 1;
            let id = if *n == 1 { base } else { format!("{base}-{n}") };
            let origin = record.clone().unwrap_or_else(|| self.file.clone());
            let o = Some(origin.as_str());
            let mut e = Entity::new(id, Schema::named("Ownership"));
            e.set("owner", owner, o);
            e.set("asset", asset, o);
            if let Some(s) = share.filter(|s| s.stated) {
                e.set("percentage", s.notation(), o);
            }
            if let Some(k) = kind {
                e.set("ownershipType", control_marker(k), o);
            }
            if !start.is_empty() {
                e.set("startDate", &start, o);
            }
            if !end.is_empty() {
                e.set("endDate", &end, o);
            }
            if let Some(rec) = record {
                e.set("recordId", rec, o);
            }
            if let Some(src) = source {
                e.set("publisher", src, o);
            }
            out.push(e);
        }
        for (id, c) in &self.created {
            let schema = if c.asset { "Company" } else { "LegalEntity" };
            let mut e = Entity::new(id.clone(), Schema::named(schema));
            e.set("name", &c.name, Some(&c.origin));
            out.push(e);
            if let Some(Resolution::Created { party, .. }) = self.resolutions.get_mut(&c.name) {
                party.schema = schema.to_string();
            }
        }
        let resolutions = std::mem::take(&mut self.resolutions)
            .into_values()
            .collect();
        (out, resolutions)
    }
}

impl Resolver for RegistryBuilder<'_> {
    fn resolve(&mut self, text: &str, side: Side) -> Result<String, String> {
        self.resolve_text(text, side)
    }
}

/// The `ownershipType` that marks a control relation of this kind (see [`crate::relation`]).
pub fn control_marker(kind: ControlKind) -> &'static str {
    match kind {
        ControlKind::BoardMajority => "control: board majority",
        ControlKind::VotingRights => "control: voting rights",
        ControlKind::DeFacto => "control: de facto",
        ControlKind::Unknown => "control",
    }
}

/// Parse, resolve and write in one go: the entities of the registry version, the resolutions,
/// or every error of the file (parse and resolution errors together, in file order).
pub fn build_registry(
    parsed: &ParsedHoldings,
    directory: &Directory,
    dataset: &str,
) -> Result<(Vec<Entity>, Vec<Resolution>), Vec<crate::holdings_csv::CsvError>> {
    let mut builder = RegistryBuilder::new(directory, dataset, &parsed.file);
    let resolved = parsed.resolve(&mut builder);
    let mut errors = parsed.errors.clone();
    let relations = match resolved {
        Ok(r) => r,
        Err(mut e) => {
            errors.append(&mut e);
            Vec::new()
        }
    };
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.line, e.column));
        return Err(errors);
    }
    Ok(builder.entities(&relations))
}

/// Sanity: shares written by the registry read back unchanged.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::holdings_csv::parse_str;
    use crate::relation::relation_from_entity;

    fn company(id: &str, names: &[&str]) -> Entity {
        let mut e = Entity::new(id, Schema::named("Company"));
        for n in names {
            e.set("name", n, None);
        }
        e
    }

    fn directory() -> Directory {
        let mut d = Directory::new();
        d.add("us_ofac_sdn", &{
            let mut e = company("ofac-12860", &["NAFTAN OAO"]);
            e.set("alias", "NAFTAN OJSC", None);
            e
        });
        d.add("us_ofac_sdn", &company("ofac-12861", &["GRODNO AZOT OAO"]));
        d.add("us_ofac_sdn", &company("ofac-1", &["TWIN LTD"]));
        d.add("eu_fsf", &company("eu-fsf-1", &["Twin Ltd"]));
        let mut p = Entity::new("ofac-9760", Schema::named("Person"));
        p.set("name", "LUKASHENKA, Alyaksandr", None);
        d.add("us_ofac_sdn", &p);
        let mut s = Entity::new("ofac-sanction-x", Schema::named("Sanction"));
        s.set("entity", "ofac-12860", None);
        d.add("us_ofac_sdn", &s);
        d
    }

    #[test]
    fn ids_names_and_creations() {
        let text = "owner,asset,percentage,start_date,end_date,type\n\
                    ofac-12860,Naftan Trading LLC,30%,2019-01-01,,\n\
                    \"Grodno  Azot, OAO\",Naftan Trading LLC,25,,,\n\
                    naftan ojsc,Polymir,60,,,\n\
                    Minsk Holder,Polymir,>50,2020,,control: board majority\n\
                    ofac-12860,Naftan Trading LLC,30%,2019-01-01,,\n";
        let parsed = parse_str("h.csv", text);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let dir = directory();
        let (entities, resolutions) = build_registry(&parsed, &dir, "registry").unwrap();
        let ids: Vec<&str> = entities.iter().map(|e| e.id.as_str()).collect();
        assert!(ids.contains(&"registry-naftan-trading-llc"), "{ids:?}");
        assert!(ids.contains(&"registry-polymir"));
        assert!(ids.contains(&"registry-minsk-holder"));
        let created: Vec<_> = resolutions
            .iter()
            .filter_map(|r| match r {
                Resolution::Created { party, .. } => {
                    Some((party.id.as_str(), party.schema.as_str()))
                }
                _ => None,
            })
            .collect();
        assert!(created.contains(&("registry-naftan-trading-llc", "Company")));
        assert!(created.contains(&("registry-minsk-holder", "LegalEntity")));
        assert!(
            resolutions
                .iter()
                .any(|r| matches!(r, Resolution::Name { party, .. } if party.id == "ofac-12861"))
        );
        assert!(
            resolutions
                .iter()
                .any(|r| matches!(r, Resolution::Name { party, .. } if party.id == "ofac-12860"))
        );
        // Relations read back as parsed; duplicates keep distinct, stable ids.
        let owns: Vec<&Entity> = entities
            .iter()
            .filter(|e| e.schema.name() == "Ownership")
            .collect();
        assert_eq!(owns.len(), 5);
        assert_ne!(owns[0].id, owns[4].id);
        assert!(owns[4].id.starts_with(&owns[0].id));
        let r = relation_from_entity(owns[3]).unwrap().0;
        assert!(
            matches!(r, Relation::Control(Control { kind: ControlKind::BoardMajority, votes: Some(v), .. }) if v.to_string() == "more than 50 %")
        );
        let r = relation_from_entity(owns[0]).unwrap().0;
        assert!(
            matches!(r, Relation::Holding(Holding { ref owner, share, .. }) if owner == "ofac-12860" && share.to_string() == "30 %")
        );
        // Same input, same ids.
        let (again, _) = build_registry(&parsed, &dir, "registry").unwrap();
        assert_eq!(again, entities);
    }

    #[test]
    fn refuses_to_guess() {
        let dir = directory();
        let cases = [
            ("Twin Ltd", "ambiguous"),
            ("Lukashenka Alyaksandr", "person is named by id only"),
            ("OAO Naftan", "nearly matches NAFTAN OAO (ofac-12860"),
            ("ofac-99999", "no entity has the id"),
            ("--", "neither an entity id nor a name"),
        ];
        for (owner, reason) in cases {
            let text = format!("owner,asset,percentage\n{owner},New Co,60\n");
            let parsed = parse_str("h.csv", &text);
            let errors = build_registry(&parsed, &dir, "registry").unwrap_err();
            assert_eq!(errors.len(), 1, "{owner}: {errors:?}");
            let shown = errors[0].to_string();
            assert!(shown.starts_with("h.csv:2: column 1 (owner): "), "{shown}");
            assert!(shown.contains(reason), "{owner}: {shown}");
        }
        // Near matches among names created in the same file are refused too.
        let parsed = parse_str("h.csv", "owner,asset,percentage\nA,Foo LLC,10\nB,Foo,10\n");
        let errors = build_registry(&parsed, &dir, "registry").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .to_string()
                .starts_with("h.csv:3: column 2 (asset)"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn id_shapes() {
        assert!(looks_like_id("ofac-12860"));
        assert!(looks_like_id("eu-fsf-eu-8282-49"));
        assert!(!looks_like_id("coca-cola"));
        assert!(!looks_like_id("Naftan-2"));
        assert!(!looks_like_id("naftan"));
        assert_eq!(
            normalise_name("  \"Grodno  Azot\", OAO "),
            "grodno azot oao"
        );
        assert_eq!(loose_key("oao naftan"), "naftan");
    }
}
