//! WAL checkpoints off the write path, for the long-running server.
//!
//! SQLite copies the write-ahead log back into the database file (a checkpoint, with its
//! fsyncs) from inside the commit that takes the log past 1 000 pages (“autocheckpoint”): the
//! transaction that happens to cross the line waits for it, and in the server that is a saved
//! review holding the write lock. [`Store::open_for_server`] turns the automatic checkpoint
//! off on the server's connections and runs a PASSIVE checkpoint from a background task
//! instead (PASSIVE: it copies what no reader still needs and never blocks a writer; the
//! log is reused from the start once a checkpoint has copied all of it). Commands that run
//! and end (the CLI) keep SQLite's automatic checkpoint; closing the last connection
//! checkpoints as well.

use crate::{Result, Store};
use std::path::Path;
use std::time::Duration;

/// How often the server checkpoints the log (measured in BENCHMARKS.md, “保存审查”).
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(500);

impl Store {
    /// [`Store::open`] for the server: the automatic checkpoint is off on every connection
    /// and a background task checkpoints the log every `interval` (use
    /// [`CHECKPOINT_INTERVAL`]) until the store's connections are closed. Must be called
    /// inside a tokio runtime.
    ///
    /// # Errors
    /// As [`Store::open`].
    pub async fn open_for_server(path: &Path, interval: Duration) -> Result<Store> {
        let store = Store::open_with(path, true).await?;
        let pool = store.pool.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(interval).await;
                if pool.is_closed() {
                    break;
                }
                if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&pool)
                    .await
                {
                    if pool.is_closed() {
                        break;
                    }
                    tracing::warn!(error = %e, "WAL checkpoint failed; retried later");
                }
            }
        });
        Ok(store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `mib` MiB in one transaction and returns the database file's size then.
    async fn write_and_measure(store: &Store, path: &Path, mib: usize) -> u64 {
        sqlx::query("CREATE TABLE IF NOT EXISTS filler (b BLOB)")
            .execute(&store.pool)
            .await
            .unwrap();
        let mut tx = store.pool.begin().await.unwrap();
        for _ in 0..mib * 4 {
            sqlx::query("INSERT INTO filler (b) VALUES (randomblob(262144))")
                .execute(&mut *tx)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        std::fs::metadata(path).unwrap().len()
    }

    /// The server's connections do not checkpoint when they commit: 8 MiB (2 000 pages, past
    /// SQLite's 1 000-page automatic checkpoint) stay in the log.
    #[tokio::test]
    async fn a_server_commit_does_not_checkpoint() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let store = Store::open_for_server(&path, Duration::from_secs(3600))
            .await
            .unwrap();
        let before = std::fs::metadata(&path).unwrap().len();
        let after = write_and_measure(&store, &path, 8).await;
        assert_eq!(
            after, before,
            "the database file grew: a commit checkpointed"
        );
        let wal = std::fs::metadata(path.with_extension("db-wal"))
            .unwrap()
            .len();
        assert!(wal > 8 << 20, "{wal}");
    }

    /// The background task copies the log into the database file.
    #[tokio::test]
    async fn the_background_task_checkpoints() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let store = Store::open_for_server(&path, Duration::from_millis(20))
            .await
            .unwrap();
        write_and_measure(&store, &path, 8).await;
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while std::fs::metadata(&path).unwrap().len() < 8 << 20 {
            assert!(std::time::Instant::now() < deadline, "never checkpointed");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// A command's store keeps SQLite's automatic checkpoint: the same commit copies the log
    /// into the file.
    #[tokio::test]
    async fn a_command_commit_checkpoints() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.db");
        let store = Store::open(&path).await.unwrap();
        let after = write_and_measure(&store, &path, 8).await;
        assert!(after >= 8 << 20, "{after}");
    }
}
