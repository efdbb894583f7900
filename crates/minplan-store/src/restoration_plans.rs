//! 三同时 and 边开采边治理 records per mine (migration 0023): the 开发利用方案 and the 矿区生态
//! 修复方案 filed (by 申请编号 and/or mine), approved, and the company's progress notes; the
//! 责任书; the 矿山地质环境治理验收 a closure needs (read inside the closure's transaction by the
//! lifecycle module); the bureau's “filed together” setting; the plans R14 reads
//! ([`Store::plans_on_file`]); the approved plan the fund ledger reads
//! ([`Store::approved_restoration_plan`]); the schedule against the annual reports' 损毁 /
//! 复垦 areas, and the year's figures ([`Store::schedule_figures`]). Every write runs the pure
//! check of `minplan_domain::restoration::schedule` and writes its audit row in the same
//! transaction (`mine_plan.file`, `mine_plan.approve`, `mine_plan.progress`,
//! `mine_letter.sign`, `mine_restoration.accept`, `mine_restoration.settings`).

use crate::audit::{self, Actor, AuditEntry};
use crate::lifecycle::invalid;
use crate::{FieldError, Result, Store, StoreError, now_rfc3339};
use minplan_domain::application::Application;
use minplan_domain::date::Date;
use minplan_domain::register::Problem;
use minplan_domain::restoration::figures::{Reading, ScheduleFigures};
use minplan_domain::restoration::schedule::{
    ApprovedRestorationPlan, PlanFiling, PlanKind, PlansOnFile, ResponsibilityLetter,
    RestorationAcceptance, ScheduleRow, Standing, YearActual, check_acceptance, check_filing,
    check_letter, check_plan_approval, schedule_rows,
};
use serde::Serialize;
use sqlx::{Row, Sqlite, Transaction};

/// A stored plan filing with its links and the company's latest progress note.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanFilingRecord {
    /// Row id.
    pub id: i64,
    /// The mine it is linked to directly (`None`: through its application only).
    pub mine_id: Option<i64>,
    /// The plan.
    pub filing: PlanFiling,
    /// The company's latest progress note (方案实施进展).
    pub progress_note: Option<String>,
    /// Its date.
    pub progress_on: Option<Date>,
}

/// A mine's 边开采边治理 schedule: its approved 生态修复方案 and the years against the reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MineSchedule {
    /// The plan.
    pub plan: ApprovedRestorationPlan,
    /// Its years through the last finished one.
    pub rows: Vec<ScheduleRow>,
}

impl MineSchedule {
    /// The last row when it is behind (the reminder's subject).
    pub fn behind(&self) -> Option<&ScheduleRow> {
        self.rows.last().filter(|r| r.standing == Standing::Behind)
    }
}

/// The columns of a filing, as [`record`] reads them.
macro_rules! filing_columns {
    () => {
        "id, kind, application_number, mine_id, title, author, filed_on, approved_on, \
         approval_number, budget_wan_yuan, from_year, service_years, schedule_json, \
         progress_note, progress_on"
    };
}

const SELECT: &str = concat!("SELECT ", filing_columns!(), " FROM mine_plan_filings");

/// Filings of mine `?1`: linked directly, or filed with an application registered to it.
const OF_MINE: &str = "WHERE mine_id = ?1 OR application_number IN (SELECT a.number FROM \
    applications a JOIN rights r ON r.id = a.used_for WHERE r.mine_id = ?1)";

fn bad(what: &str, v: &str) -> StoreError {
    StoreError::BadInput(format!("三同时记录中的{what}“{v}”无法读取"))
}

fn date_col(r: &sqlx::sqlite::SqliteRow, c: &str) -> Result<Option<Date>> {
    match r.get::<Option<String>, _>(c) {
        None => Ok(None),
        Some(s) => Date::parse(&s).map(Some).map_err(|_| bad("日期", &s)),
    }
}

fn record(r: &sqlx::sqlite::SqliteRow) -> Result<PlanFilingRecord> {
    let kind: String = r.get("kind");
    let schedule: String = r.get("schedule_json");
    Ok(PlanFilingRecord {
        id: r.get("id"),
        mine_id: r.get("mine_id"),
        filing: PlanFiling {
            kind: PlanKind::parse(&kind).ok_or_else(|| bad("方案类型", &kind))?,
            title: r.get("title"),
            author: r.get("author"),
            filed_on: date_col(r, "filed_on")?.ok_or_else(|| bad("报送日期", ""))?,
            approved_on: date_col(r, "approved_on")?,
            approval_number: r.get("approval_number"),
            application_number: r.get("application_number"),
            budget_wan_yuan: r.get("budget_wan_yuan"),
            from_year: r.get::<Option<i64>, _>("from_year").map(|y| y as i32),
            service_years: r.get::<Option<i64>, _>("service_years").map(|y| y as u32),
            yearly_restoration_ha: serde_json::from_str(&schedule)
                .map_err(|_| bad("年度计划", &schedule))?,
        },
        progress_note: r.get("progress_note"),
        progress_on: date_col(r, "progress_on")?,
    })
}

async fn mine_exists(tx: &mut Transaction<'_, Sqlite>, mine_id: i64) -> Result<()> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM mines WHERE id = ?")
        .bind(mine_id)
        .fetch_optional(&mut **tx)
        .await?;
    exists
        .map(|_| ())
        .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {mine_id} 的矿山")))
}

/// The 矿山地质环境治理验收 of mine `mine_id`, read inside a write's transaction.
///
/// # Errors
/// [`StoreError::Db`]; a stored date that does not read.
async fn acceptance_tx(
    tx: &mut Transaction<'_, Sqlite>,
    mine_id: i64,
) -> Result<Option<RestorationAcceptance>> {
    let row = sqlx::query(
        "SELECT accepted_on, accepted_by, document FROM mine_restoration_acceptances WHERE mine_id = ?",
    )
    .bind(mine_id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        Ok(RestorationAcceptance {
            accepted_on: date_col(&r, "accepted_on")?.ok_or_else(|| bad("验收日期", ""))?,
            accepted_by: r.get("accepted_by"),
            document: r.get("document"),
        })
    })
    .transpose()
}

impl Store {
    /// The plans on file for mine `mine_id` (linked directly or through its registered
    /// application), by kind then filing date.
    ///
    /// # Errors
    /// [`StoreError::Db`]; a stored row that does not read.
    pub async fn mine_plan_filings(&self, mine_id: i64) -> Result<Vec<PlanFilingRecord>> {
        let rows = sqlx::query(&format!(
            "{SELECT} {OF_MINE} ORDER BY kind DESC, filed_on, id"
        ))
        .bind(mine_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record).collect()
    }

    /// The plans filed with application `number`.
    ///
    /// # Errors
    /// [`StoreError::Db`]; a stored row that does not read.
    pub async fn application_plan_filings(&self, number: &str) -> Result<Vec<PlanFilingRecord>> {
        let rows = sqlx::query(&format!(
            "{SELECT} WHERE application_number = ? ORDER BY kind DESC, filed_on, id"
        ))
        .bind(number.trim())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record).collect()
    }

    /// One filing.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Db`].
    pub async fn plan_filing(&self, id: i64) -> Result<PlanFilingRecord> {
        let row = sqlx::query(&format!("{SELECT} WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的方案报送记录")))?;
        record(&row)
    }

    /// Files a plan (报送) for mine `mine_id` and/or the application it names, with its audit
    /// row `mine_plan.file`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] with every problem of `check_filing` (and `mine` when neither
    /// a mine nor an application is named), nothing written; [`StoreError::NotFound`] for an
    /// unknown mine; [`StoreError::Db`].
    pub async fn file_mine_plan(
        &self,
        mine_id: Option<i64>,
        f: &PlanFiling,
        actor: &Actor,
    ) -> Result<PlanFilingRecord> {
        let mut problems = check_filing(f, crate::today()).err().unwrap_or_default();
        if mine_id.is_none() && f.application_number.is_none() {
            problems.push(Problem::new("application_number", "须关联矿山或申请编号"));
        }
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let mut tx = self.begin_write().await?;
        if let Some(m) = mine_id {
            mine_exists(&mut tx, m).await?;
        }
        let now = now_rfc3339();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO mine_plan_filings (kind, application_number, mine_id, title, author, filed_on,
               approved_on, approval_number, budget_wan_yuan, from_year, service_years, schedule_json,
               created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(f.kind.label())
        .bind(f.application_number.as_deref().map(str::trim))
        .bind(mine_id)
        .bind(f.title.trim())
        .bind(f.author.trim())
        .bind(f.filed_on.to_string())
        .bind(f.approved_on.map(|d| d.to_string()))
        .bind(f.approval_number.as_deref().map(str::trim))
        .bind(f.budget_wan_yuan)
        .bind(f.from_year)
        .bind(f.service_years.map(i64::from))
        .bind(serde_json::to_string(&f.yearly_restoration_ha).unwrap_or_else(|_| "[]".into()))
        .bind(&now)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let row = sqlx::query(&format!("{SELECT} WHERE id = ?"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let rec = record(&row)?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "mine_plan.file",
                entity_type: if mine_id.is_some() {
                    "mine"
                } else {
                    "application"
                },
                entity_id: match (mine_id, &f.application_number) {
                    (Some(m), _) => m.to_string(),
                    (None, n) => n.clone().unwrap_or_default(),
                },
                before: None,
                after: Some(serde_json::to_value(&rec).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(rec)
    }

    /// Records the approval (审查/批复 date and 文号) of filing `id`, audit `mine_plan.approve`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Invalid`] (`check_plan_approval`; already
    /// approved), nothing written; [`StoreError::Db`].
    pub async fn approve_mine_plan(
        &self,
        id: i64,
        approved_on: Date,
        number: &str,
        actor: &Actor,
    ) -> Result<PlanFilingRecord> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!("{SELECT} WHERE id = ?"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的方案报送记录")))?;
        let before = record(&row)?;
        let mut problems =
            check_plan_approval(before.filing.filed_on, approved_on, number, crate::today())
                .err()
                .unwrap_or_default();
        if let Some(n) = &before.filing.approval_number {
            problems.push(Problem::new(
                "approval_number",
                format!("该方案已批复（文号 {n}），不能重复批复"),
            ));
        }
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        sqlx::query(
            "UPDATE mine_plan_filings SET approved_on = ?, approval_number = ?, updated_at = ? WHERE id = ?",
        )
        .bind(approved_on.to_string())
        .bind(number.trim())
        .bind(now_rfc3339())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let after = record(
            &sqlx::query(&format!("{SELECT} WHERE id = ?"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?,
        )?;
        audit_filing(&mut tx, actor, "mine_plan.approve", &before, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Records the company's progress note on filing `id` (方案实施进展, ≤ 2000 characters),
    /// audit `mine_plan.progress`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Invalid`] (`note` empty or too long);
    /// [`StoreError::Db`].
    pub async fn note_mine_plan_progress(
        &self,
        id: i64,
        note: &str,
        actor: &Actor,
    ) -> Result<PlanFilingRecord> {
        let note = note.trim();
        if note.is_empty() || note.chars().count() > 2000 {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "progress_note",
                "实施进展说明应为 1–2000 个字",
            )]));
        }
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!("{SELECT} WHERE id = ?"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的方案报送记录")))?;
        let before = record(&row)?;
        sqlx::query(
            "UPDATE mine_plan_filings SET progress_note = ?, progress_on = ?, updated_at = ? WHERE id = ?",
        )
        .bind(note)
        .bind(crate::today().to_string())
        .bind(now_rfc3339())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let after = record(
            &sqlx::query(&format!("{SELECT} WHERE id = ?"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?,
        )?;
        audit_filing(&mut tx, actor, "mine_plan.progress", &before, &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The 责任书 of mine `mine_id`.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn responsibility_letter(
        &self,
        mine_id: i64,
    ) -> Result<Option<ResponsibilityLetter>> {
        let row = sqlx::query(
            "SELECT signed_on, signed_by, document FROM mine_responsibility_letters WHERE mine_id = ?",
        )
        .bind(mine_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ResponsibilityLetter {
                signed_on: date_col(&r, "signed_on")?.ok_or_else(|| bad("签订日期", ""))?,
                signed_by: r.get("signed_by"),
                document: r.get("document"),
            })
        })
        .transpose()
    }

    /// Records the 责任书 of mine `mine_id` (replacing an earlier one), audit
    /// `mine_letter.sign`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] (`check_letter`), nothing written; [`StoreError::NotFound`];
    /// [`StoreError::Db`].
    pub async fn sign_responsibility_letter(
        &self,
        mine_id: i64,
        l: &ResponsibilityLetter,
        actor: &Actor,
    ) -> Result<ResponsibilityLetter> {
        check_letter(l, crate::today()).map_err(invalid)?;
        let before = self.responsibility_letter(mine_id).await?;
        let mut tx = self.begin_write().await?;
        mine_exists(&mut tx, mine_id).await?;
        let l = ResponsibilityLetter {
            signed_on: l.signed_on,
            signed_by: l.signed_by.trim().to_string(),
            document: l
                .document
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        };
        sqlx::query(
            "INSERT INTO mine_responsibility_letters (mine_id, signed_on, signed_by, document, recorded_at)
             VALUES (?, ?, ?, ?, ?) ON CONFLICT (mine_id) DO UPDATE SET signed_on = excluded.signed_on,
             signed_by = excluded.signed_by, document = excluded.document, recorded_at = excluded.recorded_at",
        )
        .bind(mine_id)
        .bind(l.signed_on.to_string())
        .bind(&l.signed_by)
        .bind(&l.document)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "mine_letter.sign",
                entity_type: "mine",
                entity_id: mine_id.to_string(),
                before: before.map(|b| serde_json::to_value(b).unwrap_or_default()),
                after: Some(serde_json::to_value(&l).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(l)
    }

    /// The 矿山地质环境治理验收 of mine `mine_id`.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn restoration_acceptance(
        &self,
        mine_id: i64,
    ) -> Result<Option<RestorationAcceptance>> {
        let mut tx = self.pool.begin().await?;
        acceptance_tx(&mut tx, mine_id).await
    }

    /// Records the 矿山地质环境治理验收 of mine `mine_id`, audit `mine_restoration.accept`.
    /// One per mine: a second is refused.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] (`check_acceptance`; already accepted), nothing written;
    /// [`StoreError::NotFound`]; [`StoreError::Db`].
    pub async fn accept_mine_restoration(
        &self,
        mine_id: i64,
        a: &RestorationAcceptance,
        actor: &Actor,
    ) -> Result<RestorationAcceptance> {
        check_acceptance(a, crate::today()).map_err(invalid)?;
        let mut tx = self.begin_write().await?;
        mine_exists(&mut tx, mine_id).await?;
        if let Some(old) = acceptance_tx(&mut tx, mine_id).await? {
            return Err(invalid(vec![Problem::new(
                "document",
                format!(
                    "该矿山已于{}通过矿山地质环境治理验收（{}）",
                    old.accepted_on.chinese(),
                    old.document
                ),
            )]));
        }
        let a = RestorationAcceptance {
            accepted_on: a.accepted_on,
            accepted_by: a.accepted_by.trim().to_string(),
            document: a.document.trim().to_string(),
        };
        sqlx::query(
            "INSERT INTO mine_restoration_acceptances (mine_id, accepted_on, accepted_by, document, recorded_at)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(mine_id)
        .bind(a.accepted_on.to_string())
        .bind(&a.accepted_by)
        .bind(&a.document)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "mine_restoration.accept",
                entity_type: "mine",
                entity_id: mine_id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&a).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(a)
    }

    /// The bureau's setting: the two plans count as filed together when their filing dates
    /// are at most this many days apart (0 = the same date).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn plans_max_days_apart(&self) -> Result<u32> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT max_days_apart FROM mine_restoration_settings WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(v.unwrap_or(0).clamp(0, i64::from(u32::MAX)) as u32)
    }

    /// Sets [`Store::plans_max_days_apart`] (0–90 days), audit `mine_restoration.settings`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] (`max_days_apart` over 90); [`StoreError::Db`].
    pub async fn set_plans_max_days_apart(&self, days: u32, actor: &Actor) -> Result<()> {
        if days > 90 {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "max_days_apart",
                "同步报送的间隔天数应为 0–90 天",
            )]));
        }
        let before = self.plans_max_days_apart().await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO mine_restoration_settings (id, max_days_apart) VALUES (1, ?)
             ON CONFLICT (id) DO UPDATE SET max_days_apart = excluded.max_days_apart",
        )
        .bind(i64::from(days))
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "mine_restoration.settings",
                entity_type: "settings",
                entity_id: "max_days_apart".into(),
                before: Some(serde_json::json!({ "max_days_apart": before })),
                after: Some(serde_json::json!({ "max_days_apart": days })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What R14 reads for application `app`: the plans filed with its 申请编号, else — for an
    /// application about an existing right (变更 …) — the plans of that right's mine; an
    /// empty record (found by the 申请编号) when neither has any plan on file.
    ///
    /// # Errors
    /// [`StoreError::Db`]; a stored row that does not read.
    pub async fn plans_on_file(&self, app: &Application) -> Result<PlansOnFile> {
        // [`Store::plans_max_days_apart`] and [`Store::application_plan_filings`] in one
        // statement (a trial review reads this each time): one row with no filing when there
        // is none.
        let rows = sqlx::query(concat!(
            "SELECT (SELECT max_days_apart FROM mine_restoration_settings WHERE id = 1) \
               AS max_days_apart, f.* FROM (SELECT 1) LEFT JOIN (SELECT ",
            filing_columns!(),
            " FROM mine_plan_filings WHERE application_number = ?) f \
             ORDER BY f.kind DESC, f.filed_on, f.id"
        ))
        .bind(app.number.trim())
        .fetch_all(&self.pool)
        .await?;
        let max_days_apart = rows
            .first()
            .and_then(|r| r.get::<Option<i64>, _>("max_days_apart"))
            .unwrap_or(0)
            .clamp(0, i64::from(u32::MAX)) as u32;
        let by_number = rows
            .iter()
            .filter(|r| r.get::<Option<i64>, _>("id").is_some())
            .map(record)
            .collect::<Result<Vec<_>>>()?;
        let none = PlansOnFile {
            found_by: format!("申请编号 {}", app.number),
            plans: vec![],
            max_days_apart,
        };
        if !by_number.is_empty() {
            return Ok(PlansOnFile {
                plans: by_number.iter().map(|r| r.filing.to_filed()).collect(),
                ..none
            });
        }
        let Some(right) = &app.existing_right else {
            return Ok(none);
        };
        let mine: Option<(i64, String)> = sqlx::query_as(
            "SELECT m.id, m.name FROM rights r JOIN mines m ON m.id = r.mine_id WHERE r.id = ?",
        )
        .bind(right)
        .fetch_optional(&self.pool)
        .await?;
        let Some((mine_id, name)) = mine else {
            return Ok(none);
        };
        let plans = self.mine_plan_filings(mine_id).await?;
        if plans.is_empty() {
            return Ok(none);
        }
        Ok(PlansOnFile {
            found_by: format!("申请编号 {}及原矿业权 {right} 所属矿山“{name}”", app.number),
            plans: plans.iter().map(|r| r.filing.to_filed()).collect(),
            max_days_apart,
        })
    }

    /// The approved 矿区生态修复方案 of mine `mine_id` in force on `on`: the latest approved
    /// on or before `on` with its budget and period, if one is on file.
    ///
    /// # Errors
    /// Database errors.
    pub async fn approved_restoration_plan(
        &self,
        mine_id: i64,
        on: Date,
    ) -> Result<Option<ApprovedRestorationPlan>> {
        Ok(self
            .mine_plan_filings(mine_id)
            .await?
            .into_iter()
            .filter(|r| r.filing.approved_on.is_some_and(|d| d <= on))
            .filter_map(|r| Some((r.filing.approved_on?, r.id, r.filing.approved_plan()?)))
            .max_by_key(|(d, id, _)| (*d, *id))
            .map(|(_, _, p)| p))
    }

    /// Every mine's approved 矿区生态修复方案 in force on `on` (as
    /// [`Store::approved_restoration_plan`], in one query), by mine id.
    ///
    /// # Errors
    /// Database errors; a stored row that does not read.
    pub async fn approved_restoration_plans(
        &self,
        on: Date,
    ) -> Result<std::collections::BTreeMap<i64, ApprovedRestorationPlan>> {
        let rows = sqlx::query(&format!(
            "SELECT * FROM (SELECT f.*, COALESCE(f.mine_id, (SELECT r.mine_id FROM applications a              JOIN rights r ON r.id = a.used_for WHERE a.number = f.application_number)) AS owner              FROM ({SELECT}) f WHERE f.kind = '生态修复方案' AND f.approved_on IS NOT NULL              AND f.approved_on <= ?) WHERE owner IS NOT NULL ORDER BY approved_on, id"
        ))
        .bind(on.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut out = std::collections::BTreeMap::new();
        for r in &rows {
            let owner: i64 = r.get("owner");
            if let Some(p) = record(r)?.filing.approved_plan() {
                // Rows come in approval order: the latest approved wins.
                out.insert(owner, p);
            }
        }
        Ok(out)
    }

    /// The 损毁 / 复垦 areas of mine `mine_id`'s annual reports, by year.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn mine_year_actuals(&self, mine_id: i64) -> Result<Vec<YearActual>> {
        let rows = sqlx::query(
            "SELECT year, disturbed_ha, restored_ha FROM annual_reports WHERE mine_id = ? ORDER BY year",
        )
        .bind(mine_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| YearActual {
                year: r.get::<i64, _>("year") as i32,
                disturbed_ha: r.get("disturbed_ha"),
                restored_ha: r.get("restored_ha"),
            })
            .collect())
    }

    /// Mine `mine_id`'s schedule through `through_year` (the last finished year) under the
    /// plan in force at that year's end; `None` without an approved plan.
    ///
    /// # Errors
    /// Database errors.
    pub async fn mine_schedule(
        &self,
        mine_id: i64,
        through_year: i32,
    ) -> Result<Option<MineSchedule>> {
        let Some(plan) = self
            .approved_restoration_plan(mine_id, Date::end_of_year(through_year))
            .await?
        else {
            return Ok(None);
        };
        let actuals = self.mine_year_actuals(mine_id).await?;
        let rows = schedule_rows(&plan, &actuals, through_year);
        Ok(Some(MineSchedule { plan, rows }))
    }

    /// Mines behind their plan's schedule at the end of `year`, with the mine's name and the
    /// year's row (for the reminders).
    ///
    /// # Errors
    /// Database errors.
    pub async fn mines_behind_schedule(
        &self,
        year: i32,
    ) -> Result<Vec<(i64, String, ScheduleRow)>> {
        let mut out = Vec::new();
        for m in self.mines().await? {
            if let Some(s) = self.mine_schedule(m.id, year).await?
                && let Some(r) = s.behind()
                && r.year == year
            {
                out.push((m.id, m.name.clone(), r.clone()));
            }
        }
        Ok(out)
    }

    /// 三同时 and 边开采边治理 for `year`: the reports' 损毁 / 复垦 areas summed (公顷; 未报送
    /// when no report gave them), the mines behind their plan's schedule at the year's end
    /// (无法判定 when a mine with a plan has a year without its 复垦 area), and the mines
    /// with a mining right in force in the year that lack either plan on file.
    ///
    /// # Errors
    /// Database errors.
    pub async fn schedule_figures(&self, year: i32) -> Result<ScheduleFigures> {
        let rows = sqlx::query(
            "SELECT mine_id, disturbed_ha, restored_ha FROM annual_reports WHERE year = ?",
        )
        .bind(year)
        .fetch_all(&self.pool)
        .await?;
        let disturbed: Vec<f64> = rows
            .iter()
            .filter_map(|r| r.get::<Option<f64>, _>("disturbed_ha"))
            .collect();
        let restored: Vec<f64> = rows
            .iter()
            .filter_map(|r| r.get::<Option<f64>, _>("restored_ha"))
            .collect();
        let both = rows
            .iter()
            .filter(|r| {
                r.get::<Option<f64>, _>("disturbed_ha").is_some()
                    && r.get::<Option<f64>, _>("restored_ha").is_some()
            })
            .count() as u32;
        let sum = |v: &[f64], what: &str| {
            if v.is_empty() {
                Reading::Missing(format!("未报送：{year} 年度报告均未填报{what}"))
            } else {
                Reading::Value(v.iter().sum())
            }
        };
        let histories = self.right_histories().await?;
        let by_mine = crate::annual_reports::by_mine(&histories);
        let (start, end) = (Date::start_of_year(year), Date::end_of_year(year));
        let mut with_plan = 0u32;
        let mut behind = 0u32;
        let mut unknown = 0u32;
        let mut mining = 0u32;
        let mut without = 0u32;
        for (mine, rights) in &by_mine {
            if let Some(s) = self.mine_schedule(*mine, year).await? {
                with_plan += 1;
                match s.rows.last().map(|r| r.standing) {
                    Some(Standing::Behind) => behind += 1,
                    Some(Standing::Unknown) => unknown += 1,
                    _ => {}
                }
            }
            let in_force = rights.iter().any(|h| {
                h.current().kind == minplan_domain::application::RightKind::Mining
                    && h.valid_during(start, end)
            });
            if in_force {
                mining += 1;
                let plans = self.mine_plan_filings(*mine).await?;
                let has = |k: PlanKind| plans.iter().any(|p| p.filing.kind == k);
                if !(has(PlanKind::Development) && has(PlanKind::Restoration)) {
                    without += 1;
                }
            }
        }
        Ok(ScheduleFigures {
            year,
            disturbed_ha: sum(&disturbed, "本年损毁土地面积"),
            restored_ha: sum(&restored, "本年复垦（治理）面积"),
            mines_reporting: both,
            mines_behind: if with_plan == 0 {
                Reading::Missing("无数据：没有已批复的矿区生态修复方案".into())
            } else if unknown > 0 {
                Reading::Missing(format!(
                    "无法判定：{unknown} 座矿山的年度报告未填报复垦面积（已知滞后 {behind} 座）"
                ))
            } else {
                Reading::Value(behind)
            },
            mines_without_plans: if mining == 0 {
                Reading::Missing(format!("无数据：{year} 年没有有效采矿权的矿山"))
            } else {
                Reading::Value(without)
            },
        })
    }
}

async fn audit_filing(
    tx: &mut Transaction<'_, Sqlite>,
    actor: &Actor,
    action: &'static str,
    before: &PlanFilingRecord,
    after: &PlanFilingRecord,
) -> Result<()> {
    audit::append(
        tx,
        &AuditEntry {
            actor,
            action,
            entity_type: if after.mine_id.is_some() {
                "mine"
            } else {
                "application"
            },
            entity_id: match (after.mine_id, &after.filing.application_number) {
                (Some(m), _) => m.to_string(),
                (None, n) => n.clone().unwrap_or_default(),
            },
            before: Some(serde_json::to_value(before).unwrap_or_default()),
            after: Some(serde_json::to_value(after).unwrap_or_default()),
        },
    )
    .await?;
    Ok(())
}
