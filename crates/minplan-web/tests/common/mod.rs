//! Helpers of the HTTP tests: a server on an ephemeral port over a temporary database with one
//! account per role, and clients that keep cookies and do not follow redirects.

#![allow(dead_code)]

pub mod schema;

use minplan_store::{Actor, NewUser, Role, Store, default_bundle};
use minplan_web::{AppState, WebConfig};
use reqwest::{Client, StatusCode};
use serde_json::Value;
use std::collections::BTreeSet;

/// The password of every test account.
pub const PW: &str = "Kuangchan-2025!";

/// The test accounts: (username, role).
pub const ACCOUNTS: [(&str, Role); 6] = [
    ("root", Role::Admin),
    ("guihua", Role::Planning),
    ("shenpi", Role::Approval),
    ("zhifa", Role::Enforcement),
    ("xiufu", Role::Restoration),
    ("qiye", Role::Company),
];

/// A running server.
pub struct Server {
    pub base: String,
    pub store: Store,
    /// The server's state (the same store), for jobs the server runs on its own clock.
    pub state: AppState,
    _dir: tempfile::TempDir,
}

pub async fn start() -> Server {
    start_with(WebConfig::default()).await
}

pub async fn start_with(config: WebConfig) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t.db")).await.unwrap();
    store.seed_if_empty(&default_bundle()).await.unwrap();
    for (name, role) in ACCOUNTS {
        store
            .add_user(
                &NewUser {
                    username: name.into(),
                    display_name: format!("{}测试", role.label()),
                    role,
                    credit_code: (role == Role::Company).then(|| "91350100M000100Y43".into()),
                },
                PW,
                &Actor::System,
            )
            .await
            .unwrap();
    }
    let state = AppState::new(store.clone())
        .await
        .unwrap()
        .with_config(config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // The server as `serve` builds it, with every `/api/` answer checked against the
    // published document: an answer of another shape becomes a 500 naming the difference.
    let app =
        minplan_web::router(state.clone()).layer(axum::middleware::from_fn(check_against_document));
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    Server {
        base: format!("http://{addr}"),
        store,
        state,
        _dir: dir,
    }
}

/// The published OpenAPI document, as JSON.
pub fn document() -> &'static Value {
    static DOC: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    DOC.get_or_init(|| serde_json::to_value(minplan_web::api_docs::spec()).unwrap())
}

/// Middleware of the test server: an `/api/` answer (but the document itself and the
/// browsable page's files) that the document does not describe becomes a 500 whose body names
/// the difference, so that the test that made the request fails.
async fn check_against_document(
    mut req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    // Answers to check are read uncompressed.
    req.headers_mut().remove("accept-encoding");
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let resp = next.run(req).await;
    if !path.starts_with("/api/") || path.starts_with("/api/docs") || path == "/api/openapi.json" {
        return resp;
    }
    let status = resp.status().as_u16();
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let ctype = parts
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    match schema::check_response(document(), &method, &path, status, ctype, &bytes) {
        Ok(()) => axum::response::Response::from_parts(parts, axum::body::Body::from(bytes)),
        Err(e) => {
            eprintln!("API answer not as documented: {e}");
            (
                axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                format!("API answer not as documented: {e}"),
            )
                .into_response()
        }
    }
}

/// A browser-like client: keeps cookies, does not follow redirects.
pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The value of the first `name="csrf_token" value="…"` in a page.
pub fn csrf_in(html: &str) -> String {
    let key = "name=\"csrf_token\" value=\"";
    let start = html.find(key).expect("page has a csrf field") + key.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// The session's CSRF token, from `GET /api/session`.
pub async fn token(c: &Client, base: &str) -> String {
    let v = get_json(c, &format!("{base}/api/session")).await;
    v["csrf_token"].as_str().unwrap().to_string()
}

/// `GET url` as JSON (whatever the status).
#[allow(dead_code)]
pub async fn get_json(c: &Client, url: &str) -> Value {
    c.get(url).send().await.unwrap().json().await.unwrap()
}

/// Logs `c` in through the login form; returns the response status of the POST.
pub async fn login_status(c: &Client, base: &str, user: &str, pw: &str) -> (StatusCode, String) {
    let page = c.get(format!("{base}/login")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csrf = csrf_in(&page.text().await.unwrap());
    let r = c
        .post(format!("{base}/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("username", user),
            ("password", pw),
            ("next", "/plans"),
        ])
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.text().await.unwrap_or_default())
}

/// A client logged in as `user`.
pub async fn logged_in(base: &str, user: &str) -> Client {
    let c = client();
    let (s, body) = login_status(&c, base, user, PW).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "login {user}: {body}");
    c
}

/// Number of audit rows.
pub async fn audit_rows(store: &Store) -> usize {
    store
        .audit_list(&minplan_store::AuditFilter::default())
        .await
        .unwrap()
        .len()
}

/// The source of every `.rs` file under `src/` (each capability's `router()` is in its folder).
fn sources() -> Vec<String> {
    fn walk(dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut out,
    );
    out
}

/// The routes of the router: every `.route("PATH", get(…).post(…)…)` in `src/`.
pub fn routes_in_source() -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for src in sources() {
        routes_in(&src, &mut out);
    }
    assert!(out.len() > 50, "routes found in src/: {}", out.len());
    out
}

fn routes_in(src: &str, out: &mut BTreeSet<(String, String)>) {
    let pieces: Vec<&str> = src.split(".route(").skip(1).collect();
    for piece in pieces {
        let piece = piece.trim_start();
        let path = piece
            .strip_prefix('"')
            .and_then(|p| p.split('"').next())
            .expect("route path literal");
        let rest = &piece[path.len() + 2..];
        let end = rest.find(".route(").unwrap_or(rest.len());
        let end = [".fallback(", ".merge(", ";\n", "\n}"]
            .iter()
            .filter_map(|m| rest[..end].find(m))
            .min()
            .unwrap_or(end);
        let handlers = &rest[..end];
        for m in ["get", "post", "put", "patch", "delete"] {
            let needle = format!("{m}(");
            let mut from = 0;
            while let Some(i) = handlers[from..].find(&needle) {
                let at = from + i;
                let before = handlers[..at].chars().last().unwrap_or(' ');
                if !(before.is_alphanumeric() || before == '_' || before == ':') {
                    out.insert((m.to_uppercase(), path.to_string()));
                }
                from = at + needle.len();
            }
        }
    }
}

/// Completes the 联合审查 of a 新立 application through the store (《规划》四（三）3（1）): the
/// default departments all 同意, a 现场踏查 and the government's 同意, all on `on`
/// (YYYY-MM-DD) — its grant (on or after `on`) needs it.
pub async fn complete_joint_review(store: &Store, number: &str, on: &str) {
    use minplan_domain::date::Date;
    use minplan_domain::register::joint_review::{
        Consent, DEFAULT_DEPARTMENTS, DepartmentAnswer, Opinion, SiteVisit,
    };
    let actor = minplan_store::Actor::System;
    let on = Date::parse(on).unwrap();
    let names: Vec<String> = DEFAULT_DEPARTMENTS.iter().map(|s| s.to_string()).collect();
    store
        .start_joint_review(number, &names, on, &actor)
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
            .record_department_opinion(number, n, &a, None, &actor)
            .await
            .unwrap();
    }
    let v = SiteVisit {
        date: on,
        people: "县自然资源局、生态环境局".into(),
        findings: "现场与申请拐点一致".into(),
        photos: vec![],
    };
    store
        .record_site_visit(number, &v, &[], &actor)
        .await
        .unwrap();
    let c = Consent {
        date: on,
        document_number: "绥政函〔2021〕9号".into(),
    };
    store
        .record_government_consent(number, &c, &actor)
        .await
        .unwrap();
}
