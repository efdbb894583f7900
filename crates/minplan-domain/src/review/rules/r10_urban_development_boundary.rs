//! R10 — avoid 城镇开发边界: an overlap needs a manual check (mining inside the boundary
//! must agree with the 国土空间规划). Suifenhe: 《规划》四（一）2 (矿业活动要避让…城镇开发等空间
//! 管控边界).

use super::{Rule, changes_area, kind_label, layer_conflicts, layer_missing};
use crate::plan::ControlLayerKind;
use crate::review::{Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};

/// R10.
pub const RULE: Rule = Rule {
    id: "R10",
    title: "避让城镇开发边界",
    severity: RuleSeverity::General,
};

const KIND: ControlLayerKind = ControlLayerKind::UrbanDevelopmentBoundary;

/// Checks R10.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    if !changes_area(f) {
        return RULE.not_applicable(ctx, format!("{}申请不改变矿业权范围", kind_label(f)));
    }
    let Some(c) = layer_conflicts(f, ctx, KIND) else {
        return layer_missing(&RULE, ctx, KIND);
    };
    let evidence = c.evidence(f.area_m2);
    let (outcome, msg) = if c.overlaps() || c.sliver_m2 > 0.0 {
        (
            RuleOutcome::ManualCheck,
            format!(
                "申请范围与城镇开发边界重叠 {:.2} m²，须与国土空间规划核对并征求相关部门意见",
                c.overlap_m2 + c.sliver_m2
            ),
        )
    } else {
        (RuleOutcome::Pass, "未进入城镇开发边界".to_string())
    };
    RULE.result(ctx, outcome, msg, evidence, c.parts, vec![])
}
