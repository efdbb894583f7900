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

/// A mine that owes an annual report for a year, with the minerals its mining rights in force
/// during the year list (what its report is expected to cover).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredMine {
    /// Mine id.
    pub mine_id: i64,
    /// Minerals of its mining rights in force on at least one day of the year (as registered).
    pub minerals: Vec<String>,
}

/// [`mines_required`] with each mine's minerals (for the coverage of a mineral's total).
pub fn mines_required_with_minerals(
    mines: &BTreeMap<i64, Vec<&RightHistory>>,
    year: i32,
) -> Vec<RequiredMine> {
    let (from, to) = (Date::start_of_year(year), Date::end_of_year(year));
    mines
        .iter()
        .filter_map(|(id, hs)| {
            let in_force: Vec<_> = hs
                .iter()
                .filter(|h| {
                    h.current().kind == crate::application::RightKind::Mining
                        && h.valid_during(from, to)
                })
                .collect();
            if in_force.is_empty() {
                return None;
            }
            let mut minerals: Vec<String> = Vec::new();
            for h in in_force {
                for m in &h.current().minerals {
                    if !minerals.contains(m) {
                        minerals.push(m.clone());
                    }
                }
            }
            Some(RequiredMine {
                mine_id: *id,
                minerals,
            })
        })
        .collect()
}
