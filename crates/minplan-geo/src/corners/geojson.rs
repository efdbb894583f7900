//! GeoJSON (RFC 7946): FeatureCollection, Feature, Polygon, MultiPolygon, GeometryCollection.
//!
//! Each Feature (or bare geometry) is one block, named from its `name`/`名称` property.
//! Positions are `[lon, lat]` (RFC 7946) or, with a legacy `crs` member naming a projected
//! CRS, `[easting, northing]`. Point labels are the 1-based position in the ring.

use super::raw::{CoordKind, RawBlock, RawDoc, RawPoint, RawRing};
use super::{Layout, Problem, ProblemKind, RingRole, Severity};
use serde_json::Value;

pub(crate) fn read(input: &str) -> RawDoc {
    let mut doc = RawDoc::new(Layout::GeoJson, CoordKind::Geographic);
    let v: Value = match serde_json::from_str(input) {
        Ok(v) => v,
        Err(e) => {
            doc.problems.push(
                Problem::new(
                    ProblemKind::UnreadableLine,
                    Severity::Error,
                    format!(
                        "第 {} 行第 {} 列：GeoJSON 语法错误（{e}）",
                        e.line(),
                        e.column()
                    ),
                )
                .at_line(Some(e.line())),
            );
            return doc;
        }
    };
    if let Some(crs) = v.get("crs") {
        let name = crs
            .pointer("/properties/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let code: String = name
            .rsplit(':')
            .next()
            .unwrap_or_default()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        match code.parse::<u32>() {
            Ok(c) if name.to_uppercase().contains("EPSG") => doc.hints.epsg = Some((c, None)),
            _ if name.contains("CRS84") => {}
            _ => doc.problems.push(Problem::new(
                ProblemKind::DatumNotStated,
                Severity::Error,
                format!("GeoJSON 的 crs 成员“{name}”无法识别；请提供 EPSG 代码（如 4490、4532）"),
            )),
        }
    } else {
        doc.rfc7946 = true;
    }
    let mut blocks = Vec::new();
    let mut plane = false;
    walk(&v, None, &mut blocks, &mut doc.problems, &mut plane);
    if plane {
        // Projected positions are [easting, northing]: already stored as X = northing,
        // Y = easting like the geographic ones (x = position[1], y = position[0]).
        doc.kind = CoordKind::Plane;
    }
    doc.blocks = blocks;
    doc
}

fn walk(
    v: &Value,
    name: Option<String>,
    blocks: &mut Vec<RawBlock>,
    problems: &mut Vec<Problem>,
    plane: &mut bool,
) {
    let ty = v.get("type").and_then(Value::as_str).unwrap_or("");
    let block_name = |blocks: &Vec<RawBlock>| {
        name.clone()
            .unwrap_or_else(|| format!("要素{}", blocks.len() + 1))
    };
    match ty {
        "FeatureCollection" => {
            for f in v
                .get("features")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                walk(f, None, blocks, problems, plane);
            }
        }
        "Feature" => {
            let props = v.get("properties");
            let n = ["name", "名称", "NAME", "Name"]
                .iter()
                .find_map(|k| props.and_then(|p| p.get(*k)).and_then(value_text))
                .or_else(|| {
                    v.get("id")
                        .and_then(value_text)
                        .map(|id| format!("要素{id}"))
                });
            match v.get("geometry") {
                Some(g) if !g.is_null() => walk(g, n, blocks, problems, plane),
                _ => problems.push(Problem::new(
                    ProblemKind::UnsupportedGeometry,
                    Severity::Error,
                    format!("要素“{}”没有几何", n.unwrap_or_default()),
                )),
            }
        }
        "GeometryCollection" => {
            for g in v
                .get("geometries")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                walk(g, name.clone(), blocks, problems, plane);
            }
        }
        "Polygon" => {
            let bn = block_name(blocks);
            let rings = polygon(v.get("coordinates"), &bn, 0, problems, plane);
            blocks.push(RawBlock { name: bn, rings });
        }
        "MultiPolygon" => {
            let bn = block_name(blocks);
            let mut rings = Vec::new();
            for (k, poly) in v
                .get("coordinates")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                rings.extend(polygon(Some(poly), &bn, k + 1, problems, plane));
            }
            blocks.push(RawBlock { name: bn, rings });
        }
        other => problems.push(Problem::new(
            ProblemKind::UnsupportedGeometry,
            Severity::Error,
            format!("几何类型“{other}”不表示范围（只读取 Polygon 与 MultiPolygon）"),
        )),
    }
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn polygon(
    coords: Option<&Value>,
    block: &str,
    part: usize,
    problems: &mut Vec<Problem>,
    plane: &mut bool,
) -> Vec<RawRing> {
    let mut out = Vec::new();
    for (ri, ring) in coords
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let name = match (part, ri) {
            (0, 0) => format!("{block} 外圈"),
            (0, k) => format!("{block} 内圈{k}"),
            (p, 0) => format!("{block} 第{p}面外圈"),
            (p, k) => format!("{block} 第{p}面内圈{k}"),
        };
        let mut points = Vec::new();
        let mut extra_dim = false;
        for (i, pos) in ring.as_array().into_iter().flatten().enumerate() {
            let label = (i + 1).to_string();
            let arr = pos.as_array().cloned().unwrap_or_default();
            if arr.len() > 2 {
                extra_dim = true;
            }
            let get = |k: usize| arr.get(k).and_then(Value::as_f64);
            let text = |k: usize| arr.get(k).map(Value::to_string).unwrap_or_default();
            let (x, y) = (get(0), get(1));
            if x.is_none() || y.is_none() {
                problems.push(
                    Problem::new(
                        ProblemKind::JunkInNumber,
                        Severity::Error,
                        format!("{name} 第 {label} 个位置“{}”不是两个数", pos),
                    )
                    .with_points(vec![label.clone()])
                    .in_ring(Some(name.clone())),
                );
            }
            if x.is_some_and(|v| v.abs() > 180.0) || y.is_some_and(|v| v.abs() > 90.0) {
                *plane = true;
            }
            // Geographic: x = latitude (position[1]), y = longitude (position[0]).
            points.push(RawPoint {
                label,
                x_text: text(1),
                y_text: text(0),
                x: y,
                y: x,
                line: None,
                lines: Vec::new(),
                alt: None,
            });
        }
        if extra_dim {
            problems.push(
                Problem::new(
                    ProblemKind::ExtraDimension,
                    Severity::Warning,
                    format!("{name} 的坐标含第三维（高程等），已忽略"),
                )
                .in_ring(Some(name.clone())),
            );
        }
        out.push(RawRing {
            name: Some(name),
            role: if ri == 0 {
                RingRole::Shell
            } else {
                RingRole::Hole
            },
            points,
            elevation: None,
            closure_required: true,
            was_closed: false,
        });
    }
    out
}
