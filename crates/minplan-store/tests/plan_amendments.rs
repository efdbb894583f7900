//! Plan units and versions in force (issue 13): two units sharing an adcode stay apart; an
//! amendment (`[version] kind = "修改"`) is cross-checked against its difference with the
//! version before it; an application is reviewed against the version in force on its
//! 受理日期, and the review names that version.

use minplan_domain::bundle::{BundleErrorKind, BundleFiles};
use minplan_domain::plan::{ChangeAction, ChangePart, LonLatPolygon};
use minplan_domain::review::RuleOutcome;
use minplan_store::{Actor, ReviewEngine, Store, StoreError, default_bundle, read_bundle_dir};

async fn seeded() -> Store {
    let store = Store::open_in_memory().await.unwrap();
    store.seed_if_empty(&default_bundle()).await.unwrap();
    store
}

fn example(name: &str) -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

fn text(files: &BundleFiles, path: &str) -> String {
    String::from_utf8(files.get(path).unwrap().to_vec()).unwrap()
}

/// Example 04 (stone beside the railway, in no planning block), received on `received`.
fn stone_application(received: &str) -> (String, Vec<u8>) {
    let toml = std::fs::read_to_string(example("04-stone-in-rail-corridor.toml")).unwrap();
    assert_eq!(toml.matches("received = \"2026-11-23\"").count(), 1);
    let toml = toml.replace(
        "received = \"2026-11-23\"",
        &format!("received = \"{received}\""),
    );
    let toml = toml.replace("SFH-2026-004", &format!("SFH-{received}"));
    (
        toml,
        std::fs::read(example("04-stone-in-rail-corridor.txt")).unwrap(),
    )
}

/// The application's area in lon/lat, as the original plan's review computes it.
async fn stone_geometry(store: &Store) -> Vec<LonLatPolygon> {
    let engine = ReviewEngine::load(store).await.unwrap();
    let (toml, corners) = stone_application("2024-03-01");
    let app = engine.parse(&toml, Some(&corners)).unwrap();
    engine
        .review(&app, "2024-03-01T00:00:00Z")
        .application_geometry
}

/// Parses an application (with its corner file `c.txt`) and reviews it against the version
/// in force on its 受理日期, saving the review, on an engine loaded now (an engine loaded
/// before an earlier save is outdated and its save refused).
async fn review_saved(
    store: &Store,
    toml: &str,
    corners: &[u8],
) -> (i64, minplan_domain::review::ConformityReview) {
    let engine = ReviewEngine::load(store).await.unwrap();
    let app = engine.parse(toml, Some(corners)).unwrap();
    engine
        .review_and_save(store, &app, toml, Some(("c.txt", corners)), &Actor::System)
        .await
        .unwrap()
}

const VERSION: &str = r#"
[version]
kind = "修改"
basis = { title = "《关于同意绥芬河市矿产资源总体规划（2021～2025年）调整的批复》", number = "牡政函〔2024〕31号", issuer = "牡丹江市人民政府" }
approved = "2024-06-15"
effective = "2024-07-01"
"#;

/// The Suifenhe bundle copied into a temporary directory, amended there: a 省级 mining block
/// 231081-C99 (建筑用石) drawn on `geometry`, `[version]` with the given stated changes.
fn amended(geometry: &[LonLatPolygon], changes: &str) -> (tempfile::TempDir, BundleFiles) {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in default_bundle().iter() {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }
    let plan = dir.path().join("plan.toml");
    let mut t = std::fs::read_to_string(&plan).unwrap();
    // `[version]` right after `[identity]` (before `[region]`), as the format asks.
    assert_eq!(t.matches("\n[region]\n").count(), 1);
    t = t.replacen(
        "\n[region]\n",
        &format!("{VERSION}{changes}\n[region]\n"),
        1,
    );
    t.push_str(
        r#"
[[blocks]]
number = "231081-C99"
name = "滨绥铁路旁建筑用石开采规划区块（调整新增）"
kind = "开采"
approval = "省级"
minerals = ["建筑用石"]
schematic = true
cite = "四（三）2"
"#,
    );
    std::fs::write(&plan, t).unwrap();
    let layer = dir.path().join("layers/blocks.geojson");
    let mut fc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&layer).unwrap()).unwrap();
    let coordinates = if geometry.len() == 1 {
        serde_json::json!({ "type": "Polygon", "coordinates": geometry[0] })
    } else {
        serde_json::json!({ "type": "MultiPolygon", "coordinates": geometry })
    };
    fc["features"].as_array_mut().unwrap().push(serde_json::json!({
        "type": "Feature",
        "properties": { "number": "231081-C99", "name": "调整新增", "kind": "开采", "schematic": true },
        "geometry": coordinates,
    }));
    std::fs::write(&layer, fc.to_string()).unwrap();
    let files = read_bundle_dir(dir.path()).unwrap();
    (dir, files)
}

const STATED_ADDED: &str = r#"changes = [
  { part = "规划区块", action = "新增", number = "231081-C99" },
]
"#;

#[tokio::test]
async fn two_units_sharing_an_adcode_are_two_plans_not_two_versions() {
    let store = seeded().await;
    let mut files = default_bundle();
    let t = text(&files, "plan.toml")
        .replacen("level = \"县级\"", "level = \"经开区\"", 1)
        .replacen(
            "[region]\nname = \"绥芬河市\"",
            "[region]\nname = \"绥芬河经济开发区\"",
            1,
        );
    files.insert("plan.toml", t);
    let out = store
        .import_plan(&files, "开发区", false, &Actor::System)
        .await
        .unwrap();
    assert!(out.created);
    // Its own plan, numbered from 1, not version 2 of the county's.
    assert_eq!(out.version.version, 1);
    assert_eq!(out.version.level, "开发区");
    assert_eq!(out.version.unit_name, "绥芬河经济开发区");
    assert_eq!(out.version.adcode, "231081");
    let list = store.list_plans().await.unwrap();
    assert_eq!(list.len(), 2);
    let mut units: Vec<String> = list.iter().map(|p| p.unit_label()).collect();
    units.sort();
    assert_eq!(
        units,
        [
            "县级 绥芬河市（231081）",
            "开发区 绥芬河经济开发区（231081）"
        ]
    );
    for p in &list {
        assert_eq!(p.version, 1, "{}", p.unit_label());
        let history = store.plan_history(p.id).await.unwrap();
        assert_eq!(history.len(), 1, "{}", p.unit_label());
    }
    // Without [version] nothing is invented: in force from the start of the period.
    let county = list.iter().find(|p| p.level == "县级").unwrap();
    assert_eq!(county.kind_label(), "未载明");
    assert_eq!(county.basis_label(), "未载明");
    assert_eq!(county.effective, "2021-01-01");
    assert_eq!(county.approved, None);
}

#[tokio::test]
async fn an_application_is_reviewed_against_the_version_in_force_when_received() {
    let store = seeded().await;
    let original = store.active_plan().await.unwrap().unwrap().info;
    let geometry = stone_geometry(&store).await;
    let (_dir, files) = amended(&geometry, STATED_ADDED);
    let out = store
        .import_plan(&files, "调整", true, &Actor::System)
        .await
        .unwrap();
    assert!(out.created);
    let amendment = out.version;
    assert_eq!(amendment.version, 2);
    assert_eq!(amendment.kind_label(), "修改");
    assert_eq!(amendment.effective, "2024-07-01");
    assert_eq!(amendment.approved.as_deref(), Some("2024-06-15"));
    assert_eq!(
        amendment.basis_number.as_deref(),
        Some("牡政函〔2024〕31号")
    );

    // The diff of the amendment against the original lists the added block, and only it.
    let (previous, changes) = store.plan_changes(amendment.id).await.unwrap().unwrap();
    assert_eq!(previous.id, original.id);
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        (changes[0].part, changes[0].action, changes[0].item.as_str()),
        (ChangePart::Block, ChangeAction::Added, "231081-C99")
    );
    assert!(store.plan_changes(original.id).await.unwrap().is_none());
    // The import's audit row carries the changes.
    let audit = store
        .audit_trail("plan_version", &amendment.id.to_string())
        .await
        .unwrap();
    let import = audit.iter().find(|r| r.action == "plan.import").unwrap();
    let after: serde_json::Value = serde_json::from_str(import.after.as_deref().unwrap()).unwrap();
    assert!(after["changes"][0].as_str().unwrap().contains("231081-C99"));

    let engine = ReviewEngine::load(&store).await.unwrap();
    assert_eq!(engine.plan.info.id, amendment.id);

    // Received before the amendment took effect: the original, where no block covers it.
    let (toml, corners) = stone_application("2024-03-01");
    let (id, before) = review_saved(&store, &toml, &corners).await;
    assert_eq!(before.plan.version_id, original.id);
    assert_eq!(before.plan.effective, "2021-01-01");
    assert_eq!(before.plan.version_kind, "未载明");
    assert_eq!(before.plan.in_force_on, "2024-03-01");
    assert_eq!(before.rule("R2").unwrap().outcome, RuleOutcome::Fail);
    let record = store.review_record(id).await.unwrap();
    assert_eq!(record.summary.plan_version_id, original.id);
    // Re-run from its inputs, it is the same review against the same (earlier) version.
    let replay = store.replay_review(&record, None).await.unwrap();
    assert!(replay.matches(), "{:?}", replay.differences);
    assert_eq!(replay.plan.info.id, original.id);

    // Received after: the amendment, whose new block covers it.
    let (toml, corners) = stone_application("2024-08-01");
    let (id, after) = review_saved(&store, &toml, &corners).await;
    assert_eq!(after.plan.version_id, amendment.id);
    assert_ne!(after.rule("R2").unwrap().outcome, RuleOutcome::Fail);
    // The stored review names the version: name, effective date and basis number.
    let record = store.review_record(id).await.unwrap();
    assert_eq!(record.summary.plan_version_id, amendment.id);
    let plan = &record.result["plan"];
    assert_eq!(plan["effective"], "2024-07-01");
    assert_eq!(plan["version_kind"], "修改");
    assert_eq!(plan["basis_number"], "牡政函〔2024〕31号");
    assert_eq!(plan["name"], "绥芬河市矿产资源总体规划（2021～2025年）");
    assert!(after.plan.describe().contains("2024-07-01 起施行"));

    // A stored review against the earlier version replays to the same record.
    let replay = store.replay_review(&record, None).await.unwrap();
    assert!(replay.matches(), "{:?}", replay.differences);
}

#[tokio::test]
async fn an_amendment_must_state_what_it_changes() {
    let store = seeded().await;
    let before = store.list_plans().await.unwrap();
    let geometry = stone_geometry(&store).await;

    // A stated change the diff does not find, named.
    let stated = r#"changes = [
  { part = "规划区块", action = "新增", number = "231081-C99" },
  { part = "规划区块", action = "删除", number = "231081-C05" },
]
"#;
    let (_dir, files) = amended(&geometry, stated);
    let Err(StoreError::Bundle(errors)) = store
        .import_plan(&files, "调整", true, &Actor::System)
        .await
    else {
        panic!("accepted a stated change that is not in the diff")
    };
    assert_eq!(errors.0.len(), 1, "{errors}");
    assert_eq!(errors.0[0].kind, BundleErrorKind::ChangeMismatch);
    assert!(
        errors.0[0].message.contains("规划区块 删除 231081-C05"),
        "{}",
        errors.0[0].message
    );

    // A change the diff finds but the bundle does not state, named.
    let (_dir, files) = amended(&geometry, "");
    let Err(StoreError::Bundle(errors)) = store
        .import_plan(&files, "调整", true, &Actor::System)
        .await
    else {
        panic!("accepted an unstated change")
    };
    assert_eq!(errors.0.len(), 1, "{errors}");
    assert!(
        errors.0[0].message.contains("未载明的修改") && errors.0[0].message.contains("231081-C99"),
        "{}",
        errors.0[0].message
    );
    // Nothing was written.
    assert_eq!(store.list_plans().await.unwrap(), before);
}

#[tokio::test]
async fn an_amendment_without_an_earlier_version_is_refused() {
    let store = Store::open_in_memory().await.unwrap();
    let mut files = default_bundle();
    let t =
        text(&files, "plan.toml").replacen("\n[region]\n", &format!("{VERSION}\n[region]\n"), 1);
    files.insert("plan.toml", t);
    let Err(StoreError::Bundle(errors)) = store
        .import_plan(&files, "调整", true, &Actor::System)
        .await
    else {
        panic!("accepted an amendment of nothing")
    };
    assert!(errors.0[0].message.contains("更早施行的版本"), "{errors}");
}

#[tokio::test]
async fn versions_stored_before_plan_units_get_their_unit_from_their_bundle() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let store = Store::open(&path).await.unwrap();
        store.seed_if_empty(&default_bundle()).await.unwrap();
        // As migration 0009 leaves a row stored before it.
        sqlx::query("UPDATE plan_versions SET unit_name = '', level = '县级'")
            .execute(store.pool())
            .await
            .unwrap();
        store.pool().close().await;
    }
    let store = Store::open(&path).await.unwrap();
    let list = store.list_plans().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].unit_label(), "县级 绥芬河市（231081）");
    assert_eq!(list[0].effective, "2021-01-01");
}

/// An invented county's plan amended mid-period (`tests/data/counties/baihe-county` and
/// `baihe-county-2024`: a block added under a 修改通知 cited as its own source): an
/// application on the new block received before the amendment took effect is reviewed
/// against the original (no block there), one received after against the amendment.
#[tokio::test]
async fn an_invented_county_amended_mid_period() {
    let counties = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../minplan-domain/tests/data/counties");
    let store = Store::open_in_memory().await.unwrap();
    let original = read_bundle_dir(&counties.join("baihe-county")).unwrap();
    let first = store
        .import_plan(&original, "数据包 baihe-county", true, &Actor::System)
        .await
        .unwrap()
        .version;
    assert_eq!(first.kind_label(), "批准");
    let amended = read_bundle_dir(&counties.join("baihe-county-2024")).unwrap();
    let second = store
        .import_plan(&amended, "数据包 baihe-county-2024", true, &Actor::System)
        .await
        .unwrap()
        .version;
    assert_eq!((second.version, second.kind_label()), (2, "修改"));
    assert_eq!(second.basis_number.as_deref(), Some("东政函〔2024〕53号"));
    let engine = ReviewEngine::load(&store).await.unwrap();
    let plan = &engine.plan.loaded.plan;
    // The new block's citation names the notice it comes from.
    let c02 = plan
        .blocks
        .iter()
        .find(|b| b.number == "990103-C02")
        .unwrap();
    assert!(
        plan.cite_label(&c02.cite)
            .starts_with("《白河县自然资源局关于"),
        "{}",
        plan.cite_label(&c02.cite)
    );
    // An application on 东岭 (the added block), corners in zone 40.
    let tm = plan.region.zone.with_prefix(false).projection();
    let mut corners = String::from("拐点,X(起标高),Y(止标高)\n");
    for (k, (lon, lat)) in [
        (120.7002, 45.1502),
        (120.7298, 45.1502),
        (120.7298, 45.1698),
        (120.7002, 45.1698),
    ]
    .into_iter()
    .enumerate()
    {
        let (x, y) = tm.forward(lon, lat);
        corners += &format!("{},{:.2},{:.2}, , ,\n", k + 1, y, 40e6 + x);
    }
    corners += "*,520,440,采区,1,\n";
    let toml = |received: &str| {
        format!(
            "format = \"minplan-application/1\"\nnumber = \"BH-{received}\"\nkind = \"新立\"\nright_kind = \"采矿权\"\nproject_name = \"东岭采石场\"\nminerals = [\"建筑用石\"]\nmining_method = \"露天\"\ncapacity = {{ value = 5, unit = \"万立方米/年\" }}\nreceived = \"{received}\"\n\n[holder]\nname = \"东岭建材有限公司\"\ncredit_code = \"91370000163044841F\"\n\n[grant]\nmethod = \"挂牌\"\n\n[documents]\ndevelopment_plan = true\nrestoration_plan = true\ngreen_mine_commitment = true\n\n[coordinates]\nfile = \"c.txt\"\n"
        )
    };
    for (received, version, r2_fails) in [
        ("2024-03-01", first.id, true),
        ("2024-08-01", second.id, false),
    ] {
        let t = toml(received);
        let (_, review) = review_saved(&store, &t, corners.as_bytes()).await;
        assert_eq!(review.plan.version_id, version, "{received}");
        assert_eq!(review.plan.in_force_on, received);
        assert_eq!(
            review.rule("R2").unwrap().outcome == RuleOutcome::Fail,
            r2_fails,
            "{received}: {}",
            review.rule("R2").unwrap().message
        );
        // R7 reads the county's cap (20 万立方米/年) in either version.
        assert_ne!(
            review.rule("R7").unwrap().outcome,
            RuleOutcome::NotApplicable
        );
    }
}
