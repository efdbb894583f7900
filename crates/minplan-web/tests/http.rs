//! Every page and API route over real HTTP on an ephemeral port, with the expected content.

use minplan_store::{Store, default_bundle};
use minplan_web::{AppState, serve};
use serde_json::Value;

async fn start() -> String {
    let store = Store::open_in_memory().await.unwrap();
    store.seed_if_empty(&default_bundle()).await.unwrap();
    let state = AppState::new(store).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, state));
    format!("http://{addr}")
}

async fn get(base: &str, path: &str) -> (u16, String, String) {
    let r = reqwest::get(format!("{base}{path}")).await.unwrap();
    let status = r.status().as_u16();
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, ct, r.text().await.unwrap())
}

async fn json(base: &str, path: &str) -> Value {
    let (s, ct, body) = get(base, path).await;
    assert_eq!(s, 200, "{path}: {body}");
    assert!(ct.starts_with("application/json"), "{path}: {ct}");
    serde_json::from_str(&body).unwrap()
}

/// The text between `<table … id="{id}"` and its `</table>`.
fn table<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no table {id}"));
    let end = html[start..].find("</table>").unwrap();
    &html[start..start + end]
}

#[tokio::test]
async fn overview_page() {
    let base = start().await;
    let (s, ct, html) = get(&base, "/").await;
    assert_eq!(s, 200);
    assert!(ct.starts_with("text/html"));
    for needle in [
        "绥芬河市矿产资源总体规划（2021～2025年）",
        "231081",
        "2021～2025 年",
        "绥芬河镇、阜宁镇",
        "EPSG:4532",
        "data-key=\"region_area\"",
        ">460<",
        ">0.0212<",
        "庆发采石场建筑用凝灰岩产业区域",
        "禁止可耕地的砖瓦用粘土项目开采",
        "≥ 5 万立方米/年",
        // Every cap in the plan's terms: what it counts, for which rights.
        "矿山企业数量（矿山企业数）",
        "本级审批发证的矿山数量（矿山数，本级审批发证）",
        "地下热水（年开采量）",
        "≤ 96 万立方米/年",
        "href=\"/text#L",
        "示意",
    ] {
        assert!(html.contains(needle), "overview lacks {needle}");
    }
}

#[tokio::test]
async fn indicators_page_shows_the_six_indicators_of_zhuanlan2() {
    let base = start().await;
    let (s, _, html) = get(&base, "/indicators").await;
    assert_eq!(s, 200);
    let t = table(&html, "zhuanlan2");
    assert_eq!(t.matches("<tr data-key=").count(), 6);
    for (name, target) in [
        ("矿业总产值", "≥1000"),
        ("矿山企业数量", "≤3"),
        ("大中型矿山比例", "&#62;33"),
        ("建筑用石", "≤10"),
        ("矿泉水", "≤3.6"),
        ("地下热水", "≤96"),
    ] {
        assert!(t.contains(name) && t.contains(target), "{name} {target}");
    }
    assert_eq!(t.matches(">预期性<").count(), 6);
    // An empty register: no mine had to report last year, so 产值 and the three 开采总量 have
    // no data (not 0, 未达标), nor has 大中型矿山比例 (no mine to classify); nor the count of
    // mines — a register with no right at all was never entered, so it is 无数据, not 0.
    assert_eq!(t.matches(">—<").count(), 6, "{t}");
    assert_eq!(t.matches(">0（").count(), 0, "{t}");
    assert!(!t.contains("未达标"), "{t}");
    // The target the plan sets outside 专栏2 is shown under its own place (规划目标).
    let other = table(&html, "table-1");
    assert!(other.contains("提供中型矿产地"), "{other}");
    assert!(html.contains("<h2>规划目标</h2>"), "{html}");
}

#[tokio::test]
async fn previous_round_page_shows_completion() {
    let base = start().await;
    let (s, _, html) = get(&base, "/previous-round").await;
    assert_eq!(s, 200);
    let t = table(&html, "zhuanlan1");
    for needle in [
        ">12.7<",
        ">14.5<",
        ">22<",
        ">11<",
        ">0.0%<",
        ">50.0%<",
        "重点治理项目",
    ] {
        assert!(t.contains(needle), "专栏1 lacks {needle}");
    }
}

#[tokio::test]
async fn blocks_page_lists_all_eight_blocks_and_the_map() {
    let base = start().await;
    let (s, _, html) = get(&base, "/blocks").await;
    assert_eq!(s, 200);
    let t = table(&html, "blocks-table");
    for n in [
        "231081-K01",
        "231081-K02",
        "231081-K03",
        "231081-C01",
        "231081-C02",
        "231081-C03",
        "231081-C04",
        "231081-C05",
    ] {
        assert!(t.contains(&format!("data-number=\"{n}\"")), "{n}");
    }
    assert_eq!(t.matches("badge schematic").count(), 8);
    assert!(html.contains("id=\"map\""));
    assert!(html.contains("data-epsg=\"4553\""));
    assert!(html.contains("/assets/vendor/ol-10.11.0/ol.js"));
    assert!(html.contains("/assets/map.js"));
}

#[tokio::test]
async fn plan_text_page_has_the_headings() {
    let base = start().await;
    let (s, _, html) = get(&base, "/text").await;
    assert_eq!(s, 200);
    assert!(html.contains("id=\"L348\""));
    assert!(html.contains("专栏 2"));
    assert!(html.contains("四、矿产资源勘查开发布局"));
}

#[tokio::test]
async fn api_plan() {
    let base = start().await;
    let v = json(&base, "/api/plan").await;
    assert_eq!(
        v["identity"]["name"]["value"],
        "绥芬河市矿产资源总体规划（2021～2025年）"
    );
    assert_eq!(v["identity"]["name"]["cite"], "总则");
    assert_eq!(v["identity"]["base_year"]["value"], 2020);
    assert_eq!(v["region"]["zone"]["epsg"], 4532);
    assert_eq!(v["version"]["version"], 1);
    assert_eq!(v["blocks"].as_array().unwrap().len(), 8);
    assert_eq!(v["previous_round"].as_array().unwrap().len(), 3);
    assert_eq!(v["previous_round"][2]["completion_percent"], 50.0);
    assert_eq!(v["admission"]["mine_cap_total"]["value"], 3);
    assert_eq!(v["admission"]["mine_cap_this_level"]["value"], 2);
    assert_eq!(v["control_layers"].as_array().unwrap().len(), 4);
    let area = v["baseline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "region_area")
        .unwrap();
    assert_eq!(
        (
            area["value"].as_f64(),
            area["unit"].as_str(),
            area["cite"].as_str()
        ),
        (Some(460.0), Some("km²"), Some("一（一）1"))
    );
}

#[tokio::test]
async fn api_indicators() {
    let base = start().await;
    let v = json(&base, "/api/plan/indicators").await;
    let inds: Vec<&Value> = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["table"] == "专栏2")
        .collect();
    assert_eq!(inds.len(), 6);
    let got: Vec<(f64, &str)> = inds
        .iter()
        .map(|i| {
            (
                i["target"].as_f64().unwrap(),
                i["comparison"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (1000.0, "≥"),
            (3.0, "≤"),
            (33.0, ">"),
            (10.0, "≤"),
            (3.6, "≤"),
            (96.0, "≤")
        ]
    );
    assert!(
        inds.iter()
            .all(|i| i["current"].is_null() && i["attribute"] == "预期性")
    );
}

#[tokio::test]
async fn api_blocks_geojson() {
    let base = start().await;
    let v = json(&base, "/api/plan/blocks").await;
    assert_eq!(v["type"], "FeatureCollection");
    let fs = v["features"].as_array().unwrap();
    assert_eq!(fs.len(), 8);
    let count = |kind: &str, approval: &str| {
        fs.iter()
            .filter(|f| f["properties"]["kind"] == kind && f["properties"]["approval"] == approval)
            .count()
    };
    assert_eq!(
        (
            count("勘查", "市级划定"),
            count("开采", "市级划定"),
            count("开采", "本级审批发证")
        ),
        (3, 3, 2)
    );
    assert!(fs.iter().all(|f| f["properties"]["示意"] == true));
    // RFC 7946: lon, lat inside the county's box; exterior ring counter-clockwise and closed.
    for f in fs {
        let ring = f["geometry"]["coordinates"][0].as_array().unwrap();
        assert_eq!(ring.first(), ring.last());
        let pts: Vec<(f64, f64)> = ring
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect();
        assert!(
            pts.iter()
                .all(|(lon, lat)| (130.9..131.3).contains(lon) && (44.2..44.6).contains(lat))
        );
        let signed: f64 = pts
            .windows(2)
            .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
            .sum();
        assert!(signed > 0.0, "{} is clockwise", f["id"]);
    }
    let quarries: f64 = fs
        .iter()
        .filter(|f| f["properties"]["approval"] == "本级审批发证")
        .map(|f| f["properties"]["area_km2"].as_f64().unwrap())
        .sum();
    assert!((quarries - 0.05).abs() < 1e-4, "{quarries}");
}

#[tokio::test]
async fn api_layers_and_outline() {
    let base = start().await;
    let idx = json(&base, "/api/plan/layers").await;
    assert_eq!(idx["layers"].as_array().unwrap().len(), 4);
    for slug in [
        "ecological_red_line",
        "permanent_basic_farmland",
        "urban_development_boundary",
        "visible_corridor",
    ] {
        let v = json(&base, &format!("/api/plan/layers/{slug}")).await;
        let fs = v["features"].as_array().unwrap();
        assert!(!fs.is_empty(), "{slug}");
        assert!(fs.iter().all(|f| f["properties"]["schematic"] == true));
    }
    let o = json(&base, "/api/plan/outline").await;
    assert_eq!(o["features"][0]["id"], "231081");
    assert!((o["features"][0]["properties"]["area_km2"].as_f64().unwrap() - 460.0).abs() < 0.05);
    let plans = json(&base, "/api/plans").await;
    assert_eq!(plans["plans"][0]["adcode"], "231081");
}

#[tokio::test]
async fn assets_are_embedded() {
    let base = start().await;
    let (s, ct, body) = get(&base, "/assets/vendor/ol-10.11.0/ol.js").await;
    assert_eq!(s, 200);
    assert!(ct.contains("javascript"), "{ct}");
    assert!(body.len() > 500_000);
    let (s, ct, _) = get(&base, "/assets/app.css").await;
    assert_eq!((s, ct.starts_with("text/css")), (200, true));
    let (s, _, _) = get(&base, "/assets/vendor/proj4-2.22.0/proj4.js").await;
    assert_eq!(s, 200);
    let (s, _, _) = get(&base, "/assets/../Cargo.toml").await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn unknown_routes_are_404_in_chinese() {
    let base = start().await;
    let (s, ct, body) = get(&base, "/api/nope").await;
    assert_eq!(s, 404);
    assert!(ct.starts_with("application/json"));
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["code"], "not_found");
    assert!(v["message"].as_str().unwrap().contains("没有这个页面"));
    let (s, _, body) = get(&base, "/api/plan/layers/no_such_layer").await;
    assert_eq!(s, 404);
    assert!(body.contains("没有名为"));
    let (s, ct, body) = get(&base, "/nope").await;
    assert_eq!(s, 404);
    assert!(ct.starts_with("text/html") && body.contains("没有这个页面"));
}
