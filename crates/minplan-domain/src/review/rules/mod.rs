//! The rules of 规划符合性审查 (R1–R15, catalogued in `docs/rules.md`), one module each.
//! Every rule is generic: the numbers come from the plan bundle (prohibitions, blocks,
//! minimum scales, caps) and the plan's own wording comes from its `rule_basis`, so another
//! county's plan changes the numbers and citations, not the code.

pub mod r01_prohibited_minerals;
pub mod r02_planning_block;
pub mod r03_one_block_one_right;
pub mod r04_scale_and_reserves;
pub mod r05_minimum_scale;
pub mod r06_mine_count;
pub mod r07_extraction_caps;
pub mod r08_ecological_red_line;
pub mod r09_permanent_basic_farmland;
pub mod r10_urban_development_boundary;
pub mod r11_visible_corridor;
pub mod r12_rights_overlap;
pub mod r13_holder_lists;
pub mod r14_three_simultaneities;
pub mod r15_grant_method;

use super::{ConflictPart, Evidence, Facts, ReviewContext, RuleOutcome, RuleResult, RuleSeverity};
use crate::application::{ApplicationKind, ChangeKind};
use crate::citation::Citation;

/// One rule's check: the facts of one application, the review's context, its result.
pub type Check = fn(&Facts<'_>, &ReviewContext<'_>) -> RuleResult;

/// R1–R15's checks in order ([`run_all`] runs them; the benchmark times each).
pub const CHECKS: [Check; 15] = [
    r01_prohibited_minerals::check,
    r02_planning_block::check,
    r03_one_block_one_right::check,
    r04_scale_and_reserves::check,
    r05_minimum_scale::check,
    r06_mine_count::check,
    r07_extraction_caps::check,
    r08_ecological_red_line::check,
    r09_permanent_basic_farmland::check,
    r10_urban_development_boundary::check,
    r11_visible_corridor::check,
    r12_rights_overlap::check,
    r13_with_basis,
    r14_three_simultaneities::check,
    r15_grant_method::check,
];

/// Runs R1–R15 in order.
pub fn run_all(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> Vec<RuleResult> {
    CHECKS.iter().map(|check| check(f, ctx)).collect()
}

/// R13 with the standard behind matching by credit code (GB 32100-2015) as its basis.
fn r13_with_basis(f: &Facts<'_>, ctx: &ReviewContext<'_>) -> RuleResult {
    let mut r = r13_holder_lists::check(f, ctx);
    r.basis.push(r13_holder_lists::BASIS.to_string());
    r
}

/// A rule's fixed description.
pub struct Rule {
    /// `R1` … `R15`.
    pub id: &'static str,
    /// Chinese title.
    pub title: &'static str,
    /// Severity.
    pub severity: RuleSeverity,
}

impl Rule {
    /// A result of this rule. The plan's `rule_basis` citations for the rule are appended to
    /// `cites` (deduplicated).
    pub fn result(
        &self,
        ctx: &ReviewContext<'_>,
        outcome: RuleOutcome,
        message: impl Into<String>,
        evidence: Vec<Evidence>,
        conflicts: Vec<ConflictPart>,
        mut cites: Vec<Citation>,
    ) -> RuleResult {
        if let Some(b) = ctx.plan.rule_basis(self.id) {
            for c in &b.cites {
                if !cites.contains(c) {
                    cites.push(c.clone());
                }
            }
        }
        RuleResult {
            id: self.id,
            title: self.title,
            outcome,
            severity: self.severity,
            message: message.into(),
            evidence,
            conflicts,
            cites,
            basis: vec![],
        }
    }

    /// 不适用, with the reason.
    pub fn not_applicable(&self, ctx: &ReviewContext<'_>, why: impl Into<String>) -> RuleResult {
        self.result(ctx, RuleOutcome::NotApplicable, why, vec![], vec![], vec![])
    }
}

/// Whether the application changes the area (new area to check against spatial rules).
pub fn changes_area(f: &Facts<'_>) -> bool {
    match f.app.kind {
        ApplicationKind::New
        | ApplicationKind::ExplorationToMining
        | ApplicationKind::Extension => true,
        ApplicationKind::Change => matches!(
            f.app.change,
            Some(ChangeKind::Enlarge | ChangeKind::Reduce | ChangeKind::Mineral)
        ),
        ApplicationKind::Transfer => false,
    }
}

/// A sentence naming the application kind, for 不适用 messages.
pub fn kind_label(f: &Facts<'_>) -> String {
    match f.app.change {
        Some(c) => format!("{}（{}）", f.app.kind.label(), c.label()),
        None => f.app.kind.label().to_string(),
    }
}

/// m² with two decimals and the share of the application.
pub fn area_text(area_m2: f64, app_area_m2: f64) -> String {
    let area_m2 = if area_m2.abs() < 0.005 { 0.0 } else { area_m2 };
    format!(
        "{:.2} m²（占申请范围 {:.2}%）",
        area_m2,
        if app_area_m2 > 0.0 {
            area_m2 / app_area_m2 * 100.0
        } else {
            0.0
        }
    )
}

/// The conflicts of the application with one control layer: `None` when the layer is not
/// loaded.
pub struct LayerConflicts {
    /// Layer name.
    pub layer_name: String,
    /// Whether the layer is schematic.
    pub schematic: bool,
    /// Parts, overlaps first.
    pub parts: Vec<ConflictPart>,
    /// Total overlap area (overlaps only, slivers excluded), m².
    pub overlap_m2: f64,
    /// Total sliver area, m².
    pub sliver_m2: f64,
    /// Features only touching.
    pub touching: usize,
}

impl LayerConflicts {
    /// Whether any feature overlaps beyond the sliver tolerance.
    pub fn overlaps(&self) -> bool {
        self.overlap_m2 > 0.0
    }

    /// Evidence rows: overlap area and share, slivers, touching.
    pub fn evidence(&self, app_area_m2: f64) -> Vec<Evidence> {
        let mut e = vec![Evidence::text(
            format!("与{}重叠", self.layer_name),
            area_text(self.overlap_m2, app_area_m2),
        )];
        let n = self
            .parts
            .iter()
            .filter(|p| p.class == minplan_geo::overlay::OverlapClass::Overlap)
            .count();
        e.push(Evidence::num("重叠图斑数", n as f64, 0, "个"));
        if self.sliver_m2 > 0.0 {
            e.push(Evidence::num(
                "细碎重叠（不超过容差）",
                self.sliver_m2,
                4,
                "m²",
            ));
        }
        if self.touching > 0 {
            e.push(Evidence::num(
                "仅相邻（边界重合）图斑数",
                self.touching as f64,
                0,
                "个",
            ));
        }
        if self.schematic {
            e.push(Evidence::text(
                "说明",
                format!("{}为示意数据", self.layer_name),
            ));
        }
        e
    }
}

/// Collects the application's conflicts with a control layer.
pub fn layer_conflicts(
    f: &Facts<'_>,
    ctx: &ReviewContext<'_>,
    kind: crate::plan::ControlLayerKind,
) -> Option<LayerConflicts> {
    use minplan_geo::overlay::OverlapClass;
    let hits = f.control_hits(kind)?;
    let l = hits.layer;
    let mut parts: Vec<ConflictPart> = hits
        .hits
        .iter()
        .map(|o| {
            let (id, name) = &l.features[o.feature];
            super::conflict(ctx, f, kind.label(), id, name.as_deref(), o)
        })
        .collect();
    parts.sort_by(|a, b| b.area_m2.total_cmp(&a.area_m2));
    let sum = |c: OverlapClass| {
        parts
            .iter()
            .filter(|p| p.class == c)
            .map(|p| p.area_m2)
            .sum::<f64>()
    };
    Some(LayerConflicts {
        layer_name: kind.label().to_string(),
        schematic: l.schematic,
        overlap_m2: sum(OverlapClass::Overlap),
        sliver_m2: sum(OverlapClass::Sliver),
        touching: parts
            .iter()
            .filter(|p| p.class == OverlapClass::Touching)
            .count(),
        parts,
    })
}

/// The result when a control layer a rule needs is not loaded.
pub fn layer_missing(
    rule: &Rule,
    ctx: &ReviewContext<'_>,
    kind: crate::plan::ControlLayerKind,
) -> RuleResult {
    rule.result(
        ctx,
        RuleOutcome::ManualCheck,
        format!("未载入{}图层，无法进行空间审查，须人工核查", kind.label()),
        vec![],
        vec![],
        vec![],
    )
}
