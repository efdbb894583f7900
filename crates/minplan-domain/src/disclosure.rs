//! 信息公示 (《规划》四（三）3（3） 信息公示 and 双随机、一公开; 七（四） 定期公布规划执行情况):
//! what the bureau publishes, the review before publishing, and the public payloads.
//!
//! A publication ([`PublicationKind`]) moves 草稿 → 待审核 → 已公开 → 已撤回
//! ([`PublicationState`]); 退回修改 sends a 待审核 one back to 草稿. Each step is a pure check
//! ([`submit`], [`approve`], [`send_back`], [`withdraw`]) of who acts ([`Actor`]: a person
//! and the role the rule sees) on the publication as it stands ([`Standing`]):
//!
//! * the **owning role** submits: 执法监察 for 抽查结果 and 名录信息, 审批科 for 矿业权公示,
//!   规划科 for 规划区块 and 规划执行情况, 生态修复 for 治理恢复基金公示; 系统管理员 always;
//! * a **different person** approves (the owning role or 系统管理员) — 四眼原则: the person
//!   who submitted cannot approve the same submission;
//! * a withdrawal (已公开 → 已撤回) and a 退回修改 need a reason, which the public sees for a
//!   withdrawal.
//!
//! **Public fields only.** What the public sees is a typed payload ([`Payload`]): each kind's
//! struct lists exactly the fields the rules publish — holder (an enterprise), 许可证号,
//! 统一社会信用代码 of an enterprise, minerals, areas, dates, findings, decisions. No payload
//! type has a field for an ID number, a phone number, a person's address or an inspector's
//! data (inspectors are not named at all), and [`personal_data_problems`] refuses free text
//! (a reason, a finding) that carries a 身份证号 or a mobile number.
//!
//! 抽查结果 are to be public within a number of working days of the checks (the bureau's
//! setting, [`DEFAULT_RESULTS_WITHIN_WORKING_DAYS`]): [`results_deadline`].
//!
//! Pure: no I/O, no clock (`today` is passed in).

use crate::calendar::WorkCalendar;
use crate::date::Date;
use crate::labels::zh_labels;
use serde::{Deserialize, Serialize};

/// The working days within which 抽查结果 are published after the checks end, unless the
/// bureau sets another number (《关于在市场监管领域全面推行部门联合“双随机、一公开”监管的意见》
/// 国发〔2019〕5号: 抽查检查结果 within 20 个工作日 through the 国家企业信用信息公示系统).
pub const DEFAULT_RESULTS_WITHIN_WORKING_DAYS: u32 = 20;

/// What is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublicationKind {
    /// 矿业权公示: the register's public fields (a snapshot of every right).
    RightsRegister,
    /// 规划区块: the planning blocks of the plan in force.
    PlanningBlocks,
    /// 规划执行情况: a year's evaluation and indicator values (《规划》七（四）).
    PlanImplementation,
    /// 抽查结果: a 抽查计划's draw result and the check results.
    InspectionResults,
    /// 名录信息: a 异常名录 / 严重违法失信名单 entry, or its removal.
    ListEntry,
    /// 治理恢复基金公示: a year's 矿山地质环境治理恢复基金 summary per mine (《规划》六（二）5
    /// 每年向社会公示).
    RestorationFund,
}

zh_labels! {
    PublicationKind, label {
        RightsRegister => "矿业权公示",
        PlanningBlocks => "规划区块",
        PlanImplementation => "规划执行情况",
        InspectionResults => "抽查结果",
        ListEntry => "名录信息",
        RestorationFund => "治理恢复基金公示",
    }
}

impl PublicationKind {
    /// The stable code stored and used in URLs: `rights`, `blocks`, `implementation`,
    /// `inspections`, `lists`, `restoration-fund`.
    pub fn code(self) -> &'static str {
        match self {
            PublicationKind::RightsRegister => "rights",
            PublicationKind::PlanningBlocks => "blocks",
            PublicationKind::PlanImplementation => "implementation",
            PublicationKind::InspectionResults => "inspections",
            PublicationKind::ListEntry => "lists",
            PublicationKind::RestorationFund => "restoration-fund",
        }
    }

    /// The kind of a [`PublicationKind::code`].
    pub fn from_code(code: &str) -> Option<PublicationKind> {
        PublicationKind::ALL
            .iter()
            .copied()
            .find(|k| k.code() == code)
    }

    /// The role that prepares and submits it (besides 系统管理员).
    pub fn owner(self) -> ActorRole {
        match self {
            PublicationKind::RightsRegister => ActorRole::Approval,
            PublicationKind::PlanningBlocks | PublicationKind::PlanImplementation => {
                ActorRole::Planning
            }
            PublicationKind::InspectionResults | PublicationKind::ListEntry => {
                ActorRole::Enforcement
            }
            PublicationKind::RestorationFund => ActorRole::Restoration,
        }
    }

    /// Whether only the latest published one of the kind is public (矿业权公示 and 规划区块
    /// are snapshots of the whole: a newer one replaces the older); otherwise the latest
    /// published one of each subject is (a year's 规划执行情况, a 抽查计划's results, a
    /// holder's list entry).
    pub fn single_current(self) -> bool {
        matches!(
            self,
            PublicationKind::RightsRegister | PublicationKind::PlanningBlocks
        )
    }
}

/// The states of a publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PublicationState {
    /// 草稿: prepared, not yet submitted; may be regenerated.
    Draft,
    /// 待审核: submitted; its payload is frozen.
    Pending,
    /// 已公开: approved by another person; on the portal.
    Published,
    /// 已撤回: taken off the portal, with the reason (the portal notes the withdrawal).
    Withdrawn,
}

zh_labels! {
    PublicationState, label {
        Draft => "草稿",
        Pending => "待审核",
        Published => "已公开",
        Withdrawn => "已撤回",
    }
}

impl PublicationState {
    /// The stable code stored: `draft`, `pending`, `published`, `withdrawn`.
    pub fn code(self) -> &'static str {
        match self {
            PublicationState::Draft => "draft",
            PublicationState::Pending => "pending",
            PublicationState::Published => "published",
            PublicationState::Withdrawn => "withdrawn",
        }
    }

    /// The state of a [`PublicationState::code`].
    pub fn from_code(code: &str) -> Option<PublicationState> {
        PublicationState::ALL
            .iter()
            .copied()
            .find(|s| s.code() == code)
    }
}

/// The role of the person acting, as the publication rule sees it (the store's account roles
/// map onto it; 矿山企业 is [`ActorRole::Other`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActorRole {
    /// 系统管理员: may do every step of every kind (never approve their own submission).
    Admin,
    /// 规划科.
    Planning,
    /// 审批科.
    Approval,
    /// 执法监察.
    Enforcement,
    /// 生态修复 (owns 治理恢复基金公示 only).
    Restoration,
    /// Any other role: no step.
    Other,
}

/// Who acts: the person (account id) and their role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// The account.
    pub person: i64,
    /// Its role.
    pub role: ActorRole,
}

/// A publication as the steps see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    /// Its kind.
    pub kind: PublicationKind,
    /// Its state.
    pub state: PublicationState,
    /// Who submitted it (the last submission), when it was submitted.
    pub submitted_by: Option<i64>,
}

/// Why a step is refused (the message names the rule).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The role may not do this step for this kind.
    #[error("{kind}由{owner}提交和审核（系统管理员亦可），当前账号的角色不能办理")]
    NotOwner {
        /// The publication's kind label.
        kind: &'static str,
        /// The owning role's label.
        owner: &'static str,
    },
    /// The step does not apply in this state.
    #[error("当前状态为“{state}”，不能{step}")]
    WrongState {
        /// The state's label.
        state: &'static str,
        /// The step's label.
        step: &'static str,
    },
    /// The submitter tried to approve their own submission.
    #[error("提交人不能审核自己提交的信息：须由另一名{owner}或系统管理员审核（审核与提交分离）")]
    OwnSubmission {
        /// The owning role's label.
        owner: &'static str,
    },
    /// A reason is required.
    #[error("请填写{step}的理由")]
    ReasonRequired {
        /// The step's label.
        step: &'static str,
    },
}

impl ActorRole {
    /// The Chinese role name.
    pub fn label(self) -> &'static str {
        match self {
            ActorRole::Admin => "系统管理员",
            ActorRole::Planning => "规划科",
            ActorRole::Approval => "审批科",
            ActorRole::Enforcement => "执法监察",
            ActorRole::Restoration => "生态修复",
            ActorRole::Other => "其他角色",
        }
    }
}

/// Whether `role` may do the steps of `kind`: its owning role or 系统管理员.
pub fn may_handle(kind: PublicationKind, role: ActorRole) -> bool {
    role == ActorRole::Admin || role == kind.owner()
}

fn owner_check(p: &Standing, who: Actor) -> Result<(), Refusal> {
    if may_handle(p.kind, who.role) {
        Ok(())
    } else {
        Err(Refusal::NotOwner {
            kind: p.kind.label(),
            owner: p.kind.owner().label(),
        })
    }
}

fn state_check(p: &Standing, want: PublicationState, step: &'static str) -> Result<(), Refusal> {
    if p.state == want {
        Ok(())
    } else {
        Err(Refusal::WrongState {
            state: p.state.label(),
            step,
        })
    }
}

fn reason_check(reason: &str, step: &'static str) -> Result<(), Refusal> {
    if reason.trim().is_empty() {
        Err(Refusal::ReasonRequired { step })
    } else {
        Ok(())
    }
}

/// 提交审核: 草稿 → 待审核, by the owning role or 系统管理员.
///
/// # Errors
/// [`Refusal::NotOwner`], [`Refusal::WrongState`].
pub fn submit(p: &Standing, who: Actor) -> Result<PublicationState, Refusal> {
    owner_check(p, who)?;
    state_check(p, PublicationState::Draft, "提交审核")?;
    Ok(PublicationState::Pending)
}

/// 审核通过并公开: 待审核 → 已公开, by the owning role or 系统管理员, never the person who
/// submitted it.
///
/// # Errors
/// [`Refusal::NotOwner`], [`Refusal::WrongState`], [`Refusal::OwnSubmission`].
pub fn approve(p: &Standing, who: Actor) -> Result<PublicationState, Refusal> {
    owner_check(p, who)?;
    state_check(p, PublicationState::Pending, "审核公开")?;
    if p.submitted_by == Some(who.person) {
        return Err(Refusal::OwnSubmission {
            owner: p.kind.owner().label(),
        });
    }
    Ok(PublicationState::Published)
}

/// 退回修改: 待审核 → 草稿, with a reason, by the owning role or 系统管理员.
///
/// # Errors
/// [`Refusal::NotOwner`], [`Refusal::WrongState`], [`Refusal::ReasonRequired`].
pub fn send_back(p: &Standing, who: Actor, reason: &str) -> Result<PublicationState, Refusal> {
    owner_check(p, who)?;
    state_check(p, PublicationState::Pending, "退回修改")?;
    reason_check(reason, "退回修改")?;
    Ok(PublicationState::Draft)
}

/// 撤回: 已公开 → 已撤回, with the reason the portal shows, by the owning role or 系统管理员.
///
/// # Errors
/// [`Refusal::NotOwner`], [`Refusal::WrongState`], [`Refusal::ReasonRequired`].
pub fn withdraw(p: &Standing, who: Actor, reason: &str) -> Result<PublicationState, Refusal> {
    owner_check(p, who)?;
    state_check(p, PublicationState::Published, "撤回")?;
    reason_check(reason, "撤回")?;
    Ok(PublicationState::Withdrawn)
}

/// One right as the public sees it (矿业权公示): the register's public fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicRight {
    /// 许可证号 (the register's key).
    pub licence_no: String,
    /// 矿业权人 (an enterprise's name).
    pub holder_name: String,
    /// 矿业权类型: 探矿权 / 采矿权.
    pub kind: String,
    /// 矿山（项目）名称.
    pub name: String,
    /// 矿种, as registered.
    pub minerals: Vec<String>,
    /// 面积, km²; `None` when the register holds no area (shown 无数据).
    pub area_km2: Option<f64>,
    /// 有效期起 (YYYY-MM-DD), when registered.
    pub valid_from: Option<String>,
    /// 有效期止 (YYYY-MM-DD), when registered.
    pub valid_to: Option<String>,
    /// 状态 as the register shows it (有效, 在审, 已注销…).
    pub status: String,
    /// The extent as a GeoJSON geometry in CGCS2000 lon/lat (RFC 7946 order), when held
    /// (left out of the JSON when absent; the portal's feeds give it in GeoJSON only).
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub geometry: Option<serde_json::Value>,
}

/// 矿业权公示: the register's public fields on a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterPayload {
    /// The date the snapshot describes (YYYY-MM-DD).
    pub as_of: String,
    /// Every right, by 许可证号.
    pub rights: Vec<PublicRight>,
}

/// One planning block as the public sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicBlock {
    /// 规划区块编号.
    pub code: String,
    /// 区块名称.
    pub name: String,
    /// 勘查规划区块 / 开采规划区块.
    pub kind: String,
    /// 规划矿种.
    pub minerals: Vec<String>,
    /// 面积, km², when the plan states or the geometry gives one.
    pub area_km2: Option<f64>,
    /// Whether the geometry is schematic (示意).
    pub schematic: bool,
    /// GeoJSON geometry, lon/lat.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub geometry: Option<serde_json::Value>,
}

/// 规划区块: the blocks of the plan in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BlocksPayload {
    /// The plan's name.
    pub plan_name: String,
    /// Which version (as people read it: 第 2 版，2024年3月1日起施行).
    pub version: String,
    /// The blocks, by 编号.
    pub blocks: Vec<PublicBlock>,
}

/// One indicator of a year as published (规划执行情况).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicIndicator {
    /// 指标名称.
    pub name: String,
    /// 完成率 as shown (`86.5%`), or 无法判定.
    pub completion: String,
    /// The plan's target as written (≤ 6 万吨/年).
    pub target: String,
    /// The year's value as shown (a number with its unit, or 无数据 / 未报送 …).
    pub value: String,
    /// 执行情况 (status label as the evaluation says it).
    pub status: String,
}

/// 规划执行情况 of a year (《规划》七（四）): the indicator values and the evaluation's words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImplementationPayload {
    /// The plan's name.
    pub plan_name: String,
    /// The year.
    pub year: i32,
    /// The indicators.
    pub indicators: Vec<PublicIndicator>,
    /// The evaluation's summary lines (what the 实施评估 concludes), possibly empty.
    pub summary: Vec<String>,
}

/// One drawn target's results (抽查结果). Inspectors are not named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicInspectionTarget {
    /// 矿业权人 (an enterprise).
    pub holder_name: String,
    /// 许可证号.
    pub licence_no: String,
    /// 抽查事项 (names).
    pub items: Vec<String>,
    /// 检查结果 (合格 / 责令限期整改 / 立案查处 / 移送), or 未检查 when not yet done.
    pub finding: String,
    /// 检查日期 (YYYY-MM-DD), when checked.
    pub checked_on: Option<String>,
    /// 处理结果 (整改完成, 已立案 …) as written by the inspectors' record.
    pub outcome: String,
}

/// 抽查结果 of a 抽查计划: the draw result and the check results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicInspectionResult {
    /// 抽查计划名称.
    pub plan_name: String,
    /// 年度.
    pub year: i32,
    /// The date the checks ended (YYYY-MM-DD), from which the publication deadline runs.
    pub checks_completed_on: Option<String>,
    /// Each drawn target.
    pub targets: Vec<PublicInspectionTarget>,
}

/// A 异常名录 / 严重违法失信名单 entry or its removal (名录信息).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicListEntry {
    /// 异常名录 or 严重违法失信名单.
    pub list: String,
    /// 矿业权人 (an enterprise).
    pub holder_name: String,
    /// 统一社会信用代码 of the enterprise.
    pub credit_code: String,
    /// 列入原因.
    pub reason: String,
    /// 列入决定文号.
    pub decision_number: String,
    /// 列入日期 (YYYY-MM-DD).
    pub listed_on: String,
    /// 移出日期 (YYYY-MM-DD), for a removal.
    pub removed_on: Option<String>,
    /// 移出决定文号, for a removal.
    #[serde(default)]
    pub removal_decision_number: Option<String>,
}

/// One mine's line of the 治理恢复基金公示 (《规划》六（二）5 每年向社会公示): what the public
/// sees — no voucher, no person. A figure that cannot be computed is `None` with the words
/// saying why (`*_note`), never a 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicFundLine {
    /// 矿山名称.
    pub mine_name: String,
    /// 矿业权人 (an enterprise).
    pub holder_name: String,
    /// 统一社会信用代码 of the enterprise ("" when not registered).
    pub credit_code: String,
    /// 本年计提, 万元.
    pub accrued_wan_yuan: f64,
    /// 本年使用, 万元.
    pub used_wan_yuan: f64,
    /// 期末余额, 万元.
    pub balance_wan_yuan: f64,
    /// 本年应计提, 万元; `None` when it cannot be computed.
    pub due_wan_yuan: Option<f64>,
    /// Why 应计提 cannot be computed ("" when it can).
    pub due_note: String,
    /// 计提缺口 at the year's last quarter ended, 万元; `None` when it cannot be judged.
    pub shortfall_wan_yuan: Option<f64>,
    /// Why the 缺口 cannot be judged ("" when it can).
    pub shortfall_note: String,
}

/// The 治理恢复基金公示 of a year: every mine that must accrue (《规划》六（二）5). Built from
/// the fund's yearly public summary by the restoration fund module (`public_payload`), which
/// depends on this one, not the other way round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FundSummaryPayload {
    /// 年度.
    pub year: i32,
    /// The date the figures are counted to (YYYY-MM-DD).
    pub as_of: String,
    /// The mines.
    pub mines: Vec<PublicFundLine>,
}

/// A publication's content: one typed payload per kind. Serialized with its kind under
/// `kind` (the [`PublicationKind::code`]) and the fields under `data`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Payload {
    /// 矿业权公示.
    Rights(RegisterPayload),
    /// 规划区块.
    Blocks(BlocksPayload),
    /// 规划执行情况.
    Implementation(ImplementationPayload),
    /// 抽查结果.
    Inspections(PublicInspectionResult),
    /// 名录信息.
    Lists(PublicListEntry),
    /// 治理恢复基金公示.
    RestorationFund(FundSummaryPayload),
}

impl Payload {
    /// The payload's kind.
    pub fn kind(&self) -> PublicationKind {
        match self {
            Payload::Rights(_) => PublicationKind::RightsRegister,
            Payload::Blocks(_) => PublicationKind::PlanningBlocks,
            Payload::Implementation(_) => PublicationKind::PlanImplementation,
            Payload::Inspections(_) => PublicationKind::InspectionResults,
            Payload::Lists(_) => PublicationKind::ListEntry,
            Payload::RestorationFund(_) => PublicationKind::RestorationFund,
        }
    }

    /// How many rows the public will see (rights, blocks, indicators, targets; 1 entry).
    pub fn rows(&self) -> usize {
        match self {
            Payload::Rights(p) => p.rights.len(),
            Payload::Blocks(p) => p.blocks.len(),
            Payload::Implementation(p) => p.indicators.len(),
            Payload::Inspections(p) => p.targets.len(),
            Payload::Lists(_) => 1,
            Payload::RestorationFund(p) => p.mines.len(),
        }
    }

    /// The free texts people wrote (names, reasons, findings), each with where it is, for
    /// [`personal_data_problems`].
    fn texts(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = Vec::new();
        match self {
            Payload::Rights(p) => {
                for r in &p.rights {
                    out.push((format!("{} 矿业权人", r.licence_no), &r.holder_name));
                    out.push((format!("{} 矿山名称", r.licence_no), &r.name));
                }
            }
            Payload::Blocks(p) => {
                for b in &p.blocks {
                    out.push((format!("区块 {} 名称", b.code), &b.name));
                }
            }
            Payload::Implementation(p) => {
                for (i, s) in p.summary.iter().enumerate() {
                    out.push((format!("评估结论第 {} 条", i + 1), s));
                }
            }
            Payload::Inspections(p) => {
                for t in &p.targets {
                    out.push((format!("{} 矿业权人", t.licence_no), &t.holder_name));
                    out.push((format!("{} 检查结果", t.licence_no), &t.finding));
                    out.push((format!("{} 处理结果", t.licence_no), &t.outcome));
                }
            }
            Payload::Lists(e) => {
                out.push(("矿业权人".into(), &e.holder_name));
                out.push(("列入原因".into(), &e.reason));
                out.push(("决定文号".into(), &e.decision_number));
            }
            Payload::RestorationFund(p) => {
                for m in &p.mines {
                    out.push((format!("{} 矿山名称", m.mine_name), &m.mine_name));
                    out.push((format!("{} 矿业权人", m.mine_name), &m.holder_name));
                }
            }
        }
        out
    }
}

/// Whether `text` holds a run that reads as a 居民身份证号码 (GB 11643: 17 digits and a
/// digit or X) or a mainland mobile number (11 digits starting 1[3-9]).
pub fn personal_number_in(text: &str) -> Option<&'static str> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let digits = i - start;
        let next_x = chars.get(i).is_some_and(|c| *c == 'X' || *c == 'x');
        let before_alnum = start > 0 && chars[start - 1].is_ascii_alphanumeric();
        let after_alnum = chars
            .get(i + usize::from(next_x))
            .is_some_and(|c| c.is_ascii_alphanumeric());
        if before_alnum || after_alnum {
            continue;
        }
        if digits == 18 || (digits == 17 && next_x) {
            return Some("身份证号码");
        }
        if digits == 11 && chars[start] == '1' && ('3'..='9').contains(&chars[start + 1]) {
            return Some("手机号码");
        }
    }
    None
}

/// The problems of a payload's free texts that carry personal numbers (a 身份证号码 or a
/// mobile number): each names its place. Empty when the payload may go public. The payload
/// types carry no field for personal data at all; this catches what people typed into a
/// reason or a finding.
pub fn personal_data_problems(p: &Payload) -> Vec<String> {
    p.texts()
        .into_iter()
        .filter_map(|(place, text)| {
            personal_number_in(text)
                .map(|what| format!("{place}含有{what}，公开信息不得包含个人信息，请删去"))
        })
        .collect()
}

/// The publication deadline of 抽查结果: due on the `within`-th working day after the checks
/// ended; overdue when published after it, or not yet published after it on `today`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultsDeadline {
    /// The last day to publish.
    pub due: Date,
    /// Whether the deadline is missed.
    pub overdue: bool,
    /// Working days left on `today` (negative: days late); `None` once published.
    pub days_left: Option<i64>,
    /// The calendar's note when a year counted is not entered (counted Monday–Friday).
    pub note: Option<String>,
}

/// The deadline of publishing 抽查结果 whose checks ended on `checks_done`, within `within`
/// working days (the bureau's setting, default [`DEFAULT_RESULTS_WITHIN_WORKING_DAYS`]), as on
/// `today`, given the day it was published (`published_on`, when it was).
pub fn results_deadline(
    cal: &WorkCalendar,
    checks_done: Date,
    within: u32,
    published_on: Option<Date>,
    today: Date,
) -> ResultsDeadline {
    let due = cal.add_working_days(checks_done, i64::from(within));
    let mut unknown = due.unknown_years.clone();
    let (overdue, days_left) = match published_on {
        Some(p) => (p > due.value, None),
        None if today <= due.value => {
            let left = cal.working_days_between(today, due.value);
            unknown.extend(left.unknown_years);
            (false, Some(left.value))
        }
        None => {
            let late = cal.working_days_between(due.value, today);
            unknown.extend(late.unknown_years);
            (true, Some(-late.value))
        }
    };
    unknown.sort_unstable();
    unknown.dedup();
    let note = crate::calendar::Counted {
        value: (),
        unknown_years: unknown,
    }
    .note();
    ResultsDeadline {
        due: due.value,
        overdue,
        days_left,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(kind: PublicationKind, state: PublicationState, by: Option<i64>) -> Standing {
        Standing {
            kind,
            state,
            submitted_by: by,
        }
    }

    fn who(person: i64, role: ActorRole) -> Actor {
        Actor { person, role }
    }

    #[test]
    fn owning_roles_submit() {
        use PublicationKind::*;
        let draft = |k| standing(k, PublicationState::Draft, None);
        assert_eq!(
            submit(&draft(InspectionResults), who(1, ActorRole::Enforcement)),
            Ok(PublicationState::Pending)
        );
        assert_eq!(
            submit(&draft(RightsRegister), who(1, ActorRole::Approval)),
            Ok(PublicationState::Pending)
        );
        assert_eq!(
            submit(&draft(PlanImplementation), who(1, ActorRole::Admin)),
            Ok(PublicationState::Pending)
        );
        let e = submit(&draft(ListEntry), who(1, ActorRole::Planning)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "名录信息由执法监察提交和审核（系统管理员亦可），当前账号的角色不能办理"
        );
        assert!(submit(&draft(PlanningBlocks), who(1, ActorRole::Other)).is_err());
        // Not from another state.
        let e = submit(
            &standing(PlanningBlocks, PublicationState::Published, Some(1)),
            who(1, ActorRole::Planning),
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "当前状态为“已公开”，不能提交审核");
    }

    #[test]
    fn four_eyes() {
        let p = standing(
            PublicationKind::InspectionResults,
            PublicationState::Pending,
            Some(7),
        );
        let e = approve(&p, who(7, ActorRole::Enforcement)).unwrap_err();
        assert!(matches!(e, Refusal::OwnSubmission { .. }), "{e}");
        // An admin who submitted cannot approve either.
        assert!(approve(&p, who(7, ActorRole::Admin)).is_err());
        assert_eq!(
            approve(&p, who(8, ActorRole::Enforcement)),
            Ok(PublicationState::Published)
        );
        assert_eq!(
            approve(&p, who(9, ActorRole::Admin)),
            Ok(PublicationState::Published)
        );
        assert!(approve(&p, who(9, ActorRole::Approval)).is_err());
        // A draft cannot be approved: publishing without review is refused.
        let d = standing(
            PublicationKind::InspectionResults,
            PublicationState::Draft,
            None,
        );
        assert_eq!(
            approve(&d, who(8, ActorRole::Enforcement))
                .unwrap_err()
                .to_string(),
            "当前状态为“草稿”，不能审核公开"
        );
    }

    #[test]
    fn send_back_and_withdraw_need_reasons() {
        let pending = standing(
            PublicationKind::PlanningBlocks,
            PublicationState::Pending,
            Some(1),
        );
        assert_eq!(
            send_back(&pending, who(2, ActorRole::Planning), "  "),
            Err(Refusal::ReasonRequired {
                step: "退回修改"
            })
        );
        assert_eq!(
            send_back(&pending, who(1, ActorRole::Planning), "面积有误"),
            Ok(PublicationState::Draft)
        );
        let published = standing(
            PublicationKind::PlanningBlocks,
            PublicationState::Published,
            Some(1),
        );
        assert_eq!(
            withdraw(&published, who(2, ActorRole::Planning), "")
                .unwrap_err()
                .to_string(),
            "请填写撤回的理由"
        );
        assert_eq!(
            withdraw(&published, who(2, ActorRole::Planning), "区块编号错误"),
            Ok(PublicationState::Withdrawn)
        );
        assert!(withdraw(&pending, who(2, ActorRole::Planning), "x").is_err());
    }

    #[test]
    fn codes_round_trip() {
        for k in PublicationKind::ALL {
            assert_eq!(PublicationKind::from_code(k.code()), Some(*k));
        }
        for s in PublicationState::ALL {
            assert_eq!(PublicationState::from_code(s.code()), Some(*s));
        }
        assert_eq!(PublicationKind::from_code("x"), None);
    }

    #[test]
    fn restoration_fund_kind_is_ecological_restoration_s_with_four_eyes() {
        use PublicationKind::RestorationFund;
        let draft = |k| standing(k, PublicationState::Draft, None);
        assert_eq!(RestorationFund.code(), "restoration-fund");
        assert_eq!(RestorationFund.label(), "治理恢复基金公示");
        assert_eq!(
            PublicationKind::from_code("restoration-fund"),
            Some(RestorationFund)
        );
        assert_eq!(RestorationFund.owner(), ActorRole::Restoration);
        assert!(!RestorationFund.single_current());
        assert!(may_handle(RestorationFund, ActorRole::Restoration));
        assert!(may_handle(RestorationFund, ActorRole::Admin));
        assert!(!may_handle(RestorationFund, ActorRole::Approval));
        assert!(!may_handle(RestorationFund, ActorRole::Other));
        // 生态修复 handles no other kind.
        for k in PublicationKind::ALL {
            if *k != RestorationFund {
                assert!(!may_handle(*k, ActorRole::Restoration), "{}", k.label());
            }
        }
        assert_eq!(
            submit(&draft(RestorationFund), who(3, ActorRole::Restoration)),
            Ok(PublicationState::Pending)
        );
        let e = submit(&draft(RestorationFund), who(3, ActorRole::Approval)).unwrap_err();
        assert!(e.to_string().contains("生态修复"), "{e}");
        let p = Standing {
            kind: RestorationFund,
            state: PublicationState::Pending,
            submitted_by: Some(3),
        };
        assert!(approve(&p, who(3, ActorRole::Restoration)).is_err());
        assert!(approve(&p, who(4, ActorRole::Approval)).is_err());
        assert_eq!(
            approve(&p, who(4, ActorRole::Restoration)),
            Ok(PublicationState::Published)
        );
        assert_eq!(
            approve(&p, who(5, ActorRole::Admin)),
            Ok(PublicationState::Published)
        );
    }

    fn inspection() -> Payload {
        Payload::Inspections(PublicInspectionResult {
            plan_name: "2026年度双随机抽查".into(),
            year: 2026,
            checks_completed_on: Some("2026-10-30".into()),
            targets: vec![PublicInspectionTarget {
                holder_name: "绥芬河市庆发建材有限公司".into(),
                licence_no: "C2310812010127130099999".into(),
                items: vec!["勘查开采信息公示".into()],
                finding: "合格".into(),
                checked_on: Some("2026-10-20".into()),
                outcome: "无".into(),
            }],
        })
    }

    /// Every key of a JSON value, nested.
    fn keys(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    out.push(k.clone());
                    keys(v, out);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }

    #[test]
    fn payloads_have_no_personal_fields() {
        let list = Payload::Lists(PublicListEntry {
            list: "异常名录".into(),
            holder_name: "某某矿业有限公司".into(),
            credit_code: "91231081MA1BQF0013".into(),
            reason: "未按期公示".into(),
            decision_number: "绥自然资罚〔2026〕3号".into(),
            listed_on: "2026-07-01".into(),
            removed_on: None,
            removal_decision_number: None,
        });
        let rights = Payload::Rights(RegisterPayload {
            as_of: "2026-12-06".into(),
            rights: vec![PublicRight {
                licence_no: "C1".into(),
                holder_name: "某某矿业有限公司".into(),
                kind: "采矿权".into(),
                name: "某某采石场".into(),
                minerals: vec!["建筑用凝灰岩".into()],
                area_km2: Some(0.05),
                valid_from: None,
                valid_to: None,
                status: "有效".into(),
                geometry: None,
            }],
        });
        let forbidden = [
            "id",
            "id_no",
            "id_number",
            "phone",
            "mobile",
            "tel",
            "address",
            "inspector",
            "inspectors",
            "badge",
            "badge_no",
            "person",
            "legal_person",
            "email",
        ];
        for p in [inspection(), list, rights] {
            let v = serde_json::to_value(&p).unwrap();
            let mut ks = Vec::new();
            keys(&v, &mut ks);
            assert!(!ks.is_empty());
            for k in &ks {
                assert!(
                    !forbidden.contains(&k.as_str()),
                    "{:?} carries the field {k}",
                    p.kind()
                );
            }
            assert!(personal_data_problems(&p).is_empty());
            let back: Payload = serde_json::from_value(v).unwrap();
            assert_eq!(back, p);
        }
    }

    #[test]
    fn personal_numbers_in_free_text_are_refused() {
        assert_eq!(personal_number_in("联系人13912345678"), Some("手机号码"));
        assert_eq!(
            personal_number_in("身份证 23108119800101123X 的"),
            Some("身份证号码")
        );
        assert_eq!(personal_number_in("绥自然资罚〔2026〕3号"), None);
        // A credit code or a licence number is not a personal number.
        assert_eq!(personal_number_in("91231081MA1BQF0013"), None);
        assert_eq!(personal_number_in("C2310812010127130099999"), None);
        let mut p = inspection();
        if let Payload::Inspections(r) = &mut p {
            r.targets[0].outcome = "已整改，负责人电话 13812345678".into();
        }
        assert_eq!(
            personal_data_problems(&p),
            vec![
                "C2310812010127130099999 处理结果含有手机号码，公开信息不得包含个人信息，请删去"
                    .to_string()
            ]
        );
    }

    #[test]
    fn results_deadline_counts_working_days() {
        let cal = WorkCalendar::builtin();
        let d = |s| Date::parse(s).unwrap();
        // Checks end Friday 2025-09-26; 国庆 2025: 10-01..10-08 off, 09-28 and 10-11 worked.
        // Working days after 09-26: 09-28(Sun, worked)=1, 09-29=2, 09-30=3, 10-09=4, 10-10=5,
        // 10-11(Sat, worked)=6, 10-13..17 = 7..11, 10-20..24 = 12..16, 10-27..30 = 17..20.
        let r = results_deadline(&cal, d("2025-09-26"), 20, None, d("2025-10-09"));
        assert_eq!(r.due, d("2025-10-30"));
        assert!(!r.overdue);
        assert_eq!(r.days_left, Some(16));
        assert_eq!(r.note, None);
        let late = results_deadline(&cal, d("2025-09-26"), 20, None, d("2025-11-03"));
        assert!(late.overdue);
        assert_eq!(late.days_left, Some(-2));
        let published = results_deadline(
            &cal,
            d("2025-09-26"),
            20,
            Some(d("2025-10-31")),
            d("2025-12-01"),
        );
        assert!(published.overdue);
        assert_eq!(published.days_left, None);
        let unknown = results_deadline(&cal, d("2027-03-01"), 5, None, d("2027-03-01"));
        assert_eq!(unknown.due, d("2027-03-08"));
        assert_eq!(
            unknown.note.as_deref(),
            Some("2027年节假日安排未录入，按周一至周五计")
        );
    }
}
