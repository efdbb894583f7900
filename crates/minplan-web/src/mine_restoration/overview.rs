//! Every mine's 三同时 and 边开采边治理 on one page (`/restoration/mines`): the two plans on
//! file and approved, the 责任书, the schedule's verdict at the end of the last finished year,
//! the 治理验收; and the same findings as sentences for the 年度矿山生态修复工作报告
//! ([`report_sentences`]). 《规划》六（二）1（1）（2）, 六（二）3. The bureau's setting of how
//! many days apart the two plans may be filed and still count as filed together is shown and
//! (生态修复, 系统管理员) changed here (`POST /restoration/mines/settings`).

use crate::AppState;
use crate::http::auth::{Permission, actor, allowed, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::SubmittedForm;
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::restoration::schedule::{PlanKind, Standing};
use minplan_store::{StoreError, User};
use std::collections::HashMap;

/// One mine as the overview lists it, in people's words.
pub struct MineRow {
    /// 矿山名称.
    pub name: String,
    /// The link to its right's 三同时 page, or "" without a right.
    pub href: String,
    /// 开发利用方案: 已批复（文号） / 已报送，未批复 / 未报送.
    pub development: String,
    /// 矿区生态修复方案, the same words.
    pub restoration: String,
    /// 责任书: 已签订（日期） / 未签订.
    pub letter: String,
    /// The schedule's verdict at the end of `year` (按计划, 滞后 x 公顷, 无法判定, 无方案).
    pub schedule: String,
    /// Whether it is behind.
    pub behind: bool,
    /// 治理验收: 已验收（日期） / 未验收.
    pub acceptance: String,
}

fn plan_words(filings: &[minplan_store::PlanFilingRecord], kind: PlanKind) -> String {
    let of_kind: Vec<_> = filings.iter().filter(|f| f.filing.kind == kind).collect();
    if let Some(a) = of_kind
        .iter()
        .rev()
        .find(|f| f.filing.approved_on.is_some())
    {
        format!(
            "已批复（{}，{}）",
            a.filing
                .approved_on
                .map(|d| d.chinese())
                .unwrap_or_default(),
            a.filing.approval_number.clone().unwrap_or_default()
        )
    } else if let Some(f) = of_kind.last() {
        format!("已报送（{}），未批复", f.filing.filed_on.chinese())
    } else {
        "未报送".into()
    }
}

/// Every mine's row, the schedule judged at the end of `year`.
///
/// # Errors
/// Database errors.
pub async fn rows(st: &AppState, year: i32) -> Result<Vec<MineRow>, AppError> {
    let mut out = Vec::new();
    for m in st.store.mines().await? {
        let filings = st.store.mine_plan_filings(m.id).await?;
        let letter = st.store.responsibility_letter(m.id).await?;
        let acceptance = st.store.restoration_acceptance(m.id).await?;
        let schedule = st.store.mine_schedule(m.id, year).await?;
        let (schedule, behind) = match schedule.as_ref().and_then(|s| s.rows.last()) {
            None => ("无经批复的生态修复方案，无法对照进度".to_string(), false),
            Some(r) => match r.standing {
                Standing::Behind => (
                    format!(
                        "{}年末滞后 {} 公顷（计划累计 {}，已复垦累计 {}）",
                        r.year,
                        fmt_ha(r.shortfall_ha().unwrap_or(0.0)),
                        fmt_ha(r.planned_cum_ha),
                        r.restored_cum_ha.map(fmt_ha).unwrap_or_default()
                    ),
                    true,
                ),
                s => (format!("{}年末{}", r.year, s.label()), false),
            },
        };
        out.push(MineRow {
            href: m
                .rights
                .last()
                .map(|r| format!("/rights/{r}/restoration"))
                .unwrap_or_default(),
            name: m.name,
            development: plan_words(&filings, PlanKind::Development),
            restoration: plan_words(&filings, PlanKind::Restoration),
            letter: letter
                .map(|l| format!("已签订（{}）", l.signed_on.chinese()))
                .unwrap_or_else(|| "未签订".into()),
            schedule,
            behind,
            acceptance: acceptance
                .map(|a| format!("已验收（{}）", a.accepted_on.chinese()))
                .unwrap_or_else(|| "未验收".into()),
        });
    }
    Ok(out)
}

fn fmt_ha(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The findings of `year` as sentences for the annual report: one per mine (plans, schedule),
/// or one sentence saying no mine is registered.
///
/// # Errors
/// Database errors.
pub async fn report_sentences(st: &AppState, year: i32) -> Result<Vec<String>, AppError> {
    let rows = rows(st, year).await?;
    if rows.is_empty() {
        return Ok(vec![
            "登记簿中没有矿山，无三同时和边开采边治理事项。".into(),
        ]);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            format!(
                "{}：开发利用方案{}，矿区生态修复方案{}，责任书{}；{}。",
                r.name, r.development, r.restoration, r.letter, r.schedule
            )
        })
        .collect())
}

#[derive(Template)]
#[template(path = "mine_restoration_overview.html")]
struct OverviewPage {
    layout: Layout,
    year: i32,
    rows: Vec<MineRow>,
    /// The bureau's setting: days apart the two plans may be filed (0 = the same date).
    max_days_apart: u32,
    can_manage: bool,
    /// The value typed into the refused settings form, else "".
    typed: String,
    /// Why the settings form was refused, else "".
    error: String,
    saved: bool,
}

async fn render(
    st: &AppState,
    user: &User,
    status: StatusCode,
    typed: String,
    error: String,
    saved: bool,
) -> Result<Response, AppError> {
    let year = st.today().year() - 1;
    let rows = rows(st, year).await?;
    let max_days_apart = st.store.plans_max_days_apart().await?;
    let sp = st.plan().await;
    let page = OverviewPage {
        layout: layout(&sp, "restoration"),
        year,
        rows,
        max_days_apart,
        can_manage: allowed(Some(user.role), Permission::ManageRestoration),
        typed,
        error,
        saved,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /restoration/mines`: every mine's 三同时 and 边开采边治理, judged at the end of the last
/// finished year, and the bureau's 同步报送 setting (a form for 生态修复 and 系统管理员).
///
/// # Errors
/// Database errors.
pub async fn page(
    RequireRole { user, .. }: RequireRole<policy::ViewRestoration>,
    State(st): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let saved = q.contains_key("saved");
    render(
        &st,
        &user,
        StatusCode::OK,
        String::new(),
        String::new(),
        saved,
    )
    .await
}

/// `POST /restoration/mines/settings` (form `max_days_apart`, whole days 0–90): sets the
/// bureau's setting of how many days apart the 开发利用方案 and the 矿区生态修复方案 may be
/// filed and still count as filed together (三同时, 《规划》六（二）1（1））, audit
/// `mine_restoration.settings` (303 to the page), or the page again with the problem (422),
/// nothing written.
///
/// # Errors
/// Database errors.
pub async fn settings(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = SubmittedForm::read(&headers, body).await;
    let typed = form.get("max_days_apart").trim().to_string();
    let refuse = |m: String| {
        let typed = typed.clone();
        let st = st.clone();
        let user = user.clone();
        async move {
            render(
                &st,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                typed,
                m,
                false,
            )
            .await
        }
    };
    if let Some(p) = &form.problem {
        return refuse(format!("{p}；未保存")).await;
    }
    let days = match typed.parse::<u32>() {
        Ok(d) if d <= 90 => d,
        _ if typed.is_empty() => {
            return refuse("请填写同步报送的间隔天数（0–90 的整数）；未保存".into()).await;
        }
        _ => {
            return refuse(format!(
                "同步报送的间隔天数应为 0–90 的整数，收到“{typed}”；未保存"
            ))
            .await;
        }
    };
    match st.store.set_plans_max_days_apart(days, &actor(&user)).await {
        Ok(()) => Ok(Redirect::to("/restoration/mines?saved=1").into_response()),
        Err(StoreError::Invalid(v)) => {
            let m = v
                .into_iter()
                .map(|e| e.message)
                .collect::<Vec<_>>()
                .join("；");
            refuse(format!("{m}；未保存")).await
        }
        Err(e) => Err(e.into()),
    }
}
