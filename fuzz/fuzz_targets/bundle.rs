//! The plan bundle loader on the Suifenhe bundle with one of its files replaced by arbitrary
//! bytes (the first byte chooses which: `plan.toml`, `text.txt` or a layer): it never panics,
//! and either loads or names its problems.
//!
//! Run: `tools/fuzz.sh 60 bundle`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use minplan_domain::bundle::{BundleFiles, load_bundle};

const FILES: [(&str, &[u8]); 8] = [
    (
        "plan.toml",
        include_bytes!("../../plans/231081-2021-2025/plan.toml"),
    ),
    (
        "text.txt",
        include_bytes!("../../plans/231081-2021-2025/text.txt"),
    ),
    (
        "layers/blocks.geojson",
        include_bytes!("../../plans/231081-2021-2025/layers/blocks.geojson"),
    ),
    (
        "layers/county.geojson",
        include_bytes!("../../plans/231081-2021-2025/layers/county.geojson"),
    ),
    (
        "layers/ecological_red_line.geojson",
        include_bytes!("../../plans/231081-2021-2025/layers/ecological_red_line.geojson"),
    ),
    (
        "layers/permanent_basic_farmland.geojson",
        include_bytes!("../../plans/231081-2021-2025/layers/permanent_basic_farmland.geojson"),
    ),
    (
        "layers/urban_development_boundary.geojson",
        include_bytes!("../../plans/231081-2021-2025/layers/urban_development_boundary.geojson"),
    ),
    (
        "layers/visible_corridors.geojson",
        include_bytes!("../../plans/231081-2021-2025/layers/visible_corridors.geojson"),
    ),
];

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let replaced = usize::from(which) % FILES.len();
    let mut files = BundleFiles::new();
    for (i, (path, contents)) in FILES.iter().enumerate() {
        if i == replaced {
            files.insert(*path, bytes.to_vec());
        } else {
            files.insert(*path, contents.to_vec());
        }
    }
    if let Err(e) = load_bundle(&files) {
        assert!(!e.0.is_empty(), "a refusal names its problems");
    }
});
