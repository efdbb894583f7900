//! 登录 / 退出登录 / 修改密码, as pages and as the JSON API (`/api/session`).
//!
//! Login is throttled per username and per client address ([`minplan_store::throttle`]); a
//! successful login changes the session id (session fixation) and the CSRF token, and is
//! recorded in the audit trail (`session.login`), as is a logout (`session.logout`).

use crate::AppState;
use crate::http::auth::{AuthSession, Credentials, SessionUser, actor, policy, safe_next};
use crate::http::csrf;
use crate::http::error::{ApiError, ApiResult, AppError};
use crate::http::extract::ClientIp;
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, FormData, json_body};
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_store::accounts::{MIN_PASSWORD_CHARS, check_password_with};
use minplan_store::{AuditEntry, StoreError, User};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::OffsetDateTime;
use utoipa::ToSchema;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    username: String,
    next: String,
    errors: FieldErrors,
    message: String,
}

/// Why a login failed.
enum LoginFailure {
    /// Fields missing.
    Missing(FieldErrors),
    /// Throttled, with the message saying when to retry.
    Locked(String),
    /// Wrong username or password (or a disabled account).
    Wrong,
    /// Something broke.
    Internal(AppError),
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Http {
        status: StatusCode::INTERNAL_SERVER_ERROR,
        code: "internal",
        message: format!("登录处理失败：{e}"),
    }
}

/// The login procedure shared by the page and the API.
async fn attempt(
    st: &AppState,
    auth: &mut AuthSession,
    username: &str,
    password: &str,
    ip: &str,
) -> Result<(User, String), LoginFailure> {
    let mut errors = FieldErrors::default();
    if username.trim().is_empty() {
        errors.push("username", "请输入用户名");
    }
    if password.is_empty() {
        errors.push("password", "请输入密码");
    }
    if !errors.is_empty() {
        return Err(LoginFailure::Missing(errors));
    }
    let now = OffsetDateTime::now_utc();
    let policy = st.config().throttle;
    // The attempt is counted before the password is checked, so that parallel guesses
    // cannot all pass the lockout check first.
    let reserved = match st
        .store
        .reserve_login_attempt(username, ip, now, &policy)
        .await
    {
        Ok(Err(l)) => return Err(LoginFailure::Locked(l.message(now))),
        Ok(Ok(id)) => id,
        Err(e) => return Err(LoginFailure::Internal(e.into())),
    };
    let creds = Credentials {
        username: username.trim().to_string(),
        password: password.to_string(),
    };
    let user = match auth.authenticate(creds).await {
        Ok(Some(u)) => u,
        // The reserved attempt stays as the failure.
        Ok(None) => return Err(LoginFailure::Wrong),
        Err(e) => return Err(LoginFailure::Internal(internal(e))),
    };
    let result: Result<String, AppError> = async {
        st.store.login_succeeded(username, reserved).await?;
        auth.login(&user).await.map_err(internal)?;
        let token = csrf::rotate_token(&auth.session).await?;
        audit_session(st, &user.0, "session.login", ip).await?;
        Ok(token)
    }
    .await;
    result.map(|t| (user.0, t)).map_err(LoginFailure::Internal)
}

async fn render_login(
    st: &AppState,
    status: StatusCode,
    username: &str,
    next: &str,
    errors: FieldErrors,
    message: String,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    // The layout carries the visitor's token (an anonymous one: no session row is written).
    let layout = layout(&sp, "login");
    let page = LoginPage {
        layout,
        username: username.to_string(),
        next: safe_next(next),
        errors,
        message,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /login`: the login form (`?next=` the page to return to).
pub async fn login_page(
    State(st): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let next = q.get("next").map_or("/", String::as_str);
    render_login(
        &st,
        StatusCode::OK,
        "",
        next,
        FieldErrors::default(),
        String::new(),
    )
    .await
}

/// `POST /login` (form: `username`, `password`, `next`, `csrf_token`): logs in and goes to
/// `next` (the 工作台 when `next` is `/` or absent); otherwise re-displays the form with the field's error (401 wrong credentials,
/// 422 missing fields, 429 throttled).
pub async fn login_submit(
    State(st): State<AppState>,
    mut auth: AuthSession,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    let (username, password, next) = (form.get("username"), form.get("password"), form.get("next"));
    match attempt(&st, &mut auth, username, password, &ip).await {
        // The 工作台 is the landing page after login, unless a page asked to come back.
        Ok(_) => Ok(Redirect::to(&match safe_next(next).as_str() {
            "/" => "/workbench".to_string(),
            other => other.to_string(),
        })
        .into_response()),
        Err(LoginFailure::Missing(errors)) => {
            render_login(
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                username,
                next,
                errors,
                String::new(),
            )
            .await
        }
        Err(LoginFailure::Locked(msg)) => {
            render_login(
                &st,
                StatusCode::TOO_MANY_REQUESTS,
                username,
                next,
                FieldErrors::default(),
                msg,
            )
            .await
        }
        Err(LoginFailure::Wrong) => {
            let mut errors = FieldErrors::default();
            errors.push("password", "用户名或密码错误，或账号已停用");
            render_login(
                &st,
                StatusCode::UNAUTHORIZED,
                username,
                next,
                errors,
                String::new(),
            )
            .await
        }
        Err(LoginFailure::Internal(e)) => Err(e),
    }
}

/// The audit row of a login or logout (`action`), with the client's address.
async fn audit_session(
    st: &AppState,
    user: &minplan_store::User,
    action: &str,
    ip: &str,
) -> Result<(), AppError> {
    st.store
        .audit_record(&AuditEntry {
            actor: &actor(user),
            action,
            entity_type: "user",
            entity_id: user.id.to_string(),
            before: None,
            after: Some(serde_json::json!({ "ip": ip })),
        })
        .await?;
    Ok(())
}

async fn logout(st: &AppState, auth: &mut AuthSession, ip: &str) -> Result<(), AppError> {
    if let Some(u) = auth.user.clone() {
        audit_session(st, &u.0, "session.logout", ip).await?;
    }
    auth.logout().await.map_err(internal)?;
    Ok(())
}

/// `POST /logout`: ends the session and goes to 规划概况.
pub async fn logout_submit(
    State(st): State<AppState>,
    mut auth: AuthSession,
    ClientIp(ip): ClientIp,
) -> Result<Response, AppError> {
    logout(&st, &mut auth, &ip).await?;
    Ok(Redirect::to("/").into_response())
}

/// An account as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    /// Its number.
    pub id: i64,
    /// Username.
    pub username: String,
    /// Display name (姓名).
    pub display_name: String,
    /// Role slug (`admin`, `planning`, `approval`, `enforcement`, `restoration`, `company`).
    pub role: String,
    /// Role in Chinese (系统管理员, 规划科, …).
    pub role_label: String,
    /// 统一社会信用代码 of a 矿山企业 account.
    pub credit_code: Option<String>,
    /// Whether the account is disabled.
    pub disabled: bool,
    /// When it was created (RFC 3339, UTC).
    pub created_at: String,
}

impl From<&User> for UserView {
    fn from(u: &User) -> UserView {
        UserView {
            id: u.id,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role: u.role.slug().to_string(),
            role_label: u.role.label().to_string(),
            credit_code: u.credit_code.clone(),
            disabled: u.disabled,
            created_at: u.created_at.clone(),
        }
    }
}

/// `{user, csrf_token}`: the session's user (null when nobody is logged in) and the token
/// to send as `X-CSRF-Token` with every write.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionView {
    /// The logged-in user, or null.
    pub user: Option<UserView>,
    /// The session's CSRF token.
    pub csrf_token: String,
}

/// `{ok: true}` of `DELETE /api/session`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoggedOut {
    /// Always true.
    pub ok: bool,
}

/// `GET /api/session`: the logged-in user (or null) and the token to send as
/// `X-CSRF-Token` with every write.
#[utoipa::path(get, path = "/api/session", tag = "账号与会话", responses((status = 200, description = "当前用户（未登录为 null）与写操作须带的 CSRF 令牌", body = SessionView)))]
pub async fn api_session(auth: AuthSession) -> ApiResult<Json<SessionView>> {
    let t = crate::http::context::current().csrf;
    Ok(Json(SessionView {
        user: auth.user.as_ref().map(|u| UserView::from(&u.0)),
        csrf_token: t,
    }))
}

/// Body of `POST /api/session`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    /// Username.
    pub username: String,
    /// Password.
    pub password: String,
}

/// `POST /api/session` (`{"username", "password"}`, header `X-CSRF-Token`): logs in; the
/// user with the new token. Errors: 400 `bad_request`, 401 `invalid_credentials`, 422
/// `invalid`, 429 `throttled`.
#[utoipa::path(post, path = "/api/session", tag = "账号与会话", request_body = LoginRequest, responses((status = 200, description = "已登录（新令牌）", body = SessionView), (status = 400, description = "请求格式错误", body = ApiError), (status = 401, description = "用户名或密码错误（invalid_credentials）", body = ApiError), (status = 422, description = "缺少字段", body = ApiError), (status = 429, description = "登录失败次数过多，暂时锁定", body = ApiError)))]
pub async fn api_login(
    State(st): State<AppState>,
    mut auth: AuthSession,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> ApiResult<Json<SessionView>> {
    let req: LoginRequest = json_body(&body)?;
    match attempt(&st, &mut auth, &req.username, &req.password, &ip).await {
        Ok((u, t)) => Ok(Json(SessionView {
            user: Some(UserView::from(&u)),
            csrf_token: t,
        })),
        Err(LoginFailure::Missing(errors)) => Err(AppError::Invalid(errors.0).into()),
        Err(LoginFailure::Locked(msg)) => Err(AppError::Throttled(msg).into()),
        Err(LoginFailure::Wrong) => Err(AppError::Http {
            status: StatusCode::UNAUTHORIZED,
            code: "invalid_credentials",
            message: "用户名或密码错误，或账号已停用".into(),
        }
        .into()),
        Err(LoginFailure::Internal(e)) => Err(e.into()),
    }
}

/// `DELETE /api/session`: logs out.
#[utoipa::path(delete, path = "/api/session", tag = "账号与会话", responses((status = 200, description = "已退出", body = LoggedOut)))]
pub async fn api_logout(
    State(st): State<AppState>,
    mut auth: AuthSession,
    ClientIp(ip): ClientIp,
) -> ApiResult<Json<LoggedOut>> {
    logout(&st, &mut auth, &ip).await?;
    Ok(Json(LoggedOut { ok: true }))
}

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage {
    layout: Layout,
    username: String,
    errors: FieldErrors,
    done: bool,
    min_chars: usize,
}

async fn render_password(
    st: &AppState,
    user: &User,
    status: StatusCode,
    errors: FieldErrors,
    done: bool,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let page = PasswordPage {
        layout: layout(&sp, "account"),
        username: user.username.clone(),
        errors,
        done,
        min_chars: MIN_PASSWORD_CHARS,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /account/password`: the form to change one's own password.
pub async fn password_page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    render_password(
        &st,
        &user,
        StatusCode::OK,
        FieldErrors::default(),
        q.contains_key("done"),
    )
    .await
}

/// `POST /account/password` (`current`, `password`, `password2`): changes the password
/// (audited), keeps this session and ends the others.
pub async fn password_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::LoggedIn>,
    mut auth: AuthSession,
    ClientIp(ip): ClientIp,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    let mut errors = FieldErrors::default();
    let (current, new, new2) = (
        form.get("current"),
        form.get("password"),
        form.get("password2"),
    );
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    if current.is_empty() {
        errors.push("current", "请输入当前密码");
    } else {
        // Guessing the current password from a stolen session is throttled as logins are.
        let now = OffsetDateTime::now_utc();
        match st
            .store
            .reserve_login_attempt(&user.username, &ip, now, &st.config().throttle)
            .await?
        {
            Err(l) => {
                errors.push("current", l.message(now));
                status = StatusCode::TOO_MANY_REQUESTS;
            }
            Ok(attempt) => {
                if st
                    .store
                    .verify_password(&user.username, current)
                    .await?
                    .is_none()
                {
                    errors.push("current", "当前密码不正确");
                } else {
                    st.store.login_succeeded(&user.username, attempt).await?;
                }
            }
        }
    }
    let words = st.store.password_words().await?;
    if let Err(e) = check_password_with(new, &user.username, &words) {
        errors.0.push(e);
    }
    if new != new2 {
        errors.push("password2", "两次输入的新密码不一致");
    }
    if !errors.is_empty() {
        return render_password(&st, &user, status, errors, false).await;
    }
    let updated = match st
        .store
        .set_password(&user.username, new, &actor(&user))
        .await
    {
        Ok(u) => u,
        Err(StoreError::Invalid(v)) => {
            return render_password(
                &st,
                &user,
                StatusCode::UNPROCESSABLE_ENTITY,
                FieldErrors(v),
                false,
            )
            .await;
        }
        Err(e) => return Err(e.into()),
    };
    // Keep this session: store the new password's auth hash in it.
    auth.login(&SessionUser(updated)).await.map_err(internal)?;
    Ok(Redirect::to("/account/password?done=1").into_response())
}
