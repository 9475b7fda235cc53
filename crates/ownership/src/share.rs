//! Percentages as registries write them: `30`, `30%`, `25.5`, `25,5 %`, ranges `25-50`, bounds
//! `<10`, `>50`, `≥ 50`, or nothing at all.
//!
//! A share is kept as an interval `[min, max]` of percentages with open or closed ends, so that
//! an exact figure, a range, a bound and a missing percentage are one type. The rules read the
//! lower end to decide a *definite* block and the upper end to decide whether something *may*
//! be blocked (a review).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Units per percent: shares are kept in ten-thousandths of a percent, exact for every figure a
/// registry writes with up to four decimals and free of floating-point surprises at the 50 % line.
pub const UNITS_PER_PERCENT: u32 = 10_000;

/// A percentage between 0 and 100, exact to a ten-thousandth of a percent.
///
/// Integer arithmetic makes `25 % + 25 % ≥ 50 %` true without rounding doubts, which matters
/// because the 50 % line is where the law draws its distinction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Percent(u32);

impl Percent {
    /// Nothing.
    pub const ZERO: Percent = Percent(0);
    /// The 50 % line of the OFAC rule and the EU test.
    pub const FIFTY: Percent = Percent(50 * UNITS_PER_PERCENT);
    /// Everything.
    pub const HUNDRED: Percent = Percent(100 * UNITS_PER_PERCENT);

    /// A percentage from ten-thousandths of a percent, capped at 100 %.
    pub const fn from_units(units: u32) -> Percent {
        if units > 100 * UNITS_PER_PERCENT {
            Percent(100 * UNITS_PER_PERCENT)
        } else {
            Percent(units)
        }
    }

    /// A whole percentage (`Percent::whole(30)` is 30 %), capped at 100 %.
    pub const fn whole(percent: u32) -> Percent {
        if percent > 100 {
            Percent::HUNDRED
        } else {
            Percent(percent * UNITS_PER_PERCENT)
        }
    }

    /// The percentage in ten-thousandths of a percent.
    pub const fn units(self) -> u32 {
        self.0
    }

    /// The percentage as a floating-point number, for display and JSON.
    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / f64::from(UNITS_PER_PERCENT)
    }

    /// A percentage from a floating-point number of percent; `None` outside 0–100 or not finite.
    pub fn from_f64(percent: f64) -> Option<Percent> {
        if !percent.is_finite() || !(0.0..=100.0).contains(&percent) {
            return None;
        }
        Some(Percent(
            (percent * f64::from(UNITS_PER_PERCENT)).round() as u32
        ))
    }
}

impl fmt::Display for Percent {
    /// `30`, `25.5`, `33.3333`: no trailing zeros, no unit (callers add ` %`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / UNITS_PER_PERCENT;
        let frac = self.0 % UNITS_PER_PERCENT;
        if frac == 0 {
            return write!(f, "{whole}");
        }
        let mut digits = format!("{frac:04}");
        while digits.ends_with('0') {
            digits.pop();
        }
        write!(f, "{whole}.{digits}")
    }
}

impl Serialize for Percent {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Percent {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        Percent::from_f64(v)
            .ok_or_else(|| serde::de::Error::custom(format!("not a percentage: {v}")))
    }
}

/// A share of an entity held by one owner, as an interval of percentages.
///
/// `30` is `[30, 30]`, `25-50` is `[25, 50]`, `<10` is `[0, 10)`, `>50` is `(50, 100]` and a
/// missing percentage is `[0, 100]` with `stated = false`. The lower end (`min`) is what the
/// owner certainly holds: it decides a definite block. The upper end (`max`) is what the owner
/// may hold: it decides whether the entity may be blocked and must be reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Share {
    /// The least the owner holds.
    pub min: Percent,
    /// Whether the owner holds strictly more than `min` (`>50`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub min_exclusive: bool,
    /// The most the owner holds.
    pub max: Percent,
    /// Whether the owner holds strictly less than `max` (`<10`).
    #[serde(default, skip_serializing_if = "is_false")]
    pub max_exclusive: bool,
    /// Whether a percentage was given at all; `false` means "held, share unknown".
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub stated: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}
fn is_true(b: &bool) -> bool {
    *b
}
fn yes() -> bool {
    true
}

/// Why a percentage could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShareError {
    /// The text is not a number, a range or a bound.
    #[error("not a percentage: {0:?} (expected e.g. 30, 30%, 25.5, 25-50, <10, >50)")]
    Malformed(String),
    /// The number is above 100 or below 0.
    #[error("percentage out of range 0–100: {0:?}")]
    OutOfRange(String),
    /// A range whose lower end is above its upper end.
    #[error("range with lower end above upper end: {0:?}")]
    Inverted(String),
}

impl Share {
    /// A holding whose percentage nobody recorded: anything from 0 to 100 %.
    pub const UNKNOWN: Share = Share {
        min: Percent::ZERO,
        min_exclusive: false,
        max: Percent::HUNDRED,
        max_exclusive: false,
        stated: false,
    };

    /// An exact share.
    pub const fn exact(p: Percent) -> Share {
        Share {
            min: p,
            min_exclusive: false,
            max: p,
            max_exclusive: false,
            stated: true,
        }
    }

    /// A closed range `[min, max]`; the ends are swapped if given the wrong way round.
    pub fn range(min: Percent, max: Percent) -> Share {
        let (min, max) = if min <= max { (min, max) } else { (max, min) };
        Share {
            min,
            min_exclusive: false,
            max,
            max_exclusive: false,
            stated: true,
        }
    }

    /// Whether the share is one figure rather than an interval.
    pub fn is_exact(&self) -> bool {
        self.stated && self.min == self.max && !self.min_exclusive && !self.max_exclusive
    }

    /// Read a percentage as written. Never a fraction: `0.3` is 0.3 %, not 30 %.
    ///
    /// Accepted: `30`, `30%`, `30 %`, `25.5`, `25,5`, `25-50`, `25–50 %`, `25% - 50%`,
    /// `25 to 50`, `<10`, `<=10`, `≤10`, `>50`, `>=50`, `≥50`, `less than 10`, `under 10`,
    /// `up to 10`, `at most 10`, `more than 50`, `over 50`, `at least 50`, and an empty string,
    /// `unknown`, `n/a`, `?` or `-` for "held, share unknown". More than four decimals widen
    /// an exact figure to the smallest interval of ten-thousandths that contains it.
    pub fn parse(text: &str) -> Result<Share, ShareError> {
        let original = text;
        let lowered = text.trim().to_lowercase().replace(['%', '\u{a0}'], " ");
        let lowered = lowered.replace("per cent", " ").replace("percent", " ");
        let s = lowered.split_whitespace().collect::<Vec<_>>().join(" ");
        if matches!(
            s.as_str(),
            "" | "unknown" | "n/a" | "na" | "?" | "-" | "—" | "–"
        ) {
            return Ok(Share::UNKNOWN);
        }
        let malformed = || ShareError::Malformed(original.to_string());
        // Bounds written as an operator or as words.
        const PREFIXES: &[(&str, Op)] = &[
            ("<=", Op::AtMost),
            ("=<", Op::AtMost),
            ("≤", Op::AtMost),
            (">=", Op::AtLeast),
            ("=>", Op::AtLeast),
            ("≥", Op::AtLeast),
            ("<", Op::LessThan),
            (">", Op::MoreThan),
            ("less than", Op::LessThan),
            ("under", Op::LessThan),
            ("below", Op::LessThan),
            ("up to", Op::AtMost),
            ("at most", Op::AtMost),
            ("more than", Op::MoreThan),
            ("over", Op::MoreThan),
            ("above", Op::MoreThan),
            ("at least", Op::AtLeast),
        ];
        for (prefix, op) in PREFIXES {
            if let Some(rest) = s.strip_prefix(prefix) {
                let (lo, hi) = number(rest.trim(), original)?;
                return Ok(match op {
                    Op::LessThan => Share {
                        min: Percent::ZERO,
                        min_exclusive: false,
                        max: Percent(hi),
                        max_exclusive: true,
                        stated: true,
                    },
                    Op::AtMost => Share {
                        max: Percent(hi),
                        ..Share::range(Percent::ZERO, Percent(hi))
                    },
                    Op::MoreThan => Share {
                        min: Percent(lo),
                        min_exclusive: true,
                        max: Percent::HUNDRED,
                        max_exclusive: false,
                        stated: true,
                    },
                    Op::AtLeast => Share::range(Percent(lo), Percent::HUNDRED),
                });
            }
        }
        if let Some(rest) = s.strip_suffix('+') {
            let (lo, _) = number(rest.trim(), original)?;
            return Ok(Share::range(Percent(lo), Percent::HUNDRED));
        }
        // Ranges: `25-50`, `25 – 50`, `25 to 50`. A leading minus is not a range.
        let range = s
            .char_indices()
            .skip(1)
            .find(|(_, c)| matches!(c, '-' | '–' | '—'))
            .map(|(i, c)| (&s[..i], &s[i + c.len_utf8()..]))
            .or_else(|| s.split_once(" to "));
        if let Some((a, b)) = range {
            let (lo, _) = number(a.trim(), original)?;
            let (_, hi) = number(b.trim(), original)?;
            if lo > hi {
                return Err(ShareError::Inverted(original.to_string()));
            }
            return Ok(Share::range(Percent(lo), Percent(hi)));
        }
        let (lo, hi) = number(&s, original).map_err(|e| match e {
            ShareError::OutOfRange(_) => e,
            _ => malformed(),
        })?;
        Ok(Share {
            min: Percent(lo),
            min_exclusive: false,
            max: Percent(hi),
            max_exclusive: false,
            stated: true,
        })
    }
}

enum Op {
    LessThan,
    AtMost,
    MoreThan,
    AtLeast,
}

/// Parse a non-negative decimal number of percent (`.` or `,` as decimal separator) into the
/// ten-thousandths just below and just above it (equal when four decimals suffice).
fn number(s: &str, original: &str) -> Result<(u32, u32), ShareError> {
    let malformed = || ShareError::Malformed(original.to_string());
    if s.starts_with('-') {
        return Err(ShareError::OutOfRange(original.to_string()));
    }
    let (int, frac) = match s.find(['.', ',']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return Err(malformed());
    }
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed());
    }
    let int_value: u64 = if int.is_empty() {
        0
    } else if int.len() > 6 {
        return Err(ShareError::OutOfRange(original.to_string()));
    } else {
        int.parse().map_err(|_| malformed())?
    };
    let mut units = int_value * u64::from(UNITS_PER_PERCENT);
    let mut scale = u64::from(UNITS_PER_PERCENT) / 10;
    let mut rest_nonzero = false;
    for (i, b) in frac.bytes().enumerate() {
        let digit = u64::from(b - b'0');
        if i < 4 {
            units += digit * scale;
            scale /= 10;
        } else if digit != 0 {
            rest_nonzero = true;
        }
    }
    let hi = if rest_nonzero { units + 1 } else { units };
    if units > u64::from(100 * UNITS_PER_PERCENT)
        || (rest_nonzero && units >= u64::from(100 * UNITS_PER_PERCENT))
    {
        return Err(ShareError::OutOfRange(original.to_string()));
    }
    let hi = hi.min(u64::from(100 * UNITS_PER_PERCENT));
    Ok((units as u32, hi as u32))
}

impl Share {
    /// The share in the notation [`Share::parse`] reads back to the same interval: `30`,
    /// `25-50`, `<10`, `>50`, or an empty string when no percentage was stated. Used to write
    /// a share into an FtM `percentage` property (the registry import does) without losing
    /// what the rules read: [`Display`](fmt::Display) is for people and not always parseable.
    pub fn notation(&self) -> String {
        if !self.stated {
            return String::new();
        }
        if self.is_exact() {
            return self.min.to_string();
        }
        match (self.min_exclusive, self.max_exclusive) {
            (true, false) if self.max == Percent::HUNDRED => format!(">{}", self.min),
            (false, true) if self.min == Percent::ZERO => format!("<{}", self.max),
            // Mixed open ends (never produced by `parse`): the closed range around them reads
            // back wider, never narrower, which keeps the rules conservative.
            _ => format!("{}-{}", self.min, self.max),
        }
    }
}

impl FromStr for Share {
    type Err = ShareError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Share::parse(s)
    }
}

impl fmt::Display for Share {
    /// `30 %`, `25–50 %`, `less than 10 %`, `more than 50 %`, `at least 50 %`, `unknown share`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.stated {
            return f.write_str("unknown share");
        }
        if self.is_exact() {
            return write!(f, "{} %", self.min);
        }
        let open_top = self.max == Percent::HUNDRED && !self.max_exclusive;
        let open_bottom = self.min == Percent::ZERO && !self.min_exclusive;
        match (open_bottom, open_top) {
            (true, _) if self.max_exclusive => write!(f, "less than {} %", self.max),
            (true, false) => write!(f, "at most {} %", self.max),
            (false, true) if self.min_exclusive => write!(f, "more than {} %", self.min),
            (false, true) => write!(f, "at least {} %", self.min),
            _ => {
                let lo = if self.min_exclusive { "more than " } else { "" };
                let hi = if self.max_exclusive { "less than " } else { "" };
                if lo.is_empty() && hi.is_empty() {
                    write!(f, "{}–{} %", self.min, self.max)
                } else {
                    write!(f, "{lo}{} % to {hi}{} %", self.min, self.max)
                }
            }
        }
    }
}

/// A sum of shares held by several owners, as the rules aggregate them: the lower ends and the
/// upper ends are added separately, and an open end anywhere keeps the sum's end open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Sum {
    pub units: u64,
    pub open: bool,
}

impl Sum {
    pub fn add(&mut self, other: Sum) {
        self.units += other.units;
        self.open |= other.open;
    }

    pub fn is_zero(&self) -> bool {
        self.units == 0 && !self.open
    }

    /// The sum as a percentage, capped at 100 %.
    pub fn percent(&self) -> Percent {
        Percent::from_units(self.units.min(u64::from(u32::MAX)) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Share {
        Share::parse(s).unwrap()
    }

    #[test]
    fn notation_reads_back() {
        for text in [
            "30",
            "25.5",
            "0",
            "100",
            "25-50",
            "<10",
            ">50",
            "<=10",
            ">=50",
            "at least 50",
            "less than 10",
            "33.333333",
            "",
            "unknown",
            "25% - 50%",
        ] {
            let share = p(text);
            let written = share.notation();
            assert_eq!(
                Share::parse(&written).unwrap(),
                share,
                "{text:?} written {written:?}"
            );
        }
        assert_eq!(p("30%").notation(), "30");
        assert_eq!(p(">50").notation(), ">50");
        assert_eq!(p("").notation(), "");
    }

    #[test]
    fn exact_figures() {
        assert_eq!(p("30"), Share::exact(Percent::whole(30)));
        assert_eq!(p("30%"), Share::exact(Percent::whole(30)));
        assert_eq!(p(" 30 % "), Share::exact(Percent::whole(30)));
        assert_eq!(p("25.5").min.units(), 255_000);
        assert_eq!(p("25,5 %").min.units(), 255_000);
        assert_eq!(p("100").max, Percent::HUNDRED);
        assert_eq!(p("0.3").min.units(), 3_000);
        assert_eq!(p("50.00%"), Share::exact(Percent::FIFTY));
        assert_eq!(p("30").to_string(), "30 %");
        assert_eq!(p("25.5").to_string(), "25.5 %");
    }

    #[test]
    fn many_decimals_widen_to_an_interval() {
        let s = p("33.333333");
        assert_eq!(s.min.units(), 333_333);
        assert_eq!(s.max.units(), 333_334);
        assert!(!s.is_exact());
    }

    #[test]
    fn ranges_and_bounds() {
        assert_eq!(
            p("25-50"),
            Share::range(Percent::whole(25), Percent::whole(50))
        );
        assert_eq!(
            p("25 – 50 %"),
            Share::range(Percent::whole(25), Percent::whole(50))
        );
        assert_eq!(
            p("25% - 50%"),
            Share::range(Percent::whole(25), Percent::whole(50))
        );
        assert_eq!(
            p("25 to 50"),
            Share::range(Percent::whole(25), Percent::whole(50))
        );
        let lt = p("<10");
        assert_eq!(
            (lt.min, lt.max, lt.max_exclusive),
            (Percent::ZERO, Percent::whole(10), true)
        );
        assert_eq!(lt.to_string(), "less than 10 %");
        let gt = p(">50");
        assert_eq!(
            (gt.min, gt.min_exclusive, gt.max),
            (Percent::FIFTY, true, Percent::HUNDRED)
        );
        assert_eq!(gt.to_string(), "more than 50 %");
        assert_eq!(p("≥ 50").to_string(), "at least 50 %");
        assert_eq!(p(">=50"), p("at least 50"));
        assert_eq!(p("less than 10"), p("<10"));
        assert_eq!(p("≤10").to_string(), "at most 10 %");
        assert_eq!(p("25-50").to_string(), "25–50 %");
        assert_eq!(p("50+"), p("≥50"));
    }

    #[test]
    fn missing_and_bad() {
        assert_eq!(p(""), Share::UNKNOWN);
        assert_eq!(p("unknown"), Share::UNKNOWN);
        assert_eq!(p("n/a"), Share::UNKNOWN);
        assert_eq!(Share::UNKNOWN.to_string(), "unknown share");
        assert!(matches!(
            Share::parse("150"),
            Err(ShareError::OutOfRange(_))
        ));
        assert!(matches!(Share::parse("-5"), Err(ShareError::OutOfRange(_))));
        assert!(matches!(Share::parse("abc"), Err(ShareError::Malformed(_))));
        assert!(matches!(
            Share::parse("50-25"),
            Err(ShareError::Inverted(_))
        ));
        assert!(matches!(Share::parse("3O"), Err(ShareError::Malformed(_))));
        assert!(matches!(Share::parse("."), Err(ShareError::Malformed(_))));
    }

    #[test]
    fn serde_roundtrip() {
        for s in ["30", "25.5", "25-50", "<10", ">50", ""] {
            let share = p(s);
            let json = serde_json::to_string(&share).unwrap();
            let back: Share = serde_json::from_str(&json).unwrap();
            assert_eq!(back, share, "{json}");
        }
    }
}
