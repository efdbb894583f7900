//! 三同时 and 边开采边治理 records per mine (being built).

use crate::{Result, Store};
use minplan_domain::restoration::figures::ScheduleFigures;

impl Store {
    /// 三同时 and 边开采边治理 for `year`.
    ///
    /// # Errors
    /// Database errors.
    pub async fn schedule_figures(&self, year: i32) -> Result<ScheduleFigures> {
        Ok(ScheduleFigures {
            year,
            ..ScheduleFigures::default()
        })
    }
}

impl Store {
    /// The approved 矿区生态修复方案 of mine `mine_id` in force on `on`, if one is on file.
    ///
    /// # Errors
    /// Database errors.
    pub async fn approved_restoration_plan(
        &self,
        mine_id: i64,
        on: minplan_domain::date::Date,
    ) -> Result<Option<minplan_domain::restoration::schedule::ApprovedRestorationPlan>> {
        let _ = (mine_id, on);
        Ok(None)
    }
}
