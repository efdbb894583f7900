//! R7 — the extraction caps hold after approval: for each capped mineral the application's
//! minerals are kinds of, Σ design capacity of valid mining rights plus this application
//! (minus the right it replaces) ≤ the cap. Pending applications that together would break
//! it → 需人工核查. Suifenhe: 建筑用石 10、矿泉水 3.6、地下热水 96 万立方米/年, 专栏2、五（一）.

use super::Rule;
use crate::application::RightKind;
use crate::citation::format_number;
use crate::review::indicators::added_capacity;
use crate::review::{Evidence, Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};

/// R7.
pub const RULE: Rule = Rule {
    id: "R7",
    title: "批准后开采总量不超过规划调控指标",
    severity: RuleSeverity::Veto,
};

/// Checks R7.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    let app = f.app;
    let plan = ctx.plan;
    if app.right_kind != RightKind::Mining || app.capacity.is_none() {
        return RULE.not_applicable(ctx, "不涉及开采规模");
    }
    let caps: Vec<_> = plan
        .admission
        .extraction_caps
        .iter()
        .filter(|c| {
            app.minerals
                .iter()
                .any(|m| plan.minerals.is_kind_of(m, &c.mineral))
        })
        .collect();
    if caps.is_empty() {
        return RULE.not_applicable(
            ctx,
            format!("规划未对{}设开采总量调控指标", app.minerals.join("、")),
        );
    }
    let mut outcome = RuleOutcome::Pass;
    let mut msgs = Vec::new();
    let mut evidence = Vec::new();
    for c in &caps {
        let (before, n, skipped, pending) = ctx
            .stats
            .total(&c.mineral, c.unit)
            .map_or((0.0, 0, 0, 0.0), |t| {
                (t.valid, t.valid_n, t.skipped, t.pending_except(&app.number))
            });
        let Some(add) = added_capacity(f, ctx, &c.mineral, c.unit) else {
            outcome = RuleOutcome::ManualCheck;
            msgs.push(format!(
                "申请规模单位与{}调控指标单位（{}）不同，须换算后核验",
                c.mineral, c.unit
            ));
            continue;
        };
        let after = before + add;
        let u = c.unit.symbol();
        evidence.push(Evidence::num(
            format!("{}：现有有效采矿权规模合计（{n} 宗）", c.mineral),
            before,
            2,
            u,
        ));
        evidence.push(Evidence::num(
            format!("{}：批准后合计", c.mineral),
            after,
            2,
            u,
        ));
        evidence.push(Evidence::num(
            format!("{}：规划调控指标", c.mineral),
            c.value,
            2,
            u,
        ));
        if pending > 0.0 {
            evidence.push(Evidence::num(
                format!("{}：其他在审申请规模", c.mineral),
                pending,
                2,
                u,
            ));
        }
        if skipped > 0 {
            evidence.push(Evidence::text(
                format!("{}：未计入", c.mineral),
                format!("{skipped} 宗采矿权规模单位不同"),
            ));
        }
        if after > c.value + 1e-9 {
            outcome = RuleOutcome::Fail;
            msgs.push(format!(
                "批准后{}开采规模合计 {} {u}，超过调控指标 {} {u}",
                c.mineral,
                format_number(after),
                format_number(c.value)
            ));
        } else if after + pending > c.value + 1e-9 {
            if outcome == RuleOutcome::Pass {
                outcome = RuleOutcome::ManualCheck;
            }
            msgs.push(format!(
                "批准后{}合计 {} {u} 未超指标，但连同在审申请将达 {} {u}",
                c.mineral,
                format_number(after),
                format_number(after + pending)
            ));
        } else {
            msgs.push(format!(
                "批准后{}开采规模合计 {} {u}，不超过调控指标 {} {u}",
                c.mineral,
                format_number(after),
                format_number(c.value)
            ));
        }
    }
    RULE.result(
        ctx,
        outcome,
        msgs.join("；"),
        evidence,
        vec![],
        caps.iter().map(|c| c.cite.clone()).collect(),
    )
}
