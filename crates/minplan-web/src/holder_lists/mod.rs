//! 异常名录 and 严重违法失信名单 (`/holder-lists…`, 《规划》四（三）3（3）; 自然资源部令第13号)
//! as workflows: 执法监察 (and 系统管理员) 列入 a holder by a decision, verify a 移出申请 by
//! 室内核验 or 实地核查 within the bureau's limit in working days and 移出 after a favourable
//! 核验; a 矿山企业 sees its own entries and files its 移出申请 with its evidence files. Every
//! step goes through the store's workflow ([`minplan_store::Store::list_holder`] and the
//! others), one transaction with its audit row each; the review engine is rebuilt after each
//! step so that R13 reads the new state.

use crate::AppState;
use crate::http::auth::{Permission, actor, allowed, own_credit_code, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, FormData, SubmittedForm};
use crate::http::views::{Layout, layout};
use crate::http::words::{People, beijing};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::date::Date;
use minplan_domain::supervision::listing::{
    EntryStatus, HolderList, ListingReason, ListingRequest, Removal, Step, Verification,
    VerificationMethod, VerificationResult,
};
use minplan_store::{ListEntryQuery, StoreError, StoredListEntry, User};
use std::collections::HashMap;

/// The routes of 异常名录 / 严重违法失信名单.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/holder-lists", get(lists_page).post(list_submit))
        .route("/holder-lists/queue", get(queue_page))
        .route("/holder-lists/limit", post(limit_submit))
        .route("/holder-lists/{id}", get(entry_page))
        .route("/holder-lists/{id}/apply", post(apply_submit))
        .route("/holder-lists/{id}/verify", post(verify_submit))
        .route("/holder-lists/{id}/remove", post(remove_submit))
        .route("/holder-lists/{id}/files/{file}", get(file_download))
}

/// One row of a list page.
struct Row {
    id: i64,
    list: &'static str,
    holder: String,
    credit_code: String,
    reason: String,
    decision_number: String,
    listed_on: String,
    status: &'static str,
    removed_on: String,
}

fn row(e: &StoredListEntry) -> Row {
    let l = e.entry.listing();
    Row {
        id: e.id,
        list: l.list.label(),
        holder: l.holder_name.clone(),
        credit_code: l.credit_code.clone(),
        reason: l.reason_display(),
        decision_number: l.decision_number.clone(),
        listed_on: l.decision_date.chinese(),
        status: e.entry.status().label(),
        removed_on: e
            .entry
            .removal()
            .map(|r| r.decision_date.chinese())
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "holder_lists.html")]
struct ListsPage {
    layout: Layout,
    rows: Vec<Row>,
    /// Filters: list code, state (`current`/`history`/`all`), text.
    list: String,
    state: String,
    q: String,
    lists: Vec<(&'static str, &'static str)>,
    reasons: Vec<(&'static str, &'static str)>,
    can_manage: bool,
    company: bool,
    form: FormData,
    errors: FieldErrors,
    other_errors: Vec<String>,
}

/// The entries `user` may see, filtered by the page's query.
async fn visible(
    st: &AppState,
    user: &User,
    q: &HashMap<String, String>,
) -> Result<Vec<StoredListEntry>, AppError> {
    let state = q.get("state").map(String::as_str).unwrap_or("current");
    let statuses = match state {
        "history" => vec![EntryStatus::Removed],
        "all" => vec![],
        _ => vec![
            EntryStatus::Listed,
            EntryStatus::Applied,
            EntryStatus::Approved,
        ],
    };
    let query = ListEntryQuery {
        list: q.get("list").and_then(|l| HolderList::parse(l.as_str())),
        statuses,
        credit_code: own_credit_code(user).map(str::to_string),
        text: q
            .get("q")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
    };
    if own_credit_code(user) == Some("") {
        return Ok(vec![]);
    }
    Ok(st.store.list_entries(&query).await?)
}

async fn render_lists(
    st: &AppState,
    user: &User,
    q: &HashMap<String, String>,
    form: FormData,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let rows = visible(st, user, q).await?.iter().map(row).collect();
    let other_errors = errors.others(&[
        "list",
        "holder_name",
        "credit_code",
        "reason",
        "reason_text",
        "decision_number",
        "decision_date",
    ]);
    let page = ListsPage {
        layout: layout(&sp, "holder-lists"),
        rows,
        list: q.get("list").cloned().unwrap_or_default(),
        state: q.get("state").cloned().unwrap_or_else(|| "current".into()),
        q: q.get("q").cloned().unwrap_or_default(),
        lists: HolderList::ALL
            .iter()
            .map(|l| (l.code(), l.label()))
            .collect(),
        reasons: ListingReason::ALL
            .iter()
            .map(|r| (r.code(), r.label()))
            .collect(),
        can_manage: allowed(Some(user.role), Permission::ManageHolderLists),
        company: own_credit_code(user).is_some(),
        form,
        errors,
        other_errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /holder-lists?list=&state=current|history|all&q=`: the two lists, current (在列,
/// default) or history (已移出) or all, filtered; a 矿山企业 sees its own entries. With the
/// 列入 form for 执法监察 and 系统管理员.
pub async fn lists_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    render_lists(
        &st,
        &user,
        &q,
        FormData::parse(b""),
        FieldErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// A date field: `None` with the problem pushed when it is not a date.
fn date_field(f: &str, name: &str, label: &str, errors: &mut FieldErrors) -> Option<Date> {
    match Date::parse(f) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(
                name,
                if f.trim().is_empty() {
                    format!("请填写{label}")
                } else {
                    format!("{label}“{f}”不是日期（如 2026-04-10）")
                },
            );
            None
        }
    }
}

/// After a step: the review engine reads the lists afresh.
async fn refresh(st: &AppState) -> Result<(), AppError> {
    st.rebuild_engine().await
}

/// `POST /holder-lists`: 列入 (form: list, holder_name, credit_code, reason, reason_text,
/// decision_number, decision_date) → 303 to the entry; problems re-show the form (422).
pub async fn list_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageHolderLists>,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = FormData::parse(&body);
    let mut errors = FieldErrors::default();
    let list = HolderList::parse(f.get("list"));
    if list.is_none() {
        errors.push("list", "请选择名录");
    }
    let reason = ListingReason::parse(f.get("reason"));
    if reason.is_none() {
        errors.push("reason", "请选择列入事由");
    }
    let date = date_field(
        f.get("decision_date"),
        "decision_date",
        "列入决定日期",
        &mut errors,
    );
    if let (Some(list), Some(reason), Some(date)) = (list, reason, date) {
        let request = ListingRequest {
            list,
            holder_name: f.get("holder_name").to_string(),
            credit_code: f.get("credit_code").to_string(),
            reason,
            reason_text: f.get("reason_text").to_string(),
            decision_number: f.get("decision_number").to_string(),
            decision_date: date,
        };
        let _guard = st.write_lock().await;
        match st.store.list_holder(&request, &actor(&user)).await {
            Ok(id) => {
                refresh(&st).await?;
                return Ok(Redirect::to(&format!("/holder-lists/{id}")).into_response());
            }
            Err(StoreError::Invalid(fs)) => errors.merge_missing(FieldErrors(fs)),
            Err(e) => return Err(e.into()),
        }
    }
    render_lists(
        &st,
        &user,
        &HashMap::new(),
        f,
        errors,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// One step of the history as shown.
struct StepView {
    label: &'static str,
    date: String,
    words: String,
    by: String,
    at: String,
    files: Vec<(i64, String, String)>,
}

#[derive(Template)]
#[template(path = "holder_list_entry.html")]
struct EntryPage {
    layout: Layout,
    id: i64,
    row: Row,
    steps: Vec<StepView>,
    /// The open application's due date and reminder.
    due: String,
    overdue: String,
    can_manage: bool,
    can_apply: bool,
    can_verify: bool,
    can_remove: bool,
    /// Which form the errors are for (`apply`, `verify`, `remove`).
    form_action: &'static str,
    errors: Vec<String>,
    today: String,
    /// A 矿山企业 account (files for today; no 申请日期 field).
    company: bool,
}

fn step_words(s: &Step) -> String {
    match s {
        Step::Listed(l) => format!(
            "列入{}，事由：{}，决定文号：{}",
            l.list.label(),
            l.reason_display(),
            l.decision_number
        ),
        Step::Applied(a) => format!("申请理由：{}", a.reason),
        Step::Verified(v) => format!("{}，{}：{}", v.method.label(), v.result.label(), v.reason),
        Step::Removed(r) => format!("移出决定文号：{}", r.decision_number),
    }
}

/// The entry `id` if `user` may see it: a 矿山企业 only its own, another's answers 404 (as a
/// missing one does).
async fn entry_for(st: &AppState, user: &User, id: i64) -> Result<StoredListEntry, AppError> {
    let e = st.store.list_entry(id).await?;
    match own_credit_code(user) {
        Some(own) if own.is_empty() || e.entry.listing().credit_code != own => {
            Err(AppError::NotFound(format!("没有名录事项 {id}")))
        }
        _ => Ok(e),
    }
}

async fn render_entry(
    st: &AppState,
    user: &User,
    e: StoredListEntry,
    form_action: &'static str,
    errors: Vec<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let people = People::load(&st.store).await?;
    let today = minplan_store::today();
    let limit = st.store.list_verification_limit().await?;
    let cal = st.store.work_calendar().await?;
    let due = e
        .entry
        .verification_due(&cal, limit)
        .map(|d| {
            format!(
                "应于 {} 前核验（{limit} 个工作日）{}",
                d.value.chinese(),
                d.note().map(|n| format!("；{n}")).unwrap_or_default()
            )
        })
        .unwrap_or_default();
    let overdue = e
        .entry
        .overdue_reminder(&cal, limit, today)
        .map(|r| format!("核验已逾期 {} 个工作日", r.working_days_late))
        .unwrap_or_default();
    let can_manage = allowed(Some(user.role), Permission::ManageHolderLists);
    let status_now = e.entry.status();
    let page = EntryPage {
        layout: layout(&sp, "holder-lists"),
        id: e.id,
        row: row(&e),
        steps: e
            .steps
            .iter()
            .map(|s| StepView {
                label: s.step.label(),
                date: s.step.date().chinese(),
                words: step_words(&s.step),
                by: people.actor(&s.recorded_by),
                at: beijing(&s.recorded_at),
                files: s
                    .files
                    .iter()
                    .map(|(id, a)| {
                        (
                            *id,
                            a.file_name.clone(),
                            format!("{:.1} KB", a.size_bytes as f64 / 1024.0),
                        )
                    })
                    .collect(),
            })
            .collect(),
        due,
        overdue,
        can_manage,
        can_apply: allowed(Some(user.role), Permission::ApplyListRemoval)
            && status_now == EntryStatus::Listed,
        can_verify: can_manage && status_now == EntryStatus::Applied,
        can_remove: can_manage && status_now == EntryStatus::Approved,
        form_action,
        errors,
        today: today.to_string(),
        company: own_credit_code(user).is_some(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /holder-lists/{id}`: an entry with its full history and the forms of its next step
/// (移出申请 for its company, 核验 and 移出 for 执法监察). Another company's entry: 404.
pub async fn entry_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let e = entry_for(&st, &user, id).await?;
    render_entry(&st, &user, e, "", vec![], StatusCode::OK).await
}

/// A refused step: the entry page again with the problems at the form (422).
async fn refused_step(
    st: &AppState,
    user: &User,
    id: i64,
    action: &'static str,
    problems: Vec<String>,
) -> Result<Response, AppError> {
    let e = entry_for(st, user, id).await?;
    render_entry(
        st,
        user,
        e,
        action,
        problems,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

fn messages(fs: Vec<minplan_store::FieldError>) -> Vec<String> {
    fs.into_iter().map(|f| f.message).collect()
}

/// `POST /holder-lists/{id}/apply` (multipart: reason, attachments — each ≤ 10 MB;
/// applied_on for 系统管理员 entering a paper application, else today): the company's
/// 移出申请 of its own entry (another's: 404).
pub async fn apply_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ApplyListRemoval>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    // Not found before anything else: a company learns nothing of another's entries.
    entry_for(&st, &user, id).await?;
    let form = SubmittedForm::read(&headers, body).await;
    if let Some(p) = form.problem.clone() {
        return refused_step(&st, &user, id, "apply", vec![p]).await;
    }
    let own = own_credit_code(&user).map(str::to_string);
    let mut errors = FieldErrors::default();
    let on = match (own.is_some(), form.get("applied_on").trim()) {
        (false, s) if !s.is_empty() => date_field(s, "applied_on", "申请日期", &mut errors),
        _ => Some(minplan_store::today()),
    };
    let Some(on) = on else {
        return refused_step(&st, &user, id, "apply", messages(errors.0)).await;
    };
    let files: Vec<minplan_store::UploadedFile> = form
        .files("attachments")
        .iter()
        .map(|f| minplan_store::UploadedFile {
            file_name: f.file_name.clone(),
            bytes: f.bytes.clone(),
        })
        .collect();
    let _guard = st.write_lock().await;
    match st
        .store
        .apply_list_removal(
            id,
            own.as_deref(),
            on,
            form.get("reason"),
            &files,
            &actor(&user),
        )
        .await
    {
        Ok(_) => {
            refresh(&st).await?;
            Ok(Redirect::to(&format!("/holder-lists/{id}")).into_response())
        }
        Err(StoreError::Invalid(fs)) => refused_step(&st, &user, id, "apply", messages(fs)).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /holder-lists/{id}/verify` (form: method desk|field, result approve|refuse, reason,
/// verified_on): the 核验 of the open 移出申请.
pub async fn verify_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageHolderLists>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    st.store.list_entry(id).await?;
    let f = FormData::parse(&body);
    let mut errors = FieldErrors::default();
    let method = VerificationMethod::parse(f.get("method"));
    if method.is_none() {
        errors.push("method", "请选择核验方式（室内核验或实地核查）");
    }
    let result = VerificationResult::parse(f.get("result"));
    if result.is_none() {
        errors.push("result", "请选择核验结论（同意移出或不予移出）");
    }
    let on = date_field(f.get("verified_on"), "verified_on", "核验日期", &mut errors);
    let (Some(method), Some(result), Some(on)) = (method, result, on) else {
        if f.get("reason").trim().is_empty() {
            errors.push("reason", "请填写核验意见");
        }
        return refused_step(&st, &user, id, "verify", messages(errors.0)).await;
    };
    let v = Verification {
        method,
        result,
        reason: f.get("reason").to_string(),
        verified_on: on,
    };
    let _guard = st.write_lock().await;
    match st.store.verify_list_removal(id, &v, &actor(&user)).await {
        Ok(_) => {
            refresh(&st).await?;
            Ok(Redirect::to(&format!("/holder-lists/{id}")).into_response())
        }
        Err(StoreError::Invalid(fs)) => refused_step(&st, &user, id, "verify", messages(fs)).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /holder-lists/{id}/remove` (form: decision_number, decision_date): 移出, refused
/// (422, nothing written) without a favourable 核验.
pub async fn remove_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageHolderLists>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    st.store.list_entry(id).await?;
    let f = FormData::parse(&body);
    let mut errors = FieldErrors::default();
    let Some(on) = date_field(
        f.get("decision_date"),
        "decision_date",
        "移出决定日期",
        &mut errors,
    ) else {
        return refused_step(&st, &user, id, "remove", messages(errors.0)).await;
    };
    let r = Removal {
        decision_number: f.get("decision_number").to_string(),
        decision_date: on,
    };
    let _guard = st.write_lock().await;
    match st.store.remove_listed_holder(id, &r, &actor(&user)).await {
        Ok(_) => {
            refresh(&st).await?;
            Ok(Redirect::to(&format!("/holder-lists/{id}")).into_response())
        }
        Err(StoreError::Invalid(fs)) => refused_step(&st, &user, id, "remove", messages(fs)).await,
        Err(e) => Err(e.into()),
    }
}

/// `GET /holder-lists/{id}/files/{file}`: an attachment of a 移出申请 (its company's own).
pub async fn file_download(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    entry_for(&st, &user, id).await?;
    let (name, bytes) = st.store.list_attachment(id, file).await?;
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        crate::http::auth::percent_encode(&name)
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// One application in the queue.
struct QueueRow {
    row: Row,
    applied_on: String,
    due: String,
    overdue: String,
}

#[derive(Template)]
#[template(path = "holder_list_queue.html")]
struct QueuePage {
    layout: Layout,
    rows: Vec<QueueRow>,
    limit: i64,
    /// The 核验时限 form's problem, if refused.
    limit_error: String,
}

/// `GET /holder-lists/queue`: the 移出申请 waiting for their 核验 (with the due date in
/// working days and the overdue reminder) and the 核验 agreed waiting for the 移出 decision.
pub async fn queue_page(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ManageHolderLists>,
) -> Result<Response, AppError> {
    render_queue(&st, String::new(), StatusCode::OK).await
}

/// `POST /holder-lists/limit` (form: verification_limit_days, 1–60): the bureau's 核验 limit
/// in working days (default 10, the bureau's choice); audited (`holder_list.limit`).
pub async fn limit_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageHolderLists>,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = FormData::parse(&body);
    let text = f.get("verification_limit_days").trim();
    let Ok(days) = text.parse::<i64>() else {
        return render_queue(
            &st,
            format!("核验时限“{text}”应为工作日数（整数）"),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    match st
        .store
        .set_list_verification_limit(days, &actor(&user))
        .await
    {
        Ok(()) => Ok(Redirect::to("/holder-lists/queue").into_response()),
        Err(StoreError::Invalid(fs)) => {
            render_queue(
                &st,
                messages(fs).join("；"),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

async fn render_queue(
    st: &AppState,
    limit_error: String,
    status: StatusCode,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let limit = st.store.list_verification_limit().await?;
    let cal = st.store.work_calendar().await?;
    let today = minplan_store::today();
    let entries = st
        .store
        .list_entries(&ListEntryQuery {
            statuses: vec![EntryStatus::Applied, EntryStatus::Approved],
            ..Default::default()
        })
        .await?;
    let rows = entries
        .iter()
        .map(|e| QueueRow {
            row: row(e),
            applied_on: e
                .entry
                .open_application()
                .map(|a| a.applied_on.chinese())
                .unwrap_or_default(),
            due: e
                .entry
                .verification_due(&cal, limit)
                .map(|d| {
                    format!(
                        "{}{}",
                        d.value.chinese(),
                        d.note().map(|n| format!("（{n}）")).unwrap_or_default()
                    )
                })
                .unwrap_or_default(),
            overdue: e
                .entry
                .overdue_reminder(&cal, limit, today)
                .map(|r| format!("已逾期 {} 个工作日", r.working_days_late))
                .unwrap_or_default(),
        })
        .collect();
    let page = QueuePage {
        layout: layout(&sp, "holder-lists"),
        rows,
        limit,
        limit_error,
    };
    Ok((status, Html(page.render()?)).into_response())
}
