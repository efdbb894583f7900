//! KML 2.2 and KMZ: read into a [`SourceLayer`], written from [`ExportLayer`]s.
//!
//! KML is always CGCS2000-compatible longitude/latitude here (KML is WGS 84 by its
//! specification; the datums agree to centimetres, as for GeoJSON): coordinates are
//! `lon,lat[,alt]` tuples, altitude dropped. Reading uses `quick-xml`; writing builds the text
//! by hand with every value XML-escaped.

use crate::export::{ExportLayer, FieldKind};
use crate::{ReadError, WriteError};
use minplan_domain::layer::{SourceFeature, SourceGeometry, SourceLayer};
use minplan_geo::Crs;
use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use serde_json::{Map, Value};
use std::fmt::Write as _;
use std::io::Read as _;

/// Largest uncompressed KML inside a KMZ that is read: 256 MiB.
pub const KMZ_MAX_UNCOMPRESSED: u64 = 256 * 1024 * 1024;

/// Rings of one polygon, `(lon, lat)`, exterior first.
type Rings = Vec<Vec<(f64, f64)>>;

/// 1-based line of each byte offset.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Self {
        Lines(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        )
    }
    fn line(&self, offset: u64) -> usize {
        let off = usize::try_from(offset).unwrap_or(usize::MAX);
        self.0.partition_point(|&nl| nl < off) + 1
    }
}

/// A Placemark being read.
#[derive(Default)]
struct Placemark {
    id: String,
    line: usize,
    name: Option<String>,
    properties: Map<String, Value>,
    polygons: Vec<Rings>,
    lines: Vec<Vec<(f64, f64)>>,
    points: usize,
    /// A polygon or line was met (even one whose coordinates are broken).
    area_or_line: bool,
    error: Option<String>,
}

/// Where the reader is inside a geometry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Boundary {
    Outer,
    Inner,
}

/// Reads a KML file: every `Placemark` is a feature.
///
/// * CRS: `Some(Crs::Geographic)` — coordinates are `(lon, lat)` in degrees; a third value
///   (altitude) is dropped and a note says so.
/// * `name` → [`SourceFeature::name`] and `properties["name"]`; `description` →
///   `properties["description"]`; `ExtendedData` (`<Data name="…"><value>` and
///   `<SchemaData><SimpleData name="…">`) → properties (text); the enclosing folders' names
///   (joined by `/`) → `properties["folder"]`. Id: the Placemark's `id` attribute, else `#n`
///   (n = 1-based Placemark number). `line`: 1-based line of the `<Placemark>` start tag.
/// * Geometry: `Polygon` and `MultiGeometry` of polygons → [`SourceGeometry::Polygons`]
///   (outer ring first, holes after); `LineString` → [`SourceGeometry::Lines`]; `Point` →
///   [`SourceGeometry::Points`]; none → [`SourceGeometry::Empty`]. A tuple that is not
///   `lon,lat[,alt]` makes that feature's geometry an `Err` naming the tuple.
///
/// # Errors
/// A Chinese [`ReadError`] naming the file when the file is empty (0 bytes or only white
/// space), the bytes are not UTF-8, not well-formed XML (“不是有效的 XML”, with the line;
/// also a file cut off before its elements are closed), have no `<kml>` root, hold no
/// Placemark, or hold only points (a polygon layer needs closed areas).
pub fn read_kml(file_name: &str, bytes: &[u8]) -> Result<SourceLayer, ReadError> {
    let read = parse_kml(file_name, bytes, &mut 0, false)?;
    into_layer(file_name, read.features, read.altitude, Vec::new())
}

/// Placemarks of one KML text.
struct KmlRead {
    features: Vec<SourceFeature>,
    altitude: bool,
}

/// Reads the Placemarks of one KML text; `count` numbers them (`#n` ids) across the files
/// of a KMZ; with `document_names` the `Document`'s name leads the folder path.
fn parse_kml(
    file_name: &str,
    bytes: &[u8],
    count: &mut usize,
    document_names: bool,
) -> Result<KmlRead, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::at(
            file_name,
            "文件是空的（0 字节或只有空白），不是 KML",
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ReadError::at(
            file_name,
            format!(
                "不是 UTF-8 编码的 KML（第 {} 字节起无法解码）；KML 须为 UTF-8",
                e.valid_up_to() + 1
            ),
        )
    })?;
    let lines = Lines::new(text);
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);

    let mut stack: Vec<String> = Vec::new();
    let mut folders: Vec<String> = Vec::new();
    let mut current: Option<Placemark> = None;
    let mut features: Vec<SourceFeature> = Vec::new();
    let mut text_buf = String::new();
    let mut data_name: Option<String> = None;
    let mut simple_name: Option<String> = None;
    let mut polygon: Option<Rings> = None;
    let mut boundary: Option<Boundary> = None;
    let mut altitude = false;
    let mut seen_root = false;

    // The XML reader's own message is English and names its internals: the line is what a
    // user can act on.
    let xml_error = |pos: u64, _: &dyn std::fmt::Display| {
        ReadError::at(
            file_name,
            format!(
                "第 {} 行：不是有效的 XML（标签未闭合、不成对或含非法字符）",
                lines.line(pos)
            ),
        )
    };

    loop {
        let before = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| xml_error(reader.error_position(), &e))?;
        match event {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_owned();
                check_root(&mut seen_root, &name, file_name, lines.line(before))?;
                text_buf.clear();
                match name.as_str() {
                    "Folder" => folders.push(String::new()),
                    "Document" if document_names => folders.push(String::new()),
                    "Placemark" => {
                        *count += 1;
                        current = Some(Placemark {
                            id: attr(&e, "id")
                                .filter(|s| !s.is_empty())
                                .unwrap_or_else(|| format!("#{count}")),
                            line: lines.line(before),
                            ..Placemark::default()
                        });
                    }
                    "Data" => data_name = attr(&e, "name"),
                    "SimpleData" => simple_name = attr(&e, "name"),
                    "Polygon" => polygon = Some(Vec::new()),
                    "outerBoundaryIs" => boundary = Some(Boundary::Outer),
                    "innerBoundaryIs" => boundary = Some(Boundary::Inner),
                    "LineString" | "LinearRing" => {
                        if let Some(p) = current.as_mut() {
                            p.area_or_line = true;
                        }
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Event::Empty(e) => {
                check_root(
                    &mut seen_root,
                    e.local_name().as_ref(),
                    file_name,
                    lines.line(before),
                )?;
                if e.local_name().as_ref() == "Point"
                    && let Some(p) = current.as_mut()
                {
                    p.points += 1;
                }
            }
            Event::Text(t) => text_buf.push_str(&t.xml10_content()),
            Event::CData(t) => text_buf.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                match r.resolve_char_ref() {
                    Ok(Some(c)) => text_buf.push(c),
                    Ok(None) => match quick_xml::escape::resolve_xml_entity(&name) {
                        Some(s) => text_buf.push_str(s),
                        None => {
                            return Err(xml_error(before, &format!("未定义的实体 &{name};")));
                        }
                    },
                    Err(e) => return Err(xml_error(before, &e)),
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let parent = stack.last().map(String::as_str).unwrap_or("");
                let value = std::mem::take(&mut text_buf);
                match name.as_str() {
                    "name" if parent == "Folder" || (document_names && parent == "Document") => {
                        if let Some(f) = folders.last_mut() {
                            *f = value.trim().to_owned();
                        }
                    }
                    "name" if parent == "Placemark" => {
                        if let Some(p) = current.as_mut() {
                            let v = value.trim().to_owned();
                            p.properties.insert("name".into(), Value::String(v.clone()));
                            p.name = Some(v);
                        }
                    }
                    "description" if parent == "Placemark" => {
                        if let Some(p) = current.as_mut() {
                            p.properties
                                .insert("description".into(), Value::String(value.trim().into()));
                        }
                    }
                    "value" if parent == "Data" => {
                        if let (Some(p), Some(n)) = (current.as_mut(), data_name.as_ref()) {
                            p.properties
                                .insert(n.clone(), Value::String(value.trim().to_owned()));
                        }
                    }
                    "SimpleData" => {
                        if let (Some(p), Some(n)) = (current.as_mut(), simple_name.take()) {
                            p.properties
                                .insert(n, Value::String(value.trim().to_owned()));
                        }
                    }
                    "Data" => data_name = None,
                    "coordinates" => {
                        if let Some(p) = current.as_mut() {
                            match parse_coordinates(&value, &mut altitude) {
                                Err(m) => {
                                    p.error.get_or_insert(m);
                                }
                                Ok(pts) => match (parent, polygon.as_mut(), boundary) {
                                    ("LinearRing", Some(poly), Some(Boundary::Outer)) => {
                                        poly.insert(0, pts)
                                    }
                                    ("LinearRing", Some(poly), _) => poly.push(pts),
                                    ("LinearRing", None, _) => p.polygons.push(vec![pts]),
                                    ("LineString", _, _) => p.lines.push(pts),
                                    ("Point", _, _) => p.points += 1,
                                    _ => {}
                                },
                            }
                        }
                    }
                    "outerBoundaryIs" | "innerBoundaryIs" => boundary = None,
                    "Polygon" => {
                        if let (Some(p), Some(poly)) = (current.as_mut(), polygon.take()) {
                            p.area_or_line = true;
                            if !poly.is_empty() {
                                p.polygons.push(poly);
                            }
                        }
                    }
                    "Placemark" => {
                        if let Some(p) = current.take() {
                            features.push(finish(p, &folders));
                        }
                    }
                    "Folder" => {
                        folders.pop();
                    }
                    "Document" if document_names => {
                        folders.pop();
                    }
                    _ => {}
                }
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(ReadError::at(
                        file_name,
                        format!(
                            "第 {} 行：不是有效的 XML（文件在 <{open}> 元素中结束，缺少结束标签 </{open}>；文件可能不完整）",
                            lines.line(reader.buffer_position())
                        ),
                    ));
                }
                break;
            }
            _ => {}
        }
    }
    if !seen_root {
        return Err(ReadError::at(
            file_name,
            "不是 KML 文件（没有 <kml> 根元素）",
        ));
    }
    Ok(KmlRead { features, altitude })
}

/// The layer of the Placemarks read from `file_name` (a KML, or every KML of a KMZ).
fn into_layer(
    file_name: &str,
    features: Vec<SourceFeature>,
    altitude: bool,
    extra_notes: Vec<String>,
) -> Result<SourceLayer, ReadError> {
    if features.is_empty() {
        return Err(ReadError::at(file_name, "KML 中没有地标（Placemark）要素"));
    }
    if !features.iter().any(|f| {
        matches!(
            f.geometry,
            Ok(SourceGeometry::Polygons(_)) | Ok(SourceGeometry::Lines(_)) | Err(_)
        )
    }) {
        return Err(ReadError::at(
            file_name,
            "KML 中只有点要素，没有面（管控图层和申请范围需要闭合的面）",
        ));
    }
    let mut notes = vec![
        "KML 坐标为 WGS 84 经纬度，按 CGCS2000 经纬度（EPSG:4490）读取（两者相差厘米级）"
            .to_owned(),
    ];
    if altitude {
        notes.push("KML 坐标含高程（第三个值），已忽略，只读取经度、纬度".to_owned());
    }
    notes.extend(extra_notes);
    Ok(SourceLayer {
        crs: Some(Crs::Geographic),
        features,
        notes,
    })
}

/// The first element must be `<kml>`.
fn check_root(seen: &mut bool, name: &str, file: &str, line: usize) -> Result<(), ReadError> {
    if *seen {
        return Ok(());
    }
    if name != "kml" {
        return Err(ReadError::at(
            file,
            format!("第 {line} 行：不是 KML 文件（根元素为 <{name}>，应为 <kml>）"),
        ));
    }
    *seen = true;
    Ok(())
}

fn attr(e: &BytesStart<'_>, key: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| a.normalized_value(XmlVersion::Implicit1_0).ok())
        .map(|v| v.into_owned())
}

fn finish(p: Placemark, folders: &[String]) -> SourceFeature {
    let mut properties = p.properties;
    let path: Vec<&str> = folders
        .iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    if !path.is_empty() {
        properties.insert("folder".into(), Value::String(path.join("/")));
    }
    let geometry = match p.error {
        Some(m) => Err(m),
        None if !p.polygons.is_empty() => Ok(SourceGeometry::Polygons(p.polygons)),
        None if !p.lines.is_empty() => Ok(SourceGeometry::Lines(p.lines)),
        None if p.points > 0 => Ok(SourceGeometry::Points(p.points)),
        None if p.area_or_line => Err("面或线没有坐标".to_owned()),
        None => Ok(SourceGeometry::Empty),
    };
    // No <name>: a name attribute of ExtendedData (MC, 名称 … as GDAL writes them).
    let name = p
        .name
        .filter(|n| !n.trim().is_empty())
        .or_else(|| minplan_domain::layer::display_name(&properties));
    SourceFeature {
        id: p.id,
        name,
        line: Some(p.line),
        geometry,
        properties,
    }
}

/// `lon,lat[,alt]` tuples separated by whitespace (spaces around the commas tolerated).
fn parse_coordinates(text: &str, altitude: &mut bool) -> Result<Vec<(f64, f64)>, String> {
    // "131.1, 44.4" → "131.1,44.4"
    let mut joined = String::with_capacity(text.len());
    for part in text.split(',') {
        if !joined.is_empty() {
            let t = joined.trim_end().len();
            joined.truncate(t);
            joined.push(',');
            joined.push_str(part.trim_start());
        } else {
            joined.push_str(part);
        }
    }
    joined
        .split_whitespace()
        .enumerate()
        .map(|(k, tuple)| {
            let parts: Vec<&str> = tuple.split(',').collect();
            let num = |s: &str| s.parse::<f64>().ok().filter(|v| v.is_finite());
            match parts.as_slice() {
                [lon, lat, rest @ ..] if rest.len() <= 1 => match (num(lon), num(lat)) {
                    (Some(lon), Some(lat)) => {
                        if let [alt] = rest {
                            num(alt).ok_or_else(|| bad_tuple(k, tuple))?;
                            *altitude = true;
                        }
                        Ok((lon, lat))
                    }
                    _ => Err(bad_tuple(k, tuple)),
                },
                _ => Err(bad_tuple(k, tuple)),
            }
        })
        .collect()
}

fn bad_tuple(k: usize, tuple: &str) -> String {
    format!("第 {} 个坐标“{tuple}”不是 经度,纬度", k + 1)
}

/// Reads a KMZ: a zip of KML files, every `.kml` entry read as [`read_kml`] does, `doc.kml`
/// (else the first `.kml` entry) first, then the others in archive order, their Placemarks
/// merged into one layer. GDAL's LIBKML driver writes a `doc.kml` that only links
/// `layers/<name>.kml`: the linked files are read as entries of the archive. In entries
/// other than the first the `Document`'s name (GDAL: the layer's name) leads
/// `properties["folder"]`. `#n` ids count Placemarks across the entries; `line` is the line
/// in the Placemark's own entry (a note names the entries when more than one is read).
///
/// # Errors
/// A Chinese [`ReadError`] naming the file when the bytes are not a zip, hold no `.kml`
/// entry, or the KML entries inflate to more than [`KMZ_MAX_UNCOMPRESSED`] bytes in all
/// (declared or actual); an entry's errors as [`read_kml`]'s, naming the entry; those of
/// [`read_kml`] for the merged Placemarks (none, or only points).
pub fn read_kmz(file_name: &str, bytes: &[u8]) -> Result<SourceLayer, ReadError> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| {
        ReadError::at(
            file_name,
            format!(
                "不是有效的 KMZ（zip）文件：{}",
                crate::archive::zip_problem(&e)
            ),
        )
    })?;
    let mut entries: Vec<String> = zip
        .file_names()
        .filter(|n| n.to_ascii_lowercase().ends_with(".kml"))
        .map(str::to_owned)
        .collect();
    // Archive order (file_names() is not), doc.kml first.
    entries.sort_by_key(|n| zip.index_for_name(n).unwrap_or(usize::MAX));
    if entries.is_empty() {
        return Err(ReadError::at(file_name, "KMZ 中没有 .kml 文件"));
    }
    if let Some(doc) = entries
        .iter()
        .position(|n| n.eq_ignore_ascii_case("doc.kml"))
    {
        let doc = entries.remove(doc);
        entries.insert(0, doc);
    }
    let mut budget = KMZ_MAX_UNCOMPRESSED;
    let mut count = 0usize;
    let mut features = Vec::new();
    let mut altitude = false;
    let mut used: Vec<&str> = Vec::new();
    for (k, entry) in entries.iter().enumerate() {
        let too_big = || {
            ReadError::at(
                file_name,
                format!(
                    "KMZ 中的 {entry} 解压后（连同之前的 KML）超过 {} MiB，拒绝读取",
                    KMZ_MAX_UNCOMPRESSED / 1024 / 1024
                ),
            )
        };
        let file = zip.by_name(entry).map_err(|e| {
            ReadError::at(
                file_name,
                format!(
                    "无法读取 KMZ 中的 {entry}：{}",
                    crate::archive::zip_problem(&e)
                ),
            )
        })?;
        let declared = file.size();
        if declared > budget {
            return Err(too_big());
        }
        let mut kml = Vec::new();
        file.take(budget + 1).read_to_end(&mut kml).map_err(|_| {
            ReadError::at(file_name, format!("无法解压 KMZ 中的 {entry}（数据损坏）"))
        })?;
        if kml.len() as u64 > budget {
            return Err(too_big());
        }
        // Declared sizes count too: a total declared beyond the limit is refused.
        budget -= declared.max(kml.len() as u64);
        let read = parse_kml(&format!("{file_name}（{entry}）"), &kml, &mut count, k > 0)?;
        if !read.features.is_empty() {
            used.push(entry);
        }
        altitude |= read.altitude;
        features.extend(read.features);
    }
    let mut notes = Vec::new();
    if used.len() > 1 {
        notes.push(format!(
            "KMZ 中有 {} 个 KML 含地标，已合并读取：{}（行号为各自文件中的行号）",
            used.len(),
            used.join("、")
        ));
    }
    let name = match used.as_slice() {
        [one] => format!("{file_name}（{one}）"),
        _ => file_name.to_owned(),
    };
    into_layer(&name, features, altitude, notes)
}

/// Line colours (KML `aabbggrr`, opaque), one per layer in turn.
const COLOURS: [&str; 8] = [
    "ff0000ff", // red
    "ffff0000", // blue
    "ff00aa00", // green
    "ff00a5ff", // orange
    "ffff00ff", // magenta
    "ffffff00", // cyan
    "ff800080", // purple
    "ff008080", // olive
];

/// XML-escapes text for element content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A number with the shortest repr that reads back as the same `f64`, padded with zeros to
/// at least `min_decimals` decimals (the value is unchanged).
pub(crate) fn exact_number(v: f64, min_decimals: usize) -> String {
    let mut s = format!("{v}");
    let decimals = s.find('.').map_or(0, |p| s.len() - p - 1);
    if decimals < min_decimals {
        if decimals == 0 {
            s.push('.');
        }
        s.extend(std::iter::repeat_n('0', min_decimals - decimals));
    }
    s
}

/// Writes layers as one KML 2.2 document (UTF-8): one `Folder` per layer with a `Style` per
/// layer (a distinct line colour, the same colour at 25 % opacity as fill) and a `Schema` per
/// layer (one typed `SimpleField` per field: `int`, `double`, `string`), each feature a
/// `Placemark` with `name`, a `description` (an HTML table 字段 → 值), an `ExtendedData` with
/// every non-null field as `<SchemaData><SimpleData name="字段名">值</SimpleData>` (typed
/// schema data rather than untyped `<Data>`: GDAL's LIBKML driver keeps Chinese field names
/// only from a schema, it turns `<Data name="名称">` into `__`) and its
/// geometry from [`ExportFeature::lonlat`](crate::export::ExportFeature::lonlat): a `Polygon`,
/// or a `MultiGeometry` of polygons, coordinates `lon,lat` (CGCS2000 degrees, longitude
/// first) written exactly (shortest repr that reads back as the same `f64`, at least 8
/// decimals), rings closed. Everything is XML-escaped.
///
/// # Errors
/// A Chinese [`WriteError`] when a feature has a number of values other than its layer's
/// number of fields, or a coordinate that is not finite.
pub fn write_kml(layers: &[ExportLayer]) -> Result<Vec<u8>, WriteError> {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n");
    out.push_str("<name>minplan</name>\n");
    for (i, _) in layers.iter().enumerate() {
        let c = COLOURS[i % COLOURS.len()];
        let _ = writeln!(
            out,
            "<Style id=\"layer{}\"><LineStyle><color>{c}</color><width>2</width></LineStyle>\
             <PolyStyle><color>40{}</color></PolyStyle></Style>",
            i + 1,
            &c[2..]
        );
    }
    for (i, layer) in layers.iter().enumerate() {
        if !layer.fields.is_empty() {
            let _ = writeln!(
                out,
                "<Schema name=\"{}\" id=\"schema{}\">",
                esc(&layer.name),
                i + 1
            );
            for field in &layer.fields {
                let ty = match field.kind {
                    FieldKind::Integer => "int",
                    FieldKind::Real(_) => "double",
                    FieldKind::Text | FieldKind::Date => "string",
                };
                let _ = writeln!(
                    out,
                    "<SimpleField name=\"{}\" type=\"{ty}\"/>",
                    esc(&field.name)
                );
            }
            out.push_str("</Schema>\n");
        }
    }
    for (i, layer) in layers.iter().enumerate() {
        let _ = writeln!(out, "<Folder>\n<name>{}</name>", esc(&layer.name));
        for f in &layer.features {
            if f.values.len() != layer.fields.len() {
                return Err(WriteError(format!(
                    "图层“{}”的要素“{}”有 {} 个属性值，而图层有 {} 个字段",
                    layer.name,
                    f.name,
                    f.values.len(),
                    layer.fields.len()
                )));
            }
            let _ = writeln!(out, "<Placemark>\n<name>{}</name>", esc(&f.name));
            let mut html = String::from("<table border=\"1\">");
            for (field, value) in layer.fields.iter().zip(&f.values) {
                let _ = write!(
                    html,
                    "<tr><th>{}</th><td>{}</td></tr>",
                    esc(&field.name),
                    esc(&value.display().unwrap_or_default())
                );
            }
            html.push_str("</table>");
            let _ = writeln!(out, "<description>{}</description>", esc(&html));
            let _ = writeln!(out, "<styleUrl>#layer{}</styleUrl>", i + 1);
            if !layer.fields.is_empty() {
                let _ = writeln!(
                    out,
                    "<ExtendedData><SchemaData schemaUrl=\"#schema{}\">",
                    i + 1
                );
                for (field, value) in layer.fields.iter().zip(&f.values) {
                    if let Some(v) = value.display() {
                        let _ = writeln!(
                            out,
                            "<SimpleData name=\"{}\">{}</SimpleData>",
                            esc(&field.name),
                            esc(&v)
                        );
                    }
                }
                out.push_str("</SchemaData></ExtendedData>\n");
            }
            let polys: Vec<String> = f
                .lonlat
                .iter()
                .map(|p| polygon_kml(p, &layer.name, &f.name))
                .collect::<Result<_, _>>()?;
            match polys.len() {
                0 => {}
                1 => out.push_str(&polys[0]),
                _ => {
                    out.push_str("<MultiGeometry>\n");
                    for p in &polys {
                        out.push_str(p);
                    }
                    out.push_str("</MultiGeometry>\n");
                }
            }
            out.push_str("</Placemark>\n");
        }
        out.push_str("</Folder>\n");
    }
    out.push_str("</Document>\n</kml>\n");
    Ok(out.into_bytes())
}

fn polygon_kml(poly: &[Vec<[f64; 2]>], layer: &str, feature: &str) -> Result<String, WriteError> {
    let mut s = String::from("<Polygon>\n");
    for (k, ring) in poly.iter().enumerate() {
        if let Some(bad) = ring
            .iter()
            .find(|q| !(q[0].is_finite() && q[1].is_finite()))
        {
            return Err(WriteError(format!(
                "图层“{layer}”的要素“{feature}”有不是有限数的坐标 ({}, {})",
                bad[0], bad[1]
            )));
        }
        let tag = if k == 0 {
            "outerBoundaryIs"
        } else {
            "innerBoundaryIs"
        };
        let _ = write!(s, "<{tag}><LinearRing><coordinates>");
        let mut pts: Vec<[f64; 2]> = ring.clone();
        if pts.len() > 1 && pts.first() != pts.last() {
            pts.push(pts[0]);
        }
        for (j, q) in pts.iter().enumerate() {
            if j > 0 {
                s.push(' ');
            }
            let _ = write!(s, "{},{}", exact_number(q[0], 8), exact_number(q[1], 8));
        }
        let _ = writeln!(s, "</coordinates></LinearRing></{tag}>");
    }
    s.push_str("</Polygon>\n");
    Ok(s)
}
