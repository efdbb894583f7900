//! R13 — the applicant is not on 严重违法失信名单 (不符合) nor on 矿业权人异常名录
//! (需人工核查), matched by 统一社会信用代码. Suifenhe: 《规划》四（三）3（3）.

use super::Rule;
use crate::review::{Evidence, Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};

/// R13.
pub const RULE: Rule = Rule {
    id: "R13",
    title: "申请人未列入严重违法失信名单、异常名录",
    severity: RuleSeverity::Veto,
};

/// Checks R13.
pub fn check(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    let code = f.app.credit_code.as_str();
    let evidence = vec![Evidence::text(
        "申请人",
        format!("{}（{}）", f.app.holder_name, code),
    )];
    if let Some(e) = ctx
        .lists
        .serious_violation
        .iter()
        .find(|e| e.credit_code == code)
    {
        let mut ev = evidence;
        ev.push(Evidence::text(
            "严重违法失信名单",
            format!("{} 起：{}", e.since, e.reason),
        ));
        return RULE.result(
            ctx,
            RuleOutcome::Fail,
            format!("申请人列入严重违法失信名单（{} 起，{}）", e.since, e.reason),
            ev,
            vec![],
            vec![],
        );
    }
    if let Some(e) = ctx.lists.abnormal.iter().find(|e| e.credit_code == code) {
        let mut ev = evidence;
        ev.push(Evidence::text(
            "矿业权人异常名录",
            format!("{} 起：{}", e.since, e.reason),
        ));
        return RULE.result(
            ctx,
            RuleOutcome::ManualCheck,
            format!(
                "申请人列入矿业权人异常名录（{} 起，{}），须核实整改情况",
                e.since, e.reason
            ),
            ev,
            vec![],
            vec![],
        );
    }
    RULE.result(
        ctx,
        RuleOutcome::Pass,
        "申请人未列入严重违法失信名单和矿业权人异常名录",
        evidence,
        vec![],
        vec![],
    )
}

/// The standard behind matching by credit code.
pub const BASIS: &str =
    "GB 32100-2015《法人和其他组织统一社会信用代码编码规则》（按统一社会信用代码比对名录）";
