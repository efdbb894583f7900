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

/// Why a mine has no scale class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Unclassified {
    /// No registered capacity (or no mineral).
    NoCapacity,
    /// The table has no row for the mineral.
    NotInTable,
    /// The table's rows for the mineral are in units the capacity does not convert to
    /// (e.g. 万吨/年 against 万立方米/年 rows, or 立方米/日).
    UnitNotConvertible,
}

impl Unclassified {
    /// Chinese reason.
    pub fn label(&self) -> &'static str {
        match self {
            Unclassified::NoCapacity => "无生产规模",
            Unclassified::NotInTable => "分类表无该矿种",
            Unclassified::UnitNotConvertible => "规模单位无法换算为分类表单位",
        }
    }
}

impl ScaleTable {
    /// The class of a mine of `mineral` producing `value` `unit` a year; `None` when no row
    /// applies or the unit does not convert to any row's.
    pub fn classify(
        &self,
        minerals: &MineralCatalogue,
        mineral: &str,
        value: f64,
        unit: Unit,
    ) -> Option<ScaleClass> {
        self.classify_or_why(minerals, mineral, value, unit).ok()
    }

    /// As [`ScaleTable::classify`], saying why not. The table may give several rows for a
    /// mineral (e.g. 万吨/年 and 万立方米/年): the first row, in table order, whose unit the
    /// capacity converts to ([`crate::units::convert`], 千立方米/年 → 万立方米/年) classes
    /// it.
    ///
    /// # Errors
    /// [`Unclassified::NotInTable`] or [`Unclassified::UnitNotConvertible`].
    pub fn classify_or_why(
        &self,
        minerals: &MineralCatalogue,
        mineral: &str,
        value: f64,
        unit: Unit,
    ) -> Result<ScaleClass, Unclassified> {
        let mut rows = self
            .rows
            .iter()
            .filter(|r| minerals.is_kind_of(mineral, &r.mineral))
            .peekable();
        if rows.peek().is_none() {
            return Err(Unclassified::NotInTable);
        }
        let (row, v) = rows
            .find_map(|r| crate::units::convert(value, unit, r.unit).map(|v| (r, v)))
            .ok_or(Unclassified::UnitNotConvertible)?;
        // Compared in the row's unit, to 1e-9 of it (50 千立方米/年 is 5 万立方米/年 exactly).
        let at_least = |min: f64| v >= min - 1e-9 * min.abs().max(1.0);
        Ok(if at_least(row.large_min) {
            ScaleClass::Large
        } else if at_least(row.medium_min) {
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

    #[test]
    fn classifies_across_units_and_rows() {
        let m = MineralCatalogue::builtin();
        let mut t = ScaleTable::default();
        // 50 千立方米/年 = 5 万立方米/年: 中型, not 小型 and not unclassifiable.
        assert_eq!(
            t.classify(&m, "建筑用石", 50.0, Unit::QianM3PerYear),
            Some(ScaleClass::Medium)
        );
        assert_eq!(
            t.classify(&m, "建筑用石", 120_000.0, Unit::M3PerYear),
            Some(ScaleClass::Large)
        );
        assert_eq!(
            t.classify(&m, "膨润土", 49_000.0, Unit::TonnePerYear),
            Some(ScaleClass::Small)
        );
        // A daily rate has no yearly row without the working days.
        assert_eq!(
            t.classify_or_why(&m, "矿泉水", 300.0, Unit::M3PerDay),
            Err(Unclassified::UnitNotConvertible)
        );
        assert_eq!(
            t.classify_or_why(&m, "建筑用石", 30.0, Unit::WanTonnePerYear),
            Err(Unclassified::UnitNotConvertible)
        );
        assert_eq!(
            t.classify_or_why(&m, "泥炭", 12.0, Unit::WanTonnePerYear),
            Err(Unclassified::NotInTable)
        );
        // A second row of the same mineral in 万吨/年 classes a capacity in tonnes.
        t.rows.push(ScaleRow {
            mineral: "建筑用石".into(),
            unit: Unit::WanTonnePerYear,
            large_min: 26.0,
            medium_min: 13.0,
        });
        assert_eq!(
            t.classify(&m, "建筑用凝灰岩", 150_000.0, Unit::TonnePerYear),
            Some(ScaleClass::Medium)
        );
        assert_eq!(
            t.classify(&m, "建筑用凝灰岩", 6.0, Unit::WanM3PerYear),
            Some(ScaleClass::Medium)
        );
    }
}
