//! Finishing the package that docx-rs writes: what docx-rs has no API for.
//!
//! * `word/fontTable.xml` — docx-rs declares only Times New Roman, Symbol and Arial. Word
//!   and WPS pick a substitute for an undeclared font by its character set, so the font of
//!   each GB/T 9704 role (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体; see
//!   [`super::official`]) is declared with its fallbacks as `w:altName` (仿宋,FangSong …),
//!   charset `86` (GB 2312) and a PANOSE number; LibreOffice reads `w:altName` too.
//! * `word/styles.xml` — the default run language gets `w:eastAsia="zh-CN"`, so that Word
//!   treats ambiguous characters (quotation marks, ·, —) as Chinese and sets them in the East
//!   Asian font.
//! * `word/document.xml` — header rows (marked by [`HEADER_ROW_MARK`]) get `w:tblHeader`,
//!   so that Word, WPS and LibreOffice repeat them on every page a table runs onto.
//! * `word/document.xml` — every table row gets `w:cantSplit`: no row is broken across pages.
//! * `docProps/core.xml` — creator and last editor: the issuing bureau instead of `unknown`
//!   (no product name in an official document, not even in its properties).
//!
//! Other parts are copied unchanged, in the same order; directory entries are dropped (Word
//! writes none).

use super::elements::HEADER_ROW_MARK;
use super::fonts::{LATIN_SANS, LATIN_SERIF, Role};
use crate::ReportError;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

fn font_table() -> String {
    let latin = |name: &str, panose: &str, family: &str| {
        format!(
            r#"<w:font w:name="{name}"><w:panose1 w:val="{panose}"/><w:charset w:val="00"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>"#
        )
    };
    let mut fonts = String::new();
    fonts.push_str(&latin(LATIN_SERIF, "02020603050405020304", "roman"));
    fonts.push_str(&latin(LATIN_SANS, "020B0604020202020204", "swiss"));
    fonts.push_str(&latin("Symbol", "05050102010706020507", "roman"));
    for role in Role::ALL {
        let (panose, family, pitch) = role.font_class();
        fonts.push_str(&format!(
            r#"<w:font w:name="{}"><w:altName w:val="{}"/><w:panose1 w:val="{panose}"/><w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>"#,
            role.cjk(),
            role.fallback()
        ));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{fonts}</w:fonts>"#
    )
}

/// Every table row gets `w:cantSplit` (a row is never broken across pages): docx-rs writes
/// `<w:trPr />` for a row without properties and `<w:trPr>…</w:trPr>` otherwise.
fn rows_never_split(xml: &str) -> String {
    const CANT: &str = "<w:cantSplit />";
    let xml = xml.replace("<w:trPr />", &format!("<w:trPr>{CANT}</w:trPr>"));
    let mut out = String::with_capacity(xml.len() + 1024);
    let mut rest = xml.as_str();
    while let Some(i) = rest.find("<w:trPr>") {
        let after = &rest[i + "<w:trPr>".len()..];
        out.push_str(&rest[..i + "<w:trPr>".len()]);
        let end = after.find("</w:trPr>").unwrap_or(after.len());
        if !after[..end].contains("<w:cantSplit") {
            out.push_str(CANT);
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

const LANG: &str = r#"<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA" />"#;

/// Adds the default language at the end of the document defaults' run properties (where
/// `w:lang` belongs in the schema's element order: after fonts, size and spacing).
fn styles_with_lang(xml: &str) -> Result<String, ReportError> {
    const CLOSE: &str = "</w:rPr></w:rPrDefault>";
    let at = xml
        .find(CLOSE)
        .ok_or_else(|| ReportError::Docx("styles.xml 中没有 w:rPrDefault".into()))?;
    Ok(format!("{}{LANG}{}", &xml[..at], &xml[at..]))
}

/// Rewrites the parts named above in a docx-rs package; `author` (the issuing bureau) is
/// the package's creator.
pub(crate) fn finish(bytes: &[u8], author: &str) -> Result<Vec<u8>, ReportError> {
    let author = xml_escape(author);
    let err = |e: &dyn std::fmt::Display| ReportError::Docx(e.to_string());
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| err(&e))?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).map_err(|e| err(&e))?;
        if file.is_dir() {
            continue;
        }
        let name = file.name().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data).map_err(|e| err(&e))?;
        let data = match name.as_str() {
            "word/fontTable.xml" => font_table().into_bytes(),
            "word/document.xml" => rows_never_split(&String::from_utf8(data).map_err(|e| err(&e))?)
                .replace(
                    HEADER_ROW_MARK,
                    &format!("{HEADER_ROW_MARK}<w:tblHeader />"),
                )
                .into_bytes(),
            "word/styles.xml" => {
                let xml = String::from_utf8(data).map_err(|e| err(&e))?;
                styles_with_lang(&xml)?.into_bytes()
            }
            "docProps/core.xml" => String::from_utf8(data)
                .map_err(|e| err(&e))?
                .replace(
                    "<dc:creator>unknown</dc:creator>",
                    &format!("<dc:creator>{author}</dc:creator>"),
                )
                .replace(
                    "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
                    &format!("<cp:lastModifiedBy>{author}</cp:lastModifiedBy>"),
                )
                .into_bytes(),
            _ => data,
        };
        out.start_file(name, options).map_err(|e| err(&e))?;
        out.write_all(&data).map_err(|e| err(&e))?;
    }
    Ok(out.finish().map_err(|e| err(&e))?.into_inner())
}

/// `&`, `<`, `>` escaped for XML text.
fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_goes_into_the_run_defaults() {
        let xml = r#"<w:styles><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="24" /></w:rPr></w:rPrDefault></w:docDefaults></w:styles>"#;
        let out = styles_with_lang(xml).unwrap();
        assert!(out.contains(
            r#"<w:sz w:val="24" /><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA" /></w:rPr></w:rPrDefault>"#
        ));
        assert!(styles_with_lang("<w:styles/>").is_err());
    }

    #[test]
    fn font_table_declares_the_chinese_fonts() {
        let t = font_table();
        assert!(t.contains(r#"<w:font w:name="宋体"><w:altName w:val="SimSun"/>"#));
        assert!(t.contains(r#"<w:font w:name="黑体"><w:altName w:val="SimHei"/>"#));
        assert!(t.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋,FangSong"/>"#));
        assert!(t.contains(r#"<w:font w:name="楷体_GB2312"><w:altName w:val="楷体,KaiTi"/>"#));
        assert!(t.contains(r#"<w:font w:name="方正小标宋简体"><w:altName w:val="宋体,SimSun"/>"#));
        assert_eq!(t.matches(r#"<w:charset w:val="86"/>"#).count(), 5);
    }

    #[test]
    fn every_row_is_kept_on_one_page() {
        let xml = r#"<w:tr><w:trPr /></w:tr><w:tr><w:trPr><w:trHeight w:val="1" /></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr>"#;
        let out = rows_never_split(xml);
        assert_eq!(out.matches("<w:cantSplit />").count(), 3, "{out}");
        assert!(out.contains(r#"<w:trPr><w:cantSplit /><w:trHeight w:val="1" /></w:trPr>"#));
    }
}
