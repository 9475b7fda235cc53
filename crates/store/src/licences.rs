//! Specific licences: what an authority issued to one holder, recorded so that decisions apply
//! them. The store keeps them as written (times with their zones as text, parties and
//! conditions as JSON arrays) and never interprets them: the decision engine does. A revoked
//! licence stays in the table with the time and reason of its revocation, so that a decision
//! taken while it was valid can still be explained and replayed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{StoreError, db};
use crate::{Store, with_pool};

/// A specific licence to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLicence {
    /// The authority's number; unique.
    pub number: String,
    /// `us`, `eu` or `uk`.
    pub jurisdiction: String,
    /// The licensee.
    pub holder: String,
    /// Entity ids or names of the parties it authorises dealings with.
    pub parties: Vec<String>,
    /// Programme ids it relieves; empty for all of its jurisdiction.
    pub programmes: Vec<String>,
    /// The cap, as an exact decimal.
    pub amount_cap: Option<String>,
    /// The cap's currency.
    pub currency: Option<String>,
    /// Valid from: a day or a local time with its zone, as written.
    pub valid_from: String,
    /// Valid until (inclusive), as written.
    pub valid_until: Option<String>,
    /// Conditions.
    pub conditions: Vec<String>,
}

/// A specific licence as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredLicence {
    /// The store's id (what `interdict licences revoke` takes).
    pub id: i64,
    /// The licence as recorded.
    #[serde(flatten)]
    pub licence: NewLicence,
    /// When it was recorded.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why.
    pub revocation_reason: Option<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    number: String,
    jurisdiction: String,
    holder: String,
    parties: String,
    programmes: String,
    amount_cap: Option<String>,
    currency: Option<String>,
    valid_from: String,
    valid_until: Option<String>,
    conditions: String,
    created_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    revocation_reason: Option<String>,
}

const COLUMNS: &str = "id, number, jurisdiction, holder, parties, programmes, amount_cap, \
     currency, valid_from, valid_until, conditions, created_at, revoked_at, revocation_reason";

impl Row {
    fn into_licence(self) -> Result<StoredLicence, StoreError> {
        let list = |field: &str, text: &str| -> Result<Vec<String>, StoreError> {
            serde_json::from_str(text).map_err(|e| StoreError::Database {
                context: format!(
                    "reading licence {} ({field} is not a JSON array of strings)",
                    self.id
                ),
                source: sqlx::Error::Decode(Box::new(e)),
            })
        };
        Ok(StoredLicence {
            id: self.id,
            licence: NewLicence {
                parties: list("parties", &self.parties)?,
                programmes: list("programmes", &self.programmes)?,
                conditions: list("conditions", &self.conditions)?,
                number: self.number,
                jurisdiction: self.jurisdiction,
                holder: self.holder,
                amount_cap: self.amount_cap,
                currency: self.currency,
                valid_from: self.valid_from,
                valid_until: self.valid_until,
            },
            created_at: self.created_at,
            revoked_at: self.revoked_at,
            revocation_reason: self.revocation_reason,
        })
    }
}

/// A timestamp truncated to microseconds, which both backends store exactly.
fn now() -> DateTime<Utc> {
    let now = Utc::now();
    DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}

fn json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

impl Store {
    /// Record a specific licence. A second licence with the same number is refused by the
    /// database (the caller checks first to say so plainly).
    pub async fn create_licence(&self, l: &NewLicence) -> Result<StoredLicence, StoreError> {
        let sql = format!(
            "INSERT INTO specific_licences (number, jurisdiction, holder, parties, programmes, \
             amount_cap, currency, valid_from, valid_until, conditions, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {COLUMNS}"
        );
        let row: Row = with_pool!(self, pool => {
            sqlx::query_as::<_, Row>(&sql)
                .bind(&l.number)
                .bind(&l.jurisdiction)
                .bind(&l.holder)
                .bind(json(&l.parties))
                .bind(json(&l.programmes))
                .bind(&l.amount_cap)
                .bind(&l.currency)
                .bind(&l.valid_from)
                .bind(&l.valid_until)
                .bind(json(&l.conditions))
                .bind(now())
                .fetch_one(pool)
                .await
        })
        .map_err(db(format!("recording licence {}", l.number)))?;
        row.into_licence()
    }

    /// Every specific licence, revoked ones included, oldest first.
    pub async fn licences(&self) -> Result<Vec<StoredLicence>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM specific_licences ORDER BY id");
        let rows: Vec<Row> =
            with_pool!(self, pool => sqlx::query_as::<_, Row>(&sql).fetch_all(pool).await)
                .map_err(db("listing the specific licences"))?;
        rows.into_iter().map(Row::into_licence).collect()
    }

    /// One specific licence by id, or `None`.
    pub async fn licence(&self, id: i64) -> Result<Option<StoredLicence>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM specific_licences WHERE id = $1");
        let row: Option<Row> = with_pool!(self, pool => {
            sqlx::query_as::<_, Row>(&sql).bind(id).fetch_optional(pool).await
        })
        .map_err(db(format!("loading licence {id}")))?;
        row.map(Row::into_licence).transpose()
    }

    /// One specific licence by its number, or `None`.
    pub async fn licence_by_number(
        &self,
        number: &str,
    ) -> Result<Option<StoredLicence>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM specific_licences WHERE number = $1");
        let row: Option<Row> = with_pool!(self, pool => {
            sqlx::query_as::<_, Row>(&sql).bind(number).fetch_optional(pool).await
        })
        .map_err(db(format!("loading licence {number}")))?;
        row.map(Row::into_licence).transpose()
    }

    /// Revoke a licence by id, with the reason. Returns the licence as it now stands (a licence
    /// revoked before keeps its first revocation), or `None` if there is no such licence.
    pub async fn revoke_licence(
        &self,
        id: i64,
        reason: &str,
    ) -> Result<Option<StoredLicence>, StoreError> {
        const SQL: &str = "UPDATE specific_licences SET revoked_at = $1, revocation_reason = $2 \
             WHERE id = $3 AND revoked_at IS NULL";
        with_pool!(self, pool => {
            sqlx::query(SQL).bind(now()).bind(reason).bind(id).execute(pool).await.map(|_| ())
        })
        .map_err(db(format!("revoking licence {id}")))?;
        self.licence(id).await
    }
}

#[cfg(all(test, feature = "testing"))]
mod tests {
    use super::*;
    use crate::testing::test_store;

    fn licence(number: &str) -> NewLicence {
        NewLicence {
            number: number.into(),
            jurisdiction: "us".into(),
            holder: "Gulf Coast Lubricants Trading LLC".into(),
            parties: vec!["ofac-12860".into()],
            programmes: vec!["us-belarus".into()],
            amount_cap: Some("100000.00".into()),
            currency: Some("USD".into()),
            valid_from: "2021-06-05".into(),
            valid_until: Some("2021-12-31T23:59:00[America/New_York]".into()),
            conditions: vec!["Report each payment to OFAC within 10 days.".into()],
        }
    }

    #[tokio::test]
    async fn create_list_revoke_on_both_backends() {
        let store = test_store().await;
        let a = store
            .create_licence(&licence("BELARUS-2021-0001"))
            .await
            .unwrap();
        assert_eq!(a.licence, licence("BELARUS-2021-0001"));
        assert!(a.revoked_at.is_none());
        assert!(
            store
                .create_licence(&licence("BELARUS-2021-0001"))
                .await
                .is_err(),
            "numbers are unique"
        );
        let b = store
            .create_licence(&licence("BELARUS-2021-0002"))
            .await
            .unwrap();
        assert_eq!(store.licences().await.unwrap().len(), 2);
        let r = store
            .revoke_licence(b.id, "superseded")
            .await
            .unwrap()
            .unwrap();
        let first = r.revoked_at.unwrap();
        assert_eq!(r.revocation_reason.as_deref(), Some("superseded"));
        let again = store.revoke_licence(b.id, "twice").await.unwrap().unwrap();
        assert_eq!(again.revoked_at, Some(first), "the first revocation stands");
        assert_eq!(again.revocation_reason.as_deref(), Some("superseded"));
        assert!(store.revoke_licence(999, "x").await.unwrap().is_none());
        assert_eq!(
            store
                .licence_by_number("BELARUS-2021-0001")
                .await
                .unwrap()
                .unwrap()
                .id,
            a.id
        );
    }
}
