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
    /// Any logged-in account; a 矿山企业 sees its own records only (本企业).
    OwnRecords,
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
    /// A multipart form: fields, then one file (field name, file name, content); `csrf_token`
    /// is added.
    Multipart(
        &'static [(&'static str, &'static str)],
        (&'static str, &'static str, &'static str),
    ),
}

use Who::*;
const ADMIN: &[Role] = &[Role::Admin];
const PLAN_MANAGERS: &[Role] = &[Role::Admin, Role::Planning];
const REPORT_FILERS: &[Role] = &[Role::Admin, Role::Planning, Role::Approval, Role::Company];
const REGISTRARS: &[Role] = &[Role::Admin, Role::Approval];
const CLOSERS: &[Role] = &[Role::Admin, Role::Approval, Role::Restoration];
const INSPECTION_MANAGERS: &[Role] = &[Role::Admin, Role::Enforcement];
const REVIEWERS: &[Role] = &[Role::Admin, Role::Approval];
const LIST_KEEPERS: &[Role] = &[Role::Admin, Role::Enforcement];
const LIST_APPLICANTS: &[Role] = &[Role::Admin, Role::Company];
const PUBLISHERS: &[Role] = &[
    Role::Admin,
    Role::Planning,
    Role::Approval,
    Role::Enforcement,
    // 治理恢复基金公示 only (the domain's rule refuses 生态修复 the other kinds)
    Role::Restoration,
];
const CHECKERS: &[Role] = &[Role::Admin, Role::Enforcement];
const COMPANY: &[Role] = &[Role::Company];
const CALENDAR_EDITORS: &[Role] = &[Role::Admin, Role::Enforcement];
const SUPERVISORS: &[Role] = &[Role::Admin, Role::Enforcement];
const LICENCE_KEEPERS: &[Role] = &[Role::Admin, Role::Approval, Role::Enforcement];
/// 生态修复: ManageRestoration (RESTORERS) and FileRestoration (RESTORATION_FILERS).
const RESTORERS: &[Role] = &[Role::Admin, Role::Restoration];
const RESTORATION_FILERS: &[Role] = &[Role::Admin, Role::Restoration, Role::Company];
const STAFF: &[Role] = &[
    Role::Admin,
    Role::Planning,
    Role::Approval,
    Role::Enforcement,
    Role::Restoration,
];

/// The corners of examples/01-qingfa-quarry.txt.
const QINGFA_CORNERS: &str = "拐点,X(起标高),Y(止标高)\n1,4911391.68,44428925.83, , ,\n2,4911350.27,44429080.39, , ,\n3,4911471.02,44429112.75, , ,\n4,4911512.43,44428958.19, , ,\n*,560,480,庆发采石场,1,\n";

/// The 申请受理 form of examples/01-qingfa-quarry.toml.
const INTAKE_FORM: &[(&str, &str)] = &[
    ("action", "review"),
    ("number", "SFH-MATRIX-FORM"),
    ("kind", "新立"),
    ("right_kind", "采矿权"),
    ("project_name", "绥芬河市庆发采石场建筑用凝灰岩矿"),
    ("minerals", "建筑用凝灰岩"),
    ("mining_method", "露天"),
    ("capacity_value", "6"),
    ("capacity_unit", "万立方米/年"),
    ("holder_name", "绥芬河市庆发建材有限公司"),
    ("credit_code", "91231081MA1BQF0013"),
    ("grant_method", "挂牌"),
    ("development_plan", "on"),
    ("restoration_plan", "on"),
    ("green_mine_commitment", "on"),
    ("corners_text", QINGFA_CORNERS),
];

const REVIEW_JSON: &str = r#"{"application":{"number":"SFH-MATRIX-API","kind":"新立","right_kind":"采矿权","project_name":"绥芬河市庆发采石场建筑用凝灰岩矿","minerals":"建筑用凝灰岩","mining_method":"露天","capacity_value":"6","capacity_unit":"万立方米/年","holder_name":"绥芬河市庆发建材有限公司","credit_code":"91231081MA1BQF0013","grant_method":"挂牌","development_plan":true,"restoration_plan":true,"green_mine_commitment":true,"datum":"CGCS2000","corners_text":"1,4911391.68,44428925.83\n2,4911350.27,44429080.39\n3,4911471.02,44429112.75\n4,4911512.43,44428958.19\n"}}"#;

/// A small layer (a square near the county's centre).
const LAYER_GEOJSON: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"M1"},"geometry":{"type":"Polygon","coordinates":[[[131.0,44.40],[131.002,44.40],[131.002,44.402],[131.0,44.402],[131.0,44.40]]]}}]}"#;
const LAYER_JSON: &str = r#"{"kind":"永久基本农田","name":"矩阵测试","geojson":{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"M1"},"geometry":{"type":"Polygon","coordinates":[[[131.0,44.40],[131.002,44.40],[131.002,44.402],[131.0,44.402],[131.0,44.40]]]}}]}}"#;
const RIGHTS_GEOJSON: &str = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"C-MATRIX-2","name":"矩阵采石场","holder_name":"矩阵公司","credit_code":"91350100M000100Y43","minerals":"建筑用凝灰岩","capacity":5,"capacity_unit":"万立方米/年","valid_to":"2027-01-01"},"geometry":{"type":"Polygon","coordinates":[[[131.05,44.45],[131.052,44.45],[131.052,44.452],[131.05,44.452],[131.05,44.45]]]}}]}"#;
const RIGHTS_JSON: &str = r#"{"file_name":"rights.geojson","geojson":{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"C-MATRIX-3","name":"矩阵采石场","holder_name":"矩阵公司","credit_code":"91350100M000100Y43","minerals":"建筑用凝灰岩"},"geometry":{"type":"Polygon","coordinates":[[[131.06,44.45],[131.062,44.45],[131.062,44.452],[131.06,44.452],[131.06,44.45]]]}}]}}"#;

/// A rights table with one row whose 许可证号 is already in the register (a dry run lists it).
const RIGHTS_CSV: &str = "许可证号,矿业权类型,矿山名称,矿业权人,统一社会信用代码,矿种,生产规模,规模单位,有效期起,有效期止,面积\nC-MATRIX-1,采矿权,矩阵采石场,矩阵公司,91350100M000100Y43,建筑用凝灰岩,5,万立方米/年,2024-01-01,2027-01-01,0.05\n";
/// An annual-report table (a dry run).
const REPORTS_CSV: &str = "许可证号,年度,开采量,产值（万元）,从业人员\nC-MATRIX-1,2025,4,100,10\n";

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
    RouteCase { method: "GET", path: "/blocks/export", who: Public, ok: 200, body: Body::None },
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
    RouteCase { method: "GET", path: "/help", who: Public, ok: 200, body: Body::None },
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
    RouteCase { method: "GET", path: "/plans/{id}/history", who: LoggedIn, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/plans/{id}/activate", who: Only(PLAN_MANAGERS), ok: 303, body: Body::Form(&[]) },
    RouteCase { method: "POST", path: "/api/plans/{id}/activate", who: Only(PLAN_MANAGERS), ok: 200, body: Body::Json("{}") },
    // 账号管理
    RouteCase { method: "GET", path: "/admin/users", who: Only(ADMIN), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/admin/users", who: Only(ADMIN), ok: 303, body: Body::Form(NEW_USER_FORM) },
    RouteCase { method: "POST", path: "/admin/users/{id}/disable", who: Only(ADMIN), ok: 303, body: Body::Form(&[]) },
    RouteCase { method: "POST", path: "/admin/users/{id}/enable", who: Only(ADMIN), ok: 303, body: Body::Form(&[]) },
    RouteCase { method: "GET", path: "/admin/settings", who: Only(ADMIN), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/admin/settings", who: Only(ADMIN), ok: 303, body: Body::Form(&[("bureau_name", "绥芬河市自然资源局")]) },
    RouteCase { method: "GET", path: "/admin/database", who: Only(ADMIN), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/admin/database/backup", who: Only(ADMIN), ok: 200, body: Body::Form(&[]) },
    // 工作日历（错误的行：重新显示并标出行号，不写入）
    RouteCase { method: "GET", path: "/admin/calendar", who: LoggedIn, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/admin/calendar", who: Only(CALENDAR_EDITORS), ok: 422, body: Body::Form(&[("year", "2027"), ("source", "矩阵测试"), ("arrangement", "放假 2027-13-01")]) },
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
    RouteCase { method: "GET", path: "/api/indicators/restoration", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/reminders", who: LoggedIn, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/evaluation", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/evaluation.xlsx", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/evaluation.docx", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/annual-plan.xlsx", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/indicators/manual", who: Only(PLAN_MANAGERS), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/indicators/manual", who: Only(PLAN_MANAGERS), ok: 422, body: Body::Form(&[("indicator", "new_deposits"), ("year", ""), ("value", ""), ("evidence", "")]) },
    RouteCase { method: "GET", path: "/annual-plan.docx", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/annual-reports", who: LoggedIn, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/annual-reports", who: Only(REPORT_FILERS), ok: 422, body: Body::Form(&[("mine", ""), ("year", "2025"), ("extraction", "1"), ("output_value", "1")]) },
    // 矿业权登记（空登记簿：申请、矿业权不存在，404）
    RouteCase { method: "POST", path: "/api/applications/{id}/decision", who: Only(REGISTRARS), ok: 404, body: Body::Json(r#"{"approve":true,"date":"2026-01-05"}"#) },
    RouteCase { method: "POST", path: "/api/applications/{id}/close", who: Only(REGISTRARS), ok: 404, body: Body::Json(r#"{"kind":"退回","date":"2026-01-05","reason":"材料不全"}"#) },
    RouteCase { method: "POST", path: "/api/applications/{id}/grant", who: Only(REGISTRARS), ok: 404, body: Body::Json(r#"{"method":"挂牌","price_wan_yuan":10,"date":"2026-01-05"}"#) },
    RouteCase { method: "POST", path: "/api/applications/{id}/register", who: Only(REGISTRARS), ok: 404, body: Body::Json(r#"{"licence":"C1","valid_from":"2026-01-05","valid_to":"2029-01-04"}"#) },
    RouteCase { method: "GET", path: "/api/rights/{id}/history", who: Only(REGISTRARS), ok: 404, body: Body::None },
    RouteCase { method: "POST", path: "/api/rights/{id}/extend", who: Only(REGISTRARS), ok: 404, body: Body::Json(r#"{"valid_to":"2030-01-01","date":"2026-01-05"}"#) },
    RouteCase { method: "POST", path: "/api/rights/{id}/transfer", who: Only(REGISTRARS), ok: 404, body: Body::Json(r#"{"application":"A","date":"2026-01-05"}"#) },
    RouteCase { method: "POST", path: "/api/rights/{id}/closure-report", who: Only(CLOSERS), ok: 404, body: Body::Json(r#"{"title":"闭坑报告","date":"2026-01-05"}"#) },
    RouteCase { method: "POST", path: "/api/rights/{id}/close", who: Only(CLOSERS), ok: 404, body: Body::Json(r#"{"date":"2026-01-05","accepted_by":"局","document":"文号","confirm":true}"#) },
    RouteCase { method: "POST", path: "/api/rights/{id}/cancel", who: Only(REGISTRARS), ok: 404, body: Body::Json(r#"{"date":"2026-01-05","reason":"到期","confirm":true}"#) },
    RouteCase { method: "GET", path: "/annual-reports/import", who: Only(REGISTRARS), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/annual-reports/import", who: Only(REGISTRARS), ok: 200, body: Body::Multipart(&[("mode", "dry_run")], ("file", "reports.csv", REPORTS_CSV)) },
    // 矿业权登记的网页表单（空表单：重新显示并标出字段错误，不写入）与批量导入（仅检查）
    RouteCase { method: "GET", path: "/applications/{id}", who: Only(REGISTRARS), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/applications/{id}/decision", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("decision", ""), ("date", "")]) },
    RouteCase { method: "POST", path: "/applications/{id}/close", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("kind", ""), ("date", "")]) },
    RouteCase { method: "POST", path: "/applications/{id}/grant", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("method", ""), ("price", "x"), ("date", "")]) },
    RouteCase { method: "POST", path: "/applications/{id}/register", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("licence", ""), ("valid_from", ""), ("valid_to", "")]) },
    // 联合审查（种子申请未启动联合审查：表单重新显示并标出字段错误，文件与意见书 404）
    RouteCase { method: "GET", path: "/applications/{id}/joint-review", who: Only(REGISTRARS), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/applications/{id}/joint-review/start", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("departments", "自然资源"), ("date", "")]) },
    RouteCase { method: "POST", path: "/applications/{id}/joint-review/opinion", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("department", ""), ("opinion", ""), ("date", "")]) },
    RouteCase { method: "POST", path: "/applications/{id}/joint-review/site-visit", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("date", ""), ("people", ""), ("findings", "")]) },
    RouteCase { method: "POST", path: "/applications/{id}/joint-review/extent", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("corners", ""), ("date", "")]) },
    RouteCase { method: "POST", path: "/applications/{id}/joint-review/consent", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("date", ""), ("document_number", "")]) },
    RouteCase { method: "GET", path: "/applications/{id}/joint-review/files/{file}", who: Only(REGISTRARS), ok: 404, body: Body::None },
    RouteCase { method: "GET", path: "/applications/{id}/joint-review/docx", who: Only(REGISTRARS), ok: 404, body: Body::None },
    RouteCase { method: "GET", path: "/rights/import", who: Only(REGISTRARS), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/rights/import", who: Only(REGISTRARS), ok: 200, body: Body::Multipart(&[("mode", "dry_run")], ("file", "rights.csv", RIGHTS_CSV)) },
    RouteCase { method: "POST", path: "/rights/{id}/extend", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("valid_to", ""), ("date", "")]) },
    RouteCase { method: "POST", path: "/rights/{id}/change", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("application", ""), ("date", "")]) },
    RouteCase { method: "POST", path: "/rights/{id}/transfer", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("application", ""), ("date", "")]) },
    RouteCase { method: "POST", path: "/rights/{id}/mortgage", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("mortgagee", ""), ("amount", "")]) },
    RouteCase { method: "POST", path: "/rights/{id}/release-mortgage", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("date", "")]) },
    RouteCase { method: "POST", path: "/rights/{id}/closure-report", who: Only(CLOSERS), ok: 422, body: Body::Form(&[("title", ""), ("date", "")]) },
    RouteCase { method: "POST", path: "/rights/{id}/close", who: Only(CLOSERS), ok: 422, body: Body::Form(&[("date", "")]) },
    RouteCase { method: "POST", path: "/rights/{id}/cancel", who: Only(REGISTRARS), ok: 422, body: Body::Form(&[("date", ""), ("reason", "")]) },
    // 工作台、申请受理、审查记录、图层管理、矿业权、地图量测、接口文档
    RouteCase { method: "GET", path: "/workbench", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/intake", who: Only(REVIEWERS), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/intake", who: Only(REVIEWERS), ok: 303, body: Body::Form(INTAKE_FORM) },
    RouteCase { method: "GET", path: "/reviews", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/reviews/{id}", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/reviews/{id}/docx", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/reviews/{id}/export", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/layers", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/layers/export", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/layers", who: Only(PLAN_MANAGERS), ok: 303, body: Body::Multipart(&[("kind", "ecological_red_line"), ("name", "矩阵测试")], ("file", "layer.geojson", LAYER_GEOJSON)) },
    RouteCase { method: "GET", path: "/layers/{id}", who: Only(STAFF), ok: 200, body: Body::None },
    // No import running: 404 after the role check (the page itself: hardening_http.rs).
    RouteCase { method: "GET", path: "/layers/imports/{job}", who: Only(PLAN_MANAGERS), ok: 404, body: Body::None },
    RouteCase { method: "GET", path: "/rights", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/rights/export", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/rights/list.xlsx", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/reviews/list.xlsx", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/applications", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/applications/list.xlsx", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/annual-reports/list.xlsx", who: LoggedIn, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/reminders", who: LoggedIn, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/reminders/list.xlsx", who: LoggedIn, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/rights/import/template.xlsx", who: Only(REGISTRARS), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/annual-reports/import/template.xlsx", who: Only(REGISTRARS), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/rights", who: Only(REVIEWERS), ok: 200, body: Body::Multipart(&[], ("file", "rights.geojson", RIGHTS_GEOJSON)) },
    RouteCase { method: "GET", path: "/rights/{id}", who: OwnRecords, ok: 200, body: Body::None },
    // 证照（矩阵中的矿业权没有矿山档案：登记重新显示并说明，不写入；更正与附件：没有该证照，404）
    // 生态修复：历史遗留矿山、修复项目、修复地图
    RouteCase { method: "GET", path: "/restoration", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/restoration/legacy", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/restoration/legacy", who: Only(RESTORERS), ok: 422, body: Body::Form(&[("name", "")]) },
    RouteCase { method: "GET", path: "/restoration/legacy/{id}", who: Only(STAFF), ok: 404, body: Body::None },
    RouteCase { method: "POST", path: "/restoration/legacy/{id}/status", who: Only(RESTORERS), ok: 404, body: Body::Form(&[("status", "治理中")]) },
    RouteCase { method: "POST", path: "/restoration/legacy/{id}/photos", who: Only(RESTORERS), ok: 404, body: Body::Form(&[("phase", "治理前")]) },
    RouteCase { method: "GET", path: "/restoration/legacy/{id}/photos/{file}", who: Only(STAFF), ok: 404, body: Body::None },
    RouteCase { method: "GET", path: "/restoration/projects", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/restoration/projects", who: Only(RESTORERS), ok: 422, body: Body::Form(&[("name", "")]) },
    RouteCase { method: "GET", path: "/restoration/projects/{id}", who: Only(STAFF), ok: 404, body: Body::None },
    RouteCase { method: "POST", path: "/restoration/projects/{id}/accept", who: Only(RESTORERS), ok: 404, body: Body::Form(&[("accepted_on", "")]) },
    RouteCase { method: "GET", path: "/restoration/map", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/restoration/map", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/restoration/ledger.xlsx", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/restoration/report.docx", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/restoration/mines", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/restoration/mines/settings", who: Only(RESTORERS), ok: 422, body: Body::Form(&[("max_days_apart", "91")]) },
    RouteCase { method: "GET", path: "/rights/{id}/licences", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/rights/{id}/licences", who: Only(LICENCE_KEEPERS), ok: 422, body: Body::Form(&[("kind", ""), ("number", "")]) },
    RouteCase { method: "POST", path: "/rights/{id}/licences/{lid}", who: Only(LICENCE_KEEPERS), ok: 404, body: Body::Form(&[("kind", "安全生产许可证"), ("valid_from", "2025-13-01")]) },
    RouteCase { method: "GET", path: "/rights/{id}/licences/{lid}/attachment", who: OwnRecords, ok: 404, body: Body::None },
    RouteCase { method: "GET", path: "/rights/{id}/filing", who: OwnRecords, ok: 200, body: Body::None },
    // 三同时与边开采边治理 (issue 15 item 4).
    RouteCase { method: "GET", path: "/rights/{id}/restoration", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/rights/{id}/restoration/plans", who: Only(RESTORERS), ok: 422, body: Body::Form(&[("kind", ""), ("filed_on", "")]) },
    RouteCase { method: "POST", path: "/rights/{id}/restoration/plans/{lid}/approval", who: Only(RESTORERS), ok: 404, body: Body::Form(&[("approved_on", "2026-01-05"), ("approval_number", "文号")]) },
    RouteCase { method: "POST", path: "/rights/{id}/restoration/plans/{lid}/progress", who: Only(RESTORATION_FILERS), ok: 404, body: Body::Form(&[("progress_note", "进展")]) },
    RouteCase { method: "POST", path: "/rights/{id}/restoration/letter", who: Only(RESTORERS), ok: 422, body: Body::Form(&[("signed_on", "")]) },
    RouteCase { method: "POST", path: "/rights/{id}/restoration/acceptance", who: Only(RESTORERS), ok: 422, body: Body::Form(&[("accepted_on", "")]) },
    RouteCase { method: "GET", path: "/applications/{id}/restoration-plans", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/applications/{id}/restoration-plans", who: Only(RESTORERS), ok: 422, body: Body::Form(&[("kind", ""), ("filed_on", "")]) },
    RouteCase { method: "POST", path: "/rights/{id}/filing", who: Only(REPORT_FILERS), ok: 422, body: Body::Form(&[("year", "2025")]) },
    RouteCase { method: "GET", path: "/filings/supervision", who: Only(SUPERVISORS), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/workbench", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/api/corners/check", who: Only(REVIEWERS), ok: 200, body: Body::Json(r#"{"text":"1,4911391.68,44428925.83\n2,4911350.27,44429080.39\n3,4911471.02,44429112.75\n"}"#) },
    RouteCase { method: "POST", path: "/api/measure", who: Public, ok: 200, body: Body::Json(r#"{"geometry":{"type":"LineString","coordinates":[[131.0,44.4],[131.01,44.4]]}}"#) },
    RouteCase { method: "GET", path: "/api/reviews", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/api/reviews", who: Only(REVIEWERS), ok: 201, body: Body::Json(REVIEW_JSON) },
    RouteCase { method: "GET", path: "/api/reviews/{id}", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/layers", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/api/layers", who: Only(PLAN_MANAGERS), ok: 201, body: Body::Json(LAYER_JSON) },
    RouteCase { method: "GET", path: "/api/layers/{id}", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/rights", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/api/rights", who: Only(REVIEWERS), ok: 201, body: Body::Json(RIGHTS_JSON) },
    RouteCase { method: "GET", path: "/api/rights/{id}", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/openapi.json", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/docs", who: Public, ok: 303, body: Body::None },
    RouteCase { method: "GET", path: "/api/docs/", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/docs/{*file}", who: Public, ok: 200, body: Body::None },
    // 异常名录、严重违法失信名单（种子事项已有待核验的移出申请：重复申请、空的核验和移出表单均 422）
    RouteCase { method: "GET", path: "/holder-lists", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/holder-lists", who: Only(LIST_KEEPERS), ok: 422, body: Body::Form(&[("list", "abnormal"), ("holder_name", ""), ("credit_code", ""), ("reason", ""), ("decision_number", ""), ("decision_date", "")]) },
    RouteCase { method: "GET", path: "/holder-lists/queue", who: Only(LIST_KEEPERS), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/holder-lists/limit", who: Only(LIST_KEEPERS), ok: 422, body: Body::Form(&[("verification_limit_days", "0")]) },
    RouteCase { method: "GET", path: "/holder-lists/{id}", who: OwnRecords, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/holder-lists/{id}/apply", who: Only(LIST_APPLICANTS), ok: 422, body: Body::Form(&[("reason", "再次申请")]) },
    RouteCase { method: "POST", path: "/holder-lists/{id}/verify", who: Only(LIST_KEEPERS), ok: 422, body: Body::Form(&[("method", ""), ("result", ""), ("reason", ""), ("verified_on", "")]) },
    RouteCase { method: "POST", path: "/holder-lists/{id}/remove", who: Only(LIST_KEEPERS), ok: 422, body: Body::Form(&[("decision_number", ""), ("decision_date", "")]) },
    RouteCase { method: "GET", path: "/holder-lists/{id}/files/{file}", who: OwnRecords, ok: 200, body: Body::None },
    // 信息公开（门户与数据下载，无需登录）与公示审核（不存在的公示信息：404）
    RouteCase { method: "GET", path: "/public", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/rights", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/rights/map", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/inspections", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/lists", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/blocks", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/implementation", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/restoration-fund", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/feeds/rights.json", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/feeds/rights.csv", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/feeds/rights.geojson", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/feeds/inspections.json", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/feeds/inspections.csv", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/feeds/lists.json", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/feeds/lists.csv", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/feeds/blocks.json", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/feeds/blocks.csv", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/feeds/implementation.json", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/feeds/implementation.csv", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/feeds/restoration-fund.json", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/feeds/restoration-fund.csv", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/publications", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/publications", who: Only(PUBLISHERS), ok: 422, body: Body::Form(&[("kind", ""), ("year", "")]) },
    RouteCase { method: "POST", path: "/publications/settings", who: Only(ADMIN), ok: 303, body: Body::Form(&[("results_within_days", "20")]) },
    RouteCase { method: "GET", path: "/publications/{id}", who: Only(STAFF), ok: 404, body: Body::None },
    RouteCase { method: "POST", path: "/publications/{id}/submit", who: Only(PUBLISHERS), ok: 404, body: Body::Form(&[]) },
    RouteCase { method: "POST", path: "/publications/{id}/approve", who: Only(PUBLISHERS), ok: 404, body: Body::Form(&[("confirm", "1")]) },
    RouteCase { method: "POST", path: "/publications/{id}/return", who: Only(PUBLISHERS), ok: 404, body: Body::Form(&[("reason", "矩阵测试")]) },
    RouteCase { method: "POST", path: "/publications/{id}/withdraw", who: Only(PUBLISHERS), ok: 404, body: Body::Form(&[("reason", "矩阵测试"), ("confirm", "1")]) },
    // 检查任务与检查记录（抽查对象不存在：404）、年度抽查结果、本企业检查记录
    RouteCase { method: "GET", path: "/checks", who: Only(CHECKERS), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/checks/results.xlsx", who: Only(CHECKERS), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/checks/results.docx", who: Only(CHECKERS), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/checks/files/{id}", who: Only(CHECKERS), ok: 404, body: Body::None },
    RouteCase { method: "GET", path: "/checks/{id}", who: Only(CHECKERS), ok: 404, body: Body::None },
    RouteCase { method: "POST", path: "/checks/{id}", who: Only(CHECKERS), ok: 404, body: Body::Form(&[("check_date", "")]) },
    RouteCase { method: "POST", path: "/checks/{id}/evidence", who: Only(CHECKERS), ok: 404, body: Body::Form(&[]) },
    RouteCase { method: "POST", path: "/checks/{id}/acceptance", who: Only(CHECKERS), ok: 404, body: Body::Form(&[("date", "")]) },
    RouteCase { method: "GET", path: "/checks/{id}/record.docx", who: Only(CHECKERS), ok: 404, body: Body::None },
    RouteCase { method: "GET", path: "/checks/{id}/notice.docx", who: Only(CHECKERS), ok: 404, body: Body::None },
    RouteCase { method: "GET", path: "/company/checks", who: Only(COMPANY), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/company/checks/{id}", who: Only(COMPANY), ok: 404, body: Body::None },
    RouteCase { method: "POST", path: "/company/checks/{id}/report", who: Only(COMPANY), ok: 404, body: Body::Form(&[("text", "")]) },
    // 双随机抽查（空名录库和计划：编号不存在，404；空表单重新显示并列出问题，不写入）
    RouteCase { method: "GET", path: "/inspections/inspectors", who: Only(INSPECTION_MANAGERS), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/inspections/inspectors", who: Only(INSPECTION_MANAGERS), ok: 422, body: Body::Form(&[("name", ""), ("badge_no", ""), ("unit", "")]) },
    RouteCase { method: "GET", path: "/inspections/inspectors/{id}", who: Only(INSPECTION_MANAGERS), ok: 404, body: Body::None },
    RouteCase { method: "POST", path: "/inspections/inspectors/{id}", who: Only(INSPECTION_MANAGERS), ok: 404, body: Body::Form(&[("name", ""), ("badge_no", ""), ("unit", "")]) },
    RouteCase { method: "POST", path: "/inspections/inspectors/{id}/recusals", who: Only(INSPECTION_MANAGERS), ok: 404, body: Body::Form(&[("kind", "holder"), ("value", "")]) },
    RouteCase { method: "POST", path: "/inspections/recusals/{id}/remove", who: Only(INSPECTION_MANAGERS), ok: 404, body: Body::Form(&[]) },
    RouteCase { method: "GET", path: "/inspections/items", who: Only(INSPECTION_MANAGERS), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/inspections/items", who: Only(INSPECTION_MANAGERS), ok: 422, body: Body::Form(&[("code", ""), ("proportion_pct", "")]) },
    RouteCase { method: "GET", path: "/inspections/items/{id}", who: Only(INSPECTION_MANAGERS), ok: 404, body: Body::None },
    RouteCase { method: "POST", path: "/inspections/items/{id}", who: Only(INSPECTION_MANAGERS), ok: 404, body: Body::Form(&[("code", "")]) },
    RouteCase { method: "GET", path: "/inspections/candidates", who: Only(INSPECTION_MANAGERS), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/inspections/plans", who: Only(INSPECTION_MANAGERS), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/inspections/plans", who: Only(INSPECTION_MANAGERS), ok: 422, body: Body::Form(&[("year", ""), ("name", "")]) },
    RouteCase { method: "GET", path: "/inspections/plans/{id}", who: Only(INSPECTION_MANAGERS), ok: 404, body: Body::None },
    RouteCase { method: "POST", path: "/inspections/plans/{id}/commit", who: Only(INSPECTION_MANAGERS), ok: 404, body: Body::Form(&[("confirm", "yes")]) },
    RouteCase { method: "POST", path: "/inspections/plans/{id}/draw", who: Only(INSPECTION_MANAGERS), ok: 404, body: Body::Form(&[("confirm", "yes")]) },
    RouteCase { method: "POST", path: "/inspections/plans/{id}/redraw", who: Only(INSPECTION_MANAGERS), ok: 404, body: Body::Form(&[("reason", ""), ("confirm", "yes")]) },
    RouteCase { method: "GET", path: "/public/draws", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/public/draws/verify", who: Public, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/public/draws/verify", who: Public, ok: 422, body: Body::Multipart(&[], ("package", "package.json", "{}")) },
    RouteCase { method: "GET", path: "/public/draws/{id}", who: Public, ok: 404, body: Body::None },
    RouteCase { method: "GET", path: "/public/draws/{id}/inputs.json", who: Public, ok: 404, body: Body::None },
    RouteCase { method: "GET", path: "/public/draws/{id}/package.json", who: Public, ok: 404, body: Body::None },
    RouteCase { method: "POST", path: "/public/draws/{id}/verify", who: Public, ok: 404, body: Body::Form(&[]) },
    // 治理恢复基金（矿山、整改通知、列入建议不存在：404；空表单 422，不写入）
    RouteCase { method: "GET", path: "/restoration/fund", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/restoration/fund/settings", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/restoration/fund/settings/coefficients", who: Only(RESTORERS), ok: 422, body: Body::Form(&[("kind", "mineral"), ("key", ""), ("value", "")]) },
    RouteCase { method: "POST", path: "/restoration/fund/settings/period", who: Only(RESTORERS), ok: 422, body: Body::Form(&[("rectification_days", "0")]) },
    RouteCase { method: "POST", path: "/restoration/fund/proposals/{id}/confirm", who: Only(LIST_KEEPERS), ok: 404, body: Body::Form(&[("decision_number", "矩阵"), ("decision_date", "2026-01-05")]) },
    RouteCase { method: "POST", path: "/restoration/fund/proposals/{id}/dismiss", who: Only(LIST_KEEPERS), ok: 404, body: Body::Form(&[("reason", "矩阵测试")]) },
    RouteCase { method: "POST", path: "/restoration/fund/orders/{id}/propose", who: Only(RESTORERS), ok: 404, body: Body::Form(&[]) },
    RouteCase { method: "GET", path: "/restoration/fund/{id}", who: OwnRecords, ok: 404, body: Body::None },
    RouteCase { method: "POST", path: "/restoration/fund/{id}/entries", who: Only(RESTORATION_FILERS), ok: 404, body: Body::Form(&[("kind", "accrual")]) },
    RouteCase { method: "POST", path: "/restoration/fund/{id}/outputs", who: Only(RESTORATION_FILERS), ok: 404, body: Body::Form(&[("quarter", "")]) },
    RouteCase { method: "POST", path: "/restoration/fund/{id}/method", who: Only(RESTORERS), ok: 404, body: Body::Form(&[("method", "")]) },
    RouteCase { method: "POST", path: "/restoration/fund/{id}/orders", who: Only(RESTORERS), ok: 404, body: Body::Form(&[("quarter", "")]) },
    RouteCase { method: "GET", path: "/company/fund", who: Only(RESTORATION_FILERS), ok: 200, body: Body::None },
    // 绿色矿山（名录、评价清单、自评与评估；编号不存在：404；空表单重新显示并列出问题，不写入）
    RouteCase { method: "GET", path: "/green-mines", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "GET", path: "/api/green-mines", who: Only(STAFF), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/green-mines/listings", who: Only(RESTORERS), ok: 422, body: Body::Form(&[("mine", ""), ("level", ""), ("date_in", "")]) },
    RouteCase { method: "POST", path: "/green-mines/listings/{id}/remove", who: Only(RESTORERS), ok: 404, body: Body::Form(&[("date_out", "")]) },
    RouteCase { method: "GET", path: "/green-mines/checklist", who: LoggedIn, ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/green-mines/checklist", who: Only(RESTORERS), ok: 422, body: Body::Form(&[("text", "")]) },
    RouteCase { method: "GET", path: "/green-mines/assessments", who: Only(RESTORATION_FILERS), ok: 200, body: Body::None },
    RouteCase { method: "POST", path: "/green-mines/assessments", who: Only(RESTORATION_FILERS), ok: 422, body: Body::Form(&[("mine", "")]) },
    RouteCase { method: "GET", path: "/green-mines/assessments/{id}", who: OwnRecords, ok: 404, body: Body::None },
    RouteCase { method: "POST", path: "/green-mines/assessments/{id}/self", who: Only(RESTORATION_FILERS), ok: 404, body: Body::Form(&[("action", "save")]) },
    RouteCase { method: "POST", path: "/green-mines/assessments/{id}/evaluation", who: Only(RESTORERS), ok: 404, body: Body::Form(&[("date", "")]) },
    RouteCase { method: "GET", path: "/green-mines/assessments/{id}/files/{file}", who: OwnRecords, ok: 404, body: Body::None },
    // 退出登录（最后走：之后重新登录）
    RouteCase { method: "POST", path: "/logout", who: Public, ok: 303, body: Body::Form(&[]) },
    RouteCase { method: "DELETE", path: "/api/session", who: Public, ok: 200, body: Body::Json("{}") },
];

fn allowed(who: Who, role: Option<Role>) -> bool {
    match (who, role) {
        (Public, _) => true,
        (_, None) => false,
        (LoggedIn | OwnRecords, Some(_)) => true,
        (Only(roles), Some(r)) => roles.contains(&r),
    }
}

/// The cell of `docs/roles.md` for a role.
fn mark(who: Who, role: Option<Role>) -> &'static str {
    match (who, role) {
        (OwnRecords, Some(Role::Company)) => "本企业",
        _ if allowed(who, role) => "✓",
        _ => "✗",
    }
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

/// Things that exist, for the paths' parameters.
struct Ids {
    user: i64,
    review: i64,
    layer: i64,
    right: &'static str,
    /// A list entry of the company with a 移出申请 and its file.
    list_entry: i64,
    list_file: i64,
}

/// Fills the path's parameters with existing things.
fn concrete(path: &str, ids: &Ids) -> String {
    let id = if path.contains("/plans/") {
        "1".to_string()
    } else if path.contains("/reviews/") {
        ids.review.to_string()
    } else if path.contains("/layers/") {
        ids.layer.to_string()
    } else if path.starts_with("/holder-lists/") {
        ids.list_entry.to_string()
    } else if path.starts_with("/publications/{") {
        "999999".to_string()
    } else if path.starts_with("/applications/") {
        "SFH-MATRIX-SEED".to_string()
    } else if path.starts_with("/api/rights/{id}/") {
        // The lifecycle routes are walked on a right that does not exist (404 after the
        // role check): their success paths are in monitoring_http.rs.
        "C-NONE".to_string()
    } else if path.contains("/rights/") {
        ids.right.to_string()
    } else {
        ids.user.to_string()
    };
    path.replace("{kind}", "ecological_red_line")
        .replace("{*path}", "app.css")
        .replace("{*file}", "swagger-initializer.js")
        .replace(
            "{file}",
            &if path.starts_with("/holder-lists/") {
                ids.list_file.to_string()
            } else {
                "0".to_string()
            },
        )
        .replace("{lid}", "1")
        .replace("{job}", "999999")
        .replace("{id}", &id)
}

async fn send(c: &Client, base: &str, r: &RouteCase, ids: &Ids) -> reqwest::Response {
    let url = format!("{base}{}", concrete(r.path, ids));
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
            Body::Multipart(fields, (name, file_name, content)) => {
                let mut form = reqwest::multipart::Form::new().text("csrf_token", csrf);
                for (k, v) in fields {
                    form = form.text(*k, *v);
                }
                form = form.part(
                    name,
                    reqwest::multipart::Part::bytes(content.as_bytes()).file_name(file_name),
                );
                req.multipart(form)
            }
        };
    }
    req.send().await.unwrap()
}

/// A review, an imported layer and a right of the 矿山企业 test account (credit code
/// 91350100M000100Y43), so that the company sees them as its own.
async fn seed(srv: &Server, user: i64) -> Ids {
    use minplan_store::{Actor, LayerImport, ReviewEngine};
    let store = &srv.store;
    let engine = ReviewEngine::load(store).await.unwrap();
    let toml = format!(
        "format = \"minplan-application/1\"\nnumber = \"SFH-MATRIX-SEED\"\nkind = \"新立\"\nright_kind = \"采矿权\"\nproject_name = \"矩阵测试采石场\"\nminerals = [\"建筑用凝灰岩\"]\nmining_method = \"露天\"\ncapacity = {{ value = 6, unit = \"万立方米/年\" }}\n[holder]\nname = \"矩阵公司\"\ncredit_code = \"91350100M000100Y43\"\n[grant]\nmethod = \"挂牌\"\n[documents]\ndevelopment_plan = true\nrestoration_plan = true\ngreen_mine_commitment = true\n[coordinates]\ntext = \"\"\"\n{QINGFA_CORNERS}\"\"\"\n"
    );
    let app = engine.parse(&toml, None).unwrap();
    let (review, _) = engine
        .review_and_save(store, &app, &toml, None, &Actor::System)
        .await
        .unwrap();
    let zone = engine.plan.loaded.plan.region.zone;
    let layer = store
        .import_layer(
            &LayerImport {
                kind: minplan_domain::plan::ControlLayerKind::UrbanDevelopmentBoundary,
                name: "城镇开发边界（矩阵）",
                source_file: "seed.geojson",
                files: &[minplan_io::InputFile {
                    name: "layer.geojson".into(),
                    bytes: LAYER_GEOJSON.as_bytes().to_vec(),
                }],
                read: &minplan_io::ReadOptions::default(),
                declared: None,
                zone,
                buffer_m: None,
            },
            &Actor::System,
        )
        .await
        .unwrap()
        .id;
    store
        .import_rights(
            &RIGHTS_GEOJSON.replace("C-MATRIX-2", "C-MATRIX-1"),
            "seed.geojson",
            zone,
            &Actor::System,
        )
        .await
        .unwrap();
    let list_entry = store
        .list_holder(
            &minplan_domain::supervision::listing::ListingRequest {
                list: minplan_domain::supervision::listing::HolderList::Abnormal,
                holder_name: "矩阵公司".into(),
                credit_code: "91350100M000100Y43".into(),
                reason: minplan_domain::supervision::listing::ListingReason::NotFiled,
                reason_text: String::new(),
                decision_number: "矩阵〔2026〕1号".into(),
                decision_date: minplan_domain::date::Date::parse("2026-01-05").unwrap(),
            },
            &Actor::System,
        )
        .await
        .unwrap();
    store
        .apply_list_removal(
            list_entry,
            None,
            minplan_domain::date::Date::parse("2026-01-06").unwrap(),
            "已补报",
            &[minplan_store::UploadedFile {
                file_name: "回执.pdf".into(),
                bytes: b"%PDF".to_vec(),
            }],
            &Actor::System,
        )
        .await
        .unwrap();
    let list_file = store.list_entry(list_entry).await.unwrap().steps[1].files[0].0;
    Ids {
        user,
        review,
        layer,
        right: "C-MATRIX-1",
        list_entry,
        list_file,
    }
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
    let ids = seed(&srv, victim.id).await;
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
            let res = send(&c, base, r, &ids).await;
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
