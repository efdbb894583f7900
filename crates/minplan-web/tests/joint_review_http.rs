//! 联合审查 through the web forms (《规划》四（三）3（1））: the grant of a 新立 application is
//! refused (nothing written) until the departments have all answered, the 踏查 is recorded and
//! the government has agreed; a 不同意 blocks it, named; an extent the 踏查 adjusted needs a
//! passing re-review of exactly those corners; the 联合审查意见 (DOCX) lists the departments
//! and is dated as people write dates in Beijing.

mod common;

use common::*;
use minplan_store::Actor;
use reqwest::{Client, StatusCode};
use std::io::Read;

const APP: &str = "/applications/SFH-2026-001";
const JR: &str = "/applications/SFH-2026-001/joint-review";
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0";

/// Reviews examples/01 (符合), received in 2021, and approves it on 2021-11-25.
async fn approved_application(srv: &Server) -> i64 {
    let ex = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let toml = std::fs::read_to_string(ex.join("01-qingfa-quarry.toml"))
        .unwrap()
        .replace("received = \"2026-11-20\"", "received = \"2021-11-20\"");
    let corners = std::fs::read(ex.join("01-qingfa-quarry.txt")).unwrap();
    let engine = minplan_store::ReviewEngine::load(&srv.store).await.unwrap();
    let app = engine.parse(&toml, Some(&corners)).unwrap();
    let (id, _) = engine
        .review_and_save(
            &srv.store,
            &app,
            &toml,
            Some(("01-qingfa-quarry.txt", &corners)),
            &Actor::System,
        )
        .await
        .unwrap();
    srv.store
        .decide_application(
            "SFH-2026-001",
            &minplan_domain::register::Decision {
                approve: true,
                date: minplan_domain::date::Date::parse("2021-11-25").unwrap(),
                accepted_checks: None,
                reason: None,
            },
            &Actor::System,
        )
        .await
        .unwrap();
    id
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
    answer(r).await
}

/// Posts a multipart form (fields and files) taken from the joint review's page.
async fn post_multipart(
    c: &Client,
    base: &str,
    action: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> (StatusCode, String, String) {
    let (_, html) = get(c, format!("{base}{JR}")).await;
    let mut form = reqwest::multipart::Form::new().text("csrf_token", csrf_in(&html));
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (field, name, bytes) in files {
        form = form.part(
            field.to_string(),
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
        );
    }
    let r = c
        .post(format!("{base}{action}"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    answer(r).await
}

async fn answer(r: reqwest::Response) -> (StatusCode, String, String) {
    let loc = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (r.status(), loc, r.text().await.unwrap_or_default())
}

async fn grant(c: &Client, base: &str) -> (StatusCode, String, String) {
    post_form(
        c,
        base,
        APP,
        &format!("{APP}/grant"),
        &[("method", "挂牌"), ("price", "85"), ("date", "2021-11-28")],
    )
    .await
}

async fn start_with(c: &Client, base: &str, departments: &str) {
    let (s, loc, body) = post_form(
        c,
        base,
        JR,
        &format!("{JR}/start"),
        &[("departments", departments), ("date", "2021-11-25")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(loc, format!("{JR}?done=start"));
}

async fn opinion(c: &Client, base: &str, department: &str, opinion: &str, conditions: &str) {
    let (s, _, body) = post_multipart(
        c,
        base,
        &format!("{JR}/opinion"),
        &[
            ("department", department),
            ("opinion", opinion),
            ("conditions", conditions),
            ("date", "2021-11-26"),
        ],
        &[],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{department}: {body}");
}

async fn visit(c: &Client, base: &str) {
    let (s, _, body) = post_multipart(
        c,
        base,
        &format!("{JR}/site-visit"),
        &[
            ("date", "2021-11-26"),
            ("people", "张三（县自然资源局）、李四（县生态环境局）"),
            ("findings", "现场地类与申请一致，东侧临近林地"),
        ],
        &[("photos", "现场1.png", PNG)],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
}

async fn consent(c: &Client, base: &str) {
    let (s, _, body) = post_form(
        c,
        base,
        JR,
        &format!("{JR}/consent"),
        &[
            ("date", "2021-11-27"),
            ("document_number", "绥政函〔2021〕9号"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
}

#[tokio::test]
async fn the_grant_waits_for_the_joint_review_then_is_recorded_with_its_conditions() {
    let srv = start().await;
    let base = &srv.base;
    approved_application(&srv).await;
    let staff = logged_in(base, "shenpi").await;

    // The application's page links to the joint review, not yet started.
    let (_, html) = get(&staff, format!("{base}{APP}")).await;
    assert!(
        html.contains(&format!("<a href=\"{JR}\">未启动（出让前须完成）</a>")),
        "{html}"
    );

    // A grant before any joint review: 422 naming it, nothing written.
    let audit_before = audit_rows(&srv.store).await;
    let (s, _, body) = grant(&staff, base).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("申请 SFH-2026-001 尚未进行联合审查"),
        "{body}"
    );
    assert_eq!(audit_rows(&srv.store).await, audit_before);
    let facts = srv.store.application_facts("SFH-2026-001").await.unwrap();
    assert!(facts.grant.is_none());

    // Started with the default departments offered (edited down to two).
    let (_, html) = get(&staff, format!("{base}{JR}")).await;
    assert!(
        html.contains("自然资源\n生态环境\n林业和草原\n水利\n应急管理</textarea>"),
        "{html}"
    );
    start_with(&staff, base, "自然资源\n生态环境").await;

    // 自然资源 agrees with its reply attached (a PDF by content); 生态环境 with conditions.
    let (s, _, body) = post_multipart(
        &staff,
        base,
        &format!("{JR}/opinion"),
        &[
            ("department", "自然资源"),
            ("opinion", "同意"),
            ("date", "2021-11-26"),
        ],
        &[("attachment", "自然资源局复函.pdf", PDF)],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    // 附条件同意 without its conditions: refused at the field, nothing written.
    let before = audit_rows(&srv.store).await;
    let (s, _, body) = post_multipart(
        &staff,
        base,
        &format!("{JR}/opinion"),
        &[
            ("department", "生态环境"),
            ("opinion", "附条件同意"),
            ("date", "2021-11-26"),
        ],
        &[],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("<span class=\"field-error\">请填写所附条件</span>"),
        "{body}"
    );
    assert_eq!(audit_rows(&srv.store).await, before);
    opinion(
        &staff,
        base,
        "生态环境",
        "附条件同意",
        "开采中避让东侧水源涵养林",
    )
    .await;

    // Still refused: no 踏查, no government 同意 — each named.
    let (s, _, body) = grant(&staff, base).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("尚未记录现场踏查"), "{body}");
    assert!(
        body.contains("尚未记录人民政府同意（日期、文号）"),
        "{body}"
    );

    // A photo that is no image: refused naming the file, nothing written.
    let before = audit_rows(&srv.store).await;
    let (s, _, body) = post_multipart(
        &staff,
        base,
        &format!("{JR}/site-visit"),
        &[
            ("date", "2021-11-26"),
            ("people", "张三"),
            ("findings", "一致"),
        ],
        &[("photos", "现场.gif", b"GIF89a....")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("文件“现场.gif”不是 JPG、PNG 图片或 PDF 文件"),
        "{body}"
    );
    assert_eq!(audit_rows(&srv.store).await, before);
    visit(&staff, base).await;
    // The form keeps what was recorded, so a second photo is added without typing again.
    let (_, html) = get(&staff, format!("{base}{JR}")).await;
    assert!(
        html.contains(
            "<textarea name=\"findings\" rows=\"4\">现场地类与申请一致，东侧临近林地</textarea>"
        ),
        "{html}"
    );
    let (s, _, body) = post_multipart(
        &staff,
        base,
        &format!("{JR}/site-visit"),
        &[
            ("date", "2021-11-26"),
            ("people", "张三（县自然资源局）、李四（县生态环境局）"),
            ("findings", "现场地类与申请一致，东侧临近林地"),
        ],
        &[("photos", "现场2.jpg", b"\xFF\xD8\xFF\xE0\0\x10JFIF")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let rec = srv
        .store
        .joint_review("SFH-2026-001")
        .await
        .unwrap()
        .unwrap();
    let photos: Vec<(&str, &str)> = rec
        .files
        .iter()
        .filter(|f| f.kind == "photo")
        .map(|f| (f.file_name.as_str(), f.media_type.as_str()))
        .collect();
    assert_eq!(
        photos,
        vec![("现场1.png", "image/png"), ("现场2.jpg", "image/jpeg")]
    );
    consent(&staff, base).await;

    // Complete: the page says so with the condition carried.
    let (_, html) = get(&staff, format!("{base}{JR}")).await;
    assert!(html.contains("id=\"joint-complete\""), "{html}");
    // Every step in the joint review's own trail, by its Chinese name.
    for step in [
        "启动联合审查",
        "记录部门意见",
        "记录现场踏查",
        "记录人民政府同意",
    ] {
        assert!(html.contains(step), "{step}: {html}");
    }
    assert!(
        html.contains("<li>生态环境：开采中避让东侧水源涵养林</li>"),
        "{html}"
    );
    assert!(
        html.contains("2021年11月27日（绥政函〔2021〕9号）"),
        "{html}"
    );
    // The reply as uploaded.
    let rec = srv
        .store
        .joint_review("SFH-2026-001")
        .await
        .unwrap()
        .unwrap();
    let reply = rec.files.iter().find(|f| f.kind == "attachment").unwrap();
    assert_eq!(reply.media_type, "application/pdf");
    assert_eq!(reply.size, PDF.len() as i64);
    let r = staff
        .get(format!("{base}{JR}/files/{}", reply.id))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().as_ref(), PDF);

    // The grant is now recorded; its audit row carries the conditions and the 同意.
    let (s, loc, body) = grant(&staff, base).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(loc, format!("{APP}?done=grant"));
    let facts = srv.store.application_facts("SFH-2026-001").await.unwrap();
    assert_eq!(facts.grant.unwrap().date.to_string(), "2021-11-28");
    let trail = srv
        .store
        .audit_trail("application", "SFH-2026-001")
        .await
        .unwrap();
    let g = trail
        .iter()
        .find(|r| r.action == "application.grant")
        .unwrap();
    let after: serde_json::Value = serde_json::from_str(g.after.as_deref().unwrap()).unwrap();
    assert_eq!(
        after["joint_review"]["conditions"][0],
        serde_json::json!(["生态环境", "开采中避让东侧水源涵养林"])
    );
    assert_eq!(
        after["joint_review"]["consent"]["document_number"],
        "绥政函〔2021〕9号"
    );

    // The 联合审查意见: the departments' table, the condition, the 同意 dated as people write.
    let r = staff.get(format!("{base}{JR}/docx")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    for want in [
        "联合审查意见",
        "自然资源",
        "生态环境",
        "附条件同意",
        "开采中避让东侧水源涵养林",
        "人民政府于2021年11月27日同意（绥政函〔2021〕9号）。",
        "现场地类与申请一致，东侧临近林地",
        &minplan_store::today().chinese(),
    ] {
        assert!(xml.contains(want), "{want} missing from the document");
    }
    assert!(!xml.to_lowercase().contains("minplan"));
}

#[tokio::test]
async fn a_department_that_disagrees_blocks_the_grant() {
    let srv = start().await;
    let base = &srv.base;
    approved_application(&srv).await;
    let staff = logged_in(base, "shenpi").await;
    start_with(&staff, base, "自然资源、水利").await;
    opinion(&staff, base, "自然资源", "同意", "").await;
    opinion(&staff, base, "水利", "不同意", "矿区压覆河道管理范围").await;
    visit(&staff, base).await;
    consent(&staff, base).await;
    let before = audit_rows(&srv.store).await;
    let (s, _, body) = grant(&staff, base).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("水利部门不同意：矿区压覆河道管理范围"),
        "{body}"
    );
    assert_eq!(audit_rows(&srv.store).await, before);
    assert!(
        srv.store
            .application_facts("SFH-2026-001")
            .await
            .unwrap()
            .grant
            .is_none()
    );
    let (_, html) = get(&staff, format!("{base}{JR}")).await;
    assert!(
        html.contains("<li>水利部门不同意：矿区压覆河道管理范围</li>"),
        "{html}"
    );
}

/// Example 01's corners with points 3 and 4 moved 1/6 of the way back towards 2 and 1: a
/// smaller extent inside the first, covering only 83% of its planning block (R2: 需人工核查).
const SHRUNK: &str = "拐点,X(起标高),Y(止标高)\n1,4911391.68,44428925.83, , ,\n2,4911350.27,44429080.39, , ,\n3,4911450.90,44429107.36, , ,\n4,4911492.31,44428952.80, , ,\n*,560,480,庆发采石场,1,\n";

/// The same moved 1/30 of the way: still 符合.
const ADJUSTED: &str = "拐点,X(起标高),Y(止标高)\n1,4911391.68,44428925.83, , ,\n2,4911350.27,44429080.39, , ,\n3,4911467.00,44429111.67, , ,\n4,4911508.41,44428957.11, , ,\n*,560,480,庆发采石场,1,\n";

#[tokio::test]
async fn an_adjusted_extent_needs_a_passing_rereview_of_those_corners() {
    let srv = start().await;
    let base = &srv.base;
    let first = approved_application(&srv).await;
    let staff = logged_in(base, "shenpi").await;
    start_with(&staff, base, "自然资源").await;
    opinion(&staff, base, "自然资源", "同意", "").await;
    visit(&staff, base).await;
    consent(&staff, base).await;

    // Corners the application parser refuses: 422 at the field, nothing written.
    let before = audit_rows(&srv.store).await;
    let (s, _, body) = post_form(
        &staff,
        base,
        JR,
        &format!("{JR}/extent"),
        &[("corners", "1,abc,def\n"), ("date", "2021-11-26")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("id=\"form-refused\""), "{body}");
    assert_eq!(audit_rows(&srv.store).await, before);

    // Recorded without its re-review (as the store takes it): the grant is refused.
    let d = minplan_domain::date::Date::parse("2021-11-26").unwrap();
    srv.store
        .record_adjusted_extent(
            "SFH-2026-001",
            &minplan_domain::register::joint_review::AdjustedExtent {
                corners_text: ADJUSTED.into(),
                crs: None,
                base_review_id: 0,
                date: d,
            },
            &Actor::System,
        )
        .await
        .unwrap();
    let (s, _, body) = grant(&staff, base).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("踏查调整了开采范围，调整后的范围尚未重新进行规划符合性审查"),
        "{body}"
    );

    // Through the form: recorded and reviewed again at once. An extent the review finds
    // 基本符合（需人工核查） does not complete the joint review.
    let (s, _, body) = post_form(
        &staff,
        base,
        JR,
        &format!("{JR}/extent"),
        &[("corners", SHRUNK), ("date", "2021-11-26")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (s, _, body) = grant(&staff, base).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("结论为基本符合（需人工核查），须核查后再次审查为符合"),
        "{body}"
    );

    // Corners the review finds 符合: complete, the grant recorded.
    let (s, loc, body) = post_form(
        &staff,
        base,
        JR,
        &format!("{JR}/extent"),
        &[("corners", ADJUSTED), ("date", "2021-11-26")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(loc, format!("{JR}?done=extent"));
    let facts = srv.store.application_facts("SFH-2026-001").await.unwrap();
    assert!(facts.review_id > first);
    let rec = srv
        .store
        .joint_review("SFH-2026-001")
        .await
        .unwrap()
        .unwrap();
    let re = rec.review.rereview.as_ref().unwrap();
    assert_eq!(re.review_id, facts.review_id);
    assert!(re.same_extent);
    assert_eq!(re.conclusion.label(), "符合");
    assert_eq!(rec.completion.unwrap().rereview_id, Some(facts.review_id));
    let (_, html) = get(&staff, format!("{base}{JR}")).await;
    assert!(
        html.contains(&format!(
            "重新审查：<a href=\"/reviews/{0}\">审查记录 #{0}</a>，符合",
            facts.review_id
        )),
        "{html}"
    );
    let (s, _, body) = grant(&staff, base).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
}

#[tokio::test]
async fn an_extension_needs_no_joint_review() {
    let srv = start().await;
    let base = &srv.base;
    let ex = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let toml = std::fs::read_to_string(ex.join("01-qingfa-quarry.toml"))
        .unwrap()
        .replace("received = \"2026-11-20\"", "received = \"2021-11-20\"")
        .replace(
            "kind = \"新立\"",
            "kind = \"延续\"\nexisting_right = \"C9\"",
        );
    let corners = std::fs::read(ex.join("01-qingfa-quarry.txt")).unwrap();
    let engine = minplan_store::ReviewEngine::load(&srv.store).await.unwrap();
    let Ok(app) = engine.parse(&toml, Some(&corners)) else {
        panic!("the 延续 application does not parse");
    };
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
    let staff = logged_in(base, "shenpi").await;
    let (s, html) = get(&staff, format!("{base}{JR}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("延续申请不出让新的矿业权，无需联合审查"),
        "{html}"
    );
    assert!(!html.contains("id=\"form-start\""));
    let (s, _, body) = post_form(
        &staff,
        base,
        JR,
        &format!("{JR}/start"),
        &[("departments", "自然资源"), ("date", "2021-11-25")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("延续申请不出让新的矿业权，无需联合审查"),
        "{body}"
    );
}
