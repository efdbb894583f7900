//! The map figure of a review (范围示意图): one renderer for the 审查意见书 (PNG) and the
//! review page on the web (SVG).
//!
//! # Frame
//!
//! The map area shows the application and every feature a rule cites: the whole planning
//! block R2/R3 name (its `所在规划区块` / `规划区块` evidence, or the block a part outside it
//! is measured against), every conflicting part, and each conflicting control-layer feature
//! clipped to a window around the application (the application's box widened on every side
//! by 1.5 × its larger side, at least 250 m: a county-sized farmland or red-line feature shows
//! around the overlap instead of shrinking the application to a dot); plus 8 % (at least
//! 50 m). The scale is then the smallest of 1:500, 1:1000, 1:1200, 1:1500 … (1, 1.2, 1.5, 2,
//! 2.5, 3, 4, 5, 6, 8 × 10ⁿ) at which that fits when the figure is printed [`PRINT_WIDTH_M`] (15 cm) wide.
//!
//! # What is drawn, bottom to top
//!
//! 1. the control layers of the plan near the application (light tint, thin outline; the
//!    features a rule cites outlined bolder);
//! 2. the application, filled pale;
//! 3. every conflicting part of every rule, filled solid in the colour of what it conflicts
//!    with ([`ConflictKind`], drawn in that enum's order so that rights and the red line stay
//!    on top of the broader "outside the block" part);
//! 4. the application outline (bold);
//! 5. the planning blocks near the application over the outline: exploration blocks dotted
//!    (teal), mining blocks dashed (blue), so that two blocks with one outline show both;
//! 6. the kilometre grid (公里网) of the plan's Gauss–Krüger zone;
//! 7. labels, decluttered: the application's corner points with their numbers as entered,
//!    block numbers, the numbers of conflicting rights;
//! 8. a white margin with the neatline, grid ticks labelled in kilometres (eastings with the
//!    zone prefix; the first in full, the others by their last two digits), a scale bar with
//!    figures and the stated scale 1:N under it, and a north arrow (grid north).
//!
//! # Coordinates
//!
//! The review's geometry is CGCS2000 longitude/latitude. Everything is projected into the
//! Gauss–Krüger zone of the plan ([`Plan::region`]`.zone`, without the zone prefix) with
//! [`minplan_geo::TransverseMercator`], then scaled equally in x and y: one pixel is
//! [`ReviewMap::metres_per_pixel`] metres of the Gauss plane both ways, east to the right,
//! grid north up. Corner points are placed from their entered numbers in the report's own
//! zone (or as entered latitude/longitude).
//!
//! # Text
//!
//! Text is drawn as strokes of a small built-in font (`font.rs`: digits, Latin capitals,
//! `m`, `k`, a few signs), so the PNG and the SVG carry the same letters with no font on the
//! machine. Chinese names are not drawn in the raster: the legend ([`ReviewMap::legend`]) and
//! the list of blocks shown ([`ReviewMap::blocks`]) are returned as data for the caller to
//! print beside the figure; a label with a character the font lacks is left out.

mod font;
mod grid;

use crate::ReportError;
use minplan_domain::plan::{BlockKind, ControlLayerKind, LonLatPolygon, Plan};
use minplan_domain::review::{ConflictPart, ConformityReview};
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
/// Outline of mining planning blocks (dashed).
pub const BLOCK_LINE: Rgb = [0x00, 0xA0, 0xE9];
/// Outline of exploration planning blocks (dotted).
pub const EXPLORATION_LINE: Rgb = [0x00, 0x80, 0x70];
/// Kilometre grid lines.
const GRID_LINE: Rgb = [0x8C, 0x8C, 0x8C];
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
    /// Dashed outline, no fill (mining planning blocks).
    Dashed {
        /// Line colour.
        line: Rgb,
    },
    /// Dotted outline, no fill (exploration planning blocks).
    Dotted {
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
    /// Rings (or open polylines) in pixels.
    rings: Vec<Vec<(f32, f32)>>,
    closed: bool,
    fill: Option<(Rgb, u8)>,
    line: Option<LineStyle>,
}

/// One line of the kilometre grid (公里网).
#[derive(Debug, Clone, PartialEq)]
pub struct GridTick {
    /// The coordinate, metres: easting **with** the zone prefix (as Chinese tables write Y),
    /// or northing.
    pub value_m: f64,
    /// Its label, kilometres (`44422` for the first line, `23` for the next; see
    /// [`ReviewMap::grid`]).
    pub label: String,
}

/// The kilometre grid of the figure.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Grid {
    /// Interval, metres (100 m … 10 km, at most 8 lines across the frame).
    pub interval_m: f64,
    /// Vertical lines, west to east.
    pub eastings: Vec<GridTick>,
    /// Horizontal lines, south to north.
    pub northings: Vec<GridTick>,
}

/// A label drawn in the figure.
#[derive(Debug, Clone, PartialEq)]
pub struct DrawnLabel {
    /// Its text.
    pub text: String,
    /// What it names: `规划区块`, `矿业权`, `拐点`.
    pub of: &'static str,
    /// Centre, pixels.
    pub at: (f32, f32),
}

/// Printed width of the figure in the 审查意见书, metres of paper (15 cm): the stated scale
/// ([`ReviewMap::scale_denominator`]) holds at this width.
pub const PRINT_WIDTH_M: f64 = 0.15;

/// The map figure of a review, laid out and ready to render as PNG ([`ReviewMap::png`]) or
/// SVG ([`ReviewMap::svg`]).
#[derive(Debug, Clone)]
pub struct ReviewMap {
    width_px: u32,
    height_px: u32,
    zone: GaussKrugerZone,
    prefix: f64,
    tm: TransverseMercator,
    /// West edge of the image, easting without prefix, m.
    min_e: f64,
    /// North edge of the image, northing, m.
    max_n: f64,
    mpp: f64,
    scale_n: f64,
    scale_bar_m: f64,
    scale_figures: [String; 3],
    /// The map area inside the grid margin, pixels: x0, y0, x1, y1.
    inner: (f32, f32, f32, f32),
    grid: Grid,
    schematic: bool,
    blocks: Vec<ShownBlock>,
    cited_blocks: Vec<String>,
    legend: Vec<LegendEntry>,
    labels: Vec<DrawnLabel>,
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

type Bbox = (f64, f64, f64, f64);

/// Bounding box `(min_x, min_y, max_x, max_y)` of points.
fn bbox_of<'a>(pts: impl Iterator<Item = &'a [f64; 2]>) -> Option<Bbox> {
    pts.fold(None, |acc, p| {
        Some(match acc {
            None => (p[0], p[1], p[0], p[1]),
            Some((a, b, c, d)) => (a.min(p[0]), b.min(p[1]), c.max(p[0]), d.max(p[1])),
        })
    })
}

fn polygons_bbox(polys: &[LonLatPolygon]) -> Option<Bbox> {
    bbox_of(polys.iter().filter_map(|p| p.first()).flatten())
}

/// Bounding box of polygons' exterior rings in the Gauss plane.
fn plane_bbox(
    tm: &TransverseMercator,
    polys: &[LonLatPolygon],
) -> Result<Option<Bbox>, ReportError> {
    let mut pts = Vec::new();
    for p in polys.iter().filter_map(|p| p.first()).flatten() {
        let (e, n) = project(tm, p[0], p[1])?;
        pts.push([e, n]);
    }
    Ok(bbox_of(pts.iter()))
}

fn union(a: Option<Bbox>, b: Bbox) -> Bbox {
    match a {
        None => b,
        Some(a) => (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)),
    }
}

fn intersect(a: Bbox, b: Bbox) -> Option<Bbox> {
    let r = (a.0.max(b.0), a.1.max(b.1), a.2.min(b.2), a.3.min(b.3));
    (r.0 <= r.2 && r.1 <= r.3).then_some(r)
}

fn boxes_meet(a: Bbox, b: Bbox) -> bool {
    a.0 <= b.2 && b.0 <= a.2 && a.1 <= b.3 && b.1 <= a.3
}

/// The colour of `rgb` at opacity `alpha` over white.
pub(crate) fn over_white(rgb: Rgb, alpha: u8) -> Rgb {
    let a = f32::from(alpha) / 255.0;
    rgb.map(|c| (f32::from(c) * a + 255.0 * (1.0 - a)).round() as u8)
}

/// The planning blocks a rule cites: the block R2 places the application in (its
/// `所在规划区块` evidence), the block R3 counts rights in (`规划区块`), and the block a part
/// outside the block (R2) is measured against. Indices into `plan.blocks`.
fn cited_blocks(review: &ConformityReview, plan: &Plan) -> Vec<usize> {
    let mut out = Vec::new();
    for r in review.rules.iter().filter(|r| r.id == "R2" || r.id == "R3") {
        for (i, b) in plan.blocks.iter().enumerate() {
            let named = r.evidence.iter().any(|e| {
                (e.label == "所在规划区块" || e.label == "规划区块")
                    && e.value.starts_with(&format!("{} ", b.number))
            }) || r
                .conflicts
                .iter()
                .any(|c| c.feature_id == b.number && c.layer.contains("规划区块"));
            if named && !out.contains(&i) {
                out.push(i);
            }
        }
    }
    out
}

/// Collision boxes of the labels placed so far.
#[derive(Default)]
struct Placer {
    boxes: Vec<[f32; 4]>,
}

impl Placer {
    /// The first candidate centre whose box (w × h) is inside `area` and meets no placed box.
    fn place(
        &mut self,
        candidates: &[(f32, f32)],
        w: f32,
        h: f32,
        area: (f32, f32, f32, f32),
    ) -> Option<(f32, f32)> {
        for &(cx, cy) in candidates {
            let b = [cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0];
            let inside = b[0] >= area.0 && b[1] >= area.1 && b[2] <= area.2 && b[3] <= area.3;
            let free = self
                .boxes
                .iter()
                .all(|o| b[2] < o[0] || o[2] < b[0] || b[3] < o[1] || o[3] < b[1]);
            if inside && free {
                self.boxes.push(b);
                return Some((cx, cy));
            }
        }
        None
    }
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

    /// Text `s` centred at `(cx, cy)`, `size` pixels high, in `rgb` on a white halo.
    fn text(&mut self, s: &str, cx: f32, cy: f32, size: f32, rgb: Rgb) {
        let w = font::width(s, size);
        let Some(lines) = font::polylines(s, cx - w / 2.0, cy - size / 2.0, size) else {
            return;
        };
        let stroke = (size / 9.0).max(1.0);
        self.shapes.push(Shape {
            rings: lines.clone(),
            closed: false,
            fill: None,
            line: Some(LineStyle {
                rgb: [255, 255, 255],
                width: stroke + size * 0.3,
                dash: None,
            }),
        });
        self.shapes.push(Shape {
            rings: lines,
            closed: false,
            fill: None,
            line: Some(LineStyle {
                rgb,
                width: stroke,
                dash: None,
            }),
        });
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

    /// N of the stated scale 1:N: the figure printed [`PRINT_WIDTH_M`] (15 cm) wide, as the
    /// 审查意见书 prints it, is at 1:N exactly. N is of the series 1, 2, 2.5, 5 × 10ⁿ (at
    /// least 500), the smallest that fits the frame.
    pub fn scale_denominator(&self) -> f64 {
        self.scale_n
    }

    /// The stated scale as printed under the scale bar (`1:10 000`).
    pub fn scale_text(&self) -> String {
        grid::scale_text(self.scale_n)
    }

    /// Length of the scale bar, metres of the Gauss plane (1, 2 or 5 × 10ⁿ, at most a quarter
    /// of the map area's width).
    pub fn scale_bar_m(&self) -> f64 {
        self.scale_bar_m
    }

    /// The figures on the scale bar, at its start, middle and end (`0`, `0.5`, `1 km`).
    pub fn scale_bar_figures(&self) -> &[String; 3] {
        &self.scale_figures
    }

    /// The kilometre grid (公里网) drawn: Gauss–Krüger coordinates of the plan's zone,
    /// eastings with the zone prefix. The first line of each axis is labelled in full
    /// kilometres (`4912`, `44422`), the others by their last two digits (`13`, `23`), as on
    /// Chinese topographic maps; sub-kilometre grids keep their decimals (`12.5`).
    pub fn grid(&self) -> &Grid {
        &self.grid
    }

    /// The map area (inside the grid's margin) as a CGCS2000 box: `[west, south, east,
    /// north]` longitude/latitude degrees (the corners and edge midpoints inverse-projected).
    /// The web map fits its view to this box.
    pub fn frame_lonlat(&self) -> [f64; 4] {
        let (x0, y0, x1, y1) = self.inner;
        let mut pts = Vec::new();
        for i in 0..=2 {
            for j in 0..=2 {
                let x = f64::from(x0) + f64::from(x1 - x0) * f64::from(i) / 2.0;
                let y = f64::from(y0) + f64::from(y1 - y0) * f64::from(j) / 2.0;
                let (lon, lat) = self
                    .tm
                    .inverse(self.min_e + x * self.mpp, self.max_n - y * self.mpp);
                pts.push([lon, lat]);
            }
        }
        let (a, b, c, d) = bbox_of(pts.iter()).expect("nine points");
        [a, b, c, d]
    }

    /// The map area inside the grid's margin, pixels: `(x0, y0, x1, y1)`.
    pub fn map_area_px(&self) -> (f32, f32, f32, f32) {
        self.inner
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

    /// Numbers of the planning blocks a rule cites (R2, R3): the frame holds each whole.
    pub fn cited_blocks(&self) -> &[String] {
        &self.cited_blocks
    }

    /// The labels drawn in the figure (block numbers, right numbers, corner numbers).
    pub fn labels(&self) -> &[DrawnLabel] {
        &self.labels
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
                        LineCap::Round
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

    /// Renders the figure as a standalone SVG document (`width`/`height` in pixels): the same
    /// shapes as [`ReviewMap::png`], text included (drawn as paths by the same stroke font).
    pub fn svg(&self) -> String {
        let hex = |c: Rgb| format!("#{:02X}{:02X}{:02X}", c[0], c[1], c[2]);
        let mut s = String::new();
        let _ = write!(
            s,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img"><title>申请范围示意图{sch}（{scale}）</title><rect width="{w}" height="{h}" fill="#FFFFFF"/>"##,
            w = self.width_px,
            h = self.height_px,
            sch = if self.schematic { "（示意）" } else { "" },
            scale = self.scale_text(),
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
                    r#" stroke="{}" stroke-width="{:.2}" stroke-linejoin="round"{}{}"#,
                    hex(l.rgb),
                    l.width,
                    if shape.closed {
                        ""
                    } else {
                        r#" stroke-linecap="round""#
                    },
                    l.dash
                        .map(|d| format!(r#" stroke-dasharray="{:.1} {:.1}""#, d[0], d[1]))
                        .unwrap_or_default()
                ),
                None => String::new(),
            };
            let _ = write!(s, r#"<path d="{d}" fill-rule="evenodd"{fill}{line}/>"#);
        }
        s.push_str("</svg>");
        s
    }
}

/// The frame's margin beyond what it must show: 8 % of the larger side, at least 50 m.
const FRAME_PAD_SHARE: f64 = 0.08;
/// The window a conflicting control-layer feature is clipped to: the application's box
/// widened on every side by 1.5 × its larger side, at least 250 m.
const LAYER_WINDOW_SHARE: f64 = 1.5;
const LAYER_WINDOW_MIN_M: f64 = 250.0;

/// Lays out the map figure of a review: see the [module documentation](self) for what is
/// drawn, the frame and how it is projected.
///
/// * `review` — its application geometry and corners, conflicting parts, evidence, layers
///   and notes;
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
    let app_box =
        plane_bbox(&tm, &review.application_geometry)?.ok_or(ReportError::EmptyGeometry)?;

    // What the frame must show: the application, every conflicting part, the whole block
    // R2/R3 cite, and each conflicting control-layer feature within a window around the
    // application (a county-sized feature would otherwise shrink the application to a dot).
    let mut need = app_box;
    let parts: Vec<&ConflictPart> = review
        .rules
        .iter()
        .flat_map(|r| &r.conflicts)
        .filter(|c| c.class != OverlapClass::Touching && !c.geometry.is_empty())
        .collect();
    for c in &parts {
        if let Some(b) = plane_bbox(&tm, &c.geometry.lonlat())? {
            need = union(Some(need), b);
        }
    }
    let cited = cited_blocks(review, plan);
    for &i in &cited {
        if let Some(b) = plane_bbox(&tm, &plan.blocks[i].geometry)? {
            need = union(Some(need), b);
        }
    }
    let app_side = (app_box.2 - app_box.0).max(app_box.3 - app_box.1);
    let reach = (app_side * LAYER_WINDOW_SHARE).max(LAYER_WINDOW_MIN_M);
    let window = (
        app_box.0 - reach,
        app_box.1 - reach,
        app_box.2 + reach,
        app_box.3 + reach,
    );
    let mut cited_features: Vec<(ControlLayerKind, String)> = Vec::new();
    for c in &parts {
        for layer in &plan.control_layers {
            if c.layer != layer.kind.label() && !c.layer.starts_with(layer.kind.label()) {
                continue;
            }
            for f in layer.features.iter().filter(|f| f.id == c.feature_id) {
                if let Some(b) = plane_bbox(&tm, &f.geometry)?.and_then(|b| intersect(b, window)) {
                    need = union(Some(need), b);
                }
                cited_features.push((layer.kind, f.id.clone()));
            }
        }
    }
    let side = (need.2 - need.0).max(need.3 - need.1);
    let pad = (side * FRAME_PAD_SHARE).max(50.0);
    let need = (need.0 - pad, need.1 - pad, need.2 + pad, need.3 + pad);

    // Layout: the map area inside a margin for the grid labels.
    let height_px = (width_px * 3).div_ceil(4);
    let (wf, hf) = (width_px as f32, height_px as f32);
    let u = hf / 100.0;
    let inner = (11.0 * u, 3.0 * u, wf - 3.0 * u, hf - 6.0 * u);
    let (iw, ih) = (f64::from(inner.2 - inner.0), f64::from(inner.3 - inner.1));
    let mpp0 = ((need.2 - need.0) / iw).max((need.3 - need.1) / ih);
    let scale_n = grid::nice_scale(mpp0 * f64::from(width_px) / PRINT_WIDTH_M);
    let mpp = scale_n * PRINT_WIDTH_M / f64::from(width_px);
    let (ce, cn) = ((need.0 + need.2) / 2.0, (need.1 + need.3) / 2.0);
    let (icx, icy) = (
        f64::from(inner.0 + inner.2) / 2.0,
        f64::from(inner.1 + inner.3) / 2.0,
    );
    let (bar_m, figures) = grid::scale_bar(iw * mpp);
    let mut map = ReviewMap {
        width_px,
        height_px,
        zone,
        prefix: f64::from(plan.region.zone.zone) * 1_000_000.0,
        tm: tm.clone(),
        min_e: ce - icx * mpp,
        max_n: cn + icy * mpp,
        mpp,
        scale_n,
        scale_bar_m: bar_m,
        scale_figures: figures,
        inner,
        grid: Grid::default(),
        schematic: review.layers.iter().any(|l| l.schematic)
            || plan.blocks.iter().any(|b| b.schematic)
            || review.notes.iter().any(|n| n.contains("示意")),
        blocks: Vec::new(),
        cited_blocks: cited
            .iter()
            .map(|&i| plan.blocks[i].number.clone())
            .collect(),
        legend: Vec::new(),
        labels: Vec::new(),
        shapes: Vec::new(),
    };
    // The image in lon/lat (corners and edge midpoints, inverse-projected, padded), to skip
    // features far away before projecting them.
    let view = {
        let (e0, n1) = (map.min_e, map.max_n);
        let (w, h) = (f64::from(width_px) * mpp, f64::from(height_px) * mpp);
        let mut pts = Vec::new();
        for i in 0..=2 {
            for j in 0..=2 {
                let (lon, lat) =
                    tm.inverse(e0 + w * f64::from(i) / 2.0, n1 - h * f64::from(j) / 2.0);
                pts.push([lon, lat]);
            }
        }
        let (a, b, c, d) = bbox_of(pts.iter()).expect("nine points");
        let (mx, my) = ((c - a) * 0.05, (d - b) * 0.05);
        (a - mx, b - my, c + mx, d + my)
    };
    let unit = width_px as f32 / 800.0;

    // 1. Control layers near the application; the features a rule cites outlined bolder.
    let mut tints = Vec::new();
    for layer in &plan.control_layers {
        let kind = ConflictKind::of_control(layer.kind);
        let mut drawn = false;
        for f in &layer.features {
            if polygons_bbox(&f.geometry).is_some_and(|b| boxes_meet(b, view)) {
                let is_cited = cited_features
                    .iter()
                    .any(|(k, id)| *k == layer.kind && *id == f.id);
                let rings = map.polygon_px(&f.geometry)?;
                map.shapes.push(Shape {
                    rings,
                    closed: true,
                    fill: Some((kind.colour(), TINT_ALPHA)),
                    line: Some(LineStyle {
                        rgb: kind.colour(),
                        width: if is_cited { 2.0 * unit } else { unit },
                        dash: None,
                    }),
                });
                drawn = true;
            }
        }
        if drawn {
            tints.push(LegendEntry {
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
    let mut sorted: Vec<(ConflictKind, &ConflictPart)> = parts
        .iter()
        .map(|c| (ConflictKind::of_layer(&c.layer), *c))
        .collect();
    sorted.sort_by_key(|(k, _)| *k);
    let mut kinds: Vec<ConflictKind> = Vec::new();
    for (kind, c) in &sorted {
        let rings = map.polygon_px(&c.geometry.lonlat())?;
        map.shapes.push(Shape {
            rings,
            closed: true,
            fill: Some((kind.colour(), 255)),
            line: None,
        });
        if !kinds.contains(kind) {
            kinds.push(*kind);
        }
    }

    // 4. The application outline.
    map.shapes.push(Shape {
        rings: app_rings.clone(),
        closed: true,
        fill: None,
        line: Some(LineStyle {
            rgb: APP_LINE,
            width: 3.5 * unit,
            dash: None,
        }),
    });

    // 5. Planning blocks near the application, over the outline: a block that coincides
    // with the application stays visible. Exploration blocks dotted, mining blocks dashed:
    // the two kinds with one outline show both.
    let mut shown_kinds: Vec<(BlockKind, bool)> = Vec::new();
    let mut block_labels = Vec::new();
    for kind in [BlockKind::Exploration, BlockKind::Mining] {
        for (i, b) in plan
            .blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| b.kind == kind)
        {
            if !polygons_bbox(&b.geometry).is_some_and(|bb| boxes_meet(bb, view)) {
                continue;
            }
            let rings = map.polygon_px(&b.geometry)?;
            let cited_here = cited.contains(&i);
            map.shapes.push(Shape {
                rings: rings.clone(),
                closed: true,
                fill: None,
                line: Some(block_line(kind, unit, cited_here)),
            });
            map.blocks.push(ShownBlock {
                number: b.number.clone(),
                name: b.name.clone(),
                kind: b.kind.label(),
                schematic: b.schematic,
            });
            match shown_kinds.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, s)) => *s |= b.schematic,
                None => shown_kinds.push((kind, b.schematic)),
            }
            block_labels.push((b.number.clone(), rings, block_colour(kind)));
        }
    }

    // 6. The kilometre grid, over the features, under the labels.
    grid_lines(&mut map);

    // 7. Labels: corner numbers, block numbers, right numbers (decluttered).
    let mut placer = Placer::default();
    corner_labels(&mut map, review, &app_rings, &mut placer);
    let size = 2.1 * u;
    let area = map.inner;
    for (number, rings, rgb) in block_labels {
        if !font::supports(&number) {
            continue;
        }
        let pts = rings.iter().flatten();
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for &(x, y) in pts {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        // The block's box within the map area; its label at the top of that box, inside it,
        // else just above or below it.
        let (cx0, cy0, cx1, cy1) = (
            x0.max(area.0),
            y0.max(area.1),
            x1.min(area.2),
            y1.min(area.3),
        );
        if cx0 > cx1 || cy0 > cy1 {
            continue;
        }
        let w = font::width(&number, size) + size * 0.6;
        let h = size * 1.6;
        let cx = (cx0 + cx1) / 2.0;
        let cands = [
            (cx, cy0 + h),
            (cx, cy0 + 2.2 * h),
            (cx, cy0 - h * 0.7),
            (cx, cy1 - h),
            (cx, cy1 - 2.2 * h),
            (cx, cy1 + h * 0.7),
            (cx, (cy0 + cy1) / 2.0),
            (cx, (cy0 + cy1) / 2.0 + 1.2 * h),
        ];
        if let Some((x, y)) = placer.place(&cands, w, h, area) {
            map.text(&number, x, y, size, rgb);
            map.labels.push(DrawnLabel {
                text: number,
                of: "规划区块",
                at: (x, y),
            });
        }
    }
    for (kind, c) in &sorted {
        if *kind != ConflictKind::MiningRight || !font::supports(&c.feature_id) {
            continue;
        }
        let rings = map.polygon_px(&c.geometry.lonlat())?;
        let n = rings.iter().map(Vec::len).sum::<usize>().max(1) as f32;
        let cx = rings.iter().flatten().map(|p| p.0).sum::<f32>() / n;
        let cy = rings.iter().flatten().map(|p| p.1).sum::<f32>() / n;
        let s = 1.8 * u;
        let w = font::width(&c.feature_id, s) + s * 0.6;
        let h = s * 1.6;
        if let Some((x, y)) = placer.place(&[(cx, cy), (cx, cy + h), (cx, cy - h)], w, h, area) {
            map.text(&c.feature_id, x, y, s, kind.colour());
            map.labels.push(DrawnLabel {
                text: c.feature_id.clone(),
                of: "矿业权",
                at: (x, y),
            });
        }
    }

    // Legend, in reading order: application, blocks, conflicts, then the layers' tints.
    let mut legend = vec![LegendEntry {
        swatch: Swatch::Area {
            fill: APP_FILL,
            line: APP_LINE,
        },
        label: "申请范围（拐点编号按申请原样）".into(),
    }];
    for (kind, schematic) in &shown_kinds {
        legend.push(LegendEntry {
            swatch: match kind {
                BlockKind::Exploration => Swatch::Dotted {
                    line: block_colour(*kind),
                },
                BlockKind::Mining => Swatch::Dashed {
                    line: block_colour(*kind),
                },
            },
            label: format!(
                "{}{}",
                kind.label(),
                if *schematic { "（示意）" } else { "" }
            ),
        });
    }
    legend.extend(kinds.iter().map(|k| LegendEntry {
        swatch: Swatch::Fill { fill: k.colour() },
        label: k.label().to_string(),
    }));
    legend.extend(tints);
    map.legend = legend;

    // 8. Margin, neatline, grid labels, scale bar and north arrow.
    frame_and_decorations(&mut map);
    Ok(map)
}

/// Outline colour of a planning block of a kind.
fn block_colour(kind: BlockKind) -> Rgb {
    match kind {
        BlockKind::Mining => BLOCK_LINE,
        BlockKind::Exploration => EXPLORATION_LINE,
    }
}

fn block_line(kind: BlockKind, unit: f32, cited: bool) -> LineStyle {
    let k = if cited { 1.4 } else { 1.0 };
    match kind {
        BlockKind::Mining => LineStyle {
            rgb: BLOCK_LINE,
            width: 2.0 * unit * k,
            dash: Some([9.0 * unit, 6.0 * unit]),
        },
        BlockKind::Exploration => LineStyle {
            rgb: EXPLORATION_LINE,
            width: 3.0 * unit * k,
            dash: Some([2.0 * unit, 5.0 * unit]),
        },
    }
}

/// The application's corner points (dots) and their numbers as entered, set outside the
/// ring (away from its centre).
fn corner_labels(
    map: &mut ReviewMap,
    review: &ConformityReview,
    app_rings: &[Vec<(f32, f32)>],
    placer: &mut Placer,
) {
    let report = &review.application.corner_report;
    let u = map.height_px as f32 / 100.0;
    let size = 1.9 * u;
    let n = app_rings.iter().map(Vec::len).sum::<usize>().max(1) as f32;
    let ccx = app_rings.iter().flatten().map(|p| p.0).sum::<f32>() / n;
    let ccy = app_rings.iter().flatten().map(|p| p.1).sum::<f32>() / n;
    let area = map.inner;
    for ring in report.blocks.iter().flat_map(|b| &b.rings) {
        for p in &ring.points {
            if !p.x.is_finite() || !p.y.is_finite() {
                continue;
            }
            let (lon, lat) = if report.geographic {
                (p.y, p.x)
            } else if let Some(z) = report.zone {
                z.to_lonlat(p.x, p.y)
            } else {
                continue;
            };
            let Ok((e, nn)) = project(&map.tm, lon, lat) else {
                continue;
            };
            let (x, y) = map.px(e, nn);
            let r = (0.45 * u).max(1.5);
            map.shapes.push(Shape {
                rings: vec![
                    (0..8)
                        .map(|k| {
                            let a = k as f32 * std::f32::consts::FRAC_PI_4;
                            (x + r * a.cos(), y + r * a.sin())
                        })
                        .collect(),
                ],
                closed: true,
                fill: Some(([0, 0, 0], 255)),
                line: None,
            });
            if !font::supports(&p.label) {
                continue;
            }
            let (dx, dy) = (x - ccx, y - ccy);
            let len = (dx * dx + dy * dy).sqrt().max(1e-3);
            let w = font::width(&p.label, size) + size * 0.4;
            let h = size * 1.4;
            let off = size * 0.9 + w / 2.0;
            let cands = [
                (x + dx / len * off, y + dy / len * off),
                (x + w / 2.0 + size * 0.5, y - h / 2.0),
                (x - w / 2.0 - size * 0.5, y + h / 2.0),
            ];
            if let Some((lx, ly)) = placer.place(&cands, w, h, area) {
                map.text(&p.label, lx, ly, size, [0, 0, 0]);
                map.labels.push(DrawnLabel {
                    text: p.label.clone(),
                    of: "拐点",
                    at: (lx, ly),
                });
            }
        }
    }
}

/// The kilometre grid's lines across the map area, and [`ReviewMap::grid`].
fn grid_lines(map: &mut ReviewMap) {
    let (x0, y0, x1, y1) = map.inner;
    let e_lo = map.min_e + f64::from(x0) * map.mpp;
    let e_hi = map.min_e + f64::from(x1) * map.mpp;
    let n_lo = map.max_n - f64::from(y1) * map.mpp;
    let n_hi = map.max_n - f64::from(y0) * map.mpp;
    let g = grid::grid_interval(e_hi - e_lo);
    let line = LineStyle {
        rgb: GRID_LINE,
        width: (map.width_px as f32 / 1600.0).max(1.0),
        dash: None,
    };
    let es = grid::ticks(e_lo, e_hi, g);
    let ns = grid::ticks(n_lo, n_hi, g);
    let mut rings = Vec::new();
    for &e in &es {
        let x = ((e - map.min_e) / map.mpp) as f32;
        rings.push(vec![(x, y0), (x, y1)]);
    }
    for &n in &ns {
        let y = ((map.max_n - n) / map.mpp) as f32;
        rings.push(vec![(x0, y), (x1, y)]);
    }
    map.shapes.push(Shape {
        rings,
        closed: false,
        fill: None,
        line: Some(line),
    });
    map.grid = Grid {
        interval_m: g,
        eastings: es
            .iter()
            .enumerate()
            .map(|(i, &e)| GridTick {
                value_m: e + map.prefix,
                label: grid::km_label(e + map.prefix, i == 0),
            })
            .collect(),
        northings: ns
            .iter()
            .enumerate()
            .map(|(i, &n)| GridTick {
                value_m: n,
                label: grid::km_label(n, i == 0),
            })
            .collect(),
    };
}

fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> Vec<(f32, f32)> {
    vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
}

/// The white margin with the neatline, grid ticks and labels; the scale bar with its
/// figures and stated scale (bottom left of the map area); the north arrow (top right).
fn frame_and_decorations(map: &mut ReviewMap) {
    let (w, h) = (map.width_px as f32, map.height_px as f32);
    let u = h / 100.0;
    let black: Rgb = [0, 0, 0];
    let white: Rgb = [255, 255, 255];
    let (x0, y0, x1, y1) = map.inner;
    // Margin: four white bands over whatever reaches beyond the map area.
    map.shapes.push(Shape {
        rings: vec![
            rect(0.0, 0.0, w, y0),
            rect(0.0, y1, w, h),
            rect(0.0, y0, x0, y1),
            rect(x1, y0, w, y1),
        ],
        closed: true,
        fill: Some((white, 255)),
        line: None,
    });
    let thin = LineStyle {
        rgb: black,
        width: (0.2 * u).max(1.0),
        dash: None,
    };
    map.shapes.push(Shape {
        rings: vec![rect(x0, y0, x1, y1)],
        closed: true,
        fill: None,
        line: Some(thin),
    });
    // Ticks and labels: eastings under the bottom edge, northings left of the left edge.
    let tick = 1.0 * u;
    let size = 1.8 * u;
    let mut ticks = Vec::new();
    let eastings = map.grid.eastings.clone();
    let northings = map.grid.northings.clone();
    for t in &eastings {
        let x = ((t.value_m - map.prefix - map.min_e) / map.mpp) as f32;
        ticks.push(vec![(x, y1), (x, y1 + tick)]);
        ticks.push(vec![(x, y0), (x, y0 - tick)]);
        map.text(&t.label, x, y1 + tick + size, size, black);
    }
    for t in &northings {
        let y = ((map.max_n - t.value_m) / map.mpp) as f32;
        ticks.push(vec![(x0, y), (x0 - tick, y)]);
        ticks.push(vec![(x1, y), (x1 + tick, y)]);
        // A long label (`4917.25`) is set smaller to stay inside the margin.
        let avail = x0 - tick - 1.0 * u;
        let s = size.min(avail / font::width(&t.label, 1.0));
        let tw = font::width(&t.label, s);
        map.text(&t.label, x0 - tick - 0.5 * u - tw / 2.0, y, s, black);
    }
    map.shapes.push(Shape {
        rings: ticks,
        closed: false,
        fill: None,
        line: Some(thin),
    });

    // Scale bar: two halves, black and white, figures above, the stated scale below.
    let len = (map.scale_bar_m / map.mpp) as f32;
    let (bx0, by1) = (x0 + 3.0 * u, y1 - 5.0 * u);
    let (bx1, by0) = (bx0 + len, by1 - 1.2 * u);
    let bxm = (bx0 + bx1) / 2.0;
    let fig = 1.7 * u;
    let figures = map.scale_figures.clone();
    let last_w = font::width(&figures[2], fig);
    map.shapes.push(Shape {
        rings: vec![rect(
            bx0 - 2.0 * u,
            by0 - fig - 2.2 * u,
            bx1 + last_w / 2.0 + 2.0 * u,
            by1 + fig + 2.2 * u,
        )],
        closed: true,
        fill: Some((white, 230)),
        line: None,
    });
    map.shapes.push(Shape {
        rings: vec![rect(bx0, by0, bxm, by1)],
        closed: true,
        fill: Some((black, 255)),
        line: Some(thin),
    });
    map.shapes.push(Shape {
        rings: vec![rect(bxm, by0, bx1, by1)],
        closed: true,
        fill: Some((white, 255)),
        line: Some(thin),
    });
    for (x, f) in [bx0, bxm, bx1].into_iter().zip(&figures) {
        // The unit follows the last figure: centre the number, not the unit.
        let number = f.split(' ').next().unwrap_or(f);
        let shift = (font::width(f, fig) - font::width(number, fig)) / 2.0;
        map.text(f, x + shift, by0 - 0.6 * u - fig / 2.0, fig, black);
    }
    let st = map.scale_text();
    map.text(
        &st,
        (bx0 + bx1) / 2.0,
        by1 + 0.8 * u + fig / 2.0,
        fig,
        black,
    );

    // North arrow (grid north), top right of the map area.
    let cx = x1 - 5.5 * u;
    let top = y0 + 1.5 * u;
    map.shapes.push(Shape {
        rings: vec![rect(cx - 3.5 * u, top, cx + 3.5 * u, top + 17.0 * u)],
        closed: true,
        fill: Some((white, 230)),
        line: None,
    });
    let (tip, base, notch, half) = (top + 6.5 * u, top + 16.0 * u, top + 13.0 * u, 2.5 * u);
    map.shapes.push(Shape {
        rings: vec![vec![(cx, tip), (cx - half, base), (cx, notch)]],
        closed: true,
        fill: Some((black, 255)),
        line: Some(thin),
    });
    map.shapes.push(Shape {
        rings: vec![vec![(cx, tip), (cx, notch), (cx + half, base)]],
        closed: true,
        fill: Some((white, 255)),
        line: Some(thin),
    });
    map.text("N", cx, top + 3.0 * u, 3.2 * u, black);
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
