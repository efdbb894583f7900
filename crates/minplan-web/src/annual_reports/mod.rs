//! 矿山年度报告 (`/annual-reports`): the year's required reports with their status, and the
//! filing form — a 矿山企业 files for the mines it holds now, staff on a company's behalf. The
//! CLI calls the same store functions; the remarks a filing gets (超能力开采, 清水循环利用率
//! below the plan's figure, late — [`annual_report::check_report`] through
//! `Store::file_report`) are shown after filing as `minplan report file` prints them.

use crate::AppState;
use crate::http::auth::{actor, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::FormData;
use crate::http::views::{Layout, layout};
use crate::monitoring::{YearQuery, last_year};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::register::annual_report::{self, ReportInput};
use minplan_store::{ReportStatusRow, Role, StoreError};

/// The routes of 矿山年度报告.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new().route("/annual-reports", get(reports_page).post(report_submit))
}

#[derive(Template)]
#[template(path = "annual_reports.html")]
struct ReportsPage {
    layout: Layout,
    year: i32,
    rows: Vec<ReportStatusRow>,
    mines: Vec<(i64, String)>,
    can_file: bool,
    errors: Vec<String>,
    notice: String,
    /// The remarks on the report just filed (超能力开采, 清水循环利用率, 逾期…).
    warnings: Vec<String>,
    form: FormData,
}

async fn reports_view(
    st: &AppState,
    user: &minplan_store::User,
    year: i32,
    errors: Vec<String>,
    notice: String,
    warnings: Vec<String>,
    form: FormData,
) -> Result<ReportsPage, AppError> {
    let sp = st.plan().await;
    let own = (user.role == Role::Company).then(|| user.credit_code.clone().unwrap_or_default());
    let mut rows = st
        .store
        .report_statuses(year, minplan_store::today())
        .await?;
    if let Some(code) = &own {
        rows.retain(|r| r.credit_code.as_deref() == Some(code.as_str()));
    }
    let mines = match &own {
        Some(code) => st.store.mines_of_holder(code).await?,
        None => st.store.mines().await?,
    };
    Ok(ReportsPage {
        layout: layout(&sp, "annual-reports"),
        year,
        rows,
        mines: mines.into_iter().map(|m| (m.id, m.name)).collect(),
        can_file: crate::http::auth::allowed(
            Some(user.role),
            crate::http::auth::Permission::FileAnnualReport,
        ),
        errors,
        notice,
        warnings,
        form,
    })
}

/// `GET /annual-reports?year=Y`: the year's required reports and their status (a 矿山企业
/// account sees its own), with the filing form.
pub async fn reports_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
    Query(q): Query<YearQuery>,
    Query(extra): Query<Vec<(String, String)>>,
) -> Result<Html<String>, AppError> {
    // The remarks of the report just filed, carried by the redirect (`warning=…`, each).
    let warnings: Vec<String> = extra
        .into_iter()
        .filter(|(k, _)| k == "warning")
        .map(|(_, v)| v)
        .collect();
    let notice = q
        .filed
        .as_ref()
        .map(|f| format!("已报送：{f}"))
        .unwrap_or_default();
    let page = reports_view(
        &st,
        &user,
        q.year()?.unwrap_or_else(last_year),
        vec![],
        notice,
        warnings,
        FormData::parse(b""),
    )
    .await?;
    Ok(Html(page.render()?))
}

fn parse_form(f: &FormData, errors: &mut Vec<String>) -> Option<(i64, ReportInput)> {
    let mine = f.get("mine").trim().parse::<i64>().ok();
    if mine.is_none() {
        errors.push("矿山：请选择矿山".into());
    }
    let year = f.get("year").trim().parse::<i32>().ok();
    if year.is_none() {
        errors.push("年度：应为年份".into());
    }
    // The same reading and bounds as `minplan report import` (one domain function).
    let figures = match annual_report::parse_figures(&annual_report::FigureText {
        extraction: f.get("extraction"),
        unit: f.get("unit"),
        output_value: f.get("output_value"),
        staff: f.get("staff"),
        mining_recovery: f.get("mining_recovery"),
        processing_recovery: f.get("processing_recovery"),
        utilisation: f.get("utilisation"),
        water_reuse: f.get("water_reuse"),
    }) {
        Ok(x) => Some(x),
        Err(problems) => {
            errors.extend(problems.into_iter().map(|p| p.message));
            None
        }
    };
    let (Some(mine), Some(year), Some(x)) = (mine, year, figures) else {
        return None;
    };
    let input = ReportInput {
        year,
        mineral: None,
        extraction: x.extraction.unwrap_or(0.0),
        unit: x.unit,
        output_value_wan_yuan: x.output_value_wan_yuan.unwrap_or(0.0),
        staff: x.staff.unwrap_or(0),
        mining_recovery_pct: x.mining_recovery_pct,
        processing_recovery_pct: x.processing_recovery_pct,
        utilisation_pct: x.utilisation_pct,
        water_reuse_pct: x.water_reuse_pct,
        filed_on: minplan_store::today(),
        note: Some(f.get("note").to_string()).filter(|s| !s.trim().is_empty()),
    };
    errors.is_empty().then_some((mine, input))
}

/// `POST /annual-reports`: files a report (form). A 矿山企业 files for its own mines only;
/// staff file on the company's behalf (代报). Problems re-show the form with 422.
pub async fn report_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::FileAnnualReport>,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = FormData::parse(&body);
    let mut errors = Vec::new();
    let parsed = parse_form(&f, &mut errors);
    let year = f
        .get("year")
        .trim()
        .parse::<i32>()
        .unwrap_or_else(|_| last_year());
    if let Some((mine, input)) = parsed {
        let sp = st.plan().await;
        let company = user.role == Role::Company;
        let own = company.then(|| user.credit_code.clone().unwrap_or_default());
        match st
            .store
            .file_report(
                &sp.loaded.plan,
                mine,
                &input,
                !company,
                own.as_deref(),
                &actor(&user),
            )
            .await
        {
            Ok(r) => {
                let warnings: String = r
                    .warnings
                    .iter()
                    .map(|w| format!("&warning={}", crate::http::auth::percent_encode(w)))
                    .collect();
                return Ok(Redirect::to(&format!(
                    "/annual-reports?year={}&filed={}{warnings}",
                    r.report.year,
                    crate::http::auth::percent_encode(&format!(
                        "{} {} 年度（{}）",
                        r.report.mine_name,
                        r.report.year,
                        r.report.timeliness().label()
                    ))
                ))
                .into_response());
            }
            Err(StoreError::Invalid(fs)) => errors.extend(fs.into_iter().map(|e| e.message)),
            Err(StoreError::NotFound(m)) => errors.push(m),
            Err(e) => return Err(e.into()),
        }
    }
    let page = reports_view(&st, &user, year, errors, String::new(), vec![], f).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}
