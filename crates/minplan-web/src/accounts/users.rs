//! 账号管理 (系统管理员): list accounts, add one with its role, disable or re-enable one —
//! every change audited. Page `/admin/users` and API `/api/admin/users`.

use crate::AppState;
use crate::accounts::login::UserView;
use crate::http::auth::{actor, policy};
use crate::http::error::{ApiError, ApiResult, AppError};
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, FormData, json_body};
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_store::accounts::{MIN_PASSWORD_CHARS, check_password_with, check_username};
use minplan_store::{NewUser, Role, StoreError, User};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// A row of the accounts table.
struct UserRow {
    id: i64,
    username: String,
    display_name: String,
    role: &'static str,
    credit_code: String,
    disabled: bool,
    created_at: String,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<UserRow>,
    roles: Vec<(&'static str, &'static str)>,
    notice: String,
    error: String,
    errors: FieldErrors,
    other_errors: Vec<String>,
    form_username: String,
    form_display_name: String,
    form_role: String,
    form_credit_code: String,
    min_chars: usize,
}

/// What the add-user form had (re-displayed with its errors).
#[derive(Default)]
struct Entered {
    username: String,
    display_name: String,
    role: String,
    credit_code: String,
}

async fn render(
    st: &AppState,
    status: StatusCode,
    notice: String,
    error: String,
    errors: FieldErrors,
    entered: Entered,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let users = st
        .store
        .list_users()
        .await?
        .into_iter()
        .map(|u| UserRow {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            role: u.role.label(),
            credit_code: u.credit_code.unwrap_or_default(),
            disabled: u.disabled,
            created_at: u.created_at,
        })
        .collect();
    let other_errors = errors.others(&[
        "username",
        "display_name",
        "role",
        "credit_code",
        "password",
        "password2",
    ]);
    let page = UsersPage {
        layout: layout(&sp, "users"),
        users,
        roles: Role::ALL.iter().map(|r| (r.slug(), r.label())).collect(),
        notice,
        error,
        errors,
        other_errors,
        form_username: entered.username,
        form_display_name: entered.display_name,
        form_role: entered.role,
        form_credit_code: entered.credit_code,
        min_chars: MIN_PASSWORD_CHARS,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /admin/users`: the accounts and the add form (`?added=NAME` / `?changed=NAME` show
/// what was just done).
pub async fn page(
    State(st): State<AppState>,
    _: RequireRole<policy::ManageUsers>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = match (q.get("added"), q.get("changed")) {
        (Some(n), _) => format!("已新建账号：{n}"),
        (_, Some(n)) => format!("已更新账号：{n}"),
        _ => String::new(),
    };
    render(
        &st,
        StatusCode::OK,
        notice,
        String::new(),
        FieldErrors::default(),
        Entered::default(),
    )
    .await
}

/// Checks the add-user input and creates the account; every problem of the input names its
/// field (inner `Err`); the outer `Err` is a failure of the store.
async fn add(
    st: &AppState,
    admin: &User,
    entered: &Entered,
    password: &str,
    password2: Option<&str>,
) -> Result<Result<User, FieldErrors>, AppError> {
    let mut errors = FieldErrors::default();
    let role = Role::parse(&entered.role);
    if role.is_none() {
        errors.push(
            "role",
            if entered.role.trim().is_empty() {
                "请选择角色".to_string()
            } else {
                format!("未知角色“{}”，可用：{}", entered.role, Role::accepted())
            },
        );
        if let Err(e) = check_username(&entered.username) {
            errors.0.push(e);
        }
        let words = st.store.password_words().await?;
        if let Err(e) = check_password_with(password, &entered.username, &words) {
            errors.0.push(e);
        }
    }
    if password2.is_some_and(|p2| p2 != password) {
        errors.push("password2", "两次输入的密码不一致");
    }
    let new = NewUser {
        username: entered.username.clone(),
        display_name: entered.display_name.clone(),
        role: role.unwrap_or(Role::Planning),
        credit_code: Some(entered.credit_code.clone()).filter(|c| !c.trim().is_empty()),
    };
    if role.is_some() {
        errors.0.extend(new.problems(password));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    match st.store.add_user(&new, password, &actor(admin)).await {
        Ok(u) => Ok(Ok(u)),
        Err(StoreError::Invalid(v)) => Ok(Err(FieldErrors(v))),
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/users` (form: `username`, `display_name`, `role`, `credit_code`, `password`,
/// `password2`): creates the account; else re-displays the form with each field's error (422).
pub async fn add_submit(
    State(st): State<AppState>,
    RequireRole { user: admin, .. }: RequireRole<policy::ManageUsers>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    let entered = Entered {
        username: form.get("username").trim().to_string(),
        display_name: form.get("display_name").trim().to_string(),
        role: form.get("role").to_string(),
        credit_code: form.get("credit_code").trim().to_string(),
    };
    match add(
        &st,
        &admin,
        &entered,
        form.get("password"),
        Some(form.get("password2")),
    )
    .await?
    {
        Ok(u) => Ok(Redirect::to(&format!(
            "/admin/users?added={}",
            crate::http::auth::percent_encode(&u.username)
        ))
        .into_response()),
        Err(errors) => {
            render(
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                String::new(),
                String::new(),
                errors,
                entered,
            )
            .await
        }
    }
}

fn parse_id(s: &str) -> Result<i64, AppError> {
    s.parse()
        .map_err(|_| AppError::BadRequest(format!("账号编号应为整数，收到“{s}”")))
}

async fn set_disabled(
    st: &AppState,
    admin: &User,
    id: &str,
    disabled: bool,
) -> Result<User, AppError> {
    let id = parse_id(id)?;
    let target = st
        .store
        .user(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("没有编号为 {id} 的账号")))?;
    Ok(st
        .store
        .set_user_disabled(&target.username, disabled, &actor(admin))
        .await?)
}

async fn toggle_page(
    st: AppState,
    admin: User,
    id: String,
    disabled: bool,
) -> Result<Response, AppError> {
    match set_disabled(&st, &admin, &id, disabled).await {
        Ok(u) => Ok(Redirect::to(&format!(
            "/admin/users?changed={}",
            crate::http::auth::percent_encode(&u.username)
        ))
        .into_response()),
        Err(AppError::Invalid(v)) => {
            let msg = v
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join("；");
            render(
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                String::new(),
                msg,
                FieldErrors::default(),
                Entered::default(),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

/// `POST /admin/users/{id}/disable`: disables the account (its sessions end).
pub async fn disable_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageUsers>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    toggle_page(st, user, id, true).await
}

/// `POST /admin/users/{id}/enable`: re-enables the account.
pub async fn enable_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageUsers>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    toggle_page(st, user, id, false).await
}

/// `{users}` of `GET /api/admin/users`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UsersView {
    /// Every account.
    pub users: Vec<UserView>,
}

/// `{user}`: one account after a change.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OneUser {
    /// The account.
    pub user: UserView,
}

/// `GET /api/admin/users`: every account.
#[utoipa::path(get, path = "/api/admin/users", tag = "账号与会话", responses((status = 200, description = "全部账号", body = UsersView), (status = 403, description = "需系统管理员", body = ApiError)))]
pub async fn api_list(
    State(st): State<AppState>,
    _: RequireRole<policy::ManageUsers>,
) -> ApiResult<Json<UsersView>> {
    let users = st.store.list_users().await?;
    Ok(Json(UsersView {
        users: users.iter().map(UserView::from).collect(),
    }))
}

/// Body of `POST /api/admin/users`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct AddUserRequest {
    /// Username.
    pub username: String,
    /// Display name (optional).
    #[serde(default)]
    pub display_name: String,
    /// Role: slug or Chinese name.
    pub role: String,
    /// 统一社会信用代码 (矿山企业 only).
    #[serde(default)]
    pub credit_code: Option<String>,
    /// Initial password.
    pub password: String,
}

/// `POST /api/admin/users`: creates an account; 201 with the account, or 422 `invalid`
/// with `fields`.
#[utoipa::path(post, path = "/api/admin/users", tag = "账号与会话", request_body = AddUserRequest, responses((status = 201, description = "已建立", body = OneUser), (status = 400, description = "请求格式错误", body = ApiError), (status = 422, description = "输入有误（fields）", body = ApiError), (status = 403, description = "需系统管理员", body = ApiError)))]
pub async fn api_add(
    State(st): State<AppState>,
    RequireRole { user: admin, .. }: RequireRole<policy::ManageUsers>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<OneUser>)> {
    let req: AddUserRequest = json_body(&body)?;
    let entered = Entered {
        username: req.username,
        display_name: req.display_name,
        role: req.role,
        credit_code: req.credit_code.unwrap_or_default(),
    };
    let u = add(&st, &admin, &entered, &req.password, None)
        .await?
        .map_err(AppError::from)?;
    Ok((
        StatusCode::CREATED,
        Json(OneUser {
            user: UserView::from(&u),
        }),
    ))
}

/// `POST /api/admin/users/{id}/disable`: disables the account.
#[utoipa::path(post, path = "/api/admin/users/{id}/disable", tag = "账号与会话", params(("id" = i64, Path, description = "账号编号")), responses((status = 200, description = "已停用", body = OneUser), (status = 400, description = "编号不是整数", body = ApiError), (status = 404, description = "没有该账号", body = ApiError), (status = 422, description = "不能停用最后一个系统管理员", body = ApiError)))]
pub async fn api_disable(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageUsers>,
    Path(id): Path<String>,
) -> ApiResult<Json<OneUser>> {
    let u = set_disabled(&st, &user, &id, true).await?;
    Ok(Json(OneUser {
        user: UserView::from(&u),
    }))
}

/// `POST /api/admin/users/{id}/enable`: re-enables the account.
#[utoipa::path(post, path = "/api/admin/users/{id}/enable", tag = "账号与会话", params(("id" = i64, Path, description = "账号编号")), responses((status = 200, description = "已启用", body = OneUser), (status = 400, description = "编号不是整数", body = ApiError), (status = 404, description = "没有该账号", body = ApiError)))]
pub async fn api_enable(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageUsers>,
    Path(id): Path<String>,
) -> ApiResult<Json<OneUser>> {
    let u = set_disabled(&st, &user, &id, false).await?;
    Ok(Json(OneUser {
        user: UserView::from(&u),
    }))
}
