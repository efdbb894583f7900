//! 联合审查 of a 新立 application (系统管理员, 审批科), between the 规划符合性审查 and the
//! 出让 (《规划》四（三）3（1）): page `/applications/{number}/joint-review` with the forms to
//! start it (the departments asked, default [`joint_review::DEFAULT_DEPARTMENTS`]), record
//! each department's opinion (with the reply as scanned), the 现场踏查 (with photos, taken on
//! a phone: `capture`), an adjusted extent (corner coordinates as the 申请受理 form takes
//! them; checked by the same application parser and at once reviewed again through the
//! ordinary review, [`crate::intake::review_and_save`]) and the government's 同意; the files;
//! the 联合审查意见 as DOCX. Each form calls one store function (checked, one transaction,
//! audit row); a refusal shows the page again with each problem at its field (422), nothing
//! written. The grant itself (on 登记办理) is refused by the store until it is complete.

use crate::AppState;
use crate::http::auth::{actor, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, SubmittedForm};
use crate::http::views::{Layout, layout};
use crate::http::words::date_zh;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::date::Date;
use minplan_domain::register::joint_review::{
    self, AdjustedExtent, Consent, DepartmentAnswer, Opinion, SiteVisit,
};
use minplan_store::{JointReviewRecord, JointUpload, StoreError, User};
use std::collections::HashMap;

/// The routes of 联合审查.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/applications/{id}/joint-review", get(page))
        .route("/applications/{id}/joint-review/start", post(start_submit))
        .route(
            "/applications/{id}/joint-review/opinion",
            post(opinion_submit),
        )
        .route(
            "/applications/{id}/joint-review/site-visit",
            post(visit_submit),
        )
        .route(
            "/applications/{id}/joint-review/extent",
            post(extent_submit),
        )
        .route(
            "/applications/{id}/joint-review/consent",
            post(consent_submit),
        )
        .route("/applications/{id}/joint-review/files/{file}", get(file))
        .route("/applications/{id}/joint-review/docx", get(docx))
}

/// The fields each form shows (its problems appear at them; others above the form).
fn fields_of(action: &str) -> &'static [&'static str] {
    match action {
        "start" => &["departments", "date"],
        "opinion" => &["department", "opinion", "conditions", "date", "attachment"],
        "site-visit" => &["date", "people", "findings", "photos"],
        "extent" => &["corners", "crs", "date"],
        "consent" => &["date", "document_number"],
        _ => &[],
    }
}

/// A submitted form as the page shows it again (the macros' `err`/`val`/`others`).
#[derive(Debug, Clone, Default)]
pub struct Shown {
    action: &'static str,
    errors: FieldErrors,
    form: SubmittedForm,
    /// What the forms start from when nothing was submitted (the 踏查 and 同意 already
    /// recorded, so that more photos can be added without typing again): (action, field,
    /// value).
    prefill: Vec<(&'static str, &'static str, String)>,
}

impl Shown {
    /// The problem of `field` in the form `action`, or "".
    pub fn err(&self, action: &str, field: &str) -> &str {
        if self.action == action {
            self.errors.get(field)
        } else {
            ""
        }
    }

    /// The value sent for `field` in the form `action`, or its pre-filled value when nothing
    /// was submitted, or "".
    pub fn val(&self, action: &str, field: &str) -> &str {
        if self.action == action {
            self.form.get(field)
        } else if self.action.is_empty() {
            self.prefill
                .iter()
                .find(|(a, f, _)| *a == action && *f == field)
                .map_or("", |(_, _, v)| v.as_str())
        } else {
            ""
        }
    }

    /// Whether the option `value` was chosen for `field` in the form `action`.
    pub fn chose(&self, action: &str, field: &str, value: &str) -> bool {
        self.val(action, field).trim() == value
    }

    /// Problems of the form `action` not tied to one of its fields.
    pub fn others(&self, action: &str) -> Vec<String> {
        if self.action == action {
            self.errors.others(fields_of(action))
        } else {
            Vec::new()
        }
    }
}

/// A department's row on the page.
struct DepartmentRow {
    name: String,
    opinion: String,
    date: String,
    conditions: String,
    attachment: Option<(i64, String)>,
    disagrees: bool,
}

#[derive(Template)]
#[template(path = "joint_review.html")]
struct JointReviewPage {
    layout: Layout,
    number: String,
    enc: String,
    project_name: String,
    kind: &'static str,
    /// Why no joint review is needed (not a 新立), when so.
    not_needed: Option<String>,
    started: bool,
    started_on: String,
    departments: Vec<DepartmentRow>,
    default_departments: String,
    visit: Option<(String, String, String)>,
    photos: Vec<(i64, String)>,
    adjusted: Option<(String, String)>,
    rereview: Option<(i64, String, bool)>,
    consent: Option<(String, String)>,
    complete: bool,
    missing: Vec<String>,
    conditions: Vec<(String, String)>,
    granted: bool,
    /// The joint review's audit rows (操作留痕).
    trail: Vec<crate::http::words::TrailView>,
    notice: String,
    f: Shown,
    opinions: &'static [&'static str],
}

async fn render(
    st: &AppState,
    number: &str,
    status: StatusCode,
    f: Shown,
    notice: String,
) -> Result<Response, AppError> {
    let a = match st.store.application_facts(number).await {
        Ok(a) => a,
        Err(StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
        Err(e) => return Err(e.into()),
    };
    let record = st.store.joint_review(number).await?;
    let sp = st.plan().await;
    let mut page = JointReviewPage {
        layout: layout(&sp, "rights"),
        number: a.number.clone(),
        enc: crate::rights::forms::segment(&a.number),
        project_name: a.project_name.clone(),
        kind: a.kind.label(),
        not_needed: (!joint_review::required(a.kind)).then(|| {
            format!(
                "{}申请不出让新的矿业权，无需联合审查（联合审查用于拟出让的新立矿业权）。",
                a.kind.label()
            )
        }),
        started: record.is_some(),
        started_on: String::new(),
        departments: Vec::new(),
        default_departments: joint_review::DEFAULT_DEPARTMENTS.join("\n"),
        visit: None,
        photos: Vec::new(),
        adjusted: None,
        rereview: None,
        consent: None,
        complete: false,
        missing: Vec::new(),
        conditions: Vec::new(),
        granted: a.grant.is_some(),
        trail: crate::http::words::People::load(&st.store)
            .await?
            .trail(&st.store.audit_trail("joint_review", &a.number).await?),
        notice,
        f,
        opinions: Opinion::LABELS,
    };
    if let Some(JointReviewRecord {
        review,
        files,
        completion,
        ..
    }) = record
    {
        page.started_on = date_zh(&review.started_on.to_string());
        page.departments = review
            .departments
            .iter()
            .map(|d| DepartmentRow {
                name: d.name.clone(),
                opinion: d
                    .answer
                    .as_ref()
                    .map_or("未回复".into(), |a| a.opinion.label().to_string()),
                date: d
                    .answer
                    .as_ref()
                    .map_or(String::new(), |a| date_zh(&a.date.to_string())),
                conditions: d
                    .answer
                    .as_ref()
                    .and_then(|a| a.conditions.clone())
                    .unwrap_or_default(),
                attachment: files
                    .iter()
                    .find(|f| f.kind == "attachment" && f.department.as_deref() == Some(&d.name))
                    .map(|f| (f.id, f.file_name.clone())),
                disagrees: d
                    .answer
                    .as_ref()
                    .is_some_and(|a| a.opinion == Opinion::Disagree),
            })
            .collect();
        if let Some(v) = &review.site_visit {
            page.f.prefill.extend([
                ("site-visit", "date", v.date.to_string()),
                ("site-visit", "people", v.people.clone()),
                ("site-visit", "findings", v.findings.clone()),
            ]);
        }
        if let Some(c) = &review.consent {
            page.f.prefill.extend([
                ("consent", "date", c.date.to_string()),
                ("consent", "document_number", c.document_number.clone()),
            ]);
        }
        page.visit = review.site_visit.as_ref().map(|v| {
            (
                date_zh(&v.date.to_string()),
                v.people.clone(),
                v.findings.clone(),
            )
        });
        page.photos = files
            .iter()
            .filter(|f| f.kind == "photo")
            .map(|f| (f.id, f.file_name.clone()))
            .collect();
        page.adjusted = review.adjusted.as_ref().map(|x| {
            (
                date_zh(&x.date.to_string()),
                match x.crs {
                    Some(c) => format!("EPSG:{c}"),
                    None => "按带号判断".into(),
                },
            )
        });
        if let (Some(adj), Some(r)) = (&review.adjusted, &review.rereview) {
            page.rereview = Some((
                r.review_id,
                r.conclusion.label().to_string(),
                r.review_id > adj.base_review_id && r.same_extent,
            ));
        }
        page.consent = review
            .consent
            .as_ref()
            .map(|c| (date_zh(&c.date.to_string()), c.document_number.clone()));
        match completion {
            Ok(done) => {
                page.complete = true;
                page.conditions = done.conditions;
            }
            Err(missing) => page.missing = missing.into_iter().map(|p| p.message).collect(),
        }
    }
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /applications/{number}/joint-review`: the joint review with its forms.
pub async fn page(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ManageRegister>,
    Path(number): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = match q.get("done").map(String::as_str) {
        Some("start") => "已启动联合审查，已记入操作日志。",
        Some("opinion") => "已记录部门意见，已记入操作日志。",
        Some("site-visit") => "已记录现场踏查，已记入操作日志。",
        Some("extent") => "已记录调整后的开采范围，并已重新进行规划符合性审查（结论见下）。",
        Some("consent") => "已记录人民政府同意，已记入操作日志。",
        _ => "",
    };
    render(
        &st,
        &number,
        StatusCode::OK,
        Shown::default(),
        notice.into(),
    )
    .await
}

fn date_field(f: &SubmittedForm, name: &str, label: &str, e: &mut FieldErrors) -> Option<Date> {
    let v = f.get(name).trim();
    if v.is_empty() {
        e.push(name, format!("请填写{label}"));
        return None;
    }
    match Date::parse(v) {
        Ok(d) => Some(d),
        Err(_) => {
            let shown: String = v.chars().take(40).collect();
            e.push(
                name,
                format!("{label}“{shown}”不是有效日期，应为 YYYY-MM-DD"),
            );
            None
        }
    }
}

fn trimmed(f: &SubmittedForm, name: &str) -> Option<String> {
    let v = f.get(name).trim();
    (!v.is_empty()).then(|| v.to_string())
}

fn store_errors(fs: Vec<minplan_store::FieldError>) -> FieldErrors {
    let mut e = FieldErrors::default();
    for f in fs {
        e.push(&f.field, f.message);
    }
    e
}

/// Reads the form, runs `write` under the write lock and answers 303 to the page, or the page
/// again with the problems (422, nothing written).
async fn submit(
    st: &AppState,
    user: &User,
    number: &str,
    action: &'static str,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Err(StoreError::NotFound(m)) = st.store.application_facts(number).await {
        return Err(AppError::NotFound(m));
    }
    let form = SubmittedForm::read(headers, body).await;
    let mut e = FieldErrors::default();
    if let Some(p) = &form.problem {
        e.push("form", p.clone());
    }
    let who = actor(user);
    let result: Result<(), StoreError> = match action {
        "start" => {
            let date = date_field(&form, "date", "启动日期", &mut e);
            let names: Vec<String> = form
                .get("departments")
                .split(['\n', '、', ',', '，', ';', '；'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            match date {
                Some(d) if e.is_empty() => {
                    let _guard = st.write_lock().await;
                    st.store.start_joint_review(number, &names, d, &who).await
                }
                _ => return refuse(st, number, action, e, form).await,
            }
        }
        "opinion" => {
            let opinion = Opinion::parse(form.get("opinion"));
            if opinion.is_none() {
                e.push("opinion", "请选择意见：同意、附条件同意或不同意");
            }
            let date = date_field(&form, "date", "意见日期", &mut e);
            let department = form.get("department").trim().to_string();
            if department.is_empty() {
                e.push("department", "请选择部门");
            }
            let file = form.file("attachment").cloned();
            match (opinion, date) {
                (Some(opinion), Some(date)) if e.is_empty() => {
                    let a = DepartmentAnswer {
                        opinion,
                        conditions: trimmed(&form, "conditions"),
                        date,
                        attachment: None,
                    };
                    let up = file.as_ref().map(|f| JointUpload {
                        file_name: &f.file_name,
                        bytes: &f.bytes,
                    });
                    let _guard = st.write_lock().await;
                    st.store
                        .record_department_opinion(number, &department, &a, up, &who)
                        .await
                }
                _ => return refuse(st, number, action, e, form).await,
            }
        }
        "site-visit" => {
            let date = date_field(&form, "date", "踏查日期", &mut e);
            let photos: Vec<JointUpload<'_>> = form
                .files("photos")
                .iter()
                .map(|f| JointUpload {
                    file_name: &f.file_name,
                    bytes: &f.bytes,
                })
                .collect();
            match date {
                Some(date) if e.is_empty() => {
                    let v = SiteVisit {
                        date,
                        people: form.get("people").to_string(),
                        findings: form.get("findings").to_string(),
                        photos: Vec::new(),
                    };
                    let _guard = st.write_lock().await;
                    st.store.record_site_visit(number, &v, &photos, &who).await
                }
                _ => return refuse(st, number, action, e, form).await,
            }
        }
        "extent" => return extent(st, user, number, form, e).await,
        "consent" => {
            let date = date_field(&form, "date", "同意日期", &mut e);
            match date {
                Some(date) if e.is_empty() => {
                    let c = Consent {
                        date,
                        document_number: form.get("document_number").to_string(),
                    };
                    let _guard = st.write_lock().await;
                    st.store.record_government_consent(number, &c, &who).await
                }
                _ => return refuse(st, number, action, e, form).await,
            }
        }
        _ => return Err(AppError::NotFound("没有这个办理事项".into())),
    };
    match result {
        Ok(()) => Ok(done(number, action)),
        Err(StoreError::Invalid(fs)) => refuse(st, number, action, store_errors(fs), form).await,
        Err(e) => Err(e.into()),
    }
}

fn done(number: &str, action: &str) -> Response {
    Redirect::to(&format!(
        "/applications/{}/joint-review?done={action}",
        crate::rights::forms::segment(number)
    ))
    .into_response()
}

async fn refuse(
    st: &AppState,
    number: &str,
    action: &'static str,
    errors: FieldErrors,
    form: SubmittedForm,
) -> Result<Response, AppError> {
    render(
        st,
        number,
        StatusCode::UNPROCESSABLE_ENTITY,
        Shown {
            action,
            errors,
            form,
            prefill: Vec::new(),
        },
        String::new(),
    )
    .await
}

/// The adjusted extent: the application file of the latest review with the new corners is
/// checked by the application parser (as the 申请受理 form's corners are: nothing written when
/// it refuses them), the extent recorded, then the application reviewed again with it.
async fn extent(
    st: &AppState,
    user: &User,
    number: &str,
    form: SubmittedForm,
    mut e: FieldErrors,
) -> Result<Response, AppError> {
    let action = "extent";
    let date = date_field(&form, "date", "调整日期", &mut e);
    let corners = form.get("corners").to_string();
    if corners.trim().is_empty() {
        e.push("corners", "请粘贴调整后的拐点坐标");
    } else if corners.len() > crate::intake::application_form::MAX_CORNER_BYTES {
        e.push("corners", "粘贴的拐点坐标过长：上限 1024 KiB");
    }
    let crs = match form.get("crs").trim() {
        "" => None,
        c => match c.trim_start_matches("EPSG:").parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                e.push("crs", format!("坐标系应为 EPSG 代码（如 4532），收到“{c}”"));
                None
            }
        },
    };
    let Some(date) = date.filter(|_| e.is_empty()) else {
        return refuse(st, number, action, e, form).await;
    };
    let facts = st.store.application_facts(number).await?;
    let base = st.store.review_record(facts.review_id).await?;
    // No 坐标系 given: the application's own, when it stated one.
    let crs = crs.or_else(|| {
        base.input_toml
            .parse::<toml::Table>()
            .ok()?
            .get("coordinates")?
            .get("crs")?
            .as_integer()
            .and_then(|c| u32::try_from(c).ok())
    });
    let adjusted = AdjustedExtent {
        corners_text: corners,
        crs,
        base_review_id: facts.review_id,
        date,
    };
    let toml = match joint_review::rereview_file(&base.input_toml, &adjusted) {
        Ok(t) => t,
        Err(m) => {
            e.push("corners", m);
            return refuse(st, number, action, e, form).await;
        }
    };
    // The corners checked as the 申请受理 form's are, before anything is written.
    if let Err(problems) = st.engine().await.parse(&toml, None) {
        let mapped = crate::intake::application_form::field_errors(&problems.errors);
        for fe in mapped.0 {
            let field = if fe.field == "crs" { "crs" } else { "corners" };
            e.push(field, fe.message);
        }
        return refuse(st, number, action, e, form).await;
    }
    {
        let _guard = st.write_lock().await;
        match st
            .store
            .record_adjusted_extent(number, &adjusted, &actor(user))
            .await
        {
            Ok(()) => {}
            Err(StoreError::Invalid(fs)) => {
                drop(_guard);
                return refuse(st, number, action, store_errors(fs), form).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
    // The re-review: the ordinary review of the application, saved as its latest record.
    match crate::intake::review_and_save(st, user, &toml, None).await? {
        Ok(_) => Ok(done(number, action)),
        Err(problems) => {
            let mapped = crate::intake::application_form::field_errors(&problems.errors);
            refuse(st, number, action, mapped, form).await
        }
    }
}

macro_rules! joint_form {
    ($(#[$doc:meta])* $name:ident, $action:literal) => {
        $(#[$doc])*
        pub async fn $name(
            State(st): State<AppState>,
            RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
            Path(number): Path<String>,
            headers: HeaderMap,
            body: Bytes,
        ) -> Result<Response, AppError> {
            submit(&st, &user, &number, $action, &headers, body).await
        }
    };
}

joint_form!(
    /// `POST /applications/{number}/joint-review/start`: starts it (`departments`, one a
    /// line; `date`).
    start_submit, "start"
);
joint_form!(
    /// `POST /applications/{number}/joint-review/opinion` (multipart): a department's
    /// opinion (`department`, `opinion` 同意 | 附条件同意 | 不同意, `conditions`, `date`, the
    /// file `attachment`: JPG, PNG or PDF ≤ 10 MB).
    opinion_submit, "opinion"
);
joint_form!(
    /// `POST /applications/{number}/joint-review/site-visit` (multipart): the 现场踏查
    /// (`date`, `people`, `findings`, the files `photos`).
    visit_submit, "site-visit"
);
joint_form!(
    /// `POST /applications/{number}/joint-review/extent`: the adjusted extent (`corners` as
    /// pasted on the 申请受理 form, `crs`, `date`), reviewed again at once.
    extent_submit, "extent"
);
joint_form!(
    /// `POST /applications/{number}/joint-review/consent`: the government's 同意 (`date`,
    /// `document_number`).
    consent_submit, "consent"
);

/// `GET /applications/{number}/joint-review/files/{id}`: a department's reply or a 踏查
/// photo, as uploaded.
pub async fn file(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ManageRegister>,
    Path((number, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::NotFound("没有这个文件".into()))?;
    let (f, bytes) = match st.store.joint_review_file(&number, id).await {
        Ok(x) => x,
        Err(StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
        Err(e) => return Err(e.into()),
    };
    let mime: &'static str = match f.media_type.as_str() {
        "image/png" => "image/png",
        "application/pdf" => "application/pdf",
        _ => "image/jpeg",
    };
    Ok(crate::http::download::attachment(
        bytes,
        mime,
        &f.file_name,
        &format!("joint-review-file-{}", f.id),
    ))
}

/// `GET /applications/{number}/joint-review/docx`: the 联合审查意见 (Word), issued by the
/// bureau as its settings say, dated today (Beijing).
pub async fn docx(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ManageRegister>,
    Path(number): Path<String>,
) -> Result<Response, AppError> {
    let a = match st.store.application_facts(&number).await {
        Ok(a) => a,
        Err(StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
        Err(e) => return Err(e.into()),
    };
    let Some(record) = st.store.joint_review(&number).await? else {
        return Err(AppError::NotFound(format!(
            "申请 {number} 尚未启动联合审查"
        )));
    };
    let unit = st.plan().await.loaded.plan.region.name.clone();
    let issuer = crate::settings::issuer(
        &st.store.effective_settings(&unit).await?,
        minplan_store::today().to_string(),
    );
    let subject = minplan_report::JointReviewSubject {
        number: a.number.clone(),
        project_name: a.project_name.clone(),
        holder_name: a.holder_name.clone(),
        right_kind: a.right_kind.label().to_string(),
        minerals: a.minerals.join("、"),
    };
    let review = record.review;
    let bytes = tokio::task::spawn_blocking(move || {
        minplan_report::joint_review_docx(&review, &subject, &issuer)
    })
    .await
    .map_err(|e| AppError::Http {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        code: "internal",
        message: format!("生成联合审查意见失败：{e}"),
    })?
    .map_err(|e| AppError::Http {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        code: "internal",
        message: e.to_string(),
    })?;
    Ok(crate::http::download::attachment(
        bytes,
        crate::http::download::DOCX,
        &format!("联合审查意见-{number}.docx"),
        "joint-review.docx",
    ))
}
