//! The login sessions' store: the database's `tower_sessions` table (migration 0002), with
//! the records this server has read or written kept in memory, so that a request of a
//! logged-in user does not read its session row again (with a county loaded, each statement
//! is a round trip to SQLite's connection thread, and every API call and page is one of a
//! logged-in user).
//!
//! The database stays the truth: every create, save and delete is written there first and
//! only then to memory, and a record not in memory (after a restart, or evicted) is read
//! there. Sessions are written by this server only (the CLI does not touch them; disabling an
//! account or changing a password ends its sessions through the account check of every
//! request, `auth::Backend::get_user`, which still reads the database). One server process per
//! database is assumed: a second `minplan serve` on the same file would not see the first's
//! logouts in its memory until the session expires.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions_sqlx_store::SqliteStore;

/// How many sessions are kept in memory at most; beyond that the expired ones are dropped
/// first, then all (they are read from the database again when used).
const MAX_CACHED: usize = 10_000;

/// Sessions in the database, the ones in use kept in memory (see the module's documentation).
#[derive(Debug, Clone)]
pub struct CachedSessions {
    db: SqliteStore,
    cache: Arc<Mutex<HashMap<Id, Record>>>,
}

impl CachedSessions {
    /// Sessions in `db`, nothing in memory yet.
    pub fn new(db: SqliteStore) -> CachedSessions {
        CachedSessions {
            db,
            cache: Arc::default(),
        }
    }

    /// Keeps `record` in memory.
    fn remember(&self, record: &Record) {
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if cache.len() >= MAX_CACHED && !cache.contains_key(&record.id) {
            let now = time::OffsetDateTime::now_utc();
            cache.retain(|_, r| r.expiry_date > now);
            if cache.len() >= MAX_CACHED {
                cache.clear();
            }
        }
        cache.insert(record.id, record.clone());
    }

    /// Forgets session `id`.
    fn forget(&self, id: &Id) {
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(id);
    }

    /// The record of `id` in memory: `Some(None)` when it is there and has expired (the
    /// database would not give it either), `None` when it is not there.
    fn recall(&self, id: &Id) -> Option<Option<Record>> {
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        let record = cache.get(id)?;
        if record.expiry_date > time::OffsetDateTime::now_utc() {
            return Some(Some(record.clone()));
        }
        cache.remove(id);
        Some(None)
    }
}

#[async_trait::async_trait]
impl SessionStore for CachedSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // The database picks a fresh id on a collision.
        self.db.create(record).await?;
        self.remember(record);
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.db.save(record).await?;
        self.remember(record);
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        if let Some(known) = self.recall(id) {
            return Ok(known);
        }
        let record = self.db.load(id).await?;
        if let Some(r) = &record {
            self.remember(r);
        }
        Ok(record)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        // Forgotten first: a request in between reads the database (the row still there) and
        // is as if it came just before the logout.
        self.forget(id);
        self.db.delete(id).await?;
        self.forget(id);
        Ok(())
    }
}
