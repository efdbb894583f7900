//! CSRF protection by synchroniser token (OWASP CSRF Prevention Cheat Sheet): a random
//! 256-bit token is kept in the session and must come back with every state-changing request
//! (`POST`, `PUT`, `PATCH`, `DELETE`) — as the form field `csrf_token`
//! (`application/x-www-form-urlencoded` or `multipart/form-data`) or the header
//! `X-CSRF-Token` (JSON API). [`guard`] checks every such request before any handler runs, so
//! routes added later are protected without doing anything; a missing or wrong token is
//! refused with 403 and a Chinese message, and nothing is written.
//!
//! A page puts the token into its forms from its layout:
//! `<input type="hidden" name="csrf_token" value="{{ layout.csrf }}">` (the layout takes it
//! from the request context, which calls [`ensure_token`]). A JSON client reads it from
//! `GET /api/session` (`csrf_token`).
//!
//! An anonymous visitor (the 登录 page, the public 「验证」 form) has no session: a session row
//! per visit would let anyone fill the database by asking for `/login` (issue 19, item 9). Their
//! token is a signed double-submit cookie instead (OWASP, “Signed Double-Submit Cookie”): the
//! cookie `minplan_csrf` holds a random nonce, the form carries HMAC-SHA-256(key, nonce) under a
//! key drawn once per process, and [`guard`] recomputes it. Nothing is written on the server;
//! a restart changes the key, so a page left open across a restart asks to be reloaded. Login
//! then creates the session and its own token ([`rotate_token`]).

use crate::http::error::AppError;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use hmac::{Hmac, Mac};
use std::sync::OnceLock;
use tower_sessions::Session;

/// Session key of the token.
pub const SESSION_KEY: &str = "csrf_token";
/// Form field carrying the token.
pub const FORM_FIELD: &str = "csrf_token";
/// Header carrying the token.
pub const HEADER: &str = "x-csrf-token";

/// Cookie carrying an anonymous visitor's nonce (64 hex digits).
pub const ANON_COOKIE: &str = "minplan_csrf";

/// The per-process key of anonymous tokens: 32 bytes from the operating system, drawn on
/// first use.
///
/// # Errors
/// [`AppError`] (500) when the operating system has no randomness to give.
fn anonymous_key() -> Result<&'static [u8; 32], AppError> {
    static KEY: OnceLock<[u8; 32]> = OnceLock::new();
    if let Some(k) = KEY.get() {
        return Ok(k);
    }
    let mut k = [0u8; 32];
    getrandom::fill(&mut k).map_err(|e| AppError::Http {
        status: axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        code: "internal",
        message: format!("无法生成随机数：{e}"),
    })?;
    Ok(KEY.get_or_init(|| k))
}

/// An anonymous visitor's token for the nonce of their cookie: HMAC-SHA-256 under the
/// process key of `"minplan anonymous csrf:" + nonce`, hex (64 characters).
///
/// # Errors
/// As [`anonymous_key`].
pub fn anonymous_token(nonce: &str) -> Result<String, AppError> {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(anonymous_key()?)
        .expect("HMAC takes a key of any length");
    mac.update(b"minplan anonymous csrf:");
    mac.update(nonce.as_bytes());
    Ok(mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect())
}

/// The nonce of the request's `minplan_csrf` cookie, when it is 64 lowercase hex digits.
pub fn anonymous_nonce(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == ANON_COOKIE)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// The `Set-Cookie` value giving an anonymous visitor `nonce`: whole site, not readable by
/// scripts, not sent with cross-site subrequests, for the browser session
/// (`Secure` is added by [`crate::http::security::secure_cookies`] when served over HTTPS).
pub fn anonymous_cookie(nonce: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{ANON_COOKIE}={nonce}; Path=/; HttpOnly; SameSite=Lax"
    ))
    .expect("hex is a valid header value")
}

/// A new random token: 32 bytes from the operating system, hex (64 characters).
///
/// # Errors
/// [`AppError`] (500) when the operating system has no randomness to give.
pub fn new_token() -> Result<String, AppError> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| AppError::Http {
        status: axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        code: "internal",
        message: format!("无法生成随机数：{e}"),
    })?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// The session's token, created (and the session saved) when it has none.
///
/// # Errors
/// [`AppError`] (500) when the session store fails.
pub async fn ensure_token(session: &Session) -> Result<String, AppError> {
    if let Some(t) = current_token(session).await {
        return Ok(t);
    }
    rotate_token(session).await
}

/// Replaces the session's token (after login, so a token seen before login is useless after).
///
/// # Errors
/// As [`ensure_token`].
pub async fn rotate_token(session: &Session) -> Result<String, AppError> {
    let t = new_token()?;
    session
        .insert(SESSION_KEY, &t)
        .await
        .map_err(session_error)?;
    Ok(t)
}

/// The session's token, if it has one (never creates one).
pub async fn current_token(session: &Session) -> Option<String> {
    session.get::<String>(SESSION_KEY).await.ok().flatten()
}

/// A session-store failure as a 500.
pub fn session_error(e: tower_sessions::session::Error) -> AppError {
    AppError::Http {
        status: axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        code: "internal",
        message: format!("会话存储失败：{e}"),
    }
}

/// Constant-time comparison of two tokens.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The token of a form body: the `csrf_token` field of an urlencoded body, or the
/// `csrf_token` part of a multipart body.
fn token_in_body(content_type: &str, body: &[u8]) -> Option<String> {
    let ct = content_type.to_ascii_lowercase();
    if ct.starts_with("application/x-www-form-urlencoded") {
        return form_urlencoded_field(body, FORM_FIELD);
    }
    if ct.starts_with("multipart/form-data") {
        let boundary = content_type
            .split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| k.eq_ignore_ascii_case("boundary"))
            .map(|(_, v)| v.trim_matches('"').to_string())?;
        return multipart_field(body, &boundary, FORM_FIELD);
    }
    None
}

fn form_urlencoded_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The value of the part named `name` of a multipart body (a small scan, enough for a token).
fn multipart_field(body: &[u8], boundary: &str, name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(body);
    let delim = format!("--{boundary}");
    text.split(delim.as_str()).find_map(|part| {
        let (head, value) = part.split_once("\r\n\r\n")?;
        let wanted = format!("name=\"{name}\"");
        head.to_ascii_lowercase()
            .contains("content-disposition")
            .then_some(())?;
        head.contains(&wanted).then(|| {
            value
                .trim_end_matches("\r\n")
                .trim_end_matches("--")
                .trim()
                .to_string()
        })
    })
}

fn refuse(path: &str, message: &str) -> Response {
    AppError::Csrf(message.into()).for_path(path)
}

/// Middleware: checks the CSRF token of every state-changing request. The body of a form
/// request is read (within the body limit) and handed on unchanged.
pub async fn guard(req: Request, next: Next) -> Response {
    if !matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    ) {
        return next.run(req).await;
    }
    let path = req.uri().path().to_string();
    let Some(session) = req.extensions().get::<Session>().cloned() else {
        return refuse(&path, "会话不可用，请刷新页面后重试");
    };
    // The session's token; for a visitor without one, the token of their cookie's nonce.
    let expected = match current_token(&session).await {
        Some(t) => t,
        None => match anonymous_nonce(req.headers()).map(|n| anonymous_token(&n)) {
            Some(Ok(t)) => t,
            Some(Err(e)) => return e.for_path(&path),
            None => {
                return refuse(
                    &path,
                    "页面已过期或缺少安全令牌（CSRF），请刷新页面后重新提交",
                );
            }
        },
    };
    if let Some(h) = req.headers().get(HEADER) {
        return if h.to_str().is_ok_and(|h| same(h, &expected)) {
            next.run(req).await
        } else {
            refuse(&path, "安全令牌（CSRF）不正确，请刷新页面后重新提交")
        };
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => {
            return AppError::Http {
                status: axum::http::StatusCode::PAYLOAD_TOO_LARGE,
                code: "payload_too_large",
                message: "请求内容过大或读取失败".into(),
            }
            .for_path(&path);
        }
    };
    match token_in_body(&content_type, &bytes) {
        Some(t) if same(&t, &expected) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Some(_) => refuse(&path, "安全令牌（CSRF）不正确，请刷新页面后重新提交"),
        None => refuse(
            &path,
            "缺少安全令牌（CSRF）：表单须带 csrf_token 字段，接口请求须带 X-CSRF-Token 请求头",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_token_in_bodies() {
        assert_eq!(
            token_in_body(
                "application/x-www-form-urlencoded; charset=UTF-8",
                b"a=1&csrf_token=abc%20d&b=2"
            ),
            Some("abc d".into())
        );
        assert_eq!(
            token_in_body("application/x-www-form-urlencoded", b"%zz&&=="),
            None
        );
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\nhello\r\n--XyZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\ntok123\r\n--XyZ--\r\n";
        assert_eq!(
            token_in_body("multipart/form-data; boundary=XyZ", body),
            Some("tok123".into())
        );
        assert_eq!(token_in_body("application/json", b"{}"), None);
    }

    #[test]
    fn anonymous_tokens_are_bound_to_the_cookie_nonce() {
        let n1 = new_token().unwrap();
        let n2 = new_token().unwrap();
        let t1 = anonymous_token(&n1).unwrap();
        assert_eq!(t1.len(), 64);
        assert_eq!(t1, anonymous_token(&n1).unwrap());
        assert_ne!(t1, anonymous_token(&n2).unwrap());
        // The token is not the nonce (a plain double submit would be).
        assert_ne!(t1, n1);
        let mut h = HeaderMap::new();
        h.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("a=1; {ANON_COOKIE}={n1}; b=2")).unwrap(),
        );
        assert_eq!(anonymous_nonce(&h), Some(n1.clone()));
        h.insert(
            header::COOKIE,
            HeaderValue::from_static("minplan_csrf=../../etc; x=1"),
        );
        assert_eq!(anonymous_nonce(&h), None);
        assert!(
            anonymous_cookie(&n1)
                .to_str()
                .unwrap()
                .starts_with(&format!("minplan_csrf={n1}; Path=/; HttpOnly"))
        );
    }

    #[test]
    fn tokens_are_random_and_compared_exactly() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same(&a, &a.clone()));
        assert!(!same(&a, &b));
        assert!(!same(&a, &a[..63]));
    }
}
