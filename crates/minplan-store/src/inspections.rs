//! 双随机、一公开 in the store (migration 0015): the 执法检查人员名录库 with its 回避
//! relations and the 抽查事项清单 (each edit in one transaction with its audit row, each
//! library versioned), the 随机抽查对象库 generated from the register on a date, 抽查计划,
//! and the draws: [`Store::commit_draw`] seals a seed made with the operating system's CSPRNG
//! and stores the published inputs and commitment; [`Store::run_draw`] reveals the seed, runs
//! [`minplan_domain::supervision::draw::draw`] and writes `inspection_targets` and
//! `inspection_target_inspectors`; [`Store::redraw`] commits anew with a reason, the old draw
//! `superseded_by` the new one. [`Store::draw_package`] is the public package anyone can
//! re-check with [`minplan_domain::supervision::draw::verify`].

use crate::audit::{self, Actor, AuditEntry};
use crate::{FieldError, Result, Store, StoreError, now_rfc3339};
use minplan_domain::application::RightKind;
use minplan_domain::date::Date;
use minplan_domain::supervision::draw::{
    self, ALGORITHM, DrawError, DrawInputs, DrawItem, DrawPackage, DrawResult, LibraryVersions,
    MIN_INSPECTORS_PER_TARGET, Seed, StrataKey,
};
use minplan_domain::supervision::library::{
    Candidate, CreditStanding, InspectionItem, InspectionMethod, Inspector, Recusal,
    exclusion_pairs, proportion_bp,
};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::collections::HashMap;

/// An inspector as stored, with its 回避 relations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InspectorRecord {
    /// `inspectors.id`.
    pub id: i64,
    /// The inspector.
    pub inspector: Inspector,
    /// The login (users.username) linked to the inspector, when there is one.
    pub username: Option<String>,
    /// 回避 relations.
    pub recusals: Vec<RecusalRecord>,
    /// Last change, RFC 3339.
    pub updated_at: String,
}

/// A stored 回避 relation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecusalRecord {
    /// `inspector_recusals.id`.
    pub id: i64,
    /// The relation.
    pub recusal: Recusal,
    /// 说明.
    pub note: String,
}

/// What the inspector form sends.
#[derive(Debug, Clone, Default)]
pub struct InspectorInput {
    /// 姓名.
    pub name: String,
    /// 执法证号.
    pub badge_no: String,
    /// 所在单位.
    pub unit: String,
    /// 在岗.
    pub active: bool,
    /// The login linked (blank: none).
    pub username: String,
}

/// An item of the 抽查事项清单 as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemRecord {
    /// `inspection_items.id`.
    pub id: i64,
    /// The item.
    pub item: InspectionItem,
    /// In use (an item not in use is kept on record and offered to no new plan).
    pub active: bool,
    /// Last change, RFC 3339.
    pub updated_at: String,
}

/// An item of a plan, with the proportion the plan sets (the item's own when `None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanItem {
    /// 事项编号.
    pub code: String,
    /// 抽查比例 for this plan, percent; `None`: the item's.
    pub proportion_pct: Option<f64>,
}

/// The parameters of a 抽查计划 (`inspection_plans.params_json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanParams {
    /// The register date the 随机抽查对象库 is generated for (YYYY-MM-DD).
    pub register_date: String,
    /// Stratification.
    pub strata: StrataKey,
    /// Inspectors per target (≥ 2).
    pub inspectors_per_target: u32,
    /// Items, with the plan's proportions.
    pub items: Vec<PlanItem>,
}

/// A stored 抽查计划.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRecord {
    /// `inspection_plans.id`.
    pub id: i64,
    /// 计划年度.
    pub year: i32,
    /// 计划名称.
    pub name: String,
    /// Parameters.
    pub params: PlanParams,
    /// Created, RFC 3339.
    pub created_at: String,
    /// By (display name).
    pub created_by: String,
}

/// A stored draw (without its inputs, which can be large: [`Store::draw_package`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrawRecord {
    /// `inspection_draws.id`.
    pub id: i64,
    /// The plan.
    pub plan_id: i64,
    /// hex SHA-256 commitment.
    pub commitment: String,
    /// The revealed seed (hex), `None` until drawn.
    pub seed: Option<String>,
    /// Committed, RFC 3339.
    pub committed_at: String,
    /// Drawn, RFC 3339.
    pub drawn_at: Option<String>,
    /// The draw that replaced it.
    pub superseded_by: Option<i64>,
    /// Why this draw replaced an earlier one.
    pub redraw_reason: Option<String>,
    /// The result, once drawn.
    pub result: Option<DrawResult>,
}

impl DrawRecord {
    /// Whether the draw was made (seed revealed, result stored).
    pub fn is_drawn(&self) -> bool {
        self.drawn_at.is_some() && self.result.is_some()
    }
}

/// Years a plan may be for.
pub const PLAN_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

fn invalid(field: &str, message: impl Into<String>) -> StoreError {
    StoreError::Invalid(vec![FieldError::new(field, message)])
}

async fn bump(tx: &mut sqlx::SqliteConnection, library: &str) -> Result<()> {
    sqlx::query(
        "INSERT INTO inspection_library_versions (library, version, updated_at) VALUES (?, 1, ?)
         ON CONFLICT (library) DO UPDATE SET version = version + 1, updated_at = excluded.updated_at",
    )
    .bind(library)
    .bind(now_rfc3339())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

fn inspector_problems(i: &InspectorInput) -> Vec<FieldError> {
    let mut out = Vec::new();
    if i.name.trim().is_empty() {
        out.push(FieldError::new("name", "请填写姓名"));
    }
    if i.badge_no.trim().is_empty() {
        out.push(FieldError::new("badge_no", "请填写执法证号"));
    }
    if i.unit.trim().is_empty() {
        out.push(FieldError::new("unit", "请填写所在单位"));
    }
    out
}

/// An item as stored; a stored 检查方式 or 矿业权类型 that no longer reads is an error naming
/// the item (never a default).
fn item_row(r: &sqlx::sqlite::SqliteRow) -> Result<ItemRecord> {
    let code: String = r.get("code");
    let bad = |what: String| StoreError::Internal(format!("抽查事项 {code} 的{what}"));
    let kinds: Vec<String> = serde_json::from_str(&r.get::<String, _>("right_kinds"))
        .map_err(|e| bad(format!("适用矿业权类型记录无法读取：{e}")))?;
    let right_kinds = kinds
        .iter()
        .map(|k| RightKind::parse(k).ok_or_else(|| bad(format!("适用矿业权类型“{k}”无法识别"))))
        .collect::<Result<Vec<_>>>()?;
    let method_text: String = r.get("method");
    let method = InspectionMethod::parse(&method_text)
        .ok_or_else(|| bad(format!("检查方式“{method_text}”无法识别")))?;
    Ok(ItemRecord {
        id: r.get("id"),
        item: InspectionItem {
            code: code.clone(),
            name: r.get("name"),
            legal_basis: r.get("legal_basis"),
            proportion_pct: r.get("proportion_pct"),
            frequency: r.get("frequency"),
            method,
            right_kinds,
        },
        active: r.get::<i64, _>("active") == 1,
        updated_at: r.get("updated_at"),
    })
}

fn draw_row(r: &sqlx::sqlite::SqliteRow) -> DrawRecord {
    DrawRecord {
        id: r.get("id"),
        plan_id: r.get("plan_id"),
        commitment: r.get("commitment"),
        seed: r.get("seed"),
        committed_at: r.get("committed_at"),
        drawn_at: r.get("drawn_at"),
        superseded_by: r.get("superseded_by"),
        redraw_reason: r.get("redraw_reason"),
        result: r
            .get::<Option<String>, _>("result_json")
            .and_then(|s| serde_json::from_str(&s).ok()),
    }
}

const DRAW_COLUMNS: &str = "id, plan_id, commitment, seed, committed_at, drawn_at, superseded_by, redraw_reason, result_json";

impl Store {
    /// The 执法检查人员名录库, by 执法证号, with each inspector's 回避 relations.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn inspectors(&self) -> Result<Vec<InspectorRecord>> {
        let rows = sqlx::query("SELECT * FROM inspectors ORDER BY badge_no")
            .fetch_all(&self.pool)
            .await?;
        let recusals = sqlx::query(
            "SELECT id, inspector_id, kind, value, note FROM inspector_recusals ORDER BY kind, value",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut by_inspector: HashMap<i64, Vec<RecusalRecord>> = HashMap::new();
        for r in recusals {
            if let Some(rec) =
                Recusal::from_parts(&r.get::<String, _>("kind"), &r.get::<String, _>("value"))
            {
                by_inspector
                    .entry(r.get("inspector_id"))
                    .or_default()
                    .push(RecusalRecord {
                        id: r.get("id"),
                        recusal: rec,
                        note: r.get("note"),
                    });
            }
        }
        Ok(rows
            .iter()
            .map(|r| {
                let id: i64 = r.get("id");
                InspectorRecord {
                    id,
                    inspector: Inspector {
                        name: r.get("name"),
                        badge_no: r.get("badge_no"),
                        unit: r.get("unit"),
                        active: r.get::<i64, _>("active") == 1,
                    },
                    username: r.get("username"),
                    recusals: by_inspector.remove(&id).unwrap_or_default(),
                    updated_at: r.get("updated_at"),
                }
            })
            .collect())
    }

    /// One inspector.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown id.
    pub async fn inspector(&self, id: i64) -> Result<InspectorRecord> {
        self.inspectors()
            .await?
            .into_iter()
            .find(|i| i.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的检查人员")))
    }

    /// The inspector linked to a login (`inspectors.username`), if any.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn inspector_of_user(&self, username: &str) -> Result<Option<InspectorRecord>> {
        Ok(self
            .inspectors()
            .await?
            .into_iter()
            .find(|i| i.username.as_deref() == Some(username)))
    }

    /// Adds an inspector to the 执法检查人员名录库 (audit `inspector.create`; the library's
    /// version goes up).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] naming each empty field or a 执法证号 already used; nothing
    /// written.
    pub async fn create_inspector(&self, input: &InspectorInput, actor: &Actor) -> Result<i64> {
        self.write_inspector(None, input, actor).await
    }

    /// Changes an inspector (audit `inspector.update` with before and after).
    ///
    /// # Errors
    /// As [`Store::create_inspector`]; [`StoreError::NotFound`] for an unknown id.
    pub async fn update_inspector(
        &self,
        id: i64,
        input: &InspectorInput,
        actor: &Actor,
    ) -> Result<()> {
        self.write_inspector(Some(id), input, actor)
            .await
            .map(|_| ())
    }

    async fn write_inspector(
        &self,
        id: Option<i64>,
        input: &InspectorInput,
        actor: &Actor,
    ) -> Result<i64> {
        let problems = inspector_problems(input);
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let before = match id {
            Some(id) => Some(self.inspector(id).await?),
            None => None,
        };
        let username = Some(input.username.trim().to_string()).filter(|u| !u.is_empty());
        let mut tx = self.begin_write().await?;
        let clash: Option<i64> = sqlx::query_scalar("SELECT id FROM inspectors WHERE badge_no = ?")
            .bind(input.badge_no.trim())
            .fetch_optional(&mut *tx)
            .await?;
        if clash.is_some_and(|c| Some(c) != id) {
            return Err(invalid(
                "badge_no",
                format!("执法证号 {} 已在名录库中", input.badge_no.trim()),
            ));
        }
        if let Some(u) = &username {
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE username = ?")
                .bind(u)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(invalid("username", format!("没有用户名为 {u} 的账号")));
            }
        }
        let now = now_rfc3339();
        let active = i64::from(input.active);
        let id = match id {
            Some(id) => {
                sqlx::query(
                    "UPDATE inspectors SET name = ?, badge_no = ?, unit = ?, active = ?, username = ?, updated_at = ? WHERE id = ?",
                )
                .bind(input.name.trim())
                .bind(input.badge_no.trim())
                .bind(input.unit.trim())
                .bind(active)
                .bind(&username)
                .bind(&now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => sqlx::query(
                "INSERT INTO inspectors (name, badge_no, unit, active, username, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(input.name.trim())
            .bind(input.badge_no.trim())
            .bind(input.unit.trim())
            .bind(active)
            .bind(&username)
            .bind(&now)
            .bind(&now)
            .execute(&mut *tx)
            .await?
            .last_insert_rowid(),
        };
        bump(&mut tx, "inspectors").await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: if before.is_some() {
                    "inspector.update"
                } else {
                    "inspector.create"
                },
                entity_type: "inspector",
                entity_id: id.to_string(),
                before: before.map(|b| {
                    serde_json::json!({"name": b.inspector.name, "badge_no": b.inspector.badge_no, "unit": b.inspector.unit, "active": b.inspector.active, "username": b.username})
                }),
                after: Some(serde_json::json!({
                    "name": input.name.trim(), "badge_no": input.badge_no.trim(), "unit": input.unit.trim(),
                    "active": input.active, "username": username,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records a 回避 relation of an inspector (audit `inspector_recusal.add`; the
    /// 名录库's version goes up).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] for an empty value or a relation already recorded;
    /// [`StoreError::NotFound`] for an unknown inspector.
    pub async fn add_recusal(
        &self,
        inspector_id: i64,
        recusal: &Recusal,
        note: &str,
        actor: &Actor,
    ) -> Result<i64> {
        let insp = self.inspector(inspector_id).await?;
        if recusal.value().trim().is_empty() {
            return Err(invalid(
                "value",
                match recusal {
                    Recusal::Town(_) => "请填写乡镇名称",
                    _ => "请填写统一社会信用代码",
                },
            ));
        }
        if insp.recusals.iter().any(|r| r.recusal == *recusal) {
            return Err(invalid("value", "这一回避关系已登记"));
        }
        let mut tx = self.begin_write().await?;
        let id = sqlx::query(
            "INSERT INTO inspector_recusals (inspector_id, kind, value, note) VALUES (?, ?, ?, ?)",
        )
        .bind(inspector_id)
        .bind(recusal.kind_code())
        .bind(recusal.value().trim())
        .bind(note.trim())
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        bump(&mut tx, "inspectors").await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "inspector_recusal.add",
                entity_type: "inspector",
                entity_id: inspector_id.to_string(),
                before: None,
                after: Some(serde_json::json!({"id": id, "kind": recusal.kind_code(), "value": recusal.value().trim(), "note": note.trim()})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Removes a 回避 relation (audit `inspector_recusal.remove`; version up).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown relation.
    pub async fn remove_recusal(&self, recusal_id: i64, actor: &Actor) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT inspector_id, kind, value, note FROM inspector_recusals WHERE id = ?",
        )
        .bind(recusal_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {recusal_id} 的回避关系")))?;
        sqlx::query("DELETE FROM inspector_recusals WHERE id = ?")
            .bind(recusal_id)
            .execute(&mut *tx)
            .await?;
        bump(&mut tx, "inspectors").await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "inspector_recusal.remove",
                entity_type: "inspector",
                entity_id: row.get::<i64, _>("inspector_id").to_string(),
                before: Some(serde_json::json!({"id": recusal_id, "kind": row.get::<String, _>("kind"), "value": row.get::<String, _>("value"), "note": row.get::<String, _>("note")})),
                after: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The 抽查事项清单, by 事项编号.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn inspection_items(&self) -> Result<Vec<ItemRecord>> {
        let rows = sqlx::query("SELECT * FROM inspection_items ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(item_row).collect()
    }

    /// One item.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown id.
    pub async fn inspection_item(&self, id: i64) -> Result<ItemRecord> {
        let row = sqlx::query("SELECT * FROM inspection_items WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的抽查事项")))?;
        item_row(&row)
    }

    /// Adds (`id` `None`, audit `inspection_item.create`) or changes (audit
    /// `inspection_item.update`) an item of the 抽查事项清单; the 清单's version goes up.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] naming every problem ([`InspectionItem::problems`], a 事项编号
    /// already used); nothing written. [`StoreError::NotFound`] for an unknown id.
    pub async fn save_inspection_item(
        &self,
        id: Option<i64>,
        item: &InspectionItem,
        active: bool,
        actor: &Actor,
    ) -> Result<i64> {
        let mut problems: Vec<FieldError> = item
            .problems()
            .into_iter()
            .map(|(f, m)| FieldError::new(f, m))
            .collect();
        let before = match id {
            Some(id) => Some(self.inspection_item(id).await?),
            None => None,
        };
        let mut tx = self.begin_write().await?;
        let clash: Option<i64> =
            sqlx::query_scalar("SELECT id FROM inspection_items WHERE code = ?")
                .bind(item.code.trim())
                .fetch_optional(&mut *tx)
                .await?;
        if clash.is_some_and(|c| Some(c) != id) {
            problems.push(FieldError::new(
                "code",
                format!("事项编号 {} 已在清单中", item.code.trim()),
            ));
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let kinds: Vec<&str> = item.right_kinds.iter().map(RightKind::label).collect();
        let kinds = serde_json::to_string(&kinds).unwrap_or_default();
        let now = now_rfc3339();
        let id = match id {
            Some(id) => {
                sqlx::query(
                    "UPDATE inspection_items SET code = ?, name = ?, legal_basis = ?, proportion_pct = ?, frequency = ?, method = ?, right_kinds = ?, active = ?, updated_at = ? WHERE id = ?",
                )
                .bind(item.code.trim())
                .bind(item.name.trim())
                .bind(item.legal_basis.trim())
                .bind(item.proportion_pct)
                .bind(item.frequency.trim())
                .bind(item.method.code())
                .bind(&kinds)
                .bind(i64::from(active))
                .bind(&now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                id
            }
            None => sqlx::query(
                "INSERT INTO inspection_items (code, name, legal_basis, proportion_pct, frequency, method, right_kinds, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(item.code.trim())
            .bind(item.name.trim())
            .bind(item.legal_basis.trim())
            .bind(item.proportion_pct)
            .bind(item.frequency.trim())
            .bind(item.method.code())
            .bind(&kinds)
            .bind(i64::from(active))
            .bind(&now)
            .bind(&now)
            .execute(&mut *tx)
            .await?
            .last_insert_rowid(),
        };
        bump(&mut tx, "items").await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: if before.is_some() {
                    "inspection_item.update"
                } else {
                    "inspection_item.create"
                },
                entity_type: "inspection_item",
                entity_id: id.to_string(),
                before: before.map(|b| serde_json::json!({"item": b.item, "active": b.active})),
                after: Some(serde_json::json!({"item": item, "active": active})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The libraries' versions (0 for a library never edited).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn library_versions(&self) -> Result<LibraryVersions> {
        let rows = sqlx::query("SELECT library, version FROM inspection_library_versions")
            .fetch_all(&self.pool)
            .await?;
        let mut v = LibraryVersions::default();
        for r in rows {
            match r.get::<String, _>("library").as_str() {
                "inspectors" => v.inspectors = r.get("version"),
                _ => v.items = r.get("version"),
            }
        }
        Ok(v)
    }

    /// The holders on the supervision lists on `date` (credit code → standing; the
    /// 严重违法失信名单 over the 异常名录): the lists' workflow state on that date
    /// ([`Store::holder_lists_on`], entries in force that day).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn credit_standings_on(&self, date: Date) -> Result<HashMap<String, CreditStanding>> {
        let lists = self.holder_lists_on(date).await?;
        let mut out: HashMap<String, CreditStanding> = HashMap::new();
        let listed = lists
            .abnormal
            .iter()
            .map(|h| (h, CreditStanding::Abnormal))
            .chain(
                lists
                    .serious_violation
                    .iter()
                    .map(|h| (h, CreditStanding::SeriousViolation)),
            );
        for (h, s) in listed {
            let e = out.entry(h.credit_code.trim().to_string()).or_insert(s);
            *e = (*e).max(s);
        }
        Ok(out)
    }

    /// The 随机抽查对象库 on `date`: every right of the register valid on that date (its
    /// state on the date: [`minplan_domain::register::RightHistory::valid_on`]), by 许可证号,
    /// with its holder's credit standing on the date. The 乡镇 is the register's `sub_unit`.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn candidates_on(&self, date: Date) -> Result<Vec<Candidate>> {
        let standings = self.credit_standings_on(date).await?;
        let mut out: Vec<Candidate> = self
            .right_histories()
            .await?
            .iter()
            .filter(|h| h.valid_on(date))
            .filter_map(|h| {
                let s = h.state_on(date)?;
                Some(Candidate {
                    right_id: h.id.clone(),
                    holder_name: s.holder_name.clone(),
                    credit_code: s.credit_code.clone().filter(|c| !c.trim().is_empty()),
                    kind: s.kind,
                    minerals: s.minerals.clone(),
                    approval: s.approval.map(|a| a.code().to_string()),
                    town: s.sub_unit.clone().filter(|t| !t.trim().is_empty()),
                    credit_standing: s
                        .credit_code
                        .as_deref()
                        .and_then(|c| standings.get(c.trim()).copied())
                        .unwrap_or(CreditStanding::Normal),
                })
            })
            .collect();
        out.sort_by(|a, b| a.right_id.cmp(&b.right_id));
        Ok(out)
    }

    /// Creates a 抽查计划 (audit `inspection_plan.create`).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] naming every problem (year, name, register date, fewer than
    /// two inspectors per target, no item, an unknown or retired item, a proportion out of
    /// range); nothing written.
    pub async fn create_inspection_plan(
        &self,
        year: i32,
        name: &str,
        params: &PlanParams,
        created_by: &str,
        actor: &Actor,
    ) -> Result<i64> {
        let mut problems = Vec::new();
        if !PLAN_YEARS.contains(&year) {
            problems.push(FieldError::new(
                "year",
                format!(
                    "年度 {year} 应在 {} 至 {} 之间",
                    PLAN_YEARS.start(),
                    PLAN_YEARS.end()
                ),
            ));
        }
        if name.trim().is_empty() {
            problems.push(FieldError::new("name", "请填写计划名称"));
        }
        if Date::parse(&params.register_date).is_err() {
            problems.push(FieldError::new(
                "register_date",
                format!(
                    "登记簿日期“{}”应为 年-月-日（如 2026-03-01）",
                    params.register_date
                ),
            ));
        }
        if params.inspectors_per_target < MIN_INSPECTORS_PER_TARGET {
            problems.push(FieldError::new(
                "inspectors_per_target",
                format!("每个抽查对象至少分派 {MIN_INSPECTORS_PER_TARGET} 名检查人员"),
            ));
        }
        if params.items.is_empty() {
            problems.push(FieldError::new("items", "请至少选择一个抽查事项"));
        }
        let items = self.inspection_items().await?;
        for pi in &params.items {
            match items.iter().find(|i| i.item.code == pi.code) {
                None => problems.push(FieldError::new(
                    "items",
                    format!("抽查事项清单中没有编号为 {} 的事项", pi.code),
                )),
                Some(i) if !i.active => {
                    problems.push(FieldError::new("items", format!("事项 {} 已停用", pi.code)))
                }
                Some(_) => {}
            }
            if let Some(p) = pi.proportion_pct
                && proportion_bp(p).is_none()
            {
                problems.push(FieldError::new(
                    format!("proportion_{}", pi.code),
                    format!(
                        "事项 {} 的抽查比例“{p}”应大于 0、不超过 100，最多两位小数",
                        pi.code
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Invalid(problems));
        }
        let params_json = serde_json::to_string(params).unwrap_or_default();
        let mut tx = self.begin_write().await?;
        let id = sqlx::query(
            "INSERT INTO inspection_plans (year, name, params_json, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(i64::from(year))
        .bind(name.trim())
        .bind(&params_json)
        .bind(now_rfc3339())
        .bind(created_by)
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "inspection_plan.create",
                entity_type: "inspection_plan",
                entity_id: id.to_string(),
                before: None,
                after: Some(
                    serde_json::json!({"year": year, "name": name.trim(), "params": params}),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every 抽查计划, newest first.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn inspection_plans(&self) -> Result<Vec<PlanRecord>> {
        let rows = sqlx::query("SELECT * FROM inspection_plans ORDER BY year DESC, id DESC")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some(PlanRecord {
                    id: r.get("id"),
                    year: r.get::<i64, _>("year") as i32,
                    name: r.get("name"),
                    params: serde_json::from_str(&r.get::<String, _>("params_json")).ok()?,
                    created_at: r.get("created_at"),
                    created_by: r.get("created_by"),
                })
            })
            .collect())
    }

    /// One 抽查计划.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown id.
    pub async fn inspection_plan(&self, id: i64) -> Result<PlanRecord> {
        self.inspection_plans()
            .await?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的抽查计划")))
    }

    /// The published inputs of a draw of `plan`, built now from the libraries and the
    /// register on the plan's date.
    async fn draw_inputs(&self, plan: &PlanRecord) -> Result<DrawInputs> {
        let date = Date::parse(&plan.params.register_date)
            .map_err(|_| invalid("register_date", "计划的登记簿日期无法读取"))?;
        let items = self.inspection_items().await?;
        let mut draw_items = Vec::new();
        for pi in &plan.params.items {
            let i = items
                .iter()
                .find(|i| i.item.code == pi.code)
                .ok_or_else(|| invalid("items", format!("抽查事项清单中已没有事项 {}", pi.code)))?;
            let pct = pi.proportion_pct.unwrap_or(i.item.proportion_pct);
            draw_items.push(DrawItem {
                code: i.item.code.clone(),
                name: i.item.name.clone(),
                proportion_bp: proportion_bp(pct).ok_or_else(|| {
                    invalid(
                        "items",
                        format!("事项 {} 的抽查比例 {pct} 无法使用", pi.code),
                    )
                })?,
                right_kinds: i.item.right_kinds.clone(),
            });
        }
        let candidates = self.candidates_on(date).await?;
        let inspectors = self.inspectors().await?;
        let recusals: Vec<(String, Vec<Recusal>)> = inspectors
            .iter()
            .map(|i| {
                (
                    i.inspector.badge_no.clone(),
                    i.recusals.iter().map(|r| r.recusal.clone()).collect(),
                )
            })
            .collect();
        let exclusions = exclusion_pairs(&recusals, &candidates);
        let mut inputs = DrawInputs {
            algorithm: ALGORITHM.into(),
            plan_year: plan.year,
            plan_name: plan.name.clone(),
            register_date: date.to_string(),
            strata: plan.params.strata,
            inspectors_per_target: plan.params.inspectors_per_target,
            library_versions: self.library_versions().await?,
            items: draw_items,
            candidates,
            inspectors: inspectors.into_iter().map(|i| i.inspector).collect(),
            exclusions,
        };
        inputs.canonicalize();
        Ok(inputs)
    }

    /// The plan's current draw (not superseded), if any.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn current_draw(&self, plan_id: i64) -> Result<Option<DrawRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {DRAW_COLUMNS} FROM inspection_draws WHERE plan_id = ? AND superseded_by IS NULL ORDER BY id DESC LIMIT 1"
        ))
        .bind(plan_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(draw_row))
    }

    /// Every draw of a plan, oldest first (superseded ones included).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn draws_of(&self, plan_id: i64) -> Result<Vec<DrawRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {DRAW_COLUMNS} FROM inspection_draws WHERE plan_id = ? ORDER BY id"
        ))
        .bind(plan_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(draw_row).collect())
    }

    /// One draw.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown id.
    pub async fn draw_record(&self, draw_id: i64) -> Result<DrawRecord> {
        let row = sqlx::query(&format!(
            "SELECT {DRAW_COLUMNS} FROM inspection_draws WHERE id = ?"
        ))
        .bind(draw_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {draw_id} 的抽取")))?;
        Ok(draw_row(&row))
    }

    /// The public package of a draw: its inputs, commitment, and — once drawn — the seed and
    /// the result (what [`minplan_domain::supervision::draw::verify`] re-checks).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown id; [`StoreError::Internal`] when the stored
    /// inputs no longer read.
    pub async fn draw_package(&self, draw_id: i64) -> Result<DrawPackage> {
        let row = sqlx::query(
            "SELECT inputs_json, commitment, seed, result_json FROM inspection_draws WHERE id = ?",
        )
        .bind(draw_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {draw_id} 的抽取")))?;
        let inputs: DrawInputs = serde_json::from_str(&row.get::<String, _>("inputs_json"))
            .map_err(|e| StoreError::Internal(format!("抽取 {draw_id} 的输入无法读取：{e}")))?;
        Ok(DrawPackage {
            inputs,
            commitment: row.get("commitment"),
            seed: row.get("seed"),
            result: row
                .get::<Option<String>, _>("result_json")
                .and_then(|s| serde_json::from_str(&s).ok()),
        })
    }

    /// The inputs of a draw as published (canonical JSON bytes).
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown id.
    pub async fn draw_inputs_json(&self, draw_id: i64) -> Result<String> {
        sqlx::query_scalar("SELECT inputs_json FROM inspection_draws WHERE id = ?")
            .bind(draw_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {draw_id} 的抽取")))
    }

    /// 公布承诺: builds the inputs now (libraries, register on the plan's date), makes a
    /// secret seed with the operating system's CSPRNG, stores inputs and commitment with the
    /// seed sealed (audit `inspection_draw.commit`). Returns the draw's id.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] when the plan already has a draw (a new one is a redraw, with
    /// a reason); [`StoreError::NotFound`] for an unknown plan; [`StoreError::Internal`] when
    /// no random seed can be had.
    pub async fn commit_draw(&self, plan_id: i64, actor: &Actor) -> Result<i64> {
        if self.current_draw(plan_id).await?.is_some() {
            return Err(invalid(
                "plan",
                "该计划已公布承诺；如需重新抽取，请使用“重新抽取”并说明理由",
            ));
        }
        self.commit(plan_id, None, actor).await
    }

    async fn commit(
        &self,
        plan_id: i64,
        redraw: Option<(i64, &str)>,
        actor: &Actor,
    ) -> Result<i64> {
        let plan = self.inspection_plan(plan_id).await?;
        let inputs = self.draw_inputs(&plan).await?;
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| StoreError::Internal(format!("无法生成随机种子：{e}")))?;
        let seed = Seed(bytes);
        let commitment = draw::commitment(&inputs, &seed);
        let inputs_json = String::from_utf8(inputs.canonical_bytes()).expect("JSON is UTF-8");
        let mut tx = self.begin_write().await?;
        if let Some((old, _)) = redraw {
            // Re-checked inside the transaction: the old draw is still current.
            let still: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM inspection_draws WHERE id = ? AND superseded_by IS NULL",
            )
            .bind(old)
            .fetch_optional(&mut *tx)
            .await?;
            if still.is_none() {
                return Err(invalid("plan", "该抽取已被重新抽取取代"));
            }
        } else {
            let any: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM inspection_draws WHERE plan_id = ? AND superseded_by IS NULL",
            )
            .bind(plan_id)
            .fetch_optional(&mut *tx)
            .await?;
            if any.is_some() {
                return Err(invalid("plan", "该计划已公布承诺"));
            }
        }
        let id = sqlx::query(
            "INSERT INTO inspection_draws (plan_id, inputs_json, commitment, sealed_seed, committed_at, redraw_reason) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(plan_id)
        .bind(&inputs_json)
        .bind(&commitment)
        .bind(seed.to_hex())
        .bind(now_rfc3339())
        .bind(redraw.map(|(_, r)| r.trim().to_string()))
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        if let Some((old, reason)) = redraw {
            // The replaced draw's seed is revealed too: anyone can see what it drew or would
            // have drawn.
            sqlx::query(
                "UPDATE inspection_draws SET superseded_by = ?, seed = COALESCE(seed, sealed_seed) WHERE id = ?",
            )
            .bind(id)
            .bind(old)
            .execute(&mut *tx)
            .await?;
            audit::append(
                &mut tx,
                &AuditEntry {
                    actor,
                    action: "inspection_draw.redraw",
                    entity_type: "inspection_draw",
                    entity_id: old.to_string(),
                    before: None,
                    after: Some(serde_json::json!({"superseded_by": id, "reason": reason.trim()})),
                },
            )
            .await?;
        }
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "inspection_draw.commit",
                entity_type: "inspection_draw",
                entity_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "plan_id": plan_id, "commitment": commitment,
                    "candidates": inputs.candidates.len(), "inspectors": inputs.inspectors.len(),
                    "exclusions": inputs.exclusions.len(), "library_versions": inputs.library_versions,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// 抽取: reveals the sealed seed, runs the draw on the stored inputs and writes the
    /// result with one `inspection_targets` row per target and its inspectors in
    /// `inspection_target_inspectors` (audit `inspection_draw.draw`).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] when the draw was already made or superseded, or cannot be
    /// made ([`DrawError`], e.g. a target without two eligible inspectors — nothing written,
    /// the seed stays sealed; a redraw with a reason follows); [`StoreError::NotFound`].
    pub async fn run_draw(&self, draw_id: i64, actor: &Actor) -> Result<DrawResult> {
        let rec = self.draw_record(draw_id).await?;
        if rec.superseded_by.is_some() {
            return Err(invalid("draw", "该抽取已被重新抽取取代"));
        }
        if rec.drawn_at.is_some() {
            return Err(invalid("draw", "该抽取已完成"));
        }
        let sealed: Option<String> =
            sqlx::query_scalar("SELECT sealed_seed FROM inspection_draws WHERE id = ?")
                .bind(draw_id)
                .fetch_one(&self.pool)
                .await?;
        let seed = Seed::from_hex(sealed.as_deref().unwrap_or(""))
            .map_err(|m| StoreError::Internal(format!("抽取 {draw_id} 的种子：{m}")))?;
        let pkg = self.draw_package(draw_id).await?;
        if draw::commitment(&pkg.inputs, &seed) != rec.commitment {
            return Err(StoreError::Internal(format!(
                "抽取 {draw_id} 的输入或种子与承诺不符，不能抽取"
            )));
        }
        let result = draw::draw(&pkg.inputs, &seed).map_err(|e| match e {
            DrawError::NotEnoughInspectors { .. } => invalid(
                "draw",
                format!("{e}。请补充检查人员或调整回避关系后“重新抽取”（须说明理由）"),
            ),
            DrawError::Invalid(_) => invalid("draw", e.to_string()),
        })?;
        let mut tx = self.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE inspection_draws SET seed = sealed_seed, drawn_at = ?, result_json = ? WHERE id = ? AND drawn_at IS NULL AND superseded_by IS NULL",
        )
        .bind(now_rfc3339())
        .bind(serde_json::to_string(&result).unwrap_or_default())
        .bind(draw_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if updated != 1 {
            return Err(invalid("draw", "该抽取已完成或已被取代"));
        }
        let ids: HashMap<String, i64> = sqlx::query("SELECT id, badge_no FROM inspectors")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| (r.get("badge_no"), r.get("id")))
            .collect();
        for t in &result.targets {
            let tid = sqlx::query(
                "INSERT INTO inspection_targets (draw_id, plan_id, right_id, holder_name, credit_code, right_kind, items_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(draw_id)
            .bind(rec.plan_id)
            .bind(&t.right_id)
            .bind(&t.holder_name)
            .bind(&t.credit_code)
            .bind(t.kind.label())
            .bind(serde_json::to_string(&t.items).unwrap_or_default())
            .execute(&mut *tx)
            .await?
            .last_insert_rowid();
            for b in &t.inspectors {
                let iid = ids.get(b).ok_or_else(|| {
                    StoreError::Internal(format!("执法证号 {b} 已不在名录库中，不能写入分派"))
                })?;
                sqlx::query("INSERT INTO inspection_target_inspectors (target_id, inspector_id) VALUES (?, ?)")
                    .bind(tid)
                    .bind(iid)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "inspection_draw.draw",
                entity_type: "inspection_draw",
                entity_id: draw_id.to_string(),
                before: None,
                after: Some(
                    serde_json::json!({"seed": seed.to_hex(), "targets": result.targets.len()}),
                ),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(result)
    }

    /// 重新抽取: a new commitment for the plan (inputs built anew), saying why; the current
    /// draw is `superseded_by` the new one and its seed revealed (audit
    /// `inspection_draw.redraw` on the old draw and `inspection_draw.commit` on the new).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] without a reason, or when the plan has no draw yet.
    pub async fn redraw(&self, plan_id: i64, reason: &str, actor: &Actor) -> Result<i64> {
        if reason.trim().is_empty() {
            return Err(invalid("reason", "重新抽取须说明理由"));
        }
        let Some(cur) = self.current_draw(plan_id).await? else {
            return Err(invalid("plan", "该计划尚未公布承诺，无需重新抽取"));
        };
        self.commit(plan_id, Some((cur.id, reason)), actor).await
    }
}
