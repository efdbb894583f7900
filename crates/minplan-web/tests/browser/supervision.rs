//! 双随机一公开 in the browser, from plan to published results: 执法监察 makes a 抽查计划,
//! publishes the commitment, draws, makes the 抽查结果 draft and submits it; the 系统管理员
//! (another person) approves it; then a member of the public, on a 390 px wide phone screen,
//! finds the draw, re-checks it with 「验证」 (验证通过) and sees the results — without the
//! page scrolling sideways.

use super::*;
use minplan_domain::application::RightKind;
use minplan_domain::supervision::library::{InspectionItem, InspectionMethod};
use minplan_store::Actor;
use minplan_store::inspections::InspectorInput;

/// Nine rights of three holders' kinds, every third an exploration right.
async fn seed(srv: &Server) {
    let zone = minplan_store::ReviewEngine::load(&srv.store)
        .await
        .unwrap()
        .plan
        .loaded
        .plan
        .region
        .zone;
    let features: Vec<String> = (0..9)
        .map(|i| {
            let x = 131.05 + 0.003 * f64::from(i);
            format!(
                r#"{{"type":"Feature","properties":{{"id":"C-WEB-{i:02}","kind":"{}","name":"公示矿山{i}","holder_name":"公示企业{i}","minerals":"建筑用凝灰岩","valid_to":"2099-12-31"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},44.45],[{x2},44.45],[{x2},44.452],[{x},44.452],[{x},44.45]]]}}}}"#,
                if i % 3 == 0 { "探矿权" } else { "采矿权" },
                x2 = x + 0.002
            )
        })
        .collect();
    let fc = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    );
    let r = srv
        .store
        .import_rights(&fc, "web.geojson", zone, &Actor::System)
        .await
        .unwrap();
    assert_eq!(r.imported, 9, "{:?}", r.problems);
    for (name, badge) in [
        ("张执法", "ZF-101"),
        ("李执法", "ZF-102"),
        ("王执法", "ZF-103"),
    ] {
        srv.store
            .create_inspector(
                &InspectorInput {
                    name: name.into(),
                    badge_no: badge.into(),
                    unit: "绥芬河市自然资源执法监察大队".into(),
                    active: true,
                    username: String::new(),
                },
                &Actor::System,
            )
            .await
            .unwrap();
    }
    srv.store
        .save_inspection_item(
            None,
            &InspectionItem {
                code: "KC-01".into(),
                name: "勘查开采信息公示情况".into(),
                legal_basis: "《矿业权人勘查开采信息管理办法》".into(),
                proportion_pct: 100.0,
                frequency: "每年一次".into(),
                method: InspectionMethod::Documents,
                right_kinds: vec![RightKind::Exploration, RightKind::Mining],
            },
            true,
            &Actor::System,
        )
        .await
        .unwrap();
}

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn login(c: &Client, base: &str, next: &str, user: &str) {
    c.delete_all_cookies().await.unwrap();
    c.goto(&format!("{base}/login?next={next}")).await.unwrap();
    fill(c, "username", user).await;
    fill(c, "password", PW).await;
    click(c, "form[action=\"/login\"] button[type=submit]").await;
}

async fn body_has(c: &Client, what: &str, text: &str) {
    let script = format!(
        "return document.body.innerText.includes({})",
        serde_json::to_string(text).unwrap()
    );
    until(c, what, &script).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver; .ci/run installs them and runs it with --ignored"]
async fn a_year_of_random_inspections_from_plan_to_public_verification() {
    let driver_bin = find_binary("MINPLAN_CHROMEDRIVER", &["chromedriver"]);
    let chromium = find_binary(
        "MINPLAN_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let dir = out_dir().join("supervision");
    std::fs::create_dir_all(&dir).unwrap();
    let srv = start().await;
    let base = srv.base.clone();
    seed(&srv).await;
    let item_id = srv.store.inspection_items().await.unwrap()[0].id;

    let driver = start_driver(&driver_bin).await;
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,1000", "--lang=zh-CN", "--force-device-scale-factor=1"],
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("chromedriver session");

    let result = async {
        // 执法监察: the plan.
        login(&c, &base, "/inspections/plans", "zhifa").await;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("form[action=\"/inspections/plans\"]"))
            .await
            .expect("the 抽查计划 page");
        fill(&c, "year", "2026").await;
        fill(&c, "name", "2026年度双随机抽查计划").await;
        js(
            &c,
            "document.querySelector('[name=register_date]').value = '2026-03-01'; return true",
        )
        .await;
        click(&c, &format!("input[name=item_{item_id}]")).await;
        screenshot(&c, &dir, "01-plan-form").await;
        click(
            &c,
            "form[action=\"/inspections/plans\"] button[type=submit]",
        )
        .await;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("form[action$=\"/commit\"]"))
            .await
            .expect("the plan's page with 公布承诺");
        // The commitment, then the draw.
        click(&c, "form[action$=\"/commit\"] input[name=confirm]").await;
        click(&c, "form[action$=\"/commit\"] button[type=submit]").await;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Id("commitment"))
            .await
            .expect("the commitment");
        let commitment = js(
            &c,
            "return document.getElementById('commitment').textContent",
        )
        .await;
        assert_eq!(commitment.as_str().unwrap().len(), 64, "{commitment}");
        click(&c, "form[action$=\"/draw\"] input[name=confirm]").await;
        click(&c, "form[action$=\"/draw\"] button[type=submit]").await;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Id("targets-table"))
            .await
            .expect("the drawn targets");
        // 100 %: all nine rights are targets, each with two of the three inspectors.
        let rows = js(
            &c,
            "return document.querySelectorAll('#targets-table tbody tr').length",
        )
        .await;
        assert_eq!(rows, json!(9));
        screenshot(&c, &dir, "02-drawn").await;
        // The public sees the commitment, not yet the result.
        let draw = srv
            .store
            .inspection_plans()
            .await
            .unwrap()
            .into_iter()
            .next()
            .unwrap();
        let drawn = srv.store.current_draw(draw.id).await.unwrap().unwrap();
        let seed_hex = drawn.seed.clone().unwrap();
        // The 抽查结果 draft, submitted for review.
        click(&c, "#publish-results button[type=submit]").await;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Id("submit-form"))
            .await
            .expect("the draft's page");
        body_has(&c, "the preview lists the targets", "C-WEB-08").await;
        click(&c, "#submit-form button[type=submit]").await;
        body_has(&c, "submitted", "待审核").await;
        let publication = c.current_url().await.unwrap().path().to_string();

        // Before approval the public page keeps the seed sealed.
        c.delete_all_cookies().await.unwrap();
        c.goto(&format!("{base}/public/draws/{}", drawn.id))
            .await
            .unwrap();
        body_has(
            &c,
            "the public draw page",
            &commitment.as_str().unwrap()[..16],
        )
        .await;
        let sealed = js(
            &c,
            &format!("return document.body.innerText.includes('{seed_hex}')"),
        )
        .await;
        assert_eq!(sealed, json!(false), "the seed is public before approval");

        // The 系统管理员 approves.
        login(&c, &base, &publication, "root").await;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Id("approve-form"))
            .await
            .expect("the approval form");
        click(&c, "#approve-form input[name=confirm]").await;
        click(&c, "#approve-form button[type=submit]").await;
        body_has(&c, "published", "已公开").await;

        // The public, on a phone: the draw list, the draw, 「验证」.
        c.delete_all_cookies().await.unwrap();
        c.set_window_size(390, 844).await.unwrap();
        c.goto(&format!("{base}/public/draws")).await.unwrap();
        body_has(&c, "the draws list", "已抽取，结果已公布").await;
        click(&c, &format!("a[href=\"/public/draws/{}\"]", drawn.id)).await;
        body_has(&c, "the seed is public", &seed_hex).await;
        click(&c, "form[action$=\"/verify\"] button[type=submit]").await;
        body_has(&c, "verification", "验证通过").await;
        screenshot(&c, &dir, "03-verified-390").await;
        let fits = js(
            &c,
            "return document.documentElement.scrollWidth <= window.innerWidth + 1",
        )
        .await;
        assert_eq!(
            fits,
            json!(true),
            "the draw page scrolls sideways at 390 px"
        );
        // The results on the portal.
        c.goto(&format!("{base}/public/inspections")).await.unwrap();
        body_has(&c, "the published results", "C-WEB-08").await;
        body_has(&c, "not yet checked", "未检查").await;
        body_has(
            &c,
            "the title names the year once",
            "2026年度双随机抽查计划抽查结果",
        )
        .await;
        screenshot(&c, &dir, "04-results-390").await;
        let fits = js(
            &c,
            "return document.documentElement.scrollWidth <= window.innerWidth + 1",
        )
        .await;
        assert_eq!(
            fits,
            json!(true),
            "the results page scrolls sideways at 390 px"
        );
    }
    .await;
    let _ = c.close().await;
    drop(driver);
    result
}
