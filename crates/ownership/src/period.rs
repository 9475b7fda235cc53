//! When a relation is in force: start and end dates as registries write them, often partial.

use chrono::NaiveDate;
use interdict_model::PartialDate;
use serde::{Deserialize, Serialize};

/// The dates between which a holding or a control relation is in force, both inclusive.
///
/// `endDate` is read as the last day the relation held (a holding sold on 2021-06-30 with
/// `end_date` 2021-06-30 still counts on that day). A missing start means "since before anyone
/// recorded"; a missing end means "still in force". Partial dates (`2021`, `2021-06`) make the
/// edges uncertain: a relation is *certainly* in force on a day only if every day the dates can
/// stand for puts it in force, and *possibly* in force if some day does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Period {
    /// The first day in force, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<PartialDate>,
    /// The last day in force, if the relation has ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<PartialDate>,
}

/// Whether a relation is in force on a given day, given the precision of its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    /// In force on that day whatever the exact dates are.
    Certain,
    /// In force on that day for some reading of the partial dates only: counts for review,
    /// never for a definite block.
    Uncertain,
    /// Not in force on that day.
    Inactive,
}

impl Period {
    /// A period with no known dates: always in force.
    pub const ALWAYS: Period = Period {
        start: None,
        end: None,
    };

    /// A period from optional start and end dates.
    pub fn new(start: Option<PartialDate>, end: Option<PartialDate>) -> Period {
        Period { start, end }
    }

    /// Whether the relation is in force on `day`.
    pub fn activity(&self, day: NaiveDate) -> Activity {
        let possible_start = self.start.is_none_or(|s| s.first_day() <= day);
        let possible_end = self.end.is_none_or(|e| e.last_day() >= day);
        if !possible_start || !possible_end {
            return Activity::Inactive;
        }
        let certain_start = self.start.is_none_or(|s| s.last_day() <= day);
        let certain_end = self.end.is_none_or(|e| e.first_day() >= day);
        if certain_start && certain_end {
            Activity::Certain
        } else {
            Activity::Uncertain
        }
    }

    /// Whether the end is before the start (a data error worth reporting).
    pub fn is_inverted(&self) -> bool {
        matches!((self.start, self.end), (Some(s), Some(e)) if e.last_day() < s.first_day())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn pd(s: &str) -> PartialDate {
        s.parse().unwrap()
    }

    #[test]
    fn inclusive_edges_and_partial_dates() {
        let p = Period::new(Some(pd("2020-01-01")), Some(pd("2021-06-30")));
        assert_eq!(p.activity(d("2019-12-31")), Activity::Inactive);
        assert_eq!(p.activity(d("2020-01-01")), Activity::Certain);
        assert_eq!(p.activity(d("2021-06-30")), Activity::Certain);
        assert_eq!(p.activity(d("2021-07-01")), Activity::Inactive);
        let partial = Period::new(Some(pd("2021")), None);
        assert_eq!(partial.activity(d("2020-12-31")), Activity::Inactive);
        assert_eq!(partial.activity(d("2021-05-15")), Activity::Uncertain);
        assert_eq!(partial.activity(d("2022-01-01")), Activity::Certain);
        let ended = Period::new(None, Some(pd("2021-06")));
        assert_eq!(ended.activity(d("2021-06-10")), Activity::Uncertain);
        assert_eq!(ended.activity(d("2021-05-31")), Activity::Certain);
        assert_eq!(Period::ALWAYS.activity(d("1900-01-01")), Activity::Certain);
        assert!(Period::new(Some(pd("2022")), Some(pd("2021"))).is_inverted());
    }
}
