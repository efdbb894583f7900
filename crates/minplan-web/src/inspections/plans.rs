//! 抽查计划: create a year's plan (items with their proportions, strata, the register date,
//! inspectors per target), then 「公布承诺」 (the commitment is public from then on), 「抽取」
//! (the seed is revealed and the draw made) and 「重新抽取」 (a new commitment, with a reason);
//! the result table of targets with their items and inspectors.

use super::{confirmed, refused};
use crate::AppState;
use crate::http::auth::{actor, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::FormData;
use crate::http::views::{Layout, layout, num};
use crate::http::words::beijing;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::supervision::draw::{MIN_INSPECTORS_PER_TARGET, StrataKey};
use minplan_store::inspections::{DrawRecord, ItemRecord, PlanItem, PlanParams, PlanRecord};
use std::collections::HashMap;

/// The plan form's values.
struct PlanForm {
    year: String,
    name: String,
    register_date: String,
    strata: String,
    per_target: String,
    /// Item id → (chosen, proportion override as typed).
    items: HashMap<i64, (bool, String)>,
}

impl PlanForm {
    fn chosen(&self, id: &i64) -> bool {
        self.items.get(id).is_some_and(|i| i.0)
    }

    fn pct(&self, id: &i64) -> String {
        self.items.get(id).map(|i| i.1.clone()).unwrap_or_default()
    }
}

#[derive(Template)]
#[template(path = "inspection_plans.html")]
struct PlansPage {
    layout: Layout,
    plans: Vec<PlanRow>,
    items: Vec<ItemRecord>,
    form: PlanForm,
    strata: [StrataKey; 3],
    errors: Vec<String>,
}

struct PlanRow {
    id: i64,
    year: i32,
    name: String,
    state: String,
}

fn state_of(d: Option<&DrawRecord>) -> String {
    match d {
        None => "未公布承诺".into(),
        Some(d) if d.is_drawn() => {
            format!("已抽取（{}）", beijing(d.drawn_at.as_deref().unwrap_or("")))
        }
        Some(d) => format!("已公布承诺（{}），待抽取", beijing(&d.committed_at)),
    }
}

async fn plans_render(
    st: &AppState,
    status: StatusCode,
    errors: Vec<String>,
    form: PlanForm,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let mut plans = Vec::new();
    for p in st.store.inspection_plans().await? {
        let d = st.store.current_draw(p.id).await?;
        plans.push(PlanRow {
            id: p.id,
            year: p.year,
            name: p.name,
            state: state_of(d.as_ref()),
        });
    }
    let page = PlansPage {
        layout: layout(&sp, "inspections"),
        plans,
        items: st
            .store
            .inspection_items()
            .await?
            .into_iter()
            .filter(|i| i.active)
            .collect(),
        form,
        strata: StrataKey::ALL,
        errors,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /inspections/plans`: the 抽查计划 and the form to make one.
pub async fn plans_page(
    State(st): State<AppState>,
    _: RequireRole<policy::ManageInspections>,
) -> Result<Response, AppError> {
    let year = st.today().year();
    let form = PlanForm {
        year: year.to_string(),
        name: format!("{year}年度矿业权人勘查开采信息双随机抽查计划"),
        register_date: st.today().to_string(),
        strata: StrataKey::RightKind.code().into(),
        per_target: MIN_INSPECTORS_PER_TARGET.to_string(),
        items: HashMap::new(),
    };
    plans_render(&st, StatusCode::OK, vec![], form).await
}

/// `POST /inspections/plans` (form `year`, `name`, `register_date`, `strata`,
/// `inspectors_per_target`, and per item `item_{id}` = 1 with an optional `pct_{id}`): makes
/// the plan (303 to it), or the form with every problem (422), nothing written.
pub async fn plan_create(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageInspections>,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = FormData::parse(&body);
    let items = st.store.inspection_items().await?;
    let form = PlanForm {
        year: f.get("year").trim().into(),
        name: f.get("name").trim().into(),
        register_date: f.get("register_date").trim().into(),
        strata: f.get("strata").into(),
        per_target: f.get("inspectors_per_target").trim().into(),
        items: items
            .iter()
            .map(|i| {
                (
                    i.id,
                    (
                        f.get(&format!("item_{}", i.id)) == "1",
                        f.get(&format!("pct_{}", i.id)).trim().to_string(),
                    ),
                )
            })
            .collect(),
    };
    let mut errors = Vec::new();
    let year = form.year.parse::<i32>().unwrap_or_else(|_| {
        errors.push(format!("年度“{}”应为四位数年份", form.year));
        0
    });
    let strata = StrataKey::parse(&form.strata).unwrap_or_else(|| {
        errors.push("请选择分层方式".into());
        StrataKey::None
    });
    let per_target = form.per_target.parse::<u32>().unwrap_or_else(|_| {
        errors.push(format!("每个对象的检查人员数“{}”应为整数", form.per_target));
        0
    });
    let mut plan_items = Vec::new();
    for i in &items {
        if !form.chosen(&i.id) {
            continue;
        }
        let t = form.pct(&i.id);
        let pct = if t.is_empty() {
            None
        } else {
            match t.parse::<f64>() {
                Ok(p) => Some(p),
                Err(_) => {
                    errors.push(format!("事项 {} 的抽查比例“{t}”应为百分数", i.item.code));
                    None
                }
            }
        };
        plan_items.push(PlanItem {
            code: i.item.code.clone(),
            proportion_pct: pct,
        });
    }
    if errors.is_empty() {
        let params = PlanParams {
            register_date: form.register_date.clone(),
            strata,
            inspectors_per_target: per_target,
            items: plan_items,
        };
        match st
            .store
            .create_inspection_plan(year, &form.name, &params, &user.display_name, &actor(&user))
            .await
        {
            Ok(id) => return Ok(Redirect::to(&format!("/inspections/plans/{id}")).into_response()),
            Err(e) => errors = refused(e)?,
        }
    }
    plans_render(&st, StatusCode::UNPROCESSABLE_ENTITY, errors, form).await
}

/// A drawn target as the result table shows it.
pub struct TargetRow {
    /// 许可证号.
    pub right_id: String,
    /// 矿业权人.
    pub holder_name: String,
    /// 探矿权 / 采矿权.
    pub kind: String,
    /// Items, by name.
    pub items: String,
    /// Inspectors: 姓名（执法证号）.
    pub inspectors: String,
}

/// The result table of a draw: items by name and inspectors by name with their 执法证号 (as
/// the published inputs list them).
pub fn target_rows(pkg: &minplan_domain::supervision::draw::DrawPackage) -> Vec<TargetRow> {
    let Some(r) = &pkg.result else {
        return vec![];
    };
    let item_names: HashMap<&str, &str> = pkg
        .inputs
        .items
        .iter()
        .map(|i| (i.code.as_str(), i.name.as_str()))
        .collect();
    let names: HashMap<&str, &str> = pkg
        .inputs
        .inspectors
        .iter()
        .map(|i| (i.badge_no.as_str(), i.name.as_str()))
        .collect();
    r.targets
        .iter()
        .map(|t| TargetRow {
            right_id: t.right_id.clone(),
            holder_name: t.holder_name.clone(),
            kind: t.kind.label().into(),
            items: t
                .items
                .iter()
                .map(|c| format!("{c} {}", item_names.get(c.as_str()).unwrap_or(&"")))
                .collect::<Vec<_>>()
                .join("；"),
            inspectors: t
                .inspectors
                .iter()
                .map(|b| format!("{}（{b}）", names.get(b.as_str()).unwrap_or(&"")))
                .collect::<Vec<_>>()
                .join("、"),
        })
        .collect()
}

struct DrawRow {
    id: i64,
    committed_at: String,
    drawn_at: String,
    state: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "inspection_plan.html")]
struct PlanPage {
    layout: Layout,
    plan: PlanRecord,
    strata: &'static str,
    items: Vec<(String, String, String)>,
    current: Option<DrawRecord>,
    counts: String,
    targets: Vec<TargetRow>,
    samples: Vec<(String, String, u64, u64)>,
    draws: Vec<DrawRow>,
    errors: Vec<String>,
    notice: String,
}

async fn plan_render(
    st: &AppState,
    id: i64,
    status: StatusCode,
    errors: Vec<String>,
    notice: String,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let plan = st.store.inspection_plan(id).await?;
    let library = st.store.inspection_items().await?;
    let items = plan
        .params
        .items
        .iter()
        .map(|pi| {
            let lib = library.iter().find(|i| i.item.code == pi.code);
            let pct = pi
                .proportion_pct
                .or(lib.map(|i| i.item.proportion_pct))
                .map_or_else(|| "无法判定".to_string(), |p| format!("{}%", num(p)));
            (
                pi.code.clone(),
                lib.map_or_else(|| "（已不在清单中）".to_string(), |i| i.item.name.clone()),
                pct,
            )
        })
        .collect();
    let current = st.store.current_draw(id).await?;
    let (counts, targets, samples) = match &current {
        Some(d) => {
            let pkg = st.store.draw_package(d.id).await?;
            let counts = format!(
                "抽查对象库 {} 个矿业权，执法检查人员 {} 名（在岗 {} 名），回避对 {} 个；名录库第 {} 版，事项清单第 {} 版",
                pkg.inputs.candidates.len(),
                pkg.inputs.inspectors.len(),
                pkg.inputs.inspectors.iter().filter(|i| i.active).count(),
                pkg.inputs.exclusions.len(),
                pkg.inputs.library_versions.inspectors,
                pkg.inputs.library_versions.items,
            );
            let samples = pkg
                .result
                .as_ref()
                .map(|r| {
                    r.samples
                        .iter()
                        .map(|s| (s.item.clone(), s.stratum.clone(), s.candidates, s.drawn))
                        .collect()
                })
                .unwrap_or_default();
            (counts, target_rows(&pkg), samples)
        }
        None => (String::new(), vec![], vec![]),
    };
    let draws = st
        .store
        .draws_of(id)
        .await?
        .into_iter()
        .map(|d| DrawRow {
            id: d.id,
            committed_at: beijing(&d.committed_at),
            drawn_at: d
                .drawn_at
                .as_deref()
                .map(beijing)
                .unwrap_or_else(|| "未抽取".into()),
            state: match d.superseded_by {
                Some(_) => "已被重新抽取取代".into(),
                None if d.is_drawn() => "有效（已抽取）".into(),
                None => "有效（待抽取）".into(),
            },
            reason: d.redraw_reason.clone().unwrap_or_default(),
        })
        .collect();
    let page = PlanPage {
        layout: layout(&sp, "inspections"),
        strata: plan.params.strata.label(),
        plan,
        items,
        current,
        counts,
        targets,
        samples,
        draws,
        errors,
        notice,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /inspections/plans/{id}`: the plan, its draw's state and result, its draws.
pub async fn plan_page(
    State(st): State<AppState>,
    _: RequireRole<policy::ManageInspections>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = q.get("done").cloned().unwrap_or_default();
    plan_render(&st, id, StatusCode::OK, vec![], notice).await
}

const UNCONFIRMED: &str = "请勾选确认：这一步不能撤销";

fn back(id: i64, notice: &str) -> Response {
    Redirect::to(&format!(
        "/inspections/plans/{id}?done={}",
        crate::http::auth::percent_encode(notice)
    ))
    .into_response()
}

/// `POST /inspections/plans/{id}/commit` (form `confirm` = yes): 公布承诺 (303), or the page
/// with the reason it cannot (422).
pub async fn commit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageInspections>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    st.store.inspection_plan(id).await?;
    let form = FormData::parse(&body);
    if !confirmed(&form) {
        return plan_render(
            &st,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![UNCONFIRMED.into()],
            String::new(),
        )
        .await;
    }
    match st.store.commit_draw(id, &actor(&user)).await {
        Ok(_) => Ok(back(
            id,
            "已公布承诺：承诺值已在公开页面公布，抽取前不能更改输入",
        )),
        Err(e) => {
            let errors = refused(e)?;
            plan_render(
                &st,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                String::new(),
            )
            .await
        }
    }
}

/// `POST /inspections/plans/{id}/draw` (form `confirm` = yes): reveals the seed and draws
/// (303), or the page with the reason it cannot (422; e.g. a target without two eligible
/// inspectors — nothing written).
pub async fn run(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageInspections>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    st.store.inspection_plan(id).await?;
    let form = FormData::parse(&body);
    if !confirmed(&form) {
        return plan_render(
            &st,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![UNCONFIRMED.into()],
            String::new(),
        )
        .await;
    }
    let Some(d) = st.store.current_draw(id).await? else {
        return plan_render(
            &st,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["请先公布承诺".into()],
            String::new(),
        )
        .await;
    };
    match st.store.run_draw(d.id, &actor(&user)).await {
        Ok(r) => Ok(back(id, &format!("已抽取：{} 个抽查对象", r.targets.len()))),
        Err(e) => {
            let errors = refused(e)?;
            plan_render(
                &st,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                String::new(),
            )
            .await
        }
    }
}

/// `POST /inspections/plans/{id}/redraw` (form `reason`, `confirm` = yes): a new commitment
/// saying why, the current draw superseded (303); without a reason or confirmation the page
/// with the problem (422), nothing written.
pub async fn redraw(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageInspections>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    st.store.inspection_plan(id).await?;
    let form = FormData::parse(&body);
    if !confirmed(&form) {
        return plan_render(
            &st,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![UNCONFIRMED.into()],
            String::new(),
        )
        .await;
    }
    match st.store.redraw(id, form.get("reason"), &actor(&user)).await {
        Ok(_) => Ok(back(id, "已重新公布承诺：原抽取已被取代，其种子一并公布")),
        Err(e) => {
            let errors = refused(e)?;
            plan_render(
                &st,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                String::new(),
            )
            .await
        }
    }
}
