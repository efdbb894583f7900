//! Finishing the package that docx-rs writes: what docx-rs has no API for.
//!
//! * `word/fontTable.xml` — docx-rs declares only Times New Roman, Symbol and Arial. Word
//!   and WPS pick a substitute for an undeclared font by its character set, so 宋体 and 黑体
//!   are declared with their English names (`SimSun`, `SimHei`) as `w:altName`, charset
//!   `86` (GB 2312) and their PANOSE numbers; LibreOffice reads `w:altName` too.
//! * `word/styles.xml` — the default run language gets `w:eastAsia="zh-CN"`, so that Word
//!   treats ambiguous characters (quotation marks, ·, —) as Chinese and sets them in the East
//!   Asian font.
//! * `word/document.xml` — header rows (marked by [`HEADER_ROW_MARK`]) get `w:tblHeader`,
//!   so that Word, WPS and LibreOffice repeat them on every page a table runs onto.
//! * `docProps/core.xml` — creator `minplan` instead of `unknown`.
//!
//! Other parts are copied unchanged, in the same order; directory entries are dropped (Word
//! writes none).

use super::elements::{BODY_CJK, BODY_LATIN, HEAD_CJK, HEAD_LATIN, HEADER_ROW_MARK};
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
    let cjk = |name: &str, alt: &str, panose: &str, family: &str, pitch: &str| {
        format!(
            r#"<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:panose1 w:val="{panose}"/><w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>"#
        )
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{}{}{}{}{}</w:fonts>"#,
        latin(BODY_LATIN, "02020603050405020304", "roman"),
        latin(HEAD_LATIN, "020B0604020202020204", "swiss"),
        latin("Symbol", "05050102010706020507", "roman"),
        cjk(
            BODY_CJK,
            "SimSun",
            "02010600030101010101",
            "auto",
            "variable"
        ),
        cjk(
            HEAD_CJK,
            "SimHei",
            "02010609060101010101",
            "modern",
            "fixed"
        ),
    )
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

/// Rewrites the parts named above in a docx-rs package.
pub(crate) fn finish(bytes: &[u8]) -> Result<Vec<u8>, ReportError> {
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
            "word/document.xml" => String::from_utf8(data)
                .map_err(|e| err(&e))?
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
                    "<dc:creator>minplan</dc:creator>",
                )
                .replace(
                    "<cp:lastModifiedBy>unknown</cp:lastModifiedBy>",
                    "<cp:lastModifiedBy>minplan</cp:lastModifiedBy>",
                )
                .into_bytes(),
            _ => data,
        };
        out.start_file(name, options).map_err(|e| err(&e))?;
        out.write_all(&data).map_err(|e| err(&e))?;
    }
    Ok(out.finish().map_err(|e| err(&e))?.into_inner())
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
        assert_eq!(t.matches(r#"<w:charset w:val="86"/>"#).count(), 2);
    }
}
