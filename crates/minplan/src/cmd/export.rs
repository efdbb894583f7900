//! `minplan export …`: the register, the planning blocks, the control layers or one review's
//! application and conflicting parts as Shapefile (zip), GeoPackage, KML, DXF, XLSX or
//! GeoJSON ([`minplan_store::Store::export_file`]).

use anyhow::Context;
use clap::{Args, ValueEnum};
use minplan_store::ExportSet;
use std::path::PathBuf;
use std::process::ExitCode;

/// What to export.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum What {
    /// 矿业权登记簿
    Rights,
    /// 规划区块（开采、勘查）与重点开采区，规划数据库字段
    Blocks,
    /// 审查所用的管控图层
    Layers,
    /// 一条审查记录的申请范围与冲突部分（需 --id）
    #[value(alias = "reviews")]
    Review,
}

/// 导出图层文件
#[derive(Args)]
pub struct ExportArgs {
    /// 导出内容：rights | blocks | layers | review
    what: What,
    /// 格式：shp（zip）| gpkg | kml | dxf | xlsx（拐点坐标表）| geojson
    #[arg(long, default_value = "gpkg")]
    format: String,
    /// 审查记录编号（review）
    #[arg(long)]
    id: Option<i64>,
    /// 输出文件（缺省为当前目录下的“内容名.扩展名”）
    #[arg(long)]
    out: Option<PathBuf>,
    /// Shapefile/GeoPackage 的坐标系 EPSG 代码（缺省为规划的高斯–克吕格投影带；4490 为经纬度）
    #[arg(long)]
    epsg: Option<u32>,
    /// Shapefile 属性表编码：GBK（缺省）或 UTF-8
    #[arg(long)]
    encoding: Option<String>,
    /// 只导出其中一个图层（如 开采规划区块；拐点坐标表 xlsx 一次一个图层）
    #[arg(long)]
    layer: Option<String>,
}

/// Runs `export`.
pub fn run(db: Option<PathBuf>, a: ExportArgs) -> anyhow::Result<ExitCode> {
    let Some(format) = minplan_io::ExportFormat::parse(&a.format) else {
        eprintln!(
            "错误：格式“{}”应为 shp、gpkg、kml、dxf、xlsx、geojson 之一",
            a.format
        );
        return Ok(ExitCode::from(2));
    };
    let set = match (a.what, a.id) {
        (What::Rights, _) => ExportSet::Rights,
        (What::Blocks, _) => ExportSet::Blocks,
        (What::Layers, _) => ExportSet::Layers,
        (What::Review, Some(id)) => ExportSet::Review(id),
        (What::Review, None) => {
            eprintln!("错误：导出审查记录需给出 --id（审查记录编号，见 minplan reviews list）");
            return Ok(ExitCode::from(2));
        }
    };
    let crs = super::declared_crs(a.epsg)?;
    let encoding = match a.encoding.as_deref() {
        None => None,
        Some(e) => Some(
            minplan_io::dbf::encoding_from_cpg(e)
                .with_context(|| format!("无法识别的文本编码“{e}”"))?,
        ),
    };
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        let file = match store
            .export_file(set, format, crs, encoding, a.layer.as_deref())
            .await
        {
            Ok(f) => f,
            Err(
                minplan_store::StoreError::BadInput(m) | minplan_store::StoreError::NotFound(m),
            ) => {
                eprintln!("错误：{m}");
                return Ok(ExitCode::from(1));
            }
            Err(e) => return Err(e.into()),
        };
        let out = a.out.unwrap_or_else(|| PathBuf::from(&file.file_name));
        let ext = format.extension();
        if !out.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext)) {
            eprintln!(
                "错误：--out {} 应以 .{ext} 结尾（{}导出为一个 .{ext} 文件）",
                out.display(),
                if ext == "zip" {
                    "Shapefile 的各个文件打包为 zip，"
                } else {
                    ""
                }
            );
            return Ok(ExitCode::from(2));
        }
        super::write_all(&[(&out, "导出文件", file.bytes)])?;
        Ok(ExitCode::SUCCESS)
    })
}
