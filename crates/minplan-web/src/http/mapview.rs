//! What a page with a map tells `assets/map.js`: the plan's Gauss–Krüger zone (the map's
//! projection; coordinates shown as X/Y with the zone prefix and as lon/lat), the optional
//! base-map tile URL, the layers (each a URL of the JSON API or inline GeoJSON, with a style
//! name), and page data (the corner check of 申请受理). Everything goes into `data-`
//! attributes of the map element, HTML-escaped by the template: no inline script, so the
//! Content-Security-Policy stays `script-src 'self'`.

use crate::AppState;
use crate::http::auth::{Permission, allowed};
use minplan_domain::plan::{ControlLayerKind, Plan};
use minplan_store::{ReviewEngine, User};
use serde_json::{Value, json};

/// The map element's settings.
#[derive(Debug, Clone)]
pub struct MapView {
    /// Central meridian of the plan's zone, degrees.
    pub cm: String,
    /// Zone number.
    pub zone: u8,
    /// Zone width: 3 or 6 (degrees).
    pub zone_width: u8,
    /// EPSG code of the zone without prefix (the map's projection).
    pub epsg_plain: u32,
    /// EPSG code of the zone with prefix (how Chinese tables write Y).
    pub epsg_prefixed: u32,
    /// A line for under the map.
    pub label: String,
    /// Base-map tile URL template; empty: no tiles (offline).
    pub tile_url: String,
    /// The layers, JSON: `[{id, name, url | geojson, style, visible, fit}]`.
    pub layers: String,
    /// Page data for the page's script, JSON (`null` when none).
    pub data: String,
    /// Whether the measure tool is offered.
    pub measure: bool,
    /// The box the view fits first, JSON `[west, south, east, north]` (CGCS2000 degrees);
    /// empty: fit the layers marked `fit`. The review page sets it to the figure's frame
    /// ([`review_figure`]): the application and every feature its rules cite.
    pub fit: String,
    /// The page's title for the printed map (`打印地图`).
    pub title: String,
}

/// The review's figure for the web page: the same drawing as the 审查意见书's (one renderer,
/// `minplan_report::review_map`), as inline SVG, with its legend and stated scale.
#[derive(Debug, Clone, Default)]
pub struct FigureView {
    /// The SVG document (generated shapes only; no user text inside), or empty when the
    /// figure could not be drawn.
    pub svg: String,
    /// Why there is no figure (Chinese), when `svg` is empty.
    pub error: String,
    /// Legend: (CSS for the swatch, label).
    pub legend: Vec<(String, String)>,
    /// `1:N` at the DOCX's 15 cm printed width, and the scale bar.
    pub scale: String,
    /// Blocks shown: `编号 名称（类型）`.
    pub blocks: Vec<String>,
    /// The figure's frame, JSON `[west, south, east, north]` degrees (for [`MapView::fit`]).
    pub fit: String,
    /// Whether the figure carries schematic data (示意).
    pub schematic: bool,
}

/// The figure of `review` on `plan` at 1200 pixels wide (see [`FigureView`]); a figure that
/// cannot be drawn says why instead.
pub fn review_figure(review: &minplan_domain::review::ConformityReview, plan: &Plan) -> FigureView {
    use minplan_report::Swatch;
    let map = match minplan_report::review_map(review, plan, 1200) {
        Ok(m) => m,
        Err(e) => {
            return FigureView {
                error: format!("无法绘制范围示意图：{e}"),
                ..FigureView::default()
            };
        }
    };
    let hex = |c: [u8; 3]| format!("#{:02X}{:02X}{:02X}", c[0], c[1], c[2]);
    let legend = map
        .legend()
        .iter()
        .map(|e| {
            let css = match e.swatch {
                Swatch::Area { fill, line } => {
                    format!("background:{};border:3px solid {}", hex(fill), hex(line))
                }
                Swatch::Dashed { line } => format!("border:2px dashed {}", hex(line)),
                Swatch::Dotted { line } => format!("border:3px dotted {}", hex(line)),
                Swatch::Fill { fill } => format!("background:{}", hex(fill)),
                Swatch::Tint { fill, line } => {
                    format!("background:{};border:1px solid {}", hex(fill), hex(line))
                }
            };
            (css, e.label.clone())
        })
        .collect();
    let f = map.frame_lonlat();
    FigureView {
        svg: map.svg(),
        error: String::new(),
        legend,
        scale: format!(
            "比例尺 {}（按图宽 15 厘米打印，与审查意见书一致）；比例尺全长 {} 米。坐标系 {}，公里网注记为千米数。",
            map.scale_text(),
            minplan_domain::citation::format_number(map.scale_bar_m()),
            map.zone().with_prefix(true)
        ),
        blocks: map
            .blocks()
            .iter()
            .map(|b| {
                format!(
                    "{} {}（{}{}）",
                    b.number,
                    b.name,
                    b.kind,
                    if b.schematic { "，示意" } else { "" }
                )
            })
            .collect(),
        fit: format!("[{:.6},{:.6},{:.6},{:.6}]", f[0], f[1], f[2], f[3]),
        schematic: map.schematic(),
    }
}

/// A layer from a URL of the API.
pub fn url_layer(id: &str, name: &str, url: &str, style: &str) -> Value {
    json!({ "id": id, "name": name, "url": url, "style": style, "visible": true, "fit": false })
}

/// A layer given inline as a GeoJSON FeatureCollection.
pub fn inline_layer(id: &str, name: &str, geojson: Value, style: &str, fit: bool) -> Value {
    json!({ "id": id, "name": name, "geojson": geojson, "style": style, "visible": true, "fit": fit })
}

/// The plan's public layers: county outline (the map fits it), the bundle's control layers,
/// the planning blocks.
pub fn plan_layers(plan: &Plan) -> Vec<Value> {
    let mut out = vec![json!({
        "id": "outline", "name": "行政区范围", "url": "/api/plan/outline",
        "style": "outline", "visible": true, "fit": true,
    })];
    for l in &plan.control_layers {
        out.push(url_layer(
            l.kind.slug(),
            l.kind.label(),
            &format!("/api/plan/layers/{}", l.kind.slug()),
            l.kind.slug(),
        ));
    }
    out.push(url_layer(
        "blocks",
        "规划区块",
        "/api/plan/blocks",
        "blocks",
    ));
    out
}

/// The layers reviews read, as `user` may see them: outline, each control layer in use (an
/// imported version when there is one — staff only —, else the bundle's), the planning
/// blocks and the register (rights and pending applications; a 矿山企业 sees its own only).
pub fn review_layers(engine: &ReviewEngine, user: &User) -> Vec<Value> {
    let plan = &engine.plan.loaded.plan;
    let mut out = vec![json!({
        "id": "outline", "name": "行政区范围", "url": "/api/plan/outline",
        "style": "outline", "visible": true, "fit": true,
    })];
    let staff = allowed(Some(user.role), Permission::ViewLayers);
    for kind in ControlLayerKind::ALL {
        match engine.layer_versions.get(kind.slug()) {
            Some(id) if staff => out.push(url_layer(
                kind.slug(),
                &format!("{}（导入 #{id}）", kind.label()),
                &format!("/api/layers/{id}?format=geojson"),
                kind.slug(),
            )),
            Some(_) => {}
            None if plan.control_layer(kind).is_some() => out.push(url_layer(
                kind.slug(),
                kind.label(),
                &format!("/api/plan/layers/{}", kind.slug()),
                kind.slug(),
            )),
            None => {}
        }
    }
    out.push(url_layer(
        "blocks",
        "规划区块",
        "/api/plan/blocks",
        "blocks",
    ));
    out.push(url_layer(
        "register",
        "矿业权与在审申请",
        "/api/rights?format=geojson",
        "rights",
    ));
    out
}

/// The map settings of a page.
pub fn map_view(st: &AppState, plan: &Plan, layers: Vec<Value>, data: Value) -> MapView {
    let z = plan.region.zone;
    MapView {
        cm: crate::http::views::num(z.central_meridian()),
        zone: z.zone,
        zone_width: match z.width {
            minplan_geo::ZoneWidth::Three => 3,
            minplan_geo::ZoneWidth::Six => 6,
        },
        epsg_plain: z.with_prefix(false).epsg(),
        epsg_prefixed: z.with_prefix(true).epsg(),
        label: format!(
            "地图投影：{}；坐标显示 X（北）/Y（东，含带号）与经纬度",
            z.with_prefix(true)
        ),
        tile_url: st.config().tile_url.clone().unwrap_or_default(),
        layers: Value::Array(layers).to_string(),
        data: data.to_string(),
        measure: true,
        fit: String::new(),
        title: String::new(),
    }
}

/// GeoJSON `Feature` of lon/lat polygons (`MultiPolygon`).
pub fn feature(polygons: &Value, properties: Value) -> Value {
    json!({
        "type": "Feature",
        "properties": properties,
        "geometry": { "type": "MultiPolygon", "coordinates": polygons },
    })
}

/// A `FeatureCollection`.
pub fn collection(features: Vec<Value>) -> Value {
    json!({ "type": "FeatureCollection", "features": features })
}
