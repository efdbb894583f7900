//! Tables (表格) read within the limits of [`minplan_domain::limits`]: the sheets of an Excel
//! workbook (`.xlsx` streamed cell by cell, `.xls` checked record by record before it is
//! opened) or a CSV, as rows of cell texts. The rights register, the annual reports and the
//! corner lists are read through here, by the web server and the CLI alike.
//!
//! Why the checks come first: the spreadsheet library lays a sheet out in memory as the
//! rectangle between its first and its last used cell, and an `.xls` reserves the rectangle
//! its DIMENSIONS record states. A 1.5 KB file with cells at `A1` and `XFD100000` would make
//! it allocate 52 GB, which aborts the process (an allocation failure cannot be caught). So
//! the extent is measured from the file's own records and refused above
//! [`TABLE_CELLS`](minplan_domain::limits::TABLE_CELLS) before anything is laid out; a zip
//! that inflates beyond [`TABLE_INFLATED_BYTES`](minplan_domain::limits::TABLE_INFLATED_BYTES)
//! is refused before it is opened.

use crate::ReadError;
use calamine::{Data, DataRef, Reader as _, Xls, Xlsx};
use minplan_domain::limits::{
    CELL_CHARS, TABLE_CELLS, TABLE_COLUMNS, TABLE_INFLATED_BYTES, TABLE_ROWS,
};
use std::collections::BTreeMap;
use std::io::{Cursor, Read as _};

/// The non-empty cells of one sheet: (row, column) from 0 → text.
pub(crate) type Cells = BTreeMap<(u32, u32), String>;

/// The kind of workbook, told by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WorkbookKind {
    /// Office Open XML (`.xlsx`, a zip).
    Xlsx,
    /// BIFF in an OLE compound file (`.xls`).
    Xls,
}

/// The kind of workbook `bytes` hold, or `None` when they are neither.
pub(crate) fn workbook_kind(bytes: &[u8]) -> Option<WorkbookKind> {
    if bytes.starts_with(b"PK\x03\x04") {
        Some(WorkbookKind::Xlsx)
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(WorkbookKind::Xls)
    } else {
        None
    }
}

fn extent_refused(file: &str, sheet: &str) -> ReadError {
    ReadError::at(
        file,
        format!(
            "工作表“{sheet}”的已用区域超过上限（{TABLE_ROWS} 行、{TABLE_COLUMNS} 列、共 {TABLE_CELLS} 个单元格），拒绝读取；请删去远处的多余单元格，或另存为只含数据的表"
        ),
    )
}

/// The used rectangle of a sheet, grown cell by cell and checked against the limits.
#[derive(Default)]
struct Extent {
    rows: Option<(u32, u32)>,
    cols: Option<(u32, u32)>,
}

impl Extent {
    /// Takes the cell at (row, col), both from 0; `false` when the sheet now exceeds a limit.
    fn take(&mut self, row: u32, col: u32) -> bool {
        if row >= TABLE_ROWS || col >= TABLE_COLUMNS {
            return false;
        }
        let grow = |r: Option<(u32, u32)>, v: u32| r.map_or((v, v), |(a, b)| (a.min(v), b.max(v)));
        let rows = grow(self.rows, row);
        let cols = grow(self.cols, col);
        self.rows = Some(rows);
        self.cols = Some(cols);
        u64::from(rows.1 - rows.0 + 1) * u64::from(cols.1 - cols.0 + 1) <= TABLE_CELLS
    }
}

/// Reads the sheets of an `.xlsx` (all, or only the first), each cell turned into text by
/// `text`; empty texts are not kept.
///
/// # Errors
/// A Chinese [`ReadError`] naming the file: a zip that inflates beyond
/// [`TABLE_INFLATED_BYTES`], a damaged workbook, a sheet beyond the limits (named), or a cell
/// longer than [`CELL_CHARS`] characters (named by its Excel address).
pub(crate) fn xlsx_sheets(
    file: &str,
    bytes: &[u8],
    first_only: bool,
    text: impl Fn(&DataRef<'_>) -> String,
) -> Result<Vec<(String, Cells)>, ReadError> {
    guarded(file, || {
        xlsx_sheets_unguarded(file, bytes, first_only, text)
    })
}

/// Runs a workbook reader, turning a panic of the third-party reader on a damaged file (found
/// by `fuzz/` in calamine's `.xls` parser: a record offset out of range) into a named refusal.
/// The process goes on; allocation failures are prevented by the limits checked before.
fn guarded<T>(file: &str, read: impl FnOnce() -> Result<T, ReadError>) -> Result<T, ReadError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).unwrap_or_else(|_| {
        Err(ReadError::at(
            file,
            "无法读取表格：工作簿内部结构损坏（记录的位置或长度超出文件范围）",
        ))
    })
}

fn xlsx_sheets_unguarded(
    file: &str,
    bytes: &[u8],
    first_only: bool,
    text: impl Fn(&DataRef<'_>) -> String,
) -> Result<Vec<(String, Cells)>, ReadError> {
    if zip::ZipArchive::new(Cursor::new(bytes)).is_err() {
        return Err(ReadError::at(
            file,
            "无法读取表格：不是有效的 .xlsx 文件（zip 结构损坏或文件不完整）",
        ));
    }
    crate::archive::verify(file, bytes, TABLE_INFLATED_BYTES)?;
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|_| ReadError::at(file, "无法读取 Excel 工作簿：文件损坏或不是 .xlsx 格式"))?;
    let mut names = wb.sheet_names();
    if first_only {
        names.truncate(1);
    }
    let mut out = Vec::new();
    for name in names {
        let mut cells = Cells::new();
        let mut extent = Extent::default();
        let mut reader = wb
            .worksheet_cells_reader(&name)
            .map_err(|_| ReadError::at(file, format!("无法读取工作表“{name}”：内容损坏")))?;
        // Streamed: the limits are checked before a cell is kept.
        while let Some(cell) = reader
            .next_cell()
            .map_err(|_| ReadError::at(file, format!("无法读取工作表“{name}”：内容损坏")))?
        {
            let (r, c) = cell.get_position();
            if !extent.take(r, c) {
                return Err(extent_refused(file, &name));
            }
            let t = text(cell.get_value());
            if t.chars().count() > CELL_CHARS {
                return Err(long_cell(file, &name, r, c));
            }
            if !t.is_empty() {
                cells.insert((r, c), t);
            }
        }
        drop(reader);
        out.push((name, cells));
    }
    Ok(out)
}

fn long_cell(file: &str, sheet: &str, r: u32, c: u32) -> ReadError {
    ReadError::at(
        file,
        format!(
            "工作表“{sheet}”的单元格 {}{} 超过 {CELL_CHARS} 个字符，拒绝读取",
            column_letters(c),
            r + 1
        ),
    )
}

/// An Excel column's letters: 0 → `A`, 25 → `Z`, 26 → `AA`.
pub(crate) fn column_letters(mut c: u32) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Reads the sheets of an `.xls` (all, or only the first), each cell turned into text by
/// `text`, after [`check_xls`] has measured every sheet from its records.
///
/// # Errors
/// As [`check_xls`], or a Chinese [`ReadError`] when the workbook cannot be read or a cell is
/// longer than [`CELL_CHARS`] characters.
pub(crate) fn xls_sheets(
    file: &str,
    bytes: &[u8],
    first_only: bool,
    text: impl Fn(&DataRef<'_>) -> String,
) -> Result<Vec<(String, Cells)>, ReadError> {
    guarded(file, || xls_sheets_unguarded(file, bytes, first_only, text))
}

fn xls_sheets_unguarded(
    file: &str,
    bytes: &[u8],
    first_only: bool,
    text: impl Fn(&DataRef<'_>) -> String,
) -> Result<Vec<(String, Cells)>, ReadError> {
    check_xls(file, bytes)?;
    let mut wb: Xls<_> = Xls::new(Cursor::new(bytes))
        .map_err(|_| ReadError::at(file, "无法读取 Excel 工作簿（.xls）：文件损坏或版本过旧"))?;
    let mut names = wb.sheet_names();
    if first_only {
        names.truncate(1);
    }
    let mut out = Vec::new();
    for name in names {
        let range = wb
            .worksheet_range(&name)
            .map_err(|_| ReadError::at(file, format!("无法读取工作表“{name}”：内容损坏")))?;
        let mut cells = Cells::new();
        if let Some(start) = range.start() {
            for (r, row) in range.rows().enumerate() {
                for (c, d) in row.iter().enumerate() {
                    let (r, c) = (start.0 + r as u32, start.1 + c as u32);
                    let t = text(&data_ref(d));
                    if t.chars().count() > CELL_CHARS {
                        return Err(long_cell(file, &name, r, c));
                    }
                    if !t.is_empty() {
                        cells.insert((r, c), t);
                    }
                }
            }
        }
        out.push((name, cells));
    }
    Ok(out)
}

/// A cell of a laid-out range as the streaming reader gives it.
fn data_ref(d: &Data) -> DataRef<'_> {
    match d {
        Data::Int(i) => DataRef::Int(*i),
        Data::Float(f) => DataRef::Float(*f),
        Data::String(s) => DataRef::SharedString(s),
        Data::Bool(b) => DataRef::Bool(*b),
        Data::DateTime(t) => DataRef::DateTime(*t),
        Data::DateTimeIso(s) => DataRef::DateTimeIso(s.clone()),
        Data::DurationIso(s) => DataRef::DurationIso(s.clone()),
        Data::Error(e) => DataRef::Error(e.clone()),
        Data::Empty => DataRef::Empty,
    }
}

fn u16_at(d: &[u8], i: usize) -> Option<u32> {
    d.get(i..i + 2)
        .map(|b| u32::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(d: &[u8], i: usize) -> Option<u32> {
    d.get(i..i + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// Measures every worksheet of an `.xls` from its BIFF records before the spreadsheet library
/// opens it: the DIMENSIONS record (which the library reserves memory for) and every cell
/// record (NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, MULRK, FORMULA) of each sheet
/// substream that a BOUNDSHEET record points at ([MS-XLS] 2.4.28, 2.4.90, 2.1.7.20).
///
/// # Errors
/// A Chinese [`ReadError`] naming the file when it is not a compound file holding a
/// `Workbook` or `Book` stream, when that stream is larger than
/// [`TABLE_INFLATED_BYTES`], or when a sheet's stated or used extent exceeds the limits.
pub(crate) fn check_xls(file: &str, bytes: &[u8]) -> Result<(), ReadError> {
    let bad = |m: String| ReadError::at(file, m);
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|_| bad("不是有效的 .xls 文件（复合文档结构损坏）".to_string()))?;
    let path = if cf.is_stream("/Workbook") {
        "/Workbook"
    } else if cf.is_stream("/Book") {
        "/Book"
    } else {
        return Err(bad("不是有效的 .xls 文件：没有工作簿数据流".into()));
    };
    let mut stream = Vec::new();
    cf.open_stream(path)
        .map_err(|_| bad("不是有效的 .xls 文件（复合文档结构损坏）".to_string()))?
        .take(TABLE_INFLATED_BYTES + 1)
        .read_to_end(&mut stream)
        .map_err(|_| bad("不是有效的 .xls 文件（复合文档结构损坏）".to_string()))?;
    if stream.len() as u64 > TABLE_INFLATED_BYTES {
        return Err(bad(format!(
            "工作簿数据超过 {} MiB 上限，拒绝读取",
            TABLE_INFLATED_BYTES >> 20
        )));
    }
    // The records from `pos`: (type, data); a truncated record ends the walk, as the library's
    // own reader then fails with an error of its own.
    let stream: &[u8] = &stream;
    let records = move |mut pos: usize| {
        std::iter::from_fn(move || {
            let typ = u16_at(stream, pos)?;
            let len = u16_at(stream, pos + 2)? as usize;
            let data = stream.get(pos + 4..pos + 4 + len)?;
            pos += 4 + len;
            Some((typ, data))
        })
    };
    // The globals substream: where each sheet starts.
    let mut sheets = Vec::new();
    for (typ, data) in records(0) {
        match typ {
            0x0085 => sheets.extend(u32_at(data, 0)),
            0x000A => break,
            _ => {}
        }
    }
    for (k, pos) in sheets.into_iter().enumerate() {
        let name = format!("第 {} 个工作表", k + 1);
        let mut extent = Extent::default();
        let mut depth = 0usize;
        let mut seen_bof = false;
        for (typ, data) in records(pos as usize) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let cell = match typ {
                0x0809 => {
                    if seen_bof {
                        depth += 1;
                    } else {
                        seen_bof = true;
                    }
                    None
                }
                0x000A => break,
                // DIMENSIONS: BIFF8 (14 or 16 bytes) rows as u32, BIFF5 (10 bytes) as u16; the
                // last row and column are one past the end.
                0x0200 => {
                    let (rf, rl, cf, cl) = match data.len() {
                        10 => (
                            u16_at(data, 0),
                            u16_at(data, 2),
                            u16_at(data, 4),
                            u16_at(data, 6),
                        ),
                        14 | 16 => (
                            u32_at(data, 0),
                            u32_at(data, 4),
                            u16_at(data, 8),
                            u16_at(data, 10),
                        ),
                        _ => (None, None, None, None),
                    };
                    if let (Some(rf), Some(rl), Some(cf), Some(cl)) = (rf, rl, cf, cl) {
                        let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                        if rl >= 1 && cl >= 1 {
                            // Both corners must lie within the limits, in order.
                            if rl - 1 < rf
                                || cl - 1 < cf
                                || !extent.take(rf, cf)
                                || !extent.take(rl - 1, cl - 1)
                            {
                                return Err(extent_refused(file, &name));
                            }
                        }
                    }
                    None
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    Some((u16_at(data, 0), u16_at(data, 2), u16_at(data, 2)))
                }
                // MULRK: row, first column, …, last column.
                0x00BD => Some((
                    u16_at(data, 0),
                    u16_at(data, 2),
                    data.len().checked_sub(2).and_then(|i| u16_at(data, i)),
                )),
                _ => None,
            };
            if let Some((Some(r), Some(c0), Some(c1))) = cell
                && (c1 < c0 || !extent.take(r, c0) || !extent.take(r, c1))
            {
                return Err(extent_refused(file, &name));
            }
        }
    }
    Ok(())
}

/// The text of a cell in a table of records (register, annual reports): strings trimmed,
/// numbers as [`format_number`](minplan_domain::citation::format_number) writes them, dates as
/// `YYYY-MM-DD` (Excel serial days since 1899-12-30), booleans `true`/`false`.
fn record_text(d: &DataRef<'_>) -> String {
    match d {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
            s.trim().to_owned()
        }
        DataRef::SharedString(s) => s.trim().to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => minplan_domain::citation::format_number(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => {
            let days = d.as_f64().floor() as i64;
            minplan_domain::date::Date::from_days(days - 25_569).to_string()
        }
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// Reads the first sheet of an `.xlsx` or `.xls` (told by the bytes), or a CSV (UTF-8, with or
/// without BOM; told by the name ending `.csv`), into rows of cell texts: from the first used
/// row and column, each row up to its last non-empty cell, strings trimmed, numbers without
/// trailing zeros, date cells as `YYYY-MM-DD`.
///
/// Limits ([`minplan_domain::limits`]): [`TABLE_ROWS`] rows, [`TABLE_COLUMNS`] columns,
/// [`TABLE_CELLS`] cells in the used rectangle, [`CELL_CHARS`] characters per cell,
/// [`TABLE_INFLATED_BYTES`] inflated.
///
/// # Errors
/// A Chinese [`ReadError`] naming the file: not a workbook or a UTF-8 CSV, damaged, or beyond
/// a limit (the sheet, row or cell named).
pub fn read_table(bytes: &[u8], file: &str) -> Result<Vec<Vec<String>>, ReadError> {
    if file.to_lowercase().ends_with(".csv") {
        return read_csv(bytes, file);
    }
    let sheets = match workbook_kind(bytes) {
        Some(WorkbookKind::Xlsx) => xlsx_sheets(file, bytes, true, record_text)?,
        Some(WorkbookKind::Xls) => xls_sheets(file, bytes, true, record_text)?,
        None => {
            return Err(ReadError::at(
                file,
                "无法读取表格：不是 Excel 工作簿（.xlsx 或 .xls）；CSV 文件名须以 .csv 结尾",
            ));
        }
    };
    let Some((_, cells)) = sheets.into_iter().next() else {
        return Err(ReadError::at(file, "表格中没有工作表"));
    };
    let (Some(r0), Some(r1)) = (
        cells.keys().map(|k| k.0).min(),
        cells.keys().map(|k| k.0).max(),
    ) else {
        return Ok(Vec::new());
    };
    let c0 = cells.keys().map(|k| k.1).min().unwrap_or(0);
    let mut rows = Vec::with_capacity((r1 - r0 + 1) as usize);
    for r in r0..=r1 {
        let row: Vec<(&(u32, u32), &String)> = cells.range((r, 0)..=(r, u32::MAX)).collect();
        let mut line = Vec::new();
        if let Some(((_, last), _)) = row.last() {
            line.resize((last - c0 + 1) as usize, String::new());
            for ((_, c), t) in row {
                line[(c - c0) as usize] = t.clone();
            }
        }
        rows.push(line);
    }
    Ok(rows)
}

fn read_csv(bytes: &[u8], file: &str) -> Result<Vec<Vec<String>>, ReadError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|_| ReadError::at(file, "CSV 须为 UTF-8 编码（Excel 中“另存为 CSV UTF-8”）"))?;
    let text = text.trim_start_matches('\u{feff}');
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells: u64 = 0;
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| {
            let at = e
                .position()
                .map_or(String::new(), |p| format!("第 {} 行：", p.line()));
            let what = match e.kind() {
                csv::ErrorKind::Utf8 { .. } => "不是 UTF-8 编码（请另存为“CSV UTF-8”）",
                csv::ErrorKind::UnequalLengths { .. } => "各行列数不一致",
                _ => "无法读取",
            };
            ReadError::at(file, format!("{at}CSV 格式错误：{what}"))
        })?;
        if i as u64 >= u64::from(TABLE_ROWS) || rec.len() as u64 > u64::from(TABLE_COLUMNS) {
            return Err(ReadError::at(
                file,
                format!(
                    "第 {} 行：超过上限（{TABLE_ROWS} 行、{TABLE_COLUMNS} 列），拒绝读取",
                    i + 1
                ),
            ));
        }
        cells += rec.len() as u64;
        if cells > TABLE_CELLS {
            return Err(ReadError::at(
                file,
                format!("第 {} 行：单元格总数超过 {TABLE_CELLS}，拒绝读取", i + 1),
            ));
        }
        if let Some(c) = rec.iter().position(|c| c.chars().count() > CELL_CHARS) {
            return Err(ReadError::at(
                file,
                format!(
                    "第 {} 行第 {} 列超过 {CELL_CHARS} 个字符，拒绝读取",
                    i + 1,
                    c + 1
                ),
            ));
        }
        rows.push(rec.iter().map(|c| c.trim().to_string()).collect());
    }
    Ok(rows)
}
