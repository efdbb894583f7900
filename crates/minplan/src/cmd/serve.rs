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
    /// 请求体（表单、上传文件）大小上限，MiB
    #[arg(long, default_value_t = 10, env = "MINPLAN_BODY_LIMIT_MB", value_parser = clap::value_parser!(u32).range(1..=1024))]
    body_limit_mb: u32,
    /// 会话 Cookie 只经 HTTPS 发送（经 HTTPS 反向代理对外服务时设置）
    #[arg(long, env = "MINPLAN_SECURE_COOKIES")]
    secure_cookies: bool,
}

/// Runs the server until Ctrl-C.
pub fn run(db: Option<PathBuf>, args: ServeArgs) -> anyhow::Result<ExitCode> {
    super::runtime()?.block_on(async {
        let path = super::db_path(db);
        let store = super::open_store(&path).await?;
        let no_users = store.list_users().await?.is_empty();
        let state = minplan_web::AppState::new(store)
            .await?
            .with_config(minplan_web::WebConfig {
                body_limit: args.body_limit_mb as usize * 1024 * 1024,
                secure_cookies: args.secure_cookies,
                ..minplan_web::WebConfig::default()
            });
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
        if no_users {
            println!(
                "  还没有账号：公开页面可以访问；用 minplan user add --role admin 用户名 新建系统管理员。"
            );
        }
        println!("  按 Ctrl+C 停止。");
        minplan_web::serve(listener, state).await?;
        Ok(ExitCode::SUCCESS)
    })
}
