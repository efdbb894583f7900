//! A 历史遗留矿山's geometry taken from one feature of an uploaded layer file (any format the
//! layer reader of minplan-io knows: Shapefile zip, GeoPackage, KML/KMZ, DXF, GeoJSON), as
//! the alternative to corner text on the add form (issue 15 item 1: "an imported layer").
//!
//! The user picks the feature by its 1-based position in the file or by its 名称 (a name
//! attribute); a file with exactly one polygon feature needs no choice. The feature is
//! checked and turned into CGCS2000 longitude/latitude by the same checks as a control layer
//! import (ring closure, validity, a plane CRS that can be told), then its area is computed by
//! `geometry_from_lonlat` of the domain's legacy-mine module.

use minplan_domain::layer::{LayerOptions, SourceGeometry, SourceLayer, check_layer};
use minplan_domain::restoration::legacy::{Geometry, geometry_from_lonlat};
use minplan_geo::{Crs, GaussKrugerZone};
use minplan_io::{InputFile, ReadOptions, read_layer};
use serde_json::Value;

/// Reads `files` (one upload) and returns the geometry of the chosen feature.
///
/// `choice` is what the user typed: "" (only allowed when the file holds exactly one
/// polygon feature), a 名称 value of one feature, or a 1-based position in the file.
/// `declared` is the CRS the user named (for a plane layer that does not declare one);
/// `zone` is the plan's Gauss–Krüger zone; `region` the plan region's lon/lat extent
/// `[west, south, east, north]` (a feature far outside it is refused as a wrong CRS).
///
/// # Errors
/// A Chinese message naming the file (and the feature): the file cannot be read, it has no
/// polygon feature, it has several and none was chosen (their number given), the chosen
/// feature does not exist or is not a polygon, its CRS cannot be told, or its geometry is
/// broken.
pub fn geometry_from_file(
    files: &[InputFile],
    choice: &str,
    declared: Option<Crs>,
    zone: GaussKrugerZone,
    region: Option<[f64; 4]>,
) -> Result<Geometry, String> {
    let file = files
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join("、");
    let read = ReadOptions {
        zone: Some(zone),
        ..ReadOptions::default()
    };
    let layer = read_layer(files, &read).map_err(|e| format!("{e}；未录入"))?;
    let is_polygon = |g: &Result<SourceGeometry, String>| matches!(g, Ok(SourceGeometry::Polygons(p)) if !p.is_empty());
    let polygon_count = layer
        .features
        .iter()
        .filter(|f| is_polygon(&f.geometry))
        .count();
    let name_of = |f: &minplan_domain::layer::SourceFeature| -> Option<String> {
        f.name.clone().or_else(|| {
            f.properties
                .get("名称")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
    };
    let choice = choice.trim();
    let index = if choice.is_empty() {
        match polygon_count {
            0 => return Err(format!("图层文件“{file}”中没有多边形要素；未录入")),
            1 => layer
                .features
                .iter()
                .position(|f| is_polygon(&f.geometry))
                .unwrap_or(0),
            n => {
                return Err(format!(
                    "图层文件“{file}”中有 {n} 个多边形要素，请填写要用的要素（序号或名称）；未录入"
                ));
            }
        }
    } else {
        let by_name: Vec<usize> = layer
            .features
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                name_of(f).as_deref().map(str::trim) == Some(choice)
                    || f.properties
                        .get("名称")
                        .and_then(Value::as_str)
                        .map(str::trim)
                        == Some(choice)
            })
            .map(|(i, _)| i)
            .collect();
        match (by_name.as_slice(), choice.parse::<usize>()) {
            ([i], _) => *i,
            ([_, _, ..], _) => {
                return Err(format!(
                    "图层文件“{file}”中名称为“{choice}”的要素有 {} 个，请改填序号；未录入",
                    by_name.len()
                ));
            }
            ([], Ok(k)) if k >= 1 && k <= layer.features.len() => k - 1,
            ([], _) => {
                return Err(format!(
                    "图层文件“{file}”中没有要素“{choice}”（文件共 {} 个要素，序号从 1 起，或填名称）；未录入",
                    layer.features.len()
                ));
            }
        }
    };
    let feature = layer.features[index].clone();
    let label = match name_of(&feature) {
        Some(n) if !n.trim().is_empty() => format!("第 {} 个要素“{}”", index + 1, n.trim()),
        _ => format!("第 {} 个要素", index + 1),
    };
    if !is_polygon(&feature.geometry) {
        let why = match &feature.geometry {
            Err(m) => m.clone(),
            Ok(SourceGeometry::Lines(_)) => "是线，不是多边形".into(),
            Ok(SourceGeometry::Points(_)) => "是点，不是多边形".into(),
            _ => "没有多边形".into(),
        };
        return Err(format!("图层文件“{file}”{label}：{why}；未录入"));
    }
    let notes = layer.notes.clone();
    let one = SourceLayer {
        crs: layer.crs,
        features: vec![feature],
        notes: layer.notes,
    };
    let opts = LayerOptions {
        id_property: None,
        zone,
        buffer_m: None,
        region,
    };
    let parsed =
        check_layer(one, declared, &opts).map_err(|m| format!("图层文件“{file}”：{m}；未录入"))?;
    let Some(f) = parsed.features.into_iter().next() else {
        let why = parsed
            .problems
            .first()
            .map_or_else(|| "无法读取".to_string(), |p| p.message.clone());
        return Err(format!("图层文件“{file}”{label}：{why}；未录入"));
    };
    let polygons = f
        .polygons
        .into_iter()
        .map(|poly| {
            poly.into_iter()
                .map(|ring| ring.into_iter().map(|[x, y]| (x, y)).collect())
                .collect()
        })
        .collect();
    let mut source = format!("图层文件“{file}”{label}");
    if !notes.is_empty() {
        source.push_str(&format!("（{}）", notes.join("；")));
    }
    geometry_from_lonlat(&source, polygons).map_err(|p| {
        p.into_iter()
            .map(|p| p.message)
            .collect::<Vec<_>>()
            .join("；")
    })
}
