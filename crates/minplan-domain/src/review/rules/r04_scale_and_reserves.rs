//! R4 — no 大矿小开 / 一矿多开: the design scale fits the reserves and the service life.
//! 服务年限 = 保有资源量 ÷ 设计生产规模 must lie in [`ReviewConfig::service_years_min`,
//! `service_years_max`]: above the range the scale is too small for the deposit (不符合,
//! 大矿小开); below it the mine is too short-lived (需人工核查). A stated service life that
//! differs from the quotient by more than `service_years_tolerance` needs a look. Without
//! reserves the rule cannot be checked (需人工核查). 一矿多开 within a block is R3.
//!
//! Reserves and capacity are compared in the same unit (千立方米 converts to 万立方米; 万吨
//! against 万立方米/年 needs a person) and on the same basis: 荒料量 (dimension-stone blocks)
//! against 矿石量, or against an unstated basis, cannot be compared (需人工核查, never a
//! 大矿小开 verdict). 查明资源量 are not what the mine will extract: above the range it is
//! 需人工核查 (按可采储量核实), not 不符合.
//! Suifenhe: 《规划》四（三）2 (禁止“大矿小开”“一矿多开”), 五（三）1.
//!
//! [`ReviewConfig::service_years_min`]: crate::review::config::ReviewConfig::service_years_min

use super::Rule;
use crate::application::{ApplicationKind as K, ChangeKind as C, RightKind};
use crate::application::{Basis, Material, ReserveCategory};
use crate::citation::format_number;
use crate::review::{Evidence, Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};
use crate::units::convert;

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
    // A daily capacity with its working days stated counts as yearly.
    let Some(cap) = app.annual_capacity() else {
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
    let with_basis = |q: String, b: Option<Basis>| match b {
        Some(b) => format!("{q}（{b}）"),
        None => q,
    };
    let mut evidence = vec![
        Evidence::text(
            "设计生产规模",
            with_basis(cap.to_string(), app.capacity_basis),
        ),
        Evidence::text(
            "保有资源量",
            with_basis(res.to_string(), app.reserves_basis),
        ),
    ];
    if let Some(n) = app.daily_capacity_note() {
        evidence.push(Evidence::text("生产规模换算（按申请所填年工作天数）", n));
    }
    let res_material = app.reserves_basis.and_then(|b| b.material);
    let cap_material = app.capacity_basis.and_then(|b| b.material);
    if res_material != cap_material
        && (res_material == Some(Material::Block) || cap_material == Some(Material::Block))
    {
        let l = |m: Option<Material>| m.map_or("未注明", |m| m.label());
        return RULE.result(
            ctx,
            RuleOutcome::ManualCheck,
            format!(
                "资源量与生产规模的基准不同（{}/{}），无法比较：须换算为同一基准（如按荒料率）后核验",
                l(res_material),
                l(cap_material)
            ),
            evidence,
            vec![],
            vec![],
        );
    }
    // Reserves in the amount unit of the capacity (千立方米 → 万立方米 for 万立方米/年).
    let Some(reserves) = cap
        .unit
        .amount()
        .and_then(|a| convert(res.value, res.unit, a))
    else {
        return RULE.result(
            ctx,
            RuleOutcome::ManualCheck,
            "资源量与生产规模的计量单位不一致，须换算后核验",
            evidence,
            vec![],
            vec![],
        );
    };
    let years = reserves / cap.value;
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
    let identified = app
        .reserves_basis
        .and_then(|b| b.category)
        .is_some_and(|c| c == ReserveCategory::Identified);
    if years > cfg.service_years_max && identified {
        outcome = RuleOutcome::ManualCheck;
        msgs.push(format!(
            "按查明资源量计需 {years:.1} 年，超过 {} 年；查明资源量未扣除设计损失，须按可采储量核实是否大矿小开",
            format_number(cfg.service_years_max)
        ));
    } else if years > cfg.service_years_max {
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
