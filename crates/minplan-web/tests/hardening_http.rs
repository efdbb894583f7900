//! Issue 19 through the web: what another process saves is seen by the server's next review;
//! a save computed on an outdated register is refused, not recorded; review lists ask the
//! database one index lookup per review, never read the stored snapshots; a hostile table
//! upload is refused with its limit and the server goes on.

mod common;

use common::*;
use minplan_store::{Actor, StoreError};
use reqwest::StatusCode;
use serde_json::{Value, json};

fn example() -> (String, String) {
    let ex = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    (
        std::fs::read_to_string(ex.join("01-qingfa-quarry.toml")).unwrap(),
        std::fs::read_to_string(ex.join("01-qingfa-quarry.txt")).unwrap(),
    )
}

/// examples/01 as application `number` (received 2021-11-20, inside the plan period).
fn application(number: &str) -> String {
    example()
        .0
        .replace("received = \"2026-11-20\"", "received = \"2021-11-20\"")
        .replace(
            "number = \"SFH-2026-001\"",
            &format!("number = \"{number}\""),
        )
}

/// A trial review through `POST /api/reviews`: (register size, R12's result as JSON text).
async fn trial(c: &reqwest::Client, base: &str, token: &str, number: &str) -> (u64, String) {
    let r = c
        .post(format!("{base}/api/reviews"))
        .header("x-csrf-token", token)
        .json(&json!({
            "toml": application(number),
            "corner_file": { "name": "01-qingfa-quarry.txt", "content": example().1 },
            "save": false,
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    let r12 = v["review"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "R12")
        .unwrap()
        .to_string();
    (v["review"]["register_size"].as_u64().unwrap(), r12)
}

/// `POST /rights/import` (仅检查) of `bytes` as file `name`: (status, page).
async fn dry_run_import(
    c: &reqwest::Client,
    base: &str,
    name: &str,
    bytes: Vec<u8>,
) -> (StatusCode, String) {
    let page = c
        .get(format!("{base}/rights/import"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf_in(&page))
        .text("mode", "dry_run")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    let r = c
        .post(format!("{base}/rights/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

/// What `minplan review` does in its own process: an engine loaded from the database, the
/// review saved there; the server is not told.
async fn cli_review(store: &minplan_store::Store, number: &str) {
    let engine = minplan_store::ReviewEngine::load(store).await.unwrap();
    let toml = application(number);
    let corners = example().1;
    let app = engine.parse(&toml, Some(corners.as_bytes())).unwrap();
    engine
        .review_and_save(
            store,
            &app,
            &toml,
            Some(("01-qingfa-quarry.txt", corners.as_bytes())),
            &Actor::System,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn a_review_saved_by_another_process_is_seen_by_the_next_web_review() {
    let srv = start().await;
    let base = &srv.base;
    let c = logged_in(base, "shenpi").await;
    let token = token(&c, base).await;
    let (size, r12) = trial(&c, base, &token, "SFH-2026-201").await;
    assert!(!r12.contains("SFH-2026-200"), "{r12}");
    // The CLI saves a pending application on the same ground while the server runs.
    cli_review(&srv.store, "SFH-2026-200").await;
    let (size_after, r12) = trial(&c, base, &token, "SFH-2026-201").await;
    assert_eq!(size_after, size + 1);
    assert!(r12.contains("SFH-2026-200"), "{r12}");
    // A saved web review records the register it was made on, with the CLI's application.
    let r = c
        .post(format!("{base}/api/reviews"))
        .header("x-csrf-token", &token)
        .json(&json!({
            "toml": application("SFH-2026-201"),
            "corner_file": { "name": "01-qingfa-quarry.txt", "content": example().1 },
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    let id = v["review_id"].as_i64().unwrap();
    let stored = srv.store.review_record(id).await.unwrap();
    assert!(stored.register.to_string().contains("SFH-2026-200"));
    // And `reviews verify` replays it to the same result.
    let replay = srv.store.replay_review(&stored, None).await.unwrap();
    assert!(replay.matches(), "{:?}", replay.differences);
}

/// A client that goes away while its review is being saved (a closed tab, a script's
/// timeout) does not cancel the save half-way: the review is stored all the same, and the
/// next saves go through — no transaction is left open on a pooled connection holding the
/// write lock. The client writes its whole request on a socket and closes it at once, without
/// waiting for the answer (a client timing out after a millisecond might not have sent its
/// request at all on a busy machine, and then there is nothing to save).
#[tokio::test]
async fn a_save_whose_client_left_completes_and_later_saves_go_through() {
    use std::sync::Arc;
    use tokio::io::AsyncWriteExt;
    let srv = start().await;
    let base = &srv.base;
    let jar = Arc::new(reqwest::cookie::Jar::default());
    let c = reqwest::Client::builder()
        .cookie_provider(jar.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let (status, body) = login_status(&c, base, "shenpi", PW).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let token = token(&c, base).await;
    let url: reqwest::Url = base.parse().unwrap();
    let cookies = {
        use reqwest::cookie::CookieStore;
        jar.cookies(&url).unwrap().to_str().unwrap().to_string()
    };
    let host = url.host_str().unwrap().to_string();
    let port = url.port().unwrap();
    for number in [
        "SFH-2021-301",
        "SFH-2021-302",
        "SFH-2021-303",
        "SFH-2021-304",
        "SFH-2021-305",
    ] {
        let body = json!({
            "toml": application(number),
            "corner_file": { "name": "01-qingfa-quarry.txt", "content": example().1 },
        })
        .to_string();
        let request = format!(
            "POST /api/reviews HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {cookies}\r\n\
             X-CSRF-Token: {token}\r\nContent-Type: application/json\r\n\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let mut socket = tokio::net::TcpStream::connect((host.as_str(), port))
            .await
            .unwrap();
        socket.write_all(request.as_bytes()).await.unwrap();
        socket.flush().await.unwrap();
        // Gone before any answer.
        drop(socket);
        let mut saved = false;
        for _ in 0..600 {
            if srv
                .store
                .pending_application(number)
                .await
                .unwrap()
                .is_some()
            {
                saved = true;
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        assert!(saved, "{number}: the save was cancelled with its client");
    }
    let r = c
        .post(format!("{base}/api/reviews"))
        .header("x-csrf-token", &token)
        .timeout(std::time::Duration::from_secs(20))
        .json(&json!({
            "toml": application("SFH-2021-306"),
            "corner_file": { "name": "01-qingfa-quarry.txt", "content": example().1 },
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert!(
        srv.store
            .pending_application("SFH-2021-306")
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn a_save_computed_on_an_outdated_register_is_refused_and_writes_nothing() {
    let srv = start().await;
    let store = &srv.store;
    let engine = minplan_store::ReviewEngine::load(store).await.unwrap();
    assert_eq!(
        engine.inputs_version,
        Some(store.engine_inputs_version().await.unwrap())
    );
    // Meanwhile another process saves a review.
    cli_review(store, "SFH-2026-300").await;
    let before = store.list_reviews(None).await.unwrap().len();
    let toml = application("SFH-2026-301");
    let corners = example().1;
    let app = engine.parse(&toml, Some(corners.as_bytes())).unwrap();
    let e = engine
        .review_and_save_versioned(
            store,
            &app,
            &toml,
            Some(("01-qingfa-quarry.txt", corners.as_bytes())),
            &Actor::System,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Stale(m) if m.contains("另一进程")),
        "{e}"
    );
    assert_eq!(store.list_reviews(None).await.unwrap().len(), before);
    // On a freshly loaded engine the same save goes through and reports the version it left.
    let engine = minplan_store::ReviewEngine::load(store).await.unwrap();
    let saved = engine
        .review_and_save_versioned(
            store,
            &app,
            &toml,
            Some(("01-qingfa-quarry.txt", corners.as_bytes())),
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(
        saved.inputs_version,
        store.engine_inputs_version().await.unwrap()
    );
    assert!(saved.inputs_version > engine.inputs_version.unwrap());
}

#[tokio::test]
async fn review_lists_over_twenty_thousand_reviews_use_the_index_and_flag_superseded_ones() {
    let srv = start().await;
    let store = &srv.store;
    cli_review(store, "SFH-2026-400").await;
    let first = store.list_reviews(None).await.unwrap()[0].id;
    // 20,000 further reviews of 10,000 (withdrawn) applications, each superseding the one
    // before it for its application, written straight into the tables.
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
         INSERT INTO applications (number, status, created_at) SELECT 'X-' || i, '撤回', '2026-01-01T00:00:00Z' FROM n",
    )
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
         INSERT INTO reviews (application_number, supersedes_id, plan_version_id, input_toml, layers_json,
                              register_json, lists_json, config_json, result_json, conclusion, geometry_json,
                              reviewed_at, actor)
         SELECT 'X-' || ((i + 1) / 2), CASE WHEN i % 2 = 0 THEN ?1 + i - 1 END, plan_version_id, '', '{}',
                '[]', '{}', '{}', json_object('application', json_object('project_name', '项目' || i)),
                '符合', '[]', reviewed_at, actor
         FROM n, (SELECT plan_version_id, reviewed_at, actor FROM reviews WHERE id = ?1)",
    )
    .bind(first)
    .execute(store.pool())
    .await
    .unwrap();
    let all = store.list_reviews(None).await.unwrap();
    assert_eq!(all.len(), 20_001);
    // Newest first: the last of each pair supersedes the first.
    assert_eq!(all[0].id, first + 20_000);
    assert!(!all[0].superseded);
    assert_eq!(all[0].supersedes_id, Some(first + 19_999));
    assert!(all[1].superseded);
    assert_eq!(all[1].project_name, "项目19999");
    // The superseded question is one index lookup, not a scan of the table.
    let rows = sqlx::query(
        "EXPLAIN QUERY PLAN SELECT r.id, EXISTS (SELECT 1 FROM reviews s WHERE s.supersedes_id = r.id) FROM reviews r ORDER BY r.id DESC LIMIT 10",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    use sqlx::Row as _;
    let details: Vec<String> = rows.iter().map(|r| r.get::<String, _>("detail")).collect();
    assert!(
        details
            .iter()
            .any(|d| d.contains("USING COVERING INDEX reviews_supersedes")),
        "{details:?}"
    );
    // The 工作台 shows the newest ten.
    let c = logged_in(&srv.base, "shenpi").await;
    let r = c
        .get(format!("{}/api/workbench", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    let recent = v["recent_reviews"].as_array().unwrap();
    assert_eq!(recent[0]["id"].as_i64().unwrap(), first + 20_000);
    assert_eq!(recent[0]["project_name"], "项目20000");
}

#[tokio::test]
async fn a_table_upload_that_would_abort_the_server_is_refused_and_the_server_goes_on() {
    let srv = start().await;
    let base = &srv.base;
    let c = logged_in(base, "shenpi").await;
    // Cells at A1 and XFD100000: the reader would lay out 1.6 × 10⁹ cells.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "许可证号").unwrap();
    ws.write_string(99_999, 16_383, "x").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let (status, html) = dry_run_import(&c, base, "登记簿.xlsx", bytes).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("登记簿.xlsx") && html.contains("已用区域超过上限"),
        "{html}"
    );
    // Still serving.
    let r = c.get(format!("{base}/rights")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}

/// Issue 19, item 11: a multipart upload over 2 MiB was refused as “表单内容不完整” although
/// the limit is 10 MiB (axum's own multipart default applied); it now reaches the reader.
#[tokio::test]
async fn an_upload_between_two_and_ten_mib_reaches_the_reader() {
    let srv = start().await;
    let base = &srv.base;
    let c = logged_in(base, "shenpi").await;
    let mut bytes = b"PK\x03\x04".to_vec();
    bytes.resize(3 << 20, 0);
    let (status, html) = dry_run_import(&c, base, "大表.xlsx", bytes).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        html.contains("大表.xlsx：无法读取表格：不是有效的 .xlsx 文件"),
        "{html}"
    );
}

/// Issue 19, item 7: a company's own review showed other companies' application numbers,
/// project and holder names (R3, R12), in the API, the page, the 审查意见书 and the layer
/// export. The company now sees 他人在审申请 1 and hidden names; staff see everything.
#[tokio::test]
async fn a_company_sees_its_own_review_without_other_parties_particulars() {
    let srv = start().await;
    let base = &srv.base;
    // Another company's pending application on the same ground.
    cli_review(&srv.store, "SFH-2026-500").await;
    // The company's own, as the bureau saves it.
    let engine = minplan_store::ReviewEngine::load(&srv.store).await.unwrap();
    let toml = application("SFH-2026-501")
        .replace("91231081MA1BQF0013", "91350100M000100Y43")
        .replace("绥芬河市庆发建材有限公司", "本企业测试有限公司")
        .replace("绥芬河市庆发采石场建筑用凝灰岩矿", "本企业北山石料矿");
    let corners = example().1;
    let app = engine.parse(&toml, Some(corners.as_bytes())).unwrap();
    let (id, review) = engine
        .review_and_save(
            &srv.store,
            &app,
            &toml,
            Some(("c.txt", corners.as_bytes())),
            &Actor::System,
        )
        .await
        .unwrap();
    let r12 = serde_json::to_string(review.rule("R12").unwrap()).unwrap();
    assert!(r12.contains("SFH-2026-500"), "{r12}");
    let secrets = [
        "SFH-2026-500",
        "绥芬河市庆发建材有限公司",
        "绥芬河市庆发采石场建筑用凝灰岩矿",
        "91231081MA1BQF0013",
    ];
    let company = logged_in(base, "qiye").await;
    let get = |c: &reqwest::Client, path: String| {
        let c = c.clone();
        async move {
            let r = c.get(format!("{base}{path}")).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{path}");
            r.bytes().await.unwrap().to_vec()
        }
    };
    let api = String::from_utf8(get(&company, format!("/api/reviews/{id}")).await).unwrap();
    let page = String::from_utf8(get(&company, format!("/reviews/{id}")).await).unwrap();
    let geojson =
        String::from_utf8(get(&company, format!("/reviews/{id}/export?format=geojson")).await)
            .unwrap();
    let docx = get(&company, format!("/reviews/{id}/docx")).await;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut document = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut document)
        .unwrap();
    for (what, text) in [
        ("api", &api),
        ("page", &page),
        ("geojson", &geojson),
        ("docx", &document),
    ] {
        for s in secrets {
            assert!(!text.contains(s), "{what} shows {s}");
        }
        // The company's own particulars stay.
        assert!(text.contains("SFH-2026-501"), "{what}");
    }
    assert!(api.contains("他人在审申请 1"), "{api}");
    assert!(document.contains("他人在审申请 1"));
    // Staff see the other application.
    let staff = logged_in(base, "shenpi").await;
    let api = String::from_utf8(get(&staff, format!("/api/reviews/{id}")).await).unwrap();
    assert!(api.contains("SFH-2026-500"));
}

async fn session_rows(store: &minplan_store::Store) -> i64 {
    sqlx::query_scalar::<_, i64>("SELECT count(*) FROM tower_sessions")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

/// `POST /login` as 审批科 `shenpi` with `password` and the CSRF `token`.
async fn login_form(
    c: &reqwest::Client,
    base: &str,
    token: &str,
    password: &str,
) -> reqwest::Response {
    c.post(format!("{base}/login"))
        .form(&[
            ("csrf_token", token),
            ("username", "shenpi"),
            ("password", password),
        ])
        .send()
        .await
        .unwrap()
}

/// The `Set-Cookie` values of a response.
fn set_cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

/// Issue 19, item 9: 15 s of `GET /login` at 8 connections wrote 75,909 session rows. Now an
/// anonymous visitor's token is signed into a cookie and nothing is written until login.
#[tokio::test]
async fn anonymous_visits_write_no_session_rows_and_their_token_is_bound_to_their_cookie() {
    let s = start().await;
    let before = session_rows(&s.store).await;
    // 200 visits of cookie-less clients to the pages and the JSON session that hand out tokens.
    let plain = reqwest::Client::new();
    for i in 0..200 {
        let path = ["/login", "/api/session", "/", "/public/draws/verify"][i % 4];
        let r = plain.get(format!("{}{path}", s.base)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert!(
            set_cookies(&r)
                .iter()
                .all(|c| c.starts_with("minplan_csrf=") && !c.contains("minplan_session")),
            "{path}: {:?}",
            set_cookies(&r)
        );
    }
    assert_eq!(session_rows(&s.store).await, before, "no row per visit");

    // A browser's login goes through with the token of its cookie, and only then a row.
    let c = client();
    let page = c.get(format!("{}/login", s.base)).send().await.unwrap();
    let cookie = set_cookies(&page);
    assert_eq!(cookie.len(), 1, "{cookie:?}");
    assert!(cookie[0].contains("HttpOnly") && cookie[0].contains("SameSite=Lax"));
    assert!(!cookie[0].contains("Secure"), "plain HTTP: {cookie:?}");
    let token = csrf_in(&page.text().await.unwrap());
    // The same cookie gets the same token; a second visit sets no new cookie.
    let again = c.get(format!("{}/login", s.base)).send().await.unwrap();
    assert!(set_cookies(&again).is_empty());
    assert_eq!(csrf_in(&again.text().await.unwrap()), token);
    assert_eq!(token, common::token(&c, &s.base).await);

    // Another visitor replaying that token without the cookie, or with their own cookie, is
    // refused, and nothing is written.
    let other = client();
    other.get(format!("{}/login", s.base)).send().await.unwrap();
    for who in [&plain, &other] {
        let r = login_form(who, &s.base, &token, PW).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN);
        assert!(r.text().await.unwrap().contains("安全令牌"));
    }
    assert_eq!(session_rows(&s.store).await, before);

    // A wrong password writes no session either.
    let r = login_form(&c, &s.base, &token, "wrong-password-1").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(session_rows(&s.store).await, before);

    let r = login_form(&c, &s.base, &token, PW).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(session_rows(&s.store).await, before + 1);
    // After login the session's own token is required: the anonymous one no longer works.
    let session_token = common::token(&c, &s.base).await;
    assert_ne!(session_token, token);
    let r = c
        .post(format!("{}/logout", s.base))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

/// Issue 19, item 11 / What to build: cookies are `Secure` when the proxy's configured header
/// says the visitor came over HTTPS, and only then.
#[tokio::test]
async fn cookies_are_secure_when_the_proxy_header_says_https() {
    let s = start_with(minplan_web::WebConfig {
        https_header: Some("X-Forwarded-Proto".into()),
        ..minplan_web::WebConfig::default()
    })
    .await;
    let c = client();
    let plain = c.get(format!("{}/login", s.base)).send().await.unwrap();
    assert!(set_cookies(&plain).iter().all(|c| !c.contains("Secure")));
    let fresh = client();
    let page = fresh
        .get(format!("{}/login", s.base))
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .unwrap();
    let cookies = set_cookies(&page);
    assert_eq!(cookies.len(), 1);
    assert!(cookies[0].ends_with("; Secure"), "{cookies:?}");
    let token = csrf_in(&page.text().await.unwrap());
    let r = fresh
        .post(format!("{}/login", s.base))
        .header("X-Forwarded-Proto", "https")
        .form(&[
            ("csrf_token", token.as_str()),
            ("username", "shenpi"),
            ("password", PW),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let session = set_cookies(&r);
    assert!(
        session
            .iter()
            .any(|c| c.starts_with("minplan_session=") && c.contains("; Secure")),
        "{session:?}"
    );
    // A server without the setting trusts no header.
    let s2 = start().await;
    let r = client()
        .get(format!("{}/login", s2.base))
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .unwrap();
    assert!(set_cookies(&r).iter().all(|c| !c.contains("Secure")));
}

/// Issue 19, item 11: a body refused as too large says `Connection: close`.
#[tokio::test]
async fn a_body_refused_as_too_large_announces_the_closed_connection() {
    let s = start_with(minplan_web::WebConfig {
        body_limit: 1024 * 1024,
        ..minplan_web::WebConfig::default()
    })
    .await;
    let c = logged_in(&s.base, "guihua").await;
    let t = common::token(&c, &s.base).await;
    let r = c
        .post(format!("{}/api/corners/check", s.base))
        .header("X-CSRF-Token", t)
        .header("Content-Type", "application/json")
        .body(vec![b' '; 2 * 1024 * 1024])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        r.headers()
            .get(reqwest::header::CONNECTION)
            .map(|v| v.to_str().unwrap()),
        Some("close")
    );
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "payload_too_large");
}

/// Found by schemathesis (issue 19): a page number whose offset overflows SQLite's integer
/// answered 500, and an `/api/` route refused a bad parameter with an HTML page.
#[tokio::test]
async fn a_huge_page_number_and_a_bad_map_layer_are_answered_as_the_document_says() {
    let s = start().await;
    let c = logged_in(&s.base, "xiufu").await;
    // The API refuses a page past the document's maximum (10⁹) by name; a page people click
    // falls back to the first — neither reaches SQLite.
    for (path, status) in [
        (
            "/api/reviews?page=288230376151711745",
            StatusCode::BAD_REQUEST,
        ),
        (
            "/api/rights?page=18446744073709551615&per=200",
            StatusCode::BAD_REQUEST,
        ),
        ("/api/reviews?page=1000000000", StatusCode::OK),
        ("/reviews?page=288230376151711745", StatusCode::OK),
        ("/rights?page=18446744073709551615", StatusCode::OK),
    ] {
        let r = c.get(format!("{}{path}", s.base)).send().await.unwrap();
        assert_eq!(r.status(), status, "{path}");
        if status == StatusCode::BAD_REQUEST {
            let v: Value = r.json().await.unwrap();
            assert!(
                v["message"]
                    .as_str()
                    .unwrap()
                    .contains("page 应为 1～1000000000 的整数"),
                "{v}"
            );
        }
    }
    let r = c
        .get(format!("{}/api/restoration/map?layer=x", s.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "bad_request");
    assert!(
        v["message"]
            .as_str()
            .unwrap()
            .contains("layer 只能为 mines")
    );
}

/// A red-line layer of `n` small squares (about 70 m across) inside 绥芬河市, as GeoJSON.
fn many_squares(n: usize) -> Vec<u8> {
    let features: Vec<Value> = (0..n)
        .map(|i| {
            let (x, y) = (131.02 + (i % 200) as f64 * 0.001, 44.32 + (i / 200) as f64 * 0.001);
            json!({"type": "Feature", "properties": {"id": format!("HX-{i}")}, "geometry": {"type": "Polygon",
              "coordinates": [[[x, y], [x + 0.0008, y], [x + 0.0008, y + 0.0006], [x, y + 0.0006], [x, y]]]}})
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
        .to_string()
        .into_bytes()
}

/// `POST /layers` of one GeoJSON file: the response (redirects not followed).
async fn upload_layer(
    c: &reqwest::Client,
    base: &str,
    name: &str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token(c, base).await)
        .text("kind", "ecological_red_line")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
        );
    c.post(format!("{base}/layers"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Polls an import's progress page until it no longer says 正在导入: its last answer.
async fn import_ended(c: &reqwest::Client, base: &str, page: &str) -> reqwest::Response {
    for _ in 0..600 {
        let r = c.get(format!("{base}{page}")).send().await.unwrap();
        if r.status() != StatusCode::OK {
            return r;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the import of {page} did not end in a minute");
}

#[tokio::test]
async fn a_layer_import_runs_off_the_write_lock_with_its_progress_shown() {
    let srv = start_with(minplan_web::WebConfig {
        import_wait: std::time::Duration::ZERO,
        ..Default::default()
    })
    .await;
    let base = &srv.base;
    let guihua = logged_in(base, "guihua").await;
    let shenpi = logged_in(base, "shenpi").await;
    let token = token(&shenpi, base).await;
    let n = 30_000;
    let r = upload_layer(&guihua, base, "红线.geojson", many_squares(n)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let progress = r.headers()["location"].to_str().unwrap().to_string();
    assert!(progress.starts_with("/layers/imports/"), "{progress}");
    let r = guihua
        .get(format!("{base}{progress}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"import-running\"") && html.contains("http-equiv=\"refresh\""),
        "{html}"
    );
    assert!(html.contains("生态保护红线：红线.geojson"), "{html}");
    // While the import reads, checks and writes, a review is saved: the write lock is free.
    let r = shenpi
        .post(format!("{base}/api/reviews"))
        .header("x-csrf-token", &token)
        .json(&json!({
            "toml": application("SFH-2026-301"),
            "corner_file": { "name": "01-qingfa-quarry.txt", "content": example().1 },
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = guihua
        .get(format!("{base}{progress}"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "the import is still running after the review was saved"
    );
    assert!(r.text().await.unwrap().contains("id=\"import-written\""));
    assert!(
        srv.store.list_layers().await.unwrap().is_empty(),
        "nothing listed while staging"
    );
    // It ends as the new version, with every feature.
    let r = import_ended(&guihua, base, &progress).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let version = r.headers()["location"].to_str().unwrap().to_string();
    assert!(version.ends_with("?imported=1"), "{version}");
    let layers = srv.store.list_layers().await.unwrap();
    assert_eq!(layers.len(), 1);
    assert_eq!(
        (layers[0].feature_count, layers[0].active),
        (n as i64, true)
    );
    let r = guihua.get(format!("{base}{version}")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(
        html.contains(&format!("已导入生态保护红线：{n} 个要素")),
        "{html}"
    );
    // The review saved meanwhile is there, and the next review uses the new layer: the engine
    // was rebuilt after the commit.
    assert_eq!(srv.store.list_reviews(None).await.unwrap().len(), 1);
    let engine_layers: Value = guihua
        .get(format!("{base}/api/layers"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        engine_layers["in_use"][0]["source"], "imported",
        "{engine_layers}"
    );
    // A file with no usable feature ends as a refusal on the same page; nothing imported.
    let bowtie = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "HX-BOWTIE"}, "geometry": {"type": "Polygon",
         "coordinates": [[[131.0, 44.40], [131.01, 44.41], [131.01, 44.40], [131.0, 44.41], [131.0, 44.40]]]}}]});
    let r = upload_layer(&guihua, base, "坏.geojson", bowtie.to_string().into_bytes()).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let progress = r.headers()["location"].to_str().unwrap().to_string();
    let r = import_ended(&guihua, base, &progress).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("id=\"import-failed\"")
            && html.contains("没有可用的要素")
            && html.contains("未导入"),
        "{html}"
    );
    assert!(!html.contains("http-equiv=\"refresh\""));
    assert_eq!(srv.store.list_layers().await.unwrap().len(), 1);
    // Someone else's job number, or none, is a named 404.
    let r = guihua
        .get(format!("{base}/layers/imports/999"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.unwrap().contains("没有这项图层导入"));
}
