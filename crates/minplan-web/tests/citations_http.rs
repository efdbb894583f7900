//! Citations on the pages and in the API: a bundle without its plan text shows every
//! citation as 未核对 (never as a verified link with an empty excerpt); a citation into a
//! source document is shown by that document's title and links to its text.

use minplan_domain::bundle::BundleFiles;
use minplan_store::{Store, default_bundle};
use minplan_web::{AppState, serve};
use serde_json::Value;

async fn start(files: BundleFiles) -> String {
    let store = Store::open_in_memory().await.unwrap();
    store.seed_if_empty(&files).await.unwrap();
    let state = AppState::new(store).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, state));
    format!("http://{addr}")
}

async fn get(base: &str, path: &str) -> String {
    let r = reqwest::get(format!("{base}{path}")).await.unwrap();
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.text().await.unwrap()
}

/// The default bundle with `plan.toml` edited and files added.
fn bundle(edits: &[(&str, &str)], extra: &[(&str, &str)]) -> BundleFiles {
    let mut files = default_bundle();
    let mut toml = String::from_utf8(files.get("plan.toml").unwrap().to_vec()).unwrap();
    for (from, to) in edits {
        assert_eq!(toml.matches(from).count(), 1, "{from}");
        toml = toml.replacen(from, to, 1);
    }
    files.insert("plan.toml", toml);
    for (p, c) in extra {
        files.insert(*p, c.as_bytes().to_vec());
    }
    files
}

#[tokio::test]
async fn without_the_plan_text_citations_are_shown_unchecked() {
    let base = start(bundle(&[("text = \"text.txt\"\n", "")], &[])).await;
    let html = get(&base, "/").await;
    assert!(html.contains("《规划》总则（未核对）"), "overview");
    assert!(html.contains("class=\"cite unchecked\""));
    assert!(!html.contains("href=\"/text#L"), "no verified link");
    assert!(
        !html.contains("class=\"cite\" href"),
        "no verified citation"
    );
    let html = get(&base, "/indicators").await;
    assert!(html.contains("《规划》专栏2（未核对）"), "indicators");
    let v: Value = serde_json::from_str(&get(&base, "/api/plan").await).unwrap();
    assert_eq!(v["identity"]["name"]["cite"], "总则（未核对）");
    assert_eq!(
        v["admission"]["mine_cap_total"]["cite"],
        "五（一）（未核对）"
    );
    assert_eq!(v["indicators"][0]["cite"]["checked"], false);
    assert_eq!(v["indicators"][0]["cite"]["href"], "");
    let html = get(&base, "/text").await;
    assert!(html.contains("本规划数据包未附规划文本"));
}

#[tokio::test]
async fn with_the_plan_text_citations_are_verified_links() {
    let base = start(default_bundle()).await;
    let v: Value = serde_json::from_str(&get(&base, "/api/plan").await).unwrap();
    assert_eq!(v["identity"]["name"]["cite"], "总则");
    assert_eq!(v["indicators"][0]["cite"]["checked"], true);
    assert!(
        v["indicators"][0]["cite"]["excerpt"]
            .as_str()
            .unwrap()
            .len()
            > 10
    );
    let html = get(&base, "/").await;
    assert!(!html.contains("未核对"));
}

const NOTICE: &str = "关于绥芬河市矿产资源总体规划修改的通知\n各有关单位：\n\
                      1. 生态保护红线按最新成果调整。\n\
                      2. 矿山数量上限不超过 3 个，其中本级审批发证 2 个。\n";

#[tokio::test]
async fn a_source_citation_shows_its_document_and_links_to_its_text() {
    let files = bundle(
        &[
            (
                "text = \"text.txt\"\n",
                "text = \"text.txt\"\nsources = [ { key = \"修改通知\", title = \"关于绥芬河市矿产资源总体规划修改的通知\", issuer = \"绥芬河市人民政府\", date = \"2024-05-20\", kind = \"修改通知\", file = \"notice.txt\" } ]\n",
            ),
            (
                "mine_cap_total = { value = 3, cite = \"五（一）\" }",
                "mine_cap_total = { value = 3, cite = \"修改通知:2\" }",
            ),
        ],
        &[("notice.txt", NOTICE)],
    );
    let base = start(files).await;
    let html = get(&base, "/").await;
    assert!(
        html.contains("《关于绥芬河市矿产资源总体规划修改的通知》2"),
        "overview names the notice"
    );
    assert!(html.contains("href=\"/text?source=%E4%BF%AE%E6%94%B9%E9%80%9A%E7%9F%A5#L4\""));
    let v: Value = serde_json::from_str(&get(&base, "/api/plan").await).unwrap();
    assert_eq!(v["admission"]["mine_cap_total"]["cite"], "修改通知:2");
    assert_eq!(v["sources"][0]["key"], "修改通知");
    assert_eq!(v["sources"][0]["has_text"], true);
    let html = get(&base, "/text?source=%E4%BF%AE%E6%94%B9%E9%80%9A%E7%9F%A5").await;
    assert!(html.contains("<h1>《关于绥芬河市矿产资源总体规划修改的通知》</h1>"));
    assert!(html.contains("矿山数量上限不超过 3 个"));
    assert!(html.contains("href=\"/text\""), "back to the plan text");
}
