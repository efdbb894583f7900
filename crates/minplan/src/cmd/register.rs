//! `minplan right …` (the register of rights and its lifecycle: import, decide, grant,
//! register, extend, change, transfer, mortgage, closure, cancel). `minplan holder-list …` is in
//! `holder_lists`.

use anyhow::Context;
use clap::Subcommand;
use minplan_domain::date::Date;
use minplan_domain::register::{
    ClosureAcceptance, ClosureReport, Decision, Grant, Mortgage, Registration, RightExtension,
    RightHistory,
};
use minplan_store::{Actor, BulkMode};
use std::path::PathBuf;
use std::process::ExitCode;

/// 矿业权登记子命令
#[derive(Subcommand)]
pub enum RightCommand {
    /// 导入矿业权：XLSX/CSV 登记台账（拐点坐标在一列中），或 Shapefile（.shp 或 zip）、GeoPackage、KML 登记簿（属性为登记表的列名：许可证号、矿业权类型、状态、矿山名称、矿业权人、统一社会信用代码、矿种、生产规模、规模单位、审批级别、有效期起、有效期止、面积），逐行检查，默认只检查不导入（--commit 导入）；或属性为英文键 id、kind、status、name、holder_name、credit_code、minerals、capacity、capacity_unit、approval 的 GeoJSON（立即导入）
    Import {
        /// GeoJSON、Shapefile、GeoPackage、KML、XLSX 或 CSV 文件
        file: PathBuf,
        /// 登记表（XLSX/CSV、Shapefile、GeoPackage、KML）：全部行无问题时导入（有问题则一行也不导入）
        #[arg(long)]
        commit: bool,
        /// 登记表：导入无问题的行，跳过有问题的行
        #[arg(long, conflicts_with = "commit")]
        skip_invalid: bool,
        /// 登记表：拐点坐标单元格的 Y 不含带号时所用的 3° 投影带号（25–45；缺省为规划的投影带）
        #[arg(long)]
        zone: Option<String>,
        /// 登记表：拐点坐标单元格未注明坐标系时所用的坐标系（只接受 cgcs2000 = 2000国家大地坐标系）
        #[arg(long)]
        datum: Option<String>,
        #[command(flatten)]
        read: super::ReadArgs,
    },
    /// 列出登记的矿业权和在审申请
    List {
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 显示一宗矿业权的登记事项（历史）
    Show {
        /// 许可证号
        id: String,
        /// 输出 JSON
        #[arg(long)]
        json: bool,
    },
    /// 对申请作出决定：批准或不予批准（基本符合的申请批准时须 --accepted 人工核查意见）
    Decide {
        /// 申请编号
        application: String,
        /// 批准
        #[arg(long, conflicts_with = "refuse")]
        approve: bool,
        /// 不予批准
        #[arg(long)]
        refuse: bool,
        /// 决定日期（YYYY-MM-DD）
        #[arg(long)]
        date: String,
        /// 人工核查意见（基本符合（需人工核查）的申请批准时必填）
        #[arg(long)]
        accepted: Option<String>,
        /// 不予批准的理由
        #[arg(long)]
        reason: Option<String>,
    },
    /// 办结在审申请：不予受理、退回或不予批准（须 --reason 理由）；此后不再作为在审申请参与审查
    Conclude {
        /// 申请编号
        application: String,
        /// 办结方式：不予受理、退回、不予批准
        #[arg(long)]
        how: String,
        /// 办结日期（YYYY-MM-DD）
        #[arg(long)]
        date: String,
        /// 理由
        #[arg(long)]
        reason: String,
    },
    /// 记录出让（招标、拍卖、挂牌、协议；净矿出让；出让收益）
    Grant {
        /// 申请编号
        application: String,
        /// 出让方式：招标、拍卖、挂牌、协议
        #[arg(long)]
        method: String,
        /// 出让收益（万元）
        #[arg(long)]
        price: f64,
        /// 成交日期（YYYY-MM-DD）
        #[arg(long)]
        date: String,
        /// 净矿出让
        #[arg(long)]
        net_mineral: bool,
        /// 出让合同编号
        #[arg(long)]
        contract: Option<String>,
    },
    /// 登记新立（或探转采）的矿业权：须已批准、审查结论符合或基本符合已核查、新立已出让
    Register {
        /// 申请编号
        application: String,
        /// 许可证号
        #[arg(long)]
        licence: String,
        /// 有效期起（YYYY-MM-DD）
        #[arg(long)]
        from: String,
        /// 有效期止（YYYY-MM-DD）
        #[arg(long)]
        to: String,
        /// 登记日期（缺省为有效期起）
        #[arg(long)]
        date: Option<String>,
        /// 审批级别（省级、市级划定、本级审批；缺省取审查所在规划区块）
        #[arg(long)]
        approval: Option<String>,
        /// 矿山名称（缺省为申请的项目名称）
        #[arg(long)]
        name: Option<String>,
    },
    /// 延续：新的有效期止；到期后延续须 --reason 说明原因
    Extend {
        /// 许可证号
        id: String,
        /// 新的有效期止（YYYY-MM-DD）
        #[arg(long)]
        to: String,
        /// 延续登记日期（YYYY-MM-DD）
        #[arg(long)]
        date: String,
        /// 逾期延续的原因
        #[arg(long)]
        reason: Option<String>,
        /// 经审查批准的延续申请编号
        #[arg(long)]
        application: Option<String>,
    },
    /// 变更：按已批准的变更申请登记（矿种、规模、范围、标高）
    Change {
        /// 许可证号
        id: String,
        /// 变更申请编号
        #[arg(long)]
        application: String,
        /// 变更登记日期（YYYY-MM-DD）
        #[arg(long)]
        date: String,
    },
    /// 转让：按已批准的转让申请变更矿业权人
    Transfer {
        /// 许可证号
        id: String,
        /// 转让申请编号
        #[arg(long)]
        application: String,
        /// 转让登记日期（YYYY-MM-DD）
        #[arg(long)]
        date: String,
    },
    /// 抵押备案
    Mortgage {
        /// 许可证号
        id: String,
        /// 抵押权人
        #[arg(long)]
        mortgagee: String,
        /// 担保金额（万元）
        #[arg(long)]
        amount: f64,
        /// 抵押期限起（YYYY-MM-DD）
        #[arg(long)]
        from: String,
        /// 抵押期限止（YYYY-MM-DD）
        #[arg(long)]
        until: String,
    },
    /// 解除抵押
    ReleaseMortgage {
        /// 许可证号
        id: String,
        /// 日期（YYYY-MM-DD）
        #[arg(long)]
        date: String,
    },
    /// 报送闭坑报告
    ClosureReport {
        /// 许可证号
        id: String,
        /// 报告名称
        #[arg(long)]
        title: String,
        /// 报送日期（YYYY-MM-DD）
        #[arg(long)]
        date: String,
    },
    /// 闭坑：闭坑报告审查验收通过，矿业权终止
    Close {
        /// 许可证号
        id: String,
        /// 验收日期（YYYY-MM-DD）
        #[arg(long)]
        date: String,
        /// 验收单位
        #[arg(long)]
        accepted_by: String,
        /// 验收文件文号
        #[arg(long)]
        document: String,
    },
    /// 注销
    Cancel {
        /// 许可证号
        id: String,
        /// 注销日期（YYYY-MM-DD）
        #[arg(long)]
        date: String,
        /// 注销原因
        #[arg(long)]
        reason: String,
    },
}

fn date_arg(name: &str, s: &str) -> anyhow::Result<Date> {
    Date::parse(s).map_err(|e| anyhow::anyhow!("--{name}：{e}"))
}

/// Prints a store error: refused input as its problems (exit 1), anything else as an error.
pub fn refused(e: minplan_store::StoreError) -> anyhow::Result<ExitCode> {
    match e {
        minplan_store::StoreError::Invalid(fields) => {
            eprintln!("未办理，有 {} 处问题：", fields.len());
            for f in fields {
                eprintln!("  - {}：{}", f.field, f.message);
            }
            Ok(ExitCode::from(1))
        }
        minplan_store::StoreError::NotFound(m) => {
            eprintln!("错误：{m}");
            Ok(ExitCode::from(1))
        }
        other => Err(other.into()),
    }
}

fn print_history(h: &RightHistory) {
    let s = h.current();
    println!(
        "{} {} {}（{}）{}　{}　有效期 {} 至 {}",
        h.id,
        s.kind.label(),
        s.name,
        s.holder_name,
        s.capacity.map(|c| format!(" {c}")).unwrap_or_default(),
        s.standing.label(),
        s.valid_from.map_or("—".into(), |d| d.to_string()),
        s.valid_to.map_or("—".into(), |d| d.to_string()),
    );
    for e in &h.events {
        println!(
            "  {} {}　{}　{}",
            e.date.map_or("（无日期）".into(), |d| d.to_string()),
            e.kind.label(),
            e.actor,
            if e.detail.is_null() || e.detail == serde_json::json!({}) {
                String::new()
            } else {
                e.detail.to_string()
            }
        );
    }
}

/// Prints a bulk outcome; exit 1 when rows have problems.
pub fn print_bulk(out: &minplan_store::BulkOutcome, mode: BulkMode) -> ExitCode {
    println!(
        "读取 {} 行，{} 行无问题，{} 行有问题。",
        out.rows,
        out.valid,
        out.rows - out.valid
    );
    for p in &out.problems {
        println!("  - {p}");
    }
    match (mode, out.committed) {
        (BulkMode::DryRun, _) => println!(
            "（检查模式，未导入。全部无问题后用 --commit 导入；或用 --skip-invalid 只导入无问题的行）"
        ),
        (_, true) => println!("已导入 {} 行：{}", out.imported, out.keys.join("、")),
        (BulkMode::Commit, false) if !out.problems.is_empty() => {
            println!("有问题，未导入任何行。")
        }
        _ => println!("没有可导入的行。"),
    }
    if out.problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Runs a `right` subcommand.
pub fn run_right(db: Option<PathBuf>, cmd: RightCommand) -> anyhow::Result<ExitCode> {
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        match cmd {
            RightCommand::Import {
                file,
                commit,
                skip_invalid,
                zone: zone_arg,
                datum: datum_arg,
                read: read_args,
            } => {
                let settings = match minplan_store::CornerSettings::parse(
                    zone_arg.as_deref().unwrap_or(""),
                    datum_arg.as_deref().unwrap_or(""),
                ) {
                    Ok(s) => s,
                    Err(problems) => {
                        for (field, m) in problems {
                            eprintln!("错误：--{field}：{m}");
                        }
                        return Ok(ExitCode::from(1));
                    }
                };
                let plan = store
                    .active_plan()
                    .await?
                    .context("数据库中没有启用的规划")?;
                let name = file.display().to_string();
                let lower = name.to_lowercase();
                let mode = if commit {
                    BulkMode::Commit
                } else if skip_invalid {
                    BulkMode::SkipInvalid
                } else {
                    BulkMode::DryRun
                };
                if minplan_store::is_table_file(&name) {
                    let bytes = std::fs::read(&file).with_context(|| format!("无法读取 {name}"))?;
                    let rows = minplan_store::read_table(&bytes, &name)?;
                    let out = store
                        .import_rights_table_with(
                            &plan.loaded.plan,
                            &rows,
                            &name,
                            mode,
                            settings,
                            &Actor::cli_current(),
                        )
                        .await?;
                    return Ok(print_bulk(&out, mode));
                }
                let is_geojson = lower.ends_with(".geojson") || lower.ends_with(".json");
                let is_layer = [".shp", ".zip", ".gpkg", ".kml", ".kmz"]
                    .iter()
                    .any(|e| lower.ends_with(e));
                if !(is_geojson || is_layer) {
                    anyhow::bail!(
                        "{name}：{}；也可以是 Shapefile（.shp 或 zip）、GeoPackage、KML 登记簿",
                        minplan_store::UNSUPPORTED_TYPE
                    );
                }
                let zone = plan.loaded.plan.region.zone;
                let files = super::layer_files(&file)?;
                let read = read_args.options()?;
                // A register with the table's Chinese column names (a Shapefile, a GeoPackage,
                // a KML, or a GeoJSON as `minplan export rights` writes it) goes through the
                // table and all its checks, dry run first; a GeoJSON with the English keys
                // through the GeoJSON import as before.
                let table_path = is_layer || {
                    let l = minplan_io::read_layer(
                        &files,
                        &minplan_io::ReadOptions {
                            zone: Some(zone),
                            ..read.clone()
                        },
                    )
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                    minplan_store::has_register_columns(&l)
                };
                if table_path {
                    let (out, notes) = store
                        .import_rights_files(
                            &plan.loaded.plan,
                            &files,
                            &read,
                            read_args.crs()?,
                            &name,
                            mode,
                            &Actor::cli_current(),
                        )
                        .await?;
                    for n in &notes {
                        println!("说明：{n}");
                    }
                    return Ok(print_bulk(&out, mode));
                }
                let text = std::str::from_utf8(&files[0].bytes)
                    .with_context(|| format!("{name} 不是 UTF-8 文本"))?;
                let out = store
                    .import_rights(text, &name, zone, &minplan_store::Actor::cli_current())
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
            other => lifecycle(&store, other).await,
        }
    })
}

async fn lifecycle(store: &minplan_store::Store, cmd: RightCommand) -> anyhow::Result<ExitCode> {
    let actor = Actor::cli_current();
    let result = match cmd {
        RightCommand::Show { id, json } => {
            return match store.right_history(&id).await {
                Ok(h) => {
                    if json {
                        println!("{}", serde_json::to_string_pretty(&h)?);
                    } else {
                        print_history(&h);
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refused(e),
            };
        }
        RightCommand::Decide {
            application,
            approve,
            refuse,
            date,
            accepted,
            reason,
        } => {
            if approve == refuse {
                eprintln!("错误：须指定 --approve（批准）或 --refuse（不予批准）之一");
                return Ok(ExitCode::from(1));
            }
            let d = Decision {
                approve,
                date: date_arg("date", &date)?,
                accepted_checks: accepted,
                reason,
            };
            return match store.decide_application(&application, &d, &actor).await {
                Ok(st) => {
                    println!("申请 {application}：{}", st.label());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refused(e),
            };
        }
        RightCommand::Conclude {
            application,
            how,
            date,
            reason,
        } => {
            let Some(kind) = minplan_domain::register::ClosingKind::parse(how.trim()) else {
                eprintln!("错误：--how“{how}”应为 不予受理、退回、不予批准 之一");
                return Ok(ExitCode::from(1));
            };
            let c = minplan_domain::register::ApplicationClosing {
                kind,
                date: date_arg("date", &date)?,
                reason,
            };
            return match store.close_application(&application, &c, &actor).await {
                Ok(st) => {
                    println!(
                        "申请 {application}：{}（不再作为在审申请参与审查）",
                        st.label()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refused(e),
            };
        }
        RightCommand::Grant {
            application,
            method,
            price,
            date,
            net_mineral,
            contract,
        } => {
            let Some(m) = minplan_domain::application::GrantMethod::parse(&method) else {
                eprintln!("错误：--method“{method}”应为 招标、拍卖、挂牌、协议 之一");
                return Ok(ExitCode::from(1));
            };
            let g = Grant {
                method: m,
                net_mineral,
                price_wan_yuan: price,
                date: date_arg("date", &date)?,
                contract,
            };
            return match store.record_grant(&application, &g, &actor).await {
                Ok(()) => {
                    println!("申请 {application}：已记录{}出让", m.label());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refused(e),
            };
        }
        RightCommand::Register {
            application,
            licence,
            from,
            to,
            date,
            approval,
            name,
        } => {
            use minplan_domain::plan::ApprovalLevel;
            let from = date_arg("from", &from)?;
            let approval = match approval.as_deref() {
                None => None,
                Some(a) => match ApprovalLevel::parse(a) {
                    Some(l) => Some(l),
                    None => {
                        eprintln!("错误：--approval“{a}”应为 {} 之一", ApprovalLevel::ACCEPTED);
                        return Ok(ExitCode::from(1));
                    }
                },
            };
            let r = Registration {
                licence,
                date: match &date {
                    Some(d) => date_arg("date", d)?,
                    None => from,
                },
                valid_from: from,
                valid_to: date_arg("to", &to)?,
                name,
                capacity: None,
                elevation: None,
                area_km2: None,
                approval,
                mine_id: None,
            };
            store.register_right(&application, &r, &actor).await
        }
        RightCommand::Extend {
            id,
            to,
            date,
            reason,
            application,
        } => {
            let e = RightExtension {
                date: date_arg("date", &date)?,
                valid_to: date_arg("to", &to)?,
                reason,
                application,
            };
            store.extend_right(&id, &e, &actor).await
        }
        RightCommand::Change {
            id,
            application,
            date,
        } => {
            store
                .change_right(&id, &application, date_arg("date", &date)?, &actor)
                .await
        }
        RightCommand::Transfer {
            id,
            application,
            date,
        } => {
            store
                .transfer_right(&id, &application, date_arg("date", &date)?, &actor)
                .await
        }
        RightCommand::Mortgage {
            id,
            mortgagee,
            amount,
            from,
            until,
        } => {
            let m = Mortgage {
                mortgagee,
                amount_wan_yuan: amount,
                from: date_arg("from", &from)?,
                until: date_arg("until", &until)?,
            };
            store.mortgage_right(&id, &m, &actor).await
        }
        RightCommand::ReleaseMortgage { id, date } => {
            store
                .release_mortgage(&id, date_arg("date", &date)?, &actor)
                .await
        }
        RightCommand::ClosureReport { id, title, date } => {
            let r = ClosureReport {
                title,
                date: date_arg("date", &date)?,
            };
            store.file_closure_report(&id, &r, &actor).await
        }
        RightCommand::Close {
            id,
            date,
            accepted_by,
            document,
        } => {
            let a = ClosureAcceptance {
                date: date_arg("date", &date)?,
                accepted_by,
                document,
            };
            store.close_right(&id, &a, &actor).await
        }
        RightCommand::Cancel { id, date, reason } => {
            store
                .cancel_right(&id, date_arg("date", &date)?, &reason, &actor)
                .await
        }
        RightCommand::Import { .. } | RightCommand::List { .. } => {
            unreachable!("handled by run_right")
        }
    };
    match result {
        Ok(h) => {
            println!("已办理。");
            print_history(&h);
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => refused(e),
    }
}
