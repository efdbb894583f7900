//! `[identity]`: the plan's name, short name, adcode, level, base year, period and the plan it
//! follows (《规划》总则).

use super::BundleErrorKind;
use super::context::{Ctx, Expect};
use super::raw::*;
use crate::plan::*;

impl Ctx<'_> {
    /// `[identity]`: name, adcode, level, base year and period (cited), and the plan it follows.
    pub(super) fn identity(&mut self, id: &S<RawIdentity>) -> Option<PlanIdentity> {
        let r = id.get_ref();
        let name_text = r.name.get_ref().value.get_ref().clone();
        let name_cite = self.cite(
            &r.name.get_ref().cite,
            r.name.span(),
            "identity.name",
            Expect::Text(&name_text),
        );
        let adcode = r.adcode.get_ref().clone();
        if adcode.len() != 6 || !adcode.chars().all(|c| c.is_ascii_digit()) {
            self.err_at(
                BundleErrorKind::BadValue,
                r.adcode.span(),
                "identity.adcode",
                "行政区划代码应为 6 位数字（GB/T 2260）",
            );
        }
        let level = self.enum_value(
            &r.level,
            "identity.level",
            PlanLevel::ACCEPTED,
            PlanLevel::parse,
        );
        // The base year is optional: a plan that states none has none (never invented).
        let base_year = match &r.base_year {
            None => Some(None),
            Some(by_s) => {
                let by = by_s.get_ref();
                self.cite(
                    &by.cite,
                    by_s.span(),
                    "identity.base_year",
                    Expect::Number(*by.value.get_ref() as f64),
                )
                .map(|cite| {
                    Some(Cited {
                        value: *by.value.get_ref() as i32,
                        cite,
                    })
                })
            }
        };
        let p = r.period.get_ref();
        let period_cite = self.cite(
            &p.cite,
            r.period.span(),
            "identity.period",
            Expect::Number(*p.start.get_ref() as f64),
        );
        if p.end.get_ref() < p.start.get_ref() {
            self.err_at(
                BundleErrorKind::BadValue,
                r.period.span(),
                "identity.period",
                "规划期末年早于起始年",
            );
        }
        let mut follows = Vec::new();
        for (i, f) in r.follows.iter().enumerate() {
            let v = f.get_ref().value.get_ref().clone();
            let c = self.cite(
                &f.get_ref().cite,
                f.span(),
                &format!("identity.follows[{i}]"),
                Expect::Text(&v),
            );
            if let Some(c) = c {
                follows.push(Cited { value: v, cite: c });
            }
        }
        Some(PlanIdentity {
            name: Cited {
                value: name_text,
                cite: name_cite?,
            },
            short_name: r.short_name.get_ref().clone(),
            adcode,
            level: level?,
            base_year: base_year?,
            period_start: *p.start.get_ref() as i32,
            period_end: *p.end.get_ref() as i32,
            period_cite: period_cite?,
            follows,
        })
    }
}
