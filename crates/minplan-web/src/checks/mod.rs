//! 检查任务 and 检查记录 (《规划》四（三）3（3）双随机、一公开; 自然资源部令第13号): for
//! 执法监察 (and 系统管理员) the list of drawn 抽查对象 (`/checks`, 「我的任务」 first for an
//! inspector whose `inspectors.username` is the login), one target's page with the check
//! form — single column, usable at 390 px on a phone, photos from the camera — its record,
//! evidence with SHA-256, 整改期限 in working days ([`minplan_store::Store::work_calendar`]),
//! the 验收 form and the history (`/checks/{id}`); the 检查记录表 and 责令整改通知书 (Word),
//! the year's 抽查结果 (Excel and a Word summary). For a 矿山企业 ([`company`]): its own
//! records, deadlines and 整改报告 (`/company/checks`).
//!
//! The records are the store's ([`minplan_store::checks`]); the transitions the domain's
//! ([`minplan_domain::supervision::checks`]).

pub mod company;
pub mod documents;
pub mod pages;

use crate::AppState;
use minplan_domain::date::Date;
use minplan_store::checks::{CheckRecord, CheckTask, StoredFile};

/// The routes of 检查任务, 检查记录 and 本企业检查记录.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/checks", get(pages::list))
        .route("/checks/results.xlsx", get(documents::results_xlsx))
        .route("/checks/results.docx", get(documents::results_docx))
        .route("/checks/files/{id}", get(pages::file))
        .route("/checks/{id}", get(pages::page).post(pages::record))
        .route("/checks/{id}/evidence", post(pages::evidence))
        .route("/checks/{id}/acceptance", post(pages::acceptance))
        .route("/checks/{id}/record.docx", get(documents::record_docx))
        .route("/checks/{id}/notice.docx", get(documents::notice_docx))
        .route("/company/checks", get(company::list))
        .route("/company/checks/{id}", get(company::page))
        .route("/company/checks/{id}/report", post(company::report))
}

/// A task row as shown.
pub struct TaskView {
    /// `inspection_targets.id`.
    pub id: i64,
    /// `2026年 · 计划名`.
    pub plan: String,
    /// 许可证号.
    pub right_id: String,
    /// 矿业权人.
    pub holder_name: String,
    /// Inspectors' names, joined.
    pub inspectors: String,
    /// 「我的任务」.
    pub mine: bool,
    /// 待检查 or the stage's label.
    pub stage: String,
    /// 检查日期 as people write it, or —.
    pub check_date: String,
    /// 整改期限 as people write it, or —.
    pub deadline: String,
}

impl TaskView {
    /// The row of `t`.
    pub fn of(t: &CheckTask) -> TaskView {
        TaskView {
            id: t.target_id,
            plan: format!("{}年 · {}", t.year, t.plan_name),
            right_id: t.right_id.clone(),
            holder_name: t.holder_name.clone(),
            inspectors: t.inspectors.join("、"),
            mine: t.mine,
            stage: t
                .stage
                .map_or("待检查".to_string(), |s| s.label().to_string()),
            check_date: t.check_date.map_or("—".into(), |d| d.chinese()),
            deadline: t.deadline.map_or("—".into(), |d| d.chinese()),
        }
    }
}

/// A stored file as shown.
pub struct FileView {
    /// `check_files.id`.
    pub id: i64,
    /// Name as uploaded.
    pub name: String,
    /// JPG / PNG / PDF.
    pub kind: String,
    /// Size in KB, one decimal.
    pub size: String,
    /// SHA-256, hex.
    pub sha256: String,
    /// Uploaded, Beijing time.
    pub uploaded: String,
}

impl FileView {
    fn of(f: &StoredFile) -> FileView {
        FileView {
            id: f.id,
            name: f.name.clone(),
            kind: f.kind.to_uppercase(),
            size: format!("{:.1} KB", f.size as f64 / 1024.0),
            sha256: f.sha256.clone(),
            uploaded: crate::http::words::beijing(&f.uploaded_at),
        }
    }
}

/// A 整改报告 as shown.
pub struct ReportView {
    /// 第几轮.
    pub round: i64,
    /// 报送日期.
    pub date: String,
    /// 整改情况.
    pub text: String,
    /// 逾期报送.
    pub late: bool,
    /// The attached file.
    pub file: Option<FileView>,
}

/// A 验收 as shown.
pub struct AcceptanceView {
    /// 第几轮.
    pub round: i64,
    /// 验收日期.
    pub date: String,
    /// The decision, Chinese.
    pub decision: String,
    /// The new 整改期限, or empty.
    pub new_deadline: String,
    /// 验收意见.
    pub note: String,
}

/// An item's finding as shown.
pub struct ItemView {
    /// 检查事项.
    pub name: String,
    /// 检查结论.
    pub finding: String,
    /// Whether it is not 合格.
    pub flagged: bool,
    /// 检查情况.
    pub note: String,
}

/// A saved record as shown.
pub struct RecordView {
    /// 检查日期.
    pub check_date: String,
    /// 检查方式.
    pub method: String,
    /// 检查结论.
    pub finding: String,
    /// 状态.
    pub stage: String,
    /// 整改期限 with the working days, or empty.
    pub deadline: String,
    /// The reminder (剩余 / 今日到期 / 已逾期), or empty.
    pub reminder: String,
    /// Whether the reminder is an overdue one.
    pub overdue: bool,
    /// The items.
    pub items: Vec<ItemView>,
    /// Inspectors present.
    pub inspectors: String,
    /// Evidence.
    pub evidence: Vec<FileView>,
    /// 整改报告.
    pub reports: Vec<ReportView>,
    /// 验收.
    pub acceptances: Vec<AcceptanceView>,
    /// 企业已报送整改报告: the 验收 form is shown.
    pub can_accept: bool,
    /// 整改中: the company's 整改报告 form is shown.
    pub can_report: bool,
    /// A 责令整改通知书 exists.
    pub has_notice: bool,
    /// 整改结果 (as published).
    pub outcome: String,
}

impl RecordView {
    /// The view of `r` on `today` with the calendar `cal`.
    pub fn of(
        r: &CheckRecord,
        today: Date,
        cal: &minplan_domain::calendar::WorkCalendar,
    ) -> RecordView {
        use minplan_domain::supervision::checks::{self as dom, Stage};
        let rem = dom::reminder(&r.state, today, cal);
        let mut deadline = match (r.state.deadline, r.state.round, r.rectify_days) {
            (Some(d), 1, Some(n)) => format!("{}（自检查日期起 {n} 个工作日）", d.chinese()),
            (Some(d), round, _) => format!("{}（第 {round} 轮整改）", d.chinese()),
            (None, _, _) => String::new(),
        };
        // A year the calendar does not hold between the check and the deadline is named.
        if let Some(note) = r
            .state
            .deadline
            .and_then(|d| cal.working_days_between(r.check_date, d).note())
        {
            deadline.push_str(&format!("；{note}"));
        }
        RecordView {
            check_date: r.check_date.chinese(),
            method: r.method.clone(),
            finding: r.finding.label().to_string(),
            stage: r.state.stage.label().to_string(),
            deadline,
            reminder: rem.as_ref().map(|x| x.text()).unwrap_or_default(),
            overdue: rem.as_ref().is_some_and(|x| x.overdue),
            items: r
                .items
                .iter()
                .map(|i| ItemView {
                    name: i.item_name.clone(),
                    finding: i.finding.label().to_string(),
                    flagged: i.finding != minplan_domain::supervision::checks::Finding::Compliant,
                    note: i.note.clone(),
                })
                .collect(),
            inspectors: r
                .inspectors
                .iter()
                .map(|i| i.name.clone())
                .collect::<Vec<_>>()
                .join("、"),
            evidence: r.evidence.iter().map(FileView::of).collect(),
            reports: r
                .reports
                .iter()
                .map(|p| ReportView {
                    round: p.round,
                    date: p.reported_on.chinese(),
                    text: p.text.clone(),
                    late: p.late,
                    file: p.file.as_ref().map(FileView::of),
                })
                .collect(),
            acceptances: r
                .acceptances
                .iter()
                .map(|a| AcceptanceView {
                    round: a.round,
                    date: a.accepted_on.chinese(),
                    decision: a.decision_label().to_string(),
                    new_deadline: a.new_deadline.map(|d| d.chinese()).unwrap_or_default(),
                    note: a.note.clone(),
                })
                .collect(),
            can_accept: r.state.stage == Stage::Reported,
            can_report: r.state.stage == Stage::Rectifying,
            has_notice: r.rectify_days.is_some(),
            outcome: dom::outcome_label(&r.state, Some(r.finding)).to_string(),
        }
    }
}

/// A deadline reminder as shown on the 工作台 and the company's page.
pub struct ReminderView {
    /// Where to look.
    pub href: String,
    /// `许可证号 矿业权人：整改期限 2026年3月2日，剩余 3 个工作日`.
    pub text: String,
    /// Overdue.
    pub overdue: bool,
}

/// The deadline reminders (整改期限 within 5 working days or overdue) for the 工作台:
/// `credit_code` restricts to one holder; `href` is the page prefix (`/checks/` or
/// `/company/checks/`).
///
/// # Errors
/// [`crate::AppError`] from the store.
pub async fn deadline_reminders(
    st: &AppState,
    credit_code: Option<&str>,
    href: &str,
) -> Result<Vec<ReminderView>, crate::AppError> {
    Ok(st
        .store
        .check_reminders(credit_code, minplan_store::today())
        .await?
        .into_iter()
        .map(|c| ReminderView {
            href: format!("{href}{}", c.target_id),
            text: format!(
                "{} {}：整改期限 {}，{}",
                c.right_id,
                c.holder_name,
                c.reminder.deadline.chinese(),
                c.reminder.text()
            ),
            overdue: c.reminder.overdue,
        })
        .collect())
}
