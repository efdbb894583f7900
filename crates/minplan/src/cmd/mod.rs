//! One module per command group; each calls library functions and formats their results.

pub mod audit;
pub mod calendar;
pub mod coords;
pub mod db;
pub mod export;
pub mod holder_lists;
pub mod inspection;
pub mod joint_review;
pub mod layer;
pub mod monitor;
pub mod plan;
pub mod register;
pub mod report;
pub mod restoration;
pub mod review;
pub mod reviews;
pub mod serve;
pub mod settings;
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
    refuse_after_interrupted_restore(path)?;
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

/// Refuses to create a new, empty database at `path` where an unfinished restore left the
/// data under other names (`minplan_store::backup::interrupted_restore`).
///
/// # Errors
/// Names the files left and what to do.
pub fn refuse_after_interrupted_restore(path: &Path) -> anyhow::Result<()> {
    let left = minplan_store::backup::interrupted_restore(path);
    if left.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = left.iter().map(|p| p.display().to_string()).collect();
    anyhow::bail!(
        "数据库文件 {} 不存在，但旁边有恢复留下的文件：{}。恢复可能中断了；为免新建一个空数据库，未继续。\
         请用 minplan db restore 其中的备份恢复（.restoring 是未完成的副本，.before-restore 是恢复前的原数据库），\
         或确认不需要后将这些文件移走。",
        path.display(),
        names.join("、")
    )
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

/// Largest layer file the CLI reads into memory: 2 GiB (a Shapefile's own format limit).
const MAX_LAYER_FILE: u64 = 2 << 30;

/// The files of a layer named on the command line: a `.shp` brings its `.shx`, `.dbf`,
/// `.prj` and `.cpg` from the same folder (same stem, any case of the extension); any other
/// file (zip, `.gpkg`, `.kml`/`.kmz`, `.dxf`, GeoJSON) comes alone.
///
/// # Errors
/// A file that cannot be read or is larger than 2 GiB, named.
pub fn layer_files(path: &Path) -> anyhow::Result<Vec<minplan_io::InputFile>> {
    let read = |p: &Path| -> anyhow::Result<minplan_io::InputFile> {
        let len = std::fs::metadata(p)
            .with_context(|| format!("无法读取 {}", p.display()))?
            .len();
        anyhow::ensure!(
            len <= MAX_LAYER_FILE,
            "{} 有 {} MiB，超过 2 GiB 的上限",
            p.display(),
            len >> 20
        );
        Ok(minplan_io::InputFile {
            name: p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            bytes: std::fs::read(p).with_context(|| format!("无法读取 {}", p.display()))?,
        })
    };
    let is_shp = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("shp"));
    if !is_shp {
        return Ok(vec![read(path)?]);
    }
    let stem = path
        .file_stem()
        .unwrap_or_default()
        .to_string_lossy()
        .to_string();
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut files = vec![read(path)?];
    for entry in
        std::fs::read_dir(dir).with_context(|| format!("无法读取目录 {}", dir.display()))?
    {
        let p = entry?.path();
        let same_stem = p.file_stem().is_some_and(|s| s.to_string_lossy() == stem);
        let ext = p
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        if same_stem && matches!(ext.as_str(), "shx" | "dbf" | "prj" | "cpg") {
            files.push(read(&p)?);
        }
    }
    Ok(files)
}

/// How to read a layer file: the options `layer import` and `right import` share.
#[derive(clap::Args, Debug, Clone)]
pub struct ReadArgs {
    /// 属性表文本编码（GBK、UTF-8 等），覆盖 .cpg 与自动判断
    #[arg(long)]
    pub encoding: Option<String>,
    /// 文件含多个图层时要导入的一个（Shapefile 文件名、GeoPackage 表名、DXF 图层名）
    #[arg(long)]
    pub layer: Option<String>,
    /// 坐标系 EPSG 代码（文件未声明时必填，如 4532 = CGCS2000 3°带第44带含带号、4553 = 同一带不含带号（中央经线132°））
    #[arg(long)]
    pub epsg: Option<u32>,
}

impl ReadArgs {
    /// The reading options: `--encoding` (GBK, UTF-8, 936 …) and `--layer`.
    ///
    /// # Errors
    /// An encoding name that is not known.
    pub fn options(&self) -> anyhow::Result<minplan_io::ReadOptions> {
        let encoding = match self.encoding.as_deref() {
            None => None,
            Some(e) => Some(minplan_io::dbf::encoding_from_cpg(e).with_context(|| {
                format!("无法识别的文本编码“{e}”（可用 GBK、UTF-8、GB18030、BIG5 等）")
            })?),
        };
        Ok(minplan_io::ReadOptions {
            encoding,
            layer: self.layer.clone(),
            ..minplan_io::ReadOptions::default()
        })
    }

    /// The CRS named by `--epsg`.
    ///
    /// # Errors
    /// A code that is not a CGCS2000 CRS.
    pub fn crs(&self) -> anyhow::Result<Option<minplan_geo::Crs>> {
        declared_crs(self.epsg)
    }
}

/// A CRS named on the command line by EPSG code (4490, 4491–4554).
///
/// # Errors
/// A code that is not a CGCS2000 CRS.
pub fn declared_crs(epsg: Option<u32>) -> anyhow::Result<Option<minplan_geo::Crs>> {
    epsg.map(|c| minplan_geo::Crs::from_epsg(c).map_err(|e| anyhow::anyhow!("--epsg {c}：{e}")))
        .transpose()
}
