//! 操作日志 (系统管理员): the audit trail, filtered by entity, with the result of verifying
//! its hash chain. The page shows people's words (display names, Beijing time, Chinese action
//! names, before/after as a field table: [`crate::http::words`]); the API keeps the stored
//! values. Page `/audit`; API `GET /api/audit`, `GET /api/audit/verify`.

use crate::AppState;
use crate::http::auth::policy;
use crate::http::error::{ApiError, ApiResult, AppError};
use crate::http::extract::RequireRole;
use crate::http::views::{Layout, layout};
use crate::http::words::{People, TrailView};
use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use minplan_store::{AuditFilter, audit};
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// The routes of 操作日志.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/audit", get(page))
        .route("/api/audit", get(api_list))
        .route("/api/audit/verify", get(api_verify))
}

/// Rows shown at most on the page.
pub const PAGE_LIMIT: u32 = 500;

/// One row as people read it ([`crate::http::words::People::row`]), with its hash.
struct RowView {
    t: TrailView,
    hash: String,
    hash_short: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    layout: Layout,
    entity: String,
    rows: Vec<RowView>,
    limit: u32,
    intact: bool,
    verify_summary: String,
    problems: Vec<String>,
}

fn filter(q: &HashMap<String, String>, default_limit: u32) -> Result<AuditFilter, AppError> {
    let mut f = AuditFilter::parse_entity(q.get("entity").map_or("", String::as_str));
    f.limit = Some(match q.get("limit") {
        None => default_limit,
        Some(l) => l
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or_else(|| {
                AppError::BadRequest(format!("limit 应为 1～10000 的整数，收到“{l}”"))
            })?,
    });
    Ok(f)
}

/// `GET /audit?entity=TYPE[:ID]`: the newest rows and the chain's verification.
pub async fn page(
    State(st): State<AppState>,
    _: RequireRole<policy::ViewAudit>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let f = filter(&q, PAGE_LIMIT)?;
    let people = People::load(&st.store)
        .await?
        .with_indicators(&sp.loaded.plan.indicators);
    let rows = st
        .store
        .audit_list(&f)
        .await?
        .into_iter()
        .map(|r| RowView {
            t: people.row(&r),
            hash_short: r.hash.get(..12).unwrap_or("").to_string(),
            hash: r.hash,
        })
        .collect();
    let report = audit::verify(&st.store).await?;
    let summary = report.summary();
    let page = AuditPage {
        layout: layout(&sp, "audit"),
        entity: q.get("entity").cloned().unwrap_or_default(),
        rows,
        limit: f.limit.unwrap_or(PAGE_LIMIT),
        intact: report.intact(),
        verify_summary: summary.lines().next().unwrap_or("").to_string(),
        problems: report.problems.iter().map(ToString::to_string).collect(),
    };
    Ok(Html(page.render()?).into_response())
}

/// `{rows}` of `GET /api/audit`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditRows {
    /// The rows, newest first.
    pub rows: Vec<minplan_store::AuditRow>,
}

/// The verification of the audit trail's hash chain.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditVerification {
    /// Whether no row was edited or deleted.
    pub intact: bool,
    /// The result in a Chinese sentence.
    pub summary: String,
    /// Rows read.
    pub rows: u64,
    /// The last row's number.
    pub last_id: i64,
    /// The last row's hash.
    pub head_hash: Option<String>,
    /// Each edited row (`{edited: {id, stored_hash, computed_hash}}`) or deleted range
    /// (`{deleted: {from, to}}`), …
    #[schema(value_type = Vec<Object>)]
    pub problems: serde_json::Value,
    /// The first row at which the chain breaks.
    pub first_break: Option<i64>,
}

/// `GET /api/audit?entity=TYPE[:ID]&limit=N`: the rows, newest first (default 100).
#[utoipa::path(get, path = "/api/audit", tag = "操作日志", params(("entity" = Option<String>, Query, description = "对象类型[:编号]，如 review:3"), ("limit" = Option<u32>, Query, minimum = 1, maximum = 10000, description = "条数 1～10000，默认 100")), responses((status = 200, description = "新的在前", body = AuditRows), (status = 400, description = "limit 无效", body = ApiError), (status = 403, description = "需系统管理员", body = ApiError)))]
pub async fn api_list(
    State(st): State<AppState>,
    _: RequireRole<policy::ViewAudit>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<AuditRows>> {
    let f = filter(&q, 100)?;
    let rows = st.store.audit_list(&f).await?;
    Ok(Json(AuditRows { rows }))
}

/// `GET /api/audit/verify`: the verification report.
#[utoipa::path(get, path = "/api/audit/verify", tag = "操作日志", responses((status = 200, description = "校验结果", body = AuditVerification), (status = 403, description = "需系统管理员", body = ApiError)))]
pub async fn api_verify(
    State(st): State<AppState>,
    _: RequireRole<policy::ViewAudit>,
) -> ApiResult<Json<AuditVerification>> {
    let r = audit::verify(&st.store).await?;
    Ok(Json(AuditVerification {
        intact: r.intact(),
        summary: r.summary(),
        rows: r.rows,
        last_id: r.last_id,
        head_hash: r.head_hash.clone(),
        problems: crate::http::json::json_value(&r.problems)?,
        first_break: r.first_break,
    }))
}
