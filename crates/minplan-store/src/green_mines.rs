//! 绿色矿山: checklist, assessments and the 名录 (being built).

use crate::{Result, Store};
use minplan_domain::date::Date;
use minplan_domain::restoration::figures::GreenFigures;

impl Store {
    /// Green mines as on `on`.
    ///
    /// # Errors
    /// Database errors.
    pub async fn green_figures(&self, on: Date) -> Result<GreenFigures> {
        let _ = on;
        Ok(GreenFigures::default())
    }
}
