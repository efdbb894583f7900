//! Control layers a bureau imports (`minplan layer import KIND FILE`, 图层管理): each import
//! is a new version that replaces the plan bundle's layer of the same kind for reviews. The
//! file is streamed ([`minplan_io::stream_layer`]), each feature checked
//! ([`LayerChecker`]) and stored as normalised lon/lat GeoJSON, one row per feature
//! (`control_layer_features`); broken features are listed and left out.

use crate::audit::{self, Actor, AuditEntry};
use crate::{Result, Store, StoreError, now_rfc3339};
use minplan_domain::layer::{FeatureProblem, LayerChecker, LayerOptions};
use minplan_domain::plan::{ControlLayerKind, LayerFeature};
use minplan_domain::review::spatial::{PlaneFeature, project_polygons};
use minplan_geo::{Crs, GaussKrugerZone};
use minplan_io::{InputFile, ReadOptions};
use serde::Serialize;
use sqlx::Row;
use std::sync::atomic::{AtomicU64, Ordering};

/// One stored layer version.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LayerVersion {
    /// Row id.
    pub id: i64,
    /// Kind.
    #[schema(value_type = String)]
    pub kind: ControlLayerKind,
    /// Name.
    pub name: String,
    /// File it came from.
    pub source_file: String,
    /// EPSG code of the file.
    pub source_crs: u32,
    /// Buffer half-width for line features, m.
    pub buffer_m: Option<f64>,
    /// Features kept.
    pub feature_count: i64,
    /// Features left out, and why.
    pub problems: Vec<FeatureProblem>,
    /// Remarks on features that were kept (e.g. a ring closed automatically).
    pub warnings: Vec<FeatureProblem>,
    /// What the reader decided (format, text encoding and why, CRS source, Z/M dropped).
    pub notes: Vec<String>,
    /// SHA-256 of the imported file.
    pub content_sha256: String,
    /// When.
    pub imported_at: String,
    /// Whether it is the one reviews use.
    pub active: bool,
}

/// A layer file to import.
#[derive(Debug, Clone, Copy)]
pub struct LayerImport<'a> {
    /// Kind it replaces.
    pub kind: ControlLayerKind,
    /// Display name.
    pub name: &'a str,
    /// File it came from (shown and recorded).
    pub source_file: &'a str,
    /// The files as handed in: a GeoJSON, a zipped or loose Shapefile, a GeoPackage, a
    /// KML/KMZ or a DXF ([`minplan_io::read_layer`]).
    pub files: &'a [InputFile],
    /// Reading options (text encoding, which layer of several).
    pub read: &'a ReadOptions,
    /// The CRS the user named: needed when the file declares none (a Shapefile without
    /// `.prj`, a DXF without zone prefix), compared when it does.
    pub declared: Option<Crs>,
    /// The plan's zone, for plane coordinates without a prefix.
    pub zone: GaussKrugerZone,
    /// Buffer half-width for line features, metres.
    pub buffer_m: Option<f64>,
}

/// A stored layer with its features (lon/lat).
#[derive(Debug, Clone)]
pub struct StoredLayer {
    /// Version.
    pub version: LayerVersion,
    /// Features.
    pub features: Vec<LayerFeature>,
}

fn kind_of(slug: &str) -> ControlLayerKind {
    ControlLayerKind::parse(slug).unwrap_or(ControlLayerKind::EcologicalRedLine)
}

fn row_to_version(r: &sqlx::sqlite::SqliteRow) -> LayerVersion {
    LayerVersion {
        id: r.get("id"),
        kind: kind_of(r.get::<String, _>("kind").as_str()),
        name: r.get("name"),
        source_file: r.get("source_file"),
        source_crs: r.get::<i64, _>("source_crs") as u32,
        buffer_m: r.get("buffer_m"),
        feature_count: r.get("feature_count"),
        problems: serde_json::from_str(&r.get::<String, _>("problems_json")).unwrap_or_default(),
        warnings: serde_json::from_str(&r.get::<String, _>("warnings_json")).unwrap_or_default(),
        notes: serde_json::from_str(&r.get::<String, _>("notes_json")).unwrap_or_default(),
        content_sha256: r.get("content_sha256"),
        imported_at: r.get("imported_at"),
        active: r.get::<i64, _>("active") != 0,
    }
}

impl Store {
    /// The active plan region's lon/lat extent, for the layer checks' region test
    /// ([`minplan_domain::layer::LayerOptions::region`]).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub(crate) async fn region_extent(&self) -> Result<Option<[f64; 4]>> {
        Ok(self
            .active_plan()
            .await?
            .and_then(|p| minplan_domain::layer::lonlat_extent(&p.loaded.plan.region.outline)))
    }

    /// Imports a control layer from any file [`minplan_io::read_layer`] reads: the new
    /// version becomes the active one of its kind. Broken features are left out and listed in
    /// the result. [`Store::stage_layer`] then [`Store::commit_staged_layer`]; a caller that
    /// serialises its writes (the web server's write lock) takes its lock for the second only.
    ///
    /// # Errors
    /// As [`Store::stage_layer`] and [`Store::commit_staged_layer`]; nothing is left written
    /// when either fails.
    pub async fn import_layer(
        &self,
        layer: &LayerImport<'_>,
        actor: &Actor,
    ) -> Result<LayerVersion> {
        let staged = self.stage_layer(layer, &LayerProgress::default()).await?;
        self.commit_staged_layer(staged, actor).await
    }

    /// The long part of a layer import, done while other writes go on (issue 19): the file is
    /// streamed, each feature checked, projected and buffered ([`LayerChecker`]) on every core,
    /// and the features written in short transactions (one per [`CHECK_CHUNK`] features)
    /// under a version row whose state is `staging` — not active, not listed, not read by any
    /// review, and not raising the engine's input version (migration 0029). `progress` counts
    /// as it goes. Staging rows left by an import that failed or a process that died more than
    /// [`STALE_STAGING_HOURS`] ago are removed first.
    ///
    /// # Errors
    /// [`StoreError::BadInput`] when the file as a whole cannot be read, its CRS is not the one
    /// declared, or no feature is usable; [`StoreError::Db`]. Either way the staging rows
    /// written so far are removed.
    pub async fn stage_layer(
        &self,
        layer: &LayerImport<'_>,
        progress: &LayerProgress,
    ) -> Result<StagedLayer> {
        self.remove_stale_staging().await?;
        let LayerImport {
            kind,
            name,
            source_file,
            files,
            read,
            declared,
            zone,
            buffer_m,
        } = *layer;
        let opts = LayerOptions {
            id_property: Some("id"),
            zone,
            buffer_m,
            region: self.region_extent().await?,
        };
        let mut read = read.clone();
        read.zone = Some(zone);
        read.id_property = Some("id".into());
        let stream =
            minplan_io::stream_layer(files, &read).map_err(|e| StoreError::BadInput(e.0))?;
        let first_name = files.first().map_or("", |f| f.name.as_str()).to_string();
        let checker = LayerChecker::new(stream.crs, declared, &opts)
            .map_err(|m| StoreError::BadInput(format!("{first_name}：{m}")))?;
        let mut notes = stream.notes;
        minplan_domain::layer::settle_crs_notes(&mut notes, stream.crs, declared);
        let sha = files_sha256(files);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO control_layer_versions (kind, name, source_file, source_crs, buffer_m, features_json, feature_count, problems_json, notes_json, content_sha256, imported_at, active, state)
             VALUES (?, ?, ?, ?, ?, '[]', 0, '[]', ?, ?, ?, 0, 'staging') RETURNING id",
        )
        .bind(kind.slug())
        .bind(name)
        .bind(source_file)
        .bind(checker.crs.epsg() as i64)
        .bind(buffer_m)
        .bind(serde_json::to_string(&notes).unwrap_or_else(|_| "[]".into()))
        .bind(&sha)
        .bind(now_rfc3339())
        .fetch_one(&self.pool)
        .await?;
        let written = self
            .stage_features(id, stream.features, checker, progress)
            .await;
        let (count, problems, warnings) = match written {
            Ok(w) => w,
            Err(e) => {
                self.discard_staged(id).await?;
                return Err(e);
            }
        };
        if count == 0 {
            self.discard_staged(id).await?;
            let why = problems
                .first()
                .map(|p| format!("，如要素 {}：{}", p.id, p.message))
                .unwrap_or_default();
            return Err(StoreError::BadInput(format!(
                "{source_file}：没有可用的要素{why}"
            )));
        }
        Ok(StagedLayer {
            id,
            kind,
            name: name.to_string(),
            source_file: source_file.to_string(),
            content_sha256: sha,
            feature_count: count,
            problems,
            warnings,
        })
    }

    /// Checks and writes the features of staging version `id`: while one chunk is checked on
    /// the blocking pool (on every core), the next is decoded and the previous one written, in
    /// a transaction of its own. Returns the count written, the features left out and the
    /// remarks.
    async fn stage_features(
        &self,
        id: i64,
        features: minplan_io::FeatureStream<'_>,
        checker: LayerChecker,
        progress: &LayerProgress,
    ) -> Result<(i64, Vec<FeatureProblem>, Vec<FeatureProblem>)> {
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        let mut count: i64 = 0;
        let mut features = features.enumerate();
        let checker = std::sync::Arc::new(checker);
        let mut pending: Option<tokio::task::JoinHandle<Result<Vec<CheckedRow>>>> = None;
        loop {
            let mut chunk = Vec::with_capacity(CHECK_CHUNK);
            for (i, f) in features.by_ref().take(CHECK_CHUNK) {
                chunk.push((i, f.map_err(|e| StoreError::BadInput(e.0))?));
            }
            progress
                .read
                .fetch_add(chunk.len() as u64, Ordering::Relaxed);
            let next = (!chunk.is_empty()).then(|| {
                let c = checker.clone();
                tokio::task::spawn_blocking(move || check_chunk(&c, chunk))
            });
            if let Some(h) = pending.take() {
                let checked = h
                    .await
                    .map_err(|_| StoreError::BadInput("图层检查中断".into()))??;
                let mut rows = Vec::with_capacity(checked.len());
                for (feature, w) in checked {
                    warnings.extend(w);
                    match feature {
                        Ok(json) => rows.push(json),
                        Err(p) => problems.push(p),
                    }
                }
                progress
                    .left_out
                    .store(problems.len() as u64, Ordering::Relaxed);
                let mut tx = self.begin_write().await?;
                for batch in rows.chunks(FEATURE_BATCH) {
                    insert_features(&mut tx, id, count, batch).await?;
                    count += batch.len() as i64;
                }
                tx.commit().await?;
                progress.written.store(count as u64, Ordering::Relaxed);
            }
            match next {
                Some(h) => pending = Some(h),
                None => break,
            }
        }
        Ok((count, problems, warnings))
    }

    /// Makes a staged layer the active version of its kind, in one short transaction with its
    /// audit entry (`layer.import`): the only part of an import that waits for other writes.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the staging rows are gone (removed as stale); database
    /// errors (the staging rows are then removed too).
    pub async fn commit_staged_layer(
        &self,
        staged: StagedLayer,
        actor: &Actor,
    ) -> Result<LayerVersion> {
        let id = staged.id;
        match self.commit_staged(&staged, actor).await {
            Ok(()) => self.layer_version(id).await,
            Err(e) => {
                self.discard_staged(id).await?;
                Err(e)
            }
        }
    }

    async fn commit_staged(&self, staged: &StagedLayer, actor: &Actor) -> Result<()> {
        let StagedLayer {
            id,
            kind,
            name,
            source_file,
            content_sha256: sha,
            feature_count: count,
            problems,
            warnings,
        } = staged;
        let mut tx = self.begin_write().await?;
        let previous: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM control_layer_versions WHERE kind = ? AND active = 1",
        )
        .bind(kind.slug())
        .fetch_optional(&mut *tx)
        .await?;
        sqlx::query("UPDATE control_layer_versions SET active = 0 WHERE kind = ? AND active = 1")
            .bind(kind.slug())
            .execute(&mut *tx)
            .await?;
        let made = sqlx::query(
            "UPDATE control_layer_versions SET feature_count = ?, problems_json = ?, warnings_json = ?, imported_at = ?, active = 1, state = 'ready' WHERE id = ? AND state = 'staging'",
        )
        .bind(count)
        .bind(serde_json::to_string(&problems).unwrap_or_else(|_| "[]".into()))
        .bind(serde_json::to_string(&warnings).unwrap_or_else(|_| "[]".into()))
        .bind(now_rfc3339())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if made.rows_affected() != 1 {
            return Err(StoreError::NotFound(format!(
                "{source_file}：导入中途的数据已不存在（超过 {STALE_STAGING_HOURS} 小时未完成），请重新导入"
            )));
        }
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "layer.import",
                entity_type: "control_layer_version",
                entity_id: id.to_string(),
                before: Some(serde_json::json!({ "kind": kind.slug(), "active_version_id": previous })),
                after: Some(serde_json::json!({
                    "kind": kind.slug(), "name": name, "source_file": source_file, "features": count,
                    "problems": problems.len(), "content_sha256": sha, "active_version_id": id,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The row of version `id` once it is ready (a staging version is not found).
    async fn ready_version_row(&self, id: i64) -> Result<sqlx::sqlite::SqliteRow> {
        sqlx::query("SELECT * FROM control_layer_versions WHERE id = ? AND state = 'ready'")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的图层版本")))
    }

    /// Removes staging version `id` and its features (an import that failed).
    ///
    /// # Errors
    /// Database errors.
    pub async fn discard_staged(&self, id: i64) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "DELETE FROM control_layer_features WHERE version_id IN
               (SELECT id FROM control_layer_versions WHERE id = ? AND state = 'staging')",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM control_layer_versions WHERE id = ? AND state = 'staging'")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes the staging rows of imports started more than [`STALE_STAGING_HOURS`] ago
    /// (failed, or their process died): none can still be running, since an import's work is
    /// bounded (minplan_domain::limits).
    async fn remove_stale_staging(&self) -> Result<()> {
        let cutoff = (time::OffsetDateTime::now_utc() - time::Duration::hours(STALE_STAGING_HOURS))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let stale: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM control_layer_versions WHERE state = 'staging' AND imported_at < ?",
        )
        .bind(cutoff)
        .fetch_all(&self.pool)
        .await?;
        for id in stale {
            self.discard_staged(id).await?;
        }
        Ok(())
    }

    /// One layer version.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn layer_version(&self, id: i64) -> Result<LayerVersion> {
        let r = self.ready_version_row(id).await?;
        Ok(row_to_version(&r))
    }

    /// All imported layer versions, newest first.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn list_layers(&self) -> Result<Vec<LayerVersion>> {
        let rows = sqlx::query(
            "SELECT * FROM control_layer_versions WHERE state = 'ready' ORDER BY id DESC",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(row_to_version).collect())
    }

    /// The active imported layer of each kind, with its features.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn active_layers(&self) -> Result<Vec<StoredLayer>> {
        let rows = self.active_version_rows().await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(stored_layer(&self.pool, r).await?);
        }
        Ok(out)
    }

    /// The active version of each kind, as rows, in kind order.
    async fn active_version_rows(&self) -> Result<Vec<sqlx::sqlite::SqliteRow>> {
        Ok(
            sqlx::query("SELECT * FROM control_layer_versions WHERE active = 1 ORDER BY kind")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// The active imported layers as the review engine keeps them: each version with its
    /// features' ids, names and geometry projected by `tm` — no lon/lat copy and no
    /// properties. Features are read a page at a time and each is projected as it is read,
    /// so a county's layers (millions of vertices) are never held twice, nor as their stored
    /// JSON ([`Store::active_layers`] keeps every feature whole).
    ///
    /// # Errors
    /// [`StoreError::BadInput`] when stored features cannot be read; database errors.
    pub async fn active_plane_layers(
        &self,
        tm: &minplan_geo::TransverseMercator,
    ) -> Result<Vec<PlaneLayerVersion>> {
        let rows = self.active_version_rows().await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(plane_layer(&self.pool, r, tm).await?);
        }
        Ok(out)
    }

    /// One layer version with its features, active or not (a stored review names the
    /// versions it used; [`Store::replay_review`] reads them back).
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::BadInput`] when the stored features cannot be
    /// read.
    pub async fn stored_layer(&self, id: i64) -> Result<StoredLayer> {
        let r = self.ready_version_row(id).await?;
        stored_layer(&self.pool, &r).await
    }
}

/// Staging rows older than this are an import that failed or whose process died, hours.
pub const STALE_STAGING_HOURS: i64 = 6;

/// A layer written by [`Store::stage_layer`], not yet active: what
/// [`Store::commit_staged_layer`] needs to activate and audit it.
#[derive(Debug, Clone)]
pub struct StagedLayer {
    /// Row id of the staging version.
    pub id: i64,
    /// Kind it will replace.
    pub kind: ControlLayerKind,
    /// Display name.
    pub name: String,
    /// File it came from.
    pub source_file: String,
    /// SHA-256 of the files.
    pub content_sha256: String,
    /// Features written.
    pub feature_count: i64,
    /// Features left out, and why.
    pub problems: Vec<FeatureProblem>,
    /// Remarks on features kept.
    pub warnings: Vec<FeatureProblem>,
}

/// How far a layer import has got ([`Store::stage_layer`]), read by another task while it
/// runs (the 图层管理 progress page). Counts of features.
#[derive(Debug, Default)]
pub struct LayerProgress {
    /// Features read from the file so far.
    pub read: AtomicU64,
    /// Features checked and written.
    pub written: AtomicU64,
    /// Features left out so far (each with a named problem).
    pub left_out: AtomicU64,
}

/// Features written per INSERT statement.
const FEATURE_BATCH: usize = 200;

/// Features read, then checked across the cores, at a time.
const CHECK_CHUNK: usize = 8192;

/// One checked feature: its stored JSON, or why it is left out; remarks either way.
type CheckedRow = (
    std::result::Result<String, FeatureProblem>,
    Vec<FeatureProblem>,
);

/// Checks and serialises a chunk of features on every available core (the checks are pure
/// and per feature), keeping file order.
fn check_chunk(
    checker: &LayerChecker,
    chunk: Vec<(usize, minplan_domain::layer::SourceFeature)>,
) -> Result<Vec<CheckedRow>> {
    let one = |(i, f): (usize, minplan_domain::layer::SourceFeature)| -> Result<CheckedRow> {
        let c = checker.check(i, f);
        let feature = match c.feature {
            Ok(f) => Ok(serde_json::to_string(&LayerFeature {
                id: f.id,
                name: f.name,
                geometry: f.polygons,
                area_km2: f.area_km2,
                properties: f.properties,
            })
            .map_err(|e| StoreError::BadInput(e.to_string()))?),
            Err(p) => Err(p),
        };
        Ok((feature, c.warnings))
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || chunk.len() < 64 {
        return chunk.into_iter().map(one).collect();
    }
    let per = chunk.len().div_ceil(threads);
    let mut parts: Vec<Vec<(usize, minplan_domain::layer::SourceFeature)>> = Vec::new();
    let mut rest = chunk.into_iter();
    loop {
        let part: Vec<_> = rest.by_ref().take(per).collect();
        if part.is_empty() {
            break;
        }
        parts.push(part);
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| s.spawn(move || part.into_iter().map(one).collect::<Result<Vec<_>>>()))
            .collect();
        let mut out = Vec::new();
        for h in handles {
            out.extend(
                h.join()
                    .map_err(|_| StoreError::BadInput("图层检查中断".into()))??,
            );
        }
        Ok(out)
    })
}

/// Writes features `first..` of version `id` (their JSON) in one multi-row INSERT.
async fn insert_features(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    id: i64,
    first: i64,
    batch: &[String],
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let mut sql =
        String::from("INSERT INTO control_layer_features (version_id, seq, feature_json) VALUES ");
    sql.push_str(&vec!["(?, ?, ?)"; batch.len()].join(", "));
    let mut q = sqlx::query(&sql);
    for (k, json) in batch.iter().enumerate() {
        q = q.bind(id).bind(first + k as i64).bind(json.as_str());
    }
    q.execute(&mut **tx).await?;
    Ok(())
}

/// SHA-256 (hex) of the files' bytes in the order handed in (one file: its own SHA-256).
pub(crate) fn files_sha256(files: &[InputFile]) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for f in files {
        h.update(&f.bytes);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// An imported layer version as the review engine keeps it ([`Store::active_plane_layers`]).
#[derive(Debug, Clone)]
pub struct PlaneLayerVersion {
    /// Version.
    pub version: LayerVersion,
    /// Features: id, name and plane geometry, in stored order.
    pub features: Vec<PlaneFeature>,
}

/// What the engine reads of a stored feature (the area and properties are skipped).
#[derive(serde::Deserialize)]
struct EngineFeature {
    id: String,
    #[serde(default)]
    name: Option<String>,
    geometry: Vec<minplan_domain::plan::LonLatPolygon>,
}

/// Stored features read per query by [`Store::active_plane_layers`].
const READ_PAGE: i64 = 4096;

/// A stored version's features projected by `tm`, read a page at a time (see
/// [`stored_layer`] for where they are kept).
async fn plane_layer(
    pool: &sqlx::SqlitePool,
    r: &sqlx::sqlite::SqliteRow,
    tm: &minplan_geo::TransverseMercator,
) -> Result<PlaneLayerVersion> {
    let version = row_to_version(r);
    let bad = |e: serde_json::Error| {
        StoreError::BadInput(format!("已存图层 {} 无法读取：{e}", version.id))
    };
    let plane = |f: EngineFeature| PlaneFeature {
        geometry: project_polygons(tm, &f.geometry),
        id: f.id,
        name: f.name,
    };
    let mut features: Vec<PlaneFeature> =
        serde_json::from_str::<Vec<EngineFeature>>(&r.get::<String, _>("features_json"))
            .map_err(bad)?
            .into_iter()
            .map(plane)
            .collect();
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM control_layer_features WHERE version_id = ?")
            .bind(version.id)
            .fetch_one(pool)
            .await?;
    features.reserve_exact(usize::try_from(count).unwrap_or(0));
    let mut next: i64 = i64::MIN;
    loop {
        let page: Vec<(i64, String)> = sqlx::query_as(
            "SELECT seq, feature_json FROM control_layer_features WHERE version_id = ? AND seq >= ? ORDER BY seq LIMIT ?",
        )
        .bind(version.id)
        .bind(next)
        .bind(READ_PAGE)
        .fetch_all(pool)
        .await?;
        let Some(last) = page.last().map(|p| p.0) else {
            break;
        };
        let full = page.len() as i64 == READ_PAGE;
        for (_, json) in page {
            features.push(plane(serde_json::from_str(&json).map_err(bad)?));
        }
        if !full {
            break;
        }
        next = last + 1;
    }
    Ok(PlaneLayerVersion { version, features })
}

/// A stored version with its features: those kept in `features_json` (versions imported
/// before migration 0008) and those in `control_layer_features`, in order.
async fn stored_layer(pool: &sqlx::SqlitePool, r: &sqlx::sqlite::SqliteRow) -> Result<StoredLayer> {
    let version = row_to_version(r);
    let bad = |e: serde_json::Error| {
        StoreError::BadInput(format!("已存图层 {} 无法读取：{e}", version.id))
    };
    let mut features: Vec<LayerFeature> =
        serde_json::from_str(&r.get::<String, _>("features_json")).map_err(bad)?;
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT feature_json FROM control_layer_features WHERE version_id = ? ORDER BY seq",
    )
    .bind(version.id)
    .fetch_all(pool)
    .await?;
    features.reserve(rows.len());
    for json in rows {
        features.push(serde_json::from_str(&json).map_err(bad)?);
    }
    Ok(StoredLayer { features, version })
}
