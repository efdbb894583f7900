//! The plan's indicators before and after approving an application (what-if): mine counts,
//! extraction totals per capped mineral, and 大中型矿山比例 by the production-scale table.
//! R6 and R7 use the same counts.

use super::caps::{CountTally, PendingHolders, added_capacity};
use super::{Facts, ReviewContext};
use crate::application::Quantity;
use crate::citation::{Citation, format_number};
use crate::plan::{ApprovalLevel, Comparison, Metric};
use crate::rights::{MiningRight, RightStatus};
use crate::units::{Unit, convert};
use serde::Serialize;
use std::collections::BTreeSet;

/// One indicator before and after approval.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorWhatIf {
    /// Indicator name, e.g. `矿山企业数量`.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// Target as printed, e.g. `≤3`.
    pub target: String,
    /// Value now (valid rights only).
    pub before: Option<f64>,
    /// Value if this application is approved.
    pub after: Option<f64>,
    /// Whether the target holds now.
    pub holds_before: Option<bool>,
    /// Whether it holds after approval.
    pub holds_after: Option<bool>,
    /// Remark (e.g. mines whose scale class is unknown).
    pub note: String,
    /// Where the target is set.
    pub cite: Citation,
}

fn holder_key(r: &MiningRight) -> String {
    r.credit_code
        .clone()
        .unwrap_or_else(|| r.holder_name.clone())
}

/// Σ capacity of one mineral (and its kinds) in one unit.
#[derive(Debug, Clone)]
pub struct MineralTotal {
    /// Mineral.
    pub mineral: String,
    /// Unit of the total.
    pub unit: Unit,
    /// Σ over valid mining rights.
    pub valid: f64,
    /// Valid rights counted.
    pub valid_n: usize,
    /// Valid rights of the mineral skipped for another unit.
    pub skipped: usize,
    /// The names (矿山名称) of the first ten of them, in register order: R7 names them.
    pub skipped_names: Vec<String>,
    /// Pending applications' capacities, by application number.
    pub pending: Vec<(String, f64)>,
}

impl MineralTotal {
    /// Σ of pending applications other than `own`.
    pub fn pending_except(&self, own: &str) -> f64 {
        self.pending
            .iter()
            .filter(|(id, _)| id != own)
            .map(|(_, v)| v)
            .sum()
    }
}

/// What every review needs from the register, computed once per register (not per review):
/// holders, counts, capacity totals per capped mineral, scale classes.
#[derive(Debug, Clone, Default)]
pub struct RegisterStats {
    /// Distinct holders of valid mining rights (矿山企业).
    pub holders: BTreeSet<String>,
    /// Valid mining rights approved at this level.
    pub this_level: usize,
    /// Pending mining applications that would add a mine: (application number, holder);
    /// those reviewed 不符合 are not among them ([`RegisterStats::failed_pending`]).
    pub pending_mines: Vec<(String, String)>,
    /// The holders of `pending_mines`, settled against `holders`.
    pub pending_mine_holders: PendingHolders,
    /// Pending applications (mining or exploration) whose latest review is 不符合: left out
    /// of every pending count and total, named by R6/R7 (“另有 n 件在审申请经审查不符合，
    /// 未计入”).
    pub failed_pending: Vec<MiningRight>,
    /// For each of `failed_pending`, whether it falls under each cap of the plan
    /// (`plan.admission.caps`, in order): worked out once per entry, not per review and cap
    /// (a county's register may hold hundreds). Use [`RegisterStats::failed_under`].
    pub failed_caps: Vec<Vec<bool>>,
    /// Capacity totals per mineral the plan caps or measures.
    pub totals: Vec<MineralTotal>,
    /// Valid mines by scale class.
    pub scale_counts: ScaleCounts,
    /// The register as each cap of the plan (`plan.admission.caps`, in order) counts it;
    /// filled for the count caps only (R6). Use [`RegisterStats::count_tally`].
    pub count_tallies: Vec<CountTally>,
}

/// Valid mines by scale class (国土资发〔2004〕208号 table, [`super::config::ScaleTable`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScaleCounts {
    /// Classified 大型 or 中型.
    pub large_or_medium: usize,
    /// Classified at all.
    pub classified: usize,
    /// Mines that could not be classified, by name, with the reason.
    pub unclassified: Vec<UnclassifiedMine>,
}

/// How many mines [`ScaleCounts::unclassified_note`] names.
const NAMED_AT_MOST: usize = 10;

/// Large-or-medium ÷ classified, %; `None` without a classified mine.
fn ratio(large_or_medium: usize, classified: usize) -> Option<f64> {
    (classified > 0).then(|| large_or_medium as f64 / classified as f64 * 100.0)
}

/// A mine whose scale class is unknown.
#[derive(Debug, Clone, PartialEq)]
pub struct UnclassifiedMine {
    /// 矿山名称 (or 许可证号 when the name is empty).
    pub name: String,
    /// Why.
    pub reason: super::config::Unclassified,
}

impl ScaleCounts {
    /// 大中型矿山比例 (%) of the classified mines; `None` when none is classified (the ratio
    /// is then 无法判定, never 0 or 100).
    pub fn ratio(&self) -> Option<f64> {
        ratio(self.large_or_medium, self.classified)
    }

    /// [`ScaleCounts::ratio`] with one more mine of `class` (a 新立 application), and whether
    /// a mine is then left out (the ratio unsure): the counts are not copied (a county's
    /// register may list thousands of unclassified mines).
    pub fn ratio_with(
        &self,
        class: Result<super::config::ScaleClass, super::config::Unclassified>,
    ) -> (Option<f64>, bool) {
        match class {
            Ok(c) => (
                ratio(
                    self.large_or_medium + usize::from(c != super::config::ScaleClass::Small),
                    self.classified + 1,
                ),
                !self.unclassified.is_empty(),
            ),
            Err(_) => (self.ratio(), true),
        }
    }

    /// The note on mines left out: `n 座无法判定规模（名称（原因）、…），比例按可判定的 m 座
    /// 计算`, or, when none can be classified, `… 无法判定比例`; empty when every mine is
    /// classified. At most ten mines are named (`…（原因）等`).
    pub fn unclassified_note(&self) -> String {
        let n = self.unclassified.len();
        if n == 0 {
            return String::new();
        }
        // The first ten by name, then 等: a county's register may hold hundreds (each with its
        // reason on the indicator's own page).
        let mut names: Vec<String> = self
            .unclassified
            .iter()
            .take(NAMED_AT_MOST)
            .map(|u| format!("{}（{}）", u.name, u.reason.label()))
            .collect();
        if n > NAMED_AT_MOST
            && let Some(last) = names.last_mut()
        {
            last.push('等');
        }
        if self.classified == 0 {
            format!(
                "{n} 座无法判定规模（{}），没有可判定规模的矿山，比例无法判定",
                names.join("、")
            )
        } else {
            format!(
                "{n} 座无法判定规模（{}），比例按可判定的 {} 座计算",
                names.join("、"),
                self.classified
            )
        }
    }
}

/// The scale class of a mine of `minerals` (the first is the main one) with `capacity`.
pub fn classify_mine(
    scales: &super::config::ScaleTable,
    catalogue: &crate::minerals::MineralCatalogue,
    minerals: &[String],
    capacity: Option<Quantity>,
) -> Result<super::config::ScaleClass, super::config::Unclassified> {
    match (minerals.first(), capacity) {
        (Some(m), Some(c)) => scales.classify_or_why(catalogue, m, c.value, c.unit),
        _ => Err(super::config::Unclassified::NoCapacity),
    }
}

impl RegisterStats {
    /// Aggregates `rights` for `plan`.
    pub fn compute(
        plan: &crate::plan::Plan,
        rights: &[MiningRight],
        scales: &super::config::ScaleTable,
    ) -> RegisterStats {
        let mut stats = Self::empty(plan);
        for r in rights {
            stats.add(plan, scales, r);
        }
        stats.settle();
        stats
    }

    /// Brings the derived counts up to date after the last change.
    fn settle(&mut self) {
        let held = &self.holders;
        self.pending_mine_holders.settle(|h| held.contains(h));
        for t in &mut self.count_tallies {
            t.settle();
        }
    }

    /// As [`RegisterStats::compute`] for the register after its pending application `number`
    /// was taken out (every entry of it, wherever it stood) and `entry` put last — what a
    /// saved review does to the register (`ReviewEngine::update_application`) — without
    /// walking the register again. Only entries of status 在审 may go out or come in here: a
    /// valid right's counts are not taken back, so `false` (nothing changed) when `entry` is
    /// not pending; the caller then computes the stats afresh.
    pub fn replace_pending(
        &mut self,
        plan: &crate::plan::Plan,
        scales: &super::config::ScaleTable,
        number: &str,
        entry: Option<&MiningRight>,
    ) -> bool {
        if entry.is_some_and(|e| e.status != RightStatus::Pending) {
            return false;
        }
        let mut kept = self.failed_pending.iter().map(|r| r.id != number);
        self.failed_caps.retain(|_| kept.next().unwrap_or(true));
        self.failed_pending.retain(|r| r.id != number);
        for (id, h) in &self.pending_mines {
            if id == number {
                self.pending_mine_holders.remove(h);
            }
        }
        self.pending_mines.retain(|(id, _)| id != number);
        for t in &mut self.count_tallies {
            t.remove(number);
        }
        for t in &mut self.totals {
            t.pending.retain(|(id, _)| id != number);
        }
        if let Some(e) = entry {
            self.add(plan, scales, e);
        }
        self.settle();
        true
    }

    /// No rights: the totals the plan caps or measures, each at zero.
    fn empty(plan: &crate::plan::Plan) -> RegisterStats {
        let mut wanted: Vec<(String, Unit)> = plan
            .admission
            .extraction_caps
            .iter()
            .map(|c| (c.mineral.clone(), c.unit))
            .collect();
        for ind in &plan.indicators {
            if let Metric::ExtractionTotal(m) = &ind.metric
                && !wanted.iter().any(|(w, u)| w == m && *u == ind.unit)
            {
                wanted.push((m.clone(), ind.unit));
            }
        }
        RegisterStats {
            count_tallies: vec![CountTally::default(); plan.admission.caps.len()],
            totals: wanted
                .into_iter()
                .map(|(mineral, unit)| MineralTotal {
                    mineral,
                    unit,
                    valid: 0.0,
                    valid_n: 0,
                    skipped: 0,
                    skipped_names: vec![],
                    pending: vec![],
                })
                .collect(),
            ..RegisterStats::default()
        }
    }

    /// Counts one register entry, after those before it.
    fn add(
        &mut self,
        plan: &crate::plan::Plan,
        scales: &super::config::ScaleTable,
        r: &MiningRight,
    ) {
        for (t, cap) in self.count_tallies.iter_mut().zip(&plan.admission.caps) {
            t.add(cap, plan, r);
        }
        if r.status == RightStatus::Pending && r.review_failed {
            self.failed_pending.push(r.clone());
            self.failed_caps.push(
                plan.admission
                    .caps
                    .iter()
                    .map(|cap| super::caps::may_count(cap, plan, r))
                    .collect(),
            );
            return;
        }
        if r.kind != crate::application::RightKind::Mining {
            return;
        }
        match r.status {
            RightStatus::Valid => {
                self.holders.insert(holder_key(r));
                if r.approval == Some(ApprovalLevel::ThisLevel) {
                    self.this_level += 1;
                }
                match classify_mine(scales, &plan.minerals, &r.minerals, r.capacity) {
                    Ok(c) => {
                        self.scale_counts.classified += 1;
                        self.scale_counts.large_or_medium +=
                            usize::from(c != super::config::ScaleClass::Small);
                    }
                    Err(reason) => self.scale_counts.unclassified.push(UnclassifiedMine {
                        name: if r.name.trim().is_empty() {
                            r.id.clone()
                        } else {
                            r.name.clone()
                        },
                        reason,
                    }),
                }
            }
            RightStatus::Pending => {
                let h = holder_key(r);
                self.pending_mine_holders.add(&h);
                self.pending_mines.push((r.id.clone(), h));
            }
            _ => return,
        }
        for t in self.totals.iter_mut() {
            if !r
                .minerals
                .iter()
                .any(|m| plan.minerals.is_kind_of(m, &t.mineral))
            {
                continue;
            }
            // In the total's unit (千立方米/年 counts in a 万立方米/年 total); a capacity
            // of another dimension is skipped.
            let v = r.capacity.and_then(|c| convert(c.value, c.unit, t.unit));
            match (r.status, v) {
                (RightStatus::Valid, Some(value)) => {
                    t.valid += value;
                    t.valid_n += 1;
                }
                (RightStatus::Valid, None) => {
                    t.skipped += 1;
                    if t.skipped_names.len() < 10 {
                        t.skipped_names.push(r.name.clone());
                    }
                }
                (RightStatus::Pending, Some(value)) => t.pending.push((r.id.clone(), value)),
                _ => {}
            }
        }
    }

    /// The register as `cap` counts it, when these statistics were gathered for `plan` and
    /// `cap` is one of its caps (`plan.admission.caps`); `None` otherwise (the caller then
    /// tallies the register itself).
    pub fn count_tally(
        &self,
        plan: &crate::plan::Plan,
        cap: &crate::plan::Cap,
    ) -> Option<&CountTally> {
        if self.count_tallies.len() != plan.admission.caps.len() {
            return None;
        }
        plan.admission
            .caps
            .iter()
            .position(|c| std::ptr::eq(c, cap))
            .map(|k| &self.count_tallies[k])
    }

    /// The pending applications reviewed 不符合 that may fall under `cap` (one of
    /// `plan.admission.caps`, compared by address), but application `except`: `None` when
    /// these stats were not computed for this plan's caps.
    pub fn failed_under<'a>(
        &'a self,
        plan: &crate::plan::Plan,
        cap: &crate::plan::Cap,
        except: &str,
    ) -> Option<Vec<&'a MiningRight>> {
        if self.failed_caps.len() != self.failed_pending.len() {
            return None;
        }
        let k = plan
            .admission
            .caps
            .iter()
            .position(|c| std::ptr::eq(c, cap))?;
        if self.failed_caps.iter().any(|f| f.len() <= k) {
            return None;
        }
        Some(
            self.failed_pending
                .iter()
                .zip(&self.failed_caps)
                .filter(|(r, f)| f[k] && r.id != except)
                .map(|(r, _)| r)
                .collect(),
        )
    }

    /// The total of a mineral in a unit, when the plan caps or measures it.
    pub fn total(&self, mineral: &str, unit: Unit) -> Option<&MineralTotal> {
        self.totals
            .iter()
            .find(|t| t.mineral == mineral && t.unit == unit)
    }
}

fn label(c: Comparison, v: f64) -> String {
    format!("{}{}", c.symbol(), format_number(v))
}

/// The indicators of the plan that an approval changes, before and after.
pub fn what_if(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> Vec<IndicatorWhatIf> {
    let plan = ctx.plan;
    let app = f.app;
    let mut out = Vec::new();
    let stats = ctx.stats;
    let holders_before = stats.holders.len();
    let holders_after = holders_before
        + usize::from(app.creates_mine() && !stats.holders.contains(app.credit_code.as_str()));
    let this_level_before = stats.this_level;
    let this_level_after = this_level_before
        + usize::from(app.creates_mine() && f.approval(plan) == Some(ApprovalLevel::ThisLevel));
    for ind in &plan.indicators {
        let row = |before: Option<f64>, after: Option<f64>, note: String| IndicatorWhatIf {
            name: ind
                .category
                .as_ref()
                .map_or(ind.name.clone(), |c| format!("{c}：{}", ind.name)),
            unit: ind.unit.to_string(),
            target: label(ind.comparison, ind.target),
            before,
            after,
            holds_before: before.map(|b| ind.comparison.holds(b, ind.target)),
            holds_after: after.map(|a| ind.comparison.holds(a, ind.target)),
            note,
            cite: ind.cite.clone(),
        };
        match &ind.metric {
            Metric::MineCount => out.push(row(
                Some(holders_before as f64),
                Some(holders_after as f64),
                "有效采矿权的矿业权人（按统一社会信用代码）".into(),
            )),
            Metric::MineCountThisLevel => out.push(row(
                Some(this_level_before as f64),
                Some(this_level_after as f64),
                String::new(),
            )),
            Metric::ExtractionTotal(mineral) => {
                let unit = ind.unit;
                let (before, skipped) = stats
                    .total(mineral, unit)
                    .map_or((0.0, 0), |t| (t.valid, t.skipped));
                let add = added_capacity(f, ctx, mineral, unit);
                let note = match (skipped, add) {
                    (0, Some(_)) => String::new(),
                    (s, Some(_)) => format!("{s} 宗采矿权的规模单位与指标不同，未计入"),
                    (_, None) => "申请的规模单位与指标不同，无法计入".into(),
                };
                out.push(row(Some(before), add.map(|a| before + a), note));
            }
            Metric::LargeMediumRatio => {
                let counts = &stats.scale_counts;
                let before = counts.ratio();
                let app_class = classify_mine(
                    ctx.scales,
                    &plan.minerals,
                    &app.minerals,
                    app.annual_capacity(),
                );
                let (after, unsure_after) = if app.creates_mine() {
                    counts.ratio_with(app_class)
                } else {
                    (before, !counts.unclassified.is_empty())
                };
                let mut note = format!("规模分类依据{}", ctx.scales.source);
                let left_out = counts.unclassified_note();
                if !left_out.is_empty() {
                    note.push_str(&format!("；现状：{left_out}"));
                }
                if app.creates_mine() {
                    note.push_str(&format!(
                        "；本申请为{}",
                        app_class.map_or_else(
                            |why| format!("规模类别无法判定（{}）", why.label()),
                            |c| c.label().to_string()
                        )
                    ));
                }
                let mut r = row(before, after, note);
                // Mines left out make the ratio unsure: whether the target holds is for a
                // person to judge, never a silent “是”.
                if !counts.unclassified.is_empty() {
                    r.holds_before = None;
                }
                if unsure_after {
                    r.holds_after = None;
                }
                out.push(r);
            }
            Metric::OutputValue | Metric::NewDeposits | Metric::WaterReuseRate | Metric::Manual => {
            }
        }
    }
    out
}
