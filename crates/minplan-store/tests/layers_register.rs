//! Imported control layers (broken features listed and left out; plane or lon/lat files),
//! the register, supervision lists, and the review engine that reads them.

use minplan_domain::date::Date;
use minplan_domain::plan::ControlLayerKind;
use minplan_domain::review::{Conclusion, RuleOutcome};
use minplan_domain::supervision::listing::{
    ListingReason, ListingRequest, Removal, Verification, VerificationMethod, VerificationResult,
};
use minplan_store::{Actor, HolderList, LayerImport, ReviewEngine};
mod common;

use common::{example, plan_zone, qingfa, qingfa_ring_4532, seeded};

/// The 庆发 ring, closed, as GeoJSON positions `[e,n]` (EPSG:4532).
fn qingfa_ring_json() -> Vec<String> {
    qingfa_ring_4532()
        .iter()
        .chain(std::iter::once(&qingfa_ring_4532()[0]))
        .map(|(e, n)| format!("[{e},{n}]"))
        .collect()
}

/// A red-line layer in EPSG:4532 with: a 200 m square over the quarry, a self-intersecting
/// bow tie, and a feature without geometry.
fn red_line_4532() -> String {
    let r = qingfa_ring_4532();
    let (cx, cy) = (
        r.iter().map(|p| p.0).sum::<f64>() / r.len() as f64,
        r.iter().map(|p| p.1).sum::<f64>() / r.len() as f64,
    );
    let sq = |h: f64| {
        format!(
            "[[{},{}],[{},{}],[{},{}],[{},{}],[{},{}]]",
            cx - h,
            cy - h,
            cx + h,
            cy - h,
            cx + h,
            cy + h,
            cx - h,
            cy + h,
            cx - h,
            cy - h
        )
    };
    let bow = format!(
        "[[{},{}],[{},{}],[{},{}],[{},{}],[{},{}]]",
        cx + 1000.0,
        cy,
        cx + 1100.0,
        cy + 100.0,
        cx + 1100.0,
        cy,
        cx + 1000.0,
        cy + 100.0,
        cx + 1000.0,
        cy
    );
    format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::4532"}}}},"features":[
{{"type":"Feature","properties":{{"id":"HLX-1","name":"庆发北山生态保护红线"}},"geometry":{{"type":"Polygon","coordinates":[{}]}}}},
{{"type":"Feature","properties":{{"id":"HLX-2","name":"自相交图斑"}},"geometry":{{"type":"Polygon","coordinates":[{bow}]}}}},
{{"type":"Feature","properties":{{"id":"HLX-3"}},"geometry":null}}
]}}"#,
        sq(100.0)
    )
}

#[tokio::test]
async fn an_imported_layer_replaces_the_schematic_one_and_lists_broken_features() {
    let store = seeded().await;
    let zone = plan_zone(&store).await;
    let text = red_line_4532();
    let v = store
        .import_layer(
            &LayerImport {
                kind: ControlLayerKind::EcologicalRedLine,
                name: "生态保护红线（2026年版）",
                source_file: "hlx.geojson",
                files: &[minplan_io::InputFile {
                    name: "layer.geojson".into(),
                    bytes: text.as_bytes().to_vec(),
                }],
                read: &minplan_io::ReadOptions::default(),
                declared: None,
                zone,
                buffer_m: None,
            },
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!((v.feature_count, v.source_crs), (1, 4532));
    let ids: Vec<&str> = v.problems.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["HLX-2", "HLX-3"]);
    assert!(
        v.problems[0].message.contains("相交"),
        "{}",
        v.problems[0].message
    );
    assert!(v.problems[1].message.contains("没有几何图形"));
    // The quarry that conforms against the schematic layers now fails R8 against the real one.
    let engine = ReviewEngine::load(&store).await.unwrap();
    let red = engine
        .index
        .control_layer(ControlLayerKind::EcologicalRedLine)
        .unwrap();
    assert!(red.source.contains("导入图层") && !red.schematic);
    let (toml, corners) = qingfa();
    let app = engine.parse(&toml, Some(&corners)).unwrap();
    let r = engine.review(&app, "2026-11-30T00:00:00Z");
    let r8 = r.rule("R8").unwrap();
    assert_eq!(r8.outcome, RuleOutcome::Fail);
    // The quarry (20 003 m² in the plane) lies wholly inside the 200 m square.
    assert!(
        (r8.conflicts[0].area_m2 - r.application_area_m2).abs() < 1e-6,
        "{} vs {}",
        r8.conflicts[0].area_m2,
        r.application_area_m2
    );
    assert_eq!(r8.conflicts[0].feature_id, "HLX-1");
    assert_eq!(r.conclusion, Conclusion::NonConforming);
    assert!(
        r.layers
            .iter()
            .any(|l| l.version.starts_with(&format!("layer:{}:", v.id)))
    );
    // Audited.
    let trail = store
        .audit_trail("control_layer_version", &v.id.to_string())
        .await
        .unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action, "layer.import");
}

#[tokio::test]
async fn a_layer_file_that_cannot_be_read_writes_nothing() {
    let store = seeded().await;
    let zone = plan_zone(&store).await;
    for (text, needle) in [
        ("not json", "GeoJSON"),
        (
            r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:2383"}},"features":[]}"#,
            "西安80",
        ),
        (
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"X"},"geometry":null}]}"#,
            "没有可用的要素",
        ),
    ] {
        let err = store
            .import_layer(
                &LayerImport {
                    kind: ControlLayerKind::PermanentBasicFarmland,
                    name: "x",
                    source_file: "x.geojson",
                    files: &[minplan_io::InputFile {
                        name: "layer.geojson".into(),
                        bytes: text.as_bytes().to_vec(),
                    }],
                    read: &minplan_io::ReadOptions::default(),
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
}

#[tokio::test]
async fn corridor_centre_lines_are_buffered_by_the_given_width() {
    let store = seeded().await;
    let zone = plan_zone(&store).await;
    // A 2 km straight road (EPSG:4532) buffered 500 m each side: 2 km × 1 km + two half discs.
    let text = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4532"}},"features":[
{"type":"Feature","properties":{"id":"G301"},"geometry":{"type":"LineString","coordinates":[[44425000,4915000],[44427000,4915000]]}}]}"#;
    let v = store
        .import_layer(
            &LayerImport {
                kind: ControlLayerKind::VisibleCorridor,
                name: "国道可视范围",
                source_file: "g301.geojson",
                files: &[minplan_io::InputFile {
                    name: "layer.geojson".into(),
                    bytes: text.as_bytes().to_vec(),
                }],
                read: &minplan_io::ReadOptions::default(),
                declared: None,
                zone,
                buffer_m: Some(500.0),
            },
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(v.feature_count, 1);
    let layers = store.active_layers().await.unwrap();
    let f = &layers[0].features[0];
    // Plane area 2 000 000 + π·500² ≈ 2 785 398 m²; the buffer's arcs are inscribed polygons
    // (a little less, ~0.2 % at geo's default resolution), and the ellipsoidal area 75 km from
    // the CM is smaller than the plane area by ~y²/R² ≈ 0.014 %.
    let expected = (2.0e6 + std::f64::consts::PI * 500.0 * 500.0) / 1e6;
    assert!(
        f.area_km2 < expected && f.area_km2 > 0.995 * expected,
        "{} vs {expected}",
        f.area_km2
    );
}

#[tokio::test]
async fn rights_lists_and_pending_applications_reach_the_review() {
    let store = seeded().await;
    let zone = plan_zone(&store).await;
    // An existing valid quarry right covering the 庆发 block (EPSG:4532 corners).
    let ring: Vec<String> = qingfa_ring_json();
    let rights = format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:4532"}}}},"features":[
{{"type":"Feature","properties":{{"id":"C2310812019010001","kind":"采矿权","status":"有效","name":"庆发采石场","holder_name":"老庆发石材厂","credit_code":"91231081MA1BXY007Q","minerals":"建筑用凝灰岩","capacity":5,"capacity_unit":"万立方米/年","approval":"本级审批","valid_to":"2027-06-30"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}},
{{"type":"Feature","properties":{{"id":"BAD","kind":"采石权"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}]}}"#,
        ring.join(","),
        ring.join(",")
    );
    let out = store
        .import_rights(&rights, "rights.geojson", zone, &Actor::System)
        .await
        .unwrap();
    assert_eq!(out.imported, 1);
    assert_eq!(out.problems.len(), 1);
    assert!(out.problems[0].message.contains("采石权"));
    let id = store
        .list_holder(
            &ListingRequest {
                list: HolderList::Abnormal,
                holder_name: "绥芬河市庆发建材有限公司".into(),
                credit_code: "91231081MA1BQF0013".into(),
                reason: ListingReason::NotFiled,
                reason_text: "2025年度".into(),
                decision_number: "绥自然资异〔2026〕3号".into(),
                decision_date: d("2026-05-01"),
            },
            &Actor::System,
        )
        .await
        .unwrap();
    let engine = ReviewEngine::load(&store).await.unwrap();
    let (toml, corners) = qingfa();
    let app = engine.parse(&toml, Some(&corners)).unwrap();
    let r = engine.review(&app, "2026-11-30T00:00:00Z");
    assert_eq!(r.rule("R12").unwrap().outcome, RuleOutcome::Fail);
    assert_eq!(r.rule("R3").unwrap().outcome, RuleOutcome::Fail);
    assert_eq!(r.rule("R13").unwrap().outcome, RuleOutcome::ManualCheck);
    // A review dated before the 列入 does not see the entry.
    let before = engine.review(&app, "2026-04-30T00:00:00Z");
    assert_eq!(before.rule("R13").unwrap().outcome, RuleOutcome::Pass);
    // 5 + 6 万立方米/年 of 建筑用石 against the cap of 10.
    assert_eq!(r.rule("R7").unwrap().outcome, RuleOutcome::Fail);
    // 移出 only after the holder's application and a favourable 核验; the removal is recorded
    // and ends the manual check for reviews from its date.
    let removal = Removal {
        decision_number: "绥自然资移〔2026〕2号".into(),
        decision_date: d("2026-06-15"),
    };
    assert!(matches!(
        store
            .remove_listed_holder(id, &removal, &Actor::System)
            .await,
        Err(minplan_store::StoreError::Invalid(_))
    ));
    store
        .apply_list_removal(
            id,
            Some("91231081MA1BQF0013"),
            d("2026-06-01"),
            "已补报",
            &[],
            &Actor::System,
        )
        .await
        .unwrap();
    store
        .verify_list_removal(
            id,
            &Verification {
                method: VerificationMethod::Desk,
                result: VerificationResult::Approve,
                reason: "已于2026年6月1日补报".into(),
                verified_on: d("2026-06-10"),
            },
            &Actor::System,
        )
        .await
        .unwrap();
    store
        .remove_listed_holder(id, &removal, &Actor::System)
        .await
        .unwrap();
    assert_eq!(
        store
            .holder_lists_on(d("2026-06-14"))
            .await
            .unwrap()
            .abnormal
            .len(),
        1
    );
    assert!(
        store
            .holder_lists_on(d("2026-06-15"))
            .await
            .unwrap()
            .abnormal
            .is_empty()
    );
    let engine = ReviewEngine::load(&store).await.unwrap();
    let r = engine.review(&app, "2026-11-30T00:00:00Z");
    assert_eq!(r.rule("R13").unwrap().outcome, RuleOutcome::Pass);
    let r = engine.review(&app, "2026-06-01T00:00:00Z");
    assert_eq!(r.rule("R13").unwrap().outcome, RuleOutcome::ManualCheck);
    assert!(
        store
            .remove_listed_holder(id, &removal, &Actor::System)
            .await
            .is_err()
    );
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// Bulk import bounds, checked at the store: each bad cell is a [`minplan_store::RowProblem`]
/// with its row and Chinese column; a refused commit writes nothing; `.txt` is no table; the
/// scale table refuses a blank or unknown 矿种.
#[tokio::test]
async fn bulk_import_bounds_and_scale_table_minerals() {
    use minplan_store::{BulkMode, StoreError, read_table};
    let store = seeded().await;
    let plan = store.active_plan().await.unwrap().unwrap().loaded.plan;
    let corners = std::fs::read_to_string(example("01-qingfa-quarry.txt")).unwrap();
    let cell = |s: &str| s.to_string();
    let header: Vec<String> = [
        "许可证号",
        "矿山名称",
        "矿业权人",
        "矿种",
        "生产规模",
        "规模单位",
        "面积",
        "开采标高",
        "拐点坐标",
    ]
    .map(cell)
    .to_vec();
    let row = |licence: &str, mineral: &str, capacity: &str, area: &str, elevation: &str| {
        [
            licence,
            "某采石场",
            "某公司",
            mineral,
            capacity,
            "万立方米/年",
            area,
            elevation,
        ]
        .map(cell)
        .into_iter()
        .chain([corners.clone()])
        .collect::<Vec<_>>()
    };
    let table = vec![
        header,
        row("C2", "建筑用凝灰岩", "-6", "-5", "480～560"),
        row("C3", "钻石头", "1e300", "", "560～480"),
    ];
    for mode in [BulkMode::DryRun, BulkMode::Commit] {
        let out = store
            .import_rights_table(&plan, &table, "neg2.csv", mode, &Actor::System)
            .await
            .unwrap();
        let got: Vec<(usize, Option<&str>)> = out
            .problems
            .iter()
            .map(|p| (p.row, p.column.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (2, Some("生产规模")),
                (2, Some("开采标高")),
                (2, Some("面积")),
                (3, Some("矿种")),
                (3, Some("生产规模")),
            ],
            "{:?}",
            out.problems
        );
        assert!(
            out.problems[0]
                .message
                .contains("不超过 10000（万立方米/年 或 万吨/年）")
        );
        assert!(
            out.problems[1]
                .message
                .contains("起标高（480）应高于止标高（560）")
        );
        assert!(out.problems[2].message.contains("不超过 1000 km²"));
        assert_eq!((out.imported, out.committed), (0, false));
        assert!(store.list_rights().await.unwrap().is_empty());
    }

    let txt = read_table(b"a,b\n", "x.txt").unwrap_err();
    assert!(
        matches!(&txt, StoreError::BadInput(m) if m.contains("不支持的文件类型") && m.contains(".csv")),
        "{txt}"
    );
    assert_eq!(read_table(b"a,b\n", "x.CSV").unwrap(), [["a", "b"]]);

    let before = store.scale_table().await.unwrap();
    for (mineral, want) in [
        ("  ", "矿种不能为空"),
        ("不存在矿种", "未知矿种“不存在矿种”"),
    ] {
        let e = store
            .set_scale_row(
                minplan_domain::review::config::ScaleRow {
                    mineral: mineral.into(),
                    unit: minplan_domain::units::Unit::WanM3PerYear,
                    large_min: 10.0,
                    medium_min: 5.0,
                },
                &Actor::System,
            )
            .await
            .unwrap_err();
        match e {
            StoreError::Invalid(fs) => {
                assert_eq!(fs[0].field, "mineral");
                assert!(fs[0].message.contains(want), "{}", fs[0].message);
            }
            e => panic!("{e}"),
        }
    }
    assert_eq!(store.scale_table().await.unwrap(), before);

    // A second row of 建筑用石 in 万吨/年 is added beside the 万立方米/年 one; a row in
    // 千立方米/年 replaces the 万立方米/年 one (same dimension).
    let row = |unit, large_min, medium_min| minplan_domain::review::config::ScaleRow {
        mineral: "建筑用石".into(),
        unit,
        large_min,
        medium_min,
    };
    use minplan_domain::units::Unit;
    store
        .set_scale_row(row(Unit::WanTonnePerYear, 26.0, 13.0), &Actor::System)
        .await
        .unwrap();
    let v = store
        .set_scale_row(row(Unit::QianM3PerYear, 100.0, 50.0), &Actor::System)
        .await
        .unwrap();
    let units: Vec<Unit> = v
        .table
        .rows
        .iter()
        .filter(|r| r.mineral == "建筑用石")
        .map(|r| r.unit)
        .collect();
    assert_eq!(units, [Unit::WanTonnePerYear, Unit::QianM3PerYear]);
}

/// A 面积 that disagrees with the row's corners (examples/01: ellipsoidal 0.0200 km²) refuses
/// the row, naming the row, the figure as written and the computed areas; a commit with such
/// a row writes nothing. 面积 may carry a unit (公顷, 平方米, 亩); one that agrees imports.
#[tokio::test]
async fn bulk_import_compares_the_area_with_the_corners() {
    use minplan_store::BulkMode;
    let store = seeded().await;
    let plan = store.active_plan().await.unwrap().unwrap().loaded.plan;
    let corners = std::fs::read_to_string(example("01-qingfa-quarry.txt")).unwrap();
    let header: Vec<String> = [
        "许可证号",
        "矿山名称",
        "矿业权人",
        "矿种",
        "生产规模",
        "规模单位",
        "面积",
        "拐点坐标",
    ]
    .map(str::to_string)
    .to_vec();
    let row = |licence: &str, area: &str| {
        [
            licence,
            "某采石场",
            "某公司",
            "建筑用凝灰岩",
            "6",
            "万立方米/年",
            area,
            &corners,
        ]
        .map(str::to_string)
        .to_vec()
    };
    let table = vec![
        header.clone(),
        row("C2310812026010001", "0.0200"),
        row("C2310812026010002", "0.0201"),
        row("C2310812026010003", "2公顷"),
    ];
    for mode in [BulkMode::DryRun, BulkMode::Commit] {
        let out = store
            .import_rights_table(&plan, &table, "面积.csv", mode, &Actor::System)
            .await
            .unwrap();
        assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
        let p = &out.problems[0];
        assert_eq!((p.row, p.column.as_deref()), (3, Some("面积")));
        assert!(
            p.message.contains("面积“0.0201”")
                && p.message.contains("椭球面积 0.0200 km²")
                && p.message.contains("平面面积 0.0200 km²"),
            "{p}"
        );
        assert!(p.to_string().starts_with("第 3 行“面积”列"), "{p}");
        assert_eq!((out.valid, out.imported, out.committed), (2, 0, false));
        assert!(store.list_rights().await.unwrap().is_empty());
    }
    // Without the refused row, the table imports; the 面积 as written is kept (in km²).
    let good = vec![header, table[1].clone(), table[3].clone()];
    let out = store
        .import_rights_table(&plan, &good, "面积.csv", BulkMode::Commit, &Actor::System)
        .await
        .unwrap();
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!((out.imported, out.committed), (2, true));
    let rights = store.right_histories().await.unwrap();
    assert_eq!(rights.len(), 2);
    for r in &rights {
        assert_eq!(r.current().area_km2, Some(0.02), "{}", r.id);
    }
}

/// 已过期 is read from the dates: a row saying 已过期 without an 有效期止, or with one not yet
/// reached, is refused at its 状态 cell; one whose 有效期止 has passed imports and reads
/// 已过期 in the register's list.
#[tokio::test]
async fn a_row_saying_expired_must_have_passed_its_end_date() {
    use minplan_store::BulkMode;
    let store = seeded().await;
    let plan = store.active_plan().await.unwrap().unwrap().loaded.plan;
    let corners = std::fs::read_to_string(example("01-qingfa-quarry.txt")).unwrap();
    let header: Vec<String> = [
        "许可证号",
        "矿山名称",
        "矿业权人",
        "矿种",
        "生产规模",
        "规模单位",
        "状态",
        "有效期起",
        "有效期止",
        "拐点坐标",
    ]
    .map(str::to_string)
    .to_vec();
    let row = |licence: &str, to: &str| {
        [
            licence,
            "某采石场",
            "某公司",
            "建筑用凝灰岩",
            "6",
            "万立方米/年",
            "已过期",
            "2015-01-01",
            to,
            &corners,
        ]
        .map(str::to_string)
        .to_vec()
    };
    let table = vec![
        header.clone(),
        row("C2310812015010001", "2099-12-31"),
        row("C2310812015010002", ""),
        row("C2310812015010003", "2020-12-31"),
    ];
    let out = store
        .import_rights_table(&plan, &table, "过期.csv", BulkMode::Commit, &Actor::System)
        .await
        .unwrap();
    let at: Vec<(usize, Option<&str>)> = out
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_deref()))
        .collect();
    assert_eq!(
        at,
        [(2, Some("状态")), (3, Some("状态"))],
        "{:?}",
        out.problems
    );
    assert!(
        out.problems[0].message.contains("尚未到期"),
        "{}",
        out.problems[0]
    );
    assert!(!out.committed);
    let good = vec![header, table[3].clone()];
    let out = store
        .import_rights_table(&plan, &good, "过期.csv", BulkMode::Commit, &Actor::System)
        .await
        .unwrap();
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let (n, page) = store
        .rights_page(&minplan_store::RightQuery::default(), None)
        .await
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(page[0].status, "已过期");
}

/// A GeoJSON rights file may state each right's `area` (text with a unit, or a number in
/// km²); one that disagrees with its geometry (the 庆发 ring: 0.0200 km²) is listed with the
/// figure and both computed areas, and nothing at all is written.
#[tokio::test]
async fn a_geojson_rights_area_that_disagrees_writes_nothing() {
    let store = seeded().await;
    let zone = plan_zone(&store).await;
    let ring: Vec<String> = qingfa_ring_json();
    let file = |first: &str, second: &str| {
        let feature = |id: &str, area: &str| {
            format!(
                r#"{{"type":"Feature","properties":{{"id":"{id}","name":"庆发采石场","minerals":"建筑用凝灰岩","area":{area}}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
                ring.join(",")
            )
        };
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:4532"}}}},"features":[{},{}]}}"#,
            feature("C2310812019010001", first),
            feature("C2310812019010002", second)
        )
    };
    let out = store
        .import_rights(
            &file("\"2公顷\"", "0.0210"),
            "rights.geojson",
            zone,
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(out.imported, 0);
    assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
    let p = &out.problems[0];
    assert_eq!(p.id, "C2310812019010002");
    assert!(
        p.message.contains("面积“0.021”")
            && p.message.contains("椭球面积 0.0200 km²")
            && p.message.contains("平面面积 0.0200 km²"),
        "{}",
        p.message
    );
    assert!(store.list_rights().await.unwrap().is_empty());
    let out = store
        .import_rights(
            &file("\"两公顷\"", "0.02"),
            "rights.geojson",
            zone,
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(out.imported, 0);
    assert!(
        out.problems[0].message.contains("两公顷"),
        "{:?}",
        out.problems
    );
    assert!(store.list_rights().await.unwrap().is_empty());
    let out = store
        .import_rights(
            &file("\"2公顷\"", "0.02"),
            "rights.geojson",
            zone,
            &Actor::System,
        )
        .await
        .unwrap();
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    assert_eq!(out.imported, 2);
}

/// The register table's 开采方式 and 所在县区 columns reach the rights the review counts (caps
/// by kind of mine and per sub-unit, issue 13); a 开采方式 that is not one is the row's error.
#[tokio::test]
async fn bulk_import_keeps_the_mining_method_and_the_sub_unit() {
    use minplan_domain::application::MiningMethod;
    use minplan_store::BulkMode;
    let store = seeded().await;
    let plan = store.active_plan().await.unwrap().unwrap().loaded.plan;
    let corners = std::fs::read_to_string(example("01-qingfa-quarry.txt")).unwrap();
    let header: Vec<String> = [
        "许可证号",
        "矿山名称",
        "矿业权人",
        "矿种",
        "生产规模",
        "规模单位",
        "开采方式",
        "所在县区",
        "拐点坐标",
    ]
    .map(str::to_string)
    .to_vec();
    let row = |method: &str| {
        [
            "C2310812026010001",
            "某采石场",
            "某公司",
            "建筑用凝灰岩",
            "6",
            "万立方米/年",
            method,
            "阜宁镇",
            &corners,
        ]
        .map(str::to_string)
        .to_vec()
    };
    let bad = store
        .import_rights_table(
            &plan,
            &[header.clone(), row("挖掘")],
            "方式.csv",
            BulkMode::Commit,
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(bad.problems.len(), 1, "{:?}", bad.problems);
    assert_eq!(bad.problems[0].column.as_deref(), Some("开采方式"));
    assert!(store.list_rights().await.unwrap().is_empty());
    let out = store
        .import_rights_table(
            &plan,
            &[header, row("露天开采")],
            "方式.csv",
            BulkMode::Commit,
            &Actor::System,
        )
        .await
        .unwrap();
    assert!(out.problems.is_empty(), "{:?}", out.problems);
    let rights = store.list_rights().await.unwrap();
    assert_eq!(rights[0].mining_method, Some(MiningMethod::OpenPit));
    assert_eq!(rights[0].sub_unit.as_deref(), Some("阜宁镇"));
}

/// Issue 19, item 2: a polygon with coordinates 1e308 was accepted, projected to inf/NaN,
/// stored as `null`, and from then on the engine could not load (`serve` exited at start).
/// Such features are now refused by name, the others kept, and the engine still loads; the
/// same geometry as a right is refused.
#[tokio::test]
async fn coordinates_beyond_the_plane_are_refused_and_the_engine_still_loads() {
    let store = seeded().await;
    let zone = plan_zone(&store).await;
    for (crs, buffer_m, huge) in [
        (
            "EPSG:4532",
            None,
            "[[1e308,1e308],[1e308,4915100],[44425100,4915100],[1e308,1e308]]",
        ),
        (
            "EPSG:4490",
            None,
            "[[1e308,44.4],[131.2,44.4],[131.2,44.5],[1e308,44.4]]",
        ),
        (
            "EPSG:4532",
            Some(50.0),
            "[[44425000,4915000],[1e308,4915000]]",
        ),
    ] {
        let geometry = if buffer_m.is_some() {
            format!(r#"{{"type":"LineString","coordinates":{huge}}}"#)
        } else {
            format!(r#"{{"type":"Polygon","coordinates":[{huge}]}}"#)
        };
        let good = if buffer_m.is_some() {
            r#"{"type":"LineString","coordinates":[[44425000,4915000],[44426000,4915000]]}"#
                .to_owned()
        } else if crs == "EPSG:4490" {
            r#"{"type":"Polygon","coordinates":[[[131.20,44.40],[131.21,44.40],[131.21,44.41],[131.20,44.40]]]}"#.to_owned()
        } else {
            r#"{"type":"Polygon","coordinates":[[[44425000,4915000],[44425100,4915000],[44425100,4915100],[44425000,4915000]]]}"#.to_owned()
        };
        let text = format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"{crs}"}}}},"features":[
{{"type":"Feature","properties":{{"id":"BAD"}},"geometry":{geometry}}},
{{"type":"Feature","properties":{{"id":"OK"}},"geometry":{good}}}]}}"#
        );
        let v = store
            .import_layer(
                &LayerImport {
                    kind: if buffer_m.is_some() {
                        ControlLayerKind::VisibleCorridor
                    } else {
                        ControlLayerKind::EcologicalRedLine
                    },
                    name: "x",
                    source_file: "x.geojson",
                    files: &[minplan_io::InputFile {
                        name: "layer.geojson".into(),
                        bytes: text.into_bytes(),
                    }],
                    read: &minplan_io::ReadOptions::default(),
                    declared: None,
                    zone,
                    buffer_m,
                },
                &Actor::System,
            )
            .await
            .unwrap();
        assert_eq!(v.feature_count, 1, "{crs} {buffer_m:?}");
        assert_eq!(v.problems.len(), 1);
        assert_eq!(v.problems[0].id, "BAD");
        // The engine (what `serve` builds at start) still loads with the layer in use.
        let engine = ReviewEngine::load(&store).await.unwrap();
        let (toml, corners) = qingfa();
        let app = engine.parse(&toml, Some(&corners)).unwrap();
        engine.review(&app, "2026-11-30T00:00:00Z");
    }
    let r = store
        .import_rights(
            r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4532"}},"features":[
{"type":"Feature","properties":{"id":"C1","name":"x","holder_name":"y"},"geometry":{"type":"Polygon","coordinates":[[[1e308,1e308],[1e308,4915100],[44425100,4915100],[1e308,1e308]]]}}]}"#,
            "r.geojson",
            zone,
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(r.imported, 0);
    assert_eq!(r.problems[0].id, "C1");
    assert!(r.problems[0].message.contains("1e308"), "{:?}", r.problems);
    ReviewEngine::load(&store).await.unwrap();
}

/// (versions, features) rows in the database, staging or not.
async fn layer_rows(store: &minplan_store::Store) -> (i64, i64) {
    let v: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM control_layer_versions")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let f: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM control_layer_features")
        .fetch_one(store.pool())
        .await
        .unwrap();
    (v, f)
}

#[tokio::test]
async fn a_staged_layer_is_invisible_until_its_short_commit_and_a_failed_one_leaves_nothing() {
    let store = seeded().await;
    let zone = plan_zone(&store).await;
    let text = red_line_4532();
    let files = [minplan_io::InputFile {
        name: "layer.geojson".into(),
        bytes: text.as_bytes().to_vec(),
    }];
    let read = minplan_io::ReadOptions::default();
    let layer = LayerImport {
        kind: ControlLayerKind::EcologicalRedLine,
        name: "生态保护红线（2026年版）",
        source_file: "hlx.geojson",
        files: &files,
        read: &read,
        declared: None,
        zone,
        buffer_m: None,
    };
    let version = store.engine_inputs_version().await.unwrap();
    let progress = minplan_store::LayerProgress::default();
    let staged = store.stage_layer(&layer, &progress).await.unwrap();
    use std::sync::atomic::Ordering::Relaxed;
    assert_eq!(
        (
            progress.read.load(Relaxed),
            progress.written.load(Relaxed),
            progress.left_out.load(Relaxed)
        ),
        (3, 1, 2)
    );
    assert_eq!(
        layer_rows(&store).await,
        (1, 1),
        "written, in short transactions"
    );
    // Staged: not listed, not found, not what reviews use, and no engine rebuild anywhere.
    assert!(store.list_layers().await.unwrap().is_empty());
    assert!(store.layer_version(staged.id).await.is_err());
    assert!(store.stored_layer(staged.id).await.is_err());
    assert_eq!(store.engine_inputs_version().await.unwrap(), version);
    let engine = ReviewEngine::load(&store).await.unwrap();
    assert!(engine.layer_versions.is_empty());
    // Other writes go on meanwhile: another kind is imported and committed first.
    let farmland = store
        .import_layer(
            &LayerImport {
                kind: ControlLayerKind::PermanentBasicFarmland,
                ..layer
            },
            &Actor::System,
        )
        .await
        .unwrap();
    let id = staged.id;
    let v = store
        .commit_staged_layer(staged, &Actor::System)
        .await
        .unwrap();
    assert_eq!((v.id, v.active, v.feature_count), (id, true, 1));
    assert_eq!(v.problems.len(), 2);
    assert_eq!(store.list_layers().await.unwrap().len(), 2);
    assert!(store.engine_inputs_version().await.unwrap() > version);
    let audit = store.audit_list(&Default::default()).await.unwrap();
    let imports: Vec<&str> = audit
        .iter()
        .filter(|a| a.action == "layer.import")
        .map(|a| a.entity_id.as_str())
        .collect();
    assert_eq!(imports.len(), 2, "{imports:?}");
    assert!(imports.contains(&id.to_string().as_str()));
    assert!(imports.contains(&farmland.id.to_string().as_str()));
    // A file with no usable feature: refused, and its staging rows are gone.
    let before = layer_rows(&store).await;
    let broken = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"N-1"},"geometry":null}]}"#.to_string();
    let files = [minplan_io::InputFile {
        name: "broken.geojson".into(),
        bytes: broken.into_bytes(),
    }];
    let e = store
        .import_layer(
            &LayerImport {
                files: &files,
                ..layer
            },
            &Actor::System,
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("没有可用的要素"), "{e}");
    assert_eq!(layer_rows(&store).await, before);
    // A staging row its process never finished, hours old, is removed by the next import;
    // one a running import has just written is not.
    let version = store.engine_inputs_version().await.unwrap();
    sqlx::query("INSERT INTO control_layer_versions (kind, name, source_file, source_crs, features_json, feature_count, problems_json, content_sha256, imported_at, active, state) VALUES ('ecological_red_line', '中断', 'x', 4490, '[]', 0, '[]', '', '2026-01-01T00:00:00Z', 0, 'staging'), ('ecological_red_line', '进行中', 'y', 4490, '[]', 0, '[]', '', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0, 'staging')")
        .execute(store.pool())
        .await
        .unwrap();
    let dead: i64 = sqlx::query_scalar("SELECT id FROM control_layer_versions WHERE name = '中断'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO control_layer_features (version_id, seq, feature_json) VALUES (?, 0, '{}')",
    )
    .bind(dead)
    .execute(store.pool())
    .await
    .unwrap();
    assert_eq!(
        store.engine_inputs_version().await.unwrap(),
        version,
        "staging rows raise no engine rebuild"
    );
    store.import_layer(&layer, &Actor::System).await.unwrap();
    let staging: Vec<String> =
        sqlx::query_scalar("SELECT name FROM control_layer_versions WHERE state = 'staging'")
            .fetch_all(store.pool())
            .await
            .unwrap();
    assert_eq!(staging, ["进行中"]);
    let orphan: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM control_layer_features WHERE version_id = ?")
            .bind(dead)
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert_eq!(orphan, 0);
}

/// A rights table is checked before the write (the web server's lock is taken for the write
/// only): when another import adds one of its licence numbers in between, the write checks
/// again and refuses that row instead of writing it twice; otherwise the check stands.
#[tokio::test]
async fn a_table_checked_before_another_import_is_checked_again_when_written() {
    use minplan_store::{BulkMode, CornerSettings};
    let store = seeded().await;
    let plan = store.active_plan().await.unwrap().unwrap().loaded.plan;
    let corners = std::fs::read_to_string(example("01-qingfa-quarry.txt")).unwrap();
    let header: Vec<String> = [
        "许可证号",
        "矿山名称",
        "矿业权人",
        "矿种",
        "生产规模",
        "规模单位",
        "拐点坐标",
    ]
    .map(str::to_string)
    .to_vec();
    let row = |licence: &str| {
        [
            licence,
            "某采石场",
            "某公司",
            "建筑用凝灰岩",
            "6",
            "万立方米/年",
            &corners,
        ]
        .map(str::to_string)
        .to_vec()
    };
    let table = vec![
        header.clone(),
        row("C2310812026010001"),
        row("C2310812026010002"),
    ];
    let s = CornerSettings::default();
    let check = store
        .check_rights_table(&plan, &table, "甲.csv", s)
        .await
        .unwrap();
    // Meanwhile another file imports one of the same licence numbers.
    let other = vec![header.clone(), row("C2310812026010002")];
    let out = store
        .import_rights_table(&plan, &other, "乙.csv", BulkMode::Commit, &Actor::System)
        .await
        .unwrap();
    assert_eq!(out.imported, 1);
    let out = store
        .write_rights_table(
            check,
            &plan,
            &table,
            "甲.csv",
            BulkMode::Commit,
            s,
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(
        (out.imported, out.committed),
        (0, false),
        "{:?}",
        out.problems
    );
    assert_eq!(out.problems.len(), 1);
    assert!(
        out.problems[0]
            .message
            .contains("C2310812026010002 已在登记簿中"),
        "{}",
        out.problems[0]
    );
    assert_eq!(store.list_rights().await.unwrap().len(), 1);
    // Unchanged register: the check stands and is written as it is.
    let mine = vec![header, row("C2310812026010003")];
    let check = store
        .check_rights_table(&plan, &mine, "丙.csv", s)
        .await
        .unwrap();
    let out = store
        .write_rights_table(
            check,
            &plan,
            &mine,
            "丙.csv",
            BulkMode::Commit,
            s,
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(
        (out.imported, out.committed),
        (1, true),
        "{:?}",
        out.problems
    );
    assert_eq!(store.list_rights().await.unwrap().len(), 2);
}
