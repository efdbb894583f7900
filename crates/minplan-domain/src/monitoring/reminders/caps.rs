//! Reminders about the plan's caps (《规划》五（一）, 专栏2): registered capacity and mine
//! counts today, and the previous year's extraction, against each cap — 超出上限 when above
//! it, 接近规划上限 from [`MonitoringConfig::warn_ratio`](crate::monitoring::MonitoringConfig)
//! of it.

use super::{Reminder, ReminderInput, ReminderKind, reminder};
use crate::citation::format_number;
use crate::monitoring::r6;
use crate::register::RightHistory;
use crate::register::annual_report::AnnualReport;
use crate::review::indicators::RegisterStats;
use crate::rights::MiningRight;

/// Adds a reminder for each cap at or above the warning share (`known`: histories up to
/// today; `filed`: the reports filed up to today).
pub(super) fn remind(
    input: &ReminderInput<'_>,
    known: &[RightHistory],
    filed: &[&AnnualReport],
    out: &mut Vec<Reminder>,
) {
    let today = input.today;
    let plan = input.plan;
    let register: Vec<MiningRight> = known
        .iter()
        .filter_map(|h| h.mining_right_on(today))
        .collect();
    let stats = RegisterStats::compute(plan, &register, input.scales);
    let warn = input.config.warn_ratio;
    let mut cap_check = |subject: String, what: &str, v: f64, cap: f64, unit: &str, cite: &str| {
        if v > cap {
            out.push(reminder(
                ReminderKind::CapExceeded,
                true,
                subject,
                format!(
                    "{what} {} {unit}，超过规划上限 {} {unit}（{cite}）",
                    format_number(v),
                    format_number(cap)
                ),
                None,
                today,
            ));
        } else if cap > 0.0 && v >= warn * cap {
            out.push(reminder(
                ReminderKind::CapNear,
                false,
                subject,
                format!(
                    "{what} {} {unit}，已达规划上限 {} {unit} 的 {}%（{cite}）",
                    format_number(v),
                    format_number(cap),
                    format_number((v / cap * 1000.0).round() / 10.0)
                ),
                None,
                today,
            ));
        }
    };
    for c in &plan.admission.extraction_caps {
        let licensed = stats.total(&c.mineral, c.unit).map_or(0.0, |t| t.valid);
        cap_check(
            c.mineral.clone(),
            &format!("{} 有效采矿权核定生产规模合计", c.mineral),
            r6(licensed),
            c.value,
            c.unit.symbol(),
            &plan.cite_label(&c.cite),
        );
    }
    let a = &plan.admission;
    if let Some(c) = &a.mine_cap_total {
        cap_check(
            "矿山企业数量".into(),
            "有效采矿权的矿山企业",
            stats.holders.len() as f64,
            f64::from(c.value),
            "家",
            &plan.cite_label(&c.cite),
        );
    }
    if let Some(c) = &a.mine_cap_this_level {
        cap_check(
            "本级审批发证矿山数量".into(),
            "本级审批发证的有效采矿权",
            stats.this_level as f64,
            f64::from(c.value),
            "家",
            &plan.cite_label(&c.cite),
        );
    }
    // The caps a plan writes beyond the v1 fields ([[caps]]): the register as it stands.
    for c in plan
        .admission
        .caps
        .iter()
        .filter(|c| !crate::review::caps::from_admission(c))
    {
        let Some((v, unknown)) = crate::review::caps::register_value(c, plan, &register) else {
            continue;
        };
        let name = crate::review::caps::display_name(c);
        let what = if unknown > 0 {
            format!("{name}（另有 {unknown} 宗无法判定是否计入）现为")
        } else {
            format!("{name}现为")
        };
        cap_check(
            name,
            &what,
            r6(v),
            c.value,
            c.unit.symbol(),
            &c.cite.to_string(),
        );
    }
    let last = today.year() - 1;
    for c in &plan.admission.extraction_caps {
        let v = r6(filed
            .iter()
            .filter(|r| {
                r.year == last
                    && plan.minerals.is_kind_of(&r.mineral, &c.mineral)
                    && r.unit.per_year() == Some(c.unit)
            })
            .map(|r| r.extraction)
            .sum());
        cap_check(
            c.mineral.clone(),
            &format!("{last} 年 {} 开采量（已报送年度报告合计）", c.mineral),
            v,
            c.value,
            c.unit.symbol(),
            &plan.cite_label(&c.cite),
        );
    }
}
