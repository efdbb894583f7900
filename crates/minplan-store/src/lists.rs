//! The lists the web pages page through — 矿业权, 审查记录, 申请 — filtered, sorted and cut
//! into pages in SQL: a page of 50 out of 5,000 rights reads 50 rows (and counts the rest).
//! Sorting is by a named column with the key as the stable secondary order; searching is a
//! case-insensitive substring of the listed fields (`%`, `_` and `\` taken literally).
//! The annual-report list is computed from the replayed register
//! ([`Store::report_statuses`]) and filtered by its caller.

use crate::records::{ApplicationRecord, RightRecord};
use crate::reviews::ReviewSummary;
use crate::{Result, Store};
use sqlx::Row;

/// Rows `offset..offset + limit` of a list; `None` = every matching row (an export).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Rows to skip.
    pub offset: u64,
    /// Rows to return.
    pub limit: u64,
}

/// Filters and order of the 矿业权 list. Empty strings filter nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RightQuery {
    /// Text in 许可证号, 名称, 矿业权人, 统一社会信用代码 or 矿种.
    pub q: String,
    /// 探矿权 / 采矿权.
    pub kind: String,
    /// 有效 / 已过期 / 已注销 …
    pub status: String,
    /// One mineral among the right's minerals.
    pub mineral: String,
    /// 审批级别.
    pub approval: String,
    /// 开采方式 (露天, 地下, …) as the register states it.
    pub mining_method: String,
    /// 所在县区.
    pub sub_unit: String,
    /// Only this holder's rights (a 矿山企业 account's own).
    pub credit_code: Option<String>,
    /// Sort key: `id`, `name`, `holder`, `kind`, `status`, `minerals`, `capacity`,
    /// `valid_to`; anything else sorts by `id`.
    pub sort: String,
    /// Descending.
    pub desc: bool,
}

/// The values the 矿业权 filters offer, as the register holds them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RightFacets {
    /// Minerals, sorted.
    pub minerals: Vec<String>,
    /// Statuses.
    pub statuses: Vec<String>,
    /// 审批级别.
    pub approvals: Vec<String>,
    /// 开采方式.
    pub mining_methods: Vec<String>,
    /// 所在县区.
    pub sub_units: Vec<String>,
}

/// Filters and order of the 审查记录 list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewQuery {
    /// Text in 申请编号, 项目名称 or 申请人.
    pub q: String,
    /// 符合 / 基本符合（需人工核查） / 不符合.
    pub conclusion: String,
    /// Only reviews no later review supersedes.
    pub current_only: bool,
    /// Reviewed on or after this day (`YYYY-MM-DD`, Beijing time).
    pub from: String,
    /// Reviewed on or before this day (`YYYY-MM-DD`, Beijing time).
    pub to: String,
    /// Only this applicant's reviews.
    pub credit_code: Option<String>,
    /// Sort key: `id`, `number`, `project`, `holder`, `conclusion`, `reviewed_at`; anything
    /// else sorts by `id`.
    pub sort: String,
    /// Descending.
    pub desc: bool,
}

/// Filters and order of the 申请 list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ApplicationQuery {
    /// Text in 申请编号, 项目名称 or 申请人.
    pub q: String,
    /// 在审 / 已批准 / 不予批准 / 撤回 …
    pub status: String,
    /// 申请类型 (新立, 延续, …).
    pub kind: String,
    /// 探矿权 / 采矿权.
    pub right_kind: String,
    /// Conclusion of the latest review.
    pub conclusion: String,
    /// Only this applicant's.
    pub credit_code: Option<String>,
    /// Sort key: `number`, `project`, `holder`, `kind`, `status`, `conclusion`, `received`,
    /// `created_at`; anything else sorts by `created_at`.
    pub sort: String,
    /// Descending.
    pub desc: bool,
}

/// `%text%` for LIKE, with `\` as the escape of `%`, `_` and itself.
fn like(text: &str) -> String {
    let mut s = String::from("%");
    for c in text.trim().chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

/// A WHERE clause with its bound texts, in order.
#[derive(Default)]
struct Where {
    parts: Vec<String>,
    binds: Vec<String>,
}

impl Where {
    fn eq(&mut self, expr: &str, v: &str) {
        if !v.trim().is_empty() {
            self.parts.push(format!("{expr} = ?"));
            self.binds.push(v.trim().to_string());
        }
    }
    fn search(&mut self, exprs: &[&str], text: &str) {
        if text.trim().is_empty() {
            return;
        }
        let p = like(text);
        self.parts.push(format!(
            "({})",
            exprs
                .iter()
                .map(|e| format!("IFNULL({e}, '') LIKE ? ESCAPE '\\'"))
                .collect::<Vec<_>>()
                .join(" OR ")
        ));
        for _ in exprs {
            self.binds.push(p.clone());
        }
    }
    fn sql(&self) -> String {
        if self.parts.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.parts.join(" AND "))
        }
    }
}

fn order(key: &str, table: &[(&str, &str)], tie: &str, desc: bool) -> String {
    let col = table
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(table[0].1, |(_, c)| *c);
    let dir = if desc { "DESC" } else { "ASC" };
    if col == tie {
        // The key itself (never NULL, unique): SQLite walks its index and computes the listed
        // fields of the page's rows only, not of every row before a sort — with 24,600
        // reviews the default page took 400 ms for json_extract on every stored result.
        return format!(" ORDER BY {tie} {dir}");
    }
    // NULLs last either way; the key keeps equal values in a stable order.
    format!(" ORDER BY ({col}) IS NULL, {col} {dir}, {tie} {dir}")
}

fn window(w: Option<Window>) -> String {
    w.map(|w| format!(" LIMIT {} OFFSET {}", w.limit, w.offset))
        .unwrap_or_default()
}

impl Store {
    /// The rights matching `q`, sorted, and how many match in all; `window` cuts a page.
    ///
    /// # Errors
    /// [`crate::StoreError::Db`].
    pub async fn rights_page(
        &self,
        q: &RightQuery,
        window_: Option<Window>,
    ) -> Result<(u64, Vec<RightRecord>)> {
        let mut w = Where::default();
        w.search(
            &["id", "name", "holder_name", "credit_code", "minerals_json"],
            &q.q,
        );
        let status = crate::records::status_sql(crate::today());
        w.eq("kind", &q.kind);
        w.eq(&status, &q.status);
        w.eq("approval", &q.approval);
        w.eq(
            "json_extract(state_json, '$.mining_method')",
            &q.mining_method,
        );
        w.eq("json_extract(state_json, '$.sub_unit')", &q.sub_unit);
        if !q.mineral.trim().is_empty() {
            w.parts.push(
                "EXISTS (SELECT 1 FROM json_each(rights.minerals_json) m WHERE m.value = ?)".into(),
            );
            w.binds.push(q.mineral.trim().to_string());
        }
        if let Some(c) = &q.credit_code {
            w.parts.push("credit_code = ?".into());
            w.binds.push(c.clone());
        }
        let sorts = [
            ("id", "id"),
            ("name", "name"),
            ("holder", "holder_name"),
            ("kind", "kind"),
            ("status", status.as_str()),
            ("minerals", "minerals_json"),
            ("capacity", "capacity"),
            ("valid_to", "valid_to"),
        ];
        let count_sql = format!("SELECT COUNT(*) FROM rights{}", w.sql());
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for b in &w.binds {
            count = count.bind(b);
        }
        let total = count.fetch_one(&self.pool).await?;
        let sql = format!(
            "SELECT * FROM rights{}{}{}",
            w.sql(),
            order(&q.sort, &sorts, "id", q.desc),
            window(window_)
        );
        let mut rows = sqlx::query(&sql);
        for b in &w.binds {
            rows = rows.bind(b);
        }
        let rows = rows.fetch_all(&self.pool).await?;
        Ok((
            total as u64,
            rows.iter().map(crate::records::right_record).collect(),
        ))
    }

    /// The values the 矿业权 filters offer (of `credit_code`'s rights only, when given).
    ///
    /// # Errors
    /// [`crate::StoreError::Db`].
    pub async fn right_facets(&self, credit_code: Option<&str>) -> Result<RightFacets> {
        let own = if credit_code.is_some() {
            " WHERE credit_code = ?"
        } else {
            ""
        };
        let distinct = |expr: &str, from: &str| {
            format!(
                "SELECT DISTINCT {expr} AS v FROM {from}{own} ORDER BY v",
                own = if from.contains("json_each") {
                    own.replace("credit_code", "r.credit_code")
                } else {
                    own.to_string()
                }
            )
        };
        let mut out = RightFacets::default();
        for (sql, slot) in [
            (
                distinct("m.value", "rights r, json_each(r.minerals_json) m"),
                &mut out.minerals,
            ),
            (
                distinct(&crate::records::status_sql(crate::today()), "rights"),
                &mut out.statuses,
            ),
            (distinct("approval", "rights"), &mut out.approvals),
            (
                distinct("json_extract(state_json, '$.mining_method')", "rights"),
                &mut out.mining_methods,
            ),
            (
                distinct("json_extract(state_json, '$.sub_unit')", "rights"),
                &mut out.sub_units,
            ),
        ] {
            let mut query = sqlx::query(&sql);
            if let Some(c) = credit_code {
                query = query.bind(c);
            }
            *slot = query
                .fetch_all(&self.pool)
                .await?
                .iter()
                .filter_map(|r| r.try_get::<Option<String>, _>("v").ok().flatten())
                .filter(|v| !v.trim().is_empty())
                .collect();
        }
        Ok(out)
    }

    /// The reviews matching `q`, sorted, and how many match in all; `window` cuts a page.
    /// Reads the listed fields only (not the stored inputs and snapshots).
    ///
    /// # Errors
    /// [`crate::StoreError::Db`].
    pub async fn reviews_page(
        &self,
        q: &ReviewQuery,
        window_: Option<Window>,
    ) -> Result<(u64, Vec<ReviewSummary>)> {
        const APP: &str = "json_extract(r.result_json, '$.application.";
        let project = format!("{APP}project_name')");
        let holder = format!("{APP}holder_name')");
        let mut w = Where::default();
        w.search(&["r.application_number", &project, &holder], &q.q);
        w.eq("r.conclusion", &q.conclusion);
        if let Some(c) = &q.credit_code {
            w.eq(&format!("{APP}credit_code')"), c);
        }
        if q.current_only {
            w.parts
                .push("NOT EXISTS (SELECT 1 FROM reviews s WHERE s.supersedes_id = r.id)".into());
        }
        // Beijing days: reviewed_at is UTC RFC 3339.
        let day = "date(r.reviewed_at, '+8 hours')";
        if !q.from.trim().is_empty() {
            w.parts.push(format!("{day} >= ?"));
            w.binds.push(q.from.trim().to_string());
        }
        if !q.to.trim().is_empty() {
            w.parts.push(format!("{day} <= ?"));
            w.binds.push(q.to.trim().to_string());
        }
        let sorts = [
            ("id", "r.id".to_string()),
            ("number", "r.application_number".to_string()),
            ("project", project.clone()),
            ("holder", holder.clone()),
            ("conclusion", "r.conclusion".to_string()),
            ("reviewed_at", "r.reviewed_at".to_string()),
        ];
        let sorts: Vec<(&str, &str)> = sorts.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let count_sql = format!("SELECT COUNT(*) FROM reviews r{}", w.sql());
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for b in &w.binds {
            count = count.bind(b);
        }
        let total = count.fetch_one(&self.pool).await?;
        let sql = format!(
            "SELECT r.id, r.application_number, r.conclusion, r.reviewed_at, r.actor, r.supersedes_id, r.plan_version_id,
                    {project} AS project_name, {holder} AS holder_name,
                    {APP}credit_code') AS credit_code, {APP}kind') AS kind,
                    EXISTS (SELECT 1 FROM reviews s WHERE s.supersedes_id = r.id) AS superseded
             FROM reviews r{}{}{}",
            w.sql(),
            order(&q.sort, &sorts, "r.id", q.desc),
            window(window_)
        );
        let mut rows = sqlx::query(&sql);
        for b in &w.binds {
            rows = rows.bind(b);
        }
        let rows = rows.fetch_all(&self.pool).await?;
        let s = |r: &sqlx::sqlite::SqliteRow, c: &str| {
            r.try_get::<Option<String>, _>(c)
                .ok()
                .flatten()
                .unwrap_or_default()
        };
        Ok((
            total as u64,
            rows.iter()
                .map(|r| ReviewSummary {
                    id: r.get("id"),
                    application_number: r.get("application_number"),
                    project_name: s(r, "project_name"),
                    holder_name: s(r, "holder_name"),
                    credit_code: s(r, "credit_code"),
                    kind: s(r, "kind"),
                    conclusion: r.get("conclusion"),
                    reviewed_at: r.get("reviewed_at"),
                    actor: r.get("actor"),
                    supersedes_id: r.get("supersedes_id"),
                    superseded: r.get::<i64, _>("superseded") != 0,
                    plan_version_id: r.get("plan_version_id"),
                })
                .collect(),
        ))
    }

    /// The applications matching `q` with their latest review, sorted, and how many match in
    /// all; `window` cuts a page.
    ///
    /// # Errors
    /// [`crate::StoreError::Db`].
    pub async fn applications_page(
        &self,
        q: &ApplicationQuery,
        window_: Option<Window>,
    ) -> Result<(u64, Vec<ApplicationRecord>)> {
        const APP: &str = "json_extract(r.result_json, '$.application.";
        let project = format!("{APP}project_name')");
        let holder = format!("{APP}holder_name')");
        let received = format!("{APP}received')");
        let mut w = Where::default();
        w.search(&["a.number", &project, &holder], &q.q);
        // 已登记 is how people read an approved application used for the register; 已批准
        // then means approved and not (yet) registered — as each row is shown.
        match q.status.trim() {
            "已登记" => w
                .parts
                .push("(a.status = '已批准' AND a.used_for IS NOT NULL)".into()),
            "已批准" => w
                .parts
                .push("(a.status = '已批准' AND a.used_for IS NULL)".into()),
            other => w.eq("a.status", other),
        }
        w.eq(&format!("{APP}kind')"), &q.kind);
        w.eq(&format!("{APP}right_kind')"), &q.right_kind);
        w.eq("r.conclusion", &q.conclusion);
        if let Some(c) = &q.credit_code {
            w.eq(&format!("{APP}credit_code')"), c);
        }
        let sorts = [
            ("created_at", "a.created_at".to_string()),
            ("number", "a.number".to_string()),
            ("project", project.clone()),
            ("holder", holder.clone()),
            ("kind", format!("{APP}kind')")),
            ("status", "a.status".to_string()),
            ("conclusion", "r.conclusion".to_string()),
            ("received", received.clone()),
        ];
        let sorts: Vec<(&str, &str)> = sorts.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let from = "FROM applications a LEFT JOIN reviews r ON r.id = a.latest_review_id";
        let count_sql = format!("SELECT COUNT(*) {from}{}", w.sql());
        let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
        for b in &w.binds {
            count = count.bind(b);
        }
        let total = count.fetch_one(&self.pool).await?;
        let sql = format!(
            "SELECT a.number {from}{}{}{}",
            w.sql(),
            order(&q.sort, &sorts, "a.number", q.desc),
            window(window_)
        );
        let mut rows = sqlx::query_scalar::<_, String>(&sql);
        for b in &w.binds {
            rows = rows.bind(b);
        }
        let numbers = rows.fetch_all(&self.pool).await?;
        let records = self.application_records_of(&numbers).await?;
        Ok((total as u64, records))
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn sorting_by_the_key_walks_its_index() {
        let t = [
            ("id", "r.id"),
            ("project", "json_extract(r.result_json, '$.p')"),
        ];
        // No `IS NULL` term: SQLite must not compute every row's listed fields to sort.
        assert_eq!(order("id", &t, "r.id", true), " ORDER BY r.id DESC");
        assert_eq!(
            order("project", &t, "r.id", false),
            " ORDER BY (json_extract(r.result_json, '$.p')) IS NULL, json_extract(r.result_json, '$.p') ASC, r.id ASC"
        );
    }

    use super::*;

    #[test]
    fn search_text_is_literal_and_unknown_sorts_fall_back() {
        assert_eq!(like(" 50%_a\\b "), "%50\\%\\_a\\\\b%");
        let table = [("id", "id"), ("name", "name")];
        assert_eq!(
            order("name", &table, "id", true),
            " ORDER BY (name) IS NULL, name DESC, id DESC"
        );
        // A key not in the table (anything from a URL) never reaches the SQL.
        assert_eq!(
            order("id; DROP TABLE rights", &table, "id", false),
            " ORDER BY id ASC"
        );
        assert_eq!(window(None), "");
        assert_eq!(
            window(Some(Window {
                offset: 100,
                limit: 50
            })),
            " LIMIT 50 OFFSET 100"
        );
    }
}
