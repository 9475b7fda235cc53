//! From domain types to wire shapes, and from yente's example entities to screening queries.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use interdict_matching::{Match, Query, QueryIdentifier};
use interdict_model::{Entity, PropertyType, Schema, SchemaRole};
use interdict_snapshot::Snapshot;

use crate::error::ApiError;
use crate::wire::{
    EntityExample, EntityExampleEcho, FeatureExplanation, FeatureInfo, NameExplanationInfo,
    NativeMatch, ScoredEntity, SearchHit, StoredEntityInfo, UnmatchedWord, ValueWithOrigin,
    WordAlignmentInfo,
};

/// A date as yente writes `first_seen` and its kin: an ISO date-time at midnight.
pub fn date_time(d: NaiveDate) -> String {
    format!("{d}T00:00:00")
}

/// The property values of an entity, without provenance.
pub fn flat_properties(e: &Entity) -> BTreeMap<String, Vec<String>> {
    e.properties
        .iter()
        .map(|(k, vs)| (k.clone(), vs.iter().map(|v| v.value.clone()).collect()))
        .collect()
}

/// Whether an entity is a target, as OpenSanctions marks them: sanctioned, debarred, a
/// politically exposed person, or wanted for a crime.
pub fn is_target(e: &Entity) -> bool {
    e.values("topics").any(|t| {
        t == "sanction"
            || t.starts_with("sanction.")
            || t == "debarment"
            || t == "role.pep"
            || t.starts_with("crime")
            || t == "wanted"
    })
}

/// The entity fields every shape carries: from the snapshot when the entity is indexed.
pub struct Listed {
    /// The entity as indexed (merged across datasets), if it is.
    pub entity: Option<Entity>,
    /// Its datasets.
    pub datasets: Vec<String>,
    /// Its dates.
    pub first_seen: Option<String>,
    /// Its dates.
    pub last_seen: Option<String>,
    /// Its dates.
    pub last_change: Option<String>,
}

impl Listed {
    /// Look an entity up in a snapshot.
    pub fn of(snapshot: &Snapshot, id: &str) -> Listed {
        let dates = snapshot.dates(id);
        Listed {
            entity: snapshot.entity(id),
            datasets: snapshot
                .index()
                .entity_datasets(id)
                .into_iter()
                .map(str::to_string)
                .collect(),
            first_seen: dates.map(|d| date_time(d.first_seen)),
            last_seen: dates.map(|d| date_time(d.last_seen)),
            last_change: dates.map(|d| date_time(d.last_change)),
        }
    }
}

/// A match in yente's shape.
pub fn scored_entity(snapshot: &Snapshot, m: &Match) -> ScoredEntity {
    let listed = Listed::of(snapshot, &m.entity_id);
    let (properties, referents, target) = match &listed.entity {
        Some(e) => (flat_properties(e), e.referents.clone(), is_target(e)),
        None => (BTreeMap::new(), Vec::new(), false),
    };
    ScoredEntity {
        id: m.entity_id.clone(),
        caption: m.caption.clone(),
        schema: m.schema.name().to_string(),
        properties,
        datasets: listed.datasets,
        referents,
        target,
        first_seen: listed.first_seen,
        last_seen: listed.last_seen,
        last_change: listed.last_change,
        score: round(m.score),
        is_match: m.is_match,
        explanations: m
            .yente_explanations()
            .into_iter()
            .map(|(k, e)| {
                (
                    k,
                    FeatureExplanation {
                        detail: e.detail,
                        score: round(e.score),
                        query: e.query,
                        candidate: e.candidate,
                    },
                )
            })
            .chain(
                crate::ownership::explanation(snapshot, &m.entity_id)
                    .map(|e| ("ownership".to_string(), e)),
            )
            .collect(),
    }
}

/// A search hit.
pub fn search_hit(snapshot: &Snapshot, entity: &Entity, score: f64) -> SearchHit {
    let listed = Listed::of(snapshot, &entity.id);
    SearchHit {
        id: entity.id.clone(),
        caption: entity.caption().to_string(),
        schema: entity.schema.name().to_string(),
        properties: flat_properties(entity),
        datasets: listed.datasets,
        referents: entity.referents.clone(),
        target: is_target(entity),
        first_seen: listed.first_seen,
        last_seen: listed.last_seen,
        last_change: listed.last_change,
        score: round(score),
    }
}

/// A match with every feature and the full name alignment.
pub fn native_match(snapshot: &Snapshot, m: &Match) -> NativeMatch {
    let dates = snapshot.dates(&m.entity_id);
    NativeMatch {
        id: m.entity_id.clone(),
        caption: m.caption.clone(),
        schema: m.schema.name().to_string(),
        score: round(m.score),
        is_match: m.is_match,
        datasets: snapshot
            .index()
            .entity_datasets(&m.entity_id)
            .into_iter()
            .map(str::to_string)
            .collect(),
        first_seen: dates.map(|d| d.first_seen.to_string()),
        last_change: dates.map(|d| d.last_change.to_string()),
        features: m
            .features
            .iter()
            .map(|f| FeatureInfo {
                name: f.name.to_string(),
                value: round(f.value),
                weight: round(f.weight),
                effect: round(f.effect),
                detail: f.detail.clone(),
                query: f.query.clone(),
                candidate: f.candidate.clone(),
            })
            .collect(),
        name: m.name.as_ref().map(|n| NameExplanationInfo {
            summary: n.summary(),
            query_name: n.query_name.clone(),
            query_form: n.query_form.clone(),
            query_system: n.query_system.clone(),
            listed_name: n.listed_name.clone(),
            listed_property: n.listed_property.to_string(),
            listed_form: n.listed_form.clone(),
            listed_system: n.listed_system.clone(),
            words: n
                .words
                .iter()
                .map(|w| WordAlignmentInfo {
                    query: w.query.clone(),
                    candidate: w.candidate.clone(),
                    role: w.role.to_string(),
                    method: w.method.to_string(),
                    similarity: round(w.similarity),
                })
                .collect(),
            unmatched_query: n.unmatched_query.clone(),
            unmatched_listed: n
                .unmatched_listed
                .iter()
                .map(|(w, r)| UnmatchedWord {
                    word: w.clone(),
                    role: r.to_string(),
                })
                .collect(),
            score: round(n.score),
        }),
    }
}

/// An entity with provenance, as one dataset holds it.
pub fn stored_entity(s: &interdict_store::StoredEntity) -> StoredEntityInfo {
    StoredEntityInfo {
        id: s.entity.id.clone(),
        schema: s.entity.schema.name().to_string(),
        caption: s.entity.caption().to_string(),
        properties: s
            .entity
            .properties
            .iter()
            .map(|(k, vs)| {
                (
                    k.clone(),
                    vs.iter()
                        .map(|v| ValueWithOrigin {
                            value: v.value.clone(),
                            origin: v.origin.clone(),
                        })
                        .collect(),
                )
            })
            .collect(),
        dataset: s.dataset.clone(),
        version_id: s.version_id,
        first_seen: s.first_seen.to_string(),
        last_seen: s.last_seen.to_string(),
        last_change: s.last_change.to_string(),
    }
}

/// Scores to six decimals: enough for any threshold, and stable in JSON.
pub fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The name of the property on the target of `property` of `schema` that FollowTheMoney
/// gives for the reverse direction (`Sanction.entity` → `sanctions`), used to nest adjacent
/// entities under the entity they point at, as yente does.
pub fn reverse_property(schema: Schema, property: &str) -> String {
    let known = [
        ("Sanction", "entity", "sanctions"),
        ("Identification", "holder", "identification"),
        ("Ownership", "owner", "ownershipOwner"),
        ("Ownership", "asset", "ownershipAsset"),
        ("Directorship", "director", "directorshipDirector"),
        ("Directorship", "organization", "directorshipOrganization"),
        ("Family", "person", "familyPerson"),
        ("Family", "relative", "familyRelative"),
        ("Associate", "person", "associates"),
        ("Associate", "associate", "associations"),
        ("Membership", "member", "membershipMember"),
        ("Membership", "organization", "membershipOrganization"),
        ("Employment", "employer", "employees"),
        ("Employment", "employee", "employers"),
        ("Representation", "agent", "agencyClient"),
        ("Representation", "client", "agentRepresentation"),
        ("UnknownLink", "subject", "unknownLinkTo"),
        ("UnknownLink", "object", "unknownLinkFrom"),
        ("Occupancy", "holder", "positionOccupancies"),
        ("Occupancy", "post", "occupancies"),
        ("Note", "entity", "noteEntities"),
        ("Security", "issuer", "securities"),
        ("Vehicle", "owner", "ownedVehicles"),
        ("Vehicle", "operator", "operatedVehicles"),
        ("LegalEntity", "parent", "subsidiaries"),
        ("Thing", "addressEntity", "things"),
    ];
    for (s, p, reverse) in known {
        if p == property && Schema::get(s).is_some_and(|base| schema.is_a(base)) {
            return reverse.to_string();
        }
    }
    let name = schema.name();
    let mut out = String::with_capacity(name.len() + property.len());
    let mut chars = name.chars();
    if let Some(c) = chars.next() {
        out.extend(c.to_lowercase());
    }
    out.extend(chars);
    let mut pchars = property.chars();
    if let Some(c) = pchars.next() {
        out.extend(c.to_uppercase());
    }
    out.extend(pchars);
    out
}

/// Whether an entity of this schema is shown nested under the entities it points at.
pub fn is_adjacent(schema: Schema) -> bool {
    !matches!(schema.role(), SchemaRole::Node) || schema == Schema::named("Address")
}

/// Properties that name a person in parts, in the order a full name puts them.
const NAME_PARTS: [&str; 6] = [
    "title",
    "firstName",
    "secondName",
    "middleName",
    "fatherName",
    "lastName",
];

/// Turn a yente example entity into a screening query; the echo is the query as understood.
pub fn query_from_example(
    key: &str,
    example: &EntityExample,
) -> Result<(Query, EntityExampleEcho), ApiError> {
    let schema = Schema::get(&example.schema).ok_or_else(|| {
        ApiError::bad_request(format!(
            "queries.{key}.schema: unknown schema {:?}; use Person, Organization, Company, \
             LegalEntity, Vessel, Airplane or Thing",
            example.schema
        ))
    })?;
    if !(schema.is_matchable() || schema == Schema::named("Thing")) {
        return Err(ApiError::bad_request(format!(
            "queries.{key}.schema: {schema} is not a matchable schema; use Person, \
             Organization, Company, LegalEntity, Vessel, Airplane or Thing"
        )));
    }
    let mut query = Query {
        schema,
        names: Vec::new(),
        birth_dates: Vec::new(),
        countries: Vec::new(),
        gender: None,
        identifiers: Vec::new(),
        addresses: Vec::new(),
    };
    let mut echo = BTreeMap::new();
    for (prop, values) in &example.properties {
        let values: Vec<String> = values
            .0
            .iter()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect();
        if values.is_empty() {
            continue;
        }
        echo.insert(prop.clone(), values.clone());
        // Properties are read by their FtM type; those the schema does not have are read by
        // the type they have on any matchable schema (a client may send `nationality` with
        // `LegalEntity`), and otherwise kept in the echo only.
        let ty = schema.property_type(prop).or_else(|| {
            ["Person", "Company", "Vessel", "Airplane"]
                .iter()
                .find_map(|s| Schema::named(s).property_type(prop))
        });
        match (prop.as_str(), ty) {
            ("birthDate", _) => query.birth_dates.extend(values),
            ("gender", _) => query.gender = values.into_iter().next(),
            (p, _) if NAME_PARTS.contains(&p) => {}
            (_, Some(PropertyType::Name)) => query.names.extend(values),
            (_, Some(PropertyType::Country)) => query.countries.extend(values),
            (_, Some(PropertyType::Address)) => query.addresses.extend(values),
            (p, Some(PropertyType::Identifier)) => {
                query
                    .identifiers
                    .extend(values.into_iter().map(|v| QueryIdentifier {
                        value: v,
                        kind: Some(p.to_string()),
                        country: None,
                    }))
            }
            _ => {}
        }
    }
    if query.names.is_empty() {
        // yente's combine_names: a name from its parts.
        let parts: Vec<&str> = NAME_PARTS
            .iter()
            .filter(|p| **p != "title")
            .filter_map(|p| echo.get(*p))
            .flat_map(|v| v.first().map(String::as_str))
            .collect();
        if !parts.is_empty() {
            query.names.push(parts.join(" "));
        }
    }
    if query.names.is_empty() && query.identifiers.is_empty() {
        return Err(ApiError::bad_request(format!(
            "queries.{key}: no name (name, alias, firstName/lastName …) and no identifier to \
             screen"
        )));
    }
    Ok((
        query,
        EntityExampleEcho {
            id: example.id.clone(),
            schema: schema.name().to_string(),
            properties: echo,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::PropertyValues;

    fn example(schema: &str, props: &[(&str, &[&str])]) -> EntityExample {
        EntityExample {
            id: None,
            schema: schema.into(),
            properties: props
                .iter()
                .map(|(k, v)| {
                    (
                        k.to_string(),
                        PropertyValues(v.iter().map(|s| s.to_string()).collect()),
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn example_to_query() {
        let (q, echo) = query_from_example(
            "q1",
            &example(
                "Person",
                &[
                    (
                        "name",
                        &["Arkadiii Romanovich Rotenberg", "Ротенберг Аркадий"],
                    ),
                    ("birthDate", &["1951"]),
                    ("nationality", &["ru"]),
                    ("passportNumber", &["123"]),
                ],
            ),
        )
        .unwrap();
        assert_eq!(q.names.len(), 2);
        assert_eq!(q.birth_dates, vec!["1951"]);
        assert_eq!(q.countries, vec!["ru"]);
        assert_eq!(q.identifiers[0].kind.as_deref(), Some("passportNumber"));
        assert_eq!(echo.properties["birthDate"], vec!["1951"]);

        let (q, _) = query_from_example(
            "q2",
            &example(
                "Person",
                &[("firstName", &["Alexander"]), ("lastName", &["Lukashenko"])],
            ),
        )
        .unwrap();
        assert_eq!(q.names, vec!["Alexander Lukashenko"]);

        assert!(query_from_example("q3", &example("Sanction", &[("name", &["x"])])).is_err());
        assert!(query_from_example("q4", &example("Nope", &[("name", &["x"])])).is_err());
        let err =
            query_from_example("q5", &example("Person", &[("birthDate", &["1951"])])).unwrap_err();
        assert!(err.detail.contains("queries.q5"), "{}", err.detail);
    }

    #[test]
    fn reverse_names() {
        assert_eq!(
            reverse_property(Schema::named("Sanction"), "entity"),
            "sanctions"
        );
        assert_eq!(
            reverse_property(Schema::named("Passport"), "holder"),
            "identification"
        );
        assert_eq!(
            reverse_property(Schema::named("Person"), "addressEntity"),
            "things"
        );
        assert_eq!(
            reverse_property(Schema::named("Ownership"), "asset"),
            "ownershipAsset"
        );
    }
}
