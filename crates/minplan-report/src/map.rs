//! The map figure of a review (范围示意图).
//!
//! What is drawn, bottom to top:
//!
//! 1. the control layers of the plan near the application (light tint, thin outline);
//! 2. the application, filled pale;
//! 3. every conflicting part of every rule, filled solid in the colour of what it conflicts
//!    with ([`ConflictKind`], drawn in that enum's order so that rights and the red line stay
//!    on top of the broader "outside the block" part);
//! 4. the application outline (bold);
//! 5. the planning blocks near the application (dashed, over the application's outline so
//!    that a block the application coincides with stays visible);
//! 6. a scale bar (bottom left) and a north arrow (top right), drawn as shapes.
//!
//! # Coordinates
//!
//! The review's geometry is CGCS2000 longitude/latitude. Everything is projected into the
//! Gauss–Krüger zone of the plan ([`Plan::region`]`.zone`, without the zone prefix) with
//! [`minplan_geo::TransverseMercator`], then scaled equally in x and y: one pixel is
//! [`ReviewMap::metres_per_pixel`] metres of the Gauss plane both ways, east to the right,
//! grid north up. The extent is the application's bounding box plus a margin of half its
//! larger side (at least 100 m), widened to a 4 : 3 frame.
//!
//! # Text
//!
//! The raster has no text: embedding a CJK font would add megabytes. The legend
//! ([`ReviewMap::legend`]), the scale-bar length ([`ReviewMap::scale_bar_m`]) and the list
//! of blocks shown ([`ReviewMap::blocks`]) are returned as data for the caller to print. The
//! SVG, read by browsers that have fonts, labels the scale bar.

use crate::ReportError;
use minplan_domain::plan::{ControlLayerKind, LonLatPolygon, Plan};
use minplan_domain::review::ConformityReview;
use minplan_geo::overlay::OverlapClass;
use minplan_geo::{GaussKrugerZone, TransverseMercator};
use std::fmt::Write as _;

/// Smallest width accepted, pixels.
pub(crate) const MIN_WIDTH_PX: u32 = 200;
/// Largest width accepted, pixels.
pub(crate) const MAX_WIDTH_PX: u32 = 8000;

/// An sRGB colour, `[r, g, b]`.
pub type Rgb = [u8; 3];

/// Outline of the application.
pub(crate) const APP_LINE: Rgb = [0x1F, 0x3A, 0x93];
/// Fill of the application.
pub(crate) const APP_FILL: Rgb = [0xDD, 0xE8, 0xF7];
/// Outline of planning blocks.
pub(crate) const BLOCK_LINE: Rgb = [0x00, 0xA0, 0xE9];
/// Opacity of the tint of control layers, 0–255.
const TINT_ALPHA: u8 = 56;

/// What a conflicting part conflicts with. The order is the drawing order (later on top).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConflictKind {
    /// The part of the application outside its planning block (R2). Orange.
    OutsideBlock,
    /// 城镇开发边界 (R10). Grey.
    UrbanDevelopmentBoundary,
    /// 三区两线可视范围 (R11). Purple.
    VisibleCorridor,
    /// 永久基本农田 (R9). Yellow.
    PermanentBasicFarmland,
    /// 生态保护红线 (R8). Green.
    EcologicalRedLine,
    /// Another mining right or pending application (R12, R3). Red.
    MiningRight,
    /// Anything else a rule reports. Magenta.
    Other,
}

impl ConflictKind {
    /// Classifies a [`ConflictPart::layer`] name as the rules write it (`生态保护红线`,
    /// `采矿权（有效）`, `超出规划区块部分`, …).
    ///
    /// ```
    /// use minplan_report::ConflictKind;
    /// assert_eq!(ConflictKind::of_layer("采矿权（有效）"), ConflictKind::MiningRight);
    /// assert_eq!(ConflictKind::of_layer("生态保护红线"), ConflictKind::EcologicalRedLine);
    /// assert_eq!(ConflictKind::MiningRight.colour(), [0xD6, 0x1F, 0x1F]);
    /// ```
    ///
    /// [`ConflictPart::layer`]: minplan_domain::review::ConflictPart::layer
    pub fn of_layer(layer: &str) -> ConflictKind {
        if layer.contains("超出规划区块") {
            ConflictKind::OutsideBlock
        } else if layer.contains(ControlLayerKind::EcologicalRedLine.label()) {
            ConflictKind::EcologicalRedLine
        } else if layer.contains(ControlLayerKind::PermanentBasicFarmland.label()) {
            ConflictKind::PermanentBasicFarmland
        } else if layer.contains(ControlLayerKind::UrbanDevelopmentBoundary.label()) {
            ConflictKind::UrbanDevelopmentBoundary
        } else if layer.contains("三区两线") {
            ConflictKind::VisibleCorridor
        } else if layer.contains("矿业权")
            || layer.starts_with("采矿权")
            || layer.starts_with("探矿权")
        {
            ConflictKind::MiningRight
        } else {
            ConflictKind::Other
        }
    }

    /// The kind for a control layer.
    pub fn of_control(kind: ControlLayerKind) -> ConflictKind {
        match kind {
            ControlLayerKind::EcologicalRedLine => ConflictKind::EcologicalRedLine,
            ControlLayerKind::PermanentBasicFarmland => ConflictKind::PermanentBasicFarmland,
            ControlLayerKind::UrbanDevelopmentBoundary => ConflictKind::UrbanDevelopmentBoundary,
            ControlLayerKind::VisibleCorridor => ConflictKind::VisibleCorridor,
        }
    }

    /// The fill colour of a conflicting part of this kind.
    pub fn colour(&self) -> Rgb {
        match self {
            ConflictKind::OutsideBlock => [0xF5, 0x8A, 0x07],
            ConflictKind::UrbanDevelopmentBoundary => [0x80, 0x80, 0x80],
            ConflictKind::VisibleCorridor => [0x80, 0x3C, 0xB4],
            ConflictKind::PermanentBasicFarmland => [0xF2, 0xC8, 0x00],
            ConflictKind::EcologicalRedLine => [0x1E, 0x9E, 0x4A],
            ConflictKind::MiningRight => [0xD6, 0x1F, 0x1F],
            ConflictKind::Other => [0xC0, 0x40, 0x80],
        }
    }

    /// Legend text of a conflicting part of this kind.
    pub fn label(&self) -> &'static str {
        match self {
            ConflictKind::OutsideBlock => "超出规划区块部分",
            ConflictKind::UrbanDevelopmentBoundary => "与城镇开发边界重叠部分",
            ConflictKind::VisibleCorridor => "与三区两线可视范围重叠部分",
            ConflictKind::PermanentBasicFarmland => "与永久基本农田重叠部分",
            ConflictKind::EcologicalRedLine => "与生态保护红线重叠部分",
            ConflictKind::MiningRight => "与其他矿业权（申请）重叠部分",
            ConflictKind::Other => "其他冲突部分",
        }
    }
}

/// How a legend entry looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swatch {
    /// Pale fill with a bold outline (the application).
    Area {
        /// Fill colour.
        fill: Rgb,
        /// Outline colour.
        line: Rgb,
    },
    /// Dashed outline, no fill (planning blocks).
    Dashed {
        /// Line colour.
        line: Rgb,
    },
    /// Solid fill (conflicting parts).
    Fill {
        /// Fill colour.
        fill: Rgb,
    },
    /// Light tint with a thin outline (control layers). `fill` is the tint as it appears on
    /// white.
    Tint {
        /// The tint on white.
        fill: Rgb,
        /// Outline colour.
        line: Rgb,
    },
}

/// One line of the legend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegendEntry {
    /// How it looks.
    pub swatch: Swatch,
    /// What it is, Chinese.
    pub label: String,
}

/// A planning block drawn on the map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownBlock {
    /// 规划区块编号.
    pub number: String,
    /// Name.
    pub name: String,
    /// `勘查规划区块` / `开采规划区块`.
    pub kind: &'static str,
    /// Whether its geometry is schematic (示意).
    pub schematic: bool,
}

#[derive(Debug, Clone, Copy)]
struct LineStyle {
    rgb: Rgb,
    width: f32,
    dash: Option<[f32; 2]>,
}

#[derive(Debug, Clone)]
struct Shape {
    /// Rings (or one open polyline) in pixels.
    rings: Vec<Vec<(f32, f32)>>,
    closed: bool,
    fill: Option<(Rgb, u8)>,
    line: Option<LineStyle>,
}

/// The map figure of a review, laid out and ready to render as PNG ([`ReviewMap::png`]) or
/// SVG ([`ReviewMap::svg`]).
#[derive(Debug, Clone)]
pub struct ReviewMap {
    width_px: u32,
    height_px: u32,
    zone: GaussKrugerZone,
    tm: TransverseMercator,
    /// West edge, easting without prefix, m.
    min_e: f64,
    /// North edge, northing, m.
    max_n: f64,
    mpp: f64,
    scale_bar_m: f64,
    scale_bar_px: (f32, f32, f32),
    schematic: bool,
    blocks: Vec<ShownBlock>,
    legend: Vec<LegendEntry>,
    shapes: Vec<Shape>,
}

fn project(tm: &TransverseMercator, lon: f64, lat: f64) -> Result<(f64, f64), ReportError> {
    let (e, n) = tm.forward(lon, lat);
    if e.is_finite() && n.is_finite() {
        Ok((e, n))
    } else {
        Err(ReportError::Projection { lon, lat })
    }
}

/// Bounding box `(min_x, min_y, max_x, max_y)` of polygons' exterior rings.
fn bbox_of<'a>(pts: impl Iterator<Item = &'a [f64; 2]>) -> Option<(f64, f64, f64, f64)> {
    pts.fold(None, |acc, p| {
        Some(match acc {
            None => (p[0], p[1], p[0], p[1]),
            Some((a, b, c, d)) => (a.min(p[0]), b.min(p[1]), c.max(p[0]), d.max(p[1])),
        })
    })
}

fn polygons_bbox(polys: &[LonLatPolygon]) -> Option<(f64, f64, f64, f64)> {
    bbox_of(polys.iter().filter_map(|p| p.first()).flatten())
}

fn boxes_meet(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 <= b.2 && b.0 <= a.2 && a.1 <= b.3 && b.1 <= a.3
}

/// The colour of `rgb` at opacity `alpha` over white.
pub(crate) fn over_white(rgb: Rgb, alpha: u8) -> Rgb {
    let a = f32::from(alpha) / 255.0;
    rgb.map(|c| (f32::from(c) * a + 255.0 * (1.0 - a)).round() as u8)
}

/// The largest 1, 2 or 5 × 10ⁿ metres not above `max_m`.
fn nice_length(max_m: f64) -> f64 {
    let p = 10f64.powf(max_m.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * p)
        .find(|&l| l <= max_m)
        .unwrap_or(p)
}

impl ReviewMap {
    fn px(&self, e: f64, n: f64) -> (f32, f32) {
        (
            ((e - self.min_e) / self.mpp) as f32,
            ((self.max_n - n) / self.mpp) as f32,
        )
    }

    fn polygon_px(&self, polys: &[LonLatPolygon]) -> Result<Vec<Vec<(f32, f32)>>, ReportError> {
        let mut rings = Vec::new();
        for poly in polys {
            for ring in poly {
                let mut r = Vec::with_capacity(ring.len());
                for p in ring {
                    let (e, n) = project(&self.tm, p[0], p[1])?;
                    r.push(self.px(e, n));
                }
                if r.len() >= 3 {
                    rings.push(r);
                }
            }
        }
        Ok(rings)
    }

    /// Width of the image, pixels.
    pub fn width_px(&self) -> u32 {
        self.width_px
    }

    /// Height of the image, pixels (¾ of the width).
    pub fn height_px(&self) -> u32 {
        self.height_px
    }

    /// Metres of the Gauss plane per pixel, the same in x and y.
    pub fn metres_per_pixel(&self) -> f64 {
        self.mpp
    }

    /// Length of the scale bar, metres of the Gauss plane (1, 2 or 5 × 10ⁿ, about a quarter of
    /// the image width or less).
    pub fn scale_bar_m(&self) -> f64 {
        self.scale_bar_m
    }

    /// The Gauss–Krüger zone of the figure (the plan's zone, without prefix).
    pub fn zone(&self) -> GaussKrugerZone {
        self.zone
    }

    /// Whether any planning block or control layer of the review is schematic (示意): the
    /// figure must then be labelled 示意.
    pub fn schematic(&self) -> bool {
        self.schematic
    }

    /// The planning blocks drawn.
    pub fn blocks(&self) -> &[ShownBlock] {
        &self.blocks
    }

    /// The legend: what each colour and line means, for what is actually drawn.
    pub fn legend(&self) -> &[LegendEntry] {
        &self.legend
    }

    /// The pixel position (x right, y down; may lie outside the image) of a CGCS2000 point,
    /// longitude/latitude degrees.
    pub fn pixel_of(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (e, n) = self.tm.forward(lon, lat);
        ((e - self.min_e) / self.mpp, (self.max_n - n) / self.mpp)
    }

    /// Renders the figure as PNG (8-bit RGBA, white background).
    ///
    /// # Errors
    /// [`ReportError::Png`] when encoding fails.
    pub fn png(&self) -> Result<Vec<u8>, ReportError> {
        use tiny_skia::{
            Color, FillRule, LineCap, LineJoin, Paint, PathBuilder, Pixmap, Stroke, StrokeDash,
            Transform,
        };
        let mut pixmap = Pixmap::new(self.width_px, self.height_px)
            .ok_or(ReportError::ImageSize(self.width_px))?;
        pixmap.fill(Color::WHITE);
        for s in &self.shapes {
            let mut pb = PathBuilder::new();
            for ring in &s.rings {
                let mut it = ring.iter();
                let Some(&(x, y)) = it.next() else { continue };
                pb.move_to(x, y);
                for &(x, y) in it {
                    pb.line_to(x, y);
                }
                if s.closed {
                    pb.close();
                }
            }
            let Some(path) = pb.finish() else { continue };
            if let Some((rgb, a)) = s.fill {
                let mut paint = Paint::default();
                paint.set_color_rgba8(rgb[0], rgb[1], rgb[2], a);
                paint.anti_alias = true;
                pixmap.fill_path(
                    &path,
                    &paint,
                    FillRule::EvenOdd,
                    Transform::identity(),
                    None,
                );
            }
            if let Some(l) = s.line {
                let mut paint = Paint::default();
                paint.set_color_rgba8(l.rgb[0], l.rgb[1], l.rgb[2], 255);
                paint.anti_alias = true;
                let stroke = Stroke {
                    width: l.width,
                    line_join: LineJoin::Round,
                    line_cap: if s.closed {
                        LineCap::Butt
                    } else {
                        LineCap::Square
                    },
                    dash: l.dash.and_then(|d| StrokeDash::new(d.to_vec(), 0.0)),
                    ..Stroke::default()
                };
                pixmap.stroke_path(&path, &paint, &stroke, Transform::identity(), None);
            }
        }
        pixmap
            .encode_png()
            .map_err(|e| ReportError::Png(e.to_string()))
    }

    /// Renders the figure as a standalone SVG document (`width`/`height` in pixels, the same
    /// drawing as [`ReviewMap::png`]; the scale bar is labelled in metres).
    pub fn svg(&self) -> String {
        let hex = |c: Rgb| format!("#{:02X}{:02X}{:02X}", c[0], c[1], c[2]);
        let mut s = String::new();
        let _ = write!(
            s,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><title>申请范围示意图{sch}</title><rect width="{w}" height="{h}" fill="#FFFFFF"/>"##,
            w = self.width_px,
            h = self.height_px,
            sch = if self.schematic { "（示意）" } else { "" }
        );
        for shape in &self.shapes {
            let mut d = String::new();
            for ring in &shape.rings {
                for (k, (x, y)) in ring.iter().enumerate() {
                    let _ = write!(d, "{}{:.1} {:.1}", if k == 0 { "M" } else { "L" }, x, y);
                }
                if shape.closed {
                    d.push('Z');
                }
            }
            if d.is_empty() {
                continue;
            }
            let fill = match shape.fill {
                Some((rgb, 255)) => format!(r#" fill="{}""#, hex(rgb)),
                Some((rgb, a)) => format!(
                    r#" fill="{}" fill-opacity="{:.3}""#,
                    hex(rgb),
                    f32::from(a) / 255.0
                ),
                None => r#" fill="none""#.to_string(),
            };
            let line = match shape.line {
                Some(l) => format!(
                    r#" stroke="{}" stroke-width="{:.2}" stroke-linejoin="round"{}"#,
                    hex(l.rgb),
                    l.width,
                    l.dash
                        .map(|d| format!(r#" stroke-dasharray="{:.1} {:.1}""#, d[0], d[1]))
                        .unwrap_or_default()
                ),
                None => String::new(),
            };
            let _ = write!(s, r#"<path d="{d}" fill-rule="evenodd"{fill}{line}/>"#);
        }
        let (x0, x1, y) = self.scale_bar_px;
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{:.1}" font-family="sans-serif" font-size="{:.1}" text-anchor="middle">{} 米</text>"#,
            (x0 + x1) / 2.0,
            y - self.height_px as f32 * 0.025,
            self.height_px as f32 * 0.03,
            minplan_domain::citation::format_number(self.scale_bar_m)
        );
        s.push_str("</svg>");
        s
    }
}

/// Lays out the map figure of a review: see the [module documentation](self) for what is
/// drawn and how it is projected.
///
/// * `review` — its application geometry, conflicting parts, layers and notes;
/// * `plan` — its zone, planning blocks and control layers (the plan the review ran
///   against);
/// * `width_px` — image width, 200–8000 pixels; the height is ¾ of it.
///
/// # Errors
/// [`ReportError::ImageSize`] for a width out of range; [`ReportError::EmptyGeometry`] when
/// the review has no application geometry; [`ReportError::Projection`] when a point cannot
/// be projected into the plan's zone.
pub fn review_map(
    review: &ConformityReview,
    plan: &Plan,
    width_px: u32,
) -> Result<ReviewMap, ReportError> {
    if !(MIN_WIDTH_PX..=MAX_WIDTH_PX).contains(&width_px) {
        return Err(ReportError::ImageSize(width_px));
    }
    let zone = plan.region.zone.with_prefix(false);
    let tm = zone.projection();
    // The application's bounding box in the plane.
    let mut bb: Option<(f64, f64, f64, f64)> = None;
    for p in review.application_geometry.iter().flatten().flatten() {
        let (e, n) = project(&tm, p[0], p[1])?;
        bb = Some(match bb {
            None => (e, n, e, n),
            Some((a, b, c, d)) => (a.min(e), b.min(n), c.max(e), d.max(n)),
        });
    }
    let (min_e, min_n, max_e, max_n) = bb.ok_or(ReportError::EmptyGeometry)?;
    let side = (max_e - min_e).max(max_n - min_n);
    let pad = (side * 0.5).max(100.0);
    let (mut w, mut h) = (max_e - min_e + 2.0 * pad, max_n - min_n + 2.0 * pad);
    if w / h < 4.0 / 3.0 {
        w = h * 4.0 / 3.0;
    } else {
        h = w * 3.0 / 4.0;
    }
    let (ce, cn) = ((min_e + max_e) / 2.0, (min_n + max_n) / 2.0);
    let height_px = (width_px * 3).div_ceil(4);
    let mpp = w / f64::from(width_px);
    let mut map = ReviewMap {
        width_px,
        height_px,
        zone,
        tm: tm.clone(),
        min_e: ce - w / 2.0,
        max_n: cn + h / 2.0,
        mpp,
        scale_bar_m: nice_length(w / 4.0),
        scale_bar_px: (0.0, 0.0, 0.0),
        schematic: review.layers.iter().any(|l| l.schematic)
            || plan.blocks.iter().any(|b| b.schematic)
            || review.notes.iter().any(|n| n.contains("示意")),
        blocks: Vec::new(),
        legend: Vec::new(),
        shapes: Vec::new(),
    };
    // The view in lon/lat (corners and edge midpoints, inverse-projected, padded), to skip
    // features far away before projecting them.
    let view = {
        let (e0, n0) = (ce - w / 2.0, cn - h / 2.0);
        let mut pts = Vec::new();
        for i in 0..=2 {
            for j in 0..=2 {
                let (lon, lat) =
                    tm.inverse(e0 + w * f64::from(i) / 2.0, n0 + h * f64::from(j) / 2.0);
                pts.push([lon, lat]);
            }
        }
        let (a, b, c, d) = bbox_of(pts.iter()).expect("nine points");
        let (mx, my) = ((c - a) * 0.05, (d - b) * 0.05);
        (a - mx, b - my, c + mx, d + my)
    };
    let unit = width_px as f32 / 800.0;

    // 1. Control layers near the application.
    for layer in &plan.control_layers {
        let kind = ConflictKind::of_control(layer.kind);
        let mut drawn = false;
        for f in &layer.features {
            if polygons_bbox(&f.geometry).is_some_and(|b| boxes_meet(b, view)) {
                let rings = map.polygon_px(&f.geometry)?;
                map.shapes.push(Shape {
                    rings,
                    closed: true,
                    fill: Some((kind.colour(), TINT_ALPHA)),
                    line: Some(LineStyle {
                        rgb: kind.colour(),
                        width: unit,
                        dash: None,
                    }),
                });
                drawn = true;
            }
        }
        if drawn {
            map.legend.push(LegendEntry {
                swatch: Swatch::Tint {
                    fill: over_white(kind.colour(), TINT_ALPHA),
                    line: kind.colour(),
                },
                label: format!(
                    "{}范围{}",
                    layer.kind.label(),
                    if layer.schematic { "（示意）" } else { "" }
                ),
            });
        }
    }

    // 2. The application, filled.
    let app_rings = map.polygon_px(&review.application_geometry)?;
    map.shapes.push(Shape {
        rings: app_rings.clone(),
        closed: true,
        fill: Some((APP_FILL, 255)),
        line: None,
    });

    // 3. Conflicting parts, by kind.
    let mut parts: Vec<(ConflictKind, &[LonLatPolygon])> = review
        .rules
        .iter()
        .flat_map(|r| &r.conflicts)
        .filter(|c| c.class != OverlapClass::Touching && !c.geometry.is_empty())
        .map(|c| (ConflictKind::of_layer(&c.layer), c.geometry.as_slice()))
        .collect();
    parts.sort_by_key(|(k, _)| *k);
    let mut kinds: Vec<ConflictKind> = Vec::new();
    for (kind, geom) in parts {
        let rings = map.polygon_px(geom)?;
        map.shapes.push(Shape {
            rings,
            closed: true,
            fill: Some((kind.colour(), 255)),
            line: None,
        });
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }

    // 4. The application outline.
    map.shapes.push(Shape {
        rings: app_rings,
        closed: true,
        fill: None,
        line: Some(LineStyle {
            rgb: APP_LINE,
            width: 3.5 * unit,
            dash: None,
        }),
    });

    // 5. Planning blocks near the application, over the outline: a block that coincides
    // with the application stays visible.
    let mut block_shown = false;
    let mut block_schematic = false;
    for b in &plan.blocks {
        if polygons_bbox(&b.geometry).is_some_and(|bb| boxes_meet(bb, view)) {
            let rings = map.polygon_px(&b.geometry)?;
            map.shapes.push(Shape {
                rings,
                closed: true,
                fill: None,
                line: Some(LineStyle {
                    rgb: BLOCK_LINE,
                    width: 2.0 * unit,
                    dash: Some([9.0 * unit, 6.0 * unit]),
                }),
            });
            map.blocks.push(ShownBlock {
                number: b.number.clone(),
                name: b.name.clone(),
                kind: b.kind.label(),
                schematic: b.schematic,
            });
            block_shown = true;
            block_schematic |= b.schematic;
        }
    }

    // Legend, in reading order: application, blocks, conflicts, then the layers' tints.
    let mut legend = vec![LegendEntry {
        swatch: Swatch::Area {
            fill: APP_FILL,
            line: APP_LINE,
        },
        label: "申请范围".into(),
    }];
    if block_shown {
        legend.push(LegendEntry {
            swatch: Swatch::Dashed { line: BLOCK_LINE },
            label: format!("规划区块{}", if block_schematic { "（示意）" } else { "" }),
        });
    }
    legend.extend(kinds.iter().map(|k| LegendEntry {
        swatch: Swatch::Fill { fill: k.colour() },
        label: k.label().to_string(),
    }));
    legend.append(&mut map.legend);
    map.legend = legend;

    // 6. Scale bar and north arrow.
    decorations(&mut map);
    Ok(map)
}

fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> Vec<(f32, f32)> {
    vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
}

/// The scale bar (bottom left: two halves, black and white, on a white backing) and the
/// north arrow (top right: a split arrowhead under an `N` drawn as a polyline).
fn decorations(map: &mut ReviewMap) {
    let (w, h) = (map.width_px as f32, map.height_px as f32);
    let u = h / 100.0;
    let black: Rgb = [0, 0, 0];
    let thin = LineStyle {
        rgb: black,
        width: (0.25 * u).max(1.0),
        dash: None,
    };
    // Scale bar.
    let len = (map.scale_bar_m / map.mpp) as f32;
    let (x0, y1) = (0.04 * w, h - 5.0 * u);
    let (x1, y0) = (x0 + len, y1 - 1.6 * u);
    let xm = (x0 + x1) / 2.0;
    map.shapes.push(Shape {
        rings: vec![rect(x0 - 2.0 * u, y0 - 6.0 * u, x1 + 2.0 * u, y1 + 2.0 * u)],
        closed: true,
        fill: Some(([255, 255, 255], 220)),
        line: None,
    });
    map.shapes.push(Shape {
        rings: vec![rect(x0, y0, xm, y1)],
        closed: true,
        fill: Some((black, 255)),
        line: Some(thin),
    });
    map.shapes.push(Shape {
        rings: vec![rect(xm, y0, x1, y1)],
        closed: true,
        fill: Some(([255, 255, 255], 255)),
        line: Some(thin),
    });
    map.scale_bar_px = (x0, x1, y0);
    // North arrow.
    let cx = w - 7.0 * u;
    map.shapes.push(Shape {
        rings: vec![rect(cx - 4.5 * u, 1.5 * u, cx + 4.5 * u, 23.0 * u)],
        closed: true,
        fill: Some(([255, 255, 255], 220)),
        line: None,
    });
    let (tip, base, notch, half) = (10.0 * u, 21.5 * u, 18.0 * u, 3.0 * u);
    map.shapes.push(Shape {
        rings: vec![vec![(cx, tip), (cx - half, base), (cx, notch)]],
        closed: true,
        fill: Some((black, 255)),
        line: Some(thin),
    });
    map.shapes.push(Shape {
        rings: vec![vec![(cx, tip), (cx, notch), (cx + half, base)]],
        closed: true,
        fill: Some(([255, 255, 255], 255)),
        line: Some(thin),
    });
    let (nt, nb, nw) = (3.0 * u, 8.0 * u, 1.6 * u);
    map.shapes.push(Shape {
        rings: vec![vec![
            (cx - nw, nb),
            (cx - nw, nt),
            (cx + nw, nb),
            (cx + nw, nt),
        ]],
        closed: false,
        fill: None,
        line: Some(LineStyle {
            rgb: black,
            width: 0.6 * u,
            dash: None,
        }),
    });
}

/// The map figure of a review as PNG bytes; see [`review_map`] for the arguments and
/// errors, and the [module documentation](self) for what is drawn.
///
/// # Errors
/// As [`review_map`], and [`ReportError::Png`] when encoding fails.
pub fn review_map_png(
    review: &ConformityReview,
    plan: &Plan,
    width_px: u32,
) -> Result<Vec<u8>, ReportError> {
    review_map(review, plan, width_px)?.png()
}

/// The map figure of a review as an SVG document; see [`review_map`].
///
/// # Errors
/// As [`review_map`].
pub fn review_map_svg(
    review: &ConformityReview,
    plan: &Plan,
    width_px: u32,
) -> Result<String, ReportError> {
    Ok(review_map(review, plan, width_px)?.svg())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_lengths() {
        assert_eq!(nice_length(73.0), 50.0);
        assert_eq!(nice_length(250.0), 200.0);
        assert_eq!(nice_length(199.0), 100.0);
        assert_eq!(nice_length(1000.0), 1000.0);
        assert_eq!(nice_length(0.7), 0.5);
    }

    #[test]
    fn layer_names_as_the_rules_write_them() {
        assert_eq!(
            ConflictKind::of_layer("生态保护红线"),
            ConflictKind::EcologicalRedLine
        );
        assert_eq!(
            ConflictKind::of_layer("采矿权（有效）"),
            ConflictKind::MiningRight
        );
        assert_eq!(
            ConflictKind::of_layer("超出规划区块部分"),
            ConflictKind::OutsideBlock
        );
        assert_eq!(
            ConflictKind::of_layer("三区两线可视范围"),
            ConflictKind::VisibleCorridor
        );
        assert_eq!(ConflictKind::of_layer("别的"), ConflictKind::Other);
    }

    #[test]
    fn tint_over_white() {
        assert_eq!(over_white([0, 0, 0], 255), [0, 0, 0]);
        assert_eq!(over_white([0, 0, 0], 0), [255, 255, 255]);
        assert_eq!(over_white([255, 0, 0], 128), [255, 127, 127]);
    }
}
