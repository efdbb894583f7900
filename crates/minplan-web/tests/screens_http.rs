//! People's words on screen, over HTTP: the review page names the reviewer by display name and
//! the time in Beijing time, with no `user:` ids and no RFC 3339 text; the audit page names
//! every action in Chinese (an unknown code as 未命名操作 with the code beside it) and shows
//! before/after as a field table with the changed fields marked; 帮助 is public and has every
//! role's section.

mod common;

use common::*;
use minplan_store::{Actor, AuditEntry};
use serde_json::Value;

const REVIEW_JSON: &str = r#"{"application":{"number":"SFH-WORDS-1","kind":"新立","right_kind":"采矿权","project_name":"绥芬河市庆发采石场建筑用凝灰岩矿","minerals":"建筑用凝灰岩","mining_method":"露天","capacity_value":"6","capacity_unit":"万立方米/年","holder_name":"绥芬河市庆发建材有限公司","credit_code":"91231081MA1BQF0013","grant_method":"挂牌","development_plan":true,"restoration_plan":true,"green_mine_commitment":true,"datum":"CGCS2000","corners_text":"1,4911391.68,44428925.83\n2,4911350.27,44429080.39\n3,4911471.02,44429112.75\n4,4911512.43,44428958.19\n"}}"#;

/// Whether `text` holds an RFC 3339 time (`2026-12-06T04:15`).
fn has_rfc3339(text: &str) -> Option<String> {
    let b = text.as_bytes();
    (0..b.len().saturating_sub(16)).find_map(|i| {
        let w = &b[i..i + 16];
        let digits = |r: std::ops::Range<usize>| r.into_iter().all(|j| w[j].is_ascii_digit());
        (digits(0..4)
            && w[4] == b'-'
            && digits(5..7)
            && w[7] == b'-'
            && digits(8..10)
            && w[10] == b'T'
            && digits(11..13)
            && w[13] == b':'
            && digits(14..16))
        .then(|| String::from_utf8_lossy(w).into_owned())
    })
}

/// The text of the table row (`<tr …>…</tr>`) whose `<th>` is `label` in `html`.
fn changes_row<'a>(html: &'a str, label: &str) -> &'a str {
    let at = html
        .find(&format!("<th>{label}</th>"))
        .unwrap_or_else(|| panic!("no field row {label}"));
    let start = html[..at].rfind("<tr").unwrap();
    let end = at + html[at..].find("</tr>").unwrap();
    &html[start..end]
}

#[tokio::test]
async fn the_review_page_names_the_reviewer_and_gives_beijing_time() {
    assert_eq!(
        has_rfc3339("审查时间 2026-12-06T04:15:35.588052058Z").as_deref(),
        Some("2026-12-06T04:15")
    );
    assert_eq!(has_rfc3339("2026-12-06 12:15"), None);
    let srv = start().await;
    let c = logged_in(&srv.base, "shenpi").await;
    let t = token(&c, &srv.base).await;
    let r = c
        .post(format!("{}/api/reviews", srv.base))
        .header("x-csrf-token", &t)
        .header("content-type", "application/json")
        .body(REVIEW_JSON)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let v: Value = r.json().await.unwrap();
    let id = v["review_id"].as_i64().expect("review_id");
    let record = srv.store.review_record(id).await.unwrap();
    assert_eq!(record.summary.actor, "user:3:shenpi");
    let expected_time = minplan_web::http::words::beijing(&record.summary.reviewed_at);
    assert_eq!(expected_time.len(), 16, "{expected_time}");
    let html = c
        .get(format!("{}/reviews/{id}", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<tr><th>审查人</th><td>审批科测试</td></tr>"),
        "display name"
    );
    assert!(
        html.contains(&format!(
            "<tr><th>审查时间（北京时间）</th><td>{expected_time}</td></tr>"
        )),
        "{expected_time} on the page"
    );
    assert!(!html.contains("（UTC）"));
    assert!(!html.contains("user:"), "no actor id on the review page");
    assert_eq!(
        has_rfc3339(&html),
        None,
        "no machine time on the review page"
    );
    // The trail: Chinese action names, the display name, the application's fields as a table.
    let trail = &html[html.find("id=\"trail-table\"").expect("trail")..];
    let trail = &trail[..trail.find("</table></div>").unwrap()];
    assert!(trail.contains("审查并保存审查记录") && trail.contains("申请登记（在审）"));
    assert!(trail.contains("<td>审批科测试</td>"), "{trail}");
    assert!(
        trail.contains("<th>项目名称</th>") && trail.contains("<th>审查结论</th>"),
        "{trail}"
    );
    assert!(
        !trail.contains("{&#34;") && !trail.contains("{\""),
        "no raw JSON: {trail}"
    );
    // The list and the workbench name the reviewer too.
    for path in ["/reviews", "/workbench"] {
        let html = c
            .get(format!("{}{path}", srv.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("<td>审批科测试</td>"), "{path}");
        assert!(!html.contains("user:3"), "{path}");
        assert_eq!(has_rfc3339(&html), None, "{path}");
    }
}

#[tokio::test]
async fn the_audit_page_names_actions_in_chinese_and_tables_the_changes() {
    let srv = start().await;
    let base = &srv.base;
    let admin = logged_in(base, "root").await;
    let t = token(&admin, base).await;
    let r = admin
        .post(format!("{base}/api/admin/users"))
        .header("x-csrf-token", &t)
        .json(&serde_json::json!({"username": "wang", "display_name": "王五", "role": "执法监察", "password": "Matrix-pass-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let id = r.json::<Value>().await.unwrap()["user"]["id"]
        .as_i64()
        .unwrap();
    let r = admin
        .post(format!("{base}/admin/users/{id}/disable"))
        .form(&[("csrf_token", t.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    // A row from the command line without a user, and one with a code nobody named.
    srv.store
        .audit_record(&AuditEntry {
            actor: &Actor::Cli {
                os_user: "unknown".into(),
            },
            action: "x.unnamed_test_code",
            entity_type: "user",
            entity_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "display_name": "王五" })),
        })
        .await
        .unwrap();
    let html = admin
        .get(format!("{base}/audit?entity=user:{id}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let table = &html[html.find("id=\"audit-table\"").unwrap()..];
    assert!(
        table.contains(">新建账号</span>") && table.contains(">停用账号</span>"),
        "{table}"
    );
    assert!(
        table.contains("<td>系统管理员测试</td>"),
        "the admin's display name"
    );
    assert!(
        table.contains("<td>命令行操作（未记录操作人）</td>"),
        "{table}"
    );
    assert!(
        table.contains("未命名操作") && table.contains("x.unnamed_test_code"),
        "an unknown code is named as such, with the code"
    );
    assert!(table.contains(&format!("<td>账号 #{id}</td>")));
    // user.disable: before/after as fields; 已停用 changed 否 → 是, 角色 unchanged and named.
    let disable_row = &table[table.find("data-action=\"user.disable\"").unwrap()..];
    let disable_row = &disable_row[..disable_row.find("</tr>\n").unwrap()];
    assert!(
        disable_row.contains("<th>修改前</th><th>修改后</th>"),
        "{disable_row}"
    );
    let disabled = changes_row(disable_row, "已停用");
    assert!(
        disabled.starts_with("<tr class=\"changed\">")
            && disabled.contains("<td>否</td><td>是</td>"),
        "{disabled}"
    );
    let role = changes_row(disable_row, "角色");
    assert!(
        !role.contains("changed") && role.contains("<td>执法监察</td><td>执法监察</td>"),
        "{role}"
    );
    assert!(
        !table.contains("{&#34;") && !table.contains("{\""),
        "no raw JSON"
    );
    assert!(!table.contains("user:1:root"));
    assert_eq!(has_rfc3339(table), None);
    // The API keeps the stored values.
    let v: Value = admin
        .get(format!("{base}/api/audit?entity=user:{id}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["action"] == "user.disable" && r["actor"] == "user:1:root")
    );
}

#[tokio::test]
async fn help_is_public_and_points_a_user_to_their_section() {
    let srv = start().await;
    let html = client()
        .get(format!("{}/help", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for (anchor, title) in [
        ("public", "公众（不登录）"),
        ("planning", "规划科"),
        ("approval", "审批科"),
        ("enforcement", "执法监察"),
        ("restoration", "生态修复"),
        ("company", "矿山企业"),
        ("admin", "系统管理员"),
    ] {
        assert!(
            html.contains(&format!(
                "<section class=\"card\" id=\"{anchor}\">\n<h2>{title}</h2>"
            )),
            "{anchor}"
        );
    }
    assert!(!html.contains("id=\"help-mine\""));
    assert!(html.contains("href=\"/help\""), "linked from the header");
    let c = logged_in(&srv.base, "qiye").await;
    let html = c
        .get(format!("{}/help", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("id=\"help-mine\"") && html.contains("href=\"#company\""),
        "the company is pointed to its section"
    );
}

/// Every staff page, seen by the 系统管理员 after a review, a rights import and a layer import
/// from the web and the command line: no RFC 3339 time and no actor id (`user:…`, `cli:…`)
/// anywhere on screen.
#[tokio::test]
async fn no_page_shows_machine_times_or_actor_ids() {
    let srv = start().await;
    let base = &srv.base;
    let c = logged_in(base, "shenpi").await;
    let t = token(&c, base).await;
    let r = c
        .post(format!("{base}/api/reviews"))
        .header("x-csrf-token", &t)
        .header("content-type", "application/json")
        .body(REVIEW_JSON)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let review = r.json::<Value>().await.unwrap()["review_id"]
        .as_i64()
        .unwrap();
    // A right imported from the command line (an unknown operating-system user).
    let zone = minplan_store::ReviewEngine::load(&srv.store)
        .await
        .unwrap()
        .plan
        .loaded
        .plan
        .region
        .zone;
    srv.store
        .import_rights(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"C-WORDS-1","name":"留痕采石场","holder_name":"矩阵公司","credit_code":"91350100M000100Y43","minerals":"建筑用凝灰岩","capacity":5,"capacity_unit":"万立方米/年","valid_to":"2027-01-01"},"geometry":{"type":"Polygon","coordinates":[[[131.05,44.45],[131.052,44.45],[131.052,44.452],[131.05,44.452],[131.05,44.45]]]}}]}"#,
            "words.geojson",
            zone,
            &Actor::Cli {
                os_user: "unknown".into(),
            },
        )
        .await
        .unwrap();
    let admin = logged_in(base, "root").await;
    let mut seen_cli = false;
    for path in [
        "/".to_string(),
        "/indicators".into(),
        "/blocks".into(),
        "/evaluation".into(),
        "/workbench".into(),
        "/reviews".into(),
        format!("/reviews/{review}"),
        "/rights".into(),
        "/rights/C-WORDS-1".into(),
        "/applications/SFH-WORDS-1".into(),
        "/layers".into(),
        "/plans".into(),
        "/plans/1/history".into(),
        "/admin/users".into(),
        "/audit".into(),
        "/admin/database".into(),
        "/admin/database?check=1".into(),
        "/annual-reports".into(),
        "/help".into(),
    ] {
        let r = admin.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        let html = r.text().await.unwrap();
        assert_eq!(has_rfc3339(&html), None, "{path} shows a machine time");
        for id in ["user:", "cli:"] {
            assert!(!html.contains(id), "{path} shows an actor id ({id})");
        }
        seen_cli |= html.contains("命令行操作（未记录操作人）");
    }
    assert!(
        seen_cli,
        "the command-line import is named on the right's page and the audit"
    );
}
