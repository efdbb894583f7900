//! 工作日历 as the bureau keeps it: the built-in years of
//! [`minplan_domain::calendar::WorkCalendar::builtin`] with the years the bureau entered
//! (migration 0014, append-only; the latest entry of a year is in force).

use crate::audit::{self, Actor, AuditEntry};
use crate::{FieldError, Result, Store, StoreError, now_rfc3339};
use minplan_domain::calendar::{WorkCalendar, YearArrangement};
use sqlx::Row;

/// The years a bureau may enter.
pub const CALENDAR_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

impl Store {
    /// The calendar in force: built-in years, replaced or extended by the bureau's entries.
    ///
    /// # Errors
    /// [`StoreError::Db`]; [`StoreError::Invalid`] when a stored entry no longer reads (it
    /// was checked when written).
    pub async fn work_calendar(&self) -> Result<WorkCalendar> {
        let rows = sqlx::query(
            "SELECT year, arrangement, source FROM work_calendar_years w
             WHERE id = (SELECT MAX(id) FROM work_calendar_years v WHERE v.year = w.year)
             ORDER BY year",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut cal = WorkCalendar::builtin();
        for r in rows {
            let year: i64 = r.get("year");
            let text: String = r.get("arrangement");
            let source: String = r.get("source");
            let y = YearArrangement::parse(year as i32, &text, &source).map_err(|p| {
                StoreError::Invalid(
                    p.iter()
                        .map(|p| FieldError::new("arrangement", format!("工作日历 {year} 年：{p}")))
                        .collect(),
                )
            })?;
            cal.set(y);
        }
        Ok(cal)
    }

    /// Enters (or corrects) a year's arrangement, checked by [`YearArrangement::parse`],
    /// with the audit row `calendar.set` (before and after) in the same transaction.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] with every problem, by line (nothing written);
    /// [`StoreError::Db`].
    pub async fn set_calendar_year(
        &self,
        year: i32,
        text: &str,
        source: &str,
        entered_by: &str,
        actor: &Actor,
    ) -> Result<YearArrangement> {
        if !CALENDAR_YEARS.contains(&year) {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "year",
                format!(
                    "年份 {year} 应在 {} 至 {} 之间",
                    CALENDAR_YEARS.start(),
                    CALENDAR_YEARS.end()
                ),
            )]));
        }
        if source.trim().is_empty() {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "source",
                "请填写依据（如“国务院办公厅关于2027年部分节假日安排的通知”）",
            )]));
        }
        let y = YearArrangement::parse(year, text, source).map_err(|p| {
            StoreError::Invalid(
                p.iter()
                    .map(|p| FieldError::new("arrangement", p.to_string()))
                    .collect(),
            )
        })?;
        let before = self.work_calendar().await?.year(year).cloned();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO work_calendar_years (year, arrangement, source, entered_by, entered_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(i64::from(year))
        .bind(y.to_text())
        .bind(y.source.as_str())
        .bind(entered_by)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "calendar.set",
                entity_type: "calendar_year",
                entity_id: year.to_string(),
                before: before.map(|b| serde_json::to_value(b).unwrap_or_default()),
                after: Some(serde_json::to_value(&y).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(y)
    }
}

/// One entry of the bureau in the calendar's record (migration 0014): who entered which year
/// when, and on what basis. Earlier entries of a year stay on record.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CalendarEntry {
    /// 公历年.
    pub year: i32,
    /// 依据 (the notice's title or 文号).
    pub source: String,
    /// Who entered it, as recorded (the account's display name, or the CLI's user).
    pub entered_by: String,
    /// When, RFC 3339 UTC.
    pub entered_at: String,
    /// Whether it is the entry in force for its year (the latest).
    pub in_force: bool,
}

impl Store {
    /// Every entry the bureau made, newest first.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn calendar_entries(&self) -> Result<Vec<CalendarEntry>> {
        let rows = sqlx::query(
            "SELECT year, source, entered_by, entered_at,
                    id = (SELECT MAX(id) FROM work_calendar_years v WHERE v.year = w.year)
                        AS in_force
             FROM work_calendar_years w ORDER BY id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| CalendarEntry {
                year: r.get::<i64, _>("year") as i32,
                source: r.get("source"),
                entered_by: r.get("entered_by"),
                entered_at: r.get("entered_at"),
                in_force: r.get::<i64, _>("in_force") != 0,
            })
            .collect())
    }
}
