//! Deciding against the store: the list versions in force on the dealing's date, the ownership
//! view of that date, and the specific licences on record — read the same way for the CLI
//! (`interdict decide`) and the API (`POST /v1/decisions`), so that the two cannot disagree.
//!
//! The engine (`interdict-rules`) reads nothing; this crate reads what a decision needs from
//! the store and hands it over. It owns no rule: every outcome comes from the engine.
//! Indexes are kept for a few sets of versions (keyed by the versions' content hashes, so that
//! two stores holding the same files share one), so that a batch of dealings of the same period
//! builds one index.

use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use futures_util::StreamExt;
use interdict_dealings::{AsOf, Dealing, Perspective};
use interdict_matching::{EntityMeta, Index, IndexBuilder};
use interdict_model::ListVersion;
use interdict_snapshot::View;
use interdict_snapshot::ownership::{OwnershipView, REGISTRY_FORMAT};
use interdict_store::{NewLicence, Store, StoreError, StoredLicence};

use interdict_rules::moment::human_instant;
use interdict_rules::{
    Decision, DecisionInput, Engine, Jurisdiction, ListBasis, ListView, OwnershipBasis,
    OwnershipData, SpecificLicence, select_versions,
};

/// How many sets of list versions keep their index.
const KEPT: usize = 4;

/// Why a decision against the store could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    /// Reading the store failed.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// Building the lists or the ownership view failed.
    #[error("{0}")]
    Snapshot(#[from] interdict_snapshot::SnapshotError),
    /// The index or the ownership names could not be built.
    #[error("building the screening index: {0}")]
    Index(#[from] interdict_matching::BuildError),
    /// The request cannot be decided as it is (no perspective …).
    #[error("{0}")]
    Request(String),
    /// A stored licence cannot be read.
    #[error("specific licence {number}: {reason}")]
    Licence {
        /// Its number.
        number: String,
        /// What is wrong.
        reason: String,
    },
}

/// What to decide: the dealing and what the request adds to it.
#[derive(Debug, Clone)]
pub struct DecideRequest {
    /// The dealing as read.
    pub dealing: Dealing,
    /// The perspective asked for; the dealing's own if `None`.
    pub perspective: Option<Perspective>,
    /// An as-of time replacing the dealing's.
    pub as_of: Option<AsOf>,
}

/// The lists of one set of versions for one date: the index, the versions it was built from
/// (with why each was chosen for the date), and the ownership data.
#[derive(Debug, Clone)]
pub struct Lists {
    /// The screening index.
    pub index: Arc<Index>,
    /// The versions.
    pub versions: Vec<ListBasis>,
    /// The ownership data of the view, when the store holds a registry of holdings.
    pub ownership: Option<Arc<OwnershipData>>,
}

/// What is kept per set of versions: the index and the ownership data, which do not depend
/// on the date (an assessment does, and the engine makes it).
#[derive(Debug)]
struct Cached {
    key: Vec<(String, String)>,
    index: Arc<Index>,
    ownership: Option<Arc<OwnershipData>>,
}

/// The engine with the store's lists: decides dealings as of their dates.
#[derive(Debug)]
pub struct Decider {
    engine: Engine,
    cache: Mutex<Vec<Cached>>,
    building: tokio::sync::Mutex<()>,
}

impl Decider {
    /// A decider over an engine.
    pub fn new(engine: Engine) -> Decider {
        Decider {
            engine,
            cache: Mutex::new(Vec::new()),
            building: tokio::sync::Mutex::new(()),
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Decide one dealing: resolve the perspective and as-of time, read the lists of that
    /// date, the ownership view and the licences, and apply the engine.
    pub async fn decide(
        &self,
        store: &Store,
        request: DecideRequest,
    ) -> Result<Decision, DecideError> {
        let (dealing, perspective, notes) = prepare(request)?;
        let lists = self
            .lists(store, dealing.as_of.local_date(), perspective)
            .await?;
        let licences = licences(store).await?;
        Ok(self.engine.decide(DecisionInput {
            dealing: &dealing,
            perspective,
            input_notes: &notes,
            lists: ListView {
                index: &lists.index,
                versions: &lists.versions,
            },
            ownership: lists.ownership.as_deref(),
            licences: &licences,
        }))
    }

    /// The lists (and ownership view) of a perspective as of a date: the versions
    /// [`select_versions`] chooses among the datasets the perspective's programmes read;
    /// registries of holdings are left out of screening and read for ownership.
    pub async fn lists(
        &self,
        store: &Store,
        date: NaiveDate,
        perspective: Jurisdiction,
    ) -> Result<Lists, DecideError> {
        let all = store.versions().await?;
        let programmes = self.engine.programmes();
        let lists: Vec<ListVersion> = all
            .iter()
            .filter(|v| {
                v.format != REGISTRY_FORMAT && programmes.covers_dataset(perspective, &v.dataset)
            })
            .cloned()
            .collect();
        let chosen = select_versions(&lists, date);
        self.build(store, &all, chosen, date).await
    }

    /// The lists of exactly the versions a decision recorded (for a replay). Each must still
    /// be in the store with the same content hash.
    pub async fn lists_of(
        &self,
        store: &Store,
        recorded: &[ListBasis],
        date: NaiveDate,
    ) -> Result<Lists, DecideError> {
        let all = store.versions().await?;
        let mut chosen = Vec::new();
        for r in recorded {
            let v = all
                .iter()
                .find(|v| v.id == r.version_id && v.dataset == r.dataset)
                .ok_or_else(|| {
                    DecideError::Request(format!(
                        "version {} of {} is not in the store",
                        r.version_id, r.dataset
                    ))
                })?;
            if v.sha256 != r.sha256 {
                return Err(DecideError::Request(format!(
                    "version {} of {} has sha256 {} in the store, the decision recorded {}",
                    v.id, v.dataset, v.sha256, r.sha256
                )));
            }
            chosen.push((v.clone(), r.selection));
        }
        self.build(store, &all, chosen, date).await
    }

    async fn build(
        &self,
        store: &Store,
        all: &[ListVersion],
        chosen: Vec<(ListVersion, interdict_rules::Selection)>,
        date: NaiveDate,
    ) -> Result<Lists, DecideError> {
        let registries: Vec<&ListVersion> =
            all.iter().filter(|v| v.format == REGISTRY_FORMAT).collect();
        let latest_registries: Vec<ListVersion> = {
            let mut by_ds: std::collections::BTreeMap<&str, &ListVersion> = Default::default();
            for v in &registries {
                let e = by_ds.entry(v.dataset.as_str()).or_insert(v);
                if (v.effective_date(), v.id) > (e.effective_date(), e.id) {
                    *e = v;
                }
            }
            by_ds.into_values().cloned().collect()
        };
        let mut key: Vec<(String, String)> = chosen
            .iter()
            .map(|(v, _)| (v.dataset.clone(), v.sha256.clone()))
            .chain(
                latest_registries
                    .iter()
                    .map(|v| (format!("registry:{}", v.dataset), v.sha256.clone())),
            )
            .collect();
        key.sort();
        let versions: Vec<ListBasis> = chosen.iter().map(|(v, s)| ListBasis::of(v, *s)).collect();
        let found = |c: &Cached| Lists {
            index: Arc::clone(&c.index),
            versions: versions.clone(),
            ownership: c.ownership.clone(),
        };
        if let Some(hit) = self.cached(&key, found) {
            return Ok(hit);
        }
        let _building = self.building.lock().await;
        if let Some(hit) = self.cached(&key, found) {
            return Ok(hit);
        }
        let mut read: Vec<ListVersion> = chosen.iter().map(|(v, _)| v.clone()).collect();
        read.extend(latest_registries.iter().cloned());
        let mut ownership = if latest_registries.is_empty() {
            None
        } else {
            Some(OwnershipView::prepare(store, View::AsOf(date), read).await?)
        };
        let mut builder = IndexBuilder::new();
        for (v, _) in &chosen {
            let mut entities = store.entities(v.id).await?;
            while let Some(e) = entities.next().await {
                let e = e?;
                if let Some(o) = ownership.as_mut() {
                    o.observe(v, &e);
                }
                builder.add(e, EntityMeta::dataset(v.dataset.clone()));
            }
        }
        let index = tokio::task::spawn_blocking(move || builder.build())
            .await
            .map_err(|e| DecideError::Request(format!("the index build was interrupted: {e}")))??;
        let ownership = match ownership {
            None => None,
            Some(o) => {
                let view = o.finish(store, None, None).await?;
                let graph = view.graph().clone();
                let source = latest_registries
                    .iter()
                    .map(|v| {
                        format!(
                            "registry {} version {} ({})",
                            v.dataset,
                            v.id,
                            v.files.join(", ")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let sha = latest_registries
                    .iter()
                    .map(|v| v.sha256.as_str())
                    .collect::<Vec<_>>()
                    .join("+");
                let relations = graph.holding_count() + graph.control_count();
                Some(Arc::new(OwnershipData::new(
                    graph,
                    OwnershipBasis {
                        source,
                        sha256: sha,
                        relations,
                    },
                )?))
            }
        };
        let cached = Cached {
            key,
            index: Arc::new(index),
            ownership,
        };
        let lists = found(&cached);
        if let Ok(mut cache) = self.cache.lock() {
            cache.push(cached);
            if cache.len() > KEPT {
                cache.remove(0);
            }
        }
        Ok(lists)
    }

    fn cached(&self, key: &[(String, String)], found: impl Fn(&Cached) -> Lists) -> Option<Lists> {
        self.cache
            .lock()
            .ok()?
            .iter()
            .find(|c| c.key == key)
            .map(found)
    }
}

impl Decider {
    /// Take a recorded decision again, from the versions it records: the same dealing (as
    /// decided), perspective and notes, the same list versions (checked by hash), the same
    /// specific licences, and the ownership view of the store (its hash compared with the
    /// recorded one). Returns the new decision and what could not be reproduced exactly.
    pub async fn replay(
        &self,
        store: &Store,
        recorded: &Decision,
    ) -> Result<(Decision, Vec<String>), DecideError> {
        let mut warnings = Vec::new();
        let dealing = &recorded.dealing;
        for f in &recorded.basis.programmes {
            match self
                .engine
                .programmes()
                .files()
                .iter()
                .find(|x| x.file == f.file)
            {
                Some(now) if now.sha256 == f.sha256 => {}
                Some(now) => warnings.push(format!(
                    "programme file {} has changed: sha256 {} now, {} recorded",
                    f.file, now.sha256, f.sha256
                )),
                None => warnings.push(format!("programme file {} is not loaded now", f.file)),
            }
        }
        let lists = self
            .lists_of(store, &recorded.basis.lists, dealing.as_of.local_date())
            .await?;
        match (&recorded.basis.ownership, &lists.ownership) {
            (Some(r), Some(now)) if r.sha256 != now.basis.sha256 => warnings.push(format!(
                "ownership data has changed: {} now, {} recorded",
                now.basis.source, r.source
            )),
            (Some(r), None) => warnings.push(format!(
                "ownership data {} is not in the store now",
                r.source
            )),
            (None, Some(now)) => warnings.push(format!(
                "ownership data {} was not there when the decision was taken",
                now.basis.source
            )),
            _ => {}
        }
        let decision = self.engine.decide(DecisionInput {
            dealing,
            perspective: recorded.perspective,
            input_notes: &recorded.input_notes,
            lists: ListView {
                index: &lists.index,
                versions: &lists.versions,
            },
            ownership: lists.ownership.as_deref(),
            licences: &recorded.basis.specific_licences,
        });
        Ok((decision, warnings))
    }
}

/// Resolve the perspective (the request's, else the dealing's) and apply a requested as-of
/// time, noting where each came from when it is not the dealing.
pub fn prepare(
    request: DecideRequest,
) -> Result<(Dealing, Jurisdiction, Vec<String>), DecideError> {
    let DecideRequest {
        mut dealing,
        perspective,
        as_of,
    } = request;
    let mut notes = Vec::new();
    let perspective = match (perspective, dealing.perspective) {
        (Some(p), Some(d)) if p != d => {
            notes.push(format!(
                "Perspective {} as requested; the dealing itself names {}.",
                Jurisdiction::of(p).with_article(),
                Jurisdiction::of(d).with_article()
            ));
            p
        }
        (Some(p), _) => p,
        (None, Some(d)) => d,
        (None, None) => {
            return Err(DecideError::Request(
                "no perspective: ask for one (us, eu or uk) or name it in the dealing's \"perspective\"".into(),
            ));
        }
    };
    if let Some(at) = as_of
        && at != dealing.as_of
    {
        notes.push(format!(
            "Decided as of {} as requested; the dealing itself is dated {}.",
            human_instant(&at),
            human_instant(&dealing.as_of)
        ));
        dealing.as_of = at;
    }
    dealing.perspective = Some(perspective);
    Ok((dealing, Jurisdiction::of(perspective), notes))
}

/// Every specific licence on record, as the engine applies them.
pub async fn licences(store: &Store) -> Result<Vec<SpecificLicence>, DecideError> {
    store
        .licences()
        .await?
        .into_iter()
        .map(from_stored)
        .collect()
}

/// A stored licence as the engine applies it.
pub fn from_stored(s: StoredLicence) -> Result<SpecificLicence, DecideError> {
    let number = s.licence.number.clone();
    let bad = |reason: String| DecideError::Licence {
        number: number.clone(),
        reason,
    };
    let jurisdiction = match s.licence.jurisdiction.as_str() {
        "us" => Jurisdiction::Us,
        "eu" => Jurisdiction::Eu,
        "uk" => Jurisdiction::Uk,
        other => return Err(bad(format!("unknown jurisdiction {other:?}"))),
    };
    let valid_from = s
        .licence
        .valid_from
        .parse()
        .map_err(|e| bad(format!("valid_from: {e}")))?;
    let valid_until = s
        .licence
        .valid_until
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|e| bad(format!("valid_until: {e}")))?;
    Ok(SpecificLicence {
        id: Some(s.id),
        number: s.licence.number,
        jurisdiction,
        holder: s.licence.holder,
        parties: s.licence.parties,
        programmes: s.licence.programmes,
        amount_cap: s.licence.amount_cap,
        currency: s.licence.currency,
        valid_from,
        valid_until,
        conditions: s.licence.conditions,
        created_at: Some(s.created_at),
        revoked_at: s.revoked_at,
        revocation_reason: s.revocation_reason,
    })
}

/// A licence to record, as the store keeps it.
pub fn to_new(l: &SpecificLicence) -> NewLicence {
    NewLicence {
        number: l.number.clone(),
        jurisdiction: l.jurisdiction.code().to_string(),
        holder: l.holder.clone(),
        parties: l.parties.clone(),
        programmes: l.programmes.clone(),
        amount_cap: l.amount_cap.clone(),
        currency: l.currency.clone(),
        valid_from: l.valid_from.to_string(),
        valid_until: l.valid_until.map(|u| u.to_string()),
        conditions: l.conditions.clone(),
    }
}

/// Validate and record a specific licence (its number must be new).
pub async fn create_licence(
    store: &Store,
    l: &SpecificLicence,
) -> Result<SpecificLicence, DecideError> {
    l.validate().map_err(|e| DecideError::Licence {
        number: l.number.clone(),
        reason: e.to_string(),
    })?;
    if l.programmes.iter().any(|p| p.trim().is_empty()) {
        return Err(DecideError::Licence {
            number: l.number.clone(),
            reason: "an empty programme id".into(),
        });
    }
    if store.licence_by_number(&l.number).await?.is_some() {
        return Err(DecideError::Licence {
            number: l.number.clone(),
            reason: "a licence with this number is already recorded".into(),
        });
    }
    from_stored(store.create_licence(&to_new(l)).await?)
}
