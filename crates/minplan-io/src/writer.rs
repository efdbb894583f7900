//! One entry point for every export: a set of [`ExportLayer`]s written as one file of the
//! chosen format (a Shapefile set is a zip of one `.shp/.shx/.dbf/.prj/.cpg` per layer plus
//! its field-name table).

use crate::export::{ExportLayer, FieldKind};
use crate::{WriteError, dbf, dxf, gpkg, kml, prj, shp, xlsx};
use encoding_rs::{Encoding, GBK};
use minplan_geo::Crs;
use serde_json::{Value, json};
use std::io::Write;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Zipped ESRI Shapefiles.
    Shapefile,
    /// GeoPackage.
    GeoPackage,
    /// KML.
    Kml,
    /// DXF R2000.
    Dxf,
    /// XLSX corner lists (MNR layout).
    Xlsx,
    /// GeoJSON (RFC 7946, lon/lat).
    GeoJson,
}

impl ExportFormat {
    /// Parses `shp`, `gpkg`, `kml`, `dxf`, `xlsx`, `geojson`.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "shp" | "shapefile" | "zip" => ExportFormat::Shapefile,
            "gpkg" | "geopackage" => ExportFormat::GeoPackage,
            "kml" => ExportFormat::Kml,
            "dxf" => ExportFormat::Dxf,
            "xlsx" | "excel" => ExportFormat::Xlsx,
            "geojson" | "json" => ExportFormat::GeoJson,
            _ => return None,
        })
    }
    /// File extension of the written file.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Shapefile => "zip",
            ExportFormat::GeoPackage => "gpkg",
            ExportFormat::Kml => "kml",
            ExportFormat::Dxf => "dxf",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::GeoJson => "geojson",
        }
    }
    /// MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            ExportFormat::Shapefile => "application/zip",
            ExportFormat::GeoPackage => "application/geopackage+sqlite3",
            ExportFormat::Kml => "application/vnd.google-earth.kml+xml",
            ExportFormat::Dxf => "image/vnd.dxf",
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            ExportFormat::GeoJson => "application/geo+json",
        }
    }
}

/// Options of [`write`].
#[derive(Debug, Clone, Copy)]
pub struct WriteOptions {
    /// CRS of Shapefile and GeoPackage output: the plan's Gauss–Krüger zone (default; entered
    /// plane values as they are) or lon/lat. KML and GeoJSON are always lon/lat, DXF and XLSX
    /// always the plane.
    pub crs: Option<Crs>,
    /// DBF text encoding: GBK (default) or UTF-8.
    pub encoding: &'static Encoding,
    /// The export's date and time, UTC `(year, month, day, hour, minute, second)`: the DBF
    /// header date and the GeoPackage `last_change`.
    pub when: (u16, u8, u8, u8, u8, u8),
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            crs: None,
            encoding: GBK,
            when: (1970, 1, 1, 0, 0, 0),
        }
    }
}

/// Writes `layers` as one file.
///
/// # Errors
/// [`WriteError`] naming the layer and field of a value the format cannot hold.
pub fn write(
    format: ExportFormat,
    layers: &[ExportLayer],
    opts: &WriteOptions,
) -> Result<Vec<u8>, WriteError> {
    let Some(first) = layers.first() else {
        return Err(WriteError("没有可导出的图层".into()));
    };
    let crs = opts.crs.unwrap_or(Crs::GaussKruger(first.zone));
    match format {
        ExportFormat::Shapefile => shapefile_zip(layers, crs, opts),
        ExportFormat::GeoPackage => {
            let (y, mo, d, h, mi, s) = opts.when;
            gpkg::write(
                layers,
                crs,
                &format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.000Z"),
            )
        }
        ExportFormat::Kml => kml::write_kml(layers),
        ExportFormat::Dxf => dxf::write_dxf(layers),
        ExportFormat::Xlsx => {
            if layers.len() != 1 {
                return Err(WriteError("拐点坐标表一次导出一个图层".into()));
            }
            xlsx::write_corner_xlsx(first)
        }
        ExportFormat::GeoJson => geojson(layers),
    }
}

fn shapefile_zip(
    layers: &[ExportLayer],
    crs: Crs,
    opts: &WriteOptions,
) -> Result<Vec<u8>, WriteError> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let ze = |e: zip::result::ZipError| WriteError(format!("压缩包写入失败：{e}"));
    let (y, m, d, ..) = opts.when;
    for layer in layers {
        let polys: Vec<_> = layer
            .features
            .iter()
            .map(|f| f.coordinates_in(layer.zone, crs))
            .collect();
        let (shp_bytes, shx_bytes) = shp::write_polygons(&polys)?;
        let rows: Vec<&[crate::FieldValue]> =
            layer.features.iter().map(|f| f.values.as_slice()).collect();
        let (dbf_bytes, names) = dbf::write(&layer.fields, &rows, opts.encoding, Some((y, m, d)))
            .map_err(|e| WriteError(format!("图层“{}”：{e}", layer.name)))?;
        let cpg = if opts.encoding == GBK {
            "GBK"
        } else {
            opts.encoding.name()
        };
        let mut table = String::from("\u{feff}字段全名,DBF字段名,类型\r\n");
        for (n, f) in names.iter().zip(&layer.fields) {
            let kind = match f.kind {
                FieldKind::Text => "文本".to_string(),
                FieldKind::Integer => "整数".to_string(),
                FieldKind::Real(d) => format!("数值（{d} 位小数）"),
                FieldKind::Date => "日期".to_string(),
            };
            table.push_str(&format!("{},{},{kind}\r\n", n.long, n.short));
        }
        let base = &layer.name;
        for (ext, bytes) in [
            ("shp", shp_bytes),
            ("shx", shx_bytes),
            ("dbf", dbf_bytes),
            ("prj", prj::esri_wkt(crs).into_bytes()),
            ("cpg", cpg.as_bytes().to_vec()),
        ] {
            zip.start_file(format!("{base}.{ext}"), o).map_err(ze)?;
            zip.write_all(&bytes)
                .map_err(|e| WriteError(e.to_string()))?;
        }
        zip.start_file(format!("{base}_字段对照.csv"), o)
            .map_err(ze)?;
        zip.write_all(table.as_bytes())
            .map_err(|e| WriteError(e.to_string()))?;
    }
    Ok(zip.finish().map_err(ze)?.into_inner())
}

fn geojson(layers: &[ExportLayer]) -> Result<Vec<u8>, WriteError> {
    let mut features = Vec::new();
    for layer in layers {
        for f in &layer.features {
            let mut props = serde_json::Map::new();
            props.insert("图层".into(), Value::String(layer.name.clone()));
            for (field, v) in layer.fields.iter().zip(&f.values) {
                let value = match v {
                    crate::FieldValue::Null => Value::Null,
                    crate::FieldValue::Text(s) => Value::String(s.clone()),
                    crate::FieldValue::Integer(i) => json!(i),
                    crate::FieldValue::Real(x) => json!(x),
                };
                props.insert(field.name.clone(), value);
            }
            features.push(json!({
                "type": "Feature",
                "properties": props,
                "geometry": { "type": "MultiPolygon", "coordinates": f.lonlat },
            }));
        }
    }
    serde_json::to_vec_pretty(&json!({ "type": "FeatureCollection", "features": features }))
        .map_err(|e| WriteError(e.to_string()))
}
