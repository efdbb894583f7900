//! Accounts: 登录, 退出, 修改密码 ([`login`], page and `/api/session`) and 账号管理
//! ([`users`], 系统管理员 only). Sessions and the role matrix are [`crate::http::auth`].

pub mod login;
pub mod users;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// The accounts' routes.
pub fn router() -> Router<AppState> {
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
}
