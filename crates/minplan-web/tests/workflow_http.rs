//! Workflow fixes of issue 16 through the web: closing a pending application (不予受理 / 退回 /
//! 不予批准) takes it out of the pending register; an application used for the register
//! reads 已登记; 注销 needs its 确认 box (server-side); the 出让 and 登记 forms start from what
//! the application says; a company sees the remarks the CLI prints after filing and only the
//! mines it holds now; a rights table with bare coordinate cells imports with the 坐标系 and
//! 投影带 chosen on the form; the intake form reports every field's problem in one round.

mod common;

use common::*;
use minplan_store::Actor;
use reqwest::{Client, StatusCode};

/// The company account's 统一社会信用代码 (tests/common).
const COMPANY: &str = "91350100M000100Y43";

/// Reviews examples/01 as application `number` of holder `credit` (received 2021-11-20), as
/// `minplan review` does; `edit` changes its TOML first.
async fn review(srv: &Server, number: &str, credit: &str, edit: impl Fn(String) -> String) {
    let ex = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let toml = std::fs::read_to_string(ex.join("01-qingfa-quarry.toml"))
        .unwrap()
        .replace("received = \"2026-11-20\"", "received = \"2021-11-20\"")
        .replace(
            "number = \"SFH-2026-001\"",
            &format!("number = \"{number}\""),
        )
        .replace("91231081MA1BQF0013", credit);
    let toml = edit(toml);
    let corners = std::fs::read(ex.join("01-qingfa-quarry.txt")).unwrap();
    let engine = minplan_store::ReviewEngine::load(&srv.store).await.unwrap();
    let app = engine
        .parse(&toml, Some(&corners))
        .unwrap_or_else(|e| panic!("{e:?}\n{toml}"));
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
}

async fn get(c: &Client, url: String) -> (StatusCode, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// Posts a form taken from `page` (for its CSRF token): (status, location, body).
async fn post_form(
    c: &Client,
    base: &str,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let (s, html) = get(c, format!("{base}{page}")).await;
    assert_eq!(s, StatusCode::OK, "{page}: {html}");
    let csrf = csrf_in(&html);
    let mut f = fields.to_vec();
    f.push(("csrf_token", &csrf));
    let r = c
        .post(format!("{base}{action}"))
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

/// 决定 → 出让 → 登记 of application `number` as right `licence` (valid 2021-12-01 to
/// 2031-11-30), through the forms; returns the application page before 出让.
async fn approve_grant_register(
    store: &minplan_store::Store,
    c: &Client,
    base: &str,
    number: &str,
    licence: &str,
) -> String {
    let app = format!("/applications/{number}");
    let (s, _, body) = post_form(
        c,
        base,
        &app,
        &format!("{app}/decision"),
        &[("decision", "approve"), ("date", "2021-11-25")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (_, before_grant) = get(c, format!("{base}{app}")).await;
    complete_joint_review(store, number, "2021-11-26").await;
    let (s, _, body) = post_form(
        c,
        base,
        &app,
        &format!("{app}/grant"),
        &[
            ("method", "挂牌"),
            ("net_mineral", "on"),
            ("price", "85"),
            ("date", "2021-11-28"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (s, _, body) = post_form(
        c,
        base,
        &app,
        &format!("{app}/register"),
        &[
            ("licence", licence),
            ("valid_from", "2021-12-01"),
            ("valid_to", "2031-11-30"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    before_grant
}

#[tokio::test]
async fn a_pending_application_is_closed_with_its_reason_and_is_then_not_pending() {
    let srv = start().await;
    let base = &srv.base;
    review(&srv, "SFH-2026-009", COMPANY, |t| t).await;
    let staff = logged_in(base, "shenpi").await;
    let app = "/applications/SFH-2026-009";
    let pending =
        |v: Vec<minplan_domain::rights::MiningRight>| v.iter().any(|r| r.id == "SFH-2026-009");
    assert!(pending(srv.store.pending_applications().await.unwrap()));
    let (_, html) = get(&staff, format!("{base}{app}")).await;
    assert!(html.contains("id=\"form-closing\""), "{html}");

    // Nothing chosen: every field's problem in one round, at its field; nothing written.
    let audit_before = audit_rows(&srv.store).await;
    let (s, _, body) = post_form(&staff, base, app, &format!("{app}/close"), &[]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for (field, message) in [
        ("kind", "请选择办结方式：不予受理、退回或不予批准"),
        ("date", "请填写办结日期"),
        ("reason", "办结须写明理由"),
    ] {
        assert!(
            body.contains(&format!("data-field=\"{field}\">{message}")),
            "{field}: {body}"
        );
    }
    assert_eq!(audit_rows(&srv.store).await, audit_before);

    // 退回 with its reason: closed, shown, audited, no longer pending.
    let (s, loc, body) = post_form(
        &staff,
        base,
        app,
        &format!("{app}/close"),
        &[
            ("kind", "退回"),
            ("date", "2021-12-02"),
            ("reason", "拐点坐标与开发利用方案不一致，退回补正"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(loc, format!("{app}?done=closing"));
    let (_, html) = get(&staff, format!("{base}{loc}")).await;
    assert!(
        html.contains("<td id=\"application-status\">退回</td>"),
        "{html}"
    );
    assert!(
        html.contains("2021-12-02：拐点坐标与开发利用方案不一致，退回补正"),
        "{html}"
    );
    assert!(!html.contains("id=\"form-closing\"") && !html.contains("id=\"form-decision\""));
    assert!(!pending(srv.store.pending_applications().await.unwrap()));
    let rec = srv.store.application_records().await.unwrap();
    assert_eq!(
        rec.iter()
            .find(|a| a.number == "SFH-2026-009")
            .unwrap()
            .status,
        "退回"
    );
    let trail = srv
        .store
        .audit_trail("application", "SFH-2026-009")
        .await
        .unwrap();
    let last = trail.last().unwrap();
    assert_eq!(last.action, "application.return");
    assert!(
        last.after
            .as_ref()
            .unwrap()
            .to_string()
            .contains("退回补正"),
        "{:?}",
        last.after
    );
    // The 在审 list on 矿业权 no longer names it.
    let (_, html) = get(&staff, format!("{base}/rights")).await;
    assert!(!html.contains("SFH-2026-009"), "{html}");

    // Closing it again through the API: 422 naming its status.
    let token = token(&staff, base).await;
    let r = staff
        .post(format!("{base}/api/applications/SFH-2026-009/close"))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({"kind": "不予受理", "date": "2021-12-03", "reason": "重复"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: serde_json::Value = r.json().await.unwrap();
    assert!(v.to_string().contains("已是“退回”"), "{v}");

    // Corrected and reviewed again under its number: accepted anew (在审, closing cleared),
    // with its own audit row.
    review(&srv, "SFH-2026-009", COMPANY, |t| t).await;
    let (_, html) = get(&staff, format!("{base}{app}")).await;
    assert!(
        html.contains("<td id=\"application-status\">在审</td>"),
        "{html}"
    );
    let trail = srv
        .store
        .audit_trail("application", "SFH-2026-009")
        .await
        .unwrap();
    assert!(
        trail.iter().any(|t| t.action == "application.reopen"),
        "{trail:?}"
    );
}

#[tokio::test]
async fn the_application_reads_registered_and_its_forms_start_from_what_it_says() {
    let srv = start().await;
    let base = &srv.base;
    review(&srv, "SFH-2026-001", COMPANY, |t| t).await;
    let staff = logged_in(base, "shenpi").await;
    let before_grant = approve_grant_register(&srv.store, &staff, base, "SFH-2026-001", "C9").await;
    // The 出让 form started from the application's 挂牌 and 净矿出让.
    assert!(
        before_grant.contains("<option selected>挂牌</option>"),
        "{before_grant}"
    );
    assert!(
        before_grant.contains("name=\"net_mineral\" value=\"on\" checked"),
        "{before_grant}"
    );
    // After registration: 已登记 on the page and in the records, never 已批准.
    let (_, html) = get(&staff, format!("{base}/applications/SFH-2026-001")).await;
    assert!(
        html.contains("<td id=\"application-status\">已登记</td>"),
        "{html}"
    );
    let rec = srv.store.application_records().await.unwrap();
    assert_eq!(rec[0].status, "已登记");
    let h = srv.store.right_history("C9").await.unwrap();
    assert_eq!(h.current().name, "绥芬河市庆发采石场建筑用凝灰岩矿");
}

#[tokio::test]
async fn the_register_form_shows_what_it_takes_from_the_application() {
    let srv = start().await;
    let base = &srv.base;
    review(&srv, "SFH-2026-001", COMPANY, |t| t).await;
    let staff = logged_in(base, "shenpi").await;
    let app = "/applications/SFH-2026-001";
    for (action, fields) in [
        (
            "decision",
            vec![("decision", "approve"), ("date", "2021-11-25")],
        ),
        (
            "grant",
            vec![("method", "挂牌"), ("price", "85"), ("date", "2021-11-28")],
        ),
    ] {
        if action == "grant" {
            complete_joint_review(&srv.store, "SFH-2026-001", "2021-11-26").await;
        }
        let (s, _, body) = post_form(&staff, base, app, &format!("{app}/{action}"), &fields).await;
        assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    }
    let (_, html) = get(&staff, format!("{base}{app}")).await;
    assert!(
        html.contains("name=\"name\" value=\"绥芬河市庆发采石场建筑用凝灰岩矿\""),
        "{html}"
    );
    let carried = html
        .split("id=\"register-carried\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    for v in [
        "<th>矿种</th><td>建筑用凝灰岩</td>",
        "<th>开采方式</th><td>露天</td>",
        "<th>生产规模</th><td>6 万立方米/年</td>",
        "<th>出让方式</th><td>挂牌</td>",
        &format!("<th>矿业权人</th><td>绥芬河市庆发建材有限公司（{COMPANY}）</td>"),
    ] {
        assert!(carried.contains(v), "{v}: {carried}");
    }
    assert!(carried.contains("<th>矿区面积</th><td>0."), "{carried}");
}

#[tokio::test]
async fn cancelling_a_right_needs_its_confirmation() {
    let srv = start().await;
    let base = &srv.base;
    review(&srv, "SFH-2026-001", COMPANY, |t| t).await;
    let staff = logged_in(base, "shenpi").await;
    approve_grant_register(&srv.store, &staff, base, "SFH-2026-001", "C9").await;
    let right = "/rights/C9";
    let (_, html) = get(&staff, format!("{base}{right}")).await;
    assert!(html.contains("确认注销"), "{html}");
    // A plain POST without 确认: refused at the box, nothing written.
    let audit_before = audit_rows(&srv.store).await;
    let (s, _, body) = post_form(
        &staff,
        base,
        right,
        &format!("{right}/cancel"),
        &[("date", "2025-01-10"), ("reason", "矿山企业申请注销")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("data-field=\"confirm\">注销不可撤销（注销后该矿业权失效，不能撤销）：请核对后勾选“确认注销”再提交；本次未办理"),
        "{body}"
    );
    assert!(body.contains("value=\"矿山企业申请注销\""), "{body}");
    assert_eq!(audit_rows(&srv.store).await, audit_before);
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
    // 闭坑验收 likewise.
    let (s, _, body) = post_form(
        &staff,
        base,
        right,
        &format!("{right}/close"),
        &[
            ("date", "2025-01-10"),
            ("accepted_by", "绥芬河市自然资源局"),
            ("document", "绥自然资〔2025〕1号"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("data-field=\"confirm\">闭坑验收不可撤销"),
        "{body}"
    );
    // With it: cancelled.
    let (s, _, body) = post_form(
        &staff,
        base,
        right,
        &format!("{right}/cancel"),
        &[
            ("date", "2025-01-10"),
            ("reason", "矿山企业申请注销"),
            ("confirm", "on"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
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

#[tokio::test]
async fn the_company_sees_the_warnings_and_only_the_mines_it_holds() {
    let srv = start().await;
    let base = &srv.base;
    review(&srv, "SFH-2026-001", COMPANY, |t| t).await;
    let staff = logged_in(base, "shenpi").await;
    approve_grant_register(&srv.store, &staff, base, "SFH-2026-001", "C9").await;
    let mine = "绥芬河市庆发采石场建筑用凝灰岩矿";
    let qiye = logged_in(base, "qiye").await;
    let (_, html) = get(&qiye, format!("{base}/annual-reports?year=2022")).await;
    let mine_id = srv.store.mines().await.unwrap()[0].id.to_string();
    assert!(
        html.contains(&format!("<option value=\"{mine_id}\">{mine}</option>")),
        "{html}"
    );
    // 9 万立方米 against a capacity of 6, 清水循环利用率 80 % against the plan's 100 %: the
    // remarks `minplan report file` prints, on the page.
    let (s, loc, body) = post_form(
        &qiye,
        base,
        "/annual-reports?year=2022",
        "/annual-reports",
        &[
            ("mine", &mine_id),
            ("year", "2022"),
            ("extraction", "9"),
            ("output_value", "120"),
            ("staff", "12"),
            ("water_reuse", "80"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (_, html) = get(&qiye, format!("{base}{loc}")).await;
    let warnings = html
        .split("id=\"report-warnings\"")
        .nth(1)
        .unwrap_or_else(|| panic!("{html}"))
        .split("</ul>")
        .next()
        .unwrap();
    assert!(warnings.contains("超能力开采"), "{warnings}");
    assert!(
        warnings.contains("清水循环利用率 80% 低于规划要求 100%"),
        "{warnings}"
    );

    // Transferred to another company: no longer in the company's form.
    review(&srv, "SFH-2026-002", "91231081MA1BQF0013", |t| {
        t.replace(
            "kind = \"新立\"",
            "kind = \"转让\"\nexisting_right = \"C9\"",
        )
    })
    .await;
    let facts = srv.store.application_facts("SFH-2026-002").await.unwrap();
    let d = minplan_domain::register::Decision {
        approve: true,
        date: minplan_domain::date::Date::parse("2023-03-01").unwrap(),
        accepted_checks: Some("已逐项核查".into()),
        reason: None,
    };
    srv.store
        .decide_application("SFH-2026-002", &d, &Actor::System)
        .await
        .unwrap_or_else(|e| panic!("{e:?} {:?}", facts.conclusion));
    srv.store
        .transfer_right(
            "C9",
            "SFH-2026-002",
            minplan_domain::date::Date::parse("2023-03-10").unwrap(),
            &Actor::System,
        )
        .await
        .unwrap();
    let (_, html) = get(&qiye, format!("{base}/annual-reports?year=2022")).await;
    assert!(
        !html.contains(&format!("<option value=\"{mine_id}\"")),
        "{html}"
    );
    // The transfer application now reads 已登记; staff still see the mine.
    let (_, html) = get(&staff, format!("{base}/applications/SFH-2026-002")).await;
    assert!(
        html.contains("<td id=\"application-status\">已登记</td>"),
        "{html}"
    );
    let (_, html) = get(&staff, format!("{base}/annual-reports?year=2022")).await;
    assert!(
        html.contains(&format!("<option value=\"{mine_id}\">{mine}</option>")),
        "{html}"
    );
}

/// A rights table whose 拐点坐标 cell holds only numbers (no 坐标系, Y without 带号).
fn bare_table() -> String {
    "许可证号,矿业权类型,状态,矿山名称,矿业权人,统一社会信用代码,矿种,生产规模,规模单位,有效期起,有效期止,拐点坐标\n\
     C2310812020001,采矿权,有效,裸坐标采石场,某建材公司,91231081MA1BQF0013,建筑用石,5,万立方米/年,2020-01-01,2030-01-01,\"1,4911391.68,428925.83\n2,4911350.27,429080.39\n3,4911471.02,429112.75\n4,4911512.43,428958.19\"\n"
        .to_string()
}

async fn post_import(c: &Client, base: &str, fields: &[(&str, &str)]) -> (StatusCode, String) {
    let (_, html) = get(c, format!("{base}/rights/import")).await;
    let mut form = reqwest::multipart::Form::new().text("csrf_token", csrf_in(&html));
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    let part = reqwest::multipart::Part::bytes(bare_table().into_bytes())
        .file_name("rights.csv")
        .mime_str("text/csv")
        .unwrap();
    let r = c
        .post(format!("{base}/rights/import"))
        .multipart(form.part("file", part))
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn bare_coordinate_cells_import_with_the_datum_and_zone_chosen_on_the_form() {
    let srv = start().await;
    let base = &srv.base;
    let staff = logged_in(base, "shenpi").await;
    let (_, html) = get(&staff, format!("{base}/rights/import")).await;
    assert!(
        html.contains("<select name=\"zone\">") && html.contains("<select name=\"datum\">"),
        "{html}"
    );
    // Without a 坐标系: the row's problem names the form's and the CLI's own choices.
    let (s, html) = post_import(&staff, base, &[("mode", "dry_run")]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(
            "或导入时选择坐标系（网页“坐标系”选 2000国家大地坐标系；命令行 --datum cgcs2000）"
        ),
        "{html}"
    );
    assert!(!html.contains("--crs"), "{html}");
    // A zone that is none: at its field.
    let (s, html) = post_import(&staff, base, &[("mode", "dry_run"), ("zone", "99")]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("投影带应为 3° 带号 25–45"), "{html}");
    // CGCS2000, zone 44 chosen: imported with its area from the corners.
    let (s, html) = post_import(
        &staff,
        base,
        &[("mode", "commit"), ("datum", "cgcs2000"), ("zone", "44")],
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("已导入 1 行"), "{html}");
    assert!(
        html.contains("<option value=\"44\" selected>"),
        "the choice stays: {html}"
    );
    let h = srv.store.right_history("C2310812020001").await.unwrap();
    let km2 = h.current().area_km2.unwrap();
    assert!((km2 - 0.0200).abs() < 0.001, "{km2}");
}

#[tokio::test]
async fn the_intake_form_reports_every_field_at_once() {
    let srv = start().await;
    let base = &srv.base;
    let staff = logged_in(base, "shenpi").await;
    // A 申报面积 that is not one (which used to answer alone), no 项目名称, a 规模 that is not
    // a number, no corners: each at its field in the same answer.
    let (s, _, body) = post_form(
        &staff,
        base,
        "/intake",
        "/intake",
        &[
            ("number", "SFH-2026-050"),
            ("kind", "新立"),
            ("right_kind", "采矿权"),
            ("minerals", "建筑用石"),
            ("mining_method", "露天"),
            ("capacity_value", "六"),
            ("capacity_unit", "万立方米/年"),
            ("holder_name", "某公司"),
            ("credit_code", "123"),
            ("grant_method", "挂牌"),
            ("declared_area", "很大"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "申报面积：",
        "请填写项目名称",
        "设计生产规模应为数字，如 6 或 6.5，收到“六”",
        "请粘贴拐点坐标，或上传坐标文件",
    ] {
        assert!(
            body.contains(&format!("<span class=\"field-error\">{message}")),
            "{message}: {body}"
        );
    }
}

#[tokio::test]
async fn a_nonconforming_review_links_to_closing_its_application() {
    let srv = start().await;
    let base = &srv.base;
    let ex = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let toml = std::fs::read_to_string(ex.join("05-brick-clay-on-farmland.toml")).unwrap();
    let corners = std::fs::read(ex.join("05-brick-clay.txt")).unwrap();
    let engine = minplan_store::ReviewEngine::load(&srv.store).await.unwrap();
    let app = engine.parse(&toml, Some(&corners)).unwrap();
    let (id, _) = engine
        .review_and_save(
            &srv.store,
            &app,
            &toml,
            Some(("05-brick-clay.txt", &corners)),
            &Actor::System,
        )
        .await
        .unwrap();
    // The review's register marks it: R6/R7 of later reviews leave it out and name it.
    let pending = srv.store.pending_applications().await.unwrap();
    let own = pending.iter().find(|r| r.id == "SFH-2026-005").unwrap();
    assert!(own.review_failed);
    let staff = logged_in(base, "shenpi").await;
    let (_, html) = get(&staff, format!("{base}/reviews/{id}")).await;
    assert!(html.contains("审查结论：<strong>不符合</strong>"), "{html}");
    assert!(
        html.contains("href=\"/applications/SFH-2026-005#form-closing\" id=\"closing-link\""),
        "{html}"
    );
    let (_, html) = get(&staff, format!("{base}/applications/SFH-2026-005")).await;
    assert!(
        html.contains("本申请规划符合性审查结论为不符合：办结后不再作为在审申请参与其他申请的审查"),
        "{html}"
    );
}

#[tokio::test]
async fn the_review_api_reports_the_form_and_the_application_problems_at_once() {
    let srv = start().await;
    let base = &srv.base;
    let staff = logged_in(base, "shenpi").await;
    let token = token(&staff, base).await;
    let corners = std::fs::read_to_string(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/01-qingfa-quarry.txt"),
    )
    .unwrap();
    // The form's own problems (规模 not a number, no 项目名称) and the application's (a
    // credit code that is none) in the same answer.
    let r = staff
        .post(format!("{base}/api/reviews"))
        .header("x-csrf-token", &token)
        .json(&serde_json::json!({
            "save": false,
            "application": {
                "number": "SFH-2026-060", "kind": "新立", "right_kind": "采矿权",
                "minerals": "建筑用凝灰岩", "mining_method": "露天",
                "capacity_value": "六", "capacity_unit": "万立方米/年",
                "holder_name": "某公司", "credit_code": "123", "grant_method": "挂牌",
                "corners_text": corners,
            }
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: serde_json::Value = r.json().await.unwrap();
    let fields: Vec<&str> = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    for f in ["capacity_value", "project_name", "credit_code"] {
        assert!(fields.contains(&f), "{f}: {v}");
    }
}
