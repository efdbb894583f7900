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

/// Σ capacity of one mineral (and its kinds) in one unit.
#[derive(Debug, Clone)]
pub struct MineralTotal {
    /// Mineral.
    pub mineral: String,
    /// Unit of the total.
    pub unit: Unit,
    /// Σ over valid mining rights.
    pub valid: f64,
    /// Valid rights counted.
    pub valid_n: usize,
    /// Valid rights of the mineral skipped for another unit.
    pub skipped: usize,
    /// Pending applications' capacities, by application number.
    pub pending: Vec<(String, f64)>,
}

impl MineralTotal {
    /// Σ of pending applications other than `own`.
    pub fn pending_except(&self, own: &str) -> f64 {
        self.pending
            .iter()
            .filter(|(id, _)| id != own)
            .map(|(_, v)| v)
            .sum()
    }
}

/// What every review needs from the register, computed once per register (not per review):
/// holders, counts, capacity totals per capped mineral, scale classes.
#[derive(Debug, Clone, Default)]
pub struct RegisterStats {
    /// Distinct holders of valid mining rights (矿山企业).
    pub holders: BTreeSet<String>,
    /// Valid mining rights approved at this level.
    pub this_level: usize,
    /// Pending mining applications that would add a mine: (application number, holder).
    pub pending_mines: Vec<(String, String)>,
    /// Capacity totals per mineral the plan caps or measures.
    pub totals: Vec<MineralTotal>,
    /// Valid mines by scale: (large or medium, classified, unclassified).
    pub scale_counts: (usize, usize, usize),
}

impl RegisterStats {
    /// Aggregates `rights` for `plan`.
    pub fn compute(
        plan: &crate::plan::Plan,
        rights: &[MiningRight],
        scales: &super::config::ScaleTable,
    ) -> RegisterStats {
        let mut wanted: Vec<(String, Unit)> = plan
            .admission
            .extraction_caps
            .iter()
            .map(|c| (c.mineral.clone(), c.unit))
            .collect();
        for ind in &plan.indicators {
            if let Metric::ExtractionTotal(m) = &ind.metric
                && !wanted.iter().any(|(w, u)| w == m && *u == ind.unit)
            {
                wanted.push((m.clone(), ind.unit));
            }
        }
        let mut totals: Vec<MineralTotal> = wanted
            .into_iter()
            .map(|(mineral, unit)| MineralTotal {
                mineral,
                unit,
                valid: 0.0,
                valid_n: 0,
                skipped: 0,
                pending: vec![],
            })
            .collect();
        let mut stats = RegisterStats::default();
        for r in rights
            .iter()
            .filter(|r| r.kind == crate::application::RightKind::Mining)
        {
            match r.status {
                RightStatus::Valid => {
                    stats.holders.insert(holder_key(r));
                    if r.approval == Some(ApprovalLevel::ThisLevel) {
                        stats.this_level += 1;
                    }
                    match r.capacity.and_then(|c| {
                        r.minerals
                            .first()
                            .and_then(|m| scales.classify(&plan.minerals, m, c.value, c.unit))
                    }) {
                        Some(c) => {
                            stats.scale_counts.1 += 1;
                            stats.scale_counts.0 +=
                                usize::from(c != super::config::ScaleClass::Small);
                        }
                        None => stats.scale_counts.2 += 1,
                    }
                }
                RightStatus::Pending => stats.pending_mines.push((r.id.clone(), holder_key(r))),
                _ => continue,
            }
            for t in totals.iter_mut() {
                if !r
                    .minerals
                    .iter()
                    .any(|m| plan.minerals.is_kind_of(m, &t.mineral))
                {
                    continue;
                }
                match (r.status, r.capacity) {
                    (RightStatus::Valid, Some(Quantity { value, unit })) if unit == t.unit => {
                        t.valid += value;
                        t.valid_n += 1;
                    }
                    (RightStatus::Valid, _) => t.skipped += 1,
                    (RightStatus::Pending, Some(Quantity { value, unit })) if unit == t.unit => {
                        t.pending.push((r.id.clone(), value))
                    }
                    _ => {}
                }
            }
        }
        stats.totals = totals;
        stats
    }

    /// The total of a mineral in a unit, when the plan caps or measures it.
    pub fn total(&self, mineral: &str, unit: Unit) -> Option<&MineralTotal> {
        self.totals
            .iter()
            .find(|t| t.mineral == mineral && t.unit == unit)
    }
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
    let stats = ctx.stats;
    let holders_before = stats.holders.len();
    let holders_after = holders_before
        + usize::from(app.creates_mine() && !stats.holders.contains(app.credit_code.as_str()));
    let this_level_before = stats.this_level;
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
                Some(holders_before as f64),
                Some(holders_after as f64),
                "有效采矿权的矿业权人（按统一社会信用代码）".into(),
            )),
            Metric::MineCountThisLevel => out.push(row(
                Some(this_level_before as f64),
                Some(this_level_after as f64),
                String::new(),
            )),
            Metric::ExtractionTotal(mineral) => {
                let unit = ind.unit;
                let (before, skipped) = stats
                    .total(mineral, unit)
                    .map_or((0.0, 0), |t| (t.valid, t.skipped));
                let add = added_capacity(f, ctx, mineral, unit);
                let note = match (skipped, add) {
                    (0, Some(_)) => String::new(),
                    (s, Some(_)) => format!("{s} 宗采矿权的规模单位与指标不同，未计入"),
                    (_, None) => "申请的规模单位与指标不同，无法计入".into(),
                };
                out.push(row(Some(before), add.map(|a| before + a), note));
            }
            Metric::LargeMediumRatio => {
                let (big, known, unknown) = stats.scale_counts;
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
