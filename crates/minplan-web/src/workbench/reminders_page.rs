//! 监管提醒 (`/reminders`): every reminder of the 工作台 — from the register and monitoring
//! ([`minplan_store::Store::reminders`]) and applications 在审 too long — counted by kind,
//! filtered by kind, urgency and text, most urgent first, a page at a time, and as an Excel
//! table. A 矿山企业 account sees its own.

use super::{WorkbenchReminder, count_by_kind, reminder_rules, reminders, today_in_china};
use crate::AppState;
use crate::http::auth::{may_see, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::listing::{self, ListQuery, Pager};
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use minplan_store::User;
use std::collections::HashMap;

/// The filters, with their labels.
const FILTERS: [(&str, &str); 3] = [("kind", "类别"), ("urgency", "紧急程度"), ("q", "查找")];

/// A filter's value as people read it (the 说明 sheet of the export): a kind by its title,
/// an urgency as 紧急 / 提示; `None` for text (shown as typed).
fn filter_value(key: &str, value: &str, every: &[WorkbenchReminder]) -> Option<String> {
    match key {
        "kind" => Some(
            every
                .iter()
                .find(|r| r.kind == value)
                .map(|r| r.title.clone())
                .or_else(|| {
                    // A kind no current reminder has: the domain's title (or 在审超期).
                    if value == "pending_overdue" {
                        return Some(super::PENDING_OVERDUE_TITLE.to_string());
                    }
                    minplan_domain::monitoring::ReminderKind::ALL
                        .into_iter()
                        .find(|k| k.slug() == value)
                        .map(|k| k.title().to_string())
                })
                .unwrap_or_else(|| format!("未知类别“{value}”")),
        ),
        "urgency" => Some(match value {
            "urgent" => "紧急".to_string(),
            "soon" => "提示".to_string(),
            other => format!("未知紧急程度“{other}”"),
        }),
        _ => None,
    }
}

/// One kind with its count, as the page links it.
pub struct KindLink {
    kind: String,
    title: String,
    count: usize,
    urgent: usize,
    href: String,
    chosen: bool,
}

#[derive(Template)]
#[template(path = "reminders.html")]
struct RemindersPage {
    layout: Layout,
    rows: Vec<WorkbenchReminder>,
    pager: Pager,
    total_all: usize,
    kinds: Vec<KindLink>,
    all_href: String,
    urgency: String,
    search: String,
    filtered: bool,
    rules: Vec<String>,
    today: String,
}

fn list_query(q: &HashMap<String, String>) -> ListQuery {
    let keys: Vec<&'static str> = FILTERS.iter().map(|(k, _)| *k).collect();
    ListQuery::parse("/reminders", q, &keys, "urgency", false)
}

/// Every reminder `user` may see, most urgent first.
async fn all(st: &AppState, user: &User) -> Result<Vec<WorkbenchReminder>, AppError> {
    let applications: Vec<_> = st
        .store
        .application_records_in(minplan_domain::register::ApplicationStatus::Pending.label())
        .await?
        .into_iter()
        .filter(|a| may_see(user, Some(&a.credit_code)))
        .collect();
    reminders(st, user, today_in_china(), &applications).await
}

/// `rs` as `l` filters them (kind, urgency `urgent` / `soon`, text in subject or message).
fn filtered(rs: Vec<WorkbenchReminder>, l: &ListQuery) -> Vec<WorkbenchReminder> {
    let kind = l.get("kind");
    let urgency = l.get("urgency");
    let text = l.get("q").to_lowercase();
    rs.into_iter()
        .filter(|r| kind.is_empty() || r.kind == kind)
        .filter(|r| match urgency {
            "urgent" => r.overdue,
            "soon" => !r.overdue,
            _ => true,
        })
        .filter(|r| {
            text.is_empty()
                || r.subject.to_lowercase().contains(&text)
                || r.message.to_lowercase().contains(&text)
        })
        .collect()
}

/// `GET /reminders?kind=&urgency=urgent|soon&q=&page=&per=`: the reminders with their counts
/// per kind, most urgent first.
pub async fn page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let mut l = list_query(&q);
    let every = all(&st, &user).await?;
    let total_all = every.len();
    let kind = l.get("kind").to_string();
    let kinds = count_by_kind(&every)
        .into_iter()
        .map(|c| KindLink {
            href: format!(
                "/reminders?kind={}",
                crate::http::auth::percent_encode(&c.kind)
            ),
            chosen: c.kind == kind,
            kind: c.kind,
            title: c.title,
            count: c.count,
            urgent: c.urgent,
        })
        .collect();
    let (total, rows) = l.slice(filtered(every, &l));
    let warn = st.store.monitoring_config().await?.warn_ratio;
    let page = RemindersPage {
        layout: layout(&sp, "workbench"),
        rows,
        pager: l.pager(total, "/reminders/list.xlsx"),
        total_all,
        kinds,
        all_href: "/reminders".into(),
        urgency: l.get("urgency").to_string(),
        search: l.get("q").to_string(),
        filtered: l.filtered(),
        rules: reminder_rules(warn),
        today: today_in_china().to_string(),
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /reminders/list.xlsx?…`: the reminders as filtered, most urgent first, as an Excel
/// table.
pub async fn list_xlsx(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    use minplan_report::{Cell, Column, Table};
    let l = list_query(&q);
    let every = all(&st, &user).await?;
    let filters = l.describe_with(&FILTERS, |k, v| filter_value(k, v, &every));
    let rows = filtered(every, &l);
    let columns = vec![
        Column::new("类别", 16.0),
        Column::new("紧急程度", 10.0),
        Column::new("对象", 30.0),
        Column::new("天数（负数为已逾期天数）", 14.0),
        Column::new("提醒", 90.0),
    ];
    let rows: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            vec![
                Cell::text(&r.title),
                Cell::text(if r.overdue { "紧急" } else { "提示" }),
                Cell::text(&r.subject),
                Cell::number(r.days.map(|d| d as f64)),
                Cell::text(&r.message),
            ]
        })
        .collect();
    let table = Table {
        sheet: "监管提醒".into(),
        columns,
        about: listing::about(
            &format!("监管提醒（{}）", today_in_china()),
            filters,
            "紧急的在前，再按日期由早到晚",
            rows.len(),
        ),
        rows,
    };
    listing::xlsx_download(&table, "监管提醒", "reminders")
}
