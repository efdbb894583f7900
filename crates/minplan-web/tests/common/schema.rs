//! Checks API responses against the OpenAPI document the server publishes: the documented
//! response of the route, method and status must exist and name a schema, and the body must
//! have that schema's shape (every required property present, no property the schema does
//! not declare, each value of the declared type). The test server runs every `/api/`
//! response through [`check_response`], so every HTTP test is also a test of the document.
//!
//! The validator knows the part of JSON Schema (2020-12, as utoipa writes it) the document
//! uses: `$ref`, `type` (one or a list), `properties`, `required`, `additionalProperties`,
//! `items`, `prefixItems`, `oneOf`, `anyOf`, `allOf`, `enum`.

#![allow(dead_code)]

use serde_json::Value;

/// The documented response of `method` `path` (a concrete path, matched against the
/// document's templates) with `status`: its JSON schema, or why there is none.
pub fn documented_schema<'a>(
    doc: &'a Value,
    method: &str,
    path: &str,
    status: u16,
) -> Result<Option<&'a Value>, String> {
    let paths = doc["paths"].as_object().ok_or("document has no paths")?;
    let (template, item) = paths
        .iter()
        .filter(|(t, _)| matches_template(t, path))
        // A literal segment beats a parameter: prefer the template with fewer parameters.
        .min_by_key(|(t, _)| t.matches('{').count())
        .ok_or_else(|| format!("{method} {path}: not in the document"))?;
    let op = &item[method.to_lowercase()];
    if !op.is_object() {
        return Err(format!("{method} {template}: method not in the document"));
    }
    let resp = &op["responses"][status.to_string()];
    if !resp.is_object() {
        return Err(format!(
            "{method} {template}: status {status} not documented (documented: {:?})",
            op["responses"]
                .as_object()
                .map(|r| r.keys().cloned().collect::<Vec<_>>())
        ));
    }
    Ok(resp["content"]["application/json"].get("schema"))
}

fn matches_template(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    if t.len() != p.len() {
        // `{file}` of `/api/docs/{*file}` takes the rest.
        return template.starts_with("/api/docs/")
            && t.last().is_some_and(|l| l.starts_with('{'))
            && p.len() > t.len()
            && t[..t.len() - 1]
                .iter()
                .zip(&p)
                .all(|(a, b)| a == b || a.starts_with('{'));
    }
    t.iter()
        .zip(&p)
        .all(|(a, b)| a == b || (a.starts_with('{') && !b.is_empty()))
}

/// Resolves a `$ref` to `#/components/schemas/Name`.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> Result<&'a Value, String> {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r
                .strip_prefix("#/components/schemas/")
                .ok_or_else(|| format!("unsupported $ref {r}"))?;
            let s = &doc["components"]["schemas"][name];
            if s.is_null() {
                Err(format!("$ref {r} names no schema"))
            } else {
                resolve(doc, s)
            }
        }
        None => Ok(schema),
    }
}

fn type_matches(t: &str, v: &Value) -> bool {
    match t {
        "null" => v.is_null(),
        "boolean" => v.is_boolean(),
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        _ => false,
    }
}

/// Whether `v` has the shape of `schema`; the first difference, named by its JSON path.
pub fn validate(doc: &Value, schema: &Value, v: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema)?;
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        // allOf of objects (flattened structs): the union of their properties.
        let mut merged = serde_json::Map::new();
        let mut required = Vec::new();
        for s in all {
            let s = resolve(doc, s)?;
            if let Some(p) = s.get("properties").and_then(Value::as_object) {
                merged.extend(p.clone());
            }
            if let Some(r) = s.get("required").and_then(Value::as_array) {
                required.extend(r.clone());
            }
        }
        let mut combined = schema.clone();
        combined.as_object_mut().unwrap().remove("allOf");
        combined["type"] = "object".into();
        combined["properties"] = Value::Object(merged);
        combined["required"] = Value::Array(required);
        return validate(doc, &combined, v, at);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(alts) = schema.get(key).and_then(Value::as_array) {
            let errors: Vec<String> = alts
                .iter()
                .filter_map(|s| validate(doc, s, v, at).err())
                .collect();
            if errors.len() == alts.len() {
                return Err(format!("{at}: matches no alternative of {key}: {errors:?}"));
            }
            return Ok(());
        }
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return Err(format!("{at}: {v} not one of {e:?}"));
    }
    match schema.get("type") {
        Some(Value::String(t)) if !type_matches(t, v) => {
            return Err(format!("{at}: expected {t}, got {v}"));
        }
        Some(Value::Array(ts))
            if !ts
                .iter()
                .any(|t| t.as_str().is_some_and(|t| type_matches(t, v))) =>
        {
            return Err(format!("{at}: expected one of {ts:?}, got {v}"));
        }
        _ => {}
    }
    if let Some(o) = v.as_object()
        && let Some(props) = schema.get("properties").and_then(Value::as_object)
    {
        for r in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let r = r.as_str().unwrap_or_default();
            if !o.contains_key(r) {
                return Err(format!("{at}: required property `{r}` missing"));
            }
        }
        let extra_allowed = schema.get("additionalProperties");
        for (k, val) in o {
            match props.get(k) {
                Some(s) => validate(doc, s, val, &format!("{at}.{k}"))?,
                None => match extra_allowed {
                    Some(Value::Bool(true)) => {}
                    Some(s @ Value::Object(_)) => validate(doc, s, val, &format!("{at}.{k}"))?,
                    _ => return Err(format!("{at}: property `{k}` is not in the schema")),
                },
            }
        }
    } else if let (Some(o), Some(Value::Object(_))) =
        (v.as_object(), schema.get("additionalProperties"))
    {
        let s = &schema["additionalProperties"];
        for (k, val) in o {
            validate(doc, s, val, &format!("{at}.{k}"))?;
        }
    }
    if let Some(a) = v.as_array() {
        let prefix = schema.get("prefixItems").and_then(Value::as_array);
        for (i, item) in a.iter().enumerate() {
            let s = prefix
                .and_then(|p| p.get(i))
                .or_else(|| schema.get("items"));
            if let Some(s) = s.filter(|s| s.is_object()) {
                validate(doc, s, item, &format!("{at}[{i}]"))?;
            }
        }
    }
    Ok(())
}

/// Checks one API response against the document: `Ok` when it is documented with a named
/// schema and the body has its shape (or is not JSON and the document says no JSON).
pub fn check_response(
    doc: &Value,
    method: &str,
    path: &str,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<(), String> {
    let paths = doc["paths"].as_object().ok_or("document has no paths")?;
    let known_path = paths.keys().any(|t| matches_template(t, path));
    let known_method = paths
        .iter()
        .filter(|(t, _)| matches_template(t, path))
        .any(|(_, item)| item[method.to_lowercase()].is_object());
    // An unknown path is 404 and an undocumented method 405 (a write without its CSRF token:
    // 403 first), all with the error schema.
    let fallback = match (known_path, known_method) {
        (false, _) => Some(404),
        (true, false) => Some(405),
        _ => None,
    };
    if let Some(expected) = fallback {
        // The CSRF check runs before routing: an unknown write is refused as such first.
        let csrf_first = method != "GET" && status == 403;
        if status != expected && !csrf_first {
            return Err(format!(
                "{method} {path}: not in the document, answered {status} instead of {expected}"
            ));
        }
        let v: Value = serde_json::from_slice(body)
            .map_err(|e| format!("{method} {path} {status}: body is not JSON: {e}"))?;
        let schema = serde_json::json!({ "$ref": "#/components/schemas/ApiError" });
        return validate(doc, &schema, &v, "$")
            .map_err(|e| format!("{method} {path} {status}: {e}"));
    }
    let schema = documented_schema(doc, method, path, status)?;
    let is_json = content_type.is_some_and(|c| c.starts_with("application/json"));
    match (schema, is_json) {
        (None, false) => Ok(()),
        (None, true) => Err(format!(
            "{method} {path} {status}: JSON body but the document declares no JSON schema"
        )),
        (Some(_), false) => Err(format!(
            "{method} {path} {status}: the document declares JSON, the answer is {content_type:?}"
        )),
        (Some(s), true) => {
            if s.get("$ref").is_none() {
                return Err(format!(
                    "{method} {path} {status}: the documented schema is not a named schema: {s}"
                ));
            }
            let v: Value = serde_json::from_slice(body)
                .map_err(|e| format!("{method} {path} {status}: body is not JSON: {e}"))?;
            validate(doc, s, &v, "$").map_err(|e| format!("{method} {path} {status}: {e}"))
        }
    }
}
