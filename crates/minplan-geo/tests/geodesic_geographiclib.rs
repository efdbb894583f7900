//! Vincenty's inverse ([`minplan_geo::geodesic`]) against GeographicLib (Karney 2013) on the
//! CGCS2000 ellipsoid: distances and azimuths from centimetres to thousands of kilometres
//! across China, and a few pairs around the world.

use geographiclib_rs::{Geodesic, InverseGeodesic};
use minplan_geo::Ellipsoid;
use minplan_geo::geodesic::{inverse, path_length};
use proptest::prelude::*;

fn karney(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> (f64, f64, f64) {
    let e = Ellipsoid::CGCS2000;
    let g = Geodesic::new(e.a, e.f);
    let (s12, azi1, azi2, _a12): (f64, f64, f64, f64) = g.inverse(lat1, lon1, lat2, lon2);
    (s12, azi1, azi2)
}

fn angle_diff(a: f64, b: f64) -> f64 {
    let d = (a - b).rem_euclid(360.0);
    d.min(360.0 - d)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Anywhere in China's Gauss–Krüger range (73–136°E, 18–54°N): within 0.1 mm of
    /// GeographicLib and within 1e-7° in azimuth (for legs longer than 1 m).
    #[test]
    fn matches_geographiclib_in_china(
        lon1 in 73.0f64..136.0, lat1 in 18.0f64..54.0,
        lon2 in 73.0f64..136.0, lat2 in 18.0f64..54.0,
    ) {
        let (s, a1, a2) = karney(lon1, lat1, lon2, lat2);
        let g = inverse(Ellipsoid::CGCS2000, (lon1, lat1), (lon2, lat2)).unwrap();
        prop_assert!((g.distance_m - s).abs() < 1e-4, "{} vs {}", g.distance_m, s);
        if s > 1.0 {
            prop_assert!(angle_diff(g.azimuth1_deg, a1) < 1e-7, "{} vs {}", g.azimuth1_deg, a1);
            prop_assert!(angle_diff(g.azimuth2_deg, a2) < 1e-7, "{} vs {}", g.azimuth2_deg, a2);
        }
    }

    /// Short legs near Suifenhe (the lengths people measure on the county map): within
    /// 1 µm.
    #[test]
    fn short_legs_near_suifenhe(
        lon1 in 130.94f64..131.24, lat1 in 44.29f64..44.54,
        dlon in -0.02f64..0.02, dlat in -0.02f64..0.02,
    ) {
        let (s, _, _) = karney(lon1, lat1, lon1 + dlon, lat1 + dlat);
        let g = inverse(Ellipsoid::CGCS2000, (lon1, lat1), (lon1 + dlon, lat1 + dlat)).unwrap();
        prop_assert!((g.distance_m - s).abs() < 1e-6, "{} vs {}", g.distance_m, s);
    }
}

#[test]
fn long_lines_around_the_world() {
    for (lon1, lat1, lon2, lat2) in [
        (116.39, 39.91, 131.16, 44.40), // 北京 → 绥芬河
        (121.47, 31.23, -73.99, 40.73), // 上海 → New York
        (0.0, 0.0, 90.0, 0.0),          // along the equator
        (-70.0, -50.0, 120.0, 60.0),    // across the globe
        (131.0, 89.99, 11.0, 89.99),    // over the pole
    ] {
        let (s, _, _) = karney(lon1, lat1, lon2, lat2);
        let g = inverse(Ellipsoid::CGCS2000, (lon1, lat1), (lon2, lat2)).unwrap();
        assert!(
            (g.distance_m - s).abs() < 1e-3,
            "{lon1},{lat1}→{lon2},{lat2}: {} vs {s}",
            g.distance_m
        );
    }
}

#[test]
fn path_is_the_sum_of_its_legs() {
    let pts = [
        (131.0, 44.4),
        (131.05, 44.42),
        (131.1, 44.38),
        (131.12, 44.45),
    ];
    let total: f64 = pts
        .windows(2)
        .map(|w| karney(w[0].0, w[0].1, w[1].0, w[1].1).0)
        .sum();
    let ours = path_length(&pts, Ellipsoid::CGCS2000).unwrap();
    assert!((ours - total).abs() < 1e-6, "{ours} vs {total}");
}
