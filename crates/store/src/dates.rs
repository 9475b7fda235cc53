//! First-seen, last-seen and last-change dates of every screened entity of a view, in bulk.
//!
//! [`Store::entity`] derives these dates for one entity; a screening index needs them for tens
//! of thousands at once (yente returns them with every match, and `changed_since` filters on
//! them). Reading each entity's timeline separately would cost one round of queries per
//! entity, so this reads the membership of every version of each dataset up to the view in one
//! query per dataset and derives the same dates by the same rules: first seen is the first
//! version that holds the entity, last seen the view's version, last change the version in
//! which it took its present values (added, re-added after a removal, or changed in more than
//! provenance).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use interdict_model::{Entity, ListVersion, Schema, diff_entity};
use serde::Serialize;

use crate::entities::decode;
use crate::error::{StoreError, db};
use crate::sql::{json_elements, json_list};
use crate::{Store, with_pool};

/// When an entity was first listed, last listed and last changed in one dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct EntityDates {
    /// Effective date of the first version of the dataset that held it.
    pub first_seen: NaiveDate,
    /// Effective date of the version of the view (the latest that holds it).
    pub last_seen: NaiveDate,
    /// Effective date of the version in which it took its present values.
    pub last_change: NaiveDate,
}

/// Dataset name → entity id → dates, for the matchable entities of a view.
pub type ViewDates = HashMap<String, HashMap<String, EntityDates>>;

impl Store {
    /// The dates of every entity of a matchable schema (people, organisations, vessels …)
    /// held by the given versions, one version per dataset (a view: the current versions, or
    /// those in force on a date). Each version is placed in its dataset's sequence of versions
    /// (by effective date, then id) and only the versions up to it count, so the dates are
    /// those the view would have shown.
    pub async fn entity_dates(&self, view: &[ListVersion]) -> Result<ViewDates, StoreError> {
        let mut out = ViewDates::new();
        for version in view {
            let all = self.dataset_versions(&version.dataset).await?;
            let Some(end) = all.iter().position(|v| v.id == version.id) else {
                return Err(StoreError::VersionNotFound(version.id));
            };
            let steps = &all[..=end];
            let dates = self.dataset_dates(steps).await?;
            out.insert(version.dataset.clone(), dates);
        }
        Ok(out)
    }

    /// The dates of the matchable entities of the last of `steps` (versions of one dataset,
    /// oldest first).
    async fn dataset_dates(
        &self,
        steps: &[ListVersion],
    ) -> Result<HashMap<String, EntityDates>, StoreError> {
        let Some(last) = steps.last() else {
            return Ok(HashMap::new());
        };
        let step_of: HashMap<i64, usize> =
            steps.iter().enumerate().map(|(i, v)| (v.id, i)).collect();
        let sql = format!(
            "SELECT ve.version_id, r.entity_id, r.id, r.schema FROM version_entities ve \
             JOIN entity_records r ON r.id = ve.record_id WHERE ve.version_id IN ({})",
            json_elements(self.backend(), 1, "bigint")
        );
        let ids: Vec<i64> = steps.iter().map(|v| v.id).collect();
        let list = json_list(&ids);
        let rows: Vec<(i64, String, i64, String)> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(&list).fetch_all(pool).await
        })
        .map_err(db(format!(
            "reading the membership of the {} versions",
            last.dataset
        )))?;

        // Entity id → (step, record) for each version holding it.
        let mut presence: HashMap<String, Vec<(usize, i64)>> = HashMap::new();
        for (version_id, entity_id, record_id, schema) in rows {
            if !Schema::get(&schema).is_some_and(Schema::is_matchable) {
                continue;
            }
            let Some(&step) = step_of.get(&version_id) else {
                continue;
            };
            presence
                .entry(entity_id)
                .or_default()
                .push((step, record_id));
        }
        let last_step = steps.len() - 1;
        presence.retain(|_, p| p.iter().any(|(s, _)| *s == last_step));
        for p in presence.values_mut() {
            p.sort_unstable();
        }

        // Records that follow a different record in the next version: their bodies decide
        // whether the entity changed or only its provenance did.
        let mut wanted: HashSet<i64> = HashSet::new();
        for p in presence.values() {
            for pair in p.windows(2) {
                let ((s1, r1), (s2, r2)) = (pair[0], pair[1]);
                if s2 == s1 + 1 && r1 != r2 {
                    wanted.insert(r1);
                    wanted.insert(r2);
                }
            }
        }
        let bodies = self
            .record_bodies(&wanted.into_iter().collect::<Vec<_>>())
            .await?;
        let differs = |a: i64, b: i64| match (bodies.get(&a), bodies.get(&b)) {
            (Some(x), Some(y)) => diff_entity(x, y).is_some(),
            _ => true,
        };

        let date = |s: usize| steps[s].effective_date();
        let mut out = HashMap::with_capacity(presence.len());
        for (id, p) in presence {
            let Some(&(first, _)) = p.first() else {
                continue;
            };
            let mut last_change = date(first);
            let mut previous: Option<(usize, i64)> = None;
            for &(s, r) in &p {
                match previous {
                    // Absent in the version before: added or re-added here.
                    Some((ps, _)) if ps + 1 != s => last_change = date(s),
                    Some((_, pr)) if pr != r && differs(pr, r) => last_change = date(s),
                    _ => {}
                }
                previous = Some((s, r));
            }
            out.insert(
                id,
                EntityDates {
                    first_seen: date(first),
                    last_seen: last.effective_date(),
                    last_change,
                },
            );
        }
        Ok(out)
    }

    /// Decode the given records, by record id.
    async fn record_bodies(&self, ids: &[i64]) -> Result<HashMap<i64, Entity>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT id, body FROM entity_records WHERE id IN ({})",
            json_elements(self.backend(), 1, "bigint")
        );
        let list = json_list(ids);
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

#[cfg(all(test, feature = "testing"))]
mod tests {
    use chrono::NaiveDate;
    use interdict_model::{Entity, ImportMode, ListRecord, Schema};

    use crate::NewVersion;
    use crate::testing::test_store;

    fn person(id: &str, name: &str, origin: &str) -> Entity {
        let mut e = Entity::new(id, Schema::named("Person"));
        e.set("name", name, Some(origin));
        e
    }

    fn draft(published: &str, sha: &str) -> NewVersion {
        NewVersion {
            dataset: "test_list".into(),
            format: "ftm".into(),
            mode: ImportMode::Full,
            published: NaiveDate::parse_from_str(published, "%Y-%m-%d").ok(),
            sha256: sha.into(),
            files: vec!["x".into()],
        }
    }

    #[tokio::test]
    async fn dates_follow_membership_and_ignore_provenance() {
        let store = test_store().await;
        let records = |es: Vec<Entity>| {
            es.into_iter()
                .map(|e| Ok::<_, std::io::Error>(ListRecord::Entity(e)))
                .collect::<Vec<_>>()
        };
        let v1 = store
            .import(
                draft("2021-01-01", "a"),
                records(vec![person("p1", "A", "f:1"), person("p2", "B", "f:1")]),
            )
            .await
            .unwrap()
            .version;
        // p1 only changes provenance, p2 changes its name, p3 is new.
        let v2 = store
            .import(
                draft("2021-02-01", "b"),
                records(vec![
                    person("p1", "A", "f:2"),
                    person("p2", "B2", "f:1"),
                    person("p3", "C", "f:1"),
                ]),
            )
            .await
            .unwrap()
            .version;
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let now = store.entity_dates(std::slice::from_ref(&v2)).await.unwrap();
        let d = &now["test_list"];
        assert_eq!(d["p1"].first_seen, day("2021-01-01"));
        assert_eq!(
            d["p1"].last_change,
            day("2021-01-01"),
            "provenance alone is no change"
        );
        assert_eq!(d["p1"].last_seen, day("2021-02-01"));
        assert_eq!(d["p2"].last_change, day("2021-02-01"));
        assert_eq!(d["p3"].first_seen, day("2021-02-01"));
        // The same as Store::entity derives one at a time.
        let one = store.entity("p2", None).await.unwrap().unwrap();
        assert_eq!(
            (one.first_seen, one.last_change),
            (d["p2"].first_seen, d["p2"].last_change)
        );
        // As of the first version: only its entities, seen then.
        let then = store.entity_dates(std::slice::from_ref(&v1)).await.unwrap();
        assert_eq!(then["test_list"].len(), 2);
        assert_eq!(then["test_list"]["p2"].last_seen, day("2021-01-01"));
    }
}
