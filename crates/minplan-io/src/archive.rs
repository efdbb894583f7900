//! Zip archives (a zipped Shapefile, a KMZ, an XLSX) opened with limits, so that a small
//! upload cannot inflate into gigabytes: the entries' declared sizes are checked before any
//! is inflated, and each entry is read through a counter that stops at its declared size
//! (a lying header cannot get past it).

use crate::ReadError;
use std::io::Read;

/// Most bytes all entries of one archive may inflate to: 1 GiB
/// ([`minplan_domain::limits::ARCHIVE_INFLATED_BYTES`]).
pub const MAX_UNCOMPRESSED: u64 = minplan_domain::limits::ARCHIVE_INFLATED_BYTES;
/// Most entries one archive may hold ([`minplan_domain::limits::ARCHIVE_ENTRIES`]).
pub const MAX_ENTRIES: usize = minplan_domain::limits::ARCHIVE_ENTRIES;

/// What went wrong in a zip archive, in Chinese (the zip crate's own messages are English and
/// name its internals; issue 19, item 11).
pub(crate) fn zip_problem(e: &zip::result::ZipError) -> String {
    use zip::result::ZipError as Z;
    match e {
        Z::Io(_) => "读取中断（文件不完整或已损坏）".into(),
        Z::InvalidArchive(_) => "结构损坏或文件不完整".into(),
        Z::UnsupportedArchive(_) => "使用了不支持的压缩包格式（如分卷或加密）".into(),
        Z::FileNotFound => "找不到其中的文件".into(),
        Z::InvalidPassword => "已加密，须先解密".into(),
        Z::CompressionMethodNotSupported(m) => format!("使用了不支持的压缩方法（编号 {m}）"),
        _ => "无法读取".into(),
    }
}

/// One file taken out of an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path inside the archive (`/`-separated).
    pub name: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Checks the central directory of a zip: entry count and total declared size.
///
/// # Errors
/// [`ReadError`] naming `file` when it is not a zip, holds more than [`MAX_ENTRIES`] entries,
/// or declares more than `limit` bytes uncompressed in total.
pub fn check(file: &str, bytes: &[u8], limit: u64) -> Result<(), ReadError> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::at(file, format!("不是有效的 zip 压缩包：{}", zip_problem(&e))))?;
    if z.len() > MAX_ENTRIES {
        return Err(ReadError::at(
            file,
            format!("压缩包有 {} 个文件，超过上限 {MAX_ENTRIES}", z.len()),
        ));
    }
    let mut total = 0u64;
    for i in 0..z.len() {
        let e = z.by_index_raw(i).map_err(|e| {
            ReadError::at(
                file,
                format!("压缩包第 {} 个文件损坏：{}", i + 1, zip_problem(&e)),
            )
        })?;
        total = total.saturating_add(e.size());
    }
    if total > limit {
        return Err(ReadError::at(
            file,
            format!(
                "压缩包解压后共 {} MiB，超过上限 {} MiB（可能是压缩炸弹）；未读取",
                total >> 20,
                limit >> 20
            ),
        ));
    }
    Ok(())
}

/// Checks a zip as [`check`] does and then inflates every entry into nothing through a
/// counter, so that a library that opens the zip afterwards (the spreadsheet reader) never
/// meets an entry that inflates beyond its declared size, nor more than `limit` bytes in all.
///
/// # Errors
/// [`ReadError`] naming `file` as [`check`] does, or naming the entry when it is damaged or
/// inflates beyond its declared size.
pub fn verify(file: &str, bytes: &[u8], limit: u64) -> Result<(), ReadError> {
    check(file, bytes, limit)?;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::at(file, format!("不是有效的 zip 压缩包：{}", zip_problem(&e))))?;
    for i in 0..z.len() {
        let mut e = z.by_index(i).map_err(|e| {
            ReadError::at(
                file,
                format!("压缩包第 {} 个文件损坏：{}", i + 1, zip_problem(&e)),
            )
        })?;
        let declared = e.size();
        let name = e.name().to_owned();
        let n = std::io::copy(&mut (&mut e).take(declared + 1), &mut std::io::sink())
            .map_err(|_| ReadError::at(file, format!("压缩包中的 {name} 无法解压（数据损坏）")))?;
        if n > declared {
            return Err(ReadError::at(
                file,
                format!("压缩包中的 {name} 解压后超过其声明的大小（压缩包被篡改）"),
            ));
        }
    }
    Ok(())
}

/// Inflates the entries of a zip that `keep` accepts (by name), within [`MAX_UNCOMPRESSED`].
///
/// # Errors
/// [`ReadError`] naming `file` as [`check`] does, or naming the entry when it is damaged or
/// inflates beyond its declared size.
pub fn entries(
    file: &str,
    bytes: &[u8],
    keep: impl Fn(&str) -> bool,
) -> Result<Vec<Entry>, ReadError> {
    check(file, bytes, MAX_UNCOMPRESSED)?;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::at(file, format!("不是有效的 zip 压缩包：{}", zip_problem(&e))))?;
    let mut out = Vec::new();
    for i in 0..z.len() {
        let mut e = z.by_index(i).map_err(|e| {
            ReadError::at(
                file,
                format!("压缩包第 {} 个文件损坏：{}", i + 1, zip_problem(&e)),
            )
        })?;
        if e.is_dir() {
            continue;
        }
        // Names from Chinese Windows zip tools are GBK without the UTF-8 flag.
        let raw = e.name_raw().to_vec();
        let name = String::from_utf8(raw.clone())
            .unwrap_or_else(|_| {
                encoding_rs::GBK
                    .decode_without_bom_handling(&raw)
                    .0
                    .into_owned()
            })
            .replace('\\', "/");
        if !keep(&name) {
            continue;
        }
        let declared = e.size();
        let mut buf = Vec::with_capacity(declared.min(MAX_UNCOMPRESSED) as usize);
        (&mut e)
            .take(declared + 1)
            .read_to_end(&mut buf)
            .map_err(|_| ReadError::at(file, format!("压缩包中的 {name} 无法解压（数据损坏）")))?;
        if buf.len() as u64 > declared {
            return Err(ReadError::at(
                file,
                format!("压缩包中的 {name} 解压后超过其声明的大小（压缩包被篡改）"),
            ));
        }
        out.push(Entry { name, bytes: buf });
    }
    Ok(out)
}

/// The entry names of a zip (`/`-separated), without inflating anything.
///
/// # Errors
/// [`ReadError`] naming `file` when it is not a zip.
pub fn names(file: &str, bytes: &[u8]) -> Result<Vec<String>, ReadError> {
    let z = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|e| ReadError::at(file, format!("不是有效的 zip 压缩包：{}", zip_problem(&e))))?;
    Ok(z.file_names().map(|n| n.replace('\\', "/")).collect())
}
