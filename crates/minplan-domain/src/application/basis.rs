//! The basis (计量基准) of an application's 保有资源量 and 设计生产规模: 矿石量 or 荒料量
//! (dimension stone is mined as blocks, 荒料, a fraction of the rock), and for reserves
//! 查明 / 保有 / 可采. R4 compares reserves and capacity only on the same basis.

use serde::Serialize;
use std::fmt;

/// What is measured: the rock, or the blocks cut from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Material {
    /// 矿石量.
    #[serde(rename = "矿石量")]
    Ore,
    /// 荒料量 (dimension-stone blocks).
    #[serde(rename = "荒料量")]
    Block,
}

impl Material {
    /// Chinese label.
    pub fn label(&self) -> &'static str {
        match self {
            Material::Ore => "矿石量",
            Material::Block => "荒料量",
        }
    }
}

/// Which reserves: 查明 (identified), 保有 (remaining), 可采 (recoverable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ReserveCategory {
    /// 查明资源量.
    #[serde(rename = "查明")]
    Identified,
    /// 保有资源量.
    #[serde(rename = "保有")]
    Retained,
    /// 可采储量.
    #[serde(rename = "可采")]
    Recoverable,
}

impl ReserveCategory {
    /// Chinese label.
    pub fn label(&self) -> &'static str {
        match self {
            ReserveCategory::Identified => "查明",
            ReserveCategory::Retained => "保有",
            ReserveCategory::Recoverable => "可采",
        }
    }
}

/// The basis of a figure, as stated; either part may be left unstated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Basis {
    /// 矿石量 / 荒料量.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub material: Option<Material>,
    /// 查明 / 保有 / 可采 (reserves only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<ReserveCategory>,
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.category.map_or("", |c| c.label());
        let m = self.material.map_or("", |m| m.label());
        write!(f, "{c}{m}")
    }
}

impl Basis {
    /// Parses `荒料量`, `矿石量`, `可采荒料量`, `查明矿石量`, `保有资源量`, `可采储量` …;
    /// `category_allowed` is false for a capacity (查明/保有/可采 describe reserves).
    ///
    /// # Errors
    /// A Chinese message for unknown words, or two materials or categories.
    pub fn parse(text: &str, category_allowed: bool) -> Result<Basis, String> {
        let mut rest: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && !"、,，/·".contains(*c))
            .collect();
        let mut b = Basis::default();
        for (word, m) in [
            ("荒料量", Material::Block),
            ("荒料", Material::Block),
            ("矿石量", Material::Ore),
            ("矿石", Material::Ore),
        ] {
            if rest.contains(word) {
                if b.material.is_some_and(|x| x != m) {
                    return Err(format!("基准“{text}”同时写了矿石量和荒料量"));
                }
                b.material = Some(m);
                rest = rest.replace(word, "");
            }
        }
        for (word, c) in [
            ("查明", ReserveCategory::Identified),
            ("保有", ReserveCategory::Retained),
            ("可采", ReserveCategory::Recoverable),
        ] {
            if rest.contains(word) {
                if !category_allowed {
                    return Err(format!(
                        "生产规模的基准只能是矿石量或荒料量，“{word}”用于资源量"
                    ));
                }
                if b.category.is_some_and(|x| x != c) {
                    return Err(format!("基准“{text}”写了两种资源量类别"));
                }
                b.category = Some(c);
                rest = rest.replace(word, "");
            }
        }
        for filler in ["资源储量", "资源量", "储量", "量"] {
            rest = rest.replace(filler, "");
        }
        if !rest.is_empty() || b == Basis::default() {
            return Err(format!(
                "未知基准“{text}”（可用：矿石量、荒料量{}）",
                if category_allowed {
                    "，资源量另可注明查明、保有、可采"
                } else {
                    ""
                }
            ));
        }
        Ok(b)
    }
}

/// Splits `万立方米（荒料量）` into the unit and the basis text, if the unit carries one in
/// brackets (full- or half-width).
pub fn split_unit_basis(unit: &str) -> (&str, Option<&str>) {
    let t = unit.trim();
    for (open, close) in [("（", "）"), ("(", ")")] {
        if let Some(body) = t.strip_suffix(close)
            && let Some(i) = body.find(open)
        {
            return (body[..i].trim(), Some(body[i + open.len()..].trim()));
        }
    }
    (t, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bases() {
        assert_eq!(
            Basis::parse("荒料量", true),
            Ok(Basis {
                material: Some(Material::Block),
                category: None
            })
        );
        assert_eq!(
            Basis::parse("可采 荒料量", true),
            Ok(Basis {
                material: Some(Material::Block),
                category: Some(ReserveCategory::Recoverable)
            })
        );
        assert_eq!(
            Basis::parse("查明资源量", true),
            Ok(Basis {
                material: None,
                category: Some(ReserveCategory::Identified)
            })
        );
        assert_eq!(
            Basis::parse("矿石", false).map(|b| b.material),
            Ok(Some(Material::Ore))
        );
        assert!(Basis::parse("可采储量", false).is_err());
        assert!(Basis::parse("荒料量、矿石量", true).is_err());
        assert!(Basis::parse("毛料", true).is_err());
        assert!(Basis::parse("", true).is_err());
        assert_eq!(
            split_unit_basis("万立方米（荒料量）"),
            ("万立方米", Some("荒料量"))
        );
        assert_eq!(
            split_unit_basis("万吨/年(矿石量)"),
            ("万吨/年", Some("矿石量"))
        );
        assert_eq!(split_unit_basis("万吨/年"), ("万吨/年", None));
    }
}
