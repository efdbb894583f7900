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
    /// 本年损毁土地面积, 公顷 (边开采边治理, 《规划》六（二）1（2））; `None` = 未填报 (reports
    /// filed before the field existed).
    pub disturbed_ha: Option<f64>,
    /// 本年复垦（治理）面积, 公顷; `None` = 未填报.
    pub restored_ha: Option<f64>,
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
/// the year; a figure out of bounds ([`check_figures`]); a unit that is not the right's (an
/// amount or yearly rate of the same kind).
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
    p.extend(check_figures(input));
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

/// Largest 开采量 accepted, in the report's unit (万立方米 or 万吨).
pub const MAX_EXTRACTION: f64 = 1e6;
/// Largest 产值 accepted, 万元.
pub const MAX_OUTPUT_WAN_YUAN: f64 = 1e8;
/// Largest 从业人员 accepted, persons.
pub const MAX_STAFF: i64 = 1_000_000;

/// The figures of a report as typed — a form field or a table cell, each trimmed; an empty
/// text is "not given". [`parse_figures`] reads them the same way for the web form and the
/// bulk import.
#[derive(Debug, Clone, Copy, Default)]
pub struct FigureText<'a> {
    /// 开采量.
    pub extraction: &'a str,
    /// 单位 (of the extraction).
    pub unit: &'a str,
    /// 产值（万元）.
    pub output_value: &'a str,
    /// 从业人员.
    pub staff: &'a str,
    /// 开采回采率, % (a trailing `%` is allowed).
    pub mining_recovery: &'a str,
    /// 选矿回收率, %.
    pub processing_recovery: &'a str,
    /// 综合利用率, %.
    pub utilisation: &'a str,
    /// 清水循环利用率, %.
    pub water_reuse: &'a str,
    /// 本年损毁土地面积, 公顷.
    pub disturbed: &'a str,
    /// 本年复垦（治理）面积, 公顷.
    pub restored: &'a str,
}

/// The figures of a report, read by [`parse_figures`]; a figure that could not be read is
/// `None` (and has its [`Problem`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Figures {
    /// 开采量.
    pub extraction: Option<f64>,
    /// Unit of the extraction.
    pub unit: Option<Unit>,
    /// 产值, 万元.
    pub output_value_wan_yuan: Option<f64>,
    /// 从业人员 (not given: 0).
    pub staff: Option<i64>,
    /// 开采回采率, %.
    pub mining_recovery_pct: Option<f64>,
    /// 选矿回收率, %.
    pub processing_recovery_pct: Option<f64>,
    /// 综合利用率, %.
    pub utilisation_pct: Option<f64>,
    /// 清水循环利用率, %.
    pub water_reuse_pct: Option<f64>,
    /// 本年损毁土地面积, 公顷 (not given: `None`, 未填报).
    pub disturbed_ha: Option<f64>,
    /// 本年复垦（治理）面积, 公顷 (not given: `None`, 未填报).
    pub restored_ha: Option<f64>,
}

/// Reads the typed figures of a report: numbers (finite; rates may end in `%`), the unit,
/// 从业人员 as a whole number within 0–[`MAX_STAFF`] (never rounded or clamped); 开采量 and
/// 产值 must be given. Then checks the bounds of [`check_figures`] on what was read, so the
/// problems list every figure at fault at once.
///
/// Problems name the fields `extraction`, `unit`, `output_value`, `staff`,
/// `mining_recovery`, `processing_recovery`, `utilisation`, `water_reuse`.
///
/// # Errors
/// Every [`Problem`] found.
///
/// # Examples
/// ```
/// use minplan_domain::register::annual_report::{FigureText, parse_figures};
/// let ok = parse_figures(&FigureText { extraction: "4.5", output_value: "315", staff: "20",
///     mining_recovery: "95%", ..FigureText::default() }).unwrap();
/// assert_eq!(ok.staff, Some(20));
/// let bad = parse_figures(&FigureText { extraction: "-5", output_value: "1e300", staff: "2.5",
///     mining_recovery: "150", ..FigureText::default() }).unwrap_err();
/// let fields: Vec<_> = bad.iter().map(|p| p.field.as_str()).collect();
/// assert_eq!(fields, ["staff", "extraction", "output_value", "mining_recovery"]);
/// ```
pub fn parse_figures(text: &FigureText<'_>) -> Result<Figures, Vec<Problem>> {
    let mut p = Vec::new();
    let mut num = |field: &str, label: &str, s: &str, pct: bool| -> Option<f64> {
        let s = s.trim();
        if s.is_empty() {
            return None;
        }
        let digits = if pct {
            s.trim_end_matches(['%', '％']).trim()
        } else {
            s
        };
        match digits.parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                p.push(Problem::new(field, format!("{label}“{s}”不是数字")));
                None
            }
        }
    };
    let extraction = num("extraction", "开采量", text.extraction, false);
    let output = num("output_value", "产值（万元）", text.output_value, false);
    let staff = num("staff", "从业人员", text.staff, false);
    let mining = num("mining_recovery", "开采回采率", text.mining_recovery, true);
    let processing = num(
        "processing_recovery",
        "选矿回收率",
        text.processing_recovery,
        true,
    );
    let utilisation = num("utilisation", "综合利用率", text.utilisation, true);
    let water = num("water_reuse", "清水循环利用率", text.water_reuse, true);
    let disturbed = num(
        "disturbed",
        "本年损毁土地面积（公顷）",
        text.disturbed,
        false,
    );
    let restored = num(
        "restored",
        "本年复垦（治理）面积（公顷）",
        text.restored,
        false,
    );
    if text.extraction.trim().is_empty() {
        p.push(Problem::new("extraction", "开采量不能为空"));
    }
    if text.output_value.trim().is_empty() {
        p.push(Problem::new("output_value", "产值（万元）不能为空"));
    }
    let unit = match text.unit.trim() {
        "" => None,
        u => match Unit::parse(u) {
            Ok(u) => Some(u),
            Err(e) => {
                p.push(Problem::new("unit", e.to_string()));
                None
            }
        },
    };
    let staff = match staff {
        None if text.staff.trim().is_empty() => Some(0),
        None => None,
        Some(v) if v.fract() == 0.0 && (0.0..=MAX_STAFF as f64).contains(&v) => Some(v as i64),
        Some(_) => {
            p.push(Problem::new("staff", staff_message()));
            None
        }
    };
    let figures = Figures {
        extraction,
        unit,
        output_value_wan_yuan: output,
        staff,
        mining_recovery_pct: mining,
        processing_recovery_pct: processing,
        utilisation_pct: utilisation,
        water_reuse_pct: water,
        disturbed_ha: disturbed,
        restored_ha: restored,
    };
    p.extend(bounds(
        figures.extraction,
        figures.output_value_wan_yuan,
        figures.staff,
        [mining, processing, utilisation, water],
    ));
    p.extend(area_bounds(disturbed, restored));
    if p.is_empty() { Ok(figures) } else { Err(p) }
}

/// Largest 损毁 / 复垦 area accepted in a year, 公顷.
pub const MAX_AREA_HA: f64 = 1e5;

fn area_bounds(disturbed: Option<f64>, restored: Option<f64>) -> Vec<Problem> {
    let mut p = Vec::new();
    for ((field, label), v) in [
        ("disturbed", "本年损毁土地面积"),
        ("restored", "本年复垦（治理）面积"),
    ]
    .into_iter()
    .zip([disturbed, restored])
    {
        if let Some(v) = v
            && !(v.is_finite() && (0.0..=MAX_AREA_HA).contains(&v))
        {
            p.push(Problem::new(
                field,
                format!(
                    "{label}应在 0–{} 公顷之间",
                    crate::citation::format_number(MAX_AREA_HA)
                ),
            ));
        }
    }
    p
}

fn staff_message() -> String {
    format!("从业人员应为 0–{MAX_STAFF} 之间的整数（人）")
}

fn bounds(
    extraction: Option<f64>,
    output: Option<f64>,
    staff: Option<i64>,
    rates: [Option<f64>; 4],
) -> Vec<Problem> {
    let mut p = Vec::new();
    let within = |v: f64, max: f64| v.is_finite() && (0.0..=max).contains(&v);
    if let Some(v) = extraction
        && !within(v, MAX_EXTRACTION)
    {
        p.push(Problem::new(
            "extraction",
            format!(
                "开采量应在 0–{} 之间（单位为开采量单位：万立方米 或 万吨）",
                crate::citation::format_number(MAX_EXTRACTION)
            ),
        ));
    }
    if let Some(v) = output
        && !within(v, MAX_OUTPUT_WAN_YUAN)
    {
        p.push(Problem::new(
            "output_value",
            format!(
                "产值（万元）应在 0–{} 之间",
                crate::citation::format_number(MAX_OUTPUT_WAN_YUAN)
            ),
        ));
    }
    if let Some(v) = staff
        && !(0..=MAX_STAFF).contains(&v)
    {
        p.push(Problem::new("staff", staff_message()));
    }
    for ((field, label), v) in [
        ("mining_recovery", "开采回采率"),
        ("processing_recovery", "选矿回收率"),
        ("utilisation", "综合利用率"),
        ("water_reuse", "清水循环利用率"),
    ]
    .into_iter()
    .zip(rates)
    {
        if let Some(v) = v
            && !within(v, 100.0)
        {
            p.push(Problem::new(field, format!("{label}应在 0–100（%）之间")));
        }
    }
    p
}

/// The bounds of a report's figures: 开采量 0–[`MAX_EXTRACTION`] in its unit, 产值
/// 0–[`MAX_OUTPUT_WAN_YUAN`] 万元, 从业人员 0–[`MAX_STAFF`], every rate 0–100 %, the
/// 损毁 / 复垦 areas 0–[`MAX_AREA_HA`] 公顷; all finite.
/// [`check_report`] applies them; [`parse_figures`] too, on typed text.
pub fn check_figures(input: &ReportInput) -> Vec<Problem> {
    let mut p = bounds(
        Some(input.extraction),
        Some(input.output_value_wan_yuan),
        Some(input.staff),
        [
            input.mining_recovery_pct,
            input.processing_recovery_pct,
            input.utilisation_pct,
            input.water_reuse_pct,
        ],
    );
    p.extend(area_bounds(input.disturbed_ha, input.restored_ha));
    p
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
    /// 本年损毁土地面积, 公顷; `None` = 未填报.
    pub disturbed_ha: Option<f64>,
    /// 本年复垦（治理）面积, 公顷; `None` = 未填报.
    pub restored_ha: Option<f64>,
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

    #[test]
    fn figures_are_bounded_and_staff_is_never_rounded() {
        let t = |extraction, output_value, staff, mining_recovery| FigureText {
            extraction,
            output_value,
            staff,
            mining_recovery,
            ..FigureText::default()
        };
        let ok = parse_figures(&t("4.5", "315", "", "95%")).unwrap();
        assert_eq!(ok.staff, Some(0));
        assert_eq!(ok.mining_recovery_pct, Some(95.0));
        for (text, field) in [
            (t("-5", "1", "1", ""), "extraction"),
            (t("1e300", "1", "1", ""), "extraction"),
            (t("1", "-1", "1", ""), "output_value"),
            (t("1", "100000001", "1", ""), "output_value"),
            (t("1", "1", "-3", ""), "staff"),
            (t("1", "1", "2.5", ""), "staff"),
            (t("1", "1", "1e300", ""), "staff"),
            (t("1", "1", "1", "150"), "mining_recovery"),
            (t("NaN", "1", "1", ""), "extraction"),
            (t("", "1", "1", ""), "extraction"),
        ] {
            let e = parse_figures(&text).unwrap_err();
            assert_eq!(e.len(), 1, "{text:?}: {e:?}");
            assert_eq!(e[0].field, field, "{text:?}");
        }
        let e = parse_figures(&t("1e300", "1", "1", "")).unwrap_err();
        assert_eq!(
            e[0].message,
            "开采量应在 0–1000000 之间（单位为开采量单位：万立方米 或 万吨）"
        );
        assert_eq!(
            parse_figures(&t("1", "1", "1e300", "")).unwrap_err()[0].message,
            "从业人员应为 0–1000000 之间的整数（人）"
        );
    }

    #[test]
    fn disturbed_and_restored_areas_are_optional_hectares() {
        let t = |disturbed, restored| FigureText {
            extraction: "4.5",
            output_value: "315",
            disturbed,
            restored,
            ..FigureText::default()
        };
        let ok = parse_figures(&t("2.35", "1.2")).unwrap();
        assert_eq!(ok.disturbed_ha, Some(2.35));
        assert_eq!(ok.restored_ha, Some(1.2));
        let none = parse_figures(&t("", "")).unwrap();
        assert_eq!((none.disturbed_ha, none.restored_ha), (None, None));
        let e = parse_figures(&t("-1", "abc")).unwrap_err();
        let fields: Vec<_> = e.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["restored", "disturbed"]);
        assert_eq!(e[1].message, "本年损毁土地面积应在 0–100000 公顷之间");
    }
}
