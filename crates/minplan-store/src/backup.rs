//! Backup, restore and the check of a database file (`minplan db backup|restore|check`).
//!
//! - **Backup** ([`Store::backup_to`]) writes a consistent copy of the live database with
//!   SQLite's `VACUUM INTO` (one read transaction: writers carry on meanwhile, the copy is the
//!   database as of one instant), to a temporary file beside the destination that is checked
//!   ([`check_file`]: `PRAGMA integrity_check`, `foreign_key_check`, the audit chain) and only
//!   then renamed into place. An existing file is never overwritten.
//!   The audit chain's state is reported; a broken chain is copied as it is (the backup is
//!   evidence). A folder as destination gets `数据库备份-<Beijing time>.db`.
//! - **Restore** ([`restore`]) replaces a database file by a backup: the backup is checked
//!   first (a minplan database, made by this release or an earlier one, intact), copied beside
//!   the target as SQLite reads it (`VACUUM INTO`, so writes still in a log beside it are
//!   included), brought up to this release's schema (an older backup is migrated), checked
//!   again, and only then swapped in; the database it replaces is kept beside it with its log
//!   files as `<name>.before-restore-<Beijing time>[-n]` (a damaged one as it is). It refuses
//!   while a server holds the database ([`ServerLock`]); a restore cut short is found by
//!   [`interrupted_restore`] before anything creates an empty database in its place.
//! - **Table digests** ([`Store::table_digests`]): each table's row count and a SHA-256 over
//!   its rows in a fixed order, all read in one transaction, so that two databases can be
//!   compared table by table (a round trip, a copy into another store).

use crate::audit::{self, VerifyReport};
use crate::{Result, Store, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};
use std::path::{Path, PathBuf};

/// One table's contents in brief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableDigest {
    /// Table name.
    pub table: String,
    /// Rows.
    pub rows: u64,
    /// SHA-256 (hex) over the rows, each as its columns' SQL literals (`quote()`) in column
    /// order, the rows sorted by those literals: independent of rowids, which `VACUUM` may
    /// renumber in tables without an `INTEGER PRIMARY KEY`.
    pub sha256: String,
}

/// What [`check_file`] and [`Store::check`] found.
#[derive(Debug, Clone, Serialize)]
pub struct DatabaseCheck {
    /// The newest schema migration applied (`_sqlx_migrations`), 0 when none.
    pub schema_version: i64,
    /// `PRAGMA integrity_check` lines other than `ok` (empty: intact).
    pub integrity: Vec<String>,
    /// `PRAGMA foreign_key_check` findings, one line each (empty: none dangle).
    pub foreign_keys: Vec<String>,
    /// The audit chain ([`audit::verify`]).
    pub audit: VerifyReport,
    /// Every table's digest, by name.
    pub tables: Vec<TableDigest>,
}

impl DatabaseCheck {
    /// True when the file is intact: integrity, foreign keys and the audit chain.
    pub fn sound(&self) -> bool {
        self.integrity.is_empty() && self.foreign_keys.is_empty() && self.audit.intact()
    }

    /// Every problem found, one Chinese line each (empty when [`DatabaseCheck::sound`]).
    pub fn problems(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .integrity
            .iter()
            .map(|l| format!("数据库文件损坏（integrity_check）：{l}"))
            .collect();
        out.extend(
            self.foreign_keys
                .iter()
                .map(|l| format!("外键引用缺失：{l}")),
        );
        if !self.audit.intact() {
            out.push(self.audit.summary());
        }
        out
    }

    /// Rows in all tables.
    pub fn total_rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }
}

/// What a backup wrote.
#[derive(Debug, Clone, Serialize)]
pub struct BackupReport {
    /// The backup file.
    pub path: PathBuf,
    /// Its size, bytes.
    pub bytes: u64,
    /// The check of the written copy.
    pub check: DatabaseCheck,
    /// Half-written backups (`数据库备份-*.db.partial`) that a backup cut short had left in the
    /// destination folder, removed (only when a folder was given).
    pub cleared: Vec<String>,
}

/// What a restore did.
#[derive(Debug, Clone, Serialize)]
pub struct RestoreReport {
    /// The schema version the backup was made at (migrated to this release's when older).
    pub backup_schema_version: i64,
    /// The check of the restored database, after migration.
    pub check: DatabaseCheck,
    /// Where the database that was replaced is kept (`None` when there was none).
    pub previous_kept_as: Option<PathBuf>,
    /// Why the replaced database's log could not be folded into it (it is damaged: SQLite's
    /// message); it was kept with its log files as they were. `None`: it was sound.
    pub previous_damaged: Option<String>,
}

/// The newest migration this release knows.
pub fn schema_version() -> i64 {
    crate::MIGRATOR
        .migrations
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

impl Store {
    /// Every table's row count and content digest, read in one transaction (a consistent
    /// snapshot even while others write). SQLite's own tables other than `sqlite_sequence`
    /// are left out.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn table_digests(&self) -> Result<Vec<TableDigest>> {
        table_digests(&self.pool).await
    }

    /// Checks this database: see [`DatabaseCheck`].
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn check(&self) -> Result<DatabaseCheck> {
        check_pool(self).await
    }

    /// Writes a consistent copy of the database to `dest` (which must not exist; a folder
    /// gets a file named by the Beijing time), checked before it is put in place; see the
    /// module documentation.
    ///
    /// # Errors
    /// [`StoreError::BadInput`] when `dest` exists, its folder cannot be written, or the copy
    /// fails its check (nothing left at `dest`); [`StoreError::Db`].
    pub async fn backup_to(&self, dest: &Path) -> Result<BackupReport> {
        // A folder: the backup goes into it, named by the Beijing time.
        let named;
        let mut cleared = Vec::new();
        let dest = if dest.is_dir() {
            cleared = clear_stale_partials(dest);
            named = dest.join(format!("数据库备份-{}.db", beijing_stamp()));
            named.as_path()
        } else {
            dest
        };
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.is_dir()
        {
            return Err(StoreError::BadInput(format!(
                "备份文件夹不存在：{}（请先建立该文件夹）",
                dir.display()
            )));
        }
        if dest.exists() {
            return Err(StoreError::BadInput(format!(
                "备份文件已存在：{}（不覆盖已有文件，请换一个文件名）",
                dest.display()
            )));
        }
        // Absolute, so that SQLite never reads a name such as `file:x.db` as a URI.
        let partial = std::path::absolute(sibling(dest, ".partial")).map_err(|e| {
            StoreError::BadInput(format!("备份文件路径无效：{}：{e}", dest.display()))
        })?;
        remove_quietly(&partial);
        let path_text = partial.to_str().ok_or_else(|| {
            StoreError::BadInput(format!("备份文件路径含无法识别的字符：{}", dest.display()))
        })?;
        if let Err(e) = sqlx::query("VACUUM INTO ?")
            .bind(path_text)
            .execute(&self.pool)
            .await
        {
            remove_quietly(&partial);
            return Err(StoreError::BadInput(format!(
                "无法写入备份文件 {}：{e}",
                dest.display()
            )));
        }
        let check = match check_file(&partial).await {
            Ok(c) => c,
            Err(e) => {
                remove_quietly(&partial);
                return Err(e);
            }
        };
        if !check.integrity.is_empty() || !check.foreign_keys.is_empty() {
            remove_quietly(&partial);
            return Err(StoreError::BadInput(format!(
                "备份副本未通过检查，未写入 {}：{}",
                dest.display(),
                check.problems().join("；")
            )));
        }
        let io = |e: std::io::Error| {
            StoreError::BadInput(format!("无法写入备份文件 {}：{e}", dest.display()))
        };
        std::fs::File::open(&partial)
            .and_then(|f| f.sync_all())
            .map_err(io)?;
        // A rename does not replace on every platform, and `dest` may have appeared meanwhile.
        if dest.exists() {
            remove_quietly(&partial);
            return Err(StoreError::BadInput(format!(
                "备份文件已存在：{}（不覆盖已有文件，请换一个文件名）",
                dest.display()
            )));
        }
        std::fs::rename(&partial, dest).map_err(io)?;
        let bytes = std::fs::metadata(dest).map_err(io)?.len();
        Ok(BackupReport {
            path: dest.to_path_buf(),
            bytes,
            check,
            cleared,
        })
    }
}

/// Checks a database file without changing it (opened read-only, not migrated): integrity,
/// foreign keys, the audit chain and every table's digest.
///
/// # Errors
/// [`StoreError::BadInput`] when the file does not exist or is not a SQLite database;
/// [`StoreError::Db`].
pub async fn check_file(path: &Path) -> Result<DatabaseCheck> {
    let store = open_read_only(path).await?;
    let out = check_pool(&store).await;
    store.pool.close().await;
    out.map_err(|e| match e {
        StoreError::BadInput(m) => StoreError::BadInput(format!("{}：{m}", path.display())),
        e => e,
    })
}

/// Replaces the database at `target` by the backup at `backup`; see the module
/// documentation. Nothing at `target` changes unless every check passed. With
/// `accept_audit_problems`, a backup whose audit chain has problems (and no other) is restored
/// with them as they are — `audit verify` names them afterwards, as it did before.
///
/// # Errors
/// [`StoreError::BadInput`] naming the reason: `target` is a folder; the backup is missing, not
/// a minplan database, made by a newer release, damaged, or its audit chain broken (without
/// `accept_audit_problems`); a server holds `target`; a file cannot be written.
/// [`StoreError::Db`], [`StoreError::Migrate`].
pub async fn restore(
    backup: &Path,
    target: &Path,
    accept_audit_problems: bool,
) -> Result<RestoreReport> {
    if target.is_dir() {
        return Err(StoreError::BadInput(format!(
            "{} 是文件夹，不是数据库文件",
            target.display()
        )));
    }
    let _lock = ServerLock::acquire(target)?;
    let staged = std::path::absolute(sibling(target, ".restoring"))
        .map_err(|e| StoreError::BadInput(format!("数据库路径无效：{}：{e}", target.display())))?;
    for p in with_journals(&staged) {
        remove_quietly(&p);
    }
    let source = open_read_only(backup).await?;
    let checked = async {
        let version = known_schema(&source, backup).await?;
        let before = check_pool(&source).await?;
        let refuse = !before.integrity.is_empty()
            || !before.foreign_keys.is_empty()
            || (!before.audit.intact() && !accept_audit_problems);
        if refuse {
            let hint = if before.integrity.is_empty() && before.foreign_keys.is_empty() {
                "（确认要恢复操作日志有问题的备份时，加 --accept-audit-problems，问题照实保留在恢复后的数据库中）"
            } else {
                ""
            };
            return Err(StoreError::BadInput(format!(
                "备份文件 {} 未通过检查，未恢复：{}{hint}",
                backup.display(),
                before.problems().join("；")
            )));
        }
        // A consistent copy of the backup as SQLite reads it — its write-ahead log, if one
        // lies beside it, included (a plain file copy would leave that out).
        let text = staged.to_str().ok_or_else(|| {
            StoreError::BadInput(format!("路径含无法识别的字符：{}", staged.display()))
        })?;
        sqlx::query("VACUUM INTO ?")
            .bind(text)
            .execute(&source.pool)
            .await
            .map_err(|e| {
                StoreError::BadInput(format!("无法写入 {}：{e}", staged.display()))
            })?;
        Ok((version, before))
    }
    .await;
    source.pool.close().await;
    let (backup_schema_version, before) = match checked {
        Ok(c) => c,
        Err(e) => {
            discard(&staged);
            return Err(e);
        }
    };
    let staged_check = async {
        let store = Store::open(&staged).await?;
        let check = store.check().await?;
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&store.pool)
            .await?;
        store.pool.close().await;
        Ok::<_, StoreError>(check)
    }
    .await;
    let same_audit = |c: &DatabaseCheck| {
        c.audit.problems.len() == before.audit.problems.len() && c.audit.rows == before.audit.rows
    };
    let check = match staged_check {
        Ok(c)
            if c.sound()
                || (accept_audit_problems
                    && c.integrity.is_empty()
                    && c.foreign_keys.is_empty()
                    && same_audit(&c)) =>
        {
            c
        }
        Ok(c) => {
            discard(&staged);
            return Err(StoreError::BadInput(format!(
                "备份升级到本版本数据结构后未通过检查，未恢复：{}",
                c.problems().join("；")
            )));
        }
        Err(e) => {
            discard(&staged);
            return Err(e);
        }
    };

    let mut previous_damaged = None;
    let swapped = swap_in(&staged, target, &mut previous_damaged).await;
    if swapped.is_err() {
        discard(&staged);
    }
    let previous_kept_as = swapped?;
    Ok(RestoreReport {
        backup_schema_version,
        check,
        previous_kept_as,
        previous_damaged,
    })
}

/// Moves the database at `target` (if any, its log folded in first) aside as
/// `<name>.before-restore-<UTC time>` and the checked copy at `staged` into its place; the
/// place the old one is kept. A database whose log cannot be folded in because it is damaged
/// is moved aside all the same (with its log files), the reason put in `damaged`.
async fn swap_in(
    staged: &Path,
    target: &Path,
    damaged: &mut Option<String>,
) -> Result<Option<PathBuf>> {
    let io = |what: &Path, e: std::io::Error| {
        StoreError::BadInput(format!("无法写入 {}：{e}", what.display()))
    };
    let journals_only = !target.exists() && with_journals(target)[1..].iter().any(|p| p.exists());
    if journals_only {
        // The file is gone but its log is not: a database created here would read that log.
        *damaged = Some("数据库文件不存在，只剩其日志文件".into());
    }
    let previous_kept_as = if target.exists() || journals_only {
        // Its write-ahead log holds committed writes: fold them into the file first.
        let folded = if journals_only {
            Ok(0)
        } else {
            let current = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(SqliteConnectOptions::new().filename(target))
                .await?;
            let folded = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&current)
                .await
                .and_then(|r| r.try_get::<i64, _>(0));
            current.close().await;
            folded
        };
        let in_use = || {
            StoreError::BadInput(format!(
                "数据库 {} 正被其他程序使用，未恢复；请先停止使用它的程序",
                target.display()
            ))
        };
        match folded.map_err(StoreError::from) {
            Ok(0) => {}
            Ok(_) | Err(StoreError::Busy) => return Err(in_use()),
            // A damaged database (the usual reason to restore) cannot fold its log: it is
            // moved aside whole, log files and all, and nothing of it is lost.
            Err(e) => *damaged = Some(e.to_string()),
        }
        // A name no file has: two restores within a second keep both.
        let stamp = beijing_stamp();
        let kept = (1..)
            .map(|n| match n {
                1 => sibling(target, &format!(".before-restore-{stamp}")),
                n => sibling(target, &format!(".before-restore-{stamp}-{n}")),
            })
            .find(|k| with_journals(k).iter().all(|p| !p.exists()))
            .unwrap_or_else(|| sibling(target, ".before-restore"));
        if target.exists() {
            std::fs::rename(target, &kept).map_err(|e| io(&kept, e))?;
        }
        for (from, to) in with_journals(target)
            .into_iter()
            .zip(with_journals(&kept))
            .skip(1)
        {
            if from.exists() {
                std::fs::rename(&from, &to).map_err(|e| io(&to, e))?;
            }
        }
        Some(kept)
    } else {
        None
    };
    if let Err(e) = std::fs::rename(staged, target) {
        // Put the database back where it was.
        if let Some(kept) = &previous_kept_as {
            let _ = std::fs::rename(kept, target);
        }
        return Err(io(target, e));
    }
    for (from, to) in with_journals(staged)
        .into_iter()
        .zip(with_journals(target))
        .skip(1)
    {
        if from.exists() {
            std::fs::rename(&from, &to).map_err(|e| io(&to, e))?;
        }
    }
    sync_dir(target);
    Ok(previous_kept_as)
}

/// Makes the renames in `path`'s folder durable (Unix; elsewhere a no-op).
fn sync_dir(path: &Path) {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// A file size as people read it: KB below 1 MiB, else MB, one decimal (1 KB = 1,024 bytes).
pub fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / 1024.0 / 1024.0)
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

/// Now in Beijing time, `YYYYMMDD-HHMMSS` (file names people read).
pub fn beijing_stamp() -> String {
    (time::OffsetDateTime::now_utc() + time::Duration::hours(8))
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_default()
}

/// A restore left unfinished beside `db` when `db` itself is missing: the files it left
/// (`<db>.restoring`, `<db>.before-restore-…`), so that a program about to create a new,
/// empty database at `db` stops instead. Empty when `db` exists or nothing was left.
pub fn interrupted_restore(db: &Path) -> Vec<PathBuf> {
    if db.exists() {
        return Vec::new();
    }
    let Some(name) = db.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let dir = match db.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut left: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| {
            (n == &format!("{name}.restoring") || n.starts_with(&format!("{name}.before-restore")))
                && !n.ends_with("-wal")
                && !n.ends_with("-shm")
        })
        .map(|n| dir.join(n))
        .collect();
    left.sort();
    left
}

/// The lock a running server holds on its database (a file `<name>.lock` beside it, locked
/// by the operating system, released when the process ends however it ends), so that a
/// restore or a second server refuses instead of replacing a database under a running one.
#[derive(Debug)]
pub struct ServerLock {
    _file: std::fs::File,
    cleared: Vec<PathBuf>,
}

impl ServerLock {
    /// Takes the lock of the database at `db`, without waiting. With the lock held no restore
    /// can be running on `db`, so the copy a restore cut short left beside an existing
    /// database (`<db>.restoring` and its log files) is removed; [`ServerLock::cleared`]
    /// names what was.
    ///
    /// # Errors
    /// [`StoreError::BadInput`] when another process holds it, the lock file cannot be
    /// created, or (Unix) the database file has more than one name (a hard link): each name
    /// would get its own lock, and SQLite itself does not support it (“How To Corrupt An
    /// SQLite Database File”, §2.4).
    pub fn acquire(db: &Path) -> Result<ServerLock> {
        refuse_hard_links(db)?;
        // By the file's real path: a symbolic link to the database is the same database.
        let real = std::fs::canonicalize(db).unwrap_or_else(|_| db.to_path_buf());
        let path = sibling(&real, ".lock");
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::BadInput(format!("无法创建文件夹 {}：{e}", dir.display()))
            })?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| StoreError::BadInput(format!("无法创建锁文件 {}：{e}", path.display())))?;
        match file.try_lock() {
            Ok(()) => {
                let mut cleared = Vec::new();
                if db.is_file() {
                    for p in with_journals(&sibling(db, ".restoring")) {
                        if p.exists() && std::fs::remove_file(&p).is_ok() {
                            cleared.push(p);
                        }
                    }
                }
                Ok(ServerLock {
                    _file: file,
                    cleared,
                })
            }
            Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::BadInput(format!(
                "数据库 {} 正由另一个 minplan 服务（serve）或恢复操作使用；请先停止它",
                db.display()
            ))),
            Err(std::fs::TryLockError::Error(e)) => Err(StoreError::BadInput(format!(
                "无法锁定 {}：{e}",
                path.display()
            ))),
        }
    }
}

impl ServerLock {
    /// The files a restore cut short had left, removed when the lock was taken.
    pub fn cleared(&self) -> &[PathBuf] {
        &self.cleared
    }
}

/// Refuses a database file that has more than one name (Unix: its link count).
#[cfg(unix)]
fn refuse_hard_links(db: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(db) {
        Ok(m) if m.is_file() && m.nlink() > 1 => Err(StoreError::BadInput(format!(
            "数据库文件 {} 另有 {} 个硬链接（同一文件的其他名字）。通过不同名字打开同一数据库时，\
             两个程序可能同时改写它，SQLite 不支持这样使用；请删除多余的硬链接，只保留一个文件名\
             （ls -li 可以看到编号相同的文件）",
            db.display(),
            m.nlink() - 1
        ))),
        _ => Ok(()),
    }
}

/// Windows reports no link count through the standard library; hard links to a database are
/// not checked there.
#[cfg(not(unix))]
fn refuse_hard_links(_db: &Path) -> Result<()> {
    Ok(())
}

/// A backup file left half-written (`*.partial`) this long ago is stale: no backup
/// writes one for nearly this long without touching it.
const STALE_PARTIAL: std::time::Duration = std::time::Duration::from_secs(6 * 3600);

/// Removes the half-written backups (`数据库备份-*.db.partial`, with any log file beside it)
/// a backup cut short left in `dir` (last written at least [`STALE_PARTIAL`] ago, so that one
/// being written by another server sharing the folder is left alone); returns their names.
fn clear_stale_partials(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with("数据库备份-") && name.contains(".db.partial")) {
            continue;
        }
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= STALE_PARTIAL);
        if stale && std::fs::remove_file(entry.path()).is_ok() {
            removed.push(name);
        }
    }
    removed.sort();
    removed
}

/// `path` with `suffix` added to its file name.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// The database file and its `-wal` and `-shm` companions.
fn with_journals(path: &Path) -> [PathBuf; 3] {
    [
        path.to_path_buf(),
        sibling(path, "-wal"),
        sibling(path, "-shm"),
    ]
}

fn remove_quietly(path: &Path) {
    let _ = std::fs::remove_file(path);
}

fn discard(staged: &Path) {
    for p in with_journals(staged) {
        remove_quietly(&p);
    }
}

/// A store on `path` opened read-only, not migrated.
pub(crate) async fn open_read_only(path: &Path) -> Result<Store> {
    if !path.is_file() {
        return Err(StoreError::BadInput(format!(
            "找不到数据库文件：{}",
            path.display()
        )));
    }
    let opts = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .foreign_keys(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(opts)
        .await?;
    let probe: std::result::Result<i64, sqlx::Error> =
        sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master")
            .fetch_one(&pool)
            .await;
    if let Err(e) = probe {
        pool.close().await;
        let header = std::fs::File::open(path).and_then(|mut f| {
            let mut h = [0u8; 16];
            std::io::Read::read_exact(&mut f, &mut h).map(|_| h)
        });
        return Err(StoreError::BadInput(match header {
            Ok(h) if &h == b"SQLite format 3\0" => {
                format!("数据库文件 {} 已损坏，无法读取（{e}）", path.display())
            }
            _ => format!("{} 不是 SQLite 数据库文件（{e}）", path.display()),
        }));
    }
    Ok(Store {
        pool,
        stored_digests: Default::default(),
    })
}

/// The schema version of a minplan database, refused when it is not one or when it holds a
/// migration this release does not know (a newer release made it) or one that differs.
pub(crate) async fn known_schema(store: &Store, path: &Path) -> Result<i64> {
    let has: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')
            AND EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_log')",
    )
    .fetch_one(&store.pool)
    .await?;
    if !has {
        return Err(StoreError::BadInput(format!(
            "{} 不是 minplan 数据库（缺少数据结构版本表或操作日志表）",
            path.display()
        )));
    }
    let applied: Vec<(i64, Vec<u8>, bool)> =
        sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&store.pool)
            .await?;
    for (version, checksum, success) in &applied {
        let known = crate::MIGRATOR
            .migrations
            .iter()
            .find(|m| m.version == *version);
        match known {
            None => {
                return Err(StoreError::BadInput(format!(
                    "{} 由更新版本的程序生成（数据结构版本 {version:04}，本版本最高为 {:04}），不能用本版本恢复",
                    path.display(),
                    schema_version()
                )));
            }
            Some(m) if m.checksum.as_ref() != checksum.as_slice() => {
                return Err(StoreError::BadInput(format!(
                    "{} 的数据结构版本 {version:04} 与本版本的不一致，不能恢复",
                    path.display()
                )));
            }
            Some(_) if !success => {
                return Err(StoreError::BadInput(format!(
                    "{} 的数据结构版本 {version:04} 未完成迁移，不能恢复",
                    path.display()
                )));
            }
            Some(_) => {}
        }
    }
    Ok(applied.last().map(|a| a.0).unwrap_or(0))
}

pub(crate) async fn check_pool(store: &Store) -> Result<DatabaseCheck> {
    if !has_table(&store.pool, "audit_log").await? {
        return Err(StoreError::BadInput(
            "不是 minplan 数据库（缺少操作日志表）".into(),
        ));
    }
    let integrity: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_all(&store.pool)
        .await?
        .into_iter()
        .filter(|l: &String| l != "ok")
        .collect();
    let foreign_keys: Vec<String> = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(&store.pool)
        .await?
        .iter()
        .map(|r| {
            let table: String = r.try_get(0).unwrap_or_default();
            let rowid: Option<i64> = r.try_get(1).unwrap_or(None);
            let parent: String = r.try_get(2).unwrap_or_default();
            format!(
                "表 {table} 第 {} 行引用的 {parent} 记录不存在",
                rowid.map_or_else(|| "?".into(), |r| r.to_string())
            )
        })
        .collect();
    let schema_version: i64 = if has_table(&store.pool, "_sqlx_migrations").await? {
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations")
            .fetch_one(&store.pool)
            .await?
    } else {
        0
    };
    let audit = audit::verify(store).await?;
    let tables = table_digests(&store.pool).await?;
    Ok(DatabaseCheck {
        schema_version,
        integrity,
        foreign_keys,
        audit,
        tables,
    })
}

async fn has_table(pool: &SqlitePool, name: &str) -> Result<bool> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)",
    )
    .bind(name)
    .fetch_one(pool)
    .await?)
}

async fn table_digests(pool: &SqlitePool) -> Result<Vec<TableDigest>> {
    use futures_util::TryStreamExt;
    let mut tx = pool.begin().await?;
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table'
           AND (name NOT LIKE 'sqlite\\_%' ESCAPE '\\' OR name = 'sqlite_sequence')
         ORDER BY name",
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut out = Vec::with_capacity(names.len());
    for table in names {
        let quoted = quote_ident(&table);
        let columns: Vec<String> = sqlx::query(&format!("PRAGMA table_info({quoted})"))
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get::<String, _>("name"))
            .collect::<std::result::Result<_, _>>()?;
        let row_text = columns
            .iter()
            .map(|c| format!("quote({})", quote_ident(c)))
            .collect::<Vec<_>>()
            .join(" || char(31) || ");
        let sql = format!("SELECT {row_text} AS r FROM {quoted} ORDER BY 1");
        let mut hash = Sha256::new();
        let mut rows = 0u64;
        let mut stream = sqlx::query_scalar::<_, String>(&sql).fetch(&mut *tx);
        while let Some(r) = stream.try_next().await.map_err(|e| match e {
            sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_) => StoreError::BadInput(
                format!("表 {table} 中有文字不是有效的 UTF-8 编码，无法读取（{e}）"),
            ),
            e => StoreError::from(e),
        })? {
            hash.update((r.len() as u64).to_le_bytes());
            hash.update(r.as_bytes());
            rows += 1;
        }
        drop(stream);
        out.push(TableDigest {
            table,
            rows,
            sha256: hash.finalize().iter().map(|b| format!("{b:02x}")).collect(),
        });
    }
    tx.commit().await?;
    Ok(out)
}

/// An SQL identifier in double quotes.
fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The file name of the automatic backup of `date` (`YYYY-MM-DD`, Beijing):
/// `数据库备份-YYYYMMDD.db`.
pub fn daily_backup_name(date: &str) -> String {
    format!("数据库备份-{}.db", date.replace('-', ""))
}

/// One file of the backup folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupFile {
    /// File name.
    pub name: String,
    /// Size, bytes.
    pub bytes: u64,
    /// The day it was made (`YYYY-MM-DD`), from its name.
    pub date: String,
}

/// The automatic backups in `dir` (files named as [`daily_backup_name`]), newest first.
/// Other files are left out and never touched.
///
/// # Errors
/// [`StoreError::BadInput`] when the folder cannot be read (a missing folder is empty).
pub fn daily_backups(dir: &Path) -> Result<Vec<BackupFile>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(StoreError::BadInput(format!(
                "无法读取备份文件夹 {}：{e}",
                dir.display()
            )));
        }
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(digits) = name
            .strip_prefix("数据库备份-")
            .and_then(|r| r.strip_suffix(".db"))
            .filter(|d| d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        let date = format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]);
        let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        out.push(BackupFile { name, bytes, date });
    }
    out.sort_by(|a, b| b.name.cmp(&a.name));
    Ok(out)
}

/// What [`Store::daily_backup`] did.
#[derive(Debug, Clone, Serialize)]
pub struct DailyBackup {
    /// The backup written, `None` when the day's backup was already there.
    pub written: Option<BackupReport>,
    /// Older automatic backups removed to keep `keep` of them.
    pub removed: Vec<String>,
    /// Half-written backups a backup cut short had left in the folder, removed.
    pub cleared: Vec<String>,
}

impl Store {
    /// The automatic backup of `date` (`YYYY-MM-DD`, Beijing) into `dir` (created when
    /// missing), written once a day as [`Store::backup_to`] writes it
    /// ([`daily_backup_name`]); then the oldest automatic backups beyond the newest `keep`
    /// (at least 1) are removed. Files of other names in `dir` are never touched.
    ///
    /// # Errors
    /// As [`Store::backup_to`]; [`StoreError::BadInput`] when the folder cannot be created,
    /// read or an old backup cannot be removed.
    pub async fn daily_backup(&self, dir: &Path, date: &str, keep: usize) -> Result<DailyBackup> {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::BadInput(format!("无法创建备份文件夹 {}：{e}", dir.display()))
        })?;
        let cleared = clear_stale_partials(dir);
        let path = dir.join(daily_backup_name(date));
        let written = if path.exists() {
            None
        } else {
            Some(self.backup_to(&path).await?)
        };
        let mut removed = Vec::new();
        for old in daily_backups(dir)?.into_iter().skip(keep.max(1)) {
            std::fs::remove_file(dir.join(&old.name))
                .map_err(|e| StoreError::BadInput(format!("无法删除旧备份 {}：{e}", old.name)))?;
            removed.push(old.name);
        }
        Ok(DailyBackup {
            written,
            removed,
            cleared,
        })
    }
}
