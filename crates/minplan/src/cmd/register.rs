//! `minplan right …` (the register of rights) and `minplan holder-list …` (异常名录、严重违法失信名单).

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use minplan_domain::credit_code::CreditCode;
use minplan_domain::rights::ListedHolder;
use minplan_store::HolderList;
use std::path::PathBuf;
use std::process::ExitCode;

/// 矿业权登记子命令
#[derive(Subcommand)]
pub enum RightCommand {
    /// 从 GeoJSON 导入矿业权（属性：id 证号、kind、status、name、holder_name、credit_code、minerals、capacity、capacity_unit、approval）
    Import {
        /// GeoJSON 文件
        file: PathBuf,
    },
    /// 列出登记的矿业权和在审申请
    List {
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
}

/// Which list.
#[derive(Clone, Copy, ValueEnum)]
pub enum ListKind {
    /// 矿业权人异常名录
    Abnormal,
    /// 严重违法失信名单
    Serious,
}

impl From<ListKind> for HolderList {
    fn from(k: ListKind) -> HolderList {
        match k {
            ListKind::Abnormal => HolderList::Abnormal,
            ListKind::Serious => HolderList::SeriousViolation,
        }
    }
}

/// 名录子命令
#[derive(Subcommand)]
pub enum HolderListCommand {
    /// 列入名录
    Add {
        /// abnormal（异常名录）或 serious（严重违法失信名单）
        #[arg(value_enum)]
        list: ListKind,
        /// 统一社会信用代码
        credit_code: String,
        /// 名称
        name: String,
        /// 列入原因
        #[arg(long)]
        reason: String,
        /// 列入日期（YYYY-MM-DD）
        #[arg(long)]
        since: String,
    },
    /// 移出名录
    Remove {
        /// abnormal 或 serious
        #[arg(value_enum)]
        list: ListKind,
        /// 统一社会信用代码
        credit_code: String,
    },
    /// 显示名录
    Show,
}

/// Runs a `right` subcommand.
pub fn run_right(db: Option<PathBuf>, cmd: RightCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        match cmd {
            RightCommand::Import { file } => {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("无法读取 {}", file.display()))?;
                let plan = store
                    .active_plan()
                    .await?
                    .context("数据库中没有启用的规划")?;
                let out = store
                    .import_rights(
                        &text,
                        &file.display().to_string(),
                        plan.loaded.plan.region.zone,
                        &minplan_store::Actor::cli_current(),
                    )
                    .await?;
                println!("已导入 {} 宗矿业权。", out.imported);
                for p in &out.problems {
                    println!(
                        "  - 要素 {}{}：{}（未导入）",
                        p.id,
                        p.line.map(|l| format!("（第 {l} 行）")).unwrap_or_default(),
                        p.message
                    );
                }
                Ok(if out.problems.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            }
            RightCommand::List { json } => {
                let all = store.review_register().await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&all)?);
                } else if all.is_empty() {
                    println!("登记簿中没有矿业权，也没有在审申请。");
                } else {
                    for r in all {
                        println!(
                            "{} {} {} {} {}（{}）{}",
                            r.id,
                            r.kind.label(),
                            r.status.label(),
                            r.name,
                            r.holder_name,
                            r.minerals.join("、"),
                            r.capacity.map(|c| format!(" {c}")).unwrap_or_default()
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

/// Runs a `holder-list` subcommand.
pub fn run_lists(db: Option<PathBuf>, cmd: HolderListCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        match cmd {
            HolderListCommand::Add {
                list,
                credit_code,
                name,
                reason,
                since,
            } => {
                let code = match CreditCode::parse(&credit_code) {
                    Ok(c) => c,
                    Err(e) => {
                        eprintln!("错误：{e}");
                        return Ok(ExitCode::from(1));
                    }
                };
                let l: HolderList = list.into();
                store
                    .add_listed_holder(
                        l,
                        &ListedHolder {
                            credit_code: code.to_string(),
                            name: name.clone(),
                            reason,
                            since,
                        },
                        &minplan_store::Actor::cli_current(),
                    )
                    .await?;
                println!("已将 {name}（{code}）列入{}。", l.label());
                Ok(ExitCode::SUCCESS)
            }
            HolderListCommand::Remove { list, credit_code } => {
                let l: HolderList = list.into();
                store
                    .remove_listed_holder(
                        l,
                        credit_code.trim(),
                        &minplan_store::Actor::cli_current(),
                    )
                    .await?;
                println!("已将 {} 移出{}。", credit_code.trim(), l.label());
                Ok(ExitCode::SUCCESS)
            }
            HolderListCommand::Show => {
                let lists = store.holder_lists().await?;
                for (label, entries) in [
                    ("严重违法失信名单", &lists.serious_violation),
                    ("矿业权人异常名录", &lists.abnormal),
                ] {
                    println!("{label}（{} 家）", entries.len());
                    for e in entries {
                        println!(
                            "  {} {} 自 {}：{}",
                            e.credit_code, e.name, e.since, e.reason
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}
