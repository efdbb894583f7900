//! The plan-history page: a unit's versions with kind, basis and dates, and each
//! amendment's changes against the version before it; the versions page names the unit.

mod common;

use common::{logged_in, start};
use minplan_domain::bundle::BundleFiles;
use minplan_store::{Actor, Store, default_bundle};

/// The Suifenhe bundle amended: block 231081-K03 renamed, in force from 2024-07-01.
fn amendment() -> BundleFiles {
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
    files
}

/// Reviews examples/01 received on `received` and stores it, as `minplan review` does.
async fn review_received(store: &Store, received: &str) -> i64 {
    let ex = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let toml = std::fs::read_to_string(ex.join("01-qingfa-quarry.toml"))
        .unwrap()
        .replace(
            "received = \"2026-11-20\"",
            &format!("received = \"{received}\""),
        )
        .replace("SFH-2026-001", &format!("SFH-{received}"));
    let corners = std::fs::read(ex.join("01-qingfa-quarry.txt")).unwrap();
    let engine = minplan_store::ReviewEngine::load(store).await.unwrap();
    let app = engine.parse(&toml, Some(&corners)).unwrap();
    engine
        .review_and_save(
            store,
            &app,
            &toml,
            Some(("c.txt", &corners)),
            &Actor::System,
        )
        .await
        .unwrap()
        .0
}

#[tokio::test]
async fn the_review_page_and_opinion_name_the_version_in_force() {
    let srv = start().await;
    let base = &srv.base;
    srv.store
        .import_plan(&amendment(), "调整", true, &Actor::System)
        .await
        .unwrap();
    let before = review_received(&srv.store, "2024-03-01").await;
    let after = review_received(&srv.store, "2024-08-01").await;
    let c = logged_in(base, "shenpi").await;
    let page = |id: i64| {
        let c = c.clone();
        async move {
            c.get(format!("{base}/reviews/{id}"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let html = page(before).await;
    assert!(
        html.contains(
            "第 1 版，未载明，2021-01-01 起施行，批准文号：未载明；按 2024-03-01 施行的版本"
        ),
        "{html}"
    );
    let html = page(after).await;
    assert!(
        html.contains("第 2 版，修改，2024-07-01 起施行，批准文号：牡政函〔2024〕31号；按 2024-08-01 施行的版本"),
        "{html}"
    );
    let r = c
        .get(format!("{base}/reviews/{after}/docx"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(
        xml.contains("修改，2024年7月1日起施行，批准文号：牡政函〔2024〕31号；按受理日期 2024年8月1日 施行的版本"),
        "{xml}"
    );
}

#[tokio::test]
async fn history_lists_versions_and_an_amendments_changes() {
    let srv = start().await;
    let base = &srv.base;
    let v2 = srv
        .store
        .import_plan(&amendment(), "调整", false, &Actor::System)
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
