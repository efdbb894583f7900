//! 矿业权登记 on the web pages: the forms behind the register's lifecycle and the bulk import
//! of tables, for staff who do not use a terminal.
//!
//! - `/applications/{number}` (系统管理员, 审批科): an application's standing in the register
//!   with the forms for 决定 (批准 / 不予批准), 出让 and 登记.
//! - `POST /rights/{id}/…`: 延续, 变更, 转让, 抵押, 解除抵押, 注销 (系统管理员, 审批科) and
//!   闭坑报告, 闭坑验收 (also 生态修复), posted from the forms of the 矿业权 detail page
//!   (`crate::rights`).
//! - `/rights/import`, `/annual-reports/import` (系统管理员, 审批科): upload an XLSX or CSV table
//!   of rights or annual reports; 仅检查 (dry run), 导入 (only when every row is right) or
//!   跳过有问题的行并导入; every row's problems in a table.
//!
//! Each form calls the same store function as the JSON API ([`crate::register_api`]) and the
//! CLI (checked, one transaction, audit row). A refusal re-displays the page with each problem
//! at its field (422) and writes nothing; a success answers 303 back to the page with a notice.
//! After each write the review engine is rebuilt, since reviews read the register.

use crate::AppState;
use crate::auth::{RequireRole, actor, policy};
use crate::error::AppError;
use crate::forms::{FieldErrors, SubmittedForm};
use crate::views::{Layout, layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::application::{ApplicationKind, GrantMethod};
use minplan_domain::date::Date;
use minplan_domain::plan::ApprovalLevel;
use minplan_domain::register::{
    ApplicationFacts, ApplicationStatus, ClosureAcceptance, ClosureReport, Decision, EventKind,
    Grant, Mortgage, Registration, RightExtension,
};
use minplan_store::{AuditRow, BulkMode, BulkOutcome, StoreError, User};
use std::collections::HashMap;

/// A submitted lifecycle form as the page shows it again: which form (`action`), its values
/// and the problems by field. The default is "nothing submitted".
#[derive(Debug, Clone, Default)]
pub struct Submitted {
    /// The form's action (`extend`, `grant`, …), or "" when nothing was submitted.
    pub action: &'static str,
    /// The problems, by field name.
    pub errors: FieldErrors,
    /// The values sent.
    pub form: SubmittedForm,
}

/// The fields each form shows (its problems appear at them; others above the form).
fn fields_of(action: &str) -> &'static [&'static str] {
    match action {
        "decision" => &["decision", "date", "accepted_checks", "reason"],
        "grant" => &["method", "net_mineral", "price", "date", "contract"],
        "register" => &[
            "licence",
            "valid_from",
            "valid_to",
            "date",
            "approval",
            "name",
        ],
        "extend" => &["valid_to", "date", "reason", "application"],
        "change" | "transfer" => &["application", "date"],
        "mortgage" => &["mortgagee", "amount", "from", "until"],
        "release-mortgage" => &["date"],
        "closure-report" => &["title", "date"],
        "close" => &["date", "accepted_by", "document"],
        "cancel" => &["date", "reason"],
        _ => &[],
    }
}

impl Submitted {
    /// The problem of `field` in the form `action`, or "".
    pub fn err(&self, action: &str, field: &str) -> &str {
        if self.action == action {
            self.errors.get(field)
        } else {
            ""
        }
    }

    /// The value sent for `field` in the form `action`, or "".
    pub fn val(&self, action: &str, field: &str) -> &str {
        if self.action == action {
            self.form.get(field)
        } else {
            ""
        }
    }

    /// Whether the checkbox `field` of the form `action` was ticked.
    pub fn checked(&self, action: &str, field: &str) -> bool {
        self.action == action && self.form.checked(field)
    }

    /// Whether the option `value` was the one chosen for `field` in the form `action`.
    pub fn chose(&self, action: &str, field: &str, value: &str) -> bool {
        self.action == action && self.form.get(field).trim() == value
    }

    /// Problems of the form `action` not tied to one of its fields.
    pub fn others(&self, action: &str) -> Vec<String> {
        if self.action == action {
            self.errors.others(fields_of(action))
        } else {
            Vec::new()
        }
    }
}

/// A path segment with every reserved character percent-encoded (licence numbers and
/// application numbers are free text).
pub fn segment(s: &str) -> String {
    crate::auth::percent_encode(s).replace('/', "%2F")
}

fn trimmed(f: &SubmittedForm, name: &str) -> Option<String> {
    let v = f.get(name).trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// A required date field (YYYY-MM-DD).
fn date_field(f: &SubmittedForm, name: &str, label: &str, e: &mut FieldErrors) -> Option<Date> {
    let v = f.get(name).trim();
    if v.is_empty() {
        e.push(name, format!("请填写{label}"));
        return None;
    }
    match Date::parse(v) {
        Ok(d) => Some(d),
        Err(_) => {
            e.push(
                name,
                format!("{label}“{}”不是有效日期，应为 YYYY-MM-DD", clip(v)),
            );
            None
        }
    }
}

/// A required number field (finite).
fn number_field(f: &SubmittedForm, name: &str, label: &str, e: &mut FieldErrors) -> Option<f64> {
    let v = f.get(name).trim();
    if v.is_empty() {
        e.push(name, format!("请填写{label}"));
        return None;
    }
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => {
            e.push(name, format!("{label}“{}”应为数字", clip(v)));
            None
        }
    }
}

/// At most 40 characters of what the user sent, for messages.
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

fn store_errors(fs: Vec<minplan_store::FieldError>) -> FieldErrors {
    FieldErrors(fs)
}

// ---------------------------------------------------------------------------------------
// Rights: 延续, 变更, 转让, 抵押, 解除抵押, 闭坑报告, 闭坑验收, 注销.

/// What a right's form asks the store to do, once its fields are read.
enum RightAction {
    Extend(RightExtension),
    Change(String, Date),
    Transfer(String, Date),
    Mortgage(Mortgage),
    Release(Date),
    ClosureReport(ClosureReport),
    Close(ClosureAcceptance),
    Cancel(Date, String),
}

/// Reads the form of `action`; `None` with `e` filled when a field is missing or malformed.
fn read_right_action(action: &str, f: &SubmittedForm, e: &mut FieldErrors) -> Option<RightAction> {
    let date = |e: &mut FieldErrors| date_field(f, "date", "日期", e);
    let application = |e: &mut FieldErrors| {
        let a = trimmed(f, "application");
        if a.is_none() {
            e.push("application", "请填写已批准的申请编号");
        }
        a
    };
    Some(match action {
        "extend" => {
            let valid_to = date_field(f, "valid_to", "新的有效期止", e);
            let date = date(e);
            RightAction::Extend(RightExtension {
                date: date?,
                valid_to: valid_to?,
                reason: trimmed(f, "reason"),
                application: trimmed(f, "application"),
            })
        }
        "change" | "transfer" => {
            let a = application(e);
            let d = date(e);
            if action == "change" {
                RightAction::Change(a?, d?)
            } else {
                RightAction::Transfer(a?, d?)
            }
        }
        "mortgage" => {
            let mortgagee = f.get("mortgagee").trim().to_string();
            let amount = number_field(f, "amount", "担保金额（万元）", e);
            let from = date_field(f, "from", "抵押期限起", e);
            let until = date_field(f, "until", "抵押期限止", e);
            RightAction::Mortgage(Mortgage {
                mortgagee,
                amount_wan_yuan: amount?,
                from: from?,
                until: until?,
            })
        }
        "release-mortgage" => RightAction::Release(date(e)?),
        "closure-report" => {
            let d = date(e);
            RightAction::ClosureReport(ClosureReport {
                title: f.get("title").trim().to_string(),
                date: d?,
            })
        }
        "close" => {
            let d = date(e);
            RightAction::Close(ClosureAcceptance {
                date: d?,
                accepted_by: f.get("accepted_by").trim().to_string(),
                document: f.get("document").trim().to_string(),
            })
        }
        "cancel" => {
            let d = date(e);
            let reason = f.get("reason").trim().to_string();
            if reason.is_empty() {
                e.push("reason", "注销须写明原因");
            }
            RightAction::Cancel(d?, reason)
        }
        _ => return None,
    })
}

/// Reads, checks and records one right's form; re-displays the right's page on refusal.
async fn right_submit(
    st: &AppState,
    user: &User,
    id: &str,
    action: &'static str,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    // The right must exist (404 otherwise); an unknown application is then the form's problem.
    crate::rights::right_exists(st, user, id).await?;
    let form = SubmittedForm::read(headers, body).await;
    let mut errors = FieldErrors::default();
    if let Some(p) = &form.problem {
        errors.push("form", p.clone());
    }
    let parsed = read_right_action(action, &form, &mut errors);
    let parsed = match parsed {
        Some(p) if errors.is_empty() => p,
        _ => return refuse_right(st, user, id, action, errors, form).await,
    };
    let who = actor(user);
    let _guard = st.write_lock().await;
    let s = &st.store;
    let result = match &parsed {
        RightAction::Extend(x) => s.extend_right(id, x, &who).await,
        RightAction::Change(a, d) => s.change_right(id, a, *d, &who).await,
        RightAction::Transfer(a, d) => s.transfer_right(id, a, *d, &who).await,
        RightAction::Mortgage(m) => s.mortgage_right(id, m, &who).await,
        RightAction::Release(d) => s.release_mortgage(id, *d, &who).await,
        RightAction::ClosureReport(r) => s.file_closure_report(id, r, &who).await,
        RightAction::Close(a) => s.close_right(id, a, &who).await,
        RightAction::Cancel(d, r) => s.cancel_right(id, *d, r, &who).await,
    };
    match result {
        Ok(_) => {
            st.rebuild_engine().await?;
            Ok(Redirect::to(&format!("/rights/{}?done={action}", segment(id))).into_response())
        }
        Err(StoreError::Invalid(fs)) => {
            refuse_right(st, user, id, action, store_errors(fs), form).await
        }
        // The right exists (checked above): what was not found is the application named.
        Err(StoreError::NotFound(m)) => {
            errors.push("application", m);
            refuse_right(st, user, id, action, errors, form).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn refuse_right(
    st: &AppState,
    user: &User,
    id: &str,
    action: &'static str,
    errors: FieldErrors,
    form: SubmittedForm,
) -> Result<Response, AppError> {
    crate::rights::render_detail(
        st,
        user,
        id,
        StatusCode::UNPROCESSABLE_ENTITY,
        Submitted {
            action,
            errors,
            form,
        },
        None,
    )
    .await
}

macro_rules! right_form {
    ($(#[$doc:meta])* $name:ident, $policy:ident, $action:literal) => {
        $(#[$doc])*
        pub async fn $name(
            State(st): State<AppState>,
            RequireRole { user, .. }: RequireRole<policy::$policy>,
            Path(id): Path<String>,
            headers: HeaderMap,
            body: Bytes,
        ) -> Result<Response, AppError> {
            right_submit(&st, &user, &id, $action, &headers, body).await
        }
    };
}

right_form!(
    /// `POST /rights/{id}/extend`: 延续 (新的有效期止, 日期; 逾期延续须写原因).
    extend_submit, ManageRegister, "extend"
);
right_form!(
    /// `POST /rights/{id}/change`: 变更 on an approved 变更 application.
    change_submit, ManageRegister, "change"
);
right_form!(
    /// `POST /rights/{id}/transfer`: 转让 on an approved 转让 application.
    transfer_submit, ManageRegister, "transfer"
);
right_form!(
    /// `POST /rights/{id}/mortgage`: 抵押 (抵押权人, 担保金额, 期限).
    mortgage_submit, ManageRegister, "mortgage"
);
right_form!(
    /// `POST /rights/{id}/release-mortgage`: 解除抵押.
    release_mortgage_submit, ManageRegister, "release-mortgage"
);
right_form!(
    /// `POST /rights/{id}/closure-report`: 报送闭坑报告 (also 生态修复).
    closure_report_submit, AcceptClosure, "closure-report"
);
right_form!(
    /// `POST /rights/{id}/close`: 闭坑验收 (also 生态修复).
    close_submit, AcceptClosure, "close"
);
right_form!(
    /// `POST /rights/{id}/cancel`: 注销 (日期, 原因).
    cancel_submit, ManageRegister, "cancel"
);

/// The notice after a successful form (`?done=…`).
pub fn done_notice(done: &str) -> Option<String> {
    let kind = match done {
        "release-mortgage" => EventKind::MortgageRelease,
        "closure-report" => EventKind::ClosureReport,
        other => EventKind::from_slug(other)?,
    };
    Some(format!(
        "已办理{}，已记入登记事项和操作日志。",
        kind.label()
    ))
}

// ---------------------------------------------------------------------------------------
// Applications: 决定, 出让, 登记.

#[derive(Template)]
#[template(path = "application.html")]
struct ApplicationPage {
    layout: Layout,
    a: ApplicationFacts,
    enc: String,
    kind: &'static str,
    right_kind: &'static str,
    status: &'static str,
    conclusion: &'static str,
    pending_check: bool,
    grant: Option<(String, String)>,
    can_decide: bool,
    can_grant: bool,
    can_register: bool,
    /// For 延续, 变更, 转让 applications: where they are handled.
    handled_on_right: Option<(String, &'static str)>,
    trail: Vec<AuditRow>,
    notice: String,
    f: Submitted,
}

async fn render_application(
    st: &AppState,
    number: &str,
    status: StatusCode,
    f: Submitted,
    notice: String,
) -> Result<Response, AppError> {
    let a = match st.store.application_facts(number).await {
        Ok(a) => a,
        Err(StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
        Err(e) => return Err(e.into()),
    };
    let sp = st.plan().await;
    let approved = a.status == ApplicationStatus::Approved;
    let registers = matches!(
        a.kind,
        ApplicationKind::New | ApplicationKind::ExplorationToMining
    );
    let page = ApplicationPage {
        layout: layout(&sp, "rights"),
        enc: segment(&a.number),
        kind: a.kind.label(),
        right_kind: a.right_kind.label(),
        status: a.status.label(),
        conclusion: a.conclusion.label(),
        pending_check: a.conclusion == minplan_domain::review::Conclusion::ConformingPendingCheck,
        grant: a.grant.as_ref().map(|g| {
            (
                format!(
                    "{}{}，{} 万元",
                    g.method.label(),
                    if g.net_mineral {
                        "（净矿出让）"
                    } else {
                        ""
                    },
                    crate::views::num(g.price_wan_yuan)
                ),
                format!(
                    "{}{}",
                    g.date,
                    g.contract
                        .as_deref()
                        .map(|c| format!("，合同 {c}"))
                        .unwrap_or_default()
                ),
            )
        }),
        can_decide: a.status == ApplicationStatus::Pending,
        can_grant: approved && a.kind == ApplicationKind::New && a.grant.is_none(),
        can_register: approved && registers && a.used_for.is_none(),
        handled_on_right: match (&a.kind, &a.existing_right) {
            (ApplicationKind::Extension, Some(r)) => Some((r.clone(), "延续")),
            (ApplicationKind::Change, Some(r)) => Some((r.clone(), "变更")),
            (ApplicationKind::Transfer, Some(r)) => Some((r.clone(), "转让")),
            _ => None,
        },
        trail: st.store.audit_trail("application", &a.number).await?,
        notice,
        f,
        a,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /applications/{number}`: an application's standing in the register (审查结论, 决定,
/// 出让, 登记) with the forms for the next steps (系统管理员, 审批科).
pub async fn application_page(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ManageRegister>,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = match q.get("done").map(String::as_str) {
        Some("decision") => "已记录决定，已记入操作日志。".to_string(),
        Some("grant") => "已记录出让，已记入操作日志。".to_string(),
        Some("register") => "已登记矿业权，已记入登记事项和操作日志。".to_string(),
        _ => String::new(),
    };
    render_application(&st, &number, StatusCode::OK, Submitted::default(), notice).await
}

enum AppAction {
    Decide(Decision),
    Grant(Grant),
    Register(Registration),
}

fn read_app_action(action: &str, f: &SubmittedForm, e: &mut FieldErrors) -> Option<AppAction> {
    Some(match action {
        "decision" => {
            let approve = match f.get("decision").trim() {
                "approve" | "批准" => Some(true),
                "refuse" | "不予批准" => Some(false),
                _ => {
                    e.push("decision", "请选择批准或不予批准");
                    None
                }
            };
            let date = date_field(f, "date", "决定日期", e);
            AppAction::Decide(Decision {
                approve: approve?,
                date: date?,
                accepted_checks: trimmed(f, "accepted_checks"),
                reason: trimmed(f, "reason"),
            })
        }
        "grant" => {
            let method = match GrantMethod::parse(f.get("method").trim()) {
                Some(m) => Some(m),
                None => {
                    e.push("method", "请选择出让方式：招标、拍卖、挂牌或协议");
                    None
                }
            };
            let price = number_field(f, "price", "出让收益（价款，万元）", e);
            let date = date_field(f, "date", "出让日期", e);
            AppAction::Grant(Grant {
                method: method?,
                net_mineral: f.checked("net_mineral"),
                price_wan_yuan: price?,
                date: date?,
                contract: trimmed(f, "contract"),
            })
        }
        "register" => {
            let licence = f.get("licence").trim().to_string();
            if licence.is_empty() {
                e.push("licence", "请填写许可证号");
            }
            let from = date_field(f, "valid_from", "有效期起", e);
            let to = date_field(f, "valid_to", "有效期止", e);
            let date = match trimmed(f, "date") {
                None => from,
                Some(_) => date_field(f, "date", "登记日期", e),
            };
            let approval = match f.get("approval").trim() {
                "" => None,
                a => ApprovalLevel::parse(a).or_else(|| {
                    e.push(
                        "approval",
                        format!("发证层级应为 {} 之一", ApprovalLevel::ACCEPTED),
                    );
                    None
                }),
            };
            AppAction::Register(Registration {
                licence,
                date: date?,
                valid_from: from?,
                valid_to: to?,
                name: trimmed(f, "name"),
                capacity: None,
                elevation: None,
                area_km2: None,
                approval,
                mine_id: None,
            })
        }
        _ => return None,
    })
}

async fn application_submit(
    st: &AppState,
    user: &User,
    number: &str,
    action: &'static str,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    // 404 for an application that was never reviewed.
    if let Err(StoreError::NotFound(m)) = st.store.application_facts(number).await {
        return Err(AppError::NotFound(m));
    }
    let form = SubmittedForm::read(headers, body).await;
    let mut errors = FieldErrors::default();
    if let Some(p) = &form.problem {
        errors.push("form", p.clone());
    }
    let refuse = |errors: FieldErrors, form: SubmittedForm| {
        render_application(
            st,
            number,
            StatusCode::UNPROCESSABLE_ENTITY,
            Submitted {
                action,
                errors,
                form,
            },
            String::new(),
        )
    };
    let parsed = match read_app_action(action, &form, &mut errors) {
        Some(p) if errors.is_empty() => p,
        _ => return refuse(errors, form).await,
    };
    let who = actor(user);
    let _guard = st.write_lock().await;
    let s = &st.store;
    let result = match &parsed {
        AppAction::Decide(d) => s.decide_application(number, d, &who).await.map(|_| ()),
        AppAction::Grant(g) => s.record_grant(number, g, &who).await,
        AppAction::Register(r) => s.register_right(number, r, &who).await.map(|_| ()),
    };
    match result {
        Ok(()) => {
            st.rebuild_engine().await?;
            Ok(
                Redirect::to(&format!("/applications/{}?done={action}", segment(number)))
                    .into_response(),
            )
        }
        Err(StoreError::Invalid(fs)) => refuse(store_errors(fs), form).await,
        Err(StoreError::NotFound(m)) => {
            errors.push("application", m);
            refuse(errors, form).await
        }
        Err(e) => Err(e.into()),
    }
}

macro_rules! application_form {
    ($(#[$doc:meta])* $name:ident, $action:literal) => {
        $(#[$doc])*
        pub async fn $name(
            State(st): State<AppState>,
            RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
            Path(number): Path<String>,
            headers: HeaderMap,
            body: Bytes,
        ) -> Result<Response, AppError> {
            application_submit(&st, &user, &number, $action, &headers, body).await
        }
    };
}

application_form!(
    /// `POST /applications/{number}/decision`: 批准 / 不予批准 (基本符合的申请批准时须填人工核查意见;
    /// 不予批准须写理由).
    decision_submit, "decision"
);
application_form!(
    /// `POST /applications/{number}/grant`: 出让 (招标、拍卖、挂牌、协议; 净矿出让; 价款).
    grant_submit, "grant"
);
application_form!(
    /// `POST /applications/{number}/register`: 登记 (许可证号, 有效期起止, 发证层级).
    register_submit, "register"
);

// ---------------------------------------------------------------------------------------
// 批量导入.

/// What a bulk import page imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Rights,
    Reports,
}

impl Table {
    fn path(self) -> &'static str {
        match self {
            Table::Rights => "/rights/import",
            Table::Reports => "/annual-reports/import",
        }
    }
}

#[derive(Template)]
#[template(path = "bulk_import.html")]
struct ImportPage {
    layout: Layout,
    rights: bool,
    action: &'static str,
    mode: &'static str,
    errors: FieldErrors,
    outcome: Option<BulkOutcome>,
    file_name: String,
}

async fn render_import(
    st: &AppState,
    table: Table,
    status: StatusCode,
    mode: BulkMode,
    errors: FieldErrors,
    outcome: Option<BulkOutcome>,
    file_name: String,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let page = ImportPage {
        layout: layout(
            &sp,
            match table {
                Table::Rights => "rights",
                Table::Reports => "annual-reports",
            },
        ),
        rights: table == Table::Rights,
        action: table.path(),
        mode: mode_name(mode),
        errors,
        outcome,
        file_name,
    };
    Ok((status, Html(page.render()?)).into_response())
}

fn mode_name(m: BulkMode) -> &'static str {
    match m {
        BulkMode::DryRun => "dry_run",
        BulkMode::Commit => "commit",
        BulkMode::SkipInvalid => "skip_invalid",
    }
}

/// `GET /rights/import`: the form for importing rights from an XLSX or CSV table.
pub async fn rights_import_page(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ManageRegister>,
) -> Result<Response, AppError> {
    let e = FieldErrors::default();
    render_import(
        &st,
        Table::Rights,
        StatusCode::OK,
        BulkMode::DryRun,
        e,
        None,
        String::new(),
    )
    .await
}

/// `GET /annual-reports/import`: the form for importing annual reports from a table.
pub async fn reports_import_page(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ManageRegister>,
) -> Result<Response, AppError> {
    let e = FieldErrors::default();
    render_import(
        &st,
        Table::Reports,
        StatusCode::OK,
        BulkMode::DryRun,
        e,
        None,
        String::new(),
    )
    .await
}

/// `POST /rights/import` (multipart: `file`, `mode` = `dry_run` | `commit` | `skip_invalid`).
pub async fn rights_import_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    import_submit(&st, &user, Table::Rights, &headers, body).await
}

/// `POST /annual-reports/import` (multipart, as `/rights/import`).
pub async fn reports_import_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    import_submit(&st, &user, Table::Reports, &headers, body).await
}

async fn import_submit(
    st: &AppState,
    user: &User,
    table: Table,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = SubmittedForm::read(headers, body).await;
    let mut errors = FieldErrors::default();
    if let Some(p) = &f.problem {
        errors.push("file", p.clone());
    }
    let mode = match f.get("mode").trim() {
        "" | "dry_run" => BulkMode::DryRun,
        "commit" => BulkMode::Commit,
        "skip_invalid" => BulkMode::SkipInvalid,
        _ => {
            errors.push("mode", "请选择：仅检查、导入、或跳过有问题的行并导入");
            BulkMode::DryRun
        }
    };
    let file = f.file("file");
    if file.is_none() && errors.is_empty() {
        errors.push("file", "请选择要导入的 XLSX 或 CSV 文件");
    }
    let name = file.map(|u| u.file_name.clone()).unwrap_or_default();
    let lower = name.to_lowercase();
    if file.is_some()
        && ![".xlsx", ".xls", ".ods", ".csv", ".txt"]
            .iter()
            .any(|x| lower.ends_with(x))
    {
        errors.push("file", "文件应为 XLSX（或 XLS、ODS）表格或 CSV（UTF-8）");
    }
    let rows = match file {
        Some(u) if errors.is_empty() => {
            let bytes = u.bytes.clone();
            let n = name.clone();
            // A table reader must not take the server down on a hostile file.
            match std::panic::catch_unwind(move || minplan_store::read_table(&bytes, &n)) {
                Ok(Ok(rows)) => Some(rows),
                Ok(Err(StoreError::BadInput(m))) => {
                    errors.push("file", format!("{m}；未导入"));
                    None
                }
                Ok(Err(e)) => return Err(e.into()),
                Err(_) => {
                    errors.push("file", "无法读取该文件（格式损坏）；未导入");
                    None
                }
            }
        }
        _ => None,
    };
    let Some(rows) = rows else {
        return render_import(
            st,
            table,
            StatusCode::UNPROCESSABLE_ENTITY,
            mode,
            errors,
            None,
            name,
        )
        .await;
    };
    let plan = st.plan().await;
    let who = actor(user);
    let _guard = st.write_lock().await;
    let out = match table {
        Table::Rights => {
            st.store
                .import_rights_table(&plan.loaded.plan, &rows, &name, mode, &who)
                .await
        }
        Table::Reports => {
            st.store
                .import_reports_table(&plan.loaded.plan, &rows, &name, mode, &who)
                .await
        }
    };
    let out = match out {
        Ok(o) => o,
        Err(StoreError::BadInput(m)) => {
            errors.push("file", format!("{m}；未导入"));
            return render_import(
                st,
                table,
                StatusCode::UNPROCESSABLE_ENTITY,
                mode,
                errors,
                None,
                name,
            )
            .await;
        }
        Err(StoreError::Invalid(fs)) => {
            let errors = FieldErrors(fs);
            return render_import(
                st,
                table,
                StatusCode::UNPROCESSABLE_ENTITY,
                mode,
                errors,
                None,
                name,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    if out.committed {
        st.rebuild_engine().await?;
    }
    // A commit refused for problems is the user's to fix: 422 with the rows' problems.
    let status = if mode == BulkMode::Commit && !out.committed && !out.problems.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_import(st, table, status, mode, errors, Some(out), name).await
}
