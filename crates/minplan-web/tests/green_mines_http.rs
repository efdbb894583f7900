//! 绿色矿山 over HTTP on the five-year scenario, on 1 May 2026 (别勒洼地热 and 金家沟 hold a
//! 采矿权 in force, 庆发 is closed; every application committed to the green-mine standard):
//! 金家沟's company self-assesses its own mine against the shipped 示例 checklist (the flag on the
//! page), cannot start one for another's mine nor touch its assessment from another company's
//! account (404); a refused submission writes nothing; 生态修复 evaluates it (88.5 of 100, 达标),
//! enters it in the 县级 名录, and `/green-mines` shows 1 of 2 producing mines, 50.0 %, and the
//! commitment 已入名录; a checklist upload with errors names its lines, a good one is version 2.

mod common;
#[path = "../../minplan/tests/scenario/mod.rs"]
mod scenario;

use common::*;
use minplan_domain::restoration::green::{EXAMPLE_CHECKLIST, EXAMPLE_FLAG};
use minplan_store::{Actor, NewUser, Role};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

const GIVEN: [(&str, &str); 12] = [
    ("5-1", "10"),
    ("5-2", "8"),
    ("6-1", "15"),
    ("6-2", "15"),
    ("7-1", "6"),
    ("7-2", "5"),
    ("8-1", "10"),
    ("8-2", "3"),
    ("9-1", "2"),
    ("9-2", "5"),
    ("10-1", "5"),
    ("10-2", "4.5"),
];

fn self_form(csrf: &str, action: &str, skip: Option<&str>) -> Form {
    let mut f = Form::new()
        .text("csrf_token", csrf.to_string())
        .text("action", action.to_string());
    for (code, _) in GIVEN {
        if Some(code) == skip {
            continue;
        }
        f = f
            .text(format!("answer_{code}"), "met")
            .text(format!("note_{code}"), format!("{code} 已落实"))
            .part(
                format!("evidence_{code}"),
                Part::bytes(format!("%PDF-1.7 {code}").into_bytes())
                    .file_name(format!("{code}.pdf")),
            );
    }
    f
}

async fn get(c: &reqwest::Client, url: &str) -> (StatusCode, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn self_assessment_evaluation_and_the_list() {
    let srv = start_with(minplan_web::WebConfig {
        today: Some(minplan_domain::date::Date::new(2026, 5, 1).unwrap()),
        ..minplan_web::WebConfig::default()
    })
    .await;
    let base = &srv.base;
    let built = scenario::build(&srv.store).await;
    let [geo, _qingfa, jinjiagou] = built.mines;
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
    let xiufu = logged_in(base, "xiufu").await;
    let jjg = logged_in(base, "jjg").await;
    let qiye = logged_in(base, "qiye").await;

    // Before: no 名录 kept, so no share (not 0 %).
    let (s, page) = get(&xiufu, &format!("{base}/green-mines")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(r#"<td id="producing">2</td>"#), "{page}");
    assert!(page.contains(r#"<td id="green-share">无数据：尚未录入绿色矿山名录</td>"#));
    // The company does not see the bureau's overview.
    assert_eq!(
        get(&jjg, &format!("{base}/green-mines")).await.0,
        StatusCode::FORBIDDEN
    );

    // The company starts a self-assessment of its own mine, not of another's.
    let csrf = token(&jjg, base).await;
    let r = jjg
        .post(format!("{base}/green-mines/assessments"))
        .form(&[("mine", geo.to_string().as_str()), ("csrf_token", &csrf)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = jjg
        .post(format!("{base}/green-mines/assessments"))
        .form(&[
            ("mine", jinjiagou.to_string().as_str()),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let loc = r.headers()["location"].to_str().unwrap().to_string();
    assert!(loc.starts_with("/green-mines/assessments/"), "{loc}");
    let url = format!("{base}{loc}");
    let (s, page) = get(&jjg, &url).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains(EXAMPLE_FLAG), "the 示例 flag shows");
    assert!(page.contains("金家沟"));
    assert!(page.contains("状态：自评中"));

    // Another company: 404 for the page, the form and the files.
    assert_eq!(get(&qiye, &url).await.0, StatusCode::NOT_FOUND);
    let qcsrf = token(&qiye, base).await;
    let r = qiye
        .post(format!("{url}/self"))
        .multipart(self_form(&qcsrf, "save", None))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // A submission with 7-2 unanswered is refused and writes nothing.
    let before = audit_rows(&srv.store).await;
    let r = jjg
        .post(format!("{url}/self"))
        .multipart(self_form(&csrf, "submit", Some("7-2")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("条目 7-2“（示例）生产用水循环利用”尚未自评"),
        "{page}"
    );
    assert_eq!(audit_rows(&srv.store).await, before);
    // Complete: submitted.
    let r = jjg
        .post(format!("{url}/self"))
        .multipart(self_form(&csrf, "submit", None))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit_rows(&srv.store).await, before + 1);
    let (_, page) = get(&jjg, &url).await;
    assert!(page.contains("状态：评估中"));
    // Its evidence, as uploaded.
    let file_href = page
        .split("href=\"")
        .find(|p| p.contains("/files/"))
        .and_then(|p| p.split('"').next())
        .unwrap()
        .to_string();
    let r = jjg.get(format!("{base}{file_href}")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"%PDF-1.7 5-1");
    assert_eq!(
        qiye.get(format!("{base}{file_href}"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    // The company cannot evaluate; 生态修复 does: 88.5 of 100, 达标.
    let mut scores: Vec<(String, String)> = GIVEN
        .iter()
        .map(|(c, s)| (format!("score_{c}"), s.to_string()))
        .collect();
    scores.push(("date".into(), "2026-05-01".into()));
    let mut with = scores.clone();
    with.push(("csrf_token".into(), csrf.clone()));
    let r = jjg
        .post(format!("{url}/evaluation"))
        .form(&with)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let xcsrf = token(&xiufu, base).await;
    let mut with = scores.clone();
    with.push(("csrf_token".into(), xcsrf.clone()));
    with[11].1 = "6".into(); // 10-2 above its 5 points
    let r = xiufu
        .post(format!("{url}/evaluation"))
        .form(&with)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("条目 10-2 的得分应在 0 到 5 分之间")
    );
    with[11].1 = "4.5".into();
    let r = xiufu
        .post(format!("{url}/evaluation"))
        .form(&with)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&jjg, &url).await;
    assert!(page.contains("评估结果：总分 88.5 分"), "{page}");
    assert!(page.contains("状态：已评估：达标"));
    assert!(page.contains("总分 88.5 分，不低于达标线 80 分"));

    // The 名录: a blank 文号 refused; then 金家沟 at 县级.
    let r = xiufu
        .post(format!("{base}/green-mines/listings"))
        .form(&[
            ("mine", jinjiagou.to_string().as_str()),
            ("level", "县级"),
            ("date_in", "2026-05-01"),
            ("document_number", ""),
            ("csrf_token", &xcsrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("请填写入库文号"));
    let r = xiufu
        .post(format!("{base}/green-mines/listings"))
        .form(&[
            ("mine", jinjiagou.to_string().as_str()),
            ("level", "县级"),
            ("date_in", "2026-05-01"),
            ("document_number", "绥自然资发〔2026〕12号"),
            ("csrf_token", &xcsrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&xiufu, &format!("{base}/green-mines")).await;
    assert!(page.contains(r#"<td id="green-count">1</td>"#), "{page}");
    assert!(page.contains(r#"<td id="green-share">50.0%</td>"#));
    assert!(page.contains("绥自然资发〔2026〕12号"));
    assert!(page.contains("<th>县级名录（在列）</th><td>1</td>"));
    let api: serde_json::Value = xiufu
        .get(format!("{base}/api/green-mines"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(api["on"], "2026-05-01");
    assert_eq!(api["green_mines"], 1);
    assert_eq!(api["share_pct"], 50.0);
    assert_eq!(api["missing"].as_array().unwrap().len(), 0);
    assert_eq!(api["by_level"][0]["level"], "县级");
    assert_eq!(api["by_level"][0]["entries"], 1);
    assert_eq!(
        api["listings"][0]["document_number"],
        "绥自然资发〔2026〕12号"
    );
    // Commitments: 金家沟 已入名录; 别勒洼 and 庆发 未自评.
    assert_eq!(
        page.matches(r#"<td class="result">已入名录</td>"#).count(),
        1
    );
    assert_eq!(page.matches(r#"<td class="result">未自评</td>"#).count(), 2);

    // The checklist: a bad upload names its lines, nothing written; a good one is version 2.
    let bad = EXAMPLE_CHECKLIST.replace("min_total = 80", "min_total = 180");
    let r = xiufu
        .post(format!("{base}/green-mines/checklist"))
        .multipart(
            Form::new()
                .text("csrf_token", xcsrf.clone())
                .part("file", Part::bytes(bad.into_bytes()).file_name("细则.toml")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("第 21 行 pass_rule.min_total：达标总分 180 高于各条目满分之和 100")
    );
    let good = EXAMPLE_CHECKLIST
        .replace("example = true", "example = false")
        .replace("min_total = 80", "min_total = 85");
    let r = xiufu
        .post(format!("{base}/green-mines/checklist"))
        .multipart(Form::new().text("csrf_token", xcsrf.clone()).part(
            "file",
            Part::bytes(good.into_bytes()).file_name("细则.toml"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = get(&jjg, &format!("{base}/green-mines/checklist")).await;
    assert!(page.contains("当前使用：第 2 版（细则.toml）"), "{page}");
    assert!(page.contains("总分不低于 85 分（满分 100 分）且必备条目均得满分为达标"));
    assert!(!page.contains(r#"id="example-flag""#));
    // The evaluated assessment keeps version 1 and its flag.
    let (_, page) = get(&jjg, &url).await;
    assert!(page.contains("第 1 版（随附示例清单）"));
    assert!(page.contains(EXAMPLE_FLAG));
}
