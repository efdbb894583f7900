//! Stored reviews. A review is stored with everything it read — the application file and
//! corner file as submitted, the plan version, the layer versions, the register and lists as
//! they were — so that it can be re-run and give the same opinion. Reviews are never
//! edited; a new review of the same application number supersedes the previous one.

use crate::audit::{self, Actor, AuditEntry};
use crate::register_snapshot::{self, RegisterEntryText};
use crate::{Result, Store, StoreError};
use minplan_domain::review::ConformityReview;
use serde::Serialize;
use sqlx::Row;

/// What to store with a review.
pub struct ReviewInput<'a> {
    /// The application file as submitted.
    pub input_toml: &'a str,
    /// The corner file's bytes, when the application names one.
    pub input_corners: Option<&'a [u8]>,
    /// The corner file's name.
    pub corner_file_name: Option<&'a str>,
    /// The register (rights and pending applications) as reviewed, in register order, each
    /// entry with its stored text ([`RegisterEntryText`]; the engine keeps them, so an
    /// unchanged entry is neither serialised nor written again).
    pub register: Vec<RegisterEntryText>,
    /// The supervision lists as reviewed, JSON.
    pub lists: serde_json::Value,
    /// Imported layer version ids used (kind slug → id), JSON.
    pub layers: serde_json::Value,
    /// The production-scale table used
    /// ([`minplan_domain::review::config::ScaleTable`] as JSON).
    pub scales: serde_json::Value,
    /// The plans on file R14 read
    /// (`minplan_domain::review::rules::r14_three_simultaneities::PlansOnFile` as JSON);
    /// `Null` when the record was not consulted.
    pub plans: serde_json::Value,
    /// Who ran it.
    pub actor: &'a Actor,
    /// The [`Store::engine_inputs_version`] the review was computed at; the save is refused
    /// ([`StoreError::Stale`]) when the store has moved on. `None`: not checked.
    pub inputs_version: Option<i64>,
}

/// A stored review, summarised for lists.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReviewSummary {
    /// Row id.
    pub id: i64,
    /// 申请编号.
    pub application_number: String,
    /// 项目名称.
    pub project_name: String,
    /// 申请人.
    pub holder_name: String,
    /// 申请人的统一社会信用代码 (a 矿山企业 account sees only its own reviews).
    pub credit_code: String,
    /// 申请类型.
    pub kind: String,
    /// Conclusion.
    pub conclusion: String,
    /// When.
    pub reviewed_at: String,
    /// Who.
    pub actor: String,
    /// The review it supersedes.
    pub supersedes_id: Option<i64>,
    /// Whether a later review of the same application supersedes it.
    pub superseded: bool,
    /// Plan version id.
    pub plan_version_id: i64,
}

/// A stored review with its inputs.
#[derive(Debug, Clone)]
pub struct ReviewRecord {
    /// Summary.
    pub summary: ReviewSummary,
    /// The application file.
    pub input_toml: String,
    /// The corner file.
    pub input_corners: Option<Vec<u8>>,
    /// The corner file's name.
    pub corner_file_name: Option<String>,
    /// Register snapshot.
    pub register: serde_json::Value,
    /// Lists snapshot.
    pub lists: serde_json::Value,
    /// Layer versions used.
    pub layers: serde_json::Value,
    /// The parameters used ([`minplan_domain::review::config::ReviewConfig`] as JSON).
    pub config: serde_json::Value,
    /// The production-scale table used ([`minplan_domain::review::config::ScaleTable`] as
    /// JSON); `Null` for reviews stored before it was recorded (they used the built-in one).
    pub scales: serde_json::Value,
    /// The plans on file R14 read; `Null` for reviews stored before 0023 (R14 then read the
    /// application form only).
    pub plans: serde_json::Value,
    /// The review as produced.
    pub result: serde_json::Value,
}

impl ReviewRecord {
    /// The redaction of other parties' particulars for the applicant with
    /// 统一社会信用代码 `credit_code` viewing this review
    /// ([`minplan_domain::review::redact::Redaction::for_holder`]), from the register snapshot
    /// the review was made on.
    ///
    /// # Errors
    /// [`StoreError::Internal`] when the stored register snapshot cannot be read (nothing is
    /// shown rather than another company's particulars).
    pub fn redaction_for_holder(
        &self,
        credit_code: &str,
    ) -> Result<minplan_domain::review::redact::Redaction> {
        let register: Vec<minplan_domain::rights::MiningRight> =
            serde_json::from_value(self.register.clone())
                .map_err(|e| StoreError::Internal(format!("审查记录的登记簿快照无法读取：{e}")))?;
        let app = &self.result["application"];
        let own: Vec<&str> = ["number", "project_name", "holder_name"]
            .iter()
            .filter_map(|k| app[*k].as_str())
            .collect();
        Ok(minplan_domain::review::redact::Redaction::for_holder(
            &register,
            credit_code,
            &self.summary.application_number,
            &own,
        ))
    }
}

fn summary(r: &sqlx::sqlite::SqliteRow) -> ReviewSummary {
    let s = |k: &str| {
        r.try_get::<Option<String>, _>(k)
            .ok()
            .flatten()
            .unwrap_or_default()
    };
    ReviewSummary {
        id: r.get("id"),
        application_number: r.get("application_number"),
        project_name: s("project_name"),
        holder_name: s("holder_name"),
        credit_code: s("credit_code"),
        kind: s("kind"),
        conclusion: r.get("conclusion"),
        reviewed_at: r.get("reviewed_at"),
        actor: r.get("actor"),
        supersedes_id: r.get("supersedes_id"),
        superseded: r.get::<i64, _>("superseded") != 0,
        plan_version_id: r.get("plan_version_id"),
    }
}

/// The application's names a list shows, taken out of the stored result by SQLite, and
/// whether a later review supersedes it (an index lookup, migration 0026).
macro_rules! listed_fields {
    () => {
        "json_extract(r.result_json, '$.application.project_name') AS project_name,
     json_extract(r.result_json, '$.application.holder_name') AS holder_name,
     json_extract(r.result_json, '$.application.credit_code') AS credit_code,
     json_extract(r.result_json, '$.application.kind') AS kind,
     EXISTS (SELECT 1 FROM reviews s WHERE s.supersedes_id = r.id) AS superseded"
    };
}

/// A review's listed fields: the columns and `listed_fields!` (a list never carries the
/// stored inputs and snapshots).
const SUMMARY_SELECT: &str = concat!(
    "SELECT r.id, r.application_number, r.conclusion, r.reviewed_at, r.actor, r.supersedes_id, r.plan_version_id, ",
    listed_fields!(),
    " FROM reviews r"
);

/// A whole review: every column, and `listed_fields!`.
const SELECT: &str = concat!("SELECT r.*, ", listed_fields!(), " FROM reviews r");

impl Store {
    /// Stores a review (one transaction): claims its 受理号 (`settings::claim_intake_number`:
    /// refused when another applicant's), registers the application as 在审 if new, links the
    /// review to the one it supersedes, and makes it the application's latest.
    ///
    /// Returns the review's id and the [`Store::engine_inputs_version`] the save left.
    ///
    /// # Errors
    /// [`StoreError::Invalid`] (field `number`) for another applicant's number;
    /// [`StoreError::Stale`] when [`ReviewInput::inputs_version`] is given and the store's
    /// version differs (checked inside the write transaction); [`StoreError::Db`].
    pub async fn save_review(
        &self,
        review: &ConformityReview,
        input: &ReviewInput<'_>,
    ) -> Result<(i64, i64, String)> {
        let number = &review.application.number;
        let result_json =
            serde_json::to_string(review).map_err(|e| StoreError::BadInput(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        const VERSION: &str = "SELECT version FROM engine_inputs WHERE id = 1";
        if let Some(expected) = input.inputs_version
            && sqlx::query_scalar::<_, i64>(VERSION)
                .fetch_one(&mut *tx)
                .await?
                != expected
        {
            return Err(StoreError::Stale(
                "审查期间登记簿或图层已被另一进程修改（如命令行保存了审查或导入了数据）；未保存，请重新审查".into(),
            ));
        }
        crate::settings::claim_intake_number(
            &mut tx,
            number,
            &review.application.credit_code.to_string(),
            &review.application.holder_name,
        )
        .await?;
        let inserted = sqlx::query("INSERT INTO applications (number, status, created_at) VALUES (?, '在审', ?) ON CONFLICT (number) DO NOTHING")
            .bind(number)
            .bind(&review.reviewed_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if inserted == 1 {
            audit::append(
                &mut tx,
                &AuditEntry {
                    actor: input.actor,
                    action: "application.register",
                    entity_type: "application",
                    entity_id: number.clone(),
                    before: None,
                    after: Some(serde_json::json!({ "status": "在审", "project_name": review.application.project_name, "holder_name": review.application.holder_name })),
                },
            )
            .await?;
        }
        // An application 退回 (returned to be corrected) and reviewed again under its number is
        // accepted anew: pending again, its closing cleared, with its own audit row.
        let reopened = sqlx::query(
            "UPDATE applications SET status = '在审', closed_on = NULL, closed_reason = NULL WHERE number = ? AND status = '退回'",
        )
        .bind(number)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if reopened == 1 {
            audit::append(
                &mut tx,
                &AuditEntry {
                    actor: input.actor,
                    action: "application.reopen",
                    entity_type: "application",
                    entity_id: number.clone(),
                    before: Some(serde_json::json!({ "status": "退回" })),
                    after: Some(serde_json::json!({ "status": "在审" })),
                },
            )
            .await?;
        }
        let previous: Option<i64> =
            sqlx::query_scalar("SELECT latest_review_id FROM applications WHERE number = ?")
                .bind(number)
                .fetch_one(&mut *tx)
                .await?;
        // Each distinct register entry and page once (migration 0030); the review lists its
        // pages.
        let (pages, written) =
            register_snapshot::write(&mut tx, &self.stored_digests, &input.register).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO reviews (application_number, supersedes_id, plan_version_id, input_toml, input_corners, corner_file_name, layers_json, register_json, register_pages, lists_json, config_json, scales_json, result_json, conclusion, geometry_json, reviewed_at, actor, plans_json)
             VALUES (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(number)
        .bind(previous)
        .bind(review.plan.version_id)
        .bind(input.input_toml)
        .bind(input.input_corners)
        .bind(input.corner_file_name)
        .bind(input.layers.to_string())
        .bind(pages)
        .bind(input.lists.to_string())
        .bind(serde_json::to_string(&review.config).unwrap_or_default())
        .bind(input.scales.to_string())
        .bind(&result_json)
        .bind(review.conclusion.label())
        .bind(serde_json::to_string(&review.application_geometry).unwrap_or_else(|_| "[]".into()))
        .bind(&review.reviewed_at)
        .bind(input.actor.label())
        .bind((!input.plans.is_null()).then(|| input.plans.to_string()))
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE applications SET latest_review_id = ?, declared_area = ? WHERE number = ?",
        )
        .bind(id)
        .bind(review.application.declared_area.as_deref())
        .bind(number)
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            &AuditEntry {
                actor: input.actor,
                action: "review.create",
                entity_type: "review",
                entity_id: id.to_string(),
                before: previous.map(|p| serde_json::json!({ "application_number": number, "latest_review_id": p })),
                after: Some(serde_json::json!({
                    "application_number": number, "latest_review_id": id, "supersedes_id": previous,
                    "conclusion": review.conclusion.label(), "plan_version_id": review.plan.version_id,
                })),
            },
        )
        .await?;
        let after: i64 = sqlx::query_scalar(VERSION).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        self.stored_digests.committed(written);
        Ok((id, after, result_json))
    }

    /// Stored reviews, newest first; `application` filters by number.
    ///
    /// # Errors
    /// [`StoreError::Db`].
    pub async fn list_reviews(&self, application: Option<&str>) -> Result<Vec<ReviewSummary>> {
        let rows = match application {
            Some(a) => {
                sqlx::query(&format!(
                    "{SUMMARY_SELECT} WHERE r.application_number = ? ORDER BY r.id DESC"
                ))
                .bind(a)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!("{SUMMARY_SELECT} ORDER BY r.id DESC"))
                    .fetch_all(&self.pool)
                    .await?
            }
        };
        Ok(rows.iter().map(summary).collect())
    }

    /// One stored review with its inputs.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn review_record(&self, id: i64) -> Result<ReviewRecord> {
        let r = sqlx::query(&format!("{SELECT} WHERE r.id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("没有编号为 {id} 的审查记录")))?;
        let json = |col: &str| {
            serde_json::from_str(&r.get::<String, _>(col)).unwrap_or(serde_json::Value::Null)
        };
        let register = match r.get::<Option<Vec<u8>>, _>("register_pages") {
            Some(pages) => register_snapshot::read(&self.pool, id, &pages).await?,
            None => json("register_json"),
        };
        Ok(ReviewRecord {
            summary: summary(&r),
            input_toml: r.get("input_toml"),
            input_corners: r.get("input_corners"),
            corner_file_name: r.get("corner_file_name"),
            register,
            lists: json("lists_json"),
            layers: json("layers_json"),
            config: json("config_json"),
            scales: r
                .get::<Option<String>, _>("scales_json")
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or(serde_json::Value::Null),
            plans: r
                .get::<Option<String>, _>("plans_json")
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or(serde_json::Value::Null),
            result: json("result_json"),
        })
    }
}
