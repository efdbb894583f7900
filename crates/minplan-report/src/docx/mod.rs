//! The Word 审查意见书 of a conformity review.
//!
//! Layout (docs/review-report.md): for a 符合 opinion a one-page summary first; title,
//! bureau, 文号 and date, the conclusion; then
//! 一、申请基本情况, 二、拐点坐标, 三、范围示意图, 四、审查情况, 五、规划指标影响,
//! 六、审查结论, 七、审查依据, 备注, and the signature and seal block. Fonts and the issuer's
//! block are the bureau's conventions of [`official`]. A4 portrait, margins of
//! GB/T 9704 (37 / 35 / 28 / 26 mm), 第 N 页 共 M 页 in the footer.

pub(crate) mod elements;
pub(crate) mod fonts;
pub mod official;
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
use official::{DEFAULT_SEAL_CAPTION, DEFAULT_SIGNERS, Issuer, Role, Signer};

/// Options of the 审查意见书: the bureau's settings as the document needs them and the map
/// size. `Default` gives the bureau derived from the plan's region, no 文号, blank
/// 承办人/审核人/签发人 lines, the seal caption `（印章）` and a 1600-pixel map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocxOptions {
    /// 机关名称 (the issuing bureau). `None` = `{plan.region.name}自然资源局`.
    pub bureau: Option<String>,
    /// 文号, e.g. `绥自然资审〔2026〕12号`; omitted when `None`.
    pub document_number: Option<String>,
    /// The signature lines (title and, when known, the person's display name).
    pub signers: Vec<Signer>,
    /// The caption where the seal goes (e.g. `（印章）`); nothing when empty.
    pub seal_caption: String,
    /// Width of the map raster, pixels (200–8000); printed 15 cm wide.
    pub map_width_px: u32,
}

impl Default for DocxOptions {
    fn default() -> Self {
        DocxOptions {
            bureau: None,
            document_number: None,
            signers: DEFAULT_SIGNERS.iter().map(|t| Signer::blank(*t)).collect(),
            seal_caption: DEFAULT_SEAL_CAPTION.into(),
            map_width_px: 1600,
        }
    }
}

impl DocxOptions {
    /// The bureau's name: the one given, or `{region}自然资源局` (e.g. 绥芬河市自然资源局).
    pub fn bureau_name(&self, plan: &Plan) -> String {
        self.bureau
            .clone()
            .unwrap_or_else(|| Issuer::default_bureau(&plan.region.name))
    }

    /// The issuer of the opinion on `plan`, dated by the review time `reviewed_at`.
    pub fn issuer(&self, plan: &Plan, reviewed_at: &str) -> Issuer {
        Issuer {
            bureau: self.bureau_name(plan),
            document_number: self.document_number.clone(),
            signers: self.signers.clone(),
            seal_caption: self.seal_caption.clone(),
            date: Some(reviewed_at.to_string()),
        }
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
/// * `opts` — bureau, 文号, signature lines and seal caption, map size.
///
/// Corner coordinates appear exactly as entered (`x_text`, `y_text`). Areas are shown with
/// their method: 平面面积（高斯投影） in m² and 椭球面积（TD/T 1055-2019 附录D） in km² to 4
/// decimals, both from the application's corner report. The date is the review's
/// `reviewed_at` as people write it in Beijing (UTC+8): 2026-12-05T17:30Z is 2026年12月6日.
/// The document names the bureau, never the software that wrote it, and shows layers and
/// people by name, never by machine identifier. A 符合 opinion opens with a one-page summary
/// (application, conclusion, key figures, 文号, date).
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
/// use minplan_report::{DocxOptions, Signer, review_docx};
///
/// fn save(review: &ConformityReview, plan: &Plan) -> Result<(), Box<dyn std::error::Error>> {
///     let opts = DocxOptions {
///         document_number: Some("绥自然资审〔2026〕12号".into()),
///         signers: vec![Signer { title: "承办人".into(), name: Some("张三".into()) }],
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
        issuer: opts.issuer(plan, &review.reviewed_at),
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
                .fonts(Role::Title.fonts())
                .size(44)
                .align(AlignmentType::Center),
        )
        .footer(footer);
    if let Some(d) = created_at(&review.reviewed_at) {
        doc = doc.created_at(&d).updated_at(&d);
    }
    doc = sections::summary_page(doc, &ctx);
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
    package::finish(&out.into_inner(), &ctx.issuer.bureau)
}

/// The review time as W3CDTF for the package's core properties, when it looks like one.
fn created_at(reviewed_at: &str) -> Option<String> {
    let s = reviewed_at.trim();
    (s.len() >= 20 && crate::text::china_date(s).is_some() && s.ends_with('Z')).then(|| {
        // Drop fractional seconds: W3CDTF as Word writes it.
        format!("{}Z", &s[..19])
    })
}
