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
//!
//! The rule for one area, wherever it comes from, is [`compare_area`]: a figure agrees when
//! it lies within its rounding (half its last written digit) of the ellipsoidal area
//! (TD/T 1055-2019 附录D, the official area), and it is said when it agrees with the
//! Gauss-plane area only, or cannot be compared. [`cross_check`] applies it to what a notice
//! states; [`parse_declared_area`] reads a figure a person typed into a field (申报面积 of an
//! application, 面积 of an import row) and [`check_declared_area`] applies the rule to it.

use super::{Areas, CornerReport, Problem, ProblemKind, Severity};
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
    /// The block the figure belongs to, when a table gives an area per block (a `面积(㎞2)`
    /// column beside each block's corners); `None` for a figure about the whole reading.
    pub block: Option<String>,
    /// How the figure compares with the reading (set by the cross-check; `None` before it).
    pub agreement: Option<Agreement>,
}

/// The outcome of comparing a stated figure with the reading ([`AreaComparison`] without its
/// numbers, for the report and its JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Agreement {
    /// Within the figure's rounding of the ellipsoidal area (or, for a count, equal).
    Matches,
    /// Within the rounding of the Gauss-plane area only (a warning).
    MatchesPlaneOnly,
    /// Neither (an error).
    Mismatch,
    /// No areas were computed: cannot be judged (a warning).
    NotComparable,
}

impl From<&AreaComparison> for Agreement {
    fn from(c: &AreaComparison) -> Agreement {
        match c {
            AreaComparison::Matches => Agreement::Matches,
            AreaComparison::MatchesPlaneOnly { .. } => Agreement::MatchesPlaneOnly,
            AreaComparison::Mismatch { .. } => Agreement::Mismatch,
            AreaComparison::NotComparable => Agreement::NotComparable,
        }
    }
}

/// A number of corner points the input states.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatedCount {
    /// The count.
    pub points: usize,
    /// 1-based line.
    pub line: usize,
    /// Whether the reading gives this count (alone, or summed with the other stated counts);
    /// `None` when nothing was read.
    pub agrees: Option<bool>,
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

/// Words that end the name of a part of a mining area (矿段, 采区…), not the whole (矿区).
const PART_WORDS: [&str; 8] = [
    "矿段", "采区", "块段", "区块", "矿体", "井田", "分区", "采场",
];

/// The name of a part of the area a line or clause is about: `一号矿段（由4个拐点圈定…`,
/// `其中二号采区面积…` → `一号矿段`, `二号采区`; `None` for the whole (`矿区面积…`).
pub(crate) fn part_name(text: &str) -> Option<String> {
    let head = text
        .trim_start()
        .trim_start_matches("其中")
        .trim_start_matches(|c: char| c.is_whitespace() || ",、:".contains(c));
    // `A区`, `一区`, `Ⅱ区`, `3号区`: a letter or numeral and 区 (not 矿区, the whole).
    let numeral =
        |c: char| c.is_ascii_alphanumeric() || "一二三四五六七八九十ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ号".contains(c);
    let lead: String = head.chars().take_while(|c| numeral(*c)).collect();
    if !lead.is_empty() && head[lead.len()..].starts_with('区') {
        return Some(format!("{lead}区"));
    }
    // Something before the part word (`采区` alone names no part).
    let end = PART_WORDS
        .iter()
        .filter_map(|w| head.find(w).filter(|&i| i > 0).map(|i| i + w.len()))
        .min()?;
    let name = head[..end].trim();
    (name.chars().count() <= 12 && !name.contains(['(', ')', ',', ':', '.']))
        .then(|| name.to_owned())
}

/// The area unit at the start of `s` (ASCII letters in any case: `Km²`, `KM2`), with its
/// length in bytes and its size in km².
fn unit_at(s: &str) -> Option<(usize, f64)> {
    const MORE: [(&str, f64); 8] = [
        ("万平方米", 0.01),
        ("万m²", 0.01),
        ("万m2", 0.01),
        ("万㎡", 0.01),
        ("k㎡", 1.0),
        ("km^2", 1.0),
        ("平方km", 1.0),
        ("ha", 0.01),
    ];
    let lower = s
        .char_indices()
        .take(8)
        .map(|(_, c)| c.to_ascii_lowercase())
        .collect::<String>();
    MORE.iter()
        .chain(UNITS.iter())
        .find(|(u, _)| lower.starts_with(u))
        .map(|(u, size)| (u.len(), *size))
}

/// The unit of a table's area column header (`面积(㎞2)`, `面积（公顷）`), in km² per unit;
/// `None` when the header is not an area column with a unit.
pub(crate) fn area_column_unit(header: &str) -> Option<f64> {
    let at = header.find("面积")?;
    let rest = &header[at + "面积".len()..];
    let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || "(（[".contains(c));
    UNITS
        .iter()
        .find(|(u, _)| rest.starts_with(u))
        .map(|(_, size)| *size)
}

/// Characters allowed between `面积` and its number.
fn filler(c: char) -> bool {
    c.is_whitespace() || "为约：:是共计合为（）(),，|".contains(c)
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
        } else if c == ','
            && !text.is_empty()
            && !text.contains('.')
            && s[i + 1..]
                .chars()
                .take(3)
                .filter(char::is_ascii_digit)
                .count()
                == 3
            && !s[i + 1..]
                .chars()
                .nth(3)
                .is_some_and(|d| d.is_ascii_digit())
        {
            // A thousands separator (`10,000平方米`): three digits follow, no fourth.
            end = i + 1;
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
    let all: Vec<&str> = input.lines().collect();
    for (i, &line) in all.iter().enumerate() {
        // `矿区面积` with its figure on the next line (a Word table pasted one cell per line).
        if !line.is_ascii()
            && line.trim_end().trim_end_matches(filler).ends_with("面积")
            && let Some(next) = all[i + 1..].iter().find(|l| !l.trim().is_empty())
        {
            let joined = format!("{}{}", line.trim_end(), next.trim());
            let mut one = find(&joined);
            for a in &mut one.areas {
                a.line = i + 1;
            }
            out.areas.append(&mut one.areas);
            continue;
        }
        // Every word looked for is Chinese: a line of ASCII (a point row) states nothing.
        if line.is_ascii() {
            continue;
        }
        // `面　积` in forms (the ideographic space is a space by now).
        let spaced;
        let line = if line.contains("面 积") {
            spaced = line.replace("面 积", "面积");
            spaced.as_str()
        } else {
            line
        };
        let mut rest = line;
        while let Some(at) = rest.find("面积") {
            let before = &rest[..at];
            let after = &rest[at + "面积".len()..];
            rest = after;
            if !of_the_area(before) {
                continue;
            }
            let start = after.trim_start_matches(filler);
            // The unit may come first, in brackets: `面积(平方公里):0.5000`, `面积(km²):0.5`.
            let (unit_first, start) = match unit_at(start) {
                Some((len, size)) => (Some(size), start[len..].trim_start_matches(filler)),
                None => (None, start),
            };
            let Some((number, tail)) = leading_number(start) else {
                continue;
            };
            let tail = tail.trim_start();
            // … or after the number, bare or in brackets: `0.5000平方公里`, `0.5000(平方公里)`.
            let unit_after = unit_at(tail).map(|(len, size)| (0, len, size)).or_else(|| {
                let inner = tail.strip_prefix('(')?;
                let (len, size) = unit_at(inner)?;
                let close = usize::from(inner[len..].starts_with(')'));
                Some((1, len + close, size))
            });
            let (size, end) = match (unit_first, unit_after) {
                (_, Some((skip, len, size))) => (size, tail.len() - skip - len),
                (Some(size), None) => (size, tail.len()),
                (None, None) => continue,
            };
            let Ok(value) = number.parse::<f64>() else {
                continue;
            };
            let decimals = number.split('.').nth(1).map_or(0, str::len);
            let written_from = line.len() - after.len();
            let written_to = line.len() - end;
            // A figure about a named part (`一号矿段…面积…`, `其中二号采区面积…`): the clause
            // before 面积, else the start of the line.
            let clause = before
                .rsplit([',', ';', '.', '，', '；', '。'])
                .next()
                .unwrap_or(before);
            let block = part_name(clause).or_else(|| part_name(line));
            out.areas.push(StatedArea {
                as_written: line[written_from..written_to]
                    .trim_start_matches(|c: char| filler(c) && c != '约')
                    .trim()
                    .to_string(),
                km2: value * size,
                rounding_km2: 0.5 * 10f64.powi(-(decimals as i32)) * size,
                line: i + 1,
                block,
                agreement: None,
            });
        }
        counts(line, i + 1, &mut out.point_counts);
    }
    out
}

/// `N个拐点`, `N个界址点`, `N个坐标点`, `拐点N个`, `拐点数:N` on one line.
fn counts(line: &str, line_no: usize, out: &mut Vec<StatedCount>) {
    let numeral = |c: char| c.is_ascii_digit() || "零一二两三四五六七八九十百千".contains(c);
    for word in ["个拐点", "个界址点", "个坐标点"] {
        let mut rest = line;
        while let Some(at) = rest.find(word) {
            let before = rest[..at].trim_end();
            let digits: String = before
                .chars()
                .rev()
                .take_while(|c| numeral(*c))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            if let Some(n) = count_number(&digits) {
                out.push(StatedCount {
                    agrees: None,
                    points: n,
                    line: line_no,
                });
            }
            rest = &rest[at + word.len()..];
        }
    }
    for word in ["拐点数", "拐点"] {
        if let Some(at) = line.find(word) {
            let after = line[at + word.len()..].trim_start_matches(filler);
            let digits: String = after.chars().take_while(|c| numeral(*c)).collect();
            let tail = &after[digits.len()..];
            let counted = word == "拐点数" || tail.trim_start().starts_with('个');
            if counted
                && !digits.is_empty()
                && let Some(n) = count_number(&digits)
                && !out.iter().any(|c| c.line == line_no && c.points == n)
            {
                out.push(StatedCount {
                    agrees: None,
                    points: n,
                    line: line_no,
                });
            }
            break;
        }
    }
}

/// Points read: distinct labels per ring, summed (a table that repeats its first point to
/// close the ring counts it once).
fn points_read(report: &CornerReport) -> usize {
    let mut rings = report.blocks.iter().flat_map(|b| &b.rings);
    if let (Some(only), None) = (rings.next(), rings.next()) {
        // One ring: its distinct labels.
        return only
            .points
            .iter()
            .map(|p| p.label.as_str())
            .collect::<std::collections::HashSet<&str>>()
            .len();
    }
    // Distinct points over all rings: a label once per ring, and a point two blocks share
    // (same label, same coordinates as entered) once.
    report
        .blocks
        .iter()
        .flat_map(|b| &b.rings)
        .flat_map(|r| {
            let mut seen = std::collections::HashSet::new();
            r.points
                .iter()
                .filter(move |p| seen.insert(p.label.as_str()))
                .map(|p| (p.label.as_str(), p.x_text.as_str(), p.y_text.as_str()))
        })
        .collect::<std::collections::HashSet<_>>()
        .len()
}

/// The unit a figure is written in, its size per km², and the decimals to show it with:
/// m² (2), 公顷 (4), 亩 (2), else km² (4).
fn written_unit(w: &str) -> (&'static str, f64, usize) {
    let l = w.to_lowercase();
    if l.contains("平方米")
        || l.contains("m²") && !l.contains("km²") && !l.contains("hm²")
        || l.contains('㎡') && !l.contains("k㎡")
    {
        ("m²", 1e6, 2)
    } else if l.contains("公顷") || l.contains("hm") || l.contains("ha") {
        ("公顷", 100.0, 4)
    } else if l.contains('亩') {
        ("亩", 1500.0, 2)
    } else {
        ("km²", 1.0, 4)
    }
}

/// A rounding in km² as people read it: `0.005`, `0.00005`, `5e-7` written out.
fn rounding_text(r: f64) -> String {
    let s = format!("{r:.10}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// How one stated area compares with the areas of a reading. The official area of a mining
/// right is the ellipsoidal one (CGCS2000, TD/T 1055-2019 附录D); a figure agrees with an area
/// when it lies within the figure's rounding (half its last written digit, see
/// [`StatedArea::rounding_km2`]) of it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AreaComparison {
    /// Within the rounding of the ellipsoidal area (TD/T 1055-2019 附录D).
    Matches,
    /// Not within the rounding of the ellipsoidal area, but of the Gauss-plane area: a
    /// warning (the figure was computed on the plane; the official area is the ellipsoidal
    /// one). Both areas in km².
    MatchesPlaneOnly {
        /// Ellipsoidal area, km².
        ellipsoidal_km2: f64,
        /// Gauss-plane area, km².
        plane_km2: f64,
    },
    /// Within the rounding of neither area: an error (points misread, dropped or added, or
    /// a wrong figure). Both areas in km².
    Mismatch {
        /// Ellipsoidal area, km².
        ellipsoidal_km2: f64,
        /// Gauss-plane area, km².
        plane_km2: f64,
    },
    /// No areas were computed (the CRS is not known): cannot be judged, a warning — never a
    /// silent pass.
    NotComparable,
}

impl AreaComparison {
    /// The severity of the comparison: `None` when the figure matches, an error for a
    /// mismatch, a warning for a plane-only match or a figure that cannot be compared.
    pub fn severity(&self) -> Option<Severity> {
        match self {
            AreaComparison::Matches => None,
            AreaComparison::Mismatch { .. } => Some(Severity::Error),
            AreaComparison::MatchesPlaneOnly { .. } | AreaComparison::NotComparable => {
                Some(Severity::Warning)
            }
        }
    }

    /// The problem ([`ProblemKind::StatedFigureMismatch`], no line) of `stated`, named
    /// `subject` in the message (`第26行说明面积`, `申报面积`), or `None` when it matches. The
    /// message gives the figure as written and the computed ellipsoidal and plane areas in km²
    /// to 4 decimals.
    pub fn problem(&self, stated: &StatedArea, subject: &str) -> Option<Problem> {
        let w = &stated.as_written;
        // Areas in the unit the figure is written in (m², 公顷, 亩 or km²), so that the
        // numbers compared can be told apart.
        let (unit, per_km2, places) = written_unit(w);
        let show = |km2: f64| format!("{:.*} {unit}", places, km2 * per_km2);
        let tolerance = format!("{} {unit}", rounding_text(stated.rounding_km2 * per_km2));
        let blame = if subject.starts_with("申报面积") {
            "申报面积或坐标有误，请核对"
        } else {
            "坐标可能读错或缺点，请核对"
        };
        let message = match *self {
            AreaComparison::Matches => return None,
            AreaComparison::NotComparable => {
                format!("{subject}“{w}”，坐标系未确定、未计算面积，无法核对（无法判定是否相符）")
            }
            AreaComparison::MatchesPlaneOnly {
                ellipsoidal_km2,
                plane_km2,
            } => format!(
                "{subject}“{w}”与高斯平面面积 {} 相符，与椭球面积 {}（TD/T 1055-2019 附录D，法定面积）不符",
                show(plane_km2),
                show(ellipsoidal_km2)
            ),
            AreaComparison::Mismatch {
                ellipsoidal_km2,
                plane_km2,
            } => format!(
                "{subject}“{w}”，按坐标计算椭球面积 {}（TD/T 1055-2019 附录D）、平面面积 {}，均不相符（按所写数字的末位，允许相差 ±{tolerance}）：{blame}",
                show(ellipsoidal_km2),
                show(plane_km2),
            ),
        };
        Some(Problem::new(
            ProblemKind::StatedFigureMismatch,
            self.severity()?,
            message,
        ))
    }
}

/// Compares one stated area (km², with its rounding) with the areas of a reading — the one
/// rule for every stated or declared area: it matches when within its rounding of the
/// ellipsoidal area (`Areas::ellipsoidal_m2`, TD/T 1055-2019 附录D; m² converted to km²);
/// otherwise it is said whether it matches the Gauss-plane area (`Areas::plane_m2`) instead;
/// without areas it cannot be compared.
pub fn compare_area(stated: &StatedArea, areas: Option<&Areas>) -> AreaComparison {
    let Some(areas) = areas else {
        return AreaComparison::NotComparable;
    };
    let ellipsoidal_km2 = areas.ellipsoidal_m2 / 1e6;
    let plane_km2 = areas.plane_m2 / 1e6;
    // 1e-9 km² (1 mm²) absorbs binary fractions such as 1.07 − 0.005.
    let near = |area: f64| (stated.km2 - area).abs() <= stated.rounding_km2 + 1e-9;
    if near(ellipsoidal_km2) {
        AreaComparison::Matches
    } else if near(plane_km2) {
        AreaComparison::MatchesPlaneOnly {
            ellipsoidal_km2,
            plane_km2,
        }
    } else {
        AreaComparison::Mismatch {
            ellipsoidal_km2,
            plane_km2,
        }
    }
}

/// Reads an area a person typed into a field (申报面积 of an application, 面积 of an import
/// row): a number — ASCII or full-width digits, one decimal point, thousands separated by
/// commas allowed (`675,200平方米`) — then optionally a unit: 平方公里, 平方千米, km², km2
/// (km²); 公顷, hm² (0.01 km²); 平方米, m², ㎡ (10⁻⁶ km²); 亩 (1/1500 km²). A bare number
/// is km². The rounding is half the last written digit (`1.07` → ±0.005 km²), as for a
/// figure a notice states; `line` is 1 (a field is one line).
///
/// # Errors
/// A Chinese message naming the text when it is empty, does not start with a number, has a
/// unit not listed above, or is not greater than 0.
pub fn parse_declared_area(text: &str) -> Result<StatedArea, String> {
    let written = text.trim();
    if written.is_empty() {
        return Err("为空：请填写数字，如 0.6752（平方公里）".into());
    }
    let example = "如 0.6752、0.6752平方公里、67.52公顷、675200平方米 或 1012.8亩";
    let folded: String = written
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '，' => ',',
            c => c,
        })
        .collect();
    let folded = without_thousands_commas(&folded);
    if folded.starts_with('-') {
        return Err(format!("“{written}”应大于 0"));
    }
    let Some((number, rest)) = leading_number(&folded) else {
        return Err(format!("“{written}”应为数字加单位，{example}"));
    };
    if rest.starts_with(',') {
        return Err(format!(
            "“{written}”的数字分组不对：千位分隔符应每三位一个（如 10,000平方米），或不写分隔符"
        ));
    }
    let unit = rest.trim();
    let size = if unit.is_empty() {
        1.0
    } else {
        let lower = unit.to_lowercase();
        match UNITS.iter().find(|(u, _)| *u == unit || *u == lower) {
            Some((_, size)) => *size,
            None => {
                return Err(format!(
                    "“{written}”的单位“{unit}”无法识别：可用 平方公里（km²）、公顷、平方米（m²）、亩，只写数字即为平方公里；{example}"
                ));
            }
        }
    };
    let value: f64 = number
        .parse()
        .map_err(|_| format!("“{written}”应为数字加单位，{example}"))?;
    if !(value > 0.0 && value.is_finite()) {
        return Err(format!("“{written}”应大于 0"));
    }
    let decimals = number.split('.').nth(1).map_or(0, str::len);
    Ok(StatedArea {
        as_written: written.to_string(),
        km2: value * size,
        rounding_km2: 0.5 * 10f64.powi(-(decimals as i32)) * size,
        line: 1,
        block: None,
        agreement: None,
    })
}

/// `s` without the commas of a leading number written with thousands separators
/// (`675,200.5亩` → `675200.5亩`); other commas are left (and then refused as a unit).
fn without_thousands_commas(s: &str) -> String {
    let end = s
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == ','))
        .map_or(s.len(), |(i, _)| i);
    let (head, tail) = s.split_at(end);
    let groups: Vec<&str> = head.split(',').collect();
    let grouped = groups.len() > 1
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3);
    if grouped {
        format!("{}{tail}", groups.concat())
    } else {
        s.to_string()
    }
}

/// Compares an area declared outside the coordinates (申报面积 typed into a form) with the
/// areas of `report` by [`compare_area`], and adds its problem (named `申报面积`) to the
/// report's problems, errors first. Returns the comparison.
pub fn check_declared_area(stated: &StatedArea, report: &mut CornerReport) -> AreaComparison {
    if incomplete(report) {
        report.problems.push(not_judged(stated, "申报面积"));
        return AreaComparison::NotComparable;
    }
    let comparison = compare_area(stated, report.areas.as_ref());
    if let Some(p) = comparison.problem(stated, "申报面积") {
        report.problems.push(p);
        report
            .problems
            .sort_by_key(|p| std::cmp::Reverse(p.severity));
    }
    comparison
}

/// Whether some point of the reading could not be read (its area would be partial).
fn incomplete(report: &CornerReport) -> bool {
    report
        .blocks
        .iter()
        .flat_map(|b| &b.rings)
        .flat_map(|r| &r.points)
        .any(|p| !p.is_readable())
}

/// The warning for a figure that cannot be judged because points could not be read.
fn not_judged(a: &StatedArea, subject: &str) -> Problem {
    Problem::new(
        ProblemKind::StatedFigureMismatch,
        Severity::Warning,
        format!(
            "{subject}“{}”：有拐点未能读取（见上），按读到的拐点算出的面积不全，无法核对",
            a.as_written
        ),
    )
}

/// Compares what `report` read with what `input` states and adds a problem for each
/// disagreement (error) or each figure that cannot be compared (warning, e.g. the areas were
/// not computed). A count agrees when one stated count equals the points read, or the stated
/// counts add up to it (one per segment); an area agrees when one stated area, or the sum of
/// the stated areas (one per segment, with the sum of their roundings), agrees by
/// [`compare_area`]; otherwise the first stated area's problem is reported, a warning when
/// a stated area agrees with the plane area only (the official area is the ellipsoidal one).
/// An area a table states for one block (`StatedArea::block`) is compared with that block's
/// area. Each figure's outcome is kept in `agreement` / `agrees`.
pub fn cross_check(input: &str, report: &mut CornerReport) {
    let mut stated = find(input);
    // Areas a table gives per block (its 面积 column), passed on by the reader.
    stated.areas.append(&mut report.stated.areas);
    stated.areas.sort_by_key(|a| a.line);
    stated.points_read = points_read(report);
    let mut problems = Vec::new();
    // Points in the record (labels read, even when a value is masked) are counted.
    let any_point = report
        .blocks
        .iter()
        .flat_map(|b| &b.rings)
        .any(|r| !r.points.is_empty());
    if !stated.point_counts.is_empty() && any_point {
        let read = stated.points_read;
        let sum: usize = stated.point_counts.iter().map(|c| c.points).sum();
        let any_equal = stated.point_counts.iter().any(|c| c.points == read);
        for c in &mut stated.point_counts {
            c.agrees = Some(c.points == read || sum == read);
        }
        if !any_equal && sum != read {
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
    // A reading with unreadable points has a partial area: no figure can be judged by it.
    if incomplete(report) && !stated.areas.is_empty() {
        for a in &mut stated.areas {
            a.agreement = Some(Agreement::NotComparable);
            let of = a
                .block
                .as_ref()
                .map(|b| format!("“{b}”的"))
                .unwrap_or_default();
            problems.push(
                not_judged(a, &format!("第{}行说明{of}面积", a.line))
                    .at_line(Some(a.line))
                    .in_ring(a.block.clone()),
            );
        }
        report.problems.extend(problems);
        report
            .problems
            .sort_by_key(|p| std::cmp::Reverse(p.severity));
        report.stated = stated;
        return;
    }
    // The whole: every figure about the whole area must agree with the reading (or, several
    // figures, their sum).
    let areas = report.areas.as_ref();
    let whole: Vec<&StatedArea> = stated.areas.iter().filter(|a| a.block.is_none()).collect();
    let each: Vec<AreaComparison> = whole.iter().map(|a| compare_area(a, areas)).collect();
    let sum_matches = whole.len() > 1 && {
        let sum = StatedArea {
            as_written: String::new(),
            km2: whole.iter().map(|a| a.km2).sum(),
            rounding_km2: whole.iter().map(|a| a.rounding_km2).sum(),
            line: whole[0].line,
            block: None,
            agreement: None,
        };
        compare_area(&sum, areas) == AreaComparison::Matches
    };
    for (a, c) in whole.iter().zip(&each) {
        if sum_matches {
            continue;
        }
        if let Some(p) = c.problem(a, &format!("第{}行说明面积", a.line)) {
            problems.push(p.at_line(Some(a.line)));
        }
    }
    let whole_agreement: Vec<Agreement> = each
        .iter()
        .map(|c| {
            if sum_matches {
                Agreement::Matches
            } else {
                Agreement::from(c)
            }
        })
        .collect();
    let mut whole_agreement = whole_agreement.into_iter();
    for a in stated.areas.iter_mut().filter(|a| a.block.is_none()) {
        a.agreement = whole_agreement.next();
    }
    // Each part against the block of its name.
    let names: Vec<String> = report.blocks.iter().map(|b| b.name.clone()).collect();
    // `一矿段` is the block a table names `一`: names compare without the part word.
    let bare = |n: &str| -> String {
        PART_WORDS
            .iter()
            .find_map(|w| n.strip_suffix(w))
            .or_else(|| n.strip_suffix('区'))
            .filter(|b| !b.is_empty())
            .unwrap_or(n)
            .to_owned()
    };
    for a in stated.areas.iter_mut().filter(|a| a.block.is_some()) {
        let stated_name = a.block.clone().unwrap_or_default();
        let name = names
            .iter()
            .find(|n| **n == stated_name || bare(n) == bare(&stated_name))
            .cloned()
            .unwrap_or(stated_name);
        a.block = Some(name.clone());
        if !names.contains(&name) {
            a.agreement = Some(Agreement::NotComparable);
            problems.push(
                Problem::new(
                    ProblemKind::StatedFigureMismatch,
                    Severity::Warning,
                    format!(
                        "第{}行说明“{name}”的面积“{}”，读到的块段中没有“{name}”（块段：{}），无法核对",
                        a.line,
                        a.as_written,
                        names.join("、")
                    ),
                )
                .at_line(Some(a.line)),
            );
            continue;
        }
        let block_areas = report.areas.as_ref().and_then(|all| {
            all.blocks.iter().find(|b| b.name == name).map(|b| Areas {
                plane_m2: b.plane_m2,
                ellipsoidal_m2: b.ellipsoidal_m2,
                km2: b.km2,
                plane_method: String::new(),
                ellipsoidal_method: String::new(),
                blocks: Vec::new(),
            })
        });
        let c = compare_area(a, block_areas.as_ref());
        a.agreement = Some(Agreement::from(&c));
        if let Some(p) = c.problem(a, &format!("第{}行说明“{name}”的面积", a.line)) {
            problems.push(p.at_line(Some(a.line)).in_ring(Some(name.to_owned())));
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

    /// The Liaoning notice of 2025 (辽采协示字〔2025〕54号, two blocks of 8 and 11 points):
    /// its reading's areas. The notice states 1.0685 km²; the ellipsoidal area is
    /// 1.068478 km² (pyproj, GRS80), the plane area 1.068484 km².
    fn liaoning() -> Areas {
        let text = include_str!(
            "../../tests/data/real/announcements/liaoning_haicheng_paolou_2025-54.txt"
        );
        let report = super::super::parse_str(text, &super::super::ParseOptions::default());
        let areas = report.areas.expect("the Liaoning reading has areas");
        assert!(
            (areas.ellipsoidal_m2 / 1e6 - 1.068478).abs() < 1e-6,
            "{areas:?}"
        );
        areas
    }

    fn declared(text: &str) -> StatedArea {
        parse_declared_area(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn a_declared_area_is_compared_within_its_rounding() {
        let areas = liaoning();
        assert_eq!(
            compare_area(&declared("1.0685"), Some(&areas)),
            AreaComparison::Matches
        );
        // 1.07 is ±0.005 km²: 1.068478 is within.
        assert_eq!(
            compare_area(&declared("1.07"), Some(&areas)),
            AreaComparison::Matches
        );
        assert_eq!(
            compare_area(&declared("106.85公顷"), Some(&areas)),
            AreaComparison::Matches
        );
        assert_eq!(
            compare_area(&declared("1068478平方米"), Some(&areas)),
            AreaComparison::Matches
        );
        // 1.0684 is ±0.00005 km²: neither 1.068478 (ellipsoidal) nor 1.068484 (plane).
        let wrong = declared("1.0684");
        let c = compare_area(&wrong, Some(&areas));
        let AreaComparison::Mismatch {
            ellipsoidal_km2,
            plane_km2,
        } = c
        else {
            panic!("{c:?}")
        };
        assert!((ellipsoidal_km2 - 1.068478).abs() < 1e-6);
        assert!((plane_km2 - 1.068484).abs() < 1e-6);
        let p = c.problem(&wrong, "申报面积").unwrap();
        assert_eq!(p.severity, Severity::Error);
        assert_eq!(p.kind, ProblemKind::StatedFigureMismatch);
        assert!(
            p.message.contains("申报面积“1.0684”")
                && p.message.contains("椭球面积 1.0685 km²")
                && p.message.contains("平面面积 1.0685 km²")
                && p.message.contains("±0.00005 km²"),
            "{}",
            p.message
        );
        // The plane area only (1.068484 written to 6 decimals): a warning that says so.
        let plane = declared("1.068484");
        let c = compare_area(&plane, Some(&areas));
        assert!(
            matches!(c, AreaComparison::MatchesPlaneOnly { .. }),
            "{c:?}"
        );
        let p = c.problem(&plane, "申报面积").unwrap();
        assert_eq!(p.severity, Severity::Warning);
        assert!(p.message.contains("高斯平面面积"), "{}", p.message);
        // No areas: said, not passed.
        let c = compare_area(&declared("1.0685"), None);
        assert_eq!(c, AreaComparison::NotComparable);
        let p = c.problem(&declared("1.0685"), "申报面积").unwrap();
        assert_eq!(p.severity, Severity::Warning);
        assert!(p.message.contains("无法判定"), "{}", p.message);
    }

    #[test]
    fn check_declared_area_adds_its_problem_to_the_report() {
        let text = include_str!(
            "../../tests/data/real/announcements/liaoning_haicheng_paolou_2025-54.txt"
        );
        let mut report = super::super::parse_str(text, &super::super::ParseOptions::default());
        let before = report.problems.len();
        assert_eq!(
            check_declared_area(&declared("1.0685平方公里"), &mut report),
            AreaComparison::Matches
        );
        assert_eq!(report.problems.len(), before);
        check_declared_area(&declared("1.0684"), &mut report);
        assert!(report.has_errors());
        assert_eq!(report.problems[0].kind, ProblemKind::StatedFigureMismatch);
    }

    #[test]
    fn declared_areas_as_people_type_them() {
        // 0.6752 km² in every unit a form may see.
        for text in [
            "0.6752",
            "0.6752平方公里",
            " 0.6752 平方千米 ",
            "0.6752km²",
            "0.6752 KM2",
            "67.52公顷",
            "67.52hm²",
            "675200平方米",
            "675,200平方米",
            "675200㎡",
            "1012.8亩",
            "０．６７５２",
            "６７．５２公顷",
        ] {
            let a = declared(text);
            assert!((a.km2 - 0.6752).abs() < 1e-12, "{text}: {a:?}");
            assert_eq!(a.as_written, text.trim());
            assert_eq!(a.line, 1);
        }
        // The rounding is half the last written digit, in km².
        for (text, rounding) in [
            ("1.07", 0.005),
            ("1.0685", 0.00005),
            ("67.52公顷", 0.00005),
            ("675200平方米", 5e-7),
            ("1012.8亩", 0.05 / 1500.0),
            ("2", 0.5),
        ] {
            let r = declared(text).rounding_km2;
            assert!((r - rounding).abs() < 1e-15, "{text}: {r}");
        }
        for (text, says) in [
            ("", "为空"),
            ("  ", "为空"),
            ("约一公顷", "应为数字"),
            ("-1", "应大于 0"),
            ("0.5英亩", "单位“英亩”无法识别"),
            ("0.5 平方公里 左右", "无法识别"),
            ("0", "应大于 0"),
            ("0.000", "应大于 0"),
            ("1,5", "数字分组不对"),
            ("1,0000平方米", "数字分组不对"),
        ] {
            let e = parse_declared_area(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
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
