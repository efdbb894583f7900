//! # minplan-web
//!
//! The web application: Chinese pages rendered on the server (askama), every asset embedded
//! in the binary (OpenLayers and Proj4js vendored; no CDN, works offline), and a JSON API
//! behind each page.
//!
//! One folder per user job, each with its own `router()` merged here:
//! [`plan`] (the public plan pages and API, 规划版本), [`workbench`] (工作台), [`intake`]
//! (申请受理: the form, its conversion to a `minplan-application/1` file, the corner check),
//! [`reviews`] (审查记录 and the Word 审查意见书), [`rights`] (矿业权: the register page, one
//! right's page with its lifecycle forms, 登记办理 of an application, and the lifecycle JSON
//! API), [`imports`] (批量导入 of XLSX/CSV tables), [`layers`] (图层管理), [`monitoring`]
//! (规划指标 values, 实施评估, 年度实施计划, reminders), [`annual_reports`] (矿山年度报告),
//! [`accounts`] (登录/退出/修改密码, 账号管理), [`audit`] (操作日志), [`database`] (数据库备份:
//! download a backup, the automatic backups, check the database), [`help`] (帮助), [`measure`] (the map's
//! measure tool), [`settings`] (机关设置: bureau name, numbering, signature block), [`portal`] (信息公开: the
//! public portal and its feeds), [`publication`] (公示审核: review before publishing),
//! [`checks`] (检查任务, 检查记录, 整改 and 验收; 本企业检查记录), [`inspections`]
//! (双随机抽查: the libraries, plans, the verifiable draw and its public page), [`calendar`]
//! (工作日历: the years held, a year's month grid, the bureau's entries), [`licences`] (证照 of
//! a right's mine, and the supervision view of mines producing without a 安全生产许可证 and of
//! filings 未按期公示), [`filings`] (勘查开采信息 of a right for a year, 自然资源部令第13号),
//! [`restoration`] (历史遗留矿山 and 修复项目, with their map), [`restoration_fund`] (矿山地质环境治理恢复基金:
//! the ledger, amounts due, shortfalls, 责令限期整改 and the listing proposal), [`mine_restoration`]
//! (三同时 and 边开采边治理 of each mine), [`green_mines`] (绿色矿山: checklist, self-assessment,
//! evaluation, 名录) and
//! [`api_docs`] (the OpenAPI document and its browsable page).
//!
//! Shared HTTP plumbing lives in [`http`]: the one error type and its JSON body, the state, the
//! role matrix and extractors, CSRF, security headers, forms, the request context, page layout
//! and map views, embedded assets.
//!
//! Reviews from the web call the same functions as the CLI: [`AppState`] keeps a
//! [`minplan_store::ReviewEngine`] built at start and rebuilt after every write that changes
//! what a review reads (a saved review — pending applications join the register —, a layer
//! import, a rights import, a plan activation).

pub mod accounts;
pub mod annual_reports;
pub mod api_docs;
pub mod audit;
pub mod calendar;
pub mod checks;
pub mod database;
pub mod filings;
pub mod green_mines;
pub mod help;
pub mod holder_lists;
pub mod http;
pub mod imports;
pub mod inspections;
pub mod intake;
pub mod joint_review;
pub mod layers;
pub mod licences;
pub mod measure;
pub mod mine_restoration;
pub mod monitoring;
pub mod plan;
pub mod portal;
pub mod publication;
pub mod restoration;
pub mod restoration_fund;
pub mod reviews;
pub mod rights;
pub mod settings;
pub mod workbench;

use axum::Router;
use std::net::SocketAddr;
use tokio::net::TcpListener;

pub use http::error::{ApiResult, AppError};
pub use http::state::{AppState, AutoBackup, AutoBackupOutcome, WebConfig, set_release_hook};

/// The application's routes: every capability's router, the embedded assets, the 404 page,
/// behind the layers of [`http::harden`]. Every route is in the role matrix
/// (`docs/roles.md`), which `tests/roles.rs` walks with every role.
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .merge(plan::router())
        .merge(accounts::router())
        .merge(audit::router())
        .merge(database::router())
        .merge(workbench::router())
        .merge(intake::router())
        .merge(reviews::router())
        .merge(rights::router())
        .merge(joint_review::router())
        .merge(imports::router())
        .merge(layers::router())
        .merge(monitoring::router())
        .merge(annual_reports::router())
        .merge(measure::router())
        .merge(settings::router())
        .merge(holder_lists::router())
        .merge(portal::router())
        .merge(publication::router())
        .merge(checks::router())
        .merge(inspections::router())
        .merge(calendar::router())
        .merge(licences::router())
        .merge(filings::router())
        .merge(restoration::router())
        .merge(restoration_fund::router())
        .merge(mine_restoration::router())
        .merge(green_mines::router())
        .merge(api_docs::router())
        .merge(help::router())
        .merge(http::assets::router())
        .fallback(http::error::not_found);
    http::harden::harden(routes, &state)
        .layer(tower_http::compression::CompressionLayer::new())
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Serves the application on `listener` until Ctrl-C. Expired sessions are deleted hourly.
///
/// # Errors
/// I/O errors of the listener.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    use tower_sessions::ExpiredDeletion;
    let sessions = tower_sessions_sqlx_store::SqliteStore::new(state.store.pool().clone());
    let deletion =
        tokio::spawn(sessions.continuously_delete_expired(tokio::time::Duration::from_secs(3600)));
    // The day's chain head into the operation log, once a day (checked hourly): the anchor a
    // bureau prints or publishes (minplan_store::audit::Anchor); and with `--backup-dir` the
    // day's automatic backup, at start and then once a day.
    let heads = {
        let st = state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(tokio::time::Duration::from_secs(3600));
            loop {
                tick.tick().await;
                let today = st.today().to_string();
                if let Err(e) = st.store.write_daily_head(&today).await {
                    tracing::error!(error = %e, "the day's audit head could not be written");
                }
                database::run_daily_backup(&st).await;
            }
        })
    };
    let result = axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await;
    deletion.abort();
    heads.abort();
    result
}
