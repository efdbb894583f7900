//! Areas: Gauss plane area and ellipsoidal area per TD/T 1055-2019 附录D.
//!
//! Since the MNR's 2022 notice on mining-right areas, the official area of a mining right is
//! the **ellipsoidal** area on the CGCS2000 ellipsoid computed by the method of
//! 《第三次全国国土调查技术规程》(TD/T 1055-2019) 附录D (inherited from 国土调查办发〔2008〕32号):
//! the corner points are converted from Gauss plane coordinates to geodetic latitude B and
//! longitude L, and the area is summed from ellipsoidal trapezoids given by
//!
//! ```text
//! S = 2b²ΔL [ A sin(½(B₂−B₁)) cos Bm − B sin(3/2(B₂−B₁)) cos 3Bm + C sin(5/2(B₂−B₁)) cos 5Bm
//!           − D sin(7/2(B₂−B₁)) cos 7Bm + E sin(9/2(B₂−B₁)) cos 9Bm ],   Bm = (B₁+B₂)/2
//! A = 1 + 3/6 e² + 30/80 e⁴ + 35/112 e⁶ + 630/2304 e⁸
//! B =     1/6 e² + 15/80 e⁴ + 21/112 e⁶ + 420/2304 e⁸
//! C =              3/80 e⁴ +  7/112 e⁶ + 180/2304 e⁸
//! D =                         1/112 e⁶ +  45/2304 e⁸
//! E =                                      5/2304 e⁸
//! ```
//!
//! (the area between two parallels B₁, B₂ and two meridians ΔL apart, in m² for b in metres
//! and angles in radians). A polygon is the signed sum, over its edges, of the trapezoid
//! between a reference parallel and the edge. Edges are straight in the Gauss plane, so a
//! plane ring is first densified (pieces no longer than [`DEFAULT_DENSIFY_M`]) and every
//! piece's trapezoid term is integrated with Simpson's rule in latitude; this makes the result
//! the ellipsoidal area of the region the corner coordinates bound, independent of how many
//! corners a side happens to have.
//!
//! Units: m² throughout; [`km2_4dp`] rounds to the 4 decimals that mining-right documents use.

use crate::crs::GaussKrugerZone;
use crate::ellipsoid::Ellipsoid;

/// Longest piece, in metres, that a Gauss-plane edge is cut into before its ellipsoidal
/// trapezoid is taken. At 50 m the curvature of an edge's image is below 0.1 mm of sagitta, so
/// areas converge to better than 1e-9 relative for mining-right-sized polygons.
pub const DEFAULT_DENSIFY_M: f64 = 50.0;

/// The series coefficients A–E of TD/T 1055-2019 附录D for one ellipsoid, with `b²`.
#[derive(Debug, Clone, Copy)]
pub struct TrapezoidSeries {
    b2: f64,
    c: [f64; 5],
}

impl TrapezoidSeries {
    /// Coefficients for `ellipsoid` (A, B, C, D, E as in the module documentation).
    pub fn new(ellipsoid: Ellipsoid) -> Self {
        let e2 = ellipsoid.e2();
        let e4 = e2 * e2;
        let e6 = e4 * e2;
        let e8 = e6 * e2;
        let a = 1.0 + 3.0 / 6.0 * e2 + 30.0 / 80.0 * e4 + 35.0 / 112.0 * e6 + 630.0 / 2304.0 * e8;
        let b = 1.0 / 6.0 * e2 + 15.0 / 80.0 * e4 + 21.0 / 112.0 * e6 + 420.0 / 2304.0 * e8;
        let c = 3.0 / 80.0 * e4 + 7.0 / 112.0 * e6 + 180.0 / 2304.0 * e8;
        let d = 1.0 / 112.0 * e6 + 45.0 / 2304.0 * e8;
        let e = 5.0 / 2304.0 * e8;
        let bb = ellipsoid.b();
        TrapezoidSeries {
            b2: bb * bb,
            // Signs of the alternating series folded in.
            c: [a, -b, c, -d, e],
        }
    }

    /// Area in m² of the ellipsoidal trapezoid between parallels `b1` and `b2` and two
    /// meridians `dl` apart (all radians). Signed: positive when `b2 > b1` and `dl > 0`.
    pub fn trapezoid(&self, b1: f64, b2: f64, dl: f64) -> f64 {
        let db = b2 - b1;
        let bm = 0.5 * (b1 + b2);
        let mut s = 0.0;
        for (k, ck) in self.c.iter().enumerate() {
            let m = (2 * k + 1) as f64;
            s += ck * (0.5 * m * db).sin() * (m * bm).cos();
        }
        2.0 * self.b2 * dl * s
    }
}

/// Signed ellipsoidal area (m², counter-clockwise positive) of a ring of `(lon, lat)` degrees,
/// on `ellipsoid`, by TD/T 1055-2019 附录D.
///
/// **Assumptions**: each edge is straight in longitude/latitude (as RFC 7946 GeoJSON edges
/// are); the ring does not cross the antimeridian or enclose a pole; closing point optional.
/// For rings whose edges are straight in a Gauss–Krüger plane use [`ellipsoidal_area_gk`].
pub fn ellipsoidal_area_lonlat(ring: &[(f64, f64)], ellipsoid: Ellipsoid) -> f64 {
    let series = TrapezoidSeries::new(ellipsoid);
    let n = ring.len();
    if n < 3 {
        return 0.0;
    }
    let b_ref = ring[0].1.to_radians();
    let mut sum = 0.0;
    for i in 0..n {
        let (l1, b1) = ring[i];
        let (l2, b2) = ring[(i + 1) % n];
        sum += edge_term(
            &series,
            b_ref,
            l1.to_radians(),
            b1.to_radians(),
            l2.to_radians(),
            b2.to_radians(),
        );
    }
    sum
}

/// One edge's contribution −∫ S(B_ref→B) dL, Simpson's rule along the edge.
#[inline]
fn edge_term(s: &TrapezoidSeries, b_ref: f64, l1: f64, b1: f64, l2: f64, b2: f64) -> f64 {
    let dl = l2 - l1;
    if dl == 0.0 {
        return 0.0;
    }
    let bm = 0.5 * (b1 + b2);
    let f1 = s.trapezoid(b_ref, b1, 1.0);
    let fm = s.trapezoid(b_ref, bm, 1.0);
    let f2 = s.trapezoid(b_ref, b2, 1.0);
    -dl * (f1 + 4.0 * fm + f2) / 6.0
}

/// Signed ellipsoidal area (m², counter-clockwise in (easting, northing) positive) of a ring
/// given in a CGCS2000 Gauss–Krüger zone, by TD/T 1055-2019 附录D.
///
/// `ring_en` holds `(easting, northing)` in metres — that is `(Y, X)` of a Chinese corner
/// table, with the zone prefix in the easting when `zone.prefixed`. Edges are straight in the
/// plane; each is cut into pieces of at most `max_piece_m` metres (use
/// [`DEFAULT_DENSIFY_M`]) whose ends are projected back to B, L.
pub fn ellipsoidal_area_gk(
    ring_en: &[(f64, f64)],
    zone: &GaussKrugerZone,
    max_piece_m: f64,
) -> f64 {
    let tm = zone.projection();
    let series = TrapezoidSeries::new(tm.ellipsoid());
    let n = ring_en.len();
    if n < 3 {
        return 0.0;
    }
    let to_rad = |e: f64, nn: f64| {
        let (lon, lat) = tm.inverse(e, nn);
        (lon.to_radians(), lat.to_radians())
    };
    let (l0, b_ref) = to_rad(ring_en[0].0, ring_en[0].1);
    let mut prev = (l0, b_ref);
    let mut sum = 0.0;
    for i in 0..n {
        let (e1, n1) = ring_en[i];
        let (e2, n2) = ring_en[(i + 1) % n];
        let len = (e2 - e1).hypot(n2 - n1);
        let pieces = if max_piece_m > 0.0 {
            ((len / max_piece_m).ceil() as usize).max(1)
        } else {
            1
        };
        for k in 1..=pieces {
            let t = k as f64 / pieces as f64;
            let next = if k == pieces && i + 1 == n {
                (l0, b_ref)
            } else {
                to_rad(e1 + t * (e2 - e1), n1 + t * (n2 - n1))
            };
            sum += edge_term(&series, b_ref, prev.0, prev.1, next.0, next.1);
            prev = next;
        }
    }
    sum
}

/// Signed plane area (m², counter-clockwise positive) of a ring of `(easting, northing)`
/// metres, by the shoelace formula. Closing point optional. Translated to the first point
/// first, so 8-digit prefixed eastings lose no precision.
pub fn plane_area(ring_en: &[(f64, f64)]) -> f64 {
    let n = ring_en.len();
    if n < 3 {
        return 0.0;
    }
    let (e0, n0) = ring_en[0];
    let mut s = 0.0;
    for i in 0..n {
        let (e1, n1) = ring_en[i];
        let (e2, n2) = ring_en[(i + 1) % n];
        s += (e1 - e0) * (n2 - n0) - (e2 - e0) * (n1 - n0);
    }
    0.5 * s
}

/// m² to km² rounded half away from zero to 4 decimals, the precision of mining-right
/// documents (e.g. 1.0685 km²).
pub fn km2_4dp(m2: f64) -> f64 {
    (m2 / 1e6 * 1e4).round() / 1e4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trapezoid_on_a_sphere_is_exact() {
        // e = 0: S = R² ΔL (sin B2 − sin B1).
        let s = TrapezoidSeries::new(Ellipsoid {
            a: 6_371_000.0,
            f: 0.0,
        });
        let (b1, b2, dl) = (0.3_f64, 0.9_f64, 0.2_f64);
        let exact = 6_371_000.0_f64.powi(2) * dl * (b2.sin() - b1.sin());
        assert!((s.trapezoid(b1, b2, dl) / exact - 1.0).abs() < 1e-14);
    }

    #[test]
    fn one_degree_cell_matches_authalic_closed_form() {
        // Closed form on the ellipsoid: S = b²ΔL/2 [sinB/(1−e²sin²B) + atanh(e sinB)/e] from B1 to B2.
        let ell = Ellipsoid::CGCS2000;
        let e2 = ell.e2();
        let e = e2.sqrt();
        let q = |b: f64| {
            let s = b.sin();
            s / (1.0 - e2 * s * s) + (e * s).atanh() / e
        };
        let (b1, b2) = (44f64.to_radians(), 45f64.to_radians());
        let dl = 1f64.to_radians();
        let closed = ell.b().powi(2) * dl / 2.0 * (q(b2) - q(b1));
        let series = TrapezoidSeries::new(ell).trapezoid(b1, b2, dl);
        // The series stops at e⁸; the e¹⁰ remainder is ~1e-11 relative.
        assert!(
            (series / closed - 1.0).abs() < 1e-10,
            "{series} vs {closed}"
        );
    }

    #[test]
    fn plane_area_of_unit_square_and_orientation() {
        let ccw = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)];
        assert_eq!(plane_area(&ccw), 1.0);
        let cw: Vec<_> = ccw.iter().rev().copied().collect();
        assert_eq!(plane_area(&cw), -1.0);
    }

    #[test]
    fn km2_rounding() {
        assert_eq!(km2_4dp(1_068_478.0), 1.0685);
        assert_eq!(km2_4dp(1_068_449.0), 1.0684);
    }
}
