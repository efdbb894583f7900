//! One module per command group; each calls library functions and formats their results.

pub mod audit;
pub mod coords;
pub mod layer;
pub mod monitor;
pub mod plan;
pub mod register;
pub mod report;
pub mod review;
pub mod reviews;
pub mod serve;
pub mod user;

use anyhow::Context;
use minplan_store::Store;
use std::path::{Path, PathBuf};

/// The database path: `--db`/`MINPLAN_DB`, else `<用户数据目录>/minplan/minplan.db`
/// (`~/.local/share/minplan/` on Linux, `%APPDATA%\minplan\minplan\data\` on Windows).
pub fn db_path(db: Option<PathBuf>) -> PathBuf {
    db.unwrap_or_else(|| {
        directories::ProjectDirs::from("cn", "minplan", "minplan")
            .map(|d| d.data_dir().join("minplan.db"))
            .unwrap_or_else(|| PathBuf::from("minplan.db"))
    })
}

/// Opens the store and seeds it with the embedded default plan when it has none.
pub async fn open_store(path: &Path) -> anyhow::Result<Store> {
    let store = Store::open(path)
        .await
        .with_context(|| format!("无法打开数据库 {}", path.display()))?;
    if let Some(out) = store
        .seed_if_empty(&minplan_store::default_bundle())
        .await?
    {
        eprintln!(
            "已初始化数据库 {}，载入内置规划：{}（第 {} 版）",
            path.display(),
            out.version.name,
            out.version.version
        );
    }
    Ok(store)
}

/// A tokio runtime for one command.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时")
}

/// A terminal table with the project's style and a header row.
pub fn table(header: &[&str]) -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.set_header(header.iter().map(comfy_table::Cell::new));
    t
}

/// Writes several output files all or none: each goes to a temporary file beside its path
/// first, and only when every one is written are they renamed into place; on a failure the
/// temporary files are removed and no output file is created or changed.
///
/// # Errors
/// The first path that cannot be written, named.
pub fn write_all(files: &[(&std::path::Path, &str, Vec<u8>)]) -> anyhow::Result<()> {
    use anyhow::Context;
    let temp = |p: &std::path::Path| {
        let mut name = p.file_name().unwrap_or_default().to_os_string();
        name.push(".minplan-tmp");
        p.with_file_name(name)
    };
    let mut written = Vec::new();
    let result = (|| -> anyhow::Result<()> {
        for (p, _, bytes) in files {
            let t = temp(p);
            std::fs::write(&t, bytes).with_context(|| format!("无法写入 {}", p.display()))?;
            written.push(t);
        }
        for (p, _, _) in files {
            std::fs::rename(temp(p), p).with_context(|| format!("无法写入 {}", p.display()))?;
        }
        Ok(())
    })();
    if result.is_err() {
        for t in &written {
            let _ = std::fs::remove_file(t);
        }
    }
    result?;
    for (p, what, _) in files {
        eprintln!("已写出 {what}：{}", p.display());
    }
    Ok(())
}
