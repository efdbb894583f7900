//! Minerals (矿种) and how they group.
//!
//! A plan names minerals at different levels: 专栏2 caps 建筑用石 while 四（二）1 names 建筑用凝灰岩,
//! a kind of 建筑用石. The catalogue records each mineral's group, its class in
//! 《矿产资源分类细目》 and whether it is a 砂石土 (普通建筑用砂石土) mineral, so that rules can ask
//! "does an application for 建筑用凝灰岩 count against the 建筑用石 cap?".
//! The built-in catalogue covers common county-level minerals; a plan bundle adds its own
//! with `[[minerals]]`.

use crate::labels::zh_labels;
use serde::Serialize;

/// Class of a mineral in 《矿产资源分类细目》.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MineralClass {
    /// 能源矿产 (incl. 地热; also written 能源).
    Energy,
    /// 金属矿产 (also written 金属).
    Metallic,
    /// 非金属矿产 (also written 非金属).
    NonMetallic,
    /// 水气矿产 (incl. 矿泉水; also written 水气).
    WaterGas,
}

zh_labels! {
    MineralClass, label {
        Energy => "能源矿产" | "能源",
        Metallic => "金属矿产" | "金属",
        NonMetallic => "非金属矿产" | "非金属",
        WaterGas => "水气矿产" | "水气",
    }
}

/// One mineral of the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mineral {
    /// Standard name, e.g. `建筑用凝灰岩`.
    pub name: String,
    /// Other spellings that mean the same mineral (`砖瓦用粘土` for `砖瓦用黏土`).
    pub aliases: Vec<String>,
    /// The broader mineral it is a kind of (`建筑用石` for `建筑用凝灰岩`), if any.
    pub group: Option<String>,
    /// Class in 《矿产资源分类细目》.
    pub class: MineralClass,
    /// Whether it is a 砂石土 mineral (普通建筑用砂、石、黏土), which the plan's 砂石土 rules cover.
    pub sand_gravel_clay: bool,
}

/// The minerals known to a plan: the built-in list plus the bundle's own.
#[derive(Debug, Clone, Serialize)]
pub struct MineralCatalogue {
    minerals: Vec<Mineral>,
}

fn m(name: &str, aliases: &[&str], group: Option<&str>, class: MineralClass, sgc: bool) -> Mineral {
    Mineral {
        name: name.into(),
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        group: group.map(Into::into),
        class,
        sand_gravel_clay: sgc,
    }
}

impl Default for MineralCatalogue {
    fn default() -> Self {
        Self::builtin()
    }
}

impl MineralCatalogue {
    /// The built-in catalogue (common county-level minerals).
    pub fn builtin() -> MineralCatalogue {
        use MineralClass::*;
        let stone = Some("建筑用石");
        let minerals = vec![
            m("地下热水", &["地热", "地热水"], None, Energy, false),
            m("泥炭", &[], None, NonMetallic, false),
            m("矿泉水", &["饮用天然矿泉水"], None, WaterGas, false),
            m("金刚石", &[], None, NonMetallic, false),
            m("膨润土", &[], None, NonMetallic, false),
            m("沸石", &[], None, NonMetallic, false),
            m("建筑用砂", &[], None, NonMetallic, true),
            m("砖瓦用黏土", &["砖瓦用粘土"], None, NonMetallic, true),
            m("建筑用石", &["建筑石料用灰岩"], None, NonMetallic, true),
            m("建筑用闪长岩", &[], stone, NonMetallic, true),
            m("建筑用安山岩", &[], stone, NonMetallic, true),
            m("建筑用玄武岩", &[], stone, NonMetallic, true),
            m("建筑用凝灰岩", &[], stone, NonMetallic, true),
            m("建筑用流纹岩", &[], stone, NonMetallic, true),
            m("建筑用花岗岩", &[], stone, NonMetallic, true),
            m("煤", &["煤炭"], None, Energy, false),
            m("金", &["岩金", "砂金"], None, Metallic, false),
            m("铁", &["铁矿"], None, Metallic, false),
            m("菱镁矿", &[], None, NonMetallic, false),
        ];
        MineralCatalogue { minerals }
    }

    /// Adds a mineral or replaces the one of the same name.
    pub fn insert(&mut self, mineral: Mineral) {
        self.minerals.retain(|x| x.name != mineral.name);
        self.minerals.push(mineral);
    }

    /// All minerals.
    pub fn all(&self) -> &[Mineral] {
        &self.minerals
    }

    /// The mineral with this name or alias.
    pub fn get(&self, name: &str) -> Option<&Mineral> {
        let name = name.trim();
        self.minerals
            .iter()
            .find(|x| x.name == name || x.aliases.iter().any(|a| a == name))
    }

    /// Whether `mineral` is `target` or a kind of it (following groups upward):
    /// `is_kind_of("建筑用凝灰岩", "建筑用石")` is true. Unknown names match only themselves.
    pub fn is_kind_of(&self, mineral: &str, target: &str) -> bool {
        // Canonical names borrowed from the catalogue; no allocation (this runs per right
        // per review).
        let canon = |n: &'_ str| -> String {
            let n = n.trim();
            self.get(n)
                .map_or_else(|| n.to_string(), |x| x.name.clone())
        };
        let target_c = self.get(target).map(|x| x.name.as_str());
        let target_s = target.trim();
        let same = |name: &str| match target_c {
            Some(t) => name == t,
            None => name == target_s,
        };
        let Some(mut current) = self.get(mineral) else {
            return same(mineral.trim());
        };
        for _ in 0..8 {
            if same(&current.name) {
                return true;
            }
            match current.group.as_deref().and_then(|g| self.get(g)) {
                Some(next) => current = next,
                None => return current.group.as_deref().is_some_and(|g| same(&canon(g))),
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_aliases() {
        let c = MineralCatalogue::builtin();
        assert!(c.is_kind_of("建筑用凝灰岩", "建筑用石"));
        assert!(c.is_kind_of("建筑用石", "建筑用石"));
        assert!(!c.is_kind_of("建筑用石", "建筑用凝灰岩"));
        assert!(c.is_kind_of("砖瓦用粘土", "砖瓦用黏土"));
        assert!(c.is_kind_of("饮用天然矿泉水", "矿泉水"));
        assert!(c.get("建筑用凝灰岩").unwrap().sand_gravel_clay);
        assert!(!c.get("地热").unwrap().sand_gravel_clay);
    }
}
