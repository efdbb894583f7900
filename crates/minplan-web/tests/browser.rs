//! The reviewer's whole job in a real browser (Debian's chromium, headless, driven over
//! WebDriver by chromedriver): log in through the form, paste the corners of
//! examples/01-qingfa-quarry.txt into 申请受理 and see them checked on the map, fill in the
//! application, run the review, see 符合 and the map, download the 审查意见书 (a DOCX: a ZIP
//! starting with `PK`), and find the record and its audit trail in 审查记录; then measure an
//! area on the 规划区块 map and open the API document. Screenshots go to
//! `target/browser/*.png` (`$CARGO_TARGET_DIR/browser` when that is set).
//!
//! Built only with `--features browser-test`, and `#[ignore]`d (it needs chromium and
//! chromedriver); `.ci/run` installs them and runs it:
//!
//! ```sh
//! cargo test -p minplan-web --features browser-test --test browser -- --ignored
//! ```
//!
//! When asked to run, a missing chromium or chromedriver is a failure, not a skip. Binaries:
//! `MINPLAN_CHROMEDRIVER` / `MINPLAN_CHROMIUM`, else `chromedriver` and `chromium` (or
//! `chromium-browser`, `google-chrome`) on the PATH.

mod common;
#[path = "browser/lists.rs"]
mod lists;
#[path = "browser/maps.rs"]
mod maps;
#[path = "browser/restoration.rs"]
mod restoration;
#[path = "browser/screens.rs"]
mod screens;
#[path = "browser/supervision.rs"]
mod supervision;
#[path = "browser/workflow.rs"]
mod workflow;

use common::*;
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(30);

fn find_binary(env: &str, names: &[&str]) -> PathBuf {
    if let Ok(p) = std::env::var(env) {
        let p = PathBuf::from(p);
        assert!(p.is_file(), "{env}={} does not exist", p.display());
        return p;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for n in names {
            let p = dir.join(n);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!(
        "none of {names:?} is on the PATH (or set {env}); \
         install Debian's `chromium chromium-driver fonts-noto-cjk`"
    );
}

fn out_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("browser");
    std::fs::create_dir_all(dir.join("downloads")).unwrap();
    // Chromium leaves a download at `.crdownload` forever when its download directory has
    // `..` components (the default target dir is `crates/minplan-web/../../target`).
    dir.canonicalize().unwrap()
}

/// chromedriver on a free port, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn start_driver(binary: &Path) -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver = Driver {
        child: Command::new(binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display())),
        url: format!("http://127.0.0.1:{port}"),
    };
    let start = Instant::now();
    loop {
        if reqwest::get(format!("{}/status", driver.url)).await.is_ok() {
            return driver;
        }
        assert!(start.elapsed() < WAIT, "chromedriver did not start");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn screenshot(c: &Client, dir: &Path, name: &str) {
    let png = c.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

/// Waits until `script` returns true.
async fn until(c: &Client, what: &str, script: &str) {
    let start = Instant::now();
    loop {
        if js(c, script).await == json!(true) {
            return;
        }
        assert!(start.elapsed() < WAIT, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn fill(c: &Client, name: &str, value: &str) {
    let e = c
        .find(Locator::Css(&format!("[name=\"{name}\"]")))
        .await
        .unwrap();
    e.clear().await.unwrap();
    e.send_keys(value).await.unwrap();
}

/// Whether the map drew: its canvas exists and has non-transparent pixels.
const MAP_DRAWN: &str = r#"
const c = document.querySelector('#map canvas');
if (!c || c.width === 0) return false;
const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
let n = 0;
for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
return n > 1000;
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver; .ci/run installs them and runs it with --ignored"]
async fn a_reviewer_does_the_whole_job_in_the_browser() {
    let driver_bin = find_binary("MINPLAN_CHROMEDRIVER", &["chromedriver"]);
    let chromium = find_binary(
        "MINPLAN_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let dir = out_dir();
    let downloads = dir.join("downloads");
    for e in std::fs::read_dir(&downloads).unwrap() {
        let _ = std::fs::remove_file(e.unwrap().path());
    }
    // The server on an ephemeral port over a temporary database, with a 审批科 account
    // (`shenpi`) made through the store's API.
    let srv = start().await;
    let base = srv.base.clone();
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
        // 1. Log in through the form; the 工作台 is the landing page.
        c.goto(&format!("{base}/login")).await.unwrap();
        fill(&c, "username", "shenpi").await;
        fill(&c, "password", PW).await;
        screenshot(&c, &dir, "01-login").await;
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
            .expect("the 工作台 after login");
        assert!(c.current_url().await.unwrap().path().ends_with("/workbench"));

        // 2. 申请受理: paste the corners; they are checked on the map as typed.
        c.find(Locator::LinkText("申请受理"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Id("intake-form"))
            .await
            .unwrap();
        until(&c, "the map", "return document.getElementById('map').dataset.ready === '1';")
            .await;
        let corners = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/01-qingfa-quarry.txt"),
        )
        .unwrap();
        c.find(Locator::Id("corners_text"))
            .await
            .unwrap()
            .send_keys(&corners)
            .await
            .unwrap();
        until(
            &c,
            "the corner check",
            "return document.getElementById('intake-form').dataset.checked === 'ok';",
        )
        .await;
        let points = js(
            &c,
            "return document.querySelectorAll('#corner-points tbody tr').length;",
        )
        .await;
        assert_eq!(points, json!(4), "four corner points listed");
        let on_map = js(
            &c,
            "const m = document.getElementById('map').minplan; return m.map.getLayers().getArray().filter(l => l.get('id') === 'corners')[0].getSource().getFeatures().length;",
        )
        .await;
        assert_eq!(on_map, json!(5), "four labelled points and the ring on the map");

        // 3. Fill in the application (examples/01-qingfa-quarry.toml).
        for (name, value) in [
            ("number", "SFH-2026-001"),
            ("project_name", "绥芬河市庆发采石场建筑用凝灰岩矿"),
            ("minerals", "建筑用凝灰岩"),
            ("capacity_value", "6"),
            ("reserves_value", "48"),
            ("service_years", "8"),
            ("received", "2026-11-20"),
            ("holder_name", "绥芬河市庆发建材有限公司"),
            ("credit_code", "91231081MA1BQF0013"),
        ] {
            fill(&c, name, value).await;
        }
        c.find(Locator::Css("select[name=mining_method]"))
            .await
            .unwrap()
            .select_by_value("露天")
            .await
            .unwrap();
        c.find(Locator::Css("select[name=wetland]"))
            .await
            .unwrap()
            .select_by_value("否")
            .await
            .unwrap();
        c.find(Locator::Css("select[name=arable_land]"))
            .await
            .unwrap()
            .select_by_value("否")
            .await
            .unwrap();
        for b in [
            "net_mineral",
            "development_plan",
            "restoration_plan",
            "green_mine_commitment",
        ] {
            c.find(Locator::Css(&format!("input[name={b}]")))
                .await
                .unwrap()
                .click()
                .await
                .unwrap();
        }
        until(&c, "the map with the corners", MAP_DRAWN).await;
        screenshot(&c, &dir, "02-intake").await;

        // 4. Run the review: the 审查记录 opens with 符合 and the map.
        c.find(Locator::Id("run-review"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let conclusion = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Id("conclusion"))
            .await
            .expect("the review's page");
        let text = conclusion.text().await.unwrap();
        assert_eq!(text, "审查结论：符合", "{text}");
        let url = c.current_url().await.unwrap();
        let review_path = url.path().to_string();
        assert!(review_path.starts_with("/reviews/"), "{url}");
        until(&c, "the review map", "return document.getElementById('map').dataset.ready === '1';")
            .await;
        until(
            &c,
            "the application on the map",
            "const m = document.getElementById('map').minplan; return m.map.getLayers().getArray().filter(l => l.get('id') === 'application')[0].getSource().getFeatures().length === 1;",
        )
        .await;
        until(&c, "the map drawn", MAP_DRAWN).await;
        let rules = js(&c, "return document.querySelectorAll('#rules-table tbody tr').length;").await;
        assert_eq!(rules, json!(15), "fifteen rules");
        let reproducible = c
            .find(Locator::Id("reproducible"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(reproducible.contains("与存档一致"), "{reproducible}");
        screenshot(&c, &dir, "03-review").await;
        js(&c, "document.getElementById('map').scrollIntoView(); return true;").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        screenshot(&c, &dir, "03-review-map").await;

        // 5. Download the 审查意见书.
        c.find(Locator::Id("docx-link"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let start = Instant::now();
        let docx = loop {
            let done = std::fs::read_dir(&downloads)
                .unwrap()
                .filter_map(Result::ok)
                .map(|e| e.path())
                .find(|p| p.extension().is_some_and(|x| x == "docx"));
            if let Some(p) = done {
                break std::fs::read(p).unwrap();
            }
            assert!(
                start.elapsed() < WAIT,
                "the 审查意见书 did not arrive in {}",
                downloads.display()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        assert!(docx.starts_with(b"PK"), "a DOCX is a ZIP");
        assert!(docx.len() > 10_000, "{} bytes", docx.len());

        // 6. 审查记录: the record in the list, its trail on its page.
        c.goto(&format!("{base}/reviews")).await.unwrap();
        let row = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#reviews-table tbody tr"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            row.contains("SFH-2026-001") && row.contains("符合") && row.contains("审批科测试"),
            "{row}"
        );
        screenshot(&c, &dir, "04-reviews").await;
        c.goto(&format!("{base}{review_path}")).await.unwrap();
        let trail = c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Id("trail-table"))
            .await
            .unwrap();
        let trail = trail.text().await.unwrap();
        js(&c, "document.getElementById('trail-table').scrollIntoView(); return true;").await;
        assert!(
            trail.contains("审查并保存审查记录") && trail.contains("申请登记（在审）"),
            "{trail}"
        );
        assert!(
            trail.contains("审批科测试") && !trail.contains("user:"),
            "the reviewer by display name: {trail}"
        );
        screenshot(&c, &dir, "05-trail").await;

        // The public 规划区块 map, and its measure tool: draw a polygon, get the ellipsoidal
        // area from the server.
        c.goto(&format!("{base}/blocks")).await.unwrap();
        until(&c, "the blocks map", "return document.getElementById('map').dataset.ready === '1';")
            .await;
        until(&c, "the blocks map drawn", MAP_DRAWN).await;
        js(&c, "document.getElementById('map').scrollIntoView(); return true;").await;
        c.find(Locator::Css("button[data-measure=Polygon]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let map = c.find(Locator::Id("map")).await.unwrap();
        let mut mouse = MouseActions::new("mouse".into());
        for (x, y) in [(-120.0, -80.0), (120.0, -80.0), (120.0, 90.0), (-120.0, 90.0), (-120.0, -80.0)] {
            mouse = mouse
                .then(PointerAction::MoveToElement {
                    element: map.clone(),
                    duration: Some(Duration::from_millis(100)),
                    x,
                    y,
                })
                .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
                .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT })
                .then(PointerAction::Pause { duration: Duration::from_millis(400) });
        }
        c.perform_actions(mouse).await.unwrap();
        until(
            &c,
            "the measured area",
            "return (document.getElementById('measure-result').textContent || '').indexOf('椭球面积') === 0;",
        )
        .await;
        let measured = c
            .find(Locator::Id("measure-result"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(measured.contains("平方千米") && measured.contains("周长"), "{measured}");
        screenshot(&c, &dir, "06-measure").await;

        // The register and the layers, for the record.
        for (path, name) in [("/workbench", "08-workbench"), ("/rights", "09-rights"), ("/layers", "10-layers")] {
            c.goto(&format!("{base}{path}")).await.unwrap();
            c.wait()
                .at_most(WAIT)
                .for_element(Locator::Css("main h1"))
                .await
                .unwrap();
            if path == "/rights" {
                until(&c, "the register map", MAP_DRAWN).await;
            }
            screenshot(&c, &dir, name).await;
        }

        // The browsable API document renders too.
        c.goto(&format!("{base}/api/docs/")).await.unwrap();
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Css(".swagger-ui .info"))
            .await
            .expect("Swagger UI renders the document");
        screenshot(&c, &dir, "07-api-docs").await;
    }
    .await;
    c.close().await.unwrap();
    drop(driver);
    result
}
