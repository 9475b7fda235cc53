//! Ownership and control in a snapshot: who is listed where, the ownership graph of the view,
//! and every entity's derived status per jurisdiction, computed once so that a status is a
//! lookup and a proof a walk up a stored derivation.
//!
//! An [`OwnershipView`] is built from the store for a [`View`] (by [`Snapshot::build`], or on
//! its own by the CLI, which needs no screening index) and never changes afterwards.
//!
//! # What it reads
//!
//! * **Relations**: every `Ownership`, `Directorship`, `Family`, `Associate` and `UnknownLink`
//!   entity of the view's versions, read under `interdict_ownership::relation`'s conventions
//!   (OFAC Advanced XML "Owned or Controlled By", FtM files, registries), and every party
//!   (person, organisation, company, vessel …) with its caption. A relation held by two
//!   datasets under one id counts once.
//! * **Registries**: a dataset whose latest version was imported as a holdings CSV
//!   ([`REGISTRY_FORMAT`]) is the user's record of holdings, dated by the holdings' own
//!   start and end dates. It is read at its **latest version in every view**: "as of
//!   2021-05-15" means the lists as they stood that day and the holdings in force that day as
//!   the registry now records them (a registry imported today still says who held what in
//!   2021).
//! * **Listings**, from the `Sanction` entities of the list datasets ([`LIST_DATASETS`]):
//!   - `us_ofac_sdn` → US, blocking: every SDN is a blocked person, and the OFAC 50 % rule
//!     extends to what SDNs own;
//!   - `us_ofac_cons` → US, **not blocking**: OFAC's non-SDN lists (SSI, NS-MBS, NS-PLC, FSE,
//!     CAPTA, NS-CMIC …) impose specific prohibitions, not blocking, so they are kept as
//!     [`ListEntry`]s for the rules to read but are not in [`OwnershipView::listings`] and
//!     never make anything "blocked by listing" or "by ownership";
//!   - `eu_fsf` → EU, and `un_sc_sanctions` → EU as well (UN listings are implemented in EU
//!     law; programme `UN-<list>`);
//!   - `gb_hmt_sanctions` → UK, blocking under UK law, kept as [`ListEntry`]s: the ownership
//!     crate has no UK test yet, so no UK assessment is made.
//!
//!   A listing starts on the sanction's `listingDate` where the list gives one, else on the
//!   effective date of the first version of its dataset that holds the entity (the first day
//!   we know it was listed); it ends on the sanction's `endDate` if any. Entities of a view's
//!   versions are listed in that view; a delisted entity is simply absent.
//!
//! # Assessments
//!
//! For the view's day (today for [`View::Current`], the date for [`View::AsOf`]) the US and
//! EU assessments under the rule in force are computed when the view is built. Other
//! questions (another day, programmes, a measure that does not extend by ownership such as
//! OFAC's Belarus Directive 1) go through [`OwnershipView::assess`], computed once per scope
//! and kept. When a snapshot is rebuilt for the same day after a list or holding changed,
//! the previous view's graph and assessments are carried over and caught up with
//! `Assessment::update` from the differences (relations added, removed or changed, listings
//! added or removed); anything else (another day, a removed association, which the graph
//! cannot remove) is computed afresh. [`OwnershipView::build_kind`] and the log say which.
//!
//! # For the rules and the server
//!
//! [`Snapshot::ownership_status`] is the lookup a screening result or a decision cites;
//! [`OwnershipView::proof`] / [`OwnershipView::proof_in`] the proof; [`OwnershipView::entries`]
//! every listing of an entity in every list (blocking or not, US, EU, UN, UK);
//! [`OwnershipView::report`] the JSON that `interdict ownership --json` prints and
//! `GET /v1/ownership/{id}` returns; [`OwnershipView::derived`] the statuses by ownership or
//! control that a screening result shows. A measure with its own scope — programmes, another
//! day, or no extension by ownership (OFAC's Belarus Directive 1, FAQ 943) — is one
//! [`OwnershipView::assess`] away, computed once per snapshot and kept:
//!
//! ```no_run
//! # fn demo(snapshot: &interdict_snapshot::Snapshot) -> Result<(), interdict_ownership::OwnershipError> {
//! use interdict_ownership::{Jurisdiction, Scope, Status};
//! let view = snapshot.ownership();
//! // A status is a lookup; the proof a walk up the stored derivation.
//! if view.status("registry-polymir-trade-llc", Jurisdiction::Us) == Status::Owned {
//!     let proof = view.proof("registry-polymir-trade-llc", Jurisdiction::Us)?;
//!     println!("{}", proof.sentence);
//! }
//! // Directive 1: only the directive's listings count, and they do not extend by ownership.
//! let day = chrono::NaiveDate::from_ymd_opt(2022, 1, 10).unwrap_or_default();
//! let directive = Scope::new(Jurisdiction::Us, day)
//!     .programmes(["BELARUS-EO14038"])
//!     .not_extending_by_ownership();
//! let covered = view.status_in("registry-belagroprombank", &directive);
//! # let _ = covered; Ok(()) }
//! ```
//!
//! Listings of non-blocking lists (OFAC non-SDN) and of the UK are in
//! [`OwnershipView::entries`] only; a rule that needs them as a starting set builds its own
//! `ListedSet` from those entries and calls `Assessment::compute` on [`OwnershipView::graph`].

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use chrono::{NaiveDate, Utc};
use futures_util::StreamExt;
use interdict_model::{Entity, ListVersion, PartialDate};
use interdict_ownership::{
    Assessment, Change, Effect, GraphBuilder, Jurisdiction, ListedSet, Listing, OwnershipError,
    OwnershipGraph, Proof, Relation, Scope, Status, StatusChange, relation_from_entity,
};
use interdict_store::{Store, ViewDates};
use serde::Serialize;

use crate::{Snapshot, SnapshotError, View};

/// The `format` of a list version imported from a holdings CSV (`interdict import
/// holdings-csv`): datasets whose latest version has it are registries.
pub const REGISTRY_FORMAT: &str = "holdings-csv";

/// The jurisdictions assessed for every view.
pub const JURISDICTIONS: [Jurisdiction; 2] = [Jurisdiction::Us, Jurisdiction::Eu];

/// Whose list an entry is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ListAuthority {
    /// OFAC's SDN list: blocking.
    UsSdn,
    /// OFAC's non-SDN lists (SSI, NS-MBS, NS-PLC, FSE, CAPTA, NS-CMIC …): specific
    /// prohibitions, not blocking.
    UsNonSdn,
    /// The EU's consolidated financial sanctions list.
    Eu,
    /// The UN Security Council's consolidated list (implemented in EU and UK law).
    Un,
    /// The UK's consolidated list (HM Treasury / OFSI).
    Uk,
}

/// A list dataset and what its listings do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListDataset {
    /// The dataset name.
    pub dataset: &'static str,
    /// Whose list it is.
    pub authority: ListAuthority,
    /// The jurisdiction whose ownership assessment its listings start from, if any.
    pub assessed_in: Option<Jurisdiction>,
    /// Whether a listing freezes the person's funds and property.
    pub blocking: bool,
    /// Put before the list's programme (`UN-` for UN lists counted in the EU).
    pub programme_prefix: &'static str,
}

/// The lists whose entries are listings, and what each does (see the module documentation).
pub const LIST_DATASETS: &[ListDataset] = &[
    ListDataset {
        dataset: "us_ofac_sdn",
        authority: ListAuthority::UsSdn,
        assessed_in: Some(Jurisdiction::Us),
        blocking: true,
        programme_prefix: "",
    },
    ListDataset {
        dataset: "us_ofac_cons",
        authority: ListAuthority::UsNonSdn,
        assessed_in: None,
        blocking: false,
        programme_prefix: "",
    },
    ListDataset {
        dataset: "eu_fsf",
        authority: ListAuthority::Eu,
        assessed_in: Some(Jurisdiction::Eu),
        blocking: true,
        programme_prefix: "",
    },
    ListDataset {
        dataset: "un_sc_sanctions",
        authority: ListAuthority::Un,
        assessed_in: Some(Jurisdiction::Eu),
        blocking: true,
        programme_prefix: "UN-",
    },
    ListDataset {
        dataset: "gb_hmt_sanctions",
        authority: ListAuthority::Uk,
        assessed_in: None,
        blocking: true,
        programme_prefix: "",
    },
];

/// The list dataset of this name, if it is one.
pub fn list_dataset(name: &str) -> Option<&'static ListDataset> {
    LIST_DATASETS.iter().find(|d| d.dataset == name)
}

/// One entry of one entity on one list under one programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListEntry {
    /// The listed entity's id.
    pub entity: String,
    /// The dataset it is listed in.
    pub dataset: String,
    /// Whose list.
    pub authority: ListAuthority,
    /// The programme as the list writes it (with `UN-` for UN lists).
    pub programme: String,
    /// The first day of the listing: the listing date, else the first version that held it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// The last day, if the list gives an end date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// Whether the listing blocks the person's property.
    pub blocking: bool,
    /// The jurisdiction whose ownership assessment starts from it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessed_in: Option<Jurisdiction>,
}

/// How an ownership view was built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OwnershipBuild {
    /// Graph and assessments computed afresh.
    Full {
        /// Why not incrementally.
        reason: String,
    },
    /// Carried over from the previous view and caught up with `Assessment::update`.
    Incremental {
        /// Relation and listing changes applied.
        changes: usize,
        /// Entity states the updates touched, over both jurisdictions.
        touched: usize,
        /// Statuses that changed, over both jurisdictions.
        changed: usize,
    },
}

/// A list version the view read, for citing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VersionRef {
    /// The dataset.
    pub dataset: String,
    /// The version id.
    pub id: i64,
    /// Its effective date (publication date, else import date).
    pub effective_date: NaiveDate,
    /// Whether the dataset is a registry (read at its latest version in every view).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub registry: bool,
}

/// An entity's derived status in one jurisdiction, with its sentence: what a screening result
/// shows and a decision cites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnershipStatus {
    /// The entity id.
    pub entity: String,
    /// The jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// The day.
    pub as_of: NaiveDate,
    /// The status.
    pub status: Status,
    /// The status in words (`blocked by ownership`, `controlled — review`).
    pub status_text: String,
    /// What it means for a dealing.
    pub effect: Effect,
    /// The rule applied (`OFAC 50 Percent Rule`).
    pub rule: String,
    /// The proof in one sentence.
    pub sentence: String,
}

/// The answer to "what is this entity's status, and why": `interdict ownership --json` and
/// `GET /v1/ownership/{id}` give exactly this.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnershipReport {
    /// The entity id.
    pub entity: String,
    /// Its name, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// The day.
    pub as_of: NaiveDate,
    /// The programmes the question was restricted to, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    /// The status.
    pub status: Status,
    /// The status in words.
    pub status_text: String,
    /// What it means for a dealing.
    pub effect: Effect,
    /// The proof in one sentence.
    pub sentence: String,
    /// The entity's entries on every list (blocking or not), for context.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub list_entries: Vec<ListEntry>,
    /// Which state of the lists answered.
    pub view: View,
    /// The versions read.
    pub versions: Vec<VersionRef>,
    /// What the view lacks (a list with no version in force on the day).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<String>,
    /// The proof: paths, percentages, aggregation, listed owners, rule and threshold.
    pub proof: Proof,
}

/// A `Sanction` as read, before dates are settled.
#[derive(Debug, Clone)]
struct RawListing {
    entity: String,
    list: &'static ListDataset,
    programmes: Vec<String>,
    listed_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
}

/// Everything read from the view's versions.
#[derive(Debug, Default)]
struct Read {
    parties: BTreeMap<String, String>,
    relations: BTreeMap<String, Relation>,
    raw: Vec<RawListing>,
    /// Listed-topic parties of list datasets, with their programmes, for lists without
    /// `Sanction` entities.
    topical: Vec<(String, &'static ListDataset, Vec<String>)>,
    issues: usize,
    errors: usize,
}

const RELATION_SCHEMATA: &[&str] = &[
    "Ownership",
    "Directorship",
    "Family",
    "Associate",
    "UnknownLink",
];

impl Read {
    fn observe(&mut self, dataset: &str, entity: &Entity) {
        let list = list_dataset(dataset);
        let name = entity.schema.name();
        if name == "Sanction" {
            if let (Some(list), Some(target)) = (list, entity.first("entity")) {
                let programmes = entity.values("program").map(str::to_string).collect();
                let day = |p: &str, last: bool| {
                    entity
                        .values(p)
                        .filter_map(|v| v.parse::<PartialDate>().ok())
                        .map(|d| if last { d.last_day() } else { d.first_day() })
                        .min()
                };
                self.raw.push(RawListing {
                    entity: target.to_string(),
                    list,
                    programmes,
                    listed_on: day("listingDate", false).or_else(|| day("startDate", false)),
                    ends_on: day("endDate", true),
                });
            }
            return;
        }
        if RELATION_SCHEMATA.contains(&name) {
            if self.relations.contains_key(&entity.id) {
                return;
            }
            match relation_from_entity(entity) {
                Ok((relation, issues)) => {
                    self.issues += issues.len();
                    self.relations.insert(entity.id.clone(), relation);
                }
                Err(e) => {
                    self.errors += 1;
                    tracing::debug!(dataset, error = %e, "relation skipped");
                }
            }
            return;
        }
        if let Ok((Relation::Party { id, name }, _)) = relation_from_entity(entity) {
            if let Some(list) = list
                && entity.values("topics").any(|t| t == "sanction")
            {
                let programmes = entity.values("program").map(str::to_string).collect();
                self.topical.push((id.clone(), list, programmes));
            }
            self.parties.entry(id).or_insert(name);
        }
    }

    /// The listings: blocking ones in a [`ListedSet`], every one as a [`ListEntry`].
    fn listings(&self, dates: &ViewDates) -> (ListedSet, HashMap<String, Vec<ListEntry>>) {
        let mut raw = self.raw.clone();
        let sanctioned: HashSet<(&str, &str)> = self
            .raw
            .iter()
            .map(|r| (r.entity.as_str(), r.list.dataset))
            .collect();
        for (id, list, programmes) in &self.topical {
            if !sanctioned.contains(&(id.as_str(), list.dataset)) {
                raw.push(RawListing {
                    entity: id.clone(),
                    list,
                    programmes: programmes.clone(),
                    listed_on: None,
                    ends_on: None,
                });
            }
        }
        let mut set = ListedSet::new();
        let mut entries: HashMap<String, Vec<ListEntry>> = HashMap::new();
        for r in raw {
            let from = r.listed_on.or_else(|| {
                dates
                    .get(r.list.dataset)
                    .and_then(|d| d.get(&r.entity))
                    .map(|d| d.first_seen)
            });
            let programmes = if r.programmes.is_empty() {
                vec![r.list.dataset.to_string()]
            } else {
                r.programmes
            };
            for p in programmes {
                let programme = format!("{}{p}", r.list.programme_prefix);
                let entry = ListEntry {
                    entity: r.entity.clone(),
                    dataset: r.list.dataset.to_string(),
                    authority: r.list.authority,
                    programme: programme.clone(),
                    from,
                    to: r.ends_on,
                    blocking: r.list.blocking,
                    assessed_in: r.list.assessed_in,
                };
                let list = entries.entry(r.entity.clone()).or_default();
                if !list.contains(&entry) {
                    list.push(entry);
                }
                if let (true, Some(j)) = (r.list.blocking, r.list.assessed_in) {
                    let mut l = Listing::new(r.entity.clone(), j, programme);
                    l.from = from;
                    l.to = r.ends_on;
                    set.add(l);
                }
            }
        }
        (set, entries)
    }
}

/// The ownership side of a snapshot: graph, listings and assessments of one view. Immutable
/// once built (the cache of further scopes only memoises).
#[derive(Debug)]
pub struct OwnershipView {
    view: View,
    as_of: NaiveDate,
    versions: Vec<VersionRef>,
    gaps: Vec<String>,
    graph: OwnershipGraph,
    relations: BTreeMap<String, Relation>,
    listings: ListedSet,
    entries: HashMap<String, Vec<ListEntry>>,
    assessments: Vec<Assessment>,
    changed: Vec<(Jurisdiction, StatusChange)>,
    build: OwnershipBuild,
    scopes: Mutex<Vec<(Scope, Arc<Assessment>)>>,
    as_of_views: tokio::sync::Mutex<Vec<Arc<OwnershipView>>>,
}

/// The most further scopes (and further as-of views) kept per view.
const KEPT: usize = 8;

impl OwnershipView {
    /// Build the view of `view` from the store, carrying over `previous` when it answers for
    /// the same day.
    pub async fn build(
        store: &Store,
        view: View,
        previous: Option<&OwnershipView>,
    ) -> Result<OwnershipView, SnapshotError> {
        let versions = view.versions(store).await?;
        OwnershipView::build_from(store, view, versions, previous).await
    }

    /// Build from the versions a snapshot already read for `view` (registries are replaced
    /// by their latest version).
    pub async fn build_from(
        store: &Store,
        view: View,
        versions: Vec<ListVersion>,
        previous: Option<&OwnershipView>,
    ) -> Result<OwnershipView, SnapshotError> {
        OwnershipView::prepare(store, view, versions)
            .await?
            .finish(store, None, previous)
            .await
    }

    /// Plan a build from the versions a snapshot reads for `view`, so that the snapshot can
    /// hand every entity it streams to [`OwnershipBuilder::observe`] and the lists are read
    /// once for both the index and the ownership view.
    pub async fn prepare(
        store: &Store,
        view: View,
        versions: Vec<ListVersion>,
    ) -> Result<OwnershipBuilder, SnapshotError> {
        let as_of = match view {
            View::Current => Utc::now().date_naive(),
            View::AsOf(d) => d,
        };
        let plan = plan(store, versions, as_of).await?;
        Ok(OwnershipBuilder {
            view,
            as_of,
            plan,
            read: Read::default(),
            observed: BTreeSet::new(),
        })
    }
}

/// An ownership view being built: entities are observed as a snapshot streams them, and
/// [`OwnershipBuilder::finish`] reads what was not (a registry's latest version in a view of
/// a past date), then computes.
#[derive(Debug)]
pub struct OwnershipBuilder {
    view: View,
    as_of: NaiveDate,
    plan: Plan,
    read: Read,
    observed: BTreeSet<i64>,
}

impl OwnershipBuilder {
    /// Take in one entity of `version`; entities of versions the view does not read (a
    /// registry's older version) are ignored.
    pub fn observe(&mut self, version: &ListVersion, entity: &Entity) {
        if !self.plan.read_versions.iter().any(|v| v.id == version.id) {
            return;
        }
        self.observed.insert(version.id);
        self.read.observe(&version.dataset, entity);
    }

    /// Read the versions not observed, settle the listings' dates, and compute (or carry
    /// `previous` over and update, when it answers for the same day). `dates` are the
    /// entity dates of the view's versions if the caller has them already (a snapshot
    /// does); else they are read.
    pub async fn finish(
        self,
        store: &Store,
        dates: Option<&ViewDates>,
        previous: Option<&OwnershipView>,
    ) -> Result<OwnershipView, SnapshotError> {
        let OwnershipBuilder {
            view,
            as_of,
            plan,
            mut read,
            observed,
        } = self;
        let Plan {
            read_versions,
            list_versions,
            registries,
            gaps,
        } = plan;
        // The time of what the ownership view adds to a snapshot: reading what the snapshot
        // did not stream, and computing.
        let started = Instant::now();
        for v in &read_versions {
            if observed.contains(&v.id) {
                continue;
            }
            let mut entities = store.entities(v.id).await?;
            while let Some(e) = entities.next().await {
                read.observe(&v.dataset, &e?);
            }
        }
        let dated: Vec<ListVersion> = list_versions
            .iter()
            .filter(|v| list_dataset(&v.dataset).is_some())
            .cloned()
            .collect();
        let read_dates;
        let dates = match dates {
            Some(d) => d,
            None => {
                read_dates = store.entity_dates(&dated).await?;
                &read_dates
            }
        };
        let refs = read_versions
            .iter()
            .map(|v| VersionRef {
                dataset: v.dataset.clone(),
                id: v.id,
                effective_date: v.effective_date(),
                registry: registries.contains(v.dataset.as_str()),
            })
            .collect();
        let (issues, errors) = (read.issues, read.errors);
        let (listings, entries) = read.listings(dates);
        let parties = std::mem::take(&mut read.parties);
        let relations = std::mem::take(&mut read.relations);

        let carried = previous.filter(|p| p.as_of == as_of).map(|p| {
            (
                p.graph.ids().map(str::to_string).collect(),
                p.listings.clone(),
                p.assessments.clone(),
                p.relations.clone(),
            )
        });
        let previous_day = previous.map(|p| p.as_of);
        let computed = tokio::task::spawn_blocking(move || {
            compute(as_of, parties, relations, listings, carried, previous_day)
        })
        .await
        .map_err(|e| SnapshotError::Interrupted(e.to_string()))?;
        let (graph, relations, listings, assessments, changed, build) = computed;
        let counts: Vec<String> = assessments
            .iter()
            .map(|a| {
                let c = a.counts(&graph);
                format!(
                    "{}: {} listed, {} owned, {} controlled, {} review",
                    a.jurisdiction().code(),
                    c[0],
                    c[1],
                    c[2],
                    c[3]
                )
            })
            .collect();
        match &build {
            OwnershipBuild::Full { reason } => tracing::info!(
                view = %view, %as_of, parties = graph.len(), holdings = graph.holding_count(),
                controls = graph.control_count(), listed = listings.len(), issues, errors,
                statuses = %counts.join("; "), build_ms = started.elapsed().as_millis() as u64,
                reason = %reason, "ownership assessed in full"
            ),
            OwnershipBuild::Incremental {
                changes,
                touched,
                changed,
            } => tracing::info!(
                view = %view, %as_of, parties = graph.len(), holdings = graph.holding_count(),
                listed = listings.len(), changes, touched, changed,
                statuses = %counts.join("; "), build_ms = started.elapsed().as_millis() as u64,
                "ownership updated incrementally"
            ),
        }
        Ok(OwnershipView {
            view,
            as_of,
            versions: refs,
            gaps,
            graph,
            relations,
            listings,
            entries,
            assessments,
            changed,
            build,
            scopes: Mutex::new(Vec::new()),
            as_of_views: tokio::sync::Mutex::new(Vec::new()),
        })
    }
}

impl OwnershipView {
    /// The view (current, or as of a date).
    pub fn view(&self) -> View {
        self.view
    }

    /// The day the stored assessments answer for.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// The versions read (lists of the view, registries at their latest).
    pub fn versions(&self) -> &[VersionRef] {
        &self.versions
    }

    /// What the view lacks: lists with no version in force on the day.
    pub fn gaps(&self) -> &[String] {
        &self.gaps
    }

    /// The ownership and control graph.
    pub fn graph(&self) -> &OwnershipGraph {
        &self.graph
    }

    /// The blocking listings the assessments start from (US: SDN; EU: EU and UN lists).
    pub fn listings(&self) -> &ListedSet {
        &self.listings
    }

    /// Every entry of an entity on every list, blocking or not.
    pub fn entries(&self, id: &str) -> &[ListEntry] {
        self.entries.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Every listed entity with its entries.
    pub fn all_entries(&self) -> impl Iterator<Item = (&str, &[ListEntry])> {
        self.entries.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Whether the view knows the entity: a party of its versions, or listed.
    pub fn knows(&self, id: &str) -> bool {
        self.graph.contains(id) || self.entries.contains_key(id)
    }

    /// How the view was built (in full or incrementally, and why).
    pub fn build_kind(&self) -> &OwnershipBuild {
        &self.build
    }

    /// The statuses an incremental build changed, per jurisdiction: what re-screening and
    /// alerts follow. Empty after a full build.
    pub fn changed_statuses(&self) -> &[(Jurisdiction, StatusChange)] {
        &self.changed
    }

    /// The stored assessment of a jurisdiction for the view's day.
    pub fn assessment(&self, jurisdiction: Jurisdiction) -> Option<&Assessment> {
        self.assessments
            .iter()
            .find(|a| a.jurisdiction() == jurisdiction)
    }

    /// An entity's status in a jurisdiction on the view's day: a lookup.
    pub fn status(&self, id: &str, jurisdiction: Jurisdiction) -> Status {
        match self.assessment(jurisdiction) {
            Some(a) => a.status(&self.graph, &self.listings, id),
            None => Status::Clear,
        }
    }

    /// The proof of an entity's status in a jurisdiction on the view's day.
    pub fn proof(&self, id: &str, jurisdiction: Jurisdiction) -> Result<Proof, OwnershipError> {
        self.proof_in(id, &Scope::new(jurisdiction, self.as_of))
    }

    /// The assessment for any scope (another day, programmes, a measure that does not
    /// extend by ownership) over this view's graph and listings: the stored one when the
    /// scope is the default of the view's day, else computed once and kept. Listings count
    /// on other days by their dates; the lists are still those of this view.
    pub fn assess(&self, scope: &Scope) -> Arc<Assessment> {
        if let Some(a) = self.assessments.iter().find(|a| a.scope() == scope) {
            return Arc::new(a.clone());
        }
        if let Ok(kept) = self.scopes.lock()
            && let Some((_, a)) = kept.iter().find(|(s, _)| s == scope)
        {
            return Arc::clone(a);
        }
        let a = Arc::new(Assessment::compute(&self.graph, &self.listings, scope));
        if let Ok(mut kept) = self.scopes.lock() {
            if kept.len() >= KEPT {
                kept.remove(0);
            }
            kept.push((scope.clone(), Arc::clone(&a)));
        }
        a
    }

    /// An entity's status in any scope.
    pub fn status_in(&self, id: &str, scope: &Scope) -> Status {
        if let Some(a) = self.assessments.iter().find(|a| a.scope() == scope) {
            return a.status(&self.graph, &self.listings, id);
        }
        self.assess(scope).status(&self.graph, &self.listings, id)
    }

    /// The proof of an entity's status in any scope.
    pub fn proof_in(&self, id: &str, scope: &Scope) -> Result<Proof, OwnershipError> {
        if let Some(a) = self.assessments.iter().find(|a| a.scope() == scope) {
            return a.proof(&self.graph, &self.listings, id);
        }
        self.assess(scope).proof(&self.graph, &self.listings, id)
    }

    /// An entity's status with its sentence in a jurisdiction on the view's day.
    pub fn ownership_status(&self, id: &str, jurisdiction: Jurisdiction) -> OwnershipStatus {
        let scope = Scope::new(jurisdiction, self.as_of);
        let status = self.status(id, jurisdiction);
        let sentence = match status {
            Status::Clear if !self.graph.contains(id) => format!(
                "{id}: no ownership or control by listed persons is recorded ({} rule, {})",
                scope.rule.name, self.as_of
            ),
            _ => self
                .proof(id, jurisdiction)
                .map(|p| p.sentence)
                .unwrap_or_default(),
        };
        OwnershipStatus {
            entity: id.to_string(),
            jurisdiction,
            as_of: self.as_of,
            status,
            status_text: status.describe(&scope.rule).to_string(),
            effect: status.effect(&scope.rule),
            rule: scope.rule.name.clone(),
            sentence,
        }
    }

    /// The statuses an entity has **by ownership or control** (owned, controlled, possibly
    /// owned), one per jurisdiction where it has one: what a screening result shows beside
    /// a match. Empty for entities that are clear or only listed (the match says that).
    pub fn derived(&self, id: &str) -> Vec<OwnershipStatus> {
        JURISDICTIONS
            .iter()
            .filter(|j| {
                matches!(
                    self.status(id, **j),
                    Status::Owned | Status::Controlled | Status::Review
                )
            })
            .map(|j| self.ownership_status(id, *j))
            .collect()
    }

    /// The full answer for an entity in a scope: status, sentence, list entries, the
    /// versions read, and the proof.
    pub fn report(&self, id: &str, scope: &Scope) -> Result<OwnershipReport, OwnershipError> {
        let proof = self.proof_in(id, scope)?;
        let programme = scope
            .programmes
            .as_ref()
            .map(|p| p.iter().cloned().collect::<Vec<_>>().join(","));
        Ok(OwnershipReport {
            entity: id.to_string(),
            name: self.graph.name(id).map(str::to_string),
            jurisdiction: scope.jurisdiction,
            as_of: scope.as_of,
            programme,
            status: proof.status,
            status_text: proof.status.describe(&proof.rule).to_string(),
            effect: proof.effect,
            sentence: proof.sentence.clone(),
            list_entries: self.entries(id).to_vec(),
            view: self.view,
            versions: self.versions.clone(),
            gaps: self.gaps.clone(),
            proof,
        })
    }

    /// The view of the lists as they stood on `date` (registries at their latest), built
    /// on demand from the store and kept with this view (a few dates). Reused while the
    /// store's versions for that date are those it was built from.
    pub async fn as_of_view(
        &self,
        store: &Store,
        date: NaiveDate,
    ) -> Result<Arc<OwnershipView>, SnapshotError> {
        let mut kept = self.as_of_views.lock().await;
        let wanted = View::AsOf(date);
        let now: Vec<i64> = plan(store, wanted.versions(store).await?, date)
            .await?
            .read_versions
            .iter()
            .map(|v| v.id)
            .collect();
        let fresh = |o: &OwnershipView| o.versions.iter().map(|v| v.id).collect::<Vec<_>>() == now;
        if let Some(i) = kept.iter().position(|o| o.view == wanted)
            && fresh(&kept[i])
        {
            return Ok(Arc::clone(&kept[i]));
        }
        let built = Arc::new(OwnershipView::build(store, wanted, None).await?);
        kept.retain(|o| o.view != wanted);
        if kept.len() >= KEPT {
            kept.remove(0);
        }
        kept.push(Arc::clone(&built));
        Ok(built)
    }
}

/// Which versions a view reads: the view's list versions, and every registry at its latest.
#[derive(Debug)]
struct Plan {
    read_versions: Vec<ListVersion>,
    list_versions: Vec<ListVersion>,
    registries: BTreeSet<String>,
    gaps: Vec<String>,
}

async fn plan(
    store: &Store,
    versions: Vec<ListVersion>,
    as_of: NaiveDate,
) -> Result<Plan, SnapshotError> {
    let all = store.versions().await?;
    let mut latest: BTreeMap<&str, &ListVersion> = BTreeMap::new();
    for v in &all {
        let newer = latest
            .get(v.dataset.as_str())
            .is_none_or(|l| (v.effective_date(), v.id) > (l.effective_date(), l.id));
        if newer {
            latest.insert(&v.dataset, v);
        }
    }
    let registries: BTreeSet<String> = latest
        .iter()
        .filter(|(_, v)| v.format == REGISTRY_FORMAT)
        .map(|(d, _)| d.to_string())
        .collect();
    let mut read_versions: Vec<ListVersion> = versions
        .into_iter()
        .filter(|v| !registries.contains(&v.dataset))
        .collect();
    let list_versions = read_versions.clone();
    for r in &registries {
        if let Some(v) = latest.get(r.as_str()) {
            read_versions.push((*v).clone());
        }
    }
    let mut gaps = Vec::new();
    for (dataset, v) in &latest {
        if registries.contains(*dataset) || read_versions.iter().any(|r| &r.dataset == dataset) {
            continue;
        }
        let first = all
            .iter()
            .filter(|x| &x.dataset == dataset)
            .map(|x| x.effective_date())
            .min()
            .unwrap_or(v.effective_date());
        gaps.push(format!(
            "no version of {dataset} was in force on {as_of} (its first is of {first}): its listings and relations are not in this view"
        ));
    }
    Ok(Plan {
        read_versions,
        list_versions,
        registries,
        gaps,
    })
}

type Computed = (
    OwnershipGraph,
    BTreeMap<String, Relation>,
    ListedSet,
    Vec<Assessment>,
    Vec<(Jurisdiction, StatusChange)>,
    OwnershipBuild,
);

/// What a new view takes over from the previous one: the party order of its graph (so that
/// node numbers, which assessments are indexed by, stay the same), its listings, assessments
/// and relations.
type Carried = (
    Vec<String>,
    ListedSet,
    Vec<Assessment>,
    BTreeMap<String, Relation>,
);

/// Graph and assessments: carried over and updated when possible, else computed afresh.
fn compute(
    as_of: NaiveDate,
    parties: BTreeMap<String, String>,
    relations: BTreeMap<String, Relation>,
    listings: ListedSet,
    carried: Option<Carried>,
    previous_day: Option<NaiveDate>,
) -> Computed {
    let reason = match (carried, previous_day) {
        (Some(c), _) => match update(c, &parties, &relations, &listings) {
            Ok((graph, assessments, changed, changes, touched)) => {
                let build = OwnershipBuild::Incremental {
                    changes,
                    touched,
                    changed: changed.len(),
                };
                return (graph, relations, listings, assessments, changed, build);
            }
            Err(reason) => reason,
        },
        (None, Some(day)) => format!("the previous view answered for {day}, this one for {as_of}"),
        (None, None) => "first build".to_string(),
    };
    let graph = build_graph(&[], &parties, &relations);
    let assessments = JURISDICTIONS
        .iter()
        .map(|j| Assessment::compute(&graph, &listings, &Scope::new(*j, as_of)))
        .collect();
    (
        graph,
        relations,
        listings,
        assessments,
        Vec::new(),
        OwnershipBuild::Full { reason },
    )
}

/// The graph of the parties and relations read. Parties of `order` come first, in that order,
/// so that a graph rebuilt after a change numbers every party as the previous one did (a
/// party that is gone stays as an isolated node until the next full build).
fn build_graph(
    order: &[String],
    parties: &BTreeMap<String, String>,
    relations: &BTreeMap<String, Relation>,
) -> OwnershipGraph {
    let mut b = GraphBuilder::new();
    for id in order {
        b.party(id, parties.get(id).map(String::as_str));
    }
    for (id, name) in parties {
        b.party(id, Some(name));
    }
    for r in relations.values() {
        let added = match r.clone() {
            Relation::Holding(h) => b.holding(h).map(|_| ()),
            Relation::Control(c) => b.control(c).map(|_| ()),
            Relation::Association(a) => {
                b.association(a);
                Ok(())
            }
            Relation::Party { id, name } => {
                b.party(&id, Some(&name));
                Ok(())
            }
            Relation::Ignored => Ok(()),
        };
        if let Err(e) = added {
            tracing::debug!(error = %e, "relation not added to the ownership graph");
        }
    }
    b.build()
}

fn ends(r: &Relation) -> Option<(&str, &str)> {
    match r {
        Relation::Holding(h) => Some((&h.owner, &h.asset)),
        Relation::Control(c) => Some((&c.controller, &c.asset)),
        _ => None,
    }
}

type Updated = (
    OwnershipGraph,
    Vec<Assessment>,
    Vec<(Jurisdiction, StatusChange)>,
    usize,
    usize,
);

/// Rebuild the graph in the previous party order, derive the changes from the differences of
/// relations and listings, and catch the previous assessments up with them. `Err` says why a
/// full computation is needed.
fn update(
    carried: Carried,
    parties: &BTreeMap<String, String>,
    relations: &BTreeMap<String, Relation>,
    listings: &ListedSet,
) -> Result<Updated, String> {
    let (order, old_listings, mut assessments, old_relations) = carried;
    let graph = build_graph(&order, parties, relations);
    if graph.len() < order.len() || order.iter().zip(graph.ids()).any(|(a, b)| a != b) {
        return Err("the party order could not be kept".into());
    }
    let mut changes: Vec<Change> = Vec::new();
    for (id, old) in &old_relations {
        if relations.get(id) == Some(old) {
            continue;
        }
        if let Some((owner, asset)) = ends(old) {
            changes.push(Change::Holding {
                owner: owner.to_string(),
                asset: asset.to_string(),
            });
        }
    }
    for (id, new) in relations {
        if old_relations.get(id) == Some(new) {
            continue;
        }
        if let Some((owner, asset)) = ends(new) {
            changes.push(Change::HoldingAdded {
                owner: owner.to_string(),
                asset: asset.to_string(),
            });
        }
    }
    let mut listed: BTreeSet<&str> = old_listings.iter().map(|l| l.entity.as_str()).collect();
    listed.extend(listings.iter().map(|l| l.entity.as_str()));
    for entity in listed {
        let (old, new) = (old_listings.of(entity), listings.of(entity));
        if old.len() == new.len() && old.iter().all(|l| new.contains(l)) {
            continue;
        }
        let entity = entity.to_string();
        changes.push(if old.iter().all(|l| new.contains(l)) {
            Change::ListingAdded { entity }
        } else {
            Change::Listing { entity }
        });
    }
    let mut touched = 0;
    let mut changed = Vec::new();
    if !changes.is_empty() {
        for a in &mut assessments {
            let report = a.update(&graph, listings, &changes);
            touched += report.touched;
            let j = a.jurisdiction();
            changed.extend(report.changed.into_iter().map(|c| (j, c)));
        }
    }
    Ok((graph, assessments, changed, changes.len(), touched))
}

impl Snapshot {
    /// The ownership side of the snapshot: graph, listings, assessments of its view.
    pub fn ownership(&self) -> &OwnershipView {
        &self.ownership
    }

    /// An entity's derived status in a jurisdiction, with its sentence: the lookup a
    /// screening result or a decision cites.
    pub fn ownership_status(&self, id: &str, jurisdiction: Jurisdiction) -> OwnershipStatus {
        self.ownership.ownership_status(id, jurisdiction)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use interdict_model::{ImportMode, ListRecord};
    use interdict_ownership::holdings_csv;
    use interdict_ownership::registry::{Directory, build_registry};
    use interdict_store::NewVersion;
    use interdict_store::testing::test_store;

    fn repo(rel: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(rel)
    }

    async fn import_list(
        store: &Store,
        format: interdict_lists::Format,
        rel: &str,
        published: &str,
    ) {
        let date = NaiveDate::parse_from_str(published, "%Y-%m-%d").ok();
        interdict_sync::import_files_with(store, format, &[repo(rel)], None, date)
            .await
            .expect("import");
    }

    /// What `interdict import holdings-csv` does.
    async fn import_registry(store: &Store, name: &str) {
        let text = std::fs::read_to_string(repo("tests/fixtures/holdings").join(name)).unwrap();
        let parsed = holdings_csv::parse_str(name, &text);
        let mut directory = Directory::new();
        let mut current = store.current_entities().await.unwrap();
        while let Some(e) = current.next().await {
            let e = e.unwrap();
            directory.add(&e.dataset, &e.entity);
        }
        drop(current);
        let (entities, _) = build_registry(&parsed, &directory, "registry").unwrap();
        let draft = NewVersion {
            dataset: "registry".into(),
            format: REGISTRY_FORMAT.into(),
            mode: ImportMode::Full,
            published: None,
            sha256: format!("test-{name}"),
            files: vec![name.into()],
        };
        let records = entities
            .into_iter()
            .map(|e| Ok::<_, std::io::Error>(ListRecord::Entity(e)));
        store.import(draft, records).await.unwrap();
    }

    fn same_statuses(a: &OwnershipView, b: &OwnershipView) {
        for j in JURISDICTIONS {
            for id in b.graph().ids() {
                assert_eq!(a.status(id, j), b.status(id, j), "{id} in {j}");
            }
        }
    }

    #[tokio::test]
    async fn list_and_holding_changes_update_incrementally() {
        use interdict_lists::Format;
        let store = test_store().await;
        import_list(
            &store,
            Format::OfacCsv,
            "data/lists/ofac/sdn_csv_2021-07",
            "2021-07-07",
        )
        .await;
        import_list(
            &store,
            Format::EuFsfXml,
            "data/lists/eu/fsf_1_1_excerpt_2020-04-15.xml",
            "2020-04-15",
        )
        .await;
        import_registry(&store, "belarus.csv").await;
        let first = OwnershipView::build(&store, View::Current, None)
            .await
            .unwrap();
        assert!(matches!(first.build_kind(), OwnershipBuild::Full { .. }));
        let us = Jurisdiction::Us;
        assert_eq!(
            first.status("registry-polymir-trade-llc", us),
            Status::Owned
        );
        assert_eq!(first.status("ofac-12860", us), Status::Listed);
        assert_eq!(
            first.status("eu-fsf-eu-22-9", Jurisdiction::Eu),
            Status::Listed
        );
        assert!(
            first
                .entries("eu-fsf-eu-22-9")
                .iter()
                .all(|e| e.authority == ListAuthority::Eu)
        );

        // A holding ends and another grows: carried over and caught up.
        import_registry(&store, "divested.csv").await;
        let second = OwnershipView::build(&store, View::Current, Some(&first))
            .await
            .unwrap();
        assert!(
            matches!(second.build_kind(), OwnershipBuild::Incremental { changes, .. } if *changes > 0),
            "{:?}",
            second.build_kind()
        );
        assert_eq!(
            second.status("registry-polymir-trade-llc", us),
            Status::Clear
        );
        assert!(second.changed_statuses().iter().any(|(j, c)| *j == us
            && c.entity == "registry-polymir-trade-llc"
            && c.before == Status::Owned
            && c.after == Status::Clear));
        same_statuses(
            &second,
            &OwnershipView::build(&store, View::Current, None)
                .await
                .unwrap(),
        );

        // A new list version (Belaruskali and the EO 14038 designations of 2021-08-09).
        import_list(
            &store,
            Format::OfacCsv,
            "data/lists/ofac/sdn_csv_snapshots/sdn_2021-08-18.csv",
            "2021-08-18",
        )
        .await;
        let third = OwnershipView::build(&store, View::Current, Some(&second))
            .await
            .unwrap();
        assert!(
            matches!(third.build_kind(), OwnershipBuild::Incremental { .. }),
            "{:?}",
            third.build_kind()
        );
        assert_eq!(
            third.status("ofac-32746", us),
            Status::Listed,
            "Belaruskali"
        );
        let fresh = OwnershipView::build(&store, View::Current, None)
            .await
            .unwrap();
        same_statuses(&third, &fresh);
        assert_eq!(
            third.proof("registry-chain-y-llc", us).unwrap(),
            fresh.proof("registry-chain-y-llc", us).unwrap()
        );

        // Another day cannot be carried over.
        let past = OwnershipView::build(
            &store,
            View::AsOf(NaiveDate::from_ymd_opt(2021, 7, 20).unwrap()),
            Some(&third),
        )
        .await
        .unwrap();
        assert!(matches!(past.build_kind(), OwnershipBuild::Full { .. }));
        assert!(!past.knows("ofac-32746"), "not yet listed on 2021-07-20");
        assert_eq!(
            past.status("registry-chain-y-llc", us),
            Status::Owned,
            "registry read at its latest"
        );
    }

    #[test]
    fn list_datasets_are_explicit() {
        let sdn = list_dataset("us_ofac_sdn").unwrap();
        assert!(sdn.blocking);
        assert_eq!(sdn.assessed_in, Some(Jurisdiction::Us));
        let cons = list_dataset("us_ofac_cons").unwrap();
        assert!(!cons.blocking, "OFAC's non-SDN lists do not block");
        assert_eq!(cons.assessed_in, None);
        assert_eq!(
            list_dataset("un_sc_sanctions").unwrap().assessed_in,
            Some(Jurisdiction::Eu)
        );
        assert_eq!(list_dataset("gb_hmt_sanctions").unwrap().assessed_in, None);
        assert!(list_dataset("registry").is_none());
    }
}
