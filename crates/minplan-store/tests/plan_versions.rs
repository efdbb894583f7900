//! Plan import, versions, another county's bundle, and malformed bundles: each check gives
//! its named error at the right place and leaves the store unchanged.

use minplan_domain::bundle::{BundleErrorKind, BundleFiles};
use minplan_store::{Actor, Store, StoreError, default_bundle, read_bundle_dir};
use std::path::PathBuf;

async fn seeded() -> Store {
    let store = Store::open_in_memory().await.unwrap();
    store
        .seed_if_empty(&default_bundle())
        .await
        .unwrap()
        .expect("seeded");
    store
}

fn text(files: &BundleFiles, path: &str) -> String {
    String::from_utf8(files.get(path).unwrap().to_vec()).unwrap()
}

/// Replaces the single occurrence of `from` in `path`.
fn replace_once(files: &mut BundleFiles, path: &str, from: &str, to: &str) {
    let t = text(files, path);
    assert_eq!(
        t.matches(from).count(),
        1,
        "{from:?} must occur once in {path}"
    );
    files.insert(path, t.replacen(from, to, 1));
}

fn line_of(files: &BundleFiles, path: &str, needle: &str) -> usize {
    let t = text(files, path);
    let off = t
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {path}"));
    t[..off].matches('\n').count() + 1
}

/// Edits a feature's coordinates of a GeoJSON layer.
fn edit_feature(
    files: &mut BundleFiles,
    path: &str,
    id_key: &str,
    id: &str,
    f: impl Fn(&mut Vec<serde_json::Value>),
) {
    let mut v: serde_json::Value = serde_json::from_str(&text(files, path)).unwrap();
    let feat = v["features"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|x| x["properties"][id_key] == id)
        .unwrap();
    let ring = feat["geometry"]["coordinates"][0].as_array_mut().unwrap();
    f(ring);
    files.insert(path, serde_json::to_string_pretty(&v).unwrap());
}

struct Expect {
    kind: BundleErrorKind,
    file: &'static str,
    line: Option<usize>,
    field_contains: &'static str,
    message_contains: &'static str,
}

async fn assert_rejected(store: &Store, files: &BundleFiles, e: Expect) {
    let before = store.list_plans().await.unwrap();
    let rows_before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_files")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let active_before = store.active_plan().await.unwrap().unwrap().info;
    let err = match store.import_plan(files, "test", true, &Actor::System).await {
        Err(StoreError::Bundle(errs)) => errs,
        Err(other) => panic!("expected a bundle error, got {other}"),
        Ok(_) => panic!("a malformed bundle was imported"),
    };
    let hit = err
        .0
        .iter()
        .find(|x| x.kind == e.kind)
        .unwrap_or_else(|| panic!("no {:?} in {err}", e.kind));
    assert_eq!(hit.file, e.file, "{hit}");
    if e.line.is_some() {
        assert_eq!(hit.line, e.line, "{hit}");
    }
    assert!(hit.field.contains(e.field_contains), "field of {hit}");
    assert!(hit.message.contains(e.message_contains), "message of {hit}");
    // Nothing changed.
    assert_eq!(store.list_plans().await.unwrap(), before);
    let rows_after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_files")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert_eq!(rows_after, rows_before);
    assert_eq!(
        store.active_plan().await.unwrap().unwrap().info,
        active_before
    );
}

#[tokio::test]
async fn seeds_the_default_plan_once() {
    let store = seeded().await;
    assert!(
        store
            .seed_if_empty(&default_bundle())
            .await
            .unwrap()
            .is_none()
    );
    let list = store.list_plans().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].adcode.as_str(), list[0].version, list[0].active),
        ("231081", 1, true)
    );
    let active = store.active_plan().await.unwrap().unwrap();
    assert_eq!(
        active.loaded.plan.identity.name.value,
        "绥芬河市矿产资源总体规划（2021～2025年）"
    );
}

#[tokio::test]
async fn a_changed_bundle_is_a_new_version_and_an_identical_one_is_not_stored_twice() {
    let store = seeded().await;
    let mut files = default_bundle();
    replace_once(
        &mut files,
        "plan.toml",
        "note = \"约 600 米\"",
        "note = \"约 600 米（修订）\"",
    );
    let out = store
        .import_plan(&files, "修订", true, &Actor::System)
        .await
        .unwrap();
    assert!(out.created);
    assert_eq!(out.version.version, 2);
    let again = store
        .import_plan(&files, "修订", true, &Actor::System)
        .await
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.version.id, out.version.id);
    let list = store.list_plans().await.unwrap();
    assert_eq!(list.iter().map(|p| p.version).collect::<Vec<_>>(), [2, 1]);
    // Version 1 is kept intact and can be switched back to.
    let v1 = list.iter().find(|p| p.version == 1).unwrap();
    store.activate(v1.id, &Actor::System).await.unwrap();
    let active = store.active_plan().await.unwrap().unwrap();
    assert_eq!(active.info.version, 1);
    assert_eq!(
        active
            .loaded
            .plan
            .figure("mean_elevation")
            .unwrap()
            .note
            .as_deref(),
        Some("约 600 米")
    );
}

#[tokio::test]
async fn another_countys_bundle_loads_the_same_way() {
    let store = seeded().await;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/test-county");
    let files = read_bundle_dir(&dir).unwrap();
    let out = store
        .import_plan(&files, &dir.display().to_string(), true, &Actor::System)
        .await
        .unwrap();
    assert_eq!(
        (out.version.adcode.as_str(), out.version.version),
        ("999001", 1)
    );
    let active = store.active_plan().await.unwrap().unwrap();
    let plan = &active.loaded.plan;
    assert_eq!(plan.region.zone.epsg(), 4529);
    assert_eq!(plan.blocks.len(), 1);
    assert!(
        (plan.blocks[0].area_km2 - 1.0).abs() < 0.01,
        "{}",
        plan.blocks[0].area_km2
    );
    assert!(plan.text.is_none());
    assert_eq!(store.list_plans().await.unwrap().len(), 2);
}

#[tokio::test]
async fn missing_citation() {
    let store = seeded().await;
    let mut f = default_bundle();
    replace_once(
        &mut f,
        "plan.toml",
        "value = 460\nunit = \"km²\"\ncite = \"一（一）1\"\n",
        "value = 460\nunit = \"km²\"\n",
    );
    let line = line_of(&f, "plan.toml", "key = \"region_area\"") - 1; // the [[baseline]] header
    assert_rejected(
        &store,
        &f,
        Expect {
            kind: BundleErrorKind::MissingCitation,
            file: "plan.toml",
            line: Some(line),
            field_contains: "行政区面积",
            message_contains: "出处",
        },
    )
    .await;
}

#[tokio::test]
async fn malformed_citation() {
    let store = seeded().await;
    let mut f = default_bundle();
    replace_once(
        &mut f,
        "plan.toml",
        "metric = \"output_value\"\ncite = \"专栏2\"",
        "metric = \"output_value\"\ncite = \"第二栏\"",
    );
    let line = line_of(&f, "plan.toml", "cite = \"第二栏\"");
    assert_rejected(
        &store,
        &f,
        Expect {
            kind: BundleErrorKind::BadCitation,
            file: "plan.toml",
            line: Some(line),
            field_contains: "矿业总产值",
            message_contains: "第二栏",
        },
    )
    .await;
}

#[tokio::test]
async fn citation_to_a_section_the_text_does_not_have() {
    let store = seeded().await;
    let mut f = default_bundle();
    replace_once(
        &mut f,
        "plan.toml",
        "cite = \"五（三）1\"",
        "cite = \"五（九）1\"",
    );
    let line = line_of(&f, "plan.toml", "cite = \"五（九）1\"");
    assert_rejected(
        &store,
        &f,
        Expect {
            kind: BundleErrorKind::CitationNotInText,
            file: "plan.toml",
            line: Some(line),
            field_contains: "min_scales",
            message_contains: "五（九）1",
        },
    )
    .await;
}

#[tokio::test]
async fn unknown_unit() {
    let store = seeded().await;
    let mut f = default_bundle();
    replace_once(
        &mut f,
        "plan.toml",
        "unit = \"万元\"\ntarget = 1000",
        "unit = \"万圆\"\ntarget = 1000",
    );
    let line = line_of(&f, "plan.toml", "unit = \"万圆\"");
    assert_rejected(
        &store,
        &f,
        Expect {
            kind: BundleErrorKind::UnknownUnit,
            file: "plan.toml",
            line: Some(line),
            field_contains: "矿业总产值",
            message_contains: "万圆",
        },
    )
    .await;
}

#[tokio::test]
async fn indicator_without_target() {
    let store = seeded().await;
    let mut f = default_bundle();
    replace_once(
        &mut f,
        "plan.toml",
        "unit = \"万元\"\ntarget = 1000\n",
        "unit = \"万元\"\n",
    );
    let line = line_of(&f, "plan.toml", "key = \"output_value\"") - 1;
    assert_rejected(
        &store,
        &f,
        Expect {
            kind: BundleErrorKind::MissingTarget,
            file: "plan.toml",
            line: Some(line),
            field_contains: "矿业总产值",
            message_contains: "目标值",
        },
    )
    .await;
}

#[tokio::test]
async fn block_area_disagreeing_with_its_stated_area() {
    let store = seeded().await;
    let mut f = default_bundle();
    // 金家沟 is drawn at 0.03 km²; stating 0.05 km² for it alone is off by 67 %.
    replace_once(
        &mut f,
        "plan.toml",
        "minerals = [\"建筑用石\"]\ncategory = \"砂石土类\"\n",
        "minerals = [\"建筑用石\"]\ncategory = \"砂石土类\"\nstated_area = { value = 0.05, unit = \"km²\", cite = \"四（三）2\" }\n",
    );
    let line = line_of(&f, "plan.toml", "stated_area = { value = 0.05");
    assert_rejected(
        &store,
        &f,
        Expect {
            kind: BundleErrorKind::AreaMismatch,
            file: "plan.toml",
            line: Some(line),
            field_contains: "金家沟",
            message_contains: "0.0300",
        },
    )
    .await;
}

#[tokio::test]
async fn group_total_disagreeing_with_its_blocks() {
    let store = seeded().await;
    let mut f = default_bundle();
    replace_once(
        &mut f,
        "plan.toml",
        "total_area = { value = 0.05,",
        "total_area = { value = 0.06,",
    );
    let line = line_of(&f, "plan.toml", "total_area = { value = 0.06,");
    assert_rejected(
        &store,
        &f,
        Expect {
            kind: BundleErrorKind::AreaMismatch,
            file: "plan.toml",
            line: Some(line),
            field_contains: "本级审批发证",
            message_contains: "超过 1%",
        },
    )
    .await;
}

#[tokio::test]
async fn geometry_outside_the_county() {
    let store = seeded().await;
    let mut f = default_bundle();
    edit_feature(
        &mut f,
        "layers/blocks.geojson",
        "number",
        "231081-C05",
        |ring| {
            for p in ring {
                p[0] = serde_json::json!(p[0].as_f64().unwrap() + 0.5);
            }
        },
    );
    let line = line_of(&f, "layers/blocks.geojson", "\"231081-C05\"");
    assert_rejected(
        &store,
        &f,
        Expect {
            kind: BundleErrorKind::OutsideRegion,
            file: "layers/blocks.geojson",
            line: Some(line),
            field_contains: "231081-C05",
            message_contains: "行政区范围之外",
        },
    )
    .await;
}

#[tokio::test]
async fn self_intersecting_ring() {
    let store = seeded().await;
    let mut f = default_bundle();
    // Two diameters of the blob as edges: p0→p6→p3→p9→p0 crosses itself.
    edit_feature(
        &mut f,
        "layers/ecological_red_line.geojson",
        "id",
        "ERL-1",
        |ring| {
            *ring = vec![
                ring[0].clone(),
                ring[6].clone(),
                ring[3].clone(),
                ring[9].clone(),
                ring[0].clone(),
            ];
        },
    );
    assert_rejected(
        &store,
        &f,
        Expect {
            kind: BundleErrorKind::InvalidRing,
            file: "layers/ecological_red_line.geojson",
            line: None,
            field_contains: "ERL-1",
            message_contains: "相交",
        },
    )
    .await;
}

#[tokio::test]
async fn unclosed_ring() {
    let store = seeded().await;
    let mut f = default_bundle();
    edit_feature(
        &mut f,
        "layers/ecological_red_line.geojson",
        "id",
        "ERL-2",
        |ring| {
            ring.pop();
        },
    );
    assert_rejected(
        &store,
        &f,
        Expect {
            kind: BundleErrorKind::InvalidRing,
            file: "layers/ecological_red_line.geojson",
            line: None,
            field_contains: "ERL-2",
            message_contains: "未闭合",
        },
    )
    .await;
}

#[tokio::test]
async fn toml_syntax_error() {
    let store = seeded().await;
    let mut f = default_bundle();
    replace_once(&mut f, "plan.toml", "\n[admission]\n", "\n[admission\n");
    let line = line_of(&f, "plan.toml", "[admission\n");
    assert_rejected(
        &store,
        &f,
        Expect {
            kind: BundleErrorKind::Syntax,
            file: "plan.toml",
            line: Some(line),
            field_contains: "",
            message_contains: "TOML",
        },
    )
    .await;
}

#[tokio::test]
async fn unknown_field() {
    let store = seeded().await;
    let mut f = default_bundle();
    replace_once(
        &mut f,
        "plan.toml",
        "short_name = ",
        "colour = \"red\"\nshort_name = ",
    );
    let line = line_of(&f, "plan.toml", "colour = ");
    assert_rejected(
        &store,
        &f,
        Expect {
            kind: BundleErrorKind::Syntax,
            file: "plan.toml",
            line: Some(line),
            field_contains: "",
            message_contains: "colour",
        },
    )
    .await;
}

#[tokio::test]
async fn missing_layer_file() {
    let store = seeded().await;
    let src = default_bundle();
    let mut f = BundleFiles::new();
    for (p, c) in src
        .iter()
        .filter(|(p, _)| *p != "layers/visible_corridors.geojson")
    {
        f.insert(p, c.to_vec());
    }
    let line = line_of(
        &f,
        "plan.toml",
        "file = \"layers/visible_corridors.geojson\"",
    );
    assert_rejected(
        &store,
        &f,
        Expect {
            kind: BundleErrorKind::MissingFile,
            file: "plan.toml",
            line: Some(line),
            field_contains: "三区两线",
            message_contains: "visible_corridors",
        },
    )
    .await;
}
