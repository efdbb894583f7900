//! Response hardening: security headers on every response, and Chinese errors in place of the
//! bare ones that layers and extractors produce (405 from the router, 413 from the body
//! limit, 400/415/422 from an extractor's rejection, an empty 500): JSON `{code, message}`
//! under `/api/`, an HTML page elsewhere.

use crate::error::AppError;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// `Content-Security-Policy`: everything from this server only. Inline styles are allowed
/// because OpenLayers sets element styles; inline scripts are not.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; \
base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The security headers set on every response that has not set them itself.
pub fn headers() -> [(header::HeaderName, HeaderValue); 4] {
    [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
    ]
}

/// Middleware: replaces a bare error response (no body type, or `text/plain`) with a Chinese
/// one of the same status. `body_limit` (bytes) is named in the 413 message.
pub async fn friendly_errors(body_limit: usize, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return res;
    }
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !(ct.is_empty() || ct.starts_with("text/plain")) {
        return res;
    }
    let (code, message) = match status {
        StatusCode::BAD_REQUEST => ("bad_request", "请求格式错误".to_string()),
        StatusCode::UNAUTHORIZED => ("unauthenticated", "请先登录".into()),
        StatusCode::FORBIDDEN => ("forbidden", "无权访问".into()),
        StatusCode::NOT_FOUND => ("not_found", format!("没有这个页面：{path}")),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "不支持此请求方法".into()),
        StatusCode::PAYLOAD_TOO_LARGE => (
            "payload_too_large",
            format!(
                "请求内容过大：上限 {:.1} MiB",
                body_limit as f64 / 1024.0 / 1024.0
            ),
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "不支持的内容类型".into()),
        StatusCode::UNPROCESSABLE_ENTITY => ("unprocessable", "请求内容无法解析".into()),
        StatusCode::TOO_MANY_REQUESTS => ("throttled", "请求过于频繁，请稍后再试".into()),
        s if s.is_server_error() => ("internal", "服务器内部错误，请查看日志".into()),
        _ => ("http_error", format!("请求失败（{}）", status.as_u16())),
    };
    let mut out = AppError::Http {
        status,
        code,
        message,
    }
    .for_path(&path);
    if let Some(allow) = res.headers().get(header::ALLOW) {
        out.headers_mut().insert(header::ALLOW, allow.clone());
    }
    out
}
