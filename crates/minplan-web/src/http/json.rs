//! Values put on the wire through serde: the name serde gives a unit enum variant, and any
//! value as a JSON value for a free-form part of a typed answer.

use crate::http::error::AppError;
use serde::Serialize;

/// The text serde writes for `v` when it is a string (a unit enum variant: `snake_case` name
/// or Chinese label, as the type declares); "" for anything else.
pub fn serde_name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// `v` as a JSON value.
///
/// # Errors
/// [`AppError::Store`] (500) when serde cannot write it (a non-finite float, a map with
/// non-string keys): never answered as `null`.
pub fn json_value<T: Serialize>(v: &T) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(v)
        .map_err(|e| AppError::Store(minplan_store::StoreError::Internal(e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values() {
        #[derive(Serialize)]
        #[serde(rename_all = "snake_case")]
        enum K {
            EcologicalRedLine,
        }
        assert_eq!(serde_name(&K::EcologicalRedLine), "ecological_red_line");
        assert_eq!(serde_name(&3), "");
        assert_eq!(json_value(&[1, 2]).unwrap(), serde_json::json!([1, 2]));
        let bad: std::collections::HashMap<(i32, i32), i32> = [((1, 2), 3)].into();
        assert!(json_value(&bad).is_err());
    }
}
