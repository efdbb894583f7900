//! R12 — 空间查重: no overlap with other valid rights or pending applications. Boundaries
//! that coincide within [`ReviewConfig::touch_width_m`] (coordinates are written to
//! 0.01 m) are *touching* — reported, never an overlap; shared areas up to
//! [`ReviewConfig::sliver_area_m2`] are slivers (需人工核查). The application's own right
//! (延续、变更、探转采) and its own earlier review are excluded. Suifenhe: 《规划》四（三）.
//!
//! [`ReviewConfig::touch_width_m`]: crate::review::config::ReviewConfig::touch_width_m
//! [`ReviewConfig::sliver_area_m2`]: crate::review::config::ReviewConfig::sliver_area_m2

use super::{Rule, area_text, changes_area, kind_label};
use crate::review::{
    Evidence, Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity, conflict,
};
use crate::rights::RightStatus;
use minplan_geo::overlay::OverlapClass;

/// R12.
pub const RULE: Rule = Rule {
    id: "R12",
    title: "与其他矿业权及在审申请不重叠（空间查重）",
    severity: RuleSeverity::Veto,
};

/// Checks R12.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    if !changes_area(f) {
        return RULE.not_applicable(ctx, format!("{}申请不改变矿业权范围", kind_label(f)));
    }
    let relevant: Vec<_> = f
        .rights
        .iter()
        .filter(|o| {
            matches!(
                ctx.rights[o.feature].status,
                RightStatus::Valid | RightStatus::Pending
            )
        })
        .collect();
    let mut parts: Vec<_> = relevant
        .iter()
        .map(|o| {
            let r = &ctx.rights[o.feature];
            let layer = format!("{}（{}）", r.kind.label(), r.status.label());
            conflict(
                ctx,
                f,
                &layer,
                &r.id,
                Some(&format!("{}，{}", r.name, r.holder_name)),
                o,
            )
        })
        .collect();
    parts.sort_by(|a, b| b.area_m2.total_cmp(&a.area_m2));
    let overlaps: Vec<_> = parts
        .iter()
        .filter(|p| p.class == OverlapClass::Overlap)
        .collect();
    let slivers: Vec<_> = parts
        .iter()
        .filter(|p| p.class == OverlapClass::Sliver)
        .collect();
    let touching: Vec<_> = parts
        .iter()
        .filter(|p| p.class == OverlapClass::Touching)
        .collect();
    let mut evidence = vec![Evidence::num(
        "查重的有效矿业权及在审申请",
        ctx.rights
            .iter()
            .filter(|r| matches!(r.status, RightStatus::Valid | RightStatus::Pending))
            .count() as f64,
        0,
        "宗",
    )];
    for p in &overlaps {
        evidence.push(Evidence::text(
            format!("与 {} 重叠", p.feature_id),
            area_text(p.area_m2, f.area_m2),
        ));
    }
    for p in &slivers {
        evidence.push(Evidence::num(
            format!("与 {} 细碎重叠", p.feature_id),
            p.area_m2,
            4,
            "m²",
        ));
    }
    if !touching.is_empty() {
        evidence.push(Evidence::text(
            "边界相邻（不计重叠）",
            touching
                .iter()
                .map(|p| p.feature_id.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        ));
    }
    let (outcome, msg) = if !overlaps.is_empty() {
        let total: f64 = overlaps.iter().map(|p| p.area_m2).sum();
        (
            RuleOutcome::Fail,
            format!(
                "申请范围与 {} 宗矿业权（或在审申请）重叠，合计 {}：{}",
                overlaps.len(),
                area_text(total, f.area_m2),
                overlaps
                    .iter()
                    .map(|p| format!("{}（{}）", p.feature_id, p.layer))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        )
    } else if !slivers.is_empty() {
        (
            RuleOutcome::ManualCheck,
            format!(
                "与 {} 宗矿业权有面积不超过 {} m² 的细碎重叠，疑为坐标取舍误差，须核实",
                slivers.len(),
                ctx.config.sliver_area_m2
            ),
        )
    } else if !touching.is_empty() {
        (
            RuleOutcome::Pass,
            format!(
                "与 {} 宗矿业权边界相邻（{:.2} 米以内视为共边），无重叠",
                touching.len(),
                ctx.config.touch_width_m
            ),
        )
    } else {
        (
            RuleOutcome::Pass,
            "与其他矿业权及在审申请无重叠".to_string(),
        )
    };
    RULE.result(ctx, outcome, msg, evidence, parts, vec![])
}
