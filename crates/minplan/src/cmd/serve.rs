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
    /// Cookie 一律只经 HTTPS 发送（只经 HTTPS 反向代理对外服务时设置）
    #[arg(long, env = "MINPLAN_SECURE_COOKIES")]
    secure_cookies: bool,
    /// 反向代理标明 HTTPS 访问的请求头（如 X-Forwarded-Proto 或 Forwarded）：
    /// 该请求头表明经 HTTPS 访问时，Cookie 只经 HTTPS 发送
    #[arg(long, env = "MINPLAN_HTTPS_HEADER", value_parser = https_header)]
    https_header: Option<String>,
    /// 地图底图瓦片地址模板（Web 墨卡托 XYZ，如天地图
    /// 'https://t{0-7}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=密钥'）；
    /// 不设置时不加载任何底图，离线可用
    #[arg(long, env = "MINPLAN_TILE_URL")]
    tile_url: Option<String>,
    /// 自动备份文件夹：启动时和此后每天写入当天的数据库备份（数据库备份-年月日.db，检查通过后写入），
    /// 只保留最近 --backup-keep 份；不设置时不自动备份
    #[arg(long, env = "MINPLAN_BACKUP_DIR")]
    backup_dir: Option<PathBuf>,
    /// 自动备份保留的份数（最近的）
    #[arg(long, default_value_t = 14, env = "MINPLAN_BACKUP_KEEP", value_parser = clap::value_parser!(u32).range(1..=3650))]
    backup_keep: u32,
}

/// A header name for `--https-header`, refused unless it is a valid HTTP header name.
fn https_header(s: &str) -> Result<String, String> {
    let s = s.trim();
    // A header name is an RFC 9110 token.
    let token = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if token {
        Ok(s.to_string())
    } else {
        Err(format!(
            "“{s}” 不是有效的 HTTP 请求头名称（如 X-Forwarded-Proto）"
        ))
    }
}

/// The automatic backups' folder, created if missing, refused unless a file can be written in
/// it — at start, rather than failing silently once a day.
fn writable_folder(dir: &std::path::Path) -> anyhow::Result<()> {
    let probe = dir.join(".minplan-write-test");
    std::fs::create_dir_all(dir)
        .and_then(|_| std::fs::write(&probe, b"ok"))
        .and_then(|_| std::fs::remove_file(&probe))
        .with_context(|| format!("自动备份文件夹 {} 无法写入", dir.display()))
}

/// Runs the server until Ctrl-C.
pub fn run(db: Option<PathBuf>, args: ServeArgs) -> anyhow::Result<ExitCode> {
    super::runtime()?.block_on(async {
        let path = super::db_path(db);
        // Held while the server runs: a restore, or a second server, on this database refuses.
        let lock = minplan_store::backup::ServerLock::acquire(&path)?;
        for p in lock.cleared() {
            eprintln!("已删除上次中断的恢复留下的未完成文件 {}", p.display());
        }
        if let Some(dir) = &args.backup_dir {
            writable_folder(dir)?;
        }
        let store = super::open_store(&path).await?;
        let seeded = store
            .seed_restoration_baseline(&minplan_store::Actor::System)
            .await?;
        if seeded.skipped.is_none() {
            eprintln!(
                "已载入历史遗留矿山 {} 处（示意）、修复项目 {} 个（《规划》一（一）5–6 基线）",
                seeded.legacy_mines, seeded.projects
            );
        }
        let no_users = store.list_users().await?.is_empty();
        let tile_url = args.tile_url.filter(|u| !u.trim().is_empty());
        if let Some(u) = &tile_url {
            minplan_web::http::security::tile_origins(u).map_err(anyhow::Error::msg)?;
        }
        let state = minplan_web::AppState::new(store)
            .await?
            .with_config(minplan_web::WebConfig {
                body_limit: args.body_limit_mb as usize * 1024 * 1024,
                secure_cookies: args.secure_cookies,
                https_header: args.https_header.clone(),
                tile_url: tile_url.clone(),
                backup: args.backup_dir.clone().map(|dir| minplan_web::AutoBackup {
                    dir,
                    keep: args.backup_keep as usize,
                }),
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
        match &tile_url {
            Some(u) => println!("  地图底图：{u}"),
            None => println!("  地图底图：无（离线；可用 --tile-url 设置）"),
        }
        match &args.backup_dir {
            Some(d) => println!(
                "  自动备份：每天写入 {}，保留最近 {} 份",
                d.display(),
                args.backup_keep
            ),
            None => println!("  自动备份：未设置（可用 --backup-dir 设置；也可在“数据库备份”页下载）"),
        }
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
