//! What a screening asks: a query (schema, names, other attributes) and its options (limit,
//! threshold, filters).

use chrono::NaiveDateTime;
use interdict_model::{PartialDate, Schema};

/// An identifier given with a query: the number, and if known its type and issuing country.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QueryIdentifier {
    /// The number as written (spaces, dashes and case do not matter).
    pub value: String,
    /// The kind of document or register (`passport`, `national id`, `imo`, `tax`, `inn`,
    /// `registration` …) or an FtM property name (`passportNumber`, `imoNumber`).
    #[serde(default)]
    pub kind: Option<String>,
    /// The issuing country, as a code or a name.
    #[serde(default)]
    pub country: Option<String>,
}

/// A birth date as a query states it: a partial date, or a range of them (`1950..1955`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateSpan {
    /// The earliest date the person may have been born on.
    pub from: PartialDate,
    /// The latest (equal to `from` for a single date).
    pub to: PartialDate,
}

impl DateSpan {
    /// Parse `1954`, `1954-08`, `1954-08-30`, or a range `1950..1955` / `1950/1955`.
    pub fn parse(s: &str) -> Option<DateSpan> {
        let s = s.trim();
        let split = s.split_once("..").or_else(|| s.split_once('/'));
        match split {
            Some((a, b)) => {
                let from: PartialDate = a.trim().parse().ok()?;
                let to: PartialDate = b.trim().parse().ok()?;
                (from <= to).then_some(DateSpan { from, to })
            }
            None => {
                let d: PartialDate = s.parse().ok()?;
                Some(DateSpan { from: d, to: d })
            }
        }
    }

    /// Whether the span is a single date (not a range).
    pub fn is_single(&self) -> bool {
        self.from == self.to
    }
}

/// A screening query: who or what is being screened.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    /// The kind of thing screened: `Person`, `Organization`, `Company`, `LegalEntity`,
    /// `Vessel`, `Airplane` or `Thing` (anything).
    pub schema: Schema,
    /// One or more names, in any script and order.
    pub names: Vec<String>,
    /// Birth dates or ranges (see [`DateSpan::parse`]); strings that do not parse are ignored.
    pub birth_dates: Vec<String>,
    /// Countries (nationality, citizenship, jurisdiction, residence), as codes or names.
    pub countries: Vec<String>,
    /// `male`, `female` (or `m`/`f`).
    pub gender: Option<String>,
    /// Identifiers with their type and issuing country.
    pub identifiers: Vec<QueryIdentifier>,
    /// Addresses on one line each.
    pub addresses: Vec<String>,
}

impl Query {
    /// A query for a schema with one name and nothing else.
    pub fn new(schema: Schema, name: impl Into<String>) -> Query {
        Query {
            schema,
            names: vec![name.into()],
            birth_dates: Vec::new(),
            countries: Vec::new(),
            gender: None,
            identifiers: Vec::new(),
            addresses: Vec::new(),
        }
    }

    /// A person query with one name.
    pub fn person(name: impl Into<String>) -> Query {
        Query::new(Schema::named("Person"), name)
    }

    /// An organisation query with one name.
    pub fn organization(name: impl Into<String>) -> Query {
        Query::new(Schema::named("Organization"), name)
    }

    /// Add another name.
    pub fn with_name(mut self, name: impl Into<String>) -> Query {
        self.names.push(name.into());
        self
    }

    /// Add a birth date or range.
    pub fn with_birth_date(mut self, date: impl Into<String>) -> Query {
        self.birth_dates.push(date.into());
        self
    }

    /// Add a country.
    pub fn with_country(mut self, country: impl Into<String>) -> Query {
        self.countries.push(country.into());
        self
    }

    /// Set the gender.
    pub fn with_gender(mut self, gender: impl Into<String>) -> Query {
        self.gender = Some(gender.into());
        self
    }

    /// Add an identifier.
    pub fn with_identifier(
        mut self,
        value: impl Into<String>,
        kind: Option<&str>,
        country: Option<&str>,
    ) -> Query {
        self.identifiers.push(QueryIdentifier {
            value: value.into(),
            kind: kind.map(str::to_string),
            country: country.map(str::to_string),
        });
        self
    }

    /// Add an address.
    pub fn with_address(mut self, address: impl Into<String>) -> Query {
        self.addresses.push(address.into());
        self
    }
}

/// Which entities a search may return; every filter is checked against per-entity metadata
/// held in the index, so filtering costs nothing per candidate beyond a lookup.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    /// Only entities in at least one of these datasets (empty: any).
    pub include_datasets: Vec<String>,
    /// No entity in any of these datasets.
    pub exclude_datasets: Vec<String>,
    /// No entity of these schemata (or schemata extending them).
    pub exclude_schemata: Vec<Schema>,
    /// Only entities with at least one of these topics (empty: any).
    pub topics: Vec<String>,
    /// Never these entities (matched against entity ids and referents): decided false
    /// positives.
    pub exclude_entity_ids: Vec<String>,
    /// Only entities changed at or after this time.
    pub changed_since: Option<NaiveDateTime>,
}

/// How a search runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// At most this many results.
    pub limit: usize,
    /// The alert line: results at or above it are matches (yente's default is 0.70).
    pub threshold: f64,
    /// Results at or below this score are dropped (yente's `cutoff`; defaults to the
    /// threshold, so that only matches are returned).
    pub cutoff: f64,
    /// Which entities may be returned.
    pub filters: Filters,
    /// Whether to build the explanation of each result (token alignment and feature details).
    pub explain: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            limit: 5,
            threshold: DEFAULT_THRESHOLD,
            cutoff: DEFAULT_THRESHOLD,
            filters: Filters::default(),
            explain: true,
        }
    }
}

impl Options {
    /// Options returning up to `limit` results scoring above `cutoff`, explained.
    pub fn with_cutoff(limit: usize, cutoff: f64) -> Options {
        Options {
            limit,
            cutoff,
            ..Options::default()
        }
    }
}

/// The default alert line, yente's `SCORE_THRESHOLD`.
pub const DEFAULT_THRESHOLD: f64 = 0.70;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_spans() {
        let s = DateSpan::parse("1954-08-30").unwrap();
        assert!(s.is_single());
        let r = DateSpan::parse("1950..1955").unwrap();
        assert_eq!(r.from, PartialDate::year(1950));
        assert_eq!(r.to, PartialDate::year(1955));
        assert!(DateSpan::parse("1955/1950").is_none());
        assert!(DateSpan::parse("soon").is_none());
    }
}
