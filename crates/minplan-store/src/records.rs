//! The register and the applications as people read them (the web's 矿业权 and 工作台 pages):
//! every column of a right, including its licence dates and source, and each application
//! with its status and latest review. Read-only; the review's own view of the register is
//! [`Store::review_register`].

use crate::{Result, Store};
use minplan_domain::plan::LonLatPolygon;
use serde::Serialize;
use sqlx::Row;

/// A right as stored in the register.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RightRecord {
    /// 许可证号.
    pub id: String,
    /// 探矿权 / 采矿权.
    pub kind: String,
    /// 有效 / 已过期 / 已注销.
    pub status: String,
    /// 项目（矿山）名称.
    pub name: String,
    /// 矿业权人.
    pub holder_name: String,
    /// 统一社会信用代码.
    pub credit_code: Option<String>,
    /// Minerals.
    pub minerals: Vec<String>,
    /// 生产规模, value.
    pub capacity: Option<f64>,
    /// 生产规模, unit.
    pub capacity_unit: Option<String>,
    /// 省级 / 市级划定 / 本级审批.
    pub approval: Option<String>,
    /// 有效期起 (as imported, normally YYYY-MM-DD).
    pub valid_from: Option<String>,
    /// 有效期止.
    pub valid_to: Option<String>,
    /// Geometry, lon/lat.
    #[schema(value_type = Vec<Vec<Vec<[f64; 2]>>>)]
    pub geometry: Vec<LonLatPolygon>,
    /// File it was imported from.
    pub source: String,
    /// Last import, RFC 3339.
    pub updated_at: String,
}

/// An application (申请) with its latest review.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApplicationRecord {
    /// 申请编号.
    pub number: String,
    /// 在审 / 已批准 / 已登记 (approved and used for the register) / 不予批准 / 不予受理 /
    /// 退回 / 撤回 ([`minplan_domain::register::shown_status`]).
    pub status: String,
    /// When it was first reviewed (RFC 3339).
    pub created_at: String,
    /// Latest review id.
    pub latest_review_id: Option<i64>,
    /// Conclusion of the latest review.
    pub conclusion: Option<String>,
    /// When the latest review was made.
    pub reviewed_at: Option<String>,
    /// 项目名称.
    pub project_name: String,
    /// 申请人.
    pub holder_name: String,
    /// 统一社会信用代码.
    pub credit_code: String,
    /// 受理日期 as written in the application (YYYY-MM-DD), if any.
    pub received: Option<String>,
    /// 申报面积 as written in the application of the latest review (`0.6752`, `67.52公顷`…;
    /// a bare number is km²), if any; it agreed with the corners' ellipsoidal area.
    pub declared_area: Option<String>,
    /// 探矿权 / 采矿权.
    pub right_kind: String,
    /// 申请类型.
    pub kind: String,
    /// Minerals.
    pub minerals: Vec<String>,
    /// Geometry of the latest review, lon/lat.
    #[schema(value_type = Vec<Vec<Vec<[f64; 2]>>>)]
    pub geometry: Vec<LonLatPolygon>,
}

/// A right's status as of `today` in SQL over the `rights` table: a stored 有效 whose 有效期止
/// (`YYYY-MM-DD`) is before `today` reads 已过期, as [`Store::list_rights`] reads it — so that
/// the list shows, filters and sorts the status the review and the reminders use.
pub(crate) fn status_sql(today: minplan_domain::date::Date) -> String {
    format!(
        "(CASE WHEN status = '有效' AND valid_to IS NOT NULL AND valid_to <> '' AND valid_to < '{today}' THEN '已过期' ELSE status END)"
    )
}

/// A stored status as of `today` (see [`status_sql`]).
fn status_on(stored: String, valid_to: Option<&str>, today: minplan_domain::date::Date) -> String {
    let past = valid_to
        .and_then(|t| minplan_domain::date::Date::parse(t).ok())
        .is_some_and(|t| t < today);
    if stored == "有效" && past {
        "已过期".into()
    } else {
        stored
    }
}

pub(crate) fn right_record(r: &sqlx::sqlite::SqliteRow) -> RightRecord {
    let valid_to: Option<String> = r.get("valid_to");
    RightRecord {
        id: r.get("id"),
        kind: r.get("kind"),
        status: status_on(r.get("status"), valid_to.as_deref(), crate::today()),
        name: r.get("name"),
        holder_name: r.get("holder_name"),
        credit_code: r.get("credit_code"),
        minerals: serde_json::from_str(&r.get::<String, _>("minerals_json")).unwrap_or_default(),
        capacity: r.get("capacity"),
        capacity_unit: r.get("capacity_unit"),
        approval: r.get("approval"),
        valid_from: r.get("valid_from"),
        valid_to,
        geometry: serde_json::from_str(&r.get::<String, _>("geometry_json")).unwrap_or_default(),
        source: r.get("source"),
        updated_at: r.get("updated_at"),
    }
}

impl Store {
    /// Every right in the register, by licence number.
    ///
    /// # Errors
    /// [`crate::StoreError::Db`].
    pub async fn right_records(&self) -> Result<Vec<RightRecord>> {
        let rows = sqlx::query("SELECT * FROM rights ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(right_record).collect())
    }

    /// One right.
    ///
    /// # Errors
    /// [`crate::StoreError::NotFound`].
    pub async fn right_record(&self, id: &str) -> Result<RightRecord> {
        sqlx::query("SELECT * FROM rights WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .map(|r| right_record(&r))
            .ok_or_else(|| crate::StoreError::NotFound(format!("登记簿中没有矿业权“{id}”")))
    }

    /// Every application with its latest review, newest first.
    ///
    /// # Errors
    /// [`crate::StoreError::Db`].
    pub async fn application_records(&self) -> Result<Vec<ApplicationRecord>> {
        let rows = sqlx::query(&format!(
            "{APPLICATION_SELECT} ORDER BY a.created_at DESC, a.number"
        ))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(application_record).collect())
    }

    /// The applications whose stored status is `status` (`ApplicationStatus::label`: 在审,
    /// 已批准 — approved ones, used for the register or not — …), newest first:
    /// [`Store::application_records`] filtered in SQL, so that the 工作台, the 矿业权 page and
    /// the reminders read the few they show, not every application ever filed (12,300 closed
    /// applications: `/workbench` 198 → 5 ms, BENCHMARKS.md).
    ///
    /// # Errors
    /// [`crate::StoreError::Db`].
    pub async fn application_records_in(&self, status: &str) -> Result<Vec<ApplicationRecord>> {
        let rows = sqlx::query(&format!(
            "{APPLICATION_SELECT} WHERE a.status = ? ORDER BY a.created_at DESC, a.number"
        ))
        .bind(status)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.iter().map(application_record).collect())
    }

    /// The applications `numbers`, in that order (unknown numbers are left out).
    ///
    /// # Errors
    /// [`crate::StoreError::Db`].
    pub async fn application_records_of(
        &self,
        numbers: &[String],
    ) -> Result<Vec<ApplicationRecord>> {
        let mut out = Vec::with_capacity(numbers.len());
        for n in numbers {
            let row = sqlx::query(&format!("{APPLICATION_SELECT} WHERE a.number = ?"))
                .bind(n)
                .fetch_optional(&self.pool)
                .await?;
            if let Some(r) = row {
                out.push(application_record(&r));
            }
        }
        Ok(out)
    }
}

/// The application's columns and, from its latest review, the conclusion and the fields of
/// the application that the lists show: taken out by SQLite (`json_extract`) so that a list
/// never carries the stored review results themselves.
const APPLICATION_SELECT: &str = "SELECT a.number, a.status, a.used_for, a.created_at, a.latest_review_id, a.declared_area, r.conclusion, r.reviewed_at,
     json_extract(r.result_json, '$.application.project_name') AS project_name,
     json_extract(r.result_json, '$.application.holder_name') AS holder_name,
     json_extract(r.result_json, '$.application.credit_code') AS credit_code,
     json_extract(r.result_json, '$.application.received') AS received,
     json_extract(r.result_json, '$.application.right_kind') AS right_kind,
     json_extract(r.result_json, '$.application.kind') AS kind,
     json_extract(r.result_json, '$.application.minerals') AS minerals,
     r.geometry_json
     FROM applications a LEFT JOIN reviews r ON r.id = a.latest_review_id";

fn application_record(r: &sqlx::sqlite::SqliteRow) -> ApplicationRecord {
    let text = |k: &str| r.try_get::<Option<String>, _>(k).ok().flatten();
    let s = |k: &str| text(k).unwrap_or_default();
    let minerals: serde_json::Value = text("minerals")
        .and_then(|m| serde_json::from_str(&m).ok())
        .unwrap_or_default();
    ApplicationRecord {
        number: r.get("number"),
        status: shown(
            &r.get::<String, _>("status"),
            r.get::<Option<String>, _>("used_for").is_some(),
        ),
        created_at: r.get("created_at"),
        latest_review_id: r.get("latest_review_id"),
        conclusion: r.get("conclusion"),
        reviewed_at: r.get("reviewed_at"),
        project_name: s("project_name"),
        holder_name: s("holder_name"),
        credit_code: s("credit_code"),
        received: text("received"),
        declared_area: r.get("declared_area"),
        right_kind: s("right_kind"),
        kind: s("kind"),
        minerals: crate::records::strings(&minerals),
        geometry: r
            .get::<Option<String>, _>("geometry_json")
            .and_then(|g| serde_json::from_str(&g).ok())
            .unwrap_or_default(),
    }
}

/// A stored application status as people read it: 已登记 for an approved application used
/// for the register; an unknown stored value as it is.
fn shown(status: &str, used: bool) -> String {
    use minplan_domain::register::{ApplicationStatus, shown_status};
    match ApplicationStatus::parse(status) {
        Some(s) => shown_status(s, used).to_string(),
        None => status.to_string(),
    }
}

/// The strings of a JSON array (an application's stored `minerals`); anything else gives an
/// empty list and non-strings are skipped.
pub(crate) fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|m| m.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
