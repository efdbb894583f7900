//! `[admission]`: the admission conditions — minimum scales, extraction caps and mine-count
//! caps (《规划》五（一）, 五（三）1, 专栏2; rules R5–R7 in `docs/rules.md`).

use super::BundleErrorKind;
use super::context::{Ctx, Expect};
use super::raw::*;
use crate::minerals::MineralCatalogue;
use crate::plan::*;

impl Ctx<'_> {
    /// A list of per-mineral limits (`min_scales`, `extraction_caps`): known mineral, value, unit
    /// and citation each.
    pub(super) fn limits(
        &mut self,
        raw: &[S<RawLimit>],
        name: &str,
        minerals: &MineralCatalogue,
    ) -> Vec<MineralLimit> {
        let mut out = Vec::new();
        for (i, l) in raw.iter().enumerate() {
            let r = l.get_ref();
            let field = format!("admission.{name}[{i}]（{}）", r.mineral.get_ref());
            self.check_mineral(minerals, &r.mineral, &field);
            let value = self.value(
                &r.value,
                l.span(),
                &field,
                BundleErrorKind::MissingValue,
                "数值（value）",
            );
            let unit = self.unit(&r.unit, l.span(), &field);
            let cite = self.cite(
                &r.cite,
                l.span(),
                &field,
                value.map_or(Expect::Nothing, Expect::Number),
            );
            if let (Some(value), Some(unit), Some(cite)) = (value, unit, cite) {
                out.push(MineralLimit {
                    mineral: r.mineral.get_ref().clone(),
                    value,
                    unit,
                    applies_to: r.applies_to.as_ref().map(|a| a.get_ref().clone()),
                    cite,
                });
            }
        }
        out
    }

    /// `[admission]`: minimum scales, extraction caps (专栏2; 五（一）), the mine-count caps and
    /// other conditions, each cited.
    pub(super) fn admission(
        &mut self,
        adm: &S<RawAdmission>,
        minerals: &MineralCatalogue,
    ) -> Option<Admission> {
        let r = adm.get_ref();
        let min_scales = self.limits(&r.min_scales, "min_scales", minerals);
        let extraction_caps = self.limits(&r.extraction_caps, "extraction_caps", minerals);
        // Optional: a plan that sets no mine-count cap has none (R6 then says 规划未设定).
        let total = r
            .mine_cap_total
            .as_ref()
            .map(|c| self.cited_u32(c, "admission.mine_cap_total"));
        let this_level = r
            .mine_cap_this_level
            .as_ref()
            .map(|c| self.cited_u32(c, "admission.mine_cap_this_level"));
        let mut other = Vec::new();
        for (i, f) in r.other.iter().enumerate() {
            if let Some(fig) = self.figure(f, &format!("admission.other[{i}]"), "准入条件") {
                other.push(fig);
            }
        }
        let this_level = match this_level {
            Some(None) => return None,
            Some(Some(c)) => Some(c),
            None => None,
        };
        let total = match total {
            Some(None) => return None,
            Some(Some(c)) => Some(c),
            None => None,
        };
        let mut a = Admission {
            min_scales,
            extraction_caps,
            mine_cap_total: total,
            mine_cap_this_level: this_level,
            other,
            caps: Vec::new(),
        };
        a.caps = self.admission_caps(adm, &a);
        Some(a)
    }
}
