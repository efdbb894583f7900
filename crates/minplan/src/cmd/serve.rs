//! `minplan serve`: the web application on the embedded (or given) database.

use anyhow::Context;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// 启动网页服务
#[derive(Args)]
pub struct ServeArgs {
    /// 监听地址
    #[arg(long, default_value = "127.0.0.1:8080", env = "MINPLAN_LISTEN")]
    listen: String,
}

/// Runs the server until Ctrl-C.
pub fn run(db: Option<PathBuf>, args: ServeArgs) -> anyhow::Result<ExitCode> {
    super::runtime()?.block_on(async {
        let path = super::db_path(db);
        let store = super::open_store(&path).await?;
        let state = minplan_web::AppState::new(store).await?;
        let plan = state.plan().await;
        let listener = tokio::net::TcpListener::bind(&args.listen)
            .await
            .with_context(|| {
                format!(
                    "无法监听 {}（端口被占用？可用 --listen 指定其他地址）",
                    args.listen
                )
            })?;
        let addr = listener.local_addr()?;
        println!("minplan 已启动：http://{addr}/");
        println!("  规划：{}（第 {} 版）", plan.info.name, plan.info.version);
        println!("  数据库：{}", path.display());
        println!("  按 Ctrl+C 停止。");
        minplan_web::serve(listener, state).await?;
        Ok(ExitCode::SUCCESS)
    })
}
