//! `minplan-bench-portal`: the public register page at province scale. Publishes a
//! 50,000-right 矿业权公示 through the real workflow (draft, submit, approval by another
//! person — which writes the `public_rights` rows), then times the portal's page query
//! (`Store::public_rights_page`: count + one page of 50) for the first page, a middle page, a
//! filtered page and a search, against a baseline measured in the same run on the same
//! database: `SELECT COUNT(*) FROM public_rights`. Median of the runs; target ≤ 100 ms a page.
//!
//! ```sh
//! cargo run --release -p minplan-bench --bin minplan-bench-portal -- 50000 21
//! ```

use minplan_domain::disclosure::{Payload, PublicRight, RegisterPayload};
use minplan_store::{Actor, NewUser, PublicRightsQuery, Role, Store, Window};
use std::time::Instant;

const MINERALS: [&str; 8] = [
    "建筑用凝灰岩",
    "建筑用砂",
    "水泥用灰岩",
    "煤",
    "铁矿",
    "金矿",
    "石墨",
    "饰面用花岗岩",
];
const STATUSES: [&str; 4] = ["有效", "有效", "有效", "已注销"];

/// A deterministic synthetic register of `n` rights: 1 holder per 10 rights, a small square
/// each.
fn register(n: usize) -> RegisterPayload {
    let rights = (0..n)
        .map(|i| {
            let lon = 126.0 + (i % 500) as f64 * 0.01;
            let lat = 44.0 + (i / 500) as f64 * 0.01;
            let d = 0.004;
            PublicRight {
                licence_no: format!("C23{:017}", i * 7919 % 100_000_000_000),
                holder_name: format!("合成矿业第{}有限公司", i / 10),
                kind: if i % 5 == 0 { "探矿权" } else { "采矿权" }.into(),
                name: format!("合成矿山{i}"),
                minerals: vec![MINERALS[i % MINERALS.len()].into()],
                area_km2: Some(0.1432),
                valid_from: Some("2022-01-01".into()),
                valid_to: Some("2031-12-31".into()),
                status: STATUSES[i % STATUSES.len()].into(),
                geometry: Some(serde_json::json!({
                    "type": "MultiPolygon",
                    "coordinates": [[[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]]]
                })),
            }
        })
        .collect();
    RegisterPayload {
        as_of: "2026-12-06".into(),
        rights,
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).map_or(Ok(50_000), |a| a.parse())?;
    let runs: usize = args.get(2).map_or(Ok(21), |a| a.parse())?;
    let dir = std::env::temp_dir().join(format!("minplan-bench-portal-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = Store::open(&dir.join("bench.db")).await?;
    let mut users = Vec::new();
    for name in ["bench-a", "bench-b"] {
        users.push(
            store
                .add_user(
                    &NewUser {
                        username: name.into(),
                        display_name: String::new(),
                        role: Role::Approval,
                        credit_code: None,
                    },
                    "Bench-pass-2026!",
                    &Actor::System,
                )
                .await?,
        );
    }
    let payload = Payload::Rights(register(n));
    let t = Instant::now();
    let id = store
        .draft_publication("register", "矿业权公示（合成）", &payload, &Actor::System)
        .await?;
    let draft_s = t.elapsed().as_secs_f64();
    store.submit_publication(id, &users[0]).await?;
    let t = Instant::now();
    store.approve_publication(id, &users[1]).await?;
    let approve_s = t.elapsed().as_secs_f64();

    let page = |offset: u64| Some(Window { offset, limit: 50 });
    let all = PublicRightsQuery::default();
    let filtered = PublicRightsQuery {
        kind: "采矿权".into(),
        mineral: "凝灰岩".into(),
        status: "有效".into(),
        ..PublicRightsQuery::default()
    };
    let search = PublicRightsQuery {
        text: "第2718有限".into(),
        ..PublicRightsQuery::default()
    };
    let cases: [(&str, &PublicRightsQuery, u64); 4] = [
        ("first page (1–50)", &all, 0),
        (
            "middle page (25,001–25,050 of 50,000)",
            &all,
            (n as u64 / 2),
        ),
        ("filtered: 采矿权 + 凝灰岩 + 有效, page 1", &filtered, 0),
        ("search 矿业权人 “第2718有限”, page 1", &search, 0),
    ];
    let mut base = Vec::new();
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    let mut totals = vec![0u64; cases.len()];
    for _ in 0..runs {
        let t = Instant::now();
        let c: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM public_rights")
            .fetch_one(store.pool())
            .await?;
        base.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(c as usize, n);
        for (i, (_, q, offset)) in cases.iter().enumerate() {
            let t = Instant::now();
            let (total, rows) = store.public_rights_page(id, q, page(*offset)).await?;
            times[i].push(t.elapsed().as_secs_f64() * 1e3);
            assert!(!rows.is_empty() && rows.len() <= 50);
            totals[i] = total;
        }
    }
    let b = median(base);
    println!(
        "rights: {n}; runs: {runs}; draft {draft_s:.2} s, approval (writes the public rows) {approve_s:.2} s"
    );
    println!("| query | median ms | ÷ baseline | rows matching |");
    println!("|---|---:|---:|---:|");
    println!("| baseline: SELECT COUNT(*) FROM public_rights | {b:.2} | 1.0 | {n} |");
    for (i, (label, _, _)) in cases.iter().enumerate() {
        let m = median(times[i].clone());
        println!("| {label} | {m:.2} | {:.1} | {} |", m / b, totals[i]);
    }
    drop(store);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
