//! The immutable, read-only view of the lists that screening, the HTTP server and (later)
//! decisions share: a [`Snapshot`].
//!
//! A snapshot is built once, by [`Snapshot::build`], from the store for one [`View`] — the lists
//! as they stand now, or as they stood on a date — and never changes afterwards. It holds:
//! - the list versions it was built from, one per dataset ([`Snapshot::versions`]);
//! - the matching [`Index`] over every matchable entity of those versions (people,
//!   organisations, vessels, aircraft …), each with its dataset(s), topics and last-change
//!   date, with identity documents folded into their holders;
//! - the first-seen, last-seen and last-change dates of every indexed entity
//!   ([`Snapshot::dates`]), derived from the versions of its dataset as the store derives them;
//! - enough to render a result: every indexed entity as it was added ([`Snapshot::entity`]).
//!   Nested entities (sanctions, addresses, ownerships pointing at an entity) are not held:
//!   the store stays their source.
//!
//! A [`SnapshotHandle`] holds the snapshot in force. A list update builds a new snapshot beside
//! the old one and swaps it in atomically ([`SnapshotHandle::refresh`]); readers that loaded the
//! old one finish on it, and it is freed when the last of them drops it.
//!
//! Invariants:
//! - **Immutable.** No method takes `&mut self`; a snapshot is shared as `Arc<Snapshot>` and
//!   what a reader sees never changes under it.
//! - **One view, consistently.** The versions are read once, at the start of a build, and the
//!   entities and dates are read from exactly those versions, so an import that lands during a
//!   build cannot mix two versions of a dataset into one snapshot; it makes the snapshot stale
//!   ([`Snapshot::is_stale`]) and the next refresh picks it up.
//! - **Built beside, swapped whole.** A failed build leaves the snapshot in force untouched;
//!   there is never a moment without a snapshot once the first one is installed, nor a
//!   half-built one visible.
//! - **No HTTP, no wire shapes.** This crate depends on the model, the store and the matcher
//!   only. The server converts what it reads here into yente's JSON.
//!
//! - the ownership side ([`Snapshot::ownership`], module [`ownership`]): who is listed where,
//!   the ownership and control graph of the view, and every entity's derived status per
//!   jurisdiction (blocked by listing, by ownership, controlled, clear) computed once, so that
//!   [`Snapshot::ownership_status`] is a lookup and a proof a walk; caught up incrementally
//!   from the previous snapshot when the day is the same.
//!
//! What this crate does not do: import lists (the store and `interdict-sync` do), score names
//! (the matcher does), decide anything. A decision and the screening it cites read the
//! ownership graph and listed sets of the same snapshot, so they always come from one view.
//!
//! ```no_run
//! # async fn demo(store: interdict_store::Store) -> Result<(), interdict_snapshot::SnapshotError> {
//! use interdict_matching::{Options, Query};
//! use interdict_snapshot::{SnapshotHandle, View};
//!
//! let handle = SnapshotHandle::new(View::Current);
//! handle.refresh(&store).await?;
//! let snapshot = handle.load().expect("built");
//! let results = snapshot.index().search(&Query::person("Alexander Lukashenko"), &Options::default());
//! for m in &results {
//!     let dates = snapshot.dates(&m.entity_id);
//!     println!("{} {:.2} first seen {:?}", m.caption, m.score, dates.map(|d| d.first_seen));
//! }
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use arc_swap::ArcSwapOption;
use chrono::{DateTime, NaiveDate, Utc};
use futures_util::StreamExt;
use interdict_matching::{BuildError, EntityMeta, Index, IndexBuilder};
use interdict_model::{Entity, ListVersion, Schema};
use interdict_store::{EntityDates, Store, StoreError};

pub mod ownership;
pub use ownership::{OwnershipReport, OwnershipStatus, OwnershipView};

/// Which state of the lists a snapshot shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "view", content = "date")]
pub enum View {
    /// The latest version of every dataset: what screening runs against.
    Current,
    /// The version of every dataset in force on a date: "what did the lists say on D".
    AsOf(NaiveDate),
}

impl View {
    /// The versions this view is made of, as the store holds them now.
    pub async fn versions(self, store: &Store) -> Result<Vec<ListVersion>, StoreError> {
        match self {
            View::Current => store.current_versions().await,
            View::AsOf(d) => store.versions_as_of(d).await,
        }
    }
}

impl std::fmt::Display for View {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            View::Current => f.write_str("current"),
            View::AsOf(d) => write!(f, "as of {d}"),
        }
    }
}

/// Why a snapshot could not be built. The snapshot in force, if any, is unaffected.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    /// Reading versions, dates or entities from the store failed.
    #[error("reading the lists for a snapshot: {0}")]
    Store(#[from] StoreError),
    /// The matcher refused the entities.
    #[error("building the screening index: {0}")]
    Index(#[from] BuildError),
    /// The thread building the index died (a panic in the matcher).
    #[error("the index build was interrupted: {0}")]
    Interrupted(String),
}

/// One dataset of a snapshot: the version it was read from and how many entities it put in
/// the screening index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DatasetSummary {
    /// The dataset, named as OpenSanctions names it (`us_ofac_sdn`).
    pub name: String,
    /// The version of the dataset in the snapshot.
    pub version: ListVersion,
    /// Entities of the dataset in the screening index.
    pub indexed: u64,
}

/// The immutable view of the lists at one point: versions, screening index, entity dates.
///
/// See the crate documentation for its invariants. Fields are private so that only
/// [`Snapshot::build`] makes one; every part is reachable through an accessor.
#[derive(Debug)]
pub struct Snapshot {
    view: View,
    versions: Vec<ListVersion>,
    datasets: Vec<DatasetSummary>,
    index: Index,
    dates: HashMap<Box<str>, EntityDates>,
    ownership: OwnershipView,
    built_at: DateTime<Utc>,
    build_time: Duration,
    generation: u64,
}

/// Whether the matcher uses entities of this schema: matchable ones are indexed, identity
/// documents complete their holders. Everything else stays in the store.
fn feeds_index(schema: Schema) -> bool {
    schema.is_matchable() || Schema::get("Identification").is_some_and(|id| schema.is_a(id))
}

impl Snapshot {
    /// Build a snapshot of `view` from the store. The versions are read first; entities and
    /// dates come from exactly those versions. Entities stream from the store into an index
    /// builder on a blocking thread, so memory holds the index being built, not the lists.
    pub async fn build(store: &Store, view: View) -> Result<Snapshot, SnapshotError> {
        Snapshot::build_after(store, view, None).await
    }

    /// Build as [`Snapshot::build`] does, carrying the ownership assessments of `previous`
    /// over (and catching them up) when they answer for the same day.
    pub async fn build_after(
        store: &Store,
        view: View,
        previous: Option<&Snapshot>,
    ) -> Result<Snapshot, SnapshotError> {
        let started = Instant::now();
        let versions = view.versions(store).await?;
        let dates_by_dataset = store.entity_dates(&versions).await?;
        let mut ownership = OwnershipView::prepare(store, view, versions.clone()).await?;

        let (tx, mut rx) = tokio::sync::mpsc::channel::<(Entity, EntityMeta)>(2048);
        let aborted = Arc::new(AtomicBool::new(false));
        let builder_aborted = Arc::clone(&aborted);
        let builder = tokio::task::spawn_blocking(move || {
            let mut builder = IndexBuilder::new();
            while let Some((entity, meta)) = rx.blocking_recv() {
                builder.add(entity, meta);
            }
            if builder_aborted.load(Ordering::Acquire) {
                return Ok(None);
            }
            builder.build().map(Some)
        });

        let mut dates: HashMap<Box<str>, EntityDates> = HashMap::new();
        let fed: Result<(), SnapshotError> = async {
            for version in &versions {
                let dataset_dates = dates_by_dataset.get(&version.dataset);
                let mut entities = store.entities(version.id).await?;
                while let Some(entity) = entities.next().await {
                    let entity = entity?;
                    ownership.observe(version, &entity);
                    if !feeds_index(entity.schema) {
                        continue;
                    }
                    let entity_dates = dataset_dates.and_then(|d| d.get(&entity.id)).copied();
                    if let Some(d) = entity_dates {
                        dates
                            .entry(entity.id.as_str().into())
                            .and_modify(|known| {
                                known.first_seen = known.first_seen.min(d.first_seen);
                                known.last_seen = known.last_seen.max(d.last_seen);
                                known.last_change = known.last_change.max(d.last_change);
                            })
                            .or_insert(d);
                    }
                    let meta = EntityMeta {
                        datasets: vec![version.dataset.clone()],
                        last_change: entity_dates.and_then(|d| d.last_change.and_hms_opt(0, 0, 0)),
                        topics: Vec::new(),
                    };
                    if tx.send((entity, meta)).await.is_err() {
                        // The builder is gone: its join below reports why.
                        break;
                    }
                }
            }
            Ok(())
        }
        .await;
        if fed.is_err() {
            aborted.store(true, Ordering::Release);
        }
        drop(tx);
        let built = builder
            .await
            .map_err(|e| SnapshotError::Interrupted(e.to_string()))?;
        fed?;
        let index = built?.ok_or_else(|| SnapshotError::Interrupted("aborted".into()))?;
        let ownership = ownership
            .finish(
                store,
                Some(&dates_by_dataset),
                previous.map(Snapshot::ownership),
            )
            .await?;

        let counts: HashMap<&str, u64> = index.datasets().into_iter().collect();
        let datasets = versions
            .iter()
            .map(|v| DatasetSummary {
                name: v.dataset.clone(),
                version: v.clone(),
                indexed: counts.get(v.dataset.as_str()).copied().unwrap_or(0),
            })
            .collect();
        let snapshot = Snapshot {
            view,
            versions,
            datasets,
            index,
            dates,
            ownership,
            built_at: Utc::now(),
            build_time: started.elapsed(),
            generation: 0,
        };
        tracing::info!(
            view = %view,
            versions = %snapshot.label(),
            entities = snapshot.index.len(),
            build_ms = snapshot.build_time.as_millis() as u64,
            "snapshot built"
        );
        Ok(snapshot)
    }

    /// The view the snapshot shows.
    pub fn view(&self) -> View {
        self.view
    }

    /// The list versions it was built from, one per dataset, by dataset name: what every
    /// screening answered from it can cite.
    pub fn versions(&self) -> &[ListVersion] {
        &self.versions
    }

    /// Each dataset with its version and the number of entities it put in the index.
    pub fn datasets(&self) -> &[DatasetSummary] {
        &self.datasets
    }

    /// The screening index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The listed entity with this id (or one of its referents) as it was indexed, merged
    /// across datasets; `None` if the snapshot does not screen it.
    pub fn entity(&self, id: &str) -> Option<Entity> {
        self.index.entity(id)
    }

    /// First-seen, last-seen and last-change dates of an indexed entity (merged across its
    /// datasets: earliest first-seen, latest last-seen and last-change).
    pub fn dates(&self, id: &str) -> Option<&EntityDates> {
        self.dates.get(id)
    }

    /// When the snapshot was built.
    pub fn built_at(&self) -> DateTime<Utc> {
        self.built_at
    }

    /// How long building it took.
    pub fn build_time(&self) -> Duration {
        self.build_time
    }

    /// The number the handle gave the snapshot when installing it (1 for the first, then
    /// increasing); 0 for a snapshot never installed. Logs and metrics use it to tell
    /// snapshots apart.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// `dataset@version` for every version, e.g. `un_sc_sanctions@3,us_ofac_sdn@7`: a short
    /// identity of the view's content for logs and response headers.
    pub fn label(&self) -> String {
        let parts: Vec<String> = self
            .versions
            .iter()
            .map(|v| format!("{}@{}", v.dataset, v.id))
            .collect();
        parts.join(",")
    }

    /// Whether the store now holds other versions for this snapshot's view (an import
    /// landed, or a back-filled version changed what was in force on the date).
    pub async fn is_stale(&self, store: &Store) -> Result<bool, StoreError> {
        let now = self.view.versions(store).await?;
        Ok(!same_versions(&now, &self.versions))
    }
}

/// Whether two views are made of the same versions.
fn same_versions(a: &[ListVersion], b: &[ListVersion]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.id == y.id)
}

/// What [`SnapshotHandle::refresh`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refresh {
    /// The snapshot in force already shows the store's versions.
    UpToDate,
    /// A new snapshot was built and swapped in.
    Swapped {
        /// Its generation.
        generation: u64,
    },
}

/// The snapshot in force, swapped atomically: readers [`load`](SnapshotHandle::load) an
/// `Arc<Snapshot>` and keep it as long as they need; [`refresh`](SnapshotHandle::refresh)
/// builds a new one beside it and swaps. Empty until the first snapshot is installed, which
/// is what readiness reports.
#[derive(Debug)]
pub struct SnapshotHandle {
    view: View,
    current: ArcSwapOption<Snapshot>,
    generations: AtomicU64,
    /// Held while a snapshot is built, so that concurrent refreshes build once.
    building: tokio::sync::Mutex<()>,
}

impl SnapshotHandle {
    /// An empty handle for a view; nothing is built yet.
    pub fn new(view: View) -> SnapshotHandle {
        SnapshotHandle {
            view,
            current: ArcSwapOption::empty(),
            generations: AtomicU64::new(0),
            building: tokio::sync::Mutex::new(()),
        }
    }

    /// The view this handle keeps snapshots of.
    pub fn view(&self) -> View {
        self.view
    }

    /// The snapshot in force, if one was installed.
    pub fn load(&self) -> Option<Arc<Snapshot>> {
        self.current.load_full()
    }

    /// Whether a snapshot is installed (readiness).
    pub fn is_ready(&self) -> bool {
        self.current.load().is_some()
    }

    /// Install a snapshot built elsewhere, giving it the next generation; returns the one it
    /// replaces. Readers holding the old one are unaffected.
    pub fn install(&self, mut snapshot: Snapshot) -> Option<Arc<Snapshot>> {
        snapshot.generation = self.generations.fetch_add(1, Ordering::AcqRel) + 1;
        self.current.swap(Some(Arc::new(snapshot)))
    }

    /// Build a new snapshot if there is none yet or the one in force is stale, and swap it
    /// in. Concurrent calls wait for each other, so a burst of list updates builds once per
    /// change, not once per caller. On error the snapshot in force stays.
    pub async fn refresh(&self, store: &Store) -> Result<Refresh, SnapshotError> {
        let _building = self.building.lock().await;
        if let Some(current) = self.load()
            && !current.is_stale(store).await?
        {
            return Ok(Refresh::UpToDate);
        }
        let previous = self.load();
        let snapshot = Snapshot::build_after(store, self.view, previous.as_deref()).await?;
        self.install(snapshot);
        Ok(Refresh::Swapped {
            generation: self.generations.load(Ordering::Acquire),
        })
    }

    /// Build a new snapshot whether or not the one in force is stale (an operator's forced
    /// reindex), and swap it in.
    pub async fn rebuild(&self, store: &Store) -> Result<Refresh, SnapshotError> {
        let _building = self.building.lock().await;
        let snapshot = Snapshot::build(store, self.view).await?;
        self.install(snapshot);
        Ok(Refresh::Swapped {
            generation: self.generations.load(Ordering::Acquire),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_matching::{Options, Query};
    use interdict_store::testing::test_store;

    fn list(rel: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../data/lists")
            .join(rel)
    }

    async fn import(store: &Store, rel: &str, published: &str) -> ListVersion {
        let date = NaiveDate::parse_from_str(published, "%Y-%m-%d").ok();
        interdict_sync::import_files_with(
            store,
            interdict_lists::Format::OfacCsv,
            &[list(rel)],
            None,
            date,
        )
        .await
        .expect("import")
        .version
    }

    #[tokio::test]
    async fn builds_swaps_and_keeps_old_readers() {
        let store = test_store().await;
        let handle = SnapshotHandle::new(View::Current);
        assert!(!handle.is_ready());

        // An empty store still gives a (ready, empty) snapshot.
        assert_eq!(
            handle.refresh(&store).await.unwrap(),
            Refresh::Swapped { generation: 1 }
        );
        assert!(handle.load().unwrap().index().is_empty());

        let first = import(&store, "ofac/sdn_csv_2021-07", "2021-07-07").await;
        assert!(matches!(
            handle.refresh(&store).await.unwrap(),
            Refresh::Swapped { generation: 2 }
        ));
        let old = handle.load().unwrap();
        assert_eq!(old.versions(), std::slice::from_ref(&first));
        assert_eq!(old.datasets()[0].name, "us_ofac_sdn");
        assert!(old.datasets()[0].indexed > 8000);
        assert_eq!(handle.refresh(&store).await.unwrap(), Refresh::UpToDate);
        assert!(
            old.entity("ofac-32746").is_none(),
            "Belaruskali is not yet listed"
        );

        let second = import(
            &store,
            "ofac/sdn_csv_snapshots/sdn_2021-08-18.csv",
            "2021-08-18",
        )
        .await;
        assert!(old.is_stale(&store).await.unwrap());
        assert!(matches!(
            handle.refresh(&store).await.unwrap(),
            Refresh::Swapped { generation: 3 }
        ));
        let new = handle.load().unwrap();
        assert_eq!(new.generation(), 3);
        assert_eq!(new.label(), format!("us_ofac_sdn@{}", second.id));

        // The old snapshot still answers as before; the new one knows Belaruskali.
        let q = Query::organization("Belaruskali");
        assert!(
            old.index()
                .search(&q, &Options::default())
                .iter()
                .all(|m| m.entity_id != "ofac-32746")
        );
        let hits = new.index().search(&q, &Options::default());
        assert_eq!(
            hits.first().map(|m| m.entity_id.as_str()),
            Some("ofac-32746")
        );

        // Dates: Belaruskali first seen in the second version; Lukashenka first seen in the
        // first and unchanged since.
        let d = new.dates("ofac-32746").unwrap();
        assert_eq!(d.first_seen.to_string(), "2021-08-18");
        assert_eq!(d.last_change.to_string(), "2021-08-18");
        let l = new.dates("ofac-9760").unwrap();
        assert_eq!(l.first_seen.to_string(), "2021-07-07");
        assert_eq!(l.last_seen.to_string(), "2021-08-18");

        // The view as of a date before the second version is the first version.
        let past = Snapshot::build(
            &store,
            View::AsOf(NaiveDate::from_ymd_opt(2021, 8, 1).unwrap()),
        )
        .await
        .unwrap();
        assert_eq!(past.versions(), std::slice::from_ref(&first));
        assert!(past.entity("ofac-32746").is_none());
        assert_eq!(
            past.dates("ofac-9760").unwrap().last_seen.to_string(),
            "2021-07-07"
        );
    }
}
