//! Maps in the browser: the review of examples/03 (a 1 km² geothermal application inside the
//! 14 km² block 231081-C01) shows the block's number on the interactive map, fits the view
//! to the whole block (not the application alone), shows the 审查意见书's figure (the same
//! SVG renderer) with its legend, and keeps the legend, north arrow and a dated title when
//! printed (print media emulated over chromedriver's CDP endpoint).

use super::{WAIT, find_binary, js, out_dir, screenshot, start_driver, until};
use crate::common::*;
use fantoccini::{ClientBuilder, Locator};
use serde_json::{Value, json};
use std::path::Path;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver; .ci/run installs them and runs it with --ignored"]
async fn the_review_map_shows_the_block_its_label_and_the_figure_and_prints_its_legend() {
    let driver_bin = find_binary("MINPLAN_CHROMEDRIVER", &["chromedriver"]);
    let chromium = find_binary(
        "MINPLAN_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let dir = out_dir();
    let srv = start().await;
    let base = srv.base.clone();

    // The review, saved through the API as 审批科.
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let toml = std::fs::read_to_string(examples.join("03-bielewa-geothermal.toml")).unwrap();
    let corners = std::fs::read_to_string(examples.join("03-bielewa-geothermal.txt")).unwrap();
    let api = logged_in(&base, "shenpi").await;
    let t = token(&api, &base).await;
    let r = api
        .post(format!("{base}/api/reviews"))
        .header("X-CSRF-Token", t)
        .json(&json!({
            "toml": toml,
            "corner_file": { "name": "03-bielewa-geothermal.txt", "content": corners },
            "save": true,
        }))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let outcome: Value = r.json().await.unwrap();
    assert!(status.is_success(), "{status}: {outcome}");
    assert_eq!(outcome["conclusion"], json!("基本符合（需人工核查）"));
    let url = outcome["url"].as_str().unwrap().to_string();

    let driver = start_driver(&driver_bin).await;
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1440,1100", "--lang=zh-CN", "--force-device-scale-factor=1"],
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("chromedriver session");
    let result = async {
        c.goto(&format!("{base}/login")).await.unwrap();
        for (n, v) in [("username", "shenpi"), ("password", PW)] {
            c.find(Locator::Css(&format!("[name=\"{n}\"]")))
                .await
                .unwrap()
                .send_keys(v)
                .await
                .unwrap();
        }
        c.find(Locator::Css("form[action=\"/login\"] button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Id("reminders"))
            .await
            .unwrap();
        c.goto(&format!("{base}{url}")).await.unwrap();
        until(
            &c,
            "the map",
            "return document.getElementById('map').dataset.ready === '1';",
        )
        .await;
        let blocks_loaded = "const m = document.getElementById('map').minplan; \
            const l = m.map.getLayers().getArray().find(l => l.get('id') === 'blocks'); \
            return !!l && l.getSource().getFeatures().length > 0;";
        until(&c, "the planning blocks", blocks_loaded).await;
        until(
            &c,
            "the map drawn",
            "const m = document.getElementById('map').minplan; m.map.renderSync(); return true;",
        )
        .await;
        // The block's number is its label on the map, and the view holds the whole block.
        let probe = js(
            &c,
            "const m = document.getElementById('map').minplan; \
             const l = m.map.getLayers().getArray().find(l => l.get('id') === 'blocks'); \
             const f = l.getSource().getFeatures().find(f => f.get('number') === '231081-C01'); \
             const k = l.getSource().getFeatures().find(f => f.get('number') === '231081-K01'); \
             const res = m.view.getResolution(); \
             const style = s => (Array.isArray(s) ? s[0] : s); \
             const sc = style(l.getStyleFunction()(f, res)); \
             const sk = style(l.getStyleFunction()(k, res)); \
             return { label: sc.getText().getText(), \
                      inView: ol.extent.containsExtent(m.view.calculateExtent(m.map.getSize()), f.getGeometry().getExtent()), \
                      mining: sc.getStroke().getColor(), exploration: sk.getStroke().getColor(), \
                      explorationDash: sk.getStroke().getLineDash(), declutter: l.getDeclutter ? l.getDeclutter() : l.get('declutter') };",
        )
        .await;
        assert_eq!(probe["label"], json!("231081-C01"), "{probe}");
        assert_eq!(
            probe["inView"],
            json!(true),
            "the view fits the whole block: {probe}"
        );
        assert_ne!(probe["mining"], probe["exploration"], "{probe}");
        assert!(probe["explorationDash"].is_array(), "{probe}");
        // The 审查意见书's figure: SVG with its legend (both block kinds).
        let fig = js(
            &c,
            "const s = document.querySelector('#review-figure svg'); \
             return { svg: !!s && s.querySelectorAll('path').length, \
                      legend: document.getElementById('figure-legend').textContent };",
        )
        .await;
        assert!(fig["svg"].as_u64().unwrap_or(0) > 20, "{fig}");
        let legend = fig["legend"].as_str().unwrap();
        assert!(
            legend.contains("开采规划区块") && legend.contains("勘查规划区块"),
            "{legend}"
        );
        // A click on the application opens the attributes inside the map, never over the
        // page header, however many features lie there.
        let popup = js(
            &c,
            "const m = document.getElementById('map').minplan; \
             const l = m.map.getLayers().getArray().find(l => l.get('id') === 'application'); \
             const px = m.map.getPixelFromCoordinate(ol.extent.getCenter(l.getSource().getExtent())); \
             const r = m.map.getViewport().getBoundingClientRect(); \
             const ev = new PointerEvent('pointerdown', { clientX: r.left + px[0], clientY: r.top + px[1] }); \
             m.map.dispatchEvent(new ol.MapBrowserEvent('singleclick', m.map, ev)); \
             const p = document.querySelector('.map-wrap .popup'); \
             const w = document.querySelector('.map-wrap').getBoundingClientRect(); \
             const b = p.getBoundingClientRect(); \
             return { shown: !p.hidden, text: p.textContent, inside: b.top >= w.top && b.bottom <= w.bottom && b.left >= w.left && b.right <= w.right };",
        )
        .await;
        assert_eq!(popup["shown"], json!(true), "{popup}");
        assert!(
            popup["text"].as_str().unwrap().contains("申请范围"),
            "{popup}"
        );
        assert_eq!(popup["inside"], json!(true), "{popup}");
        js(
            &c,
            "document.querySelector('.map-wrap').scrollIntoView(); return true;",
        )
        .await;
        screenshot(&c, &dir, "maps-01-review").await;
        js(
            &c,
            "document.getElementById('review-figure').scrollIntoView(); return true;",
        )
        .await;
        screenshot(&c, &dir, "maps-02-figure").await;

        // Print media keeps the legend (unfolded), the north arrow and the dated title.
        let session = c.session_id().await.unwrap().unwrap();
        let r = reqwest::Client::new()
            .post(format!("{}/session/{session}/goog/cdp/execute", driver.url))
            .json(&json!({ "cmd": "Emulation.setEmulatedMedia", "params": { "media": "print" } }))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
        let printed = js(
            &c,
            "const d = s => getComputedStyle(document.querySelector(s)).display; \
             return { legend: d('.layer-switcher'), entry: d('.layer-switcher label'), \
                      north: d('.north-arrow'), head: d('.map-print-head'), \
                      title: document.querySelector('.map-print-head').textContent, \
                      print: matchMedia('print').matches };",
        )
        .await;
        assert_eq!(printed["print"], json!(true), "{printed}");
        assert_ne!(printed["legend"], json!("none"), "{printed}");
        assert_ne!(printed["entry"], json!("none"), "{printed}");
        assert_ne!(printed["north"], json!("none"), "{printed}");
        assert_eq!(printed["head"], json!("flex"), "{printed}");
        let title = printed["title"].as_str().unwrap();
        assert!(
            title.contains("打印日期：") && title.contains("年") && title.contains("（北京时间）"),
            "{title}"
        );
        screenshot(&c, &dir, "maps-03-print").await;
    };
    let outcome = tokio::time::timeout(std::time::Duration::from_secs(180), result).await;
    c.close().await.ok();
    outcome.expect("the maps browser test timed out");
}
