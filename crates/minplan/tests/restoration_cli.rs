//! `minplan restoration seed` on a temporary database: the first run loads the Suifenhe
//! baseline (14 示意 legacy mines, 11 projects) with one `restoration.seed` audit row as
//! `system`; the second writes nothing and says why.

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

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_seed_loads_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let o = minplan(&db, &["restoration", "seed"]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("已载入历史遗留矿山 14 处（示意）、修复项目 11 个"),
        "{}",
        out(&o)
    );
    let o = minplan(&db, &["restoration", "seed"]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(
        out(&o).contains("未载入：已有历史遗留矿山或修复项目记录"),
        "{}",
        out(&o)
    );
    let o = minplan(&db, &["audit", "list"]);
    assert!(o.status.success(), "{}", out(&o));
    assert_eq!(
        out(&o).matches("restoration.seed").count() + out(&o).matches("载入修复基线数据").count(),
        1,
        "{}",
        out(&o)
    );
}
