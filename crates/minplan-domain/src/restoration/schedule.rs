//! 三同时 and 边开采边治理 (《规划》六（二）1（1）（2）): the 开发利用方案 and the 矿区生态修复方案
//! (矿山地质环境保护与土地复垦方案) of each mine, filed, approved and linked to the
//! registration, and the yearly disturbed vs restored area against the plan's schedule.
//! (Being built; [`ApprovedRestorationPlan`] is shared with the fund ledger.)

use serde::Serialize;

/// What the fund ledger reads of a mine's approved 矿区生态修复方案: its budget spread over
/// its service years (the `PlanBudget` method of the amount due), and its yearly schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovedRestorationPlan {
    /// The plan's total budget for 治理恢复 and 复垦, 万元.
    pub budget_wan_yuan: f64,
    /// First calendar year of the plan's service period.
    pub from_year: i32,
    /// Service years (适用年限), ≥ 1.
    pub service_years: u32,
    /// Planned area restored each year, (year, 公顷), in year order.
    pub yearly_restoration_ha: Vec<(i32, f64)>,
}
