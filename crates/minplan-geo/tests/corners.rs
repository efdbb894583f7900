//! Corner coordinates end to end: the Liaoning announcement (stated area 1.0685 km²), the
//! geojson-invalid files, our Suifenhe fixtures, and property tests.

use minplan_geo::GaussKrugerZone;
use minplan_geo::corners::{
    CornerPoints, CornerReport, Datum, Layout, ParseOptions, ProblemKind, RingRole, Severity,
    parse_bytes, parse_str, suifenhe_schematic,
};
use proptest::prelude::*;
use std::path::PathBuf;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

fn read(name: &str, opts: &ParseOptions) -> CornerReport {
    let bytes = std::fs::read(data(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    parse_bytes(&bytes, opts)
}

fn kinds(r: &CornerReport) -> Vec<ProblemKind> {
    r.problems.iter().map(|p| p.kind).collect()
}

fn problem(r: &CornerReport, k: ProblemKind) -> &minplan_geo::corners::Problem {
    r.problems
        .iter()
        .find(|p| p.kind == k)
        .unwrap_or_else(|| panic!("no {k:?} in {:#?}", r.problems))
}

const LIAONING: &str = "real/announcements/liaoning_haicheng_paolou_2025-54";

#[test]
fn liaoning_announcement_two_blocks_and_1_0685_km2() {
    let r = read(&format!("{LIAONING}.txt"), &ParseOptions::default());
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(data(&format!("{LIAONING}.expected.json"))).unwrap(),
    )
    .unwrap();
    assert_eq!(r.layout, Layout::MnrSubmission);
    assert!(r.problems.is_empty(), "{:#?}", r.problems);
    assert_eq!(r.crs.unwrap().epsg(), 4529);
    assert_eq!(r.datum, Some(Datum::Cgcs2000));
    assert_eq!(r.blocks.len(), 2);
    let areas = r.areas.clone().unwrap();
    assert_eq!(
        areas.km2,
        expected["stated_total_area_km2"].as_f64().unwrap()
    ); // 1.0685
    for (i, b) in r.blocks.iter().enumerate() {
        let e = &expected["blocks"][i];
        assert_eq!(b.name, e["name"].as_str().unwrap());
        assert_eq!(b.rings.len(), 1);
        let ring = &b.rings[0];
        assert_eq!(ring.points.len() as u64, e["points"].as_u64().unwrap());
        assert_eq!(ring.role, RingRole::Shell);
        let el = ring.elevation.unwrap();
        assert_eq!(el.top_m, e["elev_top_m"].as_f64().unwrap());
        assert_eq!(el.bottom_m, e["elev_bottom_m"].as_f64().unwrap());
        // pyproj (PROJ + GRS80) figures to the cent: the ellipsoids differ by 1e-10 in f.
        let a = &areas.blocks[i];
        assert!(
            (a.plane_m2 - e["planar_area_m2_computed"].as_f64().unwrap()).abs() < 0.01,
            "{}",
            a.plane_m2
        );
        assert!(
            (a.ellipsoidal_m2 - e["ellipsoidal_area_m2_computed"].as_f64().unwrap()).abs() < 0.02,
            "{}",
            a.ellipsoidal_m2
        );
    }
    // The record is kept as entered.
    let p = &r.blocks[0].rings[0].points[0];
    assert_eq!(
        (p.label.as_str(), p.x_text.as_str(), p.y_text.as_str()),
        ("1", "4507088.2206", "41473349.922")
    );
    assert_eq!((p.x, p.y), (4507088.2206, 41473349.922));
    // Display: lon/lat, RFC 7946, exterior counter-clockwise (the announcement is clockwise).
    let cp = CornerPoints::try_from(r).unwrap();
    let ll = cp.lonlat_polygons();
    let first = expected["first_point_lonlat_computed"].as_array().unwrap();
    let ring = &ll[0][0];
    assert_eq!(ring.first(), ring.last());
    assert!(ring.iter().any(
        |&(lon, lat)| (lon - first[0].as_f64().unwrap()).abs() < 1e-6
            && (lat - first[1].as_f64().unwrap()).abs() < 1e-6
    ));
    let signed: f64 = ring
        .windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum();
    assert!(signed > 0.0, "exterior must be counter-clockwise");
    assert_eq!(cp.zone().epsg(), 4550); // zone 41 without prefix (CM 123E)
    let plane = cp.plane_polygons();
    assert!(
        plane[0][0][0].0 < 1_000_000.0,
        "plane polygons have no zone prefix"
    );
}

/// Every geojson-invalid file, with the problem it must report. They lie in Berlin, outside
/// China's zones, so each also reports `outside_zone_range`; none is CGCS2000 by statement.
#[test]
fn geojson_invalid_files_report_their_problems() {
    use ProblemKind::*;
    let cases: &[(&str, &[ProblemKind], &[&str])] = &[
        ("invalid_exterior_not_ccw", &[WrongWinding], &[]),
        ("invalid_interior_not_cw", &[WrongWinding], &[]),
        ("invalid_less_three_unique_nodes", &[TooFewPoints], &[]),
        ("invalid_unclosed", &[UnclosedRing], &["1", "4"]),
        ("problematic_3d_coordinates", &[ExtraDimension], &[]),
        ("problematic_crs_defined", &[DatumNotCgcs2000], &[]),
        ("problematic_duplicate_nodes", &[RepeatedPoint], &["2", "3"]),
        ("problematic_holes", &[], &[]),
        (
            "problematic_self_intersection_small",
            &[SelfIntersection],
            &["1", "2", "4", "5"],
        ),
        ("valid_geometry_polygon", &[], &[]),
        ("valid_geometry_multipolygon", &[], &[]),
    ];
    let dir = data("real/geojson-invalid");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "geojson") {
            seen += 1;
            let stem = path.file_stem().unwrap().to_str().unwrap();
            assert!(
                cases.iter().any(|c| c.0 == stem),
                "no expectation for {stem}"
            );
        }
    }
    assert_eq!(seen, cases.len());
    let geometric = [
        UnclosedRing,
        RepeatedPoint,
        TooFewPoints,
        SelfIntersection,
        HoleOutsideShell,
        RingsOverlap,
        WrongWinding,
    ];
    for (file, want, labels) in cases {
        let r = read(
            &format!("real/geojson-invalid/{file}.geojson"),
            &ParseOptions::default(),
        );
        assert_eq!(r.layout, Layout::GeoJson);
        assert!(!r.nothing_read(), "{file}");
        let got = kinds(&r);
        for k in *want {
            assert!(got.contains(k), "{file}: want {k:?}, got {got:?}");
            let p = problem(&r, *k);
            assert!(!p.message.is_empty());
            for l in *labels {
                assert!(
                    p.points.iter().any(|x| x == l),
                    "{file}: {k:?} should name point {l}: {:?}",
                    p.points
                );
            }
        }
        // No geometric problem that the file does not have.
        for k in geometric {
            assert_eq!(
                got.contains(&k),
                want.contains(&k),
                "{file}: {k:?} in {got:?}"
            );
        }
        if *file != "problematic_crs_defined" {
            assert!(got.contains(&OutsideZoneRange), "{file}: {got:?}");
        }
    }
    let holes = read(
        "real/geojson-invalid/problematic_holes.geojson",
        &ParseOptions::default(),
    );
    assert_eq!(
        holes.blocks[0]
            .rings
            .iter()
            .filter(|r| r.role == RingRole::Hole)
            .count(),
        2
    );
    let crs = read(
        "real/geojson-invalid/problematic_crs_defined.geojson",
        &ParseOptions::default(),
    );
    assert_eq!(problem(&crs, DatumNotCgcs2000).severity, Severity::Error);
    assert!(crs.areas.is_none());
}

fn suifenhe() -> ParseOptions {
    ParseOptions {
        region: Some(suifenhe_schematic()),
        ..ParseOptions::default()
    }
}

/// Ellipsoidal area of the 8-point Suifenhe block in the MNR layout (reference for the
/// other layouts of the same block).
fn block_a_area() -> f64 {
    read("suifenhe_two_blocks.txt", &suifenhe())
        .areas
        .unwrap()
        .blocks[0]
        .ellipsoidal_m2
}

#[test]
fn announcement_table_two_points_per_row_in_label_order() {
    let r = read("suifenhe_table_two_per_row.txt", &suifenhe());
    assert_eq!(r.layout, Layout::PlaneTable);
    assert!(!r.has_errors(), "{:#?}", r.problems);
    let ring = &r.blocks[0].rings[0];
    let labels: Vec<&str> = ring.points.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["J1", "J2", "J3", "J4", "J5", "J6", "J7", "J8"]);
    assert_eq!(
        ring.elevation.map(|e| (e.top_m, e.bottom_m)),
        Some((420.0, 300.0))
    );
    assert_eq!(r.crs.unwrap().epsg(), 4532);
    assert!((r.areas.unwrap().ellipsoidal_m2 - block_a_area()).abs() < 1e-6);
}

#[test]
fn full_width_word_paste() {
    let r = read("suifenhe_table_fullwidth.txt", &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    let p = &r.blocks[0].rings[0].points[0];
    assert_eq!((p.label.as_str(), p.y), ("拐点1", 44428301.09));
    assert!((r.areas.unwrap().ellipsoidal_m2 - block_a_area()).abs() < 1e-6);
}

#[test]
fn gbk_key_value_file_with_hole() {
    let bytes = std::fs::read(data("suifenhe_kv_gbk.txt")).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "fixture must be GBK");
    let r = parse_bytes(&bytes, &ParseOptions::default());
    assert_eq!(r.layout, Layout::MnrKeyValue);
    assert!(r.problems.is_empty(), "{:#?}", r.problems);
    assert!(r.crs_basis.iter().any(|n| n.contains("GBK")));
    let b = &r.blocks[0];
    assert_eq!(b.name, "一号采区");
    assert_eq!(
        b.rings.iter().map(|r| r.role).collect::<Vec<_>>(),
        [RingRole::Shell, RingRole::Hole]
    );
    let a = r.areas.unwrap();
    // Hole of ~199 m × 167 m removed from the block.
    let hole = minplan_geo::area::plane_area(&[
        (428463.47, 4918938.89),
        (428662.63, 4918936.71),
        (428664.45, 4919103.39),
        (428465.30, 4919105.57),
    ]);
    let shell = read("suifenhe_two_blocks.txt", &ParseOptions::default())
        .areas
        .unwrap()
        .blocks[0]
        .plane_m2;
    assert!(
        (a.plane_m2 - (shell - hole.abs())).abs() < 1e-6,
        "{} vs {}",
        a.plane_m2,
        shell - hole.abs()
    );
}

#[test]
fn geographic_tables_and_wkt_agree_with_the_plane_table() {
    let dms = read("suifenhe_dms.txt", &ParseOptions::default());
    let ddd = read("suifenhe_ddd_mmss.txt", &ParseOptions::default());
    let wkt = read("suifenhe_unclosed.wkt", &ParseOptions::default());
    for r in [&dms, &ddd, &wkt] {
        assert!(!r.has_errors(), "{:#?}", r.problems);
        assert_eq!(r.crs.unwrap().epsg(), 4490);
        assert!(r.geographic);
    }
    assert_eq!(dms.layout, Layout::GeographicTable);
    let p = &dms.blocks[0].rings[0].points[1];
    assert_eq!(
        (p.x_text.as_str(), p.y_text.as_str()),
        ("44°24′01.080″", "131°06′14.400″")
    );
    assert!((p.x - 44.4003).abs() < 1e-12 && (p.y - 131.104).abs() < 1e-12);
    let a = dms.areas.as_ref().unwrap().ellipsoidal_m2;
    assert!((ddd.areas.as_ref().unwrap().ellipsoidal_m2 - a).abs() < 1e-6);
    assert!((wkt.areas.as_ref().unwrap().ellipsoidal_m2 - a).abs() < 1e-6);
    assert!(kinds(&wkt).contains(&ProblemKind::UnclosedRing));
    // Same corners as the plane table, which rounds them to the centimetre: ±5 mm on a
    // 2.4 km perimeter moves the area by a few m² at most (edges straight in lon/lat vs in
    // the plane differ by far less at this size).
    assert!(
        ((a - block_a_area()) / a).abs() < 1e-5,
        "{a} vs {}",
        block_a_area()
    );
}

#[test]
fn bad_inputs_get_named_problems_with_labels() {
    use ProblemKind::*;
    let cases: &[(&str, ProblemKind, &[&str])] = &[
        ("suifenhe_swapped.txt", XySwapped, &["1", "8"]),
        ("suifenhe_masked.txt", JunkInNumber, &["3"]),
        ("suifenhe_xian80.txt", DatumNotCgcs2000, &[]),
        ("suifenhe_no_datum.txt", DatumNotStated, &[]),
        (
            "suifenhe_self_intersection.txt",
            SelfIntersection,
            &["2", "3", "6", "7"],
        ),
        ("suifenhe_hole_outside.txt", HoleOutsideShell, &["2", "3"]),
        ("suifenhe_overlap.txt", RingsOverlap, &[]),
        ("suifenhe_wrong_prefix.txt", ZonePrefixWrong, &["1"]),
        ("suifenhe_outside.txt", OutsideRegion, &["5"]),
        ("suifenhe_repeated.txt", RepeatedPoint, &["3", "4"]),
    ];
    for (file, kind, labels) in cases {
        let r = read(file, &suifenhe());
        assert!(r.has_errors(), "{file}");
        let p = problem(&r, *kind);
        assert_eq!(p.severity, Severity::Error, "{file}");
        for l in *labels {
            assert!(
                p.points.iter().any(|x| x == l),
                "{file}: {kind:?} should name {l}: {:?} / {}",
                p.points,
                p.message
            );
        }
        assert!(CornerPoints::try_from(r).is_err(), "{file}");
    }
    let masked = read("suifenhe_masked.txt", &suifenhe());
    let m = problem(&masked, JunkInNumber);
    assert!(
        m.message.contains("4**8856.58") && m.line == Some(5),
        "{}",
        m.message
    );
    assert!(masked.blocks[0].rings[0].points[2].x.is_nan());
    assert_eq!(
        masked.blocks[0].rings[0].points.len(),
        8,
        "nothing dropped from the record"
    );
    let si = problem(
        &read("suifenhe_self_intersection.txt", &suifenhe()),
        SelfIntersection,
    )
    .message
    .clone();
    assert!(si.contains("2–3 与 6–7"), "{si}");
}

#[test]
fn missing_prefix_needs_a_zone() {
    let none = read("suifenhe_no_prefix.txt", &ParseOptions::default());
    let p = problem(&none, ProblemKind::ZonePrefixMissing);
    assert_eq!(p.severity, Severity::Error);
    assert!(none.areas.is_none() && none.crs.is_none());
    let region = read("suifenhe_no_prefix.txt", &suifenhe());
    assert_eq!(
        problem(&region, ProblemKind::ZonePrefixMissing).severity,
        Severity::Warning
    );
    let zone = ParseOptions {
        zone: GaussKrugerZone::three_degree(44, false).ok(),
        ..ParseOptions::default()
    };
    let given = read("suifenhe_no_prefix.txt", &zone);
    assert!(given.problems.is_empty(), "{:#?}", given.problems);
    assert_eq!(given.crs.unwrap().epsg(), 4553);
    assert!((given.areas.unwrap().ellipsoidal_m2 - block_a_area()).abs() < 1e-4);
}

#[test]
fn datum_refuses_to_guess_and_says_what_to_supply() {
    let r = read("suifenhe_no_datum.txt", &ParseOptions::default());
    let p = problem(&r, ProblemKind::DatumNotStated);
    assert!(p.message.contains("注明坐标系") && p.message.contains("检查时指定坐标系"));
    assert!(r.areas.is_none());
    let ok = read(
        "suifenhe_no_datum.txt",
        &ParseOptions {
            datum: Some(Datum::Cgcs2000),
            ..ParseOptions::default()
        },
    );
    assert!(!ok.has_errors());
    let conflict = read(
        "suifenhe_xian80.txt",
        &ParseOptions {
            datum: Some(Datum::Cgcs2000),
            ..ParseOptions::default()
        },
    );
    assert!(kinds(&conflict).contains(&ProblemKind::DatumConflict));
}

#[test]
fn nothing_readable() {
    for text in [
        "",
        "这不是坐标文件\n",
        "{\"type\": \"Point\", \"coordinates\": [1, 2]}",
    ] {
        let r = parse_str(text, &ParseOptions::default());
        assert!(r.nothing_read(), "{text}");
        assert!(r.has_errors(), "{text}");
    }
}

#[test]
fn json_shape() {
    let r = read(&format!("{LIAONING}.txt"), &ParseOptions::default());
    let j = r.to_json();
    assert_eq!(j["crs"], 4529);
    assert_eq!(j["area_km2"], 1.0685);
    assert_eq!(j["rings"].as_array().unwrap().len(), 2);
    assert_eq!(j["rings"][0]["name"], "金藏采区");
    assert_eq!(
        j["rings"][0]["points"][0],
        serde_json::json!(["1", 4507088.2206, 41473349.922])
    );
    assert_eq!(j["rings"][0]["elevation"]["top_m"], 229.5);
    assert!(j["problems"].as_array().unwrap().is_empty());
    let bad = read("suifenhe_swapped.txt", &ParseOptions::default()).to_json();
    assert_eq!(bad["problems"][0]["kind"], "xy_swapped");
    assert_eq!(bad["problems"][0]["severity"], "error");
}

/// A random ring in Suifenhe (zone 44) as (northing, easting with prefix), 2 decimals.
fn suifenhe_ring() -> impl Strategy<Value = Vec<(f64, f64)>> {
    (
        130.97f64..131.21,
        44.32f64..44.51,
        prop::collection::vec(100.0f64..1500.0, 3..10),
        0.0f64..std::f64::consts::TAU,
    )
        .prop_map(|(lon0, lat0, radii, phase)| {
            let tm = GaussKrugerZone::three_degree(44, true)
                .unwrap()
                .projection();
            let (e0, n0) = tm.forward(lon0, lat0);
            let k = radii.len();
            radii
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let a = phase + std::f64::consts::TAU * i as f64 / k as f64;
                    (
                        ((n0 + r * a.sin()) * 100.0).round() / 100.0,
                        ((e0 + r * a.cos()) * 100.0).round() / 100.0,
                    )
                })
                .collect()
        })
}

fn mnr_text(ring: &[(f64, f64)], f: impl Fn(f64, f64) -> (String, String)) -> String {
    let mut s = String::from("拐点,X,Y\n");
    for (i, &(x, y)) in ring.iter().enumerate() {
        let (a, b) = f(x, y);
        s.push_str(&format!("{},{a},{b}, , ,\n", i + 1));
    }
    s.push_str("*,400,300,采区,1,\n");
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn swapped_suifenhe_ring_is_always_flagged(ring in suifenhe_ring(), region in any::<bool>(), prefix in any::<bool>()) {
        let opts = if region { suifenhe() } else { ParseOptions { zone: GaussKrugerZone::three_degree(44, false).ok(), ..ParseOptions::default() } };
        let text = mnr_text(&ring, |x, y| {
            let y = if prefix { y } else { y - 44e6 };
            (format!("{y:.2}"), format!("{x:.2}"))
        });
        let r = parse_str(&text, &opts);
        let p = r.problems.iter().find(|p| p.kind == ProblemKind::XySwapped);
        prop_assert!(p.is_some(), "{:?}", r.problems);
        prop_assert_eq!(p.unwrap().points.len(), ring.len());
        // The planar area cannot tell; the swap-corrected area equals the correct one.
        let right = parse_str(&mnr_text(&ring, |x, y| (format!("{x:.2}"), format!("{y:.2}"))), &suifenhe());
        prop_assert!(!right.has_errors(), "{:?}", right.problems);
        // Same corners; the eastings differ only in floating-point digits after removing 44e6.
        prop_assert!((r.areas.unwrap().ellipsoidal_m2 - right.areas.unwrap().ellipsoidal_m2).abs() < 1e-4);
    }

    #[test]
    fn removed_prefix_is_flagged_unless_zone_given(ring in suifenhe_ring()) {
        let text = mnr_text(&ring, |x, y| (format!("{x:.2}"), format!("{:.2}", y - 44e6)));
        let bare = parse_str(&text, &ParseOptions::default());
        let p = bare.problems.iter().find(|p| p.kind == ProblemKind::ZonePrefixMissing);
        prop_assert!(p.is_some_and(|p| p.severity == Severity::Error), "{:?}", bare.problems);
        let zone = ParseOptions { zone: GaussKrugerZone::three_degree(44, true).ok(), ..ParseOptions::default() };
        let given = parse_str(&text, &zone);
        prop_assert!(given.problems.is_empty(), "{:?}", given.problems);
        prop_assert_eq!(given.crs.unwrap().epsg(), 4553);
    }

    /// Whatever is pasted, the reader returns a report and never panics.
    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,200}") {
        let r = parse_str(&s, &suifenhe());
        let _ = r.to_json();
    }

    #[test]
    fn arbitrary_bytes_never_panic(b in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_bytes(&b, &ParseOptions::default());
    }
}

#[test]
fn announcement_table_with_named_rings_and_restarting_labels() {
    let r = read(
        "liaoning_as_announcement_table.txt",
        &ParseOptions::default(),
    );
    assert!(!r.has_errors(), "{:#?}", r.problems);
    let names: Vec<&str> = r.blocks.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["金藏采区", "远东采区"]);
    assert_eq!(r.blocks[1].rings[0].points.len(), 11);
    assert_eq!(
        r.blocks[1].rings[0]
            .elevation
            .map(|e| (e.top_m, e.bottom_m)),
        Some((363.0, 10.0))
    );
    assert_eq!(r.areas.as_ref().unwrap().km2, 1.0685);
    // The line stating the area is not silently dropped: it is the stated area, checked.
    assert_eq!(r.stated.areas.len(), 1);
    assert_eq!(
        (r.stated.areas[0].line, r.stated.areas[0].km2),
        (26, 1.0685)
    );
}

#[test]
fn a_ring_of_scattered_points_lists_twenty_crossings_and_says_there_are_more() {
    // 5 000 points scattered in a 100 m square (a pasted column of junk): millions of edge
    // crossings; the report lists the first 20 and one summary, instead of enumerating all.
    let mut seed = 12345u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut text = String::from("点号,X,Y\n");
    for i in 1..=5000 {
        text.push_str(&format!(
            "{i},{:.2},{:.2}, , ,\n",
            4_911_000.0 + next() * 100.0,
            44_428_900.0 + next() * 100.0
        ));
    }
    text.push_str("*,560,480,散点,1,\n");
    let r = parse_str(&text, &suifenhe());
    let crossings: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::SelfIntersection)
        .collect();
    assert_eq!(crossings.len(), 21, "{crossings:#?}");
    assert!(crossings[20].message.contains("只列出前 20 处"));
    assert!(r.has_errors());
}

/// The notice's own figures are compared with the reading: the Liaoning table (8 + 11 points,
/// stated 1.0685 km², the published figure) agrees; a stated area or point count that the
/// reading does not give is an error naming the line, the stated figure and what was read.
#[test]
fn stated_area_and_point_count_are_cross_checked() {
    let text = std::fs::read_to_string(data("liaoning_as_announcement_table.txt")).unwrap();
    let opts = ParseOptions::default();
    let r = parse_str(&text, &opts);
    assert_eq!(r.stated.areas.len(), 1);
    assert_eq!(r.stated.areas[0].km2, 1.0685);
    assert_eq!(r.stated.points_read, 19);
    assert!(
        !kinds(&r).contains(&ProblemKind::StatedFigureMismatch),
        "{:#?}",
        r.problems
    );
    // The same table with another stated area: an error at that line.
    let wrong = text.replace("1.0685", "1.0700");
    let r = parse_str(&wrong, &opts);
    let p = problem(&r, ProblemKind::StatedFigureMismatch);
    assert_eq!(p.severity, Severity::Error);
    assert_eq!(p.line, Some(26));
    assert!(
        p.message.contains("1.0700平方公里") && p.message.contains("1.0685 km²"),
        "{}",
        p.message
    );
    // A stated point count: 19 (or 8 and 11, one per block) agrees; 20 does not.
    for (stated, ok) in [
        ("矿区范围由19个拐点圈定", true),
        ("金藏采区由8个拐点圈定，远东采区由十一个拐点圈定", true),
        ("矿区范围由二十个拐点圈定", false),
    ] {
        let r = parse_str(&format!("{stated}\n{text}"), &opts);
        let mismatch = r
            .problems
            .iter()
            .any(|p| p.kind == ProblemKind::StatedFigureMismatch && p.severity == Severity::Error);
        assert_eq!(mismatch, !ok, "{stated}: {:#?}", r.problems);
    }
    // A dropped point (the last row of the second block removed) is caught by the count.
    let last = text
        .lines()
        .find(|l| l.starts_with("11,"))
        .expect("point 11 of the second block")
        .to_string();
    let dropped = format!(
        "矿区范围由19个拐点圈定\n{}",
        text.replace(&format!("{last}\n"), "")
    );
    let r = parse_str(&dropped, &opts);
    assert_eq!(r.stated.points_read, 18);
    assert!(
        r.problems
            .iter()
            .any(|p| p.kind == ProblemKind::StatedFigureMismatch
                && p.severity == Severity::Error
                && p.message.contains("由 19 个拐点")
                && p.message.contains("读到的是 18 个")),
        "{:#?}",
        r.problems
    );
}

/// A stated area that cannot be compared (no CRS, so no area) is said, not passed over.
#[test]
fn a_stated_area_without_computed_areas_is_a_warning() {
    let r = parse_str(
        "面积:0.5平方公里\n点号 X Y\n1 4907000 420000\n2 4907000 420100\n3 4907100 420100\n",
        &ParseOptions::default(),
    );
    let p = problem(&r, ProblemKind::StatedFigureMismatch);
    assert_eq!(p.severity, Severity::Warning);
    assert!(p.message.contains("无法核对"), "{}", p.message);
}
