//! Helpers the store's tests share: a store seeded with the embedded plan, the 庆发 quarry
//! application of `examples/01` and its corners, the plan's zone.

use minplan_store::{Store, default_bundle};
use std::path::PathBuf;

/// An in-memory store with the embedded Suifenhe plan.
pub async fn seeded() -> Store {
    let store = Store::open_in_memory().await.unwrap();
    store.seed_if_empty(&default_bundle()).await.unwrap();
    store
}

/// A file of `examples/`.
pub fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name)
}

/// The 庆发 quarry application (examples/01) and its corner file.
pub fn qingfa() -> (String, Vec<u8>) {
    (
        std::fs::read_to_string(example("01-qingfa-quarry.toml")).unwrap(),
        std::fs::read(example("01-qingfa-quarry.txt")).unwrap(),
    )
}

/// The quarry's corners as (easting with the zone prefix, northing), as entered (EPSG:4532).
pub fn qingfa_ring_4532() -> Vec<(f64, f64)> {
    String::from_utf8(qingfa().1)
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with('*'))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[2].parse().unwrap(), f[1].parse().unwrap())
        })
        .collect()
}

/// The zone of the seeded plan's region.
pub async fn plan_zone(store: &Store) -> minplan_geo::GaussKrugerZone {
    store
        .active_plan()
        .await
        .unwrap()
        .unwrap()
        .loaded
        .plan
        .region
        .zone
}
