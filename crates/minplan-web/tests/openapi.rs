//! The OpenAPI document lists every `/api/` route of the router with its method, and the
//! browsable page is served from the binary without inline scripts.

mod common;

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
    assert!(review_422.to_string().contains("ApiError"), "{review_422}");
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
