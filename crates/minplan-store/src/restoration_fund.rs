//! The 矿山地质环境治理恢复基金 ledger (being built).

use crate::{Result, Store};
use minplan_domain::date::Date;
use minplan_domain::restoration::figures::FundFigures;

impl Store {
    /// The fund over every mine for `year`, periods counted up to `today`.
    ///
    /// # Errors
    /// Database errors.
    pub async fn fund_figures(&self, year: i32, today: Date) -> Result<FundFigures> {
        let _ = today;
        Ok(FundFigures {
            year,
            ..FundFigures::default()
        })
    }
}
