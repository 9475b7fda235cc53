//! List versions: listing them, finding the latest one of a dataset, or the one in force on a
//! date.
//!
//! Within a dataset, versions are ordered by effective date (publication date, else import
//! date) and then by id, so that importing an old file after a newer one (a back-fill) does not
//! make the old file "latest".

use chrono::{DateTime, NaiveDate, Utc};
use interdict_model::ListVersion;

use crate::error::{StoreError, db};
use crate::{Store, with_pool};

/// The columns of `list_versions` that [`VersionRow`] reads, in order.
pub(crate) const VERSION_COLUMNS: &str =
    "id, dataset, format, published, imported_at, sha256, entity_count, files";

/// A `list_versions` row as the drivers decode it.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct VersionRow {
    id: i64,
    dataset: String,
    format: String,
    published: Option<NaiveDate>,
    imported_at: DateTime<Utc>,
    sha256: String,
    entity_count: i64,
    files: String,
}

impl VersionRow {
    /// The model's view of the row.
    pub(crate) fn into_version(self) -> Result<ListVersion, StoreError> {
        let files: Vec<String> =
            serde_json::from_str(&self.files).map_err(|e| StoreError::CorruptVersion {
                version_id: self.id,
                reason: format!("files is not a JSON array of names: {e}"),
            })?;
        Ok(ListVersion {
            id: self.id,
            dataset: self.dataset,
            format: self.format,
            published: self.published,
            imported_at: self.imported_at,
            sha256: self.sha256,
            entity_count: self.entity_count,
            files,
        })
    }
}

/// Convert fetched rows, keeping their order.
pub(crate) fn into_versions(rows: Vec<VersionRow>) -> Result<Vec<ListVersion>, StoreError> {
    rows.into_iter().map(VersionRow::into_version).collect()
}

/// The latest version of a dataset.
pub(crate) const LATEST_OF_DATASET: &str = "SELECT id, dataset, format, published, imported_at, \
     sha256, entity_count, files FROM list_versions WHERE dataset = $1 \
     ORDER BY effective_date DESC, id DESC LIMIT 1";

/// The latest version of every dataset.
const LATEST_OF_EACH: &str = "SELECT id, dataset, format, published, imported_at, sha256, \
     entity_count, files FROM list_versions v WHERE v.id = (SELECT w.id FROM list_versions w \
     WHERE w.dataset = v.dataset ORDER BY w.effective_date DESC, w.id DESC LIMIT 1) \
     ORDER BY v.dataset";

/// The version of every dataset in force on a date.
const AS_OF_EACH: &str = "SELECT id, dataset, format, published, imported_at, sha256, \
     entity_count, files FROM list_versions v WHERE v.id = (SELECT w.id FROM list_versions w \
     WHERE w.dataset = v.dataset AND w.effective_date <= $1 \
     ORDER BY w.effective_date DESC, w.id DESC LIMIT 1) ORDER BY v.dataset";

impl Store {
    /// Every version of every dataset, in import order: what `interdict lists` shows.
    pub async fn versions(&self) -> Result<Vec<ListVersion>, StoreError> {
        let sql = format!("SELECT {VERSION_COLUMNS} FROM list_versions ORDER BY id");
        let rows: Vec<VersionRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).fetch_all(pool).await
        })
        .map_err(db("listing the list versions"))?;
        into_versions(rows)
    }

    /// The versions of one dataset, oldest first (by effective date, then id): the sequence
    /// that history and last-change dates are computed over.
    pub async fn dataset_versions(&self, dataset: &str) -> Result<Vec<ListVersion>, StoreError> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM list_versions WHERE dataset = $1 \
             ORDER BY effective_date, id"
        );
        let rows: Vec<VersionRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(dataset).fetch_all(pool).await
        })
        .map_err(db(format!("listing the versions of {dataset}")))?;
        into_versions(rows)
    }

    /// One version by id; `None` if there is none, so a CLI can say "no version 7".
    pub async fn version(&self, id: i64) -> Result<Option<ListVersion>, StoreError> {
        let sql = format!("SELECT {VERSION_COLUMNS} FROM list_versions WHERE id = $1");
        let row: Option<VersionRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
        })
        .map_err(db(format!("loading list version {id}")))?;
        row.map(VersionRow::into_version).transpose()
    }

    /// One version by id, or [`StoreError::VersionNotFound`].
    pub(crate) async fn require_version(&self, id: i64) -> Result<ListVersion, StoreError> {
        self.version(id)
            .await?
            .ok_or(StoreError::VersionNotFound(id))
    }

    /// The version of a dataset that is in force now: the one with the latest effective date
    /// (the latest import among equals). Delta imports apply to it, re-imports compare with it.
    pub async fn latest_version(&self, dataset: &str) -> Result<Option<ListVersion>, StoreError> {
        let row: Option<VersionRow> = with_pool!(self, pool => {
            sqlx::query_as(LATEST_OF_DATASET).bind(dataset).fetch_optional(pool).await
        })
        .map_err(db(format!("finding the latest version of {dataset}")))?;
        row.map(VersionRow::into_version).transpose()
    }

    /// The version of a dataset as it stood on `date`: the latest one whose effective date
    /// (publication date, else import date) is on or before it. `None` before the first.
    pub async fn version_as_of(
        &self,
        dataset: &str,
        date: NaiveDate,
    ) -> Result<Option<ListVersion>, StoreError> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM list_versions WHERE dataset = $1 \
             AND effective_date <= $2 ORDER BY effective_date DESC, id DESC LIMIT 1"
        );
        let row: Option<VersionRow> = with_pool!(self, pool => {
            sqlx::query_as(&sql).bind(dataset).bind(date).fetch_optional(pool).await
        })
        .map_err(db(format!("finding the version of {dataset} as of {date}")))?;
        row.map(VersionRow::into_version).transpose()
    }

    /// The latest version of every dataset, by dataset name: what screening runs against.
    pub async fn current_versions(&self) -> Result<Vec<ListVersion>, StoreError> {
        let rows: Vec<VersionRow> = with_pool!(self, pool => {
            sqlx::query_as(LATEST_OF_EACH).fetch_all(pool).await
        })
        .map_err(db("finding the latest version of every dataset"))?;
        into_versions(rows)
    }

    /// The version of every dataset in force on `date` (datasets first imported later are
    /// absent): "what did the lists say on D".
    pub async fn versions_as_of(&self, date: NaiveDate) -> Result<Vec<ListVersion>, StoreError> {
        let rows: Vec<VersionRow> = with_pool!(self, pool => {
            sqlx::query_as(AS_OF_EACH).bind(date).fetch_all(pool).await
        })
        .map_err(db(format!("finding the versions in force on {date}")))?;
        into_versions(rows)
    }

    /// The versions in force now (`None`) or on a date.
    pub(crate) async fn view(
        &self,
        as_of: Option<NaiveDate>,
    ) -> Result<Vec<ListVersion>, StoreError> {
        match as_of {
            None => self.current_versions().await,
            Some(d) => self.versions_as_of(d).await,
        }
    }

    /// The names of the datasets that have at least one version, sorted.
    pub async fn datasets(&self) -> Result<Vec<String>, StoreError> {
        const SQL: &str = "SELECT DISTINCT dataset FROM list_versions ORDER BY dataset";
        with_pool!(self, pool => sqlx::query_scalar(SQL).fetch_all(pool).await)
            .map_err(db("listing the datasets"))
    }
}
