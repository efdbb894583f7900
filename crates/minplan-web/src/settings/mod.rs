//! 机关设置 (系统管理员): the bureau's name, the 文号 pattern of its 审查意见书, the 受理号
//! pattern, the signature lines and the seal caption — every field's problem shown at once,
//! every change audited (`settings.update`). Unset fields use the plan unit's defaults and
//! the page says so (未设置，使用默认值). Page `/admin/settings`.
//!
//! Also what the Word documents of the web take from the settings: [`docx_options`] for the
//! 审查意见书 and [`issuer`] for the 评估报告 and 年度实施计划.

use crate::AppState;
use crate::http::auth::{actor, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, FormData};
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_store::settings::EffectiveSettings;
use minplan_store::{BureauSettings, StoreError};
use std::collections::HashMap;

/// The routes of 机关设置.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new().route("/admin/settings", get(page).post(submit))
}

/// The form's fields, in order.
const FIELDS: [&str; 5] = [
    "bureau_name",
    "opinion_number_pattern",
    "intake_number_pattern",
    "signers",
    "seal_caption",
];

/// One field of the page: what is set (the input's value), what applies and whether that
/// is the default.
struct FieldView {
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    value: String,
    in_force: String,
    defaulted: bool,
}

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    layout: Layout,
    fields: Vec<FieldView>,
    errors: FieldErrors,
    other_errors: Vec<String>,
    notice: String,
    next_intake: String,
    updated: String,
}

/// The settings in force for the active plan's unit.
///
/// # Errors
/// [`AppError`] from the store.
pub async fn effective(st: &AppState) -> Result<EffectiveSettings, AppError> {
    let sp = st.plan().await;
    Ok(st
        .store
        .effective_settings(&sp.loaded.plan.region.name)
        .await?)
}

/// Signature lines titled `titles`, left blank to sign by hand.
fn blank_signers(titles: &[String]) -> Vec<minplan_report::Signer> {
    titles
        .iter()
        .map(|t| minplan_report::Signer::blank(t.clone()))
        .collect()
}

/// The 审查意见书 options from the settings and a 文号.
pub fn docx_options(
    s: &EffectiveSettings,
    document_number: Option<String>,
) -> minplan_report::DocxOptions {
    minplan_report::DocxOptions {
        bureau: Some(s.bureau_name.clone()),
        document_number,
        signers: blank_signers(&s.signers),
        seal_caption: s.seal_caption.clone(),
        ..minplan_report::DocxOptions::default()
    }
}

/// The options of an issued 审查意见书: its 文号 with the bureau, signature titles and seal
/// caption frozen when the number was assigned ([`minplan_store::Store::issue_opinion`]).
pub fn issued_docx_options(i: &minplan_store::IssuedOpinion) -> minplan_report::DocxOptions {
    minplan_report::DocxOptions {
        bureau: Some(i.bureau_name.clone()),
        document_number: Some(i.number.clone()),
        signers: blank_signers(&i.signers),
        seal_caption: i.seal_caption.clone(),
        ..minplan_report::DocxOptions::default()
    }
}

/// The issuer of the 评估报告 and 年度实施计划: the settings, dated `date` (`YYYY-MM-DD`).
pub fn issuer(s: &EffectiveSettings, date: String) -> minplan_report::Issuer {
    minplan_report::Issuer {
        bureau: s.bureau_name.clone(),
        document_number: None,
        signers: blank_signers(&s.signers),
        seal_caption: s.seal_caption.clone(),
        date: Some(date),
    }
}

/// What the form had: each field's text.
fn entered(set: &BureauSettings) -> HashMap<&'static str, String> {
    HashMap::from([
        ("bureau_name", set.bureau_name.clone().unwrap_or_default()),
        (
            "opinion_number_pattern",
            set.opinion_number_pattern.clone().unwrap_or_default(),
        ),
        (
            "intake_number_pattern",
            set.intake_number_pattern.clone().unwrap_or_default(),
        ),
        (
            "signers",
            set.signers.clone().unwrap_or_default().join("、"),
        ),
        ("seal_caption", set.seal_caption.clone().unwrap_or_default()),
    ])
}

async fn render(
    st: &AppState,
    status: StatusCode,
    values: HashMap<&'static str, String>,
    errors: FieldErrors,
    notice: String,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let e = effective(st).await?;
    let in_force = |f: &str| match f {
        "bureau_name" => e.bureau_name.clone(),
        "opinion_number_pattern" => e.opinion_number_pattern.clone(),
        "intake_number_pattern" => e.intake_number_pattern.clone(),
        "signers" => e.signers.join("、"),
        _ => e.seal_caption.clone(),
    };
    let meta = [
        (
            "机关名称",
            "如 绥芬河市自然资源局；印在各文书的标题下和落款处",
        ),
        (
            "审查意见书文号格式",
            "{年} 为年份，{号} 为当年顺序号，{号:04} 为补零到 4 位的顺序号，如 绥自然资审〔{年}〕{号}号",
        ),
        (
            "受理号格式",
            "申请受理时按此编号，如 SFH-{年}-{号:04}；须含 {年} 和 {号}",
        ),
        (
            "签署栏",
            "职务，以“、”或逗号分隔，如 承办人、审核人、签发人",
        ),
        ("印章说明", "落款处机关名称下的文字，如 （印章）"),
    ];
    let fields = FIELDS
        .iter()
        .zip(meta)
        .map(|(name, (label, hint))| FieldView {
            name,
            label,
            hint,
            value: values.get(name).cloned().unwrap_or_default(),
            in_force: in_force(name),
            defaulted: e.defaulted.iter().any(|d| d == name),
        })
        .collect();
    let next_intake = st
        .store
        .next_intake_number(minplan_store::today().year())
        .await?;
    let updated = match (&e.updated_at, &e.updated_by) {
        (Some(at), Some(_)) => format!("最近修改：{}", crate::http::views::beijing(at)),
        _ => "尚未设置：各项均使用默认值".into(),
    };
    let page = SettingsPage {
        layout: layout(&sp, "settings"),
        fields,
        other_errors: errors.others(&FIELDS),
        errors,
        notice,
        next_intake,
        updated,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /admin/settings`: the settings form (`?saved=1` after a change).
pub async fn page(
    State(st): State<AppState>,
    _: RequireRole<policy::ManageUsers>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let set = st.store.bureau_settings().await?;
    let notice = if q.contains_key("saved") {
        "已保存机关设置".to_string()
    } else {
        String::new()
    };
    render(
        &st,
        StatusCode::OK,
        entered(&set),
        FieldErrors::default(),
        notice,
    )
    .await
}

/// `POST /admin/settings` (form: the five fields; a blank field returns to its default):
/// saves and goes back to the page (303), or shows the form again with every field's
/// problem (422), nothing saved.
pub async fn submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageUsers>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    let text = |f: &str| Some(form.get(f).trim().to_string()).filter(|s| !s.is_empty());
    let new = BureauSettings {
        bureau_name: text("bureau_name"),
        opinion_number_pattern: text("opinion_number_pattern"),
        intake_number_pattern: text("intake_number_pattern"),
        signers: text("signers").map(|s| {
            s.split([',', '，', '、'])
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect()
        }),
        seal_caption: text("seal_caption"),
    };
    let values: HashMap<&'static str, String> = FIELDS
        .iter()
        .map(|f| (*f, form.get(f).to_string()))
        .collect();
    match st.store.set_bureau_settings(&new, &actor(&user)).await {
        Ok(()) => Ok(Redirect::to("/admin/settings?saved=1").into_response()),
        Err(StoreError::Invalid(v)) => {
            render(
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                values,
                FieldErrors(v),
                String::new(),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
