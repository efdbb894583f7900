//! 操作日志 (系统管理员): the audit trail, filtered by entity, with the result of verifying
//! its hash chain. Page `/audit`; API `GET /api/audit`, `GET /api/audit/verify`.

use crate::AppState;
use crate::http::auth::policy;
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use minplan_store::{AuditFilter, audit};
use std::collections::HashMap;

/// Rows shown at most on the page.
pub const PAGE_LIMIT: u32 = 500;

struct RowView {
    id: i64,
    at: String,
    actor: String,
    action: String,
    entity_type: String,
    entity_id: String,
    before: String,
    after: String,
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
    let rows = st
        .store
        .audit_list(&f)
        .await?
        .into_iter()
        .map(|r| RowView {
            hash_short: r.hash.get(..12).unwrap_or("").to_string(),
            id: r.id,
            at: r.at,
            actor: r.actor,
            action: r.action,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            before: r.before.unwrap_or_else(|| "—".into()),
            after: r.after.unwrap_or_else(|| "—".into()),
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

/// `GET /api/audit?entity=TYPE[:ID]&limit=N`: `{"rows": [...]}`, newest first (default 100).
#[utoipa::path(get, path = "/api/audit", tag = "操作日志", params(("entity" = Option<String>, Query, description = "对象类型[:编号]，如 review:3"), ("limit" = Option<u32>, Query, description = "条数 1～10000，默认 100")), responses((status = 200, description = "`{rows}`，新的在前", body = Object), (status = 400, description = "limit 无效", body = crate::http::error::ApiError), (status = 403, description = "需系统管理员", body = crate::http::error::ApiError)))]
pub async fn api_list(
    State(st): State<AppState>,
    _: RequireRole<policy::ViewAudit>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let f = match filter(&q, 100) {
        Ok(f) => f,
        Err(e) => return e.into_json(),
    };
    match st.store.audit_list(&f).await {
        Ok(rows) => Json(serde_json::json!({ "rows": rows })).into_response(),
        Err(e) => AppError::from(e).into_json(),
    }
}

/// `GET /api/audit/verify`: the verification report (`problems`, `first_break`, …) and
/// `intact`.
#[utoipa::path(get, path = "/api/audit/verify", tag = "操作日志", responses((status = 200, description = "校验结果：`{intact, summary, problems, …}`", body = Object), (status = 403, description = "需系统管理员", body = crate::http::error::ApiError)))]
pub async fn api_verify(State(st): State<AppState>, _: RequireRole<policy::ViewAudit>) -> Response {
    match audit::verify(&st.store).await {
        Ok(r) => {
            let mut v = serde_json::to_value(&r).unwrap_or_default();
            v["intact"] = serde_json::json!(r.intact());
            v["summary"] = serde_json::json!(r.summary());
            Json(v).into_response()
        }
        Err(e) => AppError::from(e).into_json(),
    }
}

/// The routes of 操作日志.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/audit", get(page))
        .route("/api/audit", get(api_list))
        .route("/api/audit/verify", get(api_verify))
}
