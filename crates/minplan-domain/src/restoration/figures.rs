//! The restoration figures shown on 规划指标, the 工作台 and in the evaluation: each a value or a
//! named gap (`Reading::Missing` with 无数据 / 未报送 / 无法判定 and why), never a silent 0.
//! Areas in km² or 公顷 as the field name says; money in 万元.

use serde::Serialize;

/// A figure: its value, or why there is none (the Chinese words shown in its place).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", content = "value", rename_all = "snake_case")]
pub enum Reading<T> {
    /// The value.
    Value(T),
    /// No value; the words shown instead (`无数据：尚未录入历史遗留矿山`).
    Missing(String),
}

impl<T> Reading<T> {
    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Reading::Value(v) => Some(v),
            Reading::Missing(_) => None,
        }
    }
}

impl<T> Default for Reading<T> {
    fn default() -> Self {
        Reading::Missing("无数据".into())
    }
}

/// 历史遗留矿山 and 修复项目 on a date (《规划》一（一）5–6, 专栏1).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct LegacyFigures {
    /// Legacy mines in the inventory.
    pub legacy_mines: Reading<u32>,
    /// Whether any inventory entry is schematic (示意).
    pub legacy_schematic: bool,
    /// Their area, km².
    pub legacy_area_km2: Reading<f64>,
    /// Legacy mines not yet restored (未治理 + 治理中).
    pub remaining: Reading<u32>,
    /// Their area, km².
    pub remaining_area_km2: Reading<f64>,
    /// Legacy mines' area restored (已治理 + 已验收), km².
    pub restored_area_km2: Reading<f64>,
    /// Restoration projects (the baseline's included).
    pub projects: Reading<u32>,
    /// 重点治理项目 accepted (toward 专栏1's target).
    pub key_projects_done: Reading<u32>,
    /// Investment of the projects, 万元.
    pub investment_wan_yuan: Reading<f64>,
    /// Restored area of the projects, km².
    pub project_area_km2: Reading<f64>,
}

/// The 矿山地质环境治理恢复基金 of a year, over every mine that must accrue (《规划》六（二）5).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FundFigures {
    /// The year.
    pub year: i32,
    /// Mines that must accrue in the year.
    pub mines: u32,
    /// Amount due, 万元.
    pub due_wan_yuan: Reading<f64>,
    /// Amount accrued, 万元.
    pub accrued_wan_yuan: Reading<f64>,
    /// Amount withdrawn (expenditure), 万元.
    pub withdrawn_wan_yuan: Reading<f64>,
    /// Mines short of their due amount in some period of the year.
    pub mines_short: Reading<u32>,
    /// The shortfall summed, 万元.
    pub shortfall_wan_yuan: Reading<f64>,
}

/// 三同时 and 边开采边治理 of a year (《规划》六（二）1).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ScheduleFigures {
    /// The year.
    pub year: i32,
    /// Area disturbed in the year as the annual reports state, 公顷.
    pub disturbed_ha: Reading<f64>,
    /// Area restored in the year as the annual reports state, 公顷.
    pub restored_ha: Reading<f64>,
    /// Mines whose report gave both figures.
    pub mines_reporting: u32,
    /// Mines behind their 矿区生态修复方案's schedule.
    pub mines_behind: Reading<u32>,
    /// Mining mines without both plans on file.
    pub mines_without_plans: Reading<u32>,
}

/// 绿色矿山 on a date (《规划》六（一）).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GreenFigures {
    /// Producing mines (生产 / 基建) on the date.
    pub producing_mines: u32,
    /// Of them, in the 绿色矿山名录 (any level) on the date.
    pub green_mines: Reading<u32>,
    /// Entries of the 名录 by level (县级, 省级, 国家级), in that order.
    pub by_level: Vec<(String, u32)>,
    /// `green_mines / producing_mines` × 100, %; missing when no mine produces.
    pub share_pct: Reading<f64>,
}

/// Every restoration figure of a year (as on 31 December, or on today within the year).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RestorationFigures {
    /// Legacy mines and projects.
    pub legacy: LegacyFigures,
    /// The fund.
    pub fund: FundFigures,
    /// 三同时 and 边开采边治理.
    pub schedule: ScheduleFigures,
    /// Green mines.
    pub green: GreenFigures,
}
