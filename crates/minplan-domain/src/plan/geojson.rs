//! The plan's geometry as GeoJSON (RFC 7946): CGCS2000 longitude/latitude (EPSG:4490),
//! exterior rings counter-clockwise. Every feature says whether it is schematic (示意).

use super::{ControlLayer, LonLatPolygon, Plan};
use serde_json::{Value, json};

fn geometry(polys: &[LonLatPolygon]) -> Value {
    if polys.len() == 1 {
        json!({ "type": "Polygon", "coordinates": polys[0] })
    } else {
        json!({ "type": "MultiPolygon", "coordinates": polys })
    }
}

fn round4(v: f64) -> f64 {
    (v * 1e4).round() / 1e4
}

/// The planning blocks (规划区块) as a FeatureCollection; properties: `number`, `name`,
/// `kind` (勘查/开采), `kind_label`, `approval`, `minerals`, `category`, `area_km2`
/// (ellipsoidal, 4 dp), `stated_area_km2`, `schematic`/`示意`, `cite`, `note`.
pub fn blocks(p: &Plan) -> Value {
    let features: Vec<Value> = p
        .blocks
        .iter()
        .map(|b| {
            json!({
                "type": "Feature",
                "id": b.number,
                "properties": {
                    "layer": "规划区块",
                    "number": b.number, "name": b.name, "kind": b.kind, "kind_label": b.kind.label(),
                    "approval": b.approval.label(), "minerals": b.minerals, "category": b.category,
                    "area_km2": round4(b.area_km2),
                    "stated_area_km2": b.stated_area_km2.as_ref().map(|s| s.value),
                    "schematic": b.schematic, "示意": b.schematic, "cite": p.cite_label(&b.cite), "note": b.note,
                },
                "geometry": geometry(&b.geometry),
            })
        })
        .collect();
    json!({ "type": "FeatureCollection", "name": "planning_blocks", "features": features })
}

/// The county outline as a FeatureCollection of one feature.
pub fn outline(p: &Plan) -> Value {
    let r = &p.region;
    json!({
        "type": "FeatureCollection", "name": "county",
        "features": [{
            "type": "Feature", "id": p.identity.adcode,
            "properties": { "layer": "行政区范围", "name": r.name, "schematic": r.outline_schematic, "示意": r.outline_schematic, "source": r.outline_source, "area_km2": round4(r.outline_area_km2) },
            "geometry": geometry(&r.outline),
        }]
    })
}

/// One control layer as a FeatureCollection; each feature keeps its own properties and gains
/// `layer`, `kind`, `area_km2`, `schematic`/`示意`.
pub fn control_layer(l: &ControlLayer) -> Value {
    let features: Vec<Value> = l
        .features
        .iter()
        .map(|f| {
            let mut props = f.properties.clone();
            props.insert("layer".into(), json!(l.name));
            props.insert("kind".into(), json!(l.kind.label()));
            props.insert("area_km2".into(), json!(round4(f.area_km2)));
            props.insert("schematic".into(), json!(l.schematic));
            props.insert("示意".into(), json!(l.schematic));
            json!({ "type": "Feature", "id": f.id, "properties": props, "geometry": geometry(&f.geometry) })
        })
        .collect();
    json!({ "type": "FeatureCollection", "name": l.kind.slug(), "features": features })
}

/// Every layer of the plan in one FeatureCollection (outline, control layers, blocks), each
/// feature tagged with its `layer`.
pub fn all_layers(p: &Plan) -> Value {
    let mut features = Vec::new();
    let mut take = |fc: Value| {
        if let Value::Array(fs) = fc["features"].clone() {
            features.extend(fs);
        }
    };
    take(outline(p));
    for l in &p.control_layers {
        take(control_layer(l));
    }
    take(blocks(p));
    json!({ "type": "FeatureCollection", "name": p.identity.short_name, "features": features })
}
