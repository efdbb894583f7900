//! The CLI's JSON shape (see [`super::CornerReport::to_json`]).

use super::{CornerReport, RingRole};
use serde_json::{Value, json};

fn num(v: f64) -> Value {
    if v.is_finite() { json!(v) } else { Value::Null }
}

/// First and last input line of a ring's points, or null.
fn ring_lines(ring: &super::Ring) -> Value {
    match ring.source_lines() {
        Some((a, b)) => json!([a, b]),
        None => Value::Null,
    }
}

pub(crate) fn to_json(r: &CornerReport) -> Value {
    let rings: Vec<Value> = r
        .blocks
        .iter()
        .flat_map(|b| {
            b.rings.iter().map(move |ring| {
                json!({
                    "block": b.name,
                    "name": ring.name,
                    "role": if ring.role == RingRole::Shell { "shell" } else { "hole" },
                    "points": ring.points.iter().map(|p| json!([p.label, num(p.x), num(p.y)])).collect::<Vec<_>>(),
                    "points_as_entered": ring.points.iter().map(|p| json!([p.label, p.x_text, p.y_text])).collect::<Vec<_>>(),
                    "other_pairs": ring.points.iter().filter_map(|p| p.other.as_ref().map(|o| json!({"label": p.label, "x_text": o.x_text, "y_text": o.y_text, "geographic": o.geographic, "datum": o.datum}))).collect::<Vec<_>>(),
                    "source_lines": ring.points.iter().map(|p| json!({"label": p.label, "lines": p.source_lines})).collect::<Vec<_>>(),
                    "lines": ring_lines(ring),
                    "elevation": ring.elevation.map(|e| json!({"top_m": e.top_m, "bottom_m": e.bottom_m})),
                })
            })
        })
        .collect();
    json!({
        "layout": r.layout,
        "layout_name": r.layout.label_zh(),
        "crs": r.crs.map(|c| c.epsg()),
        "crs_name": r.crs.map(|c| c.to_string()),
        "datum": r.datum,
        "zone": r.zone.map(|z| json!({"zone": z.zone, "width": z.width, "central_meridian": z.central_meridian()})),
        "notes": r.crs_basis,
        "blocks": r.blocks.iter().map(|b| json!({"name": b.name, "rings": b.rings.len()})).collect::<Vec<_>>(),
        "rings": rings,
        "problems": r.problems,
        "area_plane_m2": r.areas.as_ref().map(|a| a.plane_m2),
        "area_ellipsoidal_m2": r.areas.as_ref().map(|a| a.ellipsoidal_m2),
        "area_km2": r.areas.as_ref().map(|a| a.km2),
        "areas": r.areas,
        "region": r.region,
        "stated": r.stated,
        "has_errors": r.has_errors(),
    })
}
