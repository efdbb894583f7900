//! Reminders about mines producing without a valid 安全生产许可证 (《规划》五（三）4: 证照齐全;
//! the rule in [`crate::register::licences`]): for every year with a report filed by today, each
//! mine that reported an extraction above zero while no 安全生产许可证 of it was valid on any
//! day of that year. Urgent, for 执法监察; dated 31 December of the year.

use super::{Reminder, ReminderInput, ReminderKind, reminder};
use crate::date::Date;
use crate::register::annual_report::AnnualReport;
use crate::register::licences::{SafetyCoverage, producing_without_safety_licence};
use std::collections::BTreeSet;

/// Adds the reminders of the reports `filed` (those filed by today).
pub(super) fn remind(input: &ReminderInput<'_>, filed: &[&AnnualReport], out: &mut Vec<Reminder>) {
    let years: BTreeSet<i32> = filed.iter().map(|r| r.year).collect();
    for year in years {
        for f in producing_without_safety_licence(filed, input.licences, year) {
            if f.coverage != SafetyCoverage::None {
                continue;
            }
            let r = reminder(
                ReminderKind::SafetyLicenceMissing,
                true,
                format!("{}（{}）", f.mine_name, f.right_id),
                format!(
                    "{year} 年度报告开采量 {}，但该年没有有效的安全生产许可证（《规划》五（三）4 证照齐全）",
                    f.extraction
                ),
                Some(Date::end_of_year(year)),
                input.today,
            );
            out.push(Reminder {
                credit_code: f.credit_code,
                right_id: Some(f.right_id),
                mine_id: Some(f.mine_id),
                ..r
            });
        }
    }
}
