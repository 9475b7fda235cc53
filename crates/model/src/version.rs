//! List versions: each import of a source is one, identified by the hash of its input files.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A list version as it is stored: one import of one source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListVersion {
    /// The store's id of the version (increasing with import order).
    pub id: i64,
    /// The dataset the version belongs to, named as OpenSanctions names it (`us_ofac_sdn`).
    pub dataset: String,
    /// The import format (`ofac-csv`, `un-xml` …).
    pub format: String,
    /// The publication date read from the file, where the file has one.
    pub published: Option<NaiveDate>,
    /// When the version was imported.
    pub imported_at: DateTime<Utc>,
    /// SHA-256 over the input files, in the order given; equal hashes mean identical inputs.
    pub sha256: String,
    /// How many entities the version holds.
    pub entity_count: i64,
    /// The input file names (without directories).
    pub files: Vec<String>,
}

impl ListVersion {
    /// The date the version speaks for: its publication date, else its import date.
    pub fn effective_date(&self) -> NaiveDate {
        self.published
            .unwrap_or_else(|| self.imported_at.date_naive())
    }
}
