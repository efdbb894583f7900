//! 规划版本: the stored plan versions (every logged-in account) and switching the active one
//! (系统管理员, 规划科) — audited, after which the server's in-memory plan reloads
//! ([`AppState::reload`]). Page `/plans`; API `POST /api/plans/{id}/activate` (the list is the
//! public `GET /api/plans`). Page `/plans/{id}/history`: the versions of that version's plan
//! unit with each amendment's changes against the version before it.

use crate::AppState;
use crate::http::auth::{Permission, actor, allowed, policy};
use crate::http::error::{ApiError, ApiResult, AppError};
use crate::http::extract::RequireRole;
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::plan::diff::PlanChange;
use minplan_store::{PlanVersionInfo, User};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "plans.html")]
struct PlansPage {
    layout: Layout,
    versions: Vec<PlanVersionInfo>,
    can_activate: bool,
    notice: String,
}

/// `GET /plans`: the plan versions, with 设为当前规划 for those who may.
pub async fn page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewPlanVersions>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let versions = st.store.list_plans().await?;
    let notice = q
        .get("activated")
        .map(|id| format!("当前规划已切换为编号 {id} 的版本"))
        .unwrap_or_default();
    let page = PlansPage {
        layout: layout(&sp, "plans"),
        versions,
        can_activate: allowed(Some(user.role), Permission::ActivatePlan),
        notice,
    };
    Ok(Html(page.render()?).into_response())
}

/// One version of a unit's history with its changes.
struct HistoryEntry {
    version: PlanVersionInfo,
    /// Number of the version compared with, when there is one.
    previous: Option<i64>,
    changes: Vec<PlanChange>,
}

#[derive(Template)]
#[template(path = "plan_history.html")]
struct HistoryPage {
    layout: Layout,
    unit: String,
    period: String,
    entries: Vec<HistoryEntry>,
}

/// `GET /plans/{id}/history`: the plan unit's versions (name, kind, basis, approved,
/// effective, imported) and each amendment's changes.
pub async fn history(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ViewPlanVersions>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::BadRequest(format!("规划版本编号应为整数，收到“{id}”")))?;
    let sp = st.plan().await;
    let history = st.store.plan_history(id).await?;
    let Some(first) = history.first() else {
        return Err(AppError::NotFound(format!("没有编号为 {id} 的规划版本")));
    };
    let unit = first.unit_label();
    let period = format!("{}～{}年", first.period_start, first.period_end);
    let mut entries = Vec::new();
    for v in history {
        let (previous, changes) = match st.store.plan_changes(v.id).await? {
            Some((p, c)) => (Some(p.version), c),
            None => (None, Vec::new()),
        };
        entries.push(HistoryEntry {
            version: v,
            previous,
            changes,
        });
    }
    let page = HistoryPage {
        layout: layout(&sp, "plans"),
        unit,
        period,
        entries,
    };
    Ok(Html(page.render()?).into_response())
}

async fn activate(st: &AppState, user: &User, id: &str) -> Result<PlanVersionInfo, AppError> {
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::BadRequest(format!("规划版本编号应为整数，收到“{id}”")))?;
    let v = st.store.activate(id, &actor(user)).await?;
    st.reload().await?;
    Ok(v)
}

/// `POST /plans/{id}/activate`: makes the version the active plan, then back to `/plans`.
pub async fn activate_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ActivatePlan>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let v = activate(&st, &user, &id).await?;
    Ok(Redirect::to(&format!("/plans?activated={}", v.id)).into_response())
}

/// `{version}` of `POST /api/plans/{id}/activate`.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Activated {
    /// The version now active.
    pub version: PlanVersionInfo,
}

/// `POST /api/plans/{id}/activate`: makes the version the active plan.
#[utoipa::path(post, path = "/api/plans/{id}/activate", tag = "规划", params(("id" = i64, Path, description = "规划版本编号")), responses((status = 200, description = "已启用", body = Activated), (status = 400, description = "编号不是整数", body = ApiError), (status = 404, description = "没有该版本", body = ApiError), (status = 403, description = "需系统管理员或规划科", body = ApiError)))]
pub async fn api_activate(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ActivatePlan>,
    Path(id): Path<String>,
) -> ApiResult<Json<Activated>> {
    let v = activate(&st, &user, &id).await?;
    Ok(Json(Activated { version: v }))
}
