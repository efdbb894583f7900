//! The draft annual plan (规划实施年度计划, 《规划》七（二）): room under the caps, open
//! planning blocks, licences ending in the year, restoration.

use super::r6;
use crate::citation::format_number;
use crate::date::Date;
use crate::plan::{BlockKind, LonLatPolygon, Plan, PlanningBlock};
use crate::register::annual_report::AnnualReport;
use crate::register::{RightHistory, Standing};
use crate::review::config::ScaleTable;
use crate::review::indicators::RegisterStats;
use crate::rights::{MiningRight, RightStatus};
use crate::units::Unit;
use serde::Serialize;

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
    /// Extraction of the previous year (Σ of its reports filed by the data date; see
    /// [`AnnualPlanDraft::last_year_coverage`]); `None` when none of the mines that owed a
    /// report had filed it, or none of those mining this mineral (未报送, never 0).
    pub last_year_extraction: Option<f64>,
    /// How many of the mines of this mineral that owed a report for the previous year filed
    /// it by the data date (`None` when the mines that owed one are not given).
    pub last_year_coverage: Option<super::measure::Coverage>,
    /// Where the cap is set.
    pub cite: String,
    /// The registered capacity already exceeds the cap.
    pub exceeded: bool,
}

/// A cap of the plan ([`crate::plan::Cap`]) the register exceeds on the plan's data date.
#[derive(Debug, Clone, Serialize)]
pub struct CapExcess {
    /// The cap in the plan's terms (`露天矿山数量（全部矿种、露天）≤10 个`).
    pub cap: String,
    /// The register's value (count, or Σ registered capacity).
    pub value: f64,
    /// The limit.
    pub limit: f64,
    /// Unit symbol.
    pub unit: String,
    /// The limit as the plan words it (`10 个左右`).
    pub limit_label: String,
    /// A soft cap (左右, 原则上): exceeding it warns rather than vetoes.
    pub soft: bool,
    /// Valid rights whose attributes do not tell whether they count (not in `value`).
    pub unknown: usize,
    /// Where the plan sets it, as people cite it.
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
    /// Area of its geometry, km²; `None` for a block the plan lists without its extent
    /// (never a 0).
    pub area_km2: Option<f64>,
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
    /// The register is read as on this date (数据截至): the drafting date for a plan of the
    /// current or a coming year, 31 December of the year before for a past year's plan; never
    /// after the drafting date.
    pub basis_date: Date,
    /// The date the draft was made (`today`).
    pub drafted_on: Date,
    /// For a year outside the plan period: the statement heading the draft that the period has
    /// ended (or not begun) and its figures are for reference only (`None` inside the period).
    pub period_notice: Option<String>,
    /// The previous year's annual reports: how many of the mines that owed one filed it
    /// (`None` when no mine owed one).
    pub last_year_coverage: Option<super::measure::Coverage>,
    /// Every cap of the plan the register exceeds on `basis_date`, with value, limit and
    /// citation.
    pub exceeded: Vec<CapExcess>,
    /// Caps per mineral.
    pub caps: Vec<CapRoom>,
    /// 矿山企业数量 cap, current, may add; `None` when the plan sets no such cap.
    pub mines: Option<(u32, usize, usize)>,
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

/// The date the register is read on for the annual plan of `year` drafted on `drafted_on`
/// (数据截至): the drafting date for a plan of the current or a coming year (the register as
/// it stands, never a future date); 31 December of the year before for a past year's plan
/// drawn up again (as it would have been drafted).
///
/// # Examples
/// ```
/// use minplan_domain::date::Date;
/// use minplan_domain::monitoring::annual_plan::basis_date;
/// let t = Date::new(2026, 12, 6).unwrap();
/// assert_eq!(basis_date(2027, t), t);
/// assert_eq!(basis_date(2026, t), t);
/// assert_eq!(basis_date(2024, t), Date::new(2023, 12, 31).unwrap());
/// ```
pub fn basis_date(year: i32, drafted_on: Date) -> Date {
    if drafted_on <= Date::end_of_year(year) {
        drafted_on
    } else {
        Date::end_of_year(year - 1)
    }
}

/// Drafts the annual plan for `year` as if drafted on 1 January of it (the register as on 31
/// December of the year before); see [`annual_plan_on`].
pub fn annual_plan(
    plan: &Plan,
    year: i32,
    register: &[MiningRight],
    histories: &[RightHistory],
    last_year_reports: &[&AnnualReport],
    scales: &ScaleTable,
) -> AnnualPlanDraft {
    annual_plan_on(
        plan,
        year,
        Date::end_of_year(year - 1),
        register,
        histories,
        last_year_reports,
        None,
        scales,
    )
}

/// Drafts the annual plan for `year` on `drafted_on`.
///
/// * `register` — rights as on [`basis_date`]`(year, drafted_on)` (status on that date) and
///   the applications under review (status 在审);
/// * `histories` — every right's history (for licences ending in the year and closures);
/// * `last_year_reports` — the reports of the previous year, `last_year_required` the mines
///   that owed one with their minerals (a mineral's 上年开采量 is 未报送 when none of the mines
///   mining it filed; `None`: not known, every total is taken as it stands).
///
/// Every cap of the plan the register exceeds is listed in [`AnnualPlanDraft::exceeded`].
#[allow(clippy::too_many_arguments)]
pub fn annual_plan_on(
    plan: &Plan,
    year: i32,
    drafted_on: Date,
    register: &[MiningRight],
    histories: &[RightHistory],
    last_year_reports: &[&AnnualReport],
    last_year_required: Option<&[super::mines_required::RequiredMine]>,
    scales: &ScaleTable,
) -> AnnualPlanDraft {
    let last_year_coverage = last_year_required.map(|m| super::measure::Coverage {
        filed: last_year_reports.len(),
        required: m.len(),
    });
    let basis = basis_date(year, drafted_on);
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
            let own = last_year_required
                .map(|m| super::measure::mineral_coverage(plan, &c.mineral, m, last_year_reports));
            CapRoom {
                mineral: c.mineral.clone(),
                unit: c.unit,
                cap: c.value,
                licensed,
                licensable: r6((c.value - licensed).max(0.0)),
                last_year_extraction: (!last_year_coverage.is_some_and(|c| c.none_filed())
                    && !own.is_some_and(|c| c.none_filed()))
                .then_some(extraction),
                last_year_coverage: own.filter(|c| c.required > 0),
                cite: c.cite.to_string(),
                exceeded: licensed > c.value,
            }
        })
        .collect();
    let now = stats.holders.len();
    let mines = plan
        .admission
        .mine_cap_total
        .as_ref()
        .map(|c| (c.value, now, (c.value as usize).saturating_sub(now)));
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
            area_km2: b.computed_area_km2(),
            schematic: b.schematic,
        })
        .collect();
    let exceeded = plan
        .admission
        .caps
        .iter()
        .filter_map(|c| {
            let (v, unknown) = crate::review::caps::register_value(c, plan, register)?;
            let v = r6(v);
            (!c.comparison.holds(v, c.value)).then(|| CapExcess {
                cap: c.describe(),
                value: v,
                limit: c.value,
                unit: c.unit.symbol().to_string(),
                limit_label: c.limit_label(),
                soft: c.soft,
                unknown,
                cite: plan.cite_label(&c.cite),
            })
        })
        .collect::<Vec<_>>();
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
        drafted_on,
        period_notice: period_notice(plan, year),
        last_year_coverage: last_year_coverage.filter(|c| c.required > 0),
        exceeded,
        caps,
        mines,
        mines_this_level,
        open_blocks,
        expiring,
        restoration,
        notes: vec![
            format!(
                "数据截至{}：依据当日在册的有效采矿权、在审申请及 {} 年度矿山年度报告（{}）编制；可新增生产规模 = 开采总量调控指标 − 核定生产规模合计。",
                basis.chinese(),
                year - 1,
                last_year_coverage
                    .filter(|c| c.required > 0)
                    .map_or("该年没有应报矿山".to_string(), |c| c.label())
            ),
            "区块是否已设置矿业权按矿业权范围的内点是否落在区块内判断；区块图形为示意数据时须以正式图层复核。".into(),
        ],
    }
}

/// The statement heading an annual plan drafted for a year outside the plan period (`None`
/// inside it), e.g. for 2027 under a 2021—2025 plan:
/// `规划期已于2025年结束，2027年不在《…》的规划期（2021—2025年）内，尚未载入新一轮规划：…`.
pub fn period_notice(plan: &Plan, year: i32) -> Option<String> {
    let (start, end) = (plan.identity.period_start, plan.identity.period_end);
    let name = &plan.identity.name.value;
    if year > end {
        Some(format!(
            "规划期已于{end}年结束，{year}年不在《{name}》的规划期（{start}—{end}年）内，尚未载入新一轮规划：本计划仍按该规划的控制指标和区块编制，可新增生产规模等数字仅供参考，不作为投放和审批依据。"
        ))
    } else if year < start {
        Some(format!(
            "{year}年早于《{name}》的规划期（{start}—{end}年）：本计划按该规划的控制指标和区块编制，数字仅供参考。"
        ))
    } else {
        None
    }
}
