//! 矿业权人异常名录 and 严重违法失信名单 as the bureau keeps them (migration 0017): each
//! entry with its append-only steps (列入, 移出申请, 核验, 移出) checked by the pure workflow
//! [`minplan_domain::supervision::listing`]. Every write is one transaction with its audit
//! row. Other capabilities list a holder through [`Store::list_holder`] (restoration for
//! 未按规定计提基金, the annual filing for 未按期公示); the review reads
//! [`Store::holder_lists_on`]; the public portal reads [`Store::list_entries_public`].

use crate::audit::{self, Actor, AuditEntry};
use crate::{FieldError, Result, Store, StoreError, now_rfc3339};
use minplan_domain::date::Date;
use minplan_domain::disclosure::PublicListEntry;
use minplan_domain::rights::HolderLists;
use minplan_domain::supervision::listing::{
    self, Attachment, DEFAULT_VERIFICATION_LIMIT_DAYS, EntryStatus, HolderList, ListEntry,
    ListingProblem, ListingRequest, MAX_ATTACHMENT_BYTES, Removal, RemovalApplication, Step,
    Verification,
};
use sha2::{Digest, Sha256};
use sqlx::{Row, SqliteConnection};

/// A list entry's id (`list_entries.id`).
pub type EntryId = i64;

/// The bounds of the bureau's 核验 limit, working days.
pub const VERIFICATION_LIMIT_RANGE: std::ops::RangeInclusive<i64> = 1..=60;

/// One recorded step with who recorded it and its files.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredStep {
    /// The step.
    pub step: Step,
    /// Audit actor label (`user:3:zhang`, `cli:…`, `system`).
    pub recorded_by: String,
    /// When (RFC 3339, UTC).
    pub recorded_at: String,
    /// The files of a 移出申请 with their ids (`list_attachments.id`).
    pub files: Vec<(i64, Attachment)>,
}

/// A list entry as stored: the workflow's entry and its recorded steps (same order).
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoredListEntry {
    /// Id.
    pub id: EntryId,
    /// The entry (replayed from its steps).
    pub entry: ListEntry,
    /// The steps as recorded, oldest first.
    pub steps: Vec<StoredStep>,
}

/// A filter of list entries.
#[derive(Debug, Clone, Default)]
pub struct ListEntryQuery {
    /// One list only.
    pub list: Option<HolderList>,
    /// Only entries in these states (empty: all).
    pub statuses: Vec<EntryStatus>,
    /// One holder only (统一社会信用代码).
    pub credit_code: Option<String>,
    /// Name or credit code contains.
    pub text: Option<String>,
}

/// A file uploaded with a 移出申请: name and bytes.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    /// File name as uploaded.
    pub file_name: String,
    /// Content.
    pub bytes: Vec<u8>,
}

fn invalid(p: Vec<ListingProblem>) -> StoreError {
    StoreError::Invalid(
        p.into_iter()
            .map(|p| FieldError::new(p.field, p.message))
            .collect(),
    )
}

fn bad_record(id: EntryId, what: impl std::fmt::Display) -> StoreError {
    StoreError::Internal(format!("名录事项 {id} 的记录无法读取：{what}"))
}

async fn load_in(conn: &mut SqliteConnection, id: EntryId) -> Result<Option<StoredListEntry>> {
    Ok(load_where(conn, Some(id)).await?.pop())
}

/// Entries with their steps and files, by id; one entry (`Some(id)`) or all, three queries.
async fn load_where(
    conn: &mut SqliteConnection,
    only: Option<EntryId>,
) -> Result<Vec<StoredListEntry>> {
    let filter = if only.is_some() {
        " WHERE s.entry_id = ?"
    } else {
        ""
    };
    let steps_sql = format!(
        "SELECT s.entry_id, s.id, s.step_json, s.recorded_by, s.recorded_at FROM list_steps s{filter}
         ORDER BY s.entry_id, s.seq"
    );
    let files_sql = format!(
        "SELECT a.id, a.step_id, a.file_name, a.sha256, a.size_bytes FROM list_attachments a
         JOIN list_steps s ON s.id = a.step_id{filter} ORDER BY a.id"
    );
    let (mut steps_q, mut files_q) = (sqlx::query(&steps_sql), sqlx::query(&files_sql));
    if let Some(id) = only {
        steps_q = steps_q.bind(id);
        files_q = files_q.bind(id);
    }
    let rows = steps_q.fetch_all(&mut *conn).await?;
    let files = files_q.fetch_all(&mut *conn).await?;
    let mut by_step: std::collections::HashMap<i64, Vec<(i64, Attachment)>> =
        std::collections::HashMap::new();
    for f in files {
        by_step.entry(f.get("step_id")).or_default().push((
            f.get("id"),
            Attachment {
                file_name: f.get("file_name"),
                sha256: f.get("sha256"),
                size_bytes: f.get::<i64, _>("size_bytes") as u64,
            },
        ));
    }
    let mut grouped: Vec<(EntryId, Vec<StoredStep>)> = Vec::new();
    for r in rows {
        let id: i64 = r.get("entry_id");
        let step_id: i64 = r.get("id");
        let json: String = r.get("step_json");
        let step: Step = serde_json::from_str(&json).map_err(|e| bad_record(id, e))?;
        let stored = StoredStep {
            step,
            recorded_by: r.get("recorded_by"),
            recorded_at: r.get("recorded_at"),
            files: by_step.remove(&step_id).unwrap_or_default(),
        };
        match grouped.last_mut() {
            Some((last, steps)) if *last == id => steps.push(stored),
            _ => grouped.push((id, vec![stored])),
        }
    }
    grouped
        .into_iter()
        .map(|(id, steps)| {
            let entry = ListEntry::from_record(steps.iter().map(|s| s.step.clone()).collect())
                .map_err(|p| bad_record(id, p[0].clone()))?;
            Ok(StoredListEntry { id, entry, steps })
        })
        .collect()
}

fn date_str(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// Writes `next` (whose last step is new) of entry `id`: the step, the summary, the files.
async fn write_step(
    conn: &mut SqliteConnection,
    id: EntryId,
    next: &ListEntry,
    files: &[UploadedFile],
    actor: &Actor,
) -> Result<i64> {
    let step = next.steps().last().expect("an entry has its 列入");
    let seq = next.steps().len() as i64;
    let step_id: i64 = sqlx::query_scalar(
        "INSERT INTO list_steps (entry_id, seq, kind, step_json, step_date, recorded_by, recorded_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(id)
    .bind(seq)
    .bind(step.code())
    .bind(serde_json::to_string(step).unwrap_or_default())
    .bind(step.date().to_string())
    .bind(actor.label())
    .bind(now_rfc3339())
    .fetch_one(&mut *conn)
    .await?;
    for f in files {
        sqlx::query(
            "INSERT INTO list_attachments (step_id, file_name, sha256, size_bytes, content)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(step_id)
        .bind(&f.file_name)
        .bind(sha256_hex(&f.bytes))
        .bind(f.bytes.len() as i64)
        .bind(&f.bytes)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query(
        "UPDATE list_entries SET status = ?, applied_on = ?, removed_on = ?, removal_number = ?
         WHERE id = ?",
    )
    .bind(next.status().code())
    .bind(date_str(next.open_application().map(|a| a.applied_on)))
    .bind(date_str(next.removal().map(|r| r.decision_date)))
    .bind(next.removal().map(|r| r.decision_number.clone()))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(step_id)
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// 列入: puts a holder on a list by a decision ([`ListEntry::list`]), with the audit row
    /// `holder_list.add`. The public API for other capabilities (restoration lists a holder for
    /// 未按规定计提矿山地质环境治理恢复基金, the annual filing for 未按期公示).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] with every problem, by field (nothing written);
    /// [`StoreError::Db`].
    pub async fn list_holder(&self, request: &ListingRequest, actor: &Actor) -> Result<EntryId> {
        let mut tx = self.begin_write().await?;
        let id = list_holder_in(&mut tx, request, actor).await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// 列入 inside the caller's transaction (the restoration fund confirms its listing proposal and
/// lists the holder in one transaction): as [`Store::list_holder`], without committing.
pub(crate) async fn list_holder_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    request: &ListingRequest,
    actor: &Actor,
) -> Result<EntryId> {
    {
        let entry = ListEntry::list(request.clone()).map_err(invalid)?;
        let l = entry.listing();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO list_entries (list, credit_code, holder_name, reason, reason_text,
                                       decision_number, listed_on, status, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'listed', ?) RETURNING id",
        )
        .bind(l.list.code())
        .bind(&l.credit_code)
        .bind(&l.holder_name)
        .bind(l.reason.code())
        .bind(&l.reason_text)
        .bind(&l.decision_number)
        .bind(l.decision_date.to_string())
        .bind(now_rfc3339())
        .fetch_one(&mut **tx)
        .await?;
        write_step(tx, id, &entry, &[], actor).await?;
        audit::append(
            tx,
            &AuditEntry {
                actor,
                action: "holder_list.add",
                entity_type: "holder_list_entry",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::to_value(l).unwrap_or_default()),
            },
        )
        .await?;
        Ok(id)
    }
}

impl Store {
    /// Applies one later step to entry `id` in one transaction: reads the entry, runs the
    /// transition, writes the step, the files and the audit row `action`.
    async fn append_list_step(
        &self,
        id: EntryId,
        holder: Option<&str>,
        step: Step,
        files: &[UploadedFile],
        action: &str,
        actor: &Actor,
    ) -> Result<ListEntry> {
        let mut tx = self.begin_write().await?;
        let stored = load_in(&mut tx, id)
            .await?
            .filter(|e| holder.is_none_or(|h| e.entry.listing().credit_code == h))
            .ok_or_else(|| StoreError::NotFound(format!("没有名录事项 {id}")))?;
        let before = stored.entry.status();
        let next = stored.entry.apply(step).map_err(invalid)?;
        write_step(&mut tx, id, &next, files, actor).await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action,
                entity_type: "holder_list_entry",
                entity_id: id.to_string(),
                before: Some(serde_json::json!({ "status": before.code() })),
                after: Some(serde_json::json!({
                    "status": next.status().code(),
                    "step": next.steps().last(),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// 移出申请 of entry `id` by its holder, with its files (each ≤ 10 MB, stored with its
    /// SHA-256); audit row `holder_list.apply`. `holder`: the applying company's 统一社会信用代码
    /// (another holder's entry answers [`StoreError::NotFound`]); `None` for the bureau
    /// entering a paper application.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Invalid`] as [`ListEntry::apply_removal`]
    /// (nothing written); [`StoreError::Db`].
    pub async fn apply_list_removal(
        &self,
        id: EntryId,
        holder: Option<&str>,
        applied_on: Date,
        reason: &str,
        files: &[UploadedFile],
        actor: &Actor,
    ) -> Result<ListEntry> {
        let mut problems = Vec::new();
        for f in files {
            if f.bytes.len() as u64 > MAX_ATTACHMENT_BYTES {
                problems.push(FieldError::new(
                    "attachments",
                    format!(
                        "附件“{}”大小 {:.1} MB，超过 10 MB 的上限",
                        f.file_name,
                        f.bytes.len() as f64 / 1_048_576.0
                    ),
                ));
            }
            if f.bytes.is_empty() {
                problems.push(FieldError::new(
                    "attachments",
                    format!("附件“{}”是空文件", f.file_name),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let app = RemovalApplication {
            applied_on,
            reason: reason.to_string(),
            attachments: files
                .iter()
                .map(|f| Attachment {
                    file_name: f.file_name.clone(),
                    sha256: sha256_hex(&f.bytes),
                    size_bytes: f.bytes.len() as u64,
                })
                .collect(),
        };
        self.append_list_step(
            id,
            holder,
            Step::Applied(app),
            files,
            "holder_list.apply",
            actor,
        )
        .await
    }

    /// 核验 of entry `id`'s open 移出申请 by 执法监察; audit row `holder_list.verify`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Invalid`] as [`ListEntry::verify`];
    /// [`StoreError::Db`].
    pub async fn verify_list_removal(
        &self,
        id: EntryId,
        verification: &Verification,
        actor: &Actor,
    ) -> Result<ListEntry> {
        self.append_list_step(
            id,
            None,
            Step::Verified(verification.clone()),
            &[],
            "holder_list.verify",
            actor,
        )
        .await
    }

    /// 移出 of entry `id` by a decision, only after a favourable 核验; audit row
    /// `holder_list.remove`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Invalid`] as [`ListEntry::remove`] (no
    /// favourable 核验: nothing written); [`StoreError::Db`].
    pub async fn remove_listed_holder(
        &self,
        id: EntryId,
        removal: &Removal,
        actor: &Actor,
    ) -> Result<ListEntry> {
        self.append_list_step(
            id,
            None,
            Step::Removed(removal.clone()),
            &[],
            "holder_list.remove",
            actor,
        )
        .await
    }

    /// One entry with its history.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Db`].
    pub async fn list_entry(&self, id: EntryId) -> Result<StoredListEntry> {
        let mut conn = self.pool.acquire().await?;
        load_in(&mut conn, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有名录事项 {id}")))
    }

    /// Entries matching `q`, newest 列入 first.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn list_entries(&self, q: &ListEntryQuery) -> Result<Vec<StoredListEntry>> {
        let mut sql = String::from("SELECT id FROM list_entries WHERE 1 = 1");
        if q.list.is_some() {
            sql.push_str(" AND list = ?");
        }
        if q.credit_code.is_some() {
            sql.push_str(" AND credit_code = ?");
        }
        if q.text.is_some() {
            sql.push_str(" AND (instr(holder_name, ?) > 0 OR instr(credit_code, upper(?)) > 0)");
        }
        if !q.statuses.is_empty() {
            let marks = vec!["?"; q.statuses.len()].join(", ");
            sql.push_str(&format!(" AND status IN ({marks})"));
        }
        sql.push_str(" ORDER BY listed_on DESC, id DESC");
        let mut query = sqlx::query_scalar::<_, i64>(&sql);
        if let Some(l) = q.list {
            query = query.bind(l.code());
        }
        if let Some(c) = &q.credit_code {
            query = query.bind(c.clone());
        }
        if let Some(t) = &q.text {
            query = query.bind(t.clone()).bind(t.clone());
        }
        for s in &q.statuses {
            query = query.bind(s.code());
        }
        let mut conn = self.pool.acquire().await?;
        let ids = query.fetch_all(&mut *conn).await?;
        let mut all: std::collections::HashMap<EntryId, StoredListEntry> =
            load_where(&mut conn, None)
                .await?
                .into_iter()
                .map(|e| (e.id, e))
                .collect();
        Ok(ids.into_iter().filter_map(|id| all.remove(&id)).collect())
    }

    /// Every entry with its history (for the review engine and the lists on a date).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn list_history(&self) -> Result<Vec<ListEntry>> {
        Ok(self
            .list_entries(&ListEntryQuery::default())
            .await?
            .into_iter()
            .map(|e| e.entry)
            .collect())
    }

    /// The lists as they stood on `on` ([`listing::holder_lists_on`]): what R13 reads for a
    /// review made on that date.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn holder_lists_on(&self, on: Date) -> Result<HolderLists> {
        let all = self.list_history().await?;
        Ok(listing::holder_lists_on(&all, on))
    }

    /// The lists in force today (Beijing date).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn holder_lists(&self) -> Result<HolderLists> {
        self.holder_lists_on(crate::today()).await
    }

    /// Every entry as the public sees it (current and removed), newest 列入 first: for the
    /// disclosure capability.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn list_entries_public(&self) -> Result<Vec<PublicListEntry>> {
        Ok(self
            .list_history()
            .await?
            .iter()
            .map(ListEntry::public)
            .collect())
    }

    /// An attachment of entry `id`: its name and bytes.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the file is not one of the entry's; [`StoreError::Db`].
    pub async fn list_attachment(&self, id: EntryId, attachment: i64) -> Result<(String, Vec<u8>)> {
        let row = sqlx::query(
            "SELECT a.file_name, a.content FROM list_attachments a
             JOIN list_steps s ON s.id = a.step_id WHERE a.id = ? AND s.entry_id = ?",
        )
        .bind(attachment)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("名录事项 {id} 没有该附件")))?;
        Ok((row.get("file_name"), row.get("content")))
    }

    /// The bureau's 核验 limit, working days ([`DEFAULT_VERIFICATION_LIMIT_DAYS`] when unset).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn list_verification_limit(&self) -> Result<i64> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT verification_limit_days FROM list_settings WHERE id = 1")
                .fetch_optional(&self.pool)
                .await?;
        Ok(v.unwrap_or(DEFAULT_VERIFICATION_LIMIT_DAYS))
    }

    /// Sets the 核验 limit; audit row `holder_list.limit`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] outside [`VERIFICATION_LIMIT_RANGE`]; [`StoreError::Db`].
    pub async fn set_list_verification_limit(&self, days: i64, actor: &Actor) -> Result<()> {
        if !VERIFICATION_LIMIT_RANGE.contains(&days) {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "verification_limit_days",
                format!(
                    "核验时限应为 {} 至 {} 个工作日",
                    VERIFICATION_LIMIT_RANGE.start(),
                    VERIFICATION_LIMIT_RANGE.end()
                ),
            )]));
        }
        let before = self.list_verification_limit().await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO list_settings (id, verification_limit_days, updated_at, updated_by)
             VALUES (1, ?, ?, ?)
             ON CONFLICT (id) DO UPDATE SET verification_limit_days = excluded.verification_limit_days,
               updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(days)
        .bind(now_rfc3339())
        .bind(actor.label())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "holder_list.limit",
                entity_type: "holder_list",
                entity_id: "verification_limit_days".into(),
                before: Some(serde_json::json!(before)),
                after: Some(serde_json::json!(days)),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
