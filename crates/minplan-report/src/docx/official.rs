//! The bureau's document conventions, shared by every official document this crate writes
//! (审查意见书, 规划实施评估报告, 年度实施计划): the fonts of each GB/T 9704-2012 role, the
//! issuer (机关名称, 文号, signature and seal block) and the date as people write it.
//!
//! ## Fonts by role (GB/T 9704-2012 7.2–7.3)
//!
//! | role | East Asian font (`w:eastAsia`) | fallback declared in the font table |
//! |---|---|---|
//! | title (标题) | 方正小标宋简体 | 宋体 / SimSun |
//! | body (正文) | 仿宋_GB2312 | 仿宋 / FangSong |
//! | level-1 heading (一、) | 黑体 | SimHei |
//! | level-2 heading (（一）, sub-headings) | 楷体_GB2312 | 楷体 / KaiTi |
//! | tables (表格) | 宋体 | SimSun |
//!
//! A run names one East Asian font; the fallback is what `word/fontTable.xml` declares as the
//! font's `w:altName` together with its GB 2312 character set (`w:charset 86`), its family and
//! PANOSE number, so that Word, WPS and LibreOffice substitute the fallback (or another font
//! of that class) on a machine without the GB 2312 fonts.
//!
//! Nothing here names the software that wrote the document: the issuer is the bureau.

use super::elements::{cell_para, spacing_lines, table, text_cell, trun};
use docx_rs::{AlignmentType, Docx, Paragraph, TableRow};

pub(crate) use super::fonts::Role;

/// One line of the signature block: a title (承办人, 审核人, 签发人) and, when known, the
/// person's display name; without a name a blank line is left to sign on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    /// The title, e.g. `承办人`.
    pub title: String,
    /// The person's name as people know it (never an account id); `None` = a blank line.
    pub name: Option<String>,
}

impl Signer {
    /// A signature line titled `title` with no name (signed by hand).
    pub fn blank(title: impl Into<String>) -> Signer {
        Signer {
            title: title.into(),
            name: None,
        }
    }
}

/// The default signature titles: 承办人, 审核人, 签发人.
pub const DEFAULT_SIGNERS: [&str; 3] = ["承办人", "审核人", "签发人"];

/// The default caption under the bureau's name where the seal goes.
pub const DEFAULT_SEAL_CAPTION: &str = "（印章）";

/// Who issues a document and how it is signed: the bureau's settings as a document needs
/// them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuer {
    /// 机关名称, e.g. `绥芬河市自然资源局`.
    pub bureau: String,
    /// 文号, e.g. `绥自然资审〔2026〕12号`; none printed when `None`.
    pub document_number: Option<String>,
    /// The signature lines, in order.
    pub signers: Vec<Signer>,
    /// The caption where the seal goes, e.g. `（印章）`; nothing when empty.
    pub seal_caption: String,
    /// The date of issue: an RFC 3339 time (shown as its calendar date in Beijing, UTC+8) or a
    /// `YYYY-MM-DD` date; `None` leaves `　　年　　月　　日` to fill in by hand. The 审查意见书
    /// uses the review's own time instead.
    pub date: Option<String>,
}

impl Issuer {
    /// The issuer with the defaults: `bureau`, no 文号, blank 承办人/审核人/签发人 lines, the
    /// caption `（印章）`, no date.
    pub fn new(bureau: impl Into<String>) -> Issuer {
        Issuer {
            bureau: bureau.into(),
            document_number: None,
            signers: DEFAULT_SIGNERS.iter().map(|t| Signer::blank(*t)).collect(),
            seal_caption: DEFAULT_SEAL_CAPTION.into(),
            date: None,
        }
    }

    /// The default bureau name of a plan unit: `{unit}自然资源局` (绥芬河市 → 绥芬河市自然资源局).
    pub fn default_bureau(unit_name: &str) -> String {
        format!("{unit_name}自然资源局")
    }
}

/// `2026年12月6日` for an RFC 3339 time (its calendar date in Beijing, UTC+8: 2026-12-05T17:30Z
/// is 2026年12月6日) or a `YYYY-MM-DD` date; `　　年　　月　　日` (to fill in) when `None`; the
/// text itself when it is neither.
pub fn people_date(s: Option<&str>) -> String {
    match s {
        Some(s) => crate::text::chinese_date(s),
        None => "　　年　　月　　日".into(),
    }
}

/// The title (方正小标宋简体 二号, centred).
pub(crate) fn title(text: &str) -> Paragraph {
    Paragraph::new()
        .style("Title")
        .align(AlignmentType::Center)
        .line_spacing(spacing_lines(0, 120, 300))
        .add_run(Role::Title.run(text).size(44))
}

/// A centred line in body fonts.
pub(crate) fn centred_line(text: impl Into<String>) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Role::Body.run(text))
}

/// The line under the title: the bureau and, when set, the 文号.
pub(crate) fn issuer_line(issuer: &Issuer) -> Paragraph {
    let mut parts = vec![issuer.bureau.clone()];
    if let Some(n) = &issuer.document_number {
        parts.push(n.clone());
    }
    centred_line(parts.join("　　"))
}

/// The closing block: the signature lines (two to a row), then the bureau's name, the seal
/// caption and the date, right-aligned as GB/T 9704 places 发文机关署名 and 成文日期.
/// `date` is the text to print (see [`people_date`]).
pub(crate) fn signature_block(mut doc: Docx, issuer: &Issuer, date: &str, text_w: usize) -> Docx {
    const BLANK: &str = "＿＿＿＿＿＿＿＿";
    if !issuer.signers.is_empty() {
        let widths = [text_w / 2, text_w - text_w / 2];
        let rows: Vec<TableRow> = issuer
            .signers
            .chunks(2)
            .map(|pair| {
                let mut cells: Vec<_> = pair
                    .iter()
                    .zip(widths)
                    .map(|(s, w)| {
                        text_cell(
                            &format!(
                                "{}：{}",
                                s.title,
                                s.name.clone().unwrap_or_else(|| BLANK.to_string())
                            ),
                            w,
                            AlignmentType::Left,
                        )
                    })
                    .collect();
                if pair.len() == 1 {
                    cells.push(text_cell("", widths[1], AlignmentType::Left));
                }
                TableRow::new(cells)
            })
            .collect();
        doc = doc
            .add_paragraph(Paragraph::new().line_spacing(spacing_lines(360, 0, 300)))
            .add_table(table(&widths, rows).clear_all_border());
    }
    let right = |text: String, before: u32| {
        Paragraph::new()
            .align(AlignmentType::Right)
            .keep_next(true)
            .line_spacing(spacing_lines(before, 0, 300))
            .indent(None, None, Some(480), None)
            .add_run(Role::Body.run(text))
    };
    doc = doc.add_paragraph(right(issuer.bureau.clone(), 720));
    if !issuer.seal_caption.trim().is_empty() {
        doc = doc.add_paragraph(right(issuer.seal_caption.clone(), 0));
    }
    doc.add_paragraph(
        Paragraph::new()
            .align(AlignmentType::Right)
            .indent(None, None, Some(480), None)
            .add_run(Role::Body.run(date)),
    )
}

/// A summary table of label/value rows (表格 fonts), for a one-page summary.
pub(crate) fn summary_table(rows: &[(&str, String)], text_w: usize) -> docx_rs::Table {
    let widths = [2300, text_w - 2300];
    table(
        &widths,
        rows.iter()
            .map(|(k, v)| {
                TableRow::new(vec![
                    super::elements::cell(
                        vec![cell_para(vec![trun(*k).bold()], AlignmentType::Center)],
                        widths[0],
                    ),
                    text_cell(v, widths[1], AlignmentType::Left),
                ])
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_people_write_them_in_beijing() {
        assert_eq!(people_date(Some("2026-12-05T17:30:00Z")), "2026年12月6日");
        assert_eq!(people_date(Some("2026-12-05T15:59:59Z")), "2026年12月5日");
        assert_eq!(people_date(Some("2026-12-06")), "2026年12月6日");
        assert_eq!(people_date(None), "　　年　　月　　日");
    }

    #[test]
    fn roles_name_their_fonts() {
        let fonts: Vec<&str> = Role::ALL.iter().map(|r| r.cjk()).collect();
        assert_eq!(
            fonts,
            [
                "方正小标宋简体",
                "仿宋_GB2312",
                "黑体",
                "楷体_GB2312",
                "宋体"
            ]
        );
        assert_eq!(Issuer::default_bureau("绥芬河市"), "绥芬河市自然资源局");
        let i = Issuer::new("绥芬河市自然资源局");
        let titles: Vec<&str> = i.signers.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, DEFAULT_SIGNERS);
    }
}
