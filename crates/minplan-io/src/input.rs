//! One entry point for every layer file a user hands in: the format is told from the file
//! names and contents (a zip of a Shapefile, loose `.shp/.shx/.dbf/.prj/.cpg` files, a
//! `.gpkg`, a `.kml`/`.kmz`, a `.dxf`, a GeoJSON), the files are read, and a
//! [`SourceLayer`] comes back with notes saying what was decided (encoding and why, CRS,
//! dropped Z/M).

use crate::{ReadError, archive, dbf, dxf, gpkg, kml, prj, shp};
use encoding_rs::Encoding;
use minplan_domain::layer::{LayerOptions, SourceFeature, SourceLayer, read_geojson};
use minplan_geo::GaussKrugerZone;
use serde_json::{Map, Value};

/// A file as the user handed it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    /// File name (only the extension and stem are used; shown in messages).
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Options of [`read_layer`].
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// Text encoding of a DBF named by the user, overriding `.cpg`, LDID and detection.
    pub encoding: Option<&'static Encoding>,
    /// The layer to read, when the input holds several (Shapefile stem, GeoPackage table).
    pub layer: Option<String>,
    /// Attribute that identifies a feature.
    pub id_property: Option<String>,
    /// The plan's zone (GeoJSON plane coordinates without a prefix, as before).
    pub zone: Option<GaussKrugerZone>,
}

/// The formats [`read_layer`] understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// ESRI Shapefile.
    Shapefile,
    /// OGC GeoPackage.
    GeoPackage,
    /// KML.
    Kml,
    /// KMZ (zipped KML).
    Kmz,
    /// AutoCAD DXF.
    Dxf,
    /// GeoJSON.
    GeoJson,
}

impl Format {
    /// Chinese name, for messages.
    pub fn label(self) -> &'static str {
        match self {
            Format::Shapefile => "Shapefile",
            Format::GeoPackage => "GeoPackage",
            Format::Kml => "KML",
            Format::Kmz => "KMZ",
            Format::Dxf => "DXF",
            Format::GeoJson => "GeoJSON",
        }
    }
}

fn ext(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

fn stem(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.rsplit_once('.').map_or(base, |(s, _)| s).to_string()
}

/// A display name from common name attributes (`name`, `NAME`, `名称`, `MC`, `XMMC`, `KSMC`).
pub fn name_of(props: &Map<String, Value>) -> Option<String> {
    [
        "name",
        "NAME",
        "Name",
        "名称",
        "MC",
        "XMMC",
        "KSMC",
        "矿山名称",
        "项目名称",
    ]
    .iter()
    .find_map(|k| props.get(*k).and_then(Value::as_str))
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
}

/// Tells the format of a set of files.
///
/// # Errors
/// [`ReadError`] when no file is of a known format.
pub fn detect(files: &[InputFile]) -> Result<Format, ReadError> {
    let has = |e: &str| files.iter().any(|f| ext(&f.name) == e);
    if has("shp") || has("dbf") || has("shx") {
        return Ok(Format::Shapefile);
    }
    let Some(f) = files.first() else {
        return Err(ReadError("没有文件".into()));
    };
    let e = ext(&f.name);
    let b = &f.bytes;
    Ok(match e.as_str() {
        "gpkg" => Format::GeoPackage,
        "kml" => Format::Kml,
        "kmz" => Format::Kmz,
        "dxf" => Format::Dxf,
        "geojson" | "json" => Format::GeoJson,
        "zip" => Format::Shapefile,
        "gdb" => {
            return Err(ReadError::at(
                &f.name,
                "File Geodatabase（.gdb）需用带 GDAL 的版本读取；请在 ArcGIS/QGIS 中导出为 Shapefile 或 GeoPackage",
            ));
        }
        _ if b.starts_with(b"SQLite format 3\0") => Format::GeoPackage,
        _ if b.starts_with(b"PK") => Format::Shapefile,
        _ if b.trim_ascii_start().starts_with(b"{") => Format::GeoJson,
        _ if b.trim_ascii_start().starts_with(b"<") => Format::Kml,
        _ => {
            return Err(ReadError::at(
                &f.name,
                "无法识别的图层文件格式：应为 Shapefile（zip 或 .shp/.shx/.dbf/.prj）、GeoPackage、KML/KMZ、DXF 或 GeoJSON",
            ));
        }
    })
}

/// Reads a layer from the files a user handed in.
///
/// # Errors
/// [`ReadError`] naming the file (and record, field or line) when the input as a whole cannot
/// be read; see each format's reader.
pub fn read_layer(files: &[InputFile], opts: &ReadOptions) -> Result<SourceLayer, ReadError> {
    let format = detect(files)?;
    let first = &files[0];
    let mut layer = match format {
        Format::Shapefile => {
            if files.len() == 1 && (ext(&first.name) == "zip" || first.bytes.starts_with(b"PK")) {
                let inner = archive::entries(&first.name, &first.bytes, |n| {
                    matches!(ext(n).as_str(), "shp" | "shx" | "dbf" | "prj" | "cpg")
                })?;
                if inner
                    .iter()
                    .any(|e| e.name.to_ascii_lowercase().contains(".gdb/"))
                {
                    return Err(ReadError::at(
                        &first.name,
                        "压缩包中是 File Geodatabase（.gdb）：请导出为 Shapefile 或 GeoPackage",
                    ));
                }
                let inner: Vec<InputFile> = inner
                    .into_iter()
                    .map(|e| InputFile {
                        name: e.name,
                        bytes: e.bytes,
                    })
                    .collect();
                if !inner.iter().any(|f| ext(&f.name) == "shp") {
                    return Err(ReadError::at(&first.name, "压缩包中没有 .shp 文件"));
                }
                read_shapefile(&inner, opts, Some(&first.name))?
            } else {
                read_shapefile(files, opts, None)?
            }
        }
        Format::GeoPackage => gpkg::read(
            &first.name,
            &first.bytes,
            opts.layer.as_deref(),
            opts.id_property.as_deref(),
        )?,
        Format::Kml => kml::read_kml(&first.name, &first.bytes)?,
        Format::Kmz => kml::read_kmz(&first.name, &first.bytes)?,
        Format::Dxf => dxf::read_dxf(&first.name, &first.bytes)?,
        Format::GeoJson => {
            let text = std::str::from_utf8(&first.bytes).map_err(|e| {
                ReadError::at(
                    &first.name,
                    format!("不是 UTF-8 文本（第 {} 字节）", e.valid_up_to() + 1),
                )
            })?;
            let zone = opts.zone.ok_or_else(|| {
                ReadError::at(&first.name, "读取 GeoJSON 需给出规划的高斯–克吕格带")
            })?;
            read_geojson(
                text,
                &LayerOptions {
                    id_property: opts.id_property.as_deref(),
                    zone,
                    buffer_m: None,
                },
            )
            .map_err(|m| ReadError::at(&first.name, m))?
        }
    };
    layer.notes.insert(0, format!("格式：{}", format.label()));
    Ok(layer)
}

/// Reads a Shapefile from its member files (`.shp`, `.shx`, `.dbf` required; `.prj`, `.cpg`
/// optional). `zip` names the archive they came from, for messages.
fn read_shapefile(
    files: &[InputFile],
    opts: &ReadOptions,
    zip: Option<&str>,
) -> Result<SourceLayer, ReadError> {
    let shps: Vec<&InputFile> = files.iter().filter(|f| ext(&f.name) == "shp").collect();
    let shp_file = match (shps.as_slice(), opts.layer.as_deref()) {
        ([one], None) => *one,
        (_, Some(l)) => *shps.iter().find(|f| stem(&f.name) == l).ok_or_else(|| {
            ReadError(format!(
                "没有名为“{l}”的 Shapefile；有：{}",
                shps.iter()
                    .map(|f| stem(&f.name))
                    .collect::<Vec<_>>()
                    .join("、")
            ))
        })?,
        ([], None) => {
            return Err(ReadError(format!(
                "缺少 .shp 文件（{}）",
                files
                    .iter()
                    .map(|f| f.name.as_str())
                    .collect::<Vec<_>>()
                    .join("、")
            )));
        }
        (_, None) => {
            return Err(ReadError(format!(
                "{}中有多个 Shapefile，请指定一个：{}",
                zip.map(|z| format!("{z} ")).unwrap_or_default(),
                shps.iter()
                    .map(|f| stem(&f.name))
                    .collect::<Vec<_>>()
                    .join("、")
            )));
        }
    };
    let s = stem(&shp_file.name);
    let member = |e: &str| {
        files
            .iter()
            .find(|f| ext(&f.name) == e && stem(&f.name).eq_ignore_ascii_case(&s))
    };
    let where_ = |e: &str| match zip {
        Some(z) => format!("{z} 中缺少 {s}.{e}"),
        None => format!("缺少 {s}.{e}"),
    };
    let shx = member("shx").ok_or_else(|| {
        ReadError(format!(
            "{}：Shapefile 需要 .shp、.shx、.dbf 三个文件一起上传",
            where_("shx")
        ))
    })?;
    let dbf_file = member("dbf").ok_or_else(|| {
        ReadError(format!(
            "{}：Shapefile 需要 .shp、.shx、.dbf 三个文件一起上传",
            where_("dbf")
        ))
    })?;
    let shapes = shp::read(&shp_file.name, &shp_file.bytes)?;
    let shx_n = shp::shx_count(&shx.name, &shx.bytes)?;
    let cpg = member("cpg").map(|f| String::from_utf8_lossy(&f.bytes).into_owned());
    let table = dbf::read(
        &dbf_file.name,
        &dbf_file.bytes,
        cpg.as_deref(),
        opts.encoding,
    )?;
    let (n_shp, n_dbf) = (shapes.records.len(), table.records.len());
    if n_shp != shx_n || n_shp != n_dbf {
        return Err(ReadError(format!(
            "{s}：记录数不一致——.shp 有 {n_shp} 条，.shx 有 {shx_n} 条，.dbf 有 {n_dbf} 条；文件不完整或不属于同一图层"
        )));
    }
    let mut notes = Vec::new();
    let enc = table.encoding.name();
    notes.push(match table.encoding_source {
        dbf::EncodingSource::User => format!("属性文本编码：{enc}（按指定）"),
        dbf::EncodingSource::Cpg => format!(
            "属性文本编码：{enc}（来自 .cpg：{}）",
            cpg.as_deref().unwrap_or("").trim()
        ),
        dbf::EncodingSource::Ldid(b) => {
            format!("属性文本编码：{enc}（来自 .dbf 语言驱动字节 0x{b:02X}；无 .cpg）")
        }
        dbf::EncodingSource::Detected => format!(
            "属性文本编码：{enc}（无 .cpg、语言驱动字节未声明，按内容判断{}；如有乱码请指定编码）",
            if enc == "UTF-8" {
                "为有效的 UTF-8"
            } else {
                "不是 UTF-8，按 GBK 读取"
            }
        ),
    });
    let crs = match member("prj") {
        Some(p) => {
            let text = String::from_utf8_lossy(&p.bytes);
            let parsed = prj::parse(&text).map_err(|m| ReadError::at(&p.name, m))?;
            notes.push(format!("坐标系：EPSG:{}（来自 .prj）", parsed.crs.epsg()));
            notes.extend(parsed.note);
            Some(parsed.crs)
        }
        None => {
            notes.push(format!("缺少 {s}.prj：坐标系须指定，不作猜测"));
            None
        }
    };
    if shapes.had_z_or_m {
        notes.push("几何带有 Z/M 值，已舍去（只用平面坐标）".into());
    }
    let mut features = Vec::with_capacity(n_shp);
    for (i, (g, rec)) in shapes.records.into_iter().zip(table.records).enumerate() {
        let Some(props) = rec else {
            notes.push(format!("第 {} 条记录在 .dbf 中标记为删除，未读取", i + 1));
            continue;
        };
        let id = opts
            .id_property
            .as_deref()
            .and_then(|p| props.get(p))
            .filter(|v| !v.is_null())
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .unwrap_or_else(|| format!("#{}", i + 1));
        features.push(SourceFeature {
            id,
            name: name_of(&props),
            line: None,
            geometry: g,
            properties: props,
        });
    }
    Ok(SourceLayer {
        crs,
        features,
        notes,
    })
}

/// Reads and checks a layer: [`read_layer`], then
/// [`check_layer`](minplan_domain::layer::check_layer) with the CRS the user named
/// (`declared`, used when the file declares none and compared when it does).
///
/// # Errors
/// [`ReadError`] when the input as a whole cannot be read or has no CRS; problems of single
/// features are in the result.
pub fn load_layer(
    files: &[InputFile],
    read: &ReadOptions,
    declared: Option<minplan_geo::Crs>,
    opts: &LayerOptions<'_>,
) -> Result<minplan_domain::layer::ParsedLayer, ReadError> {
    let mut read = read.clone();
    read.zone = Some(opts.zone);
    if read.id_property.is_none() {
        read.id_property = opts.id_property.map(str::to_string);
    }
    let src = read_layer(files, &read)?;
    let name = files.first().map_or("", |f| f.name.as_str());
    minplan_domain::layer::check_layer(src, declared, opts).map_err(|m| ReadError::at(name, m))
}

/// An application's corner file handed in as a drawing or a spreadsheet, turned into the
/// corner text the corner reader reads: a DXF, KML or KMZ through [`read_layer`] and
/// [`corners::corner_text`](crate::corners::corner_text), an Excel list through
/// [`xlsx::xlsx_corner_text`](crate::xlsx::xlsx_corner_text). `Ok(None)` for any other file
/// (already text).
///
/// # Errors
/// [`ReadError`] naming the file when it cannot be read or holds no closed polygon.
pub fn corner_file_text(name: &str, bytes: &[u8]) -> Result<Option<String>, ReadError> {
    match ext(name).as_str() {
        "dxf" | "kml" | "kmz" => {
            let layer = read_layer(
                &[InputFile {
                    name: name.to_string(),
                    bytes: bytes.to_vec(),
                }],
                &ReadOptions::default(),
            )?;
            crate::corners::corner_text(&layer).map(Some)
        }
        "xlsx" | "xls" | "xlsm" => crate::xlsx::xlsx_corner_text(name, bytes).map(Some),
        _ => Ok(None),
    }
}
