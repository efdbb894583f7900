//! Geometry checks of rings in a plane: closure, repeated points, too few points,
//! self-intersection, holes outside their shell, rings overlapping.
//!
//! Usable on any rings in a metric plane — corner tables, or planning blocks read from
//! GeoJSON layers and projected into their Gauss–Krüger zone. The self-intersection check
//! indexes the edges in an R-tree ([`rstar`]): O(n log n) for a ring of n corners, plus the
//! crossings found. Orientation tests use Shewchuk's robust predicates (via [`geo`]'s
//! `RobustKernel`), so touching and collinear cases are decided exactly for the given
//! coordinates.

use super::{Problem, ProblemKind, RingRole, Severity};
use geo::algorithm::bool_ops::BooleanOps;
use geo::kernels::{Kernel, Orientation, RobustKernel};
use geo::{Area, Coord, LineString, MultiPolygon, Polygon};
use rstar::{AABB, RTree, RTreeObject};
use std::collections::HashMap;

/// One ring to validate: labels and plane coordinates.
///
/// `coords` are **(easting, northing)** in metres in one plane (e.g. a Gauss–Krüger zone,
/// with or without the zone prefix, as long as all rings use the same); they may repeat the
/// first point at the end (closed) or not. `labels` has one entry per coordinate.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaneRing {
    /// Ring name for messages (e.g. `金藏采区`).
    pub name: Option<String>,
    /// Shell or hole. A hole belongs to the nearest shell before it in the slice.
    pub role: RingRole,
    /// Point labels, one per coordinate.
    pub labels: Vec<String>,
    /// (easting, northing), metres.
    pub coords: Vec<(f64, f64)>,
}

/// Options of [`validate_rings`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValidateOptions {
    /// Whether rings must repeat their first point at the end (GeoJSON, WKT). When true an
    /// open ring is reported as [`ProblemKind::UnclosedRing`] (a warning: it is closed
    /// implicitly).
    pub closure_required: bool,
    /// Shared area, m², below which two rings count as touching, not overlapping (R12 of the
    /// design: touching within 0.01 m is not overlap). Default 0.01 m².
    pub overlap_tolerance_m2: f64,
    /// Reported crossings per ring before the rest are summarised in one problem.
    pub max_crossings_reported: usize,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            closure_required: false,
            overlap_tolerance_m2: 0.01,
            max_crossings_reported: 20,
        }
    }
}

/// Checks rings and returns every problem found; never stops at the first.
///
/// Per ring: [`ProblemKind::UnclosedRing`] (when `closure_required`),
/// [`ProblemKind::RepeatedPoint`], [`ProblemKind::TooFewPoints`] (fewer than 3 distinct
/// points), [`ProblemKind::SelfIntersection`] (edges that cross, touch, or run back over
/// each other, named by their end labels: `J3–J4 与 J7–J8 相交`).
/// Between rings: [`ProblemKind::HoleOutsideShell`] (part of a hole outside the shell before
/// it), [`ProblemKind::RingsOverlap`] (two shells, or two holes of one shell, sharing more
/// than `overlap_tolerance_m2`). Two shells are compared as polygons: each minus its holes
/// that lie within it, so an island in the hole of a donut (a multipolygon's second part
/// inside the first part's hole) is no overlap, while the part of an island that sticks out
/// of its hole into the solid is. A hole partly outside its shell (already an error) is not
/// subtracted. Rings with crossings or too few points are left out of the between-ring
/// checks (their interior is not defined).
///
/// # Examples
/// ```
/// use minplan_geo::corners::{validate_rings, PlaneRing, ProblemKind, RingRole, ValidateOptions};
/// let bow_tie = PlaneRing {
///     name: Some("采区".into()),
///     role: RingRole::Shell,
///     labels: ["J1", "J2", "J3", "J4"].map(String::from).to_vec(),
///     coords: vec![(0.0, 0.0), (100.0, 100.0), (100.0, 0.0), (0.0, 100.0)],
/// };
/// let problems = validate_rings(&[bow_tie], &ValidateOptions::default());
/// assert_eq!(problems[0].kind, ProblemKind::SelfIntersection);
/// assert!(problems[0].message.contains("J1–J2 与 J3–J4"));
/// ```
pub fn validate_rings(rings: &[PlaneRing], opts: &ValidateOptions) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut clean: Vec<Option<Vec<(f64, f64)>>> = Vec::with_capacity(rings.len());
    for ring in rings {
        clean.push(check_ring(ring, opts, &mut problems));
    }
    between_rings(rings, &clean, opts, &mut problems);
    problems
}

fn ring_name(r: &PlaneRing) -> String {
    r.name.clone().unwrap_or_else(|| "该圈".to_owned())
}

/// Per-ring checks; returns the ring's distinct coordinates when it is simple.
fn check_ring(
    ring: &PlaneRing,
    opts: &ValidateOptions,
    problems: &mut Vec<Problem>,
) -> Option<Vec<(f64, f64)>> {
    let name = ring_name(ring);
    let mut coords = ring.coords.clone();
    let mut labels = ring.labels.clone();
    labels.resize(coords.len(), String::new());
    let closed = coords.len() >= 2 && coords.first() == coords.last();
    if closed {
        coords.pop();
        labels.pop();
    } else if opts.closure_required && !coords.is_empty() {
        problems.push(
            Problem::new(
                ProblemKind::UnclosedRing,
                Severity::Warning,
                format!(
                    "{name} 未闭合：末点 {} 与首点 {} 不同；已自动闭合",
                    labels.last().cloned().unwrap_or_default(),
                    labels[0]
                ),
            )
            .with_points(vec![
                labels[0].clone(),
                labels.last().cloned().unwrap_or_default(),
            ])
            .in_ring(ring.name.clone()),
        );
    }
    // Repeated points.
    let mut seen: HashMap<(u64, u64), usize> = HashMap::new();
    let mut keep = vec![true; coords.len()];
    for (i, c) in coords.iter().enumerate() {
        let key = (c.0.to_bits(), c.1.to_bits());
        if let Some(&j) = seen.get(&key) {
            let consecutive = j + 1 == i;
            if consecutive {
                keep[i] = false;
            }
            problems.push(
                Problem::new(
                    ProblemKind::RepeatedPoint,
                    Severity::Error,
                    format!(
                        "{name}：拐点 {} 与拐点 {} 坐标相同{}",
                        labels[j],
                        labels[i],
                        if consecutive {
                            "（重复录入）"
                        } else {
                            "（边界在此自相接触）"
                        }
                    ),
                )
                .with_points(vec![labels[j].clone(), labels[i].clone()])
                .in_ring(ring.name.clone()),
            );
        } else {
            seen.insert(key, i);
        }
    }
    let pts: Vec<(f64, f64)> = coords
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(c, _)| *c)
        .collect();
    let lbl: Vec<&str> = labels
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(l, _)| l.as_str())
        .collect();
    if seen.len() < 3 {
        problems.push(
            Problem::new(
                ProblemKind::TooFewPoints,
                Severity::Error,
                format!(
                    "{name} 只有 {} 个可读且不同的拐点，至少需要 3 个",
                    seen.len()
                ),
            )
            .with_points(lbl.iter().map(|s| s.to_string()).collect())
            .in_ring(ring.name.clone()),
        );
        return None;
    }
    // One more than is listed, to know that there are more: a ring of random points has
    // O(n²) crossings, and enumerating them all would take minutes.
    let crossings = self_intersections(&pts, opts.max_crossings_reported + 1);
    let simple = crossings.is_empty();
    for (k, (i, j)) in crossings.iter().enumerate() {
        if k == opts.max_crossings_reported {
            problems.push(
                Problem::new(
                    ProblemKind::SelfIntersection,
                    Severity::Error,
                    format!("{name} 另有边相交未逐一列出（只列出前 {k} 处）"),
                )
                .in_ring(ring.name.clone()),
            );
            break;
        }
        let n = pts.len();
        let (a, b, c, d) = (lbl[*i], lbl[(i + 1) % n], lbl[*j], lbl[(j + 1) % n]);
        let what = if (j + 1) % n == *i || i + 1 == *j {
            "重叠（折返）"
        } else {
            "相交"
        };
        problems.push(
            Problem::new(
                ProblemKind::SelfIntersection,
                Severity::Error,
                format!("{name}：边 {a}–{b} 与 {c}–{d} {what}"),
            )
            .with_points(vec![a.into(), b.into(), c.into(), d.into()])
            .in_ring(ring.name.clone()),
        );
    }
    let distinct_repeat = coords.len() - keep.iter().filter(|k| !**k).count() != seen.len();
    if simple && !distinct_repeat {
        Some(pts)
    } else {
        None
    }
}

struct Seg {
    idx: usize,
    env: AABB<[f64; 2]>,
}

impl RTreeObject for Seg {
    type Envelope = AABB<[f64; 2]>;
    fn envelope(&self) -> Self::Envelope {
        self.env
    }
}

fn c(p: (f64, f64)) -> Coord<f64> {
    Coord { x: p.0, y: p.1 }
}

fn orient(p: (f64, f64), q: (f64, f64), r: (f64, f64)) -> i8 {
    match RobustKernel::orient2d(c(p), c(q), c(r)) {
        Orientation::CounterClockwise => 1,
        Orientation::Clockwise => -1,
        Orientation::Collinear => 0,
    }
}

fn on_segment(p: (f64, f64), q: (f64, f64), r: (f64, f64)) -> bool {
    // r collinear with p–q: within the bounding box.
    r.0 >= p.0.min(q.0) && r.0 <= p.0.max(q.0) && r.1 >= p.1.min(q.1) && r.1 <= p.1.max(q.1)
}

/// Whether closed segments p1–p2 and q1–q2 share a point.
fn segments_meet(p1: (f64, f64), p2: (f64, f64), q1: (f64, f64), q2: (f64, f64)) -> bool {
    let d1 = orient(q1, q2, p1);
    let d2 = orient(q1, q2, p2);
    let d3 = orient(p1, p2, q1);
    let d4 = orient(p1, p2, q2);
    if d1 * d2 < 0 && d3 * d4 < 0 {
        return true;
    }
    (d1 == 0 && on_segment(q1, q2, p1))
        || (d2 == 0 && on_segment(q1, q2, p2))
        || (d3 == 0 && on_segment(p1, p2, q1))
        || (d4 == 0 && on_segment(p1, p2, q2))
}

/// Pairs (i, j), i < j, of edges `i → i+1` that meet other than at their shared corner, at
/// most `limit` of them (in order of `i`). Edges meeting only at an equal end point (a
/// repeated point, reported separately) are skipped; adjacent edges are reported when they
/// run back over each other.
pub(crate) fn self_intersections(pts: &[(f64, f64)], limit: usize) -> Vec<(usize, usize)> {
    let n = pts.len();
    if n < 3 {
        return Vec::new();
    }
    let seg = |i: usize| (pts[i], pts[(i + 1) % n]);
    let segs: Vec<Seg> = (0..n)
        .map(|i| {
            let (a, b) = seg(i);
            Seg {
                idx: i,
                env: AABB::from_corners([a.0, a.1], [b.0, b.1]),
            }
        })
        .collect();
    let tree = RTree::bulk_load(segs);
    let mut out = Vec::new();
    for i in 0..n {
        if out.len() >= limit {
            out.truncate(limit);
            break;
        }
        let (a, b) = seg(i);
        let env = AABB::from_corners([a.0, a.1], [b.0, b.1]);
        let mut hits: Vec<usize> = tree
            .locate_in_envelope_intersecting(&env)
            .map(|s| s.idx)
            .filter(|&j| j > i)
            .collect();
        hits.sort_unstable();
        for j in hits {
            let (p, q) = seg(j);
            let adjacent_next = j == i + 1;
            let adjacent_wrap = i == 0 && j == n - 1;
            if adjacent_next || adjacent_wrap {
                // Shared corner s; the far ends x (of one) and y (of the other).
                let (s, x, y) = if adjacent_next { (b, a, q) } else { (a, b, p) };
                let back = orient(x, s, y) == 0
                    && (x.0 - s.0) * (y.0 - s.0) + (x.1 - s.1) * (y.1 - s.1) > 0.0;
                if back {
                    out.push((i, j));
                }
                continue;
            }
            if [a, b].iter().any(|e| *e == p || *e == q) {
                continue;
            }
            if segments_meet(a, b, p, q) {
                out.push((i, j));
            }
        }
    }
    out
}

fn to_polygon(pts: &[(f64, f64)], origin: (f64, f64)) -> Polygon<f64> {
    let ls: LineString<f64> = pts
        .iter()
        .map(|p| Coord {
            x: p.0 - origin.0,
            y: p.1 - origin.1,
        })
        .collect();
    Polygon::new(ls, vec![])
}

fn bbox(pts: &[(f64, f64)]) -> (f64, f64, f64, f64) {
    pts.iter()
        .fold((f64::MAX, f64::MAX, f64::MIN, f64::MIN), |b, p| {
            (b.0.min(p.0), b.1.min(p.1), b.2.max(p.0), b.3.max(p.1))
        })
}

fn bbox_meet(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 <= b.2 && b.0 <= a.2 && a.1 <= b.3 && b.1 <= a.3
}

fn between_rings(
    rings: &[PlaneRing],
    clean: &[Option<Vec<(f64, f64)>>],
    opts: &ValidateOptions,
    problems: &mut Vec<Problem>,
) {
    let Some(origin) = clean.iter().flatten().next().map(|r| r[0]) else {
        return;
    };
    // Holes against their shell.
    let mut owner: Vec<Option<usize>> = vec![None; rings.len()];
    // Per shell: its holes that are simple and lie within it (up to the tolerance); the
    // shell's polygon, for the overlap of shells, is the shell minus these.
    let mut holes_of: Vec<Vec<usize>> = vec![Vec::new(); rings.len()];
    let mut last_shell = None;
    for (i, r) in rings.iter().enumerate() {
        match r.role {
            RingRole::Shell => last_shell = Some(i),
            RingRole::Hole => owner[i] = last_shell,
        }
    }
    for (i, r) in rings.iter().enumerate() {
        if r.role != RingRole::Hole {
            continue;
        }
        let Some(hole) = &clean[i] else { continue };
        let shell = owner[i].and_then(|s| clean[s].as_ref().map(|c| (s, c)));
        let Some((s, shell_pts)) = shell else {
            if owner[i].is_none() {
                problems.push(
                    Problem::new(
                        ProblemKind::HoleOutsideShell,
                        Severity::Error,
                        format!("内圈 {} 之前没有外圈", ring_name(r)),
                    )
                    .in_ring(r.name.clone()),
                );
            }
            continue;
        };
        let hp = to_polygon(hole, origin);
        let sp = to_polygon(shell_pts, origin);
        let outside = hp.difference(&sp).unsigned_area();
        if outside <= opts.overlap_tolerance_m2 {
            holes_of[s].push(i);
        } else {
            let labels: Vec<String> = hole_points_outside(hole, &r.labels, shell_pts);
            problems.push(
                Problem::new(
                    ProblemKind::HoleOutsideShell,
                    Severity::Error,
                    format!(
                        "内圈 {} 有 {:.2} m² 位于外圈 {} 之外{}",
                        ring_name(r),
                        outside,
                        ring_name(&rings[s]),
                        if labels.is_empty() {
                            String::new()
                        } else {
                            format!("（拐点 {} 在外圈外）", labels.join("、"))
                        }
                    ),
                )
                .with_points(labels)
                .in_ring(r.name.clone()),
            );
        }
    }
    // Overlaps: shells pairwise (as polygons, minus their holes); holes of one shell pairwise.
    // A shell minus its holes, one hole at a time (holes that overlap each other, an error of
    // their own, are still subtracted once).
    let solid = |k: usize, pts: &[(f64, f64)]| -> MultiPolygon<f64> {
        holes_of[k]
            .iter()
            .filter_map(|&h| clean[h].as_ref())
            .fold(MultiPolygon(vec![to_polygon(pts, origin)]), |m, h| {
                m.difference(&to_polygon(h, origin))
            })
    };
    let boxes: Vec<Option<(f64, f64, f64, f64)>> =
        clean.iter().map(|c| c.as_ref().map(|p| bbox(p))).collect();
    for i in 0..rings.len() {
        for j in i + 1..rings.len() {
            let same_kind = match (rings[i].role, rings[j].role) {
                (RingRole::Shell, RingRole::Shell) => true,
                (RingRole::Hole, RingRole::Hole) => owner[i] == owner[j],
                _ => false,
            };
            let (Some(a), Some(b)) = (&clean[i], &clean[j]) else {
                continue;
            };
            if !same_kind || !bbox_meet(boxes[i].unwrap_or_default(), boxes[j].unwrap_or_default())
            {
                continue;
            }
            let with_holes = rings[i].role == RingRole::Shell
                && !(holes_of[i].is_empty() && holes_of[j].is_empty());
            let shared = if with_holes {
                solid(i, a).intersection(&solid(j, b)).unsigned_area()
            } else {
                to_polygon(a, origin)
                    .intersection(&to_polygon(b, origin))
                    .unsigned_area()
            };
            if shared > opts.overlap_tolerance_m2 {
                // Corners of one ring strictly inside the other (inside its shell, not in or on
                // one of its subtracted holes).
                let holes = |k: usize| -> Vec<&[(f64, f64)]> {
                    if rings[k].role != RingRole::Shell {
                        return Vec::new();
                    }
                    holes_of[k]
                        .iter()
                        .filter_map(|&h| clean[h].as_deref())
                        .collect()
                };
                let (holes_i, holes_j) = (holes(i), holes(j));
                let mut labels = points_inside(a, &rings[i].labels, b, &holes_j);
                labels.extend(points_inside(b, &rings[j].labels, a, &holes_i));
                problems.push(
                    Problem::new(
                        ProblemKind::RingsOverlap,
                        Severity::Error,
                        format!(
                            "{} 与 {} 重叠 {:.2} m²{}",
                            ring_name(&rings[i]),
                            ring_name(&rings[j]),
                            shared,
                            if labels.is_empty() {
                                String::new()
                            } else {
                                format!("（拐点 {} 落在对方范围内）", labels.join("、"))
                            }
                        ),
                    )
                    .with_points(labels)
                    .in_ring(rings[i].name.clone()),
                );
            }
        }
    }
}

/// Whether `p` lies in `ring` (crossing number; boundary points count as inside). `ring`:
/// (easting, northing) metres, open or closed.
pub fn point_in_ring(p: (f64, f64), ring: &[(f64, f64)]) -> bool {
    let n = ring.len();
    let mut inside = false;
    for i in 0..n {
        let a = ring[i];
        let b = ring[(i + 1) % n];
        if orient(a, b, p) == 0 && on_segment(a, b, p) {
            return true;
        }
        if (a.1 > p.1) != (b.1 > p.1) {
            let x = a.0 + (p.1 - a.1) / (b.1 - a.1) * (b.0 - a.0);
            if p.0 < x {
                inside = !inside;
            }
        }
    }
    inside
}

/// Distance from `p` to the boundary of `ring` (open or closed), metres, in the same plane.
pub fn distance_to_ring(p: (f64, f64), ring: &[(f64, f64)]) -> f64 {
    let n = ring.len();
    let mut best = f64::INFINITY;
    for i in 0..n {
        let a = ring[i];
        let b = ring[(i + 1) % n];
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len2 = dx * dx + dy * dy;
        let t = if len2 > 0.0 {
            (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let d = (p.0 - a.0 - t * dx).hypot(p.1 - a.1 - t * dy);
        best = best.min(d);
    }
    best
}

fn hole_points_outside(
    hole: &[(f64, f64)],
    labels: &[String],
    shell: &[(f64, f64)],
) -> Vec<String> {
    hole.iter()
        .zip(labels)
        .filter(|(p, _)| !point_in_ring(**p, shell))
        .map(|(_, l)| l.clone())
        .collect()
}

/// Labels of the points of `a` strictly inside ring `b` (more than 1 µm from its boundary)
/// and in none of `b_holes` (nor on their boundaries).
fn points_inside(
    a: &[(f64, f64)],
    labels: &[String],
    b: &[(f64, f64)],
    b_holes: &[&[(f64, f64)]],
) -> Vec<String> {
    a.iter()
        .zip(labels)
        .filter(|(p, _)| {
            point_in_ring(**p, b)
                && distance_to_ring(**p, b) > 1e-6
                && !b_holes.iter().any(|h| point_in_ring(**p, h))
        })
        .map(|(_, l)| l.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(role: RingRole, name: &str, coords: &[(f64, f64)]) -> PlaneRing {
        PlaneRing {
            name: Some(name.into()),
            role,
            labels: (1..=coords.len()).map(|i| format!("J{i}")).collect(),
            coords: coords.to_vec(),
        }
    }

    #[test]
    fn square_is_clean() {
        let sq = ring(
            RingRole::Shell,
            "a",
            &[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)],
        );
        assert!(validate_rings(&[sq], &ValidateOptions::default()).is_empty());
    }

    #[test]
    fn spike_is_a_self_intersection() {
        let r = ring(
            RingRole::Shell,
            "a",
            &[(0.0, 0.0), (10.0, 0.0), (5.0, 0.0), (5.0, 5.0)],
        );
        let p = validate_rings(&[r], &ValidateOptions::default());
        assert!(
            p.iter().any(|p| p.kind == ProblemKind::SelfIntersection),
            "{p:?}"
        );
    }

    #[test]
    fn hole_outside_and_overlap() {
        let shell = ring(
            RingRole::Shell,
            "外",
            &[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)],
        );
        let hole = ring(
            RingRole::Hole,
            "内",
            &[(8.0, 8.0), (12.0, 8.0), (12.0, 12.0), (8.0, 12.0)],
        );
        let other = ring(
            RingRole::Shell,
            "另",
            &[(5.0, 5.0), (15.0, 5.0), (15.0, 15.0), (5.0, 15.0)],
        );
        let p = validate_rings(&[shell, hole, other], &ValidateOptions::default());
        let hole_p = p
            .iter()
            .find(|p| p.kind == ProblemKind::HoleOutsideShell)
            .unwrap();
        assert!(hole_p.message.contains("12.00 m²"), "{}", hole_p.message);
        assert!(hole_p.points.contains(&"J2".to_owned()));
        let ov = p
            .iter()
            .find(|p| p.kind == ProblemKind::RingsOverlap)
            .unwrap();
        assert!(ov.message.contains("25.00 m²"), "{}", ov.message);
    }

    #[test]
    fn touching_shells_do_not_overlap() {
        let a = ring(
            RingRole::Shell,
            "a",
            &[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)],
        );
        let b = ring(
            RingRole::Shell,
            "b",
            &[(10.0, 0.0), (20.0, 0.0), (20.0, 10.0), (10.0, 10.0)],
        );
        assert!(validate_rings(&[a, b], &ValidateOptions::default()).is_empty());
    }

    /// Axis-aligned rectangle `[x0, y0, x1, y1]` in **km**, as a ring in metres,
    /// counter-clockwise from (x0, y0): J1 (x0, y0), J2 (x1, y0), J3 (x1, y1), J4 (x0, y1).
    fn km(role: RingRole, name: &str, [x0, y0, x1, y1]: [f64; 4]) -> PlaneRing {
        let m = |v: f64| v * 1000.0;
        let (x0, y0, x1, y1) = (m(x0), m(y0), m(x1), m(y1));
        ring(role, name, &[(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
    }

    /// A multipolygon as `LayerChecker` passes it: polygon 1 = 0..10 km square with the hole
    /// 2..8 km, then polygon 2 (`island`).
    fn donut_and(island: PlaneRing) -> Vec<Problem> {
        let s1 = km(RingRole::Shell, "第1面第1环", [0.0, 0.0, 10.0, 10.0]);
        let h1 = km(RingRole::Hole, "第1面第2环", [2.0, 2.0, 8.0, 8.0]);
        validate_rings(&[s1, h1, island], &ValidateOptions::default())
    }

    #[test]
    fn island_in_the_hole_of_a_donut_is_valid() {
        let s2 = km(RingRole::Shell, "第2面第1环", [4.0, 4.0, 6.0, 6.0]);
        let p = donut_and(s2);
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn island_filling_its_hole_exactly_is_valid() {
        let s2 = km(RingRole::Shell, "第2面第1环", [2.0, 2.0, 8.0, 8.0]);
        let p = donut_and(s2);
        assert!(p.is_empty(), "{p:?}");
    }

    #[test]
    fn island_sticking_out_of_its_hole_overlaps_the_donut() {
        // 7..9 km × 4..6 km: the part east of 8 km (1 km × 2 km) lies in the solid.
        let s2 = km(RingRole::Shell, "第2面第1环", [7.0, 4.0, 9.0, 6.0]);
        let p = donut_and(s2);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].kind, ProblemKind::RingsOverlap);
        assert_eq!(
            p[0].message,
            "第1面第1环 与 第2面第1环 重叠 2000000.00 m²（拐点 J2、J3 落在对方范围内）"
        );
        // J1 and J4 (7 km east) are in the hole, not in the donut.
        assert_eq!(p[0].points, vec!["J2".to_owned(), "J3".to_owned()]);
        assert_eq!(p[0].ring.as_deref(), Some("第1面第1环"));
    }

    #[test]
    fn overlapping_shells_report_the_exact_area() {
        // 0..1000 m and 600..1500 × 300..1300 m: 400 m × 700 m in common.
        let a = km(RingRole::Shell, "第1面第1环", [0.0, 0.0, 1.0, 1.0]);
        let b = ring(
            RingRole::Shell,
            "第2面第1环",
            &[
                (600.0, 300.0),
                (1500.0, 300.0),
                (1500.0, 1300.0),
                (600.0, 1300.0),
            ],
        );
        let p = validate_rings(&[a, b], &ValidateOptions::default());
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].kind, ProblemKind::RingsOverlap);
        assert_eq!(
            p[0].message,
            "第1面第1环 与 第2面第1环 重叠 280000.00 m²（拐点 J3、J1 落在对方范围内）"
        );
    }

    #[test]
    fn donuts_overlapping_outside_their_holes_still_overlap() {
        // Two 10 km donuts side by side sharing a strip 1 km × 10 km of solid.
        let s1 = km(RingRole::Shell, "第1面第1环", [0.0, 0.0, 10.0, 10.0]);
        let h1 = km(RingRole::Hole, "第1面第2环", [2.0, 2.0, 8.0, 8.0]);
        let s2 = km(RingRole::Shell, "第2面第1环", [9.0, 0.0, 19.0, 10.0]);
        let h2 = km(RingRole::Hole, "第2面第2环", [11.0, 2.0, 17.0, 8.0]);
        let p = validate_rings(&[s1, h1, s2, h2], &ValidateOptions::default());
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].message, "第1面第1环 与 第2面第1环 重叠 10000000.00 m²");
    }

    #[test]
    fn island_overlapping_the_donuts_hole_rim_and_another_hole() {
        // The island covers hole 1 (2..4 km) and part of hole 2 (6..8 km): only the solid
        // strip between them, 4..6 km × 4..5 km = 2 km², is shared.
        let s1 = km(RingRole::Shell, "第1面第1环", [0.0, 0.0, 10.0, 10.0]);
        let h1 = km(RingRole::Hole, "第1面第2环", [2.0, 2.0, 4.0, 8.0]);
        let h2 = km(RingRole::Hole, "第1面第3环", [6.0, 2.0, 8.0, 8.0]);
        let s2 = km(RingRole::Shell, "第2面第1环", [3.0, 4.0, 7.0, 5.0]);
        let p = validate_rings(&[s1, h1, h2, s2], &ValidateOptions::default());
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].message, "第1面第1环 与 第2面第1环 重叠 2000000.00 m²");
    }
}
