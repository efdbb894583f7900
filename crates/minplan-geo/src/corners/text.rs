//! Text handling shared by the layout readers: decoding, full-width folding, numbers with
//! junk, and the datum/zone statements people write around a table.

use super::Datum;

/// Decodes bytes: a UTF-8 BOM is stripped; valid UTF-8 is taken as is; otherwise GBK
/// (decoded as GB 18030, its superset). Returns the text and a note saying which.
pub(crate) fn decode(input: &[u8]) -> (String, Option<String>) {
    let bytes = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_owned(), None),
        Err(_) => {
            let (cow, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            let note = if had_errors {
                "文件不是 UTF-8，按 GBK 解码时有无法识别的字节（已替换为 �）".to_owned()
            } else {
                "文件编码：GBK（按 GB 18030 解码）".to_owned()
            };
            (cow.into_owned(), Some(note))
        }
    }
}

/// Folds full-width ASCII (U+FF01–U+FF5E, so `～` too) and the ideographic space to ASCII, a
/// few punctuation marks people paste from Word (`，` `；` `：` `、` `－` `—` `〜`) to their
/// ASCII counterparts, and the traditional characters of the keywords the readers look for
/// ([`TRADITIONAL`]) to simplified ones; other spaces (U+2002–U+200A, U+202F) become a space,
/// zero-width characters (U+200B–U+200D, U+2060, U+FEFF) go, and CR LF or a lone CR ends a
/// line. Line numbers are kept. Degree/minute/second marks (`°′″'"`, `度分秒`) are kept, and
/// so is `至`.
pub(crate) fn normalize(s: &str) -> String {
    let html;
    let s = if s.contains('&') || s.contains("<t") || s.contains("<T") {
        html = strip_html(s);
        html.as_str()
    } else {
        s
    };
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while !rest.is_empty() {
        // Runs of plain ASCII are copied as they are.
        let n = rest
            .bytes()
            .position(|b| {
                b >= 0x80 || b == b'\r' || (b < 0x20 && b != b'\n' && b != b'\t') || b == 0x7f
            })
            .unwrap_or(rest.len());
        out.push_str(&rest[..n]);
        rest = &rest[n..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        rest = &rest[c.len_utf8()..];
        match c {
            // CR LF is one line end (line numbers stay those of the file); a lone CR too.
            '\r' if rest.starts_with('\n') => {}
            '\r' => out.push('\n'),
            // Other control characters (NUL from a broken export…) separate like a space.
            '\u{0}'..='\u{1F}' | '\u{7F}' => out.push(' '),
            '\u{FF01}'..='\u{FF5E}' => {
                out.push(char::from_u32(c as u32 - 0xFEE0).unwrap_or(c));
            }
            '\u{3000}' | '\u{00A0}' | '\u{2002}'..='\u{200A}' | '\u{202F}' => out.push(' '),
            // Zero-width characters web pages leave in copied tables.
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => {}
            '、' => out.push(','),
            '—' | '–' | '−' => out.push('-'),
            '。' => out.push('.'),
            '〜' => out.push('~'),
            // A decimal point written as a middle dot (`4910100·00`).
            '·' | '•' | '∙' | '‧'
                if out.ends_with(|d: char| d.is_ascii_digit())
                    && rest.starts_with(|d: char| d.is_ascii_digit()) =>
            {
                out.push('.')
            }
            // Degree signs typed as the ordinal or ring above; ditto marks as seconds.
            'º' | '˚' => out.push('°'),
            '〃' => out.push('″'),
            _ => out.push(simplified(c)),
        }
    }
    out
}
/// Traditional characters met in notices (Hong Kong/Taiwan editors, old scanned files) and
/// their simplified forms — only characters of the keywords the readers look for: 点号, 坐标,
/// 经度, 纬度, 标高, 高程系统, 面积, 矿区, 范围, 拐点, 国家, 变更为, 开采, 采矿权, 图层,
/// 总长, 宽, 项, 处, 据, 级, 基准, 个. Not a general converter: a character that is one word's
/// traditional form and another's simplified form is not in the table.
const TRADITIONAL: &[(char, char)] = &[
    ('點', '点'),
    ('號', '号'),
    ('標', '标'),
    ('經', '经'),
    ('緯', '纬'),
    ('區', '区'),
    ('礦', '矿'),
    ('鑛', '矿'),
    ('範', '范'),
    ('圍', '围'),
    ('積', '积'),
    ('國', '国'),
    ('級', '级'),
    ('開', '开'),
    ('採', '采'),
    ('層', '层'),
    ('權', '权'),
    ('圖', '图'),
    ('據', '据'),
    ('處', '处'),
    ('變', '变'),
    ('為', '为'),
    ('爲', '为'),
    ('總', '总'),
    ('長', '长'),
    ('寬', '宽'),
    ('項', '项'),
    ('係', '系'),
    ('統', '统'),
    ('準', '准'),
    ('個', '个'),
];

/// Web leftovers in pasted text: `&nbsp;`, `&#160;` and other entities of spaces become a
/// space, `&amp;` `&lt;` `&gt;` their characters; table tags (`<td>`, `</td>`, `<tr>`…) a tab,
/// other tags nothing. Line ends are kept.
fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['&', '<']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('&') {
            let entity = rest[1..]
                .find(';')
                .filter(|&j| j <= 8)
                .map(|j| &rest[..j + 2]);
            let replaced = match entity.map(str::to_ascii_lowercase).as_deref() {
                Some("&nbsp;" | "&#160;" | "&#xa0;" | "&ensp;" | "&emsp;" | "&#12288;") => {
                    Some(" ")
                }
                Some("&amp;") => Some("&"),
                Some("&lt;") => Some("<"),
                Some("&gt;") => Some(">"),
                _ => None,
            };
            match (entity, replaced) {
                (Some(e), Some(r)) => {
                    out.push_str(r);
                    rest = &rest[e.len()..];
                }
                _ => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        } else {
            // `<` starts a tag only when a letter or `/` follows and `>` closes it on the line.
            let close = rest.find('>').filter(|&j| !rest[..j].contains('\n'));
            let tagged = rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
            match close {
                Some(j) if tagged => {
                    let name = rest[1..j].trim_start_matches('/').to_ascii_lowercase();
                    if ["td", "th", "tr", "br", "p", "div"]
                        .iter()
                        .any(|t| name.starts_with(t))
                    {
                        out.push('\t');
                    }
                    rest = &rest[j + 1..];
                }
                _ => {
                    out.push('<');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out
}

/// The simplified form of a traditional keyword character ([`TRADITIONAL`]), else `c`.
fn simplified(c: char) -> char {
    if (c as u32) < 0x4E00 {
        return c;
    }
    TRADITIONAL
        .iter()
        .find(|(t, _)| *t == c)
        .map_or(c, |(_, s)| *s)
}

/// Why a number could not be read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NumError {
    Empty,
    /// The offending characters.
    Junk(String),
}

/// Parses a decimal number as people write it: optional sign, digits, one decimal point.
/// Thousands separators are not accepted (a comma separates fields in these layouts).
/// Anything else — masked digits `*`, letters, `?`, a second point — is junk, reported with
/// the characters found.
pub(crate) fn parse_number(s: &str) -> Result<f64, NumError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(NumError::Empty);
    }
    let body = t.strip_prefix('+').unwrap_or(t);
    let mut dots = 0;
    let mut junk = String::new();
    for (i, c) in body.chars().enumerate() {
        match c {
            '0'..='9' => {}
            '.' => dots += 1,
            '-' if i == 0 => {}
            _ => junk.push(c),
        }
    }
    if dots > 1 {
        junk.push('.');
    }
    if !junk.is_empty() {
        return Err(NumError::Junk(junk));
    }
    body.parse::<f64>()
        .map_err(|_| NumError::Junk(body.to_owned()))
}

/// Whether a token looks like an attempt at a number: mostly digits, possibly with junk
/// (`4**7088.22`, `4507O88.22`). Used to tell coordinate cells from labels and text.
pub(crate) fn numberish(s: &str) -> bool {
    let t = s.trim();
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let total = t.chars().count();
    digits >= 4 && digits * 2 >= total
        || (digits >= 1
            && t.chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+')))
}

/// Integer digit count of a positive value (`4507088.22` → 7).
pub(crate) fn int_digits(v: f64) -> u32 {
    let a = v.abs().trunc();
    if a < 1.0 {
        1
    } else {
        a.log10().floor() as u32 + 1
    }
}

/// Datum, zone and format statements found in free text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Hints {
    /// Datum stated, with the words that stated it and the line.
    pub datum: Option<(Datum, String, Option<usize>)>,
    /// An EPSG code stated (`EPSG:4532`).
    pub epsg: Option<(u32, Option<usize>)>,
    /// Zone number stated (`第44带`, `带号=44`).
    pub zone: Option<(u32, Option<usize>)>,
    /// Central meridian stated (`中央经线132°`, `中央子午线 132`), whole degrees east.
    pub central_meridian: Option<(u32, Option<usize>)>,
    /// Zone width stated (`3度带`, `三度带`).
    pub width_six: Option<bool>,
    /// `ddd.mmss` declared.
    pub ddd_mmss: bool,
}

impl Hints {
    /// Scans one line (1-based `line`) for statements; returns whether it held any.
    pub fn scan(&mut self, line_text: &str, line: Option<usize>) -> bool {
        let mut found = false;
        let l = line_text.to_uppercase().replace(' ', "");
        if let Some((d, w)) = datum_in(&l) {
            if self.datum.is_none() {
                self.datum = Some((d, w.to_owned(), line));
            }
            found = true;
        }
        if let Some(code) = epsg_in(&l) {
            self.epsg.get_or_insert((code, line));
            found = true;
        }
        if let Some(z) = zone_in(&l) {
            self.zone.get_or_insert((z, line));
            found = true;
        }
        if let Some(cm) = central_meridian_in(&l) {
            self.central_meridian.get_or_insert((cm, line));
            found = true;
        }
        if l.contains("3度")
            || l.contains("三度")
            || l.contains("3°带")
            || l.contains("3°分带")
            || l.contains("几度分带=3")
        {
            self.width_six.get_or_insert(false);
            found = true;
        } else if l.contains("6度")
            || l.contains("六度")
            || l.contains("6°带")
            || l.contains("6°分带")
            || l.contains("几度分带=6")
        {
            self.width_six.get_or_insert(true);
            found = true;
        }
        if l.contains("DDD.MMSS") || l.contains("度.分秒") || l.contains("DD.MMSS") {
            self.ddd_mmss = true;
            found = true;
        }
        found
    }
}

/// Datum words, upper-cased, spaces removed.
fn datum_in(l: &str) -> Option<(Datum, &'static str)> {
    // `座标` is written for `坐标`; `1954年北京坐标系` names the year.
    let folded;
    let l = if l.contains("座标") || l.contains('年') {
        folded = l.replace("座标", "坐标").replace('年', "");
        folded.as_str()
    } else {
        l
    };
    const TABLE: &[(&str, Datum)] = &[
        ("CGCS2000", Datum::Cgcs2000),
        ("CGCS-2000", Datum::Cgcs2000),
        ("2000国家大地坐标", Datum::Cgcs2000),
        ("国家2000", Datum::Cgcs2000),
        ("2000国家坐标", Datum::Cgcs2000),
        ("2000坐标系", Datum::Cgcs2000),
        ("2000大地坐标", Datum::Cgcs2000),
        ("西安80", Datum::Xian1980),
        ("西安1980", Datum::Xian1980),
        ("1980西安", Datum::Xian1980),
        ("80西安", Datum::Xian1980),
        ("西安坐标系", Datum::Xian1980),
        ("XIAN80", Datum::Xian1980),
        ("北京54", Datum::Beijing1954),
        ("北京1954", Datum::Beijing1954),
        ("1954北京", Datum::Beijing1954),
        ("54北京", Datum::Beijing1954),
        ("北京坐标系", Datum::Beijing1954),
        ("BEIJING54", Datum::Beijing1954),
        ("WGS84", Datum::Wgs84),
        ("WGS-84", Datum::Wgs84),
        ("地方坐标系", Datum::Local),
        ("独立坐标系", Datum::Local),
        ("任意坐标系", Datum::Local),
    ];
    // Every mention with its place; a negated one (`非2000…`, `尚未转换为2000…`) does not
    // count; one the coordinates were converted to (`已转换为2000…`) wins; else the first.
    let mut found: Vec<(usize, Datum, &'static str, bool)> = Vec::new();
    for (w, d) in TABLE {
        for (i, _) in l.match_indices(w) {
            let before: String = {
                let head = &l[..i];
                let chars: Vec<char> = head.chars().collect();
                chars[chars.len().saturating_sub(6)..].iter().collect()
            };
            let negated = before.ends_with('非')
                || before.contains("未转换")
                || before.contains("未转")
                || before.contains("不是")
                || before.ends_with("不属");
            if negated {
                continue;
            }
            let converted_to = before.contains("转换为")
                || before.contains("转换至")
                || before.contains("转为")
                || before.contains("换算为");
            found.push((i, *d, *w, converted_to));
        }
    }
    found
        .iter()
        .find(|f| f.3)
        .or_else(|| found.iter().min_by_key(|f| f.0))
        .map(|f| (f.1, f.2))
}

/// `中央经线132°`, `中央子午线:132`, `中央经度132E` (upper-cased, spaces removed): whole degrees
/// 72–138.
fn central_meridian_in(l: &str) -> Option<u32> {
    let at = ["中央经线", "中央子午线", "中央经度"]
        .iter()
        .find_map(|w| l.find(w).map(|i| i + w.len()))?;
    let rest = l[at..].trim_start_matches(['=', ':', '：', '为', '是']);
    let d: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = &rest[d.len()..];
    if after.starts_with('.') && after[1..].starts_with(|c: char| c.is_ascii_digit() && c != '0') {
        return None;
    }
    d.parse().ok().filter(|v| (72..=138).contains(v))
}

fn epsg_in(l: &str) -> Option<u32> {
    let i = l.find("EPSG")?;
    let rest = &l[i + 4..];
    let digits: String = rest
        .trim_start_matches([':', '：', '='])
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn zone_in(l: &str) -> Option<u32> {
    // 带号=44 / 带号:44 / 带号 44
    if let Some(i) = l.find("带号") {
        let rest = l[i + "带号".len()..].trim_start_matches(['=', ':', '：', '为']);
        let d: String = rest.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(z) = d.parse() {
            return Some(z);
        }
    }
    // 第44带 / 44带 (not 3度带 / 6度带)
    for (i, _) in l.match_indices('带') {
        let before = &l[..i];
        let d: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if d.len() >= 2
            && let Ok(z) = d.parse::<u32>()
        {
            return Some(z);
        }
    }
    None
}

/// Datum of a non-CGCS2000 EPSG code people meet in China (Xi'an 80 and Beijing 54 Gauss–Krüger
/// and geographic, WGS 84 and its UTM zones); `None` for codes not known here.
pub(crate) fn datum_of_foreign_epsg(code: u32) -> Option<Datum> {
    match code {
        2327..=2390 | 4610 => Some(Datum::Xian1980),
        2401..=2442 | 21413..=21423 | 21473..=21483 | 4214 => Some(Datum::Beijing1954),
        4326 | 32601..=32660 | 32701..=32760 => Some(Datum::Wgs84),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_junk() {
        assert_eq!(parse_number(" 4507088.2206 "), Ok(4507088.2206));
        assert_eq!(parse_number("+363"), Ok(363.0));
        assert_eq!(parse_number("-12.5"), Ok(-12.5));
        assert_eq!(parse_number("4**7088.22"), Err(NumError::Junk("**".into())));
        assert_eq!(parse_number("45O7088.22"), Err(NumError::Junk("O".into())));
        assert_eq!(parse_number("4507.088.22"), Err(NumError::Junk(".".into())));
        assert_eq!(parse_number(" "), Err(NumError::Empty));
        assert!(numberish("4**7088.22"));
        assert!(!numberish("J1"));
        assert!(numberish("12"));
    }

    #[test]
    fn full_width_is_folded() {
        assert_eq!(normalize("Ｊ１，４５０７０８８．２２"), "J1,4507088.22");
        // Windows and old Mac line ends keep the file's line numbers.
        assert_eq!(normalize("a\r\nb\rc\n").lines().count(), 3);
        assert_eq!(
            normalize("J1\u{200b}\t4910000.00\u{feff}"),
            "J1\t4910000.00"
        );
    }

    #[test]
    fn traditional_keywords_are_folded() {
        assert_eq!(normalize("點號 X Y"), "点号 X Y");
        assert_eq!(normalize("拐點坐標"), "拐点坐标");
        assert_eq!(normalize("經度 緯度"), "经度 纬度");
        assert_eq!(normalize("由+195M至+175M標高"), "由+195M至+175M标高");
        assert_eq!(
            normalize("礦區範圍面積0.6752平方公里"),
            "矿区范围面积0.6752平方公里"
        );
        assert_eq!(normalize("2000國家大地坐標系"), "2000国家大地坐标系");
        assert_eq!(
            normalize("開採深度由1830米至1310米變更為1830米至1220米"),
            "开采深度由1830米至1310米变更为1830米至1220米"
        );
        assert_eq!(
            normalize("採礦權 圖層 總長 寬 項 處 級 據"),
            "采矿权 图层 总长 宽 项 处 级 据"
        );
        assert_eq!(
            normalize("高程系統:1985國家高程基準"),
            "高程系统:1985国家高程基准"
        );
        // One character for one: positions are kept.
        let t = "礦區範圍由14個拐點圈定";
        assert_eq!(normalize(t).chars().count(), t.chars().count());
    }

    #[test]
    fn tildes_fold_and_marks_stay() {
        assert_eq!(normalize("+27〜+5m"), "+27~+5m");
        assert_eq!(normalize("363m～10m"), "363m~10m");
        assert_eq!(normalize("363米至10米"), "363米至10米");
        assert_eq!(normalize("83°00′48.281″"), "83°00′48.281″");
        assert_eq!(normalize("83°00'48.281\""), "83°00'48.281\"");
        assert_eq!(normalize("44度35分59.917秒"), "44度35分59.917秒");
        assert_eq!(normalize("a\r\nb"), "a\nb");
    }

    #[test]
    fn hints() {
        let mut h = Hints::default();
        assert!(h.scan("坐标系：2000国家大地坐标系，3度带，第44带", Some(1)));
        assert_eq!(h.datum.as_ref().unwrap().0, Datum::Cgcs2000);
        assert_eq!(h.zone.unwrap().0, 44);
        assert_eq!(h.width_six, Some(false));
        let mut h = Hints::default();
        h.scan("（1980西安坐标系）", None);
        assert_eq!(h.datum.unwrap().0, Datum::Xian1980);
        let mut h = Hints::default();
        h.scan("坐标系：2000国家大地坐标系，中央经线132°，3°分带", None);
        assert_eq!(h.central_meridian.unwrap().0, 132);
        assert_eq!(h.width_six, Some(false));
        for (line, want) in [
            (
                "坐标系：1980西安坐标系（尚未转换为2000国家大地坐标系）",
                Datum::Xian1980,
            ),
            (
                "坐标系：北京54坐标系（未转换至CGCS2000）",
                Datum::Beijing1954,
            ),
            ("（非2000国家大地坐标系）1980西安坐标", Datum::Xian1980),
            (
                "原1980西安坐标系已转换为2000国家大地坐标系",
                Datum::Cgcs2000,
            ),
        ] {
            let mut h = Hints::default();
            h.scan(line, None);
            assert_eq!(h.datum.unwrap().0, want, "{line}");
        }
        let mut h = Hints::default();
        h.scan("EPSG:4532", None);
        assert_eq!(h.epsg.unwrap().0, 4532);
    }

    #[test]
    fn gbk_is_detected() {
        // "拐点" in GBK: B9D5 B5E3.
        let (s, note) = decode(&[0xB9, 0xD5, 0xB5, 0xE3]);
        assert_eq!(s, "拐点");
        assert!(note.unwrap().contains("GBK"));
        let (s, note) = decode("\u{feff}拐点".as_bytes());
        assert_eq!(s, "拐点");
        assert!(note.is_none());
    }
}
