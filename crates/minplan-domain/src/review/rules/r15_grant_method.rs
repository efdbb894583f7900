//! R15 — rights are granted by 招标、拍卖、挂牌 unless a listed exception applies (协议出让
//! only with a listed reason; 探转采 follows from the exploration right). Suifenhe:
//! 《规划》四（三）3（2） (矿业权出让原则上以招标、拍卖、挂牌等市场竞争方式为主).

use super::Rule;
use crate::application::{AgreementReason, ApplicationKind, GrantMethod};
use crate::review::{Evidence, Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};

/// R15.
pub const RULE: Rule = Rule {
    id: "R15",
    title: "以招标、拍卖、挂牌方式出让（协议出让须有法定情形）",
    severity: RuleSeverity::Major,
};

/// Checks R15.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    let app = f.app;
    match app.kind {
        ApplicationKind::ExplorationToMining => {
            return RULE.result(
                ctx,
                RuleOutcome::Pass,
                "探矿权人依法申请其勘查区块内的采矿权（探转采），不另行出让",
                vec![Evidence::text("出让方式", app.grant_method.label())],
                vec![],
                vec![],
            );
        }
        ApplicationKind::New => {}
        _ => return RULE.not_applicable(ctx, "不涉及新的矿业权出让"),
    }
    let mut evidence = vec![Evidence::text("出让方式", app.grant_method.label())];
    if app.net_mineral_grant {
        evidence.push(Evidence::text("净矿出让", "是"));
    }
    match app.grant_method {
        GrantMethod::Tender | GrantMethod::Auction | GrantMethod::Listing => RULE.result(
            ctx,
            RuleOutcome::Pass,
            format!("以{}方式出让，属市场竞争方式", app.grant_method.label()),
            evidence,
            vec![],
            vec![],
        ),
        GrantMethod::Agreement => {
            let note = app.agreement_note.clone().unwrap_or_default();
            match app.agreement_reason {
                None => RULE.result(
                    ctx,
                    RuleOutcome::Fail,
                    "协议出让未说明法定情形；矿业权出让原则上以招标、拍卖、挂牌方式进行",
                    evidence,
                    vec![],
                    vec![],
                ),
                Some(AgreementReason::ExplorerConversion) => RULE.result(
                    ctx,
                    RuleOutcome::Fail,
                    "以“探转采”为协议出让理由时，申请类型应为“探转采”并附原探矿权",
                    evidence,
                    vec![],
                    vec![],
                ),
                Some(r) => {
                    evidence.push(Evidence::text(
                        "协议出让理由",
                        format!(
                            "{}{}",
                            r.label(),
                            if note.is_empty() {
                                String::new()
                            } else {
                                format!("：{note}")
                            }
                        ),
                    ));
                    RULE.result(
                        ctx,
                        RuleOutcome::ManualCheck,
                        format!("协议出让，理由为“{}”，须核验批准文件等依据", r.label()),
                        evidence,
                        vec![],
                        vec![],
                    )
                }
            }
        }
    }
}
