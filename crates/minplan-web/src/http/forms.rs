//! Request bodies read without surprises: a form body as name → value pairs (malformed bodies
//! are empty forms, never errors the user cannot read), a JSON body with a Chinese 400, and
//! per-field errors for re-displaying a form.

use crate::http::error::AppError;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, header};
use minplan_store::FieldError;
use serde::de::DeserializeOwned;
use std::collections::HashMap;

/// A submitted `application/x-www-form-urlencoded` form.
#[derive(Debug, Clone, Default)]
pub struct FormData(HashMap<String, String>);

impl FormData {
    /// Parses a body; undecodable input gives an empty form (each field is then "missing").
    pub fn parse(body: &[u8]) -> FormData {
        FormData(
            serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
                .map(|v| v.into_iter().collect())
                .unwrap_or_default(),
        )
    }

    /// A field's value, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.0.get(name).map_or("", String::as_str)
    }
}

/// A file sent with a multipart form.
#[derive(Debug, Clone, Default)]
pub struct UploadedFile {
    /// The file name the browser sent (without directories).
    pub file_name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// A submitted form — `application/x-www-form-urlencoded` or `multipart/form-data` — as
/// fields and files. Nothing about it is an error the user cannot read: a body that cannot be
/// decoded gives an empty form and [`SubmittedForm::problem`] says why.
#[derive(Debug, Clone, Default)]
pub struct SubmittedForm {
    fields: HashMap<String, String>,
    files: HashMap<String, Vec<UploadedFile>>,
    /// Why the body could not be read (Chinese), if it could not.
    pub problem: Option<String>,
}

impl SubmittedForm {
    /// Reads a form body of either encoding (the body limit applies before).
    pub async fn read(headers: &HeaderMap, body: Bytes) -> SubmittedForm {
        let ct = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        if !ct.to_ascii_lowercase().starts_with("multipart/form-data") {
            return SubmittedForm {
                fields: FormData::parse(&body).0,
                ..SubmittedForm::default()
            };
        }
        let mut out = SubmittedForm::default();
        let req = match Request::builder()
            .header(header::CONTENT_TYPE, &ct)
            .body(Body::from(body))
        {
            Ok(r) => r,
            Err(_) => {
                out.problem = Some("表单内容类型无法识别".into());
                return out;
            }
        };
        // The body was read within the server's request limit already; axum's multipart
        // reader would otherwise apply its own default of 2 MiB and refuse larger uploads
        // with a misleading message.
        let reader = tower::Layer::layer(
            &axum::extract::DefaultBodyLimit::disable(),
            tower::service_fn(|req: Request| async move {
                Ok::<_, std::convert::Infallible>(Multipart::from_request(req, &()).await)
            }),
        );
        let mut mp = match tower::ServiceExt::oneshot(reader, req).await {
            Ok(Ok(m)) => m,
            Ok(Err(_)) | Err(_) => {
                out.problem = Some("表单格式错误（multipart 边界缺失或无效）".into());
                return out;
            }
        };
        loop {
            match mp.next_field().await {
                Ok(Some(field)) => {
                    let name = field.name().unwrap_or("").to_string();
                    let file_name = field.file_name().map(|f| {
                        // Browsers on Windows may send the full path.
                        f.rsplit(['/', '\\'])
                            .next()
                            .unwrap_or("")
                            .trim()
                            .to_string()
                    });
                    let bytes = match field.bytes().await {
                        Ok(b) => b,
                        Err(_) => {
                            out.problem = Some("表单内容不完整或格式错误".into());
                            return out;
                        }
                    };
                    match file_name {
                        // A file input left empty sends a part with an empty file name.
                        Some(f) if f.is_empty() && bytes.is_empty() => {}
                        Some(file_name) => {
                            out.files.entry(name).or_default().push(UploadedFile {
                                file_name,
                                bytes: bytes.to_vec(),
                            });
                        }
                        None => {
                            out.fields
                                .insert(name, String::from_utf8_lossy(&bytes).into_owned());
                        }
                    }
                }
                Ok(None) => return out,
                Err(_) => {
                    out.problem = Some("表单内容不完整或格式错误".into());
                    return out;
                }
            }
        }
    }

    /// A field's value, or "" when absent.
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    /// Whether a checkbox is ticked (`on`, `1`, `true`, `是`).
    pub fn checked(&self, name: &str) -> bool {
        matches!(self.get(name).trim(), "on" | "1" | "true" | "是")
    }

    /// The uploaded file of the file input `name`, if one was chosen.
    pub fn file(&self, name: &str) -> Option<&UploadedFile> {
        self.files.get(name).and_then(|f| f.first())
    }

    /// Every file sent under `name` (an `<input type="file" multiple>`), in the order sent.
    pub fn files(&self, name: &str) -> &[UploadedFile] {
        self.files.get(name).map_or(&[], Vec::as_slice)
    }
}

/// Parses a JSON body into `T`.
///
/// # Errors
/// [`AppError::BadRequest`] naming what is wrong (in Chinese, with serde's detail).
pub fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    if body.is_empty() {
        return Err(AppError::BadRequest("请求体为空，应为 JSON 对象".into()));
    }
    // Every request body is an object; serde would also fill a struct from an array.
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(AppError::BadRequest("请求体应为 JSON 对象（{…}）".into()));
    }
    serde_json::from_slice(body).map_err(|e| {
        AppError::BadRequest(format!(
            "请求体不是有效的 JSON 或缺少字段：{}",
            minplan_domain::serde_zh::zh(&e.to_string())
        ))
    })
}

impl From<FieldErrors> for AppError {
    /// A form's refused fields as [`AppError::Invalid`] (422).
    fn from(e: FieldErrors) -> AppError {
        AppError::Invalid(e.0)
    }
}

/// Field errors of a form, looked up by field name in templates.
#[derive(Debug, Clone, Default)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// The message for `field`, or "".
    pub fn get(&self, field: &str) -> &str {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map_or("", |e| e.message.as_str())
    }

    /// Messages of errors not tied to a field shown on the form.
    pub fn others(&self, shown: &[&str]) -> Vec<String> {
        self.0
            .iter()
            .filter(|e| !shown.contains(&e.field.as_str()))
            .map(|e| e.message.clone())
            .collect()
    }

    /// Adds a problem.
    pub fn push(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds the errors of `other` for fields that have none here (the first word on a field
    /// stays).
    pub fn merge_missing(&mut self, other: FieldErrors) {
        for e in other.0 {
            if self.get(&e.field).is_empty() {
                self.0.push(e);
            }
        }
    }
}
