//! The printable documents of the checks: 检查记录表 and 责令整改通知书 of one target (Word),
//! and the year's 抽查结果 — the table (Excel) and the summary (Word). The issuer is the
//! bureau's settings ([`crate::settings::issuer`]).

use crate::AppState;
use crate::http::auth::policy;
use crate::http::download::{DOCX, XLSX, attachment};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use minplan_domain::supervision::checks::outcome_label;
use minplan_report::inspection::{CheckSheet, YearResultRow};
use std::collections::HashMap;

fn report_error(e: minplan_report::ReportError) -> AppError {
    AppError::Http {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid",
        message: e.to_string(),
    }
}

async fn sheet(st: &AppState, id: i64) -> Result<CheckSheet, AppError> {
    let nf = || AppError::NotFound(format!("编号为 {id} 的抽查对象没有检查记录"));
    let t = st.store.check_target(id, None).await?.ok_or_else(nf)?;
    let r = st.store.check_record(id).await?.ok_or_else(nf)?;
    let cal = st.store.work_calendar().await?;
    let first = r
        .rectify_days
        .map(|n| cal.add_working_days(r.check_date, n));
    Ok(CheckSheet {
        plan_name: t.task.plan_name.clone(),
        holder_name: t.task.holder_name.clone(),
        credit_code: t.task.credit_code.clone(),
        licence_no: t.task.right_id.clone(),
        check_date: r.check_date,
        method: r.method.clone(),
        inspectors: r
            .inspectors
            .iter()
            .map(|i| (i.name.clone(), i.badge_no.clone()))
            .collect(),
        items: r.items.clone(),
        evidence: r
            .evidence
            .iter()
            .map(|e| (e.name.clone(), e.sha256.clone()))
            .collect(),
        finding: r.finding,
        deadline: first.as_ref().map(|c| c.value),
        rectify_days: r.rectify_days,
        calendar_note: first.and_then(|c| c.note()),
    })
}

async fn issuer(st: &AppState) -> Result<minplan_report::Issuer, AppError> {
    let s = crate::settings::effective(st).await?;
    Ok(crate::settings::issuer(
        &s,
        minplan_store::today().to_string(),
    ))
}

/// `GET /checks/{id}/record.docx`: the 检查记录表, dated the check date.
pub async fn record_docx(
    State(st): State<AppState>,
    _: RequireRole<policy::RecordChecks>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = sheet(&st, id).await?;
    let bytes = minplan_report::inspection::check_record_docx(&s, &issuer(&st).await?)
        .map_err(report_error)?;
    Ok(attachment(
        bytes,
        DOCX,
        &format!("检查记录表-{}.docx", s.licence_no),
        &format!("check-record-{id}.docx"),
    ))
}

/// `GET /checks/{id}/notice.docx`: the 责令整改通知书 (only for a record with an item
/// 责令限期整改; otherwise 422 saying so).
pub async fn notice_docx(
    State(st): State<AppState>,
    _: RequireRole<policy::RecordChecks>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = sheet(&st, id).await?;
    let bytes = minplan_report::inspection::rectification_notice_docx(&s, &issuer(&st).await?)
        .map_err(report_error)?;
    Ok(attachment(
        bytes,
        DOCX,
        &format!("责令整改通知书-{}.docx", s.licence_no),
        &format!("rectification-notice-{id}.docx"),
    ))
}

fn year_of(q: &HashMap<String, String>) -> Result<i32, AppError> {
    match q.get("year").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(minplan_store::today().year()),
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| AppError::BadRequest(format!("年度“{y}”应为 2000 至 2100 之间的年份"))),
    }
}

async fn year_rows(st: &AppState, year: i32) -> Result<Vec<YearResultRow>, AppError> {
    Ok(st
        .store
        .check_results_year(year)
        .await?
        .into_iter()
        .map(|r| match r.record {
            Some(rec) => YearResultRow {
                plan_name: r.plan_name,
                licence_no: r.right_id,
                holder_name: r.holder_name,
                check_date: Some(rec.check_date),
                items: rec
                    .items
                    .iter()
                    .map(|i| (i.item_name.clone(), i.finding.label().to_string()))
                    .collect(),
                finding: Some(rec.finding.label().to_string()),
                outcome: outcome_label(&rec.state, Some(rec.finding)).to_string(),
            },
            None => YearResultRow {
                plan_name: r.plan_name,
                licence_no: r.right_id,
                holder_name: r.holder_name,
                check_date: None,
                items: vec![],
                finding: None,
                outcome: "未检查".into(),
            },
        })
        .collect())
}

/// `GET /checks/results.xlsx?year=`: the year's 抽查结果 (default this year).
pub async fn results_xlsx(
    State(st): State<AppState>,
    _: RequireRole<policy::RecordChecks>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let year = year_of(&q)?;
    let rows = year_rows(&st, year).await?;
    let bytes = minplan_report::inspection::check_results_xlsx(
        year,
        &rows,
        &crate::http::words::beijing(&minplan_store::now_rfc3339()),
    )
    .map_err(report_error)?;
    Ok(attachment(
        bytes,
        XLSX,
        &format!("{year}年抽查结果.xlsx"),
        &format!("check-results-{year}.xlsx"),
    ))
}

/// `GET /checks/results.docx?year=`: the year's 抽查结果 summary (counts by item, finding and
/// outcome; 无数据 for a year without checks).
pub async fn results_docx(
    State(st): State<AppState>,
    _: RequireRole<policy::RecordChecks>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let year = year_of(&q)?;
    let rows = year_rows(&st, year).await?;
    let bytes = minplan_report::inspection::check_results_docx(year, &rows, &issuer(&st).await?)
        .map_err(report_error)?;
    Ok(attachment(
        bytes,
        DOCX,
        &format!("{year}年度抽查结果汇总.docx"),
        &format!("check-results-{year}.docx"),
    ))
}
