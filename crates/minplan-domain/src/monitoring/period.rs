//! Where a year stands: inside or outside the plan period, finished or not on `today`; and
//! the notice every page and review carries once the plan period has ended. Pure: `today` is
//! passed in (the clock is read by the store or the web layer).

use crate::date::Date;
use serde::Serialize;

/// How a year stands against the plan period and the calendar on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearStanding {
    /// The year lies outside the plan period (规划期外，不评价): its values are shown but not
    /// scored against the plan's targets.
    pub out_of_period: bool,
    /// `today` is on or before 31 December of the year (年度未结束): its values are those so
    /// far and are not scored as the year's result.
    pub unfinished: bool,
    /// `today` is before 1 January of the year (年度未开始): no report is owed for it yet and
    /// a register figure is the one as on `today`.
    pub not_started: bool,
}

impl YearStanding {
    /// The standing of `year` for a plan of `period_start..=period_end` on `today`.
    ///
    /// # Examples
    /// ```
    /// use minplan_domain::date::Date;
    /// use minplan_domain::monitoring::YearStanding;
    /// let today = Date::new(2026, 12, 6).unwrap();
    /// let s = YearStanding::of(2021, 2025, 2026, today);
    /// assert!(s.out_of_period && s.unfinished);
    /// assert_eq!(YearStanding::of(2021, 2025, 2025, today), YearStanding::default());
    /// ```
    pub fn of(period_start: i32, period_end: i32, year: i32, today: Date) -> YearStanding {
        YearStanding {
            out_of_period: year < period_start || year > period_end,
            unfinished: today <= Date::end_of_year(year),
            not_started: today < Date::start_of_year(year),
        }
    }

    /// Whether the year's values may be scored against the plan's targets.
    pub fn scored(&self) -> bool {
        !self.out_of_period && !self.unfinished
    }

    /// The sentence saying why the year is not scored (empty when it is), e.g.
    /// `2026年在规划期（2021—2025年）之外，数值仅供参考，不按规划目标评价；2026年度尚未结束，数值为截至2026年12月6日的数，不作为年度结果评价。`
    pub fn note(&self, period_start: i32, period_end: i32, year: i32, today: Date) -> String {
        let mut s = String::new();
        if self.out_of_period {
            s.push_str(&format!(
                "{year}年在规划期（{period_start}—{period_end}年）之外，数值仅供参考，不按规划目标评价（规划期外，不评价）"
            ));
        }
        if self.unfinished {
            if !s.is_empty() {
                s.push('；');
            }
            if self.not_started {
                s.push_str(&format!(
                    "{year}年度尚未开始（年度未开始），登记簿数值为截至{}的数，不作为年度结果评价",
                    today.chinese()
                ));
            } else {
                s.push_str(&format!(
                    "{year}年度尚未结束，数值为截至{}的数，不作为年度结果评价（年度未结束）",
                    today.chinese()
                ));
            }
        }
        if !s.is_empty() {
            s.push('。');
        }
        s
    }
}

/// The notice of an ended plan period: `Some` when `today` is after the plan's last year and
/// no successor plan (a plan of the same unit whose period starts after this one's) is loaded.
/// `successor` names a successor that is loaded but not active (then the notice says the old
/// plan is still used until it is activated).
///
/// # Examples
/// ```
/// use minplan_domain::date::Date;
/// use minplan_domain::monitoring::plan_period_notice;
/// let t = Date::new(2026, 12, 6).unwrap();
/// let n = plan_period_notice("绥芬河市矿产资源总体规划（2021—2025年）", 2021, 2025, t, None).unwrap();
/// assert!(n.contains("（2021—2025年）已于2025年结束"));
/// assert_eq!(plan_period_notice("某规划", 2021, 2025, Date::new(2025, 12, 31).unwrap(), None), None);
/// ```
pub fn plan_period_notice(
    plan_name: &str,
    period_start: i32,
    period_end: i32,
    today: Date,
    successor: Option<&str>,
) -> Option<String> {
    if today <= Date::end_of_year(period_end) {
        return None;
    }
    Some(match successor {
        None => format!(
            "{plan_name}的规划期（{period_start}—{period_end}年）已于{period_end}年结束，尚未导入新一轮规划：本系统仍按该规划审查和监测，{period_end}年以后的年度不按其目标评价。"
        ),
        Some(next) => format!(
            "{plan_name}的规划期（{period_start}—{period_end}年）已于{period_end}年结束；新一轮规划“{next}”已导入但尚未启用，本系统仍按原规划审查和监测。"
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::new(y, m, day).unwrap()
    }

    #[test]
    fn standing_of_years() {
        let today = d(2026, 12, 6);
        assert_eq!(
            YearStanding::of(2021, 2025, 2026, today),
            YearStanding {
                out_of_period: true,
                unfinished: true,
                not_started: false,
            }
        );
        assert!(YearStanding::of(2021, 2025, 2025, today).scored());
        let s = YearStanding::of(2021, 2025, 2020, today);
        assert!(s.out_of_period && !s.unfinished);
        // The last day of the year is still inside it; the first of the next is not.
        assert!(YearStanding::of(2021, 2025, 2025, d(2025, 12, 31)).unfinished);
        assert!(!YearStanding::of(2021, 2025, 2025, d(2026, 1, 1)).unfinished);
        let note = YearStanding::of(2021, 2025, 2026, today).note(2021, 2025, 2026, today);
        assert!(note.contains("规划期外，不评价"), "{note}");
        assert!(note.contains("截至2026年12月6日"), "{note}");
    }

    #[test]
    fn period_notice_only_after_the_last_year_without_successor() {
        assert_eq!(
            plan_period_notice("甲", 2021, 2025, d(2025, 12, 31), None),
            None
        );
        let n = plan_period_notice("甲", 2021, 2025, d(2026, 1, 1), None).unwrap();
        assert!(
            n.contains("已于2025年结束") && n.contains("尚未导入新一轮规划"),
            "{n}"
        );
        let n = plan_period_notice("甲", 2021, 2025, d(2026, 1, 1), Some("乙")).unwrap();
        assert!(n.contains("“乙”已导入但尚未启用"), "{n}");
    }
}
