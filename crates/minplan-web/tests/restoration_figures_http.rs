//! The restoration figures over HTTP (issue 15, item 6): the section 「矿区生态保护修复与绿色矿山」
//! of 规划指标 and its JSON API with the plan's references read from the Suifenhe bundle (22 from
//! 专栏1; 14, 0.7 km², 11, 350 万元, 0.0212 km² from 一（一）5–6), every figure the stores cannot
//! give yet shown as 无数据 and never as 0, and the 工作台 of 生态修复 with the section and the
//! links to its pages (other roles without it).

mod common;

use common::*;
use serde_json::Value;

/// The `<tr>` of `key` in the restoration table of `html`.
fn row<'a>(html: &'a str, key: &str) -> &'a str {
    let table = &html[html
        .find("id=\"restoration-indicators\"")
        .expect("restoration table")..];
    let start = table
        .find(&format!("<tr data-key=\"{key}\">"))
        .unwrap_or_else(|| panic!("row {key}"));
    let rest = &table[start..];
    &rest[..rest.find("</tr>").unwrap()]
}

/// The words of a figure that has no value (an empty county): 无数据 / 未报送 / 无法判定, with
/// or without the reason after a colon — never a number.
fn is_gap_words(w: &str) -> bool {
    ["无数据", "未报送", "无法判定"]
        .iter()
        .any(|g| w == *g || w.starts_with(&format!("{g}：")))
}

/// Whether a row's value cell is marked as a gap with such words.
fn is_gap_cell(r: &str) -> bool {
    r.split("<td class=\"num gap\">")
        .nth(1)
        .and_then(|rest| rest.split("</td>").next())
        .is_some_and(is_gap_words)
}

const KEYS: [&str; 18] = [
    "key_projects",
    "legacy_mines",
    "legacy_area",
    "legacy_remaining",
    "legacy_remaining_area",
    "restored_area",
    "projects",
    "investment",
    "project_area",
    "fund_due",
    "fund_accrued",
    "fund_shortfall",
    "fund_withdrawn",
    "disturbed_ha",
    "restored_ha",
    "mines_behind",
    "mines_without_plans",
    "green_share",
];

#[tokio::test]
async fn indicators_page_shows_references_from_the_plan_and_gaps_not_zero() {
    let srv = start().await;
    // The public sees every row but the fund's, which it learns from the reviewed 公示.
    let public = reqwest::get(format!("{}/indicators?year=2025", srv.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for k in KEYS {
        let shown = public.contains(&format!("data-key=\"{k}\""));
        assert_eq!(shown, !k.starts_with("fund_"), "{k}");
    }
    assert!(public.contains("id=\"restoration-fund-withheld\""));
    let staff = logged_in(&srv.base, "guihua").await;
    let html = staff
        .get(format!("{}/indicators?year=2025", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("id=\"restoration-fund-withheld\""));
    assert!(
        html.contains("矿区生态保护修复与绿色矿山（2025年）"),
        "{html}"
    );
    for k in KEYS {
        let r = row(&html, k);
        // The value cell is the gap's words, marked as a gap; never a 0.
        assert!(is_gap_cell(r), "{k}: {r}");
        assert!(!r.contains("<td class=\"num\">0</td>"), "{k}: {r}");
    }
    let kp = row(&html, "key_projects");
    assert!(
        kp.contains("<td>专栏1 上轮规划目标</td><td class=\"num\">22</td>"),
        "{kp}"
    );
    assert!(kp.contains("上轮规划完成 11 个"), "{kp}");
    assert!(kp.contains("<td class=\"num\">无法判定</td>"), "{kp}");
    assert!(kp.contains("《规划》专栏1"), "{kp}");
    for (k, v) in [
        ("legacy_mines", "14"),
        ("legacy_remaining", "14"),
        ("legacy_area", "0.7"),
        ("restored_area", "0.7"),
        ("projects", "11"),
        ("investment", "350"),
        ("project_area", "0.0212"),
    ] {
        let r = row(&html, k);
        assert!(
            r.contains(&format!("<td>基期值</td><td class=\"num\">{v}</td>")),
            "{k}: {r}"
        );
    }
    assert!(row(&html, "legacy_area").contains("《规划》一（一）5"));
    assert!(row(&html, "investment").contains("《规划》一（一）6"));
    // The fund's accrual is set against the amount due, itself missing: its words, not a 0.
    assert!(row(&html, "fund_accrued").contains("<td>应提取额</td><td class=\"num\">无数据</td>"));
    assert!(row(&html, "green_share").contains("规划未设定"));
    // No schematic entries yet: no 示意 mark in the section.
    assert!(!html.contains("id=\"restoration-schematic\""));
}

#[tokio::test]
async fn api_gives_the_same_rows_with_values_null() {
    let srv = start().await;
    // Anonymous: the same rows without the fund's.
    let public: Value = reqwest::get(format!("{}/api/indicators/restoration?year=2025", srv.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let public_keys: Vec<&str> = public["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    let without_fund: Vec<&str> = KEYS
        .iter()
        .copied()
        .filter(|k| !k.starts_with("fund_"))
        .collect();
    assert_eq!(public_keys, without_fund);
    let staff = logged_in(&srv.base, "xiufu").await;
    let r = staff
        .get(format!("{}/api/indicators/restoration?year=2025", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let j: Value = r.json().await.unwrap();
    assert_eq!(j["year"], 2025);
    assert_eq!(j["schematic"], false);
    let rows = j["rows"].as_array().unwrap();
    let keys: Vec<&str> = rows.iter().map(|r| r["key"].as_str().unwrap()).collect();
    assert_eq!(keys, KEYS);
    let by = |k: &str| rows.iter().find(|r| r["key"] == k).unwrap();
    for r in rows {
        assert!(r["value"].is_null(), "{r}");
        assert!(is_gap_words(r["value_label"].as_str().unwrap()), "{r}");
    }
    for (k, v) in [
        ("key_projects", 22.0),
        ("legacy_mines", 14.0),
        ("legacy_area", 0.7),
        ("projects", 11.0),
        ("investment", 350.0),
        ("project_area", 0.0212),
    ] {
        assert_eq!(by(k)["reference"]["value"].as_f64(), Some(v), "{k}");
    }
    assert_eq!(by("mines_behind")["reference"]["label"], "规划未设定");
    assert_eq!(by("key_projects")["cite"], "《规划》专栏1");
    // A year that is not a year is refused naming the parameter.
    let bad = reqwest::get(format!(
        "{}/api/indicators/restoration?year=二〇二五",
        srv.base
    ))
    .await
    .unwrap();
    assert_eq!(bad.status(), 400);
    assert!(bad.text().await.unwrap().contains("参数 year 应为年份"));
}

#[tokio::test]
async fn workbench_of_restoration_shows_the_section_and_links() {
    let srv = start().await;
    let xiufu = logged_in(&srv.base, "xiufu").await;
    let html = xiufu
        .get(format!("{}/workbench", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"restoration-links\""), "{html}");
    for href in ["/restoration", "/restoration/fund", "/green-mines"] {
        assert!(html.contains(&format!("<a href=\"{href}\">")), "{href}");
    }
    let kp = row(&html, "key_projects");
    assert!(
        kp.contains("<td class=\"num\">22</td>") && kp.contains("num gap\">无数据"),
        "{kp}"
    );
    let j: Value = xiufu
        .get(format!("{}/api/workbench", srv.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let rows = j["restoration"]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 18);
    assert_eq!(rows[0]["reference"]["value"].as_f64(), Some(22.0));

    // 审批科 does not keep restoration: no section.
    let shenpi = logged_in(&srv.base, "shenpi").await;
    let html = shenpi
        .get(format!("{}/workbench", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"workbench-indicators\""));
    assert!(!html.contains("id=\"restoration-indicators\""));
    let j: Value = shenpi
        .get(format!("{}/api/workbench", srv.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(j["restoration"].is_null(), "{j}");
}

#[tokio::test]
async fn evaluation_page_and_downloads_carry_the_section() {
    use std::io::Read;
    let srv = start().await;
    let base = &srv.base;
    // Staff see the fund's rows too (the public's evaluation leaves them out).
    let staff = logged_in(base, "guihua").await;
    let html = staff
        .get(format!("{base}/evaluation?from=2021&to=2025"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("矿区生态保护修复与绿色矿山（2025年）"));
    assert!(row(&html, "key_projects").contains("<td class=\"num\">22</td>"));
    assert!(row(&html, "investment").contains("num gap\">无数据"));

    let bytes = staff
        .get(format!("{base}/evaluation.xlsx?from=2021&to=2025"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    use calamine::{Data, Reader, Xlsx};
    let mut x: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(
        x.sheet_names(),
        ["实施评估", "指标状态", "年度数值", "生态修复", "说明"]
    );
    let r = x.worksheet_range("生态修复").unwrap();
    let at = |row: usize, col: usize| r.get((row, col)).cloned().unwrap_or(Data::Empty);
    assert_eq!(at(0, 4), Data::String("对照值".into()));
    // Row 1 is 重点治理项目: 22 from 专栏1 as a number, the value in words.
    assert_eq!(at(1, 1), Data::String("重点治理项目（已验收）".into()));
    assert_eq!(at(1, 4), Data::Float(22.0));
    assert_eq!(at(1, 5), Data::String("无数据：尚未录入修复项目".into()));
    assert_eq!(at(1, 6), Data::String("无法判定".into()));
    // 修复项目投资 against 350 万元; 修复项目区面积 against 0.0212 km².
    assert_eq!(at(8, 1), Data::String("修复项目投资".into()));
    assert_eq!(at(8, 4), Data::Float(350.0));
    assert_eq!(at(9, 4), Data::Float(0.0212));
    for row in 1..=18 {
        match at(row, 5) {
            Data::String(w) => assert!(is_gap_words(&w), "row {row}: {w}"),
            other => panic!("row {row}: {other:?}"),
        }
    }

    let bytes = staff
        .get(format!("{base}/evaluation.docx?from=2021&to=2025"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    for want in [
        "四、矿区生态保护修复与绿色矿山",
        "五、说明",
        "专栏1 上轮规划目标 22",
        "基期值 0.7",
        "基期值 0.0212",
    ] {
        assert!(xml.contains(want), "docx lacks {want}");
    }
}

/// The Suifenhe bundle with the restoration baseline keys and 专栏1's row 重点治理项目 taken out.
fn bundle_without_restoration_keys() -> minplan_domain::bundle::BundleFiles {
    let mut files = minplan_store::default_bundle();
    let toml = String::from_utf8(files.get("plan.toml").unwrap().to_vec()).unwrap();
    let keys = [
        "legacy_mines",
        "legacy_mines_area",
        "restoration_projects",
        "restoration_investment",
        "restoration_area",
    ];
    let mut chunks = toml.split("\n[[");
    let mut out = chunks.next().unwrap().to_string();
    let mut dropped = 0;
    for c in chunks {
        let ours = (c.starts_with("baseline]]")
            && keys.iter().any(|k| c.contains(&format!("key = \"{k}\"\n"))))
            || (c.starts_with("previous_round]]") && c.contains("indicator = \"重点治理项目\""));
        if ours {
            dropped += 1;
        } else {
            out.push_str("\n[[");
            out.push_str(c);
        }
    }
    assert_eq!(dropped, 6);
    files.insert("plan.toml", out);
    files
}

#[tokio::test]
async fn a_plan_without_the_keys_shows_not_set() {
    let dir = tempfile::tempdir().unwrap();
    let store = minplan_store::Store::open(&dir.path().join("t.db"))
        .await
        .unwrap();
    store
        .seed_if_empty(&bundle_without_restoration_keys())
        .await
        .unwrap();
    let state = minplan_web::AppState::new(store.clone()).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = minplan_web::router(state);
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    let html = reqwest::get(format!("{base}/indicators?year=2025"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for k in [
        "key_projects",
        "legacy_mines",
        "legacy_area",
        "legacy_remaining",
        "restored_area",
        "projects",
        "investment",
        "project_area",
    ] {
        let r = row(&html, k);
        assert!(
            r.contains("<td></td><td class=\"num\">规划未设定</td>"),
            "{k}: {r}"
        );
        assert!(is_gap_cell(r), "{k}: {r}");
    }
    let j: Value = reqwest::get(format!("{base}/api/indicators/restoration?year=2025"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kp = &j["rows"][0];
    assert_eq!(kp["key"], "key_projects");
    assert_eq!(kp["reference"]["label"], "规划未设定");
    assert!(kp["reference"]["value"].is_null());
    assert_eq!(kp["completion"], "");
}
