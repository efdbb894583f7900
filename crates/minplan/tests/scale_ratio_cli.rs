//! `minplan indicators`: 大中型矿山比例 with a mine the production-scale table cannot class
//! is 需人工核查 and names the mine — never a silent 100 % or 0 %; a capacity registered in
//! 千立方米/年 or 立方米/年 is classed by the 万立方米/年 row.

use std::path::{Path, PathBuf};
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

fn corners(file: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    std::fs::read_to_string(p.join(file)).unwrap()
}

fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

const HEADER: &str = "许可证号,矿业权类型,状态,矿山名称,矿业权人,统一社会信用代码,矿种,生产规模,规模单位,审批级别,有效期起,有效期止,开采标高,拐点坐标";

fn import(db: &Path, dir: &Path, row: &str) {
    let csv = dir.join("台账.csv");
    std::fs::write(&csv, format!("{HEADER}\n{row}\n")).unwrap();
    let out = minplan(db, &["right", "import", csv.to_str().unwrap(), "--commit"]);
    assert!(out.status.success(), "{}", text(&out));
}

fn ratio(db: &Path) -> serde_json::Value {
    let out = minplan(db, &["indicators", "--year", "2025", "--json"]);
    assert!(out.status.success(), "{}", text(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "large_medium_ratio")
        .unwrap()
        .clone()
}

#[test]
fn an_unclassifiable_mine_makes_the_ratio_a_manual_check() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    // 庆发 registered in 万吨/年: the table's 建筑用石 row is in 万立方米/年, and tonnes do
    // not convert to cubic metres without a density.
    import(
        &db,
        dir.path(),
        &format!(
            "C2310812019010001,采矿权,有效,庆发采石场,绥芬河市庆发建材有限公司,91231081MA1BQF0013,建筑用凝灰岩,13,万吨/年,本级审批,2019-01-01,2027-12-31,560～480,{}",
            csv_cell(&corners("01-qingfa-quarry.txt"))
        ),
    );
    let r = ratio(&db);
    assert!(r["value"].is_null(), "无法判定, not 0 or 100: {r}");
    assert_eq!(r["status"], "manual_check");
    assert_eq!(r["status_label"], "需人工核查");
    let note = r["note"].as_str().unwrap();
    assert!(
        note.contains("1 座无法判定规模（庆发采石场（规模单位无法换算为分类表单位））")
            && note.contains("比例无法判定"),
        "{note}"
    );
    // 金家沟 at 50 千立方米/年 = 5 万立方米/年: 中型. 1 of 1 classifiable, still a manual
    // check for the mine left out.
    import(
        &db,
        dir.path(),
        &format!(
            "C2310812023070003,采矿权,有效,金家沟采石场,绥芬河市金家沟建材有限公司,91231081MA1BJJ002D,建筑用石,50,千立方米/年,本级审批,2023-07-01,2026-06-30,,{}",
            csv_cell(&corners("02-jinjiagou-quarry.txt"))
        ),
    );
    let r = ratio(&db);
    assert_eq!(r["value"], 100.0);
    assert_eq!(r["status"], "manual_check");
    let note = r["note"].as_str().unwrap();
    assert!(
        note.contains("1 座无法判定规模（庆发采石场（规模单位无法换算为分类表单位）），比例按可判定的 1 座计算"),
        "{note}"
    );
    // The review's 审批前后 table does not say 是 for a ratio that leaves a mine out.
    let ex = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/01-qingfa-quarry.toml");
    let out = minplan(&db, &["review", ex.to_str().unwrap(), "--no-save"]);
    let t = text(&out);
    let row = t
        .lines()
        .find(|l| l.contains("大中型矿山比例"))
        .unwrap_or_else(|| panic!("{t}"));
    assert!(row.contains("需人工核查"), "{row}");
    // A quarry registered as 60 000 立方米/年 (6 万, 中型): the import's capacity bound is
    // in the row's unit, and the scale table converts it.
    import(
        &db,
        dir.path(),
        &format!(
            "C2310812024010004,采矿权,有效,铁路旁采石场,某建材有限公司,91110000710925462X,建筑用石,60000,立方米/年,本级审批,2024-01-01,2028-12-31,,{}",
            csv_cell(&corners("04-stone-in-rail-corridor.txt"))
        ),
    );
    let r = ratio(&db);
    assert_eq!(r["value"], 100.0);
    assert!(
        r["note"]
            .as_str()
            .unwrap()
            .contains("比例按可判定的 2 座计算"),
        "{r}"
    );
    // The terminal table says so too.
    let out = minplan(&db, &["indicators", "--year", "2025"]);
    let t = text(&out);
    assert!(
        t.contains("需人工核查") && t.contains("1 座无法判定规模"),
        "{t}"
    );
}
