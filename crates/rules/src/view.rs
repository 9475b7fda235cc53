//! What a decision is taken against: the lists as they stood on the dealing's date (a
//! screening index and the versions it was built from) and the ownership data.
//!
//! The engine does not read the store: the caller (CLI, server) chooses the versions with
//! [`select_versions`], builds the index from exactly those, and hands both over. The choice of
//! versions is the engine's rule, so that the CLI and the API choose alike.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use interdict_matching::{BuildError, EntityMeta, Index, IndexBuilder};
use interdict_model::{Entity, ListVersion, Schema};
use interdict_ownership::OwnershipGraph;
use serde::{Deserialize, Serialize};

/// Why a list version was used for a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Selection {
    /// It was the version in force on the date (the latest published on or before it).
    InForce,
    /// No version of the dataset is from on or before the date: the earliest one was used.
    EarliestAvailable,
}

/// A list version a decision used, recorded so that it can be replayed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListBasis {
    /// The dataset (`us_ofac_sdn`).
    pub dataset: String,
    /// The store's version id.
    pub version_id: i64,
    /// The publication date, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<NaiveDate>,
    /// The date the version speaks for (publication, else import).
    pub effective: NaiveDate,
    /// SHA-256 of the input files: equal hashes mean identical lists.
    pub sha256: String,
    /// Entities in the version.
    pub entities: i64,
    /// Why it was chosen.
    pub selection: Selection,
}

impl ListBasis {
    /// The basis for a stored version.
    pub fn of(v: &ListVersion, selection: Selection) -> ListBasis {
        ListBasis {
            dataset: v.dataset.clone(),
            version_id: v.id,
            published: v.published,
            effective: v.effective_date(),
            sha256: v.sha256.clone(),
            entities: v.entity_count,
            selection,
        }
    }

    /// `us_ofac_sdn published 2021-07-07 (version 3, sha256 2a08fac873a3)`.
    pub fn describe(&self) -> String {
        let date = match self.published {
            Some(p) => format!("published {p}"),
            None => format!("imported {}", self.effective),
        };
        format!(
            "{} {date} (sha256 {}, {} entities)",
            self.dataset,
            &self.sha256[..self.sha256.len().min(12)],
            self.entities
        )
    }
}

/// The versions to decide a dealing of `date` against, one per dataset: the version in force on
/// the date (latest effective date on or before it, latest import among equals), else the
/// earliest version of the dataset (flagged [`Selection::EarliestAvailable`]: the store holds
/// nothing older, and the decision says so).
pub fn select_versions(all: &[ListVersion], date: NaiveDate) -> Vec<(ListVersion, Selection)> {
    let mut by_dataset: BTreeMap<&str, Vec<&ListVersion>> = BTreeMap::new();
    for v in all {
        by_dataset.entry(v.dataset.as_str()).or_default().push(v);
    }
    let mut out = Vec::new();
    for (_, mut versions) in by_dataset {
        versions.sort_by_key(|v| (v.effective_date(), v.id));
        let in_force = versions.iter().rev().find(|v| v.effective_date() <= date);
        match in_force {
            Some(v) => out.push(((*v).clone(), Selection::InForce)),
            None => {
                if let Some(v) = versions.first() {
                    out.push(((*v).clone(), Selection::EarliestAvailable));
                }
            }
        }
    }
    out
}

/// The lists as a decision sees them: an index over the entities of exactly the versions in
/// `versions`.
#[derive(Debug, Clone, Copy)]
pub struct ListView<'a> {
    /// The screening index.
    pub index: &'a Index,
    /// The versions it was built from.
    pub versions: &'a [ListBasis],
}

/// Ownership and control data for decisions: a graph of holdings, with an index over the names
/// of its parties so that a dealing's party can be found in it, and where it came from.
#[derive(Debug)]
pub struct OwnershipData {
    /// The graph.
    pub graph: OwnershipGraph,
    /// Names of the graph's parties, for finding a dealing's party among them.
    pub names: Index,
    /// Where the data came from, recorded in decisions.
    pub basis: OwnershipBasis,
}

/// Where ownership data came from, recorded in decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnershipBasis {
    /// What it is (`holdings file belarus-holdings.csv`).
    pub source: String,
    /// SHA-256 of the data (the file, or a digest of the holdings).
    pub sha256: String,
    /// Holdings (and control relations) in the graph.
    pub relations: usize,
}

impl OwnershipData {
    /// Wrap a graph, indexing the names of its parties.
    pub fn new(graph: OwnershipGraph, basis: OwnershipBasis) -> Result<OwnershipData, BuildError> {
        let mut b = IndexBuilder::new();
        for id in graph.ids() {
            if let Some(name) = graph.name(id) {
                let mut e = Entity::new(id, Schema::named("LegalEntity"));
                if e.add("name", name, None).is_ok() {
                    b.add(e, EntityMeta::dataset("ownership"));
                }
            }
        }
        Ok(OwnershipData {
            names: b.build()?,
            graph,
            basis,
        })
    }
}

/// Why holdings could not become ownership data.
#[derive(Debug, thiserror::Error)]
pub enum OwnershipLoadError {
    /// The file has errors (each with its line, column and reason).
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Csv(Vec<interdict_ownership::holdings_csv::CsvError>),
    /// A relation could not enter the graph.
    #[error("{0}")]
    Relation(#[from] interdict_ownership::RelationError),
    /// The names could not be indexed.
    #[error("indexing the names of the ownership data: {0}")]
    Index(#[from] BuildError),
}

impl OwnershipData {
    /// Ownership data from a registry holdings CSV (`owner,asset,percentage,start_date,…`; see
    /// `interdict_ownership::holdings_csv`). `resolve` turns a cell (an entity id or a name)
    /// into an id and, where known, the party's name.
    pub fn from_holdings_csv(
        file: &str,
        bytes: &[u8],
        mut resolve: impl FnMut(&str) -> (String, Option<String>),
    ) -> Result<OwnershipData, OwnershipLoadError> {
        use interdict_ownership::{GraphBuilder, Relation, holdings_csv};
        use sha2::{Digest, Sha256};
        let parsed = holdings_csv::parse(file, bytes);
        if !parsed.errors.is_empty() {
            return Err(OwnershipLoadError::Csv(parsed.errors));
        }
        let mut names: Vec<(String, String)> = Vec::new();
        let mut resolver = |text: &str, _side: holdings_csv::Side| -> Result<String, String> {
            let (id, name) = resolve(text);
            names.push((id.clone(), name.unwrap_or_else(|| text.to_string())));
            Ok(id)
        };
        let relations = parsed
            .resolve(&mut resolver)
            .map_err(OwnershipLoadError::Csv)?;
        let mut b = GraphBuilder::new();
        for (id, name) in &names {
            b.party(id, Some(name));
        }
        let mut count = 0;
        for r in relations {
            match r {
                Relation::Holding(h) => {
                    b.holding(h)?;
                    count += 1;
                }
                Relation::Control(c) => {
                    b.control(c)?;
                    count += 1;
                }
                Relation::Association(a) => {
                    b.association(a);
                }
                Relation::Party { id, name } => {
                    b.party(&id, Some(&name));
                }
                Relation::Ignored => {}
            }
        }
        let basis = OwnershipBasis {
            source: format!("holdings file {file}"),
            sha256: hex::encode(Sha256::digest(bytes)),
            relations: count,
        };
        Ok(OwnershipData::new(b.build(), basis)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn v(id: i64, dataset: &str, published: &str) -> ListVersion {
        ListVersion {
            id,
            dataset: dataset.into(),
            format: "ofac-csv".into(),
            published: Some(published.parse().unwrap()),
            imported_at: Utc::now(),
            sha256: format!("{id:064}"),
            entity_count: 1,
            files: vec![],
        }
    }

    #[test]
    fn in_force_else_earliest() {
        let all = vec![
            v(1, "us_ofac_sdn", "2021-07-07"),
            v(2, "us_ofac_sdn", "2021-08-18"),
            v(3, "eu_fsf", "2020-04-15"),
        ];
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let s = select_versions(&all, d("2021-03-01"));
        assert_eq!(s.len(), 2);
        let sdn = s.iter().find(|(v, _)| v.dataset == "us_ofac_sdn").unwrap();
        assert_eq!((sdn.0.id, sdn.1), (1, Selection::EarliestAvailable));
        let s = select_versions(&all, d("2021-09-01"));
        let sdn = s.iter().find(|(v, _)| v.dataset == "us_ofac_sdn").unwrap();
        assert_eq!((sdn.0.id, sdn.1), (2, Selection::InForce));
    }
}
