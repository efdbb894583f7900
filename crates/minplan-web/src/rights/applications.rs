//! 登记办理 of an application (`/applications/{number}`, 系统管理员 and 审批科): its standing in
//! the register with the forms for 决定 (批准 / 不予批准), 出让 and 登记. Each form calls the
//! same store function as the JSON API ([`super::api`]) and the CLI.

use super::forms::*;
use crate::AppState;
use crate::http::auth::{actor, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, SubmittedForm};
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::application::{ApplicationKind, GrantMethod};
use minplan_domain::plan::ApprovalLevel;
use minplan_domain::register::{
    ApplicationFacts, ApplicationStatus, Decision, Grant, Registration,
};
use minplan_store::{StoreError, User};
use std::collections::HashMap;
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
    trail: Vec<crate::http::words::TrailView>,
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
                    crate::http::views::num(g.price_wan_yuan)
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
        trail: crate::http::words::People::load(&st.store)
            .await?
            .trail(&st.store.audit_trail("application", &a.number).await?),
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
