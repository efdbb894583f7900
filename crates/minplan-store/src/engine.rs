//! The review engine: the active plan, its layers (imported layers replace the bundle's of
//! the same kind), the register and the lists, with the spatial index built once. The CLI
//! (`minplan review`) and the web server use the same engine; the server keeps it and
//! rebuilds it when a layer, the register or the plan changes.

use crate::{
    PlaneLayerVersion, RegisterEntryText, Result, Store, StoredLayer, StoredPlan, now_rfc3339,
};
use geo::MultiPolygon;
use minplan_domain::application::{Application, ApplicationErrors, parse_application};
use minplan_domain::date::Date;
use minplan_domain::plan::ControlLayerKind;
use minplan_domain::review::config::{ReviewConfig, ScaleTable};
use minplan_domain::review::indicators::RegisterStats;
use minplan_domain::review::rules::r14_three_simultaneities::PlansOnFile;
use minplan_domain::review::spatial::{
    PlaneLayer, SpatialIndex, plan_control_layers, plane_features, project_polygons,
};
use minplan_domain::review::{ConformityReview, PlanRef, ReviewContext, review};
use minplan_domain::rights::{HolderLists, MiningRight};
use minplan_domain::supervision::listing::{ListEntry, holder_lists_on};
use minplan_geo::corners::Region;
use minplan_geo::overlay::BuildOptions;
use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

/// Everything a review needs, prepared.
pub struct ReviewEngine {
    /// The plan.
    pub plan: Arc<StoredPlan>,
    /// The spatial index.
    pub index: SpatialIndex,
    /// Rights and pending applications, in index order.
    register: Vec<MiningRight>,
    /// Each register entry's stored text, made on a save's first need and kept
    /// ([`ReviewEngine::register_entries`]); parallel to `register`.
    register_text: Vec<OnceLock<RegisterEntryText>>,
    /// Supervision lists as given to [`ReviewEngine::from_parts`] (a replay's recorded
    /// lists); reviews read them only when `list_entries` is `None`.
    pub lists: HolderLists,
    /// The lists' entries with their history (异常名录, 严重违法失信名单), loaded by
    /// [`ReviewEngine::load_with`]: a review reads the lists as they stood on its date
    /// ([`ReviewEngine::lists_for`]).
    pub list_entries: Option<Vec<ListEntry>>,
    /// Imported layer versions in use (kind slug → version id).
    pub layer_versions: BTreeMap<String, i64>,
    /// Parameters.
    pub config: ReviewConfig,
    /// Scale table.
    pub scales: ScaleTable,
    /// Register aggregates.
    pub stats: RegisterStats,
    /// The register's geometry in the plane, in register order: kept so that a saved review
    /// updates the register's index without projecting every right again
    /// ([`ReviewEngine::update_application`]).
    register_plane: Vec<MultiPolygon<f64>>,
    /// [`Store::engine_inputs_version`] when [`ReviewEngine::load_with`] read the store;
    /// `None` for an engine built from given parts (a replay, a benchmark).
    pub inputs_version: Option<i64>,
    /// The day (China) the register was read: a licence past its 有效期止 turns 已过期 when
    /// the register is read on a later day, so an update on another day rebuilds instead.
    built_on: Date,
    /// [`Store::version_in_force`] as read for each 受理日期 while the store's plan versions
    /// are those of `inputs_version` (an engine loaded from the store only): a trial review
    /// would otherwise ask the database each time. Kept through
    /// [`ReviewEngine::update_application`] (a saved review stores no plan version); an
    /// engine rebuilt after a plan import starts empty.
    in_force_read: std::sync::Mutex<BTreeMap<Date, i64>>,
}

/// How many 受理日期 [`ReviewEngine::in_force`] remembers (then it starts over).
const IN_FORCE_REMEMBERED: usize = 4096;

impl ReviewEngine {
    /// Builds the engine from the store's active plan and data.
    ///
    /// # Errors
    /// [`crate::StoreError::NotFound`] without an active plan; database errors.
    pub async fn load(store: &Store) -> Result<ReviewEngine> {
        let plan = store
            .active_plan()
            .await?
            .ok_or_else(|| crate::StoreError::NotFound("数据库中没有启用的规划".into()))?;
        Self::load_with(store, Arc::new(plan)).await
    }

    /// Builds the engine for a given plan.
    ///
    /// # Errors
    /// Database errors.
    pub async fn load_with(store: &Store, plan: Arc<StoredPlan>) -> Result<ReviewEngine> {
        // Read first: a change made while the engine loads leaves it older than the store,
        // never newer, so the next comparison rebuilds it.
        let version = store.engine_inputs_version().await?;
        let tm = plan.loaded.plan.region.zone.with_prefix(false).projection();
        // Projected as they are read: no lon/lat copy of the layers is ever held.
        let layers = store.active_plane_layers(&tm).await?;
        let register = store.review_register().await?;
        let entries = store.list_history().await?;
        let scales = store.scale_table().await?.table;
        let mut engine = Self::from_plane_layers(
            plan,
            layers,
            register,
            HolderLists::default(),
            ReviewConfig::default(),
            scales,
        );
        engine.list_entries = Some(entries);
        engine.inputs_version = Some(version);
        Ok(engine)
    }

    /// Builds the engine from given parts: a plan, the imported layers that replace the
    /// bundle's layers of their kinds, the register (rights and pending applications), the
    /// lists, the parameters and the 国土资发〔2004〕208号 scale table.
    /// [`ReviewEngine::load_with`] passes the store's current ones; a replay of a stored review
    /// ([`Store::replay_review`]) passes the ones it recorded.
    pub fn from_parts(
        plan: Arc<StoredPlan>,
        imported: &[StoredLayer],
        register: Vec<MiningRight>,
        lists: HolderLists,
        config: ReviewConfig,
        scales: ScaleTable,
    ) -> ReviewEngine {
        let tm = plan.loaded.plan.region.zone.with_prefix(false).projection();
        let imported = imported
            .iter()
            .map(|stored| PlaneLayerVersion {
                version: stored.version.clone(),
                features: plane_features(&tm, &stored.features),
            })
            .collect();
        Self::from_plane_layers(plan, imported, register, lists, config, scales)
    }

    /// As [`ReviewEngine::from_parts`], with the imported layers already projected into the
    /// plan's plane ([`Store::active_plane_layers`]); they are moved into the index.
    pub fn from_plane_layers(
        plan: Arc<StoredPlan>,
        imported: Vec<PlaneLayerVersion>,
        register: Vec<MiningRight>,
        lists: HolderLists,
        config: ReviewConfig,
        scales: ScaleTable,
    ) -> ReviewEngine {
        let p = &plan.loaded.plan;
        let mut layers: Vec<PlaneLayer> = plan_control_layers(p);
        let mut layer_versions = BTreeMap::new();
        for stored in imported {
            let v = &stored.version;
            layer_versions.insert(v.kind.slug().to_string(), v.id);
            layers.retain(|l| l.kind != v.kind);
            layers.push(PlaneLayer {
                kind: v.kind,
                name: v.name.clone(),
                source: format!(
                    "导入图层 #{}（{}，{}）",
                    v.id,
                    v.source_file,
                    v.imported_at.get(..10).unwrap_or("")
                ),
                version: format!(
                    "layer:{}:{}",
                    v.id,
                    &v.content_sha256[..12.min(v.content_sha256.len())]
                ),
                schematic: false,
                features: stored.features,
            });
        }
        layers.sort_by_key(|l| ControlLayerKind::ALL.iter().position(|k| *k == l.kind));
        let tm = p.region.zone.with_prefix(false).projection();
        let register_plane: Vec<MultiPolygon<f64>> = register
            .iter()
            .map(|r| project_polygons(&tm, &r.geometry))
            .collect();
        let index = SpatialIndex::build(p, layers, &register, Some(register_plane.clone()));
        let stats = RegisterStats::compute(p, &register, &scales);
        ReviewEngine {
            plan,
            index,
            register_text: register.iter().map(|_| OnceLock::new()).collect(),
            register,
            lists,
            list_entries: None,
            layer_versions,
            config,
            scales,
            stats,
            register_plane,
            built_on: crate::today(),
            in_force_read: std::sync::Mutex::default(),
            inputs_version: None,
        }
    }

    /// Rights and pending applications, in index order (the order conflicts are listed in).
    pub fn register(&self) -> &[MiningRight] {
        &self.register
    }

    /// The register's entries as a saved review stores them (migration 0030), in register
    /// order: each entry is serialised and hashed once per engine, not once per review.
    pub fn register_entries(&self) -> Vec<RegisterEntryText> {
        self.register
            .iter()
            .zip(&self.register_text)
            .map(|(r, t)| t.get_or_init(|| RegisterEntryText::of(r)).clone())
            .collect()
    }

    /// Whether [`ReviewEngine::update_application`] may be used today: the register was read
    /// today (China), so no licence has expired since.
    pub fn register_is_current(&self) -> bool {
        self.built_on == crate::today()
    }

    /// Puts application `number` into the register as it now stands after one of its reviews
    /// was saved: `entry` is what [`Store::pending_application`] returns for it (`None`: no
    /// longer pending). Its previous entry, if any, is replaced; the register's index changes
    /// by that entry ([`minplan_geo::overlay::OverlayLayer::replace_features`]) and so do its
    /// aggregates ([`RegisterStats::replace_pending`]) — the control layers and the plan are
    /// untouched, so this takes about a millisecond where [`ReviewEngine::load_with`] reads and
    /// indexes every layer again. The entry goes last, where a fresh load may put it
    /// elsewhere: the register's order is the order of conflicts listed, not their content.
    pub fn update_application(&mut self, number: &str, entry: Option<MiningRight>) {
        let p = &self.plan.loaded.plan;
        let removed: Vec<usize> = self
            .register
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                r.status == minplan_domain::rights::RightStatus::Pending && r.id == number
            })
            .map(|(k, _)| k)
            .collect();
        for &k in removed.iter().rev() {
            self.register.remove(k);
            self.register_text.remove(k);
            self.register_plane.remove(k);
        }
        let added = entry.as_ref().map(|e| {
            let tm = p.region.zone.with_prefix(false).projection();
            project_polygons(&tm, &e.geometry)
        });
        // Only the changed entry is cut into pieces again (the others keep theirs), and the
        // aggregates change by that entry alone; a valid right's counts are computed afresh.
        let rights = &mut self.index.rights;
        let (features, pieces) = (rights.feature_count(), rights.piece_count());
        rights.replace_features(
            &removed,
            added.clone().into_iter().collect(),
            &BuildOptions::default(),
        );
        let stats = &mut self.index.stats;
        stats.features = stats.features - features + rights.feature_count();
        stats.pieces = stats.pieces - pieces + rights.piece_count();
        let counted = self
            .stats
            .replace_pending(p, &self.scales, number, entry.as_ref());
        if let (Some(e), Some(plane)) = (entry, added) {
            self.register_plane.push(plane);
            self.register.push(e);
            self.register_text.push(OnceLock::new());
        }
        if !counted {
            self.stats = RegisterStats::compute(p, &self.register, &self.scales);
        }
    }

    /// The county as the corner checks see it (outline and zone), 50 m tolerance.
    pub fn region(&self) -> Region {
        region_of(&self.plan.loaded.plan)
    }

    /// Parses an application against the plan (minerals, zone, county).
    ///
    /// # Errors
    /// [`ApplicationErrors`] with every problem.
    pub fn parse(
        &self,
        toml: &str,
        corners: Option<&[u8]>,
    ) -> std::result::Result<Application, ApplicationErrors> {
        let p = &self.plan.loaded.plan;
        parse_application(
            toml,
            corners,
            &p.minerals,
            p.region.zone,
            Some(self.region()),
        )
    }

    /// The supervision lists a review at `now` (RFC 3339) reads: the entries in force on the
    /// review date ([`review_date`]) when the engine holds the lists' history, else the fixed
    /// lists it was built with (a replay's recorded lists).
    pub fn lists_for(&self, now: &str) -> HolderLists {
        match &self.list_entries {
            Some(entries) => holder_lists_on(entries, review_date(now)),
            None => self.lists.clone(),
        }
    }

    /// Reviews an application at time `now` (RFC 3339); R13 reads the lists as they stood on
    /// the review date ([`ReviewEngine::lists_for`]).
    pub fn review(&self, app: &Application, now: &str) -> ConformityReview {
        let lists = self.lists_for(now);
        self.review_with_lists(app, now, &lists)
    }

    /// Reviews an application at time `now` against the given supervision lists (R14 reads
    /// the application form only).
    pub fn review_with_lists(
        &self,
        app: &Application,
        now: &str,
        lists: &HolderLists,
    ) -> ConformityReview {
        self.review_with(app, now, lists, None)
    }

    /// Reviews an application at time `now` against the given supervision lists and, for
    /// R14, the bureau's record of its plans ([`Store::plans_on_file`]; a replay passes the
    /// record the review stored).
    pub fn review_with(
        &self,
        app: &Application,
        now: &str,
        lists: &HolderLists,
        plans: Option<&PlansOnFile>,
    ) -> ConformityReview {
        let ctx = ReviewContext {
            plan: &self.plan.loaded.plan,
            plan_ref: PlanRef::new(
                self.plan.info.id,
                self.plan.info.version,
                self.plan.info.content_sha256.clone(),
                &self.plan.loaded.plan,
                PlanRef::date_for(app, now),
            ),
            spatial: &self.index,
            rights: &self.register,
            lists,
            config: &self.config,
            scales: &self.scales,
            stats: &self.stats,
            now,
            plans_on_file: plans,
        };
        review(app, &ctx)
    }

    /// Reviews an application at time `now` as a stored review reads it — the lists as they
    /// stood on the review date, R14 reading the store's record of its plans
    /// ([`Store::plans_on_file`]) — without storing it (`minplan review --no-save`).
    ///
    /// # Errors
    /// Database errors.
    pub async fn review_reading_record(
        &self,
        store: &Store,
        app: &Application,
        now: &str,
    ) -> Result<ConformityReview> {
        let plans = store.plans_on_file(app).await?;
        Ok(self.review_with(app, now, &self.lists_for(now), Some(&plans)))
    }

    /// The engine of the plan version in force on the application's 受理日期 (else the date
    /// of `now`, RFC 3339) when it is not this engine's version: one built for that earlier
    /// version with the store's current layers, register and lists
    /// ([`Store::version_in_force`]). `None` when this engine's version is in force.
    ///
    /// # Errors
    /// Database errors; a stored version that no longer parses.
    pub async fn in_force(
        &self,
        store: &Store,
        app: &Application,
        now: &str,
    ) -> Result<Option<ReviewEngine>> {
        let on = PlanRef::date_for(app, now);
        let id = self.version_in_force(store, on).await?;
        if id == self.plan.info.id {
            return Ok(None);
        }
        let plan = Arc::new(store.load_plan(id).await?);
        Ok(Some(ReviewEngine::load_with(store, plan).await?))
    }

    /// [`Store::version_in_force`] for this engine's plan on `on`, remembered while the
    /// engine is current (see the field `in_force_read`).
    async fn version_in_force(&self, store: &Store, on: Date) -> Result<i64> {
        let read = || {
            self.in_force_read
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if self.inputs_version.is_none() {
            return store.version_in_force(&self.plan.info, on).await;
        }
        if let Some(id) = read().get(&on) {
            return Ok(*id);
        }
        let id = store.version_in_force(&self.plan.info, on).await?;
        let mut read = read();
        if read.len() >= IN_FORCE_REMEMBERED {
            read.clear();
        }
        read.insert(on, id);
        Ok(id)
    }

    /// Reviews an application at time `now` against the version in force on its 受理日期
    /// ([`ReviewEngine::in_force`]), R14 reading the store's record of its plans.
    ///
    /// # Errors
    /// As [`ReviewEngine::in_force`].
    pub async fn review_in_force(
        &self,
        store: &Store,
        app: &Application,
        now: &str,
    ) -> Result<ConformityReview> {
        let (other, plans) =
            tokio::try_join!(self.in_force(store, app, now), store.plans_on_file(app))?;
        let engine = other.as_ref().unwrap_or(self);
        Ok(engine.review_with(app, now, &engine.lists_for(now), Some(&plans)))
    }

    /// Reviews an application against the version in force on its 受理日期 and stores the
    /// review with its inputs.
    ///
    /// # Errors
    /// Database errors; [`StoreError::Stale`](crate::StoreError::Stale) as
    /// [`ReviewEngine::review_and_save_versioned`] (an engine loaded before another save may
    /// not save: load it again).
    pub async fn review_and_save(
        &self,
        store: &Store,
        app: &Application,
        toml: &str,
        corners: Option<(&str, &[u8])>,
        actor: &crate::audit::Actor,
    ) -> Result<(i64, ConformityReview)> {
        self.review_and_save_versioned(store, app, toml, corners, actor)
            .await
            .map(|s| (s.id, s.review))
    }

    /// As [`ReviewEngine::review_and_save`], and refused with [`StoreError::Stale`](crate::StoreError::Stale)
    /// (nothing written) when the engine was loaded from the store
    /// ([`ReviewEngine::load_with`]) and the store's [`Store::engine_inputs_version`] has
    /// moved on since: another process saved a review or changed the register, the layers,
    /// the lists or the plan, so the review would have been made on an outdated register.
    /// Returns the version the save left, for an engine updated in place.
    ///
    /// # Errors
    /// [`StoreError::Stale`](crate::StoreError::Stale); database errors.
    pub async fn review_and_save_versioned(
        &self,
        store: &Store,
        app: &Application,
        toml: &str,
        corners: Option<(&str, &[u8])>,
        actor: &crate::audit::Actor,
    ) -> Result<SavedReview> {
        let now = now_rfc3339();
        // Three reads on separate connections at once: the plan version in force, the lists
        // read afresh (a 列入 or 移出 since the engine was built counts) and the record of the
        // application's plans R14 reads (stored with the review).
        let (other, lists, plans) = tokio::try_join!(
            self.in_force(store, app, &now),
            store.holder_lists_on(review_date(&now)),
            store.plans_on_file(app),
        )?;
        let engine = other.as_ref().unwrap_or(self);
        let r = engine.review_with(app, &now, &lists, Some(&plans));
        let input = crate::ReviewInput {
            input_toml: toml,
            input_corners: corners.map(|c| c.1),
            corner_file_name: corners.map(|c| c.0),
            register: engine.register_entries(),
            lists: serde_json::to_value(&lists).unwrap_or_default(),
            layers: serde_json::to_value(&engine.layer_versions).unwrap_or_default(),
            scales: serde_json::to_value(&engine.scales).unwrap_or_default(),
            plans: serde_json::to_value(&plans).unwrap_or_default(),
            actor,
            inputs_version: self.inputs_version,
        };
        let (id, inputs_version, result_json) = store.save_review(&r, &input).await?;
        Ok(SavedReview {
            id,
            review: r,
            inputs_version,
            result_json,
        })
    }
}

/// A review stored by [`ReviewEngine::review_and_save_versioned`].
#[derive(Debug)]
pub struct SavedReview {
    /// The stored review's id.
    pub id: i64,
    /// The review.
    pub review: ConformityReview,
    /// [`Store::engine_inputs_version`] as the save left it (read inside its transaction).
    pub inputs_version: i64,
    /// The review as stored: its JSON (`reviews.result_json`), the same text
    /// `serde_json::to_string(&review)` gives, so that an answer can carry it without
    /// serialising the review again.
    pub result_json: String,
}

impl Store {
    /// The version of what the review engine reads (migration 0027): raised by trigger on
    /// every change to the plans, the imported layer versions, the rights, the applications
    /// and their reviews, the supervision lists and the scale table, whichever process makes
    /// it. An engine built at one version is outdated once the store is at another.
    ///
    /// # Errors
    /// [`crate::StoreError::Db`].
    pub async fn engine_inputs_version(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT version FROM engine_inputs WHERE id = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
/// The date of a review made at `now` (RFC 3339): its Beijing (UTC+8) date, the date the
/// review is made and signed (审查日期). R13 reads the supervision lists as they stood on that
/// date, not on the 受理日期 that picks the plan version ([`PlanRef::date_for`]): whether the
/// applicant is on 严重违法失信名单 or 异常名录 is a fact about the applicant when the bureau
/// decides, so a holder removed after the 受理 and before the review is no longer listed, and
/// one listed in between is. A `now` that is not a time is read as a date.
pub fn review_date(now: &str) -> Date {
    time::OffsetDateTime::parse(now, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC)))
        .and_then(|t| Date::new(t.year(), u8::from(t.month()), t.day()))
        .or_else(|| Date::parse(now).ok())
        .unwrap_or_else(|| Date::start_of_year(1970))
}

/// The county of a plan as the corner checks see it (outline and zone), 50 m tolerance.
pub fn region_of(p: &minplan_domain::Plan) -> Region {
    Region {
        name: p.region.name.clone(),
        outline_lonlat: p
            .region
            .outline
            .iter()
            .flat_map(|poly| poly.first())
            .map(|r| r.iter().map(|q| (q[0], q[1])).collect())
            .collect(),
        zone: p.region.zone,
        tolerance_m: 50.0,
    }
}

#[cfg(test)]
mod tests {
    use super::review_date;
    use minplan_domain::date::Date;

    #[test]
    fn the_review_date_is_the_beijing_date() {
        let d = |s| Date::parse(s).unwrap();
        assert_eq!(review_date("2026-03-31T17:00:00Z"), d("2026-04-01"));
        assert_eq!(review_date("2026-03-31T15:59:59Z"), d("2026-03-31"));
        assert_eq!(review_date("2026-04-01T00:30:00+08:00"), d("2026-04-01"));
        assert_eq!(review_date("2026-05-02"), d("2026-05-02"));
    }
}
