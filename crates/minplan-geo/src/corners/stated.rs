//! What a notice states about its own coordinates — 面积 and the number of 拐点 (`矿区范围由
//! 14个拐点圈定，矿区面积约0.03平方公里`) — and the cross-check of those figures with what was
//! read. A reading that dropped or merged points, or read degrees in the wrong notation, gives
//! another count or area than the notice states: the cross-check makes that an error instead of
//! a silent wrong answer.
//!
//! Recognised: `面积` followed on the same line (after at most a few characters such as `为`,
//! `约`, `：`) by a number and a unit — 平方公里, 平方千米, km², km2, ㎞², ㎞2 (km²); 公顷, hm²
//! (0.01 km²); 平方米, m², ㎡ (10⁻⁶ km²); 亩 (1/1500 km²) — and `N个拐点` with N in digits or
//! Chinese numerals (`十四个拐点`). A `面积` without a number and unit right after it (a table
//! header such as `面积(㎞2)`) states nothing.

use super::{CornerReport, Problem, ProblemKind, Severity};
use serde::Serialize;

/// An area the input states.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatedArea {
    /// The figure as written, e.g. `约 0.03平方公里`.
    pub as_written: String,
    /// The value in km².
    pub km2: f64,
    /// Half the last written digit, in km² (the rounding of the stated figure).
    pub rounding_km2: f64,
    /// 1-based line.
    pub line: usize,
}

/// A number of corner points the input states.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatedCount {
    /// The count.
    pub points: usize,
    /// 1-based line.
    pub line: usize,
}

/// Figures the input states about itself, with what the reading gives for them.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatedFigures {
    /// Stated areas, in order.
    pub areas: Vec<StatedArea>,
    /// Stated point counts, in order.
    pub point_counts: Vec<StatedCount>,
    /// Points read (distinct labels per ring, summed over rings).
    pub points_read: usize,
}

/// Unit words after an area figure and their size in km² (longest first).
const UNITS: [(&str, f64); 13] = [
    ("平方公里", 1.0),
    ("平方千米", 1.0),
    ("km²", 1.0),
    ("km2", 1.0),
    ("㎞²", 1.0),
    ("㎞2", 1.0),
    ("平方米", 1e-6),
    ("公顷", 0.01),
    ("hm²", 0.01),
    ("hm2", 0.01),
    ("m²", 1e-6),
    ("㎡", 1e-6),
    ("亩", 1.0 / 1500.0),
];

/// Characters allowed between `面积` and its number.
fn filler(c: char) -> bool {
    c.is_whitespace() || "为约：:是共计合为（）()".contains(c)
}

/// The number at the start of `s` (ASCII or full-width digits, one decimal point): its text
/// and the rest.
fn leading_number(s: &str) -> Option<(String, &str)> {
    let mut text = String::new();
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32)?,
            '．' => '.',
            c => c,
        };
        if c.is_ascii_digit() || (c == '.' && !text.contains('.') && !text.is_empty()) {
            text.push(c);
            end = i + s[i..].chars().next().map_or(1, char::len_utf8);
        } else {
            break;
        }
    }
    let text = text.trim_end_matches('.').to_string();
    (!text.is_empty()).then(|| (text, &s[end..]))
}

/// A number in Chinese numerals up to 9999 (`十四`, `二十`, `一百零五`), or digits.
fn count_number(s: &str) -> Option<usize> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| {
        "零一二两三四五六七八九".find(c).map(|_| match c {
            '零' => 0,
            '一' => 1,
            '二' | '两' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            _ => 9,
        })
    };
    let (mut total, mut current) = (0usize, None::<usize>);
    for c in s.chars() {
        let unit = match c {
            '十' => 10,
            '百' => 100,
            '千' => 1000,
            c => {
                current = Some(digit(c)?);
                continue;
            }
        };
        total += current.take().unwrap_or(1) * unit;
    }
    let n = total + current.unwrap_or(0);
    (n > 0).then_some(n)
}

/// Words before `面积` that make it the area of the coordinates (矿区面积, 出让面积, 勘查面积,
/// 区块面积, 采区面积, 总面积 …); a bare `面积` at the start of a line or after punctuation is
/// one too. Other areas a notice mentions (占用林地面积, 耕地面积) are not.
fn of_the_area(before: &str) -> bool {
    let tail: String = {
        let chars: Vec<char> = before.chars().collect();
        chars[chars.len().saturating_sub(4)..].iter().collect()
    };
    let last = tail.chars().last();
    last.is_none_or(|c| !c.is_alphabetic() || c.is_ascii())
        || [
            "矿区", "范围", "出让", "勘查", "区块", "采区", "矿段", "矿权", "登记", "申请", "总",
            "拟设", "开采",
        ]
        .iter()
        .any(|w| tail.contains(w))
}

/// Reads the figures `input` states about itself.
pub fn find(input: &str) -> StatedFigures {
    let mut out = StatedFigures::default();
    for (i, line) in input.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("面积") {
            let before = &rest[..at];
            let after = &rest[at + "面积".len()..];
            rest = after;
            if !of_the_area(before) {
                continue;
            }
            let start = after.trim_start_matches(filler);
            let Some((number, tail)) = leading_number(start) else {
                continue;
            };
            let tail = tail.trim_start();
            let Some((unit, size)) = UNITS.iter().find(|(u, _)| tail.starts_with(u)) else {
                continue;
            };
            let Ok(value) = number.parse::<f64>() else {
                continue;
            };
            let decimals = number.split('.').nth(1).map_or(0, str::len);
            let written_from = line.len() - after.len();
            let written_to = line.len() - tail.len() + unit.len();
            out.areas.push(StatedArea {
                as_written: line[written_from..written_to]
                    .trim_start_matches(|c: char| filler(c) && c != '约')
                    .trim()
                    .to_string(),
                km2: value * size,
                rounding_km2: 0.5 * 10f64.powi(-(decimals as i32)) * size,
                line: i + 1,
            });
        }
        let mut rest = line;
        while let Some(at) = rest.find("个拐点") {
            let before = rest[..at].trim_end();
            let digits: String = before
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit() || "零一二两三四五六七八九十百千".contains(*c))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if let Some(n) = count_number(&digits) {
                out.point_counts.push(StatedCount {
                    points: n,
                    line: i + 1,
                });
            }
            rest = &rest[at + "个拐点".len()..];
        }
    }
    out
}

/// Points read: distinct labels per ring, summed (a table that repeats its first point to
/// close the ring counts it once).
fn points_read(report: &CornerReport) -> usize {
    report
        .blocks
        .iter()
        .flat_map(|b| &b.rings)
        .map(|r| {
            let mut labels: Vec<&str> = r.points.iter().map(|p| p.label.as_str()).collect();
            labels.sort_unstable();
            labels.dedup();
            labels.len()
        })
        .sum()
}

fn km2(v: f64) -> String {
    format!("{v:.4}")
}

/// Compares what `report` read with what `input` states and adds a problem for each
/// disagreement (error) or each figure that cannot be compared (warning, e.g. the areas were
/// not computed). A count agrees when one stated count equals the points read, or the stated
/// counts add up to it (one per segment); an area agrees when the ellipsoidal area or the sum
/// of stated areas is within the stated figure's rounding, and agreeing only with the plane
/// area is reported as such (a warning: the official area is the ellipsoidal one).
pub fn cross_check(input: &str, report: &mut CornerReport) {
    let mut stated = find(input);
    stated.points_read = points_read(report);
    let mut problems = Vec::new();
    if !stated.point_counts.is_empty() && !report.nothing_read() {
        let read = stated.points_read;
        let sum: usize = stated.point_counts.iter().map(|c| c.points).sum();
        if !stated.point_counts.iter().any(|c| c.points == read) && sum != read {
            let c = &stated.point_counts[0];
            problems.push(
                Problem::new(
                    ProblemKind::StatedFigureMismatch,
                    Severity::Error,
                    format!(
                        "第{}行说明范围由 {} 个拐点圈定，读到的是 {} 个拐点：有拐点未读到或被多读，请核对坐标表",
                        c.line, c.points, read
                    ),
                )
                .at_line(Some(c.line)),
            );
        }
    }
    if !stated.areas.is_empty() {
        match &report.areas {
            None => {
                let a = &stated.areas[0];
                problems.push(
                    Problem::new(
                        ProblemKind::StatedFigureMismatch,
                        Severity::Warning,
                        format!(
                            "第{}行说明面积“{}”，坐标系未确定、未计算面积，无法核对",
                            a.line, a.as_written
                        ),
                    )
                    .at_line(Some(a.line)),
                );
            }
            Some(areas) => {
                let ell = areas.ellipsoidal_m2 / 1e6;
                let plane = areas.plane_m2 / 1e6;
                let sum: f64 = stated.areas.iter().map(|a| a.km2).sum();
                let sum_rounding: f64 = stated.areas.iter().map(|a| a.rounding_km2).sum();
                let near = |v: f64, a: f64, r: f64| (v - a).abs() <= r + 1e-9;
                let matches_ell = stated
                    .areas
                    .iter()
                    .any(|a| near(a.km2, ell, a.rounding_km2))
                    || (stated.areas.len() > 1 && near(sum, ell, sum_rounding));
                let matches_plane = stated
                    .areas
                    .iter()
                    .any(|a| near(a.km2, plane, a.rounding_km2));
                let a = &stated.areas[0];
                if !matches_ell && matches_plane {
                    problems.push(
                        Problem::new(
                            ProblemKind::StatedFigureMismatch,
                            Severity::Warning,
                            format!(
                                "第{}行说明面积“{}”与高斯平面面积 {} km² 相符，与椭球面积 {} km²（TD/T 1055-2019 附录D，法定面积）不符",
                                a.line, a.as_written, km2(plane), km2(ell)
                            ),
                        )
                        .at_line(Some(a.line)),
                    );
                } else if !matches_ell {
                    problems.push(
                        Problem::new(
                            ProblemKind::StatedFigureMismatch,
                            Severity::Error,
                            format!(
                                "第{}行说明面积“{}”，按读到的拐点计算椭球面积 {} km²、平面面积 {} km²，均不相符：坐标可能读错或缺点，请核对",
                                a.line, a.as_written, km2(ell), km2(plane)
                            ),
                        )
                        .at_line(Some(a.line)),
                    );
                }
            }
        }
    }
    report.problems.extend(problems);
    report
        .problems
        .sort_by_key(|p| std::cmp::Reverse(p.severity));
    report.stated = stated;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stated_figures_in_the_forms_notices_write_them() {
        let s = find(
            "4、矿区范围:矿区范围由 14个拐点圈定,矿区面积约 0.03平方公里。\n\
             面积:0.044600平方千米,拐点坐标如下\n面积(㎞2) | 拐点\n\
             开采面积为12.5公顷；由十四个拐点圈定；面积 ３．５ 亩；占用林地面积0.2公顷",
        );
        let areas: Vec<(f64, f64, usize)> = s
            .areas
            .iter()
            .map(|a| (a.km2, a.rounding_km2, a.line))
            .collect();
        assert_eq!(areas.len(), 4, "{areas:?}");
        assert_eq!((areas[0].0, areas[0].2), (0.03, 1));
        assert!((areas[0].1 - 0.005).abs() < 1e-12);
        assert_eq!(s.areas[0].as_written, "约 0.03平方公里");
        assert_eq!((areas[1].0, areas[1].2), (0.0446, 2));
        assert!((areas[1].1 - 5e-7).abs() < 1e-15);
        assert!((areas[2].0 - 0.125).abs() < 1e-12 && areas[2].2 == 4);
        assert!((areas[3].0 - 3.5 / 1500.0).abs() < 1e-12);
        let counts: Vec<(usize, usize)> =
            s.point_counts.iter().map(|c| (c.points, c.line)).collect();
        assert_eq!(counts, vec![(14, 1), (14, 4)]);
    }

    #[test]
    fn chinese_numerals() {
        for (s, n) in [
            ("十四", 14),
            ("二十", 20),
            ("一百零五", 105),
            ("七", 7),
            ("37", 37),
        ] {
            assert_eq!(count_number(s), Some(n), "{s}");
        }
        assert_eq!(count_number(""), None);
        assert_eq!(count_number("零"), None);
    }
}
