//! `minplan calendar show|set` on a temporary database: 2027 not held is counted Monday–Friday
//! and said so; a file with a bad line is refused by its line, nothing written; a good one
//! changes February's working days and is in the audit log.

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

/// February's working days in `minplan calendar show`'s table.
fn february(text: &str) -> String {
    text.lines()
        .map(|l| {
            l.split(['│', '┆', '|'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect::<Vec<_>>()
        })
        .find(|cells| cells.first() == Some(&"2月"))
        .expect("February row")[1]
        .to_string()
}

#[test]
fn the_bureau_enters_2027_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let o = minplan(&db, &["calendar", "show", "2027"]);
    assert!(o.status.success(), "{}", out(&o));
    let t = out(&o);
    assert!(t.contains("2027年节假日安排未录入"), "{t}");
    assert_eq!(february(&t), "20");

    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "放假 2027-02-05 至 2027-02-13\n上班 2027-02-15\n").unwrap();
    let o = minplan(
        &db,
        &[
            "calendar",
            "set",
            "2027",
            bad.to_str().unwrap(),
            "--source",
            "通知",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("第 2 行：2027年2月15日 是工作日"),
        "{}",
        out(&o)
    );
    assert_eq!(
        february(&out(&minplan(&db, &["calendar", "show", "2027"]))),
        "20"
    );

    let good = dir.path().join("good.txt");
    std::fs::write(&good, "放假 2027-02-05 至 2027-02-13\n上班 2027-02-14\n").unwrap();
    let o = minplan(
        &db,
        &[
            "calendar",
            "set",
            "2027",
            good.to_str().unwrap(),
            "--source",
            "国务院办公厅关于2027年部分节假日安排的通知",
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("放假 9 天，调休上班 1 天"), "{}", out(&o));
    let t = out(&minplan(&db, &["calendar", "show", "2027"]));
    assert!(
        t.contains("依据：国务院办公厅关于2027年部分节假日安排的通知"),
        "{t}"
    );
    assert_eq!(february(&t), "15");
    let audit = out(&minplan(&db, &["audit", "list"]));
    assert!(audit.contains("calendar.set"), "{audit}");
}
