//! 信息公示 and the public portal over HTTP: a draft is not public; submitted by one person and
//! approved by another it is, on the page and in the feeds; the submitter cannot approve their
//! own submission, another section's role cannot approve, approving needs the confirmation;
//! a withdrawal hides it and notes why; the portal needs no login; the CSV feeds open in Excel
//! (BOM, header row); no personal field reaches a feed.

mod common;

use common::*;
use minplan_domain::disclosure::{Payload, PublicListEntry};
use minplan_store::{Actor, NewUser, Role};
use reqwest::{Client, StatusCode};
use serde_json::Value;

async fn add_user(srv: &Server, username: &str, role: Role) {
    srv.store
        .add_user(
            &NewUser {
                username: username.into(),
                display_name: format!("{username}同事"),
                role,
                credit_code: None,
            },
            PW,
            &Actor::System,
        )
        .await
        .unwrap();
}

async fn get_text(c: &Client, url: &str) -> (StatusCode, String) {
    let r = c.get(url).send().await.unwrap();
    let s = r.status();
    (s, r.text().await.unwrap())
}

async fn post(
    c: &Client,
    base: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String, String) {
    let csrf = token(c, base).await;
    let mut f: Vec<(&str, &str)> = fields.to_vec();
    f.push(("csrf_token", &csrf));
    let r = c
        .post(format!("{base}{path}"))
        .form(&f)
        .send()
        .await
        .unwrap();
    let s = r.status();
    let loc = r
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (s, loc, r.text().await.unwrap_or_default())
}

/// Every key of a JSON value, nested.
fn keys(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                out.push(k.clone());
                keys(v, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

const PERSONAL_KEYS: [&str; 10] = [
    "id_number",
    "id_no",
    "phone",
    "mobile",
    "tel",
    "address",
    "inspector",
    "inspectors",
    "badge_no",
    "email",
];

fn entry() -> Payload {
    Payload::Lists(PublicListEntry {
        list: "异常名录".into(),
        holder_name: "绥芬河市公示测试矿业有限公司".into(),
        credit_code: "91231081MA1BQF0013".into(),
        reason: "未按期公示勘查开采信息".into(),
        decision_number: "绥自然资执〔2026〕7号".into(),
        listed_on: "2026-07-01".into(),
        removed_on: None,
        removal_decision_number: None,
    })
}

#[tokio::test]
async fn a_list_entry_is_public_only_after_another_person_approves_it() {
    let srv = start().await;
    let base = &srv.base;
    add_user(&srv, "zhifa2", Role::Enforcement).await;
    let id = srv
        .store
        .draft_publication(
            "abnormal:91231081MA1BQF0013:2026-07-01",
            "列入异常名录：绥芬河市公示测试矿业有限公司",
            &entry(),
            &Actor::System,
        )
        .await
        .unwrap();
    let public = client();
    let holder = "绥芬河市公示测试矿业有限公司";

    // A draft is not public.
    let (s, html) = get_text(&public, &format!("{base}/public/lists")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(!html.contains(holder));
    assert!(
        html.contains("尚无已公开的异常名录 / 严重违法失信名单"),
        "{html}"
    );
    let feed: Value = public
        .get(format!("{base}/public/feeds/lists.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(feed["entries"].as_array().unwrap().len(), 0);

    let zhifa = logged_in(base, "zhifa").await;
    let zhifa2 = logged_in(base, "zhifa2").await;
    let guihua = logged_in(base, "guihua").await;
    let page = format!("/publications/{id}");

    // Publishing without review: a draft cannot be approved.
    let (s, _, body) = post(
        &zhifa2,
        base,
        &format!("{page}/approve"),
        &[("confirm", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("当前状态为“草稿”，不能审核公开"), "{body}");

    // Another section cannot submit it.
    let (s, _, body) = post(&guihua, base, &format!("{page}/submit"), &[]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("名录信息由执法监察提交和审核"), "{body}");

    let (s, loc, _) = post(&zhifa, base, &format!("{page}/submit"), &[]).await;
    assert_eq!(
        (s, loc.as_str()),
        (
            StatusCode::SEE_OTHER,
            format!("{page}?done=submit").as_str()
        )
    );
    let (_, html) = get_text(&public, &format!("{base}/public/lists")).await;
    assert!(!html.contains(holder), "待审核 is not public");

    // The submitter cannot approve their own submission; the page says so instead of a button.
    let (_, html) = get_text(&zhifa, &format!("{base}{page}")).await;
    assert!(html.contains("id=\"approve-note\""), "{html}");
    assert!(!html.contains("id=\"approve-form\""));
    assert!(
        html.contains(holder),
        "the preview shows what the public will see"
    );
    let (s, _, body) = post(
        &zhifa,
        base,
        &format!("{page}/approve"),
        &[("confirm", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("提交人不能审核自己提交的信息"), "{body}");
    // Without the confirmation box nothing happens.
    let (s, _, body) = post(&zhifa2, base, &format!("{page}/approve"), &[]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("请勾选确认框"), "{body}");
    let (s, _, _) = post(
        &zhifa2,
        base,
        &format!("{page}/approve"),
        &[("confirm", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);

    // Public: page, JSON, CSV.
    let (s, html) = get_text(&public, &format!("{base}/public/lists")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains(holder) && html.contains("绥自然资执〔2026〕7号"),
        "{html}"
    );
    assert!(html.contains("2026年7月1日"), "dates as people write them");
    let feed: Value = public
        .get(format!("{base}/public/feeds/lists.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(feed["entries"][0]["entry"]["holder_name"], holder);
    assert_eq!(
        feed["entries"][0]["entry"]["credit_code"],
        "91231081MA1BQF0013"
    );
    let mut ks = Vec::new();
    keys(&feed, &mut ks);
    for k in PERSONAL_KEYS {
        assert!(!ks.iter().any(|x| x == k), "feed carries {k}: {feed}");
    }
    let r = public
        .get(format!("{base}/public/feeds/lists.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"),
    );
    let bytes = r.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM for Excel");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "名录,矿业权人,统一社会信用代码,列入原因,决定文号,列入日期,移出日期"
    );
    assert_eq!(
        lines.next().unwrap(),
        "异常名录,绥芬河市公示测试矿业有限公司,91231081MA1BQF0013,未按期公示勘查开采信息,绥自然资执〔2026〕7号,2026年7月1日,未移出"
    );
    assert_eq!(lines.next(), None);

    // Withdrawal: a reason is needed; then the entry disappears and the withdrawal is noted.
    let (s, _, body) = post(
        &zhifa2,
        base,
        &format!("{page}/withdraw"),
        &[("reason", " "), ("confirm", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("请填写撤回的理由"), "{body}");
    let (s, _, _) = post(
        &zhifa2,
        base,
        &format!("{page}/withdraw"),
        &[("reason", "列入决定已撤销"), ("confirm", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = get_text(&public, &format!("{base}/public/lists")).await;
    assert!(
        !html.contains("绥自然资执〔2026〕7号"),
        "withdrawn entries are not shown"
    );
    assert!(html.contains("撤回理由：列入决定已撤销"), "{html}");
    let feed: Value = public
        .get(format!("{base}/public/feeds/lists.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(feed["entries"].as_array().unwrap().len(), 0);
    assert_eq!(feed["withdrawn"][0]["reason"], "列入决定已撤销");

    // Each step is in the publication's history and in the audit log.
    let p = srv.store.publication(id).await.unwrap();
    let steps: Vec<&str> = p.events.iter().map(|e| e.step.as_str()).collect();
    assert_eq!(steps, ["draft", "submit", "approve", "withdraw"]);
    let log = srv
        .store
        .audit_list(&minplan_store::AuditFilter::parse_entity(&format!(
            "publication:{id}"
        )))
        .await
        .unwrap();
    let actions: Vec<&str> = log.iter().map(|r| r.action.as_str()).collect();
    for a in [
        "publication.draft",
        "publication.submit",
        "publication.approve",
        "publication.withdraw",
    ] {
        assert!(actions.contains(&a), "{actions:?}");
    }
}

#[tokio::test]
async fn personal_numbers_in_a_payload_are_refused() {
    let srv = start().await;
    let mut p = entry();
    if let Payload::Lists(e) = &mut p {
        e.reason = "联系人手机 13912345678 未接听".into();
    }
    let err = srv
        .store
        .draft_publication("x", "名录", &p, &Actor::System)
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "列入原因含有手机号码，公开信息不得包含个人信息，请删去"
    );
    assert!(srv.store.publications(None).await.unwrap().is_empty());
}

/// Three rights of two holders.
const RIGHTS: &str = r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"C-PUB-1","name":"甲采石场","holder_name":"甲建材有限公司","credit_code":"91350100M000100Y43","minerals":"建筑用凝灰岩","valid_from":"2024-01-01","valid_to":"2030-01-01"},"geometry":{"type":"Polygon","coordinates":[[[131.05,44.45],[131.052,44.45],[131.052,44.452],[131.05,44.452],[131.05,44.45]]]}},
{"type":"Feature","properties":{"id":"C-PUB-2","name":"乙砂场","holder_name":"乙砂石有限公司","credit_code":"91350100M000100Y43","minerals":"建筑用砂","valid_to":"2030-01-01"},"geometry":{"type":"Polygon","coordinates":[[[131.06,44.45],[131.062,44.45],[131.062,44.452],[131.06,44.452],[131.06,44.45]]]}},
{"type":"Feature","properties":{"id":"C-PUB-3","name":"甲二采石场","holder_name":"甲建材有限公司","credit_code":"91350100M000100Y43","minerals":"建筑用凝灰岩","valid_to":"2030-01-01"},"geometry":{"type":"Polygon","coordinates":[[[131.07,44.45],[131.072,44.45],[131.072,44.452],[131.07,44.452],[131.07,44.45]]]}}
]}"#;

#[tokio::test]
async fn the_register_is_published_then_searched_paged_and_mapped() {
    let srv = start().await;
    let base = &srv.base;
    let zone = srv
        .store
        .active_plan()
        .await
        .unwrap()
        .unwrap()
        .loaded
        .plan
        .region
        .zone;
    srv.store
        .import_rights(RIGHTS, "rights.geojson", zone, &Actor::System)
        .await
        .unwrap();
    let public = client();

    // The public pages need no login; nothing is public yet.
    for p in [
        "/public",
        "/public/rights",
        "/public/rights/map",
        "/public/inspections",
        "/public/lists",
        "/public/blocks",
        "/public/implementation",
    ] {
        let (s, html) = get_text(&public, &format!("{base}{p}")).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        assert!(!html.contains("甲建材有限公司"), "{p}");
    }
    let (_, html) = get_text(&public, &format!("{base}/login")).await;
    assert!(
        html.contains("href=\"/public\""),
        "the login page links the portal"
    );

    // 规划科 may not prepare the register's publication.
    let guihua = logged_in(base, "guihua").await;
    let (s, _, body) = post(&guihua, base, "/publications", &[("kind", "rights")]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("矿业权公示由审批科生成和提交"), "{body}");

    let shenpi = logged_in(base, "shenpi").await;
    let (s, loc, _) = post(&shenpi, base, "/publications", &[("kind", "rights")]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let page = loc.clone();
    let (_, html) = get_text(&shenpi, &format!("{base}{page}")).await;
    assert!(
        html.contains("乙砂石有限公司") && html.contains("草稿"),
        "{html}"
    );
    assert!(
        !html.contains("91350100M000100Y43"),
        "credit codes of the register are not public fields"
    );
    let (s, _, _) = post(&shenpi, base, &format!("{page}/submit"), &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = get_text(&public, &format!("{base}/public/rights")).await;
    assert!(
        html.contains("尚无已公开的矿业权信息"),
        "pending is not public"
    );

    let root = logged_in(base, "root").await;
    let (s, _, _) = post(&root, base, &format!("{page}/approve"), &[("confirm", "1")]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);

    let (_, html) = get_text(&public, &format!("{base}/public/rights")).await;
    assert!(
        html.contains("C-PUB-1") && html.contains("乙砂石有限公司"),
        "{html}"
    );
    assert!(
        html.contains("data-label=\"矿业权人\""),
        "cards on a phone carry their header"
    );
    let (_, html) = get_text(
        &public,
        &format!("{base}/public/rights?q=%E7%94%B2%E5%BB%BA%E6%9D%90"),
    )
    .await;
    assert!(
        html.contains("C-PUB-1") && html.contains("C-PUB-3") && !html.contains("C-PUB-2"),
        "{html}"
    );
    let (_, html) = get_text(
        &public,
        &format!("{base}/public/rights?mineral=%E5%BB%BA%E7%AD%91%E7%94%A8%E7%A0%82"),
    )
    .await;
    assert!(
        html.contains("C-PUB-2") && !html.contains("C-PUB-1"),
        "{html}"
    );
    let (_, html) = get_text(&public, &format!("{base}/public/rights?per=20&page=9")).await;
    assert!(
        html.contains("第 1 / 1 页"),
        "a page past the end shows the last"
    );

    let feed: Value = public
        .get(format!("{base}/public/feeds/rights.json?q=C-PUB-2"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(feed["total"], 1);
    assert_eq!(feed["rights"][0]["holder_name"], "乙砂石有限公司");
    assert_eq!(feed["rights"][0]["kind"], "采矿权");
    assert!(feed["rights"][0]["area_km2"].as_f64().unwrap() > 0.03);
    let mut ks = Vec::new();
    keys(&feed, &mut ks);
    for k in PERSONAL_KEYS.iter().chain(&["credit_code", "geometry"]) {
        assert!(!ks.iter().any(|x| x == k), "rights.json carries {k}");
    }
    let geo: Value = public
        .get(format!("{base}/public/feeds/rights.geojson"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(geo["features"].as_array().unwrap().len(), 3);
    assert_eq!(geo["features"][0]["geometry"]["type"], "MultiPolygon");
    let csv = public
        .get(format!("{base}/public/feeds/rights.csv"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&csv[..3], b"\xEF\xBB\xBF");
    let text = std::str::from_utf8(&csv[3..]).unwrap();
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.starts_with("许可证号,矿业权人,矿山（项目）名称,矿业权类型,矿种,面积（平方千米）,有效期起,有效期止,状态\r\n"));
    assert!(
        text.contains("C-PUB-1,甲建材有限公司,甲采石场,采矿权,建筑用凝灰岩,"),
        "{text}"
    );
    let (_, html) = get_text(&public, &format!("{base}/public/rights/map")).await;
    assert!(
        html.contains("/public/feeds/rights.geojson"),
        "the map shows the published rights"
    );

    // A newer register replaces the older on the portal; withdrawn, the older shows again
    // and the withdrawal is noted.
    srv.store
        .import_rights(
            &RIGHTS.replace("C-PUB-3", "C-PUB-4"),
            "rights2.geojson",
            zone,
            &Actor::System,
        )
        .await
        .unwrap();
    let (s, newer, _) = post(&shenpi, base, "/publications", &[("kind", "rights")]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_ne!(
        newer, page,
        "a published register is not a draft to regenerate"
    );
    post(&shenpi, base, &format!("{newer}/submit"), &[]).await;
    let (s, _, _) = post(
        &root,
        base,
        &format!("{newer}/approve"),
        &[("confirm", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let feed: Value = public
        .get(format!("{base}/public/feeds/rights.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(feed["total"], 4, "the newer register: {feed}");
    let (s, _, _) = post(
        &shenpi,
        base,
        &format!("{newer}/withdraw"),
        &[("reason", "面积数据有误"), ("confirm", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = get_text(&public, &format!("{base}/public/rights")).await;
    assert!(
        !html.contains("C-PUB-4")
            && html.contains("C-PUB-1")
            && html.contains("撤回理由：面积数据有误"),
        "{html}"
    );
}

#[tokio::test]
async fn planning_publishes_blocks_and_a_years_implementation() {
    let srv = start().await;
    let base = &srv.base;
    add_user(&srv, "guihua2", Role::Planning).await;
    let guihua = logged_in(base, "guihua").await;
    let guihua2 = logged_in(base, "guihua2").await;
    let public = client();

    let (s, loc, _) = post(&guihua, base, "/publications", &[("kind", "blocks")]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = post(&guihua, base, &format!("{loc}/submit"), &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    // Back to the draft with a reason, then submitted again and approved by the colleague.
    let (s, _, body) = post(&guihua2, base, &format!("{loc}/return"), &[("reason", "")]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("请填写退回修改的理由"), "{body}");
    let (s, _, _) = post(
        &guihua2,
        base,
        &format!("{loc}/return"),
        &[("reason", "请核对区块面积")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = get_text(&guihua, &format!("{base}{loc}")).await;
    assert!(
        html.contains("退回修改的理由：请核对区块面积") && html.contains("data-state=\"draft\""),
        "{html}"
    );
    post(&guihua, base, &format!("{loc}/submit"), &[]).await;
    let (s, _, _) = post(
        &guihua2,
        base,
        &format!("{loc}/approve"),
        &[("confirm", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let plan = srv.store.active_plan().await.unwrap().unwrap();
    let first = &plan.loaded.plan.blocks[0];
    let (_, html) = get_text(&public, &format!("{base}/public/blocks")).await;
    assert!(
        html.contains(&first.number) && html.contains(&first.name),
        "{html}"
    );
    let feed: Value = public
        .get(format!("{base}/public/feeds/blocks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        feed["blocks"]["blocks"].as_array().unwrap().len(),
        plan.loaded.plan.blocks.len()
    );

    // A year's 规划执行情况: an unreadable year is refused by name; the plan's first year goes.
    let (s, _, body) = post(
        &guihua,
        base,
        "/publications",
        &[("kind", "implementation"), ("year", "明年")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("年度“明年”应为四位数字年份"), "{body}");
    let year = plan.loaded.plan.identity.period_start.to_string();
    let (s, loc, body) = post(
        &guihua,
        base,
        "/publications",
        &[("kind", "implementation"), ("year", &year)],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    post(&guihua, base, &format!("{loc}/submit"), &[]).await;
    let (s, _, _) = post(
        &guihua2,
        base,
        &format!("{loc}/approve"),
        &[("confirm", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, html) = get_text(&public, &format!("{base}/public/implementation")).await;
    assert!(html.contains(&format!("{year}年度规划执行情况")), "{html}");
    let feed: Value = public
        .get(format!("{base}/public/feeds/implementation.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let indicators = feed["items"][0]["implementation"]["indicators"]
        .as_array()
        .unwrap();
    let evaluation = srv
        .store
        .evaluation(
            &plan.loaded.plan,
            plan.loaded.plan.identity.period_start,
            plan.loaded.plan.identity.period_start,
        )
        .await
        .unwrap();
    assert_eq!(indicators.len(), evaluation.rows.len(), "{feed}");
    assert!(!indicators.is_empty());
    assert_eq!(indicators[0]["name"], evaluation.rows[0].indicator.as_str());
    // Nothing computed is shown as 0 when it cannot be: every value is a figure or a word.
    for i in indicators {
        let v = i["value"].as_str().unwrap();
        assert!(!v.is_empty() && v != "0", "{i}");
    }
}

#[tokio::test]
async fn inspection_results_carry_their_deadline_and_go_public() {
    use minplan_domain::disclosure::{PublicInspectionResult, PublicInspectionTarget};
    let srv = start().await;
    let base = &srv.base;
    let root = logged_in(base, "root").await;
    // The bureau's setting: refused when unreadable, then 15 working days.
    let (s, _, body) = post(
        &root,
        base,
        "/publications/settings",
        &[("results_within_days", "二十")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("抽查结果公示期限“二十”应为工作日数"),
        "{body}"
    );
    let (s, _, _) = post(
        &root,
        base,
        "/publications/settings",
        &[("results_within_days", "15")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(srv.store.results_within_days().await.unwrap(), 15);

    let result = PublicInspectionResult {
        plan_name: "2025年度双随机抽查".into(),
        year: 2025,
        checks_completed_on: Some("2025-09-26".into()),
        targets: vec![PublicInspectionTarget {
            holder_name: "抽查对象建材有限公司".into(),
            licence_no: "C-INSP-1".into(),
            items: vec!["勘查开采信息公示".into(), "开采范围".into()],
            finding: "责令限期整改".into(),
            checked_on: Some("2025-09-20".into()),
            outcome: "已整改".into(),
        }],
    };
    let id = srv
        .store
        .draft_publication(
            "plan:1",
            "2025年度双随机抽查结果",
            &Payload::Inspections(result),
            &Actor::System,
        )
        .await
        .unwrap();
    let zhifa = logged_in(base, "zhifa").await;
    let (_, html) = get_text(&zhifa, &format!("{base}/publications/{id}")).await;
    // 15 working days after Friday 2025-09-26 across 国庆 (10-01..10-08 off, 09-28 and 10-11
    // worked): 2025-10-23.
    assert!(
        html.contains("公开期限：检查完成后 15 个工作日内，即 2025年10月23日 前"),
        "{html}"
    );
    let (s, _, _) = post(&zhifa, base, &format!("/publications/{id}/submit"), &[]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = post(
        &root,
        base,
        &format!("/publications/{id}/approve"),
        &[("confirm", "1")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let public = client();
    let (_, html) = get_text(&public, &format!("{base}/public/inspections")).await;
    assert!(
        html.contains("抽查对象建材有限公司") && html.contains("责令限期整改"),
        "{html}"
    );
    let csv = public
        .get(format!("{base}/public/feeds/inspections.csv"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let text = std::str::from_utf8(&csv[3..]).unwrap();
    assert_eq!(
        text,
        "抽查计划,矿业权人,许可证号,抽查事项,检查日期,检查结果,处理结果\r\n2025年度双随机抽查,抽查对象建材有限公司,C-INSP-1,勘查开采信息公示、开采范围,2025年9月20日,责令限期整改,已整改\r\n"
    );
    let feed: Value = public
        .get(format!("{base}/public/feeds/inspections.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        feed["items"][0]["result"]["targets"][0]["licence_no"],
        "C-INSP-1"
    );
    let mut ks = Vec::new();
    keys(&feed, &mut ks);
    for k in PERSONAL_KEYS {
        assert!(!ks.iter().any(|x| x == k), "inspections.json carries {k}");
    }
}
