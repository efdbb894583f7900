//! Migration 0025 rebuilds `publications` to let 治理恢复基金公示 (`restoration-fund`) in: a
//! database made at the migrations before it, holding publications, their steps and the public
//! rows of a 矿业权公示, keeps every row after the rebuild, no foreign key dangles, and the
//! pool's connections enforce foreign keys afterwards.

use minplan_store::Store;
use sqlx::Row;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::borrow::Cow;

#[tokio::test]
async fn rebuild_keeps_rows_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("minplan.sqlite");
    // The schema as it stood before 0025.
    {
        let all: Migrator = sqlx::migrate!("./migrations");
        assert!(
            all.migrations.iter().any(|m| m.version == 25),
            "0025 is embedded"
        );
        let before = Migrator {
            migrations: Cow::Owned(
                all.migrations
                    .iter()
                    .filter(|m| m.version < 25)
                    .cloned()
                    .collect(),
            ),
            ..Migrator::DEFAULT
        };
        let opts = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(opts)
            .await
            .unwrap();
        before.run(&pool).await.unwrap();
        // The old CHECK refuses the new kind.
        let refused = sqlx::query(
            "INSERT INTO publications (kind, subject_key, title, payload_json, payload_sha256,
               row_count, state, created_by, created_at)
             VALUES ('restoration-fund', '2025', 't', '{}', 'x', 0, 'draft', 'a', 'b')",
        )
        .execute(&pool)
        .await;
        assert!(refused.is_err());
        for (id, kind, state) in [
            (1, "rights", "published"),
            (2, "lists", "pending"),
            (5, "inspections", "withdrawn"),
        ] {
            sqlx::query(
                "INSERT INTO publications (id, kind, subject_key, title, payload_json,
                   payload_sha256, row_count, state, created_by, created_at, approved_by,
                   approved_at, withdrawal_reason)
                 VALUES (?, ?, 'k', ?, '{}', 'sha', 3, ?, '张三', '2026-01-02T03:04:05Z',
                   '李四', '2026-01-03T00:00:00Z', '核对有误')",
            )
            .bind(id)
            .bind(kind)
            .bind(format!("标题{id}"))
            .bind(state)
            .execute(&pool)
            .await
            .unwrap();
            sqlx::query(
                "INSERT INTO publication_events (publication_id, step, actor, at)
                 VALUES (?, 'draft', '张三', '2026-01-02T03:04:05Z')",
            )
            .bind(id)
            .execute(&pool)
            .await
            .unwrap();
        }
        sqlx::query(
            "INSERT INTO public_rights (publication_id, licence_no, holder_name, name, kind,
               minerals, status) VALUES (1, 'C2310812020017130000001', '庆发建材', '庆发采石场',
               '采矿权', '建筑用花岗岩', '有效')",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }

    let store = Store::open(&path).await.unwrap();
    let pool = store.pool();
    let rows: Vec<(i64, String, String, String, Option<String>)> = sqlx::query(
        "SELECT id, kind, title, state, withdrawal_reason FROM publications ORDER BY id",
    )
    .fetch_all(pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
    .collect();
    assert_eq!(
        rows,
        vec![
            (
                1,
                "rights".into(),
                "标题1".into(),
                "published".into(),
                Some("核对有误".into())
            ),
            (
                2,
                "lists".into(),
                "标题2".into(),
                "pending".into(),
                Some("核对有误".into())
            ),
            (
                5,
                "inspections".into(),
                "标题5".into(),
                "withdrawn".into(),
                Some("核对有误".into())
            ),
        ]
    );
    let events: Vec<i64> =
        sqlx::query_scalar("SELECT publication_id FROM publication_events ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap();
    assert_eq!(events, vec![1, 2, 5]);
    let rights: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM public_rights WHERE publication_id = 1")
            .fetch_one(pool)
            .await
            .unwrap();
    assert_eq!(rights, 1);
    // No dangling reference; the indexes are back.
    let dangling = sqlx::query("PRAGMA foreign_key_check")
        .fetch_all(pool)
        .await
        .unwrap();
    assert_eq!(dangling.len(), 0);
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'publications'
         AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(
        indexes,
        vec!["publications_kind_state", "publications_subject"]
    );
    // Foreign keys are on for every connection of the pool (hold several at once).
    let mut held = Vec::new();
    for _ in 0..4 {
        let mut c = pool.acquire().await.unwrap();
        let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(on, 1);
        held.push(c);
    }
    drop(held);
    // …and enforced: a step of a publication that does not exist is refused.
    let orphan = sqlx::query(
        "INSERT INTO publication_events (publication_id, step, actor, at)
         VALUES (99, 'draft', '张三', '2026-01-02T03:04:05Z')",
    )
    .execute(pool)
    .await;
    assert!(orphan.is_err());
    // The new kind is accepted now.
    sqlx::query(
        "INSERT INTO publications (kind, subject_key, title, payload_json, payload_sha256,
           row_count, state, created_by, created_at)
         VALUES ('restoration-fund', '2025', '2025年度治理恢复基金公示', '{}', 'x', 0, 'draft',
           'a', 'b')",
    )
    .execute(pool)
    .await
    .unwrap();
    // Opening again leaves it as it is (the migration ran once).
    drop(store);
    let again = Store::open(&path).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM publications")
        .fetch_one(again.pool())
        .await
        .unwrap();
    assert_eq!(n, 4);
}
