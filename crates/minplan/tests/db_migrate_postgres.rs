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

async fn pg_exec(pg: &mut PgConnection, sql: &str) {
    sqlx::query(sql)
        .execute(&mut *pg)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn pg_i64(pg: &mut PgConnection, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(&mut *pg)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
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
    // `db check postgres://…` checks it where it is: sound, with db check's totals.
    let o = minplan(&db, &["db", "check", &pg.url, "--json"]);
    assert!(o.status.success(), "{}", out(&o));
    let pg_check: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let rows: u64 = pg_check["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["rows"].as_u64().unwrap())
        .sum();
    assert_eq!(rows, check.total_rows(), "{pg_check}");
    assert_eq!(
        pg_check["protection_problems"],
        serde_json::json!([]),
        "{pg_check}"
    );
    assert_eq!(
        pg_check["audit"]["head_hash"],
        serde_json::json!(check.audit.head_hash)
    );

    // Every table is there with SQLite's row count (sqlite_sequence becomes the sequences;
    // _sqlx_migrations is kept under its own name).
    let mut c = pg.connect().await;
    let mut compared = 0;
    for t in &check.tables {
        let name = match t.table.as_str() {
            "sqlite_sequence" => "minplan_sqlite_sequence",
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
    assert_eq!(compared, check.tables.len());
    assert!(
        text.contains(&format!(
            "{} 张表共 {} 条记录",
            check.tables.len(),
            check.total_rows()
        )),
        "the totals are db check's: {text}"
    );
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
    let last = pg_i64(
        &mut c,
        "SELECT pg_sequence_last_value(pg_get_serial_sequence('audit_log', 'id')::regclass)",
    )
    .await;
    assert_eq!(last, check.audit.last_id);

    // Counters kept by triggers were copied as they were, not bumped by the copy.
    let version = pg_i64(&mut c, "SELECT version FROM engine_inputs WHERE id = 1").await;
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
    pg_exec(
        &mut c,
        "UPDATE rights SET name = name WHERE id = (SELECT MIN(id) FROM rights)",
    )
    .await;
    let bumped = pg_i64(&mut c, "SELECT version FROM engine_inputs WHERE id = 1").await;
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
    // TRUNCATE fires no row trigger; it is refused all the same.
    let e = pg_refuses(&mut c, "TRUNCATE audit_log").await;
    assert!(e.contains("操作日志只能追加，不能删除"), "{e}");
    let e = pg_refuses(&mut c, "TRUNCATE right_events CASCADE").await;
    assert!(e.contains("right_events is append-only"), "{e}");
    // Appends go on as in SQLite: the next id given explicitly (as minplan writes), then one
    // from the identity, which follows it; the high-water mark rises with each.
    let last = check.audit.last_id;
    let append = |id: Option<i64>, tag: &str| {
        let (col, val) = id.map_or((String::new(), String::new()), |i| {
            ("id, ".into(), format!("{i}, "))
        });
        format!(
            "INSERT INTO audit_log ({col}at, actor, action, entity_type, entity_id, prev_hash, hash)
             VALUES ({val}'x', 'x', 'x', 'x', 'x', 'prev-{tag}', 'hash-{tag}') RETURNING id"
        )
    };
    let id = pg_i64(&mut c, &append(Some(last + 1), "a")).await;
    assert_eq!(id, last + 1);
    let id = pg_i64(&mut c, &append(None, "b")).await;
    assert_eq!(id, last + 2);
    let e = pg_refuses(&mut c, &append(Some(last + 2), "c")).await;
    assert!(e.contains("新记录的编号必须大于"), "{e}");
    let high = pg_i64(
        &mut c,
        "SELECT seq FROM minplan_sqlite_sequence WHERE name = 'audit_log'",
    )
    .await;
    assert_eq!(high, last + 2);
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
    pg_exec(&mut c, &add("Wang")).await;
    let e = pg_refuses(&mut c, &add("WANG")).await;
    assert!(e.contains("duplicate key"), "{e}");

    // The appends above carry made-up hashes, and a protection switched off is a finding:
    // `db check` says both and exits 1.
    pg_exec(
        &mut c,
        "ALTER TABLE right_events DISABLE TRIGGER right_events_no_delete",
    )
    .await;
    pg_exec(
        &mut c,
        "ALTER TABLE audit_log ENABLE REPLICA TRIGGER audit_log_no_update",
    )
    .await;
    sqlx::query(
        "CREATE OR REPLACE FUNCTION minplan_refuse_change() RETURNS trigger LANGUAGE plpgsql
         AS $$ BEGIN RETURN NULL; END $$",
    )
    .execute(&mut c)
    .await
    .unwrap();
    let o = minplan(&db, &["db", "check", &pg.url]);
    assert_eq!(o.status.code(), Some(1), "{}", out(&o));
    for finding in [
        "触发器 right_events_no_delete 已停用",
        "触发器 audit_log_no_update 已停用",
        "函数 minplan_refuse_change 的内容与迁移时建立的不同",
        "操作日志被篡改",
    ] {
        assert!(out(&o).contains(finding), "{finding}: {}", out(&o));
    }
    // A check that cannot run (no migrated database there) answers in JSON under --json.
    let never = PgDb::new("never").await;
    let o = minplan(&db, &["db", "check", &never.url, "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let refusal: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(refusal["checked"], false, "{refusal}");
    assert!(
        refusal["error"]
            .as_str()
            .unwrap()
            .contains("没有迁移过来的 minplan 数据库"),
        "{refusal}"
    );
    never.drop().await;
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

    // A source whose protections were removed is not this release's schema: refused.
    let bare = dir.path().join("bare.db");
    std::fs::copy(&db, &bare).unwrap();
    sqlite_exec(&bare, "DROP TRIGGER right_events_no_delete").await;
    let pg = PgDb::new("bare").await;
    let o = minplan(&bare, &["db", "migrate-to", &pg.url]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(
        out(&o).contains("表结构与本版本建立的不一致")
            && out(&o).contains("缺少触发器 right_events_no_delete"),
        "{}",
        out(&o)
    );
    assert!(pg.tables().await.is_empty(), "nothing written");
    pg.drop().await;

    // Not a PostgreSQL URL; a server over the network without TLS (this build has none).
    for (url, says) in [
        ("mysql://root@localhost/db", "postgres://"),
        ("sqlite:///tmp/x.db", "postgres://"),
        ("postgres://u@db.example.org/minplan", "明文"),
        ("postgres:///minplan?host=/tmp&sslmode=require", "TLS"),
    ] {
        let o = minplan(&db, &["db", "migrate-to", url]);
        assert_eq!(o.status.code(), Some(2), "{url}: {}", out(&o));
        assert!(out(&o).contains(says), "{url}: {}", out(&o));
    }

    // A broken audit chain: refused, unless accepted; then copied as it is. The log is edited
    // with its guard lifted and put back as it was (so the schema is the release's).
    let edited = dir.path().join("edited.db");
    std::fs::copy(&db, &edited).unwrap();
    edit_audit_log(
        &edited,
        "UPDATE audit_log SET actor = '某人' WHERE id = (SELECT MIN(id) + 3 FROM audit_log)",
    )
    .await;
    let pg = PgDb::new("edited").await;
    let o = minplan(&edited, &["db", "migrate-to", &pg.url]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    assert!(out(&o).contains("--accept-audit-problems"), "{}", out(&o));
    assert!(pg.tables().await.is_empty(), "nothing written");
    // Asked for JSON, a refusal is JSON too.
    let o = minplan(&edited, &["db", "migrate-to", &pg.url, "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", out(&o));
    let refusal: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(refusal["migrated"], false);
    assert!(
        refusal["error"]
            .as_str()
            .unwrap()
            .contains("操作日志有问题"),
        "{refusal}"
    );
    assert_eq!(migrated_with_problems(&edited, &pg.url), ["edited"]);
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

    // A log cut off at its tail (the most common tampering): the same problems in PostgreSQL,
    // so with the flag it migrates as evidence.
    let cut = dir.path().join("cut.db");
    std::fs::copy(&db, &cut).unwrap();
    edit_audit_log(
        &cut,
        "DELETE FROM audit_log WHERE id > (SELECT MAX(id) - 5 FROM audit_log)",
    )
    .await;
    let pg = PgDb::new("cut").await;
    assert_eq!(migrated_with_problems(&cut, &pg.url), ["deleted"]);
    pg.drop().await;
}

/// Migrates `db` into `url` with `--accept-audit-problems`, which must succeed; the kinds of
/// the audit problems the migration reports, as recomputed in PostgreSQL.
fn migrated_with_problems(db: &Path, url: &str) -> Vec<String> {
    let o = minplan(
        db,
        &["db", "migrate-to", url, "--accept-audit-problems", "--json"],
    );
    assert!(o.status.success(), "{}", out(&o));
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    report["audit"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap().to_string())
        .collect()
}

/// Runs `sql` on the audit log of `db` with its append-only triggers lifted, then puts them
/// back exactly as they were.
async fn edit_audit_log(db: &Path, sql: &str) {
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let triggers: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'
           AND name IN ('audit_log_no_update', 'audit_log_no_delete')",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    assert_eq!(triggers.len(), 2);
    let mut run = async |sql: &str| sqlx::query(sql).execute(&mut c).await.unwrap();
    for (name, _) in &triggers {
        run(&format!("DROP TRIGGER {name}")).await;
    }
    run(sql).await;
    for (_, create) in &triggers {
        run(create).await;
    }
    c.close().await.unwrap();
}

/// Migrated into a schema of its own (`search_path` in the URL), the triggers work from any
/// session: their functions resolve names in that schema.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a PostgreSQL server in MINPLAN_TEST_PG; .ci/run starts one (tools/pg-test-cluster.sh) and runs it with --ignored"]
async fn a_schema_of_its_own_keeps_working_from_any_session() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("minplan.db");
    scenario_db(&db).await;
    let pg = PgDb::new("schema").await;
    let mut c = pg.connect().await;
    pg_exec(&mut c, "CREATE SCHEMA suifenhe").await;
    let sep = if pg.url.contains('?') { '&' } else { '?' };
    let url = format!("{}{sep}options=-c%20search_path%3Dsuifenhe", pg.url);
    let o = minplan(&db, &["db", "migrate-to", &url]);
    assert!(o.status.success(), "{}", out(&o));
    assert!(pg.tables().await.is_empty(), "nothing in public");
    // A plain session (search_path public): the counter trigger finds its table.
    let before = pg_i64(&mut c, "SELECT version FROM suifenhe.engine_inputs").await;
    pg_exec(
        &mut c,
        "UPDATE suifenhe.rights SET name = name WHERE id = (SELECT MIN(id) FROM suifenhe.rights)",
    )
    .await;
    let after = pg_i64(&mut c, "SELECT version FROM suifenhe.engine_inputs").await;
    assert_eq!(after, before + 1);
    let e = pg_refuses(&mut c, "DELETE FROM suifenhe.audit_log").await;
    assert!(e.contains("操作日志只能追加，不能删除"), "{e}");
    drop(c);
    pg.drop().await;
}
