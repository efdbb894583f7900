//! `[[key_areas]]`: the key areas (重点区域, 《规划》四（二）1) and the blocks they name.

use super::BundleErrorKind;
use super::context::{Ctx, Expect};
use super::raw::*;
use crate::plan::*;

impl Ctx<'_> {
    /// `[[key_areas]]`: each names blocks that exist.
    pub(super) fn key_areas(
        &mut self,
        raw: &[S<RawKeyArea>],
        blocks: &[PlanningBlock],
    ) -> Vec<KeyArea> {
        let mut out = Vec::new();
        for (i, k) in raw.iter().enumerate() {
            let r = k.get_ref();
            let field = format!("key_areas[{i}]");
            let name = r.name.get_ref().clone();
            let cite = self.cite(&r.cite, k.span(), &field, Expect::Text(&name));
            for b in &r.blocks {
                if !blocks.iter().any(|x| &x.number == b.get_ref()) {
                    self.err_at(
                        BundleErrorKind::BadValue,
                        b.span(),
                        &field,
                        format!("没有编号为“{}”的规划区块", b.get_ref()),
                    );
                }
            }
            if let Some(cite) = cite {
                out.push(KeyArea {
                    name,
                    minerals: r.minerals.iter().map(|m| m.get_ref().clone()).collect(),
                    blocks: r.blocks.iter().map(|m| m.get_ref().clone()).collect(),
                    cite,
                });
            }
        }
        out
    }
}
