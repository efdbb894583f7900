//! # minplan-store
//!
//! The embedded database: SQLite through sqlx, schema by migrations (embedded at compile time
//! from `migrations/`). Every write is one transaction: a failed import changes nothing.
//!
//! Plans are stored as their bundle files (the record) and parsed again on load, so that the
//! one parser in `minplan-domain` decides what a plan is. A plan version is immutable;
//! importing a changed bundle for the same county and period adds a version.
//!
//! Accounts and roles ([`accounts`]), login throttling ([`throttle`]) and the hash-chained,
//! append-only audit trail ([`audit`]) live here too: every write appends its audit row in its
//! own transaction, with the [`Actor`] who did it. Web sessions are kept in the table
//! `tower_sessions` (created by migration 0002, used by `minplan-web`).

pub mod accounts;
pub mod audit;
pub mod backup;
pub mod checks;
pub mod throttle;
pub mod to_postgres;

pub use accounts::{NewUser, Role, User};
pub use audit::{Actor, AuditEntry, AuditFilter, AuditRow, VerifyReport};
pub use throttle::{Lockout, ThrottlePolicy};

mod annual_reports;
mod bulk;
mod calendar;
pub mod disclosure;
mod engine;
mod export;
mod filings;
mod green_mines;
mod holder_lists;
pub mod inspections;
mod joint_record;
mod joint_review;
mod layers;
mod licences;
mod lifecycle;
mod lists;
mod manual_indicators;
mod monitoring;
mod records;
mod register;
mod register_snapshot;
mod replay;
mod restoration_figures;
mod restoration_fund;
mod restoration_plans;
mod restoration_sites;
mod reviews;
pub mod settings;

pub use annual_reports::{FiledReport, ReportStatus, ReportStatusRow};
pub use bulk::{
    BulkMode, BulkOutcome, CornerSettings, ImportColumn, MAX_AREA_KM2, MAX_CAPACITY,
    ReportsTableCheck, RightsTableCheck, RowProblem, TABLE_EXTENSIONS, TEMPLATE_EXAMPLE_MARK,
    UNSUPPORTED_TYPE, has_register_columns, is_table_file, layer_register_table, read_table,
    report_columns, right_columns,
};
pub use calendar::{CALENDAR_YEARS, CalendarEntry};
pub use disclosure::{
    PublicRightsQuery, Publication, PublicationEvent, PublicationSummary, RESULTS_WITHIN_RANGE,
};
pub use engine::{ReviewEngine, SavedReview, region_of, review_date};
pub use export::{ExportSet, ExportedFile, block_fields, right_fields};
pub use filings::InformationFiling;
pub use green_mines::{
    AssessmentItem, AssessmentRecord, AssessmentSummary, ChecklistVersion, CommitmentRow,
    EXAMPLE_CHECKLIST_NAME, EvidenceFile, GreenMine, ListingRecord, SelfInput,
};
pub use holder_lists::{
    EntryId, ListEntryQuery, StoredListEntry, StoredStep, UploadedFile, VERIFICATION_LIMIT_RANGE,
};
pub use joint_review::{JointFile, JointReviewRecord, JointUpload};
pub use layers::{
    LayerImport, LayerProgress, LayerVersion, PlaneLayerVersion, STALE_STAGING_HOURS, StagedLayer,
    StoredLayer,
};
pub use licences::{LICENCE_ATTACHMENT_MAX_BYTES, LicenceAttachment, LicenceRecord};
pub use lifecycle::Mine;
pub use lists::{ApplicationQuery, ReviewQuery, RightFacets, RightQuery, Window};
pub use manual_indicators::{EVIDENCE_MAX_CHARS, ManualInput};
pub use minplan_domain::supervision::listing::HolderList;
pub use monitoring::{ScaleTableVersion, YEARS_AROUND_PERIOD};
pub use records::{ApplicationRecord, RightRecord};
pub use register::RightsImport;
pub use register_snapshot::RegisterEntryText;
pub use replay::Replay;
pub use restoration_fund::{
    FundMine, FundStatement, NO_METHOD, RECTIFICATION_DAYS_RANGE, StoredOrder, StoredProposal,
};
pub use restoration_plans::{MineSchedule, PlanFilingRecord};
pub use restoration_sites::{LegacyMineRecord, LegacyPhoto, ProjectRecord, SeedOutcome};
pub use reviews::{ReviewInput, ReviewRecord, ReviewSummary};
pub use settings::{BureauSettings, EffectiveSettings, IssuedOpinion};

use minplan_domain::bundle::{BundleErrors, BundleFiles, LoadedBundle, load_bundle};
use minplan_domain::plan::VersionKind;
use minplan_domain::plan::diff::{PlanChange, check_stated, diff};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::path::Path;
use std::str::FromStr;

/// The schema migrations, embedded from `migrations/` at compile time.
pub(crate) static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The bundle did not pass its checks; nothing was written.
    #[error("{0}")]
    Bundle(#[from] BundleErrors),
    /// The database failed.
    #[error("数据库错误：{0}")]
    Db(sqlx::Error),
    /// Another connection or process held SQLite's write lock for longer than the busy
    /// timeout (10 s): the statement gave up and its transaction was rolled back, so nothing
    /// was written; the same request made again later succeeds. Converted from SQLite's
    /// `SQLITE_BUSY` / `SQLITE_LOCKED` (any extended code) by `From<sqlx::Error>`.
    #[error(
        "数据库正忙：另一个程序正在写入同一数据库，等待 10 秒仍未结束。本次操作未写入任何内容，请稍后重试。"
    )]
    Busy,
    /// A migration failed.
    #[error("数据库迁移失败：{0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Something asked for does not exist.
    #[error("{0}")]
    NotFound(String),
    /// Input refused; each problem names its field. Nothing was written.
    #[error("{}", .0.iter().map(|e| e.message.as_str()).collect::<Vec<_>>().join("；"))]
    Invalid(Vec<FieldError>),
    /// An internal failure that is not the database's (a blocking task, password hashing).
    #[error("{0}")]
    Internal(String),
    /// A file or text that cannot be stored as a whole (a layer file that cannot be read, …);
    /// nothing written.
    #[error("{0}")]
    BadInput(String),
    /// What a write was computed from changed meanwhile (another process saved a review or
    /// imported data since the review engine was built); nothing was written, and the same
    /// request made again on the current data succeeds.
    #[error("{0}")]
    Stale(String),
}

impl From<sqlx::Error> for StoreError {
    /// A busy or locked database becomes [`StoreError::Busy`]; any other error stays
    /// [`StoreError::Db`].
    fn from(e: sqlx::Error) -> StoreError {
        if is_busy(&e) {
            StoreError::Busy
        } else {
            StoreError::Db(e)
        }
    }
}

/// Whether `e` is SQLite's `SQLITE_BUSY` (5) or `SQLITE_LOCKED` (6), with any extended code
/// (the primary code is the low byte: `SQLITE_BUSY_SNAPSHOT` = 517, …).
fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .and_then(|c| c.parse::<i64>().ok())
        .is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

/// A problem of one input field, with a Chinese message that names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// The field (form field name): `username`, `password`, `credit_code`, ….
    pub field: String,
    /// The message shown next to the field.
    pub message: String,
}

impl FieldError {
    /// A problem of `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Result alias.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// One stored plan version.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PlanVersionInfo {
    /// Row id (used by `minplan plan activate ID`).
    pub id: i64,
    /// 6-digit adcode (a 开发区 may carry its host county's).
    pub adcode: String,
    /// Plan name.
    pub name: String,
    /// Plan period, first year.
    pub period_start: i64,
    /// Plan period, last year.
    pub period_end: i64,
    /// Version number within the plan unit (level, unit name, adcode) and period, from 1.
    pub version: i64,
    /// SHA-256 of the bundle (hex), over sorted `path\0len\0content` records.
    pub content_sha256: String,
    /// Where it came from (`内置` or a directory path).
    pub source: String,
    /// Import time, RFC 3339 UTC.
    pub imported_at: String,
    /// Whether the system currently runs on it.
    pub active: bool,
    /// Level of the plan unit (`县级`, `开发区`, …).
    pub level: String,
    /// Name of the plan unit (the region the plan covers, e.g. 绥芬河市).
    pub unit_name: String,
    /// `批准` or `修改`; `None` when the bundle does not state it (未载明).
    pub version_kind: Option<String>,
    /// Title of the approving document, when stated.
    pub basis_title: Option<String>,
    /// Its 文号, when stated.
    pub basis_number: Option<String>,
    /// Its issuer, when stated.
    pub basis_issuer: Option<String>,
    /// Approval date (YYYY-MM-DD), when stated.
    pub approved: Option<String>,
    /// Date from which the version is in force (YYYY-MM-DD): as stated, or 1 January of the
    /// period's first year when not.
    pub effective: String,
}

/// The word shown for what a bundle does not state.
pub const NOT_STATED: &str = "未载明";

impl PlanVersionInfo {
    /// The plan unit, e.g. `开发区 某某经济技术开发区（231081）`.
    pub fn unit_label(&self) -> String {
        format!("{} {}（{}）", self.level, self.unit_name, self.adcode)
    }

    /// 批准 / 修改 / 未载明.
    pub fn kind_label(&self) -> &str {
        self.version_kind.as_deref().unwrap_or(NOT_STATED)
    }

    /// The basis in one line: `牡政函〔2022〕12号《…》（牡丹江市人民政府）` or 未载明.
    pub fn basis_label(&self) -> String {
        match (&self.basis_number, &self.basis_title, &self.basis_issuer) {
            (Some(n), Some(t), Some(i)) => format!("{n} {t}（{i}）"),
            _ => NOT_STATED.into(),
        }
    }

    /// Which version, in one line: name, version number, kind, effective date, 文号.
    pub fn describe(&self) -> String {
        format!(
            "{}（第{}版，{}，{} 起施行，批准文号：{}）",
            self.name,
            self.version,
            self.kind_label(),
            self.effective,
            self.basis_number.as_deref().unwrap_or(NOT_STATED)
        )
    }
}

/// What an import did.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    /// The version imported, or the existing identical one.
    pub version: PlanVersionInfo,
    /// False when an identical bundle was already stored (nothing written).
    pub created: bool,
    /// Non-blocking problems of the bundle.
    pub warnings: Vec<minplan_domain::BundleError>,
}

/// A plan loaded from the store with its version.
#[derive(Debug, Clone)]
pub struct StoredPlan {
    /// Version information.
    pub info: PlanVersionInfo,
    /// The parsed plan and its warnings.
    pub loaded: LoadedBundle,
}

/// The database handle. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    /// Register entries and pages known to be stored (shared by clones).
    stored_digests: register_snapshot::StoredDigests,
}

/// SHA-256 over the bundle's files in path order.
pub fn bundle_sha256(files: &BundleFiles) -> String {
    let mut h = Sha256::new();
    for (path, content) in files.iter() {
        h.update(path.as_bytes());
        h.update([0]);
        h.update((content.len() as u64).to_le_bytes());
        h.update([0]);
        h.update(content);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Today in China (UTC+8): the date deadlines and expiries are counted against.
pub fn today() -> minplan_domain::date::Date {
    let now = time::OffsetDateTime::now_utc() + time::Duration::hours(8);
    minplan_domain::date::Date::new(now.year(), u8::from(now.month()), now.day())
        .unwrap_or_else(|| minplan_domain::date::Date::start_of_year(1970))
}

/// Now, RFC 3339 UTC (the store is where the clock is read).
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

impl Store {
    /// Opens (creating if needed) the database file at `path` and brings its schema up to date.
    ///
    /// # Errors
    /// [`StoreError::Db`] when the file cannot be opened; [`StoreError::Migrate`] on a schema
    /// from a newer minplan.
    pub async fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Db(sqlx::Error::Io(e)))?;
        }
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(std::time::Duration::from_secs(10));
        // No ping before each use: a connection to a local file has no far end to lose (a
        // crashed connection thread fails the statement itself), and the ping is one more
        // round trip to the connection's thread for every statement.
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(false)
            .connect_with(opts)
            .await?;
        Self::migrate(pool).await
    }

    /// An in-memory database (tests, dry runs).
    ///
    /// # Errors
    /// As [`Store::open`].
    pub async fn open_in_memory() -> Result<Store> {
        let opts = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        // One connection: every connection to :memory: is a different database.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_with(opts)
            .await?;
        Self::migrate(pool).await
    }

    async fn migrate(pool: SqlitePool) -> Result<Store> {
        MIGRATOR.run(&pool).await?;
        let store = Store {
            pool,
            stored_digests: register_snapshot::StoredDigests::default(),
        };
        store.backfill_plan_units().await?;
        Ok(store)
    }

    /// Plan versions stored before migration 0009 get their unit (level and region name)
    /// from their bundle; one whose bundle no longer parses keeps its plan name as unit name.
    async fn backfill_plan_units(&self) -> Result<()> {
        let ids: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM plan_versions WHERE unit_name = '' ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        for id in ids {
            let files = self.plan_files(id).await?;
            let (level, unit_name) = match load_bundle(&files) {
                Ok(l) => {
                    let u = UnitKey::of(&l.plan);
                    (u.level, u.unit_name)
                }
                Err(_) => {
                    let name: String =
                        sqlx::query_scalar("SELECT name FROM plan_versions WHERE id = ?")
                            .bind(id)
                            .fetch_one(&self.pool)
                            .await?;
                    ("县级".to_string(), name)
                }
            };
            sqlx::query("UPDATE plan_versions SET level = ?, unit_name = ? WHERE id = ?")
                .bind(level)
                .bind(unit_name)
                .bind(id)
                .execute(&self.pool)
                .await?;
        }
        Ok(())
    }

    /// The connection pool, for crates that add their own tables.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Imports the default bundle when the store has no plan yet. Returns what it imported.
    ///
    /// # Errors
    /// As [`Store::import_plan`].
    pub async fn seed_if_empty(&self, files: &BundleFiles) -> Result<Option<ImportOutcome>> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM plan_versions")
            .fetch_one(&self.pool)
            .await?;
        if n > 0 {
            return Ok(None);
        }
        self.import_plan(files, "内置", true, &Actor::System)
            .await
            .map(Some)
    }

    /// Checks a bundle and stores it as a new plan version, in one transaction with its audit
    /// rows (`plan.import` when a version is created, `plan.activate` when the active version
    /// changes), recorded as done by `actor`. An identical bundle already stored is not stored
    /// again (`created == false`). With `activate`, the system switches to the version.
    ///
    /// # Errors
    /// [`StoreError::Bundle`] with every problem of the bundle (nothing written);
    /// [`StoreError::Db`] on database failure (rolled back).
    pub async fn import_plan(
        &self,
        files: &BundleFiles,
        source: &str,
        activate: bool,
        actor: &Actor,
    ) -> Result<ImportOutcome> {
        let loaded = load_bundle(files)?;
        let sha = bundle_sha256(files);
        let plan = &loaded.plan;
        let id = &plan.identity;
        let unit = UnitKey::of(plan);
        let existing: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM plan_versions WHERE level = ? AND unit_name = ? AND adcode = ? AND period_start = ? AND period_end = ? AND content_sha256 = ?",
        )
        .bind(&unit.level)
        .bind(&unit.unit_name)
        .bind(&unit.adcode)
        .bind(unit.period_start)
        .bind(unit.period_end)
        .bind(&sha)
        .fetch_optional(&self.pool)
        .await?;
        // An amendment is compared with the version in force before it; what it states
        // must be what changed.
        let mut changes = Vec::new();
        if existing.is_none()
            && let Some(v) = plan.version.as_ref()
            && v.kind == VersionKind::Amendment
        {
            let previous = self
                .unit_version_before(&unit, &v.effective.to_string(), i64::MAX)
                .await?;
            let Some(previous) = previous else {
                return Err(StoreError::Bundle(BundleErrors(vec![change_error(
                    "version.kind",
                    format!(
                        "修改版本需要在同一规划单元（{} {}，{}）已有更早施行的版本，数据库中没有",
                        unit.level, unit.unit_name, unit.adcode
                    ),
                )])));
            };
            let before = load_bundle(&self.plan_files(previous).await?)?;
            changes = diff(&before.plan, plan);
            let problems = check_stated(&v.changes, &changes);
            if !problems.is_empty() {
                return Err(StoreError::Bundle(BundleErrors(
                    problems
                        .into_iter()
                        .map(|m| change_error("version.changes", m))
                        .collect(),
                )));
            }
        }
        let mut tx = self.begin_write().await?;
        let (plan_id, created) = match existing {
            Some(pid) => (pid, false),
            None => {
                let version: i64 = sqlx::query_scalar(
                    "SELECT COALESCE(MAX(unit_version), 0) + 1 FROM plan_versions WHERE level = ? AND unit_name = ? AND adcode = ? AND period_start = ? AND period_end = ?",
                )
                .bind(&unit.level)
                .bind(&unit.unit_name)
                .bind(&unit.adcode)
                .bind(unit.period_start)
                .bind(unit.period_end)
                .fetch_one(&mut *tx)
                .await?;
                // The serial number within (adcode, period) that migration 0001's UNIQUE
                // constraint asks for.
                let serial: i64 = sqlx::query_scalar(
                    "SELECT COALESCE(MAX(version), 0) + 1 FROM plan_versions WHERE adcode = ? AND period_start = ? AND period_end = ?",
                )
                .bind(&unit.adcode)
                .bind(unit.period_start)
                .bind(unit.period_end)
                .fetch_one(&mut *tx)
                .await?;
                let v = plan.version.as_ref();
                let effective = plan.effective_from().to_string();
                let pid: i64 = sqlx::query_scalar(
                    "INSERT INTO plan_versions (level, unit_name, adcode, name, period_start, period_end, unit_version, version, content_sha256, source, imported_at,
                                                version_kind, basis_title, basis_number, basis_issuer, approved, effective)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(&unit.level)
                .bind(&unit.unit_name)
                .bind(&unit.adcode)
                .bind(&id.name.value)
                .bind(unit.period_start)
                .bind(unit.period_end)
                .bind(version)
                .bind(serial)
                .bind(&sha)
                .bind(source)
                .bind(now_rfc3339())
                .bind(v.map(|v| v.kind.label()))
                .bind(v.map(|v| v.basis.title.as_str()))
                .bind(v.map(|v| v.basis.number.as_str()))
                .bind(v.map(|v| v.basis.issuer.as_str()))
                .bind(v.map(|v| v.approved.to_string()))
                .bind(&effective)
                .fetch_one(&mut *tx)
                .await?;
                for (path, content) in files.iter() {
                    sqlx::query(
                        "INSERT INTO plan_files (plan_version_id, path, content) VALUES (?, ?, ?)",
                    )
                    .bind(pid)
                    .bind(path)
                    .bind(content)
                    .execute(&mut *tx)
                    .await?;
                }
                audit::append(
                    &mut tx,
                    &AuditEntry {
                        actor,
                        action: "plan.import",
                        entity_type: "plan_version",
                        entity_id: pid.to_string(),
                        before: None,
                        after: Some(serde_json::json!({
                            "level": unit.level,
                            "unit_name": unit.unit_name,
                            "adcode": id.adcode,
                            "name": id.name.value,
                            "period_start": id.period_start,
                            "period_end": id.period_end,
                            "version": version,
                            "version_kind": v.map(|v| v.kind.label()),
                            "basis": v.map(|v| &v.basis),
                            "approved": v.map(|v| v.approved.to_string()),
                            "effective": effective,
                            "changes": changes.iter().map(|c| c.describe()).collect::<Vec<_>>(),
                            "content_sha256": sha,
                            "source": source,
                            "files": files.len(),
                        })),
                    },
                )
                .await?;
                (pid, true)
            }
        };
        if activate {
            set_active(&mut tx, plan_id, actor).await?;
        }
        tx.commit().await?;
        let version = self.plan_version(plan_id).await?;
        Ok(ImportOutcome {
            version,
            created,
            warnings: loaded.warnings,
        })
    }

    /// All plan versions, newest first.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn list_plans(&self) -> Result<Vec<PlanVersionInfo>> {
        let rows = sqlx::query(&format!("{SELECT_INFO} ORDER BY p.id DESC"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(row_to_info).collect())
    }

    /// One plan version.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown id.
    pub async fn plan_version(&self, id: i64) -> Result<PlanVersionInfo> {
        self.list_plans()
            .await?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的规划版本")))
    }

    /// Makes a stored version the active one, in one transaction with its audit row
    /// (`plan.activate`, before/after = the active version id), recorded as done by `actor`.
    /// Activating the version already active writes nothing.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown id.
    pub async fn activate(&self, id: i64, actor: &Actor) -> Result<PlanVersionInfo> {
        let info = self.plan_version(id).await?;
        let mut tx = self.begin_write().await?;
        set_active(&mut tx, id, actor).await?;
        tx.commit().await?;
        Ok(PlanVersionInfo {
            active: true,
            ..info
        })
    }

    /// The bundle files of a version.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn plan_files(&self, id: i64) -> Result<BundleFiles> {
        let rows = sqlx::query(
            "SELECT path, content FROM plan_files WHERE plan_version_id = ? ORDER BY path",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut files = BundleFiles::new();
        for r in rows {
            files.insert(r.get::<String, _>(0), r.get::<Vec<u8>, _>(1));
        }
        Ok(files)
    }

    /// Loads and parses a stored version.
    ///
    /// # Errors
    /// [`StoreError::NotFound`]; [`StoreError::Bundle`] if a stored bundle no longer parses
    /// (a newer minplan tightened a check).
    pub async fn load_plan(&self, id: i64) -> Result<StoredPlan> {
        let info = self.plan_version(id).await?;
        let files = self.plan_files(id).await?;
        let loaded = load_bundle(&files)?;
        Ok(StoredPlan { info, loaded })
    }

    /// The active plan, if any.
    ///
    /// # Errors
    /// As [`Store::load_plan`].
    pub async fn active_plan(&self) -> Result<Option<StoredPlan>> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT plan_version_id FROM active_plan WHERE singleton = 1")
                .fetch_optional(&self.pool)
                .await?;
        match id {
            Some(id) => self.load_plan(id).await.map(Some),
            None => Ok(None),
        }
    }

    /// The versions of a version's plan unit and period (same level, unit name, adcode and
    /// period), oldest first.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown id.
    pub async fn plan_history(&self, id: i64) -> Result<Vec<PlanVersionInfo>> {
        let info = self.plan_version(id).await?;
        let u = UnitKey::of_info(&info);
        let rows = sqlx::query(&format!(
            "{SELECT_INFO} WHERE p.level = ? AND p.unit_name = ? AND p.adcode = ? AND p.period_start = ? AND p.period_end = ? ORDER BY p.unit_version"
        ))
        .bind(&u.level)
        .bind(&u.unit_name)
        .bind(&u.adcode)
        .bind(u.period_start)
        .bind(u.period_end)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(row_to_info).collect())
    }

    /// The id of the unit's version in force on the day before `before` (a date, YYYY-MM-DD,
    /// compared as text), among versions numbered up to `max_version`: the latest effective
    /// date, then the latest version.
    async fn unit_version_before(
        &self,
        u: &UnitKey,
        before: &str,
        max_version: i64,
    ) -> Result<Option<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT id FROM plan_versions WHERE level = ? AND unit_name = ? AND adcode = ? AND period_start = ? AND period_end = ?
               AND effective < ? AND unit_version <= ?
             ORDER BY effective DESC, unit_version DESC LIMIT 1",
        )
        .bind(&u.level)
        .bind(&u.unit_name)
        .bind(&u.adcode)
        .bind(u.period_start)
        .bind(u.period_end)
        .bind(before)
        .bind(max_version)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The version of `of`'s plan unit in force on `on`: among `of` and the versions
    /// imported before it (numbered lower) the one with the latest effective date not after
    /// `on` (the latest imported of equal dates). A date before every version's effective
    /// date gets the earliest in force. An application received before an amendment took
    /// effect is thus reviewed against the version it was received under.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown id.
    pub async fn version_in_force(
        &self,
        of: &PlanVersionInfo,
        on: minplan_domain::date::Date,
    ) -> Result<i64> {
        let u = UnitKey::of_info(of);
        let day_after = on.add_days(1).to_string();
        if let Some(id) = self.unit_version_before(&u, &day_after, of.version).await? {
            return Ok(id);
        }
        let first: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM plan_versions WHERE level = ? AND unit_name = ? AND adcode = ? AND period_start = ? AND period_end = ?
               AND unit_version <= ? ORDER BY effective, unit_version LIMIT 1",
        )
        .bind(&u.level)
        .bind(&u.unit_name)
        .bind(&u.adcode)
        .bind(u.period_start)
        .bind(u.period_end)
        .bind(of.version)
        .fetch_optional(&self.pool)
        .await?;
        Ok(first.unwrap_or(of.id))
    }

    /// The difference from the version before `id` to `id`; `None` for the unit's first
    /// version. An amendment (修改) is compared, as at its import, with the latest version in
    /// force before its effective date; any other version with the one before it by
    /// (effective date, version number).
    ///
    /// # Errors
    /// As [`Store::load_plan`].
    pub async fn plan_changes(
        &self,
        id: i64,
    ) -> Result<Option<(PlanVersionInfo, Vec<PlanChange>)>> {
        let history = self.plan_history(id).await?;
        let Some(me) = history.iter().find(|p| p.id == id) else {
            return Ok(None);
        };
        let amendment = me.version_kind.as_deref() == Some(VersionKind::Amendment.label());
        let key = |p: &PlanVersionInfo| (p.effective.clone(), p.version);
        let previous = history
            .iter()
            .filter(|p| {
                p.id != id
                    && if amendment {
                        p.effective < me.effective
                    } else {
                        key(p) < key(me)
                    }
            })
            .max_by_key(|p| key(p));
        let Some(previous) = previous.cloned() else {
            return Ok(None);
        };
        let old = self.load_plan(previous.id).await?;
        let new = self.load_plan(id).await?;
        Ok(Some((previous, diff(&old.loaded.plan, &new.loaded.plan))))
    }
}

/// Sets the active plan version inside `tx` and records `plan.activate` when it changes.
async fn set_active(
    tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>,
    id: i64,
    actor: &Actor,
) -> Result<()> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM plan_versions WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    if exists.is_none() {
        return Err(StoreError::NotFound(format!("没有编号为 {id} 的规划版本")));
    }
    let before: Option<i64> =
        sqlx::query_scalar("SELECT plan_version_id FROM active_plan WHERE singleton = 1")
            .fetch_optional(&mut **tx)
            .await?;
    if before == Some(id) {
        return Ok(());
    }
    sqlx::query("INSERT INTO active_plan (singleton, plan_version_id) VALUES (1, ?) ON CONFLICT (singleton) DO UPDATE SET plan_version_id = excluded.plan_version_id")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    audit::append(
        tx,
        &AuditEntry {
            actor,
            action: "plan.activate",
            entity_type: "plan_version",
            entity_id: id.to_string(),
            before: Some(serde_json::json!({ "active_plan_version_id": before })),
            after: Some(serde_json::json!({ "active_plan_version_id": id })),
        },
    )
    .await?;
    Ok(())
}

const SELECT_INFO: &str = "SELECT p.*, (a.plan_version_id IS NOT NULL) AS active
     FROM plan_versions p LEFT JOIN active_plan a ON a.plan_version_id = p.id";

/// What identifies a plan unit and period: versions are numbered within it.
struct UnitKey {
    level: String,
    unit_name: String,
    adcode: String,
    period_start: i64,
    period_end: i64,
}

impl UnitKey {
    fn of(plan: &minplan_domain::Plan) -> UnitKey {
        UnitKey {
            level: plan.identity.level.label().to_string(),
            unit_name: plan.region.name.clone(),
            adcode: plan.identity.adcode.clone(),
            period_start: plan.identity.period_start.into(),
            period_end: plan.identity.period_end.into(),
        }
    }

    fn of_info(p: &PlanVersionInfo) -> UnitKey {
        UnitKey {
            level: p.level.clone(),
            unit_name: p.unit_name.clone(),
            adcode: p.adcode.clone(),
            period_start: p.period_start,
            period_end: p.period_end,
        }
    }
}

fn change_error(field: &str, message: String) -> minplan_domain::BundleError {
    minplan_domain::BundleError {
        kind: minplan_domain::bundle::BundleErrorKind::ChangeMismatch,
        file: minplan_domain::bundle::PLAN_FILE.into(),
        line: None,
        field: field.into(),
        message,
    }
}

fn row_to_info(r: &sqlx::sqlite::SqliteRow) -> PlanVersionInfo {
    PlanVersionInfo {
        id: r.get("id"),
        adcode: r.get("adcode"),
        name: r.get("name"),
        period_start: r.get("period_start"),
        period_end: r.get("period_end"),
        version: r.get("unit_version"),
        content_sha256: r.get("content_sha256"),
        source: r.get("source"),
        imported_at: r.get("imported_at"),
        active: r.get::<i64, _>("active") != 0,
        level: r.get("level"),
        unit_name: r.get("unit_name"),
        version_kind: r.get("version_kind"),
        basis_title: r.get("basis_title"),
        basis_number: r.get("basis_number"),
        basis_issuer: r.get("basis_issuer"),
        approved: r.get("approved"),
        effective: r.get("effective"),
    }
}

/// Reads a bundle directory: every regular file below `dir` (hidden files and directories
/// skipped), keyed by its path relative to `dir` with `/` separators.
///
/// # Errors
/// I/O errors, with the path that failed.
pub fn read_bundle_dir(dir: &Path) -> std::io::Result<BundleFiles> {
    fn walk(root: &Path, dir: &Path, files: &mut BundleFiles) -> std::io::Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}：{e}", dir.display())))?
            .collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if p.is_dir() {
                walk(root, &p, files)?;
            } else if p.is_file() {
                let rel = p
                    .strip_prefix(root)
                    .unwrap_or(&p)
                    .to_string_lossy()
                    .replace('\\', "/");
                let bytes = std::fs::read(&p)
                    .map_err(|e| std::io::Error::new(e.kind(), format!("{}：{e}", p.display())))?;
                files.insert(rel, bytes);
            }
        }
        Ok(())
    }
    let mut files = BundleFiles::new();
    walk(dir, dir, &mut files)?;
    Ok(files)
}

/// The default plan bundle compiled into the binary: 绥芬河市矿产资源总体规划（2021～2025年）,
/// from `plans/231081-2021-2025/`.
#[derive(rust_embed::Embed)]
#[folder = "../../plans/231081-2021-2025/"]
struct DefaultBundle;

/// The embedded default bundle's files.
pub fn default_bundle() -> BundleFiles {
    let mut files = BundleFiles::new();
    for path in DefaultBundle::iter() {
        if let Some(f) = DefaultBundle::get(&path) {
            files.insert(path.to_string(), f.data.into_owned());
        }
    }
    files
}
