//! Business days for report deadlines: OFAC wants a blocking or reject report "within 10
//! business days", which skips weekends and US federal holidays (observed on the nearest
//! weekday when they fall on a weekend).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// The US federal holidays (5 U.S.C. 6103) of a year, as observed.
///
/// Juneteenth counts from 2021 (first observed on 2021-06-18).
pub fn us_federal_holidays(year: i32) -> Vec<NaiveDate> {
    let fixed = |m: u32, d: u32| NaiveDate::from_ymd_opt(year, m, d).map(observed);
    let nth = |m: u32, wd: Weekday, n: u8| NaiveDate::from_weekday_of_month_opt(year, m, wd, n);
    let last_monday_of_may = || {
        let mut d = NaiveDate::from_ymd_opt(year, 5, 31)?;
        while d.weekday() != Weekday::Mon {
            d = d.pred_opt()?;
        }
        Some(d)
    };
    let mut days = vec![
        fixed(1, 1),
        nth(1, Weekday::Mon, 3),
        nth(2, Weekday::Mon, 3),
        last_monday_of_may(),
        fixed(7, 4),
        nth(9, Weekday::Mon, 1),
        nth(10, Weekday::Mon, 2),
        fixed(11, 11),
        nth(11, Weekday::Thu, 4),
        fixed(12, 25),
    ];
    if year >= 2021 {
        days.push(fixed(6, 19));
    }
    // New Year's Day of the next year observed on Friday 31 December.
    if let Some(next) = NaiveDate::from_ymd_opt(year + 1, 1, 1)
        && next.weekday() == Weekday::Sat
    {
        days.push(NaiveDate::from_ymd_opt(year, 12, 31));
    }
    let mut out: Vec<NaiveDate> = days
        .into_iter()
        .flatten()
        .filter(|d| d.year() == year)
        .collect();
    out.sort();
    out
}

/// A holiday on Saturday is observed on Friday, on Sunday on Monday.
fn observed(d: NaiveDate) -> NaiveDate {
    match d.weekday() {
        Weekday::Sat => d - Duration::days(1),
        Weekday::Sun => d + Duration::days(1),
        _ => d,
    }
}

/// Whether a day is a US federal business day.
pub fn is_us_business_day(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
        && !us_federal_holidays(d.year()).contains(&d)
}

/// The day `n` US business days after `start` (the day of the event does not count).
pub fn add_us_business_days(start: NaiveDate, n: u32) -> NaiveDate {
    let mut d = start;
    let mut left = n;
    while left > 0 {
        match d.succ_opt() {
            Some(next) => d = next,
            None => return d,
        }
        if is_us_business_day(d) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn holidays() {
        let h = us_federal_holidays(2021);
        assert!(h.contains(&d("2021-05-31")), "Memorial Day");
        assert!(h.contains(&d("2021-06-18")), "Juneteenth observed");
        assert!(h.contains(&d("2021-07-05")), "Independence Day observed");
        assert!(h.contains(&d("2021-12-24")), "Christmas observed");
        assert!(h.contains(&d("2021-12-31")), "New Year 2022 observed");
        assert!(!us_federal_holidays(2020).contains(&d("2020-06-19")));
    }

    #[test]
    fn ten_business_days() {
        // Thursday 2021-06-10: skips two weekends and Juneteenth (Friday 18 June).
        assert_eq!(add_us_business_days(d("2021-06-10"), 10), d("2021-06-25"));
        assert_eq!(add_us_business_days(d("2021-12-09"), 10), d("2021-12-23"));
        // From a Saturday.
        assert_eq!(add_us_business_days(d("2021-06-05"), 1), d("2021-06-07"));
    }
}
