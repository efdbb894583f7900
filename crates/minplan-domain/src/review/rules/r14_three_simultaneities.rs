//! R14 — 三同时: the 开发利用方案 and the 矿区生态修复方案 (矿山地质环境保护与土地复垦方案) are
//! filed together, and a new mine commits to green-mine construction (绿色矿山建设承诺).
//! Missing documents → 不符合 (补正后重新审查). Suifenhe: 《规划》五（三）2–3, 六（二）1.
//!
//! When the bureau's record of the plans is consulted ([`ReviewContext::plans_on_file`], by
//! 申请编号 or, for a change of an existing right, by its mine), the evidence cites each plan's
//! filing and approval (dates, 文号); a plan the application form only ticks without a filing
//! on record is said so (申请表勾选，未见报送记录); two plans on record filed further apart
//! than the bureau's setting are not filed together (不符合). The record travels in the
//! review's inputs, so a replay reads the same record.

use super::Rule;
use crate::application::{ApplicationKind as K, ChangeKind as C, RightKind};
use crate::date::Date;
use crate::review::{Evidence, Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};
use serde::{Deserialize, Serialize};

/// A plan on the bureau's record, as R14 cites it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FiledPlan {
    /// `true` for the 矿区生态修复方案, `false` for the 矿产资源开发利用方案.
    pub restoration: bool,
    /// 方案名称.
    pub title: String,
    /// 编制单位.
    pub author: String,
    /// 报送日期.
    pub filed_on: Date,
    /// 审查/批复日期.
    pub approved_on: Option<Date>,
    /// 审查/批复文号.
    pub approval_number: Option<String>,
}

impl FiledPlan {
    /// `《…》，2025年3月1日报送（编制单位：…）；2025年4月2日审查批复，文号 …` or `…；尚未审查批复`.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "《{}》，{}报送（编制单位：{}）",
            self.title,
            self.filed_on.chinese(),
            self.author
        );
        match (&self.approved_on, &self.approval_number) {
            (Some(d), Some(n)) => s.push_str(&format!("；{}审查批复，文号 {n}", d.chinese())),
            _ => s.push_str("；尚未审查批复"),
        }
        s
    }
}

/// What R14 reads of the record for an application: the plans on file (empty when none was
/// found) and the bureau's “filed together” setting. Stored with the review (JSON) so that a
/// replay gives the same answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PlansOnFile {
    /// How the record was looked up: `申请编号 XX` / `原矿业权 C… 所属矿山“…”`.
    pub found_by: String,
    /// The plans on file.
    pub plans: Vec<FiledPlan>,
    /// The bureau's setting: filing dates at most this many days apart count as together.
    pub max_days_apart: u32,
}

impl PlansOnFile {
    /// The latest filing of one plan.
    pub fn latest(&self, restoration: bool) -> Option<&FiledPlan> {
        self.plans
            .iter()
            .filter(|p| p.restoration == restoration)
            .max_by_key(|p| p.filed_on)
    }

    /// Whether the latest two filings count as filed together, when both are on file.
    pub fn together(&self) -> Option<Together> {
        Some(Together::of(
            self.latest(false)?.filed_on,
            self.latest(true)?.filed_on,
            self.max_days_apart,
        ))
    }
}

/// Whether the two plans were filed together (三同时, 《规划》六（二）1（1）“同步编制、同步审查、
/// 同步实施”). The rule: the two filing dates are the same date, or at most
/// `max_days_apart` calendar days apart — `max_days_apart` is a bureau setting (default 0:
/// the same date), not a figure of the plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Together {
    /// Days between the two filings.
    pub days_apart: i64,
    /// The setting applied.
    pub max_days_apart: u32,
    /// Whether they count as filed together.
    pub together: bool,
}

impl Together {
    /// The verdict on two filing dates.
    pub fn of(development: Date, restoration: Date, max_days_apart: u32) -> Together {
        let days_apart = restoration.days_since(development).abs();
        Together {
            days_apart,
            max_days_apart,
            together: days_apart <= i64::from(max_days_apart),
        }
    }

    /// `同日报送，符合同步报送要求` / `相隔 3 天报送（限 5 天内），符合同步报送要求` /
    /// `相隔 40 天报送（限同日），未同步报送`.
    pub fn label(&self) -> String {
        let limit = if self.max_days_apart == 0 {
            "限同日".to_string()
        } else {
            format!("限 {} 天内", self.max_days_apart)
        };
        if self.days_apart == 0 {
            "同日报送，符合同步报送要求".into()
        } else if self.together {
            format!(
                "相隔 {} 天报送（{limit}），符合同步报送要求",
                self.days_apart
            )
        } else {
            format!("相隔 {} 天报送（{limit}），未同步报送", self.days_apart)
        }
    }
}

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
    let record = ctx.plans_on_file;
    let mut evidence = Vec::new();
    let mut missing = Vec::new();
    let mut unverified = Vec::new();
    for (restoration, ticked, label, short) in [
        (
            false,
            d.development_plan,
            "矿产资源开发利用方案",
            "矿产资源开发利用方案",
        ),
        (
            true,
            d.restoration_plan,
            "矿区生态修复方案（矿山地质环境保护与土地复垦方案）",
            "矿区生态修复方案",
        ),
    ] {
        let on_file = record.and_then(|r| r.latest(restoration));
        let value = match (record, on_file) {
            (None, _) => yes(ticked).to_string(),
            (Some(_), Some(p)) => format!("已报送：{}", p.describe()),
            (Some(_), None) if ticked => {
                unverified.push(short);
                "申请表勾选，未见报送记录".to_string()
            }
            (Some(_), None) => "未提交".to_string(),
        };
        evidence.push(Evidence::text(label, value));
        if !ticked && on_file.is_none() {
            missing.push(short);
        }
    }
    let mut apart = None;
    if let Some(r) = record {
        evidence.push(Evidence::text(
            "报送记录",
            if r.plans.is_empty() {
                format!("按{}未查到方案报送记录", r.found_by)
            } else {
                format!("按{}查到 {} 份方案报送记录", r.found_by, r.plans.len())
            },
        ));
        if let Some(t) = r.together() {
            evidence.push(Evidence::text("同步报送", t.label()));
            if !t.together {
                apart = Some(t);
            }
        }
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
    if missing.is_empty() && apart.is_none() {
        let mut message = "开发利用方案与生态修复方案同步报送，材料齐全".to_string();
        if !unverified.is_empty() {
            message.push_str(&format!(
                "；{}仅申请表勾选，未见报送记录，请核实",
                unverified.join("、")
            ));
        }
        RULE.result(ctx, RuleOutcome::Pass, message, evidence, vec![], vec![])
    } else {
        let mut parts = Vec::new();
        if !missing.is_empty() {
            parts.push(format!("缺少{}", missing.join("、")));
        }
        if let Some(t) = apart {
            parts.push(format!("两方案{}", t.label()));
        }
        RULE.result(
            ctx,
            RuleOutcome::Fail,
            format!(
                "{}，不符合三同时（同步编制、同步审查、同步实施）要求；补正后重新审查",
                parts.join("；")
            ),
            evidence,
            vec![],
            vec![],
        )
    }
}
