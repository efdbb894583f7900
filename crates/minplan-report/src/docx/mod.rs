//! The Word 审查意见书 of a conformity review.
//!
//! Layout (docs/review-report.md): title, bureau, 文号 and date, the conclusion; then
//! 一、申请基本情况, 二、拐点坐标, 三、范围示意图, 四、审查情况, 五、规划指标影响,
//! 六、审查结论, 七、审查依据, 备注, and the signature block. A4 portrait, margins of
//! GB/T 9704 (37 / 35 / 28 / 26 mm), 第 N 页 共 M 页 in the footer.

pub(crate) mod elements;
pub(crate) mod package;
mod sections;

use crate::ReportError;
use crate::map::review_map;
use docx_rs::{
    AlignmentType, Docx, Footer, NumPages, PageMargin, PageNum, Paragraph, Style, StyleType,
};
use elements::{BODY_SIZE, body_fonts, heading_fonts, run};
use minplan_domain::plan::Plan;
use minplan_domain::review::ConformityReview;

/// Options of the 审查意见书. `Default` gives a document with the bureau derived from the
/// plan's region, no 文号, blank signature lines and a 1600-pixel map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocxOptions {
    /// 机关名称 (the issuing bureau). `None` = `{plan.region.name}自然资源局`.
    pub bureau: Option<String>,
    /// 文号, e.g. `绥自然资审〔2026〕12号`; omitted when `None`.
    pub document_number: Option<String>,
    /// 审查人; a blank line to sign on when `None`.
    pub reviewer: Option<String>,
    /// 复核人; a blank line to sign on when `None`.
    pub checker: Option<String>,
    /// Width of the map raster, pixels (200–8000); printed 15 cm wide.
    pub map_width_px: u32,
}

impl Default for DocxOptions {
    fn default() -> Self {
        DocxOptions {
            bureau: None,
            document_number: None,
            reviewer: None,
            checker: None,
            map_width_px: 1600,
        }
    }
}

impl DocxOptions {
    /// The bureau's name: the one given, or `{region}自然资源局` (e.g. 绥芬河市自然资源局).
    pub fn bureau_name(&self, plan: &Plan) -> String {
        self.bureau
            .clone()
            .unwrap_or_else(|| format!("{}自然资源局", plan.region.name))
    }
}

/// A4, twips.
const PAGE_W: u32 = 11_906;
const PAGE_H: u32 = 16_838;
/// Margins of GB/T 9704-2012 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), twips.
const MARGIN: PageMargin = PageMargin {
    top: 2098,
    bottom: 1984,
    left: 1587,
    right: 1474,
    header: 851,
    footer: 992,
    gutter: 0,
};
/// Text width, twips.
pub(crate) const TEXT_W: usize = (PAGE_W as usize) - 1587 - 1474;

/// Writes the Word 审查意见书 (.docx) of a review.
///
/// * `review` — the review (from `minplan_domain::review::review`), the only source of
///   outcomes, evidence and numbers;
/// * `plan` — the plan it ran against: its name, zone, blocks and layers for the map, and
///   each rule's plan wording (`plan.rule_basis`) for 七、审查依据;
/// * `opts` — bureau, 文号, signatories, map size.
///
/// Corner coordinates appear exactly as entered (`x_text`, `y_text`). Areas are shown with
/// their method: 平面面积（高斯投影） in m² and 椭球面积（TD/T 1055-2019 附录D） in km² to 4
/// decimals, both from the application's corner report. The date is the review's
/// `reviewed_at` as a calendar date in China (UTC+8).
///
/// Returns the bytes of the .docx file (Office Open XML, ZIP).
///
/// # Errors
/// As [`review_map`] for the map figure; [`ReportError::Docx`] when the package cannot be
/// written.
///
/// # Examples
/// ```
/// use minplan_domain::{plan::Plan, review::ConformityReview};
/// use minplan_report::{DocxOptions, review_docx};
///
/// fn save(review: &ConformityReview, plan: &Plan) -> Result<(), Box<dyn std::error::Error>> {
///     let opts = DocxOptions {
///         document_number: Some("绥自然资审〔2026〕12号".into()),
///         reviewer: Some("张三".into()),
///         ..DocxOptions::default()
///     };
///     std::fs::write("审查意见书.docx", review_docx(review, plan, &opts)?)?;
///     Ok(())
/// }
/// ```
pub fn review_docx(
    review: &ConformityReview,
    plan: &Plan,
    opts: &DocxOptions,
) -> Result<Vec<u8>, ReportError> {
    let map = review_map(review, plan, opts.map_width_px)?;
    let png = map.png()?;
    let ctx = sections::Ctx {
        review,
        plan,
        opts,
        bureau: opts.bureau_name(plan),
    };

    let footer = Footer::new().add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run("第 ").size(18))
            .add_page_num(PageNum::new())
            .add_run(run(" 页  共 ").size(18))
            .add_num_pages(NumPages::new())
            .add_run(run(" 页").size(18)),
    );
    let mut doc = Docx::new()
        .page_size(PAGE_W, PAGE_H)
        .page_margin(MARGIN)
        .default_fonts(body_fonts())
        .default_size(BODY_SIZE)
        .default_line_spacing(elements::spacing_lines(0, 0, 300))
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
                .fonts(heading_fonts())
                .size(44)
                .align(AlignmentType::Center),
        )
        .footer(footer);
    if let Some(d) = created_at(&review.reviewed_at) {
        doc = doc.created_at(&d).updated_at(&d);
    }
    doc = sections::title(doc, &ctx);
    doc = sections::basic_info(doc, &ctx);
    doc = sections::corners(doc, &ctx);
    doc = sections::map_figure(doc, &map, png);
    doc = sections::rules(doc, &ctx);
    doc = sections::indicators(doc, &ctx);
    doc = sections::conclusion(doc, &ctx);
    doc = sections::legal_basis(doc, &ctx);
    doc = sections::remarks_and_signatures(doc, &ctx);

    let mut out = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut out)
        .map_err(|e| ReportError::Docx(e.to_string()))?;
    package::finish(&out.into_inner())
}

/// The review time as W3CDTF for the package's core properties, when it looks like one.
fn created_at(reviewed_at: &str) -> Option<String> {
    let s = reviewed_at.trim();
    (s.len() >= 20 && crate::text::china_date(s).is_some() && s.ends_with('Z')).then(|| {
        // Drop fractional seconds: W3CDTF as Word writes it.
        format!("{}Z", &s[..19])
    })
}
