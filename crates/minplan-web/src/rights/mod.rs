//! 矿业权: everything about one right lives here.
//!
//! - This module: the register as reviews read it — the rights and the applications under
//!   review (在审) — with a map; a right's page with its map, 登记事项 and audit trail; the
//!   import of rights from GeoJSON (系统管理员, 审批科; [`minplan_store::Store::import_rights`],
//!   audited), after which the review engine is rebuilt. Every logged-in account may look; a
//!   矿山企业 sees its own rights only. Pages `/rights`, `/rights/{id}`; API `/api/rights`
//!   (`?format=geojson` for maps), `/api/rights/{id}`.
//! - [`forms`]: the lifecycle forms on a right's page (延续, 变更, 转让, 抵押, 闭坑, 注销).
//! - [`applications`]: 登记办理 of a reviewed application (决定, 出让, 登记).
//! - [`api`]: the same lifecycle as JSON.

pub mod api;
pub mod applications;
pub mod forms;

use crate::AppState;
use crate::http::auth::{Permission, actor, allowed, may_see, own_credit_code, policy};
use crate::http::error::{ApiError, ApiResult, AppError};
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, SubmittedForm, json_body};
use crate::http::listing::{self, ListQuery, Pager, SortHeader};
use crate::http::mapview::{
    MapView, collection, feature, inline_layer, map_view, plan_layers, url_layer,
};
use crate::http::views::{Layout, layout};
use crate::plan::api::GeoJson;
use crate::rights::forms::{Submitted, done_notice, segment};
use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minplan_store::{ApplicationRecord, RightRecord, RightsImport, StoreError, User};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;
use utoipa::ToSchema;

/// The routes of 矿业权.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/rights", get(list_page).post(import_submit))
        .route("/rights/export", get(export))
        .route("/rights/list.xlsx", get(list_xlsx))
        .route("/rights/{id}", get(detail_page))
        .route("/rights/{id}/extend", post(forms::extend_submit))
        .route("/rights/{id}/change", post(forms::change_submit))
        .route("/rights/{id}/transfer", post(forms::transfer_submit))
        .route("/rights/{id}/mortgage", post(forms::mortgage_submit))
        .route(
            "/rights/{id}/release-mortgage",
            post(forms::release_mortgage_submit),
        )
        .route(
            "/rights/{id}/closure-report",
            post(forms::closure_report_submit),
        )
        .route("/rights/{id}/close", post(forms::close_submit))
        .route("/rights/{id}/cancel", post(forms::cancel_submit))
        .route("/applications", get(applications::list_page))
        .route("/applications/list.xlsx", get(applications::list_xlsx))
        .route("/applications/{id}", get(applications::application_page))
        .route(
            "/applications/{id}/decision",
            post(applications::decision_submit),
        )
        .route(
            "/applications/{id}/close",
            post(applications::closing_submit),
        )
        .route("/applications/{id}/grant", post(applications::grant_submit))
        .route(
            "/applications/{id}/register",
            post(applications::register_submit),
        )
        .route("/api/rights", get(api_list).post(api_import))
        .route("/api/rights/{id}", get(api_detail))
        .route("/api/rights/{id}/history", get(api::history))
        .route("/api/rights/{id}/extend", post(api::extend))
        .route("/api/rights/{id}/transfer", post(api::transfer))
        .route("/api/rights/{id}/closure-report", post(api::closure_report))
        .route("/api/rights/{id}/close", post(api::close))
        .route("/api/rights/{id}/cancel", post(api::cancel))
        .route("/api/applications/{id}/decision", post(api::decide))
        .route("/api/applications/{id}/close", post(api::close_application))
        .route("/api/applications/{id}/grant", post(api::grant))
        .route("/api/applications/{id}/register", post(api::register))
}

/// The applications under review (在审) `user` may see.
async fn visible_pending(st: &AppState, user: &User) -> Result<Vec<ApplicationRecord>, AppError> {
    Ok(st
        .store
        .application_records_in(minplan_domain::register::ApplicationStatus::Pending.label())
        .await?
        .into_iter()
        .filter(|a| may_see(user, Some(&a.credit_code)))
        .collect())
}

/// The page of the 矿业权 list `l` asks for (clamped to the last page), and the total.
async fn right_rows(
    st: &AppState,
    l: &mut ListQuery,
    query: &minplan_store::RightQuery,
) -> Result<(u64, Vec<RightRecord>), AppError> {
    let (total, rows) = st.store.rights_page(query, Some(l.window())).await?;
    let page = l.page;
    l.clamp(total);
    if l.page != page {
        return Ok(st.store.rights_page(query, Some(l.window())).await?);
    }
    Ok((total, rows))
}

fn capacity(r: &RightRecord) -> String {
    match (r.capacity, &r.capacity_unit) {
        (Some(v), Some(u)) => format!("{} {u}", crate::http::views::num(v)),
        _ => "—".into(),
    }
}

fn right_feature(r: &RightRecord) -> Value {
    feature(
        &json!(r.geometry),
        json!({
            "id": r.id, "name": r.name, "holder_name": r.holder_name, "kind": r.kind,
            "status": r.status, "minerals": r.minerals, "capacity": capacity(r),
            "valid_to": r.valid_to, "layer": "矿业权",
        }),
    )
}

fn pending_feature(a: &ApplicationRecord) -> Value {
    feature(
        &json!(a.geometry),
        json!({
            "id": a.number, "name": a.project_name, "holder_name": a.holder_name,
            "kind": a.right_kind, "status": "在审", "minerals": a.minerals,
            "conclusion": a.conclusion, "layer": "在审申请",
        }),
    )
}

/// The register as GeoJSON (rights and pending applications).
fn register_geojson(rights: &[RightRecord], pending: &[ApplicationRecord]) -> Value {
    collection(
        rights
            .iter()
            .map(right_feature)
            .chain(pending.iter().map(pending_feature))
            .collect(),
    )
}

/// The filters of the 矿业权 list, with their labels (for the 说明 sheet of an export).
const RIGHT_FILTERS: [(&str, &str); 7] = [
    ("q", "查找"),
    ("kind", "矿业权类型"),
    ("status", "状态"),
    ("mineral", "矿种"),
    ("approval", "审批级别"),
    ("mining_method", "开采方式"),
    ("sub_unit", "所在县区"),
];

/// The sortable columns of the 矿业权 list: (key, label, class).
const RIGHT_COLUMNS: [(&str, &str, &str); 8] = [
    ("id", "许可证号", ""),
    ("name", "名称", ""),
    ("holder", "矿业权人", ""),
    ("kind", "类型", ""),
    ("status", "状态", ""),
    ("minerals", "矿种", ""),
    ("capacity", "生产规模", "num"),
    ("valid_to", "有效期", ""),
];

/// The 矿业权 list's query from the URL (default order: 许可证号).
fn right_list_query(q: &HashMap<String, String>) -> ListQuery {
    let keys: Vec<&'static str> = RIGHT_FILTERS.iter().map(|(k, _)| *k).collect();
    ListQuery::parse("/rights", q, &keys, "id", false)
}

/// The store's query for `l`, restricted to `user`'s own rights for a 矿山企业.
fn right_query(l: &ListQuery, user: &User) -> minplan_store::RightQuery {
    minplan_store::RightQuery {
        q: l.get("q").into(),
        kind: l.get("kind").into(),
        status: l.get("status").into(),
        mineral: l.get("mineral").into(),
        approval: l.get("approval").into(),
        mining_method: l.get("mining_method").into(),
        sub_unit: l.get("sub_unit").into(),
        credit_code: own_credit_code(user).map(str::to_string),
        sort: l.sort.clone(),
        desc: l.desc,
    }
}

/// One filter select: (name, label, options, chosen).
pub struct FilterSelect {
    name: &'static str,
    label: &'static str,
    options: Vec<String>,
    chosen: String,
}

/// Pending and approved applications shown on the register page (the full list is
/// `/applications`).
const APPLICATIONS_SHOWN: usize = 10;

#[derive(Template)]
#[template(path = "rights.html")]
struct ListPage {
    layout: Layout,
    rights: Vec<(RightRecord, String)>,
    headers: Vec<SortHeader>,
    pager: Pager,
    search: String,
    selects: Vec<FilterSelect>,
    filtered: bool,
    pending: Vec<ApplicationRecord>,
    pending_total: u64,
    /// For staff: approved applications not yet registered (登记 on their page).
    approved: Vec<ApplicationRecord>,
    map: MapView,
    can_import: bool,
    own_only: bool,
    errors: FieldErrors,
    result: Option<RightsImport>,
}

async fn render_list(
    st: &AppState,
    user: &User,
    q: &HashMap<String, String>,
    status: StatusCode,
    errors: FieldErrors,
    result: Option<RightsImport>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let plan = &sp.loaded.plan;
    let mut l = right_list_query(q);
    let query = right_query(&l, user);
    let (total, rights) = right_rows(st, &mut l, &query).await?;
    let own = own_credit_code(user);
    let (pending_total, pending) = st
        .store
        .applications_page(
            &minplan_store::ApplicationQuery {
                status: "在审".into(),
                credit_code: own.map(str::to_string),
                ..Default::default()
            },
            Some(minplan_store::Window {
                offset: 0,
                limit: APPLICATIONS_SHOWN as u64,
            }),
        )
        .await?;
    let can_import = allowed(Some(user.role), Permission::ManageRegister);
    let mut approved = Vec::new();
    if can_import {
        let label = minplan_domain::register::ApplicationStatus::Approved.label();
        for a in st.store.application_records_in(label).await? {
            if a.status == "已批准"
                && st
                    .store
                    .application_facts(&a.number)
                    .await
                    .is_ok_and(|f| f.used_for.is_none())
            {
                approved.push(a);
            }
        }
    }
    let facets = st.store.right_facets(own).await?;
    let select = |name, label, options: Vec<String>| FilterSelect {
        name,
        label,
        chosen: l.get(name).to_string(),
        options,
    };
    let selects = vec![
        select(
            "kind",
            "矿业权类型",
            vec!["探矿权".to_string(), "采矿权".to_string()],
        ),
        select("status", "状态", facets.statuses),
        select("mineral", "矿种", facets.minerals),
        select("approval", "审批级别", facets.approvals),
        select("mining_method", "开采方式", facets.mining_methods),
        select("sub_unit", "所在县区", facets.sub_units),
    ];
    // The map shows the rights as filtered (every page), loaded by the map script.
    let mut layers = plan_layers(plan);
    let geo = l.export_href("/api/rights");
    let geo = if geo.contains('?') {
        format!("{geo}&format=geojson")
    } else {
        format!("{geo}?format=geojson")
    };
    layers.push(url_layer("register", "矿业权与在审申请", &geo, "rights"));
    let page = ListPage {
        layout: layout(&sp, "rights"),
        rights: rights
            .into_iter()
            .map(|r| {
                let c = capacity(&r);
                (r, c)
            })
            .collect(),
        headers: l.headers(&RIGHT_COLUMNS),
        pager: l.pager(total, "/rights/list.xlsx"),
        search: l.get("q").to_string(),
        selects,
        filtered: l.filtered(),
        pending,
        pending_total,
        approved,
        map: map_view(st, plan, layers, Value::Null),
        can_import,
        own_only: own.is_some(),
        errors,
        result,
    };
    Ok((status, Html(page.render()?).into_response()).into_response())
}

/// `GET /rights?q=&kind=&status=&mineral=&approval=&mining_method=&sub_unit=&sort=&dir=&page=&per=`:
/// the register, searched, filtered, sorted and paged, with a map of the rights as filtered
/// and, for 系统管理员 and 审批科, the import form.
pub async fn list_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRegister>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    render_list(&st, &user, &q, StatusCode::OK, FieldErrors::default(), None).await
}

/// `GET /rights/list.xlsx?…`: every right of the list as filtered and sorted (the same query
/// as `/rights`), as an Excel table — Chinese headers, 生产规模 a number, dates as dates, no
/// machine ids. A 矿山企业 gets its own rights.
pub async fn list_xlsx(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRegister>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    use minplan_report::{Cell, Column, Table};
    let l = right_list_query(&q);
    let (_, rights) = st.store.rights_page(&right_query(&l, &user), None).await?;
    let columns = vec![
        Column::new("许可证号", 22.0),
        Column::new("矿业权类型", 10.0),
        Column::new("状态", 8.0),
        Column::new("矿山（项目）名称", 30.0),
        Column::new("矿业权人", 30.0),
        Column::new("统一社会信用代码", 22.0),
        Column::new("矿种", 18.0),
        Column::new("生产规模", 10.0),
        Column::new("规模单位", 12.0),
        Column::new("审批级别", 10.0),
        Column::new("有效期起", 14.0),
        Column::new("有效期止", 14.0),
    ];
    let rows: Vec<Vec<Cell>> = rights
        .iter()
        .map(|r| {
            vec![
                Cell::text(&r.id),
                Cell::text(&r.kind),
                Cell::text(&r.status),
                Cell::text(&r.name),
                Cell::text(&r.holder_name),
                Cell::text(r.credit_code.clone().unwrap_or_default()),
                Cell::text(r.minerals.join("、")),
                Cell::number(r.capacity),
                Cell::text(r.capacity_unit.clone().unwrap_or_default()),
                Cell::text(r.approval.clone().unwrap_or_default()),
                Cell::date_text(r.valid_from.as_deref()),
                Cell::date_text(r.valid_to.as_deref()),
            ]
        })
        .collect();
    let table = Table {
        sheet: "矿业权".into(),
        columns,
        about: listing::about(
            "矿业权登记簿",
            l.describe(&RIGHT_FILTERS),
            &l.sort_label(&RIGHT_COLUMNS, "许可证号"),
            rows.len(),
        ),
        rows,
    };
    listing::xlsx_download(&table, "矿业权", "rights")
}

/// `GET /rights/export?format=shp|gpkg|kml|dxf|xlsx|geojson`: the register as a layer file
/// (staff only: a 矿山企业 account sees only its own rights and exports none).
pub async fn export(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRegister>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    if crate::http::auth::own_credit_code(&user).is_some() {
        return Err(AppError::Forbidden(
            "无权导出登记簿：矿山企业账号只能查看本企业的矿业权".into(),
        ));
    }
    crate::http::download::layer_export(&st, minplan_store::ExportSet::Rights, &q).await
}

/// Imports rights from GeoJSON text; inner `Err` for the user's mistakes.
async fn import(
    st: &AppState,
    user: &User,
    text: &str,
    file_name: &str,
) -> Result<Result<RightsImport, FieldErrors>, AppError> {
    let mut errors = FieldErrors::default();
    if text.trim().is_empty() {
        errors.push("file", "请选择要导入的 GeoJSON 文件（文件不能为空）");
        return Ok(Err(errors));
    }
    let zone = st.plan().await.loaded.plan.region.zone;
    // The file is read and checked before the write lock (issue 19).
    let parsed = match st.store.parse_rights(text, file_name, zone).await {
        Ok(p) => p,
        Err(StoreError::BadInput(m)) => {
            errors.push("file", format!("{m}；未导入"));
            return Ok(Err(errors));
        }
        Err(e) => return Err(e.into()),
    };
    let _guard = st.write_lock().await;
    match st
        .store
        .import_parsed_rights(parsed, file_name, zone, &actor(user))
        .await
    {
        Ok(r) => {
            st.rebuild_engine().await?;
            Ok(Ok(r))
        }
        Err(StoreError::BadInput(m)) => {
            errors.push("file", format!("{m}；未导入"));
            Ok(Err(errors))
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /rights` (multipart, file `file`): imports rights and shows what was imported and
/// which features were left out, and why.
pub async fn import_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = SubmittedForm::read(&headers, body).await;
    let mut errors = FieldErrors::default();
    if let Some(p) = &f.problem {
        errors.push("file", p.clone());
    }
    let file = f.file("file");
    let lower = file.map(|u| u.file_name.to_lowercase()).unwrap_or_default();
    let text = match file.map(|u| std::str::from_utf8(&u.bytes)) {
        _ if [
            ".zip", ".shp", ".gpkg", ".kml", ".kmz", ".xlsx", ".xls", ".csv",
        ]
        .iter()
        .any(|x| lower.ends_with(x)) =>
        {
            errors.push(
                "file",
                "Shapefile（zip）、GeoPackage、KML 登记簿和 XLSX/CSV 登记表请在“批量导入”页面导入（逐行检查，先检查后导入）；这里导入 GeoJSON",
            );
            ""
        }
        Some(Ok(t)) => t,
        Some(Err(_)) => {
            errors.push("file", "GeoJSON 文件应为 UTF-8 编码（RFC 7946）");
            ""
        }
        None => {
            if errors.is_empty() {
                errors.push("file", "请选择要导入的 GeoJSON 文件");
            }
            ""
        }
    };
    if !errors.is_empty() {
        return render_list(
            &st,
            &user,
            &HashMap::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            None,
        )
        .await;
    }
    let name = file.map_or("upload.geojson", |u| u.file_name.as_str());
    match import(&st, &user, text, name).await? {
        Ok(r) => {
            let q = HashMap::new();
            render_list(
                &st,
                &user,
                &q,
                StatusCode::OK,
                FieldErrors::default(),
                Some(r),
            )
            .await
        }
        Err(e) => {
            let q = HashMap::new();
            render_list(&st, &user, &q, StatusCode::UNPROCESSABLE_ENTITY, e, None).await
        }
    }
}

async fn right_for(st: &AppState, user: &User, id: &str) -> Result<RightRecord, AppError> {
    let r = match st.store.right_record(id).await {
        Ok(r) => r,
        Err(StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
        Err(e) => return Err(e.into()),
    };
    if !may_see(user, r.credit_code.as_deref()) {
        return Err(AppError::NotFound(format!("登记簿中没有矿业权“{id}”")));
    }
    Ok(r)
}

/// A right's lifecycle as its page shows it to staff: the events and which forms apply.
struct Lifecycle {
    /// (日期, 事项, 内容, 办理人, 记录时间).
    events: Vec<[String; 5]>,
    /// 系统管理员, 审批科: 延续, 变更, 转让, 抵押, 注销.
    manage: bool,
    /// Also 生态修复: 闭坑报告, 闭坑验收.
    closure: bool,
    /// Still 有效 (not 已注销 or 闭坑): the forms apply.
    valid: bool,
    /// Its standing (有效, 已注销, 闭坑).
    standing: &'static str,
    /// A mining right (闭坑 applies).
    mining: bool,
    /// The mortgage on it, described.
    mortgage: Option<String>,
    /// The closure report on file, described.
    closure_report: Option<String>,
    /// 有效期止, or "".
    valid_to: String,
}

fn event_text(e: &minplan_domain::register::RightEvent) -> String {
    let d = &e.detail;
    let s = |k: &str| d[k].as_str().map(str::to_string);
    let mut parts = Vec::new();
    if let Some(a) = s("application") {
        parts.push(format!("申请 {a}"));
    }
    match e.kind {
        minplan_domain::register::EventKind::Extend => {
            if let Some(t) = s("valid_to") {
                parts.push(format!("有效期止 {t}"));
            }
        }
        minplan_domain::register::EventKind::Transfer => {
            if let (Some(f), Some(t)) = (s("from"), s("to")) {
                parts.push(format!("{f} → {t}"));
            }
        }
        minplan_domain::register::EventKind::Mortgage => {
            if let Some(m) = s("mortgagee") {
                parts.push(format!(
                    "抵押权人 {m}，{} 万元，至 {}",
                    d["amount_wan_yuan"],
                    s("until").unwrap_or_default()
                ));
            }
        }
        minplan_domain::register::EventKind::ClosureReport => {
            if let Some(t) = s("title") {
                parts.push(t);
            }
        }
        minplan_domain::register::EventKind::Close => {
            if let (Some(b), Some(doc)) = (s("accepted_by"), s("document")) {
                parts.push(format!("{b} 验收，{doc}"));
            }
        }
        minplan_domain::register::EventKind::Import => {
            if let Some(src) = s("source").filter(|x| !x.is_empty()) {
                parts.push(format!("来源 {src}"));
            }
        }
        _ => {}
    }
    if let Some(r) = s("reason").filter(|x| !x.is_empty()) {
        parts.push(format!("原因：{r}"));
    }
    let st = &e.state;
    parts.push(format!(
        "此后：{}，{}，有效期 {}～{}",
        st.standing.label(),
        st.holder_name,
        st.valid_from.map(|x| x.to_string()).unwrap_or_default(),
        st.valid_to.map(|x| x.to_string()).unwrap_or_default()
    ));
    parts.join("；")
}

async fn lifecycle(st: &AppState, user: &User, id: &str) -> Result<Option<Lifecycle>, AppError> {
    let manage = allowed(Some(user.role), Permission::ManageRegister);
    let closure = allowed(Some(user.role), Permission::AcceptClosure);
    if !manage && !closure {
        return Ok(None);
    }
    let h = st.store.right_history(id).await?;
    let people = crate::http::words::People::load(&st.store).await?;
    let cur = h.current();
    Ok(Some(Lifecycle {
        events: h
            .events
            .iter()
            .map(|e| {
                [
                    e.date.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
                    e.kind.label().to_string(),
                    event_text(e),
                    people.actor(&e.actor),
                    e.recorded_at.clone(),
                ]
            })
            .collect(),
        manage,
        closure,
        valid: cur.standing == minplan_domain::register::Standing::Valid,
        standing: cur.standing.label(),
        mining: cur.kind == minplan_domain::application::RightKind::Mining,
        mortgage: cur.mortgage.as_ref().map(|m| {
            format!(
                "{}，{} 万元，{}～{}",
                m.mortgagee,
                crate::http::views::num(m.amount_wan_yuan),
                m.from,
                m.until
            )
        }),
        closure_report: cur
            .closure_report
            .as_ref()
            .map(|r| format!("{}（{}）", r.title, r.date)),
        valid_to: cur.valid_to.map(|d| d.to_string()).unwrap_or_default(),
    }))
}

#[derive(Template)]
#[template(path = "right.html")]
struct DetailPage {
    layout: Layout,
    r: RightRecord,
    enc: String,
    capacity: String,
    minerals: String,
    trail: Vec<crate::http::words::TrailView>,
    map: MapView,
    life: Option<Lifecycle>,
    /// The mine's 证照 (module `licences`).
    licences: crate::licences::Section,
    f: Submitted,
    notice: String,
}

/// 404 unless the right exists and `user` may see it.
pub(crate) async fn right_exists(st: &AppState, user: &User, id: &str) -> Result<(), AppError> {
    right_for(st, user, id).await.map(|_| ())
}

/// The detail page of a right, with `f` (a refused form) shown again and `notice` above.
pub(crate) async fn render_detail(
    st: &AppState,
    user: &User,
    id: &str,
    status: StatusCode,
    f: Submitted,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let r = right_for(st, user, id).await?;
    let sp = st.plan().await;
    let plan = &sp.loaded.plan;
    let mut layers: Vec<Value> = plan_layers(plan)
        .into_iter()
        .map(|mut l| {
            l["fit"] = json!(false);
            l
        })
        .collect();
    layers.push(inline_layer(
        "right",
        &format!("矿业权 {}", r.id),
        collection(vec![right_feature(&r)]),
        "application",
        true,
    ));
    let people = crate::http::words::People::load(&st.store).await?;
    let trail = people.trail(&st.store.audit_trail("right", &r.id).await?);
    let mut f = f;
    f.prefill = forms::right_prefill(st, &r.id).await?;
    let page = DetailPage {
        layout: layout(&sp, "rights"),
        enc: segment(&r.id),
        capacity: capacity(&r),
        minerals: r.minerals.join("、"),
        trail,
        map: map_view(st, plan, layers, Value::Null),
        life: lifecycle(st, user, &r.id).await?,
        licences: crate::licences::section(st, user, &r.id).await?,
        f,
        notice: notice.unwrap_or_default(),
        r,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /rights/{id}`: one right with its map and audit trail; for 系统管理员 and 审批科 (闭坑:
/// also 生态修复) its 登记事项 and the forms of the steps that apply (`?done=…`: the notice
/// after one).
pub async fn detail_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRegister>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = q.get("done").and_then(|d| done_notice(d));
    render_detail(
        &st,
        &user,
        &id,
        StatusCode::OK,
        Submitted::default(),
        notice,
    )
    .await
}

/// `{rights, pending, total, page, pages, per_page}` of `GET /api/rights`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegisterView {
    /// The rights of the page asked for, filtered and sorted as asked.
    pub rights: Vec<RightRecord>,
    /// The applications under review (pending ones take part in reviews).
    pub pending: Vec<ApplicationRecord>,
    /// Rights matching the filters.
    pub total: u64,
    /// This page, from 1.
    pub page: u64,
    /// Pages.
    pub pages: u64,
    /// Rights per page.
    pub per_page: u64,
}

/// The answer of `GET /api/rights`: a page of the register, or (`?format=geojson`) one
/// FeatureCollection of the rights as filtered (every page) and the pending applications.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum RegisterAnswer {
    /// `{rights, pending, total, page, pages, per_page}`.
    Lists(RegisterView),
    /// The GeoJSON FeatureCollection.
    Features(GeoJson),
}

/// `{right, trail}` of `GET /api/rights/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RightDetail {
    /// The right.
    pub right: RightRecord,
    /// Its audit rows.
    pub trail: Vec<minplan_store::AuditRow>,
}

/// `GET /api/rights`: a page of the register, searched, filtered and sorted as `/rights`;
/// `?format=geojson`: one FeatureCollection of the rights as filtered and the pending
/// applications.
#[utoipa::path(get, path = "/api/rights", tag = "矿业权",
    params(
        ("format" = Option<String>, Query, description = "geojson：返回符合条件的矿业权（不分页）与在审申请的要素集合"),
        ("q" = Option<String>, Query, description = "许可证号、名称、矿业权人、统一社会信用代码或矿种中的文字"),
        ("kind" = Option<String>, Query, description = "探矿权 | 采矿权"),
        ("status" = Option<String>, Query, description = "状态，如 有效"),
        ("mineral" = Option<String>, Query, description = "矿种（其中之一）"),
        ("approval" = Option<String>, Query, description = "审批级别"),
        ("mining_method" = Option<String>, Query, description = "开采方式"),
        ("sub_unit" = Option<String>, Query, description = "所在县区"),
        ("sort" = Option<String>, Query, description = "id | name | holder | kind | status | minerals | capacity | valid_to（缺省 id）"),
        ("dir" = Option<String>, Query, pattern = "^(asc|desc)$", description = "asc | desc"),
        ("page" = Option<u64>, Query, minimum = 1, maximum = 1000000000, description = "页码，从 1 起"),
        ("per" = Option<String>, Query, pattern = "^(20|50|100|200)$", description = "每页条数：20、50、100 或 200（缺省 50）"),
    ),
    responses(
        (status = 200, description = "一页矿业权与在审申请，或 GeoJSON FeatureCollection；矿山企业只见本企业的", body = RegisterAnswer),
        (status = 400, description = "page、per 或 dir 有误", body = ApiError),
        (status = 401, description = "未登录", body = ApiError),
    ))]
pub async fn api_list(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRegister>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<RegisterAnswer>> {
    crate::http::listing::strict_paging(&q)?;
    let mut l = right_list_query(&q);
    let query = right_query(&l, &user);
    let pending = visible_pending(&st, &user).await?;
    if q.get("format").is_some_and(|f| f == "geojson") {
        let (_, rights) = st.store.rights_page(&query, None).await?;
        return Ok(Json(RegisterAnswer::Features(GeoJson(register_geojson(
            &rights, &pending,
        )))));
    }
    let (total, rights) = right_rows(&st, &mut l, &query).await?;
    let p = l.pager(total, "/rights/list.xlsx");
    Ok(Json(RegisterAnswer::Lists(RegisterView {
        rights,
        pending,
        total,
        page: p.page,
        pages: p.pages,
        per_page: l.per,
    })))
}

/// `GET /api/rights/{id}`: the right and its audit rows.
#[utoipa::path(get, path = "/api/rights/{id}", tag = "矿业权",
    params(("id" = String, Path, description = "许可证号")),
    responses(
        (status = 200, description = "矿业权及其操作日志", body = RightDetail),
        (status = 401, description = "未登录", body = ApiError),
        (status = 404, description = "登记簿中没有（或不是本企业的）", body = ApiError),
    ))]
pub async fn api_detail(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRegister>,
    Path(id): Path<String>,
) -> ApiResult<Json<RightDetail>> {
    let r = right_for(&st, &user, &id).await?;
    let trail = st.store.audit_trail("right", &r.id).await?;
    Ok(Json(RightDetail { right: r, trail }))
}

/// Body of `POST /api/rights`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RightsImportRequest {
    /// GeoJSON FeatureCollection (object or text); properties as `minplan right import`
    /// reads them (`id`, `kind`, `status`, `name`, `holder_name`, `credit_code`, `minerals`,
    /// `capacity`, `capacity_unit`, `approval`, `valid_from`, `valid_to`).
    #[schema(value_type = Object)]
    pub geojson: Value,
    /// File name, recorded (default `upload.geojson`).
    #[serde(default)]
    pub file_name: Option<String>,
}

/// `POST /api/rights`: imports rights from GeoJSON; 201 with the count and the features
/// left out.
#[utoipa::path(post, path = "/api/rights", tag = "矿业权",
    request_body = RightsImportRequest,
    responses(
        (status = 201, description = "已导入的数量与未导入的要素及原因", body = minplan_store::RightsImport),
        (status = 400, description = "请求格式错误", body = ApiError),
        (status = 422, description = "无法导入", body = ApiError),
        (status = 403, description = "无权（需系统管理员或审批科）或缺少 CSRF 令牌", body = ApiError),
    ))]
pub async fn api_import(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<minplan_store::RightsImport>)> {
    let req: RightsImportRequest = json_body(&body)?;
    let text = match &req.geojson {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    };
    let name = req.file_name.as_deref().unwrap_or("upload.geojson");
    let r = import(&st, &user, &text, name)
        .await?
        .map_err(AppError::from)?;
    Ok((StatusCode::CREATED, Json(r)))
}
