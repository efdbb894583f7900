//! Five years of a plausible Suifenhe history (2021–2025), built through the same store
//! functions the CLI and the web call: reviews through the `ReviewEngine`, then decisions,
//! grants, registrations, annual reports and a closure.
//!
//! | year | what happens |
//! |---|---|
//! | 2021 | 别勒洼地热 (地下热水, block 231081-C01, 市级划定): review 基本符合（需人工核查）, manual checks accepted, 挂牌, registered 2021-06-01 → 2031-05-31, 8 万m³/年 (小型: 地热 中型 from 10) |
//! | 2022 | 庆发采石场 (建筑用凝灰岩, C05, 本级审批): review 符合, 挂牌 净矿出让, registered 2022-05-01 → 2025-04-30, 5 万m³/年 (中型: 建筑用石 5–10) |
//! | 2023 | a quarry by the 滨绥铁路 (examples/04): 不符合, refused; 金家沟采石场 (建筑用石, C04, 本级审批): 符合, 拍卖, registered 2023-07-01 → 2026-06-30, 5 万m³/年 (中型) |
//! | 2024 | 金家沟's 2024 report filed 2025-05-20: 50 days late |
//! | 2025 | 庆发's licence ends 2025-04-30; closure report 2025-05-20, accepted 2025-08-15 (闭坑) |
//!
//! Annual reports (extraction 万m³, output 万元, staff, filed on):
//!
//! | mine | 2021 | 2022 | 2023 | 2024 | 2025 |
//! |---|---|---|---|---|---|
//! | 别勒洼地热 | 3.0, 90, 12, 2022-03-10 | 6.0, 180, 14, 2023-03-20 | 7.0, 210, 15, 2024-03-15 | 7.5, 225, 15, 2025-02-18 | 8.0, 240, 16, 2026-03-05 |
//! | 庆发 | — | 3.0, 210, 20, 2023-03-25 | 4.8, 336, 22, 2024-03-28 | 4.9, 343, 22, 2025-03-20 | 1.0, 70, 10, 2026-01-15 |
//! | 金家沟 | — | — | 2.0, 140, 18, 2024-03-30 | 4.6, 322, 20, **2025-05-20** | 4.8, 336, 20, 2026-03-25 |

#![allow(dead_code)]

use minplan_domain::application::GrantMethod;
use minplan_domain::date::Date;
use minplan_domain::register::annual_report::ReportInput;
use minplan_domain::register::{ClosureAcceptance, ClosureReport, Decision, Grant, Registration};
use minplan_domain::review::Conclusion;
use minplan_store::{Actor, ReviewEngine, Store};
use std::path::PathBuf;

/// Licence numbers and mine ids of the scenario.
pub const GEO: &str = "C2310812021060001";
pub const QINGFA: &str = "C2310812022050002";
pub const JINJIAGOU: &str = "C2310812023070003";

/// Holders' credit codes (examples/).
pub const GEO_CODE: &str = "91231081MA1BBL003Q";
pub const QINGFA_CODE: &str = "91231081MA1BQF0013";
pub const JINJIAGOU_CODE: &str = "91231081MA1BJJ002D";

pub fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// Completes the 联合审查 of a 新立 application (《规划》四（三）3（1）): the default departments
/// all 同意, a 现场踏查 and the government's 同意, all on `on` — the grant needs it.
pub async fn joint_review(store: &Store, number: &str, on: &str, actor: &Actor) {
    use minplan_domain::register::joint_review::{
        Consent, DEFAULT_DEPARTMENTS, DepartmentAnswer, Opinion, SiteVisit,
    };
    let on = d(on);
    let names: Vec<String> = DEFAULT_DEPARTMENTS.iter().map(|s| s.to_string()).collect();
    store
        .start_joint_review(number, &names, on, actor)
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
            .record_department_opinion(number, n, &a, None, actor)
            .await
            .unwrap();
    }
    let v = SiteVisit {
        date: on,
        people: "县自然资源局、生态环境局等".into(),
        findings: "现场与申请拐点一致".into(),
        photos: vec![],
    };
    store
        .record_site_visit(number, &v, &[], actor)
        .await
        .unwrap();
    let c = Consent {
        date: on,
        document_number: format!("绥政函〔{}〕1号", on.year()),
    };
    store
        .record_government_consent(number, &c, actor)
        .await
        .unwrap();
}

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// An example application with some fields replaced, and its corner file.
fn application(file: &str, replace: &[(&str, &str)]) -> (String, String, Vec<u8>) {
    let mut toml = std::fs::read_to_string(examples().join(file)).unwrap();
    for (a, b) in replace {
        assert!(toml.contains(a), "{file} lacks {a}");
        toml = toml.replace(a, b);
    }
    let corner_name = toml
        .lines()
        .find_map(|l| l.strip_prefix("file = \""))
        .map(|l| l.trim_end_matches('"').to_string())
        .unwrap();
    let corners = std::fs::read(examples().join(&corner_name)).unwrap();
    (toml, corner_name, corners)
}

/// Reviews an application as `minplan review` does (engine loaded from the store) and stores
/// the review; returns its conclusion.
async fn review(
    store: &Store,
    toml: &str,
    name: &str,
    corners: &[u8],
    actor: &Actor,
) -> Conclusion {
    let engine = ReviewEngine::load(store).await.unwrap();
    let app = engine.parse(toml, Some(corners)).unwrap();
    let (_, r) = engine
        .review_and_save(store, &app, toml, Some((name, corners)), actor)
        .await
        .unwrap();
    r.conclusion
}

#[allow(clippy::too_many_arguments)]
fn report(
    year: i32,
    extraction: f64,
    output: f64,
    staff: i64,
    filed: &str,
    recovery: Option<f64>,
    utilisation: f64,
) -> ReportInput {
    ReportInput {
        year,
        mineral: None,
        extraction,
        unit: None,
        output_value_wan_yuan: output,
        staff,
        mining_recovery_pct: recovery,
        processing_recovery_pct: None,
        utilisation_pct: Some(utilisation),
        water_reuse_pct: Some(100.0),
        filed_on: d(filed),
        note: None,
        disturbed_ha: None,
        restored_ha: None,
    }
}

/// The mine ids, in registration order (geothermal, 庆发, 金家沟).
pub struct Built {
    pub mines: [i64; 3],
}

/// Builds the scenario in `store` (seeded with the Suifenhe plan).
pub async fn build(store: &Store) -> Built {
    store
        .seed_if_empty(&minplan_store::default_bundle())
        .await
        .unwrap();
    let plan = store.active_plan().await.unwrap().unwrap();
    let plan = &plan.loaded.plan;
    let actor = Actor::Cli {
        os_user: "scenario".into(),
    };

    // ── 2021 别勒洼地热 ──
    let (toml, name, corners) = application(
        "03-bielewa-geothermal.toml",
        &[
            ("number = \"SFH-2026-003\"", "number = \"SFH-2021-001\""),
            ("capacity = { value = 30,", "capacity = { value = 8,"),
            ("reserves = { value = 600,", "reserves = { value = 160,"),
            ("received = \"2026-11-22\"", "received = \"2021-01-20\""),
        ],
    );
    assert_eq!(
        review(store, &toml, &name, &corners, &actor).await,
        Conclusion::ConformingPendingCheck
    );
    // Approval of a 基本符合 review needs the manual checks accepted.
    let refused = store
        .decide_application(
            "SFH-2021-001",
            &Decision {
                approve: true,
                date: d("2021-03-15"),
                accepted_checks: None,
                reason: None,
            },
            &actor,
        )
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("人工核查意见"), "{refused}");
    store
        .decide_application(
            "SFH-2021-001",
            &Decision {
                approve: true,
                date: d("2021-03-15"),
                accepted_checks: Some(
                    "经现场核查，井位位于区块北部，区块其余部分作为后备资源保留，不另设采矿权"
                        .into(),
                ),
                reason: None,
            },
            &actor,
        )
        .await
        .unwrap();
    joint_review(store, "SFH-2021-001", "2021-04-01", &actor).await;
    store
        .record_grant(
            "SFH-2021-001",
            &Grant {
                method: GrantMethod::Listing,
                net_mineral: false,
                price_wan_yuan: 120.0,
                date: d("2021-04-20"),
                contract: Some("绥自然资出〔2021〕1号".into()),
            },
            &actor,
        )
        .await
        .unwrap();
    let geo = store
        .register_right(
            "SFH-2021-001",
            &Registration {
                licence: GEO.into(),
                date: d("2021-06-01"),
                valid_from: d("2021-06-01"),
                valid_to: d("2031-05-31"),
                name: Some("别勒洼地热".into()),
                capacity: None,
                elevation: None,
                area_km2: None,
                approval: None,
                mine_id: None,
            },
            &actor,
        )
        .await
        .unwrap();
    let geo_mine = geo.current().mine_id.unwrap();

    // ── 2022 庆发采石场 ──
    let (toml, name, corners) = application(
        "01-qingfa-quarry.toml",
        &[
            ("number = \"SFH-2026-001\"", "number = \"SFH-2022-001\""),
            ("capacity = { value = 6,", "capacity = { value = 5,"),
            ("reserves = { value = 48,", "reserves = { value = 15,"),
            ("service_years = 8", "service_years = 3"),
            ("received = \"2026-11-20\"", "received = \"2022-01-10\""),
        ],
    );
    assert_eq!(
        review(store, &toml, &name, &corners, &actor).await,
        Conclusion::Conforming
    );
    store
        .decide_application(
            "SFH-2022-001",
            &Decision {
                approve: true,
                date: d("2022-03-10"),
                accepted_checks: None,
                reason: None,
            },
            &actor,
        )
        .await
        .unwrap();
    // Registration before the grant is refused.
    let e = store
        .register_right(
            "SFH-2022-001",
            &Registration {
                licence: QINGFA.into(),
                date: d("2022-05-01"),
                valid_from: d("2022-05-01"),
                valid_to: d("2025-04-30"),
                name: Some("庆发采石场".into()),
                capacity: None,
                elevation: None,
                area_km2: None,
                approval: None,
                mine_id: None,
            },
            &actor,
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("尚未记录出让"), "{e}");
    joint_review(store, "SFH-2022-001", "2022-04-01", &actor).await;
    store
        .record_grant(
            "SFH-2022-001",
            &Grant {
                method: GrantMethod::Listing,
                net_mineral: true,
                price_wan_yuan: 85.0,
                date: d("2022-04-15"),
                contract: None,
            },
            &actor,
        )
        .await
        .unwrap();
    let qingfa = store
        .register_right(
            "SFH-2022-001",
            &Registration {
                licence: QINGFA.into(),
                date: d("2022-05-01"),
                valid_from: d("2022-05-01"),
                valid_to: d("2025-04-30"),
                name: Some("庆发采石场".into()),
                capacity: None,
                elevation: None,
                area_km2: None,
                approval: None,
                mine_id: None,
            },
            &actor,
        )
        .await
        .unwrap();
    let qingfa_mine = qingfa.current().mine_id.unwrap();

    // ── 2023 refused application, 金家沟采石场 ──
    let (toml, name, corners) = application(
        "04-stone-in-rail-corridor.toml",
        &[
            ("number = \"SFH-2026-004\"", "number = \"SFH-2023-001\""),
            ("received = \"2026-11-23\"", "received = \"2023-02-20\""),
        ],
    );
    assert_eq!(
        review(store, &toml, &name, &corners, &actor).await,
        Conclusion::NonConforming
    );
    let e = store
        .decide_application(
            "SFH-2023-001",
            &Decision {
                approve: true,
                date: d("2023-03-10"),
                accepted_checks: Some("x".into()),
                reason: None,
            },
            &actor,
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("不能批准"), "{e}");
    store
        .decide_application(
            "SFH-2023-001",
            &Decision {
                approve: false,
                date: d("2023-03-10"),
                accepted_checks: None,
                reason: Some(
                    "不在开采规划区块内，且位于三区两线可视范围（《规划》五（三）2）".into(),
                ),
            },
            &actor,
        )
        .await
        .unwrap();
    let e = store
        .register_right(
            "SFH-2023-001",
            &Registration {
                licence: "C-REFUSED".into(),
                date: d("2023-04-01"),
                valid_from: d("2023-04-01"),
                valid_to: d("2026-03-31"),
                name: None,
                capacity: None,
                elevation: None,
                area_km2: None,
                approval: None,
                mine_id: None,
            },
            &actor,
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("不予批准"), "{e}");

    let (toml, name, corners) = application(
        "02-jinjiagou-quarry-below-minimum.toml",
        &[
            ("number = \"SFH-2026-002\"", "number = \"SFH-2023-002\""),
            ("capacity = { value = 3,", "capacity = { value = 5,"),
            ("reserves = { value = 24,", "reserves = { value = 40,"),
            ("received = \"2026-11-21\"", "received = \"2023-04-02\""),
        ],
    );
    assert_eq!(
        review(store, &toml, &name, &corners, &actor).await,
        Conclusion::Conforming
    );
    store
        .decide_application(
            "SFH-2023-002",
            &Decision {
                approve: true,
                date: d("2023-05-20"),
                accepted_checks: None,
                reason: None,
            },
            &actor,
        )
        .await
        .unwrap();
    joint_review(store, "SFH-2023-002", "2023-06-01", &actor).await;
    store
        .record_grant(
            "SFH-2023-002",
            &Grant {
                method: GrantMethod::Auction,
                net_mineral: true,
                price_wan_yuan: 90.0,
                date: d("2023-06-10"),
                contract: None,
            },
            &actor,
        )
        .await
        .unwrap();
    let jjg = store
        .register_right(
            "SFH-2023-002",
            &Registration {
                licence: JINJIAGOU.into(),
                date: d("2023-07-01"),
                valid_from: d("2023-07-01"),
                valid_to: d("2026-06-30"),
                name: Some("金家沟采石场".into()),
                capacity: None,
                elevation: None,
                area_km2: None,
                approval: None,
                mine_id: None,
            },
            &actor,
        )
        .await
        .unwrap();
    let jjg_mine = jjg.current().mine_id.unwrap();

    // ── Annual reports ── (geothermal: no 回采率; quarries 95 %)
    let geo_reports = [
        report(2021, 3.0, 90.0, 12, "2022-03-10", None, 95.0),
        report(2022, 6.0, 180.0, 14, "2023-03-20", None, 95.0),
        report(2023, 7.0, 210.0, 15, "2024-03-15", None, 95.0),
        report(2024, 7.5, 225.0, 15, "2025-02-18", None, 95.0),
        report(2025, 8.0, 240.0, 16, "2026-03-05", None, 95.0),
    ];
    let qingfa_reports = [
        report(2022, 3.0, 210.0, 20, "2023-03-25", Some(95.0), 90.0),
        report(2023, 4.8, 336.0, 22, "2024-03-28", Some(95.0), 90.0),
        report(2024, 4.9, 343.0, 22, "2025-03-20", Some(95.0), 90.0),
        report(2025, 1.0, 70.0, 10, "2026-01-15", Some(95.0), 90.0),
    ];
    let jjg_reports = [
        report(2023, 2.0, 140.0, 18, "2024-03-30", Some(95.0), 88.0),
        report(2024, 4.6, 322.0, 20, "2025-05-20", Some(95.0), 88.0),
        report(2025, 4.8, 336.0, 20, "2026-03-25", Some(95.0), 88.0),
    ];
    for (mine, list) in [
        (geo_mine, &geo_reports[..]),
        (qingfa_mine, &qingfa_reports[..]),
        (jjg_mine, &jjg_reports[..]),
    ] {
        for r in list {
            store
                .file_report(plan, mine, r, true, None, &actor)
                .await
                .unwrap();
        }
    }

    // ── 2025 闭坑 of 庆发 ── (no closure before a closure report)
    let acc = ClosureAcceptance {
        date: d("2025-08-15"),
        accepted_by: "绥芬河市自然资源局".into(),
        document: "绥自然资闭〔2025〕1号".into(),
    };
    let e = store.close_right(QINGFA, &acc, &actor).await.unwrap_err();
    assert!(e.to_string().contains("闭坑报告"), "{e}");
    store
        .file_closure_report(
            QINGFA,
            &ClosureReport {
                title: "绥芬河市庆发采石场矿山闭坑地质报告".into(),
                date: d("2025-05-20"),
            },
            &actor,
        )
        .await
        .unwrap();
    // …nor before the mine's 矿山地质环境治理验收 (《规划》六（二）3).
    let e = store.close_right(QINGFA, &acc, &actor).await.unwrap_err();
    assert!(e.to_string().contains("矿山地质环境治理验收"), "{e}");
    let qingfa_mine = store
        .right_history(QINGFA)
        .await
        .unwrap()
        .current()
        .mine_id
        .unwrap();
    store
        .accept_mine_restoration(
            qingfa_mine,
            &minplan_domain::restoration::schedule::RestorationAcceptance {
                accepted_on: d("2025-08-01"),
                accepted_by: "绥芬河市自然资源局".into(),
                document: "绥自然资治验〔2025〕1号".into(),
            },
            &actor,
        )
        .await
        .unwrap();
    store.close_right(QINGFA, &acc, &actor).await.unwrap();

    Built {
        mines: [geo_mine, qingfa_mine, jjg_mine],
    }
}
