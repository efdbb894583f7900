//! Request bodies read without surprises: a form body as name → value pairs (malformed bodies
//! are empty forms, never errors the user cannot read), a JSON body with a Chinese 400, and
//! per-field errors for re-displaying a form.

use crate::error::AppError;
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

/// Parses a JSON body into `T`.
///
/// # Errors
/// [`AppError::BadRequest`] naming what is wrong (in Chinese, with serde's detail).
pub fn json_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    if body.is_empty() {
        return Err(AppError::BadRequest("请求体为空，应为 JSON 对象".into()));
    }
    serde_json::from_slice(body)
        .map_err(|e| AppError::BadRequest(format!("请求体不是有效的 JSON 或缺少字段：{e}")))
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
}
