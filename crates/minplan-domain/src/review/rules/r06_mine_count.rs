//! R6 — the mine-count caps hold after approval: 矿山企业数量 (distinct holders of valid
//! mining rights) ≤ the plan's total cap, and mines approved at this level ≤ its cap.
//! Pending applications that would also add mines are counted as evidence: if together they
//! would break a cap, 需人工核查 (which to approve first). Suifenhe: ≤ 3 家, 本级 ≤ 2 家,
//! 《规划》五（一）.

use super::Rule;
use crate::plan::ApprovalLevel;
use crate::review::{Evidence, Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};
use std::collections::BTreeSet;

/// R6.
pub const RULE: Rule = Rule {
    id: "R6",
    title: "批准后矿山数量不超过规划控制数",
    severity: RuleSeverity::Veto,
};

/// Checks R6.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    let app = f.app;
    if !app.creates_mine() {
        return RULE.not_applicable(ctx, "不新建矿山");
    }
    let adm = &ctx.plan.admission;
    let before = &ctx.stats.holders;
    let applicant = app.credit_code.to_string();
    // Holders after approval: the current ones plus the applicant if new.
    let after_len = before.len() + usize::from(!before.contains(&applicant));
    let pending: BTreeSet<String> = ctx
        .stats
        .pending_mines
        .iter()
        .filter(|(id, h)| *id != app.number && !before.contains(h) && *h != applicant)
        .map(|(_, h)| h.clone())
        .collect();
    let cap = adm.mine_cap_total.value as usize;
    let mut evidence = vec![
        Evidence::num("现有矿山企业（有效采矿权人）", before.len() as f64, 0, "家"),
        Evidence::num("批准后矿山企业", after_len as f64, 0, "家"),
        Evidence::num("规划控制数", cap as f64, 0, "家"),
        Evidence::num("其他在审新建矿山申请人", pending.len() as f64, 0, "家"),
    ];
    let mut cites = vec![adm.mine_cap_total.cite.clone()];
    let mut outcome = RuleOutcome::Pass;
    let mut msgs = Vec::new();
    if after_len > cap {
        outcome = RuleOutcome::Fail;
        msgs.push(format!(
            "批准后矿山企业 {} 家，超过规划控制的 {cap} 家",
            after_len
        ));
    } else if after_len + pending.len() > cap {
        outcome = RuleOutcome::ManualCheck;
        msgs.push(format!(
            "批准后 {} 家未超过 {cap} 家，但连同其他在审申请将达 {} 家，须统筹审批顺序",
            after_len,
            after_len + pending.len()
        ));
    } else {
        msgs.push(format!(
            "批准后矿山企业 {} 家，不超过规划控制的 {cap} 家",
            after_len
        ));
    }
    if let Some(c) = &adm.mine_cap_this_level {
        let this_level = f.approval(ctx.plan) == Some(ApprovalLevel::ThisLevel);
        let before_l = ctx.stats.this_level;
        let after_l = before_l + usize::from(this_level);
        evidence.push(Evidence::num(
            "本级审批发证矿山（现有）",
            before_l as f64,
            0,
            "家",
        ));
        evidence.push(Evidence::num(
            "本级审批发证矿山（批准后）",
            after_l as f64,
            0,
            "家",
        ));
        evidence.push(Evidence::num("本级控制数", c.value as f64, 0, "家"));
        cites.push(c.cite.clone());
        if after_l > c.value as usize {
            outcome = RuleOutcome::Fail;
            msgs.push(format!(
                "批准后本级审批发证的矿山 {after_l} 家，超过规划控制的 {} 家",
                c.value
            ));
        } else if this_level {
            msgs.push(format!(
                "批准后本级审批发证的矿山 {after_l} 家，不超过 {} 家",
                c.value
            ));
        }
    }
    RULE.result(ctx, outcome, msgs.join("；"), evidence, vec![], cites)
}
