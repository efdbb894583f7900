//! R14 — 三同时: the 开发利用方案 and the 矿区生态修复方案 (矿山地质环境保护与土地复垦方案) are
//! filed together, and a new mine commits to green-mine construction (绿色矿山建设承诺).
//! Missing documents → 不符合 (补正后重新审查). Suifenhe: 《规划》五（三）2–3, 六（二）1.

use super::Rule;
use crate::application::{ApplicationKind as K, ChangeKind as C, RightKind};
use crate::review::{Evidence, Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};

/// R14.
pub const RULE: Rule = Rule {
    id: "R14",
    title: "开发利用方案与生态修复方案同步报送（三同时），新建矿山承诺建设绿色矿山",
    severity: RuleSeverity::Major,
};

/// Checks R14.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    let app = f.app;
    let applies = app.right_kind == RightKind::Mining
        && matches!(
            (app.kind, app.change),
            (K::New | K::ExplorationToMining, _) | (K::Change, Some(C::Enlarge | C::Scale))
        );
    if !applies {
        return RULE.not_applicable(ctx, "只审查新设采矿权及扩大范围、变更规模的采矿权申请");
    }
    let d = app.documents;
    let yes = |b: bool| if b { "已提交" } else { "未提交" };
    let mut evidence = vec![
        Evidence::text("矿产资源开发利用方案", yes(d.development_plan)),
        Evidence::text(
            "矿区生态修复方案（矿山地质环境保护与土地复垦方案）",
            yes(d.restoration_plan),
        ),
    ];
    let mut missing = Vec::new();
    if !d.development_plan {
        missing.push("矿产资源开发利用方案");
    }
    if !d.restoration_plan {
        missing.push("矿区生态修复方案");
    }
    if app.creates_mine() {
        evidence.push(Evidence::text(
            "绿色矿山建设承诺",
            yes(d.green_mine_commitment),
        ));
        if !d.green_mine_commitment {
            missing.push("绿色矿山建设承诺");
        }
    }
    if missing.is_empty() {
        RULE.result(
            ctx,
            RuleOutcome::Pass,
            "开发利用方案与生态修复方案同步报送，材料齐全",
            evidence,
            vec![],
            vec![],
        )
    } else {
        RULE.result(
            ctx,
            RuleOutcome::Fail,
            format!(
                "缺少{}，不符合三同时（同步编制、同步审查、同步实施）要求；补正后重新审查",
                missing.join("、")
            ),
            evidence,
            vec![],
            vec![],
        )
    }
}
