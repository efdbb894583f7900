//! The layers every route goes through (sessions, login, CSRF, request context, panics, body
//! limit, Chinese errors, security headers).

use crate::http::state::AppState;
use crate::http::{auth, context, csrf, security, sessions};
use axum::Router;
use axum::extract::DefaultBodyLimit;

/// The layers every route goes through, innermost first: CSRF check of writes, request
/// context, sessions in the database (the ones in use also in memory) and the logged-in user, panic → 500, body limit,
/// Chinese errors for bare error responses, `Secure` cookies over HTTPS, security headers.
pub fn harden(routes: Router<AppState>, state: &AppState) -> Router<AppState> {
    use tower_http::set_header::SetResponseHeaderLayer;
    use tower_sessions::cookie::SameSite;
    let cfg = state.config().clone();
    let session_layer = tower_sessions::SessionManagerLayer::new(sessions::CachedSessions::new(
        tower_sessions_sqlx_store::SqliteStore::new(state.store.pool().clone()),
    ))
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
    let (always, https_header) = (cfg.secure_cookies, cfg.https_header.clone());
    let mut r = routes
        .layer(axum::middleware::from_fn(csrf::guard))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            context::middleware,
        ))
        .layer(auth_layer)
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(DefaultBodyLimit::disable())
        .layer(tower_http::limit::RequestBodyLimitLayer::new(limit))
        .layer(axum::middleware::from_fn(move |req, next| {
            security::friendly_errors(limit, req, next)
        }))
        .layer(axum::middleware::from_fn(move |req, next| {
            security::secure_cookies(always, https_header.clone(), req, next)
        }));
    for (name, value) in security::headers(cfg.tile_url.as_deref()) {
        r = r.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    r
}
