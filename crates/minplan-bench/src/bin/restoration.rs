//! `minplan-bench-restoration`: the restoration map's data at 5,000 sites. Enters `n`
//! synthetic legacy mines through the real store function (`Store::add_legacy_mine`, one
//! audited transaction each; a 150 m square each, areas by `geometry_from_lonlat`), then times
//! what `/api/restoration/map` does for its answer — every legacy mine read and decoded
//! (`Store::legacy_mines`), every project read (`Store::restoration_projects`), the
//! FeatureCollection built and serialized — against a baseline measured in the same run on the
//! same table: `SELECT geojson FROM legacy_mines` read as text. Median of the runs; target
//! ≤ 200 ms. The HTTP layer (routing, session, compression) is not included.
//!
//! ```sh
//! cargo run --release -p minplan-bench --bin minplan-bench-restoration -- 5000 21
//! ```

use minplan_domain::restoration::legacy::{
    Direction, Finding, FoundProblem, LegacyMine, Method, geometry_from_lonlat,
};
use minplan_domain::restoration::projects::Site;
use minplan_store::{Actor, Store};
use serde_json::json;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The answer of `/api/restoration/map`, built as the web handler builds it.
async fn map_answer(store: &Store) -> anyhow::Result<String> {
    let mines = store.legacy_mines().await?;
    let projects = store.restoration_projects().await?;
    let features: Vec<serde_json::Value> = mines
        .iter()
        .map(|m| {
            let names: Vec<&str> = projects
                .iter()
                .filter(|p| p.input.sites.contains(&Site::Legacy(m.id)))
                .map(|p| p.input.name.as_str())
                .collect();
            json!({
                "type": "Feature",
                "properties": {
                    "kind": "历史遗留矿山",
                    "name": m.input.name,
                    "status": m.status.label(),
                    "direction": m.input.direction.label(),
                    "area_km2": (m.area_km2 * 1e4).round() / 1e4,
                    "schematic": if m.input.schematic { "示意" } else { "" },
                    "projects": names.join("、"),
                },
                "geometry": { "type": "MultiPolygon", "coordinates": m.geojson["coordinates"] },
            })
        })
        .collect();
    Ok(json!({ "type": "FeatureCollection", "features": features }).to_string())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).map_or(Ok(5_000), |a| a.parse())?;
    let runs: usize = args.get(2).map_or(Ok(21), |a| a.parse())?;
    let dir =
        std::env::temp_dir().join(format!("minplan-bench-restoration-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let store = Store::open(&dir.join("bench.db")).await?;
    let t = Instant::now();
    for i in 0..n {
        let lon = 130.95 + (i % 100) as f64 * 0.0028;
        let lat = 44.30 + (i / 100) as f64 * 0.0045;
        let (dx, dy) = (0.0019, 0.00135);
        let ring = vec![
            (lon, lat),
            (lon + dx, lat),
            (lon + dx, lat + dy),
            (lon, lat + dy),
            (lon, lat),
        ];
        let g = geometry_from_lonlat("合成图层", vec![vec![ring]])
            .map_err(|p| anyhow::anyhow!("{p:?}"))?;
        let input = LegacyMine {
            name: format!("合成历史遗留矿山{i}"),
            township: "合成镇".into(),
            village: String::new(),
            mineral: "建筑用花岗岩".into(),
            method: Method::OpenPit,
            findings: vec![FoundProblem {
                kind: Finding::DamagedLand,
                note: String::new(),
            }],
            responsible: None,
            direction: Direction::Forest,
            reason: "合成".into(),
            schematic: true,
        };
        store.add_legacy_mine(&input, &g, &Actor::System).await?;
    }
    let insert_s = t.elapsed().as_secs_f64();
    let mut base = Vec::new();
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let rows: Vec<String> = sqlx::query_scalar("SELECT geojson FROM legacy_mines")
            .fetch_all(store.pool())
            .await?;
        base.push(t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(rows.len(), n);
        let t = Instant::now();
        let answer = map_answer(&store).await?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        bytes = answer.len();
    }
    let b = median(base);
    let m = median(times);
    println!(
        "sites: {n}; runs: {runs}; entering them (audited, one transaction each): {insert_s:.1} s"
    );
    println!("| step | median ms | ÷ baseline | answer bytes |");
    println!("|---|---:|---:|---:|");
    println!("| baseline: SELECT geojson FROM legacy_mines | {b:.2} | 1.0 | — |");
    println!(
        "| /api/restoration/map answer (read, decode, build, serialize) | {m:.2} | {:.1} | {bytes} |",
        m / b
    );
    drop(store);
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}
