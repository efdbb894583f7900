//! The error every handler returns, turned into a response: JSON `{code, message}` under
//! `/api`, an HTML page elsewhere. Messages are Chinese; internals are logged, not shown.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use minplan_store::StoreError;

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
    /// Any other HTTP error with its own status and code (405, 413, 415, …).
    #[error("{message}")]
    Http {
        /// The status.
        status: StatusCode,
        /// The machine-readable code.
        code: &'static str,
        /// The Chinese message.
        message: String,
    },
    /// The store failed (500).
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A template failed to render (500).
    #[error("页面生成失败：{0}")]
    Render(#[from] askama::Error),
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
            AppError::Store(StoreError::Bundle(_) | StoreError::Invalid(_)) => {
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
            AppError::Store(StoreError::Invalid(_)) => "invalid",
            AppError::Store(_) | AppError::Render(_) => "internal",
        }
    }

    /// The response for an API route: `{"code": …, "message": …}`, plus `"fields":
    /// [{"field", "message"}]` for refused input.
    pub fn into_json(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut body = serde_json::json!({ "code": self.code(), "message": self.public_message() });
        if let AppError::Store(StoreError::Invalid(fields)) = &self {
            body["fields"] = serde_json::json!(fields);
        }
        (status, axum::Json(body)).into_response()
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
        if self.status().is_server_error() {
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
