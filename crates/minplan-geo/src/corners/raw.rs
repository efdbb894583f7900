//! What a layout reader hands on: rings of entered values, before any interpretation of
//! datum, zone, prefix or axis order.

use super::Datum;
use super::text::{self, Hints};
use super::{ElevationRange, Layout, Problem, ProblemKind, RingRole, Severity};

/// Whether the numbers are plane metres or geographic degrees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum CoordKind {
    /// X = northing, Y = easting (as entered; swaps are detected later).
    #[default]
    Plane,
    /// x = latitude, y = longitude, degrees.
    Geographic,
}

/// A point as read.
#[derive(Debug, Clone)]
pub(crate) struct RawPoint {
    pub label: String,
    pub x_text: String,
    pub y_text: String,
    /// X column value (northing or latitude); `None` when unreadable.
    pub x: Option<f64>,
    /// Y column value (easting or longitude); `None` when unreadable.
    pub y: Option<f64>,
    /// First input line of the point (1-based).
    pub line: Option<usize>,
    /// Every input line the point's cells came from (a Word table pasted one cell per line
    /// spreads a point over several lines); empty when the layout has no lines (GeoJSON).
    pub lines: Vec<usize>,
    /// The same point in a second pair of columns (another datum, or geographic beside plane),
    /// read and cross-checked but not used for geometry.
    pub alt: Option<AltPair>,
}

/// A second reading of a point from other columns of the same row.
#[derive(Debug, Clone)]
pub(crate) struct AltPair {
    /// Whether these are plane metres or degrees.
    pub kind: CoordKind,
    /// The datum the header gives these columns, when it gives one.
    pub datum: Option<Datum>,
    pub x_text: String,
    pub y_text: String,
    /// Northing or latitude.
    pub x: Option<f64>,
    /// Easting or longitude.
    pub y: Option<f64>,
}

#[derive(Debug, Clone)]
pub(crate) struct RawRing {
    pub name: Option<String>,
    pub role: RingRole,
    pub points: Vec<RawPoint>,
    pub elevation: Option<ElevationRange>,
    /// The format requires the ring to be closed (GeoJSON, WKT).
    pub closure_required: bool,
    /// The closing point was present and has been removed.
    pub was_closed: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct RawBlock {
    pub name: String,
    pub rings: Vec<RawRing>,
}

#[derive(Debug, Clone)]
pub(crate) struct RawDoc {
    pub layout: Layout,
    pub kind: CoordKind,
    pub blocks: Vec<RawBlock>,
    pub problems: Vec<Problem>,
    pub hints: Hints,
    /// GeoJSON without a `crs` member: WGS 84 by RFC 7946.
    pub rfc7946: bool,
    /// Areas a table states per block (its 面积 column).
    pub ring_areas: Vec<super::StatedArea>,
}

impl RawDoc {
    pub fn new(layout: Layout, kind: CoordKind) -> RawDoc {
        RawDoc {
            layout,
            kind,
            blocks: Vec::new(),
            problems: Vec::new(),
            hints: Hints::default(),
            rfc7946: false,
            ring_areas: Vec::new(),
        }
    }
}

/// Reads one coordinate cell; on failure records a problem naming the line, the label and
/// the field.
pub(crate) fn read_coord(
    text_value: &str,
    field: &str,
    label: &str,
    line: Option<usize>,
    problems: &mut Vec<Problem>,
) -> Option<f64> {
    use super::{ProblemKind, Severity};
    match text::parse_number(text_value) {
        Ok(v) => Some(v),
        Err(text::NumError::Empty) => {
            problems.push(
                Problem::new(
                    ProblemKind::MissingValue,
                    Severity::Error,
                    format!("{}拐点 {label} 缺少 {field} 坐标", line_prefix(line)),
                )
                .with_points(vec![label.to_owned()])
                .at_line(line),
            );
            None
        }
        Err(text::NumError::Junk(j)) => {
            let what = if j.contains('*') {
                format!("有数字被遮盖为“{j}”")
            } else {
                format!("含有非数字字符“{j}”")
            };
            problems.push(
                Problem::new(
                    ProblemKind::JunkInNumber,
                    Severity::Error,
                    format!(
                        "{}拐点 {label} 的 {field} 值“{}”{what}，无法读取",
                        line_prefix(line),
                        text_value.trim()
                    ),
                )
                .with_points(vec![label.to_owned()])
                .at_line(line),
            );
            None
        }
    }
}

/// A problem about one point: the message after `第 n 行：`, with the point's label and line.
pub(crate) fn point_problem(
    kind: ProblemKind,
    severity: Severity,
    line: Option<usize>,
    label: &str,
    message: &str,
) -> Problem {
    Problem::new(kind, severity, format!("{}{message}", line_prefix(line)))
        .with_points(vec![label.to_owned()])
        .at_line(line)
}

/// A line that is not part of the layout (`what` names what it is not: `拐点行`, `“键=值”行`);
/// a warning, for lines that hold no coordinates.
pub(crate) fn unreadable_line(line: usize, t: &str, what: &str) -> Problem {
    Problem::new(
        ProblemKind::UnreadableLine,
        Severity::Warning,
        format!("第 {line} 行“{t}”不是{what}，未读取"),
    )
    .at_line(Some(line))
}

/// The problems of one point's two values, with both masked (`masked`) told once: one
/// `junk_in_number` naming both values (`both`, e.g. `X 值“*.358”、Y 值“*.493”`) instead of two.
pub(crate) fn masked_pair(
    own: Vec<Problem>,
    masked: bool,
    line: Option<usize>,
    label: &str,
    both: &str,
) -> Vec<Problem> {
    let two_junk = own.len() == 2 && own.iter().all(|p| p.kind == ProblemKind::JunkInNumber);
    if !(masked && two_junk) {
        return own;
    }
    vec![point_problem(
        ProblemKind::JunkInNumber,
        Severity::Error,
        line,
        label,
        &format!("拐点 {label} 的{both}有数字被遮盖（*），无法读取"),
    )]
}

/// `第 n 行：` or nothing.
pub(crate) fn line_prefix(line: Option<usize>) -> String {
    line.map(|l| format!("第 {l} 行：")).unwrap_or_default()
}

/// A plane point from its label and the X/Y cells.
pub(crate) fn plane_point(
    label: &str,
    x_text: &str,
    y_text: &str,
    line: Option<usize>,
    problems: &mut Vec<Problem>,
) -> RawPoint {
    let mut own = Vec::new();
    let x = read_coord(x_text, "X", label, line, &mut own);
    let y = read_coord(y_text, "Y", label, line, &mut own);
    let both = format!(" X 值“{}”、Y 值“{}”", x_text.trim(), y_text.trim());
    let masked = x_text.contains('*') && y_text.contains('*');
    let mut own = masked_pair(own, masked, line, label, &both);
    problems.append(&mut own);
    RawPoint {
        label: label.to_owned(),
        x_text: x_text.trim().to_owned(),
        y_text: y_text.trim().to_owned(),
        x,
        y,
        line,
        lines: line.into_iter().collect(),
        alt: None,
    }
}

/// Reads `起标高,止标高` cells into an elevation range, reporting what cannot be read.
pub(crate) fn read_elevation(
    top: &str,
    bottom: &str,
    line: Option<usize>,
    ring: &str,
    problems: &mut Vec<Problem>,
) -> Option<ElevationRange> {
    use super::{ProblemKind, Severity};
    let clean = |s: &str| s.trim().trim_end_matches(['米', 'm', 'M']).to_owned();
    let (t, b) = (clean(top), clean(bottom));
    if t.is_empty() && b.is_empty() {
        return None;
    }
    match (text::parse_number(&t), text::parse_number(&b)) {
        (Ok(top_m), Ok(bottom_m)) => Some(ElevationRange { top_m, bottom_m }),
        _ => {
            problems.push(
                Problem::new(
                    ProblemKind::BadElevation,
                    Severity::Error,
                    format!(
                        "{}{ring} 的开采标高“{}”至“{}”无法读取",
                        line_prefix(line),
                        top.trim(),
                        bottom.trim()
                    ),
                )
                .at_line(line)
                .in_ring(Some(ring.to_owned())),
            );
            None
        }
    }
}

/// Ring role from 圈属性: `1` shell, `-1` hole.
pub(crate) fn ring_role(
    attr: &str,
    line: Option<usize>,
    ring: &str,
    problems: &mut Vec<Problem>,
) -> RingRole {
    use super::{ProblemKind, Severity};
    match attr.trim() {
        "1" | "" | "+1" => RingRole::Shell,
        "-1" => RingRole::Hole,
        other => {
            problems.push(
                Problem::new(
                    ProblemKind::UnknownRingAttribute,
                    Severity::Error,
                    format!(
                        "{}{ring} 的圈属性“{other}”无法识别（1 表示外圈，-1 表示内圈/挖空）；按外圈处理",
                        line_prefix(line)
                    ),
                )
                .at_line(line)
                .in_ring(Some(ring.to_owned())),
            );
            RingRole::Shell
        }
    }
}

/// Appends a finished ring to the blocks: a shell starts a new block unless it carries the
/// name of the current block; a hole joins the current block.
pub(crate) fn push_ring(blocks: &mut Vec<RawBlock>, ring: RawRing) {
    let n = blocks.len();
    let name = ring
        .name
        .clone()
        .unwrap_or_else(|| format!("第{}块", n + 1));
    match (ring.role, blocks.last_mut()) {
        (RingRole::Hole, Some(b)) => b.rings.push(ring),
        (RingRole::Shell, Some(b))
            if ring.name.is_some() && Some(&b.name) == ring.name.as_ref() =>
        {
            b.rings.push(ring)
        }
        _ => blocks.push(RawBlock {
            name,
            rings: vec![ring],
        }),
    }
}

/// Points left after the last ring terminator: read as one more shell ring, with a warning
/// that names the terminator line (`what`) the file lacks.
pub(crate) fn close_unterminated(doc: &mut RawDoc, current: Vec<RawPoint>, what: &str) {
    if current.is_empty() {
        return;
    }
    let name = format!(
        "第{}圈",
        doc.blocks.iter().map(|b| b.rings.len()).sum::<usize>() + 1
    );
    doc.problems.push(
        Problem::new(
            ProblemKind::UnreadableLine,
            Severity::Warning,
            format!(
                "最后 {} 个拐点之后缺少{what}；按外圈“{name}”读取",
                current.len()
            ),
        )
        .with_points(current.iter().map(|p| p.label.clone()).collect())
        .in_ring(Some(name.clone())),
    );
    push_ring(
        &mut doc.blocks,
        RawRing {
            name: Some(name),
            role: RingRole::Shell,
            points: current,
            elevation: None,
            closure_required: false,
            was_closed: false,
        },
    );
}
