//! 工作台 (every logged-in account; the landing page after login): the plan's indicators at a
//! glance (last complete year's values and statuses from the indicator engine,
//! `Store::indicator_report`), the applications under review (在审) with their latest
//! conclusion, the recent reviews, and the reminders:
//!
//! * those of `Store::reminders` (`minplan reminders` prints the same): licences expiring
//!   within 90 days or expired, annual reports due or overdue, closure reports awaiting
//!   acceptance, caps near or over their limit;
//! * **在审超期**: an application still 在审 more than [`PENDING_WORKING_DAYS`] working days
//!   after its 受理日期 (or, without one, the day of its first review) — working days of the
//!   bureau's 工作日历 (`Store::work_calendar`: 法定节假日 deducted, 调休 working weekends
//!   counted); a year the calendar does not hold is counted Monday–Friday and the reminder
//!   says so (`Counted::note`);
//! * **整改期限** of check records (for 执法监察 and 系统管理员; a 矿山企业 its own): due within
//!   5 working days or overdue, listed in their own section linked to `/checks` (the
//!   register's `ReminderKind` stays the register's).
//!
//! A 矿山企业 account sees only its own applications, reviews, rights and mines.

use crate::AppState;
use crate::http::auth::{may_see, policy};
use crate::http::error::{ApiError, ApiResult, AppError};
use crate::http::extract::RequireRole;
use crate::http::views::{Layout, layout};
use crate::plan::views::{IndicatorView, indicator_views, with_current};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use minplan_store::{ApplicationRecord, ReviewSummary, Role, User};
use serde::Serialize;
use time::{Date, Month, OffsetDateTime, UtcOffset};
use utoipa::ToSchema;

pub mod reminders_page;

/// The routes of 工作台 and 监管提醒.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/workbench", get(page))
        .route("/reminders", get(reminders_page::page))
        .route("/reminders/list.xlsx", get(reminders_page::list_xlsx))
        .route("/api/workbench", get(api))
}

/// Applications 在审 for more than this many working days are listed.
pub const PENDING_WORKING_DAYS: i64 = 20;
/// Recent reviews shown.
pub const RECENT_REVIEWS: usize = 10;

/// A reminder of the 工作台 (the register's reminders and applications 在审 too long).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkbenchReminder {
    /// `pending_overdue`, or a kind of `minplan_domain::monitoring::ReminderKind` in
    /// snake case (`licence_expiring`, `report_overdue`, `cap_near`, …).
    pub kind: String,
    /// The kind, Chinese (许可证即将到期, 在审超期, …).
    pub title: String,
    /// Days until the date it refers to (negative: days past it), when it has one.
    pub days: Option<i64>,
    /// Urgent: the deadline has passed or a cap is exceeded (在审超期 always).
    pub overdue: bool,
    /// What it is about (许可证号 or 申请编号).
    pub subject: String,
    /// The reminder, Chinese.
    pub message: String,
    /// Where to look.
    pub href: String,
}

/// Today in China (UTC+8).
pub fn today_in_china() -> Date {
    let offset = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::now_utc().to_offset(offset).date()
}

/// A `YYYY-MM-DD` date (the first 10 characters of an RFC 3339 time work too).
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.get(..10)?;
    let mut parts = s.split('-');
    let y: i32 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()
}

/// The domain's date of a `time` date.
fn day_of(d: Date) -> Option<minplan_domain::date::Date> {
    minplan_domain::date::Date::new(d.year(), d.month() as u8, d.day())
}

/// Working days of `cal` after `from` up to and including `to` (0 when `to` is not after
/// `from`), with the years `cal` does not hold named ([`Counted::note`]).
///
/// [`Counted::note`]: minplan_domain::calendar::Counted::note
pub fn pending_working_days(
    cal: &minplan_domain::calendar::WorkCalendar,
    from: Date,
    to: Date,
) -> minplan_domain::calendar::Counted<i64> {
    match (day_of(from), day_of(to)) {
        (Some(f), Some(t)) => cal.working_days_between(f, t),
        _ => minplan_domain::calendar::Counted {
            value: 0,
            unknown_years: vec![],
        },
    }
}

/// The reminders as of `today`, for `user`.
pub async fn reminders(
    st: &AppState,
    user: &User,
    today: Date,
    applications: &[ApplicationRecord],
) -> Result<Vec<WorkbenchReminder>, AppError> {
    let sp = st.plan().await;
    let own = (user.role == Role::Company).then(|| user.credit_code.clone().unwrap_or_default());
    let day = day_of(today).ok_or_else(|| AppError::BadRequest(format!("日期 {today} 无效")))?;
    let cal = st.store.work_calendar().await?;
    let mut out: Vec<WorkbenchReminder> = st
        .store
        .reminders(&sp.loaded.plan, day, own.as_deref())
        .await?
        .into_iter()
        .map(|r| {
            let kind = crate::http::json::serde_name(&r.kind);
            let href = match (&r.right_id, r.mine_id) {
                (Some(id), _) => format!("/rights/{}", crate::http::auth::percent_encode(id)),
                (None, Some(_)) => "/annual-reports".into(),
                _ => "/indicators".into(),
            };
            WorkbenchReminder {
                kind,
                title: r.title.clone(),
                days: r.days,
                overdue: r.urgent,
                subject: r.subject,
                message: format!("{}：{}", r.title, r.message),
                href,
            }
        })
        .collect();
    for a in applications.iter().filter(|a| a.status == "在审") {
        let start = a
            .received
            .as_deref()
            .and_then(parse_date)
            .or_else(|| parse_date(&a.created_at));
        let Some(start) = start else { continue };
        let counted = pending_working_days(&cal, start, today);
        let days = counted.value;
        if days > PENDING_WORKING_DAYS {
            let note = counted
                .note()
                .map(|n| format!("（{n}）"))
                .unwrap_or_default();
            out.push(WorkbenchReminder {
                kind: "pending_overdue".into(),
                title: PENDING_OVERDUE_TITLE.into(),
                days: Some(-(days - PENDING_WORKING_DAYS)),
                overdue: true,
                subject: a.number.clone(),
                message: format!(
                    "申请 {}（{}）自{} {start} 起已在审 {days} 个工作日，超过 {PENDING_WORKING_DAYS} 个工作日{note}",
                    a.number,
                    a.project_name,
                    if a.received.is_some() { "受理日期" } else { "首次审查" },
                ),
                href: a
                    .latest_review_id
                    .map_or("/reviews".into(), |id| format!("/reviews/{id}")),
            });
        }
    }
    sort_most_urgent_first(&mut out);
    Ok(out)
}

/// The title of 在审超期 reminders.
pub const PENDING_OVERDUE_TITLE: &str = "在审超期";

/// Reminders shown on the 工作台 (the rest on `/reminders`).
pub const WORKBENCH_REMINDERS: usize = 10;

/// Most urgent first: urgent ones, then the earliest date (the most days past it first),
/// then kind and subject (a stable order).
pub fn sort_most_urgent_first(rs: &mut [WorkbenchReminder]) {
    rs.sort_by(|a, b| {
        (!a.overdue, a.days.unwrap_or(i64::MAX), &a.kind, &a.subject).cmp(&(
            !b.overdue,
            b.days.unwrap_or(i64::MAX),
            &b.kind,
            &b.subject,
        ))
    });
}

/// How many reminders of one kind there are.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReminderCount {
    /// The kind (as [`WorkbenchReminder::kind`]).
    pub kind: String,
    /// Its Chinese title.
    pub title: String,
    /// Reminders of the kind.
    pub count: usize,
    /// Of which urgent.
    pub urgent: usize,
}

/// The counts per kind of `rs`, the kinds with urgent ones first, then by title.
pub fn count_by_kind(rs: &[WorkbenchReminder]) -> Vec<ReminderCount> {
    let mut out: Vec<ReminderCount> = Vec::new();
    for r in rs {
        match out.iter_mut().find(|c| c.kind == r.kind) {
            Some(c) => {
                c.count += 1;
                c.urgent += usize::from(r.overdue);
            }
            None => out.push(ReminderCount {
                kind: r.kind.clone(),
                title: r.title.clone(),
                count: 1,
                urgent: usize::from(r.overdue),
            }),
        }
    }
    out.sort_by(|a, b| (a.urgent == 0, &a.title).cmp(&(b.urgent == 0, &b.title)));
    out
}

/// Everything the 工作台 shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct Workbench {
    /// The year of the indicator values (the last complete one).
    pub indicator_year: i32,
    /// The plan's indicators, with that year's values and statuses where known.
    pub indicators: Vec<IndicatorView>,
    /// Applications under review (在审), newest first.
    pub pending: Vec<ApplicationRecord>,
    /// The latest reviews.
    pub recent_reviews: Vec<ReviewSummary>,
    /// The most urgent reminders (at most [`WORKBENCH_REMINDERS`]; all on `/reminders`).
    pub reminders: Vec<WorkbenchReminder>,
    /// Reminders in all.
    pub reminder_total: usize,
    /// Reminders per kind.
    pub reminder_counts: Vec<ReminderCount>,
    /// The reminder rules, Chinese.
    pub rules: Vec<String>,
    /// 矿区生态保护修复与绿色矿山 of the indicator year, for the accounts that keep it
    /// (生态修复, 系统管理员); `None` for the others.
    pub restoration: Option<minplan_domain::restoration::indicators::RestorationIndicators>,
}

/// The reminder rules, Chinese, with the cap warning share `warn_ratio` (0.9 = 90 %).
pub fn reminder_rules(warn_ratio: f64) -> Vec<String> {
    vec![
        format!(
            "许可证到期：有效期止在今后 {} 天内（或已过而未延续、闭坑、注销）的矿业权；年度报告：每年 3 月 31 日前报送上一年度报告，逾期未报的列为逾期；规划上限：开采总量达到上限的 {}% 时预警。",
            minplan_domain::monitoring::EXPIRY_WINDOW_DAYS,
            (warn_ratio * 100.0).round()
        ),
        format!(
            "在审超期：自受理日期（未填写时为首次审查日）起超过 {PENDING_WORKING_DAYS} 个工作日仍在审的申请；工作日按工作日历计（扣除法定节假日，调休上班日计入），工作日历未录入的年份按周一至周五计并在提醒中注明。"
        ),
    ]
}

async fn gather(st: &AppState, user: &User) -> Result<Workbench, AppError> {
    let sp = st.plan().await;
    let indicator_year = (today_in_china().year() - 1)
        .min(sp.loaded.plan.identity.period_end + minplan_store::YEARS_AROUND_PERIOD);
    let report = st
        .store
        .indicator_report(&sp.loaded.plan, indicator_year)
        .await?;
    let indicators = with_current(indicator_views(&sp.loaded.plan), &report);
    let applications: Vec<ApplicationRecord> = st
        .store
        .application_records_in(minplan_domain::register::ApplicationStatus::Pending.label())
        .await?
        .into_iter()
        .filter(|a| may_see(user, Some(&a.credit_code)))
        .collect();
    let mut reminders = reminders(st, user, today_in_china(), &applications).await?;
    let reminder_total = reminders.len();
    let reminder_counts = count_by_kind(&reminders);
    reminders.truncate(WORKBENCH_REMINDERS);
    // The newest few only, filtered in SQL: a bureau with tens of thousands of reviews must
    // not read them all to show ten.
    let own = crate::http::auth::own_credit_code(user);
    let (_, recent_reviews) = st
        .store
        .reviews_page(
            &minplan_store::ReviewQuery {
                credit_code: own.map(str::to_owned),
                desc: true,
                ..Default::default()
            },
            Some(minplan_store::Window {
                offset: 0,
                limit: RECENT_REVIEWS as u64,
            }),
        )
        .await?;
    let recent_reviews: Vec<ReviewSummary> = recent_reviews
        .into_iter()
        .filter(|r| may_see(user, Some(&r.credit_code)))
        .collect();
    Ok(Workbench {
        indicator_year,
        indicators,
        pending: applications
            .into_iter()
            .filter(|a| a.status == "在审")
            .collect(),
        recent_reviews,
        reminders,
        reminder_total,
        reminder_counts,
        rules: reminder_rules(report.warn_ratio),
        restoration: if crate::http::auth::allowed(
            Some(user.role),
            crate::http::auth::Permission::ManageRestoration,
        ) {
            Some(crate::monitoring::restoration::section(st, indicator_year).await?)
        } else {
            None
        },
    })
}

#[derive(Template)]
#[template(path = "workbench.html")]
struct WorkbenchPage {
    layout: Layout,
    w: Workbench,
    greeting: String,
    today: String,
    /// 整改期限 reminders of check records, and where the checks are (empty: not this role's).
    checks: Vec<crate::checks::ReminderView>,
    checks_href: &'static str,
    /// 矿区生态保护修复与绿色矿山 (生态修复, 系统管理员), with the links to its pages.
    restoration: Option<crate::monitoring::restoration::SectionView>,
}

/// `GET /workbench`: the 工作台.
pub async fn page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let mut w = gather(&st, &user).await?;
    let people = crate::http::words::People::load(&st.store).await?;
    for r in &mut w.recent_reviews {
        r.actor = people.actor(&r.actor);
    }
    use crate::http::auth::{Permission, allowed};
    let (checks, checks_href) = if allowed(Some(user.role), Permission::RecordChecks) {
        (
            crate::checks::deadline_reminders(&st, None, "/checks/").await?,
            "/checks",
        )
    } else if allowed(Some(user.role), Permission::FileRectification) {
        let own = user.credit_code.clone().unwrap_or_default();
        let list = if own.is_empty() {
            vec![]
        } else {
            crate::checks::deadline_reminders(&st, Some(&own), "/company/checks/").await?
        };
        (list, "/company/checks")
    } else {
        (vec![], "")
    };
    let restoration = w
        .restoration
        .as_ref()
        .map(|s| crate::monitoring::restoration::view(&sp.loaded.plan, s));
    let page = WorkbenchPage {
        restoration,
        layout: layout(&sp, "workbench"),
        checks,
        checks_href,
        w,
        greeting: format!("{}（{}）", user.display_name, user.role.label()),
        today: today_in_china().to_string(),
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /api/workbench`: indicators, pending applications, recent reviews, reminders.
#[utoipa::path(get, path = "/api/workbench", tag = "工作台",
    responses(
        (status = 200, description = "指标、在审申请、最近审查、提醒；矿山企业只见本企业的内容", body = Workbench),
        (status = 401, description = "未登录", body = ApiError),
    ))]
pub async fn api(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
) -> ApiResult<Json<Workbench>> {
    Ok(Json(gather(&st, &user).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_days_follow_the_calendar_across_national_day_2026() {
        let d = |s| parse_date(s).unwrap();
        let cal = minplan_domain::calendar::WorkCalendar::builtin();
        // Received Thursday 2026-09-24: 9-25..27 and 10-1..7 off, Saturday 10-10 worked.
        // Monday–Friday would count 21 by 10-23; the calendar counts 16, then 21 by 10-30.
        let c = pending_working_days(&cal, d("2026-09-24"), d("2026-10-23"));
        assert_eq!((c.value, c.note()), (16, None));
        assert_eq!(
            pending_working_days(&cal, d("2026-09-24"), d("2026-10-30")).value,
            21
        );
        // A year not held is counted Monday–Friday and named.
        let old = pending_working_days(&cal, d("2020-01-06"), d("2020-01-13"));
        assert_eq!(old.value, 5);
        assert_eq!(
            old.note().as_deref(),
            Some("2020年节假日安排未录入，按周一至周五计")
        );
        assert_eq!(parse_date("2026-11-20T01:02:03Z"), Some(d("2026-11-20")));
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("26-1-1"), None);
    }
}
