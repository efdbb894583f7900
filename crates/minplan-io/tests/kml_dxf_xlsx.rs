//! KML/KMZ, DXF and Excel corner lists: readers on hand-written fixtures, bad inputs, the
//! writers' round trips, and GDAL reading the written files (ignored unless gdal-bin is
//! installed: `cargo test -p minplan-io --test kml_dxf_xlsx -- --ignored`).

use minplan_domain::layer::{LayerOptions, SourceGeometry, SourceLayer, check_layer};
use minplan_geo::corners::{ParseOptions, RingRole, parse_str};
use minplan_geo::{Crs, GaussKrugerZone};
use minplan_io::corners::corner_text;
use minplan_io::dxf::{read_dxf, write_dxf};
use minplan_io::kml::{read_kml, read_kmz, write_kml};
use minplan_io::xlsx::{write_corner_xlsx, xlsx_corner_text};
use minplan_io::{ExportFeature, ExportField, ExportLayer, FieldKind, FieldValue};
use std::io::Write as _;

type Rings = Vec<Vec<(f64, f64)>>;

fn zone44() -> GaussKrugerZone {
    GaussKrugerZone::three_degree(44, true).unwrap()
}

fn polygons(layer: &SourceLayer, i: usize) -> Vec<Rings> {
    match &layer.features[i].geometry {
        Ok(SourceGeometry::Polygons(p)) => p.clone(),
        other => panic!("feature {i}: expected polygons, got {other:?}"),
    }
}

/// The ring with its first point repeated at the end.
fn closed(ring: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut r = ring.to_vec();
    r.push(r[0]);
    r
}

fn prop<'a>(layer: &'a SourceLayer, i: usize, key: &str) -> &'a str {
    layer.features[i]
        .properties
        .get(key)
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("feature {i} has no text property {key}"))
}

// ---------------------------------------------------------------------------------------
// KML fixtures

const KML: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
<Document>
  <name>绥芬河市管控图层</name>
  <Folder>
    <name>管控图层</name>
    <Folder>
      <name>禁止开采区</name>
      <Placemark id="jc-01">
        <name>一号禁采区 &amp; 水源地</name>
        <description><![CDATA[<b>水源保护</b>]]></description>
        <ExtendedData>
          <Data name="编号"><value>JC-01</value></Data>
          <SchemaData schemaUrl="#s"><SimpleData name="面积">0.25</SimpleData></SchemaData>
        </ExtendedData>
        <Polygon>
          <outerBoundaryIs><LinearRing><coordinates>
            131.10,44.40,120 131.12,44.40,120 131.12,44.42,120 131.10,44.42,120 131.10,44.40,120
          </coordinates></LinearRing></outerBoundaryIs>
          <innerBoundaryIs><LinearRing><coordinates>131.105,44.405 131.105,44.41 131.11,44.41 131.105,44.405</coordinates></LinearRing></innerBoundaryIs>
        </Polygon>
      </Placemark>
    </Folder>
    <Placemark>
      <name>运矿道路</name>
      <LineString><coordinates>131.0, 44.3 131.01, 44.31</coordinates></LineString>
    </Placemark>
  </Folder>
  <Placemark><name>钻孔</name><Point><coordinates>131.05,44.35</coordinates></Point></Placemark>
  <Placemark id="multi">
    <name>两块</name>
    <MultiGeometry>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>131.2,44.5 131.21,44.5 131.21,44.51 131.2,44.5</coordinates></LinearRing></outerBoundaryIs></Polygon>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>131.3,44.5 131.31,44.5 131.31,44.51 131.3,44.5</coordinates></LinearRing></outerBoundaryIs></Polygon>
    </MultiGeometry>
  </Placemark>
  <Placemark><name>坏坐标</name><Polygon><outerBoundaryIs><LinearRing><coordinates>131.2,44.4 131.2;44.4 131.3,44.5</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
  <Placemark><name>无几何</name></Placemark>
</Document>
</kml>
"##;

fn kml_outer() -> Vec<(f64, f64)> {
    vec![
        (131.10, 44.40),
        (131.12, 44.40),
        (131.12, 44.42),
        (131.10, 44.42),
        (131.10, 44.40),
    ]
}

fn kml_hole() -> Vec<(f64, f64)> {
    vec![
        (131.105, 44.405),
        (131.105, 44.41),
        (131.11, 44.41),
        (131.105, 44.405),
    ]
}

#[test]
fn kml_reads_placemarks_folders_data_and_holes() {
    let layer = read_kml("管控.kml", KML.as_bytes()).unwrap();
    assert_eq!(layer.crs, Some(Crs::Geographic));
    assert_eq!(layer.features.len(), 6);
    let f = &layer.features[0];
    assert_eq!(f.id, "jc-01");
    assert_eq!(f.name.as_deref(), Some("一号禁采区 & 水源地"));
    assert_eq!(f.line, Some(9));
    assert_eq!(prop(&layer, 0, "name"), "一号禁采区 & 水源地");
    assert_eq!(prop(&layer, 0, "description"), "<b>水源保护</b>");
    assert_eq!(prop(&layer, 0, "编号"), "JC-01");
    assert_eq!(prop(&layer, 0, "面积"), "0.25");
    assert_eq!(prop(&layer, 0, "folder"), "管控图层/禁止开采区");
    assert_eq!(polygons(&layer, 0), vec![vec![kml_outer(), kml_hole()]]);
    // Altitude dropped, with a note.
    assert!(
        layer.notes.iter().any(|n| n.contains("高程")),
        "{:?}",
        layer.notes
    );

    let road = &layer.features[1];
    assert_eq!(road.id, "#2");
    assert_eq!(prop(&layer, 1, "folder"), "管控图层");
    assert_eq!(
        road.geometry,
        Ok(SourceGeometry::Lines(vec![vec![
            (131.0, 44.3),
            (131.01, 44.31)
        ]]))
    );
    assert_eq!(layer.features[2].geometry, Ok(SourceGeometry::Points(1)));
    assert!(!layer.features[2].properties.contains_key("folder"));
    assert_eq!(layer.features[3].id, "multi");
    let multi = polygons(&layer, 3);
    assert_eq!(multi.len(), 2);
    assert_eq!(multi[1][0][0], (131.3, 44.5));
    assert_eq!(
        layer.features[4].geometry,
        Err("第 2 个坐标“131.2;44.4”不是 经度,纬度".to_owned())
    );
    assert_eq!(layer.features[5].geometry, Ok(SourceGeometry::Empty));
    assert_eq!(layer.features[5].id, "#6");
}

#[test]
fn kml_with_only_points_is_refused() {
    let kml = r#"<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>1</name><Point><coordinates>131.1,44.4</coordinates></Point></Placemark>
<Placemark><name>2</name><Point><coordinates>131.2,44.4</coordinates></Point></Placemark>
</Document></kml>"#;
    let err = read_kml("点.kml", kml.as_bytes()).unwrap_err();
    assert_eq!(
        err.0,
        "点.kml：KML 中只有点要素，没有面（管控图层和申请范围需要闭合的面）"
    );
}

#[test]
fn kml_that_is_not_xml_or_not_kml_is_refused_with_file_and_line() {
    let err = read_kml(
        "坏.kml",
        b"<kml>\n<Document>\n<Placemark></Document>\n</kml>",
    )
    .unwrap_err();
    assert!(err.0.starts_with("坏.kml："), "{err}");
    assert!(err.0.contains("第 3 行"), "{err}");
    assert!(err.0.contains("XML"), "{err}");

    let err = read_kml(
        "网页.kml",
        b"<?xml version=\"1.0\"?>\n\n<html><body/></html>",
    )
    .unwrap_err();
    assert_eq!(
        err.0,
        "网页.kml：第 3 行：不是 KML 文件（根元素为 <html>，应为 <kml>）"
    );

    let err = read_kml("文本.kml", "拐点坐标 1 4907000 44420000".as_bytes()).unwrap_err();
    assert!(err.0.starts_with("文本.kml："), "{err}");
    assert!(err.0.contains("没有 <kml> 根元素"), "{err}");
}

fn zip_bytes(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, opts).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Sets the uncompressed size of every entry in the zip's central directory.
fn declare_size(mut zip: Vec<u8>, size: u32) -> Vec<u8> {
    let sig = [0x50, 0x4b, 0x01, 0x02];
    let mut i = 0;
    let mut patched = 0;
    while i + 28 <= zip.len() {
        if zip[i..i + 4] == sig {
            zip[i + 24..i + 28].copy_from_slice(&size.to_le_bytes());
            patched += 1;
            i += 46;
        } else {
            i += 1;
        }
    }
    assert!(patched > 0);
    zip
}

#[test]
fn kmz_reads_doc_kml_and_refuses_a_huge_declared_size() {
    let kmz = zip_bytes(&[
        ("files/readme.txt", b"images".as_slice()),
        ("doc.kml", KML.as_bytes()),
    ]);
    let layer = read_kmz("管控.kmz", &kmz).unwrap();
    assert_eq!(layer.features.len(), 6);
    assert_eq!(polygons(&layer, 0), vec![vec![kml_outer(), kml_hole()]]);

    let bomb = declare_size(zip_bytes(&[("doc.kml", KML.as_bytes())]), 300 * 1024 * 1024);
    let err = read_kmz("炸弹.kmz", &bomb).unwrap_err();
    assert!(err.0.starts_with("炸弹.kmz："), "{err}");
    assert!(err.0.contains("256 MiB"), "{err}");

    let err = read_kmz("空.kmz", &zip_bytes(&[("a.txt", b"x".as_slice())])).unwrap_err();
    assert_eq!(err.0, "空.kmz：KMZ 中没有 .kml 文件");
}

// ---------------------------------------------------------------------------------------
// DXF fixtures

fn dxf_text(pairs: &[(i32, &str)]) -> String {
    pairs
        .iter()
        .map(|(c, v)| format!("{c:>3}\n{v}\n"))
        .collect()
}

/// An R12 drawing (GBK): a closed POLYLINE on layer 采矿权 with prefixed eastings, an open
/// one, and a LINE.
fn dxf_r12() -> Vec<u8> {
    let mut p: Vec<(i32, &str)> = vec![
        (0, "SECTION"),
        (2, "HEADER"),
        (9, "$ACADVER"),
        (1, "AC1009"),
        (9, "$DWGCODEPAGE"),
        (3, "ANSI_936"),
        (0, "ENDSEC"),
        (0, "SECTION"),
        (2, "ENTITIES"),
        (0, "POLYLINE"),
        (8, "采矿权"),
        (66, "1"),
        (70, "1"),
    ];
    let verts = [
        ("44420000.125", "4907000.5"),
        ("44420300", "4907000.5"),
        ("44420300", "4907200.75"),
        ("44420000.125", "4907200.75"),
    ];
    for (x, y) in &verts {
        p.extend([
            (0, "VERTEX"),
            (8, "采矿权"),
            (10, *x),
            (20, *y),
            (30, "0.0"),
        ]);
    }
    p.extend([
        (0, "SEQEND"),
        (0, "POLYLINE"),
        (8, "道路"),
        (66, "1"),
        (70, "0"),
    ]);
    p.extend([(0, "VERTEX"), (10, "44420000"), (20, "4906000")]);
    p.extend([(0, "VERTEX"), (10, "44420100"), (20, "4906100")]);
    p.extend([
        (0, "SEQEND"),
        (0, "LINE"),
        (8, "0"),
        (10, "1"),
        (20, "2"),
        (11, "3"),
        (21, "4"),
        (0, "ENDSEC"),
        (0, "EOF"),
    ]);
    encoding_rs::GBK.encode(&dxf_text(&p)).0.into_owned()
}

#[test]
fn dxf_r12_polyline_in_gbk_with_zone_prefix() {
    let layer = read_dxf("范围.dxf", &dxf_r12()).unwrap();
    assert_eq!(layer.crs, Some(Crs::GaussKruger(zone44())));
    assert_eq!(layer.features.len(), 1);
    let f = &layer.features[0];
    assert_eq!(f.id, "采矿权#1");
    assert_eq!(f.name.as_deref(), Some("采矿权"));
    assert_eq!(prop(&layer, 0, "layer"), "采矿权");
    assert_eq!(f.line, Some(19));
    assert_eq!(
        polygons(&layer, 0),
        vec![vec![vec![
            (44420000.125, 4907000.5),
            (44420300.0, 4907000.5),
            (44420300.0, 4907200.75),
            (44420000.125, 4907200.75),
            (44420000.125, 4907000.5),
        ]]]
    );
    assert!(
        layer.notes.iter().any(|n| n.contains("GBK")),
        "{:?}",
        layer.notes
    );
    assert!(
        layer
            .notes
            .iter()
            .any(|n| n == "有 1 条未闭合的多段线未读取"),
        "{:?}",
        layer.notes
    );
    assert!(
        layer.notes.iter().any(|n| n.contains("带号 44")),
        "{:?}",
        layer.notes
    );
}

fn lwpolyline(layer: &'static str, pts: &[(f64, f64)], closed: bool) -> Vec<(i32, String)> {
    let mut v = vec![
        (0, "LWPOLYLINE".to_owned()),
        (5, "2A".to_owned()),
        (100, "AcDbEntity".to_owned()),
        (8, layer.to_owned()),
        (100, "AcDbPolyline".to_owned()),
        (90, pts.len().to_string()),
        (70, if closed { "1" } else { "0" }.to_owned()),
    ];
    for (x, y) in pts {
        v.push((10, x.to_string()));
        v.push((20, y.to_string()));
    }
    v
}

fn dxf_r2000(entities: Vec<Vec<(i32, String)>>) -> Vec<u8> {
    let mut p: Vec<(i32, String)> = [
        (0, "SECTION"),
        (2, "HEADER"),
        (9, "$ACADVER"),
        (1, "AC1015"),
        (0, "ENDSEC"),
        (0, "SECTION"),
        (2, "BLOCKS"),
        (0, "BLOCK"),
        (2, "B"),
    ]
    .iter()
    .map(|(c, v)| (*c, v.to_string()))
    .collect();
    // A closed polyline inside a block: not read.
    p.extend(lwpolyline(
        "块内",
        &[(1.0, 1.0), (2.0, 1.0), (2.0, 2.0)],
        true,
    ));
    p.extend([(0, "ENDBLK".to_owned()), (0, "ENDSEC".to_owned())]);
    p.extend([(0, "SECTION".to_owned()), (2, "ENTITIES".to_owned())]);
    for e in entities {
        p.extend(e);
    }
    p.extend([(0, "ENDSEC".to_owned()), (0, "EOF".to_owned())]);
    let refs: Vec<(i32, &str)> = p.iter().map(|(c, v)| (*c, v.as_str())).collect();
    dxf_text(&refs).replace('\n', "\r\n").into_bytes()
}

fn shell() -> Vec<(f64, f64)> {
    vec![
        (44420000.0, 4907000.0),
        (44421000.0, 4907000.0),
        (44421000.0, 4908000.0),
        (44420000.0, 4908000.0),
    ]
}
fn hole() -> Vec<(f64, f64)> {
    vec![
        (44420200.25, 4907200.5),
        (44420200.25, 4907400.5),
        (44420400.75, 4907400.5),
    ]
}

#[test]
fn dxf_lwpolylines_with_a_hole_grouped_per_layer() {
    let other = vec![
        (44425000.0, 4907000.0),
        (44425100.0, 4907000.0),
        (44425100.0, 4907100.0),
    ];
    // The hole comes first in the file; grouping is by containment.
    let bytes = dxf_r2000(vec![
        lwpolyline("申请范围", &hole(), true),
        lwpolyline("申请范围", &shell(), true),
        lwpolyline("other", &other, true),
        lwpolyline(
            "申请范围",
            &[(44420000.0, 4906000.0), (44420100.0, 4906000.0)],
            false,
        ),
    ]);
    let layer = read_dxf("申请.dxf", &bytes).unwrap();
    assert_eq!(layer.crs, Some(Crs::GaussKruger(zone44())));
    assert_eq!(layer.features.len(), 2);
    assert_eq!(layer.features[0].id, "申请范围#1");
    // Rings closed (first point repeated), as Shapefile rings are.
    assert_eq!(
        polygons(&layer, 0),
        vec![vec![closed(&shell()), closed(&hole())]]
    );
    assert_eq!(layer.features[1].id, "other#1");
    assert_eq!(polygons(&layer, 1), vec![vec![closed(&other)]]);
    assert!(
        layer.notes.iter().any(|n| n.contains("UTF-8")),
        "{:?}",
        layer.notes
    );
    assert!(
        layer
            .notes
            .iter()
            .any(|n| n == "有 1 条未闭合的多段线未读取")
    );
}

#[test]
fn dxf_without_zone_prefix_has_no_crs() {
    let pts: Vec<(f64, f64)> = shell().iter().map(|p| (p.0 - 44e6, p.1)).collect();
    let layer = read_dxf(
        "无带号.dxf",
        &dxf_r2000(vec![lwpolyline("范围", &pts, true)]),
    )
    .unwrap();
    assert_eq!(layer.crs, None);
    assert_eq!(polygons(&layer, 0), vec![vec![closed(&pts)]]);
    assert!(
        layer.notes.iter().any(|n| n.contains("请指定")),
        "{:?}",
        layer.notes
    );
}

#[test]
fn dxf_bulge_is_a_feature_error_naming_layer_and_vertex() {
    let mut e = lwpolyline("采区", &shell(), true);
    // Bulge after the second vertex's y.
    let at = e
        .iter()
        .enumerate()
        .filter(|(_, p)| p.0 == 20)
        .nth(1)
        .unwrap()
        .0;
    e.insert(at + 1, (42, "0.5".to_owned()));
    let layer = read_dxf("弧.dxf", &dxf_r2000(vec![e])).unwrap();
    let msg = layer.features[0].geometry.clone().unwrap_err();
    assert!(msg.contains("图层“采区”"), "{msg}");
    assert!(msg.contains("第 2 个顶点"), "{msg}");
    assert!(msg.contains("凸度"), "{msg}");
}

#[test]
fn dxf_bad_inputs_are_refused() {
    let open = dxf_r2000(vec![lwpolyline("线", &shell(), false)]);
    let err = read_dxf("开口.dxf", &open).unwrap_err();
    assert!(
        err.0.starts_with("开口.dxf：DXF 中没有闭合的多段线"),
        "{err}"
    );
    assert!(err.0.contains("有 1 条未闭合的多段线"), "{err}");

    let mut bin = b"AutoCAD Binary DXF\r\n\x1a\x00".to_vec();
    bin.extend_from_slice(&[0, 0, 1, 2, 3]);
    let err = read_dxf("二进制.dxf", &bin).unwrap_err();
    assert!(err.0.starts_with("二进制.dxf："), "{err}");
    assert!(err.0.contains("ASCII"), "{err}");

    let bad = b"  0\nSECTION\nTWO\nENTITIES\n  0\nENDSEC\n";
    let err = read_dxf("坏.dxf", bad).unwrap_err();
    assert_eq!(
        err.0,
        "坏.dxf：第 3 行：组码“TWO”不是整数（DXF 应为组码行与值行交替）"
    );
}

// ---------------------------------------------------------------------------------------
// Export layers

fn ring_ll(cx: f64, cy: f64, d: f64) -> Vec<[f64; 2]> {
    vec![
        [cx, cy],
        [cx + d, cy + 0.000_000_123_456_7],
        [cx + d, cy + d],
        [cx + 0.000_000_987_654_3, cy + d],
        [cx, cy],
    ]
}

fn export_layer() -> ExportLayer {
    let zone = zone44();
    let fields = vec![
        ExportField {
            name: "名称".into(),
            kind: FieldKind::Text,
        },
        ExportField {
            name: "面积（平方公里）".into(),
            kind: FieldKind::Real(4),
        },
        ExportField {
            name: "编号".into(),
            kind: FieldKind::Integer,
        },
    ];
    let mut hole = ring_ll(131.123_456_789_012_3, 44.423_456_789_012_3, 0.002);
    hole.reverse();
    let a = ExportFeature {
        name: "一号采区 <A&B>".into(),
        lonlat: vec![vec![
            ring_ll(131.111_111_111_111_1, 44.411_111_111_111_1, 0.03),
            hole,
        ]],
        plane: None,
        labels: None,
        values: vec!["一号采区 <A&B>".into(), 0.9876.into(), 7i64.into()],
    };
    // Entered plane values and labels (with the zone prefix), plus lon/lat.
    let plane_shell = vec![
        (44420000.125, 4907000.5),
        (44420300.0, 4907000.5),
        (44420300.0, 4907200.75),
        (44420000.125, 4907200.75),
        (44420000.125, 4907000.5),
    ];
    let b_lonlat: Vec<[f64; 2]> = plane_shell
        .iter()
        .map(|&(e, n)| {
            let (lon, lat) = zone.to_lonlat(n, e);
            [lon, lat]
        })
        .collect();
    let b = ExportFeature {
        name: "二号采区".into(),
        lonlat: vec![vec![b_lonlat], vec![ring_ll(131.2, 44.45, 0.001)]],
        plane: Some(vec![
            vec![plane_shell],
            vec![
                ring_ll(131.2, 44.45, 0.001)
                    .iter()
                    .map(|q| zone.projection().forward(q[0], q[1]))
                    .collect(),
            ],
        ]),
        labels: Some(vec![
            vec![vec!["J1".into(), "J2".into(), "J3".into(), "J4".into()]],
            vec![vec!["K1".into(), "K2".into(), "K3".into(), "K4".into()]],
        ]),
        values: vec!["二号采区".into(), FieldValue::Null, 8i64.into()],
    };
    ExportLayer {
        name: "开采规划区块".into(),
        zone,
        fields,
        features: vec![a, b],
    }
}

/// Every ring of every feature in `plane_in`, open (closing repeat dropped).
fn plane_rings(layer: &ExportLayer) -> Vec<Vec<Vec<(f64, f64)>>> {
    layer
        .features
        .iter()
        .flat_map(|f| f.plane_in(layer.zone))
        .map(|p| {
            p.into_iter()
                .map(|mut r| {
                    if r.len() > 1 && r.first() == r.last() {
                        r.pop();
                    }
                    r
                })
                .collect()
        })
        .collect()
}

#[test]
fn kml_round_trip_is_exact() {
    let layer = export_layer();
    let bytes = write_kml(std::slice::from_ref(&layer)).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(
        text.contains("<name>一号采区 &lt;A&amp;B&gt;</name>"),
        "{text}"
    );
    assert!(text.contains("<SimpleField name=\"面积（平方公里）\" type=\"double\"/>"));
    assert!(text.contains("<SimpleData name=\"面积（平方公里）\">0.9876</SimpleData>"));
    let back = read_kml("导出.kml", &bytes).unwrap();
    assert_eq!(back.features.len(), 2);
    for (f, g) in layer.features.iter().zip(&back.features) {
        let Ok(SourceGeometry::Polygons(polys)) = &g.geometry else {
            panic!("{:?}", g.geometry)
        };
        assert_eq!(polys.len(), f.lonlat.len());
        for (p, q) in f.lonlat.iter().zip(polys) {
            assert_eq!(p.len(), q.len());
            for (r, s) in p.iter().zip(q) {
                assert_eq!(r.len(), s.len());
                for (a, b) in r.iter().zip(s) {
                    assert!((a[0] - b.0).abs() <= 1e-9 && (a[1] - b.1).abs() <= 1e-9);
                    // Written with the shortest round-trip repr: in fact identical.
                    assert_eq!((a[0], a[1]), *b);
                }
            }
        }
        assert_eq!(g.name.as_deref(), Some(f.name.as_str()));
        assert_eq!(
            g.properties.get("folder").and_then(|v| v.as_str()),
            Some("开采规划区块")
        );
    }
    assert_eq!(prop(&back, 0, "名称"), "一号采区 <A&B>");
    assert_eq!(prop(&back, 0, "面积（平方公里）"), "0.9876");
    assert_eq!(prop(&back, 0, "编号"), "7");
    // A null value is left out.
    assert!(!back.features[1].properties.contains_key("面积（平方公里）"));
    assert!(prop(&back, 0, "description").contains("<th>编号</th><td>7</td>"));
}

#[test]
fn kml_writer_refuses_mismatched_values() {
    let mut layer = export_layer();
    layer.features[0].values.pop();
    let err = write_kml(&[layer]).unwrap_err();
    assert!(err.0.contains("有 2 个属性值，而图层有 3 个字段"), "{err}");
}

/// Pairs of a written DXF (code, raw value bytes).
fn dxf_pairs(bytes: &[u8]) -> Vec<(i32, Vec<u8>)> {
    let lines: Vec<&[u8]> = bytes
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect();
    lines
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| {
            (
                std::str::from_utf8(c[0]).unwrap().trim().parse().unwrap(),
                c[1].to_vec(),
            )
        })
        .collect()
}

#[test]
fn dxf_round_trip_is_exact_with_gbk_labels_and_unique_handles() {
    let layer = export_layer();
    let bytes = write_dxf(std::slice::from_ref(&layer)).unwrap();
    let pairs = dxf_pairs(&bytes);
    let value = |code: i32, v: &str| pairs.iter().any(|(c, b)| *c == code && b == v.as_bytes());
    assert!(value(1, "AC1015"));
    assert!(value(3, "ANSI_936"));
    // Chinese in GBK, not UTF-8.
    let gbk_layer = encoding_rs::GBK.encode("开采规划区块_注记").0.into_owned();
    assert!(pairs.iter().any(|(c, b)| *c == 8 && *b == gbk_layer));
    assert!(!pairs.iter().any(|(_, b)| b == "开采规划区块".as_bytes()));
    // Labels: entered ones, and 1..n where none were entered.
    assert!(value(1, "J3") && value(1, "K4") && value(1, "4"));
    let name = encoding_rs::GBK.encode("二号采区").0.into_owned();
    assert!(pairs.iter().any(|(c, b)| *c == 1 && *b == name));
    // Handles unique, all below $HANDSEED.
    let handles: Vec<u64> = pairs
        .iter()
        .filter(|(c, _)| *c == 5 || *c == 105)
        .map(|(_, b)| u64::from_str_radix(std::str::from_utf8(b).unwrap(), 16).unwrap())
        .collect();
    let seed = handles[0]; // $HANDSEED is the first group 5 in the file
    let rest = &handles[1..];
    let mut sorted = rest.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), rest.len(), "duplicate handles");
    assert!(rest.iter().all(|&h| h < seed));
    // Every owner handle points at a handle of the file (or 0).
    for (c, b) in &pairs {
        if *c == 330 {
            let h = u64::from_str_radix(std::str::from_utf8(b).unwrap(), 16).unwrap();
            assert!(h == 0 || rest.contains(&h), "owner {h:X} missing");
        }
    }

    let back = read_dxf("导出.dxf", &bytes).unwrap();
    assert_eq!(back.crs, Some(Crs::GaussKruger(zone44())));
    assert!(back.notes.iter().any(|n| n.contains("GBK")));
    let got: Vec<Rings> = (0..back.features.len())
        .flat_map(|i| polygons(&back, i))
        .collect();
    let expected: Vec<Rings> = plane_rings(&layer)
        .iter()
        .map(|p| p.iter().map(|r| closed(r)).collect())
        .collect();
    assert_eq!(got, expected);
    assert!(
        back.features
            .iter()
            .all(|f| f.name.as_deref() == Some("开采规划区块"))
    );
}

// ---------------------------------------------------------------------------------------
// Excel corner lists

#[test]
fn corner_xlsx_round_trip_through_the_corner_reader_gives_what_was_written() {
    let layer = export_layer();
    let bytes = write_corner_xlsx(&layer).unwrap();
    let text = xlsx_corner_text("拐点.xlsx", &bytes).unwrap();
    assert!(
        text.starts_with("2000国家大地坐标系 3度带 第44带"),
        "{text}"
    );
    assert!(text.contains("J1\t4907000.5\t44420000.125"), "{text}");
    let report = parse_str(&text, &ParseOptions::default());
    assert_eq!(
        report.crs,
        Some(Crs::GaussKruger(zone44())),
        "{text}\n{:?}",
        report.problems
    );
    // Entered values exactly; values projected from lon/lat (feature b) to the millimetre, as
    // the corner list writes them.
    let mm = |v: f64| (v * 1e3).round() / 1e3;
    let expected: Vec<Vec<Vec<(f64, f64)>>> = layer
        .features
        .iter()
        .flat_map(|f| {
            let entered = f.plane.is_some();
            f.plane_in(layer.zone).into_iter().map(move |p| {
                p.into_iter()
                    .map(|mut r| {
                        if r.len() > 1 && r.first() == r.last() {
                            r.pop();
                        }
                        if !entered {
                            r = r.into_iter().map(|q| (mm(q.0), mm(q.1))).collect();
                        }
                        r
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    // Blocks: feature a (shell + hole), feature b (two shells).
    assert_eq!(report.blocks.len(), 2, "{:#?}", report.blocks);
    let rings: Vec<&minplan_geo::corners::Ring> =
        report.blocks.iter().flat_map(|b| &b.rings).collect();
    let roles: Vec<RingRole> = rings.iter().map(|r| r.role).collect();
    assert_eq!(
        roles,
        [
            RingRole::Shell,
            RingRole::Hole,
            RingRole::Shell,
            RingRole::Shell
        ]
    );
    let flat: Vec<&Vec<(f64, f64)>> = expected.iter().flatten().collect();
    assert_eq!(rings.len(), flat.len());
    for (r, e) in rings.iter().zip(flat) {
        let got: Vec<(f64, f64)> = r.points.iter().map(|p| (p.y, p.x)).collect();
        assert_eq!(&got, e);
    }
    assert_eq!(rings[2].points[0].label, "J1");
    assert!(!report.has_errors(), "{:#?}", report.problems);
}

#[test]
fn xlsx_cells_keep_full_precision_and_sheets_are_separated() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("一区").unwrap();
    ws.write_string(1, 1, "点号").unwrap();
    ws.write_number(2, 1, 1.0).unwrap();
    ws.write_number(2, 2, 4907000.123456789).unwrap();
    ws.write_number(2, 3, 44420000.1).unwrap();
    ws.write_number(3, 3, 0.1 + 0.2).unwrap();
    let ws2 = wb.add_worksheet();
    ws2.set_name("二区").unwrap();
    ws2.write_string(0, 0, "a\tb").unwrap();
    wb.add_worksheet(); // empty: left out
    let bytes = wb.save_to_buffer().unwrap();
    let text = xlsx_corner_text("表.xlsx", &bytes).unwrap();
    assert_eq!(
        text,
        "一区\n点号\n1\t4907000.123456789\t44420000.1\n\t\t0.30000000000000004\n二区\na b\n"
    );
}

#[test]
fn xlsx_size_guards() {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("坐标").unwrap();
    ws.write_number(0, 0, 1.0).unwrap();
    ws.write_number(100_000, 0, 1.0).unwrap();
    let err = xlsx_corner_text("长.xlsx", &wb.save_to_buffer().unwrap()).unwrap_err();
    assert!(err.0.starts_with("长.xlsx：工作表“坐标”"), "{err}");
    assert!(err.0.contains("100000 行、256 列"), "{err}");

    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_number(0, 256, 1.0).unwrap();
    let err = xlsx_corner_text("宽.xlsx", &wb.save_to_buffer().unwrap()).unwrap_err();
    assert!(err.0.contains("工作表“Sheet1”"), "{err}");

    let mut wb = rust_xlsxwriter::Workbook::new();
    wb.add_worksheet().write_number(0, 0, 1.0).unwrap();
    let bomb = declare_size(wb.save_to_buffer().unwrap(), 200 * 1024 * 1024);
    let err = xlsx_corner_text("炸弹.xlsx", &bomb).unwrap_err();
    assert!(err.0.starts_with("炸弹.xlsx："), "{err}");
    assert!(err.0.contains("超过上限 64 MiB"), "{err}");

    let err = xlsx_corner_text("a.xlsx", b"1,4907000,44420000").unwrap_err();
    assert!(err.0.contains("不是 Excel 工作簿"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Corner text from KML and DXF layers

#[test]
fn corner_text_from_kml_round_trips_through_the_corner_reader() {
    let mut layer = read_kml("申请.kml", KML.as_bytes()).unwrap();
    // The broken feature is refused, not left out.
    let err = corner_text(&layer).unwrap_err();
    assert_eq!(
        err.0,
        "要素“坏坐标”（第 37 行）的图形无法读取：第 2 个坐标“131.2;44.4”不是 经度,纬度；拐点范围不完整，请改正后重新上传"
    );
    layer.features.remove(4);
    let text = corner_text(&layer).unwrap();
    let report = parse_str(&text, &ParseOptions::default());
    assert!(report.geographic, "{text}");
    assert_eq!(
        report.crs,
        Some(Crs::Geographic),
        "{text}\n{:?}",
        report.problems
    );
    // Blocks: the polygon with its hole, the two-part feature.
    assert_eq!(report.blocks.len(), 2, "{text}\n{:#?}", report.blocks);
    assert_eq!(report.blocks[0].rings.len(), 2);
    assert_eq!(report.blocks[0].rings[1].role, RingRole::Hole);
    assert_eq!(report.blocks[1].rings.len(), 2);
    assert_eq!(report.blocks[1].rings[1].role, RingRole::Shell);
    let got: Vec<(f64, f64)> = report.blocks[0].rings[0]
        .points
        .iter()
        .map(|p| (p.y, p.x))
        .collect();
    assert_eq!(got, kml_outer()[..4].to_vec());
    let got: Vec<(f64, f64)> = report.blocks[0].rings[1]
        .points
        .iter()
        .map(|p| (p.y, p.x))
        .collect();
    assert_eq!(got, kml_hole()[..3].to_vec());
}

#[test]
fn corner_text_from_dxf_round_trips_through_the_corner_reader() {
    let bytes = dxf_r2000(vec![
        lwpolyline("申请范围", &shell(), true),
        lwpolyline("申请范围", &hole(), true),
    ]);
    let layer = read_dxf("申请.dxf", &bytes).unwrap();
    let text = corner_text(&layer).unwrap();
    let report = parse_str(&text, &ParseOptions::default());
    assert_eq!(
        report.crs,
        Some(Crs::GaussKruger(zone44())),
        "{text}\n{:?}",
        report.problems
    );
    assert_eq!(report.blocks.len(), 1, "{text}");
    let rings = &report.blocks[0].rings;
    assert_eq!(rings.len(), 2);
    assert_eq!(rings[1].role, RingRole::Hole);
    for (r, e) in rings.iter().zip([shell(), hole()]) {
        let got: Vec<(f64, f64)> = r.points.iter().map(|p| (p.y, p.x)).collect();
        assert_eq!(got, e);
    }
    assert!(!report.has_errors(), "{text}\n{:#?}", report.problems);
}

#[test]
fn corner_text_of_a_layer_without_polygons_is_refused() {
    let kml = r#"<kml><Placemark><LineString><coordinates>131,44 131.1,44.1</coordinates></LineString></Placemark></kml>"#;
    let layer = read_kml("线.kml", kml.as_bytes()).unwrap();
    let err = corner_text(&layer).unwrap_err();
    assert!(err.0.contains("没有可读的面要素"), "{err}");

    let mut e = lwpolyline("采区", &shell(), true);
    e.push((42, "1".to_owned()));
    let layer = read_dxf("弧.dxf", &dxf_r2000(vec![e])).unwrap();
    let err = corner_text(&layer).unwrap_err();
    assert!(err.0.contains("第 4 个顶点有凸度"), "{err}");
}

// ---------------------------------------------------------------------------------------
// GDAL

fn ogrinfo(path: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new("ogrinfo")
        .args(args)
        .arg(path)
        .output()
        .expect("ogrinfo runs (gdal-bin)");
    assert!(
        out.status.success(),
        "ogrinfo failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn tmp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("kml_dxf_xlsx");
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
#[ignore = "needs gdal-bin (ogrinfo); .ci/run installs it and runs it with --ignored"]
fn gdal_reads_the_written_kml() {
    let layer = export_layer();
    let path = tmp(
        "export.kml",
        &write_kml(std::slice::from_ref(&layer)).unwrap(),
    );
    let summary = ogrinfo(&path, &["-al", "-so"]);
    assert!(summary.contains("Layer name: 开采规划区块"), "{summary}");
    assert!(summary.contains("Feature Count: 2"), "{summary}");
    assert!(
        summary.contains("WGS 84") || summary.contains("4326"),
        "{summary}"
    );
    let full = ogrinfo(&path, &["-al"]);
    assert!(full.contains("Name (String) = 一号采区 <A&B>"), "{full}");
    assert!(full.contains("名称 (String) = 二号采区"), "{full}");
    assert!(full.contains("编号 (Integer) = 7"), "{full}");
    assert!(full.contains("面积（平方公里） (Real) = 0.9876"), "{full}");
    assert!(
        full.contains("MULTIPOLYGON") || full.contains("POLYGON"),
        "{full}"
    );
    // The first corner of feature a, as GDAL prints it (15 significant digits).
    assert!(full.contains("131.111111111111 44.4111111111111"), "{full}");
}

#[test]
#[ignore = "needs gdal-bin (ogrinfo); .ci/run installs it and runs it with --ignored"]
fn gdal_reads_the_written_dxf() {
    let layer = export_layer();
    let path = tmp(
        "export.dxf",
        &write_dxf(std::slice::from_ref(&layer)).unwrap(),
    );
    let full = ogrinfo(&path, &["-al"]);
    let rings: usize = plane_rings(&layer).iter().map(Vec::len).sum();
    let corners: usize = plane_rings(&layer).iter().flatten().map(Vec::len).sum();
    let features = rings + corners + layer.features.len();
    assert!(
        full.contains(&format!("Feature Count: {features}")),
        "{full}"
    );
    assert!(full.contains("Layer (String) = 开采规划区块"), "{full}");
    assert!(
        full.contains("Layer (String) = 开采规划区块_注记"),
        "{full}"
    );
    assert!(full.contains("Text (String) = 二号采区"), "{full}");
    assert!(full.contains("44420000.125 4907000.5"), "{full}");
    assert!(full.contains("Text (String) = J1"), "{full}");
}

// ---------------------------------------------------------------------------------------
// Files written by GDAL: HATCH polygons in DXF, LIBKML's KMZ, closed line polylines

fn gdal_fixture(name: &str) -> Vec<u8> {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/gdal")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn check(layer: SourceLayer) -> minplan_domain::layer::ParsedLayer {
    check_layer(
        layer,
        None,
        &LayerOptions {
            id_property: None,
            zone: zone44(),
            buffer_m: None,
            region: None,
        },
    )
    .unwrap()
}

/// A closed axis-parallel ring as GDAL writes it: x0,y0 → x1,y0 → x1,y1 → x0,y1 → x0,y0.
fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<(f64, f64)> {
    vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
}

/// The polygons of `source.geojson` as `ogrinfo hatch.dxf` prints them: one HATCH per
/// polygon (the multipolygon is two), the hole as the second boundary path (wound the
/// other way, as GDAL wrote it).
fn source_polygons() -> Vec<Vec<Rings>> {
    let hole = vec![
        (44432500.0, 4920500.0),
        (44432500.0, 4921000.0),
        (44433000.0, 4921000.0),
        (44433000.0, 4920500.0),
        (44432500.0, 4920500.0),
    ];
    vec![
        vec![vec![square(44430000.0, 4920000.0, 44431000.0, 4921000.0)]],
        vec![vec![
            square(44432000.0, 4920000.0, 44434000.0, 4922000.0),
            hole,
        ]],
        vec![vec![square(44435000.0, 4920000.0, 44435500.0, 4920500.0)]],
        vec![vec![square(44436000.0, 4920000.0, 44436500.0, 4920500.0)]],
    ]
}

#[test]
fn gdal_hatch_dxf_reads_one_feature_per_hatch_like_ogrinfo() {
    // ogrinfo -al hatch.dxf: 4 features, layer 0, HATCH; feature 1 has a hole.
    let layer = read_dxf("hatch.dxf", &gdal_fixture("hatch.dxf")).unwrap();
    assert_eq!(layer.crs, Some(Crs::GaussKruger(zone44())));
    let ids: Vec<&str> = layer.features.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["0#1", "0#2", "0#3", "0#4"]);
    let got: Vec<Vec<Rings>> = (0..4).map(|i| polygons(&layer, i)).collect();
    assert_eq!(got, source_polygons());
    assert!(layer.features.iter().all(|f| prop_is(f, "layer", "0")));
    assert!(
        layer.notes.iter().any(|n| n.contains("4 个填充（HATCH）")),
        "{:?}",
        layer.notes
    );
    // The domain's checks accept every ring as closed and valid.
    let parsed = check(layer);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let areas: Vec<f64> = parsed.features.iter().map(|f| f.area_km2).collect();
    for (a, e) in areas.iter().zip([1.0, 3.75, 0.25, 0.25]) {
        assert!((a - e).abs() / e < 1e-3, "{areas:?}");
    }
}

fn prop_is(f: &minplan_domain::layer::SourceFeature, key: &str, value: &str) -> bool {
    f.properties.get(key).and_then(|v| v.as_str()) == Some(value)
}

#[test]
fn gdal_hatch_dxf_with_chinese_layer_names_written_as_utf8() {
    // GDAL declares $DWGCODEPAGE ANSI_1252 but writes UTF-8 (ogrinfo shows the names with
    // --config DXF_ENCODING UTF-8).
    let layer = read_dxf("hatch_layers.dxf", &gdal_fixture("hatch_layers.dxf")).unwrap();
    let ids: Vec<&str> = layer.features.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "绥芬河生态保护红线一区#1",
            "阜宁镇红线（含挖空）#1",
            "两片红线#1",
            "两片红线#2"
        ]
    );
    assert_eq!(
        layer.features[1].name.as_deref(),
        Some("阜宁镇红线（含挖空）")
    );
    assert!(prop_is(&layer.features[3], "layer", "两片红线"));
    let got: Vec<Vec<Rings>> = (0..4).map(|i| polygons(&layer, i)).collect();
    assert_eq!(got, source_polygons());
    assert!(
        layer
            .notes
            .iter()
            .any(|n| n.contains("UTF-8") && n.contains("ANSI_1252")),
        "{:?}",
        layer.notes
    );
}

#[test]
fn gdal_lines_dxf_closed_polylines_are_closed_rings_without_warnings() {
    // ogr2ogr -nlt MULTILINESTRING: five LWPOLYLINEs (flag 70 = 0, last vertex = first) on
    // layer 0; grouped by containment into the four polygons.
    let layer = read_dxf("lines.dxf", &gdal_fixture("lines.dxf")).unwrap();
    let got: Vec<Vec<Rings>> = (0..layer.features.len())
        .map(|i| polygons(&layer, i))
        .collect();
    assert_eq!(got, source_polygons());
    let parsed = check(layer);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert_eq!(parsed.features.len(), 4);
}

#[test]
fn dxf_closed_flag_and_repeated_first_vertex_give_closed_rings() {
    let mut repeated = shell();
    repeated.push(repeated[0]);
    let bytes = dxf_r2000(vec![
        lwpolyline("甲", &shell(), true),
        lwpolyline("乙", &repeated, false),
        lwpolyline("丙", &repeated, true),
    ]);
    let layer = read_dxf("闭合.dxf", &bytes).unwrap();
    for i in 0..3 {
        assert_eq!(polygons(&layer, i), vec![vec![closed(&shell())]], "{i}");
    }
    let parsed = check(layer);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert_eq!(parsed.features.len(), 3);
}

#[test]
fn written_dxf_reads_back_without_unclosed_ring_warnings() {
    // A corridor (a line buffered 50 m) next to the export layer's features.
    let corridor = minplan_domain::layer::parse_geojson_layer(
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"运矿道路"},
        "geometry":{"type":"LineString","coordinates":[[131.10,44.40],[131.12,44.41],[131.13,44.40]]}}]}"#,
        &LayerOptions {
            id_property: None,
            zone: zone44(),
            buffer_m: Some(50.0),
            region: None,
        },
    )
    .unwrap();
    assert_eq!(corridor.features.len(), 1, "{:?}", corridor.problems);
    let mut layer = export_layer();
    layer.features.push(ExportFeature {
        name: "运矿道路".into(),
        lonlat: corridor.features[0].polygons.clone(),
        plane: None,
        labels: None,
        values: vec!["运矿道路".into(), FieldValue::Null, FieldValue::Null],
    });
    let bytes = write_dxf(std::slice::from_ref(&layer)).unwrap();
    let back = read_dxf("导出.dxf", &bytes).unwrap();
    let parsed = check(back);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert!(
        !parsed.warnings.iter().any(|w| w.message.contains("未闭合")),
        "{:?}",
        parsed.warnings
    );
    assert_eq!(parsed.features.len(), 4);
}

/// A HATCH with the groups AutoCAD writes around the boundary paths: an elevation point
/// and extrusion before them, seed points after (none of them vertices).
fn hatch(layer: &str, paths: &[(i32, &str)]) -> Vec<(i32, String)> {
    let mut v: Vec<(i32, &str)> = vec![
        (0, "HATCH"),
        (5, "3F"),
        (100, "AcDbEntity"),
        (8, layer),
        (100, "AcDbHatch"),
        (10, "0.0"),
        (20, "0.0"),
        (30, "0.0"),
        (210, "0.0"),
        (220, "0.0"),
        (230, "1.0"),
        (2, "SOLID"),
        (70, "1"),
        (71, "1"),
    ];
    v.extend_from_slice(paths);
    v.extend([
        (75, "1"),
        (76, "1"),
        (98, "1"),
        (10, "44420500.0"),
        (20, "4907500.0"),
    ]);
    v.into_iter().map(|(c, s)| (c, s.to_owned())).collect()
}

#[test]
fn dxf_hatch_edge_and_polyline_paths_arcs_and_repeated_boundaries() {
    let s = shell();
    let xs: Vec<[String; 2]> = s
        .iter()
        .map(|p| [p.0.to_string(), p.1.to_string()])
        .collect();
    // Path 1: four line edges (external, not a polyline path); path 2: the hole as a
    // polyline path with bulges of 0 and its source object.
    let mut a: Vec<(i32, &str)> = vec![(91, "2"), (92, "1"), (93, "4")];
    for k in 0..4 {
        let e = &xs[(k + 1) % 4];
        a.extend([
            (72, "1"),
            (10, xs[k][0].as_str()),
            (20, xs[k][1].as_str()),
            (11, e[0].as_str()),
            (21, e[1].as_str()),
        ]);
    }
    a.extend([(97, "0"), (92, "2"), (72, "1"), (73, "1"), (93, "3")]);
    let hs: Vec<[String; 2]> = hole()
        .iter()
        .map(|p| [p.0.to_string(), p.1.to_string()])
        .collect();
    for h in &hs {
        a.extend([(10, h[0].as_str()), (20, h[1].as_str()), (42, "0.0")]);
    }
    a.extend([(97, "1"), (330, "7B")]);
    // An arc edge.
    let b: Vec<(i32, &str)> = vec![
        (91, "1"),
        (92, "0"),
        (93, "2"),
        (72, "1"),
        (10, "44420000"),
        (20, "4907000"),
        (11, "44421000"),
        (21, "4907000"),
        (72, "2"),
        (10, "44420500"),
        (20, "4907000"),
        (40, "500"),
        (50, "0"),
        (51, "180"),
        (73, "1"),
        (97, "0"),
    ];
    // A polyline path with a bulge at its second vertex.
    let c: Vec<(i32, &str)> = vec![
        (91, "1"),
        (92, "2"),
        (72, "1"),
        (73, "1"),
        (93, "3"),
        (10, "44420000"),
        (20, "4907000"),
        (42, "0"),
        (10, "44421000"),
        (20, "4907000"),
        (42, "0.4"),
        (10, "44421000"),
        (20, "4908000"),
        (42, "0"),
        (97, "0"),
    ];
    // Hatch of the closed polyline 2A on layer 边界: read once, as the polyline.
    let d: Vec<(i32, &str)> = vec![
        (91, "1"),
        (92, "3"),
        (72, "0"),
        (73, "1"),
        (93, "3"),
        (10, "44425000"),
        (20, "4907000"),
        (10, "44425100"),
        (20, "4907000"),
        (10, "44425100"),
        (20, "4907100"),
        (97, "1"),
        (330, "2A"),
    ];
    let boundary = [
        (44425000.0, 4907000.0),
        (44425100.0, 4907000.0),
        (44425100.0, 4907100.0),
    ];
    let bytes = dxf_r2000(vec![
        hatch("采区", &a),
        hatch("采区", &b),
        lwpolyline("边界", &boundary, true),
        hatch("采区", &c),
        hatch("边界", &d),
    ]);
    let layer = read_dxf("填充.dxf", &bytes).unwrap();
    let ids: Vec<&str> = layer.features.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["采区#1", "采区#2", "采区#3", "边界#1"]);
    assert_eq!(
        polygons(&layer, 0),
        vec![vec![closed(&shell()), closed(&hole())]]
    );
    let text = String::from_utf8(bytes.clone()).unwrap();
    let hatch_line = text.lines().position(|l| l == "HATCH").unwrap();
    assert_eq!(layer.features[0].line, Some(hatch_line));
    let arc = layer.features[1].geometry.clone().unwrap_err();
    assert!(arc.contains("图层“采区”"), "{arc}");
    assert!(arc.contains("第 1 条边界第 2 条边是圆弧"), "{arc}");
    let bulge = layer.features[2].geometry.clone().unwrap_err();
    assert!(bulge.contains("图层“采区”"), "{bulge}");
    assert!(bulge.contains("第 2 个顶点有凸度"), "{bulge}");
    assert_eq!(polygons(&layer, 3), vec![vec![closed(&boundary)]]);
    assert!(
        layer.notes.iter().any(|n| n.contains("填充不重复读取")),
        "{:?}",
        layer.notes
    );
    assert_eq!(layer.crs, Some(Crs::GaussKruger(zone44())));
}

#[test]
fn empty_dxf_and_kml_say_the_file_is_empty() {
    for bytes in [b"".as_slice(), b" \r\n\n  \t\n".as_slice()] {
        let err = read_dxf("空.dxf", bytes).unwrap_err();
        assert!(err.0.starts_with("空.dxf：文件是空的"), "{err}");
        let err = read_kml("空.kml", bytes).unwrap_err();
        assert!(err.0.starts_with("空.kml：文件是空的"), "{err}");
    }
}

#[test]
fn malformed_kml_says_not_valid_xml_with_the_line() {
    // Cut off inside <coordinates> (the tester's broken.kml).
    let cut = "<?xml version=\"1.0\"?><kml><Document><Placemark><name>坏</name><Polygon>\
               <outerBoundaryIs><LinearRing><coordinates>131.1,44.4 131.11,44.4";
    let err = read_kml("坏.kml", cut.as_bytes()).unwrap_err();
    assert!(
        err.0.starts_with("坏.kml：第 1 行：不是有效的 XML"),
        "{err}"
    );
    assert!(err.0.contains("</coordinates>"), "{err}");
    assert!(!err.0.contains("地标"), "{err}");

    let mismatched = "<kml>\n<Document>\n<Placemark>\n<name>甲</Placemark>\n</Document>\n</kml>";
    let err = read_kml("错.kml", mismatched.as_bytes()).unwrap_err();
    assert!(
        err.0.starts_with("错.kml：第 4 行：不是有效的 XML"),
        "{err}"
    );

    // In a KMZ the entry is named.
    let kmz = zip_bytes(&[("doc.kml", cut.as_bytes())]);
    let err = read_kmz("坏.kmz", &kmz).unwrap_err();
    assert!(
        err.0
            .starts_with("坏.kmz（doc.kml）：第 1 行：不是有效的 XML"),
        "{err}"
    );
}

#[test]
fn gdal_libkml_kmz_reads_the_linked_layer_file() {
    // ogrinfo -al libkml.kmz: layer hongxian, 3 features.
    let layer = read_kmz("libkml.kmz", &gdal_fixture("libkml.kmz")).unwrap();
    assert_eq!(layer.crs, Some(Crs::Geographic));
    let ids: Vec<&str> = layer.features.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["hongxian.1", "hongxian.2", "hongxian.3"]);
    let names: Vec<&str> = (0..3).map(|i| prop(&layer, i, "名称")).collect();
    assert_eq!(
        names,
        ["绥芬河生态保护红线一区", "阜宁镇红线（含挖空）", "两片红线"]
    );
    assert_eq!(prop(&layer, 1, "MJ"), "3.75");
    assert_eq!(prop(&layer, 0, "PZRQ"), "2022/10/14");
    assert!((0..3).all(|i| prop(&layer, i, "folder") == "hongxian"));
    assert_eq!(layer.features[0].line, Some(11));
    assert_eq!(
        polygons(&layer, 0),
        vec![vec![vec![
            (131.121142839116, 44.4121980654001),
            (131.13369650411, 44.4122939737892),
            (131.133563630729, 44.4212921923063),
            (131.121008040857, 44.4211962539841),
            (131.121142839116, 44.4121980654001),
        ]]]
    );
    let p = polygons(&layer, 1);
    assert_eq!((p.len(), p[0].len()), (1, 2));
    assert_eq!(p[0][1][0], (131.152462132222, 44.4169343828166));
    let p = polygons(&layer, 2);
    assert_eq!(p.len(), 2);
    assert!(p.iter().all(|q| q.len() == 1 && q[0].len() == 5));
    assert_eq!(p[1][0][2], (131.202681610502, 44.417295999379));
    let parsed = check(layer);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    let areas: Vec<f64> = parsed.features.iter().map(|f| f.area_km2).collect();
    for (a, e) in areas.iter().zip([1.0, 3.75, 0.5]) {
        assert!((a - e).abs() / e < 2e-3, "{areas:?}");
    }
}

#[test]
fn kmz_merges_every_kml_entry_doc_kml_first() {
    let doc = r#"<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>总图</name>
<Placemark><name>总图内</name><Polygon><outerBoundaryIs><LinearRing><coordinates>131.0,44.0 131.01,44.0 131.01,44.01 131.0,44.0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
<NetworkLink><Link><href>layers/甲.kml</href></Link></NetworkLink></Document></kml>"#;
    let a = r#"<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>红线</name>
<Folder><name>一区</name>
<Placemark><name>甲一</name><Polygon><outerBoundaryIs><LinearRing><coordinates>131.1,44.0 131.11,44.0 131.11,44.01 131.1,44.0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Folder>
<Placemark><name>甲二</name><Polygon><outerBoundaryIs><LinearRing><coordinates>131.2,44.0 131.21,44.0 131.21,44.01 131.2,44.0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>
</Document></kml>"#;
    let b = r#"<kml><Placemark><name>乙</name><Polygon><outerBoundaryIs><LinearRing><coordinates>131.3,44.0 131.31,44.0 131.31,44.01 131.3,44.0</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></kml>"#;
    // doc.kml is not the first entry of the archive; the others keep archive order.
    let kmz = zip_bytes(&[
        ("layers/乙.kml", b.as_bytes()),
        ("files/a.png", b"png".as_slice()),
        ("layers/甲.kml", a.as_bytes()),
        ("doc.kml", doc.as_bytes()),
    ]);
    let layer = read_kmz("合并.kmz", &kmz).unwrap();
    let names: Vec<&str> = layer
        .features
        .iter()
        .map(|f| f.name.as_deref().unwrap())
        .collect();
    assert_eq!(names, ["总图内", "乙", "甲一", "甲二"]);
    let ids: Vec<&str> = layer.features.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(ids, ["#1", "#2", "#3", "#4"]);
    // doc.kml's own Document name is not a folder (as for a plain KML); the linked
    // files' Document names are.
    assert!(!layer.features[0].properties.contains_key("folder"));
    assert!(!layer.features[1].properties.contains_key("folder"));
    assert_eq!(prop(&layer, 2, "folder"), "红线/一区");
    assert_eq!(prop(&layer, 3, "folder"), "红线");
    assert_eq!(layer.features[2].line, Some(3));
    assert!(
        layer
            .notes
            .iter()
            .any(|n| n.contains("3 个 KML") && n.contains("doc.kml、layers/乙.kml、layers/甲.kml")),
        "{:?}",
        layer.notes
    );

    // Only a link: "no Placemark" names the archive, not doc.kml.
    let link = r#"<kml><Document><NetworkLink><Link><href>x.kml</href></Link></NetworkLink></Document></kml>"#;
    let err = read_kmz("链接.kmz", &zip_bytes(&[("doc.kml", link.as_bytes())])).unwrap_err();
    assert_eq!(err.0, "链接.kmz：KML 中没有地标（Placemark）要素");

    // The inflate limit counts all entries.
    let bomb = declare_size(
        zip_bytes(&[("doc.kml", doc.as_bytes()), ("layers/甲.kml", a.as_bytes())]),
        200 * 1024 * 1024,
    );
    let err = read_kmz("炸弹.kmz", &bomb).unwrap_err();
    assert!(err.0.contains("layers/甲.kml"), "{err}");
    assert!(err.0.contains("256 MiB"), "{err}");
}

// GDAL at test time: ogr2ogr writes the files, ogrinfo says what they hold.

fn ogr2ogr(args: &[&str]) {
    let out = std::process::Command::new("ogr2ogr")
        .args(args)
        .output()
        .expect("ogr2ogr runs (gdal-bin)");
    assert!(
        out.status.success(),
        "ogr2ogr failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn gdal_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("kml_dxf_gdal");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The (multi)polygons of `ogrinfo -al` output, one per feature, x y only.
fn ogrinfo_polygons(text: &str) -> Vec<Vec<Rings>> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        let multi = line.starts_with("MULTIPOLYGON");
        if !(multi || line.starts_with("POLYGON")) {
            continue;
        }
        let Some(start) = line.find('(') else {
            out.push(Vec::new()); // EMPTY
            continue;
        };
        let (poly_depth, ring_depth) = if multi { (2, 3) } else { (1, 2) };
        let mut polys: Vec<Rings> = Vec::new();
        let mut depth = 0;
        let mut buf = String::new();
        for ch in line[start..].chars() {
            match ch {
                '(' => {
                    depth += 1;
                    if depth == poly_depth {
                        polys.push(Vec::new());
                    }
                    if depth == ring_depth {
                        buf.clear();
                    }
                }
                ')' => {
                    if depth == ring_depth {
                        let ring = buf
                            .split(',')
                            .map(|t| {
                                let v: Vec<f64> =
                                    t.split_whitespace().map(|n| n.parse().unwrap()).collect();
                                (v[0], v[1])
                            })
                            .collect();
                        polys.last_mut().unwrap().push(ring);
                    }
                    depth -= 1;
                }
                c if depth == ring_depth => buf.push(c),
                _ => {}
            }
        }
        out.push(polys);
    }
    out
}

fn assert_same_rings(ours: &[Vec<Rings>], gdal: &[Vec<Rings>], tol: f64) {
    assert_eq!(ours.len(), gdal.len(), "features: {ours:?} vs {gdal:?}");
    for (i, (a, b)) in ours.iter().zip(gdal).enumerate() {
        assert_eq!(a.len(), b.len(), "feature {i}: polygons {a:?} vs {b:?}");
        for (p, q) in a.iter().zip(b) {
            assert_eq!(p.len(), q.len(), "feature {i}: rings {p:?} vs {q:?}");
            for (r, s) in p.iter().zip(q) {
                assert_eq!(r.len(), s.len(), "feature {i}: ring {r:?} vs {s:?}");
                for (u, v) in r.iter().zip(s) {
                    assert!(
                        (u.0 - v.0).abs() <= tol && (u.1 - v.1).abs() <= tol,
                        "feature {i}: {u:?} vs {v:?}"
                    );
                }
            }
        }
    }
}

fn source_geojson() -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/gdal/source.geojson")
        .display()
        .to_string()
}

#[test]
#[ignore = "needs gdal-bin (ogr2ogr); .ci/run installs it and runs it with --ignored"]
fn gdal_ogr2ogr_hatch_dxf_reads_as_ogrinfo_does() {
    let dir = gdal_dir();
    // The committed fixture's source, and a polygon drawn inside another polygon of the
    // same layer (GDAL: two features, not one with a hole).
    let nested = dir.join("nested.geojson");
    std::fs::write(
        &nested,
        r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4532"}},"features":[
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[44430000,4920000],[44431000,4920000],[44431000,4921000],[44430000,4921000],[44430000,4920000]]]}},
{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[44430200,4920200],[44430400,4920200],[44430400,4920400],[44430200,4920400],[44430200,4920200]]]}}]}"#,
    )
    .unwrap();
    let source = source_geojson();
    for (name, src, sql) in [
        ("hatch.dxf", source.as_str(), None),
        (
            "hatch_layers.dxf",
            source.as_str(),
            Some(r#"SELECT "名称" AS "Layer" FROM hongxian"#),
        ),
        ("nested.dxf", nested.to_str().unwrap(), None),
    ] {
        let out = dir.join(name);
        let _ = std::fs::remove_file(&out);
        let mut args = vec!["-f", "DXF", out.to_str().unwrap(), src];
        if let Some(q) = sql {
            args.extend(["-sql", q]);
        }
        ogr2ogr(&args);
        let layer = read_dxf(name, &std::fs::read(&out).unwrap()).unwrap();
        let info = ogrinfo(&out, &["-al", "--config", "DXF_ENCODING", "UTF-8"]);
        let ours: Vec<Vec<Rings>> = (0..layer.features.len())
            .map(|i| polygons(&layer, i))
            .collect();
        assert_same_rings(&ours, &ogrinfo_polygons(&info), 1e-6);
        let gdal_layers: Vec<&str> = info
            .lines()
            .filter_map(|l| l.trim().strip_prefix("Layer (String) = "))
            .collect();
        let our_layers: Vec<&str> = (0..layer.features.len())
            .map(|i| prop(&layer, i, "layer"))
            .collect();
        assert_eq!(our_layers, gdal_layers, "{name}");
        let parsed = check(layer);
        assert!(parsed.problems.is_empty(), "{name}: {:?}", parsed.problems);
        assert!(parsed.warnings.is_empty(), "{name}: {:?}", parsed.warnings);
    }
    // What the committed fixtures hold.
    let info = ogrinfo(&dir.join("hatch.dxf"), &["-al"]);
    assert_eq!(ogrinfo_polygons(&info), source_polygons());
    assert!(info.contains("Feature Count: 4"), "{info}");
    assert_eq!(info.matches("AcDbHatch").count(), 4, "{info}");
}

#[test]
#[ignore = "needs gdal-bin (ogr2ogr); .ci/run installs it and runs it with --ignored"]
fn gdal_ogr2ogr_libkml_kmz_reads_as_ogrinfo_does() {
    let dir = gdal_dir();
    let out = dir.join("libkml.kmz");
    let _ = std::fs::remove_file(&out);
    ogr2ogr(&["-f", "LIBKML", out.to_str().unwrap(), &source_geojson()]);
    let bytes = std::fs::read(&out).unwrap();
    // doc.kml holds only the link to layers/hongxian.kml.
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut doc = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("doc.kml").unwrap(), &mut doc).unwrap();
    assert!(doc.contains("<href>layers/hongxian.kml</href>"), "{doc}");
    assert!(!doc.contains("Placemark"), "{doc}");

    let layer = read_kmz("libkml.kmz", &bytes).unwrap();
    let info = ogrinfo(&out, &["-al"]);
    let ours: Vec<Vec<Rings>> = (0..layer.features.len())
        .map(|i| polygons(&layer, i))
        .collect();
    assert_same_rings(&ours, &ogrinfo_polygons(&info), 1e-12);
    let gdal_names: Vec<&str> = info
        .lines()
        .filter_map(|l| l.trim().strip_prefix("名称 (String) = "))
        .collect();
    assert_eq!(gdal_names.len(), 3, "{info}");
    let our_names: Vec<&str> = (0..layer.features.len())
        .map(|i| prop(&layer, i, "名称"))
        .collect();
    assert_eq!(our_names, gdal_names);
    assert!(info.contains("Layer name: hongxian"), "{info}");
    assert!((0..3).all(|i| prop(&layer, i, "folder") == "hongxian"));
    let parsed = check(layer);
    assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
}

#[test]
#[ignore = "needs gdal-bin (ogr2ogr); .ci/run installs it and runs it with --ignored"]
fn gdal_ogr2ogr_line_dxf_rings_are_closed() {
    let dir = gdal_dir();
    let out = dir.join("lines.dxf");
    let _ = std::fs::remove_file(&out);
    ogr2ogr(&[
        "-f",
        "DXF",
        out.to_str().unwrap(),
        &source_geojson(),
        "-nlt",
        "MULTILINESTRING",
    ]);
    let info = ogrinfo(&out, &["-al"]);
    // GDAL: five closed LINESTRINGs (last vertex = first).
    let lines: Vec<&str> = info
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("LINESTRING"))
        .collect();
    assert_eq!(lines.len(), 5, "{info}");
    let layer = read_dxf("lines.dxf", &std::fs::read(&out).unwrap()).unwrap();
    let rings: Vec<Vec<(f64, f64)>> = (0..layer.features.len())
        .flat_map(|i| polygons(&layer, i))
        .flatten()
        .collect();
    assert_eq!(rings.len(), 5);
    assert!(rings.iter().all(|r| r.len() == 5 && r[0] == r[4]));
    let parsed = check(layer);
    assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    assert_eq!(parsed.features.len(), 4);
}

#[test]
fn dxf_hatch_with_fewer_vertices_than_declared_does_not_read_seed_points() {
    // 93 says 4 vertices, 3 are given: the seed point after the path is not the 4th.
    let p: Vec<(i32, &str)> = vec![
        (91, "1"),
        (92, "2"),
        (72, "0"),
        (73, "1"),
        (93, "4"),
        (10, "44420000"),
        (20, "4907000"),
        (10, "44421000"),
        (20, "4907000"),
        (10, "44421000"),
        (20, "4908000"),
        (97, "0"),
    ];
    let layer = read_dxf("缺点.dxf", &dxf_r2000(vec![hatch("采区", &p)])).unwrap();
    let msg = layer.features[0].geometry.clone().unwrap_err();
    assert!(
        msg.contains("图层“采区”") && msg.contains("第 1 条边界数据不完整（缺少第 4 个顶点）"),
        "{msg}"
    );
}
