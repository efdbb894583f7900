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

/// Reads an optional whole number 0…4 294 967 295 (`u32`) as JSON Schema's `integer` has it:
/// `44` and `44.0` alike (serde alone refuses `44.0`); a fraction, a negative or a larger
/// number is a serde error (400). For codes and zone numbers in request bodies.
///
/// # Errors
/// A serde error naming what was received.
pub fn opt_whole_u32<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    use serde::Deserialize;
    let Some(v) = Option::<serde_json::Number>::deserialize(d)? else {
        return Ok(None);
    };
    let whole = v.as_u64().or_else(|| {
        v.as_f64()
            .filter(|f| f.fract() == 0.0 && *f >= 0.0 && *f <= f64::from(u32::MAX))
            .map(|f| f as u64)
    });
    whole
        .and_then(|n| u32::try_from(n).ok())
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("应为 0～4294967295 的整数，收到 {v}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_with_or_without_a_point() {
        #[derive(serde::Deserialize)]
        struct B {
            #[serde(default, deserialize_with = "opt_whole_u32")]
            zone: Option<u32>,
        }
        let z = |t: &str| serde_json::from_str::<B>(t).map(|b| b.zone);
        assert_eq!(z(r#"{"zone": 44}"#).unwrap(), Some(44));
        assert_eq!(z(r#"{"zone": 44.0}"#).unwrap(), Some(44));
        assert_eq!(z(r#"{"zone": null}"#).unwrap(), None);
        assert_eq!(z(r#"{}"#).unwrap(), None);
        for bad in ["44.5", "-1", "4294967296", "\"44\""] {
            assert!(z(&format!(r#"{{"zone": {bad}}}"#)).is_err(), "{bad}");
        }
    }

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
