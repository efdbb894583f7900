//! One year's measured values (before status and projection): the register as on
//! 31 December and the year's annual reports.

use super::mines_required::RequiredMine;
use super::r6;
use super::specs::IndicatorSpec;
use crate::citation::format_number;
use crate::plan::{Metric, Plan};
use crate::register::annual_report::AnnualReport;
use crate::review::config::ScaleTable;
use crate::review::indicators::RegisterStats;
use crate::rights::MiningRight;
use crate::units::convert;
use serde::Serialize;

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

/// Where a value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The register as on the year's date (登记簿).
    Register,
    /// The year's annual reports (年度报告).
    Reports,
    /// Entered by 规划科 staff with its evidence (人工填报).
    Manual,
}

impl Source {
    /// Chinese label: 登记簿, 年度报告, 人工填报.
    pub fn label(&self) -> &'static str {
        match self {
            Source::Register => "登记簿",
            Source::Reports => "年度报告",
            Source::Manual => "人工填报",
        }
    }
}

/// How many of the mines that owed an annual report for a year filed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Coverage {
    /// Reports filed.
    pub filed: usize,
    /// Mines that had to report.
    pub required: usize,
}

impl Coverage {
    /// Every mine that had to report did (or none had to).
    pub fn complete(&self) -> bool {
        self.filed >= self.required
    }

    /// No mine that had to report did (and at least one had to).
    pub fn none_filed(&self) -> bool {
        self.required > 0 && self.filed == 0
    }

    /// `1 / 3 座矿山已报送`.
    pub fn label(&self) -> String {
        format!(
            "{} / {} 座矿山已报送",
            self.filed.min(self.required),
            self.required
        )
    }
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
    /// The value leaves out what it should count (mines whose scale class is unknown): its
    /// status is 需人工核查 whatever the value.
    pub unsure: bool,
    /// Where it comes from; `None` for an indicator nothing gives (a manual one not entered).
    pub source: Option<Source>,
    /// For a value from the annual reports: how many of the mines that owed one filed it
    /// (a value from part of them is never scored as 正常/达标).
    pub coverage: Option<Coverage>,
    /// For a manual indicator: the entry with its evidence (`None`: 未填报).
    pub manual: Option<super::manual::ManualEntry>,
}

impl Measure {
    fn register(value: Option<f64>, note: String, unsure: bool) -> Measure {
        Measure {
            value,
            licensed_total: None,
            note,
            unsure,
            source: Some(Source::Register),
            coverage: None,
            manual: None,
        }
    }
}

/// How many of the mines that owed a report for the year and mine `mineral` (one of their
/// rights lists it or a kind of it, e.g. 建筑用凝灰岩 for 建筑用石) filed a report of it.
/// A mineral's total is 未报送 when none of them did, partial when some did.
pub fn mineral_coverage(
    plan: &Plan,
    mineral: &str,
    required: &[RequiredMine],
    reports: &[&AnnualReport],
) -> Coverage {
    let owing: Vec<i64> = required
        .iter()
        .filter(|m| {
            m.minerals
                .iter()
                .any(|x| plan.minerals.is_kind_of(x, mineral))
        })
        .map(|m| m.mine_id)
        .collect();
    let filed = owing
        .iter()
        .filter(|id| {
            reports
                .iter()
                .any(|r| r.mine_id == **id && plan.minerals.is_kind_of(&r.mineral, mineral))
        })
        .count();
    Coverage {
        filed,
        required: owing.len(),
    }
}

/// The note of a report-based figure in a year no mine had to report for.
const NO_REPORTS: &str = "该年没有须报送年度报告的矿山，也没有报送的报告：无数据";

/// Measures every spec for one year, with no manual entries (every manual indicator is
/// 未填报); see [`measure_year_with`].
pub fn measure_year(
    plan: &Plan,
    specs: &[IndicatorSpec],
    year: i32,
    rights: &[MiningRight],
    reports: &[&AnnualReport],
    required: &[RequiredMine],
    scales: &ScaleTable,
) -> YearMeasures {
    measure_year_with(plan, specs, year, rights, reports, required, scales, &[])
}

/// Measures every spec for one year.
///
/// * `rights` — the register as on 31 December of the year (status as on that date), or as
///   on today for a year not yet over;
/// * `reports` — the annual reports of the year;
/// * `required` — the mines that had to report for it, with their minerals (a mineral's
///   extraction total is covered by the mines whose rights list that mineral);
/// * `manual` — the values entered by hand (any years; the year's last entry per indicator
///   is used).
#[allow(clippy::too_many_arguments)]
pub fn measure_year_with(
    plan: &Plan,
    specs: &[IndicatorSpec],
    year: i32,
    rights: &[MiningRight],
    reports: &[&AnnualReport],
    required_mines: &[RequiredMine],
    scales: &ScaleTable,
    manual: &[super::manual::ManualEntry],
) -> YearMeasures {
    let required = required_mines.len();
    let stats = RegisterStats::compute(plan, rights, scales);
    let missing = required.saturating_sub(reports.len());
    // No mine had to report and none did: the report-based figures are unknown, not 0 (a
    // register not yet entered would otherwise read as 产值 0, 未达标).
    let no_reports = required == 0 && reports.is_empty();
    let coverage = Coverage {
        filed: reports.len(),
        required,
    };
    let missing_note = if missing > 0 {
        format!(
            "；{}，{missing} 座矿山未报送年度报告，未计入",
            coverage.label()
        )
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
                unsure: false,
                source: Some(Source::Reports),
                coverage: Some(coverage),
                manual: None,
            },
            Metric::OutputValue if coverage.none_filed() => Measure {
                value: None,
                licensed_total: None,
                note: format!("未报送：{}", coverage.label()),
                unsure: false,
                source: Some(Source::Reports),
                coverage: Some(coverage),
                manual: None,
            },
            Metric::OutputValue => Measure {
                value: Some(r6(reports.iter().map(|r| r.output_value_wan_yuan).sum())),
                licensed_total: None,
                note: format!("{} 份年度报告产值合计{missing_note}", reports.len()),
                unsure: false,
                source: Some(Source::Reports),
                coverage: Some(coverage),
                manual: None,
            },
            Metric::MineCount => Measure::register(
                Some(stats.holders.len() as f64),
                "年末有效采矿权的矿业权人（按统一社会信用代码）".into(),
                false,
            ),
            Metric::MineCountThisLevel => Measure::register(
                Some(stats.this_level as f64),
                "年末有效、本级审批发证的采矿权".into(),
                false,
            ),
            Metric::LargeMediumRatio => {
                let c = &stats.scale_counts;
                let mut note = format!(
                    "大中型 {} 座 ÷ 可判定规模的矿山 {} 座；规模分类依据{}",
                    c.large_or_medium, c.classified, scales.source
                );
                let left_out = c.unclassified_note();
                if !left_out.is_empty() {
                    note = format!("{left_out}；{note}");
                }
                Measure::register(c.ratio().map(r6), note, !c.unclassified.is_empty())
            }
            Metric::ExtractionTotal(mineral) => {
                let mut sum = 0.0;
                let mut other_unit = 0;
                for r in reports
                    .iter()
                    .filter(|r| plan.minerals.is_kind_of(&r.mineral, mineral))
                {
                    // A year's extraction of 千立方米 counts in a 万立方米/年 total.
                    match r
                        .unit
                        .per_year()
                        .and_then(|u| convert(r.extraction, u, s.unit))
                    {
                        Some(v) => sum += v,
                        None => other_unit += 1,
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
                // Covered by the mines of this mineral only: the one geothermal mine not
                // filing makes 地下热水 未报送, whatever the quarries filed.
                let own = mineral_coverage(plan, mineral, required_mines, reports);
                let own_missing = own.required - own.filed.min(own.required);
                if own_missing > 0 {
                    note.push_str(&format!(
                        "；{}，{own_missing} 座开采该矿种的矿山未报送年度报告，未计入",
                        own.label()
                    ));
                } else if own.required == 0 && !no_reports {
                    note.push_str("；该年没有须报送年度报告的该矿种矿山");
                }
                if no_reports {
                    note = format!("{NO_REPORTS}；{note}");
                } else if coverage.none_filed() || own.none_filed() {
                    note = format!("未报送：{}；{note}", own.label());
                }
                let unknown = no_reports || coverage.none_filed() || own.none_filed();
                Measure {
                    value: (!unknown).then(|| r6(sum)),
                    licensed_total: Some(licensed.unwrap_or(0.0)),
                    note,
                    unsure: false,
                    source: Some(Source::Reports),
                    coverage: Some(if no_reports || coverage.none_filed() {
                        coverage
                    } else {
                        own
                    }),
                    manual: None,
                }
            }
            Metric::NewDeposits | Metric::WaterReuseRate | Metric::Manual => {
                match super::manual::entry_for(manual, &s.key, year) {
                    Some(e) => Measure {
                        value: Some(e.value),
                        licensed_total: None,
                        note: format!(
                            "人工填报（{}）：{}{}",
                            e.entered_by,
                            e.evidence,
                            e.attachment
                                .as_ref()
                                .map_or(String::new(), |a| format!("；证明材料：{a}"))
                        ),
                        unsure: false,
                        source: Some(Source::Manual),
                        coverage: None,
                        manual: Some(e.clone()),
                    },
                    None => Measure {
                        value: None,
                        licensed_total: None,
                        note: "不由登记簿和年度报告计算，本年度未填报（由规划科人工填报并附依据）"
                            .into(),
                        unsure: false,
                        source: None,
                        coverage: None,
                        manual: None,
                    },
                }
            }
        })
        .collect();
    YearMeasures {
        year,
        reports_required: required,
        reports_filed: reports.len(),
        values,
    }
}

/// The note of a register figure when the register holds no right at all.
const NO_REGISTER: &str = "登记簿中尚无任何矿业权（尚未录入或导入）：无数据，不按 0 计";

/// Marks the register's figures of `m` (矿山企业数量, 大中型矿山比例, the registered
/// capacities …) as unknown (无数据) because the register holds no right at all — nothing was
/// entered or imported, so a count of 0 would be a guess. Once any right is in the register,
/// a year in which none is in force counts a true 0 and this is not called.
pub fn without_register(m: &mut YearMeasures) {
    for v in &mut m.values {
        if v.source == Some(Source::Register) {
            v.value = None;
            v.unsure = false;
            v.note = NO_REGISTER.into();
        }
        if v.licensed_total.is_some() {
            v.licensed_total = None;
            v.note = format!("{}；{NO_REGISTER}", v.note);
        }
    }
}
