//! The wire shapes: what clients send and receive, as serialisable types with their OpenAPI
//! schemas. Domain types (entities, matches, versions) are never serialised directly; they are
//! converted into these, so that a change of the domain cannot silently change the API.
//!
//! The yente shapes follow yente 5.5 (`yente/data/common.py`): a client written against yente
//! reads these responses unchanged. The native shapes (`/v1/…`) carry what yente lacks.

use std::collections::BTreeMap;

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

// ---------------------------------------------------------------------------------------------
// yente: /match
// ---------------------------------------------------------------------------------------------

/// A property's values as a client may send them: one string (or number), or a list of them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PropertyValues(pub Vec<String>);

impl<'de> Deserialize<'de> for PropertyValues {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        let scalar = |v: &serde_json::Value| match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        };
        let expected = || de::Error::custom("expected a string or a list of strings");
        match &value {
            serde_json::Value::Null => Ok(PropertyValues(Vec::new())),
            serde_json::Value::Array(items) => items
                .iter()
                .filter(|v| !v.is_null())
                .map(|v| scalar(v).ok_or_else(expected))
                .collect::<Result<Vec<_>, _>>()
                .map(PropertyValues),
            v => scalar(v)
                .map(|s| PropertyValues(vec![s]))
                .ok_or_else(expected),
        }
    }
}

/// Documentation of [`PropertyValues`]: a string or a list of strings.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum PropertyValuesSchema {
    /// One value.
    One(String),
    /// Several values.
    Many(Vec<String>),
}

/// The schemata a query may name: every matchable FollowTheMoney schema, or `Thing` for any.
#[derive(Debug, Deserialize, ToSchema)]
#[allow(dead_code)]
pub enum SchemaName {
    /// Anything.
    Thing,
    /// A person or an organisation.
    LegalEntity,
    /// A natural person.
    Person,
    /// An organisation.
    Organization,
    /// A company.
    Company,
    /// A public body.
    PublicBody,
    /// A vehicle.
    Vehicle,
    /// A vessel.
    Vessel,
    /// An aircraft.
    Airplane,
    /// A security.
    Security,
}

/// Per-feature weights, by feature name (see `/algorithms`).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)]
pub struct FeatureWeights {
    pub name_match: Option<f64>,
    pub identifier_match: Option<f64>,
    pub identifier_mismatch: Option<f64>,
    pub dob_match: Option<f64>,
    pub dob_mismatch: Option<f64>,
    pub country_match: Option<f64>,
    pub country_mismatch: Option<f64>,
    pub gender_mismatch: Option<f64>,
    pub address_match: Option<f64>,
}

/// An example entity to screen: a schema and FollowTheMoney properties.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityExample {
    /// The caller's id for the query, echoed back.
    #[serde(default)]
    pub id: Option<String>,
    /// A matchable FtM schema: `Person`, `Organization`, `Company`, `LegalEntity`, `Vessel`,
    /// `Airplane` … (or `Thing` for anything).
    #[schema(value_type = SchemaName)]
    pub schema: String,
    /// FtM properties: `name`, `alias`, `firstName`, `lastName`, `birthDate`, `nationality`,
    /// `country`, `jurisdiction`, `gender`, `passportNumber`, `idNumber`, `registrationNumber`,
    /// `imoNumber`, `address` …
    #[serde(default)]
    #[schema(value_type = BTreeMap<String, PropertyValuesSchema>)]
    pub properties: BTreeMap<String, PropertyValues>,
}

/// The body of `POST /match/{dataset}`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityMatchQuery {
    /// The queries, by a key of the caller's choosing (at most 100).
    pub queries: BTreeMap<String, EntityExample>,
    /// Per-feature weights (yente's tuning knob). Accepted for compatibility with the feature
    /// names of `/algorithms`; interdict's score is calibrated and does not take overrides, so
    /// the weights do not change the score. An unknown feature is a `422`.
    #[serde(default)]
    pub weights: FeatureWeights,
    /// Algorithm configuration variables; interdict's algorithm has none, so any variable is
    /// a `400` (as yente answers for a variable its algorithm lacks).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub config: BTreeMap<String, serde_json::Value>,
}

/// A count of results, in Elasticsearch's shape.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TotalSpec {
    /// The count.
    pub value: usize,
    /// `eq` when exact, `gte` when a lower bound.
    pub relation: String,
}

impl TotalSpec {
    /// An exact count.
    pub fn eq(value: usize) -> TotalSpec {
        TotalSpec {
            value,
            relation: "eq".into(),
        }
    }
}

/// The query as it was understood, echoed back.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityExampleEcho {
    /// The caller's id, if given.
    pub id: Option<String>,
    /// The schema.
    pub schema: String,
    /// The properties, each as a list.
    pub properties: BTreeMap<String, Vec<String>>,
}

/// Why a feature fired, in yente's `explanations` shape.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeatureExplanation {
    /// What fired, in words.
    pub detail: Option<String>,
    /// The feature's value in [0, 1].
    pub score: f64,
    /// The query value compared.
    pub query: Option<String>,
    /// The listed value compared.
    pub candidate: Option<String>,
}

/// A listed entity found for a query, with its score and explanation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoredEntity {
    /// The entity id (`ofac-9760`).
    pub id: String,
    /// Its display name.
    pub caption: String,
    /// Its FtM schema.
    pub schema: String,
    /// Its properties (values only).
    pub properties: BTreeMap<String, Vec<String>>,
    /// The datasets listing it.
    pub datasets: Vec<String>,
    /// Ids from other sources known to be the same entity.
    pub referents: Vec<String>,
    /// Whether it is a target (sanctioned, or otherwise of interest).
    pub target: bool,
    /// When a list first held it (ISO date-time).
    pub first_seen: Option<String>,
    /// When a list last held it.
    pub last_seen: Option<String>,
    /// When it last changed.
    pub last_change: Option<String>,
    /// The calibrated score in [0, 1].
    pub score: f64,
    /// Whether the score reaches the threshold.
    #[serde(rename = "match")]
    pub is_match: bool,
    /// Feature name → why it fired.
    pub explanations: BTreeMap<String, FeatureExplanation>,
}

/// The answer to one query of a batch.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityMatches {
    /// 200 for an answered query.
    pub status: u16,
    /// The results, best first, cut at `limit`.
    pub results: Vec<ScoredEntity>,
    /// How many results are matches (score at or above the threshold).
    pub total: TotalSpec,
    /// The query as understood.
    pub query: EntityExampleEcho,
}

/// The algorithm that scored a response.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MatcherInfo {
    /// Its name.
    pub name: String,
    /// What it does.
    pub description: String,
}

/// The response of `POST /match/{dataset}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityMatchResponse {
    /// One answer per query key.
    pub responses: BTreeMap<String, EntityMatches>,
    /// The algorithm used.
    pub matcher: MatcherInfo,
    /// The limit applied.
    pub limit: usize,
}

// ---------------------------------------------------------------------------------------------
// yente: entities, search, catalog, algorithms
// ---------------------------------------------------------------------------------------------

/// A property value of an entity: a string, or (with `nested=true`) an adjacent entity.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum NestedValue {
    /// A plain value.
    Text(String),
    /// An adjacent entity (a sanction, an address, an ownership …).
    Entity(Box<EntityResponse>),
}

/// An entity with its properties, datasets and dates.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityResponse {
    /// The entity id.
    pub id: String,
    /// Its display name.
    pub caption: String,
    /// Its FtM schema.
    pub schema: String,
    /// Its properties; with `nested=true`, entity-valued properties hold the entities.
    #[schema(no_recursion)]
    pub properties: BTreeMap<String, Vec<NestedValue>>,
    /// The datasets listing it.
    pub datasets: Vec<String>,
    /// Ids from other sources known to be the same entity.
    pub referents: Vec<String>,
    /// Whether it is a target.
    pub target: bool,
    /// When a list first held it.
    pub first_seen: Option<String>,
    /// When a list last held it.
    pub last_seen: Option<String>,
    /// When it last changed.
    pub last_change: Option<String>,
}

/// A search hit: an entity and how well it matched the text.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    /// The entity id.
    pub id: String,
    /// Its display name.
    pub caption: String,
    /// Its FtM schema.
    pub schema: String,
    /// Its properties.
    pub properties: BTreeMap<String, Vec<String>>,
    /// The datasets listing it.
    pub datasets: Vec<String>,
    /// Ids from other sources known to be the same entity.
    pub referents: Vec<String>,
    /// Whether it is a target.
    pub target: bool,
    /// When a list first held it.
    pub first_seen: Option<String>,
    /// When a list last held it.
    pub last_seen: Option<String>,
    /// When it last changed.
    pub last_change: Option<String>,
    /// How much of the text its best name covers, in [0, 1].
    pub score: f64,
}

/// One value of a facet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FacetValue {
    /// The value.
    pub name: String,
    /// A readable label.
    pub label: String,
    /// How many hits have it.
    pub count: usize,
}

/// Counts of the hits by one field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Facet {
    /// A readable label of the field.
    pub label: String,
    /// The values, most frequent first.
    pub values: Vec<FacetValue>,
}

/// The response of `GET /search/{dataset}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResponse {
    /// The hits of this page.
    pub results: Vec<SearchHit>,
    /// Field → counts over all hits.
    pub facets: BTreeMap<String, Facet>,
    /// How many hits there are.
    pub total: TotalSpec,
    /// The page size.
    pub limit: usize,
    /// The offset of this page.
    pub offset: usize,
}

/// A dataset or collection of the catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DatasetInfo {
    /// The name, as OpenSanctions names it (`us_ofac_sdn`, `default`).
    pub name: String,
    /// A readable title.
    pub title: String,
    /// What it is.
    pub summary: String,
    /// `collection` (a union of datasets) or `source` (one list).
    #[serde(rename = "type")]
    pub kind: String,
    /// For a collection, the datasets it holds.
    pub children: Vec<String>,
    /// Whether it is loaded in the index (a known list not imported is not).
    pub load: bool,
    /// The version: `<store version id>-<effective date>`, for a loaded source.
    pub version: Option<String>,
    /// When the loaded version was imported (ISO date-time).
    pub updated_at: Option<String>,
    /// Entities in the screening index.
    pub entity_count: u64,
    /// The snapshot generation serving it.
    pub index_version: Option<String>,
    /// Whether the index serves the dataset's latest version.
    pub index_current: bool,
    /// The list version in force, for a loaded source.
    pub list_version: Option<ListVersionInfo>,
}

/// The response of `GET /catalog`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CatalogResponse {
    /// Every dataset and collection.
    pub datasets: Vec<DatasetInfo>,
    /// The `dataset@version` labels the index serves.
    pub current: Vec<String>,
    /// Labels of versions the index still serves although newer ones were imported.
    pub outdated: Vec<String>,
    /// Whether newer list versions were imported than the index serves (a rebuild is due).
    pub index_stale: bool,
}

/// A configuration variable of an algorithm.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConfigVarDoc {
    /// Its type.
    #[serde(rename = "type")]
    pub kind: String,
    /// What it does.
    pub description: String,
    /// Its default.
    #[schema(value_type = Object)]
    pub default: serde_json::Value,
}

/// A feature of an algorithm.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeatureDoc {
    /// What it measures.
    pub description: String,
    /// Its nominal weight.
    pub coefficient: f64,
    /// Where it is documented.
    pub url: Option<String>,
}

/// The documentation of an algorithm.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlgorithmDocs {
    /// The name.
    pub name: String,
    /// What it does.
    pub description: String,
    /// Configuration variables (none for interdict's).
    pub config: BTreeMap<String, ConfigVarDoc>,
    /// Its features.
    pub features: BTreeMap<String, FeatureDoc>,
}

/// An algorithm `/match` accepts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlgorithmInfo {
    /// The name to pass as `algorithm`.
    pub name: String,
    /// What it does.
    pub description: String,
    /// Feature names (deprecated in yente; kept for old clients).
    pub features: Vec<String>,
    /// Full documentation.
    pub docs: AlgorithmDocs,
}

/// The response of `GET /algorithms`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlgorithmsResponse {
    /// Every accepted algorithm.
    pub algorithms: Vec<AlgorithmInfo>,
    /// The algorithm used when none is given (`best`).
    pub default: String,
    /// What `best` means.
    pub best: String,
}

/// Liveness or readiness.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HealthResponse {
    /// `ok`, or `building` while the index is not ready.
    pub status: String,
}

// ---------------------------------------------------------------------------------------------
// native: /v1/…
// ---------------------------------------------------------------------------------------------

/// A list version: one import of one source.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListVersionInfo {
    /// The store's id (increasing with import order).
    pub id: i64,
    /// The dataset.
    pub dataset: String,
    /// The import format.
    pub format: String,
    /// The publication date read from (or given for) the file.
    pub published: Option<String>,
    /// The date the version speaks for: publication, else import date.
    pub effective_date: String,
    /// When it was imported (RFC 3339).
    pub imported_at: String,
    /// SHA-256 over the input files.
    pub sha256: String,
    /// How many entities it holds.
    pub entity_count: i64,
    /// The input file names.
    pub files: Vec<String>,
}

impl From<&interdict_model::ListVersion> for ListVersionInfo {
    fn from(v: &interdict_model::ListVersion) -> Self {
        ListVersionInfo {
            id: v.id,
            dataset: v.dataset.clone(),
            format: v.format.clone(),
            published: v.published.map(|d| d.to_string()),
            effective_date: v.effective_date().to_string(),
            imported_at: v.imported_at.to_rfc3339(),
            sha256: v.sha256.clone(),
            entity_count: v.entity_count,
            files: v.files.clone(),
        }
    }
}

/// Values of one property added and removed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PropertyChangeInfo {
    /// The FtM property.
    pub property: String,
    /// Values only in the newer version.
    pub added: Vec<String>,
    /// Values only in the older version.
    pub removed: Vec<String>,
}

/// What happened to one entity between two versions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntityChangeInfo {
    /// `added`, `removed` or `changed`.
    pub change: String,
    /// The entity id.
    pub id: String,
    /// Its schema.
    pub schema: String,
    /// Its caption.
    pub caption: String,
    /// For a change, the property-level changes.
    pub properties: Vec<PropertyChangeInfo>,
}

impl From<&interdict_model::EntityChange> for EntityChangeInfo {
    fn from(c: &interdict_model::EntityChange) -> Self {
        use interdict_model::EntityChange as C;
        let (change, id, schema, caption, props) = match c {
            C::Added {
                id,
                schema,
                caption,
            } => ("added", id, schema, caption, Vec::new()),
            C::Removed {
                id,
                schema,
                caption,
            } => ("removed", id, schema, caption, Vec::new()),
            C::Changed {
                id,
                schema,
                caption,
                properties,
                ..
            } => (
                "changed",
                id,
                schema,
                caption,
                properties
                    .iter()
                    .map(|p| PropertyChangeInfo {
                        property: p.property.clone(),
                        added: p.added.clone(),
                        removed: p.removed.clone(),
                    })
                    .collect(),
            ),
        };
        EntityChangeInfo {
            change: change.into(),
            id: id.clone(),
            schema: schema.name().into(),
            caption: caption.clone(),
            properties: props,
        }
    }
}

/// The response of `GET /v1/versions/{old}/diff/{new}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DiffResponse {
    /// The older version.
    pub old: ListVersionInfo,
    /// The newer version.
    pub new: ListVersionInfo,
    /// Entities added, removed and changed, by id.
    pub changes: Vec<EntityChangeInfo>,
}

/// One version in the history of an entity.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryEntryInfo {
    /// The version.
    pub version: ListVersionInfo,
    /// What it did to the entity; absent when the entity stayed the same.
    pub change: Option<EntityChangeInfo>,
}

/// One value with the field of the source file it was read from.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ValueWithOrigin {
    /// The value.
    pub value: String,
    /// The field of the source file (`sdn.csv:name`), if known.
    pub origin: Option<String>,
}

/// An entity as one dataset's version holds it, with the provenance of every value.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoredEntityInfo {
    /// The entity id.
    pub id: String,
    /// Its schema.
    pub schema: String,
    /// Its caption.
    pub caption: String,
    /// Property → values with origins.
    pub properties: BTreeMap<String, Vec<ValueWithOrigin>>,
    /// The dataset.
    pub dataset: String,
    /// The version it was read from.
    pub version_id: i64,
    /// Effective date of the first version that held it.
    pub first_seen: String,
    /// Effective date of the version it was read from.
    pub last_seen: String,
    /// Effective date of its last change.
    pub last_change: String,
}

/// An identifier given with a native query.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentifierQuery {
    /// The number as written.
    pub value: String,
    /// Its kind (`passport`, `national id`, `imo`, `inn`, or an FtM property name).
    #[serde(default)]
    pub kind: Option<String>,
    /// The issuing country (code or name).
    #[serde(default)]
    pub country: Option<String>,
}

/// The body of `POST /v1/match`: one query, with every explanation in full.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NativeMatchRequest {
    /// `Person`, `Organization`, `Company`, `LegalEntity`, `Vessel`, `Airplane` or `Thing`.
    #[serde(default = "default_schema")]
    #[schema(value_type = SchemaName)]
    pub schema: String,
    /// One or more names, in any script and order.
    pub names: Vec<String>,
    /// Birth dates or ranges: `1954`, `1954-08`, `1954-08-30`, `1950..1955`.
    #[serde(default)]
    pub birth_dates: Vec<String>,
    /// Countries (codes or names).
    #[serde(default)]
    pub countries: Vec<String>,
    /// `male` or `female`.
    #[serde(default)]
    pub gender: Option<String>,
    /// Identifiers.
    #[serde(default)]
    pub identifiers: Vec<IdentifierQuery>,
    /// Addresses, one line each.
    #[serde(default)]
    pub addresses: Vec<String>,
    /// At most this many results (default 5, at most 500).
    #[serde(default)]
    pub limit: Option<usize>,
    /// The alert line (default 0.70).
    #[serde(default)]
    pub threshold: Option<f64>,
    /// Results at or below this score are dropped (default: the threshold).
    #[serde(default)]
    pub cutoff: Option<f64>,
    /// Only these datasets (default: all).
    #[serde(default)]
    pub datasets: Vec<String>,
}

fn default_schema() -> String {
    "Thing".into()
}

/// One feature of a native result.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeatureInfo {
    /// The feature name.
    pub name: String,
    /// Its value in [0, 1].
    pub value: f64,
    /// Its weight.
    pub weight: f64,
    /// The change of the score it caused.
    pub effect: f64,
    /// What fired.
    pub detail: String,
    /// The query value compared.
    pub query: Option<String>,
    /// The listed value compared.
    pub candidate: Option<String>,
}

/// One aligned pair of words.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WordAlignmentInfo {
    /// The query word(s).
    pub query: String,
    /// The listed word(s).
    pub candidate: String,
    /// The role of the listed word.
    pub role: String,
    /// How they met.
    pub method: String,
    /// Their similarity.
    pub similarity: f64,
}

/// A listed word the query lacks.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnmatchedWord {
    /// The word.
    pub word: String,
    /// Its role.
    pub role: String,
}

/// Which query name met which listed name, word by word.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NameExplanationInfo {
    /// The query name as given.
    pub query_name: String,
    /// The Latin form compared.
    pub query_form: String,
    /// How it was obtained.
    pub query_system: String,
    /// The listed name as written.
    pub listed_name: String,
    /// The property it is listed under.
    pub listed_property: String,
    /// The Latin form compared.
    pub listed_form: String,
    /// How it was obtained.
    pub listed_system: String,
    /// The aligned words.
    pub words: Vec<WordAlignmentInfo>,
    /// Query words the listed name lacks.
    pub unmatched_query: Vec<String>,
    /// Listed words the query lacks.
    pub unmatched_listed: Vec<UnmatchedWord>,
    /// The name score.
    pub score: f64,
    /// The alignment in one line.
    pub summary: String,
}

/// A native result: the match with every feature and the full name alignment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NativeMatch {
    /// The entity id.
    pub id: String,
    /// Its caption.
    pub caption: String,
    /// Its schema.
    pub schema: String,
    /// The calibrated score.
    pub score: f64,
    /// Whether it reaches the threshold.
    #[serde(rename = "match")]
    pub is_match: bool,
    /// The datasets listing it.
    pub datasets: Vec<String>,
    /// When a list first held it.
    pub first_seen: Option<String>,
    /// When it last changed.
    pub last_change: Option<String>,
    /// Every feature that fired, `name_match` first.
    pub features: Vec<FeatureInfo>,
    /// The name alignment behind `name_match`.
    pub name: Option<NameExplanationInfo>,
}

/// The response of `POST /v1/match`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NativeMatchResponse {
    /// The snapshot that answered: `dataset@version` of every list.
    pub snapshot: String,
    /// Its generation.
    pub generation: u64,
    /// The results, best first.
    pub results: Vec<NativeMatch>,
}

/// The snapshot in force.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SnapshotInfo {
    /// Its generation (increases with every swap).
    pub generation: u64,
    /// `dataset@version` of every list.
    pub label: String,
    /// The list versions it was built from.
    pub versions: Vec<ListVersionInfo>,
    /// Entities in the screening index.
    pub entities: usize,
    /// When it was built (RFC 3339).
    pub built_at: String,
    /// How long the build took, in seconds.
    pub build_seconds: f64,
    /// Whether newer versions were imported since.
    pub stale: bool,
}

/// The result of `POST /v1/admin/import`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportResponse {
    /// Whether a new version was written (`false`: the same input was already imported).
    pub created: bool,
    /// The version holding the input.
    pub version: ListVersionInfo,
    /// The snapshot in force after the import.
    pub snapshot: SnapshotInfo,
}

/// What `POST /v1/admin/sync` did for one source.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SyncSourceInfo {
    /// The dataset.
    pub dataset: String,
    /// `imported`, `unchanged`, `not_modified`, `disabled` or `failed`.
    pub outcome: String,
    /// The version now current, when imported.
    pub version: Option<ListVersionInfo>,
    /// The error, when failed.
    pub error: Option<String>,
}

/// The result of `POST /v1/admin/sync`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SyncResponse {
    /// One entry per configured source.
    pub sources: Vec<SyncSourceInfo>,
    /// The snapshot in force afterwards.
    pub snapshot: SnapshotInfo,
}
