//! `minplan holder-list …`: 矿业权人异常名录 and 严重违法失信名单 as workflows — 列入 by a
//! decision, 移出申请 (a paper application entered by the bureau), 核验 (室内核验 or 实地核查),
//! 移出 only after a favourable 核验; the lists, an entry's history, the 核验 limit.

use super::register::refused;
use clap::{Subcommand, ValueEnum};
use minplan_domain::date::Date;
use minplan_domain::supervision::listing::{
    EntryStatus, HolderList, ListingReason, ListingRequest, Removal, Step, Verification,
    VerificationMethod, VerificationResult,
};
use minplan_store::{Actor, ListEntryQuery, UploadedFile};
use std::path::PathBuf;
use std::process::ExitCode;

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

/// 列入事由.
#[derive(Clone, Copy, ValueEnum)]
pub enum ReasonArg {
    /// 未按期公示（填报）勘查开采信息（异常名录）
    NotFiled,
    /// 公示信息隐瞒真实情况或弄虚作假（异常名录）
    FalseInformation,
    /// 检查发现未履行法定义务，责令整改逾期未改正（异常名录）
    ObligationUnfulfilled,
    /// 未按规定计提矿山地质环境治理恢复基金（异常名录）
    FundNotAccrued,
    /// 列入异常名录满三年仍未移出（严重违法失信名单）
    AbnormalThreeYears,
    /// 违反矿产资源管理法律法规受到较重行政处罚（严重违法失信名单）
    SeriousViolation,
    /// 其他（须用 --reason-text 写明）
    Other,
}

impl From<ReasonArg> for ListingReason {
    fn from(r: ReasonArg) -> ListingReason {
        match r {
            ReasonArg::NotFiled => ListingReason::NotFiled,
            ReasonArg::FalseInformation => ListingReason::FalseInformation,
            ReasonArg::ObligationUnfulfilled => ListingReason::ObligationUnfulfilled,
            ReasonArg::FundNotAccrued => ListingReason::FundNotAccrued,
            ReasonArg::AbnormalThreeYears => ListingReason::AbnormalThreeYears,
            ReasonArg::SeriousViolation => ListingReason::SeriousViolation,
            ReasonArg::Other => ListingReason::Other,
        }
    }
}

/// 核验方式.
#[derive(Clone, Copy, ValueEnum)]
pub enum MethodArg {
    /// 室内核验
    Desk,
    /// 实地核查
    Field,
}

/// 核验结论.
#[derive(Clone, Copy, ValueEnum)]
pub enum ResultArg {
    /// 同意移出
    Approve,
    /// 不予移出
    Refuse,
}

/// 名录子命令
#[derive(Subcommand)]
pub enum HolderListCommand {
    /// 列入名录（依列入决定）
    Add {
        /// abnormal（异常名录）或 serious（严重违法失信名单）
        #[arg(value_enum)]
        list: ListKind,
        /// 统一社会信用代码
        credit_code: String,
        /// 矿业权人名称
        name: String,
        /// 列入事由
        #[arg(long, value_enum)]
        reason: ReasonArg,
        /// 事由说明（“其他”时必填）
        #[arg(long, default_value = "")]
        reason_text: String,
        /// 列入决定文号
        #[arg(long)]
        decision_number: String,
        /// 列入决定日期（YYYY-MM-DD）
        #[arg(long)]
        decision_date: String,
    },
    /// 登记移出申请（矿业权人的书面申请）
    Apply {
        /// 名录事项编号（show 中的“编号”）
        id: i64,
        /// 申请日期（YYYY-MM-DD）
        #[arg(long)]
        date: String,
        /// 申请理由（已整改的情况）
        #[arg(long)]
        reason: String,
        /// 证明材料（每个不超过 10 MB，可多次给出）
        #[arg(long = "file")]
        files: Vec<PathBuf>,
    },
    /// 核验移出申请
    Verify {
        /// 名录事项编号
        id: i64,
        /// desk（室内核验）或 field（实地核查）
        #[arg(long, value_enum)]
        method: MethodArg,
        /// approve（同意移出）或 refuse（不予移出）
        #[arg(long, value_enum)]
        result: ResultArg,
        /// 核验意见
        #[arg(long)]
        reason: String,
        /// 核验日期（YYYY-MM-DD）
        #[arg(long)]
        date: String,
    },
    /// 移出名录（核验同意后，依移出决定）
    Remove {
        /// 名录事项编号
        id: i64,
        /// 移出决定文号
        #[arg(long)]
        decision_number: String,
        /// 移出决定日期（YYYY-MM-DD）
        #[arg(long)]
        decision_date: String,
    },
    /// 显示名录（默认在列的事项；--all 含已移出；--on 某日在列的事项）
    Show {
        /// 含已移出的事项
        #[arg(long)]
        all: bool,
        /// 显示该日（YYYY-MM-DD）在列的事项
        #[arg(long, conflicts_with = "all")]
        on: Option<String>,
    },
    /// 一个名录事项的全部经过
    History {
        /// 名录事项编号
        id: i64,
    },
    /// 核验时限（工作日）：不给天数则显示
    Limit {
        /// 工作日数（1–60）
        days: Option<i64>,
    },
}

fn date_arg(name: &str, s: &str) -> anyhow::Result<Date> {
    Date::parse(s).map_err(|e| anyhow::anyhow!("--{name}：{e}"))
}

/// The words of one step for a line of history.
pub fn step_words(step: &Step) -> String {
    match step {
        Step::Listed(l) => format!(
            "列入{}：{}（{}）",
            l.list.label(),
            l.reason_display(),
            l.decision_number
        ),
        Step::Applied(a) => format!(
            "移出申请：{}{}",
            a.reason,
            if a.attachments.is_empty() {
                String::new()
            } else {
                format!(
                    "；材料 {}",
                    a.attachments
                        .iter()
                        .map(|f| f.file_name.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                )
            }
        ),
        Step::Verified(v) => format!("{}，{}：{}", v.method.label(), v.result.label(), v.reason),
        Step::Removed(r) => format!("移出（{}）", r.decision_number),
    }
}

/// Runs a `holder-list` subcommand.
pub fn run_lists(db: Option<PathBuf>, cmd: HolderListCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        let actor = Actor::cli_current();
        match cmd {
            HolderListCommand::Add {
                list,
                credit_code,
                name,
                reason,
                reason_text,
                decision_number,
                decision_date,
            } => {
                let l: HolderList = list.into();
                let request = ListingRequest {
                    list: l,
                    holder_name: name,
                    credit_code,
                    reason: reason.into(),
                    reason_text,
                    decision_number,
                    decision_date: date_arg("decision-date", &decision_date)?,
                };
                match store.list_holder(&request, &actor).await {
                    Ok(id) => {
                        let e = store.list_entry(id).await?;
                        let x = e.entry.listing();
                        println!(
                            "已将 {}（{}）列入{}，编号 {id}。",
                            x.holder_name,
                            x.credit_code,
                            l.label()
                        );
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(e) => refused(e),
                }
            }
            HolderListCommand::Apply {
                id,
                date,
                reason,
                files,
            } => {
                let mut uploads = Vec::new();
                for f in &files {
                    let bytes = std::fs::read(f)
                        .map_err(|e| anyhow::anyhow!("--file {}：{e}", f.display()))?;
                    uploads.push(UploadedFile {
                        file_name: f
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                        bytes,
                    });
                }
                let on = date_arg("date", &date)?;
                match store
                    .apply_list_removal(id, None, on, &reason, &uploads, &actor)
                    .await
                {
                    Ok(_) => {
                        let limit = store.list_verification_limit().await?;
                        let cal = store.work_calendar().await?;
                        let due = cal.add_working_days(on, limit);
                        println!(
                            "已登记移出申请（编号 {id}），应于 {} 前核验（{limit} 个工作日）{}。",
                            due.value.chinese(),
                            due.note().map(|n| format!("；{n}")).unwrap_or_default()
                        );
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(e) => refused(e),
                }
            }
            HolderListCommand::Verify {
                id,
                method,
                result,
                reason,
                date,
            } => {
                let v = Verification {
                    method: match method {
                        MethodArg::Desk => VerificationMethod::Desk,
                        MethodArg::Field => VerificationMethod::Field,
                    },
                    result: match result {
                        ResultArg::Approve => VerificationResult::Approve,
                        ResultArg::Refuse => VerificationResult::Refuse,
                    },
                    reason,
                    verified_on: date_arg("date", &date)?,
                };
                match store.verify_list_removal(id, &v, &actor).await {
                    Ok(_) => {
                        println!(
                            "已记录{}（编号 {id}）：{}。",
                            v.method.label(),
                            v.result.label()
                        );
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(e) => refused(e),
                }
            }
            HolderListCommand::Remove {
                id,
                decision_number,
                decision_date,
            } => {
                let r = Removal {
                    decision_number,
                    decision_date: date_arg("decision-date", &decision_date)?,
                };
                match store.remove_listed_holder(id, &r, &actor).await {
                    Ok(e) => {
                        println!(
                            "已将 {}（{}）移出{}（{}）。",
                            e.listing().holder_name,
                            e.listing().credit_code,
                            e.listing().list.label(),
                            r.decision_number
                        );
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(e) => refused(e),
                }
            }
            HolderListCommand::Show { all, on } => {
                let on = on.map(|s| date_arg("on", &s)).transpose()?;
                let statuses = if all || on.is_some() {
                    vec![]
                } else {
                    vec![
                        EntryStatus::Listed,
                        EntryStatus::Applied,
                        EntryStatus::Approved,
                    ]
                };
                let entries = store
                    .list_entries(&ListEntryQuery {
                        statuses,
                        ..Default::default()
                    })
                    .await?;
                for l in HolderList::ALL {
                    let mine: Vec<_> = entries
                        .iter()
                        .filter(|e| e.entry.listing().list == l)
                        .filter(|e| on.is_none_or(|d| e.entry.in_force_on(d)))
                        .collect();
                    println!("{}（{} 条）", l.label(), mine.len());
                    for e in mine {
                        let x = e.entry.listing();
                        println!(
                            "  编号 {} {} {} {} 起（{}）：{} [{}]",
                            e.id,
                            x.credit_code,
                            x.holder_name,
                            x.decision_date,
                            x.decision_number,
                            x.reason_display(),
                            e.entry.status().label()
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            HolderListCommand::History { id } => {
                let e = match store.list_entry(id).await {
                    Ok(e) => e,
                    Err(err) => return refused(err),
                };
                let x = e.entry.listing();
                println!(
                    "{}（{}） {} [{}]",
                    x.holder_name,
                    x.credit_code,
                    x.list.label(),
                    e.entry.status().label()
                );
                for s in &e.steps {
                    println!("  {} {}", s.step.date(), step_words(&s.step));
                }
                Ok(ExitCode::SUCCESS)
            }
            HolderListCommand::Limit { days } => {
                if let Some(d) = days
                    && let Err(e) = store.set_list_verification_limit(d, &actor).await
                {
                    return refused(e);
                }
                println!(
                    "移出申请的核验时限：{} 个工作日。",
                    store.list_verification_limit().await?
                );
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}
