//! Reading an application's 联合审查 record (migration 0019) inside any connection or
//! transaction: what the joint review's writes (module `joint_review`) leave and what the
//! grant (`Store::record_grant`, module `lifecycle`) reads inside its transaction. A leaf: it
//! uses neither.

use crate::Result;
use minplan_domain::date::Date;
use minplan_domain::register::Problem;
use minplan_domain::register::joint_review::{
    self, AdjustedExtent, Consent, Department, DepartmentAnswer, JointReview, Opinion, ReReview,
    SiteVisit,
};
use minplan_domain::review::Conclusion;
use sqlx::{Row, Sqlite, Transaction};

fn date_col(r: &sqlx::sqlite::SqliteRow, c: &str) -> Option<Date> {
    r.get::<Option<String>, _>(c)
        .and_then(|s| Date::parse(&s).ok())
}

/// Reads an application's joint review (inside `exec`); `None` when none was started.
pub(crate) async fn load_on(
    exec: &mut sqlx::SqliteConnection,
    number: &str,
) -> Result<Option<JointReview>> {
    let Some(row) = sqlx::query("SELECT * FROM joint_reviews WHERE application_number = ?")
        .bind(number)
        .fetch_optional(&mut *exec)
        .await?
    else {
        return Ok(None);
    };
    let deps = sqlx::query(
        "SELECT * FROM joint_review_departments WHERE application_number = ? ORDER BY position",
    )
    .bind(number)
    .fetch_all(&mut *exec)
    .await?;
    let attachments: Vec<(String, String)> = sqlx::query_as(
        "SELECT department, file_name FROM joint_review_files WHERE application_number = ? AND kind = 'attachment' AND current = 1",
    )
    .bind(number)
    .fetch_all(&mut *exec)
    .await?;
    let photos: Vec<String> = sqlx::query_scalar(
        "SELECT file_name FROM joint_review_files WHERE application_number = ? AND kind = 'photo' AND current = 1 ORDER BY id",
    )
    .bind(number)
    .fetch_all(&mut *exec)
    .await?;
    let departments = deps
        .iter()
        .map(|d| {
            let name: String = d.get("department");
            let answer = d
                .get::<Option<String>, _>("opinion")
                .and_then(|o| Opinion::parse(&o))
                .map(|opinion| DepartmentAnswer {
                    opinion,
                    conditions: d.get("conditions"),
                    date: date_col(d, "answered_on").unwrap_or_else(|| Date::start_of_year(1970)),
                    attachment: attachments
                        .iter()
                        .find(|(dep, _)| *dep == name)
                        .map(|(_, f)| f.clone()),
                });
            Department { name, answer }
        })
        .collect();
    let site_visit = date_col(&row, "visited_on").map(|date| SiteVisit {
        date,
        people: row
            .get::<Option<String>, _>("visit_people")
            .unwrap_or_default(),
        findings: row
            .get::<Option<String>, _>("visit_findings")
            .unwrap_or_default(),
        photos,
    });
    let adjusted = row
        .get::<Option<String>, _>("adjusted_corners")
        .map(|corners_text| AdjustedExtent {
            corners_text,
            crs: row
                .get::<Option<i64>, _>("adjusted_crs")
                .and_then(|c| u32::try_from(c).ok()),
            base_review_id: row
                .get::<Option<i64>, _>("adjusted_base_review_id")
                .unwrap_or(0),
            date: date_col(&row, "adjusted_on").unwrap_or_else(|| Date::start_of_year(1970)),
        });
    let rereview = match &adjusted {
        None => None,
        Some(a) => sqlx::query(
            "SELECT r.id, r.conclusion, r.input_toml FROM applications ap JOIN reviews r ON r.id = ap.latest_review_id WHERE ap.number = ? AND r.id > ?",
        )
        .bind(number)
        .bind(a.base_review_id)
        .fetch_optional(&mut *exec)
        .await?
        .map(|r| ReReview {
            review_id: r.get("id"),
            conclusion: match r.get::<String, _>("conclusion").as_str() {
                "符合" => Conclusion::Conforming,
                "不符合" => Conclusion::NonConforming,
                _ => Conclusion::ConformingPendingCheck,
            },
            same_extent: joint_review::same_extent(&r.get::<String, _>("input_toml"), a),
        }),
    };
    let consent = date_col(&row, "consented_on").map(|date| Consent {
        date,
        document_number: row
            .get::<Option<String>, _>("consent_document")
            .unwrap_or_default(),
    });
    Ok(Some(JointReview {
        application: number.to_string(),
        started_on: date_col(&row, "started_on").unwrap_or_else(|| Date::start_of_year(1970)),
        departments,
        site_visit,
        adjusted,
        rereview,
        consent,
    }))
}

/// The grant's joint-review gate inside the grant's transaction: the application's record
/// read in `tx` and [`joint_review::grant_gate`]'s problems (empty when it may be granted).
pub(crate) async fn grant_problems(
    tx: &mut Transaction<'_, Sqlite>,
    facts: &minplan_domain::register::ApplicationFacts,
    grant_date: Date,
) -> Result<(Vec<Problem>, Option<JointReview>)> {
    let jr = load_on(tx, &facts.number).await?;
    Ok((
        joint_review::grant_gate(facts, jr.as_ref(), grant_date)
            .err()
            .unwrap_or_default(),
        jr,
    ))
}
