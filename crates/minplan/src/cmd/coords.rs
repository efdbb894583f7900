//! `minplan coords …`: corner coordinates (拐点坐标).

use clap::Subcommand;
use std::process::ExitCode;

/// 拐点坐标子命令
#[derive(Subcommand)]
pub enum CoordsCommand {
    /// 检查拐点坐标文件（待实现）
    Check {
        /// 文件路径
        file: std::path::PathBuf,
    },
}

/// Runs a `coords` subcommand.
pub fn run(cmd: CoordsCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        CoordsCommand::Check { file } => {
            anyhow::bail!("coords check {} 尚未实现", file.display())
        }
    }
}
