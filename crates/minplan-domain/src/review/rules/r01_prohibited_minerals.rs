//! R1 — the mineral is not prohibited or restricted by the plan (禁止、限制开采矿种).
//!
//! For each prohibition whose mineral the application's minerals are a kind of:
//! `always` → 不符合; `wetland` / `arable_land` → 不符合 when the applicant declares the site
//! includes it, or (arable land) when the area overlaps 永久基本农田; otherwise 需人工核查
//! (the land use must be verified against 国土调查 data). Suifenhe: 禁止湿地泥炭、可耕地的砖瓦用
//! 粘土项目开采, 《规划》四（一）2.

use super::{Rule, kind_label};
use crate::plan::{ControlLayerKind, ProhibitionCondition, ProhibitionKind};
use crate::review::{Evidence, Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};
use minplan_geo::overlay::OverlapClass;

/// R1.
pub const RULE: Rule = Rule {
    id: "R1",
    title: "矿种不属于规划禁止、限制开采矿种",
    severity: RuleSeverity::Veto,
};

/// Checks R1.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    use crate::application::{ApplicationKind as K, ChangeKind as C};
    let applies = matches!(
        (f.app.kind, f.app.change),
        (K::New | K::ExplorationToMining | K::Extension, _)
            | (K::Change, Some(C::Enlarge | C::Mineral))
    );
    if !applies {
        return RULE.not_applicable(ctx, format!("{}申请不涉及矿种与新增范围", kind_label(f)));
    }
    let plan = ctx.plan;
    let hits: Vec<_> = plan
        .prohibitions
        .iter()
        .filter(|p| {
            f.app
                .minerals
                .iter()
                .any(|m| plan.minerals.is_kind_of(m, &p.mineral))
        })
        .collect();
    if hits.is_empty() {
        let cites = plan
            .prohibitions
            .iter()
            .map(|p| p.cite.clone())
            .take(1)
            .collect();
        return RULE.result(
            ctx,
            RuleOutcome::Pass,
            format!(
                "申请矿种（{}）不属于规划禁止或限制开采的矿种",
                f.app.minerals.join("、")
            ),
            vec![Evidence::text(
                "规划禁止、限制开采",
                plan.prohibitions
                    .iter()
                    .map(|p| p.label.as_str())
                    .collect::<Vec<_>>()
                    .join("；"),
            )],
            vec![],
            cites,
        );
    }
    let mut outcome = RuleOutcome::Pass;
    let mut messages = Vec::new();
    let mut evidence = Vec::new();
    let mut cites = Vec::new();
    let farmland_overlap: f64 = f
        .control_hits(ControlLayerKind::PermanentBasicFarmland)
        .map(|l| {
            l.hits
                .iter()
                .filter(|h| h.class == OverlapClass::Overlap)
                .map(|h| h.area_m2)
                .sum()
        })
        .unwrap_or(0.0);
    let worse = |a: RuleOutcome, b: RuleOutcome| match (a, b) {
        (RuleOutcome::Fail, _) | (_, RuleOutcome::Fail) => RuleOutcome::Fail,
        (RuleOutcome::ManualCheck, _) | (_, RuleOutcome::ManualCheck) => RuleOutcome::ManualCheck,
        _ => RuleOutcome::Pass,
    };
    for p in hits {
        cites.push(p.cite.clone());
        let verb = p.kind.label();
        evidence.push(Evidence::text("规划规定", p.label.clone()));
        let (o, msg) = match p.condition {
            ProhibitionCondition::Always => (
                if p.kind == ProhibitionKind::Prohibited {
                    RuleOutcome::Fail
                } else {
                    RuleOutcome::ManualCheck
                },
                format!("规划{verb}开采{}", p.mineral),
            ),
            ProhibitionCondition::Wetland => match f.app.site.wetland {
                Some(true) => (
                    RuleOutcome::Fail,
                    format!("申请人声明矿区涉及湿地，规划{verb}湿地{}开采", p.mineral),
                ),
                Some(false) => (
                    RuleOutcome::ManualCheck,
                    format!(
                        "申请人声明不涉及湿地；规划{verb}湿地{}开采，须以国土调查湿地图斑核实",
                        p.mineral
                    ),
                ),
                None => (
                    RuleOutcome::ManualCheck,
                    format!(
                        "规划{verb}湿地{}开采，申请未说明是否涉及湿地，须核实",
                        p.mineral
                    ),
                ),
            },
            ProhibitionCondition::ArableLand => {
                if farmland_overlap > 0.0 {
                    evidence.push(Evidence::num(
                        "与永久基本农田重叠面积",
                        farmland_overlap,
                        2,
                        "m²",
                    ));
                }
                match (f.app.site.arable_land, farmland_overlap > 0.0) {
                    (Some(true), _) | (_, true) => (
                        RuleOutcome::Fail,
                        format!("矿区涉及可耕地，规划{verb}可耕地的{}项目开采", p.mineral),
                    ),
                    (Some(false), false) => (
                        RuleOutcome::ManualCheck,
                        format!(
                            "申请人声明不涉及可耕地；规划{verb}可耕地的{}项目开采，须以国土调查耕地图斑核实",
                            p.mineral
                        ),
                    ),
                    (None, false) => (
                        RuleOutcome::ManualCheck,
                        format!(
                            "规划{verb}可耕地的{}项目开采，申请未说明是否涉及可耕地，须核实",
                            p.mineral
                        ),
                    ),
                }
            }
        };
        outcome = worse(outcome, o);
        messages.push(msg);
    }
    RULE.result(ctx, outcome, messages.join("；"), evidence, vec![], cites)
}
