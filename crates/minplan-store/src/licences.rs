//! 证照 of mines (migration 0020 `mine_licences`): add and correct a mine's licences with
//! their scanned copy (≤ [`LICENCE_ATTACHMENT_MAX_BYTES`], SHA-256 kept), each write with its
//! audit row (`licence.add`, `licence.update`) in one transaction; and the check
//! [`Store::mines_without_safety_licence`] (the rule in
//! [`minplan_domain::register::licences`]).

use crate::audit::{self, Actor, AuditEntry};
use crate::{FieldError, Result, Store, StoreError, now_rfc3339};
use minplan_domain::date::Date;
use minplan_domain::register::licences::{
    LicenceInput, LicenceKind, MineLicence, SafetyFinding, check_licence,
    producing_without_safety_licence,
};
use sha2::{Digest, Sha256};
use sqlx::Row;

/// Largest scanned licence accepted, bytes (10 MB).
pub const LICENCE_ATTACHMENT_MAX_BYTES: usize = minplan_domain::attachment::MAX_ATTACHMENT_BYTES;

/// A scanned licence as uploaded.
#[derive(Debug, Clone)]
pub struct LicenceAttachment {
    /// File name as uploaded (without directories).
    pub name: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// A stored licence with what pages show beside it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LicenceRecord {
    /// The licence.
    #[serde(flatten)]
    pub licence: MineLicence,
    /// The attached file's name, when one was attached.
    pub attachment_name: Option<String>,
    /// Last written, RFC 3339 UTC.
    pub updated_at: String,
}

fn record(r: &sqlx::sqlite::SqliteRow) -> Result<LicenceRecord> {
    let bad = |field: &str, v: &str| {
        StoreError::Invalid(vec![FieldError::new(
            field,
            format!("证照记录中的“{v}”无法读取"),
        )])
    };
    let kind: String = r.get("kind");
    let from: String = r.get("valid_from");
    let to: String = r.get("valid_to");
    Ok(LicenceRecord {
        licence: MineLicence {
            id: r.get("id"),
            mine_id: r.get("mine_id"),
            licence: LicenceInput {
                kind: LicenceKind::parse(&kind).ok_or_else(|| bad("kind", &kind))?,
                other_name: r.get("other_name"),
                number: r.get("number"),
                issuer: r.get("issuer"),
                valid_from: Date::parse(&from).map_err(|_| bad("valid_from", &from))?,
                valid_to: Date::parse(&to).map_err(|_| bad("valid_to", &to))?,
                attachment_sha256: r.get("attachment_sha256"),
            },
        },
        attachment_name: r.get("attachment_name"),
        updated_at: r.get("updated_at"),
    })
}

const COLUMNS: &str = "id, mine_id, kind, other_name, number, issuer, valid_from, valid_to, \
                       attachment_name, attachment_sha256, updated_at";

/// The input with the attachment's hash, and the attachment's problems.
fn with_attachment(
    input: &LicenceInput,
    attachment: Option<&LicenceAttachment>,
) -> (LicenceInput, Vec<FieldError>) {
    let mut input = input.clone();
    let mut errors = Vec::new();
    if let Some(a) = attachment {
        if a.bytes.len() > LICENCE_ATTACHMENT_MAX_BYTES {
            errors.push(FieldError::new(
                "attachment",
                format!(
                    "附件“{}”有 {:.1} MB，超过 10 MB 的上限",
                    a.name,
                    a.bytes.len() as f64 / 1_048_576.0
                ),
            ));
        } else if a.bytes.is_empty() {
            errors.push(FieldError::new(
                "attachment",
                format!("附件“{}”是空文件", a.name),
            ));
        } else if a.name.chars().count() > 200 {
            errors.push(FieldError::new("attachment", "附件文件名不超过 200 个字"));
        }
        input.attachment_sha256 = Some(hex(&Sha256::digest(&a.bytes)));
    }
    (input, errors)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn checked(input: &LicenceInput, mut errors: Vec<FieldError>) -> Result<()> {
    if let Err(p) = check_licence(input) {
        errors.extend(p.into_iter().map(|p| FieldError::new(p.field, p.message)));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(errors))
    }
}

impl Store {
    /// Adds a licence of mine `mine_id`, with its audit row `licence.add`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the mine does not exist; [`StoreError::Invalid`] with
    /// every problem of [`check_licence`] and of the attachment (empty, over 10 MB), nothing
    /// written; [`StoreError::Db`].
    pub async fn add_licence(
        &self,
        mine_id: i64,
        input: &LicenceInput,
        attachment: Option<&LicenceAttachment>,
        actor: &Actor,
    ) -> Result<LicenceRecord> {
        let (input, errors) = with_attachment(input, attachment);
        checked(&input, errors)?;
        let mut tx = self.begin_write().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM mines WHERE id = ?")
            .bind(mine_id)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound(format!("没有编号为 {mine_id} 的矿山")));
        }
        let now = now_rfc3339();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO mine_licences (mine_id, kind, other_name, number, issuer, valid_from,
                valid_to, attachment_name, attachment_sha256, attachment, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(mine_id)
        .bind(input.kind.label())
        .bind(input.other_name.as_deref().map(str::trim))
        .bind(input.number.trim())
        .bind(input.issuer.trim())
        .bind(input.valid_from.to_string())
        .bind(input.valid_to.to_string())
        .bind(attachment.map(|a| a.name.as_str()))
        .bind(input.attachment_sha256.as_deref())
        .bind(attachment.map(|a| a.bytes.as_slice()))
        .bind(&now)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM mine_licences WHERE id = ?"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let rec = record(&row)?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "licence.add",
                entity_type: "licence",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&rec.licence).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(rec)
    }

    /// Corrects licence `id` (kind, number, issuer, validity; a new attachment replaces the
    /// old one, none keeps it), with its audit row `licence.update` (before and after).
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Invalid`] as [`Store::add_licence`], nothing
    /// written; [`StoreError::Db`].
    pub async fn update_licence(
        &self,
        id: i64,
        input: &LicenceInput,
        attachment: Option<&LicenceAttachment>,
        actor: &Actor,
    ) -> Result<LicenceRecord> {
        let before = self
            .licence(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的证照")))?;
        let (mut input, errors) = with_attachment(input, attachment);
        if attachment.is_none() {
            input.attachment_sha256 = before.licence.licence.attachment_sha256.clone();
        }
        checked(&input, errors)?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE mine_licences SET kind = ?, other_name = ?, number = ?, issuer = ?,
                valid_from = ?, valid_to = ?, updated_at = ? WHERE id = ?",
        )
        .bind(input.kind.label())
        .bind(input.other_name.as_deref().map(str::trim))
        .bind(input.number.trim())
        .bind(input.issuer.trim())
        .bind(input.valid_from.to_string())
        .bind(input.valid_to.to_string())
        .bind(now_rfc3339())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if let Some(a) = attachment {
            sqlx::query(
                "UPDATE mine_licences SET attachment_name = ?, attachment_sha256 = ?,
                    attachment = ? WHERE id = ?",
            )
            .bind(&a.name)
            .bind(input.attachment_sha256.as_deref())
            .bind(a.bytes.as_slice())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM mine_licences WHERE id = ?"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let rec = record(&row)?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "licence.update",
                entity_type: "licence",
                entity_id: id.to_string(),
                before: Some(serde_json::to_value(&before.licence).unwrap_or_default()),
                after: Some(serde_json::to_value(&rec.licence).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(rec)
    }

    /// Licence `id`, if it exists.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn licence(&self, id: i64) -> Result<Option<LicenceRecord>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM mine_licences WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(record).transpose()
    }

    /// The licences of mine `mine_id` (every mine's when `None`), by kind and 有效期止.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn licences(&self, mine_id: Option<i64>) -> Result<Vec<LicenceRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM mine_licences WHERE ?1 IS NULL OR mine_id = ?1
             ORDER BY mine_id, kind, valid_to, id"
        ))
        .bind(mine_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(record).collect()
    }

    /// The scanned copy of licence `id`: file name and bytes, when one was attached.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn licence_attachment(&self, id: i64) -> Result<Option<(String, Vec<u8>)>> {
        let row = sqlx::query(
            "SELECT attachment_name, attachment FROM mine_licences
             WHERE id = ? AND attachment IS NOT NULL",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.get("attachment_name"), r.get("attachment"))))
    }

    /// The mines that reported an extraction above zero for `year` without a
    /// 安全生产许可证 covering the whole year
    /// ([`minplan_domain::register::licences::producing_without_safety_licence`]: coverage
    /// `None` is the check item and the reminder, `Partial` is shown for a look).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn mines_without_safety_licence(&self, year: i32) -> Result<Vec<SafetyFinding>> {
        let reports = self.annual_reports(Some(year), None).await?;
        let refs: Vec<_> = reports.iter().collect();
        let licences: Vec<MineLicence> = self
            .licences(None)
            .await?
            .into_iter()
            .map(|r| r.licence)
            .collect();
        Ok(producing_without_safety_licence(&refs, &licences, year))
    }
}
