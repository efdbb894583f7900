//! `[rule_basis]`: the plan's own words for each review rule R1–R15 (`docs/rules.md`), each
//! quote checked against the sections it cites.

use super::BundleErrorKind;
use super::context::{Ctx, Expect};
use super::raw::*;
use crate::plan::*;
use std::collections::BTreeMap;

impl Ctx<'_> {
    /// `[rule_basis]`: rule numbers R1–R15, at least one citation each, the quoted words found
    /// in the cited sections (a warning otherwise).
    pub(super) fn rule_basis(&mut self, raw: &BTreeMap<String, S<RawRuleBasis>>) -> Vec<RuleBasis> {
        let mut out = Vec::new();
        for (rule, b) in raw {
            let field = format!("rule_basis.{rule}");
            let valid_rule = rule
                .strip_prefix('R')
                .and_then(|n| n.parse::<u32>().ok())
                .is_some_and(|n| (1..=15).contains(&n));
            if !valid_rule {
                self.err_at(
                    BundleErrorKind::BadValue,
                    b.span(),
                    &field,
                    format!("规则编号“{rule}”应为 R1～R15"),
                );
                continue;
            }
            let r = b.get_ref();
            if r.cite.is_empty() {
                self.err_at(
                    BundleErrorKind::MissingCitation,
                    b.span(),
                    &field,
                    "规则依据至少注明一个出处",
                );
                continue;
            }
            let text = r.text.get_ref().clone();
            let mut cites = Vec::new();
            for c in &r.cite {
                cites.extend(self.cite(&Some(c.clone()), b.span(), &field, Expect::Nothing));
            }
            // The quoted words, "…" marking omissions, must each be in one of the sections.
            // Checked when every cited section's text is in the bundle.
            if cites.iter().all(|c| self.text_of(c).is_some()) {
                let all_found = text
                    .split('…')
                    .filter(|p| !p.trim().is_empty())
                    .all(|part| {
                        cites.iter().any(|c| {
                            self.text_of(c)
                                .is_some_and(|t| t.section_contains(c, part) == Some(true))
                        })
                    });
                if !all_found && cites.len() == r.cite.len() {
                    self.warn_at(
                        BundleErrorKind::FigureNotInSection,
                        r.text.span(),
                        &field,
                        "规则依据的引文在所注章节中未找到，请核对".to_string(),
                    );
                }
            }
            if cites.len() == r.cite.len() {
                out.push(RuleBasis {
                    rule: rule.clone(),
                    cites,
                    text,
                });
            }
        }
        out
    }
}
