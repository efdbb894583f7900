//! `minplan inspection verify PATH_OR_PLAN_ID`: re-checks a 双随机抽查 draw — a package
//! (JSON, as downloaded from the draw's public page) or a plan's current draw in the
//! database — with [`minplan_domain::supervision::draw::verify`]: the commitment recomputed
//! from the inputs and the revealed seed, the draw re-run and compared target by target.

use anyhow::Context;
use clap::Subcommand;
use minplan_domain::supervision::draw::{DrawPackage, verify};
use std::path::PathBuf;
use std::process::ExitCode;

/// 双随机抽查
#[derive(Subcommand)]
pub enum InspectionCommand {
    /// 验证一次抽取：抽取包文件（JSON），或数据库中抽查计划的编号（验证其当前抽取）。
    /// 退出码：0 验证通过，1 验证未通过，2 无法读取
    Verify {
        /// 抽取包文件路径，或抽查计划编号
        target: String,
    },
}

/// Runs `minplan inspection …`.
pub fn run(db: Option<PathBuf>, cmd: InspectionCommand) -> anyhow::Result<ExitCode> {
    let InspectionCommand::Verify { target } = cmd;
    let path = std::path::Path::new(&target);
    let (what, pkg) = if path.is_file() {
        let bytes =
            std::fs::read(path).with_context(|| format!("无法读取文件 {}", path.display()))?;
        let pkg: DrawPackage = serde_json::from_slice(&bytes).map_err(|e| {
            anyhow::anyhow!(
                "{} 不是抽取包（第 {} 行第 {} 列：{e}）",
                path.display(),
                e.line(),
                e.column()
            )
        })?;
        (format!("抽取包 {}", path.display()), pkg)
    } else if let Ok(plan) = target.trim().parse::<i64>() {
        let db = super::db_path(db);
        super::runtime()?.block_on(async move {
            let store = super::open_store(&db).await?;
            let p = store.inspection_plan(plan).await?;
            let d = store
                .current_draw(plan)
                .await?
                .ok_or_else(|| anyhow::anyhow!("抽查计划 {plan}（{}）尚未公布承诺", p.name))?;
            let pkg = store.draw_package(d.id).await?;
            anyhow::Ok((format!("抽查计划 {plan}（{}）的当前抽取", p.name), pkg))
        })?
    } else {
        anyhow::bail!("“{target}”既不是存在的文件，也不是抽查计划编号");
    };
    match verify(&pkg) {
        Ok(()) => {
            println!(
                "{what}：验证通过（承诺 {} 与输入和种子相符，重新抽取得到相同的 {} 个抽查对象）",
                pkg.commitment,
                pkg.result.as_ref().map_or(0, |r| r.targets.len())
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(problems) => {
            println!("{what}：验证未通过，{} 项问题：", problems.len());
            for (i, p) in problems.iter().enumerate() {
                println!("{}. {p}", i + 1);
            }
            Ok(ExitCode::from(1))
        }
    }
}
