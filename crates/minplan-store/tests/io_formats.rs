//! Real layer files through the store: a bureau's Shapefile red line reaches the review, the
//! register goes out as a Shapefile and comes back the same, a review's application goes out
//! with its corners as entered, and a broken file writes nothing.

use minplan_domain::layer::SourceGeometry;
use minplan_domain::plan::ControlLayerKind;
use minplan_domain::review::{Conclusion, RuleOutcome};
use minplan_io::export::{ExportFeature, ExportField, ExportLayer, FieldKind};
use minplan_io::{ExportFormat, InputFile, ReadOptions};
use minplan_store::{Actor, AuditFilter, ExportSet, LayerImport, ReviewEngine};
mod common;

use common::{plan_zone as zone, qingfa, qingfa_ring_4532 as qingfa_ring, seeded};

/// A GBK Shapefile (zip, EPSG:4532) with one red-line polygon, a 200 m square around the
/// quarry, named in Chinese, written as ArcGIS would (GBK, `.cpg`, ESRI `.prj`).
fn red_line_zip() -> Vec<u8> {
    let r = qingfa_ring();
    let (cx, cy) = (
        r.iter().map(|p| p.0).sum::<f64>() / r.len() as f64,
        r.iter().map(|p| p.1).sum::<f64>() / r.len() as f64,
    );
    let sq = vec![
        (cx - 100.0, cy - 100.0),
        (cx + 100.0, cy - 100.0),
        (cx + 100.0, cy + 100.0),
        (cx - 100.0, cy + 100.0),
        (cx - 100.0, cy - 100.0),
    ];
    let z = minplan_geo::GaussKrugerZone::three_degree(44, true).unwrap();
    let layer = ExportLayer {
        name: "生态保护红线".into(),
        zone: z,
        fields: vec![
            ExportField {
                name: "id".into(),
                kind: FieldKind::Text,
            },
            ExportField {
                name: "名称".into(),
                kind: FieldKind::Text,
            },
        ],
        features: vec![ExportFeature {
            name: "庆发北山生态保护红线".into(),
            lonlat: Vec::new(),
            plane: Some(vec![vec![sq]]),
            labels: None,
            values: vec!["HLX-1".into(), "庆发北山生态保护红线".into()],
        }],
    };
    minplan_io::write(
        ExportFormat::Shapefile,
        &[layer],
        &minplan_io::WriteOptions::default(),
    )
    .unwrap()
}

#[tokio::test]
async fn a_gbk_shapefile_red_line_is_imported_and_the_review_fails_against_it() {
    let store = seeded().await;
    let zone = zone(&store).await;
    let files = [InputFile {
        name: "红线.zip".into(),
        bytes: red_line_zip(),
    }];
    let v = store
        .import_layer(
            &LayerImport {
                kind: ControlLayerKind::EcologicalRedLine,
                name: "生态保护红线（一张图）",
                source_file: "红线.zip",
                files: &files,
                read: &ReadOptions::default(),
                declared: None,
                zone,
                buffer_m: None,
            },
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!((v.feature_count, v.source_crs), (1, 4532));
    assert!(
        v.notes
            .iter()
            .any(|n| n.contains("GBK") && n.contains(".cpg")),
        "{:?}",
        v.notes
    );
    let stored = store.active_layers().await.unwrap();
    assert_eq!(stored[0].features[0].id, "HLX-1");
    assert_eq!(
        stored[0].features[0].name.as_deref(),
        Some("庆发北山生态保护红线")
    );
    let engine = ReviewEngine::load(&store).await.unwrap();
    let (toml, corners) = qingfa();
    let app = engine.parse(&toml, Some(&corners)).unwrap();
    let r = engine.review(&app, "2026-12-06T00:00:00Z");
    let r8 = r.rule("R8").unwrap();
    assert_eq!(r8.outcome, RuleOutcome::Fail);
    assert_eq!(r8.conflicts[0].feature_id, "HLX-1");
    assert_eq!(r.conclusion, Conclusion::NonConforming);
}

#[tokio::test]
async fn broken_layer_files_write_nothing() {
    let store = seeded().await;
    let zone = zone(&store).await;
    let before = store
        .audit_list(&AuditFilter::default())
        .await
        .unwrap()
        .len();
    // The zip without its .dbf; a prj of Xi'an 80; bytes that are not a GeoPackage.
    let full = minplan_io::archive::entries("x.zip", &red_line_zip(), |_| true).unwrap();
    let loose: Vec<InputFile> = full
        .iter()
        .filter(|e| !e.name.ends_with(".dbf"))
        .map(|e| InputFile {
            name: e.name.clone(),
            bytes: e.bytes.clone(),
        })
        .collect();
    let mut xian: Vec<InputFile> = full
        .iter()
        .map(|e| InputFile {
            name: e.name.clone(),
            bytes: e.bytes.clone(),
        })
        .collect();
    for f in &mut xian {
        if f.name.ends_with(".prj") {
            f.bytes = String::from_utf8(f.bytes.clone())
                .unwrap()
                .replace("China_2000", "Xian_1980")
                .into_bytes();
        }
    }
    let not_gpkg = vec![InputFile {
        name: "红线.gpkg".into(),
        bytes: b"SQLite format 3\0 but not really".to_vec(),
    }];
    // A corrupt DBF (cut short), a DXF with open polylines only, a KML with points only.
    let mut corrupt: Vec<InputFile> = full
        .iter()
        .map(|e| InputFile {
            name: e.name.clone(),
            bytes: e.bytes.clone(),
        })
        .collect();
    for f in &mut corrupt {
        if f.name.ends_with(".dbf") {
            f.bytes.truncate(f.bytes.len() / 2);
        }
    }
    let open_dxf = vec![InputFile {
        name: "测绘.dxf".into(),
        bytes: b"0\nSECTION\n2\nENTITIES\n0\nLWPOLYLINE\n8\nHX\n90\n3\n70\n0\n10\n44430000\n20\n4920000\n10\n44430100\n20\n4920000\n10\n44430100\n20\n4920100\n0\nENDSEC\n0\nEOF\n".to_vec(),
    }];
    let points_kml = vec![InputFile {
        name: "点.kml".into(),
        bytes: r#"<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>井口</name><Point><coordinates>131.1,44.4</coordinates></Point></Placemark></Document></kml>"#.as_bytes().to_vec(),
    }];
    for (files, needle) in [
        (loose, ".dbf"),
        (xian, "西安80"),
        (not_gpkg, "红线.gpkg"),
        (corrupt, "生态保护红线.dbf："),
        (open_dxf, "测绘.dxf"),
        (points_kml, "只有点"),
    ] {
        let err = store
            .import_layer(
                &LayerImport {
                    kind: ControlLayerKind::EcologicalRedLine,
                    name: "x",
                    source_file: "x",
                    files: &files,
                    read: &ReadOptions::default(),
                    declared: None,
                    zone,
                    buffer_m: None,
                },
                &Actor::System,
            )
            .await
            .unwrap_err();
        assert!(err.to_string().contains(needle), "{err}");
    }
    assert!(store.list_layers().await.unwrap().is_empty());
    assert_eq!(
        store
            .audit_list(&AuditFilter::default())
            .await
            .unwrap()
            .len(),
        before
    );
}

#[tokio::test]
async fn the_register_goes_out_as_a_shapefile_and_comes_back_the_same() {
    let store = seeded().await;
    let zone = zone(&store).await;
    let ring: Vec<String> = qingfa_ring()
        .iter()
        .chain(std::iter::once(&qingfa_ring()[0]))
        .map(|(e, n)| format!("[{e},{n}]"))
        .collect();
    let rights = format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:4532"}}}},"features":[
{{"type":"Feature","properties":{{"id":"C2310812019010001","kind":"采矿权","status":"有效","name":"庆发采石场","holder_name":"绥芬河市老庆发石材有限责任公司","credit_code":"91231081MA1BXY007Q","minerals":"建筑用凝灰岩","capacity":5,"capacity_unit":"万立方米/年","approval":"本级审批","valid_from":"2019-07-01","valid_to":"2027-06-30"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}]}}"#,
        ring.join(",")
    );
    assert_eq!(
        store
            .import_rights(&rights, "rights.geojson", zone, &Actor::System)
            .await
            .unwrap()
            .imported,
        1
    );
    let out = store
        .export_file(ExportSet::Rights, ExportFormat::Shapefile, None, None, None)
        .await
        .unwrap();
    assert_eq!(out.file_name, "矿业权.zip");
    let fresh = seeded().await;
    let plan = fresh.active_plan().await.unwrap().unwrap();
    let files = [InputFile {
        name: out.file_name.clone(),
        bytes: out.bytes.clone(),
    }];
    // A dry run first (the table's checks, nothing written), then the commit.
    let (dry, notes) = fresh
        .import_rights_files(
            &plan.loaded.plan,
            &files,
            &ReadOptions::default(),
            None,
            "矿业权.zip",
            minplan_store::BulkMode::DryRun,
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(
        (dry.rows, dry.valid, dry.imported),
        (1, 1, 0),
        "{:?}",
        dry.problems
    );
    assert!(notes.iter().any(|n| n.contains("GBK")), "{notes:?}");
    assert!(fresh.list_rights().await.unwrap().is_empty());
    let (back, _) = fresh
        .import_rights_files(
            &plan.loaded.plan,
            &files,
            &ReadOptions::default(),
            None,
            "矿业权.zip",
            minplan_store::BulkMode::Commit,
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(back.imported, 1, "{:?}", back.problems);
    let a = &store.list_rights().await.unwrap()[0];
    let b = &fresh.list_rights().await.unwrap()[0];
    assert_eq!(
        (&b.id, &b.name, &b.holder_name, &b.credit_code, &b.minerals),
        (&a.id, &a.name, &a.holder_name, &a.credit_code, &a.minerals)
    );
    assert_eq!(b.capacity, a.capacity);
    assert_eq!(b.approval, a.approval);
    // Through the plane and back: the same corners (a Shapefile winds exteriors clockwise,
    // so the ring may start elsewhere), lon/lat to 1e-9° (sub-millimetre).
    assert_eq!(a.geometry[0][0].len(), b.geometry[0][0].len());
    for p in &a.geometry[0][0] {
        assert!(
            b.geometry[0][0]
                .iter()
                .any(|q| (p[0] - q[0]).abs() < 1e-9 && (p[1] - q[1]).abs() < 1e-9),
            "{p:?} not in {:?}",
            b.geometry[0][0]
        );
    }
}

#[tokio::test]
async fn a_register_layer_gets_the_table_checks() {
    let store = seeded().await;
    let plan = store.active_plan().await.unwrap().unwrap();
    // A GeoPackage register with a bad credit code, a negative capacity, dates the wrong way
    // round and a mine 1 900 km south of the county: every row refused, nothing written.
    let z = minplan_geo::GaussKrugerZone::three_degree(44, true).unwrap();
    let sq = |n: f64| {
        vec![
            (44_430_000.0, n),
            (44_430_100.0, n),
            (44_430_100.0, n + 100.0),
            (44_430_000.0, n + 100.0),
            (44_430_000.0, n),
        ]
    };
    let f = |name: &str| ExportField {
        name: name.into(),
        kind: FieldKind::Text,
    };
    let layer = ExportLayer {
        name: "登记簿".into(),
        zone: z,
        fields: vec![
            f("许可证号"),
            f("矿山名称"),
            f("矿业权人"),
            f("统一社会信用代码"),
            f("矿种"),
            f("生产规模"),
            f("规模单位"),
            f("有效期起"),
            f("有效期止"),
        ],
        features: vec![
            ExportFeature {
                name: "甲".into(),
                lonlat: Vec::new(),
                plane: Some(vec![vec![sq(4_920_000.0)]]),
                labels: None,
                values: vec![
                    "C1".into(),
                    "甲矿".into(),
                    "甲公司".into(),
                    "12345".into(),
                    "建筑用凝灰岩".into(),
                    "-5".into(),
                    "万立方米/年".into(),
                    "2030-01-01".into(),
                    "2020-01-01".into(),
                ],
            },
            ExportFeature {
                name: "乙".into(),
                lonlat: Vec::new(),
                plane: Some(vec![vec![sq(3_000_000.0)]]),
                labels: None,
                values: vec![
                    "C2".into(),
                    "乙矿".into(),
                    "乙公司".into(),
                    "91231081MA1BXY007Q".into(),
                    "建筑用凝灰岩".into(),
                    "5".into(),
                    "万立方米/年".into(),
                    "2020-01-01".into(),
                    "2030-01-01".into(),
                ],
            },
        ],
    };
    let bytes = minplan_io::write(
        ExportFormat::GeoPackage,
        &[layer],
        &minplan_io::WriteOptions::default(),
    )
    .unwrap();
    let files = [InputFile {
        name: "登记簿.gpkg".into(),
        bytes,
    }];
    let (out, _) = store
        .import_rights_files(
            &plan.loaded.plan,
            &files,
            &ReadOptions::default(),
            None,
            "登记簿.gpkg",
            minplan_store::BulkMode::Commit,
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(
        (out.rows, out.valid, out.imported, out.committed),
        (2, 0, 0, false),
        "{:?}",
        out.problems
    );
    let text: Vec<String> = out
        .problems
        .iter()
        .map(|p| format!("{} {:?} {}", p.row, p.column, p.message))
        .collect();
    let all = text.join("\n");
    assert!(all.contains("统一社会信用代码"), "{all}");
    assert!(all.contains("生产规模"), "{all}");
    assert!(all.contains("有效期"), "{all}");
    assert!(store.list_rights().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_review_goes_out_with_its_corners_as_entered_and_its_conflicts() {
    let store = seeded().await;
    let zone = zone(&store).await;
    let files = [InputFile {
        name: "红线.zip".into(),
        bytes: red_line_zip(),
    }];
    store
        .import_layer(
            &LayerImport {
                kind: ControlLayerKind::EcologicalRedLine,
                name: "红线",
                source_file: "红线.zip",
                files: &files,
                read: &ReadOptions::default(),
                declared: None,
                zone,
                buffer_m: None,
            },
            &Actor::System,
        )
        .await
        .unwrap();
    let engine = ReviewEngine::load(&store).await.unwrap();
    let (toml, corners) = qingfa();
    let app = engine.parse(&toml, Some(&corners)).unwrap();
    let (id, _) = engine
        .review_and_save(
            &store,
            &app,
            &toml,
            Some(("01-qingfa-quarry.txt", &corners)),
            &Actor::System,
        )
        .await
        .unwrap();
    for format in [ExportFormat::Shapefile, ExportFormat::GeoPackage] {
        let out = store
            .export_file(ExportSet::Review(id), format, None, None, None)
            .await
            .unwrap();
        let read = |layer: &str| {
            minplan_io::read_layer(
                &[InputFile {
                    name: format!("x.{}", format.extension()),
                    bytes: out.bytes.clone(),
                }],
                &ReadOptions {
                    layer: Some(layer.into()),
                    zone: Some(zone),
                    ..ReadOptions::default()
                },
            )
            .unwrap()
        };
        let app_layer = read("申请范围");
        assert_eq!(app_layer.crs.unwrap().epsg(), 4532);
        let SourceGeometry::Polygons(p) = app_layer.features[0].geometry.clone().unwrap() else {
            panic!()
        };
        // Every entered corner, bit for bit.
        for c in qingfa_ring() {
            assert!(p[0][0].contains(&c), "{c:?} not in {:?}", p[0][0]);
        }
        let conflicts = read("冲突部分");
        assert_eq!(conflicts.features.len(), 1);
        let props = &conflicts.features[0].properties;
        assert_eq!(props["规则"], serde_json::json!("R8"));
        assert_eq!(props["要素"], serde_json::json!("HLX-1"));
    }
}

#[tokio::test]
async fn a_geojson_register_refuses_rows_the_table_would_refuse() {
    let store = seeded().await;
    let zone = zone(&store).await;
    let sq = |lon: f64, lat: f64| {
        format!(
            "[[[{lon},{lat}],[{},{lat}],[{},{}],[{lon},{}],[{lon},{lat}]]]",
            lon + 0.002,
            lon + 0.002,
            lat + 0.002,
            lat + 0.002
        )
    };
    let feat = |id: &str, extra: &str, geom: String| {
        format!(
            r#"{{"type":"Feature","properties":{{"id":"{id}","kind":"采矿权","name":"{id}矿","holder_name":"某公司","minerals":"建筑用凝灰岩"{extra}}},"geometry":{{"type":"Polygon","coordinates":{geom}}}}}"#
        )
    };
    let text = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        [
            feat("GOOD", r#","credit_code":"91231081MA1BXY007Q","capacity":5,"capacity_unit":"万立方米/年","valid_from":"2020-01-01","valid_to":"2030-01-01","approval":"本级审批""#, sq(131.10, 44.33)),
            feat("CODE", r#","credit_code":"12345""#, sq(131.11, 44.33)),
            feat("CAP", r#","capacity":-5,"capacity_unit":"万立方米/年""#, sq(131.12, 44.33)),
            feat("DATES", r#","valid_from":"2030-01-01","valid_to":"2020-01-01""#, sq(131.13, 44.33)),
            feat("APPROVAL", r#","approval":"乱写""#, sq(131.14, 44.33)),
            feat("FAR", "", sq(116.40, 39.90)),
        ]
        .join(",")
    );
    let out = store
        .import_rights(&text, "r.geojson", zone, &Actor::System)
        .await
        .unwrap();
    assert_eq!(out.imported, 1, "{:?}", out.problems);
    let by_id = |id: &str| {
        out.problems
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.message.clone())
            .unwrap_or_default()
    };
    assert!(
        by_id("CODE").contains("credit_code“12345”"),
        "{}",
        by_id("CODE")
    );
    assert!(by_id("CAP").contains("capacity -5"), "{}", by_id("CAP"));
    assert!(by_id("DATES").contains("早于"), "{}", by_id("DATES"));
    assert!(by_id("APPROVAL").contains("乱写"), "{}", by_id("APPROVAL"));
    assert!(by_id("FAR").contains("规划区域之外"), "{}", by_id("FAR"));
    let ids: Vec<String> = store
        .list_rights()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, ["GOOD"]);
}
