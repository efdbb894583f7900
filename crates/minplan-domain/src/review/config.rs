//! Review parameters that are not plan figures (tolerances, service-life range) and the
//! production-scale table of 国土资发〔2004〕208号. Defaults are documented here; a bureau may
//! change them, and each review records the values it used.

use crate::minerals::MineralCatalogue;
use crate::units::Unit;
use serde::{Deserialize, Serialize};

/// Tolerances and ranges of the rules. Deserializable so that a stored review can be re-run
/// with the parameters it recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewConfig {
    /// R2: the application must cover at least this share of its planning block, and the
    /// block at least this share of the application, for the extents to be 基本一致
    /// (default 0.95).
    pub coverage_min: f64,
    /// Boundaries within this distance touch and never overlap (m, default 0.01:
    /// coordinates are written to 0.01 m).
    pub touch_width_m: f64,
    /// Shared areas at or below this are slivers (m², default 1).
    pub sliver_area_m2: f64,
    /// R4: acceptable 服务年限 = reserves ÷ capacity, years (default 3–30). Above the range
    /// the scale is too small for the deposit (大矿小开).
    pub service_years_min: f64,
    /// See [`ReviewConfig::service_years_min`].
    pub service_years_max: f64,
    /// R4: stated service years may differ from reserves ÷ capacity by this share before it
    /// needs a look (default 0.2).
    pub service_years_tolerance: f64,
}

impl Default for ReviewConfig {
    fn default() -> Self {
        ReviewConfig {
            coverage_min: 0.95,
            touch_width_m: 0.01,
            sliver_area_m2: 1.0,
            service_years_min: 3.0,
            service_years_max: 30.0,
            service_years_tolerance: 0.2,
        }
    }
}

/// 大型 / 中型 / 小型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ScaleClass {
    /// 大型.
    #[serde(rename = "大型")]
    Large,
    /// 中型.
    #[serde(rename = "中型")]
    Medium,
    /// 小型.
    #[serde(rename = "小型")]
    Small,
}

impl ScaleClass {
    /// Chinese label.
    pub fn label(&self) -> &'static str {
        match self {
            ScaleClass::Large => "大型",
            ScaleClass::Medium => "中型",
            ScaleClass::Small => "小型",
        }
    }
}

/// One row of the production-scale table: large from `large_min`, medium from
/// `medium_min`, small below (annual output in `unit`).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct ScaleRow {
    /// Mineral (its kinds follow it).
    pub mineral: String,
    /// Annual unit.
    pub unit: Unit,
    /// Lower bound of 大型.
    pub large_min: f64,
    /// Lower bound of 中型.
    pub medium_min: f64,
}

/// 矿山生产建设规模分类一览表 (国土资发〔2004〕208号), the rows county plans need. Editable: a
/// bureau may add or change rows; minerals not listed are classed by a row of a similar
/// mineral or not at all (the review then asks for a manual check).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScaleTable {
    /// Rows.
    pub rows: Vec<ScaleRow>,
    /// Where the rows come from.
    pub source: String,
}

impl Default for ScaleTable {
    fn default() -> Self {
        let r = |m: &str, unit, large_min, medium_min| ScaleRow {
            mineral: m.into(),
            unit,
            large_min,
            medium_min,
        };
        ScaleTable {
            rows: vec![
                // 建筑石料 万立方米/年: 大型 ≥10，中型 10–5，小型 <5.
                r("建筑用石", Unit::WanM3PerYear, 10.0, 5.0),
                // 地热（热水）万立方米/年: ≥20，20–10，<10.
                r("地下热水", Unit::WanM3PerYear, 20.0, 10.0),
                // 矿泉水 万立方米/年: ≥10，10–5，<5.
                r("矿泉水", Unit::WanM3PerYear, 10.0, 5.0),
                // 膨润土 矿石万吨/年: ≥10，10–5，<5.
                r("膨润土", Unit::WanTonnePerYear, 10.0, 5.0),
                // 沸石 矿石万吨/年: ≥30，30–10，<10.
                r("沸石", Unit::WanTonnePerYear, 30.0, 10.0),
            ],
            source: "国土资发〔2004〕208号《矿山生产建设规模分类一览表》".into(),
        }
    }
}

impl ScaleTable {
    /// The class of a mine of `mineral` producing `value` `unit` a year; `None` when no row
    /// applies or the unit differs.
    pub fn classify(
        &self,
        minerals: &MineralCatalogue,
        mineral: &str,
        value: f64,
        unit: Unit,
    ) -> Option<ScaleClass> {
        let row = self
            .rows
            .iter()
            .find(|r| minerals.is_kind_of(mineral, &r.mineral))?;
        if row.unit != unit {
            return None;
        }
        Some(if value >= row.large_min {
            ScaleClass::Large
        } else if value >= row.medium_min {
            ScaleClass::Medium
        } else {
            ScaleClass::Small
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_the_2004_table() {
        let t = ScaleTable::default();
        let m = MineralCatalogue::builtin();
        assert_eq!(
            t.classify(&m, "建筑用凝灰岩", 12.0, Unit::WanM3PerYear),
            Some(ScaleClass::Large)
        );
        assert_eq!(
            t.classify(&m, "建筑用石", 5.0, Unit::WanM3PerYear),
            Some(ScaleClass::Medium)
        );
        assert_eq!(
            t.classify(&m, "建筑用石", 4.9, Unit::WanM3PerYear),
            Some(ScaleClass::Small)
        );
        assert_eq!(
            t.classify(&m, "地下热水", 20.0, Unit::WanM3PerYear),
            Some(ScaleClass::Large)
        );
        assert_eq!(
            t.classify(&m, "建筑用石", 12.0, Unit::WanTonnePerYear),
            None
        );
        assert_eq!(t.classify(&m, "泥炭", 12.0, Unit::WanTonnePerYear), None);
    }
}
