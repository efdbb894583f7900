//! Workflow fixes of issue 16 in a real browser: a company files its annual report and sees
//! the remarks the CLI prints (超能力开采, 清水循环利用率); a 注销 clicked without ticking
//! “确认注销” is refused by the server and the right stays valid, and goes through once
//! ticked. Screenshots `workflow-*.png` beside the others.

use super::common::*;
use super::{WAIT, find_binary, js, out_dir, screenshot, start_driver, until};
use fantoccini::{Client, ClientBuilder, Locator};
use minplan_domain::date::Date;
use minplan_domain::register::{Decision, Grant, Registration};
use minplan_store::Actor;
use serde_json::json;

/// The company account's 统一社会信用代码 (tests/common).
const COMPANY: &str = "91350100M000100Y43";

/// examples/01 reviewed for the company, approved, granted and registered as right C9
/// (valid 2021-12-01 to 2031-11-30), through the store as the CLI does.
async fn registered_right(srv: &Server) {
    let ex = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let toml = std::fs::read_to_string(ex.join("01-qingfa-quarry.toml"))
        .unwrap()
        .replace("received = \"2026-11-20\"", "received = \"2021-11-20\"")
        .replace("91231081MA1BQF0013", COMPANY);
    let corners = std::fs::read(ex.join("01-qingfa-quarry.txt")).unwrap();
    let engine = minplan_store::ReviewEngine::load(&srv.store).await.unwrap();
    let app = engine.parse(&toml, Some(&corners)).unwrap();
    engine
        .review_and_save(
            &srv.store,
            &app,
            &toml,
            Some(("01-qingfa-quarry.txt", &corners)),
            &Actor::System,
        )
        .await
        .unwrap();
    let d = |s: &str| Date::parse(s).unwrap();
    let s = &srv.store;
    s.decide_application(
        "SFH-2026-001",
        &Decision {
            approve: true,
            date: d("2021-11-25"),
            accepted_checks: None,
            reason: None,
        },
        &Actor::System,
    )
    .await
    .unwrap();
    crate::common::complete_joint_review(s, "SFH-2026-001", "2021-11-26").await;
    s.record_grant(
        "SFH-2026-001",
        &Grant {
            method: minplan_domain::application::GrantMethod::Listing,
            net_mineral: true,
            price_wan_yuan: 85.0,
            date: d("2021-11-28"),
            contract: None,
        },
        &Actor::System,
    )
    .await
    .unwrap();
    s.register_right(
        "SFH-2026-001",
        &Registration {
            licence: "C9".into(),
            date: d("2021-12-01"),
            valid_from: d("2021-12-01"),
            valid_to: d("2031-11-30"),
            name: None,
            capacity: None,
            elevation: None,
            area_km2: None,
            approval: None,
            mine_id: None,
        },
        &Actor::System,
    )
    .await
    .unwrap();
}

async fn login(c: &Client, base: &str, user: &str) {
    c.delete_all_cookies().await.unwrap();
    c.goto(&format!("{base}/login")).await.unwrap();
    super::fill(c, "username", user).await;
    super::fill(c, "password", PW).await;
    c.find(Locator::Css("form[action=\"/login\"] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("main h1"))
        .await
        .unwrap();
}

/// Clicks the submit button of the form `#id` and waits for the next page.
async fn submit(c: &Client, id: &str) {
    c.find(Locator::Css(&format!("#{id} button[type=submit]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(WAIT)
        .for_element(Locator::Css("main h1"))
        .await
        .unwrap();
}

/// Types into the field `name` of the form `#form`.
async fn type_in(c: &Client, form: &str, name: &str, value: &str) {
    let e = c
        .find(Locator::Css(&format!("#{form} [name=\"{name}\"]")))
        .await
        .unwrap();
    e.clear().await.unwrap();
    e.send_keys(value).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromedriver; .ci/run installs them and runs it with --ignored"]
async fn a_company_sees_its_warnings_and_a_cancellation_needs_confirmation() {
    let driver_bin = find_binary("MINPLAN_CHROMEDRIVER", &["chromedriver"]);
    let chromium = find_binary(
        "MINPLAN_CHROMIUM",
        &["chromium", "chromium-browser", "google-chrome"],
    );
    let dir = out_dir();
    let srv = start().await;
    registered_right(&srv).await;
    let base = srv.base.clone();
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
        // 1. The company files its 2022 report: 9 万立方米 against a capacity of 6, 清水循环
        //    利用率 80 % against the plan's 100 %; the page shows both remarks.
        login(&c, &base, "qiye").await;
        c.goto(&format!("{base}/annual-reports?year=2022")).await.unwrap();
        let form = "form[method=post][action=\"/annual-reports\"]";
        for (name, value) in [
            ("year", "2022"),
            ("extraction", "9"),
            ("output_value", "120"),
            ("staff", "12"),
            ("water_reuse", "80"),
        ] {
            let e = c
                .find(Locator::Css(&format!("{form} [name=\"{name}\"]")))
                .await
                .unwrap();
            e.clear().await.unwrap();
            e.send_keys(value).await.unwrap();
        }
        let options = js(
            &c,
            "return Array.from(document.querySelectorAll('select[name=mine] option')).map(o => o.textContent);",
        )
        .await;
        assert_eq!(options, json!(["绥芬河市庆发采石场建筑用凝灰岩矿"]));
        c.find(Locator::Css(&format!("{form} button[type=submit]")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        if c
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Id("report-warnings"))
            .await
            .is_err()
        {
            let page = js(&c, "return document.body.innerText;").await;
            screenshot(&c, &dir, "workflow-01-company-warnings").await;
            panic!("no remarks after filing: {page}");
        }
        let warnings = c
            .find(Locator::Id("report-warnings"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(warnings.contains("超能力开采"), "{warnings}");
        assert!(
            warnings.contains("清水循环利用率 80% 低于规划要求 100%"),
            "{warnings}"
        );
        screenshot(&c, &dir, "workflow-01-company-warnings").await;

        // 2. 审批科 cancels C9: without ticking 确认注销 the server refuses, nothing changes.
        login(&c, &base, "shenpi").await;
        c.goto(&format!("{base}/rights/C9")).await.unwrap();
        c.wait()
            .at_most(WAIT)
            .for_element(Locator::Id("form-cancel"))
            .await
            .unwrap();
        // A date input takes its value as the page's script would set it (typing depends on
        // the browser's locale).
        js(
            &c,
            "document.querySelector('#form-cancel [name=date]').value = '2025-01-10'; return true;",
        )
        .await;
        type_in(&c, "form-cancel", "reason", "矿山企业申请注销").await;
        submit(&c, "form-cancel").await;
        until(
            &c,
            "the refusal at the confirmation box",
            "const e = document.querySelector('#form-cancel .field-error[data-field=confirm]'); return !!e && e.textContent.indexOf('注销不可撤销') === 0;",
        )
        .await;
        screenshot(&c, &dir, "workflow-02-cancel-refused").await;
        assert_eq!(
            srv.store
                .right_history("C9")
                .await
                .unwrap()
                .current()
                .standing
                .label(),
            "有效"
        );
        // The reason typed is kept; tick the box and submit again: cancelled.
        let kept = js(
            &c,
            "return document.querySelector('#form-cancel [name=reason]').value;",
        )
        .await;
        assert_eq!(kept, json!("矿山企业申请注销"));
        c.find(Locator::Css("#form-cancel [name=confirm]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        submit(&c, "form-cancel").await;
        until(
            &c,
            "the cancellation",
            "return document.body.textContent.indexOf('已办理注销') >= 0;",
        )
        .await;
        screenshot(&c, &dir, "workflow-03-cancelled").await;
        assert_eq!(
            srv.store
                .right_history("C9")
                .await
                .unwrap()
                .current()
                .standing
                .label(),
            "已注销"
        );
    }
    .await;
    c.close().await.unwrap();
    drop(driver);
    result
}
