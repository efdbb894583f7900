//! Reminders about annual reports (开发利用年度报告): due (deadline not passed, urgent
//! within 15 days) or overdue, for every year of the plan period before today's.

use super::{Reminder, ReminderInput, ReminderKind, reminder};
use crate::application::RightKind;
use crate::date::Date;
use crate::monitoring::mines_required::mines_required;
use crate::register::RightHistory;
use crate::register::annual_report::{AnnualReport, due_date};
use std::collections::BTreeMap;

/// Adds a reminder for each mine that owed a report for a plan year before today's and has
/// not filed it (`filed`: the reports filed up to today).
pub(super) fn remind(
    input: &ReminderInput<'_>,
    known: &[RightHistory],
    filed: &[&AnnualReport],
    out: &mut Vec<Reminder>,
) {
    let today = input.today;
    let mut by_mine: BTreeMap<i64, Vec<&RightHistory>> = BTreeMap::new();
    for h in known {
        if let Some(m) = h.events.iter().rev().find_map(|e| e.state.mine_id) {
            by_mine.entry(m).or_default().push(h);
        }
    }
    for year in input.plan.identity.period_start..today.year() {
        for mine in mines_required(&by_mine, year) {
            if filed.iter().any(|r| r.mine_id == mine && r.year == year) {
                continue;
            }
            let due = due_date(year);
            let name = input
                .mines
                .get(&mine)
                .cloned()
                .unwrap_or_else(|| format!("矿山 {mine}"));
            let right = by_mine[&mine]
                .iter()
                .rev()
                .find(|h| {
                    h.current().kind == RightKind::Mining
                        && h.valid_during(Date::start_of_year(year), Date::end_of_year(year))
                })
                .map(|h| (h.id.clone(), h.current().credit_code.clone()));
            let (right_id, code) = right.map_or((None, None), |(i, c)| (Some(i), c));
            let r = if today <= due {
                reminder(
                    ReminderKind::ReportDue,
                    due.days_since(today) <= 15,
                    name.clone(),
                    format!(
                        "{name} {year} 年度开发利用年度报告应于 {due} 前报送（还有 {} 天）",
                        due.days_since(today)
                    ),
                    Some(due),
                    today,
                )
            } else {
                reminder(
                    ReminderKind::ReportOverdue,
                    true,
                    name.clone(),
                    format!(
                        "{name} {year} 年度开发利用年度报告逾期未报（截止 {due}，已逾期 {} 天）",
                        today.days_since(due)
                    ),
                    Some(due),
                    today,
                )
            };
            out.push(Reminder {
                credit_code: code,
                right_id,
                mine_id: Some(mine),
                ..r
            });
        }
    }
}
