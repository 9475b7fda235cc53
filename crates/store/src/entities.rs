//! Reading entities back: all of a version, all current ones, one by id (now or as of a date)
//! with its first-seen, last-seen and last-change dates, and those that point at an entity.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use futures_util::stream::{BoxStream, StreamExt};
use interdict_model::{Entity, ListVersion, diff_entity};
use serde::Serialize;

use crate::error::{StoreError, db};
use crate::sql::{json_elements, json_list};
use crate::{Store, with_pool};

/// An entity as the store holds it on a given view of the lists, with the dates derived from
/// the versions of its dataset: what `interdict show` and `/entities/{id}` print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredEntity {
    /// The entity, with the provenance of every value.
    pub entity: Entity,
    /// The dataset whose version holds it.
    pub dataset: String,
    /// The version it was read from.
    pub version_id: i64,
    /// Effective date of the first version of the dataset that held it.
    pub first_seen: NaiveDate,
    /// Effective date of the version it was read from (the latest that holds it in the view).
    pub last_seen: NaiveDate,
    /// Effective date of the version in which it took its present values (added, or changed
    /// in more than provenance).
    pub last_change: NaiveDate,
}

/// An entity with the dataset and version it belongs to, as streamed for indexing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetEntity {
    /// The dataset.
    pub dataset: String,
    /// The version the entity was read from.
    pub version_id: i64,
    /// The entity.
    pub entity: Entity,
}

/// Decode a stored body.
pub(crate) fn decode(record_id: i64, body: &str) -> Result<Entity, StoreError> {
    serde_json::from_str(body).map_err(|source| StoreError::CorruptRecord { record_id, source })
}

/// The presence of one entity across the versions of one dataset, oldest first.
pub(crate) struct Timeline {
    /// Each version of the dataset with the record that holds the entity in it, if any.
    pub(crate) steps: Vec<(ListVersion, Option<i64>)>,
}

/// Every stored content of one entity id, and the timelines of the datasets that held it.
pub(crate) struct EntityRecords {
    pub(crate) records: HashMap<i64, Entity>,
    /// By dataset name.
    pub(crate) timelines: BTreeMap<String, Timeline>,
}

impl EntityRecords {
    /// Whether the content changed (beyond provenance) from record `a` to record `b`.
    pub(crate) fn differs(&self, a: i64, b: i64) -> bool {
        if a == b {
            return false;
        }
        match (self.records.get(&a), self.records.get(&b)) {
            (Some(x), Some(y)) => diff_entity(x, y).is_some(),
            _ => true,
        }
    }
}

impl Store {
    /// Every entity of a version, sorted by id, as a stream (a version may hold hundreds of
    /// thousands). Errors if the version does not exist.
    pub async fn entities(
        &self,
        version_id: i64,
    ) -> Result<BoxStream<'_, Result<Entity, StoreError>>, StoreError> {
        self.require_version(version_id).await?;
        const SQL: &str = "SELECT r.id, r.body FROM version_entities ve \
             JOIN entity_records r ON r.id = ve.record_id WHERE ve.version_id = $1 \
             ORDER BY r.entity_id";
        let context = format!("reading the entities of version {version_id}");
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, (i64, String)>(SQL).bind(version_id).fetch(pool)
        });
        Ok(rows
            .map(move |row| {
                let (id, body) = row.map_err(db(context.clone()))?;
                decode(id, &body)
            })
            .boxed())
    }

    /// Every entity of the latest version of every dataset, by dataset then id: what the
    /// matching index is built from.
    pub async fn current_entities(
        &self,
    ) -> Result<BoxStream<'_, Result<DatasetEntity, StoreError>>, StoreError> {
        let versions = self.current_versions().await?;
        Ok(self.view_entities(versions))
    }

    /// Every entity of the versions in force on `date`, by dataset then id.
    pub async fn entities_as_of(
        &self,
        date: NaiveDate,
    ) -> Result<BoxStream<'_, Result<DatasetEntity, StoreError>>, StoreError> {
        let versions = self.versions_as_of(date).await?;
        Ok(self.view_entities(versions))
    }

    /// Stream the entities of the given versions, one version after the other.
    fn view_entities(
        &self,
        versions: Vec<ListVersion>,
    ) -> BoxStream<'_, Result<DatasetEntity, StoreError>> {
        futures_util::stream::iter(versions)
            .then(move |v| async move {
                let stream = match self.entities(v.id).await {
                    Ok(s) => s,
                    Err(e) => return futures_util::stream::once(async { Err(e) }).boxed(),
                };
                let dataset = v.dataset;
                let version_id = v.id;
                stream
                    .map(move |r| {
                        r.map(|entity| DatasetEntity {
                            dataset: dataset.clone(),
                            version_id,
                            entity,
                        })
                    })
                    .boxed()
            })
            .flatten()
            .boxed()
    }

    /// The entity with this id in the lists now (`as_of: None`, latest versions) or as they
    /// stood on a date; `None` if no version in that view holds it. When several datasets
    /// hold the id, the one seen most recently wins (see [`Store::entity_in_datasets`]).
    pub async fn entity(
        &self,
        id: &str,
        as_of: Option<NaiveDate>,
    ) -> Result<Option<StoredEntity>, StoreError> {
        let mut all = self.entity_in_datasets(id, as_of).await?;
        all.sort_by(|a, b| {
            b.last_seen
                .cmp(&a.last_seen)
                .then(a.dataset.cmp(&b.dataset))
        });
        Ok(all.into_iter().next())
    }

    /// The entity with this id in every dataset whose version in the view holds it.
    pub async fn entity_in_datasets(
        &self,
        id: &str,
        as_of: Option<NaiveDate>,
    ) -> Result<Vec<StoredEntity>, StoreError> {
        let mut known = self.entity_records(id).await?;
        let mut out = Vec::new();
        for (dataset, timeline) in &known.timelines {
            let upto = match as_of {
                Some(d) => timeline
                    .steps
                    .iter()
                    .rposition(|(v, _)| v.effective_date() <= d),
                None => timeline.steps.len().checked_sub(1),
            };
            let Some(upto) = upto else { continue };
            let steps = &timeline.steps[..=upto];
            let Some((version, Some(record))) = steps.last() else {
                continue;
            };
            let first_seen = steps
                .iter()
                .find(|(_, r)| r.is_some())
                .map_or(version.effective_date(), |(v, _)| v.effective_date());
            let mut last_change = first_seen;
            let mut previous: Option<i64> = None;
            for (v, r) in steps {
                match (previous, *r) {
                    (None, Some(_)) => last_change = v.effective_date(),
                    (Some(a), Some(b)) if known.differs(a, b) => last_change = v.effective_date(),
                    _ => {}
                }
                previous = *r;
            }
            out.push((
                dataset.clone(),
                version.clone(),
                *record,
                first_seen,
                last_change,
            ));
        }
        let mut result = Vec::with_capacity(out.len());
        for (dataset, version, record, first_seen, last_change) in out {
            let entity = match known.records.remove(&record) {
                Some(e) => e,
                None => continue,
            };
            result.push(StoredEntity {
                entity,
                dataset,
                version_id: version.id,
                first_seen,
                last_seen: version.effective_date(),
                last_change,
            });
        }
        Ok(result)
    }

    /// The entities whose entity-typed properties (a sanction's `entity`, an address link, an
    /// ownership's `owner` or `asset` …) point at `id`, in the lists now or as of a date: what
    /// nested output and the ownership graph need. Sorted by dataset, then id.
    pub async fn referencing(
        &self,
        id: &str,
        as_of: Option<NaiveDate>,
    ) -> Result<Vec<DatasetEntity>, StoreError> {
        let versions = self.view(as_of).await?;
        if versions.is_empty() {
            return Ok(Vec::new());
        }
        let datasets: HashMap<i64, &str> = versions
            .iter()
            .map(|v| (v.id, v.dataset.as_str()))
            .collect();
        let sql = format!(
            "SELECT ve.version_id, r.id, r.body FROM entity_references er \
             JOIN version_entities ve ON ve.record_id = er.record_id \
             JOIN entity_records r ON r.id = er.record_id \
             WHERE er.target_id = $1 AND ve.version_id IN ({})",
            json_elements(self.backend(), 2, "bigint")
        );
        let ids: Vec<i64> = versions.iter().map(|v| v.id).collect();
        let list = json_list(&ids);
        let rows: Vec<(i64, i64, String)> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(id).bind(&list).fetch_all(pool).await
        })
        .map_err(db(format!("finding the entities that refer to {id}")))?;
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (version_id, record_id, body) in rows {
            if !seen.insert((version_id, record_id)) {
                continue;
            }
            out.push(DatasetEntity {
                dataset: datasets
                    .get(&version_id)
                    .copied()
                    .unwrap_or_default()
                    .to_string(),
                version_id,
                entity: decode(record_id, &body)?,
            });
        }
        out.sort_by(|a, b| {
            a.dataset
                .cmp(&b.dataset)
                .then(a.entity.id.cmp(&b.entity.id))
        });
        Ok(out)
    }

    /// Every stored content of an entity id and its presence across the versions of each
    /// dataset that ever held it.
    pub(crate) async fn entity_records(&self, id: &str) -> Result<EntityRecords, StoreError> {
        const RECORDS: &str = "SELECT id, body FROM entity_records WHERE entity_id = $1";
        const PRESENCE: &str = "SELECT ve.version_id, ve.record_id FROM entity_records r \
             JOIN version_entities ve ON ve.record_id = r.id WHERE r.entity_id = $1";
        let context = || format!("loading the records of entity {id}");
        let bodies: Vec<(i64, String)> =
            with_pool!(self, pool => sqlx::query_as(RECORDS).bind(id).fetch_all(pool).await)
                .map_err(db(context()))?;
        let mut records = HashMap::with_capacity(bodies.len());
        for (record_id, body) in bodies {
            records.insert(record_id, decode(record_id, &body)?);
        }
        let presence: HashMap<i64, i64> = if records.is_empty() {
            HashMap::new()
        } else {
            with_pool!(self, pool => {
                sqlx::query_as::<_, (i64, i64)>(PRESENCE).bind(id).fetch_all(pool).await
            })
            .map_err(db(context()))?
            .into_iter()
            .collect()
        };
        let mut timelines = BTreeMap::new();
        if !presence.is_empty() {
            const DATASETS: &str = "SELECT DISTINCT v.dataset FROM entity_records r \
                 JOIN version_entities ve ON ve.record_id = r.id \
                 JOIN list_versions v ON v.id = ve.version_id WHERE r.entity_id = $1";
            let datasets: Vec<String> = with_pool!(self, pool => {
                sqlx::query_scalar(DATASETS).bind(id).fetch_all(pool).await
            })
            .map_err(db(context()))?;
            for dataset in datasets {
                let steps = self
                    .dataset_versions(&dataset)
                    .await?
                    .into_iter()
                    .map(|v| {
                        let record = presence.get(&v.id).copied();
                        (v, record)
                    })
                    .collect();
                timelines.insert(dataset, Timeline { steps });
            }
        }
        Ok(EntityRecords { records, timelines })
    }
}
