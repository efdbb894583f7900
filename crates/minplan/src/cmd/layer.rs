//! `minplan layer …`: control layers (管控图层) — import a bureau's layer (GeoJSON,
//! Shapefile, GeoPackage, KML/KMZ, DXF), check one without storing it, list versions.

use anyhow::Context;
use clap::Subcommand;
use minplan_domain::layer::{LayerOptions, ParsedLayer};
use minplan_domain::plan::ControlLayerKind;
use std::path::PathBuf;
use std::process::ExitCode;

/// 管控图层子命令
#[derive(Subcommand)]
pub enum LayerCommand {
    /// 导入管控图层：Shapefile（.shp 及同名 .shx/.dbf/.prj/.cpg，或其 zip）、GeoPackage、KML/KMZ、DXF、GeoJSON；CGCS2000 经纬度或高斯–克吕格坐标。替换规划数据包中的同类示意图层
    Import {
        /// 图层类型：生态保护红线 | 永久基本农田 | 城镇开发边界 | 三区两线可视范围（或英文 ecological_red_line …）
        kind: String,
        /// 图层文件
        file: PathBuf,
        /// 图层名称（缺省为类型名称）
        #[arg(long)]
        name: Option<String>,
        /// 线要素（道路、铁路、河流中线）的单侧缓冲宽度，米
        #[arg(long)]
        buffer_m: Option<f64>,
        #[command(flatten)]
        read: super::ReadArgs,
        /// 只检查并逐个列出要素与问题，不导入
        #[arg(long)]
        check: bool,
    },
    /// 列出导入的图层版本
    List {
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
}

/// Prints what was read, feature by feature, and each problem.
fn print_parsed(p: &ParsedLayer) {
    println!("坐标系：EPSG:{}", p.crs.epsg());
    for n in &p.notes {
        println!("说明：{n}");
    }
    let mut t = super::table(&["序号", "要素", "名称", "面积（km²）"]);
    for (k, f) in p.features.iter().enumerate() {
        t.add_row(vec![
            (k + 1).to_string(),
            f.id.clone(),
            f.name.clone().unwrap_or_default(),
            format!("{:.6}", f.area_km2),
        ]);
    }
    println!("{t}");
    println!(
        "可用要素 {} 个，有问题的要素 {} 个，提示 {} 条。",
        p.features.len(),
        p.problems.len(),
        p.warnings.len()
    );
    for w in &p.warnings {
        println!("  提示：要素 {}（第 {} 个）：{}", w.id, w.index, w.message);
    }
    for e in &p.problems {
        println!(
            "  问题：要素 {}（第 {} 个{}）：{}",
            e.id,
            e.index,
            e.line.map(|l| format!("，第 {l} 行")).unwrap_or_default(),
            e.message
        );
    }
}

/// Runs a `layer` subcommand.
pub fn run(db: Option<PathBuf>, cmd: LayerCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        match cmd {
            LayerCommand::Import { kind, file, name, buffer_m, read, check } => {
                let Some(k) = ControlLayerKind::parse(&kind) else {
                    eprintln!("错误：图层类型“{kind}”应为 生态保护红线、永久基本农田、城镇开发边界、三区两线可视范围 之一");
                    return Ok(ExitCode::from(2));
                };
                let files = super::layer_files(&file)?;
                let declared = read.crs()?;
                let read = read.options()?;
                let plan = store.active_plan().await?.context("数据库中没有启用的规划")?;
                let zone = plan.loaded.plan.region.zone;
                if check {
                    let opts = LayerOptions {
                        id_property: Some("id"),
                        zone,
                        buffer_m,
                        region: minplan_domain::layer::lonlat_extent(&plan.loaded.plan.region.outline),
                    };
                    return match minplan_io::load_layer(&files, &read, declared, &opts) {
                        Ok(p) => {
                            print_parsed(&p);
                            Ok(if p.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
                        }
                        Err(e) => {
                            eprintln!("错误：{e}");
                            Ok(ExitCode::from(1))
                        }
                    };
                }
                let name = name.unwrap_or_else(|| k.label().to_string());
                let source_file = file.display().to_string();
                let layer = minplan_store::LayerImport {
                    kind: k,
                    name: &name,
                    source_file: &source_file,
                    files: &files,
                    read: &read,
                    declared,
                    zone,
                    buffer_m,
                };
                match store.import_layer(&layer, &minplan_store::Actor::cli_current()).await {
                    Ok(v) => {
                        println!("已导入{}：{} 个要素（图层版本 #{}，坐标系 EPSG:{}）", k.label(), v.feature_count, v.id, v.source_crs);
                        for n in &v.notes {
                            println!("说明：{n}");
                        }
                        for w in &v.warnings {
                            println!("  提示：要素 {}（第 {} 个）：{}", w.id, w.index, w.message);
                        }
                        if !v.problems.is_empty() {
                            println!("以下 {} 个要素有问题，未导入：", v.problems.len());
                            for p in &v.problems {
                                println!("  - 要素 {}（第 {} 个{}）：{}", p.id, p.index, p.line.map(|l| format!("，第 {l} 行")).unwrap_or_default(), p.message);
                            }
                        }
                        Ok(if v.problems.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
                    }
                    Err(minplan_store::StoreError::BadInput(m)) => {
                        eprintln!("错误：{m}；未导入。");
                        Ok(ExitCode::from(1))
                    }
                    Err(e) => Err(e.into()),
                }
            }
            LayerCommand::List { json } => {
                let list = store.list_layers().await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&list)?);
                } else if list.is_empty() {
                    println!("尚未导入管控图层；审查使用规划数据包中的图层（示意）。");
                } else {
                    for v in list {
                        println!(
                            "#{} {}{} {}：{} 个要素，{} 个问题要素，EPSG:{}，{}，来自 {}",
                            v.id,
                            if v.active { "●" } else { "○" },
                            v.kind.label(),
                            v.name,
                            v.feature_count,
                            v.problems.len(),
                            v.source_crs,
                            minplan_web::http::words::beijing(&v.imported_at),
                            v.source_file
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}
