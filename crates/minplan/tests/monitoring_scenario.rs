//! The five-year Suifenhe scenario (see `scenario/mod.rs`): every indicator value, status and
//! projection, every reminder on three days, the report statuses, the annual plan, and the
//! evaluation XLSX/DOCX read back — each checked against numbers computed by hand below.

mod scenario;

use minplan_domain::monitoring::{ReminderKind, Status};
use minplan_store::{ReportStatus, Store};
use scenario::*;
use std::io::Read;

fn close(a: Option<f64>, b: f64, what: &str) {
    let a = a.unwrap_or_else(|| panic!("{what}: no value"));
    assert!((a - b).abs() < 1e-6, "{what}: {a} ≠ {b}");
}

/// Per year: 矿业总产值, 矿山企业数量, 本级审批发证, 大中型比例, 建筑用石, 矿泉水, 地下热水.
///
/// * 产值 = Σ reports: 2021 90; 2022 180 + 210 = 390; 2023 210 + 336 + 140 = 686;
///   2024 225 + 343 + 322 = 890; 2025 240 + 70 + 336 = 646.
/// * Mines in force on 31 Dec: 2021 {地热}; 2022 {地热, 庆发}; 2023–2024 {地热, 庆发, 金家沟};
///   2025 {地热, 金家沟} (庆发 expired 2025-04-30, closed 2025-08-15). 本级: 庆发, 金家沟.
/// * 大中型 (208号): 地热 8 < 10 小型; 庆发 5, 金家沟 5 ≥ 5 中型 → 0/1, 1/2, 2/3, 2/3, 1/2.
/// * 建筑用石 = 庆发 + 金家沟 extraction: 0; 3.0; 4.8 + 2.0 = 6.8; 4.9 + 4.6 = 9.5;
///   1.0 + 4.8 = 5.8. 地下热水 = 地热's: 3, 6, 7, 7.5, 8. 矿泉水: none.
const EXPECTED: [(i32, [f64; 7]); 5] = [
    (2021, [90.0, 1.0, 0.0, 0.0, 0.0, 0.0, 3.0]),
    (2022, [390.0, 2.0, 1.0, 50.0, 3.0, 0.0, 6.0]),
    (2023, [686.0, 3.0, 2.0, 200.0 / 3.0, 6.8, 0.0, 7.0]),
    (2024, [890.0, 3.0, 2.0, 200.0 / 3.0, 9.5, 0.0, 7.5]),
    (2025, [646.0, 2.0, 1.0, 50.0, 5.8, 0.0, 8.0]),
];

const KEYS: [&str; 7] = [
    "output_value",
    "mine_count",
    "mine_count_this_level",
    "large_medium_ratio",
    "extraction_building_stone",
    "extraction_mineral_water",
    "extraction_geothermal_water",
];

use Status::{Breached as B, NoData as N, OnTrack as O, Warning as W};

/// Statuses (warning from 90 % of a cap):
/// * 产值 ≥1000: 2021 one value 90 projects as 90 < 1000 → 预警; 2022 line through 90, 390
///   → 390 + 300 × 3 = 1290 → 正常; 2023 slope (686 − 90)/2 = 298, mean 388.67 at 2022 →
///   388.67 + 298 × 3 = 1282.67 → 正常; 2024 → 1188 (below) → 正常; 2025 646 < 1000 in the
///   target year → 未达标.
/// * 矿山企业数量 ≤3: 3 ≥ 0.9 × 3 = 2.7 → 预警 in 2023–2024. 本级 ≤2: 2 ≥ 1.8 → 预警.
/// * 大中型 >33: 2021 0 projects as 0 → 预警; then 50, 66.67, 66.67, 50 → 正常.
/// * 建筑用石 ≤10: 2024 9.5 ≥ 9 → 预警.
const STATUS: [[Status; 7]; 5] = [
    [W, O, O, W, O, O, O],
    [O, O, O, O, O, O, O],
    [O, W, W, O, O, O, O],
    [O, W, W, O, W, O, O],
    [B, O, O, O, O, O, O],
];

async fn store() -> (tempfile::TempDir, Store, Built) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).await.unwrap();
    let built = build(&store).await;
    (dir, store, built)
}

#[tokio::test]
async fn five_years_of_indicators_match_the_hand_computed_values() {
    let (_dir, store, _) = store().await;
    let sp = store.active_plan().await.unwrap().unwrap();
    let plan = &sp.loaded.plan;
    for (i, (year, values)) in EXPECTED.iter().enumerate() {
        let r = store.indicator_report(plan, *year).await.unwrap();
        assert_eq!(r.as_of, d(&format!("{year}-12-31")));
        for (k, key) in KEYS.iter().enumerate() {
            let v = r.get(key).unwrap_or_else(|| panic!("{key}"));
            close(v.value, values[k], &format!("{year} {key}"));
            assert_eq!(v.status, STATUS[i][k], "{year} {key}: {}", v.status_label);
        }
        // Not computable from the register and nothing entered: 未填报, never 0.
        let nd = r.get("new_deposits").unwrap();
        assert_eq!(
            (nd.value, nd.status),
            (None, Status::NotEntered),
            "{year} new_deposits"
        );
        assert_eq!(nd.status_label, "未填报");
    }
    // Registered capacity beside the extraction (what R7 checks): 建筑用石 0, 5, 10, 10, 5.
    for (year, licensed) in [
        (2021, 0.0),
        (2022, 5.0),
        (2023, 10.0),
        (2024, 10.0),
        (2025, 5.0),
    ] {
        let r = store.indicator_report(plan, year).await.unwrap();
        close(
            r.get("extraction_building_stone").unwrap().licensed_total,
            licensed,
            &format!("{year} licensed stone"),
        );
        close(
            r.get("extraction_geothermal_water").unwrap().licensed_total,
            8.0,
            "licensed geothermal",
        );
    }
}

#[tokio::test]
async fn projections_and_completion() {
    let (_dir, store, _) = store().await;
    let sp = store.active_plan().await.unwrap().unwrap();
    let plan = &sp.loaded.plan;
    let r = store.indicator_report(plan, 2024).await.unwrap();
    // Least squares over 2021–2024 at 2025 (x̄ = 2022.5, Σ(x − x̄)² = 5):
    // 产值 90, 390, 686, 890: Σ(x−x̄)(y−ȳ) = 1348 → slope 269.6; 514 + 269.6 × 2.5 = 1188.
    close(r.get("output_value").unwrap().projection, 1188.0, "产值");
    // 企业 1, 2, 3, 3: slope 3.5/5 = 0.7; 2.25 + 0.7 × 2.5 = 4.
    close(r.get("mine_count").unwrap().projection, 4.0, "企业");
    // 本级 0, 1, 2, 2: 1.25 + 0.7 × 2.5 = 3.
    close(
        r.get("mine_count_this_level").unwrap().projection,
        3.0,
        "本级",
    );
    // 大中型 0, 50, 66.67, 66.67: slope 108.33/5 = 21.67; 45.83 + 21.67 × 2.5 = 100 (≤ 100).
    close(
        r.get("large_medium_ratio").unwrap().projection,
        100.0,
        "比例",
    );
    // 建筑用石 0, 3, 6.8, 9.5: slope 16.15/5 = 3.23; 4.825 + 3.23 × 2.5 = 12.9.
    close(
        r.get("extraction_building_stone").unwrap().projection,
        12.9,
        "石",
    );
    // 地下热水 3, 6, 7, 7.5: slope 7.25/5 = 1.45; 5.875 + 1.45 × 2.5 = 9.5.
    close(
        r.get("extraction_geothermal_water").unwrap().projection,
        9.5,
        "热水",
    );
    // The target year gives no projection; 完成率 = value ÷ target.
    let r = store.indicator_report(plan, 2025).await.unwrap();
    assert!(r.indicators.iter().all(|i| i.projection.is_none()));
    close(
        r.get("output_value").unwrap().percent_of_target,
        64.6,
        "产值 %",
    );
    close(
        r.get("large_medium_ratio").unwrap().percent_of_target,
        5000.0 / 33.0,
        "比例 %",
    );
    close(
        r.get("extraction_building_stone")
            .unwrap()
            .percent_of_target,
        58.0,
        "石 %",
    );
    close(
        r.get("extraction_geothermal_water")
            .unwrap()
            .percent_of_target,
        800.0 / 96.0,
        "热水 %",
    );
    assert_eq!(r.reports_required, 3);
    assert_eq!(r.reports_filed, 3);
    assert!(r.scale_table.contains("208号"));
}

fn kinds(list: &[minplan_domain::monitoring::Reminder]) -> Vec<String> {
    let mut v: Vec<String> = list
        .iter()
        .map(|r| format!("{:?} {}", r.kind, r.subject))
        .collect();
    v.sort();
    v
}

fn expect(list: &[minplan_domain::monitoring::Reminder], want: &[(ReminderKind, &str)]) {
    let mut w: Vec<String> = want.iter().map(|(k, s)| format!("{k:?} {s}")).collect();
    w.sort();
    assert_eq!(kinds(list), w, "{list:#?}");
}

#[tokio::test]
async fn reminders_on_three_days() {
    let (_dir, store, built) = store().await;
    let sp = store.active_plan().await.unwrap().unwrap();
    let plan = &sp.loaded.plan;
    use ReminderKind::*;
    // Without a 安全生产许可证 entered, every mine-year with output is reminded of (2021–2025,
    // 2022–2025, 2023–2025); the scenario's mines are licensed from here on.
    let r = store.reminders(plan, d("2026-04-10"), None).await.unwrap();
    assert_eq!(
        r.iter().filter(|x| x.kind == SafetyLicenceMissing).count(),
        12
    );
    for mine in built.mines {
        store
            .add_licence(
                mine,
                &minplan_domain::register::licences::LicenceInput {
                    kind: minplan_domain::register::licences::LicenceKind::SafetyProduction,
                    other_name: None,
                    number: format!("（黑）FM安许证字〔2021〕{mine:03}"),
                    issuer: "黑龙江省应急管理厅".into(),
                    valid_from: d("2021-01-01"),
                    valid_to: d("2030-12-31"),
                    attachment_sha256: None,
                },
                None,
                &minplan_store::Actor::System,
            )
            .await
            .unwrap();
    }
    // 2025-02-20: 庆发 ends 2025-04-30 (8 + 31 + 30 = 69 days); the 2024 reports of 庆发
    // (filed 2025-03-20) and 金家沟 (2025-05-20) are not in yet (due 2025-03-31, 39 days);
    // registered 建筑用石 5 + 5 = 10 of 10, mines 3 of 3, 本级 2 of 2: all ≥ 90 % of the caps.
    // 2024 extraction filed so far: 地热 7.5 of 96 only.
    let r = store.reminders(plan, d("2025-02-20"), None).await.unwrap();
    expect(
        &r,
        &[
            (CapNear, "建筑用石"),
            (CapNear, "本级审批发证矿山数量"),
            (CapNear, "矿山企业数量"),
            (LicenceExpiring, "庆发采石场（C2310812022050002）"),
            (ReportDue, "庆发采石场"),
            (ReportDue, "金家沟采石场"),
        ],
    );
    let exp = r.iter().find(|x| x.kind == LicenceExpiring).unwrap();
    assert_eq!(exp.days, Some(69));
    assert!(!exp.urgent);
    let due = r.iter().find(|x| x.kind == ReportDue).unwrap();
    assert_eq!(due.days, Some(39));

    // 2025-04-10: 庆发 ends in 20 days (urgent); 金家沟's 2024 report 10 days overdue;
    // 庆发's is in. 2024 extraction of 建筑用石 filed: 4.9 (49 %): no cap reminder for it.
    let r = store.reminders(plan, d("2025-04-10"), None).await.unwrap();
    expect(
        &r,
        &[
            (CapNear, "建筑用石"),
            (CapNear, "本级审批发证矿山数量"),
            (CapNear, "矿山企业数量"),
            (LicenceExpiring, "庆发采石场（C2310812022050002）"),
            (ReportOverdue, "金家沟采石场"),
        ],
    );
    let over = r.iter().find(|x| x.kind == ReportOverdue).unwrap();
    assert_eq!((over.days, over.urgent), (Some(-10), true));
    assert_eq!(over.credit_code.as_deref(), Some(JINJIAGOU_CODE));
    assert!(r[0].urgent && r[1].urgent, "urgent first: {r:#?}");

    // 2026-04-10: 庆发 closed; 金家沟 ends 2026-06-30 (20 + 31 + 30 = 81 days); every 2025
    // report is in; 建筑用石 registered 5 of 10, mines 2 of 3, 本级 1 of 2, 2025 extraction 5.8.
    let r = store.reminders(plan, d("2026-04-10"), None).await.unwrap();
    expect(
        &r,
        &[(LicenceExpiring, "金家沟采石场（C2310812023070003）")],
    );
    assert_eq!(r[0].days, Some(81));
    // A company sees its own only.
    let own = |code: &'static str| {
        let store = store.clone();
        let plan = plan.clone();
        async move {
            store
                .reminders(&plan, d("2026-04-10"), Some(code))
                .await
                .unwrap()
                .len()
        }
    };
    assert_eq!(own(GEO_CODE).await, 0);
    assert_eq!(own(JINJIAGOU_CODE).await, 1);
}

#[tokio::test]
async fn report_statuses_flag_the_late_report() {
    let (_dir, store, built) = store().await;
    let rows = store.report_statuses(2024, d("2026-04-10")).await.unwrap();
    let st: Vec<(i64, ReportStatus, String)> = rows
        .iter()
        .map(|r| (r.mine_id, r.status, r.status_label.clone()))
        .collect();
    assert_eq!(
        st,
        vec![
            (built.mines[0], ReportStatus::OnTime, "按期报送".into()),
            (built.mines[1], ReportStatus::OnTime, "按期报送".into()),
            // 2025-03-31 → 2025-05-20: 30 + 20 = 50 days.
            (
                built.mines[2],
                ReportStatus::Late,
                "逾期报送（50 天）".into()
            ),
        ]
    );
    // 庆发 had to report for 2025 (in force until 30 April); only 地热 for 2021.
    assert_eq!(
        store
            .report_statuses(2025, d("2026-04-10"))
            .await
            .unwrap()
            .len(),
        3
    );
    assert_eq!(
        store
            .report_statuses(2021, d("2026-04-10"))
            .await
            .unwrap()
            .len(),
        1
    );
    // A company files only for its own mines.
    let sp = store.active_plan().await.unwrap().unwrap();
    let e = store
        .file_report(
            &sp.loaded.plan,
            built.mines[0],
            &minplan_domain::register::annual_report::ReportInput {
                year: 2025,
                mineral: None,
                extraction: 1.0,
                unit: None,
                output_value_wan_yuan: 1.0,
                staff: 1,
                mining_recovery_pct: None,
                processing_recovery_pct: None,
                utilisation_pct: None,
                water_reuse_pct: None,
                filed_on: d("2026-04-11"),
                note: None,
                disturbed_ha: None,
                restored_ha: None,
            },
            false,
            Some(JINJIAGOU_CODE),
            &minplan_store::Actor::System,
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("没有编号为"), "{e}");
}

#[tokio::test]
async fn history_lifecycle_and_audit() {
    let (_dir, store, _) = store().await;
    let h = store.right_history(QINGFA).await.unwrap();
    let kinds: Vec<&str> = h.events.iter().map(|e| e.kind.label()).collect();
    assert_eq!(kinds, ["登记", "闭坑报告", "闭坑"]);
    assert!(h.valid_on(d("2025-04-30")));
    assert!(!h.valid_on(d("2025-05-01")));
    let s = h.current();
    assert_eq!(s.standing.label(), "闭坑");
    assert_eq!(s.grant.as_ref().unwrap().price_wan_yuan, 85.0);
    assert!(s.grant.as_ref().unwrap().net_mineral);
    assert_eq!(s.approval.unwrap().label(), "本级审批发证");
    let geo = store.right_history(GEO).await.unwrap();
    assert_eq!(geo.current().approval.unwrap().label(), "市级划定");
    assert_eq!(geo.current().capacity.unwrap().value, 8.0);
    // The review register (what `minplan review` reads): 庆发 is 已注销.
    let reg = store.review_register().await.unwrap();
    let q = reg.iter().find(|r| r.id == QINGFA).unwrap();
    assert_eq!(q.status.label(), "已注销");
    // Every write left its audit row, and the chain is intact.
    let rows = store
        .audit_list(&minplan_store::AuditFilter::parse_entity(&format!(
            "right:{QINGFA}"
        )))
        .await
        .unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    for a in ["right.register", "right.closure_report", "right.close"] {
        assert!(actions.contains(&a), "{actions:?}");
    }
    assert!(minplan_store::audit::verify(&store).await.unwrap().intact());
}

#[tokio::test]
async fn annual_plan_2026() {
    let (_dir, store, _) = store().await;
    let sp = store.active_plan().await.unwrap().unwrap();
    // Drafted on 2025-12-31, no 2025 report is filed yet: 上年开采量 is 未报送, not 0.
    let early = store
        .annual_plan_on(&sp.loaded.plan, 2026, d("2025-12-31"))
        .await
        .unwrap();
    assert_eq!(early.basis_date, d("2025-12-31"));
    assert!(early.caps.iter().all(|c| c.last_year_extraction.is_none()));
    assert_eq!(early.last_year_coverage.map(|c| c.filed), Some(0));
    // Drafted on 2026-04-01 (the register of that day, the 2025 reports filed by then).
    let d2026 = store
        .annual_plan_on(&sp.loaded.plan, 2026, d("2026-04-01"))
        .await
        .unwrap();
    assert_eq!(d2026.basis_date, d("2026-04-01"));
    assert!(
        d2026.notes[0].starts_with("数据截至2026年4月1日"),
        "{}",
        d2026.notes[0]
    );
    // On 2026-04-01 (as on 2025-12-31): 建筑用石 registered 5 (金家沟) of 10 → 5 more; 矿泉水 0 of 3.6;
    // 地下热水 8 of 96 → 88. Mines 2 of 3 → 1 more; 本级 1 of 2 → 1 more.
    let cap = |m: &str| d2026.caps.iter().find(|c| c.mineral == m).unwrap().clone();
    assert_eq!(
        (cap("建筑用石").licensed, cap("建筑用石").licensable),
        (5.0, 5.0)
    );
    assert!((cap("建筑用石").last_year_extraction.unwrap() - 5.8).abs() < 1e-9);
    assert_eq!(cap("地下热水").licensable, 88.0);
    assert_eq!(cap("矿泉水").licensable, 3.6);
    assert_eq!(d2026.mines, Some((3, 2, 1)));
    assert_eq!(d2026.mines_this_level, Some((2, 1, 1)));
    // Blocks: C01 (地热) and C04 (金家沟) hold a right in force; C05 is free again after 闭坑.
    let open: Vec<&str> = d2026
        .open_blocks
        .iter()
        .map(|b| b.number.as_str())
        .collect();
    assert!(
        !open.contains(&"231081-C01") && !open.contains(&"231081-C04"),
        "{open:?}"
    );
    assert!(
        open.contains(&"231081-C05") && open.contains(&"231081-C02"),
        "{open:?}"
    );
    // 金家沟 ends 2026-06-30; 庆发 closed in 2025.
    assert_eq!(d2026.expiring.len(), 1);
    assert_eq!(d2026.expiring[0].id, JINJIAGOU);
    assert!(d2026.restoration.iter().any(|r| r.subject.contains(QINGFA)));
    let xlsx = minplan_report::annual_plan_xlsx(&d2026).unwrap();
    let docx = minplan_report::annual_plan_docx(
        &d2026,
        &minplan_report::Issuer::new("绥芬河市自然资源局"),
    )
    .unwrap();
    assert!(xlsx.starts_with(b"PK") && docx.starts_with(b"PK"));
}

fn docx_text(bytes: &[u8]) -> (String, usize) {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let images = (0..z.len())
        .filter(|i| z.by_index(*i).unwrap().name().starts_with("word/media/"))
        .count();
    (xml, images)
}

#[tokio::test]
async fn evaluation_xlsx_and_docx_read_back_with_the_same_figures() {
    use calamine::{Data, Reader, Xlsx};
    let (_dir, store, _) = store().await;
    let sp = store.active_plan().await.unwrap().unwrap();
    let e = store.evaluation(&sp.loaded.plan, 2021, 2025).await.unwrap();
    let bytes = minplan_report::evaluation_xlsx(&e).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("实施评估").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header: Vec<String> = rows[1].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, minplan_report::ZHUANLAN1_COLUMNS);
    let num = |c: &Data| match c {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    };
    // Rows in the plan's order, 本级 after 企业; 实际完成 = 2025 values; 完成率 = ÷ target.
    let want: [(&str, f64, Option<f64>, Option<f64>); 8] = [
        ("矿业总产值", 1000.0, Some(646.0), Some(64.6)),
        ("矿山企业数量", 3.0, Some(2.0), Some(200.0 / 3.0)),
        ("本级审批发证矿山数量", 2.0, Some(1.0), Some(50.0)),
        ("大中型矿山比例", 33.0, Some(50.0), Some(5000.0 / 33.0)),
        ("主要矿产开采总量：建筑用石", 10.0, Some(5.8), Some(58.0)),
        ("主要矿产开采总量：矿泉水", 3.6, Some(0.0), Some(0.0)),
        (
            "主要矿产开采总量：地下热水",
            96.0,
            Some(8.0),
            Some(800.0 / 96.0),
        ),
        ("提供中型矿产地", 1.0, None, None),
    ];
    assert_eq!(rows.len(), 2 + want.len());
    for (i, (name, target, actual, pct)) in want.iter().enumerate() {
        let r = &rows[2 + i];
        assert_eq!(num(&r[0]), Some((i + 1) as f64));
        assert_eq!(r[2].to_string(), *name);
        assert_eq!(num(&r[4]), Some(*target), "{name} target");
        match actual {
            Some(a) => close(num(&r[5]), *a, name),
            // The one manual indicator, never entered in the scenario.
            None => assert_eq!(r[5].to_string(), "未填报"),
        }
        match pct {
            Some(p) => close(num(&r[6]), *p, name),
            None => assert_eq!(r[6].to_string(), "—"),
        }
        // The same figures as the evaluation itself.
        assert_eq!(
            e.rows[i].actual.map(|v| (v * 1e6).round()),
            actual.map(|v| (v * 1e6).round())
        );
    }
    assert_eq!(rows[2][1].to_string(), "矿业经济总量");
    assert_eq!(rows[3][1].to_string(), "矿产资源合理开发利用与保护");
    // The yearly values sheet: 产值 2021–2025.
    let series = wb.worksheet_range("年度数值").unwrap();
    let r1: Vec<Option<f64>> = series.rows().nth(1).unwrap()[3..].iter().map(num).collect();
    assert_eq!(
        r1,
        [
            Some(90.0),
            Some(390.0),
            Some(686.0),
            Some(890.0),
            Some(646.0)
        ]
    );

    let docx =
        minplan_report::evaluation_docx(&e, &minplan_report::Issuer::new("绥芬河市自然资源局"))
            .unwrap();
    let (xml, images) = docx_text(&docx);
    for s in [
        "序号",
        "规划目标",
        "完成率",
        "646",
        "64.6%",
        "未达标",
        "151.5%",
        "提供中型矿产地",
    ] {
        assert!(xml.contains(s), "DOCX lacks {s}");
    }
    // One chart per indicator with data (新增矿产地 has none).
    assert_eq!(images, 7);
    let svg = minplan_report::indicator_chart_svg(&e.rows[0]);
    assert!(svg.starts_with("<svg") && svg.contains("646") && svg.contains("规划目标 ≥1000"));
}

#[tokio::test]
async fn an_empty_register_gives_no_data_not_zero() {
    let store = Store::open_in_memory().await.unwrap();
    store
        .seed_if_empty(&minplan_store::default_bundle())
        .await
        .unwrap();
    let sp = store.active_plan().await.unwrap().unwrap();
    let r = store.indicator_report(&sp.loaded.plan, 2025).await.unwrap();
    // No mine had to report: 产值 and 开采总量 are unknown (无数据), not 0 (未达标).
    for key in ["output_value", "extraction_building_stone"] {
        let v = r.get(key).unwrap();
        assert_eq!((v.value, v.status), (None, N), "{key}");
        assert!(
            v.status_label.contains("无数据"),
            "{key}: {}",
            v.status_label
        );
    }
    // No right was ever entered or imported: the register's counts are unknown (无数据), not
    // 0 正常; the ratio likewise, and no registered capacity is given as 0.
    for key in ["mine_count", "mine_count_this_level", "large_medium_ratio"] {
        let v = r.get(key).unwrap();
        assert_eq!((v.value, v.status), (None, N), "{key}");
        assert_eq!(v.percent_of_target, None, "{key}");
    }
    assert_eq!(
        r.get("extraction_building_stone").unwrap().licensed_total,
        None
    );
}

/// The 2027 plan drafted on 2026-12-06 reads the register of that day — 数据截至2026年12月6日,
/// never 31 December — so 金家沟, expired on 2026-06-30, no longer holds C04, and the 2026
/// reports (not yet due) are 未报送, not 0.
#[tokio::test]
async fn annual_plan_2027_drafted_in_december_2026() {
    let (_dir, store, _) = store().await;
    let sp = store.active_plan().await.unwrap().unwrap();
    let p = store
        .annual_plan_on(&sp.loaded.plan, 2027, d("2026-12-06"))
        .await
        .unwrap();
    assert_eq!(p.basis_date, d("2026-12-06"));
    assert!(
        p.notes[0].starts_with("数据截至2026年12月6日"),
        "{}",
        p.notes[0]
    );
    let open: Vec<&str> = p.open_blocks.iter().map(|b| b.number.as_str()).collect();
    assert!(open.contains(&"231081-C04"), "{open:?}");
    assert!(!open.contains(&"231081-C01"), "{open:?}");
    assert!(p.caps.iter().all(|c| c.last_year_extraction.is_none()));
    assert!(p.exceeded.is_empty(), "{:?}", p.exceeded);
    let docx =
        minplan_report::annual_plan_docx(&p, &minplan_report::Issuer::new("绥芬河市自然资源局"))
            .unwrap();
    let (xml, _) = docx_text(&docx);
    assert!(xml.contains("数据截至2026年12月6日"));
    assert!(!xml.contains("2026-12-31"));
}
