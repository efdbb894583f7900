//! Reminders about mines behind their 矿区生态修复方案's schedule (《规划》六（二）1（2）
//! 边开采、边治理; the rule in the restoration schedule module): at the end of the last finished
//! year, the cumulative 复垦（治理）面积 of the mine's annual reports filed by today is below the
//! approved plan's cumulative yearly plan. A year whose report does not give the area leaves
//! the verdict 无法判定 (no reminder). Dated 31 December of that year. A mine closed (闭坑) by
//! today is not reminded: its obligation ended with the 治理验收 its closure required
//! (《规划》六（二）3).

use super::{Reminder, ReminderInput, ReminderKind, reminder};
use crate::date::Date;
use crate::register::annual_report::AnnualReport;
use crate::restoration::schedule::{YearActual, schedule_rows};

/// Adds the reminders of the mines with an approved plan in `input.restoration_plans`.
pub(super) fn remind(input: &ReminderInput<'_>, filed: &[&AnnualReport], out: &mut Vec<Reminder>) {
    let year = input.today.year() - 1;
    for (mine, plan) in input.restoration_plans {
        let closed = input.histories.iter().any(|h| {
            h.state_on(input.today)
                .is_some_and(|s| s.mine_id == Some(*mine) && s.closure.is_some())
        });
        if closed {
            continue;
        }
        let mine_reports: Vec<&&AnnualReport> =
            filed.iter().filter(|r| r.mine_id == *mine).collect();
        let actuals: Vec<YearActual> = mine_reports
            .iter()
            .map(|r| YearActual {
                year: r.year,
                disturbed_ha: r.disturbed_ha,
                restored_ha: r.restored_ha,
            })
            .collect();
        let rows = schedule_rows(plan, &actuals, year);
        let Some(last) = rows.last().filter(|r| r.year == year) else {
            continue;
        };
        let (Some(short), Some(done)) = (last.shortfall_ha(), last.restored_cum_ha) else {
            continue;
        };
        let report = mine_reports.iter().find(|r| r.year == year);
        let name = input
            .mines
            .get(mine)
            .cloned()
            .unwrap_or_else(|| format!("矿山 {mine}"));
        let n = |v: f64| crate::citation::format_number((v * 10_000.0).round() / 10_000.0);
        let r = reminder(
            ReminderKind::RestorationBehind,
            false,
            name,
            format!(
                "{year} 年末累计复垦（治理）面积 {} 公顷，低于矿区生态修复方案累计计划 {} 公顷（差 {} 公顷），未做到边开采、边治理（《规划》六（二）1（2））",
                n(done),
                n(last.planned_cum_ha),
                n(short)
            ),
            Some(Date::end_of_year(year)),
            input.today,
        );
        out.push(Reminder {
            credit_code: report.and_then(|r| r.credit_code.clone()),
            right_id: report.map(|r| r.right_id.clone()),
            mine_id: Some(*mine),
            ..r
        });
    }
}
