//! `minplan db check postgres://…`: a database `db migrate-to` wrote, checked where it is.

use super::connect::{options, pg_err, pg_words, read_audit};
use super::schema::{
    AUTOINCREMENT_FUNCTION, CopiedTable, REFUSE_FUNCTION, ident, pg_table_name, trigger_sql,
};
use crate::audit::{self, VerifyReport};
use crate::{Result, StoreError};
use serde::Serialize;
use sqlx::Connection;
use sqlx::postgres::PgConnection;
use std::str::FromStr;

/// The check of a database migrated into PostgreSQL (`minplan db check postgres://…`).
#[derive(Debug, Clone, Serialize)]
pub struct PostgresCheck {
    /// The target database's name and host (no password).
    pub target: String,
    /// The schema checked.
    pub schema: String,
    /// The SQLite schema version the data was migrated at (`minplan_sqlite_migrations`).
    pub schema_version: i64,
    /// Each table of this release's schema and its rows, by PostgreSQL name.
    pub tables: Vec<CopiedTable>,
    /// Tables of this release's schema that are missing.
    pub missing_tables: Vec<String>,
    /// What is wrong with the protections (this release's triggers and the TRUNCATE and
    /// AUTOINCREMENT ones the migration adds, and the functions they call): a trigger missing,
    /// switched off (disabled, or set to fire only when replicating), bound to another
    /// function; a function missing or rewritten. One Chinese sentence each.
    pub protection_problems: Vec<String>,
    /// The audit chain recomputed from the rows.
    pub audit: VerifyReport,
}

impl PostgresCheck {
    /// Nothing missing and the audit chain intact.
    pub fn sound(&self) -> bool {
        self.missing_tables.is_empty() && self.protection_problems.is_empty() && self.audit.intact()
    }

    /// Rows in all.
    pub fn total_rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// Checks a database `db migrate-to` wrote, as it stands now: every table of this release's
/// schema present with its row count, every protection trigger present and enabled, and the
/// audit chain recomputed ([`audit::verify_rows`], the high-water mark from
/// `minplan_sqlite_sequence`). Read-only (one read-only transaction).
///
/// # Errors
/// [`StoreError::BadInput`]: the URL is not a PostgreSQL one or not local without
/// `sslmode=disable`, the server cannot be reached, or the schema holds no migrated minplan
/// database.
pub async fn check_postgres(url: &str) -> Result<PostgresCheck> {
    let (opts, target) = options(url)?;
    let mut pg = PgConnection::connect_with(&opts).await.map_err(|e| {
        StoreError::BadInput(format!("无法连接 PostgreSQL {target}：{}", pg_words(&e)))
    })?;
    let out = check_in(&mut pg, &target).await;
    let _ = pg.close().await;
    out
}

async fn check_in(pg: &mut PgConnection, target: &str) -> Result<PostgresCheck> {
    let read = pg_err("无法读取 PostgreSQL");
    let mut tx = pg.begin().await.map_err(&read)?;
    sqlx::query("SET TRANSACTION READ ONLY")
        .execute(&mut *tx)
        .await
        .map_err(&read)?;
    let schema: Option<String> = sqlx::query_scalar("SELECT current_schema()::text")
        .fetch_one(&mut *tx)
        .await
        .map_err(&read)?;
    let schema = schema.unwrap_or_default();
    let present: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(&read)?;
    if !present.iter().any(|t| t == "minplan_sqlite_migrations") {
        return Err(StoreError::BadInput(format!(
            "{target} 的模式 {schema} 中没有迁移过来的 minplan 数据库（缺少表 minplan_sqlite_migrations）"
        )));
    }
    let schema_version: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(version), 0) FROM minplan_sqlite_migrations WHERE success <> 0",
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(&read)?;

    // What this release's schema has: its tables and triggers.
    let reference = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(sqlx::sqlite::SqliteConnectOptions::from_str(
            "sqlite::memory:",
        )?)
        .await?;
    crate::MIGRATOR.run(&reference).await?;
    let objects: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT type, name, COALESCE(sql, '') FROM sqlite_master
         WHERE type IN ('table', 'trigger') ORDER BY type, name",
    )
    .fetch_all(&reference)
    .await?;
    reference.close().await;
    let mut want_tables = Vec::new();
    // (trigger, the function it calls) and (function, its body), as `migrate-to` makes them.
    let mut want_triggers: Vec<(String, String)> = Vec::new();
    let mut want_functions: Vec<(String, String)> = vec![
        ("minplan_refuse_change".into(), body_of(REFUSE_FUNCTION)),
        (
            "minplan_autoincrement".into(),
            body_of(AUTOINCREMENT_FUNCTION),
        ),
    ];
    for (kind, name, sql) in &objects {
        if kind == "table" {
            want_tables.push(pg_table_name(name));
            if sql.to_ascii_uppercase().contains("AUTOINCREMENT") {
                want_triggers.push((
                    format!("{}_autoincrement", pg_table_name(name)),
                    "minplan_autoincrement".into(),
                ));
            }
            continue;
        }
        for stmt in trigger_sql(name, sql).map_err(StoreError::BadInput)? {
            if let Some(rest) = stmt.strip_prefix("CREATE FUNCTION ") {
                let function = rest.split("()").next().unwrap_or("").trim_matches('"');
                want_functions.push((function.to_string(), body_of(&stmt)));
            } else if let Some(rest) = stmt.strip_prefix("CREATE TRIGGER ") {
                let trigger = rest.split(' ').next().unwrap_or("").trim_matches('"');
                let function = rest
                    .split("EXECUTE FUNCTION ")
                    .nth(1)
                    .and_then(|f| f.split('(').next())
                    .unwrap_or("")
                    .trim_matches('"');
                want_triggers.push((trigger.to_string(), function.to_string()));
            }
        }
    }
    let have_triggers: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT t.tgname::text, p.proname::text, t.tgenabled::text
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc p ON p.oid = t.tgfoid
         WHERE n.nspname = current_schema() AND NOT t.tgisinternal",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(&read)?;
    let have_functions: Vec<(String, String)> = sqlx::query_as(
        "SELECT p.proname::text, p.prosrc FROM pg_proc p
         JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()",
    )
    .fetch_all(&mut *tx)
    .await
    .map_err(&read)?;
    let mut protection_problems = Vec::new();
    for (trigger, function) in &want_triggers {
        match have_triggers.iter().find(|h| &h.0 == trigger) {
            None => protection_problems.push(format!("触发器 {trigger} 缺失")),
            // `O` fires in ordinary sessions, `A` always; `D` is off and `R` fires only when
            // replicating — both leave the table unprotected.
            Some((_, _, state)) if state != "O" && state != "A" => protection_problems.push(
                format!("触发器 {trigger} 已停用（ALTER TABLE … DISABLE 或 ENABLE REPLICA）"),
            ),
            Some((_, bound, _)) if bound != function => protection_problems.push(format!(
                "触发器 {trigger} 调用的函数是 {bound}，不是 {function}"
            )),
            Some(_) => {}
        }
    }
    for (function, body) in &want_functions {
        let found: Vec<&(String, String)> =
            have_functions.iter().filter(|h| &h.0 == function).collect();
        match found.as_slice() {
            [] => protection_problems.push(format!("函数 {function} 缺失")),
            [(_, src)] if src == body => {}
            [_] => protection_problems.push(format!(
                "函数 {function} 的内容与迁移时建立的不同（被改写）"
            )),
            _ => protection_problems.push(format!("函数 {function} 有多个同名版本")),
        }
    }
    let mut tables = Vec::new();
    let mut missing_tables = Vec::new();
    for t in &want_tables {
        if !present.contains(t) {
            missing_tables.push(t.clone());
            continue;
        }
        let rows: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {}", ident(t)))
            .fetch_one(&mut *tx)
            .await
            .map_err(&read)?;
        tables.push(CopiedTable {
            name: t.clone(),
            rows: rows as u64,
        });
    }
    let audit = if present.iter().any(|t| t == "audit_log") {
        let seq: i64 = if present.iter().any(|t| t == "minplan_sqlite_sequence") {
            sqlx::query_scalar(
                "SELECT COALESCE((SELECT seq FROM minplan_sqlite_sequence WHERE name = 'audit_log'), 0)",
            )
            .fetch_one(&mut *tx)
            .await
            .map_err(&read)?
        } else {
            0
        };
        let rows = read_audit(&mut tx).await?;
        audit::verify_rows(rows, seq)
    } else {
        audit::verify_rows(Vec::new(), 0)
    };
    tx.rollback().await.map_err(&read)?;
    Ok(PostgresCheck {
        target: target.to_string(),
        schema,
        schema_version,
        tables,
        missing_tables,
        protection_problems,
        audit,
    })
}

/// The body of a `CREATE FUNCTION … AS $minplan$…$minplan$` as PostgreSQL keeps it (`prosrc`).
fn body_of(create: &str) -> String {
    let first = create
        .find("$minplan$")
        .map_or(0, |i| i + "$minplan$".len());
    let last = create.rfind("$minplan$").unwrap_or(create.len()).max(first);
    create[first..last].to_string()
}
