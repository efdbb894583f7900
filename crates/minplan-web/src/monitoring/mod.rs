//! Plan monitoring on the web: indicator values (`/api/indicators`), reminders
//! (`/api/reminders`), the implementation evaluation with its charts and downloads
//! (`/evaluation`, `.xlsx`, `.docx`), and annual reports (`/annual-reports`: the year's
//! required reports with their status; the filing form — a 矿山企业 files for its own mines,
//! staff on a company's behalf). The CLI calls the same store functions.

use crate::AppState;
use crate::http::auth::policy;
use crate::http::download::{DOCX, XLSX, attachment};
use crate::http::error::{ApiError, ApiResult, AppError};
use crate::http::extract::RequireRole;
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::{Html, Response};
use minplan_store::{Role, StoreError};
use serde::Deserialize;

pub mod manual;
pub mod restoration;

/// The routes of plan monitoring.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route(
            "/indicators/manual",
            get(manual::manual_form).post(manual::manual_submit),
        )
        .route("/api/indicators", get(api_indicators))
        .route("/api/reminders", get(api_reminders))
        .route(
            "/api/indicators/restoration",
            get(restoration::api_restoration_indicators),
        )
        .route("/evaluation", get(evaluation_page))
        .route("/evaluation.xlsx", get(evaluation_xlsx))
        .route("/evaluation.docx", get(evaluation_docx))
        .route("/annual-plan.xlsx", get(annual_plan_xlsx))
        .route("/annual-plan.docx", get(annual_plan_docx))
}

/// `?year=` / `?from=&to=`, kept as text so that a value that is not a year gets an error
/// naming its parameter ([`YearQuery::year`]) rather than a bare 400.
#[derive(Debug, Deserialize, Default)]
pub struct YearQuery {
    /// Year.
    pub year: Option<String>,
    /// First year.
    pub from: Option<String>,
    /// Last year.
    pub to: Option<String>,
    /// Notice after filing.
    pub filed: Option<String>,
}

pub(crate) fn year_param(name: &str, v: &Option<String>) -> Result<Option<i32>, AppError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => t.parse::<i32>().map(Some).map_err(|_| {
            AppError::BadRequest(format!("参数 {name} 应为年份（如 2025），收到“{t}”"))
        }),
    }
}

impl YearQuery {
    /// `year`, read.
    ///
    /// # Errors
    /// [`AppError::BadRequest`] naming `year` when it is not a whole number.
    pub fn year(&self) -> Result<Option<i32>, AppError> {
        year_param("year", &self.year)
    }

    /// `year` as the API takes it: absent, or a whole number — `year=` (empty) is refused,
    /// where a page's filter form sending it empty means “the default year”.
    ///
    /// # Errors
    /// [`AppError::BadRequest`] naming `year` when it is empty or not a whole number.
    pub fn api_year(&self) -> Result<Option<i32>, AppError> {
        if self.year.as_deref().is_some_and(|y| y.trim().is_empty()) {
            return Err(AppError::BadRequest(
                "参数 year 应为年份（如 2025），不能为空".into(),
            ));
        }
        self.year()
    }
    /// `from`, read.
    ///
    /// # Errors
    /// As [`YearQuery::year`], naming `from`.
    pub fn from(&self) -> Result<Option<i32>, AppError> {
        year_param("from", &self.from)
    }
    /// `to`, read.
    ///
    /// # Errors
    /// As [`YearQuery::year`], naming `to`.
    pub fn to(&self) -> Result<Option<i32>, AppError> {
        year_param("to", &self.to)
    }
}

/// The default year of indicators: the last complete one (by the clock; pages with the state
/// at hand use [`AppState::today`]).
pub(crate) fn last_year() -> i32 {
    minplan_store::today().year() - 1
}

/// Today's reminders, urgent first.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct Reminders(pub Vec<minplan_domain::monitoring::Reminder>);

/// `GET /api/indicators?year=Y`: the indicators of a year (public): value, status,
/// projection, licensed totals, series.
#[utoipa::path(get, path = "/api/indicators", tag = "规划指标",
    params(("year" = Option<i32>, Query, description = "年份，缺省为上一年")),
    responses(
        (status = 200, description = "专栏2各指标当年数值、状态（正常、预警、超出上限、未达标）、至规划末年的预测与逐年序列", body = minplan_domain::monitoring::IndicatorReport),
        (status = 400, description = "年份有误", body = ApiError),
        (status = 422, description = "年份超出规划期前后范围", body = ApiError),
    ))]
pub async fn api_indicators(
    State(st): State<AppState>,
    Query(q): Query<YearQuery>,
) -> ApiResult<Json<minplan_domain::monitoring::IndicatorReport>> {
    let sp = st.plan().await;
    let today = st.today();
    let year = q.api_year()?.unwrap_or(today.year() - 1);
    let r = st
        .store
        .indicator_report_on(&sp.loaded.plan, year, today)
        .await?;
    Ok(Json(r))
}

/// `GET /api/reminders`: today's reminders (logged in; a 矿山企业 account sees its own).
#[utoipa::path(get, path = "/api/reminders", tag = "工作台",
    responses(
        (status = 200, description = "今日提醒：许可证 90 天内到期、年度报告待报与逾期、接近规划上限、报送开采量但该年无有效安全生产许可证；矿山企业只见本企业的", body = Reminders),
        (status = 401, description = "未登录", body = ApiError),
    ))]
pub async fn api_reminders(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
) -> ApiResult<Json<Reminders>> {
    let sp = st.plan().await;
    let own = (user.role == Role::Company).then(|| user.credit_code.clone().unwrap_or_default());
    let r = st
        .store
        .reminders(&sp.loaded.plan, st.today(), own.as_deref())
        .await?;
    Ok(Json(Reminders(r)))
}

/// A row of the evaluation page.
struct EvalRow {
    seq: usize,
    group: String,
    indicator: String,
    unit: String,
    target: String,
    actual: String,
    completion: String,
    status: String,
    status_class: &'static str,
    /// `n / m 座矿山已报送` (empty unless from the annual reports).
    coverage: String,
    /// 登记簿 / 年度报告 / 人工填报.
    source: String,
    /// For a manual indicator: its evidence, who entered it and when (empty otherwise).
    evidence: String,
    projection: String,
    svg: String,
}

#[derive(Template)]
#[template(path = "evaluation.html")]
struct EvaluationPage {
    layout: Layout,
    title: String,
    from: i32,
    to: i32,
    rows: Vec<EvalRow>,
    notes: Vec<String>,
    /// Why the last year is not scored (规划期外 / 年度未结束); empty when it is.
    standing_note: String,
    /// May enter manual indicators (link to the form).
    can_enter: bool,
    /// For the annual plan of `to + 1` outside the plan period: the statement the draft
    /// carries (empty inside the period).
    annual_plan_notice: String,
    /// 矿区生态保护修复与绿色矿山 of `to`.
    restoration: restoration::SectionView,
}

fn n2(v: Option<f64>) -> String {
    v.map_or("—".into(), |x| {
        minplan_domain::citation::format_number((x * 100.0).round() / 100.0)
    })
}

/// The CSS class of a status (`status-…` in app.css).
pub(crate) fn status_class(s: minplan_domain::monitoring::Status) -> &'static str {
    use minplan_domain::monitoring::Status;
    match s {
        Status::OnTrack => "ok",
        Status::Warning => "warn",
        Status::Breached => "bad",
        Status::NoData | Status::NotReported | Status::NotEntered => "none",
        Status::OutOfPeriod | Status::Unfinished | Status::NotStarted => "none",
        Status::ManualCheck | Status::PartlyReported => "check",
    }
}

fn range(
    st: &minplan_domain::Plan,
    q: &YearQuery,
    today: minplan_domain::date::Date,
) -> Result<(i32, i32), AppError> {
    let to = q.to()?.unwrap_or(today.year() - 1);
    Ok((q.from()?.unwrap_or(st.identity.period_start.min(to)), to))
}

/// `GET /evaluation?from=&to=`: 规划实施评估 in 专栏1's layout, a chart per indicator, and
/// the XLSX/DOCX downloads (public: 《规划》七（四）定期公布规划执行情况).
pub async fn evaluation_page(
    State(st): State<AppState>,
    Query(q): Query<YearQuery>,
) -> Result<Html<String>, AppError> {
    let sp = st.plan().await;
    let plan = &sp.loaded.plan;
    let today = st.today();
    let (from, to) = range(plan, &q, today)?;
    let e = st.store.evaluation_on(plan, from, to, today).await?;
    let rows = e
        .rows
        .iter()
        .map(|r| EvalRow {
            seq: r.seq,
            group: r.group.clone(),
            indicator: r.indicator.clone(),
            unit: r.unit.symbol().into(),
            target: r.target_label.clone(),
            completion: r.completion_pct.map_or("—".into(), |p| format!("{p:.1}%")),
            status: r.status_label.clone(),
            status_class: status_class(r.status),
            coverage: r.coverage_label.clone(),
            source: r.source.clone(),
            evidence: r.manual.as_ref().map_or(String::new(), |m| {
                format!(
                    "依据：{}{}（{}，{}）",
                    m.evidence,
                    m.attachment
                        .as_ref()
                        .map_or(String::new(), |a| format!("；证明材料：{a}")),
                    m.entered_by,
                    crate::http::views::beijing(&m.entered_at)
                )
            }),
            projection: n2(r.projection),
            actual: match (r.actual, r.status) {
                (Some(_), _) => n2(r.actual),
                (None, minplan_domain::monitoring::Status::NotReported) => "未报送".into(),
                (None, minplan_domain::monitoring::Status::NotEntered) => "未填报".into(),
                (None, _) => "—".into(),
            },
            // Every year is drawn — a year without a value as a marked gap, never a zero bar.
            svg: if r.series.is_empty() {
                String::new()
            } else {
                minplan_report::indicator_chart_svg(r)
            },
        })
        .collect();
    Ok(Html(
        EvaluationPage {
            layout: layout(&sp, "evaluation"),
            title: format!(
                "规划实施评估（{}）",
                if from == to {
                    format!("{to}年")
                } else {
                    format!("{from}～{to}年")
                }
            ),
            from,
            to,
            rows,
            notes: e.notes,
            standing_note: e.standing_note,
            can_enter: crate::http::context::current()
                .can(crate::http::auth::Permission::EnterIndicators),
            annual_plan_notice: minplan_domain::monitoring::annual_plan::period_notice(
                plan,
                to + 1,
            )
            .map_or(String::new(), |n| {
                format!("{}年度实施计划（草案）：{n}", to + 1)
            }),
            restoration: restoration::section_view(&st, to).await?,
        }
        .render()?,
    ))
}

/// `GET /annual-plan.xlsx?year=Y`: the draft 年度实施计划 (staff, not 矿山企业: it lists every
/// company's licences; default: this year).
pub async fn annual_plan_xlsx(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ViewAnnualPlan>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let today = st.today();
    let year = q.year()?.unwrap_or(today.year());
    let d = st
        .store
        .annual_plan_on(&sp.loaded.plan, year, today)
        .await?;
    let bytes = minplan_report::annual_plan_xlsx(&d)
        .map_err(|e| AppError::from(StoreError::Internal(e.to_string())))?;
    Ok(attachment(
        bytes,
        XLSX,
        &format!("{year}年度实施计划.xlsx"),
        &format!("annual-plan-{year}.xlsx"),
    ))
}

/// `GET /annual-plan.docx?year=Y`: the draft 年度实施计划 as a Word document (staff).
pub async fn annual_plan_docx(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ViewAnnualPlan>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let plan = &sp.loaded.plan;
    let today = st.today();
    let year = q.year()?.unwrap_or(today.year());
    let d = st.store.annual_plan_on(plan, year, today).await?;
    let issuer =
        crate::settings::issuer(&crate::settings::effective(&st).await?, today.to_string());
    let bytes = minplan_report::annual_plan_docx(&d, &issuer)
        .map_err(|e| AppError::from(StoreError::Internal(e.to_string())))?;
    Ok(attachment(
        bytes,
        DOCX,
        &format!("{year}年度实施计划.docx"),
        &format!("annual-plan-{year}.docx"),
    ))
}

/// `GET /evaluation.xlsx?from=&to=`: the evaluation workbook (专栏1 columns; sheet 生态修复
/// with the restoration figures of `to`).
pub async fn evaluation_xlsx(
    State(st): State<AppState>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let today = st.today();
    let (from, to) = range(&sp.loaded.plan, &q, today)?;
    let e = st
        .store
        .evaluation_on(&sp.loaded.plan, from, to, today)
        .await?;
    let restoration = restoration::section(&st, to).await?;
    let bytes = minplan_report::evaluation_xlsx_with_restoration(&e, Some(&restoration))
        .map_err(|e| AppError::from(StoreError::Internal(e.to_string())))?;
    Ok(attachment(
        bytes,
        XLSX,
        &format!("规划实施评估{from}-{to}.xlsx"),
        &format!("evaluation-{from}-{to}.xlsx"),
    ))
}

/// `GET /evaluation.docx?from=&to=`: the evaluation report (charts as images; section
/// 四、矿区生态保护修复与绿色矿山 with the restoration figures of `to`).
pub async fn evaluation_docx(
    State(st): State<AppState>,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let plan = &sp.loaded.plan;
    let today = st.today();
    let (from, to) = range(plan, &q, today)?;
    let e = st.store.evaluation_on(plan, from, to, today).await?;
    let issuer =
        crate::settings::issuer(&crate::settings::effective(&st).await?, today.to_string());
    let restoration = restoration::section(&st, to).await?;
    let bytes = minplan_report::evaluation_docx_with_restoration(&e, &issuer, Some(&restoration))
        .map_err(|e| AppError::from(StoreError::Internal(e.to_string())))?;
    Ok(attachment(
        bytes,
        DOCX,
        &format!("规划实施评估{from}-{to}.docx"),
        &format!("evaluation-{from}-{to}.docx"),
    ))
}
