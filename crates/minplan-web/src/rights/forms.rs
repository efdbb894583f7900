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
//! Each form calls the same store function as the JSON API ([`crate::rights::api`]) and the
//! CLI (checked, one transaction, audit row). A refusal re-displays the page with each problem
//! at its field (422) and writes nothing; a success answers 303 back to the page with a notice.
//! After each write the review engine is rebuilt, since reviews read the register.

use crate::AppState;
use crate::http::auth::{actor, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, SubmittedForm};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use minplan_domain::date::Date;
use minplan_domain::register::{
    ClosureAcceptance, ClosureReport, EventKind, Mortgage, RightExtension,
};
use minplan_store::{StoreError, User};

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
    /// What the forms start from when nothing was submitted — what the application or the
    /// register already says (出让方式, 矿山名称, 发证层级, the approved application's
    /// number…): `(action, field, value)`.
    pub prefill: Vec<(&'static str, &'static str, String)>,
}

impl Submitted {
    /// A refused form shown again with its values and problems.
    pub fn refused(action: &'static str, errors: FieldErrors, form: SubmittedForm) -> Submitted {
        Submitted {
            action,
            errors,
            form,
            prefill: Vec::new(),
        }
    }

    /// The pre-filled value of `field` in the form `action` (only when nothing was
    /// submitted: a refused form shows what was sent).
    fn prefilled(&self, action: &str, field: &str) -> Option<&str> {
        if !self.action.is_empty() {
            return None;
        }
        self.prefill
            .iter()
            .find(|(a, f, _)| *a == action && *f == field)
            .map(|(_, _, v)| v.as_str())
    }
}

/// The fields each form shows (its problems appear at them; others above the form).
pub(super) fn fields_of(action: &str) -> &'static [&'static str] {
    match action {
        "decision" => &["decision", "date", "accepted_checks", "reason"],
        "closing" => &["kind", "date", "reason"],
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
        "close" => &["date", "accepted_by", "document", "confirm"],
        "cancel" => &["date", "reason", "confirm"],
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

    /// The value sent for `field` in the form `action`, or its pre-filled value when nothing
    /// was submitted, or "".
    pub fn val(&self, action: &str, field: &str) -> &str {
        if self.action == action {
            self.form.get(field)
        } else {
            self.prefilled(action, field).unwrap_or("")
        }
    }

    /// Whether the checkbox `field` of the form `action` was ticked (or is pre-ticked).
    pub fn checked(&self, action: &str, field: &str) -> bool {
        if self.action == action {
            self.form.checked(field)
        } else {
            self.prefilled(action, field) == Some("on")
        }
    }

    /// Whether the option `value` was the one chosen (or pre-selected) for `field` in the
    /// form `action`.
    pub fn chose(&self, action: &str, field: &str, value: &str) -> bool {
        self.val(action, field).trim() == value
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
    crate::http::auth::percent_encode(s).replace('/', "%2F")
}

pub(super) fn trimmed(f: &SubmittedForm, name: &str) -> Option<String> {
    let v = f.get(name).trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// A required date field (YYYY-MM-DD).
pub(super) fn date_field(
    f: &SubmittedForm,
    name: &str,
    label: &str,
    e: &mut FieldErrors,
) -> Option<Date> {
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
pub(super) fn number_field(
    f: &SubmittedForm,
    name: &str,
    label: &str,
    e: &mut FieldErrors,
) -> Option<f64> {
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
pub(super) fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

pub(super) fn store_errors(fs: Vec<minplan_store::FieldError>) -> FieldErrors {
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
            confirmed(f, "闭坑验收", "闭坑验收后该矿业权闭坑，不能撤销", e);
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
            confirmed(f, "注销", "注销后该矿业权失效，不能撤销", e);
            RightAction::Cancel(d?, reason)
        }
        _ => return None,
    })
}

/// An irreversible step (注销, 闭坑验收) is done only with its 确认 box ticked (`confirm`),
/// checked here on the server: a plain POST without it is refused at the box, with what the
/// step does, and nothing is written.
fn confirmed(f: &SubmittedForm, step: &str, effect: &str, e: &mut FieldErrors) {
    if !f.checked("confirm") {
        e.push(
            "confirm",
            format!("{step}不可撤销（{effect}）：请核对后勾选“确认{step}”再提交；本次未办理"),
        );
    }
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
        Submitted::refused(action, errors, form),
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

/// What a right's forms start from: the number of an approved 延续 / 变更 / 转让 application
/// of this right not yet used (the form's 申请编号).
///
/// # Errors
/// [`AppError`] from the store.
pub(crate) async fn right_prefill(
    st: &AppState,
    id: &str,
) -> Result<Vec<(&'static str, &'static str, String)>, AppError> {
    use minplan_domain::application::ApplicationKind;
    let mut out = Vec::new();
    let approved = minplan_domain::register::ApplicationStatus::Approved.label();
    for a in st.store.application_records_in(approved).await? {
        if a.status != approved {
            continue;
        }
        let Ok(facts) = st.store.application_facts(&a.number).await else {
            continue;
        };
        if facts.used_for.is_some() || facts.existing_right.as_deref() != Some(id) {
            continue;
        }
        let form = match facts.kind {
            ApplicationKind::Extension => "extend",
            ApplicationKind::Change => "change",
            ApplicationKind::Transfer => "transfer",
            _ => continue,
        };
        if !out.iter().any(|(f, _, _)| *f == form) {
            out.push((form, "application", a.number.clone()));
        }
    }
    Ok(out)
}

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
