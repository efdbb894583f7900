//! The map figure: projection, equal scale, colours where the geometry says they must be.

mod common;

use common::{decode_png, failing, geothermal, passing, plan};
use geo::{Coord, InteriorPoint, LineString, MultiPolygon, Polygon};
use minplan_report::{
    BLOCK_LINE, ConflictKind, EXPLORATION_LINE, PRINT_WIDTH_M, Swatch, review_map, review_map_png,
    review_map_svg,
};

/// The mean of the application's exterior-ring vertices, lon/lat.
fn centre(review: &minplan_domain::review::ConformityReview) -> (f64, f64) {
    let ring = &review.application_geometry[0][0];
    let pts = &ring[..ring.len() - 1];
    let n = pts.len() as f64;
    (
        pts.iter().map(|p| p[0]).sum::<f64>() / n,
        pts.iter().map(|p| p[1]).sum::<f64>() / n,
    )
}

#[test]
fn the_application_centre_is_filled_and_framed_at_equal_scale() {
    let review = passing();
    let map = review_map(review, plan(), 1200).unwrap();
    assert_eq!((map.width_px(), map.height_px()), (1200, 900));
    let img = decode_png(&map.png().unwrap());
    assert_eq!((img.width, img.height), (1200, 900));

    // The application's centre lands in the middle of the map area, painted with its fill.
    let (lon, lat) = centre(review);
    let (x, y) = map.pixel_of(lon, lat);
    let (x0, y0, x1, y1) = map.map_area_px();
    let (mx, my) = (f64::from(x0 + x1) / 2.0, f64::from(y0 + y1) / 2.0);
    assert!((x - mx).abs() < 2.0 && (y - my).abs() < 2.0, "({x}, {y})");
    let Swatch::Area { fill, line } = map.legend()[0].swatch else {
        panic!(
            "the first legend entry is the application: {:?}",
            map.legend()
        );
    };
    assert!(map.legend()[0].label.starts_with("申请范围"));
    assert_eq!(img.rgb(x as u32, y as u32), fill);
    // Its bold outline is drawn.
    assert!(img.count(line) > 500, "outline pixels");

    // Equal scale: 100 m east and 100 m north of the centre are the same number of pixels
    // away (the projection's plane, not degrees).
    let tm = map.zone().projection();
    let (e, n) = tm.forward(lon, lat);
    let (lon_e, lat_e) = tm.inverse(e + 100.0, n);
    let (lon_n, lat_n) = tm.inverse(e, n + 100.0);
    let (xe, ye) = map.pixel_of(lon_e, lat_e);
    let (xn, yn) = map.pixel_of(lon_n, lat_n);
    let dx = ((xe - x).powi(2) + (ye - y).powi(2)).sqrt();
    let dy = ((xn - x).powi(2) + (yn - y).powi(2)).sqrt();
    assert!((dx - dy).abs() < 1e-6, "{dx} vs {dy}");
    assert!((dx - 100.0 / map.metres_per_pixel()).abs() < 1e-6);
    // North is up: a point north has a smaller y.
    assert!(yn < y && (xn - x).abs() < 1e-6);

    // The block it sits on is listed, schematic, and the figure says so.
    assert!(
        map.blocks()
            .iter()
            .any(|b| b.number == "231081-C05" && b.schematic)
    );
    assert!(map.schematic());
    // A 1-2-5 scale bar not longer than a quarter of the frame.
    let s = map.scale_bar_m();
    let frame_m = map.metres_per_pixel() * f64::from(x1 - x0);
    assert!(s <= frame_m / 4.0 && s > frame_m / 10.0, "{s} of {frame_m}");
    let mantissa = s / 10f64.powf(s.log10().floor());
    assert!(
        [1.0, 2.0, 5.0].iter().any(|m| (mantissa - m).abs() < 1e-9),
        "{s}"
    );
}

#[test]
fn the_red_line_conflict_is_green_inside_and_the_scale_bar_is_black() {
    let review = failing();
    let map = review_map(review, plan(), 1600).unwrap();
    let img = decode_png(&map.png().unwrap());
    let part = &review.rule("R8").unwrap().conflicts[0];
    // An interior point of the conflicting part (in the Gauss plane, so "interior" holds
    // after projection), mapped to its pixel.
    let tm = map.zone().projection();
    let polys: Vec<Polygon<f64>> = part
        .geometry
        .lonlat()
        .iter()
        .map(|p| {
            let ring = |r: &Vec<[f64; 2]>| {
                LineString(
                    r.iter()
                        .map(|q| {
                            let (x, y) = tm.forward(q[0], q[1]);
                            Coord { x, y }
                        })
                        .collect(),
                )
            };
            Polygon::new(ring(&p[0]), p[1..].iter().map(ring).collect())
        })
        .collect();
    let ip = MultiPolygon(polys).interior_point().unwrap();
    let (lon, lat) = tm.inverse(ip.x(), ip.y());
    let (x, y) = map.pixel_of(lon, lat);
    let green = ConflictKind::EcologicalRedLine.colour();
    assert_eq!(
        img.rgb(x.round() as u32, y.round() as u32),
        green,
        "at ({x}, {y})"
    );
    // The legend names what is drawn.
    assert!(
        map.legend().iter().any(
            |e| e.swatch == Swatch::Fill { fill: green } && e.label == "与生态保护红线重叠部分"
        )
    );
    assert!(
        map.legend()
            .iter()
            .any(|e| e.label.starts_with("生态保护红线范围"))
    );
    // The application's centre is a vertex of the red line: the part covers a share of the
    // square equal to its percentage (±1 %), counted in pixels.
    let (lon0, lat0) = centre(review);
    let (cx, cy) = map.pixel_of(lon0, lat0);
    let side_px = 200.0 / map.metres_per_pixel();
    let mut inside = 0usize;
    let mut total = 0usize;
    let half = (side_px / 2.0 - 4.0) as i64;
    for dy in -half..=half {
        for dx in -half..=half {
            total += 1;
            if img.rgb((cx as i64 + dx) as u32, (cy as i64 + dy) as u32) == green {
                inside += 1;
            }
        }
    }
    let share = inside as f64 / total as f64 * 100.0;
    assert!(
        (share - part.percent_of_application).abs() < 1.5,
        "{share} % of pixels vs {} %",
        part.percent_of_application
    );
    // Scale bar: solid black pixels exist near the bottom left.
    let black = (0..img.height)
        .flat_map(|y| (0..img.width / 3).map(move |x| (x, y)))
        .filter(|&(x, y)| y > img.height * 3 / 4 && img.rgb(x, y) == [0, 0, 0])
        .count();
    assert!(black > 200, "{black}");
}

#[test]
fn png_and_svg_entry_points() {
    let png = review_map_png(failing(), plan(), 400).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let svg = review_map_svg(failing(), plan(), 400).unwrap();
    assert!(
        svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"300\"")
    );
    assert!(svg.ends_with("</svg>"));
    assert!(svg.contains("申请范围示意图（示意）"));
    assert!(
        svg.contains(r##"fill="#1E9E4A""##),
        "red-line conflict colour"
    );
    let pass = review_map_svg(passing(), plan(), 400).unwrap();
    assert!(pass.contains("stroke-dasharray"), "dashed block");
    assert!(!pass.contains(r##"fill="#1E9E4A""##));
    assert!(svg.contains("1:"), "stated scale in the title");
    assert!(review_map_png(failing(), plan(), 100).is_err());
}

#[test]
fn a_small_application_inside_a_large_feature_is_covered_by_it() {
    use common::{en, quarry, run, square};
    // 40 m square in the middle of the first red-line feature's bounding box interior: the
    // feature reaches tens of thousands of pixels beyond the frame.
    let layer = plan()
        .control_layer(minplan_domain::plan::ControlLayerKind::EcologicalRedLine)
        .unwrap();
    let ring = &layer.features[0].geometry[0][0];
    let p = geo::Polygon::new(
        LineString(
            ring.iter()
                .map(|q| {
                    let (x, y) = en(q[0], q[1]);
                    Coord { x, y }
                })
                .collect(),
        ),
        vec![],
    );
    let c = p.interior_point().unwrap();
    let review = run(&quarry(&square((c.x(), c.y()), 20.0)));
    let r8 = review.rule("R8").unwrap();
    assert!((r8.conflicts[0].percent_of_application - 100.0).abs() < 1e-6);
    let map = review_map(&review, plan(), 1600).unwrap();
    let img = decode_png(&map.png().unwrap());
    let (lon, lat) = centre(&review);
    let (x, y) = map.pixel_of(lon, lat);
    let green = ConflictKind::EcologicalRedLine.colour();
    assert_eq!(img.rgb(x as u32, y as u32), green);
    // Outside the application, the red line's tint covers the frame's corners too.
    let tint = map
        .legend()
        .iter()
        .find_map(|e| match e.swatch {
            Swatch::Tint { fill, .. } if e.label.starts_with("生态保护红线") => Some(fill),
            _ => None,
        })
        .expect("the red line's tint in the legend");
    let near = |p: [u8; 3]| p.iter().zip(tint).all(|(a, b)| a.abs_diff(b) <= 2);
    let (x0, y0, x1, y1) = map.map_area_px();
    let (x0, y0, x1, y1) = (x0 as u32 + 5, y0 as u32 + 5, x1 as u32 - 5, y1 as u32 - 5);
    for (x, y) in [(x0, y0), (x1, y1)] {
        assert!(
            near(img.rgb(x, y)),
            "corner ({x}, {y}): {:?} vs {tint:?}",
            img.rgb(x, y)
        );
    }
}

/// Every example figure renders at the DOCX's width (the PNG, read back by the `png` crate, is
/// 1600 px wide), draws a kilometre grid on both axes and a scale the SVG states; the figures
/// are kept under the target's tmp dir (`minplan-figures/`) for a person to look at.
#[test]
fn every_example_figure_renders_with_its_grid_and_stated_scale() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("minplan-figures");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, r) in [
        ("passing", passing()),
        ("failing", failing()),
        ("geothermal", geothermal()),
        ("shifted", common::shifted()),
        (
            "brick-clay",
            &common::example("05-brick-clay-on-farmland.toml", "05-brick-clay.txt"),
        ),
        (
            "rail-corridor",
            &common::example(
                "04-stone-in-rail-corridor.toml",
                "04-stone-in-rail-corridor.txt",
            ),
        ),
    ] {
        let m = review_map(r, plan(), 1600).unwrap();
        let png = m.png().unwrap();
        let svg = m.svg();
        assert_eq!(common::decode_png(&png).width, 1600, "{name}");
        assert!(
            !m.grid().eastings.is_empty() && !m.grid().northings.is_empty(),
            "{name}: {:?}",
            m.grid()
        );
        assert!(svg.contains(&m.scale_text()), "{name}: {}", m.scale_text());
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
        std::fs::write(dir.join(format!("{name}.svg")), svg).unwrap();
    }
}

/// Whether a lon/lat point falls inside the figure's map area.
fn inside(map: &minplan_report::ReviewMap, lon: f64, lat: f64) -> bool {
    let (x, y) = map.pixel_of(lon, lat);
    let (x0, y0, x1, y1) = map.map_area_px();
    x >= f64::from(x0) && x <= f64::from(x1) && y >= f64::from(y0) && y <= f64::from(y1)
}

#[test]
fn the_geothermal_figure_shows_the_whole_block_it_is_reviewed_against() {
    let review = geothermal();
    assert_eq!(review.conclusion.label(), "基本符合（需人工核查）");
    let map = review_map(review, plan(), 1600).unwrap();
    // R2 cites block 231081-C01: every vertex of it is inside the map area.
    assert_eq!(map.cited_blocks(), ["231081-C01".to_string()]);
    let block = plan()
        .blocks
        .iter()
        .find(|b| b.number == "231081-C01")
        .unwrap();
    for p in block.geometry.iter().flatten().flatten() {
        assert!(
            inside(&map, p[0], p[1]),
            "block vertex {p:?} outside the frame"
        );
    }
    // Exploration block K01 has the same outline: both are drawn, told apart, labelled.
    let labels: Vec<&str> = map.labels().iter().map(|l| l.text.as_str()).collect();
    for l in ["231081-C01", "231081-K01", "1", "2", "3", "4"] {
        assert!(labels.contains(&l), "label {l} in {labels:?}");
    }
    assert!(
        map.legend()
            .iter()
            .any(|e| e.swatch == Swatch::Dashed { line: BLOCK_LINE }
                && e.label.starts_with("开采规划区块"))
    );
    assert!(map.legend().iter().any(|e| e.swatch
        == Swatch::Dotted {
            line: EXPLORATION_LINE
        }
        && e.label.starts_with("勘查规划区块")));
    let img = decode_png(&map.png().unwrap());
    assert!(img.count(BLOCK_LINE) > 300, "mining block outline drawn");
    assert!(
        img.count(EXPLORATION_LINE) > 100,
        "exploration block outline drawn"
    );
    // The block is not a speck: it spans more than half the map area's height.
    let ys: Vec<f64> = block.geometry[0][0]
        .iter()
        .map(|p| map.pixel_of(p[0], p[1]).1)
        .collect();
    let span =
        ys.iter().cloned().fold(f64::MIN, f64::max) - ys.iter().cloned().fold(f64::MAX, f64::min);
    let (_, y0, _, y1) = map.map_area_px();
    assert!(span > f64::from(y1 - y0) / 2.0, "{span}");
}

#[test]
fn grid_scale_bar_and_stated_scale_of_the_geothermal_figure() {
    let map = review_map(geothermal(), plan(), 1600).unwrap();
    // Stated scale: 1:N at 15 cm printed width, N round, and the pixel size follows from it.
    assert_eq!(map.scale_denominator(), 60_000.0);
    assert_eq!(map.scale_text(), "1:60 000");
    assert!((map.metres_per_pixel() - 60_000.0 * PRINT_WIDTH_M / 1600.0).abs() < 1e-9);
    // Scale bar: 2 km, figures 0, 1 and 2 km.
    assert_eq!(map.scale_bar_m(), 2000.0);
    assert_eq!(
        map.scale_bar_figures(),
        &["0".to_string(), "1".into(), "2 km".into()]
    );
    // The kilometre grid: 1 km lines, eastings with the zone prefix 44, first in full.
    let g = map.grid();
    assert_eq!(g.interval_m, 1000.0);
    let e: Vec<&str> = g.eastings.iter().map(|t| t.label.as_str()).collect();
    let n: Vec<&str> = g.northings.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(e, ["44420", "21", "22", "23", "24", "25", "26", "27"]);
    assert_eq!(n, ["4910", "11", "12", "13", "14", "15"]);
    assert_eq!(g.eastings[0].value_m, 44_420_000.0);
    // The application's corner 1 (X 4912307.44, Y 44422686.11) lies between the 22 and 23
    // eastings and the 12 and 13 northings.
    let z = minplan_geo::GaussKrugerZone::three_degree(44, true).unwrap();
    let (lon, lat) = z.to_lonlat(4_912_307.44, 44_422_686.11);
    let (x, y) = map.pixel_of(lon, lat);
    let tick_x = |v: f64| {
        let (l, b) = z.to_lonlat(4_912_000.0, v);
        map.pixel_of(l, b).0
    };
    assert!(tick_x(44_422_000.0) < x && x < tick_x(44_423_000.0));
    let label = map.labels().iter().find(|l| l.text == "1").unwrap();
    assert!((f64::from(label.at.0) - x).abs() < 60.0 && (f64::from(label.at.1) - y).abs() < 60.0);
}

#[test]
fn the_conflicting_farmland_feature_is_framed_around_the_overlap() {
    use common::{quarry, run, straddling};
    use minplan_domain::plan::ControlLayerKind;
    let review = run(&quarry(&straddling(
        ControlLayerKind::PermanentBasicFarmland,
    )));
    let r9 = review.rule("R9").unwrap();
    let part = r9
        .conflicts
        .iter()
        .find(|c| c.area_m2 > 0.0)
        .expect("an overlap");
    let map = review_map(&review, plan(), 1600).unwrap();
    // The feature's vertices near the application (within the clipping window: 250 m or
    // 1.5 × the 200 m side beyond the application) are all in the frame.
    let feature = plan()
        .control_layer(ControlLayerKind::PermanentBasicFarmland)
        .unwrap()
        .features
        .iter()
        .find(|f| f.id == part.feature_id)
        .unwrap();
    let tm = map.zone().projection();
    let app: Vec<(f64, f64)> = review.application_geometry[0][0]
        .iter()
        .map(|p| tm.forward(p[0], p[1]))
        .collect();
    let (ae0, an0) = app
        .iter()
        .fold((f64::MAX, f64::MAX), |a, p| (a.0.min(p.0), a.1.min(p.1)));
    let (ae1, an1) = app
        .iter()
        .fold((f64::MIN, f64::MIN), |a, p| (a.0.max(p.0), a.1.max(p.1)));
    let mut near = 0;
    for p in feature.geometry.iter().flatten().flatten() {
        let (e, n) = tm.forward(p[0], p[1]);
        if e > ae0 - 300.0 && e < ae1 + 300.0 && n > an0 - 300.0 && n < an1 + 300.0 {
            near += 1;
            assert!(
                inside(&map, p[0], p[1]),
                "feature vertex {p:?} near the application is outside the frame"
            );
        }
    }
    assert!(near > 0);
    // The overlap is yellow and the farmland's tint shows beside it.
    let img = decode_png(&map.png().unwrap());
    assert!(img.count(ConflictKind::PermanentBasicFarmland.colour()) > 500);
    assert!(
        map.legend()
            .iter()
            .any(|e| e.label.starts_with("永久基本农田范围"))
    );
}

#[test]
fn the_rail_corridor_figure_keeps_its_grid_labels_inside_the_margin() {
    // 250 m grid: northings such as 4917.25 are the longest labels.
    let review = common::example(
        "04-stone-in-rail-corridor.toml",
        "04-stone-in-rail-corridor.txt",
    );
    let map = review_map(&review, plan(), 1600).unwrap();
    assert_eq!(map.grid().interval_m, 250.0);
    assert!(map.grid().northings[0].label.contains('.'));
    let img = decode_png(&map.png().unwrap());
    // The left column of the image stays white: no label runs off the edge.
    for y in 0..img.height {
        assert_eq!(img.rgb(0, y), [255, 255, 255], "row {y}");
        assert_eq!(img.rgb(1, y), [255, 255, 255], "row {y}");
    }
}
