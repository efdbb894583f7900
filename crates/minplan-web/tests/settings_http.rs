//! 机关设置 over HTTP: only the 系统管理员 sees and changes it, every field's problem is shown
//! at once, a change is audited; the intake form pre-fills the next 受理号, the API gives one
//! when none is sent and refuses another applicant's; the 审查意见书 carries the bureau, a 文号
//! of the sequence that it keeps when downloaded again, and no product name.

mod common;

use common::{audit_rows, csrf_in, logged_in, start, token};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::io::Read;
use std::path::Path;

fn example(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples")
            .join(name),
    )
    .unwrap()
}

async fn docx_text(c: &reqwest::Client, base: &str, id: i64) -> String {
    let r = c
        .get(format!("{base}/reviews/{id}/docx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

#[tokio::test]
async fn the_bureau_sets_its_name_and_numbering_and_the_documents_follow() {
    let srv = start().await;
    let year = minplan_store::today().year();
    let admin = logged_in(&srv.base, "root").await;

    // Nothing set yet: the defaults, said to be defaults.
    let page = admin
        .get(format!("{}/admin/settings", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("未设置，使用默认值：绥芬河市自然资源局"),
        "{html}"
    );
    assert!(html.contains("绥自然资审〔{年}〕{号}号"));
    assert!(html.contains(&format!("SQ-{year}-001")), "next 受理号");

    // Other roles: 403.
    for who in ["shenpi", "guihua", "qiye"] {
        let c = logged_in(&srv.base, who).await;
        let r = c
            .get(format!("{}/admin/settings", srv.base))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{who}");
        let t = token(&c, &srv.base).await;
        let r = c
            .post(format!("{}/admin/settings", srv.base))
            .form(&[("csrf_token", t.as_str()), ("bureau_name", "某局")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{who} POST");
    }
    assert!(
        srv.store
            .bureau_settings()
            .await
            .unwrap()
            .bureau_name
            .is_none()
    );

    // Every field's problem at once; nothing written.
    let rows = audit_rows(&srv.store).await;
    let csrf = csrf_in(&html);
    let r = admin
        .post(format!("{}/admin/settings", srv.base))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("bureau_name", "绥芬河市自然资源局"),
            ("opinion_number_pattern", "绥自然资审〔{年}〕"),
            ("intake_number_pattern", "SFH-{序号}"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("审查意见书文号格式“绥自然资审〔{年}〕”须含一次 {号}"),
        "{html}"
    );
    assert!(
        html.contains("受理号格式“SFH-{序号}”不认识“{序号}”"),
        "{html}"
    );
    assert_eq!(audit_rows(&srv.store).await, rows);
    // {年}{号} would write 2026 / 1 as 20261: refused at the field, nothing written.
    let r = admin
        .post(format!("{}/admin/settings", srv.base))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("intake_number_pattern", "{年}{号}"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("受理号格式“{年}{号}”的 {年} 与 {号} 之间须有非数字的分隔文字"),
        "{html}"
    );
    assert_eq!(audit_rows(&srv.store).await, rows);

    // A good change: saved, audited.
    let r = admin
        .post(format!("{}/admin/settings", srv.base))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("bureau_name", "绥芬河市自然资源局"),
            ("opinion_number_pattern", ""),
            ("intake_number_pattern", "SFH-{年}-{号:03}"),
            ("signers", "承办人、审核人、签发人"),
            ("seal_caption", "（盖章）"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(audit_rows(&srv.store).await, rows + 1);
    let html = admin
        .get(format!("{}/admin/settings?saved=1", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("已保存机关设置"));
    assert!(html.contains("现用：SFH-{年}-{号:03}"));
    assert!(html.contains("未设置，使用默认值：绥自然资审〔{年}〕{号}号"));

    // The intake form pre-fills the next 受理号.
    let clerk = logged_in(&srv.base, "shenpi").await;
    let html = clerk
        .get(format!("{}/intake", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let next = format!("SFH-{year}-001");
    assert!(
        html.contains(&format!(r#"name="number" value="{next}""#)),
        "pre-filled 受理号"
    );

    // The API gives the next 受理号 to an application file without one.
    let toml: String = example("01-qingfa-quarry.toml")
        .lines()
        .filter(|l| !l.starts_with("number"))
        .collect::<Vec<_>>()
        .join("\n");
    let corners = example("01-qingfa-quarry.txt");
    let t = token(&clerk, &srv.base).await;
    let r = clerk
        .post(format!("{}/api/reviews", srv.base))
        .header("x-csrf-token", &t)
        .json(&json!({ "toml": toml, "corner_file": { "name": "01-qingfa-quarry.txt", "content": corners } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["review"]["application"]["number"], next.as_str());
    let id = v["review_id"].as_i64().unwrap();
    // The answer carries the review as stored (its JSON written once, not serialised again).
    let stored = common::get_json(&clerk, &format!("{}/api/reviews/{id}", srv.base)).await;
    assert_eq!(stored["review"], v["review"]);
    assert_eq!(v["url"], format!("/reviews/{id}").as_str());
    assert_eq!(v["conclusion"], stored["review"]["conclusion"]);

    // Another applicant under that number: refused at the field, nothing saved.
    let other = example("03-bielewa-geothermal.toml").replace("SFH-2026-003", &next);
    let r = clerk
        .post(format!("{}/api/reviews", srv.base))
        .header("x-csrf-token", &t)
        .json(&json!({ "toml": other, "corner_file": { "name": "03-bielewa-geothermal.txt", "content": example("03-bielewa-geothermal.txt") } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["fields"][0]["field"], "number", "{v}");
    assert_eq!(
        srv.store.next_intake_number(year).await.unwrap(),
        format!("SFH-{year}-002")
    );

    // The same on the 申请受理 form: the form comes back with the error at 申请编号.
    let html = clerk
        .get(format!("{}/intake", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_in(&html);
    let form: Vec<(&str, String)> = [
        ("csrf_token", csrf.as_str()),
        ("action", "review"),
        ("number", next.as_str()),
        ("kind", "新立"),
        ("right_kind", "采矿权"),
        ("project_name", "绥芬河市另一采石场"),
        ("minerals", "建筑用凝灰岩"),
        ("mining_method", "露天"),
        ("capacity_value", "6"),
        ("capacity_unit", "万立方米/年"),
        ("reserves_value", "48"),
        ("reserves_unit", "万立方米"),
        ("service_years", "8"),
        ("received", "2026-11-20"),
        ("holder_name", "绥芬河市别勒洼温泉开发有限公司"),
        ("credit_code", "91231081MA1BBL003Q"),
        ("grant_method", "挂牌"),
        ("net_mineral", "on"),
        ("development_plan", "on"),
        ("restoration_plan", "on"),
        ("green_mine_commitment", "on"),
        ("wetland", "否"),
        ("arable_land", "否"),
        ("corners_text", corners.as_str()),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect();
    let r = clerk
        .post(format!("{}/intake", srv.base))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    // The number field's label, input and error, up to the next field.
    let at = html.find(r#"name="number""#).unwrap();
    let end = at + html[at..].find("</label>").unwrap();
    let around = &html[at..end];
    assert!(
        around.contains("已用于绥芬河市庆发建材有限公司的申请"),
        "{around}"
    );
    assert_eq!(srv.store.list_reviews(None).await.unwrap().len(), 1);

    // The opinion: bureau, 文号 of the sequence (kept when downloaded again), no product name.
    let first = docx_text(&clerk, &srv.base, id).await;
    let again = docx_text(&clerk, &srv.base, id).await;
    let number = format!("绥自然资审〔{year}〕1号");
    assert!(first.contains(&number), "文号");
    assert!(again.contains(&number) && !again.contains(&format!("绥自然资审〔{year}〕2号")));
    assert!(first.contains("绥芬河市自然资源局") && first.contains("（盖章）"));
    assert!(!first.to_lowercase().contains("minplan"));

    // 机关设置 changed after the opinion was issued: the opinion keeps its 文号 and the
    // issuer frozen with it (bureau, signers, seal caption); a new 文号 takes the new ones.
    let html = admin
        .get(format!("{}/admin/settings", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let r = admin
        .post(format!("{}/admin/settings", srv.base))
        .form(&[
            ("csrf_token", csrf_in(&html).as_str()),
            ("bureau_name", "某某县自然资源和规划局"),
            ("opinion_number_pattern", ""),
            ("intake_number_pattern", "SFH-{年}-{号:03}"),
            ("signers", "经办人、负责人"),
            ("seal_caption", "（公章）"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let later = docx_text(&clerk, &srv.base, id).await;
    assert!(later.contains(&number), "文号 kept");
    assert!(
        later.contains("绥芬河市自然资源局") && later.contains("（盖章）"),
        "issuer kept"
    );
    assert!(
        later.contains("承办人") && later.contains("签发人"),
        "signers kept"
    );
    assert!(
        !later.contains("某某县") && !later.contains("（公章）") && !later.contains("经办人"),
        "no later settings on an issued opinion"
    );
}
