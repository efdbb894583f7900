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
        "数值不能为负数",
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
    // The successor plan (2026–2030) stored by another process (the CLI's `plan import`, not
    // activated): the pages say so within the ten seconds the notice is kept.
    let mut files = minplan_store::default_bundle();
    let text = String::from_utf8(files.get("plan.toml").unwrap().to_vec())
        .unwrap()
        .replace("start = 2021, end = 2025", "start = 2026, end = 2030")
        .replace("（2021～2025年）", "（2026～2030年）");
    files.insert("plan.toml", text);
    srv.store
        .import_plan(&files, "新一轮", false, &minplan_store::Actor::System)
        .await
        .unwrap();
    let mut seen = false;
    for _ in 0..30 {
        let page = c
            .get(format!("{}/", srv.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if page.contains("新一轮规划“绥芬河市矿产资源总体规划（2026～2030年）”已导入但尚未启用")
        {
            seen = true;
            break;
        }
        assert!(page.contains("尚未导入新一轮规划"));
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert!(
        seen,
        "the successor stored by another process is not in the notice"
    );
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

#[tokio::test]
async fn manual_values_are_plain_whole_counts_in_the_plan_period_named_in_chinese() {
    let srv = start_with(WebConfig {
        today: Some(Date::new(2026, 12, 6).unwrap()),
        ..WebConfig::default()
    })
    .await;
    let base = &srv.base;
    let c = logged_in(base, "guihua").await;
    let csrf = csrf_of(&c, base).await;
    let sp = srv.store.active_plan().await.unwrap().unwrap();
    let post = |year: &'static str, value: &'static str| {
        c.post(format!("{base}/indicators/manual")).form(&[
            ("csrf_token", csrf.as_str()),
            ("indicator", "new_deposits"),
            ("year", year),
            ("value", value),
            ("evidence", "省自然资源厅评审备案证明"),
        ])
    };
    // 1.5 处, 1e3 处, 5000 处, a year after the period: each refused, nothing written.
    for (year, value, msg) in [
        ("2023", "1.5", "应为整数（单位：处），收到“1.5”"),
        ("2023", "1e3", "不用科学计数法"),
        ("2023", "5000", "超过合理上限"),
        (
            "2030",
            "1",
            "年度 2030 不可填报：只能填报规划期内、不晚于今年的年度（2021～2025 年）",
        ),
        ("2026", "1", "年度 2026 不可填报"),
    ] {
        let r = post(year, value).send().await.unwrap();
        assert_eq!(
            r.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{year} {value}"
        );
        let body = r.text().await.unwrap();
        assert!(body.contains(msg), "{year} {value}: 422 page lacks {msg}");
    }
    // Both problems at once.
    let body = post("2030", "1.5")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("年度 2030 不可填报") && body.contains("应为整数"));
    assert!(
        srv.store
            .manual_indicators(&sp.loaded.plan)
            .await
            .unwrap()
            .is_empty()
    );
    // A whole number is saved; the notice names the indicator in Chinese, never its key.
    let r = post("2024", "2").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = c
        .get(format!(
            "{base}{}",
            r.headers()["location"].to_str().unwrap()
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("已填报 2024 年 提供中型矿产地：2"), "notice");
    assert!(!page.contains("new_deposits："), "machine id in the notice");
}

#[tokio::test]
async fn a_year_not_begun_is_as_of_today_without_completion_rate() {
    let srv = start_with(WebConfig {
        today: Some(Date::new(2026, 12, 6).unwrap()),
        ..WebConfig::default()
    })
    .await;
    let v: serde_json::Value = client()
        .get(format!("{}/api/indicators?year=2027", srv.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["as_of"], "2026-12-06", "never a future date");
    assert_eq!(v["standing"]["not_started"], true);
    for i in v["indicators"].as_array().unwrap() {
        assert_eq!(i["status_label"], "年度未开始", "{}", i["key"]);
        assert_eq!(
            i["percent_of_target"],
            serde_json::Value::Null,
            "{}",
            i["key"]
        );
    }
    let page = client()
        .get(format!("{}/evaluation?from=2021&to=2027", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("年度未开始"), "evaluation lacks 年度未开始");
    assert!(!page.contains("2027-12-31") && !page.contains("2027年12月31日"));
}

#[tokio::test]
async fn an_annual_plan_after_the_plan_period_says_so_at_the_top() {
    let srv = start_with(WebConfig {
        today: Some(Date::new(2026, 12, 6).unwrap()),
        ..WebConfig::default()
    })
    .await;
    let base = &srv.base;
    let c = logged_in(base, "guihua").await;
    let notice = "规划期已于2025年结束，2027年不在";
    // Word: the statement comes before the first figure (数据截至…).
    let bytes = c
        .get(format!("{base}/annual-plan.docx?year=2027"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    let at = xml
        .find(notice)
        .expect("docx lacks the plan-ended statement");
    assert!(xml.contains("尚未载入新一轮规划") && xml.contains("仅供参考"));
    assert!(
        at < xml.find("数据截至").unwrap(),
        "statement not at the top"
    );
    // Excel: a first sheet with the statement.
    let bytes = c
        .get(format!("{base}/annual-plan.xlsx?year=2027"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    use calamine::Reader;
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(wb.sheet_names()[0], "规划期说明");
    let r = wb.worksheet_range("规划期说明").unwrap();
    assert!(r.get_value((0, 0)).unwrap().to_string().contains(notice));
    // The web page with the download links says so too.
    let page = c
        .get(format!("{base}/evaluation?from=2021&to=2026"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"id="annual-plan-notice""#) && page.contains(notice));
    // Inside the period: no statement.
    let bytes = c
        .get(format!("{base}/annual-plan.docx?year=2025"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(!xml.contains("规划期已于"));
}
