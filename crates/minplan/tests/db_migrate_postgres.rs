//! `minplan db migrate-to postgres://…` as an operator runs it: the real binary copies a
//! database holding five years of the Suifenhe scenario into an empty PostgreSQL database.
//! The test then reads PostgreSQL itself: every table's row count and the audit chain's hashes
//! equal SQLite's, the append-only tables refuse UPDATE and DELETE there too, and a refused
//! migration (a target that is not empty, a value that does not fit, a broken audit chain)
//! leaves the target as it was.
//!
//! Needs a PostgreSQL server: `MINPLAN_TEST_PG` is the URL of a database whose user may
//! `CREATE DATABASE` (`tools/pg-test-cluster.sh start DIR` starts a private one and prints
//! it). `.ci/run` starts one and runs these with `--ignored`.

mod scenario;

use minplan_store::Store;
use sqlx::{Connection, PgConnection};
use std::path::Path;
use std::process::{Command, Output};

fn minplan(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(db)
        .args(args)
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

/// A fresh, empty PostgreSQL database for one test, dropped when it ends.
struct PgDb {
    admin_url: String,
    name: String,
    url: String,
}

impl PgDb {
    async fn new(tag: &str) -> PgDb {
        let admin_url = std::env::var("MINPLAN_TEST_PG").expect(
            "MINPLAN_TEST_PG is not set: start a server with tools/pg-test-cluster.sh start DIR",
        );
        let name = format!("minplan_test_{tag}_{}", std::process::id());
        let mut admin = PgConnection::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .await
            .unwrap();
        let (head, query) = admin_url.split_once('?').unwrap_or((&admin_url, ""));
        let (prefix, _) = head.rsplit_once('/').unwrap();
        let url = if query.is_empty() {
            format!("{prefix}/{name}")
        } else {
            format!("{prefix}/{name}?{query}")
        };
        PgDb {
            admin_url,
            name,
            url,
        }
    }

    async fn connect(&self) -> PgConnection {
        PgConnection::connect(&self.url).await.unwrap()
    }

    async fn tables(&self) -> Vec<String> {
        sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = 'public' ORDER BY 1",
        )
        .fetch_all(&mut self.connect().await)
        .await
        .unwrap()
    }

    async fn drop(self) {
        let mut admin = PgConnection::connect(&self.admin_url).await.unwrap();
        sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(&mut admin)
        .await
        .unwrap();
    }
}

async fn scenario_db(db: &Path) {
    let store = Store::open(db).await.unwrap();
    scenario::build(&store).await;
    store.pool().close().await;
}

async fn sqlite_exec(db: &Path, sql: &str) {
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    sqlx::query(sql).execute(&mut c).await.unwrap();
    c.close().await.unwrap();
}

/// The error PostgreSQL gives for `sql`, which must fail.
async fn pg_refuses(pg: &mut PgConnection, sql: &str) -> String {
    match sqlx::query(sql).execute(&mut *pg).await {
        Ok(done) => panic!("{sql} was accepted ({} rows)", done.rows_affected()),
        Err(e) => e.to_string(),
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a PostgreSQL server in MINPLAN_TEST_PG; .ci/run starts one (tools/pg-test-cluster.sh) and runs it with --ignored"]
async fn a_county_database_migrates_whole_and_stays_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minplan.db");
    scenario_db(&db).await;
    let check = minplan_store::backup::check_file(&db).await.unwrap();
    assert!(check.sound(), "{:?}", check.problems());
    let pg = PgDb::new("whole").await;

    let o = minplan(&db, &["db", "migrate-to", &pg.url]);
    assert!(o.status.success(), "{}", out(&o));
    let text = out(&o);
    assert!(text.contains("逐表读回核对一致"), "{text}");
    assert!(text.contains("操作日志完整"), "{text}");

    // Every table is there with SQLite's row count (sqlite_sequence becomes the sequences;
    // _sqlx_migrations is kept under its own name).
    let mut c = pg.connect().await;
    let mut compared = 0;
    for t in &check.tables {
        let name = match t.table.as_str() {
            "sqlite_sequence" => continue,
            "_sqlx_migrations" => "minplan_sqlite_migrations",
            other => other,
        };
        let rows: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM \"{name}\""))
            .fetch_one(&mut c)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(rows as u64, t.rows, "{name}");
        compared += 1;
    }
    assert_eq!(compared, check.tables.len() - 1);
    assert!(
        check
            .tables
            .iter()
            .any(|t| t.table == "reviews" && t.rows > 0)
            && check
                .tables
                .iter()
                .any(|t| t.table == "right_events" && t.rows > 0)
    );

    // The audit chain: the same hashes in the same order, and the same head.
    let sqlite_hashes: Vec<String> = {
        let mut s = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        sqlx::query_scalar("SELECT hash FROM audit_log ORDER BY id")
            .fetch_all(&mut s)
            .await
            .unwrap()
    };
    let pg_hashes: Vec<String> = sqlx::query_scalar("SELECT hash FROM audit_log ORDER BY id")
        .fetch_all(&mut c)
        .await
        .unwrap();
    assert!(sqlite_hashes.len() > 30, "{}", sqlite_hashes.len());
    assert_eq!(pg_hashes, sqlite_hashes);
    assert_eq!(
        Some(pg_hashes.last().unwrap().clone()),
        check.audit.head_hash
    );
    // The identity sequence continues after the highest id ever used.
    let last: i64 = sqlx::query_scalar(
        "SELECT pg_sequence_last_value(pg_get_serial_sequence('audit_log', 'id')::regclass)",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert_eq!(last, check.audit.last_id);

    // Counters kept by triggers were copied as they were, not bumped by the copy.
    let version: i64 = sqlx::query_scalar("SELECT version FROM engine_inputs WHERE id = 1")
        .fetch_one(&mut c)
        .await
        .unwrap();
    let sqlite_version: i64 = {
        let mut s = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
            .await
            .unwrap();
        sqlx::query_scalar("SELECT version FROM engine_inputs WHERE id = 1")
            .fetch_one(&mut s)
            .await
            .unwrap()
    };
    assert_eq!(version, sqlite_version);
    // … and still kept in PostgreSQL.
    sqlx::query("UPDATE rights SET name = name WHERE id = (SELECT MIN(id) FROM rights)")
        .execute(&mut c)
        .await
        .unwrap();
    let bumped: i64 = sqlx::query_scalar("SELECT version FROM engine_inputs WHERE id = 1")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(bumped, version + 1);

    // The append-only tables refuse changes in PostgreSQL as in SQLite, with their message.
    let e = pg_refuses(&mut c, "UPDATE audit_log SET actor = '某人' WHERE id = 1").await;
    assert!(e.contains("操作日志只能追加，不能修改"), "{e}");
    let e = pg_refuses(&mut c, "DELETE FROM audit_log WHERE id = 1").await;
    assert!(e.contains("操作日志只能追加，不能删除"), "{e}");
    let e = pg_refuses(&mut c, "DELETE FROM right_events").await;
    assert!(e.contains("right_events is append-only"), "{e}");
    let e = pg_refuses(&mut c, "UPDATE right_events SET seq = seq").await;
    assert!(e.contains("right_events is append-only"), "{e}");
    // A row that reuses an id the log has had.
    let e = pg_refuses(
        &mut c,
        "INSERT INTO audit_log (id, at, actor, action, entity_type, entity_id, prev_hash, hash)
         VALUES (1, 'x', 'x', 'x', 'x', 'x', 'x', 'x')",
    )
    .await;
    assert!(e.contains("新记录的编号必须大于"), "{e}");
    // Constraints came along: a CHECK and a foreign key.
    let e = pg_refuses(&mut c, "UPDATE engine_inputs SET id = 2").await;
    assert!(e.contains("check constraint"), "{e}");
    let e = pg_refuses(
        &mut c,
        "UPDATE reviews SET application_number = '无此申请' WHERE id = (SELECT MIN(id) FROM reviews)",
    )
    .await;
    assert!(e.contains("foreign key"), "{e}");
    // The account name stays unique whatever its case (COLLATE NOCASE in SQLite).
    let add = |name: &str| {
        format!(
            "INSERT INTO users (username, display_name, role, password_hash, created_at)
             VALUES ('{name}', '王科长', 'admin', 'x', '2026-12-08T00:00:00Z')"
        )
    };
    sqlx::query(&add("Wang")).execute(&mut c).await.unwrap();
    let e = pg_refuses(&mut c, &add("WANG")).await;
    assert!(e.contains("duplicate key"), "{e}");
    drop(c);

    // A second migration into the same database is refused and changes nothing.
    let before = pg.tables().await;
    let o = minplan(&db, &["db", "migrate-to", &pg.url]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(
        out(&o).contains("已有") && out(&o).contains("不覆盖"),
        "{}",
        out(&o)
    );
    assert_eq!(pg.tables().await, before);
    pg.drop().await;
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a PostgreSQL server in MINPLAN_TEST_PG; .ci/run starts one (tools/pg-test-cluster.sh) and runs it with --ignored"]
async fn a_value_that_does_not_fit_or_a_broken_chain_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minplan.db");
    scenario_db(&db).await;

    // Text where the column is an integer (SQLite keeps it; PostgreSQL cannot).
    let odd = dir.path().join("odd.db");
    std::fs::copy(&db, &odd).unwrap();
    sqlite_exec(
        &odd,
        "UPDATE applications SET latest_review_id = '第一次' WHERE number = (SELECT MIN(number) FROM applications)",
    )
    .await;
    let pg = PgDb::new("odd").await;
    let o = minplan(&odd, &["db", "migrate-to", &pg.url]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let text = out(&o);
    assert!(
        text.contains("表 applications")
            && text.contains("number=")
            && text.contains("字段 latest_review_id")
            && text.contains("值是 文字")
            && text.contains("BIGINT"),
        "{text}"
    );
    assert!(pg.tables().await.is_empty(), "nothing written");
    pg.drop().await;

    // A broken audit chain: refused, unless accepted; then copied as it is.
    let edited = dir.path().join("edited.db");
    std::fs::copy(&db, &edited).unwrap();
    sqlite_exec(&edited, "DROP TRIGGER audit_log_no_update").await;
    sqlite_exec(
        &edited,
        "UPDATE audit_log SET actor = '某人' WHERE id = (SELECT MIN(id) + 3 FROM audit_log)",
    )
    .await;
    let pg = PgDb::new("edited").await;
    let o = minplan(&edited, &["db", "migrate-to", &pg.url]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("--accept-audit-problems"), "{}", out(&o));
    assert!(pg.tables().await.is_empty(), "nothing written");
    let o = minplan(
        &edited,
        &[
            "db",
            "migrate-to",
            &pg.url,
            "--accept-audit-problems",
            "--json",
        ],
    );
    assert!(o.status.success(), "{}", out(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let problems = report["audit"]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{report}");
    assert_eq!(problems[0]["kind"], "edited", "{report}");
    let mut c = pg.connect().await;
    let actor: String = sqlx::query_scalar(
        "SELECT actor FROM audit_log WHERE id = (SELECT MIN(id) + 3 FROM audit_log)",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert_eq!(actor, "某人");
    drop(c);
    pg.drop().await;
}
