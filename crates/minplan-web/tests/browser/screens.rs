//! Phone width (390 × 844 CSS px): the public pages (信息公开 included), the company's filing
//! (年度报告), checks and list entries, and the inspectors' pages and forms (执法监察's
//! 检查任务, 名录, 双随机抽查, 工作日历, 公示审核; 生态修复's 闭坑 forms on a right's page) scroll no
//! page sideways (`document.documentElement.scrollWidth <= 390`), the header is one compact
//! bar with a menu button, and the map's layer list is folded so that it does not cover the
//! map. A screenshot of each page goes to the browser test's output dir as
//! `390-<name>.png`.

use super::common::{PW, Server, start};
use super::{WAIT, fill, find_binary, js, out_dir, screenshot, start_driver, until};
use fantoccini::{Client, ClientBuilder, Locator};
use minplan_store::Actor;
use serde_json::json;

const WIDTH: u32 = 390;
const HEIGHT: u32 = 844;

/// The elements that stick out past the right edge, for the failure message.
const OVERFLOWING: &str = r#"
const out = [];
for (const e of document.querySelectorAll('body *')) {
  const r = e.getBoundingClientRect();
  if (r.width > 0 && r.right > document.documentElement.clientWidth + 0.5) {
    out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') + ' right=' + Math.round(r.right));
    if (out.length > 12) break;
  }
}
return out.join('; ');
"#;

/// The company's right (credit code of the `qiye` test account) and one for the
/// inspectors' forms.
const RIGHTS: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"C-PHONE-1","name":"手机测试采石场","holder_name":"矩阵公司","credit_code":"91350100M000100Y43","minerals":"建筑用凝灰岩","capacity":5,"capacity_unit":"万立方米/年","valid_from":"2024-01-01","valid_to":"2027-01-01"},"geometry":{"type":"Polygon","coordinates":[[[131.05,44.45],[131.052,44.45],[131.052,44.452],[131.05,44.452],[131.05,44.45]]]}}]}"#;

async fn seed(srv: &Server) {
    let zone = minplan_store::ReviewEngine::load(&srv.store)
        .await
        .unwrap()
        .plan
        .loaded
        .plan
        .region
        .zone;
    srv.store
        .import_rights(RIGHTS, "phone.geojson", zone, &Actor::System)
        .await
        .unwrap();
    // A table import also opens the mine the company files for.
    let corners = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/01-qingfa-quarry.txt"),
    )
    .unwrap();
    let header = "许可证号,矿业权类型,状态,矿山名称,矿业权人,统一社会信用代码,矿种,生产规模,规模单位,审批级别,有效期起,有效期止,开采标高,拐点坐标";
    let row = "C-PHONE-2,采矿权,有效,手机测试二号采石场,矩阵公司,91350100M000100Y43,建筑用凝灰岩,5,万立方米/年,本级审批,2024-01-01,2027-12-31,560～480";
    let mut row: Vec<String> = row.split(',').map(str::to_string).collect();
    row.push(corners);
    let table = vec![header.split(',').map(str::to_string).collect(), row];
    let plan = srv.store.active_plan().await.unwrap().unwrap();
    let out = srv
        .store
        .import_rights_table(
            &plan.loaded.plan,
            &table,
            "phone.csv",
            minplan_store::BulkMode::Commit,
            &Actor::System,
        )
        .await
        .unwrap();
    assert!(
        out.committed && out.problems.is_empty(),
        "{:?}",
        out.problems
    );
}

async fn login(c: &Client, base: &str, user: &str) {
    c.delete_all_cookies().await.unwrap();
    c.goto(&format!("{base}/login")).await.unwrap();
    fill(c, "username", user).await;
    fill(c, "password", PW).await;
    c.find(Locator::Css("form[action=\"/login\"] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("header.top .account form[action=\"/logout\"]"))
        .await
        .unwrap_or_else(|e| panic!("{user} logged in: {e}"));
}

/// Opens `path`, waits for its heading (and map), checks the width and the header, takes
/// the screenshot `390-<name>.png`.
async fn check_page(c: &Client, base: &str, path: &str, name: &str, has_map: bool) {
    c.goto(&format!("{base}{path}")).await.unwrap();
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("main h1"))
        .await
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    if has_map {
        until(
            c,
            &format!("the map of {path}"),
            "return document.getElementById('map').dataset.ready === '1';",
        )
        .await;
        // The layer list is folded to its heading at this width, and opens on a tap.
        until(
            c,
            "the folded layer list",
            "const s = document.querySelector('.layer-switcher'); return !!s && s.classList.contains('folded') && s.querySelectorAll('label').length > 0;",
        )
        .await;
        let folded = js(
            c,
            "const s = document.querySelector('.layer-switcher'); const m = document.getElementById('map').getBoundingClientRect(); return s.getBoundingClientRect().height < m.height * 0.2;",
        )
        .await;
        assert_eq!(
            folded,
            json!(true),
            "{path}: the folded legend leaves the map free"
        );
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let inner = js(c, "return window.innerWidth;").await;
    assert_eq!(inner, json!(WIDTH), "the viewport is {WIDTH} px wide");
    let width = js(c, "return document.documentElement.scrollWidth;").await;
    let w = width.as_u64().unwrap_or(u64::MAX);
    if w > u64::from(WIDTH) {
        screenshot(c, &out_dir(), &format!("390-{name}-FAILED")).await;
    }
    assert!(
        w <= u64::from(WIDTH),
        "{path}: the page scrolls sideways at {WIDTH} px (scrollWidth {w}); sticking out: {}",
        js(c, OVERFLOWING).await
    );
    // The header is one compact bar (not a third of the screen); the tabs are behind 菜单.
    let header = js(
        c,
        "return document.querySelector('header.top').getBoundingClientRect().height;",
    )
    .await;
    let h = header.as_f64().unwrap();
    assert!(h <= f64::from(HEIGHT) / 8.0, "{path}: header {h} px high");
    let nav_hidden = js(
        c,
        "return getComputedStyle(document.getElementById('main-nav')).display === 'none';",
    )
    .await;
    assert_eq!(
        nav_hidden,
        json!(true),
        "{path}: the tabs wait behind the menu button"
    );
    screenshot(c, &out_dir(), &format!("390-{name}")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver; .ci/run installs them and runs it with --ignored"]
async fn every_listed_page_fits_a_phone() {
    let driver_bin = find_binary("MINPLAN_CHROMEDRIVER", &["chromedriver"]);
    let chromium = find_binary(
        "MINPLAN_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let srv = start().await;
    seed(&srv).await;
    let base = srv.base.clone();
    let driver = start_driver(&driver_bin).await;
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--lang=zh-CN", "--force-device-scale-factor=1", "--hide-scrollbars"],
        }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("chromedriver session");
    let result = async {
        c.set_window_size(WIDTH, HEIGHT).await.unwrap();
        // Public pages.
        for (path, name, map) in [
            ("/", "overview", false),
            ("/blocks", "blocks", true),
            ("/text", "text", false),
            ("/indicators", "indicators", false),
            ("/previous-round", "previous-round", false),
            ("/evaluation", "evaluation", false),
            ("/help", "help", false),
            ("/login", "login", false),
            // 信息公开 (no login).
            ("/public", "public", false),
            ("/public/rights", "public-rights", false),
            ("/public/rights/map", "public-rights-map", false),
            ("/public/lists", "public-lists", false),
            ("/public/blocks", "public-blocks", false),
            ("/public/implementation", "public-implementation", false),
            ("/public/draws", "public-draws", false),
            ("/public/draws/verify", "public-draw-verify", false),
        ] {
            check_page(&c, &base, path, name, map).await;
        }
        // The menu button opens the tabs.
        c.goto(&format!("{base}/")).await.unwrap();
        c.find(Locator::Css("label.menu-button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let shown = js(
            &c,
            "const n = document.getElementById('main-nav'); return getComputedStyle(n).display !== 'none' && n.getBoundingClientRect().height > 100;",
        )
        .await;
        assert_eq!(shown, json!(true), "菜单 shows the tabs");
        screenshot(&c, &out_dir(), "390-menu-open").await;

        // The company's filing.
        login(&c, &base, "qiye").await;
        check_page(&c, &base, "/annual-reports", "company-annual-reports", false).await;
        let form = js(
            &c,
            "return !!document.querySelector('form[action=\"/annual-reports\"][method=post] select[name=mine] option');",
        )
        .await;
        assert_eq!(form, json!(true), "the company's filing form lists its mine");
        check_page(&c, &base, "/workbench", "company-workbench", false).await;
        check_page(&c, &base, "/rights", "company-rights", true).await;
        check_page(&c, &base, "/company/checks", "company-checks", false).await;
        check_page(&c, &base, "/holder-lists", "company-holder-lists", false).await;
        check_page(&c, &base, "/company/fund", "company-fund", false).await;
        check_page(&c, &base, "/green-mines/assessments", "company-green-assessments", false).await;

        // The inspectors: 执法监察's pages, 生态修复's 闭坑 forms on a right's page.
        login(&c, &base, "zhifa").await;
        check_page(&c, &base, "/workbench", "enforcement-workbench", false).await;
        check_page(&c, &base, "/rights", "enforcement-rights", true).await;
        check_page(&c, &base, "/annual-reports", "enforcement-annual-reports", false).await;
        for (path, name) in [
            ("/checks", "enforcement-checks"),
            ("/holder-lists", "enforcement-holder-lists"),
            ("/holder-lists/queue", "enforcement-holder-list-queue"),
            ("/inspections/plans", "enforcement-inspection-plans"),
            ("/inspections/inspectors", "enforcement-inspectors"),
            ("/inspections/items", "enforcement-inspection-items"),
            ("/inspections/candidates", "enforcement-candidates"),
            ("/admin/calendar", "enforcement-calendar"),
            ("/filings/supervision", "enforcement-filings"),
            ("/publications", "enforcement-publications"),
        ] {
            check_page(&c, &base, path, name, false).await;
        }
        login(&c, &base, "xiufu").await;
        // 生态修复's own pages.
        check_page(&c, &base, "/restoration/map", "restoration-map", true).await;
        for (path, name) in [
            ("/restoration", "restoration"),
            ("/restoration/legacy", "restoration-legacy"),
            ("/restoration/projects", "restoration-projects"),
            ("/restoration/fund", "restoration-fund"),
            ("/restoration/fund/settings", "restoration-fund-settings"),
            ("/restoration/mines", "restoration-mines"),
            ("/rights/C-PHONE-1/restoration", "restoration-mine"),
            ("/green-mines", "green-mines"),
            ("/green-mines/checklist", "green-checklist"),
            ("/green-mines/assessments", "green-assessments"),
        ] {
            check_page(&c, &base, path, name, false).await;
        }
        check_page(&c, &base, "/rights/C-PHONE-1", "restoration-right-forms", true).await;
        let forms = js(
            &c,
            "return document.querySelectorAll('form[action$=\"/closure-report\"], form[action$=\"/close\"]').length;",
        )
        .await;
        assert_eq!(forms, json!(2), "the 闭坑 forms are on the page");
        js(
            &c,
            "document.querySelector('form[action$=\"/closure-report\"]').scrollIntoView(); return true;",
        )
        .await;
        screenshot(&c, &out_dir(), "390-restoration-closure-form").await;
        // 审批科's intake form and lists, for the record.
        login(&c, &base, "shenpi").await;
        check_page(&c, &base, "/intake", "approval-intake", true).await;
        check_page(&c, &base, "/reviews", "approval-reviews", false).await;
    }
    .await;
    c.close().await.unwrap();
    drop(driver);
    result
}
