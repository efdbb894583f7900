//! The register from the command line: bulk import of rights and reports from CSV and XLSX
//! (dry run listing every row's problems, `--skip-invalid`, `--commit`), the lifecycle
//! commands with their checks (decide, grant, register, extend late, mortgage, transfer
//! refused while mortgaged), and the editable scale table changing an indicator.

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

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn corners(file: &str) -> String {
    std::fs::read_to_string(examples().join(file)).unwrap()
}

fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

const HEADER: &str = "许可证号,矿业权类型,状态,矿山名称,矿业权人,统一社会信用代码,矿种,生产规模,规模单位,审批级别,有效期起,有效期止,开采标高,拐点坐标";

#[test]
fn csv_import_dry_run_lists_every_problem_then_imports_by_choice() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let good = format!(
        "C2310812019010001,采矿权,有效,庆发采石场,绥芬河市庆发建材有限公司,91231081MA1BQF0013,建筑用凝灰岩,5,万立方米/年,本级审批,2019-01-01,2027-12-31,560～480,{}",
        csv_cell(&corners("01-qingfa-quarry.txt"))
    );
    // Row 3: unknown mineral, impossible date, bad credit code, no coordinates.
    let bad = "C2310812019010002,采矿权,有效,某采石场,某公司,91231081MA1BQF0014,花岗石头,5,万立方米/年,本级审批,2019-02-30,2027-12-31,,";
    let csv = dir.path().join("台账.csv");
    std::fs::write(&csv, format!("\u{feff}{HEADER}\n{good}\n{bad}\n")).unwrap();
    let out = minplan(&db, &["right", "import", csv.to_str().unwrap()]);
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    for want in [
        "读取 2 行，1 行无问题，1 行有问题",
        "第 3 行“矿种”列：未知矿种“花岗石头”",
        "第 3 行“有效期起”列：日期“2019-02-30”",
        "第 3 行“统一社会信用代码”列",
        "第 3 行“拐点坐标”列：不能为空",
        "检查模式，未导入",
    ] {
        assert!(t.contains(want), "lacks {want}:\n{t}");
    }
    assert!(!text(&minplan(&db, &["right", "list"])).contains("C2310812019010001"));
    // --commit refuses while a row has problems.
    let out = minplan(&db, &["right", "import", csv.to_str().unwrap(), "--commit"]);
    assert!(
        text(&out).contains("有问题，未导入任何行"),
        "{}",
        text(&out)
    );
    assert!(!text(&minplan(&db, &["right", "list"])).contains("C2310812019010001"));
    // --skip-invalid imports the good row, by choice.
    let out = minplan(
        &db,
        &["right", "import", csv.to_str().unwrap(), "--skip-invalid"],
    );
    assert!(
        text(&out).contains("已导入 1 行：C2310812019010001"),
        "{}",
        text(&out)
    );
    let out = minplan(&db, &["right", "show", "C2310812019010001", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["events"][0]["kind"], "import");
    assert_eq!(v["events"][0]["date"], "2019-01-01");
    let st = &v["events"][0]["state"];
    assert_eq!(st["elevation"], serde_json::json!([560.0, 480.0]));
    assert_eq!(st["approval"], "本级审批");
    // Area from the corners (庆发 block, about 0.0166 km², ellipsoidal).
    let area = st["area_km2"].as_f64().unwrap();
    assert!(area > 0.01 && area < 0.03, "{area}");
    // Importing it again: already in the register.
    let csv2 = dir.path().join("again.csv");
    std::fs::write(&csv2, format!("{HEADER}\n{good}\n")).unwrap();
    let out = minplan(
        &db,
        &["right", "import", csv2.to_str().unwrap(), "--commit"],
    );
    assert!(text(&out).contains("已在登记簿中"), "{}", text(&out));

    // Reports of the imported mine from CSV: 2024 on time, 2025 with a bad rate.
    let reports = dir.path().join("年报.csv");
    std::fs::write(
        &reports,
        "许可证号,年度,开采量,单位,产值（万元）,从业人员,开采回采率,清水循环利用率,报送日期\n\
         C2310812019010001,2024,4.5,万立方米,315,20,95,100,2025-03-01\n\
         C2310812019010001,2025,4.8,万立方米,336,20,120,100,2026-03-01\n\
         C9999,2025,1,万立方米,1,1,,,2026-03-01\n",
    )
    .unwrap();
    let out = minplan(&db, &["report", "import", reports.to_str().unwrap()]);
    let t = text(&out);
    assert!(
        t.contains("第 3 行“开采回采率”列：开采回采率应在 0–100"),
        "{t}"
    );
    assert!(
        t.contains("第 4 行“许可证号”列：登记簿中没有许可证号 C9999"),
        "{t}"
    );
    let out = minplan(
        &db,
        &[
            "report",
            "import",
            reports.to_str().unwrap(),
            "--skip-invalid",
        ],
    );
    assert!(text(&out).contains("已导入 1 行"), "{}", text(&out));
    let out = minplan(&db, &["report", "list", "--year", "2024", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["status"], "on_time");
    assert_eq!(v[0]["report"]["extraction"], 4.5);
    assert!(
        text(&minplan(&db, &["audit", "verify"])).contains("完整"),
        "audit chain"
    );
}

#[test]
fn xlsx_import_reads_the_corner_column() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let path = dir.path().join("台账.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.split(',').enumerate() {
        ws.write_string(0, c as u16, h).unwrap();
    }
    let row = [
        "T2310812020010001",
        "探矿权",
        "有效",
        "建新村矿泉水勘查",
        "绥芬河市建新矿泉水有限公司",
        "",
        "矿泉水",
        "",
        "",
        "市级划定",
        "",
        "",
        "",
    ];
    for (c, v) in row.iter().enumerate() {
        ws.write_string(1, c as u16, *v).unwrap();
    }
    // One date cell formatted as a date, one that lost its format (a bare serial number).
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    ws.write_datetime_with_format(
        1,
        10,
        rust_xlsxwriter::ExcelDateTime::from_ymd(2020, 1, 1).unwrap(),
        &date,
    )
    .unwrap();
    ws.write_datetime(
        1,
        11,
        rust_xlsxwriter::ExcelDateTime::from_ymd(2025, 12, 31).unwrap(),
    )
    .unwrap();
    ws.write_string(1, 13, corners("06-jianxin-mineral-water.txt"))
        .unwrap();
    wb.save(&path).unwrap();
    let out = minplan(
        &db,
        &["right", "import", path.to_str().unwrap(), "--commit"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = minplan(&db, &["right", "show", "T2310812020010001", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let st = &v["events"][0]["state"];
    assert_eq!(st["kind"], "探矿权");
    assert_eq!(st["valid_from"], "2020-01-01");
    assert_eq!(st["valid_to"], "2025-12-31");
    assert!(st["mine_id"].is_null(), "an exploration right is no mine");
}

#[test]
fn lifecycle_commands_and_their_checks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let ex = examples().join("01-qingfa-quarry.toml");
    assert_eq!(
        minplan(&db, &["review", ex.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let app = "SFH-2026-001";
    let reg = [
        "right",
        "register",
        app,
        "--licence",
        "C1",
        "--from",
        "2026-12-01",
        "--to",
        "2029-11-30",
    ];
    // Not yet approved.
    let out = minplan(&db, &reg);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("批准后才能登记"), "{}", text(&out));
    let out = minplan(
        &db,
        &["right", "decide", app, "--approve", "--date", "2026-11-25"],
    );
    assert!(out.status.success(), "{}", text(&out));
    // Approved but not yet registered: still in the register the review reads (its block and
    // its share of the caps stay taken).
    let list = text(&minplan(&db, &["right", "list"]));
    assert!(list.contains("SFH-2026-001 采矿权 在审"), "{list}");
    let out = minplan(
        &db,
        &[
            "right",
            "grant",
            app,
            "--method",
            "挂牌",
            "--price",
            "85",
            "--date",
            "2026-11-28",
            "--net-mineral",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let out = minplan(&db, &reg);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("C1 采矿权"), "{}", text(&out));
    // Extension after expiry without a reason is refused; with one it is recorded.
    let late = [
        "right",
        "extend",
        "C1",
        "--to",
        "2032-11-30",
        "--date",
        "2029-12-15",
    ];
    let out = minplan(&db, &late);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out).contains("逾期延续：须记录原因"),
        "{}",
        text(&out)
    );
    let mut with_reason = late.to_vec();
    with_reason.extend(["--reason", "换证材料补正"]);
    assert!(minplan(&db, &with_reason).status.success());
    // A mortgaged right is not transferred (nor without an approved 转让 application).
    assert!(
        minplan(
            &db,
            &[
                "right",
                "mortgage",
                "C1",
                "--mortgagee",
                "农商银行",
                "--amount",
                "200",
                "--from",
                "2030-01-01",
                "--until",
                "2031-12-31"
            ]
        )
        .status
        .success()
    );
    let out = minplan(
        &db,
        &[
            "right",
            "transfer",
            "C1",
            "--application",
            app,
            "--date",
            "2030-06-01",
        ],
    );
    let t = text(&out);
    assert_eq!(out.status.code(), Some(1), "{t}");
    assert!(t.contains("不是转让申请") && t.contains("解除抵押"), "{t}");
    let out = minplan(&db, &["right", "show", "C1"]);
    let t = text(&out);
    for k in ["登记", "延续", "抵押", "换证材料补正"] {
        assert!(t.contains(k), "{k}: {t}");
    }
    // The right counts from 2026-12-01: one mine (中型, 5 万m³/年 … 6 in example 01: 中型).
    let out = minplan(&db, &["indicators", "--year", "2026", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ratio = |v: &serde_json::Value| {
        v["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == "large_medium_ratio")
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(ratio(&v), 100.0);
    // The bureau raises 建筑用石's 中型 floor to 8: the 6 万m³/年 quarry becomes 小型, and the
    // computation names the table version it used.
    let out = minplan(
        &db,
        &[
            "scale-table",
            "set",
            "建筑用石",
            "--unit",
            "万立方米/年",
            "--large",
            "10",
            "--medium",
            "8",
        ],
    );
    assert!(text(&out).contains("第 1 版"), "{}", text(&out));
    let v: serde_json::Value =
        serde_json::from_slice(&minplan(&db, &["indicators", "--year", "2026", "--json"]).stdout)
            .unwrap();
    assert_eq!(ratio(&v), 0.0);
    assert!(v["scale_table"].as_str().unwrap().contains("第 1 版"));
}
