//! The one error type of the store: every variant says what was being done and with what.

use std::path::PathBuf;

/// Why a store operation failed. The message names the dataset, version, entity or file
/// concerned, so that a CLI can print it as it is.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The URL names no backend the store supports.
    #[error(
        "unsupported database URL {url:?}: expected sqlite://PATH, sqlite::memory:, a file path \
         or postgres://…"
    )]
    UnsupportedUrl {
        /// The URL as given.
        url: String,
    },
    /// The URL has a supported scheme but cannot be parsed.
    #[error("invalid database URL {url:?}: {source}")]
    InvalidUrl {
        /// The URL as given.
        url: String,
        /// What the driver said.
        #[source]
        source: sqlx::Error,
    },
    /// The directory that should hold the SQLite file could not be created.
    #[error("cannot create directory {path}: {source}")]
    CreateDirectory {
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The database could not be reached or opened.
    #[error("cannot connect to the {backend} database {target}: {source}")]
    Connect {
        /// `sqlite` or `postgres`.
        backend: &'static str,
        /// The file or host, without credentials.
        target: String,
        /// What the driver said.
        #[source]
        source: sqlx::Error,
    },
    /// Bringing the schema up to date failed.
    #[error("migrating the {backend} schema failed: {source}")]
    Migrate {
        /// `sqlite` or `postgres`.
        backend: &'static str,
        /// What the migrator said.
        #[source]
        source: sqlx::migrate::MigrateError,
    },
    /// A query failed; `context` says which operation it served.
    #[error("database error while {context}: {source}")]
    Database {
        /// The operation, e.g. "loading the versions of us_ofac_sdn".
        context: String,
        /// What the driver said.
        #[source]
        source: sqlx::Error,
    },
    /// The description of the version to import is unusable.
    #[error("cannot import: {reason}")]
    InvalidDraft {
        /// What is wrong (an empty dataset name …).
        reason: String,
    },
    /// The record stream of an import yielded an error; nothing was stored.
    #[error("import of {dataset} aborted at record {index}, nothing was stored: {source}")]
    Record {
        /// The dataset being imported.
        dataset: String,
        /// Zero-based position of the failing record in the stream.
        index: usize,
        /// The importer's error (it names the file and place).
        #[source]
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
    /// A record of the stream is unusable (an entity without an id …); nothing was stored.
    #[error("import of {dataset} aborted at record {index}, nothing was stored: {reason}")]
    InvalidRecord {
        /// The dataset being imported.
        dataset: String,
        /// Zero-based position of the record in the stream.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// A delta deletes an entity that the dataset's latest version does not hold.
    #[error(
        "delta import of {dataset} aborted at record {index}, nothing was stored: it deletes \
         {entity_id:?}, which the latest version does not hold"
    )]
    UnknownDelete {
        /// The dataset being imported.
        dataset: String,
        /// Zero-based position of the delete record in the stream.
        index: usize,
        /// The id that is not there.
        entity_id: String,
    },
    /// A full import contains a delete record, which only delta files may.
    #[error(
        "full import of {dataset} aborted at record {index}, nothing was stored: it deletes \
         {entity_id:?}, but only a delta import may delete (use ImportMode::Delta)"
    )]
    DeleteInFullImport {
        /// The dataset being imported.
        dataset: String,
        /// Zero-based position of the delete record in the stream.
        index: usize,
        /// The id the record deletes.
        entity_id: String,
    },
    /// No version has this id.
    #[error("no list version {0}")]
    VersionNotFound(i64),
    /// Two versions were to be compared that belong to different datasets.
    #[error(
        "versions {old} ({old_dataset}) and {new} ({new_dataset}) belong to different datasets"
    )]
    DatasetMismatch {
        /// The older version's id.
        old: i64,
        /// Its dataset.
        old_dataset: String,
        /// The newer version's id.
        new: i64,
        /// Its dataset.
        new_dataset: String,
    },
    /// A stored entity body does not decode: the database was edited outside interdict or
    /// written by an incompatible version.
    #[error("stored entity record {record_id} is corrupt: {source}")]
    CorruptRecord {
        /// The record's row id.
        record_id: i64,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// A stored version row does not decode.
    #[error("stored list version {version_id} is corrupt: {reason}")]
    CorruptVersion {
        /// The version id.
        version_id: i64,
        /// What does not decode.
        reason: String,
    },
    /// Setting up a test store failed (only from `testing`).
    #[error("cannot set up a test store: {reason}")]
    TestSetup {
        /// What failed.
        reason: String,
    },
}

/// A closure for `map_err` that wraps a driver error with the operation it served.
pub(crate) fn db(context: impl Into<String>) -> impl FnOnce(sqlx::Error) -> StoreError {
    let context = context.into();
    move |source| StoreError::Database { context, source }
}
