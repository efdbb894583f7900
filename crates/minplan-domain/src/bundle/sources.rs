//! `[[sources]]`: the bundle's source documents besides the plan text (an amendment notice,
//! the higher-level plan, an interpretation…), each with its text file if the bundle has
//! it. Citations name them as `key:place`; the main plan text (`text`) is the implicit
//! source `plan`.

use super::BundleErrorKind;
use super::context::Ctx;
use super::raw::*;
use crate::citation::{MAIN_SOURCE_KEY, PlanText};
use crate::plan::{SourceDocument, SourceKind};

/// Whether `s` is a date written `YYYY-MM-DD` that exists.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|x| x.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

impl Ctx<'_> {
    /// `[[sources]]`, their texts read and indexed (kept in the context so that citations
    /// are checked against them).
    pub(super) fn sources(&mut self, raw: &[S<RawSource>]) {
        for (i, s) in raw.iter().enumerate() {
            let r = s.get_ref();
            let field = |f: &str| format!("sources[{i}].{f}");
            let key = r.key.get_ref().trim().to_string();
            let mut ok = true;
            if key.is_empty()
                || key.contains([':', '：', '《', '》', '(', ')', '（', '）'])
                || key.chars().any(char::is_whitespace)
            {
                self.err_at(
                    BundleErrorKind::BadValue,
                    r.key.span(),
                    &field("key"),
                    format!("来源键“{key}”不可为空，不可含空格、冒号、括号或书名号"),
                );
                ok = false;
            } else if key == MAIN_SOURCE_KEY {
                self.err_at(
                    BundleErrorKind::BadValue,
                    r.key.span(),
                    &field("key"),
                    format!("来源键“{MAIN_SOURCE_KEY}”留给规划文本（text），请另取"),
                );
                ok = false;
            } else if self.sources.iter().any(|d| d.key == key) {
                self.err_at(
                    BundleErrorKind::Duplicate,
                    r.key.span(),
                    &field("key"),
                    format!("来源键“{key}”重复"),
                );
                ok = false;
            }
            let title = r.title.get_ref().trim();
            let title = title
                .trim_start_matches('《')
                .trim_end_matches('》')
                .to_string();
            if title.is_empty() {
                self.err_at(
                    BundleErrorKind::BadValue,
                    r.title.span(),
                    &field("title"),
                    "来源文件的标题（title）不可为空",
                );
                ok = false;
            }
            let kind = self.enum_value(
                &r.kind,
                &field("kind"),
                &SourceKind::LABELS.join("、"),
                SourceKind::parse,
            );
            if let Some(d) = &r.date
                && !is_date(d.get_ref().trim())
            {
                self.err_at(
                    BundleErrorKind::BadValue,
                    d.span(),
                    &field("date"),
                    format!("日期“{}”应写为 YYYY-MM-DD", d.get_ref()),
                );
            }
            let text = r
                .file
                .as_ref()
                .and_then(|f| self.read_text_file(f, &field("file")))
                .map(PlanText::new);
            let (Some(kind), true) = (kind, ok) else {
                continue;
            };
            self.sources.push(SourceDocument {
                key,
                title,
                issuer: r.issuer.get_ref().trim().to_string(),
                number: r.number.as_ref().map(|n| n.get_ref().trim().to_string()),
                date: r.date.as_ref().map(|d| d.get_ref().trim().to_string()),
                kind,
                file: r.file.as_ref().map(|f| f.get_ref().clone()),
                has_text: text.is_some(),
                text,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_date;

    #[test]
    fn dates() {
        for d in ["2024-02-29", "2023-12-31", "2000-02-29"] {
            assert!(is_date(d), "{d}");
        }
        for d in [
            "2023-02-29",
            "1900-02-29",
            "2024-13-01",
            "2024-1-01",
            "2024/01/01",
            "",
        ] {
            assert!(!is_date(d), "{d}");
        }
    }
}
