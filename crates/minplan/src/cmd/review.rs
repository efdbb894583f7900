//! `minplan review APPLICATION.toml`: 规划符合性审查 and 空间查重 of one application.
//!
//! Exit status: 0 符合, 3 基本符合（需人工核查）, 4 不符合, 1 invalid input (problems named),
//! 2 when the input cannot be read at all.

use super::table;
use anyhow::Context;
use clap::Args;
use comfy_table::{Cell, CellAlignment, Color};
use minplan_domain::application::{CornerSource, corner_source};
use minplan_domain::citation::format_number;
use minplan_domain::plan::Plan;
use minplan_domain::review::{ConformityReview, RuleOutcome};
use minplan_store::ReviewEngine;
use std::path::PathBuf;
use std::process::ExitCode;

/// 规划符合性审查
#[derive(Args)]
pub struct ReviewArgs {
    /// 申请文件（TOML，格式见 docs/application-format.md）
    application: PathBuf,
    /// 输出 JSON
    #[arg(long)]
    json: bool,
    /// 不保存审查记录（试审）
    #[arg(long)]
    no_save: bool,
    /// 写出 Word 审查意见书（.docx）
    #[arg(long, value_name = "FILE")]
    docx: Option<PathBuf>,
    /// 意见书上的机关名称（缺省为机关设置中的名称，见 minplan settings）
    #[arg(long)]
    bureau: Option<String>,
    /// 意见书文号（缺省按机关设置的文号格式编号；试审不编号）
    #[arg(long)]
    document_number: Option<String>,
}

/// A corner file: its name as the application writes it, and its bytes.
pub type CornerFile = (String, Vec<u8>);

/// Reads the application and its corner file (relative to the application).
pub fn read_application(path: &std::path::Path) -> anyhow::Result<(String, Option<CornerFile>)> {
    let toml = std::fs::read_to_string(path)
        .with_context(|| format!("无法读取申请文件 {}", path.display()))?;
    let corners = corner_file(path, &toml)?;
    Ok((toml, corners))
}

/// The corner file an application file names (relative to the application), read; `None`
/// when it names none or the file cannot be read (the parser names that problem).
pub fn corner_file(path: &std::path::Path, toml: &str) -> anyhow::Result<Option<CornerFile>> {
    let corners = match corner_source(toml) {
        Ok(CornerSource::File(f)) => {
            let p = path.parent().unwrap_or(std::path::Path::new(".")).join(&f);
            match std::fs::read(&p) {
                // A DXF, KML/KMZ or Excel corner file becomes corner text.
                Ok(b) => match minplan_io::corner_file_text(&f, &b)
                    .map_err(|e| anyhow::anyhow!("{e}"))?
                {
                    Some(text) => Some((f, text.into_bytes())),
                    None => Some((f, b)),
                },
                // Reported as a named problem by the parser.
                Err(_) => None,
            }
        }
        _ => None,
    };
    Ok(corners)
}

/// Runs `minplan review`.
pub fn run(db: Option<PathBuf>, args: ReviewArgs) -> anyhow::Result<ExitCode> {
    let (toml, corners) = match read_application(&args.application) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("错误：{e:#}");
            return Ok(ExitCode::from(2));
        }
    };
    let path = super::db_path(db);
    super::runtime()?.block_on(async move {
        let store = super::open_store(&path).await?;
        let engine = ReviewEngine::load(&store).await?;
        // No 申请编号 in the file: the next 受理号 of the bureau's sequence.
        let next = store.next_intake_number(minplan_store::today().year()).await?;
        let (toml, corners) = match minplan_store::settings::with_intake_number(&toml, &next) {
            Some(t) => {
                eprintln!("申请文件未填申请编号，按受理号格式编为 {next}");
                // The corner file is found through the complete file.
                let corners = match corners {
                    Some(c) => Some(c),
                    None => corner_file(&args.application, &t)?,
                };
                (t, corners)
            }
            None => (toml, corners),
        };
        let app = match engine.parse(&toml, corners.as_ref().map(|c| c.1.as_slice())) {
            Ok(a) => a,
            Err(e) => {
                if args.json {
                    println!("{}", serde_json::to_string_pretty(&serde_json::json!({ "valid": false, "errors": e.errors, "corner_report": e.corner_report.as_ref().map(|r| r.to_json()) }))?);
                } else {
                    eprint!("{e}");
                    eprintln!("申请未审查：请改正以上问题后重新提交。");
                }
                return Ok(ExitCode::from(1));
            }
        };
        let (id, review) = if args.no_save {
            (
                None,
                engine
                    .review_reading_record(&store, &app, &minplan_store::now_rfc3339())
                    .await?,
            )
        } else {
            // The server (or another CLI) may save a review or import data between this
            // process's load and its save; the save is then refused, nothing written, and
            // the review is made again on the database as it now is.
            let mut current = None;
            let mut tries = 0;
            let (id, r) = loop {
                tries += 1;
                let e = current.as_ref().unwrap_or(&engine);
                match e
                    .review_and_save(&store, &app, &toml, corners.as_ref().map(|(n, b)| (n.as_str(), b.as_slice())), &minplan_store::Actor::cli_current())
                    .await
                {
                    Err(minplan_store::StoreError::Stale(m)) if tries < 3 => {
                        eprintln!("{m}：已重新读取数据库，重新审查");
                        current = Some(ReviewEngine::load(&store).await?);
                    }
                    other => break other?,
                }
            };
            (Some(id), r)
        };
        if let Some(path) = &args.docx {
            let plan = &engine.plan.loaded.plan;
            let settings = super::settings::effective(&store, plan).await?;
            // The 文号: as given (with the settings in force), else the next of the bureau's
            // sequence for a saved review, with the issuer frozen when it was given.
            let mut opts = match (&args.document_number, id) {
                (Some(n), _) => minplan_web::settings::docx_options(&settings, Some(n.clone())),
                (None, Some(id)) => minplan_web::settings::issued_docx_options(
                    &store.issue_opinion(id, &plan.region.name, &minplan_store::Actor::cli_current()).await?,
                ),
                (None, None) => minplan_web::settings::docx_options(&settings, None),
            };
            if let Some(b) = &args.bureau {
                opts.bureau = Some(b.clone());
            }
            let bytes = minplan_report::review_docx(&review, &engine.plan.loaded.plan, &opts)?;
            std::fs::write(path, bytes).with_context(|| format!("无法写入 {}", path.display()))?;
            eprintln!("已写出审查意见书：{}", path.display());
        }
        if args.json {
            let mut v = serde_json::to_value(&review)?;
            v["review_id"] = serde_json::json!(id);
            v["valid"] = serde_json::json!(true);
            println!("{}", serde_json::to_string_pretty(&v)?);
        } else {
            print!("{}", render(&review, &engine.plan.loaded.plan, id));
        }
        Ok(ExitCode::from(review.conclusion.exit_code()))
    })
}

/// The terminal rendering of a review on `plan` (citations in the people's form, those the
/// bundle could not check marked 未核对).
pub fn render(r: &ConformityReview, plan: &Plan, id: Option<i64>) -> String {
    let a = &r.application;
    let mut out = String::new();
    out += &format!(
        "规划符合性审查意见{}\n",
        id.map(|i| format!("（审查记录 #{i}）"))
            .unwrap_or_else(|| "（试审，未保存）".into())
    );
    out += &format!(
        "申请 {}：{}（{}{}，{}）\n申请人：{}（{}）\n矿种：{}　规模：{}\n",
        a.number,
        a.project_name,
        a.kind.label(),
        a.change
            .map(|c| format!("·{}", c.label()))
            .unwrap_or_default(),
        a.right_kind.label(),
        a.holder_name,
        a.credit_code,
        a.minerals.join("、"),
        a.capacity
            .map(|c| c.to_string())
            .unwrap_or_else(|| "—".into()),
    );
    if let Some(areas) = &a.corner_report.areas {
        out += &format!(
            "面积：椭球面积 {:.4} km²（TD/T 1055-2019 附录D，{:.2} m²）；平面面积 {:.2} m²（高斯投影）\n",
            areas.km2, areas.ellipsoidal_m2, areas.plane_m2
        );
    }
    out += &format!(
        "规划：{}；按 {} 施行的版本\n\n",
        r.plan.describe(),
        r.plan.in_force_on
    );
    let mut t = table(&["规则", "审查事项", "结论", "说明", "规划依据"]);
    for rule in &r.rules {
        let color = match rule.outcome {
            RuleOutcome::Fail => Color::Red,
            RuleOutcome::ManualCheck => Color::Yellow,
            RuleOutcome::Pass => Color::Green,
            RuleOutcome::NotApplicable => Color::Grey,
        };
        t.add_row(vec![
            Cell::new(rule.id),
            Cell::new(rule.title),
            Cell::new(rule.outcome.label()).fg(color),
            Cell::new(&rule.message),
            Cell::new(
                rule.cites
                    .iter()
                    .map(|c| plan.cite_label(c))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
        ]);
    }
    out += &format!("{t}\n");
    let conflicts: Vec<_> = r
        .rules
        .iter()
        .flat_map(|x| x.conflicts.iter().map(move |c| (x.id, c)))
        .collect();
    if !conflicts.is_empty() {
        let mut t = table(&[
            "规则",
            "冲突图层",
            "要素",
            "面积（m²）",
            "占申请范围",
            "类型",
        ]);
        for (rid, c) in conflicts {
            t.add_row(vec![
                Cell::new(rid),
                Cell::new(&c.layer),
                Cell::new(format!(
                    "{}{}",
                    c.feature_id,
                    c.feature_name
                        .as_ref()
                        .map(|n| format!(" {n}"))
                        .unwrap_or_default()
                )),
                Cell::new(format!("{:.2}", c.area_m2)).set_alignment(CellAlignment::Right),
                Cell::new(format!("{:.2}%", c.percent_of_application))
                    .set_alignment(CellAlignment::Right),
                Cell::new(match c.class {
                    minplan_geo::overlay::OverlapClass::Overlap => "重叠",
                    minplan_geo::overlay::OverlapClass::Sliver => "细碎重叠",
                    minplan_geo::overlay::OverlapClass::Touching => "相邻",
                }),
            ]);
        }
        out += &format!("冲突部分\n{t}\n");
    }
    if !r.indicators.is_empty() {
        let mut t = table(&["规划指标", "目标", "审批前", "审批后", "审批后是否符合"]);
        let f = |v: Option<f64>| {
            v.map_or("—".to_string(), |x| {
                format_number((x * 100.0).round() / 100.0)
            })
        };
        for i in &r.indicators {
            t.add_row(vec![
                Cell::new(format!("{}（{}）", i.name, i.unit)),
                Cell::new(&i.target),
                Cell::new(f(i.before)).set_alignment(CellAlignment::Right),
                Cell::new(f(i.after)).set_alignment(CellAlignment::Right),
                Cell::new(match i.holds_after {
                    Some(true) => "是",
                    Some(false) => "否",
                    // A value that leaves mines out (see the note).
                    None if i.after.is_some() => "需人工核查",
                    None => "—",
                }),
            ]);
        }
        out += &format!("规划指标（审批前后）\n{t}\n");
    }
    for n in &r.notes {
        out += &format!("注：{n}\n");
    }
    out += &format!("\n审查结论：{}\n", r.conclusion.label());
    out
}
