//! Accounts and access over real HTTP: CSRF, login throttling, the login form's errors,
//! audit rows of web writes, sessions that end, the plan reloading after activation, and
//! malformed requests that never give a 500.

mod common;

use common::*;
use minplan_store::{Actor, AuditFilter, read_bundle_dir};
use minplan_web::WebConfig;
use reqwest::StatusCode;
use serde_json::Value;

async fn user_count(srv: &Server) -> usize {
    srv.store.list_users().await.unwrap().len()
}

#[tokio::test]
async fn csrf_missing_or_wrong_is_403_and_writes_nothing() {
    let srv = start().await;
    let base = &srv.base;
    let admin = logged_in(base, "root").await;
    let users = user_count(&srv).await;
    let rows = audit_rows(&srv.store).await;
    let form = [
        ("username", "csrf-victim"),
        ("role", "admin"),
        ("password", "Matrix-pass-2026"),
        ("password2", "Matrix-pass-2026"),
    ];
    // No token.
    let r = admin
        .post(format!("{base}/admin/users"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let html = r.text().await.unwrap();
    assert!(html.contains("安全令牌（CSRF）"), "{html}");
    // A wrong token, in the form and in the header.
    let mut bad = form.to_vec();
    bad.push(("csrf_token", "0000"));
    let r = admin
        .post(format!("{base}/admin/users"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = admin
        .post(format!("{base}/api/admin/users"))
        .header("x-csrf-token", "f".repeat(64))
        .json(&serde_json::json!({"username": "csrf-api", "role": "admin", "password": "Matrix-pass-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "csrf");
    assert!(v["message"].as_str().unwrap().contains("CSRF"));
    // The API without the header.
    let r = admin
        .post(format!("{base}/api/plans/1/activate"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Another session's token is not this session's.
    let other = logged_in(base, "guihua").await;
    let foreign = token(&other, base).await;
    let mut stolen = form.to_vec();
    stolen.push(("csrf_token", &foreign));
    let r = admin
        .post(format!("{base}/admin/users"))
        .form(&stolen)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Logging in without a token is refused too (login CSRF).
    let anon = client();
    let r = anon
        .post(format!("{base}/login"))
        .form(&[("username", "root"), ("password", PW)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Nothing was written.
    assert_eq!(user_count(&srv).await, users);
    // (the second login above is the only new audit row)
    assert_eq!(audit_rows(&srv.store).await, rows + 1);
    // With the right token it works.
    let mut good = form.to_vec();
    let t = token(&admin, base).await;
    good.push(("csrf_token", &t));
    let r = admin
        .post(format!("{base}/admin/users"))
        .form(&good)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(user_count(&srv).await, users + 1);
}

#[tokio::test]
async fn login_form_redisplays_errors_and_throttles() {
    let srv = start().await;
    let base = &srv.base;
    let c = client();
    // Missing fields: each named.
    let (s, html) = login_status(&c, base, "", "").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("请输入用户名") && html.contains("请输入密码"),
        "{html}"
    );
    // Wrong password: the field's error, the username kept.
    let (s, html) = login_status(&c, base, "shenpi", "wrong-password-1").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(
        html.contains("用户名或密码错误") && html.contains("value=\"shenpi\""),
        "{html}"
    );
    for _ in 0..4 {
        let (s, _) = login_status(&c, base, "shenpi", "wrong-password-1").await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
    }
    // Sixth attempt: locked, even with the right password, with the time to retry.
    let (s, html) = login_status(&c, base, "shenpi", PW).await;
    assert_eq!(s, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        html.contains("登录失败次数过多") && html.contains("北京时间"),
        "{html}"
    );
    // The API says the same in JSON.
    let t = token(&c, base).await;
    let r = c
        .post(format!("{base}/api/session"))
        .header("x-csrf-token", t)
        .json(&serde_json::json!({"username": "SHENPI", "password": PW}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "throttled");
    assert!(v["message"].as_str().unwrap().contains("分钟后"));
    // Other accounts are not locked.
    let (s, _) = login_status(&client(), base, "zhifa", PW).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn header_shows_the_user_and_logout_and_security_headers_are_set() {
    let srv = start().await;
    let base = &srv.base;
    let anon = client().get(format!("{base}/")).send().await.unwrap();
    let csp = anon.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(anon.headers()["x-content-type-options"], "nosniff");
    let html = anon.text().await.unwrap();
    assert!(html.contains("href=\"/login\"") && !html.contains("退出登录"));
    assert!(!html.contains("href=\"/plans\""));

    let c = logged_in(base, "guihua").await;
    let html = c
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("规划科测试（规划科）") && html.contains("退出登录"),
        "{html}"
    );
    assert!(html.contains("href=\"/plans\"") && !html.contains("href=\"/admin/users\""));
    // Logging out ends the session.
    let t = csrf_in(&html);
    let r = c
        .post(format!("{base}/logout"))
        .form(&[("csrf_token", t.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = c.get(format!("{base}/plans")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/login?next=/plans");
    let trail = srv.store.audit_trail("user", "2").await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["user.add", "session.login", "session.logout"]);
}

#[tokio::test]
async fn web_writes_leave_audit_rows_with_before_and_after() {
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
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["user"]["id"]
        .as_i64()
        .unwrap();
    let r = admin
        .post(format!("{base}/admin/users/{id}/disable"))
        .form(&[("csrf_token", t.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let trail = srv
        .store
        .audit_trail("user", &id.to_string())
        .await
        .unwrap();
    assert_eq!(trail.len(), 2);
    for row in &trail {
        assert_eq!(row.actor, "user:1:root");
    }
    assert_eq!(trail[0].action, "user.add");
    assert_eq!(trail[0].before, None);
    let after: Value = serde_json::from_str(trail[0].after.as_deref().unwrap()).unwrap();
    assert_eq!(
        (after["display_name"].as_str(), after["role"].as_str()),
        (Some("王五"), Some("enforcement"))
    );
    assert_eq!(trail[1].action, "user.disable");
    let before: Value = serde_json::from_str(trail[1].before.as_deref().unwrap()).unwrap();
    let after: Value = serde_json::from_str(trail[1].after.as_deref().unwrap()).unwrap();
    assert_eq!(
        (before["disabled"].as_bool(), after["disabled"].as_bool()),
        (Some(false), Some(true))
    );
    // The trail is visible on /audit with the verification, and intact.
    let html = admin
        .get(format!("{base}/audit?entity=user:{id}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("操作日志完整") && html.contains("user.disable"),
        "{html}"
    );
    let v: Value = admin
        .get(format!("{base}/api/audit/verify"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["intact"], true);
}

#[tokio::test]
async fn activation_reloads_the_plan_and_is_audited() {
    let srv = start().await;
    let base = &srv.base;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../minplan-store/tests/data/test-county");
    let files = read_bundle_dir(&dir).unwrap();
    let v2 = srv
        .store
        .import_plan(&files, "测试", false, &Actor::System)
        .await
        .unwrap()
        .version;
    let c = logged_in(base, "guihua").await;
    let html = c
        .get(format!("{base}/plans"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("测试县矿产资源总体规划") && html.contains("设为当前规划"),
        "{html}"
    );
    let t = csrf_in(&html);
    let r = c
        .post(format!("{base}/plans/{}/activate", v2.id))
        .form(&[("csrf_token", t.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // The in-memory plan switched: the public pages show the other county now.
    let html = client()
        .get(format!("{base}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("测试县矿产资源总体规划"), "{html}");
    let row = srv
        .store
        .audit_list(&AuditFilter::parse_entity(&format!(
            "plan_version:{}",
            v2.id
        )))
        .await
        .unwrap();
    let act = row.iter().find(|r| r.action == "plan.activate").unwrap();
    assert_eq!(act.actor, "user:2:guihua");
    assert_eq!(
        act.before.as_deref(),
        Some(r#"{"active_plan_version_id":1}"#)
    );
    // An enforcement account may see versions but not switch them.
    let z = logged_in(base, "zhifa").await;
    let html = z
        .get(format!("{base}/plans"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("设为当前规划"));
}

#[tokio::test]
async fn disabled_accounts_and_changed_passwords_end_sessions() {
    let srv = start().await;
    let base = &srv.base;
    let x = logged_in(base, "xiufu").await;
    assert_eq!(
        x.get(format!("{base}/plans"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    srv.store
        .set_user_disabled("xiufu", true, &Actor::System)
        .await
        .unwrap();
    let r = x.get(format!("{base}/plans")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Another session survives its own password change; the first session does not.
    let a = logged_in(base, "zhifa").await;
    let b = logged_in(base, "zhifa").await;
    let html = b
        .get(format!("{base}/account/password"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let t = csrf_in(&html);
    let r = b
        .post(format!("{base}/account/password"))
        .form(&[
            ("csrf_token", t.as_str()),
            ("current", PW),
            ("password", "Brand-new-2026"),
            ("password2", "Brand-new-2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        b.get(format!("{base}/plans"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        a.get(format!("{base}/plans"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::SEE_OTHER
    );
    let (s, _) = login_status(&client(), base, "zhifa", "Brand-new-2026").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn add_user_form_redisplays_each_fields_error() {
    let srv = start().await;
    let base = &srv.base;
    let admin = logged_in(base, "root").await;
    let t = token(&admin, base).await;
    let r = admin
        .post(format!("{base}/admin/users"))
        .form(&[
            ("csrf_token", t.as_str()),
            ("username", "新 用户"),
            ("display_name", "某公司"),
            ("role", "company"),
            ("credit_code", "91350100M000100Y44"),
            ("password", "short"),
            ("password2", "different"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    for needle in [
        "用户名须为",
        "校验位错误",
        "密码至少 10 个字符",
        "两次输入的密码不一致",
        "value=\"某公司\"",
        "value=\"91350100M000100Y44\"",
    ] {
        assert!(html.contains(needle), "{needle} missing:\n{html}");
    }
    assert!(html.contains("<option value=\"company\" selected>"));
    // The JSON API names the fields.
    let r = admin
        .post(format!("{base}/api/admin/users"))
        .header("x-csrf-token", &t)
        .json(&serde_json::json!({"username": "root", "role": "科长", "password": "Matrix-pass-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "invalid");
    let fields: Vec<&str> = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"role"), "{v}");
    // The last administrator cannot be disabled: the page says so.
    let r = admin
        .post(format!("{base}/admin/users/1/disable"))
        .form(&[("csrf_token", t.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("最后一个可用的系统管理员"));
}

/// A malformed request: method, path, content type, body, expected status.
type Case = (
    &'static str,
    &'static str,
    Option<&'static str>,
    Vec<u8>,
    u16,
);

/// Malformed requests of every kind: a Chinese answer with a 4xx, never a 500.
#[tokio::test]
async fn malformed_requests_never_500() {
    let srv = start_with(WebConfig {
        body_limit: 4096,
        ..WebConfig::default()
    })
    .await;
    let base = &srv.base;
    let admin = logged_in(base, "root").await;
    let t = token(&admin, base).await;
    let big = "x".repeat(10_000);
    let cases: Vec<Case> = vec![
        // method, path, content type, body, expected status
        (
            "POST",
            "/api/admin/users",
            Some("application/json"),
            b"{not json".to_vec(),
            400,
        ),
        (
            "POST",
            "/api/admin/users",
            Some("application/json"),
            b"".to_vec(),
            400,
        ),
        (
            "POST",
            "/api/admin/users",
            Some("application/json"),
            br#"{"username": 5}"#.to_vec(),
            400,
        ),
        (
            "POST",
            "/api/admin/users",
            Some("application/json"),
            br#"[1,2,3]"#.to_vec(),
            400,
        ),
        (
            "POST",
            "/api/admin/users",
            Some("application/json"),
            big.clone().into_bytes(),
            413,
        ),
        (
            "POST",
            "/api/session",
            Some("application/json"),
            b"\xff\xfe\x00".to_vec(),
            400,
        ),
        (
            "POST",
            "/admin/users",
            Some("application/x-www-form-urlencoded"),
            b"%zz=%%%&&&===".to_vec(),
            422,
        ),
        (
            "POST",
            "/admin/users",
            Some("application/x-www-form-urlencoded"),
            b"username=\xff\xfe&role=\x00".to_vec(),
            422,
        ),
        (
            "POST",
            "/admin/users",
            Some("text/plain"),
            b"hello".to_vec(),
            422,
        ),
        ("POST", "/admin/users/abc/disable", None, vec![], 400),
        (
            "POST",
            "/admin/users/99999999999999999999999/disable",
            None,
            vec![],
            400,
        ),
        ("POST", "/admin/users/424242/disable", None, vec![], 404),
        (
            "POST",
            "/api/plans/-1/activate",
            Some("application/json"),
            b"{}".to_vec(),
            404,
        ),
        (
            "POST",
            "/api/plans/%ff/activate",
            Some("application/json"),
            b"{}".to_vec(),
            400,
        ),
        ("GET", "/api/audit?limit=abc", None, vec![], 400),
        ("GET", "/api/audit?limit=0", None, vec![], 400),
        ("GET", "/audit?entity=%ff%fe", None, vec![], 200),
        ("GET", "/login?next=%ff", None, vec![], 200),
        ("PUT", "/api/plan", None, vec![], 405),
        ("DELETE", "/admin/users", None, vec![], 405),
        ("GET", "/api/plan/layers/%00", None, vec![], 404),
        ("GET", "/api/no-such-thing", None, vec![], 404),
    ];
    for (method, path, ct, body, expected) in cases {
        let mut req = admin
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                format!("{base}{path}"),
            )
            .header("x-csrf-token", &t)
            .body(body);
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let ctype = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let text = r.text().await.unwrap();
        assert_eq!(status, expected, "{method} {path}: {text}");
        if path.starts_with("/api/") && status >= 400 {
            let v: Value =
                serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: not JSON: {text}"));
            assert!(v["code"].is_string(), "{path}: {v}");
            let msg = v["message"].as_str().unwrap();
            assert!(
                msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{path}: {msg}"
            );
        } else if status >= 400 {
            assert!(ctype.starts_with("text/html"), "{path}: {ctype}");
        }
    }
    // A form larger than the limit, with its token in the body.
    let mut f = vec![("csrf_token", t.as_str())];
    f.push(("display_name", big.as_str()));
    let r = admin
        .post(format!("{base}/admin/users"))
        .form(&f)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().await.unwrap().contains("请求内容过大"));
    // A forged session cookie is an anonymous visitor, not an error.
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{base}/plans"))
        .header("cookie", "minplan_session=%%%garbage%%%; other=1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Nothing was created by any of it.
    assert_eq!(user_count(&srv).await, ACCOUNTS.len());
}
