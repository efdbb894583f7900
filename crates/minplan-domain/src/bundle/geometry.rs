//! GeoJSON layers of a bundle: parsing, ring checks, areas and the inside-the-county check.
//!
//! Layers are RFC 7946 FeatureCollections in CGCS2000 longitude/latitude (EPSG:4490; the
//! datum difference to WGS 84 is below the precision of planning layers). Polygon and
//! MultiPolygon features are read; rings are normalised to exterior counter-clockwise and
//! holes clockwise.

use super::{BundleError, BundleErrorKind};
use crate::plan::LonLatPolygon;
use minplan_geo::area::{ellipsoidal_area_lonlat, plane_area};
use minplan_geo::{Ellipsoid, GaussKrugerZone, TransverseMercator};
use serde_json::Value;

/// How far (metres, in the Gauss plane) a layer vertex may lie outside the county outline
/// before it is an error. Covers digitising noise along a shared boundary.
pub const OUTSIDE_TOLERANCE_M: f64 = 50.0;

/// One feature of a layer after checks.
#[derive(Debug, Clone)]
pub struct ParsedFeature {
    pub id: String,
    pub name: Option<String>,
    pub line: Option<usize>,
    pub polygons: Vec<LonLatPolygon>,
    pub area_km2: f64,
    pub properties: serde_json::Map<String, Value>,
}

/// A parsed layer file.
pub struct LayerGeometry {
    pub features: Vec<ParsedFeature>,
}

fn line_of_needle(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|off| super::line_of(text, off))
}

impl LayerGeometry {
    /// Parses a FeatureCollection. `id_property` names the property that identifies a
    /// feature (`number` for blocks); without it, or when absent, the feature's `id` member
    /// or its 1-based index is used.
    pub fn parse(
        file: &str,
        text: &str,
        id_property: Option<&str>,
        _zone: GaussKrugerZone,
    ) -> Result<LayerGeometry, Vec<BundleError>> {
        let mut errors = Vec::new();
        let err = |line: Option<usize>, field: String, msg: String| BundleError {
            kind: BundleErrorKind::Syntax,
            file: file.to_string(),
            line,
            field,
            message: msg,
        };
        let v: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                return Err(vec![err(
                    Some(e.line()),
                    String::new(),
                    format!("GeoJSON 格式错误：{e}"),
                )]);
            }
        };
        if v.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
            return Err(vec![err(
                Some(1),
                "type".into(),
                "应为 GeoJSON FeatureCollection".into(),
            )]);
        }
        if let Some(crs) = v.get("crs") {
            let name = crs
                .pointer("/properties/name")
                .and_then(Value::as_str)
                .unwrap_or("");
            if !(name.contains("4490") || name.contains("CRS84") || name.contains("4326")) {
                errors.push(BundleError {
                    kind: BundleErrorKind::BadValue,
                    file: file.to_string(),
                    line: line_of_needle(text, "\"crs\""),
                    field: "crs".into(),
                    message: format!(
                        "图层坐标系“{name}”不是 CGCS2000 经纬度（EPSG:4490）；请先转换"
                    ),
                });
            }
        }
        let Some(features) = v.get("features").and_then(Value::as_array) else {
            return Err(vec![err(
                Some(1),
                "features".into(),
                "缺少 features 数组".into(),
            )]);
        };
        let mut out = Vec::new();
        for (i, f) in features.iter().enumerate() {
            let props = f
                .get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default();
            let id = id_property
                .and_then(|p| props.get(p))
                .or_else(|| f.get("id"))
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .unwrap_or_else(|| format!("#{}", i + 1));
            let line = line_of_needle(text, &format!("\"{id}\""));
            let field = format!("要素 {id}（第 {} 个）", i + 1);
            let name = props
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string);
            let Some(geom) = f.get("geometry").filter(|g| !g.is_null()) else {
                errors.push(err(line, field, "要素没有几何图形".into()));
                continue;
            };
            let gtype = geom.get("type").and_then(Value::as_str).unwrap_or("");
            let coords = geom.get("coordinates");
            let polys: Vec<&Value> = match (gtype, coords) {
                ("Polygon", Some(c)) => vec![c],
                ("MultiPolygon", Some(Value::Array(ps))) => ps.iter().collect(),
                _ => {
                    errors.push(err(
                        line,
                        field,
                        format!("几何类型“{gtype}”不受支持，应为 Polygon 或 MultiPolygon"),
                    ));
                    continue;
                }
            };
            let mut polygons = Vec::new();
            let mut ok = true;
            for (pi, p) in polys.iter().enumerate() {
                match parse_polygon(p) {
                    Ok(mut rings) => {
                        for (ri, ring) in rings.iter().enumerate() {
                            if let Some(msg) = ring_problem(ring) {
                                errors.push(BundleError {
                                    kind: BundleErrorKind::InvalidRing,
                                    file: file.to_string(),
                                    line,
                                    field: field.clone(),
                                    message: format!("第 {} 个面第 {} 个环：{msg}", pi + 1, ri + 1),
                                });
                                ok = false;
                            }
                        }
                        orient(&mut rings);
                        polygons.push(rings);
                    }
                    Err(msg) => {
                        errors.push(err(
                            line,
                            field.clone(),
                            format!("第 {} 个面：{msg}", pi + 1),
                        ));
                        ok = false;
                    }
                }
            }
            if !ok {
                continue;
            }
            let area_m2: f64 = polygons
                .iter()
                .flat_map(|p| p.iter())
                .map(|r| ellipsoidal_area_lonlat(&as_tuples(r), Ellipsoid::CGCS2000))
                .sum();
            out.push(ParsedFeature {
                id,
                name,
                line,
                polygons,
                area_km2: area_m2 / 1e6,
                properties: props,
            });
        }
        if errors.is_empty() {
            Ok(LayerGeometry { features: out })
        } else {
            Err(errors)
        }
    }
}

fn as_tuples(r: &[[f64; 2]]) -> Vec<(f64, f64)> {
    let n = if r.len() > 1 && r[0] == r[r.len() - 1] {
        r.len() - 1
    } else {
        r.len()
    };
    r[..n].iter().map(|p| (p[0], p[1])).collect()
}

fn parse_polygon(v: &Value) -> Result<LonLatPolygon, String> {
    let rings = v.as_array().ok_or("坐标应为环的数组")?;
    if rings.is_empty() {
        return Err("面没有环".into());
    }
    rings
        .iter()
        .enumerate()
        .map(|(ri, r)| {
            let pts = r
                .as_array()
                .ok_or(format!("第 {} 个环不是坐标数组", ri + 1))?;
            pts.iter()
                .enumerate()
                .map(|(k, p)| {
                    let a = p.as_array().filter(|a| a.len() >= 2).ok_or(format!(
                        "第 {} 个环第 {} 点不是 [经度, 纬度]",
                        ri + 1,
                        k + 1
                    ))?;
                    let lon = a[0].as_f64().ok_or(format!(
                        "第 {} 个环第 {} 点经度不是数字",
                        ri + 1,
                        k + 1
                    ))?;
                    let lat = a[1].as_f64().ok_or(format!(
                        "第 {} 个环第 {} 点纬度不是数字",
                        ri + 1,
                        k + 1
                    ))?;
                    Ok([lon, lat])
                })
                .collect()
        })
        .collect()
}

/// The first problem of a ring, in Chinese, or `None` when it is valid.
fn ring_problem(ring: &[[f64; 2]]) -> Option<String> {
    if let Some(k) = ring.iter().position(|p| {
        !(p[0].is_finite()
            && p[1].is_finite()
            && (-180.0..=180.0).contains(&p[0])
            && (-90.0..=90.0).contains(&p[1]))
    }) {
        return Some(format!("第 {} 点坐标超出经纬度范围", k + 1));
    }
    if ring.len() < 4 {
        return Some(format!(
            "只有 {} 个坐标，面环至少需要 4 个（含闭合点）",
            ring.len()
        ));
    }
    if ring[0] != ring[ring.len() - 1] {
        return Some("环未闭合（首末点不同）".into());
    }
    let n = ring.len() - 1;
    // Simple O(n²) test; bundle rings are small.
    for i in 0..n {
        for j in i + 1..n {
            if j == i + 1 || (i == 0 && j == n - 1) {
                continue;
            }
            if segments_cross(ring[i], ring[i + 1], ring[j], ring[j + 1]) {
                return Some(format!(
                    "自相交：第 {}–{} 点的边与第 {}–{} 点的边相交",
                    i + 1,
                    i + 2,
                    j + 1,
                    j + 2
                ));
            }
        }
    }
    None
}

fn cross(o: [f64; 2], a: [f64; 2], b: [f64; 2]) -> f64 {
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
}

fn segments_cross(a: [f64; 2], b: [f64; 2], c: [f64; 2], d: [f64; 2]) -> bool {
    let d1 = cross(c, d, a);
    let d2 = cross(c, d, b);
    let d3 = cross(a, b, c);
    let d4 = cross(a, b, d);
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
    {
        return true;
    }
    let on = |p: [f64; 2], q: [f64; 2], r: [f64; 2]| {
        r[0] >= p[0].min(q[0])
            && r[0] <= p[0].max(q[0])
            && r[1] >= p[1].min(q[1])
            && r[1] <= p[1].max(q[1])
    };
    (d1 == 0.0 && on(c, d, a))
        || (d2 == 0.0 && on(c, d, b))
        || (d3 == 0.0 && on(a, b, c))
        || (d4 == 0.0 && on(a, b, d))
}

/// Exterior counter-clockwise, holes clockwise (RFC 7946 §3.1.6).
fn orient(rings: &mut [Vec<[f64; 2]>]) {
    for (i, r) in rings.iter_mut().enumerate() {
        let a = plane_area(&as_tuples(r));
        if (i == 0 && a < 0.0) || (i > 0 && a > 0.0) {
            r.reverse();
        }
    }
}

/// The county outline projected to its Gauss–Krüger zone, for inside checks.
pub struct GeometryCheck {
    pub zone: GaussKrugerZone,
    tm: TransverseMercator,
    outline_en: Vec<Vec<Vec<(f64, f64)>>>,
}

impl GeometryCheck {
    pub fn new(zone: GaussKrugerZone, outline: &[LonLatPolygon]) -> Self {
        let tm = zone.projection();
        let outline_en = outline
            .iter()
            .map(|p| {
                p.iter()
                    .map(|r| r.iter().map(|q| tm.forward(q[0], q[1])).collect())
                    .collect()
            })
            .collect();
        GeometryCheck {
            zone,
            tm,
            outline_en,
        }
    }

    fn inside(&self, p: (f64, f64)) -> bool {
        self.outline_en.iter().any(|poly| {
            point_in_ring(p, &poly[0]) && !poly[1..].iter().any(|h| point_in_ring(p, h))
        })
    }

    fn distance_to_outline(&self, p: (f64, f64)) -> f64 {
        self.outline_en
            .iter()
            .flat_map(|poly| poly.iter())
            .flat_map(|r| r.windows(2).map(move |w| dist_to_segment(p, w[0], w[1])))
            .fold(f64::INFINITY, f64::min)
    }

    /// Errors for the vertices of `f` outside the outline by more than [`OUTSIDE_TOLERANCE_M`].
    pub fn check_inside(&self, file: &str, f: &ParsedFeature) -> Vec<BundleError> {
        let mut outside = Vec::new();
        let mut worst: f64 = 0.0;
        for (pi, poly) in f.polygons.iter().enumerate() {
            for (k, q) in poly[0].iter().enumerate() {
                let p = self.tm.forward(q[0], q[1]);
                if !self.inside(p) {
                    let d = self.distance_to_outline(p);
                    if d > OUTSIDE_TOLERANCE_M {
                        worst = worst.max(d);
                        outside.push(format!("第{}面第{}点", pi + 1, k + 1));
                    }
                }
            }
        }
        if outside.is_empty() {
            return vec![];
        }
        let shown: Vec<_> = outside.iter().take(5).cloned().collect();
        vec![BundleError {
            kind: BundleErrorKind::OutsideRegion,
            file: file.to_string(),
            line: f.line,
            field: format!("要素 {}", f.id),
            message: format!(
                "{} 个顶点位于行政区范围之外（最远 {:.0} 米，容差 {} 米）：{}{}",
                outside.len(),
                worst,
                OUTSIDE_TOLERANCE_M,
                shown.join("、"),
                if outside.len() > 5 { " 等" } else { "" }
            ),
        }]
    }
}

fn point_in_ring(p: (f64, f64), ring: &[(f64, f64)]) -> bool {
    let mut inside = false;
    let n = ring.len();
    let mut j = n - 1;
    for i in 0..n {
        let (xi, yi) = ring[i];
        let (xj, yj) = ring[j];
        if (yi > p.1) != (yj > p.1) && p.0 < (xj - xi) * (p.1 - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

fn dist_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy)
}
