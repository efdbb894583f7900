//! 双随机抽查 over HTTP: the libraries edited by 执法监察, a plan committed then drawn, the
//! public page re-checking the draw; an inspector with a 回避 relation never assigned to
//! that holder; a tampered uploaded package detected; a redraw without a reason refused;
//! 矿山企业 and the anonymous public kept out of the staff pages.

mod common;

use common::{Server, client, csrf_in, logged_in, start, token};
use minplan_store::Actor;
use reqwest::{Client, StatusCode};
use serde_json::Value;

/// The 统一社会信用代码 of holder `i`: `91231081MA` and `i` on 7 digits, with its check
/// character (GB 32100-2015).
fn code(i: usize) -> String {
    const CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [usize; 17] = [
        1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
    ];
    let head = format!("91231081MA{i:07}");
    let sum: usize = head
        .chars()
        .zip(W)
        .map(|(c, w)| CHARS.find(c).unwrap() * w)
        .sum();
    let check = (31 - sum % 31) % 31;
    format!("{head}{}", CHARS.as_bytes()[check] as char)
}

/// Imports `n` valid rights, each of its own holder ([`code`]), two
/// of three 采矿权.
async fn seed_rights(srv: &Server, n: usize) {
    let zone = minplan_store::ReviewEngine::load(&srv.store)
        .await
        .unwrap()
        .plan
        .loaded
        .plan
        .region
        .zone;
    let features: Vec<String> = (0..n)
        .map(|i| {
            let x = 131.05 + 0.003 * i as f64;
            format!(
                r#"{{"type":"Feature","properties":{{"id":"C-DRAW-{i:02}","kind":"{}","name":"抽查矿山{i}","holder_name":"抽查企业{i}","credit_code":"{}","minerals":"建筑用凝灰岩","valid_to":"2099-12-31"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},44.45],[{x2},44.45],[{x2},44.452],[{x},44.452],[{x},44.45]]]}}}}"#,
                if i % 3 == 0 { "探矿权" } else { "采矿权" },
                code(i),
                x2 = x + 0.002
            )
        })
        .collect();
    let fc = format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    );
    let r = srv
        .store
        .import_rights(&fc, "draw.geojson", zone, &Actor::System)
        .await
        .unwrap();
    assert_eq!(r.imported, n, "{:?}", r.problems);
}

async fn page_csrf(c: &Client, url: &str) -> String {
    let r = c.get(url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{url}");
    csrf_in(&r.text().await.unwrap())
}

/// Posts a form with the CSRF token read from `page`.
async fn submit(c: &Client, page: &str, url: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let csrf = page_csrf(c, page).await;
    let mut f: Vec<(&str, &str)> = form.to_vec();
    f.push(("csrf_token", &csrf));
    c.post(url).form(&f).send().await.unwrap()
}

/// The libraries and a plan through the web: 3 inspectors (the first avoids holder 3), one
/// item at 100 % so that every right is a target, a plan. Returns the plan's path.
async fn libraries_and_plan(srv: &Server, c: &Client) -> String {
    let b = &srv.base;
    let list = format!("{b}/inspections/inspectors");
    for (name, badge) in [
        ("张执法", "ZF-001"),
        ("李执法", "ZF-002"),
        ("王执法", "ZF-003"),
    ] {
        let r = submit(
            c,
            &list,
            &list,
            &[
                ("name", name),
                ("badge_no", badge),
                ("unit", "绥芬河市自然资源执法监察大队"),
                ("active", "1"),
                ("username", ""),
            ],
        )
        .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
    }
    // The same 执法证号 again is refused, nothing written.
    let r = submit(
        c,
        &list,
        &list,
        &[
            ("name", "重复"),
            ("badge_no", "ZF-001"),
            ("unit", "大队"),
            ("active", "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("执法证号 ZF-001 已在名录库中")
    );
    let first = srv
        .store
        .inspectors()
        .await
        .unwrap()
        .into_iter()
        .find(|i| i.inspector.badge_no == "ZF-001")
        .unwrap();
    let page = format!("{b}/inspections/inspectors/{}", first.id);
    // The first inspector must avoid holder 3.
    let avoided = code(3);
    let r = submit(
        c,
        &page,
        &format!("{page}/recusals"),
        &[
            ("kind", "holder"),
            ("value", avoided.as_str()),
            ("note", "曾在该企业任职"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = c.get(&page).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&avoided) && html.contains("与矿业权人有利害关系"));
    assert_eq!(srv.store.library_versions().await.unwrap().inspectors, 4);

    let items = format!("{b}/inspections/items");
    let r = submit(
        c,
        &items,
        &items,
        &[
            ("code", "KC-01"),
            ("name", "勘查开采信息公示情况"),
            ("legal_basis", "《矿业权人勘查开采信息管理办法》第十条"),
            ("proportion_pct", "100"),
            ("frequency", "每年一次"),
            ("method", "documents"),
            ("kind_exploration", "1"),
            ("kind_mining", "1"),
            ("active", "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // A proportion over 100 % is refused and named.
    let r = submit(
        c,
        &items,
        &items,
        &[
            ("code", "KC-02"),
            ("name", "矿山地质环境"),
            ("legal_basis", "《矿山地质环境保护规定》"),
            ("proportion_pct", "120"),
            ("frequency", "每年一次"),
            ("method", "onsite"),
            ("kind_mining", "1"),
            ("active", "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("抽查比例“120”应大于 0、不超过 100")
    );
    let item = srv.store.inspection_items().await.unwrap()[0].clone();
    assert_eq!(item.item.code, "KC-01");

    let plans = format!("{b}/inspections/plans");
    let check = format!("item_{}", item.id);
    let r = submit(
        c,
        &plans,
        &plans,
        &[
            ("year", "2026"),
            ("name", "2026年度双随机抽查计划"),
            ("register_date", "2026-03-01"),
            ("strata", "right_kind"),
            ("inspectors_per_target", "2"),
            (check.as_str(), "1"),
        ],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/inspections/plans/"), "{to}");
    format!("{b}{to}")
}

#[tokio::test]
async fn commit_draw_and_public_verify_with_a_recusal_respected() {
    let srv = start().await;
    seed_rights(&srv, 9).await;
    let c = logged_in(&srv.base, "zhifa").await;
    let plan = libraries_and_plan(&srv, &c).await;
    let plan_id: i64 = plan.rsplit('/').next().unwrap().parse().unwrap();

    // Drawing before the commitment, or committing without confirming, is refused.
    let r = submit(&c, &plan, &format!("{plan}/draw"), &[("confirm", "yes")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("请先公布承诺"));
    let r = submit(&c, &plan, &format!("{plan}/commit"), &[]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(srv.store.current_draw(plan_id).await.unwrap().is_none());

    let r = submit(&c, &plan, &format!("{plan}/commit"), &[("confirm", "yes")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let d = srv.store.current_draw(plan_id).await.unwrap().unwrap();
    assert_eq!(d.commitment.len(), 64);
    assert!(d.seed.is_none());

    // The public sees the commitment at once, not the seed nor a result.
    let anon = client();
    let public = format!("{}/public/draws/{}", srv.base, d.id);
    let html = anon
        .get(&public)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&d.commitment));
    assert!(html.contains("尚未公布抽取结果"));
    let pkg: Value = anon
        .get(format!("{public}/package.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(pkg["seed"].is_null() && pkg["result"].is_null());
    assert_eq!(pkg["inputs"]["candidates"].as_array().unwrap().len(), 9);
    // The recusal is published as a pair, never as the relation.
    assert_eq!(
        pkg["inputs"]["exclusions"],
        serde_json::json!([["ZF-001", "C-DRAW-03"]])
    );
    assert!(!pkg.to_string().contains("曾在该企业任职"));

    let r = submit(&c, &plan, &format!("{plan}/draw"), &[("confirm", "yes")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let d = srv.store.current_draw(plan_id).await.unwrap().unwrap();
    assert!(d.is_drawn());

    // Every right is a target (100 %), each with two inspectors, ZF-001 never on C-DRAW-03;
    // the tables the check records build on hold the same.
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT t.right_id, i.badge_no FROM inspection_targets t
         JOIN inspection_target_inspectors a ON a.target_id = t.id
         JOIN inspectors i ON i.id = a.inspector_id WHERE t.draw_id = ? ORDER BY t.right_id, i.badge_no",
    )
    .bind(d.id)
    .fetch_all(srv.store.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 18, "{rows:?}");
    let c03: Vec<&str> = rows
        .iter()
        .filter(|(r, _)| r == "C-DRAW-03")
        .map(|(_, b)| b.as_str())
        .collect();
    assert_eq!(c03, vec!["ZF-002", "ZF-003"]);
    let html = c.get(&plan).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("抽取结果：9 个抽查对象"), "{html}");

    // Drawn, but not public before the 抽查结果 publication is reviewed: no seed, no result.
    let html = anon
        .get(&public)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains(d.seed.as_deref().unwrap()), "{html}");
    assert!(!html.contains("C-DRAW-08"));
    // 执法监察 makes the draft from the plan page and submits it; another person approves.
    let r = submit(
        &c,
        &plan,
        &format!("{}/publications", srv.base),
        &[("kind", "inspections"), ("plan", &plan_id.to_string())],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let publication = format!("{}{}", srv.base, r.headers()["location"].to_str().unwrap());
    let html = c
        .get(&publication)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("C-DRAW-08") && html.contains("未检查"),
        "{html}"
    );
    let r = submit(&c, &publication, &format!("{publication}/submit"), &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = submit(
        &c,
        &publication,
        &format!("{publication}/approve"),
        &[("confirm", "1")],
    )
    .await;
    assert!(r.status().is_client_error(), "the submitter cannot approve");
    let root = logged_in(&srv.base, "root").await;
    let r = submit(
        &root,
        &publication,
        &format!("{publication}/approve"),
        &[("confirm", "1")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = anon
        .get(format!("{}/public/inspections", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("C-DRAW-08"), "{html}");

    // Public: the seed, the result, and 「验证」 passes.
    let html = anon
        .get(&public)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(d.seed.as_deref().unwrap()));
    assert!(html.contains("C-DRAW-08"));
    let csrf = csrf_in(&html);
    let r = anon
        .post(format!("{public}/verify"))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("验证通过"), "{html}");

    // The package verifies through the upload form; a tampered one does not.
    let text = anon
        .get(format!("{public}/package.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let upload = format!("{}/public/draws/verify", srv.base);
    let send = |body: String| {
        let anon = anon.clone();
        let upload = upload.clone();
        async move {
            let csrf = page_csrf(&anon, &upload).await;
            let form = reqwest::multipart::Form::new()
                .text("csrf_token", csrf)
                .part(
                    "package",
                    reqwest::multipart::Part::bytes(body.into_bytes()).file_name("package.json"),
                );
            let r = anon.post(&upload).multipart(form).send().await.unwrap();
            (r.status(), r.text().await.unwrap())
        }
    };
    let (s, html) = send(text.clone()).await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("package.json：验证通过"), "{html}");

    let mut tampered: Value = serde_json::from_str(&text).unwrap();
    tampered["inputs"]["candidates"]
        .as_array_mut()
        .unwrap()
        .retain(|c| c["right_id"] != "C-DRAW-05");
    let (_, html) = send(tampered.to_string()).await;
    assert!(
        html.contains("验证未通过") && html.contains("承诺不符"),
        "{html}"
    );

    let mut other_seed: Value = serde_json::from_str(&text).unwrap();
    other_seed["seed"] = Value::String("00".repeat(32));
    let (_, html) = send(other_seed.to_string()).await;
    assert!(html.contains("承诺不符"), "{html}");

    let mut moved: Value = serde_json::from_str(&text).unwrap();
    moved["result"]["targets"][3]["inspectors"] = serde_json::json!(["ZF-001", "ZF-002"]);
    let right = moved["result"]["targets"][3]["right_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, html) = send(moved.to_string()).await;
    assert!(
        html.contains(&format!("抽查对象 {right} 的检查人员不符"))
            || html.contains(&format!("应当回避抽查对象 {right}")),
        "{html}"
    );

    let (s, html) = send("不是 JSON".into()).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("不是抽取包"), "{html}");
}

#[tokio::test]
async fn a_redraw_needs_a_reason_and_supersedes_the_draw() {
    let srv = start().await;
    seed_rights(&srv, 4).await;
    let c = logged_in(&srv.base, "root").await;
    let plan = libraries_and_plan(&srv, &c).await;
    let plan_id: i64 = plan.rsplit('/').next().unwrap().parse().unwrap();
    let r = submit(&c, &plan, &format!("{plan}/commit"), &[("confirm", "yes")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let first = srv.store.current_draw(plan_id).await.unwrap().unwrap();

    // A second commitment is a redraw, and a redraw without a reason is refused.
    let r = submit(&c, &plan, &format!("{plan}/commit"), &[("confirm", "yes")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = submit(
        &c,
        &plan,
        &format!("{plan}/redraw"),
        &[("reason", "  "), ("confirm", "yes")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("重新抽取须说明理由"));
    assert_eq!(srv.store.draws_of(plan_id).await.unwrap().len(), 1);

    let r = submit(
        &c,
        &plan,
        &format!("{plan}/redraw"),
        &[("reason", "名录库漏登一名检查人员"), ("confirm", "yes")],
    )
    .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let draws = srv.store.draws_of(plan_id).await.unwrap();
    assert_eq!(draws.len(), 2);
    assert_eq!(draws[0].superseded_by, Some(draws[1].id));
    assert_eq!(draws[0].id, first.id);
    // The replaced draw's seed is revealed; the new one's is sealed.
    assert!(draws[0].seed.is_some());
    assert!(draws[1].seed.is_none());
    assert_eq!(
        draws[1].redraw_reason.as_deref(),
        Some("名录库漏登一名检查人员")
    );
    let html = client()
        .get(format!("{}/public/draws/{}", srv.base, first.id))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("已被重新抽取取代"), "{html}");
    // The public list shows both, the replaced one as such.
    let html = client()
        .get(format!("{}/public/draws", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("已被重新抽取取代") && html.contains("已公布承诺，待抽取"),
        "{html}"
    );
    assert!(html.contains(&format!("/public/draws/{}", draws[1].id)));
    let audit: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('inspection_draw.commit', 'inspection_draw.redraw')",
    )
    .fetch_one(srv.store.pool())
    .await
    .unwrap();
    assert_eq!(audit, 3);
}

#[tokio::test]
async fn a_company_and_the_public_cannot_reach_the_staff_pages() {
    let srv = start().await;
    let company = logged_in(&srv.base, "qiye").await;
    let planning = logged_in(&srv.base, "guihua").await;
    let anon = client();
    for path in [
        "/inspections/plans",
        "/inspections/inspectors",
        "/inspections/items",
        "/inspections/candidates",
    ] {
        let url = format!("{}{path}", srv.base);
        assert_eq!(
            company.get(&url).send().await.unwrap().status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            planning.get(&url).send().await.unwrap().status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
        let r = anon.get(&url).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(
            r.headers()["location"]
                .to_str()
                .unwrap()
                .starts_with("/login")
        );
    }
    // A company cannot add itself an inspector either; nothing written.
    let csrf = token(&company, &srv.base).await;
    let r = company
        .post(format!("{}/inspections/inspectors", srv.base))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "某"),
            ("badge_no", "X"),
            ("unit", "Y"),
            ("active", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(srv.store.inspectors().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_object_library_is_the_register_on_a_date_with_credit_standing() {
    let srv = start().await;
    seed_rights(&srv, 60).await;
    srv.store
        .list_holder(
            &minplan_domain::supervision::listing::ListingRequest {
                list: minplan_store::HolderList::Abnormal,
                holder_name: "抽查企业1".into(),
                credit_code: code(1),
                reason: minplan_domain::supervision::listing::ListingReason::NotFiled,
                reason_text: String::new(),
                decision_number: "绥自然资〔2026〕1号".into(),
                decision_date: minplan_domain::date::Date::parse("2026-02-01").unwrap(),
            },
            &Actor::System,
        )
        .await
        .unwrap();
    let c = logged_in(&srv.base, "zhifa").await;
    let get = |q: &str| {
        let c = c.clone();
        let url = format!("{}/inspections/candidates?{q}", srv.base);
        async move {
            let r = c.get(&url).send().await.unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{url}");
            r.text().await.unwrap()
        }
    };
    let html = get("date=2026-03-01").await;
    assert!(html.contains("共 60 个"), "{html}");
    assert!(html.contains("第 1 / 2 页"));
    assert!(html.contains("C-DRAW-00") && !html.contains("C-DRAW-55"));
    assert!(html.contains("列入异常名录"));
    let html = get("date=2026-03-01&page=2").await;
    assert!(html.contains("C-DRAW-55") && !html.contains("C-DRAW-00<"));
    // 20 of the 60 are 探矿权 (every third).
    let html = get("date=2026-03-01&kind=探矿权").await;
    assert!(html.contains("共 20 个探矿权"), "{html}");
    assert!(html.contains("第 1 / 1 页"));
    // Before the listing the holder is 正常; an unreadable date is named.
    let before = srv
        .store
        .candidates_on(minplan_domain::date::Date::parse("2026-01-15").unwrap())
        .await
        .unwrap();
    assert_eq!(before.len(), 60);
    assert_eq!(
        before[1].credit_standing,
        minplan_domain::supervision::library::CreditStanding::Normal
    );
    let html = get("date=2026-13-01").await;
    assert!(html.contains("日期“2026-13-01”应为 年-月-日"), "{html}");
}

#[tokio::test]
async fn a_target_without_two_eligible_inspectors_refuses_the_draw_and_keeps_the_seed_sealed() {
    let srv = start().await;
    seed_rights(&srv, 3).await;
    let c = logged_in(&srv.base, "zhifa").await;
    let plan = libraries_and_plan(&srv, &c).await;
    let plan_id: i64 = plan.rsplit('/').next().unwrap().parse().unwrap();
    // ZF-002 leaves the post and ZF-003 must avoid holder 0: for C-DRAW-00 only ZF-001 is
    // eligible.
    let all = srv.store.inspectors().await.unwrap();
    let two = all
        .iter()
        .find(|i| i.inspector.badge_no == "ZF-002")
        .unwrap();
    srv.store
        .update_inspector(
            two.id,
            &minplan_store::inspections::InspectorInput {
                name: two.inspector.name.clone(),
                badge_no: "ZF-002".into(),
                unit: two.inspector.unit.clone(),
                active: false,
                username: String::new(),
            },
            &Actor::System,
        )
        .await
        .unwrap();
    let three = all
        .iter()
        .find(|i| i.inspector.badge_no == "ZF-003")
        .unwrap();
    srv.store
        .add_recusal(
            three.id,
            &minplan_domain::supervision::library::Recusal::Holder(code(0)),
            "",
            &Actor::System,
        )
        .await
        .unwrap();
    let r = submit(&c, &plan, &format!("{plan}/commit"), &[("confirm", "yes")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = submit(&c, &plan, &format!("{plan}/draw"), &[("confirm", "yes")]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("抽查对象 C-DRAW-00（抽查企业0）只有 1 名可分派的检查人员"),
        "{html}"
    );
    let d = srv.store.current_draw(plan_id).await.unwrap().unwrap();
    assert!(d.seed.is_none() && d.result.is_none());
    let targets: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM inspection_targets")
        .fetch_one(srv.store.pool())
        .await
        .unwrap();
    assert_eq!(targets, 0);
}
