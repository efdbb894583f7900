//! Overlay at speed: the overlap of one polygon (an application, a right) with every feature
//! of a layer (farmland parcels, red lines, other rights).
//!
//! A layer is prepared once ([`OverlayLayer::build`]): features larger than
//! [`BuildOptions::max_piece_vertices`] are cut into pieces by recursive axis-aligned
//! bisection (like PostGIS `ST_Subdivide`; the pieces partition the feature, so their overlap
//! areas add up exactly), and every piece goes into an R-tree ([`rstar`]). A query
//! ([`OverlayLayer::overlaps`]) takes the pieces whose boxes meet the subject's box and
//! decides each cheaply when it can: disjoint, subject inside the piece (overlap = subject's
//! area) or piece inside the subject (overlap = piece's area). Only pieces whose boundaries
//! meet the subject's are clipped: where the two boundaries cross cleanly (no shared vertex,
//! no collinear edges) by splitting both at their crossings and summing the boundary parts
//! inside the other (module `clip`), else with `geo`'s boolean operations (i_overlay).
//!
//! Overlaps are classified ([`OverlapClass`]): the parts of an overlap whose mean width
//! (2 × area ÷ perimeter) is at most [`OverlapOptions::touch_width_m`] are boundaries that
//! coincide within that width — *touching*, never an overlap (R12 of `docs/rules.md`:
//! touching within 0.01 m is not overlap); what remains is a *sliver* when its area is at most
//! [`OverlapOptions::sliver_area_m2`], else an *overlap*. Boundaries that come within
//! `touch_width_m` without any shared area are touching too.
//!
//! Coordinates: one metric plane, `(x, y)` = (easting, northing) in metres, e.g. a
//! Gauss–Krüger zone **without** the zone prefix (smaller numbers keep more precision in the
//! products of the overlay). Areas in m².

use geo::algorithm::bool_ops::BooleanOps;
use geo::{Area, BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

/// Options for preparing a layer.
#[derive(Debug, Clone, Copy)]
pub struct BuildOptions {
    /// Pieces with more vertices than this are bisected (default 256).
    pub max_piece_vertices: usize,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            max_piece_vertices: 256,
        }
    }
}

/// Options for a query.
#[derive(Debug, Clone, Copy)]
pub struct OverlapOptions {
    /// Boundaries within this distance (metres) touch; shared parts whose mean width is at
    /// most this are touching, not overlapping. Default 0.01 m.
    pub touch_width_m: f64,
    /// Shared area (m²) at or below which an overlap is a sliver. Default 1 m².
    pub sliver_area_m2: f64,
    /// Whether to return the geometry of each overlap (costs a copy per clipped piece).
    pub want_geometry: bool,
    /// Whether to look for touching neighbours without shared area (costs a distance test
    /// per nearby piece). Needed for rights, not for farmland.
    pub detect_touching: bool,
}

impl Default for OverlapOptions {
    fn default() -> Self {
        OverlapOptions {
            touch_width_m: 0.01,
            sliver_area_m2: 1.0,
            want_geometry: true,
            detect_touching: true,
        }
    }
}

/// How a feature meets the subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OverlapClass {
    /// Shared area above the sliver tolerance.
    Overlap,
    /// Shared area at or below the sliver tolerance (often coordinate rounding).
    Sliver,
    /// Boundaries coincide or come within the touch width; no shared area counted.
    Touching,
}

/// The overlap of the subject with one feature.
#[derive(Debug, Clone)]
pub struct FeatureOverlap {
    /// Index of the feature in the slice given to [`OverlayLayer::build`].
    pub feature: usize,
    /// Shared area, m² (0 for touching).
    pub area_m2: f64,
    /// Classification.
    pub class: OverlapClass,
    /// The shared parts (empty unless [`OverlapOptions::want_geometry`]; for a subdivided
    /// feature the parts of each piece are listed separately). Shared, so that a review's
    /// conflict parts can keep them without copying.
    pub parts: std::sync::Arc<MultiPolygon<f64>>,
}

struct Piece {
    feature: u32,
    poly: Polygon<f64>,
    area: f64,
    perimeter: f64,
    bbox: Rect<f64>,
}

/// A prepared polygon layer: pieces in an R-tree.
pub struct OverlayLayer {
    /// In the order they were cut; pieces of features removed by
    /// [`OverlayLayer::replace_features`] stay here as tombstones (feature [`REMOVED`], no
    /// geometry, out of the tree) until the layer is indexed afresh.
    pieces: Vec<Piece>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, u32>>,
    features: usize,
    /// How many of `pieces` are tombstones.
    removed: usize,
}

/// The feature number of a removed feature's piece left in [`OverlayLayer`]'s pieces.
const REMOVED: u32 = u32::MAX;

/// The R-tree entry of piece number `k`.
fn entry(k: usize, p: &Piece) -> GeomWithData<Rectangle<[f64; 2]>, u32> {
    let r = p.bbox;
    GeomWithData::new(
        Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
        k as u32,
    )
}

/// A polygon prepared for queries: the subject of [`OverlayLayer::overlaps`].
#[derive(Debug, Clone)]
pub struct Subject {
    mp: MultiPolygon<f64>,
    bbox: Rect<f64>,
    area: f64,
    perimeter: f64,
    segments: Vec<(Coord<f64>, Coord<f64>)>,
}

impl Subject {
    /// Prepares a (multi)polygon. `None` when it is empty.
    pub fn new(mut mp: MultiPolygon<f64>) -> Option<Subject> {
        mp.0.iter_mut().for_each(crate::clip::orient);
        let bbox = mp.bounding_rect()?;
        let area = mp.unsigned_area();
        let perimeter = mp.0.iter().map(perimeter).sum();
        let mut segments = Vec::new();
        for p in &mp {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                for l in ring.lines() {
                    segments.push((l.start, l.end));
                }
            }
        }
        Some(Subject {
            mp,
            bbox,
            area,
            perimeter,
            segments,
        })
    }

    /// The geometry.
    pub fn geometry(&self) -> &MultiPolygon<f64> {
        &self.mp
    }

    /// Area, m².
    pub fn area(&self) -> f64 {
        self.area
    }

    /// Bounding box.
    pub fn bbox(&self) -> Rect<f64> {
        self.bbox
    }
}

/// Cuts feature `feature`'s polygons into pieces of at most `opts.max_piece_vertices`
/// vertices (unusable polygons and empty pieces dropped, as [`OverlayLayer::build`] says) and
/// appends them to `pieces`.
fn cut_feature(feature: u32, mp: MultiPolygon<f64>, opts: &BuildOptions, pieces: &mut Vec<Piece>) {
    for p in mp {
        if !polygon_is_usable(&p) {
            continue;
        }
        subdivide(p, opts.max_piece_vertices.max(16), 0, &mut |mut poly| {
            crate::clip::orient(&mut poly);
            let area = poly.unsigned_area();
            if area > 0.0
                && let Some(bbox) = poly.bounding_rect()
            {
                poly.exterior_mut(|r| r.0.shrink_to_fit());
                pieces.push(Piece {
                    feature,
                    perimeter: perimeter(&poly),
                    poly,
                    area,
                    bbox,
                });
            }
        });
    }
}

impl OverlayLayer {
    /// Prepares a layer from its features. Empty features, and rings with fewer than three
    /// points or non-finite coordinates, are dropped here (callers validate and report
    /// features before building; see [`crate::corners::validate_rings`]).
    pub fn build(features: &[MultiPolygon<f64>], opts: &BuildOptions) -> OverlayLayer {
        Self::build_owned(features.to_vec(), opts)
    }

    /// [`OverlayLayer::build`] taking the features by value: each polygon is cut into its
    /// pieces without another copy of the layer (a county's farmland is millions of vertices).
    pub fn build_owned(features: Vec<MultiPolygon<f64>>, opts: &BuildOptions) -> OverlayLayer {
        let count = features.len();
        let mut pieces = Vec::new();
        for (i, mp) in features.into_iter().enumerate() {
            cut_feature(i as u32, mp, opts, &mut pieces);
        }
        Self::index(pieces, count)
    }

    /// The layer [`OverlayLayer::build`] would give for the features kept — every feature
    /// whose index is not in `remove`, in their order — followed by `added`: the same feature
    /// numbers, and every query answered alike (parts in the same order, areas summed in the
    /// same order). The kept features' pieces are kept as they were cut (renumbered) and only
    /// `added` is cut; the removed features' pieces leave the R-tree and the added ones
    /// enter it one by one, so that a layer that changes by one feature at a time (the
    /// register after a saved review) is neither cut nor indexed again. Once removed pieces
    /// would be half the layer, it is indexed afresh. Indices in `remove` beyond the layer
    /// are ignored.
    pub fn replace_features(
        &mut self,
        remove: &[usize],
        added: Vec<MultiPolygon<f64>>,
        opts: &BuildOptions,
    ) {
        let mut gone = vec![false; self.features];
        for &k in remove {
            if let Some(g) = gone.get_mut(k) {
                *g = true;
            }
        }
        // New index of each kept feature: its index less the removed ones before it.
        let mut renumber = Vec::with_capacity(self.features);
        let mut next = 0u32;
        for g in &gone {
            renumber.push(next);
            next += u32::from(!*g);
        }
        let count = next as usize + added.len();
        let leaving = self
            .pieces
            .iter()
            .filter(|p| p.feature != REMOVED && gone[p.feature as usize])
            .count();
        if 2 * (self.removed + leaving) > self.pieces.len() {
            let mut pieces = std::mem::take(&mut self.pieces);
            pieces.retain(|p| p.feature != REMOVED && !gone[p.feature as usize]);
            for p in &mut pieces {
                p.feature = renumber[p.feature as usize];
            }
            for (i, mp) in added.into_iter().enumerate() {
                cut_feature(next + i as u32, mp, opts, &mut pieces);
            }
            *self = Self::index(pieces, count);
            return;
        }
        for (k, p) in self.pieces.iter_mut().enumerate() {
            if p.feature == REMOVED {
                continue;
            }
            if gone[p.feature as usize] {
                self.tree.remove(&entry(k, p));
                p.feature = REMOVED;
                p.poly = Polygon::new(LineString(vec![]), vec![]);
                self.removed += 1;
            } else {
                p.feature = renumber[p.feature as usize];
            }
        }
        let first_new = self.pieces.len();
        for (i, mp) in added.into_iter().enumerate() {
            cut_feature(next + i as u32, mp, opts, &mut self.pieces);
        }
        for k in first_new..self.pieces.len() {
            self.tree.insert(entry(k, &self.pieces[k]));
        }
        self.features = count;
    }

    /// The layer of `pieces` (in feature order) of `count` features, with its R-tree.
    fn index(mut pieces: Vec<Piece>, count: usize) -> OverlayLayer {
        pieces.shrink_to_fit();
        let entries: Vec<_> = pieces
            .iter()
            .enumerate()
            .map(|(k, p)| entry(k, p))
            .collect();
        OverlayLayer {
            tree: RTree::bulk_load(entries),
            pieces,
            features: count,
            removed: 0,
        }
    }

    /// Number of features given to [`OverlayLayer::build`].
    pub fn feature_count(&self) -> usize {
        self.features
    }

    /// Number of pieces after subdivision.
    pub fn piece_count(&self) -> usize {
        self.pieces.len() - self.removed
    }

    /// The overlaps of `subject` with the layer's features, one entry per feature that
    /// overlaps, leaves a sliver or touches, in feature order.
    pub fn overlaps(&self, subject: &Subject, opts: &OverlapOptions) -> Vec<FeatureOverlap> {
        self.overlaps_where(subject, opts, |_| true)
    }

    /// [`OverlayLayer::overlaps`] with the features `keep` (given a feature's index) says
    /// no to left out before any geometry is compared — an application's own entry in the
    /// register, which would otherwise be clipped against itself.
    pub fn overlaps_where(
        &self,
        subject: &Subject,
        opts: &OverlapOptions,
        keep: impl Fn(usize) -> bool,
    ) -> Vec<FeatureOverlap> {
        let pad = opts.touch_width_m.max(0.0);
        let env = AABB::from_corners(
            [subject.bbox.min().x - pad, subject.bbox.min().y - pad],
            [subject.bbox.max().x + pad, subject.bbox.max().y + pad],
        );
        // Per feature: shared area, perimeter of the shared parts, the parts. Classified only
        // once everything is summed: a cut line of the subdivision can split an overlap into
        // thin sub-parts, which must not be mistaken for touching on their own. Collected per
        // piece, then sorted by feature and merged (a query may meet thousands of pieces).
        struct Acc {
            feature: u32,
            piece: u32,
            area: f64,
            perimeter: f64,
            parts: Vec<Polygon<f64>>,
        }
        let mut acc: Vec<Acc> = Vec::new();
        let mut add = |piece: u32, area: f64, perimeter: f64, parts: Vec<Polygon<f64>>| {
            acc.push(Acc {
                feature: self.pieces[piece as usize].feature,
                piece,
                area,
                perimeter,
                parts,
            })
        };
        let subject_rings = crate::clip::Rings::of(&subject.mp.0);
        let mut scratch = crate::clip::Scratch::default();
        let mut near = Vec::new();
        for hit in self.tree.locate_in_envelope_intersecting(&env) {
            let piece = &self.pieces[hit.data as usize];
            if !keep(piece.feature as usize) {
                continue;
            }
            match relate(subject, piece, pad, &mut near) {
                Relation::Disjoint => {}
                Relation::Near => {
                    if opts.detect_touching {
                        add(hit.data, 0.0, 0.0, vec![]);
                    }
                }
                Relation::SubjectInside => {
                    let parts = if opts.want_geometry {
                        subject.mp.0.clone()
                    } else {
                        vec![]
                    };
                    add(hit.data, subject.area, subject.perimeter, parts);
                }
                Relation::PieceInside => {
                    let parts = if opts.want_geometry {
                        vec![piece.poly.clone()]
                    } else {
                        vec![]
                    };
                    add(hit.data, piece.area, piece.perimeter, parts);
                }
                Relation::Partial => {
                    // Boundaries that cross cleanly: the fast path; anything else (shared
                    // vertices, collinear edges) the general overlay.
                    let piece_rings = crate::clip::Rings::of([&piece.poly]);
                    if let Some(c) = crate::clip::intersect(
                        &subject_rings,
                        &piece_rings,
                        opts.want_geometry,
                        &mut scratch,
                    ) {
                        if c.area > 0.0 || opts.detect_touching {
                            add(hit.data, c.area.max(0.0), c.perimeter, c.parts);
                        }
                        continue;
                    }
                    let inter = subject.mp.intersection(&piece.poly);
                    let (mut area, mut per) = (0.0, 0.0);
                    let mut parts = Vec::new();
                    for part in inter {
                        let a = part.unsigned_area();
                        if a <= 0.0 {
                            continue;
                        }
                        area += a;
                        per += perimeter(&part);
                        if opts.want_geometry {
                            parts.push(part);
                        }
                    }
                    // The boundaries meet: even without shared area that is touching.
                    if area > 0.0 || opts.detect_touching {
                        add(hit.data, area, per, parts);
                    }
                }
            }
        }
        // By feature, and within one by piece: the answer does not depend on the R-tree's
        // shape (bulk-loaded, or changed by [`OverlayLayer::replace_features`]).
        acc.sort_unstable_by_key(|e| (e.feature, e.piece));
        let mut merged: Vec<Acc> = Vec::with_capacity(acc.len());
        for e in acc {
            match merged.last_mut() {
                Some(m) if m.feature == e.feature => {
                    m.area += e.area;
                    m.perimeter += e.perimeter;
                    m.parts.extend(e.parts);
                }
                _ => merged.push(e),
            }
        }
        merged
            .into_iter()
            .filter_map(|e| {
                let touching = e.area <= 0.0
                    || (e.perimeter > 0.0 && 2.0 * e.area / e.perimeter <= opts.touch_width_m);
                if touching && !opts.detect_touching {
                    return None;
                }
                Some(if touching {
                    FeatureOverlap {
                        feature: e.feature as usize,
                        area_m2: 0.0,
                        class: OverlapClass::Touching,
                        parts: std::sync::Arc::new(MultiPolygon(vec![])),
                    }
                } else {
                    FeatureOverlap {
                        feature: e.feature as usize,
                        area_m2: e.area,
                        class: if e.area <= opts.sliver_area_m2 {
                            OverlapClass::Sliver
                        } else {
                            OverlapClass::Overlap
                        },
                        parts: std::sync::Arc::new(MultiPolygon(e.parts)),
                    }
                })
            })
            .collect()
    }
}

/// Length of all rings, m.
fn perimeter(p: &Polygon<f64>) -> f64 {
    std::iter::once(p.exterior())
        .chain(p.interiors())
        .flat_map(|r| {
            r.lines().map(|l| {
                let (dx, dy) = (l.end.x - l.start.x, l.end.y - l.start.y);
                (dx * dx + dy * dy).sqrt()
            })
        })
        .sum()
}

fn polygon_is_usable(p: &Polygon<f64>) -> bool {
    let ext = p.exterior();
    ext.0.len() >= 4
        && p.exterior()
            .coords()
            .chain(p.interiors().iter().flat_map(|r| r.coords()))
            .all(|c| c.x.is_finite() && c.y.is_finite())
}

fn vertex_count(p: &Polygon<f64>) -> usize {
    p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()
}

/// Recursive bisection along the longer side of the bounding box.
fn subdivide(p: Polygon<f64>, max_vertices: usize, depth: u32, out: &mut dyn FnMut(Polygon<f64>)) {
    if vertex_count(&p) <= max_vertices || depth > 24 {
        out(p);
        return;
    }
    let Some(r) = p.bounding_rect() else { return };
    let (axis, mid) = if r.width() >= r.height() {
        (0, 0.5 * (r.min().x + r.max().x))
    } else {
        (1, 0.5 * (r.min().y + r.max().y))
    };
    for keep_low in [true, false] {
        let ext = clip_ring(&p.exterior().0, axis, mid, keep_low);
        if ext.len() < 4 {
            continue;
        }
        let holes: Vec<LineString<f64>> = p
            .interiors()
            .iter()
            .map(|h| clip_ring(&h.0, axis, mid, keep_low))
            .filter(|h| h.len() >= 4)
            .map(LineString)
            .collect();
        subdivide(
            Polygon::new(LineString(ext), holes),
            max_vertices,
            depth + 1,
            out,
        );
    }
}

/// Sutherland–Hodgman clip of a closed ring to the half-plane `coord[axis] <= value`
/// (`keep_low`) or `>= value`. A concave ring may come back with zero-width bridges along
/// the cut; they enclose no area and the overlay ignores them. Returns a closed ring.
fn clip_ring(ring: &[Coord<f64>], axis: usize, value: f64, keep_low: bool) -> Vec<Coord<f64>> {
    let get = |c: &Coord<f64>| if axis == 0 { c.x } else { c.y };
    let inside = |c: &Coord<f64>| {
        if keep_low {
            get(c) <= value
        } else {
            get(c) >= value
        }
    };
    let n = if ring.len() > 1 && ring[0] == ring[ring.len() - 1] {
        ring.len() - 1
    } else {
        ring.len()
    };
    let mut out = Vec::with_capacity(n + 4);
    for i in 0..n {
        let cur = ring[i];
        let prev = ring[(i + n - 1) % n];
        let (ci, pi) = (inside(&cur), inside(&prev));
        if ci != pi {
            let t = (value - get(&prev)) / (get(&cur) - get(&prev));
            let mut c = Coord {
                x: prev.x + t * (cur.x - prev.x),
                y: prev.y + t * (cur.y - prev.y),
            };
            // Exactly on the cut line, so neighbouring pieces share their cut vertices.
            if axis == 0 {
                c.x = value;
            } else {
                c.y = value;
            }
            out.push(c);
        }
        if ci {
            out.push(cur);
        }
    }
    if let Some(&first) = out.first() {
        out.push(first);
    }
    out
}

enum Relation {
    Disjoint,
    /// No shared interior found by the cheap tests, but boundaries within the touch width.
    Near,
    SubjectInside,
    PieceInside,
    Partial,
}

fn seg_bbox_meet(a: (Coord<f64>, Coord<f64>), b: (Coord<f64>, Coord<f64>), pad: f64) -> bool {
    a.0.x.min(a.1.x) <= b.0.x.max(b.1.x) + pad
        && b.0.x.min(b.1.x) <= a.0.x.max(a.1.x) + pad
        && a.0.y.min(a.1.y) <= b.0.y.max(b.1.y) + pad
        && b.0.y.min(b.1.y) <= a.0.y.max(a.1.y) + pad
}

fn orient(p: Coord<f64>, q: Coord<f64>, r: Coord<f64>) -> f64 {
    (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)
}

/// Whether two segments intersect (crossing or touching, collinear overlap included).
fn segments_meet(a: (Coord<f64>, Coord<f64>), b: (Coord<f64>, Coord<f64>)) -> bool {
    let d1 = orient(b.0, b.1, a.0);
    let d2 = orient(b.0, b.1, a.1);
    let d3 = orient(a.0, a.1, b.0);
    let d4 = orient(a.0, a.1, b.1);
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
    {
        return true;
    }
    let on = |p: Coord<f64>, q: Coord<f64>, r: Coord<f64>| {
        r.x >= p.x.min(q.x) && r.x <= p.x.max(q.x) && r.y >= p.y.min(q.y) && r.y <= p.y.max(q.y)
    };
    (d1 == 0.0 && on(b.0, b.1, a.0))
        || (d2 == 0.0 && on(b.0, b.1, a.1))
        || (d3 == 0.0 && on(a.0, a.1, b.0))
        || (d4 == 0.0 && on(a.0, a.1, b.1))
}

fn seg_point_dist2(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    };
    let (ex, ey) = (p.x - a.x - t * dx, p.y - a.y - t * dy);
    ex * ex + ey * ey
}

fn seg_seg_dist2(a: (Coord<f64>, Coord<f64>), b: (Coord<f64>, Coord<f64>)) -> f64 {
    if segments_meet(a, b) {
        return 0.0;
    }
    seg_point_dist2(a.0, b.0, b.1)
        .min(seg_point_dist2(a.1, b.0, b.1))
        .min(seg_point_dist2(b.0, a.0, a.1))
        .min(seg_point_dist2(b.1, a.0, a.1))
}

fn ring_segments(p: &Polygon<f64>) -> impl Iterator<Item = (Coord<f64>, Coord<f64>)> + '_ {
    std::iter::once(p.exterior())
        .chain(p.interiors())
        .flat_map(|r| r.lines().map(|l| (l.start, l.end)))
}

/// Even-odd point in polygon (exterior and holes).
fn point_in_polygon(c: Coord<f64>, p: &Polygon<f64>) -> bool {
    let mut inside = false;
    for (a, b) in ring_segments(p) {
        if (a.y > c.y) != (b.y > c.y) && c.x < (b.x - a.x) * (c.y - a.y) / (b.y - a.y) + a.x {
            inside = !inside;
        }
    }
    inside
}

fn point_in_multi(c: Coord<f64>, mp: &MultiPolygon<f64>) -> bool {
    mp.0.iter().any(|p| point_in_polygon(c, p))
}

/// How `piece` meets the subject `s`; `near` is working memory (the piece's edges near the
/// subject's box), kept between calls.
fn relate(
    s: &Subject,
    piece: &Piece,
    pad: f64,
    near: &mut Vec<(Coord<f64>, Coord<f64>)>,
) -> Relation {
    let pb = piece.bbox;
    let piece = &piece.poly;
    let sb = s.bbox;
    near.clear();
    let (x0, x1) = (sb.min().x - pad, sb.max().x + pad);
    let (y0, y1) = (sb.min().y - pad, sb.max().y + pad);
    for ring in std::iter::once(piece.exterior()).chain(piece.interiors()) {
        for w in ring.0.windows(2) {
            let (a, b) = (w[0], w[1]);
            if a.x.min(b.x) <= x1 && a.x.max(b.x) >= x0 && a.y.min(b.y) <= y1 && a.y.max(b.y) >= y0
            {
                near.push((a, b));
            }
        }
    }
    let near = &near[..];
    let mut close = false;
    for &e in &s.segments {
        if e.0.x.min(e.1.x) > pb.max().x + pad
            || e.0.x.max(e.1.x) < pb.min().x - pad
            || e.0.y.min(e.1.y) > pb.max().y + pad
            || e.0.y.max(e.1.y) < pb.min().y - pad
        {
            continue;
        }
        for &f in near {
            if !seg_bbox_meet(e, f, pad) {
                continue;
            }
            if segments_meet(e, f) {
                return Relation::Partial;
            }
            if pad > 0.0 && !close && seg_seg_dist2(e, f) <= pad * pad {
                close = true;
            }
        }
    }
    // No boundary contact: containment or disjoint.
    let s_first = s.mp.0.iter().map(|p| p.exterior().0[0]).next();
    if let Some(c) = s_first
        && point_in_polygon(c, piece)
    {
        // A hole of the piece inside the subject makes it partial.
        if piece
            .interiors()
            .iter()
            .any(|h| h.0.first().is_some_and(|&v| point_in_multi(v, &s.mp)))
        {
            return Relation::Partial;
        }
        // Several subject polygons: each must be inside.
        if s.mp
            .0
            .iter()
            .all(|p| point_in_polygon(p.exterior().0[0], piece))
        {
            return Relation::SubjectInside;
        }
        return Relation::Partial;
    }
    if point_in_multi(piece.exterior().0[0], &s.mp) {
        if s.mp
            .0
            .iter()
            .flat_map(|p| p.interiors())
            .any(|h| h.0.first().is_some_and(|&v| point_in_polygon(v, piece)))
        {
            return Relation::Partial;
        }
        return Relation::PieceInside;
    }
    // Another subject polygon may lie inside the piece.
    if s.mp
        .0
        .iter()
        .skip(1)
        .any(|p| point_in_polygon(p.exterior().0[0], piece))
    {
        return Relation::Partial;
    }
    if close {
        Relation::Near
    } else {
        Relation::Disjoint
    }
}

/// Builds a polygon from `(easting, northing)` rings: exterior first, then holes; rings may
/// be open or closed.
pub fn polygon_from_rings(rings: &[Vec<(f64, f64)>]) -> Option<Polygon<f64>> {
    let to_ls = |r: &Vec<(f64, f64)>| {
        let mut v: Vec<Coord<f64>> = r.iter().map(|&(x, y)| Coord { x, y }).collect();
        if v.first() != v.last()
            && let Some(&f) = v.first()
        {
            v.push(f);
        }
        LineString(v)
    };
    let ext = rings.first()?;
    Some(Polygon::new(
        to_ls(ext),
        rings[1..].iter().map(to_ls).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
        polygon_from_rings(&[vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]]).unwrap()
    }

    fn layer(ps: Vec<Polygon<f64>>) -> OverlayLayer {
        let f: Vec<MultiPolygon<f64>> = ps.into_iter().map(|p| MultiPolygon(vec![p])).collect();
        OverlayLayer::build(&f, &BuildOptions::default())
    }

    /// A layer changed by [`OverlayLayer::replace_features`] answers every query as the layer
    /// built from the kept features and the added ones, in that order: same feature numbers,
    /// areas, classes and pieces (one feature large enough to be cut into several).
    #[test]
    fn replacing_features_gives_the_layer_built_afresh() {
        let big = |x0: f64| {
            // 400 vertices along the south edge: cut into pieces of at most 256.
            let mut ring: Vec<(f64, f64)> = (0..400).map(|k| (x0 + f64::from(k), 0.0)).collect();
            ring.extend([(x0 + 400.0, 0.0), (x0 + 400.0, 100.0), (x0, 100.0)]);
            polygon_from_rings(&[ring]).unwrap()
        };
        let all = [
            rect(0.0, 0.0, 100.0, 100.0),
            big(150.0),
            rect(600.0, 0.0, 700.0, 100.0),
            rect(700.0, 0.0, 800.0, 100.0),
            rect(900.0, 50.0, 1000.0, 150.0),
        ];
        let mp = |p: &Polygon<f64>| MultiPolygon(vec![p.clone()]);
        let opts = BuildOptions::default();
        let mut changed = OverlayLayer::build(&all.iter().map(mp).collect::<Vec<_>>(), &opts);
        assert!(changed.piece_count() > all.len(), "the large one is cut");
        let added = rect(50.0, 50.0, 950.0, 120.0);
        changed.replace_features(&[1, 3, 99], vec![mp(&added)], &opts);
        let afresh = OverlayLayer::build(&[&all[0], &all[2], &all[4], &added].map(mp), &opts);
        assert_eq!(changed.feature_count(), 4);
        assert_eq!(changed.piece_count(), afresh.piece_count());
        let answer = |l: &OverlayLayer, s: &Subject| -> Vec<(usize, f64, OverlapClass)> {
            l.overlaps(s, &OverlapOptions::default())
                .iter()
                .map(|o| (o.feature, o.area_m2, o.class))
                .collect()
        };
        for subject in [
            rect(0.0, 0.0, 1000.0, 200.0),
            rect(650.0, 0.0, 950.0, 60.0),
            rect(700.0, 100.0, 900.0, 200.0),
        ] {
            let s = Subject::new(MultiPolygon(vec![subject])).unwrap();
            let got = answer(&changed, &s);
            assert!(!got.is_empty());
            assert_eq!(got, answer(&afresh, &s));
        }
        // The big feature gone, the third (600–700) is now feature 1, the added one 3.
        let s = Subject::new(MultiPolygon(vec![rect(640.0, 0.0, 660.0, 200.0)])).unwrap();
        assert_eq!(
            answer(&changed, &s),
            vec![
                (1, 2000.0, OverlapClass::Overlap),
                (3, 20.0 * 70.0, OverlapClass::Overlap)
            ]
        );
    }

    /// One feature at a time (the register after each saved review): the pieces leave and
    /// enter the R-tree in place, and every answer — features, areas, classes and the parts
    /// themselves in order — is the layer built afresh; removed pieces are not counted.
    #[test]
    fn changing_one_feature_at_a_time_answers_as_built_afresh() {
        let big = |x0: f64| {
            let mut ring: Vec<(f64, f64)> = (0..600).map(|k| (x0 + f64::from(k), 0.0)).collect();
            ring.extend([(x0 + 600.0, 0.0), (x0 + 600.0, 90.0), (x0, 90.0)]);
            polygon_from_rings(&[ring]).unwrap()
        };
        let mp = |p: &Polygon<f64>| MultiPolygon(vec![p.clone()]);
        let opts = BuildOptions::default();
        let mut all: Vec<Polygon<f64>> = (0..40)
            .map(|k| {
                let x = f64::from(k) * 50.0;
                rect(x, 0.0, x + 40.0, 40.0 + f64::from(k % 7) * 10.0)
            })
            .collect();
        all.push(big(100.0));
        let mut changed = OverlayLayer::build(&all.iter().map(mp).collect::<Vec<_>>(), &opts);
        let answer = |l: &OverlayLayer, s: &Subject| {
            l.overlaps(s, &OverlapOptions::default())
                .iter()
                .map(|o| (o.feature, o.area_m2, o.class, (*o.parts).clone()))
                .collect::<Vec<_>>()
        };
        // Replace feature 3 by a wide one, then the big one by itself moved, then drop one.
        let steps: [(Vec<usize>, Vec<Polygon<f64>>); 3] = [
            (vec![3], vec![rect(120.0, 10.0, 1500.0, 30.0)]),
            (vec![39], vec![big(130.0)]),
            (vec![0, 5], vec![]),
        ];
        for (remove, added) in steps {
            let before = changed.piece_count();
            changed.replace_features(&remove, added.iter().map(mp).collect(), &opts);
            all = all
                .into_iter()
                .enumerate()
                .filter(|(k, _)| !remove.contains(k))
                .map(|(_, p)| p)
                .chain(added)
                .collect();
            let afresh = OverlayLayer::build(&all.iter().map(mp).collect::<Vec<_>>(), &opts);
            assert_eq!(changed.feature_count(), afresh.feature_count());
            assert_eq!(changed.piece_count(), afresh.piece_count());
            assert!(changed.removed > 0 || before == 0, "changed in place");
            for subject in [
                rect(0.0, 0.0, 2000.0, 200.0),
                rect(110.0, 5.0, 700.0, 35.0),
                rect(600.0, 20.0, 900.0, 60.0),
            ] {
                let s = Subject::new(MultiPolygon(vec![subject])).unwrap();
                let got = answer(&changed, &s);
                assert!(!got.is_empty());
                assert_eq!(got, answer(&afresh, &s));
            }
        }
    }

    #[test]
    fn partial_inside_disjoint_and_touching() {
        let l = layer(vec![
            rect(0.0, 0.0, 100.0, 100.0),     // partial: 50 × 100
            rect(200.0, 0.0, 210.0, 10.0),    // inside the subject
            rect(1000.0, 0.0, 1100.0, 100.0), // far
            rect(300.0, 0.0, 400.0, 100.0),   // shares the subject's east edge
        ]);
        let s = Subject::new(MultiPolygon(vec![rect(50.0, 0.0, 300.0, 100.0)])).unwrap();
        let got = l.overlaps(&s, &OverlapOptions::default());
        let v: Vec<(usize, f64, OverlapClass)> = got
            .iter()
            .map(|o| (o.feature, o.area_m2, o.class))
            .collect();
        assert_eq!(
            v,
            vec![
                (0, 5000.0, OverlapClass::Overlap),
                (1, 100.0, OverlapClass::Overlap),
                (3, 0.0, OverlapClass::Touching)
            ]
        );
    }

    #[test]
    fn subject_inside_a_feature() {
        let l = layer(vec![rect(0.0, 0.0, 1000.0, 1000.0)]);
        let s = Subject::new(MultiPolygon(vec![rect(10.0, 10.0, 20.0, 30.0)])).unwrap();
        let got = l.overlaps(&s, &OverlapOptions::default());
        assert_eq!(
            (got[0].area_m2, got[0].class),
            (200.0, OverlapClass::Overlap)
        );
    }

    #[test]
    fn subdivided_feature_adds_up() {
        // A 2000-vertex "circle" of radius 1000 m, cut into pieces of ≤ 64 vertices.
        let n = 2000;
        let ring: Vec<(f64, f64)> = (0..n)
            .map(|k| {
                let t = std::f64::consts::TAU * k as f64 / n as f64;
                (1000.0 * t.cos(), 1000.0 * t.sin())
            })
            .collect();
        let circle = polygon_from_rings(&[ring]).unwrap();
        let whole = circle.unsigned_area();
        let f = vec![MultiPolygon(vec![circle])];
        let l = OverlayLayer::build(
            &f,
            &BuildOptions {
                max_piece_vertices: 64,
            },
        );
        assert!(l.piece_count() > 30, "{}", l.piece_count());
        // A subject covering everything sees the whole area; a half-plane box sees half.
        let s = Subject::new(MultiPolygon(vec![rect(-2000.0, -2000.0, 2000.0, 2000.0)])).unwrap();
        let got = l.overlaps(&s, &OverlapOptions::default());
        assert!(
            (got[0].area_m2 / whole - 1.0).abs() < 1e-12,
            "{} vs {whole}",
            got[0].area_m2
        );
        let s = Subject::new(MultiPolygon(vec![rect(0.0, -2000.0, 2000.0, 2000.0)])).unwrap();
        let got = l.overlaps(&s, &OverlapOptions::default());
        assert!(
            (got[0].area_m2 / (whole / 2.0) - 1.0).abs() < 1e-9,
            "{}",
            got[0].area_m2
        );
    }

    #[test]
    fn sliver_is_classified() {
        // 0.5 m × 1 m overlap: 0.5 m² ≤ 1 m² sliver tolerance, but wider than 0.01 m.
        let l = layer(vec![rect(0.0, 0.0, 100.0, 100.0)]);
        let s = Subject::new(MultiPolygon(vec![rect(99.5, 50.0, 150.0, 51.0)])).unwrap();
        let got = l.overlaps(&s, &OverlapOptions::default());
        assert_eq!(got[0].class, OverlapClass::Sliver);
        assert!((got[0].area_m2 - 0.5).abs() < 1e-9);
    }
}
