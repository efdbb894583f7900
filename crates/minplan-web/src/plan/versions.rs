//! 规划版本: the stored plan versions (every logged-in account) and switching the active one
//! (系统管理员, 规划科) — audited, after which the server's in-memory plan reloads
//! ([`AppState::reload`]). Page `/plans`; API `POST /api/plans/{id}/activate` (the list is the
//! public `GET /api/plans`).

use crate::AppState;
use crate::http::auth::{Permission, actor, allowed, policy};
use crate::http::error::{ApiError, ApiResult, AppError};
use crate::http::extract::RequireRole;
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
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
