//! 人工填报: the form where 规划科 staff enter the value of a plan indicator the register
//! cannot compute (提供中型矿产地, …) with its evidence — value, year, 依据/证明材料 and an
//! optional attached file's name — and the record of every entry. Every problem of a
//! submission is shown at once next to its field; nothing is written then.

use crate::AppState;
use crate::http::auth::{actor, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::SubmittedForm;
use crate::http::views::{Layout, beijing, layout, num};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::monitoring::{indicator_specs, is_manual};
use minplan_store::{FieldError, ManualInput, StoreError};

/// An indicator that may be entered.
struct Choice {
    key: String,
    label: String,
    unit: String,
    target: String,
}

/// An entry as the record lists it.
struct EntryRow {
    indicator: String,
    year: i32,
    value: String,
    evidence: String,
    attachment: String,
    entered_by: String,
    entered_at: String,
}

#[derive(Template)]
#[template(path = "indicators_manual.html")]
struct ManualPage {
    layout: Layout,
    choices: Vec<Choice>,
    entries: Vec<EntryRow>,
    /// Field → message.
    errors: Vec<FieldError>,
    /// What was typed (re-shown after errors).
    indicator: String,
    year: String,
    value: String,
    evidence: String,
    notice: String,
}

impl ManualPage {
    fn error(&self, field: &str) -> String {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect::<Vec<_>>()
            .join("；")
    }
}

async fn page(st: &AppState, mut p: ManualPage) -> Result<ManualPage, AppError> {
    let sp = st.plan().await;
    let plan = &sp.loaded.plan;
    let specs = indicator_specs(plan);
    p.choices = specs
        .iter()
        .filter(|s| is_manual(&s.metric))
        .map(|s| Choice {
            key: s.key.clone(),
            label: s.label.clone(),
            unit: s.unit.symbol().to_string(),
            target: s.target_label(),
        })
        .collect();
    let label_of = |k: &str| {
        specs
            .iter()
            .find(|s| s.key == k)
            .map_or(k.to_string(), |s| s.label.clone())
    };
    p.entries = st
        .store
        .manual_indicators(plan)
        .await?
        .into_iter()
        .rev()
        .map(|e| EntryRow {
            indicator: label_of(&e.indicator),
            year: e.year,
            value: num(e.value),
            evidence: e.evidence,
            attachment: e.attachment.unwrap_or_default(),
            entered_by: e.entered_by,
            entered_at: beijing(&e.entered_at),
        })
        .collect();
    Ok(p)
}

fn blank(layout: Layout, st_year: i32) -> ManualPage {
    ManualPage {
        layout,
        choices: vec![],
        entries: vec![],
        errors: vec![],
        indicator: String::new(),
        year: st_year.to_string(),
        value: String::new(),
        evidence: String::new(),
        notice: String::new(),
    }
}

/// `GET /indicators/manual`: the 人工填报 form and every entry made (系统管理员, 规划科).
pub async fn manual_form(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::EnterIndicators>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Html<String>, AppError> {
    let sp = st.plan().await;
    let mut p = blank(layout(&sp, "indicators"), st.today().year() - 1);
    p.notice = q.get("saved").cloned().unwrap_or_default();
    Ok(Html(page(&st, p).await?.render()?))
}

/// `POST /indicators/manual`: records an entry (form fields `indicator`, `year`, `value`,
/// `evidence`, optional file `attachment` — its name is kept); every problem is shown at once
/// with 422 and nothing is written.
pub async fn manual_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::EnterIndicators>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = SubmittedForm::read(&headers, body).await;
    let attachment = f
        .file("attachment")
        .map(|u| u.file_name.clone())
        .filter(|n| !n.trim().is_empty())
        .or_else(|| Some(f.get("attachment_name").to_string()).filter(|n| !n.trim().is_empty()));
    let input = ManualInput {
        indicator: f.get("indicator").to_string(),
        year: f.get("year").to_string(),
        value: f.get("value").to_string(),
        evidence: f.get("evidence").to_string(),
        attachment,
    };
    let sp = st.plan().await;
    let mut errors = Vec::new();
    if let Some(p) = &f.problem {
        errors.push(FieldError::new("form", p.clone()));
    } else {
        match st
            .store
            .add_manual_indicator(
                &sp.loaded.plan,
                &input,
                &user.display_name,
                &actor(&user),
                st.today(),
            )
            .await
        {
            Ok(e) => {
                // The indicator's Chinese name, never its key.
                let name = indicator_specs(&sp.loaded.plan)
                    .into_iter()
                    .find(|s| s.key == e.indicator)
                    .map_or_else(|| e.indicator.clone(), |s| s.name);
                return Ok(Redirect::to(&format!(
                    "/indicators/manual?saved={}",
                    crate::http::auth::percent_encode(&format!(
                        "已填报 {} 年 {}：{}",
                        e.year,
                        name,
                        num(e.value)
                    ))
                ))
                .into_response());
            }
            Err(StoreError::Invalid(fs)) => errors = fs,
            Err(e) => return Err(e.into()),
        }
    }
    let p = ManualPage {
        errors,
        indicator: input.indicator,
        year: input.year,
        value: input.value,
        evidence: input.evidence,
        ..blank(layout(&sp, "indicators"), 0)
    };
    let p = page(&st, p).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(p.render()?)).into_response())
}
