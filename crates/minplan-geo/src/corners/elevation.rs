//! The mining elevation range (开采标高) as notices write it in prose, one line at a time.
//!
//! Read (on a line already passed through [`super::text::normalize`], so `～`/`〜` are `~` and
//! `標高` is `标高`):
//!
//! * `开采标高: +27~+5m`, `开采标高:+363米至-10米`, `标高363m~10m`, `开采深度:+120 ~ -50米`;
//! * the range before the word: `363米至10米标高`, `由+195M至+175M标高`;
//! * a change: `开采深度:由1830米至1310米变更为1830米至1220米` — the range is the new one
//!   (1830 to 1220 m), the replaced one is kept beside it.
//!
//! Two numbers make a range when a connector joins them (`~`, `至`, `到`, `-`), or a space or
//! comma when both carry a unit or a sign. Units `米`, `m`, `M` are optional. The first number is
//! the top (起标高), the second the bottom (止标高), as written: no reordering.
//!
//! Never an elevation: a line without 标高/高程/开采深度, and the datum or system names with
//! years (`2000国家大地坐标系1985国家高程`, `1985国家高程基准`, `高程系统:1985国家高程基准`):
//! a number followed by 国家, 黄海, 年, 坐标, 高程, 大地 or 版 is a year or a name.

use super::ElevationRange;

/// An elevation range found in a line.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ElevationFound {
    /// The range in force (after a change, the new one), metres.
    pub range: ElevationRange,
    /// The range a change (`变更为`) replaces.
    pub replaced: Option<ElevationRange>,
    /// The text of the range (both ranges for a change), as written.
    pub as_written: String,
}

/// Words after a number that make it a year or part of a name, not an elevation.
const NAME_AFTER: [&str; 7] = ["国家", "黄海", "年", "坐标", "高程", "大地", "版"];

/// A number in the line.
#[derive(Debug)]
struct Num {
    /// `None` when it holds junk (`*`, a second point).
    value: Option<f64>,
    text: String,
    signed: bool,
    unit: bool,
    /// Char index of the first character (the sign, if any).
    start: usize,
    /// Char index just past the number and its unit.
    end: usize,
}

fn numbers(chars: &[char]) -> Vec<Num> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let starts_digit = |k: usize| {
            chars
                .get(k)
                .is_some_and(|c| c.is_ascii_digit() || *c == '*')
        };
        let sign = matches!(c, '+' | '-')
            && starts_digit(i + 1)
            && !(i > 0 && chars[i - 1].is_ascii_digit());
        if !(c.is_ascii_digit() || sign || (c == '*' && starts_digit(i + 1))) {
            i += 1;
            continue;
        }
        let start = i;
        if sign {
            i += 1;
        }
        while i < chars.len() && (chars[i].is_ascii_digit() || matches!(chars[i], '.' | '*')) {
            i += 1;
        }
        let text: String = chars[start..i].iter().collect();
        let text = text.trim_end_matches('.').to_owned();
        let mut j = i;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        let unit = chars.get(j).is_some_and(|c| {
            *c == '米'
                || (matches!(c, 'm' | 'M')
                    && !chars.get(j + 1).is_some_and(char::is_ascii_alphabetic))
        });
        let rest: String = chars[j..].iter().take(2).collect();
        if NAME_AFTER.iter().any(|w| rest.starts_with(w)) {
            continue;
        }
        let digits = text.chars().filter(char::is_ascii_digit).count();
        if digits == 0 {
            continue;
        }
        let value = if text.contains('*') || text.matches('.').count() > 1 {
            None
        } else {
            text.parse::<f64>().ok()
        };
        let end = if unit { j + 1 } else { i };
        out.push(Num {
            value,
            text,
            signed: sign,
            unit,
            start,
            end,
        });
        i = end;
    }
    out
}

/// Whether the text between two numbers joins them into a range.
fn joins(between: &str, a: &Num, b: &Num) -> bool {
    let t = between.trim();
    matches!(t, "~" | "至" | "到" | "-")
        || ((t.is_empty() || t == ",")
            && !between.is_empty()
            && (a.unit || a.signed)
            && (b.unit || b.signed))
}

/// Reads the elevation range stated in one normalised line: `None` when the line states
/// none; `Some(Err(message))` when it clearly states one that cannot be read (masked digits,
/// a single figure, several ranges); else the range (see the module documentation).
pub(crate) fn elevation_in(line: &str) -> Option<Result<ElevationFound, String>> {
    if !(line.contains("标高") || line.contains("高程") || line.contains("开采深度")) {
        return None;
    }
    let chars: Vec<char> = line.chars().collect();
    let nums = numbers(&chars);
    if nums.is_empty() {
        return None;
    }
    let text_of = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut k = 0;
    while k + 1 < nums.len() {
        let (a, b) = (&nums[k], &nums[k + 1]);
        if joins(&text_of(a.end, b.start), a, b) {
            pairs.push((k, k + 1));
            k += 2;
        } else {
            k += 1;
        }
    }
    let what = line.trim();
    let change_at = line.find("变更为").map(|byte| line[..byte].chars().count());
    let (range, replaced) = match (pairs.as_slice(), change_at) {
        ([], _) => {
            // Numbers but no range: a statement only when the numbers look like elevations.
            if nums.iter().any(|n| n.unit || n.signed || n.value.is_none()) {
                let figures: Vec<&str> = nums.iter().map(|n| n.text.as_str()).collect();
                return Some(Err(format!(
                    "“{what}”写有标高（{}），但不是“起标高至止标高”的范围，无法读取",
                    figures.join("、")
                )));
            }
            return None;
        }
        ([one], _) => (*one, None),
        ([old, new], Some(at)) if nums[old.1].end <= at && nums[new.0].start >= at => {
            (*new, Some(*old))
        }
        _ => {
            return Some(Err(format!(
                "“{what}”写有 {} 个标高范围，无法确定采用哪一个",
                pairs.len()
            )));
        }
    };
    let read = |(a, b): (usize, usize)| -> Result<ElevationRange, String> {
        match (nums[a].value, nums[b].value) {
            (Some(top_m), Some(bottom_m)) => Ok(ElevationRange { top_m, bottom_m }),
            _ => Err(format!(
                "“{what}”中的标高“{}”至“{}”含有无法识别的字符（如被遮盖的数字 *），无法读取",
                nums[a].text, nums[b].text
            )),
        }
    };
    let first = replaced.unwrap_or(range).0;
    let found = read(range).and_then(|r| {
        Ok(ElevationFound {
            range: r,
            replaced: replaced.map(read).transpose()?,
            as_written: text_of(nums[first].start, nums[range.1].end),
        })
    });
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::super::text::normalize;
    use super::*;

    fn found(l: &str) -> ElevationFound {
        match elevation_in(&normalize(l)) {
            Some(Ok(f)) => f,
            other => panic!("{l}: {other:?}"),
        }
    }

    fn range(l: &str) -> (f64, f64) {
        let f = found(l);
        assert_eq!(f.replaced, None, "{l}");
        (f.range.top_m, f.range.bottom_m)
    }

    #[test]
    fn forms_read() {
        // linhai_hongchi_2017.txt
        assert_eq!(range("开采标高: +27~+5m"), (27.0, 5.0));
        assert_eq!(found("开采标高: +27~+5m").as_written, "+27~+5m");
        assert_eq!(range("开采标高：+363米至-10米"), (363.0, -10.0));
        assert_eq!(range("由+195M至+175M標高"), (195.0, 175.0));
        assert_eq!(range("标高363m～10m"), (363.0, 10.0));
        assert_eq!(range("标高363m〜10m"), (363.0, 10.0));
        assert_eq!(range("363米至10米标高"), (363.0, 10.0));
        assert_eq!(range("开采深度：+120 ～ -50米"), (120.0, -50.0));
        assert_eq!(range("开采标高 +363m -10m"), (363.0, -10.0));
        assert_eq!(range("开采标高：363-10米"), (363.0, 10.0));
        assert_eq!(
            range("开采标高：+229.5米至+70米（1985国家高程基准）"),
            (229.5, 70.0)
        );
    }

    #[test]
    fn a_change_keeps_the_replaced_range() {
        // maozu_lead_zinc_masked_2024.txt
        let f = found("开采深度:由1830米至1310米变更为1830米至1220米");
        assert_eq!(
            f.range,
            ElevationRange {
                top_m: 1830.0,
                bottom_m: 1220.0
            }
        );
        assert_eq!(
            f.replaced,
            Some(ElevationRange {
                top_m: 1830.0,
                bottom_m: 1310.0
            })
        );
        assert_eq!(f.as_written, "1830米至1310米变更为1830米至1220米");
    }

    #[test]
    fn datum_names_and_other_lines_are_not_elevations() {
        for l in [
            "2000国家大地坐标系1985国家高程",
            "1985国家高程基准",
            "高程系统：1985国家高程基准",
            "坐标系统：2000国家大地坐标系，高程系统：1956年黄海高程系",
            "拐点,X(起标高),Y(止标高)",
            "| 点号 | X | Y | 标高 |",
            "*,229.5,70,金藏采区,1,",
            "矿区面积约0.03平方公里",
            "距离300米左右的夹缝区域",
            "由1830米至1310米",
        ] {
            assert_eq!(elevation_in(&normalize(l)), None, "{l}");
        }
    }

    #[test]
    fn unreadable_statements_are_errors() {
        for l in [
            "开采标高：+3*3米至-10米",
            "开采标高：+363米",
            "开采标高：一采区+363米至+10米，二采区+300米至0米",
        ] {
            match elevation_in(&normalize(l)) {
                Some(Err(m)) => assert!(m.contains("标高"), "{l}: {m}"),
                other => panic!("{l}: {other:?}"),
            }
        }
    }
}
