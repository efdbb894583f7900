//! Plan monitoring (规划实施监测): the indicators of 专栏2 computed for any year from the
//! register and the annual reports, their status and projection; the implementation
//! evaluation (规划实施评估, 《规划》七（三）) in the layout of 专栏1; the draft annual plan
//! (规划实施年度计划, 七（二）); and the reminders of the 工作台.
//!
//! Rules (also in `docs/indicators.md`):
//!
//! * **Which rights count in a year**: those whose licence is in force on 31 December of it
//!   (年末在册; [`crate::register::RightHistory::state_on`]). The counts use the same
//!   `RegisterStats` as the review's R6/R7 and what-if, so the review and the indicators
//!   agree for the same register.
//! * **矿业总产值** (万元): Σ output value of the annual reports of the year.
//! * **矿山企业数量** (个): distinct holders (统一社会信用代码) of mining rights in force;
//!   **本级审批发证矿山数量**: those approved at this level (《规划》五（一）).
//! * **大中型矿山比例** (%): mines whose registered capacity is 大型 or 中型 by the production
//!   scale table (国土资发〔2004〕208号, editable; the table used is recorded; a capacity is
//!   converted to the unit of the mineral's row, 千立方米/年 → 万立方米/年) ÷ mines whose
//!   class is known × 100. Mines that cannot be classified (mineral not in the table, unit
//!   not convertible, no capacity) are counted and named in the note, and the status is
//!   需人工核查; when none can be classified the value is 无法判定 (none), not 0 or 100.
//! * **开采总量** of a mineral (万立方米/年 …): Σ extraction in the annual reports of the year
//!   of that mineral and its kinds (建筑用凝灰岩 counts as 建筑用石); the registered capacities
//!   (核定生产规模合计, what R7 checks) are given beside it.
//! * **Status**: for a cap (≤, <): 超出上限 when the value breaks it, 预警 from
//!   [`MonitoringConfig::warn_ratio`] (default 90 %) of it, else 正常. For a floor (≥, >, =):
//!   正常 when it holds; before the plan's last year 正常 also when the projection holds and
//!   预警 otherwise; in or after the last year 未达标. No value: 无数据. A value that leaves
//!   out what it should count (大中型矿山比例 with mines whose scale class cannot be
//!   determined): 需人工核查, whatever the value.
//! * **Not reported is its own state**: a value from the annual reports when none of the
//!   mines that owed one filed it is 未报送 (no value, never 0); from part of them it carries
//!   “n / m 座矿山已报送” and is 部分未报送，无法判定, never 正常/达标. A manual indicator with no
//!   entry is 未填报 ([`manual`]).
//! * **Years not scored** ([`period`]): a year outside the plan period is 规划期外，不评价; a
//!   year not over on `today` is 年度未结束 (its values so far). `today` is passed in.
//! * **Projection** (预期性 targets only, before the last year): the least-squares line
//!   through the values of the plan years up to the year, evaluated at the last year; one
//!   value projects as itself; never below 0, percentages never above 100.
//!
//! The parts, one file per step: [`specs`] (what is monitored), [`measure`] (one year's
//! values from the register and the reports), `status` (status and projection),
//! `assess` (a year's indicator report), `evaluation` (规划实施评估 in 专栏1's layout),
//! `mines_required` (which mines owe an annual report), `annual_plan` (the draft 年度计划)
//! and `reminders` (the 工作台's reminders).

pub mod annual_plan;
pub mod assess;
pub mod evaluation;
pub mod manual;
pub mod measure;
pub mod mines_required;
pub mod period;
pub mod reminders;
pub mod specs;
pub mod status;

pub use annual_plan::{
    AnnualPlanDraft, CapExcess, CapRoom, ExpiringRight, OpenBlock, RestorationItem, annual_plan,
    annual_plan_on,
};
pub use assess::{IndicatorReport, IndicatorValue, YearValue, assess, assess_on};
pub use evaluation::{Evaluation, EvaluationRow, evaluation};
pub use manual::{ManualEntry, entry_for, is_manual};
pub use measure::{
    Coverage, Measure, Source, YearMeasures, measure_year, measure_year_with, mineral_coverage,
    without_register,
};
pub use mines_required::{RequiredMine, mines_required, mines_required_with_minerals};
pub use period::{YearStanding, plan_period_notice};
pub use reminders::{EXPIRY_WINDOW_DAYS, Reminder, ReminderInput, ReminderKind, reminders};
pub use specs::{IndicatorSpec, indicator_specs};
pub use status::{projection, status};

use crate::plan::Comparison;
use serde::Serialize;

/// Monitoring parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MonitoringConfig {
    /// A cap is 预警 from this share of it (default 0.9 = 90 %).
    pub warn_ratio: f64,
}

impl Default for MonitoringConfig {
    fn default() -> Self {
        MonitoringConfig { warn_ratio: 0.9 }
    }
}

/// Status of an indicator in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 正常.
    OnTrack,
    /// 预警.
    Warning,
    /// 超出上限 (cap) / 未达标 (floor).
    Breached,
    /// 无数据.
    NoData,
    /// 需人工核查: the value leaves out what it should count (e.g. mines whose scale class
    /// cannot be determined), so whether the target holds is for a person to judge.
    ManualCheck,
    /// 未报送: the value rests on annual reports and none of the mines that owed one filed it.
    NotReported,
    /// 部分未报送: the value sums the reports of only some of the mines that owed one
    /// (“n / m 座矿山已报送”), so whether the target holds cannot be judged.
    PartlyReported,
    /// 规划期外，不评价: the year lies outside the plan period.
    OutOfPeriod,
    /// 年度未结束: the year is not over; its values so far are not scored.
    Unfinished,
    /// 年度未开始: the year has not begun on `today`; nothing is owed or scored for it yet.
    NotStarted,
    /// 未填报: a manual indicator with no entry for the year.
    NotEntered,
}

impl Status {
    /// Chinese label; a breached cap is 超出上限, a breached floor 未达标.
    pub fn label(&self, c: Comparison) -> &'static str {
        match self {
            Status::OnTrack => "正常",
            Status::Warning => "预警",
            Status::Breached if is_cap(c) => "超出上限",
            Status::Breached => "未达标",
            Status::NoData => "无数据",
            Status::ManualCheck => "需人工核查",
            Status::NotReported => "未报送",
            Status::PartlyReported => "部分未报送，无法判定",
            Status::OutOfPeriod => "规划期外，不评价",
            Status::Unfinished => "年度未结束",
            Status::NotStarted => "年度未开始",
            Status::NotEntered => "未填报",
        }
    }

    /// Whether the status scores the value against its target (正常, 预警, 超出上限/未达标);
    /// the others say why it is not scored.
    pub fn is_scored(&self) -> bool {
        matches!(self, Status::OnTrack | Status::Warning | Status::Breached)
    }
}

fn is_cap(c: Comparison) -> bool {
    matches!(c, Comparison::Le | Comparison::Lt)
}

/// Rounds to 6 decimals (sums of decimal figures print as written).
/// Never −0 (a projection or remainder clamped from a tiny negative would print as “-0”).
fn r6(v: f64) -> f64 {
    let r = (v * 1e6).round() / 1e6;
    if r == 0.0 { 0.0 } else { r }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r6_never_gives_negative_zero() {
        assert!(r6(-1e-9).is_sign_positive());
        assert!(r6(-0.0).is_sign_positive());
        assert_eq!(r6(1.23456789), 1.234568);
    }

    #[test]
    fn projection_is_least_squares() {
        // 2021..2024: 90, 390, 686, 890 → slope 1348 / 5 = 269.6, mean 514 at 2022.5;
        // 2025: 514 + 269.6 × 2.5 = 1188.
        let p = projection(
            &[(2021, 90.0), (2022, 390.0), (2023, 686.0), (2024, 890.0)],
            2025,
        )
        .unwrap();
        assert!((p - 1188.0).abs() < 1e-9, "{p}");
        assert_eq!(projection(&[], 2025), None);
    }
}
