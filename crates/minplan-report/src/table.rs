//! One XLSX writer for every list the web exports (矿业权, 审查记录, 年度报告, 申请, 监管提醒)
//! and for the import templates: a sheet with a bold, frozen header row and an autofilter,
//! one row per record, then a sheet 说明 that states what the table holds (the filters it was
//! exported with, when, how many rows).
//!
//! Cells are typed ([`Cell`]): text as text, numbers as numbers (so Excel sums and sorts
//! them), dates as Excel dates shown as people write them (`2026年12月6日`, with the time
//! `2026年12月6日 14:05` in Beijing time as the caller gives it), an empty cell for a value that
//! is not there. The caller decides what a missing value says: a cell that must read 无数据 or
//! 未报送 is [`Cell::Text`]. Nothing here reads a clock or writes a file.

use crate::ReportError;
use minplan_domain::date::Date;
use rust_xlsxwriter::{
    ExcelDateTime, Format, FormatAlign, FormatBorder, Note, Workbook, XlsxError,
};

/// One cell of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// A number, written as a number (the column's [`Column::decimals`] shape its display).
    Number(f64),
    /// A calendar date, written as an Excel date shown `2026年12月6日`.
    Date(Date),
    /// A date and time of day (hour, minute) as the caller gives it (Beijing time), shown
    /// `2026年12月6日 14:05`.
    DateTime(Date, u8, u8),
    /// Nothing (the value does not exist, e.g. a right without 生产规模).
    Empty,
}

impl Cell {
    /// Text, or [`Cell::Empty`] for an empty string.
    pub fn text(s: impl Into<String>) -> Cell {
        let s = s.into();
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }

    /// A number, or [`Cell::Empty`] for `None`.
    pub fn number(v: Option<f64>) -> Cell {
        v.map_or(Cell::Empty, Cell::Number)
    }

    /// A `YYYY-MM-DD` date (the first ten characters of an RFC 3339 time work too) as a date;
    /// other text as it is; [`Cell::Empty`] for `None` or "".
    pub fn date_text(s: Option<&str>) -> Cell {
        match s {
            None | Some("") => Cell::Empty,
            Some(t) => match t.get(..10).and_then(|d| Date::parse(d).ok()) {
                Some(d) if t.len() == 10 => Cell::Date(d),
                _ => Cell::Text(t.to_string()),
            },
        }
    }
}

/// A column of a [`Table`].
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Chinese header.
    pub header: String,
    /// Width in characters (Excel's unit); Chinese characters count about two.
    pub width: f64,
    /// Decimals shown for numbers: `None` = as many as the value has (`General`).
    pub decimals: Option<u8>,
}

impl Column {
    /// A column `header` `width` characters wide, numbers shown in full.
    pub fn new(header: impl Into<String>, width: f64) -> Column {
        Column {
            header: header.into(),
            width,
            decimals: None,
        }
    }
}

/// A list as exported: one sheet of rows and the 说明 sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet's name (≤ 31 characters, none of `[]:*?/\`), e.g. `矿业权`.
    pub sheet: String,
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows, each with one cell per column (missing cells are written empty, extra ones
    /// are an error).
    pub rows: Vec<Vec<Cell>>,
    /// Lines of the 说明 sheet: (item, value), e.g. ("筛选条件", "矿种：建筑用石"),
    /// ("导出时间", "2026-12-06 14:05"), ("行数", "500").
    pub about: Vec<(String, String)>,
}

fn xerr(e: XlsxError) -> ReportError {
    ReportError::Xlsx(e.to_string())
}

fn excel_date(d: Date) -> Result<ExcelDateTime, ReportError> {
    let y = u16::try_from(d.year()).map_err(|_| ReportError::Xlsx(format!("日期 {d} 超出范围")))?;
    ExcelDateTime::from_ymd(y, d.month(), d.day()).map_err(xerr)
}

/// The workbook of `table`: sheet `table.sheet` (header row frozen, autofilter on it) and sheet
/// 说明 with `table.about`.
///
/// # Errors
/// [`ReportError::Xlsx`] when a row has more cells than columns, a sheet name is not valid,
/// or a date is outside Excel's range (before 1900).
pub fn table_xlsx(table: &Table) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("D9E2F3")
        .set_align(FormatAlign::Center)
        .set_text_wrap();
    let text = Format::new();
    let date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    let datetime = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\" hh:mm");
    let ws = wb.add_worksheet();
    ws.set_name(&table.sheet).map_err(xerr)?;
    let ncols = table.columns.len();
    let numbers: Vec<Format> = table
        .columns
        .iter()
        .map(|c| match c.decimals {
            Some(0) => Format::new().set_num_format("0"),
            Some(n) => Format::new().set_num_format(format!("0.{}", "0".repeat(n as usize))),
            None => Format::new(),
        })
        .collect();
    for (c, col) in table.columns.iter().enumerate() {
        let c16 = c as u16;
        ws.write_string_with_format(0, c16, &col.header, &head)
            .map_err(xerr)?;
        ws.set_column_width(c16, col.width).map_err(xerr)?;
    }
    for (i, row) in table.rows.iter().enumerate() {
        if row.len() > ncols {
            return Err(ReportError::Xlsx(format!(
                "第 {} 行有 {} 个单元格，多于 {ncols} 列",
                i + 2,
                row.len()
            )));
        }
        let r = (i + 1) as u32;
        for (c, cell) in row.iter().enumerate() {
            let c16 = c as u16;
            match cell {
                Cell::Text(s) => {
                    ws.write_string_with_format(r, c16, s, &text)
                        .map_err(xerr)?;
                }
                Cell::Number(v) if v.is_finite() => {
                    ws.write_number_with_format(r, c16, *v, &numbers[c])
                        .map_err(xerr)?;
                }
                Cell::Number(_) => {
                    ws.write_string(r, c16, "无法计算").map_err(xerr)?;
                }
                Cell::Date(d) => {
                    ws.write_date_with_format(r, c16, &excel_date(*d)?, &date)
                        .map_err(xerr)?;
                }
                Cell::DateTime(d, h, m) => {
                    let t = excel_date(*d)?
                        .and_hms(u16::from(*h), *m, 0)
                        .map_err(xerr)?;
                    ws.write_datetime_with_format(r, c16, &t, &datetime)
                        .map_err(xerr)?;
                }
                Cell::Empty => {}
            }
        }
    }
    if ncols > 0 {
        ws.set_freeze_panes(1, 0).map_err(xerr)?;
        ws.autofilter(0, 0, table.rows.len() as u32, (ncols - 1) as u16)
            .map_err(xerr)?;
    }
    about_sheet(&mut wb, "说明", &table.about, &head)?;
    wb.save_to_buffer().map_err(xerr)
}

fn about_sheet(
    wb: &mut Workbook,
    name: &str,
    lines: &[(String, String)],
    head: &Format,
) -> Result<(), ReportError> {
    let ws = wb.add_worksheet();
    ws.set_name(name).map_err(xerr)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    ws.set_column_width(0, 18.0).map_err(xerr)?;
    ws.set_column_width(1, 90.0).map_err(xerr)?;
    ws.write_string_with_format(0, 0, "项目", head)
        .map_err(xerr)?;
    ws.write_string_with_format(0, 1, "内容", head)
        .map_err(xerr)?;
    for (i, (k, v)) in lines.iter().enumerate() {
        let r = (i + 1) as u32;
        ws.write_string_with_format(r, 0, k, &wrap).map_err(xerr)?;
        ws.write_string_with_format(r, 1, v, &wrap).map_err(xerr)?;
    }
    Ok(())
}

/// A column of an import template.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateColumn {
    /// The header the importer reads (its first name for the column).
    pub header: String,
    /// Whether the importer requires the column.
    pub required: bool,
    /// What to write, Chinese (format, unit, allowed values).
    pub explanation: String,
    /// The example row's value.
    pub example: String,
}

/// An import template: the sheet the importer reads and its explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    /// The sheet's name, e.g. `矿业权`.
    pub sheet: String,
    /// The columns, in order.
    pub columns: Vec<TemplateColumn>,
    /// Lines above the column table of the 填写说明 sheet.
    pub notes: Vec<String>,
}

/// The note on the example row of every template.
pub const EXAMPLE_NOTE: &str = "第 2 行为示例（浅灰底色，许可证号以“示例-”开头），导入前删除或改为实际数据；未删除的示例行不予导入";

/// The workbook of `template`: sheet `template.sheet` with the header row (required columns
/// marked by a note), one example row (grey, its first cell carrying [`EXAMPLE_NOTE`] as a
/// note), and sheet 填写说明 explaining each column. Every cell is text, so that numbers and
/// dates keep the form the importer reads.
///
/// # Errors
/// [`ReportError::Xlsx`] when a sheet name is not valid.
pub fn template_xlsx(template: &Template) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_background_color("D9E2F3")
        .set_align(FormatAlign::Center);
    let required = head.clone().set_font_color("C00000");
    let example = Format::new()
        .set_background_color("EDEDED")
        .set_italic()
        .set_num_format("@")
        .set_text_wrap();
    let ws = wb.add_worksheet();
    ws.set_name(&template.sheet).map_err(xerr)?;
    for (c, col) in template.columns.iter().enumerate() {
        let c16 = c as u16;
        let f = if col.required { &required } else { &head };
        ws.write_string_with_format(0, c16, &col.header, f)
            .map_err(xerr)?;
        ws.write_string_with_format(1, c16, &col.example, &example)
            .map_err(xerr)?;
        let width = (col.header.chars().count() as f64 * 2.2)
            .max(
                col.example
                    .lines()
                    .map(|l| l.chars().count())
                    .max()
                    .unwrap_or(0) as f64
                    * 1.1,
            )
            .clamp(10.0, 48.0);
        ws.set_column_width(c16, width).map_err(xerr)?;
        // Later rows are text too: a pasted licence number or date keeps its form.
        ws.set_column_format(c16, &Format::new().set_num_format("@"))
            .map_err(xerr)?;
    }
    if !template.columns.is_empty() {
        ws.insert_note(1, 0, &Note::new(EXAMPLE_NOTE).set_author("说明"))
            .map_err(xerr)?;
        ws.set_freeze_panes(1, 0).map_err(xerr)?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("填写说明").map_err(xerr)?;
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let mut r = 0u32;
    for n in template
        .notes
        .iter()
        .map(String::as_str)
        .chain([EXAMPLE_NOTE])
    {
        ws.write_string_with_format(r, 0, n, &Format::new())
            .map_err(xerr)?;
        r += 1;
    }
    r += 1;
    for (c, h) in ["列名", "是否必填", "填写说明", "示例"].iter().enumerate() {
        ws.write_string_with_format(r, c as u16, *h, &head)
            .map_err(xerr)?;
    }
    for col in &template.columns {
        r += 1;
        ws.write_string_with_format(r, 0, &col.header, &wrap)
            .map_err(xerr)?;
        ws.write_string_with_format(r, 1, if col.required { "必填" } else { "选填" }, &wrap)
            .map_err(xerr)?;
        ws.write_string_with_format(r, 2, &col.explanation, &wrap)
            .map_err(xerr)?;
        ws.write_string_with_format(r, 3, &col.example, &wrap)
            .map_err(xerr)?;
    }
    for (c, w) in [(0u16, 16.0), (1, 10.0), (2, 70.0), (3, 40.0)] {
        ws.set_column_width(c, w).map_err(xerr)?;
    }
    wb.save_to_buffer().map_err(xerr)
}
