//! `[[blocks]]`: the planning blocks (勘查 / 开采规划区块, 《规划》四（三）1–2) with their
//! geometry from one layer file keyed by `number`, and their approval level.

use super::BundleErrorKind;
use super::context::{Ctx, Expect};
use super::geometry::{GeometryCheck, LayerGeometry};
use super::raw::*;
use super::{AREA_TOLERANCE, BundleError};
use crate::citation::format_number;
use crate::minerals::MineralCatalogue;
use crate::plan::*;
use crate::units::Unit;
use std::collections::{BTreeMap, HashSet};

impl Ctx<'_> {
    /// 勘查 / 开采 (or the full term 勘查规划区块 / 开采规划区块).
    pub(super) fn block_kind(&mut self, s: &S<String>, field: &str) -> Option<BlockKind> {
        self.enum_value(s, field, &BlockKind::LABELS.join("、"), BlockKind::parse)
    }

    /// The approval level ([`ApprovalLevel::parse`]).
    pub(super) fn approval(&mut self, s: &S<String>, field: &str) -> Option<ApprovalLevel> {
        self.enum_value(s, field, ApprovalLevel::ACCEPTED, ApprovalLevel::parse)
    }

    /// `[[blocks]]` with their geometry (one layer file keyed by `number`): kind, minerals,
    /// approval level, stated area against the geometry's, inside the county; numbers unique.
    pub(super) fn blocks(
        &mut self,
        raw: &RawPlan,
        geo: Option<&GeometryCheck>,
        minerals: &MineralCatalogue,
    ) -> Vec<PlanningBlock> {
        // Geometry: one layer file, features keyed by the `number` property.
        let mut features: BTreeMap<String, crate::layer::ParsedFeature> = BTreeMap::new();
        let mut file_name = String::new();
        if let (Some(file), Some(geo)) = (&raw.blocks_file, geo) {
            file_name = file.get_ref().clone();
            if let Some(text) = self
                .read_text_file(file, "blocks_file")
                .map(|s| s.to_string())
            {
                match LayerGeometry::parse(&file_name, &text, Some("number"), geo.zone, None) {
                    Ok(layer) => {
                        for f in layer.features {
                            self.errors.extend(geo.check_inside(&file_name, &f));
                            if features.contains_key(&f.id) {
                                self.errors.push(BundleError {
                                    kind: BundleErrorKind::Duplicate,
                                    file: file_name.clone(),
                                    line: f.line,
                                    field: format!("要素 {}", f.id),
                                    message: format!("规划区块编号“{}”在图层中出现多次", f.id),
                                });
                            }
                            features.insert(f.id.clone(), f);
                        }
                    }
                    Err(errs) => self.errors.extend(errs),
                }
            }
        } else if raw.blocks_file.is_none()
            && let Some(b) = raw
                .blocks
                .iter()
                .find(|b| b.get_ref().geometry.unwrap_or(true))
        {
            let sp = b.span();
            self.err_at(
                BundleErrorKind::MissingFile,
                sp,
                "blocks_file",
                "有规划区块但未指定区块图层文件（blocks_file）；规划未给出范围的区块请写 geometry = false",
            );
        }
        let mut out = Vec::new();
        let mut numbers = HashSet::new();
        for (i, b) in raw.blocks.iter().enumerate() {
            let r = b.get_ref();
            let field = format!("blocks[{i}]（{}）", r.name.get_ref());
            let number = r.number.get_ref().clone();
            if !numbers.insert(number.clone()) {
                self.err_at(
                    BundleErrorKind::Duplicate,
                    r.number.span(),
                    &field,
                    format!("规划区块编号“{number}”重复"),
                );
            }
            let kind = self.block_kind(&r.kind, &field);
            let approval = self.approval(&r.approval, &field);
            for m in &r.minerals {
                self.check_mineral(minerals, m, &field);
            }
            let name_short = r
                .name
                .get_ref()
                .replace("黑龙江省", "")
                .replace("规划区块", "");
            let cite = self.cite(&r.cite, b.span(), &field, Expect::Nothing);
            let _ = name_short;
            let stated = match &r.stated_area {
                None => None,
                Some(sa) => {
                    let s = sa.get_ref();
                    let unit = self.unit(&s.unit, sa.span(), &field);
                    let v = self.value(
                        &s.value,
                        sa.span(),
                        &field,
                        BundleErrorKind::MissingValue,
                        "面积数值",
                    );
                    let c = self.cite(
                        &s.cite,
                        sa.span(),
                        &field,
                        v.map_or(Expect::Nothing, Expect::Number),
                    );
                    if unit.is_some_and(|u| u != Unit::Km2) {
                        self.err_at(
                            BundleErrorKind::UnknownUnit,
                            sa.span(),
                            &field,
                            "区块面积单位应为 km²",
                        );
                    }
                    match (v, c) {
                        (Some(value), Some(cite)) => Some(Cited { value, cite }),
                        _ => None,
                    }
                }
            };
            let status = r.status.as_ref().and_then(|st| {
                self.enum_value(
                    st,
                    &field,
                    &BlockStatus::LABELS.join("、"),
                    BlockStatus::parse,
                )
            });
            let resources = r.resources.as_ref().and_then(|rs| {
                let s = rs.get_ref();
                let unit = self.unit(&s.unit, rs.span(), &field);
                let v = self.value(
                    &s.value,
                    rs.span(),
                    &field,
                    BundleErrorKind::MissingValue,
                    "资源量数值",
                );
                let c = self.cite(
                    &s.cite,
                    rs.span(),
                    &field,
                    v.map_or(Expect::Nothing, Expect::Number),
                );
                Some(BlockResources {
                    value: v?,
                    unit: unit?,
                    cite: c?,
                })
            });
            let wants_geometry = r.geometry.unwrap_or(true);
            let feature = features.remove(&number);
            if !wants_geometry && let Some(f) = &feature {
                self.errors.push(BundleError {
                    kind: BundleErrorKind::GeometryMismatch,
                    file: file_name.clone(),
                    line: f.line,
                    field: format!("要素 {number}"),
                    message: format!(
                        "规划区块“{number}”在 plan.toml 中写明无图形（geometry = false），图层中却有其要素"
                    ),
                });
            }
            if wants_geometry && feature.is_none() && !file_name.is_empty() {
                self.err_at(
                    BundleErrorKind::GeometryMismatch,
                    r.number.span(),
                    &field,
                    format!("图层“{file_name}”中没有编号为“{number}”的要素"),
                );
            }
            let area_km2 = feature.as_ref().map_or(0.0, |f| f.area_km2);
            if let (Some(st), Some(_)) = (&stated, &feature)
                && (area_km2 - st.value).abs() > AREA_TOLERANCE * st.value
            {
                let sp = r.stated_area.as_ref().map(|s| s.span()).unwrap_or(b.span());
                self.err_at(
                    BundleErrorKind::AreaMismatch,
                    sp,
                    &field,
                    format!(
                        "图形椭球面积 {area_km2:.4} km² 与规划面积 {} km² 相差超过 1%",
                        format_number(st.value)
                    ),
                );
            }
            let geometry = match (wants_geometry, feature) {
                (true, Some(f)) => Some(f.polygons),
                (true, None) => None,
                (false, _) => Some(Vec::new()),
            };
            if let (Some(kind), Some(approval), Some(cite), Some(geometry)) =
                (kind, approval, cite, geometry)
            {
                out.push(PlanningBlock {
                    number,
                    name: r.name.get_ref().clone(),
                    kind,
                    approval,
                    minerals: r.minerals.iter().map(|m| m.get_ref().clone()).collect(),
                    category: r.category.as_ref().map(|c| c.get_ref().clone()),
                    stated_area_km2: stated,
                    area_km2,
                    geometry,
                    schematic: r.schematic,
                    status,
                    designated_by: r.designated_by.as_ref().map(|d| d.get_ref().clone()),
                    issued_by: r.issued_by.as_ref().map(|d| d.get_ref().clone()),
                    resources,
                    cite,
                    note: r.note.as_ref().map(|n| n.get_ref().clone()),
                });
            }
        }
        // A [[blocks]] entry that could not be read is reported already: its feature is not
        // an orphan, and saying so would send the author looking for a missing block.
        let unreadable = self.errors.iter().any(|e| e.message.starts_with("blocks["));
        for (id, f) in features {
            if unreadable {
                continue;
            }
            self.errors.push(BundleError {
                kind: BundleErrorKind::GeometryMismatch,
                file: file_name.clone(),
                line: f.line,
                field: format!("要素 {id}"),
                message: format!("图层要素“{id}”在 plan.toml 中没有对应的规划区块"),
            });
        }
        out
    }
}
