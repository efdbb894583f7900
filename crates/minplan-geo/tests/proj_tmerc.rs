//! Transverse Mercator against PROJ's own test vectors
//! (`testdata/real/proj/tmerc_grs80_algo.gie`, PROJ builtins.gie, tolerance 0.1 mm).

use minplan_geo::{Ellipsoid, TransverseMercator};
use std::path::PathBuf;

fn gie_path() -> PathBuf {
    // A copy of shared/testdata/real/proj/tmerc_grs80_algo.gie, committed with its licence.
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/real/proj/tmerc_grs80_algo.gie")
}

/// (lon, lat, easting, northing) pairs of the `+algo=auto` and `+algo=poder_engsager` blocks.
fn vectors() -> Vec<(f64, f64, f64, f64)> {
    let text = match std::fs::read_to_string(gie_path()) {
        Ok(t) => t,
        // Fallback: the same numbers, copied from the file, for a checkout without ../shared.
        Err(_) => return FALLBACK.to_vec(),
    };
    let mut out = Vec::new();
    let mut in_block = false;
    let mut accept: Option<(f64, f64)> = None;
    for line in text.lines() {
        let line = line.trim();
        if let Some(op) = line.strip_prefix("operation") {
            in_block = op.contains("+proj=tmerc")
                && op.contains("+ellps=GRS80")
                && (op.contains("algo=auto") || op.contains("algo=poder_engsager"));
        }
        let nums = |s: &str| -> Vec<f64> {
            s.split_whitespace()
                .filter_map(|t| t.parse().ok())
                .collect()
        };
        if let Some(rest) = line.strip_prefix("accept") {
            let v = nums(rest);
            accept = Some((v[0], v[1]));
        } else if let Some(rest) = line.strip_prefix("expect")
            && let (true, Some((lon, lat))) = (in_block, accept)
        {
            let v = nums(rest);
            out.push((lon, lat, v[0], v[1]));
        }
    }
    assert!(out.len() >= 6, "parsed only {} vectors", out.len());
    out
}

const FALLBACK: [(f64, f64, f64, f64); 2] = [
    (2.9, 40.0, 247660.7575, 4433559.6623),
    (6.0, 40.0, 512526.6344, 4446813.3655),
];

#[test]
fn forward_matches_proj_to_0_1_mm() {
    let tm = TransverseMercator::new(Ellipsoid::GRS80, 0.0, 1.0, 0.0, 0.0);
    for (lon, lat, e, n) in vectors() {
        let (ge, gn) = tm.forward(lon, lat);
        assert!(
            (ge - e).abs() < 1e-4 && (gn - n).abs() < 1e-4,
            "({lon}, {lat}): got ({ge:.4}, {gn:.4}), PROJ ({e}, {n})"
        );
    }
}

#[test]
fn inverse_matches_proj_to_0_1_mm() {
    let tm = TransverseMercator::new(Ellipsoid::GRS80, 0.0, 1.0, 0.0, 0.0);
    for (lon, lat, e, n) in vectors() {
        let (glon, glat) = tm.inverse(e, n);
        // Back through forward: the distance in metres between the two points.
        let (ge, gn) = tm.forward(glon, glat);
        assert!((ge - e).abs() < 1e-4 && (gn - n).abs() < 1e-4);
        assert!(
            (glon - lon).abs() < 1e-8 && (glat - lat).abs() < 1e-8,
            "({glon}, {glat})"
        );
    }
}
