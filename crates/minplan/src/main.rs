//! `minplan`: the command-line entry point. It parses arguments and wires the library crates;
//! the work lives in `minplan-geo`, `minplan-domain`, `minplan-store` and `minplan-web`.

mod cmd;

/// mimalloc (MIT, Microsoft; the `mimalloc` crate) instead of the system allocator: a review
/// allocates and frees thousands of small overlap parts, and glibc's allocator spent a third
/// of a review's time in its free lists (BENCHMARKS.md, “审查引擎与 PostGIS 同次对比”).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Hands mimalloc's free pages back to the system at once (after the review engine is built;
/// `minplan_web::set_release_hook`).
fn release_mimalloc() {
    // SAFETY: mi_collect takes no pointers; it may be called from any thread at any time.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// minplan — 矿产资源总体规划实施管理系统
#[derive(Parser)]
#[command(
    name = "minplan",
    version,
    about = "矿产资源总体规划实施管理系统（minplan）"
)]
struct Cli {
    /// 数据库文件路径（默认在用户数据目录下的 minplan/minplan.db）
    #[arg(long, global = true, env = "MINPLAN_DB")]
    db: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 启动网页服务（默认 http://127.0.0.1:8080/）
    Serve(cmd::serve::ServeArgs),
    /// 规划数据：导入、列表、查看、导出
    #[command(subcommand)]
    Plan(cmd::plan::PlanCommand),
    /// 拐点坐标：读取、检查、计算面积
    #[command(subcommand)]
    Coords(cmd::coords::CoordsCommand),
    /// 规划符合性审查与空间查重（退出码：0 符合，3 基本符合，4 不符合，1 申请有误）
    Review(cmd::review::ReviewArgs),
    /// 审查记录：列表、查看、按原输入复核
    #[command(subcommand)]
    Reviews(cmd::reviews::ReviewsCommand),
    /// 管控图层：导入（Shapefile、GeoPackage、KML、DXF、GeoJSON）、检查、列表
    #[command(subcommand)]
    Layer(cmd::layer::LayerCommand),
    /// 导出：矿业权、规划区块、管控图层、审查记录 → Shapefile、GeoPackage、KML、DXF、XLSX、GeoJSON
    Export(cmd::export::ExportArgs),
    /// 矿业权登记：导入、列表、决定、出让、登记、延续、变更、转让、抵押、闭坑、注销
    #[command(subcommand)]
    Right(cmd::register::RightCommand),
    /// 联合审查（新立矿业权出让前）：查看部门意见、现场踏查、人民政府同意及是否完成
    #[command(subcommand)]
    JointReview(cmd::joint_review::JointReviewCommand),
    /// 矿山年度报告（开发利用统计年报）：报送、列表、批量导入
    #[command(subcommand)]
    Report(cmd::report::ReportCommand),
    /// 规划指标：按年度从登记簿和年度报告计算（专栏2），含状态与预测
    Indicators(cmd::monitor::IndicatorsArgs),
    /// 规划实施评估（专栏1格式）：终端、Excel、Word
    Evaluate(cmd::monitor::EvaluateArgs),
    /// 年度实施计划（草案）：Excel、Word
    #[command(name = "annual-plan")]
    AnnualPlan(cmd::monitor::AnnualPlanArgs),
    /// 提醒：许可证到期、年度报告待报与逾期、接近规划上限
    Reminders(cmd::monitor::RemindersArgs),
    /// 矿山生产建设规模分类表（国土资发〔2004〕208号）：查看、修改
    #[command(subcommand, name = "scale-table")]
    ScaleTable(cmd::monitor::ScaleTableCommand),
    /// 矿业权人异常名录、严重违法失信名单
    #[command(subcommand, name = "holder-list")]
    HolderList(cmd::holder_lists::HolderListCommand),
    /// 账号：新建、列表、改密码、停用
    #[command(subcommand)]
    User(cmd::user::UserCommand),
    /// 操作日志：校验哈希链、列出
    #[command(subcommand)]
    Audit(cmd::audit::AuditCommand),
    /// 数据库文件：备份、恢复、检查
    #[command(subcommand)]
    Db(cmd::db::DbCommand),
    /// 机关设置：机关名称、文号与受理号格式、签署栏、印章说明
    #[command(subcommand)]
    Settings(cmd::settings::SettingsCommand),
    /// 双随机抽查：验证一次抽取（退出码：0 验证通过，1 未通过）
    #[command(subcommand)]
    Inspection(cmd::inspection::InspectionCommand),
    /// 工作日历：查看一年的节假日安排和各月工作日，录入或更正一年的安排
    #[command(subcommand)]
    Calendar(cmd::calendar::CalendarCommand),
    /// 生态修复：载入绥芬河市历史遗留矿山和修复项目基线（示意）
    #[command(subcommand)]
    Restoration(cmd::restoration::RestorationCommand),
}

fn main() -> ExitCode {
    minplan_web::set_release_hook(release_mimalloc);
    // `minplan indicators | head`: end quietly when the reader closes the pipe, as other
    // command-line tools do, instead of panicking on the failed write. Not for `serve`,
    // which must outlive any client that goes away.
    #[cfg(unix)]
    if !std::env::args().any(|a| a == "serve") {
        // SAFETY: restores the default disposition of SIGPIPE before any thread starts; no
        // handler is installed and nothing else touches signals.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("MINPLAN_LOG")
                .unwrap_or_else(|_| "minplan=info,minplan_web=info,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let db = cli.db;
    let result = match cli.command {
        Command::Serve(a) => cmd::serve::run(db, a),
        Command::Plan(c) => cmd::plan::run(db, c),
        Command::Coords(c) => cmd::coords::run(c),
        Command::Review(a) => cmd::review::run(db, a),
        Command::Reviews(c) => cmd::reviews::run(db, c),
        Command::Layer(c) => cmd::layer::run(db, c),
        Command::Export(a) => cmd::export::run(db, a),
        Command::Right(c) => cmd::register::run_right(db, c),
        Command::JointReview(c) => cmd::joint_review::run(db, c),
        Command::HolderList(c) => cmd::holder_lists::run_lists(db, c),
        Command::Report(c) => cmd::report::run(db, c),
        Command::Indicators(a) => cmd::monitor::run_indicators(db, a),
        Command::Evaluate(a) => cmd::monitor::run_evaluate(db, a),
        Command::AnnualPlan(a) => cmd::monitor::run_annual_plan(db, a),
        Command::Reminders(a) => cmd::monitor::run_reminders(db, a),
        Command::ScaleTable(c) => cmd::monitor::run_scale_table(db, c),
        Command::User(c) => cmd::user::run(db, c),
        Command::Audit(c) => cmd::audit::run(db, c),
        Command::Db(c) => cmd::db::run(db, c),
        Command::Settings(c) => cmd::settings::run(db, c),
        Command::Inspection(c) => cmd::inspection::run(db, c),
        Command::Calendar(c) => cmd::calendar::run(db, c),
        Command::Restoration(c) => cmd::restoration::run(db, c),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(2)
        }
    }
}
