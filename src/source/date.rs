//! Dates as editors write them in front matter: a day (`2024-04-26`) or a moment
//! (`2024-04-26T09:30:00+08:00`). A moment without an offset is taken as China time.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

use crate::args;
use crate::diagnostic::{Code, Coded, words};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(DateTime<FixedOffset>);

const CHINA_OFFSET_SECONDS: i32 = 8 * 3600;

impl Date {
    pub fn parse(text: &str) -> Result<Date, Coded> {
        let date = Date::parse_any_year(text)?;
        check_year(text.trim(), chrono::Datelike::year(&date.0))?;
        Ok(date)
    }

    fn parse_any_year(text: &str) -> Result<Date, Coded> {
        let text = text.trim();
        let china = FixedOffset::east_opt(CHINA_OFFSET_SECONDS).expect("+08:00 is a valid offset");
        if let Ok(dt) = DateTime::parse_from_rfc3339(text) {
            return Ok(Date(dt));
        }
        for format in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"] {
            if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
                return china
                    .from_local_datetime(&naive)
                    .single()
                    .map(Date)
                    .ok_or_else(|| {
                        (
                            Code::InvalidMoment,
                            args!(text = text, what = &words::MOMENT),
                        )
                    });
            }
        }
        if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
            return china
                .from_local_datetime(&midnight)
                .single()
                .map(Date)
                .ok_or_else(|| (Code::InvalidMoment, args!(text = text, what = &words::DAY)));
        }
        Err((Code::BadDate, args!(text = text)))
    }

    /// `2024-04-26`
    pub fn ymd(&self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }

    /// RFC 3339, as feeds and `<time datetime>` want it.
    pub fn rfc3339(&self) -> String {
        self.0.to_rfc3339()
    }

    /// `2024年4月26日`
    pub fn chinese(&self) -> String {
        self.0.format("%Y年%-m月%-d日").to_string()
    }

    /// `26 April 2024`
    pub fn english(&self) -> String {
        self.0.format("%-d %B %Y").to_string()
    }
}

/// Years 1 to 9999: feeds, sitemaps and `<time datetime>` write a year as four digits, and
/// there is no year 0 in the calendar they use.
fn check_year(text: &str, year: i32) -> Result<(), Coded> {
    if (1..=9999).contains(&year) {
        Ok(())
    } else {
        Err((
            Code::YearOutOfRange,
            args!(text = text, year = i64::from(year)),
        ))
    }
}

/// A date as precise as the editor knows it: a year (`1922`), a month (`1922-05`) or a day
/// (`1922-05-01`); for timeline events, which history often dates only to the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

impl PartialDate {
    pub fn parse(text: &str) -> Result<PartialDate, Coded> {
        let text = text.trim();
        let bad = || (Code::BadPartialDate, args!(text = text));
        let mut parts = text.splitn(3, '-');
        let year: i32 = parts
            .next()
            .filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|y| y.parse().ok())
            .ok_or_else(bad)?;
        let number = |p: Option<&str>| -> Result<Option<u32>, Coded> {
            match p {
                None => Ok(None),
                Some(p) if (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) => {
                    p.parse().map(Some).map_err(|_| bad())
                }
                Some(_) => Err(bad()),
            }
        };
        check_year(text, year)?;
        let month = number(parts.next())?;
        let day = number(parts.next())?;
        if month.is_some_and(|m| !(1..=12).contains(&m)) {
            return Err(bad());
        }
        if let (Some(m), Some(d)) = (month, day)
            && NaiveDate::from_ymd_opt(year, m, d).is_none()
        {
            return Err((Code::ImpossibleDate, args!(text = text)));
        }
        Ok(PartialDate { year, month, day })
    }

    /// `1922-05-01`, `1922-05` or `1922`, as `<time datetime>` wants it.
    pub fn machine(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// `1922年5月1日`, `1922年5月` or `1922年`.
    pub fn chinese(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{}年{m}月{d}日", self.year),
            (Some(m), None) => format!("{}年{m}月", self.year),
            _ => format!("{}年", self.year),
        }
    }

    /// `1 May 1922`, `May 1922` or `1922`.
    pub fn english(&self) -> String {
        const MONTHS: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let name = |m: u32| MONTHS[(m as usize).saturating_sub(1).min(11)];
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", name(m), self.year),
            (Some(m), None) => format!("{} {}", name(m), self.year),
            _ => self.year.to_string(),
        }
    }
}

/// The ISO form (`2024-05-08`, `2024-05`) of a day or month written the ways Chinese
/// editors often write one: `2024年5月8日`, `2024.5.8`, `2024/05/08`. `None` for anything
/// else; whether the day exists is left to the parsers above.
pub(crate) fn iso_form(text: &str) -> Option<String> {
    let text = text.trim();
    let parts: Vec<&str> = if let Some(rest) = text.strip_suffix('日') {
        let (year, rest) = rest.split_once('年')?;
        let (month, day) = rest.split_once('月')?;
        vec![year, month, day]
    } else if let Some(rest) = text.strip_suffix('月') {
        let (year, month) = rest.split_once('年')?;
        vec![year, month]
    } else {
        let separator = ['.', '/'].into_iter().find(|&c| text.contains(c))?;
        text.split(separator).collect()
    };
    fn digits(p: &str, widths: std::ops::RangeInclusive<usize>) -> Option<&str> {
        let p = p.trim();
        (widths.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())).then_some(p)
    }
    let year = digits(parts.first()?, 4..=4)?;
    let rest: Option<Vec<u32>> = parts[1..]
        .iter()
        .map(|p| digits(p, 1..=2)?.parse().ok())
        .collect();
    match rest?.as_slice() {
        [month] => Some(format!("{year}-{month:02}")),
        [month, day] => Some(format!("{year}-{month:02}-{day:02}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_forms_of_a_day_have_an_iso_form() {
        for (written, iso) in [
            ("2024年5月8日", Some("2024-05-08")),
            ("2024.5.8", Some("2024-05-08")),
            ("2024/05/08", Some("2024-05-08")),
            ("1922年5月", Some("1922-05")),
            ("2024年5月8", None),
            ("24.5.8", None),
            ("2024-05-08", None),
            ("昨天", None),
        ] {
            assert_eq!(iso_form(written).as_deref(), iso, "{written}");
        }
    }

    #[test]
    fn partial_dates_are_years_months_or_days() {
        let day = PartialDate::parse("1922-05-01").expect("day");
        assert_eq!(
            (day.machine(), day.chinese()),
            ("1922-05-01".into(), "1922年5月1日".into())
        );
        assert_eq!(
            PartialDate::parse("1922-05").expect("month").english(),
            "May 1922"
        );
        assert_eq!(
            PartialDate::parse("1925").expect("year").chinese(),
            "1925年"
        );
        assert!(PartialDate::parse("1925").ok() < PartialDate::parse("1925-01").ok());
        for bad in ["22", "1922-13", "1922-02-30", "一九二二", "1922/05"] {
            assert!(PartialDate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn accepts_days_and_moments() {
        assert_eq!(
            Date::parse("2024-04-26").expect("day").rfc3339(),
            "2024-04-26T00:00:00+08:00"
        );
        let d = Date::parse("2023-06-20T05:48:41+08:00").expect("moment");
        assert_eq!(d.chinese(), "2023年6月20日");
        assert_eq!(d.english(), "20 June 2023");
        assert_eq!(
            Date::parse("2024-01-02 08:00").expect("local").ymd(),
            "2024-01-02"
        );
    }

    #[test]
    fn rejects_words_and_impossible_days() {
        assert!(Date::parse("昨天").is_err());
        assert!(Date::parse("2024-02-30").is_err());
    }

    #[test]
    fn year_zero_and_years_before_it_are_refused_in_every_spelling() {
        for bad in [
            "0000-01-01",
            "-0001-01-01",
            "0000-01-01T00:00:00Z",
            "-0001-12-31T23:59:59+08:00",
            "0000-06-01 08:00",
            "+10000-01-01",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
        for bad in ["0000", "0000-05", "0000-05-01", "-0001", "-1"] {
            assert!(PartialDate::parse(bad).is_err(), "{bad}");
        }
        assert!(Date::parse("0001-01-01").is_ok());
        assert!(PartialDate::parse("0001").is_ok());
    }

    #[test]
    fn orders_by_instant() {
        let a = Date::parse("2024-01-01").expect("a");
        let b = Date::parse("2024-01-01T09:00:00+08:00").expect("b");
        assert!(a < b);
    }
}
