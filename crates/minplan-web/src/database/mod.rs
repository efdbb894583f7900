//! 数据库备份 (系统管理员): download a consistent backup of the whole database while the
//! server runs, see the automatic daily backups (`serve --backup-dir`), and check the database
//! (file integrity, foreign keys, the audit chain, every table's rows). The work is [`minplan_store::backup`]; restoring is the command line's
//! (`minplan db restore`), since it replaces the database under the server, which must be
//! stopped first. Page `/admin/database`; download `POST /admin/database/backup`.

use crate::AppState;
use crate::http::auth::{actor, policy};
use crate::http::download::attachment;
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use minplan_store::backup::DatabaseCheck;
use minplan_store::{AuditEntry, StoreError};
use std::collections::HashMap;

/// The routes of 数据库备份.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/admin/database", get(page))
        .route("/admin/database/backup", post(download))
}

#[derive(Template)]
#[template(path = "database.html")]
struct DatabasePage {
    layout: Layout,
    /// Whether the check was asked for (`?check=1`); it reads every table.
    checked: bool,
    sound: bool,
    problems: Vec<String>,
    audit_summary: String,
    schema_version: i64,
    total_rows: u64,
    tables: usize,
    /// The automatic backups' folder and how many are kept, when set (`serve --backup-dir`).
    auto_dir: Option<String>,
    auto_keep: usize,
    /// The automatic backups in that folder, newest first.
    backups: Vec<BackupLine>,
    /// The folder could not be read: why.
    backups_error: Option<String>,
    /// How this server's latest automatic backup run went.
    last_run: Option<OutcomeLine>,
}

/// The latest automatic backup run as the page shows it.
struct OutcomeLine {
    /// Beijing date and time.
    at: String,
    /// The file written; `None` when the day's backup was already there.
    written: Option<String>,
    /// Why it failed.
    failed: Option<String>,
}

/// An automatic backup as the page lists it.
struct BackupLine {
    name: String,
    date: String,
    size: String,
}

/// `GET /admin/database[?check=1]`: the backup button, and with `check=1` the check of the
/// database.
pub async fn page(
    State(st): State<AppState>,
    _: RequireRole<policy::ManageDatabase>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let checked = q.get("check").is_some_and(|v| v == "1");
    let check: Option<DatabaseCheck> = if checked {
        Some(st.store.check().await?)
    } else {
        None
    };
    let auto = st.config().backup.clone();
    let (backups, backups_error) = match &auto {
        Some(a) => match minplan_store::backup::daily_backups(&a.dir) {
            Ok(list) => (
                list.into_iter()
                    .map(|b| BackupLine {
                        date: crate::http::words::date_zh(&b.date),
                        size: minplan_store::backup::size_text(b.bytes),
                        name: b.name,
                    })
                    .collect(),
                None,
            ),
            Err(e) => (Vec::new(), Some(e.to_string())),
        },
        None => (Vec::new(), None),
    };
    let page = DatabasePage {
        layout: layout(&sp, "database"),
        checked,
        sound: check.as_ref().is_some_and(DatabaseCheck::sound),
        problems: check
            .as_ref()
            .map(DatabaseCheck::problems)
            .unwrap_or_default(),
        audit_summary: check
            .as_ref()
            .map(|c| c.audit.summary().lines().next().unwrap_or("").to_string())
            .unwrap_or_default(),
        schema_version: check.as_ref().map_or(0, |c| c.schema_version),
        total_rows: check.as_ref().map_or(0, DatabaseCheck::total_rows),
        tables: check.as_ref().map_or(0, |c| c.tables.len()),
        auto_dir: auto.as_ref().map(|a| a.dir.display().to_string()),
        auto_keep: auto.as_ref().map_or(0, |a| a.keep),
        backups,
        backups_error,
        last_run: st.auto_backup_outcome().map(|o| OutcomeLine {
            at: crate::http::words::beijing(&o.at),
            written: o.result.clone().ok().flatten(),
            failed: o.result.err(),
        }),
    };
    Ok(Html(page.render()?).into_response())
}

/// `POST /admin/database/backup`: a backup file of the whole database as a download
/// (`数据库备份-YYYYMMDD-HHMMSS.db`, Beijing time), written and checked by
/// [`minplan_store::Store::backup_to`] in a temporary folder first; audited (`db.backup`).
///
/// # Errors
/// 500 with the store's Chinese message when the copy cannot be written or fails its check.
pub async fn download(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageDatabase>,
) -> Result<Response, AppError> {
    let dir = tempfile::tempdir()
        .map_err(|e| AppError::Store(StoreError::Internal(format!("无法创建临时文件夹：{e}"))))?;
    let path = dir.path().join("backup.db");
    let report = st.store.backup_to(&path).await?;
    // Streamed from the file (a county's database is hundreds of megabytes); the temporary
    // folder goes when the stream has been sent or dropped.
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|e| AppError::Store(StoreError::Internal(format!("无法读取备份文件：{e}"))))?;
    let stream = {
        use futures_util::StreamExt;
        tokio_util::io::ReaderStream::with_capacity(file, 256 * 1024).map(move |chunk| {
            let _keep = &dir;
            chunk
        })
    };
    let stamp = minplan_store::backup::beijing_stamp();
    st.store
        .audit_record(&AuditEntry {
            actor: &actor(&user),
            action: "db.backup",
            entity_type: "database",
            entity_id: stamp.clone(),
            before: None,
            after: Some(serde_json::json!({
                "bytes": report.bytes,
                "tables": report.check.tables.len(),
                "rows": report.check.total_rows(),
                "audit_head": report.check.audit.head_hash,
            })),
        })
        .await?;
    let mut resp = attachment(
        Vec::new(),
        "application/vnd.sqlite3",
        &format!("数据库备份-{stamp}.db"),
        &format!("backup-{stamp}.db"),
    );
    *resp.body_mut() = axum::body::Body::from_stream(stream);
    if let Ok(v) = axum::http::HeaderValue::from_str(&report.bytes.to_string()) {
        resp.headers_mut()
            .insert(axum::http::header::CONTENT_LENGTH, v);
    }
    Ok(resp)
}

/// The day's automatic backup ([`minplan_store::Store::daily_backup`]) when the server was
/// started with `--backup-dir`; run by [`crate::serve`] at start and hourly. The outcome is
/// logged and kept for this page ([`AppState::auto_backup_outcome`]), so that a backup that
/// fails after start (a full disk, a folder gone) is seen by the administrator.
pub async fn run_daily_backup(st: &AppState) {
    let Some(b) = st.config().backup.clone() else {
        return;
    };
    let today = st.today().to_string();
    let result = match st.store.daily_backup(&b.dir, &today, b.keep).await {
        Ok(done) => {
            if let Some(w) = &done.written {
                tracing::info!(path = %w.path.display(), bytes = w.bytes, "daily backup written");
            }
            for r in &done.removed {
                tracing::info!(file = %r, "old daily backup removed");
            }
            for r in &done.cleared {
                tracing::info!(file = %r, "half-written backup of an interrupted run removed");
            }
            Ok(done.written.map(|w| {
                w.path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default()
            }))
        }
        Err(e) => {
            tracing::error!(error = %e, "the daily backup failed");
            Err(e.to_string())
        }
    };
    let at = time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    st.set_auto_backup_outcome(crate::AutoBackupOutcome { at, result });
}
