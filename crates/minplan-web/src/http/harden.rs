//! The layers every route goes through (sessions, login, CSRF, request context, panics, body
//! limit, Chinese errors, security headers).

use crate::http::state::AppState;
use crate::http::{auth, context, csrf, security, sessions};
use axum::Router;
use axum::extract::DefaultBodyLimit;

/// The layers every route goes through, innermost first: CSRF check of writes, request
/// context, sessions in the database (the ones in use also in memory) and the logged-in user,
/// each request run to completion in its own task ([`run_to_completion`]), panic → 500, body limit,
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
        .layer(axum::middleware::from_fn(run_to_completion))
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

/// Runs the rest of the request in a task of its own and waits for it, so that a client that
/// goes away (a closed tab, a timed-out script) does not cancel the work half-way: the
/// request's future would otherwise be dropped at whatever `.await` it stood, and a database
/// transaction begun but not yet handed back (sqlx's `BEGIN IMMEDIATE` acknowledged but not
/// received) would stay open on its pooled connection, holding the write lock for every later
/// writer. A panic in the task is raised again here, for the panic layer outside.
async fn run_to_completion(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use tracing::Instrument;
    let task = tokio::spawn(next.run(req).instrument(tracing::Span::current()));
    match task.await {
        Ok(res) => res,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => {
            axum::response::IntoResponse::into_response(axum::http::StatusCode::SERVICE_UNAVAILABLE)
        }
    }
}
