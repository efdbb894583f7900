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

/// A layer export (`?format=shp|gpkg|kml|dxf|xlsx|geojson`, default `gpkg`; `?epsg=4490` for
/// lon/lat Shapefile/GeoPackage; `?layer=名称` for one layer of the set) of `set` as an attachment
/// ([`minplan_store::Store::export_file`]). Callers check the user's right to see `set` first.
///
/// # Errors
/// 400 for an unknown format or EPSG code; 404 when the set does not exist; 422 when the
/// format cannot hold a value (the field named).
pub async fn layer_export(
    st: &crate::AppState,
    set: minplan_store::ExportSet,
    q: &std::collections::HashMap<String, String>,
) -> Result<Response, crate::http::error::AppError> {
    use crate::http::error::AppError;
    let f = q.get("format").map_or("gpkg", String::as_str);
    let format = minplan_io::ExportFormat::parse(f).ok_or_else(|| {
        AppError::BadRequest(format!(
            "导出格式“{f}”应为 shp、gpkg、kml、dxf、xlsx、geojson 之一"
        ))
    })?;
    let crs = match q.get("epsg").map(|e| e.trim()).filter(|e| !e.is_empty()) {
        None => None,
        Some(e) => Some(
            e.parse::<u32>()
                .ok()
                .and_then(|c| minplan_geo::Crs::from_epsg(c).ok())
                .ok_or_else(|| {
                    AppError::BadRequest(format!("坐标系“{e}”应为 4490 或 4491–4554"))
                })?,
        ),
    };
    let file = match st
        .store
        .export_file(
            set,
            format,
            crs,
            None,
            q.get("layer").map(String::as_str).filter(|l| !l.is_empty()),
        )
        .await
    {
        Ok(f) => f,
        Err(minplan_store::StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
        Err(minplan_store::StoreError::BadInput(m)) => return Err(AppError::BadRequest(m)),
        Err(e) => return Err(e.into()),
    };
    let fallback = format!("export.{}", format.extension());
    Ok(attachment(
        file.bytes,
        file.mime,
        &file.file_name,
        &fallback,
    ))
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
