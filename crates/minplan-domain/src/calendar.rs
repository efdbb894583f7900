//! 工作日历: working days under the State Council's yearly holiday arrangement
//! (国务院办公厅关于部分节假日安排的通知) — 法定节假日 are not working days, 调休 weekend days
//! are. Deadlines that the rules state in working days (责令整改期限, 公示 within 20 个工作日,
//! 在审超过 20 个工作日) count through [`WorkCalendar`].
//!
//! The built-in years are 2024–2026, copied from 国办发明电〔2023〕7号, 国办发明电〔2024〕12号
//! and the notice of 2025-11-04 on 2026; the bureau adds or corrects a year
//! ([`YearArrangement::parse`]). A year the calendar does not hold is counted Monday–Friday and
//! *named* in the answer ([`Counted::unknown_years`]), never silently.
//!
//! # Examples
//! ```
//! use minplan_domain::calendar::WorkCalendar;
//! use minplan_domain::date::Date;
//! let cal = WorkCalendar::builtin();
//! let d = |s| Date::parse(s).unwrap();
//! // 2026 春节: 2-15..2-23 off, Saturday 2-14 and 2-28 are working days.
//! assert!(cal.is_working_day(d("2026-02-14")).value);
//! assert!(!cal.is_working_day(d("2026-02-16")).value);
//! assert_eq!(cal.working_days_between(d("2026-02-13"), d("2026-02-24")).value, 2);
//! ```

use crate::date::Date;
use std::collections::BTreeMap;

/// One year's arrangement: the days off beyond weekends (放假, weekend days inside a holiday
/// may be listed or not) and the weekend days that are working days (调休上班).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct YearArrangement {
    /// 公历年.
    pub year: i32,
    /// 放假日期, ascending, each within `year`.
    pub holidays: Vec<Date>,
    /// 调休上班的周末日期, ascending, each within `year`.
    pub working_weekends: Vec<Date>,
    /// Where it comes from (the notice's title or 文号), as people write it.
    pub source: String,
}

/// A value counted with the calendar, and the years it had to count Monday–Friday because
/// their arrangement is not entered (节假日安排未录入).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted<T> {
    /// The answer.
    pub value: T,
    /// Years outside the calendar, ascending, without repeats; empty when exact.
    pub unknown_years: Vec<i32>,
}

impl<T> Counted<T> {
    /// The people's note for the unknown years: `2027年节假日安排未录入，按周一至周五计`;
    /// `None` when the value is exact.
    pub fn note(&self) -> Option<String> {
        if self.unknown_years.is_empty() {
            return None;
        }
        let years: Vec<String> = self
            .unknown_years
            .iter()
            .map(|y| format!("{y}年"))
            .collect();
        Some(format!(
            "{}节假日安排未录入，按周一至周五计",
            years.join("、")
        ))
    }
}

/// The working-day calendar: years of arrangements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    years: BTreeMap<i32, YearArrangement>,
}

/// The weekday of a date, 0 = Monday … 6 = Sunday.
pub fn weekday(d: Date) -> u8 {
    // 1970-01-01 was a Thursday (3).
    ((d.to_days() + 3).rem_euclid(7)) as u8
}

fn range(from: (i32, u8, u8), to: (u8, u8)) -> Vec<Date> {
    let start = Date::new(from.0, from.1, from.2).expect("built-in date");
    let end = Date::new(from.0, to.0, to.1).expect("built-in date");
    (0..=end.days_since(start))
        .map(|i| start.add_days(i))
        .collect()
}

fn days(year: i32, md: &[(u8, u8)]) -> Vec<Date> {
    md.iter()
        .map(|&(m, d)| Date::new(year, m, d).expect("built-in date"))
        .collect()
}

fn builtin_year(
    year: i32,
    off: &[((u8, u8), (u8, u8))],
    work: &[(u8, u8)],
    source: &str,
) -> YearArrangement {
    let mut holidays: Vec<Date> = off
        .iter()
        .flat_map(|&((m1, d1), to)| range((year, m1, d1), to))
        .collect();
    holidays.sort();
    YearArrangement {
        year,
        holidays,
        working_weekends: days(year, work),
        source: source.to_string(),
    }
}

impl WorkCalendar {
    /// The years 2024–2026 as the State Council arranged them.
    pub fn builtin() -> WorkCalendar {
        let mut cal = WorkCalendar::default();
        // 国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）.
        cal.set(builtin_year(
            2024,
            &[
                ((1, 1), (1, 1)),
                ((2, 10), (2, 17)),
                ((4, 4), (4, 6)),
                ((5, 1), (5, 5)),
                ((6, 10), (6, 10)),
                ((9, 15), (9, 17)),
                ((10, 1), (10, 7)),
            ],
            &[(2, 4), (2, 18), (4, 7), (4, 28), (5, 11), (9, 14), (9, 29), (10, 12)],
            "国务院办公厅关于2024年部分节假日安排的通知（国办发明电〔2023〕7号）",
        ));
        // 国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）.
        cal.set(builtin_year(
            2025,
            &[
                ((1, 1), (1, 1)),
                ((1, 28), (2, 4)),
                ((4, 4), (4, 6)),
                ((5, 1), (5, 5)),
                ((5, 31), (6, 2)),
                ((10, 1), (10, 8)),
            ],
            &[(1, 26), (2, 8), (4, 27), (9, 28), (10, 11)],
            "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号）",
        ));
        // 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）.
        cal.set(builtin_year(
            2026,
            &[
                ((1, 1), (1, 3)),
                ((2, 15), (2, 23)),
                ((4, 4), (4, 6)),
                ((5, 1), (5, 5)),
                ((6, 19), (6, 21)),
                ((9, 25), (9, 27)),
                ((10, 1), (10, 7)),
            ],
            &[(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)],
            "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）",
        ));
        cal
    }

    /// Adds or replaces one year's arrangement.
    pub fn set(&mut self, year: YearArrangement) {
        self.years.insert(year.year, year);
    }

    /// The arrangements held, by year.
    pub fn years(&self) -> impl Iterator<Item = &YearArrangement> {
        self.years.values()
    }

    /// The arrangement of `year`, when held.
    pub fn year(&self, year: i32) -> Option<&YearArrangement> {
        self.years.get(&year)
    }

    fn working(&self, d: Date) -> Option<bool> {
        let y = self.years.get(&d.year())?;
        if y.working_weekends.binary_search(&d).is_ok() {
            return Some(true);
        }
        if y.holidays.binary_search(&d).is_ok() {
            return Some(false);
        }
        Some(weekday(d) < 5)
    }

    /// Whether `d` is a working day; a year not held counts Monday–Friday and is named.
    pub fn is_working_day(&self, d: Date) -> Counted<bool> {
        match self.working(d) {
            Some(w) => Counted {
                value: w,
                unknown_years: vec![],
            },
            None => Counted {
                value: weekday(d) < 5,
                unknown_years: vec![d.year()],
            },
        }
    }

    /// Working days after `from` up to and including `to` (0 when `to` is not after `from`).
    /// Bounded to 20 years of days.
    pub fn working_days_between(&self, from: Date, to: Date) -> Counted<i64> {
        let mut unknown = Vec::new();
        let span = to.days_since(from).clamp(0, 7305);
        let mut n = 0;
        for i in 1..=span {
            let d = from.add_days(i);
            let w = self.is_working_day(d);
            n += i64::from(w.value);
            unknown.extend(w.unknown_years);
        }
        unknown.dedup();
        Counted {
            value: n,
            unknown_years: unknown,
        }
    }

    /// The `n`-th working day after `from` (`from` itself for `n` ≤ 0): the deadline of a
    /// period of `n` working days that starts the day after `from` (《行政处罚法》's counting
    /// of periods stated in working days).
    pub fn add_working_days(&self, from: Date, n: i64) -> Counted<Date> {
        let mut unknown = Vec::new();
        let mut d = from;
        let mut left = n.min(5000);
        while left > 0 {
            d = d.add_days(1);
            let w = self.is_working_day(d);
            unknown.extend(w.unknown_years);
            if w.value {
                left -= 1;
            }
        }
        unknown.dedup();
        Counted {
            value: d,
            unknown_years: unknown,
        }
    }
}

/// A line of a year's arrangement that cannot be read, with its line number (from 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("第 {line} 行：{message}")]
pub struct ArrangementProblem {
    /// Line number, from 1.
    pub line: usize,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl YearArrangement {
    /// Reads a year's arrangement as the bureau writes it, one statement per line:
    /// `放假 2027-02-05 至 2027-02-13` (or a single date), `上班 2027-02-14`; blank lines and
    /// lines starting with `#` are skipped. A 上班 day must be a Saturday or Sunday, every date
    /// must lie in `year`, and a day cannot be both.
    ///
    /// # Errors
    /// Every unreadable line, named by its number.
    pub fn parse(
        year: i32,
        text: &str,
        source: &str,
    ) -> Result<YearArrangement, Vec<ArrangementProblem>> {
        let mut problems = Vec::new();
        let mut holidays = Vec::new();
        let mut work = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let t = raw.trim();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            let mut bad = |message: String| problems.push(ArrangementProblem { line, message });
            let (word, rest) = match t.split_once(char::is_whitespace) {
                Some((w, r)) => (w.trim(), r.trim()),
                None => (t, ""),
            };
            let is_off = match word {
                "放假" | "休息" => true,
                "上班" | "调休上班" => false,
                other => {
                    bad(format!("“{other}”应为“放假”或“上班”"));
                    continue;
                }
            };
            let parts: Vec<&str> = rest
                .split(['至', '~', '～'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            let dates: Vec<Date> = match parts
                .iter()
                .map(|p| Date::parse(p))
                .collect::<Result<Vec<_>, _>>()
            {
                Ok(d) if (1..=2).contains(&d.len()) => d,
                Ok(_) => {
                    bad("应写一个日期或“起 至 止”两个日期".to_string());
                    continue;
                }
                Err(e) => {
                    bad(e.to_string());
                    continue;
                }
            };
            let (start, end) = (dates[0], *dates.last().unwrap_or(&dates[0]));
            if start.year() != year || end.year() != year {
                bad(format!("日期应在 {year} 年内"));
                continue;
            }
            if end < start {
                bad("止日早于起日".to_string());
                continue;
            }
            let span: Vec<Date> = (0..=end.days_since(start))
                .map(|k| start.add_days(k))
                .collect();
            if is_off {
                holidays.extend(span);
            } else {
                for d in span {
                    if weekday(d) < 5 {
                        bad(format!("{} 是工作日，无须写作调休上班", d.chinese()));
                    } else {
                        work.push(d);
                    }
                }
            }
        }
        holidays.sort();
        holidays.dedup();
        work.sort();
        work.dedup();
        for d in &work {
            if holidays.binary_search(d).is_ok() {
                problems.push(ArrangementProblem {
                    line: 0,
                    message: format!("{} 既写作放假又写作上班", d.chinese()),
                });
            }
        }
        if problems.is_empty() {
            Ok(YearArrangement {
                year,
                holidays,
                working_weekends: work,
                source: source.trim().to_string(),
            })
        } else {
            Err(problems)
        }
    }

    /// The arrangement in the text form [`YearArrangement::parse`] reads: consecutive days
    /// off as one `放假 起 至 止` line, then the `上班` lines.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut i = 0;
        while i < self.holidays.len() {
            let start = self.holidays[i];
            let mut j = i;
            while j + 1 < self.holidays.len()
                && self.holidays[j + 1].days_since(self.holidays[j]) == 1
            {
                j += 1;
            }
            if j == i {
                out.push_str(&format!("放假 {start}\n"));
            } else {
                out.push_str(&format!("放假 {start} 至 {}\n", self.holidays[j]));
            }
            i = j + 1;
        }
        for d in &self.working_weekends {
            out.push_str(&format!("上班 {d}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn weekdays_are_known() {
        assert_eq!(weekday(d("1970-01-01")), 3);
        assert_eq!(weekday(d("2026-12-06")), 6); // a Sunday
        assert_eq!(weekday(d("2026-02-14")), 5); // a Saturday
    }

    #[test]
    fn spring_festival_2026_with_its_working_saturdays() {
        let cal = WorkCalendar::builtin();
        // Friday 2-13 → Saturday 2-14 (调休上班) is 1; 2-15..2-23 off; Tuesday 2-24 is 2.
        assert_eq!(
            cal.working_days_between(d("2026-02-13"), d("2026-02-24"))
                .value,
            2
        );
        // Saturday 2-28 works too: 2-24..2-28 is Tue–Sat, five working days.
        assert_eq!(
            cal.working_days_between(d("2026-02-23"), d("2026-02-28"))
                .value,
            5
        );
        assert_eq!(cal.add_working_days(d("2026-02-12"), 2).value, d("2026-02-14"));
        assert_eq!(cal.add_working_days(d("2026-02-13"), 2).value, d("2026-02-24"));
    }

    #[test]
    fn national_day_2025_and_2026() {
        let cal = WorkCalendar::builtin();
        // 2025: Sunday 9-28 works, 10-1..10-8 off, Saturday 10-11 works.
        assert!(cal.is_working_day(d("2025-09-28")).value);
        assert!(!cal.is_working_day(d("2025-10-08")).value);
        assert!(cal.is_working_day(d("2025-10-11")).value);
        // Friday 9-26 + 10 working days: 9-28, 9-29, 9-30, 10-9, 10-10, 10-11, 10-13..10-16.
        assert_eq!(cal.add_working_days(d("2025-09-26"), 10).value, d("2025-10-16"));
        // 2026: Sunday 9-20 and Saturday 10-10 work, 10-1..10-7 off.
        assert!(cal.is_working_day(d("2026-09-20")).value);
        assert!(!cal.is_working_day(d("2026-10-07")).value);
        assert!(cal.is_working_day(d("2026-10-10")).value);
        assert_eq!(
            cal.working_days_between(d("2026-09-30"), d("2026-10-10"))
                .value,
            3
        );
    }

    #[test]
    fn a_year_not_held_is_named() {
        let cal = WorkCalendar::builtin();
        let c = cal.working_days_between(d("2026-12-30"), d("2027-01-05"));
        // 12-31 (Thu) and, Monday–Friday, 2027-01-01, 01-04, 01-05.
        assert_eq!(c.value, 4);
        assert_eq!(c.unknown_years, vec![2027]);
        assert_eq!(
            c.note().unwrap(),
            "2027年节假日安排未录入，按周一至周五计"
        );
        assert!(cal.working_days_between(d("2026-03-02"), d("2026-03-06")).note().is_none());
    }

    #[test]
    fn the_bureau_text_round_trips_and_refuses_what_it_cannot_read() {
        let cal = WorkCalendar::builtin();
        let y = cal.year(2026).unwrap();
        let again = YearArrangement::parse(2026, &y.to_text(), &y.source).unwrap();
        assert_eq!(&again, y);
        let e = YearArrangement::parse(
            2027,
            "放假 2027-02-05 至 2027-02-13\n上班 2027-02-15\n休假 2027-05-01\n放假 2026-10-01",
            "",
        )
        .unwrap_err();
        let lines: Vec<usize> = e.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 3, 4]);
        assert!(e[0].message.contains("是工作日"));
    }
}
