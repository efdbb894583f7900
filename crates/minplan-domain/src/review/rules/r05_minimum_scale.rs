//! R5 — the design scale is at least the plan's minimum (最低开采规模) for the mineral.
//! Suifenhe: 建筑用石 ≥ 5 万立方米/年 for new mines, 《规划》四（三）2、五（三）1.

use super::Rule;
use crate::application::{ApplicationKind as K, ChangeKind as C, RightKind};
use crate::citation::format_number;
use crate::review::{Evidence, Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};
use crate::units::convert;

/// R5.
pub const RULE: Rule = Rule {
    id: "R5",
    title: "达到最低开采规模",
    severity: RuleSeverity::Veto,
};

/// Checks R5.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    let app = f.app;
    let plan = ctx.plan;
    let scale_change = app.kind == K::Change && app.change == Some(C::Scale);
    if app.right_kind != RightKind::Mining || !(app.creates_mine() || scale_change) {
        return RULE.not_applicable(ctx, "只审查新建矿山和变更规模的采矿权申请");
    }
    let limits: Vec<_> = plan
        .admission
        .min_scales
        .iter()
        .filter(|l| {
            app.minerals
                .iter()
                .any(|m| plan.minerals.is_kind_of(m, &l.mineral))
        })
        .filter(|l| app.creates_mine() || l.applies_to.as_deref() != Some("新建矿山"))
        .collect();
    if limits.is_empty() {
        return RULE.not_applicable(
            ctx,
            format!("规划未对{}规定最低开采规模", app.minerals.join("、")),
        );
    }
    // A daily capacity with its working days stated counts as yearly.
    let Some(cap) = app.annual_capacity() else {
        return RULE.result(
            ctx,
            RuleOutcome::ManualCheck,
            "未填写设计生产规模",
            vec![],
            vec![],
            limits.iter().map(|l| l.cite.clone()).collect(),
        );
    };
    let mut outcome = RuleOutcome::Pass;
    let mut msgs = Vec::new();
    let mut evidence = vec![Evidence::num(
        "设计生产规模",
        cap.value,
        2,
        cap.unit.symbol(),
    )];
    if let Some(n) = app.daily_capacity_note() {
        evidence.push(Evidence::text("生产规模换算（按申请所填年工作天数）", n));
    }
    for l in &limits {
        evidence.push(Evidence::num(
            format!("最低开采规模（{}）", l.mineral),
            l.value,
            2,
            l.unit.symbol(),
        ));
        // In the limit's unit: 30 千立方米/年 is 3 万立方米/年.
        let Some(v) = convert(cap.value, cap.unit, l.unit) else {
            outcome = RuleOutcome::ManualCheck;
            msgs.push(format!(
                "规模单位（{}）与规划最低规模的单位（{}）不同，须换算后核验",
                cap.unit, l.unit
            ));
            continue;
        };
        if v < l.value - 1e-9 * l.value.abs().max(1.0) {
            outcome = RuleOutcome::Fail;
            msgs.push(format!(
                "设计规模 {} 低于规划规定的{}最低开采规模 {} {}",
                cap,
                l.mineral,
                format_number(l.value),
                l.unit
            ));
        } else {
            msgs.push(format!(
                "设计规模 {} 不低于{}最低开采规模 {} {}",
                cap,
                l.mineral,
                format_number(l.value),
                l.unit
            ));
        }
    }
    RULE.result(
        ctx,
        outcome,
        msgs.join("；"),
        evidence,
        vec![],
        limits.iter().map(|l| l.cite.clone()).collect(),
    )
}
