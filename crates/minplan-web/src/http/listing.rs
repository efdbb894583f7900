//! One list mechanism for every long list (矿业权, 审查记录, 年度报告, 申请, 监管提醒): the
//! query in the URL (search text, filters, sort column and direction, page, page size —
//! bookmarkable, the back button works), the pager ("共 n 条，第 p / m 页", page sizes) and the
//! clickable column headers, and the XLSX download of the list as filtered.
//!
//! The lists themselves filter and sort where their data is: in SQL through
//! `minplan_store::Store::rights_page` and friends, or in memory for a list computed from the
//! replayed register ([`ListQuery::slice`]). A page never holds more than
//! [`PAGE_SIZES`]' largest size.

use crate::http::error::AppError;
use std::collections::HashMap;

/// The page sizes offered.
pub const PAGE_SIZES: [u64; 4] = [20, 50, 100, 200];
/// The page size when the URL names none (or one not offered).
pub const DEFAULT_PAGE_SIZE: u64 = 50;

/// The largest page number read from a URL; a larger one reads as 1.
pub const MAX_PAGE: u64 = 1_000_000_000;

/// The paging of an API list (`page`, `per`, `dir`) as the OpenAPI document declares it, or
/// 400 naming the parameter. Pages people click fall back instead ([`ListQuery::parse`]);
/// a program asking for 7 rows a page is told, not given 50.
///
/// # Errors
/// [`AppError::BadRequest`] for a `page` outside 1…[`MAX_PAGE`], a `per` not among
/// [`PAGE_SIZES`], a `dir` other than `asc`/`desc`.
pub fn strict_paging(q: &HashMap<String, String>) -> Result<(), AppError> {
    if let Some(p) = q.get("page")
        && !p.parse::<u64>().is_ok_and(|n| (1..=MAX_PAGE).contains(&n))
    {
        return Err(AppError::BadRequest(format!(
            "page 应为 1～{MAX_PAGE} 的整数，收到“{p}”"
        )));
    }
    if let Some(p) = q.get("per")
        && !p.parse::<u64>().is_ok_and(|n| PAGE_SIZES.contains(&n))
    {
        return Err(AppError::BadRequest(format!(
            "per 应为 20、50、100 或 200，收到“{p}”"
        )));
    }
    if let Some(d) = q.get("dir")
        && d != "asc"
        && d != "desc"
    {
        return Err(AppError::BadRequest(format!(
            "dir 应为 asc 或 desc，收到“{d}”"
        )));
    }
    Ok(())
}

/// A list's query as read from the URL.
#[derive(Debug, Clone)]
pub struct ListQuery {
    /// The list's path (`/rights`).
    path: &'static str,
    /// The filters and the search text in the list's order (key, value), empty ones left out.
    filters: Vec<(&'static str, String)>,
    /// The page, from 1.
    pub page: u64,
    /// Rows per page.
    pub per: u64,
    /// Sort key ("" = the list's default).
    pub sort: String,
    /// Descending.
    pub desc: bool,
    /// Whether the URL chose the order (else the list's default applies).
    explicit_sort: bool,
}

/// The pager under a list.
#[derive(Debug, Clone)]
pub struct Pager {
    /// Rows matching.
    pub total: u64,
    /// This page, from 1.
    pub page: u64,
    /// Pages (at least 1).
    pub pages: u64,
    /// First and last row shown (1-based; 0, 0 when nothing matches).
    pub first_row: u64,
    /// Last row shown.
    pub last_row: u64,
    /// Links: first, previous, next, last page (None on the first / last page).
    pub first: Option<String>,
    /// Previous page.
    pub prev: Option<String>,
    /// Next page.
    pub next: Option<String>,
    /// Last page.
    pub last: Option<String>,
    /// Page sizes: (size, link, chosen).
    pub sizes: Vec<(u64, String, bool)>,
    /// The XLSX download of every matching row.
    pub export: String,
    /// The query kept by the filter form: (name, value) of sort, dir and per.
    pub hidden: Vec<(String, String)>,
}

/// A column header: sortable ones link to the list sorted by them (again: reversed).
#[derive(Debug, Clone)]
pub struct SortHeader {
    /// Chinese label.
    pub label: &'static str,
    /// The link, or "" for a column that does not sort.
    pub href: String,
    /// `ascending`, `descending` or `none` (for `aria-sort`).
    pub aria: &'static str,
    /// ▲, ▼ or "".
    pub mark: &'static str,
    /// Extra class (`num` for number columns).
    pub class: &'static str,
}

/// Percent-encodes a query value (UTF-8; unreserved characters kept).
fn enc(s: &str) -> String {
    crate::http::auth::percent_encode(s)
}

impl ListQuery {
    /// Reads `q` for the list at `path` whose filters are `keys` (the search text is `q` and
    /// must be among them when the list searches); `sort`/`dir`/`page`/`per` are read too.
    /// Values out of range fall back: page 1, [`DEFAULT_PAGE_SIZE`], the default order.
    pub fn parse(
        path: &'static str,
        q: &HashMap<String, String>,
        keys: &[&'static str],
        default_sort: &str,
        default_desc: bool,
    ) -> ListQuery {
        let filters = keys
            .iter()
            .filter_map(|k| {
                q.get(*k)
                    .map(|v| v.trim())
                    .filter(|v| !v.is_empty())
                    .map(|v| (*k, v.chars().take(100).collect::<String>()))
            })
            .collect();
        let per = q
            .get("per")
            .and_then(|p| p.trim().parse::<u64>().ok())
            .filter(|p| PAGE_SIZES.contains(p))
            .unwrap_or(DEFAULT_PAGE_SIZE);
        let page = q
            .get("page")
            .and_then(|p| p.trim().parse::<u64>().ok())
            // No list has a billion pages; beyond, the first page (and no overflow of the
            // offset, which went to SQLite as a negative number: a 500 found by schemathesis).
            .filter(|p| (1..=MAX_PAGE).contains(p))
            .unwrap_or(1);
        let sort = q.get("sort").map(|s| s.trim().to_string());
        let explicit_sort = sort.as_deref().is_some_and(|s| !s.is_empty());
        ListQuery {
            path,
            filters,
            page,
            per,
            sort: sort
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| default_sort.to_string()),
            desc: if explicit_sort {
                q.get("dir").is_some_and(|d| d == "desc")
            } else {
                default_desc
            },
            explicit_sort,
        }
    }

    /// Keeps `key` = `value` in every link (a list's own field, such as the year of the
    /// annual-report list), as a filter; an empty value is left out.
    pub fn keep(&mut self, key: &'static str, value: &str) {
        let v = value.trim();
        if !v.is_empty() && self.get(key).is_empty() {
            self.filters.insert(0, (key, v.chars().take(100).collect()));
        }
    }

    /// A filter's value ("" when not set).
    pub fn get(&self, key: &str) -> &str {
        self.filters
            .iter()
            .find(|(k, _)| *k == key)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether any filter or search is set.
    pub fn filtered(&self) -> bool {
        !self.filters.is_empty()
    }

    /// The rows of the page (after [`ListQuery::clamp`]).
    pub fn window(&self) -> minplan_store::Window {
        minplan_store::Window {
            offset: (self.page - 1) * self.per,
            limit: self.per,
        }
    }

    /// Keeps the page within `total` rows (a bookmarked page past the end shows the last).
    pub fn clamp(&mut self, total: u64) {
        self.page = self.page.min(pages(total, self.per));
    }

    /// Page `window` of `rows` already filtered and sorted in memory (clamped first).
    pub fn slice<T>(&mut self, rows: Vec<T>) -> (u64, Vec<T>) {
        let total = rows.len() as u64;
        self.clamp(total);
        let w = self.window();
        (
            total,
            rows.into_iter()
                .skip(w.offset as usize)
                .take(w.limit as usize)
                .collect(),
        )
    }

    fn params(&self, page: Option<u64>, sort: Option<(&str, bool)>, per: Option<u64>) -> String {
        let mut out: Vec<String> = self
            .filters
            .iter()
            .map(|(k, v)| format!("{k}={}", enc(v)))
            .collect();
        match sort {
            Some((s, d)) => {
                out.push(format!("sort={}", enc(s)));
                out.push(format!("dir={}", if d { "desc" } else { "asc" }));
            }
            None if self.explicit_sort => {
                out.push(format!("sort={}", enc(&self.sort)));
                out.push(format!("dir={}", if self.desc { "desc" } else { "asc" }));
            }
            None => {}
        }
        let per = per.unwrap_or(self.per);
        if per != DEFAULT_PAGE_SIZE {
            out.push(format!("per={per}"));
        }
        if let Some(p) = page.filter(|p| *p > 1) {
            out.push(format!("page={p}"));
        }
        out.join("&")
    }

    fn link(path: &str, params: String) -> String {
        if params.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{params}")
        }
    }

    /// This list on page `page`.
    pub fn href(&self, page: u64) -> String {
        Self::link(self.path, self.params(Some(page), None, None))
    }

    /// The XLSX download of the list as filtered and sorted (every row), at `path`.
    pub fn export_href(&self, path: &str) -> String {
        let mut p = self.params(None, None, Some(DEFAULT_PAGE_SIZE));
        if p.is_empty() {
            return path.to_string();
        }
        p.insert(0, '?');
        format!("{path}{p}")
    }

    /// The pager for `total` matching rows, with the XLSX download at `export`.
    pub fn pager(&self, total: u64, export: &str) -> Pager {
        let pages = pages(total, self.per);
        let page = self.page.min(pages);
        let first_row = if total == 0 {
            0
        } else {
            (page - 1) * self.per + 1
        };
        let mut hidden = Vec::new();
        if self.explicit_sort {
            hidden.push(("sort".to_string(), self.sort.clone()));
            hidden.push((
                "dir".to_string(),
                if self.desc { "desc" } else { "asc" }.to_string(),
            ));
        }
        if self.per != DEFAULT_PAGE_SIZE {
            hidden.push(("per".to_string(), self.per.to_string()));
        }
        Pager {
            total,
            page,
            pages,
            first_row,
            last_row: (page * self.per).min(total),
            first: (page > 1).then(|| self.href(1)),
            prev: (page > 1).then(|| self.href(page - 1)),
            next: (page < pages).then(|| self.href(page + 1)),
            last: (page < pages).then(|| self.href(pages)),
            sizes: PAGE_SIZES
                .iter()
                .map(|s| {
                    (
                        *s,
                        Self::link(self.path, self.params(None, None, Some(*s))),
                        *s == self.per,
                    )
                })
                .collect(),
            export: self.export_href(export),
            hidden,
        }
    }

    /// The headers of `cols` (sort key or "" for a column that does not sort, label, class):
    /// a header links to the list sorted by it, ascending first, reversed when it already
    /// sorts the list; the page goes back to 1.
    pub fn headers(&self, cols: &[(&str, &'static str, &'static str)]) -> Vec<SortHeader> {
        cols.iter()
            .map(|(key, label, class)| {
                if key.is_empty() {
                    return SortHeader {
                        label,
                        href: String::new(),
                        aria: "none",
                        mark: "",
                        class,
                    };
                }
                let on = self.sort == *key;
                let next_desc = on && !self.desc;
                SortHeader {
                    label,
                    href: Self::link(self.path, self.params(None, Some((key, next_desc)), None)),
                    aria: match (on, self.desc) {
                        (false, _) => "none",
                        (true, false) => "ascending",
                        (true, true) => "descending",
                    },
                    mark: match (on, self.desc) {
                        (false, _) => "",
                        (true, false) => "▲",
                        (true, true) => "▼",
                    },
                    class,
                }
            })
            .collect()
    }

    /// The order as people read it, for the 说明 sheet of an export: the label in `cols` of
    /// the sort key (`default` when the key names no column) and （升序）/（降序）.
    pub fn sort_label(&self, cols: &[(&str, &'static str, &'static str)], default: &str) -> String {
        let label = cols
            .iter()
            .find(|(k, _, _)| !k.is_empty() && *k == self.sort)
            .map_or(default, |(_, label, _)| *label);
        format!(
            "{label}{}",
            if self.desc {
                "（降序）"
            } else {
                "（升序）"
            }
        )
    }

    /// The filters as people read them, `labels` naming each key ("矿种：建筑用石；状态：有效"),
    /// or "无（全部）"; for the 说明 sheet of an export.
    pub fn describe(&self, labels: &[(&str, &str)]) -> String {
        self.describe_with(labels, |_, _| None)
    }

    /// As [`ListQuery::describe`], each value as `value(key, value)` names it when it is a
    /// code (`kind=report_overdue` → 类别：年度报告逾期未报), else as given.
    pub fn describe_with(
        &self,
        labels: &[(&str, &str)],
        value: impl Fn(&str, &str) -> Option<String>,
    ) -> String {
        if self.filters.is_empty() {
            return "无（全部）".into();
        }
        self.filters
            .iter()
            .map(|(k, v)| {
                let l = labels
                    .iter()
                    .find(|(key, _)| key == k)
                    .map_or(*k, |(_, l)| *l);
                let v = value(k, v).unwrap_or_else(|| v.clone());
                format!("{l}：{v}")
            })
            .collect::<Vec<_>>()
            .join("；")
    }
}

fn pages(total: u64, per: u64) -> u64 {
    total.div_ceil(per.max(1)).max(1)
}

/// Now in Beijing time, `2026-12-06 14:05` (the 导出时间 of an export).
pub fn now_beijing() -> String {
    let offset = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let t = time::OffsetDateTime::now_utc().to_offset(offset);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute()
    )
}

/// A stored RFC 3339 (UTC) time as a Beijing date and time cell of an export; other text as
/// it is.
pub fn beijing_cell(at: &str) -> minplan_report::Cell {
    let date = |t: time::OffsetDateTime| {
        minplan_domain::date::Date::new(t.year(), u8::from(t.month()), t.day())
            .map(|d| minplan_report::Cell::DateTime(d, t.hour(), t.minute()))
    };
    crate::http::words::parse_utc(at)
        .and_then(date)
        .unwrap_or_else(|| minplan_report::Cell::text(at))
}

/// The XLSX of `table` as a download named `name`.xlsx (ASCII fallback `fallback`.xlsx).
///
/// # Errors
/// 500 when the workbook cannot be written.
pub fn xlsx_download(
    table: &minplan_report::Table,
    name: &str,
    fallback: &str,
) -> Result<axum::response::Response, crate::http::error::AppError> {
    let bytes = minplan_report::table_xlsx(table)
        .map_err(|e| minplan_store::StoreError::Internal(e.to_string()))?;
    Ok(crate::http::download::attachment(
        bytes,
        crate::http::download::XLSX,
        &format!("{name}.xlsx"),
        &format!("{fallback}.xlsx"),
    ))
}

/// The 说明 lines of an export: 列表, 筛选条件, 排序, 行数, 导出时间.
pub fn about(list: &str, filters: String, sort: &str, rows: usize) -> Vec<(String, String)> {
    vec![
        ("列表".into(), list.into()),
        ("筛选条件".into(), filters),
        ("排序".into(), sort.into()),
        ("行数".into(), rows.to_string()),
        ("导出时间（北京时间）".into(), now_beijing()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_query_round_trips_through_links() {
        let mut l = ListQuery::parse(
            "/rights",
            &q(&[
                ("q", " 庆发 "),
                ("mineral", "建筑用石"),
                ("page", "3"),
                ("per", "20"),
                ("sort", "name"),
                ("dir", "desc"),
                ("bogus", "x"),
            ]),
            &["q", "kind", "mineral"],
            "id",
            false,
        );
        assert_eq!(l.get("q"), "庆发");
        assert_eq!(
            (l.page, l.per, l.sort.as_str(), l.desc),
            (3, 20, "name", true)
        );
        assert_eq!(
            l.href(2),
            "/rights?q=%E5%BA%86%E5%8F%91&mineral=%E5%BB%BA%E7%AD%91%E7%94%A8%E7%9F%B3&sort=name&dir=desc&per=20&page=2"
        );
        l.clamp(45);
        let p = l.pager(45, "/rights/list.xlsx");
        assert_eq!((p.page, p.pages, p.first_row, p.last_row), (3, 3, 41, 45));
        assert!(p.next.is_none() && p.prev.is_some());
        assert!(p.export.starts_with("/rights/list.xlsx?q=") && !p.export.contains("page="));
        let h = l.headers(&[
            ("name", "名称", ""),
            ("id", "许可证号", ""),
            ("", "矿种", ""),
        ]);
        // Clicking the sorted column reverses it and goes back to page 1.
        assert!(h[0].href.contains("sort=name&dir=asc") && !h[0].href.contains("page="));
        assert_eq!((h[0].aria, h[0].mark), ("descending", "▼"));
        assert!(h[1].href.contains("sort=id&dir=asc"));
        assert!(h[2].href.is_empty());
        assert_eq!(
            l.describe(&[("q", "查找"), ("mineral", "矿种")]),
            "查找：庆发；矿种：建筑用石"
        );
    }

    #[test]
    fn bad_values_fall_back_and_a_page_past_the_end_shows_the_last() {
        let mut l = ListQuery::parse(
            "/reviews",
            &q(&[("page", "0"), ("per", "7"), ("dir", "desc")]),
            &["q"],
            "id",
            true,
        );
        assert_eq!((l.page, l.per, l.desc), (1, DEFAULT_PAGE_SIZE, true));
        let mut far = ListQuery::parse("/reviews", &q(&[("page", "99")]), &["q"], "id", true);
        let (total, rows) = far.slice((0..120).collect::<Vec<_>>());
        assert_eq!((total, far.page, rows.len(), rows[0]), (120, 3, 20, 100));
        let (_, rows) = l.slice(Vec::<u8>::new());
        assert!(rows.is_empty());
        assert_eq!(l.pager(0, "/x").pages, 1);
        assert_eq!(l.href(1), "/reviews");
    }
}
