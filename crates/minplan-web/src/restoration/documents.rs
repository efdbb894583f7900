//! The documents of 生态修复: the 生态修复台账 XLSX (`/restoration/ledger.xlsx?year=`: sheets
//! 历史遗留矿山, 修复项目, 治理恢复基金) and the 年度矿山生态修复工作报告 DOCX
//! (`/restoration/report.docx?year=`), both as on 31 December of the year (or today while the
//! year runs). The store's records are put into the report crate's rows here, in people's
//! words; the fund row of a mine is cumulative from the method's first quarter to the last
//! quarter ended by that date, so that its 少提取 is the one the orders act on (《规划》六（二）5).

use crate::AppState;
use crate::http::auth::policy;
use crate::http::download::{DOCX, XLSX, attachment};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use axum::extract::{Query, State};
use axum::response::Response;
use minplan_domain::date::Date;
use minplan_domain::restoration::fund::OrderStatus;
use minplan_domain::restoration::projects::{FundingSource, Site};
use minplan_report::restoration::{
    AnnualRestorationReport, FundRow, GreenMineRow, LegacyMineRow, ProjectRow, RestorationLedger,
};
use minplan_store::StoreError;
use serde::Deserialize;
use std::collections::HashMap;

/// `?year=`: the year (default: this year).
#[derive(Debug, Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

/// The year asked for and the date the documents stand on: 31 December, or today while the
/// year runs.
fn year_and_date(st: &AppState, q: &YearQuery) -> Result<(i32, Date), AppError> {
    let today = st.today();
    let year = match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => today.year(),
        Some(s) => s
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=today.year()).contains(y))
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "年份“{s}”无法识别：请填写 2000 至 {} 之间的年份",
                    today.year()
                ))
            })?,
    };
    let end = Date::new(year, 12, 31).unwrap_or(today);
    Ok((year, if today < end { today } else { end }))
}

fn report_error(e: minplan_report::ReportError) -> AppError {
    AppError::from(StoreError::Internal(e.to_string()))
}

/// The ledger as on `as_of`.
///
/// # Errors
/// Database errors.
pub async fn ledger(st: &AppState, as_of: Date) -> Result<RestorationLedger, AppError> {
    let sp = st.plan().await;
    let legacy_records = st.store.legacy_mines().await?;
    let legacy_names: HashMap<i64, String> = legacy_records
        .iter()
        .map(|m| (m.id, m.input.name.clone()))
        .collect();
    let mine_names: HashMap<i64, String> = st
        .store
        .mines()
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    let legacy = legacy_records
        .iter()
        .map(|m| {
            let i = &m.input;
            LegacyMineRow {
                name: i.name.clone(),
                location: format!("{}{}", i.township, i.village),
                former_use: format!("{}，{}", i.mineral, i.method.label()),
                area_km2: m.area_km2,
                problems: i
                    .findings
                    .iter()
                    .map(|f| f.kind.label())
                    .collect::<Vec<_>>()
                    .join("、"),
                responsible: i.responsible.clone().unwrap_or_else(|| "无责任主体".into()),
                direction: format!(
                    "{}（{}）：{}",
                    i.direction.principle(),
                    i.direction.label(),
                    i.reason
                ),
                status: m.status.label().into(),
                schematic: i.schematic,
            }
        })
        .collect();
    let projects = st
        .store
        .restoration_projects()
        .await?
        .into_iter()
        .filter(|p| p.input.start <= as_of)
        .map(|p| {
            let by = |s: FundingSource| -> f64 {
                p.input
                    .funding
                    .iter()
                    .filter(|l| l.source == s)
                    .map(|l| l.amount_wan_yuan)
                    .sum()
            };
            let sites = p
                .input
                .sites
                .iter()
                .map(|s| match s {
                    Site::Legacy(id) => legacy_names
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| "（已删除的历史遗留矿山）".into()),
                    Site::MineDisturbed(id) => format!(
                        "{}损毁区",
                        mine_names
                            .get(id)
                            .cloned()
                            .unwrap_or_else(|| "（未登记矿山）".into())
                    ),
                })
                .collect::<Vec<_>>()
                .join("、");
            let accepted = p
                .acceptance
                .as_ref()
                .map(|a| a.date)
                .filter(|d| *d <= as_of);
            let status = if accepted.is_some() {
                "已验收"
            } else if p.input.end.is_some_and(|e| e <= as_of) {
                "已完工"
            } else {
                "实施中"
            };
            ProjectRow {
                name: p.input.name.clone(),
                sites: if sites.is_empty() && p.input.baseline {
                    "基期项目（未登记地块）".into()
                } else {
                    sites
                },
                key_project: p.input.key_project,
                central: by(FundingSource::Central),
                provincial: by(FundingSource::Provincial),
                local: by(FundingSource::Local),
                social: by(FundingSource::Social),
                company_fund: by(FundingSource::CompanyFund),
                spent: p.input.spent_wan_yuan,
                restored_area_km2: Some(p.input.restored_area_km2),
                start: Some(p.input.start),
                accepted,
                status: if p.input.baseline {
                    format!("{status}（基期项目）")
                } else {
                    status.into()
                },
            }
        })
        .collect();
    let mut fund = Vec::new();
    for id in st.store.fund_mine_ids().await? {
        let s = st.store.fund_statement(id, as_of).await?;
        let last = s.rows.iter().rev().find(|r| r.quarter.end() <= as_of);
        let open_orders = s
            .orders
            .iter()
            .filter(|o| {
                o.order.issued_on <= as_of
                    && !matches!(o.status, OrderStatus::Remedied(d) if d <= as_of)
            })
            .count();
        let mut note = Vec::new();
        let (period, due, accrued, withdrawn, balance, shortfall) = match last {
            Some(r) => {
                let first = s
                    .rows
                    .first()
                    .map(|f| f.quarter.chinese())
                    .unwrap_or_default();
                if let Err(why) = &r.cumulative_due {
                    note.push(why.clone());
                }
                (
                    format!("{}至{}累计", first, r.quarter.chinese()),
                    r.cumulative_due.as_ref().ok().copied(),
                    r.cumulative_accrued,
                    s.ledger.spent_by(r.quarter.end()),
                    r.balance,
                    r.shortfall.as_ref().ok().copied(),
                )
            }
            None => {
                note.push(if s.method.is_none() {
                    minplan_store::NO_METHOD.to_string()
                } else {
                    "尚无已结束的计提季度".to_string()
                });
                (
                    format!("截至{}", as_of.chinese()),
                    None,
                    s.ledger.accrued_by(as_of),
                    s.ledger.spent_by(as_of),
                    s.ledger.balance_on(as_of),
                    None,
                )
            }
        };
        if open_orders > 0 {
            note.push(format!("责令限期整改 {open_orders} 件未整改完毕"));
        }
        fund.push(FundRow {
            mine: s.mine.mine_name.clone(),
            holder: s.mine.holder_name.clone(),
            period,
            due,
            accrued,
            withdrawn,
            balance,
            shortfall,
            note: note.join("；"),
        });
    }
    Ok(RestorationLedger {
        unit: sp.loaded.plan.region.name.clone(),
        as_of,
        legacy,
        projects,
        fund,
    })
}

/// `GET /restoration/ledger.xlsx?year=`: the 生态修复台账 of the year.
///
/// # Errors
/// 400 for a year that cannot be read; database errors.
pub async fn ledger_xlsx(
    _: RequireRole<policy::ViewRestoration>,
    State(st): State<AppState>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let (year, as_of) = year_and_date(&st, &q)?;
    let l = ledger(&st, as_of).await?;
    let bytes = minplan_report::restoration::restoration_ledger_xlsx(&l).map_err(report_error)?;
    Ok(attachment(
        bytes,
        XLSX,
        &format!("生态修复台账{year}.xlsx"),
        &format!("restoration-ledger-{year}.xlsx"),
    ))
}

/// `GET /restoration/report.docx?year=`: the 年度矿山生态修复工作报告 of the year.
///
/// # Errors
/// 400 for a year that cannot be read; database errors.
pub async fn report_docx(
    _: RequireRole<policy::ViewRestoration>,
    State(st): State<AppState>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let (year, as_of) = year_and_date(&st, &q)?;
    let ledger = ledger(&st, as_of).await?;
    let indicators = crate::monitoring::restoration::section(&st, year).await?;
    let green = st
        .store
        .green_listings()
        .await?
        .into_iter()
        .filter(|l| l.listing.on(as_of))
        .map(|l| GreenMineRow {
            mine: l.mine_name,
            level: l.listing.level.label().into(),
            listed: l.listing.date_in,
            score: None,
        })
        .collect();
    let schedule = crate::mine_restoration::report_sentences(&st, year).await?;
    let plan = st.plan().await.loaded.plan.identity.name.value.clone();
    let issuer = crate::settings::issuer(
        &crate::settings::effective(&st).await?,
        st.today().to_string(),
    );
    let bytes = minplan_report::restoration::annual_restoration_docx(
        &AnnualRestorationReport {
            year,
            plan,
            indicators,
            ledger,
            schedule,
            green,
        },
        &issuer,
    )
    .map_err(report_error)?;
    Ok(attachment(
        bytes,
        DOCX,
        &format!("{year}年度矿山生态修复工作报告.docx"),
        &format!("restoration-report-{year}.docx"),
    ))
}
