//! 检查记录 of the drawn 抽查对象 (migration 0018 over 0015's `inspection_targets`): the
//! record with its item findings and inspectors present, evidence files (kept in the database
//! with their SHA-256, ≤ [`MAX_FILE_BYTES`], JPEG / PNG / PDF by their first bytes), the
//! company's 整改报告 and the inspectors' 验收 — the transitions are
//! [`minplan_domain::supervision::checks`]'s; every write is one transaction with its audit
//! row (entity `check_record`, id = the record's id).

use crate::audit::{self, Actor, AuditEntry};
use crate::{FieldError, Result, Store, StoreError, now_rfc3339};
use minplan_domain::calendar::Counted;
use minplan_domain::date::Date;
use minplan_domain::supervision::checks::{
    self as dom, Acceptance, CheckDraft, CheckProblem, DeadlineReminder, Finding, ItemFinding,
    PublicCheckResult, PublicItem, Rectification, Stage,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// The largest evidence or report file, bytes (10 MB).
pub const MAX_FILE_BYTES: usize = minplan_domain::attachment::MAX_ATTACHMENT_BYTES;

/// A file as uploaded: its name and bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The name as uploaded.
    pub name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// The kind of a file from its first bytes: `jpg` (FF D8 FF), `png` (89 50 4E 47 0D 0A 1A
/// 0A) or `pdf` (`%PDF-`); `None` for anything else.
pub fn file_kind(bytes: &[u8]) -> Option<&'static str> {
    minplan_domain::attachment::AttachmentKind::of(bytes).map(|k| k.extension())
}

/// Lowercase hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks uploads: size 1..=[`MAX_FILE_BYTES`], kind by [`file_kind`]; problems name the file.
fn check_uploads(files: &[Upload], field: &str) -> Vec<FieldError> {
    let mut p = Vec::new();
    for f in files {
        if f.bytes.is_empty() {
            p.push(FieldError::new(field, format!("文件“{}”是空文件", f.name)));
        } else if f.bytes.len() > MAX_FILE_BYTES {
            p.push(FieldError::new(
                field,
                format!(
                    "文件“{}”为 {:.1} MB，超过每个文件 10 MB 的限制",
                    f.name,
                    f.bytes.len() as f64 / 1024.0 / 1024.0
                ),
            ));
        } else if file_kind(&f.bytes).is_none() {
            p.push(FieldError::new(
                field,
                format!(
                    "文件“{}”不是 JPG、PNG 图片或 PDF 文件（按文件内容判断）",
                    f.name
                ),
            ));
        }
    }
    p
}

fn problems(v: Vec<CheckProblem>) -> StoreError {
    StoreError::Invalid(
        v.into_iter()
            .map(|p| FieldError::new(p.field, p.message))
            .collect(),
    )
}

/// An inspector assigned to a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignedInspector {
    /// `inspectors.id`.
    pub id: i64,
    /// 姓名.
    pub name: String,
    /// 执法证号.
    pub badge_no: String,
    /// 所在单位.
    pub unit: String,
    /// Login, when there is one.
    pub username: Option<String>,
}

/// An item a target is to be checked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TargetItem {
    /// 事项编号.
    pub code: String,
    /// 事项名称 (the code itself when the item is not in the 清单 any more).
    pub name: String,
    /// 检查依据.
    pub legal_basis: String,
}

/// A 抽查对象 with its record's state (the 检查任务 list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckTask {
    /// `inspection_targets.id`.
    pub target_id: i64,
    /// 抽查计划's year.
    pub year: i32,
    /// 抽查计划's name.
    pub plan_name: String,
    /// 许可证号.
    pub right_id: String,
    /// 矿业权人.
    pub holder_name: String,
    /// 统一社会信用代码.
    pub credit_code: Option<String>,
    /// Assigned inspectors' names.
    pub inspectors: Vec<String>,
    /// Whether the login given is one of the assigned inspectors.
    pub mine: bool,
    /// The record's stage, `None` before the check.
    pub stage: Option<Stage>,
    /// 检查日期.
    pub check_date: Option<Date>,
    /// 整改期限 in force.
    pub deadline: Option<Date>,
}

/// A 抽查对象 with what its check needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckTarget {
    /// The task row.
    pub task: CheckTask,
    /// The items to check.
    pub items: Vec<TargetItem>,
    /// The inspectors assigned.
    pub assigned: Vec<AssignedInspector>,
}

/// A stored file's description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredFile {
    /// `check_files.id`.
    pub id: i64,
    /// Name as uploaded.
    pub name: String,
    /// `jpg`, `png`, `pdf`.
    pub kind: String,
    /// Bytes.
    pub size: i64,
    /// Hex SHA-256.
    pub sha256: String,
    /// Uploaded, RFC 3339 UTC.
    pub uploaded_at: String,
}

/// A 整改报告 as filed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RectificationReport {
    /// 整改轮次 it answers.
    pub round: i64,
    /// 报送日期.
    pub reported_on: Date,
    /// 整改情况.
    pub text: String,
    /// Whether it came after the deadline then in force.
    pub late: bool,
    /// Attached file.
    pub file: Option<StoredFile>,
}

/// A 验收.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcceptanceRecord {
    /// 整改轮次.
    pub round: i64,
    /// 验收日期.
    pub accepted_on: Date,
    /// `passed`, `retry`, `escalate`.
    pub decision: String,
    /// The new deadline (retry).
    pub new_deadline: Option<Date>,
    /// 验收意见.
    pub note: String,
}

impl AcceptanceRecord {
    /// The decision in Chinese.
    pub fn decision_label(&self) -> &'static str {
        match self.decision.as_str() {
            "passed" => "验收合格",
            "retry" => "验收不合格，重新整改",
            _ => "验收不合格，转立案查处",
        }
    }
}

/// A saved check record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckRecord {
    /// `check_records.id`.
    pub id: i64,
    /// `inspection_targets.id`.
    pub target_id: i64,
    /// 检查日期.
    pub check_date: Date,
    /// 检查方式 (label).
    pub method: String,
    /// 检查结论 of the record.
    pub finding: Finding,
    /// The items.
    pub items: Vec<ItemFinding>,
    /// Inspectors present.
    pub inspectors: Vec<AssignedInspector>,
    /// 整改期限 asked, working days.
    pub rectify_days: Option<i64>,
    /// Rectification state.
    #[serde(skip)]
    pub state: Rectification,
    /// Evidence files.
    pub evidence: Vec<StoredFile>,
    /// 整改报告, oldest first.
    pub reports: Vec<RectificationReport>,
    /// 验收, oldest first.
    pub acceptances: Vec<AcceptanceRecord>,
}

/// One row of a year's 抽查结果 (reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearResult {
    /// 抽查计划 name.
    pub plan_name: String,
    /// 许可证号.
    pub right_id: String,
    /// 矿业权人.
    pub holder_name: String,
    /// The record, `None` when the target is not checked yet.
    pub record: Option<CheckRecord>,
}

/// A deadline reminder of a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReminder {
    /// `inspection_targets.id`.
    pub target_id: i64,
    /// 许可证号.
    pub right_id: String,
    /// 矿业权人.
    pub holder_name: String,
    /// The reminder.
    pub reminder: DeadlineReminder,
}

fn date_of(s: &str) -> Result<Date> {
    Date::parse(s).map_err(|_| StoreError::Internal(format!("检查记录中的日期“{s}”无法读取")))
}

fn opt_date(s: Option<String>) -> Result<Option<Date>> {
    s.as_deref().map(date_of).transpose()
}

fn stage_of(s: &str) -> Result<Stage> {
    Stage::parse(s).ok_or_else(|| StoreError::Internal(format!("检查记录的状态“{s}”无法读取")))
}

const TASK_SQL: &str = "SELECT t.id, p.year, p.name AS plan_name, t.right_id, t.holder_name,
        t.credit_code, r.stage, r.check_date, r.deadline
     FROM inspection_targets t
     JOIN inspection_plans p ON p.id = t.plan_id
     JOIN inspection_draws d ON d.id = t.draw_id
     LEFT JOIN check_records r ON r.target_id = t.id
     WHERE d.superseded_by IS NULL";

impl Store {
    async fn assigned(&self, target_id: i64) -> Result<Vec<AssignedInspector>> {
        let rows = sqlx::query(
            "SELECT i.id, i.name, i.badge_no, i.unit, i.username
             FROM inspection_target_inspectors a JOIN inspectors i ON i.id = a.inspector_id
             WHERE a.target_id = ? ORDER BY i.id",
        )
        .bind(target_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| AssignedInspector {
                id: r.get("id"),
                name: r.get("name"),
                badge_no: r.get("badge_no"),
                unit: r.get("unit"),
                username: r.get("username"),
            })
            .collect())
    }

    /// Every assignment of targets in force: target id → its inspectors (one query).
    async fn all_assigned(&self) -> Result<std::collections::HashMap<i64, Vec<AssignedInspector>>> {
        let rows = sqlx::query(
            "SELECT a.target_id, i.id, i.name, i.badge_no, i.unit, i.username
             FROM inspection_target_inspectors a JOIN inspectors i ON i.id = a.inspector_id
             ORDER BY a.target_id, i.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out: std::collections::HashMap<i64, Vec<AssignedInspector>> =
            std::collections::HashMap::new();
        for r in &rows {
            out.entry(r.get("target_id"))
                .or_default()
                .push(AssignedInspector {
                    id: r.get("id"),
                    name: r.get("name"),
                    badge_no: r.get("badge_no"),
                    unit: r.get("unit"),
                    username: r.get("username"),
                });
        }
        Ok(out)
    }

    fn task_from(
        r: &sqlx::sqlite::SqliteRow,
        assigned: &[AssignedInspector],
        login: Option<&str>,
    ) -> Result<CheckTask> {
        let id: i64 = r.get("id");
        let stage: Option<String> = r.get("stage");
        Ok(CheckTask {
            target_id: id,
            year: r.get::<i64, _>("year") as i32,
            plan_name: r.get("plan_name"),
            right_id: r.get("right_id"),
            holder_name: r.get("holder_name"),
            credit_code: r.get("credit_code"),
            mine: login.is_some_and(|l| {
                assigned.iter().any(|a| {
                    a.username
                        .as_deref()
                        .is_some_and(|u| u.eq_ignore_ascii_case(l))
                })
            }),
            inspectors: assigned.iter().map(|a| a.name.clone()).collect(),
            stage: stage.as_deref().map(stage_of).transpose()?,
            check_date: opt_date(r.get("check_date"))?,
            deadline: opt_date(r.get("deadline"))?,
        })
    }

    /// The 检查任务: every 抽查对象 of a draw in force (not superseded), the tasks of `login`
    /// (an inspector whose `inspectors.username` it is) first, then by year (newest first) and
    /// 许可证号. `credit_code`: only that holder's (a 矿山企业).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn check_tasks(
        &self,
        login: Option<&str>,
        credit_code: Option<&str>,
    ) -> Result<Vec<CheckTask>> {
        let mut sql = TASK_SQL.to_string();
        if credit_code.is_some() {
            sql.push_str(" AND t.credit_code = ?");
        }
        sql.push_str(" ORDER BY p.year DESC, t.right_id, t.id");
        let mut q = sqlx::query(&sql);
        if let Some(c) = credit_code {
            q = q.bind(c);
        }
        let rows = q.fetch_all(&self.pool).await?;
        let assigned = self.all_assigned().await?;
        let mut out = Vec::new();
        for r in &rows {
            let a = assigned
                .get(&r.get::<i64, _>("id"))
                .map_or(&[][..], Vec::as_slice);
            out.push(Self::task_from(r, a, login)?);
        }
        out.sort_by_key(|t| !t.mine);
        Ok(out)
    }

    /// One 抽查对象 with its items and assigned inspectors; `None` when there is no such
    /// target in a draw in force.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn check_target(
        &self,
        target_id: i64,
        login: Option<&str>,
    ) -> Result<Option<CheckTarget>> {
        let Some(r) = sqlx::query(&format!("{TASK_SQL} AND t.id = ?"))
            .bind(target_id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let assigned = self.assigned(target_id).await?;
        let task = Self::task_from(&r, &assigned, login)?;
        let items_json: String =
            sqlx::query_scalar("SELECT items_json FROM inspection_targets WHERE id = ?")
                .bind(target_id)
                .fetch_one(&self.pool)
                .await?;
        let codes: Vec<String> = serde_json::from_str(&items_json).map_err(|e| {
            StoreError::Internal(format!("抽查对象 {target_id} 的检查事项无法读取：{e}"))
        })?;
        let mut items = Vec::new();
        for c in codes {
            let row = sqlx::query("SELECT name, legal_basis FROM inspection_items WHERE code = ?")
                .bind(&c)
                .fetch_optional(&self.pool)
                .await?;
            items.push(TargetItem {
                name: row.as_ref().map_or(c.clone(), |r| r.get("name")),
                legal_basis: row.as_ref().map_or(String::new(), |r| r.get("legal_basis")),
                code: c,
            });
        }
        Ok(Some(CheckTarget {
            task,
            items,
            assigned,
        }))
    }

    async fn files(&self, record_id: i64, purpose: &str) -> Result<Vec<StoredFile>> {
        let rows = sqlx::query(
            "SELECT id, name, kind, size, sha256, uploaded_at FROM check_files
             WHERE record_id = ? AND purpose = ? ORDER BY id",
        )
        .bind(record_id)
        .bind(purpose)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(stored_file).collect())
    }

    /// The check record of a target, `None` before the check.
    ///
    /// # Errors
    /// [`StoreError::Db`]; [`StoreError::Internal`] for a stored value that no longer reads.
    pub async fn check_record(&self, target_id: i64) -> Result<Option<CheckRecord>> {
        let Some(r) = sqlx::query("SELECT * FROM check_records WHERE target_id = ?")
            .bind(target_id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let id: i64 = r.get("id");
        let items = sqlx::query(
            "SELECT item_code, item_name, finding, note FROM check_item_findings
             WHERE record_id = ? ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|i| {
            let f: String = i.get("finding");
            Ok(ItemFinding {
                item_code: i.get("item_code"),
                item_name: i.get("item_name"),
                finding: Finding::parse(&f)
                    .ok_or_else(|| StoreError::Internal(format!("检查结论“{f}”无法读取")))?,
                note: i.get("note"),
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let present: Vec<i64> = sqlx::query_scalar(
            "SELECT inspector_id FROM check_record_inspectors WHERE record_id = ? ORDER BY inspector_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let inspectors = self
            .assigned(target_id)
            .await?
            .into_iter()
            .filter(|a| present.contains(&a.id))
            .collect();
        let finding: String = r.get("finding");
        let state = Rectification {
            stage: stage_of(r.get::<&str, _>("stage"))?,
            deadline: opt_date(r.get("deadline"))?,
            round: r.get::<i64, _>("round") as u32,
        };
        let report_files = self.files(id, "report").await?;
        let mut reports = Vec::new();
        for rr in sqlx::query(
            "SELECT round, reported_on, text, file_id FROM rectification_reports
             WHERE record_id = ? ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        {
            let file_id: Option<i64> = rr.get("file_id");
            reports.push(RectificationReport {
                round: rr.get("round"),
                reported_on: date_of(rr.get::<&str, _>("reported_on"))?,
                text: rr.get("text"),
                late: false,
                file: file_id.and_then(|f| report_files.iter().find(|x| x.id == f).cloned()),
            });
        }
        let mut acceptances = Vec::new();
        for a in sqlx::query(
            "SELECT round, accepted_on, decision, new_deadline, note FROM rectification_acceptances
             WHERE record_id = ? ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        {
            acceptances.push(AcceptanceRecord {
                round: a.get("round"),
                accepted_on: date_of(a.get::<&str, _>("accepted_on"))?,
                decision: a.get("decision"),
                new_deadline: opt_date(a.get("new_deadline"))?,
                note: a.get("note"),
            });
        }
        // A report is late when it came after the deadline of its round: the first round's
        // is the check's, a later one's the retry's.
        let check_date = date_of(r.get::<&str, _>("check_date"))?;
        let rectify_days: Option<i64> = r.get("rectify_days");
        let cal = self.work_calendar().await?;
        for rep in &mut reports {
            let deadline = if rep.round <= 1 {
                rectify_days.map(|n| cal.add_working_days(check_date, n).value)
            } else {
                acceptances
                    .iter()
                    .filter(|a| a.round == rep.round - 1)
                    .find_map(|a| a.new_deadline)
            };
            rep.late = deadline.is_some_and(|d| rep.reported_on > d);
        }
        Ok(Some(CheckRecord {
            id,
            target_id,
            check_date,
            method: r.get("method"),
            finding: Finding::parse(&finding)
                .ok_or_else(|| StoreError::Internal(format!("检查结论“{finding}”无法读取")))?,
            items,
            inspectors,
            rectify_days,
            state,
            evidence: self.files(id, "evidence").await?,
            reports,
            acceptances,
        }))
    }

    /// Saves the check of a target: the draft checked by [`dom::validate`] against the
    /// target's assigned inspectors and items, the evidence by [`file_kind`] and
    /// [`MAX_FILE_BYTES`], the state by [`dom::after_check`] (整改期限 in working days of
    /// [`Store::work_calendar`]). One record per target. Audit `check.record`.
    ///
    /// Returns the record and the calendar's note when a year is not held.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] on field `target` when the target does not exist or is checked
    /// already; every problem of the draft and the files, by field (nothing written);
    /// [`StoreError::Db`].
    pub async fn record_check(
        &self,
        target_id: i64,
        draft: &CheckDraft,
        evidence: &[Upload],
        today: Date,
        actor: &Actor,
    ) -> Result<(CheckRecord, Option<String>)> {
        let Some(target) = self.check_target(target_id, None).await? else {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "target",
                "没有这个抽查对象",
            )]));
        };
        if target.task.stage.is_some() {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "target",
                "该抽查对象已有检查记录",
            )]));
        }
        let assigned: Vec<i64> = target.assigned.iter().map(|a| a.id).collect();
        let codes: Vec<String> = target.items.iter().map(|i| i.code.clone()).collect();
        let mut errs = match dom::validate(draft, &assigned, &codes, today) {
            Ok(()) => vec![],
            Err(v) => match problems(v) {
                StoreError::Invalid(v) => v,
                _ => vec![],
            },
        };
        errs.extend(check_uploads(evidence, "evidence"));
        if !errs.is_empty() {
            return Err(StoreError::Invalid(errs));
        }
        let cal = self.work_calendar().await?;
        let counted = dom::after_check(draft, &cal);
        let note = counted.note();
        let state = counted.value;
        let finding = Finding::overall(&draft.items).unwrap_or(Finding::Compliant);
        let rectify_days = draft
            .items
            .iter()
            .any(|i| i.finding == Finding::Rectify)
            .then_some(draft.rectify_days)
            .flatten();
        let now = now_rfc3339();
        let by = actor.label();
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO check_records (target_id, check_date, method, finding, rectify_days,
                stage, deadline, round, created_at, created_by, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(target_id)
        .bind(draft.check_date.to_string())
        .bind(draft.method.label())
        .bind(finding.label())
        .bind(rectify_days)
        .bind(state.stage.label())
        .bind(state.deadline.map(|d| d.to_string()))
        .bind(i64::from(state.round))
        .bind(&now)
        .bind(&by)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        for (i, it) in draft.items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO check_item_findings (record_id, position, item_code, item_name, finding, note)
                 VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(i as i64 + 1)
            .bind(&it.item_code)
            .bind(&it.item_name)
            .bind(it.finding.label())
            .bind(it.note.trim())
            .execute(&mut *tx)
            .await?;
        }
        let mut present = draft.inspectors.clone();
        present.sort_unstable();
        present.dedup();
        for p in &present {
            sqlx::query(
                "INSERT INTO check_record_inspectors (record_id, inspector_id) VALUES (?, ?)",
            )
            .bind(id)
            .bind(p)
            .execute(&mut *tx)
            .await?;
        }
        let mut files = Vec::new();
        for f in evidence {
            files.push(insert_file(&mut tx, id, "evidence", f, &now, &by).await?);
        }
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "check.record",
                entity_type: "check_record",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "target_id": target_id,
                    "right_id": target.task.right_id,
                    "check_date": draft.check_date.to_string(),
                    "check_method": draft.method.label(),
                    "items": draft.items,
                    "inspectors": present,
                    "finding": finding.label(),
                    "stage": state.stage.label(),
                    "deadline": state.deadline.map(|d| d.to_string()),
                    "files": files,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        let rec = self
            .check_record(target_id)
            .await?
            .ok_or_else(|| StoreError::Internal("检查记录保存后未找到".into()))?;
        Ok((rec, note))
    }

    /// Adds evidence files to a saved record. Audit `check.evidence`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for no record or a refused file (nothing written);
    /// [`StoreError::Db`].
    pub async fn add_check_evidence(
        &self,
        target_id: i64,
        evidence: &[Upload],
        actor: &Actor,
    ) -> Result<Vec<StoredFile>> {
        let Some(rec) = self.check_record(target_id).await? else {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "target",
                "该抽查对象尚无检查记录",
            )]));
        };
        let mut errs = check_uploads(evidence, "evidence");
        if evidence.is_empty() {
            errs.push(FieldError::new("evidence", "请选择要上传的文件"));
        }
        if !errs.is_empty() {
            return Err(StoreError::Invalid(errs));
        }
        let now = now_rfc3339();
        let by = actor.label();
        let mut tx = self.begin_write().await?;
        let mut files = Vec::new();
        for f in evidence {
            files.push(insert_file(&mut tx, rec.id, "evidence", f, &now, &by).await?);
        }
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "check.evidence",
                entity_type: "check_record",
                entity_id: rec.id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "files": files })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(files)
    }

    /// A stored file (evidence or report attachment) by its id: its description, bytes and
    /// the target its record belongs to; `None` when there is no such file.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn check_file_by_id(
        &self,
        file_id: i64,
    ) -> Result<Option<(StoredFile, Vec<u8>, i64)>> {
        let row = sqlx::query(
            "SELECT f.id, f.name, f.kind, f.size, f.sha256, f.uploaded_at, f.data, r.target_id
             FROM check_files f JOIN check_records r ON r.id = f.record_id
             WHERE f.id = ?",
        )
        .bind(file_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (stored_file(&r), r.get("data"), r.get("target_id"))))
    }

    /// The company's 整改报告 on `today` ([`dom::report`]): text and an optional file.
    /// Audit `check.rectification_report`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for no record, a record not 整改中, an empty text or a refused
    /// file (nothing written); [`StoreError::Db`].
    pub async fn file_rectification_report(
        &self,
        target_id: i64,
        text: &str,
        file: Option<&Upload>,
        today: Date,
        actor: &Actor,
    ) -> Result<CheckRecord> {
        let Some(rec) = self.check_record(target_id).await? else {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "target",
                "该抽查对象尚无检查记录",
            )]));
        };
        let mut errs = match dom::report(&rec.state, rec.check_date, today, text) {
            Ok(_) => vec![],
            Err(v) => v
                .into_iter()
                .map(|p| FieldError::new(p.field, p.message))
                .collect(),
        };
        if let Some(f) = file {
            errs.extend(check_uploads(std::slice::from_ref(f), "file"));
        }
        if !errs.is_empty() {
            return Err(StoreError::Invalid(errs));
        }
        let next = dom::report(&rec.state, rec.check_date, today, text).map_err(problems)?;
        let now = now_rfc3339();
        let by = actor.label();
        let mut tx = self.begin_write().await?;
        let stored = match file {
            Some(f) => Some(insert_file(&mut tx, rec.id, "report", f, &now, &by).await?),
            None => None,
        };
        sqlx::query(
            "INSERT INTO rectification_reports (record_id, round, reported_on, text, file_id,
                submitted_at, submitted_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(rec.id)
        .bind(i64::from(rec.state.round))
        .bind(today.to_string())
        .bind(text.trim())
        .bind(stored.as_ref().map(|s| s.id))
        .bind(&now)
        .bind(&by)
        .execute(&mut *tx)
        .await?;
        set_state(&mut tx, rec.id, &next, &now).await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "check.rectification_report",
                entity_type: "check_record",
                entity_id: rec.id.to_string(),
                before: Some(serde_json::json!({ "stage": rec.state.stage.label() })),
                after: Some(serde_json::json!({
                    "stage": next.stage.label(),
                    "reported_on": today.to_string(),
                    "late": dom::is_late(&rec.state, today),
                    "text": text.trim(),
                    "file": stored,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.check_record(target_id)
            .await?
            .ok_or_else(|| StoreError::Internal("检查记录未找到".into()))
    }

    /// The inspectors' 验收 on `date` ([`dom::accept`]). Audit `check.acceptance`. Returns the
    /// record and the calendar's note for a new deadline in a year not held.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for no record, a record without a report to accept, a new
    /// period out of range or a date before the report (nothing written); [`StoreError::Db`].
    pub async fn accept_rectification(
        &self,
        target_id: i64,
        date: Date,
        decision: Acceptance,
        note: &str,
        actor: &Actor,
    ) -> Result<(CheckRecord, Option<String>)> {
        let Some(rec) = self.check_record(target_id).await? else {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "target",
                "该抽查对象尚无检查记录",
            )]));
        };
        if let Some(last) = rec.reports.last()
            && date < last.reported_on
        {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "date",
                format!(
                    "验收日期早于整改报告的报送日期（{}）",
                    last.reported_on.chinese()
                ),
            )]));
        }
        let cal = self.work_calendar().await?;
        let counted: Counted<Rectification> =
            dom::accept(&rec.state, date, decision, &cal).map_err(problems)?;
        let note_cal = counted.note();
        let next = counted.value;
        let (code, new_deadline) = match decision {
            Acceptance::Passed => ("passed", None),
            Acceptance::FailedRetry(_) => ("retry", next.deadline),
            Acceptance::FailedEscalate => ("escalate", None),
        };
        let now = now_rfc3339();
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO rectification_acceptances (record_id, round, accepted_on, decision,
                new_deadline, note, accepted_at, accepted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(rec.id)
        .bind(i64::from(rec.state.round))
        .bind(date.to_string())
        .bind(code)
        .bind(new_deadline.map(|d| d.to_string()))
        .bind(note.trim())
        .bind(&now)
        .bind(actor.label())
        .execute(&mut *tx)
        .await?;
        set_state(&mut tx, rec.id, &next, &now).await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "check.acceptance",
                entity_type: "check_record",
                entity_id: rec.id.to_string(),
                before: Some(serde_json::json!({
                    "stage": rec.state.stage.label(),
                    "deadline": rec.state.deadline.map(|d| d.to_string()),
                })),
                after: Some(serde_json::json!({
                    "stage": next.stage.label(),
                    "deadline": next.deadline.map(|d| d.to_string()),
                    "accepted_on": date.to_string(),
                    "note": note.trim(),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        let rec = self
            .check_record(target_id)
            .await?
            .ok_or_else(|| StoreError::Internal("检查记录未找到".into()))?;
        Ok((rec, note_cal))
    }

    /// Deadline reminders on `today` ([`dom::reminder`]: 整改中 within 5 working days or
    /// overdue), most urgent first; `credit_code`: only that holder's.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn check_reminders(
        &self,
        credit_code: Option<&str>,
        today: Date,
    ) -> Result<Vec<CheckReminder>> {
        let cal = self.work_calendar().await?;
        let mut sql = "SELECT t.id, t.right_id, t.holder_name, r.stage, r.deadline, r.round
             FROM check_records r JOIN inspection_targets t ON t.id = r.target_id
             WHERE r.stage = '整改中'"
            .to_string();
        if credit_code.is_some() {
            sql.push_str(" AND t.credit_code = ?");
        }
        let mut q = sqlx::query(&sql);
        if let Some(c) = credit_code {
            q = q.bind(c);
        }
        let mut out = Vec::new();
        for r in q.fetch_all(&self.pool).await? {
            let state = Rectification {
                stage: stage_of(r.get::<&str, _>("stage"))?,
                deadline: opt_date(r.get("deadline"))?,
                round: r.get::<i64, _>("round") as u32,
            };
            if let Some(rem) = dom::reminder(&state, today, &cal) {
                out.push(CheckReminder {
                    target_id: r.get("id"),
                    right_id: r.get("right_id"),
                    holder_name: r.get("holder_name"),
                    reminder: rem,
                });
            }
        }
        out.sort_by_key(|c| c.reminder.deadline);
        Ok(out)
    }

    /// The check results of a plan as the public may see them (for the disclosure helper):
    /// every checked target of the plan's draw in force, by 许可证号 — holder, 许可证号, items
    /// and findings, date, outcome; nothing about the inspectors.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn check_results_public(&self, plan_id: i64) -> Result<Vec<PublicCheckResult>> {
        let rows = sqlx::query(&format!(
            "{TASK_SQL} AND t.plan_id = ? AND r.id IS NOT NULL ORDER BY t.right_id, t.id"
        ))
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let id: i64 = r.get("id");
            if let Some(rec) = self.check_record(id).await? {
                out.push(PublicCheckResult {
                    holder_name: r.get("holder_name"),
                    licence_no: r.get("right_id"),
                    items: rec
                        .items
                        .iter()
                        .map(|i| PublicItem {
                            item: i.item_name.clone(),
                            finding: i.finding.label().to_string(),
                        })
                        .collect(),
                    finding: rec.finding.label().to_string(),
                    check_date: rec.check_date,
                    outcome: dom::outcome_label(&rec.state, Some(rec.finding)).to_string(),
                });
            }
        }
        Ok(out)
    }

    /// The 抽查结果 of a plan as it is published (the 信息公示 payload of
    /// `minplan_domain::disclosure`): every 抽查对象 of the plan's draw in force, by 许可证号 —
    /// a checked one with its items and findings, date and outcome (as
    /// [`Store::check_results_public`] gives them), the others 未检查 with the items to check;
    /// the checks ended on the latest check date once every target is checked. No inspector
    /// is named.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown plan; [`StoreError::Db`].
    pub async fn inspection_results_payload(
        &self,
        plan_id: i64,
    ) -> Result<minplan_domain::disclosure::PublicInspectionResult> {
        use minplan_domain::disclosure::{PublicInspectionResult, PublicInspectionTarget};
        let plan = sqlx::query("SELECT name, year FROM inspection_plans WHERE id = ?")
            .bind(plan_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {plan_id} 的抽查计划")))?;
        let names: std::collections::HashMap<String, String> =
            sqlx::query("SELECT code, name FROM inspection_items")
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| (r.get("code"), r.get("name")))
                .collect();
        let checked = self.check_results_public(plan_id).await?;
        let rows = sqlx::query(
            "SELECT t.right_id, t.holder_name, t.items_json FROM inspection_targets t
             JOIN inspection_draws d ON d.id = t.draw_id
             WHERE d.superseded_by IS NULL AND t.plan_id = ? ORDER BY t.right_id, t.id",
        )
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?;
        let mut targets = Vec::with_capacity(rows.len());
        let mut last_check: Option<Date> = None;
        let mut all_checked = true;
        for r in &rows {
            let right_id: String = r.get("right_id");
            let holder_name: String = r.get("holder_name");
            match checked.iter().find(|c| c.licence_no == right_id) {
                Some(c) => {
                    last_check = last_check.max(Some(c.check_date));
                    targets.push(PublicInspectionTarget {
                        holder_name,
                        licence_no: right_id,
                        items: c
                            .items
                            .iter()
                            .map(|i| format!("{}（{}）", i.item, i.finding))
                            .collect(),
                        finding: c.finding.clone(),
                        checked_on: Some(c.check_date.to_string()),
                        outcome: c.outcome.clone(),
                    });
                }
                None => {
                    all_checked = false;
                    let codes: Vec<String> =
                        serde_json::from_str(&r.get::<String, _>("items_json")).map_err(|e| {
                            StoreError::Internal(format!(
                                "抽查对象 {right_id} 的检查事项记录无法读取：{e}"
                            ))
                        })?;
                    targets.push(PublicInspectionTarget {
                        holder_name,
                        licence_no: right_id,
                        items: codes
                            .iter()
                            .map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone()))
                            .collect(),
                        finding: "未检查".into(),
                        checked_on: None,
                        outcome: "待检查".into(),
                    });
                }
            }
        }
        Ok(PublicInspectionResult {
            plan_name: plan.get("name"),
            year: plan.get::<i64, _>("year") as i32,
            checks_completed_on: if all_checked && !rows.is_empty() {
                last_check.map(|d| d.to_string())
            } else {
                None
            },
            targets,
        })
    }

    /// Every 抽查对象 of the plans of `year` (draws in force) with its record, by plan and
    /// 许可证号 (the year's 抽查结果 reports).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn check_results_year(&self, year: i32) -> Result<Vec<YearResult>> {
        let rows = sqlx::query(&format!(
            "{TASK_SQL} AND p.year = ? ORDER BY p.id, t.right_id, t.id"
        ))
        .bind(i64::from(year))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let id: i64 = r.get("id");
            out.push(YearResult {
                plan_name: r.get("plan_name"),
                right_id: r.get("right_id"),
                holder_name: r.get("holder_name"),
                record: self.check_record(id).await?,
            });
        }
        Ok(out)
    }

    /// Test fixture: a plan of `year`, a drawn (unsuperseded) draw, the items (code, name),
    /// the inspectors (name, username) and one target per `(许可证号, holder, credit code)`
    /// with every item and every inspector assigned. Returns (plan id, target ids, inspector
    /// ids). Plain SQL into migration 0015's tables, for tests of the checks only.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    #[doc(hidden)]
    pub async fn seed_check_targets_for_tests(
        &self,
        year: i32,
        items: &[(&str, &str)],
        inspectors: &[(&str, Option<&str>)],
        targets: &[(&str, &str, Option<&str>)],
    ) -> Result<(i64, Vec<i64>, Vec<i64>)> {
        let now = now_rfc3339();
        let mut tx = self.begin_write().await?;
        let plan: i64 = sqlx::query_scalar(
            "INSERT INTO inspection_plans (year, name, params_json, created_at, created_by)
             VALUES (?, ?, '{}', ?, 'test') RETURNING id",
        )
        .bind(i64::from(year))
        .bind(format!("{year}年度双随机抽查计划"))
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let draw: i64 = sqlx::query_scalar(
            "INSERT INTO inspection_draws (plan_id, inputs_json, commitment, seed, committed_at,
                drawn_at, result_json) VALUES (?, '{}', 'c', 's', ?, ?, '{}') RETURNING id",
        )
        .bind(plan)
        .bind(&now)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        for (code, name) in items {
            sqlx::query(
                "INSERT OR IGNORE INTO inspection_items (code, name, legal_basis, proportion_pct,
                    frequency, method, right_kinds, created_at, updated_at)
                 VALUES (?, ?, '自然资源部令第13号', 5, '每年一次', 'onsite', '[]', ?, ?)",
            )
            .bind(code)
            .bind(name)
            .bind(&now)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        let mut insp = Vec::new();
        for (i, (name, username)) in inspectors.iter().enumerate() {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO inspectors (name, badge_no, unit, username, created_at, updated_at)
                 VALUES (?, ?, '绥芬河市自然资源局', ?, ?, ?) RETURNING id",
            )
            .bind(name)
            .bind(format!("T{year}-{plan}-{i}"))
            .bind(username)
            .bind(&now)
            .bind(&now)
            .fetch_one(&mut *tx)
            .await?;
            insp.push(id);
        }
        let codes: Vec<&str> = items.iter().map(|(c, _)| *c).collect();
        let mut ids = Vec::new();
        for (right, holder, credit) in targets {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO inspection_targets (draw_id, plan_id, right_id, holder_name,
                    credit_code, right_kind, items_json) VALUES (?, ?, ?, ?, ?, 'mining', ?)
                 RETURNING id",
            )
            .bind(draw)
            .bind(plan)
            .bind(right)
            .bind(holder)
            .bind(credit)
            .bind(serde_json::to_string(&codes).unwrap_or_default())
            .fetch_one(&mut *tx)
            .await?;
            for i in &insp {
                sqlx::query(
                    "INSERT INTO inspection_target_inspectors (target_id, inspector_id) VALUES (?, ?)",
                )
                .bind(id)
                .bind(i)
                .execute(&mut *tx)
                .await?;
            }
            ids.push(id);
        }
        tx.commit().await?;
        Ok((plan, ids, insp))
    }
}

fn stored_file(r: &sqlx::sqlite::SqliteRow) -> StoredFile {
    StoredFile {
        id: r.get("id"),
        name: r.get("name"),
        kind: r.get("kind"),
        size: r.get("size"),
        sha256: r.get("sha256"),
        uploaded_at: r.get("uploaded_at"),
    }
}

async fn insert_file(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    record_id: i64,
    purpose: &str,
    f: &Upload,
    now: &str,
    by: &str,
) -> Result<StoredFile> {
    let kind = file_kind(&f.bytes).unwrap_or("pdf");
    let sha = sha256_hex(&f.bytes);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO check_files (record_id, purpose, name, kind, size, sha256, data, uploaded_at,
            uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(record_id)
    .bind(purpose)
    .bind(&f.name)
    .bind(kind)
    .bind(f.bytes.len() as i64)
    .bind(&sha)
    .bind(&f.bytes)
    .bind(now)
    .bind(by)
    .fetch_one(&mut **tx)
    .await?;
    Ok(StoredFile {
        id,
        name: f.name.clone(),
        kind: kind.into(),
        size: f.bytes.len() as i64,
        sha256: sha,
        uploaded_at: now.into(),
    })
}

async fn set_state(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    record_id: i64,
    s: &Rectification,
    now: &str,
) -> Result<()> {
    sqlx::query(
        "UPDATE check_records SET stage = ?, deadline = ?, round = ?, updated_at = ? WHERE id = ?",
    )
    .bind(s.stage.label())
    .bind(s.deadline.map(|d| d.to_string()))
    .bind(i64::from(s.round))
    .bind(now)
    .bind(record_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_first_bytes() {
        assert_eq!(file_kind(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("jpg"));
        assert_eq!(file_kind(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(file_kind(b"%PDF-1.7"), Some("pdf"));
        assert_eq!(file_kind(b"GIF89a"), None);
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let big = Upload {
            name: "大.jpg".into(),
            bytes: {
                let mut v = vec![0u8; MAX_FILE_BYTES + 1];
                v[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
                v
            },
        };
        let p = check_uploads(&[big], "evidence");
        assert_eq!(p.len(), 1);
        assert!(p[0].message.contains("大.jpg") && p[0].message.contains("10 MB"));
    }
}
