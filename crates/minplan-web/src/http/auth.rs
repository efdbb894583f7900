//! Who is asking and what they may do: the login backend (axum-login over the store's
//! accounts), the role matrix ([`Permission`], [`allowed`] — `docs/roles.md` is its
//! documentation and `tests/roles.rs` walks it) and the [`policy`] types that the
//! `RequireRole` extractor (module `extract`, which depends on this one) takes.
//!
//! A 矿山企业 account (own-only) sees only records whose 统一社会信用代码 equals its
//! `credit_code`: handlers of such records filter with [`own_credit_code`] / [`may_see`].

use axum_login::{AuthUser, AuthnBackend, UserId};
use minplan_store::{Role, Store, StoreError, User};

/// A logged-in user as the session layer knows it (the store's [`User`]).
#[derive(Debug, Clone)]
pub struct SessionUser(pub User);

impl AuthUser for SessionUser {
    type Id = i64;

    fn id(&self) -> i64 {
        self.0.id
    }

    /// Changes with the password, so a password change ends the user's other sessions.
    fn session_auth_hash(&self) -> &[u8] {
        self.0.session_auth_hash()
    }
}

/// Username and password, as entered.
#[derive(Debug, Clone)]
pub struct Credentials {
    /// Username (any case).
    pub username: String,
    /// Password.
    pub password: String,
}

/// The login backend: accounts in the store. A disabled account is no user, so its sessions
/// end at its next request.
#[derive(Debug, Clone)]
pub struct Backend {
    store: Store,
}

impl Backend {
    /// A backend over `store`.
    pub fn new(store: Store) -> Backend {
        Backend { store }
    }
}

impl AuthnBackend for Backend {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = StoreError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<SessionUser>, StoreError> {
        Ok(self
            .store
            .verify_password(&creds.username, &creds.password)
            .await?
            .map(SessionUser))
    }

    async fn get_user(&self, id: &UserId<Self>) -> Result<Option<SessionUser>, StoreError> {
        Ok(self
            .store
            .user(*id)
            .await?
            .filter(|u| !u.disabled)
            .map(SessionUser))
    }
}

/// The session as handlers see it: the logged-in user and login/logout.
pub type AuthSession = axum_login::AuthSession<Backend>;

/// What can be done. Which role may do what is [`allowed`], the role matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Public pages and public API (规划概况 … 规划文本, `/api/plan*`): everyone, anonymous too.
    ViewPublic,
    /// Any logged-in account: 修改密码, 退出登录, the current session.
    LoggedIn,
    /// 规划版本 list (`/plans`): every logged-in account.
    ViewPlanVersions,
    /// Switch the active plan version: 系统管理员, 规划科.
    ActivatePlan,
    /// 账号管理 (`/admin/users`): 系统管理员.
    ManageUsers,
    /// 数据库备份 (`/admin/database`: download a backup of everything, check the database):
    /// 系统管理员.
    ManageDatabase,
    /// 操作日志 and its verification (`/audit`): 系统管理员.
    ViewAudit,
    /// File an annual report (年度报告): 矿山企业 for its own mines; 系统管理员, 规划科, 审批科
    /// on a company's behalf (代报).
    FileAnnualReport,
    /// The register: import rights, and their lifecycle (决定, 出让, 登记, 延续, 转让, 注销,
    /// history): 系统管理员, 审批科.
    ManageRegister,
    /// Closure (闭坑报告, 闭坑验收): 系统管理员, 审批科, 生态修复.
    AcceptClosure,
    /// The draft 年度实施计划 (it lists every company's licences): staff, not 矿山企业.
    ViewAnnualPlan,
    /// 申请受理 and 规划符合性审查: run and save reviews, check corner coordinates
    /// (`/intake`): 系统管理员, 审批科.
    RunReview,
    /// 审查记录 (`/reviews`, the 审查意见书): every logged-in account; a 矿山企业 only its own
    /// (see [`own_credit_code`]).
    ViewReviews,
    /// 图层管理 (`/layers`): every logged-in account but 矿山企业.
    ViewLayers,
    /// Import a control layer: 系统管理员, 规划科.
    ManageLayers,
    /// 矿业权 register (`/rights`): every logged-in account; a 矿山企业 only its own.
    ViewRegister,
    /// Enter the value of an indicator the register cannot compute, with its evidence
    /// (人工填报, `/indicators/manual`): 系统管理员, 规划科.
    EnterIndicators,
    /// 异常名录 and 严重违法失信名单: 列入, 核验 of a 移出申请, 移出, the 核验 queue
    /// (`/holder-lists…`): 系统管理员, 执法监察.
    ManageHolderLists,
    /// File a 移出申请 for one's own list entry: 系统管理员, 矿山企业 (its own entries only).
    ApplyListRemoval,
    /// 信息公示 queue and each publication's page with its preview (`/publications`): staff,
    /// not 矿山企业.
    ViewPublications,
    /// Prepare, submit, approve, return and withdraw publications (`/publications/…`):
    /// 系统管理员, 规划科, 审批科, 执法监察, 生态修复 (治理恢复基金公示 only) — each step further checked by kind (the owning
    /// role) and four eyes in `minplan_domain::disclosure`.
    HandlePublications,
    /// 检查任务 and 检查记录 of the 双随机 抽查对象: record checks, evidence, 验收, the
    /// 检查记录表 / 责令整改通知书 and the year's 抽查结果 (`/checks`): 系统管理员, 执法监察.
    RecordChecks,
    /// 本企业检查记录 (`/company/checks`): its checks and deadlines, and filing the 整改报告:
    /// 矿山企业 only (own records by `credit_code`).
    FileRectification,
    /// 双随机、一公开: the 执法检查人员名录库, 抽查事项清单, 随机抽查对象库, 抽查计划 and their
    /// draws (`/inspections`): 系统管理员, 执法监察.
    ManageInspections,
    /// Enter or correct a year of the 工作日历 (`/admin/calendar`): 系统管理员, 执法监察
    /// (who count 整改期限 in working days). Viewing it: every logged-in account.
    EditCalendar,
    /// Add and correct a mine's licences (证照: 安全生产许可证, 排污许可证, …) on a right's
    /// page: 系统管理员, 审批科, 执法监察 (《规划》五（三）4 证照齐全).
    ManageLicences,
    /// The supervision view of filings: 未按期公示 of the 勘查开采信息 and mines producing
    /// without a valid 安全生产许可证 (`/filings/late`): 系统管理员, 执法监察.
    SuperviseFilings,
    /// 生态修复 pages (历史遗留矿山, 修复项目, 治理恢复基金, 三同时 and 边开采边治理, 绿色矿山):
    /// staff, not 矿山企业 (who see their own mines' records through [`Permission::FileRestoration`]).
    ViewRestoration,
    /// Keep the 生态修复 records: legacy mines, projects, fund settings and 责令限期整改,
    /// the two plans of 三同时, the green-mine evaluation and 名录: 系统管理员, 生态修复
    /// (《规划》六（一）（二）).
    ManageRestoration,
    /// A company's own restoration records: its fund accruals and expenditures, plan progress
    /// and green-mine self-assessment: 矿山企业 (own mines only), and 系统管理员, 生态修复 on its
    /// behalf (代报).
    FileRestoration,
}

impl Permission {
    /// What the permission allows, in Chinese (for the 403 message).
    pub fn label(self) -> &'static str {
        match self {
            Permission::ViewPublic => "查看公开信息",
            Permission::LoggedIn => "使用个人账号功能",
            Permission::ViewPlanVersions => "查看规划版本",
            Permission::ActivatePlan => "切换当前规划版本",
            Permission::ManageUsers => "管理账号",
            Permission::ManageDatabase => "备份和检查数据库",
            Permission::ViewAudit => "查看操作日志",
            Permission::FileAnnualReport => "报送矿山年度报告",
            Permission::ManageRegister => "办理矿业权登记（导入、出让、登记、延续、转让、注销）",
            Permission::AcceptClosure => "办理闭坑",
            Permission::ViewAnnualPlan => "查看年度实施计划（草案）",
            Permission::RunReview => "受理申请和进行规划符合性审查",
            Permission::ViewReviews => "查看审查记录",
            Permission::ViewLayers => "查看管控图层",
            Permission::ManageLayers => "导入管控图层",
            Permission::ViewRegister => "查看矿业权登记",
            Permission::EnterIndicators => "人工填报规划指标",
            Permission::ManageHolderLists => "办理异常名录、严重违法失信名单（列入、核验、移出）",
            Permission::ApplyListRemoval => "申请移出名录",
            Permission::ViewPublications => "查看信息公示审核",
            Permission::HandlePublications => "办理信息公示（生成、提交、审核、撤回）",
            Permission::RecordChecks => "办理双随机检查（检查记录、证据、验收）",
            Permission::FileRectification => "查看本企业检查记录并报送整改报告",
            Permission::ManageInspections => "管理双随机抽查（检查人员、抽查事项、抽查计划和抽取）",
            Permission::EditCalendar => "修改工作日历",
            Permission::ManageLicences => "登记矿山证照",
            Permission::SuperviseFilings => "查看未按期公示和无证生产情况",
            Permission::ViewRestoration => "查看生态修复和绿色矿山",
            Permission::ManageRestoration => {
                "办理生态修复和绿色矿山（历史遗留矿山、修复项目、治理恢复基金、绿色矿山评估）"
            }
            Permission::FileRestoration => "报送本企业治理恢复基金、治理进度和绿色矿山自评",
        }
    }
}

/// The role matrix: whether `role` (`None` = anonymous public) has `permission`.
pub fn allowed(role: Option<Role>, permission: Permission) -> bool {
    use Permission::*;
    match (permission, role) {
        (ViewPublic, _) => true,
        (_, None) => false,
        (LoggedIn | ViewPlanVersions | ViewReviews | ViewRegister, Some(_)) => true,
        (ActivatePlan | ManageLayers | EnterIndicators, Some(r)) => {
            matches!(r, Role::Admin | Role::Planning)
        }
        (RunReview | ManageRegister, Some(r)) => matches!(r, Role::Admin | Role::Approval),
        (ViewLayers | ViewAnnualPlan | ViewPublications, Some(r)) => r != Role::Company,
        // 生态修复 handles 治理恢复基金公示 only (the domain's rule refuses it the other kinds).
        (HandlePublications, Some(r)) => matches!(
            r,
            Role::Admin | Role::Planning | Role::Approval | Role::Enforcement | Role::Restoration
        ),
        (ManageUsers | ManageDatabase | ViewAudit, Some(r)) => r == Role::Admin,
        (FileAnnualReport, Some(r)) => matches!(
            r,
            Role::Admin | Role::Planning | Role::Approval | Role::Company
        ),
        (AcceptClosure, Some(r)) => matches!(r, Role::Admin | Role::Approval | Role::Restoration),
        (ManageHolderLists, Some(r)) => matches!(r, Role::Admin | Role::Enforcement),
        (ApplyListRemoval, Some(r)) => matches!(r, Role::Admin | Role::Company),
        (RecordChecks, Some(r)) => matches!(r, Role::Admin | Role::Enforcement),
        (FileRectification, Some(r)) => r == Role::Company,
        (ManageInspections, Some(r)) => matches!(r, Role::Admin | Role::Enforcement),
        (EditCalendar | SuperviseFilings, Some(r)) => matches!(r, Role::Admin | Role::Enforcement),
        (ManageLicences, Some(r)) => matches!(r, Role::Admin | Role::Approval | Role::Enforcement),
        (ViewRestoration, Some(r)) => r != Role::Company,
        (ManageRestoration, Some(r)) => matches!(r, Role::Admin | Role::Restoration),
        (FileRestoration, Some(r)) => matches!(r, Role::Admin | Role::Restoration | Role::Company),
    }
}

/// For an account that may see only its own records (矿山企业): the 统一社会信用代码 its
/// records must carry (empty — nothing matches — when the account has none). `None` for
/// every other role: no restriction.
pub fn own_credit_code(user: &User) -> Option<&str> {
    (user.role == Role::Company).then(|| user.credit_code.as_deref().unwrap_or(""))
}

/// Whether `user` may see a record of the holder with `credit_code`.
pub fn may_see(user: &User, credit_code: Option<&str>) -> bool {
    match own_credit_code(user) {
        None => true,
        Some(own) => !own.is_empty() && credit_code == Some(own),
    }
}

/// The roles that have `permission`, in Chinese, for messages.
pub fn roles_with(permission: Permission) -> String {
    Role::ALL
        .into_iter()
        .filter(|r| allowed(Some(*r), permission))
        .map(Role::label)
        .collect::<Vec<_>>()
        .join("、")
}

/// A permission as a type, for the `RequireRole` extractor.
pub trait Policy: Send + Sync + 'static {
    /// The permission required.
    const PERMISSION: Permission;
}

/// Policy types, one per [`Permission`] that needs a login.
pub mod policy {
    use super::{Permission, Policy};

    macro_rules! policies {
        ($($(#[$m:meta])* $name:ident),* $(,)?) => {$(
            $(#[$m])*
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl Policy for $name {
                const PERMISSION: Permission = Permission::$name;
            }
        )*};
    }

    policies!(
        /// [`Permission::LoggedIn`].
        LoggedIn,
        /// [`Permission::ViewPlanVersions`].
        ViewPlanVersions,
        /// [`Permission::ActivatePlan`].
        ActivatePlan,
        /// [`Permission::ManageUsers`].
        ManageUsers,
        /// [`Permission::ManageDatabase`].
        ManageDatabase,
        /// [`Permission::ViewAudit`].
        ViewAudit,
        /// [`Permission::FileAnnualReport`].
        FileAnnualReport,
        /// [`Permission::ManageRegister`].
        ManageRegister,
        /// [`Permission::AcceptClosure`].
        AcceptClosure,
        /// [`Permission::ViewAnnualPlan`].
        ViewAnnualPlan,
        /// [`Permission::RunReview`].
        RunReview,
        /// [`Permission::ViewReviews`].
        ViewReviews,
        /// [`Permission::ViewLayers`].
        ViewLayers,
        /// [`Permission::ManageLayers`].
        ManageLayers,
        /// [`Permission::EnterIndicators`].
        EnterIndicators,
        /// [`Permission::ViewRegister`].
        ViewRegister,
        /// [`Permission::ManageHolderLists`].
        ManageHolderLists,
        /// [`Permission::ApplyListRemoval`].
        ApplyListRemoval,
        /// [`Permission::ViewPublications`].
        ViewPublications,
        /// [`Permission::HandlePublications`].
        HandlePublications,
        /// [`Permission::RecordChecks`].
        RecordChecks,
        /// [`Permission::FileRectification`].
        FileRectification,
        /// [`Permission::ManageInspections`].
        ManageInspections,
        /// [`Permission::EditCalendar`].
        EditCalendar,
        /// [`Permission::ManageLicences`].
        ManageLicences,
        /// [`Permission::SuperviseFilings`].
        SuperviseFilings,
        /// [`Permission::ViewRestoration`].
        ViewRestoration,
        /// [`Permission::ManageRestoration`].
        ManageRestoration,
        /// [`Permission::FileRestoration`].
        FileRestoration,
    );
}

/// The audit actor for a user.
pub fn actor(user: &User) -> minplan_store::Actor {
    minplan_store::Actor::User {
        id: user.id,
        username: user.username.clone(),
    }
}

/// Percent-encodes everything but unreserved characters and `/` (for `?next=`).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A safe place to go after logging in: a local path (`/…`, not `//…` nor with `\`), else `/`.
pub fn safe_next(next: &str) -> String {
    if next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(char::is_control)
    {
        next.to_string()
    } else {
        "/".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next("/plans?x=1"), "/plans?x=1");
        for bad in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "plans",
            "",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad}");
        }
    }

    #[test]
    fn matrix_extremes() {
        for p in [
            Permission::LoggedIn,
            Permission::ViewPlanVersions,
            Permission::ActivatePlan,
            Permission::ManageUsers,
            Permission::ManageDatabase,
            Permission::ViewAudit,
            Permission::RunReview,
            Permission::ViewReviews,
            Permission::ViewLayers,
            Permission::ManageLayers,
            Permission::ViewRegister,
            Permission::ManageRegister,
            Permission::FileAnnualReport,
            Permission::AcceptClosure,
            Permission::ViewAnnualPlan,
            Permission::ViewPublications,
            Permission::HandlePublications,
        ] {
            assert!(!allowed(None, p), "{p:?}");
            assert!(allowed(Some(Role::Admin), p), "{p:?}");
        }
        assert_eq!(roles_with(Permission::ActivatePlan), "系统管理员、规划科");
        assert_eq!(roles_with(Permission::RunReview), "系统管理员、审批科");
        assert!(!allowed(Some(Role::Company), Permission::ViewLayers));
        assert!(!allowed(Some(Role::Company), Permission::ViewAnnualPlan));
    }
}
