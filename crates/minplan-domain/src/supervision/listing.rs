//! 矿业权人异常名录 and 严重违法失信名单 as workflows (《规划》四（三）3（3）;
//! 《矿业权人勘查开采信息管理办法》自然资源部令第13号, in force 2024-07-01): an entry is
//! 列入 by a decision (决定文号, date) with a reason; the holder files a 移出申请; 执法监察
//! makes a 核验 (室内核验 or 实地核查) with the result 同意移出 or 不予移出 within a limit
//! in working days; only after a favourable 核验 is the entry 移出 by a decision. Every step
//! is kept ([`ListEntry::steps`]); [`ListEntry::in_force_on`] says whether the entry is in
//! force on a date, which the conformity review's R13 reads ([`holder_lists_on`]).
//!
//! **Sources.** The reasons for the 异常名录 follow the listing grounds of 第13号令 as the
//! issue states them (未按期公示（填报）, 公示信息隐瞒真实情况或弄虚作假, 检查发现未履行法定义务
//! and 责令整改逾期未改正, 未按规定计提矿山地质环境治理恢复基金). The article text of
//! 第13号令 on the 异常名录 and 严重失信主体 could not be retrieved when this module was
//! written (only its 第一条 to 第七条 and press summaries were found), so no article numbers
//! are cited here; the reasons for the 严重违法失信名单 are the ones the press summaries
//! report (列入异常名录满三年仍未移出; serious violations punished with 较重行政处罚) plus
//! 其他 with the decision's own wording. The 核验 limit (default
//! [`DEFAULT_VERIFICATION_LIMIT_DAYS`] working days) is the bureau's choice, not a figure of
//! the rules.
//!
//! Pure: values in, values out; the caller passes dates and the calendar.

use crate::calendar::{Counted, WorkCalendar};
use crate::credit_code::CreditCode;
use crate::date::Date;
use crate::disclosure::PublicListEntry;
use crate::rights::{HolderLists, ListedHolder};
use serde::{Deserialize, Serialize};

/// The 核验 limit when the bureau has set none: 10 working days from the 移出申请. The
/// bureau's choice (a setting), not a figure of 第13号令.
pub const DEFAULT_VERIFICATION_LIMIT_DAYS: i64 = 10;

/// The largest attachment of a 移出申请, bytes (10 MB, the house limit for evidence files).
pub const MAX_ATTACHMENT_BYTES: u64 = crate::attachment::MAX_ATTACHMENT_BYTES as u64;

/// Which supervision list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HolderList {
    /// 矿业权人异常名录.
    Abnormal,
    /// 严重违法失信名单.
    SeriousViolation,
}

impl HolderList {
    /// Both lists, in the order shown.
    pub const ALL: [HolderList; 2] = [HolderList::Abnormal, HolderList::SeriousViolation];

    /// The stored code: `abnormal`, `serious_violation`.
    pub fn code(&self) -> &'static str {
        match self {
            HolderList::Abnormal => "abnormal",
            HolderList::SeriousViolation => "serious_violation",
        }
    }

    /// The list of a stored code.
    pub fn parse(code: &str) -> Option<HolderList> {
        HolderList::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Chinese name.
    pub fn label(&self) -> &'static str {
        match self {
            HolderList::Abnormal => "矿业权人异常名录",
            HolderList::SeriousViolation => "严重违法失信名单",
        }
    }
}

/// Why a holder is listed (列入事由).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ListingReason {
    /// 未按期公示（填报）勘查开采信息 (the annual 勘查开采信息 not filed by 31 March) — 异常名录.
    NotFiled,
    /// 公示信息隐瞒真实情况或弄虚作假 — 异常名录.
    FalseInformation,
    /// 检查发现未履行法定义务，责令整改逾期未改正 — 异常名录.
    ObligationUnfulfilled,
    /// 未按规定计提矿山地质环境治理恢复基金 (raised by the restoration capability) — 异常名录.
    FundNotAccrued,
    /// 列入异常名录满三年仍未移出 — 严重违法失信名单.
    AbnormalThreeYears,
    /// 违反矿产资源管理法律法规受到较重行政处罚等严重违法行为 — 严重违法失信名单.
    SeriousViolation,
    /// 其他 (the decision's own wording is required) — either list.
    Other,
}

impl ListingReason {
    /// Every reason, in the order forms offer them.
    pub const ALL: [ListingReason; 7] = [
        ListingReason::NotFiled,
        ListingReason::FalseInformation,
        ListingReason::ObligationUnfulfilled,
        ListingReason::FundNotAccrued,
        ListingReason::AbnormalThreeYears,
        ListingReason::SeriousViolation,
        ListingReason::Other,
    ];

    /// The stored code (`not_filed`, …).
    pub fn code(&self) -> &'static str {
        match self {
            ListingReason::NotFiled => "not_filed",
            ListingReason::FalseInformation => "false_information",
            ListingReason::ObligationUnfulfilled => "obligation_unfulfilled",
            ListingReason::FundNotAccrued => "fund_not_accrued",
            ListingReason::AbnormalThreeYears => "abnormal_three_years",
            ListingReason::SeriousViolation => "serious_violation",
            ListingReason::Other => "other",
        }
    }

    /// The reason of a stored code.
    pub fn parse(code: &str) -> Option<ListingReason> {
        ListingReason::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Chinese wording.
    pub fn label(&self) -> &'static str {
        match self {
            ListingReason::NotFiled => "未按期公示（填报）勘查开采信息",
            ListingReason::FalseInformation => "公示信息隐瞒真实情况或弄虚作假",
            ListingReason::ObligationUnfulfilled => "检查发现未履行法定义务（责令整改逾期未改正）",
            ListingReason::FundNotAccrued => "未按规定计提矿山地质环境治理恢复基金",
            ListingReason::AbnormalThreeYears => "列入异常名录满三年仍未移出",
            ListingReason::SeriousViolation => "违反矿产资源管理法律法规受到较重行政处罚",
            ListingReason::Other => "其他",
        }
    }

    /// Whether the reason is one for `list`.
    pub fn applies_to(&self, list: HolderList) -> bool {
        match self {
            ListingReason::NotFiled
            | ListingReason::FalseInformation
            | ListingReason::ObligationUnfulfilled
            | ListingReason::FundNotAccrued => list == HolderList::Abnormal,
            ListingReason::AbnormalThreeYears | ListingReason::SeriousViolation => {
                list == HolderList::SeriousViolation
            }
            ListingReason::Other => true,
        }
    }
}

/// 室内核验 or 实地核查.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationMethod {
    /// 室内核验 (the documents).
    Desk,
    /// 实地核查 (on site).
    Field,
}

impl VerificationMethod {
    /// The stored code: `desk`, `field`.
    pub fn code(&self) -> &'static str {
        match self {
            VerificationMethod::Desk => "desk",
            VerificationMethod::Field => "field",
        }
    }
    /// The method of a stored code.
    pub fn parse(code: &str) -> Option<VerificationMethod> {
        match code {
            "desk" => Some(VerificationMethod::Desk),
            "field" => Some(VerificationMethod::Field),
            _ => None,
        }
    }
    /// Chinese name.
    pub fn label(&self) -> &'static str {
        match self {
            VerificationMethod::Desk => "室内核验",
            VerificationMethod::Field => "实地核查",
        }
    }
}

/// The 核验 result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VerificationResult {
    /// 同意移出.
    Approve,
    /// 不予移出.
    Refuse,
}

impl VerificationResult {
    /// The stored code: `approve`, `refuse`.
    pub fn code(&self) -> &'static str {
        match self {
            VerificationResult::Approve => "approve",
            VerificationResult::Refuse => "refuse",
        }
    }
    /// The result of a stored code.
    pub fn parse(code: &str) -> Option<VerificationResult> {
        match code {
            "approve" => Some(VerificationResult::Approve),
            "refuse" => Some(VerificationResult::Refuse),
            _ => None,
        }
    }
    /// Chinese name.
    pub fn label(&self) -> &'static str {
        match self {
            VerificationResult::Approve => "同意移出",
            VerificationResult::Refuse => "不予移出",
        }
    }
}

/// A 列入 decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListingRequest {
    /// Which list.
    pub list: HolderList,
    /// 矿业权人名称.
    pub holder_name: String,
    /// 统一社会信用代码 (checked by GB 32100-2015 when listed through [`ListEntry::list`]).
    pub credit_code: String,
    /// 列入事由.
    pub reason: ListingReason,
    /// The reason's wording or particulars; required for [`ListingReason::Other`].
    pub reason_text: String,
    /// 列入决定文号.
    pub decision_number: String,
    /// 列入决定日期; the entry is in force from this date.
    pub decision_date: Date,
}

impl ListingRequest {
    /// The reason as people read it: `未按期公示（填报）勘查开采信息（2025年度）`, or the text of
    /// 其他.
    pub fn reason_display(&self) -> String {
        let text = self.reason_text.trim();
        match (self.reason, text.is_empty()) {
            (_, true) => self.reason.label().to_string(),
            (ListingReason::Other, false) => text.to_string(),
            (r, false) => format!("{}（{text}）", r.label()),
        }
    }
}

/// A file attached to a 移出申请 (its bytes are kept by the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// File name as uploaded.
    pub file_name: String,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
    /// Size, bytes (≤ [`MAX_ATTACHMENT_BYTES`]).
    pub size_bytes: u64,
}

/// The holder's 移出申请.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovalApplication {
    /// 申请日期.
    pub applied_on: Date,
    /// 申请理由 (what was corrected).
    pub reason: String,
    /// 证明材料.
    pub attachments: Vec<Attachment>,
}

/// 执法监察's 核验 of a 移出申请.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// 室内核验 or 实地核查.
    pub method: VerificationMethod,
    /// 同意移出 or 不予移出.
    pub result: VerificationResult,
    /// 核验意见 (why).
    pub reason: String,
    /// 核验日期.
    pub verified_on: Date,
}

/// A 移出 decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removal {
    /// 移出决定文号.
    pub decision_number: String,
    /// 移出决定日期; the entry is no longer in force from this date.
    pub decision_date: Date,
}

/// One step of an entry's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// 列入.
    Listed(ListingRequest),
    /// 移出申请.
    Applied(RemovalApplication),
    /// 核验.
    Verified(Verification),
    /// 移出.
    Removed(Removal),
}

impl Step {
    /// The step's code: `listed`, `applied`, `verified`, `removed`.
    pub fn code(&self) -> &'static str {
        match self {
            Step::Listed(_) => "listed",
            Step::Applied(_) => "applied",
            Step::Verified(_) => "verified",
            Step::Removed(_) => "removed",
        }
    }
    /// Chinese name: 列入, 移出申请, 核验, 移出.
    pub fn label(&self) -> &'static str {
        match self {
            Step::Listed(_) => "列入",
            Step::Applied(_) => "移出申请",
            Step::Verified(_) => "核验",
            Step::Removed(_) => "移出",
        }
    }
    /// The date the step carries (decision, application or 核验 date).
    pub fn date(&self) -> Date {
        match self {
            Step::Listed(l) => l.decision_date,
            Step::Applied(a) => a.applied_on,
            Step::Verified(v) => v.verified_on,
            Step::Removed(r) => r.decision_date,
        }
    }
}

/// A refused step: the form field and the Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListingProblem {
    /// Form field name (`credit_code`, `decision_number`, …), or `entry` for the entry's state.
    pub field: &'static str,
    /// Message.
    pub message: String,
}

impl ListingProblem {
    fn new(field: &'static str, message: impl Into<String>) -> ListingProblem {
        ListingProblem {
            field,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ListingProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Where an entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// 在列 (no open application).
    Listed,
    /// 移出申请待核验.
    Applied,
    /// 核验同意，待移出.
    Approved,
    /// 已移出.
    Removed,
}

impl EntryStatus {
    /// The code: `listed`, `applied`, `approved`, `removed`.
    pub fn code(&self) -> &'static str {
        match self {
            EntryStatus::Listed => "listed",
            EntryStatus::Applied => "applied",
            EntryStatus::Approved => "approved",
            EntryStatus::Removed => "removed",
        }
    }
    /// Chinese name.
    pub fn label(&self) -> &'static str {
        match self {
            EntryStatus::Listed => "在列",
            EntryStatus::Applied => "移出申请待核验",
            EntryStatus::Approved => "核验同意，待移出",
            EntryStatus::Removed => "已移出",
        }
    }
}

/// A list entry with its full history; built only by the transitions, so that its steps are
/// always in a valid order (列入, then any number of 移出申请 → 核验, then at most one 移出).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    listing: ListingRequest,
    steps: Vec<Step>,
}

fn blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl ListEntry {
    /// 列入: a new entry from a decision.
    ///
    /// # Errors
    /// Every problem: blank holder name or 决定文号, a credit code that is not a valid
    /// GB 32100-2015 code, a reason that is not one for the list, 其他 without wording.
    pub fn list(mut request: ListingRequest) -> Result<ListEntry, Vec<ListingProblem>> {
        let mut p = Vec::new();
        request.holder_name = request.holder_name.trim().to_string();
        request.decision_number = request.decision_number.trim().to_string();
        request.reason_text = request.reason_text.trim().to_string();
        if request.holder_name.is_empty() {
            p.push(ListingProblem::new("holder_name", "请填写矿业权人名称"));
        }
        match CreditCode::parse(&request.credit_code) {
            Ok(c) => request.credit_code = c.as_str().to_string(),
            Err(e) => p.push(ListingProblem::new("credit_code", e.to_string())),
        }
        if !request.reason.applies_to(request.list) {
            p.push(ListingProblem::new(
                "reason",
                format!(
                    "“{}”不是列入{}的事由",
                    request.reason.label(),
                    request.list.label()
                ),
            ));
        }
        if request.reason == ListingReason::Other && request.reason_text.is_empty() {
            p.push(ListingProblem::new(
                "reason_text",
                "事由为“其他”时请写明列入事由",
            ));
        }
        if request.decision_number.is_empty() {
            p.push(ListingProblem::new("decision_number", "请填写列入决定文号"));
        }
        if !p.is_empty() {
            return Err(p);
        }
        Ok(ListEntry {
            steps: vec![Step::Listed(request.clone())],
            listing: request,
        })
    }

    /// Rebuilds an entry from stored steps by replaying the transitions.
    ///
    /// # Errors
    /// The first refused step's problems (a stored history that is not a valid sequence).
    pub fn from_steps(steps: &[Step]) -> Result<ListEntry, Vec<ListingProblem>> {
        let mut it = steps.iter();
        let mut entry = match it.next() {
            Some(Step::Listed(l)) => ListEntry {
                listing: l.clone(),
                steps: vec![Step::Listed(l.clone())],
            },
            _ => {
                return Err(vec![ListingProblem::new(
                    "entry",
                    "名录事项的第一步应为列入",
                )]);
            }
        };
        for s in it {
            entry = entry.apply(s.clone())?;
        }
        Ok(entry)
    }

    /// Rebuilds an entry from the store's record without re-checking the order of its steps:
    /// each was checked by its transition when written, except the entries migrated from the
    /// plain add/remove list (migration 0017), whose 移出 has no 核验 before it.
    ///
    /// # Errors
    /// When the first step is not 列入.
    pub fn from_record(steps: Vec<Step>) -> Result<ListEntry, Vec<ListingProblem>> {
        match steps.first() {
            Some(Step::Listed(l)) => Ok(ListEntry {
                listing: l.clone(),
                steps,
            }),
            _ => Err(vec![ListingProblem::new(
                "entry",
                "名录事项的第一步应为列入",
            )]),
        }
    }

    /// Applies a later step (移出申请, 核验 or 移出).
    ///
    /// # Errors
    /// As [`ListEntry::apply_removal`], [`ListEntry::verify`], [`ListEntry::remove`]; a second
    /// 列入 is refused.
    pub fn apply(&self, step: Step) -> Result<ListEntry, Vec<ListingProblem>> {
        match step {
            Step::Listed(_) => Err(vec![ListingProblem::new(
                "entry",
                "该事项已列入，不能再次列入",
            )]),
            Step::Applied(a) => self.apply_removal(a),
            Step::Verified(v) => self.verify(v),
            Step::Removed(r) => self.remove(r),
        }
    }

    /// The 列入 decision.
    pub fn listing(&self) -> &ListingRequest {
        &self.listing
    }

    /// Every step, oldest first (the first is 列入).
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Where the entry stands now.
    pub fn status(&self) -> EntryStatus {
        match self.steps.last() {
            Some(Step::Removed(_)) => EntryStatus::Removed,
            Some(Step::Applied(_)) => EntryStatus::Applied,
            Some(Step::Verified(v)) if v.result == VerificationResult::Approve => {
                EntryStatus::Approved
            }
            _ => EntryStatus::Listed,
        }
    }

    /// The 移出 decision, once removed.
    pub fn removal(&self) -> Option<&Removal> {
        match self.steps.last() {
            Some(Step::Removed(r)) => Some(r),
            _ => None,
        }
    }

    /// The open 移出申请 (filed, not yet verified).
    pub fn open_application(&self) -> Option<&RemovalApplication> {
        match self.steps.last() {
            Some(Step::Applied(a)) => Some(a),
            _ => None,
        }
    }

    /// The latest 核验, if any.
    pub fn last_verification(&self) -> Option<&Verification> {
        self.steps.iter().rev().find_map(|s| match s {
            Step::Verified(v) => Some(v),
            _ => None,
        })
    }

    /// Whether the entry is in force on `on`: listed on or before it and not removed on or
    /// before it (a removal dated `on` ends it that day).
    pub fn in_force_on(&self, on: Date) -> bool {
        self.listing.decision_date <= on && self.removal().is_none_or(|r| on < r.decision_date)
    }

    /// 移出申请 by the holder.
    ///
    /// # Errors
    /// The entry removed, an application already waiting for its 核验, a blank reason, an
    /// application dated before the 列入, an attachment over [`MAX_ATTACHMENT_BYTES`] or
    /// without a name.
    pub fn apply_removal(
        &self,
        mut app: RemovalApplication,
    ) -> Result<ListEntry, Vec<ListingProblem>> {
        let mut p = Vec::new();
        match self.status() {
            EntryStatus::Removed => p.push(ListingProblem::new("entry", "该事项已移出")),
            EntryStatus::Applied => p.push(ListingProblem::new(
                "entry",
                "已有移出申请等待核验，不能重复申请",
            )),
            EntryStatus::Approved => p.push(ListingProblem::new(
                "entry",
                "核验已同意移出，等待作出移出决定",
            )),
            EntryStatus::Listed => {}
        }
        app.reason = app.reason.trim().to_string();
        if app.reason.is_empty() {
            p.push(ListingProblem::new(
                "reason",
                "请写明申请移出的理由（已整改的情况）",
            ));
        }
        if app.applied_on < self.listing.decision_date {
            p.push(ListingProblem::new(
                "applied_on",
                format!(
                    "申请日期 {} 早于列入日期 {}",
                    app.applied_on.chinese(),
                    self.listing.decision_date.chinese()
                ),
            ));
        }
        for a in &app.attachments {
            if blank(&a.file_name) {
                p.push(ListingProblem::new("attachments", "附件缺少文件名"));
            }
            if a.size_bytes > MAX_ATTACHMENT_BYTES {
                p.push(ListingProblem::new(
                    "attachments",
                    format!(
                        "附件“{}”大小 {:.1} MB，超过 10 MB 的上限",
                        a.file_name,
                        a.size_bytes as f64 / 1_048_576.0
                    ),
                ));
            }
        }
        if !p.is_empty() {
            return Err(p);
        }
        Ok(self.with(Step::Applied(app)))
    }

    /// 核验 of the open 移出申请.
    ///
    /// # Errors
    /// No open application, a blank 核验意见, a 核验 dated before the application.
    pub fn verify(&self, mut v: Verification) -> Result<ListEntry, Vec<ListingProblem>> {
        let mut p = Vec::new();
        match self.open_application() {
            None => p.push(ListingProblem::new("entry", "没有待核验的移出申请")),
            Some(a) if v.verified_on < a.applied_on => p.push(ListingProblem::new(
                "verified_on",
                format!(
                    "核验日期 {} 早于申请日期 {}",
                    v.verified_on.chinese(),
                    a.applied_on.chinese()
                ),
            )),
            Some(_) => {}
        }
        v.reason = v.reason.trim().to_string();
        if v.reason.is_empty() {
            p.push(ListingProblem::new("reason", "请填写核验意见"));
        }
        if !p.is_empty() {
            return Err(p);
        }
        Ok(self.with(Step::Verified(v)))
    }

    /// 移出 by a decision, only after a completed 核验 that agreed (同意移出).
    ///
    /// # Errors
    /// Already removed; no favourable 核验 as the latest step (never verified, an open
    /// application not yet verified, or 不予移出); a blank 决定文号; a decision dated before
    /// the 核验.
    pub fn remove(&self, mut r: Removal) -> Result<ListEntry, Vec<ListingProblem>> {
        let mut p = Vec::new();
        match (self.status(), self.steps.last()) {
            (EntryStatus::Approved, Some(Step::Verified(v))) => {
                if r.decision_date < v.verified_on {
                    p.push(ListingProblem::new(
                        "decision_date",
                        format!(
                            "移出决定日期 {} 早于核验日期 {}",
                            r.decision_date.chinese(),
                            v.verified_on.chinese()
                        ),
                    ));
                }
            }
            (EntryStatus::Removed, _) => p.push(ListingProblem::new("entry", "该事项已移出")),
            (EntryStatus::Applied, _) => p.push(ListingProblem::new(
                "entry",
                "移出申请尚未核验，核验同意后方可移出",
            )),
            _ => p.push(ListingProblem::new(
                "entry",
                "没有同意移出的核验结论，不能移出（须经移出申请和室内核验或实地核查）",
            )),
        }
        r.decision_number = r.decision_number.trim().to_string();
        if r.decision_number.is_empty() {
            p.push(ListingProblem::new("decision_number", "请填写移出决定文号"));
        }
        if !p.is_empty() {
            return Err(p);
        }
        Ok(self.with(Step::Removed(r)))
    }

    fn with(&self, step: Step) -> ListEntry {
        let mut e = self.clone();
        e.steps.push(step);
        e
    }

    /// The 核验 due date of the open application: `limit_days` working days after the
    /// application date ([`WorkCalendar::add_working_days`]); `None` without an open
    /// application.
    pub fn verification_due(
        &self,
        calendar: &WorkCalendar,
        limit_days: i64,
    ) -> Option<Counted<Date>> {
        self.open_application()
            .map(|a| calendar.add_working_days(a.applied_on, limit_days))
    }

    /// The reminder for an open application not verified by its due date, on `today`.
    pub fn overdue_reminder(
        &self,
        calendar: &WorkCalendar,
        limit_days: i64,
        today: Date,
    ) -> Option<OverdueVerification> {
        let due = self.verification_due(calendar, limit_days)?;
        if today <= due.value {
            return None;
        }
        let late = calendar.working_days_between(due.value, today);
        let mut unknown = due.unknown_years.clone();
        for y in late.unknown_years {
            if !unknown.contains(&y) {
                unknown.push(y);
            }
        }
        unknown.sort_unstable();
        Some(OverdueVerification {
            due: due.value,
            working_days_late: late.value,
            note: Counted {
                value: (),
                unknown_years: unknown,
            }
            .note(),
        })
    }

    /// The entry as the public sees it (名录信息, the payload of its publication).
    pub fn public(&self) -> PublicListEntry {
        PublicListEntry {
            list: self.listing.list.label().to_string(),
            holder_name: self.listing.holder_name.clone(),
            credit_code: self.listing.credit_code.clone(),
            reason: self.listing.reason_display(),
            decision_number: self.listing.decision_number.clone(),
            listed_on: self.listing.decision_date.to_string(),
            removed_on: self.removal().map(|r| r.decision_date.to_string()),
            removal_decision_number: self.removal().map(|r| r.decision_number.clone()),
        }
    }

    /// The subject of its publications: one per entry, so that a removal's publication
    /// replaces the listing's on the portal (`<list>:<统一社会信用代码>:<列入日期>`).
    pub fn publication_subject(&self) -> String {
        format!(
            "{}:{}:{}",
            self.listing.list.code(),
            self.listing.credit_code,
            self.listing.decision_date
        )
    }
}

/// A 核验 past its limit (a reminder for 执法监察).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OverdueVerification {
    /// The due date.
    pub due: Date,
    /// Working days after the due date up to today.
    pub working_days_late: i64,
    /// The calendar's note when a year was counted Monday–Friday.
    pub note: Option<String>,
}

/// The lists as they stood on `on` (the entries in force that day, [`ListEntry::in_force_on`])
/// in the shape the conformity review's R13 reads; each holder's reason carries its 决定文号.
pub fn holder_lists_on<'a>(
    entries: impl IntoIterator<Item = &'a ListEntry>,
    on: Date,
) -> HolderLists {
    let mut lists = HolderLists::default();
    for e in entries {
        if !e.in_force_on(on) {
            continue;
        }
        let l = e.listing();
        let h = ListedHolder {
            credit_code: l.credit_code.clone(),
            name: l.holder_name.clone(),
            reason: format!("{}，{}", l.reason_display(), l.decision_number),
            since: l.decision_date.to_string(),
        };
        match l.list {
            HolderList::Abnormal => lists.abnormal.push(h),
            HolderList::SeriousViolation => lists.serious_violation.push(h),
        }
    }
    lists
}

#[cfg(test)]
mod tests {
    use super::*;

    const CODE: &str = "91350100M000100Y43";

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn request() -> ListingRequest {
        ListingRequest {
            list: HolderList::Abnormal,
            holder_name: "测试建材有限公司".into(),
            credit_code: CODE.into(),
            reason: ListingReason::NotFiled,
            reason_text: "2025年度".into(),
            decision_number: "绥自然资异〔2026〕1号".into(),
            decision_date: d("2026-04-10"),
        }
    }

    fn application(on: &str) -> RemovalApplication {
        RemovalApplication {
            applied_on: d(on),
            reason: "已补报2025年度勘查开采信息".into(),
            attachments: vec![],
        }
    }

    fn verification(result: VerificationResult, on: &str) -> Verification {
        Verification {
            method: VerificationMethod::Desk,
            result,
            reason: "经核验已补报".into(),
            verified_on: d(on),
        }
    }

    fn removal(on: &str) -> Removal {
        Removal {
            decision_number: "绥自然资移〔2026〕1号".into(),
            decision_date: d(on),
        }
    }

    #[test]
    fn full_workflow_and_state_on_dates() {
        let e = ListEntry::list(request()).unwrap();
        assert_eq!(e.status(), EntryStatus::Listed);
        let e = e.apply_removal(application("2026-05-06")).unwrap();
        assert_eq!(e.status(), EntryStatus::Applied);
        let e = e
            .verify(verification(VerificationResult::Approve, "2026-05-08"))
            .unwrap();
        assert_eq!(e.status(), EntryStatus::Approved);
        let e = e.remove(removal("2026-05-11")).unwrap();
        assert_eq!(e.status(), EntryStatus::Removed);
        assert_eq!(
            e.steps().iter().map(Step::label).collect::<Vec<_>>(),
            ["列入", "移出申请", "核验", "移出"]
        );
        assert!(!e.in_force_on(d("2026-04-09")));
        assert!(e.in_force_on(d("2026-04-10")));
        assert!(e.in_force_on(d("2026-05-10")));
        assert!(!e.in_force_on(d("2026-05-11")));
        // Rebuilt from its steps, it is the same entry.
        assert_eq!(ListEntry::from_steps(e.steps()).unwrap(), e);
        let p = e.public();
        assert_eq!(p.removed_on.as_deref(), Some("2026-05-11"));
        assert_eq!(p.reason, "未按期公示（填报）勘查开采信息（2025年度）");
    }

    #[test]
    fn removal_without_favourable_verification_is_refused() {
        let e = ListEntry::list(request()).unwrap();
        let p = e.remove(removal("2026-05-11")).unwrap_err();
        assert_eq!(p[0].field, "entry");
        assert!(p[0].message.contains("没有同意移出的核验结论"));
        let e = e.apply_removal(application("2026-05-06")).unwrap();
        let p = e.remove(removal("2026-05-11")).unwrap_err();
        assert!(p[0].message.contains("尚未核验"));
        let e = e
            .verify(verification(VerificationResult::Refuse, "2026-05-08"))
            .unwrap();
        assert_eq!(e.status(), EntryStatus::Listed);
        assert!(e.remove(removal("2026-05-11")).is_err());
        // A new application after a refusal is allowed.
        let e = e.apply_removal(application("2026-06-01")).unwrap();
        assert_eq!(e.status(), EntryStatus::Applied);
        // A stored history with a removal before the 核验 does not replay.
        let mut steps = ListEntry::list(request()).unwrap().steps().to_vec();
        steps.push(Step::Removed(removal("2026-05-11")));
        assert!(ListEntry::from_steps(&steps).is_err());
    }

    #[test]
    fn listing_problems_are_named() {
        let mut r = request();
        r.credit_code = "91350100M000100Y44".into();
        r.decision_number = " ".into();
        r.reason = ListingReason::AbnormalThreeYears;
        let p = ListEntry::list(r).unwrap_err();
        let fields: Vec<_> = p.iter().map(|p| p.field).collect();
        assert_eq!(fields, ["credit_code", "reason", "decision_number"]);
        let mut r = request();
        r.reason = ListingReason::Other;
        r.reason_text = String::new();
        assert_eq!(ListEntry::list(r).unwrap_err()[0].field, "reason_text");
        let e = ListEntry::list(request()).unwrap();
        let p = e.apply_removal(application("2026-04-01")).unwrap_err();
        assert_eq!(p[0].field, "applied_on");
        let mut a = application("2026-05-06");
        a.attachments.push(Attachment {
            file_name: "整改照片.pdf".into(),
            sha256: "00".into(),
            size_bytes: MAX_ATTACHMENT_BYTES + 1,
        });
        assert_eq!(e.apply_removal(a).unwrap_err()[0].field, "attachments");
        let e = e.apply_removal(application("2026-05-06")).unwrap();
        assert!(e.apply_removal(application("2026-05-07")).is_err());
        let p = e
            .verify(verification(VerificationResult::Approve, "2026-05-05"))
            .unwrap_err();
        assert_eq!(p[0].field, "verified_on");
    }

    #[test]
    fn verification_limit_in_working_days() {
        let cal = WorkCalendar::builtin();
        // Applied Friday 2026-09-25 (中秋, 09-25..09-27 off); 10 working days across 国庆
        // (10-01..10-07 off, Saturday 10-10 a working day): 09-28, 09-29, 09-30, 10-08,
        // 10-09, 10-10, 10-12, 10-13, 10-14, 10-15.
        let e = ListEntry::list(request())
            .unwrap()
            .apply_removal(application("2026-09-25"))
            .unwrap();
        let due = e
            .verification_due(&cal, DEFAULT_VERIFICATION_LIMIT_DAYS)
            .unwrap();
        assert_eq!(due.value, d("2026-10-15"));
        assert!(due.unknown_years.is_empty());
        assert_eq!(e.overdue_reminder(&cal, 10, d("2026-10-15")), None);
        let r = e.overdue_reminder(&cal, 10, d("2026-10-19")).unwrap();
        assert_eq!(r.due, d("2026-10-15"));
        assert_eq!(r.working_days_late, 2);
        assert_eq!(r.note, None);
        // Verified: no reminder.
        let e = e
            .verify(verification(VerificationResult::Approve, "2026-10-20"))
            .unwrap();
        assert_eq!(e.overdue_reminder(&cal, 10, d("2026-10-30")), None);
    }

    #[test]
    fn lists_on_a_date() {
        let removed = ListEntry::list(request())
            .unwrap()
            .apply_removal(application("2026-05-06"))
            .unwrap()
            .verify(verification(VerificationResult::Approve, "2026-05-08"))
            .unwrap()
            .remove(removal("2026-05-11"))
            .unwrap();
        let mut r = request();
        r.list = HolderList::SeriousViolation;
        r.reason = ListingReason::SeriousViolation;
        r.reason_text = String::new();
        r.decision_date = d("2026-07-01");
        let serious = ListEntry::list(r).unwrap();
        let on = holder_lists_on([&removed, &serious], d("2026-06-01"));
        assert!(on.abnormal.is_empty());
        assert!(on.serious_violation.is_empty());
        let on = holder_lists_on([&removed, &serious], d("2026-05-10"));
        assert_eq!(on.abnormal.len(), 1);
        assert_eq!(on.abnormal[0].since, "2026-04-10");
        assert_eq!(
            on.abnormal[0].reason,
            "未按期公示（填报）勘查开采信息（2025年度），绥自然资异〔2026〕1号"
        );
        let on = holder_lists_on([&removed, &serious], d("2026-07-01"));
        assert_eq!(on.serious_violation.len(), 1);
    }
}
