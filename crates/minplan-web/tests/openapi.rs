//! The OpenAPI document lists every `/api/` route of the router with its method, and the
//! browsable page is served from the binary without inline scripts.

mod common;

use common::schema;
use common::*;
use serde_json::Value;

#[tokio::test]
async fn every_api_route_of_the_router_is_documented() {
    let srv = start().await;
    let r = reqwest::get(format!("{}/api/openapi.json", srv.base))
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let doc: Value = r.json().await.unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3."),
        "{}",
        doc["openapi"]
    );
    let paths = doc["paths"].as_object().unwrap();
    let mut missing = Vec::new();
    let mut api_routes = 0;
    for (method, path) in routes_in_source() {
        if !path.starts_with("/api/") {
            continue;
        }
        api_routes += 1;
        let documented = path.replace("{*", "{");
        let op = &paths.get(&documented).unwrap_or(&Value::Null)[method.to_lowercase()];
        if !op.is_object() {
            missing.push(format!("{method} {path}"));
        } else {
            assert!(
                op["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{method} {path} has no responses"
            );
        }
    }
    assert!(api_routes >= 30, "{api_routes}");
    assert!(missing.is_empty(), "not in /api/openapi.json: {missing:?}");
    // The error shape is a schema, and error responses use it.
    let err = &doc["components"]["schemas"]["ApiError"];
    assert!(err["properties"]["code"].is_object() && err["properties"]["message"].is_object());
    let review_422 = &paths["/api/reviews"]["post"]["responses"]["422"];
    assert!(
        review_422.to_string().contains("ApplicationRefused"),
        "{review_422}"
    );
    let refused = &doc["components"]["schemas"]["ApplicationRefused"]["properties"];
    for p in ["code", "message", "fields", "errors", "corner_check"] {
        assert!(refused[p].is_object(), "ApplicationRefused.{p}: {refused}");
    }
    assert!(
        doc["components"]["securitySchemes"]["csrf"]["name"] == "X-CSRF-Token",
        "{}",
        doc["components"]["securitySchemes"]
    );
}

#[tokio::test]
async fn the_browsable_page_is_embedded_and_needs_no_inline_script() {
    let srv = start().await;
    let c = client();
    let r = c
        .get(format!("{}/api/docs", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/api/docs/");
    let r = c
        .get(format!("{}/api/docs/", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    let html = r.text().await.unwrap();
    assert!(html.contains("swagger-ui-bundle.js"));
    // Every script has a src: the CSP allows no inline script.
    assert_eq!(
        html.matches("<script").count(),
        html.matches("<script src=").count()
    );
    let init = c
        .get(format!("{}/api/docs/swagger-initializer.js", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(init.contains("/api/openapi.json"), "{init}");
    let r = c
        .get(format!("{}/api/docs/no-such-file.js", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

/// Every JSON answer the document describes for an `/api/` route names its schema (a
/// component, not an inline `object`), and every error answer of an `/api/` route is JSON.
#[test]
fn every_api_answer_of_the_document_names_its_schema() {
    let doc = document();
    let mut unnamed = Vec::new();
    let mut answers = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        if !path.starts_with("/api/") || path.starts_with("/api/docs") {
            continue;
        }
        for (method, op) in item.as_object().unwrap() {
            for (status, r) in op["responses"].as_object().into_iter().flatten() {
                answers += 1;
                let schema = &r["content"]["application/json"]["schema"];
                let error = status.starts_with('4') || status.starts_with('5');
                if schema.is_null() && (error || path != "/api/openapi.json") {
                    unnamed.push(format!("{method} {path} {status}: no JSON schema"));
                } else if !schema.is_null() && schema.get("$ref").is_none() {
                    unnamed.push(format!("{method} {path} {status}: inline {schema}"));
                }
            }
        }
    }
    assert!(answers > 150, "{answers}");
    assert!(unnamed.is_empty(), "{}", unnamed.join("\n"));
}

/// The checker the test server runs every `/api/` answer through finds a wrong shape: a
/// missing required property, an undeclared one, a wrong type, an undocumented status.
#[test]
fn the_document_checker_refuses_answers_of_another_shape() {
    let doc = document();
    let ok = r#"{"code":"not_found","message":"没有该图层版本"}"#.as_bytes();
    let json = Some("application/json");
    schema::check_response(doc, "GET", "/api/layers/7", 404, json, ok).unwrap();
    for (status, body) in [
        (404, &br#"{"code":"not_found"}"#[..]),
        (404, br#"{"code":"not_found","message":"x","detail":1}"#),
        (404, br#"{"code":404,"message":"x"}"#),
        (418, ok),
    ] {
        let r = schema::check_response(doc, "GET", "/api/layers/7", status, json, body);
        assert!(r.is_err(), "{status} {}", String::from_utf8_lossy(body));
    }
    // A literal segment is matched before a parameter.
    assert!(schema::documented_schema(doc, "GET", "/api/audit/verify", 200).is_ok());
}
