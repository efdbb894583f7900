//! Lists that scale, over real HTTP: 矿业权, 审查记录, 申请, 年度报告 and 监管提醒 paged,
//! searched, filtered and sorted with the query in the URL; each list's XLSX export read back
//! with calamine (every matching row, typed cells); the 工作台's reminder counts and its ten
//! most urgent; the import templates accepted by their importers.

mod common;

use calamine::{Data, Reader, Xlsx};
use common::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::io::Cursor;

/// 120 rights: every third a 砖瓦用黏土 one, the others 建筑用石; 生产规模 = i + 1; the first five
/// end within 30 days, the next fifteen ended in 2020.
fn register(today: time::Date) -> Value {
    let soon = (today + time::Duration::days(30)).to_string();
    let features: Vec<Value> = (0..120)
        .map(|i| {
            let lon = 131.0 + f64::from(i % 12) * 0.004;
            let lat = 44.40 + f64::from(i / 12) * 0.004;
            let valid_to = match i {
                0..5 => soon.clone(),
                5..20 => "2020-06-30".to_string(),
                _ => "2030-12-31".to_string(),
            };
            json!({"type": "Feature", "properties": {
                "id": format!("C2310812020{i:06}"), "kind": "采矿权", "status": "有效",
                "name": format!("列表采石场{i:03}"), "holder_name": format!("列表建材{i:03}有限公司"),
                "minerals": if i % 3 == 0 { json!(["砖瓦用黏土"]) } else { json!(["建筑用石"]) },
                "capacity": i + 1, "capacity_unit": "万吨/年",
                "valid_from": "2020-01-01", "valid_to": valid_to},
             "geometry": {"type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.002, lat], [lon + 0.002, lat + 0.002], [lon, lat + 0.002], [lon, lat]]]}})
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

async fn get(c: &Client, url: String) -> (StatusCode, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

async fn get_json(c: &Client, url: String) -> Value {
    let r = c.get(url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn xlsx(c: &Client, url: String) -> Xlsx<Cursor<Vec<u8>>> {
    let r = c.get(url.clone()).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{url}");
    assert!(
        r.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".xlsx"),
        "{url}"
    );
    Xlsx::new(Cursor::new(r.bytes().await.unwrap().to_vec())).unwrap()
}

/// The data-ids of the rights table's rows, in order.
fn ids(html: &str) -> Vec<String> {
    html.split("<tr data-id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_string())
        .collect()
}

fn total(html: &str) -> u64 {
    html.split("<strong class=\"list-total\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .parse()
        .unwrap()
}

async fn seeded() -> (Server, Client) {
    let srv = start().await;
    let staff = logged_in(&srv.base, "shenpi").await;
    let t = token(&staff, &srv.base).await;
    let today = minplan_web::workbench::today_in_china();
    let r = staff
        .post(format!("{}/api/rights", srv.base))
        .header("x-csrf-token", t)
        .json(&json!({ "geojson": register(today) }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["imported"], 120, "{v}");
    (srv, staff)
}

#[tokio::test]
async fn the_register_pages_searches_filters_sorts_and_exports() {
    let (srv, staff) = seeded().await;
    let base = &srv.base;
    let (s, html) = get(&staff, format!("{base}/rights")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(total(&html), 120);
    assert!(html.contains("第 1 / 3 页"), "{html}");
    let page1 = ids(&html);
    assert_eq!(page1.len(), 50);
    assert_eq!(page1[0], "C2310812020000000");
    // Page sizes and pages; a page past the end shows the last.
    let (_, html) = get(&staff, format!("{base}/rights?per=20&page=6")).await;
    assert!(html.contains("第 6 / 6 页"));
    assert_eq!(ids(&html)[0], "C2310812020000100");
    assert_eq!(ids(&html).len(), 20);
    let (_, html) = get(&staff, format!("{base}/rights?page=99")).await;
    assert!(html.contains("第 3 / 3 页"));
    assert_eq!(ids(&html).len(), 20);
    // Search and filters, in SQL.
    let (_, html) = get(&staff, format!("{base}/rights?q=列表采石场007")).await;
    assert_eq!(ids(&html), ["C2310812020000007"]);
    let (_, html) = get(&staff, format!("{base}/rights?mineral=砖瓦用黏土")).await;
    assert_eq!(total(&html), 40);
    assert!(html.contains("<option value=\"砖瓦用黏土\" selected>"));
    // A licence past its 有效期止 reads 已过期 (stored 有效), as the review and the reminders
    // read it: shown, filtered, offered and exported so.
    let (_, html) = get(&staff, format!("{base}/rights?status=已过期")).await;
    assert_eq!(total(&html), 15, "{html}");
    assert_eq!(ids(&html)[0], "C2310812020000005");
    assert!(
        html.contains("<option value=\"已过期\" selected>"),
        "{html}"
    );
    let (_, html) = get(&staff, format!("{base}/rights?status=有效")).await;
    assert_eq!(total(&html), 105);
    let mut x = xlsx(&staff, format!("{base}/rights/list.xlsx?status=已过期")).await;
    let r = x.worksheet_range("矿业权").unwrap();
    assert_eq!(r.height(), 16);
    assert_eq!(r.get((1, 2)), Some(&Data::String("已过期".into())));
    // Sort by 生产规模, descending; the header link reverses it.
    let (_, html) = get(
        &staff,
        format!("{base}/rights?mineral=砖瓦用黏土&sort=capacity&dir=desc"),
    )
    .await;
    assert_eq!(ids(&html)[..2], ["C2310812020000117", "C2310812020000114"]);
    assert!(html.contains("aria-sort=\"descending\""));
    let unescaped = html.replace("&#38;", "&").replace("&amp;", "&");
    assert!(unescaped.contains("sort=capacity&dir=asc"));
    // The same on the JSON API.
    let v = get_json(
        &staff,
        format!("{base}/api/rights?mineral=砖瓦用黏土&per=20&page=2&sort=capacity"),
    )
    .await;
    assert_eq!(
        (v["total"].as_u64(), v["pages"].as_u64(), v["page"].as_u64()),
        (Some(40), Some(2), Some(2))
    );
    assert_eq!(v["rights"].as_array().unwrap().len(), 20);
    assert_eq!(v["rights"][0]["id"], "C2310812020000060");
    // The export: every matching row (not only the page), typed.
    let mut x = xlsx(
        &staff,
        format!("{base}/rights/list.xlsx?mineral=砖瓦用黏土&sort=capacity&dir=desc"),
    )
    .await;
    let r = x.worksheet_range("矿业权").unwrap();
    assert_eq!(r.height(), 41);
    assert_eq!(r.get((0, 0)), Some(&Data::String("许可证号".into())));
    assert_eq!(
        r.get((1, 0)),
        Some(&Data::String("C2310812020000117".into()))
    );
    assert_eq!(r.get((1, 6)), Some(&Data::String("砖瓦用黏土".into())));
    assert_eq!(r.get((1, 7)), Some(&Data::Float(118.0)));
    let Some(Data::DateTime(d)) = r.get((1, 11)) else {
        panic!("有效期止 should be a date: {:?}", r.get((1, 11)));
    };
    assert_eq!(d.as_f64(), 47848.0); // 2030-12-31
    let about = x.worksheet_range("说明").unwrap();
    let text: Vec<String> = about.rows().flatten().map(|c| c.to_string()).collect();
    assert!(text.contains(&"矿种：砖瓦用黏土".to_string()), "{text:?}");
    // A company sees (and exports) its own rights only: none here.
    let qiye = logged_in(base, "qiye").await;
    let (_, html) = get(&qiye, format!("{base}/rights")).await;
    assert_eq!(total(&html), 0);
    let mut x = xlsx(&qiye, format!("{base}/rights/list.xlsx")).await;
    assert_eq!(x.worksheet_range("矿业权").unwrap().height(), 1);
}

#[tokio::test]
async fn reminders_are_counted_by_kind_and_the_workbench_shows_the_ten_most_urgent() {
    let (srv, staff) = seeded().await;
    let base = &srv.base;
    let w = get_json(&staff, format!("{base}/api/workbench")).await;
    let counts = w["reminder_counts"].as_array().unwrap();
    let count = |kind: &str| {
        counts
            .iter()
            .find(|c| c["kind"] == kind)
            .map(|c| (c["count"].as_u64().unwrap(), c["urgent"].as_u64().unwrap()))
    };
    assert_eq!(count("licence_expired"), Some((15, 15)), "{counts:?}");
    assert_eq!(
        count("licence_expiring").map(|c| c.0),
        Some(5),
        "{counts:?}"
    );
    let shown = w["reminders"].as_array().unwrap();
    assert_eq!(shown.len(), 10);
    assert!(shown.iter().all(|r| r["overdue"] == true));
    assert!(w["reminder_total"].as_u64().unwrap() >= 20);
    let (_, html) = get(&staff, format!("{base}/workbench")).await;
    assert!(html.contains("href=\"/reminders\" id=\"all-reminders\""));
    assert_eq!(html.matches("<li class=\"overdue\"").count(), 10);
    // The reminders page: by kind, urgent ones, paged.
    let (s, html) = get(&staff, format!("{base}/reminders?kind=licence_expiring")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(total(&html), 5);
    assert_eq!(html.matches("data-kind=\"licence_expiring\"").count(), 5);
    let (_, html) = get(&staff, format!("{base}/reminders?urgency=urgent&per=20")).await;
    assert!(total(&html) >= 15);
    assert!(!html.contains("<tr class=\"soon\""));
    let mut x = xlsx(
        &staff,
        format!("{base}/reminders/list.xlsx?kind=licence_expired"),
    )
    .await;
    let r = x.worksheet_range("监管提醒").unwrap();
    assert_eq!(r.height(), 16);
    assert_eq!(r.get((1, 1)), Some(&Data::String("紧急".into())));
    assert!(matches!(r.get((1, 3)), Some(Data::Float(d)) if *d < -365.0));
    // The 说明 sheet names the filters in words, never by their codes (a kind with no
    // reminder now too).
    for (query, want) in [
        (
            "kind=licence_expired&urgency=urgent&q=测试",
            "类别：许可证已到期；紧急程度：紧急；查找：测试",
        ),
        (
            "kind=report_overdue&q=测试",
            "类别：年度报告逾期未报；查找：测试",
        ),
        ("urgency=soon", "紧急程度：提示"),
    ] {
        let mut x = xlsx(&staff, format!("{base}/reminders/list.xlsx?{query}")).await;
        let about = x.worksheet_range("说明").unwrap();
        let text: Vec<String> = about.rows().flatten().map(|c| c.to_string()).collect();
        assert!(text.contains(&want.to_string()), "{query}: {text:?}");
        assert!(
            !text.iter().any(|t| t.contains("report_overdue")
                || t.contains("licence_expired")
                || t.contains("urgent")
                || t.contains("soon")),
            "{text:?}"
        );
    }
    let mut x = xlsx(&staff, format!("{base}/reviews/list.xlsx?current=1")).await;
    let about = x.worksheet_range("说明").unwrap();
    let text: Vec<String> = about.rows().flatten().map(|c| c.to_string()).collect();
    assert!(
        text.contains(&"只看未被取代的记录：是".to_string()),
        "{text:?}"
    );
}

#[tokio::test]
async fn reviews_applications_and_annual_reports_page_filter_and_export() {
    let (srv, staff) = seeded().await;
    let base = &srv.base;
    // Reviews: none yet; a bad date names the field.
    let (s, body) = get(&staff, format!("{base}/reviews?from=2026-13-40")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body.contains("审查日期起"), "{body}");
    // A start after the end: said so, not an empty list (422: each date is well written,
    // their order is wrong).
    for path in ["reviews", "reviews/list.xlsx", "api/reviews"] {
        let (s, body) = get(
            &staff,
            format!("{base}/{path}?from=2026-12-10&to=2026-12-01"),
        )
        .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(body.contains("起始日期晚于截止日期"), "{path}: {body}");
    }
    let v = get_json(&staff, format!("{base}/api/reviews?per=20")).await;
    assert_eq!(
        (v["total"].as_u64(), v["per_page"].as_u64()),
        (Some(0), Some(20))
    );
    // Applications: none, the list says so.
    let (s, html) = get(&staff, format!("{base}/applications?status=在审")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(total(&html), 0);
    assert!(html.contains("<option value=\"在审\" selected>"));
    let mut x = xlsx(&staff, format!("{base}/applications/list.xlsx")).await;
    assert_eq!(
        x.worksheet_range("申请").unwrap().get((0, 0)),
        Some(&Data::String("申请编号".into()))
    );
    let mut x = xlsx(&staff, format!("{base}/reviews/list.xlsx?conclusion=符合")).await;
    let r = x.worksheet_range("审查记录").unwrap();
    assert_eq!(r.height(), 1);
    assert_eq!(
        r.get((0, 6)),
        Some(&Data::String("审查时间（北京时间）".into()))
    );
    // Annual reports of the seeded mines: the page's total is the export's rows; a report not
    // filed says 未报送, never 0.
    let (s, html) = get(&staff, format!("{base}/annual-reports?year=2024&per=20")).await;
    assert_eq!(s, StatusCode::OK);
    let n = total(&html);
    let mut x = xlsx(&staff, format!("{base}/annual-reports/list.xlsx?year=2024")).await;
    let r = x.worksheet_range("2024年度报告").unwrap();
    assert_eq!(r.height() as u64, n + 1);
    if n > 0 {
        assert_eq!(r.get((1, 5)), Some(&Data::String("未报送".into())));
        assert_eq!(r.get((1, 0)), Some(&Data::Float(2024.0)));
        let (_, html) = get(
            &staff,
            format!("{base}/annual-reports?year=2024&status=逾期未报&q=列表采石场119"),
        )
        .await;
        assert_eq!(total(&html), 1);
    }
}

#[tokio::test]
async fn the_import_templates_are_what_the_importers_read() {
    let srv = start().await;
    let base = &srv.base;
    let staff = logged_in(base, "shenpi").await;
    for (page, template, sheet, headers) in [
        (
            "/rights/import",
            "/rights/import/template.xlsx",
            "矿业权",
            minplan_store::right_columns(),
        ),
        (
            "/annual-reports/import",
            "/annual-reports/import/template.xlsx",
            "年度报告",
            minplan_store::report_columns(),
        ),
    ] {
        let (_, html) = get(&staff, format!("{base}{page}")).await;
        assert!(html.contains(&format!("href=\"{template}\"")), "{page}");
        let r = staff.get(format!("{base}{template}")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let bytes = r.bytes().await.unwrap().to_vec();
        let mut x = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
        assert_eq!(x.sheet_names(), [sheet, "填写说明"]);
        let rows = x.worksheet_range(sheet).unwrap();
        let header: Vec<String> = rows
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let expected: Vec<String> = headers.iter().map(|c| c.header.to_string()).collect();
        assert_eq!(header, expected);
        // Every column is explained.
        let help = x.worksheet_range("填写说明").unwrap();
        for h in &expected {
            assert!(
                help.rows()
                    .any(|r| r[0].to_string() == *h && !r[2].to_string().is_empty()),
                "{h}"
            );
        }
        // The template itself, uploaded as is: the importer takes its header (no problem on
        // row 1) and refuses the example row by name, and for that only (every other cell of
        // the example is what the importer reads).
        let csrf = token(&staff, base).await;
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", csrf)
            .text("mode", "dry_run")
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("模板.xlsx"),
            );
        let r = staff
            .post(format!("{base}{page}"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let html = r.text().await.unwrap();
        let outcome = html
            .split("id=\"import-outcome\">")
            .nth(1)
            .unwrap_or(&html)
            .split("</section>")
            .next()
            .unwrap()
            .to_string();
        assert!(html.contains("仅检查，未导入：共 1 行"), "{outcome}");
        assert!(!html.contains("<tr><td class=\"num\">1</td>"), "{outcome}");
        assert!(
            outcome.contains("这是导入模板的示例行（许可证号以“示例-”开头）"),
            "{outcome}"
        );
        assert!(html.contains("共 1 行，0 行无问题，1 个问题"), "{outcome}");
        assert_eq!(
            html.matches("<tr><td class=\"num\">2</td>").count(),
            1,
            "{outcome}"
        );
    }
}
