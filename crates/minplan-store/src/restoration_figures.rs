//! Every restoration figure of a year, gathered from the capability's stores.

use crate::{Result, Store};
use minplan_domain::date::Date;
use minplan_domain::restoration::figures::RestorationFigures;

impl Store {
    /// The restoration figures of `year` as on 31 December, or on `today` while the year runs.
    ///
    /// # Errors
    /// Database errors.
    pub async fn restoration_figures(&self, year: i32, today: Date) -> Result<RestorationFigures> {
        let end = Date::new(year, 12, 31).unwrap_or(today);
        let on = if today < end { today } else { end };
        Ok(RestorationFigures {
            legacy: self.legacy_figures(on).await?,
            fund: self.fund_figures(year, today).await?,
            schedule: self.schedule_figures(year).await?,
            green: self.green_figures(on).await?,
        })
    }
}
