//! The status of a value against its target, and the least-squares projection to the plan's
//! last year (rules in the [parent module](super)).

use super::specs::IndicatorSpec;
use super::{MonitoringConfig, Status, is_cap};

/// The least-squares line through `points` (year, value) evaluated at `at`; one point
/// projects as itself; `None` without points.
///
/// # Examples
/// ```
/// use minplan_domain::monitoring::projection;
/// // y = 100 x − 202 000: 2021 → 100, 2022 → 200; 2025 → 500.
/// assert_eq!(projection(&[(2021, 100.0), (2022, 200.0)], 2025), Some(500.0));
/// assert_eq!(projection(&[(2021, 7.0)], 2025), Some(7.0));
/// ```
pub fn projection(points: &[(i32, f64)], at: i32) -> Option<f64> {
    let n = points.len();
    if n == 0 {
        return None;
    }
    let xm = points.iter().map(|p| f64::from(p.0)).sum::<f64>() / n as f64;
    let ym = points.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let sxx: f64 = points.iter().map(|p| (f64::from(p.0) - xm).powi(2)).sum();
    if sxx == 0.0 {
        return Some(ym);
    }
    let sxy: f64 = points
        .iter()
        .map(|p| (f64::from(p.0) - xm) * (p.1 - ym))
        .sum();
    Some(ym + sxy / sxx * (f64::from(at) - xm))
}

/// The status of a value (see the [module documentation](self)).
pub fn status(
    spec: &IndicatorSpec,
    value: Option<f64>,
    year: i32,
    period_end: i32,
    projected: Option<f64>,
    config: &MonitoringConfig,
) -> Status {
    let Some(v) = value else {
        return Status::NoData;
    };
    let c = spec.comparison;
    let t = spec.target;
    if is_cap(c) {
        if !c.holds(v, t) {
            Status::Breached
        } else if t > 0.0 && v >= config.warn_ratio * t {
            Status::Warning
        } else {
            Status::OnTrack
        }
    } else if c.holds(v, t) {
        Status::OnTrack
    } else if year >= period_end {
        Status::Breached
    } else if projected.is_some_and(|p| c.holds(p, t)) {
        Status::OnTrack
    } else {
        Status::Warning
    }
}
