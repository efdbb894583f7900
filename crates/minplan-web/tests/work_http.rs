//! The bureau's work over real HTTP: 申请受理 (form errors at their fields, corner problems at
//! their points), reviews from the web equal to the CLI's, the 审查意见书, the reproducibility
//! check, superseded history, layer and rights imports, own-only records for companies, the
//! 工作台 reminders, the measure tool, base tiles and the CSP, and malformed requests of the
//! new routes (never a 500).

mod common;

use common::*;
use minplan_store::{Actor, ReviewEngine, Store, default_bundle};
use minplan_web::WebConfig;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;

fn examples() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples"))
}

/// An example's application file and its corner file (name, text).
fn example(name: &str) -> (String, Option<(String, String)>) {
    let toml = std::fs::read_to_string(examples().join(name)).unwrap();
    let corners = match minplan_domain::application::corner_source(&toml).unwrap() {
        minplan_domain::application::CornerSource::File(f) => Some((
            f.clone(),
            std::fs::read_to_string(examples().join(&f)).unwrap(),
        )),
        minplan_domain::application::CornerSource::Inline => None,
    };
    (toml, corners)
}

fn qingfa_corners() -> String {
    std::fs::read_to_string(examples().join("01-qingfa-quarry.txt")).unwrap()
}

/// The 申请受理 form of examples/01-qingfa-quarry.toml, with `changes` applied.
fn qingfa_form(changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f: BTreeMap<&str, String> = [
        ("action", "review"),
        ("number", "SFH-2026-001"),
        ("kind", "新立"),
        ("right_kind", "采矿权"),
        ("project_name", "绥芬河市庆发采石场建筑用凝灰岩矿"),
        ("minerals", "建筑用凝灰岩"),
        ("mining_method", "露天"),
        ("capacity_value", "6"),
        ("capacity_unit", "万立方米/年"),
        ("reserves_value", "48"),
        ("reserves_unit", "万立方米"),
        ("service_years", "8"),
        ("received", "2026-11-20"),
        ("holder_name", "绥芬河市庆发建材有限公司"),
        ("credit_code", "91231081MA1BQF0013"),
        ("grant_method", "挂牌"),
        ("net_mineral", "on"),
        ("development_plan", "on"),
        ("restoration_plan", "on"),
        ("green_mine_commitment", "on"),
        ("wetland", "否"),
        ("arable_land", "否"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect();
    f.insert("corners_text", qingfa_corners());
    for (k, v) in changes {
        f.insert(k, v.to_string());
    }
    f.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

async fn post_form(
    c: &Client,
    base: &str,
    path: &str,
    form: &[(String, String)],
) -> reqwest::Response {
    let t = token(c, base).await;
    let mut f = form.to_vec();
    f.push(("csrf_token".into(), t));
    c.post(format!("{base}{path}"))
        .form(&f)
        .send()
        .await
        .unwrap()
}

async fn post_json(c: &Client, base: &str, path: &str, body: &Value) -> reqwest::Response {
    let t = token(c, base).await;
    c.post(format!("{base}{path}"))
        .header("x-csrf-token", t)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn get_json(c: &Client, base: &str, path: &str) -> Value {
    let r = c.get(format!("{base}{path}")).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.unwrap()
}

async fn get_text(c: &Client, base: &str, path: &str) -> (StatusCode, String) {
    let r = c.get(format!("{base}{path}")).send().await.unwrap();
    let s = r.status();
    (s, r.text().await.unwrap())
}

/// The part of a form page from the input named `name` to the end of its label.
fn field<'a>(html: &'a str, name: &str) -> &'a str {
    let start = html
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no field {name}"));
    let end = html[start..].find("</label>").unwrap();
    &html[start..start + end]
}

/// The review id a form submission redirected to.
fn review_id(location: &str) -> i64 {
    location.strip_prefix("/reviews/").unwrap().parse().unwrap()
}

/// Rule outcomes of a review JSON: id → (outcome, message).
fn outcomes(review: &Value) -> Vec<(String, String, String)> {
    review["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["outcome"].as_str().unwrap().to_string(),
                r["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_intake_form_shows_each_fields_error_and_saves_nothing() {
    let srv = start().await;
    let c = logged_in(&srv.base, "shenpi").await;
    let (s, html) = get_text(&c, &srv.base, "/intake").await;
    assert_eq!(s, 200);
    assert!(html.contains("name=\"csrf_token\""));
    assert!(html.contains("data-layers=") && html.contains("/assets/intake.js"));
    assert!(
        html.contains("<option value=\"建筑用凝灰岩\">"),
        "mineral list"
    );
    // What the form itself cannot write.
    let r = post_form(
        &c,
        &srv.base,
        "/intake",
        &qingfa_form(&[
            ("capacity_value", "六万"),
            ("project_name", " "),
            ("wetland", "也许"),
            ("credit_code", "123"),
        ]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    // The application parser's errors come in the same round as the form's own.
    assert!(
        field(&html, "credit_code").contains("field-error"),
        "{}",
        field(&html, "credit_code")
    );
    assert!(field(&html, "capacity_value").contains("设计生产规模应为数字"));
    assert!(
        field(&html, "capacity_value").contains("value=\"六万\""),
        "entered value kept"
    );
    assert!(field(&html, "project_name").contains("请填写项目名称"));
    assert!(field(&html, "wetland").contains("field-error"));
    assert!(
        field(&html, "corners_text").contains("庆发采石场"),
        "pasted corners kept"
    );
    // What the application parser refuses, each at its field.
    let r = post_form(
        &c,
        &srv.base,
        "/intake",
        &qingfa_form(&[
            ("number", "SFH/2026/001"),
            ("kind", "新设"),
            ("minerals", "金子"),
            ("credit_code", "91231081MA1BQF0014"),
            ("received", "2026/11/20"),
            ("holder_name", ""),
        ]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"intake-errors\""));
    for (name, needle) in [
        ("number", "含不允许的字符"),
        ("minerals", "金子"),
        ("credit_code", "校验位"),
        ("received", "YYYY-MM-DD"),
        ("holder_name", "申请人名称不能为空"),
    ] {
        let f = field(&html, name);
        assert!(
            f.contains("field-error") && f.contains(needle),
            "{name}: {f}"
        );
    }
    // kind is a select: its error follows it.
    assert!(
        field(&html, "kind").contains("新设"),
        "{}",
        field(&html, "kind")
    );
    // Missing corners.
    let r = post_form(
        &c,
        &srv.base,
        "/intake",
        &qingfa_form(&[("corners_text", "")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field(&r.text().await.unwrap(), "corners_text").contains("请粘贴拐点坐标"));
    assert!(srv.store.list_reviews(None).await.unwrap().is_empty());
}

#[tokio::test]
async fn bad_coordinates_are_named_at_their_points() {
    let srv = start().await;
    let c = logged_in(&srv.base, "shenpi").await;
    // Without scripts: 检查坐标 shows the problems with their points.
    let swapped = std::fs::read_to_string(examples().join("08-swapped-coordinates.txt")).unwrap();
    let r = post_form(
        &c,
        &srv.base,
        "/intake",
        &qingfa_form(&[("action", "check"), ("corners_text", &swapped)]),
    )
    .await;
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let start = html.find("id=\"corner-problems\"").expect("problem table");
    let problems = &html[start..start + html[start..].find("</table>").unwrap()];
    assert!(
        problems.contains("X 与 Y 填反") && problems.contains("1、2、3、4"),
        "{problems}"
    );
    // Each point says which line of the pasted text it was read from (来源行).
    let start = html.find("id=\"corner-points\"").expect("point table");
    let points = &html[start..start + html[start..].find("</table>").unwrap()];
    assert!(points.contains("<th>来源行</th>"), "{points}");
    let first_row = &points[points.find("<tbody>").unwrap()..];
    let line_of_1 = swapped
        .lines()
        .position(|l| l.trim_start().starts_with("1,") || l.trim_start().starts_with("1 "))
        .expect("point 1")
        + 1;
    assert!(
        first_row.contains(&format!("<td>第 {line_of_1} 行</td>")),
        "{first_row}"
    );
    // The map gets the same check as page data (HTML-escaped JSON in data-page).
    assert!(html.contains("data-page=\"{&#34;check&#34;:"));
    // Reviewing them is refused, nothing saved.
    let r = post_form(
        &c,
        &srv.base,
        "/intake",
        &qingfa_form(&[("corners_text", &swapped)]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field(&r.text().await.unwrap(), "corners_text").contains("填反"));
    assert!(srv.store.list_reviews(None).await.unwrap().is_empty());

    // The API: every problem with the places of its points, in lon/lat.
    let crossing = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../minplan-geo/tests/data/suifenhe_self_intersection.txt"
    ))
    .unwrap();
    let r = post_json(
        &c,
        &srv.base,
        "/api/corners/check",
        &json!({ "text": crossing }),
    )
    .await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["points_lonlat"].as_array().unwrap().len(), 8);
    let p = &v["problems"][0];
    assert_eq!(p["kind"], "self_intersection");
    assert_eq!(p["message"], "一号采区：边 2–3 与 6–7 相交");
    let places = p["places"].as_array().unwrap();
    let labels: Vec<&str> = places
        .iter()
        .map(|q| q["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["2", "3", "6", "7"]);
    for q in places {
        let (lon, lat) = (q["lon"].as_f64().unwrap(), q["lat"].as_f64().unwrap());
        assert!(
            (130.9..131.3).contains(&lon) && (44.2..44.6).contains(&lat),
            "{q}"
        );
    }
    // A good file, uploaded (multipart): no problems, both areas.
    let t = token(&c, &srv.base).await;
    let form = reqwest::multipart::Form::new().text("crs", "4532").part(
        "file",
        reqwest::multipart::Part::bytes(qingfa_corners().into_bytes()).file_name("qingfa.txt"),
    );
    let v: Value = c
        .post(format!("{}/api/corners/check", srv.base))
        .header("x-csrf-token", t)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["crs"], 4532);
    assert!((v["area_km2"].as_f64().unwrap() - 0.02).abs() < 1e-4);
    assert_eq!(
        v["rings_lonlat"][0]["coordinates"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    // A datum the review does not accept is named with its field.
    let v: Value = post_json(
        &c,
        &srv.base,
        "/api/corners/check",
        &json!({ "text": qingfa_corners(), "datum": "1980西安坐标系" }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["option_problems"][0]["field"], "datum");
}

/// The CLI's review (`minplan review --no-save` on a new database): the same library calls.
async fn cli_review(name: &str) -> Value {
    let store = Store::open_in_memory().await.unwrap();
    store.seed_if_empty(&default_bundle()).await.unwrap();
    let engine = ReviewEngine::load(&store).await.unwrap();
    let (toml, corners) = example(name);
    let app = engine
        .parse(&toml, corners.as_ref().map(|c| c.1.as_bytes()))
        .unwrap();
    let review = engine
        .review_reading_record(&store, &app, "2026-11-30T00:00:00Z")
        .await
        .unwrap();
    serde_json::to_value(review).unwrap()
}

#[tokio::test]
async fn reviews_from_the_web_equal_the_cli_reviews_of_the_examples() {
    let srv = start().await;
    let c = logged_in(&srv.base, "shenpi").await;
    for name in [
        "01-qingfa-quarry.toml",
        "02-jinjiagou-quarry-below-minimum.toml",
        "03-bielewa-geothermal.toml",
        "04-stone-in-rail-corridor.toml",
        "05-brick-clay-on-farmland.toml",
        "06-jianxin-mineral-water-exploration.toml",
        "07-agreement-without-reason.toml",
    ] {
        let (toml, corners) = example(name);
        let r = post_json(
            &c,
            &srv.base,
            "/api/reviews",
            &json!({
                "toml": toml,
                "corner_file": corners.map(|(n, t)| json!({ "name": n, "content": t })),
                "save": false,
            }),
        )
        .await;
        assert_eq!(r.status(), 200, "{name}");
        let web: Value = r.json().await.unwrap();
        assert!(web["review_id"].is_null());
        let cli = cli_review(name).await;
        assert_eq!(web["review"]["conclusion"], cli["conclusion"], "{name}");
        assert_eq!(outcomes(&web["review"]), outcomes(&cli), "{name}");
    }
    // The 08 example is refused with its problems, as `minplan review` refuses it (exit 1).
    let (toml, corners) = example("08-swapped-coordinates.toml");
    let (n, t) = corners.unwrap();
    let r = post_json(
        &c,
        &srv.base,
        "/api/reviews",
        &json!({ "toml": toml, "corner_file": { "name": n, "content": t } }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["code"], "invalid");
    assert_eq!(v["fields"][0]["field"], "corners");
    assert!(
        v["errors"][0]["points"].as_array().unwrap().len() == 4,
        "{v}"
    );
    // The form, filled in like examples/01, saved: the same review as the CLI's.
    let r = post_form(&c, &srv.base, "/intake", &qingfa_form(&[])).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = review_id(r.headers()["location"].to_str().unwrap());
    let stored = get_json(&c, &srv.base, &format!("/api/reviews/{id}")).await;
    let cli = cli_review("01-qingfa-quarry.toml").await;
    assert_eq!(stored["review"]["conclusion"], "符合");
    assert_eq!(outcomes(&stored["review"]), outcomes(&cli));
    assert_eq!(
        stored["review"]["application_area_m2"].as_f64().unwrap(),
        cli["application_area_m2"].as_f64().unwrap()
    );
    assert_eq!(stored["summary"]["actor"], format!("user:{}:shenpi", 3));
    assert!(
        stored["inputs"]["application_toml"]
            .as_str()
            .unwrap()
            .contains("format = \"minplan-application/1\"")
    );
    // Audited in the review's transaction, as the web user.
    let trail = &stored["trail"];
    let actions: Vec<&str> = trail
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["application.register", "review.create"]);
}

#[tokio::test]
async fn the_opinion_is_a_word_document_and_the_record_is_reproducible() {
    let srv = start().await;
    let c = logged_in(&srv.base, "shenpi").await;
    let r = post_form(&c, &srv.base, "/intake", &qingfa_form(&[])).await;
    let id = review_id(r.headers()["location"].to_str().unwrap());
    let (s, html) = get_text(&c, &srv.base, &format!("/reviews/{id}")).await;
    assert_eq!(s, 200);
    assert!(html.contains("审查结论：<strong>符合</strong>"));
    assert!(html.contains("与存档一致"), "reproducibility check");
    assert_eq!(
        html[html.find("id=\"rules-table\"").unwrap()..]
            .split("</table>")
            .next()
            .unwrap()
            .matches("<tr data-rule=")
            .count(),
        15
    );
    assert!(
        html.contains("href=\"/text#L"),
        "citations link into the plan text"
    );
    // The map carries the application and the conflicting parts as inline layers.
    assert!(html.contains("id=\"map\"") && html.contains("&#34;id&#34;:&#34;application&#34;"));
    assert!(html.contains("&#34;id&#34;:&#34;conflicts&#34;"));
    assert!(html.contains("申请登记（在审）") && html.contains("审查并保存审查记录"));
    // The 审查意见书.
    let r = c
        .get(format!("{}/reviews/{id}/docx", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let cd = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        cd.starts_with("attachment;") && cd.contains("filename*=UTF-8''"),
        "{cd}"
    );
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"PK"));
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(xml.contains("SFH-2026-001") && xml.contains("符合"));
    // An altered record: the check names the difference and no document is issued.
    sqlx::query("UPDATE reviews SET result_json = json_set(result_json, '$.conclusion', '不符合') WHERE id = ?")
        .bind(id)
        .execute(srv.store.pool())
        .await
        .unwrap();
    let (_, html) = get_text(&c, &srv.base, &format!("/reviews/{id}")).await;
    assert!(html.contains("处不同") && html.contains("id=\"replay-differences\""));
    assert!(html.contains(".conclusion：存档 &#34;不符合&#34;，重算 &#34;符合&#34;"));
    let r = c
        .get(format!("{}/reviews/{id}/docx", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("不生成审查意见书"));
    let v = get_json(&c, &srv.base, &format!("/api/reviews/{id}")).await;
    assert_eq!(v["reproducible"]["matches"], false);
}

#[tokio::test]
async fn a_new_review_supersedes_and_the_history_shows_both() {
    let srv = start().await;
    let c = logged_in(&srv.base, "shenpi").await;
    let r = post_form(&c, &srv.base, "/intake", &qingfa_form(&[])).await;
    let first = review_id(r.headers()["location"].to_str().unwrap());
    let r = post_form(
        &c,
        &srv.base,
        "/intake",
        &qingfa_form(&[("capacity_value", "3")]),
    )
    .await;
    let second = review_id(r.headers()["location"].to_str().unwrap());
    let (_, html) = get_text(&c, &srv.base, &format!("/reviews/{first}")).await;
    assert!(html.contains("本记录已被同一申请编号的新审查取代"));
    let hist = &html[html.find("id=\"history-table\"").unwrap()..];
    let hist = &hist[..hist.find("</table>").unwrap()];
    assert!(hist.contains(&format!("#{first}")) && hist.contains(&format!("#{second}")));
    assert!(hist.contains(&format!("取代 #{first}")));
    let (_, html) = get_text(&c, &srv.base, &format!("/reviews/{second}")).await;
    assert!(
        html.contains("审查结论：<strong>不符合</strong>"),
        "3 万m³/年 is below the minimum"
    );
    let all = get_json(&c, &srv.base, "/api/reviews").await;
    assert_eq!(all["reviews"].as_array().unwrap().len(), 2);
    let current = get_json(&c, &srv.base, "/api/reviews?current=1").await;
    assert_eq!(current["reviews"][0]["id"], second);
    assert_eq!(current["reviews"].as_array().unwrap().len(), 1);
    let (s, html) = get_text(
        &c,
        &srv.base,
        "/reviews?conclusion=%E7%AC%A6%E5%90%88&q=SFH",
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(html.matches("<tr data-id=").count(), 1);
}

#[tokio::test]
async fn an_imported_layer_lists_its_broken_features_and_reviews_use_it() {
    let srv = start().await;
    let guihua = logged_in(&srv.base, "guihua").await;
    let layer = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "HX-1", "name": "红线一"}, "geometry": {"type": "Polygon",
         "coordinates": [[[131.10, 44.33], [131.12, 44.33], [131.12, 44.34], [131.10, 44.34], [131.10, 44.33]]]}},
        {"type": "Feature", "properties": {"id": "HX-BOWTIE"}, "geometry": {"type": "Polygon",
         "coordinates": [[[131.0, 44.40], [131.01, 44.41], [131.01, 44.40], [131.0, 44.41], [131.0, 44.40]]]}},
        {"type": "Feature", "properties": {"id": "HX-LINE"}, "geometry": {"type": "LineString",
         "coordinates": [[131.0, 44.40], [131.01, 44.41]]}}
    ]});
    let t = token(&guihua, &srv.base).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", t.clone())
        .text("kind", "ecological_red_line")
        .text("name", "生态保护红线（2026 年）")
        .part(
            "file",
            reqwest::multipart::Part::bytes(layer.to_string().into_bytes())
                .file_name("红线.geojson"),
        );
    let r = guihua
        .post(format!("{}/layers", srv.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with("/layers/"), "{location}");
    let (s, html) = get_text(&guihua, &srv.base, &location).await;
    assert_eq!(s, 200);
    assert!(html.contains("id=\"import-result\""));
    let t2 = &html[html.find("id=\"layer-problems\"").unwrap()..];
    let t2 = &t2[..t2.find("</table>").unwrap()];
    assert!(t2.contains("HX-BOWTIE") && t2.contains("HX-LINE"), "{t2}");
    assert!(!t2.contains("HX-1<"), "the good feature is imported");
    // Reviews use it now: the quarry lies inside 红线一.
    let (_, html) = get_text(&guihua, &srv.base, "/layers").await;
    assert!(html.contains("导入版本 #"));
    let shenpi = logged_in(&srv.base, "shenpi").await;
    let r = post_form(&shenpi, &srv.base, "/intake", &qingfa_form(&[])).await;
    let id = review_id(r.headers()["location"].to_str().unwrap());
    let v = get_json(&shenpi, &srv.base, &format!("/api/reviews/{id}")).await;
    assert_eq!(v["review"]["conclusion"], "不符合");
    let r8 = v["review"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "R8")
        .unwrap();
    assert_eq!(r8["outcome"], "不符合");
    assert_eq!(r8["conflicts"][0]["feature_id"], "HX-1");
    assert_eq!(v["reproducible"]["matches"], true);
    // The form's mistakes, each at its field; nothing imported.
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", t)
        .text("kind", "湿地")
        .text("buffer_m", "-5");
    let r = guihua
        .post(format!("{}/layers", srv.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(field(&html, "kind").contains("湿地"));
    assert!(field(&html, "buffer_m").contains("缓冲宽度"));
    assert!(field(&html, "file").contains("请选择"));
    assert_eq!(srv.store.list_layers().await.unwrap().len(), 1);
    // The API: a file with no usable feature is refused with its reason.
    let r = post_json(
        &guihua,
        &srv.base,
        "/api/layers",
        &json!({ "kind": "永久基本农田", "geojson": { "type": "FeatureCollection", "features": [] } }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["fields"][0]["field"], "file");
}

#[tokio::test]
async fn the_register_and_own_records_of_a_company() {
    let srv = start().await;
    let shenpi = logged_in(&srv.base, "shenpi").await;
    let rights = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "C-OWN", "name": "本企业采石场", "holder_name": "测试企业", "credit_code": "91350100M000100Y43",
         "minerals": "建筑用凝灰岩", "capacity": 5, "capacity_unit": "万立方米/年", "valid_from": "2020-01-01", "valid_to": "2099-01-01"},
         "geometry": {"type": "Polygon", "coordinates": [[[131.05, 44.45], [131.052, 44.45], [131.052, 44.452], [131.05, 44.452], [131.05, 44.45]]]}},
        {"type": "Feature", "properties": {"id": "C-OTHER", "name": "他人采石场", "holder_name": "别家", "credit_code": "91231081MA1BQF0013",
         "minerals": "建筑用凝灰岩", "kind": "采矿权"},
         "geometry": {"type": "Polygon", "coordinates": [[[131.06, 44.45], [131.062, 44.45], [131.062, 44.452], [131.06, 44.452], [131.06, 44.45]]]}},
        {"type": "Feature", "properties": {"id": "C-BAD", "kind": "金矿权"},
         "geometry": {"type": "Polygon", "coordinates": [[[131.07, 44.45], [131.072, 44.45], [131.072, 44.452], [131.07, 44.452], [131.07, 44.45]]]}}
    ]});
    let t = token(&shenpi, &srv.base).await;
    let form = reqwest::multipart::Form::new().text("csrf_token", t).part(
        "file",
        reqwest::multipart::Part::bytes(rights.to_string().into_bytes())
            .file_name("rights.geojson"),
    );
    let r = shenpi
        .post(format!("{}/rights", srv.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("已导入 2 宗矿业权"));
    assert!(
        html.contains("C-BAD") && html.contains("金矿权"),
        "the left-out feature and why"
    );
    // A review of the other company's application, and one of the company's own.
    let r = post_form(&shenpi, &srv.base, "/intake", &qingfa_form(&[])).await;
    let other = review_id(r.headers()["location"].to_str().unwrap());
    let r = post_form(
        &shenpi,
        &srv.base,
        "/intake",
        &qingfa_form(&[
            ("number", "SFH-2026-OWN"),
            ("credit_code", "91350100M000100Y43"),
        ]),
    )
    .await;
    let own = review_id(r.headers()["location"].to_str().unwrap());
    // Staff see everything, the pending applications in the register too.
    let v = get_json(&shenpi, &srv.base, "/api/rights").await;
    assert_eq!(v["rights"].as_array().unwrap().len(), 2);
    assert_eq!(v["pending"].as_array().unwrap().len(), 2);
    let g = get_json(&shenpi, &srv.base, "/api/rights?format=geojson").await;
    assert_eq!(g["features"].as_array().unwrap().len(), 4);
    let (s, html) = get_text(&shenpi, &srv.base, "/rights/C-OTHER").await;
    assert_eq!(s, 200);
    assert!(html.contains("他人采石场") && html.contains("right.import"));
    // The company sees its own only; another's record does not exist for it.
    let qiye = logged_in(&srv.base, "qiye").await;
    let v = get_json(&qiye, &srv.base, "/api/reviews").await;
    let ids: Vec<i64> = v["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [own]);
    for path in [
        format!("/reviews/{other}"),
        format!("/reviews/{other}/docx"),
        format!("/api/reviews/{other}"),
        "/rights/C-OTHER".to_string(),
        "/api/rights/C-OTHER".to_string(),
    ] {
        let (s, _) = get_text(&qiye, &srv.base, &path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        get_text(&qiye, &srv.base, &format!("/reviews/{own}"))
            .await
            .0,
        200
    );
    let v = get_json(&qiye, &srv.base, "/api/rights").await;
    assert_eq!(v["rights"].as_array().unwrap().len(), 1);
    assert_eq!(v["rights"][0]["id"], "C-OWN");
    assert_eq!(v["pending"][0]["number"], "SFH-2026-OWN");
    let w = get_json(&qiye, &srv.base, "/api/workbench").await;
    assert_eq!(w["pending"].as_array().unwrap().len(), 1);
    // Nor can it import or review.
    let (s, _) = get_text(&qiye, &srv.base, "/intake").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn pending_working_days_deduct_national_day_2026() {
    let srv = start().await;
    let shenpi = logged_in(&srv.base, "shenpi").await;
    post_form(
        &shenpi,
        &srv.base,
        "/intake",
        &qingfa_form(&[("received", "2026-09-24")]),
    )
    .await;
    let state = minplan_web::AppState::new(srv.store.clone()).await.unwrap();
    let user = srv.store.user_by_name("shenpi").await.unwrap().unwrap();
    let apps = srv.store.application_records().await.unwrap();
    let pending = |day: &str| {
        let day = minplan_web::workbench::parse_date(day).unwrap();
        let (state, user, apps) = (state.clone(), user.clone(), apps.clone());
        async move {
            minplan_web::workbench::reminders(&state, &user, day, &apps)
                .await
                .unwrap()
                .into_iter()
                .filter(|r| r.kind == "pending_overdue")
                .map(|r| r.message)
                .collect::<Vec<_>>()
        }
    };
    // Received Thursday 2026-09-24. By Friday 2026-10-23 Monday–Friday counts 21, but
    // 9-25 (中秋), 10-1..7 (国庆) are off and Saturday 10-10 is worked: 16, not overdue.
    assert!(pending("2026-10-23").await.is_empty());
    // A week later: 21 working days.
    let m = pending("2026-10-30").await;
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(
        m[0].contains("已在审 21 个工作日，超过 20 个工作日"),
        "{m:?}"
    );
    assert!(!m[0].contains("未录入"), "{m:?}");
}

#[tokio::test]
async fn the_workbench_lists_pending_applications_and_reminders() {
    let srv = start().await;
    let shenpi = logged_in(&srv.base, "shenpi").await;
    let today = minplan_web::workbench::today_in_china();
    let soon = today + time::Duration::days(60);
    let rights = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "C-SOON", "name": "将到期采石场", "valid_to": soon.to_string()},
         "geometry": {"type": "Polygon", "coordinates": [[[131.05, 44.45], [131.052, 44.45], [131.052, 44.452], [131.05, 44.452], [131.05, 44.45]]]}},
        {"type": "Feature", "properties": {"id": "C-PAST", "name": "已过期采石场", "valid_to": "2020-06-30"},
         "geometry": {"type": "Polygon", "coordinates": [[[131.06, 44.45], [131.062, 44.45], [131.062, 44.452], [131.06, 44.452], [131.06, 44.45]]]}},
        {"type": "Feature", "properties": {"id": "C-LATER", "name": "远期采石场", "valid_to": "2099-06-30"},
         "geometry": {"type": "Polygon", "coordinates": [[[131.07, 44.45], [131.072, 44.45], [131.072, 44.452], [131.07, 44.452], [131.07, 44.45]]]}}
    ]});
    let r = post_json(
        &shenpi,
        &srv.base,
        "/api/rights",
        &json!({ "geojson": rights }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    post_form(
        &shenpi,
        &srv.base,
        "/intake",
        &qingfa_form(&[("received", "2020-01-06")]),
    )
    .await;
    let w = get_json(&shenpi, &srv.base, "/api/workbench").await;
    let reminders = w["reminders"].as_array().unwrap();
    let subjects: Vec<(&str, &str, bool)> = reminders
        .iter()
        .map(|r| {
            (
                r["kind"].as_str().unwrap(),
                r["subject"].as_str().unwrap(),
                r["overdue"].as_bool().unwrap(),
            )
        })
        .collect();
    // The register's reminders (Store::reminders, as `minplan reminders`): urgent within 30
    // days or after expiry.
    assert!(
        subjects.contains(&("licence_expiring", "将到期采石场（C-SOON）", false)),
        "{subjects:?}"
    );
    assert!(
        subjects.contains(&("licence_expired", "已过期采石场（C-PAST）", true)),
        "{subjects:?}"
    );
    assert!(
        subjects.contains(&("pending_overdue", "SFH-2026-001", true)),
        "{subjects:?}"
    );
    assert!(!subjects.iter().any(|s| s.1.contains("C-LATER")));
    assert_eq!(w["pending"][0]["conclusion"], "符合");
    assert_eq!(
        w["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["table"] == "专栏2")
            .count(),
        6
    );
    let (s, html) = get_text(&shenpi, &srv.base, "/workbench").await;
    assert_eq!(s, 200);
    assert!(html.contains("（还有 60 天）") && html.contains("已于 2020-06-30 到期"));
    assert!(html.contains("超过 20 个工作日") && html.contains("扣除法定节假日，调休上班日计入"));
    assert!(!html.contains("未扣除法定节假日"));
    // 2020 is not in the calendar: counted Monday–Friday, and the reminder says so.
    assert!(html.contains("2020年") && html.contains("节假日安排未录入，按周一至周五计"));
    assert!(html.contains("id=\"pending-table\"") && html.contains("SFH-2026-001"));
    // Login lands on the 工作台.
    let c = client();
    let page = c
        .get(format!("{}/login", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = c
        .post(format!("{}/login", srv.base))
        .form(&[
            ("csrf_token", csrf_in(&page).as_str()),
            ("username", "zhifa"),
            ("password", PW),
            ("next", "/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["location"], "/workbench");
}

#[tokio::test]
async fn the_measure_tool_uses_the_official_area_and_geodesics() {
    let srv = start().await;
    let c = client();
    let ring = [
        (131.0, 44.4),
        (131.01, 44.4),
        (131.01, 44.41),
        (131.0, 44.41),
    ];
    let coords: Vec<[f64; 2]> = ring.iter().chain(&ring[..1]).map(|p| [p.0, p.1]).collect();
    let v: Value = post_json(
        &c,
        &srv.base,
        "/api/measure",
        &json!({ "geometry": { "type": "Polygon", "coordinates": [coords] } }),
    )
    .await
    .json()
    .await
    .unwrap();
    let area = minplan_geo::area::ellipsoidal_area_lonlat(&ring, minplan_geo::Ellipsoid::CGCS2000);
    // The same computation; JSON keeps 15–17 significant digits.
    assert!((v["area_m2"].as_f64().unwrap() - area.abs()).abs() < 1e-9 * area.abs());
    assert!(
        v["methods"]["area"]
            .as_str()
            .unwrap()
            .contains("TD/T 1055-2019")
    );
    let v: Value = post_json(
        &c,
        &srv.base,
        "/api/measure",
        &json!({ "geometry": { "type": "LineString", "coordinates": [[131.0, 44.4], [131.01, 44.41]] } }),
    )
    .await
    .json()
    .await
    .unwrap();
    let g = minplan_geo::geodesic::inverse(
        minplan_geo::Ellipsoid::CGCS2000,
        (131.0, 44.4),
        (131.01, 44.41),
    )
    .unwrap();
    assert!((v["length_m"].as_f64().unwrap() - g.distance_m).abs() < 1e-9 * g.distance_m);
    let r = post_json(
        &c,
        &srv.base,
        "/api/measure",
        &json!({ "geometry": { "type": "Point", "coordinates": [1, 2] } }),
    )
    .await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("LineString"));
}

#[tokio::test]
async fn base_tiles_are_off_by_default_and_allowed_for_their_host_only() {
    let srv = start().await;
    let r = reqwest::get(format!("{}/blocks", srv.base)).await.unwrap();
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("img-src 'self' data: blob:;"), "{csp}");
    assert!(r.text().await.unwrap().contains("data-tile-url=\"\""));
    let url =
        "https://t{0-7}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY";
    let srv = start_with(WebConfig {
        tile_url: Some(url.into()),
        ..WebConfig::default()
    })
    .await;
    let r = reqwest::get(format!("{}/blocks", srv.base)).await.unwrap();
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        csp.contains("https://t0.tianditu.gov.cn") && csp.contains("https://t7.tianditu.gov.cn"),
        "{csp}"
    );
    assert!(
        csp.contains("connect-src 'self';") && csp.contains("script-src 'self';"),
        "{csp}"
    );
    let html = r.text().await.unwrap();
    assert!(
        html.contains("data-tile-url=\"https://t{0-7}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&#38;TILEROW={y}"),
        "tile URL for the map"
    );
}

/// A malformed request: method, path, content type, body, expected status.
type Case = (&'static str, String, Option<&'static str>, Vec<u8>, u16);

#[tokio::test]
async fn malformed_requests_of_the_work_routes_never_500() {
    let srv = start_with(WebConfig {
        body_limit: 64 * 1024,
        ..WebConfig::default()
    })
    .await;
    let base = &srv.base;
    let admin = logged_in(base, "root").await;
    let t = token(&admin, base).await;
    let big = "1,4911391.68,44428925.83\n".repeat(4000);
    let mp = "multipart/form-data; boundary=XyZ";
    let cases: Vec<Case> = vec![
        ("POST", "/intake".into(), Some("multipart/form-data"), b"garbage".to_vec(), 422),
        ("POST", "/intake".into(), Some(mp), b"--XyZ\r\nContent-Disposition: form-data; name=\"number\"\r\n\r\nA".to_vec(), 422),
        ("POST", "/intake".into(), Some("application/x-www-form-urlencoded"), b"%zz=%%%&&&===".to_vec(), 422),
        ("POST", "/intake".into(), Some("text/plain"), b"hello".to_vec(), 422),
        ("POST", "/intake".into(), Some("application/x-www-form-urlencoded"), format!("action=check&corners_text={}", "%ff%fe".repeat(10)).into_bytes(), 200),
        ("POST", "/intake".into(), Some("application/x-www-form-urlencoded"), format!("corners_text={big}").into_bytes(), 413),
        ("POST", "/api/reviews".into(), Some("application/json"), b"{not json".to_vec(), 400),
        // Neither or both of application and toml: well formed, but nothing to review (422).
        ("POST", "/api/reviews".into(), Some("application/json"), b"{}".to_vec(), 422),
        ("POST", "/api/reviews".into(), Some("application/json"), br#"{"toml":"x","application":{}}"#.to_vec(), 422),
        // A body must be an object: serde would fill a struct from an array.
        ("POST", "/api/corners/check".into(), Some("application/json"), b" []".to_vec(), 400),
        ("POST", "/api/corners/check".into(), Some("application/json"), br#"{"text":"","zone":44.0}"#.to_vec(), 200),
        ("POST", "/api/corners/check".into(), Some("application/json"), br#"{"text":"","zone":2147483648.5}"#.to_vec(), 400),
        // API lists: paging as the document declares it, dates not empty, dates in order (422).
        ("GET", "/api/reviews?per=7".into(), None, vec![], 400),
        ("GET", "/api/reviews?per=9223372036854775808".into(), None, vec![], 400),
        ("GET", "/api/rights?page=0".into(), None, vec![], 400),
        ("GET", "/api/rights?dir=up".into(), None, vec![], 400),
        ("GET", "/api/reviews?per=20&page=2&dir=asc".into(), None, vec![], 200),
        ("GET", "/api/reviews?to=".into(), None, vec![], 400),
        ("GET", "/api/reviews?from=2026-02-01&to=2026-01-01".into(), None, vec![], 422),
        ("GET", "/api/indicators?year=".into(), None, vec![], 400),
        ("GET", "/api/indicators/restoration?year=".into(), None, vec![], 400),
        ("GET", "/api/restoration/map?layer=%20mines".into(), None, vec![], 400),
        ("POST", "/api/reviews".into(), Some("application/json"), br#"{"toml":"= = ="}"#.to_vec(), 422),
        ("POST", "/api/reviews".into(), Some("application/json"), br#"{"toml":"format = 1"}"#.to_vec(), 422),
        ("POST", "/api/reviews".into(), Some("application/json"), br#"{"application":{"number":5}}"#.to_vec(), 400),
        ("POST", "/api/reviews".into(), Some("application/json"), br#"{"application":{}}"#.to_vec(), 422),
        ("POST", "/api/corners/check".into(), Some("application/json"), br#"{"text":5}"#.to_vec(), 400),
        ("POST", "/api/corners/check".into(), Some("application/json"), b"".to_vec(), 400),
        ("POST", "/api/corners/check".into(), Some("application/json"), br#"{"text":"\u0000\u0001 *** ,,,"}"#.to_vec(), 200),
        ("POST", "/api/corners/check".into(), Some("application/json"), br#"{"text":"1,1e308,1e308\n2,-1e308,nan\n3,0,0"}"#.to_vec(), 200),
        ("POST", "/api/corners/check".into(), Some(mp), b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n\xff\xfe\x00\x01\r\n--XyZ--\r\n".to_vec(), 200),
        ("POST", "/api/corners/check".into(), Some(mp), b"--XyZ\r\nbroken".to_vec(), 400),
        ("POST", "/api/measure".into(), Some("application/json"), br#"{"geometry":{"type":"Polygon","coordinates":[[["a"]]]}}"#.to_vec(), 422),
        ("POST", "/api/measure".into(), Some("application/json"), br#"{"geometry":{"type":"LineString","coordinates":[[0,0],[179.9,0.1]]}}"#.to_vec(), 422),
        ("POST", "/api/measure".into(), Some("application/json"), br#"[]"#.to_vec(), 400),
        ("GET", "/reviews/abc".into(), None, vec![], 400),
        ("GET", "/reviews/99999999999999999999999".into(), None, vec![], 400),
        ("GET", "/reviews/424242".into(), None, vec![], 404),
        ("GET", "/reviews/-1/docx".into(), None, vec![], 404),
        ("GET", "/api/reviews/%ff".into(), None, vec![], 400),
        ("GET", "/api/reviews?q=%ff%fe&conclusion=%00".into(), None, vec![], 200),
        ("GET", "/layers/abc".into(), None, vec![], 400),
        ("GET", "/api/layers/77?format=geojson".into(), None, vec![], 404),
        ("POST", "/layers".into(), Some(mp), b"--XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\necological_red_line\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.geojson\"\r\n\r\n\xff\xfe\r\n--XyZ--\r\n".to_vec(), 422),
        ("POST", "/layers".into(), Some(mp), b"--XyZ\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\necological_red_line\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.geojson\"\r\n\r\n{\"type\":\"Point\"}\r\n--XyZ--\r\n".to_vec(), 422),
        ("POST", "/api/layers".into(), Some("application/json"), br#"{"kind":"ecological_red_line","geojson":"not json"}"#.to_vec(), 422),
        ("POST", "/api/layers".into(), Some("application/json"), br#"{"kind":"ecological_red_line","buffer_m":1e309,"geojson":{}}"#.to_vec(), 400),
        ("POST", "/rights".into(), Some("text/plain"), b"hello".to_vec(), 422),
        ("POST", "/rights".into(), Some(mp), b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.geojson\"\r\n\r\n[1,2,3]\r\n--XyZ--\r\n".to_vec(), 422),
        ("POST", "/api/rights".into(), Some("application/json"), br#"{"geojson":{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":null}]}}"#.to_vec(), 201),
        ("GET", "/rights/%ff%fe".into(), None, vec![], 400),
        ("GET", "/api/rights/..%2F..%2Fetc".into(), None, vec![], 404),
        ("GET", "/api/docs/..%2F..%2FCargo.toml".into(), None, vec![], 404),
        ("DELETE", "/reviews/1".into(), None, vec![], 405),
        ("PUT", "/api/reviews".into(), None, vec![], 405),
    ];
    for (method, path, ct, body, expected) in cases {
        let mut req = admin
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                format!("{base}{path}"),
            )
            .header("x-csrf-token", &t)
            .body(body);
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let ctype = r
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let text = r.text().await.unwrap();
        assert_eq!(
            status,
            expected,
            "{method} {path}: {}",
            text.chars().take(300).collect::<String>()
        );
        if path.starts_with("/api/") && status >= 400 {
            let v: Value =
                serde_json::from_str(&text).unwrap_or_else(|_| panic!("{path}: not JSON: {text}"));
            assert!(v["code"].is_string(), "{path}: {v}");
            let msg = v["message"].as_str().unwrap();
            assert!(
                msg.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{path}: {msg}"
            );
        } else if status >= 400 {
            assert!(ctype.starts_with("text/html"), "{path}: {ctype}");
        }
    }
    // Nothing was reviewed by any of it.
    assert!(srv.store.list_reviews(None).await.unwrap().is_empty());
    let _ = Actor::System;
}

#[tokio::test]
async fn an_uploaded_corner_file_is_kept_with_the_review() {
    let srv = start().await;
    let c = logged_in(&srv.base, "shenpi").await;
    let t = token(&c, &srv.base).await;
    let mut form = reqwest::multipart::Form::new().text("csrf_token", t.clone());
    for (k, v) in qingfa_form(&[("corners_text", "")]) {
        form = form.text(k, v);
    }
    form = form.part(
        "corners_file",
        reqwest::multipart::Part::bytes(qingfa_corners().into_bytes())
            .file_name("庆发采石场坐标.txt"),
    );
    let r = c
        .post(format!("{}/intake", srv.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = review_id(r.headers()["location"].to_str().unwrap());
    let v = get_json(&c, &srv.base, &format!("/api/reviews/{id}")).await;
    assert_eq!(v["inputs"]["corner_file_name"], "庆发采石场坐标.txt");
    assert!(
        v["inputs"]["application_toml"]
            .as_str()
            .unwrap()
            .contains("file = \"庆发采石场坐标.txt\"")
    );
    assert_eq!(v["review"]["conclusion"], "符合");
    assert_eq!(v["reproducible"]["matches"], true, "{}", v["reproducible"]);
    let record = srv.store.review_record(id).await.unwrap();
    assert_eq!(record.input_corners.unwrap(), qingfa_corners().into_bytes());
    // A GBK file (the MNR key=value submission layout) is read as such.
    let gbk = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../minplan-geo/tests/data/suifenhe_kv_gbk.txt"
    ))
    .unwrap();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(gbk).file_name("报盘.txt"),
    );
    let v: Value = c
        .post(format!("{}/api/corners/check", srv.base))
        .header("x-csrf-token", t)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["layout"], "mnr_key_value");
    assert!(
        v["notes"][0].as_str().unwrap().contains("GBK"),
        "{}",
        v["notes"]
    );
    let entered: usize = v["rings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["points"].as_array().unwrap().len())
        .sum();
    assert!(entered >= 8);
    assert_eq!(
        v["points_lonlat"].as_array().unwrap().len(),
        entered,
        "every point placed"
    );
}

/// 申报面积 on the intake form (examples/01: ellipsoidal 0.0200 km², plane 0.0200 km²): a
/// figure that disagrees beyond its rounding is an error at the field and among the corner
/// problems, naming the figure and both computed areas, and nothing is stored; an unreadable
/// one is a field error; one that agrees (in 公顷) is reviewed and kept with the application.
/// The JSON API and the live corner check say the same.
#[tokio::test]
async fn the_declared_area_is_checked_against_the_corners() {
    let srv = start().await;
    let c = logged_in(&srv.base, "shenpi").await;
    let (s, html) = get_text(&c, &srv.base, "/intake").await;
    assert_eq!(s, 200);
    assert!(
        html.contains("申报面积（可不填") && field(&html, "declared_area").contains("maxlength")
    );

    // Disagrees: 0.0201 (±0.00005) against 0.0200.
    let r = post_form(
        &c,
        &srv.base,
        "/intake",
        &qingfa_form(&[("declared_area", "0.0201")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    let f = field(&html, "declared_area");
    assert!(
        f.contains("field-error")
            && f.contains("value=\"0.0201\"")
            && f.contains("申报面积“0.0201”")
            && f.contains("椭球面积 0.0200 km²")
            && f.contains("平面面积 0.0200 km²"),
        "{f}"
    );
    let start = html.find("id=\"corner-problems\"").expect("problem table");
    let problems = &html[start..start + html[start..].find("</table>").unwrap()];
    assert!(
        problems.contains("problem-error") && problems.contains("申报面积“0.0201”"),
        "{problems}"
    );
    // 检查坐标 shows it too (with the check, before any review).
    let r = post_form(
        &c,
        &srv.base,
        "/intake",
        &qingfa_form(&[("action", "check"), ("declared_area", "0.0201")]),
    )
    .await;
    let html = r.text().await.unwrap();
    assert!(
        html.contains("坐标或申报面积有问题") && html.contains("申报面积“0.0201”"),
        "{html}"
    );
    // … at the field too, and among what the text states with its outcome.
    let f = field(&html, "declared_area");
    assert!(f.contains("field-error") && f.contains("不相符"), "{f}");
    assert!(
        html.contains("申报面积“0.0201”：与按坐标计算的面积不符"),
        "{html}"
    );

    // Unreadable: a field error, nothing else done.
    for action in ["review", "check"] {
        let r = post_form(
            &c,
            &srv.base,
            "/intake",
            &qingfa_form(&[("action", action), ("declared_area", "两公顷")]),
        )
        .await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{action}");
        let html = r.text().await.unwrap();
        let f = field(&html, "declared_area");
        assert!(
            f.contains("field-error") && f.contains("两公顷") && f.contains("申报面积"),
            "{action}: {f}"
        );
    }

    // The JSON API: refused with the field and the corner problem, nothing stored.
    let mut form: serde_json::Map<String, Value> = qingfa_form(&[("declared_area", "0.0201")])
        .into_iter()
        .filter(|(k, _)| k != "action")
        .map(|(k, v)| {
            let v = if v == "on" { json!(true) } else { json!(v) };
            (k, v)
        })
        .collect();
    let r = post_json(
        &c,
        &srv.base,
        "/api/reviews",
        &json!({ "application": form.clone() }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    let err = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "declared_area")
        .unwrap_or_else(|| panic!("{v}"));
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("椭球面积 0.0200 km²"),
        "{err}"
    );
    assert!(
        v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["field"] == "declared_area"),
        "{v}"
    );
    assert!(
        v["corner_check"]["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kind"] == "stated_figure_mismatch"
                && p["severity"] == "error"
                && p["message"]
                    .as_str()
                    .unwrap()
                    .starts_with("申报面积“0.0201”")),
        "{v}"
    );
    form.insert("declared_area".into(), json!("0.02平方千米呀"));
    let r = post_json(
        &c,
        &srv.base,
        "/api/reviews",
        &json!({ "application": form }),
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["fields"][0]["field"], "declared_area", "{v}");
    assert!(srv.store.list_reviews(None).await.unwrap().is_empty());

    // The live corner check.
    let v: Value = post_json(
        &c,
        &srv.base,
        "/api/corners/check",
        &json!({ "text": qingfa_corners(), "declared_area": "0.0201" }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(v["ok"], false);
    assert!(
        v["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["message"].as_str().unwrap().contains("申报面积“0.0201”")),
        "{v}"
    );
    let v: Value = post_json(
        &c,
        &srv.base,
        "/api/corners/check",
        &json!({ "text": qingfa_corners(), "declared_area": "两公顷" }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["option_problems"][0]["field"], "declared_area", "{v}");
    let v: Value = post_json(
        &c,
        &srv.base,
        "/api/corners/check",
        &json!({ "text": qingfa_corners(), "declared_area": "2公顷" }),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(v["ok"], true, "{v}");

    // Agrees (2 公顷 = 0.02 km², ±0.005 km²): reviewed, saved, kept as written.
    let r = post_form(
        &c,
        &srv.base,
        "/intake",
        &qingfa_form(&[("declared_area", "2公顷")]),
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = review_id(r.headers()["location"].to_str().unwrap());
    let stored = get_json(&c, &srv.base, &format!("/api/reviews/{id}")).await;
    assert!(
        stored["inputs"]["application_toml"]
            .as_str()
            .unwrap()
            .contains("declared_area = \"2公顷\"")
    );
    let apps = srv.store.application_records().await.unwrap();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].declared_area.as_deref(), Some("2公顷"));
}

/// The GDAL-written GBK Shapefile of minplan-io's tests, as loose files.
fn gdal_shapefile_parts() -> Vec<reqwest::multipart::Part> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../minplan-io/tests/data/gdal/shp_ldid");
    [
        "hongxian.shp",
        "hongxian.shx",
        "hongxian.dbf",
        "hongxian.prj",
    ]
    .iter()
    .map(|n| {
        reqwest::multipart::Part::bytes(std::fs::read(dir.join(n)).unwrap())
            .file_name(n.to_string())
    })
    .collect()
}

#[tokio::test]
async fn a_shapefile_is_checked_then_imported_from_the_browser_and_layers_go_out_as_files() {
    let srv = start().await;
    let guihua = logged_in(&srv.base, "guihua").await;
    let t = token(&guihua, &srv.base).await;
    let form = |action: &str| {
        let mut f = reqwest::multipart::Form::new()
            .text("csrf_token", t.clone())
            .text("kind", "ecological_red_line")
            .text("action", action.to_string());
        for p in gdal_shapefile_parts() {
            f = f.part("file", p);
        }
        f
    };
    // 检查: every feature listed with its Chinese name and area; nothing stored.
    let r = guihua
        .post(format!("{}/layers", srv.base))
        .multipart(form("check"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let p = &html[html.find("id=\"layer-preview\"").unwrap()..];
    assert!(
        p.contains("绥芬河生态保护红线一区")
            && p.contains("阜宁镇红线（含挖空）")
            && p.contains("两片红线"),
        "{p}"
    );
    assert!(p.contains("EPSG:4532") && p.contains("0x4D"), "{p}");
    assert!(srv.store.list_layers().await.unwrap().is_empty());
    // 导入.
    let r = guihua
        .post(format!("{}/layers", srv.base))
        .multipart(form("import"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    let (_, html) = get_text(&guihua, &srv.base, &location).await;
    assert!(
        html.contains("id=\"layer-notes\"") && html.contains("GBK"),
        "notes shown"
    );
    let v = srv.store.list_layers().await.unwrap();
    assert_eq!((v.len(), v[0].feature_count), (1, 3));
    // Without its .prj and without an EPSG code the file is refused, naming what to do.
    let mut f = reqwest::multipart::Form::new()
        .text("csrf_token", t.clone())
        .text("kind", "ecological_red_line");
    for p in gdal_shapefile_parts().into_iter().take(3) {
        f = f.part("file", p);
    }
    let r = guihua
        .post(format!("{}/layers", srv.base))
        .multipart(f)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field(&r.text().await.unwrap(), "file").contains("请指定坐标系"));
    assert_eq!(srv.store.list_layers().await.unwrap().len(), 1);
    // The layers reviews use, as a Shapefile zip: the imported red line with its Chinese names.
    let r = guihua
        .get(format!("{}/layers/export?format=shp", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/zip");
    let cd = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cd.contains("filename*=UTF-8''"), "{cd}");
    let bytes = r.bytes().await.unwrap().to_vec();
    let back = minplan_io::read_layer(
        &[minplan_io::InputFile {
            name: "x.zip".into(),
            bytes,
        }],
        &minplan_io::ReadOptions {
            layer: Some("生态保护红线".into()),
            ..Default::default()
        },
    )
    .unwrap();
    let names: Vec<_> = back
        .features
        .iter()
        .map(|f| f.properties["名称"].clone())
        .collect();
    assert!(
        names.contains(&json!("绥芬河生态保护红线一区")),
        "{names:?}"
    );
    // The planning blocks are public, with the planning database's fields.
    let anon = reqwest::Client::new();
    let r = anon
        .get(format!("{}/blocks/export?format=gpkg", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let gpkg = r.bytes().await.unwrap().to_vec();
    let blocks = minplan_io::read_layer(
        &[minplan_io::InputFile {
            name: "b.gpkg".into(),
            bytes: gpkg,
        }],
        &minplan_io::ReadOptions {
            layer: Some("开采规划区块".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(!blocks.features.is_empty());
    assert!(blocks.features[0].properties.contains_key("规划区编号"));
    // An unknown format is a 400; a company account cannot export the register.
    let r = guihua
        .get(format!("{}/rights/export?format=pdf", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let qiye = logged_in(&srv.base, "qiye").await;
    let r = qiye
        .get(format!("{}/rights/export?format=shp", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, html) = get_text(&qiye, &srv.base, "/rights").await;
    assert!(
        !html.contains("rights-export"),
        "no export link for a company"
    );
}

#[tokio::test]
async fn a_dxf_corner_file_is_read_as_corner_text_at_intake() {
    let srv = start().await;
    let c = logged_in(&srv.base, "shenpi").await;
    let t = token(&c, &srv.base).await;
    // The 庆发 corners drawn as a closed LWPOLYLINE in zone 44 (eastings with the prefix).
    let pts: Vec<(String, String)> = qingfa_corners()
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('*'))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[2].to_string(), f[1].to_string())
        })
        .collect();
    let mut dxf = format!(
        "0\nSECTION\n2\nENTITIES\n0\nLWPOLYLINE\n8\n采区\n90\n{}\n70\n1\n",
        pts.len()
    );
    for (e, n) in &pts {
        dxf.push_str(&format!("10\n{e}\n20\n{n}\n"));
    }
    dxf.push_str("0\nENDSEC\n0\nEOF\n");
    let mut form = reqwest::multipart::Form::new().text("csrf_token", t);
    for (k, v) in qingfa_form(&[("corners_text", "")]) {
        form = form.text(k, v);
    }
    form = form.part(
        "corners_file",
        reqwest::multipart::Part::bytes(dxf.into_bytes()).file_name("范围.dxf"),
    );
    let r = c
        .post(format!("{}/intake", srv.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = review_id(r.headers()["location"].to_str().unwrap());
    let v = get_json(&c, &srv.base, &format!("/api/reviews/{id}")).await;
    assert_eq!(v["inputs"]["corner_file_name"], "范围.dxf");
    // The same conclusion and area as the text corner file, and the record reproduces.
    assert_eq!(v["review"]["conclusion"], "符合");
    assert_eq!(v["reproducible"]["matches"], true, "{}", v["reproducible"]);
    let text = String::from_utf8(
        srv.store
            .review_record(id)
            .await
            .unwrap()
            .input_corners
            .unwrap(),
    )
    .unwrap();
    for (e, n) in &pts {
        assert!(
            text.contains(e.as_str()) && text.contains(n.as_str()),
            "{e} {n} kept as written: {text}"
        );
    }
}
