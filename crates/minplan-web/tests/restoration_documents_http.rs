//! The 生态修复 documents over HTTP, the server's `today` fixed at 15 January 2026, and the
//! fund ledger reading the 三同时 record: a mine whose approved 矿区生态修复方案 budgets 40 万元
//! over 2025–2026 owes 40 ÷ (2 × 4) = 5 万元 a quarter (the `PlanBudget` method); it accrued
//! 5 + 5 + 2 = 12 万元 in 2025 and used 3, so at the end of 2025 it owes 20, is 8 short and holds
//! 9. The 生态修复台账 XLSX (read back with calamine) shows those figures, the Suifenhe seed's
//! 14 legacy mines (0.7 km²) and 11 projects (350 万元, 0.0212 km²) — the plan's 一（一）5–6 —
//! with their 合计 rows; the annual report DOCX carries the mine's 三同时 sentence, and the
//! overview `/restoration/mines` the approval.

mod common;

use common::*;
use minplan_domain::date::Date;
use minplan_domain::restoration::fund::{DueMethod, EntryKind, LedgerEntry, Quarter};
use minplan_domain::restoration::schedule::{PlanFiling, PlanKind};
use minplan_store::Actor;
use reqwest::StatusCode;
use std::io::Read;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// A mine with one open-pit 采矿权.
async fn mine(srv: &Server) -> i64 {
    let pool = srv.store.pool();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO mines (name, created_at) VALUES ('青山采石场', '2024-01-01T00:00:00Z') RETURNING id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let state = serde_json::json!({
        "id": "C2310812024017130000001", "kind": "采矿权", "standing": "有效", "name": "青山采石场",
        "holder_name": "绥芬河市青山建材有限公司", "credit_code": "91231081MA1BQF0013",
        "minerals": ["建筑用花岗岩"], "capacity": null, "approval": null,
        "mining_method": "露天", "valid_from": null, "valid_to": null, "area_km2": null,
        "elevation": null, "mine_id": id, "application": null, "grant": null, "mortgage": null,
        "closure_report": null, "closure": null, "cancel_reason": null
    });
    sqlx::query(
        "INSERT INTO rights (id, kind, status, name, holder_name, credit_code, minerals_json,
           geometry_json, source, updated_at, mine_id, state_json)
         VALUES ('C2310812024017130000001', '采矿权', '有效', '青山采石场', '绥芬河市青山建材有限公司',
                 '91231081MA1BQF0013', '[\"建筑用花岗岩\"]', '[]', 'test', '2024-01-01T00:00:00Z', ?, ?)",
    )
    .bind(id)
    .bind(state.to_string())
    .execute(pool)
    .await
    .unwrap();
    id
}

async fn download(c: &reqwest::Client, url: String) -> Vec<u8> {
    let r = c.get(&url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{url}");
    r.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn ledger_and_report_read_the_fund_the_plan_and_the_seed() {
    let today = d("2026-01-15");
    let srv = start_with(minplan_web::WebConfig {
        today: Some(today),
        ..Default::default()
    })
    .await;
    let base = &srv.base;
    let store = &srv.store;
    let actor = Actor::System;
    store.seed_restoration_baseline(&actor).await.unwrap();
    let m = mine(&srv).await;

    // The 三同时 record: the approved plan the fund's PlanBudget method reads.
    let filed = store
        .file_mine_plan(
            Some(m),
            &PlanFiling {
                kind: PlanKind::Restoration,
                title: "青山采石场矿山地质环境保护与土地复垦方案".into(),
                author: "黑龙江省某地质勘查院".into(),
                filed_on: d("2024-12-01"),
                approved_on: None,
                approval_number: None,
                application_number: None,
                budget_wan_yuan: Some(40.0),
                from_year: Some(2025),
                service_years: Some(2),
                yearly_restoration_ha: vec![(2025, 1.0), (2026, 1.0)],
            },
            &actor,
        )
        .await
        .unwrap();
    store
        .approve_mine_plan(filed.id, d("2024-12-20"), "绥自然资复〔2024〕1号", &actor)
        .await
        .unwrap();
    let plan = store
        .approved_restoration_plan(m, d("2025-12-31"))
        .await
        .unwrap()
        .expect("the approved plan reaches the fund");
    assert_eq!(
        (plan.budget_wan_yuan, plan.from_year, plan.service_years),
        (40.0, 2025, 2)
    );
    store
        .set_fund_method(
            m,
            DueMethod::PlanBudget,
            Quarter::new(2025, 1).unwrap(),
            &actor,
        )
        .await
        .unwrap();
    for (kind, date, amount, voucher, purpose) in [
        (EntryKind::Accrual, "2025-03-15", 5.0, "记-001", ""),
        (EntryKind::Accrual, "2025-06-20", 5.0, "记-002", ""),
        (EntryKind::Accrual, "2025-09-20", 2.0, "记-003", ""),
        (
            EntryKind::Expenditure,
            "2025-10-10",
            3.0,
            "付-001",
            "边坡治理",
        ),
    ] {
        store
            .add_fund_entry(
                m,
                &LedgerEntry {
                    kind,
                    date: d(date),
                    amount_wan_yuan: amount,
                    voucher: voucher.into(),
                    purpose: purpose.into(),
                },
                today,
                &actor,
            )
            .await
            .unwrap();
    }

    let c = logged_in(base, "xiufu").await;
    let bytes = download(&c, format!("{base}/restoration/ledger.xlsx?year=2025")).await;
    use calamine::{Data, Reader, Xlsx};
    let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        x.sheet_names(),
        ["历史遗留矿山", "修复项目", "治理恢复基金", "说明"]
    );
    let total_row = |r: &calamine::Range<Data>| {
        (0..r.height())
            .find(|&i| r.get((i, 0)) == Some(&Data::String("合计".into())))
            .expect("a 合计 row")
    };
    let num = |r: &calamine::Range<Data>, row: usize, col: usize| match r.get((row, col)) {
        Some(Data::Float(v)) => *v,
        other => panic!("({row}, {col}) is {other:?}"),
    };
    let legacy = x.worksheet_range("历史遗留矿山").unwrap();
    let t = total_row(&legacy);
    assert_eq!(legacy.get((t, 1)), Some(&Data::String("14 个".into())));
    assert!(
        (num(&legacy, t, 4) - 0.7).abs() <= 0.0005,
        "{}",
        num(&legacy, t, 4)
    );
    let projects = x.worksheet_range("修复项目").unwrap();
    let t = total_row(&projects);
    assert!((num(&projects, t, 9) - 350.0).abs() < 1e-6);
    assert!((num(&projects, t, 11) - 0.0212).abs() < 1e-9);
    let fund = x.worksheet_range("治理恢复基金").unwrap();
    let row = (0..fund.height())
        .find(|&i| fund.get((i, 1)) == Some(&Data::String("青山采石场".into())))
        .expect("the mine's fund row");
    assert_eq!(
        fund.get((row, 3)),
        Some(&Data::String("2025年第1季度至2025年第4季度累计".into()))
    );
    // 应提取 20, 已提取 12, 已使用 3, 余额 9, 少提取 8 (万元).
    assert_eq!(
        (4..=8).map(|col| num(&fund, row, col)).collect::<Vec<_>>(),
        [20.0, 12.0, 3.0, 9.0, 8.0]
    );

    let bytes = download(&c, format!("{base}/restoration/report.docx?year=2025")).await;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    for want in [
        "2025年度矿山生态修复工作报告",
        "青山采石场：开发利用方案未报送，矿区生态修复方案已批复（2024年12月20日，绥自然资复〔2024〕1号）",
        "2025年末无法判定（年报未填报复垦面积）",
    ] {
        assert!(xml.contains(want), "the report lacks {want}");
    }
    assert!(!xml.to_lowercase().contains("minplan"));

    let overview = c
        .get(format!("{base}/restoration/mines"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        overview.contains("已批复（2024年12月20日，绥自然资复〔2024〕1号）"),
        "{overview}"
    );
    assert!(overview.contains("href=\"/rights/C2310812024017130000001/restoration\""));

    // A year not yet begun is refused by name; a company may not download the county's ledger.
    let r = c
        .get(format!("{base}/restoration/ledger.xlsx?year=2027"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let company = logged_in(base, "qiye").await;
    let r = company
        .get(format!("{base}/restoration/ledger.xlsx?year=2025"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}
