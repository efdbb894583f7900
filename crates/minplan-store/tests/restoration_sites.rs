//! 历史遗留矿山 and 修复项目 in the store: the Suifenhe seed against the plan's own baseline
//! (read from the plan, not retyped), the status steps, refusals that write nothing, and a
//! project's acceptance that accepts only restored sites.

use minplan_domain::date::Date;
use minplan_domain::restoration::figures::Reading;
use minplan_domain::restoration::legacy::{
    Acceptance, Direction, Finding, FoundProblem, LegacyMine, Method, Status, read_geometry,
};
use minplan_domain::restoration::projects::{FundingLine, FundingSource, RestorationProject, Site};
use minplan_geo::corners::{Datum, ParseOptions};
use minplan_store::{Actor, AuditFilter, Store, StoreError, default_bundle};

/// An in-memory store with the embedded Suifenhe plan.
async fn seeded() -> Store {
    let store = Store::open_in_memory().await.unwrap();
    store.seed_if_empty(&default_bundle()).await.unwrap();
    store
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn value<T: Copy + std::fmt::Debug>(r: &Reading<T>) -> T {
    *r.value().unwrap_or_else(|| panic!("no value: {r:?}"))
}

async fn audit_rows(store: &Store) -> usize {
    store
        .audit_list(&AuditFilter::default())
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn the_suifenhe_seed_equals_the_plans_baseline() {
    let store = seeded().await;
    let before = store.legacy_figures(d("2020-12-31")).await.unwrap();
    assert!(matches!(before.legacy_mines, Reading::Missing(ref m) if m.contains("无数据")));
    let out = store
        .seed_restoration_baseline(&Actor::System)
        .await
        .unwrap();
    assert_eq!((out.legacy_mines, out.projects), (14, 11));
    let plan = store.active_plan().await.unwrap().unwrap().loaded.plan;
    let base = |key: &str| {
        plan.baseline
            .iter()
            .find(|f| f.key == key)
            .unwrap_or_else(|| panic!("baseline {key}"))
            .value
    };
    let f = store.legacy_figures(d("2020-12-31")).await.unwrap();
    assert_eq!(f64::from(value(&f.legacy_mines)), base("legacy_mines"));
    assert_eq!(base("legacy_mines"), 14.0);
    let area = value(&f.legacy_area_km2);
    assert!(
        (area - base("legacy_mines_area")).abs() <= 0.0005,
        "seeded legacy area {area} km² vs the plan's {}",
        base("legacy_mines_area")
    );
    assert!(f.legacy_schematic);
    assert_eq!(value(&f.remaining), 14);
    assert_eq!(f64::from(value(&f.projects)), base("restoration_projects"));
    assert!((value(&f.investment_wan_yuan) - base("restoration_investment")).abs() < 1e-9);
    assert!((value(&f.project_area_km2) - base("restoration_area")).abs() < 1e-9);
    let key = plan
        .previous_round
        .iter()
        .find(|r| r.indicator == "重点治理项目")
        .unwrap();
    assert_eq!((key.target, key.actual), (22.0, 11.0));
    assert_eq!(f64::from(value(&f.key_projects_done)), key.actual);
    // 一（一）5: 均为露天矿山.
    let mines = store.legacy_mines().await.unwrap();
    assert!(mines.iter().all(|m| m.input.method == Method::OpenPit));
    assert!(mines.iter().all(|m| m.input.schematic));
    // Before 2015 no project had started.
    let f2014 = store.legacy_figures(d("2014-12-31")).await.unwrap();
    assert!(matches!(f2014.projects, Reading::Missing(_)));
    // Idempotent: a second run writes nothing.
    let rows = audit_rows(&store).await;
    let again = store
        .seed_restoration_baseline(&Actor::System)
        .await
        .unwrap();
    assert_eq!(again.legacy_mines, 0);
    assert!(again.skipped.unwrap().contains("已有"));
    assert_eq!(audit_rows(&store).await, rows);
    assert_eq!(store.legacy_mines().await.unwrap().len(), 14);
}

fn opts() -> ParseOptions {
    ParseOptions {
        datum: Some(Datum::Cgcs2000),
        region: Some(minplan_geo::corners::suifenhe_schematic()),
        ..ParseOptions::default()
    }
}

fn legacy_input() -> LegacyMine {
    LegacyMine {
        name: "阜宁镇废弃采石场".into(),
        township: "阜宁镇".into(),
        village: "建新村".into(),
        mineral: "建筑用花岗岩".into(),
        method: Method::OpenPit,
        findings: vec![FoundProblem {
            kind: Finding::DamagedLand,
            note: "采坑约 2 公顷".into(),
        }],
        responsible: None,
        direction: Direction::Forest,
        reason: "周边为林地，宜林则林".into(),
        schematic: false,
    }
}

const CORNERS: &str = "1,4925000.00,44430000.00\n2,4925000.00,44430200.00\n\
                       3,4925100.00,44430200.00\n4,4925100.00,44430000.00\n";

#[tokio::test]
async fn legacy_mine_project_and_acceptance_round_trip() {
    let store = seeded().await;
    let today = d("2026-12-06");
    let user = Actor::Cli {
        os_user: "xiufu".into(),
    };
    let g = read_geometry(CORNERS, Some("2公顷"), &opts()).unwrap();
    let m = store
        .add_legacy_mine(&legacy_input(), &g, &user)
        .await
        .unwrap();
    assert_eq!(m.status, Status::Untreated);
    assert!((m.area_km2 - 0.02).abs() < 0.0001);
    // A refused entry writes nothing.
    let rows = audit_rows(&store).await;
    let mut bad = legacy_input();
    bad.reason.clear();
    let e = store.add_legacy_mine(&bad, &g, &user).await.unwrap_err();
    assert!(matches!(e, StoreError::Invalid(ref v) if v[0].field == "reason"));
    assert_eq!(audit_rows(&store).await, rows);
    assert_eq!(store.legacy_mines().await.unwrap().len(), 1);
    // No skipping to 已验收.
    let e = store
        .set_legacy_status(m.id, Status::Accepted, None, today, &user)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(ref v) if v[0].field == "status"));
    store
        .set_legacy_status(m.id, Status::InProgress, None, today, &user)
        .await
        .unwrap();
    // A project whose funding does not add up is refused.
    let mut p = RestorationProject {
        name: "阜宁镇废弃采石场生态修复".into(),
        sites: vec![Site::Legacy(m.id)],
        funding: vec![
            FundingLine {
                source: FundingSource::Central,
                amount_wan_yuan: 50.0,
            },
            FundingLine {
                source: FundingSource::Social,
                amount_wan_yuan: 20.0,
            },
        ],
        budget_wan_yuan: 80.0,
        spent_wan_yuan: 10.0,
        restored_area_km2: 0.02,
        start: d("2026-05-01"),
        end: None,
        key_project: true,
        baseline: false,
    };
    let e = store.add_restoration_project(&p, &user).await.unwrap_err();
    assert!(
        matches!(e, StoreError::Invalid(ref v) if v[0].message == "各资金来源合计 70 万元，与预算 80 万元不符")
    );
    p.funding[1].amount_wan_yuan = 30.0;
    let proj = store.add_restoration_project(&p, &user).await.unwrap();
    assert_eq!(proj.input.funding.len(), 2);
    let a = Acceptance {
        date: d("2026-11-30"),
        by: "绥芬河市自然资源局".into(),
        number: "绥自然资验〔2026〕7号".into(),
    };
    // The site is 治理中: the acceptance is refused naming it, nothing written.
    let e = store
        .accept_restoration_project(proj.id, &a, today, &user)
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Invalid(ref v) if v[0].message.contains("阜宁镇废弃采石场（治理中）"))
    );
    let f = store.legacy_figures(today).await.unwrap();
    assert_eq!(value(&f.key_projects_done), 0);
    store
        .set_legacy_status(m.id, Status::Restored, None, today, &user)
        .await
        .unwrap();
    let done = store
        .accept_restoration_project(proj.id, &a, today, &user)
        .await
        .unwrap();
    assert_eq!(done.acceptance.as_ref(), Some(&a));
    let m = store.legacy_mine(m.id).await.unwrap().unwrap();
    assert_eq!(m.status, Status::Accepted);
    assert_eq!(m.acceptance.as_ref(), Some(&a));
    let f = store.legacy_figures(today).await.unwrap();
    assert_eq!(value(&f.key_projects_done), 1);
    assert_eq!(value(&f.remaining), 0);
    assert!((value(&f.restored_area_km2) - m.area_km2).abs() < 1e-12);
    assert!((value(&f.investment_wan_yuan) - 80.0).abs() < 1e-12);
    // Photos: a picture is kept with its hash; a text file is refused.
    let png = b"\x89PNG\r\n\x1a\nrest".to_vec();
    let ph = store
        .add_legacy_photo(m.id, "治理后", "after.png", &png, &user)
        .await
        .unwrap();
    assert_eq!(ph.mime, "image/png");
    assert_eq!(ph.sha256.len(), 64);
    let e = store
        .add_legacy_photo(m.id, "治理后", "a.txt", b"hello", &user)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Invalid(ref v) if v[0].field == "photo"));
    assert_eq!(store.legacy_photos(m.id).await.unwrap().len(), 1);
    // A second acceptance is refused.
    assert!(
        store
            .accept_restoration_project(proj.id, &a, today, &user)
            .await
            .is_err()
    );
}
