//! 勘查开采信息 filings (《矿业权人勘查开采信息管理办法》自然资源部令第13号, in force
//! 2024-07-01): a rights holder files the previous year's information between 1 January and
//! 31 March and it is 公示. The mine's annual report is that filing here (its deadline is
//! [`minplan_domain::register::annual_report::due_date`]); a filing after the deadline, or
//! none by then, is 未按期公示 — a ground for listing in the 异常名录, which the lists'
//! workflow decides (nothing here lists anyone).

use crate::annual_reports::{ReportStatus, ReportStatusRow};
use crate::audit::{self, Actor, AuditEntry};
use crate::{FieldError, Result, Store, StoreError};
use minplan_domain::application::RightKind;
use minplan_domain::date::Date;
use minplan_domain::register::filing::{FilingInput, MineStatus, check_filing};
use sqlx::Row;

impl Store {
    /// The filings for `year` that are 未按期公示 on `today`: filed after 31 March of the next
    /// year ([`ReportStatus::Late`]) or not filed by then ([`ReportStatus::Missing`]), by mine.
    /// Empty before the deadline has passed for a filing not yet made. The lists' workflow
    /// calls this to propose listing in the 异常名录.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn late_filings(&self, year: i32, today: Date) -> Result<Vec<ReportStatusRow>> {
        Ok(self
            .report_statuses(year, today)
            .await?
            .into_iter()
            .filter(|r| matches!(r.status, ReportStatus::Late | ReportStatus::Missing))
            .collect())
    }
}

/// A stored 勘查开采信息 filing of a right for a year.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct InformationFiling {
    /// 许可证号.
    pub right_id: String,
    /// 填报年度.
    pub year: i32,
    /// The right's kind when filed.
    pub right_kind: RightKind,
    /// What was filed.
    #[serde(flatten)]
    pub input: FilingInput,
    /// First filed.
    pub filed_on: Date,
    /// Last corrected.
    pub corrected_on: Option<Date>,
    /// Filed by staff for the holder (代报).
    pub on_behalf: bool,
}

fn filing_from_row(r: &sqlx::sqlite::SqliteRow) -> InformationFiling {
    let date = |c: &str| {
        r.get::<Option<String>, _>(c)
            .and_then(|s| Date::parse(&s).ok())
    };
    let flag = |c: &str| r.get::<Option<i64>, _>(c).map(|v| v != 0);
    InformationFiling {
        right_id: r.get("right_id"),
        year: r.get::<i64, _>("year") as i32,
        right_kind: if r.get::<String, _>("right_kind") == "探矿权" {
            RightKind::Exploration
        } else {
            RightKind::Mining
        },
        input: FilingInput {
            mine_status: r
                .get::<Option<String>, _>("mine_status")
                .and_then(|s| MineStatus::parse(&s)),
            reserves_consumed: r.get("reserves_consumed"),
            restoration: r.get("restoration"),
            explorer: r.get("explorer"),
            investment_wan_yuan: r.get("investment_wan_yuan"),
            workload: r.get("workload"),
            result_report: flag("result_report"),
            stage: r.get("stage"),
            wells_sealed: flag("wells_sealed"),
            geodata: r.get("geodata"),
            obligations: r.get("obligations"),
        },
        filed_on: date("filed_on").unwrap_or_else(|| Date::start_of_year(1970)),
        corrected_on: date("corrected_on"),
        on_behalf: r.get::<i64, _>("on_behalf") != 0,
    }
}

impl Store {
    /// Files (or corrects) the 勘查开采信息 of right `right_id` for `year` on `today`, checked
    /// by [`check_filing`] for the right's kind, with its audit row (`filing.file` /
    /// `filing.correct`) in one transaction; a correction keeps the first filing date.
    ///
    /// * `only_holder` — for a 矿山企业 account: its 统一社会信用代码, which must be the right's
    ///   holder's; `on_behalf` — filed by staff (代报).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown right (or another holder's, for a company);
    /// [`StoreError::Invalid`] with every problem (the year not over on `today`, or before
    /// the right was valid; each field of [`check_filing`]); nothing written.
    #[allow(clippy::too_many_arguments)]
    pub async fn file_information(
        &self,
        right_id: &str,
        year: i32,
        input: &FilingInput,
        today: Date,
        on_behalf: bool,
        only_holder: Option<&str>,
        actor: &Actor,
    ) -> Result<InformationFiling> {
        let h = self.right_history(right_id).await?;
        let state = h.current();
        if let Some(code) = only_holder
            && state.credit_code.as_deref() != Some(code)
        {
            return Err(StoreError::NotFound(format!(
                "登记簿中没有矿业权“{right_id}”"
            )));
        }
        let mut errors = Vec::new();
        if year >= today.year() {
            errors.push(FieldError::new(
                "year",
                format!("{year} 年度尚未结束，勘查开采信息在次年 1 月 1 日至 3 月 31 日填报"),
            ));
        } else if !h.valid_during(Date::start_of_year(year), Date::end_of_year(year)) {
            errors.push(FieldError::new(
                "year",
                format!("该矿业权在 {year} 年没有一天有效，不需填报该年度"),
            ));
        }
        let kind = state.kind;
        if let Err(p) = check_filing(kind, input) {
            errors.extend(p.into_iter().map(|p| FieldError::new(p.field, p.message)));
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let mut tx = self.begin_write().await?;
        let before =
            sqlx::query("SELECT * FROM information_filings WHERE right_id = ? AND year = ?")
                .bind(right_id)
                .bind(i64::from(year))
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| filing_from_row(&r));
        let text = |v: &Option<String>| v.as_deref().map(str::trim).map(str::to_string);
        sqlx::query(
            "INSERT INTO information_filings (right_id, year, right_kind, mine_status,
                reserves_consumed, restoration, explorer, investment_wan_yuan, workload,
                result_report, stage, wells_sealed, geodata, obligations, filed_on, corrected_on,
                on_behalf, filed_by)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)
             ON CONFLICT (right_id, year) DO UPDATE SET right_kind = excluded.right_kind,
                mine_status = excluded.mine_status, reserves_consumed = excluded.reserves_consumed,
                restoration = excluded.restoration, explorer = excluded.explorer,
                investment_wan_yuan = excluded.investment_wan_yuan, workload = excluded.workload,
                result_report = excluded.result_report, stage = excluded.stage,
                wells_sealed = excluded.wells_sealed, geodata = excluded.geodata,
                obligations = excluded.obligations, corrected_on = excluded.filed_on,
                on_behalf = excluded.on_behalf, filed_by = excluded.filed_by",
        )
        .bind(right_id)
        .bind(i64::from(year))
        .bind(kind.label())
        .bind(input.mine_status.map(|s| s.label()))
        .bind(input.reserves_consumed)
        .bind(text(&input.restoration))
        .bind(text(&input.explorer))
        .bind(input.investment_wan_yuan)
        .bind(text(&input.workload))
        .bind(input.result_report.map(i64::from))
        .bind(text(&input.stage))
        .bind(input.wells_sealed.map(i64::from))
        .bind(text(&input.geodata))
        .bind(text(&input.obligations).unwrap_or_default())
        .bind(today.to_string())
        .bind(i64::from(on_behalf))
        .bind(actor.label())
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query("SELECT * FROM information_filings WHERE right_id = ? AND year = ?")
            .bind(right_id)
            .bind(i64::from(year))
            .fetch_one(&mut *tx)
            .await?;
        let after = filing_from_row(&row);
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: if before.is_some() {
                    "filing.correct"
                } else {
                    "filing.file"
                },
                entity_type: "information_filing",
                entity_id: format!("{right_id}:{year}"),
                before: before.map(|b| serde_json::to_value(b).unwrap_or_default()),
                after: Some(serde_json::to_value(&after).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The 勘查开采信息 filing of `right_id` for `year`, when filed.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn information_filing(
        &self,
        right_id: &str,
        year: i32,
    ) -> Result<Option<InformationFiling>> {
        Ok(
            sqlx::query("SELECT * FROM information_filings WHERE right_id = ? AND year = ?")
                .bind(right_id)
                .bind(i64::from(year))
                .fetch_optional(&self.pool)
                .await?
                .map(|r| filing_from_row(&r)),
        )
    }
}
