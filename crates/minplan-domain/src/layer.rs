//! Polygon layers from GeoJSON: the bundle's layers and layers a bureau imports
//! (`minplan layer import`). Every feature is checked; a broken feature is reported with
//! its id and line and left out, never silently dropped and never stopping the others.
//!
//! Coordinates: CGCS2000 longitude/latitude (EPSG:4490, also accepted as `CRS84`/EPSG:4326
//! since the datums agree to centimetres), or a CGCS2000 Gauss–Krüger plane (EPSG:4491–4554,
//! GeoJSON order `[easting, northing]`), declared by the legacy `crs` member or recognised
//! from the numbers (eastings with a zone prefix give the zone; without one the caller's zone
//! is used). Other datums (Xi'an 80, Beijing 54) are refused. The result is lon/lat, exterior
//! rings counter-clockwise, holes clockwise, rings closed. `LineString` features are accepted
//! when a buffer width is given (三区两线 corridors: centre lines buffered in the plane).

use crate::plan::LonLatPolygon;
use geo::{Buffer, Coord, LineString, MultiLineString, MultiPolygon, Polygon};
use minplan_geo::area::{ellipsoidal_area_lonlat, plane_area};
use minplan_geo::corners::{PlaneRing, RingRole, Severity, ValidateOptions, validate_rings};
use minplan_geo::{Crs, Ellipsoid, GaussKrugerZone};
use serde::Serialize;
use serde_json::Value;

/// One feature that passed its checks.
#[derive(Debug, Clone)]
pub struct ParsedFeature {
    /// Identifier (`id_property`, the feature's `id`, or `#n`).
    pub id: String,
    /// The `name` property, if any.
    pub name: Option<String>,
    /// 1-based line where the feature's id occurs in the file, when found.
    pub line: Option<usize>,
    /// Geometry, lon/lat.
    pub polygons: Vec<LonLatPolygon>,
    /// Ellipsoidal area, km² (TD/T 1055-2019 附录D).
    pub area_km2: f64,
    /// The feature's properties.
    pub properties: serde_json::Map<String, Value>,
}

/// A feature left out, and why.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeatureProblem {
    /// Identifier.
    pub id: String,
    /// 1-based position in the file.
    pub index: usize,
    /// 1-based line, when found.
    pub line: Option<usize>,
    /// Chinese message.
    pub message: String,
}

/// A parsed layer.
#[derive(Debug, Clone)]
pub struct ParsedLayer {
    /// The CRS the file was read in.
    pub crs: Crs,
    /// Good features.
    pub features: Vec<ParsedFeature>,
    /// Features left out.
    pub problems: Vec<FeatureProblem>,
    /// Features kept with a remark (e.g. a ring closed automatically).
    pub warnings: Vec<FeatureProblem>,
    /// What the reader decided that the user should know (encoding, dropped Z/M), Chinese.
    pub notes: Vec<String>,
}

/// Options of [`parse_geojson_layer`].
#[derive(Debug, Clone, Copy)]
pub struct LayerOptions<'a> {
    /// Property that identifies a feature (e.g. `number` for planning blocks).
    pub id_property: Option<&'a str>,
    /// The plan's zone, for plane coordinates without a zone prefix.
    pub zone: GaussKrugerZone,
    /// Buffer half-width for line features, metres (corridors).
    pub buffer_m: Option<f64>,
    /// The plan region's extent, lon/lat `[west, south, east, north]` (degrees, CGCS2000): a
    /// feature lying wholly more than [`REGION_MARGIN_DEG`] outside it is a problem (a wrong
    /// CRS or zone puts a layer hundreds of kilometres away). `None`: not checked.
    pub region: Option<[f64; 4]>,
}

/// Attributes that name a feature, in order of preference: `name`, 名称 and the codes of the
/// land-use and planning databases (MC 名称, XMMC 项目名称, KSMC 矿山名称, HXMC 红线名称,
/// QYMC 区域名称, TBMC 图斑名称, BHQMC 保护区名称, GHQMC 规划区名称, DLMC 地类名称).
pub const NAME_FIELDS: &[&str] = &[
    "name",
    "NAME",
    "Name",
    "名称",
    "MC",
    "XMMC",
    "KSMC",
    "矿山名称",
    "项目名称",
    "HXMC",
    "红线名称",
    "QYMC",
    "区域名称",
    "TBMC",
    "图斑名称",
    "BHQMC",
    "GHQMC",
    "规划区名称",
    "DLMC",
    "地类名称",
];

/// A feature's display name from [`NAME_FIELDS`].
pub fn display_name(props: &serde_json::Map<String, Value>) -> Option<String> {
    NAME_FIELDS
        .iter()
        .find_map(|k| props.get(*k).and_then(Value::as_str))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// How far outside the plan region's extent a feature may lie, degrees (about 30–55 km at
/// China's latitudes): control layers of a county reach a little beyond its boundary.
pub const REGION_MARGIN_DEG: f64 = 0.5;

/// Rings of one polygon as `(x, y)` pairs, exterior first.
type PlaneRings = Vec<Vec<(f64, f64)>>;

pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn line_of_needle(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|off| line_of(text, off))
}

/// Reads a CRS from a GeoJSON `crs` member name such as `urn:ogc:def:crs:EPSG::4532`.
///
/// # Errors
/// A Chinese message for a CRS that is not CGCS2000 (lon/lat or Gauss–Krüger) or a name
/// without an EPSG code.
pub fn crs_from_name(name: &str) -> Result<Crs, String> {
    if name.contains("CRS84") {
        return Ok(Crs::Geographic);
    }
    let digits: String = name
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap_or("")
        .to_string();
    match digits.parse::<u32>() {
        Ok(4326) | Ok(4490) => Ok(Crs::Geographic),
        Ok(code) => Crs::from_epsg(code).map_err(|_| {
            format!("图层坐标系 EPSG:{code} 不是 CGCS2000 经纬度或高斯–克吕格投影（如为西安80、北京54坐标，请先转换为2000国家大地坐标系）")
        }),
        Err(_) => Err(format!("无法识别图层坐标系“{name}”")),
    }
}

/// Guesses the CRS from the first coordinate pair when the file declares none: lon/lat when
/// the numbers fit, else the zone of an easting's prefix, else `zone` without a prefix.
pub fn crs_from_numbers(first: (f64, f64), zone: GaussKrugerZone) -> Crs {
    let (a, b) = first;
    if a.abs() <= 180.0 && b.abs() <= 90.0 {
        return Crs::Geographic;
    }
    if a >= 1.0e7 {
        let z = (a / 1.0e6).floor() as u32;
        let found = match zone.width {
            minplan_geo::ZoneWidth::Three => GaussKrugerZone::three_degree(z, true),
            minplan_geo::ZoneWidth::Six => GaussKrugerZone::six_degree(z, true),
        };
        if let Ok(zz) = found {
            return Crs::GaussKruger(zz);
        }
    }
    Crs::GaussKruger(zone.with_prefix(false))
}

/// The first coordinate pair of a GeoJSON `coordinates` member, at any depth.
pub fn first_pair(v: &Value) -> Option<(f64, f64)> {
    match v {
        Value::Array(a) if a.len() >= 2 && a[0].is_number() => {
            Some((a[0].as_f64()?, a[1].as_f64()?))
        }
        Value::Array(a) => a.iter().find_map(first_pair),
        _ => None,
    }
}

fn positions(v: &Value, what: &str) -> Result<Vec<(f64, f64)>, String> {
    let arr = v.as_array().ok_or(format!("{what}不是坐标数组"))?;
    arr.iter()
        .enumerate()
        .map(|(k, p)| {
            let a = p
                .as_array()
                .filter(|a| a.len() >= 2)
                .ok_or(format!("{what}第 {} 点不是坐标对", k + 1))?;
            match (a[0].as_f64(), a[1].as_f64()) {
                (Some(x), Some(y)) if x.is_finite() && y.is_finite() => Ok((x, y)),
                _ => Err(format!("{what}第 {} 点坐标不是有限数", k + 1)),
            }
        })
        .collect()
}

/// One feature as a reader found it, before any check: geometry in the file's CRS
/// (`(x, y)` = `(lon, lat)` for geographic files, `(easting, northing)` for plane files —
/// GeoJSON, Shapefile, GeoPackage and DXF order), properties as read.
#[derive(Debug, Clone)]
pub struct SourceFeature {
    /// Identifier (an id property, the feature's own id, or `#n`).
    pub id: String,
    /// Display name, when the file gives one.
    pub name: Option<String>,
    /// 1-based line of the file where the feature starts, for text formats.
    pub line: Option<usize>,
    /// The geometry, or why it could not be read (a named problem for this feature only).
    pub geometry: Result<SourceGeometry, String>,
    /// Attributes (field name → value as read).
    pub properties: serde_json::Map<String, Value>,
}

/// Geometry as read. Polygons carry their rings exterior first; readers of formats that do
/// not say which ring is a hole (Shapefile, DXF) group rings by containment
/// ([`group_rings`]), never by winding.
#[derive(Debug, Clone, PartialEq)]
pub enum SourceGeometry {
    /// Polygons, each a list of rings (exterior first), in the file's CRS.
    Polygons(Vec<PlaneRings>),
    /// Lines (only usable with a buffer width).
    Lines(Vec<Vec<(f64, f64)>>),
    /// Points (never usable as an area).
    Points(usize),
    /// An empty geometry (a record with no shape).
    Empty,
}

/// A layer as a reader found it.
#[derive(Debug, Clone)]
pub struct SourceLayer {
    /// The CRS the file declares, `None` when it declares none (a Shapefile without `.prj`,
    /// a DXF): the caller must then name one ([`check_layer`]'s `declared`).
    pub crs: Option<Crs>,
    /// Features in file order.
    pub features: Vec<SourceFeature>,
    /// What the reader decided and the user should know (text encoding used and why,
    /// Z/M values dropped, …), in Chinese.
    pub notes: Vec<String>,
}

/// Parses a GeoJSON FeatureCollection of polygons (and, with a buffer width, lines).
///
/// # Errors
/// A Chinese message when the file as a whole cannot be read (not JSON, not a
/// FeatureCollection, an unsupported CRS). Problems of single features are in
/// [`ParsedLayer::problems`].
pub fn parse_geojson_layer(text: &str, opts: &LayerOptions<'_>) -> Result<ParsedLayer, String> {
    check_layer(read_geojson(text, opts)?, None, opts)
}

/// What is wrong with JSON text, in Chinese, by the kind of `serde_json` error (its own
/// message is English and is not shown).
pub fn json_problem(e: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "文件不完整（在此处意外结束）",
        Category::Syntax => "不是有效的 JSON（括号、引号或逗号有误）",
        Category::Data => "数据类型不符（如坐标应为数字）",
        Category::Io => "读取中断",
    }
}

/// Reads a GeoJSON FeatureCollection into a [`SourceLayer`] without checking geometry.
/// The CRS is the legacy `crs` member, or recognised from the first pair (RFC 7946: lon/lat;
/// plane numbers with a zone prefix give the zone, without one `opts.zone` is used).
///
/// # Errors
/// A Chinese message when the file is not JSON, not a FeatureCollection, or declares a CRS
/// other than CGCS2000 (lon/lat or Gauss–Krüger).
pub fn read_geojson(text: &str, opts: &LayerOptions<'_>) -> Result<SourceLayer, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "第 {} 行第 {} 列：GeoJSON 格式错误：{}",
            e.line(),
            e.column(),
            json_problem(&e)
        )
    })?;
    if v.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err("应为 GeoJSON FeatureCollection".into());
    }
    let features = v
        .get("features")
        .and_then(Value::as_array)
        .ok_or("缺少 features 数组")?;
    let crs = match v.get("crs") {
        Some(c) => crs_from_name(
            c.pointer("/properties/name")
                .and_then(Value::as_str)
                .unwrap_or(""),
        )?,
        None => features
            .iter()
            .find_map(|f| {
                f.get("geometry")
                    .and_then(|g| g.get("coordinates"))
                    .and_then(first_pair)
            })
            .map_or(Crs::Geographic, |p| crs_from_numbers(p, opts.zone)),
    };
    let mut out = SourceLayer {
        crs: Some(crs),
        features: Vec::with_capacity(features.len()),
        notes: Vec::new(),
    };
    for (i, f) in features.iter().enumerate() {
        let properties = f
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let id = opts
            .id_property
            .and_then(|p| properties.get(p))
            .or_else(|| f.get("id"))
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .unwrap_or_else(|| format!("#{}", i + 1));
        let line = line_of_needle(text, &format!("\"{id}\""));
        let name = display_name(&properties);
        let geometry = match f.get("geometry").filter(|g| !g.is_null()) {
            None => Ok(SourceGeometry::Empty),
            Some(geom) => geojson_geometry(geom),
        };
        out.features.push(SourceFeature {
            id,
            name,
            line,
            geometry,
            properties,
        });
    }
    Ok(out)
}

/// A GeoJSON geometry object as a [`SourceGeometry`], in the file's CRS.
///
/// # Errors
/// A Chinese message for an unsupported type or malformed coordinates (a problem of this
/// feature only).
pub fn geojson_geometry(geom: &Value) -> Result<SourceGeometry, String> {
    let gtype = geom.get("type").and_then(Value::as_str).unwrap_or("");
    let coords = geom.get("coordinates").cloned().unwrap_or(Value::Null);
    match gtype {
        "Polygon" => polygon_rings(&coords).map(|p| SourceGeometry::Polygons(vec![p])),
        "MultiPolygon" => coords
            .as_array()
            .ok_or_else(|| "MultiPolygon 坐标不是数组".to_string())
            .and_then(|ps| ps.iter().map(polygon_rings).collect())
            .map(SourceGeometry::Polygons),
        "LineString" => positions(&coords, "线").map(|l| SourceGeometry::Lines(vec![l])),
        "MultiLineString" => coords
            .as_array()
            .ok_or_else(|| "MultiLineString 坐标不是数组".to_string())
            .and_then(|ls| ls.iter().map(|l| positions(l, "线")).collect())
            .map(SourceGeometry::Lines),
        "Point" => Ok(SourceGeometry::Points(1)),
        "MultiPoint" => Ok(SourceGeometry::Points(
            coords.as_array().map_or(0, Vec::len),
        )),
        other => Err(format!(
            "几何类型“{other}”不受支持，应为 Polygon 或 MultiPolygon"
        )),
    }
}

/// Groups rings into polygons by containment, not by winding (Shapefile and DXF writers
/// wind shells and holes either way): a ring inside an even number of other rings is an
/// exterior, one inside an odd number is a hole of the smallest ring containing it. Rings
/// are `(x, y)` in any one CRS; containment is tested with a vertex of the inner ring
/// (rings of a valid polygon do not cross). Rings with fewer than three distinct points
/// are kept as exteriors so that the ring checks report them.
pub fn group_rings(rings: Vec<Vec<(f64, f64)>>) -> Vec<PlaneRings> {
    let n = rings.len();
    let area: Vec<f64> = rings
        .iter()
        .map(|r| {
            let mut k = r.len();
            if k > 1 && r[0] == r[k - 1] {
                k -= 1;
            }
            plane_area(&r[..k]).abs()
        })
        .collect();
    // Bounding boxes first: a ring can only contain a point inside its box.
    let bbox: Vec<[f64; 4]> = rings
        .iter()
        .map(|r| {
            r.iter().fold(
                [
                    f64::INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::NEG_INFINITY,
                ],
                |b, p| [b[0].min(p.0), b[1].min(p.1), b[2].max(p.0), b[3].max(p.1)],
            )
        })
        .collect();
    // parent[i]: the smallest ring containing ring i.
    let mut depth = vec![0usize; n];
    let mut parent: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        let Some(&p) = rings[i].first() else { continue };
        for j in 0..n {
            if i == j || area[j] <= area[i] || rings[j].len() < 3 {
                continue;
            }
            let b = bbox[j];
            if p.0 < b[0] || p.0 > b[2] || p.1 < b[1] || p.1 > b[3] {
                continue;
            }
            if minplan_geo::corners::point_in_ring(p, &rings[j]) {
                depth[i] += 1;
                if parent[i].is_none_or(|q| area[j] < area[q]) {
                    parent[i] = Some(j);
                }
            }
        }
    }
    let mut slot: Vec<Option<usize>> = vec![None; n];
    let mut polys: Vec<PlaneRings> = Vec::new();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| depth[i]);
    let mut rings: Vec<Option<Vec<(f64, f64)>>> = rings.into_iter().map(Some).collect();
    for i in order {
        let ring = rings[i].take().unwrap_or_default();
        match parent[i] {
            Some(p) if depth[i] % 2 == 1 => match slot[p] {
                Some(s) => polys[s].push(ring),
                None => {
                    slot[i] = Some(polys.len());
                    polys.push(vec![ring]);
                }
            },
            _ => {
                slot[i] = Some(polys.len());
                polys.push(vec![ring]);
            }
        }
    }
    polys
}

/// The result of checking one feature: the feature in lon/lat, or its problem; remarks either way.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The checked feature, or why it is left out.
    pub feature: Result<ParsedFeature, FeatureProblem>,
    /// Remarks on a feature kept (e.g. a ring closed automatically).
    pub warnings: Vec<FeatureProblem>,
}

/// Checks features one at a time (so that a large layer can be checked and stored as it is
/// read, without holding it twice): the checks of [`check_layer`].
#[derive(Debug, Clone)]
pub struct LayerChecker {
    /// The CRS the features are read in.
    pub crs: Crs,
    tm: minplan_geo::TransverseMercator,
    /// Buffer half-width for line features, metres.
    buffer_m: Option<f64>,
    /// The plan region's extent (see [`LayerOptions::region`]).
    region: Option<[f64; 4]>,
}

/// The range plane coordinates of `zone` can take: eastings of a zone span at most ±500 km
/// around the false easting (with the zone prefix: zone × 10⁶ + 0…10⁶), northings 0…10⁷ m.
fn plane_range_problem(zone: GaussKrugerZone, p: (f64, f64)) -> Option<String> {
    let crs = Crs::GaussKruger(zone);
    let (e0, e1) = if zone.prefixed {
        let z = f64::from(zone.zone) * 1e6;
        (z, z + 1e6)
    } else {
        (0.0, 1e6)
    };
    if (e0..e1).contains(&p.0) && (0.0..1e7).contains(&p.1) {
        return None;
    }
    let hint = if (1e7..1e8).contains(&p.0) {
        let z = (p.0 / 1e6).floor() as u32;
        let other = match zone.width {
            minplan_geo::ZoneWidth::Three => GaussKrugerZone::three_degree(z, true),
            minplan_geo::ZoneWidth::Six => GaussKrugerZone::six_degree(z, true),
        };
        other
            .map(|o| format!("；东坐标含带号 {z}，坐标系应为 EPSG:{}", o.epsg()))
            .unwrap_or_else(|_| format!("；东坐标以 {z} 开头，不是有效的带号"))
    } else if (0.0..1e6).contains(&p.0) && zone.prefixed {
        format!(
            "；东坐标不含带号，坐标系应为 EPSG:{}",
            zone.with_prefix(false).epsg()
        )
    } else {
        String::new()
    };
    let shown = |v: f64| {
        if v.abs() >= 1e9 {
            format!("{v:e}")
        } else {
            format!("{v}")
        }
    };
    Some(format!(
        "坐标 ({}, {}) 与坐标系 EPSG:{} 不符：东坐标应在 {e0}～{e1} 米、北坐标应在 0～10000000 米之间{hint}",
        shown(p.0),
        shown(p.1),
        crs.epsg()
    ))
}

impl LayerChecker {
    /// The checker for a file that declares `file` (or nothing) when the user named
    /// `declared` (or nothing).
    ///
    /// # Errors
    /// A Chinese message when neither gives a CRS, or they disagree.
    pub fn new(
        file: Option<Crs>,
        declared: Option<Crs>,
        opts: &LayerOptions<'_>,
    ) -> Result<Self, String> {
        let crs = match (file, declared) {
            (Some(file), Some(user)) if file.epsg() != user.epsg() => {
                return Err(format!(
                    "文件声明的坐标系为 EPSG:{}，与指定的 EPSG:{} 不一致",
                    file.epsg(),
                    user.epsg()
                ));
            }
            (Some(c), _) | (None, Some(c)) => c,
            (None, None) => {
                return Err(
                    "文件没有声明坐标系（如 Shapefile 缺少 .prj）：请指定坐标系（EPSG 代码或高斯–克吕格带号），不会猜测"
                        .into(),
                );
            }
        };
        // Everything is checked in a plane: the file's own, or the plan's zone for lon/lat.
        let plane_zone = match crs {
            Crs::GaussKruger(z) => z,
            Crs::Geographic => opts.zone.with_prefix(false),
        };
        Ok(LayerChecker {
            crs,
            tm: plane_zone.projection(),
            buffer_m: opts.buffer_m,
            region: opts.region,
        })
    }

    /// Checks the feature at 0-based position `i` of its file.
    pub fn check(&self, i: usize, f: SourceFeature) -> Checked {
        let SourceFeature {
            id,
            name,
            line,
            geometry,
            properties: props,
        } = f;
        let crs = self.crs;
        let tm = &self.tm;
        let to_plane = |p: (f64, f64)| match crs {
            Crs::Geographic => tm.forward(p.0, p.1),
            Crs::GaussKruger(_) => p,
        };
        let mut warnings = Vec::new();
        let problem = |message: String| FeatureProblem {
            id: id.clone(),
            index: i + 1,
            line,
            message,
        };
        // The feature's rings as written (file CRS), and in the plane.
        let raw: Result<(Vec<PlaneRings>, bool), String> = match geometry {
            Err(m) => Err(m),
            Ok(SourceGeometry::Empty) => Err("要素没有几何图形".into()),
            Ok(SourceGeometry::Points(_)) => {
                Err("点要素不能作为面图层（应为面；拐点请按多边形闭合后导入）".into())
            }
            Ok(SourceGeometry::Polygons(p)) if p.is_empty() => Err("面没有环".into()),
            Ok(SourceGeometry::Polygons(p)) => Ok((p, false)),
            Ok(SourceGeometry::Lines(ls)) => match self.buffer_m {
                None => Err("线要素只在给出缓冲宽度（buffer_m）时可用".into()),
                // Buffered in the plane: the result is plane coordinates.
                Some(w) => Ok((
                    buffer_lines(
                        &ls.iter()
                            .map(|l| l.iter().map(|&p| to_plane(p)).collect())
                            .collect::<Vec<_>>(),
                        w,
                    ),
                    true,
                )),
            },
        };
        let (raw, raw_is_plane) = match raw {
            Ok(r) => r,
            Err(msg) => {
                return Checked {
                    feature: Err(problem(msg)),
                    warnings,
                };
            }
        };
        if let Some(bad) = raw
            .iter()
            .flatten()
            .flatten()
            .find(|p| !(p.0.is_finite() && p.1.is_finite()))
        {
            return Checked {
                feature: Err(problem(format!("坐标 ({}, {}) 不是有限数", bad.0, bad.1))),
                warnings,
            };
        }
        if let Crs::GaussKruger(z) = crs
            && !raw_is_plane
            && let Some(m) = raw
                .iter()
                .flatten()
                .flatten()
                .find_map(|&p| plane_range_problem(z, p))
        {
            return Checked {
                feature: Err(problem(m)),
                warnings,
            };
        }
        if crs == Crs::Geographic
            && !raw_is_plane
            && let Some(bad) = raw
                .iter()
                .flatten()
                .flatten()
                .find(|p| p.0.abs() > 180.0 || p.1.abs() > 90.0)
        {
            return Checked {
                feature: Err(problem(format!(
                    "坐标 ({}, {}) 不是经纬度（经度 ±180°、纬度 ±90° 以内）",
                    bad.0, bad.1
                ))),
                warnings,
            };
        }
        let polys: Vec<Vec<Vec<(f64, f64)>>> = if raw_is_plane {
            raw.clone()
        } else {
            raw.iter()
                .map(|p| {
                    p.iter()
                        .map(|r| r.iter().map(|&q| to_plane(q)).collect())
                        .collect()
                })
                .collect()
        };
        if polys
            .iter()
            .flatten()
            .flatten()
            .any(|p| !(p.0.is_finite() && p.1.is_finite()) || p.0.abs() > 1e8 || p.1.abs() > 1e8)
        {
            return Checked {
                feature: Err(problem(
                    "坐标超出 CGCS2000 高斯–克吕格平面的范围（换算后不是有限的米值）".into(),
                )),
                warnings,
            };
        }
        // Lon/lat as written for geographic files; otherwise from the plane.
        let lonlat_of = |pi: usize, ri: usize, k: usize| -> (f64, f64) {
            if raw_is_plane || crs != Crs::Geographic {
                tm.inverse(polys[pi][ri][k].0, polys[pi][ri][k].1)
            } else {
                raw[pi][ri][k]
            }
        };
        // Ring checks in the plane, labels = 1-based vertex numbers.
        let mut rings = Vec::new();
        for (pi, p) in polys.iter().enumerate() {
            for (ri, r) in p.iter().enumerate() {
                rings.push(PlaneRing {
                    name: Some(format!("第{}面第{}环", pi + 1, ri + 1)),
                    role: if ri == 0 {
                        RingRole::Shell
                    } else {
                        RingRole::Hole
                    },
                    labels: (1..=r.len()).map(|k| k.to_string()).collect(),
                    coords: r.clone(),
                });
            }
        }
        let found = validate_rings(
            &rings,
            &ValidateOptions {
                closure_required: !raw_is_plane,
                ..ValidateOptions::default()
            },
        );
        let (errs, warns): (Vec<_>, Vec<_>) = found
            .into_iter()
            .partition(|p| p.severity == Severity::Error);
        let errors: Vec<String> = errs.into_iter().map(|p| p.message).collect();
        for w in warns {
            warnings.push(problem(w.message));
        }
        if !errors.is_empty() {
            return Checked {
                feature: Err(problem(errors.join("；"))),
                warnings,
            };
        }
        // Normalise: closed lon/lat rings, exterior CCW, holes CW (orientation from the plane).
        let polygons: Vec<LonLatPolygon> = polys
            .iter()
            .enumerate()
            .map(|(pi, p)| {
                p.iter()
                    .enumerate()
                    .map(|(ri, r)| {
                        let mut n = r.len();
                        if n > 1 && r[0] == r[n - 1] {
                            n -= 1;
                        }
                        let mut idx: Vec<usize> = (0..n).collect();
                        let ccw = plane_area(&r[..n]) > 0.0;
                        if (ri == 0) != ccw {
                            idx.reverse();
                        }
                        let mut ll: Vec<[f64; 2]> = idx
                            .iter()
                            .map(|&k| {
                                let (lon, lat) = lonlat_of(pi, ri, k);
                                [lon, lat]
                            })
                            .collect();
                        ll.push(ll[0]);
                        ll
                    })
                    .collect()
            })
            .collect();
        let area_m2: f64 = polygons
            .iter()
            .flat_map(|p| p.iter())
            .map(|r| {
                ellipsoidal_area_lonlat(
                    &r[..r.len() - 1]
                        .iter()
                        .map(|q| (q[0], q[1]))
                        .collect::<Vec<_>>(),
                    Ellipsoid::CGCS2000,
                )
            })
            .sum();
        if let Some(r) = self.region {
            let mut b = [
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ];
            for q in polygons.iter().flatten().flatten() {
                b = [
                    b[0].min(q[0]),
                    b[1].min(q[1]),
                    b[2].max(q[0]),
                    b[3].max(q[1]),
                ];
            }
            let m = REGION_MARGIN_DEG;
            if b[2] < r[0] - m || b[0] > r[2] + m || b[3] < r[1] - m || b[1] > r[3] + m {
                return Checked {
                    feature: Err(problem(format!(
                        "要素位于规划区域之外（经度 {:.3}°～{:.3}°、纬度 {:.3}°～{:.3}°，规划区域为经度 {:.3}°～{:.3}°、纬度 {:.3}°～{:.3}°）：坐标系或带号可能有误",
                        b[0], b[2], b[1], b[3], r[0], r[2], r[1], r[3]
                    ))),
                    warnings,
                };
            }
        }
        Checked {
            feature: Ok(ParsedFeature {
                id,
                name,
                line,
                polygons,
                area_km2: area_m2 / 1e6,
                properties: props,
            }),
            warnings,
        }
    }
}

/// A reader's notes once the CRS is settled: when the file declares none and the user named
/// one, the reader's request for a CRS (a note saying it will not guess) gives way to the CRS
/// used.
pub fn settle_crs_notes(notes: &mut Vec<String>, file: Option<Crs>, declared: Option<Crs>) {
    if let (None, Some(c)) = (file, declared) {
        notes.retain(|n| !(n.contains("不会猜测") || n.contains("不作猜测")));
        notes.push(format!("坐标系：EPSG:{}（按指定；文件未声明）", c.epsg()));
    }
}

/// Checks a [`SourceLayer`] feature by feature: rings closed, not self-intersecting, holes
/// inside shells (the corner checks of [`validate_rings`], in the Gauss–Krüger plane),
/// lines buffered when `opts.buffer_m` is given, points and empty geometries refused. The
/// result is lon/lat (CGCS2000), exteriors counter-clockwise, holes clockwise, with each
/// feature's ellipsoidal area (TD/T 1055-2019 附录D).
///
/// `declared` is the CRS the user named; it is used when the file declares none and must
/// agree with the file's when both are given.
///
/// # Errors
/// A Chinese message when neither the file nor the user gives a CRS, or they disagree.
pub fn check_layer(
    src: SourceLayer,
    declared: Option<Crs>,
    opts: &LayerOptions<'_>,
) -> Result<ParsedLayer, String> {
    let checker = LayerChecker::new(src.crs, declared, opts)?;
    let mut notes = src.notes;
    settle_crs_notes(&mut notes, src.crs, declared);
    let mut out = ParsedLayer {
        crs: checker.crs,
        features: Vec::new(),
        problems: Vec::new(),
        warnings: Vec::new(),
        notes,
    };
    for (i, f) in src.features.into_iter().enumerate() {
        let c = checker.check(i, f);
        out.warnings.extend(c.warnings);
        match c.feature {
            Ok(f) => out.features.push(f),
            Err(p) => out.problems.push(p),
        }
    }
    Ok(out)
}

fn polygon_rings(v: &Value) -> Result<Vec<Vec<(f64, f64)>>, String> {
    let rings = v.as_array().ok_or("面坐标不是环的数组")?;
    if rings.is_empty() {
        return Err("面没有环".into());
    }
    rings
        .iter()
        .enumerate()
        .map(|(k, r)| positions(r, &format!("第 {} 环", k + 1)))
        .collect()
}

/// Segments per piece of a line buffered on its own by [`buffer_lines`].
const BUFFER_PIECE_SEGMENTS: usize = 16;

/// Buffers plane lines by `w` metres each side (round joins), as open plane rings.
///
/// Each line is cut into pieces of at most [`BUFFER_PIECE_SEGMENTS`] segments that share
/// their end vertices; each piece is buffered on its own and the pieces' buffers are joined
/// (`unary_union`). Buffering a whole line at once costs time that grows faster than its
/// length where the line doubles back within the buffer width — a 5,000-vertex zig-zag
/// buffered by 1,000 m took 55 s and 474 MB (issue 19, item 4); by pieces it takes about
/// half a second (BENCHMARKS.md). The area is the same up to the polygonisation of the round
/// joins (a piece's round caps meet where the whole line has a round join; 0.01 % on that
/// zig-zag).
fn buffer_lines(lines: &[Vec<(f64, f64)>], w: f64) -> Vec<Vec<Vec<(f64, f64)>>> {
    let mut pieces: Vec<MultiPolygon<f64>> = Vec::new();
    for l in lines {
        let pts: Vec<Coord<f64>> = l.iter().map(|&(x, y)| Coord { x, y }).collect();
        if pts.len() < 2 {
            pieces.push(MultiLineString(vec![LineString(pts)]).buffer(w));
            continue;
        }
        let mut i = 0;
        while i + 1 < pts.len() {
            let j = (i + BUFFER_PIECE_SEGMENTS).min(pts.len() - 1);
            pieces.push(MultiLineString(vec![LineString(pts[i..=j].to_vec())]).buffer(w));
            i = j;
        }
    }
    let mp: MultiPolygon<f64> = match pieces.len() {
        0 => MultiPolygon(vec![]),
        1 => pieces.pop().unwrap_or(MultiPolygon(vec![])),
        _ => geo::unary_union(pieces.iter()),
    };
    mp.0.iter()
        .map(|p: &Polygon<f64>| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(|r| {
                    let mut v: Vec<(f64, f64)> = r.0.iter().map(|c| (c.x, c.y)).collect();
                    if v.len() > 1 && v.first() == v.last() {
                        v.pop();
                    }
                    v
                })
                .collect()
        })
        .collect()
}

/// The extent `[west, south, east, north]` (degrees) of lon/lat polygons — for
/// [`LayerOptions::region`]; `None` when there are no points.
pub fn lonlat_extent(polys: &[LonLatPolygon]) -> Option<[f64; 4]> {
    let mut it = polys.iter().flatten().flatten().peekable();
    it.peek()?;
    Some(it.fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |b, q| {
            [
                b[0].min(q[0]),
                b[1].min(q[1]),
                b[2].max(q[0]),
                b[3].max(q[1]),
            ]
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    fn area(rings: &[Vec<Vec<(f64, f64)>>]) -> f64 {
        rings
            .iter()
            .map(|p| {
                let ring = |r: &Vec<(f64, f64)>| {
                    LineString(r.iter().map(|&(x, y)| Coord { x, y }).collect())
                };
                Polygon::new(ring(&p[0]), p[1..].iter().map(ring).collect()).unsigned_area()
            })
            .sum()
    }

    #[test]
    fn a_line_buffered_by_pieces_covers_what_the_whole_line_s_buffer_covers() {
        // A zig-zag doubling back within the width: 200 vertices 1 m apart, 5 m high, 1 km.
        let zig: Vec<(f64, f64)> = (0..200)
            .map(|i| (f64::from(i), if i % 2 == 0 { 0.0 } else { 5.0 }))
            .collect();
        let whole: MultiPolygon<f64> = MultiLineString(vec![LineString(
            zig.iter().map(|&(x, y)| Coord { x, y }).collect(),
        )])
        .buffer(1000.0);
        let pieces = buffer_lines(&[zig], 1000.0);
        assert_eq!(pieces.len(), 1);
        let (a, b) = (area(&pieces), whole.unsigned_area());
        assert!(((a - b) / b).abs() < 1e-3, "{a} vs {b}");
        // A straight road of one segment is one piece: the same buffer exactly.
        let road = vec![(0.0, 0.0), (2000.0, 0.0)];
        let one = buffer_lines(std::slice::from_ref(&road), 500.0);
        let direct: MultiPolygon<f64> = MultiLineString(vec![LineString(
            road.iter().map(|&(x, y)| Coord { x, y }).collect(),
        )])
        .buffer(500.0);
        assert_eq!(area(&one), direct.unsigned_area());
    }
}
