//! R7 — the extraction caps hold after approval: every cap of the plan on extraction per year
//! or over the plan period that concerns the application (mineral or category, kind of mine,
//! approval level, sub-unit; [`crate::review::caps`]): Σ design capacity of valid mining
//! rights plus this application (minus the right it replaces) against the cap, each with its
//! own evidence. Pending applications that together would break it, or rights the register
//! cannot place, → 需人工核查; a soft cap warns. Suifenhe: 建筑用石 10、矿泉水 3.6、地下热水 96
//! 万立方米/年, 专栏2、五（一）.

use super::Rule;
use crate::application::RightKind;
use crate::review::caps::{extraction_cap, worst};
use crate::review::{Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};

/// R7.
pub const RULE: Rule = Rule {
    id: "R7",
    title: "批准后开采总量不超过规划调控指标",
    severity: RuleSeverity::Veto,
};

/// Checks R7.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    let app = f.app;
    if app.right_kind != RightKind::Mining || app.capacity.is_none() {
        return RULE.not_applicable(ctx, "不涉及开采规模");
    }
    let mut outcome = RuleOutcome::NotApplicable;
    let mut msgs = Vec::new();
    let mut evidence = Vec::new();
    let mut cites = Vec::new();
    for c in ctx
        .plan
        .admission
        .caps
        .iter()
        .filter(|c| !c.measure.is_count())
    {
        if let Some(r) = extraction_cap(c, f, ctx) {
            outcome = worst(outcome, r.outcome);
            msgs.push(r.message);
            evidence.extend(r.evidence);
            if !cites.contains(&c.cite) {
                cites.push(c.cite.clone());
            }
        }
    }
    if outcome == RuleOutcome::NotApplicable {
        return RULE.not_applicable(
            ctx,
            format!("规划未对{}设开采总量调控指标", app.minerals.join("、")),
        );
    }
    RULE.result(ctx, outcome, msgs.join("；"), evidence, vec![], cites)
}
