//! 勘查开采信息 filing (《矿业权人勘查开采信息管理办法》自然资源部令第13号: a rights holder files
//! the previous year's information between 1 January and 31 March): the page
//! `/rights/{id}/filing?year=2025` shows a right's filing for a year and the form of its kind
//! — 采矿权: 矿山状态, 年消耗资源储量, 矿山地质环境保护与土地复垦; 探矿权: 勘查单位, 勘查投入,
//! 实物工作量, 勘查成果报告, 勘查阶段, 井硐封填, 地质资料汇交; both: 费用缴纳与其他义务 — checked
//! by [`minplan_domain::register::filing::check_filing`]. The output, value and 三率 stay in the
//! annual report (`/annual-reports`). A 矿山企业 files for its own rights; 系统管理员, 规划科 and
//! 审批科 on its behalf (代报).

use crate::AppState;
use crate::http::auth::{Permission, actor, allowed, may_see, own_credit_code, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, FormData};
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::application::RightKind;
use minplan_domain::register::annual_report::due_date;
use minplan_domain::register::filing::{FilingInput, MineStatus};
use minplan_store::{Role, StoreError, User};
use std::collections::HashMap;

/// The routes of 勘查开采信息.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new().route("/rights/{id}/filing", get(page).post(submit))
}

/// The form's fields as typed.
#[derive(Default)]
struct Typed(HashMap<&'static str, String>);

impl Typed {
    fn v(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }
}

const FIELDS: [&str; 11] = [
    "mine_status",
    "reserves_consumed",
    "restoration",
    "explorer",
    "investment_wan_yuan",
    "workload",
    "result_report",
    "stage",
    "wells_sealed",
    "geodata",
    "obligations",
];

#[derive(Template)]
#[template(path = "filing.html")]
struct FilingPage {
    layout: Layout,
    right_id: String,
    enc: String,
    right_name: String,
    holder: String,
    mining: bool,
    year: i32,
    due: String,
    /// `已于 2026年3月5日 填报（按期）` or `未填报`.
    state: String,
    can_file: bool,
    statuses: &'static [&'static str],
    typed: Typed,
    errors: FieldErrors,
    notice: String,
}

impl FilingPage {
    fn err(&self, field: &str) -> &str {
        self.errors.get(field)
    }
    /// Problems of fields the form of this kind does not show (and of the year).
    fn others(&self) -> Vec<String> {
        let shown: &[&str] = if self.mining {
            &[
                "mine_status",
                "reserves_consumed",
                "restoration",
                "obligations",
            ]
        } else {
            &[
                "explorer",
                "investment_wan_yuan",
                "workload",
                "result_report",
                "stage",
                "wells_sealed",
                "geodata",
                "obligations",
            ]
        };
        self.errors.others(shown)
    }
}

fn typed_of(f: &FilingInput) -> Typed {
    let yes_no = |b: Option<bool>| match b {
        Some(true) => "是".to_string(),
        Some(false) => "否".to_string(),
        None => String::new(),
    };
    let num = |v: Option<f64>| v.map(crate::http::views::num).unwrap_or_default();
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    Typed(HashMap::from([
        (
            "mine_status",
            f.mine_status
                .map(|m| m.label().to_string())
                .unwrap_or_default(),
        ),
        ("reserves_consumed", num(f.reserves_consumed)),
        ("restoration", s(&f.restoration)),
        ("explorer", s(&f.explorer)),
        ("investment_wan_yuan", num(f.investment_wan_yuan)),
        ("workload", s(&f.workload)),
        ("result_report", yes_no(f.result_report)),
        ("stage", s(&f.stage)),
        ("wells_sealed", yes_no(f.wells_sealed)),
        ("geodata", s(&f.geodata)),
        ("obligations", s(&f.obligations)),
    ]))
}

/// The year asked for, else last year.
fn year_of(q: &str, today: minplan_domain::date::Date) -> i32 {
    q.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=today.year()).contains(y))
        .unwrap_or(today.year() - 1)
}

#[allow(clippy::too_many_arguments)]
async fn render(
    st: &AppState,
    user: &User,
    id: &str,
    year: i32,
    typed: Option<Typed>,
    errors: FieldErrors,
    notice: String,
) -> Result<Response, AppError> {
    let r = match st.store.right_record(id).await {
        Ok(r) => r,
        Err(StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
        Err(e) => return Err(e.into()),
    };
    if !may_see(user, r.credit_code.as_deref()) {
        return Err(AppError::NotFound(format!("登记簿中没有矿业权“{id}”")));
    }
    let h = st.store.right_history(id).await?;
    let mining = h.current().kind == RightKind::Mining;
    let filed = st.store.information_filing(id, year).await?;
    let due = due_date(year);
    let state = match &filed {
        Some(f) => format!(
            "已于 {} 填报（{}）{}",
            f.filed_on.chinese(),
            if f.filed_on <= due {
                "按期"
            } else {
                "逾期，未按期公示"
            },
            f.corrected_on
                .map(|c| format!("，{} 更正", c.chinese()))
                .unwrap_or_default()
        ),
        None if st.today() > due => "未填报：已过截止日期，未按期公示".into(),
        None => "未填报".into(),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let sp = st.plan().await;
    let page = FilingPage {
        layout: layout(&sp, "rights"),
        enc: crate::http::auth::percent_encode(&r.id).replace('/', "%2F"),
        right_id: r.id.clone(),
        right_name: r.name.clone(),
        holder: r.holder_name.clone(),
        mining,
        year,
        due: due.chinese(),
        state,
        can_file: allowed(Some(user.role), Permission::FileAnnualReport),
        statuses: MineStatus::LABELS,
        typed: typed.unwrap_or_else(|| filed.map(|f| typed_of(&f.input)).unwrap_or_default()),
        errors,
        notice,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /rights/{id}/filing?year=2025` (default last year; `&saved=1` after filing).
pub async fn page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRegister>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let year = year_of(q.get("year").map_or("", String::as_str), st.today());
    let notice = if q.contains_key("saved") {
        format!("已填报 {year} 年度勘查开采信息")
    } else {
        String::new()
    };
    render(&st, &user, &id, year, None, FieldErrors::default(), notice).await
}

/// Reads the form into the filing, with every field that could not be read.
fn read(form: &FormData) -> (Typed, FilingInput, FieldErrors) {
    let typed = Typed(
        FIELDS
            .iter()
            .map(|f| (*f, form.get(f).trim().to_string()))
            .collect(),
    );
    let mut errors = FieldErrors::default();
    let text = |n: &str| Some(typed.v(n).to_string()).filter(|s| !s.is_empty());
    let mut number = |n: &str, label: &str| {
        let t = typed.v(n);
        if t.is_empty() {
            return None;
        }
        match t.replace([',', '，'], "").parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                errors.push(n, format!("{label}“{t}”不是数字"));
                None
            }
        }
    };
    let reserves = number("reserves_consumed", "年消耗资源储量");
    let investment = number("investment_wan_yuan", "年度勘查投入");
    let yes_no = |n: &str| match typed.v(n) {
        "是" => Some(true),
        "否" => Some(false),
        _ => None,
    };
    let status = typed.v("mine_status");
    let input = FilingInput {
        mine_status: MineStatus::parse(status),
        reserves_consumed: reserves,
        restoration: text("restoration"),
        explorer: text("explorer"),
        investment_wan_yuan: investment,
        workload: text("workload"),
        result_report: yes_no("result_report"),
        stage: text("stage"),
        wells_sealed: yes_no("wells_sealed"),
        geodata: text("geodata"),
        obligations: text("obligations"),
    };
    (typed, input, errors)
}

/// `POST /rights/{id}/filing` (form: `year` and the fields of the right's kind): files or
/// corrects with the audit row `filing.file` / `filing.correct` (303), or shows the form
/// again with every problem, nothing written (422). A 矿山企业 only for its own right.
pub async fn submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::FileAnnualReport>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    let today = st.today();
    let year = year_of(form.get("year"), today);
    let (typed, input, mut errors) = read(&form);
    let only = own_credit_code(&user);
    if !errors.is_empty() {
        // The other fields' problems too, at once.
        let kind = match st.store.right_history(&id).await {
            Ok(h) => h.current().kind,
            Err(StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
            Err(e) => return Err(e.into()),
        };
        if let Err(p) = minplan_domain::register::filing::check_filing(kind, &input) {
            errors.merge_missing(FieldErrors(
                p.into_iter()
                    .map(|p| minplan_store::FieldError::new(p.field, p.message))
                    .collect(),
            ));
        }
        return render(&st, &user, &id, year, Some(typed), errors, String::new()).await;
    }
    match st
        .store
        .file_information(
            &id,
            year,
            &input,
            today,
            user.role != Role::Company,
            only,
            &actor(&user),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/rights/{}/filing?year={year}&saved=1",
            crate::http::auth::percent_encode(&id).replace('/', "%2F")
        ))
        .into_response()),
        Err(StoreError::Invalid(v)) => {
            render(
                &st,
                &user,
                &id,
                year,
                Some(typed),
                FieldErrors(v),
                String::new(),
            )
            .await
        }
        Err(StoreError::NotFound(m)) => Err(AppError::NotFound(m)),
        Err(e) => Err(e.into()),
    }
}
