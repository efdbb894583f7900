//! Every cap of the plan ([`crate::plan::Cap`]) evaluated for one application: whether it
//! applies (minerals, kind of mine, approval level, right kind, new mines only, sub-unit), the
//! count or extraction before and after approval, the rights whose attributes the register
//! does not know (named, never guessed), pending applications, and a soft cap's warning.
//! R6 reads the count caps, R7 the extraction caps (docs/rules.md; docs/plan-format.md
//! “控制指标”).

use super::indicators::added_capacity;
use super::{Evidence, Facts, ReviewContext, RuleOutcome};
use crate::application::{ApplicationKind, MiningMethod, RightKind};
use crate::citation::format_number;
use crate::plan::{Cap, CapMeasure, Comparison, LonLatPolygon, Plan, SubUnit};
use crate::rights::{MiningRight, RightStatus};
use crate::units::Unit;
use std::collections::{BTreeSet, HashSet};

/// One cap's verdict for one application.
#[derive(Debug, Clone)]
pub struct CapCheck {
    /// 符合 / 不符合 / 需人工核查.
    pub outcome: RuleOutcome,
    /// The sentence for the rule's message.
    pub message: String,
    /// Evidence lines, each prefixed with the cap's name.
    pub evidence: Vec<Evidence>,
}

/// Whether a fact is known to hold, known not to hold, or unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tri {
    Yes,
    No,
    Unknown,
}

fn tri(known: Option<bool>) -> Tri {
    match known {
        Some(true) => Tri::Yes,
        Some(false) => Tri::No,
        None => Tri::Unknown,
    }
}

fn and(a: Tri, b: Tri) -> Tri {
    match (a, b) {
        (Tri::No, _) | (_, Tri::No) => Tri::No,
        (Tri::Yes, Tri::Yes) => Tri::Yes,
        _ => Tri::Unknown,
    }
}

/// The sub-unit a geometry lies in: the one containing the centroid of its largest exterior
/// ring (lon/lat, CGCS2000); `None` when no outline contains it or there is no geometry.
pub fn sub_unit_of<'a>(geometry: &[LonLatPolygon], units: &'a [SubUnit]) -> Option<&'a str> {
    let ring = geometry
        .iter()
        .filter_map(|p| p.first())
        .max_by(|a, b| ring_area(a).total_cmp(&ring_area(b)))?;
    let c = centroid(ring)?;
    units
        .iter()
        .find(|u| {
            u.outline.iter().any(|poly| {
                let mut rings = poly
                    .iter()
                    .map(|r| r.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>());
                let Some(outer) = rings.next() else {
                    return false;
                };
                minplan_geo::corners::point_in_ring(c, &outer)
                    && !rings.any(|h| minplan_geo::corners::point_in_ring(c, &h))
            })
        })
        .map(|u| u.name.as_str())
}

fn ring_area(r: &[[f64; 2]]) -> f64 {
    let n = r.len();
    (0..n)
        .map(|i| {
            let (a, b) = (r[i], r[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum::<f64>()
        .abs()
        / 2.0
}

fn centroid(r: &[[f64; 2]]) -> Option<(f64, f64)> {
    let n = r.len();
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (p, q) = (r[i], r[(i + 1) % n]);
        let cross = p[0] * q[1] - q[0] * p[1];
        a += cross;
        cx += (p[0] + q[0]) * cross;
        cy += (p[1] + q[1]) * cross;
    }
    if a.abs() < 1e-18 {
        return None;
    }
    Some((cx / (3.0 * a), cy / (3.0 * a)))
}

/// Whether the plan's sub-units have outlines to place rights in.
fn outlines(plan: &Plan) -> bool {
    plan.region.sub_units.iter().any(|u| !u.outline.is_empty())
}

/// The application's sub-unit: from its geometry when the bundle has outlines, else as
/// declared (`sub_unit`); `None` when neither tells.
fn app_sub_unit(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> Option<String> {
    if outlines(ctx.plan) {
        let g = ctx.spatial.to_lonlat(f.subject.geometry());
        if let Some(u) = sub_unit_of(&g, &ctx.plan.region.sub_units) {
            return Some(u.to_string());
        }
    }
    f.app.sub_unit.clone()
}

/// Whether a right counts against `cap` (subject, filter, scope), with the register's
/// unknowns kept unknown.
fn right_counts(cap: &Cap, plan: &Plan, r: &MiningRight) -> Tri {
    if !r
        .minerals
        .iter()
        .any(|m| cap.subject.covers(&plan.minerals, m))
    {
        return Tri::No;
    }
    let mut t = Tri::Yes;
    if let Some(k) = cap.filter.right_kind
        && r.kind != k
    {
        return Tri::No;
    }
    if cap.measure != CapMeasure::Rights && r.kind != RightKind::Mining {
        return Tri::No;
    }
    if let Some(m) = cap.filter.method {
        t = and(t, tri(r.mining_method.map(|x| method_matches(x, m))));
    }
    if let Some(a) = cap.filter.approval {
        t = and(t, tri(r.approval.map(|x| x == a)));
    }
    if let Some(scope) = &cap.scope {
        t = and(t, tri(right_sub_unit(plan, r).map(|u| u == scope)));
    }
    t
}

/// The sub-unit a right lies in: by its geometry when the bundle has outlines, else as the
/// register records it.
fn right_sub_unit<'a>(plan: &'a Plan, r: &'a MiningRight) -> Option<&'a str> {
    outlines(plan)
        .then(|| sub_unit_of(&r.geometry, &plan.region.sub_units))
        .flatten()
        .or(r.sub_unit.as_deref())
}

/// The key a right's holder is counted by: 统一社会信用代码, else the name.
fn holder(r: &MiningRight) -> &str {
    r.credit_code.as_deref().unwrap_or(r.holder_name.as_str())
}

/// Whether a mine worked by `method` is of the kind `wanted`: 露天/地下联合 is both an
/// open-pit and an underground mine (as R11 treats it as open-pit).
fn method_matches(method: MiningMethod, wanted: MiningMethod) -> bool {
    method == wanted
        || (method == MiningMethod::Combined
            && matches!(wanted, MiningMethod::OpenPit | MiningMethod::Underground))
}

/// What the register does not know about a right, for the message.
fn unknown_reason(cap: &Cap, plan: &Plan, r: &MiningRight) -> String {
    let mut why = Vec::new();
    if cap.filter.method.is_some() && r.mining_method.is_none() {
        why.push("开采方式未登记");
    }
    if cap.filter.approval.is_some() && r.approval.is_none() {
        why.push("审批级别未登记");
    }
    if cap.scope.is_some() {
        why.push(if outlines(plan) {
            if r.geometry.is_empty() {
                "无范围且未登记所在单元"
            } else {
                "范围不在任何已登记单元内，且未登记所在单元"
            }
        } else {
            "数据包无下级单元界线，登记簿未记所在单元"
        });
    }
    format!("{}（{}）", r.name, why.join("、"))
}

/// How the application stands against the cap's filter: `No` = the cap does not concern
/// it; `Unknown` = it cannot be told (with why).
fn app_matches(cap: &Cap, f: &Facts<'_>, ctx: &ReviewContext<'_>) -> (Tri, Vec<String>) {
    let app = f.app;
    let plan = ctx.plan;
    let mut why = Vec::new();
    if !app
        .minerals
        .iter()
        .any(|m| cap.subject.covers(&plan.minerals, m))
    {
        return (Tri::No, why);
    }
    if let Some(k) = cap.filter.right_kind
        && app.right_kind != k
    {
        return (Tri::No, why);
    }
    if cap.filter.new_only && !app.creates_mine() {
        return (Tri::No, why);
    }
    let mut t = Tri::Yes;
    if let Some(m) = cap.filter.method {
        let k = app.mining_method.map(|x| method_matches(x, m));
        if k.is_none() {
            why.push("申请未载明开采方式".to_string());
        }
        t = and(t, tri(k));
    }
    if let Some(a) = cap.filter.approval {
        t = and(t, tri(Some(f.approval(plan) == Some(a))));
    }
    if let Some(scope) = &cap.scope {
        let unit = app_sub_unit(f, ctx);
        if unit.is_none() {
            why.push(if outlines(plan) {
                "申请范围不在任何已登记的下级单元内，且未申报所在单元（sub_unit）".to_string()
            } else {
                "数据包无下级单元界线，申请未申报所在单元（sub_unit）".to_string()
            });
        }
        t = and(t, tri(unit.map(|u| &u == scope)));
    }
    (t, why)
}

fn exceeds(cap: &Cap, v: f64) -> bool {
    match cap.comparison {
        Comparison::Lt => v >= cap.value - 1e-9,
        _ => v > cap.value + 1e-9,
    }
}

/// The verdict when the total after approval exceeds the cap: 不符合, or for a soft cap
/// 需人工核查 with 预警.
fn over(cap: &Cap, sentence: String) -> (RuleOutcome, String) {
    if cap.soft {
        (
            RuleOutcome::ManualCheck,
            format!(
                "预警：{sentence}（规划用语“{}”，为软性控制，不作否决，须说明理由）",
                cap.wording
                    .as_deref()
                    .or(cap.soft_word.as_deref())
                    .unwrap_or("左右")
            ),
        )
    } else {
        (RuleOutcome::Fail, sentence)
    }
}

fn cap_name(cap: &Cap) -> String {
    let mut n = cap.label.clone();
    if let Some(s) = &cap.scope
        && !n.contains(s.as_str())
    {
        n = format!("{s}{n}");
    }
    n
}

/// The cap as an evidence line: its number, shown as the plan sets it (`约 10 个` when soft).
fn limit_evidence(label: String, cap: &Cap) -> Evidence {
    Evidence {
        label,
        value: limit_text(cap),
        number: Some(cap.value),
    }
}

fn limit_text(cap: &Cap) -> String {
    cap.limit_label()
}

/// Evaluates a count cap (矿山数, 矿业权数, 矿山企业数). `None` when it does not concern the
/// application (other minerals, kind, level, sub-unit, or the application adds nothing).
pub fn count_cap(cap: &Cap, f: &Facts<'_>, ctx: &ReviewContext<'_>) -> Option<CapCheck> {
    let app = f.app;
    let adds = match cap.measure {
        CapMeasure::Mines | CapMeasure::Enterprises => app.creates_mine(),
        CapMeasure::Rights => {
            app.kind == ApplicationKind::New
                || (app.kind == ApplicationKind::ExplorationToMining
                    && cap.filter.right_kind == Some(RightKind::Mining))
        }
        _ => return None,
    };
    if !adds {
        return None;
    }
    let (m, why) = app_matches(cap, f, ctx);
    let name = cap_name(cap);
    let u = cap.unit.symbol();
    if m == Tri::No {
        return None;
    }
    let applicant = app.credit_code.as_str();
    let mut counted: Vec<&MiningRight> = Vec::new();
    let mut unknown: Vec<&MiningRight> = Vec::new();
    let mut pending: Vec<&MiningRight> = Vec::new();
    // The plan unit's enterprise count over all minerals (the v1 矿山企业数量) is the
    // register's holder set, computed once per register ([`RegisterStats`]).
    let whole_unit_enterprises = cap.measure == CapMeasure::Enterprises
        && cap.subject == crate::plan::CapSubject::All
        && cap.filter == Default::default()
        && cap.scope.is_none();
    if !whole_unit_enterprises {
        for r in ctx.rights {
            if r.id == app.number {
                continue;
            }
            match (r.status, right_counts(cap, ctx.plan, r)) {
                (RightStatus::Valid, Tri::Yes) => counted.push(r),
                (RightStatus::Valid, Tri::Unknown) => unknown.push(r),
                (RightStatus::Pending, Tri::Yes) if !r.review_failed => pending.push(r),
                _ => {}
            }
        }
    }
    let (before, after, unknown_n, pending_n) = if whole_unit_enterprises {
        let held = &ctx.stats.holders;
        let pend: HashSet<&str> = ctx
            .stats
            .pending_mines
            .iter()
            .filter(|(id, h)| *id != app.number && !held.contains(h) && h != applicant)
            .map(|(_, h)| h.as_str())
            .collect();
        (
            held.len(),
            held.len() + usize::from(!held.contains(applicant)),
            0,
            pend.len(),
        )
    } else if cap.measure == CapMeasure::Enterprises {
        let held: HashSet<&str> = counted.iter().map(|r| holder(r)).collect();
        let unk: HashSet<&str> = unknown
            .iter()
            .map(|r| holder(r))
            .filter(|h| !held.contains(h) && *h != applicant)
            .collect();
        let after = held.len() + usize::from(!held.contains(applicant));
        let pend: HashSet<&str> = pending
            .iter()
            .map(|r| holder(r))
            .filter(|h| !held.contains(h) && *h != applicant)
            .collect();
        (held.len(), after, unk.len(), pend.len())
    } else {
        (
            counted.len(),
            counted.len() + 1,
            unknown.len(),
            pending.len(),
        )
    };
    let failed = failed_pending(cap, f, ctx);
    let mut evidence = vec![
        Evidence::num(format!("{name}：现有"), before as f64, 0, u),
        Evidence::num(format!("{name}：批准后"), after as f64, 0, u),
        limit_evidence(format!("{name}：规划控制数"), cap),
    ];
    if pending_n > 0 {
        evidence.push(Evidence::num(
            format!("{name}：其他在审申请"),
            pending_n as f64,
            0,
            u,
        ));
    }
    if unknown_n > 0 {
        evidence.push(Evidence::text(
            format!("{name}：无法判定是否计入"),
            unknown
                .iter()
                .take(10)
                .map(|r| unknown_reason(cap, ctx.plan, r))
                .collect::<Vec<_>>()
                .join("；"),
        ));
    }
    evidence.extend(failed_evidence(&name, &failed));
    if m == Tri::Unknown {
        return Some(CapCheck {
            outcome: RuleOutcome::ManualCheck,
            message: format!(
                "无法判定本申请是否计入{name}（{}）：{}",
                limit_text(cap),
                why.join("；")
            ),
            evidence,
        });
    }
    let (outcome, message) = if exceeds(cap, after as f64) {
        over(
            cap,
            format!(
                "批准后{name} {after} {u}，超过规划控制的 {}",
                limit_text(cap)
            ),
        )
    } else if unknown_n > 0 && exceeds(cap, (after + unknown_n) as f64) {
        (
            RuleOutcome::ManualCheck,
            format!(
                "批准后{name} {after} {u}，另有 {unknown_n} 宗无法判定是否计入，计入后将超过 {}",
                limit_text(cap)
            ),
        )
    } else if exceeds(cap, (after + pending_n) as f64) {
        (
            RuleOutcome::ManualCheck,
            format!(
                "批准后{name} {after} {u} 未超过 {}，但连同其他在审申请将达 {} {u}，须统筹审批顺序",
                limit_text(cap),
                after + pending_n
            ),
        )
    } else {
        (
            RuleOutcome::Pass,
            format!("批准后{name} {after} {u}，不超过 {}", limit_text(cap)),
        )
    };
    Some(CapCheck {
        outcome,
        message: with_failed_note(message, &failed),
        evidence,
    })
}

/// Pending applications reviewed 不符合 that the cap would concern (not the application
/// itself): left out of the pending count, named in the evidence.
fn failed_pending<'a>(
    cap: &Cap,
    f: &Facts<'_>,
    ctx: &'a ReviewContext<'_>,
) -> Vec<&'a MiningRight> {
    ctx.stats
        .failed_pending
        .iter()
        .filter(|r| r.id != f.app.number && right_counts(cap, ctx.plan, r) != Tri::No)
        .collect()
}

/// The sentence on pending applications reviewed 不符合: `另有 n 件在审申请经审查不符合，未计入`.
fn failed_sentence(failed: &[&MiningRight]) -> String {
    format!("另有 {} 件在审申请经审查不符合，未计入", failed.len())
}

/// The evidence line naming the pending applications reviewed 不符合 (none when there are
/// none): the sentence, then up to ten as `项目名称（申请编号）`.
fn failed_evidence(name: &str, failed: &[&MiningRight]) -> Option<Evidence> {
    (!failed.is_empty()).then(|| {
        let listed: Vec<String> = failed
            .iter()
            .take(10)
            .map(|r| {
                if r.name.trim().is_empty() {
                    r.id.clone()
                } else {
                    format!("{}（{}）", r.name, r.id)
                }
            })
            .collect();
        Evidence::text(
            format!("{name}：未计入的在审申请"),
            format!("{}：{}", failed_sentence(failed), listed.join("、")),
        )
    })
}

fn with_failed_note(message: String, failed: &[&MiningRight]) -> String {
    if failed.is_empty() {
        message
    } else {
        format!("{message}（{}）", failed_sentence(failed))
    }
}

/// The yearly unit of a quantity unit (万吨 → 万吨/年), for caps over the period.
fn per_year_unit(unit: Unit) -> Option<Unit> {
    unit.per_year()
}

/// A right's capacity in `yearly` (千立方米/年 → 万立方米/年); `None` across dimensions.
fn capacity_in(r: &MiningRight, yearly: Unit) -> Option<f64> {
    r.capacity
        .and_then(|c| crate::units::convert(c.value, c.unit, yearly))
}

/// Evaluates an extraction cap (年开采量, 规划期开采总量). `None` when it does not concern the
/// application (other minerals, kind, level, sub-unit).
pub fn extraction_cap(cap: &Cap, f: &Facts<'_>, ctx: &ReviewContext<'_>) -> Option<CapCheck> {
    let app = f.app;
    let plan = ctx.plan;
    let (m, why) = app_matches(cap, f, ctx);
    if m == Tri::No {
        return None;
    }
    let name = cap_name(cap);
    let years = match cap.measure {
        CapMeasure::ExtractionPerYear => 1.0,
        CapMeasure::ExtractionOverPeriod => {
            f64::from(plan.identity.period_end - plan.identity.period_start + 1)
        }
        _ => return None,
    };
    // The yearly unit capacities must be in.
    let yearly = if cap.measure == CapMeasure::ExtractionPerYear {
        Some(cap.unit)
    } else {
        per_year_unit(cap.unit)
    };
    let Some(yearly) = yearly else {
        return Some(CapCheck {
            outcome: RuleOutcome::ManualCheck,
            message: format!("{name}的单位“{}”无法与年生产规模对应", cap.unit.symbol()),
            evidence: vec![],
        });
    };
    let u = cap.unit.symbol();
    let (mut before, mut n, mut skipped, mut pending) = (0.0, 0usize, 0usize, 0.0);
    // Rights the register cannot convert (万立方米 against 万吨) or that ended during the
    // period (their output counts against a cap over the period): named, never left out
    // silently.
    let mut unconvertible: Vec<&MiningRight> = Vec::new();
    let mut ended: Vec<&MiningRight> = Vec::new();
    let mut unknown: Vec<&MiningRight> = Vec::new();
    let simple = matches!(cap.subject, crate::plan::CapSubject::Mineral(_))
        && cap.filter == Default::default()
        && cap.scope.is_none();
    if let (true, crate::plan::CapSubject::Mineral(mineral)) = (simple, &cap.subject)
        && let Some(t) = ctx.stats.total(mineral, yearly)
    {
        (before, n, skipped, pending) =
            (t.valid, t.valid_n, t.skipped, t.pending_except(&app.number));
    } else {
        for r in ctx.rights.iter().filter(|r| r.kind == RightKind::Mining) {
            if r.id == app.number {
                continue;
            }
            match (r.status, right_counts(cap, plan, r), capacity_in(r, yearly)) {
                (RightStatus::Valid, Tri::Yes, Some(v)) => {
                    before += v;
                    n += 1;
                }
                (RightStatus::Valid, Tri::Yes, None) => {
                    skipped += 1;
                    unconvertible.push(r);
                }
                (RightStatus::Valid, Tri::Unknown, _) => unknown.push(r),
                (RightStatus::Pending, Tri::Yes, Some(v)) if !r.review_failed => pending += v,
                (RightStatus::Expired | RightStatus::Cancelled, Tri::Yes | Tri::Unknown, _)
                    if cap.measure == CapMeasure::ExtractionOverPeriod =>
                {
                    ended.push(r)
                }
                _ => {}
            }
        }
    }
    if simple && skipped > 0 {
        // The precomputed total only counts them: find them for the message.
        unconvertible = ctx
            .rights
            .iter()
            .filter(|r| {
                r.status == RightStatus::Valid
                    && r.kind == RightKind::Mining
                    && right_counts(cap, plan, r) == Tri::Yes
                    && capacity_in(r, yearly).is_none()
            })
            .collect();
    }
    if simple && cap.measure == CapMeasure::ExtractionOverPeriod {
        ended = ctx
            .rights
            .iter()
            .filter(|r| {
                matches!(r.status, RightStatus::Expired | RightStatus::Cancelled)
                    && r.kind == RightKind::Mining
                    && right_counts(cap, plan, r) != Tri::No
            })
            .collect();
    }
    let mineral_for_add = match &cap.subject {
        crate::plan::CapSubject::Mineral(m) => m.clone(),
        _ => app.minerals.first().cloned().unwrap_or_default(),
    };
    let add = if app.capacity.is_none() {
        Some(0.0)
    } else {
        added_capacity(f, ctx, &mineral_for_add, yearly)
    };
    let failed = failed_pending(cap, f, ctx);
    let mut evidence = Vec::new();
    let Some(add) = add else {
        return Some(CapCheck {
            outcome: RuleOutcome::ManualCheck,
            message: format!(
                "申请规模单位与{name}（{}）不同，须换算后核验",
                yearly.symbol()
            ),
            evidence,
        });
    };
    // Over the period the new mine adds its output for the years left from its 受理 year.
    let add_years = if cap.measure == CapMeasure::ExtractionOverPeriod {
        let from = app
            .received
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse::<i32>().ok())
            .unwrap_or(plan.identity.period_start)
            .max(plan.identity.period_start);
        f64::from((plan.identity.period_end - from + 1).max(0))
    } else {
        1.0
    };
    let before_t = before * years;
    let after = before * years + add * add_years;
    let pending_t = pending * years;
    if cap.measure == CapMeasure::ExtractionOverPeriod {
        evidence.push(Evidence::text(
            format!("{name}：计算方法"),
            format!(
                "按有效采矿权设计生产规模×规划期 {} 年（{}—{}）估算；本申请按受理当年起至规划期末 {} 年计",
                years, plan.identity.period_start, plan.identity.period_end, add_years
            ),
        ));
    }
    evidence.push(Evidence::num(
        format!("{name}：现有有效采矿权规模合计（{n} 宗）"),
        before_t,
        2,
        u,
    ));
    evidence.push(Evidence::num(format!("{name}：批准后合计"), after, 2, u));
    evidence.push(limit_evidence(format!("{name}：规划调控指标"), cap));
    if pending_t > 0.0 {
        evidence.push(Evidence::num(
            format!("{name}：其他在审申请规模"),
            pending_t,
            2,
            u,
        ));
    }
    if skipped > 0 {
        evidence.push(Evidence::text(
            format!("{name}：未计入"),
            format!("{skipped} 宗采矿权规模单位不同"),
        ));
    }
    if !unknown.is_empty() {
        evidence.push(Evidence::text(
            format!("{name}：无法判定是否计入"),
            unknown
                .iter()
                .take(10)
                .map(|r| unknown_reason(cap, plan, r))
                .collect::<Vec<_>>()
                .join("；"),
        ));
    }
    let names = |rs: &[&MiningRight]| {
        rs.iter()
            .take(10)
            .map(|r| r.name.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    if !unconvertible.is_empty() {
        evidence.push(Evidence::text(
            format!("{name}：规模单位无法换算"),
            names(&unconvertible),
        ));
    }
    if !ended.is_empty() {
        evidence.push(Evidence::text(
            format!("{name}：规划期内曾有效、现已过期或注销"),
            names(&ended),
        ));
    }
    evidence.extend(failed_evidence(&name, &failed));
    if m == Tri::Unknown {
        return Some(CapCheck {
            outcome: RuleOutcome::ManualCheck,
            message: format!(
                "无法判定本申请是否计入{name}（{}）：{}",
                limit_text(cap),
                why.join("；")
            ),
            evidence,
        });
    }
    let unknown_cap: f64 = unknown
        .iter()
        .filter_map(|r| capacity_in(r, yearly))
        .sum::<f64>()
        * years;
    let (outcome, message) = if exceeds(cap, after) {
        over(
            cap,
            format!(
                "批准后{name} {} {u}，超过调控指标 {}",
                format_number(round2(after)),
                limit_text(cap)
            ),
        )
    } else if !unknown.is_empty() && exceeds(cap, after + unknown_cap) {
        (
            RuleOutcome::ManualCheck,
            format!(
                "批准后{name} {} {u}，另有 {} 宗无法判定是否计入，计入后将超过 {}",
                format_number(round2(after)),
                unknown.len(),
                limit_text(cap)
            ),
        )
    } else if !unconvertible.is_empty() {
        (
            RuleOutcome::ManualCheck,
            format!(
                "批准后{name}（可换算部分）{} {u}，另有 {} 宗采矿权规模单位无法换算为{}（{}），须换算后核验",
                format_number(round2(after)),
                unconvertible.len(),
                yearly.symbol(),
                names(&unconvertible)
            ),
        )
    } else if !ended.is_empty() {
        (
            RuleOutcome::ManualCheck,
            format!(
                "批准后{name}按现有有效采矿权估算 {} {u}，规划期内曾有效、现已过期或注销的 {} 宗采矿权（{}）的开采量未计入，须按其年度报告核定",
                format_number(round2(after)),
                ended.len(),
                names(&ended)
            ),
        )
    } else if add > 0.0 && exceeds(cap, after + pending_t) {
        // Only an application that adds output competes with the others pending: a
        // transfer (or a change that adds nothing) leaves the total as it is.
        (
            RuleOutcome::ManualCheck,
            format!(
                "批准后{name} {} {u} 未超指标，但连同在审申请将达 {} {u}",
                format_number(round2(after)),
                format_number(round2(after + pending_t))
            ),
        )
    } else {
        (
            RuleOutcome::Pass,
            format!(
                "批准后{name} {} {u}，不超过调控指标 {}",
                format_number(round2(after)),
                limit_text(cap)
            ),
        )
    };
    let _ = before_t;
    Some(CapCheck {
        outcome,
        message: with_failed_note(message, &failed),
        evidence,
    })
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Whether the cap restates a v1 admission field (`extraction_caps`, `mine_cap_total`,
/// `mine_cap_this_level`), which monitoring checks on its own terms.
pub fn from_admission(cap: &Cap) -> bool {
    cap.key == "mine_cap_total"
        || cap.key == "mine_cap_this_level"
        || cap.key.starts_with("extraction_")
}

/// A cap's value in the register as it stands (no application): the count, or the Σ of
/// design capacities (× the period's years for a cap over the period), with the number of
/// valid rights whose attributes do not tell whether they count. `None` when the cap's unit
/// has no yearly form.
pub fn register_value(cap: &Cap, plan: &Plan, rights: &[MiningRight]) -> Option<(f64, usize)> {
    let valid = rights.iter().filter(|r| r.status == RightStatus::Valid);
    let mut unknown = 0;
    let mut counted: Vec<&MiningRight> = Vec::new();
    for r in valid {
        match right_counts(cap, plan, r) {
            Tri::Yes => counted.push(r),
            Tri::Unknown => unknown += 1,
            Tri::No => {}
        }
    }
    let v = match cap.measure {
        CapMeasure::Mines | CapMeasure::Rights => counted.len() as f64,
        CapMeasure::Enterprises => counted
            .iter()
            .map(|r| {
                r.credit_code
                    .clone()
                    .unwrap_or_else(|| r.holder_name.clone())
            })
            .collect::<BTreeSet<_>>()
            .len() as f64,
        CapMeasure::ExtractionPerYear | CapMeasure::ExtractionOverPeriod => {
            let years = if cap.measure == CapMeasure::ExtractionPerYear {
                1.0
            } else {
                f64::from(plan.identity.period_end - plan.identity.period_start + 1)
            };
            let yearly = if cap.measure == CapMeasure::ExtractionPerYear {
                cap.unit
            } else {
                per_year_unit(cap.unit)?
            };
            counted
                .iter()
                .filter(|r| r.kind == RightKind::Mining)
                .filter_map(|r| capacity_in(r, yearly))
                .sum::<f64>()
                * years
        }
    };
    Some((v, unknown))
}

/// A cap's name as evidence lines and reminders start (`甲县采矿权宗数`).
pub fn display_name(cap: &Cap) -> String {
    cap_name(cap)
}

/// Combines cap verdicts: 不符合 over 需人工核查 over 符合.
pub fn worst(a: RuleOutcome, b: RuleOutcome) -> RuleOutcome {
    use RuleOutcome::*;
    match (a, b) {
        (Fail, _) | (_, Fail) => Fail,
        (ManualCheck, _) | (_, ManualCheck) => ManualCheck,
        (Pass, _) | (_, Pass) => Pass,
        _ => NotApplicable,
    }
}
