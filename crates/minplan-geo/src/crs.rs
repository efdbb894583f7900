//! CGCS2000 coordinate reference systems used in Chinese mining-right documents.
//!
//! * geographic CGCS2000, EPSG:4490 (longitude/latitude, degrees);
//! * Gauss–Krüger 3° zones: with the zone prefix written into Y, EPSG:4513–4533 (zones 25–45);
//!   without it ("CM 75E" … "CM 135E"), EPSG:4534–4554;
//! * Gauss–Krüger 6° zones: with prefix EPSG:4491–4501 (zones 13–23); without EPSG:4502–4512.
//!
//! All zones use k0 = 1, false northing 0 and false easting 500 000 m, plus
//! `zone × 1 000 000` m when prefixed. Chinese tables write **X = northing, Y = easting**
//! (the EPSG axis order of these CRSs); this module keeps that order in its names.

use crate::ellipsoid::Ellipsoid;
use crate::tmerc::TransverseMercator;
use serde::{Deserialize, Serialize};
use std::fmt;

/// EPSG code of geographic CGCS2000.
pub const EPSG_CGCS2000: u32 = 4490;

/// Width of a Gauss–Krüger zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ZoneWidth {
    /// 3° zones: zone n has central meridian 3n° E.
    Three,
    /// 6° zones: zone n has central meridian (6n − 3)° E.
    Six,
}

/// A CGCS2000 Gauss–Krüger zone, with or without the zone number written into Y.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct GaussKrugerZone {
    /// 3° or 6°.
    pub width: ZoneWidth,
    /// Zone number (3°: 25–45 in China's EPSG range; 6°: 13–23).
    pub zone: u8,
    /// Whether Y carries the zone number as its leading digits (false easting
    /// `zone × 1 000 000 + 500 000` m instead of 500 000 m).
    pub prefixed: bool,
}

/// Error for a zone outside the CGCS2000 EPSG ranges.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CrsError {
    /// The zone number is not one EPSG defines for CGCS2000.
    #[error("{width}带号 {zone} 不在 CGCS2000 的 EPSG 定义范围内（3°带 25–45，6°带 13–23）")]
    ZoneOutOfRange {
        /// "3°" or "6°".
        width: &'static str,
        /// The zone given.
        zone: u32,
    },
    /// The EPSG code is not a CGCS2000 CRS minplan knows.
    #[error("EPSG:{0} 不是 CGCS2000 地理坐标系或高斯–克吕格投影坐标系")]
    UnknownEpsg(u32),
}

impl GaussKrugerZone {
    /// A 3° zone (25–45).
    ///
    /// # Errors
    /// [`CrsError::ZoneOutOfRange`] outside 25–45.
    pub fn three_degree(zone: u32, prefixed: bool) -> Result<Self, CrsError> {
        if !(25..=45).contains(&zone) {
            return Err(CrsError::ZoneOutOfRange { width: "3°", zone });
        }
        Ok(GaussKrugerZone {
            width: ZoneWidth::Three,
            zone: zone as u8,
            prefixed,
        })
    }

    /// A 6° zone (13–23).
    ///
    /// # Errors
    /// [`CrsError::ZoneOutOfRange`] outside 13–23.
    pub fn six_degree(zone: u32, prefixed: bool) -> Result<Self, CrsError> {
        if !(13..=23).contains(&zone) {
            return Err(CrsError::ZoneOutOfRange { width: "6°", zone });
        }
        Ok(GaussKrugerZone {
            width: ZoneWidth::Six,
            zone: zone as u8,
            prefixed,
        })
    }

    /// The 3° zone whose central meridian is nearest to `lon_deg`
    /// (zone = round(lon / 3)); `None` outside China's range.
    pub fn three_degree_for_lon(lon_deg: f64, prefixed: bool) -> Option<Self> {
        let z = (lon_deg / 3.0).round();
        if !z.is_finite() || z < 0.0 {
            return None;
        }
        Self::three_degree(z as u32, prefixed).ok()
    }

    /// The 6° zone containing `lon_deg` (zone = floor(lon / 6) + 1); `None` outside China's range.
    pub fn six_degree_for_lon(lon_deg: f64, prefixed: bool) -> Option<Self> {
        let z = (lon_deg / 6.0).floor() + 1.0;
        if !z.is_finite() || z < 0.0 {
            return None;
        }
        Self::six_degree(z as u32, prefixed).ok()
    }

    /// Central meridian, degrees east.
    pub fn central_meridian(&self) -> f64 {
        match self.width {
            ZoneWidth::Three => 3.0 * f64::from(self.zone),
            ZoneWidth::Six => 6.0 * f64::from(self.zone) - 3.0,
        }
    }

    /// False easting in metres: 500 000, plus `zone × 1 000 000` when prefixed.
    pub fn false_easting(&self) -> f64 {
        500_000.0
            + if self.prefixed {
                f64::from(self.zone) * 1_000_000.0
            } else {
                0.0
            }
    }

    /// The EPSG code (4513–4554 for 3°, 4491–4512 for 6°).
    pub fn epsg(&self) -> u32 {
        let z = u32::from(self.zone);
        match (self.width, self.prefixed) {
            (ZoneWidth::Three, true) => 4513 + (z - 25),
            (ZoneWidth::Three, false) => 4534 + (z - 25),
            (ZoneWidth::Six, true) => 4491 + (z - 13),
            (ZoneWidth::Six, false) => 4502 + (z - 13),
        }
    }

    /// The same zone with the prefix set or cleared.
    pub fn with_prefix(self, prefixed: bool) -> Self {
        GaussKrugerZone { prefixed, ..self }
    }

    /// The easting (metres) of a table's Y in this zone, without the zone prefix: a Y of
    /// 1 000 000 m or more carries `zone × 1 000 000` m, which is removed (zone 44:
    /// 44 420 334.531 → 420 334.531); a smaller Y is returned as is. The one place the prefix
    /// is stripped; the caller has settled which zone the Y belongs to.
    pub fn strip_zone_prefix(&self, y: f64) -> f64 {
        if y >= 1_000_000.0 {
            y - f64::from(self.zone) * 1_000_000.0
        } else {
            y
        }
    }

    /// Longitude and latitude (degrees, CGCS2000, longitude first as RFC 7946) of a plane
    /// point written as Chinese tables write it: `x` = northing (m), `y` = easting (m) with or
    /// without the zone prefix ([`GaussKrugerZone::strip_zone_prefix`]). Inverse Gauss–Krüger
    /// of this zone ([`TransverseMercator::inverse`]); no range check.
    pub fn to_lonlat(&self, x: f64, y: f64) -> (f64, f64) {
        self.with_prefix(false)
            .projection()
            .inverse(self.strip_zone_prefix(y), x)
    }

    /// The projection of this zone on the CGCS2000 ellipsoid.
    pub fn projection(&self) -> TransverseMercator {
        TransverseMercator::new(
            Ellipsoid::CGCS2000,
            self.central_meridian(),
            1.0,
            self.false_easting(),
            0.0,
        )
    }
}

impl fmt::Display for GaussKrugerZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = match self.width {
            ZoneWidth::Three => 3,
            ZoneWidth::Six => 6,
        };
        write!(
            f,
            "CGCS2000 {w}度带高斯–克吕格 第{}带（中央经线 {}°E，{}，EPSG:{}）",
            self.zone,
            self.central_meridian(),
            if self.prefixed {
                "Y 含带号"
            } else {
                "Y 不含带号"
            },
            self.epsg()
        )
    }
}

/// A CGCS2000 coordinate reference system: geographic or one Gauss–Krüger zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Crs {
    /// EPSG:4490, longitude/latitude in degrees.
    Geographic,
    /// A projected Gauss–Krüger zone (X = northing, Y = easting, metres).
    GaussKruger(GaussKrugerZone),
}

impl Crs {
    /// The EPSG code.
    pub fn epsg(&self) -> u32 {
        match self {
            Crs::Geographic => EPSG_CGCS2000,
            Crs::GaussKruger(z) => z.epsg(),
        }
    }

    /// Parses a CGCS2000 EPSG code (4490, 4491–4554).
    ///
    /// # Errors
    /// [`CrsError::UnknownEpsg`] for anything else (including Xi'an 80 and Beijing 54 codes).
    pub fn from_epsg(code: u32) -> Result<Crs, CrsError> {
        let zone = match code {
            EPSG_CGCS2000 => return Ok(Crs::Geographic),
            4491..=4501 => GaussKrugerZone::six_degree(code - 4491 + 13, true)?,
            4502..=4512 => GaussKrugerZone::six_degree(code - 4502 + 13, false)?,
            4513..=4533 => GaussKrugerZone::three_degree(code - 4513 + 25, true)?,
            4534..=4554 => GaussKrugerZone::three_degree(code - 4534 + 25, false)?,
            _ => return Err(CrsError::UnknownEpsg(code)),
        };
        Ok(Crs::GaussKruger(zone))
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Crs::Geographic => write!(f, "CGCS2000 地理坐标（经纬度，EPSG:4490）"),
            Crs::GaussKruger(z) => z.fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epsg_codes_match_the_registry() {
        // EPSG registry names: 4532 = "CGCS2000 / 3-degree Gauss-Kruger zone 44",
        // 4553 = "CGCS2000 / 3-degree Gauss-Kruger CM 132E", 4529 = zone 41 (the Liaoning
        // announcement), 4500 = "CGCS2000 / Gauss-Kruger zone 22", 4511 = "… CM 129E".
        let z44 = GaussKrugerZone::three_degree(44, true).unwrap();
        assert_eq!(z44.epsg(), 4532);
        assert_eq!(z44.with_prefix(false).epsg(), 4553);
        assert_eq!(z44.central_meridian(), 132.0);
        assert_eq!(z44.false_easting(), 44_500_000.0);
        assert_eq!(
            GaussKrugerZone::three_degree(41, true).unwrap().epsg(),
            4529
        );
        let z22 = GaussKrugerZone::six_degree(22, true).unwrap();
        assert_eq!((z22.epsg(), z22.central_meridian()), (4500, 129.0));
        assert_eq!(z22.with_prefix(false).epsg(), 4511);
        for code in [4490, 4491, 4501, 4502, 4512, 4513, 4533, 4534, 4554] {
            assert_eq!(Crs::from_epsg(code).unwrap().epsg(), code);
        }
        assert!(Crs::from_epsg(2382).is_err()); // Xi'an 80 / 3-degree GK CM 132E
        assert!(Crs::from_epsg(4555).is_err());
    }

    #[test]
    fn to_lonlat_takes_y_with_or_without_the_zone_prefix() {
        // PROJ (tests/data/cgcs2000_zone44_vectors.csv): 131.0°E 44.4°N is
        // X 4 918 755.2684, Y 44 420 334.5310 in EPSG:4532.
        let z44 = GaussKrugerZone::three_degree(44, true).unwrap();
        assert!((z44.strip_zone_prefix(44_420_334.531) - 420_334.531).abs() < 1e-6);
        assert_eq!(z44.strip_zone_prefix(420_334.531), 420_334.531);
        for y in [44_420_334.531, 420_334.531] {
            for z in [z44, z44.with_prefix(false)] {
                let (lon, lat) = z.to_lonlat(4_918_755.268_4, y);
                assert!(
                    (lon - 131.0).abs() < 1e-8 && (lat - 44.4).abs() < 1e-8,
                    "{lon} {lat}"
                );
            }
        }
    }

    #[test]
    fn zone_for_suifenhe() {
        let z = GaussKrugerZone::three_degree_for_lon(131.1, true).unwrap();
        assert_eq!(z.zone, 44);
        let z6 = GaussKrugerZone::six_degree_for_lon(131.1, true).unwrap();
        assert_eq!(z6.zone, 22);
    }
}
