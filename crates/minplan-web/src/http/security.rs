//! Response hardening: security headers on every response, and Chinese errors in place of the
//! bare ones that layers and extractors produce (405 from the router, 413 from the body
//! limit, 400/415/422 from an extractor's rejection, an empty 500): JSON `{code, message}`
//! under `/api/`, an HTML page elsewhere.

use crate::http::error::AppError;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// `Content-Security-Policy`: everything from this server only. Inline styles are allowed
/// because OpenLayers sets element styles; inline scripts are not.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; \
base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The origins (`https://host[:port]`) a base-map tile URL template loads images from: its
/// host, with OpenLayers' subdomain ranges `{a-c}` / `{0-7}` expanded.
///
/// # Errors
/// A Chinese message when the template is not an `http(s)://` URL with a plain host name
/// (nothing else may enter the Content-Security-Policy).
pub fn tile_origins(template: &str) -> Result<Vec<String>, String> {
    let bad = || format!("底图瓦片地址“{template}”不是有效的 http(s) 地址模板");
    let (scheme, rest) = template
        .split_once("://")
        .filter(|(s, _)| *s == "https" || *s == "http")
        .ok_or_else(bad)?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.contains('@') {
        return Err(bad());
    }
    let hosts: Vec<String> = match (host.find('{'), host.find('}')) {
        (Some(i), Some(j)) if j > i => {
            let range = &host[i + 1..j];
            let (a, b) = range.split_once('-').ok_or_else(bad)?;
            let (a, b) = match (a.chars().next(), b.chars().next()) {
                (Some(a), Some(b)) if a.is_ascii_alphanumeric() && b >= a => (a, b),
                _ => return Err(bad()),
            };
            (a..=b)
                .map(|c| format!("{}{c}{}", &host[..i], &host[j + 1..]))
                .collect()
        }
        (None, None) => vec![host.to_string()],
        _ => return Err(bad()),
    };
    if hosts.iter().any(|h| {
        !h.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == ':')
    }) {
        return Err(bad());
    }
    Ok(hosts
        .into_iter()
        .map(|h| format!("{scheme}://{h}"))
        .collect())
}

/// The Content-Security-Policy: [`CSP`], with the base-map tile hosts added to `img-src`
/// when a tile URL is configured.
pub fn csp(tile_url: Option<&str>) -> String {
    match tile_url.map(tile_origins) {
        Some(Ok(origins)) => CSP.replace(
            "img-src 'self' data: blob:",
            &format!("img-src 'self' data: blob: {}", origins.join(" ")),
        ),
        _ => CSP.to_string(),
    }
}

/// The security headers set on every response that has not set them itself.
pub fn headers(tile_url: Option<&str>) -> [(header::HeaderName, HeaderValue); 4] {
    [
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_str(&csp(tile_url)).unwrap_or(HeaderValue::from_static(CSP)),
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

/// Whether the request reached the proxy in front of the server over HTTPS, as the proxy says
/// in `header` (a setting, [`crate::WebConfig::https_header`]): `X-Forwarded-Proto: https`
/// (the first of a comma-separated list, the client's hop) or, for the standard header
/// `Forwarded` (RFC 7239), its first element's `proto=https`. `minplan serve` itself listens
/// on plain HTTP only, so the listener never says HTTPS.
pub fn behind_https(headers: &axum::http::HeaderMap, header: &str) -> bool {
    let Some(v) = headers.get(header).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let first = v.split(',').next().unwrap_or("").trim();
    if header.eq_ignore_ascii_case("forwarded") {
        first
            .split(';')
            .filter_map(|p| p.trim().split_once('='))
            .any(|(k, v)| {
                k.trim().eq_ignore_ascii_case("proto")
                    && v.trim().trim_matches('"').eq_ignore_ascii_case("https")
            })
    } else {
        first.eq_ignore_ascii_case("https")
    }
}

/// Middleware: marks every cookie the response sets `Secure` when the site is served over
/// HTTPS — always (`--secure-cookies`) or when the proxy's header says so (`https_header`,
/// `--https-header`) — so that a session cookie never travels over plain HTTP afterwards.
pub async fn secure_cookies(
    always: bool,
    https_header: Option<String>,
    req: Request,
    next: Next,
) -> Response {
    let https = always
        || https_header
            .as_deref()
            .is_some_and(|h| behind_https(req.headers(), h));
    let mut res = next.run(req).await;
    if https {
        let cookies: Vec<HeaderValue> = res
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| {
                let s = v.to_str().unwrap_or("");
                let has = s
                    .split(';')
                    .any(|a| a.trim().eq_ignore_ascii_case("secure"));
                if has {
                    v.clone()
                } else {
                    HeaderValue::from_str(&format!("{s}; Secure")).unwrap_or_else(|_| v.clone())
                }
            })
            .collect();
        res.headers_mut().remove(header::SET_COOKIE);
        for c in cookies {
            res.headers_mut().append(header::SET_COOKIE, c);
        }
    }
    res
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
    // A body refused as too large is left unread: the connection is closed after the answer,
    // and the client is told so.
    let close = status == StatusCode::PAYLOAD_TOO_LARGE;
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !(ct.is_empty() || ct.starts_with("text/plain")) {
        let mut res = res;
        if close {
            res.headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
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
    if close {
        out.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_is_read_from_the_configured_proxy_header_only() {
        let mut h = axum::http::HeaderMap::new();
        assert!(!behind_https(&h, "x-forwarded-proto"));
        h.insert("x-forwarded-proto", HeaderValue::from_static("HTTPS, http"));
        assert!(behind_https(&h, "X-Forwarded-Proto"));
        assert!(!behind_https(&h, "forwarded"));
        h.insert("x-forwarded-proto", HeaderValue::from_static("http, https"));
        assert!(!behind_https(&h, "x-forwarded-proto"));
        h.insert(
            "forwarded",
            HeaderValue::from_static("for=192.0.2.60;proto=https;by=203.0.113.43, proto=http"),
        );
        assert!(behind_https(&h, "Forwarded"));
        h.insert(
            "forwarded",
            HeaderValue::from_static("for=192.0.2.60;proto=http"),
        );
        assert!(!behind_https(&h, "forwarded"));
    }

    #[test]
    fn tile_hosts_enter_img_src_only() {
        let t = "https://t{0-7}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY";
        let o = tile_origins(t).unwrap();
        assert_eq!(o.len(), 8);
        assert_eq!(o[0], "https://t0.tianditu.gov.cn");
        assert_eq!(o[7], "https://t7.tianditu.gov.cn");
        let c = csp(Some(t));
        assert!(c.contains("img-src 'self' data: blob: https://t0.tianditu.gov.cn"));
        assert!(c.contains("connect-src 'self';"));
        assert_eq!(
            tile_origins("http://localhost:8081/{z}/{x}/{y}.png").unwrap(),
            ["http://localhost:8081"]
        );
        for bad in [
            "ftp://x/{z}",
            "https://",
            "https://a b/{z}",
            "https://x;script-src *",
            "https://u@h/",
            "javascript:alert(1)",
        ] {
            assert!(tile_origins(bad).is_err(), "{bad}");
            assert_eq!(csp(Some(bad)), CSP);
        }
        assert_eq!(csp(None), CSP);
    }
}
