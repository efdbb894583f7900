//! 申请受理 (系统管理员, 审批科): paste corner coordinates or upload a corner file, see the
//! points on the map with their labels and every problem at its point, fill in the
//! application, run the review and save it — then the 审查记录 with the map and the
//! 审查意见书.
//!
//! The form becomes a `minplan-application/1` file ([`application_form`]; the corner check is [`corner_check`]); the review
//! is `ReviewEngine::parse` + `ReviewEngine::review_and_save`, exactly as `minplan review`
//! does, with the web user as the audit actor. Pages: `GET /intake`, `POST /intake`
//! (`action=check` only checks the coordinates; `action=review` reviews and saves). API:
//! `POST /api/reviews`.

pub mod application_form;
pub mod corner_check;

use crate::AppState;
use crate::http::auth::{actor, policy};
use crate::http::error::AppError;
use crate::http::error::{ApiError, ApiResult, FieldProblem};
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, SubmittedForm, json_body};
use crate::http::mapview::{MapView, map_view, review_layers};
use crate::http::views::{Layout, layout};
use crate::intake::application_form::{
    ApplicationForm, Corners, FIELDS, MAX_CORNER_BYTES, field_errors,
};
use crate::intake::corner_check::{CornerCheck, check};
use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::application::{
    AgreementReason, ApplicationKind, ChangeKind, CornerOptionsInput, GrantMethod, MiningMethod,
    RightKind,
};
use minplan_store::{ReviewEngine, User};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;

/// The capacity units the form offers; a basis in brackets goes into the file as written
/// (docs/application-format.md). 立方米/日 needs the working days, which only the file can
/// state.
const CAPACITY_UNITS: &[&str] = &[
    "万立方米/年",
    "千立方米/年",
    "万吨/年",
    "千吨/年",
    "吨/年",
    "万立方米/年（矿石量）",
    "万立方米/年（荒料量）",
];

/// The reserves units the form offers (with the basis in brackets where it matters for R4).
const RESERVES_UNITS: &[&str] = &[
    "万立方米",
    "千立方米",
    "万吨",
    "千吨",
    "万立方米（矿石量）",
    "万立方米（荒料量）",
    "万立方米（可采荒料量）",
    "万立方米（查明资源量）",
];

/// The routes of 申请受理.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/intake", get(page).post(submit))
        .route("/api/corners/check", post(corner_check::api))
        .route("/api/reviews", post(api_review))
}

/// An option of a select.
struct Opt {
    value: String,
    label: String,
    selected: bool,
}

fn options(values: &[(&str, &str)], current: &str) -> Vec<Opt> {
    values
        .iter()
        .map(|(v, l)| Opt {
            value: (*v).to_string(),
            label: (*l).to_string(),
            selected: *v == current,
        })
        .collect()
}

fn same(values: &[&'static str]) -> Vec<(&'static str, &'static str)> {
    values.iter().map(|v| (*v, *v)).collect()
}

/// `values` after an empty choice shown as `blank` (for fields that do not always apply).
fn blank_then(
    blank: &'static str,
    values: &[(&'static str, &'static str)],
) -> Vec<(&'static str, &'static str)> {
    std::iter::once(("", blank))
        .chain(values.iter().copied())
        .collect()
}

/// A point of the corner check, for the table under the map.
struct PointRow {
    ring: String,
    lines: String,
    label: String,
    x_text: String,
    y_text: String,
    lonlat: String,
}

/// A problem of the corner check.
struct ProblemRow {
    severity: String,
    error: bool,
    message: String,
    points: String,
}

/// The corner check as the page shows it without scripts.
struct CheckView {
    layout_name: String,
    crs_name: String,
    area: String,
    ok: bool,
    /// Column heads of the entered values: `X（录入）`/`Y（录入）`, or 纬度/经度.
    x_head: &'static str,
    y_head: &'static str,
    points: Vec<PointRow>,
    problems: Vec<ProblemRow>,
    /// What the text states about itself (面积, 拐点数) and whether the reading agrees.
    stated: Vec<String>,
}

/// `第 3 行`, `第 46–50 行`: where a point was read, as people say it.
fn lines_words(lines: &[usize]) -> String {
    match (lines.iter().min(), lines.iter().max()) {
        (Some(a), Some(b)) if a == b => format!("第 {a} 行"),
        (Some(a), Some(b)) => format!("第 {a}–{b} 行"),
        _ => String::new(),
    }
}

/// The areas as the page says them: both in km² (4 decimals) and the plane one in m² too;
/// with errors, only for reference.
fn area_words(c: &CornerCheck) -> String {
    match (c.area_km2, c.area_plane_m2) {
        (Some(k), Some(p)) => format!(
            "椭球面积 {k:.4} km²（TD/T 1055-2019 附录D）；平面面积 {:.4} km²（{p:.2} m²，高斯投影）{}",
            p / 1e6,
            if c.has_errors {
                "（坐标有误，仅供参考）"
            } else {
                ""
            }
        ),
        _ => "面积未计算（见下列问题）".into(),
    }
}

/// Each stated figure with the outcome of its comparison, in people's words.
fn stated_words(c: &CornerCheck) -> Vec<String> {
    use minplan_geo::corners::Agreement;
    let verdict = |a: Option<Agreement>| match a {
        Some(Agreement::Matches) => "与按坐标计算的面积相符",
        Some(Agreement::MatchesPlaneOnly) => "仅与平面面积相符（见问题）",
        Some(Agreement::Mismatch) => "与按坐标计算的面积不符（见问题）",
        Some(Agreement::NotComparable) | None => "无法核对（见问题）",
    };
    let mut out: Vec<String> = c
        .stated
        .areas
        .iter()
        .map(|a| {
            let of = a
                .block
                .as_ref()
                .map(|b| format!("“{b}”"))
                .unwrap_or_default();
            format!(
                "第 {} 行说明{of}面积“{}”：{}",
                a.line,
                a.as_written,
                verdict(a.agreement)
            )
        })
        .collect();
    out.extend(c.stated.point_counts.iter().map(|n| {
        format!(
            "第 {} 行说明 {} 个拐点：读到 {} 个，{}",
            n.line,
            n.points,
            c.stated.points_read,
            if n.agrees == Some(true) {
                "相符"
            } else {
                "不符（见问题）"
            }
        )
    }));
    if let Some(d) = &c.declared {
        out.push(format!(
            "申报面积“{}”：{}",
            d.as_written,
            verdict(d.agreement)
        ));
    }
    out
}

fn check_view(c: &CornerCheck) -> CheckView {
    CheckView {
        layout_name: c.layout_name.clone(),
        crs_name: c
            .crs_name
            .clone()
            .unwrap_or_else(|| "未能确定（见下列问题）".into()),
        area: area_words(c),
        ok: c.ok,
        x_head: if c.geographic {
            "纬度（录入）"
        } else {
            "X（录入）"
        },
        y_head: if c.geographic {
            "经度（录入）"
        } else {
            "Y（录入）"
        },
        points: c
            .points
            .iter()
            .map(|p| PointRow {
                ring: p.ring.clone(),
                lines: lines_words(&p.source_lines),
                label: p.label.clone(),
                x_text: p.x_text.clone(),
                y_text: p.y_text.clone(),
                lonlat: match (p.lon, p.lat) {
                    (Some(lon), Some(lat)) => format!("东经 {lon:.6}°，北纬 {lat:.6}°"),
                    _ => "—（未能定位）".into(),
                },
            })
            .collect(),
        stated: stated_words(c),
        problems: c
            .problems
            .iter()
            .map(|p| ProblemRow {
                severity: p.severity_label.clone(),
                error: p.severity == "error",
                message: p.message.clone(),
                points: p.points.join("、"),
            })
            .chain(c.option_problems.iter().map(|p| ProblemRow {
                severity: "错误".into(),
                error: true,
                message: p.message.clone(),
                points: String::new(),
            }))
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "intake.html")]
struct IntakePage {
    layout: Layout,
    form: ApplicationForm,
    errors: FieldErrors,
    other_errors: Vec<String>,
    notice: String,
    map: MapView,
    check: Option<CheckView>,
    kinds: Vec<Opt>,
    changes: Vec<Opt>,
    right_kinds: Vec<Opt>,
    methods: Vec<Opt>,
    capacity_units: Vec<Opt>,
    reserves_units: Vec<Opt>,
    grant_methods: Vec<Opt>,
    reasons: Vec<Opt>,
    wetland: Vec<Opt>,
    arable_land: Vec<Opt>,
    crs: Vec<Opt>,
    datum: Vec<Opt>,
    minerals: Vec<String>,
    /// The plan's sub-units (`[[sub_units]]`), for 所在县（区）; empty hides the field.
    sub_units: Vec<String>,
    max_corner_kib: usize,
}

/// What the page shows besides the form.
struct Shown {
    errors: FieldErrors,
    notice: String,
    check: Option<CornerCheck>,
}

async fn render(
    st: &AppState,
    engine: &ReviewEngine,
    user: &User,
    status: StatusCode,
    form: ApplicationForm,
    shown: Shown,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let plan = &engine.plan.loaded.plan;
    let z = plan.region.zone;
    let yes_no = [("", "未声明"), ("否", "否"), ("是", "是")];
    let crs_values = [
        (String::new(), "自动判断（带号或规划所在带）".to_string()),
        (
            z.with_prefix(true).epsg().to_string(),
            format!(
                "EPSG:{}（第{}带，Y 含带号）",
                z.with_prefix(true).epsg(),
                z.zone
            ),
        ),
        (
            z.with_prefix(false).epsg().to_string(),
            format!(
                "EPSG:{}（第{}带，Y 不含带号）",
                z.with_prefix(false).epsg(),
                z.zone
            ),
        ),
        (
            "4490".to_string(),
            "EPSG:4490（CGCS2000 经纬度）".to_string(),
        ),
    ];
    let crs_refs: Vec<(&str, &str)> = crs_values
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let mut minerals: Vec<String> = plan.minerals.all().iter().map(|m| m.name.clone()).collect();
    minerals.sort();
    let other_errors = shown.errors.others(FIELDS);
    let sub_units: Vec<String> = plan
        .region
        .sub_units
        .iter()
        .map(|u| u.name.clone())
        .collect();
    let page = IntakePage {
        sub_units,
        layout: layout(&sp, "intake"),
        kinds: options(&same(ApplicationKind::LABELS), &form.kind),
        changes: options(
            &blank_then("（非变更申请不填）", &same(ChangeKind::LABELS)),
            &form.change,
        ),
        right_kinds: options(&same(RightKind::LABELS), &form.right_kind),
        methods: options(
            &blank_then("（探矿权不填）", &same(MiningMethod::LABELS)),
            &form.mining_method,
        ),
        capacity_units: options(&same(CAPACITY_UNITS), &form.capacity_unit),
        reserves_units: options(&same(RESERVES_UNITS), &form.reserves_unit),
        grant_methods: options(&same(GrantMethod::LABELS), &form.grant_method),
        reasons: options(
            &blank_then(
                "（非协议出让不填）",
                &AgreementReason::ALL
                    .iter()
                    .map(|r| (r.code(), r.label()))
                    .collect::<Vec<_>>(),
            ),
            &form.agreement_reason,
        ),
        wetland: options(&yes_no, &form.wetland),
        arable_land: options(&yes_no, &form.arable_land),
        crs: options(&crs_refs, &form.crs),
        datum: options(
            &[
                ("", "未注明"),
                ("CGCS2000", "2000国家大地坐标系（CGCS2000）"),
            ],
            &form.datum,
        ),
        minerals,
        map: map_view(
            st,
            plan,
            review_layers(engine, user),
            json!({ "check": shown.check }),
        ),
        check: shown.check.as_ref().map(check_view),
        other_errors,
        errors: shown.errors,
        notice: shown.notice,
        form,
        max_corner_kib: MAX_CORNER_BYTES / 1024,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /intake`: the empty application form (新立采矿权, 挂牌 preselected).
pub async fn page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::RunReview>,
) -> Result<Response, AppError> {
    let engine = st.engine().await;
    let form = ApplicationForm {
        // The next 受理号 of the bureau's sequence; the clerk may type another.
        number: next_number(&st).await?,
        kind: "新立".into(),
        right_kind: "采矿权".into(),
        capacity_unit: "万立方米/年".into(),
        reserves_unit: "万立方米".into(),
        grant_method: "挂牌".into(),
        ..ApplicationForm::default()
    };
    render(
        &st,
        &engine,
        &user,
        StatusCode::OK,
        form,
        Shown {
            errors: FieldErrors::default(),
            notice: String::new(),
            check: None,
        },
    )
    .await
}

/// The corner check of a submitted form, when it has coordinates; with the 申报面积, when
/// given and readable, compared with the corners' area (its problem among the corner
/// problems, as the review will report it).
fn form_check(
    engine: &ReviewEngine,
    form: &ApplicationForm,
    file: Option<&[u8]>,
) -> Option<CornerCheck> {
    let input = CornerOptionsInput {
        crs: form.crs_code(),
        zone: None,
        datum: Some(form.datum.trim()).filter(|d| !d.is_empty()),
    };
    let pasted = !form.corners_text.trim().is_empty();
    if !pasted && file.is_none() {
        return None;
    }
    let (mut report, problems) = if pasted {
        check(engine, Some(&form.corners_text), None, &input)
    } else {
        check(engine, None, file, &input)
    };
    let declared = match form.declared_area() {
        Some(Ok(d)) => Some(corner_check::declared_outcome(&d, &mut report)),
        _ => None,
    };
    let mut c = CornerCheck::new(&report, &problems);
    c.declared = declared;
    Some(c)
}

/// The 申报面积's disagreement with the corners, for its field: the comparison's message.
fn declared_error(c: &CornerCheck) -> Option<String> {
    use minplan_geo::corners::Agreement;
    let d = c.declared.as_ref()?;
    (d.agreement == Some(Agreement::Mismatch)).then(|| {
        c.problems
            .iter()
            .find(|p| p.message.starts_with("申报面积"))
            .map(|p| p.message.clone())
            .unwrap_or_else(|| format!("申报面积“{}”与按坐标计算的面积不符", d.as_written))
    })
}

/// `POST /intake` (multipart or urlencoded; the fields of [`ApplicationForm`], the file
/// `corners_file`, `action` = `check` | `review`): with `check`, shows the corner check;
/// with `review`, reviews and saves the application and goes to its 审查记录 (303), or shows
/// the form again with each field's error (422).
pub async fn submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::RunReview>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let submitted = SubmittedForm::read(&headers, body).await;
    let mut form = ApplicationForm::from_submitted(&submitted);
    if form.number.trim().is_empty() {
        form.number = next_number(&st).await?;
    }
    let engine = st.engine().await;
    let mut errors = FieldErrors::default();
    if let Some(p) = &submitted.problem {
        errors.push("form", format!("{p}；请重新填写后提交"));
    }
    let upload = submitted.file("corners_file");
    if let Some(u) = upload
        && u.bytes.len() > MAX_CORNER_BYTES
    {
        errors.push(
            "corners",
            format!(
                "坐标文件“{}”过大：上限 {} KiB",
                u.file_name,
                MAX_CORNER_BYTES / 1024
            ),
        );
    }
    let upload = upload.filter(|u| u.bytes.len() <= MAX_CORNER_BYTES);
    // A DXF, KML/KMZ or Excel corner file is read into corner text; the text is what the
    // review reads and what the record keeps.
    let converted = match upload.map(|u| (u, minplan_io::corner_file_text(&u.file_name, &u.bytes)))
    {
        Some((u, Ok(Some(text)))) => Some(crate::http::forms::UploadedFile {
            file_name: u.file_name.clone(),
            bytes: text.into_bytes(),
        }),
        Some((_, Err(e))) => {
            errors.push("corners", e.0);
            None
        }
        Some((u, Ok(None))) => Some(u.clone()),
        None => None,
    };
    let upload = converted.as_ref();
    if let Some(Err(e)) = form.declared_area() {
        errors.push("declared_area", e);
    }
    let checked = form_check(&engine, &form, upload.map(|u| u.bytes.as_slice()));
    if let Some(e) = checked.as_ref().and_then(declared_error) {
        errors.push("declared_area", e);
    }
    let show = |errors: FieldErrors, notice: String| Shown {
        errors,
        notice,
        check: checked.clone(),
    };
    if !errors.is_empty() {
        // Every field's problem in one round: the upload's and the 申报面积's above, then the
        // form's own and the domain's on what could be written.
        let corners = match upload {
            Some(u) if u.file_name.is_empty() => Corners::File("坐标文件.txt"),
            Some(u) => Corners::File(&u.file_name),
            None => Corners::Pasted,
        };
        let (built, own) = form.build(corners);
        errors.merge_missing(own);
        if let Ok(partial) = built
            && let Err(problems) = engine.parse(&partial, upload.map(|u| u.bytes.as_slice()))
        {
            errors.merge_missing(field_errors(&problems.errors));
        }
        return render(
            &st,
            &engine,
            &user,
            StatusCode::UNPROCESSABLE_ENTITY,
            form,
            show(errors, String::new()),
        )
        .await;
    }
    if submitted.get("action") == "check" {
        let notice = match &checked {
            None => {
                errors.push("corners", "请粘贴拐点坐标，或上传坐标文件");
                String::new()
            }
            Some(c) if c.ok => "坐标检查通过：见下方地图与拐点表；填写申请信息后可审查".into(),
            Some(_) => String::new(),
        };
        let status = if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return render(&st, &engine, &user, status, form, show(errors, notice)).await;
    }
    let file_name = upload.map(|u| {
        if u.file_name.is_empty() {
            "坐标文件.txt".to_string()
        } else {
            u.file_name.clone()
        }
    });
    let corners_given = || match &file_name {
        Some(n) => Corners::File(n),
        None => Corners::Pasted,
    };
    let toml = match form.to_toml(corners_given()) {
        Ok(t) => t,
        Err(mut e) => {
            // Every field's problem at once: the domain's checks on what could be written,
            // beside the form's own.
            if let (Ok(partial), _) = form.build(corners_given())
                && let Err(problems) = engine.parse(&partial, upload.map(|u| u.bytes.as_slice()))
            {
                e.merge_missing(field_errors(&problems.errors));
            }
            return render(
                &st,
                &engine,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                show(e, String::new()),
            )
            .await;
        }
    };
    let corner_file = file_name.zip(upload.map(|u| u.bytes.clone()));
    // Saving updates the engine in place once no request holds it (AppState::application_saved).
    drop(engine);
    let saved = match review_and_save(&st, &user, &toml, corner_file.as_ref()).await {
        // The 受理号 of another applicant: refused at its field, nothing saved.
        Err(AppError::Invalid(v)) => {
            return render(
                &st,
                &*st.engine().await,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                show(FieldErrors(v), String::new()),
            )
            .await;
        }
        other => other?,
    };
    match saved {
        Ok(saved) => Ok(Redirect::to(&format!("/reviews/{}", saved.id)).into_response()),
        Err(problems) => {
            let engine = st.engine().await;
            render(
                &st,
                &engine,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                show(field_errors(&problems.errors), String::new()),
            )
            .await
        }
    }
}

/// The next 受理号 of the bureau's sequence (this year, Beijing), not yet taken.
async fn next_number(st: &AppState) -> Result<String, AppError> {
    Ok(st
        .store
        .next_intake_number(minplan_store::today().year())
        .await?)
}

/// Parses and reviews an application file and saves the review, under the write lock, then
/// puts the application into the engine's register (it is now 在审;
/// [`AppState::application_saved`]). Inner `Err`: the
/// application's problems (nothing saved).
pub(crate) async fn review_and_save(
    st: &AppState,
    user: &User,
    toml: &str,
    corner_file: Option<&(String, Vec<u8>)>,
) -> Result<
    Result<minplan_store::SavedReview, minplan_domain::application::ApplicationErrors>,
    AppError,
> {
    let _guard = st.write_lock().await;
    // Another process may have changed the register since the engine was built; and it may
    // do so between this check and the save, which the save then refuses (nothing written):
    // once more on the rebuilt engine.
    let mut tries = 0;
    let saved = loop {
        tries += 1;
        st.refresh_if_stale().await?;
        let engine = st.engine().await;
        let app = match engine.parse(toml, corner_file.map(|c| c.1.as_slice())) {
            Ok(a) => a,
            Err(e) => return Ok(Err(e)),
        };
        match engine
            .review_and_save_versioned(
                &st.store,
                &app,
                toml,
                corner_file.map(|(n, b)| (n.as_str(), b.as_slice())),
                &actor(user),
            )
            .await
        {
            Err(minplan_store::StoreError::Stale(_)) if tries < 2 => continue,
            other => break other?,
        }
    };
    // The engine is updated in place: no review may still hold it.
    st.application_saved(&saved.review.application.number, saved.inputs_version)
        .await?;
    Ok(Ok(saved))
}

/// A corner file sent with `POST /api/reviews`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CornerFileInput {
    /// File name (recorded with the review).
    pub name: String,
    /// The file's text.
    pub content: String,
}

/// Body of `POST /api/reviews`: the form's fields (`application`), or an application file
/// (`toml`, docs/application-format.md) with its corner file when it names one.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReviewRequest {
    /// The 申请受理 form's fields (pasted corners in `corners_text`).
    #[serde(default)]
    pub application: Option<ApplicationForm>,
    /// Or: an application file.
    #[serde(default)]
    pub toml: Option<String>,
    /// The corner file (with `toml` naming it in `[coordinates] file`, or instead of
    /// `application.corners_text`).
    #[serde(default)]
    pub corner_file: Option<CornerFileInput>,
    /// Save the review (default `true`); `false` is a trial review (试审), nothing stored.
    #[serde(default = "yes")]
    pub save: bool,
}

fn yes() -> bool {
    true
}

/// The 422 of `POST /api/reviews`: the application was not reviewed. [`ApiError`]'s
/// `code` (`invalid`), `message` and `fields` (the form's fields), with every problem of the
/// application file and, when the coordinates could be read, their check.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationRefused {
    /// `invalid`.
    pub code: String,
    /// How many problems, Chinese.
    pub message: String,
    /// Each problem at the form field it belongs to.
    pub fields: Vec<FieldProblem>,
    /// Each problem of the application file.
    pub errors: Vec<minplan_domain::application::ApplicationError>,
    /// The corner check, when the coordinates could be read at all.
    pub corner_check: Option<CornerCheck>,
}

impl ApplicationRefused {
    fn new(
        fields: &FieldErrors,
        errors: Vec<minplan_domain::application::ApplicationError>,
        check: Option<CornerCheck>,
    ) -> Self {
        ApplicationRefused {
            code: "invalid".into(),
            message: format!("申请有 {} 处问题，未审查", fields.0.len().max(errors.len())),
            fields: fields.0.iter().map(FieldProblem::from).collect(),
            errors,
            corner_check: check,
        }
    }
}

impl IntoResponse for ApplicationRefused {
    fn into_response(self) -> Response {
        (StatusCode::UNPROCESSABLE_ENTITY, Json(self)).into_response()
    }
}

/// The answer of `POST /api/reviews`: the review's conclusion and the whole review; saved
/// (201) with its record's number and pages, or a trial (200) without.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewOutcome {
    /// The 审查记录 number; null for a trial review (试审).
    pub review_id: Option<i64>,
    /// 符合, 基本符合 or 不符合.
    pub conclusion: String,
    /// The record's page (saved reviews).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The 审查意见书 (saved reviews).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub docx_url: Option<String>,
    /// The whole review as `minplan review --json` prints it (every rule's outcome with its
    /// basis, the overlaps, the indicators' what-if).
    #[schema(value_type = Object)]
    pub review: serde_json::Value,
}

/// The body of `POST /api/reviews`'s answer as written: [`ReviewOutcome`]'s fields, the
/// review serialised from the review itself.
#[derive(Serialize)]
struct ReviewOutcomeBody<'a> {
    review_id: Option<i64>,
    conclusion: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    docx_url: Option<String>,
}

impl ReviewOutcomeBody<'_> {
    /// The answer's JSON: these fields, then `"review"` — `stored`, the review's JSON as the
    /// store wrote it, when there is one (a saved review is not serialised twice), else the
    /// review serialised here.
    fn with_review(
        &self,
        review: &minplan_domain::review::ConformityReview,
        stored: Option<&str>,
    ) -> serde_json::Result<Vec<u8>> {
        // Sized for the review at once: the parts' vertices are most of it (about 40 bytes
        // each as `[lon,lat],`), and growing a buffer of megabytes copies it again each time.
        let vertices: usize = review
            .rules
            .iter()
            .flat_map(|r| &r.conflicts)
            .flat_map(|c| &c.geometry.plane().0)
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum();
        let mut out =
            Vec::with_capacity(stored.map_or(16 * 1024 + 44 * vertices, |s| s.len() + 256));
        serde_json::to_writer(&mut out, self)?;
        // `{…}` → `{…,"review":…}`: the object always has `review_id` and `conclusion`.
        out.pop();
        out.extend_from_slice(b",\"review\":");
        match stored {
            Some(json) => out.extend_from_slice(json.as_bytes()),
            None => serde_json::to_writer(&mut out, review)?,
        }
        out.push(b'}');
        Ok(out)
    }
}

/// `POST /api/reviews`: reviews an application (and saves it unless `save` is false).
#[utoipa::path(post, path = "/api/reviews", tag = "审查记录",
    request_body = ReviewRequest,
    responses(
        (status = 201, description = "已审查并保存", body = ReviewOutcome),
        (status = 200, description = "试审（save = false）：review_id 为 null", body = ReviewOutcome),
        (status = 400, description = "请求格式错误（如 application 与 toml 都有或都没有）", body = ApiError),
        (status = 413, description = "坐标文件过大", body = ApiError),
        (status = 422, description = "申请有误，未审查", body = ApplicationRefused),
        (status = 401, description = "未登录", body = ApiError),
        (status = 403, description = "无权（需系统管理员或审批科）或缺少 CSRF 令牌", body = ApiError),
    ))]
pub async fn api_review(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::RunReview>,
    body: Bytes,
) -> ApiResult<Result<Response, ApplicationRefused>> {
    let req: ReviewRequest = json_body(&body)?;
    if let Some(c) = &req.corner_file
        && c.content.len() > MAX_CORNER_BYTES
    {
        return Err(AppError::Http {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "payload_too_large",
            message: format!("坐标文件过大：上限 {} KiB", MAX_CORNER_BYTES / 1024),
        }
        .into());
    }
    let corner_file = req
        .corner_file
        .as_ref()
        .map(|c| (c.name.clone(), c.content.clone().into_bytes()));
    // No 申请编号 given: the next 受理号 of the bureau's sequence (read only then).
    let toml = match (&req.application, &req.toml) {
        (Some(form), None) => {
            let mut form = form.clone();
            if form.number.trim().is_empty() {
                form.number = next_number(&st).await?;
            }
            let corners = || match &corner_file {
                Some((n, _)) => Corners::File(n),
                None => Corners::Pasted,
            };
            match form.to_toml(corners()) {
                Ok(t) => t,
                Err(mut e) => {
                    // Every field's problem at once, as the form shows them: the domain's on
                    // what could be written, beside the form's own.
                    let mut errors = Vec::new();
                    if let (Ok(partial), _) = form.build(corners())
                        && let Err(problems) = st
                            .engine()
                            .await
                            .parse(&partial, corner_file.as_ref().map(|c| c.1.as_slice()))
                    {
                        e.merge_missing(field_errors(&problems.errors));
                        errors = problems.errors;
                    }
                    return Ok(Err(ApplicationRefused::new(&e, errors, None)));
                }
            }
        }
        (None, Some(t)) => match minplan_store::settings::with_intake_number(t, "") {
            None => t.clone(),
            Some(_) => minplan_store::settings::with_intake_number(t, &next_number(&st).await?)
                .unwrap_or_else(|| t.clone()),
        },
        _ => {
            let mut e = FieldErrors::default();
            e.push(
                "application",
                "请提供 application（表单字段）或 toml（申请文件）之一",
            );
            return Ok(Err(ApplicationRefused::new(&e, Vec::new(), None)));
        }
    };
    let outcome = if req.save {
        match review_and_save(&st, &user, &toml, corner_file.as_ref()).await {
            // The 受理号 of another applicant: refused at its field.
            Err(AppError::Invalid(v)) => {
                return Ok(Err(ApplicationRefused::new(
                    &FieldErrors(v),
                    Vec::new(),
                    None,
                )));
            }
            other => other?.map(|saved| (Some(saved.id), saved.review, Some(saved.result_json))),
        }
    } else {
        // A trial review reads the register as the store has it now, whoever changed it.
        let engine = st.current_engine().await?;
        match engine.parse(&toml, corner_file.as_ref().map(|c| c.1.as_slice())) {
            Ok(app) => {
                let now = minplan_store::now_rfc3339();
                let review = engine.review_in_force(&st.store, &app, &now).await?;
                Ok((None, review, None))
            }
            Err(problems) => Err(problems),
        }
    };
    match outcome {
        Err(problems) => {
            let fields = field_errors(&problems.errors);
            let errors = problems.errors.clone();
            let check = problems
                .corner_report
                .as_ref()
                .map(|r| CornerCheck::new(r, &[]));
            let mut refused = ApplicationRefused::new(&fields, errors, check);
            refused.message = format!("申请有 {} 处问题，未审查", problems.errors.len());
            Ok(Err(refused))
        }
        Ok((id, review, stored_json)) => {
            // Written straight from the review: a [`ReviewOutcome`] would first copy the whole
            // review (often hundreds of kilobytes of overlaps) into a JSON tree.
            let body = ReviewOutcomeBody {
                review_id: id,
                conclusion: review.conclusion.label(),
                url: id.map(|id| format!("/reviews/{id}")),
                docx_url: id.map(|id| format!("/reviews/{id}/docx")),
            };
            let bytes = body
                .with_review(&review, stored_json.as_deref())
                .map_err(|e| AppError::Store(minplan_store::StoreError::Internal(e.to_string())))?;
            let status = if id.is_some() {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            Ok(Ok((
                status,
                [(axum::http::header::CONTENT_TYPE, "application/json")],
                bytes,
            )
                .into_response()))
        }
    }
}
