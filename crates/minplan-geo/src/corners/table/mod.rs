//! Free-form tables as published: pasted from a web page, Word or Excel.
//!
//! Recognised by structure, not by one keyword (see docs/coordinates.md §1a):
//!
//! * Cells are told apart by their digits ([`cells::Shape`]): 7 integer digits are a
//!   northing, 8 (zone prefix) or 6 with decimals an easting, marks make an angle, 1–3 digits
//!   with 3 or more decimals are degrees, digits with `*` are a masked coordinate. Header words
//!   that contradict the digits (经度/纬度 over 7- and 8-digit values) lose, with a warning.
//! * A row is a segment name (`一`, `Ⅰ区`), then groups of a label and its coordinate cells,
//!   then trailing words (`| 6 | X | Y | 2000国家大地坐标系 |`); any number of points per row,
//!   ordered by label within the ring.
//! * A Word table pasted one cell per line (header cells, blank lines between cells) is read as
//!   one long row.
//! * A label with two pairs (`点号 X80 Y80 X2000 Y2000`, `点号 X Y 纬度 经度`,
//!   `J1 X80 Y80 J1 X2000 Y2000`): the CGCS2000 plane pair is used, the other kept for a
//!   cross-check.
//! * A new ring starts at a new segment name, at any line between point rows that is not a
//!   point row (a caption `表2`, a heading, a repeated header, an area cell), when a label
//!   repeats, and when the label prefix changes (`B10` then `G1`).
//! * Geographic cells: DMS with marks, three plain parts, packed `dddmmss.ss` under a
//!   经度/纬度 header, `ddd.mmss` when declared or when every value fits it (then with a
//!   warning), decimal degrees otherwise.
//! * Elevation lines in every form notices use (`corners/elevation.rs`), never a height datum
//!   name.
//! * Export placeholder rows (`| 11 | 0 | 0 |`) are reported and skipped.

mod cells;
mod header;
mod row;

use super::raw::{self, AltPair, CoordKind, RawBlock, RawDoc, RawPoint, RawRing};
use super::{
    Datum, ElevationRange, GeographicFormat, Layout, ParseOptions, Problem, ProblemKind, RingRole,
    Severity, StatedArea, dms, stated, text,
};
use cells::{Cell, Shape};
use header::{Axis, Header};
use row::{Group, Row};

fn kind_words(k: CoordKind) -> &'static str {
    match k {
        CoordKind::Plane => "平面坐标",
        CoordKind::Geographic => "经纬度",
    }
}

/// A line (or a run of one-cell lines) as the reader sees it.
enum Item {
    /// Cells with at least one coordinate-shaped cell, and the line's text (empty for a run of
    /// one-cell lines).
    Row(Vec<Cell>, String),
    /// Anything else: the line, its text and its cells.
    Other(usize, String, Vec<Cell>),
}

/// Reads a table. `lines` are normalised (full-width folded).
pub(crate) fn read(lines: &[&str], opts: &ParseOptions) -> RawDoc {
    let mut hints = text::Hints::default();
    let items = items(lines, &mut hints);

    // A header of angles only (`序号 经度 纬度`) anywhere in the text.
    let any_angle_header = items.iter().any(|it| match it {
        Item::Other(line, t, _) => {
            let mut h = Header::default();
            header::read(&header_words(t), *line, &mut h)
                && !h.cols.is_empty()
                && h.cols.iter().all(|c| c.axis.is_angle())
        }
        Item::Row(..) => false,
    });

    // Plane or geographic: by the digits of the cells.
    let coord_cells: Vec<&Cell> = items
        .iter()
        .filter_map(|it| match it {
            Item::Row(c, _) => Some(c),
            Item::Other(..) => None,
        })
        .flatten()
        .filter(|c| c.shape.is_coord())
        .collect();
    let packed = any_angle_header
        && coord_cells
            .iter()
            .filter(|c| c.shape.is_plane())
            .all(|c| packed_angle(&c.text).is_some());
    // A masked angle (`*°*′*″`) is an angle.
    let masked_angle = |c: &Cell| c.shape == Shape::Masked && c.text.contains(['°', '度']);
    let angle_cells = coord_cells
        .iter()
        .filter(|c| c.shape.is_angle() || masked_angle(c) || (packed && c.shape.is_plane()))
        .count();
    let plane_cells = coord_cells.iter().filter(|c| c.shape.is_plane()).count();
    let geographic = angle_cells > 0 && (packed || angle_cells > plane_cells);
    let kind = if geographic {
        CoordKind::Geographic
    } else {
        CoordKind::Plane
    };
    let mut doc = RawDoc::new(
        if geographic {
            Layout::GeographicTable
        } else {
            Layout::PlaneTable
        },
        kind,
    );
    if any_angle_header && !geographic && plane_cells > 0 {
        doc.problems.push(Problem::new(
            ProblemKind::HeaderMismatch,
            Severity::Warning,
            "表头写的是经度/纬度，但数值为 7 位、8 位的平面坐标（高斯–克吕格 X、Y），按数字位数作平面坐标读取",
        ));
    }
    // Beside plane metres, degrees are checked against them (interpret): their notation is
    // settled there, not guessed from the values here.
    let guess_from = if geographic {
        coord_cells.as_slice()
    } else {
        &[]
    };
    let format = geographic_format(opts, &hints, guess_from, &mut doc.problems);

    let mut st = Assembly {
        kind,
        format,
        packed,
        ..Assembly::default()
    };
    for it in items {
        match it {
            Item::Row(cells, text) => st.row(&cells, &text, &mut doc.problems),
            Item::Other(line, t, cells) => st.other(line, &t, &cells, &mut doc.problems),
        }
    }
    st.finish();
    if let Some((t, l)) = st.pending_name.take()
        && st.inside_table(l)
    {
        doc.problems.push(unreadable_text(l, &t));
    }
    if let Some((d, line)) = st.chosen_datum {
        let words = if d == Datum::Cgcs2000 {
            "2000 坐标列（表头）"
        } else {
            "表头所注坐标系"
        };
        hints.datum = Some((d, words.to_owned(), line));
    }
    doc.hints = hints;
    let ring_block: Vec<String> = st
        .blocks
        .iter()
        .flat_map(|b| b.rings.iter().map(|_| b.name.clone()))
        .collect();
    doc.ring_areas = st
        .ring_areas
        .into_iter()
        .filter_map(|(i, mut a)| {
            a.block = Some(ring_block.get(i)?.clone());
            Some(a)
        })
        .collect();
    doc.blocks = st.blocks;
    doc
}

/// Splits lines into items; a run of lines that each hold one label or one coordinate (a
/// Word table pasted one cell per line) becomes one row. Scans every line for datum and zone
/// statements.
fn items(lines: &[&str], hints: &mut text::Hints) -> Vec<Item> {
    let mut out = Vec::new();
    let mut stream: Vec<(usize, String, Cell)> = Vec::new();
    let flush = |stream: &mut Vec<(usize, String, Cell)>, out: &mut Vec<Item>| {
        if stream.iter().any(|(_, _, c)| c.shape.is_coord()) {
            out.push(Item::Row(
                stream.drain(..).map(|(_, _, c)| c).collect(),
                String::new(),
            ));
        } else {
            for (l, t, c) in stream.drain(..) {
                out.push(Item::Other(l, t, vec![c]));
            }
        }
    };
    for (i, l) in lines.iter().enumerate() {
        let line = i + 1;
        let t = l.trim();
        if t.is_empty() {
            continue;
        }
        let cs = cells::cells(t, line);
        // Statements are read from the words of a line, never from its coordinates (`43度`
        // in a DMS row is not a `3度` zone width).
        if cs.iter().any(|c| c.shape.is_coord()) {
            let words: Vec<&str> = cs
                .iter()
                .filter(|c| !c.shape.is_coord())
                .map(|c| c.text.as_str())
                .collect();
            hints.scan(&words.join(" "), Some(line));
        } else {
            hints.scan(t, Some(line));
        }
        if cs.len() == 1 && (cs[0].shape.is_coord() || cs[0].shape == Shape::Label) {
            stream.push((line, t.to_owned(), cs.into_iter().next().expect("one cell")));
            continue;
        }
        flush(&mut stream, &mut out);
        // One whole number among words (`联系电话：3921234`) is not a point row.
        let coords: Vec<&Cell> = cs.iter().filter(|c| c.shape.is_coord()).collect();
        let lone_integer = matches!(coords.as_slice(), [c] if c.text.bytes().all(|b| b.is_ascii_digit()))
            && !cs.iter().any(|c| c.shape == Shape::Label);
        if !coords.is_empty() && !lone_integer {
            out.push(Item::Row(cs, t.to_owned()));
        } else {
            out.push(Item::Other(line, t.to_owned(), cs));
        }
    }
    flush(&mut stream, &mut out);
    out
}

/// Header cells: split like cells but keeping brackets (`X(2000)`).
fn header_words(t: &str) -> Vec<String> {
    t.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|' | '\t'))
        .filter(|s| !s.is_empty())
        .map(|s| s.replace(['(', ')', '（', '）'], ""))
        .collect()
}

/// A plane-shaped cell read as a packed angle (`1310912.345` = 131°09′12.345″,
/// `443559.917` = 44°35′59.917″), when it is one: minutes and seconds below 60 and a value
/// China's latitudes or longitudes can take (3°–136°).
fn packed_angle(s: &str) -> Option<f64> {
    dms::parse_angle(s, GeographicFormat::DecimalDegrees)
        .ok()
        .filter(|v| (3.0..=136.0).contains(v))
}

/// How decimal-looking angles are read: as the caller says, as the input declares, else by
/// the values: if every one with 4 or more decimals fits `ddd.mmss` (minutes and seconds
/// below 60) and there are at least 6 of them, `ddd.mmss` with a warning (a decimal degree
/// fits by chance with probability 0.6 × 0.6 = 0.36, six of them 0.36⁶ ≈ 0.2 %); if too few
/// values decide it, decimal degrees with a warning. When a value does not fit, decimal
/// degrees without comment.
fn geographic_format(
    opts: &ParseOptions,
    hints: &text::Hints,
    cells: &[&Cell],
    problems: &mut Vec<Problem>,
) -> GeographicFormat {
    if let Some(f) = opts.geographic_format {
        return f;
    }
    if hints.ddd_mmss {
        return GeographicFormat::DddMmss;
    }
    let decimals: Vec<&str> = cells
        .iter()
        .filter(|c| c.shape == Shape::Degrees)
        .map(|c| c.text.as_str())
        .collect();
    if decimals.is_empty() {
        return GeographicFormat::DecimalDegrees;
    }
    let fits = |s: &str| {
        let frac = s.split('.').nth(1).unwrap_or("");
        let padded = format!("{frac:0<4}");
        padded[..2].parse::<u32>().is_ok_and(|m| m < 60)
            && padded[2..4].parse::<u32>().is_ok_and(|s| s < 60)
    };
    if !decimals.iter().all(|s| fits(s)) {
        return GeographicFormat::DecimalDegrees;
    }
    let long = decimals
        .iter()
        .filter(|s| s.split('.').nth(1).unwrap_or("").len() >= 4)
        .count();
    if long >= 6 {
        problems.push(Problem::new(
            ProblemKind::AmbiguousNotation,
            Severity::Warning,
            format!(
                "文件未说明经纬度写法；全部 {} 个数值的分、秒位均小于 60，按“度.分秒”（ddd.mmss，如 {} = {}）读取，不按十进制度读取。若实为十进制度，请注明",
                decimals.len(),
                decimals[0],
                dms_words(decimals[0]),
            ),
        ));
        GeographicFormat::DddMmss
    } else {
        problems.push(Problem::new(
            ProblemKind::AmbiguousNotation,
            Severity::Warning,
            format!(
                "文件未说明经纬度写法，{} 等数值既可读作十进制度，也可读作“度.分秒”（ddd.mmss）；按十进制度读取，请核对并注明",
                decimals[0]
            ),
        ));
        GeographicFormat::DecimalDegrees
    }
}

/// `121.5530` → `121°55′30″`.
fn dms_words(s: &str) -> String {
    let (d, frac) = s.split_once('.').unwrap_or((s, ""));
    let padded = format!("{frac:0<4}");
    let rest = &padded[4..];
    format!(
        "{d}°{}′{}{}″",
        &padded[..2],
        &padded[2..4],
        if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        }
    )
}

/// The ring being built and what is pending.
#[derive(Default)]
struct Assembly {
    kind: CoordKind,
    format: GeographicFormat,
    packed: bool,
    blocks: Vec<RawBlock>,
    ring: Vec<RawPoint>,
    /// Labels of `ring` (a repeated label starts a new ring).
    ring_labels: std::collections::HashSet<String>,
    /// The ring's points came from rows with several points (put in label order).
    multi: bool,
    ring_name: Option<String>,
    ring_segment: Option<String>,
    ring_elev: Option<ElevationRange>,
    /// `ring_elev` came from a line before the ring that may be about the whole area (a
    /// range stated right after the ring's points is the ring's own and replaces it).
    ring_elev_inherited: bool,
    /// The ring ended on its first point again.
    closed: bool,
    /// A non-point line since the last point.
    broke: bool,
    pending_name: Option<(String, usize)>,
    pending_elev: Option<ElevationRange>,
    header: Header,
    /// Header lines read since the last row (they replace `header` at the next row).
    next_header: Header,
    first_point_line: Option<usize>,
    last_point_line: Option<usize>,
    header_warned: bool,
    /// The datum of the pair used, as its header names it (`X2000`, `X(80)`): the datum and
    /// the header line.
    chosen_datum: Option<(Datum, Option<usize>)>,
    /// A `面积(㎞2)` column header was seen: km² per unit of its cells.
    area_unit: Option<(f64, String)>,
    /// The last line read was a point (the next cell may be the ring's area).
    after_points: bool,
    /// Areas stated per ring in the table's area column: (ring index, figure).
    ring_areas: Vec<(usize, StatedArea)>,
    /// Rings finished so far.
    rings_done: usize,
    /// A page break or a repeated header since the last point: the ring goes on only if the
    /// next label follows the last one.
    soft_break: bool,
    /// The last point had no label of its own (numbered by the reader).
    last_auto: bool,
    /// Some point so far had a label of its own.
    any_label: bool,
    /// The header has a 标高 column: two numbers after a row's coordinates are the ring's
    /// elevation range.
    elevation_column: bool,
}

impl Assembly {
    fn inside_table(&self, line: usize) -> bool {
        matches!((self.first_point_line, self.last_point_line), (Some(a), Some(b)) if a < line && line < b)
    }

    /// Ends the current ring.
    fn finish(&mut self) {
        self.closed = false;
        if self.ring.is_empty() {
            self.ring_name = None;
            self.ring_segment = None;
            return;
        }
        let mut pts = std::mem::take(&mut self.ring);
        self.ring_labels.clear();
        if self.multi {
            let closing =
                pts.len() > 1 && pts.last().map(|p| &p.label) == pts.first().map(|p| &p.label);
            let last = if closing { pts.pop() } else { None };
            pts.sort_by_key(|p| cells::label_key(&p.label));
            pts.extend(last);
        }
        self.multi = false;
        let n = self.blocks.len();
        let name = self
            .ring_segment
            .take()
            .or(self.ring_name.take())
            .unwrap_or_else(|| format!("第{}块", n + 1));
        // `内圈（挖空）`, `扣除范围（不含）`: a ring taken out of the block before it.
        let role = if !self.blocks.is_empty()
            && ["内圈", "挖空", "扣除", "不含", "剔除"]
                .iter()
                .any(|w| name.contains(w))
        {
            RingRole::Hole
        } else {
            RingRole::Shell
        };
        self.rings_done += 1;
        raw::push_ring(
            &mut self.blocks,
            RawRing {
                name: Some(name),
                role,
                points: pts,
                elevation: self.ring_elev.take(),
                closure_required: false,
                was_closed: false,
            },
        );
    }

    /// A line that holds no coordinate.
    fn other(&mut self, line: usize, t: &str, cells: &[Cell], problems: &mut Vec<Problem>) {
        // `| 11 | 0 | 0 |`: an export placeholder row.
        if cells.len() >= 3
            && cells[0].shape == Shape::Label
            && cells[1..].iter().all(|c| c.shape == Shape::Zero)
        {
            problems.push(
                Problem::new(
                    ProblemKind::PlaceholderRow,
                    Severity::Warning,
                    format!("第 {line} 行“{t}”：坐标为 0（导出系统的占位行），未作为拐点读取"),
                )
                .with_points(vec![cells[0].text.clone()])
                .at_line(Some(line)),
            );
            return;
        }
        // `|---|---|`: a markdown table's rule line.
        if t.chars()
            .all(|c| matches!(c, '-' | '|' | ':' | '+' | '=') || c.is_whitespace())
        {
            return;
        }
        // `第 1 页 共 2 页`, `- 2 -`: a page break; the table may go on after it.
        if page_furniture(t) {
            self.soft_break = true;
            if !self.ring.is_empty() {
                problems.push(raw::unreadable_line(line, t, "拐点行（分页标记）"));
            }
            return;
        }
        let after_points = std::mem::take(&mut self.after_points);
        if let Some(unit) = stated::area_column_unit(t) {
            // The column's own header cell (`面积(km²)`), not the whole header line.
            let head = t
                .split(|c: char| c.is_whitespace() || matches!(c, '|' | ',' | '\t'))
                .find(|w| w.contains("面积"))
                .unwrap_or("面积");
            self.area_unit = Some((unit, head.to_owned()));
        }
        // The cell after a ring's corners in a table with an area column: that ring's area.
        // (It ends the ring, as any line between point rows does.)
        if let (true, Some((unit, head)), [cell]) = (after_points, &self.area_unit, cells)
            && matches!(cell.shape, Shape::Number | Shape::Label)
            && !self.ring.is_empty()
            && let Some(area) = column_area(cell, *unit, head)
        {
            self.ring_areas.push((self.rings_done, area));
            self.broke = true;
            return;
        }
        if header::read(&header_words(t), line, &mut self.next_header) {
            // A header repeated after a page break does not end the ring if its labels go on.
            self.soft_break = true;
            if t.contains("标高") {
                self.elevation_column = true;
            }
            return;
        }
        self.broke = true;
        let found = match super::elevation::elevation_in(t) {
            Some(Ok(f)) => Some(f.range),
            Some(Err(msg)) => {
                problems.push(
                    Problem::new(
                        ProblemKind::BadElevation,
                        Severity::Error,
                        format!("第 {line} 行：{msg}"),
                    )
                    .at_line(Some(line)),
                );
                return;
            }
            None => None,
        };
        if let Some(e) = found {
            // `一号采区 开采标高：+420m至+300m`: a name before the elevation names the next ring.
            let before = ["开采标高", "开采深度", "标高", "高程"]
                .iter()
                .filter_map(|w| t.find(w))
                .min()
                .map(|i| t[..i].trim_matches(|c: char| c.is_whitespace() || ",:|".contains(c)))
                .unwrap_or("");
            if (1..=20).contains(&before.chars().count())
                && before
                    .chars()
                    .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
                && !before.contains(['.', ':'])
                && !before.chars().any(|c| c.is_ascii_digit())
                && !["矿区", "矿山", "本矿", "采矿权"].contains(&before)
            {
                self.finish();
                self.drop_pending_name(problems);
                self.pending_name = Some((before.to_owned(), line));
                self.pending_elev = Some(e);
                return;
            }
            if !self.ring.is_empty() && (self.ring_elev.is_none() || self.ring_elev_inherited) {
                self.ring_elev = Some(e);
                self.ring_elev_inherited = false;
            } else if let Some(r) = self
                .blocks
                .last_mut()
                .and_then(|b| b.rings.last_mut())
                .filter(|r| {
                    r.elevation.is_none() && self.ring.is_empty() && self.pending_name.is_none()
                })
            {
                r.elevation = Some(e);
            } else {
                self.pending_elev = Some(e);
            }
            return;
        }
        let mut probe = text::Hints::default();
        let name = t
            .trim_matches(|c: char| c == '|' || c.is_whitespace())
            .to_owned();
        self.drop_pending_name(problems);
        // A ring's name is a short line of its own just before it (a caption, a segment or
        // project name); statements and sentences are not names.
        let cjk = name.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
        if !probe.scan(t, Some(line))
            && cjk
            && name.chars().count() <= 40
            && !name.contains(['.', ':'])
        {
            // `A区拐点坐标` names the block `A区`, as the text's figures for it do.
            let name = stated::part_name(&name).unwrap_or(name);
            self.pending_name = Some((name, line));
        } else if let Some(part) = stated::part_name(t) {
            // `一号矿段（由4个拐点圈定，面积0.0100平方公里）`: the part the next block is.
            self.pending_name = Some((part, line));
        } else if self.inside_table(line) {
            problems.push(unreadable_text(line, t));
        }
    }

    /// Forgets a pending ring name, reporting it when it lay between two point rows.
    fn drop_pending_name(&mut self, problems: &mut Vec<Problem>) {
        if let Some((old, old_line)) = self.pending_name.take()
            && self.inside_table(old_line)
        {
            problems.push(unreadable_text(old_line, &old));
        }
    }

    /// A line (or run of one-cell lines) with coordinates.
    fn row(&mut self, cells: &[Cell], text: &str, problems: &mut Vec<Problem>) {
        if !self.next_header.is_empty() {
            self.header = std::mem::take(&mut self.next_header);
        }
        let row = row::split(cells);
        // `…矿区开采标高自 119.89米至 83.0米…拐点号 X Y 1 …` on one flattened line.
        if let Some(at) = ["开采标高", "开采深度", "标高"]
            .iter()
            .filter(|_| row.prefix_text.contains("标高") || row.prefix_text.contains("深度"))
            .find_map(|w| text.find(w))
        {
            let clause = text[at..]
                .split([',', ';', '，', '；', '。'])
                .next()
                .unwrap_or("");
            if let Some(Ok(e)) = super::elevation::elevation_in(clause) {
                self.pending_elev.get_or_insert(e.range);
            }
        }
        let groups = merge_same_label(&row);
        let spans_lines = cells.iter().map(|c| c.line).min() != cells.iter().map(|c| c.line).max();
        let multi = groups.len() > 1 || spans_lines;
        let mut offset = 0;
        for g in &groups {
            let points = self.points_of(g, offset, problems);
            offset += g.coords.len();
            for (mut p, kind) in points {
                if let Some(l) = &g.label {
                    p.lines.push(l.line);
                    p.lines.sort_unstable();
                    p.lines.dedup();
                    p.line = p.lines.first().copied();
                }
                if kind != self.kind {
                    problems.push(raw::point_problem(
                        ProblemKind::UnreadableLine,
                        Severity::Error,
                        p.line,
                        &p.label,
                        &format!(
                            "拐点 {} 的坐标“{}，{}”为{}，表中其余拐点为{}，未读取",
                            p.label,
                            p.x_text,
                            p.y_text,
                            kind_words(kind),
                            kind_words(self.kind)
                        ),
                    ));
                    continue;
                }
                self.push_point(
                    p,
                    row.segment.as_deref(),
                    g.label.is_some(),
                    multi,
                    problems,
                );
            }
        }
        self.trailing_figures(&row);
        // `…,4,4910100.00,44420000.00，开采标高：+420m至+300m` (a licence's one line).
        if let Some(at) = row
            .trailing
            .iter()
            .position(|c| c.text.contains("标高") || c.text.contains("深度"))
        {
            let words: Vec<&str> = row.trailing[at..].iter().map(|c| c.text.as_str()).collect();
            if let Some(Ok(e)) = super::elevation::elevation_in(&words.join(" "))
                && self.ring_elev.is_none()
            {
                self.ring_elev = Some(e.range);
            }
        }
    }

    /// Numbers after a row's coordinates: the ring's area under a `面积(km²)` column, its
    /// elevation range under a `开采标高` column.
    fn trailing_figures(&mut self, row: &Row) {
        if self.ring.is_empty() {
            return;
        }
        let numbers: Vec<&Cell> = row
            .trailing
            .iter()
            .filter(|c| matches!(c.shape, Shape::Number | Shape::Label | Shape::Zero))
            .collect();
        match (numbers.as_slice(), &self.area_unit) {
            ([cell], Some((unit, head)))
                if !self.elevation_column || !cell.text.starts_with(['+', '-']) =>
            {
                if let Some(area) = column_area(cell, *unit, head) {
                    self.ring_areas.push((self.rings_done, area));
                }
            }
            ([top, bottom], _) if self.elevation_column && self.ring_elev.is_none() => {
                if let (Ok(t), Ok(b)) = (top.text.parse::<f64>(), bottom.text.parse::<f64>()) {
                    self.ring_elev = Some(ElevationRange {
                        top_m: t,
                        bottom_m: b,
                    });
                }
            }
            _ => {}
        }
    }

    /// Starts a new ring when the point cannot belong to the current one, then adds it.
    fn push_point(
        &mut self,
        mut p: RawPoint,
        segment: Option<&str>,
        labelled: bool,
        multi: bool,
        problems: &mut Vec<Problem>,
    ) {
        if !labelled {
            // Rows of bare coordinates: numbered within the ring.
            let restart = !self.ring.is_empty() && (self.broke || self.soft_break || self.closed);
            if restart {
                self.finish();
            }
            p.label = (self.ring.len() + 1).to_string();
            if self.any_label {
                problems.push(raw::point_problem(
                    ProblemKind::MissingValue,
                    Severity::Warning,
                    p.line,
                    &p.label,
                    &format!("这一行没有点号，按在圈中的位置记为 {}，请核对", p.label),
                ));
            }
        } else {
            self.any_label = true;
        }
        let segment_changed = segment.is_some_and(|s| self.ring_segment.as_deref() != Some(s));
        let closes = self.ring.len() > 2
            && self.ring[0].label == p.label
            && self.ring[0].x == p.x
            && self.ring[0].y == p.y;
        let repeats = !closes && self.ring_labels.contains(&p.label);
        // The stem of the label (`J` of `J12`, `1-` of `1-4`): a new stem starts a new ring.
        // Labels the reader numbered itself (rows without one) do not count.
        let stem = |l: &str| cells::label_stem(l);
        let prefix_changed = labelled
            && !self.last_auto
            && self
                .ring
                .last()
                .is_some_and(|q| stem(&q.label).0 != stem(&p.label).0);
        let goes_on = labelled
            && self.ring.last().is_some_and(|q| {
                let (a, b) = (stem(&q.label), stem(&p.label));
                a.0 == b.0 && matches!((a.1, b.1), (Some(x), Some(y)) if y == x + 1)
            });
        let soft_end = self.soft_break && !goes_on;
        if !self.ring.is_empty()
            && (self.broke
                || soft_end
                || self.closed
                || segment_changed
                || repeats
                || prefix_changed)
        {
            self.finish();
        }
        self.soft_break = false;
        if self.ring.is_empty() {
            self.ring_segment = segment.map(str::to_owned).or(self.ring_segment.take());
            if let Some((n, _)) = self.pending_name.take() {
                self.ring_name = Some(n);
            }
            self.ring_elev = self.pending_elev.take();
            self.ring_elev_inherited = self.ring_elev.is_some();
        }
        self.broke = false;
        self.last_auto = !labelled;
        self.multi |= multi;
        self.closed = closes;
        self.first_point_line = self.first_point_line.or(p.line);
        self.last_point_line = p.lines.iter().max().copied().or(p.line);
        self.ring_labels.insert(p.label.clone());
        self.after_points = true;
        self.ring.push(p);
    }

    /// The points of one group: one or two pairs under one label, or (without a label) as
    /// many points as pairs.
    fn points_of(
        &mut self,
        g: &Group,
        offset: usize,
        problems: &mut Vec<Problem>,
    ) -> Vec<(RawPoint, CoordKind)> {
        let line = g
            .label
            .as_ref()
            .map(|c| c.line)
            .or(g.coords.first().map(|c| c.line));
        let label = g.label.as_ref().map(|c| c.text.clone()).unwrap_or_default();
        let n = g.coords.len();
        let quoted = || -> String {
            g.coords
                .iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join("，")
        };
        if g.label.is_none()
            && n >= 2
            && n.is_multiple_of(2)
            && !(n == 4 && self.header.cols.len() == 4)
        {
            return g
                .coords
                .chunks(2)
                .enumerate()
                .map(|(k, pair)| self.pair_point("", pair, offset + 2 * k, problems))
                .collect();
        }
        match n {
            2 => vec![self.pair_point(&label, &g.coords, offset, problems)],
            4 => {
                let a = self.pair_point(&label, &g.coords[..2], offset, problems);
                let b = self.pair_point(&label, &g.coords[2..], offset + 2, problems);
                vec![self.choose(a, b, offset, problems)]
            }
            1 if g.label.is_some() => {
                // The other cell is missing: the point stays in the record, its missing value
                // reported (a dropped point would shift every label after it).
                let kind = self.pair_kind(&[g.coords[0].clone(), g.coords[0].clone()], offset);
                let c = &g.coords[0];
                let mut p = match kind {
                    // An 8-digit easting alone: the northing (X) is what is missing.
                    CoordKind::Plane if c.shape == Shape::PlaneY => {
                        raw::plane_point(&label, "", &c.text, line, problems)
                    }
                    CoordKind::Plane => raw::plane_point(&label, &c.text, "", line, problems),
                    CoordKind::Geographic => {
                        let mut p = raw::plane_point(&label, &g.coords[0].text, "", line, problems);
                        p.x = dms::parse_angle(&g.coords[0].text, self.format).ok();
                        p
                    }
                };
                p.lines = vec![g.coords[0].line];
                vec![(p, kind)]
            }
            _ => {
                problems.push(raw::point_problem(
                    ProblemKind::UnreadableLine,
                    Severity::Error,
                    line,
                    &label,
                    &format!(
                        "拐点 {label} 后有 {n} 个坐标“{}”，无法分成{}两列，未读取",
                        quoted(),
                        if self.kind == CoordKind::Geographic {
                            "纬度、经度"
                        } else {
                            " X、Y "
                        }
                    ),
                ));
                Vec::new()
            }
        }
    }

    /// Of two pairs under one label, the one to use: the CGCS2000 column by its header, else
    /// the plane pair beside a geographic one; the other is kept for the cross-check. Two
    /// pairs nothing tells apart: the first, with an error quoting the second.
    fn choose(
        &mut self,
        (a, ka): (RawPoint, CoordKind),
        (b, kb): (RawPoint, CoordKind),
        offset: usize,
        problems: &mut Vec<Problem>,
    ) -> (RawPoint, CoordKind) {
        let da = self.header.datum_of(offset);
        let db = self.header.datum_of(offset + 2);
        let first = if da != db && db == Some(Datum::Cgcs2000) {
            self.chosen_datum = Some((Datum::Cgcs2000, self.header.line));
            false
        } else if da != db && da == Some(Datum::Cgcs2000) {
            self.chosen_datum = Some((Datum::Cgcs2000, self.header.line));
            true
        } else if ka != kb {
            ka == CoordKind::Plane
        } else {
            problems.push(raw::point_problem(
                ProblemKind::UnreadableLine,
                Severity::Error,
                a.line,
                &a.label,
                &format!(
                    "拐点 {} 有两组坐标（{}，{}；{}，{}），表头未说明哪一组是 2000国家大地坐标系；按第一组读取，请核对",
                    a.label, a.x_text, a.y_text, b.x_text, b.y_text
                ),
            ));
            true
        };
        let ((mut main, km), (alt, kalt, dalt)) = if first {
            ((a, ka), (b, kb, db))
        } else {
            ((b, kb), (a, ka, da))
        };
        main.lines.extend(alt.lines.iter().copied());
        main.lines.sort_unstable();
        main.lines.dedup();
        main.alt = Some(AltPair {
            kind: kalt,
            datum: dalt,
            x_text: alt.x_text,
            y_text: alt.y_text,
            x: alt.x,
            y: alt.y,
        });
        (main, km)
    }

    /// The header column of coordinate cell `i` of a row (the header repeats for rows with
    /// several points).
    fn col(&self, i: usize) -> Option<header::Col> {
        let n = self.header.cols.len();
        (n > 0).then(|| self.header.cols[i % n])
    }

    /// Whether a pair of cells is plane metres or degrees: by the cells' digits; packed angles
    /// under a 经度/纬度 header are degrees; a masked cell follows the other cell or the header.
    fn pair_kind(&self, pair: &[Cell], offset: usize) -> CoordKind {
        let angle = |c: &Cell, i: usize| -> Option<bool> {
            if c.shape.is_angle() || c.text.contains(['°', '度']) {
                Some(true)
            } else if c.shape.is_plane() {
                Some(self.packed)
            } else {
                self.col(offset + i).map(|col| col.axis.is_angle())
            }
        };
        match (angle(&pair[0], 0), angle(&pair[1], 1)) {
            (Some(true), _) | (None, Some(true)) => CoordKind::Geographic,
            (Some(false), _) | (None, Some(false)) => CoordKind::Plane,
            (None, None) => self.kind,
        }
    }

    /// Reads one pair of cells as a point.
    fn pair_point(
        &mut self,
        label: &str,
        pair: &[Cell],
        offset: usize,
        problems: &mut Vec<Problem>,
    ) -> (RawPoint, CoordKind) {
        let kind = self.pair_kind(pair, offset);
        let line = pair[0].line;
        // A header that names the datum of the columns (`X(2000) Y(2000)`).
        if let Some(d) = self.header.datum_of(offset)
            && self.header.datum_of(offset + 1) == Some(d)
            && self.chosen_datum.is_none()
        {
            self.chosen_datum = Some((d, self.header.line));
        }
        let axes = (
            self.col(offset).map(|c| c.axis),
            self.col(offset + 1).map(|c| c.axis),
        );
        let mut p = match kind {
            CoordKind::Plane => {
                let swap = matches!(axes, (Some(Axis::Y), Some(Axis::X)));
                let (x, y) = if swap {
                    (&pair[1], &pair[0])
                } else {
                    (&pair[0], &pair[1])
                };
                raw::plane_point(label, &x.text, &y.text, Some(line), problems)
            }
            CoordKind::Geographic => self.geo_point(label, pair, axes, line, problems),
        };
        p.lines = pair.iter().map(|c| c.line).collect();
        p.lines.sort_unstable();
        p.lines.dedup();
        (p, kind)
    }

    /// A geographic point: latitude and longitude by the header, checked against the values
    /// (in China longitudes exceed 60°, latitudes do not; a header the values contradict loses,
    /// with a warning), else by the values.
    fn geo_point(
        &mut self,
        label: &str,
        pair: &[Cell],
        axes: (Option<Axis>, Option<Axis>),
        line: usize,
        problems: &mut Vec<Problem>,
    ) -> RawPoint {
        let format = self.format;
        let read = |c: &Cell, problems: &mut Vec<Problem>| match dms::parse_angle(&c.text, format) {
            Ok(v) => Some(v),
            Err(e) => {
                let kind = match e {
                    dms::AngleError::OutOfRange(_) => ProblemKind::InvalidAngle,
                    dms::AngleError::Empty => ProblemKind::MissingValue,
                    dms::AngleError::Junk(_) => ProblemKind::JunkInNumber,
                };
                let masked = if c.text.contains('*') {
                    "（含被遮盖的数字 *）"
                } else {
                    ""
                };
                problems.push(raw::point_problem(
                    kind,
                    Severity::Error,
                    Some(line),
                    label,
                    &format!("拐点 {label} 的坐标“{}”{masked}无法读取：{e}", c.text),
                ));
                None
            }
        };
        let mut own = Vec::new();
        let a = read(&pair[0], &mut own);
        let b = read(&pair[1], &mut own);
        let both = format!("坐标“{}”“{}”", pair[0].text, pair[1].text);
        let masked = pair.iter().all(|c| c.text.contains('*'));
        let mut own = raw::masked_pair(own, masked, Some(line), label, &both);
        problems.append(&mut own);
        let by_value = match (a, b) {
            (Some(a), Some(b)) if a > 60.0 && b <= 60.0 => Some(false),
            (Some(a), Some(b)) if b > 60.0 && a <= 60.0 => Some(true),
            _ => None,
        };
        let by_header = match axes {
            (Some(Axis::Lat), _) | (_, Some(Axis::Lon)) => Some(true),
            (Some(Axis::Lon), _) | (_, Some(Axis::Lat)) => Some(false),
            _ => None,
        };
        let first_is_lat = match (by_header, by_value) {
            (Some(h), Some(v)) if h != v => {
                if !self.header_warned {
                    self.header_warned = true;
                    problems.push(
                        Problem::new(
                            ProblemKind::HeaderMismatch,
                            Severity::Warning,
                            format!(
                                "第 {line} 行：表头的经度、纬度顺序与数值不符（我国经度大于 60°，纬度小于 60°），按数值读取"
                            ),
                        )
                        .at_line(Some(line)),
                    );
                }
                v
            }
            (Some(h), _) => h,
            (None, Some(v)) => v,
            (None, None) => true,
        };
        let (lat, lon) = if first_is_lat { (0, 1) } else { (1, 0) };
        let vals = [a, b];
        RawPoint {
            label: label.to_owned(),
            x_text: pair[lat].text.clone(),
            y_text: pair[lon].text.clone(),
            x: vals[lat],
            y: vals[lon],
            line: Some(line),
            lines: vec![line],
            alt: None,
        }
    }
}

/// Groups of one row, with consecutive groups of the same label merged
/// (`J1 X80 Y80 J1 X2000 Y2000`: one point in two datums).
fn merge_same_label(row: &Row) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for g in &row.groups {
        match (out.last_mut(), &g.label) {
            (Some(prev), Some(l))
                if prev.label.as_ref().is_some_and(|p| p.text == l.text)
                    && prev.coords.len() == 2
                    && g.coords.len() == 2 =>
            {
                prev.coords.extend(g.coords.iter().cloned());
            }
            _ => out.push(g.clone()),
        }
    }
    out
}

fn unreadable_text(line: usize, t: &str) -> Problem {
    raw::unreadable_line(line, t, "拐点行")
}

/// `第 1 页 共 2 页`, `第2页`, `- 2 -`, `— 3 —`, `2/5`: a page header or footer.
fn page_furniture(t: &str) -> bool {
    let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    let digits_only = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let page = |s: &str| {
        s.strip_prefix('第')
            .and_then(|r| r.strip_suffix('页'))
            .is_some_and(digits_only)
            || s.strip_prefix('共')
                .and_then(|r| r.strip_suffix('页'))
                .is_some_and(digits_only)
    };
    if let Some(i) = t.find("共")
        && i > 0
        && page(&t[..i])
        && page(&t[i..])
    {
        return true;
    }
    page(&t)
        || t.strip_prefix('-')
            .and_then(|r| r.strip_suffix('-'))
            .is_some_and(digits_only)
        || t.strip_prefix('—')
            .and_then(|r| r.strip_suffix('—'))
            .is_some_and(digits_only)
        || t.split_once('/')
            .is_some_and(|(a, b)| digits_only(a) && digits_only(b) && a.len() <= 3 && b.len() <= 3)
}

/// The figure of an area column's cell (`3.68` under `面积(㎞2)`): km² by the column's unit
/// (`unit` km² per unit), the rounding of its written digits.
fn column_area(cell: &Cell, unit: f64, head: &str) -> Option<StatedArea> {
    let value = cell.text.parse::<f64>().ok()?;
    let decimals = cell.text.split('.').nth(1).map_or(0, str::len);
    Some(StatedArea {
        as_written: format!("{}（{head}）", cell.text),
        km2: value * unit,
        rounding_km2: 0.5 * 10f64.powi(-(decimals as i32)) * unit,
        line: cell.line,
        block: None,
        agreement: None,
    })
}
