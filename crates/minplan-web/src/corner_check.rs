//! The corner check of 申请受理: the pasted or uploaded corner coordinates read with the same
//! options an application's review will use ([`corner_parse_options`]: stated EPSG code and
//! datum, else the plan's zone; the county for the outside-county check), and the report
//! (`CornerReport::to_json`, as `minplan coords check --json` prints it) extended for the map:
//! every readable point with its label in longitude/latitude, every ring as a lon/lat line,
//! and every problem with the places of its points.
//!
//! `POST /api/corners/check` (JSON or multipart); the intake page calls it as the user
//! types, and renders the same JSON itself when the form is posted without scripts.

use crate::AppState;
use crate::auth::{RequireRole, policy};
use crate::error::AppError;
use crate::forms::{SubmittedForm, json_body};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use minplan_domain::application::{CornerOption, CornerOptionsInput, corner_parse_options};
use minplan_geo::corners::{self, CornerPoint, CornerReport};
use minplan_geo::{Crs, GaussKrugerZone};
use minplan_store::ReviewEngine;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

/// Body of `POST /api/corners/check` (JSON). The multipart form has the same fields, and the
/// coordinates may come as the file part `file` instead of `text`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CornerCheckRequest {
    /// The corner coordinates as pasted (any layout of docs/coordinates.md).
    #[serde(default)]
    pub text: String,
    /// EPSG code of the coordinates (e.g. 4532, 4553, 4490); absent: detected.
    #[serde(default)]
    pub crs: Option<u32>,
    /// 3° zone number when Y has no prefix (e.g. 44); absent: the plan's zone.
    #[serde(default)]
    pub zone: Option<u32>,
    /// Datum as stated (`CGCS2000`); absent: detected or not stated.
    #[serde(default)]
    pub datum: Option<String>,
}

/// Reads corner coordinates as the review will (`text` pasted, or `file` bytes).
pub fn check(
    engine: &ReviewEngine,
    text: Option<&str>,
    file: Option<&[u8]>,
    input: &CornerOptionsInput<'_>,
) -> (CornerReport, Vec<(CornerOption, String)>) {
    let zone = engine.plan.loaded.plan.region.zone;
    let (opts, problems) = corner_parse_options(input, zone, Some(engine.region()));
    let report = match (text, file) {
        (Some(t), _) => corners::parse_str(t, &opts),
        (None, Some(b)) => corners::parse_bytes(b, &opts),
        (None, None) => corners::parse_str("", &opts),
    };
    (report, problems)
}

/// Longitude/latitude of a point of a report, when it can be placed: geographic input as
/// is; plane input through the report's Gauss–Krüger zone (the zone prefix, if written,
/// removed). Used to draw points even when the report has errors; the positions are then
/// only as good as the zone the reader settled on.
pub fn point_lonlat(report: &CornerReport, p: &CornerPoint) -> Option<(f64, f64)> {
    if !p.is_readable() {
        return None;
    }
    let (lon, lat) = if report.geographic {
        (p.y, p.x)
    } else {
        let z: GaussKrugerZone = match report.crs {
            Some(Crs::GaussKruger(z)) => z,
            _ => report.zone?,
        };
        let prefix = f64::from(z.zone) * 1_000_000.0;
        let easting = if p.y >= 1_000_000.0 {
            p.y - prefix
        } else {
            p.y
        };
        z.with_prefix(false).projection().inverse(easting, p.x)
    };
    ((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)).then_some((lon, lat))
}

/// The report's JSON for the page and the API (see the module documentation).
pub fn report_json(report: &CornerReport, option_problems: &[(CornerOption, String)]) -> Value {
    let mut v = report.to_json();
    let mut points = Vec::new();
    let mut rings = Vec::new();
    for b in &report.blocks {
        for (ri, r) in b.rings.iter().enumerate() {
            let ring_name = r.name.clone().unwrap_or_else(|| format!("第{}圈", ri + 1));
            let mut line = Vec::new();
            for p in &r.points {
                if let Some((lon, lat)) = point_lonlat(report, p) {
                    points.push(json!({
                        "block": b.name, "ring": ring_name, "label": p.label,
                        "x_text": p.x_text, "y_text": p.y_text, "lon": lon, "lat": lat,
                    }));
                    line.push(json!([lon, lat]));
                }
            }
            if line.len() >= 2 {
                rings.push(json!({
                    "block": b.name, "ring": ring_name,
                    "role": if r.role == corners::RingRole::Shell { "shell" } else { "hole" },
                    "coordinates": line,
                }));
            }
        }
    }
    if let Some(list) = v["problems"].as_array_mut() {
        for (item, p) in list.iter_mut().zip(&report.problems) {
            let mut places = Vec::new();
            for b in &report.blocks {
                for r in &b.rings {
                    if let Some(name) = &p.ring
                        && r.name.as_ref() != Some(name)
                        && &b.name != name
                    {
                        continue;
                    }
                    for q in r.points.iter().filter(|q| p.points.contains(&q.label)) {
                        if let Some((lon, lat)) = point_lonlat(report, q) {
                            let place = json!({ "label": q.label, "lon": lon, "lat": lat });
                            if !places.contains(&place) {
                                places.push(place);
                            }
                        }
                    }
                }
            }
            item["severity_label"] = json!(p.severity.label_zh());
            item["places"] = json!(places);
        }
    }
    v["points_lonlat"] = json!(points);
    v["rings_lonlat"] = json!(rings);
    v["option_problems"] = json!(
        option_problems
            .iter()
            .map(|(o, m)| json!({ "field": match o {
                CornerOption::Crs => "crs",
                CornerOption::Zone => "zone",
                CornerOption::Datum => "datum",
            }, "message": m }))
            .collect::<Vec<_>>()
    );
    v["ok"] = json!(!report.has_errors() && !report.nothing_read() && option_problems.is_empty());
    v
}

/// `POST /api/corners/check`: the corner report with places for the map (200 whatever the
/// coordinates' problems — they are the answer); 400 when the body is not a request.
#[utoipa::path(post, path = "/api/corners/check", tag = "申请受理",
    request_body(content = CornerCheckRequest, description = "JSON；或 multipart/form-data（字段相同，坐标文件为 file）"),
    responses(
        (status = 200, description = "坐标检查结果：格式、坐标系、各圈拐点（含经纬度）、问题（含所在点位）、平面与椭球面积", body = Object),
        (status = 400, description = "请求格式错误", body = crate::openapi::ApiError),
        (status = 401, description = "未登录", body = crate::openapi::ApiError),
        (status = 403, description = "无权或缺少 CSRF 令牌", body = crate::openapi::ApiError),
        (status = 413, description = "请求内容过大", body = crate::openapi::ApiError),
    ))]
pub async fn api(
    State(st): State<AppState>,
    _: RequireRole<policy::RunReview>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let multipart = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.to_ascii_lowercase().starts_with("multipart/"));
    let (req, file) = if multipart {
        let f = SubmittedForm::read(&headers, body).await;
        if let Some(p) = f.problem {
            return AppError::BadRequest(p).into_json();
        }
        let num = |k: &str| f.get(k).trim().parse::<u32>().ok();
        (
            CornerCheckRequest {
                text: f.get("text").to_string(),
                crs: num("crs"),
                zone: num("zone"),
                datum: Some(f.get("datum").trim().to_string()).filter(|d| !d.is_empty()),
            },
            f.file("file").map(|u| u.bytes.clone()),
        )
    } else {
        match json_body::<CornerCheckRequest>(&body) {
            Ok(r) => (r, None),
            Err(e) => return e.into_json(),
        }
    };
    let size = file.as_ref().map_or(req.text.len(), Vec::len);
    if size > crate::application_form::MAX_CORNER_BYTES {
        return AppError::Http {
            status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            code: "payload_too_large",
            message: format!(
                "拐点坐标过长：上限 {} KiB",
                crate::application_form::MAX_CORNER_BYTES / 1024
            ),
        }
        .into_json();
    }
    let engine = st.engine().await;
    let input = CornerOptionsInput {
        crs: req.crs,
        zone: req.zone,
        datum: req.datum.as_deref(),
    };
    let (report, problems) = match &file {
        Some(b) => check(&engine, None, Some(b), &input),
        None => check(&engine, Some(&req.text), None, &input),
    };
    Json(report_json(&report, &problems)).into_response()
}
