//! `minplan settings show|set`: the bureau's settings (机关名称, 文号 and 受理号 patterns,
//! signature lines, seal caption), and the issuer every Word document of the CLI uses.

use clap::Subcommand;
use minplan_domain::plan::Plan;
use minplan_store::settings::EffectiveSettings;
use minplan_store::{Actor, BureauSettings, Store, StoreError};
use std::path::PathBuf;
use std::process::ExitCode;

/// 机关设置
#[derive(Subcommand)]
pub enum SettingsCommand {
    /// 查看机关名称、文号格式、受理号格式、签署栏与印章说明（未设置的显示默认值）
    Show {
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 修改设置：只改给出的项；给空字符串（""）则恢复默认值
    Set {
        /// 机关名称，如 绥芬河市自然资源局
        #[arg(long)]
        bureau_name: Option<String>,
        /// 审查意见书文号格式，如 绥自然资审〔{年}〕{号}号
        #[arg(long)]
        opinion_number_pattern: Option<String>,
        /// 受理号格式，如 SFH-{年}-{号:04}
        #[arg(long)]
        intake_number_pattern: Option<String>,
        /// 签署栏职务，逗号分隔，如 承办人,审核人,签发人
        #[arg(long)]
        signers: Option<String>,
        /// 印章说明，如 （印章）
        #[arg(long)]
        seal_caption: Option<String>,
    },
}

/// The settings in force for the active plan's unit.
pub async fn effective(store: &Store, plan: &Plan) -> anyhow::Result<EffectiveSettings> {
    Ok(store.effective_settings(&plan.region.name).await?)
}

fn show_value(s: &EffectiveSettings, field: &str, value: String) -> String {
    if s.defaulted.iter().any(|d| d == field) {
        format!("{value}（未设置，使用默认值）")
    } else {
        value
    }
}

/// Runs `minplan settings …`.
pub fn run(db: Option<PathBuf>, cmd: SettingsCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        let plan = store
            .active_plan()
            .await?
            .ok_or_else(|| anyhow::anyhow!("数据库中没有启用的规划"))?;
        let unit = plan.loaded.plan.region.name.clone();
        match cmd {
            SettingsCommand::Show { json } => {
                let s = store.effective_settings(&unit).await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&s)?);
                    return Ok(ExitCode::SUCCESS);
                }
                let year = minplan_store::today().year();
                let mut t = super::table(&["项目", "设置"]);
                t.add_row(vec![
                    "机关名称".to_string(),
                    show_value(&s, "bureau_name", s.bureau_name.clone()),
                ]);
                t.add_row(vec![
                    "审查意见书文号格式".to_string(),
                    show_value(
                        &s,
                        "opinion_number_pattern",
                        s.opinion_number_pattern.clone(),
                    ),
                ]);
                t.add_row(vec![
                    "受理号格式".to_string(),
                    show_value(&s, "intake_number_pattern", s.intake_number_pattern.clone()),
                ]);
                t.add_row(vec![
                    "下一个受理号".to_string(),
                    store.next_intake_number(year).await?,
                ]);
                t.add_row(vec![
                    "签署栏".to_string(),
                    show_value(&s, "signers", s.signers.join("、")),
                ]);
                t.add_row(vec![
                    "印章说明".to_string(),
                    show_value(&s, "seal_caption", s.seal_caption.clone()),
                ]);
                println!("{t}");
                Ok(ExitCode::SUCCESS)
            }
            SettingsCommand::Set {
                bureau_name,
                opinion_number_pattern,
                intake_number_pattern,
                signers,
                seal_caption,
            } => {
                let mut s: BureauSettings = store.bureau_settings().await?;
                let pick = |new: Option<String>, old: Option<String>| match new {
                    Some(v) if v.trim().is_empty() => None,
                    Some(v) => Some(v),
                    None => old,
                };
                s.bureau_name = pick(bureau_name, s.bureau_name);
                s.opinion_number_pattern = pick(opinion_number_pattern, s.opinion_number_pattern);
                s.intake_number_pattern = pick(intake_number_pattern, s.intake_number_pattern);
                s.seal_caption = pick(seal_caption, s.seal_caption);
                if let Some(list) = signers {
                    let v: Vec<String> = list
                        .split([',', '，', '、'])
                        .map(|t| t.trim().to_string())
                        .filter(|t| !t.is_empty())
                        .collect();
                    s.signers = (!v.is_empty()).then_some(v);
                }
                match store.set_bureau_settings(&s, &Actor::cli_current()).await {
                    Ok(()) => {
                        println!("已保存机关设置。");
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(StoreError::Invalid(fields)) => {
                        for f in fields {
                            eprintln!("错误：{}", f.message);
                        }
                        eprintln!("未保存：请改正以上问题后重新设置。");
                        Ok(ExitCode::from(1))
                    }
                    Err(e) => Err(e.into()),
                }
            }
        }
    })
}
