//! Login throttling (登录限制): failed logins are counted per username and per client address
//! within a sliding window; past the limit, further attempts are refused without checking the
//! password until the oldest counted failure leaves the window. The message says when to try
//! again, in Beijing time (UTC+8).
//!
//! Failures are kept in the table `login_failures`; a successful login clears the failures of
//! its username (not of its address, so that one valid account cannot reset an address that
//! is guessing other accounts' passwords).

use crate::{Result, Store};
use serde::Serialize;
use time::{Duration, OffsetDateTime, UtcOffset};

/// The limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Failures of one username within `window` that lock it (default 5).
    pub max_per_username: u32,
    /// Failures from one client address within `window` that lock it (default 20: offices
    /// share an address).
    pub max_per_ip: u32,
    /// The sliding window (default 15 minutes).
    pub window: Duration,
}

impl Default for ThrottlePolicy {
    fn default() -> Self {
        ThrottlePolicy {
            max_per_username: 5,
            max_per_ip: 20,
            window: Duration::minutes(15),
        }
    }
}

/// What is locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LockScope {
    /// The username.
    Username,
    /// The client address.
    Ip,
}

/// A refused login: what is locked and until when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lockout {
    /// Username or address.
    pub scope: LockScope,
    /// Attempts are accepted again from this instant (UTC).
    pub until: OffsetDateTime,
}

impl Lockout {
    /// Chinese message naming the time to retry (Beijing time) and the minutes left, from `now`.
    pub fn message(&self, now: OffsetDateTime) -> String {
        let beijing = UtcOffset::from_hms(8, 0, 0).unwrap_or(UtcOffset::UTC);
        let t = self.until.to_offset(beijing);
        let minutes = ((self.until - now).whole_seconds().max(0) + 59) / 60;
        let what = match self.scope {
            LockScope::Username => "该账号",
            LockScope::Ip => "本机地址",
        };
        format!(
            "登录失败次数过多，{what}已暂时锁定。请于北京时间 {:04}-{:02}-{:02} {:02}:{:02} 之后（约 {} 分钟后）再试。",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            minutes.max(1)
        )
    }
}

fn normalise(username: &str) -> String {
    username.trim().to_lowercase()
}

/// [`Store::login_lockout`] on a given connection (inside a transaction when reserving).
async fn lockout_on(
    conn: &mut sqlx::SqliteConnection,
    username: &str,
    ip: &str,
    now: OffsetDateTime,
    policy: &ThrottlePolicy,
) -> Result<Option<Lockout>> {
    let since = (now - policy.window).unix_timestamp();
    for (scope, column, key, max) in [
        (
            LockScope::Username,
            "username",
            normalise(username),
            policy.max_per_username,
        ),
        (LockScope::Ip, "ip", ip.to_string(), policy.max_per_ip),
    ] {
        if max == 0 {
            continue;
        }
        // The max-th most recent failure in the window: when it leaves the window, the
        // count drops below the limit.
        let nth: Option<i64> = sqlx::query_scalar(&format!(
            "SELECT at_unix FROM login_failures WHERE {column} = ? AND at_unix > ?
             ORDER BY at_unix DESC LIMIT 1 OFFSET ?"
        ))
        .bind(&key)
        .bind(since)
        .bind(i64::from(max) - 1)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(at) = nth {
            let until = OffsetDateTime::from_unix_timestamp(at)
                .unwrap_or(now)
                .saturating_add(policy.window);
            if until > now {
                return Ok(Some(Lockout { scope, until }));
            }
        }
    }
    Ok(None)
}

impl Store {
    /// Whether a login for `username` from `ip` is locked at `now`, and until when. Checks the
    /// username first, then the address.
    ///
    /// # Errors
    /// [`StoreError::Db`](crate::StoreError::Db).
    pub async fn login_lockout(
        &self,
        username: &str,
        ip: &str,
        now: OffsetDateTime,
        policy: &ThrottlePolicy,
    ) -> Result<Option<Lockout>> {
        let mut conn = self.pool.acquire().await?;
        lockout_on(&mut conn, username, ip, now, policy).await
    }

    /// Reserves one login attempt for `username` from `ip` at `now`, before the password is
    /// checked: inside one write transaction the lockout is judged and, when there is none,
    /// the attempt is recorded as a failure at once. Parallel attempts therefore queue on
    /// the database's write lock and each sees the ones before it: 60 guesses sent at once
    /// get at most the policy's number checked (issue 19, item 8). After a correct password
    /// the caller calls [`Store::login_succeeded`] with the returned id, which takes the
    /// attempt back and clears the username's failures.
    ///
    /// # Errors
    /// [`StoreError::Db`](crate::StoreError::Db).
    pub async fn reserve_login_attempt(
        &self,
        username: &str,
        ip: &str,
        now: OffsetDateTime,
        policy: &ThrottlePolicy,
    ) -> Result<std::result::Result<i64, Lockout>> {
        let mut tx = self.begin_write().await?;
        if let Some(l) = lockout_on(&mut tx, username, ip, now, policy).await? {
            return Ok(Err(l));
        }
        let id = insert_failure(&mut tx, username, ip, now).await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// After a correct password: takes back the attempt reserved by
    /// [`Store::reserve_login_attempt`] and forgets the username's failures.
    ///
    /// # Errors
    /// [`StoreError::Db`](crate::StoreError::Db).
    pub async fn login_succeeded(&self, username: &str, attempt: i64) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM login_failures WHERE id = ? OR username = ?")
            .bind(attempt)
            .bind(normalise(username))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a failed login at `now`, and forgets failures older than a day.
    ///
    /// # Errors
    /// [`StoreError::Db`](crate::StoreError::Db).
    pub async fn record_login_failure(
        &self,
        username: &str,
        ip: &str,
        now: OffsetDateTime,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        insert_failure(&mut tx, username, ip, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Forgets the failures of `username` (after it logged in).
    ///
    /// # Errors
    /// [`StoreError::Db`](crate::StoreError::Db).
    pub async fn clear_login_failures(&self, username: &str) -> Result<()> {
        sqlx::query("DELETE FROM login_failures WHERE username = ?")
            .bind(normalise(username))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// Forgets failures older than a day and records one at `now`; its row id.
async fn insert_failure(
    tx: &mut sqlx::SqliteConnection,
    username: &str,
    ip: &str,
    now: OffsetDateTime,
) -> Result<i64> {
    sqlx::query("DELETE FROM login_failures WHERE at_unix < ?")
        .bind((now - Duration::days(1)).unix_timestamp())
        .execute(&mut *tx)
        .await?;
    Ok(sqlx::query_scalar(
        "INSERT INTO login_failures (username, ip, at_unix) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(normalise(username))
    .bind(ip)
    .bind(now.unix_timestamp())
    .fetch_one(&mut *tx)
    .await?)
}
