//! `minplan plan …`: import, list, activate, show, check and export plan bundles; a plan
//! unit's versions (`history`) and the difference between two versions (`diff`).

use super::table;
use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use comfy_table::{Cell, CellAlignment};
use minplan_domain::bundle::load_bundle;
use minplan_domain::citation::format_number;
use minplan_domain::plan::{Plan, geojson};
use minplan_store::{Actor, StoreError, read_bundle_dir};
use std::path::PathBuf;
use std::process::ExitCode;

/// 规划数据子命令
#[derive(Subcommand)]
pub enum PlanCommand {
    /// 导入规划数据包目录（含 plan.toml）；同一县同一规划期的新内容保存为新版本
    Import {
        /// 数据包目录
        dir: PathBuf,
        /// 只导入，不切换为当前规划
        #[arg(long)]
        no_activate: bool,
    },
    /// 检查规划数据包，不写入数据库
    Check {
        /// 数据包目录
        dir: PathBuf,
    },
    /// 列出数据库中的规划版本
    List {
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 列出规划单元的各版本（批准、修改）及每次修改的内容
    History {
        /// 任一版本的编号（缺省为当前规划）
        id: Option<i64>,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 比较两个规划版本：区块新增、删除、调整，指标与准入条件变化，禁止限制矿种增减
    Diff {
        /// 旧版本编号
        from: i64,
        /// 新版本编号
        to: i64,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 切换当前规划版本
    Activate {
        /// 版本编号（见 plan list）
        id: i64,
    },
    /// 在终端显示当前规划：概况、现状、专栏1、专栏2、规划区块
    Show,
    /// 导出当前规划
    Export {
        /// 格式：json（全部数据）或 geojson（全部图层）
        #[arg(long, value_enum, default_value = "json")]
        format: ExportFormat,
        /// 输出文件（缺省输出到标准输出）
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

/// Export formats.
#[derive(Clone, Copy, ValueEnum)]
pub enum ExportFormat {
    /// 全部规划数据（JSON）
    Json,
    /// 全部图层（GeoJSON，CGCS2000 经纬度）
    Geojson,
}

/// Runs a `plan` subcommand. Exit 0 on success, 1 when a bundle has errors.
pub fn run(db: Option<PathBuf>, cmd: PlanCommand) -> anyhow::Result<ExitCode> {
    if let PlanCommand::Check { dir } = &cmd {
        let files =
            read_bundle_dir(dir).with_context(|| format!("无法读取目录 {}", dir.display()))?;
        return Ok(match load_bundle(&files) {
            Ok(l) => {
                for w in &l.warnings {
                    println!("提示：{w}");
                }
                println!(
                    "规划数据包检查通过：{}（{} 个文件）",
                    l.plan.identity.name.value,
                    files.len()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprint!("{e}");
                ExitCode::from(1)
            }
        });
    }
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        match cmd {
            PlanCommand::Check { .. } => unreachable!("handled above"),
            PlanCommand::Import { dir, no_activate } => {
                let files = read_bundle_dir(&dir)
                    .with_context(|| format!("无法读取目录 {}", dir.display()))?;
                match store
                    .import_plan(
                        &files,
                        // The bundle's folder name, not the operator's local path (shown on
                        // public pages).
                        &format!(
                            "数据包 {}",
                            dir.canonicalize()
                                .ok()
                                .and_then(|d| d
                                    .file_name()
                                    .map(|n| n.to_string_lossy().into_owned()))
                                .unwrap_or_else(|| dir.display().to_string())
                        ),
                        !no_activate,
                        &Actor::cli_current(),
                    )
                    .await
                {
                    Ok(out) => {
                        for w in &out.warnings {
                            println!("提示：{w}");
                        }
                        let v = &out.version;
                        if out.created {
                            println!(
                                "已导入：{}（{}，第 {} 版，编号 {}；{}，{} 起施行，批准文号：{}）",
                                v.name,
                                v.unit_label(),
                                v.version,
                                v.id,
                                v.kind_label(),
                                v.effective,
                                v.basis_number
                                    .as_deref()
                                    .unwrap_or(minplan_store::NOT_STATED)
                            );
                        } else {
                            println!(
                                "数据库中已有内容相同的版本：{}（第 {} 版，编号 {}），未重复导入",
                                v.name, v.version, v.id
                            );
                        }
                        if !no_activate {
                            println!("当前规划已切换为编号 {}。", v.id);
                        }
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(StoreError::Bundle(e)) => {
                        eprint!("{e}");
                        eprintln!("未写入数据库。");
                        Ok(ExitCode::from(1))
                    }
                    Err(e) => Err(e.into()),
                }
            }
            PlanCommand::List { json } => {
                let list = store.list_plans().await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&list)?);
                } else {
                    let mut t = table(&[
                        "编号",
                        "当前",
                        "规划单元",
                        "规划名称",
                        "规划期",
                        "版本",
                        "类型",
                        "施行日期",
                        "批准文号",
                        "来源",
                        "导入时间（北京时间）",
                    ]);
                    for p in list {
                        t.add_row(vec![
                            p.id.to_string(),
                            if p.active {
                                "●".into()
                            } else {
                                String::new()
                            },
                            p.unit_label(),
                            p.name.clone(),
                            format!("{}～{}", p.period_start, p.period_end),
                            format!("第 {} 版", p.version),
                            p.kind_label().to_string(),
                            p.effective.clone(),
                            p.basis_number
                                .clone()
                                .unwrap_or_else(|| minplan_store::NOT_STATED.into()),
                            p.source,
                            minplan_web::http::words::beijing(&p.imported_at),
                        ]);
                    }
                    println!("{t}");
                }
                Ok(ExitCode::SUCCESS)
            }
            PlanCommand::History { id, json } => {
                let id = match id {
                    Some(id) => id,
                    None => {
                        store
                            .active_plan()
                            .await?
                            .context("数据库中没有启用的规划")?
                            .info
                            .id
                    }
                };
                let history = store.plan_history(id).await?;
                let mut entries = Vec::new();
                for v in history {
                    let changes = store.plan_changes(v.id).await?;
                    entries.push((v, changes));
                }
                if json {
                    let value: Vec<_> = entries
                        .iter()
                        .map(|(v, c)| {
                            serde_json::json!({
                                "version": v,
                                "previous_id": c.as_ref().map(|c| c.0.id),
                                "changes": c.as_ref().map(|c| &c.1),
                            })
                        })
                        .collect();
                    println!("{}", serde_json::to_string_pretty(&value)?);
                    return Ok(ExitCode::SUCCESS);
                }
                if let Some((v, _)) = entries.first() {
                    println!(
                        "规划单元：{}，规划期 {}～{}",
                        v.unit_label(),
                        v.period_start,
                        v.period_end
                    );
                }
                for (v, changes) in &entries {
                    println!();
                    println!(
                        "第 {} 版（编号 {}{}）{}",
                        v.version,
                        v.id,
                        if v.active { "，当前" } else { "" },
                        v.name
                    );
                    println!("  类型：{}", v.kind_label());
                    println!("  批准文件：{}", v.basis_label());
                    println!(
                        "  批准日期：{}",
                        v.approved.as_deref().unwrap_or(minplan_store::NOT_STATED)
                    );
                    println!(
                        "  施行日期：{}{}",
                        v.effective,
                        if v.version_kind.is_none() {
                            "（未载明，按规划期起始）"
                        } else {
                            ""
                        }
                    );
                    println!(
                        "  导入：{}（北京时间；{}）",
                        minplan_web::http::words::beijing(&v.imported_at),
                        v.source
                    );
                    if let Some((previous, changes)) = changes {
                        println!(
                            "  与第 {} 版（编号 {}）相比：{}",
                            previous.version,
                            previous.id,
                            if changes.is_empty() { "无变化" } else { "" }
                        );
                        for c in changes {
                            println!("    - {}", c.describe());
                        }
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            PlanCommand::Diff { from, to, json } => {
                let old = store.load_plan(from).await?;
                let new = store.load_plan(to).await?;
                let changes = minplan_domain::plan::diff::diff(&old.loaded.plan, &new.loaded.plan);
                if json {
                    println!("{}", serde_json::to_string_pretty(&changes)?);
                } else {
                    println!(
                        "编号 {}（{} 第 {} 版）→ 编号 {}（{} 第 {} 版）：{}",
                        from,
                        old.info.unit_label(),
                        old.info.version,
                        to,
                        new.info.unit_label(),
                        new.info.version,
                        if changes.is_empty() {
                            "无变化".to_string()
                        } else {
                            format!("{} 处变化", changes.len())
                        }
                    );
                    for c in &changes {
                        println!("  - {}", c.describe());
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            PlanCommand::Activate { id } => {
                let v = store.activate(id, &Actor::cli_current()).await?;
                println!(
                    "当前规划已切换为：{}（第 {} 版，编号 {}）",
                    v.name, v.version, v.id
                );
                Ok(ExitCode::SUCCESS)
            }
            PlanCommand::Show => {
                let sp = store
                    .active_plan()
                    .await?
                    .context("数据库中没有启用的规划")?;
                print!("{}", show(&sp.loaded.plan));
                Ok(ExitCode::SUCCESS)
            }
            PlanCommand::Export { format, output } => {
                let sp = store
                    .active_plan()
                    .await?
                    .context("数据库中没有启用的规划")?;
                let value = match format {
                    ExportFormat::Json => serde_json::to_value(&sp.loaded.plan)?,
                    ExportFormat::Geojson => geojson::all_layers(&sp.loaded.plan),
                };
                let text = serde_json::to_string_pretty(&value)?;
                match output {
                    Some(p) => {
                        std::fs::write(&p, text + "\n")
                            .with_context(|| format!("无法写入 {}", p.display()))?;
                        eprintln!("已导出到 {}", p.display());
                    }
                    None => println!("{text}"),
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

fn right(s: impl Into<String>) -> Cell {
    Cell::new(s.into()).set_alignment(CellAlignment::Right)
}

/// The texts citations point into: the plan text and the `[[sources]]`, each with whether
/// the bundle carries it (without it, citations into it are 未核对).
fn sources(p: &Plan) -> String {
    let has = |b: bool| {
        if b {
            "附文本"
        } else {
            "未附文本，出处未核对"
        }
    };
    let mut out = format!("规划文本：{}\n", has(p.text.is_some()));
    for s in &p.sources {
        let mut what = vec![s.kind.label().to_string(), s.issuer.clone()];
        what.extend(s.number.clone());
        what.extend(s.date.clone());
        out += &format!(
            "来源文件 {}：《{}》（{}）{}\n",
            s.key,
            s.title,
            what.join("，"),
            has(s.text.is_some())
        );
    }
    out + "\n"
}

/// The terminal rendering of a plan: the same tables as the web pages.
pub fn show(p: &Plan) -> String {
    let mut out = String::new();
    let id = &p.identity;
    out += &format!("{}\n", id.name.value);
    out += &format!(
        "行政区划代码 {}　基准年 {}　规划期 {}～{}　平面坐标 {}\n\n",
        id.adcode,
        id.base_year
            .as_ref()
            .map_or("规划未载明".to_string(), |b| b.value.to_string()),
        id.period_start,
        id.period_end,
        p.region.zone
    );
    out += &sources(p);

    out += "现状\n";
    let mut t = table(&["类别", "项目", "数值", "单位", "出处"]);
    for f in &p.baseline {
        t.add_row(vec![
            Cell::new(&f.group),
            Cell::new(&f.label),
            right(format_number(f.value)),
            Cell::new(f.unit),
            Cell::new(p.cite_label(&f.cite)),
        ]);
    }
    out += &format!("{t}\n\n");

    out += "专栏1 三轮规划目标完成情况\n";
    let mut t = table(&[
        "规划目标",
        "规划指标",
        "单位",
        "规划目标值",
        "实际完成",
        "完成率",
        "出处",
    ]);
    for r in &p.previous_round {
        let name = match &r.item {
            Some(i) => format!("{}：{}", r.indicator, i),
            None => r.indicator.clone(),
        };
        t.add_row(vec![
            Cell::new(&r.category),
            Cell::new(name),
            Cell::new(r.unit),
            right(format_number(r.target)),
            right(format_number(r.actual)),
            right(
                r.completion_percent()
                    .map_or("—".into(), |c| format!("{c:.1}%")),
            ),
            Cell::new(p.cite_label(&r.cite)),
        ]);
    }
    out += &format!("{t}\n\n");

    out += &format!("专栏2 {}年主要规划指标\n", id.period_end);
    let mut t = table(&[
        "指标类别",
        "指标",
        "单位",
        "规划目标",
        "属性",
        "当前值",
        "出处",
    ]);
    for i in &p.indicators {
        let attr = i.attribute.label();
        t.add_row(vec![
            Cell::new(i.category.clone().unwrap_or_default()),
            Cell::new(&i.name),
            Cell::new(i.unit),
            right(format!(
                "{}{}",
                i.comparison.symbol(),
                format_number(i.target)
            )),
            Cell::new(attr),
            right("—"),
            Cell::new(p.cite_label(&i.cite)),
        ]);
    }
    out += &format!("{t}\n\n");

    out += "规划区块\n";
    let mut t = table(&[
        "编号",
        "名称",
        "类型",
        "划定/审批",
        "矿种",
        "椭球面积（km²）",
        "示意",
    ]);
    for b in &p.blocks {
        t.add_row(vec![
            Cell::new(&b.number),
            Cell::new(&b.name),
            Cell::new(b.kind.label()),
            Cell::new(b.approval.label()),
            Cell::new(if b.minerals.is_empty() {
                "（规划未载明）".into()
            } else {
                b.minerals.join("、")
            }),
            right(format!("{:.4}", b.area_km2)),
            Cell::new(if b.schematic { "示意" } else { "" }),
        ]);
    }
    out += &format!("{t}\n");
    let mut t = table(&[
        "类别",
        "规划载明数量",
        "规划载明总面积（km²）",
        "图形面积合计（km²）",
        "出处",
    ]);
    for g in &p.block_groups {
        t.add_row(vec![
            Cell::new(&g.label),
            right(g.count.value.to_string()),
            right(
                g.total_area_km2
                    .as_ref()
                    .map_or("规划未载明".to_string(), |t| format_number(t.value)),
            ),
            right(format!("{:.4}", g.computed_area_km2)),
            Cell::new(p.cite_label(g.total_area_km2.as_ref().map_or(&g.count.cite, |t| &t.cite))),
        ]);
    }
    out += &format!("{t}\n");
    out += "控制指标\n";
    let mut t = table(&[
        "指标", "计量", "矿种", "限定", "范围", "上限", "单位", "性质", "出处",
    ]);
    for c in &p.admission.caps {
        t.add_row(vec![
            Cell::new(&c.label),
            Cell::new(c.measure.label()),
            Cell::new(c.subject.label()),
            Cell::new(c.filter.label()),
            Cell::new(c.scope.as_deref().unwrap_or("全域")),
            right(match (c.soft, c.soft_word.as_deref()) {
                (false, _) => format!("{}{}", c.comparison.symbol(), format_number(c.value)),
                (true, Some("左右")) | (true, None) => format!("{}左右", format_number(c.value)),
                (true, Some(w)) => format!("{w}{}", format_number(c.value)),
            }),
            Cell::new(c.unit.symbol()),
            Cell::new(if c.soft {
                "软性（预警）"
            } else {
                "刚性"
            }),
            Cell::new(p.cite_label(&c.cite)),
        ]);
    }
    if !p.admission.caps.iter().any(|c| c.measure.is_count()) {
        t.add_row(vec![
            Cell::new("矿山数量控制数"),
            Cell::new("—"),
            Cell::new("—"),
            Cell::new("—"),
            Cell::new("—"),
            Cell::new("规划未设定"),
            Cell::new(""),
            Cell::new(""),
            Cell::new(""),
        ]);
    }
    out += &format!("{t}\n");
    if p.has_schematic_geometry() {
        out += "注：标“示意”的图形为示意数据（规划文本未给出坐标），导入正式图层后替换。\n";
    }
    out
}

#[cfg(test)]
mod tests {
    use super::show;
    use minplan_domain::bundle::load_bundle;

    /// `plan show` of a bundle without its text marks every citation 未核对.
    #[test]
    fn show_marks_citations_unchecked_without_the_text() {
        let mut files = minplan_store::default_bundle();
        let with = show(&load_bundle(&files).unwrap().plan);
        assert!(with.contains("《规划》专栏2") && !with.contains("未核对"));
        assert!(with.contains("规划文本：附文本"));
        let toml = String::from_utf8(files.get("plan.toml").unwrap().to_vec()).unwrap();
        files.insert("plan.toml", toml.replacen("text = \"text.txt\"\n", "", 1));
        let without = show(&load_bundle(&files).unwrap().plan);
        assert!(without.contains("《规划》专栏2（未核对）"), "{without}");
        assert!(without.contains("规划文本：未附文本，出处未核对"));
    }
}
