//! R3 — one block, one right (一个勘查规划区块对应一个勘查主体；一个开采规划区块对应一个开采项目):
//! no other valid right or pending application of the same kind overlaps the application's
//! planning block. Suifenhe: 《规划》四（三）1–2.

use super::Rule;
use crate::application::{ApplicationKind as K, ChangeKind as C};
use crate::review::{
    Evidence, Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity, overlap_options,
};
use crate::rights::RightStatus;
use minplan_geo::overlay::{OverlapClass, Subject};

/// R3.
pub const RULE: Rule = Rule {
    id: "R3",
    title: "一个规划区块只设置一个矿业权",
    severity: RuleSeverity::Major,
};

/// Checks R3.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    if !matches!(
        (f.app.kind, f.app.change),
        (K::New | K::ExplorationToMining, _) | (K::Change, Some(C::Enlarge))
    ) {
        return RULE.not_applicable(ctx, "不新设矿业权、不扩大范围");
    }
    let Some((i, _, _)) = f.chosen_block else {
        return RULE.not_applicable(ctx, "申请范围不在相应规划区块内（见 R2）");
    };
    let b = &ctx.plan.blocks[i];
    let block_mp =
        crate::review::spatial::project_polygons(&ctx.spatial.zone.projection(), &b.geometry);
    let Some(block) = Subject::new(block_mp) else {
        return RULE.not_applicable(ctx, "区块无图形");
    };
    let own: Vec<&str> = [Some(f.app.number.as_str()), f.app.existing_right.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let mut opts = overlap_options(ctx.config, false);
    opts.want_geometry = false;
    let others: Vec<String> = ctx
        .spatial
        .rights
        .overlaps(&block, &opts)
        .into_iter()
        .filter(|o| o.class == OverlapClass::Overlap)
        .map(|o| &ctx.rights[o.feature])
        .filter(|r| {
            r.kind == f.app.right_kind
                && matches!(r.status, RightStatus::Valid | RightStatus::Pending)
                && !own.contains(&r.id.as_str())
        })
        .map(|r| {
            format!(
                "{}（{}，{}，{}）",
                r.id,
                r.name,
                r.holder_name,
                r.status.label()
            )
        })
        .collect();
    let evidence = vec![
        Evidence::text("规划区块", format!("{} {}", b.number, b.name)),
        Evidence::num(
            "区块内其他有效或在审的同类矿业权",
            others.len() as f64,
            0,
            "宗",
        ),
    ];
    if others.is_empty() {
        RULE.result(
            ctx,
            RuleOutcome::Pass,
            format!(
                "区块“{}”内没有其他有效或在审的{}",
                b.name,
                f.app.right_kind.label()
            ),
            evidence,
            vec![],
            vec![b.cite.clone()],
        )
    } else {
        let mut evidence = evidence;
        evidence.push(Evidence::text("已有矿业权", others.join("；")));
        RULE.result(
            ctx,
            RuleOutcome::Fail,
            format!(
                "区块“{}”内已有{}，违反一个区块对应一个{}的规定",
                b.name,
                others.join("、"),
                f.app.right_kind.label()
            ),
            evidence,
            vec![],
            vec![b.cite.clone()],
        )
    }
}
