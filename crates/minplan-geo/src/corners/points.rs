//! [`CornerPoints`]: a corner set that is valid by construction.

use super::{Areas, CornerBlock, CornerReport, RingRole};
use crate::area::plane_area;
use crate::crs::{Crs, GaussKrugerZone};

/// A checked corner set: read without errors, CRS CGCS2000 and zone known, areas computed.
///
/// Obtain it with `CornerPoints::try_from(report)`; it fails (returning the report) when the
/// report has any error ([`CornerReport::has_errors`]) or lacks a zone or areas. Once you hold
/// one, every ring has at least 3 distinct points, no ring crosses itself, holes lie in
/// their shells and rings do not overlap.
///
/// # Examples
/// ```
/// use minplan_geo::corners::{parse_str, CornerPoints, ParseOptions};
/// let text = "拐点,X,Y\n1,4907000.00,44420000.00, , ,\n2,4907000.00,44420100.00, , ,\n\
///             3,4907100.00,44420100.00, , ,\n4,4907100.00,44420000.00, , ,\n*,300,200,采区,1,\n";
/// let cp = CornerPoints::try_from(parse_str(text, &ParseOptions::default())).unwrap();
/// assert_eq!(cp.zone().zone, 44);
/// let ring = &cp.plane_polygons()[0][0];
/// assert_eq!(ring[0], (420000.0, 4907000.0)); // easting without prefix, northing
/// assert!((cp.areas().plane_m2 - 10_000.0).abs() < 1e-6);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CornerPoints {
    zone: GaussKrugerZone,
    crs: Crs,
    blocks: Vec<CornerBlock>,
    areas: Areas,
    plane: Vec<Vec<Vec<(f64, f64)>>>,
}

impl TryFrom<CornerReport> for CornerPoints {
    type Error = CornerReport;

    /// # Errors
    /// Returns the report unchanged when it has errors, or no CRS, zone or areas.
    fn try_from(report: CornerReport) -> Result<Self, Self::Error> {
        if report.has_errors() || report.blocks.is_empty() {
            return Err(report);
        }
        let (Some(zone), Some(crs), Some(areas)) = (report.zone, report.crs, report.areas.clone())
        else {
            return Err(report);
        };
        let zone = zone.with_prefix(false);
        let tm = zone.projection();
        let mut plane = Vec::new();
        for b in &report.blocks {
            let mut shells = Vec::new();
            for r in &b.rings {
                let mut pts: Vec<(f64, f64)> = r
                    .points
                    .iter()
                    .map(|p| match crs {
                        Crs::Geographic => tm.forward(p.y, p.x),
                        Crs::GaussKruger(z) => {
                            let prefix = if z.prefixed {
                                f64::from(z.zone) * 1e6
                            } else {
                                0.0
                            };
                            (p.y - prefix, p.x)
                        }
                    })
                    .collect();
                let a = plane_area(&pts);
                let want_ccw = r.role == RingRole::Shell;
                if (a > 0.0) != want_ccw {
                    pts.reverse();
                }
                shells.push((r.role, pts));
            }
            // Exterior first: stable partition keeps each hole after the shells in order.
            shells.sort_by_key(|(role, _)| *role == RingRole::Hole);
            plane.push(shells.into_iter().map(|(_, p)| p).collect());
        }
        Ok(CornerPoints {
            zone,
            crs,
            blocks: report.blocks,
            areas,
            plane,
        })
    }
}

impl CornerPoints {
    /// The Gauss–Krüger zone of [`Self::plane_polygons`], **without** prefix (false easting
    /// 500 000 m).
    pub fn zone(&self) -> GaussKrugerZone {
        self.zone
    }

    /// The CRS of the record (the entered numbers).
    pub fn crs(&self) -> Crs {
        self.crs
    }

    /// The blocks as entered (the record).
    pub fn blocks(&self) -> &[CornerBlock] {
        &self.blocks
    }

    /// Per block, rings as **(easting without zone prefix, northing)** metres in [`Self::zone`]:
    /// shells first (counter-clockwise), then holes (clockwise). Rings are **open**: the first
    /// point is not repeated at the end.
    pub fn plane_polygons(&self) -> Vec<Vec<Vec<(f64, f64)>>> {
        self.plane.clone()
    }

    /// Per block, rings as **(longitude, latitude)** degrees, CGCS2000 (RFC 7946 order):
    /// shells first (counter-clockwise), then holes (clockwise). Rings are **closed** (first
    /// point repeated at the end), as RFC 7946 linear rings are. Computed from the record's
    /// numbers by the inverse Gauss–Krüger projection (or taken as entered for geographic
    /// input); the record itself is never replaced by these.
    pub fn lonlat_polygons(&self) -> Vec<Vec<Vec<(f64, f64)>>> {
        let tm = self.zone.projection();
        self.plane
            .iter()
            .map(|b| {
                b.iter()
                    .map(|r| {
                        let mut v: Vec<(f64, f64)> =
                            r.iter().map(|&(e, n)| tm.inverse(e, n)).collect();
                        if let Some(f) = v.first().copied() {
                            v.push(f);
                        }
                        v
                    })
                    .collect()
            })
            .collect()
    }

    /// Plane and ellipsoidal areas (see [`Areas`]).
    pub fn areas(&self) -> Areas {
        self.areas.clone()
    }
}
