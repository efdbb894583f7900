//! `minplan db …`: the database file itself — backup, restore, check.
//!
//! - `minplan db backup FILE|FOLDER`: a consistent copy while the server runs (SQLite `VACUUM
//!   INTO`), checked before it is put at FILE (in FOLDER: named by the Beijing time); an
//!   existing FILE is never overwritten.
//! - `minplan db restore FILE`: replaces the database (`--db`) by the backup FILE after
//!   checking it (an older release's backup is brought up to this release's schema); the
//!   replaced database is kept beside it. Refused while `minplan serve` runs on it;
//!   `--accept-audit-problems` restores a backup whose audit chain has problems, as they are.
//! - `minplan db migrate-to postgres://…`: copies the database into an empty PostgreSQL
//!   database, read back and checked before it commits (`minplan_store::to_postgres`).
//! - `minplan db check postgres://…`: a database `migrate-to` wrote, checked where it is
//!   (tables, the append-only triggers, the audit chain); exit 0 sound, 1 otherwise.
//! - `minplan db check [--json]`: integrity, foreign keys, the audit chain, every table's
//!   rows and digest; exit 0 when sound, 1 otherwise (a file that is not a readable database
//!   included), 2 when there is no such file.
//!
//! The work is `minplan_store::backup`.

use anyhow::Context;
use clap::Subcommand;
use minplan_store::backup::{self, DatabaseCheck};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// 数据库文件子命令
#[derive(Subcommand)]
pub enum DbCommand {
    /// 备份数据库（服务运行时也可备份；得到一致的副本，检查后写入，不覆盖已有文件）
    Backup {
        /// 备份文件路径（如 D:\备份\数据库备份-20261207.db）；给文件夹时写入该文件夹，按北京时间命名
        file: PathBuf,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 用备份文件恢复数据库（先检查备份；被替换的数据库保留在原处，文件名加 .before-restore-时间）；
    /// 须先停止使用该数据库的 minplan serve
    Restore {
        /// 备份文件路径
        file: PathBuf,
        /// 备份的操作日志哈希链有问题（有记录被修改或删除）时仍恢复：问题照实保留在恢复后的
        /// 数据库中，minplan audit verify 照样指出；文件损坏或外键缺失的备份仍不恢复
        #[arg(long)]
        accept_audit_problems: bool,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 把本数据库（SQLite）整库迁移到一个空的 PostgreSQL 数据库：先检查本库，在一个事务中建表、
    /// 写入全部记录、建立索引外键和触发器，逐表读回核对、重新校验操作日志，全部一致才提交
    MigrateTo {
        /// PostgreSQL 地址，如 postgres:///数据库?host=/run/postgresql（本机，Unix 套接字）或
        /// postgres://用户@主机/数据库；密码请放在环境变量 PGPASSWORD 中，不要写进地址（地址会留在
        /// 命令历史和进程列表里）。本程序不含 TLS：不在本机的服务器须加 sslmode=disable 明示接受不加密
        url: String,
        /// 本库的操作日志哈希链有问题时仍迁移：问题照实迁移，迁移后照样可以查出
        #[arg(long)]
        accept_audit_problems: bool,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 检查数据库：文件完整性、外键、操作日志哈希链，并列出各表记录数和摘要
    /// （退出码：0 完好，1 有问题）
    Check {
        /// 检查这个文件（默认检查 --db 指定的数据库）；只读打开，不做任何改动。
        /// 给 postgres://… 地址时检查迁移到 PostgreSQL 的数据库：表、只追加的触发器、操作日志哈希链
        file: Option<PathBuf>,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `db` subcommand.
pub fn run(db: Option<PathBuf>, cmd: DbCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        match cmd {
            DbCommand::Backup { file, json } => {
                let store = open_existing(&path).await?;
                let report = store.backup_to(&file).await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&report)?);
                } else {
                    println!(
                        "已备份到 {}（{}，{} 张表共 {} 条记录）",
                        report.path.display(),
                        backup::size_text(report.bytes),
                        report.check.tables.len(),
                        report.check.total_rows()
                    );
                    println!("  {}", report.check.audit.summary());
                    for name in &report.cleared {
                        println!("  已删除上次中断的备份留下的未完成文件 {name}");
                    }
                    if !report.check.audit.intact() {
                        println!(
                            "  注意：数据库的操作日志哈希链有问题，备份如实保留了它；恢复这个备份须加 --accept-audit-problems。"
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            DbCommand::Restore {
                file,
                json,
                accept_audit_problems,
            } => {
                let report = backup::restore(&file, &path, accept_audit_problems)
                    .await
                    .with_context(|| format!("未恢复 {}", path.display()))?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&report)?);
                } else {
                    println!(
                        "已用 {} 恢复数据库 {}（{} 张表共 {} 条记录）",
                        file.display(),
                        path.display(),
                        report.check.tables.len(),
                        report.check.total_rows()
                    );
                    if report.backup_schema_version < backup::schema_version() {
                        println!(
                            "  备份的数据结构版本为 {:04}，已升级到本版本的 {:04}",
                            report.backup_schema_version,
                            backup::schema_version()
                        );
                    }
                    match (&report.previous_kept_as, &report.previous_damaged) {
                        (Some(p), None) => println!("  原数据库已保留为 {}", p.display()),
                        (Some(p), Some(why)) => println!(
                            "  原数据库已损坏（{why}），已连同其日志文件原样保留为 {}",
                            p.display()
                        ),
                        (None, _) => println!("  原先没有数据库文件"),
                    }
                    println!("  {}", report.check.audit.summary());
                }
                Ok(ExitCode::SUCCESS)
            }
            DbCommand::MigrateTo {
                url,
                accept_audit_problems,
                json,
            } => {
                if !path.is_file() {
                    anyhow::bail!("找不到数据库文件：{}", path.display());
                }
                let report = match minplan_store::to_postgres::migrate_to_postgres(
                    &path,
                    &url,
                    accept_audit_problems,
                )
                .await
                {
                    Ok(r) => r,
                    // With --json a refusal is JSON too, for the script that called it.
                    Err(e) if json => {
                        println!(
                            "{}",
                            serde_json::json!({ "migrated": false, "error": e.to_string() })
                        );
                        eprintln!("错误：未迁移 {}：{e}", path.display());
                        return Ok(ExitCode::from(2));
                    }
                    Err(e) => {
                        return Err(anyhow::Error::new(e)
                            .context(format!("未迁移 {}", path.display())));
                    }
                };
                if json {
                    println!("{}", serde_json::to_string_pretty(&report)?);
                } else {
                    println!(
                        "已把 {} 迁移到 PostgreSQL 数据库 {}：{} 张表共 {} 条记录，逐表读回核对一致",
                        path.display(),
                        report.target,
                        report.tables.len(),
                        report.total_rows()
                    );
                    println!(
                        "  索引 {} 个、外键 {} 个、触发器 {} 个（只追加的表在 PostgreSQL 中同样拒绝修改和删除）",
                        report.indexes, report.foreign_keys, report.triggers
                    );
                    println!(
                        "  数据结构版本 {:04}（记在表 minplan_sqlite_migrations 中）",
                        report.schema_version
                    );
                    println!("  在 PostgreSQL 中重新校验：{}", report.audit.summary());
                    println!(
                        "  注意：本版本的服务（serve）和各命令仍只使用 SQLite 数据库；迁移后的库供省、市部署和数据交换使用。"
                    );
                }
                Ok(ExitCode::SUCCESS)
            }
            DbCommand::Check { file, json } => {
                if let Some(url) = file
                    .as_ref()
                    .and_then(|f| f.to_str())
                    .filter(|f| f.starts_with("postgres://") || f.starts_with("postgresql://"))
                {
                    return check_postgres(url, json).await;
                }
                let target = file.unwrap_or(path);
                if !target.is_file() {
                    anyhow::bail!("找不到数据库文件：{}", target.display());
                }
                // A file that is there but cannot be read as a database is a finding (exit 1),
                // like any other problem the check reports; exit 2 is for a check that could
                // not run at all.
                let check = match backup::check_file(&target).await {
                    Ok(c) => c,
                    Err(e) => {
                        if json {
                            println!(
                                "{}",
                                serde_json::json!({ "sound": false, "problems": [e.to_string()] })
                            );
                        } else {
                            println!("数据库有问题：{e}");
                        }
                        return Ok(ExitCode::from(1));
                    }
                };
                if json {
                    println!("{}", serde_json::to_string_pretty(&check)?);
                } else {
                    print_check(&target, &check);
                }
                Ok(if check.sound() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            }
        }
    })
}

/// `db check postgres://…`: a database `db migrate-to` wrote, checked where it is.
async fn check_postgres(url: &str, json: bool) -> anyhow::Result<ExitCode> {
    let check = match minplan_store::to_postgres::check_postgres(url).await {
        Ok(c) => c,
        // With --json a check that could not run answers in JSON too (exit 2).
        Err(e) if json => {
            println!(
                "{}",
                serde_json::json!({ "checked": false, "error": e.to_string() })
            );
            eprintln!("错误：{e}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.into()),
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&check)?);
    } else {
        let mut t = super::table(&["表", "记录数"]);
        for d in &check.tables {
            t.add_row(vec![d.name.clone(), d.rows.to_string()]);
        }
        println!("{t}");
        println!(
            "PostgreSQL 数据库 {}，模式 {}：迁移时的数据结构版本 {:04}，{} 张表共 {} 条记录",
            check.target,
            check.schema,
            check.schema_version,
            check.tables.len(),
            check.total_rows()
        );
        for name in &check.missing_tables {
            println!("  - 缺少表 {name}");
        }
        for p in &check.protection_problems {
            println!("  - {p}（只追加等保护不再完整）");
        }
        if check.missing_tables.is_empty() && check.protection_problems.is_empty() {
            println!("表和只追加的保护（触发器）齐全且都在生效。");
        }
        println!("{}", check.audit.summary());
    }
    Ok(if check.sound() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Opens a database that must already exist (a backup of a file not there is a typo).
async fn open_existing(path: &Path) -> anyhow::Result<minplan_store::Store> {
    if !path.is_file() {
        anyhow::bail!("找不到数据库文件：{}", path.display());
    }
    minplan_store::Store::open(path)
        .await
        .with_context(|| format!("无法打开数据库 {}", path.display()))
}

fn print_check(path: &Path, check: &DatabaseCheck) {
    let mut t = super::table(&["表", "记录数", "摘要（SHA-256 前 16 位）"]);
    for d in &check.tables {
        t.add_row(vec![
            d.table.clone(),
            d.rows.to_string(),
            d.sha256.chars().take(16).collect(),
        ]);
    }
    println!("{t}");
    println!(
        "数据库 {}：数据结构版本 {:04}，{} 张表共 {} 条记录",
        path.display(),
        check.schema_version,
        check.tables.len(),
        check.total_rows()
    );
    let problems = check.problems();
    if problems.is_empty() {
        println!("检查通过：文件完整，外键无缺失。");
        println!("{}", check.audit.summary());
    } else {
        println!("发现 {} 个问题：", problems.len());
        for p in problems {
            println!("  - {p}");
        }
    }
}
