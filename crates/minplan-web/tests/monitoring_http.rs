//! Plan monitoring over HTTP on the five-year scenario (the same builder as the CLI tests):
//! indicator values on the page and the API, the evaluation page with its charts and
//! downloads, annual reports filed by a 矿山企业 for its own mine only and by staff on a
//! company's behalf, and a company's own reminders.

mod common;
#[path = "../../minplan/tests/scenario/mod.rs"]
mod scenario;

use common::*;
use minplan_store::{Actor, NewUser, Role};
use reqwest::StatusCode;

async fn form_post(
    c: &reqwest::Client,
    base: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let page = c
        .get(format!("{base}/annual-reports"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_in(&page);
    let mut f = fields.to_vec();
    f.push(("csrf_token", &csrf));
    let r = c
        .post(format!("{base}/annual-reports"))
        .form(&f)
        .send()
        .await
        .unwrap();
    let loc = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status(), loc, r.text().await.unwrap_or_default())
}

#[tokio::test]
async fn monitoring_pages_on_the_scenario() {
    let srv = start().await;
    let base = &srv.base;
    let built = scenario::build(&srv.store).await;
    srv.store
        .add_user(
            &NewUser {
                username: "jjg".into(),
                display_name: "金家沟石材".into(),
                role: Role::Company,
                credit_code: Some(scenario::JINJIAGOU_CODE.into()),
            },
            PW,
            &Actor::System,
        )
        .await
        .unwrap();

    // Public: the indicators of 2025 (hand-computed in crates/minplan/tests).
    let v: serde_json::Value = client()
        .get(format!("{base}/api/indicators?year=2025"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let output = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "output_value")
        .unwrap();
    assert_eq!(output["value"], 646.0);
    assert_eq!(output["status_label"], "未达标");

    let html = client()
        .get(format!("{base}/evaluation?from=2021&to=2025"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for s in [
        "规划实施评估（2021～2025年）",
        "64.6%",
        "<svg",
        "未达标",
        "/evaluation.xlsx?from=2021",
    ] {
        assert!(html.contains(s), "evaluation page lacks {s}");
    }
    // One chart per indicator: 提供中型矿产地, never entered, is drawn as marked gaps (未填报),
    // no bar at all.
    assert_eq!(html.matches("<svg").count(), 8);
    assert!(
        html.contains(r#"class="gap"><title>2021年：未填报</title>"#),
        "no gap mark"
    );
    let r = client()
        .get(format!("{base}/evaluation.xlsx?from=2021&to=2025"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    assert!(r.bytes().await.unwrap().starts_with(b"PK"));

    // A company sees and files for its own mine only.
    let jjg = logged_in(base, "jjg").await;
    let page = jjg
        .get(format!("{base}/annual-reports?year=2025"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("金家沟采石场") && !page.contains("别勒洼地热"),
        "{page}"
    );
    let geo_mine = built.mines[0].to_string();
    let (s, _, body) = form_post(
        &jjg,
        base,
        &[
            ("mine", &geo_mine),
            ("year", "2025"),
            ("extraction", "1"),
            ("output_value", "1"),
        ],
    )
    .await;
    // Another company's mine gets the answer of a mine that does not exist: no name, no
    // hint that it exists (docs/roles.md).
    assert!(
        !body.contains("别勒洼") && !body.contains("不是本企业"),
        "{body}"
    );
    assert!(
        body.contains(&format!("没有编号为 {geo_mine} 的矿山")),
        "{body}"
    );
    let (s_missing, _, missing) = form_post(
        &jjg,
        base,
        &[
            ("mine", "999999"),
            ("year", "2025"),
            ("extraction", "1"),
            ("output_value", "1"),
        ],
    )
    .await;
    assert_eq!(s, s_missing);
    assert!(missing.contains("没有编号为 999999 的矿山"), "{missing}");
    let own = built.mines[2].to_string();
    let (s, loc, _) = form_post(
        &jjg,
        base,
        &[
            ("mine", &own),
            ("year", "2025"),
            ("extraction", "4.8"),
            ("output_value", "340"),
            ("staff", "20"),
            ("water_reuse", "100"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(loc.starts_with("/annual-reports?year=2025&filed="), "{loc}");
    let reports = srv.store.annual_reports(Some(2025), None).await.unwrap();
    let r = reports
        .iter()
        .find(|r| r.mine_id == built.mines[2])
        .unwrap();
    // A correction: the first filing date (on time) is kept.
    assert_eq!((r.output_value_wan_yuan, r.on_behalf), (340.0, false));
    assert_eq!(r.filed_on.to_string(), "2026-03-25");
    assert!(r.corrected_on.is_some());

    // Staff file on the company's behalf (代报).
    let staff = logged_in(base, "shenpi").await;
    let (s, _, body) = form_post(
        &staff,
        base,
        &[
            ("mine", &geo_mine),
            ("year", "2025"),
            ("extraction", "8"),
            ("output_value", "241"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let r = srv.store.annual_reports(Some(2025), None).await.unwrap();
    assert!(r.iter().any(|r| r.mine_id == built.mines[0] && r.on_behalf));

    // Reminders: a company gets its own only.
    let v: serde_json::Value = jjg
        .get(format!("{base}/api/reminders"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|r| r["credit_code"] == scenario::JINJIAGOU_CODE),
        "{v}"
    );

    // The 规划指标 page shows last year's values (no longer "—" for 产值).
    let html = client()
        .get(format!("{base}/indicators"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("年，"), "{html}");
    // Any year: 2024's 建筑用石 9.5 of 10 is 预警.
    let html = client()
        .get(format!("{base}/indicators?year=2024"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("9.5（2024年，预警）"), "{html}");
}

async fn post_json(
    c: &reqwest::Client,
    base: &str,
    path: &str,
    body: serde_json::Value,
) -> (StatusCode, serde_json::Value) {
    let csrf = token(c, base).await;
    let r = c
        .post(format!("{base}{path}"))
        .header("x-csrf-token", csrf)
        .json(&body)
        .send()
        .await
        .unwrap();
    (r.status(), r.json().await.unwrap_or_default())
}

#[tokio::test]
async fn register_lifecycle_over_the_api() {
    let srv = start().await;
    let base = &srv.base;
    // A reviewed application (examples/01: 符合), as `minplan review` stores it.
    let ex = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    // Received five years earlier: the history lies in the past (no events ahead of today).
    let toml = std::fs::read_to_string(ex.join("01-qingfa-quarry.toml"))
        .unwrap()
        .replace("received = \"2026-11-20\"", "received = \"2021-11-20\"");
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
    let a = "/api/applications/SFH-2026-001";
    let staff = logged_in(base, "shenpi").await;
    // Registration before approval: 422 naming the application.
    let (s, v) = post_json(
        &staff,
        base,
        &format!("{a}/register"),
        serde_json::json!({"licence": "C9", "valid_from": "2021-12-01", "valid_to": "2024-11-30"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["fields"][0]["field"], "application");
    for (path, body) in [
        (
            "decision",
            serde_json::json!({"approve": true, "date": "2021-11-25"}),
        ),
        (
            "grant",
            serde_json::json!({"method": "挂牌", "price_wan_yuan": 85, "date": "2021-11-28", "net_mineral": true}),
        ),
        (
            "register",
            serde_json::json!({"licence": "C9", "valid_from": "2021-12-01", "valid_to": "2024-11-30"}),
        ),
    ] {
        if path == "grant" {
            complete_joint_review(&srv.store, "SFH-2026-001", "2021-11-26").await;
        }
        let (s, v) = post_json(&staff, base, &format!("{a}/{path}"), body).await;
        assert_eq!(s, StatusCode::OK, "{path}: {v}");
    }
    // 注销 cannot be undone: without "confirm": true the API refuses it at that field, and the
    // history below shows nothing written.
    let (s, v) = post_json(
        &staff,
        base,
        "/api/rights/C9/cancel",
        serde_json::json!({"date": "2024-12-10", "reason": "测试"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "confirm", "{v}");
    // Extension after expiry needs the reason; closure needs the report (生态修复 may close).
    let (s, v) = post_json(
        &staff,
        base,
        "/api/rights/C9/extend",
        serde_json::json!({"valid_to": "2027-11-30", "date": "2024-12-15"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "reason");
    let xiufu = logged_in(base, "xiufu").await;
    let (s, v) = post_json(
        &xiufu,
        base,
        "/api/rights/C9/close",
        serde_json::json!({"date": "2024-12-20", "accepted_by": "绥芬河市自然资源局", "document": "绥自然资闭〔2029〕1号", "confirm": true}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "closure_report");
    let (s, _) = post_json(
        &xiufu,
        base,
        "/api/rights/C9/closure-report",
        serde_json::json!({"title": "庆发采石场闭坑地质报告", "date": "2024-12-01"}),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    // 闭坑验收 cannot be undone: without "confirm": true it is refused at that field.
    let (s, v) = post_json(
        &xiufu,
        base,
        "/api/rights/C9/close",
        serde_json::json!({"date": "2024-12-20", "accepted_by": "绥芬河市自然资源局", "document": "绥自然资闭〔2029〕1号"}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "confirm", "{v}");
    // 闭坑 needs the mine's 矿山地质环境治理验收 (《规划》六（二）3): refused without it.
    let (s, v) = post_json(
        &xiufu,
        base,
        "/api/rights/C9/close",
        serde_json::json!({"date": "2024-12-20", "accepted_by": "绥芬河市自然资源局", "document": "绥自然资闭〔2029〕1号", "confirm": true}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["fields"][0]["field"], "restoration_acceptance", "{v}");
    let mine = srv
        .store
        .right_history("C9")
        .await
        .unwrap()
        .current()
        .mine_id
        .unwrap();
    srv.store
        .accept_mine_restoration(
            mine,
            &minplan_domain::restoration::schedule::RestorationAcceptance {
                accepted_on: minplan_domain::date::Date::parse("2024-12-18").unwrap(),
                accepted_by: "绥芬河市自然资源局".into(),
                document: "绥自然资治验〔2024〕2号".into(),
            },
            &Actor::System,
        )
        .await
        .unwrap();
    let (s, v) = post_json(
        &xiufu,
        base,
        "/api/rights/C9/close",
        serde_json::json!({"date": "2024-12-20", "accepted_by": "绥芬河市自然资源局", "document": "绥自然资闭〔2029〕1号", "confirm": true}),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let h: serde_json::Value = staff
        .get(format!("{base}/api/rights/C9/history"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = h["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["register", "closure_report", "close"]);
    assert_eq!(h["events"][2]["state"]["standing"], "闭坑");
}

#[tokio::test]
async fn years_are_read_and_bounded_with_the_parameter_named() {
    let srv = start().await;
    let base = &srv.base;
    let c = client();
    let get = |path: String| {
        let c = c.clone();
        async move {
            let r = c.get(path).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    // Not a year: 400 naming the parameter.
    let (s, body) = get(format!("{base}/api/indicators?year=abc")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(
        body.contains("参数 year 应为年份") && body.contains("abc"),
        "{body}"
    );
    let (s, body) = get(format!("{base}/evaluation?from=x")).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body.contains("参数 from 应为年份"), "{body}");
    // Far outside the plan period: 422 with the range (an open range once built a 1.5 GB page).
    let (s, body) = get(format!("{base}/evaluation?from=1&to=999999")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("2011～2035"),
        "{}",
        &body[..body.len().min(400)]
    );
    let (s, body) = get(format!("{base}/api/indicators?year=-1")).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("2011～2035"), "{body}");
    let (s, _) = get(format!("{base}/indicators?year=2024")).await;
    assert_eq!(s, StatusCode::OK);
    // The annual reports list bounds its year the same way (it once showed 截止 100000 年).
    let jjg = logged_in(base, "guihua").await;
    for path in ["annual-reports", "annual-reports/list.xlsx"] {
        let r = jjg
            .get(format!("{base}/{path}?year=99999"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        let body = r.text().await.unwrap();
        assert!(
            body.contains("2011～2035") && !body.contains("100000"),
            "{body}"
        );
    }
}

/// Without a 地下热水 row in the scale table, 别勒洼地热 cannot be classed: 大中型矿山比例 is
/// 需人工核查 on the API (naming the well) and on the evaluation page — not a silent 100 %.
#[tokio::test]
async fn an_unclassifiable_mine_shows_as_a_manual_check() {
    let srv = start().await;
    let base = &srv.base;
    scenario::build(&srv.store).await;
    srv.store
        .remove_scale_row("地下热水", &Actor::System)
        .await
        .unwrap();
    let v: serde_json::Value = client()
        .get(format!("{base}/api/indicators?year=2025"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ratio = v["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == "large_medium_ratio")
        .unwrap();
    // 金家沟 (5 万m³/年, 中型) is the only classifiable mine at the end of 2025.
    assert_eq!(ratio["value"], 100.0);
    assert_eq!(ratio["status"], "manual_check");
    assert_eq!(ratio["status_label"], "需人工核查");
    assert!(
        ratio["note"]
            .as_str()
            .unwrap()
            .contains("1 座无法判定规模（别勒洼地热（分类表无该矿种）），比例按可判定的 1 座计算"),
        "{ratio}"
    );
    let html = client()
        .get(format!("{base}/evaluation?from=2021&to=2025"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<td class=\"status-check\">需人工核查</td>"),
        "evaluation page lacks the manual check"
    );
}
