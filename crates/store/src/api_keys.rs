//! API keys of the HTTP server: stored as the SHA-256 of the key, never the key itself.
//!
//! The store only remembers keys; it neither makes them nor decides what a role may do. The
//! server crate generates a key, hashes it, hands the hash here, and checks the hash of every
//! presented key against [`Store::api_keys`] (in constant time). A revoked key stays in the
//! table, with the time of its revocation, so that the record of who could call the API when is
//! never lost.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::{StoreError, db};
use crate::{Store, with_pool};

/// One API key as stored: its name, role, recognisable prefix and hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ApiKey {
    /// The store's id of the key (what `interdict keys revoke` takes).
    pub id: i64,
    /// What the key is for, as its creator named it.
    pub name: String,
    /// The role granted (`screening`, `analyst`, `approver`, `admin`); the server interprets it.
    pub role: String,
    /// The first characters of the key, so that an operator can tell keys apart in logs and
    /// listings without the key being stored.
    pub prefix: String,
    /// Hex SHA-256 of the whole key.
    #[serde(skip)]
    pub key_sha256: String,
    /// When the key was created.
    pub created_at: DateTime<Utc>,
    /// When the key was revoked; `None` while it is valid.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ApiKey {
    /// Whether the key is still accepted.
    pub fn is_active(&self) -> bool {
        self.revoked_at.is_none()
    }
}

const KEY_COLUMNS: &str = "id, name, role, prefix, key_sha256, created_at, revoked_at";

/// A timestamp truncated to microseconds, which both backends store exactly.
fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}

impl Store {
    /// Record a new key by its hash. The caller made the key and shows it to its owner once;
    /// only `prefix` and `key_sha256` are kept. Two keys with the same hash are refused by the
    /// database (a random 256-bit key never collides).
    pub async fn create_api_key(
        &self,
        name: &str,
        role: &str,
        prefix: &str,
        key_sha256: &str,
    ) -> Result<ApiKey, StoreError> {
        let sql = format!(
            "INSERT INTO api_keys (name, role, prefix, key_sha256, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING {KEY_COLUMNS}"
        );
        let created_at = now();
        with_pool!(self, pool => {
            sqlx::query_as::<_, ApiKey>(&sql)
                .bind(name)
                .bind(role)
                .bind(prefix)
                .bind(key_sha256)
                .bind(created_at)
                .fetch_one(pool)
                .await
        })
        .map_err(db(format!("creating the API key {name:?}")))
    }

    /// Every key, revoked ones included, oldest first: what `interdict keys list` shows and
    /// what the server loads to check presented keys.
    pub async fn api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys ORDER BY id");
        with_pool!(self, pool => sqlx::query_as::<_, ApiKey>(&sql).fetch_all(pool).await)
            .map_err(db("listing the API keys"))
    }

    /// Revoke a key by id. Returns the key as it now stands (a key revoked before keeps its
    /// first revocation time), or `None` if there is no such key.
    pub async fn revoke_api_key(&self, id: i64) -> Result<Option<ApiKey>, StoreError> {
        const SQL: &str =
            "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL";
        let context = || format!("revoking API key {id}");
        with_pool!(self, pool => {
            sqlx::query(SQL).bind(now()).bind(id).execute(pool).await.map(|_| ())
        })
        .map_err(db(context()))?;
        let sql = format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE id = $1");
        with_pool!(self, pool => {
            sqlx::query_as::<_, ApiKey>(&sql).bind(id).fetch_optional(pool).await
        })
        .map_err(db(context()))
    }
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use crate::testing::test_store;

    #[tokio::test]
    async fn keys_are_stored_listed_and_revoked() {
        let store = test_store().await;
        let a = store
            .create_api_key("gateway", "screening", "idk_aaaa", "11")
            .await
            .unwrap();
        let b = store
            .create_api_key("ops", "admin", "idk_bbbb", "22")
            .await
            .unwrap();
        assert!(a.is_active() && b.id > a.id);
        assert!(
            store
                .create_api_key("dup", "admin", "idk_cccc", "22")
                .await
                .is_err()
        );
        let revoked = store.revoke_api_key(a.id).await.unwrap().unwrap();
        let when = revoked.revoked_at.unwrap();
        // Revoking again keeps the first revocation time.
        let again = store.revoke_api_key(a.id).await.unwrap().unwrap();
        assert_eq!(again.revoked_at, Some(when));
        assert!(store.revoke_api_key(999).await.unwrap().is_none());
        let all = store.api_keys().await.unwrap();
        assert_eq!(all.len(), 2);
        assert!(!all[0].is_active() && all[1].is_active());
        assert_eq!(all[1].key_sha256, "22");
    }
}
