//! The public page of a draw (no login): the commitment from the moment it is committed, the
//! inputs as JSON, and — once the result is public ([`result_is_public`]) — the seed, the
//! result and a 「验证」 button that re-runs [`verify`] on the server; also a form to upload a
//! package (JSON) and verify it.

use super::plans::{TargetRow, target_rows};
use crate::AppState;
use crate::http::error::AppError;
use crate::http::forms::SubmittedForm;
use crate::http::views::{Layout, layout};
use crate::http::words::beijing;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use minplan_domain::disclosure::PublicationKind;
use minplan_domain::supervision::draw::{DrawPackage, verify};
use minplan_store::inspections::DrawRecord;

/// The largest package accepted for verification (bytes).
pub const MAX_PACKAGE_BYTES: usize = 8 * 1024 * 1024;

/// Whether a draw's seed and result may be shown to the public — the one gate of the public
/// side: once drawn AND once a 抽查结果 publication of its plan (subject `plan:<id>`) was
/// approved after the draw and is 已公开 (信息公示's review before publishing,
/// `minplan_domain::disclosure`). The commitment and the inputs are public from the commitment
/// on: they reveal nothing of the result without the seed.
///
/// # Errors
/// [`AppError`] from the store.
pub async fn result_is_public(st: &AppState, draw: &DrawRecord) -> Result<bool, AppError> {
    let Some(drawn_at) = draw.drawn_at.as_deref().filter(|_| draw.is_drawn()) else {
        return Ok(false);
    };
    Ok(st
        .store
        .published_since(
            PublicationKind::InspectionResults,
            &format!("plan:{}", draw.plan_id),
            drawn_at,
        )
        .await?)
}

/// The package as the public may see it: the seed and result only when
/// [`result_is_public`]; a superseded draw's revealed seed is public too.
pub async fn public_package(st: &AppState, draw: &DrawRecord) -> Result<DrawPackage, AppError> {
    let mut pkg = st.store.draw_package(draw.id).await?;
    if !result_is_public(st, draw).await? {
        pkg.result = None;
        if draw.superseded_by.is_none() {
            pkg.seed = None;
        }
    }
    Ok(pkg)
}

/// The outcome of a verification, for the page.
struct Outcome {
    passed: bool,
    problems: Vec<String>,
}

fn outcome(pkg: &DrawPackage) -> Outcome {
    match verify(pkg) {
        Ok(()) => Outcome {
            passed: true,
            problems: vec![],
        },
        Err(ps) => Outcome {
            passed: false,
            problems: ps.iter().map(ToString::to_string).collect(),
        },
    }
}

#[derive(Template)]
#[template(path = "public_draw.html")]
struct DrawPage {
    layout: Layout,
    id: i64,
    plan_year: i32,
    plan_name: String,
    register_date: String,
    committed_at: String,
    commitment: String,
    counts: String,
    seed: String,
    drawn_at: String,
    public: bool,
    superseded_by: Option<i64>,
    redraw_reason: String,
    targets: Vec<TargetRow>,
    outcome: Option<Outcome>,
}

async fn draw_render(st: &AppState, id: i64, verify_now: bool) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let d = st.store.draw_record(id).await?;
    let pkg = public_package(st, &d).await?;
    let public = result_is_public(st, &d).await?;
    let outcome = (verify_now && public).then(|| outcome(&pkg));
    // The 「验证」 form works for the anonymous public too, with their cookie's token.
    let layout = layout(&sp, "public_draw");
    let page = DrawPage {
        layout,
        id,
        plan_year: pkg.inputs.plan_year,
        plan_name: pkg.inputs.plan_name.clone(),
        register_date: minplan_domain::date::Date::parse(&pkg.inputs.register_date)
            .map(|d| d.chinese())
            .unwrap_or_else(|_| pkg.inputs.register_date.clone()),
        committed_at: beijing(&d.committed_at),
        commitment: d.commitment.clone(),
        counts: format!(
            "随机抽查对象库 {} 个矿业权；执法检查人员 {} 名；回避对 {} 个；抽查事项 {} 项",
            pkg.inputs.candidates.len(),
            pkg.inputs.inspectors.len(),
            pkg.inputs.exclusions.len(),
            pkg.inputs.items.len()
        ),
        seed: pkg.seed.clone().unwrap_or_default(),
        drawn_at: d.drawn_at.as_deref().map(beijing).unwrap_or_default(),
        public,
        superseded_by: d.superseded_by,
        redraw_reason: d.redraw_reason.clone().unwrap_or_default(),
        targets: if public { target_rows(&pkg) } else { vec![] },
        outcome,
    };
    Ok(Html(page.render()?).into_response())
}

/// `GET /public/draws/{id}`: the draw's public page.
pub async fn draw_page(
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    draw_render(&st, id, false).await
}

/// `POST /public/draws/{id}/verify`: the page with the outcome of re-running the
/// verification on the server (验证通过, or each problem).
pub async fn verify_draw(
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    draw_render(&st, id, true).await
}

fn json_download(body: String, name: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /public/draws/{id}/inputs.json`: the published inputs, exactly the canonical bytes
/// the commitment is over.
pub async fn inputs_json(
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let body = st.store.draw_inputs_json(id).await?;
    Ok(json_download(body, &format!("draw-{id}-inputs.json")))
}

/// `GET /public/draws/{id}/package.json`: the public package (inputs, commitment, and the
/// seed and result once public), for `minplan inspection verify` or the upload form.
pub async fn package_json(
    State(st): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let d = st.store.draw_record(id).await?;
    let pkg = public_package(&st, &d).await?;
    let body = serde_json::to_string(&pkg)
        .map_err(|e| AppError::BadRequest(format!("抽取包无法生成：{e}")))?;
    Ok(json_download(body, &format!("draw-{id}-package.json")))
}

/// A draw as the public list shows it.
struct DrawListRow {
    id: i64,
    year: i32,
    plan: String,
    committed_at: String,
    state: String,
}

#[derive(Template)]
#[template(path = "public_draws.html")]
struct DrawsPage {
    layout: Layout,
    rows: Vec<DrawListRow>,
}

/// `GET /public/draws`: every draw, newest plan first — its commitment date and whether it is
/// drawn (the result only as [`result_is_public`] allows), superseded or awaiting the draw.
pub async fn draws_list(State(st): State<AppState>) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let mut rows = Vec::new();
    for p in st.store.inspection_plans().await? {
        for d in st.store.draws_of(p.id).await?.into_iter().rev() {
            rows.push(DrawListRow {
                id: d.id,
                year: p.year,
                plan: p.name.clone(),
                committed_at: beijing(&d.committed_at),
                state: if d.superseded_by.is_some() {
                    "已被重新抽取取代".into()
                } else if result_is_public(&st, &d).await? {
                    "已抽取，结果已公布".into()
                } else if d.is_drawn() {
                    "已抽取，待公示审核后公布".into()
                } else {
                    "已公布承诺，待抽取".into()
                },
            });
        }
    }
    let page = DrawsPage {
        layout: layout(&sp, "public_draw"),
        rows,
    };
    Ok(Html(page.render()?).into_response())
}

#[derive(Template)]
#[template(path = "public_draw_verify.html")]
struct VerifyPage {
    layout: Layout,
    file_name: String,
    error: String,
    outcome: Option<Outcome>,
}

/// `GET /public/draws/verify`: the form to upload a package and verify it.
pub async fn verify_form(State(st): State<AppState>) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let layout = layout(&sp, "public_draw");
    let p = VerifyPage {
        layout,
        file_name: String::new(),
        error: String::new(),
        outcome: None,
    };
    Ok(Html(p.render()?).into_response())
}

/// `POST /public/draws/verify` (multipart: file `package`): verifies an uploaded package —
/// 验证通过 (200) or each problem (200, the page lists them); a file that is not a package
/// is named (422).
pub async fn verify_upload(
    State(st): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let form = SubmittedForm::read(&headers, body).await;
    let layout = layout(&sp, "public_draw");
    let mut page = VerifyPage {
        layout,
        file_name: String::new(),
        error: String::new(),
        outcome: None,
    };
    let status = match (form.problem.as_ref(), form.file("package")) {
        (Some(p), _) => {
            page.error = p.clone();
            StatusCode::UNPROCESSABLE_ENTITY
        }
        (None, None) => {
            page.error = "请选择要验证的抽取包文件（JSON）".into();
            StatusCode::UNPROCESSABLE_ENTITY
        }
        (None, Some(f)) if f.bytes.len() > MAX_PACKAGE_BYTES => {
            page.error = format!(
                "文件“{}”超过 {} MB，不是本系统的抽取包",
                f.file_name,
                MAX_PACKAGE_BYTES / 1024 / 1024
            );
            StatusCode::UNPROCESSABLE_ENTITY
        }
        (None, Some(f)) => {
            page.file_name = f.file_name.clone();
            match serde_json::from_slice::<DrawPackage>(&f.bytes) {
                Ok(pkg) => {
                    page.outcome = Some(outcome(&pkg));
                    StatusCode::OK
                }
                Err(e) => {
                    page.error = format!(
                        "文件“{}”不是抽取包（第 {} 行第 {} 列：{e}）",
                        f.file_name,
                        e.line(),
                        e.column()
                    );
                    StatusCode::UNPROCESSABLE_ENTITY
                }
            }
        }
    };
    Ok((status, Html(page.render()?)).into_response())
}
