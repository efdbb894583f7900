//! Well-known binary geometry (OGC 06-103r4, ISO 13249-3 Z/M codes and the EWKB flag bits)
//! inside the GeoPackage binary header (OGC 12-128r18 §2.1.3: `GP`, version, flags, `srs_id`,
//! envelope). Polygons and lines are read with Z/M dropped; curves are a named problem.

use minplan_domain::layer::SourceGeometry;

/// A GeoPackage geometry blob decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct GpkgGeometry {
    /// `srs_id` of the header.
    pub srs_id: i32,
    /// The geometry (or why not).
    pub geometry: Result<SourceGeometry, String>,
    /// Whether Z or M values were dropped.
    pub had_z_or_m: bool,
}

struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
    zm: bool,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let s = self
            .b
            .get(self.at..self.at + n)
            .ok_or_else(|| format!("WKB 在第 {} 字节处意外结束", self.at))?;
        self.at += n;
        Ok(s)
    }
    fn u32(&mut self, le: bool) -> Result<u32, String> {
        let s: [u8; 4] = self.take(4)?.try_into().map_err(|_| "WKB 长度错误")?;
        Ok(if le {
            u32::from_le_bytes(s)
        } else {
            u32::from_be_bytes(s)
        })
    }
    fn f64(&mut self, le: bool) -> Result<f64, String> {
        let s: [u8; 8] = self.take(8)?.try_into().map_err(|_| "WKB 长度错误")?;
        Ok(if le {
            f64::from_le_bytes(s)
        } else {
            f64::from_be_bytes(s)
        })
    }
    /// Reads a count, refusing one larger than the bytes left could hold.
    fn count(&mut self, le: bool, min_item: usize) -> Result<usize, String> {
        let n = self.u32(le)? as usize;
        if n.saturating_mul(min_item) > self.b.len().saturating_sub(self.at) {
            return Err(format!("WKB 声明 {n} 个元素，超出剩余字节"));
        }
        Ok(n)
    }
}

/// One geometry: (base type, dimensions, little-endian).
fn head(c: &mut Cursor<'_>) -> Result<(u32, usize, bool), String> {
    let order = c.take(1)?[0];
    let le = match order {
        0 => false,
        1 => true,
        o => return Err(format!("WKB 字节序标记 {o} 无效")),
    };
    let raw = c.u32(le)?;
    let (mut t, mut dims) = (raw & 0x0FFF_FFFF, 2);
    if raw & 0x8000_0000 != 0 {
        dims += 1;
    }
    if raw & 0x4000_0000 != 0 {
        dims += 1;
    }
    match t / 1000 {
        1 | 2 => dims += 1,
        3 => dims += 2,
        _ => {}
    }
    t %= 1000;
    if dims > 2 {
        c.zm = true;
    }
    if raw & 0x2000_0000 != 0 {
        c.take(4)?; // EWKB SRID
    }
    Ok((t, dims, le))
}

fn ring(c: &mut Cursor<'_>, dims: usize, le: bool) -> Result<Vec<(f64, f64)>, String> {
    let n = c.count(le, 8 * dims)?;
    let mut r = Vec::with_capacity(n);
    for _ in 0..n {
        let x = c.f64(le)?;
        let y = c.f64(le)?;
        for _ in 2..dims {
            c.f64(le)?;
        }
        r.push((x, y));
    }
    Ok(r)
}

fn polygon(c: &mut Cursor<'_>, dims: usize, le: bool) -> Result<Vec<Vec<(f64, f64)>>, String> {
    let n = c.count(le, 4)?;
    (0..n).map(|_| ring(c, dims, le)).collect()
}

/// Collects the parts of one geometry into polygons / lines / a point count.
fn collect(
    c: &mut Cursor<'_>,
    polys: &mut Vec<Vec<Vec<(f64, f64)>>>,
    lines: &mut Vec<Vec<(f64, f64)>>,
    points: &mut usize,
) -> Result<(), String> {
    let (t, dims, le) = head(c)?;
    match t {
        1 => {
            for _ in 0..dims {
                c.f64(le)?;
            }
            *points += 1;
        }
        2 => lines.push(ring(c, dims, le)?),
        3 => {
            let p = polygon(c, dims, le)?;
            if !p.is_empty() {
                polys.push(p);
            }
        }
        4..=7 => {
            let n = c.count(le, 5)?;
            for _ in 0..n {
                collect(c, polys, lines, points)?;
            }
        }
        8..=12 => {
            return Err("曲线几何（CircularString、CurvePolygon 等）不受支持：请先转为折线".into());
        }
        15..=17 => return Err("多面体/TIN 几何不受支持".into()),
        other => return Err(format!("WKB 几何类型 {other} 不受支持")),
    }
    Ok(())
}

/// Decodes WKB (ISO or EWKB) into a [`SourceGeometry`] and whether Z/M were dropped.
pub fn read_wkb(b: &[u8]) -> (Result<SourceGeometry, String>, bool) {
    let mut c = Cursor {
        b,
        at: 0,
        zm: false,
    };
    let (mut polys, mut lines, mut points) = (Vec::new(), Vec::new(), 0);
    let r = collect(&mut c, &mut polys, &mut lines, &mut points).map(|()| {
        if !polys.is_empty() {
            SourceGeometry::Polygons(polys)
        } else if !lines.is_empty() {
            SourceGeometry::Lines(lines)
        } else if points > 0 {
            SourceGeometry::Points(points)
        } else {
            SourceGeometry::Empty
        }
    });
    (r, c.zm)
}

/// Decodes a GeoPackage geometry blob.
///
/// # Errors
/// A Chinese message when the blob is not a GeoPackage geometry (magic, version, envelope).
pub fn read_gpkg_blob(b: &[u8]) -> Result<GpkgGeometry, String> {
    if b.len() < 8 || &b[0..2] != b"GP" {
        return Err("几何字段不是 GeoPackage 几何（缺少“GP”标识）".into());
    }
    if b[2] != 0 {
        return Err(format!("GeoPackage 几何版本 {} 不受支持", b[2]));
    }
    let flags = b[3];
    let le = flags & 1 == 1;
    let srs: [u8; 4] = b[4..8].try_into().map_err(|_| "几何头不完整")?;
    let srs_id = if le {
        i32::from_le_bytes(srs)
    } else {
        i32::from_be_bytes(srs)
    };
    let env = match (flags >> 1) & 0x07 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        e => return Err(format!("GeoPackage 几何的包络类型 {e} 无效")),
    };
    if flags & 0x20 != 0 {
        return Err("扩展 GeoPackage 几何不受支持".into());
    }
    let wkb = b.get(8 + env..).ok_or("几何头的包络不完整")?;
    if flags & 0x10 != 0 {
        return Ok(GpkgGeometry {
            srs_id,
            geometry: Ok(SourceGeometry::Empty),
            had_z_or_m: false,
        });
    }
    let (geometry, had_z_or_m) = read_wkb(wkb);
    Ok(GpkgGeometry {
        srs_id,
        geometry,
        had_z_or_m,
    })
}

/// Encodes polygons as a GeoPackage blob (little-endian, XY envelope) holding a WKB
/// MultiPolygon; no polygons → an empty MultiPolygon with the empty flag.
pub fn gpkg_multipolygon(srs_id: i32, polys: &[Vec<Vec<(f64, f64)>>]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(b"GP");
    out.push(0);
    let empty = polys.iter().all(Vec::is_empty);
    out.push(if empty { 0b0001_0001 } else { 0b0000_0011 });
    out.extend(srs_id.to_le_bytes());
    if !empty {
        let mut b = [
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for q in polys.iter().flatten().flatten() {
            b = [b[0].min(q.0), b[1].max(q.0), b[2].min(q.1), b[3].max(q.1)];
        }
        for v in b {
            out.extend(v.to_le_bytes());
        }
    }
    out.push(1);
    out.extend(6u32.to_le_bytes());
    let polys: Vec<_> = polys.iter().filter(|p| !p.is_empty()).collect();
    out.extend((polys.len() as u32).to_le_bytes());
    for p in polys {
        out.push(1);
        out.extend(3u32.to_le_bytes());
        out.extend((p.len() as u32).to_le_bytes());
        for r in p {
            let closed = r.len() > 1 && r.first() == r.last();
            let n = r.len() + usize::from(!closed && !r.is_empty());
            out.extend((n as u32).to_le_bytes());
            for q in r.iter().chain((!closed).then(|| r.first()).flatten()) {
                out.extend(q.0.to_le_bytes());
                out.extend(q.1.to_le_bytes());
            }
        }
    }
    out
}

/// The envelope `(minx, maxx, miny, maxy)` of polygons, `None` when empty.
pub fn envelope(polys: &[Vec<Vec<(f64, f64)>>]) -> Option<[f64; 4]> {
    let mut it = polys.iter().flatten().flatten().peekable();
    it.peek()?;
    let mut b = [
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];
    for q in it {
        b = [b[0].min(q.0), b[1].max(q.0), b[2].min(q.1), b[3].max(q.1)];
    }
    Some(b)
}
