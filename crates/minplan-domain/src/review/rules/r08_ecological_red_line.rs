//! R8 — avoid 生态保护红线: a mining right must not overlap it (不符合); an exploration right
//! overlapping it needs a manual check (some exploration is allowed under the red-line rules);
//! slivers need a look; touching is not overlap. Suifenhe: 《规划》四（一）2 (矿业活动要避让生态
//! 保护…边界), 五（三）2.

use super::{Rule, changes_area, kind_label, layer_conflicts, layer_missing};
use crate::application::RightKind;
use crate::plan::ControlLayerKind;
use crate::review::{Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};

/// R8.
pub const RULE: Rule = Rule {
    id: "R8",
    title: "避让生态保护红线",
    severity: RuleSeverity::Veto,
};

const KIND: ControlLayerKind = ControlLayerKind::EcologicalRedLine;

/// Checks R8.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    if !changes_area(f) {
        return RULE.not_applicable(ctx, format!("{}申请不改变矿业权范围", kind_label(f)));
    }
    let Some(c) = layer_conflicts(f, ctx, KIND) else {
        return layer_missing(&RULE, ctx, KIND);
    };
    let evidence = c.evidence(f.area_m2);
    let (outcome, msg) = if c.overlaps() {
        match f.app.right_kind {
            RightKind::Mining => (
                RuleOutcome::Fail,
                format!(
                    "申请范围与生态保护红线重叠 {:.2} m²，采矿权不得进入生态保护红线",
                    c.overlap_m2
                ),
            ),
            RightKind::Exploration => (
                RuleOutcome::ManualCheck,
                format!(
                    "探矿权范围与生态保护红线重叠 {:.2} m²，须按生态保护红线管控规定核查勘查活动是否允许",
                    c.overlap_m2
                ),
            ),
        }
    } else if c.sliver_m2 > 0.0 {
        (
            RuleOutcome::ManualCheck,
            format!(
                "与生态保护红线有 {:.4} m² 的细碎重叠，疑为坐标取舍误差，须核实",
                c.sliver_m2
            ),
        )
    } else if c.touching > 0 {
        (
            RuleOutcome::Pass,
            "与生态保护红线仅边界相邻，无重叠".to_string(),
        )
    } else {
        (RuleOutcome::Pass, "未占用生态保护红线".to_string())
    };
    RULE.result(ctx, outcome, msg, evidence, c.parts, vec![])
}
