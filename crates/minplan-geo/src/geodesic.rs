//! Geodesic distance on the ellipsoid: the inverse problem (two points → distance and
//! azimuths) by Vincenty's iteration, and the length of a path of such geodesics.
//!
//! Used where minplan reports a length a person measured on a map (`POST /api/measure`):
//! the distance along the CGCS2000 ellipsoid between consecutive points, not the distance in
//! a projection plane.
//!
//! **Method**: T. Vincenty, "Direct and inverse solutions of geodesics on the ellipsoid with
//! application of nested equations", *Survey Review* XXIII (176), 1975, pp. 88–93, inverse
//! formula with the λ iteration, accurate to well below a millimetre for the distances of a
//! county or a province.
//!
//! **Assumptions**: the iteration does not converge for nearly antipodal points (more than
//! ~19 900 km apart); [`inverse`] then returns `None` rather than a wrong number. Coordinates
//! are longitude/latitude in degrees (RFC 7946 order).
//!
//! **Units**: metres and degrees.
//!
//! Checked against GeographicLib (C. F. F. Karney, "Algorithms for geodesics", *J. Geodesy*
//! 87:43–55, 2013) in `tests/geodesic_geographiclib.rs`.

use crate::ellipsoid::Ellipsoid;

/// The solution of the inverse problem.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inverse {
    /// Length of the geodesic, metres.
    pub distance_m: f64,
    /// Azimuth at the first point, degrees clockwise from north.
    pub azimuth1_deg: f64,
    /// Azimuth at the second point (forward direction), degrees clockwise from north.
    pub azimuth2_deg: f64,
}

/// The geodesic between `(lon1, lat1)` and `(lon2, lat2)` (degrees) on `e`.
///
/// Returns `None` when Vincenty's iteration does not converge (nearly antipodal points) or a
/// coordinate is not finite.
///
/// # Examples
/// ```
/// use minplan_geo::{Ellipsoid, geodesic::inverse};
/// // One degree of longitude along the equator: a·π/180.
/// let g = inverse(Ellipsoid::CGCS2000, (0.0, 0.0), (1.0, 0.0)).unwrap();
/// assert!((g.distance_m - 111_319.490_793).abs() < 1e-3);
/// ```
pub fn inverse(e: Ellipsoid, p1: (f64, f64), p2: (f64, f64)) -> Option<Inverse> {
    let (lon1, lat1) = p1;
    let (lon2, lat2) = p2;
    if ![lon1, lat1, lon2, lat2].iter().all(|v| v.is_finite()) {
        return None;
    }
    let (a, f) = (e.a, e.f);
    let b = e.b();
    let l = (lon2 - lon1).to_radians();
    let u1 = ((1.0 - f) * lat1.to_radians().tan()).atan();
    let u2 = ((1.0 - f) * lat2.to_radians().tan()).atan();
    let (sin_u1, cos_u1) = u1.sin_cos();
    let (sin_u2, cos_u2) = u2.sin_cos();
    let mut lambda = l;
    for _ in 0..200 {
        let (sin_l, cos_l) = lambda.sin_cos();
        let t1 = cos_u2 * sin_l;
        let t2 = cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_l;
        let sin_sigma = (t1 * t1 + t2 * t2).sqrt();
        if sin_sigma == 0.0 {
            // Coincident points.
            return Some(Inverse {
                distance_m: 0.0,
                azimuth1_deg: 0.0,
                azimuth2_deg: 0.0,
            });
        }
        let cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_l;
        let sigma = sin_sigma.atan2(cos_sigma);
        let sin_alpha = cos_u1 * cos_u2 * sin_l / sin_sigma;
        let cos2_alpha = 1.0 - sin_alpha * sin_alpha;
        // On the equator cos²α = 0 and the term vanishes.
        let cos_2sm = if cos2_alpha == 0.0 {
            0.0
        } else {
            cos_sigma - 2.0 * sin_u1 * sin_u2 / cos2_alpha
        };
        let c = f / 16.0 * cos2_alpha * (4.0 + f * (4.0 - 3.0 * cos2_alpha));
        let previous = lambda;
        lambda = l
            + (1.0 - c)
                * f
                * sin_alpha
                * (sigma
                    + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm)));
        if (lambda - previous).abs() < 1e-13 {
            let u_sq = cos2_alpha * (a * a - b * b) / (b * b);
            let big_a =
                1.0 + u_sq / 16384.0 * (4096.0 + u_sq * (-768.0 + u_sq * (320.0 - 175.0 * u_sq)));
            let big_b = u_sq / 1024.0 * (256.0 + u_sq * (-128.0 + u_sq * (74.0 - 47.0 * u_sq)));
            let delta_sigma = big_b
                * sin_sigma
                * (cos_2sm
                    + big_b / 4.0
                        * (cos_sigma * (-1.0 + 2.0 * cos_2sm * cos_2sm)
                            - big_b / 6.0
                                * cos_2sm
                                * (-3.0 + 4.0 * sin_sigma * sin_sigma)
                                * (-3.0 + 4.0 * cos_2sm * cos_2sm)));
            let (sin_l, cos_l) = lambda.sin_cos();
            let az1 = (cos_u2 * sin_l).atan2(cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_l);
            let az2 = (cos_u1 * sin_l).atan2(-sin_u1 * cos_u2 + cos_u1 * sin_u2 * cos_l);
            return Some(Inverse {
                distance_m: b * big_a * (sigma - delta_sigma),
                azimuth1_deg: az1.to_degrees(),
                azimuth2_deg: az2.to_degrees(),
            });
        }
    }
    None
}

/// Length of the path through `points` (longitude, latitude in degrees), each leg a geodesic
/// on `e`, metres. Fewer than two points give 0.
///
/// Returns `None` when a leg has no solution (see [`inverse`]).
///
/// # Examples
/// ```
/// use minplan_geo::{Ellipsoid, geodesic::path_length};
/// let there_and_back = [(131.0, 44.4), (131.01, 44.4), (131.0, 44.4)];
/// let one_way = path_length(&there_and_back[..2], Ellipsoid::CGCS2000).unwrap();
/// let both = path_length(&there_and_back, Ellipsoid::CGCS2000).unwrap();
/// assert!((both - 2.0 * one_way).abs() < 1e-9);
/// ```
pub fn path_length(points: &[(f64, f64)], e: Ellipsoid) -> Option<f64> {
    points
        .windows(2)
        .map(|w| inverse(e, w[0], w[1]).map(|g| g.distance_m))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meridian_quadrant_of_grs80() {
        // The meridian quadrant of GRS80 is 10 001 965.7293 m (Moritz, "Geodetic Reference
        // System 1980", Bull. Géod. 54, 1980, table: Q).
        let g = inverse(Ellipsoid::GRS80, (0.0, 0.0), (0.0, 90.0)).unwrap();
        assert!((g.distance_m - 10_001_965.729_3).abs() < 1e-3, "{g:?}");
        assert!(g.azimuth1_deg.abs() < 1e-12);
    }

    #[test]
    fn coincident_and_invalid_points() {
        let e = Ellipsoid::CGCS2000;
        assert_eq!(
            inverse(e, (131.1, 44.4), (131.1, 44.4)).unwrap().distance_m,
            0.0
        );
        assert!(inverse(e, (f64::NAN, 44.4), (131.1, 44.4)).is_none());
        // Nearly antipodal: Vincenty does not converge, and says so.
        assert!(inverse(e, (0.0, 0.0), (179.7, 0.5)).is_none());
        assert_eq!(path_length(&[(131.1, 44.4)], e), Some(0.0));
    }
}
