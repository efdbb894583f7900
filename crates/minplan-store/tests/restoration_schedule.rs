//! 三同时 records in the store on the five-year scenario: the annual-report import reads the
//! two areas (公顷) and refuses a negative one at its column; a refused plan writes nothing;
//! the approved plan in force on a date is the latest approved by then; a plan filed with an
//! application reaches the mine once the application is registered to it.

#[path = "../../minplan/tests/scenario/mod.rs"]
mod scenario;

use minplan_domain::date::Date;
use minplan_domain::restoration::schedule::{PlanFiling, PlanKind};
use minplan_store::{Actor, BulkMode, Store};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn restoration(title: &str, approved: Option<&str>, budget: f64) -> PlanFiling {
    PlanFiling {
        kind: PlanKind::Restoration,
        title: title.into(),
        author: "黑龙江省地质环境监测总站".into(),
        filed_on: d("2023-05-01"),
        approved_on: approved.map(d),
        approval_number: approved.map(|a| format!("绥自然资复〔{}〕1号", &a[..4])),
        application_number: None,
        budget_wan_yuan: Some(budget),
        from_year: Some(2023),
        service_years: Some(3),
        yearly_restoration_ha: vec![(2023, 1.0), (2024, 1.0), (2025, 1.5)],
    }
}

async fn audit_count(store: &Store) -> usize {
    store.audit_list(&Default::default()).await.unwrap().len()
}

#[tokio::test]
async fn import_plans_and_the_plan_in_force() {
    let store = Store::open_in_memory().await.unwrap();
    let built = scenario::build(&store).await;
    let jjg = built.mines[2];
    let plan = store.active_plan().await.unwrap().unwrap();
    let plan = &plan.loaded.plan;
    let row = |cells: &[&str]| cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    let table = vec![
        row(&[
            "许可证号",
            "年度",
            "开采量",
            "产值（万元）",
            "报送日期",
            "本年损毁土地面积（公顷）",
            "本年复垦（治理）面积（公顷）",
        ]),
        row(&[
            scenario::JINJIAGOU,
            "2025",
            "4.5",
            "315",
            "2026-04-30",
            "2.35",
            "-2",
        ]),
    ];
    let out = store
        .import_reports_table(plan, &table, "年报.csv", BulkMode::Commit, &Actor::System)
        .await
        .unwrap();
    assert!(!out.committed);
    assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
    assert_eq!(out.problems[0].row, 2);
    let column = out.problems[0].column.clone().unwrap_or_default();
    assert!(column.starts_with("本年复垦（治理）面积"), "{column}");
    assert_eq!(
        out.problems[0].message,
        "本年复垦（治理）面积应在 0–100000 公顷之间"
    );
    let table = vec![
        table[0].clone(),
        row(&[
            scenario::JINJIAGOU,
            "2025",
            "4.5",
            "315",
            "2026-04-30",
            "2.35",
            "1.2",
        ]),
    ];
    let out = store
        .import_reports_table(plan, &table, "年报.csv", BulkMode::Commit, &Actor::System)
        .await
        .unwrap();
    assert!(out.committed, "{:?}", out.problems);
    let actuals = store.mine_year_actuals(jjg).await.unwrap();
    let y2025 = actuals.iter().find(|a| a.year == 2025).unwrap();
    assert_eq!(
        (y2025.disturbed_ha, y2025.restored_ha),
        (Some(2.35), Some(1.2))
    );
    let y2024 = actuals.iter().find(|a| a.year == 2024).unwrap();
    assert_eq!((y2024.disturbed_ha, y2024.restored_ha), (None, None));

    // A refused plan (no budget) writes nothing.
    let before = audit_count(&store).await;
    let mut bad = restoration("无预算方案", None, 1.0);
    bad.budget_wan_yuan = None;
    let e = store
        .file_mine_plan(Some(jjg), &bad, &Actor::System)
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("生态修复方案须填写治理恢复与复垦预算（万元）"),
        "{e}"
    );
    assert_eq!(audit_count(&store).await, before);
    assert!(store.mine_plan_filings(jjg).await.unwrap().is_empty());

    // Two approved plans: the one in force on a date is the latest approved by then.
    store
        .file_mine_plan(
            Some(jjg),
            &restoration("第一版", Some("2023-06-01"), 30.0),
            &Actor::System,
        )
        .await
        .unwrap();
    store
        .file_mine_plan(
            Some(jjg),
            &restoration("修订版", Some("2025-03-01"), 45.0),
            &Actor::System,
        )
        .await
        .unwrap();
    store
        .file_mine_plan(
            Some(jjg),
            &restoration("未批复版", None, 99.0),
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(audit_count(&store).await, before + 3);
    let on = |s: &str| {
        let store = &store;
        let s = s.to_string();
        async move {
            store
                .approved_restoration_plan(jjg, d(&s))
                .await
                .unwrap()
                .map(|p| p.budget_wan_yuan)
        }
    };
    assert_eq!(on("2023-05-31").await, None);
    assert_eq!(on("2024-12-31").await, Some(30.0));
    assert_eq!(on("2025-12-31").await, Some(45.0));
    let all = store
        .approved_restoration_plans(d("2024-12-31"))
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[&jjg].budget_wan_yuan, 30.0);
    let all = store
        .approved_restoration_plans(d("2025-12-31"))
        .await
        .unwrap();
    assert_eq!(all[&jjg].budget_wan_yuan, 45.0);

    // A plan filed with 金家沟's application (SFH-2023-002) reaches the mine it was
    // registered to.
    let mut dev = restoration("金家沟开发利用方案", None, 0.0);
    dev.kind = PlanKind::Development;
    dev.budget_wan_yuan = None;
    dev.from_year = None;
    dev.service_years = None;
    dev.yearly_restoration_ha.clear();
    dev.application_number = Some("SFH-2023-002".into());
    store
        .file_mine_plan(None, &dev, &Actor::System)
        .await
        .unwrap();
    let kinds: Vec<PlanKind> = store
        .mine_plan_filings(jjg)
        .await
        .unwrap()
        .iter()
        .map(|f| f.filing.kind)
        .collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == PlanKind::Development)
            .count(),
        1
    );
    assert_eq!(kinds.len(), 4);
}
