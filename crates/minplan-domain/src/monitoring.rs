//! Plan monitoring (规划实施监测): the indicators of 专栏2 computed for any year from the
//! register and the annual reports, their status and projection; the implementation
//! evaluation (规划实施评估, 《规划》七（三）) in the layout of 专栏1; the draft annual plan
//! (规划实施年度计划, 七（二）); and the reminders of the 工作台.
//!
//! Rules (also in `docs/indicators.md`):
//!
//! * **Which rights count in a year**: those whose licence is in force on 31 December of it
//!   (年末在册; [`crate::register::RightHistory::state_on`]). The counts use the same
//!   [`RegisterStats`] as the review's R6/R7 and what-if, so the review and the indicators
//!   agree for the same register.
//! * **矿业总产值** (万元): Σ output value of the annual reports of the year.
//! * **矿山企业数量** (个): distinct holders (统一社会信用代码) of mining rights in force;
//!   **本级审批发证矿山数量**: those approved at this level (《规划》五（一）).
//! * **大中型矿山比例** (%): mines whose registered capacity is 大型 or 中型 by the production
//!   scale table (国土资发〔2004〕208号, editable; the table used is recorded) ÷ mines whose
//!   class is known × 100.
//! * **开采总量** of a mineral (万立方米/年 …): Σ extraction in the annual reports of the year
//!   of that mineral and its kinds (建筑用凝灰岩 counts as 建筑用石); the registered capacities
//!   (核定生产规模合计, what R7 checks) are given beside it.
//! * **Status**: for a cap (≤, <): 超出上限 when the value breaks it, 预警 from
//!   [`MonitoringConfig::warn_ratio`] (default 90 %) of it, else 正常. For a floor (≥, >, =):
//!   正常 when it holds; before the plan's last year 正常 also when the projection holds and
//!   预警 otherwise; in or after the last year 未达标. No value: 无数据.
//! * **Projection** (预期性 targets only, before the last year): the least-squares line
//!   through the values of the plan years up to the year, evaluated at the last year; one
//!   value projects as itself; never below 0, percentages never above 100.

use crate::citation::{Citation, format_number};
use crate::date::Date;
use crate::plan::{
    BlockKind, Comparison, IndicatorAttribute, LonLatPolygon, Metric, Plan, PlanningBlock,
};
use crate::register::annual_report::{AnnualReport, due_date};
use crate::register::{RightHistory, Standing};
use crate::review::config::ScaleTable;
use crate::review::indicators::RegisterStats;
use crate::rights::{MiningRight, RightStatus};
use crate::units::Unit;
use serde::Serialize;
use std::collections::BTreeMap;

/// Monitoring parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MonitoringConfig {
    /// A cap is 预警 from this share of it (default 0.9 = 90 %).
    pub warn_ratio: f64,
}

impl Default for MonitoringConfig {
    fn default() -> Self {
        MonitoringConfig { warn_ratio: 0.9 }
    }
}

/// Status of an indicator in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 正常.
    OnTrack,
    /// 预警.
    Warning,
    /// 超出上限 (cap) / 未达标 (floor).
    Breached,
    /// 无数据.
    NoData,
}

impl Status {
    /// Chinese label; a breached cap is 超出上限, a breached floor 未达标.
    pub fn label(&self, c: Comparison) -> &'static str {
        match self {
            Status::OnTrack => "正常",
            Status::Warning => "预警",
            Status::Breached if is_cap(c) => "超出上限",
            Status::Breached => "未达标",
            Status::NoData => "无数据",
        }
    }
}

fn is_cap(c: Comparison) -> bool {
    matches!(c, Comparison::Le | Comparison::Lt)
}

/// What is monitored: a plan indicator, or a cap of 《规划》五（一） that 专栏2 does not list
/// (本级审批发证矿山数量).
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorSpec {
    /// Key (`output_value`, …; `mine_count_this_level` for the derived row).
    pub key: String,
    /// Name as in the plan.
    pub name: String,
    /// Name with its category, e.g. `主要矿产开采总量：建筑用石`.
    pub label: String,
    /// 规划目标 column of the evaluation: the goal of 《规划》三 it serves.
    pub group: String,
    /// Unit.
    pub unit: Unit,
    /// Target.
    pub target: f64,
    /// Comparison.
    pub comparison: Comparison,
    /// 预期性 / 约束性.
    pub attribute: IndicatorAttribute,
    /// What it measures.
    pub metric: Metric,
    /// Where the plan sets it.
    pub cite: Citation,
    /// Table (`专栏2`, `规划目标`, or `五（一）` for the derived row).
    pub table: String,
}

impl IndicatorSpec {
    /// The target as printed: `≤3`, `>33`.
    pub fn target_label(&self) -> String {
        format!("{}{}", self.comparison.symbol(), format_number(self.target))
    }
}

fn group_of(metric: &Metric, fallback: &str) -> String {
    match metric {
        Metric::OutputValue => "矿业经济总量".into(),
        Metric::NewDeposits => "矿产资源勘查".into(),
        Metric::MineCount
        | Metric::MineCountThisLevel
        | Metric::LargeMediumRatio
        | Metric::ExtractionTotal(_) => "矿产资源合理开发利用与保护".into(),
        Metric::WaterReuseRate => "绿色矿业发展".into(),
        Metric::Manual => fallback.to_string(),
    }
}

/// The monitored indicators of a plan: its indicators in bundle order, with 本级审批发证矿山数量
/// (《规划》五（一）) after 矿山企业数量 when the plan caps it and has no indicator for it.
pub fn indicator_specs(plan: &Plan) -> Vec<IndicatorSpec> {
    let mut out = Vec::new();
    let has_this_level = plan
        .indicators
        .iter()
        .any(|i| i.metric == Metric::MineCountThisLevel);
    for i in &plan.indicators {
        out.push(IndicatorSpec {
            key: i.key.clone(),
            name: i.name.clone(),
            label: i
                .category
                .as_ref()
                .map_or(i.name.clone(), |c| format!("{c}：{}", i.name)),
            group: group_of(&i.metric, i.category.as_deref().unwrap_or(&i.table)),
            unit: i.unit,
            target: i.target,
            comparison: i.comparison,
            attribute: i.attribute,
            metric: i.metric.clone(),
            cite: i.cite.clone(),
            table: i.table.clone(),
        });
        if i.metric == Metric::MineCount
            && !has_this_level
            && let Some(cap) = &plan.admission.mine_cap_this_level
        {
            out.push(IndicatorSpec {
                key: "mine_count_this_level".into(),
                name: "本级审批发证矿山数量".into(),
                label: "本级审批发证矿山数量".into(),
                group: group_of(&Metric::MineCountThisLevel, ""),
                unit: Unit::Ge,
                target: f64::from(cap.value),
                comparison: Comparison::Le,
                attribute: i.attribute,
                metric: Metric::MineCountThisLevel,
                cite: cap.cite.clone(),
                table: cap.cite.to_string(),
            });
        }
    }
    out
}

/// One year's measured values (before status and projection).
#[derive(Debug, Clone, Serialize)]
pub struct YearMeasures {
    /// Year.
    pub year: i32,
    /// Mines that had to report for the year.
    pub reports_required: usize,
    /// Of them, reports filed.
    pub reports_filed: usize,
    /// Values aligned with the specs.
    pub values: Vec<Measure>,
}

/// A measured value.
#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    /// The value; `None` when it cannot be computed (no data, or not from the register).
    pub value: Option<f64>,
    /// For 开采总量: Σ registered capacity of the rights in force (what R7 checks).
    pub licensed_total: Option<f64>,
    /// How it was computed, and what it leaves out.
    pub note: String,
}

/// The note of a report-based figure in a year no mine had to report for.
const NO_REPORTS: &str = "该年没有须报送年度报告的矿山，也没有报送的报告：无数据";

/// Rounds to 6 decimals (sums of decimal figures print as written).
/// Never −0 (a projection or remainder clamped from a tiny negative would print as “-0”).
fn r6(v: f64) -> f64 {
    let r = (v * 1e6).round() / 1e6;
    if r == 0.0 { 0.0 } else { r }
}

/// Measures every spec for one year.
///
/// * `rights` — the register as on 31 December of the year (status as on that date);
/// * `reports` — the annual reports of the year;
/// * `required` — how many mines had to report for it.
pub fn measure_year(
    plan: &Plan,
    specs: &[IndicatorSpec],
    year: i32,
    rights: &[MiningRight],
    reports: &[&AnnualReport],
    required: usize,
    scales: &ScaleTable,
) -> YearMeasures {
    let stats = RegisterStats::compute(plan, rights, scales);
    let missing = required.saturating_sub(reports.len());
    // No mine had to report and none did: the report-based figures are unknown, not 0 (a
    // register not yet entered would otherwise read as 产值 0, 未达标).
    let no_reports = required == 0 && reports.is_empty();
    let missing_note = if missing > 0 {
        format!("；{missing} 座矿山未报送年度报告，未计入")
    } else {
        String::new()
    };
    let values = specs
        .iter()
        .map(|s| match &s.metric {
            Metric::OutputValue if no_reports => Measure {
                value: None,
                licensed_total: None,
                note: NO_REPORTS.into(),
            },
            Metric::OutputValue => Measure {
                value: Some(r6(reports.iter().map(|r| r.output_value_wan_yuan).sum())),
                licensed_total: None,
                note: format!("{} 份年度报告产值合计{missing_note}", reports.len()),
            },
            Metric::MineCount => Measure {
                value: Some(stats.holders.len() as f64),
                licensed_total: None,
                note: "年末有效采矿权的矿业权人（按统一社会信用代码）".into(),
            },
            Metric::MineCountThisLevel => Measure {
                value: Some(stats.this_level as f64),
                licensed_total: None,
                note: "年末有效、本级审批发证的采矿权".into(),
            },
            Metric::LargeMediumRatio => {
                let (big, known, unknown) = stats.scale_counts;
                let mut note = format!(
                    "大中型 {big} 座 ÷ 可分类矿山 {known} 座；规模分类依据{}",
                    scales.source
                );
                if unknown > 0 {
                    note.push_str(&format!("；{unknown} 座规模类别无法判定，未计入"));
                }
                Measure {
                    value: (known > 0).then(|| r6(big as f64 / known as f64 * 100.0)),
                    licensed_total: None,
                    note,
                }
            }
            Metric::ExtractionTotal(mineral) => {
                let mut sum = 0.0;
                let mut other_unit = 0;
                for r in reports
                    .iter()
                    .filter(|r| plan.minerals.is_kind_of(&r.mineral, mineral))
                {
                    if r.unit.per_year() == Some(s.unit) {
                        sum += r.extraction;
                    } else {
                        other_unit += 1;
                    }
                }
                let licensed = stats.total(mineral, s.unit).map(|t| r6(t.valid));
                let mut note = format!(
                    "年度报告开采量合计；年末核定生产规模合计 {} {}",
                    format_number(licensed.unwrap_or(0.0)),
                    s.unit
                );
                if other_unit > 0 {
                    note.push_str(&format!("；{other_unit} 份报告单位不同，未计入"));
                }
                note.push_str(&missing_note);
                if no_reports {
                    note = format!("{NO_REPORTS}；{note}");
                }
                Measure {
                    value: (!no_reports).then(|| r6(sum)),
                    licensed_total: Some(licensed.unwrap_or(0.0)),
                    note,
                }
            }
            Metric::NewDeposits | Metric::WaterReuseRate | Metric::Manual => Measure {
                value: None,
                licensed_total: None,
                note: "不由登记簿和年度报告计算（须人工填报）".into(),
            },
        })
        .collect();
    YearMeasures {
        year,
        reports_required: required,
        reports_filed: reports.len(),
        values,
    }
}

/// The least-squares line through `points` (year, value) evaluated at `at`; one point
/// projects as itself; `None` without points.
///
/// # Examples
/// ```
/// use minplan_domain::monitoring::projection;
/// // y = 100 x − 202 000: 2021 → 100, 2022 → 200; 2025 → 500.
/// assert_eq!(projection(&[(2021, 100.0), (2022, 200.0)], 2025), Some(500.0));
/// assert_eq!(projection(&[(2021, 7.0)], 2025), Some(7.0));
/// ```
pub fn projection(points: &[(i32, f64)], at: i32) -> Option<f64> {
    let n = points.len();
    if n == 0 {
        return None;
    }
    let xm = points.iter().map(|p| f64::from(p.0)).sum::<f64>() / n as f64;
    let ym = points.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let sxx: f64 = points.iter().map(|p| (f64::from(p.0) - xm).powi(2)).sum();
    if sxx == 0.0 {
        return Some(ym);
    }
    let sxy: f64 = points
        .iter()
        .map(|p| (f64::from(p.0) - xm) * (p.1 - ym))
        .sum();
    Some(ym + sxy / sxx * (f64::from(at) - xm))
}

/// The status of a value (see the [module documentation](self)).
pub fn status(
    spec: &IndicatorSpec,
    value: Option<f64>,
    year: i32,
    period_end: i32,
    projected: Option<f64>,
    config: &MonitoringConfig,
) -> Status {
    let Some(v) = value else {
        return Status::NoData;
    };
    let c = spec.comparison;
    let t = spec.target;
    if is_cap(c) {
        if !c.holds(v, t) {
            Status::Breached
        } else if t > 0.0 && v >= config.warn_ratio * t {
            Status::Warning
        } else {
            Status::OnTrack
        }
    } else if c.holds(v, t) {
        Status::OnTrack
    } else if year >= period_end {
        Status::Breached
    } else if projected.is_some_and(|p| c.holds(p, t)) {
        Status::OnTrack
    } else {
        Status::Warning
    }
}

/// A value in a year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct YearValue {
    /// Year.
    pub year: i32,
    /// Value.
    pub value: Option<f64>,
}

/// One indicator in one year, assessed.
#[derive(Debug, Clone, Serialize)]
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
    pub unit: Unit,
    /// Target.
    pub target: f64,
    /// Comparison symbol.
    pub comparison: Comparison,
    /// Target as printed (`≤3`).
    pub target_label: String,
    /// 预期性 / 约束性.
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
pub struct IndicatorReport {
    /// Plan name.
    pub plan: String,
    /// Year.
    pub year: i32,
    /// The register is read as on this date (31 December of the year).
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
            let st = status(s, m.value, year, end, projected, config);
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

/// A row of the implementation evaluation, in the layout of 专栏1: 序号, 规划目标, 规划指标,
/// 单位, 规划目标值, 实际完成, 完成率 (plus status and remarks kept beside the table).
#[derive(Debug, Clone, Serialize)]
pub struct EvaluationRow {
    /// 序号.
    pub seq: usize,
    /// 规划目标.
    pub group: String,
    /// 规划指标.
    pub indicator: String,
    /// 单位.
    pub unit: Unit,
    /// 规划目标值.
    pub target: f64,
    /// Comparison of the target.
    pub comparison: Comparison,
    /// Target as printed.
    pub target_label: String,
    /// 实际完成: the value in the last year evaluated.
    pub actual: Option<f64>,
    /// 完成率 = 实际完成 ÷ 规划目标值 × 100 (as 专栏1 computes it).
    pub completion_pct: Option<f64>,
    /// Status in the last year.
    pub status: Status,
    /// Its label.
    pub status_label: String,
    /// Projection (when the last year evaluated is before the plan's last year).
    pub projection: Option<f64>,
    /// Remarks.
    pub note: String,
    /// Citation.
    pub cite: String,
    /// Values of each year evaluated.
    pub series: Vec<YearValue>,
}

/// 规划实施评估 for a year or a span of years.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    /// Plan name.
    pub plan: String,
    /// First year evaluated.
    pub from: i32,
    /// Last year evaluated (实际完成 is its value).
    pub to: i32,
    /// The plan's target year.
    pub target_year: i32,
    /// Rows.
    pub rows: Vec<EvaluationRow>,
    /// Production-scale table used.
    pub scale_table: String,
    /// Warning threshold.
    pub warn_ratio: f64,
    /// Reports required and filed in the last year.
    pub reports: (usize, usize),
    /// Remarks (methods).
    pub notes: Vec<String>,
}

/// The evaluation from the indicators of its last year (whose series cover `from`..).
pub fn evaluation(report: &IndicatorReport, from: i32) -> Evaluation {
    let rows = report
        .indicators
        .iter()
        .enumerate()
        .map(|(i, v)| EvaluationRow {
            seq: i + 1,
            group: v.group.clone(),
            indicator: v.label.clone(),
            unit: v.unit,
            target: v.target,
            comparison: v.comparison,
            target_label: v.target_label.clone(),
            actual: v.value,
            completion_pct: v.percent_of_target,
            status: v.status,
            status_label: v.status_label.clone(),
            projection: v.projection,
            note: v.note.clone(),
            cite: v.cite.clone(),
            series: v
                .series
                .iter()
                .filter(|s| s.year >= from)
                .copied()
                .collect(),
        })
        .collect();
    Evaluation {
        plan: report.plan.clone(),
        from,
        to: report.year,
        target_year: report.target_year,
        rows,
        scale_table: report.scale_table.clone(),
        warn_ratio: report.warn_ratio,
        reports: (report.reports_required, report.reports_filed),
        notes: vec![
            format!(
                "实际完成为 {} 年的数值：矿山数量与比例按 {} 年 12 月 31 日在册的有效采矿权统计，产值与开采量按该年度矿山年度报告合计。",
                report.year, report.year
            ),
            "完成率 = 实际完成 ÷ 规划目标值 × 100%（与专栏1相同）；上限类指标（≤）的完成率即占上限的比例。".into(),
            format!(
                "状态：上限类指标达到上限的 {}% 为预警、超过为超出上限；下限类指标在规划末年（{}年）前按线性趋势预测，末年未达到为未达标。",
                format_number(report.warn_ratio * 100.0),
                report.target_year
            ),
            format!("大中型矿山比例的规模分类依据{}。", report.scale_table),
        ],
    }
}

/// The mines a year requires reports from: for each mine (id → its mining rights' histories),
/// whether one of its mining rights was in force on at least one day of the year.
pub fn mines_required(mines: &BTreeMap<i64, Vec<&RightHistory>>, year: i32) -> Vec<i64> {
    mines
        .iter()
        .filter(|(_, hs)| {
            hs.iter().any(|h| {
                h.current().kind == crate::application::RightKind::Mining
                    && h.valid_during(Date::start_of_year(year), Date::end_of_year(year))
            })
        })
        .map(|(id, _)| *id)
        .collect()
}

/// A cap and the room left under it.
#[derive(Debug, Clone, Serialize)]
pub struct CapRoom {
    /// Mineral.
    pub mineral: String,
    /// Unit.
    pub unit: Unit,
    /// 开采总量调控 cap.
    pub cap: f64,
    /// Σ registered capacity in force at the start of the year.
    pub licensed: f64,
    /// cap − licensed: capacity that may still be licensed (never below 0).
    pub licensable: f64,
    /// Extraction of the previous year (from its reports).
    pub last_year_extraction: f64,
    /// Where the cap is set.
    pub cite: String,
}

/// A planning block with no right in force and no application under review.
#[derive(Debug, Clone, Serialize)]
pub struct OpenBlock {
    /// 规划区块编号.
    pub number: String,
    /// Name.
    pub name: String,
    /// 勘查 / 开采.
    pub kind: String,
    /// Approval level.
    pub approval: String,
    /// Minerals.
    pub minerals: String,
    /// Area, km².
    pub area_km2: f64,
    /// 示意.
    pub schematic: bool,
}

/// A licence ending in the year.
#[derive(Debug, Clone, Serialize)]
pub struct ExpiringRight {
    /// 许可证号.
    pub id: String,
    /// Name.
    pub name: String,
    /// Holder.
    pub holder_name: String,
    /// 有效期止.
    pub valid_to: Date,
}

/// A restoration or closure task (矿山地质环境治理) due.
#[derive(Debug, Clone, Serialize)]
pub struct RestorationItem {
    /// What.
    pub subject: String,
    /// The task.
    pub task: String,
    /// Where the plan asks for it.
    pub cite: String,
}

/// 规划实施年度计划 (draft) for a year, 《规划》七（二）.
#[derive(Debug, Clone, Serialize)]
pub struct AnnualPlanDraft {
    /// Plan name.
    pub plan: String,
    /// The year planned.
    pub year: i32,
    /// The register is read as on this date (31 December of the previous year).
    pub basis_date: Date,
    /// Caps per mineral.
    pub caps: Vec<CapRoom>,
    /// 矿山企业数量 cap, current, may add.
    pub mines: (u32, usize, usize),
    /// 本级审批发证 cap, current, may add.
    pub mines_this_level: Option<(u32, usize, usize)>,
    /// Blocks still open.
    pub open_blocks: Vec<OpenBlock>,
    /// Licences ending during the year (延续 or 闭坑 to arrange).
    pub expiring: Vec<ExpiringRight>,
    /// Restoration and closure tasks.
    pub restoration: Vec<RestorationItem>,
    /// Remarks.
    pub notes: Vec<String>,
}

fn multipolygon(polys: &[LonLatPolygon]) -> geo::MultiPolygon<f64> {
    geo::MultiPolygon(
        polys
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| {
                let ring = |r: &Vec<[f64; 2]>| {
                    geo::LineString(r.iter().map(|c| geo::Coord { x: c[0], y: c[1] }).collect())
                };
                geo::Polygon::new(ring(&p[0]), p[1..].iter().map(ring).collect())
            })
            .collect(),
    )
}

/// Whether a right (its interior point) lies in a block.
fn occupies(right: &MiningRight, block: &PlanningBlock) -> bool {
    use geo::{Contains, InteriorPoint};
    let wanted = match block.kind {
        BlockKind::Mining => crate::application::RightKind::Mining,
        BlockKind::Exploration => crate::application::RightKind::Exploration,
    };
    right.kind == wanted
        && multipolygon(&right.geometry)
            .interior_point()
            .is_some_and(|pt| multipolygon(&block.geometry).contains(&pt))
}

/// Drafts the annual plan for `year`.
///
/// * `register` — rights as on 31 December of the previous year (status on that date) and
///   the applications under review (status 在审);
/// * `histories` — every right's history (for licences ending in the year and closures);
/// * `last_year_reports` — the reports of the previous year.
pub fn annual_plan(
    plan: &Plan,
    year: i32,
    register: &[MiningRight],
    histories: &[RightHistory],
    last_year_reports: &[&AnnualReport],
    scales: &ScaleTable,
) -> AnnualPlanDraft {
    let basis = Date::end_of_year(year - 1);
    let stats = RegisterStats::compute(plan, register, scales);
    let caps = plan
        .admission
        .extraction_caps
        .iter()
        .map(|c| {
            let licensed = r6(stats.total(&c.mineral, c.unit).map_or(0.0, |t| t.valid));
            let extraction = r6(last_year_reports
                .iter()
                .filter(|r| {
                    plan.minerals.is_kind_of(&r.mineral, &c.mineral)
                        && r.unit.per_year() == Some(c.unit)
                })
                .map(|r| r.extraction)
                .sum());
            CapRoom {
                mineral: c.mineral.clone(),
                unit: c.unit,
                cap: c.value,
                licensed,
                licensable: r6((c.value - licensed).max(0.0)),
                last_year_extraction: extraction,
                cite: c.cite.to_string(),
            }
        })
        .collect();
    let total_cap = plan.admission.mine_cap_total.value;
    let now = stats.holders.len();
    let mines = (total_cap, now, (total_cap as usize).saturating_sub(now));
    let mines_this_level = plan.admission.mine_cap_this_level.as_ref().map(|c| {
        (
            c.value,
            stats.this_level,
            (c.value as usize).saturating_sub(stats.this_level),
        )
    });
    let open_blocks = plan
        .blocks
        .iter()
        .filter(|b| {
            !register.iter().any(|r| {
                matches!(r.status, RightStatus::Valid | RightStatus::Pending) && occupies(r, b)
            })
        })
        .map(|b| OpenBlock {
            number: b.number.clone(),
            name: b.name.clone(),
            kind: b.kind.label().into(),
            approval: b.approval.label().into(),
            minerals: if b.minerals.is_empty() {
                "（规划未载明）".into()
            } else {
                b.minerals.join("、")
            },
            area_km2: b.area_km2,
            schematic: b.schematic,
        })
        .collect();
    let (from, to) = (Date::start_of_year(year), Date::end_of_year(year));
    let mut expiring = Vec::new();
    let mut restoration = Vec::new();
    for h in histories {
        let s = h.current();
        if let Some(st) = h.state_on(basis)
            && st.standing == Standing::Valid
            && let Some(vt) = st.valid_to
            && vt >= from
            && vt <= to
        {
            expiring.push(ExpiringRight {
                id: h.id.clone(),
                name: st.name.clone(),
                holder_name: st.holder_name.clone(),
                valid_to: vt,
            });
        }
        if s.kind != crate::application::RightKind::Mining {
            continue;
        }
        match (&s.closure_report, &s.closure, s.standing) {
            (Some(r), None, Standing::Valid) => restoration.push(RestorationItem {
                subject: format!("{}（{}）", s.name, h.id),
                task: format!("闭坑报告（{}，{}）待审查验收", r.title, r.date),
                cite: "六（二）3".into(),
            }),
            (_, Some(a), Standing::Closed) if a.date >= Date::start_of_year(year - 1) => {
                restoration.push(RestorationItem {
                    subject: format!("{}（{}）", s.name, h.id),
                    task: format!(
                        "已于 {} 闭坑（{}）：跟踪矿山地质环境治理恢复和土地复垦成效",
                        a.date, a.document
                    ),
                    cite: "六（二）3".into(),
                })
            }
            (_, None, Standing::Cancelled) => restoration.push(RestorationItem {
                subject: format!("{}（{}）", s.name, h.id),
                task: "已注销但无闭坑验收记录：核实矿山地质环境治理义务的履行".into(),
                cite: "六（二）3".into(),
            }),
            (None, None, Standing::Valid) if s.valid_to.is_some_and(|t| t < from) => restoration
                .push(RestorationItem {
                    subject: format!("{}（{}）", s.name, h.id),
                    task: format!(
                        "许可证已于 {} 到期，未延续也未闭坑：督促延续或编制闭坑报告",
                        s.valid_to.map(|t| t.to_string()).unwrap_or_default()
                    ),
                    cite: "六（二）3".into(),
                }),
            _ => {}
        }
    }
    if let Some(f) = plan.figure("legacy_mines") {
        restoration.push(RestorationItem {
            subject: format!("历史遗留矿山 {} {}", format_number(f.value), f.unit),
            task: "按“宜耕则耕、宜林则林”原则安排年度治理修复（逐矿台账由生态修复模块维护）".into(),
            cite: f.cite.to_string(),
        });
    }
    AnnualPlanDraft {
        plan: plan.identity.name.value.clone(),
        year,
        basis_date: basis,
        caps,
        mines,
        mines_this_level,
        open_blocks,
        expiring,
        restoration,
        notes: vec![
            format!(
                "依据 {basis} 在册的有效采矿权、在审申请及 {} 年度矿山年度报告编制；可新增生产规模 = 开采总量调控指标 − 核定生产规模合计。",
                year - 1
            ),
            "区块是否已设置矿业权按矿业权范围的内点是否落在区块内判断；区块图形为示意数据时须以正式图层复核。".into(),
        ],
    }
}

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    /// A licence ends within 90 days.
    LicenceExpiring,
    /// A licence ended and was neither extended, closed nor cancelled.
    LicenceExpired,
    /// An annual report is due (deadline not passed).
    ReportDue,
    /// An annual report is overdue (missing after the deadline).
    ReportOverdue,
    /// A closure report awaits acceptance.
    ClosurePending,
    /// A cap is at or above the warning share.
    CapNear,
    /// A cap is exceeded.
    CapExceeded,
}

/// One reminder of the 工作台 / `minplan reminders`.
#[derive(Debug, Clone, Serialize)]
pub struct Reminder {
    /// Kind.
    pub kind: ReminderKind,
    /// Chinese title of the kind.
    pub title: String,
    /// Urgent (red) or not.
    pub urgent: bool,
    /// What it concerns (licence, mine, mineral).
    pub subject: String,
    /// The message.
    pub message: String,
    /// The date it refers to (expiry, deadline).
    pub date: Option<Date>,
    /// Days until that date (negative: days past it).
    pub days: Option<i64>,
    /// The holder concerned, for a company's own view.
    pub credit_code: Option<String>,
    /// The licence concerned.
    pub right_id: Option<String>,
    /// The mine concerned.
    pub mine_id: Option<i64>,
}

/// Licences ending within this many days are reminded of.
pub const EXPIRY_WINDOW_DAYS: i64 = 90;

/// Everything the reminders read.
pub struct ReminderInput<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// Today.
    pub today: Date,
    /// Every right's history (events after today are ignored).
    pub histories: &'a [RightHistory],
    /// Mine names by id.
    pub mines: &'a BTreeMap<i64, String>,
    /// Annual reports (those filed after today are ignored).
    pub reports: &'a [AnnualReport],
    /// Scale table.
    pub scales: &'a ScaleTable,
    /// Thresholds.
    pub config: &'a MonitoringConfig,
}

fn kind_title(k: ReminderKind) -> &'static str {
    match k {
        ReminderKind::LicenceExpiring => "许可证即将到期",
        ReminderKind::LicenceExpired => "许可证已到期",
        ReminderKind::ReportDue => "年度报告待报送",
        ReminderKind::ReportOverdue => "年度报告逾期未报",
        ReminderKind::ClosurePending => "闭坑待验收",
        ReminderKind::CapNear => "接近规划上限",
        ReminderKind::CapExceeded => "超出规划上限",
    }
}

/// The reminders on `today`: licences ending within [`EXPIRY_WINDOW_DAYS`] or ended without
/// extension or closure; annual reports due (1 January – 31 March) or overdue, for every year
/// of the plan period before today's; closure reports awaiting acceptance; caps (registered
/// capacity, mine counts, the previous year's extraction) at or above the warning share.
/// Urgent ones first, then by date.
pub fn reminders(input: &ReminderInput<'_>) -> Vec<Reminder> {
    let today = input.today;
    let plan = input.plan;
    let mut out = Vec::new();
    let mut push = |kind: ReminderKind,
                    urgent: bool,
                    subject: String,
                    message: String,
                    date: Option<Date>,
                    credit_code: Option<String>,
                    right_id: Option<String>,
                    mine_id: Option<i64>| {
        out.push(Reminder {
            kind,
            title: kind_title(kind).into(),
            urgent,
            subject,
            message,
            date,
            days: date.map(|d| d.days_since(today)),
            credit_code,
            right_id,
            mine_id,
        })
    };
    let known: Vec<RightHistory> = input
        .histories
        .iter()
        .filter_map(|h| {
            let events: Vec<_> = h
                .events
                .iter()
                .filter(|e| e.date.is_none_or(|d| d <= today))
                .cloned()
                .collect();
            (!events.is_empty()).then(|| RightHistory {
                id: h.id.clone(),
                geometry: h.geometry.clone(),
                events,
            })
        })
        .collect();
    // Licences.
    for h in &known {
        let s = h.current();
        if s.standing != Standing::Valid {
            continue;
        }
        let Some(to) = s.valid_to else { continue };
        let days = to.days_since(today);
        let subject = format!("{}（{}）", s.name, h.id);
        if (0..=EXPIRY_WINDOW_DAYS).contains(&days) {
            push(
                ReminderKind::LicenceExpiring,
                days <= 30,
                subject,
                format!(
                    "{} {} 将于 {to} 到期（还有 {days} 天）；继续{}须在到期前申请延续",
                    s.kind.label(),
                    h.id,
                    if s.kind == crate::application::RightKind::Mining {
                        "开采"
                    } else {
                        "勘查"
                    }
                ),
                Some(to),
                s.credit_code.clone(),
                Some(h.id.clone()),
                s.mine_id,
            );
        } else if days < 0 {
            push(
                ReminderKind::LicenceExpired,
                true,
                subject,
                format!(
                    "{} {} 已于 {to} 到期（{} 天前），未延续、闭坑或注销",
                    s.kind.label(),
                    h.id,
                    -days
                ),
                Some(to),
                s.credit_code.clone(),
                Some(h.id.clone()),
                s.mine_id,
            );
        }
        if let (Some(r), None) = (&s.closure_report, &s.closure) {
            push(
                ReminderKind::ClosurePending,
                false,
                format!("{}（{}）", s.name, h.id),
                format!(
                    "闭坑报告“{}”（{}）待审查验收（《规划》六（二）3）",
                    r.title, r.date
                ),
                Some(r.date),
                s.credit_code.clone(),
                Some(h.id.clone()),
                s.mine_id,
            );
        }
    }
    // Annual reports of every plan year before today's.
    let mut by_mine: BTreeMap<i64, Vec<&RightHistory>> = BTreeMap::new();
    for h in &known {
        if let Some(m) = h.events.iter().rev().find_map(|e| e.state.mine_id) {
            by_mine.entry(m).or_default().push(h);
        }
    }
    let filed: Vec<&AnnualReport> = input
        .reports
        .iter()
        .filter(|r| r.filed_on <= today)
        .collect();
    for year in plan.identity.period_start..today.year() {
        for mine in mines_required(&by_mine, year) {
            if filed.iter().any(|r| r.mine_id == mine && r.year == year) {
                continue;
            }
            let due = due_date(year);
            let name = input
                .mines
                .get(&mine)
                .cloned()
                .unwrap_or_else(|| format!("矿山 {mine}"));
            let right = by_mine[&mine]
                .iter()
                .rev()
                .find(|h| {
                    h.current().kind == crate::application::RightKind::Mining
                        && h.valid_during(Date::start_of_year(year), Date::end_of_year(year))
                })
                .map(|h| (h.id.clone(), h.current().credit_code.clone()));
            let (right_id, code) = right.map_or((None, None), |(i, c)| (Some(i), c));
            if today <= due {
                push(
                    ReminderKind::ReportDue,
                    due.days_since(today) <= 15,
                    name.clone(),
                    format!(
                        "{name} {year} 年度开发利用年度报告应于 {due} 前报送（还有 {} 天）",
                        due.days_since(today)
                    ),
                    Some(due),
                    code,
                    right_id,
                    Some(mine),
                );
            } else {
                push(
                    ReminderKind::ReportOverdue,
                    true,
                    name.clone(),
                    format!(
                        "{name} {year} 年度开发利用年度报告逾期未报（截止 {due}，已逾期 {} 天）",
                        today.days_since(due)
                    ),
                    Some(due),
                    code,
                    right_id,
                    Some(mine),
                );
            }
        }
    }
    // Caps: registered capacity and mine counts today; extraction of the previous year.
    let register: Vec<MiningRight> = known
        .iter()
        .filter_map(|h| h.mining_right_on(today))
        .collect();
    let stats = RegisterStats::compute(plan, &register, input.scales);
    let warn = input.config.warn_ratio;
    let mut cap_check = |subject: String, what: &str, v: f64, cap: f64, unit: &str, cite: &str| {
        if v > cap {
            push(
                ReminderKind::CapExceeded,
                true,
                subject,
                format!(
                    "{what} {} {unit}，超过规划上限 {} {unit}（《规划》{cite}）",
                    format_number(v),
                    format_number(cap)
                ),
                None,
                None,
                None,
                None,
            );
        } else if cap > 0.0 && v >= warn * cap {
            push(
                ReminderKind::CapNear,
                false,
                subject,
                format!(
                    "{what} {} {unit}，已达规划上限 {} {unit} 的 {}%（《规划》{cite}）",
                    format_number(v),
                    format_number(cap),
                    format_number((v / cap * 1000.0).round() / 10.0)
                ),
                None,
                None,
                None,
                None,
            );
        }
    };
    for c in &plan.admission.extraction_caps {
        let licensed = stats.total(&c.mineral, c.unit).map_or(0.0, |t| t.valid);
        cap_check(
            c.mineral.clone(),
            &format!("{} 有效采矿权核定生产规模合计", c.mineral),
            r6(licensed),
            c.value,
            c.unit.symbol(),
            &c.cite.to_string(),
        );
    }
    let a = &plan.admission;
    cap_check(
        "矿山企业数量".into(),
        "有效采矿权的矿山企业",
        stats.holders.len() as f64,
        f64::from(a.mine_cap_total.value),
        "家",
        &a.mine_cap_total.cite.to_string(),
    );
    if let Some(c) = &a.mine_cap_this_level {
        cap_check(
            "本级审批发证矿山数量".into(),
            "本级审批发证的有效采矿权",
            stats.this_level as f64,
            f64::from(c.value),
            "家",
            &c.cite.to_string(),
        );
    }
    let last = today.year() - 1;
    for c in &plan.admission.extraction_caps {
        let v = r6(filed
            .iter()
            .filter(|r| {
                r.year == last
                    && plan.minerals.is_kind_of(&r.mineral, &c.mineral)
                    && r.unit.per_year() == Some(c.unit)
            })
            .map(|r| r.extraction)
            .sum());
        cap_check(
            c.mineral.clone(),
            &format!("{last} 年 {} 开采量（已报送年度报告合计）", c.mineral),
            v,
            c.value,
            c.unit.symbol(),
            &c.cite.to_string(),
        );
    }
    out.sort_by(|a, b| {
        b.urgent
            .cmp(&a.urgent)
            .then(a.date.cmp(&b.date))
            .then(a.subject.cmp(&b.subject))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r6_never_gives_negative_zero() {
        assert!(r6(-1e-9).is_sign_positive());
        assert!(r6(-0.0).is_sign_positive());
        assert_eq!(r6(1.23456789), 1.234568);
    }

    #[test]
    fn projection_is_least_squares() {
        // 2021..2024: 90, 390, 686, 890 → slope 1348 / 5 = 269.6, mean 514 at 2022.5;
        // 2025: 514 + 269.6 × 2.5 = 1188.
        let p = projection(
            &[(2021, 90.0), (2022, 390.0), (2023, 686.0), (2024, 890.0)],
            2025,
        )
        .unwrap();
        assert!((p - 1188.0).abs() < 1e-9, "{p}");
        assert_eq!(projection(&[], 2025), None);
    }
}
