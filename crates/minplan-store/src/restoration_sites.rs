//! 历史遗留矿山 and 修复项目 (migration 0021): the inventory with geometry, status steps and
//! photos, the projects with funding, sites and acceptance, the figures of 一（一）5–6 and
//! 专栏1 ([`Store::legacy_figures`]), and the Suifenhe baseline seed
//! ([`Store::seed_restoration_baseline`], data in `seed/restoration_231081.json`, 示意).
//! The rules are those of `minplan_domain::restoration::legacy` and `::projects`; every write
//! is one transaction with its audit row; a refused input writes nothing.

use crate::audit::{self, Actor, AuditEntry};
use crate::lifecycle::invalid;
use crate::{FieldError, Result, Store, StoreError, now_rfc3339};
use minplan_domain::attachment::{AttachmentKind, MAX_ATTACHMENT_BYTES};
use minplan_domain::date::Date;
use minplan_domain::register::Problem;
use minplan_domain::restoration::figures::LegacyFigures;
use minplan_domain::restoration::legacy::{
    self, Acceptance, Direction, Finding, FoundProblem, Geometry, LegacyMine, LegacySummary,
    Method, ProjectSummary, Status, check_legacy, check_transition,
};
use minplan_domain::restoration::projects::{
    FundingLine, FundingSource, RestorationProject, Site, check_project, check_project_acceptance,
};
use minplan_geo::corners::{Datum, ParseOptions};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// A stored legacy mine.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegacyMineRecord {
    /// Row id.
    pub id: i64,
    /// The entry.
    #[serde(flatten)]
    pub input: LegacyMine,
    /// The coordinates as entered (the record).
    pub entered: String,
    /// CGCS2000 lon/lat GeoJSON `MultiPolygon`.
    pub geojson: serde_json::Value,
    /// Ellipsoidal area, km².
    pub area_km2: f64,
    /// Status now.
    pub status: Status,
    /// The acceptance, when 已验收.
    pub acceptance: Option<Acceptance>,
}

/// A stored photo of a legacy mine (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegacyPhoto {
    /// Row id.
    pub id: i64,
    /// 治理前 / 治理后.
    pub phase: String,
    /// File name as uploaded.
    pub name: String,
    /// `image/jpeg`, `image/png`, `application/pdf`.
    pub mime: String,
    /// SHA-256, hex.
    pub sha256: String,
}

/// A stored restoration project.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectRecord {
    /// Row id.
    pub id: i64,
    /// The project as entered.
    #[serde(flatten)]
    pub input: RestorationProject,
    /// 示意 (the seed's per-project split).
    pub schematic: bool,
    /// The acceptance, when accepted.
    pub acceptance: Option<Acceptance>,
}

/// What the seed did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedOutcome {
    /// Legacy mines written (0 when the tables were not empty or the plan is not Suifenhe's).
    pub legacy_mines: u32,
    /// Projects written.
    pub projects: u32,
    /// Why nothing was written, when nothing was.
    pub skipped: Option<String>,
}

fn problems(p: Vec<Problem>) -> StoreError {
    invalid(p)
}

fn bad(field: &str, v: &str) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(
        field,
        format!("修复记录中的“{v}”无法读取"),
    )])
}

fn date_col(r: &sqlx::sqlite::SqliteRow, col: &str) -> Result<Option<Date>> {
    let v: Option<String> = r.get(col);
    v.map(|s| Date::parse(&s).map_err(|_| bad(col, &s)))
        .transpose()
}

fn acceptance_of(r: &sqlx::sqlite::SqliteRow) -> Result<Option<Acceptance>> {
    Ok(date_col(r, "accepted_on")?.map(|date| Acceptance {
        date,
        by: r
            .get::<Option<String>, _>("accepted_by")
            .unwrap_or_default(),
        number: r
            .get::<Option<String>, _>("acceptance_number")
            .unwrap_or_default(),
    }))
}

fn legacy_record(r: &sqlx::sqlite::SqliteRow) -> Result<LegacyMineRecord> {
    let method: String = r.get("method");
    let direction: String = r.get("direction");
    let status: String = r.get("status");
    let findings: String = r.get("findings");
    let findings: Vec<FoundProblem> =
        serde_json::from_str(&findings).map_err(|_| bad("findings", &findings))?;
    let geojson: String = r.get("geojson");
    Ok(LegacyMineRecord {
        id: r.get("id"),
        input: LegacyMine {
            name: r.get("name"),
            township: r.get("township"),
            village: r.get("village"),
            mineral: r.get("mineral"),
            method: Method::parse(&method).ok_or_else(|| bad("method", &method))?,
            findings,
            responsible: r.get("responsible"),
            direction: Direction::parse(&direction).ok_or_else(|| bad("direction", &direction))?,
            reason: r.get("reason"),
            schematic: r.get::<i64, _>("schematic") != 0,
        },
        entered: r.get("entered"),
        geojson: serde_json::from_str(&geojson).map_err(|_| bad("geojson", "GeoJSON"))?,
        area_km2: r.get("area_km2"),
        status: Status::parse(&status).ok_or_else(|| bad("status", &status))?,
        acceptance: acceptance_of(r)?,
    })
}

/// The options the seed reads its corners with: CGCS2000 (the seed file states it), the
/// plan's zone, the county outline.
fn seed_options(plan: &minplan_domain::Plan) -> ParseOptions {
    ParseOptions {
        zone: Some(plan.region.zone),
        datum: Some(Datum::Cgcs2000),
        region: Some(crate::region_of(plan)),
        geographic_format: None,
    }
}

/// The embedded Suifenhe seed (示意; totals those of the plan).
const SEED_231081: &str = include_str!("../seed/restoration_231081.json");

#[derive(serde::Deserialize)]
struct SeedFile {
    adcode: String,
    legacy_mines: Vec<SeedMine>,
    projects: Vec<SeedProject>,
}

#[derive(serde::Deserialize)]
struct SeedMine {
    name: String,
    township: String,
    village: String,
    mineral: String,
    method: String,
    findings: Vec<String>,
    responsible: Option<String>,
    direction: String,
    reason: String,
    corners: String,
}

#[derive(serde::Deserialize)]
struct SeedProject {
    name: String,
    budget_wan_yuan: f64,
    restored_area_km2: f64,
    start: String,
    end: String,
    accepted_on: String,
    accepted_by: String,
    acceptance_number: String,
}

async fn insert_legacy(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    input: &LegacyMine,
    geometry: &Geometry,
) -> Result<i64> {
    let now = now_rfc3339();
    Ok(sqlx::query_scalar(
        "INSERT INTO legacy_mines (name, township, village, mineral, method, findings,
            responsible, direction, reason, schematic, entered, geojson, area_km2, status,
            created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '未治理', ?, ?) RETURNING id",
    )
    .bind(input.name.trim())
    .bind(input.township.trim())
    .bind(input.village.trim())
    .bind(input.mineral.trim())
    .bind(input.method.label())
    .bind(serde_json::to_string(&input.findings).unwrap_or_else(|_| "[]".into()))
    .bind(input.responsible.as_deref().map(str::trim))
    .bind(input.direction.label())
    .bind(input.reason.trim())
    .bind(i64::from(input.schematic))
    .bind(&geometry.entered)
    .bind(geometry.geojson().to_string())
    .bind(geometry.area_km2)
    .bind(&now)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?)
}

async fn insert_project(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    p: &RestorationProject,
    schematic: bool,
) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO restoration_projects (name, budget_wan_yuan, spent_wan_yuan,
            restored_area_km2, start_on, end_on, key_project, baseline, schematic, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(p.name.trim())
    .bind(p.budget_wan_yuan)
    .bind(p.spent_wan_yuan)
    .bind(p.restored_area_km2)
    .bind(p.start.to_string())
    .bind(p.end.map(|d| d.to_string()))
    .bind(i64::from(p.key_project))
    .bind(i64::from(p.baseline))
    .bind(i64::from(schematic))
    .bind(now_rfc3339())
    .fetch_one(&mut **tx)
    .await?;
    for l in &p.funding {
        sqlx::query(
            "INSERT INTO restoration_project_funding (project_id, source, amount_wan_yuan)
             VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(l.source.label())
        .bind(l.amount_wan_yuan)
        .execute(&mut **tx)
        .await?;
    }
    for s in &p.sites {
        let (legacy, mine) = match s {
            Site::Legacy(i) => (Some(*i), None),
            Site::MineDisturbed(i) => (None, Some(*i)),
        };
        sqlx::query(
            "INSERT INTO restoration_project_sites (project_id, legacy_mine_id, mine_id)
             VALUES (?, ?, ?)",
        )
        .bind(id)
        .bind(legacy)
        .bind(mine)
        .execute(&mut **tx)
        .await?;
    }
    Ok(id)
}

impl Store {
    /// Adds a legacy mine (status 未治理) with its geometry (read by the caller with
    /// `minplan_domain::restoration::legacy::read_geometry` or `geometry_from_lonlat`), with
    /// the audit row `legacy_mine.add`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] with every problem of `check_legacy`, nothing written;
    /// [`StoreError::Db`].
    pub async fn add_legacy_mine(
        &self,
        input: &LegacyMine,
        geometry: &Geometry,
        actor: &Actor,
    ) -> Result<LegacyMineRecord> {
        check_legacy(input).map_err(problems)?;
        let mut tx = self.begin_write().await?;
        let id = insert_legacy(&mut tx, input, geometry).await?;
        let rec = legacy_in(&mut tx, id).await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "legacy_mine.add",
                entity_type: "legacy_mine",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&rec).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(rec)
    }

    /// Moves legacy mine `id` one status step (`check_transition`: 未治理 → 治理中 → 已治理 →
    /// 已验收; 已验收 with its acceptance), with the audit row `legacy_mine.status`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Invalid`] naming `status` or the acceptance's
    /// fields, nothing written; [`StoreError::Db`].
    pub async fn set_legacy_status(
        &self,
        id: i64,
        to: Status,
        acceptance: Option<&Acceptance>,
        today: Date,
        actor: &Actor,
    ) -> Result<LegacyMineRecord> {
        let mut tx = self.begin_write().await?;
        let before = legacy_in(&mut tx, id).await?;
        check_transition(before.status, to, acceptance, today).map_err(problems)?;
        let a = acceptance.filter(|_| to == Status::Accepted);
        sqlx::query(
            "UPDATE legacy_mines SET status = ?, accepted_on = ?, accepted_by = ?,
                acceptance_number = ?, updated_at = ? WHERE id = ?",
        )
        .bind(to.label())
        .bind(a.map(|a| a.date.to_string()))
        .bind(a.map(|a| a.by.trim().to_string()))
        .bind(a.map(|a| a.number.trim().to_string()))
        .bind(now_rfc3339())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let after = legacy_in(&mut tx, id).await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "legacy_mine.status",
                entity_type: "legacy_mine",
                entity_id: id.to_string(),
                before: Some(serde_json::json!({ "status": before.status.label() })),
                after: Some(serde_json::json!({
                    "status": after.status.label(),
                    "acceptance": after.acceptance,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Attaches a photo (治理前 / 治理后) to legacy mine `id`: JPEG, PNG or PDF by its first
    /// bytes, ≤ 10 MB (the one rule of `minplan_domain::attachment`), SHA-256 kept; audit row
    /// `legacy_mine.photo`.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Invalid`] (`phase`, `photo`), nothing written.
    pub async fn add_legacy_photo(
        &self,
        id: i64,
        phase: &str,
        name: &str,
        bytes: &[u8],
        actor: &Actor,
    ) -> Result<LegacyPhoto> {
        let mut errors = Vec::new();
        if phase != "治理前" && phase != "治理后" {
            errors.push(FieldError::new("phase", "照片应注明“治理前”或“治理后”"));
        }
        let kind = AttachmentKind::of(bytes);
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            errors.push(FieldError::new(
                "photo",
                format!("照片“{name}”超过 10 MB 的上限"),
            ));
        } else if kind.is_none() {
            errors.push(FieldError::new(
                "photo",
                format!("照片“{name}”不是 JPEG、PNG 或 PDF 文件"),
            ));
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let mime = kind.map(|k| k.mime()).unwrap_or_default();
        let sha = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>();
        let mut tx = self.begin_write().await?;
        legacy_in(&mut tx, id).await?;
        let pid: i64 = sqlx::query_scalar(
            "INSERT INTO legacy_mine_photos (legacy_mine_id, phase, name, mime, sha256, bytes,
                created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(id)
        .bind(phase)
        .bind(name)
        .bind(mime)
        .bind(&sha)
        .bind(bytes)
        .bind(now_rfc3339())
        .fetch_one(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "legacy_mine.photo",
                entity_type: "legacy_mine",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({ "phase": phase, "name": name, "sha256": sha })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(LegacyPhoto {
            id: pid,
            phase: phase.into(),
            name: name.into(),
            mime: mime.into(),
            sha256: sha,
        })
    }

    /// The photos of legacy mine `id`, 治理前 first.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn legacy_photos(&self, id: i64) -> Result<Vec<LegacyPhoto>> {
        let rows = sqlx::query(
            "SELECT id, phase, name, mime, sha256 FROM legacy_mine_photos
             WHERE legacy_mine_id = ? ORDER BY phase DESC, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| LegacyPhoto {
                id: r.get("id"),
                phase: r.get("phase"),
                name: r.get("name"),
                mime: r.get("mime"),
                sha256: r.get("sha256"),
            })
            .collect())
    }

    /// Photo `pid` of legacy mine `id`: name, media type and bytes.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn legacy_photo(
        &self,
        id: i64,
        pid: i64,
    ) -> Result<Option<(String, String, Vec<u8>)>> {
        let row = sqlx::query(
            "SELECT name, mime, bytes FROM legacy_mine_photos WHERE id = ? AND legacy_mine_id = ?",
        )
        .bind(pid)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| (r.get("name"), r.get("mime"), r.get("bytes"))))
    }

    /// Legacy mine `id`, if it exists.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn legacy_mine(&self, id: i64) -> Result<Option<LegacyMineRecord>> {
        let row = sqlx::query("SELECT * FROM legacy_mines WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(legacy_record).transpose()
    }

    /// Every legacy mine, in entry order.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn legacy_mines(&self) -> Result<Vec<LegacyMineRecord>> {
        let rows = sqlx::query("SELECT * FROM legacy_mines ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(legacy_record).collect()
    }

    /// Adds a restoration project with its funding and sites (every legacy mine and mine named
    /// must exist), audit row `restoration_project.add`.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] with every problem of `check_project` and unknown sites,
    /// nothing written; [`StoreError::Db`].
    pub async fn add_restoration_project(
        &self,
        input: &RestorationProject,
        actor: &Actor,
    ) -> Result<ProjectRecord> {
        check_project(input).map_err(problems)?;
        let mut tx = self.begin_write().await?;
        let mut missing = Vec::new();
        for s in &input.sites {
            let (sql, id, what) = match s {
                Site::Legacy(i) => (
                    "SELECT id FROM legacy_mines WHERE id = ?",
                    *i,
                    "历史遗留矿山",
                ),
                Site::MineDisturbed(i) => ("SELECT id FROM mines WHERE id = ?", *i, "矿山"),
            };
            let found: Option<i64> = sqlx::query_scalar(sql)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_none() {
                missing.push(Problem::new("sites", format!("没有编号为 {id} 的{what}")));
            }
        }
        if !missing.is_empty() {
            return Err(problems(missing));
        }
        let id = insert_project(&mut tx, input, false).await?;
        let rec = project_in(&mut tx, id).await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "restoration_project.add",
                entity_type: "restoration_project",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&rec).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(rec)
    }

    /// Accepts project `id` (`check_project_acceptance`): its legacy mines that are 已治理 become
    /// 已验收 with the same acceptance; one not yet 已治理 refuses the whole acceptance, naming
    /// it. Audit row `restoration_project.accept` (and `legacy_mine.status` per mine).
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Invalid`] (already accepted, acceptance fields,
    /// `sites`), nothing written; [`StoreError::Db`].
    pub async fn accept_restoration_project(
        &self,
        id: i64,
        acceptance: &Acceptance,
        today: Date,
        actor: &Actor,
    ) -> Result<ProjectRecord> {
        let mut tx = self.begin_write().await?;
        let before = project_in(&mut tx, id).await?;
        if before.acceptance.is_some() {
            return Err(problems(vec![Problem::new(
                "accepted_on",
                "该项目已经验收，不能再次验收",
            )]));
        }
        let mut legacy = Vec::new();
        for s in &before.input.sites {
            if let Site::Legacy(l) = s {
                legacy.push(legacy_in(&mut tx, *l).await?);
            }
        }
        let named: Vec<(String, Status)> = legacy
            .iter()
            .map(|l| (l.input.name.clone(), l.status))
            .collect();
        let to_accept = check_project_acceptance(acceptance, before.input.start, &named, today)
            .map_err(problems)?;
        sqlx::query(
            "UPDATE restoration_projects SET accepted_on = ?, accepted_by = ?,
                acceptance_number = ? WHERE id = ?",
        )
        .bind(acceptance.date.to_string())
        .bind(acceptance.by.trim())
        .bind(acceptance.number.trim())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        for i in to_accept {
            let l = &legacy[i];
            sqlx::query(
                "UPDATE legacy_mines SET status = '已验收', accepted_on = ?, accepted_by = ?,
                    acceptance_number = ?, updated_at = ? WHERE id = ?",
            )
            .bind(acceptance.date.to_string())
            .bind(acceptance.by.trim())
            .bind(acceptance.number.trim())
            .bind(now_rfc3339())
            .bind(l.id)
            .execute(&mut *tx)
            .await?;
            audit::append(
                &mut tx,
                &AuditEntry {
                    actor,
                    action: "legacy_mine.status",
                    entity_type: "legacy_mine",
                    entity_id: l.id.to_string(),
                    before: Some(serde_json::json!({ "status": l.status.label() })),
                    after: Some(serde_json::json!({
                        "status": Status::Accepted.label(),
                        "acceptance": acceptance,
                        "project_id": id,
                    })),
                },
            )
            .await?;
        }
        let after = project_in(&mut tx, id).await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "restoration_project.accept",
                entity_type: "restoration_project",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::to_value(&after.acceptance).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Project `id`, if it exists.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn restoration_project(&self, id: i64) -> Result<Option<ProjectRecord>> {
        let mut conn = self.pool.acquire().await?;
        match project_on(&mut conn, id).await {
            Ok(p) => Ok(Some(p)),
            Err(StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Every project, by start date.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn restoration_projects(&self) -> Result<Vec<ProjectRecord>> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM restoration_projects ORDER BY start_on, id")
                .fetch_all(&self.pool)
                .await?;
        let mut conn = self.pool.acquire().await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(project_on(&mut conn, id).await?);
        }
        Ok(out)
    }

    /// Legacy mines and projects as on `on` (`minplan_domain::restoration::legacy::figures`):
    /// the inventory with its status now, the projects started by `on`, key projects accepted
    /// by `on`; 无数据 where nothing was entered.
    ///
    /// # Errors
    /// Database errors.
    pub async fn legacy_figures(&self, on: Date) -> Result<LegacyFigures> {
        let mines: Vec<LegacySummary> =
            sqlx::query("SELECT area_km2, status, schematic FROM legacy_mines ORDER BY id")
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|r| {
                    let s: String = r.get("status");
                    Ok(LegacySummary {
                        area_km2: r.get("area_km2"),
                        status: Status::parse(&s).ok_or_else(|| bad("status", &s))?,
                        schematic: r.get::<i64, _>("schematic") != 0,
                    })
                })
                .collect::<Result<_>>()?;
        let projects: Vec<ProjectSummary> = sqlx::query(
            "SELECT start_on, budget_wan_yuan, restored_area_km2, key_project, accepted_on
             FROM restoration_projects ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            let s: String = r.get("start_on");
            Ok(ProjectSummary {
                start: Date::parse(&s).map_err(|_| bad("start_on", &s))?,
                budget_wan_yuan: r.get("budget_wan_yuan"),
                restored_area_km2: r.get("restored_area_km2"),
                key_project: r.get::<i64, _>("key_project") != 0,
                accepted_on: date_col(r, "accepted_on")?,
            })
        })
        .collect::<Result<_>>()?;
        Ok(legacy::figures(&mines, &projects, on))
    }

    /// Loads the Suifenhe baseline (embedded `seed/restoration_231081.json`, 示意: 14 legacy
    /// mines, all 露天, whose computed areas add up to the plan's 0.7 km²; 11 accepted key
    /// projects 2015–2020, 350 万元, 0.0212 km²) when the active plan is Suifenhe's (adcode
    /// 231081) and both tables are empty; otherwise writes nothing and says why. One
    /// transaction, audit row `restoration.seed` by `actor` (`system` at start).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] when an embedded entry does not pass the checks (a build
    /// error, nothing written); [`StoreError::Db`].
    pub async fn seed_restoration_baseline(&self, actor: &Actor) -> Result<SeedOutcome> {
        let skipped = |why: &str| SeedOutcome {
            legacy_mines: 0,
            projects: 0,
            skipped: Some(why.to_string()),
        };
        let seed: SeedFile = serde_json::from_str(SEED_231081)
            .map_err(|e| StoreError::Internal(format!("内置修复基线数据无法读取：{e}")))?;
        let Some(plan) = self.active_plan().await? else {
            return Ok(skipped("没有生效的规划"));
        };
        let plan = &plan.loaded.plan;
        if plan.identity.adcode != seed.adcode {
            return Ok(skipped("生效的规划不是绥芬河市的规划"));
        }
        let opts = seed_options(plan);
        let mut tx = self.begin_write().await?;
        let n: i64 = sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM legacy_mines) + (SELECT COUNT(*) FROM restoration_projects)",
        )
        .fetch_one(&mut *tx)
        .await?;
        if n > 0 {
            return Ok(skipped("已有历史遗留矿山或修复项目记录"));
        }
        let mut errors = Vec::new();
        for m in &seed.legacy_mines {
            let input = LegacyMine {
                name: m.name.clone(),
                township: m.township.clone(),
                village: m.village.clone(),
                mineral: m.mineral.clone(),
                method: Method::parse(&m.method).ok_or_else(|| bad("method", &m.method))?,
                findings: m
                    .findings
                    .iter()
                    .map(|f| {
                        Finding::parse(f)
                            .map(|kind| FoundProblem {
                                kind,
                                note: String::new(),
                            })
                            .ok_or_else(|| bad("findings", f))
                    })
                    .collect::<Result<_>>()?,
                responsible: m.responsible.clone(),
                direction: Direction::parse(&m.direction)
                    .ok_or_else(|| bad("direction", &m.direction))?,
                reason: m.reason.clone(),
                schematic: true,
            };
            let checked =
                check_legacy(&input).and_then(|()| legacy::read_geometry(&m.corners, None, &opts));
            match checked {
                Ok(g) => {
                    insert_legacy(&mut tx, &input, &g).await?;
                }
                Err(p) => errors.extend(
                    p.into_iter()
                        .map(|p| FieldError::new(p.field, format!("{}：{}", m.name, p.message))),
                ),
            }
        }
        for p in &seed.projects {
            let d = |s: &str| Date::parse(s).map_err(|_| bad("start", s));
            let input = RestorationProject {
                name: p.name.clone(),
                sites: vec![],
                funding: vec![FundingLine {
                    source: FundingSource::Local,
                    amount_wan_yuan: p.budget_wan_yuan,
                }],
                budget_wan_yuan: p.budget_wan_yuan,
                spent_wan_yuan: p.budget_wan_yuan,
                restored_area_km2: p.restored_area_km2,
                start: d(&p.start)?,
                end: Some(d(&p.end)?),
                key_project: true,
                baseline: true,
            };
            if let Err(e) = check_project(&input) {
                errors.extend(
                    e.into_iter()
                        .map(|e| FieldError::new(e.field, format!("{}：{}", p.name, e.message))),
                );
                continue;
            }
            let id = insert_project(&mut tx, &input, true).await?;
            sqlx::query(
                "UPDATE restoration_projects SET accepted_on = ?, accepted_by = ?,
                    acceptance_number = ? WHERE id = ?",
            )
            .bind(d(&p.accepted_on)?.to_string())
            .bind(&p.accepted_by)
            .bind(&p.acceptance_number)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        }
        if !errors.is_empty() {
            return Err(StoreError::Invalid(errors));
        }
        let out = SeedOutcome {
            legacy_mines: seed.legacy_mines.len() as u32,
            projects: seed.projects.len() as u32,
            skipped: None,
        };
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "restoration.seed",
                entity_type: "restoration",
                entity_id: seed.adcode.clone(),
                before: None,
                after: Some(serde_json::to_value(&out).unwrap_or_default()),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }
}

async fn legacy_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    id: i64,
) -> Result<LegacyMineRecord> {
    let row = sqlx::query("SELECT * FROM legacy_mines WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的历史遗留矿山")))?;
    legacy_record(&row)
}

async fn project_in(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    id: i64,
) -> Result<ProjectRecord> {
    project_on(tx, id).await
}

async fn project_on(conn: &mut sqlx::SqliteConnection, id: i64) -> Result<ProjectRecord> {
    let r = sqlx::query("SELECT * FROM restoration_projects WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的修复项目")))?;
    let funding = sqlx::query(
        "SELECT source, amount_wan_yuan FROM restoration_project_funding WHERE project_id = ?",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|f| {
        let s: String = f.get("source");
        Ok(FundingLine {
            source: FundingSource::parse(&s).ok_or_else(|| bad("source", &s))?,
            amount_wan_yuan: f.get("amount_wan_yuan"),
        })
    })
    .collect::<Result<Vec<_>>>()?;
    let mut funding = funding;
    funding.sort_by_key(|l| l.source);
    let sites = sqlx::query(
        "SELECT legacy_mine_id, mine_id FROM restoration_project_sites WHERE project_id = ?
         ORDER BY rowid",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|s| match s.get::<Option<i64>, _>("legacy_mine_id") {
        Some(l) => Site::Legacy(l),
        None => Site::MineDisturbed(s.get::<Option<i64>, _>("mine_id").unwrap_or_default()),
    })
    .collect();
    let start: String = r.get("start_on");
    Ok(ProjectRecord {
        id,
        input: RestorationProject {
            name: r.get("name"),
            sites,
            funding,
            budget_wan_yuan: r.get("budget_wan_yuan"),
            spent_wan_yuan: r.get("spent_wan_yuan"),
            restored_area_km2: r.get("restored_area_km2"),
            start: Date::parse(&start).map_err(|_| bad("start_on", &start))?,
            end: date_col(&r, "end_on")?,
            key_project: r.get::<i64, _>("key_project") != 0,
            baseline: r.get::<i64, _>("baseline") != 0,
        },
        schematic: r.get::<i64, _>("schematic") != 0,
        acceptance: acceptance_of(&r)?,
    })
}
