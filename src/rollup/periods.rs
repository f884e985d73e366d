//! Periods: which period of each level an inspection falls in, as a
//! number that counts periods in order (consecutive months differ by one),
//! and the period's name in a report.

use jiff::civil::Date;

use crate::check::model::Calendar;
use crate::language::Language;

/// A period of a level: a calendar period counted from year 0, or a
/// field's value by its place in the level's order of values.
pub type PeriodId = i64;

/// The calendar period `date` falls in, as a count of such periods.
pub fn calendar_period(calendar: Calendar, date: Date) -> PeriodId {
    let year = i64::from(date.year());
    let month = i64::from(date.month()) - 1;
    match calendar {
        Calendar::Year => year,
        Calendar::Quarter => year * 4 + month / 3,
        Calendar::Month => year * 12 + month,
        // Weeks from the Monday 1970-01-05 (day 4 of the Unix days).
        Calendar::Week => (day_number(date) - 4).div_euclid(7),
    }
}

/// Days since 1970-01-01 (negative before), by the civil-from-days
/// arithmetic of the proleptic Gregorian calendar.
fn day_number(date: Date) -> i64 {
    let (month, day) = (i64::from(date.month()), i64::from(date.day()));
    let year = i64::from(date.year()) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The name of a calendar period: `2015-03`, `2015-Q1`, `2015-W07`, `2015`
/// in English; `2015年3月`, `2015年第1季度`, `2015年第7週`, `2015年` in Chinese.
pub fn calendar_name(calendar: Calendar, period: PeriodId, language: Language) -> String {
    let chinese = language.is_chinese();
    match calendar {
        Calendar::Year if chinese => format!("{period}年"),
        Calendar::Year => period.to_string(),
        Calendar::Quarter => {
            let (year, quarter) = (period.div_euclid(4), period.rem_euclid(4) + 1);
            if chinese {
                format!("{year}年第{quarter}季度")
            } else {
                format!("{year}-Q{quarter}")
            }
        }
        Calendar::Month => {
            let (year, month) = (period.div_euclid(12), period.rem_euclid(12) + 1);
            if chinese {
                format!("{year}年{month}月")
            } else {
                format!("{year}-{month:02}")
            }
        }
        Calendar::Week => {
            let monday = Date::constant(1970, 1, 5)
                .checked_add(jiff::Span::new().days(period.saturating_mul(7)))
                .unwrap_or(Date::MIN);
            let week = monday.iso_week_date();
            let (year, number) = (week.year(), week.week());
            match language {
                Language::English => format!("{year}-W{number:02}"),
                Language::Simplified => format!("{year}年第{number}周"),
                Language::Traditional => format!("{year}年第{number}週"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i16, m: i8, d: i8) -> Date {
        Date::constant(y, m, d)
    }

    #[test]
    fn consecutive_periods_differ_by_one() {
        let dec = calendar_period(Calendar::Month, date(2014, 12, 31));
        let jan = calendar_period(Calendar::Month, date(2015, 1, 1));
        assert_eq!(jan - dec, 1);
        let q4 = calendar_period(Calendar::Quarter, date(2014, 11, 1));
        let q1 = calendar_period(Calendar::Quarter, date(2015, 3, 31));
        assert_eq!(q1 - q4, 1);
        // 2015-01-04 is a Sunday, 2015-01-05 the Monday after it.
        let sunday = calendar_period(Calendar::Week, date(2015, 1, 4));
        let monday = calendar_period(Calendar::Week, date(2015, 1, 5));
        assert_eq!(monday - sunday, 1);
        assert_eq!(calendar_period(Calendar::Week, date(2014, 12, 29)), sunday);
        assert_eq!(day_number(date(1970, 1, 1)), 0);
        assert_eq!(day_number(date(2000, 3, 1)), 11_017);
        assert_eq!(day_number(date(1969, 12, 31)), -1);
    }

    #[test]
    fn periods_are_named_in_the_language() {
        let march = calendar_period(Calendar::Month, date(2015, 3, 9));
        assert_eq!(
            calendar_name(Calendar::Month, march, Language::English),
            "2015-03"
        );
        assert_eq!(
            calendar_name(Calendar::Month, march, Language::Traditional),
            "2015年3月"
        );
        let q2 = calendar_period(Calendar::Quarter, date(2015, 6, 30));
        assert_eq!(
            calendar_name(Calendar::Quarter, q2, Language::English),
            "2015-Q2"
        );
        let week = calendar_period(Calendar::Week, date(2015, 1, 1));
        assert_eq!(
            calendar_name(Calendar::Week, week, Language::English),
            "2015-W01"
        );
        assert_eq!(
            calendar_name(Calendar::Week, week, Language::Simplified),
            "2015年第1周"
        );
        let year = calendar_period(Calendar::Year, date(2015, 1, 1));
        assert_eq!(
            calendar_name(Calendar::Year, year, Language::Traditional),
            "2015年"
        );
    }
}
