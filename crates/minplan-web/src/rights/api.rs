//! The register's lifecycle for staff, as a JSON API (the 矿业权 pages post to it): decide on
//! a reviewed application, record its grant, register the right, then extend, transfer, file
//! a closure report, close (闭坑) or cancel it, and read a right's history. Each call runs the
//! same store function as `minplan right …` (checked, one transaction, audit row);
//! refused input answers 422 with every problem named (`fields`).

use crate::AppState;
use crate::http::auth::{actor, policy};
use crate::http::error::{ApiError, ApiResult, AppError};
use crate::http::extract::RequireRole;
use crate::http::forms::json_body;
use crate::http::json::json_value;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use minplan_domain::application::GrantMethod;
use minplan_domain::date::Date;
use minplan_domain::plan::ApprovalLevel;
use minplan_domain::register::{
    ApplicationClosing, ClosingKind, ClosureAcceptance, ClosureReport, Decision, Grant,
    Registration, RightExtension, RightHistory,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An irreversible step (注销, 闭坑验收) is done only when the request says `"confirm": true`,
/// as the web form's 确认 box: otherwise 422 at `confirm` and nothing is written.
fn confirmed(confirm: bool, step: &str, effect: &str) -> Result<(), AppError> {
    if confirm {
        Ok(())
    } else {
        Err(AppError::Invalid(vec![minplan_store::FieldError::new(
            "confirm",
            format!("{step}不可撤销（{effect}）：请核对后以 \"confirm\": true 再提交；本次未办理"),
        )]))
    }
}

fn date(field: &str, s: &str) -> Result<Date, AppError> {
    Date::parse(s).map_err(|e| AppError::BadRequest(format!("{field}：{e}")))
}

/// Runs a register write under the write lock (taken before `work` starts: a future does
/// nothing until awaited) and, after a success, rebuilds the review engine — the register
/// changed, and a registered, extended or cancelled right is what the next review's 空间查重
/// and what-if read.
async fn write<T>(
    st: &AppState,
    work: impl std::future::Future<Output = Result<T, AppError>>,
) -> ApiResult<Json<T>> {
    let _guard = st.write_lock().await;
    let v = work.await?;
    st.rebuild_engine().await?;
    Ok(Json(v))
}

/// `{application, status}`: the decision recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DecisionRecorded {
    /// 申请编号.
    pub application: String,
    /// The application's status now (已批准, 不予批准, 不予受理, 退回).
    pub status: String,
}

/// `{application, grant}`: the grant recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantRecorded {
    /// 申请编号.
    pub application: String,
    /// The grant: `{method, net_mineral, price_wan_yuan (万元), date, contract}`.
    #[schema(value_type = Object)]
    pub grant: serde_json::Value,
}

/// `{approve, date, accepted_checks?, reason?}`.
#[derive(Deserialize, ToSchema)]
pub struct DecisionBody {
    /// 批准（true）或不予批准（false）。
    pub approve: bool,
    /// 日期，YYYY-MM-DD。
    #[schema(format = Date)]
    pub date: String,
    /// 基本符合（需人工核查）的申请批准时：人工核查意见（必填）。
    pub accepted_checks: Option<String>,
    /// 理由（不予批准、逾期延续、注销时必填）。
    pub reason: Option<String>,
}

/// `POST /api/applications/{number}/decision`: 批准 / 不予批准 (审批科).
#[utoipa::path(post, path = "/api/applications/{id}/decision", tag = "矿业权",
    request_body = DecisionBody,
    params(("id" = String, Path, description = "申请编号")),
    responses(
        (status = 200, description = "已记录的决定", body = DecisionRecorded),
        (status = 401, description = "未登录", body = ApiError),
        (status = 403, description = "无权（需系统管理员或审批科）或缺少 CSRF 令牌", body = ApiError),
        (status = 404, description = "没有该申请或矿业权", body = ApiError),
        (status = 422, description = "不能办理：每个问题逐条列出（fields）", body = ApiError),
    ))]
pub async fn decide(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    Path(number): Path<String>,
    body: Bytes,
) -> ApiResult<Json<DecisionRecorded>> {
    write(&st, async {
        let b: DecisionBody = json_body(&body)?;
        let d = Decision {
            approve: b.approve,
            date: date("date", &b.date)?,
            accepted_checks: b.accepted_checks,
            reason: b.reason,
        };
        let s = st
            .store
            .decide_application(&number, &d, &actor(&user))
            .await?;
        Ok(DecisionRecorded {
            application: number.clone(),
            status: s.label().to_string(),
        })
    })
    .await
}

/// `{kind, date, reason}`: closing a pending application.
#[derive(Deserialize, ToSchema)]
pub struct ClosingBody {
    /// 办结方式：不予受理、退回、不予批准。
    #[schema(pattern = "^\\s*(不予受理|退回|不予批准)\\s*$")]
    pub kind: String,
    /// 日期，YYYY-MM-DD。
    #[schema(format = Date)]
    pub date: String,
    /// 理由（必填）。
    pub reason: String,
}

/// `POST /api/applications/{number}/close`: 办结 a pending application — 不予受理 / 退回 /
/// 不予批准 with its reason; it is then no longer pending (审批科).
#[utoipa::path(post, path = "/api/applications/{id}/close", tag = "矿业权",
    request_body = ClosingBody,
    params(("id" = String, Path, description = "申请编号")),
    responses(
        (status = 200, description = "已办结：申请现在的状态", body = DecisionRecorded),
        (status = 400, description = "日期或办结方式无法读取", body = ApiError),
        (status = 401, description = "未登录", body = ApiError),
        (status = 403, description = "无权（需系统管理员或审批科）或缺少 CSRF 令牌", body = ApiError),
        (status = 404, description = "没有该申请", body = ApiError),
        (status = 422, description = "不能办理：每个问题逐条列出（fields）", body = ApiError),
    ))]
pub async fn close_application(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    Path(number): Path<String>,
    body: Bytes,
) -> ApiResult<Json<DecisionRecorded>> {
    write(&st, async {
        let b: ClosingBody = json_body(&body)?;
        let kind = ClosingKind::parse(b.kind.trim()).ok_or_else(|| {
            AppError::BadRequest(format!(
                "kind：办结方式应为 不予受理、退回 或 不予批准，收到“{}”",
                b.kind
            ))
        })?;
        let c = ApplicationClosing {
            kind,
            date: date("date", &b.date)?,
            reason: b.reason,
        };
        let s = st
            .store
            .close_application(&number, &c, &actor(&user))
            .await?;
        Ok(DecisionRecorded {
            application: number.clone(),
            status: s.label().to_string(),
        })
    })
    .await
}

/// `{method, price_wan_yuan, date, net_mineral?, contract?}`.
#[derive(Deserialize, ToSchema)]
pub struct GrantBody {
    /// 出让方式：招标、拍卖、挂牌、协议。
    #[schema(pattern = "^(招标|拍卖|挂牌|协议)$")]
    pub method: String,
    /// 出让收益（价款），万元。
    pub price_wan_yuan: f64,
    /// 日期，YYYY-MM-DD。
    #[schema(format = Date)]
    pub date: String,
    #[serde(default)]
    /// 净矿出让。
    pub net_mineral: bool,
    /// 出让合同编号。
    pub contract: Option<String>,
}

/// `POST /api/applications/{number}/grant`: records 出让 (招标/拍卖/挂牌/协议, 净矿出让, price).
#[utoipa::path(post, path = "/api/applications/{id}/grant", tag = "矿业权",
    request_body = GrantBody,
    params(("id" = String, Path, description = "申请编号")),
    responses(
        (status = 200, description = "已记录的出让", body = GrantRecorded),
        (status = 401, description = "未登录", body = ApiError),
        (status = 403, description = "无权（需系统管理员或审批科）或缺少 CSRF 令牌", body = ApiError),
        (status = 404, description = "没有该申请或矿业权", body = ApiError),
        (status = 422, description = "不能办理：每个问题逐条列出（fields）；新立申请的联合审查未完成时写明缺少什么（field joint_review）", body = ApiError),
    ))]
pub async fn grant(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    Path(number): Path<String>,
    body: Bytes,
) -> ApiResult<Json<GrantRecorded>> {
    write(&st, async {
        let b: GrantBody = json_body(&body)?;
        let method = GrantMethod::parse(&b.method).ok_or_else(|| {
            AppError::BadRequest(format!(
                "method“{}”应为 招标、拍卖、挂牌、协议 之一",
                b.method
            ))
        })?;
        let g = Grant {
            method,
            net_mineral: b.net_mineral,
            price_wan_yuan: b.price_wan_yuan,
            date: date("date", &b.date)?,
            contract: b.contract,
        };
        st.store.record_grant(&number, &g, &actor(&user)).await?;
        Ok(GrantRecorded {
            application: number.clone(),
            grant: json_value(&g)?,
        })
    })
    .await
}

/// A date or null: `oneOf` keeps the date format, which a `["string", "null"]` type loses for
/// some clients (schemathesis generated "").
fn optional_date() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type};
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}

/// An approval level (the spellings [`ApprovalLevel`] reads), empty, or null.
fn optional_approval() -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::String).pattern(Some(
            "^\\s*(省级|省级划定|市级划定|市级|本级审批|本级审批发证|本级)?\\s*$",
        )))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build()
        .into()
}

/// `{licence, valid_from, valid_to, date?, approval?, name?}`.
#[derive(Deserialize, ToSchema)]
pub struct RegisterBody {
    /// 许可证号。
    pub licence: String,
    /// 有效期起，YYYY-MM-DD。
    #[schema(format = Date)]
    pub valid_from: String,
    /// 有效期止，YYYY-MM-DD。
    #[schema(format = Date)]
    pub valid_to: String,
    /// 日期，YYYY-MM-DD（缺省为有效期起）。
    #[schema(schema_with = optional_date)]
    pub date: Option<String>,
    /// 发证机关层级：省级、市级划定、本级审批（缺省按申请）。
    #[schema(schema_with = optional_approval)]
    pub approval: Option<String>,
    /// 矿山（项目）名称，缺省取申请的项目名称。
    pub name: Option<String>,
}

/// `POST /api/applications/{number}/register`: registers the right of an approved application.
#[utoipa::path(post, path = "/api/applications/{id}/register", tag = "矿业权",
    request_body = RegisterBody,
    params(("id" = String, Path, description = "申请编号")),
    responses(
        (status = 200, description = "登记后的矿业权", body = RightHistory),
        (status = 401, description = "未登录", body = ApiError),
        (status = 403, description = "无权（需系统管理员或审批科）或缺少 CSRF 令牌", body = ApiError),
        (status = 404, description = "没有该申请或矿业权", body = ApiError),
        (status = 422, description = "不能办理：每个问题逐条列出（fields）", body = ApiError),
    ))]
pub async fn register(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    Path(number): Path<String>,
    body: Bytes,
) -> ApiResult<Json<RightHistory>> {
    write(&st, async {
        let b: RegisterBody = json_body(&body)?;
        let from = date("valid_from", &b.valid_from)?;
        let approval = match b.approval.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(a) => Some(ApprovalLevel::parse(a).ok_or_else(|| {
                AppError::BadRequest(format!(
                    "approval“{a}”应为 {} 之一",
                    ApprovalLevel::ACCEPTED
                ))
            })?),
        };
        let r = Registration {
            licence: b.licence,
            date: match &b.date {
                Some(d) => date("date", d)?,
                None => from,
            },
            valid_from: from,
            valid_to: date("valid_to", &b.valid_to)?,
            name: b.name,
            capacity: None,
            elevation: None,
            area_km2: None,
            approval,
            mine_id: None,
        };
        Ok(st.store.register_right(&number, &r, &actor(&user)).await?)
    })
    .await
}

/// `GET /api/rights/{id}/history`: a right with every event (staff).
#[utoipa::path(get, path = "/api/rights/{id}/history", tag = "矿业权",
    params(("id" = String, Path, description = "许可证号")),
    responses(
        (status = 200, description = "矿业权及其全部登记事项", body = RightHistory),
        (status = 401, description = "未登录", body = ApiError),
        (status = 403, description = "无权（需系统管理员或审批科）或缺少 CSRF 令牌", body = ApiError),
        (status = 404, description = "没有该申请或矿业权", body = ApiError),
        (status = 422, description = "不能办理：每个问题逐条列出（fields）", body = ApiError),
    ))]
pub async fn history(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ManageRegister>,
    Path(id): Path<String>,
) -> ApiResult<Json<RightHistory>> {
    Ok(Json(st.store.right_history(&id).await?))
}

/// `{valid_to, date, reason?, application?}`.
#[derive(Deserialize, ToSchema)]
pub struct ExtendBody {
    /// 有效期止，YYYY-MM-DD。
    #[schema(format = Date)]
    pub valid_to: String,
    /// 日期，YYYY-MM-DD。
    #[schema(format = Date)]
    pub date: String,
    /// 理由（不予批准、逾期延续、注销时必填）。
    pub reason: Option<String>,
    /// 申请编号。
    pub application: Option<String>,
}

/// `POST /api/rights/{id}/extend`: 延续 (after expiry only with `reason`).
#[utoipa::path(post, path = "/api/rights/{id}/extend", tag = "矿业权",
    request_body = ExtendBody,
    params(("id" = String, Path, description = "许可证号")),
    responses(
        (status = 200, description = "延续后的矿业权", body = RightHistory),
        (status = 401, description = "未登录", body = ApiError),
        (status = 403, description = "无权（需系统管理员或审批科）或缺少 CSRF 令牌", body = ApiError),
        (status = 404, description = "没有该申请或矿业权", body = ApiError),
        (status = 422, description = "不能办理：每个问题逐条列出（fields）", body = ApiError),
    ))]
pub async fn extend(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<RightHistory>> {
    write(&st, async {
        let b: ExtendBody = json_body(&body)?;
        let e = RightExtension {
            date: date("date", &b.date)?,
            valid_to: date("valid_to", &b.valid_to)?,
            reason: b.reason,
            application: b.application,
        };
        Ok(st.store.extend_right(&id, &e, &actor(&user)).await?)
    })
    .await
}

/// `{application, date}`.
#[derive(Deserialize, ToSchema)]
pub struct AppDateBody {
    /// 申请编号。
    pub application: String,
    /// 日期，YYYY-MM-DD。
    #[schema(format = Date)]
    pub date: String,
}

/// `POST /api/rights/{id}/transfer`: 转让 on an approved 转让 application.
#[utoipa::path(post, path = "/api/rights/{id}/transfer", tag = "矿业权",
    request_body = AppDateBody,
    params(("id" = String, Path, description = "许可证号")),
    responses(
        (status = 200, description = "转让后的矿业权", body = RightHistory),
        (status = 401, description = "未登录", body = ApiError),
        (status = 403, description = "无权（需系统管理员或审批科）或缺少 CSRF 令牌", body = ApiError),
        (status = 404, description = "没有该申请或矿业权", body = ApiError),
        (status = 422, description = "不能办理：每个问题逐条列出（fields）", body = ApiError),
    ))]
pub async fn transfer(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<RightHistory>> {
    write(&st, async {
        let b: AppDateBody = json_body(&body)?;
        let d = date("date", &b.date)?;
        let h = st
            .store
            .transfer_right(&id, &b.application, d, &actor(&user))
            .await?;
        Ok(h)
    })
    .await
}

/// `{title, date}`.
#[derive(Deserialize, ToSchema)]
pub struct ClosureReportBody {
    /// 闭坑报告名称。
    pub title: String,
    /// 日期，YYYY-MM-DD。
    #[schema(format = Date)]
    pub date: String,
}

/// `POST /api/rights/{id}/closure-report`: files the 闭坑报告.
#[utoipa::path(post, path = "/api/rights/{id}/closure-report", tag = "矿业权",
    request_body = ClosureReportBody,
    params(("id" = String, Path, description = "许可证号")),
    responses(
        (status = 200, description = "报送后的矿业权", body = RightHistory),
        (status = 401, description = "未登录", body = ApiError),
        (status = 403, description = "无权（需系统管理员、审批科或生态修复）或缺少 CSRF 令牌", body = ApiError),
        (status = 404, description = "没有该申请或矿业权", body = ApiError),
        (status = 422, description = "不能办理：每个问题逐条列出（fields）", body = ApiError),
    ))]
pub async fn closure_report(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::AcceptClosure>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<RightHistory>> {
    write(&st, async {
        let b: ClosureReportBody = json_body(&body)?;
        let r = ClosureReport {
            title: b.title,
            date: date("date", &b.date)?,
        };
        Ok(st.store.file_closure_report(&id, &r, &actor(&user)).await?)
    })
    .await
}

/// `{date, accepted_by, document}`.
#[derive(Deserialize, ToSchema)]
pub struct CloseBody {
    /// 日期，YYYY-MM-DD。
    #[schema(format = Date)]
    pub date: String,
    /// 验收单位。
    pub accepted_by: String,
    /// 验收文号。
    pub document: String,
    /// 确认闭坑验收（不可撤销）：须为 true，否则不办理（422，字段 confirm）。
    #[serde(default)]
    pub confirm: bool,
}

/// `POST /api/rights/{id}/close`: 闭坑 — accepts the closure report on file.
#[utoipa::path(post, path = "/api/rights/{id}/close", tag = "矿业权",
    request_body = CloseBody,
    params(("id" = String, Path, description = "许可证号")),
    responses(
        (status = 200, description = "闭坑后的矿业权", body = RightHistory),
        (status = 401, description = "未登录", body = ApiError),
        (status = 403, description = "无权（需系统管理员、审批科或生态修复）或缺少 CSRF 令牌", body = ApiError),
        (status = 404, description = "没有该申请或矿业权", body = ApiError),
        (status = 422, description = "不能办理：每个问题逐条列出（fields）", body = ApiError),
    ))]
pub async fn close(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::AcceptClosure>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<RightHistory>> {
    write(&st, async {
        let b: CloseBody = json_body(&body)?;
        confirmed(b.confirm, "闭坑验收", "闭坑验收后该矿业权闭坑")?;
        let a = ClosureAcceptance {
            date: date("date", &b.date)?,
            accepted_by: b.accepted_by,
            document: b.document,
        };
        Ok(st.store.close_right(&id, &a, &actor(&user)).await?)
    })
    .await
}

/// `{date, reason}`.
#[derive(Deserialize, ToSchema)]
pub struct CancelBody {
    /// 日期，YYYY-MM-DD。
    #[schema(format = Date)]
    pub date: String,
    /// 理由（不予批准、逾期延续、注销时必填）。
    pub reason: String,
    /// 确认注销（不可撤销）：须为 true，否则不办理（422，字段 confirm）。
    #[serde(default)]
    pub confirm: bool,
}

/// `POST /api/rights/{id}/cancel`: 注销 with its reason.
#[utoipa::path(post, path = "/api/rights/{id}/cancel", tag = "矿业权",
    request_body = CancelBody,
    params(("id" = String, Path, description = "许可证号")),
    responses(
        (status = 200, description = "注销后的矿业权", body = RightHistory),
        (status = 401, description = "未登录", body = ApiError),
        (status = 403, description = "无权（需系统管理员或审批科）或缺少 CSRF 令牌", body = ApiError),
        (status = 404, description = "没有该申请或矿业权", body = ApiError),
        (status = 422, description = "不能办理：每个问题逐条列出（fields）", body = ApiError),
    ))]
pub async fn cancel(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<RightHistory>> {
    write(&st, async {
        let b: CancelBody = json_body(&body)?;
        confirmed(b.confirm, "注销", "注销后该矿业权失效")?;
        let d = date("date", &b.date)?;
        let h = st
            .store
            .cancel_right(&id, d, &b.reason, &actor(&user))
            .await?;
        Ok(h)
    })
    .await
}
