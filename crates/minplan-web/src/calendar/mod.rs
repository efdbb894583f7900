//! 工作日历 (`/admin/calendar`): the years the calendar holds — the State Council's built-in
//! 2024–2026 and the bureau's entries, each with its 依据 —, a year's month grid marking
//! 法定节假日 and 调休上班 weekend days with each month's working days, and the form that
//! enters or corrects a year's arrangement as text (`放假 2027-02-05 至 2027-02-13`,
//! `上班 2027-02-14`) through [`minplan_store::Store::set_calendar_year`]; every unreadable
//! line is named next to the field and nothing is written. Every logged-in account may view;
//! 系统管理员 and 执法监察 may edit ([`Permission::EditCalendar`]).

use crate::AppState;
use crate::http::auth::{Permission, actor, allowed, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, FormData};
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::calendar::{WorkCalendar, weekday};
use minplan_domain::date::Date;
use minplan_store::{CALENDAR_YEARS, CalendarEntry, StoreError, User};
use std::collections::HashMap;

/// The routes of 工作日历.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new().route("/admin/calendar", get(page).post(submit))
}

/// One year the calendar holds, as listed.
struct YearRow {
    year: i32,
    /// 内置 or 本局录入.
    origin: &'static str,
    source: String,
    /// 录入人 and time of the entry in force; empty for a built-in year.
    entered: String,
    holidays: usize,
    working_weekends: usize,
    working_days: i64,
}

/// One day cell of the month grid.
struct DayCell {
    /// Day of month; 0 for a blank cell before the 1st or after the last.
    day: u8,
    /// CSS class: `off` (放假), `work` (调休上班), `weekend`, `` (ordinary working day).
    class: &'static str,
    /// Tooltip: 放假 / 调休上班 / 周末.
    title: &'static str,
}

/// One month of the grid.
struct MonthView {
    month: u8,
    /// `2027-02`, for the element ids.
    key: String,
    working_days: i64,
    weeks: Vec<Vec<DayCell>>,
}

/// One earlier or current entry of the bureau, as listed.
struct EntryRow {
    year: i32,
    source: String,
    entered_by: String,
    entered_at: String,
    in_force: bool,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    layout: Layout,
    years: Vec<YearRow>,
    entries: Vec<EntryRow>,
    year: i32,
    /// Whether the shown year is held; else the note of Monday–Friday counting.
    held: bool,
    note: String,
    source: String,
    months: Vec<MonthView>,
    total_working_days: i64,
    can_edit: bool,
    form_year: String,
    form_source: String,
    form_text: String,
    errors: FieldErrors,
    /// Every message about the arrangement text (one per line), shown next to the field.
    text_errors: Vec<String>,
    notice: String,
}

/// The working days of `year` by the calendar (counted Monday–Friday when not held).
fn year_working_days(cal: &WorkCalendar, year: i32) -> i64 {
    cal.working_days_between(Date::end_of_year(year - 1), Date::end_of_year(year))
        .value
}

/// The 12 months of `year`: weeks Monday–Sunday, each day marked, and the month's working days.
fn months(cal: &WorkCalendar, year: i32) -> Vec<MonthView> {
    let arrangement = cal.year(year);
    (1..=12u8)
        .map(|m| {
            let first = Date::new(year, m, 1).expect("month start");
            let next = if m == 12 {
                Date::new(year + 1, 1, 1)
            } else {
                Date::new(year, m + 1, 1)
            }
            .expect("next month start");
            let last = next.add_days(-1);
            let mut cells: Vec<DayCell> = (0..weekday(first))
                .map(|_| DayCell {
                    day: 0,
                    class: "",
                    title: "",
                })
                .collect();
            for i in 0..=last.days_since(first) {
                let d = first.add_days(i);
                let off = arrangement.is_some_and(|a| a.holidays.binary_search(&d).is_ok());
                let work =
                    arrangement.is_some_and(|a| a.working_weekends.binary_search(&d).is_ok());
                let (class, title) = if work {
                    ("work", "调休上班")
                } else if off {
                    ("off", "放假")
                } else if weekday(d) >= 5 {
                    ("weekend", "周末")
                } else {
                    ("", "")
                };
                cells.push(DayCell {
                    day: d.day(),
                    class,
                    title,
                });
            }
            while !cells.len().is_multiple_of(7) {
                cells.push(DayCell {
                    day: 0,
                    class: "",
                    title: "",
                });
            }
            let mut weeks = Vec::new();
            let mut it = cells.into_iter().peekable();
            while it.peek().is_some() {
                weeks.push(it.by_ref().take(7).collect());
            }
            MonthView {
                month: m,
                key: format!("{year}-{m:02}"),
                working_days: cal.working_days_between(first.add_days(-1), last).value,
                weeks,
            }
        })
        .collect()
}

/// What the form shows: year, source and text.
struct FormValues {
    year: String,
    source: String,
    text: String,
}

async fn render(
    st: &AppState,
    user: &User,
    year: i32,
    form: Option<FormValues>,
    errors: FieldErrors,
    notice: String,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let cal = st.store.work_calendar().await?;
    let entries: Vec<CalendarEntry> = st.store.calendar_entries().await?;
    let years = cal
        .years()
        .map(|y| {
            let entry = entries.iter().find(|e| e.year == y.year && e.in_force);
            YearRow {
                year: y.year,
                origin: if entry.is_some() {
                    "本局录入"
                } else {
                    "内置"
                },
                source: y.source.clone(),
                entered: entry
                    .map(|e| {
                        format!(
                            "{}，{}",
                            e.entered_by,
                            crate::http::words::beijing(&e.entered_at)
                        )
                    })
                    .unwrap_or_default(),
                holidays: y.holidays.len(),
                working_weekends: y.working_weekends.len(),
                working_days: year_working_days(&cal, y.year),
            }
        })
        .collect();
    let held = cal.year(year);
    let note = if held.is_some() {
        String::new()
    } else {
        cal.is_working_day(Date::start_of_year(year))
            .note()
            .unwrap_or_default()
    };
    let form = form.unwrap_or_else(|| FormValues {
        year: year.to_string(),
        source: held.map(|y| y.source.clone()).unwrap_or_default(),
        text: held.map(|y| y.to_text()).unwrap_or_default(),
    });
    let text_errors = errors
        .0
        .iter()
        .filter(|e| e.field == "arrangement")
        .map(|e| e.message.clone())
        .collect();
    let page = CalendarPage {
        layout: layout(&sp, "calendar"),
        years,
        entries: entries
            .iter()
            .map(|e| EntryRow {
                year: e.year,
                source: e.source.clone(),
                entered_by: e.entered_by.clone(),
                entered_at: crate::http::words::beijing(&e.entered_at),
                in_force: e.in_force,
            })
            .collect(),
        year,
        held: held.is_some(),
        note,
        source: held.map(|y| y.source.clone()).unwrap_or_default(),
        months: months(&cal, year),
        total_working_days: year_working_days(&cal, year),
        can_edit: allowed(Some(user.role), Permission::EditCalendar),
        form_year: form.year,
        form_source: form.source,
        form_text: form.text,
        text_errors,
        errors,
        notice,
    };
    let status = if page.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// The year asked for (`?year=`), else today's; out of [`CALENDAR_YEARS`] → today's.
fn asked_year(q: &HashMap<String, String>, today: Date) -> i32 {
    q.get("year")
        .and_then(|y| y.trim().parse::<i32>().ok())
        .filter(|y| CALENDAR_YEARS.contains(y))
        .unwrap_or(today.year())
}

/// `GET /admin/calendar` (`?year=2027` the year shown, `?saved=1` after a change): the years
/// held, the year's month grid and, for those who may edit, the form.
pub async fn page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let year = asked_year(&q, st.today());
    let notice = if q.contains_key("saved") {
        format!("已保存 {year} 年的节假日安排")
    } else {
        String::new()
    };
    render(&st, &user, year, None, FieldErrors::default(), notice).await
}

/// `POST /admin/calendar` (form: `year`, `source` 依据, `arrangement` one statement per line):
/// saves with the audit row `calendar.set` and shows the year (303), or the form again with
/// every problem — each unreadable line by its number — and nothing written (422).
pub async fn submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::EditCalendar>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    let values = FormValues {
        year: form.get("year").trim().to_string(),
        source: form.get("source").trim().to_string(),
        text: form.get("arrangement").to_string(),
    };
    let shown_year = values
        .year
        .parse::<i32>()
        .ok()
        .filter(|y| CALENDAR_YEARS.contains(y));
    let Some(year) = shown_year else {
        let mut errors = FieldErrors::default();
        errors.push(
            "year",
            format!(
                "年份应为 {} 至 {} 之间的四位数字",
                CALENDAR_YEARS.start(),
                CALENDAR_YEARS.end()
            ),
        );
        let today = st.today().year();
        return render(&st, &user, today, Some(values), errors, String::new()).await;
    };
    let entered_by = if user.display_name.trim().is_empty() {
        user.username.clone()
    } else {
        user.display_name.clone()
    };
    match st
        .store
        .set_calendar_year(
            year,
            &values.text,
            &values.source,
            &entered_by,
            &actor(&user),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/admin/calendar?year={year}&saved=1")).into_response()),
        Err(StoreError::Invalid(v)) => {
            render(
                &st,
                &user,
                year,
                Some(values),
                FieldErrors(v),
                String::new(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
