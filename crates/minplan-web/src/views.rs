//! View models: plan data formatted for the pages and the API (numbers as the plan writes
//! them, citations with links into the plan text).

use minplan_domain::citation::{Citation, format_number};
use minplan_domain::plan::*;
use minplan_store::StoredPlan;
use serde::Serialize;

/// A citation as shown: its label, a link to the plan text and an excerpt for the tooltip.
#[derive(Debug, Clone, Serialize)]
pub struct CiteView {
    pub label: String,
    pub href: String,
    pub excerpt: String,
}

pub fn cite_view(plan: &Plan, c: &Citation) -> CiteView {
    let label = c.to_string();
    match plan
        .text
        .as_ref()
        .and_then(|t| t.heading(c).map(|h| (h.line, t.section(c))))
    {
        Some((line, section)) => {
            // Lines of PDF-extracted text break inside words: join them, keep single spaces.
            let joined: String = section.unwrap_or_default().lines().map(str::trim).collect();
            let text = joined.split_whitespace().collect::<Vec<_>>().join(" ");
            let excerpt: String = text.chars().take(160).collect();
            CiteView {
                label: format!("《规划》{label}"),
                href: format!("/text#L{line}"),
                excerpt: if text.chars().count() > 160 {
                    format!("{excerpt}…")
                } else {
                    excerpt
                },
            }
        }
        None => CiteView {
            label: format!("《规划》{label}"),
            href: "/text".into(),
            excerpt: String::new(),
        },
    }
}

/// Formats a figure the way the plan writes it.
pub fn num(v: f64) -> String {
    format_number(v)
}

/// km² to 4 decimals.
pub fn km2(v: f64) -> String {
    format!("{v:.4}")
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureView {
    pub key: String,
    pub label: String,
    pub value: String,
    pub unit: String,
    pub items: String,
    pub note: String,
    pub cite: CiteView,
}

#[derive(Debug, Clone, Serialize)]
pub struct FigureGroup {
    pub name: String,
    pub figures: Vec<FigureView>,
}

pub fn figure_view(plan: &Plan, f: &Figure) -> FigureView {
    FigureView {
        key: f.key.clone(),
        label: f.label.clone(),
        value: num(f.value),
        unit: f.unit.to_string(),
        items: f.items.join("、"),
        note: f.note.clone().unwrap_or_default(),
        cite: cite_view(plan, &f.cite),
    }
}

/// Baseline figures grouped in order of first appearance.
pub fn baseline_groups(plan: &Plan) -> Vec<FigureGroup> {
    let mut groups: Vec<FigureGroup> = Vec::new();
    for f in &plan.baseline {
        let v = figure_view(plan, f);
        match groups.iter_mut().find(|g| g.name == f.group) {
            Some(g) => g.figures.push(v),
            None => groups.push(FigureGroup {
                name: f.group.clone(),
                figures: vec![v],
            }),
        }
    }
    groups
}

/// A row of the indicators table.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub key: String,
    pub table: String,
    pub category: String,
    pub name: String,
    pub unit: String,
    pub comparison: String,
    pub target: f64,
    /// Target as the plan prints it, e.g. `≤3`.
    pub target_label: String,
    pub attribute: String,
    /// Current value; `None` until production data exists (shown as "—").
    pub current: Option<f64>,
    pub current_label: String,
    pub note: String,
    pub cite: CiteView,
}

pub fn indicator_views(plan: &Plan) -> Vec<IndicatorView> {
    plan.indicators
        .iter()
        .map(|i| {
            let attribute = i.attribute.label();
            IndicatorView {
                key: i.key.clone(),
                table: i.table.clone(),
                category: i.category.clone().unwrap_or_default(),
                name: i.name.clone(),
                unit: i.unit.to_string(),
                comparison: i.comparison.symbol().to_string(),
                target: i.target,
                target_label: format!("{}{}", i.comparison.symbol(), num(i.target)),
                attribute: attribute.to_string(),
                current: None,
                current_label: "—".into(),
                note: i.note.clone().unwrap_or_default(),
                cite: cite_view(plan, &i.cite),
            }
        })
        .collect()
}

/// Fills the current value and status of each indicator from an indicator report (issue 6).
pub fn with_current(
    mut views: Vec<IndicatorView>,
    report: &minplan_domain::monitoring::IndicatorReport,
) -> Vec<IndicatorView> {
    for v in &mut views {
        if let Some(i) = report.get(&v.key) {
            v.current = i.value;
            v.current_label = match i.value {
                Some(x) => format!(
                    "{}（{}年，{}）",
                    num((x * 100.0).round() / 100.0),
                    report.year,
                    i.status_label
                ),
                None => "—".into(),
            };
        }
    }
    views
}

#[derive(Debug, Clone, Serialize)]
pub struct PreviousRoundView {
    pub category: String,
    pub indicator: String,
    pub item: String,
    pub unit: String,
    pub target: f64,
    pub actual: f64,
    pub target_label: String,
    pub actual_label: String,
    /// Completion, percent with one decimal, or "—" for a zero target.
    pub completion: String,
    pub completion_percent: Option<f64>,
    pub cite: CiteView,
}

pub fn previous_round_views(plan: &Plan) -> Vec<PreviousRoundView> {
    plan.previous_round
        .iter()
        .map(|r| {
            let pct = r.completion_percent();
            PreviousRoundView {
                category: r.category.clone(),
                indicator: r.indicator.clone(),
                item: r.item.clone().unwrap_or_default(),
                unit: r.unit.to_string(),
                target: r.target,
                actual: r.actual,
                target_label: num(r.target),
                actual_label: num(r.actual),
                completion: pct.map_or("—".into(), |p| format!("{p:.1}%")),
                completion_percent: pct,
                cite: cite_view(plan, &r.cite),
            }
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct BlockView {
    pub number: String,
    pub name: String,
    pub kind: String,
    pub approval: String,
    pub minerals: String,
    pub category: String,
    pub area_km2: String,
    pub stated_area_km2: String,
    pub schematic: bool,
    pub note: String,
    pub cite: CiteView,
}

pub fn block_views(plan: &Plan) -> Vec<BlockView> {
    plan.blocks
        .iter()
        .map(|b| BlockView {
            number: b.number.clone(),
            name: b.name.clone(),
            kind: b.kind.label().to_string(),
            approval: b.approval.label().to_string(),
            minerals: if b.minerals.is_empty() {
                "（规划未载明）".into()
            } else {
                b.minerals.join("、")
            },
            category: b.category.clone().unwrap_or_default(),
            area_km2: km2(b.area_km2),
            stated_area_km2: b
                .stated_area_km2
                .as_ref()
                .map(|s| num(s.value))
                .unwrap_or_else(|| "—".into()),
            schematic: b.schematic,
            note: b.note.clone().unwrap_or_default(),
            cite: cite_view(plan, &b.cite),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct BlockGroupView {
    pub label: String,
    pub count: String,
    pub count_in_bundle: usize,
    pub total_area_km2: String,
    pub computed_area_km2: String,
    pub cite: CiteView,
}

pub fn block_group_views(plan: &Plan) -> Vec<BlockGroupView> {
    plan.block_groups
        .iter()
        .map(|g| BlockGroupView {
            label: g.label.clone(),
            count: g.count.value.to_string(),
            count_in_bundle: plan
                .blocks
                .iter()
                .filter(|b| b.kind == g.kind && b.approval == g.approval)
                .count(),
            total_area_km2: num(g.total_area_km2.value),
            computed_area_km2: km2(g.computed_area_km2),
            cite: cite_view(plan, &g.total_area_km2.cite),
        })
        .collect()
}

/// Rows "label / value / cite" for the admission section of the overview.
#[derive(Debug, Clone, Serialize)]
pub struct RuleRow {
    pub label: String,
    pub value: String,
    pub cite: CiteView,
}

pub fn admission_rows(plan: &Plan) -> Vec<RuleRow> {
    let a = &plan.admission;
    let mut rows = Vec::new();
    rows.push(RuleRow {
        label: "矿山企业数量上限".into(),
        value: format!("{} 家", a.mine_cap_total.value),
        cite: cite_view(plan, &a.mine_cap_total.cite),
    });
    if let Some(c) = &a.mine_cap_this_level {
        rows.push(RuleRow {
            label: "本级审批发证矿山数量上限".into(),
            value: format!("{} 家", c.value),
            cite: cite_view(plan, &c.cite),
        });
    }
    for m in &a.min_scales {
        rows.push(RuleRow {
            label: format!(
                "最低开采规模：{}{}",
                m.mineral,
                m.applies_to
                    .as_deref()
                    .map(|s| format!("（{s}）"))
                    .unwrap_or_default()
            ),
            value: format!("≥ {} {}", num(m.value), m.unit),
            cite: cite_view(plan, &m.cite),
        });
    }
    for m in &a.extraction_caps {
        rows.push(RuleRow {
            label: format!("开采总量调控：{}", m.mineral),
            value: format!("≤ {} {}", num(m.value), m.unit),
            cite: cite_view(plan, &m.cite),
        });
    }
    for f in &a.other {
        rows.push(RuleRow {
            label: f.label.clone(),
            value: format!("{} {}", num(f.value), f.unit),
            cite: cite_view(plan, &f.cite),
        });
    }
    for p in &plan.prohibitions {
        let kind = match p.kind {
            ProhibitionKind::Prohibited => "禁止开采",
            ProhibitionKind::Restricted => "限制开采",
        };
        rows.push(RuleRow {
            label: format!("{kind}：{}（{}）", p.mineral, p.condition.label()),
            value: p.label.clone(),
            cite: cite_view(plan, &p.cite),
        });
    }
    rows
}

/// Shared header data of every page.
#[derive(Debug, Clone)]
pub struct Layout {
    pub plan_name: String,
    pub region_name: String,
    pub version_label: String,
    pub active: &'static str,
    pub has_schematic: bool,
    /// Whether someone is logged in; `user_label` is then "姓名（角色）".
    pub logged_in: bool,
    pub user_label: String,
    /// The session's CSRF token, for `<input type="hidden" name="csrf_token" value="{{ layout.csrf }}">`.
    pub csrf: String,
    /// Which staff tabs to show.
    pub nav_versions: bool,
    pub nav_users: bool,
    pub nav_audit: bool,
    /// Tabs of the bureau's work (工作台, 申请受理, 审查记录, 矿业权, 图层管理).
    pub nav_workbench: bool,
    pub nav_intake: bool,
    pub nav_reviews: bool,
    pub nav_rights: bool,
    pub nav_layers: bool,
}

/// The layout of a page: the plan's name and version, and — from the request context
/// ([`crate::context::current`]) — the logged-in user and the CSRF token.
pub fn layout(sp: &StoredPlan, active: &'static str) -> Layout {
    use crate::auth::Permission;
    let p = &sp.loaded.plan;
    let ctx = crate::context::current();
    Layout {
        logged_in: ctx.user.is_some(),
        user_label: ctx
            .user
            .as_ref()
            .map(|u| format!("{}（{}）", u.display_name, u.role.label()))
            .unwrap_or_default(),
        nav_versions: ctx.can(Permission::ViewPlanVersions),
        nav_users: ctx.can(Permission::ManageUsers),
        nav_audit: ctx.can(Permission::ViewAudit),
        nav_workbench: ctx.can(Permission::LoggedIn),
        nav_intake: ctx.can(Permission::RunReview),
        nav_reviews: ctx.can(Permission::ViewReviews),
        nav_rights: ctx.can(Permission::ViewRegister),
        nav_layers: ctx.can(Permission::ViewLayers),
        csrf: ctx.csrf,
        plan_name: p.identity.name.value.clone(),
        region_name: p.region.name.clone(),
        version_label: format!(
            "第 {} 版 · {} · 导入于 {}",
            sp.info.version,
            sp.info.source,
            sp.info.imported_at.get(..10).unwrap_or("")
        ),
        active,
        has_schematic: p.has_schematic_geometry(),
    }
}

/// A stored time (RFC 3339, UTC, as every table keeps it) shown in Beijing time (UTC+8) to the
/// second, `2026-11-30 16:12:45`; text that is not such a time is shown as it is.
pub fn beijing(at: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    let Ok(t) = time::OffsetDateTime::parse(at, &Rfc3339) else {
        return at.to_string();
    };
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let t = t.to_offset(offset);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

#[cfg(test)]
mod time_tests {
    #[test]
    fn beijing_time() {
        assert_eq!(
            super::beijing("2026-11-30T08:12:45.475278176Z"),
            "2026-11-30 16:12:45"
        );
        assert_eq!(
            super::beijing("2026-12-31T20:00:00Z"),
            "2027-01-01 04:00:00"
        );
        assert_eq!(super::beijing("—"), "—");
    }
}
