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
use crate::http::listing::{self, ListQuery, Pager, SortHeader};
use crate::http::views::{Layout, layout};
use crate::monitoring::{YearQuery, last_year};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::register::annual_report::{self, ReportInput};
use minplan_store::{ReportStatus, ReportStatusRow, Role, StoreError};
use std::collections::HashMap;

/// The routes of 矿山年度报告.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/annual-reports", get(reports_page).post(report_submit))
        .route("/annual-reports/list.xlsx", get(list_xlsx))
}

#[derive(Template)]
#[template(path = "annual_reports.html")]
struct ReportsPage {
    layout: Layout,
    year: i32,
    rows: Vec<ReportStatusRow>,
    headers: Vec<SortHeader>,
    pager: Pager,
    search: String,
    statuses: Vec<(&'static str, bool)>,
    filtered: bool,
    mines: Vec<(i64, String)>,
    can_file: bool,
    errors: Vec<String>,
    notice: String,
    /// The remarks on the report just filed (超能力开采, 清水循环利用率, 逾期…).
    warnings: Vec<String>,
    form: FormData,
}

/// The filters of the list (the year is its own field), with their labels.
const REPORT_FILTERS: [(&str, &str); 2] = [("q", "查找"), ("status", "报送状态")];

/// The sortable columns: (key, label, class).
const REPORT_COLUMNS: [(&str, &str, &str); 6] = [
    ("mine", "矿山", ""),
    ("right", "许可证号", ""),
    ("holder", "矿业权人", ""),
    ("extraction", "开采量", "num"),
    ("output", "产值（万元）", "num"),
    ("status", "状态", ""),
];

/// 报送状态 as the list offers them.
const REPORT_STATUSES: [ReportStatus; 4] = [
    ReportStatus::OnTime,
    ReportStatus::Late,
    ReportStatus::Due,
    ReportStatus::Missing,
];

fn list_query(q: &HashMap<String, String>) -> ListQuery {
    let keys: Vec<&'static str> = REPORT_FILTERS.iter().map(|(k, _)| *k).collect();
    let mut l = ListQuery::parse("/annual-reports", q, &keys, "mine", false);
    // The year is kept in every link as a filter is.
    l.keep("year", q.get("year").map(String::as_str).unwrap_or(""));
    l
}

/// The year's required reports `user` may see, filtered and sorted by `l` (in memory: the
/// list is computed from the replayed register), every matching row.
async fn report_rows(
    st: &AppState,
    user: &minplan_store::User,
    year: i32,
    l: &ListQuery,
) -> Result<Vec<ReportStatusRow>, AppError> {
    let own = (user.role == Role::Company).then(|| user.credit_code.clone().unwrap_or_default());
    let mut rows = st
        .store
        .report_statuses(year, minplan_store::today())
        .await?;
    if let Some(code) = &own {
        rows.retain(|r| r.credit_code.as_deref() == Some(code.as_str()));
    }
    let text = l.get("q").to_lowercase();
    let status = l.get("status");
    rows.retain(|r| {
        (text.is_empty()
            || [&r.mine_name, &r.right_id, &r.holder_name]
                .iter()
                .any(|f| f.to_lowercase().contains(&text)))
            && (status.is_empty() || r.status.label() == status)
    });
    let num =
        |r: &ReportStatusRow, f: fn(&annual_report::AnnualReport) -> f64| r.report.as_ref().map(f);
    rows.sort_by(|a, b| {
        use std::cmp::Ordering;
        let o = match l.sort.as_str() {
            "right" => a.right_id.cmp(&b.right_id),
            "holder" => a.holder_name.cmp(&b.holder_name),
            "status" => a.status.label().cmp(b.status.label()),
            "extraction" | "output" => {
                let f: fn(&annual_report::AnnualReport) -> f64 = if l.sort == "extraction" {
                    |x| x.extraction
                } else {
                    |x| x.output_value_wan_yuan
                };
                // Unreported rows last either way.
                match (num(a, f), num(b, f)) {
                    (Some(x), Some(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
                    (Some(_), None) => return Ordering::Less,
                    (None, Some(_)) => return Ordering::Greater,
                    (None, None) => Ordering::Equal,
                }
            }
            _ => a.mine_name.cmp(&b.mine_name),
        };
        let o = if l.desc { o.reverse() } else { o };
        o.then(a.mine_id.cmp(&b.mine_id))
    });
    Ok(rows)
}

/// What the filing form says after a submission: its errors, the notice of a report filed and
/// that report's remarks (超能力开采, 清水循环利用率, 逾期…).
#[derive(Default)]
struct Filing {
    errors: Vec<String>,
    notice: String,
    warnings: Vec<String>,
}

async fn reports_view(
    st: &AppState,
    user: &minplan_store::User,
    year: i32,
    mut l: ListQuery,
    filing: Filing,
    form: FormData,
) -> Result<ReportsPage, AppError> {
    let Filing {
        errors,
        notice,
        warnings,
    } = filing;
    let sp = st.plan().await;
    let own = (user.role == Role::Company).then(|| user.credit_code.clone().unwrap_or_default());
    let all = report_rows(st, user, year, &l).await?;
    let (total, rows) = l.slice(all);
    let status = l.get("status").to_string();
    let mines = match &own {
        Some(code) => st.store.mines_of_holder(code).await?,
        None => st.store.mines().await?,
    };
    Ok(ReportsPage {
        layout: layout(&sp, "annual-reports"),
        year,
        rows,
        headers: l.headers(&REPORT_COLUMNS),
        pager: l.pager(total, "/annual-reports/list.xlsx"),
        search: l.get("q").to_string(),
        statuses: REPORT_STATUSES
            .iter()
            .map(|s| (s.label(), s.label() == status))
            .collect(),
        filtered: !l.get("q").is_empty() || !status.is_empty(),
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

/// The list's year: `year` (last year when absent), refused (400) when not a whole number
/// and (422, naming 年度) outside the plan period ± [`minplan_store::YEARS_AROUND_PERIOD`]
/// years — as `/indicators` refuses it, never a page "截止 100000 年 3 月 31 日".
async fn year_of(st: &AppState, q: &HashMap<String, String>) -> Result<i32, AppError> {
    let y = YearQuery {
        year: q.get("year").cloned(),
        from: None,
        to: None,
        filed: None,
    };
    let year = y.year()?.unwrap_or_else(last_year);
    let sp = st.plan().await;
    let (start, end) = (
        sp.loaded.plan.identity.period_start,
        sp.loaded.plan.identity.period_end,
    );
    let around = minplan_store::YEARS_AROUND_PERIOD;
    let (lo, hi) = (start - around, end + around);
    if !(lo..=hi).contains(&year) {
        return Err(AppError::Store(StoreError::Invalid(vec![
            minplan_store::FieldError::new(
                "year",
                format!(
                    "年度应在 {lo}～{hi} 年之间（规划期 {start}～{end} 年前后 {around} 年），收到 {year}"
                ),
            ),
        ])));
    }
    Ok(year)
}

/// `GET /annual-reports?year=Y&q=&status=&sort=&dir=&page=&per=`: the year's required
/// reports and their status (a 矿山企业 account sees its own), searched, filtered, sorted and
/// paged, with the filing form.
pub async fn reports_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
    Query(q): Query<HashMap<String, String>>,
    Query(extra): Query<Vec<(String, String)>>,
) -> Result<Html<String>, AppError> {
    // The remarks of the report just filed, carried by the redirect (`warning=…`, each).
    let warnings: Vec<String> = extra
        .into_iter()
        .filter(|(k, _)| k == "warning")
        .map(|(_, v)| v)
        .collect();
    let notice = q
        .get("filed")
        .map(|f| format!("已报送：{f}"))
        .unwrap_or_default();
    let page = reports_view(
        &st,
        &user,
        year_of(&st, &q).await?,
        list_query(&q),
        Filing {
            errors: vec![],
            notice,
            warnings,
        },
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
        disturbed: f.get("disturbed"),
        restored: f.get("restored"),
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
        disturbed_ha: x.disturbed_ha,
        restored_ha: x.restored_ha,
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
    let l = list_query(&HashMap::from([("year".to_string(), year.to_string())]));
    let filing = Filing {
        errors,
        ..Filing::default()
    };
    let page = reports_view(&st, &user, year, l, filing, f).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
}

/// `GET /annual-reports/list.xlsx?year=Y&…`: every report of the list as filtered and sorted,
/// as an Excel table: figures as numbers, a report not filed says 未报送 (never 0).
pub async fn list_xlsx(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    use minplan_report::{Cell, Column, Table};
    let year = year_of(&st, &q).await?;
    let l = list_query(&q);
    let rows = report_rows(&st, &user, year, &l).await?;
    let columns = vec![
        Column::new("年度", 8.0),
        Column::new("矿山", 30.0),
        Column::new("许可证号", 22.0),
        Column::new("矿业权人", 30.0),
        Column::new("矿种", 14.0),
        Column::new("开采量", 10.0),
        Column::new("单位", 10.0),
        Column::new("产值（万元）", 12.0),
        Column::new("从业人员", 10.0),
        Column::new("报送截止日", 14.0),
        Column::new("报送日期", 14.0),
        Column::new("状态", 14.0),
    ];
    let rows: Vec<Vec<Cell>> = rows
        .iter()
        .map(|r| {
            let mut row = vec![
                Cell::Number(f64::from(r.year)),
                Cell::text(&r.mine_name),
                Cell::text(&r.right_id),
                Cell::text(&r.holder_name),
            ];
            match &r.report {
                Some(x) => row.extend([
                    Cell::text(&x.mineral),
                    Cell::Number(x.extraction),
                    Cell::text(x.unit.to_string()),
                    Cell::Number(x.output_value_wan_yuan),
                    Cell::Number(x.staff as f64),
                ]),
                None => row.extend([
                    Cell::Empty,
                    Cell::text("未报送"),
                    Cell::Empty,
                    Cell::text("未报送"),
                    Cell::text("未报送"),
                ]),
            }
            row.push(Cell::Date(r.due));
            row.push(
                r.report
                    .as_ref()
                    .map_or(Cell::Empty, |x| Cell::Date(x.filed_on)),
            );
            row.push(Cell::text(&r.status_label));
            row
        })
        .collect();
    let table = Table {
        sheet: format!("{year}年度报告"),
        columns,
        about: listing::about(
            &format!("{year} 年度应报年度报告"),
            l.describe(&[("q", "查找"), ("status", "报送状态"), ("year", "年度")]),
            &l.sort_label(&REPORT_COLUMNS, "矿山"),
            rows.len(),
        ),
        rows,
    };
    listing::xlsx_download(
        &table,
        &format!("{year}年度报告"),
        &format!("annual-reports-{year}"),
    )
}
