//! 执法检查人员名录库 (with 回避 relations), 抽查事项清单 and 随机抽查对象库: lists, add and
//! edit forms. Every write is audited and bumps the library's version (the store).

use super::refused;
use crate::AppState;
use crate::http::auth::{actor, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::FormData;
use crate::http::views::{Layout, layout};
use crate::http::words::beijing;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::application::RightKind;
use minplan_domain::date::Date;
use minplan_domain::supervision::library::{InspectionItem, InspectionMethod, Recusal};
use minplan_store::inspections::{InspectorInput, InspectorRecord, ItemRecord};
use std::collections::HashMap;

/// Candidates per page of the 随机抽查对象库.
pub const CANDIDATES_PER_PAGE: usize = 50;

#[derive(Template)]
#[template(path = "inspection_inspectors.html")]
struct InspectorsPage {
    layout: Layout,
    inspectors: Vec<InspectorRecord>,
    version: i64,
    errors: Vec<String>,
    notice: String,
    form: InspectorInput,
}

#[derive(Template)]
#[template(path = "inspection_inspector.html")]
struct InspectorPage {
    layout: Layout,
    rec: InspectorRecord,
    form: InspectorInput,
    errors: Vec<String>,
    notice: String,
    updated: String,
}

fn input_of(form: &FormData) -> InspectorInput {
    InspectorInput {
        name: form.get("name").trim().to_string(),
        badge_no: form.get("badge_no").trim().to_string(),
        unit: form.get("unit").trim().to_string(),
        active: form.get("active") == "1",
        username: form.get("username").trim().to_string(),
    }
}

async fn inspectors_render(
    st: &AppState,
    status: StatusCode,
    errors: Vec<String>,
    notice: String,
    form: InspectorInput,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let p = InspectorsPage {
        layout: layout(&sp, "inspections"),
        inspectors: st.store.inspectors().await?,
        version: st.store.library_versions().await?.inspectors,
        errors,
        notice,
        form,
    };
    Ok((status, Html(p.render()?)).into_response())
}

/// `GET /inspections/inspectors`: the 执法检查人员名录库 and the form to add one.
pub async fn inspectors_page(
    State(st): State<AppState>,
    _: RequireRole<policy::ManageInspections>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let form = InspectorInput {
        active: true,
        ..InspectorInput::default()
    };
    let notice = q.get("saved").cloned().unwrap_or_default();
    inspectors_render(&st, StatusCode::OK, vec![], notice, form).await
}

/// `POST /inspections/inspectors` (form `name`, `badge_no`, `unit`, `active` = 1, `username`):
/// adds an inspector (303 to the inspector's page), or the list again with every problem
/// (422), nothing written.
pub async fn inspector_create(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageInspections>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    let input = input_of(&form);
    match st.store.create_inspector(&input, &actor(&user)).await {
        Ok(id) => {
            Ok(Redirect::to(&format!("/inspections/inspectors/{id}?saved=1")).into_response())
        }
        Err(e) => {
            let errors = refused(e)?;
            inspectors_render(
                &st,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                String::new(),
                input,
            )
            .await
        }
    }
}

async fn inspector_render(
    st: &AppState,
    id: i64,
    status: StatusCode,
    errors: Vec<String>,
    notice: String,
    form: Option<InspectorInput>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let rec = st.store.inspector(id).await?;
    let form = form.unwrap_or_else(|| InspectorInput {
        name: rec.inspector.name.clone(),
        badge_no: rec.inspector.badge_no.clone(),
        unit: rec.inspector.unit.clone(),
        active: rec.inspector.active,
        username: rec.username.clone().unwrap_or_default(),
    });
    let p = InspectorPage {
        layout: layout(&sp, "inspections"),
        updated: beijing(&rec.updated_at),
        rec,
        form,
        errors,
        notice,
    };
    Ok((status, Html(p.render()?)).into_response())
}

/// `GET /inspections/inspectors/{id}`: one inspector, the edit form and the 回避 relations.
pub async fn inspector_page(
    State(st): State<AppState>,
    _: RequireRole<policy::ManageInspections>,
    Path(id): Path<i64>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = if q.contains_key("saved") {
        "已保存".to_string()
    } else {
        String::new()
    };
    inspector_render(&st, id, StatusCode::OK, vec![], notice, None).await
}

/// `POST /inspections/inspectors/{id}`: changes the inspector (303), or the page with every
/// problem (422).
pub async fn inspector_update(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageInspections>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    let input = input_of(&form);
    match st.store.update_inspector(id, &input, &actor(&user)).await {
        Ok(()) => {
            Ok(Redirect::to(&format!("/inspections/inspectors/{id}?saved=1")).into_response())
        }
        Err(e) => {
            let errors = refused(e)?;
            inspector_render(
                &st,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                String::new(),
                Some(input),
            )
            .await
        }
    }
}

/// `POST /inspections/inspectors/{id}/recusals` (form `kind` = holder / town / relative,
/// `value`, `note`): records a 回避 relation (303), or the page with the problem (422).
pub async fn recusal_add(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageInspections>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    let Some(r) = Recusal::from_parts(form.get("kind"), form.get("value")) else {
        return inspector_render(
            &st,
            id,
            StatusCode::UNPROCESSABLE_ENTITY,
            vec!["请选择回避关系的类型（矿业权人、乡镇或近亲属所在企业）".into()],
            String::new(),
            None,
        )
        .await;
    };
    match st
        .store
        .add_recusal(id, &r, form.get("note"), &actor(&user))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/inspections/inspectors/{id}?saved=1")).into_response()),
        Err(e) => {
            let errors = refused(e)?;
            inspector_render(
                &st,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                String::new(),
                None,
            )
            .await
        }
    }
}

/// `POST /inspections/recusals/{id}/remove` (form `inspector`): removes a 回避 relation (303
/// back to the inspector).
pub async fn recusal_remove(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageInspections>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = FormData::parse(&body);
    st.store.remove_recusal(id, &actor(&user)).await?;
    let back = form.get("inspector").parse::<i64>().map_or_else(
        |_| "/inspections/inspectors".to_string(),
        |i| format!("/inspections/inspectors/{i}?saved=1"),
    );
    Ok(Redirect::to(&back).into_response())
}

/// The item form's values.
struct ItemForm {
    code: String,
    name: String,
    legal_basis: String,
    proportion_pct: String,
    frequency: String,
    method: String,
    exploration: bool,
    mining: bool,
    active: bool,
}

impl ItemForm {
    fn blank() -> ItemForm {
        ItemForm {
            code: String::new(),
            name: String::new(),
            legal_basis: String::new(),
            proportion_pct: String::new(),
            frequency: "每年一次".into(),
            method: "onsite".into(),
            exploration: true,
            mining: true,
            active: true,
        }
    }

    fn of(r: &ItemRecord) -> ItemForm {
        ItemForm {
            code: r.item.code.clone(),
            name: r.item.name.clone(),
            legal_basis: r.item.legal_basis.clone(),
            proportion_pct: crate::http::views::num(r.item.proportion_pct),
            frequency: r.item.frequency.clone(),
            method: r.item.method.code().into(),
            exploration: r.item.right_kinds.contains(&RightKind::Exploration),
            mining: r.item.right_kinds.contains(&RightKind::Mining),
            active: r.active,
        }
    }

    fn read(form: &FormData) -> ItemForm {
        ItemForm {
            code: form.get("code").trim().into(),
            name: form.get("name").trim().into(),
            legal_basis: form.get("legal_basis").trim().into(),
            proportion_pct: form.get("proportion_pct").trim().into(),
            frequency: form.get("frequency").trim().into(),
            method: form.get("method").into(),
            exploration: form.get("kind_exploration") == "1",
            mining: form.get("kind_mining") == "1",
            active: form.get("active") == "1",
        }
    }

    /// The item, or the problems of the fields that do not read.
    fn item(&self) -> Result<InspectionItem, Vec<String>> {
        let mut errors = Vec::new();
        let pct = match self.proportion_pct.parse::<f64>() {
            Ok(p) => p,
            Err(_) => {
                errors.push(format!(
                    "抽查比例“{}”应为百分数（如 5 表示 5%）",
                    self.proportion_pct
                ));
                0.0
            }
        };
        let Some(method) = InspectionMethod::parse(&self.method) else {
            errors.push("请选择检查方式（现场、书面或网络）".into());
            return Err(errors);
        };
        let mut right_kinds = Vec::new();
        if self.exploration {
            right_kinds.push(RightKind::Exploration);
        }
        if self.mining {
            right_kinds.push(RightKind::Mining);
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(InspectionItem {
            code: self.code.clone(),
            name: self.name.clone(),
            legal_basis: self.legal_basis.clone(),
            proportion_pct: pct,
            frequency: self.frequency.clone(),
            method,
            right_kinds,
        })
    }
}

#[derive(Template)]
#[template(path = "inspection_items.html")]
struct ItemsPage {
    layout: Layout,
    items: Vec<ItemRecord>,
    version: i64,
    errors: Vec<String>,
    notice: String,
    form: ItemForm,
    /// `Some(id)` when editing one item.
    editing: Option<i64>,
    methods: [InspectionMethod; 3],
}

impl ItemsPage {
    fn kinds(&self, i: &InspectionItem) -> String {
        i.right_kinds
            .iter()
            .map(RightKind::label)
            .collect::<Vec<_>>()
            .join("、")
    }
}

async fn items_render(
    st: &AppState,
    status: StatusCode,
    errors: Vec<String>,
    notice: String,
    form: ItemForm,
    editing: Option<i64>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let p = ItemsPage {
        layout: layout(&sp, "inspections"),
        items: st.store.inspection_items().await?,
        version: st.store.library_versions().await?.items,
        errors,
        notice,
        form,
        editing,
        methods: InspectionMethod::ALL,
    };
    Ok((status, Html(p.render()?)).into_response())
}

/// `GET /inspections/items`: the 抽查事项清单 and the form to add an item.
pub async fn items_page(
    State(st): State<AppState>,
    _: RequireRole<policy::ManageInspections>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = if q.contains_key("saved") {
        "已保存"
    } else {
        ""
    };
    items_render(
        &st,
        StatusCode::OK,
        vec![],
        notice.into(),
        ItemForm::blank(),
        None,
    )
    .await
}

/// `GET /inspections/items/{id}`: the list with the item's edit form.
pub async fn item_page(
    State(st): State<AppState>,
    _: RequireRole<policy::ManageInspections>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let r = st.store.inspection_item(id).await?;
    items_render(
        &st,
        StatusCode::OK,
        vec![],
        String::new(),
        ItemForm::of(&r),
        Some(id),
    )
    .await
}

async fn item_save(
    st: &AppState,
    user: &minplan_store::User,
    id: Option<i64>,
    body: &[u8],
) -> Result<Response, AppError> {
    let form = ItemForm::read(&FormData::parse(body));
    let result = match form.item() {
        Err(errors) => Err(errors),
        Ok(item) => match st
            .store
            .save_inspection_item(id, &item, form.active, &actor(user))
            .await
        {
            Ok(_) => Ok(()),
            Err(e) => Err(refused(e)?),
        },
    };
    match result {
        Ok(()) => Ok(Redirect::to("/inspections/items?saved=1").into_response()),
        Err(errors) => {
            items_render(
                st,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
                String::new(),
                form,
                id,
            )
            .await
        }
    }
}

/// `POST /inspections/items` (form `code`, `name`, `legal_basis`, `proportion_pct`,
/// `frequency`, `method`, `kind_exploration`/`kind_mining` = 1, `active` = 1): adds an item
/// (303), or the list with every problem (422).
pub async fn item_create(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageInspections>,
    body: Bytes,
) -> Result<Response, AppError> {
    item_save(&st, &user, None, &body).await
}

/// `POST /inspections/items/{id}`: changes an item (303), or the form with every problem
/// (422).
pub async fn item_update(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageInspections>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Response, AppError> {
    st.store.inspection_item(id).await?;
    item_save(&st, &user, Some(id), &body).await
}

/// A row of the 随机抽查对象库 page.
struct CandidateRow {
    right_id: String,
    holder_name: String,
    credit_code: String,
    kind: &'static str,
    minerals: String,
    approval: String,
    town: String,
    standing: &'static str,
}

#[derive(Template)]
#[template(path = "inspection_candidates.html")]
struct CandidatesPage {
    layout: Layout,
    date: String,
    date_label: String,
    kind: String,
    rows: Vec<CandidateRow>,
    total: usize,
    page: usize,
    pages: usize,
    error: String,
}

/// `GET /inspections/candidates?date=YYYY-MM-DD&kind=探矿权|采矿权&page=N`: the 随机抽查对象库
/// generated from the register on the date (today when none), 50 a page.
pub async fn candidates_page(
    State(st): State<AppState>,
    _: RequireRole<policy::ManageInspections>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let text = q
        .get("date")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let (date, error) = if text.is_empty() {
        (st.today(), String::new())
    } else {
        match Date::parse(&text) {
            Ok(d) => (d, String::new()),
            Err(_) => (
                st.today(),
                format!("日期“{text}”应为 年-月-日（如 2026-03-01），下面是今天的对象库"),
            ),
        }
    };
    let kind = q.get("kind").cloned().unwrap_or_default();
    let kind_filter = RightKind::parse(&kind);
    let all: Vec<_> = st
        .store
        .candidates_on(date)
        .await?
        .into_iter()
        .filter(|c| kind_filter.is_none_or(|k| c.kind == k))
        .collect();
    let total = all.len();
    let pages = total.div_ceil(CANDIDATES_PER_PAGE).max(1);
    let page = q
        .get("page")
        .and_then(|p| p.parse::<usize>().ok())
        .unwrap_or(1)
        .clamp(1, pages);
    let rows = all
        .into_iter()
        .skip((page - 1) * CANDIDATES_PER_PAGE)
        .take(CANDIDATES_PER_PAGE)
        .map(|c| CandidateRow {
            right_id: c.right_id,
            holder_name: c.holder_name,
            credit_code: c.credit_code.unwrap_or_else(|| "未登记".into()),
            kind: c.kind.label(),
            minerals: c.minerals.join("、"),
            approval: c.approval.unwrap_or_else(|| "未载明".into()),
            town: c.town.unwrap_or_else(|| "未登记".into()),
            standing: c.credit_standing.label(),
        })
        .collect();
    let p = CandidatesPage {
        layout: layout(&sp, "inspections"),
        date: date.to_string(),
        date_label: date.chinese(),
        kind: kind_filter
            .map(|k| k.label().to_string())
            .unwrap_or_default(),
        rows,
        total,
        page,
        pages,
        error,
    };
    Ok(Html(p.render()?).into_response())
}
