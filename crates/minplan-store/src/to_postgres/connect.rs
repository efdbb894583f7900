//! Reaching PostgreSQL for `db migrate-to` and `db check postgres://…`: which URLs are
//! accepted (PostgreSQL only; no unencrypted network connection unless asked for), PostgreSQL's
//! errors in an operator's words, and the audit log read back.

use crate::audit::{self, AuditRow};
use crate::{Result, StoreError};
use sqlx::postgres::PgConnectOptions;
use std::str::FromStr;

/// The connection options of a PostgreSQL URL and the target as a message names it (database
/// and host, never the password).
///
/// # Errors
/// [`StoreError::BadInput`]: not a `postgres://` / `postgresql://` URL, not parseable, or an
/// unencrypted connection over the network ([`refuse_unencrypted`]).
pub(super) fn options(url: &str) -> Result<(PgConnectOptions, String)> {
    let scheme_ok = ["postgres://", "postgresql://"].iter().any(|p| {
        url.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p))
    });
    if !scheme_ok {
        return Err(StoreError::BadInput(
            "须是 PostgreSQL 地址，以 postgres:// 或 postgresql:// 开头（如 postgres:///数据库?host=/run/postgresql）"
                .into(),
        ));
    }
    let opts = PgConnectOptions::from_str(url).map_err(|e| {
        StoreError::BadInput(format!(
            "无法识别的 PostgreSQL 地址（应为 postgres://用户@主机/数据库）：{}",
            pg_words(&e)
        ))
    })?;
    refuse_unencrypted(url, &opts)?;
    let target = format!(
        "{}（{}）",
        opts.get_database().unwrap_or("默认数据库"),
        opts.get_socket()
            .map(|s| s.display().to_string())
            .unwrap_or_else(|| format!("{}:{}", opts.get_host(), opts.get_port()))
    );
    Ok((opts, target))
}

/// This build has no TLS: a server reached over the network would get the password and every
/// row in clear. Refused unless the server is on this machine (a Unix socket, `localhost`,
/// a loopback address) or the URL says `sslmode=disable` (a network the bureau trusts); a URL
/// asking for TLS is refused.
pub(super) fn refuse_unencrypted(url: &str, opts: &PgConnectOptions) -> Result<()> {
    let query = url
        .split_once('?')
        .map_or("", |(_, q)| q)
        .to_ascii_lowercase();
    let mode = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("sslmode="))
        .unwrap_or("");
    if matches!(mode, "require" | "verify-ca" | "verify-full") {
        return Err(StoreError::BadInput(
            "本程序不含 TLS 加密连接，不能按 sslmode 要求加密连接；请在数据库服务器本机通过 Unix 套接字迁移（postgres:///数据库?host=/run/postgresql），或经 SSH 隧道连接".into(),
        ));
    }
    let local = opts.get_socket().is_some()
        || matches!(opts.get_host(), "localhost" | "127.0.0.1" | "::1" | "[::1]")
        || opts.get_host().starts_with('/');
    if !local && mode != "disable" {
        return Err(StoreError::BadInput(format!(
            "目标服务器 {} 不在本机，而本程序不含 TLS：连接不加密，密码和全部数据将以明文经过网络。请在数据库服务器本机迁移或经 SSH 隧道连接；确认网络可信时，在地址后加 sslmode=disable",
            opts.get_host()
        )));
    }
    Ok(())
}

/// A PostgreSQL error in words an operator acts on (the server's own text kept after it).
pub(super) fn pg_words(e: &sqlx::Error) -> String {
    let hint = match e {
        sqlx::Error::Database(d) => match d.code().as_deref() {
            Some("3D000") => "目标数据库不存在，请先建立（CREATE DATABASE）",
            Some("28000") | Some("28P01") => "用户名或密码不对，或服务器不允许该用户连接",
            Some("42501") => "该用户没有所需权限（建表、建函数等）",
            Some("3F000") => "模式不存在或未选定（search_path）",
            Some("22021") => "数据库的字符编码不能保存这些文字（请用 UTF8 编码的数据库）",
            Some("23505") => "有重复的值违反唯一约束",
            Some("23502") => "有必填字段为空",
            _ => "",
        },
        sqlx::Error::Io(_) => "无法连接服务器（服务器未运行，或主机、端口、套接字路径不对）",
        sqlx::Error::Configuration(_) => "地址的写法有误",
        _ => "",
    };
    if hint.is_empty() {
        e.to_string()
    } else {
        format!("{hint}（{e}）")
    }
}

pub(super) fn pg_err(what: &str) -> impl Fn(sqlx::Error) -> StoreError + '_ {
    move |e| StoreError::BadInput(format!("{what}：{}", pg_words(&e)))
}

/// The audit log's rows in id order, from PostgreSQL.
pub(super) async fn read_audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Postgres>,
) -> Result<Vec<AuditRow>> {
    Ok(sqlx::query(
        "SELECT id, at, actor, action, entity_type, entity_id, before_json, after_json,
                prev_hash, hash FROM audit_log ORDER BY id",
    )
    .fetch_all(&mut **tx)
    .await
    .map_err(pg_err("无法读取 PostgreSQL 中的操作日志"))?
    .iter()
    .map(audit::row_from)
    .collect())
}
