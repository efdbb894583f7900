//! The register a review read, stored by content (migration 0030). Every saved review keeps
//! the register it was made on so that it can be replayed (`minplan reviews verify`); with a
//! county's 2,000 rights that register is megabytes of JSON, nearly all of it the same from one
//! review to the next. So each distinct entry (a right or a pending application) is stored
//! once under the SHA-256 of its JSON text, the register's list of entry digests is cut into
//! pages whose ends are chosen by the entries' own digests (content-defined, so a pending
//! application added, changed or taken out changes one page, not every page after it), each
//! distinct page is stored once, and the review lists its pages' digests: tens of bytes per
//! hundred entries instead of the entries themselves.

use crate::{Result, StoreError};
use minplan_domain::rights::MiningRight;
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

/// One entry of the register as reviews store it: its JSON text and the SHA-256 of that text.
#[derive(Debug, Clone)]
pub struct RegisterEntryText {
    /// SHA-256 of `json` (32 bytes).
    pub digest: [u8; 32],
    /// The entry, [`MiningRight`] serialised as compact JSON: the register read back is the
    /// JSON array of these texts, byte for byte what serialising the register whole gives.
    pub json: Arc<str>,
}

impl RegisterEntryText {
    /// The stored text of `right`.
    pub fn of(right: &MiningRight) -> RegisterEntryText {
        // Serialising a plain struct of strings, numbers and coordinates cannot fail; a
        // failure would store `null`, which reading the register back refuses.
        let json: Arc<str> = serde_json::to_string(right)
            .unwrap_or_else(|_| "null".into())
            .into();
        RegisterEntryText {
            digest: Sha256::digest(json.as_bytes()).into(),
            json,
        }
    }
}

/// An entry whose digest's last byte is a multiple of this ends a page: pages of 32 entries
/// on average.
const PAGE_END: u8 = 32;
/// No page is longer than this (a run of entries none of which ends a page).
const PAGE_MAX: usize = 256;

/// A page of the register: the digests of its entries, concatenated, and the digest of that.
struct Page {
    digest: [u8; 32],
    entries: Vec<u8>,
}

/// The register's entries cut into pages, in order.
fn pages(entries: &[RegisterEntryText]) -> Vec<Page> {
    let mut out = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    for e in entries {
        current.extend_from_slice(&e.digest);
        if e.digest[31] % PAGE_END == 0 || current.len() == 32 * PAGE_MAX {
            let entries = std::mem::take(&mut current);
            out.push(Page {
                digest: Sha256::digest(&entries).into(),
                entries,
            });
        }
    }
    if !current.is_empty() {
        out.push(Page {
            digest: Sha256::digest(&current).into(),
            entries: current,
        });
    }
    out
}

/// Digests of entries and pages this process has seen committed (they are never changed or
/// removed): a save writes only those not among them, instead of an `INSERT … ON CONFLICT DO
/// NOTHING` for each of a county's 2,000 entries per review.
#[derive(Clone, Default)]
pub(crate) struct StoredDigests(Arc<Mutex<Known>>);

#[derive(Default)]
struct Known {
    entries: HashSet<[u8; 32]>,
    pages: HashSet<[u8; 32]>,
}

impl std::fmt::Debug for StoredDigests {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (e, p) = self
            .0
            .lock()
            .map(|k| (k.entries.len(), k.pages.len()))
            .unwrap_or((0, 0));
        write!(f, "StoredDigests({e} entries, {p} pages)")
    }
}

/// What [`write`] added, to be marked as stored once the transaction has committed
/// ([`StoredDigests::committed`]).
pub(crate) struct Written {
    entries: Vec<[u8; 32]>,
    pages: Vec<[u8; 32]>,
}

impl StoredDigests {
    /// Marks what a committed transaction wrote as stored.
    pub(crate) fn committed(&self, w: Written) {
        let mut k = self.0.lock().unwrap_or_else(|e| e.into_inner());
        k.entries.extend(w.entries);
        k.pages.extend(w.pages);
    }
}

/// Writes the entries and pages of `register` that are not yet stored, inside `tx`. Returns
/// the register's page digests (32 bytes each, concatenated: `reviews.register_pages`) and
/// what was written.
///
/// # Errors
/// [`StoreError::Db`].
pub(crate) async fn write(
    tx: &mut sqlx::SqliteConnection,
    known: &StoredDigests,
    register: &[RegisterEntryText],
) -> Result<(Vec<u8>, Written)> {
    let pages = pages(register);
    let (entries, fresh_pages): (Vec<&RegisterEntryText>, Vec<&Page>) = {
        let k = known.0.lock().unwrap_or_else(|e| e.into_inner());
        let mut seen = HashSet::new();
        let entries = register
            .iter()
            .filter(|e| !k.entries.contains(&e.digest) && seen.insert(e.digest))
            .collect();
        let mut seen = HashSet::new();
        let fresh_pages = pages
            .iter()
            .filter(|p| !k.pages.contains(&p.digest) && seen.insert(p.digest))
            .collect();
        (entries, fresh_pages)
    };
    for e in &entries {
        sqlx::query(
            "INSERT INTO register_entries (digest, entry_json) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING",
        )
        .bind(&e.digest[..])
        .bind(&*e.json)
        .execute(&mut *tx)
        .await?;
    }
    for p in &fresh_pages {
        sqlx::query(
            "INSERT INTO register_pages (digest, entry_digests) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING",
        )
        .bind(&p.digest[..])
        .bind(&p.entries)
        .execute(&mut *tx)
        .await?;
    }
    let listed = pages.iter().flat_map(|p| p.digest).collect();
    Ok((
        listed,
        Written {
            entries: entries.iter().map(|e| e.digest).collect(),
            pages: fresh_pages.iter().map(|p| p.digest).collect(),
        },
    ))
}

/// Rows of `table` (`digest`, `column`) for the given digests, by digest.
async fn fetch<T>(
    pool: &sqlx::SqlitePool,
    table: &str,
    column: &str,
    digests: &[&[u8]],
) -> Result<HashMap<Vec<u8>, T>>
where
    T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
{
    let mut distinct = digests.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    let mut out = HashMap::with_capacity(distinct.len());
    for part in distinct.chunks(500) {
        let marks = vec!["?"; part.len()].join(",");
        let sql = format!("SELECT digest, {column} FROM {table} WHERE digest IN ({marks})");
        let mut q = sqlx::query(&sql);
        for d in part {
            q = q.bind(*d);
        }
        for row in q.fetch_all(pool).await? {
            out.insert(row.get("digest"), row.get(column));
        }
    }
    Ok(out)
}

/// The register review `id` read, from its page digests: the JSON array of its entries in
/// order.
///
/// # Errors
/// [`StoreError::Internal`] when a digest list is not whole or a page or an entry is missing
/// or unreadable (named by its place); database errors.
pub(crate) async fn read(
    pool: &sqlx::SqlitePool,
    id: i64,
    page_digests: &[u8],
) -> Result<serde_json::Value> {
    let whole = |what: &str, bytes: &[u8]| {
        if bytes.len().is_multiple_of(32) {
            Ok(())
        } else {
            Err(StoreError::Internal(format!(
                "审查记录 {id} 的{what}摘要长度为 {} 字节，不是 32 的整数倍",
                bytes.len()
            )))
        }
    };
    whole("登记簿分页", page_digests)?;
    let wanted: Vec<&[u8]> = page_digests.chunks_exact(32).collect();
    let pages: HashMap<Vec<u8>, Vec<u8>> =
        fetch(pool, "register_pages", "entry_digests", &wanted).await?;
    let mut order: Vec<&[u8]> = Vec::new();
    for (k, d) in wanted.iter().enumerate() {
        let page = pages.get(*d).ok_or_else(|| {
            StoreError::Internal(format!("审查记录 {id} 的登记簿第 {} 页缺失", k + 1))
        })?;
        whole("登记簿条目", page)?;
        order.extend(page.chunks_exact(32));
    }
    let text: HashMap<Vec<u8>, String> =
        fetch(pool, "register_entries", "entry_json", &order).await?;
    let mut out = String::with_capacity(text.values().map(|t| t.len() + 1).sum::<usize>() + 2);
    out.push('[');
    for (k, d) in order.iter().enumerate() {
        let entry = text.get(*d).ok_or_else(|| {
            StoreError::Internal(format!("审查记录 {id} 的登记簿第 {} 条缺失", k + 1))
        })?;
        if k > 0 {
            out.push(',');
        }
        out.push_str(entry);
    }
    out.push(']');
    serde_json::from_str(&out)
        .map_err(|e| StoreError::Internal(format!("审查记录 {id} 的登记簿快照无法读取：{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(k: usize) -> RegisterEntryText {
        let json: Arc<str> = format!("{{\"id\":\"C{k}\"}}").into();
        RegisterEntryText {
            digest: Sha256::digest(json.as_bytes()).into(),
            json,
        }
    }

    /// Pages end where the entries say, so an entry taken out of the middle of the register
    /// or added at its end changes the page it is in and no other.
    #[test]
    fn a_changed_entry_changes_one_page() {
        let all: Vec<RegisterEntryText> = (0..3000).map(entry).collect();
        let before = pages(&all);
        assert!(
            (40..200).contains(&before.len()),
            "about 32 entries a page: {}",
            before.len()
        );
        assert_eq!(
            before.iter().map(|p| p.entries.len()).sum::<usize>(),
            32 * 3000
        );
        assert!(before.iter().all(|p| p.entries.len() <= 32 * PAGE_MAX));
        let digests = |ps: &[Page]| ps.iter().map(|p| p.digest).collect::<HashSet<_>>();
        let mut changed = all.clone();
        changed.remove(1500);
        changed.push(entry(3000));
        let after = pages(&changed);
        let new: Vec<_> = digests(&after)
            .difference(&digests(&before))
            .copied()
            .collect();
        assert!(
            (1..=3).contains(&new.len()),
            "pages written again: {}",
            new.len()
        );
    }

    /// A run of entries none of which ends a page is cut at [`PAGE_MAX`].
    #[test]
    fn pages_are_bounded() {
        let none_ends: Vec<RegisterEntryText> = (0..100_000)
            .map(entry)
            .filter(|e| e.digest[31] % PAGE_END != 0)
            .take(600)
            .collect();
        let lens: Vec<usize> = pages(&none_ends)
            .iter()
            .map(|p| p.entries.len() / 32)
            .collect();
        assert_eq!(lens, vec![256, 256, 88]);
    }
}
