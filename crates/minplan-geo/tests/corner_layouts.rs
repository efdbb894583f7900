//! Corner tables in the layouts real notices use (issue: "corner coordinates as they really
//! arrive"). Small synthetic tables in each shape; each test asserts rings, labels, CRS, areas
//! and problems. Squares of 100 m × 100 m (10 000 m² in the Gauss plane) keep the expected
//! areas exact.

use minplan_geo::corners::{
    Agreement, CornerReport, Datum, Layout, ParseOptions, ProblemKind, Severity, parse_str,
};

fn rings(r: &CornerReport) -> Vec<(String, Vec<String>)> {
    r.blocks
        .iter()
        .flat_map(|b| &b.rings)
        .map(|ring| {
            (
                ring.name.clone().unwrap_or_default(),
                ring.points.iter().map(|p| p.label.clone()).collect(),
            )
        })
        .collect()
}

fn labels(r: &CornerReport) -> Vec<Vec<String>> {
    rings(r).into_iter().map(|(_, l)| l).collect()
}

fn kinds(r: &CornerReport) -> Vec<ProblemKind> {
    r.problems.iter().map(|p| p.kind).collect()
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn plane_m2(r: &CornerReport) -> f64 {
    r.areas.as_ref().expect("areas").plane_m2
}

#[test]
fn segment_column_with_two_points_per_row() {
    // 矿段 in the first column, two points per row; the datum line names a height datum too.
    let t = "采矿权范围拐点坐标\n2000国家大地坐标系1985国家高程\n\
矿段\t点号\tX\tY\t\t点号\tX\tY\n\
一\tJ1\t4900000.00\t44420000.00\t\tJ3\t4900100.00\t44420100.00\n\
\tJ2\t4900000.00\t44420100.00\t\tJ4\t4900100.00\t44420000.00\n\
二\tJ5\t4901000.00\t44421000.00\t\tJ7\t4901100.00\t44421100.00\n\
\tJ6\t4901000.00\t44421100.00\t\tJ8\t4901100.00\t44421000.00\n\
开采标高：由+195m至+175m\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert_eq!(
        rings(&r),
        vec![
            ("一".to_owned(), s(&["J1", "J2", "J3", "J4"])),
            ("二".to_owned(), s(&["J5", "J6", "J7", "J8"])),
        ]
    );
    assert_eq!(r.crs.unwrap().epsg(), 4532);
    assert!((plane_m2(&r) - 20_000.0).abs() < 1e-6);
    // The datum line is not an elevation; the 标高 line is, for the last ring.
    assert!(r.blocks[0].rings[0].elevation.is_none());
    let e = r.blocks[1].rings[0].elevation.unwrap();
    assert_eq!((e.top_m, e.bottom_m), (195.0, 175.0));
}

#[test]
fn pipe_table_with_trailing_cell_keeps_the_last_point() {
    let t = "| 点号 | X | Y | 点号 | X | Y |\n\
| 1 | 4900000.00 | 44420000.00 | 2 | 4900000.00 | 44420100.00 |\n\
| 3 | 4900050.00 | 44420150.00 | 4 | 4900100.00 | 44420100.00 |\n\
| 5 | 4900100.00 | 44420000.00 | 2000国家大地坐标系 |\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert_eq!(labels(&r), vec![s(&["1", "2", "3", "4", "5"])]);
    // 100 × 100 square plus the triangle (100 × 50 / 2).
    assert!((plane_m2(&r) - 12_500.0).abs() < 1e-6, "{}", plane_m2(&r));
}

#[test]
fn dms_table_with_longitude_first_header_and_a_given_zone() {
    let t = "坐标系：2000国家大地坐标系\n| 序号 | 经度 | 纬度 |\n\
| 1 | 131°05'00\" | 44°25'00\" |\n| 2 | 131°06'00\" | 44°25'00\" |\n\
| 3 | 131°06'00\" | 44°26'00\" |\n| 4 | 131°05'00\" | 44°26'00\" |\n";
    let free = parse_str(t, &ParseOptions::default());
    let zoned = parse_str(
        t,
        &ParseOptions {
            zone: Some(minplan_geo::crs::GaussKrugerZone::three_degree(44, true).unwrap()),
            ..ParseOptions::default()
        },
    );
    for r in [&free, &zoned] {
        assert!(!r.has_errors(), "{:#?}", r.problems);
        assert!(r.geographic);
        let p = &r.blocks[0].rings[0].points[0];
        assert!((p.x - 44.416_666_666).abs() < 1e-8, "latitude {}", p.x);
        assert!((p.y - 131.083_333_333).abs() < 1e-8, "longitude {}", p.y);
        // One minute of longitude × one of latitude at 44.4°N: about 1.326 km × 1.852 km.
        let km2 = r.areas.as_ref().unwrap().km2;
        assert!((2.44..2.47).contains(&km2), "{km2}");
    }
    assert_eq!(
        free.areas.as_ref().unwrap().km2,
        zoned.areas.as_ref().unwrap().km2
    );
}

#[test]
fn header_columns_the_values_contradict_lose_with_a_warning() {
    let t = "2000国家大地坐标系\n序号 纬度 经度\n1 131.0833333 44.4166667\n2 131.1 44.4166667\n\
3 131.1 44.4333333\n4 131.0833333 44.4333333\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(kinds(&r).contains(&ProblemKind::HeaderMismatch));
    assert!((r.blocks[0].rings[0].points[0].y - 131.0833333).abs() < 1e-9);
    let t = "2000国家大地坐标系\n点号 经度 纬度\n1 4900000.00 44420000.00\n2 4900000.00 44420100.00\n\
3 4900100.00 44420100.00\n";
    let r = parse_str(t, &ParseOptions::default());
    assert_eq!(r.layout, Layout::PlaneTable);
    assert!(kinds(&r).contains(&ProblemKind::HeaderMismatch));
    assert!((plane_m2(&r) - 5_000.0).abs() < 1e-6);
}

#[test]
fn word_table_pasted_one_cell_per_line() {
    let t = "矿区范围由4个拐点圈定，面积0.01平方公里（2000国家大地坐标系）\n\n拐点号\n\n拐点坐标\n\nX\n\nY\n\n\
J1\n\n4900000.00\n\n44420000.00\n\nJ2\n\n4900000.00\n\n44420100.00\n\n\
J3\n\n4900100.00\n\n44420100.00\n\nJ4\n\n4900100.00\n\n44420000.00\n\n开采标高：+27~+5m\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert_eq!(labels(&r), vec![s(&["J1", "J2", "J3", "J4"])]);
    assert!((plane_m2(&r) - 10_000.0).abs() < 1e-6);
    let ring = &r.blocks[0].rings[0];
    assert_eq!(ring.points[0].source_lines, vec![11, 13, 15]);
    assert_eq!(ring.source_lines(), Some((11, 33)));
    let e = ring.elevation.unwrap();
    assert_eq!((e.top_m, e.bottom_m), (27.0, 5.0));
}

#[test]
fn two_datums_in_one_row_use_the_cgcs2000_pair() {
    let t = "点号 X80 Y80 X2000 Y2000\n\
1 4899990.00 44419880.00 4900000.00 44420000.00\n\
2 4899990.00 44419980.00 4900000.00 44420100.00\n\
3 4900090.00 44419980.00 4900100.00 44420100.00\n\
4 4900090.00 44419880.00 4900100.00 44420000.00\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert_eq!(r.datum, Some(Datum::Cgcs2000));
    assert_eq!(r.blocks[0].rings[0].points[0].x_text, "4900000.00");
    assert!((plane_m2(&r) - 10_000.0).abs() < 1e-6);
    assert!(
        r.crs_basis
            .iter()
            .any(|b| b.contains("1980西安坐标系坐标未使用"))
    );

    // The same with the label repeated before each pair.
    let t = "点号 X80 Y80 点号 X2000 Y2000\n\
J1 4899990.00 44419880.00 J1 4900000.00 44420000.00\n\
J2 4899990.00 44419980.00 J2 4900000.00 44420100.00\n\
J3 4900090.00 44419980.00 J3 4900100.00 44420100.00\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert_eq!(labels(&r), vec![s(&["J1", "J2", "J3"])]);
    assert!((plane_m2(&r) - 5_000.0).abs() < 1e-6);

    // Without a header nothing says which pair is CGCS2000: the first is used, with an error.
    let t = "2000国家大地坐标系\n1 4899990.00 44419880.00 4900000.00 44420000.00\n\
2 4899990.00 44419980.00 4900000.00 44420100.00\n3 4900090.00 44419980.00 4900100.00 44420100.00\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(r.has_errors());
    assert!(
        r.problems
            .iter()
            .any(|p| p.message.contains("4900000.00") && p.line == Some(2))
    );
}

#[test]
fn plane_and_geographic_pairs_are_cross_checked() {
    // Zone 44 (CM 132°E): 131.083333°E 44.416667°N ↔ the plane pair computed from it.
    let z = minplan_geo::crs::GaussKrugerZone::three_degree(44, false).unwrap();
    let corners = [
        (131.083_333, 44.416_667),
        (131.084_583, 44.416_667),
        (131.084_583, 44.417_583),
    ];
    let mut t = "2000国家大地坐标系 3度带 第44带\n点号 X Y 纬度 经度\n".to_owned();
    for (i, (lon, lat)) in corners.iter().enumerate() {
        let (e, n) = z.projection().forward(*lon, *lat);
        let nudge = if i == 2 { 0.30 } else { 0.0 };
        t.push_str(&format!(
            "{} {:.3} {:.3} {lat:.6} {lon:.6}\n",
            i + 1,
            n + nudge,
            44_000_000.0 + e
        ));
    }
    let r = parse_str(&t, &ParseOptions::default());
    assert_eq!(r.layout, Layout::PlaneTable);
    assert_eq!(labels(&r), vec![s(&["1", "2", "3"])]);
    let bad: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::PairsDisagree)
        .collect();
    assert_eq!(bad.len(), 1, "{:#?}", r.problems);
    assert_eq!(bad[0].points, vec!["3".to_owned()]);
    assert!(bad[0].message.contains("0.30 m"), "{}", bad[0].message);
}

#[test]
fn masked_words_do_not_change_the_layout_and_masked_digits_are_named() {
    let t = "**县**矿,出让公示\n拐点坐标（2000国家大地坐标系）\n点号 X Y\n\
1 4900000.00 44420000.00\n2 4900000.00 44420100.00\n3 4900100.00 44420100.00\n4 4900100.00 44420000.00\n";
    let r = parse_str(t, &ParseOptions::default());
    assert_eq!(r.layout, Layout::PlaneTable);
    assert!(!r.has_errors(), "{:#?}", r.problems);
    let masked = t.replace("4900100.00 44420100.00", "49**100.00 44420100.00");
    let r = parse_str(&masked, &ParseOptions::default());
    let p = r
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::JunkInNumber)
        .expect("masking named");
    assert!(
        p.message.contains("被遮盖") && p.message.contains("49**100.00"),
        "{}",
        p.message
    );
    assert_eq!(p.line, Some(6));
    assert_eq!(
        labels(&r),
        vec![s(&["1", "2", "3", "4"])],
        "the point stays in the record"
    );
}

#[test]
fn several_tables_are_several_rings() {
    let square = |p: &str, first: usize, n0: f64| {
        (0..4)
            .map(|i| {
                let (dn, de) = [(0.0, 0.0), (0.0, 100.0), (100.0, 100.0), (100.0, 0.0)][i];
                format!("{p}{} {:.2} {:.2}\n", first + i, n0 + dn, 44_420_000.0 + de)
            })
            .collect::<String>()
    };
    let opts = ParseOptions::default();
    // Captions.
    let t = format!(
        "2000国家大地坐标系\n表1 一号矿体\n{}表2 二号矿体\n{}",
        square("B", 1, 4_900_000.0),
        square("B", 5, 4_901_000.0)
    );
    let r = parse_str(&t, &opts);
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert_eq!(rings(&r).len(), 2);
    assert_eq!(rings(&r)[1].0, "表2 二号矿体");
    // A label prefix change with nothing between.
    let t = format!(
        "2000国家大地坐标系\n{}{}",
        square("B", 1, 4_900_000.0),
        square("G", 1, 4_901_000.0)
    );
    let r = parse_str(&t, &opts);
    assert_eq!(
        labels(&r),
        vec![s(&["B1", "B2", "B3", "B4"]), s(&["G1", "G2", "G3", "G4"])]
    );
    assert!((plane_m2(&r) - 20_000.0).abs() < 1e-6);
    // Labels that do not restart, blocks separated by a line.
    let t = format!(
        "2000国家大地坐标系\n{}矿区二\n{}",
        square("", 1, 4_900_000.0),
        square("", 5, 4_901_000.0)
    );
    let r = parse_str(&t, &opts);
    assert_eq!(
        labels(&r),
        vec![s(&["1", "2", "3", "4"]), s(&["5", "6", "7", "8"])]
    );
}

#[test]
fn packed_ddd_mmss_is_never_read_as_decimal_degrees_silently() {
    // Declared.
    let t = "2000国家大地坐标系，经纬度格式 ddd.mmss\n1 131.0500 44.2500\n2 131.0600 44.2500\n\
3 131.0600 44.2600\n4 131.0500 44.2600\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert!((r.blocks[0].rings[0].points[0].y - 131.083_333_333).abs() < 1e-8);
    // Undeclared: every value fits ddd.mmss → read so, with a warning saying so.
    let undeclared = t.replace("，经纬度格式 ddd.mmss", "");
    let r = parse_str(&undeclared, &ParseOptions::default());
    assert!(kinds(&r).contains(&ProblemKind::AmbiguousNotation));
    assert!((r.blocks[0].rings[0].points[0].y - 131.083_333_333).abs() < 1e-8);
    // A value whose "minutes" are 60 or more cannot be ddd.mmss: decimal degrees, no warning.
    let decimal = "2000国家大地坐标系\n1 131.0800 44.4100\n2 131.0975 44.4100\n3 131.0975 44.4250\n4 131.0800 44.4250\n";
    let r = parse_str(decimal, &ParseOptions::default());
    assert!(
        !kinds(&r).contains(&ProblemKind::AmbiguousNotation),
        "{:#?}",
        r.problems
    );
    assert_eq!(r.blocks[0].rings[0].points[1].y, 131.0975);
}

#[test]
fn sentence_stops_placeholders_and_elevation_forms() {
    let t = "2000国家大地坐标系\n1 4900000.00 44420000.00\n2 4900000.00 44420100.00\n\
3 4900100.00 44420100.00\n4 4900100.00 44420000.00.\n| 5 | 0 | 0 |\n\
开采深度：由1830米至1310米变更为1830米至1220米\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert_eq!(labels(&r), vec![s(&["1", "2", "3", "4"])]);
    assert_eq!(r.blocks[0].rings[0].points[3].y_text, "44420000.00");
    assert!(kinds(&r).contains(&ProblemKind::PlaceholderRow));
    let e = r.blocks[0].rings[0].elevation.unwrap();
    assert_eq!((e.top_m, e.bottom_m), (1830.0, 1220.0));
}

#[test]
fn traditional_characters_and_full_width_punctuation() {
    let t = "礦區範圍拐點坐標（2000國家大地坐標系），面積0.01平方公里。\n點號　X坐標　Y坐標\n\
Ｊ１，４９０００００．００，４４４２００００．００\nJ2\t4900000.00\t44420100.00\n\
J3\t4900100.00\t44420100.00\nJ4\t4900100.00\t44420000.00。\n由+195M至+175M標高\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert_eq!(labels(&r), vec![s(&["J1", "J2", "J3", "J4"])]);
    assert_eq!(r.datum, Some(Datum::Cgcs2000));
    assert_eq!(r.stated.areas[0].km2, 0.01);
    let e = r.blocks[0].rings[0].elevation.unwrap();
    assert_eq!((e.top_m, e.bottom_m), (195.0, 175.0));
}

#[test]
fn bare_coordinates_one_per_line_pair_up() {
    let t = "2000国家大地坐标系\nX\nY\n4900000.00\n44420000.00\n4900000.00\n44420100.00\n\
4900100.00\n44420100.00\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert_eq!(labels(&r), vec![s(&["1", "2", "3"])]);
    assert!((plane_m2(&r) - 5_000.0).abs() < 1e-6);
}

/// The 100 m square of the tests above as rows `label X Y` with a given separator.
fn square_rows(labels: [&str; 4], sep: &str) -> String {
    let c = [
        ("4910000.00", "44420000.00"),
        ("4910000.00", "44420100.00"),
        ("4910100.00", "44420100.00"),
        ("4910100.00", "44420000.00"),
    ];
    labels
        .iter()
        .zip(c)
        .map(|(l, (x, y))| format!("{l}{sep}{x}{sep}{y}\n"))
        .collect()
}

fn clean_square(t: &str) -> CornerReport {
    let r = parse_str(t, &ParseOptions::default());
    assert!(!r.has_errors(), "{t}\n{:#?}", r.problems);
    assert_eq!(r.ring_count(), 1, "{t}");
    assert!((plane_m2(&r) - 10_000.0).abs() < 1e-6, "{t}");
    r
}

#[test]
fn primed_labels_are_labels_not_minute_marks() {
    let t = format!(
        "2000国家大地坐标系\n点号 X Y\n{}",
        square_rows(["K1'", "K2'", "K3'", "K4'"], " ")
    );
    assert_eq!(
        labels(&clean_square(&t)),
        vec![s(&["K1'", "K2'", "K3'", "K4'"])]
    );
    let t = format!(
        "2000国家大地坐标系\n{}",
        square_rows(["1", "2", "2'", "3"], " ")
    );
    assert_eq!(labels(&clean_square(&t)), vec![s(&["1", "2", "2'", "3"])]);
}

#[test]
fn prose_rows_with_axis_names() {
    let t = "坐标系统采用2000国家大地坐标系，拐点坐标如下：\n1号点：X=4910000.00，Y=44420000.00；\n\
2号点：X=4910000.00，Y=44420100.00；\n3号点：X=4910100.00，Y=44420100.00；\n4号点：X=4910100.00，Y=44420000.00。\n";
    assert_eq!(
        labels(&clean_square(t)),
        vec![s(&["1号点", "2号点", "3号点", "4号点"])]
    );
}

#[test]
fn a_page_break_inside_a_table_does_not_split_the_ring() {
    let rows = square_rows(["1", "2", "3", "4"], " ");
    let (head, tail) = rows.split_at(rows.match_indices('\n').nth(1).unwrap().0 + 1);
    for brk in ["第 1 页 共 2 页\n第 2 页\n", "- 2 -\n点号 X Y\n"] {
        let t = format!("2000国家大地坐标系\n点号 X Y\n{head}{brk}{tail}");
        let r = clean_square(&t);
        assert_eq!(labels(&r), vec![s(&["1", "2", "3", "4"])], "{t}");
    }
    // A caption between the two parts is a new table: two rings (labels continuing or not).
    let t = format!("2000国家大地坐标系\n点号 X Y\n{head}二号矿段\n{tail}");
    assert_eq!(parse_str(&t, &ParseOptions::default()).ring_count(), 2);
}

#[test]
fn grouped_digits_quoted_thousands_and_spaced_angles() {
    let t = "2000国家大地坐标系\n点号 X Y\n1 4 910 000.00 44 420 000.00\n2 4 910 000.00 44 420 100.00\n\
3 4 910 100.00 44 420 100.00\n4 4 910 100.00 44 420 000.00\n";
    clean_square(t);
    let t = "2000国家大地坐标系\n点号,X,Y\n1,\"4,910,000.000\",\"44,420,000.000\"\n\
2,\"4,910,000.000\",\"44,420,100.000\"\n3,\"4,910,100.000\",\"44,420,100.000\"\n\
4,\"4,910,100.000\",\"44,420,000.000\"\n";
    clean_square(t);
    let t = "2000国家大地坐标系\n点号 经度 纬度\n1 131 06 00.00 44 24 00.00\n2 131 06 10.00 44 24 00.00\n\
3 131 06 10.00 44 24 10.00\n4 131 06 00.00 44 24 10.00\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert!((r.blocks[0].rings[0].points[0].y - (131.0 + 6.0 / 60.0)).abs() < 1e-12);
}

#[test]
fn decimal_degrees_beside_metres_are_settled_by_the_metres() {
    // Round decimal degrees (all "fit" ddd.mmss) beside the plane pair computed from them.
    let z = minplan_geo::crs::GaussKrugerZone::three_degree(44, false).unwrap();
    let mut t = "2000国家大地坐标系\n点号 X坐标 Y坐标 经度 纬度\n".to_owned();
    for (i, (lon, lat)) in [
        (131.1, 44.4),
        (131.102778, 44.4),
        (131.102778, 44.402778),
        (131.1, 44.402778),
    ]
    .iter()
    .enumerate()
    {
        let (e, n) = z.projection().forward(*lon, *lat);
        t.push_str(&format!(
            "{} {n:.2} {:.2} {lon:.6} {lat:.6}\n",
            i + 1,
            44_000_000.0 + e
        ));
    }
    let r = parse_str(&t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert!(!kinds(&r).contains(&ProblemKind::AmbiguousNotation));
    // The same degrees written as ddd.mmss are recognised by the metres, with a warning.
    let dms = t
        .replace("131.102778", "131.0610")
        .replace("44.402778", "44.2410")
        .replace("131.100000", "131.0600")
        .replace("44.400000", "44.2400");
    let r = parse_str(&dms, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert!(kinds(&r).contains(&ProblemKind::AmbiguousNotation));
}

#[test]
fn per_block_areas_on_the_rows_and_an_elevation_column() {
    let t = "2000国家大地坐标系\n采区 点号 X Y 面积(km²)\n一采区 1 4910000.00 44420000.00\n\
一采区 2 4910000.00 44420100.00\n一采区 3 4910100.00 44420100.00\n一采区 4 4910100.00 44420000.00 0.0100\n\
二采区 1 4910200.00 44420000.00\n二采区 2 4910200.00 44420100.00\n二采区 3 4910300.00 44420100.00\n\
二采区 4 4910300.00 44420000.00 0.0200\n";
    let r = parse_str(t, &ParseOptions::default());
    assert_eq!(
        labels(&r),
        vec![s(&["1", "2", "3", "4"]), s(&["1", "2", "3", "4"])]
    );
    let bad: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::StatedFigureMismatch)
        .collect();
    assert_eq!(bad.len(), 1, "{:#?}", r.problems);
    assert_eq!(
        (bad[0].ring.as_deref(), bad[0].line),
        (Some("二采区"), Some(10))
    );
    let t = format!(
        "2000国家大地坐标系\n| 拐点 | X | Y | 开采标高(m) |\n|---|---|---|---|\n{}",
        square_rows(["| 1", "| 2", "| 3", "| 4"], " | ").replacen('\n', " | +420～+300 |\n", 1)
    );
    let r = clean_square(&t);
    let e = r.blocks[0].rings[0].elevation.unwrap();
    assert_eq!((e.top_m, e.bottom_m), (420.0, 300.0));
}

#[test]
fn datum_and_zone_as_notices_also_write_them() {
    let rows = square_rows(["1", "2", "3", "4"], " ");
    for head in [
        "座标系：2000国家大地座标系\n点号 X Y\n",
        "点号 X(2000) Y(2000)\n",
        "点号 1980西安坐标系 2000国家大地坐标系\n X Y X Y\n",
    ] {
        let t = if head.contains("西安") {
            format!(
                "{head}{}",
                rows.lines()
                    .map(|l| {
                        let c: Vec<&str> = l.split(' ').collect();
                        format!("{} 4909950.00 44419900.00 {} {}\n", c[0], c[1], c[2])
                    })
                    .collect::<String>()
            )
        } else {
            format!("{head}{rows}")
        };
        let r = clean_square(&t);
        assert_eq!(r.datum, Some(Datum::Cgcs2000), "{head}");
    }
    let r = parse_str(
        &format!("坐标系：1954年北京坐标系\n{rows}"),
        &ParseOptions::default(),
    );
    assert_eq!(r.datum, Some(Datum::Beijing1954));
    // The zone by its central meridian, Y without prefix; a contradiction is an error.
    let bare = rows.replace("444", "4");
    let r = clean_square(&format!("2000国家大地坐标系，中央经线132°，3°分带\n{bare}"));
    assert_eq!(r.crs.unwrap().epsg(), 4553); // CGCS2000 / 3-degree GK CM 132E
    let r = parse_str(
        &format!("2000国家大地坐标系，3度带，中央经线129°，带号44\n{bare}"),
        &ParseOptions::default(),
    );
    assert!(
        kinds(&r).contains(&ProblemKind::DatumConflict),
        "{:#?}",
        r.problems
    );
}

#[test]
fn header_units_and_rule_lines_are_not_block_names() {
    for head in [
        "拐点号 X坐标 Y坐标\n (m) (m)\n",
        "拐点编号 X(m) Y(m)\n",
        "| 点号 | X | Y | 备注 |\n|---|---|---|---|\n",
    ] {
        let t = format!(
            "2000国家大地坐标系\n{head}{}",
            square_rows(["1", "2", "3", "4"], " ")
        );
        let r = clean_square(&t);
        assert_eq!(r.blocks[0].name, "第1块", "{head}");
    }
}

#[test]
fn stated_areas_in_csv_cells_and_with_thousands_separators() {
    let rows = square_rows(["1", "2", "3", "4"], ",");
    let r = parse_str(
        &format!("2000国家大地坐标系\n矿区面积,0.0100平方公里,,\n{rows}"),
        &ParseOptions::default(),
    );
    assert_eq!(r.stated.areas[0].km2, 0.01);
    let r = parse_str(
        &format!("2000国家大地坐标系，矿区面积10,000平方米\n{rows}"),
        &ParseOptions::default(),
    );
    assert_eq!(r.stated.areas[0].km2, 0.01);
}

#[test]
fn a_name_before_an_elevation_names_the_next_block() {
    let rows = square_rows(["1", "2", "3", "4"], " ");
    let t = format!(
        "2000国家大地坐标系\n一号采区 开采标高：+420m至+300m\n点号 X Y\n{rows}二号采区 开采标高：+400m至+280m\n点号 X Y\n{}",
        rows.replace("491", "492")
    );
    let r = parse_str(&t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    let got: Vec<(String, f64)> = r
        .blocks
        .iter()
        .map(|b| (b.name.clone(), b.rings[0].elevation.unwrap().top_m))
        .collect();
    assert_eq!(
        got,
        [
            ("一号采区".to_owned(), 420.0),
            ("二号采区".to_owned(), 400.0)
        ]
    );
    // A central meridian of both a 3° and a 6° zone, no width stated: 3°, with a warning.
    let bare = rows.replace("444", "4");
    let r = parse_str(
        &format!("2000国家大地坐标系，中央经线129°\n{bare}"),
        &ParseOptions::default(),
    );
    assert_eq!(r.crs.unwrap().epsg(), 4552); // CGCS2000 / 3-degree GK CM 129E
    assert!(
        r.problems
            .iter()
            .any(|p| p.message.contains("6° 带第 22 带"))
    );
}

#[test]
fn a_datum_named_only_to_say_it_is_not_used_is_not_the_datum() {
    let rows = square_rows(["J1", "J2", "J3", "J4"], " ");
    for head in [
        "坐标系：1980西安坐标系（尚未转换为2000国家大地坐标系）",
        "坐标系：北京54坐标系（未转换至CGCS2000）",
    ] {
        let r = parse_str(&format!("{head}\n{rows}"), &ParseOptions::default());
        assert!(kinds(&r).contains(&ProblemKind::DatumNotCgcs2000), "{head}");
        assert!(r.areas.is_none(), "{head}");
    }
    let r = clean_square(&format!(
        "原1980西安坐标系已转换为2000国家大地坐标系\n{rows}"
    ));
    assert_eq!(r.datum, Some(Datum::Cgcs2000));
}

#[test]
fn stray_characters_on_a_number_never_drop_the_point() {
    for last in [
        "J4 4910100·00 44420000·00",
        "J4 4910100.00m 44420000.00m",
        "J4 4910100.00N 44420000.00E",
        "J4 N4910100.00 E44420000.00",
        "J4 X4910100.00 Y44420000.00",
        "J4 4910100.00/44420000.00",
        "\"J4\",\"4910100.00\",\"44420000.00\"",
        "J4&nbsp;4910100.00&nbsp;44420000.00",
    ] {
        let rows = square_rows(["J1", "J2", "J3", "J4"], " ");
        let rows = rows.replace("J4 4910100.00 44420000.00", last);
        let r = clean_square(&format!("2000国家大地坐标系\n{rows}"));
        assert_eq!(r.blocks[0].rings[0].points.len(), 4, "{last}");
    }
    // Two numbers with nothing between them: not read, but never silently.
    let rows = square_rows(["J1", "J2", "J3", "J4"], " ")
        .replace("J4 4910100.00 44420000.00", "J4 4910100.0044420000.00");
    let r = parse_str(
        &format!("2000国家大地坐标系\n{rows}"),
        &ParseOptions::default(),
    );
    assert!(r.has_errors());
    assert!(
        r.problems.iter().any(|p| p.line == Some(5)),
        "{:#?}",
        r.problems
    );
    // Degree signs typed otherwise, hemisphere letters.
    let t = "2000国家大地坐标系\n点号 纬度 经度\n1 44º24′00.00″N 131º06′00.00″E\n2 44˚24′00.00″N 131˚06′10.00″E\n\
3 北纬44°24′10.00″ 东经131°06′10.00″\n4 44°24′10.00〃 131°06′00.00〃\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert_eq!(r.blocks[0].rings[0].points.len(), 4);
}

#[test]
fn labels_by_block_number_and_sorted_naturally() {
    // `1-1…1-4` then `2-1…2-4`: two blocks.
    let t = "2000国家大地坐标系\n1-1 4910000.00 44420000.00\n1-2 4910100.00 44420000.00\n\
1-3 4910100.00 44420100.00\n1-4 4910000.00 44420100.00\n2-1 4910000.00 44420300.00\n\
2-2 4910100.00 44420300.00\n2-3 4910100.00 44420400.00\n2-4 4910000.00 44420400.00\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert_eq!(r.ring_count(), 2);
    // Two per row, labels past 9: 1-10 after 1-9.
    let mut t = "2000国家大地坐标系\n".to_owned();
    let pts: Vec<(String, f64, f64)> = (0..12)
        .map(|i| {
            let a = std::f64::consts::TAU * i as f64 / 12.0;
            (
                format!("1-{}", i + 1),
                4_910_000.0 + 500.0 * a.sin(),
                44_420_000.0 + 500.0 * a.cos(),
            )
        })
        .collect();
    for k in 0..6 {
        let (a, b) = (&pts[k], &pts[k + 6]);
        t.push_str(&format!(
            "{} {:.2} {:.2} {} {:.2} {:.2}\n",
            a.0, a.1, a.2, b.0, b.1, b.2
        ));
    }
    let r = parse_str(&t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    let want: Vec<String> = (1..=12).map(|i| format!("1-{i}")).collect();
    assert_eq!(labels(&r), vec![want]);
}

#[test]
fn letter_and_circled_labels_and_labels_after_the_coordinates() {
    for labels_ in [["A", "B", "C", "D"], ["①", "②", "③", "④"]] {
        let t = format!("2000国家大地坐标系\n{}", square_rows(labels_, " "));
        assert_eq!(labels(&clean_square(&t)), vec![s(&labels_)]);
    }
    let t = "2000国家大地坐标系\nX Y 点号\n4910000.00 44420000.00 J1\n4910000.00 44420100.00 J2\n\
4910100.00 44420100.00 J3\n4910100.00 44420000.00 J4\n";
    assert_eq!(labels(&clean_square(t)), vec![s(&["J1", "J2", "J3", "J4"])]);
}

#[test]
fn a_closing_point_under_a_new_label_is_named() {
    let t = format!(
        "2000国家大地坐标系\n{}J5 4910000.00 44420000.00\n",
        square_rows(["J1", "J2", "J3", "J4"], " ")
    );
    let r = clean_square(&t);
    let p = r
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::RepeatedPoint)
        .expect("closure named");
    assert!(
        p.message.contains("J5") && p.message.contains("J1"),
        "{}",
        p.message
    );
}

#[test]
fn holes_under_their_headings() {
    // A 300 m square with a 100 m square taken out: 80 000 m².
    let t = "2000国家大地坐标系\n外圈\n1 4910000.00 44420000.00\n2 4910000.00 44420300.00\n\
3 4910300.00 44420300.00\n4 4910300.00 44420000.00\n内圈（挖空）\n1 4910100.00 44420100.00\n\
2 4910100.00 44420200.00\n3 4910200.00 44420200.00\n4 4910200.00 44420100.00\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    assert_eq!(r.blocks.len(), 1);
    assert!((plane_m2(&r) - 80_000.0).abs() < 1e-6, "{}", plane_m2(&r));
}

#[test]
fn units_and_empty_cells_in_pastes() {
    // A stated area with Km2 is a stated area, not a coordinate.
    let rows = square_rows(["J1", "J2", "J3", "J4"], " ");
    let r = parse_str(
        &format!("2000国家大地坐标系\n矿区面积：0.0100Km2\n{rows}"),
        &ParseOptions::default(),
    );
    assert!(!r.has_errors(), "{:#?}", r.problems);
    // An empty X cell in a tab paste: X is what is missing.
    let t = "2000国家大地坐标系\n点号\tX\tY\n1\t4910000.00\t44420000.00\n2\t\t44420100.00\n\
3\t4910100.00\t44420100.00\n4\t4910100.00\t44420000.00\n";
    let r = parse_str(t, &ParseOptions::default());
    let p = r
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::MissingValue)
        .expect("missing value");
    assert!(p.message.contains("缺少 X"), "{}", p.message);
    // A row without a label in a labelled table: numbered, said, and the ring stays whole.
    let t = "2000国家大地坐标系\nJ1\t4910000.00\t44420000.00\n\t4910000.00\t44420100.00\n\
J3\t4910100.00\t44420100.00\nJ4\t4910100.00\t44420000.00\n";
    let r = parse_str(t, &ParseOptions::default());
    assert_eq!(r.ring_count(), 1, "{:#?}", r.problems);
    assert!(r.problems.iter().any(|p| p.message.contains("没有点号")));
}

#[test]
fn a_licence_one_liner_with_its_elevation() {
    let t = "矿区范围拐点坐标（2000国家大地坐标系）：1,4910000.00,44420000.00,2,4910000.00,44420100.00,\
3,4910100.00,44420100.00,4,4910100.00,44420000.00，开采标高：+420m至+300m\n";
    let r = clean_square(t);
    let e = r.blocks[0].rings[0].elevation.unwrap();
    assert_eq!((e.top_m, e.bottom_m), (420.0, 300.0));
}

#[test]
fn stated_figures_in_the_other_ways_notices_write_them() {
    let rows = square_rows(["J1", "J2", "J3", "J4"], " ");
    for (line, km2) in [
        ("矿区面积：0.5000Km²", 0.5),
        ("矿区面积0.5000 KM2", 0.5),
        ("矿区面积：0.5000k㎡", 0.5),
        ("矿区面积（平方公里）：0.5000", 0.5),
        ("矿区面积(km²)：0.5000", 0.5),
        ("矿区面积：0.5000（平方公里）", 0.5),
        ("面　积：0.5000平方公里", 0.5),
    ] {
        let r = parse_str(
            &format!("2000国家大地坐标系，{line}\n{rows}"),
            &ParseOptions::default(),
        );
        assert_eq!(r.stated.areas.len(), 1, "{line}");
        assert_eq!(r.stated.areas[0].km2, km2, "{line}");
        assert!(
            kinds(&r).contains(&ProblemKind::StatedFigureMismatch),
            "{line}"
        );
    }
    for line in ["由5个界址点圈定", "共5个坐标点", "拐点5个", "拐点数：5"] {
        let r = parse_str(
            &format!("2000国家大地坐标系，{line}\n{rows}"),
            &ParseOptions::default(),
        );
        assert_eq!(r.stated.point_counts.len(), 1, "{line}");
        assert_eq!(r.stated.point_counts[0].points, 5, "{line}");
        assert!(r.has_errors(), "{line}");
    }
}

#[test]
fn each_part_is_checked_against_its_own_block_and_every_whole_figure_counts() {
    let small = square_rows(["1", "2", "3", "4"], " ");
    // A 100 m × 200 m block: 0.0200 km².
    let big = "1 4911000.00 44420000.00\n2 4911000.00 44420200.00\n3 4911100.00 44420200.00\n\
4 4911100.00 44420000.00\n";
    let t = |a: &str, b: &str| {
        format!(
            "2000国家大地坐标系\n一号矿段（由4个拐点圈定，面积{a}平方公里）\n{small}二号矿段（由4个拐点圈定，面积{b}平方公里）\n{big}"
        )
    };
    let r = parse_str(&t("0.0100", "0.0200"), &ParseOptions::default());
    assert!(!r.has_errors(), "{:#?}", r.problems);
    let names: Vec<&str> = r.blocks.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["一号矿段", "二号矿段"]);
    assert!(
        r.stated
            .areas
            .iter()
            .all(|a| a.agreement == Some(Agreement::Matches))
    );
    let r = parse_str(&t("0.0200", "0.0100"), &ParseOptions::default());
    let bad: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::StatedFigureMismatch && p.severity == Severity::Error)
        .filter_map(|p| p.ring.as_deref())
        .collect();
    assert_eq!(bad, ["一号矿段", "二号矿段"], "{:#?}", r.problems);

    // A wrong figure beside a right one about the whole: an error, not a pass.
    let r = parse_str(
        &format!("2000国家大地坐标系\n矿区面积0.0100平方公里\n出让面积0.5000平方公里\n{small}"),
        &ParseOptions::default(),
    );
    let bad: Vec<_> = r
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::StatedFigureMismatch)
        .collect();
    assert_eq!(bad.len(), 1, "{:#?}", r.problems);
    assert_eq!(bad[0].line, Some(3));
    // A part nobody can find among the blocks: said, not judged.
    let r = parse_str(
        &format!("2000国家大地坐标系，其中三号矿段面积0.0100平方公里\n{small}"),
        &ParseOptions::default(),
    );
    let p = r
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::StatedFigureMismatch)
        .expect("said");
    assert_eq!(p.severity, Severity::Warning);
    assert!(p.message.contains("没有“三号矿段”"), "{}", p.message);
}

#[test]
fn numbers_in_prose_are_not_corners_and_partial_readings_are_not_judged() {
    let rows = square_rows(["J1", "J2", "J3", "J4"], " ");
    let t = format!(
        "来源：https://www.linhai.gov.cn/art/2017/3/31/art_1476008_17125191.html\n2000国家大地坐标系\n{rows}联系电话：3921234\n"
    );
    clean_square(&t);
    // Two points masked: the area of the other two cannot judge the stated figure.
    let masked =
        rows.replacen("4910000.00", "49**000.00", 1)
            .replacen("44420100.00", "444201**.00", 1);
    let r = parse_str(
        &format!("2000国家大地坐标系，矿区面积0.0100平方公里\n{masked}"),
        &ParseOptions::default(),
    );
    assert_eq!(r.stated.areas[0].agreement, Some(Agreement::NotComparable));
    let p = r
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::StatedFigureMismatch)
        .unwrap();
    assert_eq!(p.severity, Severity::Warning);
    assert!(p.message.contains("有拐点未能读取"), "{}", p.message);
}

#[test]
fn a_stated_area_split_over_two_lines_is_read() {
    let t = "2000国家大地坐标系\n\n拐点号\n\nX\n\nY\n\nJ1\n\n4910000.00\n\n44420000.00\n\nJ2\n\n4910000.00\n\n44420100.00\n\n\
J3\n\n4910100.00\n\n44420100.00\n\nJ4\n\n4910100.00\n\n44420000.00\n\n矿区面积\n\n0.0200平方公里\n";
    let r = parse_str(t, &ParseOptions::default());
    assert_eq!(r.stated.areas.len(), 1, "{:#?}", r.stated);
    assert_eq!(r.stated.areas[0].km2, 0.02);
    assert_eq!(r.stated.areas[0].agreement, Some(Agreement::Mismatch));
}

#[test]
fn notices_as_republished_with_masks_and_flattened_lines() {
    // A masked list number `*、` is prose, not an MNR ring terminator; the stated datum holds.
    let t = "*、矿区范围:矿区范围由**个拐点圈定,矿区面积*.****平方公里,开采深度自+**.**米至+*.*米\n\
矿区范围坐标表(1980西安坐标系)\n1 4910000.00 44420000.00\n2 4910000.00 44420100.00\n3 4910100.00 44420100.00\n";
    let r = parse_str(t, &ParseOptions::default());
    assert_eq!(r.layout, Layout::PlaneTable);
    assert_eq!(r.datum, Some(Datum::Xian1980));
    // Masked angles: each point named, a shell and the hole under 扣除.
    let t = "2000国家大地坐标系\n| 拐点 | 经度 | 纬度 |\nⅠ | * ° * ′ * ″ | * ° * ′ * ″ |\nⅡ | * ° * ′ * ″ | * ° * ′ * ″ |\n\
Ⅲ | * ° * ′ * ″ | * ° * ′ * ″ |\n扣除以下范围\n(1) | * ° * ′ * ″ | * ° * ′ * ″ |\n(2) | * ° * ′ * ″ | * ° * ′ * ″ |\n\
(3) | * ° * ′ * ″ | * ° * ′ * ″ |\n";
    let r = parse_str(t, &ParseOptions::default());
    assert!(r.geographic);
    let masked = r
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::JunkInNumber && p.message.contains("被遮盖"))
        .count();
    assert_eq!(masked, 6, "{:#?}", r.problems);
    assert!(!r.problems.iter().any(|p| p.kind == ProblemKind::NoPoints));
    // Circled labels glued to their numbers, two points per line.
    let t = "拐点坐标(北京54坐标系)\n①4175560.92 40592990.79 ②4175885.52 40594443.20\n\
③4175000.00 40594443.20 ④4175000.00 40592990.79\n";
    let r = parse_str(t, &ParseOptions::default());
    assert_eq!(labels(&r), vec![s(&["①", "②", "③", "④"])]);
    assert_eq!(r.datum, Some(Datum::Beijing1954));
    // Prose and the table on one flattened line: the prose is no block name, its 开采标高 is
    // the ring's.
    let t = "(四)矿区范围:主要由4个拐点圈定,矿区开采标高自 119.89米至 83.0米,坐标(2000国家大地坐标系) 拐点号 X Y 1 4910000.00 44420000.00 \
2 4910000.00 44420100.00 3 4910100.00 44420100.00 4 4910100.00 44420000.00\n";
    let r = clean_square(t);
    assert_eq!(r.blocks[0].name, "第1块");
    let e = r.blocks[0].rings[0].elevation.unwrap();
    assert_eq!((e.top_m, e.bottom_m), (119.89, 83.0));
}

#[test]
fn parts_named_with_and_without_their_part_word_and_areas_in_ten_thousand_m2() {
    let rows = square_rows(["J1", "J2", "J3", "J4"], " ");
    let t = format!(
        "2000国家大地坐标系\n矿段 点号 X Y\n{}一矿段面积1.00万m2，开采标高+77.00~+9.50m。\n",
        rows.lines()
            .map(|l| format!("一 {l}\n"))
            .collect::<String>()
    );
    let r = parse_str(&t, &ParseOptions::default());
    let a = &r.stated.areas[0];
    assert_eq!((a.block.as_deref(), a.km2), (Some("一"), 0.01));
    // 1.00万m² is ±50 m²: 9 998.43 m² (ellipsoidal) agrees.
    assert_eq!(a.agreement, Some(Agreement::Matches), "{:#?}", r.problems);
}
