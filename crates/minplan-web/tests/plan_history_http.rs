//! The plan-history page: a unit's versions with kind, basis and dates, and each
//! amendment's changes against the version before it; the versions page names the unit.

mod common;

use common::{logged_in, start};
use minplan_store::{Actor, default_bundle};

#[tokio::test]
async fn history_lists_versions_and_an_amendments_changes() {
    let srv = start().await;
    let base = &srv.base;
    let mut files = default_bundle();
    let t = String::from_utf8(files.get("plan.toml").unwrap().to_vec())
        .unwrap()
        .replacen(
            "\n[region]\n",
            r#"
[version]
kind = "修改"
basis = { title = "《关于同意绥芬河市矿产资源总体规划（2021～2025年）调整的批复》", number = "牡政函〔2024〕31号", issuer = "牡丹江市人民政府" }
approved = "2024-06-15"
effective = "2024-07-01"
changes = [{ part = "规划区块", action = "调整", number = "231081-K03" }]

[region]
"#,
            1,
        )
        .replacen(
            "第三个勘查规划区块（规划文本未列名）",
            "第三个勘查规划区块（调整后更名）",
            1,
        );
    files.insert("plan.toml", t);
    let v2 = srv
        .store
        .import_plan(&files, "调整", false, &Actor::System)
        .await
        .unwrap()
        .version;
    let c = logged_in(base, "zhifa").await;
    let html = c
        .get(format!("{base}/plans"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("县级 绥芬河市（231081）")
            && html.contains("牡政函〔2024〕31号")
            && html.contains(&format!("href=\"/plans/{}/history\"", v2.id)),
        "{html}"
    );
    let html = c
        .get(format!("{base}/plans/{}/history", v2.id))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        "规划沿革：县级 绥芬河市（231081）",
        "第 1 版（编号 1）",
        "未载明",
        "2021-01-01（未载明，按规划期起始）",
        "修改",
        "牡政函〔2024〕31号",
        "牡丹江市人民政府",
        "2024-06-15",
        "2024-07-01",
        "第 2 版与第 1 版相比",
        "231081-K03",
        "名称 第三个勘查规划区块（规划文本未列名） → 第三个勘查规划区块（调整后更名）",
    ] {
        assert!(html.contains(needle), "{needle} not in {html}");
    }
    let r = c
        .get(format!("{base}/plans/999/history"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::NOT_FOUND);
}
