//! `[[previous_round]]`: the previous plan's targets and results (专栏1).

use super::BundleErrorKind;
use super::context::{Ctx, Expect};
use super::raw::*;
use crate::citation::format_number;
use crate::plan::*;

impl Ctx<'_> {
    /// `[[previous_round]]`: the rows of 专栏1 (target, actual, units), cited.
    pub(super) fn previous_round(&mut self, raw: &[S<RawPreviousRound>]) -> Vec<PreviousRoundRow> {
        let mut out = Vec::new();
        for (i, p) in raw.iter().enumerate() {
            let r = p.get_ref();
            let field = format!(
                "previous_round[{i}]（{}）",
                r.item.as_ref().unwrap_or(&r.indicator).get_ref()
            );
            let unit = self.unit(&r.unit, p.span(), &field);
            let target = self.value(
                &r.target,
                p.span(),
                &field,
                BundleErrorKind::MissingTarget,
                "规划目标值（target）",
            );
            let actual = self.value(
                &r.actual,
                p.span(),
                &field,
                BundleErrorKind::MissingValue,
                "实际完成值（actual）",
            );
            let cite = self.cite(
                &r.cite,
                p.span(),
                &field,
                target.map_or(Expect::Nothing, Expect::Number),
            );
            if let (Some(c), Some(a)) = (&cite, actual)
                && let Some(text) = self.text_of(c)
                && text.section_contains_number(c, a) == Some(false)
            {
                let sp = r.actual.as_ref().map(|x| x.span()).unwrap_or(p.span());
                self.warn_at(
                    BundleErrorKind::FigureNotInSection,
                    sp,
                    &field,
                    format!(
                        "在{}“{}”中未找到实际完成值“{}”",
                        self.text_name(c),
                        c.place(),
                        format_number(a)
                    ),
                );
            }
            if let (Some(unit), Some(target), Some(actual), Some(cite)) =
                (unit, target, actual, cite)
            {
                out.push(PreviousRoundRow {
                    category: r.category.get_ref().clone(),
                    indicator: r.indicator.get_ref().clone(),
                    item: r.item.as_ref().map(|x| x.get_ref().clone()),
                    unit,
                    target,
                    actual,
                    cite,
                });
            }
        }
        out
    }
}
