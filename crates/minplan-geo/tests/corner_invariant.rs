//! The corner reader's promise, as properties over corner tables written the way published
//! notices (出让公告/公示) write them: random layouts × random separators × random prose.
//!
//! (a) Always: nothing is silently dropped — every coordinate-shaped number of the input is
//!     in a point or quoted by a problem on its line ([`unaccounted_numbers`] is empty).
//! (b) For clean cases (no perturbation) of the plane layouts and of the DMS table: the report
//!     has exactly the generated rings, with the generated labels in order.
//!
//! One `proptest!` function per layout, so that a failure names the layout. Perturbations
//! (about a third of the cases): a masked digit (`*`), a missing cell, a full stop after the
//! last number, full-width digits in one line; only (a) is asserted for them.
//!
//! Coordinates: CGCS2000 3° zone 41 with prefix (X ≈ 4.5e6 m, Y = `41` + 6 digits), two
//! decimals; each ring is 4–12 points on a circle, in order (a convex, simple polygon); rings
//! of one input are 5 km apart.
//!
//! The minimal inputs the properties and the fuzz target (`fuzz/`) found are kept below as
//! plain tests (`found_*`), so that they run every time.
//!
//! Failures are not persisted (`failure_persistence: None`): some layouts are expected to fail
//! until the reader is rewritten, and the shrunk input is printed in the failure message.

use minplan_geo::corners::{
    CornerReport, ParseOptions, ProblemKind, parse_str, unaccounted_numbers,
};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::Config;

const CASES: u32 = 256;

fn config() -> Config {
    Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Prose met around the tables; none of it is coordinate-shaped.
const PROSE: &[&str] = &[
    "某某县某某铅锌矿采矿权出让公告",
    "根据《自然资源部关于印发矿业权出让交易规则的通知》（自然资规〔2023〕1号）有关规定，现将有关事项公告如下：",
    "矿区范围：矿区面积约0.6752平方公里",
    "坐标系：2000国家大地坐标系",
    "矿区范围拐点坐标（2000国家大地坐标系）如下：",
    "2000国家大地坐标系1985国家高程",
    "高程系统：1985国家高程基准",
    "开采标高：+363米至-10米",
    "开采标高229.5米至70米",
    "发布日期：2017-03-31",
    "统一社会信用代码：91650100228665922F",
    "出让收益率：2.3%，生产规模：18万吨/年",
    "联系电话：13812345678",
    "面积：2.0651平方千米",
    "四、矿区基本情况",
    "",
];

const SEPS: &[&str] = &["\t", " ", "  ", ",", "，", "|"];

const SEGMENTS: &[&str] = &["一", "二", "三"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Perturb {
    Mask,
    MissingCell,
    FinalStop,
    FullWidth,
}

/// Choices shared by the layouts.
#[derive(Debug, Clone)]
struct Common {
    /// Points per ring (the layouts with one ring use the first).
    sizes: Vec<usize>,
    sep: &'static str,
    /// 0: `1`, 1: `J1`, 2: `拐点1`.
    label_style: usize,
    header: bool,
    before: Vec<usize>,
    after: Vec<usize>,
    perturb: Option<(Perturb, Index, Index)>,
    seed: u32,
}

fn common(rings: std::ops::RangeInclusive<usize>) -> impl Strategy<Value = Common> {
    (
        prop::collection::vec(4usize..=12, rings),
        prop::sample::select(SEPS),
        0usize..3,
        any::<bool>(),
        prop::collection::vec(0..PROSE.len(), 0..3),
        prop::collection::vec(0..PROSE.len(), 0..3),
        prop::option::weighted(
            0.35,
            (
                prop::sample::select(
                    &[
                        Perturb::Mask,
                        Perturb::MissingCell,
                        Perturb::FinalStop,
                        Perturb::FullWidth,
                    ][..],
                ),
                any::<Index>(),
                any::<Index>(),
            ),
        ),
        0u32..10_000,
    )
        .prop_map(
            |(sizes, sep, label_style, header, before, after, perturb, seed)| Common {
                sizes,
                sep,
                label_style,
                header,
                before,
                after,
                perturb,
                seed,
            },
        )
}

/// One point as written.
#[derive(Debug, Clone)]
struct Pt {
    label: String,
    x: String,
    y: String,
}

fn label(style: usize, prefix: Option<&str>, k: usize) -> String {
    match (prefix, style) {
        (Some(p), _) => format!("{p}{k}"),
        (None, 0) => k.to_string(),
        (None, 1) => format!("J{k}"),
        _ => format!("拐点{k}"),
    }
}

/// Plane ring `r` of `n` points on a circle, in order; X ≈ 4.5e6, Y = 41 + 6 digits.
fn plane_ring(seed: u32, r: usize, n: usize) -> Vec<(f64, f64)> {
    let s = f64::from(seed);
    let cx = 4_500_000.0 + (s * 37.0) % 100_000.0 + r as f64 * 5_000.0;
    let cy = 500_000.0 + (s * 53.0) % 100_000.0 + r as f64 * 5_000.0;
    let radius = 300.0 + s % 700.0;
    (0..n)
        .map(|k| {
            let a = std::f64::consts::TAU * k as f64 / n as f64
                + 0.3 * std::f64::consts::PI / n as f64 * (s + k as f64).sin();
            (cx + radius * a.cos(), 41_000_000.0 + cy + radius * a.sin())
        })
        .collect()
}

fn plane_points(c: &Common, r: usize, n: usize, prefix: Option<&str>, first: usize) -> Vec<Pt> {
    plane_ring(c.seed, r, n)
        .into_iter()
        .enumerate()
        .map(|(k, (x, y))| Pt {
            label: label(c.label_style, prefix, first + k),
            x: format!("{x:.2}"),
            y: format!("{y:.2}"),
        })
        .collect()
}

/// A generated input: the text and the rings (labels) a correct reading gives.
#[derive(Debug)]
struct Case {
    text: String,
    rings: Vec<Vec<String>>,
    clean: bool,
}

fn labels_of(rings: &[Vec<Pt>]) -> Vec<Vec<String>> {
    rings
        .iter()
        .map(|r| r.iter().map(|p| p.label.clone()).collect())
        .collect()
}

/// Masks a digit or empties a cell of one point (label order over all rings).
fn perturb_points(c: &Common, rings: &mut [Vec<Pt>]) {
    let Some((kind, which, digit)) = c.perturb else {
        return;
    };
    let total: usize = rings.iter().map(Vec::len).sum();
    let p = rings
        .iter_mut()
        .flat_map(|r| r.iter_mut())
        .nth(which.index(total))
        .expect("index within the points");
    let cell = if digit.index(2) == 0 {
        &mut p.x
    } else {
        &mut p.y
    };
    match kind {
        Perturb::Mask => {
            let digits: Vec<usize> = cell
                .char_indices()
                .filter(|(_, ch)| ch.is_ascii_digit())
                .map(|(k, _)| k)
                .collect();
            let at = digits[digit.index(digits.len())];
            cell.replace_range(at..at + 1, "*");
        }
        Perturb::MissingCell => cell.clear(),
        Perturb::FinalStop | Perturb::FullWidth => {}
    }
}

/// A full stop after the last number of the table, or full-width digits in one table line.
fn perturb_table(c: &Common, table: &mut [String]) {
    let Some((kind, which, _)) = c.perturb else {
        return;
    };
    match kind {
        Perturb::FinalStop => {
            if let Some(l) = table
                .iter_mut()
                .rev()
                .find(|l| l.chars().any(|ch| ch.is_ascii_digit()))
            {
                let at = l.rfind(|ch: char| ch.is_ascii_digit()).expect("a digit") + 1;
                l.insert(at, '.');
            }
        }
        Perturb::FullWidth => {
            let candidates: Vec<usize> = (0..table.len())
                .filter(|&k| table[k].chars().any(|ch| ch.is_ascii_digit()))
                .collect();
            if !candidates.is_empty() {
                let k = candidates[which.index(candidates.len())];
                table[k] = table[k]
                    .chars()
                    .map(|ch| {
                        if ch.is_ascii_digit() {
                            char::from_u32(ch as u32 + 0xFEE0).expect("full-width digit")
                        } else {
                            ch
                        }
                    })
                    .collect();
            }
        }
        Perturb::Mask | Perturb::MissingCell => {}
    }
}

/// Prose before, the table, prose after.
fn assemble(c: &Common, mut table: Vec<String>, rings: Vec<Vec<String>>) -> Case {
    perturb_table(c, &mut table);
    let mut lines: Vec<String> = c.before.iter().map(|&k| PROSE[k].to_owned()).collect();
    lines.extend(table);
    lines.extend(c.after.iter().map(|&k| PROSE[k].to_owned()));
    Case {
        text: lines.join("\n") + "\n",
        rings,
        clean: c.perturb.is_none(),
    }
}

fn row(sep: &str, cells: &[&str]) -> String {
    cells.join(sep)
}

fn header_words(c: &Common) -> [&'static str; 3] {
    match c.seed % 3 {
        0 => ["点号", "X", "Y"],
        1 => ["拐点号", "X坐标", "Y坐标"],
        _ => ["序号", "X(m)", "Y(m)"],
    }
}

/// What the reader dropped: numbers no point holds and no problem quotes, and numbers only the
/// last guard of `parse_str` caught (`unaccounted_number`): the reader itself must account for
/// every coordinate-shaped number.
fn lost(text: &str, report: &CornerReport) -> Vec<String> {
    let mut v: Vec<String> = unaccounted_numbers(text, report)
        .iter()
        .map(ToString::to_string)
        .collect();
    v.extend(
        report
            .problems
            .iter()
            .filter(|p| p.kind == ProblemKind::UnaccountedNumber)
            .map(|p| p.message.clone()),
    );
    v
}

fn read_back(case: &Case) -> CornerReport {
    parse_str(&case.text, &ParseOptions::default())
}

/// (a) always; (b) when `rings_too` and the case is clean.
fn check(case: &Case, rings_too: bool) -> Result<(), TestCaseError> {
    let report = read_back(case);
    let lost = lost(&case.text, &report);
    prop_assert!(
        lost.is_empty(),
        "silently dropped: {}\n--- input ---\n{}--- problems ---\n{}",
        lost.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
        case.text,
        problems(&report)
    );
    if rings_too && case.clean {
        let got: Vec<Vec<String>> = report
            .blocks
            .iter()
            .flat_map(|b| &b.rings)
            .map(|r| r.points.iter().map(|p| p.label.clone()).collect())
            .collect();
        prop_assert!(
            got == case.rings,
            "rings read {:?}\n  expected {:?}\n--- input ---\n{}--- problems ---\n{}",
            got,
            case.rings,
            case.text,
            problems(&report)
        );
    }
    Ok(())
}

fn problems(r: &CornerReport) -> String {
    r.problems
        .iter()
        .map(|p| format!("  {:?} {:?}: {}\n", p.kind, p.line, p.message))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Layouts.

/// `点号 X Y` rows, one ring, labels `1`, `J1` or `拐点1`.
fn rows_case(c: &Common) -> Case {
    let mut rings = vec![plane_points(c, 0, c.sizes[0], None, 1)];
    let expected = labels_of(&rings);
    perturb_points(c, &mut rings);
    let mut t = Vec::new();
    if c.header {
        t.push(row(c.sep, &header_words(c)));
    }
    t.extend(rings[0].iter().map(|p| row(c.sep, &[&p.label, &p.x, &p.y])));
    assemble(c, t, expected)
}

/// Two or three points per row, ordered down the columns (`J1 X Y J4 X Y`).
fn per_row_case(c: &Common, k: usize) -> Case {
    let n = c.sizes[0].max(k + 1);
    let mut rings = vec![plane_points(c, 0, n, None, 1)];
    let expected = labels_of(&rings);
    perturb_points(c, &mut rings);
    let rows = n.div_ceil(k);
    let mut t = Vec::new();
    if c.header {
        let h = header_words(c);
        let cells: Vec<&str> = (0..k).flat_map(|_| h).collect();
        t.push(row(c.sep, &cells));
    }
    for r in 0..rows {
        let cells: Vec<&str> = (0..k)
            .filter_map(|col| rings[0].get(r + col * rows))
            .flat_map(|p| [p.label.as_str(), &p.x, &p.y])
            .collect();
        t.push(row(c.sep, &cells));
    }
    assemble(c, t, expected)
}

/// A first column naming the segment (`一`, `二`…), then `点号 X Y`; labels restart per
/// segment; the name on every row or only on the segment's first row (a merged cell).
fn segments_case(c: &Common, every_row: bool) -> Case {
    let mut rings: Vec<Vec<Pt>> = c
        .sizes
        .iter()
        .enumerate()
        .map(|(r, &n)| plane_points(c, r, n, None, 1))
        .collect();
    let expected = labels_of(&rings);
    perturb_points(c, &mut rings);
    let mut t = Vec::new();
    if c.header {
        let h = header_words(c);
        t.push(row(c.sep, &["区段", h[0], h[1], h[2]]));
    }
    for (r, ring) in rings.iter().enumerate() {
        for (k, p) in ring.iter().enumerate() {
            let seg = if every_row || k == 0 { SEGMENTS[r] } else { "" };
            t.push(row(c.sep, &[seg, &p.label, &p.x, &p.y]));
        }
    }
    assemble(c, t, expected)
}

/// Markdown rows `| 6 | X | Y |`, a header, sometimes a `|---|` line, sometimes a trailing
/// text cell (0: none, 1: on the first row only, 2: on every row).
fn markdown_case(c: &Common, trailing: usize, rule: bool) -> Case {
    let mut rings = vec![plane_points(c, 0, c.sizes[0], None, 1)];
    let expected = labels_of(&rings);
    perturb_points(c, &mut rings);
    let md = |cells: &[&str]| format!("| {} |", cells.join(" | "));
    let h = header_words(c);
    let mut t = Vec::new();
    if trailing > 0 {
        t.push(md(&[h[0], h[1], h[2], "坐标系"]));
    } else {
        t.push(md(&h));
    }
    if rule {
        t.push(if trailing > 0 {
            "|---|---|---|---|".to_owned()
        } else {
            "|---|---|---|".to_owned()
        });
    }
    for (k, p) in rings[0].iter().enumerate() {
        let text = match trailing {
            2 => Some("2000国家大地坐标系"),
            1 if k == 0 => Some("2000国家大地坐标系"),
            1 => Some(""),
            _ => None,
        };
        match text {
            Some(s) => t.push(md(&[&p.label, &p.x, &p.y, s])),
            None => t.push(md(&[&p.label, &p.x, &p.y])),
        }
    }
    assemble(c, t, expected)
}

/// A Word table pasted: one cell per line, blank (or space-only) lines between cells.
fn cell_per_line_case(c: &Common, blank: &str) -> Case {
    let mut rings = vec![plane_points(c, 0, c.sizes[0], None, 1)];
    let expected = labels_of(&rings);
    perturb_points(c, &mut rings);
    let mut cells: Vec<String> = Vec::new();
    if c.header {
        cells.extend(["拐点号", "拐点坐标", "X", "Y"].map(str::to_owned));
    }
    for p in &rings[0] {
        cells.extend([p.label.clone(), p.x.clone(), p.y.clone()]);
    }
    let mut t = Vec::new();
    for cell in cells {
        t.push(cell);
        t.push(blank.to_owned());
    }
    assemble(c, t, expected)
}

/// Several tables: 0 — each with a caption `表n …` and numbering continued across tables;
/// 1 — labels restarting at 1, no caption; 2 — the label prefix changes (`B1..` then `G1..`).
fn tables_case(c: &Common, variant: usize, between: Option<usize>) -> Case {
    const PREFIXES: [&str; 3] = ["B", "G", "K"];
    const NAMES: [&str; 3] = ["一号采区", "二号采区", "三号采区"];
    let mut next = 1;
    let mut rings: Vec<Vec<Pt>> = Vec::new();
    for (r, &n) in c.sizes.iter().enumerate() {
        let ring = match variant {
            0 => plane_points(c, r, n, None, next),
            1 => plane_points(c, r, n, None, 1),
            _ => plane_points(c, r, n, Some(PREFIXES[r]), 1),
        };
        next += n;
        rings.push(ring);
    }
    let expected = labels_of(&rings);
    perturb_points(c, &mut rings);
    let mut t = Vec::new();
    for (r, ring) in rings.iter().enumerate() {
        if r > 0
            && let Some(k) = between
        {
            t.push(PROSE[k].to_owned());
        }
        if variant == 0 {
            t.push(format!("表{} {}拐点坐标", r + 1, NAMES[r]));
        }
        if c.header {
            t.push(row(c.sep, &header_words(c)));
        }
        t.extend(ring.iter().map(|p| row(c.sep, &[&p.label, &p.x, &p.y])));
    }
    assemble(c, t, expected)
}

/// Rows with two datums: `点号 X80 Y80 X2000 Y2000` (or 2000 first). The reading is one ring
/// of the CGCS2000 points.
fn two_datums_case(c: &Common, cgcs_first: bool) -> Case {
    let mut rings = vec![plane_points(c, 0, c.sizes[0], None, 1)];
    let expected = labels_of(&rings);
    // Xi'an 80 values: the same place, some tens of metres off.
    let old: Vec<(String, String)> = plane_ring(c.seed, 0, c.sizes[0])
        .into_iter()
        .map(|(x, y)| (format!("{:.2}", x - 41.37), format!("{:.2}", y - 88.42)))
        .collect();
    perturb_points(c, &mut rings);
    let mut t = Vec::new();
    let (d1, d2) = if cgcs_first {
        ("2000国家大地坐标系", "1980西安坐标系")
    } else {
        ("1980西安坐标系", "2000国家大地坐标系")
    };
    if c.header {
        t.push(row(c.sep, &["点号", d1, "", d2, ""]));
        t.push(row(c.sep, &["", "X", "Y", "X", "Y"]));
    }
    for (p, (ox, oy)) in rings[0].iter().zip(&old) {
        let cells: [&str; 5] = if cgcs_first {
            [&p.label, &p.x, &p.y, ox, oy]
        } else {
            [&p.label, ox, oy, &p.x, &p.y]
        };
        t.push(row(c.sep, &cells));
    }
    assemble(c, t, expected)
}

/// DMS geographic table `| 序号 | 经度 | 纬度 |` (or 纬度 first, or other separators), marks
/// `°'"`, `°′″` or `度分秒`.
fn dms_case(c: &Common, marks: usize, lon_first: bool, pipes: bool) -> Case {
    let s = f64::from(c.seed);
    let (clon, clat) = (76.0 + s % 55.0 + 0.37, 25.0 + s % 20.0 + 0.41);
    let radius = 0.005 + (s % 10.0) * 0.002;
    let n = c.sizes[0];
    let dms = |v: f64| {
        let ms = (v * 3_600_000.0).round() as i64;
        let (d, m, sec, milli) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        match marks {
            0 => format!("{d}°{m:02}'{sec:02}.{milli:03}\""),
            1 => format!("{d}°{m:02}′{sec:02}.{milli:03}″"),
            _ => format!("{d}度{m:02}分{sec:02}.{milli:03}秒"),
        }
    };
    let mut rings = vec![
        (0..n)
            .map(|k| {
                let a = std::f64::consts::TAU * k as f64 / n as f64;
                Pt {
                    label: (k + 1).to_string(),
                    // x = latitude, y = longitude, as the report keeps them.
                    x: dms(clat + radius * a.sin()),
                    y: dms(clon + radius * a.cos()),
                }
            })
            .collect::<Vec<_>>(),
    ];
    let expected = labels_of(&rings);
    perturb_points(c, &mut rings);
    let line = |cells: [&str; 3]| {
        if pipes {
            format!("| {} |", cells.join(" | "))
        } else {
            row(c.sep, &cells)
        }
    };
    let mut t = Vec::new();
    if c.header || pipes {
        t.push(if lon_first {
            line(["序号", "经度", "纬度"])
        } else {
            line(["序号", "纬度", "经度"])
        });
    }
    for p in &rings[0] {
        t.push(if lon_first {
            line([&p.label, &p.y, &p.x])
        } else {
            line([&p.label, &p.x, &p.y])
        });
    }
    assemble(c, t, expected)
}

/// The MNR 报盘 layout: `1,X,Y, , ,` rows and `*,起标高,止标高,名称,1,` terminators.
fn mnr_case(c: &Common) -> Case {
    const NAMES: [&str; 3] = ["金藏采区", "远东采区", "北采区"];
    let mut rings: Vec<Vec<Pt>> = c
        .sizes
        .iter()
        .enumerate()
        .map(|(r, &n)| {
            let mut c0 = c.clone();
            c0.label_style = 0;
            plane_points(&c0, r, n, None, 1)
        })
        .collect();
    let expected = labels_of(&rings);
    perturb_points(c, &mut rings);
    let mut t = vec!["拐点,X(起标高),Y(止标高)".to_owned()];
    for (r, ring) in rings.iter().enumerate() {
        t.extend(
            ring.iter()
                .map(|p| format!("{},{},{}, , ,", p.label, p.x, p.y)),
        );
        t.push(format!(
            "*,{},{},{},1,",
            300 - 10 * r,
            200 - 10 * r,
            NAMES[r]
        ));
    }
    assemble(c, t, expected)
}

// ---------------------------------------------------------------------------------------
// One property per layout.

proptest! {
    #![proptest_config(config())]

    #[test]
    fn label_x_y_rows(c in common(1..=1)) {
        check(&rows_case(&c), true)?;
    }

    #[test]
    fn several_points_per_row(c in common(1..=1), k in 2usize..=3) {
        check(&per_row_case(&c, k), true)?;
    }

    #[test]
    fn segment_name_on_every_row(c in common(1..=3)) {
        check(&segments_case(&c, true), true)?;
    }

    #[test]
    fn segment_name_on_first_row_only(c in common(1..=3)) {
        check(&segments_case(&c, false), true)?;
    }

    #[test]
    fn markdown_rows(c in common(1..=1), rule in any::<bool>()) {
        check(&markdown_case(&c, 0, rule), true)?;
    }

    #[test]
    fn markdown_rows_with_text_cell(
        c in common(1..=1),
        every_row in any::<bool>(),
        rule in any::<bool>(),
    ) {
        check(&markdown_case(&c, if every_row { 2 } else { 1 }, rule), true)?;
    }

    #[test]
    fn one_cell_per_line(c in common(1..=1), blank in prop::sample::select(&["", " ", "\n"][..])) {
        check(&cell_per_line_case(&c, blank), true)?;
    }

    #[test]
    fn several_tables_with_captions(c in common(2..=3), between in prop::option::of(0..PROSE.len())) {
        check(&tables_case(&c, 0, between), true)?;
    }

    #[test]
    fn several_tables_labels_restart(c in common(2..=3), between in prop::option::of(0..PROSE.len())) {
        check(&tables_case(&c, 1, between), true)?;
    }

    #[test]
    fn several_tables_prefix_change(c in common(2..=3), between in prop::option::of(0..PROSE.len())) {
        check(&tables_case(&c, 2, between), true)?;
    }

    #[test]
    fn two_datums_per_row(c in common(1..=1), cgcs_first in any::<bool>()) {
        check(&two_datums_case(&c, cgcs_first), true)?;
    }

    #[test]
    fn dms_geographic_table(
        c in common(1..=1),
        marks in 0usize..3,
        lon_first in any::<bool>(),
        pipes in any::<bool>(),
    ) {
        check(&dms_case(&c, marks, lon_first, pipes), true)?;
    }

    #[test]
    fn mnr_submission(c in common(1..=3)) {
        check(&mnr_case(&c), true)?;
    }
}

// ---------------------------------------------------------------------------------------
// Minimal inputs the properties (and the fuzz target) found, kept as plain tests so that they
// run every time, whatever the random cases of the day.

fn case(text: &str, rings: &[&[&str]]) -> Case {
    Case {
        text: text.to_owned(),
        rings: rings
            .iter()
            .map(|r| r.iter().map(|l| (*l).to_owned()).collect())
            .collect(),
        clean: true,
    }
}

fn found(text: &str, rings: &[&[&str]]) {
    if let Err(e) = check(&case(text, rings), true) {
        panic!("{e}");
    }
}

/// A DMS row with a missing cell: `43度` holds `3度`, taken for a 3° zone statement.
#[test]
fn found_dms_row_with_a_missing_cell() {
    let text = "1\t43度24分36.000秒\t\n\
                2\t43度25分47.900秒\t79度22分35.362秒\n\
                3\t43度25分20.437秒\t79度21分10.838秒\n\
                4\t43度23分51.563秒\t79度21分10.838秒\n\
                5\t43度23分24.100秒\t79度22分35.362秒\n";
    let report = parse_str(text, &ParseOptions::default());
    let lost = lost(text, &report);
    assert!(lost.is_empty(), "silently dropped: {lost:?}");
}

/// A markdown row with a trailing 坐标系 cell is taken for a datum statement.
#[test]
fn found_markdown_row_with_a_text_cell() {
    found(
        "| 点号 | X | Y | 坐标系 |\n\
         | 1 | 4500300.00 | 41500000.00 | 2000国家大地坐标系 |\n\
         | 2 | 4499940.91 | 41500294.12 |  |\n\
         | 3 | 4499706.86 | 41499936.22 |  |\n\
         | 4 | 4500009.97 | 41499700.17 |  |\n",
        &[&["1", "2", "3", "4"]],
    );
}

/// One cell per line with a line of prose after the table: nothing read.
#[test]
fn found_one_cell_per_line_with_prose() {
    found(
        "1\n\n4500300.00\n\n41500000.00\n\n2\n\n4499940.91\n\n41500294.12\n\n\
         3\n\n4499706.86\n\n41499936.22\n\n4\n\n4500009.97\n\n41499700.17\n\n\
         某某县某某铅锌矿采矿权出让公告\n",
        &[&["1", "2", "3", "4"]],
    );
}

/// A segment name on the first row only: that row becomes the ring's name, silently.
#[test]
fn found_segment_name_on_the_first_row() {
    found(
        "一\t1\t4500300.00\t41500000.00\n\
         \t2\t4499940.91\t41500294.12\n\
         \t3\t4499706.86\t41499936.22\n\
         \t4\t4500009.97\t41499700.17\n",
        &[&["1", "2", "3", "4"]],
    );
}

/// A segment name on every row: nothing read.
#[test]
fn found_segment_name_on_every_row() {
    found(
        "一\t1\t4500300.00\t41500000.00\n\
         一\t2\t4499940.91\t41500294.12\n\
         一\t3\t4499706.86\t41499936.22\n\
         一\t4\t4500009.97\t41499700.17\n",
        &[&["1", "2", "3", "4"]],
    );
}

/// Two tables with captions and numbering continued: read as one ring.
#[test]
fn found_two_tables_with_captions() {
    found(
        "表1 一号采区拐点坐标\n\
         1\t4500300.00\t41500000.00\n\
         2\t4499940.91\t41500294.12\n\
         3\t4499706.86\t41499936.22\n\
         4\t4500009.97\t41499700.17\n\
         表2 二号采区拐点坐标\n\
         5\t4505300.00\t41505000.00\n\
         6\t4504940.91\t41505294.12\n\
         7\t4504706.86\t41504936.22\n\
         8\t4505009.97\t41504700.17\n",
        &[&["1", "2", "3", "4"], &["5", "6", "7", "8"]],
    );
}

/// Two tables told apart by the label prefix only (B… then G…): read as one ring.
#[test]
fn found_label_prefix_change() {
    found(
        "B1\t4500300.00\t41500000.00\n\
         B2\t4499940.91\t41500294.12\n\
         B3\t4499706.86\t41499936.22\n\
         B4\t4500009.97\t41499700.17\n\
         G1\t4505300.00\t41505000.00\n\
         G2\t4504940.91\t41505294.12\n\
         G3\t4504706.86\t41504936.22\n\
         G4\t4505009.97\t41504700.17\n",
        &[&["B1", "B2", "B3", "B4"], &["G1", "G2", "G3", "G4"]],
    );
}

/// Rows with the Xi'an 80 and the CGCS2000 coordinates side by side: nothing read.
#[test]
fn found_two_datums_per_row() {
    found(
        "1\t4500258.63\t41499911.58\t4500300.00\t41500000.00\n\
         2\t4499899.54\t41500205.70\t4499940.91\t41500294.12\n\
         3\t4499665.49\t41499847.80\t4499706.86\t41499936.22\n\
         4\t4499968.60\t41499611.75\t4500009.97\t41499700.17\n",
        &[&["1", "2", "3", "4"]],
    );
}

/// (fuzz target) A text line holding a point row, just before the table, becomes the ring's
/// name: its numbers are silently dropped.
#[test]
fn found_point_row_after_text_on_one_line() {
    let text = "矿区范围拐点坐标：J1 4500300.00 41500000.00\n\
                J2 4499940.91 41500294.12\n\
                J3 4499706.86 41499936.22\n\
                J4 4500009.97 41499700.17\n";
    let report = parse_str(text, &ParseOptions::default());
    let lost = lost(text, &report);
    assert!(lost.is_empty(), "silently dropped: {lost:?}");
}

/// The last guard: a number the reader misses (glued to a word) becomes an error quoting it.
#[test]
fn a_number_the_reader_misses_is_an_error_not_a_silence() {
    let text = "2000国家大地坐标系\n1 4500300.00 41500000.00\n2 4499940.91 41500294.12\n\
                3 4499706.86 41499936.22\n补充坐标4500009.97\n";
    let report = parse_str(text, &ParseOptions::default());
    let p = report
        .problems
        .iter()
        .find(|p| p.kind == ProblemKind::UnaccountedNumber)
        .expect("caught");
    assert_eq!(p.line, Some(5));
    assert!(p.message.contains("4500009.97"), "{}", p.message);
    assert!(report.has_errors());
    assert!(unaccounted_numbers(text, &report).is_empty());
}

/// Inputs the fuzz target found (`tests/data/fuzz/`): nothing silently dropped on any of them.
#[test]
fn fuzz_findings_stay_fixed() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let report = minplan_geo::corners::parse_bytes(&bytes, &ParseOptions::default());
        let text = minplan_geo::corners::decoded_text(&bytes);
        let silent = unaccounted_numbers(&text, &report);
        assert!(silent.is_empty(), "{}: {silent:?}", path.display());
        n += 1;
    }
    assert!(n >= 2);
}
