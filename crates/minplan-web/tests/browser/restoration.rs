//! 生态修复 in the browser: with the Suifenhe baseline loaded (14 示意 legacy mines, 11
//! projects), 生态修复 enters a legacy mine from pasted corner coordinates, moves it to 治理中,
//! enters a project on it, sees the acceptance refused while the site is 治理中, marks the site
//! 已治理, accepts the project (the site becomes 已验收), and finds it on the restoration map,
//! which draws. Screenshots in `target/browser/restoration/`.

use super::*;
use minplan_store::Actor;

async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap();
}

async fn body_has(c: &Client, what: &str, text: &str) {
    let script = format!(
        "return document.body.innerText.includes({})",
        serde_json::to_string(text).unwrap()
    );
    until(c, what, &script).await;
}

/// Sets a field's value by script (date inputs and selects).
async fn set(c: &Client, name: &str, value: &str) {
    let script = format!(
        "document.querySelector('[name={name}]').value = {}; return true",
        serde_json::to_string(value).unwrap()
    );
    js(c, &script).await;
}

const CORNERS: &str = "1,4925000.00,44430000.00\n2,4925000.00,44430200.00\n3,4925100.00,44430200.00\n4,4925100.00,44430000.00\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver; .ci/run installs them and runs it with --ignored"]
async fn a_legacy_mine_is_restored_through_a_project_and_accepted() {
    let driver_bin = find_binary("MINPLAN_CHROMEDRIVER", &["chromedriver"]);
    let chromium = find_binary(
        "MINPLAN_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let dir = out_dir().join("restoration");
    std::fs::create_dir_all(&dir).unwrap();
    let srv = start().await;
    let base = srv.base.clone();
    let seeded = srv
        .store
        .seed_restoration_baseline(&Actor::System)
        .await
        .unwrap();
    assert_eq!((seeded.legacy_mines, seeded.projects), (14, 11));

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
        c.goto(&format!("{base}/login?next=/restoration/legacy"))
            .await
            .unwrap();
        fill(&c, "username", "xiufu").await;
        fill(&c, "password", PW).await;
        click(&c, "form[action=\"/login\"] button[type=submit]").await;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("form[action=\"/restoration/legacy\"]"))
            .await
            .expect("the legacy-mine form");
        body_has(&c, "the seeded inventory", "示意历史遗留矿山14号").await;

        // The legacy mine.
        fill(&c, "name", "阜宁镇废弃采石场").await;
        fill(&c, "township", "阜宁镇").await;
        fill(&c, "mineral", "建筑用花岗岩").await;
        click(&c, "input[name=finding_1]").await;
        click(&c, "input[name=no_responsible]").await;
        set(&c, "direction", "林地").await;
        fill(&c, "reason", "周边为林地，宜林则林").await;
        fill(&c, "corners", CORNERS).await;
        set(&c, "datum", "CGCS2000").await;
        fill(&c, "stated_area", "2公顷").await;
        screenshot(&c, &dir, "01-legacy-form").await;
        click(&c, "#legacy-add button[type=submit]").await;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#legacy-status"))
            .await
            .expect("the legacy mine's page");
        body_has(&c, "the computed area", "0.0200 平方公里").await;
        body_has(&c, "the first status", "未治理").await;
        let mine_url = c.current_url().await.unwrap().path().to_string();
        click(&c, "#legacy-step-submit").await;
        body_has(&c, "the step to 治理中", "已保存").await;
        until(
            &c,
            "治理中",
            "return document.querySelector('#legacy-status').innerText.startsWith('治理中')",
        )
        .await;

        // The project on it.
        c.goto(&format!("{base}/restoration/projects"))
            .await
            .unwrap();
        fill(&c, "name", "阜宁镇废弃采石场生态修复").await;
        fill(&c, "budget", "80").await;
        fill(&c, "restored_area", "0.02").await;
        set(&c, "start", "2026-05-01").await;
        fill(&c, "fund_central", "50").await;
        fill(&c, "fund_social", "30").await;
        let id = mine_url.rsplit('/').next().unwrap().to_string();
        click(&c, &format!("input[name=site_legacy_{id}]")).await;
        click(&c, "input[name=key_project]").await;
        screenshot(&c, &dir, "02-project-form").await;
        click(&c, "#project-add button[type=submit]").await;
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#project-accept"))
            .await
            .expect("the project's page");
        let project_url = c.current_url().await.unwrap().path().to_string();

        // The acceptance, refused while the site is 治理中.
        set(&c, "accepted_on", "2026-11-30").await;
        fill(&c, "accepted_by", "绥芬河市自然资源局").await;
        fill(&c, "acceptance_number", "绥自然资验〔2026〕7号").await;
        click(&c, "#project-accept-submit").await;
        body_has(
            &c,
            "the refusal naming the site",
            "以下历史遗留矿山尚未治理完成，不能验收：阜宁镇废弃采石场（治理中）",
        )
        .await;
        screenshot(&c, &dir, "03-acceptance-refused").await;

        // 已治理, then the acceptance.
        c.goto(&format!("{base}{mine_url}")).await.unwrap();
        click(&c, "#legacy-step-submit").await;
        until(
            &c,
            "已治理",
            "return document.querySelector('#legacy-status').innerText.startsWith('已治理')",
        )
        .await;
        c.goto(&format!("{base}{project_url}")).await.unwrap();
        set(&c, "accepted_on", "2026-11-30").await;
        fill(&c, "accepted_by", "绥芬河市自然资源局").await;
        fill(&c, "acceptance_number", "绥自然资验〔2026〕7号").await;
        click(&c, "#project-accept-submit").await;
        body_has(
            &c,
            "the acceptance",
            "2026年11月30日，绥芬河市自然资源局，绥自然资验〔2026〕7号",
        )
        .await;
        body_has(&c, "the site accepted", "阜宁镇废弃采石场（已验收）").await;
        screenshot(&c, &dir, "04-accepted").await;

        // The map: 15 entries, 示意 marked, drawn.
        c.goto(&format!("{base}/restoration/map")).await.unwrap();
        body_has(&c, "the map's table", "阜宁镇废弃采石场").await;
        until(&c, "the restoration map to draw", MAP_DRAWN).await;
        let rows = js(
            &c,
            "return document.querySelectorAll('#map-table tbody tr').length",
        )
        .await;
        assert_eq!(rows, json!(15));
        screenshot(&c, &dir, "05-map").await;
    }
    .await;
    let _ = c.close().await;
    drop(driver);
    result
}
