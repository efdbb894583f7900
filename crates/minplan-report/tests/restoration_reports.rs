//! The 生态修复台账 (XLSX) and the 年度矿山生态修复工作报告 (DOCX) read back: every value written,
//! each 合计 row equal to the sum of the rows read back (hand-computed here too), a column with a
//! missing value totalled as 部分无数据 and never as a number, self-contradicting rows refused
//! naming the row, the report's figures taken from the plan (22, 14, 0.7 …), dates as people
//! write them, no product name.

use calamine::{Data, Reader, Xlsx};
use minplan_domain::date::Date;
use minplan_domain::restoration::figures::{Reading, RestorationFigures};
use minplan_domain::restoration::indicators::restoration_indicators;
use minplan_report::{
    AnnualRestorationReport, FundRow, GreenMineRow, Issuer, LegacyMineRow, ProjectRow,
    RestorationLedger, annual_restoration_docx, restoration_ledger_xlsx,
};
use std::io::{Cursor, Read};
mod common;

fn d(y: i32, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

fn legacy(name: &str, area: f64, status: &str) -> LegacyMineRow {
    LegacyMineRow {
        name: name.into(),
        location: "阜宁镇".into(),
        former_use: "建筑用石料，露天".into(),
        area_km2: area,
        problems: "损毁土地、植被破坏".into(),
        responsible: "无（责任人灭失）".into(),
        direction: "宜林则林：坡度小于25°，周边为林地".into(),
        status: status.into(),
        schematic: true,
    }
}

fn fund(
    period: &str,
    due: Option<f64>,
    acc: f64,
    wd: f64,
    bal: f64,
    short: Option<f64>,
) -> FundRow {
    FundRow {
        mine: "庆发采石场".into(),
        holder: "绥芬河市庆发建材有限公司".into(),
        period: period.into(),
        due,
        accrued: acc,
        withdrawn: wd,
        balance: bal,
        shortfall: short,
        note: String::new(),
    }
}

fn ledger() -> RestorationLedger {
    RestorationLedger {
        unit: "绥芬河市".into(),
        as_of: d(2025, 12, 31),
        // 0.3 + 0.25 + 0.15 = 0.7 km².
        legacy: vec![
            legacy("示意遗留矿山一", 0.3, "未治理"),
            legacy("示意遗留矿山二", 0.25, "已验收"),
            legacy("示意遗留矿山三", 0.15, "未治理"),
        ],
        projects: vec![
            // 100 + 50 + 30 = 180 万元.
            ProjectRow {
                name: "阜宁镇历史遗留矿山生态修复工程".into(),
                sites: "示意遗留矿山二".into(),
                key_project: true,
                central: 100.0,
                provincial: 50.0,
                local: 30.0,
                social: 0.0,
                company_fund: 0.0,
                spent: 150.0,
                restored_area_km2: Some(0.01),
                start: Some(d(2025, 4, 1)),
                accepted: Some(d(2025, 10, 15)),
                status: "已验收".into(),
            },
            // 20 + 50 + 100 = 170 万元.
            ProjectRow {
                name: "庆发采石场边坡治理".into(),
                sites: "庆发采石场损毁区".into(),
                key_project: false,
                central: 0.0,
                provincial: 0.0,
                local: 20.0,
                social: 50.0,
                company_fund: 100.0,
                spent: 80.0,
                restored_area_km2: None,
                start: Some(d(2025, 6, 1)),
                accepted: None,
                status: "实施中".into(),
            },
        ],
        fund: vec![
            fund("2025年第1季度", Some(10.0), 10.0, 0.0, 10.0, Some(0.0)),
            fund("2025年第2季度", Some(10.0), 6.0, 2.0, 14.0, Some(4.0)),
            fund("2025年第3季度", None, 5.0, 0.0, 19.0, None),
        ],
    }
}

fn cell(r: &calamine::Range<Data>, row: usize, col: usize) -> Data {
    r.get((row, col)).cloned().unwrap_or(Data::Empty)
}

fn num(r: &calamine::Range<Data>, row: usize, col: usize) -> f64 {
    match cell(r, row, col) {
        Data::Float(f) => f,
        Data::Int(i) => i as f64,
        other => panic!("({row},{col}) is not a number: {other:?}"),
    }
}

fn text(r: &calamine::Range<Data>, row: usize, col: usize) -> String {
    match cell(r, row, col) {
        Data::String(s) => s,
        other => panic!("({row},{col}) is not text: {other:?}"),
    }
}

/// The sum of a column over the entry rows (2 .. 2 + n), as read back.
fn column_sum(r: &calamine::Range<Data>, n: usize, col: usize) -> f64 {
    (2..2 + n).map(|row| num(r, row, col)).sum()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn the_ledger_reads_back_with_its_totals() {
    let bytes = restoration_ledger_xlsx(&ledger()).unwrap();
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(
        x.sheet_names(),
        ["历史遗留矿山", "修复项目", "治理恢复基金", "说明"]
    );

    let l = x.worksheet_range("历史遗留矿山").unwrap();
    assert_eq!(
        text(&l, 0, 0),
        "绥芬河市历史遗留矿山台账（截至2025年12月31日）"
    );
    assert_eq!(text(&l, 1, 4), "面积（km²）");
    assert_eq!(text(&l, 2, 1), "示意遗留矿山一");
    assert_eq!(num(&l, 3, 4), 0.25);
    assert_eq!(text(&l, 3, 8), "已验收");
    assert_eq!(text(&l, 4, 9), "示意");
    assert_eq!(text(&l, 5, 0), "合计");
    assert_eq!(text(&l, 5, 1), "3 个");
    assert!(close(num(&l, 5, 4), column_sum(&l, 3, 4)));
    assert!(close(num(&l, 5, 4), 0.7));
    assert_eq!(text(&l, 5, 8), "未治理 2、已验收 1");
    assert_eq!(text(&l, 5, 9), "示意 3 个");

    let p = x.worksheet_range("修复项目").unwrap();
    assert_eq!(text(&p, 2, 3), "是");
    assert_eq!(num(&p, 2, 9), 180.0);
    assert_eq!(num(&p, 3, 9), 170.0);
    assert_eq!(text(&p, 2, 13), "2025年10月15日");
    assert_eq!(text(&p, 3, 13), "—");
    assert_eq!(text(&p, 3, 11), "未测定");
    assert_eq!(text(&p, 4, 0), "合计");
    // Every money column's total is the sum of its rows: 100, 50, 50, 50, 100, 350, 230.
    for (col, by_hand) in [
        (4, 100.0),
        (5, 50.0),
        (6, 50.0),
        (7, 50.0),
        (8, 100.0),
        (9, 350.0),
        (10, 230.0),
    ] {
        assert!(
            close(num(&p, 4, col), column_sum(&p, 2, col)),
            "column {col}"
        );
        assert!(close(num(&p, 4, col), by_hand), "column {col}");
    }
    // One project's area is not measured: the area is not totalled.
    assert_eq!(text(&p, 4, 11), "部分无数据");
    assert_eq!(text(&p, 4, 3), "1 个");
    assert_eq!(text(&p, 4, 13), "已验收 1 个");

    let f = x.worksheet_range("治理恢复基金").unwrap();
    assert_eq!(text(&f, 1, 8), "少提取（万元）");
    assert_eq!(num(&f, 3, 8), 4.0);
    assert_eq!(text(&f, 4, 4), "未核定");
    assert_eq!(text(&f, 4, 8), "无法判定");
    assert_eq!(text(&f, 5, 0), "合计");
    // 10 + 6 + 5 = 21 accrued; 0 + 2 + 0 = 2 withdrawn.
    for (col, by_hand) in [(5, 21.0), (6, 2.0)] {
        assert!(
            close(num(&f, 5, col), column_sum(&f, 3, col)),
            "column {col}"
        );
        assert!(close(num(&f, 5, col), by_hand), "column {col}");
    }
    assert_eq!(text(&f, 5, 4), "部分无数据");
    assert_eq!(text(&f, 5, 7), "—");
    assert_eq!(text(&f, 5, 8), "部分无数据");
    assert_eq!(text(&f, 5, 9), "少提取 1 行");

    // With every due amount known the due and shortfall columns add up: 10 + 10 + 8 = 28,
    // 0 + 4 + 3 = 7.
    let mut full = ledger();
    full.fund[2].due = Some(8.0);
    full.fund[2].shortfall = Some(3.0);
    let mut x: Xlsx<_> = Xlsx::new(Cursor::new(restoration_ledger_xlsx(&full).unwrap())).unwrap();
    let f = x.worksheet_range("治理恢复基金").unwrap();
    assert!(close(num(&f, 5, 4), 28.0) && close(num(&f, 5, 4), column_sum(&f, 3, 4)));
    assert!(close(num(&f, 5, 8), 7.0) && close(num(&f, 5, 8), column_sum(&f, 3, 8)));
    assert_eq!(text(&f, 5, 9), "少提取 2 行");
}

#[test]
fn contradicting_rows_are_refused_naming_the_row() {
    let mut l = ledger();
    l.fund[1].shortfall = Some(3.0);
    let e = restoration_ledger_xlsx(&l).unwrap_err().to_string();
    assert_eq!(
        e,
        "治理恢复基金第 2 行（庆发采石场，2025年第2季度）：少提取 3 万元与应提取 10 − 已提取 6 = 4 万元不符"
    );
    let mut l = ledger();
    l.fund[0].accrued = -1.0;
    let e = restoration_ledger_xlsx(&l).unwrap_err().to_string();
    assert_eq!(
        e,
        "治理恢复基金第 1 行（庆发采石场，2025年第1季度）：已提取为 -1，不能为负数"
    );
    let mut l = ledger();
    l.fund[2].shortfall = Some(1.0);
    assert!(
        restoration_ledger_xlsx(&l)
            .unwrap_err()
            .to_string()
            .contains("应提取未核定，却写了少提取 1 万元")
    );
    let mut l = ledger();
    l.projects[1].spent = -5.0;
    assert_eq!(
        restoration_ledger_xlsx(&l).unwrap_err().to_string(),
        "修复项目第 2 行（庆发采石场边坡治理）：已支出为 -5，不能为负数"
    );
}

/// The text of `word/document.xml`, tags removed.
fn docx_text(bytes: Vec<u8>) -> (String, Vec<String>) {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut all = Vec::new();
    let mut doc = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().to_string();
        let mut s = String::new();
        if f.read_to_string(&mut s).is_ok() {
            if name == "word/document.xml" {
                doc = s.clone();
            }
            all.push(s);
        }
    }
    let mut out = String::new();
    let mut in_tag = false;
    for c in doc.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    (out, all)
}

#[test]
fn the_annual_report_reads_back() {
    let mut figs = RestorationFigures::default();
    figs.legacy.legacy_mines = Reading::Value(3);
    figs.legacy.legacy_area_km2 = Reading::Value(0.7);
    figs.legacy.legacy_schematic = true;
    figs.legacy.key_projects_done = Reading::Value(12);
    let ind = restoration_indicators(common::plan(), 2025, &figs);
    let r = AnnualRestorationReport {
        year: 2025,
        plan: common::plan().identity.name.value.clone(),
        indicators: ind,
        ledger: ledger(),
        schedule: vec!["庆发采石场：开发利用方案与矿区生态修复方案均已备案，2025年损毁 1.2 公顷、修复 0.8 公顷。".into()],
        green: vec![GreenMineRow {
            mine: "庆发采石场".into(),
            level: "县级".into(),
            listed: d(2025, 11, 20),
            score: Some(86.5),
        }],
    };
    let mut issuer = Issuer::new("绥芬河市自然资源局");
    issuer.date = Some("2026-01-05".into());
    let (t, parts) = docx_text(annual_restoration_docx(&r, &issuer).unwrap());
    for want in [
        "2025年度矿山生态修复工作报告",
        "绥芬河市自然资源局",
        "一、总体情况",
        "二、历史遗留矿山治理",
        "三、矿山生态修复项目",
        "四、矿山地质环境治理恢复基金",
        "五、三同时与边开采边治理",
        "六、绿色矿山建设",
        // 专栏1's target from the bundle; 12 / 22 = 54.5 %.
        "专栏1 上轮规划目标 22",
        "54.5%",
        "基期值 14",
        "基期值 0.7",
        "基期值 350",
        "基期值 0.0212",
        "历史遗留矿山（在册）（示意）",
        // Missing figures in words.
        "无数据",
        "台账在册历史遗留矿山 3 个，面积合计 0.7 平方千米（未治理 2、已验收 1）",
        "阜宁镇历史遗留矿山生态修复工程",
        "2025年10月15日",
        "未验收",
        "2025年第2季度",
        "庆发采石场：开发利用方案与矿区生态修复方案均已备案",
        "2025年11月20日",
        "86.5",
        "2026年1月5日",
    ] {
        assert!(t.contains(want), "missing {want}");
    }
    // No figure the stores cannot give is printed as 0 in the figures table.
    assert!(!t.contains("2025年应提取基金：0"));
    for p in parts {
        assert!(
            !p.to_lowercase().contains("minplan"),
            "product name in a part"
        );
    }
    // A contradicting ledger is refused here too.
    let mut bad = r.clone();
    bad.ledger.legacy[0].area_km2 = -0.1;
    assert_eq!(
        annual_restoration_docx(&bad, &issuer)
            .unwrap_err()
            .to_string(),
        "历史遗留矿山第 1 行（示意遗留矿山一）：面积为 -0.1，不能为负数"
    );
}
