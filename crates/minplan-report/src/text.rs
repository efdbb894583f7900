//! Text formatting for reports: numbers, dates as people write them, citations, sentences
//! said once.

use minplan_domain::citation::Citation;

/// `v` with at most `decimals` decimals, trailing zeros (and a trailing point) removed.
pub(crate) fn trim_number(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" { "0".into() } else { s }
}

/// A citation stored as a string (monitoring rows, where the plan is not at hand) as people
/// read it: `《规划》四（三）1`, `《key》3` for another source, `（未核对）` when marked. A string
/// that is not a citation is shown after 《规划》 as it is, marked 未核对 (never as verified).
pub(crate) fn cite_text(s: &str) -> String {
    match Citation::parse(s) {
        Ok(c) => c.people_form(c.source(), c.checked()),
        Err(_) => format!("《规划》{s}（未核对）"),
    }
}

/// Removes the sign of a negative zero such as `-0.00` (a rounding artefact of a value just
/// below zero): `-0.00 m²（-0.00%）` → `0.00 m²（0.00%）`. Other negative numbers are kept.
pub(crate) fn tidy_negative_zero(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        // A sign: at the start or after a character that cannot be part of an identifier.
        if b[i] == b'-'
            && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b"-_/.".contains(&b[i - 1])))
        {
            // Digits and one point after the sign.
            let mut j = i + 1;
            while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.') {
                j += 1;
            }
            let num = &s[i + 1..j];
            if !num.is_empty()
                && num.bytes().any(|c| c == b'0')
                && num.bytes().all(|c| c == b'0' || c == b'.')
                && num.matches('.').count() <= 1
            {
                out.push_str(num);
                i = j;
                continue;
            }
        }
        let ch = s[i..].chars().next().expect("in bounds");
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// Text quoted inside “”: inner “” become ‘’ (the Chinese nesting).
pub(crate) fn quoted(s: &str) -> String {
    format!("“{}”", s.replace('“', "‘").replace('”', "’"))
}

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn num(s: &str) -> Option<i64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// The calendar date in China (UTC+8) of an RFC 3339 time such as
/// `2026-11-30T17:00:00Z` (→ 2026-12-01) or `2026-11-30T09:00:00+08:00`, or of a bare
/// `YYYY-MM-DD` (a time without offset is taken as China time); `None` when the text is
/// neither.
pub(crate) fn china_date(s: &str) -> Option<(i64, i64, i64)> {
    let s = s.trim();
    let (date, rest) = if s.len() > 10 {
        s.split_at(10)
    } else {
        (s, "")
    };
    let mut it = date.split('-');
    let (y, m, d) = (num(it.next()?)?, num(it.next()?)?, num(it.next()?)?);
    if it.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    if rest.is_empty() {
        return Some((y, m, d));
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (hh, mm) = (num(rest.get(0..2)?)?, num(rest.get(3..5)?)?);
    let offset_min = if rest.ends_with(['Z', 'z']) {
        0
    } else if let Some(k) = rest.rfind(['+', '-']) {
        let tz = &rest[k..];
        let sign = if tz.starts_with('-') { -1 } else { 1 };
        sign * (num(tz.get(1..3)?)? * 60 + num(tz.get(4..6)?)?)
    } else {
        // No offset: already China time.
        8 * 60
    };
    let minutes = days_from_civil(y, m, d) * 1440 + hh * 60 + mm - offset_min + 8 * 60;
    Some(civil_from_days(minutes.div_euclid(1440)))
}

/// `2026年11月30日` for a review time (see [`china_date`]); the text itself when it is not a
/// date.
pub(crate) fn chinese_date(s: &str) -> String {
    match china_date(s) {
        Some((y, m, d)) => format!("{y}年{m}月{d}日"),
        None => s.to_string(),
    }
}

/// The sentences of `s`, each with its closing `。` or `；` (the last one may have none).
fn sentences(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, ch) in s.char_indices() {
        if ch == '。' || ch == '；' {
            let end = i + ch.len_utf8();
            out.push(&s[start..end]);
            start = end;
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out
}

/// The texts with every sentence already said in an earlier text (or earlier in the same
/// text) left out; `None` for a text with nothing new. Sentences shorter than six
/// characters (`是。`) are always kept. For one table cell: the information stays, each
/// sentence once.
pub(crate) fn without_repeats(texts: Vec<String>) -> Vec<Option<String>> {
    let mut seen: Vec<String> = Vec::new();
    texts
        .into_iter()
        .map(|t| {
            let mut kept = String::new();
            for sentence in sentences(&t) {
                let key = sentence
                    .trim()
                    .trim_end_matches(['。', '；'])
                    .trim()
                    .to_string();
                if key.chars().count() >= 6 {
                    if seen.contains(&key) {
                        continue;
                    }
                    seen.push(key);
                }
                kept.push_str(sentence);
            }
            let kept = kept.trim().trim_start_matches('；').trim().to_string();
            (!kept.is_empty()).then_some(kept)
        })
        .collect()
}

/// What identifies a cited document regardless of wording: a standard's code
/// (`GB 32100-2015`, `TD/T 1055-2019`, spaces ignored) or a document number
/// (`资发〔2004〕208号`); `None` when the text has neither.
pub(crate) fn citation_key(s: &str) -> Option<String> {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    for i in 0..n {
        if !chars[i].is_ascii_uppercase() || (i > 0 && chars[i - 1].is_ascii_alphanumeric()) {
            continue;
        }
        let mut j = i;
        let mut prefix = String::new();
        while j < n && (chars[j].is_ascii_uppercase() || chars[j] == '/') {
            prefix.push(chars[j]);
            j += 1;
        }
        while j < n && chars[j] == ' ' {
            j += 1;
        }
        let mut number = String::new();
        while j < n && (chars[j].is_ascii_digit() || chars[j] == '.') {
            number.push(chars[j]);
            j += 1;
        }
        if prefix.len() < 2 || number.is_empty() || j >= n || !matches!(chars[j], '-' | '—' | '–')
        {
            continue;
        }
        let year: String = chars[j + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .collect();
        if year.len() == 4 {
            return Some(format!("{prefix} {number}-{year}"));
        }
    }
    let open = s.find('〔')?;
    let close = open + s[open..].find('号')? + '号'.len_utf8();
    let before: String = s[..open]
        .chars()
        .rev()
        .take(2)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    Some(format!("{before}{}", &s[open..close]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers() {
        assert_eq!(trim_number(6.0, 2), "6");
        assert_eq!(trim_number(66.666_666, 2), "66.67");
        assert_eq!(trim_number(0.5, 2), "0.5");
        assert_eq!(trim_number(-0.001, 2), "0");
        assert_eq!(trim_number(1200.0, 0), "1200");
    }

    #[test]
    fn dates_in_china() {
        assert_eq!(china_date("2026-11-30T00:00:00Z"), Some((2026, 11, 30)));
        assert_eq!(china_date("2026-11-30T16:00:00Z"), Some((2026, 12, 1)));
        assert_eq!(china_date("2026-12-31T20:30:00Z"), Some((2027, 1, 1)));
        assert_eq!(china_date("2024-02-28T23:59:59+08:00"), Some((2024, 2, 28)));
        assert_eq!(china_date("2024-02-28T18:00:00-05:00"), Some((2024, 2, 29)));
        assert_eq!(china_date("2026-03-01"), Some((2026, 3, 1)));
        assert_eq!(china_date("2026-03-01T23:00:00"), Some((2026, 3, 1)));
        assert_eq!(china_date("昨天"), None);
        assert_eq!(chinese_date("2026-11-30T00:00:00Z"), "2026年11月30日");
        assert_eq!(chinese_date("不详"), "不详");
    }

    #[test]
    fn negative_zero() {
        assert_eq!(
            tidy_negative_zero("重叠：-0.00 m²（占申请范围 -0.00%）"),
            "重叠：0.00 m²（占申请范围 0.00%）"
        );
        assert_eq!(tidy_negative_zero("-0.5 与 -10 与 -0"), "-0.5 与 -10 与 0");
        assert_eq!(tidy_negative_zero("3-0 ERL-0 R-0.00"), "3-0 ERL-0 R-0.00");
        assert_eq!(tidy_negative_zero("（-0.00%）"), "（0.00%）");
        assert_eq!(tidy_negative_zero("X-1.00"), "X-1.00");
    }

    #[test]
    fn repeated_sentences_are_said_once() {
        let note = "示意：规划文本未附矢量数据，按县域内合理位置绘制；导入正式图层后替换";
        let out = without_repeats(vec![
            format!("与生态保护红线不重叠。{note}"),
            note.to_string(),
            format!("重叠图斑数 0 个。{note}"),
            "是。".into(),
            "是。".into(),
        ]);
        assert_eq!(
            out,
            vec![
                Some(format!("与生态保护红线不重叠。{note}")),
                None,
                Some("重叠图斑数 0 个。".into()),
                Some("是。".into()),
                Some("是。".into()),
            ]
        );
    }

    #[test]
    fn one_document_one_key() {
        assert_eq!(
            citation_key("《法人和其他组织统一社会信用代码编码规则》（GB 32100-2015）"),
            citation_key("统一社会信用代码校验位（GB32100-2015）")
        );
        assert_eq!(
            citation_key("TD/T 1055-2019 附录D").as_deref(),
            Some("TD/T 1055-2019")
        );
        assert_eq!(
            citation_key("（国土资发〔2004〕208号）").as_deref(),
            Some("资发〔2004〕208号")
        );
        assert_eq!(citation_key("《中华人民共和国矿产资源法》"), None);
    }

    #[test]
    fn nested_quotes() {
        assert_eq!(quoted("禁止“大矿小开”"), "“禁止‘大矿小开’”");
    }

    #[test]
    fn citations() {
        assert_eq!(cite_text("四（三）1"), "《规划》四（三）1");
        assert_eq!(
            cite_text("五（一）（未核对）"),
            "《规划》五（一）（未核对）"
        );
        assert_eq!(cite_text("修改通知:3"), "《修改通知》3");
        assert_eq!(cite_text("第二栏"), "《规划》第二栏（未核对）");
    }
}
