//! The reader's promise, checked: **nothing is silently dropped**. Every number in the input
//! that has the shape of a coordinate ends up either in a point of the report (its
//! [`CornerPoint::x_text`](super::CornerPoint::x_text) or
//! [`y_text`](super::CornerPoint::y_text)) or in a named problem that quotes it on its line.
//!
//! # What counts as coordinate-shaped
//!
//! The input is first normalised as the readers see it ([`text::normalize`]: full-width
//! characters folded, traditional keywords simplified). A line is cut into **tokens**: maximal
//! runs of digits, `.`, `*` and degree/minute/second marks (`°′″'"’`, `度分秒`; a space after a
//! degree or minute mark is part of the run when a digit follows, as in `131° 09′ 12.3″`).
//! A sentence-final full stop is not part of a token (`37627453.22.` → `37627453.22`), nor are
//! leading marks or dots. A token is coordinate-shaped when it is:
//!
//! * **plane X** (northing, metres): integer part of exactly 7 digits, decimals optional
//!   (`3195584.66`). The packed DMS form `1310912.345` has the same shape and counts as X;
//! * **plane Y** (easting, metres): integer part of 8 digits starting with a zone prefix
//!   (13–45: `40606868.24`) — an 8-digit integer that reads as a date `YYYYMMDD` does not
//!   count —, or an integer part of 6 digits with at least one decimal (`606868.24`);
//! * **DMS**: a degree mark followed by minutes (and seconds) — `83°00'48.281"`,
//!   `131°09′12.345″`, `44度35分59.917秒` — or three numbers with marks;
//! * **decimal degrees**: integer part of 2–3 digits, value 3 to 136 (China's longitudes and
//!   latitudes), at least 4 decimals (`121.5530`, with or without `°`);
//! * **masked**: digits and `*` with at least 3 digits, shaped like one of the above (integer
//!   part of 6–8 characters, or 4 or more with decimals): `****002.38`, `4**7088.22`; or the
//!   whole integer part masked with 2 or more decimals left (`*.358`);
//! * **two coordinates glued together** (`4910100.0044420000.00`: two points, 12+ digits);
//! * a number **glued to a letter** with decimals and 6–8 integer digits (`4910100.00m`,
//!   `N4910100.00`).
//!
//! Not coordinate-shaped: years and dates (`2017`, `2017-03-31`, `20170331`), numbers with
//! two points and fewer than 12 digits (`2017.03.31`), codes glued to letters, `_`, `/`, `=`,
//! `?`, `&`, `%`, `#` without decimals (统一社会信用代码 `91650100228665922F`,
//! `915********040900J`, labels `J1`, headers `X2000`, addresses `art_1476008_17125191.html`),
//! numbers after `-` and a digit (`0571-28123456`), phone numbers (11 digits, or a lone whole
//! number on its line: `联系电话：3921234`), areas (`0.6752`, `2.0651`, `0.03`), elevations
//! (`229.5`, `+363`), counts, money with fewer than 7 integer digits.
//!
//! # The rule
//!
//! A coordinate-shaped token of line *n* (1-based line of the normalised input, BOM
//! stripped: the numbering of the problems) is **accounted for** when
//!
//! * it appears in the `x_text` or `y_text` of any point of the report (or of its second pair
//!   of columns, `other`), or
//! * it is quoted by the message of a problem whose `line` is *n*, or by the message of a
//!   problem without a line.
//!
//! "Appears" compares tokens: the token is compared with each token of the point text or
//! message, as numbers when both parse (`4507088.20` = `4507088.2`), else as text (masked
//! values, DMS). GeoJSON and WKT inputs are parsed structurally and have no free text: they
//! are not checked.

use super::CornerReport;
use super::text;
use std::collections::{HashMap, HashSet};
use std::fmt;

/// A coordinate-shaped number of the input that is neither in a point nor in a problem on
/// its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unaccounted {
    /// 1-based line of the normalised input (the numbering of [`super::Problem::line`]).
    pub line: usize,
    /// The token as written (after full-width folding).
    pub text: String,
}

impl fmt::Display for Unaccounted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "第 {} 行的“{}”像坐标，但既未读入拐点，也没有问题说明",
            self.line, self.text
        )
    }
}

/// Degree, minute and second marks (kept by [`text::normalize`]). Not `”`: messages quote
/// values between `“` and `”`, and a value written with `”` for seconds is cut before it
/// both in the input and in the point text, so the two still compare equal.
fn is_mark(c: char) -> bool {
    matches!(c, '°' | '′' | '″' | '\'' | '"' | '’' | '度' | '分' | '秒')
}

/// Marks after which a space does not end a DMS value (`131° 09′ 12.3″`).
fn glues_space(c: char) -> bool {
    matches!(c, '°' | '′' | '\'' | '’' | '度' | '分')
}

fn in_run(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '.' | '*') || is_mark(c)
}

/// A run of number characters with what surrounds it.
struct Token {
    text: String,
    /// An ASCII letter right before or after (a code, a label, a header word).
    glued_to_letter: bool,
    /// Right after `-` that follows a digit (phone numbers, dates, codes).
    after_dash: bool,
}

/// A character that makes a number part of a word, a code or an address (`J12`,
/// `art_1476008_17125191.html`, `?id=4507088`): letters, `_`, `/`, `%`, `=`, `?`, `&`, `#`.
fn glue_char(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '_' | '/' | '%' | '=' | '?' | '&' | '#')
}

/// The tokens of one normalised line (see the module documentation).
fn tokens(line: &str) -> Vec<Token> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !in_run(chars[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut s = String::new();
        while i < chars.len() {
            let c = chars[i];
            if in_run(c) {
                s.push(c);
                i += 1;
                continue;
            }
            if c.is_whitespace() && s.chars().last().is_some_and(glues_space) {
                let mut j = i;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                if j < chars.len() && chars[j].is_ascii_digit() {
                    i = j;
                    continue;
                }
            }
            break;
        }
        let before = start.checked_sub(1).map(|k| chars[k]);
        let after = chars.get(i).copied();
        let glued_to_letter = before.is_some_and(glue_char) || after.is_some_and(glue_char);
        let after_dash = before == Some('-')
            && start
                .checked_sub(2)
                .is_some_and(|k| chars[k].is_ascii_digit());
        let text = trim_token(&s);
        if text.chars().any(|c| c.is_ascii_digit() || c == '*') {
            out.push(Token {
                text,
                glued_to_letter,
                after_dash,
            });
        }
    }
    out
}

/// Strips leading marks and dots, a trailing full stop, and trailing marks of a plain
/// number (a closing quote): `"4507088.22"` → `4507088.22`, `37627453.22.` → `37627453.22`.
fn trim_token(s: &str) -> String {
    let t = s.trim_start_matches(|c: char| is_mark(c) || c == '.');
    let t = t.trim_end_matches('.');
    let parts = t.split(is_mark).filter(|p| !p.is_empty()).count();
    let degree = t.contains(['°', '度']);
    if parts <= 1 && !degree {
        t.trim_end_matches(|c: char| is_mark(c) || c == '.')
            .to_owned()
    } else {
        t.to_owned()
    }
}

/// Whether a token has the shape of a coordinate.
fn shaped(tok: &Token) -> bool {
    let t = tok.text.as_str();
    let parts: Vec<&str> = t.split(is_mark).filter(|p| !p.is_empty()).collect();
    let degree = t.contains(['°', '度']);
    if parts.len() >= 2 {
        let first = parts[0];
        let first_ok = (1..=3).contains(&first.chars().count())
            && first.chars().all(|c| c.is_ascii_digit() || c == '*');
        return first_ok && (degree || parts.len() >= 3);
    }
    let Some(&body) = parts.first() else {
        return false;
    };
    if degree {
        return decimal_degrees(body);
    }
    if tok.after_dash {
        return false;
    }
    if tok.glued_to_letter {
        return glued_coordinate(body);
    }
    plain(body)
}

/// Integer part of 2–3 digits, value 3–136, at least 4 decimals.
fn decimal_degrees(t: &str) -> bool {
    let Some((int, dec)) = t.split_once('.') else {
        return false;
    };
    (2..=3).contains(&int.len())
        && dec.len() >= 4
        && int.chars().chain(dec.chars()).all(|c| c.is_ascii_digit())
        && t.parse::<f64>().is_ok_and(|v| (3.0..=136.0).contains(&v))
}

/// One whole number alone on a line (`联系电话：3921234`, a 7-digit code) is not a corner:
/// coordinates come in pairs, and a lone one with no decimals is something else.
fn lone_integer_dropped(tokens: Vec<&str>) -> Vec<&str> {
    match tokens.as_slice() {
        [t] if t.bytes().all(|b| b.is_ascii_digit()) => Vec::new(),
        _ => tokens,
    }
}

/// A number glued to a letter (`4910100.00m`, `N4910100.00`, `X4910100.00`) is still a
/// coordinate when it has decimals and 6–8 integer digits; codes and labels (`X2000`,
/// `91650100228665922F`, `J12`) have no decimal point.
fn glued_coordinate(t: &str) -> bool {
    let Some((int, dec)) = t.split_once('.') else {
        return false;
    };
    (6..=8).contains(&int.len())
        && !dec.is_empty()
        && int.chars().chain(dec.chars()).all(|c| c.is_ascii_digit())
}

/// Two coordinates written without a separator (`4910100.0044420000.00`): two decimal points
/// and at least 12 digits.
fn glued_pair(t: &str) -> bool {
    t.matches('.').count() == 2
        && t.chars().filter(char::is_ascii_digit).count() >= 12
        && t.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// A plain or masked number (digits, `*`, at most one `.`).
fn plain(t: &str) -> bool {
    if glued_pair(t) {
        return true;
    }
    if t.matches('.').count() > 1
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '*'))
    {
        return false;
    }
    let (int, dec) = t.split_once('.').unwrap_or((t, ""));
    if t.contains('*') {
        let digits = t.chars().filter(char::is_ascii_digit).count();
        let n = int.chars().count();
        // `*.358`: the whole integer part masked, the decimals left.
        let int_masked = n >= 1 && int.chars().all(|c| c == '*') && dec.len() >= 2;
        return int_masked || digits >= 3 && ((6..=8).contains(&n) || (!dec.is_empty() && n >= 4));
    }
    match int.len() {
        7 => true,
        8 => {
            let zone: u32 = int[..2].parse().unwrap_or(0);
            (13..=45).contains(&zone) && !(dec.is_empty() && date_like(int))
        }
        6 => !dec.is_empty(),
        2 | 3 => decimal_degrees(t),
        _ => false,
    }
}

/// `YYYYMMDD` with a year 1900–2099.
fn date_like(d: &str) -> bool {
    let n = |r: std::ops::Range<usize>| d[r].parse::<u32>().unwrap_or(0);
    (1900..=2099).contains(&n(0..4)) && (1..=12).contains(&n(4..6)) && (1..=31).contains(&n(6..8))
}

/// The coordinate-shaped tokens of one line, after [`text::normalize`], in order (see the
/// module documentation for what counts).
#[cfg(test)]
pub(crate) fn coordinate_shaped(line: &str) -> Vec<String> {
    shaped_in_normalized(&text::normalize(line))
}

/// [`coordinate_shaped`] of a line already normalised.
fn shaped_in_normalized(line: &str) -> Vec<String> {
    if !line.bytes().any(|b| b.is_ascii_digit()) {
        return Vec::new();
    }
    tokens(line)
        .into_iter()
        .filter(shaped)
        .map(|t| t.text)
        .collect()
}

/// [`shaped_in_normalized`] for an ASCII line without `'` or `"` (so without angle marks),
/// calling `f` with each coordinate-shaped token; the same rules as [`tokens`], [`trim_token`]
/// and [`shaped`] (checked against them in the tests).
fn plain_ascii_shaped<'a>(line: &'a str, mut f: impl FnMut(&'a str)) {
    let b = line.as_bytes();
    let run = |c: u8| c.is_ascii_digit() || c == b'.' || c == b'*';
    let mut i = 0;
    while i < b.len() {
        if !run(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && run(b[i]) {
            i += 1;
        }
        let before = start.checked_sub(1).map(|k| b[k]);
        let after = b.get(i).copied();
        let glued = before.is_some_and(|c| glue_char(c as char))
            || after.is_some_and(|c| glue_char(c as char));
        let after_dash = before == Some(b'-') && start >= 2 && b[start - 2].is_ascii_digit();
        // Nothing shorter than 6 characters is coordinate-shaped (`1234.5` at least).
        if i - start < 6 {
            continue;
        }
        let t = line[start..i].trim_start_matches('.').trim_end_matches('.');
        if after_dash || !t.bytes().any(|c| c.is_ascii_digit() || c == b'*') {
            continue;
        }
        if if glued { glued_coordinate(t) } else { plain(t) } {
            f(t);
        }
    }
}

/// Tokens of a point text or a message, for comparison: numbers by value, the rest by text.
#[derive(Default)]
struct Quoted {
    values: HashSet<u64>,
    texts: HashSet<String>,
}

impl Quoted {
    /// A point's coordinate text (already normalised by the reader): a plain number is kept by
    /// value without tokenising (the common case, fast on 10 000-point rings).
    fn add_value_text(&mut self, s: &str) {
        match text::parse_number(s) {
            Ok(v) => {
                self.values.insert(key(v));
            }
            Err(_) => self.add(s),
        }
    }

    fn add(&mut self, s: &str) {
        for t in tokens(&text::normalize(s)) {
            match text::parse_number(&t.text) {
                Ok(v) => {
                    self.values.insert(key(v));
                }
                Err(_) => {
                    self.texts.insert(t.text);
                }
            }
        }
    }

    fn has(&self, tok: &str) -> bool {
        match text::parse_number(tok) {
            Ok(v) => self.values.contains(&key(v)),
            Err(_) => self.texts.contains(tok),
        }
    }
}

fn key(v: f64) -> u64 {
    (v + 0.0).to_bits()
}

/// The text [`super::parse_bytes`] reads from `input` (BOM stripped; UTF-8, else GBK): the
/// text to give [`unaccounted`] for a reading of bytes.
pub fn decoded_text(input: &[u8]) -> String {
    text::decode(input).0
}

/// The coordinate-shaped numbers of `input` that `report` neither read into a point nor
/// quoted in a problem on their line (see the module documentation for the rule). Empty for
/// GeoJSON and WKT, and whenever the reader kept its promise.
pub fn unaccounted(input: &str, report: &CornerReport) -> Vec<Unaccounted> {
    let input = input.trim_start_matches('\u{feff}');
    unaccounted_normalized(input, &text::normalize(input), report)
}

/// [`unaccounted`] with the input already normalised ([`text::normalize`] of `input`).
pub(crate) fn unaccounted_normalized(
    input: &str,
    norm: &str,
    report: &CornerReport,
) -> Vec<Unaccounted> {
    let head: String = input.trim_start().chars().take(40).collect::<String>();
    let upper = head.to_uppercase();
    if head.starts_with('{')
        || upper.starts_with("POLYGON")
        || upper.starts_with("MULTIPOLYGON")
        || upper.starts_with("SRID=")
    {
        return Vec::new();
    }
    let all_points = || {
        report
            .blocks
            .iter()
            .flat_map(|b| &b.rings)
            .flat_map(|r| &r.points)
    };
    // Each point's texts by the lines it was read from: a token found there, text for text,
    // is accounted for without parsing (the common case).
    let mut by_source: Vec<(usize, &str)> = Vec::new();
    for p in all_points() {
        for &l in &p.source_lines {
            by_source.push((l, &p.x_text));
            by_source.push((l, &p.y_text));
            if let Some(o) = &p.other {
                by_source.push((l, &o.x_text));
                by_source.push((l, &o.y_text));
            }
        }
    }
    if !by_source.is_sorted_by_key(|e| e.0) {
        by_source.sort_unstable_by_key(|e| e.0);
    }
    // Every point's values, built only when a token is not found by text on its line.
    let mut points: Option<Quoted> = None;
    let mut point_has = |t: &str| {
        points
            .get_or_insert_with(|| {
                let mut q = Quoted::default();
                for p in all_points() {
                    q.add_value_text(&p.x_text);
                    q.add_value_text(&p.y_text);
                    if let Some(o) = &p.other {
                        q.add_value_text(&o.x_text);
                        q.add_value_text(&o.y_text);
                    }
                }
                q
            })
            .has(t)
    };
    let mut by_line: HashMap<usize, Quoted> = HashMap::new();
    let mut lineless = Quoted::default();
    for p in &report.problems {
        match p.line {
            Some(l) => by_line.entry(l).or_default().add(&p.message),
            None => lineless.add(&p.message),
        }
    }
    let mut out = Vec::new();
    let mut k = 0;
    for (i, line) in norm.lines().enumerate() {
        let n = i + 1;
        while k < by_source.len() && by_source[k].0 < n {
            k += 1;
        }
        let end = k + by_source[k..].iter().take_while(|e| e.0 == n).count();
        let here = &by_source[k..end];
        let mut account = |t: &str| {
            here.iter().any(|e| e.1 == t)
                || point_has(t)
                || lineless.has(t)
                || by_line.get(&n).is_some_and(|q| q.has(t))
        };
        if line.is_ascii() && !line.contains(['\'', '"']) {
            // Fast path (no angle marks possible): the same tokens as `tokens`, without
            // allocating for the numbers that are accounted for.
            let mut found: Vec<&str> = Vec::new();
            plain_ascii_shaped(line, |t| found.push(t));
            for t in lone_integer_dropped(found) {
                if !account(t) {
                    out.push(Unaccounted {
                        line: n,
                        text: t.to_owned(),
                    });
                }
            }
            continue;
        }
        let found = shaped_in_normalized(line);
        let kept: Vec<&str> = lone_integer_dropped(found.iter().map(String::as_str).collect());
        for t in kept {
            if !account(t) {
                out.push(Unaccounted {
                    line: n,
                    text: t.to_owned(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corners::{ParseOptions, parse_str};

    fn shaped_of(l: &str) -> Vec<String> {
        coordinate_shaped(l)
    }

    #[test]
    fn fast_path_finds_what_the_tokeniser_finds() {
        for l in [
            "1,4507088.2206,41473349.922, , ,",
            "J1 4507088.22 41473349.92 J2 ****002.38 473349.92.",
            "tel 0453-3921234, code 91650100228665922F, X2000 4507088.22, 20240131 44420000.5",
            "..4507088.22.. 45.12345 121.5530,45.3430 7*",
            "a4507088.22 4507088.22b 12-4507088.22",
        ] {
            let mut fast = Vec::new();
            plain_ascii_shaped(l, |t| fast.push(t.to_owned()));
            assert_eq!(fast, shaped_in_normalized(l), "{l}");
        }
    }

    #[test]
    fn linhai_plane_numbers_are_shaped_area_and_date_are_not() {
        // linhai_hongchi_2017.txt (1980西安, Y prefix 40).
        assert_eq!(shaped_of("3195584.66"), ["3195584.66"]);
        assert_eq!(shaped_of("40606868.24"), ["40606868.24"]);
        assert!(
            shaped_of("4、矿区范围:矿区范围由 14个拐点圈定,矿区面积约 0.03平方公里。").is_empty()
        );
        assert!(shaped_of("发布日期:2017-03-31 00:00浏览次数:字号:[ ]").is_empty());
        assert!(shaped_of("台矿交公开[2017]05").is_empty());
        assert!(shaped_of("开采标高: +27~+5m").is_empty());
        assert!(shaped_of("6生产规模:暂定11.30万吨/年(4.52万立方米/年)。").is_empty());
    }

    #[test]
    fn maozu_masked_numbers_are_shaped_credit_code_is_not() {
        // maozu_lead_zinc_masked_2024.txt: the republisher masked digits with *.
        assert_eq!(
            shaped_of("1,****002.38,****7543.24"),
            ["****002.38", "****7543.24"]
        );
        assert_eq!(shaped_of("37,****846.90,"), ["****846.90"]);
        assert!(shaped_of("统一社会信用代码:915********040900J").is_empty());
        assert!(shaped_of("面积:2.0651平方千米").is_empty());
        assert!(shaped_of("开采深度:由1830米至1310米变更为1830米至1220米").is_empty());
        assert!(shaped_of("场所:**市**区**大道348号").is_empty());
        assert!(
            shaped_of("**县茂租铅锌矿申请增扩采矿权深部**,****政府2024年第61次常务会").is_empty()
        );
        assert_eq!(shaped_of("4**7088.22"), ["4**7088.22"]);
    }

    #[test]
    fn jinghe_dms_is_shaped_credit_code_is_not() {
        // jinghe_heishantou_exploration_2023.txt.
        assert_eq!(
            shaped_of("| 1 | 83°00'48.281\" | 44°35'59.917\" |"),
            ["83°00'48.281\"", "44°35'59.917\""]
        );
        assert!(shaped_of("统一社会信用代码:91650100228665922F").is_empty());
        assert!(shaped_of("面积:0.044600平方千米,拐点坐标如下(2000国家大地坐标):").is_empty());
        assert!(shaped_of("| 11 | 0 | 0 |").is_empty());
        assert!(
            shaped_of("场所:新疆博尔塔拉蒙古自治州精河县伊犁路7号县直综合楼4号楼311室").is_empty()
        );
    }

    #[test]
    fn other_forms() {
        assert_eq!(shaped_of("1  131°09′12.345″"), ["131°09′12.345″"]);
        assert_eq!(
            shaped_of("1  131° 09′ 12.345″ 44° 25′ 30.1″"),
            ["131°09′12.345″", "44°25′30.1″"]
        );
        assert_eq!(shaped_of("纬度44度35分59.917秒"), ["44度35分59.917秒"]);
        // Packed DMS with decimals has the shape of X: still coordinate-shaped.
        assert_eq!(
            shaped_of("1 1310912.345 442530.12"),
            ["1310912.345", "442530.12"]
        );
        // Decimal degrees (xingan_tuquan_exploration_2008.txt).
        assert_eq!(shaped_of("121.5530,45.3430"), ["121.5530", "45.3430"]);
        assert!(shaped_of("121.55,45.34").is_empty());
        assert!(shaped_of("3.68 |").is_empty());
        // Sentence-final full stop, full-width digits, quotes.
        assert_eq!(shaped_of("Y=37627453.22."), ["37627453.22"]);
        assert_eq!(shaped_of("Y为37627453.22。"), ["37627453.22"]);
        assert_eq!(shaped_of("４５０７０８８．２２"), ["4507088.22"]);
        assert_eq!(
            shaped_of("\"4507088.22\",\"41473349.92\""),
            ["4507088.22", "41473349.92"]
        );
        // Y without prefix needs a decimal; an 8-digit Y needs a zone prefix.
        assert_eq!(shaped_of("473349.92 473349"), ["473349.92"]);
        assert!(shaped_of("87654321.5").is_empty());
        // Not coordinates.
        for l in [
            "2000国家大地坐标系1985国家高程",
            "1985国家高程基准",
            "面积0.6752平方公里",
            "*,229.5,70,金藏采区,1,",
            "联系电话:13812345678",
            "电话:0571-28123456",
            "日期:20170331",
            "2017.03.31",
            "X2000 Y2000 X80 Y80",
            "开采标高：+363米至-10米",
        ] {
            assert!(shaped_of(l).is_empty(), "{l}: {:?}", shaped_of(l));
        }
    }

    #[test]
    fn a_read_table_accounts_for_every_number() {
        let input = "矿区范围拐点坐标(2000国家大地坐标系):\n点号 X Y\nJ1 4907000.00 44420000.00\n\
                     J2 4907000.00 44420100.00\nJ3 4907100.00 44420100.00\n面积0.0050平方公里\n";
        let r = parse_str(input, &ParseOptions::default());
        assert!(
            unaccounted(input, &r).is_empty(),
            "{:?}",
            unaccounted(input, &r)
        );
    }

    #[test]
    fn a_masked_number_is_accounted_by_its_problem() {
        let input = "2000国家大地坐标系\n1,4**7000.00,44420000.00, , ,\n2,4907000.00,44420100.00, , ,\n\
                     3,4907100.00,44420100.00, , ,\n*,300,200,采区,1,\n";
        let r = parse_str(input, &ParseOptions::default());
        assert!(
            unaccounted(input, &r).is_empty(),
            "{:?}",
            unaccounted(input, &r)
        );
    }

    #[test]
    fn a_dropped_number_is_found() {
        let input = "1,4907000.00,44420000.00, , ,\n2,4907000.00,44420100.00, , ,\n\
                     3,4907100.00,44420100.00, , ,\n*,300,200,采区,1,\n";
        let mut r = parse_str(input, &ParseOptions::default());
        assert!(unaccounted(input, &r).is_empty());
        // Forget point 3: its X and Y are reported, on line 3.
        r.blocks[0].rings[0].points.pop();
        // Its X is reported, on line 3; its Y is still point 2's Y (numbers are compared with
        // all points).
        let u = unaccounted(input, &r);
        assert_eq!(
            u,
            [Unaccounted {
                line: 3,
                text: "4907100.00".into()
            }]
        );
        assert!(u[0].to_string().contains("第 3 行"));
        // A problem on line 3 quoting the number accounts for it; one on another line does not.
        let p = |line| {
            crate::corners::Problem::new(
                crate::corners::ProblemKind::UnreadableLine,
                crate::corners::Severity::Error,
                "第 3 行：拐点 3 的 X 值“4907100.0”未读取",
            )
            .at_line(Some(line))
        };
        r.problems.push(p(2));
        assert_eq!(unaccounted(input, &r).len(), 1);
        r.problems.push(p(3));
        assert!(unaccounted(input, &r).is_empty());
    }

    #[test]
    fn decoded_text_is_what_parse_bytes_reads() {
        // "拐点" in GBK, and a BOM.
        assert_eq!(decoded_text(&[0xB9, 0xD5, 0xB5, 0xE3]), "拐点");
        assert_eq!(
            decoded_text("\u{feff}1,4907000.00".as_bytes()),
            "1,4907000.00"
        );
    }

    #[test]
    fn geojson_and_wkt_are_not_checked() {
        let r = parse_str("{}", &ParseOptions::default());
        assert!(unaccounted("{\"x\": 4907000.00}", &r).is_empty());
        assert!(unaccounted("\u{feff} POLYGON((4907000.5 44420000.5))", &r).is_empty());
        assert!(unaccounted("srid=4490;POLYGON((4907000.5 44420000.5))", &r).is_empty());
    }
}
