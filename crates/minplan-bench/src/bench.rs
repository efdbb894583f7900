//! The review benchmark (`BENCHMARKS.md`) on a synthetic county (or on layers given as GeoJSON
//! files, so that it can run side by side with PostGIS on identical data).
//!
//! Measures: index build; one full review (all fifteen rules and every overlap, not the DOCX)
//! per application, p50/p99; all existing rights re-reviewed on N threads; peak memory; and,
//! as the same-run baseline, a naive overlay (every feature whose box meets the application,
//! no R-tree, no subdivision, no containment shortcuts) on a sample. Writes the overlap areas
//! per application and feature to a CSV.

use crate::synth::{self, SynthSizes};
use anyhow::Context;
use clap::Parser;
use geo::algorithm::bool_ops::BooleanOps;
use geo::{Area, BoundingRect, Coord, LineString, MultiPolygon, Polygon};
use minplan_domain::application::{Application, Quantity, RightKind, parse_application};
use minplan_domain::bundle::load_bundle;
use minplan_domain::plan::{ControlLayerKind, Plan};
use minplan_domain::review::config::{ReviewConfig, ScaleTable};
use minplan_domain::review::indicators::RegisterStats;
use minplan_domain::review::spatial::{PlaneFeature, PlaneLayer, SpatialIndex};
use minplan_domain::review::{Facts, PlanRef, ReviewContext, facts, review};
use minplan_domain::rights::{HolderLists, MiningRight, RightStatus};
use minplan_domain::units::Unit;
use minplan_geo::overlay::{FeatureOverlap, OverlapClass, OverlapOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// 审查性能测试（合成县域或给定图层；用 --release 运行）
#[derive(Parser)]
#[command(
    name = "minplan-bench",
    version,
    about = "审查性能测试（合成县域或给定图层；用 --release 运行）"
)]
pub struct BenchArgs {
    /// 随机种子
    #[arg(long, default_value_t = 20261130)]
    seed: u64,
    /// 永久基本农田图斑数
    #[arg(long, default_value_t = 300_000)]
    parcels: usize,
    /// 生态保护红线图斑数（约 5000 个顶点）
    #[arg(long, default_value_t = 500)]
    red_lines: usize,
    /// 其中约 10 万个顶点的图斑数
    #[arg(long, default_value_t = 3)]
    huge_red_lines: usize,
    /// 现有矿业权数
    #[arg(long, default_value_t = 2_000)]
    rights: usize,
    /// 申请数
    #[arg(long, default_value_t = 1_000)]
    applications: usize,
    /// 重审矿业权所用线程数
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// 朴素基线（同次运行）抽样的申请数
    #[arg(long, default_value_t = 50)]
    baseline_sample: usize,
    /// 把合成图层写成 GeoJSON（EPSG:4532）到此目录，便于与 PostGIS 对比
    #[arg(long)]
    write_layers: Option<PathBuf>,
    /// 从此目录读取图层（farmland/red_lines/urban/corridors/rights/applications.geojson，EPSG:4532）
    #[arg(long)]
    layers: Option<PathBuf>,
    /// 另行输出每件的耗时分解（叠加、规则、指标）与最慢的几件
    #[arg(long)]
    breakdown: bool,
    /// 各件与各图层的叠加个数与面积 CSV（PostGIS 对比工具的列；矿业权重审另写 *-rights.csv）
    #[arg(long, default_value = "target/bench-overlaps.csv")]
    csv: PathBuf,
    /// 计时重复次数（报中位数与最小–最大）
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// PostGIS 对比工具的结果目录（overlaps_applications.csv、overlaps_rights.csv），逐件比对面积与个数
    #[arg(long)]
    reference: Option<PathBuf>,
    /// 把各项数字写成 JSON
    #[arg(long)]
    json: Option<PathBuf>,
    /// 只写出图层（--write-layers）不测试
    #[arg(long)]
    write_only: bool,
}

const ZONE_PREFIX: f64 = 44_000_000.0;

fn mp_from_ring(ring: &[(f64, f64)]) -> MultiPolygon<f64> {
    let mut c: Vec<Coord<f64>> = ring.iter().map(|&(x, y)| Coord { x, y }).collect();
    c.push(c[0]);
    MultiPolygon(vec![Polygon::new(LineString(c), vec![])])
}

/// One layer as GeoJSON in gen_county.py's shape: feature `id` and `properties.fid` are the
/// layer's ids when they are integers (else 1, 2, …), EPSG:4532 with the zone prefix, mm.
fn write_geojson(path: &Path, features: &[(String, MultiPolygon<f64>)]) -> anyhow::Result<()> {
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("无法写入 {}", path.display()))?,
    );
    writeln!(
        f,
        "{{\"type\":\"FeatureCollection\",\"crs\":{{\"type\":\"name\",\"properties\":{{\"name\":\"urn:ogc:def:crs:EPSG::4532\"}}}},\"features\":["
    )?;
    for (i, (id, mp)) in features.iter().enumerate() {
        let fid = id.parse::<u64>().unwrap_or(i as u64 + 1);
        if i > 0 {
            write!(f, ",")?;
        }
        let multi = mp.0.len() > 1;
        write!(
            f,
            "{{\"type\":\"Feature\",\"id\":{fid},\"properties\":{{\"fid\":{fid}}},\"geometry\":{{\"type\":\"{}\",\"coordinates\":",
            if multi { "MultiPolygon" } else { "Polygon" }
        )?;
        if multi {
            write!(f, "[")?;
        }
        for (pi, p) in mp.0.iter().enumerate() {
            if pi > 0 {
                write!(f, ",")?;
            }
            write!(f, "[")?;
            for (ri, r) in std::iter::once(p.exterior())
                .chain(p.interiors())
                .enumerate()
            {
                if ri > 0 {
                    write!(f, ",")?;
                }
                write!(f, "[")?;
                for (k, c) in r.0.iter().enumerate() {
                    if k > 0 {
                        write!(f, ",")?;
                    }
                    write!(f, "[{:.3},{:.3}]", c.x + ZONE_PREFIX, c.y)?;
                }
                write!(f, "]")?;
            }
            write!(f, "]")?;
        }
        if multi {
            write!(f, "]")?;
        }
        writeln!(f, "}}}}")?;
    }
    writeln!(f, "]}}")?;
    Ok(())
}

/// Coordinates of any nesting, decided by the first element of each array: numbers make a
/// position, positions a ring, rings a polygon, polygons a multipolygon. Built directly from
/// the parser's events (no JSON DOM of the file).
enum Nested {
    Num(f64),
    Pos(Coord<f64>),
    Ring(Vec<Coord<f64>>),
    Poly(Vec<Vec<Coord<f64>>>),
    Multi(Vec<Vec<Vec<Coord<f64>>>>),
}

impl<'de> serde::Deserialize<'de> for Nested {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Nested;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("GeoJSON coordinates")
            }
            fn visit_f64<E>(self, v: f64) -> Result<Nested, E> {
                Ok(Nested::Num(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Nested, E> {
                Ok(Nested::Num(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Nested, E> {
                Ok(Nested::Num(v as f64))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut s: A) -> Result<Nested, A::Error> {
                use serde::de::Error;
                let Some(first) = s.next_element::<Nested>()? else {
                    return Ok(Nested::Ring(Vec::new()));
                };
                match first {
                    Nested::Num(x) => {
                        let y = match s.next_element::<Nested>()? {
                            Some(Nested::Num(y)) => y,
                            _ => return Err(A::Error::custom("坐标位置须至少有两个数")),
                        };
                        while s.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                        Ok(Nested::Pos(Coord { x, y }))
                    }
                    Nested::Pos(c) => {
                        let mut v = vec![c];
                        while let Some(e) = s.next_element::<Nested>()? {
                            match e {
                                Nested::Pos(c) => v.push(c),
                                _ => return Err(A::Error::custom("环中混有非坐标位置")),
                            }
                        }
                        Ok(Nested::Ring(v))
                    }
                    Nested::Ring(r) => {
                        let mut v = vec![r];
                        while let Some(e) = s.next_element::<Nested>()? {
                            match e {
                                Nested::Ring(r) => v.push(r),
                                _ => return Err(A::Error::custom("多边形中混有非环")),
                            }
                        }
                        Ok(Nested::Poly(v))
                    }
                    Nested::Poly(p) => {
                        let mut v = vec![p];
                        while let Some(e) = s.next_element::<Nested>()? {
                            match e {
                                Nested::Poly(p) => v.push(p),
                                _ => return Err(A::Error::custom("多多边形中混有非多边形")),
                            }
                        }
                        Ok(Nested::Multi(v))
                    }
                    Nested::Multi(_) => Err(A::Error::custom("坐标嵌套过深")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A feature's identifier as written: a string or an integer.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum IdValue {
    Text(String),
    Int(i64),
}

impl IdValue {
    fn text(self) -> String {
        match self {
            IdValue::Text(s) => s,
            IdValue::Int(i) => i.to_string(),
        }
    }
}

#[derive(serde::Deserialize, Default)]
struct Props {
    #[serde(default)]
    id: Option<IdValue>,
    #[serde(default)]
    fid: Option<IdValue>,
}

#[derive(serde::Deserialize)]
struct Geom {
    #[serde(rename = "type")]
    kind: String,
    coordinates: Nested,
}

#[derive(serde::Deserialize)]
struct Feat {
    #[serde(default)]
    id: Option<IdValue>,
    #[serde(default)]
    properties: Option<Props>,
    geometry: Option<Geom>,
}

#[derive(serde::Deserialize)]
struct Collection {
    features: Vec<Feat>,
}

/// A layer read from a GeoJSON file in EPSG:4532 (x = easting with or without the zone
/// prefix 44, y = northing, metres). Each feature's id is `properties.id`, else
/// `properties.fid`, else the feature's `id`; a feature with none, an empty or repeated id,
/// a geometry other than (Multi)Polygon, or a ring of fewer than four positions is refused,
/// naming the file and the feature's position.
fn read_geojson(path: &Path) -> anyhow::Result<Vec<(String, MultiPolygon<f64>)>> {
    let bytes = std::fs::read(path).with_context(|| format!("无法读取 {}", path.display()))?;
    let fc: Collection = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} 不是可读的 GeoJSON 要素集", path.display()))?;
    drop(bytes);
    let mut seen = std::collections::HashSet::with_capacity(fc.features.len());
    let mut out = Vec::with_capacity(fc.features.len());
    for (i, f) in fc.features.into_iter().enumerate() {
        let at = || format!("{}：第 {} 个要素", path.display(), i + 1);
        let props = f.properties.unwrap_or_default();
        let id = props
            .id
            .or(props.fid)
            .or(f.id)
            .map(IdValue::text)
            .filter(|s| !s.trim().is_empty())
            .with_context(|| format!("{} 没有标识（properties.id、properties.fid 或 id）", at()))?;
        if !seen.insert(id.clone()) {
            anyhow::bail!("{} 的标识 {id} 与前面的要素重复", at());
        }
        let g = f
            .geometry
            .with_context(|| format!("{}（{id}）没有几何", at()))?;
        let polys = match (g.kind.as_str(), g.coordinates) {
            ("Polygon", Nested::Poly(p)) => vec![p],
            ("MultiPolygon", Nested::Multi(m)) => m,
            (kind, _) => anyhow::bail!("{}（{id}）的几何类型 {kind} 不受支持或坐标嵌套不符", at()),
        };
        let mut mp = Vec::with_capacity(polys.len());
        for rings in polys {
            let mut rings = rings.into_iter().map(|mut r| {
                for c in &mut r {
                    if c.x > 1e7 {
                        c.x -= ZONE_PREFIX;
                    }
                }
                if let (Some(&a), Some(&b)) = (r.first(), r.last())
                    && a != b
                {
                    r.push(a);
                }
                LineString(r)
            });
            let Some(ext) = rings.next() else { continue };
            let holes: Vec<LineString<f64>> = rings.collect();
            if ext.0.len() < 4 || holes.iter().any(|h| h.0.len() < 4) {
                anyhow::bail!("{}（{id}）有少于三个点的环", at());
            }
            mp.push(Polygon::new(ext, holes));
        }
        out.push((id, MultiPolygon(mp)));
    }
    Ok(out)
}

fn ring_of(mp: &MultiPolygon<f64>) -> Vec<(f64, f64)> {
    let r = &mp.0[0].exterior().0;
    r[..r.len() - 1].iter().map(|c| (c.x, c.y)).collect()
}

/// MNR 报盘 text of a ring (E, N without prefix).
fn corners_text(ring: &[(f64, f64)]) -> String {
    let mut s = String::from("拐点,X(起标高),Y(止标高)\n");
    for (k, (e, n)) in ring.iter().enumerate() {
        s += &format!("{},{:.3},{:.3}, , ,\n", k + 1, n, ZONE_PREFIX + e);
    }
    s += "*,500,400,采区,1,\n";
    s
}

fn application(
    number: &str,
    kind: &str,
    existing: Option<&str>,
    ring: &[(f64, f64)],
    plan: &Plan,
) -> anyhow::Result<Application> {
    let extra = existing
        .map(|e| format!("existing_right = \"{e}\"\n"))
        .unwrap_or_default();
    let toml = format!(
        "format = \"minplan-application/1\"\nnumber = \"{number}\"\nkind = \"{kind}\"\n{extra}right_kind = \"采矿权\"\nproject_name = \"合成申请 {number}\"\nminerals = [\"建筑用石\"]\nmining_method = \"露天\"\ncapacity = {{ value = 6, unit = \"万立方米/年\" }}\nreserves = {{ value = 48, unit = \"万立方米\" }}\n\n[holder]\nname = \"合成申请人\"\ncredit_code = \"91231081MA1BQF0013\"\n\n[grant]\nmethod = \"挂牌\"\n\n[documents]\ndevelopment_plan = true\nrestoration_plan = true\ngreen_mine_commitment = true\n\n[coordinates]\ntext = \"\"\"\n{}\"\"\"\n",
        corners_text(ring)
    );
    parse_application(&toml, None, &plan.minerals, plan.region.zone, None)
        .map_err(|e| anyhow::anyhow!("{number}: {e}"))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx]
}

/// Naive overlay of one application with every feature (linear scan, box test, clip).
fn naive_overlaps(app: &MultiPolygon<f64>, layers: &[&[(String, MultiPolygon<f64>)]]) -> f64 {
    let Some(ab) = app.bounding_rect() else {
        return 0.0;
    };
    let mut total = 0.0;
    for layer in layers {
        for (_, mp) in layer.iter() {
            let Some(b) = mp.bounding_rect() else {
                continue;
            };
            if b.min().x > ab.max().x
                || b.max().x < ab.min().x
                || b.min().y > ab.max().y
                || b.max().y < ab.min().y
            {
                continue;
            }
            total += app.intersection(mp).unsigned_area();
        }
    }
    total
}

type Layer = Vec<(String, MultiPolygon<f64>)>;

/// The county's layers, (easting, northing) metres in zone 44 without the prefix.
struct County {
    farmland: Layer,
    red_lines: Layer,
    urban: Layer,
    corridors: Layer,
    rights: Layer,
    apps: Layer,
}

/// The first of `names` (`NAME.geojson`) that exists in `dir`.
fn layer_file(dir: &Path, names: &[&str]) -> Option<PathBuf> {
    names
        .iter()
        .map(|n| dir.join(format!("{n}.geojson")))
        .find(|p| p.is_file())
}

/// Reads a county directory as `gen_county.py --geojson` writes it (`farmland`, `red_line`,
/// `rights`, `applications`) or as `--write-layers` does (the same names plus `urban`,
/// `corridors`; `red_lines` also taken). Farmland and red lines are read on two threads.
fn read_county(dir: &Path) -> anyhow::Result<County> {
    let need = |names: &[&str]| {
        layer_file(dir, names).with_context(|| {
            format!(
                "{} 中没有 {}.geojson",
                dir.display(),
                names.join(".geojson 或 ")
            )
        })
    };
    let optional = |names: &[&str]| -> anyhow::Result<Layer> {
        match layer_file(dir, names) {
            Some(p) => read_geojson(&p),
            None => Ok(Vec::new()),
        }
    };
    let (farm_p, red_p) = (need(&["farmland"])?, need(&["red_line", "red_lines"])?);
    let (rights_p, apps_p) = (need(&["rights"])?, need(&["applications"])?);
    let (farmland, red_lines) = std::thread::scope(|s| {
        let h = s.spawn(|| read_geojson(&red_p));
        let farmland = read_geojson(&farm_p);
        (farmland, h.join().expect("reader thread"))
    });
    Ok(County {
        farmland: farmland?,
        red_lines: red_lines?,
        urban: optional(&["urban"])?,
        corridors: optional(&["corridors"])?,
        rights: read_geojson(&rights_p)?,
        apps: read_geojson(&apps_p)?,
    })
}

/// Writes the county in the shape `gen_county.py --geojson` writes (feature `id` and
/// `properties.fid` = 1, 2, …; EPSG:4532 with the zone prefix, millimetres), so that the
/// PostGIS harness can load minplan's own county too.
fn write_county(dir: &Path, c: &County) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建 {}", dir.display()))?;
    for (name, layer) in [
        ("farmland", &c.farmland),
        ("red_line", &c.red_lines),
        ("urban", &c.urban),
        ("corridors", &c.corridors),
        ("rights", &c.rights),
        ("applications", &c.apps),
    ] {
        write_geojson(&dir.join(format!("{name}.geojson")), layer)?;
    }
    Ok(())
}

fn status_mib(key: &str) -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(key))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Count and summed area of one subject against one layer, the PostGIS harness's way:
/// every feature that shares area; features that only touch are listed apart.
#[derive(Default, Clone)]
struct LayerSum {
    n: usize,
    area: f64,
    touching: Vec<String>,
}

/// The four layers of the PostGIS harness, in its CSV order.
const CMP_LAYERS: [&str; 4] = ["farmland", "red_line", "rights", "applications"];

/// One subject's row: its own plane area and the four layers' sums.
struct CmpRow {
    id: String,
    area: f64,
    layers: [LayerSum; 4],
}

fn compare_row(id: &str, f: &Facts<'_>, ctx: &ReviewContext<'_>) -> CmpRow {
    let opts = OverlapOptions {
        touch_width_m: ctx.config.touch_width_m,
        sliver_area_m2: ctx.config.sliver_area_m2,
        want_geometry: false,
        detect_touching: true,
    };
    let sum = |hits: &[FeatureOverlap], name: &dyn Fn(usize) -> Option<String>| {
        let mut s = LayerSum::default();
        for h in hits {
            let Some(n) = name(h.feature) else { continue };
            if h.class == OverlapClass::Touching {
                s.touching.push(n);
            } else {
                s.n += 1;
                s.area += h.area_m2;
            }
        }
        s
    };
    let control = |kind: ControlLayerKind| match ctx.spatial.control_layer(kind) {
        Some(l) => sum(&l.layer.overlaps(&f.subject, &opts), &|i| {
            Some(l.features[i].0.clone())
        }),
        None => LayerSum::default(),
    };
    let own: Vec<&str> = [Some(f.app.number.as_str()), f.app.existing_right.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let hits = ctx.spatial.rights.overlaps(&f.subject, &opts);
    let of = |prefix: &'static str| {
        let own = own.clone();
        move |i: usize| {
            let rid = ctx.rights[i].id.as_str();
            (!own.contains(&rid))
                .then(|| rid.strip_prefix(prefix).map(str::to_string))
                .flatten()
        }
    };
    CmpRow {
        id: id.to_string(),
        area: f.area_m2,
        layers: [
            control(ControlLayerKind::PermanentBasicFarmland),
            control(ControlLayerKind::EcologicalRedLine),
            sum(&hits, &of("R-")),
            sum(&hits, &of("A-")),
        ],
    }
}

fn write_compare_csv(path: &Path, rows: &[CmpRow]) -> anyhow::Result<()> {
    let mut w = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("无法写入 {}", path.display()))?,
    );
    write!(w, "id,area_m2")?;
    for l in CMP_LAYERS {
        write!(w, ",{l}_n,{l}_area_m2,{l}_touching")?;
    }
    writeln!(w)?;
    for r in rows {
        write!(w, "{},{:?}", r.id, r.area)?;
        for s in &r.layers {
            write!(w, ",{},{:?},{}", s.n, s.area, s.touching.join(" "))?;
        }
        writeln!(w)?;
    }
    w.flush()?;
    Ok(())
}

/// The agreement of minplan's rows with the PostGIS harness's CSV.
#[derive(Default)]
struct Agreement {
    rows: usize,
    /// Area differences beyond max(1e-6 relative, 0.01 m²).
    area_mismatches: Vec<String>,
    /// Count differences not explained by features that only touch.
    count_mismatches: Vec<String>,
    /// Count differences explained by touching features (listed).
    touching: Vec<String>,
    missing: Vec<String>,
    worst_rel: f64,
    worst_abs: f64,
}

impl Agreement {
    fn ok(&self) -> bool {
        self.rows > 0
            && self.area_mismatches.is_empty()
            && self.count_mismatches.is_empty()
            && self.missing.is_empty()
    }
}

/// Reads the harness's `overlaps_*.csv` (id, kind, area_m2, then `<layer>_n`,
/// `<layer>_area_m2` per layer) and compares. Tolerance: areas within 1e-6 relative or
/// 0.01 m², whichever is larger (issue 17); counts equal, or PostGIS's larger by no more than
/// the features minplan reports as touching (boundaries that meet or come within the touch
/// width), which are listed.
fn compare_with(reference: &Path, rows: &[CmpRow], agr: &mut Agreement) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(reference)
        .with_context(|| format!("无法读取 {}", reference.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().context("参照 CSV 为空")?.split(',').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .with_context(|| format!("{} 缺少列 {name}", reference.display()))
    };
    let id_col = col("id")?;
    let area_col = col("area_m2")?;
    let mut cols = Vec::new();
    for l in CMP_LAYERS {
        cols.push((col(&format!("{l}_n"))?, col(&format!("{l}_area_m2"))?));
    }
    let mine: std::collections::HashMap<&str, &CmpRow> =
        rows.iter().map(|r| (r.id.as_str(), r)).collect();
    let within = |a: f64, b: f64| (a - b).abs() <= (1e-6 * b.abs()).max(0.01);
    for (k, line) in lines.enumerate() {
        let f: Vec<&str> = line.split(',').collect();
        let get = |i: usize| -> anyhow::Result<&str> {
            f.get(i)
                .copied()
                .with_context(|| format!("{} 第 {} 行缺列", reference.display(), k + 2))
        };
        let id = get(id_col)?;
        let Some(r) = mine.get(id) else {
            agr.missing.push(id.to_string());
            continue;
        };
        agr.rows += 1;
        let mut check_area = |what: &str, x: f64, y: f64| {
            let d = (x - y).abs();
            agr.worst_abs = agr.worst_abs.max(d);
            if y.abs() > 1.0 {
                agr.worst_rel = agr.worst_rel.max(d / y.abs());
            }
            if !within(x, y) {
                agr.area_mismatches
                    .push(format!("{id} {what}: minplan {x:.6} m², PostGIS {y:.6} m²"));
            }
        };
        check_area("自身面积", r.area, get(area_col)?.parse()?);
        for (j, (nc, ac)) in cols.iter().enumerate() {
            let (pn, pa): (usize, f64) = (get(*nc)?.parse()?, get(*ac)?.parse()?);
            let s = &r.layers[j];
            check_area(CMP_LAYERS[j], s.area, pa);
            if s.n != pn {
                // PostGIS counts features whose boundaries meet (ST_Intersects); minplan
                // reports those, and those within the touch width, as touching.
                if s.n < pn && pn <= s.n + s.touching.len() {
                    agr.touching.push(format!(
                        "{id} {}: PostGIS 多计 {} 个，minplan 列为仅相接（含相距 ≤ 0.01 m）：{}",
                        CMP_LAYERS[j],
                        pn - s.n,
                        s.touching.join(" ")
                    ));
                } else {
                    agr.count_mismatches.push(format!(
                        "{id} {}: minplan {} 个（另有仅相接 {} 个），PostGIS {pn} 个",
                        CMP_LAYERS[j],
                        s.n,
                        s.touching.len()
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Median and range of repeated figures.
fn spread(v: &[f64]) -> (f64, f64, f64) {
    let mut s = v.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    (
        percentile(&s, 0.5),
        *s.first().unwrap_or(&f64::NAN),
        *s.last().unwrap_or(&f64::NAN),
    )
}

/// Runs the benchmark.
pub fn run(args: BenchArgs) -> anyhow::Result<ExitCode> {
    let plan = load_bundle(&minplan_store::default_bundle())
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .plan;
    let sizes = SynthSizes {
        parcels: args.parcels,
        red_lines: args.red_lines,
        huge_red_lines: args.huge_red_lines,
        rights: args.rights,
        applications: args.applications,
    };
    let t_read = Instant::now();
    let county = match &args.layers {
        Some(dir) => read_county(dir)?,
        None => {
            let c = synth::generate(args.seed, sizes);
            let named = |v: Vec<MultiPolygon<f64>>| -> Layer {
                v.into_iter()
                    .enumerate()
                    .map(|(i, m)| ((i + 1).to_string(), m))
                    .collect()
            };
            County {
                farmland: named(c.farmland),
                red_lines: named(c.red_lines),
                urban: named(c.urban),
                corridors: named(c.corridors),
                rights: named(c.rights.iter().map(|r| mp_from_ring(r)).collect()),
                apps: named(c.applications.iter().map(|r| mp_from_ring(r)).collect()),
            }
        }
    };
    let read_s = t_read.elapsed().as_secs_f64();
    if let Some(dir) = &args.write_layers {
        write_county(dir, &county)?;
        eprintln!("已写出图层到 {}", dir.display());
        if args.write_only {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let vertices = |l: &Layer| {
        l.iter()
            .map(|(_, m)| m.0.iter().map(|p| p.exterior().0.len() - 1).sum::<usize>())
            .sum::<usize>()
    };
    eprintln!(
        "图层：永久基本农田 {} 个（{} 个顶点），生态保护红线 {} 个（{} 个顶点），矿业权 {} 宗，申请 {} 件；{} {:.2} s",
        county.farmland.len(),
        vertices(&county.farmland),
        county.red_lines.len(),
        vertices(&county.red_lines),
        county.rights.len(),
        county.apps.len(),
        if args.layers.is_some() {
            "读取"
        } else {
            "生成"
        },
        read_s
    );

    // Register: every right a valid mining right of its own holder; every application
    // pending (在审), so that applications overlap each other as in the product.
    let entry = |id: String, status: RightStatus| MiningRight {
        id: id.clone(),
        kind: RightKind::Mining,
        status,
        name: format!("合成矿山 {id}"),
        holder_name: format!("合成矿业权人 {id}"),
        credit_code: Some(format!("CODE-{id}")),
        minerals: vec!["建筑用石".into()],
        capacity: Some(Quantity {
            value: 1.0,
            unit: Unit::WanM3PerYear,
        }),
        approval: None,
        geometry: vec![],
        mining_method: None,
        sub_unit: None,
        review_failed: false,
    };
    let mut register: Vec<MiningRight> = Vec::new();
    let mut register_plane: Vec<MultiPolygon<f64>> = Vec::new();
    for (id, g) in &county.rights {
        register.push(entry(format!("R-{id}"), RightStatus::Valid));
        register_plane.push(g.clone());
    }
    for (id, g) in &county.apps {
        register.push(entry(format!("A-{id}"), RightStatus::Pending));
        register_plane.push(g.clone());
    }
    // The applications and rights as application files (corners to the millimetre).
    let t_parse = Instant::now();
    let applications: Vec<(String, Application)> = county
        .apps
        .iter()
        .map(|(id, g)| {
            Ok((
                id.clone(),
                application(&format!("A-{id}"), "新立", None, &ring_of(g), &plan)?,
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    let parse_ms = t_parse.elapsed().as_secs_f64() * 1e3 / applications.len().max(1) as f64;
    let rights_apps: Vec<(String, Application)> = county
        .rights
        .iter()
        .map(|(id, g)| {
            let rid = format!("R-{id}");
            Ok((
                id.clone(),
                application(&format!("RE-{id}"), "延续", Some(&rid), &ring_of(g), &plan)?,
            ))
        })
        .collect::<anyhow::Result<_>>()?;
    let naive_sample: Vec<MultiPolygon<f64>> = county
        .apps
        .iter()
        .take(args.baseline_sample)
        .map(|(_, g)| g.clone())
        .collect();
    let counts = [
        county.farmland.len(),
        county.red_lines.len(),
        county.rights.len(),
        county.apps.len(),
    ];
    let to_layer = |kind: ControlLayerKind, l: Layer| PlaneLayer {
        kind,
        name: kind.label().into(),
        source: "合成数据".into(),
        version: "synthetic".into(),
        schematic: true,
        features: l
            .into_iter()
            .map(|(id, geometry)| PlaneFeature {
                id,
                name: None,
                geometry,
            })
            .collect(),
    };
    // The naive baseline needs the raw farmland and red lines of the sample's boxes only.
    let naive_layers: Vec<Layer> = {
        let boxes: Vec<_> = naive_sample
            .iter()
            .filter_map(|g| g.bounding_rect())
            .collect();
        let near = |l: &Layer| -> Layer {
            l.iter()
                .filter(|(_, g)| {
                    g.bounding_rect().is_some_and(|b| {
                        boxes.iter().any(|a| {
                            b.min().x <= a.max().x
                                && b.max().x >= a.min().x
                                && b.min().y <= a.max().y
                                && b.max().y >= a.min().y
                        })
                    })
                })
                .cloned()
                .collect()
        };
        vec![
            near(&county.red_lines),
            near(&county.farmland),
            near(&county.urban),
            near(&county.corridors),
            near(&county.rights),
            near(&county.apps),
        ]
    };
    let County {
        farmland,
        red_lines,
        urban,
        corridors,
        ..
    } = county;
    let control = vec![
        to_layer(ControlLayerKind::EcologicalRedLine, red_lines),
        to_layer(ControlLayerKind::PermanentBasicFarmland, farmland),
        to_layer(ControlLayerKind::UrbanDevelopmentBoundary, urban),
        to_layer(ControlLayerKind::VisibleCorridor, corridors),
    ];
    let t_index = Instant::now();
    let index = SpatialIndex::build(&plan, control, &register, Some(register_plane));
    let index_s = t_index.elapsed().as_secs_f64();
    // As the server does once its engine is built (`minplan_web::set_release_hook`): the
    // allocator hands the load's freed copies back.
    // SAFETY: mi_collect takes no pointers; any thread, any time.
    unsafe { libmimalloc_sys::mi_collect(true) };
    let rss_loaded = status_mib("VmRSS:");
    let peak_load = status_mib("VmHWM:");
    eprintln!(
        "索引：{} 个要素，{} 个分块；{:.2} s；载入后常驻内存 {}，载入峰值 {}",
        index.stats.features,
        index.stats.pieces,
        index_s,
        rss_loaded.map_or("—".into(), |m| format!("{m:.0} MiB")),
        peak_load.map_or("—".into(), |m| format!("{m:.0} MiB")),
    );

    let config = ReviewConfig::default();
    let scales = ScaleTable::default();
    let lists = HolderLists::default();
    let stats = RegisterStats::compute(&plan, &register, &scales);
    let ctx = ReviewContext {
        plan: &plan,
        plan_ref: PlanRef::new(
            0,
            0,
            "synthetic".into(),
            &plan,
            minplan_domain::date::Date::start_of_year(2026),
        ),
        spatial: &index,
        rights: &register,
        lists: &lists,
        config: &config,
        scales: &scales,
        stats: &stats,
        now: "2026-11-30T00:00:00Z",
        plans_on_file: None,
    };
    // Warm-up, then one full review per application, `repeat` times.
    for (_, a) in applications.iter().take(20) {
        std::hint::black_box(review(a, &ctx));
    }
    let repeat = args.repeat.max(1);
    let (mut p50s, mut p99s, mut means, mut maxs, mut rechecks) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut conclusions = [0usize; 3];
    let threads = args.threads.max(1);
    for pass in 0..repeat {
        let mut lat = Vec::with_capacity(applications.len());
        for (_, a) in &applications {
            let t = Instant::now();
            let r = review(a, &ctx);
            lat.push(t.elapsed().as_secs_f64() * 1e3);
            if pass == 0 {
                conclusions[match r.conclusion {
                    minplan_domain::review::Conclusion::Conforming => 0,
                    minplan_domain::review::Conclusion::ConformingPendingCheck => 1,
                    minplan_domain::review::Conclusion::NonConforming => 2,
                }] += 1;
            }
            std::hint::black_box(r);
        }
        lat.sort_by(|a, b| a.total_cmp(b));
        p50s.push(percentile(&lat, 0.5));
        p99s.push(percentile(&lat, 0.99));
        means.push(lat.iter().sum::<f64>() / lat.len().max(1) as f64);
        maxs.push(*lat.last().unwrap_or(&f64::NAN));
        // All rights re-reviewed (as 延续 of themselves) on N threads, one shared queue.
        let next = std::sync::atomic::AtomicUsize::new(0);
        let t_all = Instant::now();
        std::thread::scope(|s| {
            for _ in 0..threads {
                let (ctx, next, rights_apps) = (&ctx, &next, &rights_apps);
                s.spawn(move || {
                    loop {
                        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((_, a)) = rights_apps.get(k) else {
                            break;
                        };
                        std::hint::black_box(review(a, ctx));
                    }
                });
            }
        });
        rechecks.push(t_all.elapsed().as_secs_f64());
    }
    if args.breakdown {
        let (mut tf, mut tr, mut ti) = (0.0, 0.0, 0.0);
        let mut per_rule = [0.0f64; 15];
        let mut worst = Vec::new();
        for (_, a) in &applications {
            let t = Instant::now();
            let f = facts(a, &ctx);
            let df = t.elapsed().as_secs_f64();
            tf += df;
            let t = Instant::now();
            std::hint::black_box(minplan_domain::review::rules::run_all(&f, &ctx));
            let dr = t.elapsed().as_secs_f64();
            tr += dr;
            for (k, check) in minplan_domain::review::rules::CHECKS.iter().enumerate() {
                let t = Instant::now();
                std::hint::black_box(check(&f, &ctx));
                per_rule[k] += t.elapsed().as_secs_f64();
            }
            let hits: Vec<usize> = f.control.iter().map(|l| l.hits.len()).collect();
            let verts: Vec<usize> = f
                .control
                .iter()
                .map(|l| {
                    l.hits
                        .iter()
                        .map(|h| {
                            h.parts
                                .0
                                .iter()
                                .map(|p| p.exterior().0.len())
                                .sum::<usize>()
                        })
                        .sum()
                })
                .collect();
            worst.push((df + dr, df, dr, a.number.clone(), f.area_m2, hits, verts));
            let t = Instant::now();
            std::hint::black_box(minplan_domain::review::indicators::what_if(&f, &ctx));
            ti += t.elapsed().as_secs_f64();
        }
        worst.sort_by(|a, b| b.0.total_cmp(&a.0));
        for w in worst.iter().take(6) {
            eprintln!(
                "{} 总 {:.2} ms（叠加 {:.2}，规则 {:.2}）面积 {:.0} m²，命中 {:?}，部分顶点 {:?}",
                w.3,
                w.0 * 1e3,
                w.1 * 1e3,
                w.2 * 1e3,
                w.4,
                w.5,
                w.6
            );
        }
        let n = applications.len() as f64;
        eprintln!(
            "分解（每件平均）：叠加 {:.3} ms，规则 {:.3} ms，指标 {:.3} ms",
            tf * 1e3 / n,
            tr * 1e3 / n,
            ti * 1e3 / n
        );
        let rules: Vec<String> = per_rule
            .iter()
            .enumerate()
            .map(|(k, t)| format!("R{} {:.3}", k + 1, t * 1e3 / n))
            .collect();
        eprintln!("各条规则（每件平均，ms）：{}", rules.join("，"));
    }

    // Same-run baseline: naive overlay on a sample.
    let layer_refs: Vec<&[(String, MultiPolygon<f64>)]> =
        naive_layers.iter().map(|l| l.as_slice()).collect();
    let t_naive = Instant::now();
    for g in &naive_sample {
        std::hint::black_box(naive_overlaps(g, &layer_refs));
    }
    let sample = naive_sample.len().max(1);
    let naive_ms = t_naive.elapsed().as_secs_f64() * 1e3 / sample as f64;
    let engine_sample_ms = {
        let t = Instant::now();
        for (_, a) in applications.iter().take(sample) {
            std::hint::black_box(facts(a, &ctx));
        }
        t.elapsed().as_secs_f64() * 1e3 / sample as f64
    };

    // Overlap counts and areas per subject and layer, in the harness's shape.
    let app_rows: Vec<CmpRow> = applications
        .iter()
        .map(|(id, a)| compare_row(id, &facts(a, &ctx), &ctx))
        .collect();
    let right_rows: Vec<CmpRow> = rights_apps
        .iter()
        .map(|(id, a)| compare_row(id, &facts(a, &ctx), &ctx))
        .collect();
    if let Some(parent) = args.csv.parent() {
        std::fs::create_dir_all(parent).ok();
    }
    let rights_csv = args.csv.with_file_name(format!(
        "{}-rights.csv",
        args.csv
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("overlaps")
    ));
    write_compare_csv(&args.csv, &app_rows)?;
    write_compare_csv(&rights_csv, &right_rows)?;
    let agreement = match &args.reference {
        Some(dir) => {
            let mut agr = Agreement::default();
            compare_with(&dir.join("overlaps_applications.csv"), &app_rows, &mut agr)?;
            let rights_ref = dir.join("overlaps_rights.csv");
            if rights_ref.is_file() {
                compare_with(&rights_ref, &right_rows, &mut agr)?;
            }
            Some(agr)
        }
        None => None,
    };
    let mem = status_mib("VmHWM:");

    let (p50, p50_lo, p50_hi) = spread(&p50s);
    let (p99, p99_lo, p99_hi) = spread(&p99s);
    let (recheck, re_lo, re_hi) = spread(&rechecks);
    let (mean, _, _) = spread(&means);
    let (max, _, _) = spread(&maxs);
    let load_s = read_s + index_s;
    println!(
        "minplan 审查性能测试（{}，{} 线程，重复 {} 次：中位数，括号内为最小–最大）",
        match &args.layers {
            Some(d) => format!("图层 {}", d.display()),
            None => format!("合成县域，种子 {}", args.seed),
        },
        threads,
        repeat
    );
    println!();
    println!("| 项目 | minplan |");
    println!("|---|---|");
    println!(
        "| 读取图层文件 + 建索引（{} 个要素 → {} 个分块） | {:.2} s（读取 {:.2} s，索引 {:.2} s） |",
        index.stats.features, index.stats.pieces, load_s, read_s, index_s
    );
    println!(
        "| 一次完整审查 p50（15 条规则 + 全部叠加） | {p50:.3} ms（{p50_lo:.3}–{p50_hi:.3}） |"
    );
    println!("| 一次完整审查 p99 | {p99:.3} ms（{p99_lo:.3}–{p99_hi:.3}） |");
    println!("| 一次完整审查 平均 / 最大 | {mean:.3} / {max:.3} ms |");
    println!(
        "| {} 宗矿业权全部重审（{threads} 线程） | {recheck:.3} s（{re_lo:.3}–{re_hi:.3}） |",
        rights_apps.len()
    );
    println!(
        "| 载入后常驻内存 / 载入峰值 / 全程峰值 | {} / {} / {} |",
        rss_loaded.map_or("—".into(), |m| format!("{m:.0} MiB")),
        peak_load.map_or("—".into(), |m| format!("{m:.0} MiB")),
        mem.map_or("—".into(), |m| format!("{m:.0} MiB"))
    );
    println!(
        "| 同次基线：朴素叠加（逐要素框选 + 裁剪），每件 | {naive_ms:.3} ms（本引擎叠加 {engine_sample_ms:.3} ms，快 {:.0}×） |",
        naive_ms / engine_sample_ms
    );
    println!("| 拐点解析与检查（不计入审查），每件 | {parse_ms:.3} ms |");
    println!();
    println!(
        "结论分布：符合 {}，基本符合 {}，不符合 {}；各件叠加数与面积写入 {} 和 {}",
        conclusions[0],
        conclusions[1],
        conclusions[2],
        args.csv.display(),
        rights_csv.display()
    );
    if let Some(agr) = &agreement {
        println!();
        println!(
            "与 PostGIS 的面积与个数比对（面积容差：相对 1e-6 或 0.01 m² 取大）：{} 行，面积不符 {}，个数不符 {}，仅相接（已列出）{}，缺行 {}；最大相对差 {:.2e}（面积 > 1 m²），最大绝对差 {:.4} m² → {}",
            agr.rows,
            agr.area_mismatches.len(),
            agr.count_mismatches.len(),
            agr.touching.len(),
            agr.missing.len(),
            agr.worst_rel,
            agr.worst_abs,
            if agr.ok() { "OK" } else { "FAIL" }
        );
        for line in agr
            .touching
            .iter()
            .chain(&agr.count_mismatches)
            .chain(&agr.area_mismatches)
            .take(40)
        {
            println!("  {line}");
        }
    }
    if let Some(path) = &args.json {
        let j = serde_json::json!({
            "layers": args.layers.as_ref().map(|d| d.display().to_string()),
            "counts": {"farmland": counts[0], "red_line": counts[1], "rights": counts[2], "applications": counts[3]},
            "pieces": index.stats.pieces,
            "repeat": repeat,
            "threads": threads,
            "read_s": read_s,
            "index_s": index_s,
            "load_s": load_s,
            "review_p50_ms": p50s,
            "review_p99_ms": p99s,
            "review_mean_ms": means,
            "recheck_s": rechecks,
            "rss_after_load_mib": rss_loaded,
            "peak_load_mib": peak_load,
            "peak_mib": mem,
            "naive_ms": naive_ms,
            "engine_overlay_ms": engine_sample_ms,
            "agreement": agreement.as_ref().map(|a| serde_json::json!({
                "ok": a.ok(),
                "rows": a.rows,
                "area_mismatches": a.area_mismatches,
                "count_mismatches": a.count_mismatches,
                "touching": a.touching,
                "missing": a.missing,
                "worst_rel": a.worst_rel,
                "worst_abs_m2": a.worst_abs,
            })),
        });
        std::fs::write(path, serde_json::to_string_pretty(&j)?)
            .with_context(|| format!("无法写入 {}", path.display()))?;
    }
    Ok(match &agreement {
        Some(a) if !a.ok() => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn tmp(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("minplan-bench-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn reads_gen_county_features_by_fid_without_the_zone_prefix() {
        let d = tmp("read");
        // As gen_county.py --geojson writes them: top-level id, properties.fid, open or
        // closed rings, x with the zone prefix 44.
        let p = write(
            &d,
            "farmland.geojson",
            r#"{"type":"FeatureCollection","name":"farmland","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4532"}},"features":[
{"type":"Feature","id":1,"properties":{"fid":1,"dlbm":"0101"},"geometry":{"type":"Polygon","coordinates":[[[44430000.0,4920000.0],[44430030.0,4920000.0],[44430030.0,4920030.0],[44430000.0,4920030.0],[44430000.0,4920000.0]]]}}
,{"type":"Feature","id":7,"properties":{"dlbm":"0102"},"geometry":{"type":"MultiPolygon","coordinates":[[[[430100,4920000],[430110,4920000],[430110,4920010]]]]}}
]}"#,
        );
        let l = read_geojson(&p).unwrap();
        assert_eq!(l.len(), 2);
        assert_eq!(l[0].0, "1");
        assert_eq!(l[1].0, "7");
        let ring = &l[0].1.0[0].exterior().0;
        assert_eq!(
            ring[0],
            Coord {
                x: 430_000.0,
                y: 4_920_000.0
            }
        );
        assert_eq!(l[0].1.unsigned_area(), 900.0);
        // The open ring is closed; its area is the triangle's.
        assert_eq!(l[1].1.0[0].exterior().0.len(), 4);
        assert_eq!(l[1].1.unsigned_area(), 50.0);
    }

    #[test]
    fn refuses_a_feature_without_an_id_or_with_a_repeated_one() {
        let d = tmp("refuse");
        let feature = |props: &str| {
            format!(
                r#"{{"type":"Feature","properties":{props},"geometry":{{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}}}"#
            )
        };
        let p = write(
            &d,
            "a.geojson",
            &format!(
                r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
                feature(r#"{"fid":3}"#),
                feature(r#"{"name":"x"}"#)
            ),
        );
        let e = format!("{:#}", read_geojson(&p).unwrap_err());
        assert!(e.contains("第 2 个要素") && e.contains("没有标识"), "{e}");
        let p = write(
            &d,
            "b.geojson",
            &format!(
                r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
                feature(r#"{"fid":3}"#),
                feature(r#"{"id":"3"}"#)
            ),
        );
        let e = format!("{:#}", read_geojson(&p).unwrap_err());
        assert!(e.contains("第 2 个要素") && e.contains("重复"), "{e}");
    }

    fn row(n: usize, area: f64, touching: &[&str]) -> CmpRow {
        let s = LayerSum {
            n,
            area,
            touching: touching.iter().map(|t| t.to_string()).collect(),
        };
        CmpRow {
            id: "5".into(),
            area: 1000.0,
            layers: [
                s,
                LayerSum::default(),
                LayerSum::default(),
                LayerSum::default(),
            ],
        }
    }

    #[test]
    fn agreement_lists_touching_features_and_fails_on_areas_beyond_the_tolerance() {
        let d = tmp("agree");
        let header = "id,kind,area_m2,farmland_n,farmland_area_m2,red_line_n,red_line_area_m2,rights_n,rights_area_m2,applications_n,applications_area_m2";
        let p = write(
            &d,
            "ref.csv",
            &format!("{header}\n5,random,1000.0,3,250.0,0,0.0,0,0.0,0,0.0\n"),
        );
        // One parcel PostGIS counts only touches: listed, not a mismatch; 0.009 m² is within
        // the 0.01 m² floor.
        let mut a = Agreement::default();
        compare_with(&p, &[row(2, 250.009, &["77"])], &mut a).unwrap();
        assert!(a.ok(), "{:?} {:?}", a.count_mismatches, a.area_mismatches);
        assert_eq!(a.touching.len(), 1);
        assert!(a.touching[0].contains("77"));
        // Without the touching parcel the count differs; 0.02 m² is beyond the tolerance.
        let mut a = Agreement::default();
        compare_with(&p, &[row(2, 250.02, &[])], &mut a).unwrap();
        assert!(!a.ok());
        assert_eq!(a.count_mismatches.len(), 1);
        assert_eq!(a.area_mismatches.len(), 1);
        // A missing row fails too.
        let mut a = Agreement::default();
        compare_with(&p, &[], &mut a).unwrap();
        assert_eq!(a.missing, vec!["5".to_string()]);
        assert!(!a.ok());
    }
}
