//! 批量导入 (`/rights/import`, `/annual-reports/import`; 系统管理员, 审批科): upload an XLSX or
//! CSV table of rights or annual reports; 仅检查 (dry run), 导入 (only when every row is
//! right) or 跳过有问题的行并导入; every row's problems in a table. The rights form also asks
//! how to read corner cells that hold only coordinates: 坐标系 and 投影带
//! ([`minplan_store::CornerSettings`], the CLI's `--datum` and `--zone`).

use crate::AppState;
use crate::http::auth::{actor, policy};
use crate::http::error::AppError;
use crate::http::extract::RequireRole;
use crate::http::forms::{FieldErrors, SubmittedForm};
use crate::http::views::{Layout, layout};
use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use minplan_store::{BulkMode, BulkOutcome, StoreError, User};

/// The routes of 批量导入.
pub fn router() -> axum::Router<crate::AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route(
            "/rights/import",
            get(rights_import_page).post(rights_import_submit),
        )
        .route(
            "/annual-reports/import",
            get(reports_import_page).post(reports_import_submit),
        )
}
// ---------------------------------------------------------------------------------------
// 批量导入.

/// What a bulk import page imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Rights,
    Reports,
}

impl Table {
    fn path(self) -> &'static str {
        match self {
            Table::Rights => "/rights/import",
            Table::Reports => "/annual-reports/import",
        }
    }
}

#[derive(Template)]
#[template(path = "bulk_import.html")]
struct ImportPage {
    layout: Layout,
    rights: bool,
    action: &'static str,
    mode: &'static str,
    errors: FieldErrors,
    outcome: Option<BulkOutcome>,
    file_name: String,
    /// The 投影带 chosen for bare corner cells ("" = the plan's).
    zone: String,
    /// The 坐标系 chosen for bare corner cells ("" = as each cell states).
    datum: String,
    /// The plan's 3° zone number (the default 投影带).
    plan_zone: u32,
    /// The 3° zone numbers offered.
    zones: Vec<u32>,
}

#[allow(clippy::too_many_arguments)]
async fn render_import(
    st: &AppState,
    table: Table,
    status: StatusCode,
    mode: BulkMode,
    errors: FieldErrors,
    outcome: Option<BulkOutcome>,
    file_name: String,
    choices: &Choices,
) -> Result<Response, AppError> {
    let sp = st.plan().await;
    let plan_zone = u32::from(sp.loaded.plan.region.zone.zone);
    let page = ImportPage {
        layout: layout(
            &sp,
            match table {
                Table::Rights => "rights",
                Table::Reports => "annual-reports",
            },
        ),
        rights: table == Table::Rights,
        action: table.path(),
        mode: mode_name(mode),
        errors,
        outcome,
        file_name,
        zone: choices.zone.clone(),
        datum: choices.datum.clone(),
        plan_zone,
        zones: (25..=45).collect(),
    };
    Ok((status, Html(page.render()?)).into_response())
}

/// The corner-cell choices as submitted (shown again on the page).
#[derive(Debug, Clone, Default)]
struct Choices {
    zone: String,
    datum: String,
}

/// The form again with its problems (422), nothing imported.
async fn refused(
    st: &AppState,
    table: Table,
    mode: BulkMode,
    errors: FieldErrors,
    file_name: String,
    choices: &Choices,
) -> Result<Response, AppError> {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    render_import(st, table, status, mode, errors, None, file_name, choices).await
}

fn mode_name(m: BulkMode) -> &'static str {
    match m {
        BulkMode::DryRun => "dry_run",
        BulkMode::Commit => "commit",
        BulkMode::SkipInvalid => "skip_invalid",
    }
}

/// The empty form of `table` (仅检查 preselected).
async fn empty_form(st: &AppState, table: Table) -> Result<Response, AppError> {
    let e = FieldErrors::default();
    render_import(
        st,
        table,
        StatusCode::OK,
        BulkMode::DryRun,
        e,
        None,
        String::new(),
        &Choices::default(),
    )
    .await
}

/// `GET /rights/import`: the form for importing rights from an XLSX or CSV table.
pub async fn rights_import_page(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ManageRegister>,
) -> Result<Response, AppError> {
    empty_form(&st, Table::Rights).await
}

/// `GET /annual-reports/import`: the form for importing annual reports from a table.
pub async fn reports_import_page(
    State(st): State<AppState>,
    RequireRole { .. }: RequireRole<policy::ManageRegister>,
) -> Result<Response, AppError> {
    empty_form(&st, Table::Reports).await
}

/// `POST /rights/import` (multipart: `file`, `mode` = `dry_run` | `commit` | `skip_invalid`).
pub async fn rights_import_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    import_submit(&st, &user, Table::Rights, &headers, body).await
}

/// `POST /annual-reports/import` (multipart, as `/rights/import`).
pub async fn reports_import_submit(
    State(st): State<AppState>,
    RequireRole { user, .. }: RequireRole<policy::ManageRegister>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    import_submit(&st, &user, Table::Reports, &headers, body).await
}

async fn import_submit(
    st: &AppState,
    user: &User,
    table: Table,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let f = SubmittedForm::read(headers, body).await;
    let mut errors = FieldErrors::default();
    if let Some(p) = &f.problem {
        errors.push("file", p.clone());
    }
    let mode = match f.get("mode").trim() {
        "" | "dry_run" => BulkMode::DryRun,
        "commit" => BulkMode::Commit,
        "skip_invalid" => BulkMode::SkipInvalid,
        _ => {
            errors.push("mode", "请选择：仅检查、导入、或跳过有问题的行并导入");
            BulkMode::DryRun
        }
    };
    let choices = Choices {
        zone: f.get("zone").trim().to_string(),
        datum: f.get("datum").trim().to_string(),
    };
    let settings = match minplan_store::CornerSettings::parse(&choices.zone, &choices.datum) {
        Ok(s) => s,
        Err(problems) => {
            for (field, m) in problems {
                errors.push(field, m);
            }
            minplan_store::CornerSettings::default()
        }
    };
    let file = f.file("file");
    if file.is_none() && errors.is_empty() {
        errors.push(
            "file",
            "请选择要导入的文件（XLSX、CSV，矿业权也可为 Shapefile zip、GeoPackage、KML）",
        );
    }
    let name = file.map(|u| u.file_name.clone()).unwrap_or_default();
    let lower = name.to_lowercase();
    // A register as a layer file (a zipped Shapefile, a GeoPackage, a KML): each feature a row
    // of the rights table, its geometry the 拐点坐标 (minplan_store::layer_register_table).
    let layer_file = matches!(table, Table::Rights)
        && [".zip", ".gpkg", ".kml", ".kmz"]
            .iter()
            .any(|x| lower.ends_with(x));
    if file.is_some()
        && !layer_file
        && ![".xlsx", ".xls", ".ods", ".csv", ".txt"]
            .iter()
            .any(|x| lower.ends_with(x))
    {
        errors.push(
            "file",
            if matches!(table, Table::Rights) {
                "文件应为 XLSX（或 XLS、ODS）表格、CSV（UTF-8），或 Shapefile（zip）、GeoPackage、KML 登记簿"
            } else {
                "文件应为 XLSX（或 XLS、ODS）表格或 CSV（UTF-8）"
            },
        );
    }
    let rows = match file {
        Some(u) if errors.is_empty() && layer_file => {
            let zone = st.plan().await.loaded.plan.region.zone;
            let files = [minplan_io::InputFile {
                name: name.clone(),
                bytes: u.bytes.clone(),
            }];
            let read = minplan_io::ReadOptions {
                zone: Some(zone),
                ..Default::default()
            };
            match minplan_io::read_layer(&files, &read)
                .map_err(|e| e.0)
                .and_then(|l| minplan_store::layer_register_table(&l, None).map(|(rows, _)| rows))
            {
                Ok(rows) => Some(rows),
                Err(m) => {
                    errors.push("file", format!("{m}；未导入"));
                    None
                }
            }
        }
        Some(u) if errors.is_empty() => {
            let bytes = u.bytes.clone();
            let n = name.clone();
            // A table reader must not take the server down on a hostile file.
            match std::panic::catch_unwind(move || minplan_store::read_table(&bytes, &n)) {
                Ok(Ok(rows)) => Some(rows),
                Ok(Err(StoreError::BadInput(m))) => {
                    errors.push("file", format!("{m}；未导入"));
                    None
                }
                Ok(Err(e)) => return Err(e.into()),
                Err(_) => {
                    errors.push("file", "无法读取该文件（格式损坏）；未导入");
                    None
                }
            }
        }
        _ => None,
    };
    let Some(rows) = rows else {
        return refused(st, table, mode, errors, name, &choices).await;
    };
    let plan = st.plan().await;
    let who = actor(user);
    let _guard = st.write_lock().await;
    let out = match table {
        Table::Rights => {
            st.store
                .import_rights_table_with(&plan.loaded.plan, &rows, &name, mode, settings, &who)
                .await
        }
        Table::Reports => {
            st.store
                .import_reports_table(&plan.loaded.plan, &rows, &name, mode, &who)
                .await
        }
    };
    let out = match out {
        Ok(o) => o,
        Err(StoreError::BadInput(m)) => {
            errors.push("file", format!("{m}；未导入"));
            return refused(st, table, mode, errors, name, &choices).await;
        }
        Err(StoreError::Invalid(fs)) => {
            let errors = FieldErrors(fs);
            return refused(st, table, mode, errors, name, &choices).await;
        }
        Err(e) => return Err(e.into()),
    };
    if out.committed {
        st.rebuild_engine().await?;
    }
    // A commit refused for problems is the user's to fix: 422 with the rows' problems.
    let status = if mode == BulkMode::Commit && !out.committed && !out.problems.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_import(st, table, status, mode, errors, Some(out), name, &choices).await
}
