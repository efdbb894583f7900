//! `minplan report …`: annual reports of mines (开发利用统计年报) — file (代报), list with
//! their status (按期 / 逾期报送 / 待报送 / 逾期未报), bulk import from XLSX/CSV.

use super::register::{print_bulk, refused};
use super::table;
use anyhow::Context;
use clap::Subcommand;
use minplan_domain::citation::format_number;
use minplan_domain::date::Date;
use minplan_domain::register::annual_report::ReportInput;
use minplan_domain::units::Unit;
use minplan_store::{Actor, BulkMode};
use std::path::PathBuf;
use std::process::ExitCode;

/// 年度报告子命令
#[derive(Subcommand)]
pub enum ReportCommand {
    /// 报送（代报）一座矿山的年度报告；同一矿山同一年度再次报送为更正
    File {
        /// 矿山编号（见 minplan report list 或 minplan right list）
        #[arg(long)]
        mine: i64,
        /// 统计年度
        #[arg(long)]
        year: i32,
        /// 开采量（矿石量）
        #[arg(long)]
        extraction: f64,
        /// 开采量单位（缺省为采矿权生产规模的单位，如 万立方米）
        #[arg(long)]
        unit: Option<String>,
        /// 产值（万元）
        #[arg(long)]
        output_value: f64,
        /// 从业人员（人）
        #[arg(long, default_value_t = 0)]
        staff: i64,
        /// 开采回采率（%）
        #[arg(long)]
        mining_recovery: Option<f64>,
        /// 选矿回收率（%）
        #[arg(long)]
        processing_recovery: Option<f64>,
        /// 综合利用率（%）
        #[arg(long)]
        utilisation: Option<f64>,
        /// 清水循环利用率（%）
        #[arg(long)]
        water_reuse: Option<f64>,
        /// 报送日期（YYYY-MM-DD，缺省为今天）
        #[arg(long)]
        filed_on: Option<String>,
        /// 矿种（缺省为采矿权的第一个矿种）
        #[arg(long)]
        mineral: Option<String>,
        /// 备注
        #[arg(long)]
        note: Option<String>,
    },
    /// 列出某年度应报的年度报告及其状态
    List {
        /// 年度（缺省为上一年度）
        #[arg(long)]
        year: Option<i32>,
        /// 以哪一天判断是否逾期（缺省为今天）
        #[arg(long)]
        today: Option<String>,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 从 XLSX/CSV 批量导入年度报告（默认只检查，不导入）
    Import {
        /// XLSX 或 CSV 文件
        file: PathBuf,
        /// 全部行无问题时导入
        #[arg(long)]
        commit: bool,
        /// 导入无问题的行，跳过有问题的行
        #[arg(long, conflicts_with = "commit")]
        skip_invalid: bool,
    },
}

/// Runs a `report` subcommand.
pub fn run(db: Option<PathBuf>, cmd: ReportCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        let sp = store
            .active_plan()
            .await?
            .context("数据库中没有启用的规划")?;
        let plan = &sp.loaded.plan;
        match cmd {
            ReportCommand::File {
                mine,
                year,
                extraction,
                unit,
                output_value,
                staff,
                mining_recovery,
                processing_recovery,
                utilisation,
                water_reuse,
                filed_on,
                mineral,
                note,
            } => {
                let unit = match unit.as_deref().map(Unit::parse).transpose() {
                    Ok(u) => u,
                    Err(e) => {
                        eprintln!("错误：--unit：{e}");
                        return Ok(ExitCode::from(1));
                    }
                };
                let filed_on = match filed_on {
                    Some(d) => Date::parse(&d).map_err(|e| anyhow::anyhow!("--filed-on：{e}"))?,
                    None => minplan_store::today(),
                };
                let input = ReportInput {
                    year,
                    mineral,
                    extraction,
                    unit,
                    output_value_wan_yuan: output_value,
                    staff,
                    mining_recovery_pct: mining_recovery,
                    processing_recovery_pct: processing_recovery,
                    utilisation_pct: utilisation,
                    water_reuse_pct: water_reuse,
                    filed_on,
                    note,
                    disturbed_ha: None,
                    restored_ha: None,
                };
                match store
                    .file_report(plan, mine, &input, true, None, &Actor::cli_current())
                    .await
                {
                    Ok(f) => {
                        let r = &f.report;
                        println!(
                            "已{}：{} {} 年度，开采量 {} {}，产值 {} 万元（{}）",
                            if f.corrected { "更正" } else { "报送" },
                            r.mine_name,
                            r.year,
                            format_number(r.extraction),
                            r.unit,
                            format_number(r.output_value_wan_yuan),
                            r.timeliness().label()
                        );
                        for w in &f.warnings {
                            println!("  提示：{w}");
                        }
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(e) => refused(e),
                }
            }
            ReportCommand::List { year, today, json } => {
                let today = match today {
                    Some(d) => Date::parse(&d).map_err(|e| anyhow::anyhow!("--today：{e}"))?,
                    None => minplan_store::today(),
                };
                let year = year.unwrap_or(today.year() - 1);
                let rows = store.report_statuses(year, today).await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&rows)?);
                    return Ok(ExitCode::SUCCESS);
                }
                println!("{year} 年度开发利用年度报告（截止 {}）", year + 1);
                let mut t = table(&[
                    "矿山编号",
                    "矿山",
                    "许可证号",
                    "矿业权人",
                    "开采量",
                    "产值（万元）",
                    "状态",
                ]);
                for r in &rows {
                    t.add_row(vec![
                        r.mine_id.to_string(),
                        r.mine_name.clone(),
                        r.right_id.clone(),
                        r.holder_name.clone(),
                        r.report.as_ref().map_or("—".into(), |x| {
                            format!("{} {}", format_number(x.extraction), x.unit)
                        }),
                        r.report
                            .as_ref()
                            .map_or("—".into(), |x| format_number(x.output_value_wan_yuan)),
                        r.status_label.clone(),
                    ]);
                }
                println!("{t}");
                Ok(ExitCode::SUCCESS)
            }
            ReportCommand::Import {
                file,
                commit,
                skip_invalid,
            } => {
                let name = file.display().to_string();
                let bytes = std::fs::read(&file).with_context(|| format!("无法读取 {name}"))?;
                let rows = minplan_store::read_table(&bytes, &name)?;
                let mode = if commit {
                    BulkMode::Commit
                } else if skip_invalid {
                    BulkMode::SkipInvalid
                } else {
                    BulkMode::DryRun
                };
                let out = store
                    .import_reports_table(plan, &rows, &name, mode, &Actor::cli_current())
                    .await?;
                Ok(print_bulk(&out, mode))
            }
        }
    })
}
