//! The register's lifecycle for staff, as a JSON API (the 矿业权 pages post to it): decide on
//! a reviewed application, record its grant, register the right, then extend, transfer, file
//! a closure report, close (闭坑) or cancel it, and read a right's history. Each call runs the
//! same store function as `minplan right …` (checked, one transaction, audit row);
//! refused input answers 422 with every problem named (`fields`).

use crate::AppState;
use crate::auth::{RequireRole, actor, policy};
use crate::error::AppError;
use crate::forms::json_body;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use minplan_domain::application::GrantMethod;
use minplan_domain::date::Date;
use minplan_domain::plan::ApprovalLevel;
use minplan_domain::register::{
    ClosureAcceptance, ClosureReport, Decision, Extension, Grant, Registration,
};
use serde::Deserialize;

fn date(field: &str, s: &str) -> Result<Date, AppError> {
    Date::parse(s).map_err(|e| AppError::BadRequest(format!("{field}：{e}")))
}

fn respond<T: serde::Serialize>(r: Result<T, AppError>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(e) => e.into_json(),
    }
}

/// `{approve, date, accepted_checks?, reason?}`.
#[derive(Deserialize)]
struct DecisionBody {
    approve: bool,
    date: String,
    accepted_checks: Option<String>,
    reason: Option<String>,
}

/// `POST /api/applications/{number}/decision`: 批准 / 不予批准 (审批科).
pub async fn decide(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    Path(number): Path<String>,
    body: Bytes,
) -> Response {
    respond(
        async {
            let b: DecisionBody = json_body(&body)?;
            let d = Decision {
                approve: b.approve,
                date: date("date", &b.date)?,
                accepted_checks: b.accepted_checks,
                reason: b.reason,
            };
            let s = st
                .store
                .decide_application(&number, &d, &actor(&user))
                .await?;
            Ok(serde_json::json!({ "application": number, "status": s.label() }))
        }
        .await,
    )
}

/// `{method, price_wan_yuan, date, net_mineral?, contract?}`.
#[derive(Deserialize)]
struct GrantBody {
    method: String,
    price_wan_yuan: f64,
    date: String,
    #[serde(default)]
    net_mineral: bool,
    contract: Option<String>,
}

/// `POST /api/applications/{number}/grant`: records 出让 (招标/拍卖/挂牌/协议, 净矿出让, price).
pub async fn grant(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    Path(number): Path<String>,
    body: Bytes,
) -> Response {
    respond(
        async {
            let b: GrantBody = json_body(&body)?;
            let method = GrantMethod::parse(&b.method).ok_or_else(|| {
                AppError::BadRequest(format!(
                    "method“{}”应为 招标、拍卖、挂牌、协议 之一",
                    b.method
                ))
            })?;
            let g = Grant {
                method,
                net_mineral: b.net_mineral,
                price_wan_yuan: b.price_wan_yuan,
                date: date("date", &b.date)?,
                contract: b.contract,
            };
            st.store.record_grant(&number, &g, &actor(&user)).await?;
            Ok(serde_json::json!({ "application": number, "grant": g }))
        }
        .await,
    )
}

/// `{licence, valid_from, valid_to, date?, approval?, name?}`.
#[derive(Deserialize)]
struct RegisterBody {
    licence: String,
    valid_from: String,
    valid_to: String,
    date: Option<String>,
    approval: Option<String>,
    name: Option<String>,
}

/// `POST /api/applications/{number}/register`: registers the right of an approved application.
pub async fn register(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    Path(number): Path<String>,
    body: Bytes,
) -> Response {
    respond(
        async {
            let b: RegisterBody = json_body(&body)?;
            let from = date("valid_from", &b.valid_from)?;
            let approval = match b.approval.as_deref() {
                None | Some("") => None,
                Some("省级") => Some(ApprovalLevel::Provincial),
                Some("市级划定" | "市级") => Some(ApprovalLevel::CityDesignated),
                Some("本级审批" | "本级审批发证" | "本级") => {
                    Some(ApprovalLevel::ThisLevel)
                }
                Some(other) => {
                    return Err(AppError::BadRequest(format!(
                        "approval“{other}”应为 省级、市级划定、本级审批 之一"
                    )));
                }
            };
            let r = Registration {
                licence: b.licence,
                date: match &b.date {
                    Some(d) => date("date", d)?,
                    None => from,
                },
                valid_from: from,
                valid_to: date("valid_to", &b.valid_to)?,
                name: b.name,
                capacity: None,
                elevation: None,
                area_km2: None,
                approval,
                mine_id: None,
            };
            Ok(st.store.register_right(&number, &r, &actor(&user)).await?)
        }
        .await,
    )
}

/// `GET /api/rights/{id}/history`: a right with every event (staff).
pub async fn history(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ManageRegister>,
    Path(id): Path<String>,
) -> Response {
    respond(st.store.right_history(&id).await.map_err(AppError::from))
}

/// `{valid_to, date, reason?, application?}`.
#[derive(Deserialize)]
struct ExtendBody {
    valid_to: String,
    date: String,
    reason: Option<String>,
    application: Option<String>,
}

/// `POST /api/rights/{id}/extend`: 延续 (after expiry only with `reason`).
pub async fn extend(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    respond(
        async {
            let b: ExtendBody = json_body(&body)?;
            let e = Extension {
                date: date("date", &b.date)?,
                valid_to: date("valid_to", &b.valid_to)?,
                reason: b.reason,
                application: b.application,
            };
            Ok(st.store.extend_right(&id, &e, &actor(&user)).await?)
        }
        .await,
    )
}

/// `{application, date}`.
#[derive(Deserialize)]
struct AppDateBody {
    application: String,
    date: String,
}

/// `POST /api/rights/{id}/transfer`: 转让 on an approved 转让 application.
pub async fn transfer(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    respond(
        async {
            let b: AppDateBody = json_body(&body)?;
            let d = date("date", &b.date)?;
            Ok(st
                .store
                .transfer_right(&id, &b.application, d, &actor(&user))
                .await?)
        }
        .await,
    )
}

/// `{title, date}`.
#[derive(Deserialize)]
struct ClosureReportBody {
    title: String,
    date: String,
}

/// `POST /api/rights/{id}/closure-report`: files the 闭坑报告.
pub async fn closure_report(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::AcceptClosure>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    respond(
        async {
            let b: ClosureReportBody = json_body(&body)?;
            let r = ClosureReport {
                title: b.title,
                date: date("date", &b.date)?,
            };
            Ok(st.store.file_closure_report(&id, &r, &actor(&user)).await?)
        }
        .await,
    )
}

/// `{date, accepted_by, document}`.
#[derive(Deserialize)]
struct CloseBody {
    date: String,
    accepted_by: String,
    document: String,
}

/// `POST /api/rights/{id}/close`: 闭坑 — accepts the closure report on file.
pub async fn close(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::AcceptClosure>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    respond(
        async {
            let b: CloseBody = json_body(&body)?;
            let a = ClosureAcceptance {
                date: date("date", &b.date)?,
                accepted_by: b.accepted_by,
                document: b.document,
            };
            Ok(st.store.close_right(&id, &a, &actor(&user)).await?)
        }
        .await,
    )
}

/// `{date, reason}`.
#[derive(Deserialize)]
struct CancelBody {
    date: String,
    reason: String,
}

/// `POST /api/rights/{id}/cancel`: 注销 with its reason.
pub async fn cancel(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    respond(
        async {
            let b: CancelBody = json_body(&body)?;
            let d = date("date", &b.date)?;
            Ok(st
                .store
                .cancel_right(&id, d, &b.reason, &actor(&user))
                .await?)
        }
        .await,
    )
}
