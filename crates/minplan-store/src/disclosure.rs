//! 信息公示 as stored (migration 0016): publications with their frozen payloads, the
//! append-only steps (`publication_events`), the public rows of an approved 矿业权公示
//! (`public_rights`), and the bureau's setting of the 抽查结果 deadline.
//!
//! Every step reads the publication inside its write transaction, asks the pure check of
//! [`minplan_domain::disclosure`] (role, state, four eyes, reason), writes the new state, the
//! event and the audit row (`publication.*`) in that one transaction. The portal reads only
//! 已公开 publications ([`Store::published`], [`Store::public_rights_page`]).
//!
//! Other capabilities publish through [`Store::draft_publication`] with a typed
//! [`Payload`]: the draft then goes through the same review before it is public.

use crate::audit::{self, Actor, AuditEntry};
use crate::{FieldError, Result, Role, Store, StoreError, User, Window, now_rfc3339};
use minplan_domain::disclosure::{
    self as rule, ActorRole, DEFAULT_RESULTS_WITHIN_WORKING_DAYS, Payload, PublicRight,
    PublicationKind, PublicationState, Standing,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// The 抽查结果 deadline's range a bureau may set, working days.
pub const RESULTS_WITHIN_RANGE: std::ops::RangeInclusive<u32> = 1..=200;

/// The role the publication rule sees for an account's role.
pub fn actor_role(role: Role) -> ActorRole {
    match role {
        Role::Admin => ActorRole::Admin,
        Role::Planning => ActorRole::Planning,
        Role::Approval => ActorRole::Approval,
        Role::Enforcement => ActorRole::Enforcement,
        Role::Restoration => ActorRole::Restoration,
        Role::Company => ActorRole::Other,
    }
}

/// A publication without its payload (lists).
#[derive(Debug, Clone, Serialize)]
pub struct PublicationSummary {
    /// Row id.
    pub id: i64,
    /// Its kind.
    #[serde(skip)]
    pub kind: PublicationKind,
    /// Subject key (see migration 0016).
    pub subject_key: String,
    /// 标题.
    pub title: String,
    /// Its state.
    #[serde(skip)]
    pub state: PublicationState,
    /// Rows the public sees.
    pub row_count: i64,
    /// Hex SHA-256 of the payload JSON.
    pub payload_sha256: String,
    /// Who prepared it (audit actor text) and when (RFC 3339 UTC).
    pub created_by: String,
    /// When prepared.
    pub created_at: String,
    /// The last submitter's account.
    pub submitted_by_user: Option<i64>,
    /// The last submitter (audit actor text).
    pub submitted_by: Option<String>,
    /// When submitted.
    pub submitted_at: Option<String>,
    /// Who approved.
    pub approved_by: Option<String>,
    /// When approved (published), RFC 3339 UTC.
    pub approved_at: Option<String>,
    /// The last 退回修改's reason.
    pub returned_reason: Option<String>,
    /// Who withdrew.
    pub withdrawn_by: Option<String>,
    /// When withdrawn.
    pub withdrawn_at: Option<String>,
    /// Why withdrawn (shown on the portal).
    pub withdrawal_reason: Option<String>,
}

/// One step of a publication's history.
#[derive(Debug, Clone, Serialize)]
pub struct PublicationEvent {
    /// draft, redraft, submit, approve, return, withdraw.
    pub step: String,
    /// Audit actor text.
    pub actor: String,
    /// RFC 3339 UTC.
    pub at: String,
    /// Reason of a 退回修改 or 撤回 ('' otherwise).
    pub reason: String,
}

/// A publication with its payload and history.
#[derive(Debug, Clone)]
pub struct Publication {
    /// The row.
    pub summary: PublicationSummary,
    /// What the public sees (or will see).
    pub payload: Payload,
    /// Every step, oldest first.
    pub events: Vec<PublicationEvent>,
}

/// The 矿业权公示 search: text (holder or 证号), kind, mineral, status.
#[derive(Debug, Clone, Default)]
pub struct PublicRightsQuery {
    /// Part of the holder's name, 许可证号 or mine name.
    pub text: String,
    /// 探矿权 / 采矿权, or "".
    pub kind: String,
    /// A mineral (part of the 矿种 text), or "".
    pub mineral: String,
    /// A status (有效 …), or "".
    pub status: String,
}

fn summary(r: &sqlx::sqlite::SqliteRow) -> PublicationSummary {
    PublicationSummary {
        id: r.get("id"),
        kind: PublicationKind::from_code(&r.get::<String, _>("kind"))
            .unwrap_or(PublicationKind::RightsRegister),
        subject_key: r.get("subject_key"),
        title: r.get("title"),
        state: PublicationState::from_code(&r.get::<String, _>("state"))
            .unwrap_or(PublicationState::Draft),
        row_count: r.get("row_count"),
        payload_sha256: r.get("payload_sha256"),
        created_by: r.get("created_by"),
        created_at: r.get("created_at"),
        submitted_by_user: r.get("submitted_by_user"),
        submitted_by: r.get("submitted_by"),
        submitted_at: r.get("submitted_at"),
        approved_by: r.get("approved_by"),
        approved_at: r.get("approved_at"),
        returned_reason: r.get("returned_reason"),
        withdrawn_by: r.get("withdrawn_by"),
        withdrawn_at: r.get("withdrawn_at"),
        withdrawal_reason: r.get("withdrawal_reason"),
    }
}

const SUMMARY_COLUMNS: &str = "id, kind, subject_key, title, state, row_count, payload_sha256, \
     created_by, created_at, submitted_by_user, submitted_by, submitted_at, approved_by, \
     approved_at, returned_reason, withdrawn_by, withdrawn_at, withdrawal_reason";

/// The order of approvals, latest first: by the approval step's row (the stored times are
/// RFC 3339 texts whose fraction digits vary, so two approvals in one second would not sort
/// by their text).
const APPROVAL_ORDER: &str = "(SELECT MAX(e.id) FROM publication_events e
     WHERE e.publication_id = publications.id AND e.step = 'approve') DESC, id DESC";

fn sha256_hex(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn audit_view(s: &PublicationSummary) -> serde_json::Value {
    serde_json::json!({
        "kind": s.kind.label(),
        "title": s.title,
        "state": s.state.label(),
        "public_rows": s.row_count,
        "payload_sha256": s.payload_sha256,
        "reason": s.withdrawal_reason.clone().or_else(|| s.returned_reason.clone()),
    })
}

fn refused(e: rule::Refusal) -> StoreError {
    StoreError::Invalid(vec![FieldError::new("state", e.to_string())])
}

/// The step being done.
#[derive(Debug, Clone, Copy)]
enum Step {
    Submit,
    Approve,
    Return,
    Withdraw,
}

impl Step {
    fn code(self) -> &'static str {
        match self {
            Step::Submit => "submit",
            Step::Approve => "approve",
            Step::Return => "return",
            Step::Withdraw => "withdraw",
        }
    }
}

impl Store {
    /// Prepares a draft (草稿) of `payload` about `subject_key` titled `title`, or — when a
    /// draft of the same kind and subject exists — replaces that draft's payload (重新生成).
    /// Returns the publication's id. The draft is not public: it must be submitted and
    /// approved by another person ([`Store::submit_publication`],
    /// [`Store::approve_publication`]).
    ///
    /// `subject_key` names what the publication is about, stable within its kind: the portal
    /// shows the latest published publication of each subject (of the whole kind for
    /// 矿业权公示 and 规划区块). A 抽查计划's results use one key per plan (a republication
    /// after corrections replaces the earlier); a list entry and its removal share one key
    /// (e.g. `abnormal:<统一社会信用代码>:<列入日期>`), so that the removal replaces the entry.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for an empty title or subject, or free text carrying personal
    /// numbers ([`rule::personal_data_problems`]), nothing written; [`StoreError::Db`].
    pub async fn draft_publication(
        &self,
        subject_key: &str,
        title: &str,
        payload: &Payload,
        actor: &Actor,
    ) -> Result<i64> {
        let mut problems = Vec::new();
        if title.trim().is_empty() {
            problems.push(FieldError::new("title", "请填写标题"));
        }
        if subject_key.trim().is_empty() {
            problems.push(FieldError::new("subject_key", "缺少公示对象"));
        }
        problems.extend(
            rule::personal_data_problems(payload)
                .into_iter()
                .map(|m| FieldError::new("payload", m)),
        );
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let kind = payload.kind();
        let json = serde_json::to_string(payload)
            .map_err(|e| StoreError::Internal(format!("公示内容无法序列化：{e}")))?;
        let sha = sha256_hex(&json);
        let now = now_rfc3339();
        let mut tx = self.begin_write().await?;
        let existing = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM publications
             WHERE kind = ? AND subject_key = ? AND state = 'draft' ORDER BY id DESC LIMIT 1"
        ))
        .bind(kind.code())
        .bind(subject_key)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| summary(&r));
        let (id, step, before) = match existing {
            Some(old) => {
                sqlx::query(
                    "UPDATE publications SET title = ?, payload_json = ?, payload_sha256 = ?,
                     row_count = ? WHERE id = ?",
                )
                .bind(title.trim())
                .bind(&json)
                .bind(&sha)
                .bind(payload.rows() as i64)
                .bind(old.id)
                .execute(&mut *tx)
                .await?;
                (old.id, "redraft", Some(audit_view(&old)))
            }
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO publications (kind, subject_key, title, payload_json,
                     payload_sha256, row_count, state, created_by, created_at)
                     VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?) RETURNING id",
                )
                .bind(kind.code())
                .bind(subject_key)
                .bind(title.trim())
                .bind(&json)
                .bind(&sha)
                .bind(payload.rows() as i64)
                .bind(actor.to_string())
                .bind(&now)
                .fetch_one(&mut *tx)
                .await?;
                (id, "draft", None)
            }
        };
        sqlx::query(
            "INSERT INTO publication_events (publication_id, step, actor, at) VALUES (?, ?, ?, ?)",
        )
        .bind(id)
        .bind(step)
        .bind(actor.to_string())
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        let after = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM publications WHERE id = ?"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: if step == "draft" {
                    "publication.draft"
                } else {
                    "publication.redraft"
                },
                entity_type: "publication",
                entity_id: id.to_string(),
                before,
                after: Some(audit_view(&summary(&after))),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The publications, newest first; only those in `state` when given.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn publications(
        &self,
        state: Option<PublicationState>,
    ) -> Result<Vec<PublicationSummary>> {
        let rows = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM publications
             WHERE (?1 IS NULL OR state = ?1) ORDER BY id DESC"
        ))
        .bind(state.map(PublicationState::code))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(summary).collect())
    }

    /// One publication with its payload and history.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Invalid`] when the stored payload no longer
    /// reads; [`StoreError::Db`].
    pub async fn publication(&self, id: i64) -> Result<Publication> {
        let row = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS}, payload_json FROM publications WHERE id = ?"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("公示信息 {id} 不存在")))?;
        let payload = read_payload(id, &row.get::<String, _>("payload_json"))?;
        let events = sqlx::query(
            "SELECT step, actor, at, reason FROM publication_events
             WHERE publication_id = ? ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| PublicationEvent {
            step: r.get("step"),
            actor: r.get("actor"),
            at: r.get("at"),
            reason: r.get("reason"),
        })
        .collect();
        Ok(Publication {
            summary: summary(&row),
            payload,
            events,
        })
    }

    /// 提交审核 (草稿 → 待审核) by `user`: the payload is frozen from now on.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] with the rule's refusal (role, state); [`StoreError::NotFound`];
    /// [`StoreError::Db`].
    pub async fn submit_publication(&self, id: i64, user: &User) -> Result<()> {
        self.step(id, user, Step::Submit, "").await
    }

    /// 审核通过并公开 (待审核 → 已公开) by `user`, who must not be the submitter. A
    /// 矿业权公示's rows are written to `public_rights` in the same transaction.
    ///
    /// # Errors
    /// As [`Store::submit_publication`]; the four-eyes refusal.
    pub async fn approve_publication(&self, id: i64, user: &User) -> Result<()> {
        self.step(id, user, Step::Approve, "").await
    }

    /// 退回修改 (待审核 → 草稿) by `user`, with `reason`.
    ///
    /// # Errors
    /// As [`Store::submit_publication`]; an empty reason.
    pub async fn return_publication(&self, id: i64, user: &User, reason: &str) -> Result<()> {
        self.step(id, user, Step::Return, reason).await
    }

    /// 撤回 (已公开 → 已撤回) by `user`, with the reason the portal shows.
    ///
    /// # Errors
    /// As [`Store::submit_publication`]; an empty reason.
    pub async fn withdraw_publication(&self, id: i64, user: &User, reason: &str) -> Result<()> {
        self.step(id, user, Step::Withdraw, reason).await
    }

    async fn step(&self, id: i64, user: &User, step: Step, reason: &str) -> Result<()> {
        let actor = Actor::User {
            id: user.id,
            username: user.username.clone(),
        };
        let who = rule::Actor {
            person: user.id,
            role: actor_role(user.role),
        };
        let reason = reason.trim();
        let now = now_rfc3339();
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM publications WHERE id = ?"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("公示信息 {id} 不存在")))?;
        let before = summary(&row);
        let standing = Standing {
            kind: before.kind,
            state: before.state,
            submitted_by: before.submitted_by_user,
        };
        let next = match step {
            Step::Submit => rule::submit(&standing, who),
            Step::Approve => rule::approve(&standing, who),
            Step::Return => rule::send_back(&standing, who, reason),
            Step::Withdraw => rule::withdraw(&standing, who, reason),
        }
        .map_err(refused)?;
        match step {
            Step::Submit => {
                sqlx::query(
                    "UPDATE publications SET state = ?, submitted_by_user = ?, submitted_by = ?,
                     submitted_at = ?, returned_reason = NULL WHERE id = ?",
                )
                .bind(next.code())
                .bind(user.id)
                .bind(actor.to_string())
                .bind(&now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            Step::Approve => {
                sqlx::query(
                    "UPDATE publications SET state = ?, approved_by = ?, approved_at = ?
                     WHERE id = ?",
                )
                .bind(next.code())
                .bind(actor.to_string())
                .bind(&now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if before.kind == PublicationKind::RightsRegister {
                    let json: String =
                        sqlx::query_scalar("SELECT payload_json FROM publications WHERE id = ?")
                            .bind(id)
                            .fetch_one(&mut *tx)
                            .await?;
                    if let Payload::Rights(reg) = read_payload(id, &json)? {
                        insert_public_rights(&mut tx, id, &reg.rights).await?;
                    }
                }
            }
            Step::Return => {
                sqlx::query("UPDATE publications SET state = ?, returned_reason = ? WHERE id = ?")
                    .bind(next.code())
                    .bind(reason)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            Step::Withdraw => {
                sqlx::query(
                    "UPDATE publications SET state = ?, withdrawn_by = ?, withdrawn_at = ?,
                     withdrawal_reason = ? WHERE id = ?",
                )
                .bind(next.code())
                .bind(actor.to_string())
                .bind(&now)
                .bind(reason)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
        }
        sqlx::query(
            "INSERT INTO publication_events (publication_id, step, actor, at, reason)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(step.code())
        .bind(actor.to_string())
        .bind(&now)
        .bind(reason)
        .execute(&mut *tx)
        .await?;
        let after = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM publications WHERE id = ?"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor: &actor,
                action: match step {
                    Step::Submit => "publication.submit",
                    Step::Approve => "publication.approve",
                    Step::Return => "publication.return",
                    Step::Withdraw => "publication.withdraw",
                },
                entity_type: "publication",
                entity_id: id.to_string(),
                before: Some(audit_view(&before)),
                after: Some(audit_view(&summary(&after))),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The publications of `kind` the public sees now, newest approval first: only 已公开
    /// ones; for a [`PublicationKind::single_current`] kind the latest only, otherwise the
    /// latest of each subject.
    ///
    /// # Errors
    /// [`StoreError::Db`]; [`StoreError::Invalid`] for a stored payload that no longer reads.
    pub async fn published(&self, kind: PublicationKind) -> Result<Vec<Publication>> {
        let rows = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS}, payload_json FROM publications
             WHERE kind = ? AND state = 'published' ORDER BY {APPROVAL_ORDER}"
        ))
        .bind(kind.code())
        .fetch_all(&self.pool)
        .await?;
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for r in rows {
            let s = summary(&r);
            let key = if kind.single_current() {
                String::new()
            } else {
                s.subject_key.clone()
            };
            if !seen.insert(key) {
                continue;
            }
            let payload = read_payload(s.id, &r.get::<String, _>("payload_json"))?;
            out.push(Publication {
                summary: s,
                payload,
                events: Vec::new(),
            });
        }
        Ok(out)
    }

    /// Whether a publication of `kind` and `subject_key` is 已公开 now and was approved at or
    /// after `since` (RFC 3339 UTC, as the store writes times): a 抽查计划's draw becomes public
    /// with the first 抽查结果 publication approved after it was drawn.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn published_since(
        &self,
        kind: PublicationKind,
        subject_key: &str,
        since: &str,
    ) -> Result<bool> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM publications
             WHERE kind = ? AND subject_key = ? AND state = 'published' AND approved_at >= ?",
        )
        .bind(kind.code())
        .bind(subject_key)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }

    /// The withdrawn publications of `kind` (the portal notes each withdrawal: title, time,
    /// reason), newest first.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn withdrawn(&self, kind: PublicationKind) -> Result<Vec<PublicationSummary>> {
        let rows = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM publications
             WHERE kind = ? AND state = 'withdrawn' ORDER BY withdrawn_at DESC, id DESC"
        ))
        .bind(kind.code())
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(summary).collect())
    }

    /// The 矿业权公示 the portal shows: the latest approved, not withdrawn.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn current_rights_publication(&self) -> Result<Option<PublicationSummary>> {
        let row = sqlx::query(&format!(
            "SELECT {SUMMARY_COLUMNS} FROM publications
             WHERE kind = 'rights' AND state = 'published'
             ORDER BY {APPROVAL_ORDER} LIMIT 1"
        ))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(summary))
    }

    /// A page of the public register (the rows of `publication`, see
    /// [`Store::current_rights_publication`]) matching `q`, by 许可证号, and the count of
    /// matching rows. `window` = `None`: every matching row (the feeds).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn public_rights_page(
        &self,
        publication: i64,
        q: &PublicRightsQuery,
        window: Option<Window>,
    ) -> Result<(u64, Vec<PublicRight>)> {
        let mut cond = String::from("publication_id = ?");
        let mut args: Vec<String> = Vec::new();
        let text = q.text.trim();
        if !text.is_empty() {
            cond.push_str(
                " AND (holder_name LIKE ? ESCAPE '\\' OR licence_no LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')",
            );
            let like = format!("%{}%", escape_like(text));
            args.extend([like.clone(), like.clone(), like]);
        }
        for (col, v) in [("kind", &q.kind), ("status", &q.status)] {
            if !v.trim().is_empty() {
                cond.push_str(&format!(" AND {col} = ?"));
                args.push(v.trim().to_string());
            }
        }
        if !q.mineral.trim().is_empty() {
            cond.push_str(" AND minerals LIKE ? ESCAPE '\\'");
            args.push(format!("%{}%", escape_like(q.mineral.trim())));
        }
        let count_sql = format!("SELECT COUNT(*) FROM public_rights WHERE {cond}");
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql).bind(publication);
        for a in &args {
            count = count.bind(a);
        }
        let total = count.fetch_one(&self.pool).await? as u64;
        let mut sql = format!(
            "SELECT licence_no, holder_name, name, kind, minerals, area_km2, valid_from, valid_to,
             status, geometry_json FROM public_rights WHERE {cond} ORDER BY licence_no"
        );
        if let Some(w) = window {
            sql.push_str(&format!(" LIMIT {} OFFSET {}", w.limit, w.offset));
        }
        let mut rows = sqlx::query(&sql).bind(publication);
        for a in &args {
            rows = rows.bind(a);
        }
        let rows = rows.fetch_all(&self.pool).await?;
        let out = rows
            .iter()
            .map(|r| PublicRight {
                licence_no: r.get("licence_no"),
                holder_name: r.get("holder_name"),
                name: r.get("name"),
                kind: r.get("kind"),
                minerals: r
                    .get::<String, _>("minerals")
                    .split('、')
                    .filter(|m| !m.is_empty())
                    .map(str::to_string)
                    .collect(),
                area_km2: r.get("area_km2"),
                valid_from: r.get("valid_from"),
                valid_to: r.get("valid_to"),
                status: r.get("status"),
                geometry: r
                    .get::<Option<String>, _>("geometry_json")
                    .and_then(|g| serde_json::from_str(&g).ok()),
            })
            .collect();
        Ok((total, out))
    }

    /// The statuses present in a published register (the status filter's options).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn public_right_statuses(&self, publication: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT status FROM public_rights WHERE publication_id = ? ORDER BY status",
        )
        .bind(publication)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The register's public fields now (矿业权公示's payload): every right by 许可证号 with its
    /// status as of `today`, area (ellipsoidal, km² to 4 decimals; 无数据 without geometry)
    /// and extent as a GeoJSON MultiPolygon. Holders' 统一社会信用代码, production figures and
    /// sources are not public fields of the register and are left out.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn register_payload(
        &self,
        today: minplan_domain::date::Date,
    ) -> Result<minplan_domain::disclosure::RegisterPayload> {
        let rows = sqlx::query(&format!(
            "SELECT id, kind, {} AS status, name, holder_name, minerals_json, valid_from,
             valid_to, geometry_json FROM rights ORDER BY id",
            crate::records::status_sql(today)
        ))
        .fetch_all(&self.pool)
        .await?;
        let rights = rows
            .iter()
            .map(|r| {
                let geometry: Vec<minplan_domain::plan::LonLatPolygon> =
                    serde_json::from_str(&r.get::<String, _>("geometry_json")).unwrap_or_default();
                PublicRight {
                    licence_no: r.get("id"),
                    holder_name: r.get("holder_name"),
                    kind: r.get("kind"),
                    name: r.get("name"),
                    minerals: serde_json::from_str(&r.get::<String, _>("minerals_json"))
                        .unwrap_or_default(),
                    area_km2: (!geometry.is_empty()).then(|| {
                        minplan_geo::area::km2_4dp(crate::export::lonlat_area_m2(&geometry))
                    }),
                    valid_from: r.get("valid_from"),
                    valid_to: r.get("valid_to"),
                    status: r.get("status"),
                    geometry: (!geometry.is_empty()).then(
                        || serde_json::json!({ "type": "MultiPolygon", "coordinates": geometry }),
                    ),
                }
            })
            .collect();
        Ok(minplan_domain::disclosure::RegisterPayload {
            as_of: today.to_string(),
            rights,
        })
    }

    /// The working days within which 抽查结果 are to be public after the checks: the bureau's
    /// setting, or [`DEFAULT_RESULTS_WITHIN_WORKING_DAYS`].
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn results_within_days(&self) -> Result<u32> {
        let v: Option<i64> = sqlx::query_scalar(
            "SELECT results_within_days FROM publication_settings ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(v.map_or(DEFAULT_RESULTS_WITHIN_WORKING_DAYS, |v| v as u32))
    }

    /// Sets the 抽查结果 deadline (working days, within [`RESULTS_WITHIN_RANGE`]), audited
    /// (`publication.settings`).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] out of range; [`StoreError::Db`].
    pub async fn set_results_within_days(&self, days: u32, actor: &Actor) -> Result<()> {
        if !RESULTS_WITHIN_RANGE.contains(&days) {
            return Err(StoreError::Invalid(vec![FieldError::new(
                "results_within_days",
                format!(
                    "抽查结果公示期限应为 {} 至 {} 个工作日",
                    RESULTS_WITHIN_RANGE.start(),
                    RESULTS_WITHIN_RANGE.end()
                ),
            )]));
        }
        let before = self.results_within_days().await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO publication_settings (results_within_days, set_by, set_at) VALUES (?, ?, ?)",
        )
        .bind(i64::from(days))
        .bind(actor.to_string())
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "publication.settings",
                entity_type: "publication_settings",
                entity_id: "results_within_days".into(),
                before: Some(serde_json::json!({ "results_within_days": before })),
                after: Some(serde_json::json!({ "results_within_days": days })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

fn read_payload(id: i64, json: &str) -> Result<Payload> {
    serde_json::from_str(json).map_err(|e| {
        StoreError::Invalid(vec![FieldError::new(
            "payload",
            format!("公示信息 {id} 的内容无法读取：{e}"),
        )])
    })
}

async fn insert_public_rights(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    publication: i64,
    rights: &[PublicRight],
) -> Result<()> {
    for r in rights {
        sqlx::query(
            "INSERT OR REPLACE INTO public_rights (publication_id, licence_no, holder_name, name,
             kind, minerals, area_km2, valid_from, valid_to, status, geometry_json)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(publication)
        .bind(&r.licence_no)
        .bind(&r.holder_name)
        .bind(&r.name)
        .bind(&r.kind)
        .bind(r.minerals.join("、"))
        .bind(r.area_km2)
        .bind(&r.valid_from)
        .bind(&r.valid_to)
        .bind(&r.status)
        .bind(r.geometry.as_ref().map(|g| g.to_string()))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
