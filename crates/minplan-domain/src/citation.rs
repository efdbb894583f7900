//! Citations into the plan text (出处) and the section index of a plan text.
//!
//! Every figure of a plan bundle names the place of the plan text it comes from, written the
//! way Chinese planning documents number their parts:
//!
//! | form | meaning | example |
//! |---|---|---|
//! | `总则` | the preamble | `总则` |
//! | chapter numeral | 一、二、… | `五` |
//! | + `（n）` | section | `五（一）` |
//! | + arabic n | item (1、2、…) | `四（三）2`, `三 2` (item of a chapter without sections) |
//! | + `（n）` arabic | sub-item | `四（三）3（2）` |
//! | `专栏n` | a boxed table (专栏) | `专栏2` |
//!
//! [`PlanText`] finds these headings in a plan's full text so that a citation can be
//! checked (does the section exist, does the figure appear in it) and shown to users.

use serde::{Serialize, Serializer};
use std::fmt;

/// One level of a citation path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKey {
    /// 总则 (the preamble).
    General,
    /// 专栏n (a boxed table).
    Column(u32),
    /// 一、二、… (chapter).
    Chapter(u32),
    /// （一）（二）… (section).
    Section(u32),
    /// 1、2、… (item).
    Item(u32),
    /// （1）（2）… (sub-item).
    SubItem(u32),
}

/// A parsed citation such as `四（三）2`. Construct with [`Citation::parse`]; a `Citation`
/// that exists is well-formed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Citation {
    path: Vec<SectionKey>,
}

/// Why a citation string is not a citation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("出处“{text}”格式不正确：{reason}（应如“总则”“一（一）2”“四（三）3（2）”“专栏2”）")]
pub struct CitationError {
    /// The text given.
    pub text: String,
    /// What is wrong, in Chinese.
    pub reason: String,
}

const CN_DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/// Parses a Chinese numeral 1–99 (一 … 九十九).
fn parse_cn_numeral(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    let digit = |c: char| CN_DIGITS.iter().position(|&d| d == c).map(|p| p as u32);
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c).filter(|&d| d > 0),
        ['十', u] => digit(*u).filter(|&d| d > 0).map(|d| 10 + d),
        [t, '十'] => digit(*t).filter(|&d| d > 1).map(|d| d * 10),
        [t, '十', u] => Some(digit(*t).filter(|&d| d > 1)? * 10 + digit(*u).filter(|&d| d > 0)?),
        _ => None,
    }
}

fn cn_numeral(n: u32) -> String {
    let d = |k: u32| CN_DIGITS[k as usize];
    match n {
        1..=9 => d(n).to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", d(n - 10)),
        20..=99 if n.is_multiple_of(10) => format!("{}十", d(n / 10)),
        20..=99 => format!("{}十{}", d(n / 10), d(n % 10)),
        _ => n.to_string(),
    }
}

fn is_cn_numeral_char(c: char) -> bool {
    c == '十' || CN_DIGITS[1..].contains(&c)
}

/// Removes every kind of white space (ASCII, full-width U+3000, NBSP).
pub fn strip_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

impl Citation {
    /// Parses a citation. Spaces and `、` between parts are ignored; `(`/`)` are accepted for
    /// `（`/`）`.
    ///
    /// # Errors
    /// [`CitationError`] naming what is wrong.
    pub fn parse(text: &str) -> Result<Citation, CitationError> {
        let err = |reason: &str| CitationError {
            text: text.to_string(),
            reason: reason.to_string(),
        };
        let s: String = strip_spaces(text)
            .chars()
            .filter(|&c| c != '、' && c != '《' && c != '》')
            .map(|c| match c {
                '(' => '（',
                ')' => '）',
                c => c,
            })
            .collect();
        let s = s.strip_prefix("规划").unwrap_or(&s);
        if s.is_empty() {
            return Err(err("为空"));
        }
        if s == "总则" {
            return Ok(Citation {
                path: vec![SectionKey::General],
            });
        }
        if let Some(n) = s.strip_prefix("专栏") {
            return n
                .parse::<u32>()
                .ok()
                .filter(|&n| n > 0)
                .map(|n| Citation {
                    path: vec![SectionKey::Column(n)],
                })
                .ok_or_else(|| err("“专栏”后应为数字"));
        }
        let chars: Vec<char> = s.chars().collect();
        let mut i = 0;
        let take_while = |i: &mut usize, f: &dyn Fn(char) -> bool| {
            let start = *i;
            while *i < chars.len() && f(chars[*i]) {
                *i += 1;
            }
            chars[start..*i].iter().collect::<String>()
        };
        let ch = take_while(&mut i, &is_cn_numeral_char);
        let chapter = parse_cn_numeral(&ch).ok_or_else(|| err("应以章号（一、二、…）开头"))?;
        let mut path = vec![SectionKey::Chapter(chapter)];
        if i < chars.len()
            && chars[i] == '（'
            && i + 1 < chars.len()
            && is_cn_numeral_char(chars[i + 1])
        {
            i += 1;
            let sec = take_while(&mut i, &is_cn_numeral_char);
            if i >= chars.len() || chars[i] != '）' {
                return Err(err("节号缺少右括号"));
            }
            i += 1;
            path.push(SectionKey::Section(
                parse_cn_numeral(&sec).ok_or_else(|| err("节号不是中文数字"))?,
            ));
        }
        let item = take_while(&mut i, &|c: char| c.is_ascii_digit());
        if !item.is_empty() {
            path.push(SectionKey::Item(item.parse().map_err(|_| err("条号过大"))?));
            if i < chars.len() && chars[i] == '（' {
                i += 1;
                let sub = take_while(&mut i, &|c: char| c.is_ascii_digit());
                if sub.is_empty() || i >= chars.len() || chars[i] != '）' {
                    return Err(err("款号应为“（数字）”"));
                }
                i += 1;
                path.push(SectionKey::SubItem(
                    sub.parse().map_err(|_| err("款号过大"))?,
                ));
            }
        }
        if i != chars.len() {
            let rest: String = chars[i..].iter().collect();
            return Err(err(&format!("无法识别“{rest}”")));
        }
        Ok(Citation { path })
    }

    /// The path from the top of the document, e.g. `[Chapter(4), Section(3), Item(2)]`.
    pub fn path(&self) -> &[SectionKey] {
        &self.path
    }
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut has_section = false;
        for key in &self.path {
            match key {
                SectionKey::General => f.write_str("总则")?,
                SectionKey::Column(n) => write!(f, "专栏{n}")?,
                SectionKey::Chapter(n) => f.write_str(&cn_numeral(*n))?,
                SectionKey::Section(n) => {
                    has_section = true;
                    write!(f, "（{}）", cn_numeral(*n))?
                }
                SectionKey::Item(n) if has_section => write!(f, "{n}")?,
                SectionKey::Item(n) => write!(f, " {n}")?,
                SectionKey::SubItem(n) => write!(f, "（{n}）")?,
            }
        }
        Ok(())
    }
}

impl Serialize for Citation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A heading found in a plan text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// Canonical citation of the heading.
    pub citation: String,
    /// The heading line as written (trimmed).
    pub title: String,
    /// 1-based line number in the text.
    pub line: usize,
    #[serde(skip)]
    path: Vec<SectionKey>,
    #[serde(skip)]
    end_line: usize,
}

/// The full text of a plan with its section headings indexed.
///
/// Headings are recognised at the start of a line: `总则`, `一、`, `（一）`, `1、`, `（1）` and
/// `专栏 1`. A section runs to the next heading of the same or a higher level; a 专栏 runs to
/// the next heading of any level, and is also part of the section around it.
#[derive(Debug, Clone)]
pub struct PlanText {
    lines: Vec<String>,
    headings: Vec<Heading>,
}

fn level(k: &SectionKey) -> u8 {
    match k {
        SectionKey::General | SectionKey::Chapter(_) => 0,
        SectionKey::Section(_) => 1,
        SectionKey::Item(_) => 2,
        SectionKey::SubItem(_) => 3,
        SectionKey::Column(_) => 9,
    }
}

/// Recognises a heading at the start of `line` (already trimmed).
fn heading_key(line: &str) -> Option<SectionKey> {
    let compact = strip_spaces(line);
    if compact == "总则" {
        return Some(SectionKey::General);
    }
    if let Some(rest) = line.strip_prefix("专栏") {
        // "专栏 2      2025年主要规划指标": the number ends at the first non-digit.
        let digits: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        return digits.parse().ok().map(SectionKey::Column);
    }
    let chars: Vec<char> = line.chars().collect();
    let numeral_run = |from: usize, f: &dyn Fn(char) -> bool| {
        let mut j = from;
        while j < chars.len() && f(chars[j]) {
            j += 1;
        }
        (chars[from..j].iter().collect::<String>(), j)
    };
    if chars.first() == Some(&'（') {
        let (cn, j) = numeral_run(1, &is_cn_numeral_char);
        if !cn.is_empty() && chars.get(j) == Some(&'）') {
            return parse_cn_numeral(&cn).map(SectionKey::Section);
        }
        let (ar, j) = numeral_run(1, &|c: char| c.is_ascii_digit());
        if !ar.is_empty() && chars.get(j) == Some(&'）') {
            return ar.parse().ok().map(SectionKey::SubItem);
        }
        return None;
    }
    let (cn, j) = numeral_run(0, &is_cn_numeral_char);
    if !cn.is_empty() && chars.get(j) == Some(&'、') {
        return parse_cn_numeral(&cn).map(SectionKey::Chapter);
    }
    let (ar, j) = numeral_run(0, &|c: char| c.is_ascii_digit());
    if !ar.is_empty() && chars.get(j) == Some(&'、') {
        return ar.parse().ok().map(SectionKey::Item);
    }
    None
}

impl PlanText {
    /// Indexes the headings of `text`.
    pub fn new(text: &str) -> PlanText {
        let lines: Vec<String> = text.lines().map(|l| l.to_string()).collect();
        let mut headings: Vec<Heading> = Vec::new();
        let mut current: Vec<SectionKey> = Vec::new();
        for (idx, raw) in lines.iter().enumerate() {
            let line = raw.trim();
            let Some(key) = heading_key(line) else {
                continue;
            };
            let path = if let SectionKey::Column(_) = key {
                vec![key]
            } else {
                let lv = level(&key);
                // A sub-level heading before any chapter has nowhere to hang: ignore it.
                if lv > 0 && current.is_empty() {
                    continue;
                }
                current.retain(|k| level(k) < lv);
                current.push(key);
                current.clone()
            };
            let citation = Citation { path: path.clone() }.to_string();
            headings.push(Heading {
                citation,
                title: line.to_string(),
                line: idx + 1,
                path,
                end_line: lines.len(),
            });
        }
        // Each heading ends where a heading at its level or above begins (columns: any heading).
        for i in 0..headings.len() {
            let is_column = matches!(headings[i].path[0], SectionKey::Column(_));
            let depth = headings[i].path.len();
            let end = headings[i + 1..]
                .iter()
                .find(|h| {
                    if is_column {
                        return true;
                    }
                    !matches!(h.path[0], SectionKey::Column(_)) && h.path.len() <= depth
                })
                .map(|h| h.line - 1)
                .unwrap_or(lines.len());
            headings[i].end_line = end;
        }
        PlanText { lines, headings }
    }

    /// The text's lines as written.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().map(String::as_str)
    }

    /// All headings in document order.
    pub fn headings(&self) -> &[Heading] {
        &self.headings
    }

    /// The heading a citation names, if the text has it.
    pub fn heading(&self, citation: &Citation) -> Option<&Heading> {
        self.headings.iter().find(|h| h.path == citation.path)
    }

    /// The text of the cited section (heading line included, sub-sections included) as
    /// written, or `None` when the text has no such section.
    pub fn section(&self, citation: &Citation) -> Option<String> {
        let h = self.heading(citation)?;
        Some(self.lines[h.line - 1..h.end_line].join("\n"))
    }

    /// Whether `needle` occurs in the cited section once all white space is removed from
    /// both (plan texts extracted from PDF break lines inside words).
    pub fn section_contains(&self, citation: &Citation, needle: &str) -> Option<bool> {
        let hay = strip_spaces(&self.section(citation)?);
        Some(hay.contains(&strip_spaces(needle)))
    }

    /// Whether the number `value` occurs in the cited section as a whole number (not as part
    /// of a longer number: `3` does not match inside `33` or `3.6`). The number is looked for
    /// in the form [`format_number`] writes it.
    pub fn section_contains_number(&self, citation: &Citation, value: f64) -> Option<bool> {
        // Collapse (not remove) white space: "12.7 0" in a table is two numbers, not 12.70.
        let section = self.section(citation)?;
        let hay: Vec<char> = section
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .collect();
        let needle: Vec<char> = format_number(value).chars().collect();
        let is_num = |c: char| c.is_ascii_digit() || c == '.';
        // After the number: not a digit, and not a decimal point followed by a digit (a
        // sentence may end in "。" but "3.6" continues "3").
        let ends_here = |j: usize| match hay.get(j) {
            None => true,
            Some(c) if c.is_ascii_digit() => false,
            Some('.') => !hay.get(j + 1).is_some_and(|d| d.is_ascii_digit()),
            Some(_) => true,
        };
        let found = (0..hay.len().saturating_sub(needle.len() - 1)).any(|i| {
            hay[i..].starts_with(&needle)
                && (i == 0 || !is_num(hay[i - 1]))
                && ends_here(i + needle.len())
        });
        Some(found)
    }
}

/// Formats a figure the way plan texts write it: integers without decimals, others with the
/// shortest exact decimal form (`12.7`, `0.0212`).
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_citations() {
        for (input, canonical) in [
            ("总则", "总则"),
            ("总  则", "总则"),
            ("四（三）2", "四（三）2"),
            ("四(三)3(2)", "四（三）3（2）"),
            ("三 2", "三 2"),
            ("三、2", "三 2"),
            ("专栏 2", "专栏2"),
            ("一（一）6", "一（一）6"),
            ("十二", "十二"),
        ] {
            assert_eq!(
                Citation::parse(input).unwrap().to_string(),
                canonical,
                "{input}"
            );
        }
        for bad in ["", "第三章", "四（三", "专栏", "四（三）3（x）", "四x"] {
            assert!(Citation::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn indexes_a_small_plan_text() {
        let text = " 总  则 \n依据规划。\n 一、现状 \n（一）概况 \n1、自然地理 \n面积 460 平方千米，常住人口 11 万。\n2、矿产 \n专栏 1 表\n序号 12.7 0\n（二）形势 \n三、目标\n1、产值\n1000 万元\n";
        let t = PlanText::new(text);
        let c = |s: &str| Citation::parse(s).unwrap();
        assert_eq!(
            t.section_contains_number(&c("一（一）1"), 460.0),
            Some(true)
        );
        assert_eq!(
            t.section_contains_number(&c("一（一）1"), 46.0),
            Some(false)
        );
        assert_eq!(
            t.section_contains_number(&c("一（一）2"), 460.0),
            Some(false)
        );
        // The column is inside 一（一）2 and also addressable on its own.
        assert_eq!(t.section_contains_number(&c("专栏1"), 12.7), Some(true));
        assert_eq!(t.section_contains_number(&c("一（一）"), 12.7), Some(true));
        assert_eq!(t.section_contains_number(&c("一（二）"), 12.7), Some(false));
        assert_eq!(t.section_contains_number(&c("三 1"), 1000.0), Some(true));
        assert_eq!(t.section_contains_number(&c("四"), 1.0), None);
    }
}
