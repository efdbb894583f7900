//! 历史遗留矿山 and 修复项目 (being built).

use crate::{Result, Store};
use minplan_domain::date::Date;
use minplan_domain::restoration::figures::LegacyFigures;

impl Store {
    /// Legacy mines and projects as on `on`.
    ///
    /// # Errors
    /// Database errors.
    pub async fn legacy_figures(&self, on: Date) -> Result<LegacyFigures> {
        let _ = on;
        Ok(LegacyFigures::default())
    }
}
