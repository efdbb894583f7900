//! 双随机、一公开 (执法监察, 系统管理员; 《规划》四（三）3（3））: the 执法检查人员名录库 with
//! 回避 relations and the 抽查事项清单 ([`libraries`]), the 随机抽查对象库 generated from the
//! register on a date, 抽查计划 with 「公布承诺」, 「抽取」 and 「重新抽取」 ([`plans`]), and the
//! public page of a draw where anyone re-checks it ([`public`], no login). Every POST carries
//! the CSRF token; committing, drawing and redrawing ask for a confirmation.

pub mod libraries;
pub mod plans;
pub mod public;

use crate::AppState;
use crate::http::error::AppError;
use minplan_store::StoreError;

/// The routes of 双随机抽查.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route(
            "/inspections/inspectors",
            get(libraries::inspectors_page).post(libraries::inspector_create),
        )
        .route(
            "/inspections/inspectors/{id}",
            get(libraries::inspector_page).post(libraries::inspector_update),
        )
        .route(
            "/inspections/inspectors/{id}/recusals",
            post(libraries::recusal_add),
        )
        .route(
            "/inspections/recusals/{id}/remove",
            post(libraries::recusal_remove),
        )
        .route(
            "/inspections/items",
            get(libraries::items_page).post(libraries::item_create),
        )
        .route(
            "/inspections/items/{id}",
            get(libraries::item_page).post(libraries::item_update),
        )
        .route("/inspections/candidates", get(libraries::candidates_page))
        .route(
            "/inspections/plans",
            get(plans::plans_page).post(plans::plan_create),
        )
        .route("/inspections/plans/{id}", get(plans::plan_page))
        .route("/inspections/plans/{id}/commit", post(plans::commit))
        .route("/inspections/plans/{id}/draw", post(plans::run))
        .route("/inspections/plans/{id}/redraw", post(plans::redraw))
        .route("/public/draws", get(public::draws_list))
        .route(
            "/public/draws/verify",
            get(public::verify_form).post(public::verify_upload),
        )
        .route("/public/draws/{id}", get(public::draw_page))
        .route("/public/draws/{id}/inputs.json", get(public::inputs_json))
        .route("/public/draws/{id}/package.json", get(public::package_json))
        .route("/public/draws/{id}/verify", post(public::verify_draw))
}

/// The messages of refused input (shown on the page again, 422); any other error passes.
fn refused(e: StoreError) -> Result<Vec<String>, AppError> {
    match e {
        StoreError::Invalid(fs) => Ok(fs.into_iter().map(|f| f.message).collect()),
        e => Err(e.into()),
    }
}

/// Whether the form confirmed an irreversible step (the checkbox `confirm`).
fn confirmed(form: &crate::http::forms::FormData) -> bool {
    form.get("confirm") == "yes"
}
