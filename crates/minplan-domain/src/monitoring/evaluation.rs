//! The implementation evaluation (规划实施评估, 《规划》七（三）) in the layout of 专栏1.

use super::Status;
use super::assess::{IndicatorReport, YearValue};
use crate::citation::format_number;
use crate::plan::Comparison;
use crate::units::Unit;
use serde::Serialize;

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
    /// Where the value comes from: 登记簿, 年度报告, 人工填报 (empty when nothing gives it).
    pub source: String,
    /// `n / m 座矿山已报送` for a value from the annual reports (empty otherwise).
    pub coverage_label: String,
    /// For a manual indicator: the entry with its evidence (`None`: 未填报).
    pub manual: Option<super::manual::ManualEntry>,
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
    /// Why the last year is not scored (规划期外，不评价 / 年度未结束); empty when it is.
    pub standing_note: String,
    /// Remarks (methods).
    pub notes: Vec<String>,
}

/// The evaluation from the indicators of its last year (whose series cover `from`..).
pub fn evaluation(report: &IndicatorReport, from: i32) -> Evaluation {
    let mut ev = evaluation_rows(report, from);
    if !report.standing_note.is_empty() {
        ev.notes.insert(0, report.standing_note.clone());
    }
    ev
}

fn evaluation_rows(report: &IndicatorReport, from: i32) -> Evaluation {
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
            source: v.source.clone(),
            coverage_label: v.coverage_label.clone(),
            manual: v.manual.clone(),
            series: v
                .series
                .iter()
                .filter(|s| s.year >= from)
                .cloned()
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
        standing_note: report.standing_note.clone(),
        notes: vec![
            "未报送、部分未报送与未填报各为一种状态：全部应报矿山均未报送年度报告的年度没有数值（图中为标注“未报送”的空位，不是零值柱）；部分矿山未报送时数值只合计已报送的报告，注明“n / m 座矿山已报送”，不评为正常或达标；须人工填报的指标（如提供中型矿产地）未填报时为“未填报”，填报值注明依据和填报人。".into(),
            format!(
                "实际完成为 {} 年的数值：矿山数量与比例按{}在册的有效采矿权统计，产值与开采量按该年度矿山年度报告合计。",
                report.year,
                report.as_of.chinese()
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
