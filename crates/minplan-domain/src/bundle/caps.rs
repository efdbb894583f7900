//! `[[caps]]` and `[[sub_units]]`: the caps (控制指标) as the plan writes them — by mineral or
//! category, by kind of mine, per sub-unit, over a year or over the period, hard or soft — and
//! the sub-units (a city plan's counties) they may be scoped to. The v1 fields
//! `admission.extraction_caps`, `mine_cap_total` and `mine_cap_this_level` are restated as
//! caps here, so that R6 and R7 read one list (docs/plan-format.md “控制指标”).

use super::BundleErrorKind;
use super::context::{Ctx, Expect};
use super::geometry::{GeometryCheck, LayerGeometry};
use super::raw::*;
use crate::application::{MiningMethod, RightKind};
use crate::minerals::MineralCatalogue;
use crate::plan::*;
use crate::units::{Dimension, Unit};
use std::collections::HashSet;

/// Units a count cap may carry.
const COUNT_UNITS: [&str; 5] = ["个", "家", "处", "宗", "座"];

/// Whether `unit` is a rate per year (`万吨/年`, `万立方米/年` …).
pub(crate) fn is_per_year(unit: Unit) -> bool {
    matches!(
        unit.dimension(),
        Dimension::MassPerYear | Dimension::VolumePerYear
    )
}

/// Whether `unit` is an amount extracted (万吨, 万立方米 …), not a rate.
pub(crate) fn is_amount(unit: Unit) -> bool {
    matches!(unit.dimension(), Dimension::Mass | Dimension::Volume)
}

/// Whether `unit` counts mines, rights or enterprises (个, 家, 处, 宗, 座).
pub(crate) fn is_count(unit: Unit) -> bool {
    COUNT_UNITS.contains(&unit.symbol())
}

/// The message for an extraction figure whose period is not written.
fn period_message(value: f64, unit: Unit) -> String {
    format!(
        "开采量“{} {}”未写明期间：年开采量的单位应带“/年”（如 万吨/年）；若规划指规划期内的总量，请写 measure = \"规划期开采总量\"",
        crate::citation::format_number(value),
        unit.symbol()
    )
}

impl Ctx<'_> {
    /// `[[sub_units]]`: names unique; an outline file, when given, read like the other layers
    /// and checked to lie inside the plan unit.
    pub(super) fn sub_units(
        &mut self,
        raw: &[S<RawSubUnit>],
        geo: Option<&GeometryCheck>,
    ) -> Vec<SubUnit> {
        let mut out = Vec::new();
        let mut names = HashSet::new();
        for (i, u) in raw.iter().enumerate() {
            let r = u.get_ref();
            let field = format!("sub_units[{i}]（{}）", r.name.get_ref());
            if !names.insert(r.name.get_ref().clone()) {
                self.err_at(
                    BundleErrorKind::Duplicate,
                    r.name.span(),
                    &field,
                    format!("下级单元“{}”重复", r.name.get_ref()),
                );
            }
            let mut outline = Vec::new();
            if let (Some(file), Some(geo)) = (&r.file, geo) {
                let path = file.get_ref().clone();
                if let Some(text) = self.read_text_file(file, &field).map(|s| s.to_string()) {
                    match LayerGeometry::parse(&path, &text, None, geo.zone, None) {
                        Ok(layer) => {
                            for f in layer.features {
                                self.errors.extend(geo.check_inside(&path, &f));
                                outline.extend(f.polygons);
                            }
                        }
                        Err(errs) => self.errors.extend(errs),
                    }
                }
            }
            out.push(SubUnit {
                name: r.name.get_ref().clone(),
                adcode: r.adcode.as_ref().map(|a| a.get_ref().clone()),
                outline,
            });
        }
        out
    }

    /// `[[caps]]`, each checked: a known measure; a unit that fits it (counts: 个/家/处/宗/座;
    /// 年开采量: a unit per year; 规划期开采总量: a quantity without `/年`); a known mineral or
    /// category; known filter words; a scope among `[[sub_units]]`; a comparison `≤`, `<` or a
    /// soft word (`左右`, `约`, `原则上`); a citation; keys unique.
    pub(super) fn caps(
        &mut self,
        raw: &[S<RawCap>],
        minerals: &MineralCatalogue,
        sub_units: &[SubUnit],
    ) -> Vec<Cap> {
        let mut out = Vec::new();
        let mut keys = HashSet::new();
        for (i, c) in raw.iter().enumerate() {
            let r = c.get_ref();
            let label = r
                .label
                .as_ref()
                .map(|l| l.get_ref().clone())
                .unwrap_or_else(|| r.key.get_ref().clone());
            let field = format!("caps[{i}]（{label}）");
            if !keys.insert(r.key.get_ref().clone()) {
                self.err_at(
                    BundleErrorKind::Duplicate,
                    r.key.span(),
                    &field,
                    format!("键“{}”重复", r.key.get_ref()),
                );
            }
            let measure_word = r.measure.get_ref().trim();
            let measure = if matches!(measure_word, "开采量" | "开采总量" | "开采指标") {
                self.err_at(
                    BundleErrorKind::BadValue,
                    r.measure.span(),
                    &field,
                    format!(
                        "“{measure_word}”未写明期间：请写“年开采量”（单位带“/年”）或“规划期开采总量”"
                    ),
                );
                None
            } else {
                self.enum_value(
                    &r.measure,
                    &field,
                    &CapMeasure::LABELS.join("、"),
                    CapMeasure::parse,
                )
            };
            let subject = match (&r.mineral, &r.category) {
                (Some(m), None) => {
                    self.check_mineral(minerals, m, &field);
                    Some(CapSubject::Mineral(m.get_ref().clone()))
                }
                (None, Some(cat)) => {
                    let name = cat.get_ref().trim().to_string();
                    let known = matches!(
                        name.trim_end_matches('类'),
                        "砂石土" | "砂石黏土" | "砂石粘土"
                    ) || minerals.get(name.trim_end_matches('类')).is_some()
                        || minerals
                            .all()
                            .iter()
                            .any(|m| m.group.as_deref() == Some(name.trim_end_matches('类')));
                    if !known {
                        self.err_at(
                            BundleErrorKind::BadValue,
                            cat.span(),
                            &field,
                            format!(
                                "未知矿种类别“{name}”：应为“砂石土”或矿种目录中的矿种组（如“建筑用石”）；请在 [[minerals]] 中以 group 登记其矿种"
                            ),
                        );
                        None
                    } else {
                        Some(CapSubject::Category(name))
                    }
                }
                (None, None) => Some(CapSubject::All),
                (Some(m), Some(_)) => {
                    self.err_at(
                        BundleErrorKind::BadValue,
                        m.span(),
                        &field,
                        "mineral 与 category 只能写一个",
                    );
                    None
                }
            };
            let method = r.method.as_ref().map(|m| {
                self.enum_value(
                    m,
                    &field,
                    &MiningMethod::LABELS.join("、"),
                    MiningMethod::parse,
                )
            });
            let approval = r.approval.as_ref().map(|a| self.approval(a, &field));
            let right_kind = r.right_kind.as_ref().map(|k| {
                self.enum_value(k, &field, &RightKind::LABELS.join("、"), RightKind::parse)
            });
            let new_only = match r.applies_to.as_ref().map(|a| (a, a.get_ref().trim())) {
                None => Some(false),
                Some((_, "全部" | "全部矿山")) => Some(false),
                Some((_, "新建" | "新建矿山" | "新设" | "新立")) => Some(true),
                Some((a, other)) => {
                    self.err_at(
                        BundleErrorKind::BadValue,
                        a.span(),
                        &field,
                        format!("“{other}”不是允许的取值（全部、新建）"),
                    );
                    None
                }
            };
            let scope = match &r.scope {
                None => Some(None),
                Some(s) if sub_units.iter().any(|u| &u.name == s.get_ref()) => {
                    Some(Some(s.get_ref().clone()))
                }
                Some(s) => {
                    self.err_at(
                        BundleErrorKind::BadValue,
                        s.span(),
                        &field,
                        format!(
                            "范围“{}”不是 [[sub_units]] 中登记的下级单元{}",
                            s.get_ref(),
                            if sub_units.is_empty() {
                                "（数据包未登记下级单元）".to_string()
                            } else {
                                format!(
                                    "（{}）",
                                    sub_units
                                        .iter()
                                        .map(|u| u.name.as_str())
                                        .collect::<Vec<_>>()
                                        .join("、")
                                )
                            }
                        ),
                    );
                    None
                }
            };
            let value = self.value(
                &r.value,
                c.span(),
                &field,
                BundleErrorKind::MissingValue,
                "数值（value）",
            );
            let unit = self.unit(&r.unit, c.span(), &field);
            let (comparison, soft) = match &r.comparison {
                None => (Some(Comparison::Le), None),
                Some(w) => {
                    let word = w.get_ref().trim();
                    let soft = ["左右", "原则上", "大约", "力争", "约"]
                        .iter()
                        .find(|s| word.contains(*s))
                        .map(|s| s.to_string());
                    let core: String = word
                        .replace("原则上", "")
                        .replace("左右", "")
                        .replace("大约", "")
                        .replace('约', "")
                        .replace("力争", "")
                        .trim()
                        .to_string();
                    let cmp = if core.is_empty() || matches!(core.as_str(), "不超过" | "以内")
                    {
                        Some(Comparison::Le)
                    } else {
                        match Comparison::parse(&core) {
                            Some(c @ (Comparison::Le | Comparison::Lt)) => Some(c),
                            _ => {
                                self.err_at(
                                    BundleErrorKind::BadValue,
                                    w.span(),
                                    &field,
                                    format!(
                                        "上限的比较应为 ≤、<，或软性用语“左右”“原则上”，实际为“{word}”"
                                    ),
                                );
                                None
                            }
                        }
                    };
                    (cmp, soft)
                }
            };
            if let (Some(m), Some(u), Some(v)) = (measure, unit, value) {
                let ok = match m {
                    CapMeasure::ExtractionPerYear => is_per_year(u),
                    CapMeasure::ExtractionOverPeriod => is_amount(u),
                    _ => is_count(u),
                };
                if !ok {
                    let msg = match m {
                        CapMeasure::ExtractionPerYear => period_message(v, u),
                        CapMeasure::ExtractionOverPeriod => format!(
                            "规划期开采总量的单位应为数量（如 万吨、万立方米），不带“/年”，实际为“{}”",
                            u.symbol()
                        ),
                        _ => format!(
                            "{}的单位应为 {}，实际为“{}”",
                            m.label(),
                            COUNT_UNITS.join("、"),
                            u.symbol()
                        ),
                    };
                    let sp = r.unit.as_ref().map_or(c.span(), |u| u.span());
                    self.err_at(BundleErrorKind::UnknownUnit, sp, &field, msg);
                }
            }
            let cite = self.cite(
                &r.cite,
                c.span(),
                &field,
                value.map_or(Expect::Nothing, Expect::Number),
            );
            let (
                Some(measure),
                Some(subject),
                Some(value),
                Some(unit),
                Some(comparison),
                Some(cite),
                Some(new_only),
                Some(scope),
            ) = (
                measure, subject, value, unit, comparison, cite, new_only, scope,
            )
            else {
                continue;
            };
            let (Some(method), Some(approval), Some(right_kind)) = (
                method.map_or(Some(None), |m| m.map(Some)),
                approval.map_or(Some(None), |a| a.map(Some)),
                right_kind.map_or(Some(None), |k| k.map(Some)),
            ) else {
                continue;
            };
            out.push(Cap {
                key: r.key.get_ref().clone(),
                label,
                measure,
                subject,
                filter: CapFilter {
                    method,
                    approval,
                    right_kind,
                    new_only,
                },
                scope,
                value,
                unit,
                comparison,
                soft: soft.is_some(),
                soft_word: soft,
                wording: r.wording.as_ref().map(|w| w.get_ref().clone()),
                cite,
                note: r.note.as_ref().map(|n| n.get_ref().clone()),
            });
        }
        out
    }

    /// The v1 admission fields restated as caps (so that R6/R7 read one list); an extraction
    /// cap whose unit has no `/年` is an error asking the author to declare its period.
    pub(super) fn admission_caps(&mut self, adm: &S<RawAdmission>, a: &Admission) -> Vec<Cap> {
        let mut out = Vec::new();
        for (i, l) in a.extraction_caps.iter().enumerate() {
            if !is_per_year(l.unit) {
                let sp = adm.get_ref().extraction_caps[i]
                    .get_ref()
                    .unit
                    .as_ref()
                    .map_or(adm.get_ref().extraction_caps[i].span(), |u| u.span());
                self.err_at(
                    BundleErrorKind::UnknownUnit,
                    sp,
                    &format!("admission.extraction_caps[{i}]（{}）", l.mineral),
                    format!("{}；或改写为 [[caps]]", period_message(l.value, l.unit)),
                );
                continue;
            }
            out.push(restated(
                format!("extraction_{}", l.mineral),
                l.mineral.clone(),
                CapMeasure::ExtractionPerYear,
                CapSubject::Mineral(l.mineral.clone()),
                CapFilter::default(),
                (l.value, l.unit),
                &l.cite,
            ));
        }
        if let Some(c) = &a.mine_cap_total {
            out.push(restated(
                "mine_cap_total".into(),
                "矿山企业数量".into(),
                CapMeasure::Enterprises,
                CapSubject::All,
                CapFilter::default(),
                (f64::from(c.value), Unit::Jia),
                &c.cite,
            ));
        }
        if let Some(c) = &a.mine_cap_this_level {
            out.push(restated(
                "mine_cap_this_level".into(),
                "本级审批发证的矿山数量".into(),
                CapMeasure::Mines,
                CapSubject::All,
                CapFilter {
                    approval: Some(ApprovalLevel::ThisLevel),
                    ..CapFilter::default()
                },
                (f64::from(c.value), Unit::Jia),
                &c.cite,
            ));
        }
        out
    }
}

/// A v1 admission field restated as a hard `≤` cap over the whole plan unit.
fn restated(
    key: String,
    label: String,
    measure: CapMeasure,
    subject: CapSubject,
    filter: CapFilter,
    (value, unit): (f64, Unit),
    cite: &crate::citation::Citation,
) -> Cap {
    Cap {
        key,
        label,
        measure,
        subject,
        filter,
        scope: None,
        value,
        unit,
        comparison: Comparison::Le,
        soft: false,
        soft_word: None,
        wording: None,
        cite: cite.clone(),
        note: None,
    }
}
