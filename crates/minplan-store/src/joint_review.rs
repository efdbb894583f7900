//! 联合审查 in the database (migration 0019): a 新立 application's joint review — the
//! departments asked and their opinions (with the reply as scanned), the 现场踏查 with its
//! photos, an adjusted extent, the government's 同意. Each write runs the pure check of
//! [`minplan_domain::register::joint_review`] on the record read inside the write's
//! transaction and appends its audit row — all or nothing. [`Store::record_grant`] reads the
//! record inside the grant's transaction and refuses the grant until it is complete
//! ([`joint_review::grant_gate`]).
//!
//! The re-review of an adjusted extent is the ordinary review of the application
//! ([`crate::ReviewEngine::review_and_save`]) of the file [`joint_review::rereview_file`]
//! writes; the record finds it by itself: the application's latest review, when it is later
//! than the adjustment's base and states exactly the adjusted corners
//! ([`joint_review::same_extent`]).

use crate::audit::{self, Actor, AuditEntry};
use crate::joint_record::load_on;
use crate::lifecycle::{facts_on, invalid};
use crate::{FieldError, Result, Store, StoreError, now_rfc3339};
use minplan_domain::date::Date;
use minplan_domain::register::joint_review::{
    self, AdjustedExtent, Completed, Consent, DepartmentAnswer, JointReview, SiteVisit,
};
use minplan_domain::register::{ApplicationStatus, Problem};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Row, Sqlite, Transaction};

/// A file to store with a joint review (a department's reply, a 踏查 photo).
#[derive(Debug, Clone, Copy)]
pub struct JointUpload<'a> {
    /// The name it was uploaded under.
    pub file_name: &'a str,
    /// Its bytes (JPEG, PNG or PDF, at most 10 MB: [`joint_review::check_file`]).
    pub bytes: &'a [u8],
}

/// A stored file of a joint review (without its bytes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JointFile {
    /// Row id.
    pub id: i64,
    /// `attachment` (a department's reply) or `photo` (踏查).
    pub kind: String,
    /// The department of an attachment.
    pub department: Option<String>,
    /// The name it was uploaded under.
    pub file_name: String,
    /// image/jpeg, image/png or application/pdf.
    pub media_type: String,
    /// Hex SHA-256 of its bytes.
    pub sha256: String,
    /// Size, bytes.
    pub size: i64,
}

/// A joint review as stored, with its files and whether it is complete.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JointReviewRecord {
    /// The record (the domain's value).
    pub review: JointReview,
    /// Its current files (replaced attachments left out), oldest first.
    pub files: Vec<JointFile>,
    /// Complete (with the conditions carried) or what is missing.
    pub completion: std::result::Result<Completed, Vec<Problem>>,
    /// When it was last changed (RFC 3339).
    pub updated_at: String,
}

/// The joint review of `number` inside a write, or the refusal that none was started.
async fn existing(tx: &mut Transaction<'_, Sqlite>, number: &str) -> Result<JointReview> {
    load_on(tx, number).await?.ok_or_else(|| {
        StoreError::Invalid(vec![FieldError::new(
            "joint_review",
            format!("申请 {number} 尚未启动联合审查"),
        )])
    })
}

/// Refuses a change once the grant is recorded (the joint review came before it).
async fn not_granted(tx: &mut Transaction<'_, Sqlite>, number: &str) -> Result<()> {
    let granted: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM grants WHERE application_number = ?")
            .bind(number)
            .fetch_optional(&mut **tx)
            .await?;
    if granted.is_some() {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "joint_review",
            format!("申请 {number} 已记录出让，联合审查记录不再更改"),
        )]));
    }
    Ok(())
}

async fn store_file(
    tx: &mut Transaction<'_, Sqlite>,
    number: &str,
    kind: &str,
    department: Option<&str>,
    f: &JointUpload<'_>,
    media_type: &str,
    actor: &Actor,
) -> Result<serde_json::Value> {
    let sha = format!("{:x}", Sha256::digest(f.bytes));
    if let Some(dep) = department {
        sqlx::query(
            "UPDATE joint_review_files SET current = 0 WHERE application_number = ? AND kind = 'attachment' AND department = ?",
        )
        .bind(number)
        .bind(dep)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO joint_review_files (application_number, kind, department, file_name, media_type, bytes, sha256, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(number)
    .bind(kind)
    .bind(department)
    .bind(f.file_name)
    .bind(media_type)
    .bind(f.bytes)
    .bind(&sha)
    .bind(actor.label())
    .bind(now_rfc3339())
    .execute(&mut **tx)
    .await?;
    Ok(serde_json::json!({ "file_name": f.file_name, "sha256": sha, "size": f.bytes.len() }))
}

fn file_problems(files: &[(&str, JointUpload<'_>)]) -> Vec<FieldError> {
    files
        .iter()
        .filter_map(|(field, f)| {
            joint_review::check_file(f.file_name, f.bytes)
                .err()
                .map(|m| FieldError::new(*field, m))
        })
        .collect()
}

async fn audit_write(
    tx: &mut Transaction<'_, Sqlite>,
    actor: &Actor,
    action: &str,
    number: &str,
    before: Option<serde_json::Value>,
    after: serde_json::Value,
) -> Result<()> {
    sqlx::query("UPDATE joint_reviews SET updated_at = ? WHERE application_number = ?")
        .bind(now_rfc3339())
        .bind(number)
        .execute(&mut **tx)
        .await?;
    audit::append(
        tx,
        &AuditEntry {
            actor,
            action,
            entity_type: "joint_review",
            entity_id: number.to_string(),
            before,
            after: Some(after),
        },
    )
    .await?;
    Ok(())
}

impl Store {
    /// Starts the joint review of a 新立 application with the departments asked (trimmed,
    /// none repeated; the web offers [`joint_review::DEFAULT_DEPARTMENTS`]).
    ///
    /// # Errors
    /// [`StoreError::Invalid`]: the application needs none (not 新立), is closed (not 在审 or
    /// 已批准), is already granted, has one already, a date after today, the departments'
    /// problems; [`StoreError::NotFound`] for an application never reviewed. Nothing written.
    pub async fn start_joint_review(
        &self,
        number: &str,
        departments: &[String],
        date: Date,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let facts = facts_on(&mut tx, number).await?;
        let mut p: Vec<Problem> = Vec::new();
        if !joint_review::required(facts.kind) {
            p.push(Problem::new(
                "application",
                format!(
                    "{}申请不出让新的矿业权，无需联合审查（联合审查用于拟出让的新立矿业权，《规划》四（三）3（1））",
                    facts.kind.label()
                ),
            ));
        }
        if !matches!(
            facts.status,
            ApplicationStatus::Pending | ApplicationStatus::Approved
        ) {
            p.push(Problem::new(
                "application",
                format!(
                    "申请 {number} 状态为“{}”，不能启动联合审查",
                    facts.status.label()
                ),
            ));
        }
        if date > crate::today() {
            p.push(Problem::new(
                "date",
                format!("启动日期 {date} 晚于今天 {}", crate::today()),
            ));
        }
        if load_on(&mut tx, number).await?.is_some() {
            p.push(Problem::new(
                "application",
                format!("申请 {number} 的联合审查已经启动"),
            ));
        }
        let names = match joint_review::check_departments(departments) {
            Ok(n) => n,
            Err(e) => {
                p.extend(e);
                Vec::new()
            }
        };
        if !p.is_empty() {
            return Err(invalid(p));
        }
        not_granted(&mut tx, number).await?;
        let now = now_rfc3339();
        sqlx::query(
            "INSERT INTO joint_reviews (application_number, started_on, actor, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(number)
        .bind(date.to_string())
        .bind(actor.label())
        .bind(&now)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        for (i, n) in names.iter().enumerate() {
            sqlx::query(
                "INSERT INTO joint_review_departments (application_number, position, department) VALUES (?, ?, ?)",
            )
            .bind(number)
            .bind(i as i64 + 1)
            .bind(n)
            .execute(&mut *tx)
            .await?;
        }
        audit_write(
            &mut tx,
            actor,
            "joint_review.start",
            number,
            None,
            serde_json::json!({ "date": date, "departments": names }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records (or replaces) a department's opinion, with its reply as scanned when given.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] ([`joint_review::check_answer`], the file's problems, no joint
    /// review, already granted); nothing written.
    pub async fn record_department_opinion(
        &self,
        number: &str,
        department: &str,
        a: &DepartmentAnswer,
        attachment: Option<JointUpload<'_>>,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let jr = existing(&mut tx, number).await?;
        let mut errors: Vec<FieldError> =
            match joint_review::check_answer(&jr, department, a, crate::today()) {
                Ok(()) => Vec::new(),
                Err(p) => p
                    .into_iter()
                    .map(|p| FieldError::new(p.field, p.message))
                    .collect(),
            };
        let media = attachment.map(|f| joint_review::check_file(f.file_name, f.bytes));
        if let Some(f) = attachment {
            errors.extend(file_problems(&[("attachment", f)]));
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        not_granted(&mut tx, number).await?;
        let before = jr
            .departments
            .iter()
            .find(|d| d.name == department)
            .and_then(|d| d.answer.as_ref())
            .map(|a| serde_json::to_value(a).unwrap_or_default());
        let conditions = a
            .conditions
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty());
        sqlx::query(
            "UPDATE joint_review_departments SET opinion = ?, conditions = ?, answered_on = ?, actor = ?, recorded_at = ? WHERE application_number = ? AND department = ?",
        )
        .bind(a.opinion.label())
        .bind(conditions)
        .bind(a.date.to_string())
        .bind(actor.label())
        .bind(now_rfc3339())
        .bind(number)
        .bind(department)
        .execute(&mut *tx)
        .await?;
        let file = match (attachment, media) {
            (Some(f), Some(Ok(m))) => Some(
                store_file(
                    &mut tx,
                    number,
                    "attachment",
                    Some(department),
                    &f,
                    m,
                    actor,
                )
                .await?,
            ),
            _ => None,
        };
        audit_write(
            &mut tx,
            actor,
            "joint_review.opinion",
            number,
            before,
            serde_json::json!({
                "department": department, "opinion": a.opinion.label(), "conditions": conditions,
                "date": a.date, "attachment": file,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records (or replaces) the 现场踏查 record and adds its photos.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] ([`joint_review::check_site_visit`], each photo's problem,
    /// no joint review, already granted); nothing written.
    pub async fn record_site_visit(
        &self,
        number: &str,
        v: &SiteVisit,
        photos: &[JointUpload<'_>],
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let jr = existing(&mut tx, number).await?;
        let mut errors: Vec<FieldError> =
            match joint_review::check_site_visit(&jr, v, crate::today()) {
                Ok(()) => Vec::new(),
                Err(p) => p
                    .into_iter()
                    .map(|p| FieldError::new(p.field, p.message))
                    .collect(),
            };
        let named: Vec<(&str, JointUpload<'_>)> = photos.iter().map(|p| ("photos", *p)).collect();
        errors.extend(file_problems(&named));
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        not_granted(&mut tx, number).await?;
        sqlx::query(
            "UPDATE joint_reviews SET visited_on = ?, visit_people = ?, visit_findings = ? WHERE application_number = ?",
        )
        .bind(v.date.to_string())
        .bind(v.people.trim())
        .bind(v.findings.trim())
        .bind(number)
        .execute(&mut *tx)
        .await?;
        let mut stored = Vec::new();
        for f in photos {
            let m = joint_review::check_file(f.file_name, f.bytes).unwrap_or("image/jpeg");
            stored.push(store_file(&mut tx, number, "photo", None, f, m, actor).await?);
        }
        audit_write(
            &mut tx,
            actor,
            "joint_review.site_visit",
            number,
            jr.site_visit
                .as_ref()
                .map(|s| serde_json::to_value(s).unwrap_or_default()),
            serde_json::json!({
                "date": v.date, "people": v.people.trim(), "findings": v.findings.trim(), "photos": stored,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the extent as the 踏查 adjusted it (corner coordinates the caller has checked
    /// with the application parser, as on the 申请受理 form). The joint review is complete
    /// only after a later review of the application with exactly these corners concludes
    /// 符合 ([`joint_review::completion`]). `a.base_review_id` is ignored: the application's
    /// latest review is taken inside the write.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] ([`joint_review::check_adjusted`], no joint review, already
    /// granted); nothing written.
    pub async fn record_adjusted_extent(
        &self,
        number: &str,
        a: &AdjustedExtent,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let jr = existing(&mut tx, number).await?;
        joint_review::check_adjusted(&jr, a, crate::today()).map_err(invalid)?;
        not_granted(&mut tx, number).await?;
        let facts = facts_on(&mut tx, number).await?;
        sqlx::query(
            "UPDATE joint_reviews SET adjusted_corners = ?, adjusted_crs = ?, adjusted_base_review_id = ?, adjusted_on = ? WHERE application_number = ?",
        )
        .bind(&a.corners_text)
        .bind(a.crs.map(i64::from))
        .bind(facts.review_id)
        .bind(a.date.to_string())
        .bind(number)
        .execute(&mut *tx)
        .await?;
        audit_write(
            &mut tx,
            actor,
            "joint_review.adjust",
            number,
            jr.adjusted
                .as_ref()
                .map(|s| serde_json::to_value(s).unwrap_or_default()),
            serde_json::json!({
                "date": a.date, "corners": a.corners_text, "crs": a.crs, "review_id": facts.review_id,
            }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records the government's 同意 (date, 文号).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] ([`joint_review::check_consent`], no joint review, already
    /// granted); nothing written.
    pub async fn record_government_consent(
        &self,
        number: &str,
        c: &Consent,
        actor: &Actor,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let jr = existing(&mut tx, number).await?;
        joint_review::check_consent(&jr, c, crate::today()).map_err(invalid)?;
        not_granted(&mut tx, number).await?;
        sqlx::query(
            "UPDATE joint_reviews SET consented_on = ?, consent_document = ? WHERE application_number = ?",
        )
        .bind(c.date.to_string())
        .bind(c.document_number.trim())
        .bind(number)
        .execute(&mut *tx)
        .await?;
        audit_write(
            &mut tx,
            actor,
            "joint_review.consent",
            number,
            jr.consent
                .as_ref()
                .map(|s| serde_json::to_value(s).unwrap_or_default()),
            serde_json::json!({ "date": c.date, "document_number": c.document_number.trim() }),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An application's joint review with its files and completion; `None` when none was
    /// started.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn joint_review(&self, number: &str) -> Result<Option<JointReviewRecord>> {
        let mut conn = self.pool.acquire().await?;
        let Some(review) = load_on(&mut conn, number).await? else {
            return Ok(None);
        };
        let files = sqlx::query(
            "SELECT id, kind, department, file_name, media_type, sha256, length(bytes) AS size FROM joint_review_files WHERE application_number = ? AND current = 1 ORDER BY id",
        )
        .bind(number)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| JointFile {
            id: r.get("id"),
            kind: r.get("kind"),
            department: r.get("department"),
            file_name: r.get("file_name"),
            media_type: r.get("media_type"),
            sha256: r.get("sha256"),
            size: r.get("size"),
        })
        .collect();
        let updated_at: String =
            sqlx::query_scalar("SELECT updated_at FROM joint_reviews WHERE application_number = ?")
                .bind(number)
                .fetch_one(&mut *conn)
                .await?;
        let completion = joint_review::completion(&review);
        Ok(Some(JointReviewRecord {
            review,
            files,
            completion,
            updated_at,
        }))
    }

    /// A stored file of an application's joint review with its bytes.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the application has no such file.
    pub async fn joint_review_file(&self, number: &str, id: i64) -> Result<(JointFile, Vec<u8>)> {
        let r = sqlx::query(
            "SELECT id, kind, department, file_name, media_type, sha256, bytes FROM joint_review_files WHERE application_number = ? AND id = ?",
        )
        .bind(number)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("申请 {number} 的联合审查没有这个文件")))?;
        let bytes: Vec<u8> = r.get("bytes");
        Ok((
            JointFile {
                id: r.get("id"),
                kind: r.get("kind"),
                department: r.get("department"),
                file_name: r.get("file_name"),
                media_type: r.get("media_type"),
                sha256: r.get("sha256"),
                size: bytes.len() as i64,
            },
            bytes,
        ))
    }

    /// The application file of the re-review of an adjusted extent: the latest reviewed
    /// file with the adjusted corners ([`joint_review::rereview_file`]), to be reviewed with
    /// [`crate::ReviewEngine::parse`] and `review_and_save`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] when no adjusted extent is recorded or the stored file cannot
    /// be read; [`StoreError::NotFound`] for an application never reviewed.
    pub async fn joint_rereview_file(&self, number: &str) -> Result<String> {
        let mut conn = self.pool.acquire().await?;
        let jr = load_on(&mut conn, number).await?;
        let Some(adj) = jr.and_then(|j| j.adjusted) else {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "corners",
                format!("申请 {number} 的联合审查没有调整开采范围"),
            )]));
        };
        let toml: String = sqlx::query_scalar(
            "SELECT r.input_toml FROM applications a JOIN reviews r ON r.id = a.latest_review_id WHERE a.number = ?",
        )
        .bind(number)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {number} 的申请")))?;
        joint_review::rereview_file(&toml, &adj)
            .map_err(|m| StoreError::Invalid(vec![FieldError::new("corners", m)]))
    }
}
