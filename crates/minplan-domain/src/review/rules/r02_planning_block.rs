//! R2 — the area lies in a planning block of the right kind and mineral, and its extent is
//! 基本一致 with the block: the block covers at least [`ReviewConfig::coverage_min`] of the
//! application (else 不符合: outside the block), and the application at least that share of
//! the block (else 需人工核查: 原则上一个开采规划区块对应一个开采项目). Suifenhe:
//! 《规划》四（三）1–2.
//!
//! [`ReviewConfig::coverage_min`]: crate::review::config::ReviewConfig::coverage_min

use super::{Rule, changes_area, kind_label};
use crate::application::RightKind;
use crate::plan::BlockKind;
use crate::review::{
    ConflictPart, Evidence, Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity,
};
use geo::Area;
use geo::algorithm::bool_ops::BooleanOps;
use minplan_geo::overlay::OverlapClass;

/// R2.
pub const RULE: Rule = Rule {
    id: "R2",
    title: "位于相应规划区块内，矿种相符、范围基本一致",
    severity: RuleSeverity::Veto,
};

/// Checks R2.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    if !changes_area(f) {
        return RULE.not_applicable(ctx, format!("{}申请不改变矿业权范围", kind_label(f)));
    }
    let plan = ctx.plan;
    let wanted = match f.app.right_kind {
        RightKind::Mining => BlockKind::Mining,
        RightKind::Exploration => BlockKind::Exploration,
    };
    let kind_blocks: Vec<_> = plan.blocks.iter().filter(|b| b.kind == wanted).collect();
    let group_cite: Vec<_> = kind_blocks.iter().map(|b| b.cite.clone()).take(1).collect();
    let Some((i, cov_app, cov_block)) = f.chosen_block else {
        let others: Vec<String> = f
            .blocks
            .iter()
            .filter(|o| o.class == OverlapClass::Overlap)
            .map(|o| {
                format!(
                    "{}（{}）",
                    plan.blocks[o.feature].name,
                    plan.blocks[o.feature].kind.label()
                )
            })
            .collect();
        let mut evidence = vec![Evidence::num("申请范围面积", f.area_m2, 2, "m²")];
        if !others.is_empty() {
            evidence.push(Evidence::text("相交的其他类型区块", others.join("、")));
        }
        // A block the plan lists without its extent may hold the application: it cannot be
        // told from the geometry (需人工核查), never a 不符合 on missing data.
        let undrawn: Vec<&&crate::plan::PlanningBlock> = kind_blocks
            .iter()
            .filter(|b| {
                !b.has_geometry()
                    && (b.minerals.is_empty()
                        || f.app
                            .minerals
                            .iter()
                            .any(|m| b.minerals.iter().any(|bm| plan.minerals.is_kind_of(m, bm))))
            })
            .collect();
        if !undrawn.is_empty() {
            evidence.push(Evidence::text(
                "未附范围的规划区块",
                undrawn
                    .iter()
                    .map(|b| format!("{} {}", b.number, b.name))
                    .collect::<Vec<_>>()
                    .join("、"),
            ));
            return RULE.result(
                ctx,
                RuleOutcome::ManualCheck,
                format!(
                    "申请范围不在任何已附范围的{}内；规划区块“{}”未附范围，无法判定申请是否位于其中，须人工核查",
                    wanted.label(),
                    undrawn
                        .iter()
                        .map(|b| b.name.as_str())
                        .collect::<Vec<_>>()
                        .join("”“")
                ),
                evidence,
                vec![],
                undrawn.iter().map(|b| b.cite.clone()).take(1).collect(),
            );
        }
        return RULE.result(
            ctx,
            RuleOutcome::Fail,
            format!(
                "申请范围不在任何{}内；规划期内{}应在规划区块内设置",
                wanted.label(),
                f.app.right_kind.label()
            ),
            evidence,
            vec![],
            group_cite,
        );
    };
    let b = &plan.blocks[i];
    let overlap = f.area_m2 * cov_app;
    let mut evidence = vec![
        Evidence::text(
            "所在规划区块",
            format!(
                "{} {}（{}，{}）",
                b.number,
                b.name,
                b.kind.label(),
                b.approval.label()
            ),
        ),
        Evidence::num("申请范围面积", f.area_m2, 2, "m²"),
        Evidence::num("与区块重叠面积", overlap, 2, "m²"),
        Evidence::num("区块覆盖申请范围的比例", cov_app * 100.0, 2, "%"),
        Evidence::num("申请范围占区块的比例", cov_block * 100.0, 2, "%"),
    ];
    if b.schematic {
        evidence.push(Evidence::text("说明", "区块范围为示意数据"));
    }
    let mut outcome = RuleOutcome::Pass;
    let mut messages = Vec::new();
    let mut conflicts = Vec::new();
    // Mineral.
    if b.minerals.is_empty() {
        outcome = RuleOutcome::ManualCheck;
        messages.push(format!(
            "规划未载明区块“{}”的矿种，须核实申请矿种与区块规划用途是否相符",
            b.name
        ));
    } else {
        let off: Vec<&String> = f
            .app
            .minerals
            .iter()
            .filter(|m| !b.minerals.iter().any(|bm| plan.minerals.is_kind_of(m, bm)))
            .collect();
        let broader: Vec<&&String> = off
            .iter()
            .filter(|m| b.minerals.iter().any(|bm| plan.minerals.is_kind_of(bm, m)))
            .collect();
        if !off.is_empty() && broader.len() == off.len() {
            outcome = RuleOutcome::ManualCheck;
            messages.push(format!(
                "申请矿种（{}）比区块矿种（{}）宽，须核实具体矿种",
                f.app.minerals.join("、"),
                b.minerals.join("、")
            ));
        } else if !off.is_empty() {
            outcome = RuleOutcome::Fail;
            messages.push(format!(
                "申请矿种（{}）与区块规划矿种（{}）不符",
                off.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
                b.minerals.join("、")
            ));
        }
    }
    // Extent.
    let min = ctx.config.coverage_min;
    if cov_app < min {
        outcome = RuleOutcome::Fail;
        let outside = f.area_m2 - overlap;
        messages.push(format!(
            "申请范围有 {:.2} m²（{:.2}%）超出规划区块，区块覆盖比例低于 {:.0}%",
            outside,
            (1.0 - cov_app) * 100.0,
            min * 100.0
        ));
        let block_mp =
            crate::review::spatial::project_polygons(&ctx.spatial.zone.projection(), &b.geometry);
        let outside_parts = f.subject.geometry().difference(&block_mp);
        conflicts.push(ConflictPart {
            layer: "超出规划区块部分".into(),
            feature_id: b.number.clone(),
            feature_name: Some(b.name.clone()),
            area_m2: outside_parts.unsigned_area(),
            percent_of_application: outside_parts.unsigned_area() / f.area_m2 * 100.0,
            class: OverlapClass::Overlap,
            geometry: crate::review::PartGeometry::new(
                outside_parts,
                ctx.spatial.projection().clone(),
            ),
        });
    } else if cov_block < min {
        if outcome == RuleOutcome::Pass {
            outcome = RuleOutcome::ManualCheck;
        }
        messages.push(format!(
            "申请范围只占区块的 {:.2}%，与区块范围未基本一致（阈值 {:.0}%）；原则上一个区块对应一个项目，须核实是否分割区块",
            cov_block * 100.0,
            min * 100.0
        ));
    }
    if outcome == RuleOutcome::Pass {
        messages.push(format!(
            "申请范围位于{}“{}”内，矿种相符，范围与区块基本一致",
            b.kind.label(),
            b.name
        ));
    }
    RULE.result(
        ctx,
        outcome,
        messages.join("；"),
        evidence,
        conflicts,
        vec![b.cite.clone()],
    )
}
