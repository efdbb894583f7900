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
