//! `minplan inspection verify` as a user runs it: the real binary on a temporary database
//! with a plan drawn through the store — by plan id and by a package file; a changed
//! candidate list or seed is “承诺不符” with exit code 1; an undrawn plan cannot be verified.

use minplan_domain::application::RightKind;
use minplan_domain::supervision::draw::StrataKey;
use minplan_domain::supervision::library::{InspectionItem, InspectionMethod, Recusal};
use minplan_store::inspections::{InspectorInput, PlanItem, PlanParams};
use minplan_store::{Actor, ReviewEngine, Store, default_bundle};
use std::path::Path;
use std::process::{Command, Output};

fn minplan(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env("USER", "tester")
        .output()
        .expect("run minplan")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A valid 统一社会信用代码 for holder `i` (GB 32100-2015 check character).
fn code(i: usize) -> String {
    const CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let head = format!("91231081MA{i:07}");
    let sum: usize = head
        .chars()
        .zip(W)
        .map(|(c, w)| CHARS.find(c).unwrap() * w)
        .sum();
    format!("{head}{}", CHARS.as_bytes()[(31 - sum % 31) % 31] as char)
}

/// A store with 6 rights, 3 inspectors (the first avoiding holder 2), one item at 50 % and
/// two plans: the first committed and drawn, the second only committed.
async fn seeded(db: &Path) -> Store {
    let store = Store::open(db).await.unwrap();
    store.seed_if_empty(&default_bundle()).await.unwrap();
    let zone = ReviewEngine::load(&store)
        .await
        .unwrap()
        .plan
        .loaded
        .plan
        .region
        .zone;
    let features: Vec<String> = (0..6)
        .map(|i| {
            let x = 131.05 + 0.003 * i as f64;
            format!(
                r#"{{"type":"Feature","properties":{{"id":"C-CLI-{i}","kind":"采矿权","name":"矿山{i}","holder_name":"企业{i}","credit_code":"{}","minerals":"建筑用凝灰岩","valid_to":"2099-12-31"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},44.45],[{x2},44.45],[{x2},44.452],[{x},44.452],[{x},44.45]]]}}}}"#,
                code(i),
                x2 = x + 0.002
            )
        })
        .collect();
    let fc = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    );
    let r = store
        .import_rights(&fc, "cli.geojson", zone, &Actor::System)
        .await
        .unwrap();
    assert_eq!(r.imported, 6, "{:?}", r.problems);
    for (n, b) in [("甲", "ZF-1"), ("乙", "ZF-2"), ("丙", "ZF-3")] {
        store
            .create_inspector(
                &InspectorInput {
                    name: n.into(),
                    badge_no: b.into(),
                    unit: "执法监察大队".into(),
                    active: true,
                    username: String::new(),
                },
                &Actor::System,
            )
            .await
            .unwrap();
    }
    let first = store.inspectors().await.unwrap()[0].id;
    store
        .add_recusal(first, &Recusal::Holder(code(2)), "", &Actor::System)
        .await
        .unwrap();
    store
        .save_inspection_item(
            None,
            &InspectionItem {
                code: "KC-01".into(),
                name: "勘查开采信息公示".into(),
                legal_basis: "《矿业权人勘查开采信息管理办法》".into(),
                proportion_pct: 50.0,
                frequency: "每年一次".into(),
                method: InspectionMethod::Documents,
                right_kinds: vec![RightKind::Mining],
            },
            true,
            &Actor::System,
        )
        .await
        .unwrap();
    let params = PlanParams {
        register_date: "2026-03-01".into(),
        strata: StrataKey::None,
        inspectors_per_target: 2,
        items: vec![PlanItem {
            code: "KC-01".into(),
            proportion_pct: None,
        }],
    };
    for name in ["甲计划", "乙计划"] {
        let plan = store
            .create_inspection_plan(2026, name, &params, "测试", &Actor::System)
            .await
            .unwrap();
        let draw = store.commit_draw(plan, &Actor::System).await.unwrap();
        if name == "甲计划" {
            let r = store.run_draw(draw, &Actor::System).await.unwrap();
            assert_eq!(r.targets.len(), 3);
        }
    }
    store
}

#[tokio::test(flavor = "multi_thread")]
async fn verify_by_plan_and_by_file_and_tampering_detected() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let store = seeded(&db).await;

    let o = minplan(&db, &["inspection", "verify", "1"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(
        stdout(&o).contains("抽查计划 1（甲计划）的当前抽取：验证通过"),
        "{o:?}"
    );
    assert!(stdout(&o).contains("相同的 3 个抽查对象"), "{o:?}");

    // The package as the public page gives it.
    let d = store.current_draw(1).await.unwrap().unwrap();
    let pkg = serde_json::to_value(store.draw_package(d.id).await.unwrap()).unwrap();
    let file = dir.path().join("package.json");
    std::fs::write(&file, pkg.to_string()).unwrap();
    let f = file.to_str().unwrap();
    let o = minplan(&db, &["inspection", "verify", f]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert!(stdout(&o).contains("验证通过"));

    let mut fewer = pkg.clone();
    fewer["inputs"]["candidates"]
        .as_array_mut()
        .unwrap()
        .remove(0);
    std::fs::write(&file, fewer.to_string()).unwrap();
    let o = minplan(&db, &["inspection", "verify", f]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(stdout(&o).contains("验证未通过"));
    assert!(stdout(&o).contains("1. 承诺不符"), "{o:?}");

    let mut seed = pkg.clone();
    seed["seed"] = serde_json::Value::String("ab".repeat(32));
    std::fs::write(&file, seed.to_string()).unwrap();
    let o = minplan(&db, &["inspection", "verify", f]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(stdout(&o).contains("承诺不符"), "{o:?}");

    // The second plan is committed but not drawn: nothing to re-check yet.
    let o = minplan(&db, &["inspection", "verify", "2"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    assert!(stdout(&o).contains("种子尚未公布"), "{o:?}");

    // Neither a file nor a plan: named, exit 2.
    let o = minplan(&db, &["inspection", "verify", "99"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("没有编号为 99 的抽查计划"));
    std::fs::write(&file, "{}").unwrap();
    let o = minplan(&db, &["inspection", "verify", f]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
    assert!(String::from_utf8_lossy(&o.stderr).contains("不是抽取包"));
}
