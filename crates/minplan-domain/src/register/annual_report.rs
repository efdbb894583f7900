//! Annual reports of mines (矿产资源开发利用统计年报, 勘查开采信息公示): per mine and year, the
//! extraction in the mineral's unit, the output value (万元), the staff, 开采回采率,
//! 选矿回收率, 综合利用率 and 清水循环利用率 (《规划》五（二）: 应达到 100%).
//!
//! A mine must report for a year when its mining right was in force on at least one day of
//! it; the report is due by 31 March of the next year ([`due_date`]). A report filed later is
//! late ([`Timeliness::Late`]); one not filed by then is missing (overdue).

use super::{Problem, RightHistory};
use crate::date::Date;
use crate::units::Unit;
use serde::Serialize;

/// The deadline of the report for `year`: 31 March of the following year.
///
/// # Examples
/// ```
/// use minplan_domain::register::annual_report::due_date;
/// assert_eq!(due_date(2024).to_string(), "2025-03-31");
/// ```
pub fn due_date(year: i32) -> Date {
    Date::new(year + 1, 3, 31).expect("31 March exists")
}

/// Whether a report came in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Timeliness {
    /// Filed by the deadline.
    OnTime,
    /// Filed `days` after the deadline (逾期报送).
    Late {
        /// Days after 31 March.
        days: i64,
    },
}

impl Timeliness {
    /// Of a report for `year` first filed on `filed_on`.
    pub fn of(year: i32, filed_on: Date) -> Timeliness {
        let days = filed_on.days_since(due_date(year));
        if days > 0 {
            Timeliness::Late { days }
        } else {
            Timeliness::OnTime
        }
    }

    /// Chinese label: `按期报送` / `逾期报送（N 天）`.
    pub fn label(&self) -> String {
        match self {
            Timeliness::OnTime => "按期报送".into(),
            Timeliness::Late { days } => format!("逾期报送（{days} 天）"),
        }
    }
}

/// What a report states, as filed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportInput {
    /// 统计年度.
    pub year: i32,
    /// Mineral reported (default: the right's first mineral).
    pub mineral: Option<String>,
    /// 开采量 (ore), in `unit`.
    pub extraction: f64,
    /// Unit of the extraction: an amount (万立方米, 万吨) or the yearly rate; default: the
    /// amount of the right's capacity unit.
    pub unit: Option<Unit>,
    /// 工业总产值 (矿业产值), 万元.
    pub output_value_wan_yuan: f64,
    /// 从业人员, persons.
    pub staff: i64,
    /// 开采回采率, %.
    pub mining_recovery_pct: Option<f64>,
    /// 选矿回收率, %.
    pub processing_recovery_pct: Option<f64>,
    /// 综合利用率, %.
    pub utilisation_pct: Option<f64>,
    /// 清水循环利用率, %.
    pub water_reuse_pct: Option<f64>,
    /// 报送日期.
    pub filed_on: Date,
    /// Remarks.
    pub note: Option<String>,
}

/// A checked report, ready to store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckedReport {
    /// The right it reports under (the mine's mining right in force in the year).
    pub right_id: String,
    /// Mineral.
    pub mineral: String,
    /// Extraction, as an amount in `unit`.
    pub extraction: f64,
    /// Amount unit (万立方米 / 万吨).
    pub unit: Unit,
    /// Non-blocking remarks (超能力开采, 清水循环利用率 below the plan's figure, late).
    pub warnings: Vec<String>,
}

/// Checks a report of a mine for `input.year` against the mine's mining rights.
///
/// * `rights` — the histories of the mine's mining rights;
/// * `water_reuse_floor` — the plan's 清水循环利用率, % (Suifenhe: 100, 《规划》五（二））.
///
/// # Errors
/// Every [`Problem`]: the year not over on the filing date; no right of the mine in force in
/// the year; a negative or non-finite figure; a rate outside 0–100 %; a unit that is not the
/// right's (an amount or yearly rate of the same kind).
pub fn check_report(
    input: &ReportInput,
    rights: &[&RightHistory],
    water_reuse_floor: Option<f64>,
    minerals: &crate::minerals::MineralCatalogue,
) -> Result<CheckedReport, Vec<Problem>> {
    let mut p = Vec::new();
    let y = input.year;
    if input.filed_on <= Date::end_of_year(y) {
        p.push(Problem::new(
            "year",
            format!(
                "{y} 年度尚未结束（报送日期 {}），年度报告在次年报送",
                input.filed_on
            ),
        ));
    }
    let right = rights.iter().rev().find(|h| {
        h.current().kind == crate::application::RightKind::Mining
            && h.valid_during(Date::start_of_year(y), Date::end_of_year(y))
    });
    let Some(right) = right else {
        p.push(Problem::new(
            "year",
            format!("该矿山在 {y} 年没有有效的采矿权，不需也不能报送该年度报告"),
        ));
        return Err(p);
    };
    let state = right
        .state_on(Date::end_of_year(y))
        .unwrap_or_else(|| right.current());
    let mineral = match &input.mineral {
        Some(m) if !m.trim().is_empty() => match minerals.get(m) {
            Some(k) => k.name.clone(),
            None => {
                p.push(Problem::new("mineral", format!("未知矿种“{m}”")));
                m.clone()
            }
        },
        _ => state.minerals.first().cloned().unwrap_or_default(),
    };
    let cap_unit = state.capacity.map(|c| c.unit);
    let unit = match (input.unit, cap_unit.and_then(|u| u.amount())) {
        (Some(u), Some(expected)) if u.amount() == Some(expected) => expected,
        (Some(u), Some(expected)) => {
            p.push(Problem::new(
                "unit",
                format!("开采量单位“{u}”与采矿权生产规模单位不一致，应为“{expected}”"),
            ));
            expected
        }
        (Some(u), None) => match u.amount() {
            Some(a) => a,
            None => {
                p.push(Problem::new(
                    "unit",
                    format!("开采量单位“{u}”应为 万立方米 或 万吨"),
                ));
                u
            }
        },
        (None, Some(expected)) => expected,
        (None, None) => {
            p.push(Problem::new(
                "unit",
                "采矿权没有登记生产规模单位，请填写开采量单位（万立方米 或 万吨）",
            ));
            Unit::WanM3
        }
    };
    let nonneg = |v: f64| v.is_finite() && v >= 0.0;
    if !nonneg(input.extraction) {
        p.push(Problem::new("extraction", "开采量应为不小于 0 的数"));
    }
    if !nonneg(input.output_value_wan_yuan) {
        p.push(Problem::new(
            "output_value",
            "产值（万元）应为不小于 0 的数",
        ));
    }
    if input.staff < 0 {
        p.push(Problem::new("staff", "从业人员应为不小于 0 的整数"));
    }
    for (field, label, v) in [
        ("mining_recovery", "开采回采率", input.mining_recovery_pct),
        (
            "processing_recovery",
            "选矿回收率",
            input.processing_recovery_pct,
        ),
        ("utilisation", "综合利用率", input.utilisation_pct),
        ("water_reuse", "清水循环利用率", input.water_reuse_pct),
    ] {
        if let Some(v) = v
            && !(v.is_finite() && (0.0..=100.0).contains(&v))
        {
            p.push(Problem::new(field, format!("{label}应在 0–100（%）之间")));
        }
    }
    if !p.is_empty() {
        return Err(p);
    }
    let mut warnings = Vec::new();
    if let Some(c) = state.capacity
        && input.extraction > c.value + 1e-9
    {
        warnings.push(format!(
            "开采量 {} {unit} 超过登记生产规模 {c}（超能力开采）",
            crate::citation::format_number(input.extraction)
        ));
    }
    if let (Some(floor), Some(w)) = (water_reuse_floor, input.water_reuse_pct)
        && w < floor
    {
        warnings.push(format!(
            "清水循环利用率 {}% 低于规划要求 {}%（《规划》五（二））",
            crate::citation::format_number(w),
            crate::citation::format_number(floor)
        ));
    }
    if let Timeliness::Late { days } = Timeliness::of(y, input.filed_on) {
        warnings.push(format!(
            "逾期报送：截止日期 {}，逾期 {days} 天",
            due_date(y)
        ));
    }
    Ok(CheckedReport {
        right_id: right.id.clone(),
        mineral,
        extraction: input.extraction,
        unit,
        warnings,
    })
}

/// A stored report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnnualReport {
    /// Row id.
    pub id: i64,
    /// The mine.
    pub mine_id: i64,
    /// The mine's name.
    pub mine_name: String,
    /// 统计年度.
    pub year: i32,
    /// The right reported under.
    pub right_id: String,
    /// 矿业权人统一社会信用代码 (of the right in the year).
    pub credit_code: Option<String>,
    /// Mineral.
    pub mineral: String,
    /// Extraction, amount.
    pub extraction: f64,
    /// Amount unit.
    pub unit: Unit,
    /// 产值, 万元.
    pub output_value_wan_yuan: f64,
    /// 从业人员.
    pub staff: i64,
    /// 开采回采率, %.
    pub mining_recovery_pct: Option<f64>,
    /// 选矿回收率, %.
    pub processing_recovery_pct: Option<f64>,
    /// 综合利用率, %.
    pub utilisation_pct: Option<f64>,
    /// 清水循环利用率, %.
    pub water_reuse_pct: Option<f64>,
    /// First filed (decides timeliness; a correction keeps it).
    pub filed_on: Date,
    /// Last corrected, if ever.
    pub corrected_on: Option<Date>,
    /// Filed by staff on the company's behalf (代报).
    pub on_behalf: bool,
    /// Who filed (audit actor label).
    pub filed_by: String,
    /// Remarks.
    pub note: Option<String>,
}

impl AnnualReport {
    /// Whether it came in time.
    pub fn timeliness(&self) -> Timeliness {
        Timeliness::of(self.year, self.filed_on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_and_lateness() {
        assert_eq!(due_date(2024), Date::new(2025, 3, 31).unwrap());
        assert_eq!(
            Timeliness::of(2024, Date::parse("2025-03-31").unwrap()),
            Timeliness::OnTime
        );
        // 1 April … 20 May: 30 + 20 days.
        assert_eq!(
            Timeliness::of(2024, Date::parse("2025-05-20").unwrap()),
            Timeliness::Late { days: 50 }
        );
    }
}
