//! The JSON API behind the plan's pages (public). Errors are [`ApiError`]. Geometry is
//! GeoJSON in CGCS2000 longitude/latitude (EPSG:4490, RFC 7946 order, exterior rings
//! counter-clockwise).

use crate::AppState;
use crate::http::error::{ApiError, ApiResult, AppError};
use crate::http::json::{json_value, serde_name};
use crate::plan::views::*;
use axum::Json;
use axum::extract::{Path, State};
use minplan_domain::plan::{ControlLayer, ControlLayerKind, geojson};
use minplan_store::PlanVersionInfo;
use serde::Serialize;
use utoipa::ToSchema;

/// A GeoJSON `FeatureCollection` (RFC 7946 §3.3) in CGCS2000 longitude/latitude (EPSG:4490),
/// exterior rings counter-clockwise. Documented as [`FeatureCollectionShape`], so that an
/// answer that may be a collection or another object (`GET /api/rights`) is told apart.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(transparent)]
#[schema(value_type = FeatureCollectionShape)]
pub struct GeoJson(pub serde_json::Value);

/// The shape of a GeoJSON `FeatureCollection` in the OpenAPI document (RFC 7946 §3.3): its
/// `type`, its `features` (each `{type: "Feature", geometry, properties}`, §3.2) and,
/// for the plan's layers, the layer's `name` (as GDAL writes it). Only documents; never built.
#[derive(ToSchema)]
#[schema(as = FeatureCollection)]
#[allow(dead_code)]
pub struct FeatureCollectionShape {
    /// Always `FeatureCollection`.
    #[schema(pattern = "^FeatureCollection$")]
    r#type: String,
    /// The features.
    features: Vec<serde_json::Value>,
    /// The layer's name (`planning_blocks`, `county`, …), when it has one.
    name: Option<String>,
}

/// The Gauss–Krüger zone of the plan.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanZone {
    /// EPSG code with the zone prefix in Y (e.g. 4532).
    pub epsg: u32,
    /// EPSG code without the prefix (e.g. 4553).
    pub epsg_without_prefix: u32,
    /// Central meridian, degrees east.
    pub central_meridian: f64,
    /// The zone as people name it.
    pub label: String,
}

/// The plan's region.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanRegion {
    /// Name (e.g. 绥芬河市).
    pub name: String,
    /// Towns with the citation: `{value: [..], cite}`.
    #[schema(value_type = Object)]
    pub towns: serde_json::Value,
    /// The zone coordinates are written in.
    pub zone: PlanZone,
    /// Area of the outline, km².
    pub outline_area_km2: f64,
    /// Whether the outline is schematic (示意).
    pub outline_schematic: bool,
    /// Where the outline comes from.
    pub outline_source: String,
}

/// A control layer of the plan, without its features.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ControlLayerSummary {
    /// The kind (`EcologicalRedLine`, …).
    pub kind: String,
    /// The kind's slug (`ecological_red_line`, …), as in `/api/plan/layers/{kind}`.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Where the layer comes from (`source` only in `/api/plan`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Whether its geometry is schematic (示意).
    pub schematic: bool,
    /// Buffer, metres, when the plan sets one (`/api/plan` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buffer_m: Option<f64>,
    /// Number of features.
    pub features: usize,
    /// Its GeoJSON (`/api/plan/layers` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl ControlLayerSummary {
    fn of(l: &ControlLayer) -> ControlLayerSummary {
        ControlLayerSummary {
            kind: serde_name(&l.kind),
            slug: l.kind.slug().to_string(),
            name: l.name.clone(),
            source: None,
            schematic: l.schematic,
            buffer_m: None,
            features: l.features.len(),
            url: None,
        }
    }
}

/// `GET /api/plan`: the plan without geometry. Parts that are the plan's own data (identity,
/// baseline, block groups, key areas, prohibitions, admission) have the shape of the plan
/// bundle (docs/plan-format.md); the rest is as the pages show it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanData {
    /// The stored version.
    pub version: PlanVersionInfo,
    /// Name, level, period, base year, with citations (bundle shape).
    #[schema(value_type = Object)]
    pub identity: serde_json::Value,
    /// The region.
    pub region: PlanRegion,
    /// 现状 figures (bundle shape).
    #[schema(value_type = Vec<Object>)]
    pub baseline: serde_json::Value,
    /// 专栏1 rows.
    pub previous_round: Vec<PreviousRoundView>,
    /// Target indicators.
    pub indicators: Vec<IndicatorView>,
    /// Block groups with stated totals (bundle shape).
    #[schema(value_type = Vec<Object>)]
    pub block_groups: serde_json::Value,
    /// Planning blocks.
    pub blocks: Vec<BlockView>,
    /// Key areas (bundle shape).
    #[schema(value_type = Vec<Object>)]
    pub key_areas: serde_json::Value,
    /// Prohibitions and restrictions (bundle shape).
    #[schema(value_type = Vec<Object>)]
    pub prohibitions: serde_json::Value,
    /// Admission conditions (bundle shape).
    #[schema(value_type = Object)]
    pub admission: serde_json::Value,
    /// Control layers.
    pub control_layers: Vec<ControlLayerSummary>,
    /// Problems of the bundle that did not stop loading.
    #[schema(value_type = Vec<Object>)]
    pub warnings: serde_json::Value,
    /// Source documents besides the plan text (`[[sources]]`, bundle shape, `has_text`
    /// telling whether citations into it were checked).
    #[schema(value_type = Vec<Object>)]
    pub sources: serde_json::Value,
}

/// `{indicators}` of `GET /api/plan/indicators`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanIndicators {
    /// The target indicators (`current` is null: see `/api/indicators` for the values).
    pub indicators: Vec<IndicatorView>,
}

/// `{rows}` of `GET /api/plan/previous-round`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreviousRound {
    /// 专栏1 with completion percentages.
    pub rows: Vec<PreviousRoundView>,
}

/// `{layers}` of `GET /api/plan/layers`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanLayers {
    /// The control layers of the bundle, each with its GeoJSON's URL.
    pub layers: Vec<ControlLayerSummary>,
}

/// `{plans}` of `GET /api/plans`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanVersions {
    /// The stored plan versions.
    pub plans: Vec<PlanVersionInfo>,
}

/// `GET /api/plan`: the plan without geometry (identity, region, baseline, 专栏1, indicators,
/// block groups and block attributes, key areas, prohibitions, admission, layer summaries),
/// with the stored version.
#[utoipa::path(get, path = "/api/plan", tag = "规划", responses((status = 200, description = "规划数据（不含图形）：版本、规划信息、行政区、现状、专栏1、指标、区块、产业区域、禁止限制、准入条件、管控图层摘要", body = PlanData)))]
pub async fn plan(State(st): State<AppState>) -> ApiResult<Json<PlanData>> {
    let sp = st.plan().await;
    let p = &sp.loaded.plan;
    let z = p.region.zone;
    Ok(Json(PlanData {
        version: sp.info.clone(),
        identity: json_value(&p.identity)?,
        region: PlanRegion {
            name: p.region.name.clone(),
            towns: json_value(&p.region.towns)?,
            zone: PlanZone {
                epsg: z.epsg(),
                epsg_without_prefix: z.with_prefix(false).epsg(),
                central_meridian: z.central_meridian(),
                label: z.to_string(),
            },
            outline_area_km2: p.region.outline_area_km2,
            outline_schematic: p.region.outline_schematic,
            outline_source: p.region.outline_source.clone(),
        },
        baseline: json_value(&p.baseline)?,
        previous_round: previous_round_views(p),
        indicators: indicator_views(p),
        block_groups: json_value(&p.block_groups)?,
        blocks: block_views(p),
        key_areas: json_value(&p.key_areas)?,
        prohibitions: json_value(&p.prohibitions)?,
        admission: json_value(&p.admission)?,
        control_layers: p
            .control_layers
            .iter()
            .map(|l| ControlLayerSummary {
                source: Some(l.source.clone()),
                buffer_m: l.buffer_m,
                ..ControlLayerSummary::of(l)
            })
            .collect(),
        warnings: json_value(&sp.loaded.warnings)?,
        sources: json_value(&p.sources)?,
    }))
}

/// `GET /api/plan/indicators`: the target indicators, each with `current` (null until
/// production data exists).
#[utoipa::path(get, path = "/api/plan/indicators", tag = "规划", responses((status = 200, description = "规划指标（current 在有生产数据前为 null）", body = PlanIndicators)))]
pub async fn indicators(State(st): State<AppState>) -> Json<PlanIndicators> {
    let sp = st.plan().await;
    Json(PlanIndicators {
        indicators: indicator_views(&sp.loaded.plan),
    })
}

/// `GET /api/plan/previous-round`: 专栏1 with completion percentages.
#[utoipa::path(get, path = "/api/plan/previous-round", tag = "规划", responses((status = 200, description = "专栏1 及完成率", body = PreviousRound)))]
pub async fn previous_round(State(st): State<AppState>) -> Json<PreviousRound> {
    let sp = st.plan().await;
    Json(PreviousRound {
        rows: previous_round_views(&sp.loaded.plan),
    })
}

/// `GET /api/plan/blocks`: the planning blocks as GeoJSON.
#[utoipa::path(get, path = "/api/plan/blocks", tag = "规划", responses((status = 200, description = "规划区块 GeoJSON FeatureCollection", body = GeoJson)))]
pub async fn blocks(State(st): State<AppState>) -> Json<GeoJson> {
    let sp = st.plan().await;
    Json(GeoJson(geojson::blocks(&sp.loaded.plan)))
}

/// `GET /api/plan/outline`: the county outline as GeoJSON.
#[utoipa::path(get, path = "/api/plan/outline", tag = "规划", responses((status = 200, description = "行政区范围 GeoJSON", body = GeoJson)))]
pub async fn outline(State(st): State<AppState>) -> Json<GeoJson> {
    let sp = st.plan().await;
    Json(GeoJson(geojson::outline(&sp.loaded.plan)))
}

/// `GET /api/plan/layers`: the control layers available (kind, slug, name, schematic flag).
#[utoipa::path(get, path = "/api/plan/layers", tag = "规划", responses((status = 200, description = "规划数据包中的管控图层", body = PlanLayers)))]
pub async fn layers_index(State(st): State<AppState>) -> Json<PlanLayers> {
    let sp = st.plan().await;
    Json(PlanLayers {
        layers: sp
            .loaded
            .plan
            .control_layers
            .iter()
            .map(|l| ControlLayerSummary {
                url: Some(format!("/api/plan/layers/{}", l.kind.slug())),
                ..ControlLayerSummary::of(l)
            })
            .collect(),
    })
}

/// `GET /api/plan/layers/{kind}`: one control layer as GeoJSON; `kind` is the slug
/// (`ecological_red_line`, …) or the Chinese name.
#[utoipa::path(get, path = "/api/plan/layers/{kind}", tag = "规划", params(("kind" = String, Path, description = "图层类型：ecological_red_line、permanent_basic_farmland、urban_development_boundary、visible_corridor 或中文名称")), responses((status = 200, description = "管控图层 GeoJSON", body = GeoJson), (status = 404, description = "没有该图层", body = ApiError)))]
pub async fn layer(
    State(st): State<AppState>,
    Path(kind): Path<String>,
) -> ApiResult<Json<GeoJson>> {
    let sp = st.plan().await;
    let k = ControlLayerKind::parse(&kind)
        .ok_or_else(|| AppError::NotFound(format!("没有名为“{kind}”的管控图层类型")))?;
    let l = sp
        .loaded
        .plan
        .control_layer(k)
        .ok_or_else(|| AppError::NotFound(format!("当前规划没有“{}”图层", k.label())))?;
    Ok(Json(GeoJson(geojson::control_layer(l))))
}

/// `GET /api/plans`: stored plan versions.
#[utoipa::path(get, path = "/api/plans", tag = "规划", responses((status = 200, description = "规划版本列表", body = PlanVersions)))]
pub async fn plans(State(st): State<AppState>) -> ApiResult<Json<PlanVersions>> {
    let list = st.store.list_plans().await?;
    Ok(Json(PlanVersions { plans: list }))
}
