//! The plan for everyone (public): 规划概况, 规划指标, 上轮规划实施情况, 规划区块, 规划文本 as
//! pages ([`pages`]) and JSON ([`api`]), and 规划版本 (the stored versions and their
//! activation, [`versions`]).

pub mod api;
pub mod pages;
pub mod versions;
pub mod views;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// The plan's routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(pages::overview))
        .route("/indicators", get(pages::indicators))
        .route("/previous-round", get(pages::previous_round))
        .route("/blocks", get(pages::blocks))
        .route("/blocks/export", get(pages::blocks_export))
        .route("/text", get(pages::plan_text))
        .route("/api/plan", get(api::plan))
        .route("/api/plan/indicators", get(api::indicators))
        .route("/api/plan/previous-round", get(api::previous_round))
        .route("/api/plan/blocks", get(api::blocks))
        .route("/api/plan/outline", get(api::outline))
        .route("/api/plan/layers", get(api::layers_index))
        .route("/api/plan/layers/{kind}", get(api::layer))
        .route("/api/plans", get(api::plans))
        .route("/plans", get(versions::page))
        .route("/plans/{id}/history", get(versions::history))
        .route("/plans/{id}/activate", post(versions::activate_submit))
        .route("/api/plans/{id}/activate", post(versions::api_activate))
}
