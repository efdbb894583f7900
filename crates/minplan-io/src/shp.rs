//! The geometry half of a Shapefile (`.shp` with its index `.shx`), read and written by the
//! ESRI Shapefile Technical Description (July 1998): a 100-byte header, records of
//! big-endian number/length and a little-endian shape. Polygon rings are grouped into
//! exteriors and holes by containment ([`group_rings`]), not by winding; Z and M values are
//! dropped (the caller notes it). Written polygons wind exteriors clockwise and holes
//! counter-clockwise, as the format asks.

use crate::{ReadError, WriteError};
use minplan_domain::layer::{SourceGeometry, group_rings};

/// Shape type codes.
const NULL: i32 = 0;
const POINT: [i32; 3] = [1, 11, 21];
const POLYLINE: [i32; 3] = [3, 13, 23];
const POLYGON: [i32; 3] = [5, 15, 25];
const MULTIPOINT: [i32; 3] = [8, 18, 28];

fn be32(b: &[u8], at: usize) -> i32 {
    i32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn le32(b: &[u8], at: usize) -> i32 {
    i32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}
fn le64f(b: &[u8], at: usize) -> f64 {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[at..at + 8]);
    f64::from_le_bytes(a)
}

/// A `.shp` read into records.
#[derive(Debug, Clone)]
pub struct Shapes {
    /// The header's shape type.
    pub shape_type: i32,
    /// One geometry (or a named problem) per record, in file order.
    pub records: Vec<Result<SourceGeometry, String>>,
    /// Whether any record carried Z or M values (dropped).
    pub had_z_or_m: bool,
}

fn header(file: &str, b: &[u8]) -> Result<i32, ReadError> {
    if b.len() < 100 || be32(b, 0) != 9994 {
        return Err(ReadError::at(file, "不是 Shapefile（文件头标识不是 9994）"));
    }
    if le32(b, 28) != 1000 {
        return Err(ReadError::at(
            file,
            format!("Shapefile 版本 {} 不是 1000", le32(b, 28)),
        ));
    }
    Ok(le32(b, 32))
}

/// The number of records a `.shx` indexes, after checking its header.
///
/// # Errors
/// A [`ReadError`] naming `file` when it is not a shape index.
pub fn shx_count(file: &str, b: &[u8]) -> Result<usize, ReadError> {
    header(file, b)?;
    if !(b.len() - 100).is_multiple_of(8) {
        return Err(ReadError::at(
            file,
            format!("索引文件长度 {} 字节不是 100 + 8×记录数", b.len()),
        ));
    }
    Ok((b.len() - 100) / 8)
}

/// Reads every record of a `.shp`.
///
/// # Errors
/// A [`ReadError`] naming `file` and the record when the header or a record's framing is
/// broken (a record's content beyond the file end, a wrong record number). A record whose
/// shape cannot be read is that record's problem, not an error.
pub fn read(file: &str, b: &[u8]) -> Result<Shapes, ReadError> {
    let (shape_type, index) = index(file, b)?;
    let mut had_z_or_m = false;
    let records = index
        .iter()
        .map(|&(at, len)| {
            let (g, zm) = shape(&b[at..at + len]);
            had_z_or_m |= zm;
            g
        })
        .collect();
    Ok(Shapes {
        shape_type,
        records,
        had_z_or_m,
    })
}

/// The header's shape type and each record's content as (byte offset, length), after
/// checking the framing of every record — nothing decoded.
///
/// # Errors
/// As [`read`].
pub fn index(file: &str, b: &[u8]) -> Result<(i32, Vec<(usize, usize)>), ReadError> {
    let shape_type = header(file, b)?;
    let mut out = Vec::new();
    let mut at = 100;
    while at + 8 <= b.len() {
        let number = be32(b, at);
        let words = be32(b, at + 4);
        let n = out.len() + 1;
        if words < 2 || at + 8 + words as usize * 2 > b.len() {
            return Err(ReadError::at(
                file,
                format!("第 {n} 条记录（字节 {at}）长度 {words} 字超出文件：文件不完整或损坏"),
            ));
        }
        if number as usize != n {
            return Err(ReadError::at(
                file,
                format!("第 {n} 条记录的记录号为 {number}"),
            ));
        }
        out.push((at + 8, words as usize * 2));
        at += 8 + words as usize * 2;
    }
    if at != b.len() {
        return Err(ReadError::at(
            file,
            format!(
                "文件末尾有 {} 个多余字节（第 {} 条记录之后）",
                b.len() - at,
                out.len()
            ),
        ));
    }
    Ok((shape_type, out))
}

/// Decodes one record's content (from [`index`]): its geometry or why not, and whether it
/// carried Z or M values (dropped).
pub fn decode(rec: &[u8]) -> (Result<SourceGeometry, String>, bool) {
    shape(rec)
}

/// One record's shape, and whether it carried Z or M values.
fn shape(rec: &[u8]) -> (Result<SourceGeometry, String>, bool) {
    let t = le32(rec, 0);
    let zm = t > 10;
    let g = if t == NULL {
        Ok(SourceGeometry::Empty)
    } else if POINT.contains(&t) {
        Ok(SourceGeometry::Points(1))
    } else if MULTIPOINT.contains(&t) {
        if rec.len() < 40 {
            Err("多点记录不完整".to_string())
        } else {
            Ok(SourceGeometry::Points(le32(rec, 36).max(0) as usize))
        }
    } else if POLYGON.contains(&t) || POLYLINE.contains(&t) {
        parts(rec).map(|rings| {
            if POLYGON.contains(&t) {
                SourceGeometry::Polygons(group_rings(rings))
            } else {
                SourceGeometry::Lines(rings)
            }
        })
    } else {
        Err(format!("几何类型代码 {t} 不受支持（应为面）"))
    };
    (g, zm)
}

fn parts(rec: &[u8]) -> Result<Vec<Vec<(f64, f64)>>, String> {
    if rec.len() < 44 {
        return Err("记录不完整".into());
    }
    let num_parts = le32(rec, 36);
    let num_points = le32(rec, 40);
    if num_parts < 0 || num_points < 0 {
        return Err("部件数或点数为负".into());
    }
    let (np, nn) = (num_parts as usize, num_points as usize);
    let pts_at = 44 + 4 * np;
    if rec.len() < pts_at + 16 * nn {
        return Err(format!("记录声明 {np} 个部件 {nn} 个点，长度不足"));
    }
    let starts: Vec<usize> = (0..np)
        .map(|k| le32(rec, 44 + 4 * k).max(0) as usize)
        .collect();
    let mut rings = Vec::with_capacity(np);
    for k in 0..np {
        let s = starts[k];
        let e = if k + 1 < np { starts[k + 1] } else { nn };
        if s > e || e > nn {
            return Err(format!("第 {} 个部件的起点 {s} 越界", k + 1));
        }
        rings.push(
            (s..e)
                .map(|i| (le64f(rec, pts_at + 16 * i), le64f(rec, pts_at + 16 * i + 8)))
                .collect(),
        );
    }
    Ok(rings)
}

/// Signed shoelace area (positive = counter-clockwise in x-right, y-up).
fn signed_area(r: &[(f64, f64)]) -> f64 {
    let n = r.len();
    (0..n)
        .map(|i| {
            let (a, b) = (r[i], r[(i + 1) % n]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum::<f64>()
        / 2.0
}

/// Writes polygon records (shape type 5) as `.shp` and `.shx` bytes. Each feature is a list
/// of polygons, each a list of rings `(x, y)` (exterior first); rings are closed and wound as
/// the format asks (exteriors clockwise). A feature without polygons is a null shape.
///
/// # Errors
/// [`WriteError`] when a coordinate is not finite or the file would exceed 2 GiB.
pub fn write_polygons(
    features: &[Vec<crate::export::PlanePolygon>],
) -> Result<(Vec<u8>, Vec<u8>), WriteError> {
    let mut shp = vec![0u8; 100];
    let mut shx = vec![0u8; 100];
    let mut bbox = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for (i, polys) in features.iter().enumerate() {
        let mut rings: Vec<Vec<(f64, f64)>> = Vec::new();
        for p in polys {
            for (k, r) in p.iter().enumerate() {
                let mut r = r.clone();
                if r.len() > 1 && r.first() != r.last() {
                    r.push(r[0]);
                }
                if r.iter().any(|q| !(q.0.is_finite() && q.1.is_finite())) {
                    return Err(WriteError(format!("第 {} 个要素的坐标不是有限数", i + 1)));
                }
                let cw = signed_area(&r) < 0.0;
                if (k == 0) != cw {
                    r.reverse();
                }
                rings.push(r);
            }
        }
        let offset_words = (shp.len() / 2) as i32;
        let content: Vec<u8> = if rings.is_empty() {
            NULL.to_le_bytes().to_vec()
        } else {
            let n: usize = rings.iter().map(Vec::len).sum();
            let mut c = Vec::with_capacity(44 + 4 * rings.len() + 16 * n);
            c.extend(POLYGON[0].to_le_bytes());
            let mut b = [
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ];
            for q in rings.iter().flatten() {
                b = [b[0].min(q.0), b[1].min(q.1), b[2].max(q.0), b[3].max(q.1)];
            }
            for v in b {
                c.extend(v.to_le_bytes());
            }
            bbox = [
                bbox[0].min(b[0]),
                bbox[1].min(b[1]),
                bbox[2].max(b[2]),
                bbox[3].max(b[3]),
            ];
            c.extend((rings.len() as i32).to_le_bytes());
            c.extend((n as i32).to_le_bytes());
            let mut start = 0i32;
            for r in &rings {
                c.extend(start.to_le_bytes());
                start += r.len() as i32;
            }
            for q in rings.iter().flatten() {
                c.extend(q.0.to_le_bytes());
                c.extend(q.1.to_le_bytes());
            }
            c
        };
        let words = (content.len() / 2) as i32;
        shp.extend(((i + 1) as i32).to_be_bytes());
        shp.extend(words.to_be_bytes());
        shp.extend(content);
        shx.extend(offset_words.to_be_bytes());
        shx.extend(words.to_be_bytes());
        if shp.len() > i32::MAX as usize {
            return Err(WriteError("Shapefile 超过 2 GiB 的格式上限".into()));
        }
    }
    if !bbox[0].is_finite() {
        bbox = [0.0; 4];
    }
    for buf in [&mut shp, &mut shx] {
        let total = (buf.len() / 2) as i32;
        buf[0..4].copy_from_slice(&9994i32.to_be_bytes());
        buf[24..28].copy_from_slice(&total.to_be_bytes());
        buf[28..32].copy_from_slice(&1000i32.to_le_bytes());
        buf[32..36].copy_from_slice(&POLYGON[0].to_le_bytes());
        for (k, v) in bbox.iter().enumerate() {
            buf[36 + 8 * k..44 + 8 * k].copy_from_slice(&v.to_le_bytes());
        }
    }
    Ok((shp, shx))
}
