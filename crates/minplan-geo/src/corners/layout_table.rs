//! Free-form tables as pasted from announcements, Word or Excel.
//!
//! * Separators: tabs, spaces, commas, semicolons, `|`, and their full-width forms.
//! * Labels: `1`, `J1`, `拐点1`, `P-3`, `1号`; an index column before the label (`1 J1 X Y`)
//!   is skipped; rows without labels get their row number.
//! * One or several points per row (`1 X Y 5 X Y`): when any row holds more than one point,
//!   the points of each ring are put in label order, not reading order.
//! * A header row (`点号 X Y`, `点号 Y X`, `点号 经度 纬度`) sets the column order.
//! * Geographic rows: DMS with marks, three space-separated parts, packed `dddmmss.ss` (needs
//!   a 经度/纬度 header, since packed values look like plane metres), `ddd.mmss` when
//!   declared, decimal degrees.
//! * A new ring starts when a label repeats; a text line just before it names it.
//! * A line with `标高` and two numbers gives the elevation range of the ring.
//! * Statements of datum and zone anywhere (`2000国家大地坐标系`, `第44带`, `EPSG:4532`).

use super::dms;
use super::raw::{self, CoordKind, RawBlock, RawDoc, RawPoint, RawRing};
use super::text;
use super::{
    ElevationRange, GeographicFormat, Layout, ParseOptions, Problem, ProblemKind, RingRole,
    Severity,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Axis {
    X,
    Y,
    Lat,
    Lon,
}

struct Row {
    /// (label, first cell, second cell) per point, cells as entered; DMS parts joined by spaces.
    points: Vec<(String, String, String)>,
}

enum LineKind {
    Points(Row),
    /// A row that looks like a point but could not be split; label and message.
    BadPoint(String, String),
    Header(Vec<Axis>),
    Elevation(ElevationRange),
    Text(String),
    Statement,
}

pub(crate) fn read(lines: &[&str], opts: &ParseOptions) -> RawDoc {
    let mut hints = text::Hints::default();
    let mut kinds = Vec::new();
    let mut geo_words = false;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        if t.contains("经度") || t.contains("纬度") || t.contains("经纬度") {
            geo_words = true;
        }
        kinds.push((i + 1, classify(t, &mut hints, i + 1)));
    }
    let any_points = kinds.iter().any(|(_, k)| matches!(k, LineKind::Points(_)));
    if !any_points {
        // Word pastes sometimes put one cell per line: read the whole text as one row.
        let joined: Vec<&str> = lines
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect();
        let toks = tokens(&joined.join(" "));
        if let Some(points) = split_groups(&toks) {
            kinds = vec![(1, LineKind::Points(Row { points }))];
        }
    }
    let format = opts.geographic_format.unwrap_or(if hints.ddd_mmss {
        GeographicFormat::DddMmss
    } else {
        GeographicFormat::DecimalDegrees
    });
    // Plane or geographic?
    let all_cells: Vec<&String> = kinds
        .iter()
        .filter_map(|(_, k)| match k {
            LineKind::Points(r) => Some(r),
            _ => None,
        })
        .flat_map(|r| r.points.iter().flat_map(|(_, a, b)| [a, b]))
        .collect();
    let geographic = !all_cells.is_empty()
        && (all_cells
            .iter()
            .any(|c| c.contains(['°', '′', '″', '\'', '"', '度', '分', '秒', ' ']))
            || geo_words
            || all_cells
                .iter()
                .all(|c| text::parse_number(c).is_ok_and(|v| v.abs() < 400.0)));
    let kind = if geographic {
        CoordKind::Geographic
    } else {
        CoordKind::Plane
    };
    let layout = if geographic {
        Layout::GeographicTable
    } else {
        Layout::PlaneTable
    };
    let mut doc = RawDoc::new(layout, kind);
    doc.hints = hints;

    let mut header: Option<Vec<Axis>> = None;
    let mut blocks: Vec<RawBlock> = Vec::new();
    let mut ring: Vec<RawPoint> = Vec::new();
    let mut ring_name: Option<String> = None;
    let mut ring_elev: Option<ElevationRange> = None;
    let mut pending_name: Option<(String, usize)> = None;
    let mut pending_elev: Option<ElevationRange> = None;
    let mut multi = false;
    let mut auto_label = 0usize;
    let finish = |blocks: &mut Vec<RawBlock>,
                  ring: &mut Vec<RawPoint>,
                  name: Option<String>,
                  elev: Option<ElevationRange>,
                  multi: bool| {
        if ring.is_empty() {
            return;
        }
        let mut pts = std::mem::take(ring);
        if multi {
            let closing =
                pts.len() > 1 && pts.last().map(|p| &p.label) == pts.first().map(|p| &p.label);
            let last = if closing { pts.pop() } else { None };
            pts.sort_by_key(|p| label_key(&p.label));
            pts.extend(last);
        }
        let n = blocks.len();
        raw::push_ring(
            blocks,
            RawRing {
                name: Some(name.unwrap_or_else(|| format!("第{}块", n + 1))),
                role: RingRole::Shell,
                points: pts,
                elevation: elev,
                closure_required: false,
                was_closed: false,
            },
        );
    };
    for (line, k) in kinds {
        match k {
            LineKind::Statement => {}
            LineKind::Header(axes) => header = Some(axes),
            LineKind::Elevation(e) => {
                if !ring.is_empty() && ring_elev.is_none() {
                    ring_elev = Some(e);
                } else if let Some(b) = blocks
                    .last_mut()
                    .and_then(|b| b.rings.last_mut())
                    .filter(|r| r.elevation.is_none() && ring.is_empty())
                {
                    b.elevation = Some(e);
                } else {
                    pending_elev = Some(e);
                }
            }
            LineKind::Text(t) => {
                if let Some((old, old_line)) = pending_name.replace((t, line)) {
                    doc.problems.push(unreadable_text(old_line, &old));
                }
            }
            LineKind::BadPoint(label, msg) => {
                doc.problems.push(
                    Problem::new(
                        ProblemKind::MissingValue,
                        Severity::Error,
                        format!("第 {line} 行：{msg}"),
                    )
                    .with_points(vec![label])
                    .at_line(Some(line)),
                );
            }
            LineKind::Points(row) => {
                if row.points.len() > 1 {
                    multi = true;
                }
                for (label, a, b) in row.points {
                    let label = if label.is_empty() {
                        auto_label += 1;
                        auto_label.to_string()
                    } else {
                        label
                    };
                    let closed = ring.len() > 2
                        && ring.first().map(|p| &p.label) == ring.last().map(|p| &p.label);
                    // The first label again with the first point's coordinates closes the
                    // ring; any other repeated label starts a new ring.
                    let closes = ring.len() > 2
                        && ring[0].label == label
                        && same_value(&ring[0].x_text, &a)
                        && same_value(&ring[0].y_text, &b);
                    let restart = closed || (!closes && ring.iter().any(|p| p.label == label));
                    if restart {
                        finish(
                            &mut blocks,
                            &mut ring,
                            ring_name.take(),
                            ring_elev.take(),
                            multi,
                        );
                        auto_label = 0;
                    }
                    if ring.is_empty() {
                        if let Some((n, _)) = pending_name.take() {
                            ring_name = Some(n);
                        }
                        ring_elev = pending_elev.take();
                    } else if let Some((t, tl)) = pending_name.take() {
                        doc.problems.push(unreadable_text(tl, &t));
                    }
                    let order = header.clone().unwrap_or_default();
                    let swap_cols = matches!(
                        order.as_slice(),
                        [Axis::Y, Axis::X, ..] | [Axis::Lon, Axis::Lat, ..]
                    );
                    let (first, second) = if swap_cols { (b, a) } else { (a, b) };
                    let p = if geographic {
                        geo_point(
                            &label,
                            &first,
                            &second,
                            &order,
                            format,
                            line,
                            &mut doc.problems,
                        )
                    } else {
                        raw::plane_point(&label, &first, &second, Some(line), &mut doc.problems)
                    };
                    ring.push(p);
                }
            }
        }
    }
    finish(
        &mut blocks,
        &mut ring,
        ring_name.take(),
        ring_elev.take(),
        multi,
    );
    if let Some((t, tl)) = pending_name {
        doc.problems.push(unreadable_text(tl, &t));
    }
    doc.blocks = blocks;
    doc
}

/// Whether two cells hold the same number (or the same text when not numbers).
fn same_value(a: &str, b: &str) -> bool {
    match (text::parse_number(a), text::parse_number(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a.trim() == b.trim(),
    }
}

fn unreadable_text(line: usize, t: &str) -> Problem {
    Problem::new(
        ProblemKind::UnreadableLine,
        Severity::Warning,
        format!("第 {line} 行“{t}”不是拐点行，未读取"),
    )
    .at_line(Some(line))
}

/// Geographic point: cells assigned to latitude/longitude by the header, else by value
/// (longitudes in China exceed 60°, latitudes do not).
fn geo_point(
    label: &str,
    first: &str,
    second: &str,
    order: &[Axis],
    format: GeographicFormat,
    line: usize,
    problems: &mut Vec<Problem>,
) -> RawPoint {
    let read = |s: &str, field: &str, problems: &mut Vec<Problem>| match dms::parse_angle(s, format)
    {
        Ok(v) => Some(v),
        Err(e) => {
            let kind = match e {
                dms::AngleError::OutOfRange(_) => ProblemKind::InvalidAngle,
                dms::AngleError::Empty => ProblemKind::MissingValue,
                dms::AngleError::Junk(_) => ProblemKind::JunkInNumber,
            };
            problems.push(
                Problem::new(
                    kind,
                    Severity::Error,
                    format!(
                        "第 {line} 行：拐点 {label} 的{field}“{}”无法读取：{e}",
                        s.trim()
                    ),
                )
                .with_points(vec![label.to_owned()])
                .at_line(Some(line)),
            );
            None
        }
    };
    let a = read(first, "第一个坐标", problems);
    let b = read(second, "第二个坐标", problems);
    let first_is_lat = match order.first() {
        Some(Axis::Lat) | Some(Axis::X) => true,
        Some(Axis::Lon) | Some(Axis::Y) => false,
        None => match (a, b) {
            (Some(a), _) if a.abs() > 60.0 => false,
            (_, Some(b)) if b.abs() > 60.0 => true,
            _ => true,
        },
    };
    let ((lat_t, lat), (lon_t, lon)) = if first_is_lat {
        ((first, a), (second, b))
    } else {
        ((second, b), (first, a))
    };
    RawPoint {
        label: label.to_owned(),
        x_text: lat_t.trim().to_owned(),
        y_text: lon_t.trim().to_owned(),
        x: lat,
        y: lon,
        line: Some(line),
    }
}

fn classify(t: &str, hints: &mut text::Hints, line: usize) -> LineKind {
    let stated = hints.scan(t, Some(line));
    let toks = tokens(t);
    if let Some(points) = split_groups(&toks) {
        return LineKind::Points(Row { points });
    }
    if t.contains("标高") || t.contains("高程") {
        let nums = numbers_in(t);
        if nums.len() >= 2 {
            return LineKind::Elevation(ElevationRange {
                top_m: nums[0],
                bottom_m: nums[1],
            });
        }
    }
    let axes: Vec<Axis> = toks.iter().filter_map(|w| axis_word(w)).collect();
    if axes.len() >= 2
        && !toks.iter().any(|w| {
            text::numberish(w) && text::int_digits(text::parse_number(w).unwrap_or(0.0)) >= 4
        })
    {
        return LineKind::Header(axes);
    }
    if stated {
        return LineKind::Statement;
    }
    // A row that begins with a label and has some numbers but not two coordinates.
    if toks.len() >= 2
        && label_like(&toks[0])
        && toks[1..].iter().any(|w| text::numberish(w) && w.len() >= 5)
    {
        return LineKind::BadPoint(
            toks[0].clone(),
            format!(
                "拐点 {} 的坐标不完整或多余：“{}”",
                toks[0],
                toks[1..].join(" ")
            ),
        );
    }
    if toks.len() == 2 && toks.iter().all(|w| text::numberish(w) && w.len() >= 5) {
        return LineKind::Points(Row {
            points: vec![(String::new(), toks[0].clone(), toks[1].clone())],
        });
    }
    if toks.iter().all(|w| header_word(w)) {
        return LineKind::Statement;
    }
    LineKind::Text(t.to_owned())
}

fn axis_word(w: &str) -> Option<Axis> {
    let u = w.to_uppercase();
    let u = u.trim_end_matches("坐标").trim_end_matches(')');
    if u.starts_with("X") || u.contains("北坐标") || u == "纵坐标" {
        Some(Axis::X)
    } else if u.starts_with("Y") || u.contains("东坐标") || u == "横坐标" {
        Some(Axis::Y)
    } else if u.contains("纬度") || u == "B" || u == "N" {
        Some(Axis::Lat)
    } else if u.contains("经度") || u == "L" || u == "E" {
        Some(Axis::Lon)
    } else {
        None
    }
}

fn header_word(w: &str) -> bool {
    axis_word(w).is_some()
        || [
            "点号",
            "拐点",
            "拐点号",
            "序号",
            "编号",
            "点名",
            "坐标",
            "拐点编号",
            "界址点号",
        ]
        .contains(&w)
}

/// Splits a line into cells. DMS written with marks and spaces (`131° 09′ 12.3″`) is kept as
/// one cell; three plain space-separated numbers stay separate (see `split_groups`).
fn tokens(t: &str) -> Vec<String> {
    let mut glued = String::with_capacity(t.len());
    let mut prev_mark = false;
    for c in t.chars() {
        if c.is_whitespace() && prev_mark {
            continue;
        }
        prev_mark = matches!(c, '°' | '′' | '\'' | '度' | '分' | '’');
        glued.push(c);
    }
    glued
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|' | '\t'))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn label_like(w: &str) -> bool {
    let digits = w.chars().filter(char::is_ascii_digit).count();
    (1..=4).contains(&digits)
        && !w.contains('.')
        && !w.contains(['°', '′', '″', '\'', '"', '*'])
        && w.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '#'))
}

fn coord_like(w: &str) -> bool {
    if w.contains(['°', '′', '″', '度', '分', '秒']) {
        return true;
    }
    let int_part = w.split('.').next().unwrap_or("");
    text::numberish(w) && (w.contains('.') || int_part.len() >= 5 || w.contains('*'))
}

/// Splits a token row into points: groups of `label, c1, c2` or `label, d, m, s, d, m, s`,
/// possibly after an index column; a row of exactly two coordinates has no label.
fn split_groups(toks: &[String]) -> Option<Vec<(String, String, String)>> {
    let try_from = |start: usize| -> Option<Vec<(String, String, String)>> {
        let rest = &toks[start..];
        if rest.is_empty() {
            return None;
        }
        if rest.len().is_multiple_of(3)
            && rest
                .chunks(3)
                .all(|c| label_like(&c[0]) && coord_like(&c[1]) && coord_like(&c[2]))
        {
            return Some(
                rest.chunks(3)
                    .map(|c| (c[0].clone(), c[1].clone(), c[2].clone()))
                    .collect(),
            );
        }
        if rest.len().is_multiple_of(7)
            && rest.chunks(7).all(|c| {
                label_like(&c[0])
                    && c[1..]
                        .iter()
                        .all(|w| text::parse_number(w).is_ok() || text::numberish(w))
            })
        {
            return Some(
                rest.chunks(7)
                    .map(|c| (c[0].clone(), c[1..4].join(" "), c[4..7].join(" ")))
                    .collect(),
            );
        }
        None
    };
    if let Some(p) = try_from(0) {
        return Some(p);
    }
    if toks.len() > 1 && label_like(&toks[0]) && label_like(&toks[1]) {
        return try_from(1);
    }
    None
}

/// Signed decimal numbers in free text (`+363米至+10米` → 363, 10).
fn numbers_in(t: &str) -> Vec<f64> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in t.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || c == '.' || ((c == '-' || c == '+') && cur.is_empty()) {
            cur.push(c);
        } else {
            if let Ok(v) = cur.parse::<f64>() {
                out.push(v);
            }
            cur.clear();
            if c == '-' || c == '+' {
                cur.push(c);
            }
        }
    }
    out
}

/// Natural sort key for labels: (text before the number, the number, the rest).
pub(crate) fn label_key(l: &str) -> (String, u64, String) {
    let start = l.find(|c: char| c.is_ascii_digit()).unwrap_or(l.len());
    let digits: String = l[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let rest = l[start + digits.len()..].to_owned();
    (l[..start].to_owned(), digits.parse().unwrap_or(0), rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups() {
        let t = tokens("J1\t4907000.00\t44420000.00\tJ5\t4907100.00\t44420100.00");
        let g = split_groups(&t).unwrap();
        assert_eq!(g.len(), 2);
        assert_eq!(g[1].0, "J5");
        let t = tokens("1 J1 4907000.00 44420000.00");
        assert_eq!(split_groups(&t).unwrap()[0].0, "J1");
        let t = tokens("拐点1 44 25 30.12 131 09 12.345");
        let g = split_groups(&t).unwrap();
        assert_eq!(g[0].1, "44 25 30.12");
        let t = tokens("1 44° 25′ 30.12″ 131° 09′ 12.345″");
        assert_eq!(split_groups(&t).unwrap()[0].2, "131°09′12.345″");
        assert!(split_groups(&tokens("点号 X Y")).is_none());
        assert_eq!(numbers_in("开采标高：+363米至-10米"), vec![363.0, -10.0]);
        assert!(label_key("J2") < label_key("J10"));
    }
}
