//! dBASE III tables (`.dbf`), the attribute half of a Shapefile: read with the text encoding
//! the file declares (`.cpg`, else the language-driver byte at offset 29), else detected
//! (valid UTF-8, else GBK) with a note saying which; written in GBK (default) or UTF-8 with
//! field names of at most 10 bytes, never cut inside a character and unique after shortening.
//!
//! Format: dBASE III+ as ESRI writes it (ESRI Shapefile Technical Description, 1998, and the
//! dBASE file header: 32-byte header, 32-byte field descriptors ended by 0x0D, records with a
//! deletion flag, 0x1A at the end).

use crate::export::{ExportField, FieldKind, FieldValue};
use crate::{ReadError, WriteError};
use encoding_rs::{Encoding, GBK, UTF_8};
use serde_json::{Map, Number, Value};

/// How the text encoding of a table was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    /// Named by the user (an override).
    User,
    /// From the `.cpg` file.
    Cpg,
    /// From the language-driver byte (LDID) of the DBF header.
    Ldid(u8),
    /// Detected from the bytes (no `.cpg`, no usable LDID).
    Detected,
}

/// A table read from a `.dbf`.
#[derive(Debug, Clone)]
pub struct Table {
    /// Field names as decoded.
    pub fields: Vec<String>,
    /// Records (deleted records included as `None`, so record numbers stay those of the
    /// `.shp`).
    pub records: Vec<Option<Map<String, Value>>>,
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// Why that encoding.
    pub encoding_source: EncodingSource,
}

/// The encoding a `.cpg` names (`GBK`, `936`, `CP936`, `GB2312`, `GB18030`, `UTF-8`,
/// `ANSI 1250`, `1252`, `BIG5` …); `None` when unknown.
pub fn encoding_from_cpg(cpg: &str) -> Option<&'static Encoding> {
    let t = cpg
        .trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_uppercase();
    let t = t
        .trim_start_matches("ANSI")
        .trim_start_matches("CP")
        .trim_start_matches("WINDOWS-")
        .trim();
    match t {
        "936" | "GBK" | "GB2312" | "EUC-CN" => Some(GBK),
        "54936" | "GB18030" => Some(encoding_rs::GB18030),
        "65001" | "UTF-8" | "UTF8" => Some(UTF_8),
        "950" | "BIG5" => Some(encoding_rs::BIG5),
        n if n.len() == 4 && n.starts_with("125") => {
            Encoding::for_label(format!("windows-{n}").as_bytes())
        }
        "874" => Some(encoding_rs::WINDOWS_874),
        "932" | "SHIFT_JIS" | "SJIS" => Some(encoding_rs::SHIFT_JIS),
        "949" => Some(encoding_rs::EUC_KR),
        "866" => Some(encoding_rs::IBM866),
        "88591" | "8859-1" | "ISO-8859-1" | "LATIN1" => Some(encoding_rs::WINDOWS_1252),
        _ => Encoding::for_label(cpg.trim().as_bytes()),
    }
}

/// The encoding a DBF language-driver byte names (ESRI's table: 0x4D and 0x7A = 936/GBK,
/// 0x4F = 950/Big5, 0x57 = the writer's ANSI code page, i.e. unknown). `None` for 0 and
/// unknown bytes.
pub fn encoding_from_ldid(ldid: u8) -> Option<&'static Encoding> {
    match ldid {
        0x4D | 0x7A => Some(GBK),
        0x4F | 0x78 => Some(encoding_rs::BIG5),
        0x13 | 0x7B => Some(encoding_rs::SHIFT_JIS),
        0x4E | 0x79 => Some(encoding_rs::EUC_KR),
        0x03 | 0x58 | 0x59 => Some(encoding_rs::WINDOWS_1252),
        0x64 | 0xC8 => Some(encoding_rs::WINDOWS_1250),
        0x65 | 0x26 | 0xC9 => Some(encoding_rs::WINDOWS_1251),
        _ => None,
    }
}

/// `raw` decoded in `encoding`, or an error naming `file` and `what` (a field, a record).
fn decode_text(
    file: &str,
    encoding: &'static Encoding,
    raw: &[u8],
    what: &dyn Fn() -> String,
) -> Result<String, ReadError> {
    let (text, had_errors) = encoding.decode_without_bom_handling(raw);
    if had_errors {
        return Err(ReadError::at(
            file,
            format!(
                "{}不是有效的 {} 文本；请指定文本编码（如 GBK、UTF-8）",
                what(),
                encoding.name()
            ),
        ));
    }
    Ok(text.into_owned())
}

/// Field descriptor.
#[derive(Debug, Clone)]
struct FieldDesc {
    name_bytes: Vec<u8>,
    kind: u8,
    offset: usize,
    len: usize,
    decimals: u8,
}

fn u16le(b: &[u8], at: usize) -> usize {
    u16::from_le_bytes([b[at], b[at + 1]]) as usize
}

/// Reads a `.dbf`. `cpg` is the `.cpg` text when there is one; `user` an encoding named by
/// the user, which wins over both.
///
/// # Errors
/// A [`ReadError`] naming `file` and the place when the header or a record is broken, or no
/// encoding decodes the text.
pub fn read(
    file: &str,
    bytes: &[u8],
    cpg: Option<&str>,
    user: Option<&'static Encoding>,
) -> Result<Table, ReadError> {
    let dbf = Dbf::open(file, std::borrow::Cow::Borrowed(bytes), cpg, user)?;
    let records = (0..dbf.len())
        .map(|i| dbf.record(i))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Table {
        fields: dbf.fields.clone(),
        records,
        encoding: dbf.encoding,
        encoding_source: dbf.encoding_source,
    })
}

/// A `.dbf` opened for reading record by record: header, field descriptors and encoding
/// decided, no record decoded yet.
#[derive(Debug, Clone)]
pub struct Dbf<'a> {
    file: String,
    bytes: std::borrow::Cow<'a, [u8]>,
    descs: Vec<FieldDesc>,
    /// Field names as decoded.
    pub fields: Vec<String>,
    /// The encoding used.
    pub encoding: &'static Encoding,
    /// Why that encoding.
    pub encoding_source: EncodingSource,
    n: usize,
    header_len: usize,
    record_len: usize,
}

impl<'a> Dbf<'a> {
    /// Opens a `.dbf` (as [`read`], without decoding the records).
    ///
    /// # Errors
    /// As [`read`] for the header, the field names and the encoding.
    pub fn open(
        file: &str,
        bytes: std::borrow::Cow<'a, [u8]>,
        cpg: Option<&str>,
        user: Option<&'static Encoding>,
    ) -> Result<Dbf<'a>, ReadError> {
        let (descs, fields, encoding, encoding_source, n, header_len, record_len) = {
            let bytes: &[u8] = &bytes;
            if bytes.len() < 33 {
                return Err(ReadError::at(file, "不是 dBASE 表（文件不足 33 字节）"));
            }
            let version = bytes[0] & 0x07;
            if version != 3 && version != 4 && version != 5 {
                return Err(ReadError::at(
                    file,
                    format!("不是 dBASE III/IV 表（首字节 0x{:02X}）", bytes[0]),
                ));
            }
            let n = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
            let header_len = u16le(bytes, 8);
            let record_len = u16le(bytes, 10);
            let ldid = bytes[29];
            if header_len < 33 || header_len > bytes.len() || record_len == 0 {
                return Err(ReadError::at(
                    file,
                    format!("表头损坏（表头长度 {header_len}，记录长度 {record_len}）"),
                ));
            }
            let mut descs = Vec::new();
            let mut at = 32;
            let mut offset = 1; // deletion flag
            while at + 32 <= header_len && bytes[at] != 0x0D {
                let d = &bytes[at..at + 32];
                let name_bytes: Vec<u8> = d[..11].iter().copied().take_while(|&c| c != 0).collect();
                let len = d[16] as usize;
                descs.push(FieldDesc {
                    name_bytes,
                    kind: d[11],
                    offset,
                    len,
                    decimals: d[17],
                });
                offset += len;
                at += 32;
            }
            if offset != record_len {
                return Err(ReadError::at(
                    file,
                    format!("字段长度之和 {} 与表头记录长度 {record_len} 不一致", offset),
                ));
            }
            let needed = header_len + n * record_len;
            if bytes.len() < needed {
                return Err(ReadError::at(
                    file,
                    format!(
                        "表头声明 {n} 条记录（需 {needed} 字节），文件只有 {} 字节：文件不完整",
                        bytes.len()
                    ),
                ));
            }
            let body = &bytes[header_len..needed];
            // The encoding: user, .cpg, LDID, then detection over every text byte.
            let (encoding, encoding_source) = if let Some(e) = user {
                (e, EncodingSource::User)
            } else if let Some(e) = cpg.and_then(encoding_from_cpg) {
                (e, EncodingSource::Cpg)
            } else if let Some(e) = encoding_from_ldid(ldid) {
                (e, EncodingSource::Ldid(ldid))
            } else {
                let all_names: Vec<u8> = descs.iter().flat_map(|d| d.name_bytes.clone()).collect();
                let utf8 = std::str::from_utf8(&all_names).is_ok()
                    && body.chunks(record_len).all(|r| {
                        descs
                            .iter()
                            .all(|d| std::str::from_utf8(&r[d.offset..d.offset + d.len]).is_ok())
                    });
                (if utf8 { UTF_8 } else { GBK }, EncodingSource::Detected)
            };
            let decode =
                |raw: &[u8], what: &dyn Fn() -> String| decode_text(file, encoding, raw, what);
            let mut fields = Vec::with_capacity(descs.len());
            for (k, d) in descs.iter().enumerate() {
                fields.push(
                    decode(&d.name_bytes, &|| format!("第 {} 个字段名", k + 1))?
                        .trim()
                        .to_string(),
                );
            }
            (
                descs,
                fields,
                encoding,
                encoding_source,
                n,
                header_len,
                record_len,
            )
        };
        Ok(Dbf {
            file: file.to_string(),
            bytes,
            descs,
            fields,
            encoding,
            encoding_source,
            n,
            header_len,
            record_len,
        })
    }

    /// Number of records (deleted ones included).
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Whether record `i` (0-based) is marked deleted.
    pub fn is_deleted(&self, i: usize) -> bool {
        self.bytes[self.header_len + i * self.record_len] == b'*'
    }

    /// Record `i` (0-based), `None` when it is marked deleted.
    ///
    /// # Errors
    /// A [`ReadError`] naming the record and field whose value cannot be read.
    pub fn record(&self, i: usize) -> Result<Option<Map<String, Value>>, ReadError> {
        let file = self.file.as_str();
        let encoding = self.encoding;
        let at = self.header_len + i * self.record_len;
        let r = &self.bytes[at..at + self.record_len];
        if r[0] == b'*' {
            return Ok(None);
        }
        let decode = |raw: &[u8], what: &dyn Fn() -> String| decode_text(file, encoding, raw, what);
        let (descs, fields) = (&self.descs, &self.fields);
        let mut m = Map::new();
        for (d, name) in descs.iter().zip(fields.iter()) {
            let raw = &r[d.offset..d.offset + d.len];
            let place = || format!("第 {} 条记录字段“{name}”", i + 1);
            let v = match d.kind {
                b'C' => {
                    // A field cut by its writer in the middle of a two-byte character ends in a
                    // lone lead byte: that half character is dropped (GDAL does the same);
                    // anything else undecodable is an error.
                    let s = match decode(raw, &place) {
                        Ok(s) => s,
                        Err(e) => match raw.split_last() {
                            Some((&last, head)) if last >= 0x81 && encoding != UTF_8 => {
                                decode(head, &place).map_err(|_| e)?
                            }
                            _ => return Err(e),
                        },
                    };
                    let s = s.trim_end_matches(['\0', ' ']).trim_start();
                    if s.is_empty() {
                        Value::Null
                    } else {
                        Value::String(s.to_string())
                    }
                }
                b'N' | b'F' => {
                    let s = String::from_utf8_lossy(raw);
                    let s = s.trim().trim_matches('\0');
                    if s.is_empty() || s.chars().all(|c| c == '*') {
                        Value::Null
                    } else if d.decimals == 0
                        && let Ok(i) = s.parse::<i64>()
                    {
                        Value::Number(i.into())
                    } else {
                        match s.parse::<f64>().ok().and_then(Number::from_f64) {
                            Some(x) => Value::Number(x),
                            None => {
                                return Err(ReadError::at(
                                    file,
                                    format!("{}的值“{s}”不是数", place()),
                                ));
                            }
                        }
                    }
                }
                b'D' => {
                    let s = String::from_utf8_lossy(raw);
                    let s = s.trim();
                    if s.is_empty() || s == "00000000" {
                        Value::Null
                    } else if s.len() == 8 && s.bytes().all(|c| c.is_ascii_digit()) {
                        Value::String(format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..]))
                    } else {
                        return Err(ReadError::at(
                            file,
                            format!("{}的日期“{s}”不是 YYYYMMDD", place()),
                        ));
                    }
                }
                b'L' => match raw.first() {
                    Some(b'T' | b't' | b'Y' | b'y') => Value::Bool(true),
                    Some(b'F' | b'f' | b'N' | b'n') => Value::Bool(false),
                    _ => Value::Null,
                },
                _ => Value::Null,
            };
            m.insert(name.clone(), v);
        }
        Ok(Some(m))
    }
}

/// A long field name and the ≤ 10-byte name written into the DBF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortName {
    /// The name as the product knows it.
    pub long: String,
    /// The DBF name (at most 10 bytes in the table's encoding).
    pub short: String,
}

/// Shortens names to at most 10 bytes in `encoding`, cutting only between characters, and
/// makes them unique (case-insensitively, as dBASE compares them) by replacing the tail
/// with `_2`, `_3`, ….
pub fn short_names(names: &[&str], encoding: &'static Encoding) -> Vec<ShortName> {
    fn cut(s: &str, encoding: &'static Encoding, max: usize) -> String {
        let mut out = String::new();
        for c in s.chars() {
            let mut t = out.clone();
            t.push(c);
            if encoding.encode(&t).0.len() > max {
                break;
            }
            out = t;
        }
        out
    }
    let mut used: Vec<String> = Vec::new();
    names
        .iter()
        .map(|&long| {
            let base = cut(long, encoding, 10);
            let mut short = base.clone();
            let mut k = 2;
            while used.iter().any(|u| u.eq_ignore_ascii_case(&short)) || short.is_empty() {
                let suffix = format!("_{k}");
                short = format!("{}{suffix}", cut(&base, encoding, 10 - suffix.len()));
                k += 1;
            }
            used.push(short.clone());
            ShortName {
                long: long.to_string(),
                short,
            }
        })
        .collect()
}

/// Writes a DBF of `fields` and `rows` in `encoding` (GBK or UTF-8), language-driver byte
/// 0x4D for GBK and 0 otherwise, with the short names of [`short_names`]. `date` is the
/// header's last-update date (year, month, day), zeros when `None`.
///
/// # Errors
/// [`WriteError`] when a row's length differs from the fields', a text does not fit 254
/// bytes, a text cannot be written in `encoding`, or a number does not fit its field.
pub fn write(
    fields: &[ExportField],
    rows: &[&[FieldValue]],
    encoding: &'static Encoding,
    date: Option<(u16, u8, u8)>,
) -> Result<(Vec<u8>, Vec<ShortName>), WriteError> {
    let names = short_names(
        &fields.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        encoding,
    );
    let enc = |s: &str, field: &str| -> Result<Vec<u8>, WriteError> {
        let (b, _, bad) = encoding.encode(s);
        if bad {
            return Err(WriteError(format!(
                "字段“{field}”的值“{s}”含 {} 无法表示的字符",
                encoding.name()
            )));
        }
        Ok(b.into_owned())
    };
    // (type, length, decimals) per field.
    let mut layout = Vec::with_capacity(fields.len());
    for (k, f) in fields.iter().enumerate() {
        let l = match f.kind {
            FieldKind::Text => {
                let mut w = 1;
                for r in rows {
                    if let Some(FieldValue::Text(s)) = r.get(k) {
                        w = w.max(enc(s, &f.name)?.len());
                    }
                }
                if w > 254 {
                    return Err(WriteError(format!("字段“{}”的值超过 254 字节", f.name)));
                }
                (b'C', w, 0u8)
            }
            FieldKind::Integer => (b'N', 18, 0),
            FieldKind::Real(d) => (b'N', 24, d.min(15)),
            FieldKind::Date => (b'D', 8, 0),
        };
        layout.push(l);
    }
    let record_len: usize = 1 + layout.iter().map(|l| l.1).sum::<usize>();
    let header_len = 32 + 32 * fields.len() + 1;
    let mut out = Vec::with_capacity(header_len + rows.len() * record_len + 1);
    let (y, m, d) = date.unwrap_or((1900, 0, 0));
    out.push(0x03);
    out.extend([(y.saturating_sub(1900)).min(255) as u8, m, d]);
    out.extend((rows.len() as u32).to_le_bytes());
    out.extend((header_len as u16).to_le_bytes());
    out.extend((record_len as u16).to_le_bytes());
    out.extend([0u8; 17]);
    out.push(if encoding == GBK { 0x4D } else { 0 });
    out.extend([0u8; 2]);
    for (n, l) in names.iter().zip(&layout) {
        let mut name = enc(&n.short, &n.long)?;
        name.resize(11, 0);
        out.extend(name);
        out.push(l.0);
        out.extend([0u8; 4]);
        out.push(l.1 as u8);
        out.push(l.2);
        out.extend([0u8; 14]);
    }
    out.push(0x0D);
    for r in rows {
        if r.len() != fields.len() {
            return Err(WriteError(format!(
                "一条记录有 {} 个值，应为 {} 个",
                r.len(),
                fields.len()
            )));
        }
        out.push(b' ');
        for ((v, f), l) in r.iter().zip(fields).zip(&layout) {
            let (kind, w, dec) = *l;
            let mut cell: Vec<u8> = match (kind, v) {
                (_, FieldValue::Null) => Vec::new(),
                (b'C', v) => enc(&v.display().unwrap_or_default(), &f.name)?,
                (b'D', FieldValue::Text(s)) => {
                    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
                    if digits.len() != 8 {
                        return Err(WriteError(format!(
                            "字段“{}”的日期“{s}”应为 YYYY-MM-DD",
                            f.name
                        )));
                    }
                    digits.into_bytes()
                }
                (b'N', FieldValue::Integer(i)) => format!("{i:>w$}").into_bytes(),
                (b'N', FieldValue::Real(x)) => format!("{x:>w$.p$}", p = dec as usize).into_bytes(),
                (_, other) => {
                    return Err(WriteError(format!(
                        "字段“{}”的值 {other:?} 与字段类型不符",
                        f.name
                    )));
                }
            };
            if cell.len() > w {
                return Err(WriteError(format!("字段“{}”的值超出字段宽度 {w}", f.name)));
            }
            if kind == b'N' && cell.len() < w {
                let mut padded = vec![b' '; w - cell.len()];
                padded.extend(cell);
                cell = padded;
            }
            cell.resize(w, b' ');
            out.extend(cell);
        }
    }
    out.push(0x1A);
    Ok((out, names))
}
