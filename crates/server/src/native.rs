//! interdict's own endpoints (`/v1/…`): what yente lacks — list versions and diffs, entity
//! history and provenance, the full explanation of a match — and the operations: metrics,
//! reindex, sync, and import through the API.

use std::path::Path as FsPath;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use interdict_lists::Format;
use interdict_matching::{Filters, Options, Query, QueryIdentifier};
use interdict_model::Schema;
use interdict_snapshot::Snapshot;
use interdict_store::StoreError;

use crate::app::AppState;
use crate::convert;
use crate::datasets;
use crate::error::{ApiError, ErrorBody, JsonBody};
use crate::params::Params;
use crate::wire::*;

/// A store failure as the client should see it: a missing version is `404`, versions of two
/// datasets `400`, anything else the server's own failure.
fn store_error(doing: &str, e: StoreError) -> ApiError {
    match e {
        StoreError::VersionNotFound(id) => ApiError::not_found(format!("no list version {id}")),
        e @ StoreError::DatasetMismatch { .. } => ApiError::bad_request(e.to_string()),
        e => ApiError::internal(doing, e),
    }
}

/// Every list version of every dataset, in import order.
#[utoipa::path(
    get,
    path = "/v1/versions",
    tag = "lists",
    params(("dataset" = Option<String>, Query, description = "Only this dataset.")),
    responses(
        (status = 200, description = "The versions.", body = Vec<ListVersionInfo>),
        (status = 400, description = "A bad parameter.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 403, description = "The key's role is below analyst.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn versions(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<ListVersionInfo>>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let dataset = params.one("dataset")?;
    params.finish()?;
    let versions = state
        .store()
        .versions()
        .await
        .map_err(|e| store_error("listing versions", e))?;
    Ok(Json(
        versions
            .iter()
            .filter(|v| dataset.as_ref().is_none_or(|d| &v.dataset == d))
            .map(ListVersionInfo::from)
            .collect(),
    ))
}

/// One list version.
#[utoipa::path(
    get,
    path = "/v1/versions/{id}",
    tag = "lists",
    params(("id" = i64, Path, description = "The version id.")),
    responses(
        (status = 200, description = "The version.", body = ListVersionInfo),
        (status = 400, description = "A bad id.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 403, description = "The key's role is below analyst.", body = ErrorBody),
        (status = 404, description = "No such version.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn version(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<ListVersionInfo>, ApiError> {
    Params::parse(raw.as_deref()).finish()?;
    let id = version_id(&id)?;
    let v = state
        .store()
        .version(id)
        .await
        .map_err(|e| store_error("loading a version", e))?
        .ok_or_else(|| ApiError::not_found(format!("no list version {id}")))?;
    Ok(Json(ListVersionInfo::from(&v)))
}

/// Parse a version id from a path segment.
fn version_id(s: &str) -> Result<i64, ApiError> {
    s.parse::<i64>()
        .map_err(|_| ApiError::bad_request(format!("a version id is an integer, got {s:?}")))
}

/// Entities added, removed and changed between two versions of one dataset.
#[utoipa::path(
    get,
    path = "/v1/versions/{old}/diff/{new}",
    tag = "lists",
    params(
        ("old" = i64, Path, description = "The older version id."),
        ("new" = i64, Path, description = "The newer version id."),
        ("main_only" = Option<bool>, Query, description = "Only people, organisations, vessels and aircraft, not their addresses, sanctions and documents.")
    ),
    responses(
        (status = 200, description = "The changes.", body = DiffResponse),
        (status = 400, description = "Bad ids, or versions of two datasets.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 403, description = "The key's role is below analyst.", body = ErrorBody),
        (status = 404, description = "No such version.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn diff(
    State(state): State<AppState>,
    Path((old, new)): Path<(String, String)>,
    RawQuery(raw): RawQuery,
) -> Result<Json<DiffResponse>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let main_only = params.flag("main_only")?;
    params.finish()?;
    let (old, new) = (version_id(&old)?, version_id(&new)?);
    let store = state.store();
    let changes = store
        .diff(old, new)
        .await
        .map_err(|e| store_error("diffing versions", e))?;
    let load = |id| async move {
        store
            .version(id)
            .await
            .map_err(|e| store_error("loading a version", e))?
            .ok_or_else(|| ApiError::not_found(format!("no list version {id}")))
    };
    let (old_v, new_v) = (load(old).await?, load(new).await?);
    let changes = changes
        .iter()
        .map(EntityChangeInfo::from)
        .filter(|c| !main_only || Schema::get(&c.schema).is_some_and(|s| s.is_matchable()))
        .collect();
    Ok(Json(DiffResponse {
        old: ListVersionInfo::from(&old_v),
        new: ListVersionInfo::from(&new_v),
        changes,
    }))
}

/// What every version of every dataset that held an entity did to it.
#[utoipa::path(
    get,
    path = "/v1/entities/{entity_id}/history",
    tag = "lists",
    params(("entity_id" = String, Path, description = "The entity id.")),
    responses(
        (status = 200, description = "The history, oldest first.", body = Vec<HistoryEntryInfo>),
        (status = 400, description = "A bad parameter.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 403, description = "The key's role is below analyst.", body = ErrorBody),
        (status = 404, description = "No list ever held the entity.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn entity_history(
    State(state): State<AppState>,
    Path(entity_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<HistoryEntryInfo>>, ApiError> {
    Params::parse(raw.as_deref()).finish()?;
    let history = state
        .store()
        .history(&entity_id)
        .await
        .map_err(|e| store_error("reading the history", e))?;
    if history.is_empty() {
        return Err(ApiError::not_found(format!(
            "no list ever held an entity {entity_id:?}"
        )));
    }
    Ok(Json(
        history
            .iter()
            .map(|h| HistoryEntryInfo {
                version: ListVersionInfo::from(&h.version),
                change: h.change.as_ref().map(EntityChangeInfo::from),
            })
            .collect(),
    ))
}

/// An entity as each dataset holding it has it, with the source field of every value; now or
/// as the lists stood on a date.
#[utoipa::path(
    get,
    path = "/v1/entities/{entity_id}",
    tag = "lists",
    params(
        ("entity_id" = String, Path, description = "The entity id."),
        ("as_of" = Option<String>, Query, format = Date, description = "The lists as they stood on this date (YYYY-MM-DD).")
    ),
    responses(
        (status = 200, description = "The entity in every dataset holding it.", body = Vec<StoredEntityInfo>),
        (status = 400, description = "A bad parameter.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 403, description = "The key's role is below analyst.", body = ErrorBody),
        (status = 404, description = "No list held the entity then.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn stored_entity(
    State(state): State<AppState>,
    Path(entity_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Vec<StoredEntityInfo>>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let as_of = params.date("as_of")?;
    params.finish()?;
    let held = state
        .store()
        .entity_in_datasets(&entity_id, as_of)
        .await
        .map_err(|e| store_error("reading the entity", e))?;
    if held.is_empty() {
        return Err(ApiError::not_found(match as_of {
            Some(d) => format!("no list held an entity {entity_id:?} as of {d}"),
            None => format!("no list in force holds an entity {entity_id:?}"),
        }));
    }
    Ok(Json(held.iter().map(convert::stored_entity).collect()))
}

/// Screen one query and return every feature and the full word-by-word name alignment.
#[utoipa::path(
    post,
    path = "/v1/match",
    tag = "screening",
    request_body = NativeMatchRequest,
    responses(
        (status = 200, description = "The results with their explanations.", body = NativeMatchResponse),
        (status = 400, description = "A bad field.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 415, description = "The body is not JSON.", body = ErrorBody),
        (status = 422, description = "The JSON does not have the expected shape.", body = ErrorBody),
        (status = 503, description = "The index is being built.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn explain_match(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    JsonBody(body): JsonBody<NativeMatchRequest>,
) -> Result<Response, ApiError> {
    Params::parse(raw.as_deref()).finish()?;
    let schema = Schema::get(&body.schema)
        .filter(|s| s.is_matchable() || *s == Schema::named("Thing"))
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "schema: {:?} is not a matchable schema; use Person, Organization, Company, \
                 LegalEntity, Vessel, Airplane or Thing",
                body.schema
            ))
        })?;
    let names: Vec<String> = body
        .names
        .iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() && body.identifiers.is_empty() {
        return Err(ApiError::bad_request(
            "names: at least one name (or an identifier) is needed",
        ));
    }
    let limit = body.limit.unwrap_or(5);
    if limit > crate::yente::MAX_LIMIT {
        return Err(ApiError::bad_request(format!(
            "limit: at most {}, got {limit}",
            crate::yente::MAX_LIMIT
        )));
    }
    let unit = |name: &str, v: Option<f64>| match v {
        Some(x) if !(0.0..=1.0).contains(&x) => Err(ApiError::bad_request(format!(
            "{name}: expected a number from 0 to 1, got {x}"
        ))),
        _ => Ok(v),
    };
    let threshold =
        unit("threshold", body.threshold)?.unwrap_or(interdict_matching::DEFAULT_THRESHOLD);
    let cutoff = unit("cutoff", body.cutoff)?.unwrap_or(threshold);
    let snapshot = state.snapshot()?;
    for d in &body.datasets {
        if datasets::expand(&snapshot, d).is_none() {
            return Err(ApiError::bad_request(format!(
                "datasets: unknown dataset {d:?}; see /catalog"
            )));
        }
    }
    let include: Vec<String> = body
        .datasets
        .iter()
        .flat_map(|d| datasets::expand(&snapshot, d).unwrap_or_default())
        .collect();
    let query = Query {
        schema,
        names,
        birth_dates: body.birth_dates,
        countries: body.countries,
        gender: body.gender,
        identifiers: body
            .identifiers
            .into_iter()
            .map(|i| QueryIdentifier {
                value: i.value,
                kind: i.kind,
                country: i.country,
            })
            .collect(),
        addresses: body.addresses,
    };
    let options = Options {
        limit,
        threshold,
        cutoff,
        filters: Filters {
            include_datasets: include,
            ..Filters::default()
        },
        explain: true,
    };
    state.0.metrics.count_queries(1);
    let results = if !body.datasets.is_empty() && options.filters.include_datasets.is_empty() {
        Vec::new()
    } else {
        snapshot.index().search(&query, &options)
    };
    Ok(Json(NativeMatchResponse {
        snapshot: snapshot.label(),
        generation: snapshot.generation(),
        results: results
            .iter()
            .map(|m| convert::native_match(&snapshot, m))
            .collect(),
    })
    .into_response())
}

/// Describe a snapshot.
pub(crate) async fn describe(state: &AppState, s: &Snapshot) -> Result<SnapshotInfo, ApiError> {
    let stale = s
        .is_stale(state.store())
        .await
        .map_err(|e| store_error("checking for new versions", e))?;
    Ok(SnapshotInfo {
        generation: s.generation(),
        label: s.label(),
        versions: s.versions().iter().map(ListVersionInfo::from).collect(),
        entities: s.index().len(),
        built_at: s.built_at().to_rfc3339(),
        build_seconds: s.build_time().as_secs_f64(),
        stale,
    })
}

/// The snapshot in force: the list versions screening answers from.
#[utoipa::path(
    get,
    path = "/v1/snapshot",
    tag = "screening",
    responses(
        (status = 200, description = "The snapshot.", body = SnapshotInfo),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 503, description = "The index is being built.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn snapshot_info(State(state): State<AppState>) -> Result<Json<SnapshotInfo>, ApiError> {
    let s = state.snapshot()?;
    Ok(Json(describe(&state, &s).await?))
}

/// Prometheus metrics: requests and latencies by route, screening queries, the snapshot's
/// generation, size and build time, and each list's version and age.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "operations",
    responses((status = 200, description = "Metrics in the Prometheus text format.", content_type = "text/plain", body = String))
)]
pub async fn metrics(State(state): State<AppState>) -> Response {
    let text = state.0.metrics.render(state.snapshots());
    let mut r = text.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    r
}

/// Rebuild the snapshot from the store now and swap it in (the poller does this by itself
/// when a list version lands; this forces it).
#[utoipa::path(
    post,
    path = "/v1/admin/reindex",
    tag = "operations",
    responses(
        (status = 200, description = "The new snapshot.", body = SnapshotInfo),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 403, description = "The key is not an admin's.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn reindex(State(state): State<AppState>) -> Result<Json<SnapshotInfo>, ApiError> {
    state
        .snapshots()
        .rebuild(state.store())
        .await
        .map_err(|e| ApiError::internal("rebuilding the snapshot", e))?;
    let s = state.snapshot()?;
    Ok(Json(describe(&state, &s).await?))
}

/// Fetch the official lists (`interdict sync`'s sources), import what changed, and swap in a
/// new snapshot. Needs a network; a source that fails is reported and changes nothing.
#[utoipa::path(
    post,
    path = "/v1/admin/sync",
    tag = "operations",
    responses(
        (status = 200, description = "What happened per source, and the snapshot afterwards.", body = SyncResponse),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 403, description = "The key is not an admin's.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn sync(State(state): State<AppState>) -> Result<Json<SyncResponse>, ApiError> {
    use interdict_sync::{Sources, SyncOutcome, Syncer};
    let reports = Syncer::default()
        .sync_all(state.store(), &Sources::official())
        .await;
    let sources = reports
        .into_iter()
        .map(|r| {
            let (outcome, version, error) = match r.outcome {
                SyncOutcome::Disabled => ("disabled", None, None),
                SyncOutcome::NotModified => ("not_modified", None, None),
                SyncOutcome::Imported { version, created } => (
                    if created { "imported" } else { "unchanged" },
                    Some(ListVersionInfo::from(&version)),
                    None,
                ),
                SyncOutcome::Failed(e) => ("failed", None, Some(e.to_string())),
            };
            SyncSourceInfo {
                dataset: r.dataset,
                outcome: outcome.into(),
                version,
                error,
            }
        })
        .collect();
    state.refresh().await;
    let s = state.snapshot()?;
    Ok(Json(SyncResponse {
        sources,
        snapshot: describe(&state, &s).await?,
    }))
}

/// Import one list file sent as the body, as a new version of its dataset, and swap in a new
/// snapshot before answering. One transaction: a bad file changes nothing and answers `400`
/// naming the place. (An OFAC CSV set of several files is imported with `interdict import`;
/// here `sdn.csv` alone is accepted.)
#[utoipa::path(
    post,
    path = "/v1/admin/import",
    tag = "operations",
    params(
        ("format" = String, Query, description = "ofac-csv, ofac-xml, ofac-advanced-xml, un-xml, eu-fsf-xml, uk-conlist or ftm."),
        ("file" = String, Query, description = "The file name, by which some importers recognise the file's role (sdn.csv, cons_prim.csv …)."),
        ("dataset" = Option<String>, Query, description = "The dataset name, for ftm files."),
        ("published" = Option<String>, Query, format = Date, description = "The publication date (YYYY-MM-DD) for files that state none.")
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The list file."),
    responses(
        (status = 200, description = "The version and the snapshot afterwards.", body = ImportResponse),
        (status = 400, description = "A bad parameter or a bad file.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 403, description = "The key is not an admin's.", body = ErrorBody),
        (status = 413, description = "The file is too large.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn import(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Json<ImportResponse>, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let format_name = params
        .one("format")?
        .ok_or_else(|| ApiError::bad_request("query parameter `format` is required"))?;
    let format = Format::from_name(&format_name).ok_or_else(|| {
        ApiError::bad_request(format!(
            "query parameter `format`: unknown format {format_name:?}; expected one of {}",
            Format::ALL.map(|f| f.name()).join(", ")
        ))
    })?;
    let file = params.one("file")?.ok_or_else(|| {
        ApiError::bad_request("query parameter `file` (the file name) is required")
    })?;
    let dataset = params.one("dataset")?;
    let published = params.date("published")?;
    params.finish()?;
    let name = FsPath::new(&file)
        .file_name()
        .filter(|n| n.to_string_lossy() == file)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "query parameter `file`: {file:?} is not a plain file name"
            ))
        })?
        .to_owned();
    if dataset.is_some() && format != Format::Ftm {
        return Err(ApiError::bad_request(
            "query parameter `dataset` applies to ftm files only; the other formats name their dataset",
        ));
    }
    let dir =
        tempfile::tempdir().map_err(|e| ApiError::internal("creating a temporary directory", e))?;
    let path = dir.path().join(name);
    tokio::fs::write(&path, &body)
        .await
        .map_err(|e| ApiError::internal("writing the uploaded file", e))?;
    let outcome = interdict_sync::import_files_with(
        state.store(),
        format,
        &[path],
        dataset.as_deref(),
        published,
    )
    .await
    .map_err(|e| match e {
        interdict_sync::SyncError::Import(e) => {
            ApiError::bad_request(format!("the file was not imported: {e}"))
        }
        interdict_sync::SyncError::Store(
            e @ (StoreError::Record { .. }
            | StoreError::InvalidRecord { .. }
            | StoreError::UnknownDelete { .. }
            | StoreError::DeleteInFullImport { .. }
            | StoreError::InvalidDraft { .. }),
        ) => ApiError::bad_request(format!("the file was not imported: {e}")),
        interdict_sync::SyncError::Sources { reason, .. } => ApiError::bad_request(reason),
        e => ApiError::internal("importing the file", e),
    })?;
    tracing::info!(
        dataset = %outcome.version.dataset,
        version = outcome.version.id,
        created = outcome.created,
        "list imported through the API"
    );
    state.refresh().await;
    let s = state.snapshot()?;
    Ok(Json(ImportResponse {
        created: outcome.created,
        version: ListVersionInfo::from(&outcome.version),
        snapshot: describe(&state, &s).await?,
    }))
}
