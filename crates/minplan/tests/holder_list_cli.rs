//! `minplan holder-list …` as a workflow: 列入 with its decision, a removal refused before a
//! favourable 核验, 移出申请 → 核验 → 移出, the lists on a date and an entry's history.

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
fn listing_application_verification_and_removal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let add = minplan(
        &db,
        &[
            "holder-list",
            "add",
            "abnormal",
            "91231081MA1BQF0013",
            "绥芬河市庆发建材有限公司",
            "--reason",
            "not-filed",
            "--reason-text",
            "2025年度",
            "--decision-number",
            "绥自然资异〔2026〕1号",
            "--decision-date",
            "2026-04-10",
        ],
    );
    assert!(add.status.success(), "{}", text(&add));
    assert!(text(&add).contains("编号 1"), "{}", text(&add));
    // A reason of the other list is refused, naming it.
    let bad = minplan(
        &db,
        &[
            "holder-list",
            "add",
            "abnormal",
            "91231081MA1BQF0013",
            "庆发",
            "--reason",
            "abnormal-three-years",
            "--decision-number",
            "x",
            "--decision-date",
            "2026-04-10",
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad).contains("不是列入矿业权人异常名录的事由"),
        "{}",
        text(&bad)
    );

    let early = minplan(
        &db,
        &[
            "holder-list",
            "remove",
            "1",
            "--decision-number",
            "绥自然资移〔2026〕1号",
            "--decision-date",
            "2026-05-11",
        ],
    );
    assert_eq!(early.status.code(), Some(1));
    assert!(
        text(&early).contains("没有同意移出的核验结论"),
        "{}",
        text(&early)
    );

    let file = dir.path().join("补报回执.pdf");
    std::fs::write(&file, b"%PDF-1.4").unwrap();
    let apply = minplan(
        &db,
        &[
            "holder-list",
            "apply",
            "1",
            "--date",
            "2026-09-25",
            "--reason",
            "已补报",
            "--file",
            file.to_str().unwrap(),
        ],
    );
    assert!(apply.status.success(), "{}", text(&apply));
    // 10 working days after 2026-09-25 across 中秋 and 国庆.
    assert!(
        text(&apply).contains("应于 2026年10月15日 前核验"),
        "{}",
        text(&apply)
    );
    let verify = minplan(
        &db,
        &[
            "holder-list",
            "verify",
            "1",
            "--method",
            "desk",
            "--result",
            "approve",
            "--reason",
            "已补报",
            "--date",
            "2026-10-09",
        ],
    );
    assert!(verify.status.success(), "{}", text(&verify));
    let remove = minplan(
        &db,
        &[
            "holder-list",
            "remove",
            "1",
            "--decision-number",
            "绥自然资移〔2026〕1号",
            "--decision-date",
            "2026-10-12",
        ],
    );
    assert!(remove.status.success(), "{}", text(&remove));

    let now = text(&minplan(&db, &["holder-list", "show"]));
    assert!(now.contains("矿业权人异常名录（0 条）"), "{now}");
    let then = text(&minplan(
        &db,
        &["holder-list", "show", "--on", "2026-10-11"],
    ));
    assert!(then.contains("矿业权人异常名录（1 条）"), "{then}");
    let history = text(&minplan(&db, &["holder-list", "history", "1"]));
    assert!(
        history.contains("2026-09-25 移出申请：已补报；材料 补报回执.pdf"),
        "{history}"
    );
    assert!(
        history.contains("2026-10-09 室内核验，同意移出：已补报"),
        "{history}"
    );
    assert!(history.contains("[已移出]"), "{history}");

    let limit = text(&minplan(&db, &["holder-list", "limit", "15"]));
    assert!(limit.contains("15 个工作日"), "{limit}");
}
