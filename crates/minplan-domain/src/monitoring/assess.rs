//! A year's indicator report: each indicator's value, series, status and projection.

use super::measure::YearMeasures;
use super::specs::IndicatorSpec;
use super::status::{projection, status};
use super::{MonitoringConfig, Status, r6};
use crate::date::Date;
use crate::plan::{Comparison, IndicatorAttribute, Plan};
use crate::units::Unit;
use serde::Serialize;

/// A value in a year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearValue {
    /// Year.
    pub year: i32,
    /// Value.
    pub value: Option<f64>,
}

/// One indicator in one year, assessed.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorValue {
    /// Key.
    pub key: String,
    /// Name.
    pub name: String,
    /// Name with category.
    pub label: String,
    /// 规划目标 group.
    pub group: String,
    /// Unit.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub unit: Unit,
    /// Target.
    pub target: f64,
    /// Comparison symbol.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub comparison: Comparison,
    /// Target as printed (`≤3`).
    pub target_label: String,
    /// 预期性 / 约束性.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub attribute: IndicatorAttribute,
    /// Citation label (`专栏2`).
    pub cite: String,
    /// The value in the year.
    pub value: Option<f64>,
    /// Σ registered capacity (开采总量 only).
    pub licensed_total: Option<f64>,
    /// Value ÷ target × 100 (完成率 / 占上限比例).
    pub percent_of_target: Option<f64>,
    /// Status.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub status: Status,
    /// Its label.
    pub status_label: String,
    /// Projection to the plan's last year (预期性, before that year).
    pub projection: Option<f64>,
    /// How it was computed.
    pub note: String,
    /// Values of every computed year up to this one.
    pub series: Vec<YearValue>,
}

/// The indicators of one year.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IndicatorReport {
    /// Plan name.
    pub plan: String,
    /// Year.
    pub year: i32,
    /// The register is read as on this date (31 December of the year).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub as_of: Date,
    /// The plan's last year (target year).
    pub target_year: i32,
    /// Warning threshold used.
    pub warn_ratio: f64,
    /// The production-scale table used.
    pub scale_table: String,
    /// Mines that had to report for the year.
    pub reports_required: usize,
    /// Reports filed.
    pub reports_filed: usize,
    /// Indicators.
    pub indicators: Vec<IndicatorValue>,
}

impl IndicatorReport {
    /// The indicator with `key`.
    pub fn get(&self, key: &str) -> Option<&IndicatorValue> {
        self.indicators.iter().find(|i| i.key == key)
    }
}

/// Assesses the indicators of `year` from the measures of the years (ascending, `year`
/// among them).
///
/// # Panics
/// When `years` holds no measures for `year` (a caller error).
pub fn assess(
    plan: &Plan,
    specs: &[IndicatorSpec],
    years: &[YearMeasures],
    year: i32,
    config: &MonitoringConfig,
    scale_table: &str,
) -> IndicatorReport {
    let this = years
        .iter()
        .find(|y| y.year == year)
        .expect("measures of the year");
    let start = plan.identity.period_start;
    let end = plan.identity.period_end;
    let indicators = specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let m = &this.values[i];
            let series: Vec<YearValue> = years
                .iter()
                .filter(|y| y.year <= year)
                .map(|y| YearValue {
                    year: y.year,
                    value: y.values[i].value,
                })
                .collect();
            let projected = (s.attribute == IndicatorAttribute::Expected && year < end)
                .then(|| {
                    let pts: Vec<(i32, f64)> = series
                        .iter()
                        .filter(|v| v.year >= start)
                        .filter_map(|v| v.value.map(|x| (v.year, x)))
                        .collect();
                    projection(&pts, end)
                })
                .flatten()
                .map(|p| {
                    let p = p.max(0.0);
                    r6(if s.unit == Unit::Percent {
                        p.min(100.0)
                    } else {
                        p
                    })
                });
            let st = if m.unsure {
                Status::ManualCheck
            } else {
                status(s, m.value, year, end, projected, config)
            };
            IndicatorValue {
                key: s.key.clone(),
                name: s.name.clone(),
                label: s.label.clone(),
                group: s.group.clone(),
                unit: s.unit,
                target: s.target,
                comparison: s.comparison,
                target_label: s.target_label(),
                attribute: s.attribute,
                cite: s.cite.to_string(),
                value: m.value,
                licensed_total: m.licensed_total,
                percent_of_target: m
                    .value
                    .filter(|_| s.target != 0.0)
                    .map(|v| r6(v / s.target * 100.0)),
                status: st,
                status_label: st.label(s.comparison).into(),
                projection: projected,
                note: m.note.clone(),
                series,
            }
        })
        .collect();
    IndicatorReport {
        plan: plan.identity.name.value.clone(),
        year,
        as_of: Date::end_of_year(year),
        target_year: end,
        warn_ratio: config.warn_ratio,
        scale_table: scale_table.to_string(),
        reports_required: this.reports_required,
        reports_filed: this.reports_filed,
        indicators,
    }
}
