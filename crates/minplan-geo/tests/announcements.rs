//! Real published notices (出让公告/公示) read as published, checked against their expected
//! readings (`tests/data/real/announcements/*.expected.json`, computed independently with
//! pyproj and pyproj.Geod; see tests/data/README.md for the sources).

use minplan_geo::corners::{
    Agreement, CornerReport, Datum, Layout, ParseOptions, ProblemKind, Severity, parse_bytes,
};
use serde_json::Value;

fn load(name: &str, opts: &ParseOptions) -> (CornerReport, Value) {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/real/announcements/"
    );
    let text = std::fs::read(format!("{dir}{name}.txt")).expect("notice");
    let expected: Value = serde_json::from_slice(
        &std::fs::read(format!("{dir}{name}.expected.json")).expect("expected reading"),
    )
    .expect("json");
    (parse_bytes(&text, opts), expected)
}

fn has(r: &CornerReport, kind: ProblemKind, severity: Severity) -> bool {
    r.problems
        .iter()
        .any(|p| p.kind == kind && p.severity == severity)
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn linhai_word_table_one_cell_per_line_is_read_then_refused_for_xian80() {
    let (r, e) = load("linhai_hongchi_2017", &ParseOptions::default());
    let seg = &e["segments"][0];
    assert_eq!(r.ring_count(), 1);
    let ring = &r.blocks[0].rings[0];
    let labels: Vec<String> = ring.points.iter().map(|p| p.label.clone()).collect();
    assert_eq!(labels, strs(&seg["labels"]));
    for (p, want) in ring.points.iter().zip(seg["points"].as_array().unwrap()) {
        assert_eq!(p.x, want[1].as_f64().unwrap(), "{}", p.label);
        assert_eq!(p.y, want[2].as_f64().unwrap(), "{}", p.label);
    }
    // Each point spans three lines (label, X, Y) with blank lines between.
    assert_eq!(ring.points[0].source_lines, vec![46, 48, 50]);
    assert_eq!(r.datum, Some(Datum::Xian1980));
    assert!(has(&r, ProblemKind::DatumNotCgcs2000, Severity::Error));
    assert!(r.areas.is_none(), "no official area on a Xi'an 80 reading");
    // 14 points stated, 14 read: no count mismatch.
    assert_eq!(r.stated.point_counts[0].points, 14);
    assert_eq!(r.stated.points_read, 14);
    assert_eq!(r.stated.point_counts[0].agrees, Some(true));
    // No area on a Xi'an 80 reading: the stated 0.03 km² cannot be judged, and says so.
    assert_eq!(r.stated.areas[0].agreement, Some(Agreement::NotComparable));
    let e = ring.elevation.unwrap();
    assert_eq!((e.top_m, e.bottom_m), (27.0, 5.0));
}

#[test]
fn jinghe_dms_pipe_table_reads_longitude_first_and_skips_the_placeholder_row() {
    let (r, e) = load(
        "jinghe_heishantou_exploration_2023",
        &ParseOptions::default(),
    );
    let seg = &e["segments"][0];
    assert_eq!(r.layout, Layout::GeographicTable);
    assert_eq!(
        r.crs.map(|c| c.epsg()),
        Some(e["expected_epsg"].as_u64().unwrap() as u32)
    );
    assert_eq!(r.ring_count(), 1);
    let ring = &r.blocks[0].rings[0];
    for (p, want) in ring
        .points
        .iter()
        .zip(seg["points_latlon"].as_array().unwrap())
    {
        assert_eq!(p.label, want[0].as_str().unwrap());
        assert!(
            (p.x - want[1].as_f64().unwrap()).abs() < 1e-8,
            "lat {}",
            p.label
        );
        assert!(
            (p.y - want[2].as_f64().unwrap()).abs() < 1e-8,
            "lon {}",
            p.label
        );
    }
    assert_eq!(ring.points.len(), 10);
    assert_eq!(
        r.zone.unwrap().zone,
        seg["planar_zone3"].as_u64().unwrap() as u8
    );
    let a = r.areas.as_ref().unwrap();
    assert!(
        (a.ellipsoidal_m2 - seg["ellipsoidal_area_m2_computed"].as_f64().unwrap()).abs() < 0.05
    );
    assert!((a.plane_m2 - seg["planar_area_m2_computed"].as_f64().unwrap()).abs() < 0.05);
    assert_eq!(a.km2, 0.0445);
    assert!(has(&r, ProblemKind::PlaceholderRow, Severity::Warning));
    // The notice states 0.044600 km²; the corners give 0.0445: said, not hidden.
    assert!(has(&r, ProblemKind::StatedFigureMismatch, Severity::Error));
    assert_eq!(r.stated.areas[0].agreement, Some(Agreement::Mismatch));
}

#[test]
fn xingan_six_blocks_of_packed_ddd_mmss_are_six_rings_and_refused_without_a_datum() {
    let (r, e) = load("xingan_tuquan_exploration_2008", &ParseOptions::default());
    let segs = e["segments"].as_array().unwrap();
    assert_eq!(r.ring_count(), segs.len());
    for (ring, seg) in r.blocks.iter().flat_map(|b| &b.rings).zip(segs) {
        let labels: Vec<String> = ring.points.iter().map(|p| p.label.clone()).collect();
        assert_eq!(labels, strs(&seg["labels"]));
        for (p, want) in ring
            .points
            .iter()
            .zip(seg["points_latlon"].as_array().unwrap())
        {
            assert!(
                (p.x - want[1].as_f64().unwrap()).abs() < 1e-8,
                "lat {}",
                p.label
            );
            assert!(
                (p.y - want[2].as_f64().unwrap()).abs() < 1e-8,
                "lon {}",
                p.label
            );
        }
    }
    assert!(has(&r, ProblemKind::AmbiguousNotation, Severity::Warning));
    assert!(has(&r, ProblemKind::DatumNotStated, Severity::Error));

    // Told the datum were CGCS2000, the areas are those of the ddd.mmss reading, never the
    // decimal-degree one.
    let (r, _) = load(
        "xingan_tuquan_exploration_2008",
        &ParseOptions {
            datum: Some(Datum::Cgcs2000),
            ..ParseOptions::default()
        },
    );
    // The table's 面积(㎞2) column states each block's area: each block is checked against its
    // own figure. Three do not match their corners (the notice's own inconsistency, see the
    // expected reading's finding): 永才屯 5.89 vs 6.5248, 三十方子 24.27 vs 26.1412, 扎木钦 9.55
    // vs 9.5697 (beyond ±0.005).
    let per_block: Vec<_> = r
        .stated
        .areas
        .iter()
        .filter(|a| a.block.is_some())
        .collect();
    assert_eq!(per_block.len(), 6);
    assert_eq!(per_block[0].km2, 3.68);
    let agreement: Vec<Agreement> = per_block.iter().map(|a| a.agreement.unwrap()).collect();
    use Agreement::{Matches, Mismatch};
    assert_eq!(
        agreement,
        [Matches, Mismatch, Matches, Mismatch, Matches, Mismatch]
    );
    let mut flagged: Vec<&str> = r
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::StatedFigureMismatch)
        .filter_map(|p| p.ring.as_deref())
        .collect();
    flagged.sort();
    assert_eq!(flagged.len(), 3, "{:#?}", r.problems);
    assert!(flagged.iter().any(|n| n.contains("永才屯")));
    assert!(flagged.iter().any(|n| n.contains("三十方子")));
    assert!(flagged.iter().any(|n| n.contains("扎木钦")));
    let areas = r.areas.as_ref().expect("areas");
    for (b, seg) in areas.blocks.iter().zip(segs) {
        let want = seg["ellipsoidal_area_m2_on_cgcs2000"].as_f64().unwrap();
        assert!(
            (b.ellipsoidal_m2 - want).abs() < 0.5,
            "{}: {} vs {want}",
            b.name,
            b.ellipsoidal_m2
        );
    }
}

#[test]
fn maozu_masked_digits_are_refused_naming_the_masking() {
    let (r, _) = load("maozu_lead_zinc_masked_2024", &ParseOptions::default());
    assert!(r.has_errors());
    assert!(r.areas.is_none());
    let masked: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::JunkInNumber)
        .collect();
    assert!(!masked.is_empty());
    assert!(
        masked
            .iter()
            .all(|p| p.message.contains('*') && p.line.is_some())
    );
    // Point 1 is line 22, the first masked value is named with it.
    assert!(masked[0].message.contains("****002.38") && masked[0].line == Some(22));
    // Neither the header `序号 X Y` nor prose became points; the cut last row is point 37.
    let labels: Vec<String> = r
        .blocks
        .iter()
        .flat_map(|b| &b.rings)
        .flat_map(|ring| &ring.points)
        .map(|p| p.label.clone())
        .collect();
    let want: Vec<String> = (1..=37).map(|i| i.to_string()).collect();
    assert_eq!(labels, want);
    // The elevation is the changed one (由…变更为1830米至1220米).
    let e = r.blocks[0].rings[0].elevation.unwrap();
    assert_eq!((e.top_m, e.bottom_m), (1830.0, 1220.0));
}

#[test]
fn liaoning_still_gives_its_published_area() {
    let (r, e) = load("liaoning_haicheng_paolou_2025-54", &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert_eq!(r.crs.unwrap().epsg(), 4529);
    assert_eq!(
        r.areas.as_ref().unwrap().km2,
        e["stated_total_area_km2"].as_f64().unwrap()
    );
    for (b, want) in r.blocks.iter().zip(e["blocks"].as_array().unwrap()) {
        assert_eq!(b.name, want["name"].as_str().unwrap());
        assert_eq!(
            b.rings[0].points.len() as u64,
            want["points"].as_u64().unwrap()
        );
    }
}

/// Every number of every real notice is accounted for by the reader itself (the last guard of
/// `parse_str` never has to step in), whatever else is wrong with the notice.
#[test]
fn the_reader_accounts_for_every_number_of_every_real_notice() {
    for name in [
        "linhai_hongchi_2017",
        "jinghe_heishantou_exploration_2023",
        "xingan_tuquan_exploration_2008",
        "maozu_lead_zinc_masked_2024",
        "liaoning_haicheng_paolou_2025-54",
        "wenzhou_dongtou_masked_2018",
    ] {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/data/real/announcements/"
        );
        let text = std::fs::read(format!("{dir}{name}.txt")).expect("notice");
        let r = parse_bytes(&text, &ParseOptions::default());
        let late: Vec<&str> = r
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::UnaccountedNumber)
            .map(|p| p.message.as_str())
            .collect();
        assert!(late.is_empty(), "{name}: {late:?}");
    }
}

/// 浙矿交公开〔2018〕01号 as republished with every integer part masked (`1,*.358,*.493`):
/// refused, each masked value named at its line and point — never "no points" — with the two
/// blocks (A区, B区, sharing points 18 and 42) and the stated 48 points accounted for.
#[test]
fn wenzhou_whole_integer_parts_masked_are_named_not_lost() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/real/announcements/"
    );
    let text = std::fs::read(format!("{dir}wenzhou_dongtou_masked_2018.txt")).unwrap();
    let r = parse_bytes(&text, &ParseOptions::default());
    assert!(r.has_errors());
    assert!(!r.problems.iter().any(|p| p.kind == ProblemKind::NoPoints));
    let names: Vec<&str> = r.blocks.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["A区", "B区"]);
    let masked = r
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::JunkInNumber && p.message.contains("被遮盖"))
        .count();
    assert_eq!(
        masked, 50,
        "each of the 50 points listed, both its values named"
    );
    assert!(
        r.problems
            .iter()
            .any(|p| p.message.contains("X 值“*.358”、Y 值“*.493”"))
    );
    assert_eq!(r.stated.point_counts[0].points, 48);
    assert_eq!(r.stated.point_counts[0].agrees, Some(true));
    let a = &r.stated.areas[0];
    assert_eq!(a.block.as_deref(), Some("A区"));
    assert_eq!(a.agreement, Some(Agreement::NotComparable));
}
