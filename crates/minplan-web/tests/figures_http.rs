//! Honest figures over HTTP (issue 16, item 5): the 人工填报 form for indicators the register
//! cannot compute (roles, every error at once, nothing written on error, the audit row, the
//! value with its evidence on the indicator pages), and the plan-period notice on every page
//! once the plan's period has ended (the server's `today` set through `WebConfig`).

mod common;

use common::*;
use minplan_domain::date::Date;
use minplan_web::WebConfig;
use reqwest::StatusCode;

async fn csrf_of(c: &reqwest::Client, base: &str) -> String {
    let page = c
        .get(format!("{base}/indicators/manual"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    csrf_in(&page.text().await.unwrap())
}

#[tokio::test]
async fn manual_indicator_form_roles_errors_audit_and_display() {
    let srv = start_with(WebConfig {
        today: Some(Date::new(2025, 6, 1).unwrap()),
        ..WebConfig::default()
    })
    .await;
    let base = &srv.base;

    // Anonymous: to the login; 审批科 and 矿山企业: refused.
    let r = client()
        .get(format!("{base}/indicators/manual"))
        .send()
        .await
        .unwrap();
    assert!(
        r.status() == StatusCode::SEE_OTHER || r.status() == StatusCode::UNAUTHORIZED,
        "{}",
        r.status()
    );
    for who in ["shenpi", "qiye"] {
        let c = logged_in(base, who).await;
        let r = c
            .get(format!("{base}/indicators/manual"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{who}");
    }

    let c = logged_in(base, "guihua").await;
    let csrf = csrf_of(&c, base).await;
    // Nothing entered: 提供中型矿产地 is 未填报 (never 0) on the API and the page.
    let v: serde_json::Value = client()
        .get(format!("{base}/api/indicators?year=2024"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let nd = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "new_deposits")
        .unwrap()
        .clone();
    assert_eq!(nd["value"], serde_json::Value::Null);
    assert_eq!(nd["status_label"], "未填报");
    let page = client()
        .get(format!("{base}/indicators?year=2024"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("未填报（2024年）"),
        "indicators page lacks 未填报"
    );

    // Every problem at once, each next to its field; nothing written.
    let audit_before = audit_rows(&srv.store).await;
    let r = c
        .post(format!("{base}/indicators/manual"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("indicator", "mine_count"),
            ("year", "二〇二四"),
            ("value", "-1"),
            ("evidence", "  "),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    for msg in [
        "由登记簿或年度报告计算，不能人工填报",
        "年度应为年份（如 2025），收到“二〇二四”",
        "数值应为不小于 0 的数",
        "请填写依据或证明材料",
    ] {
        assert!(body.contains(msg), "422 page lacks {msg}");
    }
    assert_eq!(audit_rows(&srv.store).await, audit_before);
    let sp = srv.store.active_plan().await.unwrap().unwrap();
    assert!(
        srv.store
            .manual_indicators(&sp.loaded.plan)
            .await
            .unwrap()
            .is_empty()
    );

    // A valid entry with its evidence file (multipart): saved, audited, shown.
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf.clone())
        .text("indicator", "new_deposits")
        .text("year", "2024")
        .text("value", "1")
        .text(
            "evidence",
            "省自然资源厅评审备案证明（黑自然资储备字〔2024〕12号）",
        )
        .part(
            "attachment",
            reqwest::multipart::Part::bytes(b"%PDF-1.4".to_vec()).file_name("备案证明.pdf"),
        );
    let r = c
        .post(format!("{base}/indicators/manual"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let rows = srv
        .store
        .audit_list(&minplan_store::AuditFilter::default())
        .await
        .unwrap();
    assert_eq!(rows.len(), audit_before + 1);
    let last = rows.iter().max_by_key(|r| r.id).unwrap();
    assert_eq!(last.action, "indicator.manual_entry");
    assert!(last.actor.contains("guihua"), "{}", last.actor);
    assert!(last.after.as_deref().unwrap().contains("备案证明.pdf"));
    // The 操作日志 names the entry, its fields and the indicator in words.
    let deposits = sp
        .loaded
        .plan
        .indicators
        .iter()
        .find(|i| i.key == "new_deposits")
        .unwrap()
        .name
        .clone();
    let audit_html = logged_in(base, "root")
        .await
        .get(format!("{base}/audit?entity=manual_indicator"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for want in [
        "人工填报指标值 #",
        "规划指标",
        "依据/证明材料",
        "证明材料附件",
        "填报人",
        "填报时间",
        deposits.as_str(),
    ] {
        assert!(audit_html.contains(want), "{want}: {audit_html}");
    }
    assert!(!audit_html.contains("manual_indicator "), "{audit_html}");

    let v: serde_json::Value = client()
        .get(format!("{base}/api/indicators?year=2024"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let nd = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "new_deposits")
        .unwrap()
        .clone();
    assert_eq!(nd["value"], 1.0);
    assert_eq!(nd["source"], "人工填报");
    assert_eq!(nd["manual"]["attachment"], "备案证明.pdf");
    // The year after has no entry: still 未填报.
    let v: serde_json::Value = client()
        .get(format!("{base}/api/indicators?year=2023"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let nd23 = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "new_deposits")
        .unwrap()
        .clone();
    assert_eq!(nd23["status_label"], "未填报");
    for (path, wants) in [
        (
            "/indicators?year=2024",
            &["人工填报：省自然资源厅评审备案证明", "备案证明.pdf"][..],
        ),
        (
            "/evaluation?from=2021&to=2024",
            &["人工填报", "依据：省自然资源厅评审备案证明"][..],
        ),
        ("/indicators/manual", &["备案证明.pdf", "2024"][..]),
    ] {
        let page = c
            .get(format!("{base}{path}"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        for w in wants {
            assert!(page.contains(w), "{path} lacks {w}");
        }
    }
}

#[tokio::test]
async fn every_page_says_when_the_plan_period_has_ended() {
    // The default plan is 2021–2025. On 2026-03-01 its period has ended and no successor is
    // loaded: every page says so.
    let srv = start_with(WebConfig {
        today: Some(Date::new(2026, 3, 1).unwrap()),
        ..WebConfig::default()
    })
    .await;
    let c = logged_in(&srv.base, "shenpi").await;
    for path in [
        "/",
        "/indicators",
        "/evaluation",
        "/blocks",
        "/workbench",
        "/reviews",
        "/intake",
    ] {
        let page = c
            .get(format!("{}{path}", srv.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(r#"id="plan-notice""#),
            "{path} lacks the notice"
        );
        assert!(
            page.contains("（2021—2025年）已于2025年结束，尚未导入新一轮规划"),
            "{path}"
        );
    }
    // The year 2026 is outside the period and not over: not scored.
    let v: serde_json::Value = client()
        .get(format!("{}/api/indicators?year=2026", srv.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["standing"]["out_of_period"], true);
    assert_eq!(v["standing"]["unfinished"], true);
    for i in v["indicators"].as_array().unwrap() {
        assert_ne!(i["status_label"], "未达标", "{}", i["key"]);
        assert_ne!(i["status_label"], "正常", "{}", i["key"]);
    }

    // Inside the period: no notice.
    let srv = start_with(WebConfig {
        today: Some(Date::new(2025, 12, 31).unwrap()),
        ..WebConfig::default()
    })
    .await;
    let page = client()
        .get(format!("{}/", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!page.contains("plan-notice"), "notice inside the period");
}
