//! [`TiledInverse`]: the inverse transverse Mercator for the many nearby vertices of a
//! review's answer (every vertex of every conflicting part, tens of thousands per answer
//! on a county's farmland), by polynomial tiles of the exact inverse.
//!
//! The plane is cut into square tiles of [`TILE_M`] metres. On a tile's first use the exact
//! inverse ([`TransverseMercator::inverse`]) is evaluated at the 5 × 5 Chebyshev points of
//! the tile and interpolated by a polynomial of degree 4 in each axis (Chebyshev form);
//! later vertices in the tile cost a few dozen multiplications instead of six transcendental
//! functions. The inverse is analytic and varies over a tile by terms of order
//! (tile / Earth radius)ᵏ, so the interpolation error of degree 4 on 4 km tiles is of order
//! (2 km / 6 371 km)⁵ ≈ 3·10⁻¹⁸ rad, far below the 10⁻¹² ° the exact series keeps; the tests
//! check the agreement with the exact inverse to 10⁻¹¹ ° (1 µm) across zones and latitudes.
//! The answer for a point depends only on the point (the tile it lies in), never on what was
//! converted before it.

use crate::tmerc::TransverseMercator;
use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

/// Side of a tile, metres.
pub const TILE_M: f64 = 4096.0;

/// Degree of the interpolating polynomial in each axis.
const DEGREE: usize = 4;
/// Chebyshev points per axis.
const NODES: usize = DEGREE + 1;

/// Tiles kept at most (about 0.5 KiB each); beyond that the cache starts over (a county is a
/// few thousand tiles).
const MAX_TILES: usize = 65_536;

/// How far from the false origin tiles are used (metres); beyond, every point is converted
/// exactly (a Gauss–Krüger zone reaches some 330 km from its central meridian).
const TILED_WITHIN_M: f64 = 1_000_000.0;

/// One tile: the exact inverse at its centre and the Chebyshev coefficients of the offsets
/// from it, longitude and latitude in degrees.
#[derive(Debug)]
struct Tile {
    key: (i64, i64),
    centre: (f64, f64),
    lonlat: (f64, f64),
    lon: [[f64; NODES]; NODES],
    lat: [[f64; NODES]; NODES],
}

/// T₀(x) … T₄(x), the Chebyshev polynomials at `x`.
fn chebyshev(x: f64) -> [f64; NODES] {
    let mut t = [0.0; NODES];
    t[0] = 1.0;
    t[1] = x;
    for k in 2..NODES {
        t[k] = 2.0 * x * t[k - 1] - t[k - 2];
    }
    t
}

impl Tile {
    fn build(tm: &TransverseMercator, key: (i64, i64)) -> Tile {
        let h = TILE_M / 2.0;
        let centre = ((key.0 as f64 + 0.5) * TILE_M, (key.1 as f64 + 0.5) * TILE_M);
        let lonlat = tm.inverse(centre.0, centre.1);
        let node: [f64; NODES] =
            std::array::from_fn(|a| (std::f64::consts::PI * (a as f64 + 0.5) / NODES as f64).cos());
        let mut f_lon = [[0.0; NODES]; NODES];
        let mut f_lat = [[0.0; NODES]; NODES];
        for a in 0..NODES {
            for b in 0..NODES {
                let (lon, lat) = tm.inverse(centre.0 + h * node[a], centre.1 + h * node[b]);
                f_lon[a][b] = lon - lonlat.0;
                f_lat[a][b] = lat - lonlat.1;
            }
        }
        // c_jk = (2 − δ_j0)(2 − δ_k0) / N² · Σ_a Σ_b f(x_a, y_b) T_j(x_a) T_k(y_b).
        let t: [[f64; NODES]; NODES] = std::array::from_fn(|a| chebyshev(node[a]));
        let coeffs = |f: &[[f64; NODES]; NODES]| {
            let mut c = [[0.0; NODES]; NODES];
            for (j, row) in c.iter_mut().enumerate() {
                for (k, cjk) in row.iter_mut().enumerate() {
                    let mut s = 0.0;
                    for a in 0..NODES {
                        for b in 0..NODES {
                            s += f[a][b] * t[a][j] * t[b][k];
                        }
                    }
                    let w = if j == 0 { 1.0 } else { 2.0 } * if k == 0 { 1.0 } else { 2.0 };
                    *cjk = w * s / (NODES * NODES) as f64;
                }
            }
            c
        };
        Tile {
            key,
            centre,
            lonlat,
            lon: coeffs(&f_lon),
            lat: coeffs(&f_lat),
        }
    }

    fn eval(&self, e: f64, n: f64) -> (f64, f64) {
        let h = TILE_M / 2.0;
        let tu = chebyshev((e - self.centre.0) / h);
        let tv = chebyshev((n - self.centre.1) / h);
        let (mut lon, mut lat) = (0.0, 0.0);
        for ((cl, cb), u) in self.lon.iter().zip(&self.lat).zip(tu) {
            let (mut rl, mut rb) = (0.0, 0.0);
            for ((l, b), v) in cl.iter().zip(cb).zip(tv) {
                rl += l * v;
                rb += b * v;
            }
            lon += rl * u;
            lat += rb * u;
        }
        (self.lonlat.0 + lon, self.lonlat.1 + lat)
    }
}

/// The inverse of a transverse Mercator projection by tiles (see the module's documentation):
/// `(easting, northing)` metres to `(lon, lat)` degrees, within 10⁻¹¹ ° of
/// [`TransverseMercator::inverse`]. Tiles are made on first use and kept (shared by threads);
/// construction is free.
#[derive(Debug)]
pub struct TiledInverse {
    tm: TransverseMercator,
    tiles: RwLock<HashMap<(i64, i64), Arc<Tile>>>,
}

impl TiledInverse {
    /// The tiled inverse of `tm`.
    pub fn new(tm: TransverseMercator) -> TiledInverse {
        TiledInverse {
            tm,
            tiles: RwLock::default(),
        }
    }

    /// The projection.
    pub fn projection(&self) -> &TransverseMercator {
        &self.tm
    }

    /// A converter for a run of nearby points (a ring): it keeps the tile of the last point.
    pub fn cursor(&self) -> InverseCursor<'_> {
        InverseCursor {
            tiles: self,
            tile: None,
        }
    }

    /// One point, `(easting, northing)` metres → `(lon, lat)` degrees.
    pub fn inverse(&self, easting: f64, northing: f64) -> (f64, f64) {
        self.cursor().inverse(easting, northing)
    }

    fn tile(&self, key: (i64, i64)) -> Arc<Tile> {
        if let Some(t) = self
            .tiles
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return t.clone();
        }
        let t = Arc::new(Tile::build(&self.tm, key));
        let mut tiles = self.tiles.write().unwrap_or_else(PoisonError::into_inner);
        if tiles.len() >= MAX_TILES {
            tiles.clear();
        }
        tiles.entry(key).or_insert(t).clone()
    }
}

/// Converts points with [`TiledInverse`], keeping the tile of the last one.
pub struct InverseCursor<'a> {
    tiles: &'a TiledInverse,
    tile: Option<Arc<Tile>>,
}

impl InverseCursor<'_> {
    /// `(easting, northing)` metres → `(lon, lat)` degrees.
    pub fn inverse(&mut self, easting: f64, northing: f64) -> (f64, f64) {
        let tm = &self.tiles.tm;
        let (fe, fn_) = tm.false_origin();
        if !((easting - fe).abs() <= TILED_WITHIN_M
            && (northing - fn_).abs() <= 10.0 * TILED_WITHIN_M)
        {
            return tm.inverse(easting, northing);
        }
        let key = (
            (easting / TILE_M).floor() as i64,
            (northing / TILE_M).floor() as i64,
        );
        let tile = match &self.tile {
            Some(t) if t.key == key => t,
            _ => self.tile.insert(self.tiles.tile(key)),
        };
        tile.eval(easting, northing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Ellipsoid, GaussKrugerZone};

    /// Against the exact inverse at points spread over whole zones (3° and 6°, to 3.5° from
    /// the central meridian, 15–55°N), on tile corners and edges too: within 10⁻¹¹ °.
    #[test]
    fn agrees_with_the_exact_inverse() {
        let zones = [
            GaussKrugerZone::three_degree(44, false).unwrap(),
            GaussKrugerZone::six_degree(22, false).unwrap(),
            GaussKrugerZone::three_degree(39, false).unwrap(),
        ];
        let mut worst: f64 = 0.0;
        for zone in zones {
            let tm = zone.projection();
            let tiled = TiledInverse::new(tm.clone());
            let mut cursor = tiled.cursor();
            let mut seed = 0x2545_f491_4f6c_dd1d_u64;
            let mut next = || {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed >> 11) as f64 / (1u64 << 53) as f64
            };
            for _ in 0..4000 {
                let lat = 15.0 + 40.0 * next();
                let lon = zone.central_meridian() - 3.5 + 7.0 * next();
                let (e, n) = tm.forward(lon, lat);
                for (de, dn) in [(0.0, 0.0), (37.5, -12.25)] {
                    let (a, b) = cursor.inverse(e + de, n + dn);
                    let (c, d) = tm.inverse(e + de, n + dn);
                    worst = worst.max((a - c).abs()).max((b - d).abs());
                }
                // The tile's own corner and a point just inside the next tile.
                let corner = ((e / TILE_M).floor() * TILE_M, (n / TILE_M).floor() * TILE_M);
                for (x, y) in [corner, (corner.0 - 1e-6, corner.1 - 1e-6)] {
                    let (a, b) = tiled.inverse(x, y);
                    let (c, d) = tm.inverse(x, y);
                    worst = worst.max((a - c).abs()).max((b - d).abs());
                }
            }
        }
        assert!(worst < 1e-11, "worst difference {worst:e}°");
    }

    /// Far outside any zone the exact inverse is used as it is.
    #[test]
    fn far_points_are_converted_exactly() {
        let tm = TransverseMercator::new(Ellipsoid::CGCS2000, 132.0, 1.0, 500_000.0, 0.0);
        let tiled = TiledInverse::new(tm.clone());
        for (e, n) in [(2_000_000.0, 4_900_000.0), (500_000.0, 12_000_000.0)] {
            assert_eq!(tiled.inverse(e, n), tm.inverse(e, n));
        }
        assert_eq!(tiled.tiles.read().unwrap().len(), 0);
    }
}
