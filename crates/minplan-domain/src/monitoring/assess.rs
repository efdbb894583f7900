//! A year's indicator report: each indicator's value, series, status and projection.

use super::manual::ManualEntry;
use super::measure::{Coverage, Measure, Source, YearMeasures};
use super::period::YearStanding;
use super::specs::IndicatorSpec;
use super::status::{projection, status};
use super::{MonitoringConfig, Status, r6};
use crate::date::Date;
use crate::plan::{Comparison, IndicatorAttribute, Plan};
use crate::units::Unit;
use serde::Serialize;

/// A value in a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct YearValue {
    /// Year.
    pub year: i32,
    /// Value; `None` when there is none (a chart draws a marked gap, never a zero bar).
    pub value: Option<f64>,
    /// What a chart or table writes for the year beside or instead of the value: `未报送`,
    /// `未填报`, `无数据` for a gap; `1 / 3 已报送` for a value from part of the reports;
    /// `年度未结束` for a year not over. `None` for a complete value.
    pub mark: Option<String>,
    /// The value sums the reports of only part of the mines that owed one.
    pub partial: bool,
}

impl YearValue {
    fn of(year: i32, m: &Measure, standing: YearStanding) -> YearValue {
        if standing.not_started {
            return YearValue {
                year,
                value: None,
                mark: Some("年度未开始".into()),
                partial: false,
            };
        }
        let unfinished = standing.unfinished;
        let coverage = m.coverage.filter(|c| c.required > 0);
        let partial = m.value.is_some() && coverage.is_some_and(|c| !c.complete());
        let mark = if m.value.is_none() {
            Some(
                match (m.source, coverage) {
                    (Some(Source::Reports), Some(c)) if c.none_filed() => "未报送",
                    (None, _) => "未填报",
                    _ => "无数据",
                }
                .to_string(),
            )
        } else if let Some(c) = coverage.filter(|_| partial) {
            Some(format!("{} / {} 已报送", c.filed, c.required))
        } else if unfinished {
            Some("年度未结束".into())
        } else {
            None
        };
        YearValue {
            year,
            value: m.value,
            mark,
            partial,
        }
    }
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
    /// Where the value comes from: 登记簿, 年度报告, 人工填报; empty when nothing gives it.
    pub source: String,
    /// For a value from the annual reports: how many of the mines that owed one filed it.
    pub coverage: Option<Coverage>,
    /// `n / m 座矿山已报送` for a value from the annual reports (empty otherwise).
    pub coverage_label: String,
    /// For a manual indicator: the entry and its evidence (`None` and status 未填报 when
    /// nothing was entered).
    pub manual: Option<ManualEntry>,
    /// Whether the indicator is entered by hand (人工填报) rather than computed.
    pub manual_indicator: bool,
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
    /// The register is read as on this date: 31 December of the year, or `today` for a year
    /// not over or not begun (never a future date).
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
    /// The date the year's standing was judged on (`today` of [`assess_on`]).
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub today: Date,
    /// Whether the year is outside the plan period or not over on `today`.
    pub standing: YearStanding,
    /// Why the year is not scored (empty when it is): 规划期外，不评价 / 年度未结束.
    pub standing_note: String,
    /// Indicators.
    pub indicators: Vec<IndicatorValue>,
}

impl IndicatorReport {
    /// The indicator with `key`.
    pub fn get(&self, key: &str) -> Option<&IndicatorValue> {
        self.indicators.iter().find(|i| i.key == key)
    }
}

/// Assesses the indicators of `year` as a finished year (as on 1 January of the year after);
/// see [`assess_on`].
///
/// # Panics
/// As [`assess_on`].
pub fn assess(
    plan: &Plan,
    specs: &[IndicatorSpec],
    years: &[YearMeasures],
    year: i32,
    config: &MonitoringConfig,
    scale_table: &str,
) -> IndicatorReport {
    assess_on(
        plan,
        specs,
        years,
        year,
        config,
        scale_table,
        Date::start_of_year(year + 1),
    )
}

/// The status of a measured value, the reasons not to score it first: 未填报, 未报送
/// (before anything else: there is no value), then 规划期外，不评价, 年度未结束, 部分未报送,
/// 需人工核查, and only then the value against its target.
fn status_of(m: &Measure, standing: YearStanding, scored: impl FnOnce() -> Status) -> Status {
    if standing.not_started {
        // Nothing is owed for a year not begun: never 未报送 or a count of missing reports.
        return Status::NotStarted;
    }
    if m.value.is_none() {
        return match (m.source, m.coverage) {
            (None, _) => Status::NotEntered,
            (Some(Source::Reports), Some(c)) if c.none_filed() => Status::NotReported,
            _ if standing.out_of_period => Status::OutOfPeriod,
            _ if m.unsure => Status::ManualCheck,
            _ => Status::NoData,
        };
    }
    if standing.out_of_period {
        Status::OutOfPeriod
    } else if standing.unfinished {
        Status::Unfinished
    } else if m.coverage.is_some_and(|c| !c.complete()) {
        Status::PartlyReported
    } else if m.unsure {
        Status::ManualCheck
    } else {
        scored()
    }
}

/// Assesses the indicators of `year` from the measures of the years (ascending, `year`
/// among them), on `today`: a year outside the plan period is not scored against its targets
/// (规划期外，不评价), a year not over on `today` is 年度未结束, a value from part of the
/// annual reports is 部分未报送, none 未报送, a manual indicator without entry 未填报.
///
/// # Panics
/// When `years` holds no measures for `year` (a caller error).
pub fn assess_on(
    plan: &Plan,
    specs: &[IndicatorSpec],
    years: &[YearMeasures],
    year: i32,
    config: &MonitoringConfig,
    scale_table: &str,
    today: Date,
) -> IndicatorReport {
    let this = years
        .iter()
        .find(|y| y.year == year)
        .expect("measures of the year");
    let start = plan.identity.period_start;
    let end = plan.identity.period_end;
    let standing = YearStanding::of(start, end, year, today);
    let indicators = specs
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let m = &this.values[i];
            let series: Vec<YearValue> = years
                .iter()
                .filter(|y| y.year <= year)
                .map(|y| {
                    YearValue::of(
                        y.year,
                        &y.values[i],
                        YearStanding::of(start, end, y.year, today),
                    )
                })
                .collect();
            let projected =
                (s.attribute == IndicatorAttribute::Expected && year < end && standing.scored())
                    .then(|| {
                        let pts: Vec<(i32, f64)> = series
                            .iter()
                            .filter(|v| v.year >= start)
                            .filter(|v| !v.partial && v.mark.as_deref() != Some("年度未结束"))
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
            let st = status_of(m, standing, || {
                status(s, m.value, year, end, projected, config)
            });
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
                // No 完成率 for a year outside the plan period or not begun: it is not scored.
                percent_of_target: m
                    .value
                    .filter(|_| s.target != 0.0 && !standing.out_of_period && !standing.not_started)
                    .map(|v| r6(v / s.target * 100.0)),
                status: st,
                status_label: st.label(s.comparison).into(),
                projection: projected,
                note: if standing.not_started && m.source == Some(Source::Reports) {
                    format!("{year}年度尚未开始，尚无须报送的年度报告（年度未开始）")
                } else {
                    m.note.clone()
                },
                source: m.source.map_or(String::new(), |x| x.label().to_string()),
                coverage: m
                    .coverage
                    .filter(|c| c.required > 0 && !standing.not_started),
                coverage_label: m
                    .coverage
                    .filter(|c| c.required > 0 && !standing.not_started)
                    .map_or(String::new(), |c| c.label()),
                manual: m.manual.clone(),
                manual_indicator: super::manual::is_manual(&s.metric),
                series,
            }
        })
        .collect();
    IndicatorReport {
        plan: plan.identity.name.value.clone(),
        year,
        // Never a future date: a year not over (or not begun) is read as on `today`.
        as_of: if standing.unfinished {
            today
        } else {
            Date::end_of_year(year)
        },
        target_year: end,
        warn_ratio: config.warn_ratio,
        scale_table: scale_table.to_string(),
        reports_required: this.reports_required,
        reports_filed: this.reports_filed,
        today,
        standing,
        standing_note: standing.note(start, end, year, today),
        indicators,
    }
}
