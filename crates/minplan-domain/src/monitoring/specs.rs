//! What is monitored: the plan's indicators, and the caps of 《规划》五（一） that 专栏2 does
//! not list.

use crate::citation::{Citation, format_number};
use crate::plan::{Comparison, IndicatorAttribute, Metric, Plan};
use crate::units::Unit;
use serde::Serialize;

/// What is monitored: a plan indicator, or a cap of 《规划》五（一） that 专栏2 does not list
/// (本级审批发证矿山数量).
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorSpec {
    /// Key (`output_value`, …; `mine_count_this_level` for the derived row).
    pub key: String,
    /// Name as in the plan.
    pub name: String,
    /// Name with its category, e.g. `主要矿产开采总量：建筑用石`.
    pub label: String,
    /// 规划目标 column of the evaluation: the goal of 《规划》三 it serves.
    pub group: String,
    /// Unit.
    pub unit: Unit,
    /// Target.
    pub target: f64,
    /// Comparison.
    pub comparison: Comparison,
    /// 预期性 / 约束性.
    pub attribute: IndicatorAttribute,
    /// What it measures.
    pub metric: Metric,
    /// Where the plan sets it.
    pub cite: Citation,
    /// Table (`专栏2`, `规划目标`, or `五（一）` for the derived row).
    pub table: String,
}

impl IndicatorSpec {
    /// The target as printed: `≤3`, `>33`.
    pub fn target_label(&self) -> String {
        format!("{}{}", self.comparison.symbol(), format_number(self.target))
    }
}

fn group_of(metric: &Metric, fallback: &str) -> String {
    match metric {
        Metric::OutputValue => "矿业经济总量".into(),
        Metric::NewDeposits => "矿产资源勘查".into(),
        Metric::MineCount
        | Metric::MineCountThisLevel
        | Metric::LargeMediumRatio
        | Metric::ExtractionTotal(_) => "矿产资源合理开发利用与保护".into(),
        Metric::WaterReuseRate => "绿色矿业发展".into(),
        Metric::Manual => fallback.to_string(),
    }
}

/// The monitored indicators of a plan: its indicators in bundle order, with 本级审批发证矿山数量
/// (《规划》五（一）) after 矿山企业数量 when the plan caps it and has no indicator for it.
pub fn indicator_specs(plan: &Plan) -> Vec<IndicatorSpec> {
    let mut out = Vec::new();
    let has_this_level = plan
        .indicators
        .iter()
        .any(|i| i.metric == Metric::MineCountThisLevel);
    for i in &plan.indicators {
        out.push(IndicatorSpec {
            key: i.key.clone(),
            name: i.name.clone(),
            label: i
                .category
                .as_ref()
                .map_or(i.name.clone(), |c| format!("{c}：{}", i.name)),
            group: group_of(&i.metric, i.category.as_deref().unwrap_or(&i.table)),
            unit: i.unit,
            target: i.target,
            comparison: i.comparison,
            attribute: i.attribute,
            metric: i.metric.clone(),
            cite: i.cite.clone(),
            table: i.table.clone(),
        });
        if i.metric == Metric::MineCount
            && !has_this_level
            && let Some(cap) = &plan.admission.mine_cap_this_level
        {
            out.push(IndicatorSpec {
                key: "mine_count_this_level".into(),
                name: "本级审批发证矿山数量".into(),
                label: "本级审批发证矿山数量".into(),
                group: group_of(&Metric::MineCountThisLevel, ""),
                unit: Unit::Ge,
                target: f64::from(cap.value),
                comparison: Comparison::Le,
                attribute: i.attribute,
                metric: Metric::MineCountThisLevel,
                cite: cap.cite.clone(),
                table: cap.cite.to_string(),
            });
        }
    }
    out
}
