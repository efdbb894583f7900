//! `[[minerals]]`: the plan's mineral catalogue (the built-in one plus the bundle's), and the
//! check that a mineral named elsewhere in the bundle is in it.

use super::BundleErrorKind;
use super::context::Ctx;
use super::raw::*;
use crate::minerals::{Mineral, MineralCatalogue, MineralClass};

impl Ctx<'_> {
    /// `[[minerals]]` added to the built-in catalogue.
    pub(super) fn minerals(&mut self, raw: &[S<RawMineral>]) -> MineralCatalogue {
        let mut cat = MineralCatalogue::builtin();
        for (i, m) in raw.iter().enumerate() {
            let r = m.get_ref();
            let class = self.enum_value(
                &r.class,
                &format!("minerals[{i}].class"),
                &MineralClass::LABELS.join("、"),
                MineralClass::parse,
            );
            if let Some(class) = class {
                cat.insert(Mineral {
                    name: r.name.get_ref().clone(),
                    aliases: r.aliases.clone(),
                    group: r.group.clone(),
                    class,
                    sand_gravel_clay: r.sand_gravel_clay,
                });
            }
        }
        cat
    }

    /// An error when `m` is not in the catalogue.
    pub(super) fn check_mineral(&mut self, cat: &MineralCatalogue, m: &S<String>, field: &str) {
        if cat.get(m.get_ref()).is_none() {
            self.err_at(
                BundleErrorKind::BadValue,
                m.span(),
                field,
                format!("未知矿种“{}”；请在 [[minerals]] 中登记", m.get_ref()),
            );
        }
    }
}
