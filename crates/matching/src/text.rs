//! Free-text search over listed names (yente's `/search`): the words of a text, each found
//! exactly or fuzzily, ranked by how much of the text a listed name covers.

use interdict_model::Schema;

use crate::index::Index;
use crate::query::{Filters, Options, Query};

/// Options of a free-text search.
#[derive(Debug, Clone, PartialEq)]
pub struct TextOptions {
    /// At most this many hits.
    pub limit: usize,
    /// Only entities of this schema or its descendants (`Thing` for any).
    pub schema: Schema,
    /// Which entities may be returned.
    pub filters: Filters,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            limit: 10,
            schema: Schema::named("Thing"),
            filters: Filters::default(),
        }
    }
}

/// One hit of a free-text search.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TextHit {
    /// The entity's id.
    pub entity_id: String,
    /// Its display name.
    pub caption: String,
    /// How well its best name covers the text, in [0, 1].
    pub score: f64,
}

impl Index {
    /// Search listed names for a free text: every word is looked up exactly, by key and
    /// fuzzily, identifiers exactly; hits are ranked by name similarity.
    pub fn search_text(&self, text: &str, options: &TextOptions) -> Vec<TextHit> {
        let mut query = Query::new(options.schema, text);
        query.identifiers.push(crate::query::QueryIdentifier {
            value: text.to_string(),
            kind: None,
            country: None,
        });
        let opts = Options {
            limit: options.limit,
            threshold: 1.0,
            cutoff: 0.2,
            filters: options.filters.clone(),
            explain: false,
        };
        self.search(&query, &opts)
            .into_iter()
            .map(|m| TextHit {
                entity_id: m.entity_id,
                caption: m.caption,
                score: m.score,
            })
            .collect()
    }
}
