//! A database written by an earlier release (tests/data/previous-release/release-f5e1956.sql:
//! schema 0001–0025, five years of the Suifenhe scenario and a row in every table that
//! release had, made as its .md says) is brought up to this release's schema — by opening it
//! and by `minplan db restore` of it as a backup — without losing or changing anything: every
//! table keeps its rows, every table whose columns the later migrations left alone keeps its
//! exact contents, the audit chain verifies with the same head, the six saved reviews replay
//! to their stored results, the accounts log in with their passwords, and the next write
//! continues the chain.

use minplan_store::backup::{self, TableDigest, check_file, restore};
use minplan_store::{Actor, NewUser, Role, Store, audit};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const NEWEST_AUDIT_ID: i64 = 183;
const NEWEST_AUDIT_HASH: &str = "9ab71c1e9ed81afe46c43c80e9e71a3c4ee1476bf8984858e5810a5dcd2f72f0";

/// The fixture loaded into a new file at `path`, as that release left it.
async fn load_fixture(path: &Path) {
    let sql = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/previous-release/release-f5e1956.sql"),
    )
    .unwrap();
    use sqlx::Connection;
    let opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let mut c = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
    sqlx::raw_sql(&sql).execute(&mut c).await.unwrap();
    c.close().await.unwrap();
}

fn by_table(d: Vec<TableDigest>) -> BTreeMap<String, TableDigest> {
    d.into_iter().map(|t| (t.table.clone(), t)).collect()
}

async fn columns(path: &Path) -> BTreeMap<String, Vec<String>> {
    use sqlx::{Connection, Row};
    let opts = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .read_only(true);
    let mut c = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(&mut c)
            .await
            .unwrap();
    let mut out = BTreeMap::new();
    for t in tables {
        let cols = sqlx::query(&format!("PRAGMA table_info(\"{t}\")"))
            .fetch_all(&mut c)
            .await
            .unwrap()
            .iter()
            .map(|r| r.get::<String, _>("name"))
            .collect();
        out.insert(t, cols);
    }
    c.close().await.unwrap();
    out
}

/// Everything the earlier release stored is there, unchanged, in `upgraded`.
async fn assert_kept(old: &Path, upgraded: &Path) {
    let before = check_file(old).await.unwrap();
    assert_eq!(before.schema_version, 25);
    assert!(before.sound(), "{:?}", before.problems());
    let after = check_file(upgraded).await.unwrap();
    assert!(after.sound(), "{:?}", after.problems());
    assert_eq!(after.schema_version, backup::schema_version());
    assert!(after.schema_version >= 30);

    let (old_cols, new_cols) = (columns(old).await, columns(upgraded).await);
    let (b, a) = (by_table(before.tables), by_table(after.tables));
    // Every table of that release had rows (the fixture fills them all).
    assert!(b.len() >= 70, "{}", b.len());
    let mut unchanged = 0;
    for (table, old) in &b {
        let new = a
            .get(table)
            .unwrap_or_else(|| panic!("table {table} is gone"));
        assert!(old.rows > 0, "{table} is empty in the fixture");
        if table == "_sqlx_migrations" {
            // One row per migration applied: the later ones added.
            assert_eq!(new.rows as i64, backup::schema_version(), "{table}");
            continue;
        }
        assert_eq!(new.rows, old.rows, "{table}: rows");
        if old_cols[table] == new_cols[table] {
            assert_eq!(new.sha256, old.sha256, "{table}: contents changed");
            unchanged += 1;
        }
    }
    // Most tables are untouched by migrations 0026–0030; the test is not vacuous.
    assert!(unchanged >= 60, "{unchanged}");

    assert_eq!(after.audit.rows, NEWEST_AUDIT_ID as u64);
    assert_eq!(after.audit.head_hash.as_deref(), Some(NEWEST_AUDIT_HASH));
}

/// The business of the upgraded database, read through this release's store.
async fn assert_business(store: &Store) {
    let expected = [
        (1, "SFH-2021-001", "基本符合（需人工核查）"),
        (2, "SFH-2022-001", "符合"),
        (3, "SFH-2023-001", "不符合"),
        (4, "SFH-2023-002", "符合"),
        (5, "SFH-2026-001", "符合"),
        (6, "SFH-2026-004", "不符合"),
    ];
    for (id, number, conclusion) in expected {
        let record = store.review_record(id).await.unwrap();
        assert_eq!(record.summary.application_number, number);
        assert_eq!(record.summary.conclusion, conclusion, "review {id}");
        let replay = store.replay_review(&record, None).await.unwrap();
        assert!(
            replay.matches(),
            "review {id} ({number}): {:?}",
            replay.differences
        );
    }
    let mut licences: Vec<String> = store
        .list_rights()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    licences.sort();
    assert_eq!(
        licences,
        [
            "C2310812018010005",
            "C2310812021060001",
            "C2310812022050002",
            "C2310812023070003",
            "T23108120190400001"
        ]
    );
    let users = store.list_users().await.unwrap();
    assert_eq!(users.len(), 7);
    let shenpi = store
        .verify_password("shenpi", "Sfh#Spk-2026b")
        .await
        .unwrap()
        .expect("shenpi logs in with the password it had");
    assert_eq!((shenpi.id, shenpi.role), (2, Role::Approval));
    assert!(
        store
            .verify_password("shenpi", "Sfh#Spk-2026")
            .await
            .unwrap()
            .is_none(),
        "the password changed before the upgrade stays changed"
    );
    assert!(users.iter().any(|u| u.username == "linshi" && u.disabled));

    // The next write continues the chain from the earlier release's head.
    store
        .add_user(
            &NewUser {
                username: "xinren".into(),
                display_name: "升级后新建".into(),
                role: Role::Planning,
                credit_code: None,
            },
            "Kuangchan-2025!",
            &Actor::System,
        )
        .await
        .unwrap();
    let report = audit::verify(store).await.unwrap();
    assert!(report.intact(), "{}", report.summary());
    assert_eq!(report.rows, NEWEST_AUDIT_ID as u64 + 1);
}

fn fixture_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("release-f5e1956.db");
    (dir, old)
}

#[tokio::test(flavor = "multi_thread")]
async fn opening_a_database_of_the_earlier_release_migrates_it_and_keeps_everything() {
    let (dir, old) = fixture_dir();
    load_fixture(&old).await;
    let upgraded = dir.path().join("minplan.db");
    std::fs::copy(&old, &upgraded).unwrap();
    let store = Store::open(&upgraded).await.unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(store.pool())
        .await
        .unwrap();
    assert_kept(&old, &upgraded).await;
    assert_business(&store).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn restoring_a_backup_of_the_earlier_release_upgrades_it() {
    let (dir, old) = fixture_dir();
    load_fixture(&old).await;
    // The county's current database, to be replaced by the old backup.
    let target = dir.path().join("minplan.db");
    let current = Store::open(&target).await.unwrap();
    current
        .seed_if_empty(&minplan_store::default_bundle())
        .await
        .unwrap();
    current.pool().close().await;

    let report = restore(&old, &target, false).await.unwrap();
    assert_eq!(report.backup_schema_version, 25);
    assert!(report.check.sound());
    assert!(
        report
            .previous_kept_as
            .as_ref()
            .is_some_and(|p| p.is_file())
    );
    assert_kept(&old, &target).await;
    let store = Store::open(&target).await.unwrap();
    assert_business(&store).await;
}
