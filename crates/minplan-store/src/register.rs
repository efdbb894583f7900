//! The register as the review reads it: rights (`minplan right import FILE`), pending
//! applications (from their latest review). The supervision lists are in `holder_lists`.

use crate::audit::{self, Actor, AuditEntry};
use crate::{Result, Store, StoreError, now_rfc3339};
use minplan_domain::application::{Quantity, RightKind};
use minplan_domain::date::Date;
use minplan_domain::layer::{FeatureProblem, LayerOptions, ParsedFeature, parse_geojson_layer};
use minplan_domain::plan::{ApprovalLevel, LonLatPolygon};
use minplan_domain::rights::{MiningRight, RightStatus};
use minplan_domain::units::Unit;
use minplan_geo::GaussKrugerZone;
use minplan_geo::area::{km2_4dp, plane_area};
use minplan_geo::corners;
use serde::Serialize;
use sqlx::Row;

/// What a rights import did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RightsImport {
    /// Rights written (new or replaced by id).
    pub imported: usize,
    /// Features left out, with reasons.
    pub problems: Vec<FeatureProblem>,
}

/// The problem of a feature's `area` property (面积 as written; a JSON number is read as its
/// text, km²): unreadable, or disagreeing with the feature's geometry by
/// [`corners::compare_area`] — its ellipsoidal area (TD/T 1055-2019 附录D) and its plane area
/// in `zone` (m², from the lon/lat rings projected without prefix). `None` without an
/// `area`, or when it agrees (a plane-only match is a warning of the rule, not a refusal).
fn area_problem(f: &ParsedFeature, zone: GaussKrugerZone) -> Option<String> {
    let text = match f.properties.get("area")? {
        serde_json::Value::String(s) if s.trim().is_empty() => return None,
        serde_json::Value::String(s) => s.trim().to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        other => {
            return Some(format!(
                "area：“{other}”应为面积（如 0.6752 或 \"67.52公顷\"）"
            ));
        }
    };
    let stated = match corners::parse_declared_area(&text) {
        Ok(s) => s,
        Err(e) => return Some(format!("属性 area（面积）：{e}")),
    };
    let tm = zone.with_prefix(false).projection();
    let plane_m2: f64 = f
        .polygons
        .iter()
        .flatten()
        .map(|ring| {
            let en: Vec<(f64, f64)> = ring[..ring.len().saturating_sub(1)]
                .iter()
                .map(|q| tm.forward(q[0], q[1]))
                .collect();
            plane_area(&en)
        })
        .sum();
    let areas = corners::Areas {
        plane_m2,
        ellipsoidal_m2: f.area_km2 * 1e6,
        km2: km2_4dp(f.area_km2 * 1e6),
        plane_method: String::new(),
        ellipsoidal_method: String::new(),
        blocks: Vec::new(),
    };
    let comparison = corners::compare_area(&stated, Some(&areas));
    if comparison.severity() != Some(corners::Severity::Error) {
        return None;
    }
    comparison.problem(&stated, "面积").map(|p| p.message)
}

impl Store {
    /// Imports rights from a GeoJSON FeatureCollection (one transaction; rights with the
    /// same id are replaced). Properties: `id` (许可证号, required), `kind` (探矿权/采矿权),
    /// `status` (有效/已过期/已注销), `name`, `holder_name`, `credit_code`, `minerals`
    /// (array or 、-separated), `capacity` and `capacity_unit` (万立方米/年 …), `approval`
    /// (省级/市级划定/本级审批), `valid_from`, `valid_to`, `area` (面积 as written: text or a
    /// number, km² when bare, or with a unit — 公顷, 平方米, 亩). A feature with a problem is
    /// left out and listed — except an `area` that cannot be read or disagrees with the
    /// feature's geometry ([`minplan_geo::corners::compare_area`] against its ellipsoidal area,
    /// TD/T 1055-2019 附录D): then nothing at all is written (`imported` 0), since the file's
    /// coordinates or figures are wrong.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] when the file cannot be read; [`StoreError::Db`].
    pub async fn import_rights(
        &self,
        text: &str,
        source: &str,
        zone: GaussKrugerZone,
        actor: &Actor,
    ) -> Result<RightsImport> {
        let parsed = self.parse_rights(text, source, zone).await?;
        self.import_parsed_rights(parsed, source, zone, actor).await
    }

    /// The reading part of [`Store::import_rights`]: the GeoJSON parsed and each feature's
    /// geometry checked, nothing written (the web server does this before its write lock).
    ///
    /// # Errors
    /// [`StoreError::BadInput`] when the file cannot be read, named by `source`.
    pub async fn parse_rights(
        &self,
        text: &str,
        source: &str,
        zone: GaussKrugerZone,
    ) -> Result<minplan_domain::layer::ParsedLayer> {
        parse_geojson_layer(
            text,
            &LayerOptions {
                id_property: Some("id"),
                zone,
                buffer_m: None,
                region: self.region_extent().await?,
            },
        )
        .map_err(|m| StoreError::BadInput(format!("{source}：{m}")))
    }

    /// Imports rights from a Shapefile, GeoPackage, KML or GeoJSON register
    /// ([`minplan_io::read_layer`]) through the rights table and all its checks
    /// ([`Store::import_rights_table`], with its dry run): each feature becomes a row, its
    /// attributes the columns of the same names (许可证号, 矿业权类型, 状态, 矿山名称, 矿业权人,
    /// 统一社会信用代码/信用代码, 矿种, 生产规模, 规模单位, 审批级别, 有效期起, 有效期止, 面积 —
    /// also cut to 10 bytes by a DBF, or the English keys of a GeoJSON register) and its
    /// geometry the 拐点坐标 ([`crate::bulk::layer_register_table`]). `declared` is the CRS the
    /// user named (needed when the file declares none). Returns the outcome and the reader's
    /// notes (encoding, CRS, attributes left out).
    ///
    /// # Errors
    /// [`StoreError::BadInput`] when the files cannot be read (nothing written);
    /// [`StoreError::Db`].
    #[allow(clippy::too_many_arguments)]
    pub async fn import_rights_files(
        &self,
        plan: &minplan_domain::plan::Plan,
        files: &[minplan_io::InputFile],
        read: &minplan_io::ReadOptions,
        declared: Option<minplan_geo::Crs>,
        source: &str,
        mode: crate::BulkMode,
        actor: &Actor,
    ) -> Result<(crate::BulkOutcome, Vec<String>)> {
        let mut read = read.clone();
        read.zone = Some(plan.region.zone);
        let layer = minplan_io::read_layer(files, &read).map_err(|e| StoreError::BadInput(e.0))?;
        let (table, mut notes) = crate::bulk::layer_register_table(&layer, declared)
            .map_err(|m| StoreError::BadInput(format!("{source}：{m}")))?;
        let mut all = layer.notes;
        all.append(&mut notes);
        let out = self
            .import_rights_table(plan, &table, source, mode, actor)
            .await?;
        Ok((out, all))
    }

    /// The writing part of [`Store::import_rights`]: the features of `parsed`
    /// ([`Store::parse_rights`]) checked as rights and written in one transaction.
    ///
    /// # Errors
    /// As [`Store::import_rights`].
    pub async fn import_parsed_rights(
        &self,
        parsed: minplan_domain::layer::ParsedLayer,
        source: &str,
        zone: GaussKrugerZone,
        actor: &Actor,
    ) -> Result<RightsImport> {
        let mut problems = parsed.problems.clone();
        let mut rights = Vec::new();
        let mut refused = false;
        for f in &parsed.features {
            let p = &f.properties;
            let s = |k: &str| {
                p.get(k)
                    .and_then(|v| v.as_str())
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
            };
            let bad = |m: String| FeatureProblem {
                id: f.id.clone(),
                index: 0,
                line: f.line,
                message: m,
            };
            let kind = match s("kind").as_deref() {
                Some(k) => match RightKind::parse(k) {
                    Some(k) => k,
                    None => {
                        problems.push(bad(format!("kind“{k}”应为 探矿权 或 采矿权")));
                        continue;
                    }
                },
                None => RightKind::Mining,
            };
            let status = match s("status").as_deref() {
                None => RightStatus::Valid,
                Some(x) => match RightStatus::parse(x) {
                    Some(st) if st != RightStatus::Pending => st,
                    _ => {
                        problems.push(bad(format!("status“{x}”应为 有效、已过期、已注销 之一")));
                        continue;
                    }
                },
            };
            let minerals: Vec<String> = match p.get("minerals") {
                Some(serde_json::Value::Array(a)) => a
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect(),
                Some(serde_json::Value::String(x)) => x
                    .split(['、', ',', '，'])
                    .map(|m| m.trim().to_string())
                    .filter(|m| !m.is_empty())
                    .collect(),
                _ => vec![],
            };
            let capacity = match (
                p.get("capacity").and_then(|v| v.as_f64()),
                s("capacity_unit"),
            ) {
                (Some(v), Some(u)) => match Unit::parse(&u) {
                    Ok(unit) => Some(Quantity { value: v, unit }),
                    Err(e) => {
                        problems.push(bad(e.to_string()));
                        continue;
                    }
                },
                (Some(_), None) => {
                    problems.push(bad("有 capacity 但没有 capacity_unit".into()));
                    continue;
                }
                _ => None,
            };
            if let Some(message) = area_problem(f, zone) {
                problems.push(bad(format!(
                    "{message}；有面积不符或无法读取的要素时，全部要素均不导入"
                )));
                refused = true;
                continue;
            }
            // What a register row must be, as the table import checks it (nothing silently
            // stored wrong): a credit code that is one, a capacity in range, dates that are
            // dates in order, an approval level that is one.
            if let Some(c) = s("credit_code")
                && let Err(e) = minplan_domain::credit_code::CreditCode::parse(&c)
            {
                problems.push(bad(format!("credit_code“{c}”：{e}")));
                continue;
            }
            if let Some(q) = &capacity
                && !(q.value > 0.0 && q.value <= crate::bulk::max_capacity_in(Some(q.unit)))
            {
                problems.push(bad(format!(
                    "capacity {} 应大于 0、不超过 {}",
                    q.value,
                    crate::bulk::max_capacity_in(Some(q.unit))
                )));
                continue;
            }
            let dates: Vec<Option<minplan_domain::date::Date>> = ["valid_from", "valid_to"]
                .iter()
                .map(|k| s(k).map(|d| minplan_domain::date::Date::parse(&d).map_err(|_| (k, d))))
                .map(|d| d.transpose())
                .collect::<std::result::Result<_, _>>()
                .unwrap_or_else(|(k, d)| {
                    problems.push(bad(format!("{k}“{d}”不是日期（YYYY-MM-DD）")));
                    Vec::new()
                });
            match dates.as_slice() {
                [] => continue,
                [Some(a), Some(b)] if a > b => {
                    problems.push(bad(format!("valid_to {b} 早于 valid_from {a}")));
                    continue;
                }
                _ => {}
            }
            let approval = match s("approval") {
                None => None,
                Some(a) => match ApprovalLevel::parse(&a) {
                    Some(x) => Some(x),
                    None => {
                        problems.push(bad(format!(
                            "approval“{a}”应为 省级、市级划定、本级审批 之一"
                        )));
                        continue;
                    }
                },
            };
            rights.push((
                f,
                kind,
                status,
                minerals,
                capacity,
                approval,
                s("name"),
                s("holder_name"),
                s("credit_code"),
                s("valid_from"),
                s("valid_to"),
            ));
        }
        if refused {
            return Ok(RightsImport {
                imported: 0,
                problems,
            });
        }
        let mut tx = self.begin_write().await?;
        let mut imported = 0;
        for (f, kind, status, minerals, capacity, approval, name, holder, code, from, to) in &rights
        {
            // A right with a recorded lifecycle is changed by its events, not overwritten.
            let events: i64 =
                sqlx::query_scalar("SELECT COUNT(*) FROM right_events WHERE right_id = ?")
                    .bind(&f.id)
                    .fetch_one(&mut *tx)
                    .await?;
            if events > 0 {
                problems.push(FeatureProblem {
                    id: f.id.clone(),
                    index: 0,
                    line: f.line,
                    message: "该矿业权已有登记事项（登记、延续、变更等），不能以导入覆盖".into(),
                });
                continue;
            }
            imported += 1;
            let before: Option<String> = sqlx::query_scalar(
                "SELECT json_object('kind', kind, 'status', status, 'name', name, 'holder_name', holder_name, 'credit_code', credit_code, 'minerals', json(minerals_json), 'capacity', capacity, 'capacity_unit', capacity_unit, 'approval', approval, 'valid_from', valid_from, 'valid_to', valid_to) FROM rights WHERE id = ?",
            )
            .bind(&f.id)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO rights (id, kind, status, name, holder_name, credit_code, minerals_json, capacity, capacity_unit, approval, valid_from, valid_to, geometry_json, source, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, status = excluded.status, name = excluded.name, holder_name = excluded.holder_name,
                   credit_code = excluded.credit_code, minerals_json = excluded.minerals_json, capacity = excluded.capacity, capacity_unit = excluded.capacity_unit,
                   approval = excluded.approval, valid_from = excluded.valid_from, valid_to = excluded.valid_to, geometry_json = excluded.geometry_json,
                   source = excluded.source, updated_at = excluded.updated_at",
            )
            .bind(&f.id)
            .bind(kind.label())
            .bind(status.label())
            .bind(name.clone().unwrap_or_else(|| f.name.clone().unwrap_or_default()))
            .bind(holder.clone().unwrap_or_default())
            .bind(code)
            .bind(serde_json::to_string(minerals).unwrap_or_else(|_| "[]".into()))
            .bind(capacity.map(|c| c.value))
            .bind(capacity.map(|c| c.unit.symbol()))
            .bind(approval.map(|a| a.code()))
            .bind(from)
            .bind(to)
            .bind(serde_json::to_string(&f.polygons).unwrap_or_else(|_| "[]".into()))
            .bind(source)
            .bind(now_rfc3339())
            .execute(&mut *tx)
            .await?;
            audit::append(
                &mut tx,
                &AuditEntry {
                    actor,
                    action: if before.is_some() { "right.update" } else { "right.import" },
                    entity_type: "right",
                    entity_id: f.id.clone(),
                    before: before.and_then(|b| serde_json::from_str(&b).ok()),
                    after: Some(serde_json::json!({
                        "kind": kind.label(), "status": status.label(), "name": name, "holder_name": holder, "credit_code": code,
                        "minerals": minerals, "capacity": capacity.map(|c| c.value), "capacity_unit": capacity.map(|c| c.unit.symbol()),
                        "approval": approval.map(|a| a.code()), "valid_from": from, "valid_to": to, "source": source,
                    })),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(RightsImport { imported, problems })
    }

    /// Rights in the register (all statuses; a licence past its 有效期止 today, China time,
    /// is 已过期).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn list_rights(&self) -> Result<Vec<MiningRight>> {
        let today = crate::today();
        let rows = sqlx::query("SELECT * FROM rights ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| MiningRight {
                id: r.get("id"),
                kind: RightKind::parse(&r.get::<String, _>("kind")).unwrap_or(RightKind::Mining),
                status: match RightStatus::parse(&r.get::<String, _>("status"))
                    .unwrap_or(RightStatus::Valid)
                {
                    // A licence past its 有效期止 is 已过期 whatever its stored status says.
                    RightStatus::Valid
                        if r.get::<Option<String>, _>("valid_to")
                            .and_then(|t| Date::parse(&t).ok())
                            .is_some_and(|t| t < today) =>
                    {
                        RightStatus::Expired
                    }
                    st => st,
                },
                name: r.get("name"),
                holder_name: r.get("holder_name"),
                credit_code: r.get("credit_code"),
                minerals: serde_json::from_str(&r.get::<String, _>("minerals_json"))
                    .unwrap_or_default(),
                capacity: match (
                    r.get::<Option<f64>, _>("capacity"),
                    r.get::<Option<String>, _>("capacity_unit"),
                ) {
                    (Some(v), Some(u)) => {
                        Unit::parse(&u).ok().map(|unit| Quantity { value: v, unit })
                    }
                    _ => None,
                },
                approval: r
                    .get::<Option<String>, _>("approval")
                    .and_then(|a| ApprovalLevel::parse(&a)),
                geometry: serde_json::from_str(&r.get::<String, _>("geometry_json"))
                    .unwrap_or_default(),
                // Kept in the event state (rows imported before 0004 have none).
                mining_method: r
                    .try_get::<Option<String>, _>("state_json")
                    .ok()
                    .flatten()
                    .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
                    .and_then(|v| {
                        v["mining_method"]
                            .as_str()
                            .and_then(minplan_domain::application::MiningMethod::parse)
                    }),
                sub_unit: r
                    .try_get::<Option<String>, _>("state_json")
                    .ok()
                    .flatten()
                    .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
                    .and_then(|v| v["sub_unit"].as_str().map(str::to_string)),
                review_failed: false,
            })
            .collect())
    }

    /// Applications under review (在审) — and approved ones not yet registered, which still
    /// hold their block and their share of the caps — as rights with status
    /// [`RightStatus::Pending`], from their latest review; one whose latest review is 不符合
    /// is marked [`MiningRight::review_failed`] (R6/R7 name it and leave it out). Closed
    /// applications (不予受理、退回、不予批准、撤回) are not pending.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn pending_applications(&self) -> Result<Vec<MiningRight>> {
        let rows = sqlx::query(&format!("{PENDING_SELECT} WHERE {PENDING_WHERE}"))
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(pending_right).collect())
    }

    /// Application `number` as [`Store::pending_applications`] lists it, `None` when it is not
    /// pending (closed, registered, unknown): what the review engine's register holds for it
    /// after one of its reviews is saved ([`crate::ReviewEngine::update_application`]).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn pending_application(&self, number: &str) -> Result<Option<MiningRight>> {
        let row = sqlx::query(&format!(
            "{PENDING_SELECT} WHERE a.number = ? AND ({PENDING_WHERE})"
        ))
        .bind(number)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(pending_right))
    }

    /// The rights and pending applications a review checks against.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn review_register(&self) -> Result<Vec<MiningRight>> {
        let mut all = self.list_rights().await?;
        all.extend(self.pending_applications().await?);
        Ok(all)
    }
}

/// The latest reviews of applications, for [`pending_right`].
const PENDING_SELECT: &str = "SELECT r.application_number, r.result_json, r.geometry_json, r.conclusion FROM applications a JOIN reviews r ON r.id = a.latest_review_id";

/// Which applications are pending: 在审, or 已批准 and not yet registered.
const PENDING_WHERE: &str = "a.status = '在审' OR (a.status = '已批准' AND a.used_for IS NULL)";

/// A pending application as a right with status [`RightStatus::Pending`], from its latest
/// review (a row of [`PENDING_SELECT`]).
fn pending_right(r: &sqlx::sqlite::SqliteRow) -> MiningRight {
    /// The stored review's `application` only: the rest (overlaps and their geometry,
    /// often hundreds of kilobytes) is skipped by the parser, not built into a JSON tree.
    #[derive(serde::Deserialize, Default)]
    struct Head {
        #[serde(default)]
        application: serde_json::Value,
    }
    let head: Head = serde_json::from_str(&r.get::<String, _>("result_json")).unwrap_or_default();
    let app = &head.application;
    let geometry: Vec<LonLatPolygon> =
        serde_json::from_str(&r.get::<String, _>("geometry_json")).unwrap_or_default();
    let capacity = match (
        app["capacity"]["value"].as_f64(),
        app["capacity"]["unit"].as_str(),
    ) {
        (Some(value), Some(u)) => Unit::parse(u).ok().map(|unit| Quantity { value, unit }),
        _ => None,
    };
    MiningRight {
        id: r.get("application_number"),
        kind: RightKind::parse(app["right_kind"].as_str().unwrap_or(""))
            .unwrap_or(RightKind::Mining),
        status: RightStatus::Pending,
        name: app["project_name"].as_str().unwrap_or("").to_string(),
        holder_name: app["holder_name"].as_str().unwrap_or("").to_string(),
        credit_code: app["credit_code"].as_str().map(str::to_string),
        minerals: crate::records::strings(&app["minerals"]),
        capacity,
        approval: None,
        geometry,
        mining_method: app["mining_method"]
            .as_str()
            .and_then(minplan_domain::application::MiningMethod::parse),
        sub_unit: app["sub_unit"].as_str().map(str::to_string),
        review_failed: r.get::<String, _>("conclusion") == "不符合",
    }
}
