//! 生态修复 (《规划》一（一）5–6, 六（二）4, 专栏1): the landing page `/restoration` (the figures
//! against the plan's baseline), the 历史遗留矿山 inventory (list, add with corner coordinates
//! in any layout the corner reader knows, page with status steps and photos), the 修复项目
//! (list, add with funding by source and sites, page with acceptance), and the map
//! `/restoration/map` with its GeoJSON `/api/restoration/map` (示意 entries marked).
//! 生态修复 and 系统管理员 write ([`policy::ManageRestoration`]); staff read
//! ([`policy::ViewRestoration`]).

pub mod documents;
pub mod legacy_file;

use crate::AppState;
use crate::http::auth::{Permission, actor, allowed, policy};
use crate::http::error::{ApiError, AppError};
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, SubmittedForm};
use crate::http::mapview::{self, MapView};
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::application::{CornerOptionsInput, corner_parse_options};
use minplan_domain::date::Date;
use minplan_domain::restoration::figures::Reading;
use minplan_domain::restoration::legacy::{
    Acceptance, Direction, Finding, FoundProblem, LegacyMine, Method, Status, check_stated_area_of,
    read_geometry,
};
use minplan_domain::restoration::projects::{FundingLine, FundingSource, RestorationProject, Site};
use minplan_store::{LegacyMineRecord, ProjectRecord, StoreError, User};
use serde_json::{Value, json};
use std::collections::HashMap;

/// The routes.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/restoration", get(landing))
        .route("/restoration/legacy", get(legacy_list).post(legacy_add))
        .route("/restoration/legacy/{id}", get(legacy_page))
        .route("/restoration/legacy/{id}/status", post(legacy_status))
        .route("/restoration/legacy/{id}/photos", post(legacy_photo_add))
        .route(
            "/restoration/legacy/{id}/photos/{file}",
            get(legacy_photo_download),
        )
        .route("/restoration/projects", get(project_list).post(project_add))
        .route("/restoration/projects/{id}", get(project_page))
        .route("/restoration/projects/{id}/accept", post(project_accept))
        .route("/restoration/map", get(map_page))
        .route("/api/restoration/map", get(api_map))
        .route("/restoration/ledger.xlsx", get(documents::ledger_xlsx))
        .route("/restoration/report.docx", get(documents::report_docx))
}

/// A refused form shown again: which form, the values typed, the problems.
#[derive(Default)]
pub struct Echo {
    /// The refused form (`add`, `status`, `photo`, `accept`), or "".
    pub refused: String,
    /// The values typed.
    pub values: HashMap<String, String>,
    /// The problems.
    pub errors: FieldErrors,
}

impl Echo {
    fn of(action: &str, form: &SubmittedForm, names: &[&str], errors: FieldErrors) -> Echo {
        Echo {
            refused: action.into(),
            values: names
                .iter()
                .map(|n| (n.to_string(), form.get(n).to_string()))
                .collect(),
            errors,
        }
    }

    /// The message of `field` when form `action` was refused, else "".
    pub fn err(&self, action: &str, field: &str) -> &str {
        if self.refused == action {
            self.errors.get(field)
        } else {
            ""
        }
    }

    /// The value typed into `field` of the refused form `action`, else "".
    pub fn val(&self, action: &str, field: &str) -> &str {
        if self.refused == action {
            self.values.get(field).map_or("", String::as_str)
        } else {
            ""
        }
    }

    /// Problems of form `action` not shown at a field.
    pub fn others(&self, action: &str) -> Vec<String> {
        if self.refused != action {
            return vec![];
        }
        let shown: Vec<&str> = self.values.keys().map(String::as_str).collect();
        self.errors.others(&shown)
    }
}

fn fmt_reading_u32(r: &Reading<u32>) -> String {
    match r {
        Reading::Value(v) => v.to_string(),
        Reading::Missing(m) => m.clone(),
    }
}

fn fmt_reading_f64(r: &Reading<f64>, decimals: usize) -> String {
    match r {
        Reading::Value(v) => format!("{v:.decimals$}"),
        Reading::Missing(m) => m.clone(),
    }
}

/// One row of the landing page's table: the figure, the plan's baseline, the source.
pub struct FigureRow {
    /// 指标.
    pub label: String,
    /// The value now (or the words for its absence).
    pub now: String,
    /// The plan's value (or 规划未设定).
    pub plan: String,
    /// Unit.
    pub unit: String,
    /// 《规划》 reference.
    pub cite: String,
}

#[derive(Template)]
#[template(path = "restoration.html")]
struct LandingPage {
    layout: Layout,
    rows: Vec<FigureRow>,
    schematic: bool,
    can_manage: bool,
}

/// `GET /restoration`: the 生态修复 landing — 历史遗留矿山, 修复项目 and 重点治理项目 as now
/// against the plan's baseline (一（一）5–6) and 专栏1.
pub async fn landing(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRestoration>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let plan = &sp.loaded.plan;
    let f = st.store.legacy_figures(st.today()).await?;
    let base = |key: &str| {
        plan.baseline
            .iter()
            .find(|b| b.key == key)
            .map(|b| crate::http::views::num(b.value))
            .unwrap_or_else(|| "规划未设定".into())
    };
    let key = plan
        .previous_round
        .iter()
        .find(|r| r.indicator == "重点治理项目");
    let rows = vec![
        FigureRow {
            label: "历史遗留矿山".into(),
            now: fmt_reading_u32(&f.legacy_mines),
            plan: base("legacy_mines"),
            unit: "处".into(),
            cite: "一（一）5".into(),
        },
        FigureRow {
            label: "历史遗留矿山面积".into(),
            now: fmt_reading_f64(&f.legacy_area_km2, 4),
            plan: base("legacy_mines_area"),
            unit: "平方公里".into(),
            cite: "一（一）5".into(),
        },
        FigureRow {
            label: "尚未治理的历史遗留矿山".into(),
            now: fmt_reading_u32(&f.remaining),
            plan: "规划未设定".into(),
            unit: "处".into(),
            cite: "六（二）4".into(),
        },
        FigureRow {
            label: "已治理的历史遗留矿山面积".into(),
            now: fmt_reading_f64(&f.restored_area_km2, 4),
            plan: "规划未设定".into(),
            unit: "平方公里".into(),
            cite: "六（二）4".into(),
        },
        FigureRow {
            label: "矿山生态修复项目（含 2015～2020 年）".into(),
            now: fmt_reading_u32(&f.projects),
            plan: base("restoration_projects"),
            unit: "个".into(),
            cite: "一（一）6".into(),
        },
        FigureRow {
            label: "修复项目投资".into(),
            now: fmt_reading_f64(&f.investment_wan_yuan, 2),
            plan: base("restoration_investment"),
            unit: "万元".into(),
            cite: "一（一）6".into(),
        },
        FigureRow {
            label: "修复项目区面积".into(),
            now: fmt_reading_f64(&f.project_area_km2, 4),
            plan: base("restoration_area"),
            unit: "平方公里".into(),
            cite: "一（一）6".into(),
        },
        FigureRow {
            label: "重点治理项目（已验收）".into(),
            now: fmt_reading_u32(&f.key_projects_done),
            plan: key
                .map(|k| {
                    format!(
                        "目标 {}，完成 {}",
                        crate::http::views::num(k.target),
                        crate::http::views::num(k.actual)
                    )
                })
                .unwrap_or_else(|| "规划未设定".into()),
            unit: "个".into(),
            cite: "专栏1".into(),
        },
    ];
    let page = LandingPage {
        layout: layout(&sp, "restoration"),
        rows,
        schematic: f.legacy_schematic,
        can_manage: allowed(Some(user.role), Permission::ManageRestoration),
    };
    Ok(Html(page.render()?).into_response())
}

/// A legacy mine as listed.
pub struct LegacyRow {
    /// Row id (links only).
    pub id: i64,
    /// 名称.
    pub name: String,
    /// 乡镇 村.
    pub place: String,
    /// 矿种（方式）.
    pub mineral: String,
    /// km², 4 decimals.
    pub area: String,
    /// 修复方向.
    pub direction: String,
    /// Status label.
    pub status: &'static str,
    /// 示意.
    pub schematic: bool,
    /// 责任主体 or 无责任主体.
    pub responsible: String,
    /// Findings, joined.
    pub findings: String,
}

fn legacy_row(m: &LegacyMineRecord) -> LegacyRow {
    LegacyRow {
        id: m.id,
        name: m.input.name.clone(),
        place: format!("{}{}", m.input.township, m.input.village),
        mineral: format!("{}（{}）", m.input.mineral, m.input.method.label()),
        area: format!("{:.4}", m.area_km2),
        direction: format!(
            "{}（{}）",
            m.input.direction.label(),
            m.input.direction.principle()
        ),
        status: m.status.label(),
        schematic: m.input.schematic,
        responsible: m
            .input
            .responsible
            .clone()
            .unwrap_or_else(|| "无责任主体".into()),
        findings: m
            .input
            .findings
            .iter()
            .map(|f| {
                if f.note.is_empty() {
                    f.kind.label().to_string()
                } else {
                    format!("{}（{}）", f.kind.label(), f.note)
                }
            })
            .collect::<Vec<_>>()
            .join("、"),
    }
}

#[derive(Template)]
#[template(path = "restoration_legacy_list.html")]
struct LegacyListPage {
    layout: Layout,
    rows: Vec<LegacyRow>,
    total_area: String,
    can_manage: bool,
    f: Echo,
    directions: Vec<(&'static str, &'static str)>,
    findings: Vec<(usize, &'static str)>,
    notice: String,
}

async fn render_legacy_list(
    st: &AppState,
    user: &User,
    f: Echo,
    notice: String,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let mines = st.store.legacy_mines().await?;
    let status = if f.refused.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = LegacyListPage {
        layout: layout(&sp, "restoration"),
        total_area: format!("{:.4}", mines.iter().map(|m| m.area_km2).sum::<f64>()),
        rows: mines.iter().map(legacy_row).collect(),
        can_manage: allowed(Some(user.role), Permission::ManageRestoration),
        f,
        directions: Direction::ALL
            .iter()
            .map(|d| (d.label(), d.principle()))
            .collect(),
        findings: Finding::ALL
            .iter()
            .enumerate()
            .map(|(i, f)| (i, f.label()))
            .collect(),
        notice,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /restoration/legacy`: the inventory, and for 生态修复 the form to add an entry.
pub async fn legacy_list(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRestoration>,
) -> Result<Response, AppError> {
    render_legacy_list(&st, &user, Echo::default(), String::new()).await
}

const LEGACY_FIELDS: &[&str] = &[
    "name",
    "township",
    "village",
    "mineral",
    "method",
    "responsible",
    "direction",
    "reason",
    "corners",
    "stated_area",
    "datum",
    "crs",
    "findings",
    "feature",
    "file",
];

/// `POST /restoration/legacy` (form: `name`, `township`, `village`, `mineral`, `method`
/// 露天/地下, `finding_0..3` with `finding_note_0..3`, `responsible` or `no_responsible`,
/// `direction`, `reason`, `schematic`, `corners` in any layout, optional `stated_area`,
/// `datum`, `crs`; or instead of `corners` a layer file `file` (multipart, any format the
/// layer import reads, the same body limit) with `feature` — its 1-based position or 名称,
/// not needed when the file holds one polygon; both given is refused)): adds the entry (303 to its page, audit `legacy_mine.add`), or shows the
/// form again with every problem (422), nothing written.
pub async fn legacy_add(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = SubmittedForm::read(&headers, body).await;
    let mut errors = FieldErrors::default();
    if let Some(p) = &form.problem {
        errors.push("form", p.clone());
    }
    let method = Method::parse(form.get("method"));
    if method.is_none() {
        errors.push("method", "开采方式应为“露天”或“地下”");
    }
    let direction = Direction::parse(form.get("direction"));
    if direction.is_none() {
        errors.push(
            "direction",
            "请选择修复方向（宜耕则耕、宜林则林、宜湿则湿、宜草则草、宜建则建）",
        );
    }
    let findings: Vec<FoundProblem> = Finding::ALL
        .iter()
        .enumerate()
        .filter(|(i, _)| form.checked(&format!("finding_{i}")))
        .map(|(i, k)| FoundProblem {
            kind: *k,
            note: form.get(&format!("finding_note_{i}")).trim().to_string(),
        })
        .collect();
    let responsible = if form.checked("no_responsible") {
        None
    } else {
        Some(form.get("responsible").trim().to_string())
    };
    let engine = st.engine().await;
    let crs = form.get("crs").trim();
    let crs_num = if crs.is_empty() {
        None
    } else {
        match crs.trim_start_matches("EPSG:").parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push("crs", format!("坐标系代码“{crs}”不是 EPSG 数字（如 4532）"));
                None
            }
        }
    };
    let datum = form.get("datum").trim();
    let (opts, option_problems) = corner_parse_options(
        &CornerOptionsInput {
            crs: crs_num,
            zone: None,
            datum: (!datum.is_empty()).then_some(datum),
        },
        engine.plan.loaded.plan.region.zone,
        Some(engine.region()),
    );
    for (o, m) in option_problems {
        let field = match o {
            minplan_domain::application::CornerOption::Crs => "crs",
            minplan_domain::application::CornerOption::Datum => "datum",
            _ => "corners",
        };
        errors.push(field, m);
    }
    let stated = form.get("stated_area");
    let uploads = form.files("file");
    let has_corners = !form.get("corners").trim().is_empty();
    let geometry = if !uploads.is_empty() && has_corners {
        errors.push(
            "file",
            "拐点坐标与图层文件只能二选一：请清空拐点坐标或不选文件；未录入",
        );
        None
    } else if !uploads.is_empty() {
        let files: Vec<minplan_io::InputFile> = uploads
            .iter()
            .map(|u| minplan_io::InputFile {
                name: u.file_name.clone(),
                bytes: u.bytes.clone(),
            })
            .collect();
        let declared = match crs_num {
            None => None,
            Some(c) => {
                match minplan_geo::Crs::from_epsg(c) {
                    Ok(c) => Some(c),
                    Err(_) => {
                        errors.push(
                        "crs",
                        format!("坐标系 EPSG:{c} 应为 CGCS2000 的 4490，或 4491–4554（高斯–克吕格投影）"),
                    );
                        None
                    }
                }
            }
        };
        let choice = form.get("feature").to_string();
        let zone = engine.plan.loaded.plan.region.zone;
        let region = minplan_domain::layer::lonlat_extent(&engine.plan.loaded.plan.region.outline);
        // Reading a layer file is CPU work: off the async workers.
        let read = tokio::task::spawn_blocking(move || {
            legacy_file::geometry_from_file(&files, &choice, declared, zone, region)
        })
        .await
        .map_err(|e| AppError::Http {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: format!("图层文件读取中断：{e}"),
        })?;
        match read {
            Ok(g) => match check_stated_area_of(Some(stated), &g) {
                Ok(()) => Some(g),
                Err(p) => {
                    for p in p {
                        errors.push(&p.field, p.message);
                    }
                    None
                }
            },
            Err(m) => {
                errors.push("file", m);
                None
            }
        }
    } else {
        match read_geometry(form.get("corners"), Some(stated), &opts) {
            Ok(g) => Some(g),
            Err(p) => {
                for p in p {
                    errors.push(&p.field, p.message);
                }
                None
            }
        }
    };
    let input = LegacyMine {
        name: form.get("name").trim().into(),
        township: form.get("township").trim().into(),
        village: form.get("village").trim().into(),
        mineral: form.get("mineral").trim().into(),
        method: method.unwrap_or(Method::OpenPit),
        findings,
        responsible,
        direction: direction.unwrap_or(Direction::Forest),
        reason: form.get("reason").trim().into(),
        schematic: form.checked("schematic"),
    };
    if let Err(p) = minplan_domain::restoration::legacy::check_legacy(&input) {
        for p in p {
            errors.push(&p.field, p.message);
        }
    }
    let geometry = match geometry {
        Some(g) if errors.is_empty() => g,
        _ => {
            let echo = Echo::of("add", &form, LEGACY_FIELDS, errors);
            return render_legacy_list(&st, &user, echo, String::new()).await;
        }
    };
    match st
        .store
        .add_legacy_mine(&input, &geometry, &actor(&user))
        .await
    {
        Ok(m) => Ok(Redirect::to(&format!("/restoration/legacy/{}?saved=1", m.id)).into_response()),
        Err(StoreError::Invalid(v)) => {
            let echo = Echo::of("add", &form, LEGACY_FIELDS, FieldErrors(v));
            render_legacy_list(&st, &user, echo, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "restoration_legacy.html")]
struct LegacyPage {
    layout: Layout,
    m: LegacyRow,
    reason: String,
    acceptance: String,
    next: Vec<&'static str>,
    photos: Vec<minplan_store::LegacyPhoto>,
    projects: Vec<(i64, String)>,
    can_manage: bool,
    f: Echo,
    notice: String,
    map: MapView,
}

async fn render_legacy(
    st: &AppState,
    user: &User,
    id: i64,
    f: Echo,
    notice: String,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let m = st
        .store
        .legacy_mine(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的历史遗留矿山")))?;
    let photos = st.store.legacy_photos(id).await?;
    let projects = st
        .store
        .restoration_projects()
        .await?
        .into_iter()
        .filter(|p| p.input.sites.contains(&Site::Legacy(id)))
        .map(|p| (p.id, p.input.name))
        .collect();
    let next = match m.status {
        Status::Untreated => vec![Status::InProgress.label()],
        Status::InProgress => vec![Status::Restored.label()],
        Status::Restored => vec![Status::Accepted.label()],
        Status::Accepted => vec![],
    };
    let feature = mapview::feature(&m.geojson["coordinates"], legacy_properties(&m));
    let map = mapview::map_view(
        st,
        &sp.loaded.plan,
        vec![
            json!({"id": "outline", "name": "行政区范围", "url": "/api/plan/outline", "style": "outline", "visible": true, "fit": false}),
            mapview::inline_layer(
                "legacy",
                "历史遗留矿山",
                mapview::collection(vec![feature]),
                "legacy_mines",
                true,
            ),
        ],
        Value::Null,
    );
    let status = if f.refused.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = LegacyPage {
        layout: layout(&sp, "restoration"),
        reason: m.input.reason.clone(),
        acceptance: m
            .acceptance
            .as_ref()
            .map(|a| format!("{}，{}，{}", a.date.chinese(), a.by, a.number))
            .unwrap_or_default(),
        m: legacy_row(&m),
        next,
        photos,
        projects,
        can_manage: allowed(Some(user.role), Permission::ManageRestoration),
        f,
        notice,
        map,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /restoration/legacy/{id}`: one legacy mine — its record, status and the next step,
/// photos before and after, the projects it belongs to, its map.
pub async fn legacy_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRestoration>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = if q.contains_key("saved") {
        "已保存".to_string()
    } else {
        String::new()
    };
    render_legacy(&st, &user, id, Echo::default(), notice).await
}

fn acceptance_from(form: &SubmittedForm, errors: &mut FieldErrors) -> Option<Acceptance> {
    let on = form.get("accepted_on").trim();
    match Date::parse(on) {
        Ok(date) => Some(Acceptance {
            date,
            by: form.get("accepted_by").trim().into(),
            number: form.get("acceptance_number").trim().into(),
        }),
        Err(_) if on.is_empty() => {
            errors.push("accepted_on", "请填写验收日期（如 2026-11-30）");
            None
        }
        Err(e) => {
            errors.push("accepted_on", format!("验收日期：{e}"));
            None
        }
    }
}

const STATUS_FIELDS: &[&str] = &["status", "accepted_on", "accepted_by", "acceptance_number"];

/// `POST /restoration/legacy/{id}/status` (form: `status`; for 已验收 also `accepted_on`,
/// `accepted_by`, `acceptance_number`): one status step (303, audit `legacy_mine.status`), or
/// the page again with the problems (422), nothing written.
pub async fn legacy_status(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    if st.store.legacy_mine(id).await?.is_none() {
        return Err(AppError::NotFound(format!(
            "没有编号为 {id} 的历史遗留矿山"
        )));
    }
    let form = SubmittedForm::read(&headers, body).await;
    let mut errors = FieldErrors::default();
    let Some(to) = Status::parse(form.get("status")) else {
        errors.push("status", "请选择新的状态");
        let echo = Echo::of("status", &form, STATUS_FIELDS, errors);
        return render_legacy(&st, &user, id, echo, String::new()).await;
    };
    let acceptance = if to == Status::Accepted {
        let a = acceptance_from(&form, &mut errors);
        if a.is_none() {
            let echo = Echo::of("status", &form, STATUS_FIELDS, errors);
            return render_legacy(&st, &user, id, echo, String::new()).await;
        }
        a
    } else {
        None
    };
    match st
        .store
        .set_legacy_status(id, to, acceptance.as_ref(), st.today(), &actor(&user))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/restoration/legacy/{id}?saved=1")).into_response()),
        Err(StoreError::Invalid(v)) => {
            let echo = Echo::of("status", &form, STATUS_FIELDS, FieldErrors(v));
            render_legacy(&st, &user, id, echo, String::new()).await
        }
        Err(StoreError::NotFound(m)) => Err(AppError::NotFound(m)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /restoration/legacy/{id}/photos` (multipart: `phase` 治理前/治理后, file `photo`
/// JPEG/PNG/PDF ≤ 10 MB): attaches the photo (303, audit `legacy_mine.photo`) or shows the
/// problem (422).
pub async fn legacy_photo_add(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    if st.store.legacy_mine(id).await?.is_none() {
        return Err(AppError::NotFound(format!(
            "没有编号为 {id} 的历史遗留矿山"
        )));
    }
    let form = SubmittedForm::read(&headers, body).await;
    let Some(file) = form.file("photo").filter(|f| !f.bytes.is_empty()) else {
        let mut e = FieldErrors::default();
        e.push("photo", "请选择照片（JPEG、PNG 或 PDF，不超过 10 MB）");
        let echo = Echo::of("photo", &form, &["phase", "photo"], e);
        return render_legacy(&st, &user, id, echo, String::new()).await;
    };
    let name = if file.file_name.is_empty() {
        "照片".to_string()
    } else {
        file.file_name.clone()
    };
    match st
        .store
        .add_legacy_photo(
            id,
            form.get("phase").trim(),
            &name,
            &file.bytes,
            &actor(&user),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/restoration/legacy/{id}?saved=1")).into_response()),
        Err(StoreError::Invalid(v)) => {
            let echo = Echo::of("photo", &form, &["phase", "photo"], FieldErrors(v));
            render_legacy(&st, &user, id, echo, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /restoration/legacy/{id}/photos/{file}`: the photo as uploaded.
pub async fn legacy_photo_download(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ViewRestoration>,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let Some((name, mime, bytes)) = st.store.legacy_photo(id, file).await? else {
        return Err(AppError::NotFound("没有这张照片".into()));
    };
    let mime: &'static str = match mime.as_str() {
        "image/jpeg" => "image/jpeg",
        "image/png" => "image/png",
        "application/pdf" => "application/pdf",
        _ => "application/octet-stream",
    };
    Ok(crate::http::download::attachment(
        bytes, mime, &name, "photo",
    ))
}

/// A project as listed.
pub struct ProjectRow {
    /// Row id (links only).
    pub id: i64,
    /// 名称.
    pub name: String,
    /// `2016年5月1日 至 2016年10月31日`.
    pub dates: String,
    /// 万元.
    pub budget: String,
    /// 万元.
    pub spent: String,
    /// km².
    pub area: String,
    /// Funding lines `中央财政 60 万元`.
    pub funding: Vec<String>,
    /// Site names.
    pub sites: Vec<String>,
    /// 重点治理项目.
    pub key_project: bool,
    /// 基线.
    pub baseline: bool,
    /// 示意.
    pub schematic: bool,
    /// `2016年11月20日，验收单位，文号`, or "".
    pub acceptance: String,
}

async fn project_row(st: &AppState, p: &ProjectRecord) -> Result<ProjectRow, AppError> {
    let mut sites = Vec::new();
    let mines = if p
        .input
        .sites
        .iter()
        .any(|s| matches!(s, Site::MineDisturbed(_)))
    {
        st.store.mines().await?
    } else {
        vec![]
    };
    for s in &p.input.sites {
        match s {
            Site::Legacy(l) => {
                if let Some(m) = st.store.legacy_mine(*l).await? {
                    sites.push(format!("{}（{}）", m.input.name, m.status.label()));
                }
            }
            Site::MineDisturbed(m) => {
                if let Some(m) = mines.iter().find(|x| x.id == *m) {
                    sites.push(format!("{}（矿山损毁区）", m.name));
                }
            }
        }
    }
    Ok(ProjectRow {
        id: p.id,
        name: p.input.name.clone(),
        dates: match p.input.end {
            Some(e) => format!("{} 至 {}", p.input.start.chinese(), e.chinese()),
            None => format!("{} 开工", p.input.start.chinese()),
        },
        budget: crate::http::views::num(p.input.budget_wan_yuan),
        spent: crate::http::views::num(p.input.spent_wan_yuan),
        area: format!("{:.4}", p.input.restored_area_km2),
        funding: p
            .input
            .funding
            .iter()
            .map(|l| {
                format!(
                    "{} {} 万元",
                    l.source.label(),
                    crate::http::views::num(l.amount_wan_yuan)
                )
            })
            .collect(),
        sites,
        key_project: p.input.key_project,
        baseline: p.input.baseline,
        schematic: p.schematic,
        acceptance: p
            .acceptance
            .as_ref()
            .map(|a| format!("{}，{}，{}", a.date.chinese(), a.by, a.number))
            .unwrap_or_default(),
    })
}

#[derive(Template)]
#[template(path = "restoration_projects.html")]
struct ProjectsPage {
    layout: Layout,
    rows: Vec<ProjectRow>,
    total_budget: String,
    total_area: String,
    can_manage: bool,
    f: Echo,
    sources: Vec<(&'static str, &'static str)>,
    legacy: Vec<(i64, String)>,
    mines: Vec<(i64, String)>,
}

async fn render_projects(st: &AppState, user: &User, f: Echo) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let projects = st.store.restoration_projects().await?;
    let mut rows = Vec::with_capacity(projects.len());
    for p in &projects {
        rows.push(project_row(st, p).await?);
    }
    let status = if f.refused.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ProjectsPage {
        layout: layout(&sp, "restoration"),
        total_budget: crate::http::views::num(
            projects.iter().map(|p| p.input.budget_wan_yuan).sum(),
        ),
        total_area: format!(
            "{:.4}",
            projects
                .iter()
                .map(|p| p.input.restored_area_km2)
                .sum::<f64>()
        ),
        rows,
        can_manage: allowed(Some(user.role), Permission::ManageRestoration),
        f,
        sources: FundingSource::ALL
            .iter()
            .map(|s| (s.key(), s.label()))
            .collect(),
        legacy: st
            .store
            .legacy_mines()
            .await?
            .into_iter()
            .map(|m| (m.id, format!("{}（{}）", m.input.name, m.status.label())))
            .collect(),
        mines: st
            .store
            .mines()
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /restoration/projects`: the projects (the 2015–2020 baseline included) with totals,
/// and for 生态修复 the form to add one.
pub async fn project_list(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRestoration>,
) -> Result<Response, AppError> {
    render_projects(&st, &user, Echo::default()).await
}

fn amount(form: &SubmittedForm, field: &str, label: &str, errors: &mut FieldErrors) -> f64 {
    let v = form.get(field).trim();
    match v.parse::<f64>() {
        Ok(x) if x.is_finite() => x,
        _ if v.is_empty() => {
            errors.push(field, format!("请填写{label}"));
            f64::NAN
        }
        _ => {
            errors.push(field, format!("{label}“{v}”不是数字"));
            f64::NAN
        }
    }
}

/// `POST /restoration/projects` (form: `name`, `budget`, `spent`, `restored_area` km²,
/// `start`, `end`, `fund_<source>` 万元 per source, `site_legacy_<id>` / `site_mine_<id>`
/// checkboxes, `key_project`, `baseline`): adds the project (303, audit
/// `restoration_project.add`) or shows the form again with every problem (422).
pub async fn project_add(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = SubmittedForm::read(&headers, body).await;
    let mut errors = FieldErrors::default();
    if let Some(p) = &form.problem {
        errors.push("form", p.clone());
    }
    let budget = amount(&form, "budget", "预算（万元）", &mut errors);
    let spent = if form.get("spent").trim().is_empty() {
        0.0
    } else {
        amount(&form, "spent", "已支出（万元）", &mut errors)
    };
    let area = amount(&form, "restored_area", "修复面积（平方公里）", &mut errors);
    let mut funding = Vec::new();
    for s in FundingSource::ALL {
        let field = format!("fund_{}", s.key());
        if form.get(&field).trim().is_empty() {
            continue;
        }
        let v = amount(&form, &field, s.label(), &mut errors);
        funding.push(FundingLine {
            source: s,
            amount_wan_yuan: v,
        });
    }
    let date = |field: &str, label: &str, errors: &mut FieldErrors| {
        let v = form.get(field).trim();
        if v.is_empty() {
            return None;
        }
        match Date::parse(v) {
            Ok(d) => Some(d),
            Err(e) => {
                errors.push(field, format!("{label}：{e}"));
                None
            }
        }
    };
    let start = date("start", "开工日期", &mut errors);
    if start.is_none() && form.get("start").trim().is_empty() {
        errors.push("start", "请填写开工日期（如 2026-05-01）");
    }
    let end = date("end", "完工日期", &mut errors);
    let mut sites = Vec::new();
    for m in st.store.legacy_mines().await? {
        if form.checked(&format!("site_legacy_{}", m.id)) {
            sites.push(Site::Legacy(m.id));
        }
    }
    for m in st.store.mines().await? {
        if form.checked(&format!("site_mine_{}", m.id)) {
            sites.push(Site::MineDisturbed(m.id));
        }
    }
    let mut fields: Vec<String> = [
        "name",
        "budget",
        "spent",
        "restored_area",
        "start",
        "end",
        "funding",
        "sites",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    fields.extend(
        FundingSource::ALL
            .iter()
            .map(|s| format!("fund_{}", s.key())),
    );
    let names: Vec<&str> = fields.iter().map(String::as_str).collect();
    let input = RestorationProject {
        name: form.get("name").trim().into(),
        sites,
        funding,
        budget_wan_yuan: budget,
        spent_wan_yuan: spent,
        restored_area_km2: area,
        start: start.unwrap_or_else(|| st.today()),
        end,
        key_project: form.checked("key_project"),
        baseline: form.checked("baseline"),
    };
    if !errors.is_empty() {
        if let Err(p) = minplan_domain::restoration::projects::check_project(&input) {
            let more = FieldErrors(
                p.into_iter()
                    .map(|p| minplan_store::FieldError::new(p.field, p.message))
                    .collect(),
            );
            errors.merge_missing(more);
        }
        let echo = Echo::of("add", &form, &names, errors);
        return render_projects(&st, &user, echo).await;
    }
    match st
        .store
        .add_restoration_project(&input, &actor(&user))
        .await
    {
        Ok(p) => {
            Ok(Redirect::to(&format!("/restoration/projects/{}?saved=1", p.id)).into_response())
        }
        Err(StoreError::Invalid(v)) => {
            let echo = Echo::of("add", &form, &names, FieldErrors(v));
            render_projects(&st, &user, echo).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "restoration_project.html")]
struct ProjectPage {
    layout: Layout,
    p: ProjectRow,
    can_accept: bool,
    f: Echo,
    notice: String,
}

async fn render_project(
    st: &AppState,
    user: &User,
    id: i64,
    f: Echo,
    notice: String,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let p = st
        .store
        .restoration_project(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的修复项目")))?;
    let status = if f.refused.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ProjectPage {
        layout: layout(&sp, "restoration"),
        can_accept: p.acceptance.is_none()
            && allowed(Some(user.role), Permission::ManageRestoration),
        p: project_row(st, &p).await?,
        f,
        notice,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /restoration/projects/{id}`: one project — funding, sites with their status,
/// acceptance (and the form for it).
pub async fn project_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRestoration>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = if q.contains_key("saved") {
        "已保存".to_string()
    } else {
        String::new()
    };
    render_project(&st, &user, id, Echo::default(), notice).await
}

/// `POST /restoration/projects/{id}/accept` (form: `accepted_on`, `accepted_by`,
/// `acceptance_number`): accepts the project and sets its 已治理 legacy mines to 已验收 (303,
/// audit `restoration_project.accept`); a site not yet 已治理 is named and nothing is written
/// (422).
pub async fn project_accept(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    if st.store.restoration_project(id).await?.is_none() {
        return Err(AppError::NotFound(format!("没有编号为 {id} 的修复项目")));
    }
    let form = SubmittedForm::read(&headers, body).await;
    let fields = &["accepted_on", "accepted_by", "acceptance_number", "sites"];
    let mut errors = FieldErrors::default();
    let Some(a) = acceptance_from(&form, &mut errors) else {
        let echo = Echo::of("accept", &form, fields, errors);
        return render_project(&st, &user, id, echo, String::new()).await;
    };
    match st
        .store
        .accept_restoration_project(id, &a, st.today(), &actor(&user))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/restoration/projects/{id}?saved=1")).into_response()),
        Err(StoreError::Invalid(v)) => {
            let echo = Echo::of("accept", &form, fields, FieldErrors(v));
            render_project(&st, &user, id, echo, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}

fn legacy_properties(m: &LegacyMineRecord) -> Value {
    json!({
        "kind": "历史遗留矿山",
        "name": m.input.name,
        "status": m.status.label(),
        "direction": m.input.direction.label(),
        "area_km2": (m.area_km2 * 1e4).round() / 1e4,
        "schematic": if m.input.schematic { "示意" } else { "" },
    })
}

/// The map's GeoJSON: each legacy mine (CGCS2000 lon/lat `MultiPolygon`) with its name,
/// status, direction, area (km², 4 decimals), 示意 and the projects whose site it is.
async fn map_geojson(st: &AppState) -> Result<Value, AppError> {
    let mines = st.store.legacy_mines().await?;
    let projects = st.store.restoration_projects().await?;
    let features = mines
        .iter()
        .map(|m| {
            let mut props = legacy_properties(m);
            let names: Vec<&str> = projects
                .iter()
                .filter(|p| p.input.sites.contains(&Site::Legacy(m.id)))
                .map(|p| p.input.name.as_str())
                .collect();
            props["projects"] = json!(names.join("、"));
            mapview::feature(&m.geojson["coordinates"], props)
        })
        .collect();
    Ok(mapview::collection(features))
}

/// The mines' layer of the map: each registered mine drawn by its latest right's polygons
/// (CGCS2000 lon/lat `MultiPolygon`), with its holder, that right's standing, and the
/// 损毁 / 复垦 areas (公顷) of its latest annual report that gives them (边开采边治理,
/// 《规划》六（二）1（2）); a mine whose reports give none says 未填报, never 0.
async fn mines_geojson(st: &AppState) -> Result<Value, AppError> {
    let mut features = Vec::new();
    for m in st.store.mines().await? {
        let Some(right) = m.rights.last() else {
            continue;
        };
        let r = match st.store.right_record(right).await {
            Ok(r) => r,
            Err(StoreError::NotFound(_)) => continue,
            Err(e) => return Err(e.into()),
        };
        if r.geometry.is_empty() {
            continue;
        }
        let actuals = st.store.mine_year_actuals(m.id).await?;
        let latest = actuals
            .iter()
            .filter(|a| a.disturbed_ha.is_some() || a.restored_ha.is_some())
            .max_by_key(|a| a.year);
        let ha = |v: Option<f64>| v.map_or_else(|| "未填报".to_string(), |v| format!("{v}"));
        let props = json!({
            "kind": "矿山",
            "name": m.name,
            "holder_name": r.holder_name,
            "status": r.status,
            "report_year": latest.map_or_else(|| "无填报损毁、复垦面积的年度报告".to_string(), |a| format!("{}年", a.year)),
            "disturbed_ha": ha(latest.and_then(|a| a.disturbed_ha)),
            "restored_ha": ha(latest.and_then(|a| a.restored_ha)),
        });
        features.push(mapview::feature(&json!(r.geometry), props));
    }
    Ok(mapview::collection(features))
}

/// `?layer=`: `mines` for the mines' layer; absent for the legacy mines and project sites.
#[derive(Debug, serde::Deserialize)]
pub struct MapLayerQuery {
    /// `mines`: the registered mines with their latest reported 损毁 / 复垦 areas.
    layer: Option<String>,
}

/// `GET /api/restoration/map`: the legacy mines and project sites as a GeoJSON
/// FeatureCollection (CGCS2000 longitude/latitude, RFC 7946), 示意 entries marked; with
/// `?layer=mines`, the registered mines and their latest 损毁 / 复垦 areas.
#[utoipa::path(get, path = "/api/restoration/map", tag = "生态修复",
    params(("layer" = Option<String>, Query, pattern = "^(mines)?$", description = "mines：已登记矿山及其最近年度报告的损毁、复垦面积；不填：历史遗留矿山与修复地块")),
    responses(
        (status = 200, description = "历史遗留矿山与修复项目地块 GeoJSON FeatureCollection（CGCS2000 经纬度；示意者 schematic = 示意）", body = crate::plan::api::GeoJson),
        (status = 400, description = "layer 参数有误", body = ApiError),
        (status = 401, description = "未登录", body = ApiError),
        (status = 403, description = "无权（矿山企业）", body = ApiError),
    ))]
pub async fn api_map(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ViewRestoration>,
    Query(q): Query<MapLayerQuery>,
) -> crate::http::error::ApiResult<Json<crate::plan::api::GeoJson>> {
    let geojson = match q.layer.as_deref() {
        None | Some("") => map_geojson(&st).await?,
        Some("mines") => mines_geojson(&st).await?,
        Some(other) => {
            return Err(AppError::BadRequest(format!(
                "图层“{other}”不存在：layer 只能为 mines 或不填"
            ))
            .into());
        }
    };
    Ok(Json(crate::plan::api::GeoJson(geojson)))
}

#[derive(Template)]
#[template(path = "restoration_map.html")]
struct MapPage {
    layout: Layout,
    map: MapView,
    rows: Vec<LegacyRow>,
    schematic: bool,
}

/// `GET /restoration/map`: the map of legacy mines and project sites over the county
/// outline (OpenLayers, `assets/map.js`), with the table of the same entries; 示意 marked.
pub async fn map_page(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ViewRestoration>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let mines = st.store.legacy_mines().await?;
    let mut layers = mapview::plan_layers(&sp.loaded.plan);
    layers.truncate(1);
    layers.push(mapview::url_layer(
        "legacy",
        "历史遗留矿山与修复地块",
        "/api/restoration/map",
        "legacy_mines",
    ));
    layers.push(mapview::url_layer(
        "mines",
        "矿山（最近年报的损毁、复垦面积）",
        "/api/restoration/map?layer=mines",
        "rights",
    ));
    let page = MapPage {
        layout: layout(&sp, "restoration"),
        map: mapview::map_view(&st, &sp.loaded.plan, layers, Value::Null),
        schematic: mines.iter().any(|m| m.input.schematic),
        rows: mines.iter().map(legacy_row).collect(),
    };
    Ok(Html(page.render()?).into_response())
}
