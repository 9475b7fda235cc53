//! Importers for the official sanctions list formats.
//!
//! Each importer reads its files as a stream and yields [`ListRecord`]s in the interdict entity
//! model (FollowTheMoney schemata and property names, OpenSanctions-style ids), or an
//! [`ImportError`] that names the file, the place in it and the reason. Importers never touch the
//! store: persisting a version, atomically, is the store's job.
//!
//! ```no_run
//! use interdict_lists::{Format, open};
//! let mut import = open(Format::OfacCsv, &["data/ofac/sdn_csv_2021-07".into()]).unwrap();
//! println!("{} published {:?}", import.meta().dataset, import.meta().published);
//! for record in &mut import {
//!     let record = record.unwrap();
//! }
//! ```
//!
//! What this crate does not do: fetch files (see `interdict sync`), decide which version is
//! current, or merge entities across sources.

pub mod eu_fsf;
pub mod ftm;
pub mod ofac_advanced;
pub mod ofac_csv;
pub mod ofac_xml;
pub mod uk_conlist;
pub mod un_xml;
mod xml_common;

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use interdict_model::{ImportMode, ListRecord};
use sha2::{Digest, Sha256};

/// The list formats interdict reads, named as on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// OFAC SDN or Consolidated CSV set (`sdn.csv`, `alt.csv`, `add.csv`, `sdn_comments.csv`, or
    /// the `cons_*` equivalents).
    OfacCsv,
    /// OFAC classic XML (`SDN.XML`, `consolidated.xml`).
    OfacXml,
    /// OFAC Advanced Sanctions List Standard XML (`sdn_advanced.xml`, `cons_advanced.xml`).
    OfacAdvancedXml,
    /// UN Security Council consolidated list XML.
    UnXml,
    /// EU Financial Sanctions Files XML 1.1.
    EuFsfXml,
    /// UK OFSI consolidated list CSV (ConList.csv).
    UkConlist,
    /// FollowTheMoney JSON lines, or an OpenSanctions delta file.
    Ftm,
}

impl Format {
    /// Every format, in the order the CLI lists them.
    pub const ALL: [Format; 7] = [
        Format::OfacCsv,
        Format::OfacXml,
        Format::OfacAdvancedXml,
        Format::UnXml,
        Format::EuFsfXml,
        Format::UkConlist,
        Format::Ftm,
    ];

    /// The name used on the command line and in stored versions.
    pub fn name(self) -> &'static str {
        match self {
            Format::OfacCsv => "ofac-csv",
            Format::OfacXml => "ofac-xml",
            Format::OfacAdvancedXml => "ofac-advanced-xml",
            Format::UnXml => "un-xml",
            Format::EuFsfXml => "eu-fsf-xml",
            Format::UkConlist => "uk-conlist",
            Format::Ftm => "ftm",
        }
    }

    /// Parse a command-line format name.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Where in a file an error was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The whole file (missing, unreadable, wrong kind).
    File,
    /// A 1-based line number (CSV and JSON lines).
    Line(u64),
    /// A byte offset from the start of the file (XML).
    Byte(u64),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => Ok(()),
            Location::Line(n) => write!(f, ":{n}"),
            Location::Byte(n) => write!(f, " at byte {n}"),
        }
    }
}

/// A list file that cannot be read as the format it claims to be.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{location}: {reason}", file.display())]
pub struct ImportError {
    /// The file concerned.
    pub file: PathBuf,
    /// Where in the file.
    pub location: Location,
    /// What is wrong, in words a list maintainer understands.
    pub reason: String,
}

impl ImportError {
    /// An error at a place in a file.
    pub fn new(file: impl Into<PathBuf>, location: Location, reason: impl Into<String>) -> Self {
        ImportError {
            file: file.into(),
            location,
            reason: reason.into(),
        }
    }
}

/// What an import is, known before its records are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportMeta {
    /// The dataset the records belong to (`us_ofac_sdn`, `un_sc_sanctions` …).
    pub dataset: String,
    /// The format read.
    pub format: Format,
    /// Whole list or changes to the previous version.
    pub mode: ImportMode,
    /// The publication date stated in the file, if it states one.
    pub published: Option<NaiveDate>,
    /// The input files, in the order they were hashed.
    pub files: Vec<PathBuf>,
    /// SHA-256 over the input files' bytes, in that order.
    pub sha256: String,
}

/// An import in progress: its metadata and a stream of records.
pub struct Import {
    meta: ImportMeta,
    records: Box<dyn Iterator<Item = Result<ListRecord, ImportError>> + Send>,
}

impl Import {
    /// Wrap a record stream with its metadata.
    pub fn new(
        meta: ImportMeta,
        records: impl Iterator<Item = Result<ListRecord, ImportError>> + Send + 'static,
    ) -> Self {
        Import {
            meta,
            records: Box::new(records),
        }
    }

    /// What is being imported.
    pub fn meta(&self) -> &ImportMeta {
        &self.meta
    }
}

impl Iterator for Import {
    type Item = Result<ListRecord, ImportError>;
    fn next(&mut self) -> Option<Self::Item> {
        self.records.next()
    }
}

/// Open list files of the given format for import.
///
/// `paths` are the files, or a directory holding them (the OFAC CSV set). Errors that can be
/// seen before reading records (a missing file, a wrong header) are returned here; the rest come
/// from the record stream.
pub fn open(format: Format, paths: &[PathBuf]) -> Result<Import, ImportError> {
    match format {
        Format::OfacCsv => ofac_csv::open(paths),
        Format::OfacXml => ofac_xml::open(paths),
        Format::OfacAdvancedXml => ofac_advanced::open(paths),
        Format::UnXml => un_xml::open(paths),
        Format::EuFsfXml => eu_fsf::open(paths),
        Format::UkConlist => uk_conlist::open(paths),
        Format::Ftm => ftm::open(paths),
    }
}

/// SHA-256 over the bytes of the given files, in order: the identity of an import's input.
pub fn hash_files(paths: &[PathBuf]) -> Result<String, ImportError> {
    let mut h = Sha256::new();
    for p in paths {
        let bytes = std::fs::read(p)
            .map_err(|e| ImportError::new(p, Location::File, format!("cannot read: {e}")))?;
        h.update((bytes.len() as u64).to_le_bytes());
        h.update(&bytes);
    }
    Ok(hex::encode(h.finalize()))
}

/// The file name of a path, for origins and messages.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
