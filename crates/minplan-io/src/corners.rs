//! A layer read from a company's DXF or KML corner file turned into text that the corner
//! reader ([`minplan_geo::corners::parse_str`]) reads, so that an application's corners are
//! checked the same way whatever file they came in.

use crate::ReadError;
use crate::kml::exact_number;
use crate::xlsx::{ring_heading, zone_statement};
use minplan_domain::layer::{SourceFeature, SourceGeometry, SourceLayer};
use minplan_geo::Crs;
use serde_json::json;
use std::fmt::Write as _;

/// One polygon: its feature's heading and rings (exterior first), in the layer's CRS.
type Part<'a> = (String, &'a [Vec<(f64, f64)>]);

/// Turns the polygon features of a [`SourceLayer`] into corner-list text for
/// [`minplan_geo::corners::parse_str`].
///
/// * Plane layers (a Gauss–Krüger CRS, or none and values beyond degrees): the `点号 X Y`
///   table, X = northing, Y = easting as read (with the zone prefix when the file has it),
///   metres; a first line states the datum and zone (`2000国家大地坐标系 3度带 第44带
///   中央经线132°`) when the layer's CRS is known — without it the caller must give the
///   datum and zone in the parse options.
/// * Geographic layers (EPSG:4490): the `点号 经度 纬度` table in decimal degrees, after a
///   line `2000国家大地坐标系`. Should every value also read as `ddd.mmss` (which the reader
///   would then choose), the layer is written as a GeoJSON FeatureCollection with
///   `crs` EPSG:4490 instead, which the reader reads without that ambiguity.
/// * Numbers are written exactly (the shortest repr that reads back as the same `f64`,
///   padded to at least 3 decimals): the reader gets the file's values, not rounded ones.
/// * One block per polygon feature: a heading line (the feature's name, else its id; with
///   several features numbered first, `2号地块 <name>`, since the reader joins shells of one
///   name into one block), a header line, one line per corner (the closing repeat of the
///   first corner dropped, labels 1…n per ring). Holes follow their shell under a heading
///   `内圈（挖空）k`, which the reader takes as a hole of the block before it; further
///   polygons of one feature repeat its heading (one block, several shells).
///
/// Points, lines and features without geometry are not corners and are left out; a feature
/// whose geometry could not be read (a DXF arc, a broken KML tuple) is refused rather than
/// left out, since the area would silently shrink.
///
/// # Errors
/// A Chinese [`ReadError`] when a feature's geometry could not be read (naming the feature
/// and why), or when the layer has no feature with a polygon.
pub fn corner_text(layer: &SourceLayer) -> Result<String, ReadError> {
    if let Some((f, msg)) = layer.features.iter().find_map(|f| match &f.geometry {
        Err(m) => Some((f, m)),
        Ok(_) => None,
    }) {
        let line = f.line.map(|l| format!("（第 {l} 行）")).unwrap_or_default();
        return Err(ReadError(format!(
            "要素“{}”{line}的图形无法读取：{msg}；拐点范围不完整，请改正后重新上传",
            f.name.as_deref().unwrap_or(&f.id)
        )));
    }
    let polygon_features: Vec<&SourceFeature> = layer
        .features
        .iter()
        .filter(|f| matches!(&f.geometry, Ok(SourceGeometry::Polygons(p)) if p.iter().any(|r| !r.is_empty())))
        .collect();
    let numbered = polygon_features.len() > 1;
    let mut parts: Vec<Part<'_>> = Vec::new();
    for (n, f) in polygon_features.iter().enumerate() {
        let Ok(SourceGeometry::Polygons(polys)) = &f.geometry else {
            continue;
        };
        let base = f
            .name
            .clone()
            .filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| f.id.clone());
        // The reader joins shells of the same name into one block and shortens names to
        // their part (`一号采区…` → `一号采区`): a number first keeps features apart.
        let heading = if numbered {
            ring_heading(&format!("{}号地块 {base}", n + 1))
        } else {
            ring_heading(&base)
        };
        for p in polys {
            if !p.is_empty() {
                parts.push((heading.clone(), p.as_slice()));
            }
        }
    }
    if parts.is_empty() {
        return Err(ReadError(
            "图层中没有可读的面要素：拐点坐标须为闭合的面（多边形），点、线和无法读取的要素不能作为拐点范围"
                .to_owned(),
        ));
    }
    let geographic = match layer.crs {
        Some(Crs::Geographic) => true,
        Some(Crs::GaussKruger(_)) => false,
        None => parts
            .iter()
            .flat_map(|(_, rings)| rings.iter().flatten())
            .all(|p| p.0.abs() <= 180.0 && p.1.abs() <= 90.0),
    };
    let mut out = String::new();
    if geographic {
        if layer.crs.is_some() {
            out.push_str("2000国家大地坐标系\n");
        }
        let cells: Vec<String> = parts
            .iter()
            .flat_map(|(_, rings)| rings.iter().flat_map(|r| open(r)))
            .flat_map(|p| [exact_number(p.0, 3), exact_number(p.1, 3)])
            .collect();
        if reads_as_ddd_mmss(&cells) {
            return Ok(geojson_text(&parts));
        }
        write_table(&mut out, &parts, "点号\t经度\t纬度", |p| {
            (exact_number(p.0, 3), exact_number(p.1, 3))
        });
    } else {
        if let Some(Crs::GaussKruger(z)) = layer.crs {
            out.push_str(&zone_statement(z));
            out.push('\n');
        }
        write_table(&mut out, &parts, "点号\tX\tY", |p| {
            (exact_number(p.1, 3), exact_number(p.0, 3))
        });
    }
    Ok(out)
}

/// A ring without the closing repeat of its first point.
fn open(r: &[(f64, f64)]) -> &[(f64, f64)] {
    if r.len() > 1 && r.first() == r.last() {
        &r[..r.len() - 1]
    } else {
        r
    }
}

fn write_table(
    out: &mut String,
    parts: &[Part<'_>],
    header: &str,
    cells: impl Fn(&(f64, f64)) -> (String, String),
) {
    for (heading, rings) in parts {
        for (k, ring) in rings.iter().enumerate() {
            out.push('\n');
            if k == 0 {
                let _ = writeln!(out, "{heading}");
            } else {
                let _ = writeln!(out, "内圈（挖空）{k}");
            }
            let _ = writeln!(out, "{header}");
            for (i, p) in open(ring).iter().enumerate() {
                let (a, b) = cells(p);
                let _ = writeln!(out, "{}\t{a}\t{b}", i + 1);
            }
        }
    }
}

/// Whether the corner reader would read these decimal-degree cells as `ddd.mmss`: every
/// value's first four decimals fit minutes and seconds below 60 and at least six have four
/// or more decimals (its rule, docs/coordinates.md §1a).
fn reads_as_ddd_mmss(cells: &[String]) -> bool {
    let fits = |s: &str| {
        let frac = s.split('.').nth(1).unwrap_or("");
        let padded = format!("{frac:0<4}");
        padded[..2].parse::<u32>().is_ok_and(|m| m < 60)
            && padded[2..4].parse::<u32>().is_ok_and(|s| s < 60)
    };
    let long = cells
        .iter()
        .filter(|s| s.split('.').nth(1).unwrap_or("").len() >= 4)
        .count();
    !cells.is_empty() && cells.iter().all(|s| fits(s)) && long >= 6
}

/// The polygons as a GeoJSON FeatureCollection (EPSG:4490, `[lon, lat]`, rings closed), one
/// Feature per block with its `name`.
fn geojson_text(parts: &[Part<'_>]) -> String {
    let mut blocks: Vec<(String, Vec<serde_json::Value>)> = Vec::new();
    for (heading, rings) in parts {
        let poly: Vec<Vec<[f64; 2]>> = rings
            .iter()
            .map(|r| {
                let mut v: Vec<[f64; 2]> = r.iter().map(|p| [p.0, p.1]).collect();
                if v.len() > 1 && v.first() != v.last() {
                    v.push(v[0]);
                }
                v
            })
            .collect();
        match blocks.last_mut() {
            Some((h, polys)) if h == heading => polys.push(json!(poly)),
            _ => blocks.push((heading.clone(), vec![json!(poly)])),
        }
    }
    let features: Vec<serde_json::Value> = blocks
        .into_iter()
        .map(|(name, polys)| {
            json!({
                "type": "Feature",
                "properties": {"name": name},
                "geometry": {"type": "MultiPolygon", "coordinates": polys},
            })
        })
        .collect();
    json!({
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}},
        "features": features,
    })
    .to_string()
}
