//! Test support: a fresh, empty store per test, on the backend the environment names.
//!
//! `INTERDICT_TEST_DATABASE` unset (or empty): a new SQLite file in a temporary directory.
//! `INTERDICT_TEST_DATABASE=postgres://…`: a new schema `test_<unique>` in that database,
//! used through `search_path`, dropped when the [`TestStore`] is dropped. Every test gets its
//! own, so tests run in parallel without seeing each other's data.
//!
//! Other crates' integration tests use it through the `testing` feature:
//! `interdict-store = { workspace = true, features = ["testing"] }` in `[dev-dependencies]`.

use std::ops::Deref;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

use crate::{Store, StoreError};

/// The variable that selects the backend of test stores.
pub const TEST_DATABASE_VAR: &str = "INTERDICT_TEST_DATABASE";

/// A store for one test; derefs to [`Store`] and removes its data when dropped.
#[derive(Debug)]
pub struct TestStore {
    store: Store,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    /// The directory holding the SQLite file, deleted on drop.
    Sqlite(tempfile::TempDir),
    /// The PostgreSQL schema, dropped on drop.
    Postgres(Box<SchemaGuard>),
}

/// Drops a test schema (and everything in it) when dropped.
#[derive(Debug)]
struct SchemaGuard {
    /// Options for the database, without the schema's search path.
    options: PgConnectOptions,
    /// The URL the options were read from.
    url: String,
    schema: String,
}

impl Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

impl TestStore {
    /// The store itself, e.g. to clone it into a task.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A URL that [`Store::open`] (and so `interdict --database`) accepts for this same
    /// database: the SQLite file's path, or the PostgreSQL URL with the test schema as
    /// `search_path`. For tests that run the CLI or a server against the test store.
    pub fn url(&self) -> String {
        match &self.cleanup {
            Cleanup::Sqlite(dir) => dir
                .path()
                .join("interdict.db")
                .to_string_lossy()
                .into_owned(),
            Cleanup::Postgres(guard) => {
                let sep = if guard.url.contains('?') { '&' } else { '?' };
                format!(
                    "{}{sep}options=-c%20search_path%3D{}",
                    guard.url, guard.schema
                )
            }
        }
    }

    /// A second handle on the same database, opened anew (to test reopening).
    pub async fn reopen(&self) -> Result<Store, StoreError> {
        Store::open(&self.url()).await
    }
}

impl Drop for SchemaGuard {
    fn drop(&mut self) {
        let options = self.options.clone();
        let sql = format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.schema);
        // Drop may run inside a runtime, where blocking on another is not allowed: use a
        // thread with its own.
        let handle = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut conn) = PgConnection::connect_with(&options).await {
                    // A test that panicked mid-transaction may still hold locks: give up on the
                    // schema (it is uniquely named) rather than hang the test run.
                    let _ = sqlx::query("SET lock_timeout = '10s'")
                        .execute(&mut conn)
                        .await;
                    let _ = sqlx::query(&sql).execute(&mut conn).await;
                    let _ = conn.close().await;
                }
            });
        });
        let _ = handle.join();
    }
}

/// A fresh store on the backend named by `INTERDICT_TEST_DATABASE`.
///
/// # Panics
/// If the store cannot be set up: a test cannot run without it, and the message says why.
pub async fn test_store() -> TestStore {
    match try_test_store().await {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

/// As [`test_store`], returning the error instead of panicking.
pub async fn try_test_store() -> Result<TestStore, StoreError> {
    let url = std::env::var(TEST_DATABASE_VAR).unwrap_or_default();
    let setup = |reason: String| StoreError::TestSetup { reason };
    if url.trim().is_empty() || url.starts_with("sqlite") {
        let dir = tempfile::Builder::new()
            .prefix("interdict-store-test-")
            .tempdir()
            .map_err(|e| setup(format!("cannot create a temporary directory: {e}")))?;
        let path = dir.path().join("interdict.db");
        let store = Store::open(&path.to_string_lossy()).await?;
        return Ok(TestStore {
            store,
            cleanup: Cleanup::Sqlite(dir),
        });
    }
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(setup(format!(
            "{TEST_DATABASE_VAR}={url:?}: expected unset or postgres://…"
        )));
    }
    let options = PgConnectOptions::from_str(&url).map_err(|e| {
        setup(format!(
            "{TEST_DATABASE_VAR}={url:?} is not a valid URL: {e}"
        ))
    })?;
    let schema = unique_schema_name();
    let mut conn = PgConnection::connect_with(&options)
        .await
        .map_err(|e| setup(format!("cannot connect to {url}: {e}")))?;
    sqlx::query(&format!("CREATE SCHEMA \"{schema}\""))
        .execute(&mut conn)
        .await
        .map_err(|e| setup(format!("cannot create schema {schema}: {e}")))?;
    let _ = conn.close().await;
    // The guard exists before the store is opened, so the schema goes even if opening fails.
    let guard = SchemaGuard {
        options,
        url,
        schema,
    };
    let store = Store::open_postgres(schema_options(&guard.options, &guard.schema)).await?;
    Ok(TestStore {
        store,
        cleanup: Cleanup::Postgres(Box::new(guard)),
    })
}

/// Connect options whose sessions see only `schema`.
fn schema_options(options: &PgConnectOptions, schema: &str) -> PgConnectOptions {
    options.clone().options([("search_path", schema)])
}

/// A schema name no other test (in this or another process) uses.
fn unique_schema_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!(
        "test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos % 1_000_000_000
    )
}

/// Rows per table, to check that a failed import left nothing behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowCounts {
    /// Rows of `list_versions`.
    pub versions: i64,
    /// Rows of `entity_records`.
    pub records: i64,
    /// Rows of `version_entities`.
    pub memberships: i64,
    /// Rows of `entity_references`.
    pub references: i64,
}

impl Store {
    /// Count the rows of every table of the list store (tests only: a full scan).
    pub async fn row_counts(&self) -> Result<RowCounts, StoreError> {
        let mut counts = [0i64; 4];
        let tables = [
            "list_versions",
            "entity_records",
            "version_entities",
            "entity_references",
        ];
        for (slot, table) in counts.iter_mut().zip(tables) {
            let sql = format!("SELECT COUNT(*) FROM {table}");
            *slot = crate::with_pool!(self, pool => {
                sqlx::query_scalar::<_, i64>(&sql).fetch_one(pool).await
            })
            .map_err(crate::error::db(format!("counting {table}")))?;
        }
        Ok(RowCounts {
            versions: counts[0],
            records: counts[1],
            memberships: counts[2],
            references: counts[3],
        })
    }
}
