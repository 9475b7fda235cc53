//! Decisions and specific licences over HTTP (C5): `POST /v1/decisions` takes a dealing
//! (the JSON form of `interdict-dealings`, a pacs.008 XML or an MT103) and answers the same
//! decision as `interdict decide --json`, with its memo as text; `/v1/licences` lists, records
//! and revokes the specific licences decisions apply.
//!
//! Roles: a screening client (a payments gateway) may ask for decisions; an analyst may list
//! licences; recording or revoking one, which changes what decisions allow, needs an approver.
//! The engine applies the bundled programme files, or those of `INTERDICT_PROGRAMMES`; its
//! indexes of past list versions are kept across requests, keyed by the versions' hashes.

use std::sync::OnceLock;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::{HeaderMap, header};
use interdict_dealings::{AsOf, InputFormat, Perspective, Tz};
use interdict_decide::{DecideError, DecideRequest, Decider, create_licence, from_stored};
use interdict_rules::{Engine, Jurisdiction, Moment, Programmes, SpecificLicence};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::app::AppState;
use crate::auth::{Principal, Role};
use crate::error::{ApiError, ErrorBody, JsonBody};
use crate::params::Params;

/// The decider of this process: built once from the programme files.
fn decider() -> Result<&'static Decider, ApiError> {
    static DECIDER: OnceLock<Result<Decider, String>> = OnceLock::new();
    DECIDER
        .get_or_init(|| {
            let programmes = match std::env::var_os("INTERDICT_PROGRAMMES") {
                Some(dir) => Programmes::load_dir(std::path::Path::new(&dir)),
                None => Programmes::bundled(),
            }
            .map_err(|e| e.to_string())?;
            Engine::new(programmes)
                .map(Decider::new)
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| ApiError::internal("loading the programme files", e))
}

/// A decision: its outcome and headline, the memo as text, and the whole decision document
/// (every reason, match, proof, licence, obligation and the versions it used), which
/// `interdict decide --replay` takes back.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionResponse {
    /// `ALLOW`, `ALLOW_UNDER_LICENCE`, `BLOCK`, `REJECT` or `REVIEW`.
    pub outcome: String,
    /// The decision in one sentence.
    pub headline: String,
    /// The dealing's reference.
    pub reference: String,
    /// `us`, `eu` or `uk`.
    pub perspective: String,
    /// The as-of date-time applied, with its zone.
    pub as_of: String,
    /// The decision memo, as `interdict decide` prints it.
    pub text: String,
    /// The whole decision (`interdict decide --json`).
    #[schema(value_type = Object)]
    pub decision: serde_json::Value,
}

fn decide_error(e: DecideError) -> ApiError {
    match e {
        DecideError::Request(m) => ApiError::bad_request(m),
        e @ DecideError::Licence { .. } => ApiError::bad_request(e.to_string()),
        e => ApiError::internal("deciding", e),
    }
}

/// Decide a dealing as of its date.
///
/// The body is the dealing: the JSON form (`Content-Type: application/json`), a pacs.008
/// (`application/xml`) or an MT103 (`text/plain`); the format is also told from the first
/// bytes. A malformed message is a `422` naming the exact field and the reason.
#[utoipa::path(
    post,
    path = "/v1/decisions",
    tag = "decisions",
    params(
        ("perspective" = Option<String>, Query, description = "us, eu or uk; defaults to the dealing's own `perspective`."),
        ("as_of" = Option<String>, Query, description = "Decide as of this date-time instead of the dealing's (`2021-06-03T00:02:00[America/New_York]`)."),
        ("zone" = Option<String>, Query, description = "The IANA zone of date-times written without one.")
    ),
    request_body(content = Object, description = "The dealing: interdict's JSON form, a pacs.008 XML document or an MT103.", content_type = "application/json"),
    responses(
        (status = 200, description = "The decision.", body = DecisionResponse),
        (status = 400, description = "A bad parameter, or no perspective.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 422, description = "The dealing cannot be read: the field and the reason.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn decide(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<DecisionResponse>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let perspective = match params.one("perspective")?.as_deref() {
        None => None,
        Some("us") => Some(Perspective::Us),
        Some("eu") => Some(Perspective::Eu),
        Some("uk") => Some(Perspective::Uk),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "perspective {other:?}: expected us, eu or uk"
            )));
        }
    };
    let zone: Option<Tz> = match params.one("zone")? {
        None => None,
        Some(z) => Some(z.parse().map_err(|_| {
            ApiError::bad_request(format!(
                "zone {z:?} is not an IANA time zone (e.g. America/New_York)"
            ))
        })?),
    };
    let as_of = match params.one("as_of")? {
        None => None,
        Some(s) => {
            Some(AsOf::parse(&s, zone).map_err(|e| ApiError::bad_request(format!("as_of: {e}")))?)
        }
    };
    params.finish()?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let hint = if content_type.contains("json") {
        Some(InputFormat::Json)
    } else if content_type.contains("xml") {
        Some(InputFormat::Pacs008)
    } else {
        None
    };
    let dealing = interdict_dealings::read(&body, hint, zone)
        .map_err(|e| ApiError::new(axum::http::StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    let decider = decider()?;
    let decision = decider
        .decide(
            state.store(),
            DecideRequest {
                dealing,
                perspective,
                as_of,
            },
        )
        .await
        .map_err(decide_error)?;
    Ok(Json(DecisionResponse {
        outcome: decision.outcome.as_str().to_string(),
        headline: decision.headline.clone(),
        reference: decision.reference.clone(),
        perspective: decision.perspective.code().to_string(),
        as_of: decision.as_of.clone(),
        text: decision.to_string(),
        decision: serde_json::to_value(&decision).unwrap_or(serde_json::Value::Null),
    }))
}

/// A specific licence as the API shows and takes it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenceBody {
    /// The store's id (ignored when creating).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// The authority's number (unique).
    pub number: String,
    /// `us`, `eu` or `uk`.
    pub jurisdiction: String,
    /// The licensee: a party of the dealing must be it.
    pub holder: String,
    /// Entity ids (`ofac-12860`) or names of the parties it authorises dealings with.
    pub parties: Vec<String>,
    /// Programme ids it relieves; empty for all of its jurisdiction.
    #[serde(default)]
    pub programmes: Vec<String>,
    /// The most one dealing may be for (exact decimal).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount_cap: Option<String>,
    /// The cap's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Valid from: a day (`2021-06-05`) or a local time with its zone.
    pub valid_from: String,
    /// Valid until (inclusive), if it expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// Conditions printed with every decision that applies it.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// When it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// When it was revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_reason: Option<String>,
}

impl From<&SpecificLicence> for LicenceBody {
    fn from(l: &SpecificLicence) -> LicenceBody {
        LicenceBody {
            id: l.id,
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
            created_at: l.created_at.map(|t| t.to_rfc3339()),
            revoked_at: l.revoked_at.map(|t| t.to_rfc3339()),
            revocation_reason: l.revocation_reason.clone(),
        }
    }
}

/// Why a licence is revoked.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeBody {
    /// The reason, recorded with the revocation.
    pub reason: String,
}

fn require(principal: &Principal, role: Role, what: &str) -> Result<(), ApiError> {
    if principal.role < role {
        return Err(ApiError::forbidden(format!(
            "the key {} has the role {}; {what} needs {role}",
            principal.prefix, principal.role
        )));
    }
    Ok(())
}

/// Every specific licence on record (revoked ones with `all=true`).
#[utoipa::path(
    get,
    path = "/v1/licences",
    tag = "decisions",
    params(("all" = Option<bool>, Query, description = "Include revoked licences.")),
    responses(
        (status = 200, description = "The licences.", body = Vec<LicenceBody>),
        (status = 400, description = "A bad or repeated parameter.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 403, description = "The key's role is below analyst.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn list_licences(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<LicenceBody>>, ApiError> {
    require(&principal, Role::Analyst, "listing licences")?;
    let mut params = Params::parse(raw.as_deref());
    let all = params.flag("all")?;
    params.finish()?;
    let stored = state
        .store()
        .licences()
        .await
        .map_err(|e| ApiError::internal("listing licences", e))?;
    let mut out = Vec::new();
    for s in stored {
        let l = from_stored(s).map_err(|e| ApiError::internal("reading licences", e))?;
        if all || l.revoked_at.is_none() {
            out.push(LicenceBody::from(&l));
        }
    }
    Ok(Json(out))
}

/// Record a specific licence issued by an authority.
#[utoipa::path(
    post,
    path = "/v1/licences",
    tag = "decisions",
    request_body = LicenceBody,
    responses(
        (status = 200, description = "The licence as recorded.", body = LicenceBody),
        (status = 400, description = "A bad or duplicate licence: the field and the reason.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 403, description = "The key's role is below approver.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 415, description = "The body is not JSON.", body = ErrorBody),
        (status = 422, description = "The JSON does not have the expected shape: the field and the reason.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    RawQuery(raw): RawQuery,
    JsonBody(body): JsonBody<LicenceBody>,
) -> Result<Json<LicenceBody>, ApiError> {
    require(&principal, Role::Approver, "recording a licence")?;
    Params::parse(raw.as_deref()).finish()?;
    let jurisdiction = match body.jurisdiction.as_str() {
        "us" => Jurisdiction::Us,
        "eu" => Jurisdiction::Eu,
        "uk" => Jurisdiction::Uk,
        other => {
            return Err(ApiError::bad_request(format!(
                "jurisdiction {other:?}: expected us, eu or uk"
            )));
        }
    };
    let moment = |field: &str, s: &str| -> Result<Moment, ApiError> {
        s.parse()
            .map_err(|e| ApiError::bad_request(format!("{field}: {e}")))
    };
    let licence = SpecificLicence {
        id: None,
        number: body.number,
        jurisdiction,
        holder: body.holder,
        parties: body.parties,
        programmes: body.programmes,
        amount_cap: body.amount_cap,
        currency: body.currency.map(|c| c.to_ascii_uppercase()),
        valid_from: moment("valid_from", &body.valid_from)?,
        valid_until: body
            .valid_until
            .as_deref()
            .map(|s| moment("valid_until", s))
            .transpose()?,
        conditions: body.conditions,
        created_at: None,
        revoked_at: None,
        revocation_reason: None,
    };
    let stored = create_licence(state.store(), &licence)
        .await
        .map_err(decide_error)?;
    Ok(Json(LicenceBody::from(&stored)))
}

/// Revoke a specific licence: decisions from then on do not apply it.
#[utoipa::path(
    post,
    path = "/v1/licences/{id}/revoke",
    tag = "decisions",
    params(("id" = i64, Path, description = "The licence's id.")),
    request_body = RevokeBody,
    responses(
        (status = 200, description = "The licence as revoked.", body = LicenceBody),
        (status = 400, description = "A bad id, or no reason given.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 403, description = "The key's role is below approver.", body = ErrorBody),
        (status = 404, description = "No such licence.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 415, description = "The body is not JSON.", body = ErrorBody),
        (status = 422, description = "The JSON does not have the expected shape (`reason` missing).", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn revoke(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
    JsonBody(body): JsonBody<RevokeBody>,
) -> Result<Json<LicenceBody>, ApiError> {
    require(&principal, Role::Approver, "revoking a licence")?;
    Params::parse(raw.as_deref()).finish()?;
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::bad_request(format!("a licence id is an integer, got {id:?}")))?;
    if body.reason.trim().is_empty() {
        return Err(ApiError::bad_request(
            "reason: say why the licence is revoked",
        ));
    }
    let revoked = state
        .store()
        .revoke_licence(id, &body.reason)
        .await
        .map_err(|e| ApiError::internal("revoking a licence", e))?
        .ok_or_else(|| ApiError::not_found(format!("no licence {id}")))?;
    let l = from_stored(revoked).map_err(|e| ApiError::internal("reading the licence", e))?;
    Ok(Json(LicenceBody::from(&l)))
}
