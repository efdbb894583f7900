//! Any other vector source GDAL/OGR opens — File Geodatabase (`.gdb`, zipped) first — read
//! through the GDAL bindings (crate `gdal`, MIT, georust). Only with the optional feature
//! `gdal` (off by default: the default build and `serve` need nothing but Rust; with it the
//! machine needs libgdal, Debian `libgdal-dev`). The bytes go to GDAL's in-memory file system
//! (`/vsimem/`, a zip read through `/vsizip/`), never to disk; geometry comes back as WKB and
//! is read by [`crate::wkb`], the CRS as WKT read by [`crate::prj`], so every check of the other
//! readers applies.

use crate::{ReadError, prj, wkb};
use gdal::Dataset;
use gdal::vector::LayerAccess;
use minplan_domain::layer::{SourceFeature, SourceGeometry, SourceLayer, display_name};
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicU64, Ordering};

static NEXT: AtomicU64 = AtomicU64::new(0);

/// Reads one polygon layer (`layer`, or the only polygon layer) of an OGR source given as
/// the bytes of `file`: a zip holding a `.gdb` folder (or any single-file source GDAL opens).
///
/// # Errors
/// [`ReadError`] naming the file when GDAL cannot open it, the layer does not exist, several
/// polygon layers exist and none is named, or the CRS is not CGCS2000.
pub fn read_ogr(
    file: &str,
    bytes: &[u8],
    layer: Option<&str>,
    id_property: Option<&str>,
) -> Result<SourceLayer, ReadError> {
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let lower = file.to_ascii_lowercase();
    let mem = format!(
        "/vsimem/minplan-{}-{n}/{}",
        std::process::id(),
        if lower.ends_with(".zip") {
            "source.zip"
        } else {
            file
        }
    );
    gdal::vsi::create_mem_file(&mem, bytes.to_vec())
        .map_err(|e| ReadError::at(file, format!("GDAL 无法读取：{e}")))?;
    let result = open_and_read(file, &mem, &lower, layer, id_property);
    let _ = gdal::vsi::unlink_mem_file(&mem);
    result
}

fn open_and_read(
    file: &str,
    mem: &str,
    lower: &str,
    layer: Option<&str>,
    id_property: Option<&str>,
) -> Result<SourceLayer, ReadError> {
    let path = if lower.ends_with(".zip") {
        // The .gdb folder inside the zip.
        let inner = gdal::vsi::read_dir(format!("/vsizip/{mem}"), true)
            .map_err(|e| ReadError::at(file, format!("GDAL 无法读取压缩包：{e}")))?
            .into_iter()
            .map(|p| p.to_string_lossy().into_owned())
            .find_map(|p| {
                let l = p.to_ascii_lowercase();
                l.find(".gdb").map(|k| p[..k + 4].to_string())
            })
            .ok_or_else(|| ReadError::at(file, "压缩包中没有 .gdb 文件夹"))?;
        format!("/vsizip/{mem}/{inner}")
    } else {
        mem.to_string()
    };
    let ds =
        Dataset::open(&path).map_err(|e| ReadError::at(file, format!("GDAL 无法打开：{e}")))?;
    let names: Vec<String> = ds.layers().map(|l| l.name()).collect();
    let polygonal = |l: &gdal::vector::Layer<'_>| {
        let t = l.defn().geom_fields().next().map_or(0, |g| g.field_type());
        // OGRwkbGeometryType: the 2.5D flag in the high bit, ISO Z/M/ZM as +1000/2000/3000.
        let base = (t & 0x7FFF_FFFF) % 1000;
        matches!(base, 3 | 6 | 10 | 12 | 0) // polygon, multipolygon, curve polygon, multisurface, unknown
    };
    let mut lyr = match layer {
        Some(want) => ds.layer_by_name(want).map_err(|_| {
            ReadError::at(
                file,
                format!("没有图层“{want}”；图层有：{}", names.join("、")),
            )
        })?,
        None => {
            let polys: Vec<String> = ds
                .layers()
                .filter(|l| polygonal(l))
                .map(|l| l.name())
                .collect();
            match polys.as_slice() {
                [one] => ds.layer_by_name(one).map_err(|e| ReadError::at(file, e))?,
                [] => {
                    return Err(ReadError::at(
                        file,
                        format!("没有面图层；图层有：{}", names.join("、")),
                    ));
                }
                _ => {
                    return Err(ReadError::at(
                        file,
                        format!("有多个面图层，请指定一个：{}", polys.join("、")),
                    ));
                }
            }
        }
    };
    let mut notes = vec![format!(
        "格式：{}（GDAL），图层“{}”",
        ds.driver().long_name(),
        lyr.name()
    )];
    let crs = match lyr.spatial_ref() {
        None => {
            notes.push("图层没有声明坐标系：坐标系须指定，不作猜测".into());
            None
        }
        Some(srs) => {
            let wkt = srs.to_wkt().map_err(|e| ReadError::at(file, e))?;
            let p = prj::parse(&wkt).map_err(|m| ReadError::at(file, m))?;
            notes.push(format!("坐标系：EPSG:{}（来自图层定义）", p.crs.epsg()));
            notes.extend(p.note);
            Some(p.crs)
        }
    };
    let mut features = Vec::new();
    let mut zm = false;
    for (k, f) in lyr.features().enumerate() {
        let mut props = Map::new();
        for (name, value) in f.fields() {
            use gdal::vector::FieldValue as F;
            let v = match value {
                None => Value::Null,
                Some(F::IntegerValue(i)) => Value::from(i),
                Some(F::Integer64Value(i)) => Value::from(i),
                Some(F::RealValue(x)) => {
                    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
                }
                Some(F::StringValue(s)) => Value::String(s),
                Some(F::DateValue(d)) => Value::String(d.to_string()),
                Some(F::DateTimeValue(d)) => Value::String(d.to_string()),
                Some(other) => Value::String(format!("{other:?}")),
            };
            props.insert(name, v);
        }
        let geometry = match f.geometry() {
            None => Ok(SourceGeometry::Empty),
            Some(g) => match g.wkb() {
                Ok(b) => {
                    let (g, z) = wkb::read_wkb(&b);
                    zm |= z;
                    g
                }
                Err(e) => Err(format!("GDAL 无法导出几何：{e}")),
            },
        };
        let id = id_property
            .and_then(|p| props.get(p))
            .filter(|v| !v.is_null())
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .or_else(|| f.fid().map(|i| i.to_string()))
            .unwrap_or_else(|| format!("#{}", k + 1));
        features.push(SourceFeature {
            id,
            name: display_name(&props),
            line: None,
            geometry,
            properties: props,
        });
    }
    if zm {
        notes.push("几何带有 Z/M 值，已舍去（只用平面坐标）".into());
    }
    Ok(SourceLayer {
        crs,
        features,
        notes,
    })
}
