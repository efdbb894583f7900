//! Units of plan figures (计量单位).
//!
//! A plan bundle writes units as the plan text does; [`Unit::parse`] accepts the usual
//! spellings and rejects anything else, so a typo cannot silently change a figure's meaning.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A unit a plan figure may carry.
///
/// Every unit has a [`Dimension`] and a factor to the base unit of that dimension
/// ([`Unit::factor`]); [`convert`] converts within a dimension and refuses across
/// dimensions. Variants are only ever added: stored data holds the symbols.
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
    /// 万立方米 (10⁴ m³; also written 万方).
    WanM3,
    /// 万立方米/年 (10⁴ m³ per year).
    WanM3PerYear,
    /// 千立方米 (10³ m³).
    QianM3,
    /// 立方米 (m³).
    M3,
    /// 千吨 (10³ t).
    QianTonne,
    /// 吨 (t).
    Tonne,
    /// 千立方米/年 (10³ m³ per year).
    QianM3PerYear,
    /// 立方米/年 (m³ per year).
    M3PerYear,
    /// 千吨/年 (10³ t per year).
    QianTonnePerYear,
    /// 吨/年 (t per year).
    TonnePerYear,
    /// 立方米/日 (m³ per day; to a yearly rate only with the working days stated, see
    /// [`per_day_to_per_year`]).
    M3PerDay,
    /// 宗 (count of rights).
    Zong,
    /// 座 (count of mines).
    Zuo,
    /// 公顷 (hectare).
    Hectare,
    /// 亩 (1/15 公顷).
    Mu,
}

/// What a unit measures. Units of one dimension convert into each other by their factors;
/// units of different dimensions never do (a volume rate and a volume, or 万吨 and
/// 万立方米 without a density).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dimension {
    /// Money (base 元).
    Money,
    /// A count of things (base 1; 个、家、处、种、宗、座).
    Count,
    /// People (base 人).
    People,
    /// Time (base 年).
    Time,
    /// Percent.
    Percent,
    /// Length (base m).
    Length,
    /// Area (base m²).
    Area,
    /// Mass (base t).
    Mass,
    /// Volume (base m³).
    Volume,
    /// Mass per year (base t/年).
    MassPerYear,
    /// Volume per year (base m³/年).
    VolumePerYear,
    /// Volume per day (base m³/日).
    VolumePerDay,
}

impl Dimension {
    /// Chinese name.
    pub fn label(&self) -> &'static str {
        match self {
            Dimension::Money => "金额",
            Dimension::Count => "数量",
            Dimension::People => "人数",
            Dimension::Time => "时间",
            Dimension::Percent => "百分比",
            Dimension::Length => "长度",
            Dimension::Area => "面积",
            Dimension::Mass => "质量",
            Dimension::Volume => "体积",
            Dimension::MassPerYear => "年产量（质量）",
            Dimension::VolumePerYear => "年产量（体积）",
            Dimension::VolumePerDay => "日产量（体积）",
        }
    }
}

/// A unit string that is not one of [`Unit`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("未知计量单位“{0}”（可用：{list}）", list = Unit::symbols())]
pub struct UnknownUnit(pub String);

impl Unit {
    /// All units, in display order.
    pub const ALL: [Unit; 28] = [
        Unit::WanYuan,
        Unit::Ge,
        Unit::Jia,
        Unit::Chu,
        Unit::Zhong,
        Unit::Zong,
        Unit::Zuo,
        Unit::WanRen,
        Unit::Ren,
        Unit::Year,
        Unit::Percent,
        Unit::Km2,
        Unit::Hectare,
        Unit::Mu,
        Unit::Metre,
        Unit::WanTonne,
        Unit::QianTonne,
        Unit::Tonne,
        Unit::WanTonnePerYear,
        Unit::QianTonnePerYear,
        Unit::TonnePerYear,
        Unit::WanM3,
        Unit::QianM3,
        Unit::M3,
        Unit::WanM3PerYear,
        Unit::QianM3PerYear,
        Unit::M3PerYear,
        Unit::M3PerDay,
    ];

    /// The symbols of all units, `、`-separated (for messages).
    pub fn symbols() -> String {
        Unit::ALL.map(|u| u.symbol()).join("、")
    }

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
            Unit::QianM3 => "千立方米",
            Unit::M3 => "立方米",
            Unit::QianTonne => "千吨",
            Unit::Tonne => "吨",
            Unit::QianM3PerYear => "千立方米/年",
            Unit::M3PerYear => "立方米/年",
            Unit::QianTonnePerYear => "千吨/年",
            Unit::TonnePerYear => "吨/年",
            Unit::M3PerDay => "立方米/日",
            Unit::Zong => "宗",
            Unit::Zuo => "座",
            Unit::Hectare => "公顷",
            Unit::Mu => "亩",
        }
    }

    /// What the unit measures.
    pub fn dimension(&self) -> Dimension {
        use Dimension as D;
        match self {
            Unit::WanYuan => D::Money,
            Unit::Ge | Unit::Jia | Unit::Chu | Unit::Zhong | Unit::Zong | Unit::Zuo => D::Count,
            Unit::WanRen | Unit::Ren => D::People,
            Unit::Year => D::Time,
            Unit::Percent => D::Percent,
            Unit::Metre => D::Length,
            Unit::Km2 | Unit::Hectare | Unit::Mu => D::Area,
            Unit::WanTonne | Unit::QianTonne | Unit::Tonne => D::Mass,
            Unit::WanM3 | Unit::QianM3 | Unit::M3 => D::Volume,
            Unit::WanTonnePerYear | Unit::QianTonnePerYear | Unit::TonnePerYear => D::MassPerYear,
            Unit::WanM3PerYear | Unit::QianM3PerYear | Unit::M3PerYear => D::VolumePerYear,
            Unit::M3PerDay => D::VolumePerDay,
        }
    }

    /// How many base units of its [`Dimension`] one of this unit is (万立方米 → 10 000 m³,
    /// 亩 → 10 000 / 15 m², 万元 → 10 000 元, a count → 1).
    pub fn factor(&self) -> f64 {
        match self {
            Unit::WanYuan | Unit::WanRen => 1e4,
            Unit::Ge | Unit::Jia | Unit::Chu | Unit::Zhong | Unit::Zong | Unit::Zuo => 1.0,
            Unit::Ren | Unit::Year | Unit::Percent | Unit::Metre => 1.0,
            Unit::Km2 => 1e6,
            Unit::Hectare => 1e4,
            Unit::Mu => 1e4 / 15.0,
            Unit::WanTonne | Unit::WanTonnePerYear | Unit::WanM3 | Unit::WanM3PerYear => 1e4,
            Unit::QianTonne | Unit::QianTonnePerYear | Unit::QianM3 | Unit::QianM3PerYear => 1e3,
            Unit::Tonne | Unit::TonnePerYear | Unit::M3 | Unit::M3PerYear | Unit::M3PerDay => 1.0,
        }
    }

    /// The yearly rate of an amount (万立方米 → 万立方米/年, 千吨 → 千吨/年); a yearly rate is
    /// its own. `None` for units that are neither (立方米/日 needs the working days, see
    /// [`per_day_to_per_year`]).
    pub fn per_year(&self) -> Option<Unit> {
        match self {
            Unit::WanM3 | Unit::WanM3PerYear => Some(Unit::WanM3PerYear),
            Unit::WanTonne | Unit::WanTonnePerYear => Some(Unit::WanTonnePerYear),
            Unit::QianM3 | Unit::QianM3PerYear => Some(Unit::QianM3PerYear),
            Unit::M3 | Unit::M3PerYear => Some(Unit::M3PerYear),
            Unit::QianTonne | Unit::QianTonnePerYear => Some(Unit::QianTonnePerYear),
            Unit::Tonne | Unit::TonnePerYear => Some(Unit::TonnePerYear),
            _ => None,
        }
    }

    /// The amount of a yearly rate (万立方米/年 → 万立方米, 吨/年 → 吨); an amount is its
    /// own. `None` for units that are neither.
    pub fn amount(&self) -> Option<Unit> {
        match self {
            Unit::WanM3 | Unit::WanM3PerYear => Some(Unit::WanM3),
            Unit::WanTonne | Unit::WanTonnePerYear => Some(Unit::WanTonne),
            Unit::QianM3 | Unit::QianM3PerYear => Some(Unit::QianM3),
            Unit::M3 | Unit::M3PerYear => Some(Unit::M3),
            Unit::QianTonne | Unit::QianTonnePerYear => Some(Unit::QianTonne),
            Unit::Tonne | Unit::TonnePerYear => Some(Unit::Tonne),
            _ => None,
        }
    }

    /// Parses a unit; accepts `平方千米`/`km2`/`平方公里` for km², `万m³/年`, `万方` (万立方米),
    /// `m³/d` (立方米/日), `t/a` etc.
    ///
    /// # Errors
    /// [`UnknownUnit`] with the text given.
    pub fn parse(s: &str) -> Result<Unit, UnknownUnit> {
        let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let t = t
            .replace('／', "/")
            .replace('％', "%")
            .replace("m3", "m³")
            .replace("/a", "/年")
            .replace("/d", "/日")
            .replace("/天", "/日");
        let u = match t.as_str() {
            "平方千米" | "平方公里" | "km2" | "km²" => Unit::Km2,
            "hm²" | "hm2" | "ha" => Unit::Hectare,
            "米" => Unit::Metre,
            "万m³" | "万方" => Unit::WanM3,
            "万m³/年" | "万方/年" => Unit::WanM3PerYear,
            "千m³" | "千方" => Unit::QianM3,
            "千m³/年" | "千方/年" => Unit::QianM3PerYear,
            "m³" | "方" => Unit::M3,
            "m³/年" | "方/年" => Unit::M3PerYear,
            "m³/日" | "方/日" | "立方/日" => Unit::M3PerDay,
            "万t" => Unit::WanTonne,
            "万t/年" => Unit::WanTonnePerYear,
            "千t" => Unit::QianTonne,
            "千t/年" => Unit::QianTonnePerYear,
            "t" => Unit::Tonne,
            "t/年" => Unit::TonnePerYear,
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

/// `value` `from` in `to`; `None` across dimensions (万吨 → 万立方米 needs a density:
/// [`convert_with_density`]; 立方米/日 → 万立方米/年 needs the working days:
/// [`per_day_to_per_year`]).
///
/// # Examples
/// ```
/// use minplan_domain::units::{Unit, convert};
/// assert_eq!(convert(50.0, Unit::QianM3PerYear, Unit::WanM3PerYear), Some(5.0));
/// assert_eq!(convert(5.0, Unit::WanTonne, Unit::WanM3), None);
/// ```
pub fn convert(value: f64, from: Unit, to: Unit) -> Option<f64> {
    if from == to {
        return Some(value);
    }
    (from.dimension() == to.dimension()).then(|| value * from.factor() / to.factor())
}

/// `value` `from` in `to` where one is a mass and the other a volume (or both yearly rates
/// of them), by the stated `density_t_per_m3` (t/m³, e.g. 2.6 for a dimension stone); within
/// one dimension as [`convert`]. `None` for other dimensions or a density that is not
/// positive.
///
/// # Examples
/// ```
/// use minplan_domain::units::{Unit, convert_with_density};
/// // 26 万吨 of rock at 2.6 t/m³ is 10 万立方米.
/// assert_eq!(convert_with_density(26.0, Unit::WanTonne, Unit::WanM3, 2.6), Some(10.0));
/// ```
pub fn convert_with_density(
    value: f64,
    from: Unit,
    to: Unit,
    density_t_per_m3: f64,
) -> Option<f64> {
    use Dimension as D;
    if let Some(v) = convert(value, from, to) {
        return Some(v);
    }
    if !(density_t_per_m3.is_finite() && density_t_per_m3 > 0.0) {
        return None;
    }
    let base = value * from.factor();
    let in_base_of_to = match (from.dimension(), to.dimension()) {
        (D::Mass, D::Volume) | (D::MassPerYear, D::VolumePerYear) => base / density_t_per_m3,
        (D::Volume, D::Mass) | (D::VolumePerYear, D::MassPerYear) => base * density_t_per_m3,
        _ => return None,
    };
    Some(in_base_of_to / to.factor())
}

/// A daily rate `value` `from` (立方米/日) as a yearly rate in `to` (e.g. 万立方米/年), for a
/// mine that works `days_per_year` days a year — as the plan or the application states them;
/// there is no default (a spring pumping 365 days and a quarry working 250 differ by half).
/// `None` when `from` is not a daily rate, `to` not a yearly rate of the same kind, or the
/// days are not in (0, 366].
///
/// # Examples
/// ```
/// use minplan_domain::units::{Unit, per_day_to_per_year};
/// // 200 m³/d × 300 d = 60 000 m³ = 6 万立方米/年.
/// assert_eq!(per_day_to_per_year(200.0, Unit::M3PerDay, Unit::WanM3PerYear, 300.0), Some(6.0));
/// ```
pub fn per_day_to_per_year(value: f64, from: Unit, to: Unit, days_per_year: f64) -> Option<f64> {
    if from.dimension() != Dimension::VolumePerDay
        || to.dimension() != Dimension::VolumePerYear
        || !(days_per_year > 0.0 && days_per_year <= 366.0)
    {
        return None;
    }
    Some(value * from.factor() * days_per_year / to.factor())
}

/// A yearly rate `value` `from` (e.g. 万立方米/年) as a daily rate in `to` (立方米/日) for
/// `days_per_year` stated working days; the inverse of [`per_day_to_per_year`].
pub fn per_year_to_per_day(value: f64, from: Unit, to: Unit, days_per_year: f64) -> Option<f64> {
    if from.dimension() != Dimension::VolumePerYear
        || to.dimension() != Dimension::VolumePerDay
        || !(days_per_year > 0.0 && days_per_year <= 366.0)
    {
        return None;
    }
    Some(value * from.factor() / days_per_year / to.factor())
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
    fn parses_the_units_plans_write() {
        for (text, unit) in [
            ("千立方米", Unit::QianM3),
            ("万方", Unit::WanM3),
            ("万方/年", Unit::WanM3PerYear),
            ("千吨", Unit::QianTonne),
            ("吨", Unit::Tonne),
            ("立方米", Unit::M3),
            ("立方米/日", Unit::M3PerDay),
            ("m³/d", Unit::M3PerDay),
            ("m3/d", Unit::M3PerDay),
            ("千立方米/年", Unit::QianM3PerYear),
            ("千吨/年", Unit::QianTonnePerYear),
            ("吨/年", Unit::TonnePerYear),
            ("t/a", Unit::TonnePerYear),
            ("宗", Unit::Zong),
            ("个", Unit::Ge),
            ("家", Unit::Jia),
            ("处", Unit::Chu),
            ("座", Unit::Zuo),
            ("公顷", Unit::Hectare),
            ("亩", Unit::Mu),
            ("平方千米", Unit::Km2),
        ] {
            assert_eq!(Unit::parse(text), Ok(unit), "{text}");
        }
        // The stored symbols of the first units are unchanged.
        assert_eq!(Unit::Km2.symbol(), "km²");
        assert_eq!(Unit::WanM3PerYear.symbol(), "万立方米/年");
        assert_eq!(
            serde_json::to_string(&Unit::WanTonnePerYear).unwrap(),
            "\"万吨/年\""
        );
        let err = Unit::parse("万立方").unwrap_err().to_string();
        assert!(
            err.contains("千立方米/年") && err.contains("立方米/日"),
            "{err}"
        );
    }

    #[test]
    fn converts_within_a_dimension_only() {
        let close = |a: Option<f64>, b: f64| {
            assert!(a.is_some_and(|a| (a - b).abs() < 1e-9), "{a:?} ≠ {b}")
        };
        close(convert(50.0, Unit::QianM3PerYear, Unit::WanM3PerYear), 5.0);
        close(convert(3.0, Unit::WanM3PerYear, Unit::QianM3PerYear), 30.0);
        close(
            convert(25_000.0, Unit::TonnePerYear, Unit::WanTonnePerYear),
            2.5,
        );
        close(convert(12.0, Unit::QianTonne, Unit::WanTonne), 1.2);
        close(convert(15.0, Unit::Mu, Unit::Hectare), 1.0);
        close(convert(1.0, Unit::Km2, Unit::Hectare), 100.0);
        close(convert(3.0, Unit::Zuo, Unit::Ge), 3.0);
        assert_eq!(convert(1.0, Unit::WanTonne, Unit::WanM3), None);
        assert_eq!(convert(1.0, Unit::WanM3, Unit::WanM3PerYear), None);
        assert_eq!(convert(1.0, Unit::M3PerDay, Unit::WanM3PerYear), None);
        assert_eq!(convert(1.0, Unit::Percent, Unit::Ge), None);
        for u in Unit::ALL {
            assert_eq!(convert(7.0, u, u), Some(7.0));
        }
    }

    #[test]
    fn mass_and_volume_convert_only_with_a_density() {
        let close = |a: Option<f64>, b: f64| {
            assert!(a.is_some_and(|a| (a - b).abs() < 1e-9), "{a:?} ≠ {b}")
        };
        close(
            convert_with_density(26.0, Unit::WanTonne, Unit::WanM3, 2.6),
            10.0,
        );
        close(
            convert_with_density(10.0, Unit::WanM3PerYear, Unit::QianTonnePerYear, 2.6),
            260.0,
        );
        assert_eq!(
            convert_with_density(26.0, Unit::WanTonne, Unit::WanM3PerYear, 2.6),
            None
        );
        assert_eq!(
            convert_with_density(26.0, Unit::WanTonne, Unit::WanM3, 0.0),
            None
        );
    }

    #[test]
    fn daily_rates_need_the_stated_working_days() {
        // 200 m³/d on 300 days = 60 000 m³/年 = 6 万立方米/年; on 365 days 7.3.
        assert_eq!(
            per_day_to_per_year(200.0, Unit::M3PerDay, Unit::WanM3PerYear, 300.0),
            Some(6.0)
        );
        assert_eq!(
            per_day_to_per_year(200.0, Unit::M3PerDay, Unit::WanM3PerYear, 365.0),
            Some(7.3)
        );
        assert_eq!(
            per_year_to_per_day(6.0, Unit::WanM3PerYear, Unit::M3PerDay, 300.0),
            Some(200.0)
        );
        assert_eq!(
            per_day_to_per_year(200.0, Unit::M3PerDay, Unit::WanM3PerYear, 0.0),
            None
        );
        assert_eq!(
            per_day_to_per_year(200.0, Unit::M3PerDay, Unit::WanTonnePerYear, 300.0),
            None
        );
    }

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
