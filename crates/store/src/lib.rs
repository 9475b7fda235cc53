//! Persistence of the interdict entity model: list versions, the entities each version holds,
//! and what follows from keeping every version — diffs, "the list as it stood on date D", the
//! history of an entity.
//!
//! One [`Store`] type works over two backends: embedded SQLite (the default: one file, created
//! on first use, WAL mode, no set-up) and PostgreSQL (`postgres://…`). Both run the same
//! operations; SQL is shared where the dialects agree, and bulk inserts use each backend's
//! fastest form (multi-row `VALUES` and `json_each` on SQLite, `UNNEST` arrays on PostgreSQL).
//!
//! Layout (see `migrations/`): `list_versions` has one row per import; `entity_records` stores
//! each distinct entity content once, addressed by [`Entity::content_hash`], so an entity that
//! does not change across a hundred versions is stored once; `version_entities` says which
//! records make up which version; `entity_references` indexes entity-typed property values so
//! that the sanctions, addresses and ownerships pointing at an entity are found directly.
//! First-seen, last-seen and last-change dates are derived from membership, not stored.
//! `api_keys` holds the SHA-256 of each key of the HTTP API with its role (see [`ApiKey`]).
//! `specific_licences` holds the specific licences decisions apply (see [`StoredLicence`]).
//!
//! An import is one transaction: a record stream that fails half-way leaves the store exactly as
//! it was, and re-importing the input of the latest version is a no-op.
//!
//! What this crate does not do: parse list files (`interdict-lists` does, and hands over
//! [`ListRecord`]s), match names, or decide anything. It only remembers, faithfully.
//!
//! ```no_run
//! # async fn demo() -> Result<(), interdict_store::StoreError> {
//! use interdict_model::{Entity, ImportMode, ListRecord, Schema};
//! use interdict_store::{NewVersion, Store};
//! let store = Store::open("data/interdict.db").await?;
//! let mut e = Entity::new("ofac-9760", Schema::named("Person"));
//! e.set("name", "LUKASHENKA, Alyaksandr", Some("sdn.csv:name"));
//! let draft = NewVersion {
//!     dataset: "us_ofac_sdn".into(),
//!     format: "ofac-csv".into(),
//!     mode: ImportMode::Full,
//!     published: None,
//!     sha256: "…".into(),
//!     files: vec!["sdn.csv".into()],
//! };
//! let records = [Ok::<_, std::io::Error>(ListRecord::Entity(e))];
//! let outcome = store.import(draft, records).await?;
//! println!("version {} holds {}", outcome.version.id, outcome.version.entity_count);
//! # Ok(()) }
//! ```

mod api_keys;
mod dates;
mod entities;
mod error;
mod history;
mod import;
mod licences;
mod sql;
mod sync_state;
#[cfg(feature = "testing")]
pub mod testing;
mod versions;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use api_keys::ApiKey;
pub use dates::{EntityDates, ViewDates};
pub use entities::{DatasetEntity, StoredEntity};
pub use error::StoreError;
pub use history::HistoryEntry;
pub use import::{ImportOutcome, NewVersion};
pub use licences::{NewLicence, StoredLicence};
pub use sync_state::SyncValidators;

#[doc(no_inline)]
pub use interdict_model::{Entity, EntityChange, ImportMode, ListRecord, ListVersion};

/// The database behind a [`Store`]; callers rarely need it, but logs and `serve` report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite, one file (or memory).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The backend's lower-case name, as in URLs and messages.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

impl std::fmt::Display for Backend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The concrete pool. An enum rather than `sqlx::AnyPool`: Any cannot bind chrono dates or
/// PostgreSQL arrays (which make `UNNEST` bulk inserts possible) and converts every value on
/// the way, so each backend keeps its own driver and the shared SQL is dispatched to both.
#[derive(Debug, Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Run `$body` with `$pool` bound to the concrete pool of the store. The body is compiled once
/// per backend, so it can use any query that both drivers accept.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($pool) => $body,
            $crate::Pool::Postgres($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// A handle on the interdict database. Cheap to clone (it is a connection pool) and safe to
/// share between tasks.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: Pool,
}

/// The SQLite migrations, embedded in the binary.
static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
/// The PostgreSQL migrations, embedded in the binary.
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Open (and create or migrate) the store named by `url`:
    /// - `sqlite://PATH` or `sqlite:PATH` (query parameters as sqlx accepts them),
    /// - `sqlite::memory:` (a private in-memory database, gone when the store is dropped),
    /// - a bare file path (SQLite; the file and its parent directories are created),
    /// - `postgres://…` or `postgresql://…`.
    ///
    /// Migrations run on every open, so an older database is brought up to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let invalid = |source| StoreError::InvalidUrl {
            url: url.to_string(),
            source,
        };
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url).map_err(invalid)?;
            Store::open_postgres(options).await
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url).map_err(invalid)?;
            Store::open_sqlite(options).await
        } else if url.contains("://") || url.is_empty() {
            Err(StoreError::UnsupportedUrl {
                url: url.to_string(),
            })
        } else {
            Store::open_sqlite(SqliteConnectOptions::new().filename(url)).await
        }
    }

    /// Open a SQLite store with explicit connect options (the URL form covers most needs).
    /// The file is created if missing, WAL journaling is switched on for files, foreign keys
    /// are enforced.
    pub async fn open_sqlite(options: SqliteConnectOptions) -> Result<Store, StoreError> {
        let path = options.get_filename().to_path_buf();
        let in_memory = is_memory(&path);
        let mut options = options
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30));
        let mut pool_options = SqlitePoolOptions::new();
        if in_memory {
            // One connection that never closes: the database lives as long as it does.
            pool_options = pool_options
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None);
        } else {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDirectory {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
            // WAL lets readers (screening) go on while an import writes; NORMAL synchronous is
            // durable against application crashes and cannot corrupt the file in WAL mode.
            options = options
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                // A list version is tens of megabytes: a 64 MiB page cache and memory-mapped
                // reads keep imports and diffs from re-reading pages through syscalls.
                .pragma("cache_size", "-65536")
                .pragma("mmap_size", "268435456")
                .pragma("temp_store", "memory");
            pool_options = pool_options.max_connections(8);
        }
        let pool =
            pool_options
                .connect_with(options)
                .await
                .map_err(|source| StoreError::Connect {
                    backend: "sqlite",
                    target: path.display().to_string(),
                    source,
                })?;
        SQLITE_MIGRATIONS
            .run(&pool)
            .await
            .map_err(|source| StoreError::Migrate {
                backend: "sqlite",
                source,
            })?;
        Ok(Store {
            pool: Pool::Sqlite(pool),
        })
    }

    /// Open a PostgreSQL store with explicit connect options, e.g. to set `search_path` so
    /// that the tables live in a schema of their own.
    pub async fn open_postgres(options: PgConnectOptions) -> Result<Store, StoreError> {
        let target = format!(
            "{}:{}/{}",
            options.get_host(),
            options.get_port(),
            options.get_database().unwrap_or("")
        );
        // One plain connection first: the pool retries a refused connection until its acquire
        // timeout, and "cannot connect" should not take half a minute to say.
        let probe = PgConnection::connect_with(&options).await;
        match probe {
            Ok(conn) => {
                let _ = conn.close().await;
            }
            Err(source) => {
                return Err(StoreError::Connect {
                    backend: "postgres",
                    target,
                    source,
                });
            }
        }
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|source| StoreError::Connect {
                backend: "postgres",
                target,
                source,
            })?;
        POSTGRES_MIGRATIONS
            .run(&pool)
            .await
            .map_err(|source| StoreError::Migrate {
                backend: "postgres",
                source,
            })?;
        Ok(Store {
            pool: Pool::Postgres(pool),
        })
    }

    /// Which database this store runs on.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Close every connection, waiting for running queries. Dropping the store also closes the
    /// pool, but without waiting; call this before exiting a process that wrote.
    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await)
    }
}

/// Whether a SQLite file name denotes an in-memory database.
fn is_memory(path: &Path) -> bool {
    let s = path.to_string_lossy();
    s == ":memory:" || s.starts_with("file:sqlx-in-memory-") || s.contains("mode=memory")
}
