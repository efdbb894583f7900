//! The server's shared state ([`AppState`]: the store, the active plan and the review engine in
//! memory) and its settings ([`WebConfig`]).

use crate::http::error::AppError;
use crate::http::jobs::Jobs;
use minplan_store::{LayerProgress, LayerVersion, ReviewEngine, Store, StoredPlan, ThrottlePolicy};
use std::sync::Arc;
use tokio::sync::{Mutex, MutexGuard, RwLock};

/// Settings of the web server (defaults, overridden by `minplan serve` options).
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Largest request body accepted, bytes (default 10 MiB); larger ones get 413.
    pub body_limit: usize,
    /// Send every cookie only over HTTPS (`Secure`); set when the site is only ever served
    /// behind HTTPS.
    pub secure_cookies: bool,
    /// The header by which a reverse proxy says the client came over HTTPS
    /// (`X-Forwarded-Proto: https`, or `Forwarded` with `proto=https`); cookies of such
    /// requests are `Secure` ([`crate::http::security::secure_cookies`]). `None` (the
    /// default): no header is trusted.
    pub https_header: Option<String>,
    /// A session ends after this long without a request (default 8 hours).
    pub session_idle: time::Duration,
    /// Login throttling (default 5 failures per username / 20 per address in 15 minutes).
    pub throttle: ThrottlePolicy,
    /// Base map tiles for the maps (an XYZ URL template in Web Mercator, e.g. 天地图 with its
    /// key); `None` (the default): no tiles, nothing loaded from the network. When set, the
    /// Content-Security-Policy allows images from that host only ([`crate::http::security::csp`]).
    pub tile_url: Option<String>,
    /// A fixed “today” (tests, or an operator replaying a past day); `None` (the default):
    /// today in China from the clock ([`minplan_store::today`]).
    pub today: Option<minplan_domain::date::Date>,
    /// How long `POST /layers` waits for its import before it shows the import's progress
    /// page instead (default 3 s); the import goes on in the background either way.
    pub import_wait: std::time::Duration,
    /// Automatic daily backups (`minplan serve --backup-dir`); `None` (the default): none.
    pub backup: Option<AutoBackup>,
}

/// Where and how many automatic daily backups the server keeps
/// ([`minplan_store::Store::daily_backup`], run by [`crate::serve`] at start and hourly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoBackup {
    /// The folder (created when missing).
    pub dir: std::path::PathBuf,
    /// How many of the newest daily backups to keep (at least 1).
    pub keep: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            body_limit: 10 * 1024 * 1024,
            secure_cookies: false,
            https_header: None,
            session_idle: time::Duration::hours(8),
            throttle: ThrottlePolicy::default(),
            tile_url: None,
            today: None,
            import_wait: std::time::Duration::from_secs(3),
            backup: None,
        }
    }
}

/// Shared state of the server.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    plan: Arc<RwLock<Arc<StoredPlan>>>,
    engine: Arc<RwLock<Arc<ReviewEngine>>>,
    writes: Arc<Mutex<()>>,
    config: Arc<WebConfig>,
    layer_jobs: Arc<LayerJobs>,
    notice: Arc<std::sync::Mutex<Option<(NoticeKey, std::time::Instant, String)>>>,
    auto_backup: Arc<std::sync::Mutex<Option<AutoBackupOutcome>>>,
}

/// How the latest automatic daily backup run of this server went (kept in memory for the
/// 数据库备份 page: a failure after start, such as a full disk, shows there, not only in the
/// server's log).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoBackupOutcome {
    /// When it ran, RFC 3339 UTC.
    pub at: String,
    /// The file written (its name), `None` when the day's backup was already there; or why it
    /// failed, in Chinese.
    pub result: Result<Option<String>, String>,
}

/// How long the plan-period notice is kept before the stored plan versions are read again
/// (a version stored by another process, the CLI, shows within this time).
const NOTICE_KEPT: std::time::Duration = std::time::Duration::from_secs(10);

/// What the plan-period notice was computed on: the day, the active plan version and the
/// engine's [`ReviewEngine::inputs_version`] (raised with every plan version stored, by any
/// process).
type NoticeKey = (minplan_domain::date::Date, i64, Option<i64>);

/// The layer imports running or recently ended: each one's progress and its outcome (the new
/// version, or why nothing was imported).
pub type LayerJobs = Jobs<LayerProgress, Result<LayerVersion, String>>;

/// Layer imports that may run at once (each checks and buffers on every core).
const LAYER_IMPORTS_AT_ONCE: usize = 2;

impl AppState {
    /// State over a store whose active plan is loaded now.
    ///
    /// # Errors
    /// [`AppError`] when the store has no active plan or it does not load.
    pub async fn new(store: Store) -> Result<AppState, AppError> {
        let plan = store.active_plan().await?.ok_or_else(|| {
            AppError::NotFound("数据库中没有启用的规划，请先导入规划数据包".into())
        })?;
        let plan = Arc::new(plan);
        let engine = ReviewEngine::load_with(&store, plan.clone()).await?;
        release_free_memory();
        Ok(AppState {
            store,
            plan: Arc::new(RwLock::new(plan)),
            engine: Arc::new(RwLock::new(Arc::new(engine))),
            writes: Arc::new(Mutex::new(())),
            config: Arc::new(WebConfig::default()),
            layer_jobs: Arc::new(Jobs::new(LAYER_IMPORTS_AT_ONCE)),
            notice: Arc::default(),
            auto_backup: Arc::default(),
        })
    }

    /// How the latest automatic daily backup run went; `None` before the first.
    pub fn auto_backup_outcome(&self) -> Option<AutoBackupOutcome> {
        self.auto_backup.lock().ok().and_then(|g| g.clone())
    }

    /// Records how an automatic daily backup run went.
    pub fn set_auto_backup_outcome(&self, outcome: AutoBackupOutcome) {
        if let Ok(mut g) = self.auto_backup.lock() {
            *g = Some(outcome);
        }
    }

    /// The same state with other settings.
    pub fn with_config(mut self, config: WebConfig) -> AppState {
        self.config = Arc::new(config);
        self
    }

    /// The settings.
    pub fn config(&self) -> &WebConfig {
        &self.config
    }

    /// The layer imports running or recently ended (started by the 图层 pages and API).
    pub fn layer_jobs(&self) -> &LayerJobs {
        &self.layer_jobs
    }

    /// Today in China: [`WebConfig::today`] when set, else the clock. Every page that judges
    /// a date (monitoring, the plan-period notice) asks here, so that tests can set the day.
    pub fn today(&self) -> minplan_domain::date::Date {
        self.config.today.unwrap_or_else(minplan_store::today)
    }

    /// The plan-period notice (`minplan_domain::monitoring::plan_period_notice`) as `compute`
    /// gives it for today and the active plan, computed again when the day, the active plan
    /// or the engine's view of the store's plan versions ([`ReviewEngine::inputs_version`])
    /// changed, and at least every [`NOTICE_KEPT`] (a version stored by another process): every
    /// page and API answer carries it, and once the period has ended computing it reads the
    /// stored plan versions. `compute` gives the notice and whether it may be kept (not when
    /// the plan versions could not be read).
    pub async fn plan_notice<F, Fut>(&self, compute: F) -> String
    where
        F: FnOnce(Arc<StoredPlan>, minplan_domain::date::Date) -> Fut,
        Fut: std::future::Future<Output = (String, bool)>,
    {
        let plan = self.plan().await;
        let today = self.today();
        let key = (today, plan.info.id, self.engine().await.inputs_version);
        let lock = || {
            self.notice
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some((k, at, text)) = lock().as_ref()
            && *k == key
            && at.elapsed() < NOTICE_KEPT
        {
            return text.clone();
        }
        let (text, keep) = compute(plan, today).await;
        if keep {
            *lock() = Some((key, std::time::Instant::now(), text.clone()));
        }
        text
    }

    /// The active plan.
    pub async fn plan(&self) -> Arc<StoredPlan> {
        self.plan.read().await.clone()
    }

    /// Reloads the active plan from the store (after an import or activation) and rebuilds
    /// the review engine on it.
    ///
    /// # Errors
    /// As [`AppState::new`].
    pub async fn reload(&self) -> Result<(), AppError> {
        if let Some(p) = self.store.active_plan().await? {
            *self.plan.write().await = Arc::new(p);
        }
        self.rebuild_engine().await
    }

    /// The review engine: the active plan with the layers, register and lists as of the last
    /// write.
    pub async fn engine(&self) -> Arc<ReviewEngine> {
        self.engine.read().await.clone()
    }

    /// Rebuilds the review engine from the store (after a saved review, a layer or rights
    /// import, a plan activation).
    ///
    /// # Errors
    /// Database errors.
    pub async fn rebuild_engine(&self) -> Result<(), AppError> {
        let plan = self.plan().await;
        let engine = ReviewEngine::load_with(&self.store, plan).await?;
        // The old engine goes here unless a review still holds it.
        *self.engine.write().await = Arc::new(engine);
        release_free_memory();
        Ok(())
    }

    /// After a review of application `number` was saved (under [`AppState::write_lock`]):
    /// puts the application into the engine's register as the store now has it
    /// ([`ReviewEngine::update_application`]) instead of rebuilding the whole engine — with a
    /// county's layers loaded a rebuild reads and indexes millions of vertices for one new
    /// register entry. The engine is updated in place once the reviews running on it have
    /// finished (new ones wait meanwhile, briefly); when one holds it longer, or the day has
    /// changed since the register was read, the engine is rebuilt as before.
    ///
    /// # Errors
    /// Database errors.
    pub async fn application_saved(&self, number: &str, version: i64) -> Result<(), AppError> {
        let entry = self.store.pending_application(number).await?;
        {
            let mut slot = self.engine.write().await;
            let deadline = std::time::Instant::now() + std::time::Duration::from_millis(200);
            loop {
                if let Some(engine) = Arc::get_mut(&mut slot) {
                    // Only when nothing but this save happened since the engine was built.
                    if engine.register_is_current() && engine.inputs_version.is_some() {
                        engine.update_application(number, entry);
                        engine.inputs_version = Some(version);
                        return Ok(());
                    }
                    break;
                }
                if std::time::Instant::now() >= deadline {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            }
        }
        self.rebuild_engine().await
    }

    /// Rebuilds the engine (and reloads the active plan) when the store's
    /// [`Store::engine_inputs_version`] differs from the one the engine was built at: another
    /// process (the CLI) saved a review, imported rights or layers, changed a list or
    /// activated a plan. Returns whether it rebuilt. The caller holds
    /// [`AppState::write_lock`] (a rebuild must not interleave with a web write).
    ///
    /// # Errors
    /// Database errors.
    pub async fn refresh_if_stale(&self) -> Result<bool, AppError> {
        let now = self.store.engine_inputs_version().await?;
        if self.engine().await.inputs_version == Some(now) {
            return Ok(false);
        }
        tracing::info!(
            version = now,
            "the store changed outside this server: engine rebuilt"
        );
        self.reload().await?;
        Ok(true)
    }

    /// The review engine, current with the store: when another process changed what it
    /// reads, rebuilt first (under [`AppState::write_lock`]). For reviews that are not saved
    /// (a trial review, the corner check); a saved review holds the lock and calls
    /// [`AppState::refresh_if_stale`] itself.
    ///
    /// # Errors
    /// Database errors.
    pub async fn current_engine(&self) -> Result<Arc<ReviewEngine>, AppError> {
        let engine = self.engine().await;
        if engine.inputs_version == Some(self.store.engine_inputs_version().await?) {
            return Ok(engine);
        }
        drop(engine);
        let _guard = self.write_lock().await;
        self.refresh_if_stale().await?;
        Ok(self.engine().await)
    }

    /// Serialises the writes that change what a review reads (saving a review, importing a
    /// layer or rights): hold the guard across the write and [`AppState::rebuild_engine`], so
    /// that two reviews saved at once each see the other's application in the register.
    pub async fn write_lock(&self) -> MutexGuard<'_, ()> {
        self.writes.lock().await
    }
}

/// The binary's global allocator's way of handing its free memory back (`minplan` uses
/// mimalloc and sets `mi_collect` here); set once, at start.
static RELEASE_HOOK: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// Sets what [`release_free_memory`] runs for the program's global allocator (the first call
/// wins).
pub fn set_release_hook(hook: fn()) {
    let _ = RELEASE_HOOK.set(hook);
}

/// Hands the allocators' free memory back to the operating system. Building the review
/// engine over a county's layers makes transient copies (the stored features as read, the
/// index's working copies) that an allocator keeps once freed — over 200 MiB resident for
/// nothing with 6.5 M vertices loaded. glibc's malloc (SQLite's allocations, and Rust's when
/// no other global allocator is set) is trimmed; the global allocator is asked through the
/// hook of [`set_release_hook`]. Elsewhere (other systems) only the hook runs.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim takes no pointers and only returns free pages of the allocator's
    // own arenas; it is safe to call at any time from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
    if let Some(hook) = RELEASE_HOOK.get() {
        hook();
    }
}
