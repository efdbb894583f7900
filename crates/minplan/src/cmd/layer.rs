//! `minplan layer …`: control layers (管控图层) — import a bureau's layer, list versions.

use anyhow::Context;
use clap::Subcommand;
use minplan_domain::plan::ControlLayerKind;
use std::path::PathBuf;
use std::process::ExitCode;

/// 管控图层子命令
#[derive(Subcommand)]
pub enum LayerCommand {
    /// 导入管控图层（GeoJSON；CGCS2000 经纬度或高斯–克吕格坐标），替换规划数据包中的同类示意图层
    Import {
        /// 图层类型：生态保护红线 | 永久基本农田 | 城镇开发边界 | 三区两线可视范围（或英文 ecological_red_line …）
        kind: String,
        /// GeoJSON 文件
        file: PathBuf,
        /// 图层名称（缺省为类型名称）
        #[arg(long)]
        name: Option<String>,
        /// 线要素（道路、铁路、河流中线）的单侧缓冲宽度，米
        #[arg(long)]
        buffer_m: Option<f64>,
    },
    /// 列出导入的图层版本
    List {
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `layer` subcommand.
pub fn run(db: Option<PathBuf>, cmd: LayerCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        match cmd {
            LayerCommand::Import { kind, file, name, buffer_m } => {
                let Some(k) = ControlLayerKind::parse(&kind) else {
                    eprintln!("错误：图层类型“{kind}”应为 生态保护红线、永久基本农田、城镇开发边界、三区两线可视范围 之一");
                    return Ok(ExitCode::from(2));
                };
                let text = std::fs::read_to_string(&file).with_context(|| format!("无法读取 {}", file.display()))?;
                let plan = store.active_plan().await?.context("数据库中没有启用的规划")?;
                let name = name.unwrap_or_else(|| k.label().to_string());
                let source_file = file.display().to_string();
                let layer = minplan_store::LayerImport { kind: k, name: &name, source_file: &source_file, text: &text, zone: plan.loaded.plan.region.zone, buffer_m };
                match store.import_layer(&layer, &minplan_store::Actor::cli_current()).await {
                    Ok(v) => {
                        println!("已导入{}：{} 个要素（图层版本 #{}，坐标系 EPSG:{}）", k.label(), v.feature_count, v.id, v.source_crs);
                        if !v.problems.is_empty() {
                            println!("以下 {} 个要素有问题：", v.problems.len());
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
                            v.imported_at,
                            v.source_file
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}
