//! Ownership and control over HTTP: `GET /v1/ownership/{id}` (the status and proof that
//! `interdict ownership --json` prints), and the `ownership` explanation that `/match` adds to
//! a result blocked or controlled by ownership.
//!
//! Without `as_of` the answer comes from the snapshot in force (a lookup and a proof walk);
//! with `as_of` from the lists as they stood on that day, built on demand and kept with the
//! snapshot for a few dates, exactly as the CLI's `--as-of` reads them.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use chrono::NaiveDate;
use interdict_ownership::{Jurisdiction, Scope};
use interdict_snapshot::{OwnershipReport, OwnershipStatus, Snapshot};
use serde::Serialize;
use utoipa::ToSchema;

use crate::app::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::params::Params;
use crate::wire::FeatureExplanation;

/// An entity's status under an ownership-or-control rule, with the proof: the same document
/// as `interdict ownership --json`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnershipResponse {
    /// The entity id.
    pub entity: String,
    /// Its name, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `us` (OFAC 50 % rule) or `eu` (EU ownership-or-control test).
    pub jurisdiction: String,
    /// The day asked about.
    pub as_of: NaiveDate,
    /// The programmes the question was restricted to, comma-separated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    /// `listed`, `owned`, `controlled`, `review` or `clear`.
    pub status: String,
    /// The status in words (`blocked by ownership`, `controlled — review`).
    pub status_text: String,
    /// `blocked`, `review` or `clear`.
    pub effect: String,
    /// The proof in one sentence.
    pub sentence: String,
    /// The entity's entries on every list (dataset, authority, programme, dates, blocking).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<Object>)]
    pub list_entries: Vec<serde_json::Value>,
    /// Which state of the lists answered: `{"view": "current"}` or
    /// `{"view": "as_of", "date": …}`.
    #[schema(value_type = Object)]
    pub view: serde_json::Value,
    /// The list versions and registries read (dataset, id, effective date).
    #[schema(value_type = Vec<Object>)]
    pub versions: Vec<serde_json::Value>,
    /// What the view lacks (a list with no version in force on the day).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<String>,
    /// The proof: rule and threshold, steps with owners, shares and totals, paths from
    /// listed persons, listed owners, notes.
    #[schema(value_type = Object)]
    pub proof: serde_json::Value,
}

/// The jurisdictions `GET /v1/ownership/{id}` answers for, as the OpenAPI document lists them.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum JurisdictionCode {
    /// The United States: the OFAC 50 % rule.
    Us,
    /// The European Union: the ownership-or-control test.
    Eu,
}

/// A value as its JSON, for the parts the wire keeps as documents.
fn value<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// A unit enum's JSON name (`owned`, `blocked`, `us`).
fn name<T: Serialize>(v: &T) -> String {
    value(v).as_str().unwrap_or_default().to_string()
}

impl From<&OwnershipReport> for OwnershipResponse {
    fn from(r: &OwnershipReport) -> Self {
        OwnershipResponse {
            entity: r.entity.clone(),
            name: r.name.clone(),
            jurisdiction: name(&r.jurisdiction),
            as_of: r.as_of,
            programme: r.programme.clone(),
            status: name(&r.status),
            status_text: r.status_text.clone(),
            effect: name(&r.effect),
            sentence: r.sentence.clone(),
            list_entries: r.list_entries.iter().map(value).collect(),
            view: value(&r.view),
            versions: r.versions.iter().map(value).collect(),
            gaps: r.gaps.clone(),
            proof: value(&r.proof),
        }
    }
}

/// Whether an entity is blocked or controlled by ownership, and why.
#[utoipa::path(
    get,
    path = "/v1/ownership/{id}",
    tag = "screening",
    params(
        ("id" = String, Path, description = "The entity id (`ofac-12860`, `registry-naftan-trading-llc`)."),
        ("jurisdiction" = inline(JurisdictionCode), Query, description = "`us` (OFAC 50 % rule) or `eu` (EU ownership-or-control test)."),
        ("as_of" = Option<NaiveDate>, Query, description = "The day asked about (YYYY-MM-DD): the lists as they stood then, the holdings in force then, the rule in force then. Default: the snapshot in force, today."),
        ("programme" = Option<Vec<String>>, Query, description = "Only listings under these programmes count (repeatable).")
    ),
    responses(
        (status = 200, description = "The status and its proof.", body = OwnershipResponse),
        (status = 400, description = "A bad parameter.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 404, description = "No such entity in the lists or registries of the view.", body = ErrorBody),
        (status = 503, description = "The index is being built.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn ownership(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<OwnershipResponse>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let jurisdiction: Jurisdiction = params
        .one("jurisdiction")?
        .ok_or_else(|| {
            ApiError::bad_request("query parameter `jurisdiction` is required: us or eu")
        })?
        .parse()
        .map_err(|e: interdict_ownership::UnknownJurisdiction| {
            ApiError::bad_request(format!("query parameter `jurisdiction`: {e}"))
        })?;
    let as_of = params.date("as_of")?;
    let programmes = params.all("programme");
    params.finish()?;
    let snapshot = state.snapshot()?;
    let dated;
    let view = match as_of {
        None => snapshot.ownership(),
        Some(d) => {
            dated = snapshot
                .ownership()
                .as_of_view(state.store(), d)
                .await
                .map_err(|e| ApiError::internal("reading the lists as of a date", e))?;
            &*dated
        }
    };
    if !view.knows(&id) {
        return Err(ApiError::not_found(format!(
            "no entity {id} in the lists or registries{}",
            as_of
                .map(|d| format!(" as they stood on {d}"))
                .unwrap_or_default()
        )));
    }
    let mut scope = Scope::new(jurisdiction, as_of.unwrap_or(view.as_of()));
    if !programmes.is_empty() {
        scope = scope.programmes(programmes);
    }
    let report = view
        .report(&id, &scope)
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    Ok(Json(OwnershipResponse::from(&report)))
}

/// The `ownership` explanation of a match: the entity's statuses by ownership or control
/// (blocked by ownership, controlled, possibly owned) with their sentences, or `None` when it
/// has none. Its score is 1 when a jurisdiction blocks it, 0.5 when only review is asked.
pub fn explanation(snapshot: &Snapshot, entity_id: &str) -> Option<FeatureExplanation> {
    let derived: Vec<OwnershipStatus> = snapshot.ownership().derived(entity_id);
    if derived.is_empty() {
        return None;
    }
    let blocked = derived
        .iter()
        .any(|s| s.effect == interdict_ownership::Effect::Blocked);
    let statuses: Vec<String> = derived
        .iter()
        .map(|s| format!("{}: {}", s.jurisdiction, s.status_text))
        .collect();
    let sentences: Vec<&str> = derived.iter().map(|s| s.sentence.as_str()).collect();
    Some(FeatureExplanation {
        detail: Some(sentences.join(" ")),
        score: if blocked { 1.0 } else { 0.5 },
        query: None,
        candidate: Some(statuses.join("; ")),
    })
}
