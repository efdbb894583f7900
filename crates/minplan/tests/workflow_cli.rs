//! Workflow fixes of issue 16 from the command line: `minplan right import` reads corner cells
//! that hold only coordinates with `--datum` and `--zone` (the options its messages name), and
//! `minplan right conclude` closes a pending application.

use std::path::Path;
use std::process::{Command, Output};

fn minplan(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn bare_coordinate_cells_import_with_datum_and_zone() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let csv = dir.path().join("台账.csv");
    // Y without its zone number, no 坐标系 in the cell.
    std::fs::write(
        &csv,
        "许可证号,矿业权类型,状态,矿山名称,矿业权人,统一社会信用代码,矿种,生产规模,规模单位,有效期起,有效期止,拐点坐标\n\
         C2310812020001,采矿权,有效,裸坐标采石场,某建材公司,91231081MA1BQF0013,建筑用石,5,万立方米/年,2020-01-01,2030-01-01,\"1,4911391.68,428925.83\n2,4911350.27,429080.39\n3,4911471.02,429112.75\n4,4911512.43,428958.19\"\n",
    )
    .unwrap();
    let path = csv.to_str().unwrap();
    // Without them: refused, and the message names the options that exist.
    let out = minplan(&db, &["right", "import", path]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("命令行 --datum cgcs2000"), "{t}");
    assert!(!t.contains("--crs"), "{t}");
    // A zone that is none: refused naming --zone.
    let out = minplan(
        &db,
        &[
            "right", "import", path, "--zone", "99", "--datum", "cgcs2000",
        ],
    );
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("--zone：投影带应为 3° 带号 25–45"), "{t}");
    // With them: imported.
    let out = minplan(
        &db,
        &[
            "right", "import", path, "--zone", "44", "--datum", "cgcs2000", "--commit",
        ],
    );
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    let out = minplan(&db, &["right", "list", "--json"]);
    let t = text(&out);
    assert!(t.contains("C2310812020001"), "{t}");
}

#[test]
fn a_pending_application_is_concluded_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let toml = std::fs::read_to_string(ex.join("05-brick-clay-on-farmland.toml")).unwrap();
    let app = dir.path().join("05.toml");
    std::fs::write(&app, &toml).unwrap();
    std::fs::copy(
        ex.join("05-brick-clay.txt"),
        dir.path().join("05-brick-clay.txt"),
    )
    .unwrap();
    let out = minplan(&db, &["review", app.to_str().unwrap()]);
    let t = text(&out);
    let number = toml
        .lines()
        .find_map(|l| l.strip_prefix("number = \""))
        .and_then(|l| l.strip_suffix('"'))
        .unwrap()
        .to_string();
    assert!(t.contains("不符合"), "{t}");
    let listed = text(&minplan(&db, &["right", "list", "--json"]));
    assert!(listed.contains(&number), "pending before: {listed}");
    // No reason: refused.
    let out = minplan(
        &db,
        &[
            "right",
            "conclude",
            &number,
            "--how",
            "不予受理",
            "--date",
            "2026-12-01",
            "--reason",
            " ",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("不予受理须写明理由"), "{}", text(&out));
    let out = minplan(
        &db,
        &[
            "right",
            "conclude",
            &number,
            "--how",
            "不予受理",
            "--date",
            "2026-12-01",
            "--reason",
            "占用永久基本农田",
        ],
    );
    let t = text(&out);
    assert_eq!(out.status.code(), Some(0), "{t}");
    assert!(t.contains("不予受理"), "{t}");
    let out = minplan(&db, &["right", "list", "--json"]);
    let t = text(&out);
    assert!(!t.contains(&number), "no longer pending: {t}");
}
