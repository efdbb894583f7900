//! 三同时 and 边开采边治理 (《规划》六（二）1（1）（2）): the 开发利用方案 and the 矿区生态修复方案
//! (矿山地质环境保护与土地复垦方案) of each mine, filed, approved and linked to the
//! registration, the 责任书, the yearly disturbed vs restored area against the plan's schedule,
//! and the 矿山地质环境治理验收 a closing mine needs (《规划》六（二）3).
//! [`ApprovedRestorationPlan`] is shared with the fund ledger.
//!
//! Areas are 公顷 (ha); money 万元; dates are Beijing calendar dates passed in.

use crate::date::Date;
use crate::register::Problem;
use serde::{Deserialize, Serialize};

/// The record R14 reads and the “filed together” rule live with the rule (the review module,
/// which this module may use but not the other way round); re-exported here.
pub use crate::review::rules::r14_three_simultaneities::{FiledPlan, PlansOnFile, Together};

/// What the fund ledger reads of a mine's approved 矿区生态修复方案: its budget spread over
/// its service years (the `PlanBudget` method of the amount due), and its yearly schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovedRestorationPlan {
    /// The plan's total budget for 治理恢复 and 复垦, 万元.
    pub budget_wan_yuan: f64,
    /// First calendar year of the plan's service period.
    pub from_year: i32,
    /// Service years (适用年限), ≥ 1.
    pub service_years: u32,
    /// Planned area restored each year, (year, 公顷), in year order.
    pub yearly_restoration_ha: Vec<(i32, f64)>,
}

/// Which of the two plans of 三同时 (《规划》六（二）1（1））.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlanKind {
    /// 矿产资源开发利用方案.
    Development,
    /// 矿区生态修复方案 (矿山地质环境保护与土地复垦方案).
    Restoration,
}

impl PlanKind {
    /// Both, in the order shown.
    pub const ALL: [PlanKind; 2] = [PlanKind::Development, PlanKind::Restoration];

    /// Chinese name, as stored: `开发利用方案` / `生态修复方案`.
    pub fn label(self) -> &'static str {
        match self {
            PlanKind::Development => "开发利用方案",
            PlanKind::Restoration => "生态修复方案",
        }
    }

    /// Full Chinese name for pages and evidence.
    pub fn full_name(self) -> &'static str {
        match self {
            PlanKind::Development => "矿产资源开发利用方案",
            PlanKind::Restoration => "矿区生态修复方案（矿山地质环境保护与土地复垦方案）",
        }
    }

    /// From [`PlanKind::label`] (or the slug `development` / `restoration`).
    pub fn parse(s: &str) -> Option<PlanKind> {
        match s.trim() {
            "开发利用方案" | "development" | "矿产资源开发利用方案" => {
                Some(PlanKind::Development)
            }
            "生态修复方案" | "restoration" | "矿区生态修复方案" => {
                Some(PlanKind::Restoration)
            }
            _ => None,
        }
    }
}

/// A plan as filed (报送) and, once approved, with its 审查/批复 文号. The 生态修复方案 also
/// carries its budget (万元), service period and yearly planned restored area (公顷).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanFiling {
    /// Which plan.
    pub kind: PlanKind,
    /// 方案名称.
    pub title: String,
    /// 编制单位.
    pub author: String,
    /// 报送日期.
    pub filed_on: Date,
    /// 审查/批复日期, once approved.
    pub approved_on: Option<Date>,
    /// 审查/批复文号, once approved.
    pub approval_number: Option<String>,
    /// 申请编号 of the application it was filed with, if any.
    pub application_number: Option<String>,
    /// Budget of 治理恢复 and 复垦, 万元 (生态修复方案 only).
    pub budget_wan_yuan: Option<f64>,
    /// First year of the service period (生态修复方案 only).
    pub from_year: Option<i32>,
    /// Service years, ≥ 1 (生态修复方案 only).
    pub service_years: Option<u32>,
    /// Planned restored area per year, (year, 公顷) in year order (生态修复方案 only).
    pub yearly_restoration_ha: Vec<(i32, f64)>,
}

impl PlanFiling {
    /// The plan as R14 cites it.
    pub fn to_filed(&self) -> FiledPlan {
        FiledPlan {
            restoration: self.kind == PlanKind::Restoration,
            title: self.title.clone(),
            author: self.author.clone(),
            filed_on: self.filed_on,
            approved_on: self.approved_on,
            approval_number: self.approval_number.clone(),
        }
    }

    /// The fund ledger's view of an approved 生态修复方案; `None` for a 开发利用方案, an
    /// unapproved plan or one without budget and period.
    pub fn approved_plan(&self) -> Option<ApprovedRestorationPlan> {
        if self.kind != PlanKind::Restoration || self.approved_on.is_none() {
            return None;
        }
        Some(ApprovedRestorationPlan {
            budget_wan_yuan: self.budget_wan_yuan?,
            from_year: self.from_year?,
            service_years: self.service_years?,
            yearly_restoration_ha: self.yearly_restoration_ha.clone(),
        })
    }
}

/// Reads a yearly schedule typed as lines or `;`-separated `年份:公顷` pairs
/// (`2025:1.5; 2026:2`), full-width colons accepted.
///
/// # Errors
/// A [`Problem`] of field `schedule` naming the entry that does not read.
pub fn parse_schedule(s: &str) -> Result<Vec<(i32, f64)>, Problem> {
    let mut out = Vec::new();
    for part in s
        .split(['\n', ';', '；', ','])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let p = part.replace('：', ":");
        let Some((y, a)) = p.split_once(':') else {
            return Err(Problem::new(
                "schedule",
                format!("年度计划“{part}”应写作“年份:公顷”，如 2025:1.5"),
            ));
        };
        let year: i32 =
            y.trim().trim_end_matches('年').parse().map_err(|_| {
                Problem::new("schedule", format!("年度计划“{part}”中的年份无法识别"))
            })?;
        let ha: f64 = a
            .trim()
            .parse()
            .map_err(|_| Problem::new("schedule", format!("年度计划“{part}”中的面积无法识别")))?;
        out.push((year, ha));
    }
    Ok(out)
}

/// Checks a plan as filed against `today`.
///
/// # Errors
/// Every [`Problem`], by field: `title`, `author` empty; `filed_on` after today; an approval
/// date without 文号 (or the reverse) or before the filing; for a 生态修复方案: `budget`
/// missing or not positive, `from_year`/`service_years` missing or service years 0, a
/// `schedule` year outside the service period, repeated or out of order, an area negative.
pub fn check_filing(f: &PlanFiling, today: Date) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    if f.title.trim().is_empty() {
        p.push(Problem::new("title", "方案名称不能为空"));
    }
    if f.author.trim().is_empty() {
        p.push(Problem::new("author", "编制单位不能为空"));
    }
    if f.filed_on > today {
        p.push(Problem::new(
            "filed_on",
            format!("报送日期 {} 晚于今天", f.filed_on.chinese()),
        ));
    }
    if f.application_number
        .as_deref()
        .is_some_and(|n| n.trim().is_empty())
    {
        p.push(Problem::new("application_number", "申请编号不能为空白"));
    }
    check_approval(
        f.filed_on,
        f.approved_on,
        f.approval_number.as_deref(),
        today,
        &mut p,
    );
    if f.kind == PlanKind::Restoration {
        match f.budget_wan_yuan {
            None => p.push(Problem::new(
                "budget",
                "生态修复方案须填写治理恢复与复垦预算（万元）",
            )),
            Some(b) if !(b.is_finite() && b > 0.0) => {
                p.push(Problem::new("budget", "预算应为大于 0 的万元数"))
            }
            Some(_) => {}
        }
        match (f.from_year, f.service_years) {
            (None, _) => p.push(Problem::new(
                "from_year",
                "生态修复方案须填写服务期起始年份",
            )),
            (_, None) | (_, Some(0)) => {
                p.push(Problem::new("service_years", "服务年限应为不小于 1 的年数"))
            }
            (Some(from), Some(n)) => {
                let to = from + n as i32 - 1;
                let mut last: Option<i32> = None;
                for &(y, ha) in &f.yearly_restoration_ha {
                    if y < from || y > to {
                        p.push(Problem::new(
                            "schedule",
                            format!("年度计划 {y} 年不在服务期 {from}—{to} 年内"),
                        ));
                    }
                    if last.is_some_and(|l| y <= l) {
                        p.push(Problem::new(
                            "schedule",
                            format!("年度计划 {y} 年重复或未按年份顺序填写"),
                        ));
                    }
                    if !(ha.is_finite() && ha >= 0.0) {
                        p.push(Problem::new(
                            "schedule",
                            format!("年度计划 {y} 年的治理面积应为不小于 0 的公顷数"),
                        ));
                    }
                    last = Some(y);
                }
            }
        }
    } else if f.budget_wan_yuan.is_some()
        || f.from_year.is_some()
        || f.service_years.is_some()
        || !f.yearly_restoration_ha.is_empty()
    {
        p.push(Problem::new(
            "kind",
            "预算、服务期和年度治理计划属于生态修复方案，开发利用方案不填",
        ));
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

fn check_approval(
    filed_on: Date,
    approved_on: Option<Date>,
    number: Option<&str>,
    today: Date,
    p: &mut Vec<Problem>,
) {
    let number = number.filter(|n| !n.trim().is_empty());
    match (approved_on, number) {
        (Some(d), Some(_)) => {
            if d < filed_on {
                p.push(Problem::new(
                    "approved_on",
                    format!(
                        "批复日期 {} 早于报送日期 {}",
                        d.chinese(),
                        filed_on.chinese()
                    ),
                ));
            }
            if d > today {
                p.push(Problem::new(
                    "approved_on",
                    format!("批复日期 {} 晚于今天", d.chinese()),
                ));
            }
        }
        (Some(_), None) => p.push(Problem::new(
            "approval_number",
            "已填批复日期，须同时填写审查/批复文号",
        )),
        (None, Some(_)) => p.push(Problem::new(
            "approved_on",
            "已填审查/批复文号，须同时填写批复日期",
        )),
        (None, None) => {}
    }
}

/// Checks an approval (审查/批复) of a plan filed on `filed_on`.
///
/// # Errors
/// [`Problem`]s of `approved_on` (before the filing, after today) and `approval_number`
/// (empty).
pub fn check_plan_approval(
    filed_on: Date,
    approved_on: Date,
    number: &str,
    today: Date,
) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    if number.trim().is_empty() {
        p.push(Problem::new("approval_number", "审查/批复文号不能为空"));
    }
    check_approval(
        filed_on,
        Some(approved_on),
        Some(number).filter(|n| !n.trim().is_empty()).or(Some("-")),
        today,
        &mut p,
    );
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// The 矿山地质环境保护与恢复治理责任书 (边开采、边治理): signed when the licence is taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResponsibilityLetter {
    /// 签订日期.
    pub signed_on: Date,
    /// 签订单位 (the company).
    pub signed_by: String,
    /// 责任书编号, if any.
    pub document: Option<String>,
}

/// Checks a 责任书.
///
/// # Errors
/// [`Problem`]s: `signed_by` empty; `signed_on` after today.
pub fn check_letter(l: &ResponsibilityLetter, today: Date) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    if l.signed_by.trim().is_empty() {
        p.push(Problem::new("signed_by", "签订单位不能为空"));
    }
    if l.signed_on > today {
        p.push(Problem::new(
            "signed_on",
            format!("签订日期 {} 晚于今天", l.signed_on.chinese()),
        ));
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// 矿山地质环境治理验收 of a mine (《规划》六（二）3: 必须履行矿山地质环境治理义务，必须经主管部门
/// 审查验收).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestorationAcceptance {
    /// 验收日期.
    pub accepted_on: Date,
    /// 验收单位 / 验收组.
    pub accepted_by: String,
    /// 验收文件文号.
    pub document: String,
}

/// Checks a restoration acceptance.
///
/// # Errors
/// [`Problem`]s: `accepted_by` or `document` empty; `accepted_on` after today.
pub fn check_acceptance(a: &RestorationAcceptance, today: Date) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    if a.accepted_by.trim().is_empty() {
        p.push(Problem::new("accepted_by", "验收单位不能为空"));
    }
    if a.document.trim().is_empty() {
        p.push(Problem::new("document", "验收文件文号不能为空"));
    }
    if a.accepted_on > today {
        p.push(Problem::new(
            "accepted_on",
            format!("验收日期 {} 晚于今天", a.accepted_on.chinese()),
        ));
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// The closure's restoration condition (《规划》六（二）3): 闭坑验收 of right `right_id` on
/// `closure_date` needs the mine's 矿山地质环境治理验收 on or before that date.
///
/// # Errors
/// A [`Problem`] of field `restoration_acceptance`: none on file, or accepted after the
/// closure date.
pub fn check_closure(
    right_id: &str,
    acceptance: Option<&RestorationAcceptance>,
    closure_date: Date,
) -> Result<(), Problem> {
    match acceptance {
        None => Err(Problem::new(
            "restoration_acceptance",
            format!(
                "矿业权 {right_id} 的矿山没有矿山地质环境治理验收记录：闭坑须先履行矿山地质环境治理义务并经主管部门审查验收（《规划》六（二）3）"
            ),
        )),
        Some(a) if a.accepted_on > closure_date => Err(Problem::new(
            "restoration_acceptance",
            format!(
                "矿山地质环境治理验收日期 {} 晚于闭坑验收日期 {}",
                a.accepted_on.chinese(),
                closure_date.chinese()
            ),
        )),
        Some(_) => Ok(()),
    }
}

/// A year's figures from the mine's annual report (公顷); `None` = not reported (未填报).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearActual {
    /// 统计年度.
    pub year: i32,
    /// 本年损毁土地面积, 公顷.
    pub disturbed_ha: Option<f64>,
    /// 本年复垦（治理）面积, 公顷.
    pub restored_ha: Option<f64>,
}

/// Where a year stands against the schedule (边开采边治理, 《规划》六（二）1（2））.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Cumulative restored ≥ cumulative planned.
    OnSchedule,
    /// Cumulative restored < cumulative planned by the year's end.
    Behind,
    /// 无法判定: some year up to this one has no reported restored area.
    Unknown,
}

impl Standing {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Standing::OnSchedule => "按计划",
            Standing::Behind => "滞后于方案进度",
            Standing::Unknown => "无法判定（年报未填报复垦面积）",
        }
    }
}

/// One year of a plan's schedule against the reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduleRow {
    /// Year.
    pub year: i32,
    /// Planned restored area of the year, 公顷 (0 when the plan plans none that year).
    pub planned_ha: f64,
    /// Cumulative planned from the plan's first year, 公顷.
    pub planned_cum_ha: f64,
    /// Disturbed area reported, 公顷.
    pub disturbed_ha: Option<f64>,
    /// Restored area reported, 公顷.
    pub restored_ha: Option<f64>,
    /// Cumulative restored, 公顷; `None` once a year is unreported.
    pub restored_cum_ha: Option<f64>,
    /// The verdict at the year's end.
    pub standing: Standing,
}

impl ScheduleRow {
    /// `planned_cum − restored_cum` when behind, 公顷.
    pub fn shortfall_ha(&self) -> Option<f64> {
        match (self.standing, self.restored_cum_ha) {
            (Standing::Behind, Some(r)) => Some(self.planned_cum_ha - r),
            _ => None,
        }
    }
}

/// The plan's years from its first year through `through_year` (at most its service
/// period), each with the cumulative planned and restored area. A year counts once it is
/// over: pass the last finished year. Areas compared with a 1e-9 ha tolerance.
pub fn schedule_rows(
    plan: &ApprovedRestorationPlan,
    actuals: &[YearActual],
    through_year: i32,
) -> Vec<ScheduleRow> {
    let last = through_year.min(plan.from_year + plan.service_years as i32 - 1);
    let mut rows = Vec::new();
    let mut planned_cum = 0.0;
    let mut restored_cum = Some(0.0);
    for year in plan.from_year..=last {
        let planned = plan
            .yearly_restoration_ha
            .iter()
            .filter(|(y, _)| *y == year)
            .map(|(_, a)| a)
            .sum::<f64>();
        planned_cum += planned;
        let a = actuals.iter().find(|a| a.year == year);
        let restored = a.and_then(|a| a.restored_ha);
        restored_cum = match (restored_cum, restored) {
            (Some(c), Some(r)) => Some(c + r),
            _ => None,
        };
        let standing = match restored_cum {
            Some(r) if r + 1e-9 < planned_cum => Standing::Behind,
            Some(_) => Standing::OnSchedule,
            None => Standing::Unknown,
        };
        rows.push(ScheduleRow {
            year,
            planned_ha: planned,
            planned_cum_ha: planned_cum,
            disturbed_ha: a.and_then(|a| a.disturbed_ha),
            restored_ha: restored,
            restored_cum_ha: restored_cum,
            standing,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn restoration_plan() -> PlanFiling {
        PlanFiling {
            kind: PlanKind::Restoration,
            title: "某砂石矿矿区生态修复方案".into(),
            author: "黑龙江省某地质环境监测站".into(),
            filed_on: d("2023-03-01"),
            approved_on: Some(d("2023-04-10")),
            approval_number: Some("绥自然资复〔2023〕7号".into()),
            application_number: Some("SQ-2023-001".into()),
            budget_wan_yuan: Some(60.0),
            from_year: Some(2023),
            service_years: Some(4),
            yearly_restoration_ha: vec![(2023, 1.0), (2024, 2.0), (2025, 2.5), (2026, 1.5)],
        }
    }

    #[test]
    fn filed_together_is_the_same_date_or_within_the_bureau_setting() {
        let t = Together::of(d("2023-03-01"), d("2023-03-01"), 0);
        assert!(t.together);
        assert_eq!(t.days_apart, 0);
        assert_eq!(t.label(), "同日报送，符合同步报送要求");
        let t = Together::of(d("2023-03-01"), d("2023-03-04"), 0);
        assert!(!t.together);
        assert_eq!(t.label(), "相隔 3 天报送（限同日），未同步报送");
        let t = Together::of(d("2023-03-04"), d("2023-03-01"), 5);
        assert!(t.together);
        assert_eq!(t.label(), "相隔 3 天报送（限 5 天内），符合同步报送要求");
        let t = Together::of(d("2023-03-01"), d("2023-03-07"), 5);
        assert!(!t.together);
        assert_eq!(t.days_apart, 6);
    }

    #[test]
    fn a_filing_is_checked_field_by_field() {
        let today = d("2026-12-06");
        assert!(check_filing(&restoration_plan(), today).is_ok());
        let mut f = restoration_plan();
        f.title = " ".into();
        f.approved_on = Some(d("2023-02-01"));
        f.budget_wan_yuan = Some(-3.0);
        f.yearly_restoration_ha = vec![(2022, 1.0), (2024, -1.0), (2024, 1.0)];
        let fields: Vec<String> = check_filing(&f, today)
            .unwrap_err()
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            [
                "title",
                "approved_on",
                "budget",
                "schedule",
                "schedule",
                "schedule"
            ]
        );
        let mut f = restoration_plan();
        f.approval_number = None;
        let e = check_filing(&f, today).unwrap_err();
        assert_eq!(e[0].field, "approval_number");
        let mut f = restoration_plan();
        f.kind = PlanKind::Development;
        assert_eq!(check_filing(&f, today).unwrap_err()[0].field, "kind");
        f.budget_wan_yuan = None;
        f.from_year = None;
        f.service_years = None;
        f.yearly_restoration_ha.clear();
        assert!(check_filing(&f, today).is_ok());
        assert_eq!(f.approved_plan(), None);
    }

    #[test]
    fn the_schedule_reads_year_colon_hectares() {
        assert_eq!(
            parse_schedule("2023:1；2024：2.5\n2025:0").unwrap(),
            vec![(2023, 1.0), (2024, 2.5), (2025, 0.0)]
        );
        assert_eq!(parse_schedule("2023=1").unwrap_err().field, "schedule");
        assert_eq!(parse_schedule("").unwrap(), vec![]);
    }

    /// Hand-computed: planned 1.0, 2.0, 2.5, 1.5 ha from 2023 (cumulative 1.0, 3.0, 5.5, 7.0);
    /// reported restored 1.2, 1.0, 3.5 (cumulative 1.2, 2.2, 5.7): 2023 on schedule,
    /// 2024 behind by 0.8 ha, 2025 on schedule again; 2026 not reported → 无法判定.
    #[test]
    fn behind_schedule_against_a_hand_computed_table() {
        let plan = restoration_plan().approved_plan().unwrap();
        assert_eq!(plan.budget_wan_yuan, 60.0);
        let actuals = [
            YearActual {
                year: 2023,
                disturbed_ha: Some(3.0),
                restored_ha: Some(1.2),
            },
            YearActual {
                year: 2024,
                disturbed_ha: Some(2.0),
                restored_ha: Some(1.0),
            },
            YearActual {
                year: 2025,
                disturbed_ha: None,
                restored_ha: Some(3.5),
            },
        ];
        let rows = schedule_rows(&plan, &actuals, 2030);
        let table: Vec<(i32, f64, Option<f64>, Standing)> = rows
            .iter()
            .map(|r| (r.year, r.planned_cum_ha, r.restored_cum_ha, r.standing))
            .collect();
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-9,
            (None, None) => true,
            _ => false,
        };
        let want = [
            (2023, 1.0, Some(1.2), Standing::OnSchedule),
            (2024, 3.0, Some(2.2), Standing::Behind),
            (2025, 5.5, Some(5.7), Standing::OnSchedule),
            (2026, 7.0, None, Standing::Unknown),
        ];
        assert_eq!(table.len(), want.len());
        for (got, want) in table.iter().zip(want) {
            assert_eq!(got.0, want.0);
            assert!((got.1 - want.1).abs() < 1e-9, "{got:?}");
            assert!(close(got.2, want.2), "{got:?}");
            assert_eq!(got.3, want.3);
        }
        assert!((rows[1].shortfall_ha().unwrap() - 0.8).abs() < 1e-9);
        assert_eq!(rows[0].shortfall_ha(), None);
        assert_eq!(rows[2].disturbed_ha, None);
        // Through 2024 only: two rows, the last behind.
        let rows = schedule_rows(&plan, &actuals, 2024);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].standing, Standing::Behind);
    }

    #[test]
    fn closure_is_refused_without_the_restoration_acceptance() {
        let e = check_closure("C2310812009077130012345", None, d("2026-06-01")).unwrap_err();
        assert_eq!(e.field, "restoration_acceptance");
        assert!(e.message.contains("《规划》六（二）3"), "{}", e.message);
        let a = RestorationAcceptance {
            accepted_on: d("2026-06-02"),
            accepted_by: "绥芬河市自然资源局".into(),
            document: "绥自然资验〔2026〕3号".into(),
        };
        let e = check_closure("C1", Some(&a), d("2026-06-01")).unwrap_err();
        assert!(e.message.contains("晚于闭坑验收日期"), "{}", e.message);
        assert!(check_closure("C1", Some(&a), d("2026-06-02")).is_ok());
        assert!(check_acceptance(&a, d("2026-12-06")).is_ok());
        let bad = RestorationAcceptance {
            accepted_by: "".into(),
            document: " ".into(),
            ..a
        };
        assert_eq!(
            check_acceptance(&bad, d("2026-12-06")).unwrap_err().len(),
            2
        );
    }
}
