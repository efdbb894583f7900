//! The overlay engine against independent results: GEOS (vectors generated with shapely,
//! `tools/gen_geos_vectors.py`), the JTS overlay test suite (`TestOverlayAA.xml`), and
//! touching/sliver cases from real bug reports.

use geo::{Area, Coord, LineString, MultiPolygon, Polygon};
use minplan_geo::overlay::{BuildOptions, OverlapClass, OverlapOptions, OverlayLayer, Subject};
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn ring(pts: &[(f64, f64)]) -> LineString<f64> {
    let mut v: Vec<Coord<f64>> = pts.iter().map(|&(x, y)| Coord { x, y }).collect();
    if v.first() != v.last() {
        v.push(v[0]);
    }
    LineString(v)
}

fn poly(rings: &[Vec<(f64, f64)>]) -> Polygon<f64> {
    Polygon::new(
        ring(&rings[0]),
        rings[1..].iter().map(|r| ring(r)).collect(),
    )
}

/// Overlap of `subject` with the single feature `feature` through the engine, with small
/// pieces so that subdivision is exercised.
fn overlap(
    feature: &Polygon<f64>,
    subject: &Polygon<f64>,
    max_piece: usize,
) -> (f64, Option<OverlapClass>) {
    let layer = OverlayLayer::build(
        &[MultiPolygon(vec![feature.clone()])],
        &BuildOptions {
            max_piece_vertices: max_piece,
        },
    );
    let s = Subject::new(MultiPolygon(vec![subject.clone()])).unwrap();
    let hits = layer.overlaps(
        &s,
        &OverlapOptions {
            sliver_area_m2: 0.0,
            ..OverlapOptions::default()
        },
    );
    match hits.first() {
        Some(h) => (h.area_m2, Some(h.class)),
        None => (0.0, None),
    }
}

fn pairs(v: &serde_json::Value) -> Vec<Vec<(f64, f64)>> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
                .collect()
        })
        .collect()
}

#[test]
fn overlap_areas_agree_with_geos_to_1e_6() {
    let text = std::fs::read_to_string(data("geos_overlay_vectors.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 200);
    let mut compared = 0;
    for (i, c) in cases.iter().enumerate() {
        let f = poly(&pairs(&c["feature"]));
        let s = poly(&pairs(&c["subject"]));
        let expected = c["area_m2"].as_f64().unwrap();
        for max_piece in [64, 4096] {
            let (got, _) = overlap(&f, &s, max_piece);
            if expected > 1e-6 * s.unsigned_area() {
                assert!(
                    (got / expected - 1.0).abs() < 1e-6,
                    "case {i} (pieces ≤ {max_piece}): {got} vs GEOS {expected}"
                );
                compared += 1;
            } else {
                // No shared interior according to GEOS: at most a rounding sliver here.
                assert!(
                    got <= 1e-6 * s.unsigned_area(),
                    "case {i}: {got} vs GEOS {expected}"
                );
            }
        }
    }
    assert!(compared > 300, "{compared}");
}

/// WKT `POLYGON((…),(…))` / `MULTIPOLYGON(((…)),((…)))` → polygons.
fn wkt_polygons(s: &str) -> Vec<Polygon<f64>> {
    let s = s.trim();
    let body = s
        .trim_start_matches("MULTIPOLYGON")
        .trim_start_matches("POLYGON")
        .trim();
    let multi = s.starts_with("MULTIPOLYGON");
    // Split into polygons by depth.
    let mut polys = Vec::new();
    let mut depth = 0;
    let mut rings: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut cur = String::new();
    let poly_depth = if multi { 2 } else { 1 };
    for ch in body.chars() {
        match ch {
            '(' => {
                depth += 1;
                if depth == poly_depth + 1 {
                    cur.clear();
                }
            }
            ')' => {
                if depth == poly_depth + 1 {
                    let pts: Vec<(f64, f64)> = cur
                        .split(',')
                        .filter(|p| !p.trim().is_empty())
                        .map(|p| {
                            let mut it = p.split_whitespace().map(|t| t.parse::<f64>().unwrap());
                            (it.next().unwrap(), it.next().unwrap())
                        })
                        .collect();
                    rings.push(pts);
                }
                if depth == poly_depth && !rings.is_empty() {
                    polys.push(poly(&rings));
                    rings.clear();
                }
                depth -= 1;
            }
            c if depth == poly_depth + 1 => cur.push(c),
            _ => {}
        }
    }
    polys
}

/// Every (MULTI)POLYGON inside a WKT text, also inside a GEOMETRYCOLLECTION.
fn polygons_in(wkt: &str) -> Vec<Polygon<f64>> {
    let mut out = Vec::new();
    let mut rest = wkt;
    while let Some(i) = rest.find("POLYGON") {
        let multi = rest[..i].ends_with("MULTI");
        let start = if multi { i - 5 } else { i };
        let after = &rest[i + "POLYGON".len()..];
        let trimmed = after.trim_start();
        if trimmed.starts_with("EMPTY") || !trimmed.starts_with('(') {
            rest = after;
            continue;
        }
        let open = after.find('(').unwrap();
        let mut depth = 0;
        let mut end = open;
        for (k, ch) in after[open..].char_indices() {
            match ch {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + k;
                        break;
                    }
                }
                _ => {}
            }
        }
        let text = &rest[start..i + "POLYGON".len() + end + 1];
        out.extend(wkt_polygons(text));
        rest = &after[end + 1..];
    }
    out
}

#[test]
fn intersection_areas_match_the_jts_overlay_suite() {
    let xml = std::fs::read_to_string(data("real/jts-xml/TestOverlayAA.xml")).unwrap();
    let mut checked = 0;
    for case in xml.split("<case>").skip(1) {
        let tag = |name: &str| -> Option<String> {
            let start = case.find(&format!("<{name}>"))? + name.len() + 2;
            let end = case[start..].find(&format!("</{name}>"))? + start;
            Some(case[start..end].trim().to_string())
        };
        let (Some(a), Some(b)) = (tag("a"), tag("b")) else {
            continue;
        };
        let Some(i) = case.find("name=\"intersection\"") else {
            continue;
        };
        let start = case[i..].find('>').unwrap() + i + 1;
        let end = case[start..].find("</op>").unwrap() + start;
        let expected_wkt = case[start..end].trim();
        if !(a.starts_with("POLYGON") || a.starts_with("MULTIPOLYGON"))
            || !(b.starts_with("POLYGON") || b.starts_with("MULTIPOLYGON"))
        {
            continue;
        }
        let expected: f64 = polygons_in(expected_wkt)
            .iter()
            .map(|p| p.unsigned_area())
            .sum();
        let fa = MultiPolygon(wkt_polygons(&a));
        let sb = MultiPolygon(wkt_polygons(&b));
        let layer = OverlayLayer::build(
            &[fa],
            &BuildOptions {
                max_piece_vertices: 16,
            },
        );
        let got: f64 = layer
            .overlaps(
                &Subject::new(sb).unwrap(),
                &OverlapOptions {
                    sliver_area_m2: 0.0,
                    touch_width_m: 0.0,
                    ..OverlapOptions::default()
                },
            )
            .iter()
            .map(|h| h.area_m2)
            .sum();
        assert!(
            (got - expected).abs() <= 1e-9 * expected.max(1.0),
            "{}: {got} vs JTS {expected}",
            tag("desc").unwrap_or_default()
        );
        checked += 1;
    }
    assert!(checked >= 10, "{checked} cases");
}

#[test]
fn nearly_shared_edge_from_shapely_1871_is_touching_not_15851_m2() {
    // shapely/shapely#1871: GEOS OverlayNG returned an intersection of area 15 851 for two
    // polygons that only share an edge (one end off by 1e-14). Coordinates read as metres.
    let a = poly(&[vec![
        (446.0, -207.0),
        (315.0, -75.999_999_999_999_99),
        (557.0, -76.0),
    ]]);
    let b = poly(&[vec![
        (184.0, -207.0),
        (315.0, -76.0),
        (446.0, -207.0),
        (315.0, -338.0),
    ]]);
    let (area, class) = overlap(&b, &a, 256);
    assert_eq!(class, Some(OverlapClass::Touching), "area {area}");
    assert_eq!(area, 0.0);
}

#[test]
fn tiny_overlap_from_geos_pr_1499_is_not_an_overlap() {
    // libgeos/geos#1499: two triangles sharing a vertex, overlapping by a float-sized sliver.
    // Scaled to a 100 m figure.
    let a = poly(&[vec![(100.0, 100.0), (0.0, 50.0), (0.0, 0.0)]]);
    let b = poly(&[vec![
        (100.0, 100.0),
        (0.0, 50.0_f64.next_down()), // the original's 0.49999999999999994 = next_down(0.5), scaled
        (0.0, 100.0),
    ]]);
    let (area, class) = overlap(&a, &b, 256);
    assert_ne!(class, Some(OverlapClass::Overlap), "area {area}");
    assert!(area < 1e-6);
}

#[test]
fn edge_meeting_from_boost_geometry_704_is_touching() {
    // boostorg/geometry#704: polygons meeting along a line were reported as overlapping.
    // Scaled ×1000 (km-sized figures in metres).
    let s = 1000.0;
    let p1 = poly(&[vec![
        (0.666_666_666_668_5 * s, -1.539_600_717_837_6 * s),
        (1.666_666_666_668_5 * s, -1.539_600_717_837_6 * s),
        (1.166_666_666_67 * s, -0.673_575_314_055 * s),
        (0.166_666_666_667 * s, 1.058_475_493_51 * s),
        (-0.833_333_333_333 * s, 1.058_475_493_51 * s),
    ]]);
    let p2 = poly(&[vec![
        (1.666_666_666_669_47 * s, 0.192_450_089_732_598 * s),
        (0.666_666_666_667 * s, 0.192_450_089_73 * s),
        (1.166_666_666_67 * s, -0.673_575_314_055 * s),
        (1.666_666_666_674_5 * s, -1.539_600_717_842_6 * s),
    ]]);
    let (area, class) = overlap(&p1, &p2, 256);
    assert_ne!(class, Some(OverlapClass::Overlap), "area {area}");
}

/// A 500 m × 300 m right and its neighbour to the east, sharing the edge x = 500.
fn right_and_neighbour(samples: usize, jitter: f64) -> (Polygon<f64>, Polygon<f64>) {
    let (x0, y0) = (428_000.0, 4_920_000.0);
    let right = poly(&[vec![
        (x0, y0),
        (x0 + 500.0, y0),
        (x0 + 500.0, y0 + 300.0),
        (x0, y0 + 300.0),
    ]]);
    // The neighbour follows the shared edge with `samples` vertices, each off the line by up to
    // `jitter` metres (coordinates written to 0.01 m, digitised independently).
    let mut ring = vec![(x0 + 500.0, y0 + 300.0)];
    for k in (0..=samples).rev() {
        let t = k as f64 / samples as f64;
        let off = if k == 0 || k == samples {
            0.0
        } else {
            jitter * if k % 2 == 0 { 1.0 } else { -1.0 }
        };
        ring.push((x0 + 500.0 + off, y0 + 300.0 * t));
    }
    ring.dedup();
    ring.push((x0 + 900.0, y0));
    ring.push((x0 + 900.0, y0 + 300.0));
    (right, poly(&[ring]))
}

#[test]
fn a_parallel_edge_sampled_with_2_or_20_vertices_is_touching() {
    for (samples, jitter) in [(1, 0.0), (19, 0.0), (19, 0.004), (19, 0.005)] {
        let (a, b) = right_and_neighbour(samples, jitter);
        let (area, class) = overlap(&a, &b, 256);
        assert_eq!(
            class,
            Some(OverlapClass::Touching),
            "{samples} pieces, jitter {jitter}: area {area}"
        );
    }
}

#[test]
fn a_two_centimetre_strip_is_a_sliver_and_a_half_metre_strip_an_overlap() {
    let (x0, y0) = (428_000.0, 4_920_000.0);
    let right = poly(&[vec![
        (x0, y0),
        (x0 + 500.0, y0),
        (x0 + 500.0, y0 + 300.0),
        (x0, y0 + 300.0),
    ]]);
    // 0.02 m × 30 m = 0.6 m²: wider than 0.01 m, under the 1 m² sliver tolerance.
    let strip = poly(&[vec![
        (x0 + 499.98, y0 + 100.0),
        (x0 + 600.0, y0 + 100.0),
        (x0 + 600.0, y0 + 130.0),
        (x0 + 499.98, y0 + 130.0),
    ]]);
    let layer = OverlayLayer::build(
        &[MultiPolygon(vec![right.clone()])],
        &BuildOptions::default(),
    );
    let hits = layer.overlaps(
        &Subject::new(MultiPolygon(vec![strip])).unwrap(),
        &OverlapOptions::default(),
    );
    assert_eq!(hits[0].class, OverlapClass::Sliver);
    assert!((hits[0].area_m2 - 0.6).abs() < 1e-6, "{}", hits[0].area_m2);
    let wide = poly(&[vec![
        (x0 + 499.5, y0 + 100.0),
        (x0 + 600.0, y0 + 100.0),
        (x0 + 600.0, y0 + 130.0),
        (x0 + 499.5, y0 + 130.0),
    ]]);
    let hits = layer.overlaps(
        &Subject::new(MultiPolygon(vec![wide])).unwrap(),
        &OverlapOptions::default(),
    );
    assert_eq!(hits[0].class, OverlapClass::Overlap);
    assert!((hits[0].area_m2 - 15.0).abs() < 1e-6);
}
