//! `minplan restoration seed`: loads the embedded Suifenhe baseline of 历史遗留矿山 and 修复项目
//! (示意; totals those of 《规划》一（一）5–6 and 专栏1) when the active plan is Suifenhe's and
//! the tables are empty — the same store function `serve` runs at start. Idempotent.

use clap::Subcommand;
use minplan_store::Actor;
use std::path::PathBuf;
use std::process::ExitCode;

/// 生态修复
#[derive(Subcommand)]
pub enum RestorationCommand {
    /// 载入绥芬河市历史遗留矿山（14 处，示意）和 2015～2020 年修复项目（11 个）基线；已有记录时不重复载入
    Seed,
}

/// Runs `minplan restoration …`.
pub fn run(db: Option<PathBuf>, cmd: RestorationCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        match cmd {
            RestorationCommand::Seed => {
                let out = store.seed_restoration_baseline(&Actor::System).await?;
                match out.skipped {
                    Some(why) => println!("未载入：{why}"),
                    None => println!(
                        "已载入历史遗留矿山 {} 处（示意）、修复项目 {} 个",
                        out.legacy_mines, out.projects
                    ),
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}
