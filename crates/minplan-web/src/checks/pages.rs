//! The 执法监察 pages: 检查任务 (`/checks`), one target's check form / record / 验收
//! (`/checks/{id}`), evidence upload and download.

use super::{RecordView, ReminderView, TaskView};
use crate::AppState;
use crate::http::auth::{actor, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, SubmittedForm};
use crate::http::views::{Layout, layout};
use crate::http::words::{People, TrailView};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::date::Date;
use minplan_domain::supervision::checks::{
    Acceptance, CheckDraft, CheckMethod, Finding, ItemFinding, MAX_RECTIFY_DAYS,
};
use minplan_store::checks::{CheckTarget, Upload};
use minplan_store::{FieldError, StoreError};
use std::collections::HashMap;

/// The default 整改期限 offered, working days.
pub const DEFAULT_RECTIFY_DAYS: i64 = 10;

#[derive(Template)]
#[template(path = "checks.html")]
struct ListPage {
    layout: Layout,
    tasks: Vec<TaskView>,
    mine_only: bool,
    mine_count: usize,
    reminders: Vec<ReminderView>,
    year: i32,
}

/// `GET /checks` (`?mine=1`: 「我的任务」 only): the 检查任务, the login's own first.
pub async fn list(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::RecordChecks>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let tasks = st.store.check_tasks(Some(&user.username), None).await?;
    let mine_only = q.get("mine").is_some_and(|v| v == "1");
    let mine_count = tasks.iter().filter(|t| t.mine).count();
    let page = ListPage {
        layout: layout(&sp, "workbench"),
        tasks: tasks
            .iter()
            .filter(|t| !mine_only || t.mine)
            .map(TaskView::of)
            .collect(),
        mine_only,
        mine_count,
        reminders: super::deadline_reminders(&st, None, "/checks/").await?,
        year: minplan_store::today().year(),
    };
    Ok(Html(page.render()?).into_response())
}

/// One item row of the form.
struct ItemRow {
    idx: usize,
    name: String,
    legal_basis: String,
    finding: String,
    note: String,
    error: String,
}

/// One inspector of the form.
struct InspectorRow {
    id: i64,
    name: String,
    badge_no: String,
    unit: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "check.html")]
struct CheckPage {
    layout: Layout,
    task: TaskView,
    items: Vec<ItemRow>,
    inspectors: Vec<InspectorRow>,
    methods: &'static [&'static str],
    findings: &'static [&'static str],
    method: String,
    check_date: String,
    rectify_days: String,
    deadline_hint: String,
    record: Option<RecordView>,
    errors: FieldErrors,
    other_errors: Vec<String>,
    notice: String,
    trail: Vec<TrailView>,
    max_mb: usize,
    today: String,
    /// Mines that reported output without a valid 安全生产许可证 (a check point, 《规划》五（三）4).
    licence_alerts: Vec<String>,
}

/// What the check form had.
#[derive(Default)]
struct Entered {
    check_date: String,
    method: String,
    rectify_days: String,
    findings: HashMap<usize, (String, String)>,
    inspectors: Vec<i64>,
}

async fn target_or_404(st: &AppState, id: i64, login: &str) -> Result<CheckTarget, AppError> {
    st.store
        .check_target(id, Some(login))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的抽查对象")))
}

async fn render(
    st: &AppState,
    status: StatusCode,
    t: &CheckTarget,
    entered: Entered,
    errors: FieldErrors,
    notice: String,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let today = minplan_store::today();
    let cal = st.store.work_calendar().await?;
    let rec = st.store.check_record(t.task.target_id).await?;
    let days = entered
        .rectify_days
        .trim()
        .parse::<i64>()
        .unwrap_or(DEFAULT_RECTIFY_DAYS);
    let from = Date::parse(entered.check_date.trim()).unwrap_or(today);
    let preview = cal.add_working_days(from, days.clamp(1, MAX_RECTIFY_DAYS));
    let deadline_hint = format!(
        "按检查日期{}计，{} 个工作日后的整改期限为{}（扣除法定节假日，调休上班日计入）{}",
        from.chinese(),
        days.clamp(1, MAX_RECTIFY_DAYS),
        preview.value.chinese(),
        preview.note().map(|n| format!("；{n}")).unwrap_or_default()
    );
    let items = t
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let (finding, note) = entered.findings.get(&i).cloned().unwrap_or_default();
            ItemRow {
                idx: i,
                name: it.name.clone(),
                legal_basis: it.legal_basis.clone(),
                finding,
                note,
                error: errors.get(&format!("item:{}", it.code)).to_string(),
            }
        })
        .collect();
    let inspectors = t
        .assigned
        .iter()
        .map(|a| InspectorRow {
            id: a.id,
            name: a.name.clone(),
            badge_no: a.badge_no.clone(),
            unit: a.unit.clone(),
            checked: entered.inspectors.contains(&a.id),
        })
        .collect();
    let trail = match &rec {
        Some(r) => {
            let people = People::load(&st.store).await?;
            people.trail(
                &st.store
                    .audit_trail("check_record", &r.id.to_string())
                    .await?,
            )
        }
        None => vec![],
    };
    let mut shown = vec![
        "check_date",
        "method",
        "inspectors",
        "items",
        "rectify_days",
        "evidence",
        "date",
        "decision",
    ];
    let item_fields: Vec<String> = t.items.iter().map(|i| format!("item:{}", i.code)).collect();
    shown.extend(item_fields.iter().map(String::as_str));
    // 证照齐全 (《规划》五（三）4): a mine that reported output in the plan's year or the one
    // before without a 安全生产许可证 valid over it is a point to check on site.
    let mut licence_alerts = Vec::new();
    for year in [t.task.year - 1, t.task.year] {
        for f in st.store.mines_without_safety_licence(year).await? {
            if f.right_id != t.task.right_id {
                continue;
            }
            licence_alerts.push(match f.coverage {
                minplan_domain::register::licences::SafetyCoverage::Partial { days } => format!(
                    "{}（{}）{year}年度报告开采量 {}，安全生产许可证只覆盖该年 {days} 天：请核查无证期间是否生产（证照齐全，《规划》五（三）4）",
                    f.mine_name, f.right_id, f.extraction
                ),
                _ => format!(
                    "{}（{}）{year}年度报告开采量 {}，但没有该年有效的安全生产许可证：请核查证照是否齐全（《规划》五（三）4）",
                    f.mine_name, f.right_id, f.extraction
                ),
            });
        }
    }
    let page = CheckPage {
        layout: layout(&sp, "workbench"),
        task: TaskView::of(&t.task),
        items,
        inspectors,
        methods: CheckMethod::LABELS,
        findings: Finding::LABELS,
        method: entered.method,
        check_date: if entered.check_date.is_empty() {
            today.to_string()
        } else {
            entered.check_date
        },
        rectify_days: if entered.rectify_days.is_empty() {
            DEFAULT_RECTIFY_DAYS.to_string()
        } else {
            entered.rectify_days
        },
        deadline_hint,
        record: rec.as_ref().map(|r| RecordView::of(r, today, &cal)),
        other_errors: errors.others(&shown),
        errors,
        notice,
        trail,
        max_mb: minplan_store::checks::MAX_FILE_BYTES / 1024 / 1024,
        today: today.to_string(),
        licence_alerts,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /checks/{id}`: the target, its check form (before the check) or its record, the
/// 验收 form when a 整改报告 waits, and the history. `?saved=…` after a write.
pub async fn page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::RecordChecks>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let t = target_or_404(&st, id, &user.username).await?;
    let notice = match q.get("saved").map(String::as_str) {
        Some("record") => "已保存检查记录",
        Some("evidence") => "已上传证据材料",
        Some("acceptance") => "已保存验收结论",
        _ => "",
    };
    // Everyone assigned is ticked at first: the form is usually filled by them together.
    let entered = Entered {
        inspectors: t.assigned.iter().map(|a| a.id).collect(),
        ..Entered::default()
    };
    render(
        &st,
        StatusCode::OK,
        &t,
        entered,
        FieldErrors::default(),
        notice.into(),
    )
    .await
}

fn uploads(form: &SubmittedForm, name: &str) -> Vec<Upload> {
    form.files(name)
        .iter()
        .map(|f| Upload {
            name: f.file_name.clone(),
            bytes: f.bytes.clone(),
        })
        .collect()
}

/// `POST /checks/{id}` (multipart: `check_date`, `method`, `inspector_<id>` ticked,
/// `finding_<n>` / `note_<n>` per item (an empty finding: not checked), `rectify_days`, files
/// `evidence`): saves the check (303 to the page), or shows the form again with every
/// problem (422), nothing saved.
pub async fn record(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::RecordChecks>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let t = target_or_404(&st, id, &user.username).await?;
    let form = SubmittedForm::read(&headers, body).await;
    let mut errors = FieldErrors::default();
    if let Some(p) = &form.problem {
        errors.push("form", p.clone());
    }
    let entered = Entered {
        check_date: form.get("check_date").trim().to_string(),
        method: form.get("method").trim().to_string(),
        rectify_days: form.get("rectify_days").trim().to_string(),
        findings: (0..t.items.len())
            .map(|i| {
                (
                    i,
                    (
                        form.get(&format!("finding_{i}")).trim().to_string(),
                        form.get(&format!("note_{i}")).trim().to_string(),
                    ),
                )
            })
            .collect(),
        inspectors: t
            .assigned
            .iter()
            .map(|a| a.id)
            .filter(|i| form.checked(&format!("inspector_{i}")))
            .collect(),
    };
    let check_date = Date::parse(&entered.check_date);
    if check_date.is_err() {
        errors.push("check_date", "请填写检查日期（如 2026-02-10）");
    }
    let method = CheckMethod::parse(&entered.method);
    if method.is_none() {
        errors.push(
            "method",
            format!("检查方式应为 {} 之一", CheckMethod::LABELS.join("、")),
        );
    }
    let rectify_days = if entered.rectify_days.is_empty() {
        None
    } else {
        match entered.rectify_days.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.push("rectify_days", "整改期限应为整数个工作日");
                None
            }
        }
    };
    let mut items = Vec::new();
    for (i, it) in t.items.iter().enumerate() {
        let (f, note) = entered.findings.get(&i).cloned().unwrap_or_default();
        if f.is_empty() {
            continue;
        }
        match Finding::parse(&f) {
            Some(finding) => items.push(ItemFinding {
                item_code: it.code.clone(),
                item_name: it.name.clone(),
                finding,
                note,
            }),
            None => errors.push(
                &format!("item:{}", it.code),
                format!("检查结论应为 {} 之一", Finding::LABELS.join("、")),
            ),
        }
    }
    let evidence = uploads(&form, "evidence");
    let result = match (check_date, method, errors.is_empty()) {
        (Ok(check_date), Some(method), true) => {
            let draft = CheckDraft {
                check_date,
                method,
                items,
                inspectors: entered.inspectors.clone(),
                rectify_days,
            };
            Some(
                st.store
                    .record_check(id, &draft, &evidence, minplan_store::today(), &actor(&user))
                    .await,
            )
        }
        _ => None,
    };
    match result {
        Some(Ok(_)) => Ok(Redirect::to(&format!("/checks/{id}?saved=record")).into_response()),
        Some(Err(StoreError::Invalid(v))) => {
            errors.0.extend(v);
            render(
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                &t,
                entered,
                errors,
                String::new(),
            )
            .await
        }
        Some(Err(e)) => Err(e.into()),
        None => {
            render(
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                &t,
                entered,
                errors,
                String::new(),
            )
            .await
        }
    }
}

/// `POST /checks/{id}/evidence` (multipart, files `evidence`): adds evidence to the record.
pub async fn evidence(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::RecordChecks>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let t = target_or_404(&st, id, &user.username).await?;
    let form = SubmittedForm::read(&headers, body).await;
    match st
        .store
        .add_check_evidence(id, &uploads(&form, "evidence"), &actor(&user))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/checks/{id}?saved=evidence")).into_response()),
        Err(StoreError::Invalid(v)) => {
            render(
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                &t,
                Entered::default(),
                FieldErrors(v),
                String::new(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /checks/{id}/acceptance` (form: `date`, `decision` = passed / retry / escalate,
/// `rectify_days` for retry, `note`): the 验收 of the 整改报告.
pub async fn acceptance(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::RecordChecks>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let t = target_or_404(&st, id, &user.username).await?;
    let form = SubmittedForm::read(&headers, body).await;
    let mut errs = Vec::new();
    let date = Date::parse(form.get("date").trim());
    if date.is_err() {
        errs.push(FieldError::new("date", "请填写验收日期（如 2026-03-02）"));
    }
    let decision = match form.get("decision") {
        "passed" => Some(Acceptance::Passed),
        "escalate" => Some(Acceptance::FailedEscalate),
        "retry" => match form.get("rectify_days").trim().parse::<i64>() {
            Ok(n) => Some(Acceptance::FailedRetry(n)),
            Err(_) => {
                errs.push(FieldError::new(
                    "rectify_days",
                    "验收不合格重新整改的，须填写新的整改期限（工作日）",
                ));
                None
            }
        },
        _ => {
            errs.push(FieldError::new(
                "decision",
                "请选择验收结论：验收合格、验收不合格重新整改或验收不合格转立案查处",
            ));
            None
        }
    };
    let result = match (date, decision) {
        (Ok(date), Some(decision)) if errs.is_empty() => {
            if date > minplan_store::today() {
                Err(StoreError::Invalid(vec![FieldError::new(
                    "date",
                    "验收日期晚于今天",
                )]))
            } else {
                st.store
                    .accept_rectification(id, date, decision, form.get("note"), &actor(&user))
                    .await
                    .map(|_| ())
            }
        }
        _ => Err(StoreError::Invalid(errs)),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/checks/{id}?saved=acceptance")).into_response()),
        Err(StoreError::Invalid(v)) => {
            render(
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                &t,
                Entered::default(),
                FieldErrors(v),
                String::new(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /checks/files/{id}`: an evidence or report file, as uploaded.
pub async fn file(
    State(st): State<AppState>,
    _: RequireRole<policy::RecordChecks>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (f, bytes, _) = st
        .store
        .check_file_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的文件")))?;
    Ok(crate::http::download::attachment(
        bytes,
        mime(&f.kind),
        &f.name,
        &format!("file-{id}.{}", f.kind),
    ))
}

/// The MIME type of a stored file's kind.
pub fn mime(kind: &str) -> &'static str {
    match kind {
        "jpg" => "image/jpeg",
        "png" => "image/png",
        _ => "application/pdf",
    }
}
