//! Plan monitoring from the database: the production-scale table in use (versioned, editable
//! by the bureau), the monitoring settings, and the indicator reports, evaluations, annual
//! plans and reminders of [`minplan_domain::monitoring`] computed over the register and the
//! annual reports.

use crate::annual_reports::by_mine;
use crate::audit::{self, Actor, AuditEntry};
use crate::{FieldError, Result, Store, StoreError, now_rfc3339};
use minplan_domain::date::Date;
use minplan_domain::monitoring::{
    self, AnnualPlanDraft, Evaluation, IndicatorReport, MonitoringConfig, Reminder, ReminderInput,
    YearMeasures, indicator_specs, mines_required_with_minerals,
};
use minplan_domain::plan::Plan;
use minplan_domain::review::config::{ScaleRow, ScaleTable};
use minplan_domain::rights::MiningRight;
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

/// The production-scale table in use, with its version (0 = the built-in table).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScaleTableVersion {
    /// Version (0 for the built-in default of [`ScaleTable::default`]).
    pub version: i64,
    /// The table; its `source` names the version.
    pub table: ScaleTable,
    /// When and by whom it was set (empty for the built-in one).
    pub created_at: String,
    /// Who set it.
    pub actor: String,
}

const WARN_KEY: &str = "monitoring.warn_ratio";

impl Store {
    /// The production-scale table in use (国土资发〔2004〕208号, as the bureau last edited it).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn scale_table(&self) -> Result<ScaleTableVersion> {
        let row = sqlx::query("SELECT * FROM scale_table_versions ORDER BY id DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        Ok(match row {
            None => {
                let mut table = ScaleTable::default();
                table.source = format!("{}（内置）", table.source);
                ScaleTableVersion {
                    version: 0,
                    table,
                    created_at: String::new(),
                    actor: String::new(),
                }
            }
            Some(r) => ScaleTableVersion {
                version: r.get("id"),
                table: ScaleTable {
                    rows: serde_json::from_str(&r.get::<String, _>("rows_json"))
                        .map_err(|e| StoreError::Internal(format!("规模分类表无法读取：{e}")))?,
                    source: format!(
                        "{}（第 {} 版）",
                        r.get::<String, _>("source"),
                        r.get::<i64, _>("id")
                    ),
                },
                created_at: r.get("created_at"),
                actor: r.get("actor"),
            },
        })
    }

    /// Sets (adds or replaces) the row of a mineral in the production-scale table: a new
    /// version of the table, with its audit row (`scale_table.set`). A mineral may have one
    /// row per kind of annual unit (万吨/年 and 万立方米/年): a row replaces the mineral's row
    /// of the same dimension (千立方米/年 replaces 万立方米/年) and keeps the other.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] when the mineral is empty or not in the active plan's mineral
    /// catalogue (the built-in one when no plan is active), or `medium_min` is not below
    /// `large_min` or not positive; nothing is written.
    pub async fn set_scale_row(
        &self,
        mut row: ScaleRow,
        actor: &Actor,
    ) -> Result<ScaleTableVersion> {
        row.mineral = row.mineral.trim().to_string();
        if row.mineral.is_empty() {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "mineral",
                "矿种不能为空",
            )]));
        }
        let known = match self.active_plan().await? {
            Some(p) => p.loaded.plan.minerals.get(&row.mineral).is_some(),
            None => minplan_domain::minerals::MineralCatalogue::builtin()
                .get(&row.mineral)
                .is_some(),
        };
        if !known {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "mineral",
                format!("未知矿种“{}”（规划矿种目录中没有）", row.mineral),
            )]));
        }
        if !(row.medium_min > 0.0 && row.medium_min < row.large_min && row.large_min.is_finite()) {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "medium_min",
                "中型下限应为正数且小于大型下限",
            )]));
        }
        if row.unit.per_year() != Some(row.unit) {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "unit",
                format!(
                    "规模单位“{}”应为年产量单位（万立方米/年、千立方米/年、万吨/年、吨/年 等）",
                    row.unit
                ),
            )]));
        }
        let mut t = self.scale_table().await?.table;
        t.rows
            .retain(|r| !(r.mineral == row.mineral && r.unit.dimension() == row.unit.dimension()));
        t.rows.push(row.clone());
        self.write_scale_table(
            t.rows,
            "scale_table.set",
            serde_json::to_value(&row).unwrap_or_default(),
            actor,
        )
        .await
    }

    /// Removes the row of a mineral from the production-scale table (a new version).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the table has no row for it.
    pub async fn remove_scale_row(
        &self,
        mineral: &str,
        actor: &Actor,
    ) -> Result<ScaleTableVersion> {
        let mut t = self.scale_table().await?.table;
        let n = t.rows.len();
        t.rows.retain(|r| r.mineral != mineral.trim());
        if t.rows.len() == n {
            return Err(StoreError::NotFound(format!(
                "规模分类表中没有矿种“{mineral}”"
            )));
        }
        self.write_scale_table(
            t.rows,
            "scale_table.remove",
            serde_json::json!({ "mineral": mineral.trim() }),
            actor,
        )
        .await
    }

    async fn write_scale_table(
        &self,
        rows: Vec<ScaleRow>,
        action: &str,
        change: serde_json::Value,
        actor: &Actor,
    ) -> Result<ScaleTableVersion> {
        let before = self.scale_table().await?;
        let source = ScaleTable::default().source;
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO scale_table_versions (source, rows_json, created_at, actor) VALUES (?, ?, ?, ?) RETURNING id",
        )
        .bind(&source)
        .bind(serde_json::to_string(&rows).unwrap_or_else(|_| "[]".into()))
        .bind(now_rfc3339())
        .bind(actor.label())
        .fetch_one(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action,
                entity_type: "scale_table",
                entity_id: id.to_string(),
                before: Some(
                    serde_json::json!({ "version": before.version, "rows": before.table.rows }),
                ),
                after: Some(serde_json::json!({ "version": id, "rows": rows, "change": change })),
            },
        )
        .await?;
        tx.commit().await?;
        self.scale_table().await
    }

    /// Monitoring settings (the warning share of caps; default 90 %).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn monitoring_config(&self) -> Result<MonitoringConfig> {
        let v: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(WARN_KEY)
            .fetch_optional(&self.pool)
            .await?;
        Ok(MonitoringConfig {
            warn_ratio: v
                .and_then(|s| s.parse().ok())
                .unwrap_or(MonitoringConfig::default().warn_ratio),
        })
    }

    /// Sets the warning share of caps (0 < ratio ≤ 1), with its audit row.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] outside (0, 1].
    pub async fn set_warn_ratio(&self, ratio: f64, actor: &Actor) -> Result<()> {
        if !(ratio > 0.0 && ratio <= 1.0) {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "warn_percent",
                "预警比例应在 0–100% 之间（不含 0）",
            )]));
        }
        let before = self.monitoring_config().await?;
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(WARN_KEY)
            .bind(ratio.to_string())
            .execute(&mut *tx)
            .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "settings.set",
                entity_type: "setting",
                entity_id: WARN_KEY.into(),
                before: Some(serde_json::json!({ "value": before.warn_ratio })),
                after: Some(serde_json::json!({ "value": ratio })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The measures of every year from `from` to `to` (register as on each 31 December, or
    /// on `today` for a year not over or not begun, reports of each year, manual entries).
    async fn measures(
        &self,
        plan: &Plan,
        from: i32,
        to: i32,
        scales: &ScaleTable,
        today: Date,
    ) -> Result<Vec<YearMeasures>> {
        let histories = self.right_histories().await?;
        let mines = by_mine(&histories);
        let reports = self.annual_reports(None, None).await?;
        let manual = self.manual_indicators(plan).await?;
        let specs = indicator_specs(plan);
        let mut out = Vec::new();
        for year in from..=to {
            let end = Date::end_of_year(year);
            // Never a future date: a year not over, or not begun, is read as on `today`.
            let end = if today < end { today } else { end };
            let rights: Vec<MiningRight> = histories
                .iter()
                .filter_map(|h| h.mining_right_on(end))
                .collect();
            let year_reports: Vec<_> = reports.iter().filter(|r| r.year == year).collect();
            let required = mines_required_with_minerals(&mines, year);
            let mut m = monitoring::measure_year_with(
                plan,
                &specs,
                year,
                &rights,
                &year_reports,
                &required,
                scales,
                &manual,
            );
            // No right at all in the register (nothing entered or imported yet): its counts are
            // 无数据, not 0 正常. Once a right is in it, a year with none in force is a true 0.
            if histories.is_empty() {
                monitoring::without_register(&mut m);
            }
            out.push(m);
        }
        Ok(out)
    }

    /// The indicators of `year` (register as on 31 December of it, that year's reports), with
    /// status and projection; the series start at the plan's first year (or `year`, if
    /// earlier).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn indicator_report(&self, plan: &Plan, year: i32) -> Result<IndicatorReport> {
        self.indicator_report_on(plan, year, crate::today()).await
    }

    /// [`Store::indicator_report`] judged on `today`: a year outside the plan period is
    /// 规划期外，不评价, a year not over on `today` is 年度未结束 (register as on `today`).
    ///
    /// # Errors
    /// As [`Store::indicator_report`].
    pub async fn indicator_report_on(
        &self,
        plan: &Plan,
        year: i32,
        today: Date,
    ) -> Result<IndicatorReport> {
        check_years(plan, "year", year, year)?;
        let scales = self.scale_table().await?;
        let config = self.monitoring_config().await?;
        let from = plan.identity.period_start.min(year);
        let years = self
            .measures(plan, from, year, &scales.table, today)
            .await?;
        Ok(monitoring::assess_on(
            plan,
            &indicator_specs(plan),
            &years,
            year,
            &config,
            &scales.table.source,
            today,
        ))
    }

    /// 规划实施评估 from `from` to `to`: 实际完成 is the value of `to` (专栏1 layout).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] when `from` is after `to`; [`StoreError::Db`].
    pub async fn evaluation(&self, plan: &Plan, from: i32, to: i32) -> Result<Evaluation> {
        self.evaluation_on(plan, from, to, crate::today()).await
    }

    /// [`Store::evaluation`] judged on `today` (see [`Store::indicator_report_on`]).
    ///
    /// # Errors
    /// As [`Store::evaluation`].
    pub async fn evaluation_on(
        &self,
        plan: &Plan,
        from: i32,
        to: i32,
        today: Date,
    ) -> Result<Evaluation> {
        if from > to {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "from",
                format!("起始年度 {from} 晚于终止年度 {to}"),
            )]));
        }
        check_years(plan, "from", from, to)?;
        let scales = self.scale_table().await?;
        let config = self.monitoring_config().await?;
        let first = plan.identity.period_start.min(from);
        let years = self.measures(plan, first, to, &scales.table, today).await?;
        let report = monitoring::assess_on(
            plan,
            &indicator_specs(plan),
            &years,
            to,
            &config,
            &scales.table.source,
            today,
        );
        Ok(monitoring::evaluation(&report, from))
    }

    /// The draft 年度实施计划 for `year`, drafted today.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn annual_plan(&self, plan: &Plan, year: i32) -> Result<AnnualPlanDraft> {
        self.annual_plan_on(plan, year, crate::today()).await
    }

    /// The draft 年度实施计划 for `year` drafted on `today`: the register as on
    /// [`monitoring::annual_plan::basis_date`] (the drafting date for the current or a coming
    /// year, 31 December of the year before for a past year), the applications under review,
    /// the previous year's reports with how many of the mines that owed one filed it, and
    /// every exceeded cap.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for a year far outside the plan period; [`StoreError::Db`].
    pub async fn annual_plan_on(
        &self,
        plan: &Plan,
        year: i32,
        today: Date,
    ) -> Result<AnnualPlanDraft> {
        check_years(plan, "year", year, year)?;
        let scales = self.scale_table().await?;
        let histories = self.right_histories().await?;
        let basis = monitoring::annual_plan::basis_date(year, today);
        let mut register: Vec<MiningRight> = histories
            .iter()
            .filter_map(|h| h.mining_right_on(basis))
            .collect();
        register.extend(self.pending_applications().await?);
        let reports: Vec<_> = self
            .annual_reports(Some(year - 1), None)
            .await?
            .into_iter()
            .filter(|r| r.filed_on <= basis)
            .collect();
        let refs: Vec<_> = reports.iter().collect();
        let required = mines_required_with_minerals(&by_mine(&histories), year - 1);
        Ok(monitoring::annual_plan_on(
            plan,
            year,
            today,
            &register,
            &histories,
            &refs,
            Some(&required),
            &scales.table,
        ))
    }

    /// The reminders on `today` (`monitoring::reminders`); `credit_code` keeps those of one
    /// holder (a 矿山企业 account's own).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn reminders(
        &self,
        plan: &Plan,
        today: Date,
        credit_code: Option<&str>,
    ) -> Result<Vec<Reminder>> {
        let scales = self.scale_table().await?;
        let config = self.monitoring_config().await?;
        let histories = self.right_histories().await?;
        let mines: BTreeMap<i64, String> = self
            .mines()
            .await?
            .into_iter()
            .map(|m| (m.id, m.name))
            .collect();
        let reports = self.annual_reports(None, None).await?;
        let licences: Vec<_> = self
            .licences(None)
            .await?
            .into_iter()
            .map(|r| r.licence)
            .collect();
        // Approved 矿区生态修复方案 in force at the end of the last finished year (边开采边治理).
        let restoration_plans = self
            .approved_restoration_plans(Date::end_of_year(today.year() - 1))
            .await?;
        let all = monitoring::reminders(&ReminderInput {
            plan,
            today,
            histories: &histories,
            mines: &mines,
            reports: &reports,
            scales: &scales.table,
            config: &config,
            licences: &licences,
            restoration_plans: &restoration_plans,
        });
        Ok(match credit_code {
            Some(c) => all
                .into_iter()
                .filter(|r| r.credit_code.as_deref() == Some(c))
                .collect(),
            None => all,
        })
    }
}

/// Years the monitoring computes: within [`YEARS_AROUND_PERIOD`] years of the plan period
/// (a year far outside it means nothing for this plan, and an unbounded span would build an
/// unbounded table).
pub const YEARS_AROUND_PERIOD: i32 = 10;

/// Refuses a year or span outside the plan period ± [`YEARS_AROUND_PERIOD`], naming `field`.
fn check_years(plan: &Plan, field: &str, from: i32, to: i32) -> Result<()> {
    let lo = plan.identity.period_start - YEARS_AROUND_PERIOD;
    let hi = plan.identity.period_end + YEARS_AROUND_PERIOD;
    if from < lo || to > hi {
        return Err(StoreError::Invalid(vec![FieldError::new(
            field,
            format!(
                "年度应在 {lo}～{hi} 年之间（规划期 {}～{} 年前后 {YEARS_AROUND_PERIOD} 年）",
                plan.identity.period_start, plan.identity.period_end
            ),
        )]));
    }
    Ok(())
}
