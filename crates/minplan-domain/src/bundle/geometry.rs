//! The bundle's GeoJSON layers: parsed by [`crate::layer`] (strictly — any broken feature is
//! a bundle error) and checked to lie inside the county outline.

use super::{BundleError, BundleErrorKind};
use crate::layer::{LayerOptions, ParsedFeature, parse_geojson_layer};
use crate::plan::LonLatPolygon;
use minplan_geo::corners::{distance_to_ring, point_in_ring};
use minplan_geo::{GaussKrugerZone, TransverseMercator};

/// How far (metres, in the Gauss plane) a layer vertex may lie outside the county outline
/// before it is an error. Covers digitising noise along a shared boundary.
pub const OUTSIDE_TOLERANCE_M: f64 = 50.0;

/// A parsed layer file.
pub struct LayerGeometry {
    pub features: Vec<ParsedFeature>,
}

impl LayerGeometry {
    /// Parses a layer file of the bundle; every feature problem is an error.
    pub fn parse(
        file: &str,
        text: &str,
        id_property: Option<&str>,
        zone: GaussKrugerZone,
        buffer_m: Option<f64>,
    ) -> Result<LayerGeometry, Vec<BundleError>> {
        let layer = parse_geojson_layer(
            text,
            &LayerOptions {
                id_property,
                zone,
                buffer_m,
                region: None,
            },
        )
        .map_err(|message| {
            vec![BundleError {
                kind: BundleErrorKind::Syntax,
                file: file.to_string(),
                line: None,
                field: String::new(),
                message,
            }]
        })?;
        // A bundle is written by hand and reviewed: a ring left open is an error here.
        if layer.problems.is_empty() && layer.warnings.is_empty() {
            return Ok(LayerGeometry {
                features: layer.features,
            });
        }
        Err(layer
            .problems
            .into_iter()
            .chain(layer.warnings)
            .map(|p| BundleError {
                kind: BundleErrorKind::InvalidRing,
                file: file.to_string(),
                line: p.line,
                field: format!("要素 {}（第 {} 个）", p.id, p.index),
                message: p.message,
            })
            .collect())
    }
}

/// The county outline projected to its Gauss–Krüger zone, for inside checks.
pub struct GeometryCheck {
    pub zone: GaussKrugerZone,
    tm: TransverseMercator,
    outline_en: Vec<Vec<Vec<(f64, f64)>>>,
}

impl GeometryCheck {
    pub fn new(zone: GaussKrugerZone, outline: &[LonLatPolygon]) -> Self {
        let tm = zone.with_prefix(false).projection();
        let outline_en = outline
            .iter()
            .map(|p| {
                p.iter()
                    .map(|r| r.iter().map(|q| tm.forward(q[0], q[1])).collect())
                    .collect()
            })
            .collect();
        GeometryCheck {
            zone,
            tm,
            outline_en,
        }
    }

    fn inside(&self, p: (f64, f64)) -> bool {
        self.outline_en.iter().any(|poly: &Vec<Vec<(f64, f64)>>| {
            point_in_ring(p, &poly[0]) && !poly[1..].iter().any(|h| point_in_ring(p, h))
        })
    }

    fn distance_to_outline(&self, p: (f64, f64)) -> f64 {
        self.outline_en
            .iter()
            .flat_map(|poly| poly.iter())
            .map(|r| distance_to_ring(p, r))
            .fold(f64::INFINITY, f64::min)
    }

    /// Errors for the vertices of `f` outside the outline by more than [`OUTSIDE_TOLERANCE_M`].
    pub fn check_inside(&self, file: &str, f: &ParsedFeature) -> Vec<BundleError> {
        let mut outside = Vec::new();
        let mut worst: f64 = 0.0;
        for (pi, poly) in f.polygons.iter().enumerate() {
            for (k, q) in poly[0].iter().enumerate() {
                let p = self.tm.forward(q[0], q[1]);
                if !self.inside(p) {
                    let d = self.distance_to_outline(p);
                    if d > OUTSIDE_TOLERANCE_M {
                        worst = worst.max(d);
                        outside.push(format!("第{}面第{}点", pi + 1, k + 1));
                    }
                }
            }
        }
        if outside.is_empty() {
            return vec![];
        }
        let shown: Vec<_> = outside.iter().take(5).cloned().collect();
        vec![BundleError {
            kind: BundleErrorKind::OutsideRegion,
            file: file.to_string(),
            line: f.line,
            field: format!("要素 {}", f.id),
            message: format!(
                "{} 个顶点位于行政区范围之外（最远 {:.0} 米，容差 {} 米）：{}{}",
                outside.len(),
                worst,
                OUTSIDE_TOLERANCE_M,
                shown.join("、"),
                if outside.len() > 5 { " 等" } else { "" }
            ),
        }]
    }
}
