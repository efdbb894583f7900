//! The audit trail (操作日志): every write records who, when, what, and the values before and
//! after, in the append-only table `audit_log`, **inside the transaction of the write** — a
//! write that rolls back leaves no audit row, and an audit row that fails rolls the write back.
//!
//! GB/T 39972-2021 asks for 全过程自动强制留痕. Here:
//!
//! - SQLite triggers refuse `UPDATE` and `DELETE` on `audit_log`;
//! - rows are hash-chained: `hash` = SHA-256 over the canonical serialisation of the row
//!   (below) including `prev_hash`, the previous row's `hash` (64 zeros for the first row);
//! - ids come from `AUTOINCREMENT`, whose counter (`sqlite_sequence`) remembers the highest id
//!   ever used, so deleting the newest rows is seen too;
//! - [`verify`] recomputes the chain and names every edited row, every deleted row and the
//!   first row where the chain breaks.
//!
//! **Canonical serialisation** (what [`row_hash`] hashes), for the fields in the order
//! `id, at, actor, action, entity_type, entity_id, before, after, prev_hash`: the field name,
//! `:`, the UTF-8 byte length of the value in decimal (or `null` for an absent `before`/`after`),
//! `:`, the value's bytes, and `\n`. `id` is written in decimal; `before`/`after` are the JSON
//! texts exactly as stored. The hash is lowercase hexadecimal.
//!
//! **Limits.** Someone who can write the database file can drop the triggers, rewrite rows
//! and recompute every hash after them, and reset `sqlite_sequence`; the chain proves
//! integrity against edits through the application and casual edits of the file, not against
//! a full rewrite. Keep a copy of the newest row's hash elsewhere (`minplan audit list`) to
//! anchor the chain.

use crate::{Result, Store, now_rfc3339};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Row, Sqlite, Transaction};
use std::fmt;

/// `prev_hash` of the first row: 64 zeros.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did something. Recorded in every audit row as [`Actor::label`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// minplan itself (seeding the default plan, migrations).
    System,
    /// A command-line invocation, with the operating-system user who ran it.
    Cli {
        /// Operating-system user name (`$USER`/`$USERNAME`), `unknown` when unset.
        os_user: String,
    },
    /// A logged-in user of the web application.
    User {
        /// `users.id`.
        id: i64,
        /// `users.username` at the time of the action.
        username: String,
    },
}

impl Actor {
    /// The command-line actor for the current process: `cli:<os user>`.
    pub fn cli_current() -> Actor {
        let os_user = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .ok()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| "unknown".into());
        Actor::Cli { os_user }
    }

    /// The recorded form: `system`, `cli:<os user>` or `user:<id>:<username>`.
    pub fn label(&self) -> String {
        match self {
            Actor::System => "system".into(),
            Actor::Cli { os_user } => format!("cli:{os_user}"),
            Actor::User { id, username } => format!("user:{id}:{username}"),
        }
    }
}

impl fmt::Display for Actor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// What to record: the action on one entity, with its values before and after.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    /// Who did it.
    pub actor: &'a Actor,
    /// What was done, dotted: `plan.import`, `plan.activate`, `user.add`, `user.password`,
    /// `user.disable`, `user.enable`, `session.login`, `session.logout`, ….
    pub action: &'a str,
    /// Kind of the entity written: `plan_version`, `user`, ….
    pub entity_type: &'a str,
    /// Its id (text, so that any key fits).
    pub entity_id: String,
    /// The entity's values before the write (`None` when it did not exist).
    pub before: Option<serde_json::Value>,
    /// The entity's values after the write (`None` when it was removed).
    pub after: Option<serde_json::Value>,
}

/// One row of `audit_log`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct AuditRow {
    /// Position in the chain, from 1.
    pub id: i64,
    /// When, RFC 3339 UTC.
    pub at: String,
    /// Who, as [`Actor::label`].
    pub actor: String,
    /// What (see [`AuditEntry::action`]).
    pub action: String,
    /// Entity kind.
    pub entity_type: String,
    /// Entity id.
    pub entity_id: String,
    /// JSON text of the values before, as stored.
    pub before: Option<String>,
    /// JSON text of the values after, as stored.
    pub after: Option<String>,
    /// The previous row's hash.
    pub prev_hash: String,
    /// SHA-256 (hex) of this row's canonical serialisation.
    pub hash: String,
}

impl AuditRow {
    /// The hash this row should have, recomputed from its fields.
    pub fn computed_hash(&self) -> String {
        row_hash(
            self.id,
            &self.at,
            &self.actor,
            &self.action,
            &self.entity_type,
            &self.entity_id,
            self.before.as_deref(),
            self.after.as_deref(),
            &self.prev_hash,
        )
    }
}

/// SHA-256 (lowercase hex) over the canonical serialisation described in the
/// [module documentation](self).
#[allow(clippy::too_many_arguments)]
pub fn row_hash(
    id: i64,
    at: &str,
    actor: &str,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    before: Option<&str>,
    after: Option<&str>,
    prev_hash: &str,
) -> String {
    let mut h = Sha256::new();
    let id = id.to_string();
    let fields: [(&str, Option<&str>); 9] = [
        ("id", Some(&id)),
        ("at", Some(at)),
        ("actor", Some(actor)),
        ("action", Some(action)),
        ("entity_type", Some(entity_type)),
        ("entity_id", Some(entity_id)),
        ("before", before),
        ("after", after),
        ("prev_hash", Some(prev_hash)),
    ];
    for (name, value) in fields {
        h.update(name.as_bytes());
        h.update(b":");
        match value {
            Some(v) => {
                h.update(v.len().to_string().as_bytes());
                h.update(b":");
                h.update(v.as_bytes());
            }
            None => h.update(b"null:"),
        }
        h.update(b"\n");
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Appends one audit row inside the caller's transaction and returns it. Call it in the same
/// transaction as the write it records, before `commit`.
///
/// The transaction should have been opened with [`Store::begin_write`] (`BEGIN IMMEDIATE`),
/// so that no other writer can append between reading the chain's head and inserting.
/// A concurrent append on another connection that slipped in anyway makes this insert fail on
/// the `UNIQUE (prev_hash)` constraint (the chain never forks) and the caller's write rolls back.
///
/// # Errors
/// [`StoreError::Db`](crate::StoreError::Db); the caller's transaction must then be dropped (rolled back).
pub async fn append(tx: &mut Transaction<'_, Sqlite>, entry: &AuditEntry<'_>) -> Result<AuditRow> {
    let prev_hash: String =
        sqlx::query_scalar("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?
            .unwrap_or_else(|| GENESIS_HASH.to_string());
    // The next id is one past the highest ever used, so that a deleted tail stays a gap.
    let last_used: i64 = sqlx::query_scalar(
        "SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0),
                    COALESCE((SELECT MAX(id) FROM audit_log), 0))",
    )
    .fetch_one(&mut **tx)
    .await?;
    let json = |v: &Option<serde_json::Value>| v.as_ref().map(|v| v.to_string());
    let mut row = AuditRow {
        id: last_used + 1,
        at: now_rfc3339(),
        actor: entry.actor.label(),
        action: entry.action.to_string(),
        entity_type: entry.entity_type.to_string(),
        entity_id: entry.entity_id.clone(),
        before: json(&entry.before),
        after: json(&entry.after),
        prev_hash,
        hash: String::new(),
    };
    row.hash = row.computed_hash();
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor, action, entity_type, entity_id, before_json, after_json, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(row.id)
    .bind(&row.at)
    .bind(&row.actor)
    .bind(&row.action)
    .bind(&row.entity_type)
    .bind(&row.entity_id)
    .bind(&row.before)
    .bind(&row.after)
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .execute(&mut **tx)
    .await?;
    Ok(row)
}

/// An audit row as read from either store (SQLite, or a copy in PostgreSQL).
pub(crate) fn row_from<R: Row>(r: &R) -> AuditRow
where
    for<'c> &'c str: sqlx::ColumnIndex<R>,
    for<'d> String: sqlx::Decode<'d, R::Database> + sqlx::Type<R::Database>,
    for<'d> i64: sqlx::Decode<'d, R::Database> + sqlx::Type<R::Database>,
{
    AuditRow {
        id: r.get("id"),
        at: r.get("at"),
        actor: r.get("actor"),
        action: r.get("action"),
        entity_type: r.get("entity_type"),
        entity_id: r.get("entity_id"),
        before: r.get("before_json"),
        after: r.get("after_json"),
        prev_hash: r.get("prev_hash"),
        hash: r.get("hash"),
    }
}

const COLUMNS: &str =
    "id, at, actor, action, entity_type, entity_id, before_json, after_json, prev_hash, hash";

/// Which rows [`Store::audit_list`] returns.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only rows of this entity type (`plan_version`, `user`, …).
    pub entity_type: Option<String>,
    /// Only rows of this entity id (with `entity_type`).
    pub entity_id: Option<String>,
    /// At most this many rows, newest first (all when `None`).
    pub limit: Option<u32>,
}

impl AuditFilter {
    /// Parses the `--entity` / `?entity=` form: `TYPE` or `TYPE:ID`. Blank means no filter.
    pub fn parse_entity(s: &str) -> AuditFilter {
        let s = s.trim();
        if s.is_empty() {
            return AuditFilter::default();
        }
        match s.split_once(':') {
            Some((t, id)) => AuditFilter {
                entity_type: Some(t.trim().to_string()),
                entity_id: Some(id.trim().to_string()).filter(|i| !i.is_empty()),
                limit: None,
            },
            None => AuditFilter {
                entity_type: Some(s.to_string()),
                ..AuditFilter::default()
            },
        }
    }
}

/// A problem [`verify`] found, naming the row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditProblem {
    /// The row's content no longer matches its hash: it was edited.
    Edited {
        /// The row.
        id: i64,
        /// Hash stored in the row.
        stored_hash: String,
        /// Hash recomputed from its fields.
        computed_hash: String,
    },
    /// Rows `from..=to` are missing: deleted.
    Deleted {
        /// First missing id.
        from: i64,
        /// Last missing id.
        to: i64,
    },
    /// The row's `prev_hash` is not the hash of the row before it: that row was edited and
    /// re-hashed, or rows between them were deleted, or this row's link was edited.
    BrokenLink {
        /// The row whose link is broken.
        id: i64,
        /// The row before it in the table (`None` for the first row).
        prev_id: Option<i64>,
        /// What `prev_hash` should be.
        expected_prev_hash: String,
        /// What it is.
        found_prev_hash: String,
    },
    /// A record of the database has no audit row although every write leaves one: the log's
    /// tail was cut off (and the id sequence lowered), or the log was emptied.
    Unlogged {
        /// What is missing, Chinese (e.g. `第 12 条审查记录（review:12）的 review.create`).
        what: String,
    },
    /// The head kept outside the database ([`Anchor`]: printed, published, or noted by
    /// the bureau) is not in the log as it was: rows up to it were cut off or rewritten.
    AnchorMismatch {
        /// The anchored row.
        id: i64,
        /// Its hash as kept.
        expected_hash: String,
        /// Its hash in the log now (`None`: the row is gone).
        found_hash: Option<String>,
    },
}

/// A chain head kept outside the database (`ID:HASH`, as `minplan audit verify` prints it and
/// the daily `audit.head` row records it): [`verify_with`] checks that row `id` still has
/// `hash`. A cut-off tail or a rewritten log cannot match a head the bureau printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// Row id.
    pub id: i64,
    /// The row's hash (64 hex digits).
    pub hash: String,
}

impl Anchor {
    /// Reads `ID:HASH` (spaces around either part ignored).
    ///
    /// # Errors
    /// A Chinese message naming what is wrong.
    pub fn parse(s: &str) -> std::result::Result<Anchor, String> {
        let (id, hash) = s
            .split_once([':', '：'])
            .ok_or_else(|| format!("链尾锚点应写作 编号:哈希，收到“{s}”"))?;
        let id: i64 = id
            .trim()
            .parse()
            .map_err(|_| format!("链尾锚点的编号不是整数：“{}”", id.trim()))?;
        let hash = hash.trim().to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("链尾锚点的哈希应为 64 位十六进制数：“{hash}”"));
        }
        Ok(Anchor { id, hash })
    }
}

impl AuditProblem {
    /// The lowest row id the problem concerns.
    pub fn first_id(&self) -> i64 {
        match self {
            AuditProblem::Edited { id, .. }
            | AuditProblem::BrokenLink { id, .. }
            | AuditProblem::AnchorMismatch { id, .. } => *id,
            AuditProblem::Deleted { from, .. } => *from,
            AuditProblem::Unlogged { .. } => i64::MAX,
        }
    }
}

impl fmt::Display for AuditProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuditProblem::Edited { id, .. } => {
                write!(f, "第 {id} 条记录被修改：内容与其哈希值不符")
            }
            AuditProblem::Deleted { from, to } if from == to => {
                write!(f, "第 {from} 条记录被删除")
            }
            AuditProblem::Deleted { from, to } => {
                write!(f, "第 {from}～{to} 条记录被删除（共 {} 条）", to - from + 1)
            }
            AuditProblem::BrokenLink {
                id,
                prev_id: Some(p),
                ..
            } => write!(
                f,
                "第 {id} 条记录的前序哈希与第 {p} 条记录的哈希不符：第 {p} 条被修改，或两者之间有记录被删除"
            ),
            AuditProblem::BrokenLink {
                id, prev_id: None, ..
            } => write!(
                f,
                "第 {id} 条记录是现存的第一条，但其前序哈希不是链首值：之前的记录被删除或本条被修改"
            ),
            AuditProblem::Unlogged { what } => write!(
                f,
                "日志中没有{what}：每次写入都应留有记录，日志尾部被截去或被清空"
            ),
            AuditProblem::AnchorMismatch {
                id,
                found_hash: None,
                ..
            } => write!(
                f,
                "外部保存的链尾锚点第 {id} 条已不在日志中：日志尾部被截去"
            ),
            AuditProblem::AnchorMismatch { id, .. } => write!(
                f,
                "外部保存的链尾锚点第 {id} 条的哈希与日志中的不符：日志被改写"
            ),
        }
    }
}

/// The result of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Rows present.
    pub rows: u64,
    /// Highest id ever assigned (from `sqlite_sequence`).
    pub last_id: i64,
    /// Hash of the newest row (the chain's head), for anchoring elsewhere.
    pub head_hash: Option<String>,
    /// Every problem, in id order.
    pub problems: Vec<AuditProblem>,
    /// The first row where the chain breaks (lowest id of any problem).
    pub first_break: Option<i64>,
}

impl VerifyReport {
    /// True when no row was edited or deleted.
    pub fn intact(&self) -> bool {
        self.problems.is_empty()
    }

    /// A Chinese summary, one line per problem.
    pub fn summary(&self) -> String {
        if self.intact() {
            let mut s = format!(
                "操作日志完整：共 {} 条记录，哈希链无断裂。链尾哈希：{}",
                self.rows,
                self.head_hash.as_deref().unwrap_or("（无记录）")
            );
            if let Some(h) = &self.head_hash {
                s.push_str(&format!(
                    "\n链尾锚点：{id}:{h}（请打印或另行保存；日后以 minplan audit verify --expect-head {id}:{h} 核对，可发现被截去的尾部）",
                    id = self.last_id
                ));
            }
            s
        } else {
            let mut s = match self.first_break {
                Some(b) => format!(
                    "操作日志被篡改：发现 {} 处问题，哈希链自第 {b} 条起断裂。",
                    self.problems.len()
                ),
                None => format!("操作日志被篡改：发现 {} 处问题。", self.problems.len()),
            };
            for p in &self.problems {
                s.push_str("\n  · ");
                s.push_str(&p.to_string());
            }
            s
        }
    }
}

/// Recomputes the whole chain and names every edited row (hash mismatch), deleted row (gap in
/// ids, a missing tail per `sqlite_sequence`, or a broken `prev_hash` link) and the first row
/// where the chain breaks.
///
/// # Errors
/// [`StoreError::Db`](crate::StoreError::Db).
pub async fn verify(store: &Store) -> Result<VerifyReport> {
    verify_with(store, None).await
}

/// As [`verify`], and also: the newest account and the newest review each have the audit
/// row their creation wrote (a log emptied, or cut off with its id sequence lowered, lacks
/// them), and, when `anchor` is given, row `anchor.id` still has `anchor.hash`.
///
/// # Errors
/// [`StoreError::Db`](crate::StoreError::Db).
pub async fn verify_with(store: &Store, anchor: Option<&Anchor>) -> Result<VerifyReport> {
    let mut report = verify_chain(store).await?;
    for (table, entity, action, what) in [
        ("users", "user", "user.add", "账号"),
        ("reviews", "review", "review.create", "审查记录"),
    ] {
        let newest: Option<i64> = sqlx::query_scalar(&format!("SELECT MAX(id) FROM {table}"))
            .fetch_one(store.pool())
            .await?;
        let Some(id) = newest else { continue };
        let logged: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM audit_log WHERE entity_type = ? AND entity_id = ? AND action = ?)",
        )
        .bind(entity)
        .bind(id.to_string())
        .bind(action)
        .fetch_one(store.pool())
        .await?;
        if !logged {
            report.problems.push(AuditProblem::Unlogged {
                what: format!("最新的第 {id} 条{what}（{entity}:{id}）的 {action} 记录"),
            });
        }
    }
    if let Some(a) = anchor {
        let found: Option<String> = sqlx::query_scalar("SELECT hash FROM audit_log WHERE id = ?")
            .bind(a.id)
            .fetch_optional(store.pool())
            .await?;
        if found.as_deref() != Some(a.hash.as_str()) {
            report.problems.push(AuditProblem::AnchorMismatch {
                id: a.id,
                expected_hash: a.hash.clone(),
                found_hash: found,
            });
        }
    }
    report.problems.sort_by_key(AuditProblem::first_id);
    report.first_break = report
        .problems
        .iter()
        .map(AuditProblem::first_id)
        .filter(|&i| i != i64::MAX)
        .min();
    Ok(report)
}

async fn verify_chain(store: &Store) -> Result<VerifyReport> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY id"))
        .fetch_all(store.pool())
        .await?;
    let seq: i64 = sqlx::query_scalar(
        "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0)",
    )
    .fetch_one(store.pool())
    .await?;
    Ok(verify_rows(rows.iter().map(row_from), seq))
}

/// The chain check of [`verify`] over rows already read (in id order) and the highest id
/// ever assigned (`seq`: SQLite's `sqlite_sequence`, or `minplan_sqlite_sequence` of a copy in
/// PostgreSQL): every edited row, deleted row and broken link, and the head.
pub fn verify_rows(rows: impl IntoIterator<Item = AuditRow>, seq: i64) -> VerifyReport {
    let mut problems = Vec::new();
    let mut prev: Option<AuditRow> = None;
    let mut count = 0u64;
    for row in rows {
        count += 1;
        let expected_id = prev.as_ref().map_or(1, |p| p.id + 1);
        if row.id > expected_id {
            problems.push(AuditProblem::Deleted {
                from: expected_id,
                to: row.id - 1,
            });
        }
        let computed = row.computed_hash();
        if computed != row.hash {
            problems.push(AuditProblem::Edited {
                id: row.id,
                stored_hash: row.hash.clone(),
                computed_hash: computed,
            });
        }
        let expected_prev = prev
            .as_ref()
            .map_or_else(|| GENESIS_HASH.to_string(), |p| p.hash.clone());
        if row.prev_hash != expected_prev {
            problems.push(AuditProblem::BrokenLink {
                id: row.id,
                prev_id: prev.as_ref().map(|p| p.id),
                expected_prev_hash: expected_prev,
                found_prev_hash: row.prev_hash.clone(),
            });
        }
        prev = Some(row);
    }
    let max_id = prev.as_ref().map_or(0, |p| p.id);
    let last_id = seq.max(max_id);
    if seq > max_id {
        problems.push(AuditProblem::Deleted {
            from: max_id + 1,
            to: seq,
        });
    }
    problems.sort_by_key(AuditProblem::first_id);
    VerifyReport {
        rows: count,
        last_id,
        head_hash: prev.map(|p| p.hash),
        first_break: problems.iter().map(AuditProblem::first_id).min(),
        problems,
    }
}

impl Store {
    /// Writes the day's chain head into the log once per day (`date`, `YYYY-MM-DD`, Beijing):
    /// an `audit.head` row (entity `audit:DATE`) whose after-value is the head before it,
    /// `{"head_id": …, "head_hash": …}`, the [`Anchor`] a bureau prints or publishes. Returns
    /// the row when one was written, `None` when the day has one already or the log is empty.
    ///
    /// # Errors
    /// [`StoreError::Db`](crate::StoreError::Db).
    pub async fn write_daily_head(&self, date: &str) -> Result<Option<AuditRow>> {
        let mut tx = self.begin_write().await?;
        let done: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM audit_log WHERE action = 'audit.head' AND entity_type = 'audit' AND entity_id = ?)",
        )
        .bind(date)
        .fetch_one(&mut *tx)
        .await?;
        let head: Option<(i64, String)> =
            sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
                .fetch_optional(&mut *tx)
                .await?;
        let (false, Some((id, hash))) = (done, head) else {
            return Ok(None);
        };
        let row = append(
            &mut tx,
            &AuditEntry {
                actor: &Actor::System,
                action: "audit.head",
                entity_type: "audit",
                entity_id: date.to_string(),
                before: None,
                after: Some(serde_json::json!({ "head_id": id, "head_hash": hash })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(Some(row))
    }

    /// Opens a write transaction with `BEGIN IMMEDIATE`: it takes SQLite's write lock at once,
    /// so that audit appends of concurrent writers queue (up to the busy timeout) instead of
    /// failing on a stale read of the chain's head.
    ///
    /// # Errors
    /// [`StoreError::Db`](crate::StoreError::Db).
    pub async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>> {
        Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?)
    }

    /// Audit rows, newest first, filtered.
    ///
    /// # Errors
    /// [`StoreError::Db`](crate::StoreError::Db).
    pub async fn audit_list(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
        let mut sql = format!("SELECT {COLUMNS} FROM audit_log WHERE 1 = 1");
        if filter.entity_type.is_some() {
            sql.push_str(" AND entity_type = ?");
        }
        if filter.entity_id.is_some() {
            sql.push_str(" AND entity_id = ?");
        }
        sql.push_str(" ORDER BY id DESC");
        if let Some(n) = filter.limit {
            sql.push_str(&format!(" LIMIT {n}"));
        }
        let mut q = sqlx::query(&sql);
        if let Some(t) = &filter.entity_type {
            q = q.bind(t);
        }
        if let Some(i) = &filter.entity_id {
            q = q.bind(i);
        }
        Ok(q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(row_from)
            .collect())
    }

    /// The trail of one entity, oldest first (for a record's detail page, e.g. 审查记录).
    ///
    /// # Errors
    /// [`StoreError::Db`](crate::StoreError::Db).
    pub async fn audit_trail(&self, entity_type: &str, entity_id: &str) -> Result<Vec<AuditRow>> {
        let mut rows = self
            .audit_list(&AuditFilter {
                entity_type: Some(entity_type.into()),
                entity_id: Some(entity_id.into()),
                limit: None,
            })
            .await?;
        rows.reverse();
        Ok(rows)
    }

    /// Records one audit row in a transaction of its own (for events that write nothing
    /// else the store owns, such as a login).
    ///
    /// # Errors
    /// [`StoreError::Db`](crate::StoreError::Db).
    pub async fn audit_record(&self, entry: &AuditEntry<'_>) -> Result<AuditRow> {
        let mut tx = self.begin_write().await?;
        let row = append(&mut tx, entry).await?;
        tx.commit().await?;
        Ok(row)
    }
}
