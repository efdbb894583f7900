//! `minplan audit …`: the audit trail (操作日志).
//!
//! `minplan audit verify [--json] [--expect-head ID:HASH]` recomputes the hash chain: exit 0
//! when intact, 1 naming every edited or deleted row, the first row where the chain breaks,
//! the newest account or review without its audit row (a log cut off or emptied), and, with
//! `--expect-head`, a head kept outside the database that the log no longer has.
//! `minplan audit list [--entity TYPE[:ID]] [--limit N] [--json]` prints rows, newest first.

use clap::Subcommand;
use comfy_table::{Cell, ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use minplan_store::{AuditFilter, audit};
use std::path::PathBuf;
use std::process::ExitCode;

/// 操作日志子命令
#[derive(Subcommand)]
pub enum AuditCommand {
    /// 校验操作日志的哈希链：完整时退出码 0；有记录被修改或删除时逐条列出并退出码 1
    Verify {
        /// 输出 JSON
        #[arg(long)]
        json: bool,
        /// 另行保存的链尾锚点（编号:哈希，如 verify 或每日 audit.head 记录所示）：核对该条仍在且未被改写
        #[arg(long, value_name = "ID:HASH")]
        expect_head: Option<String>,
    },
    /// 列出操作日志（最新在前）
    List {
        /// 只列某类对象或某个对象：类型（如 plan_version、user）或 类型:编号
        #[arg(long)]
        entity: Option<String>,
        /// 最多列出条数
        #[arg(long, default_value_t = 50)]
        limit: u32,
        /// 输出 JSON（含前后值与哈希）
        #[arg(long)]
        json: bool,
    },
}

/// Runs an `audit` subcommand.
pub fn run(db: Option<PathBuf>, cmd: AuditCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        match cmd {
            AuditCommand::Verify { json, expect_head } => {
                let anchor = expect_head
                    .as_deref()
                    .map(audit::Anchor::parse)
                    .transpose()
                    .map_err(anyhow::Error::msg)?;
                let report = audit::verify_with(&store, anchor.as_ref()).await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&report)?);
                } else {
                    println!("{}", report.summary());
                }
                Ok(if report.intact() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(1)
                })
            }
            AuditCommand::List {
                entity,
                limit,
                json,
            } => {
                let mut filter = AuditFilter::parse_entity(entity.as_deref().unwrap_or(""));
                filter.limit = Some(limit);
                let rows = store.audit_list(&filter).await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&rows)?);
                    return Ok(ExitCode::SUCCESS);
                }
                let mut t = Table::new();
                t.load_preset(UTF8_FULL_CONDENSED)
                    .set_content_arrangement(ContentArrangement::Dynamic);
                t.set_header(
                    [
                        "序号",
                        "时间（北京时间）",
                        "操作人",
                        "操作",
                        "对象",
                        "修改前",
                        "修改后",
                        "哈希",
                    ]
                    .iter()
                    .map(Cell::new),
                );
                for r in &rows {
                    t.add_row(vec![
                        r.id.to_string(),
                        minplan_web::http::words::beijing(&r.at),
                        r.actor.clone(),
                        r.action.clone(),
                        format!("{}:{}", r.entity_type, r.entity_id),
                        r.before.clone().unwrap_or_else(|| "—".into()),
                        r.after.clone().unwrap_or_else(|| "—".into()),
                        r.hash.get(..12).unwrap_or("").to_string(),
                    ]);
                }
                println!("{t}");
                println!("共 {} 条（最多列出 {limit} 条）。", rows.len());
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}
