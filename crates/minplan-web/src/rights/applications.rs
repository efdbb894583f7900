//! 登记办理 of an application (`/applications/{number}`, 系统管理员 and 审批科): its standing in
//! the register with the forms for 决定 (批准 / 不予批准), 办结 (不予受理 / 退回 / 不予批准, with
//! the reason), 出让 and 登记 — the 出让 and 登记 forms start from what the application says
//! (出让方式, 净矿出让, 项目名称, the block's 发证层级) and show what the registration takes
//! from it (矿种, 开采方式, 规模, 面积, 矿业权人). Each form calls the same store function as
//! the JSON API ([`super::api`]) and the CLI.

use super::forms::*;
use crate::AppState;
use crate::http::auth::{actor, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, SubmittedForm};
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::application::{ApplicationKind, GrantMethod};
use minplan_domain::plan::ApprovalLevel;
use minplan_domain::register::{
    ApplicationClosing, ApplicationFacts, ApplicationStatus, ClosingKind, Decision, Grant,
    Registration,
};
use minplan_store::{StoreError, User};
use std::collections::HashMap;
// ---------------------------------------------------------------------------------------
// Applications: 决定, 出让, 登记.

#[derive(Template)]
#[template(path = "application.html")]
struct ApplicationPage {
    layout: Layout,
    a: ApplicationFacts,
    enc: String,
    kind: &'static str,
    right_kind: &'static str,
    status: &'static str,
    conclusion: &'static str,
    pending_check: bool,
    grant: Option<(String, String)>,
    can_decide: bool,
    can_grant: bool,
    can_register: bool,
    /// 办结 (不予受理 / 退回 / 不予批准) is offered: the application is 在审.
    can_close: bool,
    /// How it was closed: (date, reason), once closed.
    closing: Option<(String, String)>,
    /// 联合审查 (新立 only): where it stands, for the link to its page.
    joint_review: Option<String>,
    /// What the registration takes from the application: (label, value).
    carried: Vec<(&'static str, String)>,
    /// For 延续, 变更, 转让 applications: where they are handled.
    handled_on_right: Option<(String, &'static str)>,
    trail: Vec<crate::http::words::TrailView>,
    notice: String,
    f: Submitted,
}

async fn render_application(
    st: &AppState,
    number: &str,
    status: StatusCode,
    f: Submitted,
    notice: String,
) -> Result<Response, AppError> {
    let a = match st.store.application_facts(number).await {
        Ok(a) => a,
        Err(StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
        Err(e) => return Err(e.into()),
    };
    let sp = st.plan().await;
    let approved = a.status == ApplicationStatus::Approved;
    let mut f = f;
    f.prefill = prefill(&a);
    let carried = carried(&a);
    let closing = st.store.application_closing(number).await?;
    let joint_review = if minplan_domain::register::joint_review::required(a.kind) {
        Some(match st.store.joint_review(number).await? {
            None => "未启动（出让前须完成）".to_string(),
            Some(r) => match &r.completion {
                Ok(_) => "已完成".to_string(),
                Err(missing) => format!("尚未完成（{} 项待办）", missing.len()),
            },
        })
    } else {
        None
    };
    let registers = matches!(
        a.kind,
        ApplicationKind::New | ApplicationKind::ExplorationToMining
    );
    let page = ApplicationPage {
        layout: layout(&sp, "rights"),
        enc: segment(&a.number),
        kind: a.kind.label(),
        right_kind: a.right_kind.label(),
        status: a.shown_status(),
        conclusion: a.conclusion.label(),
        pending_check: a.conclusion == minplan_domain::review::Conclusion::ConformingPendingCheck,
        grant: a.grant.as_ref().map(|g| {
            (
                format!(
                    "{}{}，{} 万元",
                    g.method.label(),
                    if g.net_mineral {
                        "（净矿出让）"
                    } else {
                        ""
                    },
                    crate::http::views::num(g.price_wan_yuan)
                ),
                format!(
                    "{}{}",
                    g.date,
                    g.contract
                        .as_deref()
                        .map(|c| format!("，合同 {c}"))
                        .unwrap_or_default()
                ),
            )
        }),
        can_decide: a.status == ApplicationStatus::Pending,
        can_grant: approved && a.kind == ApplicationKind::New && a.grant.is_none(),
        can_register: approved && registers && a.used_for.is_none(),
        can_close: a.status == ApplicationStatus::Pending,
        closing,
        joint_review,
        carried,
        handled_on_right: match (&a.kind, &a.existing_right) {
            (ApplicationKind::Extension, Some(r)) => Some((r.clone(), "延续")),
            (ApplicationKind::Change, Some(r)) => Some((r.clone(), "变更")),
            (ApplicationKind::Transfer, Some(r)) => Some((r.clone(), "转让")),
            _ => None,
        },
        trail: crate::http::words::People::load(&st.store)
            .await?
            .trail(&st.store.audit_trail("application", &a.number).await?),
        notice,
        f,
        a,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// What the forms start from: the 出让 form from the 出让方式 and 净矿出让 the application asks
/// for; the 登记 form from its 项目名称 (矿山名称) and the 发证层级 of the planning block the
/// review placed it in.
fn prefill(a: &ApplicationFacts) -> Vec<(&'static str, &'static str, String)> {
    let mut p = Vec::new();
    if let Some(m) = a.requested_grant {
        p.push(("grant", "method", m.label().to_string()));
    }
    if a.requested_net_mineral {
        p.push(("grant", "net_mineral", "on".to_string()));
    }
    if !a.project_name.trim().is_empty() {
        p.push(("register", "name", a.project_name.clone()));
    }
    if let Some((_, level)) = &a.block {
        p.push(("register", "approval", level.label().to_string()));
    }
    p
}

/// What a registration takes from the application as it stands (shown on the 登记 form).
fn carried(a: &ApplicationFacts) -> Vec<(&'static str, String)> {
    let mut c = vec![
        (
            "矿业权人",
            format!("{}（{}）", a.holder_name, a.credit_code),
        ),
        ("矿种", a.minerals.join("、")),
    ];
    if let Some(m) = a.mining_method {
        c.push(("开采方式", m.label().to_string()));
    }
    if let Some(q) = a.capacity {
        c.push((
            "生产规模",
            format!("{} {}", crate::http::views::num(q.value), q.unit.symbol()),
        ));
    }
    if let Some(km2) = a.area_km2 {
        c.push((
            "矿区面积",
            format!("{} 平方千米", crate::http::views::num(km2)),
        ));
    }
    if let Some((top, bottom)) = a.elevation {
        c.push((
            "开采标高",
            format!(
                "{} 米至 {} 米",
                crate::http::views::num(top),
                crate::http::views::num(bottom)
            ),
        ));
    }
    if let Some(g) = &a.grant {
        c.push(("出让方式", g.method.label().to_string()));
    } else if let Some(m) = a.requested_grant {
        c.push(("出让方式（申请）", m.label().to_string()));
    }
    c
}

/// `GET /applications/{number}`: an application's standing in the register (审查结论, 决定,
/// 出让, 登记) with the forms for the next steps (系统管理员, 审批科).
pub async fn application_page(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ManageRegister>,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = match q.get("done").map(String::as_str) {
        Some("decision") => "已记录决定，已记入操作日志。".to_string(),
        Some("closing") => "申请已办结，不再作为在审申请参与审查，已记入操作日志。".to_string(),
        Some("grant") => "已记录出让，已记入操作日志。".to_string(),
        Some("register") => "已登记矿业权，已记入登记事项和操作日志。".to_string(),
        _ => String::new(),
    };
    render_application(&st, &number, StatusCode::OK, Submitted::default(), notice).await
}

enum AppAction {
    Decide(Decision),
    Close(ApplicationClosing),
    Grant(Grant),
    Register(Registration),
}

fn read_app_action(action: &str, f: &SubmittedForm, e: &mut FieldErrors) -> Option<AppAction> {
    Some(match action {
        "decision" => {
            let approve = match f.get("decision").trim() {
                "approve" | "批准" => Some(true),
                "refuse" | "不予批准" => Some(false),
                _ => {
                    e.push("decision", "请选择批准或不予批准");
                    None
                }
            };
            let date = date_field(f, "date", "决定日期", e);
            // Every field's problem at once: the reason a refusal needs is checked here too,
            // not only after the other fields are right.
            if approve == Some(false) && trimmed(f, "reason").is_none() {
                e.push("reason", "不予批准须写明理由");
            }
            AppAction::Decide(Decision {
                approve: approve?,
                date: date?,
                accepted_checks: trimmed(f, "accepted_checks"),
                reason: trimmed(f, "reason"),
            })
        }
        "closing" => {
            let kind = match ClosingKind::parse(f.get("kind").trim()) {
                Some(k) => Some(k),
                None => {
                    e.push("kind", "请选择办结方式：不予受理、退回或不予批准");
                    None
                }
            };
            let date = date_field(f, "date", "办结日期", e);
            let reason = f.get("reason").trim().to_string();
            if reason.is_empty() {
                e.push(
                    "reason",
                    format!("{}须写明理由", kind.map_or("办结", |k| k.label())),
                );
            }
            AppAction::Close(ApplicationClosing {
                kind: kind?,
                date: date?,
                reason,
            })
        }
        "grant" => {
            let method = match GrantMethod::parse(f.get("method").trim()) {
                Some(m) => Some(m),
                None => {
                    e.push("method", "请选择出让方式：招标、拍卖、挂牌或协议");
                    None
                }
            };
            let price = number_field(f, "price", "出让收益（价款，万元）", e);
            let date = date_field(f, "date", "出让日期", e);
            AppAction::Grant(Grant {
                method: method?,
                net_mineral: f.checked("net_mineral"),
                price_wan_yuan: price?,
                date: date?,
                contract: trimmed(f, "contract"),
            })
        }
        "register" => {
            let licence = f.get("licence").trim().to_string();
            if licence.is_empty() {
                e.push("licence", "请填写许可证号");
            }
            let from = date_field(f, "valid_from", "有效期起", e);
            let to = date_field(f, "valid_to", "有效期止", e);
            let date = match trimmed(f, "date") {
                None => from,
                Some(_) => date_field(f, "date", "登记日期", e),
            };
            let approval = match f.get("approval").trim() {
                "" => None,
                a => ApprovalLevel::parse(a).or_else(|| {
                    e.push(
                        "approval",
                        format!("发证层级应为 {} 之一", ApprovalLevel::ACCEPTED),
                    );
                    None
                }),
            };
            AppAction::Register(Registration {
                licence,
                date: date?,
                valid_from: from?,
                valid_to: to?,
                name: trimmed(f, "name"),
                capacity: None,
                elevation: None,
                area_km2: None,
                approval,
                mine_id: None,
            })
        }
        _ => return None,
    })
}

async fn application_submit(
    st: &AppState,
    user: &User,
    number: &str,
    action: &'static str,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    // 404 for an application that was never reviewed.
    if let Err(StoreError::NotFound(m)) = st.store.application_facts(number).await {
        return Err(AppError::NotFound(m));
    }
    let form = SubmittedForm::read(headers, body).await;
    let mut errors = FieldErrors::default();
    if let Some(p) = &form.problem {
        errors.push("form", p.clone());
    }
    let refuse = |errors: FieldErrors, form: SubmittedForm| {
        render_application(
            st,
            number,
            StatusCode::UNPROCESSABLE_ENTITY,
            Submitted::refused(action, errors, form),
            String::new(),
        )
    };
    let parsed = match read_app_action(action, &form, &mut errors) {
        Some(p) if errors.is_empty() => p,
        _ => return refuse(errors, form).await,
    };
    let who = actor(user);
    let _guard = st.write_lock().await;
    let s = &st.store;
    let result = match &parsed {
        AppAction::Decide(d) => s.decide_application(number, d, &who).await.map(|_| ()),
        AppAction::Close(c) => s.close_application(number, c, &who).await.map(|_| ()),
        AppAction::Grant(g) => s.record_grant(number, g, &who).await,
        AppAction::Register(r) => s.register_right(number, r, &who).await.map(|_| ()),
    };
    match result {
        Ok(()) => {
            st.rebuild_engine().await?;
            Ok(
                Redirect::to(&format!("/applications/{}?done={action}", segment(number)))
                    .into_response(),
            )
        }
        Err(StoreError::Invalid(fs)) => refuse(store_errors(fs), form).await,
        Err(StoreError::NotFound(m)) => {
            errors.push("application", m);
            refuse(errors, form).await
        }
        Err(e) => Err(e.into()),
    }
}

macro_rules! application_form {
    ($(#[$doc:meta])* $name:ident, $action:literal) => {
        $(#[$doc])*
        pub async fn $name(
            State(st): State<AppState>,
            RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
            Path(number): Path<String>,
            headers: HeaderMap,
            body: Bytes,
        ) -> Result<Response, AppError> {
            application_submit(&st, &user, &number, $action, &headers, body).await
        }
    };
}

application_form!(
    /// `POST /applications/{number}/decision`: 批准 / 不予批准 (基本符合的申请批准时须填人工核查意见;
    /// 不予批准须写理由).
    decision_submit, "decision"
);
application_form!(
    /// `POST /applications/{number}/close`: 办结 — 不予受理 / 退回 / 不予批准 with the date and
    /// reason; the application is then no longer 在审.
    closing_submit, "closing"
);
application_form!(
    /// `POST /applications/{number}/grant`: 出让 (招标、拍卖、挂牌、协议; 净矿出让; 价款).
    grant_submit, "grant"
);
application_form!(
    /// `POST /applications/{number}/register`: 登记 (许可证号, 有效期起止, 发证层级).
    register_submit, "register"
);

// ---------------------------------------------------------------------------------------
// 申请: the list of every application, searched, filtered, sorted, paged and exported.

/// The filters of the 申请 list, with their labels.
const APPLICATION_FILTERS: [(&str, &str); 5] = [
    ("q", "查找"),
    ("status", "状态"),
    ("kind", "申请类型"),
    ("right_kind", "矿业权类型"),
    ("conclusion", "最近审查结论"),
];

/// The sortable columns of the list: (key, label, class).
const APPLICATION_COLUMNS: [(&str, &str, &str); 8] = [
    ("number", "申请编号", ""),
    ("kind", "申请类型", ""),
    ("project", "项目名称", ""),
    ("holder", "申请人", ""),
    ("", "矿业权类型", ""),
    ("received", "受理日期", ""),
    ("status", "状态", ""),
    ("conclusion", "最近审查结论", ""),
];

/// 申请 statuses as people read them: the stored ones, 已登记 (an approved application used for
/// the register) and the closings 不予受理 / 退回.
const APPLICATION_STATUSES: [&str; 7] = [
    "在审",
    "已批准",
    "已登记",
    "不予批准",
    "不予受理",
    "退回",
    "撤回",
];

fn application_list_query(q: &HashMap<String, String>) -> crate::http::listing::ListQuery {
    let keys: Vec<&'static str> = APPLICATION_FILTERS.iter().map(|(k, _)| *k).collect();
    crate::http::listing::ListQuery::parse("/applications", q, &keys, "created_at", true)
}

fn application_store_query(
    l: &crate::http::listing::ListQuery,
    user: &User,
) -> minplan_store::ApplicationQuery {
    minplan_store::ApplicationQuery {
        q: l.get("q").into(),
        status: l.get("status").into(),
        kind: l.get("kind").into(),
        right_kind: l.get("right_kind").into(),
        conclusion: l.get("conclusion").into(),
        credit_code: crate::http::auth::own_credit_code(user).map(str::to_string),
        sort: l.sort.clone(),
        desc: l.desc,
    }
}

/// A filter select of the list: (name, label, options, chosen).
pub struct Select {
    name: &'static str,
    label: &'static str,
    options: Vec<String>,
    chosen: String,
}

#[derive(Template)]
#[template(path = "applications.html")]
struct ApplicationsPage {
    layout: Layout,
    rows: Vec<minplan_store::ApplicationRecord>,
    headers: Vec<crate::http::listing::SortHeader>,
    pager: crate::http::listing::Pager,
    search: String,
    selects: Vec<Select>,
    filtered: bool,
    can_manage: bool,
    own_only: bool,
}

/// `GET /applications?q=&status=&kind=&right_kind=&conclusion=&sort=&dir=&page=&per=`: every
/// application with its latest review, newest first unless sorted otherwise, a page at a time
/// (a 矿山企业 sees its own; 系统管理员 and 审批科 open each for 登记办理).
pub async fn list_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRegister>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let mut l = application_list_query(&q);
    let query = application_store_query(&l, &user);
    let (mut total, mut rows) = st.store.applications_page(&query, Some(l.window())).await?;
    let asked = l.page;
    l.clamp(total);
    if l.page != asked {
        (total, rows) = st.store.applications_page(&query, Some(l.window())).await?;
    }
    let select = |name: &'static str, label, options: Vec<String>| Select {
        name,
        label,
        chosen: l.get(name).to_string(),
        options,
    };
    let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let page = ApplicationsPage {
        layout: layout(&sp, "rights"),
        rows,
        headers: l.headers(&APPLICATION_COLUMNS),
        pager: l.pager(total, "/applications/list.xlsx"),
        search: l.get("q").to_string(),
        selects: vec![
            select("status", "状态", strings(&APPLICATION_STATUSES)),
            select(
                "kind",
                "申请类型",
                [
                    ApplicationKind::New,
                    ApplicationKind::Extension,
                    ApplicationKind::Change,
                    ApplicationKind::ExplorationToMining,
                    ApplicationKind::Transfer,
                ]
                .iter()
                .map(|k| k.label().to_string())
                .collect(),
            ),
            select("right_kind", "矿业权类型", strings(&["探矿权", "采矿权"])),
            select(
                "conclusion",
                "最近审查结论",
                strings(&["符合", "基本符合（需人工核查）", "不符合"]),
            ),
        ],
        filtered: l.filtered(),
        can_manage: crate::http::auth::allowed(
            Some(user.role),
            crate::http::auth::Permission::ManageRegister,
        ),
        own_only: crate::http::auth::own_credit_code(&user).is_some(),
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /applications/list.xlsx?…`: every application of the list as filtered and sorted, as
/// an Excel table.
pub async fn list_xlsx(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRegister>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    use crate::http::listing;
    use minplan_report::{Cell, Column, Table};
    let l = application_list_query(&q);
    let (_, rows) = st
        .store
        .applications_page(&application_store_query(&l, &user), None)
        .await?;
    let columns = vec![
        Column::new("申请编号", 20.0),
        Column::new("申请类型", 10.0),
        Column::new("项目名称", 36.0),
        Column::new("申请人", 30.0),
        Column::new("统一社会信用代码", 22.0),
        Column::new("矿业权类型", 10.0),
        Column::new("矿种", 18.0),
        Column::new("受理日期", 14.0),
        Column::new("状态", 10.0),
        Column::new("最近审查结论", 22.0),
        Column::new("最近审查时间（北京时间）", 22.0),
    ];
    let rows: Vec<Vec<Cell>> = rows
        .iter()
        .map(|a| {
            vec![
                Cell::text(&a.number),
                Cell::text(&a.kind),
                Cell::text(&a.project_name),
                Cell::text(&a.holder_name),
                Cell::text(&a.credit_code),
                Cell::text(&a.right_kind),
                Cell::text(a.minerals.join("、")),
                Cell::date_text(a.received.as_deref()),
                Cell::text(&a.status),
                Cell::text(a.conclusion.clone().unwrap_or_else(|| "未审查".into())),
                a.reviewed_at
                    .as_deref()
                    .map_or(Cell::Empty, listing::beijing_cell),
            ]
        })
        .collect();
    let table = Table {
        sheet: "申请".into(),
        columns,
        about: listing::about(
            "申请",
            l.describe(&APPLICATION_FILTERS),
            &l.sort_label(&APPLICATION_COLUMNS, "首次审查时间"),
            rows.len(),
        ),
        rows,
    };
    listing::xlsx_download(&table, "申请", "applications")
}
