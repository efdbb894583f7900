//! 图层管理: which control layer each review check uses (the plan bundle's schematic layer,
//! or the bureau's imported version that replaces it), the imported versions, and the import
//! of a new version from GeoJSON (系统管理员, 规划科) — broken features listed with their ids,
//! positions and reasons and left out ([`minplan_store::Store::import_layer`], audited in its
//! transaction), then the review engine rebuilt. The import runs as a background job off the
//! write lock ([`minplan_store::Store::stage_layer`]); a form upload that takes longer than
//! [`crate::WebConfig::import_wait`] shows its progress page. Viewing: every account but
//! 矿山企业.
//!
//! Pages `/layers`, `/layers/{id}`, `/layers/imports/{job}`; API `/api/layers`,
//! `/api/layers/{id}`.

use crate::AppState;
use crate::http::auth::{Permission, actor, allowed, policy};
use crate::http::error::{ApiError, ApiResult, AppError};
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, SubmittedForm, json_body};
use crate::http::jobs::Busy;
use crate::http::mapview::{MapView, collection, map_view, plan_layers};
use crate::http::views::{Layout, layout};
use crate::plan::api::GeoJson;
use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::plan::ControlLayerKind;
use minplan_store::{LayerImport, LayerProgress, LayerVersion, StoreError, StoredLayer, User};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use utoipa::ToSchema;

/// The routes of 图层管理.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/layers", get(page).post(upload_submit))
        .route("/layers/export", get(export))
        .route("/layers/{id}", get(version_page))
        .route("/layers/imports/{job}", get(job_page))
        .route("/api/layers", get(api_list).post(api_upload))
        .route("/api/layers/{id}", get(api_version))
}

/// A control layer kind and what reviews use for it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InUse {
    /// Kind slug.
    pub slug: String,
    /// Kind, Chinese.
    pub kind: String,
    /// `imported` or `bundle` (or `none`).
    pub source: String,
    /// Imported version id.
    pub version_id: Option<i64>,
    /// Layer name.
    pub name: String,
    /// Features.
    pub features: usize,
    /// Schematic (示意).
    pub schematic: bool,
}

async fn in_use(st: &AppState) -> Vec<InUse> {
    let engine = st.engine().await;
    let plan = &engine.plan.loaded.plan;
    ControlLayerKind::ALL
        .into_iter()
        .map(|k| {
            let used = engine.index.control.iter().find(|l| l.kind == k);
            let version_id = engine.layer_versions.get(k.slug()).copied();
            InUse {
                slug: k.slug().to_string(),
                kind: k.label().to_string(),
                source: match (version_id, plan.control_layer(k)) {
                    (Some(_), _) => "imported",
                    (None, Some(_)) => "bundle",
                    (None, None) => "none",
                }
                .to_string(),
                version_id,
                name: used.map(|l| l.name.clone()).unwrap_or_default(),
                features: used.map_or(0, |l| l.features.len()),
                schematic: used.is_some_and(|l| l.schematic),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "layers.html")]
struct LayersPage {
    layout: Layout,
    in_use: Vec<InUse>,
    versions: Vec<LayerVersion>,
    can_manage: bool,
    kinds: Vec<(&'static str, &'static str, bool)>,
    errors: FieldErrors,
    other_errors: Vec<String>,
    form_name: String,
    form_buffer: String,
    form_epsg: String,
    form_layer: String,
    form_encoding: String,
    body_limit_mib: String,
    /// The result of 检查 (nothing stored): what was read, feature by feature.
    preview: Option<Preview>,
}

/// What 检查 read from the files, before anything is stored.
pub struct Preview {
    /// File names.
    pub files: String,
    /// EPSG code used.
    pub epsg: u32,
    /// The reader's notes (format, encoding and why, CRS source).
    pub notes: Vec<String>,
    /// (序号, 要素, 名称, 面积 km²) of the usable features.
    pub features: Vec<(usize, String, String, String)>,
    /// Features left out, with why.
    pub problems: Vec<minplan_domain::layer::FeatureProblem>,
    /// Features kept with a remark.
    pub warnings: Vec<minplan_domain::layer::FeatureProblem>,
}

/// What the upload form had.
#[derive(Default)]
struct Entered {
    kind: String,
    name: String,
    buffer: String,
    epsg: String,
    layer: String,
    encoding: String,
}

async fn render(
    st: &AppState,
    user: &User,
    status: StatusCode,
    errors: FieldErrors,
    entered: Entered,
    preview: Option<Preview>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let page = LayersPage {
        layout: layout(&sp, "layers"),
        in_use: in_use(st).await,
        versions: st.store.list_layers().await?,
        can_manage: allowed(Some(user.role), Permission::ManageLayers),
        kinds: ControlLayerKind::ALL
            .into_iter()
            .map(|k| (k.slug(), k.label(), k.slug() == entered.kind))
            .collect(),
        other_errors: errors.others(&[
            "kind", "name", "buffer_m", "file", "epsg", "layer", "encoding",
        ]),
        errors,
        form_name: entered.name,
        form_buffer: entered.buffer,
        form_epsg: entered.epsg,
        form_layer: entered.layer,
        form_encoding: entered.encoding,
        preview,
        body_limit_mib: format!("{:.0}", st.config().body_limit as f64 / 1024.0 / 1024.0),
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /layers`: layers in use, imported versions, the import form.
pub async fn page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewLayers>,
) -> Result<Response, AppError> {
    render(
        &st,
        &user,
        StatusCode::OK,
        FieldErrors::default(),
        Entered::default(),
        None,
    )
    .await
}

/// An import request, however it came.
struct Upload<'a> {
    kind: &'a str,
    name: &'a str,
    buffer: &'a str,
    epsg: &'a str,
    layer: &'a str,
    encoding: &'a str,
    files: Vec<minplan_io::InputFile>,
    /// 检查 only: read and check, store nothing.
    check_only: bool,
}

/// What an upload came to.
enum Outcome {
    /// Stored as this version.
    Imported(LayerVersion),
    /// Still importing, as this job (its progress page).
    Running(u64),
    /// Checked, nothing stored.
    Checked(Preview),
}

/// Checks and imports (or only checks); field errors (inner `Err`) or the outcome; after an
/// import the engine is rebuilt. The import runs as a job ([`run_import`]) that this request
/// waits for as `wait` says.
async fn import(
    st: &AppState,
    user: &User,
    u: &Upload<'_>,
    wait: Wait,
) -> Result<Result<Outcome, FieldErrors>, AppError> {
    let mut errors = FieldErrors::default();
    let kind = ControlLayerKind::parse(u.kind);
    if kind.is_none() {
        errors.push(
            "kind",
            if u.kind.trim().is_empty() {
                "请选择图层类型".to_string()
            } else {
                format!(
                    "图层类型“{}”应为 生态保护红线、永久基本农田、城镇开发边界、三区两线可视范围 之一",
                    u.kind
                )
            },
        );
    }
    let buffer_m = match u.buffer.trim() {
        "" => None,
        b => match b.parse::<f64>() {
            Ok(v) if v.is_finite() && v > 0.0 && v <= 10_000.0 => Some(v),
            _ => {
                errors.push(
                    "buffer_m",
                    format!("缓冲宽度应为 0～10000 之间的米数，收到“{b}”"),
                );
                None
            }
        },
    };
    let declared = match u.epsg.trim().trim_start_matches("EPSG:").trim() {
        "" => None,
        e => match e
            .parse::<u32>()
            .ok()
            .and_then(|c| minplan_geo::Crs::from_epsg(c).ok())
        {
            Some(c) => Some(c),
            None => {
                errors.push("epsg", format!("坐标系“{e}”应为 CGCS2000 的 EPSG 代码：4490，或 4491–4554（高斯–克吕格投影）"));
                None
            }
        },
    };
    let encoding = match u.encoding.trim() {
        "" | "auto" => None,
        e => match minplan_io::dbf::encoding_from_cpg(e) {
            Some(x) => Some(x),
            None => {
                errors.push("encoding", format!("无法识别的文本编码“{e}”"));
                None
            }
        },
    };
    if u.files.is_empty() {
        errors.push("file", "请选择要导入的图层文件");
    } else if u
        .files
        .iter()
        .all(|f| f.bytes.iter().all(u8::is_ascii_whitespace))
    {
        errors.push("file", "文件是空的");
    }
    let (Some(kind), true) = (kind, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let zone = st.plan().await.loaded.plan.region.zone;
    let read = minplan_io::ReadOptions {
        encoding,
        layer: Some(u.layer.trim().to_string()).filter(|l| !l.is_empty()),
        ..minplan_io::ReadOptions::default()
    };
    let file_names = u
        .files
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join("、");
    if u.check_only {
        let opts = minplan_domain::layer::LayerOptions {
            id_property: Some("id"),
            zone,
            buffer_m,
            region: minplan_domain::layer::lonlat_extent(
                &st.plan().await.loaded.plan.region.outline,
            ),
        };
        let files = u.files.clone();
        // Reading a large layer is CPU work: off the async workers.
        let parsed = tokio::task::spawn_blocking(move || {
            minplan_io::load_layer(&files, &read, declared, &opts)
        })
        .await
        .map_err(|e| AppError::Http {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: format!("图层检查中断：{e}"),
        })?;
        return Ok(match parsed {
            Ok(p) => Ok(Outcome::Checked(Preview {
                files: file_names,
                epsg: p.crs.epsg(),
                notes: p.notes,
                features: p
                    .features
                    .iter()
                    .enumerate()
                    .map(|(k, f)| {
                        (
                            k + 1,
                            f.id.clone(),
                            f.name.clone().unwrap_or_default(),
                            format!("{:.6}", f.area_km2),
                        )
                    })
                    .collect(),
                problems: p.problems,
                warnings: p.warnings,
            })),
            Err(e) => {
                errors.push("file", format!("{e}；未导入"));
                Err(errors)
            }
        });
    }
    let name = match u.name.trim() {
        "" => kind.label().to_string(),
        n => n.to_string(),
    };
    // The import runs as a job of its own (issue 19): it reads, checks, buffers and writes
    // without the write lock, which only its last, short commit takes; it goes on when this
    // request is abandoned, and its progress page shows how far it has got.
    let progress = Arc::new(LayerProgress::default());
    let title = format!("{}：{file_names}", kind.label());
    let job = match st.layer_jobs().start(user.id, title, progress.clone()) {
        Ok(j) => j,
        Err(Busy(n)) => {
            errors.push(
                "file",
                format!("已有 {n} 个图层正在导入，请待其完成后再导入；未导入"),
            );
            return Ok(Err(errors));
        }
    };
    let work = LayerWork {
        kind,
        name,
        source_file: file_names,
        files: u.files.clone(),
        read,
        declared,
        zone,
        buffer_m,
    };
    let who = actor(user);
    let state = st.clone();
    let jobs = st.clone();
    tokio::spawn(async move {
        // A panic in the import must still end its job (the progress page would otherwise
        // say 正在导入 for ever); its staging rows go with the next import's stale sweep.
        let outcome = tokio::spawn(async move { run_import(&state, &work, &who, &progress).await })
            .await
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "layer import task failed");
                Err("服务器导入时出错（详见服务器日志）；未导入".to_string())
            });
        jobs.layer_jobs().finish(job, outcome);
    });
    let wait = match wait {
        Wait::Briefly => Some(st.config().import_wait),
        Wait::ToTheEnd => None,
    };
    Ok(match st.layer_jobs().wait(job, wait).await {
        Some(Ok(v)) => Ok(Outcome::Imported(v)),
        Some(Err(m)) => {
            errors.push("file", m);
            Err(errors)
        }
        None => Ok(Outcome::Running(job)),
    })
}

/// A layer import's inputs, owned by its job.
struct LayerWork {
    kind: ControlLayerKind,
    name: String,
    source_file: String,
    files: Vec<minplan_io::InputFile>,
    read: minplan_io::ReadOptions,
    declared: Option<minplan_geo::Crs>,
    zone: minplan_geo::GaussKrugerZone,
    buffer_m: Option<f64>,
}

/// How long a request waits for the import it started.
#[derive(Clone, Copy)]
enum Wait {
    /// [`crate::WebConfig::import_wait`], then the progress page (the form).
    Briefly,
    /// Until it ends (the API: one request, one answer).
    ToTheEnd,
}

/// The job of one layer import: [`minplan_store::Store::stage_layer`] with no lock held, then
/// the write lock for [`minplan_store::Store::commit_staged_layer`] and the engine rebuild.
/// The outcome is the new version, or the user's message (the file's problem, or that the
/// server failed) — nothing imported then.
async fn run_import(
    st: &AppState,
    w: &LayerWork,
    who: &minplan_store::Actor,
    progress: &LayerProgress,
) -> Result<LayerVersion, String> {
    let layer = LayerImport {
        kind: w.kind,
        name: &w.name,
        source_file: &w.source_file,
        files: &w.files,
        read: &w.read,
        declared: w.declared,
        zone: w.zone,
        buffer_m: w.buffer_m,
    };
    let failed = |e: StoreError| match e {
        StoreError::BadInput(m) | StoreError::NotFound(m) => format!("{m}；未导入"),
        e => {
            tracing::error!(error = %e, "layer import failed");
            "服务器未能完成导入（数据库错误，详见服务器日志）；未导入".to_string()
        }
    };
    let staged = st
        .store
        .stage_layer(&layer, progress)
        .await
        .map_err(failed)?;
    let _guard = st.write_lock().await;
    let v = st
        .store
        .commit_staged_layer(staged, who)
        .await
        .map_err(failed)?;
    if let Err(e) = st.rebuild_engine().await {
        tracing::error!(error = %e, "engine rebuild after a layer import failed");
    }
    Ok(v)
}

/// `POST /layers` (multipart: `kind`, `name`, `buffer_m`, file `file`): imports the layer and
/// shows its version with the features left out (303 to `/layers/{id}`), or the form again
/// with each field's error (422).
pub async fn upload_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageLayers>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = SubmittedForm::read(&headers, body).await;
    let entered = Entered {
        kind: f.get("kind").trim().to_string(),
        name: f.get("name").trim().to_string(),
        buffer: f.get("buffer_m").trim().to_string(),
        epsg: f.get("epsg").trim().to_string(),
        layer: f.get("layer").trim().to_string(),
        encoding: f.get("encoding").trim().to_string(),
    };
    let mut errors = FieldErrors::default();
    if let Some(p) = &f.problem {
        errors.push("file", p.clone());
        return render(
            &st,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            errors,
            entered,
            None,
        )
        .await;
    }
    let upload = Upload {
        kind: &entered.kind,
        name: &entered.name,
        buffer: &entered.buffer,
        epsg: &entered.epsg,
        layer: &entered.layer,
        encoding: &entered.encoding,
        files: f
            .files("file")
            .iter()
            .map(|u| minplan_io::InputFile {
                name: u.file_name.clone(),
                bytes: u.bytes.clone(),
            })
            .collect(),
        check_only: f.get("action") == "check",
    };
    match import(&st, &user, &upload, Wait::Briefly).await? {
        Ok(Outcome::Imported(v)) => {
            Ok(Redirect::to(&format!("/layers/{}?imported=1", v.id)).into_response())
        }
        Ok(Outcome::Running(job)) => {
            Ok(Redirect::to(&format!("/layers/imports/{job}")).into_response())
        }
        Ok(Outcome::Checked(p)) => {
            render(
                &st,
                &user,
                StatusCode::OK,
                FieldErrors::default(),
                entered,
                Some(p),
            )
            .await
        }
        Err(errors) => {
            render(
                &st,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                entered,
                None,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "layer_import.html")]
struct ImportPage {
    layout: Layout,
    title: String,
    seconds: u64,
    read: u64,
    written: u64,
    left_out: u64,
    /// Why nothing was imported, once the job has ended so.
    failed: Option<String>,
}

/// `GET /layers/imports/{job}`: a layer import under way — what it has read, written and left
/// out so far, the page reloading itself every two seconds (no script needed) — then, once it
/// has ended, 303 to the new version, or why nothing was imported (422).
pub async fn job_page(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ManageLayers>,
    Path(job): Path<String>,
) -> Result<Response, AppError> {
    let gone = || {
        AppError::NotFound("没有这项图层导入（导入结束一小时后不再显示，结果见图层管理）".into())
    };
    let job: u64 = job.parse().map_err(|_| gone())?;
    let v = st.layer_jobs().view(job).ok_or_else(gone)?;
    let failed = match v.outcome {
        Some(Ok(version)) => {
            return Ok(Redirect::to(&format!("/layers/{}?imported=1", version.id)).into_response());
        }
        Some(Err(m)) => Some(m),
        None => None,
    };
    let sp = st.plan().await;
    let status = if failed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = ImportPage {
        layout: layout(&sp, "layers"),
        title: v.title,
        seconds: v.elapsed.as_secs(),
        read: v.progress.read.load(Ordering::Relaxed),
        written: v.progress.written.load(Ordering::Relaxed),
        left_out: v.progress.left_out.load(Ordering::Relaxed),
        failed,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /layers/export?format=…`: the control layers reviews use now, as a layer file.
pub async fn export(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ViewLayers>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    crate::http::download::layer_export(&st, minplan_store::ExportSet::Layers, &q).await
}

fn parse_id(id: &str) -> Result<i64, AppError> {
    id.parse()
        .map_err(|_| AppError::BadRequest(format!("图层版本编号应为整数，收到“{id}”")))
}

async fn stored(st: &AppState, id: &str) -> Result<StoredLayer, AppError> {
    match st.store.stored_layer(parse_id(id)?).await {
        Ok(l) => Ok(l),
        Err(StoreError::NotFound(m)) => Err(AppError::NotFound(m)),
        Err(e) => Err(e.into()),
    }
}

/// The features of a stored layer as GeoJSON.
pub fn layer_geojson(l: &StoredLayer) -> Value {
    collection(
        l.features
            .iter()
            .map(|f| {
                let mut props = f.properties.clone();
                props.insert("id".into(), json!(f.id));
                props.insert("name".into(), json!(f.name));
                props.insert("area_km2".into(), json!(f.area_km2));
                props.insert("layer".into(), json!(l.version.kind.label()));
                json!({
                    "type": "Feature",
                    "id": f.id,
                    "properties": props,
                    "geometry": { "type": "MultiPolygon", "coordinates": f.geometry },
                })
            })
            .collect(),
    )
}

#[derive(Template)]
#[template(path = "layer.html")]
struct VersionPage {
    layout: Layout,
    v: LayerVersion,
    just_imported: bool,
    map: MapView,
}

/// `GET /layers/{id}`: one imported version: its data, the features left out and why, and
/// its features on the map.
pub async fn version_page(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ViewLayers>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    // The version alone: its features load on the map from the API.
    let v = match st.store.layer_version(parse_id(&id)?).await {
        Ok(v) => v,
        Err(StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
        Err(e) => return Err(e.into()),
    };
    let sp = st.plan().await;
    let plan = &sp.loaded.plan;
    let mut layers: Vec<Value> = plan_layers(plan)
        .into_iter()
        .filter(|x| x["id"] != v.kind.slug())
        .map(|mut x| {
            x["fit"] = json!(false);
            x
        })
        .collect();
    // The features load from the API (a county's farmland is tens of megabytes: not inline).
    layers.push(json!({
        "id": v.kind.slug(),
        "name": format!("{}（导入 #{}）", v.name, v.id),
        "url": format!("/api/layers/{}?format=geojson", v.id),
        "style": v.kind.slug(),
        "visible": true,
        "fit": true,
    }));
    let page = VersionPage {
        layout: layout(&sp, "layers"),
        map: map_view(&st, plan, layers, Value::Null),
        just_imported: q.contains_key("imported"),
        v,
    };
    Ok(Html(page.render()?).into_response())
}

/// `{in_use, versions}` of `GET /api/layers`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LayersView {
    /// For each kind, what reviews use now.
    pub in_use: Vec<InUse>,
    /// Every imported version, newest first.
    pub versions: Vec<LayerVersion>,
}

/// `{version}`: an imported layer version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OneLayerVersion {
    /// The version (its `problems` list the features left out).
    pub version: LayerVersion,
}

/// `{version, features}` of `GET /api/layers/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LayerVersionDetail {
    /// The version.
    pub version: LayerVersion,
    /// Its features.
    pub features: GeoJson,
}

/// The answer of `GET /api/layers/{id}`: the version with its features, or (`?format=geojson`)
/// the features alone.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum LayerVersionAnswer {
    /// `{version, features}`.
    Detail(Box<LayerVersionDetail>),
    /// The GeoJSON FeatureCollection.
    Features(GeoJson),
}

/// `GET /api/layers`: what reviews use and every imported version.
#[utoipa::path(get, path = "/api/layers", tag = "图层管理",
    responses(
        (status = 200, description = "各类管控图层当前所用版本与全部导入版本", body = LayersView),
        (status = 401, description = "未登录", body = ApiError),
        (status = 403, description = "无权（矿山企业）", body = ApiError),
    ))]
pub async fn api_list(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ViewLayers>,
) -> ApiResult<Json<LayersView>> {
    let versions = st.store.list_layers().await?;
    Ok(Json(LayersView {
        in_use: in_use(&st).await,
        versions,
    }))
}

/// Body of `POST /api/layers`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LayerUploadRequest {
    /// 图层类型: 生态保护红线 | 永久基本农田 | 城镇开发边界 | 三区两线可视范围 (or the slug).
    pub kind: String,
    /// Display name (default: the kind).
    #[serde(default)]
    pub name: String,
    /// Half-width of the buffer around line features (roads, railways, rivers), metres.
    #[serde(default)]
    pub buffer_m: Option<f64>,
    /// File name, recorded (default `upload.geojson`).
    #[serde(default)]
    pub file_name: Option<String>,
    /// The GeoJSON FeatureCollection (object, or its text).
    #[schema(value_type = Object)]
    pub geojson: Value,
}

/// `POST /api/layers`: imports a layer version; 201 with the version (its `problems` list
/// the features left out), or 422 `invalid` with `fields`.
#[utoipa::path(post, path = "/api/layers", tag = "图层管理",
    request_body = LayerUploadRequest,
    responses(
        (status = 201, description = "新图层版本（problems 为未导入的要素及原因）", body = OneLayerVersion),
        (status = 400, description = "请求格式错误", body = ApiError),
        (status = 422, description = "无法导入（fields）", body = ApiError),
        (status = 403, description = "无权（需系统管理员或规划科）或缺少 CSRF 令牌", body = ApiError),
    ))]
pub async fn api_upload(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageLayers>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<OneLayerVersion>)> {
    let req: LayerUploadRequest = json_body(&body)?;
    let text = match &req.geojson {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    };
    let buffer = req.buffer_m.map(|b| b.to_string()).unwrap_or_default();
    let upload = Upload {
        kind: &req.kind,
        name: &req.name,
        buffer: &buffer,
        epsg: "",
        layer: "",
        encoding: "",
        files: if text.trim().is_empty() {
            Vec::new()
        } else {
            vec![minplan_io::InputFile {
                name: req
                    .file_name
                    .clone()
                    .unwrap_or_else(|| "upload.geojson".into()),
                bytes: text.into_bytes(),
            }]
        },
        check_only: false,
    };
    match import(&st, &user, &upload, Wait::ToTheEnd)
        .await?
        .map_err(AppError::from)?
    {
        Outcome::Imported(v) => Ok((StatusCode::CREATED, Json(OneLayerVersion { version: v }))),
        Outcome::Checked(_) | Outcome::Running(_) => Err(AppError::Http {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "图层只检查未导入".into(),
        }
        .into()),
    }
}

/// `GET /api/layers/{id}`: the version and its features as GeoJSON; with `?format=geojson`
/// the FeatureCollection alone (for maps).
#[utoipa::path(get, path = "/api/layers/{id}", tag = "图层管理",
    params(
        ("id" = i64, Path, description = "图层版本编号"),
        ("format" = Option<String>, Query, description = "geojson：只返回要素集合"),
    ),
    responses(
        (status = 200, description = "图层版本及其要素，或 GeoJSON FeatureCollection", body = LayerVersionAnswer),
        (status = 400, description = "编号不是整数", body = ApiError),
        (status = 401, description = "未登录", body = ApiError),
        (status = 403, description = "无权（矿山企业）", body = ApiError),
        (status = 404, description = "没有该图层版本", body = ApiError),
    ))]
pub async fn api_version(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ViewLayers>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> ApiResult<Json<LayerVersionAnswer>> {
    let l = stored(&st, &id).await?;
    let features = GeoJson(layer_geojson(&l));
    Ok(Json(if q.get("format").is_some_and(|f| f == "geojson") {
        LayerVersionAnswer::Features(features)
    } else {
        LayerVersionAnswer::Detail(Box::new(LayerVersionDetail {
            features,
            version: l.version,
        }))
    }))
}
