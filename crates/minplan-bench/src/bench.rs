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
use minplan_domain::review::{PlanRef, ReviewContext, facts, review};
use minplan_domain::rights::{HolderLists, MiningRight, RightStatus};
use minplan_domain::units::Unit;
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
    /// 各申请与各要素的重叠面积 CSV
    #[arg(long, default_value = "target/bench-overlaps.csv")]
    csv: PathBuf,
}

const ZONE_PREFIX: f64 = 44_000_000.0;

fn mp_from_ring(ring: &[(f64, f64)]) -> MultiPolygon<f64> {
    let mut c: Vec<Coord<f64>> = ring.iter().map(|&(x, y)| Coord { x, y }).collect();
    c.push(c[0]);
    MultiPolygon(vec![Polygon::new(LineString(c), vec![])])
}

fn write_geojson(path: &Path, features: &[(String, MultiPolygon<f64>)]) -> anyhow::Result<()> {
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(path).with_context(|| format!("无法写入 {}", path.display()))?,
    );
    write!(
        f,
        "{{\"type\":\"FeatureCollection\",\"crs\":{{\"type\":\"name\",\"properties\":{{\"name\":\"urn:ogc:def:crs:EPSG::4532\"}}}},\"features\":["
    )?;
    for (i, (id, mp)) in features.iter().enumerate() {
        if i > 0 {
            write!(f, ",")?;
        }
        write!(
            f,
            "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"{id}\"}},\"geometry\":{{\"type\":\"MultiPolygon\",\"coordinates\":["
        )?;
        for (pi, p) in mp.0.iter().enumerate() {
            if pi > 0 {
                write!(f, ",")?;
            }
            write!(f, "[[")?;
            for (k, c) in p.exterior().0.iter().enumerate() {
                if k > 0 {
                    write!(f, ",")?;
                }
                write!(f, "[{:.3},{:.3}]", c.x + ZONE_PREFIX, c.y)?;
            }
            write!(f, "]]")?;
        }
        write!(f, "]}}}}")?;
    }
    writeln!(f, "]}}")?;
    Ok(())
}

fn read_geojson(path: &Path) -> anyhow::Result<Vec<(String, MultiPolygon<f64>)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("无法读取 {}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{} 不是 JSON", path.display()))?;
    let mut out = Vec::new();
    for (i, f) in v["features"]
        .as_array()
        .context("缺少 features")?
        .iter()
        .enumerate()
    {
        let id = f["properties"]["id"]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| format!("#{}", i + 1));
        let g = &f["geometry"];
        let polys: Vec<&serde_json::Value> = match g["type"].as_str() {
            Some("Polygon") => vec![&g["coordinates"]],
            Some("MultiPolygon") => g["coordinates"]
                .as_array()
                .context("坐标")?
                .iter()
                .collect(),
            other => anyhow::bail!(
                "{}：要素 {id} 的几何类型 {other:?} 不受支持",
                path.display()
            ),
        };
        let mut mp = Vec::new();
        for p in polys {
            let rings: Vec<LineString<f64>> = p
                .as_array()
                .context("环")?
                .iter()
                .map(|r| {
                    LineString(
                        r.as_array()
                            .map(|pts| {
                                pts.iter()
                                    .filter_map(|q| {
                                        Some(Coord {
                                            x: q[0].as_f64()?
                                                - if q[0].as_f64()? > 1e7 {
                                                    ZONE_PREFIX
                                                } else {
                                                    0.0
                                                },
                                            y: q[1].as_f64()?,
                                        })
                                    })
                                    .collect()
                            })
                            .unwrap_or_default(),
                    )
                })
                .collect();
            if let Some((ext, holes)) = rings.split_first() {
                mp.push(Polygon::new(ext.clone(), holes.to_vec()));
            }
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
        s += &format!("{},{:.2},{:.2}, , ,\n", k + 1, n, ZONE_PREFIX + e);
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

fn peak_memory_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
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
    let t_gen = Instant::now();
    type Layer = Vec<(String, MultiPolygon<f64>)>;
    let (farmland, red_lines, urban, corridors, rights, apps): (
        Layer,
        Layer,
        Layer,
        Layer,
        Layer,
        Layer,
    ) = match &args.layers {
        Some(dir) => (
            read_geojson(&dir.join("farmland.geojson"))?,
            read_geojson(&dir.join("red_lines.geojson"))?,
            read_geojson(&dir.join("urban.geojson"))?,
            read_geojson(&dir.join("corridors.geojson"))?,
            read_geojson(&dir.join("rights.geojson"))?,
            read_geojson(&dir.join("applications.geojson"))?,
        ),
        None => {
            let c = synth::generate(args.seed, sizes);
            let named = |prefix: &str, v: Vec<MultiPolygon<f64>>| -> Layer {
                v.into_iter()
                    .enumerate()
                    .map(|(i, m)| (format!("{prefix}{}", i + 1), m))
                    .collect()
            };
            (
                named("PBF-", c.farmland),
                named("ERL-", c.red_lines),
                named("UDB-", c.urban),
                named("VC-", c.corridors),
                named("R-", c.rights.iter().map(|r| mp_from_ring(r)).collect()),
                named(
                    "A-",
                    c.applications.iter().map(|r| mp_from_ring(r)).collect(),
                ),
            )
        }
    };
    let gen_s = t_gen.elapsed().as_secs_f64();
    if let Some(dir) = &args.write_layers {
        std::fs::create_dir_all(dir)?;
        for (name, layer) in [
            ("farmland", &farmland),
            ("red_lines", &red_lines),
            ("urban", &urban),
            ("corridors", &corridors),
            ("rights", &rights),
            ("applications", &apps),
        ] {
            write_geojson(&dir.join(format!("{name}.geojson")), layer)?;
        }
        eprintln!("已写出图层到 {}", dir.display());
    }
    let vertices = |l: &Layer| {
        l.iter()
            .map(|(_, m)| m.0.iter().map(|p| p.exterior().0.len()).sum::<usize>())
            .sum::<usize>()
    };
    eprintln!(
        "图层：永久基本农田 {} 个（{} 个顶点），生态保护红线 {} 个（{} 个顶点），矿业权 {} 宗，申请 {} 件；生成 {:.2} s",
        farmland.len(),
        vertices(&farmland),
        red_lines.len(),
        vertices(&red_lines),
        rights.len(),
        apps.len(),
        gen_s
    );

    // Register: every right a valid mining right of its own holder.
    let register: Vec<MiningRight> = rights
        .iter()
        .map(|(id, _)| MiningRight {
            id: id.clone(),
            kind: RightKind::Mining,
            status: RightStatus::Valid,
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
        })
        .collect();
    let to_layer = |kind: ControlLayerKind, l: &Layer| PlaneLayer {
        kind,
        name: kind.label().into(),
        source: "合成数据".into(),
        version: "synthetic".into(),
        schematic: true,
        features: l
            .iter()
            .map(|(id, g)| PlaneFeature {
                id: id.clone(),
                name: None,
                geometry: g.clone(),
            })
            .collect(),
    };
    let control = vec![
        to_layer(ControlLayerKind::EcologicalRedLine, &red_lines),
        to_layer(ControlLayerKind::PermanentBasicFarmland, &farmland),
        to_layer(ControlLayerKind::UrbanDevelopmentBoundary, &urban),
        to_layer(ControlLayerKind::VisibleCorridor, &corridors),
    ];
    let rights_plane: Vec<MultiPolygon<f64>> = rights.iter().map(|(_, g)| g.clone()).collect();
    let t_index = Instant::now();
    let index = SpatialIndex::build(&plan, control, &register, Some(rights_plane));
    let index_s = t_index.elapsed().as_secs_f64();
    eprintln!(
        "索引：{} 个要素，{} 个分块；{:.2} s",
        index.stats.features, index.stats.pieces, index_s
    );

    let t_parse = Instant::now();
    let applications: Vec<Application> = apps
        .iter()
        .map(|(id, g)| application(id, "新立", None, &ring_of(g), &plan))
        .collect::<anyhow::Result<_>>()?;
    let parse_ms = t_parse.elapsed().as_secs_f64() * 1e3 / applications.len().max(1) as f64;

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
    // Warm-up, then one full review per application.
    for a in applications.iter().take(20) {
        std::hint::black_box(review(a, &ctx));
    }
    let mut lat = Vec::with_capacity(applications.len());
    let mut conclusions = [0usize; 3];
    for a in &applications {
        let t = Instant::now();
        let r = review(a, &ctx);
        lat.push(t.elapsed().as_secs_f64() * 1e3);
        conclusions[match r.conclusion {
            minplan_domain::review::Conclusion::Conforming => 0,
            minplan_domain::review::Conclusion::ConformingPendingCheck => 1,
            minplan_domain::review::Conclusion::NonConforming => 2,
        }] += 1;
        std::hint::black_box(r);
    }
    lat.sort_by(|a, b| a.total_cmp(b));
    if args.breakdown {
        let (mut tf, mut tr, mut ti) = (0.0, 0.0, 0.0);
        let mut worst = Vec::new();
        for a in &applications {
            let t = Instant::now();
            let f = facts(a, &ctx);
            let df = t.elapsed().as_secs_f64();
            tf += df;
            let t = Instant::now();
            std::hint::black_box(minplan_domain::review::rules::run_all(&f, &ctx));
            let dr = t.elapsed().as_secs_f64();
            tr += dr;
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
    }
    let (p50, p99, max) = (
        percentile(&lat, 0.5),
        percentile(&lat, 0.99),
        *lat.last().unwrap_or(&f64::NAN),
    );
    let mean = lat.iter().sum::<f64>() / lat.len().max(1) as f64;

    // All rights re-reviewed (as 延续 of themselves) on N threads.
    let rights_apps: Vec<Application> = rights
        .iter()
        .map(|(id, g)| application(&format!("RE-{id}"), "延续", Some(id), &ring_of(g), &plan))
        .collect::<anyhow::Result<_>>()?;
    let threads = args.threads.max(1);
    let t_all = Instant::now();
    std::thread::scope(|s| {
        let chunk = rights_apps.len().div_ceil(threads).max(1);
        for part in rights_apps.chunks(chunk) {
            let ctx = &ctx;
            s.spawn(move || {
                for a in part {
                    std::hint::black_box(review(a, ctx));
                }
            });
        }
    });
    let all_s = t_all.elapsed().as_secs_f64();

    // Same-run baseline: naive overlay on a sample.
    let sample = args.baseline_sample.min(applications.len());
    let layer_refs: Vec<&[(String, MultiPolygon<f64>)]> =
        vec![&red_lines, &farmland, &urban, &corridors, &rights];
    let t_naive = Instant::now();
    for (_, g) in apps.iter().take(sample) {
        std::hint::black_box(naive_overlaps(g, &layer_refs));
    }
    let naive_ms = t_naive.elapsed().as_secs_f64() * 1e3 / sample.max(1) as f64;
    let engine_sample_ms = {
        let t = Instant::now();
        for a in applications.iter().take(sample) {
            std::hint::black_box(facts(a, &ctx));
        }
        t.elapsed().as_secs_f64() * 1e3 / sample.max(1) as f64
    };

    // Overlap areas per application and feature.
    if let Some(parent) = args.csv.parent() {
        std::fs::create_dir_all(parent).ok();
    }
    let mut csv = std::io::BufWriter::new(
        std::fs::File::create(&args.csv)
            .with_context(|| format!("无法写入 {}", args.csv.display()))?,
    );
    writeln!(csv, "application,layer,feature,area_m2,class")?;
    let mut rows = 0usize;
    for a in &applications {
        let f = facts(a, &ctx);
        for l in &f.control {
            for h in &l.hits {
                writeln!(
                    csv,
                    "{},{},{},{:.6},{:?}",
                    a.number,
                    l.layer.kind.slug(),
                    l.layer.features[h.feature].0,
                    h.area_m2,
                    h.class
                )?;
                rows += 1;
            }
        }
        for h in &f.rights {
            writeln!(
                csv,
                "{},rights,{},{:.6},{:?}",
                a.number, register[h.feature].id, h.area_m2, h.class
            )?;
            rows += 1;
        }
    }
    csv.flush()?;
    let mem = peak_memory_mib();

    println!(
        "minplan 审查性能测试（种子 {}，{} 线程）",
        args.seed, threads
    );
    println!();
    println!("| 项目 | minplan | PostGIS 3.3 锚点（见 BENCHMARKS.md） | 目标 |");
    println!("|---|---|---|---|");
    println!(
        "| 索引构建（{} 个要素 → {} 个分块） | {:.2} s | — | ≤ 5 s |",
        index.stats.features, index.stats.pieces, index_s
    );
    println!(
        "| 一次完整审查 p50（15 条规则 + 全部叠加） | {:.3} ms | 1.95 ms（{:.1}×） | ≤ 0.4 ms |",
        p50,
        1.95 / p50
    );
    println!(
        "| 一次完整审查 p99 | {:.3} ms | 13 ms（{:.1}×） | ≤ 4 ms |",
        p99,
        13.0 / p99
    );
    println!(
        "| 一次完整审查 平均 / 最大 | {:.3} / {:.3} ms | — | — |",
        mean, max
    );
    println!(
        "| {} 宗矿业权全部重审（{} 线程） | {:.3} s | 4.7 s（2.3 s 双连接）（{:.1}×） | ≤ 1 s |",
        rights_apps.len(),
        threads,
        all_s,
        2.3 / all_s
    );
    println!(
        "| 峰值内存 | {} | — | ≤ 1.5 GiB |",
        mem.map_or("—".into(), |m| format!("{m:.0} MiB"))
    );
    println!(
        "| 同次基线：朴素叠加（逐要素框选 + 裁剪），每件 | {:.3} ms | — | 本引擎叠加 {:.3} ms（快 {:.0}×） |",
        naive_ms,
        engine_sample_ms,
        naive_ms / engine_sample_ms
    );
    println!(
        "| 拐点解析与检查（不计入审查），每件 | {:.3} ms | — | — |",
        parse_ms
    );
    println!();
    println!(
        "结论分布：符合 {}，基本符合 {}，不符合 {}；重叠面积 {} 行写入 {}",
        conclusions[0],
        conclusions[1],
        conclusions[2],
        rows,
        args.csv.display()
    );
    Ok(ExitCode::SUCCESS)
}
