//! `minplan`: the command-line entry point. It parses arguments and wires the library crates;
//! the work lives in `minplan-geo`, `minplan-domain`, `minplan-store` and `minplan-web`.

mod cmd;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// minplan — 矿产资源总体规划实施管理系统
#[derive(Parser)]
#[command(name = "minplan", version, about = "矿产资源总体规划实施管理系统（minplan）")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 拐点坐标：读取、检查、计算面积
    #[command(subcommand)]
    Coords(cmd::coords::CoordsCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Coords(c) => cmd::coords::run(c),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(2)
        }
    }
}
