//! 本企业检查记录 (矿山企业, own records only by 统一社会信用代码; another company's record
//! answers 404 as if it did not exist): the list with the deadlines, one record, and filing
//! the 整改报告 (text and an optional JPG/PNG/PDF file ≤ 10 MB).

use super::{RecordView, ReminderView, TaskView};
use crate::AppState;
use crate::http::auth::{actor, own_credit_code, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, SubmittedForm};
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_store::checks::{CheckTask, Upload};
use minplan_store::{StoreError, User};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "company_checks.html")]
struct ListPage {
    layout: Layout,
    tasks: Vec<TaskView>,
    reminders: Vec<ReminderView>,
}

fn own(user: &User) -> &str {
    own_credit_code(user).unwrap_or("")
}

/// `GET /company/checks`: the company's checks and its running deadlines.
pub async fn list(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::FileRectification>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let code = own(&user);
    // A company account without a credit code sees nothing (an empty code matches no row).
    let tasks: Vec<CheckTask> = st
        .store
        .check_tasks(None, Some(code))
        .await?
        .into_iter()
        .filter(|t| !code.is_empty() && t.stage.is_some())
        .collect();
    let reminders = if code.is_empty() {
        vec![]
    } else {
        super::deadline_reminders(&st, Some(code), "/company/checks/").await?
    };
    let page = ListPage {
        layout: layout(&sp, "workbench"),
        tasks: tasks.iter().map(TaskView::of).collect(),
        reminders,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "company_check.html")]
struct RecordPage {
    layout: Layout,
    task: TaskView,
    record: RecordView,
    errors: FieldErrors,
    other_errors: Vec<String>,
    notice: String,
    text: String,
    max_mb: usize,
}

/// The company's own checked target, or 404.
async fn own_task(
    st: &AppState,
    user: &User,
    id: i64,
) -> Result<(CheckTask, minplan_store::checks::CheckRecord), AppError> {
    let nf = || AppError::NotFound(format!("没有编号为 {id} 的本企业检查记录"));
    let code = own(user);
    let t = st.store.check_target(id, None).await?.ok_or_else(nf)?;
    if code.is_empty() || t.task.credit_code.as_deref() != Some(code) {
        return Err(nf());
    }
    let rec = st.store.check_record(id).await?.ok_or_else(nf)?;
    Ok((t.task, rec))
}

async fn render(
    st: &AppState,
    status: StatusCode,
    task: &CheckTask,
    rec: &minplan_store::checks::CheckRecord,
    errors: FieldErrors,
    notice: &str,
    text: String,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let cal = st.store.work_calendar().await?;
    let page = RecordPage {
        layout: layout(&sp, "workbench"),
        task: TaskView::of(task),
        record: RecordView::of(rec, minplan_store::today(), &cal),
        other_errors: errors.others(&["text", "file"]),
        errors,
        notice: notice.into(),
        text,
        max_mb: minplan_store::checks::MAX_FILE_BYTES / 1024 / 1024,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /company/checks/{id}`: one own record (items, findings, 整改期限, reports, 验收) and
/// the 整改报告 form while 整改中. Another company's: 404.
pub async fn page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::FileRectification>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (task, rec) = own_task(&st, &user, id).await?;
    let notice = if q.contains_key("saved") {
        "已报送整改报告"
    } else {
        ""
    };
    render(
        &st,
        StatusCode::OK,
        &task,
        &rec,
        FieldErrors::default(),
        notice,
        String::new(),
    )
    .await
}

/// `POST /company/checks/{id}/report` (multipart: `text`, optional file `file`): files the
/// 整改报告 dated today (Beijing) — 303 to the record, or the form again with the problems
/// (422), nothing written. Another company's record: 404.
pub async fn report(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::FileRectification>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let (task, rec) = own_task(&st, &user, id).await?;
    let form = SubmittedForm::read(&headers, body).await;
    let file = form.file("file").map(|f| Upload {
        name: f.file_name.clone(),
        bytes: f.bytes.clone(),
    });
    let text = form.get("text").to_string();
    match st
        .store
        .file_rectification_report(
            id,
            &text,
            file.as_ref(),
            minplan_store::today(),
            &actor(&user),
        )
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/company/checks/{id}?saved=1")).into_response()),
        Err(StoreError::Invalid(mut v)) => {
            if let Some(p) = &form.problem {
                v.push(minplan_store::FieldError::new("form", p.clone()));
            }
            render(
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                &task,
                &rec,
                FieldErrors(v),
                "",
                text,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
