//! `minplan db backup|restore|check` as an operator runs them: the real binary on a database
//! holding five years of the Suifenhe scenario. A backup restores to exactly the database it
//! was taken from (every table compared by its rows), and every way a restore could replace a
//! good database by a bad one, or one under a running server, is refused with the database
//! left as it was.

mod scenario;

use minplan_store::Store;
use minplan_store::backup::{ServerLock, TableDigest, check_file};
use std::path::Path;
use std::process::{Command, Output};

fn minplan(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("MINPLAN_PASSWORD")
        .env("USER", "tester")
        .output()
        .expect("run minplan")
}

fn out(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

async fn digests(db: &Path) -> Vec<TableDigest> {
    let check = check_file(db).await.unwrap();
    assert!(check.sound(), "{:?}", check.problems());
    check.tables
}

/// The databases a restore kept beside `db` (`<name>.before-restore-…`, without their logs).
fn kept_databases(db: &Path) -> Vec<std::path::PathBuf> {
    let prefix = format!(
        "{}.before-restore-",
        db.file_name().unwrap().to_string_lossy()
    );
    let mut out: Vec<_> = std::fs::read_dir(db.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with(&prefix) && !n.ends_with("-wal") && !n.ends_with("-shm")
        })
        .collect();
    out.sort();
    out
}

fn by_name<'a>(d: &'a [TableDigest], table: &str) -> &'a TableDigest {
    d.iter().find(|t| t.table == table).unwrap()
}

/// A database with the scenario in it, closed (as a bureau's file between sessions).
async fn scenario_db(db: &Path) {
    let store = Store::open(db).await.unwrap();
    scenario::build(&store).await;
    store.pool().close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn backup_then_restore_gives_back_every_table() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minplan.db");
    scenario_db(&db).await;
    let taken = digests(&db).await;
    // The scenario reaches the register, reviews, reports and the audit trail.
    for table in [
        "plan_versions",
        "rights",
        "reviews",
        "annual_reports",
        "audit_log",
    ] {
        assert!(by_name(&taken, table).rows > 0, "{table} is empty");
    }

    let backup = dir.path().join("备份 2026-12-07.db");
    let o = minplan(&db, &["db", "backup", backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("已备份到"), "{}", out(&o));
    assert_eq!(digests(&backup).await, taken, "the backup is the database");
    assert!(!dir.path().join("备份 2026-12-07.db.partial").exists());

    // Work goes on after the backup: an account is added.
    let o = Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(&db)
        .args([
            "user",
            "add",
            "--role",
            "approval",
            "wangwu",
            "--password-stdin",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(b"Kuangchan-2025!\n")?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(o.status.success(), "{}", out(&o));
    let after = digests(&db).await;
    assert_eq!(
        by_name(&after, "users").rows,
        by_name(&taken, "users").rows + 1
    );

    let o = minplan(&db, &["db", "restore", backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("原数据库已保留为"), "{text}");
    assert_eq!(digests(&db).await, taken, "restored table by table");

    // The database it replaced is kept, with the account added after the backup.
    let kept = kept_databases(&db);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(digests(&kept[0]).await, after);

    let o = minplan(&db, &["audit", "verify"]);
    assert!(o.status.success(), "{}", out(&o));
    let o = minplan(&db, &["db", "check"]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("检查通过"), "{}", out(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_backups_and_a_running_server_are_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minplan.db");
    scenario_db(&db).await;
    let backup = dir.path().join("b.db");
    let o = minplan(&db, &["db", "backup", backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));
    let taken = digests(&db).await;
    let backup_bytes = std::fs::read(&backup).unwrap();

    // A backup never overwrites a file.
    let o = minplan(&db, &["db", "backup", backup.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("备份文件已存在"), "{}", out(&o));
    assert_eq!(std::fs::read(&backup).unwrap(), backup_bytes);

    // A server holds the database: no restore under it.
    {
        let _server = ServerLock::acquire(&db).unwrap();
        let o = minplan(&db, &["db", "restore", backup.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", out(&o));
        assert!(out(&o).contains("正由另一个 minplan 服务"), "{}", out(&o));
        // Nor a second server.
        assert!(ServerLock::acquire(&db).is_err());
    }

    // Not a database.
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "这不是数据库\n".repeat(100)).unwrap();
    let o = minplan(&db, &["db", "restore", text.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("不是 SQLite 数据库文件"), "{}", out(&o));
    // Checking it is a finding (exit 1, as for any problem), not a failure to run (2) …
    let o = minplan(&db, &["db", "check", text.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    assert!(
        out(&o).contains("数据库有问题") && out(&o).contains("notes.db"),
        "{}",
        out(&o)
    );
    // … which a missing file is.
    let o = minplan(
        &db,
        &[
            "db",
            "check",
            dir.path().join("无此文件.db").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("找不到数据库文件"), "{}", out(&o));

    // A SQLite file that is not minplan's.
    let other = dir.path().join("other.db");
    exec(&other, "CREATE TABLE t (x INTEGER)").await;
    let o = minplan(&db, &["db", "restore", other.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("不是 minplan 数据库"), "{}", out(&o));

    // A backup whose audit trail was edited (its append-only trigger dropped first).
    let edited = dir.path().join("edited.db");
    std::fs::copy(&backup, &edited).unwrap();
    exec(&edited, "DROP TRIGGER IF EXISTS audit_log_no_update").await;
    exec(
        &edited,
        "UPDATE audit_log SET actor = '某人' WHERE id = (SELECT MIN(id) FROM audit_log)",
    )
    .await;
    let o = minplan(&db, &["db", "check", edited.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    let o = minplan(&db, &["db", "restore", edited.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("未通过检查"), "{}", out(&o));

    // A backup made by a newer release (a migration this one does not know).
    let newer = dir.path().join("newer.db");
    std::fs::copy(&backup, &newer).unwrap();
    exec(
        &newer,
        "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
         VALUES (9999, 'future', '2030-01-01 00:00:00', 1, x'00', 0)",
    )
    .await;
    let o = minplan(&db, &["db", "restore", newer.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("由更新版本的程序生成"), "{}", out(&o));

    // Every refusal left the database as it was, and left no file behind.
    assert_eq!(digests(&db).await, taken);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.contains("before-restore") || n.contains(".restoring")),
        "{names:?}"
    );
}

async fn exec(db: &Path, sql: &str) {
    use sqlx::Connection;
    let opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(db)
        .create_if_missing(true);
    let mut c = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
    sqlx::query(sql).execute(&mut c).await.unwrap();
    c.close().await.unwrap();
}

/// `minplan serve --backup-dir`: the day's backup is written at start (checked, the same
/// database); a second `serve` on the same database is refused by name while the first runs,
/// and a restore too; once the server has stopped, the restore of that automatic backup goes
/// through.
#[tokio::test(flavor = "multi_thread")]
async fn serve_writes_the_daily_backup_and_holds_the_database() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minplan.db");
    scenario_db(&db).await;
    let backups = dir.path().join("备份");
    let mut server = Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(&db)
        .args(["serve", "--listen", "127.0.0.1:0", "--backup-keep", "3"])
        .arg("--backup-dir")
        .arg(&backups)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(server.stdout.take().unwrap());
    let mut started = String::new();
    let mut line = String::new();
    while stdout.read_line(&mut line).unwrap() > 0 {
        started.push_str(&line);
        if line.contains("按 Ctrl+C 停止") {
            break;
        }
        line.clear();
    }
    assert!(
        started.contains("自动备份：每天写入") && started.contains("保留最近 3 份"),
        "{started}"
    );
    let today = minplan_store::today().to_string();
    let file = backups.join(minplan_store::backup::daily_backup_name(&today));
    let mut waited = 0;
    while !file.exists() && waited < 200 {
        std::thread::sleep(std::time::Duration::from_millis(50));
        waited += 1;
    }
    assert!(file.exists(), "no daily backup {}", file.display());

    // One server per database.
    let second = Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(&db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(2), "{}", out(&second));
    assert!(
        out(&second).contains("正由另一个 minplan 服务"),
        "{}",
        out(&second)
    );
    let o = minplan(&db, &["db", "restore", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));

    server.kill().unwrap();
    server.wait().unwrap();
    // The backup is the database (the server wrote its daily audit head after it, so compare
    // the tables other than the audit trail's).
    let in_backup = digests(&file).await;
    let live = digests(&db).await;
    for t in &in_backup {
        if t.table != "audit_log" && t.table != "sqlite_sequence" {
            assert_eq!(t, by_name(&live, &t.table));
        }
    }
    let o = minplan(&db, &["db", "restore", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));
    assert_eq!(digests(&db).await, in_backup);
}

/// The usual reason to restore: the database file is damaged. Its log cannot be folded in, so
/// it is moved aside whole and the backup restored; what was there is kept as it was.
#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_database_is_replaced_and_kept_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minplan.db");
    scenario_db(&db).await;
    let backup = dir.path().join("b.db");
    let o = minplan(&db, &["db", "backup", backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));
    let taken = digests(&backup).await;
    // Pages in the middle of the file overwritten (a failing disk, a copy cut short).
    let mut bytes = std::fs::read(&db).unwrap();
    let len = bytes.len();
    for b in &mut bytes[4096..len / 2] {
        *b = 0x5a;
    }
    std::fs::write(&db, &bytes).unwrap();
    let o = minplan(&db, &["db", "check"]);
    assert_ne!(o.status.code(), Some(0), "{}", out(&o));

    let o = minplan(&db, &["db", "restore", backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("原数据库已损坏"), "{}", out(&o));
    assert_eq!(digests(&db).await, taken);
    let kept = kept_databases(&db);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read(&kept[0]).unwrap(), bytes, "kept as it was");
}

/// What an operator's trial found, each now handled: a backup whose newest writes are still
/// in its write-ahead log; a database folder holding only a log; two restores in one second;
/// a restore cut short; a backup whose audit trail has problems, restored on purpose; an
/// automatic-backup folder that cannot be written; a backup made into a folder.
#[tokio::test(flavor = "multi_thread")]
async fn the_operators_edge_cases() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minplan.db");
    scenario_db(&db).await;

    // A backup source whose newest account is only in its log (a program has it open).
    let live = Store::open(&db).await.unwrap();
    live.add_user(
        &minplan_store::NewUser {
            username: "zai_rizhi".into(),
            display_name: "只在日志中".into(),
            role: minplan_store::Role::Planning,
            credit_code: None,
        },
        "Kuangchan-2025!",
        &minplan_store::Actor::System,
    )
    .await
    .unwrap();
    assert!(dir.path().join("minplan.db-wal").exists());
    let copy = dir.path().join("copy.db");
    let o = minplan(&copy, &["db", "restore", db.to_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));
    let restored = Store::open(&copy).await.unwrap();
    assert!(
        restored.user_by_name("zai_rizhi").await.unwrap().is_some(),
        "the log's account is restored"
    );
    restored.pool().close().await;
    live.pool().close().await;

    // Only a log where the database was: moved aside, the backup restored and readable.
    let bare = dir.path().join("bare.db");
    std::fs::write(dir.path().join("bare.db-wal"), vec![7u8; 8192]).unwrap();
    let o = minplan(&bare, &["db", "restore", copy.to_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(out(&o).contains("只剩其日志文件"), "{}", out(&o));
    let junk_kept = std::fs::read_dir(dir.path()).unwrap().any(|e| {
        let e = e.unwrap();
        let n = e.file_name().to_string_lossy().into_owned();
        n.starts_with("bare.db.before-restore-")
            && n.ends_with("-wal")
            && std::fs::read(e.path()).unwrap() == vec![7u8; 8192]
    });
    assert!(junk_kept, "the leftover log is kept aside as it was");
    let o = minplan(&bare, &["db", "check"]);
    assert!(o.status.success(), "{}", out(&o));

    // Two restores in the same second keep both replaced databases.
    for _ in 0..2 {
        let o = minplan(&bare, &["db", "restore", copy.to_str().unwrap()]);
        assert!(o.status.success(), "{}", out(&o));
    }
    let kept = kept_databases(&bare).len();
    assert_eq!(kept, 2, "each replaced database kept under its own name");

    // A restore cut short between its renames: no new empty database in its place.
    let cut = dir.path().join("cut.db");
    std::fs::copy(&copy, dir.path().join("cut.db.restoring")).unwrap();
    let o = minplan(&cut, &["user", "list"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("恢复可能中断了"), "{}", out(&o));
    assert!(!cut.exists(), "no empty database created");

    // A backup whose audit trail has problems: refused, then restored when asked to, the
    // problems kept for audit verify to name.
    let edited = dir.path().join("edited.db");
    std::fs::copy(&copy, &edited).unwrap();
    exec(&edited, "DROP TRIGGER IF EXISTS audit_log_no_update").await;
    exec(&edited, "UPDATE audit_log SET actor = '某人' WHERE id = 3").await;
    let target = dir.path().join("t.db");
    let o = minplan(&target, &["db", "restore", edited.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("--accept-audit-problems"), "{}", out(&o));
    let o = minplan(
        &target,
        &[
            "db",
            "restore",
            "--accept-audit-problems",
            edited.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    let o = minplan(&target, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));

    // Backups into a folder, and into a folder that is not there.
    let folder = dir.path().join("备份");
    std::fs::create_dir(&folder).unwrap();
    let o = minplan(&db, &["db", "backup", folder.to_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));
    let made: Vec<_> = std::fs::read_dir(&folder).unwrap().collect();
    assert_eq!(made.len(), 1);
    let name = made[0]
        .as_ref()
        .unwrap()
        .file_name()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("数据库备份-") && name.ends_with(".db"),
        "{name}"
    );
    let o = minplan(
        &db,
        &[
            "db",
            "backup",
            dir.path().join("没有/b.db").to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("备份文件夹不存在"), "{}", out(&o));

    // An automatic-backup folder that cannot be written stops the server at start.
    let file = dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(&db)
        .args(["serve", "--listen", "127.0.0.1:0", "--backup-dir"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("自动备份文件夹"), "{}", out(&o));
}

/// A second name for the database file (a hard link) would get its own lock, so a server and a
/// restore could both hold "their" database: it is refused, naming the file. The copy a restore
/// cut short left beside an existing database is removed when the lock is next taken.
#[cfg(unix)]
#[tokio::test]
async fn hard_links_are_refused_and_an_interrupted_restores_copy_is_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minplan.db");
    scenario_db(&db).await;
    let backup = dir.path().join("b.db");
    let o = minplan(&db, &["db", "backup", backup.to_str().unwrap()]);
    assert!(o.status.success(), "{}", out(&o));

    let link = dir.path().join("另一个名字.db");
    std::fs::hard_link(&db, &link).unwrap();
    let refused = ServerLock::acquire(&link).unwrap_err().to_string();
    assert!(
        refused.contains("另有 1 个硬链接") && refused.contains("另一个名字.db"),
        "{refused}"
    );
    assert!(
        ServerLock::acquire(&db).is_err(),
        "the first name is refused too"
    );
    let o = minplan(&link, &["db", "restore", backup.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("硬链接"), "{}", out(&o));
    std::fs::remove_file(&link).unwrap();

    // A restore killed before its swap left its checked copy beside the database.
    let staged = dir.path().join("minplan.db.restoring");
    std::fs::copy(&backup, &staged).unwrap();
    std::fs::write(dir.path().join("minplan.db.restoring-wal"), b"").unwrap();
    let lock = ServerLock::acquire(&db).unwrap();
    let mut cleared: Vec<String> = lock
        .cleared()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    cleared.sort();
    assert_eq!(
        cleared,
        ["minplan.db.restoring", "minplan.db.restoring-wal"]
    );
    assert!(!staged.exists());
    drop(lock);
    // With no database there, the copy is what `interrupted_restore` reports instead: kept.
    let gone = dir.path().join("无库.db");
    let staged = dir.path().join("无库.db.restoring");
    std::fs::copy(&backup, &staged).unwrap();
    let lock = ServerLock::acquire(&gone).unwrap();
    assert!(lock.cleared().is_empty() && staged.exists());
}
