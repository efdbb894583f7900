//! The register of rights (矿业权登记) with its lifecycle: application → review → decision →
//! grant (出让) → registration (登记) → extension (延续), change (变更), transfer (转让),
//! mortgage (抵押) → closure (闭坑) or cancellation (注销). The annual reports of the mines
//! live in [`annual_report`].
//!
//! A right's history is a list of [`RightEvent`]s, each with its effective date and the
//! [`RightState`] after it; the state on any date is the state after the last event on or
//! before it ([`RightHistory::state_on`]). So the register can be read as it stood on
//! 31 December of any year, which the indicators need.
//!
//! Each transition is a pure function here that checks its preconditions and returns the new
//! state, or every [`Problem`] with the field it concerns; the store runs it inside the write's
//! transaction and appends the event and its audit row. The rules (`docs/register.md`):
//!
//! * **Registration** needs an approved application (新立 / 探转采) whose latest review is
//!   符合, or 基本符合（需人工核查） with the manual checks accepted in the decision; a 新立
//!   needs its grant (出让) recorded; the licence number must be new.
//! * **Extension** (延续, [`RightExtension`]) moves `valid_to` later; after expiry it needs
//!   the recorded reason.
//! * **Change** (变更) and **transfer** (转让) need an approved application of that kind naming
//!   the right; a mortgaged right is not transferred before the mortgage is released.
//! * **Closure** (闭坑) needs a closure report on file and records its acceptance
//!   (《规划》六（二）3: 必须编制矿山闭坑报告…必须经主管部门审查验收).
//! * No event may be dated before the right's previous event, nor after `today`; a cancelled
//!   or closed right takes no further event ("the common checks" below).
//!
//! Pure: dates are passed in — each transition takes `today` (the store passes today's date,
//! 北京时间) instead of reading a clock.

pub mod annual_report;
pub mod filing;
pub mod joint_review;
pub mod licences;

use crate::application::{ApplicationKind, GrantMethod, Quantity, RightKind};
use crate::date::Date;
use crate::labels::zh_labels;
use crate::plan::{ApprovalLevel, LonLatPolygon};
use crate::record_number::RecordNumber;
use crate::review::Conclusion;
use crate::rights::{MiningRight, RightStatus};
use serde::{Deserialize, Serialize};

/// A problem of an input, naming its field (form field / CLI option), in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The field: `licence`, `valid_to`, `reason`, ….
    pub field: String,
    /// The message.
    pub message: String,
}

impl Problem {
    /// A problem of `field`.
    pub fn new(field: &str, message: impl Into<String>) -> Problem {
        Problem {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The kinds of register events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// 导入 (a right taken over from an existing register or file).
    Import,
    /// 登记 (first registration after grant).
    Register,
    /// 延续.
    Extend,
    /// 变更.
    Change,
    /// 转让.
    Transfer,
    /// 抵押.
    Mortgage,
    /// 解除抵押.
    MortgageRelease,
    /// 闭坑报告 (filed).
    ClosureReport,
    /// 闭坑 (closure report accepted; the right ends).
    Close,
    /// 注销.
    Cancel,
}

impl EventKind {
    /// Chinese label.
    pub fn label(&self) -> &'static str {
        match self {
            EventKind::Import => "导入",
            EventKind::Register => "登记",
            EventKind::Extend => "延续",
            EventKind::Change => "变更",
            EventKind::Transfer => "转让",
            EventKind::Mortgage => "抵押",
            EventKind::MortgageRelease => "解除抵押",
            EventKind::ClosureReport => "闭坑报告",
            EventKind::Close => "闭坑",
            EventKind::Cancel => "注销",
        }
    }

    /// The identifier stored in the database (`register`, `extend`, …).
    pub fn slug(&self) -> &'static str {
        match self {
            EventKind::Import => "import",
            EventKind::Register => "register",
            EventKind::Extend => "extend",
            EventKind::Change => "change",
            EventKind::Transfer => "transfer",
            EventKind::Mortgage => "mortgage",
            EventKind::MortgageRelease => "mortgage_release",
            EventKind::ClosureReport => "closure_report",
            EventKind::Close => "close",
            EventKind::Cancel => "cancel",
        }
    }

    /// Parses [`EventKind::slug`].
    pub fn from_slug(s: &str) -> Option<EventKind> {
        [
            EventKind::Import,
            EventKind::Register,
            EventKind::Extend,
            EventKind::Change,
            EventKind::Transfer,
            EventKind::Mortgage,
            EventKind::MortgageRelease,
            EventKind::ClosureReport,
            EventKind::Close,
            EventKind::Cancel,
        ]
        .into_iter()
        .find(|k| k.slug() == s)
    }
}

/// Where a right stands in its lifecycle (stored); expiry is derived from `valid_to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// 有效 (registered; may still have expired by date).
    Valid,
    /// 已注销.
    Cancelled,
    /// 闭坑 (closed after an accepted closure report; also 已注销).
    Closed,
}

zh_labels! {
    Standing, label {
        Valid => "有效",
        Cancelled => "已注销",
        Closed => "闭坑",
    }
}

/// 出让: how the right was granted (《规划》四（三）3（2）: 招标、拍卖、挂牌为主; 净矿出让).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grant {
    /// 招标 / 拍卖 / 挂牌 / 协议.
    pub method: GrantMethod,
    /// 净矿出让 (the site cleared of land, forest and grassland issues before grant).
    pub net_mineral: bool,
    /// 出让收益 (成交价), 万元.
    pub price_wan_yuan: f64,
    /// 成交 / 合同签订日期.
    pub date: Date,
    /// 出让合同编号.
    pub contract: Option<String>,
}

/// 抵押.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mortgage {
    /// 抵押权人.
    pub mortgagee: String,
    /// 担保金额, 万元.
    pub amount_wan_yuan: f64,
    /// 抵押期限 from.
    pub from: Date,
    /// 抵押期限 to.
    pub until: Date,
}

/// 矿山闭坑报告 (filed by the holder).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosureReport {
    /// Title.
    pub title: String,
    /// Date filed.
    pub date: Date,
}

/// The acceptance of a closure report (闭坑验收), 《规划》六（二）3.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClosureAcceptance {
    /// Date of acceptance.
    pub date: Date,
    /// Who accepted (主管部门 / 验收组).
    pub accepted_by: String,
    /// 验收文件文号.
    pub document: String,
}

/// A right as it stands after an event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RightState {
    /// 许可证号.
    pub id: String,
    /// 探矿权 / 采矿权.
    pub kind: RightKind,
    /// Lifecycle standing.
    pub standing: Standing,
    /// 矿山（项目）名称.
    pub name: String,
    /// 矿业权人.
    pub holder_name: String,
    /// 统一社会信用代码.
    pub credit_code: Option<String>,
    /// Minerals.
    pub minerals: Vec<String>,
    /// 生产规模 (采矿权), e.g. 5 万立方米/年.
    pub capacity: Option<Quantity>,
    /// Approval level (本级审批 counts against 《规划》五（一）'s cap for this level).
    pub approval: Option<ApprovalLevel>,
    /// 开采方式 (from the application it was granted on, or the import's 开采方式 column);
    /// caps by kind of mine count it. Absent in states recorded before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mining_method: Option<crate::application::MiningMethod>,
    /// 所在县（区）/乡镇 (from the application's `sub_unit`, or the import's 所在县区 column),
    /// for caps a plan sets per sub-unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_unit: Option<String>,
    /// 有效期起.
    pub valid_from: Option<Date>,
    /// 有效期止.
    pub valid_to: Option<Date>,
    /// 矿区面积, km² (ellipsoidal, TD/T 1055-2019 附录D).
    pub area_km2: Option<f64>,
    /// 开采标高 (top, bottom), m, 1985国家高程基准.
    pub elevation: Option<(f64, f64)>,
    /// The mine (矿山) the right belongs to.
    pub mine_id: Option<i64>,
    /// The application it was granted on (申请编号).
    pub application: Option<String>,
    /// 出让.
    pub grant: Option<Grant>,
    /// The current mortgage.
    pub mortgage: Option<Mortgage>,
    /// The closure report on file.
    pub closure_report: Option<ClosureReport>,
    /// The closure acceptance (闭坑).
    pub closure: Option<ClosureAcceptance>,
    /// Why it was cancelled.
    pub cancel_reason: Option<String>,
}

impl RightState {
    /// Whether the licence is in force on `d`: registered (not cancelled or closed), and `d`
    /// within 有效期 (an unknown bound does not limit).
    pub fn valid_on(&self, d: Date) -> bool {
        self.standing == Standing::Valid
            && self.valid_from.is_none_or(|f| f <= d)
            && self.valid_to.is_none_or(|t| t >= d)
    }

    /// Status on `d` as the review sees it: 已注销 when cancelled or closed, 已过期 after
    /// `valid_to` (or before `valid_from`), else 有效.
    pub fn status_on(&self, d: Date) -> RightStatus {
        if self.standing != Standing::Valid {
            RightStatus::Cancelled
        } else if self.valid_on(d) {
            RightStatus::Valid
        } else {
            RightStatus::Expired
        }
    }

    /// The right as the review and the indicators read it, with its status on `d`.
    pub fn to_mining_right(&self, geometry: Vec<LonLatPolygon>, d: Date) -> MiningRight {
        MiningRight {
            id: self.id.clone(),
            kind: self.kind,
            status: self.status_on(d),
            name: self.name.clone(),
            holder_name: self.holder_name.clone(),
            credit_code: self.credit_code.clone(),
            minerals: self.minerals.clone(),
            capacity: self.capacity,
            approval: self.approval,
            geometry,
            mining_method: self.mining_method,
            sub_unit: self.sub_unit.clone(),
            review_failed: false,
        }
    }
}

/// One event of a right's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RightEvent {
    /// Order of recording (1, 2, …).
    pub seq: i64,
    /// What happened.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub kind: EventKind,
    /// Effective date; `None` for an import that states no date (in force since ever).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub date: Option<Date>,
    /// The state after the event.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub state: RightState,
    /// Particulars (reason, application, document numbers), as recorded.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub detail: serde_json::Value,
    /// Who recorded it (audit actor label).
    pub actor: String,
    /// When it was recorded (RFC 3339).
    pub recorded_at: String,
}

/// A right with its events, ordered by (date, seq).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RightHistory {
    /// 许可证号.
    pub id: String,
    /// Its current geometry, lon/lat.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<Vec<[f64; 2]>>>))]
    pub geometry: Vec<LonLatPolygon>,
    /// Events, oldest first (at least one).
    pub events: Vec<RightEvent>,
}

impl RightHistory {
    /// The state after the latest event.
    pub fn current(&self) -> &RightState {
        &self.events.last().expect("a history has an event").state
    }

    /// The date of the latest dated event.
    pub fn last_date(&self) -> Option<Date> {
        self.events.iter().filter_map(|e| e.date).max()
    }

    /// The state on `d`: after the last event dated on or before `d` (undated imports count
    /// from the beginning); `None` before the first event.
    pub fn state_on(&self, d: Date) -> Option<&RightState> {
        self.events
            .iter()
            .rfind(|e| e.date.is_none_or(|ed| ed <= d))
            .map(|e| &e.state)
    }

    /// Whether the licence is in force on `d`.
    pub fn valid_on(&self, d: Date) -> bool {
        self.state_on(d).is_some_and(|s| s.valid_on(d))
    }

    /// Whether the licence is in force on at least one day from `from` to `to` (inclusive).
    pub fn valid_during(&self, from: Date, to: Date) -> bool {
        for (i, e) in self.events.iter().enumerate() {
            let start = e.date.map_or(from, |d| d.max(from));
            let end = match self.events.get(i + 1).and_then(|n| n.date) {
                Some(next) => next.add_days(-1).min(to),
                None => to,
            };
            let s = &e.state;
            if s.standing != Standing::Valid {
                continue;
            }
            let lo = s.valid_from.map_or(start, |f| f.max(start));
            let hi = s.valid_to.map_or(end, |t| t.min(end));
            if lo <= hi {
                return true;
            }
        }
        false
    }

    /// The right as the review reads it on `d` (`None` before its first event).
    pub fn mining_right_on(&self, d: Date) -> Option<MiningRight> {
        self.state_on(d)
            .map(|s| s.to_mining_right(self.geometry.clone(), d))
    }
}

/// 申请状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationStatus {
    /// 在审.
    Pending,
    /// 已批准.
    Approved,
    /// 不予批准.
    Refused,
    /// 撤回.
    Withdrawn,
    /// 不予受理 (closed: the application does not qualify to be accepted).
    NotAccepted,
    /// 退回 (closed: returned to the applicant, e.g. to be corrected and filed anew).
    Returned,
}

zh_labels! {
    ApplicationStatus, label {
        Pending => "在审",
        Approved => "已批准",
        Refused => "不予批准",
        Withdrawn => "撤回",
        NotAccepted => "不予受理",
        Returned => "退回",
    }
}

/// How a pending application is closed without approval (办结): 不予受理, 退回 or 不予批准.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClosingKind {
    /// 不予受理.
    NotAccepted,
    /// 退回.
    Returned,
    /// 不予批准.
    Refused,
}

zh_labels! {
    ClosingKind, label {
        NotAccepted => "不予受理",
        Returned => "退回",
        Refused => "不予批准",
    }
}

impl ClosingKind {
    /// The application's status after it.
    pub fn status(self) -> ApplicationStatus {
        match self {
            ClosingKind::NotAccepted => ApplicationStatus::NotAccepted,
            ClosingKind::Returned => ApplicationStatus::Returned,
            ClosingKind::Refused => ApplicationStatus::Refused,
        }
    }
}

/// Closing a pending application (不予受理 / 退回 / 不予批准) with its reason: afterwards it
/// is not pending (R6/R7, R3, R12 and the lists no longer count it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApplicationClosing {
    /// 不予受理 / 退回 / 不予批准.
    pub kind: ClosingKind,
    /// Date of the closing.
    pub date: Date,
    /// Reason (required).
    pub reason: String,
}

/// Checks closing `app` on `today` (the caller's date) and returns its new status.
///
/// # Errors
/// Every [`Problem`]: the application is not 在审; no reason; a date after `today` or before
/// the 受理日期; a reason longer than [`MAX_TEXT_CHARS`].
pub fn close_application(
    app: &ApplicationFacts,
    c: &ApplicationClosing,
    today: Date,
) -> Result<ApplicationStatus, Vec<Problem>> {
    let mut p = Vec::new();
    not_future("date", c.date, today, &mut p);
    if app.status != ApplicationStatus::Pending {
        p.push(Problem::new(
            "application",
            format!(
                "申请 {} 已是“{}”，不能再{}",
                app.number,
                app.shown_status(),
                c.kind.label()
            ),
        ));
    }
    if c.reason.trim().is_empty() {
        p.push(Problem::new(
            "reason",
            format!("{}须写明理由", c.kind.label()),
        ));
    }
    if let Some(r) = app.received.filter(|r| c.date < *r) {
        p.push(Problem::new(
            "date",
            format!("{}日期 {} 早于受理日期 {r}", c.kind.label(), c.date),
        ));
    }
    check_text("reason", "理由", Some(c.reason.as_str()), &mut p);
    if p.is_empty() {
        Ok(c.kind.status())
    } else {
        Err(p)
    }
}

/// What a transition needs to know of an application: its decision, its latest review and
/// what it applies for (read by the store from the stored review).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApplicationFacts {
    /// 申请编号.
    pub number: String,
    /// Status.
    pub status: ApplicationStatus,
    /// 申请类型.
    pub kind: ApplicationKind,
    /// 探矿权 / 采矿权.
    pub right_kind: RightKind,
    /// Latest review's conclusion.
    pub conclusion: Conclusion,
    /// Latest review id.
    pub review_id: i64,
    /// The manual checks of a 基本符合 review, accepted in the decision (人工核查意见).
    pub accepted_checks: Option<String>,
    /// 原矿业权证号.
    pub existing_right: Option<String>,
    /// 项目名称.
    pub project_name: String,
    /// 申请人.
    pub holder_name: String,
    /// 统一社会信用代码.
    pub credit_code: String,
    /// Minerals.
    pub minerals: Vec<String>,
    /// 设计生产规模.
    pub capacity: Option<Quantity>,
    /// 开采标高.
    pub elevation: Option<(f64, f64)>,
    /// 椭球面积, km².
    pub area_km2: Option<f64>,
    /// The application's geometry, lon/lat.
    pub geometry: Vec<LonLatPolygon>,
    /// Whether the application states a reason for 协议出让.
    pub has_agreement_reason: bool,
    /// The planning block the review placed it in: (number, approval level).
    pub block: Option<(String, ApprovalLevel)>,
    /// 开采方式 the application states.
    pub mining_method: Option<crate::application::MiningMethod>,
    /// 所在县（区）/乡镇 the application declares.
    pub sub_unit: Option<String>,
    /// The grant recorded for it.
    pub grant: Option<Grant>,
    /// 出让方式 the application asks for (the grant form starts from it).
    pub requested_grant: Option<GrantMethod>,
    /// Whether the application asks for 净矿出让.
    pub requested_net_mineral: bool,
    /// The right it has already been used for (an application is used once).
    pub used_for: Option<String>,
    /// 受理日期, when the application states it.
    pub received: Option<Date>,
    /// The day of its decision (批准 / 不予批准), once decided.
    pub decided_on: Option<Date>,
}

/// The largest sum of money a record takes, 万元 (1 万亿元): a figure above it is a typing
/// error, not a price.
pub const MAX_WAN_YUAN: f64 = 1e8;

/// The longest free text a record takes (reasons, opinions, titles), characters.
pub const MAX_TEXT_CHARS: usize = 2000;

/// Longest validity of a mining licence, years: 大型 30 (《矿产资源开采登记管理办法》第七条:
/// 大型以上 30 年、中型 20 年、小型 10 年 — the scale class is the registering officer's to
/// check; the system refuses only what no class allows).
pub const MAX_MINING_YEARS: i32 = 30;

/// Longest validity of an exploration licence, years (探矿权 新立、延续 5 年,
/// 自然资源部《关于深化矿产资源管理改革若干事项的意见》自然资规〔2023〕6号).
pub const MAX_EXPLORATION_YEARS: i32 = 5;

fn check_text(field: &str, label: &str, s: Option<&str>, p: &mut Vec<Problem>) {
    if let Some(t) = s {
        let n = t.chars().count();
        if n > MAX_TEXT_CHARS {
            p.push(Problem::new(
                field,
                format!("{label}过长（{n} 个字符，最多 {MAX_TEXT_CHARS} 个）"),
            ));
        }
    }
}

fn check_money(field: &str, label: &str, v: f64, positive: bool, p: &mut Vec<Problem>) {
    let ok = v.is_finite() && if positive { v > 0.0 } else { v >= 0.0 } && v <= MAX_WAN_YUAN;
    if !ok {
        p.push(Problem::new(
            field,
            format!(
                "{label}（万元）应为{}且不超过 {}（1 万亿元）的数",
                if positive { "正数" } else { "不小于 0" },
                MAX_WAN_YUAN
            ),
        ));
    }
}

/// Refuses a date after `today` (the caller's today, 北京时间): events are recorded when
/// they happen, so a future date is a typing error and would change the register's state
/// today (`docs/register.md`, 共同的检查).
fn not_future(field: &str, d: Date, today: Date, p: &mut Vec<Problem>) {
    if d > today {
        p.push(Problem::new(
            field,
            format!("日期 {d} 晚于今天 {today}：登记事项按实际办理的日期记录"),
        ));
    }
}

impl ApplicationFacts {
    /// The status as people read it: 已登记 once an approved application has been used for
    /// the register (registered, or its 延续/变更/转让 recorded on the right), else its
    /// status's label (在审, 已批准, 不予批准, 不予受理, 退回, 撤回).
    pub fn shown_status(&self) -> &'static str {
        shown_status(self.status, self.used_for.is_some())
    }

    /// Whether its review allows approval: 符合, or 基本符合 with the checks accepted.
    pub fn review_allows(&self) -> bool {
        match self.conclusion {
            Conclusion::Conforming => true,
            Conclusion::ConformingPendingCheck => self
                .accepted_checks
                .as_deref()
                .is_some_and(|s| !s.trim().is_empty()),
            Conclusion::NonConforming => false,
        }
    }
}

/// An application's status as people read it (see [`ApplicationFacts::shown_status`]).
pub fn shown_status(status: ApplicationStatus, used: bool) -> &'static str {
    if status == ApplicationStatus::Approved && used {
        "已登记"
    } else {
        status.label()
    }
}

/// A decision on an application.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// Approve (批准) or refuse (不予批准).
    pub approve: bool,
    /// Date of the decision.
    pub date: Date,
    /// 人工核查意见: required to approve a 基本符合（需人工核查） review.
    pub accepted_checks: Option<String>,
    /// Reason (required to refuse).
    pub reason: Option<String>,
}

fn nonblank(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|x| !x.trim().is_empty())
}

/// Checks a decision made on `today` (the caller's date; the domain reads no clock) and
/// returns the new status.
///
/// # Errors
/// Every [`Problem`]: a decision dated after `today`; the application is not 在审; approval
/// of a 不符合 review; approval of a 基本符合 review without 人工核查意见; refusal without a
/// reason; a decision before the 受理日期; text longer than [`MAX_TEXT_CHARS`].
pub fn decide(
    app: &ApplicationFacts,
    d: &Decision,
    today: Date,
) -> Result<ApplicationStatus, Vec<Problem>> {
    let mut p = Vec::new();
    not_future("date", d.date, today, &mut p);
    if app.status != ApplicationStatus::Pending {
        p.push(Problem::new(
            "application",
            format!(
                "申请 {} 已是“{}”，不能再作决定",
                app.number,
                app.status.label()
            ),
        ));
    }
    if d.approve {
        match app.conclusion {
            Conclusion::NonConforming => p.push(Problem::new(
                "decision",
                format!(
                    "申请 {} 的规划符合性审查结论为不符合（审查记录 #{}），不能批准",
                    app.number, app.review_id
                ),
            )),
            Conclusion::ConformingPendingCheck if !nonblank(&d.accepted_checks) => {
                p.push(Problem::new(
                    "accepted_checks",
                    format!(
                        "审查结论为基本符合（需人工核查）（审查记录 #{}）：批准前须填写人工核查意见",
                        app.review_id
                    ),
                ))
            }
            _ => {}
        }
    } else if !nonblank(&d.reason) {
        p.push(Problem::new("reason", "不予批准须写明理由"));
    }
    // Not against the review's date: records of past years are entered with a review run
    // today.
    if let Some(r) = app.received.filter(|r| d.date < *r) {
        p.push(Problem::new(
            "date",
            format!("决定日期 {} 早于受理日期 {r}", d.date),
        ));
    }
    check_text(
        "accepted_checks",
        "人工核查意见",
        d.accepted_checks.as_deref(),
        &mut p,
    );
    check_text("reason", "理由", d.reason.as_deref(), &mut p);
    if p.is_empty() {
        Ok(if d.approve {
            ApplicationStatus::Approved
        } else {
            ApplicationStatus::Refused
        })
    } else {
        Err(p)
    }
}

/// Checks a grant (出让) of an approved application, recorded on `today` (the caller's
/// date).
///
/// # Errors
/// Every [`Problem`]: a grant dated after `today`; application not approved; a negative,
/// non-finite or too large price (万元, at most [`MAX_WAN_YUAN`]); a grant before the
/// approval; 协议出让 without a stated reason in the application (《规划》四（三）3（2））; a
/// grant already recorded.
pub fn check_grant(app: &ApplicationFacts, g: &Grant, today: Date) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    not_future("date", g.date, today, &mut p);
    if app.status != ApplicationStatus::Approved {
        p.push(Problem::new(
            "application",
            format!(
                "申请 {} 状态为“{}”，批准后才能出让",
                app.number,
                app.status.label()
            ),
        ));
    }
    if app.grant.is_some() {
        p.push(Problem::new(
            "application",
            format!("申请 {} 已记录出让，不能重复记录", app.number),
        ));
    }
    check_money("price", "出让收益", g.price_wan_yuan, false, &mut p);
    if let Some(d) = app.decided_on.filter(|d| g.date < *d) {
        p.push(Problem::new(
            "date",
            format!("出让日期 {} 早于批准日期 {d}", g.date),
        ));
    }
    check_text("contract", "出让合同编号", g.contract.as_deref(), &mut p);
    if g.method == GrantMethod::Agreement && !app.has_agreement_reason {
        p.push(Problem::new(
            "method",
            "协议出让须有法定情形：申请中未写明协议出让理由（《规划》四（三）3（2）以招拍挂为主）",
        ));
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

/// What a registration records beyond the application.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Registration {
    /// 许可证号.
    pub licence: String,
    /// 登记日期 (the event's date).
    pub date: Date,
    /// 有效期起.
    pub valid_from: Date,
    /// 有效期止.
    pub valid_to: Date,
    /// 矿山名称 (default: the application's project name).
    pub name: Option<String>,
    /// 生产规模 (default: the application's).
    pub capacity: Option<Quantity>,
    /// 开采标高 (default: the application's).
    pub elevation: Option<(f64, f64)>,
    /// 矿区面积 km² (default: the application's ellipsoidal area).
    pub area_km2: Option<f64>,
    /// Approval level (default: that of the planning block the review placed it in).
    pub approval: Option<ApprovalLevel>,
    /// The mine it belongs to (the store creates one for a new mine).
    pub mine_id: Option<i64>,
}

/// Checks a registration and returns the new right's state.
///
/// * `app` — the application (新立 or 探转采);
/// * `licence_taken` — whether the licence number is already in the register;
/// * `source` — for 探转采, the exploration right being converted;
/// * `today` — the caller's date (the domain reads no clock).
///
/// # Errors
/// Every [`Problem`] (see the [module documentation](self)), including a registration dated
/// after `today`.
pub fn register(
    app: &ApplicationFacts,
    r: &Registration,
    licence_taken: bool,
    source: Option<&RightHistory>,
    today: Date,
) -> Result<RightState, Vec<Problem>> {
    let mut p = Vec::new();
    not_future("date", r.date, today, &mut p);
    if let Err(m) = RecordNumber::parse("许可证号", r.licence.trim()) {
        p.push(Problem::new("licence", m));
    } else if licence_taken {
        p.push(Problem::new(
            "licence",
            format!("许可证号 {} 已在登记簿中", r.licence.trim()),
        ));
    }
    if app.status != ApplicationStatus::Approved {
        p.push(Problem::new(
            "application",
            format!(
                "申请 {} 状态为“{}”：批准后才能登记",
                app.number,
                app.status.label()
            ),
        ));
    }
    if !app.review_allows() {
        p.push(Problem::new(
            "application",
            match app.conclusion {
                Conclusion::NonConforming => format!(
                    "申请 {} 的规划符合性审查结论为不符合（审查记录 #{}），不能登记",
                    app.number, app.review_id
                ),
                _ => format!(
                    "申请 {} 的审查结论为基本符合（需人工核查）（审查记录 #{}），人工核查意见未记录，不能登记",
                    app.number, app.review_id
                ),
            },
        ));
    }
    if let Some(used) = &app.used_for {
        p.push(Problem::new(
            "application",
            format!("申请 {} 已用于登记 {used}", app.number),
        ));
    }
    match app.kind {
        ApplicationKind::New => {
            if app.grant.is_none() {
                p.push(Problem::new(
                    "application",
                    format!(
                        "新立申请 {} 尚未记录出让（招标、拍卖、挂牌或协议），不能登记",
                        app.number
                    ),
                ));
            }
        }
        ApplicationKind::ExplorationToMining => match source {
            None => p.push(Problem::new(
                "application",
                format!(
                    "探转采申请 {} 的原探矿权 {} 不在登记簿中",
                    app.number,
                    app.existing_right.as_deref().unwrap_or("（未填写）")
                ),
            )),
            Some(h) if h.current().kind != RightKind::Exploration => p.push(Problem::new(
                "application",
                format!("原矿业权 {} 不是探矿权", h.id),
            )),
            Some(h) if !h.valid_on(r.date) => p.push(Problem::new(
                "date",
                format!("原探矿权 {} 在 {} 不在有效期内", h.id, r.date),
            )),
            Some(_) => {}
        },
        other => p.push(Problem::new(
            "application",
            format!(
                "{}申请不另行登记新矿业权：请用相应的{}办理",
                other.label(),
                other.label()
            ),
        )),
    }
    if r.valid_to < r.valid_from {
        p.push(Problem::new("valid_to", "有效期止不能早于有效期起"));
    }
    check_validity(app.right_kind, r.valid_from, r.valid_to, &mut p);
    if let Some(g) = app.grant.as_ref().filter(|g| r.date < g.date) {
        p.push(Problem::new(
            "date",
            format!("登记日期 {} 早于出让日期 {}", r.date, g.date),
        ));
    } else if let Some(d) = app.decided_on.filter(|d| r.date < *d) {
        p.push(Problem::new(
            "date",
            format!("登记日期 {} 早于批准日期 {d}", r.date),
        ));
    }
    let capacity = r.capacity.or(app.capacity);
    if app.right_kind == RightKind::Mining && capacity.is_none() {
        p.push(Problem::new("capacity", "采矿权须登记生产规模"));
    }
    if let Some(a) = r.area_km2
        && !(a.is_finite() && a > 0.0)
    {
        p.push(Problem::new("area", "矿区面积应为正数（平方千米）"));
    }
    if !p.is_empty() {
        return Err(p);
    }
    Ok(RightState {
        id: r.licence.trim().to_string(),
        kind: app.right_kind,
        standing: Standing::Valid,
        name: r
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| app.project_name.clone()),
        holder_name: app.holder_name.clone(),
        credit_code: Some(app.credit_code.clone()),
        minerals: app.minerals.clone(),
        capacity,
        approval: r.approval.or(app.block.as_ref().map(|b| b.1)),
        mining_method: app.mining_method,
        sub_unit: app.sub_unit.clone(),
        valid_from: Some(r.valid_from),
        valid_to: Some(r.valid_to),
        area_km2: r.area_km2.or(app.area_km2),
        elevation: r.elevation.or(app.elevation),
        mine_id: r.mine_id,
        application: Some(app.number.clone()),
        grant: app.grant.clone(),
        mortgage: None,
        closure_report: None,
        closure: None,
        cancel_reason: None,
    })
}

/// The checks every event on an existing right shares: it is not cancelled or closed, and
/// the date is not before its previous event nor after `today`.
fn common(h: &RightHistory, date: Date, today: Date, p: &mut Vec<Problem>) {
    let s = h.current();
    if s.standing != Standing::Valid {
        p.push(Problem::new(
            "right",
            format!(
                "矿业权 {} {}，不能再办理登记事项",
                h.id,
                match s.standing.label() {
                    l if l.starts_with('已') => l.to_string(),
                    l => format!("已{l}"),
                }
            ),
        ));
    }
    if let Some(last) = h.last_date()
        && date < last
    {
        p.push(Problem::new(
            "date",
            format!("日期 {date} 早于该矿业权上一登记事项的日期 {last}"),
        ));
    }
    not_future("date", date, today, p);
}

/// Refuses a validity longer than [`MAX_MINING_YEARS`] / [`MAX_EXPLORATION_YEARS`].
fn check_validity(kind: RightKind, from: Date, to: Date, p: &mut Vec<Problem>) {
    let years = match kind {
        RightKind::Mining => MAX_MINING_YEARS,
        RightKind::Exploration => MAX_EXPLORATION_YEARS,
    };
    let limit = Date::new(from.year() + years, from.month(), from.day().min(28)).unwrap_or(from);
    if to > limit {
        p.push(Problem::new(
            "valid_to",
            format!(
                "{}有效期最长 {years} 年：自 {from} 起最迟至 {limit}（{}）",
                kind.label(),
                match kind {
                    RightKind::Mining => "《矿产资源开采登记管理办法》第七条",
                    RightKind::Exploration => "自然资规〔2023〕6号",
                }
            ),
        ));
    }
}

fn done(p: Vec<Problem>, s: RightState) -> Result<RightState, Vec<Problem>> {
    if p.is_empty() { Ok(s) } else { Err(p) }
}

/// 延续 of a right: its licence's term moved later (not to be confused with
/// [`ApplicationKind::Extension`], the 延续 application that may precede it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RightExtension {
    /// 延续登记日期.
    pub date: Date,
    /// 新的有效期止.
    pub valid_to: Date,
    /// Reason, required when the licence had already expired (逾期延续的原因).
    pub reason: Option<String>,
    /// The 延续 application, if one was reviewed.
    pub application: Option<String>,
}

/// Checks an extension and returns the new state.
///
/// * `app` — the facts of the 延续 application `e.application` names, when it names one;
/// * `today` — the caller's date (the domain reads no clock).
///
/// # Errors
/// Every [`Problem`]: an application that is not an approved, unused 延续 application for
/// this right (first); the common checks (cancelled or closed, dated before the previous
/// event or after `today`); a new end not later than the current one; an extension after
/// expiry without the recorded reason; a term longer than [`MAX_MINING_YEARS`] /
/// [`MAX_EXPLORATION_YEARS`] from the later of the old expiry and the extension's date.
pub fn extend(
    h: &RightHistory,
    e: &RightExtension,
    app: Option<&ApplicationFacts>,
    today: Date,
) -> Result<RightState, Vec<Problem>> {
    let mut p = Vec::new();
    if let Some(a) = app
        && (a.kind != ApplicationKind::Extension
            || a.existing_right.as_deref() != Some(h.id.as_str())
            || a.status != ApplicationStatus::Approved
            || a.used_for.is_some())
    {
        p.push(Problem::new(
            "application",
            format!(
                "申请 {} 不是针对 {} 的已批准、未办理的延续申请",
                a.number, h.id
            ),
        ));
    }
    common(h, e.date, today, &mut p);
    let s = h.current();
    if let Some(to) = s.valid_to {
        if e.valid_to <= to {
            p.push(Problem::new(
                "valid_to",
                format!("新的有效期止 {} 应晚于现有期限 {to}", e.valid_to),
            ));
        }
        if e.date > to && !nonblank(&e.reason) {
            p.push(Problem::new(
                "reason",
                format!(
                    "许可证已于 {to} 到期，{} 办理延续属逾期延续：须记录原因",
                    e.date
                ),
            ));
        }
        // Each extension runs for at most one full term from the later of the old expiry
        // and the extension's date.
        check_validity(s.kind, to.max(e.date), e.valid_to, &mut p);
    }
    check_text("reason", "原因", e.reason.as_deref(), &mut p);
    let mut n = s.clone();
    n.valid_to = Some(e.valid_to);
    done(p, n)
}

/// Checks that `app` is an approved, unused application of `kind` naming right `h`.
fn check_app_for(
    h: &RightHistory,
    app: &ApplicationFacts,
    kind: ApplicationKind,
    p: &mut Vec<Problem>,
) {
    if app.kind != kind {
        p.push(Problem::new(
            "application",
            format!(
                "申请 {} 是{}申请，不是{}申请",
                app.number,
                app.kind.label(),
                kind.label()
            ),
        ));
    }
    if app.existing_right.as_deref() != Some(h.id.as_str()) {
        p.push(Problem::new(
            "application",
            format!(
                "申请 {} 的原矿业权证号为 {}，不是 {}",
                app.number,
                app.existing_right.as_deref().unwrap_or("（未填写）"),
                h.id
            ),
        ));
    }
    if app.status != ApplicationStatus::Approved {
        p.push(Problem::new(
            "application",
            format!(
                "申请 {} 状态为“{}”：批准后才能办理",
                app.number,
                app.status.label()
            ),
        ));
    } else if !app.review_allows() {
        p.push(Problem::new(
            "application",
            format!(
                "申请 {} 的审查结论（{}）不允许办理",
                app.number,
                app.conclusion.label()
            ),
        ));
    }
    if let Some(used) = &app.used_for {
        p.push(Problem::new(
            "application",
            format!("申请 {} 已办理（{used}）", app.number),
        ));
    }
}

/// Checks a change (变更) made on an approved 变更 application and returns the new state:
/// minerals, capacity, elevation and area as the application states them (the review checked
/// them against the plan).
///
/// # Errors
/// Every [`Problem`]: the common checks; the application checks; the licence not in force on
/// the date.
pub fn change(
    h: &RightHistory,
    app: &ApplicationFacts,
    date: Date,
    today: Date,
) -> Result<RightState, Vec<Problem>> {
    let mut p = Vec::new();
    common(h, date, today, &mut p);
    check_app_for(h, app, ApplicationKind::Change, &mut p);
    if !h.valid_on(date) {
        p.push(Problem::new(
            "date",
            format!("矿业权 {} 在 {date} 不在有效期内，不能变更", h.id),
        ));
    }
    let mut n = h.current().clone();
    if !app.minerals.is_empty() {
        n.minerals = app.minerals.clone();
    }
    n.capacity = app.capacity.or(n.capacity);
    n.elevation = app.elevation.or(n.elevation);
    n.area_km2 = app.area_km2.or(n.area_km2);
    n.name = if app.project_name.trim().is_empty() {
        n.name
    } else {
        app.project_name.clone()
    };
    done(p, n)
}

/// Checks a transfer (转让) to the applicant of an approved 转让 application.
///
/// # Errors
/// Every [`Problem`]: the common checks; the application checks; the licence not in force on
/// the date; a mortgage not released.
pub fn transfer(
    h: &RightHistory,
    app: &ApplicationFacts,
    date: Date,
    today: Date,
) -> Result<RightState, Vec<Problem>> {
    let mut p = Vec::new();
    common(h, date, today, &mut p);
    check_app_for(h, app, ApplicationKind::Transfer, &mut p);
    let s = h.current();
    if !h.valid_on(date) {
        p.push(Problem::new(
            "date",
            format!("矿业权 {} 在 {date} 不在有效期内，不能转让", h.id),
        ));
    }
    if let Some(m) = &s.mortgage {
        p.push(Problem::new(
            "right",
            format!(
                "矿业权 {} 抵押给 {}（至 {}），转让前须解除抵押",
                h.id, m.mortgagee, m.until
            ),
        ));
    }
    let mut n = s.clone();
    n.holder_name = app.holder_name.clone();
    n.credit_code = Some(app.credit_code.clone());
    done(p, n)
}

/// Checks a mortgage (抵押).
///
/// # Errors
/// Every [`Problem`]: the common checks; not in force on the date; already mortgaged; a term
/// ending after the licence or before it starts; an amount that is not positive.
pub fn mortgage(h: &RightHistory, m: &Mortgage, today: Date) -> Result<RightState, Vec<Problem>> {
    let mut p = Vec::new();
    common(h, m.from, today, &mut p);
    let s = h.current();
    if !h.valid_on(m.from) {
        p.push(Problem::new(
            "from",
            format!("矿业权 {} 在 {} 不在有效期内，不能抵押", h.id, m.from),
        ));
    }
    if let Some(old) = &s.mortgage {
        p.push(Problem::new(
            "right",
            format!("矿业权 {} 已抵押给 {}，须先解除", h.id, old.mortgagee),
        ));
    }
    if m.mortgagee.trim().is_empty() {
        p.push(Problem::new("mortgagee", "抵押权人不能为空"));
    }
    check_money("amount", "担保金额", m.amount_wan_yuan, true, &mut p);
    if m.until < m.from {
        p.push(Problem::new("until", "抵押期限止不能早于起"));
    }
    if let Some(to) = s.valid_to
        && m.until > to
    {
        p.push(Problem::new(
            "until",
            format!("抵押期限 {} 超过许可证有效期 {to}", m.until),
        ));
    }
    let mut n = s.clone();
    n.mortgage = Some(m.clone());
    done(p, n)
}

/// Checks the release of a mortgage (解除抵押).
///
/// # Errors
/// Every [`Problem`]: the date before the previous event or after `today`; no mortgage.
pub fn release_mortgage(
    h: &RightHistory,
    date: Date,
    today: Date,
) -> Result<RightState, Vec<Problem>> {
    let mut p = Vec::new();
    if let Some(last) = h.last_date()
        && date < last
    {
        p.push(Problem::new(
            "date",
            format!("日期 {date} 早于该矿业权上一登记事项的日期 {last}"),
        ));
    }
    not_future("date", date, today, &mut p);
    let s = h.current();
    if s.mortgage.is_none() {
        p.push(Problem::new("right", format!("矿业权 {} 没有抵押", h.id)));
    }
    let mut n = s.clone();
    n.mortgage = None;
    done(p, n)
}

/// Checks the filing of a closure report (闭坑报告) for a mining right. A right that expired
/// may still file one (closure follows the end of mining).
///
/// # Errors
/// Every [`Problem`]: not a mining right; cancelled or closed; date before the previous
/// event; an empty title.
pub fn file_closure_report(
    h: &RightHistory,
    r: &ClosureReport,
    today: Date,
) -> Result<RightState, Vec<Problem>> {
    let mut p = Vec::new();
    common(h, r.date, today, &mut p);
    let s = h.current();
    if s.kind != RightKind::Mining {
        p.push(Problem::new(
            "right",
            format!("{} 是探矿权，闭坑针对采矿权", h.id),
        ));
    }
    if r.title.trim().is_empty() {
        p.push(Problem::new("title", "闭坑报告名称不能为空"));
    }
    check_text("title", "闭坑报告名称", Some(&r.title), &mut p);
    if let Some(on_file) = &s.closure_report {
        p.push(Problem::new(
            "right",
            format!(
                "{} 已于 {} 报送闭坑报告《{}》，尚待验收，不能重复报送",
                h.id, on_file.date, on_file.title
            ),
        ));
    }
    let mut n = s.clone();
    n.closure_report = Some(r.clone());
    done(p, n)
}

/// Checks a closure (闭坑): the acceptance of the closure report on file. The right ends
/// (已注销, 闭坑).
///
/// # Errors
/// Every [`Problem`]: the common checks; no closure report on file (《规划》六（二）3);
/// acceptance before the report; blank acceptor or document number.
pub fn close(
    h: &RightHistory,
    a: &ClosureAcceptance,
    today: Date,
) -> Result<RightState, Vec<Problem>> {
    let mut p = Vec::new();
    common(h, a.date, today, &mut p);
    let s = h.current();
    match &s.closure_report {
        None => p.push(Problem::new(
            "closure_report",
            format!(
                "矿业权 {} 没有闭坑报告：闭坑须先编制闭坑报告并经审查验收（《规划》六（二）3）",
                h.id
            ),
        )),
        Some(r) if r.date > a.date => p.push(Problem::new(
            "date",
            format!("验收日期 {} 早于闭坑报告日期 {}", a.date, r.date),
        )),
        Some(_) => {}
    }
    if a.accepted_by.trim().is_empty() {
        p.push(Problem::new("accepted_by", "验收单位不能为空"));
    }
    if a.document.trim().is_empty() {
        p.push(Problem::new("document", "验收文件文号不能为空"));
    }
    let mut n = s.clone();
    n.standing = Standing::Closed;
    n.closure = Some(a.clone());
    n.mortgage = None;
    done(p, n)
}

/// Checks a cancellation (注销) with its reason.
///
/// # Errors
/// Every [`Problem`]: the common checks; no reason; a mortgage not released.
pub fn cancel(
    h: &RightHistory,
    date: Date,
    reason: &str,
    today: Date,
) -> Result<RightState, Vec<Problem>> {
    let mut p = Vec::new();
    common(h, date, today, &mut p);
    let s = h.current();
    if reason.trim().is_empty() {
        p.push(Problem::new("reason", "注销须写明原因"));
    }
    check_text("reason", "原因", Some(reason), &mut p);
    if let Some(m) = &s.mortgage {
        p.push(Problem::new(
            "right",
            format!("矿业权 {} 抵押给 {}，注销前须解除抵押", h.id, m.mortgagee),
        ));
    }
    let mut n = s.clone();
    n.standing = Standing::Cancelled;
    n.cancel_reason = Some(reason.trim().to_string());
    done(p, n)
}

#[cfg(test)]
mod tests;
