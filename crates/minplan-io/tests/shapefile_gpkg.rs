//! Shapefile and GeoPackage: files GDAL wrote are read back with the right names, CRS and
//! geometry; our files are read by our readers and (with `gdal-bin`) by GDAL; bad input is
//! refused with a message that names the file.

use minplan_domain::layer::{LayerOptions, SourceGeometry, check_layer};
use minplan_geo::{Crs, GaussKrugerZone};
use minplan_io::export::{ExportFeature, ExportField, ExportLayer, FieldKind, FieldValue};
use minplan_io::{InputFile, ReadOptions, read_layer};
use std::path::Path;

fn data(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(rel),
    )
    .unwrap()
}

fn files(dir: &str, names: &[&str]) -> Vec<InputFile> {
    names
        .iter()
        .map(|n| InputFile {
            name: n.to_string(),
            bytes: data(&format!("{dir}/{n}")),
        })
        .collect()
}

fn zone44() -> GaussKrugerZone {
    GaussKrugerZone::three_degree(44, false).unwrap()
}

fn opts() -> ReadOptions {
    ReadOptions {
        zone: Some(zone44()),
        ..ReadOptions::default()
    }
}

fn names(l: &minplan_domain::layer::SourceLayer) -> Vec<String> {
    l.features
        .iter()
        .map(|f| f.name.clone().unwrap_or_default())
        .collect()
}

const NAMES: [&str; 3] = ["绥芬河生态保护红线一区", "阜宁镇红线（含挖空）", "两片红线"];

fn assert_hongxian(l: &minplan_domain::layer::SourceLayer) {
    assert_eq!(
        l.crs,
        Some(Crs::from_epsg(4532).unwrap()),
        "notes: {:?}",
        l.notes
    );
    assert_eq!(names(l), NAMES);
    let SourceGeometry::Polygons(p) = l.features[1].geometry.clone().unwrap() else {
        panic!()
    };
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].len(), 2, "shell + hole");
    assert!(p[0][1].contains(&(44432500.0, 4920500.0)));
    let SourceGeometry::Polygons(p) = l.features[2].geometry.clone().unwrap() else {
        panic!()
    };
    assert_eq!(p.len(), 2, "two polygons");
    let checked = check_layer(
        l.clone(),
        None,
        &LayerOptions {
            id_property: None,
            zone: zone44(),
            buffer_m: None,
            region: None,
        },
    )
    .unwrap();
    assert!(checked.problems.is_empty(), "{:?}", checked.problems);
    let areas: Vec<f64> = checked.features.iter().map(|f| f.area_km2).collect();
    // Plane areas 1, 3.75, 0.5 km²; 1.5 km from the central meridian the scale error is ~3e-8.
    for (a, want) in areas.iter().zip([1.0, 3.75, 0.5]) {
        assert!((a - want).abs() / want < 2e-3, "{areas:?}");
    }
}

#[test]
fn gdal_shapefile_in_gbk_with_cpg() {
    let l = read_layer(
        &files(
            "gdal/shp_gbk",
            &[
                "hongxian.shp",
                "hongxian.shx",
                "hongxian.dbf",
                "hongxian.prj",
                "hongxian.cpg",
            ],
        ),
        &opts(),
    )
    .unwrap();
    assert_hongxian(&l);
    assert!(
        l.notes
            .iter()
            .any(|n| n.contains("GBK") && n.contains(".cpg")),
        "{:?}",
        l.notes
    );
    assert_eq!(l.features[0].properties["BSM"], serde_json::json!(1));
    assert_eq!(l.features[1].properties["MJ"], serde_json::json!(3.75));
    assert_eq!(
        l.features[0].properties["PZRQ"],
        serde_json::json!("2022-10-14")
    );
    assert_eq!(l.features[2].properties["PZRQ"], serde_json::Value::Null);
}

#[test]
fn gdal_shapefile_without_cpg_reads_ldid_0x4d() {
    let l = read_layer(
        &files(
            "gdal/shp_ldid",
            &[
                "hongxian.shp",
                "hongxian.shx",
                "hongxian.dbf",
                "hongxian.prj",
            ],
        ),
        &opts(),
    )
    .unwrap();
    assert_hongxian(&l);
    assert!(l.notes.iter().any(|n| n.contains("0x4D")), "{:?}", l.notes);
}

#[test]
fn gdal_shapefile_as_zip() {
    let l = read_layer(
        &[InputFile {
            name: "红线.zip".into(),
            bytes: data("gdal/hongxian_gbk.zip"),
        }],
        &opts(),
    )
    .unwrap();
    assert_hongxian(&l);
}

#[test]
fn without_cpg_or_ldid_the_encoding_is_detected_and_said() {
    let mut f = files(
        "gdal/shp_gbk",
        &[
            "hongxian.shp",
            "hongxian.shx",
            "hongxian.dbf",
            "hongxian.prj",
        ],
    );
    let l = read_layer(&f, &opts()).unwrap();
    assert_eq!(names(&l), NAMES);
    assert!(
        l.notes.iter().any(|n| n.contains("按 GBK 读取")),
        "{:?}",
        l.notes
    );
    // The user can override: read as UTF-8 the GBK bytes are refused, naming the field.
    let err = read_layer(
        &f,
        &ReadOptions {
            encoding: Some(encoding_rs::UTF_8),
            ..opts()
        },
    )
    .unwrap_err();
    assert!(
        err.0.contains("hongxian.dbf") && err.0.contains("UTF-8"),
        "{err}"
    );
    // And a .cpg that says UTF-8 over GBK bytes is refused too, never shown as mojibake.
    f.push(InputFile {
        name: "hongxian.cpg".into(),
        bytes: b"UTF-8".to_vec(),
    });
    assert!(read_layer(&f, &opts()).is_err());
}

#[test]
fn gdal_geopackage() {
    let l = read_layer(
        &[InputFile {
            name: "红线.gpkg".into(),
            bytes: data("gdal/hongxian.gpkg"),
        }],
        &opts(),
    )
    .unwrap();
    assert_hongxian(&l);
    assert!(l.notes.iter().any(|n| n.contains("生态保护红线")));
}

#[test]
fn the_real_cp1250_shapefile_is_read_with_its_declared_code_page() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real/shapefile-cp1250");
    let files: Vec<InputFile> = [
        "codepage.shp",
        "codepage.shx",
        "codepage.dbf",
        "codepage.prj",
        "codepage.cpg",
    ]
    .iter()
    .map(|n| InputFile {
        name: n.to_string(),
        bytes: std::fs::read(dir.join(n)).unwrap(),
    })
    .collect();
    let l = read_layer(&files, &opts()).unwrap();
    assert!(
        l.notes
            .iter()
            .any(|n| n.contains("windows-1250") && n.contains(".cpg")),
        "{:?}",
        l.notes
    );
    assert_eq!(l.crs, Some(Crs::Geographic));
    let values: Vec<String> = l
        .features
        .iter()
        .map(|f| f.properties["field"].as_str().unwrap().to_string())
        .collect();
    // The bytes 48 6E EC 76 6F 9A 69 63 6B FD 20 68 E1 6A in windows-1250 (shapefile-js's own
    // test expects the same text; the first record holds literal question marks).
    assert_eq!(values, ["??", "Hněvošický háj"], "{values:?}");
    // They are points: a layer of areas refuses each one by name.
    let checked = check_layer(
        l,
        None,
        &LayerOptions {
            id_property: None,
            zone: zone44(),
            buffer_m: None,
            region: None,
        },
    )
    .unwrap();
    assert!(checked.features.is_empty());
    assert_eq!(checked.problems.len(), 2);
    assert!(checked.problems[0].message.contains("点要素"));
}

/// A layer of two features in zone 44 (prefixed), one with a hole, Chinese text and long
/// field names that must be shortened.
fn export_layer() -> ExportLayer {
    let zone = GaussKrugerZone::three_degree(44, true).unwrap();
    let sq = |x0: f64, y0: f64, s: f64| {
        vec![
            (x0, y0),
            (x0 + s, y0),
            (x0 + s, y0 + s),
            (x0, y0 + s),
            (x0, y0),
        ]
    };
    let tm = zone.projection();
    let to_ll = |p: &Vec<Vec<(f64, f64)>>| -> Vec<Vec<[f64; 2]>> {
        p.iter()
            .map(|r| {
                r.iter()
                    .map(|&(e, n)| {
                        let (lon, lat) = tm.inverse(e, n);
                        [lon, lat]
                    })
                    .collect()
            })
            .collect()
    };
    let a = vec![sq(44_430_000.125, 4_920_000.375, 1000.0)];
    let mut hole = sq(44_432_500.0, 4_920_500.0, 500.0);
    hole.reverse();
    let b = vec![sq(44_432_000.0, 4_920_000.0, 2000.0), hole];
    ExportLayer {
        name: "采矿权".into(),
        zone,
        fields: vec![
            ExportField {
                name: "许可证号".into(),
                kind: FieldKind::Text,
            },
            ExportField {
                name: "矿业权人名称".into(),
                kind: FieldKind::Text,
            },
            ExportField {
                name: "矿业权人地址".into(),
                kind: FieldKind::Text,
            },
            ExportField {
                name: "面积（平方公里）".into(),
                kind: FieldKind::Real(4),
            },
            ExportField {
                name: "生产规模".into(),
                kind: FieldKind::Integer,
            },
            ExportField {
                name: "有效期止".into(),
                kind: FieldKind::Date,
            },
        ],
        features: vec![
            ExportFeature {
                name: "绥芬河市建兴石场".into(),
                lonlat: vec![to_ll(&a)],
                plane: Some(vec![a.clone()]),
                labels: None,
                values: vec![
                    "C2310812009127120045678".into(),
                    "绥芬河市建兴石材有限公司".into(),
                    "黑龙江省绥芬河市".into(),
                    FieldValue::Real(1.0),
                    FieldValue::Integer(10),
                    "2028-05-31".into(),
                ],
            },
            ExportFeature {
                name: "阜宁镇采石场".into(),
                lonlat: vec![to_ll(&b)],
                plane: None,
                labels: None,
                values: vec![
                    "C2310812010127120056789".into(),
                    FieldValue::Null,
                    "绥芬河市阜宁镇".into(),
                    FieldValue::Real(3.75),
                    FieldValue::Null,
                    FieldValue::Null,
                ],
            },
        ],
    }
}

#[test]
fn our_shapefile_zip_reads_back_with_entered_coordinates_and_short_gbk_names() {
    let layer = export_layer();
    let bytes = minplan_io::write(
        minplan_io::ExportFormat::Shapefile,
        std::slice::from_ref(&layer),
        &minplan_io::WriteOptions::default(),
    )
    .unwrap();
    let back = read_layer(
        &[InputFile {
            name: "out.zip".into(),
            bytes: bytes.clone(),
        }],
        &opts(),
    )
    .unwrap();
    assert_eq!(back.crs, Some(Crs::GaussKruger(layer.zone)));
    assert!(
        back.notes.iter().any(|n| n.contains("GBK")),
        "{:?}",
        back.notes
    );
    let SourceGeometry::Polygons(p) = back.features[0].geometry.clone().unwrap() else {
        panic!()
    };
    // Entered values exactly (the writer winds exteriors clockwise; same point set).
    let mut got: Vec<(f64, f64)> = p[0][0].clone();
    let mut want = layer.features[0].plane.as_ref().unwrap()[0][0].clone();
    got.sort_by(|a, b| a.partial_cmp(b).unwrap());
    want.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(got, want);
    let SourceGeometry::Polygons(p) = back.features[1].geometry.clone().unwrap() else {
        panic!()
    };
    assert_eq!(p[0].len(), 2, "hole kept");
    // 矿业权人名称 (12 bytes in GBK) and 矿业权人地址 both shorten to 矿业权人名 / 矿业权人地 (10 bytes).
    let props = &back.features[0].properties;
    assert_eq!(
        props["矿业权人名"],
        serde_json::json!("绥芬河市建兴石材有限公司")
    );
    assert_eq!(props["矿业权人地"], serde_json::json!("黑龙江省绥芬河市"));
    assert_eq!(
        props["许可证号"],
        serde_json::json!("C2310812009127120045678")
    );
    assert_eq!(props["有效期止"], serde_json::json!("2028-05-31"));
    assert_eq!(
        back.features[1].properties["矿业权人名"],
        serde_json::Value::Null
    );
    // The long → short table is in the zip.
    let z = minplan_io::archive::entries("out.zip", &bytes, |n| n.ends_with(".csv")).unwrap();
    let table = String::from_utf8(z[0].bytes.clone()).unwrap();
    assert!(table.contains("面积（平方公里）,面积（平方"), "{table}");
}

#[test]
fn field_names_are_cut_between_characters_and_unique() {
    let n = minplan_io::dbf::short_names(
        &[
            "矿业权人名称",
            "矿业权人名字",
            "AREA_KM2_TOTAL",
            "AREA_KM2_TOTAL2",
        ],
        encoding_rs::GBK,
    );
    let s: Vec<&str> = n.iter().map(|x| x.short.as_str()).collect();
    assert_eq!(s, ["矿业权人名", "矿业权人_2", "AREA_KM2_T", "AREA_KM2_2"]);
    for x in &n {
        assert!(encoding_rs::GBK.encode(&x.short).0.len() <= 10);
    }
    let n = minplan_io::dbf::short_names(&["矿业权人名称"], encoding_rs::UTF_8);
    assert_eq!(n[0].short, "矿业权"); // 9 bytes in UTF-8; a fourth character would be 12
}

#[test]
fn our_geopackage_reads_back() {
    let layer = export_layer();
    let bytes = minplan_io::write(
        minplan_io::ExportFormat::GeoPackage,
        std::slice::from_ref(&layer),
        &minplan_io::WriteOptions::default(),
    )
    .unwrap();
    let back = read_layer(
        &[InputFile {
            name: "out.gpkg".into(),
            bytes,
        }],
        &opts(),
    )
    .unwrap();
    assert_eq!(back.crs, Some(Crs::GaussKruger(layer.zone)));
    assert_eq!(back.features.len(), 2);
    assert_eq!(
        back.features[0].properties["矿业权人名称"],
        serde_json::json!("绥芬河市建兴石材有限公司")
    );
    assert_eq!(
        back.features[0].properties["面积（平方公里）"],
        serde_json::json!(1.0)
    );
    let SourceGeometry::Polygons(p) = back.features[0].geometry.clone().unwrap() else {
        panic!()
    };
    assert_eq!(p[0][0], layer.features[0].plane.as_ref().unwrap()[0][0]);
}

#[test]
fn rings_are_grouped_by_containment_not_by_winding() {
    let sq = |x: f64, y: f64, s: f64| vec![(x, y), (x + s, y), (x + s, y + s), (x, y + s), (x, y)];
    // Shell, a hole wound the same way, an island inside the hole, and a separate shell —
    // in an order that puts the island first.
    let rings = vec![
        sq(3.0, 3.0, 1.0),
        sq(0.0, 0.0, 10.0),
        sq(2.0, 2.0, 5.0),
        sq(20.0, 0.0, 2.0),
    ];
    let polys = minplan_domain::layer::group_rings(rings);
    assert_eq!(polys.len(), 3, "{polys:?}");
    let big = polys.iter().find(|p| p[0][0] == (0.0, 0.0)).unwrap();
    assert_eq!(big.len(), 2, "the big shell has the 5×5 hole");
    assert_eq!(big[1][0], (2.0, 2.0));
    assert!(
        polys.iter().any(|p| p.len() == 1 && p[0][0] == (3.0, 3.0)),
        "the island is a shell"
    );
    assert!(polys.iter().any(|p| p.len() == 1 && p[0][0] == (20.0, 0.0)));
}

#[test]
fn numbers_that_do_not_fit_the_declared_crs_are_problems_not_zero_areas() {
    // GDAL's zone-44 file with a .prj saying "no prefix" (EPSG:4553): the eastings 44 430 000
    // cannot be that CRS; every feature is refused, naming the CRS the numbers fit.
    let mut f = files(
        "gdal/shp_gbk",
        &[
            "hongxian.shp",
            "hongxian.shx",
            "hongxian.dbf",
            "hongxian.cpg",
        ],
    );
    let wrong = minplan_io::prj::esri_wkt(Crs::from_epsg(4553).unwrap());
    f.push(InputFile {
        name: "hongxian.prj".into(),
        bytes: wrong.into_bytes(),
    });
    let l = read_layer(&f, &opts()).unwrap();
    let o = LayerOptions {
        id_property: None,
        zone: zone44(),
        buffer_m: None,
        region: None,
    };
    let checked = check_layer(l, None, &o).unwrap();
    assert!(checked.features.is_empty());
    assert_eq!(checked.problems.len(), 3);
    let m = &checked.problems[0].message;
    assert!(
        m.contains("EPSG:4553 不符") && m.contains("坐标系应为 EPSG:4532"),
        "{m}"
    );
}

#[test]
fn a_layer_far_from_the_plan_region_is_refused() {
    let l = read_layer(
        &files(
            "gdal/shp_gbk",
            &[
                "hongxian.shp",
                "hongxian.shx",
                "hongxian.dbf",
                "hongxian.prj",
                "hongxian.cpg",
            ],
        ),
        &opts(),
    )
    .unwrap();
    // The features lie at 131.1°E 44.4°N; a region around 120°E puts them 800 km away.
    let far = LayerOptions {
        id_property: None,
        zone: zone44(),
        buffer_m: None,
        region: Some([119.5, 44.0, 120.5, 45.0]),
    };
    let checked = check_layer(l.clone(), None, &far).unwrap();
    assert_eq!(checked.problems.len(), 3);
    assert!(
        checked.problems[0].message.contains("规划区域之外"),
        "{}",
        checked.problems[0].message
    );
    let near = LayerOptions {
        region: Some([130.9, 44.2, 131.3, 44.6]),
        ..far
    };
    assert_eq!(check_layer(l, None, &near).unwrap().features.len(), 3);
}

#[test]
fn exporting_in_another_zone_moves_the_numbers_not_just_the_label() {
    let layer = export_layer();
    let unprefixed = Crs::from_epsg(4553).unwrap();
    let bytes = minplan_io::write(
        minplan_io::ExportFormat::Shapefile,
        std::slice::from_ref(&layer),
        &minplan_io::WriteOptions {
            crs: Some(unprefixed),
            ..Default::default()
        },
    )
    .unwrap();
    let back = read_layer(
        &[InputFile {
            name: "out.zip".into(),
            bytes,
        }],
        &opts(),
    )
    .unwrap();
    assert_eq!(back.crs, Some(unprefixed));
    let SourceGeometry::Polygons(p) = back.features[0].geometry.clone().unwrap() else {
        panic!()
    };
    // The entered corner 44 430 000.125 / 4 920 000.375 appears as 430 000.125 (to 1e-6 m:
    // projected from lon/lat into the same zone without its prefix).
    assert!(
        p[0][0]
            .iter()
            .any(|q| (q.0 - 430_000.125).abs() < 1e-6 && (q.1 - 4_920_000.375).abs() < 1e-6),
        "{:?}",
        p[0][0]
    );
}

#[test]
fn gbk_text_cut_mid_character_by_its_writer_reads_like_gdal() {
    let l = read_layer(
        &files(
            "gdal/trunc",
            &["cut.shp", "cut.shx", "cut.dbf", "cut.prj", "cut.cpg"],
        ),
        &opts(),
    )
    .unwrap();
    let names: Vec<_> = l
        .features
        .iter()
        .map(|f| f.properties["MC"].clone())
        .collect();
    // What ogrinfo reports: 红线, 红线 (each cut in its third character), 鑫淼.
    assert_eq!(
        names,
        [
            serde_json::json!("红线"),
            serde_json::json!("红线"),
            serde_json::json!("鑫淼")
        ]
    );
    assert_eq!(
        l.features[0].name.as_deref(),
        Some("红线"),
        "MC names the feature"
    );
}

#[test]
fn a_drawing_with_several_layers_asks_for_one() {
    let a = export_layer();
    let mut b = export_layer();
    b.name = "永久基本农田".into();
    let dxf = minplan_io::write(
        minplan_io::ExportFormat::Dxf,
        &[a, b],
        &minplan_io::WriteOptions::default(),
    )
    .unwrap();
    let f = [InputFile {
        name: "图.dxf".into(),
        bytes: dxf,
    }];
    let e = read_layer(&f, &opts()).unwrap_err();
    assert!(
        e.0.contains("请指定一个") && e.0.contains("采矿权") && e.0.contains("永久基本农田"),
        "{e}"
    );
    let one = read_layer(
        &f,
        &ReadOptions {
            layer: Some("永久基本农田".into()),
            ..opts()
        },
    )
    .unwrap();
    assert_eq!(one.features.len(), 2);
    let e = read_layer(
        &f,
        &ReadOptions {
            layer: Some("红线".into()),
            ..opts()
        },
    )
    .unwrap_err();
    assert!(e.0.contains("没有图层“红线”"), "{e}");
}
