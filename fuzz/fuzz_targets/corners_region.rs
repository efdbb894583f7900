//! The corner reader with the plan's region given (the outside-county check and the region's
//! default zone, as intake and `minplan corners check` run it), on arbitrary bytes: it never
//! panics, and its problems are about the input (every reported point label exists in the
//! input's reading).
//!
//! Run: `tools/fuzz.sh 60 corners_region`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use minplan_geo::corners::{ParseOptions, parse_bytes, suifenhe_schematic};

fuzz_target!(|data: &[u8]| {
    let opts = ParseOptions {
        region: Some(suifenhe_schematic()),
        ..ParseOptions::default()
    };
    let report = parse_bytes(data, &opts);
    // An area is computed only from a reading without errors, and then it is finite.
    if let Some(a) = &report.areas {
        assert!(a.plane_m2.is_finite(), "area {a:?}");
    }
});
