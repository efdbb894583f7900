//! `minplan plan show` lists the plan as it is written: every cap with its measure, minerals,
//! filter, scope and unit; “规划未载明/规划未设定” where the plan sets nothing (issue 13).

use std::path::{Path, PathBuf};
use std::process::Command;

fn minplan(db: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn bundle(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../minplan-domain/tests/data/counties")
        .join(name)
}

#[test]
fn the_suifenhe_caps_are_listed_in_the_plans_terms() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.sqlite");
    let out = minplan(&db, &["plan", "show"]);
    assert!(out.contains("控制指标"), "{out}");
    for needle in [
        "矿山企业数量",
        "矿山企业数",
        "本级审批发证的矿山数量",
        "本级审批发证",
        "年开采量",
        "地下热水",
        "≤96",
        "《规划》五（一）",
        "基准年 2020",
    ] {
        assert!(out.contains(needle), "plan show lacks {needle}:\n{out}");
    }
}

#[test]
fn a_redacted_plan_shows_what_it_does_not_set() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.sqlite");
    // The zone has no code of its own: it shares 青禾县's and stays a plan of its own.
    minplan(
        &db,
        &["plan", "import", bundle("qinghe-county").to_str().unwrap()],
    );
    minplan(
        &db,
        &["plan", "import", bundle("qinghe-zone").to_str().unwrap()],
    );
    // The version records the bundle's name, not the operator's local path.
    let list = minplan(&db, &["plan", "list"]);
    assert!(list.contains("开发区 青禾经济开发区（990101）"), "{list}");
    assert!(list.contains("县级 青禾县（990101）"), "{list}");
    assert_eq!(list.matches("第 1 版").count(), 3, "{list}");
    assert!(list.contains("数据包 qinghe-zone"), "{list}");
    assert!(!list.contains("/counties/"), "{list}");
    let out = minplan(&db, &["plan", "show"]);
    assert!(out.contains("青禾经济开发区矿产资源规划"), "{out}");
    assert!(out.contains("基准年 规划未载明"), "{out}");
    assert!(out.contains("规划未设定"), "{out}");
}
