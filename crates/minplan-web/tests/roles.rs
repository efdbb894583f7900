//! The role matrix walked over real HTTP: every route of the router with every role and the
//! anonymous public, each answered as `docs/roles.md` says. The table below is the one source
//! of the expectations; the test also checks that it lists exactly the routes of
//! `src/lib.rs` and that `docs/roles.md` has the same row for each.

mod common;

use common::*;
use minplan_store::Role;
use reqwest::{Client, Method, StatusCode};
use std::collections::BTreeSet;

/// Who may use a route.
#[derive(Clone, Copy, Debug)]
enum Who {
    /// Everyone, anonymous too.
    Public,
    /// Any logged-in account.
    LoggedIn,
    /// Only these roles.
    Only(&'static [Role]),
}

/// One route: method, path (as routed), who may use it, the status an allowed request gets,
/// and what it sends.
struct RouteCase {
    method: &'static str,
    path: &'static str,
    who: Who,
    ok: u16,
    body: Body,
}

#[derive(Clone, Copy)]
enum Body {
    None,
    /// A form; `csrf_token` is added.
    Form(&'static [(&'static str, &'static str)]),
    /// JSON with the `X-CSRF-Token` header.
    Json(&'static str),
}

use Who::*;
const ADMIN: &[Role] = &[Role::Admin];
const PLAN_MANAGERS: &[Role] = &[Role::Admin, Role::Planning];
const REPORT_FILERS: &[Role] = &[Role::Admin, Role::Planning, Role::Approval, Role::Company];
const REGISTRARS: &[Role] = &[Role::Admin, Role::Approval];
const CLOSERS: &[Role] = &[Role::Admin, Role::Approval, Role::Restoration];

const NEW_USER_FORM: &[(&str, &str)] = &[
    ("username", "matrix-form"),
    ("display_name", "矩阵测试"),
    ("role", "approval"),
    ("credit_code", ""),
    ("password", "Matrix-pass-2026"),
    ("password2", "Matrix-pass-2026"),
];

#[rustfmt::skip]
const ROUTES: &[RouteCase] = &[
    // 公开页面与公开接口
    RouteCase { method: "GET", path: "/", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/indicators", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/previous-round", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/blocks", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/text", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/plan", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/plan/indicators", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/plan/previous-round", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/plan/blocks", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/plan/outline", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/plan/layers", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/plan/layers/{kind}", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/plans", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/assets/{*path}", who: Public, ok: 200, body: Body::None },
    // 登录与会话（空表单：重新显示并标出字段错误）
    RouteCase { method: "GET", path: "/login", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/login", who: Public, ok: 422, body: Body::Form(&[("username", ""), ("password", "")]) },
    RouteCase { method: "GET", path: "/api/session", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/api/session", who: Public, ok: 422, body: Body::Json(r#"{"username":"","password":""}"#) },
    // 个人账号（错误的当前密码：重新显示并标出字段错误）
    RouteCase { method: "GET", path: "/account/password", who: LoggedIn, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/account/password", who: LoggedIn, ok: 422, body: Body::Form(&[("current", "not-the-password"), ("password", "Another-pass-77"), ("password2", "Another-pass-77")]) },
    // 规划版本
    RouteCase { method: "GET", path: "/plans", who: LoggedIn, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/plans/{id}/activate", who: Only(PLAN_MANAGERS), ok: 303, body: Body::Form(&[]) },
    RouteCase { method: "POST", path: "/api/plans/{id}/activate", who: Only(PLAN_MANAGERS), ok: 200, body: Body::Json("{}") },
    // 账号管理
    RouteCase { method: "GET", path: "/admin/users", who: Only(ADMIN), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/admin/users", who: Only(ADMIN), ok: 303, body: Body::Form(NEW_USER_FORM) },
    RouteCase { method: "POST", path: "/admin/users/{id}/disable", who: Only(ADMIN), ok: 303, body: Body::Form(&[]) },
    RouteCase { method: "POST", path: "/admin/users/{id}/enable", who: Only(ADMIN), ok: 303, body: Body::Form(&[]) },
    RouteCase { method: "GET", path: "/api/admin/users", who: Only(ADMIN), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/api/admin/users", who: Only(ADMIN), ok: 201, body: Body::Json(r#"{"username":"matrix-api","role":"生态修复","password":"Matrix-pass-2026"}"#) },
    RouteCase { method: "POST", path: "/api/admin/users/{id}/disable", who: Only(ADMIN), ok: 200, body: Body::Json("{}") },
    RouteCase { method: "POST", path: "/api/admin/users/{id}/enable", who: Only(ADMIN), ok: 200, body: Body::Json("{}") },
    // 操作日志
    RouteCase { method: "GET", path: "/audit", who: Only(ADMIN), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/audit", who: Only(ADMIN), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/audit/verify", who: Only(ADMIN), ok: 200, body: Body::None },
    // 规划监测与年度报告（空登记簿：报送表单没有矿山，重新显示并列出问题）
    RouteCase { method: "GET", path: "/api/indicators", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/reminders", who: LoggedIn, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/evaluation", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/evaluation.xlsx", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/evaluation.docx", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/annual-plan.xlsx", who: LoggedIn, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/annual-plan.docx", who: LoggedIn, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/annual-reports", who: LoggedIn, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/annual-reports", who: Only(REPORT_FILERS), ok: 422, body: Body::Form(&[("mine", ""), ("year", "2025"), ("extraction", "1"), ("output_value", "1")]) },
    // 矿业权登记（空登记簿：申请、矿业权不存在，404）
    RouteCase { method: "POST", path: "/api/applications/{id}/decision", who: Only(REGISTRARS), ok: 404, body: Body::Json(r#"{"approve":true,"date":"2026-01-05"}"#) },
    RouteCase { method: "POST", path: "/api/applications/{id}/grant", who: Only(REGISTRARS), ok: 404, body: Body::Json(r#"{"method":"挂牌","price_wan_yuan":10,"date":"2026-01-05"}"#) },
    RouteCase { method: "POST", path: "/api/applications/{id}/register", who: Only(REGISTRARS), ok: 404, body: Body::Json(r#"{"licence":"C1","valid_from":"2026-01-05","valid_to":"2029-01-04"}"#) },
    RouteCase { method: "GET", path: "/api/rights/{id}/history", who: Only(REGISTRARS), ok: 404, body: Body::None },
    RouteCase { method: "POST", path: "/api/rights/{id}/extend", who: Only(REGISTRARS), ok: 404, body: Body::Json(r#"{"valid_to":"2030-01-01","date":"2026-01-05"}"#) },
    RouteCase { method: "POST", path: "/api/rights/{id}/transfer", who: Only(REGISTRARS), ok: 404, body: Body::Json(r#"{"application":"A","date":"2026-01-05"}"#) },
    RouteCase { method: "POST", path: "/api/rights/{id}/closure-report", who: Only(CLOSERS), ok: 404, body: Body::Json(r#"{"title":"闭坑报告","date":"2026-01-05"}"#) },
    RouteCase { method: "POST", path: "/api/rights/{id}/close", who: Only(CLOSERS), ok: 404, body: Body::Json(r#"{"date":"2026-01-05","accepted_by":"局","document":"文号"}"#) },
    RouteCase { method: "POST", path: "/api/rights/{id}/cancel", who: Only(REGISTRARS), ok: 404, body: Body::Json(r#"{"date":"2026-01-05","reason":"到期"}"#) },
    // 退出登录（最后走：之后重新登录）
    RouteCase { method: "POST", path: "/logout", who: Public, ok: 303, body: Body::Form(&[]) },
    RouteCase { method: "DELETE", path: "/api/session", who: Public, ok: 200, body: Body::Json("{}") },
];

fn allowed(who: Who, role: Option<Role>) -> bool {
    match (who, role) {
        (Public, _) => true,
        (_, None) => false,
        (LoggedIn, Some(_)) => true,
        (Only(roles), Some(r)) => roles.contains(&r),
    }
}

/// The cell of `docs/roles.md` for a role.
fn mark(who: Who, role: Option<Role>) -> &'static str {
    if allowed(who, role) { "✓" } else { "✗" }
}

/// The routes of `src/lib.rs`: every `.route("PATH", get(…).post(…)…)`.
fn routes_in_source() -> BTreeSet<(String, String)> {
    let src = include_str!("../src/lib.rs");
    let mut out = BTreeSet::new();
    let pieces: Vec<&str> = src.split(".route(").skip(1).collect();
    for piece in pieces {
        let piece = piece.trim_start();
        let path = piece
            .strip_prefix('"')
            .and_then(|p| p.split('"').next())
            .expect("route path literal");
        let rest = &piece[path.len() + 2..];
        let end = rest.find(".route(").unwrap_or(rest.len());
        let end = [".fallback(", ".merge(", ";\n"]
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
    out
}

#[test]
fn the_table_lists_every_route_of_the_router() {
    let in_source = routes_in_source();
    assert!(in_source.len() >= 30, "route parsing failed: {in_source:?}");
    let in_table: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    assert_eq!(in_table.len(), ROUTES.len(), "duplicate rows in the table");
    let missing: Vec<_> = in_source.difference(&in_table).collect();
    let extra: Vec<_> = in_table.difference(&in_source).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "routes not in the role matrix: {missing:?}; rows for no route: {extra:?}"
    );
}

#[test]
fn docs_roles_md_has_the_same_matrix() {
    let doc = include_str!("../../../docs/roles.md");
    for r in ROUTES {
        let mut row = format!("| {} | `{}` |", r.method, r.path);
        for role in std::iter::once(None).chain(Role::ALL.into_iter().map(Some)) {
            row.push_str(&format!(" {} |", mark(r.who, role)));
        }
        assert!(doc.contains(&row), "docs/roles.md lacks the row\n{row}");
    }
}

/// Fills the path's parameters with existing things.
fn concrete(path: &str, user_id: i64) -> String {
    path.replace("{kind}", "ecological_red_line")
        .replace("{*path}", "app.css")
        .replace(
            "{id}",
            &if path.contains("/plans/") {
                "1".to_string()
            } else {
                user_id.to_string()
            },
        )
}

async fn send(c: &Client, base: &str, r: &RouteCase, user_id: i64) -> reqwest::Response {
    let url = format!("{base}{}", concrete(r.path, user_id));
    let method = Method::from_bytes(r.method.as_bytes()).unwrap();
    let mut req = c.request(method.clone(), &url);
    if method != Method::GET {
        let csrf = token(c, base).await;
        req = match r.body {
            Body::None => req.header("x-csrf-token", csrf),
            Body::Form(fields) => {
                let mut f: Vec<(&str, &str)> = fields.to_vec();
                f.push(("csrf_token", &csrf));
                req.form(&f)
            }
            Body::Json(j) => req
                .header("x-csrf-token", csrf)
                .header("content-type", "application/json")
                .body(j),
        };
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn every_route_with_every_role() {
    let srv = start().await;
    let base = &srv.base;
    // The account disabled and re-enabled by the admin routes.
    let victim = srv
        .store
        .add_user(
            &minplan_store::NewUser {
                username: "victim".into(),
                display_name: String::new(),
                role: Role::Restoration,
                credit_code: None,
            },
            PW,
            &minplan_store::Actor::System,
        )
        .await
        .unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for role in std::iter::once(None).chain(Role::ALL.into_iter().map(Some)) {
        let username = role.map(|r| common::ACCOUNTS.iter().find(|(_, ar)| *ar == r).unwrap().0);
        let login = || async {
            match username {
                Some(u) => logged_in(base, u).await,
                None => client(),
            }
        };
        let mut c = login().await;
        for r in ROUTES {
            let res = send(&c, base, r, victim.id).await;
            let status = res.status();
            let location = res
                .headers()
                .get("location")
                .map(|l| l.to_str().unwrap().to_string())
                .unwrap_or_default();
            let ct = res
                .headers()
                .get("content-type")
                .map(|l| l.to_str().unwrap().to_string())
                .unwrap_or_default();
            let body = res.text().await.unwrap_or_default();
            let api = r.path.starts_with("/api/");
            let ok = if allowed(r.who, role) {
                status.as_u16() == r.ok
                    && !(status == StatusCode::SEE_OTHER && location.starts_with("/login"))
            } else if role.is_none() && !api {
                status == StatusCode::SEE_OTHER && location.starts_with("/login?next=")
            } else if role.is_none() {
                status == StatusCode::UNAUTHORIZED && body.contains("\"unauthenticated\"")
            } else {
                status == StatusCode::FORBIDDEN
                    && body.contains("无权")
                    && (!api
                        || (ct.starts_with("application/json") && body.contains("\"forbidden\"")))
            };
            checked += 1;
            if !ok {
                failures.push(format!(
                    "{} {} as {}: got {status} {location} {}",
                    r.method,
                    r.path,
                    role.map_or("匿名", |r| r.label()),
                    body.chars().take(160).collect::<String>()
                ));
            }
            if r.path == "/logout" || (r.path == "/api/session" && r.method == "DELETE") {
                c = login().await;
            }
        }
    }
    assert_eq!(checked, ROUTES.len() * 7);
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
