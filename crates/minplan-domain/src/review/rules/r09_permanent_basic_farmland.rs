//! R9 — avoid 永久基本农田: 砂石土 and other open-pit mining must not overlap it (不符合);
//! 地热、矿泉水 (wells) and exploration overlapping it need a manual check that they do not
//! damage it. Suifenhe: 《规划》四（一）2 (矿业活动要避让…基本农田…).

use super::{Rule, changes_area, kind_label, layer_conflicts, layer_missing};
use crate::application::RightKind;
use crate::minerals::MineralClass;
use crate::plan::ControlLayerKind;
use crate::review::{Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};

/// R9.
pub const RULE: Rule = Rule {
    id: "R9",
    title: "避让永久基本农田",
    severity: RuleSeverity::Veto,
};

const KIND: ControlLayerKind = ControlLayerKind::PermanentBasicFarmland;

/// Checks R9.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    if !changes_area(f) {
        return RULE.not_applicable(ctx, format!("{}申请不改变矿业权范围", kind_label(f)));
    }
    let Some(c) = layer_conflicts(f, ctx, KIND) else {
        return layer_missing(&RULE, ctx, KIND);
    };
    let plan = ctx.plan;
    let app = f.app;
    let sgc = app
        .minerals
        .iter()
        .any(|m| plan.minerals.get(m).is_some_and(|x| x.sand_gravel_clay));
    let fluid = app.minerals.iter().all(|m| {
        plan.minerals.get(m).is_some_and(|x| {
            x.class == MineralClass::WaterGas || plan.minerals.is_kind_of(m, "地下热水")
        })
    });
    let open_pit = app.mining_method.is_some_and(|m| m.is_open_pit());
    let evidence = c.evidence(f.area_m2);
    let (outcome, msg) = if c.overlaps() {
        if app.right_kind == RightKind::Mining && (sgc || open_pit) && !fluid {
            (
                RuleOutcome::Fail,
                format!(
                    "申请范围占用永久基本农田 {:.2} m²，{}开采不得占用永久基本农田",
                    c.overlap_m2,
                    if sgc { "砂石土" } else { "露天" }
                ),
            )
        } else {
            (
                RuleOutcome::ManualCheck,
                format!(
                    "申请范围与永久基本农田重叠 {:.2} m²，须核实{}不破坏永久基本农田（井口、管线等不得占用）",
                    c.overlap_m2,
                    app.minerals.join("、")
                ),
            )
        }
    } else if c.sliver_m2 > 0.0 {
        (
            RuleOutcome::ManualCheck,
            format!(
                "与永久基本农田有 {:.4} m² 的细碎重叠，疑为坐标取舍误差，须核实",
                c.sliver_m2
            ),
        )
    } else {
        (RuleOutcome::Pass, "未占用永久基本农田".to_string())
    };
    RULE.result(ctx, outcome, msg, evidence, c.parts, vec![])
}
