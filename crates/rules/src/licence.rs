//! Specific licences: issued by an authority to one holder for named dealings (OFAC specific
//! licences, EU competent-authority authorisations, OFSI licences). Unlike general licences they
//! are not in the programme files but in the store, created and revoked through the CLI and the
//! API; the engine applies them like general licences and records every one it considered.

use chrono::{DateTime, Utc};
use interdict_dealings::{Amount, Currency};
use serde::{Deserialize, Serialize};

use crate::moment::Moment;
use crate::programme::Jurisdiction;

/// A specific licence as the engine applies it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecificLicence {
    /// The store's id, once stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The authority's number (`BELARUS-EO14038-2022-123456-1`).
    pub number: String,
    /// The authority's jurisdiction.
    pub jurisdiction: Jurisdiction,
    /// The licensee: a party of the dealing must be it.
    pub holder: String,
    /// The blocked parties the licence authorises dealings with: entity ids (`ofac-12860`) or
    /// names as written.
    pub parties: Vec<String>,
    /// The programmes it relieves (ids); empty for every programme of its jurisdiction.
    #[serde(default)]
    pub programmes: Vec<String>,
    /// The most a dealing may be for (exact decimal), if capped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_cap: Option<String>,
    /// The currency of the cap.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Valid from (a day or a local time with its zone).
    pub valid_from: Moment,
    /// Valid until (inclusive), if it expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<Moment>,
    /// Conditions, printed with every decision that uses the licence.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// When it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<DateTime<Utc>>,
    /// When it was revoked (it stops applying from this instant).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why it was revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_reason: Option<String>,
}

/// Why a specific licence cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("licence {field}: {reason}")]
pub struct LicenceError {
    /// The field (`amount_cap`, `valid_until` …).
    pub field: &'static str,
    /// What is wrong.
    pub reason: String,
}

impl SpecificLicence {
    /// Check a licence before it is stored: a number, a holder, at least one party, an amount
    /// with its currency, an end after the start.
    pub fn validate(&self) -> Result<(), LicenceError> {
        let err = |field, reason: &str| {
            Err(LicenceError {
                field,
                reason: reason.to_string(),
            })
        };
        if self.number.trim().is_empty() {
            return err("number", "a licence needs its number");
        }
        if self.holder.trim().is_empty() {
            return err("holder", "a licence needs its holder");
        }
        if self.parties.iter().all(|p| p.trim().is_empty()) {
            return err(
                "parties",
                "a licence names at least one party it authorises dealings with",
            );
        }
        match (&self.amount_cap, &self.currency) {
            (Some(a), Some(c)) => {
                if a.parse::<Amount>().is_err() {
                    return err("amount_cap", &format!("{a:?} is not an amount"));
                }
                if c.parse::<Currency>().is_err() {
                    return err("currency", &format!("{c:?} is not an ISO 4217 currency"));
                }
            }
            (Some(_), None) => return err("currency", "an amount cap needs its currency"),
            (None, Some(_)) => return err("amount_cap", "a currency without an amount cap"),
            (None, None) => {}
        }
        if let Some(until) = &self.valid_until
            && until.day() < self.valid_from.day()
        {
            return err(
                "valid_until",
                &format!("{until} is before valid_from {}", self.valid_from),
            );
        }
        Ok(())
    }

    /// The cap as an amount and currency, when capped.
    pub fn cap(&self) -> Option<(Amount, Currency)> {
        let a = self.amount_cap.as_ref()?.parse().ok()?;
        let c = self.currency.as_ref()?.parse().ok()?;
        Some((a, c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn licence() -> SpecificLicence {
        SpecificLicence {
            id: None,
            number: "BELARUS-2021-0001".into(),
            jurisdiction: Jurisdiction::Us,
            holder: "Gulf Coast Lubricants Trading LLC".into(),
            parties: vec!["ofac-12860".into()],
            programmes: vec![],
            amount_cap: Some("100000".into()),
            currency: Some("USD".into()),
            valid_from: "2021-06-05".parse().unwrap(),
            valid_until: Some("2021-12-31".parse().unwrap()),
            conditions: vec!["Report each payment to OFAC within 10 days.".into()],
            created_at: None,
            revoked_at: None,
            revocation_reason: None,
        }
    }

    #[test]
    fn validation() {
        assert!(licence().validate().is_ok());
        let mut l = licence();
        l.currency = None;
        assert_eq!(l.validate().unwrap_err().field, "currency");
        let mut l = licence();
        l.valid_until = Some("2021-01-01".parse().unwrap());
        assert_eq!(l.validate().unwrap_err().field, "valid_until");
        let mut l = licence();
        l.amount_cap = Some("1O0".into());
        assert_eq!(l.validate().unwrap_err().field, "amount_cap");
        let json = serde_json::to_string(&licence()).unwrap();
        let back: SpecificLicence = serde_json::from_str(&json).unwrap();
        assert_eq!(back, licence());
    }
}
