//! R4 — no 大矿小开 / 一矿多开: the design scale fits the reserves and the service life.
//! 服务年限 = 保有资源量 ÷ 设计生产规模 must lie in [`ReviewConfig::service_years_min`,
//! `service_years_max`]: above the range the scale is too small for the deposit (不符合,
//! 大矿小开); below it the mine is too short-lived (需人工核查). A stated service life that
//! differs from the quotient by more than `service_years_tolerance` needs a look. Without
//! reserves the rule cannot be checked (需人工核查). 一矿多开 within a block is R3.
//! Suifenhe: 《规划》四（三）2 (禁止“大矿小开”“一矿多开”), 五（三）1.
//!
//! [`ReviewConfig::service_years_min`]: crate::review::config::ReviewConfig::service_years_min

use super::Rule;
use crate::application::{ApplicationKind as K, ChangeKind as C, RightKind};
use crate::citation::format_number;
use crate::review::{Evidence, Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};
use crate::units::Unit;

/// R4.
pub const RULE: Rule = Rule {
    id: "R4",
    title: "开采规模与资源储量、服务年限相适应（禁止大矿小开）",
    severity: RuleSeverity::Major,
};

/// Checks R4.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    let app = f.app;
    if app.right_kind != RightKind::Mining
        || !matches!(
            (app.kind, app.change),
            (K::New | K::ExplorationToMining, _) | (K::Change, Some(C::Scale))
        )
    {
        return RULE.not_applicable(ctx, "只审查新设采矿权和变更规模的申请");
    }
    let cfg = ctx.config;
    let Some(cap) = app.capacity else {
        return RULE.result(
            ctx,
            RuleOutcome::ManualCheck,
            "未填写设计生产规模",
            vec![],
            vec![],
            vec![],
        );
    };
    let Some(res) = app.reserves else {
        return RULE.result(
            ctx,
            RuleOutcome::ManualCheck,
            "未提供保有资源量，无法核验开采规模与资源储量、服务年限是否相适应",
            vec![Evidence::text("设计生产规模", cap.to_string())],
            vec![],
            vec![],
        );
    };
    let matching = matches!(
        (cap.unit, res.unit),
        (Unit::WanM3PerYear, Unit::WanM3) | (Unit::WanTonnePerYear, Unit::WanTonne)
    );
    let mut evidence = vec![
        Evidence::text("设计生产规模", cap.to_string()),
        Evidence::text("保有资源量", res.to_string()),
    ];
    if !matching {
        return RULE.result(
            ctx,
            RuleOutcome::ManualCheck,
            "资源量与生产规模的计量单位不一致，须换算后核验",
            evidence,
            vec![],
            vec![],
        );
    }
    let years = res.value / cap.value;
    evidence.push(Evidence::num("资源量 ÷ 规模 = 服务年限", years, 1, "年"));
    evidence.push(Evidence::text(
        "合理服务年限区间",
        format!(
            "{}～{} 年（系统参数）",
            format_number(cfg.service_years_min),
            format_number(cfg.service_years_max)
        ),
    ));
    let mut outcome = RuleOutcome::Pass;
    let mut msgs = Vec::new();
    if years > cfg.service_years_max {
        outcome = RuleOutcome::Fail;
        msgs.push(format!(
            "按设计规模开采需 {years:.1} 年，超过 {} 年：规模与资源储量不相适应（大矿小开）",
            format_number(cfg.service_years_max)
        ));
    } else if years < cfg.service_years_min {
        outcome = RuleOutcome::ManualCheck;
        msgs.push(format!(
            "服务年限仅 {years:.1} 年，短于 {} 年，须核实资源储量与规模",
            format_number(cfg.service_years_min)
        ));
    }
    if let Some(stated) = app.service_years {
        evidence.push(Evidence::num("申请书所填服务年限", stated, 1, "年"));
        if (stated - years).abs() > cfg.service_years_tolerance * years {
            if outcome == RuleOutcome::Pass {
                outcome = RuleOutcome::ManualCheck;
            }
            msgs.push(format!(
                "所填服务年限 {} 年与资源量÷规模（{years:.1} 年）相差超过 {:.0}%",
                format_number(stated),
                cfg.service_years_tolerance * 100.0
            ));
        }
    }
    if outcome == RuleOutcome::Pass {
        msgs.push(format!("服务年限 {years:.1} 年，开采规模与资源储量相适应"));
    }
    RULE.result(ctx, outcome, msgs.join("；"), evidence, vec![], vec![])
}
