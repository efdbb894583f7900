//! The request context every page needs in its layout: the logged-in user (shown in the
//! header with 退出登录) and the CSRF token for its forms.
//!
//! [`middleware`] computes it once per request, puts it in the request's extensions and runs
//! the handler inside a task-local scope, so that `views::layout` — which every page calls —
//! fills the header without each handler passing it along. A handler that renders a form needs
//! nothing more than `{{ layout.csrf }}` in its template.
//!
//! A token is created for a logged-in user's session; an anonymous visitor gets the token of
//! the nonce in their `minplan_csrf` cookie ([`crate::http::csrf::anonymous_token`]; the
//! cookie is set with the first page or JSON answer that lacks it), so that no session row is
//! written for a visit.

use crate::http::auth::{AuthSession, Permission, allowed};
use crate::http::csrf;
use crate::http::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use minplan_store::Role;
use tower_sessions::Session;

/// The logged-in user as the header shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserBadge {
    /// Account id.
    pub id: i64,
    /// Username.
    pub username: String,
    /// Display name.
    pub display_name: String,
    /// Role.
    pub role: Role,
}

/// What a page's layout needs from the request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestCtx {
    /// The logged-in user, if any.
    pub user: Option<UserBadge>,
    /// The CSRF token for the page's forms: the session's, or an anonymous visitor's.
    pub csrf: String,
    /// The plan-period notice every page shows once the active plan's period has ended and
    /// no successor plan is loaded (`minplan_domain::monitoring::plan_period_notice`); empty
    /// otherwise.
    pub plan_notice: String,
}

impl RequestCtx {
    /// Whether the user (or the anonymous public) has `p`.
    pub fn can(&self, p: Permission) -> bool {
        allowed(self.user.as_ref().map(|u| u.role), p)
    }
}

tokio::task_local! {
    static CTX: RequestCtx;
}

/// The context of the request being handled (default — anonymous, no token — outside one).
pub fn current() -> RequestCtx {
    CTX.try_with(Clone::clone).unwrap_or_default()
}

/// The plan-period notice on the state's today: checked against the stored plan versions (a
/// successor: same adcode, a period starting after the active one's) only once the period
/// has ended, so requests during the period read no more than the plan in memory; kept by
/// [`AppState::plan_notice`] until the day or the plan versions change.
async fn plan_notice(st: &AppState) -> String {
    st.plan_notice(|sp, today| async move {
        let id = &sp.loaded.plan.identity;
        if today <= minplan_domain::date::Date::end_of_year(id.period_end) {
            return (String::new(), true);
        }
        let stored = st.store.list_plans().await;
        // A read that failed is not kept: the next request reads again.
        let keep = stored.is_ok();
        let successor = stored.ok().and_then(|all| {
            all.into_iter()
                .filter(|p| p.adcode == id.adcode && p.period_start > i64::from(id.period_end))
                .map(|p| p.name)
                .next()
        });
        let notice = minplan_domain::monitoring::plan_period_notice(
            &id.name.value,
            id.period_start,
            id.period_end,
            today,
            successor.as_deref(),
        )
        .unwrap_or_default();
        (notice, keep)
    })
    .await
}

/// Middleware: computes the [`RequestCtx`] (after the session and login layers) and runs the
/// rest of the request inside it.
pub async fn middleware(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let user = req
        .extensions()
        .get::<AuthSession>()
        .and_then(|a| a.user.clone())
        .map(|u| UserBadge {
            id: u.0.id,
            username: u.0.username.clone(),
            display_name: u.0.display_name.clone(),
            role: u.0.role,
        });
    let session = req.extensions().get::<Session>().cloned();
    let stored = match (&session, &user) {
        (Some(s), Some(_)) => match csrf::ensure_token(s).await {
            Ok(t) => Some(t),
            Err(e) => return e.for_path(req.uri().path()).into_response(),
        },
        (Some(s), None) => csrf::current_token(s).await,
        (None, _) => None,
    };
    // An anonymous visitor: the token of their cookie's nonce, or of a new one given to them.
    let mut new_nonce = None;
    let csrf = match stored {
        Some(t) => t,
        None => {
            let nonce = match csrf::anonymous_nonce(req.headers()) {
                Some(n) => n,
                None => match csrf::new_token() {
                    Ok(n) => new_nonce.insert(n).clone(),
                    Err(e) => return e.for_path(req.uri().path()).into_response(),
                },
            };
            match csrf::anonymous_token(&nonce) {
                Ok(t) => t,
                Err(e) => return e.for_path(req.uri().path()).into_response(),
            }
        }
    };
    let ctx = RequestCtx {
        user,
        csrf,
        plan_notice: plan_notice(&st).await,
    };
    req.extensions_mut().insert(ctx.clone());
    let mut res = CTX.scope(ctx, next.run(req)).await;
    // The new nonce goes with pages and JSON answers (which may carry the token), not with
    // scripts, styles and downloads.
    if let Some(n) = new_nonce {
        let carries_token = res
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("text/html") || ct.starts_with("application/json"));
        if carries_token {
            res.headers_mut()
                .append(axum::http::header::SET_COOKIE, csrf::anonymous_cookie(&n));
        }
    }
    res
}
