//! 公示审核 (staff): the 信息公示 queue and each publication's page — what the public will see
//! (the portal's own rendering, `crate::portal::view`), its history, and the steps 提交审核 /
//! 审核通过并公开 / 退回修改 / 撤回 (CSRF-checked forms; approving and withdrawing need the
//! confirmation box, returning and withdrawing a reason). Drafts of 矿业权公示 (the current
//! register), 规划区块 (the plan in force), 规划执行情况 (a year's evaluation, through the
//! monitoring store functions) and 治理恢复基金公示 (a year's fund summary, also from the
//! restoration fund page's 生成公示草稿 form) are made here; other capabilities make theirs with
//! `minplan_store::Store::draft_publication`.
//!
//! Who may do which step is the domain's rule (`minplan_domain::disclosure`): the owning role
//! or 系统管理员, and never the submitter approving their own submission.

use crate::AppState;
use crate::http::auth::policy;
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::FormData;
use crate::http::views::{Layout, layout};
use crate::http::words::{People, beijing, date_zh};
use crate::portal::view::{self, PublicTable};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::disclosure::{
    self as rule, BlocksPayload, ImplementationPayload, Payload, PublicBlock, PublicIndicator,
    PublicationKind, PublicationState,
};
use minplan_store::disclosure::actor_role;
use minplan_store::{StoreError, User};
use std::collections::HashMap;

/// The routes of 公示审核.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/publications", get(queue).post(create))
        .route("/publications/settings", post(settings))
        .route("/publications/{id}", get(page))
        .route("/publications/{id}/submit", post(submit))
        .route("/publications/{id}/approve", post(approve))
        .route("/publications/{id}/return", post(send_back))
        .route("/publications/{id}/withdraw", post(withdraw))
}

/// Rows the preview shows of a register (the public pages page through all of it).
const PREVIEW_ROWS: usize = 200;

/// One row of the queue.
struct QueueRow {
    id: i64,
    title: String,
    kind: &'static str,
    state: &'static str,
    state_code: &'static str,
    rows: i64,
    created: String,
    submitted: String,
    published: String,
}

/// A kind the user may prepare here.
struct DraftKind {
    code: &'static str,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "publications.html")]
struct QueuePage {
    layout: Layout,
    /// Tabs: (code, label, count, chosen).
    tabs: Vec<(&'static str, &'static str, usize, bool)>,
    rows: Vec<QueueRow>,
    kinds: Vec<DraftKind>,
    year: i32,
    errors: Vec<String>,
    results_within: u32,
    /// Whether the user may set the 抽查结果 deadline (系统管理员).
    can_set: bool,
}

async fn render_queue(
    st: &AppState,
    user: &User,
    state: &str,
    status: StatusCode,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let all = st.store.publications(None).await?;
    let people = People::load(&st.store).await?;
    let chosen = PublicationState::from_code(state);
    let mut tabs = vec![("", "全部", all.len(), chosen.is_none())];
    for s in PublicationState::ALL {
        tabs.push((
            s.code(),
            s.label(),
            all.iter().filter(|p| p.state == *s).count(),
            chosen == Some(*s),
        ));
    }
    let rows = all
        .iter()
        .filter(|p| chosen.is_none_or(|c| p.state == c))
        .map(|p| QueueRow {
            id: p.id,
            title: p.title.clone(),
            kind: p.kind.label(),
            state: p.state.label(),
            state_code: p.state.code(),
            rows: p.row_count,
            created: format!("{} {}", people.actor(&p.created_by), beijing(&p.created_at)),
            submitted: match (&p.submitted_by, &p.submitted_at) {
                (Some(b), Some(at)) => format!("{} {}", people.actor(b), beijing(at)),
                _ => "—".into(),
            },
            published: p.approved_at.as_deref().map_or("—".into(), beijing),
        })
        .collect();
    let role = actor_role(user.role);
    let kinds = [
        PublicationKind::RightsRegister,
        PublicationKind::PlanningBlocks,
        PublicationKind::PlanImplementation,
        PublicationKind::RestorationFund,
    ]
    .into_iter()
    .filter(|k| rule::may_handle(*k, role))
    .map(|k| DraftKind {
        code: k.code(),
        label: k.label(),
    })
    .collect();
    let page = QueuePage {
        layout: layout(&sp, "publications"),
        tabs,
        rows,
        kinds,
        year: st.today().year() - 1,
        errors,
        results_within: st.store.results_within_days().await?,
        can_set: crate::http::auth::allowed(
            Some(user.role),
            crate::http::auth::Permission::ManageUsers,
        ),
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /publications` (`?state=draft|pending|published|withdrawn`): the queue.
pub async fn queue(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewPublications>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let state = q.get("state").map_or("", String::as_str);
    render_queue(&st, &user, state, StatusCode::OK, Vec::new()).await
}

/// The 规划区块 payload of the plan in force.
fn blocks_payload(sp: &minplan_store::StoredPlan) -> BlocksPayload {
    let p = &sp.loaded.plan;
    BlocksPayload {
        plan_name: p.identity.name.value.clone(),
        version: format!(
            "第 {} 版，{}起施行",
            sp.info.version,
            date_zh(&sp.info.effective)
        ),
        blocks: p
            .blocks
            .iter()
            .map(|b| PublicBlock {
                code: b.number.clone(),
                name: b.name.clone(),
                kind: b.kind.label().to_string(),
                minerals: b.minerals.clone(),
                area_km2: b
                    .stated_area_km2
                    .as_ref()
                    .map(|a| a.value)
                    .or_else(|| b.computed_area_km2()),
                schematic: b.schematic,
                geometry: b.has_geometry().then(
                    || serde_json::json!({ "type": "MultiPolygon", "coordinates": b.geometry }),
                ),
            })
            .collect(),
    }
}

/// The 规划执行情况 payload of `year`: the evaluation from the plan's first year to `year`
/// (实际 = the year's value), as the 实施评估 page shows it.
async fn implementation_payload(
    st: &AppState,
    sp: &minplan_store::StoredPlan,
    year: i32,
) -> Result<ImplementationPayload, AppError> {
    let plan = &sp.loaded.plan;
    let e = st
        .store
        .evaluation_on(plan, plan.identity.period_start, year, st.today())
        .await?;
    let value = |r: &minplan_domain::monitoring::evaluation::EvaluationRow| match r.actual {
        Some(v) => format!(
            "{} {}",
            minplan_domain::citation::format_number((v * 100.0).round() / 100.0),
            r.unit
        ),
        None => match r.status {
            minplan_domain::monitoring::Status::NotReported => "未报送".into(),
            minplan_domain::monitoring::Status::NotEntered => "未填报".into(),
            _ => "无数据".into(),
        },
    };
    let mut summary = Vec::new();
    if !e.standing_note.is_empty() {
        summary.push(e.standing_note.clone());
    }
    summary.extend(e.notes.iter().cloned());
    Ok(ImplementationPayload {
        plan_name: e.plan.clone(),
        year,
        indicators: e
            .rows
            .iter()
            .map(|r| PublicIndicator {
                name: r.indicator.clone(),
                target: r.target_label.clone(),
                value: value(r),
                completion: r
                    .completion_pct
                    .map_or("无法判定".into(), |p| format!("{p:.1}%")),
                status: r.status_label.clone(),
            })
            .collect(),
        summary,
    })
}

/// `POST /publications` (form: `kind` = rights | blocks | implementation | restoration-fund,
/// `year` for 规划执行情况 and 治理恢复基金公示): prepares (or regenerates) the draft and opens it (303), or shows the queue
/// with the problem (422).
pub async fn create(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::HandlePublications>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    let (st_ref, user_ref) = (&st, &user);
    let refuse = move |m: String| async move {
        render_queue(
            st_ref,
            user_ref,
            "",
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![m],
        )
        .await
    };
    let Some(kind) = PublicationKind::from_code(form.get("kind").trim()) else {
        return refuse(
            "请选择要生成的公示类型（矿业权公示、规划区块、规划执行情况或治理恢复基金公示）".into(),
        )
        .await;
    };
    if !rule::may_handle(kind, actor_role(user.role)) {
        return refuse(format!(
            "{}由{}生成和提交（系统管理员亦可），当前账号的角色不能办理",
            kind.label(),
            kind.owner().label()
        ))
        .await;
    }
    let sp = st.plan().await;
    let today = st.today();
    let (subject, title, payload) = match kind {
        PublicationKind::RightsRegister => {
            let reg = st.store.register_payload(today).await?;
            if reg.rights.is_empty() {
                return refuse("登记簿中没有矿业权，无可公示的内容".into()).await;
            }
            (
                "register".to_string(),
                format!("矿业权公示（截至{}）", date_zh(&reg.as_of)),
                Payload::Rights(reg),
            )
        }
        PublicationKind::PlanningBlocks => (
            "blocks".to_string(),
            format!("{}规划区块", sp.loaded.plan.identity.name.value),
            Payload::Blocks(blocks_payload(&sp)),
        ),
        PublicationKind::PlanImplementation => {
            let Ok(year) = form.get("year").trim().parse::<i32>() else {
                return refuse(format!(
                    "年度“{}”应为四位数字年份，如 {}",
                    form.get("year").trim(),
                    today.year() - 1
                ))
                .await;
            };
            let payload = match implementation_payload(&st, &sp, year).await {
                Ok(p) => p,
                Err(AppError::Invalid(v)) => {
                    return refuse(
                        v.iter()
                            .map(|e| e.message.as_str())
                            .collect::<Vec<_>>()
                            .join("；"),
                    )
                    .await;
                }
                Err(e) => return Err(e),
            };
            (
                year.to_string(),
                format!("{year}年度规划执行情况"),
                Payload::Implementation(payload),
            )
        }
        PublicationKind::ListEntry => {
            let Ok(id) = form.get("entry").trim().parse::<i64>() else {
                return refuse("请从名录事项页面生成名录信息的公示草稿".into()).await;
            };
            let stored = match st.store.list_entry(id).await {
                Ok(s) => s,
                Err(StoreError::NotFound(m)) => return refuse(m).await,
                Err(e) => return Err(e.into()),
            };
            let public = stored.entry.public();
            let title = match &public.removed_on {
                Some(_) => format!("{}移出{}", public.holder_name, public.list),
                None => format!("{}列入{}", public.holder_name, public.list),
            };
            (
                stored.entry.publication_subject(),
                title,
                Payload::Lists(public),
            )
        }
        PublicationKind::RestorationFund => {
            let text = form.get("year").trim();
            let year = match text.parse::<i32>() {
                Ok(y) if (2000..=today.year()).contains(&y) => y,
                _ => {
                    return refuse(format!(
                        "年度“{text}”应为 2000 至 {} 之间的四位数字年份，如 {}",
                        today.year(),
                        today.year() - 1
                    ))
                    .await;
                }
            };
            let summary = st.store.fund_public_summary(year, today).await?;
            if summary.mines.is_empty() {
                return refuse("尚无矿山设定基金计算方法或登记基金，无可公示的内容".into()).await;
            }
            (
                year.to_string(),
                format!("{year}年度矿山地质环境治理恢复基金公示"),
                Payload::RestorationFund(summary.public_payload()),
            )
        }
        PublicationKind::InspectionResults => {
            let Ok(plan) = form.get("plan").trim().parse::<i64>() else {
                return refuse("请从抽查计划页面生成抽查结果的公示草稿".into()).await;
            };
            let payload = match st.store.inspection_results_payload(plan).await {
                Ok(p) => p,
                Err(StoreError::NotFound(m)) => return refuse(m).await,
                Err(e) => return Err(e.into()),
            };
            if payload.targets.is_empty() {
                return refuse("该抽查计划尚未抽取抽查对象，无可公示的内容".into()).await;
            }
            // The plan's name usually carries its year (2026年度双随机抽查计划).
            let title = if payload.plan_name.contains(&payload.year.to_string()) {
                format!("{}抽查结果", payload.plan_name)
            } else {
                format!("{}年度{}抽查结果", payload.year, payload.plan_name)
            };
            (format!("plan:{plan}"), title, Payload::Inspections(payload))
        }
    };
    match st
        .store
        .draft_publication(&subject, &title, &payload, &crate::http::auth::actor(&user))
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/publications/{id}")).into_response()),
        Err(StoreError::Invalid(v)) => {
            refuse(
                v.iter()
                    .map(|e| e.message.as_str())
                    .collect::<Vec<_>>()
                    .join("；"),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /publications/settings` (form: `results_within_days`): the working days within
/// which 抽查结果 are to be public after the checks (系统管理员), audited; back to the queue
/// (303), or the queue with the problem (422).
pub async fn settings(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageUsers>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    let text = form.get("results_within_days").trim();
    let result = match text.parse::<u32>() {
        Ok(days) => {
            st.store
                .set_results_within_days(days, &crate::http::auth::actor(&user))
                .await
        }
        Err(_) => Err(StoreError::Invalid(vec![minplan_store::FieldError::new(
            "results_within_days",
            format!("抽查结果公示期限“{text}”应为工作日数（整数），如 20"),
        )])),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/publications").into_response()),
        Err(StoreError::Invalid(v)) => {
            render_queue(
                &st,
                &user,
                "",
                StatusCode::UNPROCESSABLE_ENTITY,
                v.into_iter().map(|e| e.message).collect(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// A step of the history as shown.
struct EventView {
    step: &'static str,
    by: String,
    at: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "publication.html")]
struct PublicationPage {
    layout: Layout,
    id: i64,
    title: String,
    kind: &'static str,
    state: &'static str,
    state_code: &'static str,
    rows: i64,
    /// Lines about the publication: prepared, submitted, approved, returned, withdrawn.
    facts: Vec<String>,
    /// The public's view: lines and table.
    lines: Vec<String>,
    table: PublicTable,
    events: Vec<EventView>,
    can_submit: bool,
    can_approve: bool,
    /// Why this user cannot approve (own submission), shown instead of the button.
    approve_note: String,
    can_return: bool,
    can_withdraw: bool,
    errors: Vec<String>,
    notice: String,
}

fn step_label(step: &str) -> &'static str {
    match step {
        "draft" => "生成草稿",
        "redraft" => "重新生成草稿",
        "submit" => "提交审核",
        "approve" => "审核通过并公开",
        "return" => "退回修改",
        "withdraw" => "撤回",
        _ => "其他",
    }
}

async fn render_page(
    st: &AppState,
    user: &User,
    id: i64,
    status: StatusCode,
    errors: Vec<String>,
    notice: &str,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let p = st.store.publication(id).await?;
    let people = People::load(&st.store).await?;
    let s = &p.summary;
    let who = rule::Actor {
        person: user.id,
        role: actor_role(user.role),
    };
    let standing = rule::Standing {
        kind: s.kind,
        state: s.state,
        submitted_by: s.submitted_by_user,
    };
    let mut facts = vec![format!(
        "生成：{} {}",
        people.actor(&s.created_by),
        beijing(&s.created_at)
    )];
    if let (Some(b), Some(at)) = (&s.submitted_by, &s.submitted_at) {
        facts.push(format!("提交审核：{} {}", people.actor(b), beijing(at)));
    }
    if let (Some(b), Some(at)) = (&s.approved_by, &s.approved_at) {
        facts.push(format!("审核公开：{} {}", people.actor(b), beijing(at)));
    }
    if let Some(r) = &s.returned_reason {
        facts.push(format!("退回修改的理由：{r}"));
    }
    if let (Some(b), Some(at)) = (&s.withdrawn_by, &s.withdrawn_at) {
        facts.push(format!(
            "撤回：{} {}，理由：{}",
            people.actor(b),
            beijing(at),
            s.withdrawal_reason.as_deref().unwrap_or("")
        ));
    }
    if let Payload::Inspections(r) = &p.payload {
        match r
            .checks_completed_on
            .as_deref()
            .and_then(|d| minplan_domain::date::Date::parse(d).ok())
        {
            Some(done) => {
                let within = st.store.results_within_days().await?;
                let published = s
                    .approved_at
                    .as_deref()
                    .and_then(crate::http::words::parse_utc)
                    .and_then(|t| {
                        let t = t + time::Duration::hours(8);
                        minplan_domain::date::Date::new(t.year(), u8::from(t.month()), t.day())
                    });
                let d = rule::results_deadline(
                    &st.store.work_calendar().await?,
                    done,
                    within,
                    published,
                    st.today(),
                );
                facts.push(format!(
                    "公开期限：检查完成后 {within} 个工作日内，即 {} 前{}{}",
                    date_zh(&d.due.to_string()),
                    match (d.overdue, d.days_left) {
                        (true, _) => "；已逾期".to_string(),
                        (false, Some(n)) => format!("；尚余 {n} 个工作日"),
                        (false, None) => "；已按期公开".to_string(),
                    },
                    d.note.map_or(String::new(), |n| format!("（{n}）"))
                ));
            }
            None => facts.push("公开期限：检查尚未完成，无法判定".into()),
        }
    }
    let (lines, table) = view::payload_view(&p.payload, PREVIEW_ROWS);
    let approve_ok = rule::approve(&standing, who);
    let page = PublicationPage {
        layout: layout(&sp, "publications"),
        id,
        title: s.title.clone(),
        kind: s.kind.label(),
        state: s.state.label(),
        state_code: s.state.code(),
        rows: s.row_count,
        facts,
        lines,
        table,
        events: p
            .events
            .iter()
            .map(|e| EventView {
                step: step_label(&e.step),
                by: people.actor(&e.actor),
                at: beijing(&e.at),
                reason: e.reason.clone(),
            })
            .collect(),
        can_submit: rule::submit(&standing, who).is_ok(),
        can_approve: approve_ok.is_ok(),
        approve_note: match approve_ok {
            Err(e @ rule::Refusal::OwnSubmission { .. }) => e.to_string(),
            _ => String::new(),
        },
        can_return: rule::send_back(&standing, who, "理由").is_ok(),
        can_withdraw: rule::withdraw(&standing, who, "理由").is_ok(),
        errors,
        notice: notice.to_string(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /publications/{id}`: the publication, its preview and its steps.
pub async fn page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewPublications>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = match q.get("done").map(String::as_str) {
        Some("submit") => "已提交审核",
        Some("approve") => "已审核通过并公开",
        Some("return") => "已退回修改",
        Some("withdraw") => "已撤回",
        _ => "",
    };
    render_page(&st, &user, id, StatusCode::OK, Vec::new(), notice).await
}

/// Runs a step and goes back to the page (303), or shows the page with the refusal (422).
async fn run_step(
    st: &AppState,
    user: &User,
    id: i64,
    step: &'static str,
    result: Result<(), StoreError>,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/publications/{id}?done={step}")).into_response()),
        Err(StoreError::Invalid(v)) => {
            render_page(
                st,
                user,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                v.into_iter().map(|e| e.message).collect(),
                "",
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /publications/{id}/submit`: 提交审核.
pub async fn submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::HandlePublications>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = st.store.submit_publication(id, &user).await;
    run_step(&st, &user, id, "submit", r).await
}

fn unconfirmed(what: &str) -> StoreError {
    StoreError::Invalid(vec![minplan_store::FieldError::new(
        "confirm",
        format!("请勾选确认框，确认{what}"),
    )])
}

/// `POST /publications/{id}/approve` (form: `confirm`): 审核通过并公开.
pub async fn approve(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::HandlePublications>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    let r = if form.get("confirm").is_empty() {
        st.store.publication(id).await?;
        Err(unconfirmed("已核对预览内容、同意公开"))
    } else {
        st.store.approve_publication(id, &user).await
    };
    run_step(&st, &user, id, "approve", r).await
}

/// `POST /publications/{id}/return` (form: `reason`): 退回修改.
pub async fn send_back(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::HandlePublications>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    let r = st
        .store
        .return_publication(id, &user, form.get("reason"))
        .await;
    run_step(&st, &user, id, "return", r).await
}

/// `POST /publications/{id}/withdraw` (form: `reason`, `confirm`): 撤回.
pub async fn withdraw(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::HandlePublications>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    let r = if form.get("confirm").is_empty() {
        st.store.publication(id).await?;
        Err(unconfirmed(
            "撤回（撤回后公众不再看到该信息，仅见撤回说明）",
        ))
    } else {
        st.store
            .withdraw_publication(id, &user, form.get("reason"))
            .await
    };
    run_step(&st, &user, id, "withdraw", r).await
}
