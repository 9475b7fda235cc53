//! The as-of date-time of a dealing, always with its time zone.
//!
//! Licence cut-offs are local times ("12:01 a.m. eastern daylight time on June 3, 2021"), so a
//! payment at 2021-06-03 00:00 in New York is inside GL 2H and one at 00:02 is not. A date-time
//! without a zone cannot be placed on that line; it is an error unless the caller passes a
//! default zone explicitly.
//!
//! Written forms (RFC 3339 extended with the RFC 9557 zone suffix):
//! - `2021-03-01T10:00:00[America/New_York]` — local time in an IANA zone;
//! - `2021-03-01T10:00:00-05:00[America/New_York]` — the same, offset checked against the zone
//!   (and needed to pick one of the two 01:30s when clocks go back);
//! - `2021-03-01T15:00:00Z`, `2021-03-01T10:00:00-05:00` — a fixed offset;
//! - `2021-03-01T10:00:00` — only with a default zone.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A time zone: an IANA zone (`America/New_York`, `Europe/Minsk`) or a fixed UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Zone {
    /// An IANA zone, whose offset follows daylight-saving rules.
    Iana(Tz),
    /// A fixed offset from UTC (`-05:00`, `Z`).
    Offset(FixedOffset),
}

impl Zone {
    /// The offset in force at a UTC instant.
    pub fn offset_at(&self, utc: &NaiveDateTime) -> FixedOffset {
        match self {
            Zone::Iana(tz) => tz.offset_from_utc_datetime(utc).fix(),
            Zone::Offset(o) => *o,
        }
    }
}

impl FromStr for Zone {
    type Err = String;

    /// `America/New_York`, `UTC`, `Z`, `+03:00`, `-0500`.
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        if s == "Z" || s == "z" {
            return Ok(Zone::Offset(utc_offset()));
        }
        if s.starts_with(['+', '-']) {
            return parse_offset(s).map(Zone::Offset);
        }
        s.parse::<Tz>()
            .map(Zone::Iana)
            .map_err(|_| format!("{s:?} is not an IANA time zone name (e.g. America/New_York) or a UTC offset (e.g. -05:00)"))
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Zone::Iana(tz) => f.write_str(tz.name()),
            Zone::Offset(o) => f.write_str(&format_offset(*o)),
        }
    }
}

fn utc_offset() -> FixedOffset {
    Utc.fix()
}

fn format_offset(o: FixedOffset) -> String {
    let secs = o.local_minus_utc();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.unsigned_abs();
    format!("{sign}{:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

/// `+03:00`, `-0500`, `+03`.
fn parse_offset(s: &str) -> Result<FixedOffset, String> {
    let err = || format!("{s:?} is not a UTC offset (±HH:MM)");
    let (sign, rest) = match s.as_bytes().first() {
        Some(b'+') => (1, &s[1..]),
        Some(b'-') => (-1, &s[1..]),
        _ => return Err(err()),
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) || !(digits.len() == 2 || digits.len() == 4) {
        return Err(err());
    }
    let h: i32 = digits[..2].parse().map_err(|_| err())?;
    let m: i32 = if digits.len() == 4 {
        digits[2..].parse().map_err(|_| err())?
    } else {
        0
    };
    if h > 18 || m > 59 || rest.len() > 5 {
        return Err(err());
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60)).ok_or_else(err)
}

/// The moment a dealing is decided at: a local date-time, its UTC offset and the zone it was
/// given in.
///
/// Keeps the zone so that the engine can compare with cut-offs in their own zone and so that the
/// decision records what the user said, not only the UTC instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AsOf {
    local: NaiveDateTime,
    offset: FixedOffset,
    zone: Zone,
}

/// Why a written date-time is not an [`AsOf`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AsOfError {
    /// It has no zone or offset, and no default zone was given.
    NoZone(String),
    /// It is not a date-time, its zone is unknown, the offset disagrees with the zone, or the
    /// local time does not exist or is ambiguous there.
    Invalid(String),
}

impl fmt::Display for AsOfError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AsOfError::NoZone(s) | AsOfError::Invalid(s) => f.write_str(s),
        }
    }
}

impl AsOf {
    /// A local date-time in a zone. `offset` (when the input gave one) must agree with the zone
    /// and picks one of the two instants of an ambiguous local time.
    pub fn new(
        local: NaiveDateTime,
        zone: Zone,
        offset: Option<FixedOffset>,
    ) -> Result<AsOf, String> {
        use chrono::Datelike;
        if !(1900..=2200).contains(&local.year()) {
            return Err(format!("year {} is outside 1900–2200", local.year()));
        }
        match zone {
            Zone::Offset(o) => {
                if let Some(given) = offset
                    && given != o
                {
                    return Err(format!(
                        "offset {} disagrees with the zone {}",
                        format_offset(given),
                        format_offset(o)
                    ));
                }
                Ok(AsOf {
                    local,
                    offset: o,
                    zone,
                })
            }
            Zone::Iana(tz) => {
                let candidates: Vec<FixedOffset> = match tz.from_local_datetime(&local) {
                    chrono::LocalResult::Single(dt) => vec![dt.offset().fix()],
                    chrono::LocalResult::Ambiguous(a, b) => {
                        vec![a.offset().fix(), b.offset().fix()]
                    }
                    chrono::LocalResult::None => {
                        return Err(format!(
                            "{} does not exist in {} (the clocks skip it)",
                            local.format("%Y-%m-%dT%H:%M:%S"),
                            tz.name()
                        ));
                    }
                };
                let chosen = match offset {
                    Some(given) if candidates.contains(&given) => given,
                    Some(given) => {
                        return Err(format!(
                            "offset {} disagrees with {}, which is {} at {}",
                            format_offset(given),
                            tz.name(),
                            candidates
                                .iter()
                                .map(|o| format_offset(*o))
                                .collect::<Vec<_>>()
                                .join(" or "),
                            local.format("%Y-%m-%dT%H:%M:%S")
                        ));
                    }
                    None if candidates.len() == 1 => candidates[0],
                    None => {
                        return Err(format!(
                            "{} happens twice in {} (clocks go back); write the offset, e.g. {}{}[{}]",
                            local.format("%Y-%m-%dT%H:%M:%S"),
                            tz.name(),
                            local.format("%Y-%m-%dT%H:%M:%S"),
                            format_offset(candidates[0]),
                            tz.name()
                        ));
                    }
                };
                Ok(AsOf {
                    local,
                    offset: chosen,
                    zone,
                })
            }
        }
    }

    /// Parse a written date-time (see the module documentation); a date-time without a zone takes
    /// `default_zone` or is an [`AsOfError::NoZone`].
    pub fn parse(s: &str, default_zone: Option<Tz>) -> Result<AsOf, AsOfError> {
        let s = s.trim();
        let invalid = |reason: String| AsOfError::Invalid(reason);
        let (body, bracket_zone) = match s.split_once('[') {
            Some((body, rest)) => {
                let name = rest.strip_suffix(']').ok_or_else(|| {
                    invalid(format!("{s:?}: the zone suffix must be closed with ']'"))
                })?;
                let zone: Zone = name.parse().map_err(|e| invalid(format!("{s:?}: {e}")))?;
                (body, Some(zone))
            }
            None => (s, None),
        };
        let (local_part, offset) =
            split_offset(body).map_err(|e| invalid(format!("{s:?}: {e}")))?;
        let local = parse_local(local_part).map_err(|e| invalid(format!("{s:?}: {e}")))?;
        let zone = match (bracket_zone, offset) {
            (Some(z), _) => z,
            (None, Some(o)) => Zone::Offset(o),
            (None, None) => match default_zone {
                Some(tz) => Zone::Iana(tz),
                None => {
                    return Err(AsOfError::NoZone(format!(
                        "{s:?} has no time zone; write it as {local_part}[America/New_York] or \
                         with an offset ({local_part}-05:00), or pass a default zone"
                    )));
                }
            },
        };
        AsOf::new(local, zone, offset).map_err(|e| invalid(format!("{s:?}: {e}")))
    }

    /// The instant in UTC.
    pub fn utc(&self) -> DateTime<Utc> {
        Utc.from_utc_datetime(&(self.local - self.offset))
    }

    /// The instant with its offset (`2021-03-01T10:00:00-05:00`).
    pub fn fixed(&self) -> DateTime<FixedOffset> {
        self.utc().with_timezone(&self.offset)
    }

    /// The same instant as a local time in another zone: how the engine compares a payment made
    /// in Minsk with a cut-off written in New York time.
    pub fn in_zone(&self, tz: Tz) -> DateTime<Tz> {
        self.utc().with_timezone(&tz)
    }

    /// The local date-time as given.
    pub fn local(&self) -> NaiveDateTime {
        self.local
    }

    /// The local calendar date, the day a licence or listing is in force "on".
    pub fn local_date(&self) -> NaiveDate {
        self.local.date()
    }

    /// The UTC offset in force at this moment in its zone.
    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    /// The zone the date-time was given in.
    pub fn zone(&self) -> Zone {
        self.zone
    }
}

/// Split a trailing `Z` or `±HH:MM` offset off a date-time.
fn split_offset(s: &str) -> Result<(&str, Option<FixedOffset>), String> {
    if let Some(body) = s.strip_suffix(['Z', 'z']) {
        return Ok((body, Some(utc_offset())));
    }
    // An offset sign can only come after the time, i.e. after the 'T' (or space).
    let time_start = s.find(['T', 't', ' ']).map(|i| i + 1);
    if let Some(start) = time_start
        && let Some(pos) = s[start..].rfind(['+', '-'])
    {
        let at = start + pos;
        return Ok((&s[..at], Some(parse_offset(&s[at..])?)));
    }
    Ok((s, None))
}

fn parse_local(s: &str) -> Result<NaiveDateTime, String> {
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(s, format) {
            return Ok(dt);
        }
    }
    if NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() {
        return Err(
            "a date alone is not enough: give the time of day too (licence cut-offs \
                    fall within a day)"
                .to_string(),
        );
    }
    Err("not a date-time (YYYY-MM-DDTHH:MM[:SS])".to_string())
}

impl fmt::Display for AsOf {
    /// `2021-03-01T10:00:00-05:00[America/New_York]`, or without the bracket for a fixed offset.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let frac = self.local.and_utc().timestamp_subsec_nanos();
        if frac == 0 {
            write!(f, "{}", self.local.format("%Y-%m-%dT%H:%M:%S"))?;
        } else {
            write!(f, "{}", self.local.format("%Y-%m-%dT%H:%M:%S%.f"))?;
        }
        f.write_str(&format_offset(self.offset))?;
        if let Zone::Iana(tz) = self.zone {
            write!(f, "[{}]", tz.name())?;
        }
        Ok(())
    }
}

impl Serialize for AsOf {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

thread_local! {
    /// The default zone for zone-less date-times while [`with_default_zone`] runs, and whether
    /// it was used. Serde's `Deserialize` takes no arguments; this is how the JSON reader hands
    /// the caller's default zone to [`AsOf`]'s deserialisation.
    static DEFAULT_ZONE: std::cell::Cell<(Option<Tz>, bool)> = const { std::cell::Cell::new((None, false)) };
}

/// Run `f` with `zone` as the default zone for [`AsOf`] deserialisation on this thread;
/// returns `f`'s result and whether the default zone was used.
pub(crate) fn with_default_zone<T>(zone: Option<Tz>, f: impl FnOnce() -> T) -> (T, bool) {
    struct Restore((Option<Tz>, bool));
    impl Drop for Restore {
        fn drop(&mut self) {
            DEFAULT_ZONE.with(|z| z.set(self.0));
        }
    }
    let _restore = Restore(DEFAULT_ZONE.with(|z| z.replace((zone, false))));
    let out = f();
    let used = DEFAULT_ZONE.with(|z| z.get().1);
    (out, used)
}

impl<'de> Deserialize<'de> for AsOf {
    /// A zone-less date-time takes the default zone of [`with_default_zone`], if any.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(d)?;
        let (zone, _) = DEFAULT_ZONE.with(|z| z.get());
        match AsOf::parse(&s, None) {
            Err(AsOfError::NoZone(reason)) => match zone {
                Some(tz) => {
                    DEFAULT_ZONE.with(|z| z.set((zone, true)));
                    AsOf::parse(&s, Some(tz)).map_err(serde::de::Error::custom)
                }
                None => Err(serde::de::Error::custom(reason)),
            },
            other => other.map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ny() -> Option<Tz> {
        Some(chrono_tz::America::New_York)
    }

    #[test]
    fn forms() {
        let a = AsOf::parse("2021-03-01T10:00:00[America/New_York]", None).unwrap();
        assert_eq!(a.to_string(), "2021-03-01T10:00:00-05:00[America/New_York]");
        assert_eq!(a.utc().to_rfc3339(), "2021-03-01T15:00:00+00:00");
        let b = AsOf::parse(&a.to_string(), None).unwrap();
        assert_eq!(a, b);
        let c = AsOf::parse("2021-03-01T10:00:00-05:00", None).unwrap();
        assert_eq!(c.utc(), a.utc());
        assert_eq!(c.to_string(), "2021-03-01T10:00:00-05:00");
        let z = AsOf::parse("2021-03-01T15:00Z", None).unwrap();
        assert_eq!(z.utc(), a.utc());
        let d = AsOf::parse("2021-06-03T00:01:00", ny()).unwrap();
        assert_eq!(d.utc().to_rfc3339(), "2021-06-03T04:01:00+00:00");
    }

    #[test]
    fn refusals() {
        assert!(matches!(
            AsOf::parse("2021-03-01T10:00:00", None),
            Err(AsOfError::NoZone(_))
        ));
        let e = AsOf::parse("2021-03-01", ny()).unwrap_err().to_string();
        assert!(e.contains("time of day"), "{e}");
        let e = AsOf::parse("2021-03-01T10:00:00-04:00[America/New_York]", None).unwrap_err();
        assert!(e.to_string().contains("disagrees"), "{e}");
        let e = AsOf::parse("2021-03-14T02:30:00[America/New_York]", None).unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        let e = AsOf::parse("2021-11-07T01:30:00[America/New_York]", None).unwrap_err();
        assert!(e.to_string().contains("happens twice"), "{e}");
        let ok = AsOf::parse("2021-11-07T01:30:00-04:00[America/New_York]", None).unwrap();
        assert_eq!(ok.offset().local_minus_utc(), -4 * 3600);
        assert!(AsOf::parse("2021-03-01T10:00:00[Mars/Olympus]", None).is_err());
        assert!(AsOf::parse("2021-02-30T10:00:00Z", None).is_err());
        assert!(AsOf::parse("2021-03-01T10:00:00+99:00", None).is_err());
    }

    #[test]
    fn zones() {
        assert_eq!("-0500".parse::<Zone>().unwrap().to_string(), "-05:00");
        assert_eq!(
            "Europe/Minsk".parse::<Zone>().unwrap().to_string(),
            "Europe/Minsk"
        );
        assert!("Eastern".parse::<Zone>().is_err());
    }
}
