//! A stored review re-run from its inputs gives the same opinion (`minplan reviews verify`),
//! even after the register, the layers and the active plan have moved on; a record whose
//! stored result was altered is caught, by path.

use minplan_store::{Actor, LayerImport, ReviewEngine, Store, default_bundle};
use std::path::Path;

fn example(name: &str) -> (String, Option<(String, Vec<u8>)>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let toml = std::fs::read_to_string(dir.join(name)).unwrap();
    let corners = match minplan_domain::application::corner_source(&toml).unwrap() {
        minplan_domain::application::CornerSource::File(f) => {
            Some((f.clone(), std::fs::read(dir.join(&f)).unwrap()))
        }
        minplan_domain::application::CornerSource::Inline => None,
    };
    (toml, corners)
}

async fn review(store: &Store, name: &str) -> i64 {
    let engine = ReviewEngine::load(store).await.unwrap();
    let (toml, corners) = example(name);
    let app = engine
        .parse(&toml, corners.as_ref().map(|c| c.1.as_slice()))
        .unwrap();
    engine
        .review_and_save(
            store,
            &app,
            &toml,
            corners.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())),
            &Actor::System,
        )
        .await
        .unwrap()
        .0
}

#[tokio::test]
async fn replays_give_the_stored_opinion_after_the_world_changed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("r.db")).await.unwrap();
    store.seed_if_empty(&default_bundle()).await.unwrap();
    let first = review(&store, "01-qingfa-quarry.toml").await;
    let second = review(&store, "03-bielewa-geothermal.toml").await;
    // The world moves on: a new red-line layer over everything, a right over the quarry.
    let everything = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"ALL"},"geometry":{"type":"Polygon","coordinates":[[[130.9,44.25],[131.3,44.25],[131.3,44.6],[130.9,44.6],[130.9,44.25]]]}}]}"#;
    let zone = store
        .active_plan()
        .await
        .unwrap()
        .unwrap()
        .loaded
        .plan
        .region
        .zone;
    store
        .import_layer(
            &LayerImport {
                kind: minplan_domain::plan::ControlLayerKind::EcologicalRedLine,
                name: "生态保护红线（新）",
                source_file: "all.geojson",
                files: &[minplan_io::InputFile {
                    name: "layer.geojson".into(),
                    bytes: everything.as_bytes().to_vec(),
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
    // The bureau edits the 208号 table: 建筑用石 中型 from 5 down to 3 万立方米/年. The quarry
    // (6 万立方米/年) stays 中型, but the table's version label in the what-if changes — a
    // replay that read today's table would differ there.
    store
        .set_scale_row(
            minplan_domain::review::config::ScaleRow {
                mineral: "建筑用石".into(),
                unit: minplan_domain::units::Unit::WanM3PerYear,
                large_min: 10.0,
                medium_min: 3.0,
            },
            &Actor::System,
        )
        .await
        .unwrap();
    let now = review(&store, "01-qingfa-quarry.toml").await;
    let newer = store.review_record(now).await.unwrap();
    assert!(
        newer.scales["source"].as_str().unwrap().contains("第 1 版"),
        "{}",
        newer.scales
    );
    assert!(
        store.review_record(first).await.unwrap().scales["source"]
            .as_str()
            .unwrap()
            .contains("内置")
    );
    assert_eq!(
        newer.summary.conclusion, "不符合",
        "the new layer matters now"
    );
    assert_eq!(newer.summary.supersedes_id, Some(first));
    for id in [first, second, now] {
        let record = store.review_record(id).await.unwrap();
        let replay = store.replay_review(&record, None).await.unwrap();
        assert!(replay.matches(), "review {id}: {:?}", replay.differences);
        assert_eq!(replay.review.conclusion.label(), record.summary.conclusion);
    }
    // The first review still reads 符合: its inputs, not today's layer.
    let r1 = store.review_record(first).await.unwrap();
    assert_eq!(r1.summary.conclusion, "符合");
    assert!(r1.summary.superseded);
    assert_eq!(r1.summary.credit_code, "91231081MA1BQF0013");
}

#[tokio::test]
async fn an_altered_record_is_caught_by_path() {
    let store = Store::open_in_memory().await.unwrap();
    store.seed_if_empty(&default_bundle()).await.unwrap();
    let id = review(&store, "01-qingfa-quarry.toml").await;
    sqlx::query("UPDATE reviews SET result_json = json_set(result_json, '$.conclusion', '不符合', '$.rules[0].message', 'x') WHERE id = ?")
        .bind(id)
        .execute(store.pool())
        .await
        .unwrap();
    let record = store.review_record(id).await.unwrap();
    let replay = store.replay_review(&record, None).await.unwrap();
    assert!(!replay.matches());
    assert!(
        replay
            .differences
            .iter()
            .any(|d| d.starts_with(".conclusion：存档 \"不符合\"，重算 \"符合\"")),
        "{:?}",
        replay.differences
    );
    assert!(
        replay
            .differences
            .iter()
            .any(|d| d.starts_with(".rules[0].message：")),
        "{:?}",
        replay.differences
    );
}

#[tokio::test]
async fn records_of_rights_and_applications() {
    let store = Store::open_in_memory().await.unwrap();
    store.seed_if_empty(&default_bundle()).await.unwrap();
    let rights = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"C2310812019011","name":"某采石场","holder_name":"某公司","credit_code":"91350100M000100Y43","kind":"采矿权","minerals":"建筑用凝灰岩","capacity":6,"capacity_unit":"万立方米/年","approval":"本级审批","valid_from":"2019-01-01","valid_to":"2027-01-31"},"geometry":{"type":"Polygon","coordinates":[[[131.0,44.40],[131.01,44.40],[131.01,44.41],[131.0,44.41],[131.0,44.40]]]}}]}"#;
    let zone = store
        .active_plan()
        .await
        .unwrap()
        .unwrap()
        .loaded
        .plan
        .region
        .zone;
    store
        .import_rights(rights, "rights.geojson", zone, &Actor::System)
        .await
        .unwrap();
    let all = store.right_records().await.unwrap();
    assert_eq!(all.len(), 1);
    let r = store.right_record("C2310812019011").await.unwrap();
    assert_eq!(
        (
            r.valid_to.as_deref(),
            r.credit_code.as_deref(),
            r.minerals.len()
        ),
        (Some("2027-01-31"), Some("91350100M000100Y43"), 1)
    );
    assert!(store.right_record("nope").await.is_err());
    review(&store, "01-qingfa-quarry.toml").await;
    let apps = store.application_records().await.unwrap();
    assert_eq!(apps.len(), 1);
    let a = &apps[0];
    assert_eq!(
        (a.number.as_str(), a.status.as_str(), a.received.as_deref()),
        ("SFH-2026-001", "在审", Some("2026-11-20"))
    );
    assert_eq!(
        a.conclusion,
        Some(
            store
                .review_record(a.latest_review_id.unwrap())
                .await
                .unwrap()
                .summary
                .conclusion
        )
    );
    assert!(!a.geometry.is_empty());
}

/// The 申报面积 of an application travels to the register's record (`applications.declared_area`,
/// migration 0006): absent for a file without it, as written for one with it, and the review
/// replays to the same record either way.
#[tokio::test]
async fn the_declared_area_is_kept_with_the_application() {
    let store = Store::open_in_memory().await.unwrap();
    store.seed_if_empty(&default_bundle()).await.unwrap();
    let first = review(&store, "01-qingfa-quarry.toml").await;
    let apps = store.application_records().await.unwrap();
    assert_eq!(apps[0].declared_area, None);
    let engine = ReviewEngine::load(&store).await.unwrap();
    let (toml, corners) = example("01-qingfa-quarry.toml");
    let toml = toml.replacen("\n[holder]", "declared_area = \"2公顷\"\n\n[holder]", 1);
    let corners = corners.unwrap();
    let app = engine.parse(&toml, Some(&corners.1)).unwrap();
    let (second, _) = engine
        .review_and_save(
            &store,
            &app,
            &toml,
            Some((corners.0.as_str(), corners.1.as_slice())),
            &Actor::System,
        )
        .await
        .unwrap();
    let apps = store.application_records().await.unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].latest_review_id, Some(second));
    assert_eq!(apps[0].declared_area.as_deref(), Some("2公顷"));
    for id in [first, second] {
        let record = store.review_record(id).await.unwrap();
        let replay = store.replay_review(&record, None).await.unwrap();
        assert!(
            replay.differences.is_empty(),
            "{id}: {:?}",
            replay.differences
        );
    }
}

/// Reviews saved by the previous release (tests/data/previous-release: built before the
/// overlay's clipping fast path) verify with this one: their conflict parts, clipped then by
/// i_overlay, start their rings elsewhere and differ in the last digits, and are compared as
/// shapes.
#[tokio::test]
async fn a_review_saved_by_the_previous_release_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/previous-release/reviews-97b69d2.db"),
        &path,
    )
    .unwrap();
    let store = Store::open(&path).await.unwrap();
    for id in [1, 2] {
        let record = store.review_record(id).await.unwrap();
        let replay = store.replay_review(&record, None).await.unwrap();
        assert!(replay.matches(), "review {id}: {:?}", replay.differences);
        assert_eq!(replay.review.conclusion.label(), record.summary.conclusion);
    }
    // Review 1's two farmland parts are not written point for point as they were.
    let record = store.review_record(1).await.unwrap();
    let replay = store.replay_review(&record, None).await.unwrap();
    let parts = |v: &serde_json::Value| -> Vec<serde_json::Value> {
        v["rules"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["conflicts"].as_array().unwrap().clone())
            .map(|c| c["geometry"].clone())
            .collect()
    };
    let (stored, again) = (
        parts(&record.result),
        parts(&serde_json::to_value(&replay.review).unwrap()),
    );
    assert_eq!((stored.len(), again.len()), (2, 2));
    assert_ne!(stored, again);
}
