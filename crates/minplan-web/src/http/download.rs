//! File downloads: the `Content-Disposition` of a file whose name is Chinese.

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// `bytes` as an attachment of type `mime` named `name` (UTF-8 in `filename*`, RFC 6266 /
/// RFC 8187), with the ASCII `fallback` name for clients that read only `filename`. Not
/// cached (`Cache-Control: no-store`): the files are official records.
pub fn attachment(bytes: Vec<u8>, mime: &'static str, name: &str, fallback: &str) -> Response {
    let mut resp = bytes.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    let fallback: String = fallback
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || "-._".contains(*c))
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{}",
        rfc8187(name)
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

/// The MIME type of a Word document.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
/// The MIME type of an Excel workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Percent-encodes a file name for `filename*=UTF-8''…` (RFC 8187 `attr-char` kept).
fn rfc8187(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_names_are_percent_encoded_and_the_fallback_is_ascii() {
        let r = attachment(vec![1], DOCX, "审查意见书-A/1.docx", "review-7.docx");
        let cd = r.headers()[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert_eq!(
            cd,
            "attachment; filename=\"review-7.docx\"; filename*=UTF-8''%E5%AE%A1%E6%9F%A5%E6%84%8F%E8%A7%81%E4%B9%A6-A%2F1.docx"
        );
        assert_eq!(r.headers()[header::CONTENT_TYPE], DOCX);
    }
}
