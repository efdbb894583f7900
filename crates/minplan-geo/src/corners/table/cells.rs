//! Cells of a pasted table and what each looks like: coordinates by their digits (7-digit
//! northing, 8-digit prefixed or 6-digit easting, degrees with marks, decimal degrees), masked
//! numbers, point labels, other numbers and words.

/// What a cell looks like, judged from its characters only (digit counts, marks).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// 7 integer digits: a Gauss–Krüger northing (X) in China — or a packed `dddmmss.ss`
    /// longitude, which only a 经度/纬度 header can tell.
    PlaneX,
    /// 8 integer digits (zone prefix + easting) or 6 integer digits with decimals: an
    /// easting (Y) — or a packed `ddmmss.ss` latitude (see [`Shape::PlaneX`]).
    PlaneY,
    /// Degrees, minutes, seconds with marks (`83°00'48.281"`, `131度09分12秒`).
    Dms,
    /// 1–3 integer digits and at least 3 decimals, at most 180: decimal degrees or packed
    /// `ddd.mmss`.
    Degrees,
    /// Digits with `*` in place of some of them (`****002.38`), or garbled (`44428?08.30`):
    /// a coordinate that cannot be read, reported with the characters found.
    Masked,
    /// `0` (export placeholder rows `| 11 | 0 | 0 |`).
    Zero,
    /// A point label: `1`, `J1`, `拐点1`, `P-3`, `1号` (1–4 digits, no decimal point).
    Label,
    /// Any other number (`3.68`, `229.5`, `2024`).
    Number,
    /// Words.
    Text,
}

impl Shape {
    /// Whether the cell has the shape of a coordinate.
    pub fn is_coord(self) -> bool {
        matches!(
            self,
            Shape::PlaneX | Shape::PlaneY | Shape::Dms | Shape::Degrees | Shape::Masked
        )
    }

    /// Whether the cell looks like plane metres.
    pub fn is_plane(self) -> bool {
        matches!(self, Shape::PlaneX | Shape::PlaneY)
    }

    /// Whether the cell looks like an angle.
    pub fn is_angle(self) -> bool {
        matches!(self, Shape::Dms | Shape::Degrees)
    }
}

/// One cell with its line.
#[derive(Debug, Clone)]
pub(crate) struct Cell {
    /// The text (a sentence-final full stop removed).
    pub text: String,
    /// 1-based line.
    pub line: usize,
    /// What it looks like.
    pub shape: Shape,
}

/// Splits a line into cells: tabs, spaces, `,`, `;`, `|`, `:`, `=`, `~` and brackets separate;
/// degree/minute/second marks keep the parts of one angle together (`131° 09′ 12.3″`, only
/// after a degree mark: `K1'` is a primed label); Excel's quoted numbers with thousands
/// separators (`"4,910,000.000"`) are one number; digits grouped by spaces (`4 910 000.00`) and
/// angles written as three plain parts (`131 06 00.00`) are joined (see [`join_groups`]).
pub(crate) fn cells(t: &str, line: usize) -> Vec<Cell> {
    let t = unquote_thousands(t);
    let mut glued = String::with_capacity(t.len());
    let mut prev_mark = false;
    let mut in_angle = false;
    let chars: Vec<char> = t.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() && prev_mark && in_angle {
            continue;
        }
        // `131 ° 06 ′`, `* ° * ′ * ″`: a space before a mark after a digit or `*`.
        if c.is_whitespace()
            && glued.ends_with(|p: char| p.is_ascii_digit() || p == '*')
            && chars[i + 1..]
                .iter()
                .find(|n| !n.is_whitespace())
                .is_some_and(|n| matches!(n, '°' | '′' | '″' | '度' | '分' | '秒'))
        {
            continue;
        }
        if matches!(c, '°' | '度') {
            // `44.336111°` is a whole angle: nothing glues to it.
            let decimal_before = glued
                .rsplit(|ch: char| !(ch.is_ascii_digit() || ch == '.'))
                .next()
                .is_some_and(|n| n.contains('.'));
            in_angle = !decimal_before;
        } else if !(c.is_ascii_digit() || matches!(c, '.' | '*') || is_minute_or_second(c)) {
            in_angle = false;
        }
        prev_mark = matches!(c, '°' | '′' | '\'' | '度' | '分' | '’');
        glued.push(c);
    }
    let raw: Vec<Cell> = glued
        .split(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    ',' | ';' | '|' | '\t' | ':' | '=' | '(' | ')' | '[' | ']' | '~' | '/'
                )
        })
        .filter(|s| !s.is_empty())
        .map(|s| {
            // A CSV cell in quotes (`"J1"`); a closing `"` alone is a seconds mark.
            let s = match s.strip_prefix('"') {
                Some(inner) => inner.strip_suffix('"').unwrap_or(inner),
                None => s,
            };
            let s = strip_marks_around(strip_sentence_stop(s));
            Cell {
                text: s.to_owned(),
                line,
                shape: shape(s),
            }
        })
        .collect();
    join_groups(split_glued_labels(raw))
}

/// `①4175560.923` → `①`, `4175560.923`: a circled number glued to its coordinate.
fn split_glued_labels(cells: Vec<Cell>) -> Vec<Cell> {
    let mut out = Vec::with_capacity(cells.len());
    for c in cells {
        let mut chars = c.text.chars();
        match chars.next() {
            Some(first)
                if ('\u{2460}'..='\u{2473}').contains(&first)
                    && chars.as_str().starts_with(|d: char| d.is_ascii_digit()) =>
            {
                let rest = chars.as_str().to_owned();
                out.push(Cell {
                    text: first.to_string(),
                    line: c.line,
                    shape: Shape::Label,
                });
                out.push(Cell {
                    shape: shape(&rest),
                    text: rest,
                    line: c.line,
                });
            }
            _ => out.push(c),
        }
    }
    out
}

fn is_minute_or_second(c: char) -> bool {
    matches!(c, '′' | '″' | '\'' | '"' | '分' | '秒' | '’' | '”')
}

/// `"4,910,000.000"` (a quoted number with thousands separators, as Excel writes CSV) →
/// `4910000.000`; other text is left alone.
fn unquote_thousands(t: &str) -> std::borrow::Cow<'_, str> {
    if !t.contains('"') {
        return std::borrow::Cow::Borrowed(t);
    }
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    while let Some(i) = rest.find('"') {
        let (before, after) = rest.split_at(i);
        out.push_str(before);
        let opens = before
            .chars()
            .last()
            .is_none_or(|c| c == ',' || c.is_whitespace());
        let body_end = after[1..].find('"');
        match body_end {
            Some(j)
                if opens
                    && after[1..1 + j].contains(',')
                    && after[1..1 + j]
                        .chars()
                        .all(|c| c.is_ascii_digit() || c == ',' || c == '.' || c == '-') =>
            {
                out.push_str(&after[1..1 + j].replace(',', ""));
                rest = &after[j + 2..];
            }
            _ => {
                out.push('"');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// Joins cells that belong together: a number split by thousands spaces (`4 910 000.00`: a
/// group of 1–3 digits, then groups of exactly 3, the last may carry decimals) when the joined
/// number has the shape of a coordinate; and angles written as three plain parts after a
/// label (`131 06 00.00 44 24 00.00`: degrees 3–180, two-digit minutes and seconds below 60).
fn join_groups(cells: Vec<Cell>) -> Vec<Cell> {
    let plain =
        |c: &Cell| !c.text.is_empty() && c.text.chars().all(|ch| ch.is_ascii_digit() || ch == '.');
    let mut out: Vec<Cell> = Vec::with_capacity(cells.len());
    let mut i = 0;
    while i < cells.len() {
        let after_label = out.last().is_none_or(|c: &Cell| c.shape == Shape::Label);
        // Angles in three plain parts, two of them.
        if after_label
            && i + 6 <= cells.len()
            && cells[i..i + 6].iter().all(plain)
            && dms_triplet(&cells[i..i + 3])
            && dms_triplet(&cells[i + 3..i + 6])
        {
            for k in [i, i + 3] {
                out.push(Cell {
                    text: cells[k..k + 3]
                        .iter()
                        .map(|c| c.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    line: cells[k].line,
                    shape: Shape::Dms,
                });
            }
            i += 6;
            continue;
        }
        // Thousands groups.
        let head = &cells[i].text;
        if (1..=3).contains(&head.len()) && head.chars().all(|c| c.is_ascii_digit()) {
            let mut j = i + 1;
            let mut text = head.clone();
            while j < cells.len() {
                let g = &cells[j].text;
                let (int, frac) = g.split_once('.').unwrap_or((g, ""));
                if int.len() == 3
                    && int.chars().all(|c| c.is_ascii_digit())
                    && frac.chars().all(|c| c.is_ascii_digit())
                {
                    text.push_str(g);
                    j += 1;
                    if !frac.is_empty() || g.ends_with('.') {
                        break;
                    }
                } else {
                    break;
                }
            }
            let joined = shape(&text);
            if j > i + 1 && matches!(joined, Shape::PlaneX | Shape::PlaneY) {
                out.push(Cell {
                    shape: joined,
                    text,
                    line: cells[i].line,
                });
                i = j;
                continue;
            }
        }
        out.push(cells[i].clone());
        i += 1;
    }
    out
}

/// Degrees 3–180 (integer), minutes 0–59 (integer, two digits), seconds < 60 (two integer
/// digits).
fn dms_triplet(c: &[Cell]) -> bool {
    let d: Option<u32> = c[0].text.parse().ok();
    let m = &c[1].text;
    let s = &c[2].text;
    let s_int = s.split('.').next().unwrap_or("");
    d.is_some_and(|d| (3..=180).contains(&d))
        && m.len() == 2
        && m.parse::<u32>().is_ok_and(|m| m < 60)
        && s_int.len() == 2
        && s.parse::<f64>().is_ok_and(|s| s < 60.0)
}

/// Units and hemisphere or axis letters written on a coordinate: `4910100.00m`, `…米`,
/// `4910100.00N`, `N4910100.00`, `X4910100.00`, `44°20′10.00″N`, `北纬44°20′10″`,
/// `东经131.1`, `44.336111°` → the number or angle alone.
fn strip_marks_around(s: &str) -> &str {
    let body = s
        .strip_prefix("北纬")
        .or_else(|| s.strip_prefix("东经"))
        .or_else(|| s.strip_prefix(['X', 'Y', 'N', 'E', 'x', 'y']))
        .filter(|b| b.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(s);
    let body = body
        .strip_suffix("米")
        .or_else(|| body.strip_suffix(['m', 'M', 'N', 'E']))
        .filter(|b| {
            b.ends_with(|c: char| {
                c.is_ascii_digit() || matches!(c, '″' | '"' | '′' | '\'' | '°' | '秒')
            })
        })
        .unwrap_or(body);
    // `44.336111°`: decimal degrees with a degree sign.
    match body.strip_suffix('°') {
        Some(n) if n.contains('.') && n.chars().all(|c| c.is_ascii_digit() || c == '.') => n,
        _ => body,
    }
}

/// `37627453.22.` → `37627453.22`: a full stop after a number that already has its decimal
/// point ends a sentence.
fn strip_sentence_stop(s: &str) -> &str {
    match s.strip_suffix('.') {
        Some(body)
            if body.matches('.').count() == 1
                && body
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == '*') =>
        {
            body
        }
        Some(body) if !body.contains('.') && body.chars().all(|c| c.is_ascii_digit()) => body,
        _ => s,
    }
}

/// The shape of one cell.
pub(crate) fn shape(s: &str) -> Shape {
    if s.contains(['°', '度'])
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    '.' | '-' | '°' | '′' | '″' | '度' | '分' | '秒' | '\'' | '"' | '’' | '”'
                )
        })
    {
        return Shape::Dms;
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    // A masked angle (`*5°24'36.000"`).
    if s.contains('*')
        && s.contains(['°', '度'])
        && s.chars().all(|c| {
            c.is_ascii_digit()
                || matches!(
                    c,
                    '*' | '.' | '-' | '°' | '′' | '″' | '度' | '分' | '秒' | '\'' | '"' | '’' | '”'
                )
        })
    {
        return Shape::Masked;
    }
    // Masked digits (`****002.38`, `4**7088.22`), or a whole integer part masked (`*.358`).
    if s.contains('*')
        && digits >= 1
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '*' | '.'))
        && s.matches('.').count() <= 1
        && (s.chars().filter(|&c| c != '.').count() >= 5
            || s.split_once('.').is_some_and(|(int, frac)| {
                !int.is_empty()
                    && int.chars().all(|c| c == '*')
                    && frac.len() >= 2
                    && frac.chars().all(|c| c.is_ascii_digit())
            }))
    {
        return Shape::Masked;
    }
    // Garbled digits (`44428?08.30`, `45O7088.22`): mostly digits with a stray character.
    let total = s.chars().count();
    if (5..=13).contains(&digits)
        && digits * 2 >= total
        && s.chars().any(|c| !c.is_ascii_digit() && c != '.')
        && s.chars()
            .all(|c| c.is_ascii_digit() || ".*?？OolIxX×#".contains(c))
        && !s.ends_with(|c: char| c.is_ascii_alphabetic())
        && !s.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return Shape::Masked;
    }
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if !body.is_empty()
        && body.chars().all(|c| c.is_ascii_digit() || c == '.')
        && body.matches('.').count() <= 1
        && !body.starts_with('.')
    {
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        let v: f64 = body.trim_end_matches('.').parse().unwrap_or(f64::NAN);
        return match (int.len(), frac.len()) {
            (7, _) => Shape::PlaneX,
            (8, _) | (6, 1..) => Shape::PlaneY,
            (1..=3, 3..) if (3.0..=180.0).contains(&v) => Shape::Degrees,
            (_, 0) if v == 0.0 => Shape::Zero,
            (1..=5, 0) if !s.starts_with(['+', '-']) => Shape::Label,
            _ => Shape::Number,
        };
    }
    if label_like(s) {
        Shape::Label
    } else {
        Shape::Text
    }
}

/// `J1`, `拐点1`, `P-3`, `1号`, `B12a`: 1–4 digits, letters, `-`, `_`, `#`, no decimal point,
/// at most 8 characters.
fn label_like(w: &str) -> bool {
    // A prime marks a point added later (`2'`, `K1′`).
    let w = w.trim_end_matches(['\'', '′', '’']);
    // `A`…`Z` (not X or Y), `①`…`⑳`, `Ⅰ`…`Ⅻ` alone.
    let mut chars = w.chars();
    if let (Some(c), None) = (chars.next(), chars.next())
        && (c.is_ascii_uppercase() && !"XY".contains(c)
            || ('\u{2460}'..='\u{2473}').contains(&c)
            || ('\u{2160}'..='\u{216B}').contains(&c))
    {
        return true;
    }
    let digits = w.chars().filter(char::is_ascii_digit).count();
    (1..=5).contains(&digits)
        && w.chars().count() <= 8
        && w.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '#'))
}

/// A part of a label for natural sorting: numbers by value, text as text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum LabelPart {
    Num(u64),
    Text(String),
}

/// Natural sort key for labels: runs of digits by value, other runs as text (`J2` < `J10`,
/// `1-2` < `1-10`, `K1-9` < `K1-10`).
pub(crate) fn label_key(l: &str) -> Vec<LabelPart> {
    let mut out = Vec::new();
    let mut rest = l;
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            out.push(LabelPart::Num(rest[..digits].parse().unwrap_or(u64::MAX)));
            rest = &rest[digits..];
        } else {
            let text = rest.len() - rest.trim_start_matches(|c: char| !c.is_ascii_digit()).len();
            out.push(LabelPart::Text(rest[..text].to_owned()));
            rest = &rest[text..];
        }
    }
    out
}

/// A label's stem and running number: the label without its last run of digits (and without
/// a trailing prime), and that number (`J12` → (`J`, 12); `1-4` → (`1-`, 4); `2'` → (``, 2)).
/// Labels of one ring share a stem; a new stem (`B10` then `G1`, `1-4` then `2-1`) starts a
/// new ring.
pub(crate) fn label_stem(l: &str) -> (String, Option<u64>) {
    let l = l.trim_end_matches(['\'', '′', '’']);
    // A letter, circled number or Roman numeral alone counts by its place (`C` = 3, `③` = 3).
    let mut chars = l.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        let n = match c {
            'A'..='Z' => Some(c as u64 - 'A' as u64 + 1),
            'a'..='z' => Some(c as u64 - 'a' as u64 + 1),
            '\u{2460}'..='\u{2473}' => Some(c as u64 - 0x2460 + 1),
            '\u{2160}'..='\u{216B}' => Some(c as u64 - 0x2160 + 1),
            _ => None,
        };
        if n.is_some() {
            return (String::new(), n);
        }
    }
    let Some(end) = l.rfind(|c: char| c.is_ascii_digit()) else {
        return (l.to_owned(), None);
    };
    let start = l[..=end]
        .rfind(|c: char| !c.is_ascii_digit())
        .map_or(0, |i| i + l[i..].chars().next().map_or(1, char::len_utf8));
    (
        format!("{}{}", &l[..start], &l[end + 1..]),
        l[start..=end].parse().ok(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(shape("4507088.2206"), Shape::PlaneX);
        assert_eq!(shape("41473349.922"), Shape::PlaneY);
        assert_eq!(shape("473349.92"), Shape::PlaneY);
        assert_eq!(shape("83°00'48.281\""), Shape::Dms);
        assert_eq!(shape("121.5530"), Shape::Degrees);
        assert_eq!(shape("****002.38"), Shape::Masked);
        assert_eq!(shape("4**7088.22"), Shape::Masked);
        assert_eq!(shape("*.358"), Shape::Masked);
        assert_eq!(shape("*°*′*″"), Shape::Masked);
        let c = cells("Ⅰ | * ° * ′ * ″ | * ° * ′ * ″ |", 1);
        assert_eq!(c.len(), 3, "{c:?}");
        assert_eq!((c[1].text.as_str(), c[1].shape), ("*°*′*″", Shape::Masked));
        let c = cells("①4175560.923 40592990.799", 1);
        assert_eq!((c[0].text.as_str(), c[1].shape), ("①", Shape::PlaneX));
        assert_eq!(shape("0.*"), Shape::Text);
        assert_eq!(shape("44428?08.30"), Shape::Masked);
        assert_eq!(shape("*5°24'36.000\""), Shape::Masked);
        assert_eq!(shape("0"), Shape::Zero);
        assert_eq!(shape("J14"), Shape::Label);
        assert_eq!(shape("11"), Shape::Label);
        assert_eq!(shape("拐点1"), Shape::Label);
        assert_eq!(shape("3.68"), Shape::Number);
        assert_eq!(shape("229.5"), Shape::Number);
        assert_eq!(shape("一"), Shape::Text);
        assert_eq!(shape("**县**矿"), Shape::Text);
        assert_eq!(shape("91650100228665922F"), Shape::Text);
        let c = cells("6\t3762745.11\t37627453.22.", 3);
        assert_eq!(c[2].text, "37627453.22");
        assert_eq!(c[2].shape, Shape::PlaneY);
        let c = cells("| 1 | 83°00' 48.281\" | 44°35'59.917\" |", 1);
        assert_eq!(c.len(), 3);
        assert_eq!(c[1].text, "83°00'48.281\"");
        assert!(label_key("J2") < label_key("J10"));
        assert!(label_key("1-2") < label_key("1-10"));
        assert!(label_key("1-12") < label_key("2-1"));
        assert_eq!(label_stem("J12"), ("J".to_owned(), Some(12)));
        assert_eq!(label_stem("1-4"), ("1-".to_owned(), Some(4)));
        assert_eq!(label_stem("2'"), (String::new(), Some(2)));
        assert_eq!(label_stem("1号"), ("号".to_owned(), Some(1)));
        // Primed labels, thousands groups, quoted Excel numbers, angles in plain parts.
        let c = cells("K1' 4910000.00 44420000.00", 1);
        assert_eq!((c[0].text.as_str(), c[0].shape), ("K1'", Shape::Label));
        assert_eq!(c[1].shape, Shape::PlaneX);
        assert_eq!(shape("2'"), Shape::Label);
        let c = cells("1 4 910 000.00 44 420 000.00", 1);
        let t: Vec<&str> = c.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(t, ["1", "4910000.00", "44420000.00"]);
        let c = cells("1,\"4,910,000.000\",\"44,420,000.000\"", 1);
        let t: Vec<&str> = c.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(t, ["1", "4910000.000", "44420000.000"]);
        let c = cells("1 131 06 00.00 44 24 00.00", 1);
        assert_eq!(c[1].shape, Shape::Dms);
        assert_eq!(c[2].text, "44 24 00.00");
        assert_eq!(shape("0.0100"), Shape::Number);
        assert_eq!(shape("0.0100Km2"), Shape::Text);
        assert_eq!(shape("A"), Shape::Label);
        assert_eq!(shape("③"), Shape::Label);
        assert_eq!(shape("X"), Shape::Text);
        for (line, want) in [
            ("J4 4910100.00m 44420000.00m", "4910100.00"),
            ("J4 N4910100.00 E44420000.00", "4910100.00"),
            ("J4 X4910100.00 Y44420000.00", "4910100.00"),
            ("\"J4\",\"4910100.00\",\"44420000.00\"", "4910100.00"),
            ("J4 4910100.00/44420000.00", "4910100.00"),
        ] {
            let c = cells(line, 1);
            assert_eq!((c.len(), c[1].text.as_str()), (3, want), "{line}");
            assert_eq!(c[2].shape, Shape::PlaneY, "{line}");
        }
        let c = cells("1 44.336111° 131.100000", 1);
        assert_eq!(
            (c[1].text.as_str(), c[2].text.as_str()),
            ("44.336111", "131.100000")
        );
        let c = cells("1 北纬44°20′10.00″ 东经131°06′00.00″E", 1);
        assert_eq!(c[1].text, "44°20′10.00″");
        assert_eq!(c[2].text, "131°06′00.00″");
    }
}
