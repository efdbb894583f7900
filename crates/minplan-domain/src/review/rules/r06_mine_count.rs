//! R6 — the count caps hold after approval: every cap of the plan on the number of mines,
//! rights (宗) or mining enterprises that concerns the application (its minerals or category,
//! kind of mine, approval level, sub-unit; [`crate::review::caps`]) — each with its own
//! evidence. Pending applications that together would break a cap, or rights whose
//! attributes the register does not know, → 需人工核查; a soft cap (“左右”, “原则上”) warns
//! instead of vetoing. A plan that sets no count cap → 不适用 (规划未设定). Suifenhe: 矿山企业
//! ≤ 3 家, 本级审批发证 ≤ 2 家, 《规划》五（一）.

use super::Rule;
use crate::review::caps::{count_cap, worst};
use crate::review::{Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};

/// R6.
pub const RULE: Rule = Rule {
    id: "R6",
    title: "批准后矿山数量不超过规划控制数",
    severity: RuleSeverity::Veto,
};

/// Checks R6.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    let app = f.app;
    let caps: Vec<_> = ctx
        .plan
        .admission
        .caps
        .iter()
        .filter(|c| c.measure.is_count())
        .collect();
    if caps.is_empty() {
        return RULE.not_applicable(ctx, "规划未设定矿山（矿业权、矿山企业）数量控制数");
    }
    let mut outcome = RuleOutcome::NotApplicable;
    let mut msgs = Vec::new();
    let mut evidence = Vec::new();
    let mut cites = Vec::new();
    for c in &caps {
        if let Some(r) = count_cap(c, f, ctx) {
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
            if app.creates_mine() {
                "规划的数量控制指标均不涉及本申请".to_string()
            } else {
                "不新建矿山".to_string()
            },
        );
    }
    RULE.result(ctx, outcome, msgs.join("；"), evidence, vec![], cites)
}
