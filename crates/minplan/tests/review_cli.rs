//! `minplan review` on every example in `examples/`: the conclusion and exit status each
//! example states, on a fresh database; JSON output; invalid input.

use std::path::{Path, PathBuf};
use std::process::Command;

fn examples() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

/// The `# 预期结论：…（退出码 N）` line of an example.
fn stated(path: &Path) -> (String, i32) {
    let text = std::fs::read_to_string(path).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("# 预期结论："))
        .unwrap_or_else(|| panic!("{} states no conclusion", path.display()));
    let code: i32 = line
        .split("退出码 ")
        .nth(1)
        .and_then(|s| s.split('）').next())
        .and_then(|s| s.trim().parse().ok())
        .unwrap();
    let conclusion = line
        .trim_start_matches("# 预期结论：")
        .split("（退出码")
        .next()
        .unwrap()
        .to_string();
    (conclusion, code)
}

fn minplan(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn every_example_gives_its_stated_conclusion() {
    let all = examples();
    assert!(all.len() >= 8, "{} examples", all.len());
    for ex in all {
        let (conclusion, code) = stated(&ex);
        let dir = tempfile::tempdir().unwrap();
        let out = minplan(&dir.path().join("t.db"), &["review", ex.to_str().unwrap()]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{}: {stdout}{stderr}",
            ex.display()
        );
        if code == 1 {
            assert!(
                stderr.contains("申请有") && stderr.contains("不予审查")
                    || stderr.contains("申请未审查"),
                "{stderr}"
            );
        } else {
            assert!(
                stdout.contains(&format!("审查结论：{conclusion}")),
                "{}: expected {conclusion}\n{stdout}",
                ex.display()
            );
        }
    }
}

#[test]
fn json_output_and_a_stored_record_that_supersedes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let ex =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/03-bielewa-geothermal.toml");
    let out = minplan(&db, &["review", ex.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["conclusion"], "基本符合（需人工核查）");
    assert_eq!(v["review_id"], 1);
    assert_eq!(v["rules"].as_array().unwrap().len(), 15);
    assert_eq!(v["rules"][1]["id"], "R2");
    assert_eq!(v["rules"][1]["outcome"], "需人工核查");
    // 1 km × 1 km in the plane; the official (ellipsoidal) area is 0.9999 km².
    assert!((v["application_area_m2"].as_f64().unwrap() - 1.0e6).abs() < 0.01);
    assert_eq!(v["application"]["corner_report"]["areas"]["km2"], 0.9999);
    // Reviewing the same application again supersedes the first record, not overlaps with it.
    let again = minplan(&db, &["review", ex.to_str().unwrap(), "--json"]);
    let v2: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(v2["review_id"], 2);
    assert_eq!(v2["rules"][11]["outcome"], "符合");
}

#[test]
fn a_pending_application_is_found_by_the_overlap_check() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    // 01 is stored (在审); 07 covers the same block under another number: R12 and R3 fail.
    assert_eq!(
        minplan(
            &db,
            &[
                "review",
                base.join("01-qingfa-quarry.toml").to_str().unwrap()
            ]
        )
        .status
        .code(),
        Some(0)
    );
    let out = minplan(
        &db,
        &[
            "review",
            base.join("07-agreement-without-reason.toml")
                .to_str()
                .unwrap(),
            "--json",
        ],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rule = |id: &str| {
        v["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(rule("R12")["outcome"], "不符合");
    assert_eq!(rule("R12")["conflicts"][0]["feature_id"], "SFH-2026-001");
    let pct = rule("R12")["conflicts"][0]["percent_of_application"]
        .as_f64()
        .unwrap();
    assert!((pct - 100.0).abs() < 1e-6, "{pct}");
    assert_eq!(rule("R3")["outcome"], "不符合");
}

#[test]
fn invalid_application_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let app = dir.path().join("bad.toml");
    let ex = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/01-qingfa-quarry.toml"),
    )
    .unwrap();
    let bad = ex
        .replace("91231081MA1BQF0013", "91231081MA1BQF0012")
        .replace("file = \"01-qingfa-quarry.txt\"", "file = \"missing.txt\"")
        .replace("received = \"2026-11-20\"", "received = \"2026-02-30\"");
    std::fs::write(&app, bad).unwrap();
    let out = minplan(&dir.path().join("t.db"), &["review", app.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("holder.credit_code") && err.contains("校验位错误") && err.contains("应为“3”"),
        "{err}"
    );
    assert!(
        err.contains("coordinates.file") && err.contains("missing.txt"),
        "{err}"
    );
    // 30 February passes a pattern check; it is not a date.
    assert!(
        err.contains("received") && err.contains("2026-02-30") && err.contains("存在的日期"),
        "{err}"
    );
    // Nothing was stored.
    let list = minplan(&dir.path().join("t.db"), &["right", "list"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("没有在审申请"));
    let missing = minplan(
        &dir.path().join("t.db"),
        &["review", "/nonexistent/app.toml"],
    );
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn a_stored_review_rerun_from_its_inputs_gives_the_same_opinion_even_after_the_data_changed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    assert_eq!(
        minplan(
            &db,
            &[
                "review",
                base.join("01-qingfa-quarry.toml").to_str().unwrap()
            ]
        )
        .status
        .code(),
        Some(0)
    );
    // The register changes afterwards: a right now covers the block.
    let ring = std::fs::read_to_string(base.join("01-qingfa-quarry.txt")).unwrap();
    let pts: Vec<String> = ring
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('*'))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("[{},{}]", f[2], f[1])
        })
        .collect();
    let rights = dir.path().join("rights.geojson");
    std::fs::write(
        &rights,
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:4532"}}}},"features":[{{"type":"Feature","properties":{{"id":"C1","kind":"采矿权","status":"有效","holder_name":"他人"}},"geometry":{{"type":"Polygon","coordinates":[[{},{}]]}}}}]}}"#,
            pts.join(","),
            pts[0]
        ),
    )
    .unwrap();
    assert_eq!(
        minplan(&db, &["right", "import", rights.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    // Record #1 still re-runs to its own opinion (符合) from its snapshots.
    let out = minplan(&db, &["reviews", "verify", "1"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("复核一致"));
    // A new review of the same application now meets the right (R12) and supersedes #1.
    assert_eq!(
        minplan(
            &db,
            &[
                "review",
                base.join("01-qingfa-quarry.toml").to_str().unwrap()
            ]
        )
        .status
        .code(),
        Some(4)
    );
    let list = minplan(&db, &["reviews", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(v[0]["id"], 2);
    assert_eq!(v[0]["supersedes_id"], 1);
    assert_eq!(v[1]["superseded"], true);
    // Editing the stored opinion behind minplan's back is found.
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        use sqlx::Connection;
        let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await.unwrap();
        sqlx::query("UPDATE reviews SET result_json = replace(result_json, '\"符合\"', '\"不符合\"') WHERE id = 1")
            .execute(&mut c)
            .await
            .unwrap();
        c.close().await.unwrap();
    });
    let out = minplan(&db, &["reviews", "verify", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("不一致"));
}

/// `minplan review` reads the 申报面积 of the application file: one that disagrees with the
/// corners (examples/01: ellipsoidal 0.0200 km²) is an error of `declared_area` naming the
/// figure and both areas (exit 1, nothing stored); one that agrees is reviewed.
#[test]
fn the_declared_area_of_an_application_file_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let ex_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let ex = std::fs::read_to_string(ex_dir.join("01-qingfa-quarry.toml")).unwrap();
    std::fs::copy(
        ex_dir.join("01-qingfa-quarry.txt"),
        dir.path().join("01-qingfa-quarry.txt"),
    )
    .unwrap();
    let app = dir.path().join("app.toml");
    let with = |declared: &str| {
        ex.replacen(
            "\n[holder]",
            &format!("declared_area = \"{declared}\"\n\n[holder]"),
            1,
        )
    };
    std::fs::write(&app, with("0.0210")).unwrap();
    let out = minplan(&dir.path().join("t.db"), &["review", app.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("declared_area")
            && err.contains("申报面积“0.0210”")
            && err.contains("椭球面积 0.0200 km²")
            && err.contains("平面面积 0.0200 km²"),
        "{err}"
    );
    let list = minplan(&dir.path().join("t.db"), &["right", "list"]);
    assert!(String::from_utf8_lossy(&list.stdout).contains("没有在审申请"));
    std::fs::write(&app, with("0.0200平方公里")).unwrap();
    let out = minplan(&dir.path().join("t.db"), &["review", app.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
