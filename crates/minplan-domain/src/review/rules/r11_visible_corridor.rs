//! R11 — no open-pit 砂石土 within the visible range of 三区两线 (roads, railways, rivers):
//! overlap with a visible corridor → 不符合. Only open-pit 砂石土 mining rights are checked.
//! Suifenhe: 《规划》五（三）2 (禁止在“三线两区”可视范围内…露天开采砂石土).

use super::{Rule, changes_area, kind_label, layer_conflicts, layer_missing};
use crate::application::RightKind;
use crate::plan::ControlLayerKind;
use crate::review::{Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};

/// R11.
pub const RULE: Rule = Rule {
    id: "R11",
    title: "不在三区两线可视范围内露天开采砂石土",
    severity: RuleSeverity::Veto,
};

const KIND: ControlLayerKind = ControlLayerKind::VisibleCorridor;

/// Checks R11.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    let app = f.app;
    let sgc = app
        .minerals
        .iter()
        .any(|m| ctx.plan.minerals.get(m).is_some_and(|x| x.sand_gravel_clay));
    if app.right_kind != RightKind::Mining
        || !sgc
        || !app.mining_method.is_some_and(|m| m.is_open_pit())
    {
        return RULE.not_applicable(ctx, "只审查露天开采砂石土的采矿权");
    }
    if !changes_area(f) {
        return RULE.not_applicable(ctx, format!("{}申请不改变矿业权范围", kind_label(f)));
    }
    let Some(c) = layer_conflicts(f, ctx, KIND) else {
        return layer_missing(&RULE, ctx, KIND);
    };
    let evidence = c.evidence(f.area_m2);
    let (outcome, msg) = if c.overlaps() {
        (
            RuleOutcome::Fail,
            format!(
                "申请范围有 {:.2} m² 位于三区两线可视范围内，规划禁止在其中露天开采砂石土",
                c.overlap_m2
            ),
        )
    } else if c.sliver_m2 > 0.0 {
        (
            RuleOutcome::ManualCheck,
            format!(
                "与三区两线可视范围有 {:.4} m² 的细碎重叠，须核实",
                c.sliver_m2
            ),
        )
    } else {
        (RuleOutcome::Pass, "不在三区两线可视范围内".to_string())
    };
    RULE.result(ctx, outcome, msg, evidence, c.parts, vec![])
}
