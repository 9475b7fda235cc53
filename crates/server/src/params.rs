//! Query-string parameters, read strictly: every parameter an endpoint takes is named, repeated
//! parameters (`include_dataset=a&include_dataset=b`, as yente takes them) are kept in order,
//! and a parameter the endpoint does not know is a `400` that lists the ones it does.
//!
//! Values are parsed with messages that name the parameter and the accepted form, so a client
//! never has to guess what was wrong.

use chrono::{NaiveDate, NaiveDateTime};

use crate::error::ApiError;

/// The parameters of one request, with a record of which were read.
#[derive(Debug)]
pub struct Params {
    pairs: Vec<(String, String)>,
    known: Vec<&'static str>,
}

impl Params {
    /// Parse a raw query string (`None` for a request without one).
    pub fn parse(raw: Option<&str>) -> Params {
        let pairs = raw
            .map(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect()
            })
            .unwrap_or_default();
        Params {
            pairs,
            known: Vec::new(),
        }
    }

    /// Every value of a parameter that may be repeated, in order; empty values are skipped.
    pub fn all(&mut self, name: &'static str) -> Vec<String> {
        self.known.push(name);
        self.pairs
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    /// The value of a parameter given at most once; an empty value counts as absent.
    pub fn one(&mut self, name: &'static str) -> Result<Option<String>, ApiError> {
        let values = self.all(name);
        match values.len() {
            0 => Ok(None),
            1 => Ok(values.into_iter().next()),
            n => Err(ApiError::bad_request(format!(
                "query parameter `{name}` is given {n} times; it takes one value"
            ))),
        }
    }

    /// An integer in `min..=max`, or `default` when absent.
    pub fn integer(
        &mut self,
        name: &'static str,
        min: usize,
        max: usize,
        default: usize,
    ) -> Result<usize, ApiError> {
        match self.one(name)? {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "query parameter `{name}`: expected an integer from {min} to {max}, got {v:?}"
                    ))
                }),
        }
    }

    /// A number in `[0, 1]`, if given.
    pub fn unit_interval(&mut self, name: &'static str) -> Result<Option<f64>, ApiError> {
        match self.one(name)? {
            None => Ok(None),
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|x| (0.0..=1.0).contains(x))
                .map(Some)
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "query parameter `{name}`: expected a number from 0 to 1, got {v:?}"
                    ))
                }),
        }
    }

    /// A boolean (`true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`, any case: Python clients
    /// send `True`), if given.
    pub fn boolean(&mut self, name: &'static str) -> Result<Option<bool>, ApiError> {
        match self.one(name)? {
            None => Ok(None),
            Some(v) => parse_bool(&v).map(Some).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "query parameter `{name}`: expected true or false, got {v:?}"
                ))
            }),
        }
    }

    /// A flag of the native API: absent is false; given, it must say true or false. Unlike
    /// yente's parameters, which clients send empty, an empty value is refused, so that
    /// `?all=` is not silently read as "no".
    pub fn flag(&mut self, name: &'static str) -> Result<bool, ApiError> {
        if self
            .pairs
            .iter()
            .any(|(k, v)| k == name && v.trim().is_empty())
        {
            return Err(ApiError::bad_request(format!(
                "query parameter `{name}`: expected true or false, got an empty value"
            )));
        }
        Ok(self.boolean(name)?.unwrap_or(false))
    }

    /// A date or date-time `YYYY-MM-DD[THH[:MM[:SS]]]`, if given.
    pub fn date_time(&mut self, name: &'static str) -> Result<Option<NaiveDateTime>, ApiError> {
        match self.one(name)? {
            None => Ok(None),
            Some(v) => parse_date_time(&v).map(Some).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "query parameter `{name}`: expected YYYY-MM-DD[THH[:MM[:SS]]], got {v:?}"
                ))
            }),
        }
    }

    /// A date `YYYY-MM-DD`, if given.
    pub fn date(&mut self, name: &'static str) -> Result<Option<NaiveDate>, ApiError> {
        match self.one(name)? {
            None => Ok(None),
            Some(v) => NaiveDate::parse_from_str(&v, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| {
                    ApiError::bad_request(format!(
                        "query parameter `{name}`: expected a date YYYY-MM-DD, got {v:?}"
                    ))
                }),
        }
    }

    /// Refuse parameters that were not read: a typo must not silently change a screening.
    pub fn finish(self) -> Result<(), ApiError> {
        let unknown: Vec<&str> = self
            .pairs
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| !self.known.contains(k))
            .collect();
        match unknown.first() {
            None => Ok(()),
            Some(k) => {
                let mut known = self.known.clone();
                known.sort_unstable();
                known.dedup();
                Err(ApiError::bad_request(format!(
                    "unknown query parameter `{k}`; this endpoint takes: {}",
                    if known.is_empty() {
                        "none".to_string()
                    } else {
                        known.join(", ")
                    }
                )))
            }
        }
    }
}

/// Parse a boolean as clients write it.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" | "t" => Some(true),
        "false" | "0" | "no" | "off" | "f" => Some(false),
        _ => None,
    }
}

/// Parse `YYYY-MM-DD[THH[:MM[:SS]]]` (yente's `changed_since`), missing parts being zero.
pub fn parse_date_time(v: &str) -> Option<NaiveDateTime> {
    let v = v.trim();
    let (date, time) = match v.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (v, None),
    };
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let mut hms = [0u32; 3];
    if let Some(t) = time {
        let parts: Vec<&str> = t.split(':').collect();
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        for (slot, p) in hms.iter_mut().zip(&parts) {
            if p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *slot = p.parse().ok()?;
        }
    }
    date.and_hms_opt(hms[0], hms[1], hms[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_and_unknown() {
        let mut p = Params::parse(Some("include_dataset=a&include_dataset=b&limit=3&x=1"));
        assert_eq!(p.all("include_dataset"), vec!["a", "b"]);
        assert_eq!(p.integer("limit", 0, 500, 5).unwrap(), 3);
        let err = p.finish().unwrap_err();
        assert!(err.detail.contains("`x`"), "{}", err.detail);
        assert!(
            err.detail.contains("include_dataset, limit"),
            "{}",
            err.detail
        );
    }

    #[test]
    fn values_are_checked() {
        let mut p = Params::parse(Some(
            "limit=abc&threshold=1.5&fuzzy=False&changed_since=2024-01-02T03",
        ));
        assert!(
            p.integer("limit", 0, 500, 5)
                .unwrap_err()
                .detail
                .contains("\"abc\"")
        );
        assert!(p.unit_interval("threshold").is_err());
        assert_eq!(p.boolean("fuzzy").unwrap(), Some(false));
        assert_eq!(
            p.date_time("changed_since").unwrap().unwrap().to_string(),
            "2024-01-02 03:00:00"
        );
        assert!(p.finish().is_ok());
        assert!(parse_date_time("2024-01-02T25").is_none());
        assert!(parse_date_time("2024-13-02").is_none());
        let mut flags = Params::parse(Some("all=&main_only=yes"));
        assert!(flags.flag("all").is_err(), "an empty flag is refused");
        assert!(flags.flag("main_only").unwrap());
        assert!(!Params::parse(None).flag("all").unwrap());
        let mut twice = Params::parse(Some("limit=1&limit=2"));
        assert!(twice.integer("limit", 0, 5, 5).is_err());
    }
}
