//! 勘查开采信息 over HTTP on the five-year scenario (on 1 May 2026): a 矿山企业 files its
//! mine's 2025 information — refused field by field when a 采矿权's fields are missing or an
//! 探矿权's are sent, nothing written —, then files it, audited; it cannot file for another
//! holder's right; staff file on its behalf.

mod common;
#[path = "../../minplan/tests/scenario/mod.rs"]
mod scenario;

use common::*;
use minplan_store::{Actor, NewUser, Role};
use reqwest::StatusCode;

#[tokio::test]
async fn a_company_files_its_mines_information() {
    let srv = start_with(minplan_web::WebConfig {
        today: Some(minplan_domain::date::Date::new(2026, 5, 1).unwrap()),
        ..minplan_web::WebConfig::default()
    })
    .await;
    let base = &srv.base;
    scenario::build(&srv.store).await;
    srv.store
        .add_user(
            &NewUser {
                username: "jjg".into(),
                display_name: "金家沟石材".into(),
                role: Role::Company,
                credit_code: Some(scenario::JINJIAGOU_CODE.into()),
            },
            PW,
            &Actor::System,
        )
        .await
        .unwrap();
    let jjg = logged_in(base, "jjg").await;
    let own = scenario::JINJIAGOU;
    let url = format!("{base}/rights/{own}/filing");
    let html = jjg
        .get(format!("{url}?year=2025"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("未填报：已过截止日期，未按期公示"), "{html}");
    assert!(html.contains("name=\"mine_status\""));
    assert!(
        !html.contains("name=\"investment_wan_yuan\""),
        "an exploration field"
    );
    let csrf = csrf_in(&html);

    // 生产 without the reserves consumed, an exploration field sent, a bad number: all named.
    let rows = audit_rows(&srv.store).await;
    let r = jjg
        .post(&url)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("year", "2025"),
            ("mine_status", "生产"),
            ("reserves_consumed", ""),
            ("restoration", "已复垦 0.8 公顷"),
            ("obligations", "已缴纳矿业权出让收益"),
            ("workload", "钻探 100 米"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = r.text().await.unwrap();
    assert!(bad.contains("请填写年消耗资源储量"), "{bad}");
    assert!(
        bad.contains("实物工作量由探矿权人填报，本矿业权不填"),
        "{bad}"
    );
    let r = jjg
        .post(&url)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("year", "2025"),
            ("mine_status", "生产"),
            ("reserves_consumed", "五万"),
            ("obligations", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = r.text().await.unwrap();
    assert!(bad.contains("年消耗资源储量“五万”不是数字"), "{bad}");
    assert!(bad.contains("请填写费用缴纳及其他义务履行情况"), "{bad}");
    assert!(
        bad.contains("请填写矿山地质环境保护与土地复垦义务履行情况"),
        "{bad}"
    );
    assert_eq!(audit_rows(&srv.store).await, rows);
    assert!(
        srv.store
            .information_filing(own, 2025)
            .await
            .unwrap()
            .is_none()
    );

    // Filed: audited, shown as filed late (after 31 March).
    let r = jjg
        .post(&url)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("year", "2025"),
            ("mine_status", "生产"),
            ("reserves_consumed", "5.1"),
            ("restoration", "已复垦 0.8 公顷"),
            ("obligations", "已缴纳矿业权出让收益"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let f = srv
        .store
        .information_filing(own, 2025)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(f.input.reserves_consumed, Some(5.1));
    assert!(!f.on_behalf);
    assert_eq!(audit_rows(&srv.store).await, rows + 1);
    let html = jjg
        .get(format!("{url}?year=2025"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("已于 2026年5月1日 填报（逾期，未按期公示）"),
        "{html}"
    );

    // Another holder's right: 404, nothing written.
    let other = format!("{base}/rights/{}/filing", scenario::GEO);
    let r = jjg
        .post(&other)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("year", "2025"),
            ("mine_status", "停产"),
            ("restoration", "无"),
            ("obligations", "无"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(audit_rows(&srv.store).await, rows + 1);

    // Staff file for the geothermal mine on its behalf.
    let shenpi = logged_in(base, "shenpi").await;
    let t = token(&shenpi, base).await;
    let r = shenpi
        .post(&other)
        .form(&[
            ("csrf_token", t.as_str()),
            ("year", "2025"),
            ("mine_status", "停产"),
            ("restoration", "无扰动"),
            ("obligations", "已缴纳"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let f = srv
        .store
        .information_filing(scenario::GEO, 2025)
        .await
        .unwrap()
        .unwrap();
    assert!(f.on_behalf);
    assert_eq!(f.input.reserves_consumed, None);
}
