//! The register's lifecycle through the web forms (not the JSON API): a staff user takes a
//! reviewed application through 决定 → 出让 → 登记 on its page, then extends and cancels the
//! right on the right's page; refused steps re-display 422 with the problem at its field and
//! write nothing; the bulk import page checks a table first and imports only when asked.

mod common;

use common::*;
use minplan_store::Actor;
use reqwest::{Client, StatusCode};

/// Reviews examples/01 (符合) and stores it, as `minplan review` does.
async fn reviewed_application(srv: &Server) -> i64 {
    let ex = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    // Received five years earlier, so that the history the tests record lies in the past
    // (events are not recorded ahead of today).
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
        .unwrap()
        .0
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

fn kinds(h: &minplan_domain::register::RightHistory) -> Vec<&'static str> {
    h.events.iter().map(|e| e.kind.slug()).collect()
}

#[tokio::test]
async fn lifecycle_through_the_forms() {
    let srv = start().await;
    let base = &srv.base;
    let review = reviewed_application(&srv).await;
    let app = "/applications/SFH-2026-001";
    let staff = logged_in(base, "shenpi").await;

    // The review's page links to the application's 登记办理 page.
    let (_, html) = get(&staff, format!("{base}/reviews/{review}")).await;
    assert!(
        html.contains("href=\"/applications/SFH-2026-001\" id=\"application-link\""),
        "{html}"
    );

    // The pending list links to the application's page; the page offers the decision only.
    let (_, html) = get(&staff, format!("{base}/rights")).await;
    assert!(
        html.contains("href=\"/applications/SFH-2026-001\""),
        "{html}"
    );
    let (s, html) = get(&staff, format!("{base}{app}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("id=\"form-decision\"") && !html.contains("id=\"form-register\""));
    assert!(html.contains("在审"), "{html}");

    // Registration before approval and grant: 422, the store's problems shown, nothing written.
    let audit_before = audit_rows(&srv.store).await;
    let (s, _, body) = post_form(
        &staff,
        base,
        app,
        &format!("{app}/register"),
        &[
            ("licence", "C9"),
            ("valid_from", "2021-12-01"),
            ("valid_to", "2024-11-30"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("批准后才能登记"), "{body}");
    assert!(body.contains("尚未记录出让"), "{body}");
    assert!(
        body.contains("value=\"C9\""),
        "the form keeps what was sent: {body}"
    );
    assert_eq!(audit_rows(&srv.store).await, audit_before);
    assert!(srv.store.right_history("C9").await.is_err());

    // A refusal without its reason: 422 at the field.
    let (s, _, body) = post_form(
        &staff,
        base,
        app,
        &format!("{app}/decision"),
        &[("decision", "refuse"), ("date", "2021-11-25")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("data-field=\"reason\">不予批准须写明理由"),
        "{body}"
    );
    // Malformed date: 422 at the field, never a 500.
    let (s, _, body) = post_form(
        &staff,
        base,
        app,
        &format!("{app}/decision"),
        &[("decision", "approve"), ("date", "2021-13-45")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("data-field=\"date\">决定日期“2021-13-45”不是有效日期"),
        "{body}"
    );
    assert_eq!(audit_rows(&srv.store).await, audit_before);

    // 决定 → 出让 → 登记.
    let (s, loc, body) = post_form(
        &staff,
        base,
        app,
        &format!("{app}/decision"),
        &[("decision", "approve"), ("date", "2021-11-25")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(loc, format!("{app}?done=decision"));
    let (_, html) = get(&staff, format!("{base}{loc}")).await;
    assert!(html.contains("已记录决定"), "{html}");
    assert!(
        html.contains("<td id=\"application-status\">已批准</td>"),
        "{html}"
    );
    assert!(html.contains("id=\"form-grant\""));

    complete_joint_review(&srv.store, "SFH-2026-001", "2021-11-26").await;
    let (s, loc, body) = post_form(
        &staff,
        base,
        app,
        &format!("{app}/grant"),
        &[
            ("method", "挂牌"),
            ("net_mineral", "on"),
            ("price", "85"),
            ("date", "2021-11-28"),
            ("contract", "绥自然资出〔2026〕7号"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(loc, format!("{app}?done=grant"));
    let facts = srv.store.application_facts("SFH-2026-001").await.unwrap();
    let g = facts.grant.unwrap();
    assert_eq!(
        (
            g.method.label(),
            g.net_mineral,
            g.price_wan_yuan,
            g.date.to_string()
        ),
        ("挂牌", true, 85.0, "2021-11-28".to_string())
    );

    let (s, loc, body) = post_form(
        &staff,
        base,
        app,
        &format!("{app}/register"),
        &[
            ("licence", "C9"),
            ("valid_from", "2021-12-01"),
            ("valid_to", "2024-11-30"),
            ("approval", "本级审批"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(loc, format!("{app}?done=register"));
    let (_, html) = get(&staff, format!("{base}{loc}")).await;
    assert!(html.contains("href=\"/rights/C9\">矿业权 C9</a>"), "{html}");
    let h = srv.store.right_history("C9").await.unwrap();
    assert_eq!(kinds(&h), ["register"]);
    assert_eq!(h.current().valid_to.unwrap().to_string(), "2024-11-30");
    assert_eq!(h.current().holder_name, "绥芬河市庆发建材有限公司");

    // The right's page: its events and the forms.
    let right = "/rights/C9";
    let (_, html) = get(&staff, format!("{base}{right}")).await;
    assert!(html.contains("id=\"events-table\""), "{html}");
    assert!(html.contains("<td>2021-12-01</td><td>登记</td>"), "{html}");
    for form in [
        "form-extend",
        "form-transfer",
        "form-cancel",
        "form-closure-report",
    ] {
        assert!(html.contains(&format!("id=\"{form}\"")), "lacks {form}");
    }

    // Extension after expiry without the reason: 422 at 原因, nothing written.
    let audit_before = audit_rows(&srv.store).await;
    let (s, _, body) = post_form(
        &staff,
        base,
        right,
        &format!("{right}/extend"),
        &[("valid_to", "2027-11-30"), ("date", "2024-12-15")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("data-field=\"reason\">许可证已于 2024-11-30 到期"),
        "{body}"
    );
    assert!(body.contains("value=\"2027-11-30\""), "{body}");
    assert_eq!(audit_rows(&srv.store).await, audit_before);
    assert_eq!(
        kinds(&srv.store.right_history("C9").await.unwrap()),
        ["register"]
    );

    // With the reason: extended.
    let (s, loc, body) = post_form(
        &staff,
        base,
        right,
        &format!("{right}/extend"),
        &[
            ("valid_to", "2027-11-30"),
            ("date", "2024-12-15"),
            ("reason", "储量核实报告评审延期"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(loc, "/rights/C9?done=extend");
    let (_, html) = get(&staff, format!("{base}{loc}")).await;
    assert!(html.contains("已办理延续"), "{html}");
    assert!(
        html.contains("有效期止 2027-11-30；原因：储量核实报告评审延期"),
        "{html}"
    );

    // A cancellation without its reason, then with it.
    let (s, _, body) = post_form(
        &staff,
        base,
        right,
        &format!("{right}/cancel"),
        &[("date", "2025-01-10"), ("reason", " ")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("data-field=\"reason\">注销须写明原因"),
        "{body}"
    );
    let (s, loc, body) = post_form(
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
    let (_, html) = get(&staff, format!("{base}{loc}")).await;
    assert!(html.contains("已办理注销"), "{html}");
    assert!(html.contains("<td>2025-01-10</td><td>注销</td>"), "{html}");
    assert!(html.contains("id=\"lifecycle-ended\"") && !html.contains("id=\"form-extend\""));

    let h = srv.store.right_history("C9").await.unwrap();
    assert_eq!(kinds(&h), ["register", "extend", "cancel"]);
    assert_eq!(h.current().standing.label(), "已注销");
    assert_eq!(h.current().valid_to.unwrap().to_string(), "2027-11-30");
    assert_eq!(
        h.current().cancel_reason.as_deref(),
        Some("矿山企业申请注销")
    );

    // The audit trail: each step with the staff account as actor.
    let trail = srv.store.audit_trail("right", "C9").await.unwrap();
    let actions: Vec<&str> = trail.iter().map(|t| t.action.as_str()).collect();
    assert_eq!(actions, ["right.register", "right.extend", "right.cancel"]);
    assert!(
        trail.iter().all(|t| t.actor.contains("shenpi")),
        "{:?}",
        trail[0].actor
    );
    let trail = srv
        .store
        .audit_trail("application", "SFH-2026-001")
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|t| t.action.as_str()).collect();
    assert!(
        actions.contains(&"application.approve") && actions.contains(&"application.grant"),
        "{actions:?}"
    );

    // 生态修复 sees the closure forms only; 规划科 sees no forms and no history.
    let xiufu = logged_in(base, "xiufu").await;
    let (_, html) = get(&xiufu, format!("{base}/rights/C9")).await;
    assert!(html.contains("id=\"events-table\"") && !html.contains("id=\"form-extend\""));
    let guihua = logged_in(base, "guihua").await;
    let (_, html) = get(&guihua, format!("{base}/rights/C9")).await;
    assert!(!html.contains("id=\"events-table\""));
    // 规划科 may not post a form.
    let (s, _, _) = post_form(
        &guihua,
        base,
        "/rights/C9",
        "/rights/C9/extend",
        &[("valid_to", "2035-01-01"), ("date", "2025-02-01")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn malformed_forms_are_refused_without_errors() {
    let srv = start().await;
    let base = &srv.base;
    reviewed_application(&srv).await;
    let staff = logged_in(base, "shenpi").await;
    let csrf = token(&staff, base).await;
    let huge = "9".repeat(5000);
    for (path, body) in [
        (
            "/applications/SFH-2026-001/grant",
            format!("csrf_token={csrf}&method=%E6%8C%82%E7%89%8C&price=1e999&date=2026-01-01"),
        ),
        (
            "/applications/SFH-2026-001/grant",
            format!("csrf_token={csrf}&price={huge}&date={huge}"),
        ),
        (
            "/applications/SFH-2026-001/register",
            format!("csrf_token={csrf}&licence=&valid_from=%FF%FE&valid_to=0000-00-00"),
        ),
        (
            "/applications/SFH-2026-001/decision",
            format!("csrf_token={csrf}&decision=maybe"),
        ),
    ] {
        let r = staff
            .post(format!("{base}{path}"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
    }
    // A body that is not a form (not UTF-8): an empty form, 422, not a 500.
    let r = staff
        .post(format!("{base}/applications/SFH-2026-001/decision"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("x-csrf-token", &csrf)
        .body(vec![0xff, 0xfe, 0x00, 0x80])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Unknown application or right: 404.
    let r = staff
        .get(format!("{base}/applications/NO-SUCH"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = staff
        .post(format!("{base}/rights/NO-SUCH/extend"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("valid_to", "2030-01-01"),
            ("date", "2026-01-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Bulk import: non-UTF-8 CSV, a garbage XLSX, a wrong extension, no file.
    for (name, bytes, want) in [
        ("a.csv", vec![0xffu8, 0xfe, 0x41], "UTF-8"),
        ("a.xlsx", b"PK\x03\x04 not a zip".to_vec(), "无法读取表格"),
        ("a.exe", b"MZ".to_vec(), "文件应为 XLSX"),
    ] {
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", csrf.clone())
            .text("mode", "commit")
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name),
            );
        let r = staff
            .post(format!("{base}/rights/import"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let body = r.text().await.unwrap();
        assert!(body.contains(want), "{name}: {body}");
    }
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf.clone())
        .text("mode", "bogus");
    let r = staff
        .post(format!("{base}/annual-reports/import"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

fn csv_cell(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

const HEADER: &str = "许可证号,矿业权类型,状态,矿山名称,矿业权人,统一社会信用代码,矿种,生产规模,规模单位,审批级别,有效期起,有效期止,开采标高,拐点坐标";

async fn upload(
    c: &Client,
    base: &str,
    path: &str,
    mode: &str,
    name: &str,
    content: &str,
) -> (StatusCode, String) {
    let csrf = token(c, base).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf)
        .text("mode", mode.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(content.as_bytes().to_vec())
                .file_name(name.to_string()),
        );
    let r = c
        .post(format!("{base}{path}"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn bulk_import_checks_first_and_imports_when_asked() {
    let srv = start().await;
    let base = &srv.base;
    let staff = logged_in(base, "shenpi").await;
    let (s, html) = get(&staff, format!("{base}/rights/import")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("许可证号、矿业权类型、状态") && html.contains("仅检查"),
        "{html}"
    );

    let ex = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let corners = std::fs::read_to_string(ex.join("01-qingfa-quarry.txt")).unwrap();
    let good = format!(
        "C2310812019010001,采矿权,有效,庆发采石场,绥芬河市庆发建材有限公司,91231081MA1BQF0013,建筑用凝灰岩,5,万立方米/年,本级审批,2019-01-01,2027-12-31,560～480,{}",
        csv_cell(&corners)
    );
    let bad = "C2310812019010002,采矿权,有效,某采石场,某公司,91231081MA1BQF0013,花岗石头,5,万立方米/年,本级审批,2019-02-30,2027-12-31,,";
    let csv = format!("\u{feff}{HEADER}\n{good}\n{bad}\n");
    let audit_before = audit_rows(&srv.store).await;

    // 仅检查: every problem of row 3 listed, nothing imported.
    let (s, html) = upload(&staff, base, "/rights/import", "dry_run", "台账.csv", &csv).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains("仅检查，未导入：共 2 行，1 行无问题"),
        "{html}"
    );
    for want in [
        "<tr><td class=\"num\">3</td><td>矿种</td><td>未知矿种“花岗石头”",
        "<tr><td class=\"num\">3</td><td>有效期起</td>",
        "<tr><td class=\"num\">3</td><td>拐点坐标</td><td>不能为空",
    ] {
        assert!(html.contains(want), "lacks {want}: {html}");
    }
    assert!(srv.store.right_history("C2310812019010001").await.is_err());
    assert_eq!(audit_rows(&srv.store).await, audit_before);

    // 导入 while a row has problems: 422, nothing imported.
    let (s, html) = upload(&staff, base, "/rights/import", "commit", "台账.csv", &csv).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("未导入任何一行"), "{html}");
    assert!(srv.store.right_history("C2310812019010001").await.is_err());
    assert_eq!(audit_rows(&srv.store).await, audit_before);

    // The fixed table imports.
    let fixed = format!("{HEADER}\n{good}\n");
    let (s, html) = upload(&staff, base, "/rights/import", "commit", "台账.csv", &fixed).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains("已导入 1 行（共 1 行）：C2310812019010001"),
        "{html}"
    );
    let h = srv.store.right_history("C2310812019010001").await.unwrap();
    assert_eq!(kinds(&h), ["import"]);
    assert_eq!(h.current().valid_to.unwrap().to_string(), "2027-12-31");
    assert_eq!(h.current().holder_name, "绥芬河市庆发建材有限公司");
    let trail = srv
        .store
        .audit_trail("right", "C2310812019010001")
        .await
        .unwrap();
    assert_eq!(trail[0].action, "right.import");
    // Shown on the register.
    let (_, html) = get(&staff, format!("{base}/rights")).await;
    assert!(html.contains("C2310812019010001"));

    // Annual reports of that mine: the unknown licence is listed, the good row kept out
    // until skipping is chosen.
    let reports = "许可证号,年度,开采量,单位,产值（万元）,从业人员,清水循环利用率,报送日期\n\
                   C2310812019010001,2024,4.5,万立方米,315,20,100,2025-03-01\n\
                   C9999,2025,1,万立方米,1,1,,2026-03-01\n";
    let (s, html) = upload(
        &staff,
        base,
        "/annual-reports/import",
        "dry_run",
        "年报.csv",
        reports,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains("<tr><td class=\"num\">3</td><td>许可证号</td>"),
        "{html}"
    );
    assert!(
        srv.store
            .annual_reports(Some(2024), None)
            .await
            .unwrap()
            .is_empty()
    );
    let (s, html) = upload(
        &staff,
        base,
        "/annual-reports/import",
        "skip_invalid",
        "年报.csv",
        reports,
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("已导入 1 行（共 2 行）"), "{html}");
    let r = srv.store.annual_reports(Some(2024), None).await.unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(
        (r[0].extraction, r[0].output_value_wan_yuan, r[0].staff),
        (4.5, 315.0, 20)
    );

    // The tester's bad rows: out-of-bounds figures are listed by row and Chinese column,
    // and neither 仅检查 nor 导入 writes anything.
    let header = HEADER.replace("开采标高", "面积,开采标高");
    let neg = format!(
        "{header}
         C2310812019010002,采矿权,有效,乙采石场,乙公司,,建筑用凝灰岩,-6,万立方米/年,本级审批,2019-01-01,2027-12-31,-5,480～560,{c}
         C2310812019010003,采矿权,有效,丙采石场,丙公司,,钻石头,1e300,万立方米/年,本级审批,2019-01-01,2027-12-31,,560～480,{c}
",
        c = csv_cell(&corners)
    );
    let reports = "许可证号,年度,开采量,单位,产值（万元）,从业人员,开采回采率,报送日期
                   C2310812019010001,2023,-5,万立方米,315,20,95,2024-03-01
                   C2310812019010001,2022,4,万立方米,315,-3,95,2023-03-01
                   C2310812019010001,2021,4,万立方米,315,20,150,2022-03-01
                   C2310812019010001,2020,1e300,万立方米,315,20,95,2021-03-01
";
    let audit_before = audit_rows(&srv.store).await;
    for mode in ["dry_run", "commit"] {
        let (_, html) = upload(&staff, base, "/rights/import", mode, "neg2.csv", &neg).await;
        for want in [
            "<tr><td class=\"num\">2</td><td>生产规模</td><td>生产规模应大于 0 且不超过 10000（万立方米/年 或 万吨/年），表中为 -6",
            "<tr><td class=\"num\">2</td><td>面积</td><td>面积应大于 0 且不超过 1000 km²",
            "<tr><td class=\"num\">2</td><td>开采标高</td><td>“480～560”：起标高（480）应高于止标高（560）",
            "<tr><td class=\"num\">3</td><td>矿种</td><td>未知矿种“钻石头”",
            "<tr><td class=\"num\">3</td><td>生产规模</td><td>生产规模应大于 0 且不超过 10000",
        ] {
            assert!(html.contains(want), "{mode} lacks {want}: {html}");
        }
        let (_, html) = upload(
            &staff,
            base,
            "/annual-reports/import",
            mode,
            "年报.csv",
            reports,
        )
        .await;
        for want in [
            "<tr><td class=\"num\">2</td><td>开采量</td><td>开采量应在 0–1000000 之间",
            "<tr><td class=\"num\">3</td><td>从业人员</td><td>从业人员应为 0–1000000 之间的整数",
            "<tr><td class=\"num\">4</td><td>开采回采率</td><td>开采回采率应在 0–100（%）之间",
            "<tr><td class=\"num\">5</td><td>开采量</td><td>开采量应在 0–1000000 之间",
        ] {
            assert!(html.contains(want), "{mode} lacks {want}: {html}");
        }
        assert!(srv.store.right_history("C2310812019010002").await.is_err());
        assert!(srv.store.right_history("C2310812019010003").await.is_err());
        for y in 2020..=2023 {
            assert!(
                srv.store
                    .annual_reports(Some(y), None)
                    .await
                    .unwrap()
                    .is_empty()
            );
        }
        assert_eq!(audit_rows(&srv.store).await, audit_before);
    }
    // A .txt is refused as the command line refuses it, naming the accepted types.
    let (s, html) = upload(&staff, base, "/rights/import", "commit", "台账.txt", &fixed).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{html}");
    assert!(
        html.contains("不支持的文件类型：可导入 .xlsx .xls .csv 表格"),
        "{html}"
    );
    assert_eq!(audit_rows(&srv.store).await, audit_before);
}

/// A rights table whose 面积 disagrees with a row's corners (examples/01: ellipsoidal
/// 0.0200 km²): the row is listed under 面积 with the figure as written and both computed
/// areas, and 导入 writes nothing — not even the good row — until it is fixed.
#[tokio::test]
async fn bulk_import_refuses_an_area_that_disagrees_with_the_corners() {
    let srv = start().await;
    let base = &srv.base;
    let staff = logged_in(base, "shenpi").await;
    let ex = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let corners = csv_cell(&std::fs::read_to_string(ex.join("01-qingfa-quarry.txt")).unwrap());
    let header = HEADER.replace("开采标高", "面积,开采标高");
    let row = |licence: &str, area: &str| {
        format!(
            "{licence},采矿权,有效,庆发采石场,绥芬河市庆发建材有限公司,91231081MA1BQF0013,建筑用凝灰岩,5,万立方米/年,本级审批,2019-01-01,2027-12-31,{area},560～480,{corners}"
        )
    };
    let csv = format!(
        "{header}\n{}\n{}\n",
        row("C2310812019010001", "2公顷"),
        row("C2310812019010002", "0.0210")
    );
    let audit_before = audit_rows(&srv.store).await;
    for mode in ["dry_run", "commit"] {
        let (s, html) = upload(&staff, base, "/rights/import", mode, "台账.csv", &csv).await;
        let want = if mode == "commit" {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        assert_eq!(s, want, "{mode}: {html}");
        assert!(
            html.contains("<tr><td class=\"num\">3</td><td>面积</td><td>面积“0.0210”，按坐标计算椭球面积 0.0200 km²")
                && html.contains("平面面积 0.0200 km²"),
            "{mode}: {html}"
        );
        for licence in ["C2310812019010001", "C2310812019010002"] {
            assert!(srv.store.right_history(licence).await.is_err(), "{mode}");
        }
        assert_eq!(audit_rows(&srv.store).await, audit_before, "{mode}");
    }
    // Fixed (the figure of the corners, in 亩): both rows import.
    let fixed = format!(
        "{header}\n{}\n{}\n",
        row("C2310812019010001", "2公顷"),
        row("C2310812019010002", "30亩")
    );
    let (s, html) = upload(&staff, base, "/rights/import", "commit", "台账.csv", &fixed).await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(html.contains("已导入 2 行（共 2 行）"), "{html}");
}

#[tokio::test]
async fn a_geopackage_register_is_checked_then_imported_on_the_bulk_page() {
    use minplan_io::export::{ExportFeature, ExportField, ExportLayer, FieldKind};
    let srv = start().await;
    let base = &srv.base;
    let staff = logged_in(base, "shenpi").await;
    // The 庆发 corners (EPSG:4532, as entered) as a GeoPackage register with Chinese columns.
    let ex = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let ring: Vec<(f64, f64)> = std::fs::read_to_string(ex.join("01-qingfa-quarry.txt"))
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('*'))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[2].parse().unwrap(), f[1].parse().unwrap())
        })
        .collect();
    let mut closed = ring.clone();
    closed.push(ring[0]);
    let f = |n: &str| ExportField {
        name: n.into(),
        kind: FieldKind::Text,
    };
    let layer = ExportLayer {
        name: "登记簿".into(),
        zone: minplan_geo::GaussKrugerZone::three_degree(44, true).unwrap(),
        fields: vec![
            f("许可证号"),
            f("矿业权类型"),
            f("矿山名称"),
            f("矿业权人"),
            f("统一社会信用代码"),
            f("矿种"),
            f("生产规模"),
            f("规模单位"),
            f("有效期起"),
            f("有效期止"),
        ],
        features: vec![ExportFeature {
            name: "庆发采石场".into(),
            lonlat: Vec::new(),
            plane: Some(vec![vec![closed]]),
            labels: None,
            values: vec![
                "C2310812019010001".into(),
                "采矿权".into(),
                "庆发采石场".into(),
                "绥芬河市庆发建材有限公司".into(),
                "91231081MA1BQF0013".into(),
                "建筑用凝灰岩".into(),
                "5".into(),
                "万立方米/年".into(),
                "2019-01-01".into(),
                "2027-12-31".into(),
            ],
        }],
    };
    let bytes = minplan_io::write(
        minplan_io::ExportFormat::GeoPackage,
        &[layer],
        &minplan_io::WriteOptions::default(),
    )
    .unwrap();
    let send = |mode: &'static str| {
        let bytes = bytes.clone();
        let staff = staff.clone();
        async move {
            let csrf = token(&staff, base).await;
            let form = reqwest::multipart::Form::new()
                .text("csrf_token", csrf)
                .text("mode", mode)
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(bytes).file_name("登记簿.gpkg"),
                );
            let r = staff
                .post(format!("{base}/rights/import"))
                .multipart(form)
                .send()
                .await
                .unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let (s, html) = send("dry_run").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains("仅检查，未导入：共 1 行，1 行无问题"),
        "{html}"
    );
    assert!(srv.store.right_history("C2310812019010001").await.is_err());
    let (s, html) = send("commit").await;
    assert_eq!(s, StatusCode::OK, "{html}");
    assert!(
        html.contains("已导入 1 行（共 1 行）：C2310812019010001"),
        "{html}"
    );
    // The /rights upload (GeoJSON only) sends registers to this page instead of misreading them.
    let csrf = token(&staff, base).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf)
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes.clone()).file_name("登记簿.gpkg"),
        );
    let r = staff
        .post(format!("{base}/rights"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("批量导入"));
}
