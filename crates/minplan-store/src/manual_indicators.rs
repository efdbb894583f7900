//! Manual indicators (人工填报): the values of plan indicators the register cannot compute
//! (提供中型矿产地, …), entered by 规划科 staff with their evidence. Append-only table
//! `manual_indicator_values` (migration 0011); each entry is written with its audit row in one
//! transaction; a correction is a later entry.

use crate::audit::{self, Actor, AuditEntry};
use crate::{FieldError, Result, Store, StoreError, now_rfc3339};
use minplan_domain::monitoring::{ManualEntry, indicator_specs, is_manual};
use minplan_domain::plan::Plan;
use sqlx::Row;

/// What staff enter for a manual indicator (fields as the form names them).
#[derive(Debug, Clone, Default)]
pub struct ManualInput {
    /// Indicator key (`indicator`).
    pub indicator: String,
    /// Year, as typed (`year`).
    pub year: String,
    /// Value, as typed (`value`), in the indicator's unit.
    pub value: String,
    /// 依据/证明材料 (`evidence`).
    pub evidence: String,
    /// Name of the attached evidence file (`attachment`), if any.
    pub attachment: Option<String>,
}

/// Longest 依据 text kept, characters.
pub const EVIDENCE_MAX_CHARS: usize = 2000;

impl Store {
    /// Records a value of a manual indicator of `plan` with its evidence, and its audit row
    /// (`indicator.manual_entry`), in one transaction.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] with every problem at once, each naming its field (`indicator`:
    /// not an indicator of the plan or one the register computes; `year`: not a year, outside
    /// the plan period or after `today`'s year; `value`: as
    /// [`minplan_domain::monitoring::manual::read_value`] refuses it (a count not a plain
    /// whole number, negative, above a sane limit, a percentage above 100); `evidence`: empty
    /// or too long; `attachment`: too long); nothing is written.
    pub async fn add_manual_indicator(
        &self,
        plan: &Plan,
        input: &ManualInput,
        entered_by: &str,
        actor: &Actor,
        today: minplan_domain::date::Date,
    ) -> Result<ManualEntry> {
        let mut errors = Vec::new();
        let specs = indicator_specs(plan);
        let key = input.indicator.trim();
        let spec = specs.iter().find(|s| s.key == key);
        match spec {
            None => errors.push(FieldError::new(
                "indicator",
                format!("规划中没有指标“{key}”"),
            )),
            Some(s) if !is_manual(&s.metric) => errors.push(FieldError::new(
                "indicator",
                format!("“{}”由登记簿或年度报告计算，不能人工填报", s.label),
            )),
            Some(_) => {}
        }
        // Years within the plan period, not after today's year (a year not begun has no value).
        let years = minplan_domain::monitoring::manual::entry_years(
            plan.identity.period_start,
            plan.identity.period_end,
            today,
        );
        let year = match input.year.trim().parse::<i32>() {
            Ok(y) if years.contains(&y) => Some(y),
            Ok(y) => {
                errors.push(FieldError::new(
                    "year",
                    format!(
                        "年度 {y} 不可填报：只能填报规划期内、不晚于今年的年度（{}～{} 年）",
                        years.start(),
                        years.end()
                    ),
                ));
                None
            }
            Err(_) => {
                errors.push(FieldError::new(
                    "year",
                    format!("年度应为年份（如 2025），收到“{}”", input.year.trim()),
                ));
                None
            }
        };
        let value = match spec {
            Some(s) => match minplan_domain::monitoring::manual::read_value(s.unit, &input.value) {
                Ok(v) => Some(v),
                Err(m) => {
                    errors.push(FieldError::new("value", format!("{}：{m}", s.name)));
                    None
                }
            },
            // The indicator is wrong: the value cannot be read in its unit.
            None => None,
        };
        let evidence = input.evidence.trim();
        if evidence.is_empty() {
            errors.push(FieldError::new(
                "evidence",
                "请填写依据或证明材料（文件名称、文号、出具单位等）",
            ));
        } else if evidence.chars().count() > EVIDENCE_MAX_CHARS {
            errors.push(FieldError::new(
                "evidence",
                format!("依据不能超过 {EVIDENCE_MAX_CHARS} 字"),
            ));
        }
        let attachment = input
            .attachment
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .map(|a| a.rsplit(['/', '\\']).next().unwrap_or(a).to_string());
        if attachment.as_ref().is_some_and(|a| a.chars().count() > 200) {
            errors.push(FieldError::new(
                "attachment",
                "证明材料文件名不能超过 200 字",
            ));
        }
        let (Some(year), Some(value), true) = (year, value, errors.is_empty()) else {
            return Err(StoreError::Invalid(errors));
        };
        let entry = ManualEntry {
            indicator: key.to_string(),
            year,
            value,
            evidence: evidence.to_string(),
            attachment,
            entered_by: entered_by.to_string(),
            entered_at: now_rfc3339(),
        };
        let before = self
            .manual_indicators(plan)
            .await?
            .into_iter()
            .rev()
            .find(|e| e.indicator == entry.indicator && e.year == entry.year);
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO manual_indicator_values (adcode, indicator, year, value, evidence, attachment, entered_by, actor, entered_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&plan.identity.adcode)
        .bind(&entry.indicator)
        .bind(entry.year)
        .bind(entry.value)
        .bind(&entry.evidence)
        .bind(&entry.attachment)
        .bind(&entry.entered_by)
        .bind(actor.label())
        .bind(&entry.entered_at)
        .fetch_one(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "indicator.manual_entry",
                entity_type: "manual_indicator",
                entity_id: id.to_string(),
                before: before.map(|b| serde_json::to_value(b).unwrap_or_default()),
                after: Some(serde_json::to_value(&entry).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(entry)
    }

    /// Every manual entry of `plan`'s unit (its adcode), oldest first (the last entry of an
    /// indicator and year is its value).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn manual_indicators(&self, plan: &Plan) -> Result<Vec<ManualEntry>> {
        let rows =
            sqlx::query("SELECT * FROM manual_indicator_values WHERE adcode = ? ORDER BY id")
                .bind(&plan.identity.adcode)
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .iter()
            .map(|r| ManualEntry {
                indicator: r.get("indicator"),
                year: r.get::<i64, _>("year") as i32,
                value: r.get("value"),
                evidence: r.get("evidence"),
                attachment: r.get("attachment"),
                entered_by: r.get("entered_by"),
                entered_at: r.get("entered_at"),
            })
            .collect())
    }
}
