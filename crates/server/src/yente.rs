//! The yente-compatible endpoints: `/match/{dataset}`, `/search/{dataset}`,
//! `/entities/{entity_id}`, `/catalog`, `/algorithms`, `/healthz`, `/readyz`.
//!
//! Parameters, defaults and response shapes follow yente 5.5, including the deprecated
//! parameters clients still send (`cutoff`, `fuzzy`, `algorithm=best`). What differs is said
//! in each endpoint's description.

use std::collections::{BTreeMap, HashMap, HashSet};

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use interdict_matching::{Filters, Options, TextOptions};
use interdict_model::{Entity, PropertyType, Schema, country_name};
use interdict_snapshot::Snapshot;

use crate::app::AppState;
use crate::convert::{self, Listed, is_adjacent, reverse_property};
use crate::datasets;
use crate::error::{ApiError, ErrorBody, JsonBody};
use crate::params::Params;
use crate::wire::*;

/// The most queries one `/match` request may hold (yente's `YENTE_MAX_BATCH`).
pub const MAX_BATCH: usize = 100;
/// The most results one query may ask for (yente's `YENTE_MAX_MATCHES`).
pub const MAX_LIMIT: usize = 500;
/// The name of interdict's scoring algorithm.
pub const ALGORITHM: &str = "interdict-v1";
/// The names `algorithm` accepts: interdict's own, `best`, and yente's (all scored by
/// interdict's algorithm, so that clients configured for yente work unchanged).
pub const ALGORITHM_NAMES: [&str; 8] = [
    ALGORITHM,
    "best",
    "logic-v2",
    "logic-v1",
    "regression-v1",
    "name-based",
    "name-qualified",
    "ofac",
];

/// The features of interdict's algorithm, with their nominal weights and meaning.
pub const FEATURES: [(&str, f64, &str); 9] = [
    (
        "name_match",
        1.0,
        "How well the best query name aligns with the best listed name, word by word, across scripts and romanisations; roles (given, family, patronymic) decide what a missing word costs.",
    ),
    (
        "identifier_match",
        0.8,
        "An identifier of the query equals a listed one; strongest when type and issuing country agree (weights 0.8/0.5/0.3).",
    ),
    (
        "identifier_mismatch",
        0.9,
        "Another number of the same type from the same country is listed: multiplies the score.",
    ),
    (
        "dob_match",
        0.35,
        "A birth date agrees at day (0.35), month (0.2) or year (0.12) precision: closes that share of the distance to 1.",
    ),
    (
        "dob_mismatch",
        0.6,
        "The birth dates differ: multiplies the score by 0.8 (one year apart) or 0.6.",
    ),
    (
        "country_match",
        0.1,
        "A query country is a listed country: closes 10 % of the distance to 1.",
    ),
    (
        "country_mismatch",
        0.85,
        "No query country is a listed country: multiplies the score by 0.85.",
    ),
    (
        "gender_mismatch",
        0.75,
        "The genders differ: multiplies the score by 0.75.",
    ),
    (
        "address_match",
        0.1,
        "Address words in common: closes up to 10 % of the distance to 1.",
    ),
];

fn matcher_info() -> MatcherInfo {
    MatcherInfo {
        name: ALGORITHM.into(),
        description: "interdict's multilingual, explained matcher: names across scripts and \
            romanisations, name parts and order, legal forms, typos; birth dates, countries, \
            gender, identifiers and addresses move the calibrated score."
            .into(),
    }
}

/// Screen example entities against the lists of a dataset or collection.
///
/// Every yente parameter is accepted. `algorithm` takes yente's names (`best`, `logic-v2`,
/// `logic-v1`, `regression-v1`, `name-based`, `name-qualified`, `ofac`) as well as
/// `interdict-v1`; all are scored by interdict's algorithm. The deprecated `cutoff` keeps
/// yente's meaning (results scoring at or below `min(cutoff, threshold)` are dropped), and
/// the deprecated `fuzzy` is accepted and has no effect.
#[utoipa::path(
    post,
    path = "/match/{dataset}",
    tag = "yente",
    params(
        ("dataset" = String, Path, description = "A dataset (`us_ofac_sdn` …) or collection (`default`, `sanctions`); see /catalog."),
        ("limit" = Option<usize>, Query, maximum = 500, description = "Results per query (default 5, at most 500)."),
        ("threshold" = Option<f64>, Query, minimum = 0, maximum = 1, description = "The score at which a result is a match (default 0.70)."),
        ("cutoff" = Option<f64>, Query, minimum = 0, maximum = 1, deprecated, description = "Deprecated: results scoring at or below min(cutoff, threshold) are dropped (default 0.70)."),
        ("algorithm" = Option<String>, Query, description = "best (default), interdict-v1, or a yente algorithm name (scored by interdict-v1)."),
        ("include_dataset" = Option<Vec<String>>, Query, explode, description = "Only these datasets (repeatable)."),
        ("exclude_dataset" = Option<Vec<String>>, Query, explode, description = "Not these datasets (repeatable)."),
        ("exclude_schema" = Option<Vec<String>>, Query, explode, description = "Not these schemata (repeatable)."),
        ("topics" = Option<Vec<String>>, Query, explode, description = "Only entities with one of these topics (repeatable): sanction, role.pep …"),
        ("changed_since" = Option<String>, Query, description = "Only entities changed since YYYY-MM-DD[THH[:MM[:SS]]]."),
        ("exclude_entity_ids" = Option<Vec<String>>, Query, explode, description = "Never these entities (ids or referents; at most 50)."),
        ("fuzzy" = Option<bool>, Query, deprecated, description = "Deprecated and ignored (removed from yente in 2025).")
    ),
    request_body = EntityMatchQuery,
    responses(
        (status = 200, description = "One response per query.", body = EntityMatchResponse,
            headers(("x-batch-size" = usize, description = "The number of queries."))),
        (status = 400, description = "A bad parameter, schema or property.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 403, description = "The key's role may not screen.", body = ErrorBody),
        (status = 404, description = "Unknown dataset.", body = ErrorBody),
        (status = 413, description = "The body is too large.", body = ErrorBody),
        (status = 415, description = "The body is not JSON.", body = ErrorBody),
        (status = 422, description = "The JSON does not have the expected shape.", body = ErrorBody),
        (status = 503, description = "The index is being built, or the request took too long.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn match_entities(
    State(state): State<AppState>,
    Path(dataset): Path<String>,
    RawQuery(raw): RawQuery,
    JsonBody(body): JsonBody<EntityMatchQuery>,
) -> Result<Response, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let limit = params.integer("limit", 0, MAX_LIMIT, 5)?;
    let threshold = params
        .unit_interval("threshold")?
        .unwrap_or(interdict_matching::DEFAULT_THRESHOLD);
    let cutoff = params
        .unit_interval("cutoff")?
        .unwrap_or(interdict_matching::DEFAULT_THRESHOLD)
        .min(threshold);
    if let Some(a) = params.one("algorithm")?
        && !ALGORITHM_NAMES.contains(&a.as_str())
    {
        return Err(ApiError::bad_request(format!(
            "query parameter `algorithm`: unknown algorithm {a:?}; expected one of {}",
            ALGORITHM_NAMES.join(", ")
        )));
    }
    let include = params.all("include_dataset");
    let exclude = params.all("exclude_dataset");
    let exclude_schemata = schemata(params.all("exclude_schema"), "exclude_schema")?;
    let topics = params.all("topics");
    let changed_since = params.date_time("changed_since")?;
    let exclude_entity_ids = params.all("exclude_entity_ids");
    if exclude_entity_ids.len() > 50 {
        return Err(ApiError::bad_request(format!(
            "query parameter `exclude_entity_ids`: at most 50 ids, got {}",
            exclude_entity_ids.len()
        )));
    }
    let _fuzzy = params.boolean("fuzzy")?;
    params.finish()?;

    if body.queries.len() > MAX_BATCH {
        return Err(ApiError::bad_request(format!(
            "too many queries: {} in one request, at most {MAX_BATCH}",
            body.queries.len()
        )));
    }
    if let Some(var) = body.config.keys().next() {
        return Err(ApiError::bad_request(format!(
            "config: unknown variable {var:?}; the {ALGORITHM} algorithm has no configuration variables"
        )));
    }
    let mut queries = Vec::with_capacity(body.queries.len());
    for (key, example) in &body.queries {
        queries.push((key.clone(), convert::query_from_example(key, example)?));
    }

    let snapshot = state.snapshot()?;
    let scope = datasets::scope(&snapshot, &dataset, &include, &exclude)?;
    // A scope of every loaded dataset needs no filter (the index checks names per candidate).
    let include_datasets = if covers_all(&snapshot, &scope) {
        Vec::new()
    } else {
        scope.clone()
    };
    let options = Options {
        limit,
        threshold,
        cutoff,
        filters: Filters {
            include_datasets,
            exclude_datasets: Vec::new(),
            exclude_schemata,
            topics,
            exclude_entity_ids,
            changed_since,
        },
        explain: true,
    };
    state.0.metrics.count_queries(queries.len());
    let run = move |snapshot: &Snapshot| {
        let mut responses = BTreeMap::new();
        for (key, (query, echo)) in queries {
            let results = if scope.is_empty() {
                Vec::new()
            } else {
                snapshot.index().search(&query, &options)
            };
            let results: Vec<ScoredEntity> = results
                .iter()
                .map(|m| convert::scored_entity(snapshot, m))
                .collect();
            let matches = results.iter().filter(|r| r.is_match).count();
            responses.insert(
                key,
                EntityMatches {
                    status: 200,
                    results,
                    total: TotalSpec::eq(matches),
                    query: echo,
                },
            );
        }
        responses
    };
    let batch = body.queries.len();
    // A large batch is CPU work of tens of milliseconds: keep it off the async workers.
    let responses = if batch > 4 {
        let s = std::sync::Arc::clone(&snapshot);
        tokio::task::spawn_blocking(move || run(&s))
            .await
            .map_err(|e| ApiError::internal("screening a batch", e))?
    } else {
        run(&snapshot)
    };
    let mut response = Json(EntityMatchResponse {
        responses,
        matcher: matcher_info(),
        limit,
    })
    .into_response();
    let headers = response.headers_mut();
    headers.insert("x-batch-size", HeaderValue::from(batch));
    snapshot_header(headers, &snapshot);
    Ok(response)
}

/// Whether a scope holds every dataset the snapshot loads (then it needs no filter).
fn covers_all(snapshot: &Snapshot, scope: &[String]) -> bool {
    snapshot
        .versions()
        .iter()
        .all(|v| scope.contains(&v.dataset))
}

/// Say which snapshot answered, so that a screening can be tied to list versions.
fn snapshot_header(headers: &mut HeaderMap, snapshot: &Snapshot) {
    if let Ok(v) =
        HeaderValue::from_str(&format!("{}; {}", snapshot.generation(), snapshot.label()))
    {
        headers.insert("x-interdict-snapshot", v);
    }
}

/// Parse schema names of a parameter.
fn schemata(names: Vec<String>, param: &str) -> Result<Vec<Schema>, ApiError> {
    names
        .iter()
        .map(|n| {
            Schema::get(n).ok_or_else(|| {
                ApiError::bad_request(format!("query parameter `{param}`: unknown schema {n:?}"))
            })
        })
        .collect()
}

/// The fields `facets` may name, with their labels.
const FACETS: [(&str, &str); 6] = [
    ("countries", "Countries"),
    ("topics", "Topics"),
    ("datasets", "Data sources"),
    ("schema", "Entity types"),
    ("identifiers", "Identifiers"),
    ("genders", "Genders"),
];

/// How many hits a search ranks, counts and facets at most.
const SEARCH_WINDOW: usize = 1000;

/// Values of an entity for a facet or filter field: a facet name, or any property name.
fn field_values(snapshot: &Snapshot, e: &Entity, field: &str) -> Vec<String> {
    match field {
        "countries" => e
            .values_of_type(PropertyType::Country)
            .map(|(_, v)| v.to_string())
            .collect(),
        "topics" => e.values("topics").map(str::to_string).collect(),
        "datasets" => snapshot
            .index()
            .entity_datasets(&e.id)
            .into_iter()
            .map(str::to_string)
            .collect(),
        "schema" => vec![e.schema.name().to_string()],
        "identifiers" => e
            .values_of_type(PropertyType::Identifier)
            .map(|(_, v)| v.to_string())
            .collect(),
        "genders" => e.values("gender").map(str::to_string).collect(),
        property => e.values(property).map(str::to_string).collect(),
    }
}

/// Search listed entities by text.
///
/// `q` is matched against every listed name (exactly, by romanisation and fuzzily) and
/// against identifiers; an empty `q` lists the scope's entities by id. Results are ranked,
/// counted and faceted over the best 1,000 hits. `simple` and `fuzzy` are accepted and have
/// no effect (matching is always multilingual and tolerant of typos).
#[utoipa::path(
    get,
    path = "/search/{dataset}",
    tag = "yente",
    params(
        ("dataset" = String, Path, description = "A dataset or collection; see /catalog."),
        ("q" = Option<String>, Query, description = "The text to find."),
        ("schema" = Option<String>, Query, description = "Only this schema or its descendants (default Thing)."),
        ("include_dataset" = Option<Vec<String>>, Query, explode, description = "Only these datasets."),
        ("exclude_dataset" = Option<Vec<String>>, Query, explode, description = "Not these datasets."),
        ("exclude_schema" = Option<Vec<String>>, Query, explode, description = "Not these schemata."),
        ("changed_since" = Option<String>, Query, description = "Only entities changed since YYYY-MM-DD[THH[:MM[:SS]]]."),
        ("countries" = Option<Vec<String>>, Query, explode, description = "Only entities linked to one of these countries."),
        ("topics" = Option<Vec<String>>, Query, explode, description = "Only entities with one of these topics."),
        ("datasets" = Option<Vec<String>>, Query, explode, description = "Only entities in one of these datasets."),
        ("filter" = Option<Vec<String>>, Query, explode, description = "field:value filters (a facet name or a property)."),
        ("filter_op" = Option<String>, Query, description = "How filters combine: OR (default) or AND."),
        ("limit" = Option<usize>, Query, maximum = 500, description = "Hits per page (default 10, at most 500)."),
        ("offset" = Option<usize>, Query, maximum = 9499, description = "Hits to skip (at most 9499)."),
        ("sort" = Option<Vec<String>>, Query, explode, description = "field:asc or field:desc; fields: score, caption, id, schema, first_seen, last_seen, last_change."),
        ("facets" = Option<Vec<String>>, Query, explode, description = "Facets to count: countries, topics, datasets (default), schema, identifiers, genders."),
        ("fuzzy" = Option<bool>, Query, description = "Accepted; matching is always tolerant of typos."),
        ("simple" = Option<bool>, Query, description = "Accepted; the query is always read as plain text."),
        ("target" = Option<bool>, Query, deprecated, description = "Deprecated: only targets (true) or non-targets (false).")
    ),
    responses(
        (status = 200, description = "A page of hits with facets.", body = SearchResponse),
        (status = 400, description = "A bad parameter.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 404, description = "Unknown dataset.", body = ErrorBody),
        (status = 503, description = "The index is being built.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn search(
    State(state): State<AppState>,
    Path(dataset): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let q = params.one("q")?.unwrap_or_default();
    let schema_name = params.one("schema")?.unwrap_or_else(|| "Thing".into());
    let schema = Schema::get(&schema_name).ok_or_else(|| {
        ApiError::bad_request(format!(
            "query parameter `schema`: unknown schema {schema_name:?}"
        ))
    })?;
    let include = params.all("include_dataset");
    let exclude = params.all("exclude_dataset");
    let exclude_schemata = schemata(params.all("exclude_schema"), "exclude_schema")?;
    let changed_since = params.date_time("changed_since")?;
    let countries: Vec<String> = params
        .all("countries")
        .iter()
        .map(|c| c.to_lowercase())
        .collect();
    let topics = params.all("topics");
    let only_datasets = params.all("datasets");
    let filters: Vec<(String, String)> = params
        .all("filter")
        .into_iter()
        .map(|f| match f.split_once(':') {
            Some((k, v)) if !k.is_empty() && !v.is_empty() => Ok((k.to_string(), v.to_string())),
            _ => Err(ApiError::bad_request(format!(
                "query parameter `filter`: expected field:value, got {f:?}"
            ))),
        })
        .collect::<Result<_, _>>()?;
    let filter_and = match params.one("filter_op")?.as_deref() {
        None => false,
        Some(op) if op.eq_ignore_ascii_case("or") => false,
        Some(op) if op.eq_ignore_ascii_case("and") => true,
        Some(op) => {
            return Err(ApiError::bad_request(format!(
                "query parameter `filter_op`: expected OR or AND, got {op:?}"
            )));
        }
    };
    let limit = params.integer("limit", 0, MAX_LIMIT, 10)?;
    let offset = params.integer("offset", 0, 9499, 0)?;
    let mut sort: Vec<(String, bool)> = Vec::new();
    for s in params.all("sort") {
        let (field, dir) = s.split_once(':').unwrap_or((s.as_str(), "asc"));
        let desc = match dir.to_ascii_lowercase().as_str() {
            "asc" => false,
            "desc" => true,
            _ => {
                return Err(ApiError::bad_request(format!(
                    "query parameter `sort`: expected field:asc or field:desc, got {s:?}"
                )));
            }
        };
        if ![
            "score",
            "caption",
            "id",
            "schema",
            "first_seen",
            "last_seen",
            "last_change",
        ]
        .contains(&field)
        {
            return Err(ApiError::bad_request(format!(
                "query parameter `sort`: cannot sort by {field:?}; use score, caption, id, \
                 schema, first_seen, last_seen or last_change"
            )));
        }
        sort.push((field.to_string(), desc));
    }
    let mut facets = params.all("facets");
    for f in &facets {
        if !FACETS.iter().any(|(n, _)| n == f) {
            return Err(ApiError::bad_request(format!(
                "query parameter `facets`: unknown facet {f:?}; use {}",
                FACETS.map(|(n, _)| n).join(", ")
            )));
        }
    }
    if facets.is_empty() {
        facets = vec!["countries".into(), "topics".into(), "datasets".into()];
    }
    let _ = params.boolean("fuzzy")?;
    let _ = params.boolean("simple")?;
    let target = params.boolean("target")?;
    params.finish()?;

    let snapshot = state.snapshot()?;
    let scope = datasets::scope(&snapshot, &dataset, &include, &exclude)?;
    for d in &only_datasets {
        if !datasets::is_dataset(&snapshot, d) {
            return Err(ApiError::bad_request(format!(
                "query parameter `datasets`: unknown dataset {d:?}; see /catalog"
            )));
        }
    }
    let index_filters = Filters {
        include_datasets: if covers_all(&snapshot, &scope) {
            Vec::new()
        } else {
            scope.clone()
        },
        exclude_datasets: Vec::new(),
        exclude_schemata: exclude_schemata.clone(),
        topics: topics.clone(),
        exclude_entity_ids: Vec::new(),
        changed_since,
    };
    let window = (offset + limit).clamp(100, SEARCH_WINDOW);
    // (entity, score), best first (or by id when listing).
    let mut hits: Vec<(Entity, f64)> = Vec::new();
    let mut truncated = false;
    if scope.is_empty() {
    } else if q.trim().is_empty() {
        let mut ids: Vec<&str> = scope
            .iter()
            .flat_map(|d| snapshot.index().dataset_entities(d))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            if hits.len() >= window {
                truncated = true;
                break;
            }
            let Some(e) = snapshot.entity(id) else {
                continue;
            };
            let changed = snapshot
                .dates(id)
                .and_then(|d| d.last_change.and_hms_opt(0, 0, 0));
            let keep = e.schema.is_a(schema)
                && !exclude_schemata.iter().any(|s| e.schema.is_a(*s))
                && (topics.is_empty() || e.values("topics").any(|t| topics.iter().any(|x| x == t)))
                && changed_since.is_none_or(|since| changed.is_some_and(|c| c >= since));
            if keep {
                hits.push((e, 0.0));
            }
        }
    } else {
        let found = snapshot.index().search_text(
            &q,
            &TextOptions {
                limit: window,
                schema,
                filters: index_filters,
            },
        );
        truncated = found.len() >= window;
        for h in found {
            if let Some(e) = snapshot.entity(&h.entity_id) {
                hits.push((e, h.score));
            }
        }
    }
    hits.retain(|(e, _)| {
        (countries.is_empty()
            || field_values(&snapshot, e, "countries")
                .iter()
                .any(|c| countries.contains(c)))
            && (only_datasets.is_empty()
                || field_values(&snapshot, e, "datasets")
                    .iter()
                    .any(|d| only_datasets.contains(d)))
            && target.is_none_or(|t| convert::is_target(e) == t)
            && (filters.is_empty() || {
                let mut results = filters.iter().map(|(field, value)| {
                    field_values(&snapshot, e, field)
                        .iter()
                        .any(|v| v.eq_ignore_ascii_case(value))
                });
                if filter_and {
                    results.all(|x| x)
                } else {
                    results.any(|x| x)
                }
            })
    });
    let mut facet_out = BTreeMap::new();
    for f in &facets {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for (e, _) in &hits {
            let values: HashSet<String> = field_values(&snapshot, e, f).into_iter().collect();
            for v in values {
                *counts.entry(v).or_default() += 1;
            }
        }
        let mut values: Vec<FacetValue> = counts
            .into_iter()
            .map(|(name, count)| FacetValue {
                label: match f.as_str() {
                    "countries" => country_name(&name).unwrap_or(&name).to_string(),
                    "datasets" => datasets::title(&name).0,
                    _ => name.clone(),
                },
                name,
                count,
            })
            .collect();
        values.sort_by(|a, b| b.count.cmp(&a.count).then(a.name.cmp(&b.name)));
        values.truncate(50);
        let label = FACETS
            .iter()
            .find(|(n, _)| n == f)
            .map(|(_, l)| l.to_string())
            .unwrap_or_else(|| f.clone());
        facet_out.insert(f.clone(), Facet { label, values });
    }
    if !sort.is_empty() {
        let key = |e: &Entity, score: f64, field: &str| -> String {
            let dates = snapshot.dates(&e.id);
            match field {
                "score" => format!("{:012.6}", score),
                "caption" => e.caption().to_lowercase(),
                "schema" => e.schema.name().to_string(),
                "first_seen" => dates.map(|d| d.first_seen.to_string()).unwrap_or_default(),
                "last_seen" => dates.map(|d| d.last_seen.to_string()).unwrap_or_default(),
                "last_change" => dates.map(|d| d.last_change.to_string()).unwrap_or_default(),
                _ => e.id.clone(),
            }
        };
        hits.sort_by(|(a, sa), (b, sb)| {
            for (field, desc) in &sort {
                let o = key(a, *sa, field).cmp(&key(b, *sb, field));
                let o = if *desc { o.reverse() } else { o };
                if o != std::cmp::Ordering::Equal {
                    return o;
                }
            }
            std::cmp::Ordering::Equal
        });
    }
    let total = TotalSpec {
        value: hits.len(),
        relation: if truncated { "gte" } else { "eq" }.into(),
    };
    let results = hits
        .iter()
        .skip(offset)
        .take(limit)
        .map(|(e, s)| convert::search_hit(&snapshot, e, *s))
        .collect();
    Ok(Json(SearchResponse {
        results,
        facets: facet_out,
        total,
        limit,
        offset,
    })
    .into_response())
}

/// The most adjacent entities nested under one property.
const MAX_ADJACENT: usize = 500;

/// One entity with (by default) its adjacent entities nested: sanctions, identity documents,
/// addresses, ownerships, family and other relations.
///
/// The id of an entity merged into another (a referent) answers `308` to the canonical id.
#[utoipa::path(
    get,
    path = "/entities/{entity_id}",
    tag = "yente",
    params(
        ("entity_id" = String, Path, description = "The entity id (`ofac-9760`)."),
        ("nested" = Option<bool>, Query, description = "Nest adjacent entities (default true).")
    ),
    responses(
        (status = 200, description = "The entity.", body = EntityResponse),
        (status = 308, description = "The id is a referent of another entity: redirects to it."),
        (status = 400, description = "A bad parameter.", body = ErrorBody),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 404, description = "No such entity in the lists.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn entity(
    State(state): State<AppState>,
    Path(entity_id): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let mut params = Params::parse(raw.as_deref());
    let nested = params.boolean("nested")?.unwrap_or(true);
    params.finish()?;
    let snapshot = state.0.snapshots.load();
    if let Some(s) = &snapshot
        && let Some(e) = s.entity(&entity_id)
        && e.id != entity_id
    {
        return Ok(Redirect::permanent(&format!("/entities/{}", e.id)).into_response());
    }
    let store = state.store();
    let held = store
        .entity_in_datasets(&entity_id, None)
        .await
        .map_err(|e| ApiError::internal("reading the entity", e))?;
    let Some(first) = held.first() else {
        return Err(ApiError::not_found(format!(
            "no entity {entity_id:?} in the lists in force"
        )));
    };
    let mut main = first.entity.clone();
    for other in &held[1..] {
        main.merge(&other.entity);
    }
    let mut datasets_held: Vec<String> = held.iter().map(|h| h.dataset.clone()).collect();
    datasets_held.sort();
    datasets_held.dedup();
    let first_seen = held.iter().map(|h| h.first_seen).min();
    let last_seen = held.iter().map(|h| h.last_seen).max();
    let last_change = held.iter().map(|h| h.last_change).max();

    let mut response = EntityResponse {
        id: main.id.clone(),
        caption: main.caption().to_string(),
        schema: main.schema.name().to_string(),
        properties: BTreeMap::new(),
        datasets: datasets_held,
        referents: main.referents.clone(),
        target: convert::is_target(&main),
        first_seen: first_seen.map(convert::date_time),
        last_seen: last_seen.map(convert::date_time),
        last_change: last_change.map(convert::date_time),
    };
    if !nested {
        response.properties = plain_properties(&main);
        return Ok(Json(response).into_response());
    }
    // Forward references (an address, a parent company) and the entities pointing here.
    response.properties = nest_forward(&state, snapshot.as_deref(), &main, &main.id).await?;
    let adjacent = store
        .referencing(&main.id, None)
        .await
        .map_err(|e| ApiError::internal("reading the adjacent entities", e))?;
    for adj in adjacent {
        let e = adj.entity;
        for (prop, values) in &e.properties {
            if e.schema.property_type(prop) != Some(PropertyType::Entity)
                || !values.iter().any(|v| v.value == main.id)
            {
                continue;
            }
            let reverse = reverse_property(e.schema, prop);
            let slot = response.properties.entry(reverse).or_default();
            if slot.len() >= MAX_ADJACENT {
                continue;
            }
            let properties = nest_forward(&state, snapshot.as_deref(), &e, &main.id).await?;
            let listed = snapshot.as_deref().map(|s| Listed::of(s, &e.id));
            slot.push(NestedValue::Entity(Box::new(EntityResponse {
                id: e.id.clone(),
                caption: e.caption().to_string(),
                schema: e.schema.name().to_string(),
                properties,
                datasets: vec![adj.dataset.clone()],
                referents: e.referents.clone(),
                target: convert::is_target(&e),
                first_seen: listed.as_ref().and_then(|l| l.first_seen.clone()),
                last_seen: listed.as_ref().and_then(|l| l.last_seen.clone()),
                last_change: listed.as_ref().and_then(|l| l.last_change.clone()),
            })));
        }
    }
    Ok(Json(response).into_response())
}

/// Properties as plain values.
fn plain_properties(e: &Entity) -> BTreeMap<String, Vec<NestedValue>> {
    e.properties
        .iter()
        .map(|(k, vs)| {
            (
                k.clone(),
                vs.iter()
                    .map(|v| NestedValue::Text(v.value.clone()))
                    .collect(),
            )
        })
        .collect()
}

/// Properties with entity-valued ones resolved one level deep (an ownership's asset, a
/// person's address); the reference back to `origin` stays an id, which avoids cycles.
async fn nest_forward(
    state: &AppState,
    snapshot: Option<&Snapshot>,
    e: &Entity,
    origin: &str,
) -> Result<BTreeMap<String, Vec<NestedValue>>, ApiError> {
    let mut out = BTreeMap::new();
    for (prop, values) in &e.properties {
        let is_ref = e.schema.property_type(prop) == Some(PropertyType::Entity);
        let mut list = Vec::with_capacity(values.len());
        for v in values {
            if !is_ref || v.value == origin {
                list.push(NestedValue::Text(v.value.clone()));
                continue;
            }
            let target = state
                .store()
                .entity(&v.value, None)
                .await
                .map_err(|err| ApiError::internal("reading a referenced entity", err))?;
            match target {
                Some(t) if is_adjacent(t.entity.schema) || t.entity.schema.is_matchable() => {
                    let te = t.entity;
                    let listed = snapshot.map(|s| Listed::of(s, &te.id));
                    list.push(NestedValue::Entity(Box::new(EntityResponse {
                        id: te.id.clone(),
                        caption: te.caption().to_string(),
                        schema: te.schema.name().to_string(),
                        properties: plain_properties(&te),
                        datasets: vec![t.dataset],
                        referents: te.referents.clone(),
                        target: convert::is_target(&te),
                        first_seen: listed.as_ref().and_then(|l| l.first_seen.clone()),
                        last_seen: listed.as_ref().and_then(|l| l.last_seen.clone()),
                        last_change: listed.as_ref().and_then(|l| l.last_change.clone()),
                    })));
                }
                _ => list.push(NestedValue::Text(v.value.clone())),
            }
        }
        out.insert(prop.clone(), list);
    }
    Ok(out)
}

/// The datasets and collections served, with the versions in force.
///
/// Answers `304 Not Modified` to an `If-None-Match` that names the current ETag (which
/// changes with every snapshot swap).
#[utoipa::path(
    get,
    path = "/catalog",
    tag = "yente",
    responses(
        (status = 200, description = "The catalogue.", body = CatalogResponse,
            headers(("etag" = String, description = "Changes with every snapshot swap."))),
        (status = 304, description = "Unchanged since the ETag given in If-None-Match."),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody),
        (status = 503, description = "The index is being built.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn catalog(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snapshot = state.snapshot()?;
    let stale = snapshot
        .is_stale(state.store())
        .await
        .map_err(|e| ApiError::internal("checking for new list versions", e))?;
    let etag = format!("\"{}-{}\"", snapshot.generation(), u8::from(stale));
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = HeaderValue::from_str(&etag) {
            r.headers_mut().insert(header::ETAG, v);
        }
        return Ok(r);
    }
    let index_version = Some(snapshot.generation().to_string());
    let mut out = Vec::new();
    for collection in [datasets::DEFAULT, datasets::SANCTIONS] {
        let children = datasets::children(&snapshot, collection);
        let (title, summary) = datasets::title(collection);
        let entity_count = snapshot
            .datasets()
            .iter()
            .filter(|d| children.contains(&d.name))
            .map(|d| d.indexed)
            .sum();
        out.push(DatasetInfo {
            name: collection.into(),
            title,
            summary,
            kind: "collection".into(),
            load: !children.is_empty(),
            children,
            version: None,
            updated_at: None,
            entity_count,
            index_version: index_version.clone(),
            index_current: !stale,
            list_version: None,
        });
    }
    let mut names: Vec<String> = datasets::WELL_KNOWN
        .iter()
        .map(|(n, _, _)| n.to_string())
        .collect();
    names.extend(datasets::loaded(&snapshot));
    names.sort();
    names.dedup();
    for name in names {
        let (title, summary) = datasets::title(&name);
        let loaded = snapshot.datasets().iter().find(|d| d.name == name);
        out.push(DatasetInfo {
            name: name.clone(),
            title,
            summary,
            kind: "source".into(),
            children: Vec::new(),
            load: loaded.is_some(),
            version: loaded.map(|d| format!("{}-{}", d.version.id, d.version.effective_date())),
            updated_at: loaded.map(|d| {
                d.version
                    .imported_at
                    .format("%Y-%m-%dT%H:%M:%S")
                    .to_string()
            }),
            entity_count: loaded.map(|d| d.indexed).unwrap_or(0),
            index_version: loaded.map(|_| snapshot.generation().to_string()),
            index_current: loaded.is_some() && !stale,
            list_version: loaded.map(|d| ListVersionInfo::from(&d.version)),
        });
    }
    let current = snapshot
        .versions()
        .iter()
        .map(|v| format!("{}@{}", v.dataset, v.id))
        .collect();
    let mut response = Json(CatalogResponse {
        datasets: out,
        current,
        outdated: Vec::new(),
        index_stale: stale,
    })
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, v);
    }
    Ok(response)
}

/// The scoring algorithms `/match` accepts.
///
/// interdict scores every request with its own algorithm, `interdict-v1`; yente's algorithm
/// names are accepted so that clients configured for yente work unchanged, and are listed here
/// as such.
#[utoipa::path(
    get,
    path = "/algorithms",
    tag = "yente",
    responses(
        (status = 200, description = "The algorithms.", body = AlgorithmsResponse),
        (status = 401, description = "No key, or a bad key.", body = ErrorBody)
    ),
    security(("api_key" = []), ("bearer" = []), ("x_api_key" = []))
)]
pub async fn algorithms() -> Json<AlgorithmsResponse> {
    let features: BTreeMap<String, FeatureDoc> = FEATURES
        .iter()
        .map(|(n, c, d)| {
            (
                n.to_string(),
                FeatureDoc {
                    description: d.to_string(),
                    coefficient: *c,
                    url: None,
                },
            )
        })
        .collect();
    let names: Vec<String> = FEATURES.iter().map(|(n, _, _)| n.to_string()).collect();
    let info = matcher_info();
    let algorithms = ALGORITHM_NAMES
        .iter()
        .filter(|n| **n != "best")
        .map(|n| {
            let description = if *n == ALGORITHM {
                info.description.clone()
            } else {
                format!("yente's {n}, accepted for compatibility: scored by {ALGORITHM}.")
            };
            AlgorithmInfo {
                name: n.to_string(),
                description: description.clone(),
                features: names.clone(),
                docs: AlgorithmDocs {
                    name: n.to_string(),
                    description,
                    config: BTreeMap::new(),
                    features: features.clone(),
                },
            }
        })
        .collect();
    Json(AlgorithmsResponse {
        algorithms,
        default: "best".into(),
        best: ALGORITHM.into(),
    })
}

/// Liveness: the process answers.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    responses((status = 200, description = "Alive.", body = HealthResponse))
)]
pub async fn healthz() -> Json<HealthResponse> {
    Json(HealthResponse {
        status: "ok".into(),
    })
}

/// Readiness: `200` once the screening index is built, `503` before.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    responses(
        (status = 200, description = "The index is built.", body = HealthResponse),
        (status = 503, description = "The index is being built.", body = HealthResponse)
    )
)]
pub async fn readyz(State(state): State<AppState>) -> Response {
    if state.snapshots().is_ready() {
        Json(HealthResponse {
            status: "ok".into(),
        })
        .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(HealthResponse {
                status: "building".into(),
            }),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_feature_can_be_weighted_and_no_other() {
        for (name, _, _) in FEATURES {
            let body = format!("{{\"queries\": {{}}, \"weights\": {{\"{name}\": 0.5}}}}");
            assert!(
                serde_json::from_str::<EntityMatchQuery>(&body).is_ok(),
                "{name}"
            );
        }
        let body = "{\"queries\": {}, \"weights\": {\"bogus\": 1}}";
        assert!(serde_json::from_str::<EntityMatchQuery>(body).is_err());
    }
}
