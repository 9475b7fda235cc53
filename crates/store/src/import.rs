//! Importing a list version: one transaction that either stores the whole version or nothing.
//!
//! The record stream is read to the end first (duplicates of an id are merged, deltas applied
//! to the latest version; the entities of a full list are serialised and hashed on worker
//! threads while the stream is still being read), then only contents the store has never seen
//! are written, in bulk; unchanged entities are linked to their existing record. A re-import of
//! the latest version's input is recognised by its sha256 before the stream is read at all.

use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use interdict_model::{Entity, ImportMode, ListRecord, ListVersion, PropertyType};
use sha2::{Digest, Sha256};
use sqlx::{PgConnection, Postgres, Sqlite, SqliteConnection, Transaction};

use crate::error::{StoreError, db};
use crate::sql::{SQLITE_INSERT_ROWS, sqlite_value_tuples};
use crate::versions::{LATEST_OF_DATASET, VERSION_COLUMNS, VersionRow};
use crate::{Pool, Store};

/// What is known about a list version before its records are read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVersion {
    /// The dataset, named as OpenSanctions names it (`us_ofac_sdn`); versions of one dataset
    /// are compared and diffed with each other.
    pub dataset: String,
    /// The import format (`ofac-csv` …), kept to say how the version was read.
    pub format: String,
    /// Whether the records are the whole list or changes to the latest version.
    pub mode: ImportMode,
    /// The publication date read from the file, if it has one; as-of queries use it.
    pub published: Option<NaiveDate>,
    /// SHA-256 over the input files: equal to the latest version's means "nothing new".
    pub sha256: String,
    /// The input file names, for the record.
    pub files: Vec<String>,
}

/// The result of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    /// The version now holding the input: the new one, or the existing latest one when the
    /// input was already imported.
    pub version: ListVersion,
    /// `false` when a version of the dataset was already imported from the same input (same
    /// sha256) and nothing was written.
    pub created: bool,
}

/// An entity ready to be written: its JSON body and content hash computed once.
struct Prepared {
    entity_id: String,
    schema: &'static str,
    body: String,
    hash: String,
    /// `(property, target id)` for every entity-typed value.
    references: Vec<(String, String)>,
}

impl Prepared {
    /// Serialise and hash `entity`, consuming it: its id and reference values are moved, not
    /// copied, and the rest is freed here (on a worker thread for a large list, where freeing
    /// half a million small allocations costs as much as the serialisation).
    fn new(entity: Entity) -> Prepared {
        // Same bytes as `Entity::content_hash`, serialised once for body and hash alike, into a
        // buffer kept by the thread: the body is then allocated once, at its size.
        let body = BUFFER.with_borrow_mut(|buffer| {
            buffer.clear();
            match serde_json::to_writer(&mut *buffer, &entity) {
                Ok(()) => String::from_utf8(buffer.clone()).unwrap_or_default(),
                Err(_) => String::new(),
            }
        });
        let digest = Sha256::digest(body.as_bytes());
        let mut hex = [0u8; 64];
        let hash = match hex::encode_to_slice(digest, &mut hex) {
            Ok(()) => String::from_utf8_lossy(&hex).into_owned(),
            Err(_) => hex::encode(digest),
        };
        let Entity {
            id,
            schema,
            properties,
            ..
        } = entity;
        let references = properties
            .into_iter()
            .filter(|(p, _)| schema.property_type(p) == Some(PropertyType::Entity))
            .flat_map(|(p, vs)| vs.into_iter().map(move |v| (p.clone(), v.value)))
            .collect();
        Prepared {
            entity_id: id,
            schema: schema.name(),
            body,
            hash,
            references,
        }
    }
}

thread_local! {
    /// The serialisation buffer of [`Prepared::new`].
    static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A row of the base version's membership.
#[derive(Debug, sqlx::FromRow)]
struct Member {
    entity_id: String,
    record_id: i64,
    hash: String,
}

/// The entities of the version being built, before anything is written.
#[derive(Default)]
struct Plan {
    /// Records that already exist in the store.
    known: Vec<i64>,
    /// Contents the base version does not have (they may still exist in older versions).
    new: Vec<Prepared>,
}

impl Store {
    /// Import a list version from a stream of records, in one transaction.
    ///
    /// - If `draft.sha256` equals that of any version of the dataset, nothing is read or
    ///   written and that version is returned with `created: false`.
    /// - [`ImportMode::Full`]: the new version holds exactly the streamed entities; records
    ///   with the same id are merged ([`Entity::merge`]); a [`ListRecord::Delete`] is an error.
    /// - [`ImportMode::Delta`]: the new version is the latest version with the streamed
    ///   entities replacing (or adding) theirs and the deletes applied, in stream order.
    ///   Deleting an id that is not there is an error ([`StoreError::UnknownDelete`]): a delta
    ///   that does not fit its base must not be applied half-way.
    ///
    /// Any error — from the stream, a bad record or the database — rolls everything back: the
    /// store is exactly as before. The whole list is held in memory while it is read, and the
    /// iterator is driven on the calling task (parsing is CPU work: a server should import
    /// from a task that may block).
    pub async fn import<I, E>(
        &self,
        draft: NewVersion,
        records: I,
    ) -> Result<ImportOutcome, StoreError>
    where
        I: IntoIterator<Item = Result<ListRecord, E>>,
        E: std::error::Error + Send + Sync + 'static,
    {
        let started = std::time::Instant::now();
        validate(&draft)?;
        let dataset = draft.dataset.as_str();
        let mut tx = self.begin_write(dataset).await?;
        if let Some(existing) = tx.version_with_input(dataset, &draft.sha256).await? {
            tx.rollback(dataset).await?;
            tracing::info!(dataset, version = existing.id, "input already imported");
            return Ok(ImportOutcome {
                version: existing,
                created: false,
            });
        }
        let latest = tx.latest_version(dataset).await?;
        let base = match &latest {
            Some(l) => tx.membership(l.id).await?,
            None => Vec::new(),
        };
        let mut plan = match draft.mode {
            ImportMode::Full => plan_full(dataset, &base, records)?,
            ImportMode::Delta => plan_delta(dataset, &base, records)?,
        };
        // In hash order, the unique index on `hash` is filled front to back (measured: 15 %
        // less time inserting the records of a first import).
        sort_by_hash(&mut plan.new);

        let mut record_ids = plan.known;
        let stored = tx.store_records(&mut plan.new).await?;
        let mut references = Vec::new();
        let mut new_records = 0;
        for (p, &(id, inserted)) in plan.new.iter().zip(&stored) {
            record_ids.push(id);
            if inserted {
                new_records += 1;
                references.extend(
                    p.references
                        .iter()
                        .map(|(prop, target)| (target.as_str(), id, prop.as_str())),
                );
            }
        }
        tx.insert_references(&references).await?;
        drop(references);
        let written = plan.new.len();
        // What is left of the records (ids, hashes, references: a quarter of a million small
        // allocations for a whole SDN list) is freed on another thread while the version is
        // linked and committed. If no thread can be started, the closure is dropped here.
        let garbage = (plan.new, base);
        let _ = std::thread::Builder::new()
            .name("import-free".into())
            .spawn(move || drop(garbage));

        let now = Utc::now();
        let imported_at = DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now);
        let mut version = ListVersion {
            id: 0,
            dataset: draft.dataset.clone(),
            format: draft.format,
            published: draft.published,
            imported_at,
            sha256: draft.sha256,
            entity_count: record_ids.len() as i64,
            files: draft.files,
        };
        version.id = tx.insert_version(&version).await?;
        record_ids.sort_unstable();
        tx.insert_membership(version.id, &record_ids).await?;
        tx.commit(dataset).await?;
        self.refresh_statistics(written).await;
        tracing::info!(
            dataset,
            version = version.id,
            entities = version.entity_count,
            new_records,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "imported list version"
        );
        Ok(ImportOutcome {
            version,
            created: true,
        })
    }

    /// After a large import on PostgreSQL, refresh the planner's statistics: freshly loaded
    /// tables have none, and the planner then hash-joins all of `version_entities` to look up
    /// one entity (measured: 18 ms instead of 0.1 ms per `entity()` until autovacuum gets
    /// round to it). SQLite's planner needs no statistics for these index lookups.
    async fn refresh_statistics(&self, new_records: usize) {
        const LARGE_IMPORT: usize = 1_000;
        if let Pool::Postgres(pool) = &self.pool
            && new_records >= LARGE_IMPORT
        {
            const SQL: &str =
                "ANALYZE list_versions, entity_records, version_entities, entity_references";
            // The import is committed: a failure here only delays good plans until autovacuum.
            if let Err(e) = sqlx::query(SQL).execute(pool).await {
                tracing::warn!(error = %e, "could not refresh planner statistics after import");
            }
        }
    }

    /// Begin the import transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so that two imports queue instead of failing on a stale read snapshot.
    async fn begin_write(&self, dataset: &str) -> Result<Tx, StoreError> {
        let context = || format!("starting the import of {dataset}");
        Ok(match &self.pool {
            Pool::Sqlite(pool) => Tx::Sqlite(
                pool.begin_with("BEGIN IMMEDIATE")
                    .await
                    .map_err(db(context()))?,
            ),
            Pool::Postgres(pool) => Tx::Postgres(pool.begin().await.map_err(db(context()))?),
        })
    }
}

fn validate(draft: &NewVersion) -> Result<(), StoreError> {
    let invalid = |reason: &str| {
        Err(StoreError::InvalidDraft {
            reason: reason.to_string(),
        })
    };
    if draft.dataset.trim().is_empty() {
        return invalid("the dataset name is empty");
    }
    if draft.format.trim().is_empty() {
        return invalid("the format name is empty");
    }
    if draft.sha256.trim().is_empty() {
        return invalid("the input sha256 is empty");
    }
    Ok(())
}

/// Read a record of the stream, turning its error into a [`StoreError::Record`].
fn read_record<E>(
    dataset: &str,
    index: usize,
    record: Result<ListRecord, E>,
) -> Result<ListRecord, StoreError>
where
    E: std::error::Error + Send + Sync + 'static,
{
    let record = record.map_err(|e| StoreError::Record {
        dataset: dataset.to_string(),
        index,
        source: Box::new(e),
    })?;
    if let ListRecord::Entity(e) = &record
        && e.id.trim().is_empty()
    {
        return Err(StoreError::InvalidRecord {
            dataset: dataset.to_string(),
            index,
            reason: format!("a {} entity has an empty id", e.schema),
        });
    }
    Ok(record)
}

/// Sort records by hash: on the first eight bytes of the hash first, moving indices rather than
/// the records themselves.
fn sort_by_hash(records: &mut Vec<Prepared>) {
    let prefix = |hash: &str| {
        let mut key = [0u8; 8];
        let n = hash.len().min(8);
        key[..n].copy_from_slice(&hash.as_bytes()[..n]);
        u64::from_be_bytes(key)
    };
    let mut order: Vec<(u64, usize)> = records
        .iter()
        .enumerate()
        .map(|(i, r)| (prefix(&r.hash), i))
        .collect();
    order.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| records[a.1].hash.cmp(&records[b.1].hash))
    });
    let mut slots: Vec<Option<Prepared>> = std::mem::take(records).into_iter().map(Some).collect();
    *records = order.iter().filter_map(|&(_, i)| slots[i].take()).collect();
}

/// Split prepared entities into those whose content the base version already holds and new
/// contents.
fn classify(base: &[Member], prepared: Vec<Prepared>, plan: &mut Plan) {
    let by_hash: HashMap<&str, i64> = base
        .iter()
        .map(|m| (m.hash.as_str(), m.record_id))
        .collect();
    for prepared in prepared {
        match by_hash.get(prepared.hash.as_str()) {
            Some(&id) => plan.known.push(id),
            None => plan.new.push(prepared),
        }
    }
}

/// Serialise and hash every entity, on all cores for a large list: every entity has to be
/// hashed to know whether it changed, and on a whole SDN list that is a quarter of the import.
/// The entities are consumed (and freed) by the workers.
fn prepare_all(mut entities: Vec<Entity>) -> Vec<Prepared> {
    const PARALLEL_FROM: usize = 4_096;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || entities.len() < PARALLEL_FROM {
        return entities.into_iter().map(Prepared::new).collect();
    }
    let total = entities.len();
    let chunk = total.div_ceil(threads);
    let mut parts = Vec::with_capacity(threads);
    while entities.len() > chunk {
        let rest = entities.split_off(chunk);
        parts.push(std::mem::replace(&mut entities, rest));
    }
    parts.push(entities);
    std::thread::scope(|scope| {
        let workers: Vec<_> = parts
            .into_iter()
            .map(|part| {
                scope.spawn(move || part.into_iter().map(Prepared::new).collect::<Vec<_>>())
            })
            .collect();
        let mut all = Vec::with_capacity(total);
        for worker in workers {
            match worker.join() {
                Ok(part) => all.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        all
    })
}

fn plan_full<I, E>(dataset: &str, base: &[Member], records: I) -> Result<Plan, StoreError>
where
    I: IntoIterator<Item = Result<ListRecord, E>>,
    E: std::error::Error + Send + Sync + 'static,
{
    // Every id seen, and the records of an id after its first, to be merged into it.
    let mut seen: HashSet<String> = HashSet::new();
    let mut later: Vec<Entity> = Vec::new();
    let mut prepared = std::thread::scope(|scope| {
        let mut pipeline = Pipeline::new(scope);
        for (index, record) in records.into_iter().enumerate() {
            match read_record(dataset, index, record)? {
                ListRecord::Entity(e) => {
                    if seen.contains(e.id.as_str()) {
                        later.push(e);
                    } else {
                        seen.insert(e.id.clone());
                        pipeline.push(e);
                    }
                }
                ListRecord::Delete(entity_id) => {
                    return Err(StoreError::DeleteInFullImport {
                        dataset: dataset.to_string(),
                        index,
                        entity_id,
                    });
                }
            }
        }
        Ok(pipeline.finish())
    })?;
    drop(seen);
    if !later.is_empty() {
        prepared = merge_repeated(dataset, prepared, later)?;
    }
    let mut plan = Plan::default();
    classify(base, prepared, &mut plan);
    Ok(plan)
}

/// Merge the later records of repeated ids into their first ([`Entity::merge`], in stream
/// order) and prepare the merged entities again. The first record was prepared (and freed) while
/// the stream was still being read; it is read back from its body, which holds all of it.
fn merge_repeated(
    dataset: &str,
    prepared: Vec<Prepared>,
    later: Vec<Entity>,
) -> Result<Vec<Prepared>, StoreError> {
    let repeated: HashSet<&str> = later.iter().map(|e| e.id.as_str()).collect();
    let (firsts, mut out): (Vec<Prepared>, Vec<Prepared>) = prepared
        .into_iter()
        .partition(|p| repeated.contains(p.entity_id.as_str()));
    let mut merged: BTreeMap<String, Entity> = BTreeMap::new();
    for p in firsts {
        let entity: Entity =
            serde_json::from_str(&p.body).map_err(|e| StoreError::InvalidRecord {
                dataset: dataset.to_string(),
                index: 0,
                reason: format!(
                    "entity {} could not be read back to merge: {e}",
                    p.entity_id
                ),
            })?;
        merged.insert(p.entity_id, entity);
    }
    for e in &later {
        if let Some(first) = merged.get_mut(&e.id) {
            first.merge(e);
        }
    }
    drop(repeated);
    out.extend(merged.into_values().map(Prepared::new));
    Ok(out)
}

/// Entities are prepared ([`Prepared::new`]) on worker threads while the stream is still being
/// read: serialising, hashing and freeing the entities of a whole SDN list costs about as much
/// as parsing it, and the two now overlap. A stream shorter than one batch is prepared on the
/// calling thread.
struct Pipeline<'scope, 'env> {
    scope: &'scope std::thread::Scope<'scope, 'env>,
    batch: Vec<Entity>,
    senders: Vec<std::sync::mpsc::Sender<Vec<Entity>>>,
    workers: Vec<std::thread::ScopedJoinHandle<'scope, Vec<Prepared>>>,
    next: usize,
}

impl<'scope, 'env> Pipeline<'scope, 'env> {
    /// Entities per message to a worker.
    const BATCH: usize = 1_024;

    fn new(scope: &'scope std::thread::Scope<'scope, 'env>) -> Self {
        Pipeline {
            scope,
            batch: Vec::with_capacity(Self::BATCH),
            senders: Vec::new(),
            workers: Vec::new(),
            next: 0,
        }
    }

    fn push(&mut self, entity: Entity) {
        self.batch.push(entity);
        if self.batch.len() == Self::BATCH {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(Self::BATCH));
            self.send(batch);
        }
    }

    fn send(&mut self, batch: Vec<Entity>) {
        if self.senders.is_empty() {
            let threads = std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(8);
            for _ in 0..threads {
                let (sender, receiver) = std::sync::mpsc::channel::<Vec<Entity>>();
                self.senders.push(sender);
                self.workers.push(self.scope.spawn(move || {
                    let mut out = Vec::new();
                    for batch in receiver {
                        out.extend(batch.into_iter().map(Prepared::new));
                    }
                    out
                }));
            }
        }
        let i = self.next % self.senders.len();
        self.next += 1;
        if let Err(unsent) = self.senders[i].send(batch) {
            // The worker is gone (it panicked): prepare here; the panic resurfaces on join.
            self.batch.extend(unsent.0);
        }
    }

    /// Everything pushed, prepared (in no particular order).
    fn finish(mut self) -> Vec<Prepared> {
        let mut out: Vec<Prepared> = std::mem::take(&mut self.batch)
            .into_iter()
            .map(Prepared::new)
            .collect();
        self.senders.clear();
        for worker in self.workers {
            match worker.join() {
                Ok(part) => out.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        out
    }
}

fn plan_delta<I, E>(dataset: &str, base: &[Member], records: I) -> Result<Plan, StoreError>
where
    I: IntoIterator<Item = Result<ListRecord, E>>,
    E: std::error::Error + Send + Sync + 'static,
{
    let in_base: HashSet<&str> = base.iter().map(|m| m.entity_id.as_str()).collect();
    // `Some`: the entity as the delta leaves it; `None`: deleted.
    let mut changes: BTreeMap<String, Option<Entity>> = BTreeMap::new();
    for (index, record) in records.into_iter().enumerate() {
        match read_record(dataset, index, record)? {
            ListRecord::Entity(e) => match changes.entry(e.id.clone()) {
                Entry::Occupied(mut o) => match o.get_mut() {
                    Some(existing) => existing.merge(&e),
                    slot @ None => *slot = Some(e),
                },
                Entry::Vacant(v) => {
                    v.insert(Some(e));
                }
            },
            ListRecord::Delete(entity_id) => {
                let present = match changes.get(&entity_id) {
                    Some(state) => state.is_some(),
                    None => in_base.contains(entity_id.as_str()),
                };
                if !present {
                    return Err(StoreError::UnknownDelete {
                        dataset: dataset.to_string(),
                        index,
                        entity_id,
                    });
                }
                changes.insert(entity_id, None);
            }
        }
    }
    let mut plan = Plan::default();
    plan.known.extend(
        base.iter()
            .filter(|m| !changes.contains_key(&m.entity_id))
            .map(|m| m.record_id),
    );
    classify(
        base,
        prepare_all(changes.into_values().flatten().collect()),
        &mut plan,
    );
    Ok(plan)
}

/// The import transaction on either backend.
enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Run `$body` with `$conn` bound to the transaction's connection (`&mut **$conn` is the
/// executor), compiled once per backend.
macro_rules! with_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            Tx::Sqlite($conn) => $body,
            Tx::Postgres($conn) => $body,
        }
    };
}

/// Rows per `UNNEST` statement on PostgreSQL: large enough to amortise round trips, small
/// enough to keep one message to a few megabytes.
const PG_ROWS_PER_STATEMENT: usize = 5_000;

impl Tx {
    async fn commit(self, dataset: &str) -> Result<(), StoreError> {
        with_tx!(self, tx => tx.commit().await)
            .map_err(db(format!("committing the import of {dataset}")))
    }

    async fn rollback(self, dataset: &str) -> Result<(), StoreError> {
        with_tx!(self, tx => tx.rollback().await)
            .map_err(db(format!("ending the import of {dataset}")))
    }

    async fn latest_version(&mut self, dataset: &str) -> Result<Option<ListVersion>, StoreError> {
        let row: Option<VersionRow> = with_tx!(self, tx => {
            sqlx::query_as(LATEST_OF_DATASET).bind(dataset).fetch_optional(&mut **tx).await
        })
        .map_err(db(format!("finding the latest version of {dataset}")))?;
        row.map(VersionRow::into_version).transpose()
    }

    /// A version of the dataset imported from exactly this input (the earliest, if several).
    async fn version_with_input(
        &mut self,
        dataset: &str,
        sha256: &str,
    ) -> Result<Option<ListVersion>, StoreError> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM list_versions WHERE dataset = $1 AND sha256 = $2 \
             ORDER BY id LIMIT 1"
        );
        let row: Option<VersionRow> = with_tx!(self, tx => {
            sqlx::query_as(&sql).bind(dataset).bind(sha256).fetch_optional(&mut **tx).await
        })
        .map_err(db(format!(
            "looking for an earlier import of the same {dataset} input"
        )))?;
        row.map(VersionRow::into_version).transpose()
    }

    async fn membership(&mut self, version_id: i64) -> Result<Vec<Member>, StoreError> {
        const SQL: &str = "SELECT r.entity_id, r.id AS record_id, r.hash FROM version_entities ve \
             JOIN entity_records r ON r.id = ve.record_id WHERE ve.version_id = $1";
        with_tx!(self, tx => sqlx::query_as(SQL).bind(version_id).fetch_all(&mut **tx).await)
            .map_err(db(format!("loading the entities of version {version_id}")))
    }

    /// Store new contents, skipping those an older version already stored. Returns, for each
    /// record in order, its id and whether it was inserted now (only those get their references
    /// indexed). On SQLite the bodies are moved into the statements (left empty in `records`).
    async fn store_records(
        &mut self,
        records: &mut [Prepared],
    ) -> Result<Vec<(i64, bool)>, StoreError> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let count = records.len();
        let context = || format!("storing {count} entity records");
        match self {
            Tx::Sqlite(tx) => {
                // The write lock is held (`BEGIN IMMEDIATE`), so the ids SQLite will give the new
                // rows are known (one past the largest, in insertion order), and nothing has to
                // be returned and matched up by hash.
                const LAST_ID: &str = "SELECT COALESCE(MAX(id), 0) FROM entity_records";
                let mut last: i64 = sqlx::query_scalar(LAST_ID)
                    .fetch_one(&mut **tx)
                    .await
                    .map_err(db(context()))?;
                // Contents an older version stored are linked, not inserted again (an empty
                // store has none).
                let existing = if last == 0 {
                    HashMap::new()
                } else {
                    let hashes: Vec<&str> = records.iter().map(|r| r.hash.as_str()).collect();
                    find_records_sqlite(tx, &hashes).await?
                };
                let mut stored: Vec<(i64, bool)> = Vec::with_capacity(records.len());
                for (i, r) in records.iter().enumerate() {
                    let row = match existing.get(r.hash.as_str()) {
                        Some(&id) => (id, false),
                        // The same content twice (the records are in hash order): one row.
                        None if i > 0 && records[i - 1].hash == r.hash => (stored[i - 1].0, false),
                        None => {
                            last += 1;
                            (last, true)
                        }
                    };
                    stored.push(row);
                }
                insert_records_sqlite(tx, records, &stored)
                    .await
                    .map_err(db(context()))?;
                Ok(stored)
            }
            Tx::Postgres(tx) => {
                const SQL: &str = "INSERT INTO entity_records (hash, entity_id, schema, body) \
                     SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[]) \
                     ON CONFLICT (hash) DO NOTHING RETURNING id, hash";
                let mut inserted = HashMap::with_capacity(records.len());
                for chunk in records.chunks(PG_ROWS_PER_STATEMENT) {
                    let hashes: Vec<&str> = chunk.iter().map(|r| r.hash.as_str()).collect();
                    let entity_ids: Vec<&str> =
                        chunk.iter().map(|r| r.entity_id.as_str()).collect();
                    let schemata: Vec<&str> = chunk.iter().map(|r| r.schema).collect();
                    let bodies: Vec<&str> = chunk.iter().map(|r| r.body.as_str()).collect();
                    let rows = sqlx::query_as::<_, (i64, String)>(SQL)
                        .bind(hashes)
                        .bind(entity_ids)
                        .bind(schemata)
                        .bind(bodies)
                        .fetch_all(&mut **tx)
                        .await
                        .map_err(db(context()))?;
                    inserted.extend(rows.into_iter().map(|(id, hash)| (hash, id)));
                }
                // A content that exists already, from an older version, was skipped.
                let missing: Vec<&str> = records
                    .iter()
                    .map(|r| r.hash.as_str())
                    .filter(|h| !inserted.contains_key(*h))
                    .collect();
                let existing = find_records_postgres(tx, &missing).await?;
                records
                    .iter()
                    .map(|r| {
                        if let Some(&id) = inserted.get(&r.hash) {
                            Ok((id, true))
                        } else if let Some(&id) = existing.get(&r.hash) {
                            Ok((id, false))
                        } else {
                            Err(StoreError::Database {
                                context: format!("storing record {}", r.hash),
                                source: sqlx::Error::RowNotFound,
                            })
                        }
                    })
                    .collect()
            }
        }
    }

    /// Index the entity-typed values of new records: `(target id, record id, property)`.
    async fn insert_references(&mut self, refs: &[(&str, i64, &str)]) -> Result<(), StoreError> {
        let context = || format!("indexing {} entity references", refs.len());
        match self {
            Tx::Sqlite(tx) => {
                // In key order, the table (a `WITHOUT ROWID` b-tree on all three columns) is
                // filled front to back instead of at random places.
                // The references come in record order and, within a record, in property order:
                // a stable sort on the target alone puts them in key order.
                let mut refs = refs.to_vec();
                refs.sort_by(|a, b| a.0.cmp(b.0));
                let insert = |rows: usize| {
                    format!(
                        "INSERT INTO entity_references (target_id, record_id, property) \
                         VALUES {} ON CONFLICT DO NOTHING",
                        sqlite_value_tuples(rows, 3)
                    )
                };
                let full = insert(SQLITE_INSERT_ROWS);
                for chunk in refs.chunks(SQLITE_INSERT_ROWS) {
                    let reused = chunk.len() == SQLITE_INSERT_ROWS;
                    let sql = if reused {
                        std::borrow::Cow::Borrowed(full.as_str())
                    } else {
                        std::borrow::Cow::Owned(insert(chunk.len()))
                    };
                    let mut q = sqlx::query(&sql).persistent(reused);
                    for (target, record, property) in chunk {
                        q = q.bind(*target).bind(*record).bind(*property);
                    }
                    q.execute(&mut **tx).await.map_err(db(context()))?;
                }
            }
            Tx::Postgres(tx) => {
                const SQL: &str = "INSERT INTO entity_references (target_id, record_id, property) \
                     SELECT * FROM UNNEST($1::text[], $2::bigint[], $3::text[]) \
                     ON CONFLICT DO NOTHING";
                for chunk in refs.chunks(PG_ROWS_PER_STATEMENT * 4) {
                    let targets: Vec<&str> = chunk.iter().map(|r| r.0).collect();
                    let records: Vec<i64> = chunk.iter().map(|r| r.1).collect();
                    let properties: Vec<&str> = chunk.iter().map(|r| r.2).collect();
                    sqlx::query(SQL)
                        .bind(targets)
                        .bind(records)
                        .bind(properties)
                        .execute(&mut **tx)
                        .await
                        .map_err(db(context()))?;
                }
            }
        }
        Ok(())
    }

    async fn insert_version(&mut self, v: &ListVersion) -> Result<i64, StoreError> {
        const SQL: &str = "INSERT INTO list_versions (dataset, format, published, \
             effective_date, imported_at, sha256, entity_count, files) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
        let files = serde_json::to_string(&v.files).unwrap_or_else(|_| "[]".to_string());
        let effective = v.effective_date();
        with_tx!(self, tx => {
            sqlx::query_scalar(SQL)
                .bind(&v.dataset)
                .bind(&v.format)
                .bind(v.published)
                .bind(effective)
                .bind(v.imported_at)
                .bind(&v.sha256)
                .bind(v.entity_count)
                .bind(&files)
                .fetch_one(&mut **tx)
                .await
        })
        .map_err(db(format!("recording the new version of {}", v.dataset)))
    }

    /// Link the version to its records, in one statement per backend.
    async fn insert_membership(
        &mut self,
        version_id: i64,
        records: &[i64],
    ) -> Result<(), StoreError> {
        let context = || format!("linking {} entities to version {version_id}", records.len());
        match self {
            Tx::Sqlite(tx) => {
                const SQL: &str = "INSERT INTO version_entities (version_id, record_id) \
                     SELECT $1, value FROM json_each($2)";
                let ids = serde_json::to_string(records).unwrap_or_else(|_| "[]".to_string());
                sqlx::query(SQL)
                    .bind(version_id)
                    .bind(ids)
                    .execute(&mut **tx)
                    .await
                    .map_err(db(context()))?;
            }
            Tx::Postgres(tx) => {
                const SQL: &str = "INSERT INTO version_entities (version_id, record_id) \
                     SELECT $1, UNNEST($2::bigint[])";
                sqlx::query(SQL)
                    .bind(version_id)
                    .bind(records)
                    .execute(&mut **tx)
                    .await
                    .map_err(db(context()))?;
            }
        }
        Ok(())
    }
}

/// The ids of existing records by hash, the list bound as one parameter.
async fn find_records_sqlite(
    conn: &mut SqliteConnection,
    hashes: &[&str],
) -> Result<HashMap<String, i64>, StoreError> {
    // Each element probes the unique index on `hash` (`IN (SELECT …)` would first copy the
    // whole list into a temporary index).
    const SQL: &str = "SELECT r.id, r.hash FROM json_each($1) AS j \
         CROSS JOIN entity_records AS r ON r.hash = j.value";
    let list = serde_json::to_string(hashes).unwrap_or_else(|_| "[]".to_string());
    let rows: Vec<(i64, String)> = sqlx::query_as(SQL)
        .bind(list)
        .fetch_all(conn)
        .await
        .map_err(db(format!(
            "looking up {} existing entity records",
            hashes.len()
        )))?;
    Ok(rows.into_iter().map(|(id, hash)| (hash, id)).collect())
}

/// The ids of existing records by hash, the list bound as one array.
async fn find_records_postgres(
    conn: &mut PgConnection,
    hashes: &[&str],
) -> Result<HashMap<String, i64>, StoreError> {
    if hashes.is_empty() {
        return Ok(HashMap::new());
    }
    const SQL: &str = "SELECT id, hash FROM entity_records WHERE hash = ANY($1)";
    let rows: Vec<(i64, String)> = sqlx::query_as(SQL)
        .bind(hashes)
        .fetch_all(conn)
        .await
        .map_err(db(format!(
            "looking up {} existing entity records",
            hashes.len()
        )))?;
    Ok(rows.into_iter().map(|(id, hash)| (hash, id)).collect())
}

/// Insert the records marked new in `stored`, in multi-row statements. SQLite gives them the ids
/// `stored` expects (one past the largest, in insertion order: the write lock is held), which
/// is checked. Their bodies are moved into the statements: the driver would otherwise copy each.
async fn insert_records_sqlite(
    conn: &mut SqliteConnection,
    records: &mut [Prepared],
    stored: &[(i64, bool)],
) -> Result<(), sqlx::Error> {
    const COLUMNS: usize = 4;
    let mut rows: Vec<(&str, &str, &'static str, String)> = records
        .iter_mut()
        .zip(stored)
        .filter(|(_, (_, new))| *new)
        .map(|(r, _)| {
            let body = std::mem::take(&mut r.body);
            (r.hash.as_str(), r.entity_id.as_str(), r.schema, body)
        })
        .collect();
    let Some(&(expected_last, _)) = stored.iter().rev().find(|(_, new)| *new) else {
        return Ok(());
    };
    let insert = |rows: usize| {
        format!(
            "INSERT INTO entity_records (hash, entity_id, schema, body) VALUES {}",
            sqlite_value_tuples(rows, COLUMNS)
        )
    };
    let full = insert(SQLITE_INSERT_ROWS);
    for chunk in rows.chunks_mut(SQLITE_INSERT_ROWS) {
        let reused = chunk.len() == SQLITE_INSERT_ROWS;
        let sql = if reused {
            std::borrow::Cow::Borrowed(full.as_str())
        } else {
            std::borrow::Cow::Owned(insert(chunk.len()))
        };
        let mut q = sqlx::query(&sql).persistent(reused);
        for (hash, entity_id, schema, body) in chunk {
            q = q
                .bind(*hash)
                .bind(*entity_id)
                .bind(*schema)
                .bind(std::mem::take(body));
        }
        q.execute(&mut *conn).await?;
    }
    const LAST_ID: &str = "SELECT MAX(id) FROM entity_records";
    let last: Option<i64> = sqlx::query_scalar(LAST_ID).fetch_one(&mut *conn).await?;
    if last != Some(expected_last) {
        return Err(sqlx::Error::Protocol(format!(
            "entity records were given ids up to {last:?}, {expected_last} was expected"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::Schema;

    #[test]
    fn prepared_hash_is_the_content_hash() {
        let mut e = Entity::new("ofac-1", Schema::named("Sanction"));
        e.set("entity", "ofac-9760", Some("sdn.csv:ent_num"));
        e.set("program", "BELARUS", Some("sdn.csv:program"));
        let p = Prepared::new(e.clone());
        assert_eq!(p.hash, e.content_hash());
        assert_eq!(
            p.references,
            vec![("entity".to_string(), "ofac-9760".to_string())]
        );
    }

    fn person(id: &str, property: &str, value: &str) -> Entity {
        let mut e = Entity::new(id, Schema::named("Person"));
        e.set(property, value, Some("sdn.csv:name"));
        e
    }

    #[test]
    fn repeated_ids_are_merged_across_batches() {
        // More than one batch, so that records are prepared on workers while the stream is
        // read; repeats of an id already prepared, of one still in the last batch, and a third
        // record of an id.
        let n = Pipeline::BATCH * 3 + 7;
        let mut records: Vec<Entity> = (0..n)
            .map(|i| person(&format!("e-{i}"), "name", &format!("NAME {i}")))
            .collect();
        for (k, i) in [0, 5, n - 1, 0].into_iter().enumerate() {
            records.push(person(&format!("e-{i}"), "alias", &format!("ALIAS {k}")));
        }
        let mut expected: BTreeMap<String, Entity> = BTreeMap::new();
        for e in &records {
            match expected.entry(e.id.clone()) {
                Entry::Occupied(mut o) => o.get_mut().merge(e),
                Entry::Vacant(v) => {
                    v.insert(e.clone());
                }
            }
        }
        let stream = records
            .into_iter()
            .map(|e| Ok::<_, std::io::Error>(ListRecord::Entity(e)));
        let plan = plan_full("d", &[], stream).expect("plan");
        let mut got: Vec<(String, String)> = plan
            .new
            .iter()
            .map(|p| (p.entity_id.clone(), p.hash.clone()))
            .collect();
        got.sort();
        let mut want: Vec<(String, String)> = expected
            .values()
            .map(|e| (e.id.clone(), e.content_hash()))
            .collect();
        want.sort();
        assert_eq!(got.len(), n);
        assert_eq!(got, want);
    }

    #[test]
    fn a_failing_stream_fails_the_plan_after_batches_were_sent() {
        let n = Pipeline::BATCH * 2 + 1;
        let stream = (0..n)
            .map(|i| Ok(ListRecord::Entity(person(&format!("e-{i}"), "name", "X"))))
            .chain([Err(std::io::Error::other("truncated file"))]);
        let err = plan_full("d", &[], stream).err().expect("an error");
        assert!(matches!(err, StoreError::Record { index, .. } if index == n));
    }

    #[test]
    fn records_are_sorted_by_hash() {
        let mut records: Vec<Prepared> = (0..500)
            .map(|i| Prepared::new(person(&format!("e-{i}"), "name", "X")))
            .collect();
        let mut want: Vec<String> = records.iter().map(|r| r.hash.clone()).collect();
        want.sort();
        sort_by_hash(&mut records);
        let got: Vec<String> = records.iter().map(|r| r.hash.clone()).collect();
        assert_eq!(got, want);
    }
}
