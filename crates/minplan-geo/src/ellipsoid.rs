//! Reference ellipsoids.
//!
//! minplan works in CGCS2000 (2000 国家大地坐标系, EPSG:4490). Its ellipsoid has the same
//! semi-major axis as GRS80 and a flattening that differs from GRS80's in the 12th digit
//! (GB/T 2000 国家大地坐标系, 国家测绘局公告 2008 年第 2 号).

/// A rotational ellipsoid given by its semi-major axis `a` (metres) and flattening `f`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ellipsoid {
    /// Semi-major axis, metres.
    pub a: f64,
    /// Flattening (dimensionless), `(a - b) / a`.
    pub f: f64,
}

impl Ellipsoid {
    /// CGCS2000: a = 6 378 137 m, f = 1/298.257222101.
    pub const CGCS2000: Ellipsoid = Ellipsoid {
        a: 6_378_137.0,
        f: 1.0 / 298.257_222_101,
    };
    /// GRS80: a = 6 378 137 m, f = 1/298.257222100882711… (PROJ's `+ellps=GRS80`).
    pub const GRS80: Ellipsoid = Ellipsoid {
        a: 6_378_137.0,
        f: 1.0 / 298.257_222_100_882_7,
    };
    /// WGS84: a = 6 378 137 m, f = 1/298.257223563.
    pub const WGS84: Ellipsoid = Ellipsoid {
        a: 6_378_137.0,
        f: 1.0 / 298.257_223_563,
    };

    /// Semi-minor axis `b = a (1 - f)`, metres.
    pub fn b(&self) -> f64 {
        self.a * (1.0 - self.f)
    }

    /// First eccentricity squared `e² = f (2 - f)` (dimensionless).
    pub fn e2(&self) -> f64 {
        self.f * (2.0 - self.f)
    }

    /// Third flattening `n = f / (2 - f)` (dimensionless), the expansion parameter of the
    /// Krüger series.
    pub fn n(&self) -> f64 {
        self.f / (2.0 - self.f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cgcs2000_derived_constants() {
        // b and e² of CGCS2000 as published (b = 6 356 752.31414 m, e² = 0.00669438002290).
        let e = Ellipsoid::CGCS2000;
        assert!((e.b() - 6_356_752.314_14).abs() < 1e-4, "{}", e.b());
        assert!((e.e2() - 0.006_694_380_022_90).abs() < 1e-14, "{}", e.e2());
    }
}
