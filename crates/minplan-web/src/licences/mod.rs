//! 证照 (《规划》五（三）4: 证照齐全): a mine's licences besides its 采矿许可证 — 安全生产许可证,
//! 排污许可证, 取水许可证, 爆破作业单位许可证 or another named one — with their validity and
//! scanned copy, on the page `/rights/{id}/licences` of the mine's right (the right's page
//! shows them in a short section, [`section`]). 系统管理员, 审批科 and 执法监察 add and correct
//! them ([`Permission::ManageLicences`]); every logged-in account sees them, a 矿山企业 only
//! its own. `/filings/supervision` shows 执法监察 the mines that reported output without a
//! valid 安全生产许可证 and the late or missing 勘查开采信息 filings (未按期公示).

mod supervision;

use crate::AppState;
use crate::http::auth::{Permission, actor, allowed, may_see, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, SubmittedForm};
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minplan_domain::date::Date;
use minplan_domain::register::licences::{LicenceInput, LicenceKind};
use minplan_store::{LicenceAttachment, LicenceRecord, StoreError, User};
use std::collections::HashMap;

/// The routes of 证照 and of the supervision view.
pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/rights/{id}/licences", get(page).post(add_submit))
        .route("/rights/{id}/licences/{lid}", post(update_submit))
        .route(
            "/rights/{id}/licences/{lid}/attachment",
            get(attachment_download),
        )
        .route("/filings/supervision", get(supervision::page))
}

/// One licence as listed.
pub struct LicenceRow {
    /// Row id.
    pub id: i64,
    /// 安全生产许可证 … or the other licence's own name.
    pub name: String,
    /// The kind's label (for the correction form).
    pub kind: &'static str,
    /// The other licence's name, or "".
    pub other_name: String,
    /// 证号.
    pub number: String,
    /// 发证机关.
    pub issuer: String,
    /// `YYYY-MM-DD`, for the forms.
    pub valid_from: String,
    /// `YYYY-MM-DD`, for the forms.
    pub valid_to: String,
    /// `2024年6月1日 至 2027年5月31日`.
    pub validity: String,
    /// 有效 / 已过期 / 未生效 on today.
    pub state: &'static str,
    /// The attached file's name, or "".
    pub attachment: String,
    /// The attachment's SHA-256, or "".
    pub sha256: String,
}

fn row(r: &LicenceRecord, today: Date) -> LicenceRow {
    let l = &r.licence.licence;
    LicenceRow {
        id: r.licence.id,
        name: l.name(),
        kind: l.kind.label(),
        other_name: l.other_name.clone().unwrap_or_default(),
        number: l.number.clone(),
        issuer: l.issuer.clone(),
        valid_from: l.valid_from.to_string(),
        valid_to: l.valid_to.to_string(),
        validity: format!("{} 至 {}", l.valid_from.chinese(), l.valid_to.chinese()),
        state: if l.valid_on(today) {
            "有效"
        } else if today < l.valid_from {
            "未生效"
        } else {
            "已过期"
        },
        attachment: r.attachment_name.clone().unwrap_or_default(),
        sha256: l.attachment_sha256.clone().unwrap_or_default(),
    }
}

/// What a right's page shows of its mine's licences.
pub struct Section {
    /// The right has a mine (a mining right registered or imported with one).
    pub has_mine: bool,
    /// The licences.
    pub rows: Vec<LicenceRow>,
    /// `安全生产许可证：有效（至 2027年5月31日）` / `无有效安全生产许可证`; "" without a mine.
    pub safety: String,
    /// Whether the safety line is a warning.
    pub safety_missing: bool,
    /// The viewer may add and correct.
    pub can_edit: bool,
}

/// The mine of right `id` with its name, when it has one.
async fn mine_of(st: &AppState, id: &str) -> Result<Option<(i64, String)>, AppError> {
    let h = match st.store.right_history(id).await {
        Ok(h) => h,
        Err(StoreError::NotFound(_)) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let Some(mine) = h.current().mine_id else {
        return Ok(None);
    };
    let name = st
        .store
        .mines()
        .await?
        .into_iter()
        .find(|m| m.id == mine)
        .map(|m| m.name)
        .unwrap_or_default();
    Ok(Some((mine, name)))
}

fn safety_line(rows: &[LicenceRow], has_mine: bool) -> (String, bool) {
    if !has_mine {
        return (String::new(), false);
    }
    match rows
        .iter()
        .filter(|r| r.kind == LicenceKind::SafetyProduction.label() && r.state == "有效")
        .max_by(|a, b| a.valid_to.cmp(&b.valid_to))
    {
        Some(r) => (format!("安全生产许可证：有效（{}）", r.validity), false),
        None => (
            "无有效的安全生产许可证：不得生产（《规划》五（三）4 证照齐全）".into(),
            true,
        ),
    }
}

/// The 证照 section of right `id`'s page for `user` (who may see the right: the caller checked).
///
/// # Errors
/// [`AppError`] from the store.
pub async fn section(st: &AppState, user: &User, id: &str) -> Result<Section, AppError> {
    let today = st.today();
    let mine = mine_of(st, id).await?;
    let rows: Vec<LicenceRow> = match &mine {
        Some((m, _)) => st
            .store
            .licences(Some(*m))
            .await?
            .iter()
            .map(|r| row(r, today))
            .collect(),
        None => vec![],
    };
    let (safety, safety_missing) = safety_line(&rows, mine.is_some());
    Ok(Section {
        has_mine: mine.is_some(),
        rows,
        safety,
        safety_missing,
        can_edit: allowed(Some(user.role), Permission::ManageLicences),
    })
}

/// The right `id` if `user` may see it, else 404 (a 矿山企业 is not told another's exists).
async fn visible_right(
    st: &AppState,
    user: &User,
    id: &str,
) -> Result<minplan_store::RightRecord, AppError> {
    let r = match st.store.right_record(id).await {
        Ok(r) => r,
        Err(StoreError::NotFound(m)) => return Err(AppError::NotFound(m)),
        Err(e) => return Err(e.into()),
    };
    if !may_see(user, r.credit_code.as_deref()) {
        return Err(AppError::NotFound(format!("登记簿中没有矿业权“{id}”")));
    }
    Ok(r)
}

/// A submitted licence form as typed, to show again.
#[derive(Default)]
struct Typed {
    kind: String,
    other_name: String,
    number: String,
    issuer: String,
    valid_from: String,
    valid_to: String,
}

#[derive(Template)]
#[template(path = "licences.html")]
struct LicencesPage {
    layout: Layout,
    right_id: String,
    enc: String,
    right_name: String,
    holder: String,
    mine_name: String,
    has_mine: bool,
    rows: Vec<LicenceRow>,
    safety: String,
    safety_missing: bool,
    can_edit: bool,
    kinds: &'static [&'static str],
    /// Which form was refused: `add`, the licence id, or "".
    refused: String,
    typed: Typed,
    errors: FieldErrors,
    notice: String,
}

impl LicencesPage {
    /// The message of `field` when form `form` was refused.
    fn err(&self, form: &str, field: &str) -> &str {
        if self.refused == form {
            self.errors.get(field)
        } else {
            ""
        }
    }

    /// Messages not tied to a shown field, of form `form`.
    fn others(&self, form: &str) -> Vec<String> {
        if self.refused == form {
            self.errors.others(&[
                "kind",
                "other_name",
                "number",
                "issuer",
                "valid_from",
                "valid_to",
                "attachment",
            ])
        } else {
            vec![]
        }
    }
}

async fn render(
    st: &AppState,
    user: &User,
    id: &str,
    refused: String,
    typed: Typed,
    errors: FieldErrors,
    notice: String,
) -> Result<Response, AppError> {
    let r = visible_right(st, user, id).await?;
    let sp = st.plan().await;
    let s = section(st, user, id).await?;
    let mine_name = mine_of(st, id).await?.map(|m| m.1).unwrap_or_default();
    let status = if refused.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = LicencesPage {
        layout: layout(&sp, "rights"),
        enc: crate::http::auth::percent_encode(&r.id).replace('/', "%2F"),
        right_id: r.id.clone(),
        right_name: r.name.clone(),
        holder: r.holder_name.clone(),
        mine_name,
        has_mine: s.has_mine,
        rows: s.rows,
        safety: s.safety,
        safety_missing: s.safety_missing,
        can_edit: s.can_edit,
        kinds: LicenceKind::LABELS,
        refused,
        typed,
        errors,
        notice,
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// `GET /rights/{id}/licences` (`?saved=1` after a change): the licences of the right's mine
/// and, for 系统管理员, 审批科 and 执法监察, the forms to add and correct them.
pub async fn page(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRegister>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let notice = if q.contains_key("saved") {
        "已保存证照".to_string()
    } else {
        String::new()
    };
    render(
        &st,
        &user,
        &id,
        String::new(),
        Typed::default(),
        FieldErrors::default(),
        notice,
    )
    .await
}

/// Reads the form: the input (with every problem of reading it) and the attachment.
fn read(
    form: &SubmittedForm,
) -> (
    Typed,
    Result<LicenceInput, FieldErrors>,
    Option<LicenceAttachment>,
) {
    let typed = Typed {
        kind: form.get("kind").trim().to_string(),
        other_name: form.get("other_name").trim().to_string(),
        number: form.get("number").trim().to_string(),
        issuer: form.get("issuer").trim().to_string(),
        valid_from: form.get("valid_from").trim().to_string(),
        valid_to: form.get("valid_to").trim().to_string(),
    };
    let mut errors = FieldErrors::default();
    if let Some(p) = &form.problem {
        errors.push("form", p.clone());
    }
    let kind = LicenceKind::parse(&typed.kind);
    if kind.is_none() {
        errors.push(
            "kind",
            format!("证照类型应为 {} 之一", LicenceKind::LABELS.join("、")),
        );
    }
    let mut date = |field: &str, label: &str, v: &str| match Date::parse(v) {
        Ok(d) => Some(d),
        Err(_) if v.is_empty() => {
            errors.push(field, format!("请填写{label}（如 2025-01-01）"));
            None
        }
        Err(e) => {
            errors.push(field, format!("{label}：{e}"));
            None
        }
    };
    let from = date("valid_from", "有效期起", &typed.valid_from);
    let to = date("valid_to", "有效期止", &typed.valid_to);
    let attachment = form
        .file("attachment")
        .filter(|f| !f.file_name.is_empty() || !f.bytes.is_empty())
        .map(|f| LicenceAttachment {
            name: if f.file_name.is_empty() {
                "附件".into()
            } else {
                f.file_name.clone()
            },
            bytes: f.bytes.clone(),
        });
    let input = match (kind, from, to) {
        (Some(kind), Some(valid_from), Some(valid_to)) if errors.is_empty() => Ok(LicenceInput {
            kind,
            other_name: (kind == LicenceKind::Other).then(|| typed.other_name.clone()),
            number: typed.number.clone(),
            issuer: typed.issuer.clone(),
            valid_from,
            valid_to,
            attachment_sha256: None,
        }),
        _ => Err(errors),
    };
    (typed, input, attachment)
}

/// The shared end of a write: 303 back to the page, or the page again with the problems.
async fn finish(
    st: &AppState,
    user: &User,
    id: &str,
    refused: String,
    typed: Typed,
    result: Result<LicenceRecord, StoreError>,
) -> Result<Response, AppError> {
    match result {
        Ok(_) => Ok(Redirect::to(&format!(
            "/rights/{}/licences?saved=1",
            crate::http::auth::percent_encode(id).replace('/', "%2F")
        ))
        .into_response()),
        Err(StoreError::Invalid(v)) => {
            render(st, user, id, refused, typed, FieldErrors(v), String::new()).await
        }
        Err(StoreError::NotFound(m)) => Err(AppError::NotFound(m)),
        Err(e) => Err(e.into()),
    }
}

/// `POST /rights/{id}/licences` (multipart or urlencoded form: `kind`, `other_name` for 其他,
/// `number`, `issuer`, `valid_from`, `valid_to`, optional file `attachment` ≤ 10 MB): adds a
/// licence to the right's mine with the audit row `licence.add` (303), or shows the form again
/// with every problem, nothing written (422).
pub async fn add_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageLicences>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    visible_right(&st, &user, &id).await?;
    let form = SubmittedForm::read(&headers, body).await;
    let (typed, input, attachment) = read(&form);
    let Some((mine, _)) = mine_of(&st, &id).await? else {
        let mut e = FieldErrors::default();
        e.push(
            "form",
            "该矿业权没有矿山档案（探矿权或未登记矿山），不能登记证照",
        );
        return render(&st, &user, &id, "add".into(), typed, e, String::new()).await;
    };
    let input = match input {
        Ok(i) => i,
        Err(e) => return render(&st, &user, &id, "add".into(), typed, e, String::new()).await,
    };
    let result = st
        .store
        .add_licence(mine, &input, attachment.as_ref(), &actor(&user))
        .await;
    finish(&st, &user, &id, "add".into(), typed, result).await
}

/// The licence `lid` if it belongs to the mine of right `id`, else 404.
async fn licence_of_right(st: &AppState, id: &str, lid: i64) -> Result<LicenceRecord, AppError> {
    let mine = mine_of(st, id).await?.map(|m| m.0);
    match st.store.licence(lid).await? {
        Some(l) if Some(l.licence.mine_id) == mine => Ok(l),
        _ => Err(AppError::NotFound(format!(
            "矿业权“{id}”的矿山没有编号为 {lid} 的证照"
        ))),
    }
}

/// `POST /rights/{id}/licences/{lid}` (the fields of the add form; a file replaces the
/// attachment, none keeps it): corrects the licence with the audit row `licence.update`
/// (303), or shows the form again with every problem, nothing written (422).
pub async fn update_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageLicences>,
    Path((id, lid)): Path<(String, i64)>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    visible_right(&st, &user, &id).await?;
    licence_of_right(&st, &id, lid).await?;
    let form = SubmittedForm::read(&headers, body).await;
    let (typed, input, attachment) = read(&form);
    let input = match input {
        Ok(i) => i,
        Err(e) => return render(&st, &user, &id, lid.to_string(), typed, e, String::new()).await,
    };
    let result = st
        .store
        .update_licence(lid, &input, attachment.as_ref(), &actor(&user))
        .await;
    finish(&st, &user, &id, lid.to_string(), typed, result).await
}

/// `GET /rights/{id}/licences/{lid}/attachment`: the scanned licence as uploaded (404 when
/// none was attached).
pub async fn attachment_download(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ViewRegister>,
    Path((id, lid)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    visible_right(&st, &user, &id).await?;
    licence_of_right(&st, &id, lid).await?;
    let Some((name, bytes)) = st.store.licence_attachment(lid).await? else {
        return Err(AppError::NotFound("该证照没有附件".into()));
    };
    Ok(crate::http::download::attachment(
        bytes,
        "application/octet-stream",
        &name,
        "licence",
    ))
}
