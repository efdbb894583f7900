//! `[[prohibitions]]`: prohibited and restricted minerals (《规划》四（一）2; rule R1 in
//! `docs/rules.md`).

use super::context::{Ctx, Expect};
use super::raw::*;
use crate::minerals::MineralCatalogue;
use crate::plan::*;

impl Ctx<'_> {
    /// `[[prohibitions]]`: a known mineral, a condition, 禁止 or 限制, and the citation that
    /// names it.
    pub(super) fn prohibitions(
        &mut self,
        raw: &[S<RawProhibition>],
        minerals: &MineralCatalogue,
    ) -> Vec<Prohibition> {
        let mut out = Vec::new();
        for (i, p) in raw.iter().enumerate() {
            let r = p.get_ref();
            let field = format!("prohibitions[{i}]（{}）", r.label.get_ref());
            self.check_mineral(minerals, &r.mineral, &field);
            let condition = self.enum_value(
                &r.condition,
                &field,
                "always、wetland、arable_land",
                |s| match s {
                    "always" | "全域" => Some(ProhibitionCondition::Always),
                    "wetland" | "湿地" => Some(ProhibitionCondition::Wetland),
                    "arable_land" | "可耕地" => Some(ProhibitionCondition::ArableLand),
                    _ => None,
                },
            );
            let kind = self.enum_value(
                &r.kind,
                &field,
                &ProhibitionKind::LABELS.join("、"),
                ProhibitionKind::parse,
            );
            let cite = self.cite(&r.cite, p.span(), &field, Expect::Text(r.mineral.get_ref()));
            if let (Some(condition), Some(kind), Some(cite)) = (condition, kind, cite) {
                out.push(Prohibition {
                    mineral: r.mineral.get_ref().clone(),
                    condition,
                    kind,
                    label: r.label.get_ref().clone(),
                    cite,
                });
            }
        }
        out
    }
}
