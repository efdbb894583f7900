//! DXF drawings: closed polylines read into a [`SourceLayer`], layers written as a DXF R2000
//! (AC1015) file.
//!
//! Coordinates are Gauss–Krüger metres as CAD draws them: DXF x = easting (with the zone
//! prefix when the drawing has it), y = northing. Text is GBK (`$DWGCODEPAGE` ANSI_936) in
//! files before R2007 and UTF-8 from R2007 on; `\U+XXXX` escapes are decoded on reading and
//! written for characters GBK cannot hold.
//!
//! The writer is hand-written (no DXF crate): it needs GBK text, full-precision coordinates
//! and exactly the R2000 tables, handles and owner handles that AutoCAD and GDAL expect.

use crate::export::ExportLayer;
use crate::kml::exact_number;
use crate::{ReadError, WriteError};
use minplan_domain::layer::{SourceFeature, SourceGeometry, SourceLayer, group_rings};
use minplan_geo::{Crs, GaussKrugerZone};
use serde_json::{Map, Value};

/// The sentinel that starts a binary DXF.
const BINARY_SENTINEL: &[u8] = b"AutoCAD Binary DXF";

/// One group: code, value, 1-based line of the code.
struct Pair {
    code: i32,
    value: String,
    line: usize,
}

/// A polyline as read.
struct Poly {
    layer: String,
    /// Group 5, when given.
    handle: Option<String>,
    line: usize,
    closed: bool,
    pts: Vec<(f64, f64)>,
    /// 1-based vertex with a non-zero bulge, if any.
    bulge_at: Option<usize>,
}

impl Poly {
    /// An empty polyline starting at 1-based `line`, on layer `0` until group 8 says otherwise.
    fn at(line: usize) -> Poly {
        Poly {
            layer: "0".into(),
            handle: None,
            line,
            closed: false,
            pts: Vec::new(),
            bulge_at: None,
        }
    }
}

/// A `HATCH` as read: its boundary paths as closed rings.
struct Hatch {
    layer: String,
    line: usize,
    rings: Vec<Vec<(f64, f64)>>,
    /// Why the boundary cannot be used (an arc, elliptic arc or spline edge, a bulge, missing
    /// groups).
    error: Option<String>,
    /// Handles of the boundary objects the hatch was made from (groups 97/330).
    sources: Vec<String>,
}

/// What the ENTITIES section holds.
struct Entities {
    polys: Vec<Poly>,
    hatches: Vec<Hatch>,
}

/// How text values are decoded.
#[derive(Clone, Copy, PartialEq, Eq)]
enum TextCoding {
    Utf8,
    Legacy(&'static encoding_rs::Encoding),
}

/// Splits the bytes into lines (LF or CRLF), without the line ends.
fn raw_lines(bytes: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = bytes
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect();
    if lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// Decodes `\U+XXXX` escapes (DXF's way to write characters outside the code page).
fn unescape_unicode(s: &str) -> String {
    if !s.contains("\\U+") && !s.contains("\\u+") {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("\\U+").or_else(|| rest.find("\\u+")) {
        out.push_str(&rest[..i]);
        let hex = rest.get(i + 3..i + 7).unwrap_or("");
        match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
            Some(c) if hex.len() == 4 => {
                out.push(c);
                rest = &rest[i + 7..];
            }
            _ => {
                out.push_str(&rest[i..i + 3]);
                rest = &rest[i + 3..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The encoding of a `$DWGCODEPAGE` value, when it names one other than UTF-8.
fn codepage_encoding(cp: &str) -> Option<&'static encoding_rs::Encoding> {
    let n = cp.trim().to_ascii_uppercase();
    let num = n.trim_start_matches("ANSI_").trim_start_matches("DOS");
    let label = match num {
        "936" => "gbk",
        "950" => "big5",
        "932" => "shift_jis",
        "949" => "euc-kr",
        "1250" | "1251" | "1252" | "1253" | "1254" | "1255" | "1256" | "1257" | "1258" => {
            return encoding_rs::Encoding::for_label(format!("windows-{num}").as_bytes());
        }
        _ => return None,
    };
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// Reads the closed polylines and the hatches of an ASCII DXF (R12 to R2018) as polygons.
///
/// * Entities of the ENTITIES section (not BLOCKS): closed `LWPOLYLINE` (group 70 bit 1),
///   closed `POLYLINE` … `VERTEX` … `SEQEND`, and `HATCH` (how GDAL's `ogr2ogr -f DXF`
///   writes polygons). A polyline whose last vertex repeats its first is closed too. Open
///   polylines are skipped and counted in a note; other entities are ignored. z is ignored.
/// * Rings are closed (the first point repeated at the end, as Shapefile rings are), whether
///   the drawing repeats the first vertex or sets the closed flag.
/// * Coordinates `(x, y)` = `(easting, northing)` metres as drawn.
/// * Polylines are grouped into polygons per layer by containment ([`group_rings`]: a ring
///   inside another on the same layer is its hole); each polygon is a feature.
/// * Each `HATCH` is one feature (as GDAL reads it), its boundary paths grouped by
///   containment into a polygon with holes, or several polygons. Polyline paths (92 bit 2)
///   and edge paths of straight edges (72 = 1) are read; the elevation point, extrusion and
///   seed points are not vertices. A hatch whose boundary objects (97/330) are all closed
///   polylines read on its layer repeats them and is not read again (a note says so).
/// * Features are named after their layer, id `图层#n` (n = 1-based within the layer, in
///   file order), `line` the 1-based line of the entity (a polygon's exterior ring's),
///   `properties["layer"]` the layer name; layers in order of first appearance.
/// * A vertex with a bulge (group 42 ≠ 0, an arc), or a hatch edge that is a circular or
///   elliptic arc or a spline, makes that feature's geometry an `Err` naming the layer:
///   corners are joined by straight lines.
/// * CRS: when every easting is ≥ 10 000 000 m the zone prefix gives the zone (3° zones
///   25–45, 6° zones 13–23, with prefix) and a note says so; otherwise `None`: the caller
///   must name the zone (never guessed).
/// * Text: UTF-8 from R2007 (AC1021) on; before, the `$DWGCODEPAGE` (ANSI_936 = GBK), or
///   UTF-8 when none is given, or when a single-byte code page is declared but the text is
///   valid UTF-8 with non-ASCII characters (GDAL writes UTF-8 and declares ANSI_1252); a
///   note says which.
///
/// # Errors
/// A Chinese [`ReadError`] naming the file for an empty file (0 bytes or only white space),
/// a binary DXF (save as ASCII DXF), a group-code line that is not an integer (with its
/// 1-based line), or a drawing without any closed polyline or hatch.
pub fn read_dxf(file_name: &str, bytes: &[u8]) -> Result<SourceLayer, ReadError> {
    if bytes.starts_with(BINARY_SENTINEL) {
        return Err(ReadError::at(
            file_name,
            "这是二进制 DXF，无法读取：请在 CAD 软件中另存为 ASCII（文本）格式的 DXF 后再上传",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::at(
            file_name,
            "文件是空的（0 字节或只有空白），不是 DXF 图形：请重新导出或上传正确的文件",
        ));
    }
    let lines = raw_lines(bytes);
    // Group codes first (ASCII), values kept as bytes until the coding is known.
    let mut raw: Vec<(i32, &[u8], usize)> = Vec::with_capacity(lines.len() / 2);
    let mut i = 0;
    while i + 1 < lines.len() {
        let code_text = String::from_utf8_lossy(lines[i]);
        let code = code_text.trim().parse::<i32>().map_err(|_| {
            ReadError::at(
                file_name,
                format!(
                    "第 {} 行：组码“{}”不是整数（DXF 应为组码行与值行交替）",
                    i + 1,
                    code_text.trim()
                ),
            )
        })?;
        raw.push((code, lines[i + 1], i + 1));
        i += 2;
    }
    if i < lines.len() && !lines[i].iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::at(
            file_name,
            format!("第 {} 行：组码后缺少值行（文件不完整）", i + 1),
        ));
    }
    // Header variables that decide the text coding.
    let header_value = |name: &str| -> Option<String> {
        raw.windows(2)
            .find(|w| w[0].0 == 9 && String::from_utf8_lossy(w[0].1).trim() == name)
            .map(|w| String::from_utf8_lossy(w[1].1).trim().to_owned())
    };
    let version = header_value("$ACADVER");
    let codepage = header_value("$DWGCODEPAGE");
    let utf8_version = version
        .as_deref()
        .and_then(|v| v.strip_prefix("AC"))
        .and_then(|n| n.parse::<u32>().ok())
        .is_some_and(|n| n >= 1021);
    let (coding, note) = if utf8_version {
        (
            TextCoding::Utf8,
            format!(
                "DXF 版本 {}（R2007 及以后）：文字按 UTF-8 解码",
                version.as_deref().unwrap_or("")
            ),
        )
    } else {
        match codepage.as_deref().and_then(codepage_encoding) {
            // GDAL writes UTF-8 text but declares ANSI_1252: valid UTF-8 with non-ASCII
            // characters is not Western single-byte text.
            Some(enc)
                if enc.is_single_byte()
                    && raw.iter().any(|(_, v, _)| !v.is_ascii())
                    && raw.iter().all(|(_, v, _)| std::str::from_utf8(v).is_ok()) =>
            {
                (
                    TextCoding::Utf8,
                    format!(
                        "文字按 UTF-8 解码：文件声明 $DWGCODEPAGE = {}，但文字是有效的 UTF-8（GDAL 写出的 DXF 即如此）",
                        codepage.as_deref().unwrap_or("")
                    ),
                )
            }
            Some(enc) => (
                TextCoding::Legacy(enc),
                format!(
                    "文字按 {} 解码（$DWGCODEPAGE = {}）",
                    if enc == encoding_rs::GBK {
                        "GBK"
                    } else {
                        enc.name()
                    },
                    codepage.as_deref().unwrap_or("")
                ),
            ),
            None => (
                TextCoding::Utf8,
                format!(
                    "文字按 UTF-8 解码（$DWGCODEPAGE 为“{}”，未指明中文代码页）",
                    codepage.as_deref().unwrap_or("无")
                ),
            ),
        }
    };
    let decode = |b: &[u8]| -> String {
        let s = match coding {
            TextCoding::Utf8 => String::from_utf8_lossy(b).into_owned(),
            TextCoding::Legacy(enc) => enc.decode_without_bom_handling(b).0.into_owned(),
        };
        unescape_unicode(s.trim())
    };
    let pairs: Vec<Pair> = raw
        .iter()
        .map(|&(code, v, line)| Pair {
            code,
            value: decode(v),
            line,
        })
        .collect();

    let Entities { polys, hatches } = read_entities(file_name, &pairs)?;
    let open = polys.iter().filter(|p| !p.closed).count();
    let closed: Vec<Poly> = polys.into_iter().filter(|p| p.closed).collect();
    if closed.is_empty() && hatches.is_empty() {
        return Err(ReadError::at(
            file_name,
            if open > 0 {
                format!(
                    "DXF 中没有闭合的多段线或填充（有 {open} 条未闭合的多段线）：拐点范围须画成闭合的多段线（LWPOLYLINE/POLYLINE，闭合标志 70=1）或填充（HATCH）"
                )
            } else {
                "DXF 中没有闭合的多段线或填充：拐点范围须画成闭合的多段线（LWPOLYLINE/POLYLINE，闭合标志 70=1）或填充（HATCH）"
                    .to_owned()
            },
        ));
    }
    let mut notes = vec![note];
    if open > 0 {
        notes.push(format!("有 {open} 条未闭合的多段线未读取"));
    }
    // A hatch drawn from closed polylines of its layer repeats them: read the polylines only.
    let (hatches, repeated): (Vec<Hatch>, Vec<Hatch>) = hatches.into_iter().partition(|h| {
        h.sources.is_empty()
            || !h.sources.iter().all(|s| {
                closed
                    .iter()
                    .any(|p| p.layer == h.layer && p.handle.as_deref() == Some(s.as_str()))
            })
    });
    if !repeated.is_empty() {
        notes.push(format!(
            "有 {} 个填充（HATCH）的边界就是同一图层上的闭合多段线：按多段线读取，填充不重复读取",
            repeated.len()
        ));
    }
    if !hatches.is_empty() {
        notes.push(format!(
            "读取了 {} 个填充（HATCH）：每个填充是一个要素，其边界按包含关系分为外环和洞",
            hatches.len()
        ));
    }
    let xs: Vec<f64> = closed
        .iter()
        .flat_map(|p| p.pts.iter())
        .chain(hatches.iter().flat_map(|h| h.rings.iter().flatten()))
        .map(|q| q.0)
        .collect();
    let crs = zone_of(&xs, &mut notes);

    // Layers in order of first appearance; polylines grouped per layer, each hatch one
    // feature; features of a layer in file order.
    let mut firsts: Vec<(usize, &str)> = closed
        .iter()
        .map(|p| (p.line, p.layer.as_str()))
        .chain(hatches.iter().map(|h| (h.line, h.layer.as_str())))
        .collect();
    firsts.sort_by_key(|&(line, _)| line);
    let mut layers: Vec<&str> = Vec::new();
    for (_, l) in firsts {
        if !layers.contains(&l) {
            layers.push(l);
        }
    }
    let mut features = Vec::new();
    for layer in layers {
        let mut items: Vec<(usize, Result<SourceGeometry, String>)> = Vec::new();
        let members: Vec<&Poly> = closed.iter().filter(|p| p.layer == layer).collect();
        let rings: Vec<Vec<(f64, f64)>> = members.iter().map(|p| p.pts.clone()).collect();
        for poly in group_rings(rings) {
            // The polylines this polygon's rings came from.
            let source: Vec<&&Poly> = poly
                .iter()
                .filter_map(|r| members.iter().find(|p| &p.pts == r))
                .collect();
            let line = source.first().map_or(0, |p| p.line);
            let geometry = match source.iter().find_map(|p| p.bulge_at.map(|k| (p.line, k))) {
                Some((l, k)) => Err(format!(
                    "图层“{layer}”第 {l} 行的多段线第 {k} 个顶点有凸度（圆弧段）：拐点之间只能是直线，请在 CAD 中把圆弧改为折线"
                )),
                None => Ok(SourceGeometry::Polygons(vec![poly])),
            };
            items.push((line, geometry));
        }
        for h in hatches.iter().filter(|h| h.layer == layer) {
            let geometry = match &h.error {
                Some(m) => Err(m.clone()),
                None if h.rings.is_empty() => Err(format!(
                    "图层“{layer}”第 {} 行的填充（HATCH）没有边界",
                    h.line
                )),
                None => Ok(SourceGeometry::Polygons(group_rings(h.rings.clone()))),
            };
            items.push((h.line, geometry));
        }
        items.sort_by_key(|(line, _)| *line);
        for (n, (line, geometry)) in items.into_iter().enumerate() {
            let mut properties = Map::new();
            properties.insert("layer".into(), Value::String(layer.to_owned()));
            features.push(SourceFeature {
                id: format!("{layer}#{}", n + 1),
                name: Some(layer.to_owned()),
                line: Some(line),
                geometry,
                properties,
            });
        }
    }
    Ok(SourceLayer {
        crs,
        features,
        notes,
    })
}

/// The zone from the eastings' prefix, when every easting has one and they agree.
fn zone_of(xs: &[f64], notes: &mut Vec<String>) -> Option<Crs> {
    let prefixed = xs.iter().filter(|&&x| x >= 1.0e7).count();
    if prefixed == 0 {
        notes.push(
            "东坐标（DXF x）不含带号：DXF 不声明坐标系，请指定高斯–克吕格带号（不会猜测）"
                .to_owned(),
        );
        return None;
    }
    if prefixed < xs.len() {
        notes.push(format!(
            "{} 个顶点的东坐标含带号、{} 个不含：无法确定带号，请指定坐标系",
            prefixed,
            xs.len() - prefixed
        ));
        return None;
    }
    let zones: Vec<u32> = xs.iter().map(|x| (x / 1.0e6).floor() as u32).collect();
    let z = zones[0];
    if zones.iter().any(|&q| q != z) {
        notes.push("东坐标的带号不一致：无法确定带号，请指定坐标系".to_owned());
        return None;
    }
    let zone =
        GaussKrugerZone::three_degree(z, true).or_else(|_| GaussKrugerZone::six_degree(z, true));
    match zone {
        Ok(zone) => {
            notes.push(format!("东坐标（DXF x）含带号 {z}，按 {zone} 读取"));
            Some(Crs::GaussKruger(zone))
        }
        Err(e) => {
            notes.push(format!("东坐标的带号 {z} 无法使用：{e}；请指定坐标系"));
            None
        }
    }
}

/// Polylines of the ENTITIES section.
fn read_entities(file: &str, pairs: &[Pair]) -> Result<Entities, ReadError> {
    let mut out = Vec::new();
    let mut hatches = Vec::new();
    let mut in_entities = false;
    let mut i = 0;
    let num = |p: &Pair| -> Result<f64, ReadError> {
        p.value
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                ReadError::at(
                    file,
                    format!(
                        "第 {} 行：组码 {} 的值“{}”不是数字",
                        p.line + 1,
                        p.code,
                        p.value
                    ),
                )
            })
    };
    while i < pairs.len() {
        let p = &pairs[i];
        if p.code != 0 {
            i += 1;
            continue;
        }
        // The entity's groups: up to the next code 0.
        let end = pairs[i + 1..]
            .iter()
            .position(|q| q.code == 0)
            .map_or(pairs.len(), |k| i + 1 + k);
        let body = &pairs[i + 1..end];
        match p.value.as_str() {
            "SECTION" => {
                in_entities = body.iter().any(|q| q.code == 2 && q.value == "ENTITIES");
            }
            "ENDSEC" => in_entities = false,
            "LWPOLYLINE" if in_entities => {
                let mut poly = Poly::at(p.line);
                let mut bulges: Vec<f64> = Vec::new();
                for q in body {
                    match q.code {
                        5 => poly.handle = Some(q.value.clone()),
                        8 => poly.layer = q.value.clone(),
                        70 => poly.closed = flags(q) & 1 == 1,
                        10 => {
                            poly.pts.push((num(q)?, f64::NAN));
                            bulges.push(0.0);
                        }
                        20 => {
                            if let Some(last) = poly.pts.last_mut() {
                                last.1 = num(q)?;
                            }
                        }
                        42 => {
                            if let Some(b) = bulges.last_mut() {
                                *b = num(q)?;
                            }
                        }
                        _ => {}
                    }
                }
                poly.bulge_at = bulge_vertex(&bulges, poly.closed);
                out.push(finish_poly(poly));
            }
            "POLYLINE" if in_entities => {
                let mut poly = Poly::at(p.line);
                let mut mesh = false;
                for q in body {
                    match q.code {
                        5 => poly.handle = Some(q.value.clone()),
                        8 => poly.layer = q.value.clone(),
                        70 => {
                            let f = flags(q);
                            poly.closed = f & 1 == 1;
                            mesh = f & (16 | 64) != 0;
                        }
                        _ => {}
                    }
                }
                // VERTEX entities up to SEQEND.
                let mut j = end;
                let mut bulges: Vec<f64> = Vec::new();
                while j < pairs.len() && pairs[j].code == 0 && pairs[j].value == "VERTEX" {
                    let vend = pairs[j + 1..]
                        .iter()
                        .position(|q| q.code == 0)
                        .map_or(pairs.len(), |k| j + 1 + k);
                    let (mut x, mut y, mut b) = (f64::NAN, f64::NAN, 0.0);
                    for q in &pairs[j + 1..vend] {
                        match q.code {
                            10 => x = num(q)?,
                            20 => y = num(q)?,
                            42 => b = num(q)?,
                            _ => {}
                        }
                    }
                    poly.pts.push((x, y));
                    bulges.push(b);
                    j = vend;
                }
                if j < pairs.len() && pairs[j].code == 0 && pairs[j].value == "SEQEND" {
                    j = pairs[j + 1..]
                        .iter()
                        .position(|q| q.code == 0)
                        .map_or(pairs.len(), |k| j + 1 + k);
                }
                poly.bulge_at = bulge_vertex(&bulges, poly.closed);
                if !mesh {
                    out.push(finish_poly(poly));
                }
                i = j;
                continue;
            }
            "HATCH" if in_entities => hatches.push(read_hatch(p.line, body, &num)?),
            _ => {}
        }
        i = end;
    }
    Ok(Entities {
        polys: out,
        hatches,
    })
}

/// A `HATCH`'s boundary paths (group 91 paths, each from group 92): polyline paths
/// (92 bit 2: 72 has-bulge, 73 closed, 93 vertices of 10/20 [42]) and edge paths
/// (93 edges, each 72 type: 1 line 10/20 → 11/21; 2 arc, 3 elliptic arc, 4 spline), each
/// followed by 97 source-object handles (330). The entity's elevation point (10/20/30) and
/// extrusion (210/220/230) come before the paths, the seed points (98, 10/20) after: only
/// the groups of the paths are read as vertices.
fn read_hatch(
    line: usize,
    body: &[Pair],
    num: &dyn Fn(&Pair) -> Result<f64, ReadError>,
) -> Result<Hatch, ReadError> {
    let mut h = Hatch {
        layer: "0".into(),
        line,
        rings: Vec::new(),
        error: None,
        sources: Vec::new(),
    };
    let mut k = 0;
    while k < body.len() && body[k].code != 91 {
        if body[k].code == 8 {
            h.layer = body[k].value.clone();
        }
        k += 1;
    }
    let Some(count) = body.get(k) else {
        h.error = Some(format!(
            "图层“{}”第 {line} 行的填充（HATCH）没有边界数（组码 91）",
            h.layer
        ));
        return Ok(h);
    };
    let paths = flags(count).max(0);
    k += 1;
    // The next group `code` of the current path: not past the next path's 92, nor, for the
    // path's own groups, past its source objects (97) and so into the seed points.
    let find = |from: usize, code: i32| -> Option<usize> {
        body.get(from..)?
            .iter()
            .take_while(|q| q.code != 92 && (code == 97 || q.code != 97))
            .position(|q| q.code == code)
            .map(|i| from + i)
    };
    let layer = h.layer.clone();
    let incomplete = |path: i64, what: &str| {
        format!("图层“{layer}”第 {line} 行的填充（HATCH）第 {path} 条边界数据不完整（缺少{what}）")
    };
    for path in 1..=paths {
        let Some(j) = body
            .get(k..)
            .and_then(|b| b.iter().position(|q| q.code == 92))
        else {
            h.error = Some(incomplete(path, "边界类型组码 92"));
            break;
        };
        let kind = flags(&body[k + j]);
        k += j + 1;
        let mut ring: Vec<(f64, f64)> = Vec::new();
        if kind & 2 != 0 {
            // Polyline path.
            let has_bulge = find(k, 72).is_some_and(|j| flags(&body[j]) != 0);
            let Some(j) = find(k, 93) else {
                h.error = Some(incomplete(path, "顶点数组码 93"));
                break;
            };
            let n = flags(&body[j]).max(0);
            k = j + 1;
            for v in 1..=n {
                let (Some(jx), Some(jy)) = (find(k, 10), find(k, 20)) else {
                    h.error = Some(incomplete(path, &format!("第 {v} 个顶点")));
                    break;
                };
                ring.push((num(&body[jx])?, num(&body[jy])?));
                k = jx.max(jy) + 1;
                if has_bulge && body.get(k).is_some_and(|q| q.code == 42) {
                    if num(&body[k])? != 0.0 && h.error.is_none() {
                        h.error = Some(format!(
                            "图层“{layer}”第 {line} 行的填充（HATCH）第 {path} 条边界第 {v} 个顶点有凸度（圆弧段）：拐点之间只能是直线，请在 CAD 中把圆弧改为折线"
                        ));
                    }
                    k += 1;
                }
            }
        } else {
            // Edge path: only straight edges can be used.
            let Some(j) = find(k, 93) else {
                h.error = Some(incomplete(path, "边数组码 93"));
                break;
            };
            let n = flags(&body[j]).max(0);
            k = j + 1;
            for e in 1..=n {
                let Some(jt) = find(k, 72) else {
                    h.error = Some(incomplete(path, &format!("第 {e} 条边")));
                    break;
                };
                let what = match flags(&body[jt]) {
                    1 => None,
                    2 => Some("圆弧".to_owned()),
                    3 => Some("椭圆弧".to_owned()),
                    4 => Some("样条曲线".to_owned()),
                    t => Some(format!("未知类型（{t}）的边")),
                };
                if let Some(what) = what {
                    h.error = Some(format!(
                        "图层“{layer}”第 {line} 行的填充（HATCH）第 {path} 条边界第 {e} 条边是{what}：拐点之间只能是直线，请在 CAD 中把圆弧改为折线"
                    ));
                    break;
                }
                k = jt + 1;
                let (Some(jx), Some(jy)) = (find(k, 10), find(k, 20)) else {
                    h.error = Some(incomplete(path, &format!("第 {e} 条边的起点")));
                    break;
                };
                ring.push((num(&body[jx])?, num(&body[jy])?));
                // The end point (11/21) is the next edge's start.
                let last = [find(k, 11), find(k, 21), Some(jx), Some(jy)];
                k = last.into_iter().flatten().max().map_or(k, |m| m + 1);
            }
        }
        if h.error.is_some() {
            break;
        }
        // A hatch boundary is always closed.
        if ring.len() > 1 && ring.first() != ring.last() {
            ring.push(ring[0]);
        }
        h.rings.push(ring);
        // Source boundary objects: 97 count, then that many 330 handles.
        if let Some(j) = find(k, 97) {
            let n = usize::try_from(flags(&body[j])).unwrap_or(0);
            k = j + 1;
            for q in body[k..].iter().take(n).take_while(|q| q.code == 330) {
                h.sources.push(q.value.clone());
                k += 1;
            }
        }
    }
    Ok(h)
}

fn flags(p: &Pair) -> i64 {
    p.value.trim().parse::<i64>().unwrap_or(0)
}

/// The 1-based vertex whose bulge makes an arc (the last vertex's bulge counts only when the
/// polyline is closed).
fn bulge_vertex(bulges: &[f64], closed: bool) -> Option<usize> {
    let n = if closed {
        bulges.len()
    } else {
        bulges.len().saturating_sub(1)
    };
    bulges[..n].iter().position(|&b| b != 0.0).map(|k| k + 1)
}

/// A polyline whose last vertex repeats its first is closed; a closed polyline's ring ends
/// with its first vertex (as Shapefile rings do, so that the ring checks see it closed).
fn finish_poly(mut p: Poly) -> Poly {
    if p.pts.len() >= 4 && p.pts.first() == p.pts.last() {
        p.closed = true;
    } else if p.closed && !p.pts.is_empty() {
        p.pts.push(p.pts[0]);
    }
    p
}

// ---------------------------------------------------------------------------------------
// Writing

/// Writes groups and hands out handles.
struct Dxf {
    out: Vec<u8>,
    next: u64,
}

impl Dxf {
    fn handle(&mut self) -> String {
        let h = format!("{:X}", self.next);
        self.next += 1;
        h
    }
    fn pair(&mut self, code: i32, value: &str) {
        self.out
            .extend_from_slice(format!("{code:>3}\r\n").as_bytes());
        self.out.extend_from_slice(&gbk(value));
        self.out.extend_from_slice(b"\r\n");
    }
    fn num(&mut self, code: i32, v: f64) {
        self.pair(code, &exact_number(v, 3));
    }
    fn pairs(&mut self, items: &[(i32, &str)]) {
        for (c, v) in items {
            self.pair(*c, v);
        }
    }
}

/// Text as GBK bytes; characters GBK cannot hold as `\U+XXXX`; line ends as spaces.
fn gbk(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut buf = [0u8; 4];
    for c in s.chars() {
        let c = if matches!(c, '\r' | '\n') { ' ' } else { c };
        if c.is_ascii() {
            out.push(c as u8);
            continue;
        }
        let (bytes, _, bad) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
        if bad || c == '€' {
            let esc = if (c as u32) <= 0xFFFF {
                format!("\\U+{:04X}", c as u32)
            } else {
                "?".to_owned()
            };
            out.extend_from_slice(esc.as_bytes());
        } else {
            out.extend_from_slice(&bytes);
        }
    }
    out
}

/// A layer name AutoCAD accepts: `<>/\":;?*|=,` and backquote replaced by `_`.
fn layer_name(s: &str) -> String {
    let n: String = s
        .chars()
        .map(|c| {
            if "<>/\\\":;?*|=,`".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let n = n.trim().to_owned();
    if n.is_empty() { "图层".to_owned() } else { n }
}

/// Writes layers as an ASCII DXF R2000 (AC1015), text in GBK (`$DWGCODEPAGE` ANSI_936),
/// units metres (`$INSUNITS` 6).
///
/// Each exported layer becomes a DXF layer of its name (characters AutoCAD forbids replaced
/// by `_`) and a label layer `<name>_注记`. Each ring of each feature is a closed
/// `LWPOLYLINE` in [`ExportFeature::plane_in`](crate::export::ExportFeature::plane_in) of the
/// layer's zone: x = easting (with the zone prefix when entered or the zone is prefixed),
/// y = northing, written exactly (shortest repr that reads back as the same `f64`, at least
/// 3 decimals). On the label layer: a `TEXT` at each corner with its label
/// ([`ExportFeature::labels`](crate::export::ExportFeature::labels) when given, else 1…n per
/// ring) and one `TEXT` with the feature's name just below its first corner (1.5 text
/// heights, so that it does not cover the corner's label); text height 1/80 of the drawing's
/// extent, 0.5–50 m. Text style `Standard` uses `gbenor.shx` with the big font
/// `gbcbig.shx` (shipped with AutoCAD) so that Chinese labels display.
///
/// The file has what an R2000 file needs (ezdxf's "minimal DXF content"): HEADER
/// (`$ACADVER`, `$DWGCODEPAGE`, `$EXTMIN`/`$EXTMAX`, `$INSUNITS`, `$HANDSEED`), CLASSES
/// (empty), TABLES (VPORT `*Active`, LTYPE ByBlock/ByLayer/CONTINUOUS, LAYER, STYLE, VIEW,
/// UCS, APPID ACAD, DIMSTYLE Standard, BLOCK_RECORD `*Model_Space`/`*Paper_Space`), BLOCKS
/// (`*Model_Space`, `*Paper_Space`), ENTITIES and OBJECTS (the root dictionary with
/// `ACAD_GROUP`), with unique handles (group 5; 105 for DIMSTYLE) and owner handles (330).
///
/// # Errors
/// A Chinese [`WriteError`] when a coordinate is not finite.
pub fn write_dxf(layers: &[ExportLayer]) -> Result<Vec<u8>, WriteError> {
    struct Ring {
        layer: usize,
        pts: Vec<(f64, f64)>,
        labels: Vec<String>,
        name: Option<String>,
    }
    let names: Vec<String> = {
        let mut v: Vec<String> = Vec::new();
        for l in layers {
            let mut n = layer_name(&l.name);
            let base = n.clone();
            let mut k = 2;
            while v.contains(&n) || n == "0" {
                n = format!("{base}_{k}");
                k += 1;
            }
            v.push(n);
        }
        v
    };
    let mut rings: Vec<Ring> = Vec::new();
    for (li, l) in layers.iter().enumerate() {
        for f in &l.features {
            let plane = f.plane_in(l.zone);
            for (pi, poly) in plane.iter().enumerate() {
                for (ri, ring) in poly.iter().enumerate() {
                    let pts = crate::export::open_ring(&l.name, &f.name, ring)?;
                    let given = f
                        .labels
                        .as_ref()
                        .and_then(|ls| ls.get(pi))
                        .and_then(|p| p.get(ri))
                        .filter(|ls| ls.len() >= pts.len());
                    let labels = match given {
                        Some(ls) => ls[..pts.len()].to_vec(),
                        None => (1..=pts.len()).map(|k| k.to_string()).collect(),
                    };
                    rings.push(Ring {
                        layer: li,
                        pts,
                        labels,
                        name: (pi == 0 && ri == 0).then(|| f.name.clone()),
                    });
                }
            }
        }
    }
    // Extents and a text height in proportion to them.
    let all = rings.iter().flat_map(|r| r.pts.iter());
    let (mut minx, mut miny, mut maxx, mut maxy) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in all {
        minx = minx.min(x);
        miny = miny.min(y);
        maxx = maxx.max(x);
        maxy = maxy.max(y);
    }
    if minx > maxx {
        (minx, miny, maxx, maxy) = (0.0, 0.0, 0.0, 0.0);
    }
    let height = ((maxx - minx).max(maxy - miny) / 80.0).clamp(0.5, 50.0);

    let mut d = Dxf {
        out: Vec::new(),
        next: 0x20,
    };
    // Fixed handles of the tables and objects.
    let h_vport_t = d.handle();
    let h_ltype_t = d.handle();
    let h_layer_t = d.handle();
    let h_style_t = d.handle();
    let h_view_t = d.handle();
    let h_ucs_t = d.handle();
    let h_appid_t = d.handle();
    let h_dimstyle_t = d.handle();
    let h_br_t = d.handle();
    let h_ms_br = d.handle();
    let h_ps_br = d.handle();
    let h_root = d.handle();
    let h_group = d.handle();

    let mut body = Dxf {
        out: Vec::new(),
        next: d.next,
    };
    // CLASSES (none needed).
    body.pairs(&[(0, "SECTION"), (2, "CLASSES"), (0, "ENDSEC")]);
    // TABLES.
    body.pairs(&[(0, "SECTION"), (2, "TABLES")]);
    // VPORT
    let h = body.handle();
    let (cx, cy) = ((minx + maxx) / 2.0, (miny + maxy) / 2.0);
    let view_h = ((maxy - miny).max(maxx - minx) * 1.1).max(10.0);
    table_head(&mut body, "VPORT", &h_vport_t, 1);
    body.pairs(&[
        (0, "VPORT"),
        (5, &h),
        (330, &h_vport_t),
        (100, "AcDbSymbolTableRecord"),
        (100, "AcDbViewportTableRecord"),
        (2, "*Active"),
        (70, "0"),
        (10, "0.0"),
        (20, "0.0"),
        (11, "1.0"),
        (21, "1.0"),
    ]);
    body.num(12, cx);
    body.num(22, cy);
    body.pairs(&[
        (13, "0.0"),
        (23, "0.0"),
        (14, "10.0"),
        (24, "10.0"),
        (15, "10.0"),
        (25, "10.0"),
        (16, "0.0"),
        (26, "0.0"),
        (36, "1.0"),
        (17, "0.0"),
        (27, "0.0"),
        (37, "0.0"),
    ]);
    body.num(40, view_h);
    body.pairs(&[
        (41, "1.5"),
        (42, "50.0"),
        (43, "0.0"),
        (44, "0.0"),
        (50, "0.0"),
        (51, "0.0"),
        (71, "0"),
        (72, "100"),
        (73, "1"),
        (74, "3"),
        (75, "0"),
        (76, "0"),
        (77, "0"),
        (78, "0"),
        (0, "ENDTAB"),
    ]);
    // LTYPE
    table_head(&mut body, "LTYPE", &h_ltype_t, 3);
    for (name, desc) in [
        ("ByBlock", ""),
        ("ByLayer", ""),
        ("CONTINUOUS", "Solid line"),
    ] {
        let h = body.handle();
        body.pairs(&[
            (0, "LTYPE"),
            (5, &h),
            (330, &h_ltype_t),
            (100, "AcDbSymbolTableRecord"),
            (100, "AcDbLinetypeTableRecord"),
            (2, name),
            (70, "0"),
            (3, desc),
            (72, "65"),
            (73, "0"),
            (40, "0.0"),
        ]);
    }
    body.pair(0, "ENDTAB");
    // LAYER: 0, then each layer and its label layer.
    let n_layers = 1 + 2 * names.len();
    table_head(&mut body, "LAYER", &h_layer_t, n_layers);
    let colours = [1, 5, 3, 30, 6, 4, 200, 40];
    let mut layer_rows: Vec<(String, i32)> = vec![("0".to_owned(), 7)];
    for (i, n) in names.iter().enumerate() {
        let c = colours[i % colours.len()];
        layer_rows.push((n.clone(), c));
        layer_rows.push((format!("{n}_注记"), c));
    }
    for (n, c) in &layer_rows {
        let h = body.handle();
        body.pairs(&[
            (0, "LAYER"),
            (5, &h),
            (330, &h_layer_t),
            (100, "AcDbSymbolTableRecord"),
            (100, "AcDbLayerTableRecord"),
            (2, n),
            (70, "0"),
            (62, &c.to_string()),
            (6, "CONTINUOUS"),
            (370, "-3"),
        ]);
    }
    body.pair(0, "ENDTAB");
    // STYLE: Standard with the Chinese big font that ships with AutoCAD.
    table_head(&mut body, "STYLE", &h_style_t, 1);
    let h = body.handle();
    body.pairs(&[
        (0, "STYLE"),
        (5, &h),
        (330, &h_style_t),
        (100, "AcDbSymbolTableRecord"),
        (100, "AcDbTextStyleTableRecord"),
        (2, "Standard"),
        (70, "0"),
        (40, "0.0"),
        (41, "1.0"),
        (50, "0.0"),
        (71, "0"),
        (42, "2.5"),
        (3, "gbenor.shx"),
        (4, "gbcbig.shx"),
        (0, "ENDTAB"),
    ]);
    // VIEW, UCS: empty.
    table_head(&mut body, "VIEW", &h_view_t, 0);
    body.pair(0, "ENDTAB");
    table_head(&mut body, "UCS", &h_ucs_t, 0);
    body.pair(0, "ENDTAB");
    // APPID
    table_head(&mut body, "APPID", &h_appid_t, 1);
    let h = body.handle();
    body.pairs(&[
        (0, "APPID"),
        (5, &h),
        (330, &h_appid_t),
        (100, "AcDbSymbolTableRecord"),
        (100, "AcDbRegAppTableRecord"),
        (2, "ACAD"),
        (70, "0"),
        (0, "ENDTAB"),
    ]);
    // DIMSTYLE
    body.pairs(&[
        (0, "TABLE"),
        (2, "DIMSTYLE"),
        (5, &h_dimstyle_t),
        (330, "0"),
        (100, "AcDbSymbolTable"),
        (70, "1"),
        (100, "AcDbDimStyleTable"),
        (71, "0"),
    ]);
    let h = body.handle();
    body.pairs(&[
        (0, "DIMSTYLE"),
        (105, &h),
        (330, &h_dimstyle_t),
        (100, "AcDbSymbolTableRecord"),
        (100, "AcDbDimStyleTableRecord"),
        (2, "Standard"),
        (70, "0"),
        (0, "ENDTAB"),
    ]);
    // BLOCK_RECORD
    table_head(&mut body, "BLOCK_RECORD", &h_br_t, 2);
    for (h, name) in [(&h_ms_br, "*Model_Space"), (&h_ps_br, "*Paper_Space")] {
        body.pairs(&[
            (0, "BLOCK_RECORD"),
            (5, h),
            (330, &h_br_t),
            (100, "AcDbSymbolTableRecord"),
            (100, "AcDbBlockTableRecord"),
            (2, name),
        ]);
    }
    body.pairs(&[(0, "ENDTAB"), (0, "ENDSEC")]);
    // BLOCKS
    body.pairs(&[(0, "SECTION"), (2, "BLOCKS")]);
    for (owner, name, paper) in [
        (&h_ms_br, "*Model_Space", false),
        (&h_ps_br, "*Paper_Space", true),
    ] {
        let hb = body.handle();
        body.pairs(&[(0, "BLOCK"), (5, &hb), (330, owner), (100, "AcDbEntity")]);
        if paper {
            body.pair(67, "1");
        }
        body.pairs(&[
            (8, "0"),
            (100, "AcDbBlockBegin"),
            (2, name),
            (70, "0"),
            (10, "0.0"),
            (20, "0.0"),
            (30, "0.0"),
            (3, name),
            (1, ""),
        ]);
        let he = body.handle();
        body.pairs(&[(0, "ENDBLK"), (5, &he), (330, owner), (100, "AcDbEntity")]);
        if paper {
            body.pair(67, "1");
        }
        body.pairs(&[(8, "0"), (100, "AcDbBlockEnd")]);
    }
    body.pair(0, "ENDSEC");
    // ENTITIES
    body.pairs(&[(0, "SECTION"), (2, "ENTITIES")]);
    for r in &rings {
        let layer = &names[r.layer];
        let h = body.handle();
        body.pairs(&[
            (0, "LWPOLYLINE"),
            (5, &h),
            (330, &h_ms_br),
            (100, "AcDbEntity"),
            (8, layer),
            (100, "AcDbPolyline"),
            (90, &r.pts.len().to_string()),
            (70, "1"),
            (43, "0.0"),
        ]);
        for &(x, y) in &r.pts {
            body.num(10, x);
            body.num(20, y);
        }
        let label_layer = format!("{layer}_注记");
        let mut texts: Vec<(f64, f64, &str)> = r
            .pts
            .iter()
            .zip(&r.labels)
            .map(|(&(x, y), l)| (x, y, l.as_str()))
            .collect();
        if let (Some(name), Some(&(x, y))) = (&r.name, r.pts.first()) {
            texts.push((x, y - 1.5 * height, name.as_str()));
        }
        for (x, y, t) in texts {
            let h = body.handle();
            body.pairs(&[
                (0, "TEXT"),
                (5, &h),
                (330, &h_ms_br),
                (100, "AcDbEntity"),
                (8, &label_layer),
                (100, "AcDbText"),
            ]);
            body.num(10, x);
            body.num(20, y);
            body.pair(30, "0.0");
            body.num(40, height);
            body.pairs(&[(1, t), (7, "Standard"), (100, "AcDbText")]);
        }
    }
    body.pair(0, "ENDSEC");
    // OBJECTS: the root dictionary and ACAD_GROUP.
    body.pairs(&[
        (0, "SECTION"),
        (2, "OBJECTS"),
        (0, "DICTIONARY"),
        (5, &h_root),
        (330, "0"),
        (100, "AcDbDictionary"),
        (281, "1"),
        (3, "ACAD_GROUP"),
        (350, &h_group),
        (0, "DICTIONARY"),
        (5, &h_group),
        (330, &h_root),
        (100, "AcDbDictionary"),
        (281, "1"),
        (0, "ENDSEC"),
        (0, "EOF"),
    ]);

    // HEADER last, now that the handle seed is known.
    let seed = format!("{:X}", body.next);
    d.pairs(&[
        (0, "SECTION"),
        (2, "HEADER"),
        (9, "$ACADVER"),
        (1, "AC1015"),
        (9, "$DWGCODEPAGE"),
        (3, "ANSI_936"),
        (9, "$INSBASE"),
        (10, "0.0"),
        (20, "0.0"),
        (30, "0.0"),
        (9, "$EXTMIN"),
    ]);
    d.num(10, minx);
    d.num(20, miny);
    d.pairs(&[(30, "0.0"), (9, "$EXTMAX")]);
    d.num(10, maxx);
    d.num(20, maxy);
    d.pairs(&[
        (30, "0.0"),
        (9, "$INSUNITS"),
        (70, "6"),
        (9, "$MEASUREMENT"),
        (70, "1"),
        (9, "$HANDSEED"),
        (5, &seed),
        (0, "ENDSEC"),
    ]);
    d.out.extend_from_slice(&body.out);
    Ok(d.out)
}

fn table_head(d: &mut Dxf, name: &str, handle: &str, count: usize) {
    d.pairs(&[
        (0, "TABLE"),
        (2, name),
        (5, handle),
        (330, "0"),
        (100, "AcDbSymbolTable"),
        (70, &count.to_string()),
    ]);
}
