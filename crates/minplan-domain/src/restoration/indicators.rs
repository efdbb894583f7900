//! The restoration figures as the plan's indicators (规划指标 section 「矿区生态保护修复与绿色矿山」,
//! the 工作台 of 生态修复 and the 规划实施评估): each figure of the year beside what the plan
//! says of it — the baseline (《规划》一（一）5–6: `legacy_mines`, `legacy_mines_area`,
//! `restoration_projects`, `restoration_investment`, `restoration_area`) and 专栏1's row
//! 重点治理项目 — read from the plan, never retyped. A plan without such a key or row shows
//! [`NOT_SET`] (规划未设定); a figure that cannot be computed shows its gap words (无数据 …),
//! never 0.
//!
//! Pure: the plan and the figures in, rows out.

use super::figures::{Reading, RestorationFigures};
use crate::citation::{Citation, format_number};
use crate::plan::Plan;
use serde::Serialize;

/// The words in place of a reference the plan does not give.
pub const NOT_SET: &str = "规划未设定";

/// The section's title (规划指标, 工作台, evaluation).
pub const SECTION_TITLE: &str = "矿区生态保护修复与绿色矿山";

/// The baseline key of the legacy mines' count (《规划》一（一）5).
pub const KEY_LEGACY_MINES: &str = "legacy_mines";
/// The baseline key of the legacy mines' area, km² (《规划》一（一）5).
pub const KEY_LEGACY_AREA: &str = "legacy_mines_area";
/// The baseline key of the restoration projects' count (《规划》一（一）6).
pub const KEY_PROJECTS: &str = "restoration_projects";
/// The baseline key of the projects' investment, 万元 (《规划》一（一）6).
pub const KEY_INVESTMENT: &str = "restoration_investment";
/// The baseline key of the projects' area, km² (《规划》一（一）6).
pub const KEY_PROJECT_AREA: &str = "restoration_area";
/// The 专栏1 indicator of key restoration projects.
pub const PREVIOUS_ROUND_KEY_PROJECTS: &str = "重点治理项目";

/// What a figure is compared with: a plan figure, another figure, or nothing the plan sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reference {
    /// What the reference is (`基期值`, `专栏1 上轮规划目标`, `应提取额`); empty with no reference.
    pub kind: String,
    /// Its value, when there is one.
    pub value: Option<f64>,
    /// As shown: the number, or [`NOT_SET`], or the gap words of a missing figure.
    pub label: String,
}

/// One row of the section.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RestorationIndicator {
    /// Stable key (`key_projects`, `legacy_remaining`, `fund_shortfall`, …).
    pub key: String,
    /// Group (历史遗留矿山, 修复项目, 治理恢复基金, 边开采边治理, 绿色矿山).
    pub group: String,
    /// Name, Chinese.
    pub name: String,
    /// Unit as written (个, km², 公顷, 万元, %, 座).
    pub unit: String,
    /// What the plan (or the ledger) sets against it.
    pub reference: Reference,
    /// The value, when there is one.
    pub value: Option<f64>,
    /// As shown: the number, or the gap words (无数据 / 未报送 / 无法判定 …), never 0 for none.
    pub value_label: String,
    /// Completion against the reference (`50.0%`), empty where no completion applies, 无法判定
    /// when one side is missing.
    pub completion: String,
    /// A remark (上轮完成 11 个, 3 座矿山少提, …).
    pub note: String,
    /// Whether the value comes from schematic (示意) entries.
    pub schematic: bool,
    /// Where the plan gives the reference, as people read it (`《规划》一（一）5`); empty when
    /// the plan gives none.
    pub cite: String,
    /// The citation itself (for links).
    #[serde(skip)]
    pub citation: Option<Citation>,
}

/// The section: the year and its rows in a fixed order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RestorationIndicators {
    /// The year of the figures.
    pub year: i32,
    /// The rows.
    pub rows: Vec<RestorationIndicator>,
    /// Whether any legacy figure comes from schematic entries (the 示意 mark).
    pub schematic: bool,
}

impl RestorationIndicators {
    /// The row with this key.
    pub fn row(&self, key: &str) -> Option<&RestorationIndicator> {
        self.rows.iter().find(|r| r.key == key)
    }
}

/// A number as people write it: up to 4 decimals, no trailing zeros.
pub fn number_label(v: f64) -> String {
    format_number((v * 10_000.0).round() / 10_000.0)
}

fn reading_f64<T: Copy + Into<f64>>(r: &Reading<T>) -> (Option<f64>, String) {
    match r {
        Reading::Value(v) => {
            let v: f64 = (*v).into();
            (Some(v), number_label(v))
        }
        Reading::Missing(w) => (None, w.clone()),
    }
}

fn baseline(plan: &Plan, key: &str) -> (Reference, Option<Citation>) {
    match plan.figure(key) {
        Some(f) => (
            Reference {
                kind: "基期值".into(),
                value: Some(f.value),
                label: number_label(f.value),
            },
            Some(f.cite.clone()),
        ),
        None => (not_set(), None),
    }
}

fn not_set() -> Reference {
    Reference {
        kind: String::new(),
        value: None,
        label: NOT_SET.into(),
    }
}

fn completion(value: Option<f64>, reference: &Reference) -> String {
    match (value, reference.value) {
        (Some(v), Some(t)) if t != 0.0 => format!("{:.1}%", v / t * 100.0),
        (_, None) if reference.label == NOT_SET => String::new(),
        _ => "无法判定".into(),
    }
}

struct Row<'a> {
    key: &'a str,
    group: &'a str,
    name: String,
    unit: &'a str,
    value: (Option<f64>, String),
    reference: (Reference, Option<Citation>),
    with_completion: bool,
    note: String,
    schematic: bool,
}

fn build(plan: &Plan, r: Row<'_>) -> RestorationIndicator {
    let (reference, citation) = r.reference;
    RestorationIndicator {
        key: r.key.into(),
        group: r.group.into(),
        name: r.name,
        unit: r.unit.into(),
        completion: if r.with_completion {
            completion(r.value.0, &reference)
        } else {
            String::new()
        },
        reference,
        value: r.value.0,
        value_label: r.value.1,
        note: r.note,
        schematic: r.schematic,
        cite: citation
            .as_ref()
            .map_or(String::new(), |c| plan.cite_label(c)),
        citation,
    }
}

/// The section for `year` from `figures` against `plan`.
///
/// References: the baseline keys [`KEY_LEGACY_MINES`], [`KEY_LEGACY_AREA`], [`KEY_PROJECTS`],
/// [`KEY_INVESTMENT`], [`KEY_PROJECT_AREA`] (《规划》一（一）5–6) and the `previous_round` row
/// whose indicator is [`PREVIOUS_ROUND_KEY_PROJECTS`] (专栏1); [`NOT_SET`] when absent. The fund's
/// accrual is set against the amount due (《规划》六（二）5); the green-mine share against
/// nothing the plan states as a number (六（一）).
pub fn restoration_indicators(
    plan: &Plan,
    year: i32,
    figures: &RestorationFigures,
) -> RestorationIndicators {
    let l = &figures.legacy;
    let f = &figures.fund;
    let s = &figures.schedule;
    let g = &figures.green;
    let sch = l.legacy_schematic;
    let key_row = plan
        .previous_round
        .iter()
        .find(|r| r.indicator == PREVIOUS_ROUND_KEY_PROJECTS && r.item.is_none());
    let key_ref = match key_row {
        Some(r) => (
            Reference {
                kind: "专栏1 上轮规划目标".into(),
                value: Some(r.target),
                label: number_label(r.target),
            },
            Some(r.cite.clone()),
        ),
        None => (not_set(), None),
    };
    let key_note = key_row.map_or(String::new(), |r| {
        format!("上轮规划完成 {} 个", number_label(r.actual))
    });
    let due = reading_f64(&f.due_wan_yuan);
    let accrued_ref = Reference {
        kind: "应提取额".into(),
        value: due.0,
        label: due.1.clone(),
    };
    let short_note = match &f.mines_short {
        Reading::Value(n) => format!("{n} 座矿山少提（{} 座应提取）", f.mines),
        Reading::Missing(w) => format!("少提矿山：{w}"),
    };
    let green_note = match &g.green_mines {
        Reading::Value(n) => format!("{n} / {} 座生产矿山列入绿色矿山名录", g.producing_mines),
        // The count of producing mines is not shown beside a missing figure: the store may not
        // have counted either.
        Reading::Missing(w) => format!("绿色矿山：{w}"),
    };
    let schedule_note = if s.disturbed_ha.value().is_some() || s.restored_ha.value().is_some() {
        format!("{} 座矿山年度报告填报了损毁与修复面积", s.mines_reporting)
    } else {
        String::new()
    };
    let rows = vec![
        Row {
            key: "key_projects",
            group: "修复项目",
            name: "重点治理项目（已验收）".into(),
            unit: "个",
            value: reading_f64(&l.key_projects_done),
            reference: key_ref,
            with_completion: true,
            note: key_note,
            schematic: false,
        },
        Row {
            key: "legacy_mines",
            group: "历史遗留矿山",
            name: "历史遗留矿山（在册）".into(),
            unit: "个",
            value: reading_f64(&l.legacy_mines),
            reference: baseline(plan, KEY_LEGACY_MINES),
            with_completion: false,
            note: String::new(),
            schematic: sch,
        },
        Row {
            key: "legacy_area",
            group: "历史遗留矿山",
            name: "历史遗留矿山面积".into(),
            unit: "km²",
            value: reading_f64(&l.legacy_area_km2),
            reference: baseline(plan, KEY_LEGACY_AREA),
            with_completion: false,
            note: String::new(),
            schematic: sch,
        },
        Row {
            key: "legacy_remaining",
            group: "历史遗留矿山",
            name: "尚未治理的历史遗留矿山".into(),
            unit: "个",
            value: reading_f64(&l.remaining),
            reference: baseline(plan, KEY_LEGACY_MINES),
            with_completion: false,
            note: "未治理与治理中".into(),
            schematic: sch,
        },
        Row {
            key: "legacy_remaining_area",
            group: "历史遗留矿山",
            name: "尚未治理面积".into(),
            unit: "km²",
            value: reading_f64(&l.remaining_area_km2),
            reference: baseline(plan, KEY_LEGACY_AREA),
            with_completion: false,
            note: "未治理与治理中".into(),
            schematic: sch,
        },
        Row {
            key: "restored_area",
            group: "历史遗留矿山",
            name: "已治理面积".into(),
            unit: "km²",
            value: reading_f64(&l.restored_area_km2),
            reference: baseline(plan, KEY_LEGACY_AREA),
            with_completion: true,
            note: "已治理与已验收".into(),
            schematic: sch,
        },
        Row {
            key: "projects",
            group: "修复项目",
            name: "矿山生态修复项目（含基期）".into(),
            unit: "个",
            value: reading_f64(&l.projects),
            reference: baseline(plan, KEY_PROJECTS),
            with_completion: false,
            note: String::new(),
            schematic: false,
        },
        Row {
            key: "investment",
            group: "修复项目",
            name: "修复项目投资".into(),
            unit: "万元",
            value: reading_f64(&l.investment_wan_yuan),
            reference: baseline(plan, KEY_INVESTMENT),
            with_completion: false,
            note: String::new(),
            schematic: false,
        },
        Row {
            key: "project_area",
            group: "修复项目",
            name: "修复项目区面积".into(),
            unit: "km²",
            value: reading_f64(&l.project_area_km2),
            reference: baseline(plan, KEY_PROJECT_AREA),
            with_completion: false,
            note: String::new(),
            schematic: false,
        },
        Row {
            key: "fund_due",
            group: "治理恢复基金",
            name: format!("{year}年应提取基金"),
            unit: "万元",
            value: due,
            reference: (not_set(), None),
            with_completion: false,
            note: if f.due_wan_yuan.value().is_some() {
                format!("{} 座矿山应提取", f.mines)
            } else {
                String::new()
            },
            schematic: false,
        },
        Row {
            key: "fund_accrued",
            group: "治理恢复基金",
            name: format!("{year}年已提取基金"),
            unit: "万元",
            value: reading_f64(&f.accrued_wan_yuan),
            reference: (accrued_ref, None),
            with_completion: true,
            note: String::new(),
            schematic: false,
        },
        Row {
            key: "fund_shortfall",
            group: "治理恢复基金",
            name: "少提取金额".into(),
            unit: "万元",
            value: reading_f64(&f.shortfall_wan_yuan),
            reference: (not_set(), None),
            with_completion: false,
            note: short_note,
            schematic: false,
        },
        Row {
            key: "fund_withdrawn",
            group: "治理恢复基金",
            name: format!("{year}年基金使用"),
            unit: "万元",
            value: reading_f64(&f.withdrawn_wan_yuan),
            reference: (not_set(), None),
            with_completion: false,
            note: String::new(),
            schematic: false,
        },
        Row {
            key: "disturbed_ha",
            group: "边开采边治理",
            name: format!("{year}年新增损毁土地"),
            unit: "公顷",
            value: reading_f64(&s.disturbed_ha),
            reference: (not_set(), None),
            with_completion: false,
            note: schedule_note.clone(),
            schematic: false,
        },
        Row {
            key: "restored_ha",
            group: "边开采边治理",
            name: format!("{year}年修复土地"),
            unit: "公顷",
            value: reading_f64(&s.restored_ha),
            reference: (not_set(), None),
            with_completion: false,
            note: schedule_note,
            schematic: false,
        },
        Row {
            key: "mines_behind",
            group: "边开采边治理",
            name: "落后于修复方案进度的矿山".into(),
            unit: "座",
            value: reading_f64(&s.mines_behind),
            reference: (not_set(), None),
            with_completion: false,
            note: String::new(),
            schematic: false,
        },
        Row {
            key: "mines_without_plans",
            group: "边开采边治理",
            name: "未同时具备两方案的开采矿山".into(),
            unit: "座",
            value: reading_f64(&s.mines_without_plans),
            reference: (not_set(), None),
            with_completion: false,
            note: "三同时：开发利用方案与矿区生态修复方案".into(),
            schematic: false,
        },
        Row {
            key: "green_share",
            group: "绿色矿山",
            name: "绿色矿山占生产矿山比例".into(),
            unit: "%",
            value: reading_f64(&g.share_pct),
            reference: (not_set(), None),
            with_completion: false,
            note: green_note,
            schematic: false,
        },
    ];
    RestorationIndicators {
        year,
        schematic: sch,
        rows: rows.into_iter().map(|r| build(plan, r)).collect(),
    }
}
