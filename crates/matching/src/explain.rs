//! Results and their explanations: which query name met which listed name, word by word, and
//! which features moved the score by how much — in a shape the HTTP layer turns into yente's
//! `explanations` map without knowing the scorer.

use std::collections::BTreeMap;

use interdict_model::Schema;
use serde::Serialize;

/// A feature of the scorer: a named piece of evidence with its weight and effect.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feature {
    /// Stable feature name (`name_match`, `dob_match`, `dob_mismatch`, `country_match`,
    /// `country_mismatch`, `gender_mismatch`, `identifier_match`, `address_match`).
    pub name: &'static str,
    /// The feature's own value in [0, 1] (how strongly it fired).
    pub value: f64,
    /// Its weight: the share of the remaining distance to 1 it closes (lifting features) or
    /// the factor it multiplies by (lowering features), as documented per feature.
    pub weight: f64,
    /// The change of the score it caused (positive or negative).
    pub effect: f64,
    /// What fired, in words an analyst understands.
    pub detail: String,
    /// The query value compared.
    pub query: Option<String>,
    /// The listed value compared.
    pub candidate: Option<String>,
}

/// One aligned pair of words in a name match.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WordAlignment {
    /// The query word(s), in the form compared.
    pub query: String,
    /// The listed word(s), in the form compared.
    pub candidate: String,
    /// The role of the listed word (`given`, `family`, `patronymic` …).
    pub role: &'static str,
    /// How they met (`exact`, `equivalent`, `romanisation`, `fuzzy` …).
    pub method: &'static str,
    /// Their similarity in [0, 1].
    pub similarity: f64,
}

/// Which query name met which listed name, and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameExplanation {
    /// The query name as given.
    pub query_name: String,
    /// The Latin form of the query name that was compared.
    pub query_form: String,
    /// How that form was obtained (`as-written`, `be-icao`, `arabic` …).
    pub query_system: String,
    /// The listed name as the list writes it.
    pub listed_name: String,
    /// The property it is listed under (`name`, `alias`, `weakAlias`, `previousName`).
    pub listed_property: &'static str,
    /// The Latin form of the listed name that was compared.
    pub listed_form: String,
    /// How that form was obtained (`as-written`, `ru-bgn` for a Cyrillic listed name …).
    pub listed_system: String,
    /// The aligned words.
    pub words: Vec<WordAlignment>,
    /// Query words the listed name lacks.
    pub unmatched_query: Vec<String>,
    /// Listed words the query lacks, with their roles.
    pub unmatched_listed: Vec<(String, &'static str)>,
    /// The name score in [0, 1].
    pub score: f64,
}

/// One result of a search.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Match {
    /// The listed entity's id.
    pub entity_id: String,
    /// Its schema.
    #[serde(serialize_with = "ser_schema")]
    pub schema: Schema,
    /// Its display name.
    pub caption: String,
    /// The calibrated score in [0, 1].
    pub score: f64,
    /// Whether the score reaches the alert line (the options' threshold).
    #[serde(rename = "match")]
    pub is_match: bool,
    /// The features that fired, `name_match` first.
    pub features: Vec<Feature>,
    /// The name alignment behind `name_match` (present when explanations are on).
    pub name: Option<NameExplanation>,
}

fn ser_schema<S: serde::Serializer>(s: &Schema, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s.name())
}

/// One entry of yente's `explanations` map.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YenteExplanation {
    /// What fired, in words.
    pub detail: Option<String>,
    /// The feature's score.
    pub score: f64,
    /// The query value compared.
    pub query: Option<String>,
    /// The listed value compared.
    pub candidate: Option<String>,
}

impl Match {
    /// The explanations in yente's shape: feature name → `{detail, score, query, candidate}`,
    /// only features that fired (score above zero or with a detail).
    pub fn yente_explanations(&self) -> BTreeMap<String, YenteExplanation> {
        self.features
            .iter()
            .filter(|f| f.value > 0.0 || !f.detail.is_empty())
            .map(|f| {
                (
                    f.name.to_string(),
                    YenteExplanation {
                        detail: (!f.detail.is_empty()).then(|| f.detail.clone()),
                        score: f.value,
                        query: f.query.clone(),
                        candidate: f.candidate.clone(),
                    },
                )
            })
            .collect()
    }

    /// The feature of that name, if it fired.
    pub fn feature(&self, name: &str) -> Option<&Feature> {
        self.features.iter().find(|f| f.name == name)
    }
}

impl NameExplanation {
    /// A one-line summary in the style of yente's `name_match` detail:
    /// `'alexander'≈'alyaksandr' equivalent 0.95; 'lukashenko'≈'lukashenka' romanisation 0.93`.
    pub fn summary(&self) -> String {
        use std::fmt::Write;
        let mut s = String::with_capacity(128);
        let _ = write!(
            s,
            "{} [{}] ~ {} [{}]: ",
            self.query_name, self.query_system, self.listed_name, self.listed_property
        );
        let mut first = true;
        let mut sep = |s: &mut String| {
            if !first {
                s.push_str("; ");
            }
            first = false;
        };
        for w in &self.words {
            sep(&mut s);
            // Two decimals without float formatting (which costs more than the rest).
            let hundredths = (w.similarity.clamp(0.0, 1.0) * 100.0).round() as u32;
            let _ = write!(
                s,
                "'{}'≈'{}' {} {}.{:02}",
                w.query,
                w.candidate,
                w.method,
                hundredths / 100,
                hundredths % 100
            );
        }
        for (w, role) in &self.unmatched_listed {
            sep(&mut s);
            let _ = write!(s, "missing {role} '{w}'");
        }
        for w in &self.unmatched_query {
            sep(&mut s);
            let _ = write!(s, "extra '{w}'");
        }
        s
    }
}
