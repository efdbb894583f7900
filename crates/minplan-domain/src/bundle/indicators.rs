//! `[[indicators]]`: the plan's indicators (专栏2, 《规划》三) with their targets, units,
//! comparisons and attributes (预期性 / 约束性).

use super::BundleErrorKind;
use super::context::{Ctx, Expect};
use super::raw::*;
use crate::minerals::MineralCatalogue;
use crate::plan::*;
use std::collections::HashSet;

impl Ctx<'_> {
    /// `[[indicators]]`: keys unique; target, unit, comparison, attribute and metric (统计口径),
    /// cited; the mineral of an extraction total known to the catalogue.
    pub(super) fn indicators(
        &mut self,
        raw: &[S<RawIndicator>],
        minerals: &MineralCatalogue,
    ) -> Vec<Indicator> {
        let mut out = Vec::new();
        let mut keys = HashSet::new();
        for (i, ind) in raw.iter().enumerate() {
            let r = ind.get_ref();
            let field = format!("indicators[{i}]（{}）", r.name.get_ref());
            if !keys.insert(r.key.get_ref().clone()) {
                self.err_at(
                    BundleErrorKind::Duplicate,
                    r.key.span(),
                    &field,
                    format!("指标键“{}”重复", r.key.get_ref()),
                );
            }
            let unit = self.unit(&r.unit, ind.span(), &field);
            let target = self.value(
                &r.target,
                ind.span(),
                &field,
                BundleErrorKind::MissingTarget,
                "目标值（target）",
            );
            let cite = self.cite(
                &r.cite,
                ind.span(),
                &field,
                target.map_or(Expect::Nothing, Expect::Number),
            );
            let comparison = match &r.comparison {
                Some(c) => {
                    self.enum_value(c, &field, &Comparison::LABELS.join("、"), Comparison::parse)
                }
                None => {
                    self.err_at(
                        BundleErrorKind::MissingValue,
                        ind.span(),
                        &field,
                        "缺少比较方式（comparison：≤、≥、>、<、=）",
                    );
                    None
                }
            };
            let attribute = self.enum_value(
                &r.attribute,
                &field,
                &IndicatorAttribute::LABELS.join("、"),
                IndicatorAttribute::parse,
            );
            let metric = match &r.metric {
                None => Some(Metric::Manual),
                Some(m) => match m.get_ref() {
                    RawMetric::Extraction { extraction_total } => {
                        if minerals.get(extraction_total).is_none() {
                            self.err_at(
                                BundleErrorKind::BadValue,
                                m.span(),
                                &field,
                                format!("未知矿种“{extraction_total}”"),
                            );
                        }
                        Some(Metric::ExtractionTotal(extraction_total.clone()))
                    }
                    RawMetric::Simple(s) => {
                        let parsed = match s.as_str() {
                            "output_value" => Some(Metric::OutputValue),
                            "mine_count" => Some(Metric::MineCount),
                            "mine_count_this_level" => Some(Metric::MineCountThisLevel),
                            "large_medium_ratio" => Some(Metric::LargeMediumRatio),
                            "new_deposits" => Some(Metric::NewDeposits),
                            "water_reuse_rate" => Some(Metric::WaterReuseRate),
                            "manual" => Some(Metric::Manual),
                            _ => None,
                        };
                        if parsed.is_none() {
                            self.err_at(
                                BundleErrorKind::BadValue,
                                m.span(),
                                &field,
                                format!("未知统计口径“{s}”（output_value、mine_count、mine_count_this_level、large_medium_ratio、new_deposits、water_reuse_rate、manual 或 {{ extraction_total = \"矿种\" }}）"),
                            );
                        }
                        parsed
                    }
                },
            };
            if let (
                Some(unit),
                Some(target),
                Some(cite),
                Some(comparison),
                Some(attribute),
                Some(metric),
            ) = (unit, target, cite, comparison, attribute, metric)
            {
                out.push(Indicator {
                    key: r.key.get_ref().clone(),
                    name: r.name.get_ref().clone(),
                    table: r.table.get_ref().clone(),
                    category: r.category.as_ref().map(|c| c.get_ref().clone()),
                    unit,
                    target,
                    comparison,
                    attribute,
                    metric,
                    cite,
                    note: r.note.as_ref().map(|n| n.get_ref().clone()),
                });
            }
        }
        out
    }
}
