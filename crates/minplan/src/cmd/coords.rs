//! `minplan coords …`: corner coordinates (拐点坐标).
//!
//! `minplan coords check FILE [--zone N] [--zone-width 3|6] [--crs EPSG] [--datum D]
//! [--region suifenhe] [--json]` reads a corner file in any layout `minplan_geo::corners`
//! knows, and prints the layout, CRS, rings, problems and both areas.
//!
//! Exit status: 0 no errors (warnings allowed); 1 the input has errors; 2 nothing could be
//! read (file missing, empty, or no points).

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};
use minplan_geo::corners::{
    self, Agreement, CornerReport, Datum, GeographicFormat, ParseOptions, RingRole, Severity,
};
use minplan_geo::{Crs, GaussKrugerZone};
use std::process::ExitCode;

/// 拐点坐标子命令
#[derive(Subcommand)]
pub enum CoordsCommand {
    /// 检查拐点坐标文件：识别格式与坐标系，列出各圈拐点、全部问题和两种面积
    Check {
        /// 文件路径（报盘格式、XYnnn= 键值格式、表格、经纬度表、GeoJSON、WKT；UTF-8 或 GBK）
        file: std::path::PathBuf,
        /// 投影带号（Y 不含带号时必需，如 44）
        #[arg(long)]
        zone: Option<u32>,
        /// 分带宽度：3 或 6（度）
        #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(3..=6))]
        zone_width: u32,
        /// 坐标参照系 EPSG 代码（如 4532、4553、4490）
        #[arg(long)]
        crs: Option<u32>,
        /// 大地基准
        #[arg(long, value_enum)]
        datum: Option<DatumArg>,
        /// 规划区域（用于县域范围检查与默认带号）；目前内置 suifenhe（示意范围）
        #[arg(long)]
        region: Option<String>,
        /// 经纬度小数按 ddd.mmss（度.分秒）读取
        #[arg(long)]
        ddd_mmss: bool,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
}

/// `--datum` values.
#[derive(Clone, Copy, ValueEnum)]
pub enum DatumArg {
    /// 2000国家大地坐标系
    Cgcs2000,
    /// 1980西安坐标系
    Xian80,
    /// 1954北京坐标系
    Beijing54,
    /// WGS 84
    Wgs84,
}

/// Runs a `coords` subcommand.
pub fn run(cmd: CoordsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        CoordsCommand::Check {
            file,
            zone,
            zone_width,
            crs,
            datum,
            region,
            ddd_mmss,
            json,
        } => {
            let mut opts = ParseOptions::default();
            if let Some(z) = zone {
                let gz = match zone_width {
                    3 => GaussKrugerZone::three_degree(z, true),
                    6 => GaussKrugerZone::six_degree(z, true),
                    w => bail!("--zone-width 只能是 3 或 6，得到 {w}"),
                };
                opts.zone = Some(gz.with_context(|| format!("--zone {z}"))?);
            }
            if let Some(code) = crs {
                match Crs::from_epsg(code) {
                    Ok(Crs::GaussKruger(z)) => {
                        if opts.zone.is_some_and(|g| g.zone != z.zone) {
                            bail!("--crs {code} 与 --zone 不一致");
                        }
                        opts.zone = Some(z);
                        opts.datum = Some(Datum::Cgcs2000);
                    }
                    Ok(Crs::Geographic) => opts.datum = Some(Datum::Cgcs2000),
                    Err(_) => match corners::datum_of_epsg(code) {
                        Some(d) => opts.datum = Some(d),
                        None => bail!(
                            "EPSG:{code} 不是 CGCS2000 坐标系，也不是已知的西安80/北京54/WGS84 坐标系"
                        ),
                    },
                }
            }
            if let Some(d) = datum {
                let d = match d {
                    DatumArg::Cgcs2000 => Datum::Cgcs2000,
                    DatumArg::Xian80 => Datum::Xian1980,
                    DatumArg::Beijing54 => Datum::Beijing1954,
                    DatumArg::Wgs84 => Datum::Wgs84,
                };
                if opts.datum.is_some_and(|o| o != d) {
                    bail!("--datum 与 --crs 不一致");
                }
                opts.datum = Some(d);
            }
            if let Some(r) = region {
                match r.as_str() {
                    "suifenhe" | "231081" | "绥芬河" | "绥芬河市" => {
                        opts.region = Some(corners::suifenhe_schematic())
                    }
                    other => bail!("未知的规划区域“{other}”（目前内置：suifenhe）"),
                }
            }
            if ddd_mmss {
                opts.geographic_format = Some(GeographicFormat::DddMmss);
            }
            let bytes = match std::fs::read(&file) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("错误：无法读取文件 {}：{e}", file.display());
                    return Ok(ExitCode::from(2));
                }
            };
            // A DXF, KML/KMZ or Excel corner file is read into corner text first.
            let name = file
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            let bytes = match minplan_io::corner_file_text(&name, &bytes) {
                Ok(Some(text)) => text.into_bytes(),
                Ok(None) => bytes,
                Err(e) => {
                    eprintln!("错误：{e}");
                    return Ok(ExitCode::from(2));
                }
            };
            let report = corners::parse_bytes(&bytes, &opts);
            if json {
                println!("{}", serde_json::to_string_pretty(&report.to_json())?);
            } else {
                print_human(&file, &report);
            }
            Ok(if report.nothing_read() {
                ExitCode::from(2)
            } else if report.has_errors() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}

fn print_human(file: &std::path::Path, r: &CornerReport) {
    println!("文件：{}", file.display());
    println!("格式：{}", r.layout.label_zh());
    match r.crs {
        Some(c) => println!("坐标系：{c}"),
        None => println!("坐标系：未确定（见下列问题）"),
    }
    for n in &r.crs_basis {
        println!("  · {n}");
    }
    println!("块段：{} 个，圈：{} 个", r.blocks.len(), r.ring_count());
    // What the file states about itself, beside what was read (compared in the problems).
    for a in &r.stated.areas {
        let of = a
            .block
            .as_ref()
            .map(|b| format!("“{b}”的"))
            .unwrap_or_default();
        let verdict = match a.agreement {
            Some(Agreement::Matches) => "；与读到的面积相符",
            Some(Agreement::MatchesPlaneOnly) => "；仅与平面面积相符（见问题）",
            Some(Agreement::Mismatch) => "；与读到的面积不符（见问题）",
            Some(Agreement::NotComparable) => "；无法核对（见问题）",
            None => "",
        };
        println!(
            "文件说明的{of}面积（第{}行）：{}{verdict}",
            a.line, a.as_written
        );
    }
    for c in &r.stated.point_counts {
        println!(
            "文件说明的拐点数（第{}行）：{} 个；读到 {} 个",
            c.line, c.points, r.stated.points_read
        );
    }
    for b in &r.blocks {
        println!();
        println!("【{}】", b.name);
        for ring in &b.rings {
            let role = if ring.role == RingRole::Shell {
                "外圈"
            } else {
                "内圈（挖空）"
            };
            let elev = ring
                .elevation
                .map(|e| format!("，开采标高 {} m 至 {} m", e.top_m, e.bottom_m))
                .unwrap_or_default();
            let lines = match ring.source_lines() {
                Some((a, b)) if a == b => format!("，第 {a} 行"),
                Some((a, b)) => format!("，读自第 {a}–{b} 行"),
                None => String::new(),
            };
            println!(
                "  {}（{role}，{} 个拐点{elev}{lines}）",
                ring.name.clone().unwrap_or_default(),
                ring.points.len()
            );
            let (hx, hy) = if r.geographic {
                ("纬度", "经度")
            } else {
                ("X", "Y")
            };
            println!("    {:<8} {:>18} {:>18}", "点号", hx, hy);
            for p in &ring.points {
                println!("    {:<8} {:>18} {:>18}", p.label, p.x_text, p.y_text);
            }
        }
    }
    println!();
    if r.problems.is_empty() {
        println!("问题：无");
    } else {
        let errors = r
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .count();
        println!(
            "问题：{} 个（错误 {errors}，提示 {}）",
            r.problems.len(),
            r.problems.len() - errors
        );
        for p in &r.problems {
            println!(
                "  [{}] {}：{}",
                p.severity.label_zh(),
                serde_json::to_value(p.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                p.message
            );
        }
        // What the command line offers for what the file does not say.
        use corners::ProblemKind;
        if r.problems.iter().any(|p| {
            matches!(
                p.kind,
                ProblemKind::DatumNotStated | ProblemKind::DatumNotCgcs2000
            )
        }) {
            println!("  （命令行：--datum cgcs2000 或 --crs 4532 指定坐标系）");
        }
        if r.problems
            .iter()
            .any(|p| p.kind == ProblemKind::ZonePrefixMissing)
        {
            println!("  （命令行：--zone 44 指定投影带，--zone-width 3|6 指定分带）");
        }
    }
    println!();
    match &r.areas {
        Some(a) => {
            if r.has_errors() {
                println!("面积（存在错误，仅供参考）：");
            } else {
                println!("面积：");
            }
            for b in &a.blocks {
                println!(
                    "  {}：平面 {:.2} m²；椭球 {:.2} m²（{:.4} km²）",
                    b.name, b.plane_m2, b.ellipsoidal_m2, b.km2
                );
            }
            println!("  {}：{:.2} m²", a.plane_method, a.plane_m2);
            println!("  {}：{:.2} m²", a.ellipsoidal_method, a.ellipsoidal_m2);
            println!("  矿区面积（椭球面积）：{:.4} km²", a.km2);
        }
        None => println!("面积：未计算（坐标系或投影带未确定）"),
    }
}
