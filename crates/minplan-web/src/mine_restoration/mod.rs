//! 三同时 and 边开采边治理 of a mine (《规划》六（二）1（1）（2）, 六（二）3), on the page
//! `/rights/{id}/restoration` of the mine's right: the 开发利用方案 and the 矿区生态修复方案
//! filed, approved and whether they were filed together (a bureau setting); the 责任书; the
//! schedule of the approved plan against the annual reports' 损毁 / 复垦 areas; the
//! 矿山地质环境治理验收 a closure needs. 系统管理员 and 生态修复 write
//! ([`Permission::ManageRestoration`]); staff read; a 矿山企业 sees its own mines and notes its
//! plans' progress ([`Permission::FileRestoration`]).

mod overview;

pub use overview::report_sentences;

use crate::AppState;
use crate::http::auth::{Permission, actor, allowed, may_see, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, SubmittedForm};
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::date::Date;
use minplan_domain::restoration::schedule::{
    PlanFiling, PlanKind, ResponsibilityLetter, RestorationAcceptance, Together, parse_schedule,
};
use minplan_store::{StoreError, User};
use std::collections::HashMap;

/// The routes.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/restoration/mines", get(overview::page))
        .route("/restoration/mines/settings", post(overview::settings))
        .route("/rights/{id}/restoration", get(page))
        .route("/rights/{id}/restoration/plans", post(file_plan))
        .route(
            "/rights/{id}/restoration/plans/{lid}/approval",
            post(approve_plan),
        )
        .route(
            "/rights/{id}/restoration/plans/{lid}/progress",
            post(note_progress),
        )
        .route("/rights/{id}/restoration/letter", post(sign_letter))
        .route("/rights/{id}/restoration/acceptance", post(accept))
        .route(
            "/applications/{id}/restoration-plans",
            get(application_page).post(application_file),
        )
}

/// A plan as listed.
struct PlanRow {
    id: i64,
    kind: &'static str,
    title: String,
    author: String,
    filed_on: String,
    application: String,
    approval: String,
    approved: bool,
    budget: String,
    period: String,
    schedule: String,
    progress: String,
}

/// A schedule year as listed.
struct YearRow {
    year: i32,
    planned: String,
    planned_cum: String,
    disturbed: String,
    restored: String,
    restored_cum: String,
    standing: String,
    behind: bool,
}

#[derive(Template)]
#[template(path = "mine_restoration.html")]
struct RestorationPage {
    layout: Layout,
    right_id: String,
    enc: String,
    right_name: String,
    holder: String,
    mine_name: String,
    has_mine: bool,
    plans: Vec<PlanRow>,
    together: String,
    together_ok: bool,
    letter: String,
    schedule_note: String,
    years: Vec<YearRow>,
    acceptance: String,
    accepted: bool,
    can_manage: bool,
    can_note: bool,
    refused: String,
    errors: Vec<String>,
    notice: String,
    kinds: [&'static str; 2],
}

fn ha(v: f64) -> String {
    minplan_domain::citation::format_number((v * 10_000.0).round() / 10_000.0)
}

fn opt_ha(v: Option<f64>) -> String {
    v.map_or_else(|| "未填报".to_string(), ha)
}

fn plan_row(f: &minplan_store::PlanFilingRecord) -> PlanRow {
    let p = &f.filing;
    PlanRow {
        id: f.id,
        kind: p.kind.full_name(),
        title: p.title.clone(),
        author: p.author.clone(),
        filed_on: p.filed_on.chinese(),
        application: p.application_number.clone().unwrap_or_default(),
        approval: match (&p.approved_on, &p.approval_number) {
            (Some(d), Some(n)) => format!("{}批复，{n}", d.chinese()),
            _ => "尚未审查批复".into(),
        },
        approved: p.approved_on.is_some(),
        budget: p
            .budget_wan_yuan
            .map(|b| format!("{} 万元", minplan_domain::citation::format_number(b)))
            .unwrap_or_default(),
        period: match (p.from_year, p.service_years) {
            (Some(y), Some(n)) => format!("{y}—{} 年（{n} 年）", y + n as i32 - 1),
            _ => String::new(),
        },
        schedule: p
            .yearly_restoration_ha
            .iter()
            .map(|(y, a)| format!("{y}年 {} 公顷", ha(*a)))
            .collect::<Vec<_>>()
            .join("；"),
        progress: match (&f.progress_note, f.progress_on) {
            (Some(n), Some(d)) => format!("{}：{n}", d.chinese()),
            (Some(n), None) => n.clone(),
            _ => String::new(),
        },
    }
}

/// The right `id` if `user` may see it, else 404 (a 矿山企业 is not told another's exists).
async fn visible_right(
    st: &AppState,
    user: &User,
    id: &str,
) -> Result<minplan_store::RightRecord, AppError> {
    let r = match st.store.right_record(id).await {
        Ok(r) => r,
        Err(StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
        Err(e) => return Err(e.into()),
    };
    if !may_see(user, r.credit_code.as_deref()) {
        return Err(AppError::NotFound(format!("登记簿中没有矿业权“{id}”")));
    }
    Ok(r)
}

/// The mine of right `id` with its name, when it has one.
async fn mine_of(st: &AppState, id: &str) -> Result<Option<(i64, String)>, AppError> {
    let h = match st.store.right_history(id).await {
        Ok(h) => h,
        Err(StoreError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let Some(mine) = h.current().mine_id else {
        return Ok(None);
    };
    let name = st
        .store
        .mines()
        .await?
        .into_iter()
        .find(|m| m.id == mine)
        .map(|m| m.name)
        .unwrap_or_default();
    Ok(Some((mine, name)))
}

fn enc(id: &str) -> String {
    crate::http::auth::percent_encode(id).replace('/', "%2F")
}

async fn render(
    st: &AppState,
    user: &User,
    id: &str,
    refused: &str,
    errors: Vec<String>,
    notice: String,
) -> Result<Response, AppError> {
    let r = visible_right(st, user, id).await?;
    let sp = st.plan().await;
    let mine = mine_of(st, id).await?;
    let today = st.today();
    let mut page = RestorationPage {
        layout: layout(&sp, "rights"),
        enc: enc(&r.id),
        right_id: r.id.clone(),
        right_name: r.name.clone(),
        holder: r.holder_name.clone(),
        mine_name: mine.as_ref().map(|m| m.1.clone()).unwrap_or_default(),
        has_mine: mine.is_some(),
        plans: vec![],
        together: String::new(),
        together_ok: false,
        letter: "未签订".into(),
        schedule_note: String::new(),
        years: vec![],
        acceptance: "未验收".into(),
        accepted: false,
        can_manage: allowed(Some(user.role), Permission::ManageRestoration),
        can_note: allowed(Some(user.role), Permission::FileRestoration),
        refused: refused.to_string(),
        errors,
        notice,
        kinds: [PlanKind::Development.label(), PlanKind::Restoration.label()],
    };
    if let Some((mine, _)) = mine {
        let filings = st.store.mine_plan_filings(mine).await?;
        page.plans = filings.iter().map(plan_row).collect();
        let latest = |k: PlanKind| {
            filings
                .iter()
                .filter(|f| f.filing.kind == k)
                .max_by_key(|f| f.filing.filed_on)
        };
        let max_days = st.store.plans_max_days_apart().await?;
        match (latest(PlanKind::Development), latest(PlanKind::Restoration)) {
            (Some(d), Some(r)) => {
                let t = Together::of(d.filing.filed_on, r.filing.filed_on, max_days);
                page.together_ok = t.together;
                page.together = format!("三同时：{}（同步报送的间隔由本局设置）", t.label());
            }
            (d, r) => {
                let mut missing = vec![];
                if d.is_none() {
                    missing.push("矿产资源开发利用方案");
                }
                if r.is_none() {
                    missing.push("矿区生态修复方案");
                }
                page.together = format!("三同时：未见{}报送记录", missing.join("、"));
            }
        }
        if let Some(l) = st.store.responsibility_letter(mine).await? {
            page.letter = format!(
                "{}由{}签订{}",
                l.signed_on.chinese(),
                l.signed_by,
                l.document.map(|d| format!("（{d}）")).unwrap_or_default()
            );
        }
        let through = today.year() - 1;
        match st.store.mine_schedule(mine, through).await? {
            None => {
                page.schedule_note =
                    "没有已批复且填写了服务期和年度计划的矿区生态修复方案：无法对照进度".into();
            }
            Some(s) => {
                page.schedule_note = format!(
                    "已批复方案：预算 {} 万元，服务期 {}—{} 年；对照至 {through} 年（已结束的年度），面积单位公顷",
                    minplan_domain::citation::format_number(s.plan.budget_wan_yuan),
                    s.plan.from_year,
                    s.plan.from_year + s.plan.service_years as i32 - 1
                );
                page.years = s
                    .rows
                    .iter()
                    .map(|y| YearRow {
                        year: y.year,
                        planned: ha(y.planned_ha),
                        planned_cum: ha(y.planned_cum_ha),
                        disturbed: opt_ha(y.disturbed_ha),
                        restored: opt_ha(y.restored_ha),
                        restored_cum: y.restored_cum_ha.map_or_else(|| "无法判定".into(), ha),
                        standing: match y.shortfall_ha() {
                            Some(s) => format!("{}（差 {} 公顷）", y.standing.label(), ha(s)),
                            None => y.standing.label().to_string(),
                        },
                        behind: y.shortfall_ha().is_some(),
                    })
                    .collect();
            }
        }
        if let Some(a) = st.store.restoration_acceptance(mine).await? {
            page.accepted = true;
            page.acceptance = format!(
                "{}经{}验收，{}",
                a.accepted_on.chinese(),
                a.accepted_by,
                a.document
            );
        }
    }
    let status = if refused.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /rights/{id}/restoration` (`?saved=1` after a change): the mine's two plans, 责任书,
/// schedule against the annual reports and restoration acceptance, with the forms the viewer
/// may use.
pub async fn page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRegister>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = if q.contains_key("saved") {
        "已保存".to_string()
    } else {
        String::new()
    };
    render(&st, &user, &id, "", vec![], notice).await
}

/// The shared end of a write: 303 back to the page, or the page again with the problems.
async fn finish<T>(
    st: &AppState,
    user: &User,
    id: &str,
    refused: &str,
    result: Result<T, StoreError>,
) -> Result<Response, AppError> {
    match result {
        Ok(_) => {
            Ok(Redirect::to(&format!("/rights/{}/restoration?saved=1", enc(id))).into_response())
        }
        Err(StoreError::Invalid(v)) => {
            let errors = v.into_iter().map(|e| e.message).collect();
            render(st, user, id, refused, errors, String::new()).await
        }
        Err(StoreError::NotFound(m)) => Err(AppError::NotFound(m)),
        Err(e) => Err(e.into()),
    }
}

/// The page again with problems of reading the form (nothing written).
async fn refuse(
    st: &AppState,
    user: &User,
    id: &str,
    refused: &str,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let errors = errors.0.into_iter().map(|e| e.message).collect();
    render(st, user, id, refused, errors, String::new()).await
}

fn date_field(
    form: &SubmittedForm,
    field: &str,
    label: &str,
    errors: &mut FieldErrors,
) -> Option<Date> {
    let v = form.get(field).trim();
    match Date::parse(v) {
        Ok(d) => Some(d),
        Err(_) if v.is_empty() => {
            errors.push(field, format!("请填写{label}（如 2025-01-01）"));
            None
        }
        Err(e) => {
            errors.push(field, format!("{label}：{e}"));
            None
        }
    }
}

/// The mine of a right the viewer may see, or the page again saying it has none.
async fn the_mine(
    st: &AppState,
    user: &User,
    id: &str,
) -> Result<Result<i64, FieldErrors>, AppError> {
    visible_right(st, user, id).await?;
    Ok(match mine_of(st, id).await? {
        Some((m, _)) => Ok(m),
        None => {
            let mut e = FieldErrors::default();
            e.push(
                "form",
                "该矿业权没有矿山档案（探矿权或未登记矿山），不登记三同时记录",
            );
            Err(e)
        }
    })
}

/// `POST /rights/{id}/restoration/plans` (form: `kind` 开发利用方案 / 生态修复方案, `title`,
/// `author`, `filed_on`, optional `application_number`, `approved_on` + `approval_number`;
/// for a 生态修复方案 `budget` 万元, `from_year`, `service_years`, `schedule` as
/// `年份:公顷` pairs): files a plan for the right's mine, audit `mine_plan.file` (303), or the
/// page again with every problem (422).
pub async fn file_plan(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let mine = match the_mine(&st, &user, &id).await? {
        Ok(m) => m,
        Err(e) => return refuse(&st, &user, &id, "plan", e).await,
    };
    let form = SubmittedForm::read(&headers, body).await;
    let filing = match read_plan(&form) {
        Ok(f) => f,
        Err(errors) => return refuse(&st, &user, &id, "plan", errors).await,
    };
    let r = st
        .store
        .file_mine_plan(Some(mine), &filing, &actor(&user))
        .await;
    finish(&st, &user, &id, "plan", r).await
}

/// Reads a plan form (`kind`, `title`, `author`, `filed_on`, optional `application_number`,
/// `approved_on` + `approval_number`, `budget`, `from_year`, `service_years`, `schedule`): the
/// filing, or every problem of reading it (the store then runs the domain check).
fn read_plan(form: &SubmittedForm) -> Result<PlanFiling, FieldErrors> {
    let mut errors = FieldErrors::default();
    if let Some(p) = &form.problem {
        errors.push("form", p.clone());
    }
    let kind = PlanKind::parse(form.get("kind"));
    if kind.is_none() {
        errors.push("kind", "方案类型应为 开发利用方案 或 生态修复方案");
    }
    let filed_on = date_field(form, "filed_on", "报送日期", &mut errors);
    let approved_on = match form.get("approved_on").trim() {
        "" => None,
        _ => date_field(form, "approved_on", "批复日期", &mut errors),
    };
    let text = |f: &str| Some(form.get(f).trim().to_string()).filter(|s| !s.is_empty());
    let mut num = |f: &str, label: &str| -> Option<f64> {
        let v = form.get(f).trim();
        if v.is_empty() {
            return None;
        }
        match v.parse::<f64>() {
            Ok(x) if x.is_finite() => Some(x),
            _ => {
                errors.push(f, format!("{label}“{v}”不是数字"));
                None
            }
        }
    };
    let budget = num("budget", "预算（万元）");
    let from_year = num("from_year", "服务期起始年份");
    let service_years = num("service_years", "服务年限");
    let whole = |v: Option<f64>, f: &str, label: &str, errors: &mut FieldErrors| match v {
        Some(x) if x.fract() == 0.0 && (0.0..=3000.0).contains(&x) => Some(x as i64),
        Some(_) => {
            errors.push(f, format!("{label}应为整数"));
            None
        }
        None => None,
    };
    let from_year = whole(from_year, "from_year", "服务期起始年份", &mut errors).map(|y| y as i32);
    let service_years =
        whole(service_years, "service_years", "服务年限", &mut errors).map(|y| y as u32);
    let schedule = match parse_schedule(form.get("schedule")) {
        Ok(s) => s,
        Err(p) => {
            errors.push(&p.field, p.message);
            vec![]
        }
    };
    let (Some(kind), Some(filed_on)) = (kind, filed_on) else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(PlanFiling {
        kind,
        title: form.get("title").trim().to_string(),
        author: form.get("author").trim().to_string(),
        filed_on,
        approved_on,
        approval_number: text("approval_number"),
        application_number: text("application_number"),
        budget_wan_yuan: budget,
        from_year,
        service_years,
        yearly_restoration_ha: schedule,
    })
}

/// The filing `pid` when it belongs to the right's mine, else 404.
async fn own_filing(st: &AppState, mine: i64, pid: i64) -> Result<(), AppError> {
    let filings = st.store.mine_plan_filings(mine).await?;
    if filings.iter().any(|f| f.id == pid) {
        Ok(())
    } else {
        Err(AppError::NotFound(format!(
            "该矿山没有编号为 {pid} 的方案报送记录"
        )))
    }
}

/// `POST /rights/{id}/restoration/plans/{lid}/approval` (form: `approved_on`,
/// `approval_number`): records the plan's approval, audit `mine_plan.approve` (303), or the
/// page again with the problems (422).
pub async fn approve_plan(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    Path((id, pid)): Path<(String, i64)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    visible_right(&st, &user, &id).await?;
    let Some((mine, _)) = mine_of(&st, &id).await? else {
        return Err(AppError::NotFound(format!(
            "矿业权“{id}”没有矿山档案，没有方案报送记录"
        )));
    };
    own_filing(&st, mine, pid).await?;
    let form = SubmittedForm::read(&headers, body).await;
    let mut errors = FieldErrors::default();
    let Some(on) = date_field(&form, "approved_on", "批复日期", &mut errors) else {
        return refuse(&st, &user, &id, "approval", errors).await;
    };
    let r = st
        .store
        .approve_mine_plan(pid, on, form.get("approval_number"), &actor(&user))
        .await;
    finish(&st, &user, &id, "approval", r).await
}

/// `POST /rights/{id}/restoration/plans/{lid}/progress` (form: `progress_note`): the
/// company's (or the bureau's) note on carrying out the plan, audit `mine_plan.progress`
/// (303); a 矿山企业 only for its own mine (404 otherwise).
pub async fn note_progress(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::FileRestoration>,
    Path((id, pid)): Path<(String, i64)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    visible_right(&st, &user, &id).await?;
    let Some((mine, _)) = mine_of(&st, &id).await? else {
        return Err(AppError::NotFound(format!(
            "矿业权“{id}”没有矿山档案，没有方案报送记录"
        )));
    };
    own_filing(&st, mine, pid).await?;
    let form = SubmittedForm::read(&headers, body).await;
    let r = st
        .store
        .note_mine_plan_progress(pid, form.get("progress_note"), &actor(&user))
        .await;
    finish(&st, &user, &id, "progress", r).await
}

/// `POST /rights/{id}/restoration/letter` (form: `signed_on`, `signed_by`, optional
/// `document`): records the 责任书, audit `mine_letter.sign` (303) or 422.
pub async fn sign_letter(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let mine = match the_mine(&st, &user, &id).await? {
        Ok(m) => m,
        Err(e) => return refuse(&st, &user, &id, "letter", e).await,
    };
    let form = SubmittedForm::read(&headers, body).await;
    let mut errors = FieldErrors::default();
    let Some(signed_on) = date_field(&form, "signed_on", "签订日期", &mut errors) else {
        return refuse(&st, &user, &id, "letter", errors).await;
    };
    let l = ResponsibilityLetter {
        signed_on,
        signed_by: form.get("signed_by").trim().to_string(),
        document: Some(form.get("document").trim().to_string()).filter(|s| !s.is_empty()),
    };
    let r = st
        .store
        .sign_responsibility_letter(mine, &l, &actor(&user))
        .await;
    finish(&st, &user, &id, "letter", r).await
}

/// `POST /rights/{id}/restoration/acceptance` (form: `accepted_on`, `accepted_by`,
/// `document`): records the 矿山地质环境治理验收 the closure needs, audit
/// `mine_restoration.accept` (303) or 422.
pub async fn accept(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let mine = match the_mine(&st, &user, &id).await? {
        Ok(m) => m,
        Err(e) => return refuse(&st, &user, &id, "acceptance", e).await,
    };
    let form = SubmittedForm::read(&headers, body).await;
    let mut errors = FieldErrors::default();
    let Some(accepted_on) = date_field(&form, "accepted_on", "验收日期", &mut errors) else {
        return refuse(&st, &user, &id, "acceptance", errors).await;
    };
    let a = RestorationAcceptance {
        accepted_on,
        accepted_by: form.get("accepted_by").trim().to_string(),
        document: form.get("document").trim().to_string(),
    };
    let r = st
        .store
        .accept_mine_restoration(mine, &a, &actor(&user))
        .await;
    finish(&st, &user, &id, "acceptance", r).await
}

#[derive(Template)]
#[template(path = "application_plans.html")]
struct ApplicationPlansPage {
    layout: Layout,
    number: String,
    enc: String,
    project: String,
    holder: String,
    plans: Vec<PlanRow>,
    together: String,
    can_manage: bool,
    refused: bool,
    errors: Vec<String>,
    notice: String,
    kinds: [&'static str; 2],
}

async fn render_application(
    st: &AppState,
    user: &User,
    number: &str,
    errors: Vec<String>,
    notice: String,
) -> Result<Response, AppError> {
    let record = st
        .store
        .application_records_of(&[number.to_string()])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::NotFound(format!("没有申请“{number}”")))?;
    let sp = st.plan().await;
    let filings = st.store.application_plan_filings(number).await?;
    let latest = |k: PlanKind| {
        filings
            .iter()
            .filter(|f| f.filing.kind == k)
            .max_by_key(|f| f.filing.filed_on)
    };
    let together = match (latest(PlanKind::Development), latest(PlanKind::Restoration)) {
        (Some(d), Some(r)) => format!(
            "三同时：{}（同步报送的间隔由本局设置）",
            Together::of(
                d.filing.filed_on,
                r.filing.filed_on,
                st.store.plans_max_days_apart().await?
            )
            .label()
        ),
        _ => "三同时：两方案尚未都有报送记录；规划符合性审查（R14）会写明申请表勾选而未见报送记录的方案".into(),
    };
    let refused = !errors.is_empty();
    let page = ApplicationPlansPage {
        layout: layout(&sp, "applications"),
        enc: enc(number),
        number: number.to_string(),
        project: record.project_name.clone(),
        holder: record.holder_name.clone(),
        plans: filings.iter().map(plan_row).collect(),
        together,
        can_manage: allowed(Some(user.role), Permission::ManageRestoration),
        refused,
        errors,
        notice,
        kinds: [PlanKind::Development.label(), PlanKind::Restoration.label()],
    };
    let status = if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /applications/{id}/restoration-plans` (`?saved=1` after a filing): the plans filed
/// with application `id` (R14 reads them by 申请编号), for staff.
pub async fn application_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRestoration>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = if q.contains_key("saved") {
        "已保存".to_string()
    } else {
        String::new()
    };
    render_application(&st, &user, &id, vec![], notice).await
}

/// `POST /applications/{id}/restoration-plans` (the plan form of `/rights/{id}/restoration`;
/// the 申请编号 is the application's): files a plan with the application, audit
/// `mine_plan.file` (303), or the page again with every problem (422).
pub async fn application_file(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = SubmittedForm::read(&headers, body).await;
    let filing = match read_plan(&form) {
        Ok(f) => PlanFiling {
            application_number: Some(id.clone()),
            ..f
        },
        Err(e) => {
            let errors = e.0.into_iter().map(|e| e.message).collect();
            return render_application(&st, &user, &id, errors, String::new()).await;
        }
    };
    match st.store.file_mine_plan(None, &filing, &actor(&user)).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/applications/{}/restoration-plans?saved=1",
            enc(&id)
        ))
        .into_response()),
        Err(StoreError::Invalid(v)) => {
            let errors = v.into_iter().map(|e| e.message).collect();
            render_application(&st, &user, &id, errors, String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}
