//! Building blocks of the document: fonts, runs, paragraphs, table cells.
//!
//! Every run carries its fonts explicitly (East Asian slot and Latin slots), on top of the
//! document defaults, so that a paragraph pasted into another document keeps its fonts. The
//! fonts are those of each GB/T 9704 role ([`super::fonts::Role`]): body 仿宋_GB2312,
//! level-1 headings 黑体, level-2 headings 楷体_GB2312, tables 宋体.

use docx_rs::{
    AlignmentType, BorderType, HeightRule, LineSpacing, LineSpacingType, Paragraph, Run, RunFonts,
    Shading, ShdType, Table, TableAlignmentType, TableCell, TableCellBorder,
    TableCellBorderPosition, TableCellMargins, TableLayoutType, TableRow, VAlignType, WidthType,
};

use super::fonts::Role;
use crate::map::Rgb;

/// Body text size, half-points (三号, 16 pt, GB/T 9704-2012 7.3.1).
pub(crate) const BODY_SIZE: usize = 32;
/// Table text size, half-points (五号, 10.5 pt).
pub(crate) const TABLE_SIZE: usize = 21;

/// Red of 不符合.
pub(crate) const RED: &str = "C00000";
/// Dark orange of 需人工核查.
pub(crate) const ORANGE: &str = "C55A11";
/// Green of 符合.
pub(crate) const GREEN: &str = "00703C";
/// Grey of 不适用 and remarks.
pub(crate) const GREY: &str = "595959";
/// Header-row shading.
const HEADER_FILL: &str = "D9D9D9";

/// Fonts of body text: 仿宋_GB2312 for Chinese, Times New Roman for Latin.
pub(crate) fn body_fonts() -> RunFonts {
    Role::Body.fonts()
}

/// Fonts of level-1 headings: 黑体 for Chinese, Arial for Latin.
pub(crate) fn heading_fonts() -> RunFonts {
    Role::Heading1.fonts()
}

/// A body-text run (仿宋_GB2312).
pub(crate) fn run(text: impl Into<String>) -> Run {
    Role::Body.run(text)
}

/// A level-1 heading run (黑体).
pub(crate) fn hrun(text: impl Into<String>) -> Run {
    Role::Heading1.run(text)
}

/// A table-text run (宋体 五号).
pub(crate) fn trun(text: impl Into<String>) -> Run {
    Role::Table.run(text).size(TABLE_SIZE)
}

/// Paragraph spacing: `before`/`after` in twips, lines at `line`/240 of single spacing
/// (`lineRule="auto"` stated: without it LibreOffice takes the height as exact and crops
/// pictures).
pub(crate) fn spacing_lines(before: u32, after: u32, line: i32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .before(before)
        .after(after)
        .line(line)
}

/// 1.25 lines.
fn spacing(before: u32, after: u32) -> LineSpacing {
    spacing_lines(before, after, 300)
}

/// A justified body paragraph of runs.
pub(crate) fn para_runs(runs: Vec<Run>) -> Paragraph {
    runs.into_iter().fold(
        Paragraph::new()
            .align(AlignmentType::Both)
            .line_spacing(spacing(0, 60)),
        Paragraph::add_run,
    )
}

/// A justified body paragraph with a first-line indent of two characters.
pub(crate) fn para(text: impl Into<String>) -> Paragraph {
    para_runs(vec![run(text)]).first_line_chars(200)
}

/// A level-1 heading (style `Heading1`, 黑体 三号), kept with the next paragraph.
pub(crate) fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .style("Heading1")
        .keep_next(true)
        .line_spacing(spacing(240, 120))
        .add_run(hrun(text).size(32))
}

/// A level-2 heading (楷体_GB2312 三号), kept with the next paragraph.
pub(crate) fn subheading(text: &str) -> Paragraph {
    Paragraph::new()
        .keep_next(true)
        .line_spacing(spacing(120, 60))
        .add_run(Role::Heading2.run(text).size(BODY_SIZE))
}

/// A paragraph in a table cell.
pub(crate) fn cell_para(runs: Vec<Run>, align: AlignmentType) -> Paragraph {
    runs.into_iter().fold(
        Paragraph::new()
            .align(align)
            .line_spacing(spacing_lines(0, 0, 260)),
        Paragraph::add_run,
    )
}

/// A table cell of paragraphs, `width` twips.
pub(crate) fn cell(paras: Vec<Paragraph>, width: usize) -> TableCell {
    let paras = if paras.is_empty() {
        vec![cell_para(vec![], AlignmentType::Left)]
    } else {
        paras
    };
    paras.into_iter().fold(
        TableCell::new()
            .width(width, WidthType::Dxa)
            .vertical_align(VAlignType::Center),
        TableCell::add_paragraph,
    )
}

/// A table cell with text, one paragraph per line.
pub(crate) fn text_cell(text: &str, width: usize, align: AlignmentType) -> TableCell {
    cell(
        text.lines()
            .map(|l| cell_para(vec![trun(l)], align))
            .collect(),
        width,
    )
}

/// A header cell: bold, centred, shaded.
pub(crate) fn header_cell(text: &str, width: usize) -> TableCell {
    cell(
        vec![cell_para(vec![trun(text).bold()], AlignmentType::Center)],
        width,
    )
    .shading(Shading::new().shd_type(ShdType::Clear).fill(HEADER_FILL))
}

/// A table of fixed column widths (twips), centred, with cell margins.
pub(crate) fn table(widths: &[usize], rows: Vec<TableRow>) -> Table {
    Table::new(rows)
        .set_grid(widths.to_vec())
        .width(widths.iter().sum(), WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .align(TableAlignmentType::Center)
        .margins(TableCellMargins::new().margin(40, 80, 40, 80))
}

/// The row height (twips, "at least") that marks a header row for
/// [`super::package`], which adds `w:tblHeader` to it (docx-rs has no API for repeating
/// header rows). One twip "at least" changes nothing on the page.
pub(crate) const HEADER_ROW_MARK: &str = r#"<w:trHeight w:val="1" w:hRule="atLeast" />"#;

/// A header row of a table, repeated at the top of each page the table runs onto.
pub(crate) fn header_row(titles: &[&str], widths: &[usize]) -> TableRow {
    TableRow::new(
        titles
            .iter()
            .zip(widths)
            .map(|(t, &w)| header_cell(t, w))
            .collect(),
    )
    .cant_split()
    .row_height(1.0)
    .height_rule(HeightRule::AtLeast)
}

/// `RRGGBB`.
pub(crate) fn hex(c: Rgb) -> String {
    format!("{:02X}{:02X}{:02X}", c[0], c[1], c[2])
}

/// All four borders of a cell.
pub(crate) fn boxed(
    mut c: TableCell,
    kind: BorderType,
    size_eighth_pt: usize,
    colour: &str,
) -> TableCell {
    for pos in [
        TableCellBorderPosition::Top,
        TableCellBorderPosition::Bottom,
        TableCellBorderPosition::Left,
        TableCellBorderPosition::Right,
    ] {
        c = c.set_border(
            TableCellBorder::new(pos)
                .border_type(kind)
                .size(size_eighth_pt)
                .color(colour),
        );
    }
    c
}
