//! 绿色矿山 (migration 0024; 《规划》六（一）, DZ/T 0316-2018): the checklist as versioned files
//! (the shipped 示例 set is stored as version 1 when the first assessment starts and no file was
//! uploaded), the companies' self-assessments with their evidence files (SHA-256 kept, the one
//! attachment rule of `minplan_domain::attachment`), the bureau's evaluations and the
//! 绿色矿山名录; and [`Store::green_figures`]. Every write is one transaction with its audit row
//! (`green_checklist.upload`, `green_assessment.start`, `green_assessment.save`,
//! `green_assessment.submit`, `green_assessment.evaluate`, `green_listing.add`,
//! `green_listing.remove`); refused input writes nothing. The rules are in
//! [`minplan_domain::restoration::green`].

use crate::audit::{self, Actor, AuditEntry};
use crate::{FieldError, Result, Store, StoreError, UploadedFile, now_rfc3339};
use minplan_domain::application::RightKind;
use minplan_domain::attachment::{AttachmentKind, MAX_ATTACHMENT_BYTES};
use minplan_domain::date::Date;
use minplan_domain::restoration::figures::GreenFigures;
use minplan_domain::restoration::green::{
    self, AssessmentStatus, Checklist, CommitmentResult, EXAMPLE_CHECKLIST, Evaluation, GreenLevel,
    GreenListing, GreenProblem, ItemScore, Outcome, SelfAnswer, SelfItem,
};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// The file name recorded for the shipped example checklist.
pub const EXAMPLE_CHECKLIST_NAME: &str = "随附示例清单";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn invalid(p: Vec<GreenProblem>) -> StoreError {
    StoreError::Invalid(
        p.into_iter()
            .map(|p| {
                let message = p.to_string();
                FieldError::new(p.field, message)
            })
            .collect(),
    )
}

fn bad(field: &str, v: &str) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(
        field,
        format!("绿色矿山记录中的“{v}”无法读取"),
    )])
}

fn date(field: &str, v: &str) -> Result<Date> {
    Date::parse(v).map_err(|_| bad(field, v))
}

/// A stored checklist version.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ChecklistVersion {
    /// Row id.
    pub id: i64,
    /// Version number (1, 2, …).
    pub version: i64,
    /// File name as uploaded (随附示例清单 for the shipped example).
    pub source_name: String,
    /// SHA-256 (hex) of the text.
    pub sha256: String,
    /// The items are examples (示例).
    pub example: bool,
    /// Uploaded, RFC 3339 UTC.
    pub uploaded_at: String,
    /// The checklist as read.
    pub checklist: Checklist,
}

/// A mine as these pages name it: id, name, its holder and credit code (of its latest right).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct GreenMine {
    /// Mine id.
    pub id: i64,
    /// 矿山名称.
    pub name: String,
    /// 矿业权人 (of the latest right), "" when none.
    pub holder_name: String,
    /// 统一社会信用代码 (of the latest right).
    pub credit_code: Option<String>,
}

/// One evidence file of an assessment item.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct EvidenceFile {
    /// Row id.
    pub id: i64,
    /// Item code.
    pub code: String,
    /// File name as uploaded.
    pub file_name: String,
    /// SHA-256 (hex).
    pub sha256: String,
}

/// One item of an assessment as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AssessmentItem {
    /// The company's side.
    pub own: SelfItem,
    /// The bureau's score, points, once evaluated.
    pub score: Option<f64>,
    /// The bureau's note, once evaluated.
    pub score_note: String,
    /// Evidence files.
    pub files: Vec<EvidenceFile>,
}

/// An assessment with its checklist, items and evaluation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AssessmentRecord {
    /// Row id.
    pub id: i64,
    /// The mine.
    pub mine: GreenMine,
    /// The checklist version it uses.
    pub checklist: ChecklistVersion,
    /// Status.
    pub status: AssessmentStatus,
    /// Started on.
    pub started_on: Date,
    /// Submitted on.
    pub submitted_on: Option<Date>,
    /// Evaluated on.
    pub evaluated_on: Option<Date>,
    /// Total points, once evaluated.
    pub total: Option<f64>,
    /// Reasons of the outcome, once evaluated.
    pub reasons: Vec<String>,
    /// Items in checklist order.
    pub items: Vec<AssessmentItem>,
}

/// An assessment as listed.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AssessmentSummary {
    /// Row id.
    pub id: i64,
    /// The mine.
    pub mine: GreenMine,
    /// Checklist version number.
    pub version: i64,
    /// The checklist is an example (示例).
    pub example: bool,
    /// Status.
    pub status: AssessmentStatus,
    /// Started on.
    pub started_on: Date,
    /// Total points, once evaluated.
    pub total: Option<f64>,
}

/// A 名录 entry as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ListingRecord {
    /// Row id.
    pub id: i64,
    /// The entry.
    pub listing: GreenListing,
    /// The mine's name.
    pub mine_name: String,
}

/// The company's input for one item.
#[derive(Debug, Clone, PartialEq)]
pub struct SelfInput {
    /// Item code.
    pub code: String,
    /// Answer (none: not answered yet).
    pub answer: Option<SelfAnswer>,
    /// Note.
    pub note: String,
}

/// A mine committed to the green-mine standard (R14) and where it stands.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CommitmentRow {
    /// The mine.
    pub mine: GreenMine,
    /// 申请编号 of the application that committed.
    pub application: String,
    /// The result on the date.
    pub result: CommitmentResult,
}

fn status_of(status: &str, outcome: Option<&str>) -> Result<AssessmentStatus> {
    match (status, outcome) {
        ("draft", _) => Ok(AssessmentStatus::Draft),
        ("submitted", _) => Ok(AssessmentStatus::Submitted),
        ("evaluated", Some(o)) => Ok(AssessmentStatus::Evaluated(
            Outcome::parse(o).ok_or_else(|| bad("outcome", o))?,
        )),
        _ => Err(bad("status", status)),
    }
}

const MINES_SQL: &str = "SELECT m.id, m.name, r.holder_name, r.credit_code FROM mines m
     LEFT JOIN rights r ON r.id = (SELECT id FROM rights WHERE mine_id = m.id
                                   ORDER BY valid_from DESC, id DESC LIMIT 1)";

fn mine_row(r: &sqlx::sqlite::SqliteRow) -> GreenMine {
    GreenMine {
        id: r.get("id"),
        name: r.get("name"),
        holder_name: r
            .get::<Option<String>, _>("holder_name")
            .unwrap_or_default(),
        credit_code: r.get("credit_code"),
    }
}

fn version_row(r: &sqlx::sqlite::SqliteRow) -> Result<ChecklistVersion> {
    let text: String = r.get("source_text");
    let checklist = Checklist::parse(&text).map_err(invalid)?;
    Ok(ChecklistVersion {
        id: r.get("id"),
        version: r.get("version"),
        source_name: r.get("source_name"),
        sha256: r.get("sha256"),
        example: r.get::<i64, _>("example") == 1,
        uploaded_at: r.get("uploaded_at"),
        checklist,
    })
}

async fn insert_version(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    name: &str,
    text: &str,
    checklist: &Checklist,
    actor: &Actor,
) -> Result<i64> {
    let version: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM green_checklists")
            .fetch_one(&mut **tx)
            .await?;
    let sha = hex(&Sha256::digest(text.as_bytes()));
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO green_checklists (version, source_name, source_text, sha256, example,
            uploaded_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(version)
    .bind(name)
    .bind(text)
    .bind(&sha)
    .bind(i64::from(checklist.example))
    .bind(now_rfc3339())
    .bind(actor.label())
    .fetch_one(&mut **tx)
    .await?;
    audit::append(
        tx,
        &AuditEntry {
            actor,
            action: "green_checklist.upload",
            entity_type: "green_checklist",
            entity_id: id.to_string(),
            before: None,
            after: Some(serde_json::json!({
                "version": version,
                "source_name": name,
                "sha256": sha,
                "example": checklist.example,
                "items": checklist.items().count(),
            })),
        },
    )
    .await?;
    Ok(id)
}

impl Store {
    /// Every stored checklist version, newest first.
    ///
    /// # Errors
    /// [`StoreError::Db`]; [`StoreError::Invalid`] when a stored file no longer reads.
    pub async fn green_checklists(&self) -> Result<Vec<ChecklistVersion>> {
        let rows = sqlx::query("SELECT * FROM green_checklists ORDER BY version DESC")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(version_row).collect()
    }

    /// The newest checklist version, none when no file was uploaded yet (pages then show the
    /// shipped example, [`EXAMPLE_CHECKLIST`]).
    ///
    /// # Errors
    /// As [`Store::green_checklists`].
    pub async fn current_green_checklist(&self) -> Result<Option<ChecklistVersion>> {
        Ok(self.green_checklists().await?.into_iter().next())
    }

    /// The text of checklist version `id` as uploaded.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn green_checklist_source(&self, id: i64) -> Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT source_text FROM green_checklists WHERE id = ?")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Stores an uploaded checklist file as a new version (audit `green_checklist.upload`).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] with every problem of the file (each message names its line and
    /// field), nothing written; [`StoreError::Db`].
    pub async fn upload_green_checklist(
        &self,
        name: &str,
        text: &str,
        actor: &Actor,
    ) -> Result<ChecklistVersion> {
        let checklist = Checklist::parse(text).map_err(invalid)?;
        let name = if name.trim().is_empty() {
            "清单.toml"
        } else {
            name.trim()
        };
        let mut tx = self.begin_write().await?;
        let id = insert_version(&mut tx, name, text, &checklist, actor).await?;
        tx.commit().await?;
        self.green_checklists()
            .await?
            .into_iter()
            .find(|v| v.id == id)
            .ok_or_else(|| StoreError::NotFound("清单版本未找到".into()))
    }

    /// Every mine with its holder (of its latest right), by id.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn green_mine_list(&self) -> Result<Vec<GreenMine>> {
        let rows = sqlx::query(&format!("{MINES_SQL} ORDER BY m.id"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(mine_row).collect())
    }

    async fn green_mine(&self, id: i64) -> Result<GreenMine> {
        let row = sqlx::query(&format!("{MINES_SQL} WHERE m.id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref()
            .map(mine_row)
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的矿山")))
    }

    /// Starts a self-assessment of mine `mine_id` on `on` against the newest checklist version
    /// (the shipped example stored as version 1 first when none was uploaded), with the audit
    /// row `green_assessment.start`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown mine; [`StoreError::Invalid`] when the mine
    /// already has an assessment in 自评中 or 评估中 (field `mine`), nothing written;
    /// [`StoreError::Db`].
    pub async fn start_green_assessment(
        &self,
        mine_id: i64,
        on: Date,
        actor: &Actor,
    ) -> Result<i64> {
        let mine = self.green_mine(mine_id).await?;
        let mut tx = self.begin_write().await?;
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM green_assessments WHERE mine_id = ? AND status IN ('draft', 'submitted')",
        )
        .bind(mine_id)
        .fetch_optional(&mut *tx)
        .await?;
        if open.is_some() {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "mine",
                format!(
                    "“{}”已有尚未完成的绿色矿山自评，请先完成该次自评",
                    mine.name
                ),
            )]));
        }
        let current: Option<(i64, String)> = sqlx::query_as(
            "SELECT id, source_text FROM green_checklists ORDER BY version DESC LIMIT 1",
        )
        .fetch_optional(&mut *tx)
        .await?;
        let (checklist_id, text) = match current {
            Some(c) => c,
            None => {
                let example = Checklist::example();
                let id = insert_version(
                    &mut tx,
                    EXAMPLE_CHECKLIST_NAME,
                    EXAMPLE_CHECKLIST,
                    &example,
                    actor,
                )
                .await?;
                (id, EXAMPLE_CHECKLIST.to_string())
            }
        };
        let checklist = Checklist::parse(&text).map_err(invalid)?;
        let now = now_rfc3339();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO green_assessments (mine_id, checklist_id, status, started_on, created_at,
                updated_at) VALUES (?, ?, 'draft', ?, ?, ?) RETURNING id",
        )
        .bind(mine_id)
        .bind(checklist_id)
        .bind(on.to_string())
        .bind(&now)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        for it in checklist.items() {
            sqlx::query("INSERT INTO green_assessment_items (assessment_id, code) VALUES (?, ?)")
                .bind(id)
                .bind(&it.code)
                .execute(&mut *tx)
                .await?;
        }
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "green_assessment.start",
                entity_type: "green_assessment",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "mine_id": mine_id,
                    "checklist_id": checklist_id,
                    "started_on": on.to_string(),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Assessment `id` with its checklist, items, files and evaluation; none when unknown.
    ///
    /// # Errors
    /// [`StoreError::Db`]; [`StoreError::Invalid`] when a stored value no longer reads.
    pub async fn green_assessment(&self, id: i64) -> Result<Option<AssessmentRecord>> {
        let Some(r) = sqlx::query("SELECT * FROM green_assessments WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        let mine = self.green_mine(r.get("mine_id")).await?;
        let vrow = sqlx::query("SELECT * FROM green_checklists WHERE id = ?")
            .bind(r.get::<i64, _>("checklist_id"))
            .fetch_one(&self.pool)
            .await?;
        let checklist = version_row(&vrow)?;
        let items = sqlx::query(
            "SELECT code, answer, note, score, score_note FROM green_assessment_items
             WHERE assessment_id = ?",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let files = sqlx::query(
            "SELECT id, code, file_name, sha256 FROM green_evidence WHERE assessment_id = ?
             ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let files: Vec<EvidenceFile> = files
            .iter()
            .map(|f| EvidenceFile {
                id: f.get("id"),
                code: f.get("code"),
                file_name: f.get("file_name"),
                sha256: f.get("sha256"),
            })
            .collect();
        let mut out = Vec::new();
        for it in checklist.checklist.items() {
            let row = items.iter().find(|x| x.get::<String, _>("code") == it.code);
            let answer = match row.and_then(|x| x.get::<Option<String>, _>("answer")) {
                Some(a) => Some(SelfAnswer::parse(&a).ok_or_else(|| bad("answer", &a))?),
                None => None,
            };
            let item_files: Vec<EvidenceFile> = files
                .iter()
                .filter(|f| f.code == it.code)
                .cloned()
                .collect();
            out.push(AssessmentItem {
                own: SelfItem {
                    code: it.code.clone(),
                    answer,
                    note: row.map(|x| x.get("note")).unwrap_or_default(),
                    evidence_files: item_files.len(),
                },
                score: row.and_then(|x| x.get("score")),
                score_note: row
                    .and_then(|x| x.get::<Option<String>, _>("score_note"))
                    .unwrap_or_default(),
                files: item_files,
            });
        }
        let opt_date = |c: &str| -> Result<Option<Date>> {
            r.get::<Option<String>, _>(c)
                .map(|s| date(c, &s))
                .transpose()
        };
        Ok(Some(AssessmentRecord {
            id,
            mine,
            status: status_of(
                &r.get::<String, _>("status"),
                r.get::<Option<String>, _>("outcome").as_deref(),
            )?,
            started_on: date("started_on", &r.get::<String, _>("started_on"))?,
            submitted_on: opt_date("submitted_on")?,
            evaluated_on: opt_date("evaluated_on")?,
            total: r.get("total"),
            reasons: r
                .get::<Option<String>, _>("reasons_json")
                .and_then(|j| serde_json::from_str(&j).ok())
                .unwrap_or_default(),
            checklist,
            items: out,
        }))
    }

    /// Every assessment (of the mines whose holder has `credit_code`, when given), newest
    /// first.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn green_assessments(
        &self,
        credit_code: Option<&str>,
    ) -> Result<Vec<AssessmentSummary>> {
        let mines = self.green_mine_list().await?;
        let rows = sqlx::query(
            "SELECT a.id, a.mine_id, a.status, a.outcome, a.started_on, a.total, c.version,
                c.example FROM green_assessments a JOIN green_checklists c ON c.id = a.checklist_id
             ORDER BY a.id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in rows {
            let Some(mine) = mines.iter().find(|m| m.id == r.get::<i64, _>("mine_id")) else {
                continue;
            };
            if credit_code.is_some_and(|c| mine.credit_code.as_deref() != Some(c)) {
                continue;
            }
            out.push(AssessmentSummary {
                id: r.get("id"),
                mine: mine.clone(),
                version: r.get("version"),
                example: r.get::<i64, _>("example") == 1,
                status: status_of(
                    &r.get::<String, _>("status"),
                    r.get::<Option<String>, _>("outcome").as_deref(),
                )?,
                started_on: date("started_on", &r.get::<String, _>("started_on"))?,
                total: r.get("total"),
            });
        }
        Ok(out)
    }

    /// Saves the company's answers of draft assessment `id` and adds evidence files
    /// (`files`: item code and file); with `submit`, checks completeness
    /// ([`green::check_submission`]) and submits it on `on`. Audit `green_assessment.save` or
    /// `green_assessment.submit`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Invalid`], nothing written: the assessment is not
    /// a draft (field `status`), an unknown item code, an evidence file empty, over 10 MB or not a
    /// JPEG/PNG/PDF by its first bytes, a note over 500 characters, and with `submit` every
    /// problem of [`green::check_submission`]; [`StoreError::Db`].
    pub async fn save_green_self_assessment(
        &self,
        id: i64,
        answers: &[SelfInput],
        files: &[(String, UploadedFile)],
        submit: bool,
        on: Date,
        actor: &Actor,
    ) -> Result<AssessmentRecord> {
        let before = self
            .green_assessment(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的绿色矿山自评")))?;
        let mut errors = Vec::new();
        if before.status != AssessmentStatus::Draft {
            errors.push(FieldError::new(
                "status",
                format!("该自评已{}，不能再修改", before.status.label()),
            ));
        }
        let cl = &before.checklist.checklist;
        for a in answers {
            if cl.item(&a.code).is_none() {
                errors.push(FieldError::new(
                    format!("item.{}", a.code),
                    format!("清单中没有条目“{}”", a.code),
                ));
            } else if a.note.chars().count() > 500 {
                errors.push(FieldError::new(
                    format!("note.{}", a.code),
                    format!("条目 {} 的说明不超过 500 个字", a.code),
                ));
            }
        }
        for (code, f) in files {
            let field = format!("evidence.{code}");
            if cl.item(code).is_none() {
                errors.push(FieldError::new(field, format!("清单中没有条目“{code}”")));
            } else if f.bytes.is_empty() {
                errors.push(FieldError::new(
                    field,
                    format!("证明材料“{}”是空文件", f.file_name),
                ));
            } else if f.bytes.len() > MAX_ATTACHMENT_BYTES {
                errors.push(FieldError::new(
                    field,
                    format!("证明材料“{}”超过 10 MB 的上限", f.file_name),
                ));
            } else if AttachmentKind::of(&f.bytes).is_none() {
                errors.push(FieldError::new(
                    field,
                    format!("证明材料“{}”不是 JPEG、PNG 或 PDF 文件", f.file_name),
                ));
            }
        }
        // The items as they will stand, for the submission check.
        let after_items: Vec<SelfItem> = before
            .items
            .iter()
            .map(|it| {
                let mut own = it.own.clone();
                if let Some(a) = answers.iter().find(|a| a.code == own.code) {
                    own.answer = a.answer;
                    own.note = a.note.trim().to_string();
                }
                own.evidence_files += files.iter().filter(|(c, _)| *c == own.code).count();
                own
            })
            .collect();
        if submit
            && errors.is_empty()
            && let Err(p) = green::check_submission(cl, &after_items)
            && let StoreError::Invalid(v) = invalid(p)
        {
            errors.extend(v);
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let mut tx = self.begin_write().await?;
        for a in answers {
            sqlx::query(
                "UPDATE green_assessment_items SET answer = ?, note = ?
                 WHERE assessment_id = ? AND code = ?",
            )
            .bind(a.answer.map(|x| x.code()))
            .bind(a.note.trim())
            .bind(id)
            .bind(&a.code)
            .execute(&mut *tx)
            .await?;
        }
        let now = now_rfc3339();
        for (code, f) in files {
            sqlx::query(
                "INSERT INTO green_evidence (assessment_id, code, file_name, sha256, content,
                    uploaded_at) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(id)
            .bind(code)
            .bind(&f.file_name)
            .bind(hex(&Sha256::digest(&f.bytes)))
            .bind(f.bytes.as_slice())
            .bind(&now)
            .execute(&mut *tx)
            .await?;
        }
        if submit {
            sqlx::query(
                "UPDATE green_assessments SET status = 'submitted', submitted_on = ?,
                    updated_at = ? WHERE id = ?",
            )
            .bind(on.to_string())
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query("UPDATE green_assessments SET updated_at = ? WHERE id = ?")
                .bind(&now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: if submit {
                    "green_assessment.submit"
                } else {
                    "green_assessment.save"
                },
                entity_type: "green_assessment",
                entity_id: id.to_string(),
                before: Some(
                    serde_json::to_value(before.items.iter().map(|i| &i.own).collect::<Vec<_>>())
                        .unwrap_or_default(),
                ),
                after: Some(serde_json::json!({
                    "items": after_items,
                    "files": files.iter().map(|(c, f)| serde_json::json!({
                        "code": c,
                        "file_name": f.file_name,
                        "sha256": hex(&Sha256::digest(&f.bytes)),
                    })).collect::<Vec<_>>(),
                    "submitted_on": submit.then(|| on.to_string()),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        self.green_assessment(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的绿色矿山自评")))
    }

    /// Records the bureau's evaluation of submitted assessment `id` on `on`: the scores, the
    /// total and the outcome by the checklist's pass rule ([`green::evaluate`]), audit
    /// `green_assessment.evaluate`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Invalid`], nothing written: the assessment is not
    /// submitted (field `status`), or every problem of [`green::evaluate`]; [`StoreError::Db`].
    pub async fn evaluate_green_assessment(
        &self,
        id: i64,
        scores: &[ItemScore],
        on: Date,
        actor: &Actor,
    ) -> Result<Evaluation> {
        let before = self
            .green_assessment(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的绿色矿山自评")))?;
        if before.status != AssessmentStatus::Submitted {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "status",
                format!(
                    "该自评{}，只有已提交（评估中）的自评可以评估",
                    before.status.label()
                ),
            )]));
        }
        if on < before.submitted_on.unwrap_or(before.started_on) {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "date",
                "评估日期不能早于自评提交日期",
            )]));
        }
        let e = green::evaluate(&before.checklist.checklist, scores).map_err(invalid)?;
        let mut tx = self.begin_write().await?;
        for s in &e.scores {
            sqlx::query(
                "UPDATE green_assessment_items SET score = ?, score_note = ?
                 WHERE assessment_id = ? AND code = ?",
            )
            .bind(s.score)
            .bind(s.note.trim())
            .bind(id)
            .bind(&s.code)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "UPDATE green_assessments SET status = 'evaluated', evaluated_on = ?, total = ?,
                outcome = ?, reasons_json = ?, evaluator = ?, updated_at = ? WHERE id = ?",
        )
        .bind(on.to_string())
        .bind(e.total)
        .bind(e.outcome.code())
        .bind(serde_json::to_string(&e.reasons).unwrap_or_default())
        .bind(actor.label())
        .bind(now_rfc3339())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "green_assessment.evaluate",
                entity_type: "green_assessment",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&e).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(e)
    }

    /// Evidence file `file` of assessment `id`: file name and bytes.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn green_evidence(&self, id: i64, file: i64) -> Result<Option<(String, Vec<u8>)>> {
        let row = sqlx::query(
            "SELECT file_name, content FROM green_evidence WHERE assessment_id = ? AND id = ?",
        )
        .bind(id)
        .bind(file)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.get("file_name"), r.get("content"))))
    }

    /// Enters a mine in the 绿色矿山名录 (audit `green_listing.add`).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown mine; [`StoreError::Invalid`], nothing written:
    /// every problem of [`green::check_listing`], or the mine already on the 名录 at that level
    /// on `date_in` (field `level`); [`StoreError::Db`].
    pub async fn add_green_listing(&self, l: &GreenListing, actor: &Actor) -> Result<i64> {
        let mine = self.green_mine(l.mine_id).await?;
        green::check_listing(l).map_err(invalid)?;
        if self.green_listings().await?.iter().any(|x| {
            x.listing.mine_id == l.mine_id && x.listing.level == l.level && x.listing.on(l.date_in)
        }) {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "level",
                format!(
                    "“{}”在 {} 已在{}绿色矿山名录中",
                    mine.name,
                    l.date_in.chinese(),
                    l.level.label()
                ),
            )]));
        }
        let mut tx = self.begin_write().await?;
        let now = now_rfc3339();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO green_listings (mine_id, level, date_in, document_number, date_out,
                created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(l.mine_id)
        .bind(l.level.code())
        .bind(l.date_in.to_string())
        .bind(l.document_number.trim())
        .bind(l.date_out.map(|d| d.to_string()))
        .bind(&now)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "green_listing.add",
                entity_type: "green_listing",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::to_value(l).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Takes 名录 entry `id` off the list from `date_out` (audit `green_listing.remove`).
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Invalid`] when the entry was already removed or
    /// `date_out` is not after its date in, nothing written; [`StoreError::Db`].
    pub async fn remove_green_listing(&self, id: i64, date_out: Date, actor: &Actor) -> Result<()> {
        let before = self
            .green_listings()
            .await?
            .into_iter()
            .find(|x| x.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("绿色矿山名录中没有编号为 {id} 的记录")))?;
        if before.listing.date_out.is_some() {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "date_out",
                "该记录已移出名录",
            )]));
        }
        let mut after = before.listing.clone();
        after.date_out = Some(date_out);
        green::check_listing(&after).map_err(invalid)?;
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE green_listings SET date_out = ?, updated_at = ? WHERE id = ?")
            .bind(date_out.to_string())
            .bind(now_rfc3339())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "green_listing.remove",
                entity_type: "green_listing",
                entity_id: id.to_string(),
                before: Some(serde_json::to_value(&before.listing).unwrap_or_default()),
                after: Some(serde_json::to_value(&after).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every 名录 entry, by date in.
    ///
    /// # Errors
    /// [`StoreError::Db`]; [`StoreError::Invalid`] when a stored value no longer reads.
    pub async fn green_listings(&self) -> Result<Vec<ListingRecord>> {
        let rows = sqlx::query(
            "SELECT l.*, m.name AS mine_name FROM green_listings l JOIN mines m ON m.id = l.mine_id
             ORDER BY l.date_in, l.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let level: String = r.get("level");
                Ok(ListingRecord {
                    id: r.get("id"),
                    mine_name: r.get("mine_name"),
                    listing: GreenListing {
                        mine_id: r.get("mine_id"),
                        level: GreenLevel::parse(&level).ok_or_else(|| bad("level", &level))?,
                        date_in: date("date_in", &r.get::<String, _>("date_in"))?,
                        document_number: r.get("document_number"),
                        date_out: r
                            .get::<Option<String>, _>("date_out")
                            .map(|s| date("date_out", &s))
                            .transpose()?,
                    },
                })
            })
            .collect()
    }

    /// The mines producing on `on`: a 采矿权 of the mine in force on the date (生产 / 基建; a
    /// mine whose right expired, was cancelled or closed does not count).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn green_producing_mines(&self, on: Date) -> Result<Vec<i64>> {
        let mut ids: Vec<i64> = self
            .right_histories()
            .await?
            .iter()
            .filter_map(|h| {
                let s = h.state_on(on)?;
                (s.kind == RightKind::Mining && s.valid_on(on)).then_some(s.mine_id)?
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Green mines as on `on` ([`green::green_figures`] over
    /// [`Store::green_producing_mines`] and the 名录).
    ///
    /// # Errors
    /// Database errors.
    pub async fn green_figures(&self, on: Date) -> Result<GreenFigures> {
        let producing = self.green_producing_mines(on).await?;
        let listings: Vec<GreenListing> = self
            .green_listings()
            .await?
            .into_iter()
            .map(|l| l.listing)
            .collect();
        Ok(green::green_figures(&producing, &listings, on))
    }

    /// The mines whose application committed to the green-mine standard (R14's
    /// `green_mine_commitment`, read from the application as last reviewed) and were granted a
    /// right, each with its result on `on` ([`green::commitment_result`]).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn green_commitments(&self, on: Date) -> Result<Vec<CommitmentRow>> {
        let rows = sqlx::query(
            "SELECT a.number, v.input_toml FROM applications a
             JOIN reviews v ON v.id = a.latest_review_id ORDER BY a.number",
        )
        .fetch_all(&self.pool)
        .await?;
        let committed: Vec<String> = rows
            .iter()
            .filter(|r| committed_in(&r.get::<String, _>("input_toml")))
            .map(|r| r.get("number"))
            .collect();
        let mines = self.green_mine_list().await?;
        let listings = self.green_listings().await?;
        let assessments = self.green_assessments(None).await?;
        let mut out = Vec::new();
        let mut seen = Vec::new();
        for h in self.right_histories().await? {
            let s = h.current();
            let (Some(app), Some(mine_id)) = (&s.application, s.mine_id) else {
                continue;
            };
            if !committed.contains(app) || seen.contains(&mine_id) {
                continue;
            }
            seen.push(mine_id);
            let Some(mine) = mines.iter().find(|m| m.id == mine_id) else {
                continue;
            };
            let listed = listings
                .iter()
                .any(|l| l.listing.mine_id == mine_id && l.listing.on(on));
            // Assessments are newest first.
            let latest = assessments
                .iter()
                .find(|a| a.mine.id == mine_id)
                .map(|a| a.status);
            out.push(CommitmentRow {
                mine: mine.clone(),
                application: app.clone(),
                result: green::commitment_result(latest, listed),
            });
        }
        out.sort_by_key(|a| a.mine.id);
        Ok(out)
    }
}

/// Whether an application's TOML (`minplan-application/1`) says
/// `[documents] green_mine_commitment = true`; a text that does not read commits to nothing.
fn committed_in(text: &str) -> bool {
    toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|t| t.get("documents")?.get("green_mine_commitment")?.as_bool())
        .unwrap_or(false)
}
