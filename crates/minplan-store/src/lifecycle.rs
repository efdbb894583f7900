//! The register's lifecycle in the database: decisions and grants of applications, the
//! registration of rights from approved applications, and every later event (延续, 变更,
//! 转让, 抵押, 闭坑, 注销). Each write runs the pure check of
//! [`minplan_domain::register`] — with today's date ([`crate::today`], 北京时间), which the
//! domain does not read itself — on the history read inside the write's transaction, appends
//! the event with the state after it (`right_events`), updates the right's current row
//! (`rights`, which the review reads) and appends its audit row — all or nothing.

use crate::audit::{self, Actor, AuditEntry};
use crate::{FieldError, Result, Store, StoreError, now_rfc3339};
use minplan_domain::application::{ApplicationKind, GrantMethod, Quantity, RightKind};
use minplan_domain::date::Date;
use minplan_domain::plan::{ApprovalLevel, LonLatPolygon};
use minplan_domain::register::{
    self, ApplicationClosing, ApplicationFacts, ApplicationStatus, ClosingKind, ClosureAcceptance,
    ClosureReport, Decision, EventKind, Grant, Mortgage, Problem, Registration, RightEvent,
    RightExtension, RightHistory, RightState, Standing,
};
use minplan_domain::review::Conclusion;
use minplan_domain::rights::RightStatus;
use minplan_domain::units::Unit;
use serde::Serialize;
use sqlx::{Row, Sqlite, Transaction};

/// A mine (矿山).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mine {
    /// Id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// The planning block it lies in, when known.
    pub block_number: Option<String>,
    /// Its rights (许可证号), oldest first.
    pub rights: Vec<String>,
}

pub(crate) fn invalid(problems: Vec<Problem>) -> StoreError {
    StoreError::Invalid(
        problems
            .into_iter()
            .map(|p| FieldError::new(p.field, p.message))
            .collect(),
    )
}

/// The state of a right stored before 0004 (no events): from its columns, as an import.
fn state_from_row(r: &sqlx::sqlite::SqliteRow) -> RightState {
    let date = |c: &str| {
        r.get::<Option<String>, _>(c)
            .and_then(|s| Date::parse(&s).ok())
    };
    RightState {
        id: r.get("id"),
        kind: RightKind::parse(&r.get::<String, _>("kind")).unwrap_or(RightKind::Mining),
        standing: match r.get::<String, _>("status").as_str() {
            "已注销" => Standing::Cancelled,
            "闭坑" => Standing::Closed,
            _ => Standing::Valid,
        },
        name: r.get("name"),
        holder_name: r.get("holder_name"),
        credit_code: r.get("credit_code"),
        minerals: serde_json::from_str(&r.get::<String, _>("minerals_json")).unwrap_or_default(),
        capacity: match (
            r.get::<Option<f64>, _>("capacity"),
            r.get::<Option<String>, _>("capacity_unit"),
        ) {
            (Some(v), Some(u)) => Unit::parse(&u).ok().map(|unit| Quantity { value: v, unit }),
            _ => None,
        },
        approval: r
            .get::<Option<String>, _>("approval")
            .and_then(|a| ApprovalLevel::parse(&a)),
        mining_method: None,
        sub_unit: None,
        valid_from: date("valid_from"),
        valid_to: date("valid_to"),
        area_km2: None,
        elevation: None,
        mine_id: r.get("mine_id"),
        application: None,
        grant: None,
        mortgage: None,
        closure_report: None,
        closure: None,
        cancel_reason: None,
    }
}

fn event_from_row(r: &sqlx::sqlite::SqliteRow) -> Result<RightEvent> {
    let kind: String = r.get("kind");
    Ok(RightEvent {
        seq: r.get("seq"),
        kind: EventKind::from_slug(&kind)
            .ok_or_else(|| StoreError::Internal(format!("未知的登记事项类型 {kind}")))?,
        date: r
            .get::<Option<String>, _>("effective_date")
            .and_then(|s| Date::parse(&s).ok()),
        state: serde_json::from_str(&r.get::<String, _>("state_json"))
            .map_err(|e| StoreError::Internal(format!("登记事项状态无法读取：{e}")))?,
        detail: serde_json::from_str(&r.get::<String, _>("detail_json")).unwrap_or_default(),
        actor: r.get("actor"),
        recorded_at: r.get("recorded_at"),
    })
}

/// Reads histories (all, or one right) on any executor.
async fn histories_on(
    exec: &mut sqlx::SqliteConnection,
    only: Option<&str>,
) -> Result<Vec<RightHistory>> {
    let rights = match only {
        Some(id) => {
            sqlx::query("SELECT * FROM rights WHERE id = ?")
                .bind(id)
                .fetch_all(&mut *exec)
                .await?
        }
        None => {
            sqlx::query("SELECT * FROM rights ORDER BY id")
                .fetch_all(&mut *exec)
                .await?
        }
    };
    let events = match only {
        Some(id) => {
            sqlx::query("SELECT * FROM right_events WHERE right_id = ? ORDER BY seq")
                .bind(id)
                .fetch_all(&mut *exec)
                .await?
        }
        None => {
            sqlx::query("SELECT * FROM right_events ORDER BY right_id, seq")
                .fetch_all(&mut *exec)
                .await?
        }
    };
    let mut by_right: std::collections::BTreeMap<String, Vec<RightEvent>> = Default::default();
    for e in &events {
        by_right
            .entry(e.get::<String, _>("right_id"))
            .or_default()
            .push(event_from_row(e)?);
    }
    let mut out = Vec::new();
    for r in &rights {
        let id: String = r.get("id");
        let geometry: Vec<LonLatPolygon> =
            serde_json::from_str(&r.get::<String, _>("geometry_json")).unwrap_or_default();
        let mut evs = by_right.remove(&id).unwrap_or_default();
        if evs.is_empty() {
            let state = state_from_row(r);
            evs.push(RightEvent {
                seq: 0,
                kind: EventKind::Import,
                date: state.valid_from,
                state,
                detail: serde_json::json!({ "source": r.get::<String, _>("source") }),
                actor: "system".into(),
                recorded_at: r.get("updated_at"),
            });
        }
        // Ordered by effective date (undated first), then by recording order.
        evs.sort_by(|a, b| match (a.date, b.date) {
            (None, None) => a.seq.cmp(&b.seq),
            (None, Some(_)) => std::cmp::Ordering::Less,
            (Some(_), None) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(&y).then(a.seq.cmp(&b.seq)),
        });
        out.push(RightHistory {
            id,
            geometry,
            events: evs,
        });
    }
    Ok(out)
}

async fn history_tx(tx: &mut Transaction<'_, Sqlite>, id: &str) -> Result<RightHistory> {
    histories_on(tx, Some(id))
        .await?
        .pop()
        .ok_or_else(|| StoreError::NotFound(format!("登记簿中没有许可证号为 {id} 的矿业权")))
}

/// What was recorded with an event besides the new state.
struct EventWrite<'a> {
    kind: EventKind,
    date: Option<Date>,
    state: &'a RightState,
    detail: serde_json::Value,
    geometry: Option<&'a [LonLatPolygon]>,
    source: &'a str,
}

/// Appends an event, writes the right's current row and the audit row (inside `tx`).
async fn write_event(
    tx: &mut Transaction<'_, Sqlite>,
    before: Option<&RightState>,
    w: &EventWrite<'_>,
    actor: &Actor,
) -> Result<()> {
    let s = w.state;
    let state_json = serde_json::to_string(s).map_err(|e| StoreError::Internal(e.to_string()))?;
    let now = now_rfc3339();
    let status = match s.standing {
        Standing::Valid => RightStatus::Valid,
        Standing::Cancelled | Standing::Closed => RightStatus::Cancelled,
    }
    .label();
    if before.is_none() {
        sqlx::query(
            "INSERT INTO rights (id, kind, status, name, holder_name, credit_code, minerals_json, capacity, capacity_unit, approval, valid_from, valid_to, geometry_json, source, updated_at, mine_id, state_json)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&s.id)
        .bind(s.kind.label())
        .bind(status)
        .bind(&s.name)
        .bind(&s.holder_name)
        .bind(&s.credit_code)
        .bind(serde_json::to_string(&s.minerals).unwrap_or_else(|_| "[]".into()))
        .bind(s.capacity.map(|c| c.value))
        .bind(s.capacity.map(|c| c.unit.symbol()))
        .bind(s.approval.map(|a| a.code()))
        .bind(s.valid_from.map(|d| d.to_string()))
        .bind(s.valid_to.map(|d| d.to_string()))
        .bind(serde_json::to_string(w.geometry.unwrap_or(&[])).unwrap_or_else(|_| "[]".into()))
        .bind(w.source)
        .bind(&now)
        .bind(s.mine_id)
        .bind(&state_json)
        .execute(&mut **tx)
        .await?;
    } else {
        sqlx::query(
            "UPDATE rights SET kind = ?, status = ?, name = ?, holder_name = ?, credit_code = ?, minerals_json = ?, capacity = ?, capacity_unit = ?, approval = ?,
                    valid_from = ?, valid_to = ?, geometry_json = COALESCE(?, geometry_json), updated_at = ?, mine_id = ?, state_json = ?
             WHERE id = ?",
        )
        .bind(s.kind.label())
        .bind(status)
        .bind(&s.name)
        .bind(&s.holder_name)
        .bind(&s.credit_code)
        .bind(serde_json::to_string(&s.minerals).unwrap_or_else(|_| "[]".into()))
        .bind(s.capacity.map(|c| c.value))
        .bind(s.capacity.map(|c| c.unit.symbol()))
        .bind(s.approval.map(|a| a.code()))
        .bind(s.valid_from.map(|d| d.to_string()))
        .bind(s.valid_to.map(|d| d.to_string()))
        .bind(w.geometry.map(|g| serde_json::to_string(g).unwrap_or_else(|_| "[]".into())))
        .bind(&now)
        .bind(s.mine_id)
        .bind(&state_json)
        .bind(&s.id)
        .execute(&mut **tx)
        .await?;
    }
    let seq: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM right_events WHERE right_id = ?")
            .bind(&s.id)
            .fetch_one(&mut **tx)
            .await?;
    sqlx::query(
        "INSERT INTO right_events (right_id, seq, kind, effective_date, state_json, detail_json, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&s.id)
    .bind(seq)
    .bind(w.kind.slug())
    .bind(w.date.map(|d| d.to_string()))
    .bind(&state_json)
    .bind(w.detail.to_string())
    .bind(actor.label())
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    let action = format!("right.{}", w.kind.slug());
    let mut after = serde_json::to_value(s).unwrap_or_default();
    after["event"] =
        serde_json::json!({ "kind": w.kind.label(), "date": w.date, "detail": w.detail });
    audit::append(
        tx,
        &AuditEntry {
            actor,
            action: &action,
            entity_type: "right",
            entity_id: s.id.clone(),
            before: before.map(|b| serde_json::to_value(b).unwrap_or_default()),
            after: Some(after),
        },
    )
    .await?;
    Ok(())
}

/// Reads what the transitions need of an application (inside `exec`).
pub(crate) async fn facts_on(
    exec: &mut sqlx::SqliteConnection,
    number: &str,
) -> Result<ApplicationFacts> {
    let row = sqlx::query(
        "SELECT a.number, a.status, a.used_for, r.id AS review_id, r.result_json, r.geometry_json, r.conclusion
         FROM applications a JOIN reviews r ON r.id = a.latest_review_id WHERE a.number = ?",
    )
    .bind(number)
    .fetch_optional(&mut *exec)
    .await?
    .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {number} 的申请（须先经规划符合性审查）")))?;
    let v: serde_json::Value =
        serde_json::from_str(&row.get::<String, _>("result_json")).unwrap_or_default();
    let app = &v["application"];
    let s = |k: &str| app[k].as_str().unwrap_or("").to_string();
    let conclusion = match row.get::<String, _>("conclusion").as_str() {
        "符合" => Conclusion::Conforming,
        "不符合" => Conclusion::NonConforming,
        _ => Conclusion::ConformingPendingCheck,
    };
    let block = v["rules"]
        .as_array()
        .and_then(|rules| rules.iter().find(|r| r["id"] == "R2"))
        .and_then(|r2| r2["evidence"].as_array())
        .and_then(|ev| ev.iter().find(|e| e["label"] == "所在规划区块"))
        .and_then(|e| e["value"].as_str())
        .and_then(|text| {
            let number = text.split_whitespace().next()?.to_string();
            let level = [
                ApprovalLevel::ThisLevel,
                ApprovalLevel::CityDesignated,
                ApprovalLevel::Provincial,
            ]
            .into_iter()
            .find(|l| text.contains(l.label()))?;
            Some((number, level))
        });
    let decision = sqlx::query(
        "SELECT accepted_checks, decided_on FROM application_decisions WHERE application_number = ?",
    )
    .bind(number)
    .fetch_optional(&mut *exec)
    .await?;
    let grant = sqlx::query("SELECT * FROM grants WHERE application_number = ?")
        .bind(number)
        .fetch_optional(&mut *exec)
        .await?
        .map(|g| Grant {
            method: GrantMethod::parse(&g.get::<String, _>("method"))
                .unwrap_or(GrantMethod::Listing),
            net_mineral: g.get::<i64, _>("net_mineral") != 0,
            price_wan_yuan: g.get("price_wan_yuan"),
            date: Date::parse(&g.get::<String, _>("granted_on"))
                .unwrap_or_else(|_| Date::start_of_year(1970)),
            contract: g.get("contract"),
        });
    Ok(ApplicationFacts {
        number: number.to_string(),
        status: ApplicationStatus::parse(&row.get::<String, _>("status"))
            .unwrap_or(ApplicationStatus::Pending),
        kind: ApplicationKind::parse(&s("kind")).unwrap_or(ApplicationKind::New),
        right_kind: RightKind::parse(&s("right_kind")).unwrap_or(RightKind::Mining),
        conclusion,
        review_id: row.get("review_id"),
        accepted_checks: decision.as_ref().and_then(|d| d.get("accepted_checks")),
        decided_on: decision
            .as_ref()
            .and_then(|d| Date::parse(&d.get::<String, _>("decided_on")).ok()),
        received: app["received"].as_str().and_then(|t| Date::parse(t).ok()),
        existing_right: app["existing_right"].as_str().map(str::to_string),
        project_name: s("project_name"),
        holder_name: s("holder_name"),
        credit_code: s("credit_code"),
        minerals: crate::records::strings(&app["minerals"]),
        capacity: match (
            app["capacity"]["value"].as_f64(),
            app["capacity"]["unit"].as_str(),
        ) {
            (Some(value), Some(u)) => Unit::parse(u).ok().map(|unit| Quantity { value, unit }),
            _ => None,
        },
        elevation: match (app["elevation"][0].as_f64(), app["elevation"][1].as_f64()) {
            (Some(t), Some(b)) => Some((t, b)),
            _ => None,
        },
        area_km2: app["corner_report"]["areas"]["km2"].as_f64(),
        mining_method: app["mining_method"]
            .as_str()
            .and_then(minplan_domain::application::MiningMethod::parse),
        sub_unit: app["sub_unit"].as_str().map(str::to_string),
        geometry: serde_json::from_str(&row.get::<String, _>("geometry_json")).unwrap_or_default(),
        has_agreement_reason: !app["agreement_reason"].is_null(),
        block,
        grant,
        requested_grant: app["grant_method"].as_str().and_then(GrantMethod::parse),
        requested_net_mineral: app["net_mineral_grant"].as_bool().unwrap_or(false),
        used_for: row.get("used_for"),
    })
}

impl Store {
    /// Every right with its history (rights stored before the lifecycle existed get one
    /// import event from their columns).
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn right_histories(&self) -> Result<Vec<RightHistory>> {
        histories_on(&mut *self.pool.acquire().await?, None).await
    }

    /// One right with its history.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] for an unknown licence number.
    pub async fn right_history(&self, id: &str) -> Result<RightHistory> {
        histories_on(&mut *self.pool.acquire().await?, Some(id))
            .await?
            .pop()
            .ok_or_else(|| StoreError::NotFound(format!("登记簿中没有许可证号为 {id} 的矿业权")))
    }

    /// What the register needs of an application: status, latest review, decision, grant.
    ///
    /// # Errors
    /// [`StoreError::NotFound`] when the application has no stored review.
    pub async fn application_facts(&self, number: &str) -> Result<ApplicationFacts> {
        facts_on(&mut *self.pool.acquire().await?, number).await
    }

    /// Mines with their rights.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn mines(&self) -> Result<Vec<Mine>> {
        let rows = sqlx::query(
            "SELECT m.id, m.name, m.block_number, (SELECT json_group_array(r.id) FROM (SELECT id FROM rights WHERE mine_id = m.id ORDER BY valid_from, id) r) AS rights FROM mines m ORDER BY m.id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|r| Mine {
                id: r.get("id"),
                name: r.get("name"),
                block_number: r.get("block_number"),
                rights: serde_json::from_str(&r.get::<String, _>("rights")).unwrap_or_default(),
            })
            .collect())
    }

    /// Records the decision on an application (批准 / 不予批准) with its audit row.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] naming each problem ([`register::decide`]); nothing written.
    pub async fn decide_application(
        &self,
        number: &str,
        d: &Decision,
        actor: &Actor,
    ) -> Result<ApplicationStatus> {
        let mut tx = self.begin_write().await?;
        let facts = facts_on(&mut tx, number).await?;
        let status = register::decide(&facts, d, crate::today()).map_err(invalid)?;
        sqlx::query("UPDATE applications SET status = ? WHERE number = ?")
            .bind(status.label())
            .bind(number)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO application_decisions (application_number, approve, decided_on, review_id, accepted_checks, reason, actor, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(number)
        .bind(d.approve)
        .bind(d.date.to_string())
        .bind(facts.review_id)
        .bind(d.accepted_checks.as_deref().map(str::trim).filter(|s| !s.is_empty()))
        .bind(d.reason.as_deref().map(str::trim).filter(|s| !s.is_empty()))
        .bind(actor.label())
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: if d.approve {
                    "application.approve"
                } else {
                    "application.refuse"
                },
                entity_type: "application",
                entity_id: number.to_string(),
                before: Some(serde_json::json!({ "status": facts.status.label() })),
                after: Some(serde_json::json!({
                    "status": status.label(), "date": d.date, "review_id": facts.review_id,
                    "conclusion": facts.conclusion.label(), "accepted_checks": d.accepted_checks, "reason": d.reason,
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(status)
    }

    /// Closes a pending application without approval — 不予受理, 退回 or 不予批准 — with its
    /// date and reason ([`register::close_application`]): the status changes, the date and
    /// reason are kept on the application (a 不予批准 also as its decision) and the audit row
    /// records them. Afterwards the application is not pending (the review's register and the
    /// lists leave it out).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] naming each problem; [`StoreError::NotFound`] for an
    /// application never reviewed; nothing written.
    pub async fn close_application(
        &self,
        number: &str,
        c: &ApplicationClosing,
        actor: &Actor,
    ) -> Result<ApplicationStatus> {
        let mut tx = self.begin_write().await?;
        let facts = facts_on(&mut tx, number).await?;
        let status = register::close_application(&facts, c, crate::today()).map_err(invalid)?;
        let reason = c.reason.trim();
        sqlx::query(
            "UPDATE applications SET status = ?, closed_on = ?, closed_reason = ? WHERE number = ?",
        )
        .bind(status.label())
        .bind(c.date.to_string())
        .bind(reason)
        .bind(number)
        .execute(&mut *tx)
        .await?;
        if c.kind == ClosingKind::Refused {
            sqlx::query(
                "INSERT INTO application_decisions (application_number, approve, decided_on, review_id, accepted_checks, reason, actor, recorded_at) VALUES (?, 0, ?, ?, NULL, ?, ?, ?)",
            )
            .bind(number)
            .bind(c.date.to_string())
            .bind(facts.review_id)
            .bind(reason)
            .bind(actor.label())
            .bind(now_rfc3339())
            .execute(&mut *tx)
            .await?;
        }
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: match c.kind {
                    ClosingKind::NotAccepted => "application.not_accept",
                    ClosingKind::Returned => "application.return",
                    ClosingKind::Refused => "application.refuse",
                },
                entity_type: "application",
                entity_id: number.to_string(),
                before: Some(serde_json::json!({ "status": facts.status.label() })),
                after: Some(serde_json::json!({
                    "status": status.label(), "date": c.date, "reason": reason,
                    "review_id": facts.review_id, "conclusion": facts.conclusion.label(),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(status)
    }

    /// The date and reason an application was closed with (不予受理 / 退回 / 不予批准 by
    /// [`Store::close_application`]), if it was.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn application_closing(&self, number: &str) -> Result<Option<(String, String)>> {
        let row = sqlx::query(
            "SELECT closed_on, closed_reason FROM applications WHERE number = ? AND closed_on IS NOT NULL",
        )
        .bind(number)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| {
            (
                r.get::<String, _>("closed_on"),
                r.get::<Option<String>, _>("closed_reason")
                    .unwrap_or_default(),
            )
        }))
    }

    /// Records the grant (出让) of an approved application. A 新立 application is granted
    /// only after its 联合审查 is complete (《规划》四（三）3（1）; read inside this transaction,
    /// [`minplan_domain::register::joint_review::grant_gate`]); the audit row carries the
    /// joint review's conditions and the government's 同意.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] ([`register::check_grant`], then what the joint review
    /// lacks, each named); nothing written.
    pub async fn record_grant(&self, number: &str, g: &Grant, actor: &Actor) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let facts = facts_on(&mut tx, number).await?;
        let mut problems = register::check_grant(&facts, g, crate::today())
            .err()
            .unwrap_or_default();
        let (gate, joint) = crate::joint_record::grant_problems(&mut tx, &facts, g.date).await?;
        problems.extend(gate);
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let mut after = serde_json::to_value(g).unwrap_or_default();
        if let Some(jr) = &joint
            && let Ok(done) = register::joint_review::completion(jr)
        {
            after["joint_review"] = serde_json::json!({
                "conditions": done.conditions, "rereview_id": done.rereview_id, "consent": jr.consent,
            });
        }
        sqlx::query(
            "INSERT INTO grants (application_number, method, net_mineral, price_wan_yuan, granted_on, contract, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(number)
        .bind(g.method.label())
        .bind(g.net_mineral)
        .bind(g.price_wan_yuan)
        .bind(g.date.to_string())
        .bind(&g.contract)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor,
                action: "application.grant",
                entity_type: "application",
                entity_id: number.to_string(),
                before: None,
                after: Some(after),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Registers a right from an approved application (新立 or 探转采): creates the mine for a
    /// new mining right (or uses `r.mine_id`), the right, its `register` event, and for
    /// 探转采 cancels the exploration right; marks the application used.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] ([`register::register`]); nothing written.
    pub async fn register_right(
        &self,
        number: &str,
        r: &Registration,
        actor: &Actor,
    ) -> Result<RightHistory> {
        let mut tx = self.begin_write().await?;
        let facts = facts_on(&mut tx, number).await?;
        let taken: Option<String> = sqlx::query_scalar("SELECT id FROM rights WHERE id = ?")
            .bind(r.licence.trim())
            .fetch_optional(&mut *tx)
            .await?;
        let source = match (&facts.kind, &facts.existing_right) {
            (ApplicationKind::ExplorationToMining, Some(e)) => {
                histories_on(&mut tx, Some(e)).await?.pop()
            }
            _ => None,
        };
        let today = crate::today();
        let mut state = register::register(&facts, r, taken.is_some(), source.as_ref(), today)
            .map_err(invalid)?;
        if state.mine_id.is_none() {
            let mine = source.as_ref().and_then(|s| s.current().mine_id);
            let id = match mine {
                Some(m) => m,
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO mines (name, block_number, created_at) VALUES (?, ?, ?) RETURNING id",
                    )
                    .bind(&state.name)
                    .bind(facts.block.as_ref().map(|b| b.0.clone()))
                    .bind(now_rfc3339())
                    .fetch_one(&mut *tx)
                    .await?;
                    audit::append(
                        &mut tx,
                        &AuditEntry {
                            actor,
                            action: "mine.create",
                            entity_type: "mine",
                            entity_id: id.to_string(),
                            before: None,
                            after: Some(serde_json::json!({ "name": state.name, "block_number": facts.block.as_ref().map(|b| &b.0) })),
                        },
                    )
                    .await?;
                    id
                }
            };
            state.mine_id = Some(id);
        }
        if let Some(src) = &source {
            let reason = format!("探转采：转为采矿权 {}", state.id);
            let cancelled = register::cancel(src, r.date, &reason, today).map_err(invalid)?;
            write_event(
                &mut tx,
                Some(src.current()),
                &EventWrite {
                    kind: EventKind::Cancel,
                    date: Some(r.date),
                    state: &cancelled,
                    detail: serde_json::json!({ "reason": reason, "application": number }),
                    geometry: None,
                    source: "",
                },
                actor,
            )
            .await?;
        }
        write_event(
            &mut tx,
            None,
            &EventWrite {
                kind: EventKind::Register,
                date: Some(r.date),
                state: &state,
                detail: serde_json::json!({ "application": number, "review_id": facts.review_id }),
                geometry: Some(&facts.geometry),
                source: &format!("登记（申请 {number}）"),
            },
            actor,
        )
        .await?;
        mark_used(&mut tx, number, &state.id).await?;
        let h = history_tx(&mut tx, &state.id).await?;
        tx.commit().await?;
        Ok(h)
    }

    /// Extends a licence (延续).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] ([`register::extend`]); nothing written.
    pub async fn extend_right(
        &self,
        id: &str,
        e: &RightExtension,
        actor: &Actor,
    ) -> Result<RightHistory> {
        let mut tx = self.begin_write().await?;
        let h = history_tx(&mut tx, id).await?;
        let facts = match &e.application {
            Some(a) => Some(facts_on(&mut tx, a).await?),
            None => None,
        };
        let s = register::extend(&h, e, facts.as_ref(), crate::today()).map_err(invalid)?;
        if let Some(a) = &e.application {
            mark_used(&mut tx, a, id).await?;
        }
        self.event(&mut tx, &h, EventKind::Extend, Some(e.date), &s, serde_json::json!({ "valid_to": e.valid_to, "reason": e.reason, "application": e.application }), None, actor).await?;
        let h = history_tx(&mut tx, id).await?;
        tx.commit().await?;
        Ok(h)
    }

    /// Changes a right (变更) on an approved 变更 application.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] ([`register::change`]); nothing written.
    pub async fn change_right(
        &self,
        id: &str,
        application: &str,
        date: Date,
        actor: &Actor,
    ) -> Result<RightHistory> {
        let mut tx = self.begin_write().await?;
        let h = history_tx(&mut tx, id).await?;
        let facts = facts_on(&mut tx, application).await?;
        let s = register::change(&h, &facts, date, crate::today()).map_err(invalid)?;
        let geometry = (!facts.geometry.is_empty()).then_some(facts.geometry.as_slice());
        self.event(
            &mut tx,
            &h,
            EventKind::Change,
            Some(date),
            &s,
            serde_json::json!({ "application": application, "review_id": facts.review_id }),
            geometry,
            actor,
        )
        .await?;
        mark_used(&mut tx, application, id).await?;
        let h = history_tx(&mut tx, id).await?;
        tx.commit().await?;
        Ok(h)
    }

    /// Transfers a right (转让) to the applicant of an approved 转让 application.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] ([`register::transfer`]); nothing written.
    pub async fn transfer_right(
        &self,
        id: &str,
        application: &str,
        date: Date,
        actor: &Actor,
    ) -> Result<RightHistory> {
        let mut tx = self.begin_write().await?;
        let h = history_tx(&mut tx, id).await?;
        let facts = facts_on(&mut tx, application).await?;
        let s = register::transfer(&h, &facts, date, crate::today()).map_err(invalid)?;
        self.event(&mut tx, &h, EventKind::Transfer, Some(date), &s, serde_json::json!({ "application": application, "from": h.current().holder_name, "to": s.holder_name }), None, actor).await?;
        mark_used(&mut tx, application, id).await?;
        let h = history_tx(&mut tx, id).await?;
        tx.commit().await?;
        Ok(h)
    }

    /// Records a mortgage (抵押).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] ([`register::mortgage`]); nothing written.
    pub async fn mortgage_right(
        &self,
        id: &str,
        m: &Mortgage,
        actor: &Actor,
    ) -> Result<RightHistory> {
        self.simple(
            id,
            EventKind::Mortgage,
            Some(m.from),
            serde_json::to_value(m).unwrap_or_default(),
            actor,
            |h, today| register::mortgage(h, m, today),
        )
        .await
    }

    /// Releases the mortgage (解除抵押).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] ([`register::release_mortgage`]); nothing written.
    pub async fn release_mortgage(
        &self,
        id: &str,
        date: Date,
        actor: &Actor,
    ) -> Result<RightHistory> {
        self.simple(
            id,
            EventKind::MortgageRelease,
            Some(date),
            serde_json::json!({}),
            actor,
            |h, today| register::release_mortgage(h, date, today),
        )
        .await
    }

    /// Files the closure report (闭坑报告) of a mining right.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] ([`register::file_closure_report`]); nothing written.
    pub async fn file_closure_report(
        &self,
        id: &str,
        r: &ClosureReport,
        actor: &Actor,
    ) -> Result<RightHistory> {
        self.simple(
            id,
            EventKind::ClosureReport,
            Some(r.date),
            serde_json::to_value(r).unwrap_or_default(),
            actor,
            |h, today| register::file_closure_report(h, r, today),
        )
        .await
    }

    /// Closes a mine (闭坑): accepts its closure report; the right ends. The mine's
    /// 矿山地质环境治理验收 is read inside the same transaction and must be on file on or
    /// before the closure date (《规划》六（二）3; the check is
    /// `minplan_domain::restoration::schedule::check_closure`).
    ///
    /// # Errors
    /// [`StoreError::Invalid`] ([`register::close`], and `restoration_acceptance` when the
    /// mine has no restoration acceptance); nothing written.
    pub async fn close_right(
        &self,
        id: &str,
        a: &ClosureAcceptance,
        actor: &Actor,
    ) -> Result<RightHistory> {
        let mut tx = self.begin_write().await?;
        let h = history_tx(&mut tx, id).await?;
        let mut problems = register::close(&h, a, crate::today())
            .err()
            .unwrap_or_default();
        // The mine's 矿山地质环境治理验收 (table of migration 0023), read in this transaction.
        let restoration = match h.current().mine_id {
            Some(m) => sqlx::query(
                "SELECT accepted_on, accepted_by, document FROM mine_restoration_acceptances WHERE mine_id = ?",
            )
            .bind(m)
            .fetch_optional(&mut *tx)
            .await?
            .and_then(|r| {
                Some(minplan_domain::restoration::schedule::RestorationAcceptance {
                    accepted_on: Date::parse(&r.get::<String, _>("accepted_on")).ok()?,
                    accepted_by: r.get("accepted_by"),
                    document: r.get("document"),
                })
            }),
            None => None,
        };
        if let Err(p) =
            minplan_domain::restoration::schedule::check_closure(id, restoration.as_ref(), a.date)
        {
            problems.push(p);
        }
        if !problems.is_empty() {
            return Err(invalid(problems));
        }
        let s = register::close(&h, a, crate::today()).map_err(invalid)?;
        self.event(
            &mut tx,
            &h,
            EventKind::Close,
            Some(a.date),
            &s,
            serde_json::to_value(a).unwrap_or_default(),
            None,
            actor,
        )
        .await?;
        let h = history_tx(&mut tx, id).await?;
        tx.commit().await?;
        Ok(h)
    }

    /// Cancels a right (注销) with its reason.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] ([`register::cancel`]); nothing written.
    pub async fn cancel_right(
        &self,
        id: &str,
        date: Date,
        reason: &str,
        actor: &Actor,
    ) -> Result<RightHistory> {
        self.simple(
            id,
            EventKind::Cancel,
            Some(date),
            serde_json::json!({ "reason": reason }),
            actor,
            |h, today| register::cancel(h, date, reason, today),
        )
        .await
    }

    async fn simple(
        &self,
        id: &str,
        kind: EventKind,
        date: Option<Date>,
        detail: serde_json::Value,
        actor: &Actor,
        check: impl FnOnce(&RightHistory, Date) -> std::result::Result<RightState, Vec<Problem>>,
    ) -> Result<RightHistory> {
        let mut tx = self.begin_write().await?;
        let h = history_tx(&mut tx, id).await?;
        let s = check(&h, crate::today()).map_err(invalid)?;
        self.event(&mut tx, &h, kind, date, &s, detail, None, actor)
            .await?;
        let h = history_tx(&mut tx, id).await?;
        tx.commit().await?;
        Ok(h)
    }

    #[allow(clippy::too_many_arguments)]
    async fn event(
        &self,
        tx: &mut Transaction<'_, Sqlite>,
        h: &RightHistory,
        kind: EventKind,
        date: Option<Date>,
        s: &RightState,
        detail: serde_json::Value,
        geometry: Option<&[LonLatPolygon]>,
        actor: &Actor,
    ) -> Result<()> {
        // A right stored before 0004 has no event rows: record its import first, so the
        // history keeps where it started.
        if h.events.iter().all(|e| e.seq == 0) {
            let first = &h.events[0];
            let seq_json = serde_json::to_string(&first.state).unwrap_or_default();
            sqlx::query(
                "INSERT INTO right_events (right_id, seq, kind, effective_date, state_json, detail_json, actor, recorded_at) VALUES (?, 1, 'import', ?, ?, ?, 'system', ?)",
            )
            .bind(&h.id)
            .bind(first.date.map(|d| d.to_string()))
            .bind(seq_json)
            .bind(first.detail.to_string())
            .bind(&first.recorded_at)
            .execute(&mut **tx)
            .await?;
        }
        write_event(
            tx,
            Some(h.current()),
            &EventWrite {
                kind,
                date,
                state: s,
                detail,
                geometry,
                source: "",
            },
            actor,
        )
        .await
    }
}

async fn mark_used(tx: &mut Transaction<'_, Sqlite>, number: &str, right: &str) -> Result<()> {
    sqlx::query("UPDATE applications SET used_for = ? WHERE number = ?")
        .bind(right)
        .bind(number)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Writes a right imported from a table (bulk import) with its `import` event (inside `tx`).
///
/// # Errors
/// [`StoreError::Invalid`] when the licence number is already in the register.
pub(crate) async fn record_import(
    tx: &mut Transaction<'_, Sqlite>,
    state: &RightState,
    geometry: &[LonLatPolygon],
    source: &str,
    actor: &Actor,
) -> Result<()> {
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM rights WHERE id = ?")
        .bind(&state.id)
        .fetch_optional(&mut **tx)
        .await?;
    if exists.is_some() {
        return Err(StoreError::Invalid(vec![FieldError::new(
            "licence",
            format!("许可证号 {} 已在登记簿中", state.id),
        )]));
    }
    write_event(
        tx,
        None,
        &EventWrite {
            kind: EventKind::Import,
            date: state.valid_from,
            state,
            detail: serde_json::json!({ "source": source }),
            geometry: Some(geometry),
            source,
        },
        actor,
    )
    .await
}
