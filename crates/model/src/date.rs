//! Partial dates as the lists write them: a year, a year and month, or a full date.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A date known to year, month or day precision (`1954`, `1954-08`, `1954-08-30`).
///
/// Lists often know only the year of birth; comparing such dates must respect the precision
/// rather than invent a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    /// Four-digit year.
    pub year: i32,
    /// Month 1–12, if known.
    pub month: Option<u8>,
    /// Day 1–31, if known (only with a month).
    pub day: Option<u8>,
}

/// Why a string is not a partial date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): {0:?}")]
pub struct DateError(pub String);

impl PartialDate {
    /// A year-only date.
    pub fn year(year: i32) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    /// A full date; `None` if it does not exist in the calendar.
    pub fn ymd(year: i32, month: u8, day: u8) -> Option<Self> {
        chrono::NaiveDate::from_ymd_opt(year, month.into(), day.into())?;
        Some(PartialDate {
            year,
            month: Some(month),
            day: Some(day),
        })
    }

    /// Whether the two dates can describe the same day, given their precision.
    pub fn compatible(&self, other: &PartialDate) -> bool {
        if self.year != other.year {
            return false;
        }
        match (self.month, other.month) {
            (Some(a), Some(b)) if a != b => return false,
            (Some(_), Some(_)) => {}
            _ => return true,
        }
        !matches!((self.day, other.day), (Some(a), Some(b)) if a != b)
    }

    /// The first calendar day the date can stand for.
    pub fn first_day(&self) -> chrono::NaiveDate {
        let m = self.month.unwrap_or(1);
        let d = self.day.unwrap_or(1);
        chrono::NaiveDate::from_ymd_opt(self.year, m.into(), d.into())
            .unwrap_or(chrono::NaiveDate::MIN)
    }

    /// The last calendar day the date can stand for.
    pub fn last_day(&self) -> chrono::NaiveDate {
        match (self.month, self.day) {
            (Some(m), Some(d)) => chrono::NaiveDate::from_ymd_opt(self.year, m.into(), d.into()),
            (Some(m), None) => {
                let (ny, nm) = if m == 12 {
                    (self.year + 1, 1)
                } else {
                    (self.year, m + 1)
                };
                chrono::NaiveDate::from_ymd_opt(ny, nm.into(), 1).and_then(|d| d.pred_opt())
            }
            _ => chrono::NaiveDate::from_ymd_opt(self.year, 12, 31),
        }
        .unwrap_or(chrono::NaiveDate::MAX)
    }
}

impl FromStr for PartialDate {
    type Err = DateError;

    /// Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; a trailing time (`T…`) is ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || DateError(s.to_string());
        let s = s.trim();
        let date = s.split('T').next().unwrap_or(s);
        let mut parts = date.split('-');
        let y = parts.next().ok_or_else(err)?;
        if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        let year: i32 = y.parse().map_err(|_| err())?;
        let month = match parts.next() {
            None => return Ok(PartialDate::year(year)),
            Some(m) if m.len() == 2 => m
                .parse::<u8>()
                .ok()
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(err)?,
            Some(_) => return Err(err()),
        };
        let day = match parts.next() {
            None => {
                return Ok(PartialDate {
                    year,
                    month: Some(month),
                    day: None,
                });
            }
            Some(d) if d.len() == 2 => d.parse::<u8>().map_err(|_| err())?,
            Some(_) => return Err(err()),
        };
        if parts.next().is_some() {
            return Err(err());
        }
        PartialDate::ymd(year, month, day).ok_or_else(err)
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// English month names and abbreviations as the lists write them (`Aug`, `August`, `Sept`).
pub fn month_from_name(name: &str) -> Option<u8> {
    let n = name.trim_end_matches('.').to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if n.len() < 3 {
        return None;
    }
    let idx = months.iter().position(|m| n.starts_with(m))?;
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if full[idx].starts_with(&n) || n == "sept" {
        Some(idx as u8 + 1)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_precisions() {
        assert_eq!(
            "1954".parse::<PartialDate>().unwrap(),
            PartialDate::year(1954)
        );
        let d: PartialDate = "1954-08-30".parse().unwrap();
        assert_eq!(d.to_string(), "1954-08-30");
        assert_eq!(
            "1954-08".parse::<PartialDate>().unwrap().to_string(),
            "1954-08"
        );
        assert_eq!(
            "2021-06-03T04:01:00"
                .parse::<PartialDate>()
                .unwrap()
                .to_string(),
            "2021-06-03"
        );
        for bad in [
            "",
            "54",
            "1954-13",
            "1954-02-30",
            "1954-8-3",
            "x954",
            "1954-08-30-1",
        ] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
    }

    #[test]
    fn compatibility_respects_precision() {
        let full: PartialDate = "1954-08-30".parse().unwrap();
        assert!(full.compatible(&PartialDate::year(1954)));
        assert!(full.compatible(&"1954-08".parse().unwrap()));
        assert!(!full.compatible(&"1954-09".parse().unwrap()));
        assert!(!full.compatible(&PartialDate::year(1975)));
        assert_eq!(
            "2020-02"
                .parse::<PartialDate>()
                .unwrap()
                .last_day()
                .to_string(),
            "2020-02-29"
        );
    }

    #[test]
    fn month_names() {
        assert_eq!(month_from_name("Aug"), Some(8));
        assert_eq!(month_from_name("August"), Some(8));
        assert_eq!(month_from_name("Sept"), Some(9));
        assert_eq!(month_from_name("Augx"), None);
        assert_eq!(month_from_name("Ma"), None);
    }
}
