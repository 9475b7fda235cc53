//! The HTTP validators of the last good sync of each URL.

use serde::{Deserialize, Serialize};

use crate::error::{StoreError, db};
use crate::{Store, with_pool};

/// What a publisher said about the file the last good sync imported: the validators for a
/// conditional GET, and the SHA-256 of the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncValidators {
    /// The `ETag` header, as sent.
    pub etag: Option<String>,
    /// The `Last-Modified` header, as sent.
    pub last_modified: Option<String>,
    /// SHA-256 of the body, hex.
    pub sha256: String,
}

impl Store {
    /// The validators stored for a URL by the last good sync, if any.
    pub async fn sync_validators(&self, url: &str) -> Result<Option<SyncValidators>, StoreError> {
        const SQL: &str = "SELECT etag, last_modified, sha256 FROM sync_state WHERE url = $1";
        let row: Option<(Option<String>, Option<String>, String)> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(url).fetch_optional(pool).await
        })
        .map_err(db(format!("reading the sync state of {url}")))?;
        Ok(row.map(|(etag, last_modified, sha256)| SyncValidators {
            etag,
            last_modified,
            sha256,
        }))
    }

    /// Remember the validators of a URL whose file was imported successfully.
    pub async fn save_sync_validators(
        &self,
        url: &str,
        validators: &SyncValidators,
    ) -> Result<(), StoreError> {
        const SQL: &str = "INSERT INTO sync_state (url, etag, last_modified, sha256, synced_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, \
             last_modified = excluded.last_modified, sha256 = excluded.sha256, \
             synced_at = excluded.synced_at";
        let now = chrono::Utc::now().to_rfc3339();
        with_pool!(self, pool => {
            sqlx::query(SQL)
                .bind(url)
                .bind(&validators.etag)
                .bind(&validators.last_modified)
                .bind(&validators.sha256)
                .bind(&now)
                .execute(pool)
                .await
                .map(|_| ())
        })
        .map_err(db(format!("saving the sync state of {url}")))?;
        Ok(())
    }
}
