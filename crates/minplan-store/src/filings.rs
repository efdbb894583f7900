//! 勘查开采信息 filings (《矿业权人勘查开采信息管理办法》自然资源部令第13号, in force
//! 2024-07-01): a rights holder files the previous year's information between 1 January and
//! 31 March and it is 公示. The mine's annual report is that filing here (its deadline is
//! [`minplan_domain::register::annual_report::due_date`]); a filing after the deadline, or
//! none by then, is 未按期公示 — a ground for listing in the 异常名录, which the lists'
//! workflow decides (nothing here lists anyone).

use crate::annual_reports::{ReportStatus, ReportStatusRow};
use crate::{Result, Store};
use minplan_domain::date::Date;

impl Store {
    /// The filings for `year` that are 未按期公示 on `today`: filed after 31 March of the next
    /// year ([`ReportStatus::Late`]) or not filed by then ([`ReportStatus::Missing`]), by mine.
    /// Empty before the deadline has passed for a filing not yet made. The lists' workflow
    /// calls this to propose listing in the 异常名录.
    ///
    /// # Errors
    /// [`crate::StoreError::Db`].
    pub async fn late_filings(&self, year: i32, today: Date) -> Result<Vec<ReportStatusRow>> {
        Ok(self
            .report_statuses(year, today)
            .await?
            .into_iter()
            .filter(|r| matches!(r.status, ReportStatus::Late | ReportStatus::Missing))
            .collect())
    }
}
