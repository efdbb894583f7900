//! The map's measure tool: `POST /api/measure` with a line or polygon drawn on the map
//! returns its length along the CGCS2000 ellipsoid ([`minplan_geo::geodesic`], Vincenty) and
//! its ellipsoidal area (TD/T 1055-2019 附录D, [`minplan_geo::area::ellipsoidal_area_lonlat`])
//! — the same Rust code that computes every official area, so the numbers on the map and in
//! the 审查意见书 agree.
//!
//! **Assumptions**: vertices are CGCS2000 longitude/latitude (RFC 7946 order); polygon edges
//! are taken as straight in longitude/latitude (for the sizes drawn on a county map the
//! difference from edges straight in the Gauss plane is far below the 4-decimal km²).

use crate::http::error::{ApiError, ApiResult, AppError};
use crate::http::forms::json_body;
use axum::Json;
use axum::body::Bytes;
use minplan_geo::Ellipsoid;
use minplan_geo::area::{ellipsoidal_area_lonlat, km2_4dp};
use minplan_geo::geodesic::path_length;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The routes of the map's measure tool.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::post;
    axum::Router::new().route("/api/measure", post(api))
}

/// Most vertices accepted in one measurement.
pub const MAX_VERTICES: usize = 10_000;

/// Body of `POST /api/measure`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MeasureRequest {
    /// A GeoJSON geometry: `LineString` (`[[lon, lat], …]`) or `Polygon` (`[[[lon, lat], …]]`,
    /// exterior ring first; holes are subtracted).
    #[schema(value_type = Object)]
    pub geometry: serde_json::Value,
}

/// The geometry as sent cannot be measured (422 at the field `geometry`: the request is well
/// formed, what it describes is not a line or polygon on the ellipsoid).
fn unmeasurable(message: impl Into<String>) -> AppError {
    AppError::Invalid(vec![minplan_store::FieldError::new("geometry", message)])
}

fn positions(v: &serde_json::Value, what: &str) -> Result<Vec<(f64, f64)>, AppError> {
    let bad = || unmeasurable(format!("{what}应为 [经度, 纬度] 数组的列表"));
    let arr = v.as_array().ok_or_else(bad)?;
    if arr.len() > MAX_VERTICES {
        return Err(unmeasurable(format!(
            "{what}的顶点过多：上限 {MAX_VERTICES} 个"
        )));
    }
    arr.iter()
        .map(|p| {
            let p = p.as_array().filter(|p| p.len() >= 2).ok_or_else(bad)?;
            let (lon, lat) = (
                p[0].as_f64().ok_or_else(bad)?,
                p[1].as_f64().ok_or_else(bad)?,
            );
            if !((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)) {
                return Err(unmeasurable(format!(
                    "{what}中的点（{lon}, {lat}）不是有效的经纬度"
                )));
            }
            Ok((lon, lat))
        })
        .collect()
}

/// The measurement of a drawn line or polygon.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Measurement {
    /// `LineString` or `Polygon`.
    pub kind: String,
    /// Geodesic length on CGCS2000, metres (a polygon: its exterior ring's perimeter).
    pub length_m: f64,
    /// Ellipsoidal area (TD/T 1055-2019 附录D), m² (polygons only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_m2: Option<f64>,
    /// The area in km², 4 decimals (polygons only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area_km2: Option<f64>,
    /// How each figure was computed, Chinese.
    pub methods: MeasureMethods,
}

/// How a measurement's figures were computed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MeasureMethods {
    /// Method of the length.
    pub length: String,
    /// Method of the area (polygons only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
}

/// Measures a GeoJSON geometry in CGCS2000 longitude/latitude (degrees, lon first): a
/// `LineString`'s geodesic length, or a `Polygon`'s ellipsoidal area and the perimeter of its
/// exterior ring.
///
/// # Errors
/// [`AppError::Invalid`] (422, field `geometry`) naming what is wrong with the geometry.
pub fn measure(geometry: &serde_json::Value) -> Result<Measurement, AppError> {
    let e = Ellipsoid::CGCS2000;
    let no_solution = || unmeasurable("两点近乎位于地球两端，无法计算大地线长度");
    match geometry["type"].as_str() {
        Some("LineString") => {
            let pts = positions(&geometry["coordinates"], "线")?;
            if pts.len() < 2 {
                return Err(unmeasurable("线至少要有两个点"));
            }
            let length = path_length(&pts, e).ok_or_else(no_solution)?;
            Ok(Measurement {
                kind: "LineString".into(),
                length_m: length,
                area_m2: None,
                area_km2: None,
                methods: MeasureMethods {
                    length: "CGCS2000 椭球面大地线长度（Vincenty 反算），各段相加".into(),
                    area: None,
                },
            })
        }
        Some("Polygon") => {
            let rings = geometry["coordinates"]
                .as_array()
                .filter(|r| !r.is_empty())
                .ok_or_else(|| unmeasurable("面应为至少一个环的数组"))?;
            let mut area = 0.0;
            let mut perimeter = 0.0;
            for (i, r) in rings.iter().enumerate() {
                let mut pts = positions(r, if i == 0 { "外环" } else { "内环" })?;
                if pts.len() > 1 && pts.first() == pts.last() {
                    pts.pop();
                }
                if pts.len() < 3 {
                    return Err(unmeasurable("面的每个环至少要有三个不同的点"));
                }
                let a = ellipsoidal_area_lonlat(&pts, e).abs();
                if i == 0 {
                    area += a;
                    let mut closed = pts.clone();
                    closed.push(pts[0]);
                    perimeter = path_length(&closed, e).ok_or_else(no_solution)?;
                } else {
                    area -= a;
                }
            }
            Ok(Measurement {
                kind: "Polygon".into(),
                length_m: perimeter,
                area_m2: Some(area),
                area_km2: Some(km2_4dp(area)),
                methods: MeasureMethods {
                    length: "外环周长：CGCS2000 椭球面大地线长度（Vincenty 反算）".into(),
                    area: Some(
                        "椭球面积：TD/T 1055-2019 附录D（CGCS2000 椭球），边视为经纬度直线".into(),
                    ),
                },
            })
        }
        Some(other) => Err(unmeasurable(format!(
            "不支持的图形类型“{other}”：只能量测 LineString（距离）或 Polygon（面积）"
        ))),
        None => Err(unmeasurable("缺少 geometry.type（LineString 或 Polygon）")),
    }
}

/// `POST /api/measure`: length and ellipsoidal area of a drawn line or polygon.
#[utoipa::path(post, path = "/api/measure", tag = "地图",
    request_body = MeasureRequest,
    responses(
        (status = 200, description = "大地线长度（米）与椭球面积（平方米，平方千米 4 位小数）", body = Measurement),
        (status = 400, description = "请求体不是 JSON 或缺少 geometry", body = ApiError),
        (status = 422, description = "图形无法量算（fields：geometry）", body = ApiError),
        (status = 403, description = "缺少 CSRF 令牌", body = ApiError),
    ))]
pub async fn api(body: Bytes) -> ApiResult<Json<Measurement>> {
    let req: MeasureRequest = json_body(&body)?;
    Ok(Json(measure(&req.geometry)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_one_hundred_metre_square_near_suifenhe() {
        // 0.001° of latitude ≈ 111.13 m; of longitude at 44.4° ≈ 79.6 m.
        let v = measure(&json!({"type": "Polygon", "coordinates": [[[131.0, 44.4], [131.001, 44.4], [131.001, 44.401], [131.0, 44.401], [131.0, 44.4]]]})).unwrap();
        let a = v.area_m2.unwrap();
        assert!((a - 111.13 * 79.62).abs() < 10.0, "{a}");
        let l = measure(
            &json!({"type": "LineString", "coordinates": [[131.0, 44.4], [131.0, 44.401]]}),
        )
        .unwrap();
        assert!((l.length_m - 111.13).abs() < 0.1, "{l:?}");
        for bad in [
            json!({"type": "Point", "coordinates": [131.0, 44.4]}),
            json!({"type": "LineString", "coordinates": [[131.0, 44.4]]}),
            json!({"type": "LineString", "coordinates": [[200.0, 44.4], [131.0, 44.4]]}),
            json!({"type": "Polygon", "coordinates": [[[131.0, 44.4], [131.001, 44.4], [131.0, 44.4]]]}),
            json!({"type": "LineString", "coordinates": "x"}),
            json!({}),
        ] {
            assert!(measure(&bad).is_err(), "{bad}");
        }
    }
}
