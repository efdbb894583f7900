//! The section 「矿区生态保护修复与绿色矿山」 of 规划指标 (`/indicators`), of the 工作台 of
//! 生态修复 and of `GET /api/indicators/restoration`: the year's restoration figures
//! (`Store::restoration_figures`) set against the plan's baseline and 专栏1 by the domain's
//! restoration indicators (《规划》一（一）5–6、专栏1、六（一）（二）). A figure that cannot be
//! computed shows its gap words; a reference the plan does not give shows 规划未设定.

use crate::AppState;
use crate::http::error::{ApiError, ApiResult, AppError};
use crate::plan::views::{CiteView, cite_view};
use axum::Json;
use axum::extract::{Query, State};
use minplan_domain::restoration::indicators::{RestorationIndicators, restoration_indicators};

/// The section of `year` as on 31 December, or on today while the year runs.
///
/// # Errors
/// Database errors.
///
/// The rows of the group 治理恢复基金 are for staff only (`Permission::ViewRestoration`): the
/// public learns the fund's accrual from the yearly 治理恢复基金公示, which is reviewed before
/// it is published (《规划》六（二）5 及时向社会公示), not from figures computed on the fly.
pub async fn section(st: &AppState, year: i32) -> Result<RestorationIndicators, AppError> {
    let sp = st.plan().await;
    let figures = st.store.restoration_figures(year, st.today()).await?;
    let mut s = restoration_indicators(&sp.loaded.plan, year, &figures);
    if !crate::http::context::current().can(crate::http::auth::Permission::ViewRestoration) {
        s.rows.retain(|r| r.group != FUND_GROUP);
    }
    Ok(s)
}

/// The group of the fund's rows, shown to staff only.
pub const FUND_GROUP: &str = "治理恢复基金";

/// A row as the templates show it.
pub struct RowView {
    /// Stable key (`data-key`).
    pub key: String,
    /// Group.
    pub group: String,
    /// Name.
    pub name: String,
    /// Whether its value comes from schematic entries (the 示意 badge).
    pub schematic: bool,
    /// Unit.
    pub unit: String,
    /// What the reference is (基期值, 专栏1 上轮规划目标, 应提取额), empty with none.
    pub reference_kind: String,
    /// The reference, or 规划未设定 / the gap words.
    pub reference: String,
    /// The value, or the gap words.
    pub value: String,
    /// Whether there is no value (shown as a gap).
    pub missing: bool,
    /// Completion, or 无法判定, or empty.
    pub completion: String,
    /// Remark.
    pub note: String,
    /// Where the plan gives the reference (empty label when nowhere).
    pub cite: CiteView,
}

/// The section as the templates show it.
pub struct SectionView {
    /// The year.
    pub year: i32,
    /// The rows.
    pub rows: Vec<RowView>,
    /// Whether the 示意 mark applies.
    pub schematic: bool,
    /// Whether the fund's rows were left out (a viewer who is not staff).
    pub fund_withheld: bool,
}

/// The view of `s` for `plan`.
pub fn view(plan: &minplan_domain::Plan, s: &RestorationIndicators) -> SectionView {
    SectionView {
        fund_withheld: !s.rows.iter().any(|r| r.group == FUND_GROUP),
        year: s.year,
        schematic: s.schematic,
        rows: s
            .rows
            .iter()
            .map(|r| RowView {
                key: r.key.clone(),
                group: r.group.clone(),
                name: r.name.clone(),
                schematic: r.schematic,
                unit: r.unit.clone(),
                reference_kind: r.reference.kind.clone(),
                reference: r.reference.label.clone(),
                value: r.value_label.clone(),
                missing: r.value.is_none(),
                completion: r.completion.clone(),
                note: r.note.clone(),
                cite: r.citation.as_ref().map_or(
                    CiteView {
                        label: String::new(),
                        href: String::new(),
                        excerpt: String::new(),
                        checked: true,
                    },
                    |c| cite_view(plan, c),
                ),
            })
            .collect(),
    }
}

/// The section's view of `year` for the pages.
///
/// # Errors
/// Database errors.
pub async fn section_view(st: &AppState, year: i32) -> Result<SectionView, AppError> {
    let sp = st.plan().await;
    let s = section(st, year).await?;
    Ok(view(&sp.loaded.plan, &s))
}

/// `GET /api/indicators/restoration?year=Y`: the restoration indicators of a year (public, as
/// 规划指标 is).
#[utoipa::path(get, path = "/api/indicators/restoration", tag = "规划指标",
    params(("year" = Option<i32>, Query, description = "年份，缺省为上一年")),
    responses(
        (status = 200, description = "矿区生态保护修复与绿色矿山：重点治理项目（对照专栏1）、历史遗留矿山及其治理（对照基期值）、修复项目与投资、治理恢复基金应提取与已提取及差额（仅工作人员登录后可见；公众见信息公开栏目的年度公示）、边开采边治理、绿色矿山占生产矿山比例；无法计算的给出原因（无数据等），规划未给出的对照值为“规划未设定”", body = RestorationIndicators),
        (status = 400, description = "年份有误", body = ApiError),
    ))]
pub async fn api_restoration_indicators(
    State(st): State<AppState>,
    Query(q): Query<super::YearQuery>,
) -> ApiResult<Json<RestorationIndicators>> {
    let year = q.api_year()?.unwrap_or(st.today().year() - 1);
    Ok(Json(section(&st, year).await?))
}
