//! Points in time as legal instruments state them: a calendar day ("effective 2021-06-25"), or a
//! local time in a named zone ("12:01 a.m. eastern daylight time, June 3, 2021").
//!
//! A licence that expires "at 12:01 a.m. EDT" must be compared with a payment made in Minsk at
//! the same instant, so a [`Moment`] keeps the zone it was written in and compares instants;
//! a day-precision moment is compared on the calendar of the programme's zone, so that
//! "from 2021-06-25" starts at midnight in Brussels, not in UTC.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use interdict_dealings::AsOf;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar day, written `2021-06-25` (a TOML date or a string).
///
/// Exists so that programme files can write dates either as TOML dates or as strings, and so
/// that the same type reads them back from a decision's JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Day(pub NaiveDate);

impl Day {
    /// The date.
    pub fn date(self) -> NaiveDate {
        self.0
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%Y-%m-%d"))
    }
}

impl FromStr for Day {
    type Err = String;
    fn from_str(s: &str) -> Result<Day, String> {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map(Day)
            .map_err(|_| format!("{s:?} is not a date (YYYY-MM-DD)"))
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let raw = RawTime::deserialize(d)?;
        raw.text().parse().map_err(serde::de::Error::custom)
    }
}

/// A point in time as an instrument states it: a whole day, or a local time with its zone.
///
/// Written `2021-06-25` (a day; as a start it means the day's first instant, as an end the
/// day's last) or `2021-06-03T00:01:00[America/New_York]` (an instant, its zone kept). A
/// date-time without a zone is refused: "12:01 a.m." means nothing without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Moment {
    /// A calendar day, read on the calendar of the programme's zone.
    Day(NaiveDate),
    /// A local time in a zone.
    Instant(AsOf),
}

impl Moment {
    /// The calendar day of the moment (its local date for an instant).
    pub fn day(&self) -> NaiveDate {
        match self {
            Moment::Day(d) => *d,
            Moment::Instant(a) => a.local_date(),
        }
    }

    /// Whether `at` is on or after this moment taken as a start: for a day, the local date of
    /// `at` in `zone` is that day or later; for an instant, `at` is at or after it.
    pub fn started_by(&self, at: &AsOf, zone: Tz) -> bool {
        match self {
            Moment::Day(d) => at.in_zone(zone).date_naive() >= *d,
            Moment::Instant(i) => at.utc() >= i.utc(),
        }
    }

    /// Whether `at` is on or before this moment taken as an inclusive end ("through 12:01
    /// a.m."): for a day, the local date of `at` in `zone` is that day or earlier; for an
    /// instant, `at` is at or before it.
    pub fn not_passed_at(&self, at: &AsOf, zone: Tz) -> bool {
        match self {
            Moment::Day(d) => at.in_zone(zone).date_naive() <= *d,
            Moment::Instant(i) => at.utc() <= i.utc(),
        }
    }

    /// Whether `at` is strictly before this moment taken as a start.
    pub fn after(&self, at: &AsOf, zone: Tz) -> bool {
        !self.started_by(at, zone)
    }

    /// The instant in UTC for an instant; the first instant of the day in `zone` for a day.
    pub fn utc_start(&self, zone: Tz) -> Option<DateTime<Utc>> {
        match self {
            Moment::Instant(a) => Some(a.utc()),
            Moment::Day(d) => {
                use chrono::TimeZone;
                let midnight = d.and_hms_opt(0, 0, 0)?;
                zone.from_local_datetime(&midnight)
                    .earliest()
                    .map(|t| t.with_timezone(&Utc))
            }
        }
    }

    /// How a person reads it: `2021-06-25`, or `2021-06-03 00:01 EDT (America/New_York)`.
    pub fn human(&self) -> String {
        match self {
            Moment::Day(d) => d.format("%Y-%m-%d").to_string(),
            Moment::Instant(a) => human_instant(a),
        }
    }
}

/// `2021-06-03 00:01 EDT (America/New_York)`, or with the offset for a fixed-offset time.
pub fn human_instant(a: &AsOf) -> String {
    use interdict_dealings::Zone;
    let local = a.local().format("%Y-%m-%d %H:%M");
    match a.zone() {
        Zone::Iana(tz) => {
            let abbr = a.in_zone(tz).format("%Z").to_string();
            if abbr.starts_with(['+', '-']) {
                format!("{local} (UTC{abbr}, {})", tz.name())
            } else {
                format!("{local} {abbr} ({})", tz.name())
            }
        }
        Zone::Offset(_) => format!("{local} (UTC{})", a.fixed().format("%:z")),
    }
}

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Moment::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Moment::Instant(a) => write!(f, "{a}"),
        }
    }
}

impl FromStr for Moment {
    type Err = String;
    fn from_str(s: &str) -> Result<Moment, String> {
        let s = s.trim();
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(Moment::Day(d));
        }
        match AsOf::parse(s, None) {
            Ok(a) => Ok(Moment::Instant(a)),
            Err(interdict_dealings::time::AsOfError::NoZone(_)) => Err(format!(
                "{s:?} has no time zone: write a local time with its zone \
                 (2021-06-03T00:01:00[America/New_York]) or a day (2021-06-25)"
            )),
            Err(e) => Err(format!(
                "{e} (write a day as 2021-06-25 or a local time with its zone as \
                 2021-06-03T00:01:00[America/New_York])"
            )),
        }
    }
}

impl Serialize for Moment {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Moment {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Moment, D::Error> {
        let raw = RawTime::deserialize(d)?;
        raw.text().parse().map_err(serde::de::Error::custom)
    }
}

/// A date or time as TOML (a native date) or JSON (a string) writes it.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawTime {
    Text(String),
    Toml(toml::value::Datetime),
}

impl RawTime {
    fn text(&self) -> String {
        match self {
            RawTime::Text(s) => s.clone(),
            RawTime::Toml(t) => t.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> AsOf {
        AsOf::parse(s, None).unwrap()
    }

    #[test]
    fn instants_compare_across_zones() {
        let expiry: Moment = "2021-06-03T00:01:00[America/New_York]".parse().unwrap();
        let ny = chrono_tz::America::New_York;
        assert!(expiry.not_passed_at(&at("2021-06-03T00:00:00[America/New_York]"), ny));
        assert!(expiry.not_passed_at(&at("2021-06-03T00:01:00[America/New_York]"), ny));
        assert!(!expiry.not_passed_at(&at("2021-06-03T00:02:00[America/New_York]"), ny));
        // 07:00 in Minsk (UTC+3) is 00:00 in New York (UTC-4): still inside.
        assert!(expiry.not_passed_at(&at("2021-06-03T07:00:00[Europe/Minsk]"), ny));
        assert!(!expiry.not_passed_at(&at("2021-06-03T07:02:00[Europe/Minsk]"), ny));
        assert_eq!(expiry.human(), "2021-06-03 00:01 EDT (America/New_York)");
    }

    #[test]
    fn days_use_the_programme_zone() {
        let from: Moment = "2021-06-25".parse().unwrap();
        let brussels = chrono_tz::Europe::Brussels;
        // 23:30 UTC on 06-24 is already 06-25 in Brussels.
        assert!(from.started_by(&at("2021-06-24T23:30:00Z"), brussels));
        assert!(!from.started_by(&at("2021-06-24T21:30:00Z"), brussels));
        assert!("2021-06-03T00:01:00".parse::<Moment>().is_err());
    }

    #[test]
    fn toml_dates_and_strings() {
        #[derive(Deserialize)]
        struct T {
            a: Day,
            b: Moment,
            c: Moment,
        }
        let t: T = toml::from_str(
            "a = 2021-06-25\nb = 2021-04-19\nc = \"2021-06-03T00:01:00[America/New_York]\"",
        )
        .unwrap();
        assert_eq!(t.a.to_string(), "2021-06-25");
        assert_eq!(
            t.b,
            Moment::Day(NaiveDate::from_ymd_opt(2021, 4, 19).unwrap())
        );
        assert!(matches!(t.c, Moment::Instant(_)));
    }
}
