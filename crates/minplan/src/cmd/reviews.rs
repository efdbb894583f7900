//! `minplan reviews …`: stored reviews (审查记录) — list, show, re-run from their inputs.

use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

/// 审查记录子命令
#[derive(Subcommand)]
pub enum ReviewsCommand {
    /// 列出审查记录（新的在前）
    List {
        /// 只列出此申请编号的记录
        #[arg(long)]
        application: Option<String>,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 显示一条审查记录（可另存 Word 审查意见书）
    Show {
        /// 记录编号
        id: i64,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
        /// 写出 Word 审查意见书（.docx）
        #[arg(long, value_name = "FILE")]
        docx: Option<PathBuf>,
    },
    /// 用记录保存的输入（申请、坐标、规划版本、图层版本、登记簿与名录快照）重新审查，核对意见是否相同
    Verify {
        /// 记录编号
        id: i64,
    },
}

/// Runs a `reviews` subcommand. `verify` exits 0 when the opinion is the same, 1 otherwise.
pub fn run(db: Option<PathBuf>, cmd: ReviewsCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        match cmd {
            ReviewsCommand::List { application, json } => {
                let list = store.list_reviews(application.as_deref()).await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&list)?);
                } else if list.is_empty() {
                    println!("没有审查记录。");
                } else {
                    let mut t = super::table(&["编号", "申请编号", "项目", "申请人", "类型", "结论", "审查时间（北京时间）", "审查人", "状态"]);
                    for r in list {
                        t.add_row(vec![
                            r.id.to_string(),
                            r.application_number,
                            r.project_name,
                            r.holder_name,
                            r.kind,
                            r.conclusion,
                            minplan_web::http::words::beijing(&r.reviewed_at),
                            r.actor,
                            if r.superseded { "已被取代".into() } else { "有效".into() },
                        ]);
                    }
                    println!("{t}");
                }
                Ok(ExitCode::SUCCESS)
            }
            ReviewsCommand::Show { id, json, docx } => {
                let record = store.review_record(id).await?;
                let replay = store.replay_review(&record, None).await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&record.result)?);
                } else {
                    print!("{}", super::review::render(&replay.review, &replay.plan.loaded.plan, Some(id)));
                    let trail = store.audit_trail("review", &id.to_string()).await?;
                    let people = minplan_web::http::words::People::load(&store).await?;
                    for a in trail {
                        println!(
                            "留痕：{}（北京时间） {} {}（哈希 {}）",
                            minplan_web::http::words::beijing(&a.at),
                            people.actor(&a.actor),
                            minplan_web::http::words::action_label(&a.action),
                            &a.hash[..12]
                        );
                    }
                }
                if let Some(path) = docx {
                    let plan = &replay.plan.loaded.plan;
                    // The 文号 with the issuer frozen when it was given (later 机关设置 never
                    // rewrite an issued opinion).
                    let issued = store.issue_opinion(id, &plan.region.name, &minplan_store::Actor::cli_current()).await?;
                    let bytes = minplan_report::review_docx(&replay.review, plan, &minplan_web::settings::issued_docx_options(&issued))?;
                    std::fs::write(&path, bytes)?;
                    eprintln!("已写出审查意见书：{}", path.display());
                }
                if !replay.matches() {
                    eprintln!("注意：按记录的输入重新审查，以下内容与保存的意见不同：{}", replay.differences.join("、"));
                }
                Ok(ExitCode::SUCCESS)
            }
            ReviewsCommand::Verify { id } => {
                let record = store.review_record(id).await?;
                let replay = store.replay_review(&record, None).await?;
                if replay.matches() {
                    println!("审查记录 #{id} 复核一致：按记录保存的输入重新审查，意见与保存的相同（结论：{}）。", replay.review.conclusion.label());
                    Ok(ExitCode::SUCCESS)
                } else {
                    println!("审查记录 #{id} 复核不一致：{}", replay.differences.join("、"));
                    Ok(ExitCode::from(1))
                }
            }
        }
    })
}
