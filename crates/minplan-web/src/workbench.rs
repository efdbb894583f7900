//! 工作台 (every logged-in account; the landing page after login): the plan's indicators at a
//! glance, the applications under review (在审) with their latest conclusion, the recent
//! reviews, and the reminders that can be computed from the register and the applications:
//!
//! * **许可证到期**: a right in the register with status 有效 whose 有效期止 (`valid_to`) is
//!   within [`EXPIRY_WINDOW_DAYS`] days from today (China time), or already past;
//! * **在审超期**: an application still 在审 more than [`PENDING_WORKING_DAYS`] working days
//!   after its 受理日期 (or, without one, the day of its first review) — working days counted
//!   Monday to Friday, statutory holidays not deducted (the rule is stated on the page).
//!
//! A 矿山企业 account sees only its own applications, reviews and rights.
//! Current indicator values come from [`current_indicator_values`], one function, so that
//! the indicator engine (issue 6) plugs in there.

use crate::AppState;
use crate::auth::{RequireRole, may_see, policy};
use crate::error::AppError;
use crate::views::{IndicatorView, Layout, indicator_views, layout, num};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use minplan_store::{ApplicationRecord, ReviewSummary, User};
use serde::Serialize;
use std::collections::HashMap;
use time::{Date, Month, OffsetDateTime, UtcOffset, Weekday};

/// Licences expiring within this many days are listed.
pub const EXPIRY_WINDOW_DAYS: i64 = 90;
/// Applications 在审 for more than this many working days are listed.
pub const PENDING_WORKING_DAYS: i64 = 20;
/// Recent reviews shown.
pub const RECENT_REVIEWS: usize = 10;

/// Current values of the plan's indicators by key. None yet: production data and the
/// indicator engine come with the register's annual reports (issue 6); until then every
/// current value shows "—".
pub async fn current_indicator_values(_st: &AppState) -> HashMap<String, f64> {
    HashMap::new()
}

/// A reminder.
#[derive(Debug, Clone, Serialize)]
pub struct Reminder {
    /// `licence_expiry` or `pending_overdue`.
    pub kind: &'static str,
    /// Whether the deadline has passed (许可证已过期；在审超期 always).
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

/// Working days (Monday–Friday) after `from` up to and including `to`; 0 when `to` is not
/// after `from`.
pub fn working_days_between(from: Date, to: Date) -> i64 {
    let mut n = 0;
    let mut d = from;
    // Bounded: ten years of days at most.
    for _ in 0..3660 {
        if d >= to {
            break;
        }
        d = match d.next_day() {
            Some(x) => x,
            None => break,
        };
        if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            n += 1;
        }
    }
    n
}

/// The reminders as of `today`, for `user`.
pub async fn reminders(
    st: &AppState,
    user: &User,
    today: Date,
    applications: &[ApplicationRecord],
) -> Result<Vec<Reminder>, AppError> {
    let mut out = Vec::new();
    for r in st.store.right_records().await? {
        if r.status != "有效" || !may_see(user, r.credit_code.as_deref()) {
            continue;
        }
        let Some(to) = r.valid_to.as_deref().and_then(parse_date) else {
            continue;
        };
        let days = (to - today).whole_days();
        if days <= EXPIRY_WINDOW_DAYS {
            out.push(Reminder {
                kind: "licence_expiry",
                overdue: days < 0,
                subject: r.id.clone(),
                message: if days < 0 {
                    format!(
                        "{}（{}）许可证有效期至 {to}，已过期 {} 天，登记状态仍为有效",
                        r.name, r.id, -days
                    )
                } else {
                    format!(
                        "{}（{}）许可证有效期至 {to}，还有 {days} 天到期",
                        r.name, r.id
                    )
                },
                href: format!("/rights/{}", crate::auth::percent_encode(&r.id)),
            });
        }
    }
    for a in applications.iter().filter(|a| a.status == "在审") {
        let start = a
            .received
            .as_deref()
            .and_then(parse_date)
            .or_else(|| parse_date(&a.created_at));
        let Some(start) = start else { continue };
        let days = working_days_between(start, today);
        if days > PENDING_WORKING_DAYS {
            out.push(Reminder {
                kind: "pending_overdue",
                overdue: true,
                subject: a.number.clone(),
                message: format!(
                    "申请 {}（{}）自{} {start} 起已在审 {days} 个工作日，超过 {PENDING_WORKING_DAYS} 个工作日",
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
    out.sort_by_key(|r| (!r.overdue, r.kind));
    Ok(out)
}

/// Everything the 工作台 shows.
#[derive(Debug, Serialize)]
pub struct Workbench {
    /// The plan's indicators, with current values where known.
    pub indicators: Vec<IndicatorView>,
    /// Applications under review (在审), newest first.
    pub pending: Vec<ApplicationRecord>,
    /// The latest reviews.
    pub recent_reviews: Vec<ReviewSummary>,
    /// Reminders, overdue first.
    pub reminders: Vec<Reminder>,
    /// The reminder rules, Chinese.
    pub rules: Vec<String>,
}

async fn gather(st: &AppState, user: &User) -> Result<Workbench, AppError> {
    let sp = st.plan().await;
    let current = current_indicator_values(st).await;
    let indicators = indicator_views(&sp.loaded.plan)
        .into_iter()
        .map(|mut i| {
            if let Some(v) = current.get(&i.key) {
                i.current = Some(*v);
                i.current_label = num(*v);
            }
            i
        })
        .collect();
    let applications: Vec<ApplicationRecord> = st
        .store
        .application_records()
        .await?
        .into_iter()
        .filter(|a| may_see(user, Some(&a.credit_code)))
        .collect();
    let reminders = reminders(st, user, today_in_china(), &applications).await?;
    let recent_reviews = st
        .store
        .list_reviews(None)
        .await?
        .into_iter()
        .filter(|r| may_see(user, Some(&r.credit_code)))
        .take(RECENT_REVIEWS)
        .collect();
    Ok(Workbench {
        indicators,
        pending: applications
            .into_iter()
            .filter(|a| a.status == "在审")
            .collect(),
        recent_reviews,
        reminders,
        rules: vec![
            format!(
                "许可证到期：登记状态为有效、有效期止在今后 {EXPIRY_WINDOW_DAYS} 天内（或已过）的矿业权。"
            ),
            format!(
                "在审超期：自受理日期（未填写时为首次审查日）起超过 {PENDING_WORKING_DAYS} 个工作日仍在审的申请；工作日按周一至周五计，未扣除法定节假日。"
            ),
        ],
    })
}

#[derive(Template)]
#[template(path = "workbench.html")]
struct WorkbenchPage {
    layout: Layout,
    w: Workbench,
    greeting: String,
    today: String,
}

/// `GET /workbench`: the 工作台.
pub async fn page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let w = gather(&st, &user).await?;
    let page = WorkbenchPage {
        layout: layout(&sp, "workbench"),
        w,
        greeting: format!("{}（{}）", user.display_name, user.role.label()),
        today: today_in_china().to_string(),
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /api/workbench`: `{indicators, pending, recent_reviews, reminders, rules}`.
#[utoipa::path(get, path = "/api/workbench", tag = "工作台",
    responses(
        (status = 200, description = "`{indicators, pending, recent_reviews, reminders: [{kind, overdue, subject, message, href}], rules}`；矿山企业只见本企业的内容", body = Object),
        (status = 401, description = "未登录", body = crate::openapi::ApiError),
    ))]
pub async fn api(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
) -> Response {
    match gather(&st, &user).await {
        Ok(w) => Json(w).into_response(),
        Err(e) => e.into_json(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn working_days_skip_weekends() {
        let d = |s| parse_date(s).unwrap();
        // 2026-11-20 is a Friday.
        assert_eq!(working_days_between(d("2026-11-20"), d("2026-11-23")), 1);
        assert_eq!(working_days_between(d("2026-11-20"), d("2026-11-20")), 0);
        assert_eq!(working_days_between(d("2026-11-23"), d("2026-11-20")), 0);
        // Four full weeks: 20 working days.
        assert_eq!(working_days_between(d("2026-11-20"), d("2026-12-18")), 20);
        assert_eq!(working_days_between(d("2026-11-20"), d("2026-12-21")), 21);
        assert_eq!(parse_date("2026-11-20T01:02:03Z"), Some(d("2026-11-20")));
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("26-1-1"), None);
    }
}
