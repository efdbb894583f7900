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
        .route("/rights/import/template.xlsx", get(rights_template))
        .route(
            "/annual-reports/import/template.xlsx",
            get(reports_template),
        )
}
// ---------------------------------------------------------------------------------------
// 导入模板: the header row the importer reads (from its own column list, so that template
// and importer cannot drift apart), one example row, and a sheet explaining each column.

/// What to write in a column of the rights table, and the example row's value, by the
/// importer's column key.
fn right_column_help(key: &str) -> (&'static str, &'static str) {
    match key {
        "licence" => (
            "采矿许可证号或勘查许可证号；登记簿中已有的许可证号不能再导入",
            "C2310812019010001",
        ),
        "kind" => ("探矿权 或 采矿权；缺省为采矿权", "采矿权"),
        "status" => ("有效、已过期、已注销、闭坑 之一；缺省为有效", "有效"),
        "name" => ("矿山（项目）名称", "庆发采石场"),
        "holder" => ("矿业权人全称", "绥芬河市庆发建材有限公司"),
        "credit_code" => (
            "18 位统一社会信用代码（GB 32100-2015，校验位须正确）",
            "91231081MA1BQF0013",
        ),
        "minerals" => ("矿种；多个矿种用顿号或逗号分隔", "建筑用凝灰岩"),
        "capacity" => ("生产规模，数字", "5"),
        "unit" => ("生产规模的单位，如 万立方米/年、万吨/年", "万立方米/年"),
        "approval" => ("省级、市级划定、本级审批 之一", "本级审批"),
        "mining_method" => ("露天、地下、露天+地下、井采 之一", "露天"),
        "sub_unit" => ("所在县（区）或乡镇，按规划的区划名称填写", ""),
        "valid_from" => ("有效期起，YYYY-MM-DD", "2019-01-01"),
        "valid_to" => ("有效期止，YYYY-MM-DD", "2027-12-31"),
        "area" => (
            "面积；可带单位（公顷、平方米、亩），只写数字为平方千米；空着则按拐点坐标计算；填写时须与拐点坐标计算的椭球面积相符",
            "",
        ),
        "elevation" => ("开采标高，如 560～480（米）", "560～480"),
        "corners" => (
            "拐点坐标，写在一个单元格内：任何“坐标检查”能读的格式（如自然资源部拐点坐标格式：拐点号,X,Y 每行一点，以“*,起标高,止标高,…”行结束；2000 国家大地坐标系高斯–克吕格 3° 带坐标，Y 带带号）",
            "拐点,X(起标高),Y(止标高)\n1,4911391.68,44428925.83, , ,\n2,4911350.27,44429080.39, , ,\n3,4911471.02,44429112.75, , ,\n4,4911512.43,44428958.19, , ,\n*,560,480,庆发采石场,1,",
        ),
        _ => ("", ""),
    }
}

/// As [`right_column_help`], for the annual-reports table.
fn report_column_help(key: &str) -> (&'static str, &'static str) {
    match key {
        "licence" => ("采矿许可证号（登记簿中的）", "C2310812019010001"),
        "year" => ("统计年度，四位年份", "2025"),
        "mineral" => ("矿种；缺省为采矿权的主矿种", "建筑用凝灰岩"),
        "extraction" => ("开采量，数字", "4.5"),
        "unit" => (
            "开采量单位，如 万立方米、万吨；缺省为生产规模的单位",
            "万立方米",
        ),
        "output" => ("工业总产值，万元", "315"),
        "staff" => ("从业人员，人", "20"),
        "mining_recovery" => ("开采回采率，%（0～100）", "95"),
        "processing_recovery" => ("选矿回收率，%（0～100）", ""),
        "utilisation" => ("综合利用率，%（0～100）", ""),
        "water_reuse" => ("清水循环利用率，%（0～100）", "100"),
        "disturbed" => (
            "本年因开采新损毁的土地面积，公顷；不填为未填报（不按 0 计）（边开采边治理，《规划》六（二）1）",
            "1.2",
        ),
        "restored" => (
            "本年完成复垦（治理）的面积，公顷；不填为未填报（不按 0 计），与经批复的生态修复方案逐年计划对照",
            "0.8",
        ),
        "filed_on" => (
            "报送日期，YYYY-MM-DD（决定是否逾期：次年 3 月 31 日前为按期）",
            "2026-03-01",
        ),
        _ => ("", ""),
    }
}

/// The explanation and example of a column, by key.
type Help = fn(&str) -> (&'static str, &'static str);

/// The import template of `table` (the importer's columns, the example row, the help).
pub fn template(table: Table) -> minplan_report::Template {
    let (sheet, columns, help, notes): (_, _, Help, _) = match table {
        Table::Rights => (
            "矿业权",
            minplan_store::right_columns(),
            right_column_help,
            vec![
                "矿业权批量导入模板：第一行为列名（请勿修改），每宗矿业权一行。".to_string(),
                "红色列名为必填列。面积填写时须与拐点坐标相符，否则该行不导入。".to_string(),
                "上传后先“仅检查”，逐行列出问题；全部无问题后再“导入”。".to_string(),
            ],
        ),
        Table::Reports => (
            "年度报告",
            minplan_store::report_columns(),
            report_column_help,
            vec![
                "年度报告批量导入模板：第一行为列名（请勿修改），每个矿山每年一行。".to_string(),
                "红色列名为必填列；按许可证号找到报送的矿山，按报送年度报告的规则检查（代报）。"
                    .to_string(),
            ],
        ),
    };
    minplan_report::Template {
        sheet: sheet.into(),
        columns: columns
            .into_iter()
            .map(|c| {
                let (explanation, example) = help(c.key);
                minplan_report::TemplateColumn {
                    header: c.header.into(),
                    required: c.required,
                    explanation: explanation.into(),
                    // The example row is marked where the importer looks (许可证号), so that a
                    // row left in by mistake is refused, never imported.
                    example: if c.key == "licence" {
                        format!("{}{example}", minplan_store::TEMPLATE_EXAMPLE_MARK)
                    } else {
                        example.replace("\\n", "\n")
                    },
                }
            })
            .collect(),
        notes,
    }
}

fn template_download(table: Table) -> Result<Response, AppError> {
    let bytes = minplan_report::template_xlsx(&template(table))
        .map_err(|e| StoreError::Internal(e.to_string()))?;
    let (name, fallback) = match table {
        Table::Rights => ("矿业权导入模板.xlsx", "rights-template.xlsx"),
        Table::Reports => ("年度报告导入模板.xlsx", "annual-reports-template.xlsx"),
    };
    Ok(crate::http::download::attachment(
        bytes,
        crate::http::download::XLSX,
        name,
        fallback,
    ))
}

/// `GET /rights/import/template.xlsx`: the XLSX template of the rights table.
pub async fn rights_template(
    RequireRole { .. }: RequireRole<policy::ManageRegister>,
) -> Result<Response, AppError> {
    template_download(Table::Rights)
}

/// `GET /annual-reports/import/template.xlsx`: the XLSX template of the annual-reports table.
pub async fn reports_template(
    RequireRole { .. }: RequireRole<policy::ManageRegister>,
) -> Result<Response, AppError> {
    template_download(Table::Reports)
}
// ---------------------------------------------------------------------------------------
// 批量导入.

/// What a bulk import page imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// 矿业权.
    Rights,
    /// 年度报告.
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
    template: &'static str,
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
        template: match table {
            Table::Rights => "/rights/import/template.xlsx",
            Table::Reports => "/annual-reports/import/template.xlsx",
        },
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
        && !(minplan_store::is_table_file(&lower) || lower.ends_with(".txt"))
    {
        errors.push(
            "file",
            if matches!(table, Table::Rights) {
                "文件应为 XLSX（或 XLS）表格、CSV（UTF-8），或 Shapefile（zip）、GeoPackage、KML 登记簿"
            } else {
                "文件应为 XLSX（或 XLS）表格或 CSV（UTF-8）"
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
            // The workbook readers turn a panic of the parser on a hostile file into a named
            // refusal themselves (minplan_io::table).
            match minplan_store::read_table(&u.bytes, &name) {
                Ok(rows) => Some(rows),
                Err(StoreError::BadInput(m)) => {
                    errors.push("file", format!("{m}；未导入"));
                    None
                }
                Err(e) => return Err(e.into()),
            }
        }
        _ => None,
    };
    let Some(rows) = rows else {
        return refused(st, table, mode, errors, name, &choices).await;
    };
    let plan = st.plan().await;
    let p = &plan.loaded.plan;
    let who = actor(user);
    // Every row is read and checked before the write lock (issue 19); only the writing
    // waits for other writes, and checks again should the register have changed meanwhile.
    // The lock is held on through the engine rebuild.
    let mut _guard = None;
    let out = match table {
        Table::Rights => match st.store.check_rights_table(p, &rows, &name, settings).await {
            Ok(check) => {
                _guard = Some(st.write_lock().await);
                st.store
                    .write_rights_table(check, p, &rows, &name, mode, settings, &who)
                    .await
            }
            Err(e) => Err(e),
        },
        Table::Reports => match st.store.check_reports_table(p, &rows, &name).await {
            Ok(check) => {
                _guard = Some(st.write_lock().await);
                st.store
                    .write_reports_table(check, p, &rows, &name, mode, &who)
                    .await
            }
            Err(e) => Err(e),
        },
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
