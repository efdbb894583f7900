//! `[[block_groups]]`: the stated counts and total areas of groups of blocks (《规划》四（三）),
//! checked against the blocks.

use super::AREA_TOLERANCE;
use super::BundleErrorKind;
use super::context::{Ctx, Expect};
use super::raw::*;
use crate::citation::format_number;
use crate::plan::*;
use crate::units::Unit;

impl Ctx<'_> {
    /// `[[block_groups]]`: each group's stated count and total area against its blocks (within
    /// [`AREA_TOLERANCE`](super::AREA_TOLERANCE)).
    pub(super) fn block_groups(
        &mut self,
        raw: &[S<RawBlockGroup>],
        blocks: &[PlanningBlock],
    ) -> Vec<BlockGroup> {
        let mut out = Vec::new();
        for (i, g) in raw.iter().enumerate() {
            let r = g.get_ref();
            let field = format!("block_groups[{i}]（{}）", r.label.get_ref());
            let kind = self.block_kind(&r.kind, &field);
            let approval = self.approval(&r.approval, &field);
            let count = self.cited_u32(&r.count, &field);
            let total = match &r.total_area {
                None => None,
                Some(sp_ta) => {
                    let ta = sp_ta.get_ref();
                    let unit = self.unit(&ta.unit, sp_ta.span(), &field);
                    if unit.is_some_and(|u| u != Unit::Km2) {
                        self.err_at(
                            BundleErrorKind::UnknownUnit,
                            sp_ta.span(),
                            &field,
                            "总面积单位应为 km²",
                        );
                    }
                    let total = self.value(
                        &ta.value,
                        sp_ta.span(),
                        &field,
                        BundleErrorKind::MissingValue,
                        "总面积数值",
                    );
                    let total_cite = self.cite(
                        &ta.cite,
                        sp_ta.span(),
                        &field,
                        total.map_or(Expect::Nothing, Expect::Number),
                    );
                    match (total, total_cite) {
                        (Some(value), Some(cite)) => {
                            Some(Some((Cited { value, cite }, sp_ta.span())))
                        }
                        _ => Some(None),
                    }
                }
            };
            let (Some(kind), Some(approval), Some(count)) = (kind, approval, count) else {
                continue;
            };
            let total = match total {
                Some(None) => continue,
                Some(Some(t)) => Some(t),
                None => None,
            };
            let members: Vec<&PlanningBlock> = blocks
                .iter()
                .filter(|b| b.kind == kind && b.approval == approval)
                .collect();
            let unreadable = self.errors.iter().any(|e| e.message.starts_with("blocks["));
            if members.len() as u32 != count.value && !unreadable {
                self.err_at(
                    BundleErrorKind::CountMismatch,
                    r.count.span(),
                    &field,
                    format!(
                        "规划载明 {} 个，数据包中有 {} 个",
                        count.value,
                        members.len()
                    ),
                );
            }
            let computed: f64 = members.iter().map(|b| b.area_km2).sum();
            let all_drawn = members.iter().all(|b| b.has_geometry());
            if let Some((t, span)) = &total
                && all_drawn
                && (computed - t.value).abs() > AREA_TOLERANCE * t.value
            {
                self.err_at(
                    BundleErrorKind::AreaMismatch,
                    span.clone(),
                    &field,
                    format!(
                        "区块图形椭球面积合计 {computed:.4} km² 与规划总面积 {} km² 相差超过 1%",
                        format_number(t.value)
                    ),
                );
            }
            out.push(BlockGroup {
                label: r.label.get_ref().clone(),
                kind,
                approval,
                count,
                total_area_km2: total.map(|(t, _)| t),
                computed_area_km2: computed,
            });
        }
        out
    }
}
