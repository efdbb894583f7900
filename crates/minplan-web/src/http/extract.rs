//! The extractors handlers use to know who is asking:
//!
//! - [`CurrentUser`]: the logged-in user, if any (never rejects);
//! - [`RequireRole<P>`]: the logged-in user allowed [`Policy::PERMISSION`]; otherwise a page
//!   redirects an anonymous visitor to `/login?next=…` (API: 401 `unauthenticated`) and tells a
//!   logged-in user without the permission 403 (API: `forbidden`), in Chinese;
//! - [`ClientIp`]: the client's address.
//!
//! For example, `async fn page(RequireRole { user, .. }: RequireRole<policy::ManageUsers>)`
//! runs only for a logged-in 系统管理员.
//!
//! [`Policy::PERMISSION`]: crate::http::auth::Policy::PERMISSION

use crate::http::auth::{AuthSession, Permission, Policy, allowed, percent_encode, roles_with};
use crate::http::error::AppError;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use minplan_store::{Role, User};
use std::marker::PhantomData;
use std::net::SocketAddr;

/// The logged-in user, if any. Never rejects.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Option<User>);

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(CurrentUser(
            parts
                .extensions
                .get::<AuthSession>()
                .and_then(|a| a.user.clone())
                .map(|u| u.0),
        ))
    }
}

/// The logged-in user, who has `P::PERMISSION`. Rejects as described in the
/// [module documentation](self).
#[derive(Debug, Clone)]
pub struct RequireRole<P: Policy> {
    /// The user.
    pub user: User,
    _policy: PhantomData<P>,
}

/// Why [`RequireRole`] rejected a request.
#[derive(Debug)]
pub enum Denied {
    /// Nobody is logged in.
    Anonymous {
        /// The request's path and query, to come back to after logging in.
        next: String,
        /// Whether the request was for the JSON API.
        api: bool,
    },
    /// The user's role lacks the permission.
    Forbidden {
        /// The user's role.
        role: Role,
        /// The permission lacking.
        permission: Permission,
        /// Whether the request was for the JSON API.
        api: bool,
    },
}

impl IntoResponse for Denied {
    fn into_response(self) -> Response {
        match self {
            Denied::Anonymous { api: true, .. } => {
                AppError::Unauthenticated("请先登录".into()).into_json()
            }
            Denied::Anonymous { next, api: false } => {
                Redirect::to(&format!("/login?next={}", percent_encode(&next))).into_response()
            }
            Denied::Forbidden {
                role,
                permission,
                api,
            } => {
                let e = AppError::Forbidden(format!(
                    "当前账号（{}）无权{}；需要以下角色之一：{}",
                    role.label(),
                    permission.label(),
                    roles_with(permission)
                ));
                if api {
                    e.into_json()
                } else {
                    e.into_response()
                }
            }
        }
    }
}

impl<S: Send + Sync, P: Policy> FromRequestParts<S> for RequireRole<P> {
    type Rejection = Denied;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state)
            .await
            .unwrap_or(CurrentUser(None));
        let api = parts.uri.path().starts_with("/api/");
        match user {
            None => Err(Denied::Anonymous {
                next: parts
                    .uri
                    .path_and_query()
                    .map_or("/".into(), |p| p.as_str().to_string()),
                api,
            }),
            Some(u) if allowed(Some(u.role), P::PERMISSION) => Ok(RequireRole {
                user: u,
                _policy: PhantomData,
            }),
            Some(u) => Err(Denied::Forbidden {
                role: u.role,
                permission: P::PERMISSION,
                api,
            }),
        }
    }
}

/// The client's address (for throttling and the audit trail); `unknown` when the server was
/// not started with connection info.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".into(), |c| c.0.ip().to_string()),
        ))
    }
}
