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
    /// The store failed (500).
    #[error("{0}")]
    Store(#[from] StoreError),
    /// A template failed to render (500).
    #[error("页面生成失败：{0}")]
    Render(#[from] askama::Error),
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Store(StoreError::NotFound(_)) => StatusCode::NOT_FOUND,
            AppError::Store(StoreError::Bundle(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Store(_) | AppError::Render(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) | AppError::Store(StoreError::NotFound(_)) => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::Store(StoreError::Bundle(_)) => "invalid_bundle",
            AppError::Store(_) | AppError::Render(_) => "internal",
        }
    }

    /// The response for an API route: `{"code": …, "message": …}`.
    pub fn into_json(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let body = serde_json::json!({ "code": self.code(), "message": self.public_message() });
        (status, axum::Json(body)).into_response()
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
