//! The bureau's settings on the command line (`minplan settings show|set`) and the Word
//! documents that follow them: the 评估报告 and 年度实施计划 signed by the bureau set, in the
//! fonts of GB/T 9704, dated as people write it, rows kept whole, no product name; `minplan
//! review` numbering an application file that has no 申请编号 and its opinion's 文号.

mod scenario;

use std::io::Read;
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

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every XML part of a package, and `word/document.xml` alone.
fn parts(path: &Path) -> (String, String) {
    let bytes = std::fs::read(path).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let (mut all, mut doc) = (String::new(), String::new());
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name().ends_with(".xml") || f.name().ends_with(".rels") {
            let mut s = String::new();
            f.read_to_string(&mut s).unwrap();
            if f.name() == "word/document.xml" {
                doc = s.clone();
            }
            all.push_str(&s);
        }
    }
    (all, doc)
}

/// The conventions every official document follows.
fn assert_official(name: &str, all: &str, doc: &str, bureau: &str) {
    assert!(
        !all.to_lowercase().contains("minplan"),
        "{name}: product name"
    );
    assert!(doc.contains(bureau), "{name}: bureau");
    assert!(
        doc.contains("经办人：") && doc.contains("负责人："),
        "{name}: signers"
    );
    assert!(doc.contains("（盖章）"), "{name}: seal caption");
    let today = minplan_report::people_date(Some(&minplan_store::today().to_string()));
    assert!(doc.contains(&today), "{name}: date {today}");
    assert_eq!(
        doc.matches("<w:tr>").count(),
        doc.matches("<w:cantSplit />").count(),
        "{name}: every row kept on one page"
    );
    assert!(
        doc.contains("<w:tblHeader />"),
        "{name}: header rows repeat"
    );
    for font in ["方正小标宋简体", "仿宋_GB2312", "黑体", "宋体"] {
        assert!(
            doc.contains(&format!(r#"w:eastAsia="{font}""#)),
            "{name}: {font}"
        );
    }
}

#[test]
fn the_documents_are_signed_as_the_bureau_set() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = minplan_store::Store::open(&db).await.unwrap();
        scenario::build(&store).await;
    });

    let shown = ok(&minplan(&db, &["settings", "show"]));
    assert!(
        shown.contains("绥芬河市自然资源局（未设置，使用默认值）"),
        "{shown}"
    );
    // Every problem at once; nothing saved.
    let out = minplan(
        &db,
        &[
            "settings",
            "set",
            "--opinion-number-pattern",
            "〔{年}〕",
            "--intake-number-pattern",
            "{号}",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("审查意见书文号格式") && err.contains("受理号格式"),
        "{err}"
    );
    ok(&minplan(
        &db,
        &[
            "settings",
            "set",
            "--bureau-name",
            "某测试县自然资源局",
            "--signers",
            "经办人,负责人",
            "--seal-caption",
            "（盖章）",
        ],
    ));
    let shown = ok(&minplan(&db, &["settings", "show", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(v["bureau_name"], "某测试县自然资源局");
    assert_eq!(v["signers"], serde_json::json!(["经办人", "负责人"]));

    let eval = dir.path().join("评估.docx");
    ok(&minplan(
        &db,
        &[
            "evaluate",
            "--from",
            "2021",
            "--to",
            "2025",
            "--docx",
            eval.to_str().unwrap(),
        ],
    ));
    let (all, doc) = parts(&eval);
    assert_official("评估报告", &all, &doc, "某测试县自然资源局");

    let plan = dir.path().join("计划.docx");
    ok(&minplan(
        &db,
        &[
            "annual-plan",
            "--year",
            "2026",
            "--docx",
            plan.to_str().unwrap(),
        ],
    ));
    let (all, doc) = parts(&plan);
    assert_official("年度实施计划", &all, &doc, "某测试县自然资源局");
}

#[test]
fn review_numbers_an_application_without_a_number_and_its_opinion() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let toml: String = std::fs::read_to_string(examples.join("01-qingfa-quarry.toml"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("number"))
        .collect::<Vec<_>>()
        .join("\n");
    let app = dir.path().join("申请.toml");
    std::fs::write(&app, toml).unwrap();
    std::fs::copy(
        examples.join("01-qingfa-quarry.txt"),
        dir.path().join("01-qingfa-quarry.txt"),
    )
    .unwrap();
    let docx = dir.path().join("意见书.docx");
    let out = minplan(
        &db,
        &[
            "review",
            app.to_str().unwrap(),
            "--json",
            "--docx",
            docx.to_str().unwrap(),
        ],
    );
    let year = minplan_store::today().year();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["application"]["number"],
        format!("SQ-{year}-001"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (all, doc) = parts(&docx);
    assert!(doc.contains(&format!("绥自然资审〔{year}〕1号")), "文号");
    assert!(!all.to_lowercase().contains("minplan"));
    // The same record written again keeps its 文号.
    let id = v["review_id"].as_i64().unwrap().to_string();
    let again = dir.path().join("再次.docx");
    ok(&minplan(
        &db,
        &["reviews", "show", &id, "--docx", again.to_str().unwrap()],
    ));
    assert!(
        parts(&again)
            .1
            .contains(&format!("绥自然资审〔{year}〕1号"))
    );
}
