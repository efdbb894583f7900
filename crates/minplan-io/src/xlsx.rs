//! Excel corner lists (拐点坐标表): `.xlsx`/`.xls` turned into text for the corner reader
//! ([`minplan_geo::corners::parse_str`]), and a layer written as an MNR-style corner list.
//!
//! Plane coordinates follow Chinese tables: **X = northing (纵坐标), Y = easting (横坐标)**,
//! Y with the zone prefix when the zone is prefixed or the values were entered so.

use crate::export::ExportLayer;
use crate::table::{Cells, WorkbookKind, workbook_kind, xls_sheets, xlsx_sheets};
use crate::{ReadError, WriteError};
use calamine::DataRef;
use minplan_geo::ZoneWidth;
use rust_xlsxwriter::{Format, Workbook};

/// Most rows of a sheet's used range that is read ([`minplan_domain::limits::TABLE_ROWS`]).
pub const MAX_ROWS: u32 = minplan_domain::limits::TABLE_ROWS;
/// Most columns of a sheet's used range that is read
/// ([`minplan_domain::limits::TABLE_COLUMNS`]).
pub const MAX_COLUMNS: u32 = minplan_domain::limits::TABLE_COLUMNS;
/// Most bytes the entries of an `.xlsx` may inflate to, in total
/// ([`minplan_domain::limits::TABLE_INFLATED_BYTES`]).
pub const MAX_UNCOMPRESSED: u64 = minplan_domain::limits::TABLE_INFLATED_BYTES;

/// A cell's text: strings with tabs and line ends as spaces, numbers exactly as stored
/// (shortest repr that reads back as the same `f64`, no `.0` on whole numbers).
fn cell_text(d: &DataRef<'_>) -> String {
    let clean = |s: &str| s.replace(['\t', '\r', '\n'], " ").trim().to_owned();
    match d {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => format!("{f}"),
        DataRef::String(s) => clean(s),
        DataRef::SharedString(s) => clean(s),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(t) => format!("{}", t.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => clean(s),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

/// Turns an Excel corner list (`.xlsx`, or `.xls`) into text that
/// [`minplan_geo::corners::parse_str`] reads: each non-empty sheet's rows, cells separated by
/// tabs (from the first used row and column; blank and merged-away cells are empty; tabs and
/// line ends inside a cell become spaces), numbers exactly as Excel stores them (the shortest
/// repr that reads back as the same `f64`, never rounded, whole numbers without `.0`). When
/// the workbook has several non-empty sheets, each sheet's rows follow a line holding the
/// sheet's name, so that each sheet is a ring or block of its own.
///
/// The kind is told by the bytes (zip = `.xlsx`, OLE = `.xls`), not by the name.
///
/// # Errors
/// A Chinese [`ReadError`] naming the file (and the sheet): not an Excel workbook, an
/// `.xlsx` that inflates beyond [`MAX_UNCOMPRESSED`] bytes (checked before the workbook is
/// opened), a sheet whose used range exceeds [`MAX_ROWS`] rows, [`MAX_COLUMNS`] columns or
/// [`TABLE_CELLS`](minplan_domain::limits::TABLE_CELLS) cells (an `.xls` is measured from its
/// records before it is opened), a cell longer than
/// [`CELL_CHARS`](minplan_domain::limits::CELL_CHARS), a workbook that cannot be read, or one
/// without any non-empty cell.
pub fn xlsx_corner_text(file_name: &str, bytes: &[u8]) -> Result<String, ReadError> {
    let sheets: Vec<(String, Cells)> = match workbook_kind(bytes) {
        Some(WorkbookKind::Xlsx) => xlsx_sheets(file_name, bytes, false, cell_text)?,
        Some(WorkbookKind::Xls) => xls_sheets(file_name, bytes, false, cell_text)?,
        None => {
            return Err(ReadError::at(
                file_name,
                "不是 Excel 工作簿（.xlsx 或 .xls）；CSV 请按文本上传",
            ));
        }
    };
    let sheets: Vec<(String, Cells)> = sheets.into_iter().filter(|(_, c)| !c.is_empty()).collect();
    if sheets.is_empty() {
        return Err(ReadError::at(file_name, "工作簿中没有任何内容"));
    }
    let several = sheets.len() > 1;
    let mut out = String::new();
    for (name, cells) in &sheets {
        if several {
            out.push_str(name);
            out.push('\n');
        }
        let r0 = cells.keys().map(|k| k.0).min().unwrap_or(0);
        let r1 = cells.keys().map(|k| k.0).max().unwrap_or(0);
        let c0 = cells.keys().map(|k| k.1).min().unwrap_or(0);
        for r in r0..=r1 {
            let row: Vec<(&(u32, u32), &String)> = cells.range((r, 0)..=(r, u32::MAX)).collect();
            let last = row.last().map_or(c0, |(k, _)| k.1);
            let mut line = String::new();
            for c in c0..=last {
                if c > c0 {
                    line.push('\t');
                }
                if let Some(t) = cells.get(&(r, c)) {
                    line.push_str(t);
                }
            }
            out.push_str(line.trim_end_matches('\t'));
            out.push('\n');
        }
    }
    Ok(out)
}

/// A ring heading the corner reader takes as the ring's name: Chinese words, no `.` or `:`,
/// at most 40 characters.
pub(crate) fn ring_heading(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if matches!(c, '.' | ':' | '：' | '。' | '\t' | '\r' | '\n') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim();
    let cjk = cleaned
        .chars()
        .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
    let s = if cjk {
        cleaned.to_owned()
    } else {
        format!("地块 {cleaned}").trim().to_owned()
    };
    s.chars().take(30).collect()
}

/// A statement of the datum and zone the corner reader recognises.
pub(crate) fn zone_statement(zone: minplan_geo::GaussKrugerZone) -> String {
    let w = match zone.width {
        ZoneWidth::Three => 3,
        ZoneWidth::Six => 6,
    };
    format!(
        "2000国家大地坐标系 {w}度带 第{}带 中央经线{}°",
        zone.zone,
        zone.central_meridian()
    )
}

/// Writes a layer as an MNR-style corner list (`.xlsx`, one sheet named after the layer):
/// a first row stating the datum and zone (`2000国家大地坐标系 3度带 第44带 中央经线132°`),
/// a header row `点号 | X（纵坐标） | Y（横坐标）`, then per feature a block — a blank row, a
/// title row (the feature's name) and one row per corner of each ring of
/// [`ExportFeature::plane_in`](crate::export::ExportFeature::plane_in) in the layer's zone:
/// X = northing, Y = easting (with the zone prefix as entered, or as the zone has it), metres,
/// shown with 3 decimals but stored at full precision; the closing repeat of the first corner
/// is not written. Holes follow their shell after a blank row and a row `挖空区 k`; further
/// polygons of a feature repeat its title (the corner reader joins them into one block).
/// The header is written once, above the blocks: the corner reader takes a line it does not
/// know as a header (`X（纵坐标）` is not among its header words) that lies between a title
/// and the corners as the block's name. Labels come from
/// [`ExportFeature::labels`](crate::export::ExportFeature::labels) when given, else 1…n per
/// ring.
///
/// # Errors
/// A Chinese [`WriteError`] when a coordinate is not finite or the workbook cannot be built.
pub fn write_corner_xlsx(layer: &ExportLayer) -> Result<Vec<u8>, WriteError> {
    let xerr = |e: rust_xlsxwriter::XlsxError| WriteError(format!("无法生成 Excel 拐点表：{e}"));
    let mut wb = Workbook::new();
    let sheet_name: String = {
        let n: String = layer
            .name
            .chars()
            .filter(|c| !"[]:*?/\\'".contains(*c))
            .take(31)
            .collect();
        if n.trim().is_empty() {
            "拐点坐标".to_owned()
        } else {
            n
        }
    };
    let ws = wb.add_worksheet();
    ws.set_name(&sheet_name).map_err(xerr)?;
    let num = Format::new().set_num_format("0.000");
    let bold = Format::new().set_bold();
    ws.set_column_width(0, 12).map_err(xerr)?;
    ws.set_column_width(1, 18).map_err(xerr)?;
    ws.set_column_width(2, 18).map_err(xerr)?;
    let mut row: u32 = 0;
    ws.write_string(row, 0, zone_statement(layer.zone))
        .map_err(xerr)?;
    row += 1;
    // The header once, above the blocks: the corner reader does not know `X（纵坐标）` as a
    // header word, and such a line between a block's title and its corners would become the
    // block's name.
    for (c, h) in ["点号", "X（纵坐标）", "Y（横坐标）"].iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &bold)
            .map_err(xerr)?;
    }
    row += 1;
    // Headings must be unique per feature: the reader joins shells of the same name.
    let mut used: Vec<String> = Vec::new();
    for f in &layer.features {
        let mut title = ring_heading(&f.name);
        if used.contains(&title) {
            title = ring_heading(&format!("{}（{}）", f.name, used.len() + 1));
        }
        used.push(title.clone());
        let mut plane = f.plane_in(layer.zone);
        if f.plane.is_none() {
            // Projected from lon/lat, not entered: to the millimetre, as corner lists are
            // written (no 4918000.339999999 in a cell).
            for q in plane.iter_mut().flatten().flatten() {
                *q = ((q.0 * 1e3).round() / 1e3, (q.1 * 1e3).round() / 1e3);
            }
        }
        for (pi, poly) in plane.iter().enumerate() {
            for (ri, ring) in poly.iter().enumerate() {
                let pts = crate::export::open_ring(&layer.name, &f.name, ring)?;
                row += 1; // a blank row before each ring
                let heading = if ri == 0 {
                    title.clone()
                } else {
                    format!("挖空区 {ri}")
                };
                ws.write_string_with_format(row, 0, heading, &bold)
                    .map_err(xerr)?;
                row += 1;
                let given = f
                    .labels
                    .as_ref()
                    .and_then(|ls| ls.get(pi))
                    .and_then(|p| p.get(ri))
                    .filter(|ls| ls.len() >= pts.len());
                for (k, &(easting, northing)) in pts.iter().enumerate() {
                    let label = given.map_or_else(|| (k + 1).to_string(), |ls| ls[k].clone());
                    ws.write_string(row, 0, label).map_err(xerr)?;
                    ws.write_number_with_format(row, 1, northing, &num)
                        .map_err(xerr)?;
                    ws.write_number_with_format(row, 2, easting, &num)
                        .map_err(xerr)?;
                    row += 1;
                }
            }
        }
    }
    wb.save_to_buffer().map_err(xerr)
}
