//! The plan-monitoring documents: the 规划实施评估 (evaluation, 《规划》七（三）) and the draft
//! 规划实施年度计划 (annual plan, 七（二）), each as an XLSX workbook and a Word document, and
//! the chart of an indicator over the years (SVG for pages, PNG for the Word document).
//!
//! The evaluation table has exactly the columns of 专栏1 — 序号, 规划目标, 规划指标, 单位,
//! 规划目标值, 实际完成, 完成率 — in the first sheet (header in row 2 under the title); the
//! status, projection and remarks follow in a second table / sheet, the values of each year in
//! a third. Numbers are written as numbers (规划目标值 shows its comparison through the number
//! format, e.g. `≤3`; 完成率 is in percent units, shown with `%`).
//!
//! Renders only: every figure comes from [`Evaluation`] / [`AnnualPlanDraft`].

use crate::ReportError;
use crate::docx::elements::{
    BODY_SIZE, GREY, ORANGE, RED, body_fonts, cell, cell_para, header_row, heading, heading_fonts,
    para, run, spacing_lines, subheading, table, text_cell, trun,
};
use crate::docx::official::{self, Issuer};
use crate::text::cite_text;
use docx_rs::{AlignmentType, Docx, Paragraph, Pic, Run, Style, StyleType, TableRow};
use minplan_domain::citation::format_number;
use minplan_domain::monitoring::{AnnualPlanDraft, Evaluation, EvaluationRow, Status};
use minplan_domain::restoration::indicators::RestorationIndicators;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

/// The columns of 专栏1, in order.
pub const ZHUANLAN1_COLUMNS: [&str; 7] = [
    "序号",
    "规划目标",
    "规划指标",
    "单位",
    "规划目标值",
    "实际完成",
    "完成率",
];

fn xerr(e: XlsxError) -> ReportError {
    ReportError::Xlsx(e.to_string())
}

fn num2(v: Option<f64>) -> String {
    v.map_or("—".into(), |x| format_number((x * 100.0).round() / 100.0))
}

fn pct1(v: Option<f64>) -> String {
    v.map_or("—".into(), |x| format!("{:.1}%", x))
}

/// What 实际完成 says when there is no value: 未报送, 未填报, else —.
fn actual_gap(r: &EvaluationRow) -> &'static str {
    match r.status {
        Status::NotReported => "未报送",
        Status::NotEntered => "未填报",
        _ => "—",
    }
}

fn span(e: &Evaluation) -> String {
    if e.from == e.to {
        format!("{}年", e.to)
    } else {
        format!("{}～{}年", e.from, e.to)
    }
}

/// The evaluation as an XLSX workbook: sheet 实施评估 (title row, then the 专栏1 table), sheet
/// 指标状态 (status, projection, remarks), sheet 年度数值 (each indicator by year), sheet 说明.
///
/// # Errors
/// [`ReportError::Xlsx`] when the workbook cannot be written.
pub fn evaluation_xlsx(e: &Evaluation) -> Result<Vec<u8>, ReportError> {
    evaluation_xlsx_with_restoration(e, None)
}

/// As [`evaluation_xlsx`], with, when `restoration` is given, a sheet 生态修复 after 年度数值:
/// the section 矿区生态保护修复与绿色矿山 (类别, 指标, 单位, 对照, 对照值, 数值, 完成, 说明, 出处;
/// a value or reference the figures lack is written as its words — 无数据, 规划未设定 — never
/// as 0).
///
/// # Errors
/// [`ReportError::Xlsx`] when the workbook cannot be written.
pub fn evaluation_xlsx_with_restoration(
    e: &Evaluation,
    restoration: Option<&RestorationIndicators>,
) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    let title = Format::new().set_bold().set_font_size(14);
    let head = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_background_color("D9D9D9");
    let text = Format::new().set_border(FormatBorder::Thin);
    let number = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0.##");
    let percent = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0.0\"%\"");
    {
        let ws = wb.add_worksheet().set_name("实施评估").map_err(xerr)?;
        ws.write_string_with_format(
            0,
            0,
            format!("{} 规划实施评估（{}）", e.plan, span(e)),
            &title,
        )
        .map_err(xerr)?;
        for (c, h) in ZHUANLAN1_COLUMNS.iter().enumerate() {
            ws.write_string_with_format(1, c as u16, *h, &head)
                .map_err(xerr)?;
        }
        for (i, r) in e.rows.iter().enumerate() {
            let row = 2 + i as u32;
            ws.write_number_with_format(row, 0, r.seq as f64, &text)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 1, &r.group, &text)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 2, &r.indicator, &text)
                .map_err(xerr)?;
            ws.write_string_with_format(row, 3, r.unit.symbol(), &text)
                .map_err(xerr)?;
            let sym = r.comparison.symbol();
            let target_fmt = Format::new()
                .set_border(FormatBorder::Thin)
                .set_num_format(format!("\"{sym}\"0.##"));
            ws.write_number_with_format(row, 4, r.target, &target_fmt)
                .map_err(xerr)?;
            match r.actual {
                Some(v) => ws.write_number_with_format(row, 5, v, &number),
                None => ws.write_string_with_format(row, 5, actual_gap(r), &text),
            }
            .map_err(xerr)?;
            match r.completion_pct {
                Some(v) => ws.write_number_with_format(row, 6, v, &percent),
                None => ws.write_string_with_format(row, 6, "—", &text),
            }
            .map_err(xerr)?;
        }
        for (c, w) in [6.0, 26.0, 30.0, 12.0, 12.0, 12.0, 10.0].iter().enumerate() {
            ws.set_column_width(c as u16, *w).map_err(xerr)?;
        }
    }
    {
        let ws = wb.add_worksheet().set_name("指标状态").map_err(xerr)?;
        for (c, h) in ["序号", "规划指标", "状态", "预测至规划末年", "出处", "说明"]
            .iter()
            .enumerate()
        {
            ws.write_string_with_format(0, c as u16, *h, &head)
                .map_err(xerr)?;
        }
        for (i, r) in e.rows.iter().enumerate() {
            let row = 1 + i as u32;
            ws.write_number(row, 0, r.seq as f64).map_err(xerr)?;
            ws.write_string(row, 1, &r.indicator).map_err(xerr)?;
            let mut st = r.status_label.clone();
            if !r.coverage_label.is_empty() {
                st.push_str(&format!("（{}）", r.coverage_label));
            }
            if r.source == "人工填报" {
                st.push_str("（人工填报）");
            }
            ws.write_string(row, 2, &st).map_err(xerr)?;
            match r.projection {
                Some(p) => {
                    ws.write_number_with_format(row, 3, p, &Format::new().set_num_format("0.##"))
                }
                None => ws.write_string(row, 3, "—"),
            }
            .map_err(xerr)?;
            ws.write_string(row, 4, cite_text(&r.cite)).map_err(xerr)?;
            ws.write_string(row, 5, &r.note).map_err(xerr)?;
        }
        ws.set_column_width(1, 30.0).map_err(xerr)?;
        ws.set_column_width(5, 80.0).map_err(xerr)?;
    }
    {
        let ws = wb.add_worksheet().set_name("年度数值").map_err(xerr)?;
        series_sheet(ws, e, &head)?;
    }
    if let Some(ind) = restoration {
        let ws = wb.add_worksheet().set_name("生态修复").map_err(xerr)?;
        restoration_sheet(ws, ind, &head)?;
    }
    {
        let ws = wb.add_worksheet().set_name("说明").map_err(xerr)?;
        for (i, n) in e.notes.iter().enumerate() {
            ws.write_string(i as u32, 0, n).map_err(xerr)?;
        }
    }
    wb.save_to_buffer().map_err(xerr)
}

fn series_sheet(ws: &mut Worksheet, e: &Evaluation, head: &Format) -> Result<(), ReportError> {
    ws.write_string_with_format(0, 0, "规划指标", head)
        .map_err(xerr)?;
    ws.write_string_with_format(0, 1, "单位", head)
        .map_err(xerr)?;
    ws.write_string_with_format(0, 2, "规划目标值", head)
        .map_err(xerr)?;
    let years: Vec<i32> = (e.from..=e.to).collect();
    for (j, y) in years.iter().enumerate() {
        ws.write_string_with_format(0, 3 + j as u16, format!("{y}年"), head)
            .map_err(xerr)?;
    }
    for (i, r) in e.rows.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string(row, 0, &r.indicator).map_err(xerr)?;
        ws.write_string(row, 1, r.unit.symbol()).map_err(xerr)?;
        ws.write_string(row, 2, &r.target_label).map_err(xerr)?;
        for (j, y) in years.iter().enumerate() {
            let yv = r.series.iter().find(|s| s.year == *y);
            match (yv.and_then(|s| s.value), yv.and_then(|s| s.mark.as_deref())) {
                (Some(v), None) => ws.write_number(row, 3 + j as u16, v),
                (Some(v), Some(m)) => {
                    ws.write_string(row, 3 + j as u16, format!("{}（{m}）", num2(Some(v))))
                }
                (None, Some(m)) => ws.write_string(row, 3 + j as u16, m),
                (None, None) => ws.write_string(row, 3 + j as u16, "—"),
            }
            .map_err(xerr)?;
        }
    }
    ws.set_column_width(0, 30.0).map_err(xerr)?;
    Ok(())
}

/// Plot geometry shared by the SVG and the PNG: bars per year, the target line.
struct Plot {
    w: f32,
    h: f32,
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
    max: f64,
}

impl Plot {
    fn new(r: &EvaluationRow, w: f32, h: f32) -> Plot {
        let vmax = r
            .series
            .iter()
            .filter_map(|s| s.value)
            .fold(r.target, f64::max);
        let max = if vmax <= 0.0 { 1.0 } else { vmax * 1.15 };
        Plot {
            w,
            h,
            left: w * 0.12,
            right: w * 0.97,
            top: h * 0.12,
            bottom: h * 0.84,
            max,
        }
    }

    fn y(&self, v: f64) -> f32 {
        self.bottom - (v / self.max) as f32 * (self.bottom - self.top)
    }

    /// (x, width) of bar `i` of `n`.
    fn bar(&self, i: usize, n: usize) -> (f32, f32) {
        let slot = (self.right - self.left) / n.max(1) as f32;
        (self.left + slot * i as f32 + slot * 0.2, slot * 0.6)
    }
}

/// The colour of bar `i` of `n`: the last year's bar shows the status (red 超出/未达标, orange
/// 预警); the years before are neutral blue (their own status is in the table).
fn bar_colour(r: &EvaluationRow, i: usize, n: usize) -> (&'static str, [u8; 3]) {
    if r.series.get(i).is_some_and(|v| v.partial) {
        // A value from part of the reports: pale, outlined and labelled, never a full bar.
        return ("#B4C7E7", [0xB4, 0xC7, 0xE7]);
    }
    match (i + 1 == n, r.status) {
        (true, Status::Breached) => ("#C00000", [0xC0, 0, 0]),
        (true, Status::Warning) => ("#C55A11", [0xC5, 0x5A, 0x11]),
        _ => ("#2F5597", [0x2F, 0x55, 0x97]),
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The chart of one indicator over the years as SVG (bars per year — the last one coloured by
/// its status — the target as a dashed line, values and years as text), 480 × 240. A year
/// without a value (未报送, 未填报, 无数据) is a dashed empty slot labelled with its state,
/// never a zero bar; a value from part of the reports is a pale dashed-outline bar labelled
/// `n / m 已报送`.
pub fn indicator_chart_svg(r: &EvaluationRow) -> String {
    let p = Plot::new(r, 480.0, 240.0);
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" class="chart" role="img" aria-label="{label}"><title>{label}（{unit}）</title>"#,
        w = p.w,
        h = p.h,
        label = esc(&r.indicator),
        unit = esc(r.unit.symbol())
    );
    s += &format!(
        r##"<line x1="{l}" y1="{b}" x2="{rt}" y2="{b}" stroke="#333"/><line x1="{l}" y1="{t}" x2="{l}" y2="{b}" stroke="#333"/>"##,
        l = p.left,
        b = p.bottom,
        rt = p.right,
        t = p.top
    );
    let n = r.series.len();
    for (i, v) in r.series.iter().enumerate() {
        let (x, bw) = p.bar(i, n);
        let (colour, _) = bar_colour(r, i, n);
        let mark = v.mark.as_deref().map(esc);
        if let Some(val) = v.value {
            let y = p.y(val);
            let outline = if v.partial {
                r##" stroke="#2F5597" stroke-dasharray="3 2""##
            } else {
                ""
            };
            s += &format!(
                r#"<rect x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="{hh:.1}" fill="{colour}"{outline} class="{class}"><title>{yr}年：{val}{title_mark}</title></rect><text x="{cx:.1}" y="{ty:.1}" font-size="11" text-anchor="middle">{val}</text>"#,
                hh = p.bottom - y,
                yr = v.year,
                val = num2(Some(val)),
                class = if v.partial { "bar partial" } else { "bar" },
                title_mark = mark
                    .as_deref()
                    .map_or(String::new(), |m| format!("（{m}）")),
                cx = x + bw / 2.0,
                ty = y - 3.0
            );
            if let Some(m) = mark.as_deref() {
                s += &format!(
                    r##"<text x="{cx:.1}" y="{ty:.1}" font-size="9" text-anchor="middle" fill="#555">{m}</text>"##,
                    cx = x + bw / 2.0,
                    ty = y - 15.0
                );
            }
        } else {
            // A marked gap: no bar, a dashed slot with its state.
            let m = mark.unwrap_or_else(|| "无数据".into());
            s += &format!(
                r##"<rect x="{x:.1}" y="{gy:.1}" width="{bw:.1}" height="{gh:.1}" fill="none" stroke="#999" stroke-dasharray="4 3" class="gap"><title>{yr}年：{m}</title></rect><text x="{cx:.1}" y="{ty:.1}" font-size="10" text-anchor="middle" fill="#888">{m}</text>"##,
                gy = p.top,
                gh = p.bottom - p.top,
                yr = v.year,
                cx = x + bw / 2.0,
                ty = p.bottom - 6.0
            );
        }
        s += &format!(
            r#"<text x="{cx:.1}" y="{ty:.1}" font-size="11" text-anchor="middle">{yr}</text>"#,
            cx = x + bw / 2.0,
            ty = p.bottom + 15.0,
            yr = v.year
        );
    }
    let ty = p.y(r.target);
    s += &format!(
        r##"<line x1="{l}" y1="{ty:.1}" x2="{rt}" y2="{ty:.1}" stroke="#C00000" stroke-dasharray="6 4"/><text x="{rt}" y="{tl:.1}" font-size="11" text-anchor="end" fill="#C00000">规划目标 {target}</text>"##,
        l = p.left,
        rt = p.right,
        tl = ty - 4.0,
        target = esc(&r.target_label)
    );
    s += &format!(
        r#"<text x="{x}" y="{y}" font-size="11" text-anchor="start">{unit}</text></svg>"#,
        x = 2.0,
        y = p.top - 6.0,
        unit = esc(r.unit.symbol())
    );
    s
}

/// The chart of one indicator as PNG (`width` × `width/2` pixels; no text — the DOCX prints
/// the years and values in a table under it): bars per year, the target as a dashed red line.
///
/// # Errors
/// [`ReportError::ImageSize`] for a width outside 200–4000; [`ReportError::Png`].
pub fn indicator_chart_png(r: &EvaluationRow, width: u32) -> Result<Vec<u8>, ReportError> {
    use tiny_skia::{Paint, PathBuilder, Pixmap, Rect, Stroke, StrokeDash, Transform};
    if !(200..=4000).contains(&width) {
        return Err(ReportError::ImageSize(width));
    }
    let height = width / 2;
    let p = Plot::new(r, width as f32, height as f32);
    let mut pm = Pixmap::new(width, height).ok_or(ReportError::ImageSize(width))?;
    pm.fill(tiny_skia::Color::WHITE);
    let mut paint = Paint {
        anti_alias: true,
        ..Paint::default()
    };
    let n = r.series.len();
    // Years without a value: a dashed grey slot (the table under the chart names the state),
    // never a zero bar.
    let mut gaps: Vec<(f32, f32)> = Vec::new();
    for (i, v) in r.series.iter().enumerate() {
        let (_, rgb) = bar_colour(r, i, n);
        let (x, bw) = p.bar(i, n);
        if let Some(val) = v.value {
            let y = p.y(val);
            if let Some(rect) = Rect::from_xywh(x, y, bw, (p.bottom - y).max(1.0)) {
                paint.set_color_rgba8(rgb[0], rgb[1], rgb[2], 255);
                pm.fill_rect(rect, &paint, Transform::identity(), None);
            }
        } else {
            gaps.push((x, bw));
        }
    }
    let line = |pm: &mut Pixmap, x1: f32, y1: f32, x2: f32, y2: f32, c: [u8; 3], dash: bool| {
        let mut pb = PathBuilder::new();
        pb.move_to(x1, y1);
        pb.line_to(x2, y2);
        if let Some(path) = pb.finish() {
            let mut paint = Paint {
                anti_alias: true,
                ..Paint::default()
            };
            paint.set_color_rgba8(c[0], c[1], c[2], 255);
            let w = (width as f32 / 400.0).max(1.0);
            let stroke = Stroke {
                width: w,
                dash: if dash {
                    StrokeDash::new(vec![6.0 * w, 4.0 * w], 0.0)
                } else {
                    None
                },
                ..Stroke::default()
            };
            pm.stroke_path(&path, &paint, &stroke, Transform::identity(), None);
        }
    };
    line(
        &mut pm, p.left, p.bottom, p.right, p.bottom, [0x33; 3], false,
    );
    line(&mut pm, p.left, p.top, p.left, p.bottom, [0x33; 3], false);
    for (x, bw) in gaps {
        for (x1, y1, x2, y2) in [
            (x, p.top, x + bw, p.top),
            (x + bw, p.top, x + bw, p.bottom),
            (x, p.top, x, p.bottom),
        ] {
            line(&mut pm, x1, y1, x2, y2, [0x99; 3], true);
        }
    }
    let ty = p.y(r.target);
    line(&mut pm, p.left, ty, p.right, ty, [0xC0, 0, 0], true);
    pm.encode_png().map_err(|e| ReportError::Png(e.to_string()))
}

pub(crate) fn document(title: &str) -> Docx {
    Docx::new()
        .page_size(11_906, 16_838)
        .page_margin(docx_rs::PageMargin {
            top: 2098,
            bottom: 1984,
            left: 1587,
            right: 1474,
            header: 851,
            footer: 992,
            gutter: 0,
        })
        .default_fonts(body_fonts())
        .default_size(BODY_SIZE)
        .default_line_spacing(spacing_lines(0, 0, 300))
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("heading 1")
                .fonts(heading_fonts())
                .size(32)
                .outline_lvl(0),
        )
        .add_style(
            Style::new("Title", StyleType::Paragraph)
                .name("Title")
                .fonts(official::Role::Title.fonts())
                .size(44)
                .align(AlignmentType::Center),
        )
        .add_paragraph(official::title(title))
}

/// The title block under the title: the plan's name, then the bureau and the 文号.
fn title_block(doc: Docx, plan: &str, issuer: &Issuer) -> Docx {
    doc.add_paragraph(official::centred_line(plan))
        .add_paragraph(official::issuer_line(issuer))
}

/// The closing block (signature lines, bureau, seal caption, date) and the package.
pub(crate) fn finish(doc: Docx, issuer: &Issuer) -> Result<Vec<u8>, ReportError> {
    let doc = official::signature_block(
        doc,
        issuer,
        &official::people_date(issuer.date.as_deref()),
        TEXT_W,
    );
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ReportError::Docx(e.to_string()))?;
    crate::docx::package::finish(&out.into_inner(), &issuer.bureau)
}

pub(crate) const TEXT_W: usize = 11_906 - 1587 - 1474;

fn status_colour(s: Status) -> Option<&'static str> {
    match s {
        Status::Breached => Some(RED),
        Status::Warning => Some(ORANGE),
        Status::NoData => Some(GREY),
        // 需人工核查: the value leaves something out; as visible as a warning.
        Status::ManualCheck => Some(ORANGE),
        // Not scored: why is said in grey (部分未报送 as visible as a warning).
        Status::PartlyReported => Some(ORANGE),
        Status::NotReported | Status::NotEntered => Some(GREY),
        Status::OutOfPeriod | Status::Unfinished | Status::NotStarted => Some(GREY),
        Status::OnTrack => None,
    }
}

/// The evaluation as a Word document: the 专栏1-layout table, the status of each indicator,
/// a chart per indicator (PNG, with its yearly values in a table), the methods.
///
/// `issuer`: the bureau, 文号, signature lines, seal caption and date of issue (the
/// bureau's conventions, [`crate::official`]).
///
/// # Errors
/// As [`indicator_chart_png`]; [`ReportError::Docx`].
pub fn evaluation_docx(e: &Evaluation, issuer: &Issuer) -> Result<Vec<u8>, ReportError> {
    evaluation_docx_with_restoration(e, issuer, None)
}

/// As [`evaluation_docx`], with, when `restoration` is given, the section
/// 四、矿区生态保护修复与绿色矿山 (the figures table of 规划指标's section; 说明 becomes 五).
///
/// # Errors
/// As [`evaluation_docx`].
pub fn evaluation_docx_with_restoration(
    e: &Evaluation,
    issuer: &Issuer,
    restoration: Option<&RestorationIndicators>,
) -> Result<Vec<u8>, ReportError> {
    let mut doc = title_block(
        document(&format!("规划实施评估报告（{}）", span(e))),
        &e.plan,
        issuer,
    )
    .add_paragraph(heading("一、规划指标完成情况"))
    .add_paragraph(para(format!(
        "按《规划》专栏1的格式列出 {} 各规划指标的完成情况（实际完成为 {} 年数值）。",
        span(e),
        e.to
    )));
    let widths = [600, 1900, 2300, 1100, 1100, 1000, 845];
    let mut rows = vec![header_row(&ZHUANLAN1_COLUMNS, &widths)];
    for r in &e.rows {
        let cells = [
            r.seq.to_string(),
            r.group.clone(),
            r.indicator.clone(),
            r.unit.symbol().to_string(),
            r.target_label.clone(),
            if r.actual.is_some() {
                num2(r.actual)
            } else {
                actual_gap(r).to_string()
            },
            pct1(r.completion_pct),
        ];
        rows.push(TableRow::new(
            cells
                .iter()
                .zip(widths)
                .enumerate()
                .map(|(i, (t, w))| {
                    text_cell(
                        t,
                        w,
                        if i >= 4 || i == 0 {
                            AlignmentType::Center
                        } else {
                            AlignmentType::Left
                        },
                    )
                })
                .collect(),
        ));
    }
    doc = doc.add_table(table(&widths, rows));
    doc = doc.add_paragraph(heading("二、指标状态与预测"));
    let widths2 = [2600, 1000, 1400, TEXT_W - 5000];
    let mut rows = vec![header_row(
        &["规划指标", "状态", "预测至规划末年", "说明"],
        &widths2,
    )];
    for r in &e.rows {
        let mut st = trun(&r.status_label);
        if let Some(c) = status_colour(r.status) {
            st = st.color(c);
        }
        let mut st_runs = vec![st];
        if !r.coverage_label.is_empty() {
            st_runs.push(trun(format!("（{}）", r.coverage_label)).size(18));
        }
        if r.source == "人工填报" {
            st_runs.push(trun("（人工填报）").size(18));
        }
        rows.push(TableRow::new(vec![
            text_cell(&r.indicator, widths2[0], AlignmentType::Left),
            cell(vec![cell_para(st_runs, AlignmentType::Center)], widths2[1]),
            text_cell(&num2(r.projection), widths2[2], AlignmentType::Center),
            text_cell(&r.note, widths2[3], AlignmentType::Left),
        ]));
    }
    doc = doc.add_table(table(&widths2, rows));
    doc = doc.add_paragraph(heading("三、指标年度变化"));
    for (i, r) in e.rows.iter().enumerate() {
        if r.series.iter().all(|s| s.value.is_none()) {
            continue;
        }
        let png = indicator_chart_png(r, 1200)?;
        let pic = Pic::new_with_dimensions(png, 1200, 600)
            .size(4_800_000, 2_400_000)
            .id(format!("rIdChart{}", i + 1));
        doc = doc
            .add_paragraph(subheading(&format!(
                "图 {}　{}（{}；红色虚线为规划目标 {}）",
                r.seq,
                r.indicator,
                r.unit.symbol(),
                r.target_label
            )))
            .add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .keep_next(true)
                    .add_run(Run::new().add_image(pic)),
            );
        let n = r.series.len().max(1);
        let w = TEXT_W / (n + 1);
        let mut head: Vec<String> = vec!["年度".into()];
        head.extend(r.series.iter().map(|s| format!("{}年", s.year)));
        let head_refs: Vec<&str> = head.iter().map(String::as_str).collect();
        let ws = vec![w; n + 1];
        let mut vals = vec![text_cell(r.unit.symbol(), w, AlignmentType::Center)];
        vals.extend(r.series.iter().map(|s| {
            let t = match (&s.value, &s.mark) {
                (Some(_), Some(m)) => format!("{}（{m}）", num2(s.value)),
                (None, Some(m)) => m.clone(),
                _ => num2(s.value),
            };
            text_cell(&t, w, AlignmentType::Center)
        }));
        doc = doc.add_table(table(
            &ws,
            vec![header_row(&head_refs, &ws), TableRow::new(vals)],
        ));
    }
    let notes_heading = match restoration {
        Some(ind) => {
            doc = doc
                .add_paragraph(heading("四、矿区生态保护修复与绿色矿山"))
                .add_paragraph(para(format!(
                    "{}年矿区生态保护修复与绿色矿山各项数值（《规划》六（一）（二）），对照规划基期值（一（一）5–6）与专栏1；无法计算的写明原因，规划未给出的对照值写“规划未设定”。",
                    ind.year
                )));
            doc = doc.add_table(restoration_figures_table(ind));
            if ind.schematic {
                doc = doc.add_paragraph(para(
                    "注：历史遗留矿山清单含示意条目，标“示意”的数值来自示意数据，不是实测结果。",
                ));
            }
            "五、说明"
        }
        None => "四、说明",
    };
    doc = doc.add_paragraph(heading(notes_heading));
    for r in e.rows.iter().filter(|r| r.manual.is_some()) {
        if let Some(m) = &r.manual {
            doc = doc.add_paragraph(para(format!(
                "{}（人工填报）：{} {}，依据：{}{}；填报人 {}。",
                r.indicator,
                num2(Some(m.value)),
                r.unit.symbol(),
                m.evidence,
                m.attachment
                    .as_ref()
                    .map_or(String::new(), |a| format!("，证明材料：{a}")),
                m.entered_by
            )));
        }
    }
    for n in &e.notes {
        doc = doc.add_paragraph(para(n));
    }
    doc = doc.add_paragraph(para(format!(
        "年度报告：{} 年应报 {} 份，已报 {} 份。",
        e.to, e.reports.0, e.reports.1
    )));
    finish(doc, issuer)
}

/// The draft annual plan as an XLSX workbook: sheets 开采总量, 矿山数量, 可设置区块,
/// 到期许可证, 治理任务.
///
/// # Errors
/// [`ReportError::Xlsx`].
pub fn annual_plan_xlsx(d: &AnnualPlanDraft) -> Result<Vec<u8>, ReportError> {
    let mut wb = Workbook::new();
    let head = Format::new().set_bold().set_background_color("D9D9D9");
    // A year outside the plan period: a first sheet with the statement, before any figure.
    if let Some(n) = &d.period_notice {
        let ws = wb.add_worksheet().set_name("规划期说明").map_err(xerr)?;
        ws.set_column_width(0, 120.0).map_err(xerr)?;
        ws.write_string_with_format(0, 0, n, &Format::new().set_bold().set_font_color("C00000"))
            .map_err(xerr)?;
    }
    let sheet = |wb: &mut Workbook,
                 name: &str,
                 headers: &[&str],
                 rows: Vec<Vec<Cell>>|
     -> Result<(), ReportError> {
        let ws = wb.add_worksheet().set_name(name).map_err(xerr)?;
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &head)
                .map_err(xerr)?;
            ws.set_column_width(c as u16, 16.0).map_err(xerr)?;
        }
        for (i, r) in rows.iter().enumerate() {
            for (c, v) in r.iter().enumerate() {
                match v {
                    Cell::N(x) => ws.write_number(1 + i as u32, c as u16, *x),
                    Cell::T(t) => ws.write_string(1 + i as u32, c as u16, t),
                }
                .map_err(xerr)?;
            }
        }
        Ok(())
    };
    use Cell::{N, T};
    sheet(
        &mut wb,
        "开采总量",
        &[
            "矿种",
            "单位",
            "开采总量调控指标",
            "核定生产规模合计",
            "可新增生产规模",
            "上年开采量",
            "出处",
            "超出上限",
        ],
        d.caps
            .iter()
            .map(|c| {
                vec![
                    T(c.mineral.clone()),
                    T(c.unit.symbol().into()),
                    N(c.cap),
                    N(c.licensed),
                    N(c.licensable),
                    c.last_year_extraction.map_or_else(|| T("未报送".into()), N),
                    T(cite_text(&c.cite)),
                    T(if c.exceeded {
                        "已超出".into()
                    } else {
                        String::new()
                    }),
                ]
            })
            .collect(),
    )?;
    let mut mines = vec![match d.mines {
        Some((cap, now, may)) => vec![
            T("矿山企业数量".into()),
            N(f64::from(cap)),
            N(now as f64),
            N(may as f64),
        ],
        None => vec![
            T("矿山企业数量".into()),
            T("规划未设定".into()),
            T("—".into()),
            T("—".into()),
        ],
    }];
    if let Some((cap, now, may)) = d.mines_this_level {
        mines.push(vec![
            T("本级审批发证矿山数量".into()),
            N(f64::from(cap)),
            N(now as f64),
            N(may as f64),
        ]);
    }
    sheet(
        &mut wb,
        "矿山数量",
        &["项目", "上限", "现有", "尚可新增"],
        mines,
    )?;
    sheet(
        &mut wb,
        "可设置区块",
        &[
            "区块编号",
            "名称",
            "类型",
            "审批级别",
            "矿种",
            "面积（km²）",
            "示意",
        ],
        d.open_blocks
            .iter()
            .map(|b| {
                vec![
                    T(b.number.clone()),
                    T(b.name.clone()),
                    T(b.kind.clone()),
                    T(b.approval.clone()),
                    T(b.minerals.clone()),
                    b.area_km2.map_or_else(
                        || T("规划未附范围".into()),
                        |a| N((a * 10_000.0).round() / 10_000.0),
                    ),
                    T(if b.schematic {
                        "示意".into()
                    } else {
                        String::new()
                    }),
                ]
            })
            .collect(),
    )?;
    sheet(
        &mut wb,
        "超出上限",
        &["控制指标", "登记簿现值", "上限", "单位", "说明", "出处"],
        if d.exceeded.is_empty() {
            vec![vec![T(format!(
                "截至{}，登记簿未超出规划控制指标",
                d.basis_date.chinese()
            ))]]
        } else {
            d.exceeded
                .iter()
                .map(|x| {
                    vec![
                        T(x.cap.clone()),
                        N(x.value),
                        N(x.limit),
                        T(x.unit.clone()),
                        T(exceeded_line(x)),
                        T(x.cite.clone()),
                    ]
                })
                .collect()
        },
    )?;
    sheet(
        &mut wb,
        "数据说明",
        &["项目", "内容"],
        vec![
            vec![T("数据截至".into()), T(d.basis_date.chinese())],
            vec![T("编制日期".into()), T(d.drafted_on.chinese())],
            vec![
                T(format!("{} 年度年度报告", d.year - 1)),
                T(d.last_year_coverage
                    .map_or("该年没有应报矿山".to_string(), |c| c.label())),
            ],
        ],
    )?;
    sheet(
        &mut wb,
        "到期许可证",
        &["许可证号", "名称", "矿业权人", "有效期止"],
        d.expiring
            .iter()
            .map(|x| {
                vec![
                    T(x.id.clone()),
                    T(x.name.clone()),
                    T(x.holder_name.clone()),
                    T(x.valid_to.to_string()),
                ]
            })
            .collect(),
    )?;
    sheet(
        &mut wb,
        "治理任务",
        &["对象", "任务", "出处"],
        d.restoration
            .iter()
            .map(|x| {
                vec![
                    T(x.subject.clone()),
                    T(x.task.clone()),
                    T(cite_text(&x.cite)),
                ]
            })
            .collect(),
    )?;
    wb.save_to_buffer().map_err(xerr)
}

enum Cell {
    N(f64),
    T(String),
}

/// One exceeded cap in words: `建筑用石开采总量… 现为 12 万立方米/年，超过规划上限 10 万立方米/年（《规划》五（一））`.
fn exceeded_line(x: &minplan_domain::monitoring::CapExcess) -> String {
    format!(
        "{}：登记簿现为 {} {}，超过规划上限 {}{}（{}）{}",
        x.cap,
        format_number(x.value),
        x.unit,
        x.limit_label,
        if x.soft {
            "（弹性上限，需人工核查）"
        } else {
            ""
        },
        x.cite,
        if x.unknown > 0 {
            format!("；另有 {} 宗无法判定是否计入", x.unknown)
        } else {
            String::new()
        }
    )
}

/// The draft annual plan as a Word document; `issuer` as for [`evaluation_docx`].
///
/// # Errors
/// [`ReportError::Docx`].
pub fn annual_plan_docx(d: &AnnualPlanDraft, issuer: &Issuer) -> Result<Vec<u8>, ReportError> {
    let mut doc = title_block(
        document(&format!("{}年度规划实施计划（草案）", d.year)),
        &d.plan,
        issuer,
    );
    // A year outside the plan period: the statement first, in red, before any figure.
    if let Some(n) = &d.period_notice {
        doc = doc.add_paragraph(Paragraph::new().add_run(run(n.clone()).bold().color(RED)));
    }
    doc = doc.add_paragraph(para(format!(
        "依据《规划》七（二），对 {} 年矿产资源开采总量、矿业权总量控制和规划区块投放作出安排。数据截至{}（登记簿当日在册的矿业权和在审申请）；上年开采量按 {} 年度已报送的年度报告合计{}。",
        d.year,
        d.basis_date.chinese(),
        d.year - 1,
        d.last_year_coverage
            .map_or("（该年没有应报矿山）".to_string(), |c| format!("（{}）", c.label()))
    )));
    if !d.exceeded.is_empty() {
        doc = doc.add_paragraph(heading("超出规划控制指标的情况"));
        for x in &d.exceeded {
            doc = doc.add_paragraph(Paragraph::new().add_run(run(exceeded_line(x)).color(RED)));
        }
    }
    doc = doc.add_paragraph(heading("一、开采总量"));
    let w = [1500, 1300, 1300, 1500, 1400, 1845];
    let mut rows = vec![header_row(
        &[
            "矿种",
            "单位",
            "调控指标",
            "核定规模合计",
            "可新增规模",
            "上年开采量",
        ],
        &w,
    )];
    for c in &d.caps {
        let cells = [
            c.mineral.clone(),
            c.unit.symbol().into(),
            format_number(c.cap),
            format_number(c.licensed),
            format_number(c.licensable),
            // A total from part of the mines of the mineral says so.
            match (c.last_year_extraction, c.last_year_coverage) {
                (None, _) => "未报送".to_string(),
                (Some(v), Some(cov)) if !cov.complete() => {
                    format!("{}（{}）", format_number(v), cov.label())
                }
                (Some(v), _) => format_number(v),
            },
        ];
        rows.push(TableRow::new(
            cells
                .iter()
                .zip(w)
                .map(|(t, x)| text_cell(t, x, AlignmentType::Center))
                .collect(),
        ));
    }
    doc = doc
        .add_table(table(&w, rows))
        .add_paragraph(heading("二、矿业权总量"))
        .add_paragraph(para(format!(
            "{}{}。",
            d.mines.map_or(
                "规划未设定矿山企业数量上限".to_string(),
                |(c, n, m)| format!("矿山企业数量上限 {c} 家，现有 {n} 家，尚可新增 {m} 家")
            ),
            d.mines_this_level
                .map_or(String::new(), |(c, n, m)| format!(
                    "；本级审批发证上限 {c} 家，现有 {n} 家，尚可新增 {m} 家"
                ))
        )))
        .add_paragraph(heading("三、可投放的规划区块"));
    if d.open_blocks.is_empty() {
        doc = doc.add_paragraph(para("规划区块均已设置矿业权或有在审申请。"));
    }
    for b in &d.open_blocks {
        doc = doc.add_paragraph(para(format!(
            "{} {}（{}，{}，{}，{}{}）",
            b.number,
            b.name,
            b.kind,
            b.approval,
            b.minerals,
            b.area_km2.map_or("规划未附范围".to_string(), |a| format!(
                "{a:.4} 平方千米"
            )),
            if b.schematic { "，示意" } else { "" }
        )));
    }
    doc = doc.add_paragraph(heading("四、到期许可证"));
    if d.expiring.is_empty() {
        doc = doc.add_paragraph(para("本年度没有到期的许可证。"));
    }
    for x in &d.expiring {
        doc = doc.add_paragraph(para(format!(
            "{}（{}，{}）有效期至 {}：督促按期申请延续或编制闭坑报告。",
            x.name, x.id, x.holder_name, x.valid_to
        )));
    }
    doc = doc.add_paragraph(heading("五、矿山地质环境治理"));
    for x in &d.restoration {
        doc = doc.add_paragraph(para(format!(
            "{}：{}（{}）",
            x.subject,
            x.task,
            cite_text(&x.cite)
        )));
    }
    doc = doc.add_paragraph(heading("六、说明"));
    for n in &d.notes {
        doc = doc.add_paragraph(para(n));
    }
    finish(doc, issuer)
}

/// The columns of the restoration section (sheet 生态修复 and its tables).
pub const RESTORATION_COLUMNS: [&str; 9] = [
    "类别",
    "指标",
    "单位",
    "对照",
    "对照值",
    "数值",
    "完成",
    "说明",
    "出处",
];

/// Sheet 生态修复: the header row, then one row per figure (numbers as numbers, gaps in words).
fn restoration_sheet(
    ws: &mut Worksheet,
    ind: &RestorationIndicators,
    head: &Format,
) -> Result<(), ReportError> {
    for (c, h) in RESTORATION_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, head)
            .map_err(xerr)?;
    }
    let number = Format::new().set_num_format("0.####");
    for (i, r) in ind.rows.iter().enumerate() {
        let row = 1 + i as u32;
        ws.write_string(row, 0, &r.group).map_err(xerr)?;
        let name = if r.schematic {
            format!("{}（示意）", r.name)
        } else {
            r.name.clone()
        };
        ws.write_string(row, 1, &name).map_err(xerr)?;
        ws.write_string(row, 2, &r.unit).map_err(xerr)?;
        ws.write_string(row, 3, &r.reference.kind).map_err(xerr)?;
        match r.reference.value {
            Some(v) => ws.write_number_with_format(row, 4, v, &number),
            None => ws.write_string(row, 4, &r.reference.label),
        }
        .map_err(xerr)?;
        match r.value {
            Some(v) => ws.write_number_with_format(row, 5, v, &number),
            None => ws.write_string(row, 5, &r.value_label),
        }
        .map_err(xerr)?;
        ws.write_string(row, 6, &r.completion).map_err(xerr)?;
        ws.write_string(row, 7, &r.note).map_err(xerr)?;
        ws.write_string(row, 8, &r.cite).map_err(xerr)?;
    }
    for (c, w) in [14.0, 30.0, 8.0, 18.0, 12.0, 14.0, 10.0, 40.0, 18.0]
        .iter()
        .enumerate()
    {
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    Ok(())
}

/// The figures table of the restoration section (evaluation DOCX and the annual restoration
/// report): 类别, 指标, 单位, 对照, 数值, 完成, 说明.
pub(crate) fn restoration_figures_table(ind: &RestorationIndicators) -> docx_rs::Table {
    let widths = [1500, 2600, 700, 1300, 1000, 1000, TEXT_W - 8100];
    let heads = ["类别", "指标", "单位", "对照", "数值", "完成", "说明"];
    let mut rows = vec![header_row(&heads, &widths)];
    for x in &ind.rows {
        let cells = [
            x.group.clone(),
            if x.schematic {
                format!("{}（示意）", x.name)
            } else {
                x.name.clone()
            },
            x.unit.clone(),
            if x.reference.kind.is_empty() {
                x.reference.label.clone()
            } else {
                format!("{} {}", x.reference.kind, x.reference.label)
            },
            x.value_label.clone(),
            if x.completion.is_empty() {
                "—".into()
            } else {
                x.completion.clone()
            },
            x.note.clone(),
        ];
        rows.push(TableRow::new(
            cells
                .iter()
                .zip(widths)
                .map(|(t, w)| text_cell(t, w, AlignmentType::Center))
                .collect(),
        ));
    }
    table(&widths, rows)
}
