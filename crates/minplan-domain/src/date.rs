//! Calendar dates (公历日期) without a clock: `YYYY-MM-DD`, ordered, with day arithmetic.
//!
//! The register and the reports reason about licence periods (有效期), event dates and
//! report deadlines (31 March of the following year); callers pass "today" in.
//!
//! # Examples
//! ```
//! use minplan_domain::date::Date;
//! let d = Date::parse("2025-03-31").unwrap();
//! assert_eq!(d.add_days(1).to_string(), "2025-04-01");
//! assert_eq!(Date::parse("2025-05-20").unwrap().days_since(d), 50);
//! assert!(Date::parse("2025-02-30").is_err());
//! ```

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A proleptic Gregorian calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// A text that is not a date `YYYY-MM-DD`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("日期“{0}”应写作 YYYY-MM-DD（如 2025-03-31），且须是存在的日期")]
pub struct BadDate(pub String);

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// The date, when it exists.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (also `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYY年M月D日`, and the date
    /// part of an RFC 3339 time).
    ///
    /// # Errors
    /// [`BadDate`] with the text.
    pub fn parse(s: &str) -> Result<Date, BadDate> {
        let t = s.trim();
        let t = t
            .get(..10)
            .filter(|_| t.len() > 10 && t.as_bytes()[10] == b'T')
            .unwrap_or(t);
        let norm: String = t
            .chars()
            .map(|c| match c {
                '/' | '.' | '年' | '月' => '-',
                '日' => ' ',
                c => c,
            })
            .collect();
        let parts: Vec<&str> = norm.trim().split('-').collect();
        let bad = || BadDate(s.to_string());
        if parts.len() != 3 || parts[0].len() != 4 {
            return Err(bad());
        }
        let y: i32 = parts[0].parse().map_err(|_| bad())?;
        let m: u8 = parts[1].parse().map_err(|_| bad())?;
        let d: u8 = parts[2].parse().map_err(|_| bad())?;
        Date::new(y, m, d).ok_or_else(bad)
    }

    /// Year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// Month, 1–12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// Day of the month.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// 1 January of `year`.
    pub fn start_of_year(year: i32) -> Date {
        Date {
            year,
            month: 1,
            day: 1,
        }
    }

    /// 31 December of `year`.
    pub fn end_of_year(year: i32) -> Date {
        Date {
            year,
            month: 12,
            day: 31,
        }
    }

    /// Days since 1970-01-01 (negative before).
    pub fn to_days(&self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` after 1970-01-01.
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = yoe + era * 400 + i64::from(m <= 2);
        Date {
            year: y as i32,
            month: m,
            day: d,
        }
    }

    /// The date `n` days later (earlier for negative `n`).
    pub fn add_days(&self, n: i64) -> Date {
        Date::from_days(self.to_days() + n)
    }

    /// Days from `earlier` to `self` (negative when `self` is earlier).
    pub fn days_since(&self, earlier: Date) -> i64 {
        self.to_days() - earlier.to_days()
    }

    /// `2025年3月31日`.
    pub fn chinese(&self) -> String {
        format!("{}年{}月{}日", self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_days() {
        for (s, days) in [
            ("1970-01-01", 0),
            ("2000-03-01", 11_017),
            ("2024-02-29", 19_782),
            ("2025-03-31", 20_178),
        ] {
            let d = Date::parse(s).unwrap();
            assert_eq!(d.to_days(), days, "{s}");
            assert_eq!(Date::from_days(days), d);
        }
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2024-13-01").is_err());
        assert_eq!(
            Date::parse("2025年3月31日").unwrap(),
            Date::new(2025, 3, 31).unwrap()
        );
        assert_eq!(
            Date::parse("2026-11-30T05:51:29Z").unwrap().to_string(),
            "2026-11-30"
        );
    }
}
