//! `minplan joint-review show 申请编号`: an application's 联合审查 (《规划》四（三）3（1））—
//! the departments' opinions, the 现场踏查, an adjusted extent and its re-review, the
//! government's 同意 — and whether it is complete (what is missing). It is recorded on the
//! web (`/applications/{number}/joint-review`); `minplan right grant` is refused until it is
//! complete.

use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

/// 联合审查
#[derive(Subcommand)]
pub enum JointReviewCommand {
    /// 查看申请的联合审查：部门意见、现场踏查、范围调整及重新审查、人民政府同意、是否完成（退出码：0 已完成，2 未完成，1 未启动或无此申请）
    Show {
        /// 申请编号
        application: String,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
}

/// Runs `minplan joint-review …`.
pub fn run(db: Option<PathBuf>, cmd: JointReviewCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        let JointReviewCommand::Show { application, json } = cmd;
        let Some(r) = store.joint_review(&application).await? else {
            eprintln!("申请 {application} 尚未启动联合审查");
            return Ok(ExitCode::from(1));
        };
        if json {
            println!("{}", serde_json::to_string_pretty(&r)?);
        } else {
            let jr = &r.review;
            println!(
                "申请 {application} 联合审查（启动于 {}）",
                jr.started_on.chinese()
            );
            for d in &jr.departments {
                match &d.answer {
                    Some(a) => println!(
                        "  {}：{}（{}）{}",
                        d.name,
                        a.opinion.label(),
                        a.date.chinese(),
                        a.conditions
                            .as_deref()
                            .map(|c| format!("：{c}"))
                            .unwrap_or_default()
                    ),
                    None => println!("  {}：未回复", d.name),
                }
            }
            match &jr.site_visit {
                Some(v) => println!(
                    "现场踏查：{}，{}；{}（照片 {} 张）",
                    v.date.chinese(),
                    v.people,
                    v.findings,
                    v.photos.len()
                ),
                None => println!("现场踏查：未记录"),
            }
            if let Some(a) = &jr.adjusted {
                println!("开采范围调整：{}", a.date.chinese());
            }
            match &jr.consent {
                Some(c) => println!(
                    "人民政府同意：{}（{}）",
                    c.date.chinese(),
                    c.document_number
                ),
                None => println!("人民政府同意：未记录"),
            }
            match &r.completion {
                Ok(done) => {
                    println!("已完成，可以出让。");
                    for (dep, c) in &done.conditions {
                        println!("  须落实的条件（{dep}）：{c}");
                    }
                }
                Err(missing) => {
                    println!("尚未完成：");
                    for p in missing {
                        println!("  - {}", p.message);
                    }
                }
            }
        }
        Ok(if r.completion.is_ok() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        })
    })
}
