//! The corner check of 申请受理: the pasted or uploaded corner coordinates read with the same
//! options an application's review will use ([`corner_parse_options`]: stated EPSG code and
//! datum, else the plan's zone; the county for the outside-county check), and the report
//! ([`CornerCheck`]: the report as `minplan coords check --json` prints it, extended for the
//! map: every readable point with its label in longitude/latitude, every ring as a lon/lat
//! line, and every problem with the places of its points).
//!
//! `POST /api/corners/check` (JSON or multipart); the intake page calls it as the user
//! types, and renders the same value itself when the form is posted without scripts.

use crate::AppState;
use crate::http::auth::policy;
use crate::http::error::AppError;
use crate::http::error::{ApiResult, FieldProblem};
use crate::http::extract::RequireRole;
use crate::http::forms::{SubmittedForm, json_body};
use crate::http::json::serde_name;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use minplan_domain::application::{CornerOption, CornerOptionsInput, corner_parse_options};
use minplan_geo::corners::{self, CornerReport, RingRole};
use minplan_store::ReviewEngine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Body of `POST /api/corners/check` (JSON). The multipart form has the same fields, and the
/// coordinates may come as the file part `file` instead of `text`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CornerCheckRequest {
    /// The corner coordinates as pasted (any layout of docs/coordinates.md).
    #[serde(default)]
    pub text: String,
    /// EPSG code of the coordinates (e.g. 4532, 4553, 4490); absent: detected. A code that
    /// is not CGCS2000 is answered in `option_problems`.
    #[serde(default, deserialize_with = "crate::http::json::opt_whole_u32")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 4294967295_i64)]
    pub crs: Option<u32>,
    /// 3° zone number when Y has no prefix (e.g. 44); absent: the plan's zone. A zone that
    /// does not exist is answered in `option_problems`.
    #[serde(default, deserialize_with = "crate::http::json::opt_whole_u32")]
    #[schema(value_type = Option<i64>, minimum = 0, maximum = 4294967295_i64)]
    pub zone: Option<u32>,
    /// Datum as stated (`CGCS2000`); absent: detected or not stated.
    #[serde(default)]
    pub datum: Option<String>,
    /// 申报面积 as written (`0.6752` km², `67.52公顷`, `675200平方米`, `1012.8亩`); absent or
    /// empty: none. Compared with the corners' ellipsoidal area (TD/T 1055-2019 附录D) within
    /// its rounding: a mismatch is a `stated_figure_mismatch` error in `problems`, an
    /// unreadable figure an `option_problems` entry of the field `declared_area`.
    #[serde(default)]
    pub declared_area: Option<String>,
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

/// The corner check of `POST /api/corners/check` and of the 申请受理 page (one value for
/// both): the reader's report as `minplan coords check --json` prints it (layout, CRS,
/// datum, zone, rings with points as read and as entered, problems, areas), and for the map
/// every readable point and ring in CGCS2000 longitude/latitude (degrees, longitude first)
/// and every problem with the places of its points.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CornerCheck {
    /// The layout detected (`mnr_submission`, `plane_table`, `geographic_table`, …).
    pub layout: String,
    /// The layout's Chinese name.
    pub layout_name: String,
    /// EPSG code of the coordinates, when determined.
    pub crs: Option<u32>,
    /// The CRS's name, when determined.
    pub crs_name: Option<String>,
    /// The datum (`cgcs2000`, `xian1980`, `beijing1954`, `wgs84`, `local`), when stated or
    /// implied.
    pub datum: Option<String>,
    /// The Gauss–Krüger zone areas are computed in.
    pub zone: Option<CornerZone>,
    /// How the datum and CRS were determined (Chinese).
    pub notes: Vec<String>,
    /// Blocks in entered order with their ring counts.
    pub blocks: Vec<CornerBlock>,
    /// Every ring.
    pub rings: Vec<CornerRing>,
    /// Every problem of the coordinates.
    pub problems: Vec<CornerProblem>,
    /// Plane area in the zone, m², when computed.
    pub area_plane_m2: Option<f64>,
    /// Ellipsoidal area (TD/T 1055-2019 附录D), m², when computed.
    pub area_ellipsoidal_m2: Option<f64>,
    /// Ellipsoidal area, km² rounded to 4 decimals, when computed.
    pub area_km2: Option<f64>,
    /// The areas with their methods and per block, when computed.
    pub areas: Option<CornerAreas>,
    /// The region checked against.
    pub region: Option<String>,
    /// Whether any problem is an error.
    pub has_errors: bool,
    /// Every point of every ring in order, as entered, with the lines it was read from and
    /// its place when it can be placed (the table under the map).
    pub points: Vec<CornerPointRow>,
    /// Whether the coordinates are geographic (x = latitude, y = longitude).
    pub geographic: bool,
    /// Every readable point in longitude/latitude.
    pub points_lonlat: Vec<CornerPointLonLat>,
    /// Every ring of two or more placed points, as a longitude/latitude line.
    pub rings_lonlat: Vec<CornerRingLonLat>,
    /// Problems of the stated options (`crs`, `zone`, `datum`, `declared_area`).
    pub option_problems: Vec<FieldProblem>,
    /// What the input states about itself (面积, number of 拐点) and the points read; the
    /// comparison is in `problems` (`stated_figure_mismatch`).
    pub stated: minplan_geo::corners::StatedFigures,
    /// The 申报面积 given with the check, read, with the outcome of its comparison
    /// (`agreement`); `None` when none was given or it could not be read.
    pub declared: Option<minplan_geo::corners::StatedArea>,
    /// Whether the coordinates can be used: no error, something read, options fine.
    pub ok: bool,
}

/// A Gauss–Krüger zone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CornerZone {
    /// Zone number.
    pub zone: u32,
    /// `Three` (3°) or `Six` (6°).
    pub width: String,
    /// Central meridian, degrees east.
    pub central_meridian: f64,
}

/// A block and its number of rings.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CornerBlock {
    /// Block name.
    pub name: String,
    /// Number of rings.
    pub rings: usize,
}

/// A ring as read.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CornerRing {
    /// Its block.
    pub block: String,
    /// Its name, when the input gives one.
    pub name: Option<String>,
    /// `shell` or `hole`.
    pub role: String,
    /// Points as read: `[label, x, y]` (x = northing m or latitude °, y = easting m with the
    /// prefix as entered or longitude °; null when not read).
    #[schema(value_type = Vec<Vec<serde_json::Value>>)]
    pub points: Vec<(String, Option<f64>, Option<f64>)>,
    /// Points as entered: `[label, x text, y text]`.
    pub points_as_entered: Vec<(String, String, String)>,
    /// First and last 1-based line of the pasted text the ring was read from (as
    /// `rings[].lines` of `coords check --json`).
    pub lines: Option<[usize; 2]>,
    /// 开采标高, when given.
    pub elevation: Option<CornerElevation>,
}

/// A mining elevation range, metres (1985国家高程基准).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CornerElevation {
    /// 起标高, m.
    pub top_m: f64,
    /// 止标高, m.
    pub bottom_m: f64,
}

/// A problem of the coordinates, with the places of its points.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CornerProblem {
    /// What kind of problem (`self_intersection`, `unclosed`, …).
    pub kind: String,
    /// `error` or `warning`.
    pub severity: String,
    /// 错误 or 提示.
    pub severity_label: String,
    /// The message, naming the place (line, point label, field).
    pub message: String,
    /// Labels of the points concerned.
    pub points: Vec<String>,
    /// 1-based line of the input, when the problem belongs to one line.
    pub line: Option<usize>,
    /// The ring or block concerned.
    pub ring: Option<String>,
    /// The points concerned in longitude/latitude.
    pub places: Vec<CornerPlace>,
}

/// A labelled place, degrees (CGCS2000).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CornerPlace {
    /// Point label.
    pub label: String,
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
}

/// The areas of the coordinates.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CornerAreas {
    /// Plane area, m².
    pub plane_m2: f64,
    /// Ellipsoidal area, m².
    pub ellipsoidal_m2: f64,
    /// Ellipsoidal area, km², 4 decimals.
    pub km2: f64,
    /// Method of the plane area (Chinese).
    pub plane_method: String,
    /// Method of the ellipsoidal area (Chinese).
    pub ellipsoidal_method: String,
    /// Per block.
    pub blocks: Vec<CornerBlockArea>,
}

/// The areas of one block.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CornerBlockArea {
    /// Block name.
    pub name: String,
    /// Plane area, m².
    pub plane_m2: f64,
    /// Ellipsoidal area, m².
    pub ellipsoidal_m2: f64,
    /// Ellipsoidal area, km², 4 decimals.
    pub km2: f64,
}

/// A readable point in longitude/latitude.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CornerPointLonLat {
    /// Its block.
    pub block: String,
    /// Its ring's name (第N圈 when unnamed).
    pub ring: String,
    /// Point label.
    pub label: String,
    /// X as entered.
    pub x_text: String,
    /// Y as entered.
    pub y_text: String,
    /// 1-based lines of the pasted text the point was read from.
    pub source_lines: Vec<usize>,
    /// Longitude, degrees east.
    pub lon: f64,
    /// Latitude, degrees north.
    pub lat: f64,
}

/// One point of the table under the map: as entered, where it was read, and where it lies.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CornerPointRow {
    /// Its block.
    pub block: String,
    /// Its ring's name (第N圈 when unnamed).
    pub ring: String,
    /// Point label.
    pub label: String,
    /// X (or latitude) as entered.
    pub x_text: String,
    /// Y (or longitude) as entered.
    pub y_text: String,
    /// 1-based lines of the pasted text it was read from.
    pub source_lines: Vec<usize>,
    /// Longitude, degrees east, when the point can be placed.
    pub lon: Option<f64>,
    /// Latitude, degrees north, when the point can be placed.
    pub lat: Option<f64>,
}

/// A ring as a longitude/latitude line.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CornerRingLonLat {
    /// Its block.
    pub block: String,
    /// Its name (第N圈 when unnamed).
    pub ring: String,
    /// `shell` or `hole`.
    pub role: String,
    /// `[lon, lat]` pairs, degrees.
    pub coordinates: Vec<[f64; 2]>,
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// Compares a 申报面积 with the report (its problem joins the report's) and returns it with
/// the outcome.
pub fn declared_outcome(
    d: &minplan_geo::corners::StatedArea,
    report: &mut CornerReport,
) -> minplan_geo::corners::StatedArea {
    let cmp = corners::check_declared_area(d, report);
    let mut d = d.clone();
    d.agreement = Some(minplan_geo::corners::Agreement::from(&cmp));
    d
}

fn role(r: RingRole) -> String {
    if r == RingRole::Shell {
        "shell"
    } else {
        "hole"
    }
    .to_string()
}

impl CornerCheck {
    /// The check of `report` with the problems of the stated options.
    pub fn new(report: &CornerReport, option_problems: &[(CornerOption, String)]) -> CornerCheck {
        let mut points_lonlat = Vec::new();
        let mut points = Vec::new();
        let mut rings_lonlat = Vec::new();
        let mut rings = Vec::new();
        for b in &report.blocks {
            for (ri, r) in b.rings.iter().enumerate() {
                let ring_name = r.name.clone().unwrap_or_else(|| format!("第{}圈", ri + 1));
                let mut line = Vec::new();
                for p in &r.points {
                    let place = report.point_lonlat(p);
                    points.push(CornerPointRow {
                        block: b.name.clone(),
                        ring: ring_name.clone(),
                        label: p.label.clone(),
                        x_text: p.x_text.clone(),
                        y_text: p.y_text.clone(),
                        source_lines: p.source_lines.clone(),
                        lon: place.map(|q| q.0),
                        lat: place.map(|q| q.1),
                    });
                    if let Some((lon, lat)) = place {
                        points_lonlat.push(CornerPointLonLat {
                            block: b.name.clone(),
                            ring: ring_name.clone(),
                            label: p.label.clone(),
                            x_text: p.x_text.clone(),
                            y_text: p.y_text.clone(),
                            source_lines: p.source_lines.clone(),
                            lon,
                            lat,
                        });
                        line.push([lon, lat]);
                    }
                }
                if line.len() >= 2 {
                    rings_lonlat.push(CornerRingLonLat {
                        block: b.name.clone(),
                        ring: ring_name,
                        role: role(r.role),
                        coordinates: line,
                    });
                }
                rings.push(CornerRing {
                    block: b.name.clone(),
                    name: r.name.clone(),
                    role: role(r.role),
                    points: r
                        .points
                        .iter()
                        .map(|p| (p.label.clone(), finite(p.x), finite(p.y)))
                        .collect(),
                    points_as_entered: r
                        .points
                        .iter()
                        .map(|p| (p.label.clone(), p.x_text.clone(), p.y_text.clone()))
                        .collect(),
                    lines: r.source_lines().map(|(a, b)| [a, b]),
                    elevation: r.elevation.map(|e| CornerElevation {
                        top_m: e.top_m,
                        bottom_m: e.bottom_m,
                    }),
                });
            }
        }
        let problems = report
            .problems
            .iter()
            .map(|p| {
                let mut places: Vec<CornerPlace> = Vec::new();
                for b in &report.blocks {
                    for r in &b.rings {
                        if let Some(name) = &p.ring
                            && r.name.as_ref() != Some(name)
                            && &b.name != name
                        {
                            continue;
                        }
                        for q in r.points.iter().filter(|q| p.points.contains(&q.label)) {
                            if let Some((lon, lat)) = report.point_lonlat(q) {
                                let place = CornerPlace {
                                    label: q.label.clone(),
                                    lon,
                                    lat,
                                };
                                if !places.contains(&place) {
                                    places.push(place);
                                }
                            }
                        }
                    }
                }
                CornerProblem {
                    kind: serde_name(&p.kind),
                    severity: serde_name(&p.severity),
                    severity_label: p.severity.label_zh().to_string(),
                    message: p.message.clone(),
                    points: p.points.clone(),
                    line: p.line,
                    ring: p.ring.clone(),
                    places,
                }
            })
            .collect();
        let areas = report.areas.as_ref();
        CornerCheck {
            layout: serde_name(&report.layout),
            layout_name: report.layout.label_zh().to_string(),
            crs: report.crs.map(|c| c.epsg()),
            crs_name: report.crs.map(|c| c.to_string()),
            datum: report.datum.as_ref().map(serde_name),
            zone: report.zone.map(|z| CornerZone {
                zone: u32::from(z.zone),
                width: serde_name(&z.width),
                central_meridian: z.central_meridian(),
            }),
            notes: report.crs_basis.clone(),
            blocks: report
                .blocks
                .iter()
                .map(|b| CornerBlock {
                    name: b.name.clone(),
                    rings: b.rings.len(),
                })
                .collect(),
            rings,
            problems,
            area_plane_m2: areas.map(|a| a.plane_m2),
            area_ellipsoidal_m2: areas.map(|a| a.ellipsoidal_m2),
            area_km2: areas.map(|a| a.km2),
            areas: areas.map(|a| CornerAreas {
                plane_m2: a.plane_m2,
                ellipsoidal_m2: a.ellipsoidal_m2,
                km2: a.km2,
                plane_method: a.plane_method.clone(),
                ellipsoidal_method: a.ellipsoidal_method.clone(),
                blocks: a
                    .blocks
                    .iter()
                    .map(|b| CornerBlockArea {
                        name: b.name.clone(),
                        plane_m2: b.plane_m2,
                        ellipsoidal_m2: b.ellipsoidal_m2,
                        km2: b.km2,
                    })
                    .collect(),
            }),
            region: report.region.clone(),
            has_errors: report.has_errors(),
            points,
            geographic: report.geographic,
            points_lonlat,
            rings_lonlat,
            option_problems: option_problems
                .iter()
                .map(|(o, m)| FieldProblem {
                    field: match o {
                        CornerOption::Crs => "crs",
                        CornerOption::Zone => "zone",
                        CornerOption::Datum => "datum",
                    }
                    .to_string(),
                    message: m.clone(),
                })
                .collect(),
            stated: report.stated.clone(),
            declared: None,
            ok: !report.has_errors() && !report.nothing_read() && option_problems.is_empty(),
        }
    }
}

/// `POST /api/corners/check`: the corner report with places for the map (200 whatever the
/// coordinates' problems — they are the answer); 400 when the body is not a request.
#[utoipa::path(post, path = "/api/corners/check", tag = "申请受理",
    request_body(content = CornerCheckRequest, description = "JSON；或 multipart/form-data（字段相同，坐标文件为 file）"),
    responses(
        (status = 200, description = "坐标检查结果：格式、坐标系、各圈拐点（含经纬度）、问题（含所在点位）、平面与椭球面积", body = CornerCheck),
        (status = 400, description = "请求格式错误", body = crate::http::error::ApiError),
        (status = 401, description = "未登录", body = crate::http::error::ApiError),
        (status = 403, description = "无权或缺少 CSRF 令牌", body = crate::http::error::ApiError),
        (status = 413, description = "请求内容过大", body = crate::http::error::ApiError),
    ))]
pub async fn api(
    State(st): State<AppState>,
    _: RequireRole<policy::RunReview>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<CornerCheck>> {
    let multipart = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.to_ascii_lowercase().starts_with("multipart/"));
    let (req, file) = if multipart {
        let f = SubmittedForm::read(&headers, body).await;
        if let Some(p) = f.problem {
            return Err(AppError::BadRequest(p).into());
        }
        let num = |k: &str| f.get(k).trim().parse::<u32>().ok();
        (
            CornerCheckRequest {
                text: f.get("text").to_string(),
                crs: num("crs"),
                zone: num("zone"),
                datum: Some(f.get("datum").trim().to_string()).filter(|d| !d.is_empty()),
                declared_area: Some(f.get("declared_area").to_string()),
            },
            f.file("file").map(|u| u.bytes.clone()),
        )
    } else {
        (json_body::<CornerCheckRequest>(&body)?, None)
    };
    let size = file.as_ref().map_or(req.text.len(), Vec::len);
    if size > crate::intake::application_form::MAX_CORNER_BYTES {
        return Err(AppError::Http {
            status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            code: "payload_too_large",
            message: format!(
                "拐点坐标过长：上限 {} KiB",
                crate::intake::application_form::MAX_CORNER_BYTES / 1024
            ),
        }
        .into());
    }
    let engine = st.engine().await;
    let input = CornerOptionsInput {
        crs: req.crs,
        zone: req.zone,
        datum: req.datum.as_deref(),
    };
    let (mut report, problems) = match &file {
        Some(b) => check(&engine, None, Some(b), &input),
        None => check(&engine, Some(&req.text), None, &input),
    };
    let declared = req
        .declared_area
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(corners::parse_declared_area);
    let outcome = match &declared {
        Some(Ok(d)) => Some(declared_outcome(d, &mut report)),
        _ => None,
    };
    let mut answer = CornerCheck::new(&report, &problems);
    answer.declared = outcome;
    if let Some(Err(e)) = declared {
        answer.option_problems.push(FieldProblem {
            field: "declared_area".into(),
            message: format!("申报面积：{e}"),
        });
        answer.ok = false;
    }
    Ok(Json(answer))
}
