//! A register of 500 rights in the browser: the 矿业权 list paged (next page, the back
//! button), searched and sorted through the page's own form and headers, and exported — the
//! downloaded XLSX read back with calamine.

use super::*;
use calamine::{Data, Reader, Xlsx};

/// 500 rights: every fifth a 砖瓦用黏土 one; 生产规模 = i + 1.
fn register() -> Value {
    let features: Vec<Value> = (0..500)
        .map(|i: i32| {
            let lon = 130.95 + f64::from(i % 25) * 0.004;
            let lat = 44.35 + f64::from(i / 25) * 0.004;
            json!({"type": "Feature", "properties": {
                "id": format!("C2310812021{i:06}"), "kind": "采矿权", "status": "有效",
                "name": format!("浏览采石场{i:03}"), "holder_name": format!("浏览建材{i:03}有限公司"),
                "minerals": if i % 5 == 0 { json!(["砖瓦用黏土"]) } else { json!(["建筑用石"]) },
                "capacity": i + 1, "capacity_unit": "万吨/年",
                "valid_from": "2021-01-01", "valid_to": "2031-12-31"},
             "geometry": {"type": "Polygon", "coordinates": [[[lon, lat], [lon + 0.002, lat], [lon + 0.002, lat + 0.002], [lon, lat + 0.002], [lon, lat]]]}})
        })
        .collect();
    json!({"type": "FeatureCollection", "features": features})
}

async fn text_of(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn rows(c: &Client) -> usize {
    js(
        c,
        "return document.querySelectorAll('#rights-table tbody tr').length",
    )
    .await
    .as_u64()
    .unwrap() as usize
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver; .ci/run installs them and runs it with --ignored"]
async fn a_register_of_500_rights_is_paged_searched_sorted_and_exported() {
    let driver_bin = find_binary("MINPLAN_CHROMEDRIVER", &["chromedriver"]);
    let chromium = find_binary(
        "MINPLAN_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let dir = out_dir().join("lists");
    let downloads = dir.join("downloads");
    std::fs::create_dir_all(&downloads).unwrap();
    for e in std::fs::read_dir(&downloads).unwrap() {
        let _ = std::fs::remove_file(e.unwrap().path());
    }
    let srv = start().await;
    let base = srv.base.clone();
    // Seed the register through the import API.
    let staff = logged_in(&base, "shenpi").await;
    let t = token(&staff, &base).await;
    let r = staff
        .post(format!("{base}/api/rights"))
        .header("x-csrf-token", t)
        .json(&json!({ "geojson": register() }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["imported"], 500, "{v}");

    let driver = start_driver(&driver_bin).await;
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1440,1100", "--lang=zh-CN", "--force-device-scale-factor=1"],
            "prefs": {
                "download.default_directory": downloads,
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
                "safebrowsing.enabled": false,
            },
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("chromedriver session");

    let result = async {
        c.goto(&format!("{base}/login?next=/rights")).await.unwrap();
        fill(&c, "username", "shenpi").await;
        fill(&c, "password", PW).await;
        c.find(Locator::Css("form[action=\"/login\"] button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Id("rights-table"))
            .await
            .expect("the 矿业权 list");
        // 500 rights, 50 on a page, ten pages.
        assert_eq!(text_of(&c, ".list-total").await, "500");
        assert_eq!(rows(&c).await, 50);
        assert_eq!(text_of(&c, "#rights-pager .page-of").await, "第 1 / 10 页");
        js(&c, "document.getElementById('rights-list').scrollIntoView(); return true").await;
        screenshot(&c, &dir, "01-rights-page-1").await;
        // The next page, then back.
        c.find(Locator::Css("#rights-pager a[rel=next]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        until(
            &c,
            "page 2",
            "return (document.querySelector('#rights-pager .page-of')||{}).textContent === '第 2 / 10 页'",
        )
        .await;
        assert!(c.current_url().await.unwrap().query().unwrap_or("").contains("page=2"));
        let first = js(&c, "return document.querySelector('#rights-table tbody tr').dataset.id").await;
        assert_eq!(first, json!("C2310812021000050"));
        c.back().await.unwrap();
        until(
            &c,
            "back on page 1",
            "return (document.querySelector('#rights-pager .page-of')||{}).textContent === '第 1 / 10 页'",
        )
        .await;
        // Filter by 矿种 through the form, then sort by 生产规模 (twice: descending).
        c.find(Locator::Css("#rights-filters select[name=mineral] option[value='砖瓦用黏土']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.find(Locator::Css("#rights-filters button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        until(
            &c,
            "the filtered list",
            "return (document.querySelector('.list-total')||{}).textContent === '100'",
        )
        .await;
        for _ in 0..2 {
            let before = c.current_url().await.unwrap().to_string();
            c.find(Locator::XPath("//table[@id='rights-table']//th/a[contains(., '生产规模')]"))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
            let start = Instant::now();
            while c.current_url().await.unwrap().to_string() == before {
                assert!(start.elapsed() < WAIT, "sorting did not navigate");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            c.wait()
                .at_most(WAIT)
                .for_element(Locator::Id("rights-table"))
                .await
                .unwrap();
        }
        let first = js(&c, "return document.querySelector('#rights-table tbody tr').dataset.id").await;
        assert_eq!(first, json!("C2310812021000495"));
        // Search: one right.
        fill(&c, "q", "浏览采石场123").await;
        // The search keeps the mineral filter: 123 is a 建筑用石 right, so clear the filter.
        c.find(Locator::Css("#rights-filters select[name=mineral] option[value='']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.find(Locator::Css("#rights-filters button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        until(
            &c,
            "the search",
            "return (document.querySelector('.list-total')||{}).textContent === '1'",
        )
        .await;
        assert_eq!(rows(&c).await, 1);
        js(&c, "document.getElementById('rights-list').scrollIntoView(); return true").await;
        screenshot(&c, &dir, "02-rights-searched").await;
        // Back to the mineral filter, sorted descending, and export it.
        c.goto(&format!(
            "{base}/rights?mineral=%E7%A0%96%E7%93%A6%E7%94%A8%E9%BB%8F%E5%9C%9F&sort=capacity&dir=desc"
        ))
        .await
        .unwrap();
        c.find(Locator::Css("a.list-export"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let start = Instant::now();
        let file = loop {
            let done: Vec<PathBuf> = std::fs::read_dir(&downloads)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
                .collect();
            if let Some(p) = done.first() {
                break p.clone();
            }
            assert!(start.elapsed() < WAIT, "no XLSX downloaded");
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        assert_eq!(file.file_name().unwrap().to_string_lossy(), "矿业权.xlsx");
        let bytes = std::fs::read(&file).unwrap();
        let mut x = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let r = x.worksheet_range("矿业权").unwrap();
        // Every matching right (100), not only the page of 50.
        assert_eq!(r.height(), 101);
        assert_eq!(r.get((1, 0)), Some(&Data::String("C2310812021000495".into())));
        assert_eq!(r.get((1, 7)), Some(&Data::Float(496.0)));
        assert_eq!(r.get((100, 0)), Some(&Data::String("C2310812021000000".into())));
    }
    .await;
    let _ = c.close().await;
    drop(driver);
    result
}
