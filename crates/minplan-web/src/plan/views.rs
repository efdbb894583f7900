//! View models of the plan: plan data formatted for the pages and the API (numbers as the
//! plan writes them, citations with links into the plan text).

use crate::http::views::{km2, num};
use minplan_domain::citation::Citation;
use minplan_domain::plan::*;
use serde::Serialize;
use utoipa::ToSchema;

/// A citation as shown: its label, a link to the cited text and an excerpt for the tooltip.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CiteView {
    /// The citation as people read it ([`Plan::cite_label`]), e.g. `《规划》三（二）1`,
    /// `《关于…的通知》3`, `《规划》五（一）（未核对）`.
    pub label: String,
    /// Link into the cited text (`/text#L…`, `/text?source=…#L…`); "" when the bundle has
    /// no text to link to.
    pub href: String,
    /// The start of the cited section (≤ 160 characters), for the tooltip; "" without the text.
    pub excerpt: String,
    /// Whether the citation was checked against its text (false: 未核对, shown as such).
    pub checked: bool,
}

/// Percent-encodes a query value (UTF-8 bytes outside the unreserved set).
fn query_value(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// The page of a text: `/text` for the plan text (`None`), `/text?source=key` for a source
/// document.
pub fn text_href(source: Option<&str>) -> String {
    match source {
        None => "/text".into(),
        Some(k) => format!("/text?source={}", query_value(k)),
    }
}

/// The citation `c` of `plan` as shown.
pub fn cite_view(plan: &Plan, c: &Citation) -> CiteView {
    let label = plan.cite_label(c);
    let checked = plan.cite_checked(c);
    let text = plan.text_of(c);
    match text
        .filter(|_| checked)
        .and_then(|t| t.heading(c).map(|h| (h.line, t.section(c))))
    {
        Some((line, section)) => {
            // Lines of PDF-extracted text break inside words: join them, keep single spaces.
            let joined: String = section.unwrap_or_default().lines().map(str::trim).collect();
            let text = joined.split_whitespace().collect::<Vec<_>>().join(" ");
            let excerpt: String = text.chars().take(160).collect();
            CiteView {
                label,
                href: format!("{}#L{line}", text_href(c.source())),
                excerpt: if text.chars().count() > 160 {
                    format!("{excerpt}…")
                } else {
                    excerpt
                },
                checked,
            }
        }
        None => CiteView {
            label,
            href: if text.is_some() {
                text_href(c.source())
            } else {
                String::new()
            },
            excerpt: String::new(),
            checked,
        },
    }
}

/// A figure of the baseline (现状) as shown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FigureView {
    /// The figure's key in the bundle.
    pub key: String,
    /// What the figure is (Chinese, as the plan names it).
    pub label: String,
    /// The value as the plan writes it.
    pub value: String,
    /// Its unit (万吨, km², 处, …).
    pub unit: String,
    /// Items the figure counts, joined by 、 ("" when none).
    pub items: String,
    /// Note ("" when none).
    pub note: String,
    /// Where the plan states it.
    pub cite: CiteView,
}

/// Figures of one part of the baseline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FigureGroup {
    /// Group name (现状 section).
    pub name: String,
    /// Its figures.
    pub figures: Vec<FigureView>,
}

/// A baseline figure as shown.
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
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndicatorView {
    /// Indicator key in the bundle.
    pub key: String,
    /// The table that sets it (专栏2, …).
    pub table: String,
    /// Category (资源调查评价, 开发利用, …).
    pub category: String,
    /// Name as the plan writes it.
    pub name: String,
    /// Unit.
    pub unit: String,
    /// How the target binds (≤, ≥, =).
    pub comparison: String,
    /// Target value, in `unit`.
    pub target: f64,
    /// Target as the plan prints it, e.g. `≤3`.
    pub target_label: String,
    /// 预期性 or 约束性.
    pub attribute: String,
    /// Current value; `None` until production data exists (shown as "—").
    pub current: Option<f64>,
    /// Current value as shown with its year and status, or "—".
    pub current_label: String,
    /// Note ("" when none).
    pub note: String,
    /// Where the plan sets it.
    pub cite: CiteView,
}

/// The plan's target indicators as rows (no current values).
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

/// Fills the current value and status of each indicator from an indicator report.
pub fn with_current(
    mut views: Vec<IndicatorView>,
    report: &minplan_domain::monitoring::IndicatorReport,
) -> Vec<IndicatorView> {
    for v in &mut views {
        if let Some(i) = report.get(&v.key) {
            use minplan_domain::monitoring::Status;
            v.current = i.value;
            // The reports' coverage when part is missing, and 人工填报, beside the status.
            let mut extra = String::new();
            if i.coverage.is_some_and(|c| !c.complete()) {
                extra.push_str(&format!("；{}", i.coverage_label));
            }
            if i.manual.is_some() {
                extra.push_str("；人工填报");
            }
            v.current_label = match i.value {
                Some(x) => format!(
                    "{}（{}年，{}{extra}）",
                    num((x * 100.0).round() / 100.0),
                    report.year,
                    i.status_label
                ),
                None if i.status == Status::ManualCheck => {
                    format!("无法判定（{}年，{}）", report.year, i.status_label)
                }
                None if matches!(
                    i.status,
                    Status::NotReported
                        | Status::NotEntered
                        | Status::OutOfPeriod
                        | Status::NotStarted
                ) =>
                {
                    format!("{}（{}年{extra}）", i.status_label, report.year)
                }
                None => "—".into(),
            };
            // A manual value shows its evidence; a value from part of the reports says so.
            if let Some(m) = &i.manual {
                let evidence = format!(
                    "人工填报：{}{}（{}）",
                    m.evidence,
                    m.attachment
                        .as_ref()
                        .map_or(String::new(), |a| format!("；证明材料：{a}")),
                    m.entered_by
                );
                v.note = if v.note.is_empty() {
                    evidence
                } else {
                    format!("{evidence}；{}", v.note)
                };
            }
        }
    }
    views
}

/// A row of 专栏1: the previous round's target and its completion.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreviousRoundView {
    /// Category of 专栏1.
    pub category: String,
    /// Indicator.
    pub indicator: String,
    /// Item ("" when the indicator has none).
    pub item: String,
    /// Unit.
    pub unit: String,
    /// Target of the previous round, in `unit`.
    pub target: f64,
    /// Achieved, in `unit`.
    pub actual: f64,
    /// Target as the plan writes it.
    pub target_label: String,
    /// Achieved as the plan writes it.
    pub actual_label: String,
    /// Completion, percent with one decimal, or "—" for a zero target.
    pub completion: String,
    /// Completion, percent; `null` for a zero target.
    pub completion_percent: Option<f64>,
    /// Where the plan states it.
    pub cite: CiteView,
}

/// The rows of 专栏1.
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

/// A planning block (规划区块) as listed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BlockView {
    /// 规划区块编号.
    pub number: String,
    /// Name.
    pub name: String,
    /// 勘查规划区块 or 开采规划区块.
    pub kind: String,
    /// 审批级别 (部级, 省级, 市县级).
    pub approval: String,
    /// Minerals, joined by 、.
    pub minerals: String,
    /// Category (重点勘查区, …; "" when none).
    pub category: String,
    /// Area of its geometry, km², 4 decimals (ellipsoidal, TD/T 1055-2019); `规划未附范围`
    /// for a block the plan lists without its extent.
    pub area_km2: String,
    /// 新设 / 保留 / 调整 / 探转采 ("" when the plan does not say).
    pub status: String,
    /// Who designates and who issues, as the plan writes them (`市级划定；县级审批发证`; ""
    /// when the plan does not say them apart from the approval level).
    pub levels: String,
    /// Resources the plan states for the block (`120 万吨`; "" when none).
    pub resources: String,
    /// Area the plan states, km² ("" when none).
    pub stated_area_km2: String,
    /// Whether its geometry is schematic (示意).
    pub schematic: bool,
    /// Note ("" when none).
    pub note: String,
    /// Where the plan lists it.
    pub cite: CiteView,
}

/// The planning blocks as rows.
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
            area_km2: b
                .computed_area_km2()
                .map_or_else(|| "规划未附范围".to_string(), km2),
            status: b.status.map(|s| s.label().to_string()).unwrap_or_default(),
            levels: [b.designated_by.as_deref(), b.issued_by.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("；"),
            resources: b
                .resources
                .as_ref()
                .map(|r| format!("{} {}", num(r.value), r.unit))
                .unwrap_or_default(),
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

/// A group of planning blocks with the totals the plan states.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BlockGroupView {
    /// The group (e.g. 省级开采规划区块).
    pub label: String,
    /// How many blocks the plan states.
    pub count: String,
    /// How many blocks the bundle has.
    pub count_in_bundle: usize,
    /// Total area the plan states, km² (`规划未载明` when it states none).
    pub total_area_km2: String,
    /// Total area of the bundle's geometry, km², 4 decimals.
    pub computed_area_km2: String,
    /// Where the plan states the count (and the total).
    pub cite: CiteView,
}

/// The block groups with the totals the plan states and the bundle's.
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
            total_area_km2: g
                .total_area_km2
                .as_ref()
                .map_or_else(|| "规划未载明".to_string(), |t| num(t.value)),
            computed_area_km2: km2(g.computed_area_km2),
            cite: cite_view(
                plan,
                g.total_area_km2.as_ref().map_or(&g.count.cite, |t| &t.cite),
            ),
        })
        .collect()
}

/// Rows "label / value / cite" for the admission section of the overview.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RuleRow {
    /// What the rule concerns.
    pub label: String,
    /// The rule as the plan writes it.
    pub value: String,
    /// Where the plan states it.
    pub cite: CiteView,
}

/// A cap's name with what it covers: `开采总量调控（年开采量）：建筑用石`,
/// `东宁市 矿山数（全部矿种、露天、新建）`.
pub fn cap_label(c: &minplan_domain::plan::Cap) -> String {
    let filter = c.filter.label();
    let subject = c.subject.label();
    format!(
        "{}{}（{}{}）{}",
        c.scope
            .as_deref()
            .map(|s| format!("{s} "))
            .unwrap_or_default(),
        c.label,
        c.measure.label(),
        if filter.is_empty() {
            String::new()
        } else {
            format!("，{filter}")
        },
        if c.label == subject {
            String::new()
        } else {
            format!("：{subject}")
        }
    )
}

/// The admission conditions (准入条件) as rows.
pub fn admission_rows(plan: &Plan) -> Vec<RuleRow> {
    let a = &plan.admission;
    let mut rows = Vec::new();
    // Every cap as the plan writes it: subject, filter, scope, measure, value and unit.
    for c in &a.caps {
        rows.push(RuleRow {
            label: cap_label(c),
            value: format!(
                "{}{}",
                if c.soft {
                    c.limit_label()
                } else {
                    format!("{} {}", c.comparison.symbol(), c.limit_label())
                },
                c.wording
                    .as_deref()
                    .map(|w| format!("（原文：{w}）"))
                    .unwrap_or_default()
            ),
            cite: cite_view(plan, &c.cite),
        });
    }
    if !a.caps.iter().any(|c| c.measure.is_count()) {
        rows.push(RuleRow {
            label: "矿山数量控制数".into(),
            value: "规划未设定".into(),
            // No citation: nothing shown (the macro skips an empty label).
            cite: CiteView {
                label: String::new(),
                href: String::new(),
                excerpt: String::new(),
                checked: false,
            },
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

#[cfg(test)]
mod tests {
    use super::*;

    fn load(unit: &str) -> Plan {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../minplan-domain/tests/data/counties")
            .join(unit);
        let files = minplan_store::read_bundle_dir(&dir).unwrap();
        minplan_domain::bundle::load_bundle(&files).unwrap().plan
    }

    #[test]
    fn blocks_are_listed_as_the_plan_lists_them() {
        let p = load("beishan-city");
        let v = block_views(&p);
        assert_eq!(v[0].status, "新设");
        assert_eq!(v[0].levels, "市级划定；县级审批发证");
        assert_eq!(v[1].levels, "市级划定；市级出让登记");
        // A block listed without its extent: no area, never a 0.
        let z = block_views(&load("qinghe-zone"));
        assert_eq!(z[1].area_km2, "规划未附范围");
        assert_ne!(z[0].area_km2, "规划未附范围");
    }
}
