//! 审查记录: the stored reviews (every logged-in account; a 矿山企业 only its own), filtered by
//! text, conclusion and currency; a review's detail — conclusion, each rule with its outcome,
//! evidence and citations into the plan text, the map with the application and every
//! conflicting part, the indicators before and after, the corner table as entered, the
//! superseded history, the audit trail of the review and of the application, and the
//! reproducibility check —; and its Word 审查意见书.
//!
//! The reproducibility check re-runs the review from what was stored
//! ([`minplan_store::Store::replay_review`]): the application file and corner file, the plan
//! version, the layer versions, the register and list snapshots and the parameters, at the
//! recorded time. The 审查意见书 is written from that re-run, and only when it equals the
//! stored record (409 otherwise): a document never says something the record does not.

use crate::AppState;
use crate::http::auth::{may_see, own_credit_code, policy};
use crate::http::error::{ApiError, ApiResult, AppError};
use crate::http::extract::RequireRole;
use crate::http::listing::{self, ListQuery, Pager, SortHeader};
use crate::http::mapview::{MapView, collection, feature, inline_layer, map_view, review_layers};
use crate::http::views::{Layout, layout};
use crate::http::words::{self, People, TrailView};
use crate::plan::views::{CiteView, cite_view};
use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minplan_domain::citation::{Citation, format_number};
use minplan_domain::plan::Plan;
use minplan_store::{AuditRow, ReviewRecord, ReviewSummary, Role, StoreError, User};
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use utoipa::ToSchema;

/// The routes of 审查记录.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/reviews", get(list_page))
        .route("/reviews/list.xlsx", get(list_xlsx))
        .route("/reviews/{id}", get(detail_page))
        .route("/reviews/{id}/docx", get(docx))
        .route("/reviews/{id}/export", get(export))
        .route("/api/reviews", get(api_list))
        .route("/api/reviews/{id}", get(api_detail))
}

/// The filters of the 审查记录 list, with their labels.
const REVIEW_FILTERS: [(&str, &str); 5] = [
    ("q", "查找"),
    ("conclusion", "结论"),
    ("current", "只看未被取代的记录"),
    ("from", "审查日期起"),
    ("to", "审查日期止"),
];

/// The sortable columns of the list: (key, label, class).
const REVIEW_COLUMNS: [(&str, &str, &str); 9] = [
    ("id", "编号", "num"),
    ("number", "申请编号", ""),
    ("project", "项目名称", ""),
    ("holder", "申请人", ""),
    ("", "类型", ""),
    ("conclusion", "结论", ""),
    ("reviewed_at", "审查时间（北京时间）", ""),
    ("", "审查人", ""),
    ("", "状态", ""),
];

/// The conclusions a review can have.
const CONCLUSIONS: [&str; 3] = ["符合", "基本符合（需人工核查）", "不符合"];

/// The list's query (default: newest first).
fn list_query(q: &HashMap<String, String>) -> ListQuery {
    let keys: Vec<&'static str> = REVIEW_FILTERS.iter().map(|(k, _)| *k).collect();
    ListQuery::parse("/reviews", q, &keys, "id", true)
}

/// A date filter: `YYYY-MM-DD` or 400 naming the field.
fn day(l: &ListQuery, key: &str, label: &str) -> Result<String, AppError> {
    let v = l.get(key);
    if v.is_empty() || minplan_domain::date::Date::parse(v).is_ok() {
        Ok(v.to_string())
    } else {
        Err(AppError::BadRequest(format!(
            "{label}应为日期（如 2026-12-06），收到“{v}”"
        )))
    }
}

/// The store's query of `l` for `user` (a 矿山企业: its own).
/// A span whose start is after its end is refused (400 naming both fields), never an empty
/// list that looks like "no reviews".
fn store_query(l: &ListQuery, user: &User) -> Result<minplan_store::ReviewQuery, AppError> {
    let (from, to) = (day(l, "from", "审查日期起")?, day(l, "to", "审查日期止")?);
    let parse = |v: &str| minplan_domain::date::Date::parse(v).ok();
    if let (Some(a), Some(b)) = (parse(&from), parse(&to))
        && a > b
    {
        // Two dates each well written but not in order: 422 at `from`.
        return Err(AppError::Invalid(vec![minplan_store::FieldError::new(
            "from",
            format!(
                "审查日期起（{from}）晚于审查日期止（{to}）：起始日期晚于截止日期，请改正其中之一"
            ),
        )]));
    }
    Ok(minplan_store::ReviewQuery {
        q: l.get("q").into(),
        conclusion: l.get("conclusion").into(),
        current_only: l.get("current") == "1",
        from,
        to,
        credit_code: own_credit_code(user).map(str::to_string),
        sort: l.sort.clone(),
        desc: l.desc,
    })
}

/// The page `l` asks for (clamped to the last page) and the total.
async fn page_rows(
    st: &AppState,
    l: &mut ListQuery,
    query: &minplan_store::ReviewQuery,
) -> Result<(u64, Vec<ReviewSummary>), AppError> {
    let (total, rows) = st.store.reviews_page(query, Some(l.window())).await?;
    let page = l.page;
    l.clamp(total);
    if l.page != page {
        return Ok(st.store.reviews_page(query, Some(l.window())).await?);
    }
    Ok((total, rows))
}

#[derive(Template)]
#[template(path = "reviews.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<ReviewSummary>,
    headers: Vec<SortHeader>,
    pager: Pager,
    q: String,
    from: String,
    to: String,
    filtered: bool,
    current: bool,
    conclusions: Vec<(&'static str, bool)>,
    own_only: bool,
}

/// `GET /reviews?q=&conclusion=&current=1&from=&to=&sort=&dir=&page=&per=`: the stored
/// reviews, newest first unless sorted otherwise, a page at a time.
pub async fn list_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewReviews>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let mut l = list_query(&q);
    let query = store_query(&l, &user)?;
    let (total, mut rows) = page_rows(&st, &mut l, &query).await?;
    let people = People::load(&st.store).await?;
    for r in &mut rows {
        r.actor = people.actor(&r.actor);
    }
    let conclusion = l.get("conclusion").to_string();
    let page = ListPage {
        layout: layout(&sp, "reviews"),
        rows,
        headers: l.headers(&REVIEW_COLUMNS),
        pager: l.pager(total, "/reviews/list.xlsx"),
        q: l.get("q").to_string(),
        from: l.get("from").to_string(),
        to: l.get("to").to_string(),
        filtered: l.filtered(),
        conclusions: CONCLUSIONS
            .into_iter()
            .map(|c| (c, c == conclusion))
            .collect(),
        current: l.get("current") == "1",
        own_only: own_credit_code(&user).is_some(),
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /reviews/list.xlsx?…`: every review of the list as filtered and sorted, as an Excel
/// table (审查时间 in Beijing time as a date cell; no internal ids but the 审查记录编号 people
/// cite).
pub async fn list_xlsx(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewReviews>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    use minplan_report::{Cell, Column, Table};
    let l = list_query(&q);
    let (_, rows) = st
        .store
        .reviews_page(&store_query(&l, &user)?, None)
        .await?;
    let people = People::load(&st.store).await?;
    let columns = vec![
        Column::new("审查记录编号", 12.0),
        Column::new("申请编号", 20.0),
        Column::new("项目名称", 36.0),
        Column::new("申请人", 30.0),
        Column::new("申请类型", 10.0),
        Column::new("结论", 22.0),
        Column::new("审查时间（北京时间）", 22.0),
        Column::new("审查人", 16.0),
        Column::new("状态", 10.0),
    ];
    let rows: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            vec![
                Cell::Number(r.id as f64),
                Cell::text(&r.application_number),
                Cell::text(&r.project_name),
                Cell::text(&r.holder_name),
                Cell::text(&r.kind),
                Cell::text(&r.conclusion),
                listing::beijing_cell(&r.reviewed_at),
                Cell::text(people.actor(&r.actor)),
                Cell::text(if r.superseded {
                    "已被取代"
                } else {
                    "现行"
                }),
            ]
        })
        .collect();
    let table = Table {
        sheet: "审查记录".into(),
        columns,
        about: listing::about(
            "审查记录",
            l.describe_with(&REVIEW_FILTERS, |k, v| {
                (k == "current").then(|| if v == "1" { "是" } else { "否" }.to_string())
            }),
            &l.sort_label(&REVIEW_COLUMNS, "编号"),
            rows.len(),
        ),
        rows,
    };
    listing::xlsx_download(&table, "审查记录", "reviews")
}

/// `{reviews, total, page, pages, per_page}` of `GET /api/reviews`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewList {
    /// The records of the page, newest first unless sorted otherwise; a 矿山企业 account sees
    /// its own only.
    pub reviews: Vec<ReviewSummary>,
    /// Records matching the filters.
    pub total: u64,
    /// This page, from 1.
    pub page: u64,
    /// Pages.
    pub pages: u64,
    /// Records per page.
    pub per_page: u64,
}

/// `GET /api/reviews?q=&conclusion=&current=1&from=&to=&sort=&dir=&page=&per=`: the stored
/// reviews, a page at a time.
#[utoipa::path(get, path = "/api/reviews", tag = "审查记录",
    params(
        ("q" = Option<String>, Query, description = "申请编号、项目名称或申请人中的文字"),
        ("conclusion" = Option<String>, Query, description = "符合 | 基本符合（需人工核查） | 不符合"),
        ("current" = Option<String>, Query, description = "1：只列未被取代的记录"),
        ("from" = Option<String>, Query, format = Date, description = "审查日期起（北京时间，YYYY-MM-DD）"),
        ("to" = Option<String>, Query, format = Date, description = "审查日期止（北京时间，YYYY-MM-DD）"),
        ("sort" = Option<String>, Query, description = "id | number | project | holder | conclusion | reviewed_at（缺省 id 降序）"),
        ("dir" = Option<String>, Query, pattern = "^(asc|desc)$", description = "asc | desc"),
        ("page" = Option<u64>, Query, minimum = 1, maximum = 1000000000, description = "页码，从 1 起"),
        ("per" = Option<String>, Query, pattern = "^(20|50|100|200)$", description = "每页条数：20、50、100 或 200（缺省 50）"),
    ),
    responses(
        (status = 200, description = "一页审查记录；矿山企业只见本企业的记录", body = ReviewList),
        (status = 400, description = "日期、page、per 或 dir 有误", body = ApiError),
        (status = 422, description = "审查日期起晚于审查日期止（fields：from）", body = ApiError),
        (status = 401, description = "未登录", body = ApiError),
    ))]
pub async fn api_list(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewReviews>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<ReviewList>> {
    crate::http::listing::strict_paging(&q)?;
    for key in ["from", "to"] {
        if q.get(key).is_some_and(|v| v.is_empty()) {
            return Err(
                AppError::BadRequest(format!("{key} 应为日期（如 2026-12-06），不能为空")).into(),
            );
        }
    }
    let mut l = list_query(&q);
    let query = store_query(&l, &user)?;
    let (total, reviews) = page_rows(&st, &mut l, &query).await?;
    let p = l.pager(total, "/reviews/list.xlsx");
    Ok(Json(ReviewList {
        reviews,
        total,
        page: p.page,
        pages: p.pages,
        per_page: l.per,
    }))
}

/// A stored review the user may see, or 404 (another company's review is not shown to exist).
async fn record_for(st: &AppState, user: &User, id: &str) -> Result<ReviewRecord, AppError> {
    let n: i64 = id
        .parse()
        .map_err(|_| AppError::BadRequest(format!("审查记录编号应为整数，收到“{id}”")))?;
    let record = match st.store.review_record(n).await {
        Ok(r) => r,
        Err(StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
        Err(e) => return Err(e.into()),
    };
    if !may_see(user, Some(&record.summary.credit_code)) {
        return Err(AppError::NotFound(format!("没有编号为 {n} 的审查记录")));
    }
    Ok(record)
}

/// `GET /reviews/{id}/export?format=…`: the application (corners as entered) and its
/// conflicting parts as a layer file; only for those who may see the review.
pub async fn export(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewReviews>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let r = record_for(&st, &user, &id).await?;
    // A company gets its own review's conflicts with other parties' particulars redacted.
    let set = match (user.role, &user.credit_code) {
        (Role::Company, code) => minplan_store::ExportSet::ReviewForHolder(
            r.summary.id,
            code.clone().unwrap_or_default(),
        ),
        _ => minplan_store::ExportSet::Review(r.summary.id),
    };
    crate::http::download::layer_export(&st, set, &q).await
}

/// For a 矿山企业 account: the redaction of other parties' particulars in its own review
/// ([`minplan_domain::review::redact`]), built from the register snapshot the review was
/// made on; `None` for staff, who see everything.
///
/// # Errors
/// [`AppError`] (500) when the stored register snapshot cannot be read: nothing is shown
/// rather than another company's particulars
/// ([`minplan_store::ReviewRecord::redaction_for_holder`]).
fn company_redaction(
    user: &User,
    record: &ReviewRecord,
) -> Result<Option<minplan_domain::review::redact::Redaction>, AppError> {
    if user.role != Role::Company {
        return Ok(None);
    }
    Ok(Some(record.redaction_for_holder(
        user.credit_code.as_deref().unwrap_or(""),
    )?))
}

/// The reproducibility check as shown.
struct Reproduced {
    ok: bool,
    summary: String,
    differences: Vec<String>,
}

/// Everything the detail shows, gathered once for the page and the API.
struct Detail {
    record: ReviewRecord,
    history: Vec<ReviewSummary>,
    trail: Vec<AuditRow>,
    reproduced: Reproduced,
    plan: std::sync::Arc<minplan_store::StoredPlan>,
    /// The figure of the 审查意见书, drawn from the re-run review.
    figure: crate::http::mapview::FigureView,
}

async fn detail(st: &AppState, user: &User, id: &str) -> Result<Detail, AppError> {
    let mut record = record_for(st, user, id).await?;
    let redaction = company_redaction(user, &record)?;
    let number = record.summary.application_number.clone();
    let history = st.store.list_reviews(Some(&number)).await?;
    // The trail carries staff's internal notes (人工核查意见, who did what): not for the
    // applicant's own 矿山企业 account.
    let mut trail = Vec::new();
    if user.role != Role::Company {
        trail = st
            .store
            .audit_trail("review", &record.summary.id.to_string())
            .await?;
        trail.extend(st.store.audit_trail("application", &number).await?);
        trail.sort_by_key(|r| r.id);
    }
    let active = st.plan().await;
    let mut figure = crate::http::mapview::FigureView {
        error: "无法按存档输入重新审查，示意图未绘制（见上方可复现性核验）。".into(),
        ..Default::default()
    };
    let (reproduced, plan) = match st.store.replay_review(&record, Some(active.clone())).await {
        Ok(r) => (
            Reproduced {
                ok: r.matches(),
                summary: if r.matches() {
                    format!(
                        "按存档的申请文件与坐标、规划第 {} 版（{}）、所用图层版本、登记簿与名录快照和审查参数重新审查，结论和各条规则的结果与存档一致。",
                        r.plan.info.version, r.plan.info.name
                    )
                } else {
                    format!(
                        "按存档输入重新审查的结果与存档有 {} 处不同（见下列），请核查；不一致时不生成审查意见书。",
                        r.differences.len()
                    )
                },
                differences: r.differences.clone(),
            },
            {
                let mut review = r.review;
                if let Some(x) = &redaction {
                    x.review(&mut review);
                }
                figure = crate::http::mapview::review_figure(&review, &r.plan.loaded.plan);
                r.plan
            },
        ),
        Err(e) => (
            Reproduced {
                ok: false,
                summary: format!("无法按存档输入重新审查：{e}"),
                differences: vec![],
            },
            active,
        ),
    };
    let mut reproduced = reproduced;
    if let Some(x) = &redaction {
        x.json(&mut record.result);
        for d in &mut reproduced.differences {
            *d = x.text(d);
        }
    }
    Ok(Detail {
        record,
        history,
        trail,
        reproduced,
        plan,
        figure,
    })
}

/// A rule as the detail shows it.
struct RuleView {
    id: String,
    title: String,
    outcome: String,
    class: &'static str,
    severity: String,
    message: String,
    evidence: Vec<(String, String)>,
    cites: Vec<CiteView>,
    basis: String,
    conflicts: Vec<ConflictView>,
}

/// A conflicting part.
struct ConflictView {
    layer: String,
    feature: String,
    area: String,
    percent: String,
    class: String,
}

fn s(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    }
}

fn outcome_class(o: &str) -> &'static str {
    match o {
        "符合" => "pass",
        "不符合" => "fail",
        "需人工核查" => "manual",
        _ => "na",
    }
}

/// CSS class of a conclusion: 符合 pass, 基本符合（需人工核查） manual, 不符合 fail.
pub fn conclusion_class(c: &str) -> &'static str {
    if c.starts_with("基本符合") {
        "manual"
    } else {
        outcome_class(c)
    }
}

fn overlap_label(c: &str) -> String {
    match c {
        "Overlap" | "overlap" => "重叠".into(),
        "Sliver" | "sliver" => "细碎重叠".into(),
        "Touching" | "touching" => "相邻".into(),
        other => other.to_string(),
    }
}

fn rule_views(plan: &Plan, result: &Value) -> Vec<RuleView> {
    result["rules"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| RuleView {
            id: s(&r["id"]),
            title: s(&r["title"]),
            outcome: s(&r["outcome"]),
            class: outcome_class(r["outcome"].as_str().unwrap_or("")),
            severity: s(&r["severity"]),
            message: s(&r["message"]),
            evidence: r["evidence"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| (s(&e["label"]), s(&e["value"])))
                .collect(),
            cites: r["cites"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|c| c.as_str())
                .map(|c| match Citation::parse(c) {
                    Ok(cit) => cite_view(plan, &cit),
                    // A stored string this version cannot read: shown, never as verified.
                    Err(_) => CiteView {
                        label: format!("《规划》{c}（未核对）"),
                        href: String::new(),
                        excerpt: String::new(),
                        checked: false,
                    },
                })
                .collect(),
            basis: r["basis"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|b| b.as_str())
                .collect::<Vec<_>>()
                .join("；"),
            conflicts: r["conflicts"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|c| ConflictView {
                    layer: s(&c["layer"]),
                    feature: match c["feature_name"].as_str() {
                        Some(n) => format!("{} {n}", s(&c["feature_id"])),
                        None => s(&c["feature_id"]),
                    },
                    area: format!("{:.2}", c["area_m2"].as_f64().unwrap_or(0.0)),
                    percent: format!(
                        "{:.2}%",
                        c["percent_of_application"].as_f64().unwrap_or(0.0)
                    ),
                    class: overlap_label(c["class"].as_str().unwrap_or("")),
                })
                .collect(),
        })
        .collect()
}

/// The application and its conflicting parts as GeoJSON for the map.
fn review_features(result: &Value) -> (Value, Value) {
    let app = &result["application"];
    let application = collection(vec![feature(
        &result["application_geometry"],
        json!({
            "name": app["project_name"], "number": app["number"], "layer": "申请范围",
            "holder_name": app["holder_name"],
        }),
    )]);
    let mut conflicts = Vec::new();
    for r in result["rules"].as_array().into_iter().flatten() {
        for c in r["conflicts"].as_array().into_iter().flatten() {
            conflicts.push(feature(
                &c["geometry"],
                json!({
                    "rule": r["id"], "rule_title": r["title"], "outcome": r["outcome"],
                    "layer": c["layer"], "id": c["feature_id"], "name": c["feature_name"],
                    "area_m2": c["area_m2"], "percent": c["percent_of_application"],
                    "class": overlap_label(c["class"].as_str().unwrap_or("")),
                }),
            ));
        }
    }
    (application, collection(conflicts))
}

fn num_or_dash(v: &Value) -> String {
    v.as_f64()
        .map_or("—".into(), |x| format_number((x * 100.0).round() / 100.0))
}

#[derive(Template)]
#[template(path = "review.html")]
struct DetailPage {
    layout: Layout,
    summary: ReviewSummary,
    conclusion_class: &'static str,
    info: Vec<(String, String)>,
    rules: Vec<RuleView>,
    indicators: Vec<Vec<String>>,
    corners: Vec<Vec<String>>,
    notes: Vec<String>,
    history: Vec<ReviewSummary>,
    trail: Vec<TrailView>,
    reproduced: Reproduced,
    map: MapView,
    /// The 审查意见书's figure (same renderer).
    figure: crate::http::mapview::FigureView,
    other_plan: bool,
    /// For 系统管理员, 审批科: a link to the application's 登记办理 page.
    application_link: Option<String>,
    /// `/reviews/{id}/export`: the application and its conflicting parts as a layer file.
    export_base: String,
}

/// `GET /reviews/{id}`: a stored review in full.
pub async fn detail_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewReviews>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let d = detail(&st, &user, &id).await?;
    let people = People::load(&st.store).await?;
    let sp = st.plan().await;
    let result = &d.record.result;
    let app = &result["application"];
    let report = &app["corner_report"];
    let area = match (
        report["areas"]["km2"].as_f64(),
        report["areas"]["plane_m2"].as_f64(),
    ) {
        (Some(k), Some(p)) => {
            format!("椭球面积 {k:.4} km²（TD/T 1055-2019 附录D）；平面面积 {p:.2} m²（高斯投影）")
        }
        _ => "—".into(),
    };
    let capacity = match (
        app["capacity"]["value"].as_f64(),
        app["capacity"]["unit"].as_str(),
    ) {
        (Some(v), Some(u)) => format!("{} {u}", format_number(v)),
        _ => "—".into(),
    };
    let info = vec![
        ("申请编号".to_string(), s(&app["number"])),
        (
            "申请类型".into(),
            match app["change"].as_str() {
                Some(c) => format!("{}（{c}）", s(&app["kind"])),
                None => s(&app["kind"]),
            },
        ),
        ("矿业权类型".into(), s(&app["right_kind"])),
        ("项目名称".into(), s(&app["project_name"])),
        ("申请人".into(), s(&app["holder_name"])),
        ("统一社会信用代码".into(), s(&app["credit_code"])),
        (
            "矿种".into(),
            app["minerals"]
                .as_array()
                .map(|a| a.iter().map(s).collect::<Vec<_>>().join("、"))
                .unwrap_or_default(),
        ),
        ("开采方式".into(), s(&app["mining_method"])),
        ("设计生产规模".into(), capacity),
        ("出让方式".into(), s(&app["grant_method"])),
        ("面积".into(), area),
        ("审查依据的规划".into(), plan_version_line(&result["plan"])),
        (
            "审查时间（北京时间）".into(),
            words::beijing(&s(&result["reviewed_at"])),
        ),
        ("审查人".into(), people.actor(&d.record.summary.actor)),
    ];
    let indicators = result["indicators"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| {
            vec![
                format!("{}（{}）", s(&i["name"]), s(&i["unit"])),
                s(&i["target"]),
                num_or_dash(&i["before"]),
                num_or_dash(&i["after"]),
                match i["holds_after"].as_bool() {
                    Some(true) => "是".into(),
                    Some(false) => "否".into(),
                    // A value that leaves mines out (see the note).
                    None if i["after"].is_number() => "需人工核查".into(),
                    None => "—".into(),
                },
            ]
        })
        .collect();
    let mut corners = Vec::new();
    for b in report["blocks"].as_array().into_iter().flatten() {
        for r in b["rings"].as_array().into_iter().flatten() {
            for p in r["points"].as_array().into_iter().flatten() {
                corners.push(vec![
                    s(&b["name"]),
                    format!(
                        "{}{}",
                        r["name"].as_str().unwrap_or(""),
                        if r["role"] == "hole" {
                            "（内圈）"
                        } else {
                            ""
                        }
                    ),
                    s(&p["label"]),
                    s(&p["x_text"]),
                    s(&p["y_text"]),
                ]);
            }
        }
    }
    let (application, conflicts) = review_features(result);
    let engine = st.engine().await;
    let mut layers: Vec<Value> = review_layers(&engine, &user)
        .into_iter()
        .map(|mut l| {
            l["fit"] = json!(false);
            l
        })
        .collect();
    layers.push(inline_layer(
        "application",
        "申请范围",
        application,
        "application",
        true,
    ));
    layers.push(inline_layer(
        "conflicts",
        "冲突部分",
        conflicts,
        "conflict",
        false,
    ));
    let plan = &d.plan.loaded.plan;
    let page = DetailPage {
        layout: layout(&sp, "reviews"),
        conclusion_class: conclusion_class(&d.record.summary.conclusion),
        info,
        rules: rule_views(plan, result),
        indicators,
        corners,
        notes: result["notes"]
            .as_array()
            .into_iter()
            .flatten()
            .map(s)
            .collect(),
        history: d
            .history
            .into_iter()
            .map(|mut h| {
                h.actor = people.actor(&h.actor);
                h
            })
            .collect(),
        trail: people.trail(&d.trail),
        map: {
            let mut m = map_view(&st, plan, layers, Value::Null);
            m.fit = d.figure.fit.clone();
            m.title = format!("审查记录 #{} 申请范围", d.record.summary.id);
            m
        },
        figure: d.figure,
        other_plan: d.plan.info.id != sp.info.id,
        application_link: crate::http::auth::allowed(
            Some(user.role),
            crate::http::auth::Permission::ManageRegister,
        )
        .then(|| {
            format!(
                "/applications/{}",
                crate::rights::forms::segment(&d.record.summary.application_number)
            )
        }),
        reproduced: d.reproduced,
        export_base: format!("/reviews/{}/export", d.record.summary.id),
        summary: d.record.summary,
    };
    Ok(Html(page.render()?).into_response())
}

/// The stored inputs of a review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewInputs {
    /// The application file (`minplan-application/1`, TOML) as reviewed.
    pub application_toml: String,
    /// The corner file's name, when there was one.
    pub corner_file_name: Option<String>,
    /// The control-layer versions used.
    #[schema(value_type = Object)]
    pub layers: Value,
}

/// The check that a stored review reproduces from its stored inputs.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reproducible {
    /// Whether the re-run equals the record.
    pub matches: bool,
    /// The result in a Chinese sentence.
    pub summary: String,
    /// Each difference, named by JSON path.
    pub differences: Vec<String>,
}

/// A stored review with its history, trail and reproducibility check.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewDetail {
    /// The record.
    pub summary: ReviewSummary,
    /// The result as stored (as `minplan review --json` prints it).
    #[schema(value_type = Object)]
    pub review: Value,
    /// The stored inputs.
    pub inputs: ReviewInputs,
    /// Every review of the same application, newest first.
    pub history: Vec<ReviewSummary>,
    /// The audit rows of the review and its application (empty for the applicant's own
    /// 矿山企业 account).
    pub trail: Vec<AuditRow>,
    /// The reproducibility check.
    pub reproducible: Reproducible,
    /// The 审查意见书.
    pub docx_url: String,
}

/// `GET /api/reviews/{id}`: the stored review, its summary, the history of the application,
/// the audit trail and the reproducibility check.
#[utoipa::path(get, path = "/api/reviews/{id}", tag = "审查记录",
    params(("id" = i64, Path, description = "审查记录编号")),
    responses(
        (status = 200, description = "审查记录", body = ReviewDetail),
        (status = 400, description = "编号不是整数", body = ApiError),
        (status = 404, description = "没有该记录（或不是本企业的记录）", body = ApiError),
        (status = 401, description = "未登录", body = ApiError),
    ))]
pub async fn api_detail(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewReviews>,
    Path(id): Path<String>,
) -> ApiResult<Json<ReviewDetail>> {
    let d = detail(&st, &user, &id).await?;
    Ok(Json(ReviewDetail {
        summary: d.record.summary.clone(),
        review: d.record.result,
        inputs: ReviewInputs {
            application_toml: d.record.input_toml,
            corner_file_name: d.record.corner_file_name,
            layers: d.record.layers,
        },
        history: d.history,
        trail: d.trail,
        reproducible: Reproducible {
            matches: d.reproduced.ok,
            summary: d.reproduced.summary,
            differences: d.reproduced.differences,
        },
        docx_url: format!("/reviews/{}/docx", d.record.summary.id),
    }))
}

/// `GET /reviews/{id}/docx`: the Word 审查意见书, written from the review re-run from its
/// stored inputs; 409 when the re-run differs from the record.
#[utoipa::path(get, path = "/reviews/{id}/docx", tag = "审查记录",
    params(("id" = i64, Path, description = "审查记录编号")),
    responses(
        (status = 200, description = "审查意见书（.docx）", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 303, description = "未登录：转到登录页"),
        (status = 400, description = "编号不是整数（中文说明页）", content_type = "text/html"),
        (status = 404, description = "没有该记录（中文说明页）", content_type = "text/html"),
        (status = 409, description = "按存档输入重新审查的结果与存档不一致，不生成意见书（中文说明页）", content_type = "text/html"),
    ))]
pub async fn docx(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewReviews>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let record = record_for(&st, &user, &id).await?;
    let replay = st
        .store
        .replay_review(&record, Some(st.plan().await))
        .await?;
    if !replay.matches() {
        return Err(AppError::Http {
            status: StatusCode::CONFLICT,
            code: "replay_mismatch",
            message: format!(
                "审查记录 {} 按存档输入重新审查的结果与存档不一致（{}），不生成审查意见书；请在审查记录页查看差异。",
                record.summary.id,
                replay.differences.first().cloned().unwrap_or_default()
            ),
        });
    }
    let mut review = replay.review;
    if let Some(x) = company_redaction(&user, &record)? {
        x.review(&mut review);
    }
    let plan = replay.plan;
    // The 文号: given by the bureau's sequence the first time staff download the opinion,
    // the same ever after, with the issuer (bureau, signers, seal caption) frozen with it —
    // later 机关设置 never rewrite an issued opinion; a company sees the number once the
    // bureau has given one (until then, the settings in force and no number).
    let unit = plan.loaded.plan.region.name.clone();
    let issued = if user.role == minplan_store::Role::Company {
        st.store.issued_opinion(record.summary.id, &unit).await?
    } else {
        Some(
            st.store
                .issue_opinion(record.summary.id, &unit, &crate::http::auth::actor(&user))
                .await?,
        )
    };
    let opts = match &issued {
        Some(i) => crate::settings::issued_docx_options(i),
        None => crate::settings::docx_options(&st.store.effective_settings(&unit).await?, None),
    };
    let bytes = tokio::task::spawn_blocking(move || {
        minplan_report::review_docx(&review, &plan.loaded.plan, &opts)
    })
    .await
    .map_err(|e| AppError::Http {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        code: "internal",
        message: format!("生成审查意见书失败：{e}"),
    })?
    .map_err(|e| AppError::Http {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        code: "internal",
        message: e.to_string(),
    })?;
    let name = format!(
        "审查意见书-{}-{}.docx",
        record.summary.application_number, record.summary.id
    );
    Ok(crate::http::download::attachment(
        bytes,
        crate::http::download::DOCX,
        &name,
        &format!("review-{}.docx", record.summary.id),
    ))
}

/// The plan version a stored review names: name, number and — for reviews that record
/// it — kind, effective date, 文号 and the date it was chosen for.
fn plan_version_line(plan: &Value) -> String {
    let text = |v: &Value| match v {
        Value::String(t) => t.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    let mut line = format!("{}（第 {} 版", text(&plan["name"]), text(&plan["version"]));
    if plan.get("effective").is_some() {
        let basis = match &plan["basis_number"] {
            Value::String(n) => n.clone(),
            _ => "未载明".into(),
        };
        line.push_str(&format!(
            "，{}，{} 起施行，批准文号：{}；按 {} 施行的版本",
            text(&plan["version_kind"]),
            text(&plan["effective"]),
            basis,
            text(&plan["in_force_on"])
        ));
    }
    line.push('）');
    line
}

#[cfg(test)]
mod tests {
    use super::rule_views;
    use minplan_domain::bundle::load_bundle;
    use minplan_domain::plan::Plan;

    fn plan(with_text: bool) -> Plan {
        let mut files = minplan_store::default_bundle();
        if !with_text {
            let toml = String::from_utf8(files.get("plan.toml").unwrap().to_vec()).unwrap();
            files.insert("plan.toml", toml.replacen("text = \"text.txt\"\n", "", 1));
        }
        load_bundle(&files).unwrap().plan
    }

    /// A stored result's citations are shown verified only when the plan's text has them.
    #[test]
    fn stored_citations_are_marked_unchecked_without_the_text() {
        let result = serde_json::json!({
            "rules": [{ "id": "R6", "cites": ["五（一）", "五（一）（未核对）", "第二栏"] }]
        });
        let views = rule_views(&plan(false), &result);
        let cites = &views[0].cites;
        assert_eq!(cites[0].label, "《规划》五（一）（未核对）");
        assert!(!cites[0].checked && cites[0].href.is_empty() && cites[0].excerpt.is_empty());
        assert_eq!(cites[1].label, "《规划》五（一）（未核对）");
        assert_eq!(cites[2].label, "《规划》第二栏（未核对）");
        assert!(!cites[2].checked);

        let views = rule_views(&plan(true), &result);
        let cites = &views[0].cites;
        assert_eq!(cites[0].label, "《规划》五（一）");
        assert!(cites[0].checked && cites[0].href.starts_with("/text#L"));
        assert!(!cites[0].excerpt.is_empty());
        // Marked when stored: the mark stays.
        assert_eq!(cites[1].label, "《规划》五（一）（未核对）");
        assert!(!cites[1].checked);
    }
}
