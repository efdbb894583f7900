//! Annual reports of mines (开发利用统计年报) in the database: filing (by the company or by
//! staff on its behalf, 代报), correction, listing, and the status of every report a year
//! requires (已报送 / 逾期报送 / 待报送 / 逾期未报).

use crate::audit::{self, Actor, AuditEntry};
use crate::lifecycle::invalid;
use crate::{Result, Store, StoreError};
use minplan_domain::date::Date;
use minplan_domain::monitoring::mines_required;
use minplan_domain::plan::Plan;
use minplan_domain::register::annual_report::{
    AnnualReport, ReportInput, Timeliness, check_report, due_date,
};
use minplan_domain::register::{Problem, RightHistory};
use minplan_domain::units::Unit;
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

/// What filing did.
#[derive(Debug, Clone, Serialize)]
pub struct FiledReport {
    /// The report as stored.
    pub report: AnnualReport,
    /// Whether it corrected an earlier filing (the first filing date is kept).
    pub corrected: bool,
    /// Remarks (超能力开采, 清水循环利用率 below the plan, late).
    pub warnings: Vec<String>,
}

/// Where a required report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// 按期报送.
    OnTime,
    /// 逾期报送.
    Late,
    /// 待报送 (deadline not passed).
    Due,
    /// 逾期未报.
    Missing,
}

impl ReportStatus {
    /// Chinese label.
    pub fn label(&self) -> &'static str {
        match self {
            ReportStatus::OnTime => "按期报送",
            ReportStatus::Late => "逾期报送",
            ReportStatus::Due => "待报送",
            ReportStatus::Missing => "逾期未报",
        }
    }
}

/// A report a year requires, with its status.
#[derive(Debug, Clone, Serialize)]
pub struct ReportStatusRow {
    /// Mine.
    pub mine_id: i64,
    /// Mine name.
    pub mine_name: String,
    /// Year.
    pub year: i32,
    /// The right in force in the year.
    pub right_id: String,
    /// Holder.
    pub holder_name: String,
    /// Holder's credit code.
    pub credit_code: Option<String>,
    /// Deadline.
    pub due: Date,
    /// Status.
    pub status: ReportStatus,
    /// Its label (with days late).
    pub status_label: String,
    /// The report, when filed.
    pub report: Option<AnnualReport>,
}

fn report_from_row(r: &sqlx::sqlite::SqliteRow) -> AnnualReport {
    let date = |c: &str| {
        r.get::<Option<String>, _>(c)
            .and_then(|s| Date::parse(&s).ok())
    };
    AnnualReport {
        id: r.get("id"),
        mine_id: r.get("mine_id"),
        mine_name: r.get("mine_name"),
        year: r.get::<i64, _>("year") as i32,
        right_id: r.get("right_id"),
        credit_code: r.get("credit_code"),
        mineral: r.get("mineral"),
        extraction: r.get("extraction"),
        unit: Unit::parse(&r.get::<String, _>("unit")).unwrap_or(Unit::WanM3),
        output_value_wan_yuan: r.get("output_value"),
        staff: r.get("staff"),
        mining_recovery_pct: r.get("mining_recovery"),
        processing_recovery_pct: r.get("processing_recovery"),
        utilisation_pct: r.get("utilisation"),
        water_reuse_pct: r.get("water_reuse"),
        filed_on: date("filed_on").unwrap_or_else(|| Date::start_of_year(1970)),
        corrected_on: date("corrected_on"),
        on_behalf: r.get::<i64, _>("on_behalf") != 0,
        filed_by: r.get("filed_by"),
        note: r.get("note"),
        disturbed_ha: r.get("disturbed_ha"),
        restored_ha: r.get("restored_ha"),
    }
}

/// The mines' mining-right histories by mine id.
pub(crate) fn by_mine(histories: &[RightHistory]) -> BTreeMap<i64, Vec<&RightHistory>> {
    let mut m: BTreeMap<i64, Vec<&RightHistory>> = BTreeMap::new();
    for h in histories {
        if let Some(id) = h.events.iter().rev().find_map(|e| e.state.mine_id) {
            m.entry(id).or_default().push(h);
        }
    }
    m
}

impl Store {
    /// Files (or corrects) the annual report of a mine for a year, checked against the mine's
    /// mining rights and the plan ([`check_report`]); with its audit row (`report.file` /
    /// `report.correct`). A correction keeps the first filing date, which decides lateness.
    ///
    /// * `on_behalf` — filed by staff for the company (代报);
    /// * `only_holder` — for a 矿山企业 account: its 统一社会信用代码, which must be the holder's
    ///   of the mine's right in the year.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown mine; [`StoreError::Invalid`] naming each
    /// problem; nothing written.
    pub async fn file_report(
        &self,
        plan: &Plan,
        mine_id: i64,
        input: &ReportInput,
        on_behalf: bool,
        only_holder: Option<&str>,
        actor: &Actor,
    ) -> Result<FiledReport> {
        let histories = self.right_histories().await?;
        let mut tx = self.begin_write().await?;
        let filed = file_report_tx(
            &mut tx,
            &histories,
            plan,
            mine_id,
            input,
            on_behalf,
            only_holder,
            actor,
        )
        .await?;
        tx.commit().await?;
        Ok(filed)
    }

    /// Annual reports, by year and mine; `year` and `credit_code` filter.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn annual_reports(
        &self,
        year: Option<i32>,
        credit_code: Option<&str>,
    ) -> Result<Vec<AnnualReport>> {
        let rows = sqlx::query(
            "SELECT a.*, m.name AS mine_name FROM annual_reports a JOIN mines m ON m.id = a.mine_id
             WHERE (?1 IS NULL OR a.year = ?1) AND (?2 IS NULL OR a.credit_code = ?2) ORDER BY a.year, a.mine_id",
        )
        .bind(year)
        .bind(credit_code)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(report_from_row).collect())
    }

    /// Every report `year` requires (mines with a mining right in force on a day of it), with
    /// its status on `today`.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn report_statuses(&self, year: i32, today: Date) -> Result<Vec<ReportStatusRow>> {
        let histories = self.right_histories().await?;
        let mines = by_mine(&histories);
        let names: BTreeMap<i64, String> = self
            .mines()
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
        let reports = self.annual_reports(Some(year), None).await?;
        let due = due_date(year);
        let mut out = Vec::new();
        for mine in mines_required(&mines, year) {
            let h = mines[&mine]
                .iter()
                .rev()
                .find(|h| {
                    h.current().kind == minplan_domain::application::RightKind::Mining
                        && h.valid_during(Date::start_of_year(year), Date::end_of_year(year))
                })
                .expect("a required mine has a right in force in the year");
            let st = h
                .state_on(Date::end_of_year(year))
                .unwrap_or_else(|| h.current());
            let report = reports.iter().find(|r| r.mine_id == mine).cloned();
            let (status, label) = match &report {
                Some(r) => match r.timeliness() {
                    Timeliness::OnTime => (ReportStatus::OnTime, "按期报送".to_string()),
                    t @ Timeliness::Late { .. } => (ReportStatus::Late, t.label()),
                },
                None if today <= due => (ReportStatus::Due, format!("待报送（{} 截止）", due)),
                None => (
                    ReportStatus::Missing,
                    format!("逾期未报（已逾期 {} 天）", today.days_since(due)),
                ),
            };
            out.push(ReportStatusRow {
                mine_id: mine,
                mine_name: names.get(&mine).cloned().unwrap_or_default(),
                year,
                right_id: h.id.clone(),
                holder_name: st.holder_name.clone(),
                credit_code: st.credit_code.clone(),
                due,
                status,
                status_label: label,
                report,
            });
        }
        Ok(out)
    }

    /// The mines whose mining right is held by `credit_code` now (the holder after the
    /// latest event of the mine's latest right): those a 矿山企业 account may report for. A
    /// mine the company has transferred away is not among them.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn mines_of_holder(&self, credit_code: &str) -> Result<Vec<crate::Mine>> {
        let histories = self.right_histories().await?;
        let ids: Vec<i64> = by_mine(&histories)
            .into_iter()
            .filter(|(_, hs)| {
                // The mine's current right: the one whose latest event is the latest (a
                // mine's exploration right converted to mining, a right renewed under a new
                // number), and its holder after that event.
                hs.iter()
                    .max_by(|a, b| {
                        a.last_date()
                            .cmp(&b.last_date())
                            .then(a.events.len().cmp(&b.events.len()))
                    })
                    .is_some_and(|h| h.current().credit_code.as_deref() == Some(credit_code))
            })
            .map(|(id, _)| id)
            .collect();
        Ok(self
            .mines()
            .await?
            .into_iter()
            .filter(|m| ids.contains(&m.id))
            .collect())
    }
}

/// Files a report inside `tx` (see [`Store::file_report`]); `histories` are every right's.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn file_report_tx(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    histories: &[RightHistory],
    plan: &Plan,
    mine_id: i64,
    input: &ReportInput,
    on_behalf: bool,
    only_holder: Option<&str>,
    actor: &Actor,
) -> Result<FiledReport> {
    let mines = by_mine(histories);
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM mines WHERE id = ?")
        .bind(mine_id)
        .fetch_optional(&mut **tx)
        .await?;
    // A company filing for a mine it does not hold gets the very answer of a mine that does
    // not exist: the account learns neither the mine's name nor that it exists (docs/roles.md).
    let not_found = || StoreError::NotFound(format!("没有编号为 {mine_id} 的矿山"));
    let name = name.ok_or_else(not_found)?;
    let rights: Vec<&RightHistory> = mines.get(&mine_id).cloned().unwrap_or_default();
    if let Some(code) = only_holder
        && !rights.iter().any(|h| {
            h.state_on(Date::end_of_year(input.year))
                .unwrap_or_else(|| h.current())
                .credit_code
                .as_deref()
                == Some(code)
        })
    {
        return Err(not_found());
    }
    let floor = plan
        .admission
        .other
        .iter()
        .find(|f| f.key == "water_reuse_rate")
        .map(|f| f.value);
    let checked = check_report(input, &rights, floor, &plan.minerals).map_err(invalid)?;
    let credit_code = rights
        .iter()
        .find(|h| h.id == checked.right_id)
        .and_then(|h| {
            h.state_on(Date::end_of_year(input.year))
                .unwrap_or_else(|| h.current())
                .credit_code
                .clone()
        });
    if let Some(code) = only_holder
        && credit_code.as_deref() != Some(code)
    {
        return Err(not_found());
    }
    let existing = sqlx::query(
        "SELECT a.*, m.name AS mine_name FROM annual_reports a JOIN mines m ON m.id = a.mine_id WHERE a.mine_id = ? AND a.year = ?",
    )
    .bind(mine_id)
    .bind(input.year)
    .fetch_optional(&mut **tx)
    .await?
    .map(|r| report_from_row(&r));
    if let Some(e) = &existing
        && input.filed_on < e.filed_on
    {
        return Err(invalid(vec![Problem::new(
            "filed_on",
            format!(
                "更正日期 {} 早于首次报送日期 {}",
                input.filed_on, e.filed_on
            ),
        )]));
    }
    let filed_on = existing.as_ref().map_or(input.filed_on, |e| e.filed_on);
    let corrected_on = existing.as_ref().map(|_| input.filed_on);
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO annual_reports (mine_id, year, right_id, credit_code, mineral, extraction, unit, output_value, staff, mining_recovery, processing_recovery, utilisation, water_reuse, filed_on, corrected_on, on_behalf, filed_by, note, disturbed_ha, restored_ha)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (mine_id, year) DO UPDATE SET right_id = excluded.right_id, credit_code = excluded.credit_code, mineral = excluded.mineral,
           extraction = excluded.extraction, unit = excluded.unit, output_value = excluded.output_value, staff = excluded.staff,
           mining_recovery = excluded.mining_recovery, processing_recovery = excluded.processing_recovery, utilisation = excluded.utilisation,
           water_reuse = excluded.water_reuse, corrected_on = excluded.corrected_on, on_behalf = excluded.on_behalf, filed_by = excluded.filed_by, note = excluded.note,
           disturbed_ha = excluded.disturbed_ha, restored_ha = excluded.restored_ha
         RETURNING id",
    )
    .bind(mine_id)
    .bind(input.year)
    .bind(&checked.right_id)
    .bind(&credit_code)
    .bind(&checked.mineral)
    .bind(checked.extraction)
    .bind(checked.unit.symbol())
    .bind(input.output_value_wan_yuan)
    .bind(input.staff)
    .bind(input.mining_recovery_pct)
    .bind(input.processing_recovery_pct)
    .bind(input.utilisation_pct)
    .bind(input.water_reuse_pct)
    .bind(filed_on.to_string())
    .bind(corrected_on.map(|d| d.to_string()))
    .bind(on_behalf)
    .bind(actor.label())
    .bind(note)
    .bind(input.disturbed_ha)
    .bind(input.restored_ha)
    .fetch_one(&mut **tx)
    .await?;
    let report = AnnualReport {
        id,
        mine_id,
        mine_name: name,
        year: input.year,
        right_id: checked.right_id.clone(),
        credit_code,
        mineral: checked.mineral.clone(),
        extraction: checked.extraction,
        unit: checked.unit,
        output_value_wan_yuan: input.output_value_wan_yuan,
        staff: input.staff,
        mining_recovery_pct: input.mining_recovery_pct,
        processing_recovery_pct: input.processing_recovery_pct,
        utilisation_pct: input.utilisation_pct,
        water_reuse_pct: input.water_reuse_pct,
        filed_on,
        corrected_on,
        on_behalf,
        filed_by: actor.label(),
        note: note.map(str::to_string),
        disturbed_ha: input.disturbed_ha,
        restored_ha: input.restored_ha,
    };
    audit::append(
        tx,
        &AuditEntry {
            actor,
            action: if existing.is_some() {
                "report.correct"
            } else {
                "report.file"
            },
            entity_type: "annual_report",
            entity_id: format!("{mine_id}:{}", input.year),
            before: existing
                .as_ref()
                .map(|e| serde_json::to_value(e).unwrap_or_default()),
            after: Some(serde_json::to_value(&report).unwrap_or_default()),
        },
    )
    .await?;
    Ok(FiledReport {
        report,
        corrected: existing.is_some(),
        warnings: checked.warnings,
    })
}
