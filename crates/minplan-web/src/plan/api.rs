//! The JSON API behind each page. Errors are `{"code": …, "message": …}` with a Chinese
//! message. Geometry is GeoJSON in CGCS2000 longitude/latitude (EPSG:4490, RFC 7946 order,
//! exterior rings counter-clockwise).

use crate::AppState;
use crate::http::error::AppError;
use crate::http::views::*;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use minplan_domain::plan::{ControlLayerKind, geojson};
use serde_json::{Value, json};

fn ok(v: Value) -> Response {
    Json(v).into_response()
}

/// `GET /api/plan`: the plan without geometry (identity, region, baseline, 专栏1, indicators,
/// block groups and block attributes, key areas, prohibitions, admission, layer summaries),
/// with the stored version.
#[utoipa::path(get, path = "/api/plan", tag = "规划", responses((status = 200, description = "规划数据（不含图形）：版本、规划信息、行政区、现状、专栏1、指标、区块、产业区域、禁止限制、准入条件、管控图层摘要", body = Object)))]
pub async fn plan(State(st): State<AppState>) -> Response {
    let sp = st.plan().await;
    let p = &sp.loaded.plan;
    ok(json!({
        "version": sp.info,
        "identity": p.identity,
        "region": {
            "name": p.region.name,
            "towns": p.region.towns,
            "zone": { "epsg": p.region.zone.epsg(), "epsg_without_prefix": p.region.zone.with_prefix(false).epsg(), "central_meridian": p.region.zone.central_meridian(), "label": p.region.zone.to_string() },
            "outline_area_km2": p.region.outline_area_km2,
            "outline_schematic": p.region.outline_schematic,
            "outline_source": p.region.outline_source,
        },
        "baseline": p.baseline,
        "previous_round": previous_round_views(p),
        "indicators": indicator_views(p),
        "block_groups": p.block_groups,
        "blocks": block_views(p),
        "key_areas": p.key_areas,
        "prohibitions": p.prohibitions,
        "admission": p.admission,
        "control_layers": p.control_layers.iter().map(|l| json!({
            "kind": l.kind, "slug": l.kind.slug(), "name": l.name, "source": l.source,
            "schematic": l.schematic, "buffer_m": l.buffer_m, "features": l.features.len(),
        })).collect::<Vec<_>>(),
        "warnings": sp.loaded.warnings,
    }))
}

/// `GET /api/plan/indicators`: the target indicators, each with `current` (null until
/// production data exists).
#[utoipa::path(get, path = "/api/plan/indicators", tag = "规划", responses((status = 200, description = "`{indicators}`：规划指标（current 在有生产数据前为 null）", body = Object)))]
pub async fn indicators(State(st): State<AppState>) -> Response {
    let sp = st.plan().await;
    ok(json!({ "indicators": indicator_views(&sp.loaded.plan) }))
}

/// `GET /api/plan/previous-round`: 专栏1 with completion percentages.
#[utoipa::path(get, path = "/api/plan/previous-round", tag = "规划", responses((status = 200, description = "`{rows}`：专栏1 及完成率", body = Object)))]
pub async fn previous_round(State(st): State<AppState>) -> Response {
    let sp = st.plan().await;
    ok(json!({ "rows": previous_round_views(&sp.loaded.plan) }))
}

/// `GET /api/plan/blocks`: the planning blocks as GeoJSON.
#[utoipa::path(get, path = "/api/plan/blocks", tag = "规划", responses((status = 200, description = "规划区块 GeoJSON FeatureCollection", body = Object)))]
pub async fn blocks(State(st): State<AppState>) -> Response {
    let sp = st.plan().await;
    ok(geojson::blocks(&sp.loaded.plan))
}

/// `GET /api/plan/outline`: the county outline as GeoJSON.
#[utoipa::path(get, path = "/api/plan/outline", tag = "规划", responses((status = 200, description = "行政区范围 GeoJSON", body = Object)))]
pub async fn outline(State(st): State<AppState>) -> Response {
    let sp = st.plan().await;
    ok(geojson::outline(&sp.loaded.plan))
}

/// `GET /api/plan/layers`: the control layers available (kind, slug, name, schematic flag).
#[utoipa::path(get, path = "/api/plan/layers", tag = "规划", responses((status = 200, description = "`{layers}`：规划数据包中的管控图层", body = Object)))]
pub async fn layers_index(State(st): State<AppState>) -> Response {
    let sp = st.plan().await;
    let layers: Vec<Value> = sp
        .loaded
        .plan
        .control_layers
        .iter()
        .map(|l| json!({ "kind": l.kind, "slug": l.kind.slug(), "name": l.name, "schematic": l.schematic, "features": l.features.len(), "url": format!("/api/plan/layers/{}", l.kind.slug()) }))
        .collect();
    ok(json!({ "layers": layers }))
}

/// `GET /api/plan/layers/{kind}`: one control layer as GeoJSON; `kind` is the slug
/// (`ecological_red_line`, …) or the Chinese name.
#[utoipa::path(get, path = "/api/plan/layers/{kind}", tag = "规划", params(("kind" = String, Path, description = "图层类型：ecological_red_line、permanent_basic_farmland、urban_development_boundary、visible_corridor 或中文名称")), responses((status = 200, description = "管控图层 GeoJSON", body = Object), (status = 404, description = "没有该图层", body = crate::http::error::ApiError)))]
pub async fn layer(State(st): State<AppState>, Path(kind): Path<String>) -> Response {
    let sp = st.plan().await;
    let Some(k) = ControlLayerKind::parse(&kind) else {
        return AppError::NotFound(format!("没有名为“{kind}”的管控图层类型")).into_json();
    };
    let Some(l) = sp.loaded.plan.control_layer(k) else {
        return AppError::NotFound(format!("当前规划没有“{}”图层", k.label())).into_json();
    };
    ok(geojson::control_layer(l))
}

/// `GET /api/plans`: stored plan versions.
#[utoipa::path(get, path = "/api/plans", tag = "规划", responses((status = 200, description = "`{plans}`：规划版本列表", body = Object)))]
pub async fn plans(State(st): State<AppState>) -> Response {
    match st.store.list_plans().await {
        Ok(list) => ok(json!({ "plans": list })),
        Err(e) => AppError::from(e).into_json(),
    }
}
