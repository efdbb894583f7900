//! The portal's machine-readable feeds, `/public/feeds/<section>.json|.csv` (and
//! `rights.geojson`): what the pages show, 已公开 only, with the withdrawals noted. JSON is
//! typed (documented in the OpenAPI document); CSV is UTF-8 with a byte-order mark and a
//! header row (Excel opens it), one row per right, target, entry, block, indicator or mine
//! (治理恢复基金公示, with its year in front), the same
//! columns as the page ([`super::view`]). The rights feeds take the page's query (`q`, `kind`,
//! `mineral`, `status`).

use super::view::{self, PublicTable};
use crate::AppState;
use crate::http::download::attachment;
use crate::http::error::AppError;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Json, Response};
use minplan_domain::disclosure::{
    BlocksPayload, FundSummaryPayload, ImplementationPayload, Payload, PublicInspectionResult,
    PublicListEntry, PublicRight, PublicationKind,
};
use minplan_store::PublicationSummary;
use serde::Serialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// The feeds' routes.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/public/feeds/rights.json", get(rights_json))
        .route("/public/feeds/rights.csv", get(rights_csv))
        .route("/public/feeds/rights.geojson", get(rights_geojson))
        .route("/public/feeds/inspections.json", get(inspections_json))
        .route("/public/feeds/inspections.csv", get(inspections_csv))
        .route("/public/feeds/lists.json", get(lists_json))
        .route("/public/feeds/lists.csv", get(lists_csv))
        .route("/public/feeds/blocks.json", get(blocks_json))
        .route("/public/feeds/blocks.csv", get(blocks_csv))
        .route(
            "/public/feeds/implementation.json",
            get(implementation_json),
        )
        .route("/public/feeds/implementation.csv", get(implementation_csv))
        .route(
            "/public/feeds/restoration-fund.json",
            get(restoration_fund_json),
        )
        .route(
            "/public/feeds/restoration-fund.csv",
            get(restoration_fund_csv),
        )
}

/// A withdrawn publication: it is no longer public; the withdrawal is.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Withdrawal {
    /// 标题.
    pub title: String,
    /// When withdrawn, RFC 3339 UTC.
    pub withdrawn_at: Option<String>,
    /// 撤回理由.
    pub reason: Option<String>,
}

fn withdrawals(w: &[PublicationSummary]) -> Vec<Withdrawal> {
    w.iter()
        .map(|s| Withdrawal {
            title: s.title.clone(),
            withdrawn_at: s.withdrawn_at.clone(),
            reason: s.withdrawal_reason.clone(),
        })
        .collect()
}

/// 矿业权公示 as JSON.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RightsFeed {
    /// The published register's title; `null` when none is public.
    pub title: Option<String>,
    /// When it was published, RFC 3339 UTC.
    pub published_at: Option<String>,
    /// Rights matching the query.
    pub total: u64,
    /// Those rights, by 许可证号 (geometry in `rights.geojson` only).
    pub rights: Vec<PublicRight>,
    /// Withdrawn registers.
    pub withdrawn: Vec<Withdrawal>,
}

/// 抽查结果 of one 抽查计划.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InspectionItem {
    /// 标题.
    pub title: String,
    /// When published, RFC 3339 UTC.
    pub published_at: Option<String>,
    /// The results.
    pub result: PublicInspectionResult,
}

/// 抽查结果 as JSON.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InspectionsFeed {
    /// Each 抽查计划's results, latest published first.
    pub items: Vec<InspectionItem>,
    /// Withdrawn results.
    pub withdrawn: Vec<Withdrawal>,
}

/// One list entry as published.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListItem {
    /// When published, RFC 3339 UTC.
    pub published_at: Option<String>,
    /// The entry (a removal has `removed_on`).
    pub entry: PublicListEntry,
}

/// 异常名录 / 严重违法失信名单 as JSON.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListsFeed {
    /// Each holder's latest published entry.
    pub entries: Vec<ListItem>,
    /// Withdrawn entries.
    pub withdrawn: Vec<Withdrawal>,
}

/// 规划区块 as JSON.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BlocksFeed {
    /// 标题; `null` when none is public.
    pub title: Option<String>,
    /// When published, RFC 3339 UTC.
    pub published_at: Option<String>,
    /// The blocks with lon/lat geometry; `null` when none is public.
    pub blocks: Option<BlocksPayload>,
    /// Withdrawn publications.
    pub withdrawn: Vec<Withdrawal>,
}

/// 规划执行情况 of one year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImplementationItem {
    /// 标题.
    pub title: String,
    /// When published, RFC 3339 UTC.
    pub published_at: Option<String>,
    /// The year's indicators and summary.
    pub implementation: ImplementationPayload,
}

/// 规划执行情况 as JSON.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImplementationFeed {
    /// Each year's, latest published first.
    pub items: Vec<ImplementationItem>,
    /// Withdrawn publications.
    pub withdrawn: Vec<Withdrawal>,
}

fn csv(table: &PublicTable, name: &str, fallback: &str) -> Response {
    attachment(table.csv(), "text/csv; charset=utf-8", name, fallback)
}

/// The rights matching the URL's query in the current public register.
async fn matching_rights(
    st: &AppState,
    q: &HashMap<String, String>,
) -> Result<(Option<PublicationSummary>, u64, Vec<PublicRight>), AppError> {
    let Some(c) = st.store.current_rights_publication().await? else {
        return Ok((None, 0, Vec::new()));
    };
    let lq = super::rights_query(q);
    let (total, rows) = st
        .store
        .public_rights_page(c.id, &super::store_query(&lq), None)
        .await?;
    Ok((Some(c), total, rows))
}

/// `GET /public/feeds/rights.json`.
#[utoipa::path(get, path = "/public/feeds/rights.json", tag = "信息公开",
    params(
        ("q" = Option<String>, Query, description = "矿业权人、许可证号或矿山名称的一部分"),
        ("kind" = Option<String>, Query, description = "探矿权 / 采矿权"),
        ("mineral" = Option<String>, Query, description = "矿种"),
        ("status" = Option<String>, Query, description = "状态"),
    ),
    responses((status = 200, description = "矿业权公示（已公开的最新一期）", body = RightsFeed)))]
pub async fn rights_json(
    State(st): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<RightsFeed>, AppError> {
    let (c, total, mut rights) = matching_rights(&st, &q).await?;
    for r in &mut rights {
        r.geometry = None;
    }
    Ok(Json(RightsFeed {
        title: c.as_ref().map(|c| c.title.clone()),
        published_at: c.and_then(|c| c.approved_at),
        total,
        rights,
        withdrawn: withdrawals(&st.store.withdrawn(PublicationKind::RightsRegister).await?),
    }))
}

/// `GET /public/feeds/rights.csv`.
#[utoipa::path(get, path = "/public/feeds/rights.csv", tag = "信息公开",
    params(
        ("q" = Option<String>, Query, description = "矿业权人、许可证号或矿山名称的一部分"),
        ("kind" = Option<String>, Query, description = "探矿权 / 采矿权"),
        ("mineral" = Option<String>, Query, description = "矿种"),
        ("status" = Option<String>, Query, description = "状态"),
    ),
    responses((status = 200, description = "矿业权公示 CSV（UTF-8 带 BOM，首行为表头）", content_type = "text/csv")))]
pub async fn rights_csv(
    State(st): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (_, _, rights) = matching_rights(&st, &q).await?;
    Ok(csv(
        &view::rights_table(&rights),
        "矿业权公示.csv",
        "rights.csv",
    ))
}

/// `GET /public/feeds/rights.geojson`: the matching rights with their extents.
#[utoipa::path(get, path = "/public/feeds/rights.geojson", tag = "信息公开",
    params(
        ("q" = Option<String>, Query, description = "矿业权人、许可证号或矿山名称的一部分"),
        ("kind" = Option<String>, Query, description = "探矿权 / 采矿权"),
        ("mineral" = Option<String>, Query, description = "矿种"),
        ("status" = Option<String>, Query, description = "状态"),
    ),
    responses((status = 200, description = "矿业权公示 GeoJSON FeatureCollection（CGCS2000 经纬度）", content_type = "application/geo+json")))]
pub async fn rights_geojson(
    State(st): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (_, _, rights) = matching_rights(&st, &q).await?;
    let features: Vec<serde_json::Value> = rights
        .into_iter()
        .filter_map(|r| {
            let geometry = r.geometry.clone()?;
            Some(serde_json::json!({
                "type": "Feature",
                "properties": {
                    "id": r.licence_no,
                    "许可证号": r.licence_no,
                    "矿业权人": r.holder_name,
                    "矿山名称": r.name,
                    "矿业权类型": r.kind,
                    "矿种": r.minerals.join("、"),
                    "status": r.status,
                    "状态": r.status,
                },
                "geometry": geometry,
            }))
        })
        .collect();
    let body = serde_json::json!({ "type": "FeatureCollection", "features": features });
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "application/geo+json; charset=utf-8",
        )],
        body.to_string(),
    )
        .into_response())
}

async fn inspection_items(st: &AppState) -> Result<Vec<InspectionItem>, AppError> {
    Ok(st
        .store
        .published(PublicationKind::InspectionResults)
        .await?
        .into_iter()
        .filter_map(|p| match p.payload {
            Payload::Inspections(result) => Some(InspectionItem {
                title: p.summary.title,
                published_at: p.summary.approved_at,
                result,
            }),
            _ => None,
        })
        .collect())
}

/// `GET /public/feeds/inspections.json`.
#[utoipa::path(get, path = "/public/feeds/inspections.json", tag = "信息公开",
    responses((status = 200, description = "抽查结果（已公开）", body = InspectionsFeed)))]
pub async fn inspections_json(
    State(st): State<AppState>,
) -> Result<Json<InspectionsFeed>, AppError> {
    Ok(Json(InspectionsFeed {
        items: inspection_items(&st).await?,
        withdrawn: withdrawals(
            &st.store
                .withdrawn(PublicationKind::InspectionResults)
                .await?,
        ),
    }))
}

/// `GET /public/feeds/inspections.csv`: one row per target.
#[utoipa::path(get, path = "/public/feeds/inspections.csv", tag = "信息公开",
    responses((status = 200, description = "抽查结果 CSV（UTF-8 带 BOM，首行为表头）", content_type = "text/csv")))]
pub async fn inspections_csv(State(st): State<AppState>) -> Result<Response, AppError> {
    let items = inspection_items(&st).await?;
    let mut table = view::inspection_table(&PublicInspectionResult {
        plan_name: String::new(),
        year: 0,
        checks_completed_on: None,
        targets: Vec::new(),
    });
    for i in &items {
        table.rows.extend(view::inspection_table(&i.result).rows);
    }
    Ok(csv(&table, "抽查结果.csv", "inspections.csv"))
}

async fn list_items(st: &AppState) -> Result<Vec<ListItem>, AppError> {
    Ok(st
        .store
        .published(PublicationKind::ListEntry)
        .await?
        .into_iter()
        .filter_map(|p| match p.payload {
            Payload::Lists(entry) => Some(ListItem {
                published_at: p.summary.approved_at,
                entry,
            }),
            _ => None,
        })
        .collect())
}

/// `GET /public/feeds/lists.json`.
#[utoipa::path(get, path = "/public/feeds/lists.json", tag = "信息公开",
    responses((status = 200, description = "异常名录 / 严重违法失信名单（已公开）", body = ListsFeed)))]
pub async fn lists_json(State(st): State<AppState>) -> Result<Json<ListsFeed>, AppError> {
    Ok(Json(ListsFeed {
        entries: list_items(&st).await?,
        withdrawn: withdrawals(&st.store.withdrawn(PublicationKind::ListEntry).await?),
    }))
}

/// `GET /public/feeds/lists.csv`.
#[utoipa::path(get, path = "/public/feeds/lists.csv", tag = "信息公开",
    responses((status = 200, description = "名录 CSV（UTF-8 带 BOM，首行为表头）", content_type = "text/csv")))]
pub async fn lists_csv(State(st): State<AppState>) -> Result<Response, AppError> {
    let items = list_items(&st).await?;
    let entries: Vec<&PublicListEntry> = items.iter().map(|i| &i.entry).collect();
    Ok(csv(
        &view::list_table(&entries),
        "名录信息.csv",
        "lists.csv",
    ))
}

/// `GET /public/feeds/blocks.json`.
#[utoipa::path(get, path = "/public/feeds/blocks.json", tag = "信息公开",
    responses((status = 200, description = "规划区块（已公开的最新一期）", body = BlocksFeed)))]
pub async fn blocks_json(State(st): State<AppState>) -> Result<Json<BlocksFeed>, AppError> {
    let latest = st
        .store
        .published(PublicationKind::PlanningBlocks)
        .await?
        .into_iter()
        .next();
    let (title, published_at, blocks) = match latest {
        Some(p) => match p.payload {
            Payload::Blocks(b) => (Some(p.summary.title), p.summary.approved_at, Some(b)),
            _ => (None, None, None),
        },
        None => (None, None, None),
    };
    Ok(Json(BlocksFeed {
        title,
        published_at,
        blocks,
        withdrawn: withdrawals(&st.store.withdrawn(PublicationKind::PlanningBlocks).await?),
    }))
}

/// `GET /public/feeds/blocks.csv`.
#[utoipa::path(get, path = "/public/feeds/blocks.csv", tag = "信息公开",
    responses((status = 200, description = "规划区块 CSV（UTF-8 带 BOM，首行为表头）", content_type = "text/csv")))]
pub async fn blocks_csv(State(st): State<AppState>) -> Result<Response, AppError> {
    let latest = st
        .store
        .published(PublicationKind::PlanningBlocks)
        .await?
        .into_iter()
        .next();
    let payload = match latest.map(|p| p.payload) {
        Some(Payload::Blocks(b)) => b,
        _ => BlocksPayload {
            plan_name: String::new(),
            version: String::new(),
            blocks: Vec::new(),
        },
    };
    Ok(csv(
        &view::blocks_table(&payload),
        "规划区块.csv",
        "blocks.csv",
    ))
}

async fn implementation_items(st: &AppState) -> Result<Vec<ImplementationItem>, AppError> {
    Ok(st
        .store
        .published(PublicationKind::PlanImplementation)
        .await?
        .into_iter()
        .filter_map(|p| match p.payload {
            Payload::Implementation(implementation) => Some(ImplementationItem {
                title: p.summary.title,
                published_at: p.summary.approved_at,
                implementation,
            }),
            _ => None,
        })
        .collect())
}

/// `GET /public/feeds/implementation.json`.
#[utoipa::path(get, path = "/public/feeds/implementation.json", tag = "信息公开",
    responses((status = 200, description = "规划执行情况（已公开）", body = ImplementationFeed)))]
pub async fn implementation_json(
    State(st): State<AppState>,
) -> Result<Json<ImplementationFeed>, AppError> {
    Ok(Json(ImplementationFeed {
        items: implementation_items(&st).await?,
        withdrawn: withdrawals(
            &st.store
                .withdrawn(PublicationKind::PlanImplementation)
                .await?,
        ),
    }))
}

/// `GET /public/feeds/implementation.csv`: one row per year and indicator.
#[utoipa::path(get, path = "/public/feeds/implementation.csv", tag = "信息公开",
    responses((status = 200, description = "规划执行情况 CSV（UTF-8 带 BOM，首行为表头）", content_type = "text/csv")))]
pub async fn implementation_csv(State(st): State<AppState>) -> Result<Response, AppError> {
    let items = implementation_items(&st).await?;
    let mut table = view::implementation_table(&ImplementationPayload {
        plan_name: String::new(),
        year: 0,
        indicators: Vec::new(),
        summary: Vec::new(),
    });
    for i in &items {
        table
            .rows
            .extend(view::implementation_table(&i.implementation).rows);
    }
    Ok(csv(&table, "规划执行情况.csv", "implementation.csv"))
}

/// 治理恢复基金公示 of one year (《规划》六（二）5).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FundItem {
    /// 标题.
    pub title: String,
    /// When published, RFC 3339 UTC.
    pub published_at: Option<String>,
    /// The year's per-mine figures (万元).
    pub fund: FundSummaryPayload,
}

/// 治理恢复基金公示 as JSON.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FundFeed {
    /// Each year's latest published summary, latest published first.
    pub items: Vec<FundItem>,
    /// Withdrawn publications.
    pub withdrawn: Vec<Withdrawal>,
}

async fn fund_items(st: &AppState) -> Result<Vec<FundItem>, AppError> {
    Ok(st
        .store
        .published(PublicationKind::RestorationFund)
        .await?
        .into_iter()
        .filter_map(|p| match p.payload {
            Payload::RestorationFund(fund) => Some(FundItem {
                title: p.summary.title,
                published_at: p.summary.approved_at,
                fund,
            }),
            _ => None,
        })
        .collect())
}

/// `GET /public/feeds/restoration-fund.json`.
#[utoipa::path(get, path = "/public/feeds/restoration-fund.json", tag = "信息公开",
    responses((status = 200, description = "矿山地质环境治理恢复基金公示（已公开）", body = FundFeed)))]
pub async fn restoration_fund_json(State(st): State<AppState>) -> Result<Json<FundFeed>, AppError> {
    Ok(Json(FundFeed {
        items: fund_items(&st).await?,
        withdrawn: withdrawals(&st.store.withdrawn(PublicationKind::RestorationFund).await?),
    }))
}

/// `GET /public/feeds/restoration-fund.csv`: one row per year and mine, the year in front.
#[utoipa::path(get, path = "/public/feeds/restoration-fund.csv", tag = "信息公开",
    responses((status = 200, description = "治理恢复基金公示 CSV（UTF-8 带 BOM，首行为表头）", content_type = "text/csv")))]
pub async fn restoration_fund_csv(State(st): State<AppState>) -> Result<Response, AppError> {
    let mut table = PublicTable {
        headers: std::iter::once("年度").chain(view::FUND_HEADERS).collect(),
        rows: Vec::new(),
    };
    for i in fund_items(&st).await? {
        for row in view::fund_table(&i.fund).rows {
            table.rows.push(
                std::iter::once(i.fund.year.to_string())
                    .chain(row)
                    .collect(),
            );
        }
    }
    Ok(csv(&table, "治理恢复基金公示.csv", "restoration-fund.csv"))
}
