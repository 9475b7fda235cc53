//! The legal tests, as data: which threshold, strict or not, aggregated or not, and what
//! control does, per jurisdiction and date.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::share::Percent;

/// Whose law applies. Each has its own ownership test and its own listed persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Jurisdiction {
    /// The United States (OFAC).
    Us,
    /// The European Union (Council regulations, Commission guidance).
    Eu,
}

impl Jurisdiction {
    /// The lower-case code used on the command line and in the API (`us`, `eu`).
    pub fn code(self) -> &'static str {
        match self {
            Jurisdiction::Us => "us",
            Jurisdiction::Eu => "eu",
        }
    }
}

impl fmt::Display for Jurisdiction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Jurisdiction::Us => "US",
            Jurisdiction::Eu => "EU",
        })
    }
}

/// Why a jurisdiction code is not known.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown jurisdiction {0:?} (expected us or eu)")]
pub struct UnknownJurisdiction(pub String);

impl FromStr for Jurisdiction {
    type Err = UnknownJurisdiction;
    /// `us`/`usa`/`ofac` or `eu` (any case), as the CLI's `--jurisdiction` takes it.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "us" | "usa" | "ofac" => Ok(Jurisdiction::Us),
            "eu" => Ok(Jurisdiction::Eu),
            _ => Err(UnknownJurisdiction(s.to_string())),
        }
    }
}

/// How the aggregate share is compared with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    /// `≥`: the OFAC rule and the EU test from 2024-07-03 ("50 % or more").
    AtLeast,
    /// `>`: the EU test until 2024-07-02 ("more than 50 %").
    MoreThan,
}

/// Whether the shares of different listed persons are added up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// The shares of all blocked owners are summed (25 % + 25 % by two listed persons is 50 %).
    Aggregated,
    /// One listed person, together with the entities it owns or controls, must reach the
    /// threshold on its own.
    Individual,
}

/// What control by a listed person does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ControlEffect {
    /// Control alone does not block, but the entity is flagged for review (OFAC).
    FlagForReview,
    /// A controlled entity is covered like an owned one and passes its coverage on to what it
    /// owns or controls (EU: the funds-made-available presumption, rebuttable case by case).
    Covers,
}

/// One ownership-or-control test as in force in one jurisdiction for a period.
///
/// A rule is data so that a proof can carry the exact test it applied and a replayed decision
/// can apply the same one again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// The jurisdiction whose rule this is.
    pub jurisdiction: Jurisdiction,
    /// A short name (`OFAC 50 Percent Rule`).
    pub name: String,
    /// The guidance or law the rule comes from.
    pub basis: String,
    /// The first day the rule applies, if it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// The last day the rule applies, if it was replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<NaiveDate>,
    /// The ownership threshold (50 %).
    pub threshold: Percent,
    /// `≥` or `>`.
    pub comparison: Comparison,
    /// Summed across listed persons, or one listed person at a time.
    pub aggregation: Aggregation,
    /// What control does.
    pub control: ControlEffect,
}

fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

impl Rule {
    /// OFAC's 2008-02-14 guidance: 50 % or more owned by one blocked person. Used for dates
    /// before the 2014 revision (and, for want of earlier guidance, before 2008).
    pub fn ofac_2008() -> Rule {
        Rule {
            jurisdiction: Jurisdiction::Us,
            name: "OFAC 50 Percent Rule (2008 guidance)".into(),
            basis: "OFAC guidance of 2008-02-14".into(),
            from: None,
            to: date(2014, 8, 12),
            threshold: Percent::FIFTY,
            comparison: Comparison::AtLeast,
            aggregation: Aggregation::Individual,
            control: ControlEffect::FlagForReview,
        }
    }

    /// OFAC's revised guidance of 2014-08-13 (79 FR 47726): 50 % or more, directly or
    /// indirectly, individually or in the aggregate, by one or more blocked persons; control
    /// alone does not block.
    pub fn ofac_2014() -> Rule {
        Rule {
            jurisdiction: Jurisdiction::Us,
            name: "OFAC 50 Percent Rule".into(),
            basis: "OFAC revised guidance of 2014-08-13, 79 FR 47726".into(),
            from: date(2014, 8, 13),
            to: None,
            threshold: Percent::FIFTY,
            comparison: Comparison::AtLeast,
            aggregation: Aggregation::Aggregated,
            control: ControlEffect::FlagForReview,
        }
    }

    /// The EU test until 2024-07-02 (EU Best Practices, 2018): more than 50 % of the
    /// proprietary rights held by a listed person, or control.
    pub fn eu_2018() -> Rule {
        Rule {
            jurisdiction: Jurisdiction::Eu,
            name: "EU ownership or control test (2018 Best Practices)".into(),
            basis:
                "EU Best Practices for the effective implementation of restrictive measures (2018)"
                    .into(),
            from: None,
            to: date(2024, 7, 2),
            threshold: Percent::FIFTY,
            comparison: Comparison::MoreThan,
            aggregation: Aggregation::Individual,
            control: ControlEffect::Covers,
        }
    }

    /// The EU test from 2024-07-03 (updated EU Best Practices): 50 % or more, aggregated across
    /// listed persons, or control.
    pub fn eu_2024() -> Rule {
        Rule {
            jurisdiction: Jurisdiction::Eu,
            name: "EU ownership or control test (2024 Best Practices)".into(),
            basis: "EU Best Practices for the effective implementation of restrictive measures (update of 2024-07-03)".into(),
            from: date(2024, 7, 3),
            to: None,
            threshold: Percent::FIFTY,
            comparison: Comparison::AtLeast,
            aggregation: Aggregation::Aggregated,
            control: ControlEffect::Covers,
        }
    }

    /// The rule in force in `jurisdiction` on `day`.
    pub fn in_force(jurisdiction: Jurisdiction, day: NaiveDate) -> Rule {
        let candidates = match jurisdiction {
            Jurisdiction::Us => [Rule::ofac_2014(), Rule::ofac_2008()],
            Jurisdiction::Eu => [Rule::eu_2024(), Rule::eu_2018()],
        };
        let [newer, older] = candidates;
        if newer.from.is_some_and(|f| day >= f) {
            newer
        } else {
            older
        }
    }

    /// Whether an aggregate with the given lower end meets the threshold for certain.
    pub(crate) fn definitely_meets(&self, units: u64, exclusive: bool) -> bool {
        let t = u64::from(self.threshold.units());
        match self.comparison {
            Comparison::AtLeast => units >= t,
            Comparison::MoreThan => units > t || (units == t && exclusive),
        }
    }

    /// Whether an aggregate with the given upper end may meet the threshold.
    pub(crate) fn possibly_meets(&self, units: u64, exclusive: bool) -> bool {
        let t = u64::from(self.threshold.units());
        match self.comparison {
            Comparison::AtLeast => units > t || (units == t && !exclusive),
            Comparison::MoreThan => units > t,
        }
    }

    /// The test in words: `50 % or more, in aggregate`, `more than 50 %, by one listed person`.
    pub fn test_text(&self) -> String {
        let cmp = match self.comparison {
            Comparison::AtLeast => format!("{} % or more", self.threshold),
            Comparison::MoreThan => format!("more than {} %", self.threshold),
        };
        let agg = match self.aggregation {
            Aggregation::Aggregated => "directly or indirectly, individually or in aggregate",
            Aggregation::Individual => "directly or indirectly, by one listed person",
        };
        format!("{cmp}, {agg}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn rules_by_date() {
        assert_eq!(
            Rule::in_force(Jurisdiction::Eu, d("2021-05-15")),
            Rule::eu_2018()
        );
        assert_eq!(
            Rule::in_force(Jurisdiction::Eu, d("2024-07-02")),
            Rule::eu_2018()
        );
        assert_eq!(
            Rule::in_force(Jurisdiction::Eu, d("2024-07-03")),
            Rule::eu_2024()
        );
        assert_eq!(
            Rule::in_force(Jurisdiction::Us, d("2014-08-13")),
            Rule::ofac_2014()
        );
        assert_eq!(
            Rule::in_force(Jurisdiction::Us, d("2010-01-01")),
            Rule::ofac_2008()
        );
        assert_eq!("US".parse::<Jurisdiction>(), Ok(Jurisdiction::Us));
        assert!("uk".parse::<Jurisdiction>().is_err());
    }

    #[test]
    fn thresholds() {
        let fifty = u64::from(Percent::FIFTY.units());
        let us = Rule::ofac_2014();
        let eu = Rule::eu_2018();
        assert!(us.definitely_meets(fifty, false));
        assert!(!eu.definitely_meets(fifty, false));
        assert!(
            eu.definitely_meets(fifty, true),
            "more than 50 % meets a > 50 % test"
        );
        assert!(us.possibly_meets(fifty, false));
        assert!(
            !us.possibly_meets(fifty, true),
            "less than 50 % cannot reach 50 %"
        );
        assert!(!eu.possibly_meets(fifty, false));
    }
}
