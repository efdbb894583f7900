//! Overlap areas against GEOS itself (the `geos` crate over Debian's libgeos), on random
//! polygons: run with `cargo test -p minplan-geo --features geos-oracle --test geos_oracle`
//! (`.ci/run` does). Without the feature this file compiles to nothing.
#![cfg(feature = "geos-oracle")]

use geo::{Coord, LineString, MultiPolygon, Polygon};
use geos::Geom;
use minplan_geo::overlay::{BuildOptions, OverlapOptions, OverlayLayer, Subject};

struct Rng(u64);
impl Rng {
    fn f(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
    fn r(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.f()
    }
}

fn star(rng: &mut Rng, c: (f64, f64), r: f64, n: usize, rough: f64) -> Vec<(f64, f64)> {
    let (a1, p1) = (rng.r(0.0, 0.3), rng.r(0.0, 6.3));
    (0..n)
        .map(|k| {
            let t = std::f64::consts::TAU * k as f64 / n as f64;
            let rr = r * (1.0 + a1 * (2.0 * t + p1).sin()) * (1.0 + rough * rng.r(-1.0, 1.0));
            (c.0 + rr * t.cos(), c.1 + rr * t.sin())
        })
        .collect()
}

fn to_geo(r: &[(f64, f64)]) -> Polygon<f64> {
    let mut v: Vec<Coord<f64>> = r.iter().map(|&(x, y)| Coord { x, y }).collect();
    v.push(v[0]);
    Polygon::new(LineString(v), vec![])
}

fn to_wkt(r: &[(f64, f64)]) -> String {
    let mut pts: Vec<String> = r.iter().map(|(x, y)| format!("{x:.6} {y:.6}")).collect();
    pts.push(pts[0].clone());
    format!("POLYGON(({}))", pts.join(","))
}

#[test]
fn random_overlaps_agree_with_live_geos() {
    let mut rng = Rng(42);
    let mut compared = 0;
    for _ in 0..500 {
        let size = 10f64.powf(rng.r(1.0, 4.0));
        let c = (428_000.0 + rng.r(-2e4, 2e4), 4_920_000.0 + rng.r(-2e4, 2e4));
        let n = [8, 40, 400, 3000][(rng.f() * 4.0) as usize];
        let f = star(&mut rng, c, size, n, 0.01);
        let sc = (c.0 + rng.r(-1.0, 1.0) * size, c.1 + rng.r(-1.0, 1.0) * size);
        let sr = size * rng.r(0.05, 0.8);
        let s = star(&mut rng, sc, sr, 12, 0.1);
        // Round as the WKT does, so both engines see the same numbers.
        let round = |v: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
            v.into_iter()
                .map(|(x, y)| ((x * 1e6).round() / 1e6, (y * 1e6).round() / 1e6))
                .collect()
        };
        let (f, s) = (round(f), round(s));
        let gf = geos::Geometry::new_from_wkt(&to_wkt(&f)).unwrap();
        let gs = geos::Geometry::new_from_wkt(&to_wkt(&s)).unwrap();
        if !gf.is_valid().unwrap() || !gs.is_valid().unwrap() {
            continue;
        }
        let expected = gf.intersection(&gs).unwrap().area().unwrap();
        let layer = OverlayLayer::build(
            &[MultiPolygon(vec![to_geo(&f)])],
            &BuildOptions {
                max_piece_vertices: 64,
            },
        );
        let got: f64 = layer
            .overlaps(
                &Subject::new(MultiPolygon(vec![to_geo(&s)])).unwrap(),
                &OverlapOptions {
                    sliver_area_m2: 0.0,
                    ..OverlapOptions::default()
                },
            )
            .iter()
            .map(|h| h.area_m2)
            .sum();
        if expected > 1.0 {
            assert!(
                (got / expected - 1.0).abs() < 1e-6,
                "{got} vs GEOS {expected}"
            );
            compared += 1;
        }
    }
    assert!(compared > 150, "{compared}");
}
