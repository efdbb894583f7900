//! The intersection of two small simple polygons when their boundaries cross cleanly: the
//! overlay's fast path for a subject (an application, a right) against one piece of a layer.
//!
//! The boundary of `A ∩ B` is the part of `A`'s boundary inside `B` and the part of `B`'s
//! inside `A` (Green's theorem: with every exterior ring counter-clockwise and every hole
//! clockwise, the intersection's interior lies to the left of those parts). Each edge is split
//! at its proper crossings with the other polygon's edges; its sub-segments alternate between
//! inside and outside, starting from whether the edge's first vertex lies inside; the area is
//! the shoelace sum over the sub-segments kept, and the parts are those sub-segments linked
//! into rings (at a crossing, the ring leaves on the other polygon's boundary).
//!
//! Anything not clean — a vertex on the other boundary, collinear edges, or a point-in-polygon
//! answer at odds with the crossings counted along an edge (points within rounding of the
//! other boundary) — is [`None`]: the caller falls back to a general boolean overlay
//! (i_overlay), which handles every configuration. Coordinates: one metric plane, metres; the
//! sums are taken relative to an origin near the polygons, so large absolute coordinates (a
//! Gauss–Krüger northing of 5 000 km) do not cost precision.

use geo::{Coord, LineString, Polygon};

/// A polygon's rings as open vertex lists (the closing vertex left off), borrowed from
/// polygons already oriented: exteriors counter-clockwise, holes clockwise ([`orient`]).
#[derive(Debug, Clone)]
pub(crate) struct Rings<'a> {
    pub(crate) rings: Vec<&'a [Coord<f64>]>,
    /// The box of the vertices: (min x, min y, max x, max y), computed once.
    bounds: (f64, f64, f64, f64),
}

/// Turns `p`'s exterior counter-clockwise and its holes clockwise, in place.
pub(crate) fn orient(p: &mut Polygon<f64>) {
    let turn = |r: &mut LineString<f64>, ccw: bool| {
        if r.0.len() >= 3 && (signed_area2(&r.0, r.0[0]) > 0.0) != ccw {
            r.0.reverse();
        }
    };
    p.exterior_mut(|r| turn(r, true));
    p.interiors_mut(|hs| hs.iter_mut().for_each(|h| turn(h, false)));
}

impl<'a> Rings<'a> {
    /// The rings of `polygons`, which must be [`orient`]ed. Rings with fewer than three
    /// positions are skipped.
    pub(crate) fn of(polygons: impl IntoIterator<Item = &'a Polygon<f64>>) -> Rings<'a> {
        let mut rings = Vec::new();
        for p in polygons {
            for r in std::iter::once(p.exterior()).chain(p.interiors()) {
                let mut v = &r.0[..];
                if v.len() > 1 && v.first() == v.last() {
                    v = &v[..v.len() - 1];
                }
                if v.len() >= 3 {
                    rings.push(v);
                }
            }
        }
        Rings::new(rings)
    }

    /// Rings given as open vertex lists, with their box.
    fn new(rings: Vec<&'a [Coord<f64>]>) -> Rings<'a> {
        let mut b = (
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        );
        for c in rings.iter().flat_map(|r| r.iter()) {
            b = (b.0.min(c.x), b.1.min(c.y), b.2.max(c.x), b.3.max(c.y));
        }
        Rings { rings, bounds: b }
    }

    fn vertex_count(&self) -> usize {
        self.rings.iter().map(|r| r.len()).sum()
    }

    /// Whether `c` lies inside (even–odd over all rings), by the sign of the same orientation
    /// test the crossings are found with; `None` when it lies on an edge or a vertex.
    fn locate(&self, c: Coord<f64>) -> Option<bool> {
        let mut inside = false;
        for r in &self.rings {
            let n = r.len();
            for i in 0..n {
                let (a, b) = (r[i], r[(i + 1) % n]);
                if (a.y > c.y) != (b.y > c.y) {
                    let d = orient2(a, b, c);
                    if d == 0.0 {
                        return None;
                    }
                    // The edge crosses the ray to the east of c when c is on its left going
                    // up, or on its right going down.
                    if (d > 0.0) == (b.y > a.y) {
                        inside = !inside;
                    }
                } else if a.y == c.y && b.y == c.y && c.x >= a.x.min(b.x) && c.x <= a.x.max(b.x) {
                    return None;
                }
            }
        }
        Some(inside)
    }
}

/// Twice the signed area of an open ring, relative to `o`.
fn signed_area2(r: &[Coord<f64>], o: Coord<f64>) -> f64 {
    let n = r.len();
    (0..n)
        .map(|i| {
            let (a, b) = (r[i] - o, r[(i + 1) % n] - o);
            a.x * b.y - a.y * b.x
        })
        .sum()
}

/// The intersection of `a` and `b`: its area (m²), the length of its boundary (m) and, when
/// `want_parts`, its polygons (exteriors counter-clockwise, holes clockwise, closed rings).
pub(crate) struct Clipped {
    pub(crate) area: f64,
    pub(crate) perimeter: f64,
    pub(crate) parts: Vec<Polygon<f64>>,
}

/// One proper crossing of an edge of `a` and an edge of `b`.
struct Crossing {
    at: Coord<f64>,
}

/// Where a kept boundary piece starts or ends: a vertex (by its number over all rings of its
/// polygon) or a crossing.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Node {
    Vertex(u32),
    Crossing(u32),
}

struct Seg {
    from: Coord<f64>,
    to: Coord<f64>,
    /// Polygon (0 = a, 1 = b) and the nodes at either end.
    side: u8,
    start: Node,
    end: Node,
}

/// An edge: its number over all rings of its polygon, its ends relative to the origin.
type Edge = (u32, Coord<f64>, Coord<f64>);

/// Working memory of [`intersect`], kept between calls of one query so that clipping the
/// pieces one after another does not allocate for each.
#[derive(Default)]
pub(crate) struct Scratch {
    cand: [Vec<Edge>; 2],
    crossings: Vec<Crossing>,
    /// Per side: (edge number, position along the edge 0..1, crossing).
    cuts: [Vec<(u32, f64, u32)>; 2],
    segs: Vec<Seg>,
    from_vertex: [Vec<u32>; 2],
    from_crossing: [Vec<u32>; 2],
    used: Vec<bool>,
}

fn orient2(p: Coord<f64>, q: Coord<f64>, r: Coord<f64>) -> f64 {
    (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)
}

/// The edges of `r` (numbered over all rings: edge `k` leaves vertex `k`) whose boxes meet
/// `bb`, relative to `o`.
fn candidates(r: &Rings<'_>, bb: (f64, f64, f64, f64), o: Coord<f64>, out: &mut Vec<Edge>) {
    out.clear();
    let mut base = 0u32;
    for ring in &r.rings {
        let n = ring.len();
        for i in 0..n {
            let (p, q) = (ring[i], ring[(i + 1) % n]);
            if p.x.max(q.x) >= bb.0
                && p.x.min(q.x) <= bb.2
                && p.y.max(q.y) >= bb.1
                && p.y.min(q.y) <= bb.3
            {
                out.push((base + i as u32, p - o, q - o));
            }
        }
        base += n as u32;
    }
}

/// `A ∩ B` for two polygons given as oriented rings (see the module doc), or `None` when the
/// boundaries do not cross cleanly and a general overlay must decide.
pub(crate) fn intersect(
    a: &Rings<'_>,
    b: &Rings<'_>,
    want_parts: bool,
    scratch: &mut Scratch,
) -> Option<Clipped> {
    let o = a.rings.first()?.first().copied()?;
    let Scratch {
        cand,
        crossings,
        cuts,
        segs,
        ..
    } = scratch;
    // Only edges inside the other polygon's box can cross it.
    candidates(a, b.bounds, o, &mut cand[0]);
    candidates(b, a.bounds, o, &mut cand[1]);
    crossings.clear();
    cuts[0].clear();
    cuts[1].clear();
    for &(i, p0, p1) in &cand[0] {
        let (x0, x1, y0, y1) = (
            p0.x.min(p1.x),
            p0.x.max(p1.x),
            p0.y.min(p1.y),
            p0.y.max(p1.y),
        );
        for &(k, q0, q1) in &cand[1] {
            if x0 > q0.x.max(q1.x)
                || q0.x.min(q1.x) > x1
                || y0 > q0.y.max(q1.y)
                || q0.y.min(q1.y) > y1
            {
                continue;
            }
            let d1 = orient2(q0, q1, p0);
            let d2 = orient2(q0, q1, p1);
            let d3 = orient2(p0, p1, q0);
            let d4 = orient2(p0, p1, q1);
            if d1 == 0.0 || d2 == 0.0 || d3 == 0.0 || d4 == 0.0 {
                // A vertex on the other edge's line within the boxes: touching, collinear or
                // crossing at a vertex. Not clean.
                return None;
            }
            if (d1 > 0.0) != (d2 > 0.0) && (d3 > 0.0) != (d4 > 0.0) {
                let (ta, tb) = (d1 / (d1 - d2), d3 / (d3 - d4));
                let c = crossings.len() as u32;
                crossings.push(Crossing {
                    at: o + p0 + (p1 - p0) * ta,
                });
                cuts[0].push((i, ta, c));
                cuts[1].push((k, tb, c));
            }
        }
    }
    for side in cuts.iter_mut() {
        side.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.total_cmp(&y.1)));
    }
    // Each ring's pieces alternate inside / outside the other polygon at every crossing,
    // starting from where its first vertex lies. Another vertex halfway round is located
    // too: where it lies must agree with the crossings counted up to it.
    segs.clear();
    for (side, (this, other)) in [(a, b), (b, a)].into_iter().enumerate() {
        let cuts = &cuts[side];
        let mut next_cut = 0usize;
        let mut base = 0u32;
        for ring in &this.rings {
            let n = ring.len() as u32;
            let first = other.locate(ring[0])?;
            let mut state = first;
            for i in 0..n {
                if i == n / 2 && other.locate(ring[i as usize])? != state {
                    return None;
                }
                let v = base + i;
                let w = base + (i + 1) % n;
                let mut from = (ring[i as usize], Node::Vertex(v));
                while let Some(&(e, _, c)) = cuts.get(next_cut)
                    && e == v
                {
                    next_cut += 1;
                    let to = (crossings[c as usize].at, Node::Crossing(c));
                    if state {
                        segs.push(Seg {
                            from: from.0,
                            to: to.0,
                            side: side as u8,
                            start: from.1,
                            end: to.1,
                        });
                    }
                    state = !state;
                    from = to;
                }
                if state {
                    segs.push(Seg {
                        from: from.0,
                        to: ring[((i + 1) % n) as usize],
                        side: side as u8,
                        start: from.1,
                        end: Node::Vertex(w),
                    });
                }
            }
            if state != first {
                return None;
            }
            base += n;
        }
    }
    let (mut area2, mut perimeter) = (0.0, 0.0);
    for s in segs.iter() {
        let (p, q) = (s.from - o, s.to - o);
        area2 += p.x * q.y - p.y * q.x;
        let d = s.to - s.from;
        perimeter += (d.x * d.x + d.y * d.y).sqrt();
    }
    let parts = if want_parts {
        link(a.vertex_count(), b.vertex_count(), o, scratch)?
    } else {
        Vec::new()
    };
    Some(Clipped {
        area: 0.5 * area2,
        perimeter,
        parts,
    })
}

/// Links the kept boundary pieces into rings and the rings into polygons. `None` when a piece
/// has no successor (the crossings were not consistent).
fn link(na: usize, nb: usize, o: Coord<f64>, scratch: &mut Scratch) -> Option<Vec<Polygon<f64>>> {
    const NONE: u32 = u32::MAX;
    let Scratch {
        segs,
        from_vertex,
        from_crossing,
        used,
        crossings,
        ..
    } = scratch;
    let nc = crossings.len();
    // The kept piece leaving each vertex of a / b and each crossing (on the other side).
    for (v, n) in from_vertex.iter_mut().zip([na, nb]) {
        v.clear();
        v.resize(n, NONE);
    }
    for v in from_crossing.iter_mut() {
        v.clear();
        v.resize(nc, NONE);
    }
    for (k, s) in segs.iter().enumerate() {
        let slot = match s.start {
            Node::Vertex(v) => &mut from_vertex[s.side as usize][v as usize],
            Node::Crossing(c) => &mut from_crossing[s.side as usize][c as usize],
        };
        if *slot != NONE {
            return None;
        }
        *slot = k as u32;
    }
    used.clear();
    used.resize(segs.len(), false);
    let mut rings: Vec<(f64, Vec<Coord<f64>>)> = Vec::new();
    for first in 0..segs.len() {
        if used[first] {
            continue;
        }
        let mut ring = Vec::with_capacity(segs.len() - first + 1);
        let mut k = first;
        loop {
            if used[k] {
                if k != first {
                    return None;
                }
                break;
            }
            used[k] = true;
            let s = &segs[k];
            ring.push(s.from);
            let next = match s.end {
                Node::Vertex(v) => from_vertex[s.side as usize][v as usize],
                // At a crossing the boundary goes on along the other polygon.
                Node::Crossing(c) => from_crossing[1 - s.side as usize][c as usize],
            };
            if next == NONE {
                return None;
            }
            k = next as usize;
        }
        let a2 = signed_area2(&ring, o);
        if a2 != 0.0 {
            ring.push(ring[0]);
            rings.push((a2, ring));
        }
    }
    let (mut shells, holes): (Vec<_>, Vec<_>) = rings.into_iter().partition(|r| r.0 > 0.0);
    if holes.is_empty() {
        return Some(
            shells
                .into_iter()
                .map(|(_, r)| Polygon::new(LineString(r), vec![]))
                .collect(),
        );
    }
    // Each hole in the smallest shell that contains its first point (the rings do not meet,
    // so no point of a hole lies on a shell).
    shells.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut inner: Vec<Vec<LineString<f64>>> = vec![Vec::new(); shells.len()];
    for (_, h) in holes {
        let owner = shells
            .iter()
            .position(|(_, s)| Rings::new(vec![&s[..s.len() - 1]]).locate(h[0]) == Some(true))?;
        inner[owner].push(LineString(h));
    }
    Some(
        shells
            .into_iter()
            .zip(inner)
            .map(|((_, s), h)| Polygon::new(LineString(s), h))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::algorithm::bool_ops::BooleanOps;
    use geo::{Area, MultiPolygon};

    struct Rng(u64);
    impl Rng {
        fn f(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn star(rng: &mut Rng, cx: f64, cy: f64, r: f64, n: usize, spread: f64) -> Polygon<f64> {
        let mut pts: Vec<Coord<f64>> = (0..n)
            .map(|k| {
                let t = std::f64::consts::TAU * (k as f64 + 0.3 * rng.f()) / n as f64;
                let rr = r * (1.0 - spread + 2.0 * spread * rng.f());
                Coord {
                    x: cx + rr * t.cos(),
                    y: cy + rr * t.sin(),
                }
            })
            .collect();
        if rng.f() < 0.5 {
            pts.reverse();
        }
        pts.push(pts[0]);
        Polygon::new(LineString(pts), vec![])
    }

    /// On random star-shaped polygons (either orientation, with and without a hole) far from
    /// the origin, the fast path gives the area, the boundary length and the parts' area of
    /// i_overlay's intersection, and the parts are oriented rings. (Against GEOS itself:
    /// `tests/geos_oracle.rs`, through the overlay.)
    #[test]
    fn agrees_with_the_general_overlay() {
        let mut rng = Rng(7);
        let (mut fast, mut with_holes, mut several) = (0, 0, 0);
        for case in 0..2000 {
            let (x0, y0) = (500_000.0, 4_900_000.0);
            let spread = if case % 2 == 0 { 0.4 } else { 0.9 };
            let a = star(&mut rng, x0, y0, 100.0, 4 + case % 37, spread);
            let (dx, dy) = (150.0 * (rng.f() - 0.5), 150.0 * (rng.f() - 0.5));
            let mut b = star(&mut rng, x0 + dx, y0 + dy, 60.0, 12, 0.4);
            if case % 3 == 0 {
                // A hole around b's centre.
                let mut h = star(&mut rng, 0.0, 0.0, 8.0, 6, 0.4).exterior().0.clone();
                let (cx, cy) = (
                    b.exterior().0.iter().map(|p| p.x).sum::<f64>() / 13.0,
                    b.exterior().0.iter().map(|p| p.y).sum::<f64>() / 13.0,
                );
                for p in &mut h {
                    p.x += cx;
                    p.y += cy;
                }
                b = Polygon::new(b.exterior().clone(), vec![LineString(h)]);
            }
            let expected = a.intersection(&b);
            let expected_area = expected.unsigned_area();
            let (mut oa, mut ob) = (a.clone(), b.clone());
            orient(&mut oa);
            orient(&mut ob);
            let mut scratch = Scratch::default();
            let Some(got) = intersect(&Rings::of([&oa]), &Rings::of([&ob]), true, &mut scratch)
            else {
                continue;
            };
            fast += 1;
            with_holes += usize::from(got.parts.iter().any(|p| !p.interiors().is_empty()));
            several += usize::from(got.parts.len() > 1);
            // i_overlay snaps to a fixed-point grid: it agrees to about 1e-9 relative.
            let tol = 1e-7 * expected_area.max(1.0);
            assert!(
                (got.area - expected_area).abs() <= tol,
                "case {case}: {} vs {expected_area}",
                got.area
            );
            let parts = MultiPolygon(got.parts.clone());
            assert!(
                (parts.unsigned_area() - expected_area).abs() <= tol,
                "case {case}: parts {} vs {expected_area}",
                parts.unsigned_area()
            );
            assert_eq!(parts.0.len(), expected.0.len(), "case {case}");
            let per: f64 = expected
                .0
                .iter()
                .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
                .flat_map(|r| r.lines())
                .map(|l| (l.dx() * l.dx() + l.dy() * l.dy()).sqrt())
                .sum();
            assert!(
                (got.perimeter - per).abs() <= 1e-6 * per.max(1.0),
                "case {case}"
            );
            for p in &got.parts {
                let ring_area = |r: &LineString<f64>| Polygon::new(r.clone(), vec![]).signed_area();
                assert!(ring_area(p.exterior()) > 0.0, "case {case}");
                assert!(
                    p.interiors().iter().all(|h| ring_area(h) < 0.0),
                    "case {case}"
                );
            }
        }
        assert!(fast > 1800, "{fast} of 2000 took the fast path");
        assert!(with_holes > 100 && several > 100, "{with_holes} {several}");
    }

    /// Disjoint polygons and one inside the other: the fast path sees no crossing and says so
    /// by the vertices' positions.
    #[test]
    fn containment_and_disjoint_without_crossings() {
        let sq = |x0: f64, y0: f64, s: f64| {
            Polygon::new(
                LineString(vec![
                    Coord { x: x0, y: y0 },
                    Coord { x: x0 + s, y: y0 },
                    Coord {
                        x: x0 + s,
                        y: y0 + s,
                    },
                    Coord { x: x0, y: y0 + s },
                    Coord { x: x0, y: y0 },
                ]),
                vec![],
            )
        };
        let (big, small) = (sq(0.0, 0.0, 10.0), sq(2.0, 3.0, 1.5));
        let (big, small) = (Rings::of([&big]), Rings::of([&small]));
        let got = intersect(&big, &small, true, &mut Scratch::default()).unwrap();
        assert_eq!((got.area, got.perimeter, got.parts.len()), (2.25, 6.0, 1));
        let far = sq(20.0, 0.0, 1.0);
        let far = Rings::of([&far]);
        let got = intersect(&big, &far, true, &mut Scratch::default()).unwrap();
        assert_eq!((got.area, got.parts.len()), (0.0, 0));
        // A shared edge is not clean.
        let next = sq(10.0, 0.0, 5.0);
        assert!(intersect(&big, &Rings::of([&next]), true, &mut Scratch::default()).is_none());
    }
}
