//! Every cap of the plan ([`crate::plan::Cap`]) evaluated for one application: whether it
//! applies (minerals, kind of mine, approval level, right kind, new mines only, sub-unit), the
//! count or extraction before and after approval, the rights whose attributes the register
//! does not know (named, never guessed), pending applications, and a soft cap's warning.
//! R6 reads the count caps, R7 the extraction caps (docs/rules.md; docs/plan-format.md
//! “控制指标”).

use super::{Evidence, Facts, ReviewContext, RuleOutcome};
use crate::application::{ApplicationKind, MiningMethod, RightKind};
use crate::citation::format_number;
use crate::plan::{Cap, CapMeasure, Comparison, LonLatPolygon, Plan, SubUnit};
use crate::rights::{MiningRight, RightStatus};
use crate::units::Unit;
use std::collections::{BTreeMap, BTreeSet, HashSet};

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

/// Whether a right may count against `cap`: it does, or the register cannot tell
/// ([`right_counts`] is not 否).
pub(crate) fn may_count(cap: &Cap, plan: &Plan, r: &MiningRight) -> bool {
    right_counts(cap, plan, r) != Tri::No
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

/// The holders of pending applications and how many pending entries each has, with the
/// number of them that hold no counted right: so that R6's “other pending applications would
/// add n enterprises” is a lookup per review, not a walk over every pending application.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PendingHolders {
    /// Holder key → pending entries.
    pub counts: BTreeMap<String, usize>,
    /// Holders in `counts` not among the held ones, as of the last [`PendingHolders::settle`].
    pub unheld: usize,
}

impl PendingHolders {
    /// One more pending entry of `holder`.
    pub fn add(&mut self, holder: &str) {
        *self.counts.entry(holder.to_string()).or_default() += 1;
    }

    /// One pending entry of `holder` fewer.
    pub fn remove(&mut self, holder: &str) {
        if let Some(n) = self.counts.get_mut(holder) {
            *n -= 1;
            if *n == 0 {
                self.counts.remove(holder);
            }
        }
    }

    /// Counts the holders that `held` does not hold; call after the last change.
    pub fn settle(&mut self, held: impl Fn(&str) -> bool) {
        self.unheld = self.counts.keys().filter(|h| !held(h)).count();
    }

    /// How many distinct holders other than `applicant` hold no counted right and have a
    /// pending entry that is not the application's own. `held` is what
    /// [`PendingHolders::settle`] was given; `dropped` the holders that no longer hold a
    /// counted right once the application's own entries are left out; `own` the holders of
    /// the application's own pending entries (one per entry).
    pub fn others(
        &self,
        held: impl Fn(&str) -> bool,
        dropped: &[&str],
        own: &[&str],
        applicant: &str,
    ) -> usize {
        let count = |h: &str| {
            self.counts
                .get(h)
                .copied()
                .unwrap_or(0)
                .saturating_sub(own.iter().filter(|o| **o == h).count())
        };
        let mut n = self.unheld;
        if self.counts.contains_key(applicant) && !held(applicant) {
            n = n.saturating_sub(1);
        }
        let mut seen: Vec<&str> = Vec::new();
        for &h in own {
            if h != applicant && !held(h) && !seen.contains(&h) && count(h) == 0 {
                n = n.saturating_sub(1);
            }
            seen.push(h);
        }
        for &h in dropped {
            if h != applicant && count(h) > 0 {
                n += 1;
            }
        }
        n
    }
}

/// One register entry as a count cap sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct TalliedRight {
    /// 许可证号, or the 申请编号 of a pending application.
    pub id: String,
    /// The key its holder is counted by: 统一社会信用代码, else the holder's name.
    pub holder: String,
}

/// The register as one count cap (矿山、矿业权或矿山企业数量) counts it: what R6 needs, gathered
/// once per register — [`RegisterStats`] keeps one per cap of the plan and changes it by one
/// entry when a saved review changes the register — instead of walking every right for
/// every cap of every review. The application's own entry is left out by R6 itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CountTally {
    /// Valid rights the cap counts, in register order.
    pub counted: Vec<TalliedRight>,
    /// Valid rights whose registered attributes do not tell whether the cap counts them,
    /// each with the reason (“开采方式未登记” …).
    pub unknown: Vec<(TalliedRight, String)>,
    /// Pending applications the cap would count, those reviewed 不符合 left out.
    pub pending: Vec<TalliedRight>,
    /// The holders of `counted`, each with how many of them it holds.
    pub holders: BTreeMap<String, usize>,
    /// The holders of `pending` ([`CountTally::settle`]d against `holders`).
    pub pending_holders: PendingHolders,
}

impl CountTally {
    /// The tally of `rights` for `cap` of `plan`.
    pub fn of(cap: &Cap, plan: &Plan, rights: &[MiningRight]) -> CountTally {
        let mut t = CountTally::default();
        for r in rights {
            t.add(cap, plan, r);
        }
        t.settle();
        t
    }

    /// Brings [`CountTally::pending_holders`] up to date after the last change.
    pub fn settle(&mut self) {
        let held = &self.holders;
        self.pending_holders.settle(|h| held.contains_key(h));
    }

    /// Counts one register entry, after those before it.
    pub fn add(&mut self, cap: &Cap, plan: &Plan, r: &MiningRight) {
        if !cap.measure.is_count() {
            return;
        }
        let entry = || TalliedRight {
            id: r.id.clone(),
            holder: holder(r).to_string(),
        };
        match (r.status, right_counts(cap, plan, r)) {
            (RightStatus::Valid, Tri::Yes) => {
                *self.holders.entry(holder(r).to_string()).or_default() += 1;
                self.counted.push(entry());
            }
            (RightStatus::Valid, Tri::Unknown) => {
                self.unknown.push((entry(), unknown_reason(cap, plan, r)))
            }
            (RightStatus::Pending, Tri::Yes) if !r.review_failed => {
                self.pending_holders.add(holder(r));
                self.pending.push(entry());
            }
            _ => {}
        }
    }

    /// Takes every entry numbered `id` out, wherever it stood.
    pub fn remove(&mut self, id: &str) {
        for t in self.counted.iter().filter(|t| t.id == id) {
            if let Some(n) = self.holders.get_mut(&t.holder) {
                *n -= 1;
                if *n == 0 {
                    self.holders.remove(&t.holder);
                }
            }
        }
        for t in self.pending.iter().filter(|t| t.id == id) {
            self.pending_holders.remove(&t.holder);
        }
        self.counted.retain(|t| t.id != id);
        self.unknown.retain(|u| u.0.id != id);
        self.pending.retain(|t| t.id != id);
    }
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
    // The plan unit's enterprise count over all minerals (the v1 矿山企业数量) is the
    // register's holder set, computed once per register ([`RegisterStats`]).
    let whole_unit_enterprises = cap.measure == CapMeasure::Enterprises
        && cap.subject == crate::plan::CapSubject::All
        && cap.filter == Default::default()
        && cap.scope.is_none();
    // The register as this cap counts it, gathered once per register; a cap the register's
    // statistics were not gathered for (another plan) is tallied here.
    let gathered;
    let tally = match ctx.stats.count_tally(ctx.plan, cap) {
        Some(t) => t,
        None => {
            gathered = CountTally::of(cap, ctx.plan, ctx.rights);
            &gathered
        }
    };
    // The application's own entry (a pending application reviewed again) is not counted.
    let not_own = |t: &&TalliedRight| t.id != app.number;
    let unknown: Vec<&(TalliedRight, String)> = tally
        .unknown
        .iter()
        .filter(|u| u.0.id != app.number)
        .collect();
    let (before, after, unknown_n, pending_n) = if whole_unit_enterprises {
        let held = &ctx.stats.holders;
        let own: Vec<&str> = ctx
            .stats
            .pending_mines
            .iter()
            .filter(|(id, _)| *id == app.number)
            .map(|(_, h)| h.as_str())
            .collect();
        let pend =
            ctx.stats
                .pending_mine_holders
                .others(|h| held.contains(h), &[], &own, applicant);
        (
            held.len(),
            held.len() + usize::from(!held.contains(applicant)),
            0,
            pend,
        )
    } else if cap.measure == CapMeasure::Enterprises {
        // Holders of the counted rights, less the application's own entry (rare: only when
        // a counted right bears the application's number).
        let mut own_held: BTreeMap<&str, usize> = BTreeMap::new();
        for t in tally.counted.iter().filter(|t| t.id == app.number) {
            *own_held.entry(t.holder.as_str()).or_default() += 1;
        }
        let holds = |h: &str| {
            tally
                .holders
                .get(h)
                .is_some_and(|n| *n > own_held.get(h).copied().unwrap_or(0))
        };
        let before = tally.holders.len()
            - own_held
                .iter()
                .filter(|(h, n)| tally.holders.get(**h) == Some(*n))
                .count();
        let after = before + usize::from(!holds(applicant));
        let unk: HashSet<&str> = unknown
            .iter()
            .map(|u| u.0.holder.as_str())
            .filter(|h| !holds(h) && *h != applicant)
            .collect();
        let dropped: Vec<&str> = own_held
            .iter()
            .filter(|(h, n)| tally.holders.get(**h) == Some(*n))
            .map(|(h, _)| *h)
            .collect();
        let own: Vec<&str> = tally
            .pending
            .iter()
            .filter(|t| t.id == app.number)
            .map(|t| t.holder.as_str())
            .collect();
        let pend = tally.pending_holders.others(
            |h| tally.holders.contains_key(h),
            &dropped,
            &own,
            applicant,
        );
        (before, after, unk.len(), pend)
    } else {
        let counted = tally.counted.iter().filter(not_own).count();
        (
            counted,
            counted + 1,
            unknown.len(),
            tally.pending.iter().filter(not_own).count(),
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
                .map(|u| u.1.as_str())
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
    if let Some(under) = ctx.stats.failed_under(ctx.plan, cap, &f.app.number) {
        return under;
    }
    ctx.stats
        .failed_pending
        .iter()
        .filter(|r| r.id != f.app.number && may_count(cap, ctx.plan, r))
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
    // The precomputed total names the first ten rights it could not convert.
    let mut skipped_names: &[String] = &[];
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
        skipped_names = &t.skipped_names;
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
    // The rights whose capacity does not convert: how many, and the first ten by name
    // (from the precomputed total, or from the walk above).
    let (unconvertible_n, unconvertible_names) = if skipped_names.is_empty() {
        (unconvertible.len(), names(&unconvertible))
    } else {
        (skipped, skipped_names.join("、"))
    };
    if unconvertible_n > 0 {
        evidence.push(Evidence::text(
            format!("{name}：规模单位无法换算"),
            unconvertible_names.clone(),
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
    } else if unconvertible_n > 0 {
        (
            RuleOutcome::ManualCheck,
            format!(
                "批准后{name}（可换算部分）{} {u}，另有 {} 宗采矿权规模单位无法换算为{}（{}），须换算后核验",
                format_number(round2(after)),
                unconvertible_n,
                yearly.symbol(),
                unconvertible_names
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

/// The capacity the application adds to the total of `mineral` in `unit`: its capacity,
/// minus the existing right's for 变更规模/延续 of the same right, both converted to `unit`
/// (千立方米/年 → 万立方米/年). `None` when the application's capacity does not convert
/// (another dimension) or there is none.
pub fn added_capacity(
    f: &Facts<'_>,
    ctx: &ReviewContext<'_>,
    mineral: &str,
    unit: Unit,
) -> Option<f64> {
    let app = f.app;
    if !app
        .minerals
        .iter()
        .any(|m| ctx.plan.minerals.is_kind_of(m, mineral))
    {
        return Some(0.0);
    }
    let cap = app
        .annual_capacity()
        .and_then(|c| crate::units::convert(c.value, c.unit, unit))?;
    let replaced = match (app.kind, app.change) {
        (
            crate::application::ApplicationKind::New
            | crate::application::ApplicationKind::ExplorationToMining,
            _,
        ) => 0.0,
        (
            crate::application::ApplicationKind::Change,
            Some(
                crate::application::ChangeKind::Scale
                | crate::application::ChangeKind::Mineral
                | crate::application::ChangeKind::Enlarge,
            ),
        )
        | (crate::application::ApplicationKind::Extension, _) => app
            .existing_right
            .as_deref()
            .and_then(|id| {
                ctx.rights
                    .iter()
                    .find(|r| r.id == id && r.status == RightStatus::Valid)
            })
            .and_then(|r| r.capacity)
            .and_then(|c| crate::units::convert(c.value, c.unit, unit))
            .unwrap_or(0.0),
        _ => return Some(0.0),
    };
    Some(cap - replaced)
}

#[cfg(test)]
mod tests {
    use super::PendingHolders;
    use std::collections::BTreeSet;

    /// `PendingHolders::others` gives what walking every pending entry gives, for every
    /// combination of held holders, the application's own entries, holders it drops and the
    /// applicant among four holders with up to two pending entries each.
    #[test]
    fn others_agrees_with_walking_the_pending_entries() {
        let names = ["甲", "乙", "丙", "丁"];
        let mut checked = 0;
        for code in 0..3u32.pow(4) * 16 * 4 {
            // Pending entries per holder (0–2), held set, applicant.
            let mut c = code;
            let mut entries: Vec<(String, &str)> = Vec::new();
            for (k, h) in names.iter().enumerate() {
                for e in 0..c % 3 {
                    entries.push((format!("{k}-{e}"), h));
                }
                c /= 3;
            }
            let held: BTreeSet<&str> = (0..4)
                .filter(|k| c >> k & 1 == 1)
                .map(|k| names[k])
                .collect();
            c /= 16;
            let applicant = names[(c % 4) as usize];
            // The application's own entries: every entry numbered `*-0` of 甲 and 丙; the
            // holders it drops: 乙 when held.
            let is_own = |id: &str, h: &str| id.ends_with("-0") && (h == "甲" || h == "丙");
            let dropped: Vec<&str> = held.iter().copied().filter(|h| *h == "乙").collect();
            let held_after = |h: &str| held.contains(h) && !dropped.contains(&h);
            let walked: BTreeSet<&str> = entries
                .iter()
                .filter(|(id, h)| !is_own(id, h) && !held_after(h) && *h != applicant)
                .map(|(_, h)| *h)
                .collect();
            let mut p = PendingHolders::default();
            for (_, h) in &entries {
                p.add(h);
            }
            p.settle(|h| held.contains(h));
            let own: Vec<&str> = entries
                .iter()
                .filter(|(id, h)| is_own(id, h))
                .map(|(_, h)| *h)
                .collect();
            assert_eq!(
                p.others(|h| held.contains(h), &dropped, &own, applicant),
                walked.len(),
                "{entries:?} held {held:?} applicant {applicant}"
            );
            checked += 1;
        }
        assert_eq!(checked, 81 * 16 * 4);
    }
}
