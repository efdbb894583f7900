//! The pages and forms of the fund (see the folder's module doc).

use crate::AppState;
use crate::http::auth::{Permission, actor, allowed, may_see, own_credit_code, policy};
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
use minplan_domain::restoration::fund::{
    CoefficientKind, DueMethod, EntryKind, LedgerEntry, OrderStatus, Quarter, fmt_wan,
};
use minplan_store::{FieldError, FundStatement, NO_METHOD, StoreError, User};
use std::collections::HashMap;

fn wan(v: f64) -> String {
    format!("{} 万元", fmt_wan(v))
}

fn reading(r: &Result<f64, String>) -> String {
    match r {
        Ok(v) => wan(*v),
        Err(e) => e.clone(),
    }
}

/// One mine in the overview.
struct MineRow {
    id: i64,
    name: String,
    holder: String,
    method: String,
    period: String,
    due: String,
    accrued: String,
    balance: String,
    shortfall: String,
    short: bool,
    orders: String,
}

fn mine_row(st: &FundStatement, today: Date) -> MineRow {
    let last = st.latest();
    MineRow {
        id: st.mine.mine_id,
        name: st.mine.mine_name.clone(),
        holder: st.mine.holder_name.clone(),
        method: st.method.map_or("未设定".into(), |(m, from)| {
            format!("{}（{}起）", m.label(), from.chinese())
        }),
        period: last.map_or("—".into(), |r| r.quarter.chinese()),
        due: last.map_or(NO_METHOD.into(), |r| reading(&r.cumulative_due)),
        accrued: wan(st.ledger.accrued_by(today)),
        balance: wan(st.balance_on(today)),
        shortfall: last.map_or(NO_METHOD.into(), |r| reading(&r.shortfall)),
        short: last.is_some_and(|r| r.is_short()),
        orders: st
            .orders
            .iter()
            .map(|o| format!("{}：{}", o.order.quarter.chinese(), o.status.label()))
            .collect::<Vec<_>>()
            .join("；"),
    }
}

/// A proposal as listed.
struct ProposalRow {
    id: i64,
    mine_id: i64,
    mine_name: String,
    holder: String,
    credit_code: String,
    reason: String,
    status: String,
    pending: bool,
    proposed_on: String,
}

#[derive(Template)]
#[template(path = "restoration_fund.html")]
struct OverviewPage {
    layout: Layout,
    today: String,
    mines: Vec<MineRow>,
    proposals: Vec<ProposalRow>,
    can_manage: bool,
    can_list: bool,
    /// Whether the user may prepare the 治理恢复基金公示 (生态修复, 系统管理员).
    can_publish: bool,
    /// The year the 生成公示草稿 form proposes (last year).
    publish_year: i32,
    errors: FieldErrors,
    notice: String,
}

async fn render_overview(
    st: &AppState,
    user: &User,
    status: StatusCode,
    errors: FieldErrors,
    notice: &str,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let today = st.today();
    let mut mines = Vec::new();
    for id in st.store.fund_mine_ids().await? {
        mines.push(mine_row(&st.store.fund_statement(id, today).await?, today));
    }
    let proposals = st
        .store
        .fund_listing_proposals()
        .await?
        .into_iter()
        .map(|p| ProposalRow {
            id: p.id,
            mine_id: p.mine_id,
            mine_name: p.mine_name.clone(),
            holder: p.proposal.holder_name.clone(),
            credit_code: p.proposal.credit_code.clone(),
            reason: p.proposal.reason_text.clone(),
            status: match (&p.decided_on, &p.dismiss_reason) {
                (Some(d), Some(r)) => format!("{}（{}：{r}）", p.status_label(), d.chinese()),
                (Some(d), None) => format!("{}（{}）", p.status_label(), d.chinese()),
                _ => p.status_label().to_string(),
            },
            pending: p.status == "proposed",
            proposed_on: p.proposed_on.chinese(),
        })
        .collect();
    let page = OverviewPage {
        layout: layout(&sp, "restoration"),
        today: today.chinese(),
        mines,
        proposals,
        can_manage: allowed(Some(user.role), Permission::ManageRestoration),
        can_list: allowed(Some(user.role), Permission::ManageHolderLists),
        can_publish: minplan_domain::disclosure::may_handle(
            minplan_domain::disclosure::PublicationKind::RestorationFund,
            minplan_store::disclosure::actor_role(user.role),
        ),
        publish_year: today.year() - 1,
        errors,
        notice: notice.into(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /restoration/fund`: every mine's fund on today (method, cumulative due and accrued,
/// balance, shortfall at the last quarter ended, orders) and the listing proposals.
pub async fn overview(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRestoration>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = match q.get("done").map(String::as_str) {
        Some("confirmed") => "已列入矿业权人异常名录",
        Some("dismissed") => "已决定不予列入",
        _ => "",
    };
    render_overview(&st, &user, StatusCode::OK, FieldErrors::default(), notice).await
}

/// One quarter as shown.
struct RowView {
    quarter: String,
    code: String,
    due: String,
    accrued: String,
    spent: String,
    cumulative_due: String,
    cumulative_accrued: String,
    balance: String,
    shortfall: String,
    short: bool,
    ordered: bool,
}

/// One entry as shown.
struct EntryView {
    date: String,
    kind: &'static str,
    amount: String,
    voucher: String,
    purpose: String,
}

/// One order as shown.
struct OrderView {
    id: i64,
    quarter: String,
    document: String,
    shortfall: String,
    issued_on: String,
    deadline: String,
    status: String,
    overdue: bool,
    proposal: String,
}

#[derive(Template)]
#[template(path = "restoration_fund_mine.html")]
struct MinePage {
    layout: Layout,
    id: i64,
    name: String,
    holder: String,
    facts: String,
    method: String,
    method_code: String,
    from_quarter: String,
    today: String,
    balance: String,
    rows: Vec<RowView>,
    entries: Vec<EntryView>,
    outputs: Vec<(String, String)>,
    orders: Vec<OrderView>,
    methods: Vec<(&'static str, &'static str)>,
    can_file: bool,
    can_manage: bool,
    period_days: i64,
    refused: String,
    errors: FieldErrors,
    notice: String,
}

impl MinePage {
    fn err(&self, form: &str, field: &str) -> &str {
        if self.refused == form {
            self.errors.get(field)
        } else {
            ""
        }
    }
    fn others(&self, form: &str) -> Vec<String> {
        if self.refused == form {
            self.errors.others(&[
                "date",
                "amount_wan_yuan",
                "voucher",
                "purpose",
                "quarter",
                "output_wan_yuan",
                "document",
                "issued_on",
            ])
        } else {
            vec![]
        }
    }
}

/// The mine `id` if `user` may see its fund (staff with 查看生态修复, or its own company);
/// else 404 (a company is not told another's mine exists).
async fn visible(st: &AppState, user: &User, id: i64) -> Result<FundStatement, AppError> {
    let nf = || AppError::NotFound(format!("没有编号为 {id} 的矿山"));
    let s = match st.store.fund_statement(id, st.today()).await {
        Ok(s) => s,
        Err(StoreError::NotFound(_)) => return Err(nf()),
        Err(e) => return Err(e.into()),
    };
    let staff = allowed(Some(user.role), Permission::ViewRestoration);
    if !(staff || (own_credit_code(user).is_some() && may_see(user, s.mine.credit_code.as_deref())))
    {
        return Err(nf());
    }
    Ok(s)
}

async fn render_mine(
    st: &AppState,
    user: &User,
    id: i64,
    refused: &str,
    errors: FieldErrors,
    notice: &str,
) -> Result<Response, AppError> {
    let s = visible(st, user, id).await?;
    let sp = st.plan().await;
    let today = st.today();
    let ordered: Vec<Quarter> = s.orders.iter().map(|o| o.order.quarter).collect();
    let can_manage = allowed(Some(user.role), Permission::ManageRestoration);
    let page = MinePage {
        layout: layout(
            &sp,
            if can_manage || allowed(Some(user.role), Permission::ViewRestoration) {
                "restoration"
            } else {
                "company-fund"
            },
        ),
        id,
        name: s.mine.mine_name.clone(),
        holder: s.mine.holder_name.clone(),
        facts: format!(
            "矿种：{}；开采方式：{}；地区：{}",
            s.mine.mineral.as_deref().unwrap_or("未登记"),
            s.mine.mining_method.as_deref().unwrap_or("未登记"),
            s.mine.region.as_deref().unwrap_or("未登记")
        ),
        method: s.method.map_or(
            "未设定（应计提金额无法判定）".into(),
            |(m, f)| format!("{}，自{}起", m.label(), f.chinese()),
        ),
        method_code: s.method.map_or(String::new(), |(m, _)| m.code().into()),
        from_quarter: s.method.map_or(String::new(), |(_, f)| f.code()),
        today: today.chinese(),
        balance: wan(s.balance_on(today)),
        rows: s
            .rows
            .iter()
            .map(|r| RowView {
                quarter: r.quarter.chinese(),
                code: r.quarter.code(),
                due: reading(&r.due),
                accrued: wan(r.accrued),
                spent: wan(r.spent),
                cumulative_due: reading(&r.cumulative_due),
                cumulative_accrued: wan(r.cumulative_accrued),
                balance: wan(r.balance),
                shortfall: reading(&r.shortfall),
                short: r.is_short(),
                ordered: ordered.contains(&r.quarter),
            })
            .collect(),
        entries: s
            .ledger
            .entries()
            .iter()
            .map(|e| EntryView {
                date: e.date.chinese(),
                kind: e.kind.label(),
                amount: wan(e.amount_wan_yuan),
                voucher: e.voucher.clone(),
                purpose: e.purpose.clone(),
            })
            .collect(),
        outputs: s
            .outputs
            .iter()
            .map(|(q, v)| (q.chinese(), wan(*v)))
            .collect(),
        orders: s
            .orders
            .iter()
            .map(|o| OrderView {
                id: o.id,
                quarter: o.order.quarter.chinese(),
                document: o.document.clone(),
                shortfall: wan(o.order.shortfall_wan_yuan),
                issued_on: o.order.issued_on.chinese(),
                deadline: format!(
                    "{}（{} 个工作日）",
                    o.order.deadline.chinese(),
                    o.order.working_days
                ),
                status: o.status.label(),
                overdue: o.status == OrderStatus::Overdue && o.proposal.is_none(),
                proposal: o
                    .proposal
                    .as_ref()
                    .map(|p| p.status_label().to_string())
                    .unwrap_or_default(),
            })
            .collect(),
        methods: DueMethod::ALL
            .iter()
            .map(|m| (m.code(), m.label()))
            .collect(),
        can_file: allowed(Some(user.role), Permission::FileRestoration),
        can_manage,
        period_days: st.store.fund_rectification_days().await?,
        refused: refused.into(),
        errors,
        notice: notice.into(),
    };
    let status = if page.refused.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /restoration/fund/{id}` (`?saved=…` after a change): one mine's ledger, quarterly
/// dues and shortfalls, orders and the forms its user may use. A company: its own mines only.
pub async fn mine(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRegister>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = match q.get("saved").map(String::as_str) {
        Some("entry") => "已登记",
        Some("output") => "已报送销售收入",
        Some("method") => "已设定计算方法",
        Some("order") => "已下达责令限期整改",
        Some("proposal") => "已提出列入异常名录的建议",
        _ => "",
    };
    render_mine(&st, &user, id, "", FieldErrors::default(), notice).await
}

fn parse_date(field: &str, label: &str, v: &str, errors: &mut Vec<FieldError>) -> Option<Date> {
    match Date::parse(v.trim()) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                format!("{label}“{}”不是日期（例：2026-03-31）", v.trim()),
            ));
            None
        }
    }
}

fn parse_amount(field: &str, label: &str, v: &str, errors: &mut Vec<FieldError>) -> Option<f64> {
    match v.trim().parse::<f64>() {
        Ok(x) => Some(x),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                format!("{label}“{}”不是数字（万元）", v.trim()),
            ));
            None
        }
    }
}

fn parse_quarter(v: &str, errors: &mut Vec<FieldError>) -> Option<Quarter> {
    let q = Quarter::parse(v);
    if q.is_none() {
        errors.push(FieldError::new(
            "quarter",
            format!("季度“{}”无法识别（例：2026Q1）", v.trim()),
        ));
    }
    q
}

/// What a form handler answers: back to the page with a notice, or the form again (422).
async fn outcome(
    st: &AppState,
    user: &User,
    id: i64,
    form: &str,
    result: Result<(), Vec<FieldError>>,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/restoration/fund/{id}?saved={form}")).into_response()),
        Err(v) => render_mine(st, user, id, form, FieldErrors(v), "").await,
    }
}

fn store_errors(e: StoreError) -> Result<Vec<FieldError>, AppError> {
    match e {
        StoreError::Invalid(v) => Ok(v),
        e => Err(e.into()),
    }
}

/// A company may file for its own mines only (404 otherwise); staff with 代报 for any.
async fn filable(st: &AppState, user: &User, id: i64) -> Result<(), AppError> {
    visible(st, user, id).await.map(|_| ())
}

/// `POST /restoration/fund/{id}/entries` (`kind` accrual|expenditure, `date`,
/// `amount_wan_yuan`, `voucher`, `purpose`): one ledger entry; refused with every problem,
/// nothing written.
pub async fn add_entry(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::FileRestoration>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    filable(&st, &user, id).await?;
    let f = SubmittedForm::read(&headers, body).await;
    let mut errors = Vec::new();
    let kind = EntryKind::parse(f.get("kind").trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "请选择计提或使用"));
    }
    let date = parse_date("date", "记账日期", f.get("date"), &mut errors);
    let amount = parse_amount(
        "amount_wan_yuan",
        "金额",
        f.get("amount_wan_yuan"),
        &mut errors,
    );
    let result = match (kind, date, amount) {
        (Some(kind), Some(date), Some(amount)) if errors.is_empty() => {
            let e = LedgerEntry {
                kind,
                date,
                amount_wan_yuan: amount,
                voucher: f.get("voucher").to_string(),
                purpose: f.get("purpose").to_string(),
            };
            match st
                .store
                .add_fund_entry(id, &e, st.today(), &actor(&user))
                .await
            {
                Ok(_) => Ok(()),
                Err(e) => Err(store_errors(e)?),
            }
        }
        _ => Err(errors),
    };
    outcome(&st, &user, id, "entry", result).await
}

/// `POST /restoration/fund/{id}/outputs` (`quarter` 2026Q1, `output_wan_yuan`): the quarter's
/// 销售收入 as the company reports it.
pub async fn add_output(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::FileRestoration>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    filable(&st, &user, id).await?;
    let f = SubmittedForm::read(&headers, body).await;
    let mut errors = Vec::new();
    let q = parse_quarter(f.get("quarter"), &mut errors);
    let v = parse_amount(
        "output_wan_yuan",
        "销售收入",
        f.get("output_wan_yuan"),
        &mut errors,
    );
    let result = match (q, v) {
        (Some(q), Some(v)) => match st
            .store
            .set_fund_output(id, q, v, st.today(), &actor(&user))
            .await
        {
            Ok(()) => Ok(()),
            Err(e) => Err(store_errors(e)?),
        },
        _ => Err(errors),
    };
    outcome(&st, &user, id, "output", result).await
}

/// `POST /restoration/fund/{id}/method` (`method`, `from_quarter`): the bureau's method of the
/// amount due for the mine.
pub async fn set_method(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    visible(&st, &user, id).await?;
    let f = SubmittedForm::read(&headers, body).await;
    let mut errors = Vec::new();
    let m = DueMethod::parse(f.get("method").trim());
    if m.is_none() {
        errors.push(FieldError::new("method", "请选择应计提金额的计算方法"));
    }
    let q = parse_quarter(f.get("from_quarter"), &mut errors);
    let result = match (m, q) {
        (Some(m), Some(q)) => match st.store.set_fund_method(id, m, q, &actor(&user)).await {
            Ok(()) => Ok(()),
            Err(e) => Err(store_errors(e)?),
        },
        _ => Err(errors),
    };
    outcome(&st, &user, id, "method", result).await
}

/// `POST /restoration/fund/{id}/orders` (`quarter`, `issued_on`, `document`): 责令限期整改
/// for the quarter's shortfall, the deadline counted in working days by the bureau's period.
pub async fn issue_order(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    visible(&st, &user, id).await?;
    let f = SubmittedForm::read(&headers, body).await;
    let mut errors = Vec::new();
    let q = parse_quarter(f.get("quarter"), &mut errors);
    let on = parse_date("issued_on", "下达日期", f.get("issued_on"), &mut errors);
    let result = match (q, on) {
        (Some(q), Some(on)) => match st
            .store
            .issue_fund_order(id, q, on, f.get("document"), st.today(), &actor(&user))
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => Err(store_errors(e)?),
        },
        _ => Err(errors),
    };
    outcome(&st, &user, id, "order", result).await
}

/// `POST /restoration/fund/orders/{id}/propose`: 拟列入异常名录 for an order whose deadline
/// passed unremedied (refused while it runs or once remedied).
pub async fn propose(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let mine_id = st
        .store
        .fund_order_mine(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("没有整改通知 {id}")))?;
    let result = match st
        .store
        .propose_fund_listing(id, st.today(), &actor(&user))
        .await
    {
        Ok(_) => Ok(()),
        Err(e) => Err(store_errors(e)?),
    };
    outcome(&st, &user, mine_id, "proposal", result).await
}

/// `POST /restoration/fund/proposals/{id}/confirm` (`decision_number`, `decision_date`):
/// lists the holder in the 矿业权人异常名录 (未按规定计提矿山地质环境治理恢复基金).
pub async fn confirm(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageHolderLists>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = SubmittedForm::read(&headers, body).await;
    let mut errors = Vec::new();
    let d = parse_date(
        "decision_date",
        "列入决定日期",
        f.get("decision_date"),
        &mut errors,
    );
    let result = match d {
        Some(d) => match st
            .store
            .confirm_fund_listing(id, f.get("decision_number"), d, &actor(&user))
            .await
        {
            Ok(_) => Ok(()),
            Err(StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
            Err(e) => Err(store_errors(e)?),
        },
        None => Err(errors),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/restoration/fund?done=confirmed").into_response()),
        Err(v) => {
            render_overview(
                &st,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                FieldErrors(v),
                "",
            )
            .await
        }
    }
}

/// `POST /restoration/fund/proposals/{id}/dismiss` (`reason`): 不予列入, with the reason.
pub async fn dismiss(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageHolderLists>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = SubmittedForm::read(&headers, body).await;
    match st
        .store
        .dismiss_fund_listing(id, f.get("reason"), st.today(), &actor(&user))
        .await
    {
        Ok(()) => Ok(Redirect::to("/restoration/fund?done=dismissed").into_response()),
        Err(StoreError::NotFound(m)) => Err(AppError::NotFound(m)),
        Err(e) => {
            let v = store_errors(e)?;
            render_overview(
                &st,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                FieldErrors(v),
                "",
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "restoration_fund_settings.html")]
struct SettingsPage {
    layout: Layout,
    coefficients: Vec<(&'static str, String, String)>,
    kinds: Vec<(&'static str, &'static str)>,
    period_days: i64,
    can_manage: bool,
    errors: FieldErrors,
    notice: String,
}

async fn render_settings(
    st: &AppState,
    user: &User,
    status: StatusCode,
    errors: FieldErrors,
    notice: &str,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let c = st.store.fund_coefficients().await?;
    let page = SettingsPage {
        layout: layout(&sp, "restoration"),
        coefficients: c
            .values
            .iter()
            .map(|((k, key), v)| (k.label(), key.clone(), v.to_string()))
            .collect(),
        kinds: CoefficientKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect(),
        period_days: st.store.fund_rectification_days().await?,
        can_manage: allowed(Some(user.role), Permission::ManageRestoration),
        errors,
        notice: notice.into(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /restoration/fund/settings`: the bureau's coefficients (矿种、开采方式、地区) and the
/// 整改 period in working days — settings, none shipped as fact.
pub async fn settings(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRestoration>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = if q.contains_key("saved") {
        "已保存"
    } else {
        ""
    };
    render_settings(&st, &user, StatusCode::OK, FieldErrors::default(), notice).await
}

/// `POST /restoration/fund/settings/coefficients` (`kind`, `key`, `value`): sets one
/// coefficient.
pub async fn set_coefficient(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = SubmittedForm::read(&headers, body).await;
    let mut errors = Vec::new();
    let kind = CoefficientKind::parse(f.get("kind").trim());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "请选择系数类别"));
    }
    let v = parse_amount("value", "系数", f.get("value"), &mut errors);
    let r = match (kind, v) {
        (Some(k), Some(v)) => {
            st.store
                .set_fund_coefficient(k, f.get("key"), v, &actor(&user))
                .await
        }
        _ => Err(StoreError::Invalid(errors)),
    };
    match r {
        Ok(()) => Ok(Redirect::to("/restoration/fund/settings?saved=1").into_response()),
        Err(e) => {
            let v = store_errors(e)?;
            render_settings(
                &st,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                FieldErrors(v),
                "",
            )
            .await
        }
    }
}

/// `POST /restoration/fund/settings/period` (`rectification_days`): the 整改 period, working
/// days (default 20, a setting).
pub async fn set_period(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = SubmittedForm::read(&headers, body).await;
    let raw = f.get("rectification_days").trim().to_string();
    let r = match raw.parse::<i64>() {
        Ok(d) => st.store.set_fund_rectification_days(d, &actor(&user)).await,
        Err(_) => Err(StoreError::Invalid(vec![FieldError::new(
            "rectification_days",
            format!("整改期限“{raw}”不是整数（工作日）"),
        )])),
    };
    match r {
        Ok(()) => Ok(Redirect::to("/restoration/fund/settings?saved=1").into_response()),
        Err(e) => {
            let v = store_errors(e)?;
            render_settings(
                &st,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                FieldErrors(v),
                "",
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "company_fund.html")]
struct CompanyPage {
    layout: Layout,
    mines: Vec<MineRow>,
}

/// `GET /company/fund`: a 矿山企业's own mines and their funds (links to each ledger).
pub async fn company(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::FileRestoration>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let today = st.today();
    let ids = match own_credit_code(&user) {
        Some(code) => st.store.fund_mines_of_holder(code).await?,
        None => st.store.fund_mine_ids().await?,
    };
    let mut mines = Vec::new();
    for id in ids {
        mines.push(mine_row(&st.store.fund_statement(id, today).await?, today));
    }
    let page = CompanyPage {
        layout: layout(&sp, "company-fund"),
        mines,
    };
    Ok(Html(page.render()?).into_response())
}
