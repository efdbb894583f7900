//! 矿山生态修复项目 (《规划》一（一）6 baseline, 六（二）4, 专栏1 重点治理项目): the project as
//! entered ([`RestorationProject`]) with its sites, funding by source (社会资本 under “谁修复、谁受益”,
//! 六（二）4), budget and spending (万元), restored area (km²) and dates ([`check_project`]),
//! and its acceptance ([`check_project_acceptance`]), which sets the legacy mines of its sites
//! to 已验收 only when they are 已治理.

use crate::date::Date;
use crate::register::Problem;
use crate::restoration::legacy::{Acceptance, Status, check_acceptance};
use serde::{Deserialize, Serialize};

/// A funding source of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FundingSource {
    /// 中央财政.
    Central,
    /// 省级财政.
    Provincial,
    /// 地方财政.
    Local,
    /// 社会资本（谁修复、谁受益）.
    Social,
    /// 企业治理恢复基金.
    CompanyFund,
}

impl FundingSource {
    /// Every source, in display order.
    pub const ALL: [FundingSource; 5] = [
        FundingSource::Central,
        FundingSource::Provincial,
        FundingSource::Local,
        FundingSource::Social,
        FundingSource::CompanyFund,
    ];

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            FundingSource::Central => "中央财政",
            FundingSource::Provincial => "省级财政",
            FundingSource::Local => "地方财政",
            FundingSource::Social => "社会资本（谁修复、谁受益）",
            FundingSource::CompanyFund => "企业治理恢复基金",
        }
    }

    /// Reads a label (社会资本 also without the bracket).
    pub fn parse(s: &str) -> Option<FundingSource> {
        let s = s.trim();
        if s == "社会资本" {
            return Some(FundingSource::Social);
        }
        FundingSource::ALL.into_iter().find(|f| f.label() == s)
    }

    /// A short key for form fields: `central`, `provincial`, `local`, `social`, `company_fund`.
    pub fn key(self) -> &'static str {
        match self {
            FundingSource::Central => "central",
            FundingSource::Provincial => "provincial",
            FundingSource::Local => "local",
            FundingSource::Social => "social",
            FundingSource::CompanyFund => "company_fund",
        }
    }
}

/// One funding line: a source and its amount, 万元.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundingLine {
    /// The source.
    pub source: FundingSource,
    /// 万元, > 0.
    pub amount_wan_yuan: f64,
}

/// A site of a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Site {
    /// A legacy mine of the inventory (its id).
    Legacy(i64),
    /// A mine's disturbed area (the mine's id).
    MineDisturbed(i64),
}

/// A project as entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestorationProject {
    /// 项目名称.
    pub name: String,
    /// Sites; may be empty only for a baseline project (the 2015–2020 projects were recorded
    /// without site records).
    pub sites: Vec<Site>,
    /// Funding by source; their sum equals the budget.
    pub funding: Vec<FundingLine>,
    /// 预算（总投资）, 万元.
    pub budget_wan_yuan: f64,
    /// 已支出, 万元; not above the budget.
    pub spent_wan_yuan: f64,
    /// 修复面积, km².
    pub restored_area_km2: f64,
    /// 开工日期.
    pub start: Date,
    /// 完工日期, when finished.
    pub end: Option<Date>,
    /// 重点治理项目 (counted toward 专栏1).
    pub key_project: bool,
    /// 基线 (a 2015–2020 project of 一（一）6).
    pub baseline: bool,
}

/// Largest gap between the funding lines' sum and the budget, 万元 (half of 0.0001 万元, the
/// 4 decimals amounts are kept to).
pub const FUNDING_TOLERANCE_WAN_YUAN: f64 = 0.00005;

/// Checks a project: name; budget > 0; each funding line > 0, each source once, their sum
/// equal to the budget (cross-check); spent between 0 and the budget; restored area > 0;
/// end not before start; a baseline project within 2015–2020 (一（一）6 “2015年以来”, before
/// the plan period); a site at least, unless baseline; no site twice.
///
/// # Errors
/// Every problem, naming its field (`name`, `budget`, `funding`, `spent`, `restored_area`,
/// `end`, `start`, `sites`).
pub fn check_project(p: &RestorationProject) -> Result<(), Vec<Problem>> {
    let mut out = Vec::new();
    if p.name.trim().is_empty() {
        out.push(Problem::new("name", "请填写项目名称"));
    }
    let finite_pos = |v: f64| v.is_finite() && v > 0.0;
    if !finite_pos(p.budget_wan_yuan) {
        out.push(Problem::new("budget", "预算（万元）应大于 0"));
    }
    let mut seen = std::collections::BTreeSet::new();
    for l in &p.funding {
        if !finite_pos(l.amount_wan_yuan) {
            out.push(Problem::new(
                "funding",
                format!("资金来源“{}”的金额应大于 0 万元", l.source.label()),
            ));
        }
        if !seen.insert(l.source) {
            out.push(Problem::new(
                "funding",
                format!("资金来源“{}”填写了两次", l.source.label()),
            ));
        }
    }
    let sum: f64 = p.funding.iter().map(|l| l.amount_wan_yuan).sum();
    if p.funding.is_empty() {
        out.push(Problem::new("funding", "请至少填写一项资金来源"));
    } else if p.budget_wan_yuan.is_finite()
        && (sum - p.budget_wan_yuan).abs() > FUNDING_TOLERANCE_WAN_YUAN
    {
        out.push(Problem::new(
            "funding",
            format!(
                "各资金来源合计 {} 万元，与预算 {} 万元不符",
                round4(sum),
                round4(p.budget_wan_yuan)
            ),
        ));
    }
    if !p.spent_wan_yuan.is_finite() || p.spent_wan_yuan < 0.0 {
        out.push(Problem::new("spent", "已支出（万元）不能为负数"));
    } else if p.budget_wan_yuan.is_finite()
        && p.spent_wan_yuan > p.budget_wan_yuan + FUNDING_TOLERANCE_WAN_YUAN
    {
        out.push(Problem::new(
            "spent",
            format!(
                "已支出 {} 万元超过预算 {} 万元",
                round4(p.spent_wan_yuan),
                round4(p.budget_wan_yuan)
            ),
        ));
    }
    if !finite_pos(p.restored_area_km2) {
        out.push(Problem::new(
            "restored_area",
            "修复面积（平方公里）应大于 0",
        ));
    }
    if let Some(end) = p.end.filter(|e| *e < p.start) {
        out.push(Problem::new(
            "end",
            format!(
                "完工日期 {} 早于开工日期 {}",
                end.chinese(),
                p.start.chinese()
            ),
        ));
    }
    if p.baseline && !(2015..=2020).contains(&p.start.year()) {
        out.push(Problem::new(
            "start",
            format!(
                "基线项目应为 2015～2020 年实施的项目（《规划》一（一）6），开工于 {} 年",
                p.start.year()
            ),
        ));
    }
    if p.sites.is_empty() && !p.baseline {
        out.push(Problem::new(
            "sites",
            "请至少选择一处修复地块（历史遗留矿山或矿山损毁区）",
        ));
    }
    let mut sites = std::collections::HashSet::new();
    if p.sites.iter().any(|s| !sites.insert(*s)) {
        out.push(Problem::new("sites", "同一地块选择了两次"));
    }
    if out.is_empty() { Ok(()) } else { Err(out) }
}

fn round4(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// Checks a project's acceptance: the acceptance itself ([`check_acceptance`], not before the
/// start), and every legacy mine among its sites (`legacy`: name and status) 已治理 or already
/// 已验收 — the others are named and nothing is accepted. Returns the legacy mines to set to
/// 已验收 (those 已治理), by their position in `legacy`.
///
/// # Errors
/// The problems (`accepted_on`, `accepted_by`, `acceptance_number`, `sites`).
pub fn check_project_acceptance(
    a: &Acceptance,
    start: Date,
    legacy: &[(String, Status)],
    today: Date,
) -> Result<Vec<usize>, Vec<Problem>> {
    let mut out = match check_acceptance(a, Some(start), today) {
        Ok(()) => vec![],
        Err(p) => p,
    };
    let not_done: Vec<String> = legacy
        .iter()
        .filter(|(_, s)| !s.restored())
        .map(|(n, s)| format!("{n}（{}）", s.label()))
        .collect();
    if !not_done.is_empty() {
        out.push(Problem::new(
            "sites",
            format!(
                "以下历史遗留矿山尚未治理完成，不能验收：{}",
                not_done.join("、")
            ),
        ));
    }
    if !out.is_empty() {
        return Err(out);
    }
    Ok(legacy
        .iter()
        .enumerate()
        .filter(|(_, (_, s))| *s == Status::Restored)
        .map(|(i, _)| i)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn project() -> RestorationProject {
        RestorationProject {
            name: "绥芬河市历史遗留矿山生态修复一期".into(),
            sites: vec![Site::Legacy(1)],
            funding: vec![
                FundingLine {
                    source: FundingSource::Central,
                    amount_wan_yuan: 60.0,
                },
                FundingLine {
                    source: FundingSource::Social,
                    amount_wan_yuan: 40.0,
                },
            ],
            budget_wan_yuan: 100.0,
            spent_wan_yuan: 20.0,
            restored_area_km2: 0.01,
            start: d("2026-04-01"),
            end: None,
            key_project: true,
            baseline: false,
        }
    }

    #[test]
    fn a_sound_project_passes() {
        assert!(check_project(&project()).is_ok());
    }

    #[test]
    fn funding_must_add_up_to_the_budget() {
        let mut p = project();
        p.funding[1].amount_wan_yuan = 30.0;
        let e = check_project(&p).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].field, "funding");
        assert_eq!(e[0].message, "各资金来源合计 90 万元，与预算 100 万元不符");
    }

    #[test]
    fn refusals_name_their_fields() {
        let mut p = project();
        p.spent_wan_yuan = 120.0;
        p.end = Some(d("2026-03-01"));
        p.sites.clear();
        p.baseline = true;
        let e = check_project(&p).unwrap_err();
        let fields: Vec<_> = e.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["spent", "end", "start"]);
        let mut p = project();
        p.sites = vec![Site::Legacy(1), Site::Legacy(1)];
        p.funding[0].amount_wan_yuan = -1.0;
        let e = check_project(&p).unwrap_err();
        let fields: Vec<_> = e.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["funding", "funding", "sites"]);
    }

    #[test]
    fn acceptance_names_sites_not_yet_restored() {
        let a = Acceptance {
            date: d("2026-11-30"),
            by: "绥芬河市自然资源局".into(),
            number: "绥自然资验〔2026〕5号".into(),
        };
        let sites = vec![
            ("一号采坑".to_string(), Status::Restored),
            ("二号采坑".to_string(), Status::InProgress),
        ];
        let e = check_project_acceptance(&a, d("2026-04-01"), &sites, d("2026-12-06")).unwrap_err();
        assert_eq!(e[0].field, "sites");
        assert!(e[0].message.contains("二号采坑（治理中）"));
        assert!(!e[0].message.contains("一号采坑"));
        let sites = vec![
            ("一号采坑".to_string(), Status::Restored),
            ("二号采坑".to_string(), Status::Accepted),
        ];
        assert_eq!(
            check_project_acceptance(&a, d("2026-04-01"), &sites, d("2026-12-06")).unwrap(),
            vec![0]
        );
        let e = check_project_acceptance(&a, d("2026-12-01"), &sites, d("2026-12-06")).unwrap_err();
        assert!(e[0].message.contains("早于开工日期"));
    }
}
