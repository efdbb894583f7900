//! `[region]`: the county — its towns, Gauss–Krüger zone and outline layer (《规划》一（一）1).

use super::BundleErrorKind;
use super::context::{Ctx, Expect};
use super::geometry::LayerGeometry;
use super::raw::*;
use crate::plan::*;
use minplan_geo::GaussKrugerZone;

impl Ctx<'_> {
    /// `[region]`: the towns as cited, the Gauss–Krüger zone (3° or 6°), and the outline layer
    /// (its area computed from the geometry).
    pub(super) fn region(&mut self, reg: &S<RawRegion>) -> Option<Region> {
        let r = reg.get_ref();
        let towns = r.towns.get_ref();
        let names: Vec<String> = towns.value.iter().map(|t| t.get_ref().clone()).collect();
        let joined = names.join("");
        let towns_cite = self.cite(
            &towns.cite,
            r.towns.span(),
            "region.towns",
            Expect::Text(names.first().map(|s| s.as_str()).unwrap_or("")),
        );
        let _ = joined;
        let z = r.zone.get_ref();
        let zone = match z.width.get_ref() {
            3 => GaussKrugerZone::three_degree(*z.zone.get_ref(), true),
            6 => GaussKrugerZone::six_degree(*z.zone.get_ref(), true),
            w => {
                self.err_at(
                    BundleErrorKind::BadValue,
                    z.width.span(),
                    "region.zone.width",
                    format!("带宽应为 3 或 6，实际为 {w}"),
                );
                return None;
            }
        };
        let zone = match zone {
            Ok(z) => z,
            Err(e) => {
                self.err_at(
                    BundleErrorKind::BadValue,
                    z.zone.span(),
                    "region.zone.zone",
                    e.to_string(),
                );
                return None;
            }
        };
        let o = r.outline.get_ref();
        let path = o.file.get_ref().clone();
        let text = self
            .read_text_file(&o.file, "region.outline.file")?
            .to_string();
        let layer = match LayerGeometry::parse(&path, &text, None, zone, None) {
            Ok(l) => l,
            Err(errs) => {
                self.errors.extend(errs);
                return None;
            }
        };
        let outline: Vec<LonLatPolygon> = layer
            .features
            .iter()
            .flat_map(|f| f.polygons.clone())
            .collect();
        if outline.is_empty() {
            self.err_at(
                BundleErrorKind::GeometryMismatch,
                o.file.span(),
                "region.outline",
                "行政区范围文件中没有面要素",
            );
            return None;
        }
        let area: f64 = layer.features.iter().map(|f| f.area_km2).sum();
        Some(Region {
            name: r.name.get_ref().clone(),
            towns: Cited {
                value: names,
                cite: towns_cite?,
            },
            zone,
            outline,
            sub_units: Vec::new(),
            outline_schematic: o.schematic,
            outline_source: o.source.get_ref().clone(),
            outline_area_km2: area,
        })
    }
}
