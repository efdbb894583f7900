//! The plan's indicators before and after approving an application (what-if): mine counts,
//! extraction totals per capped mineral, and 大中型矿山比例 by the production-scale table.
//! R6 and R7 use the same counts.

use super::{Facts, ReviewContext};
use crate::application::{ChangeKind, Quantity};
use crate::citation::{Citation, format_number};
use crate::plan::{ApprovalLevel, Comparison, Metric};
use crate::rights::{MiningRight, RightStatus};
use crate::units::Unit;
use serde::Serialize;
use std::collections::BTreeSet;

/// One indicator before and after approval.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorWhatIf {
    /// Indicator name, e.g. `矿山企业数量`.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Target as printed, e.g. `≤3`.
    pub target: String,
    /// Value now (valid rights only).
    pub before: Option<f64>,
    /// Value if this application is approved.
    pub after: Option<f64>,
    /// Whether the target holds now.
    pub holds_before: Option<bool>,
    /// Whether it holds after approval.
    pub holds_after: Option<bool>,
    /// Remark (e.g. mines whose scale class is unknown).
    pub note: String,
    /// Where the target is set.
    pub cite: Citation,
}

fn holder_key(r: &MiningRight) -> String {
    r.credit_code
        .clone()
        .unwrap_or_else(|| r.holder_name.clone())
}

/// Distinct holders of valid mining rights (矿山企业数量).
pub fn mine_holders(rights: &[MiningRight]) -> BTreeSet<String> {
    rights
        .iter()
        .filter(|r| r.is_valid_mine())
        .map(holder_key)
        .collect()
}

/// Valid mining rights approved at this level.
pub fn this_level_mines(rights: &[MiningRight]) -> usize {
    rights
        .iter()
        .filter(|r| r.is_valid_mine() && r.approval == Some(ApprovalLevel::ThisLevel))
        .count()
}

/// Σ capacity of rights of `status` whose minerals are kinds of `mineral`, in `unit`;
/// returns (total, rights counted, rights skipped for another unit).
pub fn extraction_total(
    ctx: &ReviewContext<'_>,
    mineral: &str,
    unit: Unit,
    status: RightStatus,
) -> (f64, usize, usize) {
    let mut total = 0.0;
    let (mut n, mut skipped) = (0, 0);
    for r in ctx
        .rights
        .iter()
        .filter(|r| r.kind == crate::application::RightKind::Mining && r.status == status)
    {
        if !r
            .minerals
            .iter()
            .any(|m| ctx.plan.minerals.is_kind_of(m, mineral))
        {
            continue;
        }
        match r.capacity {
            Some(Quantity { value, unit: u }) if u == unit => {
                total += value;
                n += 1;
            }
            _ => skipped += 1,
        }
    }
    (total, n, skipped)
}

/// The capacity the application adds to the total of `mineral` in `unit`: its capacity,
/// minus the existing right's for 变更规模/延续 of the same right. `None` when the units
/// differ or there is no capacity.
pub fn added_capacity(
    f: &Facts<'_>,
    ctx: &ReviewContext<'_>,
    mineral: &str,
    unit: Unit,
) -> Option<f64> {
    let app = f.app;
    if !app
        .minerals
        .iter()
        .any(|m| ctx.plan.minerals.is_kind_of(m, mineral))
    {
        return Some(0.0);
    }
    let cap = app.capacity.filter(|c| c.unit == unit)?;
    let replaced = match (app.kind, app.change) {
        (
            crate::application::ApplicationKind::New
            | crate::application::ApplicationKind::ExplorationToMining,
            _,
        ) => 0.0,
        (
            crate::application::ApplicationKind::Change,
            Some(ChangeKind::Scale | ChangeKind::Mineral | ChangeKind::Enlarge),
        )
        | (crate::application::ApplicationKind::Extension, _) => app
            .existing_right
            .as_deref()
            .and_then(|id| {
                ctx.rights
                    .iter()
                    .find(|r| r.id == id && r.status == RightStatus::Valid)
            })
            .and_then(|r| r.capacity)
            .filter(|c| c.unit == unit)
            .map_or(0.0, |c| c.value),
        _ => return Some(0.0),
    };
    Some(cap.value - replaced)
}

fn label(c: Comparison, v: f64) -> String {
    format!("{}{}", c.symbol(), format_number(v))
}

/// The indicators of the plan that an approval changes, before and after.
pub fn what_if(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> Vec<IndicatorWhatIf> {
    let plan = ctx.plan;
    let app = f.app;
    let mut out = Vec::new();
    let holders_before = mine_holders(ctx.rights);
    let mut holders_after = holders_before.clone();
    if app.creates_mine() {
        holders_after.insert(app.credit_code.to_string());
    }
    let this_level_before = this_level_mines(ctx.rights);
    let this_level_after = this_level_before
        + usize::from(app.creates_mine() && f.approval(plan) == Some(ApprovalLevel::ThisLevel));
    for ind in &plan.indicators {
        let row = |before: Option<f64>, after: Option<f64>, note: String| IndicatorWhatIf {
            name: ind
                .category
                .as_ref()
                .map_or(ind.name.clone(), |c| format!("{c}：{}", ind.name)),
            unit: ind.unit.to_string(),
            target: label(ind.comparison, ind.target),
            before,
            after,
            holds_before: before.map(|b| ind.comparison.holds(b, ind.target)),
            holds_after: after.map(|a| ind.comparison.holds(a, ind.target)),
            note,
            cite: ind.cite.clone(),
        };
        match &ind.metric {
            Metric::MineCount => out.push(row(
                Some(holders_before.len() as f64),
                Some(holders_after.len() as f64),
                "有效采矿权的矿业权人（按统一社会信用代码）".into(),
            )),
            Metric::MineCountThisLevel => out.push(row(
                Some(this_level_before as f64),
                Some(this_level_after as f64),
                String::new(),
            )),
            Metric::ExtractionTotal(mineral) => {
                let unit = ind.unit;
                let (before, _, skipped) = extraction_total(ctx, mineral, unit, RightStatus::Valid);
                let add = added_capacity(f, ctx, mineral, unit);
                let note = match (skipped, add) {
                    (0, Some(_)) => String::new(),
                    (s, Some(_)) => format!("{s} 宗采矿权的规模单位与指标不同，未计入"),
                    (_, None) => "申请的规模单位与指标不同，无法计入".into(),
                };
                out.push(row(Some(before), add.map(|a| before + a), note));
            }
            Metric::LargeMediumRatio => {
                let (mut big, mut known, mut unknown) = (0usize, 0usize, 0usize);
                for r in ctx.rights.iter().filter(|r| r.is_valid_mine()) {
                    match r.capacity.and_then(|c| {
                        r.minerals
                            .first()
                            .and_then(|m| ctx.scales.classify(&plan.minerals, m, c.value, c.unit))
                    }) {
                        Some(c) => {
                            known += 1;
                            big += usize::from(c != super::config::ScaleClass::Small);
                        }
                        None => unknown += 1,
                    }
                }
                let ratio = |b: usize, k: usize| (k > 0).then(|| b as f64 / k as f64 * 100.0);
                let before = ratio(big, known);
                let app_class = app.capacity.and_then(|c| {
                    app.minerals
                        .first()
                        .and_then(|m| ctx.scales.classify(&plan.minerals, m, c.value, c.unit))
                });
                let (b2, k2) = if app.creates_mine() {
                    match app_class {
                        Some(c) => (
                            big + usize::from(c != super::config::ScaleClass::Small),
                            known + 1,
                        ),
                        None => (big, known),
                    }
                } else {
                    (big, known)
                };
                let mut note = format!("规模分类依据{}", ctx.scales.source);
                if unknown > 0 {
                    note.push_str(&format!("；{unknown} 宗采矿权规模类别无法判定，未计入"));
                }
                if app.creates_mine() {
                    note.push_str(&format!(
                        "；本申请为{}",
                        app_class.map_or("规模类别无法判定", |c| c.label())
                    ));
                }
                out.push(row(before, ratio(b2, k2), note));
            }
            Metric::OutputValue | Metric::NewDeposits | Metric::WaterReuseRate | Metric::Manual => {
            }
        }
    }
    out
}
