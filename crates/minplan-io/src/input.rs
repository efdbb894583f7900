//! One entry point for every layer file a user hands in: the format is told from the file
//! names and contents (a zip of a Shapefile, loose `.shp/.shx/.dbf/.prj/.cpg` files, a
//! `.gpkg`, a `.kml`/`.kmz`, a `.dxf`, a GeoJSON), the files are read, and a
//! [`SourceLayer`] comes back with notes saying what was decided (encoding and why, CRS,
//! dropped Z/M).

use crate::{LayerStream, ReadError, archive, dbf, dxf, gpkg, kml, prj, shp};
use encoding_rs::Encoding;
use minplan_domain::layer::{LayerOptions, SourceFeature, SourceLayer};
use minplan_geo::GaussKrugerZone;
use serde_json::Value;
use std::borrow::Cow;

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

/// One CAD layer of a DXF: the one named by `opts.layer`, or the only one with polygons; a
/// drawing with several such layers and none named is refused with their names.
fn dxf_layer(file: &str, mut l: SourceLayer, opts: &ReadOptions) -> Result<SourceLayer, ReadError> {
    let layer_of = |f: &SourceFeature| {
        f.properties
            .get("layer")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let mut names: Vec<String> = Vec::new();
    for f in &l.features {
        let n = layer_of(f);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    match opts.layer.as_deref() {
        Some(want) => {
            if !names.iter().any(|n| n == want) {
                return Err(ReadError::at(
                    file,
                    format!("没有图层“{want}”；有面的图层有：{}", names.join("、")),
                ));
            }
            l.features.retain(|f| layer_of(f) == want);
            l.notes.push(format!("只读取图层“{want}”"));
        }
        None if names.len() > 1 => {
            return Err(ReadError::at(
                file,
                format!("有多个含闭合多段线的图层，请指定一个：{}", names.join("、")),
            ));
        }
        None => {}
    }
    Ok(l)
}

/// With the `gdal` feature: a single file that is a zipped File Geodatabase, or of a format
/// no reader of this crate knows — read through GDAL/OGR.
#[cfg(feature = "gdal")]
fn ogr_source(files: &[InputFile]) -> Option<&InputFile> {
    let [f] = files else { return None };
    let e = ext(&f.name);
    if e == "zip" || f.bytes.starts_with(b"PK") {
        let names = archive::names(&f.name, &f.bytes).ok()?;
        return names
            .iter()
            .any(|n| n.to_ascii_lowercase().contains(".gdb/"))
            .then_some(f);
    }
    detect(files).is_err().then_some(f)
}

/// An empty (or all-blank) file is refused by name before any reader sees it.
fn refuse_empty(files: &[InputFile]) -> Result<(), ReadError> {
    // (An empty .cpg only means "no code page".)
    match files
        .iter()
        .find(|f| ext(&f.name) != "cpg" && f.bytes.iter().all(u8::is_ascii_whitespace))
    {
        Some(f) => Err(ReadError::at(&f.name, "文件是空的")),
        None => Ok(()),
    }
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

/// The member files of a Shapefile handed in loose or as one zip.
fn shapefile_members<'a>(
    files: &'a [InputFile],
) -> Result<(Vec<Member<'a>>, Option<&'a str>), ReadError> {
    let first = &files[0];
    if files.len() == 1 && (ext(&first.name) == "zip" || first.bytes.starts_with(b"PK")) {
        let inner = archive::entries(&first.name, &first.bytes, |n| {
            matches!(
                ext(n).as_str(),
                "shp" | "shx" | "dbf" | "prj" | "cpg" | "gdbtablx"
            )
        })?;
        if inner.iter().any(|e| ext(&e.name) == "gdbtablx") {
            return Err(ReadError::at(
                &first.name,
                "压缩包中是 File Geodatabase（.gdb）：请在 ArcGIS/QGIS 中导出为 Shapefile 或 GeoPackage",
            ));
        }
        if !inner.iter().any(|f| ext(&f.name) == "shp") {
            return Err(ReadError::at(&first.name, "压缩包中没有 .shp 文件"));
        }
        let members = inner
            .into_iter()
            .map(|e| Member {
                name: e.name,
                bytes: Cow::Owned(e.bytes),
            })
            .collect();
        Ok((members, Some(first.name.as_str())))
    } else {
        let members = files
            .iter()
            .map(|f| Member {
                name: f.name.clone(),
                bytes: Cow::Borrowed(f.bytes.as_slice()),
            })
            .collect();
        Ok((members, None))
    }
}

/// Reads a layer feature by feature ([`LayerStream`]): Shapefiles are decoded record by
/// record, GeoPackages page by page; the other formats (drawings and KML, never large) are
/// read whole and handed out one feature at a time.
///
/// # Errors
/// As [`read_layer`], for the file as a whole.
pub fn stream_layer<'a>(
    files: &'a [InputFile],
    opts: &ReadOptions,
) -> Result<LayerStream<'a>, ReadError> {
    refuse_empty(files)?;
    #[cfg(feature = "gdal")]
    if ogr_source(files).is_some() {
        let layer = read_layer(files, opts)?;
        return Ok(LayerStream {
            crs: layer.crs,
            notes: layer.notes,
            features: Box::new(layer.features.into_iter().map(Ok)),
        });
    }
    match detect(files)? {
        Format::Shapefile => {
            let (members, zip) = shapefile_members(files)?;
            return shapefile_stream(members, opts, zip);
        }
        Format::GeoJson => {
            let f = &files[0];
            let zone = opts
                .zone
                .ok_or_else(|| ReadError::at(&f.name, "读取 GeoJSON 需给出规划的高斯–克吕格带"))?;
            return crate::geojson::stream(&f.name, &f.bytes, zone, opts.id_property.as_deref());
        }
        Format::GeoPackage => {
            let f = &files[0];
            return gpkg::stream(
                &f.name,
                &f.bytes,
                opts.layer.as_deref(),
                opts.id_property.as_deref(),
            );
        }
        _ => {}
    }
    let layer = read_layer(files, opts)?;
    Ok(LayerStream {
        crs: layer.crs,
        notes: layer.notes,
        features: Box::new(layer.features.into_iter().map(Ok)),
    })
}

/// Reads a layer from the files a user handed in.
///
/// # Errors
/// [`ReadError`] naming the file (and record, field or line) when the input as a whole cannot
/// be read; see each format's reader.
pub fn read_layer(files: &[InputFile], opts: &ReadOptions) -> Result<SourceLayer, ReadError> {
    refuse_empty(files)?;
    #[cfg(feature = "gdal")]
    if let Some(f) = ogr_source(files) {
        let mut l = crate::ogr::read_ogr(
            &f.name,
            &f.bytes,
            opts.layer.as_deref(),
            opts.id_property.as_deref(),
        )?;
        l.notes.insert(0, "格式：GDAL/OGR 数据源".into());
        return Ok(l);
    }
    let format = detect(files)?;
    let first = &files[0];
    let mut layer = match format {
        Format::Shapefile => {
            let (members, zip) = shapefile_members(files)?;
            let stream = shapefile_stream(members, opts, zip)?;
            let features = stream.features.collect::<Result<Vec<_>, _>>()?;
            // The stream's notes already name the format.
            return Ok(SourceLayer {
                crs: stream.crs,
                features,
                notes: stream.notes,
            });
        }
        // The reader's notes already name the format.
        Format::GeoPackage => {
            return gpkg::read(
                &first.name,
                &first.bytes,
                opts.layer.as_deref(),
                opts.id_property.as_deref(),
            );
        }
        Format::Kml => kml::read_kml(&first.name, &first.bytes)?,
        Format::Kmz => kml::read_kmz(&first.name, &first.bytes)?,
        Format::Dxf => dxf_layer(&first.name, dxf::read_dxf(&first.name, &first.bytes)?, opts)?,
        // Read feature by feature, never as one JSON tree of the whole file.
        Format::GeoJson => {
            let zone = opts.zone.ok_or_else(|| {
                ReadError::at(&first.name, "读取 GeoJSON 需给出规划的高斯–克吕格带")
            })?;
            let stream = crate::geojson::stream(
                &first.name,
                &first.bytes,
                zone,
                opts.id_property.as_deref(),
            )?;
            return Ok(SourceLayer {
                crs: stream.crs,
                features: stream.features.collect::<Result<Vec<_>, _>>()?,
                notes: stream.notes,
            });
        }
    };
    layer.notes.insert(0, format!("格式：{}", format.label()));
    Ok(layer)
}

/// A member file of a Shapefile, borrowed from the input or inflated from its zip.
struct Member<'a> {
    name: String,
    bytes: Cow<'a, [u8]>,
}

/// Opens a Shapefile from its member files (`.shp`, `.shx`, `.dbf` required; `.prj`, `.cpg`
/// optional) for reading record by record. `zip` names the archive they came from, for
/// messages. Everything about the file as a whole is checked here (framing of every record,
/// record counts of the three files, the encoding, the `.prj`); records are decoded as the
/// stream is read.
fn shapefile_stream<'a>(
    mut files: Vec<Member<'a>>,
    opts: &ReadOptions,
    zip: Option<&str>,
) -> Result<LayerStream<'a>, ReadError> {
    let shps: Vec<&Member<'a>> = files.iter().filter(|f| ext(&f.name) == "shp").collect();
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
    let shp_name = shp_file.name.clone();
    let s = stem(&shp_name);
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
    let (_, index) = shp::index(&shp_name, &shp_file.bytes)?;
    let shx_n = shp::shx_count(&shx.name, &shx.bytes)?;
    let cpg = member("cpg").map(|f| String::from_utf8_lossy(&f.bytes).into_owned());
    let prj = member("prj").map(|p| {
        (
            p.name.clone(),
            String::from_utf8_lossy(&p.bytes).into_owned(),
        )
    });
    let dbf_name = dbf_file.name.clone();
    // Take the .shp and .dbf bytes out of the member list (no copy).
    let take = |files: &mut Vec<Member<'a>>, name: &str| {
        let k = files.iter().position(|f| f.name == name).unwrap_or(0);
        files.swap_remove(k).bytes
    };
    let shp_bytes = take(&mut files, &shp_name);
    let dbf_bytes = take(&mut files, &dbf_name);
    let table = dbf::Dbf::open(&dbf_name, dbf_bytes, cpg.as_deref(), opts.encoding)?;
    let (n_shp, n_dbf) = (index.len(), table.len());
    if n_shp != shx_n || n_shp != n_dbf {
        return Err(ReadError(format!(
            "{s}：记录数不一致——.shp 有 {n_shp} 条，.shx 有 {shx_n} 条，.dbf 有 {n_dbf} 条；文件不完整或不属于同一图层"
        )));
    }
    let mut notes = vec!["格式：Shapefile".to_string()];
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
    let crs = match prj {
        Some((name, text)) => {
            let parsed = prj::parse(&text).map_err(|m| ReadError::at(&name, m))?;
            notes.push(format!("坐标系：EPSG:{}（来自 .prj）", parsed.crs.epsg()));
            notes.extend(parsed.note);
            Some(parsed.crs)
        }
        None => {
            notes.push(format!("缺少 {s}.prj：坐标系须指定，不作猜测"));
            None
        }
    };
    // Z/M and deleted records are known from the framing alone: said before any record is read.
    if index.iter().any(|&(at, _)| {
        let t = i32::from_le_bytes([
            shp_bytes[at],
            shp_bytes[at + 1],
            shp_bytes[at + 2],
            shp_bytes[at + 3],
        ]);
        t > 10
    }) {
        notes.push("几何带有 Z/M 值，已舍去（只用平面坐标）".into());
    }
    let deleted: Vec<usize> = (0..table.len()).filter(|&i| table.is_deleted(i)).collect();
    for i in &deleted {
        notes.push(format!("第 {} 条记录在 .dbf 中标记为删除，未读取", i + 1));
    }
    let id_property = opts.id_property.clone();
    let features = index
        .into_iter()
        .enumerate()
        .filter_map(move |(i, (at, len))| {
            let props = match table.record(i) {
                Ok(Some(p)) => p,
                Ok(None) => return None,
                Err(e) => return Some(Err(e)),
            };
            let (geometry, _) = shp::decode(&shp_bytes[at..at + len]);
            let id = id_property
                .as_deref()
                .and_then(|p| props.get(p))
                .filter(|v| !v.is_null())
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .unwrap_or_else(|| format!("#{}", i + 1));
            Some(Ok(SourceFeature {
                id,
                name: minplan_domain::layer::display_name(&props),
                line: None,
                geometry,
                properties: props,
            }))
        });
    Ok(LayerStream {
        crs,
        notes,
        features: Box::new(features),
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
        "zip" | "shp" | "shx" | "dbf" | "gpkg" | "gdb" => Err(ReadError::at(
            name,
            "不是拐点坐标文件：图层（Shapefile、GeoPackage）请用图层导入；拐点坐标请用文本、Excel 拐点坐标表、DXF 或 KML",
        )),
        _ => Ok(None),
    }
}
