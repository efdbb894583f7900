//! # minplan-report
//!
//! Documents made from minplan's results, for people to read, sign and file.
//!
//! * [`review_docx`] — the Word 审查意见书 (conformity-review opinion) of one
//!   [`ConformityReview`]: basic information, the corner-coordinate table as entered, the map
//!   figure, every rule with its outcome, evidence and citation, the plan indicators before and
//!   after approval, the conclusion, the legal basis, remarks and a signature block.
//!   Layout: `docs/review-report.md`.
//! * [`review_map`] / [`review_map_png`] / [`review_map_svg`] — the map figure of a review
//!   (范围示意图): the application, the planning blocks near it, the control layers and every
//!   conflicting part, with a north arrow and a scale bar, in the Gauss–Krüger plane of the
//!   plan's zone at equal x/y scale. The raster holds no text (no font is embedded); the
//!   legend and the scale-bar length are given as data ([`ReviewMap::legend`],
//!   [`ReviewMap::scale_bar_m`]) for the caller to print beside it, as the DOCX does.
//! * [`evaluation`] — the 规划实施评估 (XLSX with the columns of 专栏1, DOCX with a chart per
//!   indicator) and the draft 年度实施计划 (XLSX, DOCX); the indicator chart as SVG and PNG.
//! * [`restoration`] — the 生态修复台账 (XLSX: 历史遗留矿山, 修复项目, 治理恢复基金, each with
//!   a 合计 row) and the 年度矿山生态修复工作报告 (DOCX), over plain input structs.
//! * [`table`] — any list as an XLSX table (typed cells: numbers as numbers, dates as
//!   `2026年12月6日`) with a 说明 sheet, and the XLSX import templates (header row, one example
//!   row, a 填写说明 sheet).
//!
//! This crate renders; it decides nothing. Every number and outcome comes from the review
//! (`minplan-domain`) and the plan; the report shows them with the labels and methods they
//! carry. It does no I/O of its own: functions return bytes, the caller writes them.
//!
//! ## Fonts and the bureau's conventions
//!
//! Every document follows the GB/T 9704-2012 roles ([`official`]): title 方正小标宋简体
//! (fallback 宋体/SimSun), body 仿宋_GB2312 (fallback 仿宋/FangSong), level-1 headings 黑体,
//! level-2 headings 楷体_GB2312 (fallback 楷体/KaiTi), tables 宋体 — through the East Asian
//! font slot (`w:eastAsia`), with Times New Roman / Arial for Latin text, on every run and in
//! the document defaults; the font table names each Chinese font with its fallbacks and the
//! GB 2312 character set so that Word, WPS and LibreOffice choose a Chinese font, and the
//! default language is `zh-CN` for East Asian text. The issuer ([`Issuer`]: bureau, 文号,
//! signature lines, seal caption) is the bureau's, from its settings; dates are Beijing dates
//! written as people write them (2026年12月6日); no document names the software; table rows
//! never break across pages and header rows repeat.
//!
//! [`ConformityReview`]: minplan_domain::review::ConformityReview

mod docx;
pub mod evaluation;
pub mod inspection;
pub mod joint_review;
/// The bureau's document conventions shared by every document: fonts per GB/T 9704 role,
/// the issuer (机关名称, 文号, signature and seal block), dates as people write them.
pub use docx::official;
pub mod map;
pub mod restoration;
pub mod table;
mod text;

pub use docx::official::{Issuer, Signer, people_date};
pub use docx::{DocxOptions, review_docx};
pub use evaluation::{
    RESTORATION_COLUMNS, ZHUANLAN1_COLUMNS, annual_plan_docx, annual_plan_xlsx, evaluation_docx,
    evaluation_docx_with_restoration, evaluation_xlsx, evaluation_xlsx_with_restoration,
    indicator_chart_png, indicator_chart_svg,
};
pub use joint_review::{JointReviewSubject, joint_review_docx};
pub use map::{
    BLOCK_LINE, ConflictKind, DrawnLabel, EXPLORATION_LINE, Grid, GridTick, LegendEntry,
    PRINT_WIDTH_M, ReviewMap, Rgb, ShownBlock, Swatch, review_map, review_map_png, review_map_svg,
};
pub use restoration::{
    AnnualRestorationReport, FundRow, GreenMineRow, LegacyMineRow, ProjectRow, RestorationLedger,
    annual_restoration_docx, restoration_ledger_xlsx,
};
pub use table::{Cell, Column, Table, Template, TemplateColumn, table_xlsx, template_xlsx};

/// Why a report could not be made. Messages are Chinese, for the user.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The review holds no application geometry to draw.
    #[error("审查结果中没有申请范围的几何图形，无法绘制范围示意图")]
    EmptyGeometry,
    /// A coordinate could not be projected into the plan's Gauss–Krüger zone.
    #[error("申请范围坐标（经度 {lon}，纬度 {lat}）无法投影到规划所用的高斯–克吕格投影带")]
    Projection {
        /// Longitude, degrees.
        lon: f64,
        /// Latitude, degrees.
        lat: f64,
    },
    /// The requested image width is outside the supported range.
    #[error("示意图宽度 {0} 像素不在允许范围内（{min}–{max} 像素）", min = map::MIN_WIDTH_PX, max = map::MAX_WIDTH_PX)]
    ImageSize(u32),
    /// PNG encoding failed.
    #[error("示意图 PNG 编码失败：{0}")]
    Png(String),
    /// Writing an XLSX workbook failed.
    #[error("生成 Excel 工作簿失败：{0}")]
    Xlsx(String),
    /// Writing the DOCX package failed.
    #[error("生成 Word 文档失败：{0}")]
    Docx(String),
    /// The input contradicts itself (a negative amount, a shortfall that is not due − accrued):
    /// the message names the sheet, the row and the field.
    #[error("{0}")]
    Input(String),
}
