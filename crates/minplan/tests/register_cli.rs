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

/// Completes the 联合审查 of a 新立 application through the store (the CLI records no joint
/// review): the default departments all 同意, a 现场踏查 and the government's 同意 on `on`.
fn complete_joint_review(db: &Path, number: &str, on: &str) {
    use minplan_domain::date::Date;
    use minplan_domain::register::joint_review::{
        Consent, DEFAULT_DEPARTMENTS, DepartmentAnswer, Opinion, SiteVisit,
    };
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = minplan_store::Store::open(db).await.unwrap();
        let actor = minplan_store::Actor::Cli {
            os_user: "test".into(),
        };
        let on = Date::parse(on).unwrap();
        let names: Vec<String> = DEFAULT_DEPARTMENTS.iter().map(|s| s.to_string()).collect();
        store
            .start_joint_review(number, &names, on, &actor)
            .await
            .unwrap();
        for n in &names {
            let a = DepartmentAnswer {
                opinion: Opinion::Agree,
                conditions: None,
                date: on,
                attachment: None,
            };
            store
                .record_department_opinion(number, n, &a, None, &actor)
                .await
                .unwrap();
        }
        let v = SiteVisit {
            date: on,
            people: "县自然资源局".into(),
            findings: "现场与申请拐点一致".into(),
            photos: vec![],
        };
        store
            .record_site_visit(number, &v, &[], &actor)
            .await
            .unwrap();
        let c = Consent {
            date: on,
            document_number: "绥政函〔2021〕9号".into(),
        };
        store
            .record_government_consent(number, &c, &actor)
            .await
            .unwrap();
    });
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
    // Example 01 received five years earlier, so that the whole history lies in the past
    // (events are not recorded ahead of today).
    let ex = dir.path().join("01-qingfa-quarry.toml");
    std::fs::write(
        &ex,
        std::fs::read_to_string(examples().join("01-qingfa-quarry.toml"))
            .unwrap()
            .replace("received = \"2026-11-20\"", "received = \"2021-11-20\""),
    )
    .unwrap();
    std::fs::copy(
        examples().join("01-qingfa-quarry.txt"),
        dir.path().join("01-qingfa-quarry.txt"),
    )
    .unwrap();
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
        "2021-12-01",
        "--to",
        "2024-11-30",
    ];
    // Not yet approved.
    let out = minplan(&db, &reg);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("批准后才能登记"), "{}", text(&out));
    let out = minplan(
        &db,
        &["right", "decide", app, "--approve", "--date", "2021-11-25"],
    );
    assert!(out.status.success(), "{}", text(&out));
    // Approved but not yet registered: still in the register the review reads (its block and
    // its share of the caps stay taken).
    let list = text(&minplan(&db, &["right", "list"]));
    assert!(list.contains("SFH-2026-001 采矿权 在审"), "{list}");
    let grant = [
        "right",
        "grant",
        app,
        "--method",
        "挂牌",
        "--price",
        "85",
        "--date",
        "2021-11-28",
        "--net-mineral",
    ];
    // A 新立 is granted only after its 联合审查 (《规划》四（三）3（1））: refused, named.
    let out = minplan(&db, &grant);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("尚未进行联合审查"), "{}", text(&out));
    let out = minplan(&db, &["joint-review", "show", app]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("尚未启动联合审查"), "{}", text(&out));
    complete_joint_review(&db, app, "2021-11-26");
    let out = minplan(&db, &["joint-review", "show", app]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("生态环境：同意（2021年11月26日）"),
        "{}",
        text(&out)
    );
    assert!(text(&out).contains("已完成，可以出让。"), "{}", text(&out));
    let out = minplan(&db, &grant);
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
        "2027-11-30",
        "--date",
        "2024-12-15",
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
                "2025-01-01",
                "--until",
                "2026-12-31"
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
            "2025-06-01",
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
    // The right counts from 2021-12-01: one mine (中型, 5 万m³/年 … 6 in example 01: 中型).
    let out = minplan(&db, &["indicators", "--year", "2021", "--json"]);
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
        serde_json::from_slice(&minplan(&db, &["indicators", "--year", "2021", "--json"]).stdout)
            .unwrap();
    assert_eq!(ratio(&v), 0.0);
    assert!(v["scale_table"].as_str().unwrap().contains("第 1 版"));
}

/// The tester's bad rows: each figure out of bounds is a problem naming its row and its
/// Chinese column, and nothing is imported — neither by a dry run nor by `--commit`.
#[test]
fn out_of_bounds_figures_are_row_problems_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let c = csv_cell(&corners("01-qingfa-quarry.txt"));
    let header = "许可证号,矿业权类型,状态,矿山名称,矿业权人,统一社会信用代码,矿种,生产规模,规模单位,审批级别,有效期起,有效期止,面积,开采标高,拐点坐标";
    let rights = dir.path().join("neg2.csv");
    std::fs::write(
        &rights,
        format!(
            "{header}\n\
             C2310812019010002,采矿权,有效,乙采石场,乙公司,,建筑用凝灰岩,-6,万立方米/年,本级审批,2019-01-01,2027-12-31,-5,480～560,{c}\n\
             C2310812019010003,采矿权,有效,丙采石场,丙公司,,钻石头,1e300,万立方米/年,本级审批,2019-01-01,2027-12-31,1001,560～480,{c}\n"
        ),
    )
    .unwrap();
    for mode in [None, Some("--commit")] {
        let mut args = vec!["right", "import", rights.to_str().unwrap()];
        args.extend(mode);
        let out = minplan(&db, &args);
        let t = text(&out);
        assert_eq!(out.status.code(), Some(1), "{t}");
        for want in [
            "读取 2 行，0 行无问题，2 行有问题",
            "第 2 行“生产规模”列：生产规模应大于 0 且不超过 10000（万立方米/年 或 万吨/年），表中为 -6",
            "第 2 行“面积”列：面积应大于 0 且不超过 1000 km²，表中为 -5",
            "第 2 行“开采标高”列：“480～560”：起标高（480）应高于止标高（560）",
            "第 3 行“矿种”列：未知矿种“钻石头”（规划矿种目录中没有）",
            "第 3 行“生产规模”列：生产规模应大于 0 且不超过 10000（万立方米/年 或 万吨/年），表中为 1e300",
            "第 3 行“面积”列：面积应大于 0 且不超过 1000 km²，表中为 1001",
        ] {
            assert!(t.contains(want), "{mode:?} lacks {want}:\n{t}");
        }
        let list = text(&minplan(&db, &["right", "list"]));
        assert!(!list.contains("C231081201901000"), "{mode:?}: {list}");
    }

    // A missing column is named in Chinese: once for the header, then on each row.
    let no_licence = dir.path().join("no-licence.csv");
    let header_without = header.replacen("许可证号,", "", 1);
    std::fs::write(
        &no_licence,
        format!(
            "{header_without}\n采矿权,有效,乙采石场,乙公司,,建筑用凝灰岩,5,万立方米/年,本级审批,2019-01-01,2027-12-31,,560～480,{c}\n"
        ),
    )
    .unwrap();
    let t = text(&minplan(
        &db,
        &["right", "import", no_licence.to_str().unwrap(), "--commit"],
    ));
    assert!(t.contains("第 1 行“许可证号”列：缺少该列（必填）"), "{t}");
    assert!(t.contains("第 2 行“许可证号”列：不能为空"), "{t}");
    assert!(!t.contains("licence"), "{t}");

    // Reports: a good right first, then the bad figures.
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        format!(
            "{header}\nC2310812019010001,采矿权,有效,庆发采石场,绥芬河市庆发建材有限公司,91231081MA1BQF0013,建筑用凝灰岩,5,万立方米/年,本级审批,2019-01-01,2027-12-31,,560～480,{c}\n"
        ),
    )
    .unwrap();
    let out = minplan(
        &db,
        &["right", "import", good.to_str().unwrap(), "--commit"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let reports = dir.path().join("rep.csv");
    std::fs::write(
        &reports,
        "许可证号,年度,开采量,单位,产值（万元）,从业人员,开采回采率,清水循环利用率,报送日期\n\
         C2310812019010001,2024,-5,万立方米,315,20,95,100,2025-03-01\n\
         C2310812019010001,2023,4,万立方米,315,-3,95,100,2024-03-01\n\
         C2310812019010001,2022,4,万立方米,315,20,150,100,2023-03-01\n\
         C2310812019010001,2021,1e300,万立方米,315,20,95,100,2022-03-01\n\
         C2310812019010001,2020,4,万立方米,100000001,2.5,95,100,2021-03-01\n\
         C2310812019010001,2019,-5,万立方米,315,20,95,100,2020-02-30\n",
    )
    .unwrap();
    for mode in [None, Some("--commit")] {
        let mut args = vec!["report", "import", reports.to_str().unwrap()];
        args.extend(mode);
        let out = minplan(&db, &args);
        let t = text(&out);
        assert_eq!(out.status.code(), Some(1), "{t}");
        for want in [
            "读取 6 行，0 行无问题，6 行有问题",
            "第 2 行“开采量”列：开采量应在 0–1000000 之间（单位为开采量单位：万立方米 或 万吨）",
            "第 3 行“从业人员”列：从业人员应为 0–1000000 之间的整数（人）",
            "第 4 行“开采回采率”列：开采回采率应在 0–100（%）之间",
            "第 5 行“开采量”列：开采量应在 0–1000000 之间",
            "第 6 行“产值（万元）”列：产值（万元）应在 0–100000000 之间",
            "第 6 行“从业人员”列：从业人员应为 0–1000000 之间的整数（人）",
            // A bad date no longer hides the bad figure of the same row.
            "第 7 行“开采量”列：开采量应在 0–1000000 之间",
            "第 7 行“报送日期”列：日期“2020-02-30”",
        ] {
            assert!(t.contains(want), "{mode:?} lacks {want}:\n{t}");
        }
        let out = minplan(&db, &["report", "list", "--json"]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(
            v.as_array().unwrap().iter().all(|r| r["report"].is_null()),
            "{mode:?}: {v}"
        );
    }

    // .txt is refused by both importers, naming the accepted types (the web does the same).
    let txt = dir.path().join("x.txt");
    std::fs::write(&txt, "许可证号,年度\n").unwrap();
    for cmd in ["right", "report"] {
        let out = minplan(&db, &[cmd, "import", txt.to_str().unwrap()]);
        let t = text(&out);
        assert!(!out.status.success(), "{cmd}: {t}");
        assert!(
            t.contains(
                "不支持的文件类型：可导入 .xlsx .xls .csv 表格（矿业权还可导入 .geojson/.json）"
            ),
            "{cmd}: {t}"
        );
    }

    // The scale table refuses a blank or unknown 矿种 and writes nothing.
    for (mineral, want) in [
        ("", "矿种不能为空"),
        ("不存在矿种", "未知矿种“不存在矿种”（规划矿种目录中没有）"),
    ] {
        let out = minplan(
            &db,
            &[
                "scale-table",
                "set",
                mineral,
                "--unit",
                "万立方米/年",
                "--large",
                "10",
                "--medium",
                "5",
            ],
        );
        assert!(!out.status.success(), "{mineral}: {}", text(&out));
        assert!(text(&out).contains(want), "{}", text(&out));
    }
    let t = text(&minplan(&db, &["scale-table", "show"]));
    assert!(!t.contains("第 1 版") && !t.contains("不存在矿种"), "{t}");
}
