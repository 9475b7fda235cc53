//! What changed: between two versions of a dataset, and for one entity across all versions.

use std::collections::{HashMap, HashSet};

use interdict_model::{Entity, EntityChange, ListVersion, diff_entity};
use serde::Serialize;

use crate::entities::decode;
use crate::error::{StoreError, db};
use crate::sql::{json_elements, json_list};
use crate::{Store, with_pool};

/// One version in the history of an entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    /// The version (its dataset says which list).
    pub version: ListVersion,
    /// What this version did to the entity compared with the previous version of the same
    /// dataset: added, removed, changed (property by property), or `None` when the entity is
    /// there unchanged (a change of provenance only counts as unchanged).
    pub change: Option<EntityChange>,
}

impl Store {
    /// The entities added, removed and changed from `old` to `new` (two versions of one
    /// dataset), with property-level changes, sorted by entity id. Only entities whose content
    /// hash differs are loaded, so diffing two large, similar versions is cheap. Changes of
    /// provenance alone are not reported.
    pub async fn diff(&self, old: i64, new: i64) -> Result<Vec<EntityChange>, StoreError> {
        let old_v = self.require_version(old).await?;
        let new_v = self.require_version(new).await?;
        if old_v.dataset != new_v.dataset {
            return Err(StoreError::DatasetMismatch {
                old,
                old_dataset: old_v.dataset,
                new,
                new_dataset: new_v.dataset,
            });
        }
        let before = self.members(old).await?;
        let after = self.members(new).await?;
        let mut wanted: Vec<i64> = Vec::new();
        for (id, &rec) in &after {
            match before.get(id) {
                Some(&old_rec) if old_rec == rec => {}
                Some(&old_rec) => wanted.extend([old_rec, rec]),
                None => wanted.push(rec),
            }
        }
        wanted.extend(
            before
                .iter()
                .filter(|(id, _)| !after.contains_key(*id))
                .map(|(_, &r)| r),
        );
        let bodies = self.load_records(&wanted).await?;
        let body = |record: i64| {
            bodies.get(&record).ok_or(StoreError::Database {
                context: format!("diffing versions {old} and {new}"),
                source: sqlx::Error::RowNotFound,
            })
        };

        let mut changes = Vec::new();
        for (id, &rec) in &after {
            match before.get(id) {
                Some(&old_rec) if old_rec == rec => {}
                Some(&old_rec) => changes.extend(diff_entity(body(old_rec)?, body(rec)?)),
                None => {
                    let e = body(rec)?;
                    changes.push(EntityChange::Added {
                        id: e.id.clone(),
                        schema: e.schema,
                        caption: e.caption().to_string(),
                    });
                }
            }
        }
        for (id, &rec) in &before {
            if !after.contains_key(id) {
                let e = body(rec)?;
                changes.push(EntityChange::Removed {
                    id: e.id.clone(),
                    schema: e.schema,
                    caption: e.caption().to_string(),
                });
            }
        }
        changes.sort_by(|a, b| a.id().cmp(b.id()));
        Ok(changes)
    }

    /// The entity across every version of every dataset that ever held it, oldest first (by
    /// effective date): when it was added, each change with its property-level details, the
    /// versions in which it stayed the same, and its removal. Empty for an unknown id.
    pub async fn history(&self, entity_id: &str) -> Result<Vec<HistoryEntry>, StoreError> {
        let known = self.entity_records(entity_id).await?;
        let mut entries = Vec::new();
        for timeline in known.timelines.values() {
            let mut previous: Option<i64> = None;
            for (version, record) in &timeline.steps {
                let change = match (previous, *record) {
                    (None, None) => continue,
                    (None, Some(r)) => known.records.get(&r).map(|e| EntityChange::Added {
                        id: e.id.clone(),
                        schema: e.schema,
                        caption: e.caption().to_string(),
                    }),
                    (Some(p), None) => known.records.get(&p).map(|e| EntityChange::Removed {
                        id: e.id.clone(),
                        schema: e.schema,
                        caption: e.caption().to_string(),
                    }),
                    (Some(p), Some(r)) if p == r => None,
                    (Some(p), Some(r)) => match (known.records.get(&p), known.records.get(&r)) {
                        (Some(a), Some(b)) => diff_entity(a, b),
                        _ => None,
                    },
                };
                entries.push(HistoryEntry {
                    version: version.clone(),
                    change,
                });
                previous = *record;
            }
        }
        entries.sort_by(|a, b| {
            (a.version.effective_date(), a.version.id)
                .cmp(&(b.version.effective_date(), b.version.id))
        });
        Ok(entries)
    }

    /// Entity id → record id of a version.
    async fn members(&self, version_id: i64) -> Result<HashMap<String, i64>, StoreError> {
        const SQL: &str = "SELECT r.entity_id, r.id FROM version_entities ve \
             JOIN entity_records r ON r.id = ve.record_id WHERE ve.version_id = $1";
        let rows: Vec<(String, i64)> =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(version_id).fetch_all(pool).await)
                .map_err(db(format!("loading the entities of version {version_id}")))?;
        Ok(rows.into_iter().collect())
    }

    /// Decode the given records, by record id.
    async fn load_records(&self, ids: &[i64]) -> Result<HashMap<i64, Entity>, StoreError> {
        let ids: Vec<i64> = ids
            .iter()
            .copied()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT id, body FROM entity_records WHERE id IN ({})",
            json_elements(self.backend(), 1, "bigint")
        );
        let list = json_list(&ids);
        let rows: Vec<(i64, String)> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(&list).fetch_all(pool).await
        })
        .map_err(db(format!("loading {} entity records", ids.len())))?;
        let mut out = HashMap::with_capacity(rows.len());
        for (id, body) in rows {
            out.insert(id, decode(id, &body)?);
        }
        Ok(out)
    }
}
