//! Which mines owe an annual report for a year.

use crate::date::Date;
use crate::register::RightHistory;
use std::collections::BTreeMap;

/// The mines a year requires reports from: for each mine (id → its mining rights' histories),
/// whether one of its mining rights was in force on at least one day of the year.
pub fn mines_required(mines: &BTreeMap<i64, Vec<&RightHistory>>, year: i32) -> Vec<i64> {
    mines
        .iter()
        .filter(|(_, hs)| {
            hs.iter().any(|h| {
                h.current().kind == crate::application::RightKind::Mining
                    && h.valid_during(Date::start_of_year(year), Date::end_of_year(year))
            })
        })
        .map(|(id, _)| *id)
        .collect()
}
