//! `minplan indicators`, `minplan evaluate`, `minplan annual-plan`, `minplan reminders`,
//! `minplan scale-table …`: plan monitoring from the register and the annual reports.

use super::table;
use anyhow::Context;
use clap::{Args, Subcommand};
use comfy_table::{Cell, CellAlignment, Color};
use minplan_domain::citation::format_number;
use minplan_domain::date::Date;
use minplan_domain::monitoring::Status;
use minplan_domain::review::config::ScaleRow;
use minplan_domain::units::Unit;
use minplan_store::Actor;
use std::path::PathBuf;
use std::process::ExitCode;

/// 规划指标
#[derive(Args)]
pub struct IndicatorsArgs {
    /// 年度（缺省为上一年度；按该年 12 月 31 日在册的矿业权和该年度年报计算）
    #[arg(long)]
    year: Option<i32>,
    /// 输出 JSON
    #[arg(long)]
    json: bool,
    /// 设置上限类指标的预警比例（%，缺省 90），保存后生效
    #[arg(long, value_name = "PERCENT")]
    set_warning_percent: Option<f64>,
}

/// 规划实施评估
#[derive(Args)]
pub struct EvaluateArgs {
    /// 起始年度（缺省为规划期第一年）
    #[arg(long)]
    from: Option<i32>,
    /// 终止年度（实际完成取该年数值；缺省为上一年度）
    #[arg(long)]
    to: Option<i32>,
    /// 写出 Excel（专栏1格式）
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,
    /// 写出 Word 评估报告（含各指标年度变化图）
    #[arg(long, value_name = "FILE")]
    docx: Option<PathBuf>,
    /// 输出 JSON
    #[arg(long)]
    json: bool,
}

/// 年度实施计划（草案）
#[derive(Args)]
pub struct AnnualPlanArgs {
    /// 计划年度（缺省为今年）
    #[arg(long)]
    year: Option<i32>,
    /// 写出 Excel
    #[arg(long, value_name = "FILE")]
    xlsx: Option<PathBuf>,
    /// 写出 Word
    #[arg(long, value_name = "FILE")]
    docx: Option<PathBuf>,
    /// 输出 JSON
    #[arg(long)]
    json: bool,
}

/// 提醒
#[derive(Args)]
pub struct RemindersArgs {
    /// 以哪一天为“今天”（YYYY-MM-DD，缺省为今天，北京时间）
    #[arg(long)]
    today: Option<String>,
    /// 只列该统一社会信用代码的矿业权人的提醒
    #[arg(long)]
    credit_code: Option<String>,
    /// 输出 JSON
    #[arg(long)]
    json: bool,
}

/// 规模分类表（国土资发〔2004〕208号）子命令
#[derive(Subcommand)]
pub enum ScaleTableCommand {
    /// 显示当前使用的规模分类表
    Show,
    /// 新增或修改一个矿种的分类界限（保存为新版本；同一矿种可按体积、质量各设一行）
    Set {
        /// 矿种（含其下属矿种）
        mineral: String,
        /// 年产量单位（万立方米/年、万吨/年 等；替换该矿种同一量纲的那一行）
        #[arg(long)]
        unit: String,
        /// 大型下限（含）
        #[arg(long)]
        large: f64,
        /// 中型下限（含）
        #[arg(long)]
        medium: f64,
    },
    /// 删除一个矿种的分类界限（保存为新版本）
    Remove {
        /// 矿种
        mineral: String,
    },
}

fn status_colour(s: Status) -> Color {
    match s {
        Status::OnTrack => Color::Green,
        Status::Warning => Color::Yellow,
        Status::Breached => Color::Red,
        Status::NoData | Status::NotReported | Status::NotEntered => Color::Grey,
        Status::OutOfPeriod | Status::Unfinished | Status::NotStarted => Color::Grey,
        Status::ManualCheck | Status::PartlyReported => Color::Magenta,
    }
}

fn fmt(v: Option<f64>) -> String {
    v.map_or("—".into(), |x| format_number((x * 100.0).round() / 100.0))
}

/// Runs `minplan indicators`.
pub fn run_indicators(db: Option<PathBuf>, a: IndicatorsArgs) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        if let Some(p) = a.set_warning_percent {
            store
                .set_warn_ratio(p / 100.0, &Actor::cli_current())
                .await?;
            eprintln!("已将上限类指标的预警比例设为 {}%。", format_number(p));
        }
        let plan = store
            .active_plan()
            .await?
            .context("数据库中没有启用的规划")?;
        let plan = &plan.loaded.plan;
        let year = a.year.unwrap_or(minplan_store::today().year() - 1);
        let r = store.indicator_report(plan, year).await?;
        if a.json {
            println!("{}", serde_json::to_string_pretty(&r)?);
            return Ok(ExitCode::SUCCESS);
        }
        println!(
            "{}　{} 年规划指标（矿业权按 {} 在册统计；年度报告 {} / {} 座矿山已报送）",
            r.plan,
            r.year,
            r.as_of.chinese(),
            r.reports_filed.min(r.reports_required),
            r.reports_required
        );
        if !r.standing_note.is_empty() {
            println!("注意：{}", r.standing_note);
        }
        let mut t = table(&[
            "规划指标",
            "单位",
            "目标",
            "数值",
            "占目标",
            "状态",
            "预测至末年",
            "说明",
        ]);
        for i in &r.indicators {
            t.add_row(vec![
                Cell::new(&i.label),
                Cell::new(i.unit.symbol()),
                Cell::new(&i.target_label),
                Cell::new(match i.value {
                    Some(_) => fmt(i.value),
                    None if matches!(i.status, Status::NotReported | Status::NotEntered) => {
                        i.status_label.clone()
                    }
                    None => "—".into(),
                })
                .set_alignment(CellAlignment::Right),
                Cell::new(
                    i.percent_of_target
                        .map_or("—".into(), |p| format!("{p:.1}%")),
                )
                .set_alignment(CellAlignment::Right),
                Cell::new(if i.coverage.is_some_and(|c| !c.complete()) {
                    format!("{}（{}）", i.status_label, i.coverage_label)
                } else if i.manual.is_some() {
                    format!("{}（人工填报）", i.status_label)
                } else {
                    i.status_label.clone()
                })
                .fg(status_colour(i.status)),
                Cell::new(fmt(i.projection)).set_alignment(CellAlignment::Right),
                Cell::new(&i.note),
            ]);
        }
        println!("{t}");
        println!(
            "预警比例 {}%；规模分类依据{}。",
            format_number(r.warn_ratio * 100.0),
            r.scale_table
        );
        Ok(ExitCode::SUCCESS)
    })
}

/// Runs `minplan evaluate`.
pub fn run_evaluate(db: Option<PathBuf>, a: EvaluateArgs) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        let sp = store
            .active_plan()
            .await?
            .context("数据库中没有启用的规划")?;
        let plan = &sp.loaded.plan;
        let from = a.from.unwrap_or(plan.identity.period_start);
        let to = a.to.unwrap_or(minplan_store::today().year() - 1);
        let e = store.evaluation(plan, from, to).await?;
        let issuer = minplan_web::settings::issuer(
            &super::settings::effective(&store, plan).await?,
            minplan_store::today().to_string(),
        );
        // 矿区生态保护修复与绿色矿山 of the last year, as the web's downloads carry it.
        let restoration = minplan_domain::restoration::indicators::restoration_indicators(
            plan,
            to,
            &store
                .restoration_figures(to, minplan_store::today())
                .await?,
        );
        let mut files = Vec::new();
        if let Some(p) = &a.xlsx {
            files.push((
                p.as_path(),
                "Excel",
                minplan_report::evaluation_xlsx_with_restoration(&e, Some(&restoration))?,
            ));
        }
        if let Some(p) = &a.docx {
            files.push((
                p.as_path(),
                "Word",
                minplan_report::evaluation_docx_with_restoration(&e, &issuer, Some(&restoration))?,
            ));
        }
        super::write_all(&files)?;
        if a.json {
            println!("{}", serde_json::to_string_pretty(&e)?);
            return Ok(ExitCode::SUCCESS);
        }
        println!("{} 规划实施评估（{}～{}年）", e.plan, e.from, e.to);
        let mut t = table(&minplan_report::ZHUANLAN1_COLUMNS);
        for r in &e.rows {
            t.add_row(vec![
                Cell::new(r.seq),
                Cell::new(&r.group),
                Cell::new(&r.indicator),
                Cell::new(r.unit.symbol()),
                Cell::new(&r.target_label).set_alignment(CellAlignment::Right),
                Cell::new(match r.actual {
                    Some(_) => fmt(r.actual),
                    None if matches!(r.status, Status::NotReported | Status::NotEntered) => {
                        r.status_label.clone()
                    }
                    None => "—".into(),
                })
                .set_alignment(CellAlignment::Right),
                Cell::new(r.completion_pct.map_or("—".into(), |p| format!("{p:.1}%")))
                    .set_alignment(CellAlignment::Right),
            ]);
        }
        println!("{t}");
        for n in &e.notes {
            println!("注：{n}");
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Runs `minplan annual-plan`.
pub fn run_annual_plan(db: Option<PathBuf>, a: AnnualPlanArgs) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        let sp = store
            .active_plan()
            .await?
            .context("数据库中没有启用的规划")?;
        let plan = &sp.loaded.plan;
        let year = a.year.unwrap_or(minplan_store::today().year());
        let d = store.annual_plan(plan, year).await?;
        let issuer = minplan_web::settings::issuer(
            &super::settings::effective(&store, plan).await?,
            minplan_store::today().to_string(),
        );
        let mut files = Vec::new();
        if let Some(p) = &a.xlsx {
            files.push((p.as_path(), "Excel", minplan_report::annual_plan_xlsx(&d)?));
        }
        if let Some(p) = &a.docx {
            files.push((
                p.as_path(),
                "Word",
                minplan_report::annual_plan_docx(&d, &issuer)?,
            ));
        }
        super::write_all(&files)?;
        if a.json {
            println!("{}", serde_json::to_string_pretty(&d)?);
            return Ok(ExitCode::SUCCESS);
        }
        println!(
            "{} 年度规划实施计划（草案），数据截至{}",
            d.year,
            d.basis_date.chinese()
        );
        for x in &d.exceeded {
            println!(
                "超出规划控制指标：{} 现为 {} {}，上限 {}（{}）",
                x.cap,
                format_number(x.value),
                x.unit,
                x.limit_label,
                x.cite
            );
        }
        let mut t = table(&[
            "矿种",
            "单位",
            "调控指标",
            "核定规模合计",
            "可新增规模",
            "上年开采量",
        ]);
        for c in &d.caps {
            t.add_row(vec![
                c.mineral.clone(),
                c.unit.symbol().into(),
                format_number(c.cap),
                format_number(c.licensed),
                format_number(c.licensable),
                c.last_year_extraction
                    .map_or("未报送".to_string(), format_number),
            ]);
        }
        println!("{t}");
        match d.mines {
            Some((c, n, m)) => println!("矿山企业：上限 {c}，现有 {n}，尚可新增 {m}"),
            None => println!("矿山企业：规划未设定上限"),
        }
        if let Some((c, n, m)) = d.mines_this_level {
            println!("本级审批发证：上限 {c}，现有 {n}，尚可新增 {m}");
        }
        println!("可投放区块：");
        for b in &d.open_blocks {
            println!("  {} {}（{}，{}）", b.number, b.name, b.kind, b.minerals);
        }
        for x in &d.expiring {
            println!("到期：{}（{}）至 {}", x.name, x.id, x.valid_to);
        }
        for x in &d.restoration {
            println!("治理：{}：{}", x.subject, x.task);
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Runs `minplan reminders`.
pub fn run_reminders(db: Option<PathBuf>, a: RemindersArgs) -> anyhow::Result<ExitCode> {
    let today = match &a.today {
        Some(t) => match Date::parse(t) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("错误：--today：{e}");
                return Ok(ExitCode::from(1));
            }
        },
        None => minplan_store::today(),
    };
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        let sp = store
            .active_plan()
            .await?
            .context("数据库中没有启用的规划")?;
        let list = store
            .reminders(&sp.loaded.plan, today, a.credit_code.as_deref())
            .await?;
        if a.json {
            println!("{}", serde_json::to_string_pretty(&list)?);
        } else if list.is_empty() {
            println!("{today}：没有需要提醒的事项。");
        } else {
            println!("{today}：{} 项提醒", list.len());
            for r in &list {
                println!(
                    "{} [{}] {}",
                    if r.urgent { "！" } else { "·" },
                    r.title,
                    r.message
                );
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// Runs `minplan scale-table …`.
pub fn run_scale_table(db: Option<PathBuf>, c: ScaleTableCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        let v = match c {
            ScaleTableCommand::Show => store.scale_table().await?,
            ScaleTableCommand::Set {
                mineral,
                unit,
                large,
                medium,
            } => {
                let unit = match Unit::parse(&unit) {
                    Ok(u) => u,
                    Err(e) => {
                        eprintln!("错误：--unit：{e}");
                        return Ok(ExitCode::from(1));
                    }
                };
                store
                    .set_scale_row(
                        ScaleRow {
                            mineral: mineral.trim().to_string(),
                            unit,
                            large_min: large,
                            medium_min: medium,
                        },
                        &Actor::cli_current(),
                    )
                    .await?
            }
            ScaleTableCommand::Remove { mineral } => {
                store
                    .remove_scale_row(&mineral, &Actor::cli_current())
                    .await?
            }
        };
        println!("{}", v.table.source);
        let mut t = table(&["矿种", "单位", "大型（≥）", "中型（≥）", "小型（<）"]);
        for r in &v.table.rows {
            t.add_row(vec![
                r.mineral.clone(),
                r.unit.symbol().into(),
                format_number(r.large_min),
                format_number(r.medium_min),
                format_number(r.medium_min),
            ]);
        }
        println!("{t}");
        Ok(ExitCode::SUCCESS)
    })
}
