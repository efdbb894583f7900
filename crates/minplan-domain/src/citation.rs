//! Citations into the plan text and the other source documents (出处), and the section index
//! of a text.
//!
//! Every figure of a plan bundle names the place of a text it comes from, written the way
//! Chinese planning documents number their parts:
//!
//! | form | meaning | example |
//! |---|---|---|
//! | `总则` | the preamble (a `总则` line, or the lines before the first top heading) | `总则` |
//! | `第n章` `第n节` | chapter, section of a 章节-style text | `第三章`, `第三章第二节` |
//! | `第n条` | an article (numbered through the whole text, cited alone) | `第十二条` |
//! | chapter numeral | 一、二、… (also 问一：, 一、问：) | `五` |
//! | + `（n）` | section | `五（一）` |
//! | + arabic n | item (1、 1. 1．) | `四（三）2`, `三 2` (item of a chapter without sections) |
//! | + `（n）` arabic | sub-item | `四（三）3（2）` |
//! | `专栏n`, `附表n` | a boxed table (专栏), an appended table (附表) | `专栏2`, `附表1` |
//!
//! A path may start at any level (an amendment notice numbers its items `1.` `2.` …: cite
//! `3`). A citation may name its source document: `key:place` (also `key：place`), e.g.
//! `修改通知2024:3`; without a key it cites the main plan text. A citation that could not be
//! checked against a text (its source has none in the bundle) is marked `（未核对）`, and the
//! mark is part of its written form so that it survives storage as a string.
//!
//! [`PlanText`] finds these headings in a text so that a citation can be checked (does the
//! section exist, does the figure appear in it) and shown to users.

use serde::{Serialize, Serializer};
use std::fmt;

/// One level of a citation path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SectionKey {
    /// 总则 (the preamble).
    General,
    /// 专栏n (a boxed table).
    Column(u32),
    /// 附表n (an appended table).
    Table(u32),
    /// 第n章 (chapter of a 章节-style text).
    Part(u32),
    /// 第n节 (section of a 章节-style text).
    Division(u32),
    /// 第n条 (article).
    Article(u32),
    /// 一、二、… (chapter; also a question 问一 of a 解读).
    Chapter(u32),
    /// （一）（二）… (section).
    Section(u32),
    /// 1、2、… (item).
    Item(u32),
    /// （1）（2）… (sub-item).
    SubItem(u32),
}

impl SectionKey {
    /// Rank of a numbered heading style, outermost first (`None` for 总则, 专栏, 附表).
    fn rank(&self) -> Option<u8> {
        match self {
            SectionKey::Part(_) => Some(0),
            SectionKey::Division(_) => Some(1),
            SectionKey::Article(_) => Some(2),
            SectionKey::Chapter(_) => Some(3),
            SectionKey::Section(_) => Some(4),
            SectionKey::Item(_) => Some(5),
            SectionKey::SubItem(_) => Some(6),
            SectionKey::General | SectionKey::Column(_) | SectionKey::Table(_) => None,
        }
    }

    fn is_table(&self) -> bool {
        matches!(self, SectionKey::Column(_) | SectionKey::Table(_))
    }
}

/// A parsed citation such as `四（三）2` or `修改通知2024:3`. Construct with
/// [`Citation::parse`]; a `Citation` that exists is well-formed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Citation {
    /// Key of the source document (`[[sources]]`); `None` for the main plan text.
    source: Option<String>,
    path: Vec<SectionKey>,
    /// Whether the citation was checked against its text (false: 未核对).
    checked: bool,
}

/// The key of the main plan text among the sources (`plan:五` is `五`).
pub const MAIN_SOURCE_KEY: &str = "plan";

/// The mark of a citation that could not be checked against a text.
pub const UNCHECKED_MARK: &str = "（未核对）";

/// Why a citation string is not a citation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "出处“{text}”格式不正确：{reason}（应如“总则”“一（一）2”“四（三）3（2）”“专栏2”“附表1”“第三章第二节”“第十二条”“修改通知:3”）"
)]
pub struct CitationError {
    /// The text given.
    pub text: String,
    /// What is wrong, in Chinese.
    pub reason: String,
}

const CN_DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

fn cn_digit(c: char) -> Option<u32> {
    if c == '〇' {
        return Some(0);
    }
    CN_DIGITS.iter().position(|&d| d == c).map(|p| p as u32)
}

/// Parses a Chinese numeral 1–99 (一 … 九十九).
fn parse_cn_below_100(chars: &[char]) -> Option<u32> {
    let digit = |c: char| cn_digit(c).filter(|&d| d > 0);
    match chars {
        ['十'] => Some(10),
        [c] => digit(*c),
        ['十', u] => digit(*u).map(|d| 10 + d),
        [t, '十'] => digit(*t).filter(|&d| d > 1).map(|d| d * 10),
        [t, '十', u] => Some(digit(*t).filter(|&d| d > 1)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// Parses a Chinese numeral 1–999 (一 … 九百九十九, 一百零五).
fn parse_cn_numeral(s: &str) -> Option<u32> {
    let chars: Vec<char> = s.chars().collect();
    match chars.iter().position(|&c| c == '百') {
        None => parse_cn_below_100(&chars),
        Some(p) => {
            let h = match &chars[..p] {
                [] => 1,
                [c] => cn_digit(*c).filter(|&d| d > 0)?,
                _ => return None,
            };
            let rest = &chars[p + 1..];
            let low = match rest {
                [] => 0,
                ['零', u] => cn_digit(*u).filter(|&d| d > 0)?,
                ['一', '十', more @ ..] => parse_cn_below_100(&[&['十'], more].concat())?,
                r if r.len() >= 2 => parse_cn_below_100(r).filter(|&n| n >= 20)?,
                _ => return None,
            };
            Some(h * 100 + low)
        }
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
        100..=999 => {
            let low = n % 100;
            let head = format!("{}百", d(n / 100));
            match low {
                0 => head,
                1..=9 => format!("{head}零{}", d(low)),
                10..=19 => format!("{head}一{}", cn_numeral(low)),
                _ => format!("{head}{}", cn_numeral(low)),
            }
        }
        _ => n.to_string(),
    }
}

fn is_cn_numeral_char(c: char) -> bool {
    c == '十' || c == '百' || c == '〇' || CN_DIGITS.contains(&c)
}

/// Removes every kind of white space (ASCII, full-width U+3000, NBSP).
pub fn strip_spaces(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Half-width brackets as full-width ones.
fn full_width_brackets(c: char) -> char {
    match c {
        '(' => '（',
        ')' => '）',
        c => c,
    }
}

/// A run of characters from `chars[from..]` satisfying `f`: the run and the index after it.
fn run_of(chars: &[char], from: usize, f: impl Fn(char) -> bool) -> (String, usize) {
    let mut j = from;
    while j < chars.len() && f(chars[j]) {
        j += 1;
    }
    (chars[from..j].iter().collect(), j)
}

/// A number written in Chinese numerals or arabic digits at `chars[from..]`.
fn numeral_at(chars: &[char], from: usize) -> Option<(u32, usize)> {
    let (cn, j) = run_of(chars, from, is_cn_numeral_char);
    if !cn.is_empty() {
        return parse_cn_numeral(&cn).map(|n| (n, j));
    }
    let (ar, j) = run_of(chars, from, |c| c.is_ascii_digit());
    ar.parse().ok().filter(|&n| n > 0).map(|n| (n, j))
}

impl Citation {
    /// Parses a citation: `[key:]place[（未核对）]`. In the place, spaces and `、` between
    /// parts are ignored and `(`/`)` are accepted for `（`/`）`.
    ///
    /// # Errors
    /// [`CitationError`] naming what is wrong.
    pub fn parse(text: &str) -> Result<Citation, CitationError> {
        let err = |reason: &str| CitationError {
            text: text.to_string(),
            reason: reason.to_string(),
        };
        let mut s: String = strip_spaces(text)
            .chars()
            .map(full_width_brackets)
            .collect();
        let mut checked = true;
        if let Some(rest) = s.strip_suffix(UNCHECKED_MARK) {
            s = rest.to_string();
            checked = false;
        }
        let mut source = None;
        if let Some(p) = s.find([':', '：']) {
            let key = s[..p].trim_matches(['《', '》']).to_string();
            let sep = s[p..].chars().next().map_or(1, char::len_utf8);
            let rest = s[p + sep..].to_string();
            if key.is_empty() {
                return Err(err("冒号前应为来源文件的键（key）"));
            }
            if key != MAIN_SOURCE_KEY {
                source = Some(key);
            }
            s = rest;
        }
        let s: String = s
            .chars()
            .filter(|&c| c != '、' && c != '《' && c != '》')
            .collect();
        let s = s.strip_prefix("规划").unwrap_or(&s);
        if s.is_empty() {
            return Err(err("为空"));
        }
        let path = parse_place(s).map_err(|r| err(&r))?;
        Ok(Citation {
            source,
            path,
            checked,
        })
    }

    /// The path from the top of the document, e.g. `[Chapter(4), Section(3), Item(2)]`.
    pub fn path(&self) -> &[SectionKey] {
        &self.path
    }

    /// Key of the source document the citation names; `None` for the main plan text.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// Whether the citation was checked against its text (false: 未核对). A citation read
    /// from a string is checked unless the string carries the mark `（未核对）`.
    pub fn checked(&self) -> bool {
        self.checked
    }

    /// The same citation marked checked or not (the bundle loader marks what it could not
    /// check).
    pub fn with_checked(mut self, checked: bool) -> Citation {
        self.checked = checked;
        self
    }

    /// The place alone, without source key and mark: `五（一）`.
    pub fn place(&self) -> String {
        let mut out = String::new();
        let mut prev: Option<SectionKey> = None;
        for key in &self.path {
            match key {
                SectionKey::General => out.push_str("总则"),
                SectionKey::Column(n) => out.push_str(&format!("专栏{n}")),
                SectionKey::Table(n) => out.push_str(&format!("附表{n}")),
                SectionKey::Part(n) => out.push_str(&format!("第{}章", cn_numeral(*n))),
                SectionKey::Division(n) => out.push_str(&format!("第{}节", cn_numeral(*n))),
                SectionKey::Article(n) => out.push_str(&format!("第{}条", cn_numeral(*n))),
                SectionKey::Chapter(n) => out.push_str(&cn_numeral(*n)),
                SectionKey::Section(n) => out.push_str(&format!("（{}）", cn_numeral(*n))),
                SectionKey::Item(n) if matches!(prev, Some(SectionKey::Chapter(_))) => {
                    out.push_str(&format!(" {n}"))
                }
                SectionKey::Item(n) => out.push_str(&n.to_string()),
                SectionKey::SubItem(n) => out.push_str(&format!("（{n}）")),
            }
            prev = Some(*key);
        }
        out
    }

    /// The citation as people read it: `《规划》五（一）`, with another source's title
    /// (`《关于…的通知》3`), and `（未核对）` when `checked` is false. `title` is the source
    /// document's title (`None`: the main plan text, shown as 《规划》).
    pub fn people_form(&self, title: Option<&str>, checked: bool) -> String {
        format!("{}{}", document_label(title), self.place_marked(checked))
    }

    /// The place followed by `（未核对）` when `checked` is false.
    pub fn place_marked(&self, checked: bool) -> String {
        let mark = if checked { "" } else { UNCHECKED_MARK };
        format!("{}{mark}", self.place())
    }
}

/// A document as citations name it: `《规划》` for the main plan text (`None`), else
/// `《title》`.
pub fn document_label(title: Option<&str>) -> String {
    let title = title.map_or("规划", |t| {
        t.trim().trim_start_matches('《').trim_end_matches('》')
    });
    format!("《{title}》")
}

/// Parses a place (spaces, `、` and 《规划》 already removed, brackets full-width).
fn parse_place(s: &str) -> Result<Vec<SectionKey>, String> {
    for (prefix, make) in [
        ("专栏", SectionKey::Column as fn(u32) -> SectionKey),
        ("附表", SectionKey::Table),
    ] {
        if let Some(n) = s.strip_prefix(prefix) {
            let chars: Vec<char> = n.chars().collect();
            return match numeral_at(&chars, 0) {
                Some((n, j)) if j == chars.len() => Ok(vec![make(n)]),
                _ => Err(format!("“{prefix}”后应为数字")),
            };
        }
    }
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut path = Vec::new();
    if s.starts_with("总则") {
        path.push(SectionKey::General);
        i = 2;
    } else if chars[0] == '问' {
        // 问一 (a question of a 解读) is its chapter 一.
        let (n, j) = numeral_at(&chars, 1).ok_or("“问”后应为问题序号")?;
        path.push(SectionKey::Chapter(n));
        i = j;
    }
    while i < chars.len() {
        let (key, j) = if chars[i] == '第' {
            let (n, j) = numeral_at(&chars, i + 1).ok_or("“第”后应为数字")?;
            match chars.get(j) {
                Some('章') => (SectionKey::Part(n), j + 1),
                Some('节') => (SectionKey::Division(n), j + 1),
                Some('条') => (SectionKey::Article(n), j + 1),
                _ => return Err("“第n”后应为“章”“节”或“条”".into()),
            }
        } else if chars[i] == '（' {
            let (cn, j) = run_of(&chars, i + 1, is_cn_numeral_char);
            let (key, j) = if !cn.is_empty() {
                let n = parse_cn_numeral(&cn).ok_or("节号不是中文数字")?;
                (SectionKey::Section(n), j)
            } else {
                let (ar, j) = run_of(&chars, i + 1, |c| c.is_ascii_digit());
                let n = ar
                    .parse()
                    .map_err(|_| "括号内应为中文数字（节）或数字（款）")?;
                (SectionKey::SubItem(n), j)
            };
            if chars.get(j) != Some(&'）') {
                return Err("缺少右括号".into());
            }
            (key, j + 1)
        } else if is_cn_numeral_char(chars[i]) {
            let (cn, j) = run_of(&chars, i, is_cn_numeral_char);
            let n = parse_cn_numeral(&cn).ok_or("章号不是中文数字")?;
            (SectionKey::Chapter(n), j)
        } else if chars[i].is_ascii_digit() {
            let (ar, j) = run_of(&chars, i, |c| c.is_ascii_digit());
            (SectionKey::Item(ar.parse().map_err(|_| "条号过大")?), j)
        } else {
            let rest: String = chars[i..].iter().collect();
            return Err(format!("无法识别“{rest}”"));
        };
        let outer = path.last().and_then(SectionKey::rank);
        if outer.is_some_and(|o| key.rank().is_some_and(|r| r <= o)) {
            let rest: String = chars[i..].iter().collect();
            return Err(format!("“{rest}”的层级不在上一级之下"));
        }
        path.push(key);
        i = j;
    }
    Ok(path)
}

impl fmt::Display for Citation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(s) = &self.source {
            write!(f, "{s}:")?;
        }
        f.write_str(&self.place())?;
        if !self.checked {
            f.write_str(UNCHECKED_MARK)?;
        }
        Ok(())
    }
}

impl Serialize for Citation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A heading found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Heading {
    /// Canonical citation of the heading (the place, without source).
    pub citation: String,
    /// The heading line as written (trimmed).
    pub title: String,
    /// 1-based line number in the text.
    pub line: usize,
    /// Full path from the top of the text.
    #[serde(skip)]
    path: Vec<SectionKey>,
    #[serde(skip)]
    end_line: usize,
}

impl Heading {
    /// Nesting depth for a table of contents: 0 for the outermost headings, 1 for a 专栏 or
    /// 附表.
    pub fn depth(&self) -> usize {
        if self.path[0].is_table() {
            1
        } else {
            self.path.len() - 1
        }
    }

    /// The path a citation names it by: the full path, or from its article on (articles are
    /// numbered through the whole text and cited alone: `第十二条`).
    fn short_path(&self) -> &[SectionKey] {
        match self
            .path
            .iter()
            .position(|k| matches!(k, SectionKey::Article(_)))
        {
            Some(p) => &self.path[p..],
            None => &self.path,
        }
    }
}

/// The full text of a plan (or another source document) with its headings indexed.
///
/// Headings are recognised at the start of a line: `总则`; `第n章` `第n节` `第n条`; `一、` (also
/// `问一：` and `一、问：`); `（一）`; `1、` `1.` `1．` (the separator followed by a non-digit,
/// so `1.5万吨` is not a heading); `（1）`; `专栏 1` and `附表 1`. Brackets may be half-width.
/// Headings nest in that order; a heading with nothing above it is at the top. A top heading
/// titled 总则 (`第一章 总则`) is also cited as `总则`. Without a 总则 line, the lines before
/// the first heading of the outermost style form the preamble, cited as `总则` (when they are
/// not blank). A section runs to the next heading that is not
/// inside it; a 专栏 or 附表 runs to the next heading of any level, and is also part of the
/// section around it.
#[derive(Debug, Clone)]
pub struct PlanText {
    lines: Vec<String>,
    headings: Vec<Heading>,
    /// Line of the top heading titled 总则 (`第一章 总则`), which `总则` also cites.
    general_alias: Option<usize>,
}

/// Recognises a heading at the start of `line` (already trimmed).
fn heading_key(line: &str) -> Option<SectionKey> {
    let compact = strip_spaces(line);
    if compact == "总则" {
        return Some(SectionKey::General);
    }
    let chars: Vec<char> = line.chars().map(full_width_brackets).collect();
    for (prefix, make) in [
        ("专栏", SectionKey::Column as fn(u32) -> SectionKey),
        ("附表", SectionKey::Table),
    ] {
        if let Some(rest) = line.strip_prefix(prefix) {
            // "专栏 2      2025年主要规划指标": the number ends at the first non-digit.
            let rest: Vec<char> = rest.trim_start().chars().collect();
            return numeral_at(&rest, 0).map(|(n, _)| make(n));
        }
    }
    match chars.first()? {
        '第' => {
            let (n, j) = numeral_at(&chars, 1)?;
            match chars.get(j)? {
                '章' => Some(SectionKey::Part(n)),
                '节' => Some(SectionKey::Division(n)),
                '条' => Some(SectionKey::Article(n)),
                _ => None,
            }
        }
        '问' => {
            let (n, j) = numeral_at(&chars, 1)?;
            matches!(
                chars.get(j),
                None | Some('：' | ':' | '、' | '．' | '.' | ' ' | '　')
            )
            .then_some(SectionKey::Chapter(n))
        }
        '（' => {
            let (cn, j) = run_of(&chars, 1, is_cn_numeral_char);
            if !cn.is_empty() && chars.get(j) == Some(&'）') {
                return parse_cn_numeral(&cn).map(SectionKey::Section);
            }
            let (ar, j) = run_of(&chars, 1, |c| c.is_ascii_digit());
            if !ar.is_empty() && chars.get(j) == Some(&'）') {
                return ar.parse().ok().map(SectionKey::SubItem);
            }
            None
        }
        _ => {
            let (cn, j) = run_of(&chars, 0, is_cn_numeral_char);
            if !cn.is_empty() && chars.get(j) == Some(&'、') {
                return parse_cn_numeral(&cn).map(SectionKey::Chapter);
            }
            let (ar, j) = run_of(&chars, 0, |c| c.is_ascii_digit());
            let separated = matches!(chars.get(j), Some('、' | '.' | '．'))
                && !chars.get(j + 1).is_some_and(|c| c.is_ascii_digit());
            if !ar.is_empty() && separated {
                return ar.parse().ok().map(SectionKey::Item);
            }
            None
        }
    }
}

impl PlanText {
    /// Indexes the headings of `text`.
    pub fn new(text: &str) -> PlanText {
        let lines: Vec<String> = text.lines().map(|l| l.to_string()).collect();
        let found: Vec<(usize, SectionKey)> = lines
            .iter()
            .enumerate()
            .filter_map(|(i, l)| heading_key(l.trim()).map(|k| (i, k)))
            .collect();
        // The outermost numbered style the text uses; 总则 stands at its level.
        let top = found
            .iter()
            .filter_map(|(_, k)| k.rank())
            .min()
            .unwrap_or(3);
        let level = |k: &SectionKey| k.rank().unwrap_or(top);
        let mut headings: Vec<Heading> = Vec::new();
        let mut current: Vec<SectionKey> = Vec::new();
        // A top heading titled 总则 (`第一章 总则`, `一、总则`) is the 总则 line.
        let is_general_title = |i: usize, k: &SectionKey| {
            let compact = strip_spaces(&lines[i]);
            k.rank() == Some(top) && compact.ends_with("总则") && compact.chars().count() <= 8
        };
        let general_alias = found
            .iter()
            .find(|(i, k)| is_general_title(*i, k))
            .map(|(i, _)| i + 1);
        let has_general =
            general_alias.is_some() || found.iter().any(|(_, k)| *k == SectionKey::General);
        let first_top = found
            .iter()
            .find(|(_, k)| k.rank() == Some(top))
            .map_or(lines.len(), |(i, _)| *i);
        if !has_general
            && let Some(first) = lines[..first_top].iter().position(|l| !l.trim().is_empty())
        {
            // The implicit preamble: what comes before the first top heading.
            headings.push(Heading {
                citation: "总则".into(),
                title: lines[first].trim().to_string(),
                line: first + 1,
                path: vec![SectionKey::General],
                end_line: lines.len(),
            });
            current.push(SectionKey::General);
        }
        for (idx, key) in found {
            let path = if key.is_table() {
                vec![key]
            } else {
                let lv = level(&key);
                current.retain(|k| level(k) < lv);
                current.push(key);
                current.clone()
            };
            let mut h = Heading {
                citation: String::new(),
                title: lines[idx].trim().to_string(),
                line: idx + 1,
                path,
                end_line: lines.len(),
            };
            h.citation = Citation {
                source: None,
                path: h.short_path().to_vec(),
                checked: true,
            }
            .place();
            headings.push(h);
        }
        // Each heading ends where a heading not inside it begins (tables: any heading).
        for i in 0..headings.len() {
            let is_table = headings[i].path[0].is_table();
            let end = headings[i + 1..]
                .iter()
                .find(|h| {
                    is_table || (!h.path[0].is_table() && !h.path.starts_with(&headings[i].path))
                })
                .map(|h| h.line - 1)
                .unwrap_or(lines.len());
            headings[i].end_line = end;
        }
        PlanText {
            lines,
            headings,
            general_alias,
        }
    }

    /// The text's lines as written.
    pub fn lines(&self) -> impl Iterator<Item = &str> {
        self.lines.iter().map(String::as_str)
    }

    /// All headings in document order.
    pub fn headings(&self) -> &[Heading] {
        &self.headings
    }

    /// The heading a citation names, if the text has it (the citation's source is not looked
    /// at: pass the right text).
    pub fn heading(&self, citation: &Citation) -> Option<&Heading> {
        self.headings
            .iter()
            .find(|h| h.path == citation.path)
            .or_else(|| {
                self.headings
                    .iter()
                    .find(|h| h.short_path() == citation.path)
            })
            .or_else(|| {
                let line = self.general_alias?;
                (citation.path == [SectionKey::General])
                    .then(|| self.headings.iter().find(|h| h.line == line))
                    .flatten()
            })
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
            ("第三章", "第三章"),
            ("第3章第2节", "第三章第二节"),
            ("第十二条", "第十二条"),
            ("第一百零五条", "第一百零五条"),
            ("第三章一（二）3", "第三章一（二）3"),
            ("问一", "一"),
            ("问 12", "十二"),
            ("3", "3"),
            ("(1)", "（1）"),
            ("附表 1", "附表1"),
            ("专栏二", "专栏2"),
            ("修改通知2024:3", "修改通知2024:3"),
            ("修改通知2024：四（一）", "修改通知2024:四（一）"),
            ("plan:五", "五"),
            ("五（一）（未核对）", "五（一）（未核对）"),
            ("解读:问二(未核对)", "解读:二（未核对）"),
        ] {
            assert_eq!(
                Citation::parse(input).unwrap().to_string(),
                canonical,
                "{input}"
            );
        }
        for bad in [
            "",
            "四（三",
            "专栏",
            "四（三）3（x）",
            "四x",
            "第三",
            "（一）一",
            ":五",
            "3四",
        ] {
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

    /// Every heading the text indexes, as `citation@line`.
    fn index(t: &PlanText) -> Vec<String> {
        t.headings()
            .iter()
            .map(|h| format!("{}@{}", h.citation, h.line))
            .collect()
    }

    fn c(s: &str) -> Citation {
        Citation::parse(s).unwrap()
    }

    #[test]
    fn citations_round_trip_and_carry_source_and_mark() {
        for s in [
            "五（一）",
            "三 2",
            "四（三）3（2）",
            "第三章第二节",
            "第十二条一（一）",
            "修改通知2024:3",
            "解读:一（未核对）",
            "五（一）（未核对）",
            "附表1",
        ] {
            let parsed = c(s);
            assert_eq!(parsed.to_string(), s);
            assert_eq!(c(&parsed.to_string()), parsed, "{s}");
        }
        let x = c("修改通知2024：3");
        assert_eq!(x.source(), Some("修改通知2024"));
        assert_eq!(x.path(), &[SectionKey::Item(3)]);
        assert!(x.checked());
        assert!(!c("五（一）（未核对）").checked());
        assert_eq!(c("五（一）").source(), None);
        assert_eq!(
            c("五（一）").people_form(None, false),
            "《规划》五（一）（未核对）"
        );
        assert_eq!(
            x.people_form(Some("《关于修改的通知》"), true),
            "《关于修改的通知》3"
        );
    }

    #[test]
    fn chinese_numerals_up_to_999() {
        for n in [1, 9, 10, 11, 20, 21, 99, 100, 101, 110, 111, 120, 999] {
            assert_eq!(parse_cn_numeral(&cn_numeral(n)), Some(n), "{n}");
        }
        assert_eq!(parse_cn_numeral("一百一十二"), Some(112));
        assert_eq!(parse_cn_numeral("一十二"), None);
        assert_eq!(parse_cn_numeral("百"), Some(100));
    }

    #[test]
    fn indexes_chapter_section_article_style() {
        let text = "某县矿产资源总体规划\n第一章 总  则\n第一条 为加强管理，制定本规划。\n\
                    第二章 开发利用\n第一节 开采总量\n第二条 建筑用石开采总量控制在 120 万立方米/年。\n\
                    一、新建矿山\n（一）规模\n1．最低开采规模 5 万立方米/年。\n（1）含砂石 3 处。\n\
                    第二节 矿山数量\n第三条 矿山数量不超过 6 个。\n";
        let t = PlanText::new(text);
        assert_eq!(
            index(&t),
            [
                "第一章@2",
                "第一条@3",
                "第二章@4",
                "第二章第一节@5",
                "第二条@6",
                "第二条一@7",
                "第二条一（一）@8",
                "第二条一（一）1@9",
                "第二条一（一）1（1）@10",
                "第二章第二节@11",
                "第三条@12"
            ]
        );
        // 第一章 总  则 is the 总则 line: 总则 cites it (not the title line before it).
        assert_eq!(
            t.section(&c("总则")).unwrap(),
            "第一章 总  则\n第一条 为加强管理，制定本规划。"
        );
        let untitled = PlanText::new("某县矿产资源总体规划\n第一章 现状\n面积 460 平方千米。\n");
        assert_eq!(index(&untitled), ["总则@1", "第一章@2"]);
        assert_eq!(
            untitled.section(&c("总则")).unwrap(),
            "某县矿产资源总体规划"
        );
        assert_eq!(
            t.section_contains_number(&c("第二章第一节"), 120.0),
            Some(true)
        );
        assert_eq!(
            t.section_contains_number(&c("第二章第一节"), 6.0),
            Some(false)
        );
        assert_eq!(
            t.section_contains_number(&c("第二章第二节"), 6.0),
            Some(true)
        );
        assert_eq!(t.section_contains_number(&c("第二章"), 6.0), Some(true));
        assert_eq!(t.section_contains_number(&c("第十二条"), 6.0), None);
        // An article is cited alone or by its full path.
        assert_eq!(t.section_contains_number(&c("第三条"), 6.0), Some(true));
        assert_eq!(
            t.section_contains_number(&c("第二章第二节第三条"), 6.0),
            Some(true)
        );
        assert_eq!(
            t.section_contains_number(&c("第二条一（一）1"), 5.0),
            Some(true)
        );
        assert_eq!(
            t.section_contains_number(&c("第二条一（一）1（1）"), 3.0),
            Some(true)
        );
        assert_eq!(
            t.section_contains_number(&c("第二条一（一）1（1）"), 5.0),
            Some(false)
        );
    }

    #[test]
    fn indexes_dotted_items_and_half_width_brackets() {
        let text = "一、现状\n(一)资源\n1.矿产 12 种\n产量 1.5万吨，2025年达到 3 万吨。\n\
                    2．矿山 8 个\n(1)大型 1 个\n3、其他\n（二）形势\n二、目标\n";
        let t = PlanText::new(text);
        assert_eq!(
            index(&t),
            [
                "一@1",
                "一（一）@2",
                "一（一）1@3",
                "一（一）2@5",
                "一（一）2（1）@6",
                "一（一）3@7",
                "一（二）@8",
                "二@9"
            ]
        );
        // "1.5万吨" and "2025年" are running text: 一（一）1 runs on to line 4.
        assert_eq!(t.section_contains_number(&c("一（一）1"), 3.0), Some(true));
        assert_eq!(t.section_contains_number(&c("一（一）2"), 8.0), Some(true));
        assert_eq!(
            t.section_contains_number(&c("一（一）2（1）"), 1.0),
            Some(true)
        );
        // No text before the first chapter: no preamble.
        assert_eq!(t.section(&c("总则")), None);
    }

    #[test]
    fn indexes_columns_and_appended_tables() {
        let text = "一、目标\n专栏1 主要指标\n开采总量 120\n附表 2 规划区块一览表\n序号 K01 1.2\n";
        let t = PlanText::new(text);
        assert_eq!(index(&t), ["一@1", "专栏1@2", "附表2@4"]);
        assert_eq!(t.section_contains_number(&c("附表2"), 1.2), Some(true));
        assert_eq!(t.section_contains_number(&c("附表2"), 120.0), Some(false));
        assert_eq!(t.section_contains_number(&c("专栏1"), 120.0), Some(true));
        assert_eq!(t.section_contains_number(&c("一"), 1.2), Some(true));
    }

    #[test]
    fn indexes_questions_of_an_interpretation() {
        let text = "《某县矿产资源总体规划》解读\n近日，规划获批。\n一、问：规划期限是多久？\n\
                    答：2021—2025 年，展望到 2035 年。\n问二：开采总量是多少？\n答：120 万立方米。\n";
        let t = PlanText::new(text);
        assert_eq!(index(&t), ["总则@1", "一@3", "二@5"]);
        assert_eq!(t.section_contains_number(&c("问一"), 2035.0), Some(true));
        assert_eq!(t.section_contains_number(&c("一"), 120.0), Some(false));
        assert_eq!(t.section_contains_number(&c("问二"), 120.0), Some(true));
        assert_eq!(t.section_contains(&c("总则"), "规划获批"), Some(true));
    }

    #[test]
    fn indexes_the_numbered_items_of_an_amendment_notice() {
        let text = "关于某县矿产资源总体规划修改的通知\n各有关单位：\n现将修改内容通知如下：\n\
                    1. 建筑用石开采总量由 120 调整为 150 万立方米/年。\n\
                    2. 新增开采规划区块 2 个。\n3. 矿山数量上限调整为 7 个。\n";
        let t = PlanText::new(text);
        assert_eq!(index(&t), ["总则@1", "1@4", "2@5", "3@6"]);
        assert_eq!(t.section_contains_number(&c("3"), 7.0), Some(true));
        assert_eq!(t.section_contains_number(&c("1"), 7.0), Some(false));
        assert_eq!(t.section_contains_number(&c("1"), 150.0), Some(true));
        assert_eq!(t.section_contains(&c("总则"), "各有关单位"), Some(true));
        assert_eq!(t.section_contains(&c("总则"), "新增"), Some(false));
    }
}
