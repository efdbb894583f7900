//! GeoJSON FeatureCollections read feature by feature: the file's top-level members are
//! scanned once (the `features` array skipped without building it), then each feature is
//! parsed on its own as the stream is read. A county's farmland (hundreds of thousands of
//! parcels, over 100 MB of text) is never held as one JSON tree: at any time only one
//! feature's tree exists beside the file's bytes.
//!
//! What is read is what [`minplan_domain::layer::read_geojson`] reads: the legacy `crs`
//! member (any position in the object), else the CRS recognised from the first coordinate
//! pair; a feature's id from the id property, else its own `id` (a number is written in
//! decimal), else `#n`; the line where the feature starts.

use crate::{LayerStream, ReadError};
use minplan_domain::layer::{
    SourceFeature, SourceGeometry, crs_from_name, crs_from_numbers, display_name, first_pair,
    geojson_geometry,
};
use minplan_geo::{Crs, GaussKrugerZone};
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::Value;

/// One feature as parsed on its own (the other members, such as `type`, are ignored).
#[derive(Deserialize)]
struct RawFeature {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    properties: Option<Value>,
    #[serde(default)]
    geometry: Option<Value>,
}

/// A position in the file's bytes with its 1-based line, advanced forwards only (the line is
/// counted over the bytes passed, so the whole file is counted once).
#[derive(Clone, Copy)]
struct Cursor {
    pos: usize,
    line: usize,
}

impl Cursor {
    fn advance(&mut self, bytes: &[u8], to: usize) {
        let to = to.min(bytes.len());
        if to > self.pos {
            self.line += bytes[self.pos..to].iter().filter(|&&b| b == b'\n').count();
            self.pos = to;
        }
    }

    fn skip_ws(&mut self, bytes: &[u8]) {
        let mut p = self.pos;
        while p < bytes.len() && matches!(bytes[p], b' ' | b'\t' | b'\r' | b'\n') {
            p += 1;
        }
        self.advance(bytes, p);
    }

    fn peek(&self, bytes: &[u8]) -> Option<u8> {
        bytes.get(self.pos).copied()
    }
}

/// The message of a JSON syntax error met at `at` (the error's line is relative to it).
fn syntax(at: Cursor, e: &serde_json::Error) -> String {
    format!(
        "第 {} 行：GeoJSON 格式错误：{}",
        at.line + e.line().saturating_sub(1),
        minplan_domain::layer::json_problem(e)
    )
}

/// Parses one JSON value starting at `at` (whitespace skipped first) and moves past it.
fn value_at<'de, T: Deserialize<'de>>(bytes: &'de [u8], at: &mut Cursor) -> Result<T, String> {
    at.skip_ws(bytes);
    let mut it = serde_json::Deserializer::from_slice(&bytes[at.pos..]).into_iter::<T>();
    match it.next() {
        Some(Ok(v)) => {
            let end = at.pos + it.byte_offset();
            at.advance(bytes, end);
            Ok(v)
        }
        Some(Err(e)) => Err(syntax(*at, &e)),
        None => Err(format!("第 {} 行：GeoJSON 格式错误：文件意外结束", at.line)),
    }
}

/// Expects the byte `b` (after whitespace) and moves past it.
fn expect(bytes: &[u8], at: &mut Cursor, b: u8) -> Result<(), String> {
    at.skip_ws(bytes);
    if at.peek(bytes) == Some(b) {
        at.advance(bytes, at.pos + 1);
        Ok(())
    } else {
        Err(format!(
            "第 {} 行：GeoJSON 格式错误：此处应为“{}”",
            at.line, b as char
        ))
    }
}

/// What the scan of the top-level object found.
struct TopLevel {
    is_collection: bool,
    crs: Option<Value>,
    /// Just inside the `features` array (after `[`).
    features: Option<Cursor>,
}

/// Scans the top-level object's members; the `features` array is validated and skipped
/// without building it.
fn scan_top(bytes: &[u8]) -> Result<TopLevel, String> {
    let mut at = Cursor { pos: 0, line: 1 };
    // A byte-order mark is not JSON but some writers put one.
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        at.pos = 3;
    }
    let mut top = TopLevel {
        is_collection: false,
        crs: None,
        features: None,
    };
    expect(bytes, &mut at, b'{').map_err(|_| "应为 GeoJSON FeatureCollection".to_string())?;
    at.skip_ws(bytes);
    if at.peek(bytes) == Some(b'}') {
        return Ok(top);
    }
    loop {
        let key: String = value_at(bytes, &mut at)?;
        expect(bytes, &mut at, b':')?;
        match key.as_str() {
            "type" => {
                let v: Value = value_at(bytes, &mut at)?;
                top.is_collection = v.as_str() == Some("FeatureCollection");
            }
            "crs" => top.crs = Some(value_at(bytes, &mut at)?),
            "features" => {
                at.skip_ws(bytes);
                if at.peek(bytes) == Some(b'[') {
                    let mut inside = at;
                    inside.advance(bytes, at.pos + 1);
                    top.features = Some(inside);
                }
                value_at::<IgnoredAny>(bytes, &mut at)?;
            }
            _ => {
                value_at::<IgnoredAny>(bytes, &mut at)?;
            }
        }
        at.skip_ws(bytes);
        match at.peek(bytes) {
            Some(b',') => at.advance(bytes, at.pos + 1),
            Some(b'}') => break,
            _ => {
                return Err(format!(
                    "第 {} 行：GeoJSON 格式错误：此处应为“,”或“}}”",
                    at.line
                ));
            }
        }
    }
    Ok(top)
}

/// Features of the array that starts at a cursor, one at a time.
struct Features<'a> {
    name: String,
    bytes: &'a [u8],
    at: Cursor,
    index: usize,
    id_property: Option<String>,
    done: bool,
}

impl Features<'_> {
    /// The next raw feature with the line it starts on, `None` at the end of the array.
    fn next_raw(&mut self) -> Result<Option<(RawFeature, usize)>, String> {
        let bytes = self.bytes;
        self.at.skip_ws(bytes);
        if self.index > 0 {
            match self.at.peek(bytes) {
                Some(b',') => self.at.advance(bytes, self.at.pos + 1),
                Some(b']') => return Ok(None),
                _ => {
                    return Err(format!(
                        "第 {} 行：GeoJSON 格式错误：此处应为“,”或“]”",
                        self.at.line
                    ));
                }
            }
            self.at.skip_ws(bytes);
        } else if self.at.peek(bytes) == Some(b']') {
            return Ok(None);
        }
        let line = self.at.line;
        let raw: RawFeature = value_at(bytes, &mut self.at)?;
        Ok(Some((raw, line)))
    }

    fn feature(&self, raw: RawFeature, line: usize) -> SourceFeature {
        let properties = match raw.properties {
            Some(Value::Object(m)) => m,
            _ => serde_json::Map::new(),
        };
        let id = self
            .id_property
            .as_deref()
            .and_then(|p| properties.get(p))
            .or(raw.id.as_ref())
            .filter(|v| !v.is_null())
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .unwrap_or_else(|| format!("#{}", self.index));
        let geometry = match raw.geometry.as_ref().filter(|g| !g.is_null()) {
            None => Ok(SourceGeometry::Empty),
            Some(g) => geojson_geometry(g),
        };
        SourceFeature {
            id,
            name: display_name(&properties),
            line: Some(line),
            geometry,
            properties,
        }
    }
}

impl Iterator for Features<'_> {
    type Item = Result<SourceFeature, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        match self.next_raw() {
            Ok(Some((raw, line))) => {
                self.index += 1;
                Some(Ok(self.feature(raw, line)))
            }
            Ok(None) => {
                self.done = true;
                None
            }
            Err(m) => {
                self.done = true;
                Some(Err(ReadError::at(&self.name, m)))
            }
        }
    }
}

/// Opens a GeoJSON FeatureCollection for reading feature by feature. `zone` is the plan's
/// zone, used for plane coordinates without a zone prefix and no `crs` member.
///
/// # Errors
/// [`ReadError`] naming the file when it is not UTF-8 JSON, not a FeatureCollection, has no
/// `features` array or declares a CRS other than CGCS2000. A syntax error inside a feature is
/// found by the scan already, so a stream that opens reads to its end.
pub fn stream<'a>(
    name: &str,
    bytes: &'a [u8],
    zone: GaussKrugerZone,
    id_property: Option<&str>,
) -> Result<LayerStream<'a>, ReadError> {
    if let Err(e) = std::str::from_utf8(bytes) {
        return Err(ReadError::at(
            name,
            format!("不是 UTF-8 文本（第 {} 字节）", e.valid_up_to() + 1),
        ));
    }
    let top = scan_top(bytes).map_err(|m| ReadError::at(name, m))?;
    if !top.is_collection {
        return Err(ReadError::at(name, "应为 GeoJSON FeatureCollection"));
    }
    let Some(start) = top.features else {
        return Err(ReadError::at(name, "缺少 features 数组"));
    };
    let features = Features {
        name: name.to_string(),
        bytes,
        at: start,
        index: 0,
        id_property: id_property.map(str::to_string),
        done: false,
    };
    let crs = match &top.crs {
        Some(c) => crs_from_name(
            c.pointer("/properties/name")
                .and_then(Value::as_str)
                .unwrap_or(""),
        )
        .map_err(|m| ReadError::at(name, m))?,
        None => {
            // The first pair of the first feature that has one (usually the first feature);
            // the scan proved the array well formed.
            let mut peek = Features {
                name: name.to_string(),
                bytes,
                at: start,
                index: 0,
                id_property: None,
                done: false,
            };
            let mut first = None;
            while let Ok(Some((raw, _))) = peek.next_raw() {
                peek.index += 1;
                first = raw
                    .geometry
                    .as_ref()
                    .and_then(|g| g.get("coordinates"))
                    .and_then(first_pair);
                if first.is_some() {
                    break;
                }
            }
            first.map_or(Crs::Geographic, |p| crs_from_numbers(p, zone))
        }
    };
    Ok(LayerStream {
        crs: Some(crs),
        notes: vec!["格式：GeoJSON".into()],
        features: Box::new(features),
    })
}

#[cfg(test)]
mod tests {
    use super::stream;
    use minplan_domain::layer::SourceGeometry;
    use minplan_geo::{Crs, GaussKrugerZone};

    fn zone44() -> GaussKrugerZone {
        GaussKrugerZone::three_degree(44, false).unwrap()
    }

    #[test]
    fn a_county_file_with_a_legacy_crs_and_numeric_ids_streams() {
        let text = r#"{"type":"FeatureCollection","name":"farmland","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4532"}},"features":[
{"type":"Feature","id":1,"properties":{"fid":1,"dlbm":"0103"},"geometry":{"type":"Polygon","coordinates":[[[44431734.273,4906385.849],[44431745.93,4906385.393],[44431757.484,4906383.242],[44431734.273,4906385.849]]]}}
,{"type":"Feature","id":2,"properties":{"fid":2,"name":"二号"},"geometry":{"type":"MultiPolygon","coordinates":[[[[44431769.198,4906383.739],[44431779.791,4906383.92],[44431790.094,4906381.946],[44431769.198,4906383.739]]]]}}
,{"type":"Feature","properties":{"id":"R-3"},"geometry":null}
]}"#;
        let s = stream("farmland.geojson", text.as_bytes(), zone44(), Some("id")).unwrap();
        assert_eq!(
            s.crs,
            Some(Crs::GaussKruger(
                GaussKrugerZone::three_degree(44, true).unwrap()
            ))
        );
        let fs: Vec<_> = s.features.map(Result::unwrap).collect();
        assert_eq!(fs.len(), 3);
        assert_eq!(fs[0].id, "1");
        assert_eq!(fs[0].line, Some(2));
        assert_eq!(fs[0].properties["dlbm"], "0103");
        match &fs[0].geometry {
            Ok(SourceGeometry::Polygons(p)) => {
                assert_eq!(p.len(), 1);
                assert_eq!(p[0][0].len(), 4);
                assert_eq!(p[0][0][1], (44431745.93, 4906385.393));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(fs[1].id, "2");
        assert_eq!(fs[1].name.as_deref(), Some("二号"));
        assert_eq!(fs[1].line, Some(3));
        assert_eq!(fs[2].id, "R-3");
        assert_eq!(fs[2].geometry, Ok(SourceGeometry::Empty));
    }

    #[test]
    fn the_crs_member_may_follow_the_features_and_without_one_the_numbers_decide() {
        let after = r#"{"features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[1,2],[3,2],[3,4],[1,2]]]}}],"crs":{"type":"name","properties":{"name":"EPSG:4553"}},"type":"FeatureCollection"}"#;
        let s = stream("a.geojson", after.as_bytes(), zone44(), None).unwrap();
        assert_eq!(s.crs.unwrap().epsg(), 4553);
        let fs: Vec<_> = s.features.map(Result::unwrap).collect();
        assert_eq!(fs.len(), 1);
        assert_eq!(fs[0].id, "#1");

        let none = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":null,"geometry":null},{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[44431734.2,4906385.8],[44431745.9,4906385.3],[44431757.4,4906383.2],[44431734.2,4906385.8]]]}}]}"#;
        let s = stream("b.geojson", none.as_bytes(), zone44(), None).unwrap();
        assert_eq!(s.crs.unwrap().epsg(), 4532);
        let ids: Vec<_> = s.features.map(|f| f.unwrap().id).collect();
        assert_eq!(ids, ["#1", "#2"]);
    }

    #[test]
    fn broken_files_are_refused_with_the_line() {
        let err = |t: &str| match stream("x.geojson", t.as_bytes(), zone44(), None) {
            Err(e) => e.0,
            Ok(_) => panic!("accepted {t}"),
        };
        assert!(err(r#"{"type":"Feature"}"#).contains("应为 GeoJSON FeatureCollection"));
        assert!(err(r#"{"type":"FeatureCollection"}"#).contains("缺少 features 数组"));
        assert!(err("[1,2]").contains("应为 GeoJSON FeatureCollection"));
        let m = err(
            "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\"},\n{\"type\":\"Feature\",}\n]}",
        );
        assert!(m.contains("第 3 行：GeoJSON 格式错误"), "{m}");
        // Within a feature, serde's English message is not quoted.
        let m = err(
            "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\" \"x\":1}}]}",
        );
        assert!(
            m.contains("第 2 行：GeoJSON 格式错误：不是有效的 JSON"),
            "{m}"
        );
        assert!(!m.contains("expected"), "{m}");
        let m = err(
            r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:2383"}},"features":[]}"#,
        );
        assert!(m.contains("EPSG:2383"), "{m}");
        assert!(err("{\"type\":\"FeatureCollection\",\"features\":[\u{0}]}").contains("GeoJSON"));
    }
}
