//! # minplan-web
//!
//! The web application: Chinese pages rendered on the server (askama), every asset embedded
//! in the binary (OpenLayers and Proj4js vendored; no CDN, works offline), and a JSON API
//! behind each page. One module per user job: [`pages`] (HTML), [`api`] (JSON), [`assets`].
//!
//! The server holds the active plan in memory ([`AppState`]); the store is the record.

pub mod api;
pub mod assets;
mod error;
pub mod pages;
mod views;

use axum::Router;
use axum::routing::get;
use minplan_store::{Store, StoredPlan};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::RwLock;

pub use error::AppError;

/// Shared state of the server.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    plan: Arc<RwLock<Arc<StoredPlan>>>,
}

impl AppState {
    /// State over a store whose active plan is loaded now.
    ///
    /// # Errors
    /// [`AppError`] when the store has no active plan or it does not load.
    pub async fn new(store: Store) -> Result<AppState, AppError> {
        let plan = store.active_plan().await?.ok_or_else(|| {
            AppError::NotFound("数据库中没有启用的规划，请先导入规划数据包".into())
        })?;
        Ok(AppState {
            store,
            plan: Arc::new(RwLock::new(Arc::new(plan))),
        })
    }

    /// The active plan.
    pub async fn plan(&self) -> Arc<StoredPlan> {
        self.plan.read().await.clone()
    }

    /// Reloads the active plan from the store (after an import or activation).
    ///
    /// # Errors
    /// As [`AppState::new`].
    pub async fn reload(&self) -> Result<(), AppError> {
        if let Some(p) = self.store.active_plan().await? {
            *self.plan.write().await = Arc::new(p);
        }
        Ok(())
    }
}

/// The application's routes.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::overview))
        .route("/indicators", get(pages::indicators))
        .route("/previous-round", get(pages::previous_round))
        .route("/blocks", get(pages::blocks))
        .route("/text", get(pages::plan_text))
        .route("/api/plan", get(api::plan))
        .route("/api/plan/indicators", get(api::indicators))
        .route("/api/plan/previous-round", get(api::previous_round))
        .route("/api/plan/blocks", get(api::blocks))
        .route("/api/plan/outline", get(api::outline))
        .route("/api/plan/layers", get(api::layers_index))
        .route("/api/plan/layers/{kind}", get(api::layer))
        .route("/api/plans", get(api::plans))
        .route("/assets/{*path}", get(assets::serve))
        .fallback(pages::not_found)
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves the application on `listener` until Ctrl-C.
///
/// # Errors
/// I/O errors of the listener.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}
