//! `/filings/supervision` (系统管理员, 执法监察): for a year, the mines that reported output
//! without a 安全生产许可证 valid in it (the check items of 证照齐全, 《规划》五（三）4) and the
//! 勘查开采信息 filings that are 未按期公示 (自然资源部令第13号: due by 31 March) — the grounds
//! the lists' workflow may use to propose a listing in the 异常名录; nothing is listed here.

use crate::AppState;
use crate::http::auth::policy;
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use minplan_domain::register::licences::SafetyCoverage;
use std::collections::HashMap;

/// One mine producing without a valid 安全生产许可证.
struct SafetyRow {
    mine_name: String,
    right_id: String,
    extraction: String,
    coverage: String,
    /// No licence on any day (the reminder and check item), not a partial year.
    none: bool,
}

/// One filing 未按期公示.
struct LateRow {
    mine_name: String,
    right_id: String,
    holder: String,
    due: String,
    status: String,
}

#[derive(Template)]
#[template(path = "filings_supervision.html")]
struct SupervisionPage {
    layout: Layout,
    year: i32,
    safety: Vec<SafetyRow>,
    late: Vec<LateRow>,
}

/// `GET /filings/supervision?year=2025` (default: last year): the two lists of the year.
pub async fn page(
    State(st): State<AppState>,
    _: RequireRole<policy::SuperviseFilings>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let today = st.today();
    let year = q
        .get("year")
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| (2000..=today.year()).contains(y))
        .unwrap_or(today.year() - 1);
    let sp = st.plan().await;
    let safety = st
        .store
        .mines_without_safety_licence(year)
        .await?
        .into_iter()
        .map(|f| SafetyRow {
            mine_name: f.mine_name,
            right_id: f.right_id,
            extraction: f.extraction,
            coverage: f.coverage.label(),
            none: f.coverage == SafetyCoverage::None,
        })
        .collect();
    let late = st
        .store
        .late_filings(year, today)
        .await?
        .into_iter()
        .map(|r| LateRow {
            mine_name: r.mine_name,
            right_id: r.right_id,
            holder: r.holder_name,
            due: r.due.chinese(),
            status: r.status_label,
        })
        .collect();
    let page = SupervisionPage {
        layout: layout(&sp, "supervision"),
        year,
        safety,
        late,
    };
    Ok(Html(page.render()?).into_response())
}
