//! The map figure: projection, equal scale, colours where the geometry says they must be.

mod common;

use common::{decode_png, failing, passing, plan};
use geo::{Coord, InteriorPoint, LineString, MultiPolygon, Polygon};
use minplan_report::{ConflictKind, Swatch, review_map, review_map_png, review_map_svg};

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

    // The application's centre lands in the middle of the frame, painted with its fill.
    let (lon, lat) = centre(review);
    let (x, y) = map.pixel_of(lon, lat);
    assert!(
        (x - 600.0).abs() < 2.0 && (y - 450.0).abs() < 2.0,
        "({x}, {y})"
    );
    let Swatch::Area { fill, line } = map.legend()[0].swatch else {
        panic!(
            "the first legend entry is the application: {:?}",
            map.legend()
        );
    };
    assert_eq!(map.legend()[0].label, "申请范围");
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
    let frame_m = map.metres_per_pixel() * 1200.0;
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
    assert!(
        !svg.contains("stroke-dasharray"),
        "no block near the failing square"
    );
    let pass = review_map_svg(passing(), plan(), 400).unwrap();
    assert!(pass.contains("stroke-dasharray"), "dashed block");
    assert!(!pass.contains(r##"fill="#1E9E4A""##));
    assert!(svg.contains(" 米</text>"), "scale label");
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
    for (x, y) in [(5, 5), (1594, 5), (5, 1194), (1594, 1194)] {
        assert!(
            near(img.rgb(x, y)),
            "corner ({x}, {y}): {:?} vs {tint:?}",
            img.rgb(x, y)
        );
    }
}
