//! The one error of the web layer ([`AppError`]) and the one JSON error body of the API
//! ([`ApiError`], the schema the OpenAPI document describes): `{code, message}` under `/api`,
//! plus `fields: [{field, message}]` for refused input; an HTML page elsewhere. Messages are
//! Chinese; internals are logged, not shown. API handlers return [`ApiResult`] and use `?`.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minplan_store::{FieldError, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

/// An error of a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Something asked for does not exist (404).
    #[error("{0}")]
    NotFound(String),
    /// The request is malformed (400).
    #[error("{0}")]
    BadRequest(String),
    /// Nobody is logged in (401).
    #[error("{0}")]
    Unauthenticated(String),
    /// The user's role may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    /// The CSRF token is missing or wrong (403, code `csrf`).
    #[error("{0}")]
    Csrf(String),
    /// Too many failed logins (429, code `throttled`).
    #[error("{0}")]
    Throttled(String),
    /// Input refused (422, code `invalid`): each problem at its field; nothing was written.
    #[error("{}", invalid_message(.0))]
    Invalid(Vec<FieldError>),
    /// Any other HTTP error with its own status and code (405, 409, 413, 415, …).
    #[error("{message}")]
    Http {
        /// The status.
        status: StatusCode,
        /// The machine-readable code.
        code: &'static str,
        /// The Chinese message.
        message: String,
    },
    /// The store failed (500; 404 for its `NotFound`, 422 for a refused bundle).
    #[error("{0}")]
    Store(StoreError),
    /// A template failed to render (500).
    #[error("页面生成失败：{0}")]
    Render(#[from] askama::Error),
}

fn invalid_message(fields: &[FieldError]) -> String {
    fields
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("；")
}

impl From<StoreError> for AppError {
    /// The store's refused input becomes [`AppError::Invalid`]; the rest stays a store error.
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::Invalid(fields) => AppError::Invalid(fields),
            e => AppError::Store(e),
        }
    }
}

/// The error body of every API route: what [`AppError::into_json`] sends, and the schema
/// `ApiError` of `/api/openapi.json`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ApiError {
    /// Machine-readable code: `bad_request`, `unauthenticated`, `forbidden`, `csrf`,
    /// `not_found`, `invalid`, `invalid_bundle`, `invalid_credentials`, `throttled`,
    /// `payload_too_large`, `method_not_allowed`, `unsupported_media_type`, `conflict`,
    /// `replay_mismatch`, `busy` (503: the database stayed locked by another writer; nothing
    /// written, try again), `internal`.
    pub code: String,
    /// What went wrong, in Chinese, naming the field or thing concerned.
    pub message: String,
    /// For refused input (`invalid`): each field's problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<Vec<FieldProblem>>,
}

/// One field's problem.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldProblem {
    /// The field (form field name, or the path of a field in a file).
    pub field: String,
    /// The problem, Chinese.
    pub message: String,
}

impl From<&FieldError> for FieldProblem {
    fn from(e: &FieldError) -> FieldProblem {
        FieldProblem {
            field: e.field.clone(),
            message: e.message.clone(),
        }
    }
}

/// The result of an API handler: its typed body, or an error answered as JSON [`ApiError`]
/// whatever the path.
pub type ApiResult<T> = Result<T, JsonError>;

/// An [`AppError`] answered as JSON ([`AppError::into_json`]); every error converts into it,
/// so API handlers use `?`.
#[derive(Debug)]
pub struct JsonError(pub AppError);

impl<E: Into<AppError>> From<E> for JsonError {
    fn from(e: E) -> JsonError {
        JsonError(e.into())
    }
}

impl IntoResponse for JsonError {
    fn into_response(self) -> Response {
        self.0.into_json()
    }
}

impl AppError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::Csrf(_) => StatusCode::FORBIDDEN,
            AppError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Http { status, .. } => *status,
            AppError::Store(StoreError::NotFound(_)) => StatusCode::NOT_FOUND,
            AppError::Store(StoreError::Stale(_)) => StatusCode::CONFLICT,
            AppError::Store(StoreError::Busy) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Invalid(_)
            | AppError::Store(StoreError::Bundle(_) | StoreError::Invalid(_)) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::Store(_) | AppError::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable code of the JSON error.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) | AppError::Store(StoreError::NotFound(_)) => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::Unauthenticated(_) => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::Csrf(_) => "csrf",
            AppError::Throttled(_) => "throttled",
            AppError::Http { code, .. } => code,
            AppError::Store(StoreError::Bundle(_)) => "invalid_bundle",
            AppError::Store(StoreError::Stale(_)) => "conflict",
            AppError::Store(StoreError::Busy) => "busy",
            AppError::Invalid(_) | AppError::Store(StoreError::Invalid(_)) => "invalid",
            AppError::Store(_) | AppError::Render(_) => "internal",
        }
    }

    /// The JSON body ([`ApiError`]).
    pub fn body(&self) -> ApiError {
        let fields = match self {
            AppError::Invalid(f) | AppError::Store(StoreError::Invalid(f)) => {
                Some(f.iter().map(FieldProblem::from).collect())
            }
            _ => None,
        };
        ApiError {
            code: self.code().to_string(),
            message: self.public_message(),
            fields,
        }
    }

    /// The response for an API route: [`ApiError`] with the status.
    pub fn into_json(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        (status, axum::Json(self.body())).into_response()
    }

    /// JSON under `/api/`, HTML elsewhere.
    pub fn for_path(self, path: &str) -> Response {
        if path.starts_with("/api/") {
            self.into_json()
        } else {
            self.into_response()
        }
    }

    fn public_message(&self) -> String {
        if self.status().is_server_error() && !matches!(self, AppError::Store(StoreError::Busy)) {
            "服务器内部错误，请查看日志".into()
        } else {
            self.to_string()
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let msg = html_escape(&self.public_message());
        let body = format!(
            "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>出错了 · minplan</title>\
             <link rel=\"stylesheet\" href=\"/assets/app.css\"></head><body><main class=\"page\">\
             <h1>{}</h1><p>{msg}</p><p><a href=\"/\">返回规划概况</a></p></main></body></html>",
            status.as_u16()
        );
        (status, Html(body)).into_response()
    }
}

/// Minimal HTML escaping for text placed in markup.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Fallback: a Chinese 404 page (JSON under `/api`).
pub async fn not_found(uri: axum::http::Uri) -> Response {
    let e = AppError::NotFound(format!("没有这个页面：{}", uri.path()));
    if uri.path().starts_with("/api/") {
        e.into_json()
    } else {
        let mut r = e.into_response();
        *r.status_mut() = StatusCode::NOT_FOUND;
        r
    }
}
