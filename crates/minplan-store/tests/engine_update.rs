//! The engine as the server keeps it: imported layers projected as they are read
//! ([`Store::active_plane_layers`]) give the index the stored lon/lat features give, and a
//! saved review puts its application into the register in place
//! ([`ReviewEngine::update_application`]) exactly as a fresh load would have it.

#[allow(dead_code)]
mod common;

use minplan_domain::plan::ControlLayerKind;
use minplan_domain::review::config::ReviewConfig;
use minplan_domain::rights::{HolderLists, RightStatus};
use minplan_store::{Actor, LayerImport, ReviewEngine, Store, default_bundle};
use sha2::Digest;
use std::path::Path;
use std::sync::Arc;

const NOW: &str = "2026-11-25T02:00:00Z";

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

/// The review of an example by `engine` at [`NOW`], no lists, as JSON.
fn review_json(engine: &ReviewEngine, name: &str) -> serde_json::Value {
    let (toml, corners) = example(name);
    let app = engine
        .parse(&toml, corners.as_ref().map(|c| c.1.as_slice()))
        .unwrap();
    serde_json::to_value(engine.review_with(&app, NOW, &HolderLists::default(), None)).unwrap()
}

/// A store with the default plan and a farmland layer written as a county's GIS exports it:
/// EPSG:4532 with the zone prefix, a legacy `crs` member, numeric ids — two parcels over
/// the 庆发 quarry of example 01 (corners N 4911350–4911513, E 44428926–44429113).
async fn store_with_farmland(dir: &Path) -> Store {
    let store = Store::open(&dir.join("e.db")).await.unwrap();
    store.seed_if_empty(&default_bundle()).await.unwrap();
    let text = r#"{"type":"FeatureCollection","name":"farmland","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4532"}},"features":[
{"type":"Feature","id":7,"properties":{"fid":7,"dlbm":"0103"},"geometry":{"type":"Polygon","coordinates":[[[44428900.0,4911300.0],[44429000.0,4911300.0],[44429000.0,4911450.0],[44428900.0,4911450.0],[44428900.0,4911300.0]]]}}
,{"type":"Feature","id":8,"properties":{"fid":8,"dlbm":"0101"},"geometry":{"type":"Polygon","coordinates":[[[44429000.0,4911300.0],[44429200.0,4911300.0],[44429200.0,4911450.0],[44429000.0,4911450.0],[44429000.0,4911300.0]]]}}
]}"#;
    let zone = common::plan_zone(&store).await;
    let v = store
        .import_layer(
            &LayerImport {
                kind: ControlLayerKind::PermanentBasicFarmland,
                name: "永久基本农田",
                source_file: "farmland.geojson",
                files: &[minplan_io::InputFile {
                    name: "farmland.geojson".into(),
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
    assert_eq!(v.feature_count, 2);
    assert_eq!(v.source_crs, 4532);
    store
}

#[tokio::test]
async fn plane_layers_give_the_index_the_stored_features_give() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_farmland(dir.path()).await;
    let plane = ReviewEngine::load(&store).await.unwrap();
    let plan = Arc::new(store.active_plan().await.unwrap().unwrap());
    let whole = ReviewEngine::from_parts(
        plan,
        &store.active_layers().await.unwrap(),
        store.review_register().await.unwrap(),
        HolderLists::default(),
        ReviewConfig::default(),
        store.scale_table().await.unwrap().table,
    );
    let farmland = |e: &ReviewEngine| {
        e.index
            .control_layer(ControlLayerKind::PermanentBasicFarmland)
            .map(|c| (c.source.clone(), c.features.clone(), c.layer.piece_count()))
            .unwrap()
    };
    let (source, features, pieces) = farmland(&plane);
    assert!(source.starts_with("导入图层 #1"), "{source}");
    assert_eq!(
        features,
        vec![("7".to_string(), None), ("8".to_string(), None)]
    );
    assert_eq!(pieces, 2);
    assert_eq!(farmland(&whole), farmland(&plane));
    assert_eq!(plane.index.stats.features, whole.index.stats.features);
    assert_eq!(plane.index.stats.pieces, whole.index.stats.pieces);
    // The same review, to the last digit, and it does meet the imported parcels.
    let a = review_json(&plane, "01-qingfa-quarry.toml");
    assert_eq!(a, review_json(&whole, "01-qingfa-quarry.toml"));
    assert_ne!(
        a["conclusion"], "符合",
        "the quarry lies on the farmland: {}",
        a["conclusion"]
    );
}

#[tokio::test]
async fn a_saved_review_updates_the_register_as_a_reload_would() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_farmland(dir.path()).await;
    let mut engine = ReviewEngine::load(&store).await.unwrap();
    let before = engine.register().len();
    assert!(engine.register_is_current());
    let (toml, corners) = example("03-bielewa-geothermal.toml");
    let app = engine
        .parse(&toml, corners.as_ref().map(|c| c.1.as_slice()))
        .unwrap();
    let number = app.number.clone();
    assert!(store.pending_application(&number).await.unwrap().is_none());
    engine
        .review_and_save(
            &store,
            &app,
            &toml,
            corners.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())),
            &Actor::System,
        )
        .await
        .unwrap();
    let entry = store.pending_application(&number).await.unwrap().unwrap();
    assert_eq!(entry.status, RightStatus::Pending);
    assert_eq!(entry.id, number);
    engine.update_application(&number, Some(entry.clone()));
    // Reviewed again: the entry is replaced, not added twice.
    engine.update_application(&number, Some(entry));
    let fresh = ReviewEngine::load(&store).await.unwrap();
    assert_eq!(engine.register().len(), before + 1);
    let ids = |e: &ReviewEngine| {
        let mut v: Vec<String> = e.register().iter().map(|r| r.id.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(ids(&engine), ids(&fresh));
    assert!(ids(&engine).contains(&number));
    assert_eq!(engine.index.rights.feature_count(), before + 1);
    assert_eq!(engine.index.stats.features, fresh.index.stats.features);
    assert_eq!(engine.index.stats.pieces, fresh.index.stats.pieces);
    assert_eq!(format!("{:?}", engine.stats), format!("{:?}", fresh.stats));
    // Another application meets the pending one the same way through either engine.
    let other = review_json(&engine, "01-qingfa-quarry.toml");
    assert_eq!(other["register_size"], before + 1);
    assert_eq!(other, review_json(&fresh, "01-qingfa-quarry.toml"));
    // No longer pending: gone from the register and its index.
    engine.update_application(&number, None);
    assert_eq!(engine.register().len(), before);
    assert_eq!(engine.index.rights.feature_count(), before);
    assert!(!ids(&engine).contains(&number));
}

/// Migration 0030: a saved review lists its register by pages of entry digests, and each
/// distinct entry and page is stored once; the register read back is the engine's register;
/// entries and pages cannot be changed or removed; a record whose page or entry is missing is
/// refused by name instead of being read as an empty register.
#[tokio::test]
async fn saved_reviews_store_each_register_entry_once() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_farmland(dir.path()).await;
    let count = |table: &'static str| {
        let pool = store.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    // Twelve rights, 0.005° squares in a row inside the county.
    let features: Vec<String> = (0..12)
        .map(|k| {
            let x = 131.0 + 0.01 * f64::from(k);
            format!(
                r#"{{"type":"Feature","properties":{{"id":"C23108120190{k:02}","name":"采石场{k}","holder_name":"某公司{k}","credit_code":"91350100M000100Y43","kind":"采矿权","minerals":"建筑用凝灰岩","capacity":6,"capacity_unit":"万立方米/年","approval":"本级审批","valid_from":"2019-01-01","valid_to":"2099-01-31"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},44.40],[{x2},44.40],[{x2},44.405],[{x},44.405],[{x},44.40]]]}}}}"#,
                x2 = x + 0.005
            )
        })
        .collect();
    let rights = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    );
    let zone = common::plan_zone(&store).await;
    store
        .import_rights(&rights, "rights.geojson", zone, &Actor::System)
        .await
        .unwrap();
    let first_engine = ReviewEngine::load(&store).await.unwrap();
    let n = first_engine.register().len();
    assert_eq!(n, 12);
    let (first, whole) = save(&store, &first_engine, "01-qingfa-quarry.toml").await;
    assert_eq!(count("register_entries").await, n as i64);
    let pages = count("register_pages").await;
    assert!(pages >= 1);
    let record = store.review_record(first).await.unwrap();
    assert_eq!(record.register, whole);
    // The second review's register has the first application as pending: one entry more,
    // and only that one is written, with the last page or two.
    let second_engine = ReviewEngine::load(&store).await.unwrap();
    assert_eq!(second_engine.register().len(), n + 1);
    let (second, whole) = save(&store, &second_engine, "03-bielewa-geothermal.toml").await;
    assert_eq!(count("register_entries").await, n as i64 + 1);
    let new_pages = count("register_pages").await - pages;
    assert!((1..=2).contains(&new_pages), "{new_pages}");
    let record = store.review_record(second).await.unwrap();
    assert_eq!(record.register, whole);
    assert!(whole.to_string().contains("SFH-"), "{whole}");
    let (listed, text): (Vec<u8>, String) =
        sqlx::query_as("SELECT register_pages, register_json FROM reviews WHERE id = ?")
            .bind(second)
            .fetch_one(store.pool())
            .await
            .unwrap();
    assert!(!listed.is_empty() && listed.len() % 32 == 0 && listed.len() <= 32 * 13);
    assert_eq!(text, "");
    // Stored entries and pages are fixed.
    for sql in [
        "DELETE FROM register_entries",
        "UPDATE register_entries SET entry_json = '{}'",
        "DELETE FROM register_pages",
        "UPDATE register_pages SET entry_digests = x''",
    ] {
        let e = sqlx::query(sql).execute(store.pool()).await.unwrap_err();
        assert!(e.to_string().contains("登记簿条目不能"), "{sql}: {e}");
    }
    // A record pointing at a page that is not there says which; one whose page names an
    // entry that is not there too.
    let mut broken = listed.clone();
    broken[0] ^= 0xff;
    sqlx::query("UPDATE reviews SET register_pages = ? WHERE id = ?")
        .bind(broken)
        .bind(second)
        .execute(store.pool())
        .await
        .unwrap();
    let e = store.review_record(second).await.unwrap_err().to_string();
    assert!(e.contains("登记簿第 1 页缺失"), "{e}");
    let (first_page,): (Vec<u8>,) =
        sqlx::query_as("SELECT entry_digests FROM register_pages WHERE digest = ?")
            .bind(&listed[..32])
            .fetch_one(store.pool())
            .await
            .unwrap();
    let mut page = first_page.clone();
    page[32..64].fill(0);
    let digest: [u8; 32] = sha2::Sha256::digest(&page).into();
    sqlx::query("INSERT INTO register_pages (digest, entry_digests) VALUES (?, ?)")
        .bind(&digest[..])
        .bind(&page)
        .execute(store.pool())
        .await
        .unwrap();
    let mut broken = listed.clone();
    broken[..32].copy_from_slice(&digest);
    sqlx::query("UPDATE reviews SET register_pages = ? WHERE id = ?")
        .bind(broken)
        .bind(second)
        .execute(store.pool())
        .await
        .unwrap();
    let e = store.review_record(second).await.unwrap_err().to_string();
    assert!(e.contains("登记簿第 2 条缺失"), "{e}");
    // A review stored before 0030 keeps its register whole and reads as before.
    sqlx::query("UPDATE reviews SET register_pages = NULL, register_json = ? WHERE id = ?")
        .bind(whole.to_string())
        .bind(second)
        .execute(store.pool())
        .await
        .unwrap();
    let record = store.review_record(second).await.unwrap();
    assert_eq!(record.register, whole);
}

/// Saves a review of example `name` by `engine`: its id and the engine's register as JSON.
async fn save(store: &Store, engine: &ReviewEngine, name: &str) -> (i64, serde_json::Value) {
    let (toml, corners) = example(name);
    let app = engine
        .parse(&toml, corners.as_ref().map(|c| c.1.as_slice()))
        .unwrap();
    let (id, _) = engine
        .review_and_save(
            store,
            &app,
            &toml,
            corners.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())),
            &Actor::System,
        )
        .await
        .unwrap();
    (id, serde_json::to_value(engine.register()).unwrap())
}
