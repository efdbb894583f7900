//! 证照 over HTTP on the five-year scenario, on 1 May 2026 (three mines reporting output 2021–2025, no
//! licence entered): 执法监察 enters the geothermal mine's expired 安全生产许可证 with its scan
//! and the reminder 无安全生产许可证生产 stays for 2025 only; 审批科 enters 金家沟's valid one
//! and its reminders go; a refused form writes nothing; a correction is audited and clears the
//! reminder; a 矿山企业 sees its own mine's licences, not another's, and edits none; the
//! supervision page lists the mines and the late 勘查开采信息 filing.

mod common;
#[path = "../../minplan/tests/scenario/mod.rs"]
mod scenario;

use common::*;
use minplan_store::{Actor, NewUser, Role};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

/// The years of the 无安全生产许可证生产 reminders about right `id`, ascending.
async fn safety_years(c: &reqwest::Client, base: &str, id: &str) -> Vec<i32> {
    let all: Value = c
        .get(format!("{base}/api/reminders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut years: Vec<i32> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "safety_licence_missing" && r["right_id"] == id)
        .map(|r| {
            assert_eq!(r["title"], "无安全生产许可证生产");
            assert_eq!(r["urgent"], true);
            r["date"].as_str().unwrap()[..4].parse().unwrap()
        })
        .collect();
    years.sort();
    years
}

fn licence_form(csrf: &str, fields: &[(&str, &str)], scan: Option<&[u8]>) -> Form {
    let mut f = Form::new().text("csrf_token", csrf.to_string());
    for (k, v) in fields {
        f = f.text(k.to_string(), v.to_string());
    }
    if let Some(bytes) = scan {
        f = f.part(
            "attachment",
            Part::bytes(bytes.to_vec()).file_name("安全生产许可证.pdf"),
        );
    }
    f
}

#[tokio::test]
async fn licences_raise_and_clear_the_safety_reminder() {
    // 1 May 2026: every 2025 report is in, 金家沟's licence (to 30 June 2026) still valid.
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
    let zhifa = logged_in(base, "zhifa").await;
    let geo = scenario::GEO;
    let jjg_right = scenario::JINJIAGOU;

    // No licence entered: every year with output is reminded of.
    assert_eq!(
        safety_years(&zhifa, base, geo).await,
        vec![2021, 2022, 2023, 2024, 2025]
    );
    assert_eq!(
        safety_years(&zhifa, base, jjg_right).await,
        vec![2023, 2024, 2025]
    );
    let page = zhifa
        .get(format!("{base}/rights/{geo}/licences"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("无有效的安全生产许可证"), "{html}");
    assert!(html.contains("id=\"licence-add\""));
    assert!(
        html.contains("href=\"/filings/supervision\""),
        "the tab for 执法监察"
    );
    let csrf = csrf_in(&html);

    // A refused form: nothing written.
    let rows = audit_rows(&srv.store).await;
    let r = zhifa
        .post(format!("{base}/rights/{geo}/licences"))
        .multipart(licence_form(
            &csrf,
            &[
                ("kind", "安全生产许可证"),
                ("number", "（黑）FM安许证字〔2021〕118"),
                ("issuer", "黑龙江省应急管理厅"),
                ("valid_from", "2024-05-31"),
                ("valid_to", "2021-06-01"),
            ],
            None,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = r.text().await.unwrap();
    assert!(
        bad.contains("有效期止（2021年6月1日）早于有效期起（2024年5月31日）"),
        "{bad}"
    );
    assert_eq!(audit_rows(&srv.store).await, rows);
    assert!(srv.store.licences(None).await.unwrap().is_empty());

    // 执法监察 enters the geothermal mine's licence, expired on 2024-05-31, with its scan.
    let scan = b"%PDF-1.4 scanned licence".to_vec();
    let r = zhifa
        .post(format!("{base}/rights/{geo}/licences"))
        .multipart(licence_form(
            &csrf,
            &[
                ("kind", "安全生产许可证"),
                ("number", "（黑）FM安许证字〔2021〕118"),
                ("issuer", "黑龙江省应急管理厅"),
                ("valid_from", "2021-06-01"),
                ("valid_to", "2024-05-31"),
            ],
            Some(&scan),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit_rows(&srv.store).await, rows + 1);
    // 2021 and 2024 partly covered (shown on the supervision page), 2022–2023 fully: 2025 is
    // left.
    assert_eq!(safety_years(&zhifa, base, geo).await, vec![2025]);
    let geo_licence = srv.store.licences(None).await.unwrap()[0].clone();
    let sha = geo_licence
        .licence
        .licence
        .attachment_sha256
        .clone()
        .unwrap();
    assert_eq!(sha.len(), 64);
    assert_eq!(
        geo_licence.attachment_name.as_deref(),
        Some("安全生产许可证.pdf")
    );

    // 审批科 enters 金家沟's licence, valid over 2024 and 2025 (2023 from 1 July).
    let shenpi = logged_in(base, "shenpi").await;
    let t = token(&shenpi, base).await;
    let r = shenpi
        .post(format!("{base}/rights/{jjg_right}/licences"))
        .multipart(licence_form(
            &t,
            &[
                ("kind", "安全生产许可证"),
                ("number", "（黑）FM安许证字〔2023〕045"),
                ("issuer", "黑龙江省应急管理厅"),
                ("valid_from", "2023-07-01"),
                ("valid_to", "2026-06-30"),
            ],
            None,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(safety_years(&zhifa, base, jjg_right).await.is_empty());

    // The supervision page of 2025: the geothermal mine, not 金家沟; 2024: 金家沟's filing
    // 50 days late (未按期公示).
    let html = zhifa
        .get(format!("{base}/filings/supervision?year=2025"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let table = &html[html.find("id=\"safety-findings\"").expect("findings")..];
    assert!(table.contains(geo) && table.contains("全年无有效安全生产许可证"));
    assert!(table.contains("8 万立方米"), "{table}");
    assert!(!table[..table.find("</table>").unwrap()].contains(jjg_right));
    let html = zhifa
        .get(format!("{base}/filings/supervision?year=2024"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("仅 152 天有有效安全生产许可证"),
        "geothermal 2024: {html}"
    );
    let late = &html[html.find("id=\"late-filings\"").expect("late filings")..];
    assert!(
        late.contains(jjg_right) && late.contains("逾期报送（50 天）"),
        "{late}"
    );

    // The company: its own mine's licences, read only; another's: 404; no edits.
    let jjg = logged_in(base, "jjg").await;
    let r = jjg
        .get(format!("{base}/rights/{jjg_right}/licences"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("（黑）FM安许证字〔2023〕045"));
    assert!(!html.contains("id=\"licence-add\""));
    assert!(!html.contains("href=\"/filings/supervision\""));
    let right_page = jjg
        .get(format!("{base}/rights/{jjg_right}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(right_page.contains("id=\"licences-section\""));
    assert!(right_page.contains("安全生产许可证：有效（2023年7月1日 至 2026年6月30日）"));
    let r = jjg
        .get(format!("{base}/rights/{geo}/licences"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let rows = audit_rows(&srv.store).await;
    let t = token(&jjg, base).await;
    for target in [geo, jjg_right] {
        let r = jjg
            .post(format!("{base}/rights/{target}/licences"))
            .multipart(licence_form(
                &t,
                &[
                    ("kind", "排污许可证"),
                    ("number", "X"),
                    ("issuer", "Y"),
                    ("valid_from", "2025-01-01"),
                    ("valid_to", "2030-01-01"),
                ],
                None,
            ))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{target}");
    }
    let r = jjg
        .get(format!("{base}/filings/supervision"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(audit_rows(&srv.store).await, rows);
    assert_eq!(srv.store.licences(None).await.unwrap().len(), 2);

    // A correction (renewed to 2027) clears the geothermal mine's reminder, keeps the scan and
    // is audited with before and after.
    let id = geo_licence.licence.id;
    let r = zhifa
        .post(format!("{base}/rights/{geo}/licences/{id}"))
        .multipart(licence_form(
            &csrf,
            &[
                ("kind", "安全生产许可证"),
                ("number", "（黑）FM安许证字〔2021〕118"),
                ("issuer", "黑龙江省应急管理厅"),
                ("valid_from", "2021-06-01"),
                ("valid_to", "2027-05-31"),
            ],
            None,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(safety_years(&zhifa, base, geo).await.is_empty());
    let audit = srv
        .store
        .audit_list(&minplan_store::AuditFilter::default())
        .await
        .unwrap();
    let last = audit.iter().max_by_key(|a| a.id).unwrap();
    assert_eq!(last.action, "licence.update");
    assert!(last.before.as_deref().unwrap().contains("2024-05-31"));
    assert!(last.after.as_deref().unwrap().contains("2027-05-31"));
    let r = zhifa
        .get(format!("{base}/rights/{geo}/licences/{id}/attachment"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().to_vec(), scan);
}

#[tokio::test]
async fn a_drawn_mine_producing_without_a_safety_licence_is_a_point_to_check() {
    let srv = start_with(minplan_web::WebConfig {
        today: Some(minplan_domain::date::Date::new(2026, 5, 1).unwrap()),
        ..minplan_web::WebConfig::default()
    })
    .await;
    scenario::build(&srv.store).await;
    // The geothermal mine (output every year, no licence) and 金家沟 are drawn in 2026.
    let (_, _, targets) = srv
        .store
        .seed_check_targets_for_tests(
            2026,
            &[("ZZ-01", "证照齐全情况")],
            &[("张执法", None), ("李执法", None)],
            &[
                (scenario::GEO, "地热企业", Some(scenario::GEO_CODE)),
                (
                    scenario::JINJIAGOU,
                    "金家沟石材",
                    Some(scenario::JINJIAGOU_CODE),
                ),
            ],
        )
        .await
        .unwrap();
    let zhifa = logged_in(&srv.base, "zhifa").await;
    let html = zhifa
        .get(format!("{}/checks/{}", srv.base, targets[0]))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("2025年度报告开采量") && html.contains("没有该年有效的安全生产许可证"),
        "{html}"
    );
    assert_eq!(
        html.matches("data-licence-alert").count(),
        1,
        "2025 only (no 2026 report yet)"
    );
}
