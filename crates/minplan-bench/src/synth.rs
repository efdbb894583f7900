//! A synthetic county for the review benchmark: seeded, deterministic layers in CGCS2000
//! 3° zone 44 plane coordinates **without** the zone prefix ((easting, northing) metres),
//! centred on Suifenhe so that the plan's own blocks take part.
//!
//! Default sizes (those of `BENCHMARKS.md`): 300 000 farmland parcels of about 12 vertices, 500 red-line
//! polygons of about 5 000 vertices (a few of 100 000), 2 000 existing rights, 1 000
//! applications.

use geo::{Coord, LineString, MultiPolygon, Polygon};

/// SplitMix64: small, fast, and the same sequence everywhere.
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [a, b).
    pub fn range(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.f64()
    }
}

/// Sizes of the synthetic county.
#[derive(Debug, Clone, Copy)]
pub struct SynthSizes {
    /// Farmland parcels.
    pub parcels: usize,
    /// Red-line polygons of ~5 000 vertices.
    pub red_lines: usize,
    /// Of which this many have ~100 000 vertices.
    pub huge_red_lines: usize,
    /// Existing rights.
    pub rights: usize,
    /// Applications.
    pub applications: usize,
}

impl Default for SynthSizes {
    fn default() -> Self {
        SynthSizes {
            parcels: 300_000,
            red_lines: 500,
            huge_red_lines: 3,
            rights: 2_000,
            applications: 1_000,
        }
    }
}

/// The generated county.
pub struct SynthCounty {
    /// 永久基本农田 parcels.
    pub farmland: Vec<MultiPolygon<f64>>,
    /// 生态保护红线 polygons.
    pub red_lines: Vec<MultiPolygon<f64>>,
    /// 城镇开发边界.
    pub urban: Vec<MultiPolygon<f64>>,
    /// 三区两线 corridors (already buffered).
    pub corridors: Vec<MultiPolygon<f64>>,
    /// Existing rights' rings (open, CCW).
    pub rights: Vec<Vec<(f64, f64)>>,
    /// Applications' rings (open, CCW).
    pub applications: Vec<Vec<(f64, f64)>>,
}

/// Centre of the county: Suifenhe in zone 44 without prefix (≈131.1°E, 44.41°N).
pub const CENTRE: (f64, f64) = (428_000.0, 4_920_000.0);
/// Half the side of the square county, metres.
pub const HALF: f64 = 40_000.0;

fn poly(ring: Vec<(f64, f64)>) -> MultiPolygon<f64> {
    let mut c: Vec<Coord<f64>> = ring.iter().map(|&(x, y)| Coord { x, y }).collect();
    c.push(c[0]);
    MultiPolygon(vec![Polygon::new(LineString(c), vec![])])
}

/// A star-shaped noisy blob: `n` vertices around `c` with mean radius `r`; CCW, open.
pub fn blob(rng: &mut Rng, c: (f64, f64), r: f64, n: usize, roughness: f64) -> Vec<(f64, f64)> {
    // Smooth low-frequency shape plus vertex noise; radius stays positive, so the ring is simple.
    let (a1, a2, a3) = (
        rng.range(0.0, 0.25),
        rng.range(0.0, 0.15),
        rng.range(0.0, 0.1),
    );
    let (p1, p2, p3) = (
        rng.range(0.0, 6.3),
        rng.range(0.0, 6.3),
        rng.range(0.0, 6.3),
    );
    (0..n)
        .map(|k| {
            let t = std::f64::consts::TAU * k as f64 / n as f64;
            let smooth = 1.0
                + a1 * (2.0 * t + p1).sin()
                + a2 * (3.0 * t + p2).sin()
                + a3 * (5.0 * t + p3).sin();
            let rr = r * smooth * (1.0 + roughness * rng.range(-1.0, 1.0));
            (c.0 + rr * t.cos(), c.1 + rr * t.sin())
        })
        .collect()
}

fn rotated_rect(c: (f64, f64), w: f64, h: f64, angle: f64) -> Vec<(f64, f64)> {
    let (s, co) = angle.sin_cos();
    [(-w, -h), (w, -h), (w, h), (-w, h)]
        .iter()
        .map(|&(x, y)| (c.0 + 0.5 * (x * co - y * s), c.1 + 0.5 * (x * s + y * co)))
        .collect()
}

/// Generates the county.
pub fn generate(seed: u64, sizes: SynthSizes) -> SynthCounty {
    let mut rng = Rng::new(seed);
    let (x0, y0) = (CENTRE.0 - HALF, CENTRE.1 - HALF);
    // Farmland: 100 m cells, about half of them a parcel of ~12 vertices inside its cell.
    let cells = ((2.0 * HALF) / 100.0) as usize;
    let mut farmland = Vec::with_capacity(sizes.parcels);
    let keep = sizes.parcels as f64 / (cells * cells) as f64;
    'grid: for i in 0..cells {
        for j in 0..cells {
            if farmland.len() >= sizes.parcels {
                break 'grid;
            }
            if rng.f64() >= keep * 1.02 {
                continue;
            }
            let c = (x0 + 100.0 * i as f64 + 50.0, y0 + 100.0 * j as f64 + 50.0);
            farmland.push(poly(blob(&mut rng, c, 36.0, 12, 0.08)));
        }
    }
    // Red lines: ~5 000-vertex blobs of 0.8–2.5 km radius; a few of ~100 000 vertices.
    let mut red_lines = Vec::with_capacity(sizes.red_lines);
    for k in 0..sizes.red_lines {
        let huge = k < sizes.huge_red_lines;
        let c = (
            rng.range(x0, x0 + 2.0 * HALF),
            rng.range(y0, y0 + 2.0 * HALF),
        );
        let (r, n) = if huge {
            (rng.range(5_000.0, 8_000.0), 100_000)
        } else {
            (
                rng.range(800.0, 2_500.0),
                rng.range(4_000.0, 6_000.0) as usize,
            )
        };
        red_lines.push(poly(blob(&mut rng, c, r, n, 0.01)));
    }
    let urban = vec![poly(blob(&mut rng, CENTRE, 2_300.0, 200, 0.01))];
    let corridors = vec![
        poly(rotated_rect(
            (CENTRE.0, CENTRE.1 - 1_500.0),
            2.0 * HALF,
            1_000.0,
            0.08,
        )),
        poly(rotated_rect(
            (CENTRE.0, CENTRE.1 + 6_000.0),
            2.0 * HALF,
            1_000.0,
            -0.05,
        )),
    ];
    let mut rights = Vec::with_capacity(sizes.rights);
    for _ in 0..sizes.rights {
        let c = (
            rng.range(x0, x0 + 2.0 * HALF),
            rng.range(y0, y0 + 2.0 * HALF),
        );
        let w = rng.range(100.0, 700.0);
        let h = rng.range(100.0, 700.0);
        rights.push(rotated_rect(c, w, h, rng.range(0.0, std::f64::consts::PI)));
    }
    let mut applications = Vec::with_capacity(sizes.applications);
    for _ in 0..sizes.applications {
        let c = (
            rng.range(x0, x0 + 2.0 * HALF),
            rng.range(y0, y0 + 2.0 * HALF),
        );
        let r = rng.range(60.0, 560.0);
        let n = rng.range(6.0, 20.0) as usize;
        applications.push(blob(&mut rng, c, r, n, 0.05));
    }
    SynthCounty {
        farmland,
        red_lines,
        urban,
        corridors,
        rights,
        applications,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    #[test]
    fn deterministic_and_sized() {
        let sizes = SynthSizes {
            parcels: 2_000,
            red_lines: 4,
            huge_red_lines: 1,
            rights: 20,
            applications: 10,
        };
        let a = generate(7, sizes);
        let b = generate(7, sizes);
        assert_eq!(a.farmland.len(), 2_000);
        assert_eq!(a.red_lines.len(), 4);
        assert_eq!(a.red_lines[0].0[0].exterior().0.len(), 100_001);
        assert_eq!(a.applications, b.applications);
        // Parcels stay in their 100 m cells: area well under 1 ha.
        assert!(a.farmland.iter().all(|p| p.unsigned_area() < 8_000.0));
    }
}
