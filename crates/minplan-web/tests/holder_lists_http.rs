//! 异常名录 and 严重违法失信名单 over HTTP: 列入 by 执法监察 → the company's 移出申请 with a file →
//! 室内核验 同意 → 移出; a removal before the 核验 refused with nothing written; a company
//! reading or applying for another's entry answers 404; R13 of a review after the removal
//! passes while before it asks for a manual check.

mod common;

use common::*;
use minplan_domain::review::RuleOutcome;
use minplan_store::{Actor, ReviewEngine};
use reqwest::StatusCode;

const OWN: &str = "91350100M000100Y43";
const OTHER: &str = "91231081MA1BQF0013";

const CORNERS: &str = "拐点,X(起标高),Y(止标高)\n1,4911391.68,44428925.83, , ,\n2,4911350.27,44429080.39, , ,\n3,4911471.02,44429112.75, , ,\n4,4911512.43,44428958.19, , ,\n*,560,480,庆发采石场,1,\n";

/// The R13 outcome of a saved review of an application by the company (`OWN`).
async fn r13(store: &minplan_store::Store, number: &str) -> RuleOutcome {
    let engine = ReviewEngine::load(store).await.unwrap();
    let toml = format!(
        "format = \"minplan-application/1\"\nnumber = \"{number}\"\nkind = \"新立\"\nright_kind = \"采矿权\"\nproject_name = \"名录测试采石场\"\nminerals = [\"建筑用凝灰岩\"]\nmining_method = \"露天\"\ncapacity = {{ value = 6, unit = \"万立方米/年\" }}\n[holder]\nname = \"名录测试公司\"\ncredit_code = \"{OWN}\"\n[grant]\nmethod = \"挂牌\"\n[documents]\ndevelopment_plan = true\nrestoration_plan = true\ngreen_mine_commitment = true\n[coordinates]\ntext = \"\"\"\n{CORNERS}\"\"\"\n"
    );
    let app = engine.parse(&toml, None).unwrap();
    let (_, review) = engine
        .review_and_save(store, &app, &toml, None, &Actor::System)
        .await
        .unwrap();
    review.rule("R13").unwrap().outcome
}

async fn list(c: &reqwest::Client, base: &str, code: &str, name: &str) -> i64 {
    let csrf = token(c, base).await;
    let r = c
        .post(format!("{base}/holder-lists"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("list", "abnormal"),
            ("holder_name", name),
            ("credit_code", code),
            ("reason", "not_filed"),
            ("reason_text", "2025年度"),
            ("decision_number", "绥自然资异〔2026〕1号"),
            ("decision_date", "2026-01-05"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    loc.rsplit('/').next().unwrap().parse().unwrap()
}

async fn post_form(
    c: &reqwest::Client,
    base: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let csrf = token(c, base).await;
    let mut f = fields.to_vec();
    f.push(("csrf_token", &csrf));
    let r = c
        .post(format!("{base}{path}"))
        .form(&f)
        .send()
        .await
        .unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn listing_application_verification_and_removal() {
    let srv = start().await;
    let base = &srv.base;
    let zhifa = logged_in(base, "zhifa").await;
    let qiye = logged_in(base, "qiye").await;
    // The tab: 执法监察 and 矿山企业 have it, 规划科 not.
    for (c, has) in [
        (&zhifa, true),
        (&qiye, true),
        (&logged_in(base, "guihua").await, false),
    ] {
        let page = c
            .get(format!("{base}/workbench"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(page.contains(">名录管理</a>"), has);
    }

    // 列入, with a refused form first (the reason of the other list, no decision number).
    let (s, body) = post_form(
        &zhifa,
        base,
        "/holder-lists",
        &[
            ("list", "abnormal"),
            ("holder_name", "名录测试公司"),
            ("credit_code", OWN),
            ("reason", "abnormal_three_years"),
            ("decision_number", ""),
            ("decision_date", "2026-01-05"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("不是列入矿业权人异常名录的事由"), "{body}");
    assert!(body.contains("请填写列入决定文号"), "{body}");
    let id = list(&zhifa, base, OWN, "名录测试公司").await;
    let other = list(&zhifa, base, OTHER, "绥芬河市庆发建材有限公司").await;
    assert_eq!(
        r13(&srv.store, "SFH-LIST-1").await,
        RuleOutcome::ManualCheck
    );

    // The company sees its own entry only; another's answers 404, for reading and applying.
    let page = qiye
        .get(format!("{base}/holder-lists"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("名录测试公司"));
    assert!(!page.contains("庆发建材"));
    let r = qiye
        .get(format!("{base}/holder-lists/{other}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let (s, _) = post_form(
        &qiye,
        base,
        &format!("/holder-lists/{other}/apply"),
        &[("reason", "已补报")],
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // A removal before any 核验: refused, nothing written.
    let audit = audit_rows(&srv.store).await;
    let (s, body) = post_form(
        &zhifa,
        base,
        &format!("/holder-lists/{id}/remove"),
        &[
            ("decision_number", "绥自然资移〔2026〕1号"),
            ("decision_date", "2026-02-01"),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("没有同意移出的核验结论"), "{body}");
    assert_eq!(audit_rows(&srv.store).await, audit);
    assert_eq!(srv.store.list_entry(id).await.unwrap().steps.len(), 1);

    // The company's 移出申请 with its evidence file.
    let csrf = token(&qiye, base).await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", csrf)
        .text("reason", "已于2026年补报2025年度勘查开采信息")
        .part(
            "attachments",
            reqwest::multipart::Part::bytes(b"%PDF-1.4 receipt".to_vec()).file_name("回执.pdf"),
        );
    let r = qiye
        .post(format!("{base}/holder-lists/{id}/apply"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let queue = zhifa
        .get(format!("{base}/holder-lists/queue"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(queue.contains("名录测试公司"), "{queue}");
    assert!(queue.contains("移出申请待核验"), "{queue}");
    // The file, as the company and 执法监察 read it.
    let stored = srv.store.list_entry(id).await.unwrap();
    let file_id = stored.steps[1].files[0].0;
    let f = zhifa
        .get(format!("{base}/holder-lists/{id}/files/{file_id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(f.status(), StatusCode::OK);
    assert_eq!(f.bytes().await.unwrap().as_ref(), b"%PDF-1.4 receipt");

    // 室内核验 同意, then 移出 (today, as the forms propose).
    let today = minplan_store::today().to_string();
    let (s, body) = post_form(
        &zhifa,
        base,
        &format!("/holder-lists/{id}/verify"),
        &[
            ("method", "desk"),
            ("result", "approve"),
            ("reason", "已核验补报信息"),
            ("verified_on", &today),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (s, body) = post_form(
        &zhifa,
        base,
        &format!("/holder-lists/{id}/remove"),
        &[
            ("decision_number", "绥自然资移〔2026〕1号"),
            ("decision_date", &today),
        ],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(audit_rows(&srv.store).await, audit + 3);

    let page = qiye
        .get(format!("{base}/holder-lists/{id}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("已移出"), "{page}");
    for step in [
        "列入",
        "移出申请",
        "室内核验，同意移出：已核验补报信息",
        "移出决定文号：绥自然资移〔2026〕1号",
        "回执.pdf",
    ] {
        assert!(page.contains(step), "{step}\n{page}");
    }
    // R13 of a review after the removal passes.
    assert_eq!(r13(&srv.store, "SFH-LIST-2").await, RuleOutcome::Pass);
    // The other company's entry stays in force.
    let history = zhifa
        .get(format!("{base}/holder-lists?state=history"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(history.contains("名录测试公司") && !history.contains("庆发建材"));

    // The bureau's 核验 limit: refused outside 1–60, then set.
    let (s, body) = post_form(
        &zhifa,
        base,
        "/holder-lists/limit",
        &[("verification_limit_days", "61")],
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("核验时限应为 1 至 60 个工作日"), "{body}");
    let (s, _) = post_form(
        &zhifa,
        base,
        "/holder-lists/limit",
        &[("verification_limit_days", "15")],
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(srv.store.list_verification_limit().await.unwrap(), 15);
    let (s, _) = post_form(
        &qiye,
        base,
        "/holder-lists/limit",
        &[("verification_limit_days", "5")],
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}
