//! 绿色矿山 (《规划》六（一）; DZ/T 0316-2018 for 砂石): `/green-mines` shows the 绿色矿山名录 with
//! the share of producing mines on it, the mines committed to the standard (R14) with their
//! result, and the assessments; `/green-mines/checklist` the checklist in use (the 示例 flag
//! on every page that uses an example set) and the upload of a new version;
//! `/green-mines/assessments` a company's self-assessments of its own mines (矿山企业 through
//! [`Permission::FileRestoration`], own mines only — another's is 404) and the bureau's
//! evaluation ([`Permission::ManageRestoration`]). The rules are in
//! `minplan_domain::restoration::green`, the records in the store's green-mine module.

use crate::AppState;
use crate::http::auth::{Permission, actor, allowed, may_see, own_credit_code, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::SubmittedForm;
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::date::Date;
use minplan_domain::restoration::figures::Reading;
use minplan_domain::restoration::green::{
    AssessmentStatus, Checklist, EXAMPLE_CHECKLIST, EXAMPLE_FLAG, GreenLevel, GreenListing,
    ItemScore, SelfAnswer, fmt_points,
};
use minplan_store::{AssessmentRecord, SelfInput, StoreError, UploadedFile, User};
use std::collections::HashMap;

/// The routes of 绿色矿山.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/green-mines", get(overview))
        .route("/api/green-mines", get(api_summary))
        .route("/green-mines/listings", post(listing_add))
        .route("/green-mines/listings/{id}/remove", post(listing_remove))
        .route(
            "/green-mines/checklist",
            get(checklist_page).post(checklist_upload),
        )
        .route(
            "/green-mines/assessments",
            get(assessments).post(assessment_start),
        )
        .route("/green-mines/assessments/{id}", get(assessment_page))
        .route("/green-mines/assessments/{id}/self", post(self_submit))
        .route(
            "/green-mines/assessments/{id}/evaluation",
            post(evaluation_submit),
        )
        .route(
            "/green-mines/assessments/{id}/files/{file}",
            get(evidence_download),
        )
}

fn messages(e: StoreError) -> Result<Vec<String>, AppError> {
    match e {
        StoreError::Invalid(v) => Ok(v.into_iter().map(|e| e.message).collect()),
        StoreError::NotFound(m) => Err(AppError::NotFound(m)),
        e => Err(e.into()),
    }
}

fn reading_count(r: &Reading<u32>) -> String {
    match r {
        Reading::Value(v) => v.to_string(),
        Reading::Missing(m) => m.clone(),
    }
}

fn reading_pct(r: &Reading<f64>) -> String {
    match r {
        Reading::Value(v) => format!("{:.1}%", v),
        Reading::Missing(m) => m.clone(),
    }
}

fn date_field(
    form: &SubmittedForm,
    field: &str,
    label: &str,
    errors: &mut Vec<String>,
) -> Option<Date> {
    let v = form.get(field).trim();
    match Date::parse(v) {
        Ok(d) => Some(d),
        Err(_) if v.is_empty() => {
            errors.push(format!("请填写{label}（如 2026-05-01）"));
            None
        }
        Err(e) => {
            errors.push(format!("{label}：{e}"));
            None
        }
    }
}

/// One 名录 row as shown.
struct ListingRow {
    id: i64,
    mine: String,
    level: &'static str,
    date_in: String,
    document_number: String,
    date_out: String,
    in_force: bool,
}

/// One committed mine as shown.
struct CommitmentView {
    mine: String,
    holder: String,
    application: String,
    result: &'static str,
}

/// One assessment as listed.
struct AssessmentRow {
    id: i64,
    mine: String,
    holder: String,
    version: String,
    example: bool,
    status: String,
    started_on: String,
    total: String,
}

fn assessment_rows(list: Vec<minplan_store::AssessmentSummary>) -> Vec<AssessmentRow> {
    list.into_iter()
        .map(|a| AssessmentRow {
            id: a.id,
            mine: a.mine.name,
            holder: a.mine.holder_name,
            version: format!("第 {} 版", a.version),
            example: a.example,
            status: a.status.label(),
            started_on: a.started_on.chinese(),
            total: a.total.map(fmt_points).unwrap_or_else(|| "—".into()),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "green_mines.html")]
struct OverviewPage {
    layout: Layout,
    on: String,
    producing: u32,
    green: String,
    share: String,
    by_level: Vec<(String, u32)>,
    listings: Vec<ListingRow>,
    commitments: Vec<CommitmentView>,
    assessments: Vec<AssessmentRow>,
    mines: Vec<(i64, String)>,
    levels: Vec<&'static str>,
    can_manage: bool,
    errors: Vec<String>,
    notice: String,
}

async fn render_overview(
    st: &AppState,
    user: &User,
    errors: Vec<String>,
    notice: String,
) -> Result<Response, AppError> {
    let today = st.today();
    let sp = st.plan().await;
    let f = st.store.green_figures(today).await?;
    let listings = st
        .store
        .green_listings()
        .await?
        .into_iter()
        .map(|l| ListingRow {
            id: l.id,
            mine: l.mine_name,
            level: l.listing.level.label(),
            date_in: l.listing.date_in.chinese(),
            document_number: l.listing.document_number.clone(),
            date_out: l.listing.date_out.map(|d| d.chinese()).unwrap_or_default(),
            in_force: l.listing.on(today),
        })
        .collect();
    let commitments = st
        .store
        .green_commitments(today)
        .await?
        .into_iter()
        .map(|c| CommitmentView {
            mine: c.mine.name,
            holder: c.mine.holder_name,
            application: c.application,
            result: c.result.label(),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = OverviewPage {
        layout: layout(&sp, "green-mines"),
        on: today.chinese(),
        producing: f.producing_mines,
        green: reading_count(&f.green_mines),
        share: reading_pct(&f.share_pct),
        by_level: f.by_level,
        listings,
        commitments,
        assessments: assessment_rows(st.store.green_assessments(None).await?),
        mines: st
            .store
            .green_mine_list()
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect(),
        levels: GreenLevel::ALL.iter().map(|l| l.label()).collect(),
        can_manage: allowed(Some(user.role), Permission::ManageRestoration),
        errors,
        notice,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /green-mines` (`?saved=1` after a change): the 绿色矿山名录 on today with the share of
/// producing mines on it (无数据 / 无法判定 where it cannot be computed), the committed mines
/// and their results, every assessment; for 生态修复 and 系统管理员 the forms to enter and remove
/// 名录 entries.
pub async fn overview(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRestoration>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = if q.contains_key("saved") {
        "已保存".to_string()
    } else {
        String::new()
    };
    render_overview(&st, &user, vec![], notice).await
}

/// `POST /green-mines/listings` (form: `mine`, `level` 县级/省级/国家级, `date_in`,
/// `document_number`): enters a mine in the 名录 with the audit row `green_listing.add` (303),
/// or shows the page again with every problem, nothing written (422).
pub async fn listing_add(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = SubmittedForm::read(&headers, body).await;
    let mut errors = Vec::new();
    let mine = form.get("mine").trim().parse::<i64>().ok();
    if mine.is_none() {
        errors.push("请选择矿山".to_string());
    }
    let level = GreenLevel::parse(form.get("level").trim());
    if level.is_none() {
        errors.push("名录级别应为 县级、省级、国家级 之一".to_string());
    }
    let date_in = date_field(&form, "date_in", "入库日期", &mut errors);
    let (Some(mine_id), Some(level), Some(date_in)) = (mine, level, date_in) else {
        return render_overview(&st, &user, errors, String::new()).await;
    };
    let l = GreenListing {
        mine_id,
        level,
        date_in,
        document_number: form.get("document_number").trim().to_string(),
        date_out: None,
    };
    match st.store.add_green_listing(&l, &actor(&user)).await {
        Ok(_) => Ok(Redirect::to("/green-mines?saved=1").into_response()),
        Err(e) => render_overview(&st, &user, messages(e)?, String::new()).await,
    }
}

/// `POST /green-mines/listings/{id}/remove` (form: `date_out`): takes the entry off the 名录
/// from that day with the audit row `green_listing.remove` (303); 404 for an unknown entry;
/// the page again with the problem, nothing written (422).
pub async fn listing_remove(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    if !st.store.green_listings().await?.iter().any(|l| l.id == id) {
        return Err(AppError::NotFound(format!(
            "绿色矿山名录中没有编号为 {id} 的记录"
        )));
    }
    let form = SubmittedForm::read(&headers, body).await;
    let mut errors = Vec::new();
    let Some(out) = date_field(&form, "date_out", "移出日期", &mut errors) else {
        return render_overview(&st, &user, errors, String::new()).await;
    };
    match st.store.remove_green_listing(id, out, &actor(&user)).await {
        Ok(()) => Ok(Redirect::to("/green-mines?saved=1").into_response()),
        Err(e) => render_overview(&st, &user, messages(e)?, String::new()).await,
    }
}

/// One checklist item as shown.
struct ItemView {
    code: String,
    text: String,
    evidence: String,
    score: String,
    required: bool,
}

/// One chapter as shown.
struct ChapterView {
    title: String,
    items: Vec<ItemView>,
}

fn chapters(c: &Checklist) -> Vec<ChapterView> {
    c.chapters
        .iter()
        .map(|ch| ChapterView {
            title: format!("{} {}", ch.number, ch.title),
            items: ch
                .items
                .iter()
                .map(|i| ItemView {
                    code: i.code.clone(),
                    text: i.text.clone(),
                    evidence: i.evidence.clone(),
                    score: fmt_points(i.score),
                    required: i.required,
                })
                .collect(),
        })
        .collect()
}

fn rule_text(c: &Checklist) -> String {
    format!(
        "总分不低于 {} 分（满分 {} 分）{}为达标",
        fmt_points(c.pass_rule.min_total),
        fmt_points(c.full_total()),
        if c.pass_rule.required_all_met {
            "且必备条目均得满分"
        } else {
            ""
        }
    )
}

#[derive(Template)]
#[template(path = "green_checklist.html")]
struct ChecklistPage {
    layout: Layout,
    /// `第 2 版（评价细则.toml）` or `随附示例清单（尚未上传）`.
    version: String,
    title: String,
    standard: String,
    example: bool,
    flag: &'static str,
    rule: String,
    chapters: Vec<ChapterView>,
    source: String,
    versions: Vec<(String, String, bool)>,
    can_manage: bool,
    errors: Vec<String>,
    notice: String,
}

async fn render_checklist(
    st: &AppState,
    user: &User,
    errors: Vec<String>,
    notice: String,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let all = st.store.green_checklists().await?;
    let (version, checklist, source) = match all.first() {
        Some(v) => {
            let text = st
                .store
                .green_checklist_source(v.id)
                .await?
                .unwrap_or_default();
            (
                format!("第 {} 版（{}）", v.version, v.source_name),
                v.checklist.clone(),
                text,
            )
        }
        None => (
            "随附示例清单（尚未上传清单文件）".to_string(),
            Checklist::example(),
            EXAMPLE_CHECKLIST.to_string(),
        ),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = ChecklistPage {
        layout: layout(&sp, "green-mines"),
        version,
        title: checklist.title.clone(),
        standard: checklist.standard.clone(),
        example: checklist.example,
        flag: EXAMPLE_FLAG,
        rule: rule_text(&checklist),
        chapters: chapters(&checklist),
        source,
        versions: all
            .iter()
            .map(|v| {
                (
                    format!("第 {} 版", v.version),
                    v.source_name.clone(),
                    v.example,
                )
            })
            .collect(),
        can_manage: allowed(Some(user.role), Permission::ManageRestoration),
        errors,
        notice,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /green-mines/checklist`: the checklist in use (chapters → items, the evidence each
/// needs, its score, 必备, the pass rule), flagged 示例 when its items are examples; the
/// versions uploaded; for 生态修复 and 系统管理员 the upload of a new version.
pub async fn checklist_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = if q.contains_key("saved") {
        "已上传为新版本；进行中的自评仍按原版本".to_string()
    } else {
        String::new()
    };
    render_checklist(&st, &user, vec![], notice).await
}

/// `POST /green-mines/checklist` (multipart file `file`, or the text in `text`): stores a new
/// checklist version with the audit row `green_checklist.upload` (303), or shows the page again
/// with every problem of the file, each with its line (422), nothing written.
pub async fn checklist_upload(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = SubmittedForm::read(&headers, body).await;
    let (name, text) = match form.file("file") {
        Some(f) => match String::from_utf8(f.bytes.clone()) {
            Ok(t) => (f.file_name.clone(), t),
            Err(_) => {
                return render_checklist(
                    &st,
                    &user,
                    vec![format!("清单文件“{}”不是 UTF-8 文本", f.file_name)],
                    String::new(),
                )
                .await;
            }
        },
        None => ("清单.toml".to_string(), form.get("text").to_string()),
    };
    if text.trim().is_empty() {
        return render_checklist(
            &st,
            &user,
            vec!["请选择清单文件或粘贴清单内容".into()],
            String::new(),
        )
        .await;
    }
    match st
        .store
        .upload_green_checklist(&name, &text, &actor(&user))
        .await
    {
        Ok(_) => Ok(Redirect::to("/green-mines/checklist?saved=1").into_response()),
        Err(e) => render_checklist(&st, &user, messages(e)?, String::new()).await,
    }
}

#[derive(Template)]
#[template(path = "green_assessments.html")]
struct AssessmentsPage {
    layout: Layout,
    rows: Vec<AssessmentRow>,
    mines: Vec<(i64, String)>,
    errors: Vec<String>,
}

async fn render_assessments(
    st: &AppState,
    user: &User,
    errors: Vec<String>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let own = own_credit_code(user);
    let mines = st
        .store
        .green_mine_list()
        .await?
        .into_iter()
        .filter(|m| may_see(user, m.credit_code.as_deref()))
        .map(|m| (m.id, m.name))
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AssessmentsPage {
        layout: layout(&sp, "green-mines"),
        rows: if own == Some("") {
            vec![]
        } else {
            assessment_rows(st.store.green_assessments(own).await?)
        },
        mines,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /green-mines/assessments`: the self-assessments (a 矿山企业's own mines only) and the
/// form to start one.
pub async fn assessments(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::FileRestoration>,
) -> Result<Response, AppError> {
    render_assessments(&st, &user, vec![]).await
}

/// `POST /green-mines/assessments` (form: `mine`): starts a self-assessment of the mine on
/// today against the checklist in use, with the audit row `green_assessment.start` (303 to
/// it); a 矿山企业 only for its own mines (another's: 404); the page again with the problem
/// (422), nothing written.
pub async fn assessment_start(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::FileRestoration>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = SubmittedForm::read(&headers, body).await;
    let Ok(mine_id) = form.get("mine").trim().parse::<i64>() else {
        return render_assessments(&st, &user, vec!["请选择矿山".into()]).await;
    };
    let mine = st
        .store
        .green_mine_list()
        .await?
        .into_iter()
        .find(|m| m.id == mine_id && may_see(&user, m.credit_code.as_deref()))
        .ok_or_else(|| AppError::NotFound(format!("没有编号为 {mine_id} 的矿山")))?;
    match st
        .store
        .start_green_assessment(mine.id, st.today(), &actor(&user))
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/green-mines/assessments/{id}")).into_response()),
        Err(e) => render_assessments(&st, &user, messages(e)?).await,
    }
}

/// One item of the assessment page.
struct AssessItemView {
    chapter: String,
    code: String,
    text: String,
    evidence: String,
    full: String,
    required: bool,
    answer: String,
    answer_label: &'static str,
    note: String,
    files: Vec<(i64, String, String)>,
    score: String,
    score_note: String,
}

#[derive(Template)]
#[template(path = "green_assessment.html")]
struct AssessmentPage {
    layout: Layout,
    id: i64,
    mine: String,
    holder: String,
    version: String,
    example: bool,
    flag: &'static str,
    rule: String,
    status: String,
    started_on: String,
    submitted_on: String,
    evaluated_on: String,
    total: String,
    reasons: Vec<String>,
    items: Vec<AssessItemView>,
    answers: Vec<(&'static str, &'static str)>,
    can_file: bool,
    can_evaluate: bool,
    today: String,
    errors: Vec<String>,
    notice: String,
}

/// Assessment `id` if `user` may see it (staff who view restoration, or the mine's company),
/// else 404.
async fn visible(st: &AppState, user: &User, id: i64) -> Result<AssessmentRecord, AppError> {
    let not_found = || AppError::NotFound(format!("没有编号为 {id} 的绿色矿山自评"));
    let rec = st.store.green_assessment(id).await?.ok_or_else(not_found)?;
    let role = Some(user.role);
    let ok = (own_credit_code(user).is_none() && allowed(role, Permission::ViewRestoration))
        || (allowed(role, Permission::FileRestoration)
            && may_see(user, rec.mine.credit_code.as_deref()));
    if ok { Ok(rec) } else { Err(not_found()) }
}

async fn render_assessment(
    st: &AppState,
    user: &User,
    rec: AssessmentRecord,
    errors: Vec<String>,
    notice: String,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let cl = &rec.checklist.checklist;
    let mut items = Vec::new();
    for ch in &cl.chapters {
        for it in &ch.items {
            let Some(a) = rec.items.iter().find(|x| x.own.code == it.code) else {
                continue;
            };
            items.push(AssessItemView {
                chapter: format!("{} {}", ch.number, ch.title),
                code: it.code.clone(),
                text: it.text.clone(),
                evidence: it.evidence.clone(),
                full: fmt_points(it.score),
                required: it.required,
                answer: a.own.answer.map(|x| x.code()).unwrap_or("").to_string(),
                answer_label: a.own.answer.map_or("未填", |x| x.label()),
                note: a.own.note.clone(),
                files: a
                    .files
                    .iter()
                    .map(|f| (f.id, f.file_name.clone(), f.sha256.clone()))
                    .collect(),
                score: a.score.map(fmt_points).unwrap_or_default(),
                score_note: a.score_note.clone(),
            });
        }
    }
    let role = Some(user.role);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = AssessmentPage {
        layout: layout(&sp, "green-mines"),
        id: rec.id,
        mine: rec.mine.name.clone(),
        holder: rec.mine.holder_name.clone(),
        version: format!(
            "第 {} 版（{}）",
            rec.checklist.version, rec.checklist.source_name
        ),
        example: cl.example,
        flag: EXAMPLE_FLAG,
        rule: rule_text(cl),
        status: rec.status.label(),
        started_on: rec.started_on.chinese(),
        submitted_on: rec.submitted_on.map(|d| d.chinese()).unwrap_or_default(),
        evaluated_on: rec.evaluated_on.map(|d| d.chinese()).unwrap_or_default(),
        total: rec.total.map(fmt_points).unwrap_or_default(),
        reasons: rec.reasons.clone(),
        items,
        answers: SelfAnswer::ALL
            .iter()
            .map(|a| (a.code(), a.label()))
            .collect(),
        can_file: rec.status == AssessmentStatus::Draft
            && allowed(role, Permission::FileRestoration)
            && may_see(user, rec.mine.credit_code.as_deref()),
        can_evaluate: rec.status == AssessmentStatus::Submitted
            && allowed(role, Permission::ManageRestoration),
        today: st.today().to_string(),
        errors,
        notice,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /green-mines/assessments/{id}` (`?saved=1` after a change): the assessment item by item
/// (the 示例 flag when its checklist is an example set), the company's form while it is a draft,
/// the bureau's evaluation form once submitted, the outcome and its reasons once evaluated. A
/// 矿山企业 sees its own mines' only (404 otherwise).
pub async fn assessment_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let rec = visible(&st, &user, id).await?;
    let notice = if q.contains_key("saved") {
        "已保存".to_string()
    } else {
        String::new()
    };
    render_assessment(&st, &user, rec, vec![], notice).await
}

/// `POST /green-mines/assessments/{id}/self` (multipart: per item `answer_<code>` met / partly /
/// not_met, `note_<code>`, files `evidence_<code>` JPEG/PNG/PDF ≤ 10 MB; `action` = `save` or
/// `submit`): saves the company's answers (audit `green_assessment.save`) or submits them
/// (`green_assessment.submit`, every item answered and every claim with evidence) (303); the
/// page again with every problem, nothing written (422). Own mines only (404 otherwise).
pub async fn self_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::FileRestoration>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let rec = visible(&st, &user, id).await?;
    if !may_see(&user, rec.mine.credit_code.as_deref()) {
        return Err(AppError::NotFound(format!(
            "没有编号为 {id} 的绿色矿山自评"
        )));
    }
    let form = SubmittedForm::read(&headers, body).await;
    let mut errors: Vec<String> = form.problem.iter().cloned().collect();
    let mut answers = Vec::new();
    let mut files: Vec<(String, UploadedFile)> = Vec::new();
    for it in rec.checklist.checklist.items() {
        let raw = form.get(&format!("answer_{}", it.code)).trim().to_string();
        let answer = if raw.is_empty() {
            None
        } else if let Some(a) = SelfAnswer::parse(&raw) {
            Some(a)
        } else {
            errors.push(format!("条目 {} 的自评结果“{raw}”无法识别", it.code));
            None
        };
        answers.push(SelfInput {
            code: it.code.clone(),
            answer,
            note: form.get(&format!("note_{}", it.code)).to_string(),
        });
        for f in form.files(&format!("evidence_{}", it.code)) {
            files.push((
                it.code.clone(),
                UploadedFile {
                    file_name: if f.file_name.is_empty() {
                        "证明材料".into()
                    } else {
                        f.file_name.clone()
                    },
                    bytes: f.bytes.clone(),
                },
            ));
        }
    }
    if !errors.is_empty() {
        return render_assessment(&st, &user, rec, errors, String::new()).await;
    }
    let submit = form.get("action") == "submit";
    match st
        .store
        .save_green_self_assessment(id, &answers, &files, submit, st.today(), &actor(&user))
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/green-mines/assessments/{id}?saved=1")).into_response())
        }
        Err(e) => {
            let msgs = messages(e)?;
            render_assessment(&st, &user, rec, msgs, String::new()).await
        }
    }
}

/// `POST /green-mines/assessments/{id}/evaluation` (form: per item `score_<code>` points and
/// `snote_<code>`, `date`): the bureau's evaluation with the audit row
/// `green_assessment.evaluate` — total and 达标 / 不达标 by the checklist's pass rule (303); the
/// page again with every problem, nothing written (422).
pub async fn evaluation_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRestoration>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let rec = visible(&st, &user, id).await?;
    let form = SubmittedForm::read(&headers, body).await;
    let mut errors: Vec<String> = form.problem.iter().cloned().collect();
    let on = date_field(&form, "date", "评估日期", &mut errors);
    let mut scores = Vec::new();
    for it in rec.checklist.checklist.items() {
        let raw = form.get(&format!("score_{}", it.code)).trim().to_string();
        if raw.is_empty() {
            continue; // the domain names every item not scored
        }
        match raw.parse::<f64>() {
            Ok(v) => scores.push(ItemScore {
                code: it.code.clone(),
                score: v,
                note: form.get(&format!("snote_{}", it.code)).trim().to_string(),
            }),
            Err(_) => errors.push(format!("条目 {} 的得分“{raw}”不是数字", it.code)),
        }
    }
    let Some(on) = on.filter(|_| errors.is_empty()) else {
        return render_assessment(&st, &user, rec, errors, String::new()).await;
    };
    match st
        .store
        .evaluate_green_assessment(id, &scores, on, &actor(&user))
        .await
    {
        Ok(_) => {
            Ok(Redirect::to(&format!("/green-mines/assessments/{id}?saved=1")).into_response())
        }
        Err(e) => {
            let msgs = messages(e)?;
            render_assessment(&st, &user, rec, msgs, String::new()).await
        }
    }
}

/// `GET /green-mines/assessments/{id}/files/{file}`: an evidence file as uploaded (404 when the
/// viewer may not see the assessment or the file is not one of it).
pub async fn evidence_download(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    visible(&st, &user, id).await?;
    let Some((name, bytes)) = st.store.green_evidence(id, file).await? else {
        return Err(AppError::NotFound("该自评没有这个证明材料".into()));
    };
    let mime = minplan_domain::attachment::AttachmentKind::of(&bytes)
        .map_or("application/octet-stream", |k| k.mime());
    Ok(crate::http::download::attachment(
        bytes, mime, &name, "evidence",
    ))
}

/// One level of the 名录 with its entries in force.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct LevelCount {
    /// 县级 / 省级 / 国家级.
    pub level: String,
    /// Entries in force on the date.
    pub entries: u32,
}

/// One 名录 entry.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ListingItem {
    /// 矿山名称.
    pub mine: String,
    /// 县级 / 省级 / 国家级.
    pub level: String,
    /// 入库日期, YYYY-MM-DD.
    pub date_in: String,
    /// 文号.
    pub document_number: String,
    /// 移出日期, YYYY-MM-DD; null while on the list.
    pub date_out: Option<String>,
    /// In force on the date.
    pub in_force: bool,
}

/// The 绿色矿山 figures on a date and the 名录 (《规划》六（一））.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct GreenMinesSummary {
    /// The date, YYYY-MM-DD (today).
    pub on: String,
    /// Producing mines (a 采矿权 in force on the date).
    pub producing_mines: u32,
    /// Of them, on the 名录 on the date; null when it cannot be said (see `missing`).
    pub green_mines: Option<u32>,
    /// `green_mines / producing_mines` × 100, %; null when it cannot be computed (no 名录 kept:
    /// 无数据; no producing mine: 无法判定 — see `missing`).
    pub share_pct: Option<f64>,
    /// Why a figure is null, in Chinese (`无数据：尚未录入绿色矿山名录`).
    pub missing: Vec<String>,
    /// Entries in force per level (县级, 省级, 国家级).
    pub by_level: Vec<LevelCount>,
    /// Every 名录 entry, by date in.
    pub listings: Vec<ListingItem>,
}

/// `GET /api/green-mines`: the figures of `/green-mines` as JSON (staff who view restoration).
#[utoipa::path(get, path = "/api/green-mines", tag = "绿色矿山",
    responses(
        (status = 200, description = "今日生产矿山数、其中在绿色矿山名录中的数量与占比（不能计算时为 null，并在 missing 中说明：无数据或无法判定）、各级名录在列数、名录记录", body = GreenMinesSummary),
        (status = 401, description = "未登录", body = crate::http::error::ApiError),
        (status = 403, description = "无权查看（矿山企业）", body = crate::http::error::ApiError),
    ))]
pub async fn api_summary(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ViewRestoration>,
) -> crate::http::error::ApiResult<axum::Json<GreenMinesSummary>> {
    let today = st.today();
    let f = st.store.green_figures(today).await?;
    let mut missing = Vec::new();
    if let Reading::Missing(m) = &f.green_mines {
        missing.push(m.clone());
    }
    if let Reading::Missing(m) = &f.share_pct
        && !missing.contains(m)
    {
        missing.push(m.clone());
    }
    let listings = st
        .store
        .green_listings()
        .await?
        .into_iter()
        .map(|l| ListingItem {
            mine: l.mine_name,
            level: l.listing.level.label().to_string(),
            date_in: l.listing.date_in.to_string(),
            document_number: l.listing.document_number.clone(),
            date_out: l.listing.date_out.map(|d| d.to_string()),
            in_force: l.listing.on(today),
        })
        .collect();
    Ok(axum::Json(GreenMinesSummary {
        on: today.to_string(),
        producing_mines: f.producing_mines,
        green_mines: f.green_mines.value().copied(),
        share_pct: f.share_pct.value().copied(),
        missing,
        by_level: f
            .by_level
            .into_iter()
            .map(|(level, entries)| LevelCount { level, entries })
            .collect(),
        listings,
    }))
}
