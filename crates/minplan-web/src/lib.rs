//! # minplan-web
//!
//! The web application: Chinese pages rendered on the server (askama), every asset embedded
//! in the binary (OpenLayers and Proj4js vendored; no CDN, works offline), and a JSON API
//! behind each page. One module per user job: [`pages`] (HTML), [`api`] (JSON), [`assets`].
//!
//! The server holds the active plan in memory ([`AppState`]); the store is the record.
//!
//! Accounts and access: sessions in the database ([`auth`], tower-sessions + axum-login),
//! the role matrix and the [`auth::RequireRole`] extractor, CSRF tokens on every write
//! ([`csrf`]), the logged-in user and token in every page's layout ([`context`]), security
//! headers, body limits and Chinese errors for malformed requests ([`security`]). Jobs:
//! [`login`] (登录/退出/修改密码), [`users`] (账号管理), [`versions`] (规划版本),
//! [`audit_log`] (操作日志); [`monitoring`] (规划指标 values, 实施评估, 年度报告, 提醒);
//! [`register_api`] (矿业权登记 lifecycle for staff, JSON); [`register_pages`] (the same
//! lifecycle as forms on the 矿业权 and 申请 pages, and 批量导入 of XLSX/CSV tables).
//!
//! The work of the bureau: [`workbench`] (工作台), [`intake`] (申请受理: the application form,
//! its conversion to a `minplan-application/1` file in [`application_form`], the corner check
//! of [`corner_check`]), [`reviews`] (审查记录: list, detail with map, audit trail and the
//! reproducibility check, the Word 审查意见书), [`layers`] (图层管理), [`rights`] (矿业权),
//! [`measure`] (ellipsoidal lengths and areas for the map's measure tool), [`mapview`] (what
//! every map page tells `assets/minplan-map.js`), [`openapi`] (the API's OpenAPI document and
//! its browsable page).
//!
//! Reviews from the web call the same functions as the CLI: [`AppState`] keeps a
//! [`minplan_store::ReviewEngine`] built at start and rebuilt after every write that changes
//! what a review reads (a saved review — pending applications join the register —, a layer
//! import, a rights import, a plan activation).

pub mod api;
pub mod application_form;
pub mod assets;
pub mod audit_log;
pub mod auth;
pub mod context;
pub mod corner_check;
pub mod csrf;
mod error;
pub mod forms;
pub mod intake;
pub mod layers;
pub mod login;
pub mod mapview;
pub mod measure;
pub mod monitoring;
pub mod openapi;
pub mod pages;
pub mod register_api;
pub mod register_pages;
pub mod reviews;
pub mod rights;
pub mod security;
pub mod users;
pub mod versions;
mod views;
pub mod workbench;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use minplan_store::{ReviewEngine, Store, StoredPlan, ThrottlePolicy};
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::{Mutex, MutexGuard, RwLock};

pub use error::AppError;

/// Settings of the web server (defaults, overridden by `minplan serve` options).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Largest request body accepted, bytes (default 10 MiB); larger ones get 413.
    pub body_limit: usize,
    /// Send the session cookie only over HTTPS (`Secure`); set when served behind HTTPS.
    pub secure_cookies: bool,
    /// A session ends after this long without a request (default 8 hours).
    pub session_idle: time::Duration,
    /// Login throttling (default 5 failures per username / 20 per address in 15 minutes).
    pub throttle: ThrottlePolicy,
    /// Base map tiles for the maps (an XYZ URL template in Web Mercator, e.g. 天地图 with its
    /// key); `None` (the default): no tiles, nothing loaded from the network. When set, the
    /// Content-Security-Policy allows images from that host only ([`security::csp`]).
    pub tile_url: Option<String>,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            body_limit: 10 * 1024 * 1024,
            secure_cookies: false,
            session_idle: time::Duration::hours(8),
            throttle: ThrottlePolicy::default(),
            tile_url: None,
        }
    }
}

/// Shared state of the server.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    plan: Arc<RwLock<Arc<StoredPlan>>>,
    engine: Arc<RwLock<Arc<ReviewEngine>>>,
    writes: Arc<Mutex<()>>,
    config: Arc<WebConfig>,
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
        let plan = Arc::new(plan);
        let engine = ReviewEngine::load_with(&store, plan.clone()).await?;
        Ok(AppState {
            store,
            plan: Arc::new(RwLock::new(plan)),
            engine: Arc::new(RwLock::new(Arc::new(engine))),
            writes: Arc::new(Mutex::new(())),
            config: Arc::new(WebConfig::default()),
        })
    }

    /// The same state with other settings.
    pub fn with_config(mut self, config: WebConfig) -> AppState {
        self.config = Arc::new(config);
        self
    }

    /// The settings.
    pub fn config(&self) -> &WebConfig {
        &self.config
    }

    /// The active plan.
    pub async fn plan(&self) -> Arc<StoredPlan> {
        self.plan.read().await.clone()
    }

    /// Reloads the active plan from the store (after an import or activation) and rebuilds
    /// the review engine on it.
    ///
    /// # Errors
    /// As [`AppState::new`].
    pub async fn reload(&self) -> Result<(), AppError> {
        if let Some(p) = self.store.active_plan().await? {
            *self.plan.write().await = Arc::new(p);
        }
        self.rebuild_engine().await
    }

    /// The review engine: the active plan with the layers, register and lists as of the last
    /// write.
    pub async fn engine(&self) -> Arc<ReviewEngine> {
        self.engine.read().await.clone()
    }

    /// Rebuilds the review engine from the store (after a saved review, a layer or rights
    /// import, a plan activation).
    ///
    /// # Errors
    /// Database errors.
    pub async fn rebuild_engine(&self) -> Result<(), AppError> {
        let plan = self.plan().await;
        let engine = ReviewEngine::load_with(&self.store, plan).await?;
        *self.engine.write().await = Arc::new(engine);
        Ok(())
    }

    /// Serialises the writes that change what a review reads (saving a review, importing a
    /// layer or rights): hold the guard across the write and [`AppState::rebuild_engine`], so
    /// that two reviews saved at once each see the other's application in the register.
    pub async fn write_lock(&self) -> MutexGuard<'_, ()> {
        self.writes.lock().await
    }
}

/// The application's routes.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
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
        .merge(account_routes())
        .merge(monitoring_routes())
        .merge(work_routes())
        .merge(register_routes())
        .fallback(pages::not_found);
    harden(routes, &state)
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Routes of accounts and access (issue 5). Every route is in the role matrix
/// (`docs/roles.md`), walked by `tests/roles.rs`.
fn account_routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login::login_page).post(login::login_submit))
        .route("/logout", post(login::logout_submit))
        .route(
            "/account/password",
            get(login::password_page).post(login::password_submit),
        )
        .route("/admin/users", get(users::page).post(users::add_submit))
        .route("/admin/users/{id}/disable", post(users::disable_submit))
        .route("/admin/users/{id}/enable", post(users::enable_submit))
        .route("/plans", get(versions::page))
        .route("/plans/{id}/activate", post(versions::activate_submit))
        .route("/audit", get(audit_log::page))
        .route(
            "/api/session",
            get(login::api_session)
                .post(login::api_login)
                .delete(login::api_logout),
        )
        .route(
            "/api/admin/users",
            get(users::api_list).post(users::api_add),
        )
        .route("/api/admin/users/{id}/disable", post(users::api_disable))
        .route("/api/admin/users/{id}/enable", post(users::api_enable))
        .route("/api/plans/{id}/activate", post(versions::api_activate))
        .route("/api/audit", get(audit_log::api_list))
        .route("/api/audit/verify", get(audit_log::api_verify))
}

/// Routes of plan monitoring and annual reports (issue 6). Every route is in the role matrix.
fn monitoring_routes() -> Router<AppState> {
    Router::new()
        .route("/api/indicators", get(monitoring::api_indicators))
        .route("/api/reminders", get(monitoring::api_reminders))
        .route("/evaluation", get(monitoring::evaluation_page))
        .route("/evaluation.xlsx", get(monitoring::evaluation_xlsx))
        .route("/evaluation.docx", get(monitoring::evaluation_docx))
        .route("/annual-plan.xlsx", get(monitoring::annual_plan_xlsx))
        .route("/annual-plan.docx", get(monitoring::annual_plan_docx))
        .route(
            "/annual-reports",
            get(monitoring::reports_page).post(monitoring::report_submit),
        )
        .route(
            "/api/applications/{id}/decision",
            post(register_api::decide),
        )
        .route("/api/applications/{id}/grant", post(register_api::grant))
        .route(
            "/api/applications/{id}/register",
            post(register_api::register),
        )
        .route("/api/rights/{id}/history", get(register_api::history))
        .route("/api/rights/{id}/extend", post(register_api::extend))
        .route("/api/rights/{id}/transfer", post(register_api::transfer))
        .route(
            "/api/rights/{id}/closure-report",
            post(register_api::closure_report),
        )
        .route("/api/rights/{id}/close", post(register_api::close))
        .route("/api/rights/{id}/cancel", post(register_api::cancel))
        .route(
            "/annual-reports/import",
            get(register_pages::reports_import_page).post(register_pages::reports_import_submit),
        )
}

/// Routes of the register's lifecycle as web forms and the bulk import of tables. Every route
/// is in the role matrix (`docs/roles.md`).
fn register_routes() -> Router<AppState> {
    Router::new()
        .route("/applications/{id}", get(register_pages::application_page))
        .route(
            "/applications/{id}/decision",
            post(register_pages::decision_submit),
        )
        .route(
            "/applications/{id}/grant",
            post(register_pages::grant_submit),
        )
        .route(
            "/applications/{id}/register",
            post(register_pages::register_submit),
        )
        .route(
            "/rights/import",
            get(register_pages::rights_import_page).post(register_pages::rights_import_submit),
        )
        .route("/rights/{id}/extend", post(register_pages::extend_submit))
        .route("/rights/{id}/change", post(register_pages::change_submit))
        .route(
            "/rights/{id}/transfer",
            post(register_pages::transfer_submit),
        )
        .route(
            "/rights/{id}/mortgage",
            post(register_pages::mortgage_submit),
        )
        .route(
            "/rights/{id}/release-mortgage",
            post(register_pages::release_mortgage_submit),
        )
        .route(
            "/rights/{id}/closure-report",
            post(register_pages::closure_report_submit),
        )
        .route("/rights/{id}/close", post(register_pages::close_submit))
        .route("/rights/{id}/cancel", post(register_pages::cancel_submit))
}

/// Routes of the bureau's work (issue 5): 工作台, 申请受理, 审查记录, 图层管理, 矿业权, the map's
/// measure tool and the API document. Every route is in the role matrix (`docs/roles.md`).
fn work_routes() -> Router<AppState> {
    Router::new()
        .route("/workbench", get(workbench::page))
        .route("/intake", get(intake::page).post(intake::submit))
        .route("/reviews", get(reviews::list_page))
        .route("/reviews/{id}", get(reviews::detail_page))
        .route("/reviews/{id}/docx", get(reviews::docx))
        .route("/layers", get(layers::page).post(layers::upload_submit))
        .route("/layers/{id}", get(layers::version_page))
        .route(
            "/rights",
            get(rights::list_page).post(rights::import_submit),
        )
        .route("/rights/{id}", get(rights::detail_page))
        .route("/api/workbench", get(workbench::api))
        .route("/api/corners/check", post(corner_check::api))
        .route("/api/measure", post(measure::api))
        .route(
            "/api/reviews",
            get(reviews::api_list).post(intake::api_review),
        )
        .route("/api/reviews/{id}", get(reviews::api_detail))
        .route(
            "/api/layers",
            get(layers::api_list).post(layers::api_upload),
        )
        .route("/api/layers/{id}", get(layers::api_version))
        .route(
            "/api/rights",
            get(rights::api_list).post(rights::api_import),
        )
        .route("/api/rights/{id}", get(rights::api_detail))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/docs", get(openapi::docs_redirect))
        .route("/api/docs/", get(openapi::docs_index))
        .route("/api/docs/{*file}", get(openapi::docs_file))
}

/// The layers every route goes through, innermost first: CSRF check of writes, request
/// context, sessions in the database and the logged-in user, panic → 500, body limit,
/// Chinese errors for bare error responses, security headers.
fn harden(routes: Router<AppState>, state: &AppState) -> Router<AppState> {
    use tower_http::set_header::SetResponseHeaderLayer;
    use tower_sessions::cookie::SameSite;
    let cfg = state.config().clone();
    let session_layer = tower_sessions::SessionManagerLayer::new(
        tower_sessions_sqlx_store::SqliteStore::new(state.store.pool().clone()),
    )
    .with_name("minplan_session")
    .with_secure(cfg.secure_cookies)
    .with_http_only(true)
    .with_same_site(SameSite::Lax)
    .with_expiry(tower_sessions::Expiry::OnInactivity(cfg.session_idle));
    let auth_layer = axum_login::AuthManagerLayerBuilder::new(
        auth::Backend::new(state.store.clone()),
        session_layer,
    )
    .build();
    let limit = cfg.body_limit;
    let mut r = routes
        .layer(axum::middleware::from_fn(csrf::guard))
        .layer(axum::middleware::from_fn(context::middleware))
        .layer(auth_layer)
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(DefaultBodyLimit::disable())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limit))
        .layer(axum::middleware::from_fn(move |req, next| {
            security::friendly_errors(limit, req, next)
        }));
    for (name, value) in security::headers(cfg.tile_url.as_deref()) {
        r = r.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    r
}

/// Serves the application on `listener` until Ctrl-C. Expired sessions are deleted hourly.
///
/// # Errors
/// I/O errors of the listener.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    use tower_sessions::ExpiredDeletion;
    let sessions = tower_sessions_sqlx_store::SqliteStore::new(state.store.pool().clone());
    let deletion =
        tokio::spawn(sessions.continuously_delete_expired(tokio::time::Duration::from_secs(3600)));
    let result = axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    deletion.abort();
    result
}
