//! 生态修复 over HTTP as 生态修复 (xiufu): the Suifenhe seed shown against the plan's baseline,
//! a legacy mine entered from corner coordinates (refusals write nothing), its status steps,
//! a project whose funding must add up, an acceptance refused while its site is 治理中 and
//! accepted once 已治理 (the site then 已验收), the map's GeoJSON with the 示意 entries, and
//! who may not read or write.

mod common;

use common::*;
use minplan_store::Actor;
use reqwest::StatusCode;
use serde_json::Value;

const CORNERS: &str = "1,4925000.00,44430000.00\n2,4925000.00,44430200.00\n\
                       3,4925100.00,44430200.00\n4,4925100.00,44430000.00\n";

async fn post(
    c: &reqwest::Client,
    base: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let csrf = token(c, base).await;
    let mut f: Vec<(&str, &str)> = fields.to_vec();
    f.push(("csrf_token", csrf.as_str()));
    c.post(format!("{base}{path}"))
        .form(&f)
        .send()
        .await
        .unwrap()
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

async fn page(c: &reqwest::Client, base: &str, path: &str) -> String {
    let r = c.get(format!("{base}{path}")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    r.text().await.unwrap()
}

#[tokio::test]
async fn legacy_mine_project_and_acceptance_over_http() {
    let srv = start().await;
    let base = &srv.base;
    let c = logged_in(base, "xiufu").await;
    let landing = page(&c, base, "/restoration").await;
    assert!(
        landing.contains("无数据：尚未录入历史遗留矿山"),
        "{landing}"
    );

    // The seed: 14 schematic legacy mines, 11 baseline projects, shown against the plan.
    let out = srv
        .store
        .seed_restoration_baseline(&Actor::System)
        .await
        .unwrap();
    assert_eq!((out.legacy_mines, out.projects), (14, 11));
    let landing = page(&c, base, "/restoration").await;
    assert!(landing.contains("schematic-note"));
    assert!(
        landing.contains(
            "<td>矿山生态修复项目（含 2015～2020 年）</td><td class=\"num\">11</td><td class=\"num\">11</td>"
        ),
        "{landing}"
    );
    assert!(
        landing.contains(
            "<td>修复项目投资</td><td class=\"num\">350.00</td><td class=\"num\">350</td>"
        )
    );
    assert!(landing.contains(
        "<td>修复项目区面积</td><td class=\"num\">0.0212</td><td class=\"num\">0.0212</td>"
    ));
    assert!(landing.contains(
        "<td>重点治理项目（已验收）</td><td class=\"num\">11</td><td class=\"num\">目标 22，完成 11</td>"
    ));
    let map: Value = c
        .get(format!("{base}/api/restoration/map"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let features = map["features"].as_array().unwrap();
    assert_eq!(features.len(), 14);
    assert!(
        features
            .iter()
            .all(|f| f["properties"]["schematic"] == "示意")
    );
    assert!(
        features
            .iter()
            .all(|f| f["geometry"]["type"] == "MultiPolygon")
    );

    // A refused entry: the stated area does not match, the reason is missing — nothing written.
    let rows = audit_rows(&srv.store).await;
    let mut fields = vec![
        ("name", "阜宁镇废弃采石场"),
        ("township", "阜宁镇"),
        ("village", "建新村"),
        ("mineral", "建筑用花岗岩"),
        ("method", "露天"),
        ("finding_1", "on"),
        ("finding_note_1", "采坑"),
        ("no_responsible", "on"),
        ("direction", "林地"),
        ("reason", ""),
        ("corners", CORNERS),
        ("datum", "CGCS2000"),
        ("stated_area", "5公顷"),
    ];
    let r = post(&c, base, "/restoration/legacy", &fields).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("请填写修复方向的理由"), "{body}");
    assert!(
        body.contains("所填面积“5公顷”与拐点坐标计算的椭球面积"),
        "{body}"
    );
    assert_eq!(audit_rows(&srv.store).await, rows);
    fields[9].1 = "周边为林地，宜林则林";
    fields[12].1 = "2公顷";
    let r = post(&c, base, "/restoration/legacy", &fields).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let mine_url = location(&r).replace("?saved=1", "");
    let mine = page(&c, base, &mine_url).await;
    assert!(mine.contains("<td id=\"legacy-status\">未治理"), "{mine}");
    assert!(mine.contains("0.0200 平方公里"));
    assert!(mine.contains("无责任主体"));
    assert!(mine.contains("损毁土地（采坑）"));

    // No skipping to 已验收.
    let r = post(
        &c,
        base,
        &format!("{mine_url}/status"),
        &[
            ("status", "已验收"),
            ("accepted_on", "2026-11-30"),
            ("accepted_by", "绥芬河市自然资源局"),
            ("acceptance_number", "绥自然资验〔2026〕7号"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("须先治理完成"));
    let r = post(
        &c,
        base,
        &format!("{mine_url}/status"),
        &[("status", "治理中")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The project: funding 50 + 20 against a budget of 80 is refused.
    let id = mine_url.rsplit('/').next().unwrap().to_string();
    let site = format!("site_legacy_{id}");
    let mut project = vec![
        ("name", "阜宁镇废弃采石场生态修复"),
        ("budget", "80"),
        ("spent", "10"),
        ("restored_area", "0.02"),
        ("start", "2026-05-01"),
        ("fund_central", "50"),
        ("fund_social", "20"),
        (site.as_str(), "on"),
        ("key_project", "on"),
    ];
    let rows = audit_rows(&srv.store).await;
    let r = post(&c, base, "/restoration/projects", &project).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("各资金来源合计 70 万元，与预算 80 万元不符")
    );
    assert_eq!(audit_rows(&srv.store).await, rows);
    project[6].1 = "30";
    let r = post(&c, base, "/restoration/projects", &project).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let project_url = location(&r).replace("?saved=1", "");
    let accept = [
        ("accepted_on", "2026-11-30"),
        ("accepted_by", "绥芬河市自然资源局"),
        ("acceptance_number", "绥自然资验〔2026〕7号"),
    ];
    let r = post(&c, base, &format!("{project_url}/accept"), &accept).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("以下历史遗留矿山尚未治理完成，不能验收：阜宁镇废弃采石场（治理中）")
    );
    let r = post(
        &c,
        base,
        &format!("{mine_url}/status"),
        &[("status", "已治理")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = post(&c, base, &format!("{project_url}/accept"), &accept).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = page(&c, base, &project_url).await;
    assert!(
        p.contains("2026年11月30日，绥芬河市自然资源局，绥自然资验〔2026〕7号"),
        "{p}"
    );
    assert!(p.contains("中央财政 50 万元；社会资本（谁修复、谁受益） 30 万元"));
    let mine = page(&c, base, &mine_url).await;
    assert!(mine.contains("<td id=\"legacy-status\">已验收"), "{mine}");
    let landing = page(&c, base, "/restoration").await;
    assert!(landing.contains("<td>重点治理项目（已验收）</td><td class=\"num\">12</td>"));
    let projects = page(&c, base, "/restoration/projects").await;
    assert!(projects.contains("<th class=\"num\" id=\"projects-total-budget\">430</th>"));
    let map = page(&c, base, "/restoration/map").await;
    assert!(map.contains("/api/restoration/map"));
    assert!(map.contains("badge schematic"));

    // Who may not: a 矿山企业 reads nothing, 规划科 reads but writes nothing.
    let qiye = logged_in(base, "qiye").await;
    let r = qiye
        .get(format!("{base}/restoration"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let guihua = logged_in(base, "guihua").await;
    let list = page(&guihua, base, "/restoration/legacy").await;
    assert!(!list.contains("legacy-add"));
    let r = post(&guihua, base, "/restoration/legacy", &fields).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

/// The ellipsoidal area (m²) of the lon/lat rectangle `[lon0, lon1] × [lat0, lat1]` (degrees)
/// on CGCS2000, in closed form: the area between two parallels over Δλ is
/// `b²·Δλ/2·[sinφ/(1−e²sin²φ) + ln((1+e·sinφ)/(1−e·sinφ))/(2e)]` from φ0 to φ1.
fn rectangle_m2(lon0: f64, lon1: f64, lat0: f64, lat1: f64) -> f64 {
    let a = 6_378_137.0_f64;
    let f = 1.0 / 298.257_222_101;
    let b = a * (1.0 - f);
    let e = (f * (2.0 - f)).sqrt();
    let q = |lat: f64| {
        let s = lat.to_radians().sin();
        s / (1.0 - e * e * s * s) + ((1.0 + e * s) / (1.0 - e * s)).ln() / (2.0 * e)
    };
    b * b * (lon1 - lon0).to_radians() / 2.0 * (q(lat1) - q(lat0))
}

fn polygon_feature(name: &str, lon0: f64, lon1: f64, lat0: f64, lat1: f64) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{"名称":"{name}"}},"geometry":{{"type":"Polygon","coordinates":[[[{lon0},{lat0}],[{lon1},{lat0}],[{lon1},{lat1}],[{lon0},{lat1}],[{lon0},{lat0}]]]}}}}"#
    )
}

async fn post_file(
    c: &reqwest::Client,
    base: &str,
    fields: &[(&str, &str)],
    file: (&str, &str),
) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new().text("csrf_token", token(c, base).await);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(file.1.as_bytes().to_vec()).file_name(file.0.to_string()),
    );
    c.post(format!("{base}/restoration/legacy"))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn legacy_mine_from_an_uploaded_layer_file() {
    let srv = start().await;
    let base = &srv.base;
    let c = logged_in(base, "xiufu").await;
    let fields = [
        ("name", "东山废弃采石场"),
        ("township", "阜宁镇"),
        ("mineral", "建筑用花岗岩"),
        ("method", "露天"),
        ("finding_1", "on"),
        ("no_responsible", "on"),
        ("direction", "林地"),
        ("reason", "周边为林地，宜林则林"),
    ];
    let rows = audit_rows(&srv.store).await;

    // Two polygons and none chosen: refused, naming the file and the count.
    let two = format!(
        r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
        polygon_feature("东山", 131.100, 131.102, 44.440, 44.442),
        polygon_feature("西坡", 131.110, 131.112, 44.440, 44.442),
    );
    let r = post_file(&c, base, &fields, ("两处.geojson", &two)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("图层文件“两处.geojson”中有 2 个多边形要素，请填写要用的要素"),
        "{body}"
    );
    // A feature that is not there: refused, naming it and the file's 2 features.
    let mut chosen = fields.to_vec();
    chosen.push(("feature", "北沟"));
    let r = post_file(&c, base, &chosen, ("两处.geojson", &two)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("图层文件“两处.geojson”中没有要素“北沟”（文件共 2 个要素"),
        "{body}"
    );
    // Corner text and a file together: refused.
    let mut both = fields.to_vec();
    both.push(("corners", CORNERS));
    let one = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        polygon_feature("东山采石场", 131.100, 131.102, 44.440, 44.442),
    );
    let r = post_file(&c, base, &both, ("东山.geojson", &one)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(body.contains("拐点坐标与图层文件只能二选一"), "{body}");
    // A point is not a polygon.
    let point = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"名称":"井口"},"geometry":{"type":"Point","coordinates":[131.1,44.44]}}]}"#;
    let r = post_file(&c, base, &fields, ("井口.geojson", point)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("图层文件“井口.geojson”中没有多边形要素"),
        "{body}"
    );
    // A drawing in plane metres that does not say its CRS: refused, no guess.
    let mut dxf = String::from("0\nSECTION\n2\nENTITIES\n0\nLWPOLYLINE\n8\n采坑\n90\n4\n70\n1\n");
    for (x, y) in [
        (430000.0, 4925000.0),
        (430100.0, 4925000.0),
        (430100.0, 4925200.0),
        (430000.0, 4925200.0),
    ] {
        dxf.push_str(&format!("10\n{x}\n20\n{y}\n"));
    }
    dxf.push_str("0\nENDSEC\n0\nEOF\n");
    let r = post_file(&c, base, &fields, ("采坑.dxf", &dxf)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("图层文件“采坑.dxf”：文件没有声明坐标系"),
        "{body}"
    );
    // The area the form states is cross-checked with the feature's: 5 公顷 is not 3.54 公顷.
    let mut stated = fields.to_vec();
    stated.push(("stated_area", "5公顷"));
    let r = post_file(&c, base, &stated, ("东山.geojson", &one)).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("所填面积“5公顷”与图层要素计算的椭球面积 0.0354 平方公里不符"),
        "{body}"
    );
    assert_eq!(audit_rows(&srv.store).await, rows, "nothing written");

    // One polygon, no choice needed: 0.002° × 0.002° at 44.44°N.
    let r = post_file(&c, base, &fields, ("东山.geojson", &one)).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&r)
        .replace("?saved=1", "")
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let m = srv.store.legacy_mine(id).await.unwrap().unwrap();
    let expected_km2 = rectangle_m2(131.100, 131.102, 44.440, 44.442) / 1e6;
    // By hand: 0.002° of longitude ≈ 159.2 m at 44.44°N, 0.002° of latitude ≈ 222.3 m.
    assert!((expected_km2 - 0.03539).abs() < 0.0001, "{expected_km2}");
    assert!(
        (m.area_km2 - expected_km2).abs() < expected_km2 * 1e-6,
        "{} vs {expected_km2}",
        m.area_km2
    );
    assert!(
        m.entered
            .starts_with("图层文件“东山.geojson”第 1 个要素“东山采石场”"),
        "{}",
        m.entered
    );
    assert_eq!(audit_rows(&srv.store).await, rows + 1);
    let mine = page(&c, base, &format!("/restoration/legacy/{id}")).await;
    assert!(
        mine.contains(&format!("{expected_km2:.4} 平方公里")),
        "{mine}"
    );
}
