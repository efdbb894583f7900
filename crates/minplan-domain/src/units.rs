//! Units of plan figures (计量单位).
//!
//! A plan bundle writes units as the plan text does; [`Unit::parse`] accepts the usual
//! spellings and rejects anything else, so a typo cannot silently change a figure's meaning.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A unit a plan figure may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    /// 万元 (10⁴ yuan).
    WanYuan,
    /// 个 (count).
    Ge,
    /// 家 (count of enterprises).
    Jia,
    /// 处 (count of places, e.g. 矿产地).
    Chu,
    /// 种 (count of kinds, e.g. minerals).
    Zhong,
    /// 万人 (10⁴ people).
    WanRen,
    /// 人 (people).
    Ren,
    /// 年 (year).
    Year,
    /// % (percent).
    Percent,
    /// km² (平方千米).
    Km2,
    /// m (metre).
    Metre,
    /// 万吨 (10⁴ t).
    WanTonne,
    /// 万吨/年 (10⁴ t per year).
    WanTonnePerYear,
    /// 万立方米 (10⁴ m³).
    WanM3,
    /// 万立方米/年 (10⁴ m³ per year).
    WanM3PerYear,
}

/// A unit string that is not one of [`Unit`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "未知计量单位“{0}”（可用：万元、个、家、处、种、万人、人、年、%、km²、m、万吨、万吨/年、万立方米、万立方米/年）"
)]
pub struct UnknownUnit(pub String);

impl Unit {
    /// All units, in display order.
    pub const ALL: [Unit; 15] = [
        Unit::WanYuan,
        Unit::Ge,
        Unit::Jia,
        Unit::Chu,
        Unit::Zhong,
        Unit::WanRen,
        Unit::Ren,
        Unit::Year,
        Unit::Percent,
        Unit::Km2,
        Unit::Metre,
        Unit::WanTonne,
        Unit::WanTonnePerYear,
        Unit::WanM3,
        Unit::WanM3PerYear,
    ];

    /// The canonical Chinese symbol.
    pub fn symbol(&self) -> &'static str {
        match self {
            Unit::WanYuan => "万元",
            Unit::Ge => "个",
            Unit::Jia => "家",
            Unit::Chu => "处",
            Unit::Zhong => "种",
            Unit::WanRen => "万人",
            Unit::Ren => "人",
            Unit::Year => "年",
            Unit::Percent => "%",
            Unit::Km2 => "km²",
            Unit::Metre => "m",
            Unit::WanTonne => "万吨",
            Unit::WanTonnePerYear => "万吨/年",
            Unit::WanM3 => "万立方米",
            Unit::WanM3PerYear => "万立方米/年",
        }
    }

    /// The yearly rate of an amount (万立方米 → 万立方米/年, 万吨 → 万吨/年); a rate is its own.
    /// `None` for units that are neither.
    pub fn per_year(&self) -> Option<Unit> {
        match self {
            Unit::WanM3 | Unit::WanM3PerYear => Some(Unit::WanM3PerYear),
            Unit::WanTonne | Unit::WanTonnePerYear => Some(Unit::WanTonnePerYear),
            _ => None,
        }
    }

    /// The amount of a yearly rate (万立方米/年 → 万立方米, 万吨/年 → 万吨); an amount is its
    /// own. `None` for units that are neither.
    pub fn amount(&self) -> Option<Unit> {
        match self {
            Unit::WanM3 | Unit::WanM3PerYear => Some(Unit::WanM3),
            Unit::WanTonne | Unit::WanTonnePerYear => Some(Unit::WanTonne),
            _ => None,
        }
    }

    /// Parses a unit; accepts `平方千米`/`km2`/`平方公里` for km², `万m³/年` etc.
    ///
    /// # Errors
    /// [`UnknownUnit`] with the text given.
    pub fn parse(s: &str) -> Result<Unit, UnknownUnit> {
        let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let t = t.replace('／', "/").replace('％', "%").replace("m3", "m³");
        let u = match t.as_str() {
            "平方千米" | "平方公里" | "km2" => Unit::Km2,
            "米" => Unit::Metre,
            "万m³" => Unit::WanM3,
            "万m³/年" | "万方/年" => Unit::WanM3PerYear,
            "万t" => Unit::WanTonne,
            "万t/年" => Unit::WanTonnePerYear,
            other => {
                return Unit::ALL
                    .into_iter()
                    .find(|u| u.symbol() == other)
                    .ok_or_else(|| UnknownUnit(s.to_string()));
            }
        };
        Ok(u)
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.symbol())
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Unit::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl Serialize for Unit {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.symbol())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_spellings() {
        assert_eq!(Unit::parse("平方千米"), Ok(Unit::Km2));
        assert_eq!(Unit::parse("万立方米/年"), Ok(Unit::WanM3PerYear));
        assert_eq!(Unit::parse("万m3/年"), Ok(Unit::WanM3PerYear));
        assert_eq!(Unit::parse("％"), Ok(Unit::Percent));
        for u in Unit::ALL {
            assert_eq!(Unit::parse(u.symbol()), Ok(u));
        }
        assert!(Unit::parse("万立方").is_err());
    }
}
