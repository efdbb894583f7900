//! `[[control_layers]]`: the control lines (生态保护红线, 永久基本农田, 城镇开发边界) and the
//! 三区两线 visible corridor, each from a layer file (rules R8–R11 in `docs/rules.md`).

use super::BundleErrorKind;
use super::context::Ctx;
use super::geometry::{GeometryCheck, LayerGeometry};
use super::raw::*;
use crate::plan::*;
use std::collections::HashSet;

impl Ctx<'_> {
    /// `[[control_layers]]`: one layer per kind, its features inside the county, an optional
    /// positive buffer width (metres).
    pub(super) fn control_layers(
        &mut self,
        raw: &[S<RawControlLayer>],
        geo: Option<&GeometryCheck>,
    ) -> Vec<ControlLayer> {
        let mut out = Vec::new();
        let mut kinds = HashSet::new();
        for (i, l) in raw.iter().enumerate() {
            let r = l.get_ref();
            let field = format!("control_layers[{i}]（{}）", r.name.get_ref());
            let kind = self.enum_value(
                &r.kind,
                &field,
                "生态保护红线、永久基本农田、城镇开发边界、三区两线可视范围",
                ControlLayerKind::parse,
            );
            if let Some(k) = kind
                && !kinds.insert(k)
            {
                self.err_at(
                    BundleErrorKind::Duplicate,
                    r.kind.span(),
                    &field,
                    format!("图层类型“{}”重复", k.label()),
                );
            }
            let buffer_m = match &r.buffer_m {
                Some(b) if !(b.get_ref().is_finite() && *b.get_ref() > 0.0) => {
                    self.err_at(
                        BundleErrorKind::BadValue,
                        b.span(),
                        &field,
                        "缓冲宽度（buffer_m）应为正数（米）",
                    );
                    None
                }
                Some(b) => Some(*b.get_ref()),
                None => None,
            };
            let Some(geo) = geo else { continue };
            let path = r.file.get_ref().clone();
            let Some(text) = self.read_text_file(&r.file, &field).map(|s| s.to_string()) else {
                continue;
            };
            let layer = match LayerGeometry::parse(&path, &text, Some("id"), geo.zone, buffer_m) {
                Ok(l) => l,
                Err(errs) => {
                    self.errors.extend(errs);
                    continue;
                }
            };
            let mut features = Vec::new();
            for f in layer.features {
                self.errors.extend(geo.check_inside(&path, &f));
                features.push(LayerFeature {
                    id: f.id,
                    name: f.name,
                    geometry: f.polygons,
                    area_km2: f.area_km2,
                    properties: f.properties,
                });
            }
            if let Some(kind) = kind {
                out.push(ControlLayer {
                    kind,
                    name: r.name.get_ref().clone(),
                    source: r.source.get_ref().clone(),
                    schematic: r.schematic,
                    buffer_m,
                    features,
                });
            }
        }
        out
    }
}
