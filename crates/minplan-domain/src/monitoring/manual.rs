//! Indicators the register cannot compute (提供中型矿产地, 清水循环利用率, any `manual`
//! metric): values entered by 规划科 staff with their evidence. An indicator with no entry for
//! a year is 未填报, never 0.

use crate::plan::Metric;
use serde::{Deserialize, Serialize};

/// A value entered by hand for an indicator and a year, with its evidence (人工填报).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ManualEntry {
    /// Indicator key (as in the plan, e.g. `new_deposits`).
    pub indicator: String,
    /// Year the value is for.
    pub year: i32,
    /// The value, in the indicator's unit.
    pub value: f64,
    /// 依据/证明材料: what the value rests on, as the staff wrote it.
    pub evidence: String,
    /// Name of the attached evidence file (as uploaded; the file itself is kept by the bureau).
    pub attachment: Option<String>,
    /// Who entered it (display name).
    pub entered_by: String,
    /// When, RFC 3339 UTC as stored.
    pub entered_at: String,
}

/// Whether a metric is entered by hand (the register and the annual reports cannot give it).
pub fn is_manual(metric: &Metric) -> bool {
    matches!(
        metric,
        Metric::NewDeposits | Metric::WaterReuseRate | Metric::Manual
    )
}

/// The entry for `indicator` in `year` among `entries`: the last one given (a correction is a
/// later entry; earlier ones stay on record).
pub fn entry_for<'a>(
    entries: &'a [ManualEntry],
    indicator: &str,
    year: i32,
) -> Option<&'a ManualEntry> {
    entries
        .iter()
        .rev()
        .find(|e| e.indicator == indicator && e.year == year)
}

/// Largest count (处, 个, …) a manual indicator takes for one year: a county's plan never
/// counts more; a larger figure is a typing slip (e.g. `1e3`).
pub const MANUAL_COUNT_MAX: f64 = 1000.0;

/// Largest value of a manual indicator in any other unit (a sanity limit).
pub const MANUAL_VALUE_MAX: f64 = 1.0e9;

/// Reads a manual indicator's value as typed, in `unit`: a plain decimal number (digits with
/// at most one decimal point; no sign, exponent or thousands separator), not negative; a
/// count (处, 个, 座 …, [`crate::units::Dimension::Count`]) a whole number up to
/// [`MANUAL_COUNT_MAX`]; a percentage at most 100; anything else at most
/// [`MANUAL_VALUE_MAX`].
///
/// # Errors
/// The Chinese message for the field (without the field's name), e.g. `应为整数（单位：处），收到“1.5”`.
///
/// # Examples
/// ```
/// use minplan_domain::monitoring::manual::read_value;
/// use minplan_domain::units::Unit;
/// assert_eq!(read_value(Unit::Chu, "2"), Ok(2.0));
/// assert!(read_value(Unit::Chu, "1.5").is_err());
/// assert!(read_value(Unit::Chu, "1e3").is_err());
/// assert_eq!(read_value(Unit::Percent, "85.5"), Ok(85.5));
/// ```
pub fn read_value(unit: crate::units::Unit, text: &str) -> Result<f64, String> {
    use crate::units::{Dimension, Unit};
    let t = text.trim();
    if t.is_empty() {
        return Err("请填写数值".into());
    }
    if t.starts_with('-') {
        return Err(format!("数值不能为负数，收到“{t}”"));
    }
    let plain = t.chars().all(|c| c.is_ascii_digit() || c == '.')
        && t.matches('.').count() <= 1
        && !t.starts_with('.')
        && !t.ends_with('.');
    if !plain {
        return Err(format!(
            "数值应为普通写法的数字（如 2 或 85.5，不用科学计数法、正负号或千分位），收到“{t}”"
        ));
    }
    let v: f64 = t.parse().map_err(|_| format!("数值应为数字，收到“{t}”"))?;
    let symbol = unit.symbol();
    if unit.dimension() == Dimension::Count {
        if v.fract() != 0.0 {
            return Err(format!("应为整数（单位：{symbol}），收到“{t}”"));
        }
        if v > MANUAL_COUNT_MAX {
            return Err(format!(
                "数值 {t} {symbol} 超过合理上限 {MANUAL_COUNT_MAX} {symbol}，请核对"
            ));
        }
    } else if unit == Unit::Percent {
        if v > 100.0 {
            return Err(format!("百分比不能大于 100，收到“{t}”"));
        }
    } else if v > MANUAL_VALUE_MAX {
        return Err(format!("数值 {t} 超过合理上限，请核对"));
    }
    Ok(v)
}

/// The years a manual value may be entered for on `today`: the plan period, up to `today`'s
/// year (a value for a year not begun, or after the period, is refused).
///
/// # Examples
/// ```
/// use minplan_domain::date::Date;
/// use minplan_domain::monitoring::manual::entry_years;
/// assert_eq!(entry_years(2021, 2025, Date::new(2026, 12, 6).unwrap()), 2021..=2025);
/// assert_eq!(entry_years(2021, 2025, Date::new(2023, 5, 1).unwrap()), 2021..=2023);
/// ```
pub fn entry_years(
    period_start: i32,
    period_end: i32,
    today: crate::date::Date,
) -> std::ops::RangeInclusive<i32> {
    period_start..=period_end.min(today.year())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Unit;

    #[test]
    fn a_count_is_a_plain_whole_number_within_reason() {
        assert_eq!(read_value(Unit::Chu, " 3 "), Ok(3.0));
        assert_eq!(read_value(Unit::Chu, "0"), Ok(0.0));
        let e = read_value(Unit::Chu, "1.5").unwrap_err();
        assert!(e.contains("应为整数") && e.contains("处"), "{e}");
        assert!(
            read_value(Unit::Chu, "1e3")
                .unwrap_err()
                .contains("普通写法")
        );
        assert!(read_value(Unit::Chu, "-1").unwrap_err().contains("负数"));
        assert!(read_value(Unit::Chu, "1,000").is_err());
        assert!(read_value(Unit::Chu, "inf").is_err());
        assert!(
            read_value(Unit::Chu, "5000")
                .unwrap_err()
                .contains("合理上限")
        );
        assert_eq!(read_value(Unit::Chu, ""), Err("请填写数值".into()));
        assert!(read_value(Unit::Percent, "100.5").is_err());
        assert_eq!(read_value(Unit::Percent, "99.5"), Ok(99.5));
    }
}
