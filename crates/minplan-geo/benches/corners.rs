//! Benchmark (not a test): parse + validate + both areas for a 10 000-vertex ring in the MNR
//! 报盘 layout, beside geographiclib-rs's PolygonArea on the same ring's lon/lat vertices.
//!
//! Run: `cargo bench -p minplan-geo --bench corners`. Plain `std::time::Instant`, median of
//! 25 runs after 3 warm-ups; prints a table. Figures go in BENCHMARKS.md.

use geographiclib_rs::{Geodesic, PolygonArea, Winding};
use minplan_geo::GaussKrugerZone;
use minplan_geo::corners::{ParseOptions, parse_str, suifenhe_schematic};
use std::hint::black_box;
use std::time::{Duration, Instant};

const N: usize = 10_000;
const RUNS: usize = 25;

/// A noisy circle of about 10 km² around 131.09°E, 44.41°N in zone 44 (EPSG:4532), as
/// (northing, easting with prefix), centimetres.
fn ring() -> Vec<(f64, f64)> {
    let tm = GaussKrugerZone::three_degree(44, true)
        .unwrap()
        .projection();
    let (e0, n0) = tm.forward(131.09, 44.41);
    let mut seed: u64 = 0x2026_1130;
    (0..N)
        .map(|i| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let noise = ((seed >> 33) as f64 / (1u64 << 31) as f64 - 0.5) * 10.0;
            let r = 1_784.0 + noise;
            let a = std::f64::consts::TAU * i as f64 / N as f64;
            (
                ((n0 + r * a.sin()) * 100.0).round() / 100.0,
                ((e0 + r * a.cos()) * 100.0).round() / 100.0,
            )
        })
        .collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<F: FnMut()>(mut f: F) -> Duration {
    for _ in 0..3 {
        f();
    }
    median(
        (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let ring = ring();
    let mut text = String::from("拐点,X,Y\n");
    for (i, (x, y)) in ring.iter().enumerate() {
        text.push_str(&format!("{},{x:.2},{y:.2}, , ,\n", i + 1));
    }
    text.push_str("*,400,300,基准环,1,\n");
    let opts = ParseOptions {
        region: Some(suifenhe_schematic()),
        ..ParseOptions::default()
    };

    let report = parse_str(&text, &opts);
    assert!(
        !report.has_errors(),
        "{:?}",
        &report.problems[..report.problems.len().min(3)]
    );
    let areas = report.areas.clone().unwrap();

    let tm = GaussKrugerZone::three_degree(44, true)
        .unwrap()
        .projection();
    let lonlat: Vec<(f64, f64)> = ring.iter().map(|&(x, y)| tm.inverse(y, x)).collect();
    let g = Geodesic::new(6_378_137.0, 1.0 / 298.257_222_101);
    let karney = |pts: &[(f64, f64)]| {
        let mut pa = PolygonArea::new(&g, Winding::CounterClockwise);
        for &(lon, lat) in pts {
            pa.add_point(lat, lon);
        }
        pa.compute(false).1
    };
    let k_area = karney(&lonlat);

    // The same ring as an announcement table pasted from Word: a caption, a datum line, a
    // header, two points per row (`J1 X Y  J2 X Y`), tabs. 9 999 points, so that labels keep
    // to four digits and the reader of earlier commits can read it too (for
    // tools/bench_corners_vs.sh).
    let mut table = String::from("基准环拐点坐标\n2000国家大地坐标系\n点号\tX\tY\t点号\tX\tY\n");
    for (k, pair) in ring[..N - 1].chunks(2).enumerate() {
        for (j, (x, y)) in pair.iter().enumerate() {
            table.push_str(&format!("J{}\t{x:.2}\t{y:.2}\t", 2 * k + j + 1));
        }
        table.push('\n');
    }
    let table_report = parse_str(&table, &opts);
    assert!(
        !table_report.has_errors(),
        "{:?}",
        &table_report.problems[..table_report.problems.len().min(3)]
    );
    assert_eq!(table_report.blocks[0].rings[0].points.len(), N - 1);

    let ours = time(|| {
        black_box(parse_str(black_box(&text), &opts));
    });
    let ours_table = time(|| {
        black_box(parse_str(black_box(&table), &opts));
    });
    let theirs = time(|| {
        black_box(karney(black_box(&lonlat)));
    });
    println!("拐点坐标基准：{N} 个拐点的环（约 10 km²，3° 带第 44 带），{RUNS} 次取中位数");
    println!("| 步骤 | 中位时间 | 面积 m² |");
    println!("|---|---:|---:|");
    println!(
        "| minplan-geo: 解析 + 全部检查 + 平面面积 + 椭球面积（附录D，50 m 加密） | {:.2} ms | {:.2} |",
        ours.as_secs_f64() * 1e3,
        areas.ellipsoidal_m2
    );
    println!(
        "| minplan-geo: 同一环写成公告表格（两点一行，表头、说明行）解析 + 全部检查 + 两种面积 | {:.2} ms | {:.2} |",
        ours_table.as_secs_f64() * 1e3,
        table_report
            .areas
            .as_ref()
            .map_or(f64::NAN, |a| a.ellipsoidal_m2)
    );
    println!(
        "| geographiclib-rs PolygonArea（同一环的经纬度顶点，测地线边） | {:.2} ms | {:.2} |",
        theirs.as_secs_f64() * 1e3,
        k_area
    );
    println!(
        "| 比值 minplan-geo / geographiclib-rs | {:.1} × | |",
        ours.as_secs_f64() / theirs.as_secs_f64()
    );
    println!(
        "平面面积 {:.2} m²；椭球面积与 GeographicLib 相对差 {:.2e}",
        areas.plane_m2,
        (areas.ellipsoidal_m2 - k_area) / k_area
    );
}
