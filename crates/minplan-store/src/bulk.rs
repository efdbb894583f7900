//! Bulk import of existing rights and annual reports from a table (XLSX via calamine, CSV via
//! the `csv` crate): the header row names the columns (Chinese, with common aliases), one
//! right or report per row; the corner coordinates of a right sit in one cell, in any layout
//! [`minplan_geo::corners::parse_str`] reads. A right's 面积, when given (km², or with a unit:
//! 公顷, 平方米, 亩), must agree with its corners' ellipsoidal area within the rounding of the
//! figure as written ([`minplan_geo::corners::compare_area`], the rule of an application's
//! 申报面积); otherwise the row has a problem in its 面积 column.
//!
//! Every row is checked first and every problem listed with its row and column
//! ([`RowProblem`]). [`BulkMode::DryRun`] (the default) writes nothing; [`BulkMode::Commit`]
//! writes everything in one transaction only when no row has a problem; and
//! [`BulkMode::SkipInvalid`] writes the good rows and leaves the listed ones out, by choice.
//!
//! Corner cells that hold only coordinates (no 坐标系 or 带号 statement) are read with the
//! settings of the import ([`CornerSettings`]: the 坐标系 and 投影带 chosen on the web form,
//! `--datum` and `--zone` on the command line); the messages about them name exactly those
//! choices.

use crate::annual_reports::file_report_tx;
use crate::audit::Actor;
use crate::lifecycle::record_import;
use crate::{Result, Store, StoreError, now_rfc3339, region_of};
use minplan_domain::application::{Quantity, RightKind};
use minplan_domain::citation::format_number;
use minplan_domain::credit_code::CreditCode;
use minplan_domain::date::Date;
use minplan_domain::plan::{ApprovalLevel, LonLatPolygon, Plan};
use minplan_domain::register::annual_report::{self, ReportInput};
use minplan_domain::register::{RightHistory, RightState, Standing};
use minplan_domain::units::Unit;
use minplan_geo::corners::{self, CornerPoints, Datum, ParseOptions, ProblemKind, Severity};
use serde::Serialize;

/// How the corner cells of a rights table are read when a cell does not state its system:
/// chosen on the import form (坐标系, 投影带) or given on the command line (`--datum`,
/// `--zone`). The default reads only cells that state their 坐标系, in the plan's zone when a
/// Y value carries no zone number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CornerSettings {
    /// The 3° Gauss–Krüger zone number (25–45, CGCS2000) of Y values without a zone number;
    /// `None` = the plan's zone.
    pub zone: Option<u32>,
    /// The datum of cells that state none: only CGCS2000 is accepted (the register is kept in
    /// CGCS2000; other systems must be converted first).
    pub datum: Option<Datum>,
}

impl CornerSettings {
    /// Reads the choices as a form or command line gives them: `zone` "" or a 3° zone number
    /// (25–45); `datum` "", `cgcs2000`, `CGCS2000` or `2000国家大地坐标系`.
    ///
    /// # Errors
    /// `(field, message)` for each choice that is not one: field `zone` or `datum`.
    pub fn parse(
        zone: &str,
        datum: &str,
    ) -> std::result::Result<CornerSettings, Vec<(&'static str, String)>> {
        let mut errors = Vec::new();
        let zone = match zone.trim() {
            "" => None,
            z => match z.parse::<u32>() {
                Ok(n) if (25..=45).contains(&n) => Some(n),
                _ => {
                    errors.push((
                        "zone",
                        format!("投影带应为 3° 带号 25–45（绥芬河为 44），收到“{z}”"),
                    ));
                    None
                }
            },
        };
        let datum = match datum.trim() {
            "" => None,
            d if d.eq_ignore_ascii_case("cgcs2000") || d == "2000国家大地坐标系" => {
                Some(Datum::Cgcs2000)
            }
            d => {
                errors.push((
                    "datum",
                    format!(
                        "坐标系只能选 2000国家大地坐标系（cgcs2000），收到“{d}”：其他坐标系的坐标须先按规定转换为 CGCS2000"
                    ),
                ));
                None
            }
        };
        if errors.is_empty() {
            Ok(CornerSettings { zone, datum })
        } else {
            Err(errors)
        }
    }
}

/// How an import proceeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkMode {
    /// Check every row, write nothing (default).
    DryRun,
    /// Write everything, only when no row has a problem.
    Commit,
    /// Write the rows without problems; leave the others out.
    SkipInvalid,
}

/// A problem of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    /// Row number in the sheet (the header is row 1).
    pub row: usize,
    /// The column's header, when one cell is at fault.
    pub column: Option<String>,
    /// Chinese message.
    pub message: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(c) => write!(f, "第 {} 行“{c}”列：{}", self.row, self.message),
            None => write!(f, "第 {} 行：{}", self.row, self.message),
        }
    }
}

/// What an import did (or would do).
#[derive(Debug, Clone, Serialize)]
pub struct BulkOutcome {
    /// Data rows read.
    pub rows: usize,
    /// Rows without problems.
    pub valid: usize,
    /// Rows written (0 for a dry run, or a commit refused for problems).
    pub imported: usize,
    /// Whether anything was written.
    pub committed: bool,
    /// Every problem.
    pub problems: Vec<RowProblem>,
    /// What was (or would be) imported: licence numbers, or `mine:year` for reports.
    pub keys: Vec<String>,
}

/// Whether a checked table is written: never on a dry run or when the header row has a
/// problem; on 导入 only when no row has one; on 跳过有问题的行 always (its good rows).
fn writes(problems: &[RowProblem], mode: BulkMode) -> bool {
    !problems.iter().any(|p| p.row == 1)
        && match mode {
            BulkMode::DryRun => false,
            BulkMode::Commit => problems.is_empty(),
            BulkMode::SkipInvalid => true,
        }
}

/// A rights table checked ([`Store::check_rights_table`]), to be written by
/// [`Store::write_rights_table`].
#[derive(Debug)]
pub struct RightsTableCheck {
    rows: usize,
    problems: Vec<RowProblem>,
    good: Vec<RightRow>,
    register: RegisterStamp,
}

/// An annual-report table checked ([`Store::check_reports_table`]), to be written by
/// [`Store::write_reports_table`].
#[derive(Debug)]
pub struct ReportsTableCheck {
    rows: usize,
    problems: Vec<RowProblem>,
    good: Vec<(usize, i64, ReportInput)>,
    histories: Vec<RightHistory>,
    register: RegisterStamp,
}

/// What a table check read of the register: rights and their events, counted and the
/// newest row. Rights and events are only ever added or removed as rows, so an unchanged
/// stamp means the check still holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RegisterStamp([i64; 4]);

impl Store {
    async fn register_stamp(&self) -> Result<RegisterStamp> {
        let (a, b, c, d): (i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM rights), (SELECT COALESCE(MAX(rowid), 0) FROM rights),
                    (SELECT COUNT(*) FROM right_events), (SELECT COALESCE(MAX(rowid), 0) FROM right_events)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(RegisterStamp([a, b, c, d]))
    }
}

/// The table types [`read_table`] reads, by file name ending.
pub const TABLE_EXTENSIONS: &[&str] = &[".xlsx", ".xls", ".csv"];

/// Why a file of another type is refused (a `.txt` is neither read as CSV nor as GeoJSON:
/// the command line and the web must agree, so neither guesses).
pub const UNSUPPORTED_TYPE: &str = "不支持的文件类型：可导入 .xlsx .xls .csv 表格（矿业权还可导入 .geojson/.json）；.ods 请另存为 .xlsx，.txt 文件请另存为 .csv（UTF-8）";

/// Whether `name` ends in one of [`TABLE_EXTENSIONS`] (any case).
pub fn is_table_file(name: &str) -> bool {
    let lower = name.to_lowercase();
    TABLE_EXTENSIONS.iter().any(|x| lower.ends_with(x))
}

/// Reads the first sheet of an XLSX/XLS file, or a CSV (UTF-8, with or without BOM), into rows
/// of cell texts, within the limits of [`minplan_domain::limits`]
/// ([`minplan_io::table::read_table`]). Numbers are written without trailing zeros; date
/// cells as `YYYY-MM-DD`.
///
/// # Errors
/// [`StoreError::BadInput`] naming the file when it cannot be read or exceeds a limit, or when
/// its name does not end in one of [`TABLE_EXTENSIONS`] ([`UNSUPPORTED_TYPE`]).
pub fn read_table(bytes: &[u8], name: &str) -> Result<Vec<Vec<String>>> {
    if !is_table_file(name) {
        return Err(StoreError::BadInput(format!("{name}：{UNSUPPORTED_TYPE}")));
    }
    minplan_io::table::read_table(bytes, name).map_err(|e| StoreError::BadInput(e.0))
}

/// The columns a table may have: (key, header aliases).
/// A table's columns: (key, header aliases; the first is the name shown in messages).
type Spec = &'static [(&'static str, &'static [&'static str])];

const RIGHT_COLUMNS: Spec = &[
    (
        "licence",
        &["许可证号", "证号", "采矿许可证号", "勘查许可证号"],
    ),
    ("kind", &["矿业权类型", "类型"]),
    ("status", &["状态"]),
    ("name", &["矿山名称", "项目名称", "名称"]),
    ("holder", &["矿业权人", "采矿权人", "探矿权人"]),
    ("credit_code", &["统一社会信用代码", "信用代码"]),
    ("minerals", &["矿种", "开采矿种"]),
    ("capacity", &["生产规模", "设计生产规模"]),
    ("unit", &["规模单位", "生产规模单位"]),
    ("approval", &["审批级别", "发证级别"]),
    ("mining_method", &["开采方式"]),
    (
        "sub_unit",
        &["所在县区", "所在县（区）", "所在县(区)", "所在乡镇"],
    ),
    ("valid_from", &["有效期起", "有效期起始"]),
    ("valid_to", &["有效期止", "有效期至"]),
    (
        "area",
        &["面积", "矿区面积", "申报面积", "面积（km²）", "面积(km²)"],
    ),
    ("elevation", &["开采标高"]),
    ("corners", &["拐点坐标", "坐标", "范围拐点坐标"]),
];

/// Columns a rights table must have (a missing one is a header problem).
const RIGHT_REQUIRED: &[&str] = &["licence", "name", "holder", "minerals", "corners"];

/// Largest 生产规模 accepted, in 万立方米/年 or 万吨/年.
pub const MAX_CAPACITY: f64 = 10_000.0;

/// [`MAX_CAPACITY`] in `unit` (10 000 万吨/年 is 10⁸ 吨/年); as is for a unit that is not
/// a yearly rate of mass or volume.
pub fn max_capacity_in(unit: Option<Unit>) -> f64 {
    use minplan_domain::units::{Dimension, convert};
    unit.and_then(|u| {
        let wan = match u.dimension() {
            Dimension::MassPerYear => Unit::WanTonnePerYear,
            Dimension::VolumePerYear => Unit::WanM3PerYear,
            _ => return None,
        };
        convert(MAX_CAPACITY, wan, u)
    })
    .unwrap_or(MAX_CAPACITY)
}
/// Largest 面积 accepted, km².
pub const MAX_AREA_KM2: f64 = 1_000.0;

const REPORT_COLUMNS: Spec = &[
    ("licence", &["许可证号", "证号", "采矿许可证号"]),
    ("year", &["年度", "统计年度"]),
    ("mineral", &["矿种"]),
    ("extraction", &["开采量"]),
    ("unit", &["单位", "开采量单位"]),
    (
        "output",
        &["产值", "产值（万元）", "产值(万元)", "工业总产值"],
    ),
    ("staff", &["从业人员", "从业人数"]),
    ("mining_recovery", &["开采回采率", "开采回采率（%）"]),
    ("processing_recovery", &["选矿回收率", "选矿回收率（%）"]),
    ("utilisation", &["综合利用率", "综合利用率（%）"]),
    ("water_reuse", &["清水循环利用率", "清水循环利用率（%）"]),
    (
        "disturbed",
        &[
            "本年损毁土地面积",
            "本年损毁土地面积（公顷）",
            "损毁土地面积",
        ],
    ),
    (
        "restored",
        &[
            "本年复垦（治理）面积",
            "本年复垦（治理）面积（公顷）",
            "本年复垦面积",
            "复垦面积",
        ],
    ),
    ("filed_on", &["报送日期"]),
];

/// Columns a reports table must have.
const REPORT_REQUIRED: &[&str] = &["licence", "year", "extraction", "output", "filed_on"];

/// The column key of a field of an annual-report [`minplan_domain::register::Problem`].
fn report_key(field: &str) -> &'static str {
    match field {
        "output_value" => "output",
        f => REPORT_COLUMNS
            .iter()
            .find(|(k, _)| *k == f)
            .map_or("year", |c| c.0),
    }
}

/// A number as shown in a message: huge ones in exponent form (`1e300`).
fn shown(v: f64) -> String {
    if v.abs() >= 1e9 {
        format!("{v:e}")
    } else {
        format_number(v)
    }
}

/// The Chinese name of a column key: its first header alias.
fn label(spec: Spec, key: &str) -> String {
    spec.iter()
        .find(|(k, _)| *k == key)
        .map_or_else(|| key.to_string(), |(_, a)| a[0].to_string())
}

fn norm(h: &str) -> String {
    h.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            c => c,
        })
        .collect()
}

/// Column positions by key; unknown headers are reported.
fn columns(
    header: &[String],
    spec: Spec,
    required: &[&str],
    problems: &mut Vec<RowProblem>,
) -> Vec<(&'static str, usize, String)> {
    let mut out = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if h.trim().is_empty() {
            continue;
        }
        match spec
            .iter()
            .find(|(_, aliases)| aliases.iter().any(|a| norm(a) == norm(h)))
        {
            Some((key, _)) if out.iter().any(|(k, _, _)| k == key) => problems.push(RowProblem {
                row: 1,
                column: Some(h.clone()),
                message: "列重复".into(),
            }),
            Some((key, _)) => out.push((*key, i, h.trim().to_string())),
            None => problems.push(RowProblem {
                row: 1,
                column: Some(h.clone()),
                message: format!(
                    "不认识的列名（可用：{}）",
                    spec.iter()
                        .map(|(_, a)| a[0])
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            }),
        }
    }
    for key in required {
        if !out.iter().any(|(k, _, _)| k == key) {
            problems.push(RowProblem {
                row: 1,
                column: Some(label(spec, key)),
                message: "缺少该列（必填）".into(),
            });
        }
    }
    out
}

struct RowReader<'a> {
    spec: Spec,
    cols: &'a [(&'static str, usize, String)],
    cells: &'a [String],
    row: usize,
    problems: Vec<RowProblem>,
}

impl RowReader<'_> {
    fn header(&self, key: &str) -> String {
        self.cols
            .iter()
            .find(|c| c.0 == key)
            .map_or_else(|| label(self.spec, key), |c| c.2.clone())
    }

    fn get(&self, key: &str) -> Option<String> {
        let (_, i, _) = self.cols.iter().find(|c| c.0 == key)?;
        self.cells
            .get(*i)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    fn bad(&mut self, key: &str, message: impl Into<String>) {
        let column = Some(self.header(key));
        self.problems.push(RowProblem {
            row: self.row,
            column,
            message: message.into(),
        });
    }

    fn required(&mut self, key: &str) -> Option<String> {
        let v = self.get(key);
        if v.is_none() {
            self.bad(key, "不能为空");
        }
        v
    }

    fn number(&mut self, key: &str) -> Option<f64> {
        let s = self.get(key)?;
        match s.trim_end_matches('%').trim().parse::<f64>() {
            Ok(v) if v.is_finite() => Some(v),
            _ => {
                self.bad(key, format!("“{s}”不是数字"));
                None
            }
        }
    }

    fn date(&mut self, key: &str) -> Option<Date> {
        let s = self.get(key)?;
        match Date::parse(&s) {
            Ok(d) => Some(d),
            // A date cell that lost its date format reads as Excel's serial day number
            // (days since 1899-12-30): 36526 = 2000-01-01 … 73051 = 2099-12-31.
            Err(_)
                if s.parse::<i64>()
                    .is_ok_and(|n| (36_526..=73_051).contains(&n)) =>
            {
                Some(Date::from_days(s.parse::<i64>().unwrap_or(0) - 25_569))
            }
            Err(e) => {
                self.bad(key, e.to_string());
                None
            }
        }
    }
}

/// How an import template marks its example row: the 许可证号 cell starts with it. The
/// importer refuses such a row by name, so a forgotten example row is never imported.
pub const TEMPLATE_EXAMPLE_MARK: &str = "示例-";

/// The 许可证号 of a row unless it is a template's example row, which is refused at that cell.
fn licence_of(r: &mut RowReader<'_>) -> Option<String> {
    let licence = r.required("licence")?;
    if licence.starts_with(TEMPLATE_EXAMPLE_MARK) {
        r.bad(
            "licence",
            format!(
                "这是导入模板的示例行（许可证号以“{TEMPLATE_EXAMPLE_MARK}”开头）：请删除此行，或改为实际数据"
            ),
        );
        return None;
    }
    Some(licence)
}

/// A right read from a row, ready to write.
#[derive(Debug)]
struct RightRow {
    state: RightState,
    geometry: Vec<LonLatPolygon>,
}

fn read_right(plan: &Plan, settings: CornerSettings, r: &mut RowReader<'_>) -> Option<RightRow> {
    let licence = licence_of(r);
    let kind = match r.get("kind") {
        None => RightKind::Mining,
        Some(k) => RightKind::parse(&k).unwrap_or_else(|| {
            r.bad("kind", format!("“{k}”应为 探矿权 或 采矿权"));
            RightKind::Mining
        }),
    };
    let standing = match r.get("status").as_deref() {
        None | Some("有效") | Some("已过期") => Standing::Valid,
        Some("已注销") => Standing::Cancelled,
        Some("闭坑") => Standing::Closed,
        Some(other) => {
            r.bad(
                "status",
                format!("“{other}”应为 有效、已过期、已注销、闭坑 之一"),
            );
            Standing::Valid
        }
    };
    let name = r.required("name");
    let holder = r.required("holder");
    let credit_code = match r.get("credit_code") {
        None => None,
        Some(c) => match CreditCode::parse(&c) {
            Ok(code) => Some(code.to_string()),
            Err(e) => {
                r.bad("credit_code", e.to_string());
                None
            }
        },
    };
    let mut minerals = Vec::new();
    if let Some(m) = r.required("minerals") {
        for part in m
            .split(['、', ',', '，', ';', '；'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match plan.minerals.get(part) {
                Some(k) => minerals.push(k.name.clone()),
                None => r.bad(
                    "minerals",
                    format!("未知矿种“{part}”（规划矿种目录中没有）"),
                ),
            }
        }
        if minerals.is_empty() && !r.problems.iter().any(|p| p.message.contains("未知矿种")) {
            r.bad("minerals", "至少填写一个矿种");
        }
    }
    // The bound in the row's unit (吨/年 rows are 10 000 times larger than 万吨/年 ones).
    let row_unit = r.get("unit").and_then(|u| Unit::parse(&u).ok());
    let max = max_capacity_in(row_unit);
    let capacity_value = r.number("capacity").filter(|v| {
        let ok = *v > 0.0 && *v <= max;
        if !ok {
            r.bad(
                "capacity",
                match row_unit {
                    Some(u) if max != MAX_CAPACITY => format!(
                        "生产规模应大于 0 且不超过 {} {u}，表中为 {}",
                        format_number(max),
                        shown(*v)
                    ),
                    _ => format!(
                        "生产规模应大于 0 且不超过 {}（万立方米/年 或 万吨/年），表中为 {}",
                        format_number(MAX_CAPACITY),
                        shown(*v)
                    ),
                },
            );
        }
        ok
    });
    let capacity_given = r.get("capacity").is_some();
    let capacity = match (capacity_value, r.get("unit")) {
        (Some(v), Some(u)) => match Unit::parse(&u) {
            Ok(unit) if unit.per_year() == Some(unit) => Some(Quantity { value: v, unit }),
            Ok(unit) => {
                r.bad(
                    "unit",
                    format!(
                        "“{unit}”应为年产量单位（万立方米/年、千立方米/年、万吨/年、吨/年 等）"
                    ),
                );
                None
            }
            Err(e) => {
                r.bad("unit", e.to_string());
                None
            }
        },
        (Some(_), None) => {
            r.bad("unit", "填写了生产规模，须填写规模单位");
            None
        }
        (None, _) => {
            if kind == RightKind::Mining && !capacity_given {
                r.bad("capacity", "采矿权须填写生产规模");
            }
            None
        }
    };
    let approval = match r.get("approval") {
        None => None,
        Some(a) => match ApprovalLevel::parse(&a) {
            Some(l) => Some(l),
            None => {
                r.bad(
                    "approval",
                    format!("“{a}”应为 省级、市级划定、本级审批 之一"),
                );
                None
            }
        },
    };
    let mining_method = match r.get("mining_method") {
        None => None,
        Some(m) => match minplan_domain::application::MiningMethod::parse(&m) {
            Some(m) => Some(m),
            None => {
                r.bad(
                    "mining_method",
                    format!(
                        "“{m}”应为 {} 之一",
                        minplan_domain::application::MiningMethod::LABELS.join("、")
                    ),
                );
                None
            }
        },
    };
    let valid_from = r.date("valid_from");
    let valid_to = r.date("valid_to");
    if let (Some(f), Some(t)) = (valid_from, valid_to)
        && t < f
    {
        r.bad("valid_to", "有效期止早于有效期起");
    }
    // 已过期 is read from the dates (a right past its 有效期止 is shown 已过期 from that day),
    // so a row saying 已过期 must give the date that makes it so.
    if r.get("status").as_deref() == Some("已过期") {
        let today = crate::today();
        match valid_to {
            None => r.bad(
                "status",
                "状态为“已过期”，但没有填写有效期止：请填写有效期止",
            ),
            Some(t) if t >= today => r.bad(
                "status",
                format!("状态为“已过期”，但有效期止 {t} 尚未到期：请核对状态或有效期止"),
            ),
            Some(_) => {}
        }
    }
    let elevation = r.get("elevation").and_then(|e| {
        let parts: Vec<Option<f64>> = e
            .split(['~', '～', '至', '/', '－', '—', ','])
            .map(|p| {
                p.trim()
                    .trim_end_matches(['米', 'm'])
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite())
            })
            .collect();
        match parts[..] {
            [Some(top), Some(bottom)] if top > bottom => Some((top, bottom)),
            [Some(top), Some(bottom)] => {
                r.bad(
                    "elevation",
                    format!(
                        "“{e}”：起标高（{}）应高于止标高（{}），应写作 起标高～止标高（如 560～480）",
                        format_number(top),
                        format_number(bottom)
                    ),
                );
                None
            }
            _ => {
                r.bad(
                    "elevation",
                    format!("“{e}”应写作 起标高～止标高（如 560～480）"),
                );
                None
            }
        }
    });
    let area_message = |v: &str| {
        format!(
            "面积应大于 0 且不超过 {} km²，表中为 {v}",
            format_number(MAX_AREA_KM2),
        )
    };
    // 面积 as written: km² when a bare number, or with its unit (公顷, 平方米, 亩…), compared
    // below with the corners' ellipsoidal area within its rounding.
    let area_given = r.get("area").is_some();
    let declared = match r.get("area") {
        None => None,
        Some(text) => {
            let plain = text.parse::<f64>().ok();
            match corners::parse_declared_area(&text) {
                Ok(a) if a.km2 <= MAX_AREA_KM2 => Some(a),
                Ok(a) => {
                    r.bad("area", area_message(&plain.map_or(text, |_| shown(a.km2))));
                    None
                }
                Err(e) => {
                    r.bad("area", plain.map_or(e, |v| area_message(&shown(v))));
                    None
                }
            }
        }
    };
    let mut area = declared.as_ref().map(|a| a.km2);
    let mut geometry = Vec::new();
    if let Some(text) = r.required("corners") {
        let zone = match settings.zone {
            Some(z) => minplan_geo::GaussKrugerZone::three_degree(z, false)
                .unwrap_or_else(|_| plan.region.zone.with_prefix(false)),
            None => plan.region.zone.with_prefix(false),
        };
        let opts = ParseOptions {
            region: Some(region_of(plan)),
            zone: Some(zone),
            datum: settings.datum,
            ..ParseOptions::default()
        };
        let report = corners::parse_str(&text, &opts);
        let errors: Vec<_> = report
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .collect();
        if report.nothing_read() {
            r.bad("corners", "没有读到任何拐点");
        } else if !errors.is_empty() {
            for p in errors {
                let pts = if p.points.is_empty() {
                    String::new()
                } else {
                    format!("（{}）", p.points.join("、"))
                };
                r.bad("corners", format!("{}{pts}", corner_message(p)));
            }
        } else if let Some(km2) = report.areas.as_ref().map(|a| a.km2) {
            if !area_given {
                if km2 > 0.0 && km2 <= MAX_AREA_KM2 {
                    area = Some(km2);
                } else {
                    r.bad(
                        "corners",
                        format!("按拐点坐标计算的{}", area_message(&shown(km2))),
                    );
                }
            }
            // The 面积 as written against the corners: the rule of a notice's stated area.
            if let Some(d) = &declared {
                let comparison = corners::compare_area(d, report.areas.as_ref());
                if comparison.severity() == Some(Severity::Error)
                    && let Some(p) = comparison.problem(d, "面积")
                {
                    r.bad("area", p.message);
                }
            }
            match CornerPoints::try_from(report) {
                Ok(cp) => {
                    geometry = cp
                        .lonlat_polygons()
                        .into_iter()
                        .map(|poly| {
                            poly.into_iter()
                                .map(|ring| ring.into_iter().map(|(x, y)| [x, y]).collect())
                                .collect()
                        })
                        .collect();
                }
                Err(_) => r.bad("corners", "拐点坐标无法构成有效的范围"),
            }
        } else {
            r.bad("corners", "坐标系无法确定，不能计算范围");
        }
    }
    let (licence, name, holder) = (licence?, name?, holder?);
    Some(RightRow {
        state: RightState {
            id: licence,
            kind,
            standing,
            name,
            holder_name: holder,
            credit_code,
            minerals,
            capacity,
            approval,
            mining_method,
            sub_unit: r.get("sub_unit").filter(|s| !s.trim().is_empty()),
            valid_from,
            valid_to,
            area_km2: area,
            elevation,
            mine_id: None,
            application: None,
            grant: None,
            mortgage: None,
            closure_report: None,
            closure: None,
            cancel_reason: None,
        },
        geometry,
    })
}

/// A corner problem of a table cell in the import's words: a missing 坐标系 or 带号 names the
/// import's own choices (the form's 坐标系 / 投影带, the command line's `--datum` / `--zone`),
/// not those of `minplan coords check`.
fn corner_message(p: &corners::Problem) -> String {
    const DATUM: &str =
        "导入时选择坐标系（网页“坐标系”选 2000国家大地坐标系；命令行 --datum cgcs2000）";
    const ZONE: &str = "导入时选择投影带（网页“投影带”；命令行 --zone，如 --zone 44）";
    match p.kind {
        ProblemKind::DatumNotStated => format!(
            "拐点坐标未说明坐标系，无法确定是否为 CGCS2000，不予猜测：请在单元格中注明（如“2000国家大地坐标系”），或{DATUM}"
        ),
        ProblemKind::ZonePrefixMissing
        | ProblemKind::ZonePrefixWrong
        | ProblemKind::OutsideZoneRange => {
            let m = p
                .message
                .replace("，或在检查时指定投影带", "")
                .replace("（可在检查时指定投影带）", "");
            format!("{m}；可{ZONE}")
        }
        _ => p.message.replace("或在检查时指定坐标系", DATUM),
    }
}

impl Store {
    /// Imports rights from a table (see the module documentation of `bulk`) with the
    /// default [`CornerSettings`] (cells state their 坐标系).
    ///
    /// # Errors
    /// As [`Store::import_rights_table_with`].
    pub async fn import_rights_table(
        &self,
        plan: &Plan,
        table: &[Vec<String>],
        source: &str,
        mode: BulkMode,
        actor: &Actor,
    ) -> Result<BulkOutcome> {
        self.import_rights_table_with(plan, table, source, mode, CornerSettings::default(), actor)
            .await
    }

    /// Imports rights from a table (see the module documentation of `bulk`): each
    /// right gets an `import` event dated 有效期起, and each mining right a mine; corner
    /// cells without a 坐标系 or 带号 statement are read with `settings`.
    ///
    /// # Errors
    /// [`StoreError::BadInput`] for a table without a header row; [`StoreError::Db`].
    pub async fn import_rights_table_with(
        &self,
        plan: &Plan,
        table: &[Vec<String>],
        source: &str,
        mode: BulkMode,
        settings: CornerSettings,
        actor: &Actor,
    ) -> Result<BulkOutcome> {
        let check = self
            .check_rights_table(plan, table, source, settings)
            .await?;
        self.write_rights_table(check, plan, table, source, mode, settings, actor)
            .await
    }

    /// The long part of [`Store::import_rights_table_with`], done while other writes go on
    /// (issue 19): every row read and checked against the register as it stands now.
    ///
    /// # Errors
    /// [`StoreError::BadInput`] for a table without a header row; [`StoreError::Db`].
    pub async fn check_rights_table(
        &self,
        plan: &Plan,
        table: &[Vec<String>],
        source: &str,
        settings: CornerSettings,
    ) -> Result<RightsTableCheck> {
        let Some(header) = table.first() else {
            return Err(StoreError::BadInput(format!("{source}：表格是空的")));
        };
        let register = self.register_stamp().await?;
        let mut problems = Vec::new();
        let cols = columns(header, RIGHT_COLUMNS, RIGHT_REQUIRED, &mut problems);
        let existing: std::collections::HashSet<String> = self
            .list_rights()
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let mut good = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut rows = 0;
        for (i, cells) in table.iter().enumerate().skip(1) {
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            rows += 1;
            let mut r = RowReader {
                spec: RIGHT_COLUMNS,
                cols: &cols,
                cells,
                row: i + 1,
                problems: Vec::new(),
            };
            let parsed = read_right(plan, settings, &mut r);
            if let Some(p) = &parsed {
                if existing.contains(&p.state.id) {
                    r.bad("licence", format!("许可证号 {} 已在登记簿中", p.state.id));
                } else if !seen.insert(p.state.id.clone()) {
                    r.bad("licence", format!("许可证号 {} 在表中重复", p.state.id));
                }
            }
            if r.problems.is_empty()
                && let Some(p) = parsed
            {
                good.push(p);
            }
            problems.extend(r.problems);
        }
        Ok(RightsTableCheck {
            rows,
            problems,
            good,
            register,
        })
    }

    /// The short part of [`Store::import_rights_table_with`]: writes the rows `check` found
    /// good, in one transaction, when `mode` says so. A caller that serialises its writes
    /// (the web server's write lock) holds its lock for this part only. When the register
    /// changed since the check (another import, a new right), the table is checked again
    /// first — here, so that no licence number is written twice.
    ///
    /// # Errors
    /// As [`Store::check_rights_table`]; [`StoreError::Db`].
    #[allow(clippy::too_many_arguments)]
    pub async fn write_rights_table(
        &self,
        check: RightsTableCheck,
        plan: &Plan,
        table: &[Vec<String>],
        source: &str,
        mode: BulkMode,
        settings: CornerSettings,
        actor: &Actor,
    ) -> Result<BulkOutcome> {
        let check = if self.register_stamp().await? == check.register {
            check
        } else {
            self.check_rights_table(plan, table, source, settings)
                .await?
        };
        let RightsTableCheck {
            rows,
            problems,
            mut good,
            ..
        } = check;
        let write = writes(&problems, mode);
        let keys: Vec<String> = good.iter().map(|g| g.state.id.clone()).collect();
        let mut imported = 0;
        if write && !good.is_empty() {
            let mut tx = self.begin_write().await?;
            for g in &mut good {
                if g.state.kind == RightKind::Mining {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO mines (name, block_number, created_at) VALUES (?, NULL, ?) RETURNING id",
                    )
                    .bind(&g.state.name)
                    .bind(now_rfc3339())
                    .fetch_one(&mut *tx)
                    .await?;
                    crate::audit::append(
                        &mut tx,
                        &crate::AuditEntry {
                            actor,
                            action: "mine.create",
                            entity_type: "mine",
                            entity_id: id.to_string(),
                            before: None,
                            after: Some(
                                serde_json::json!({ "name": g.state.name, "source": source }),
                            ),
                        },
                    )
                    .await?;
                    g.state.mine_id = Some(id);
                }
                record_import(&mut tx, &g.state, &g.geometry, source, actor).await?;
                imported += 1;
            }
            tx.commit().await?;
        }
        Ok(BulkOutcome {
            rows,
            valid: keys.len(),
            imported,
            committed: imported > 0,
            problems,
            keys,
        })
    }

    /// Imports annual reports from a table: each row names the licence (许可证号) whose mine
    /// reports, and is checked as a filing (`report.file` audit rows, 代报 by `actor`).
    ///
    /// # Errors
    /// [`StoreError::BadInput`] for a table without a header row; [`StoreError::Db`].
    pub async fn import_reports_table(
        &self,
        plan: &Plan,
        table: &[Vec<String>],
        source: &str,
        mode: BulkMode,
        actor: &Actor,
    ) -> Result<BulkOutcome> {
        let check = self.check_reports_table(plan, table, source).await?;
        self.write_reports_table(check, plan, table, source, mode, actor)
            .await
    }

    /// The long part of [`Store::import_reports_table`], done while other writes go on
    /// (issue 19): every row read and checked against the register as it stands now.
    ///
    /// # Errors
    /// [`StoreError::BadInput`] for a table without a header row; [`StoreError::Db`].
    pub async fn check_reports_table(
        &self,
        plan: &Plan,
        table: &[Vec<String>],
        source: &str,
    ) -> Result<ReportsTableCheck> {
        let Some(header) = table.first() else {
            return Err(StoreError::BadInput(format!("{source}：表格是空的")));
        };
        let register = self.register_stamp().await?;
        let mut problems = Vec::new();
        let cols = columns(header, REPORT_COLUMNS, REPORT_REQUIRED, &mut problems);
        let histories = self.right_histories().await?;
        let by_licence: std::collections::HashMap<&str, &RightHistory> =
            histories.iter().map(|h| (h.id.as_str(), h)).collect();
        let mut seen = std::collections::HashSet::new();
        let mut good: Vec<(usize, i64, ReportInput)> = Vec::new();
        let mut rows = 0;
        for (i, cells) in table.iter().enumerate().skip(1) {
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            rows += 1;
            let mut r = RowReader {
                spec: REPORT_COLUMNS,
                cols: &cols,
                cells,
                row: i + 1,
                problems: Vec::new(),
            };
            let licence = licence_of(&mut r);
            let mine = licence
                .as_ref()
                .and_then(|l| match by_licence.get(l.as_str()) {
                    None => {
                        r.bad("licence", format!("登记簿中没有许可证号 {l}"));
                        None
                    }
                    Some(h) => match h.events.iter().rev().find_map(|e| e.state.mine_id) {
                        Some(m) => Some(m),
                        None => {
                            r.bad("licence", format!("{l} 没有对应的矿山"));
                            None
                        }
                    },
                });
            let year = r.required("year").and_then(|y| {
                match y.trim().trim_end_matches('年').parse::<i32>() {
                    Ok(v) => Some(v),
                    Err(_) => {
                        r.bad("year", format!("“{y}”不是年份"));
                        None
                    }
                }
            });
            // The figures are read and bounded by the same domain function as the web form
            // (`annual_report::parse_figures`), on every row, whatever else is wrong with it.
            let cell = |key: &str| r.get(key).unwrap_or_default();
            let (extraction, unit, output, staff, mining, processing, utilisation, water) = (
                cell("extraction"),
                cell("unit"),
                cell("output"),
                cell("staff"),
                cell("mining_recovery"),
                cell("processing_recovery"),
                cell("utilisation"),
                cell("water_reuse"),
            );
            let (disturbed, restored) = (cell("disturbed"), cell("restored"));
            let figures = match annual_report::parse_figures(&annual_report::FigureText {
                extraction: &extraction,
                unit: &unit,
                output_value: &output,
                staff: &staff,
                mining_recovery: &mining,
                processing_recovery: &processing,
                utilisation: &utilisation,
                water_reuse: &water,
                disturbed: &disturbed,
                restored: &restored,
            }) {
                Ok(f) => f,
                Err(ps) => {
                    for p in ps {
                        r.bad(report_key(&p.field), p.message);
                    }
                    annual_report::Figures::default()
                }
            };
            let filed_on = r.date("filed_on");
            if r.get("filed_on").is_none() {
                r.bad("filed_on", "不能为空");
            }
            let input = ReportInput {
                year: year.unwrap_or(0),
                mineral: r.get("mineral"),
                extraction: figures.extraction.unwrap_or(0.0),
                unit: figures.unit,
                output_value_wan_yuan: figures.output_value_wan_yuan.unwrap_or(0.0),
                staff: figures.staff.unwrap_or(0),
                mining_recovery_pct: figures.mining_recovery_pct,
                processing_recovery_pct: figures.processing_recovery_pct,
                utilisation_pct: figures.utilisation_pct,
                water_reuse_pct: figures.water_reuse_pct,
                filed_on: filed_on.unwrap_or_else(|| Date::start_of_year(1970)),
                note: Some(format!("批量导入：{source}")),
                disturbed_ha: figures.disturbed_ha,
                restored_ha: figures.restored_ha,
            };
            if let (Some(m), Some(y)) = (mine, year) {
                if !seen.insert((m, y)) {
                    r.bad("year", format!("同一矿山 {y} 年度在表中重复"));
                }
                if r.problems.is_empty() {
                    let rights: Vec<_> = histories
                        .iter()
                        .filter(|h| h.events.iter().any(|e| e.state.mine_id == Some(m)))
                        .collect();
                    let floor = plan
                        .admission
                        .other
                        .iter()
                        .find(|f| f.key == "water_reuse_rate")
                        .map(|f| f.value);
                    if let Err(ps) =
                        annual_report::check_report(&input, &rights, floor, &plan.minerals)
                    {
                        for p in ps {
                            r.bad(report_key(&p.field), p.message);
                        }
                    }
                }
                if r.problems.is_empty() {
                    good.push((i + 1, m, input));
                }
            }
            problems.extend(r.problems);
        }
        drop(by_licence);
        Ok(ReportsTableCheck {
            rows,
            problems,
            good,
            histories,
            register,
        })
    }

    /// The short part of [`Store::import_reports_table`]: files the reports `check` found
    /// good, in one transaction, when `mode` says so; checked again first when the register
    /// changed since the check. A caller that serialises its writes holds its lock for this
    /// part only.
    ///
    /// # Errors
    /// As [`Store::check_reports_table`]; [`StoreError::Db`].
    pub async fn write_reports_table(
        &self,
        check: ReportsTableCheck,
        plan: &Plan,
        table: &[Vec<String>],
        source: &str,
        mode: BulkMode,
        actor: &Actor,
    ) -> Result<BulkOutcome> {
        let check = if self.register_stamp().await? == check.register {
            check
        } else {
            self.check_reports_table(plan, table, source).await?
        };
        let ReportsTableCheck {
            rows,
            problems,
            good,
            histories,
            ..
        } = check;
        let write = writes(&problems, mode);
        let keys: Vec<String> = good
            .iter()
            .map(|g| format!("{}:{}", g.1, g.2.year))
            .collect();
        let mut imported = 0;
        if write && !good.is_empty() {
            let mut tx = self.begin_write().await?;
            for (_, mine, input) in &good {
                file_report_tx(&mut tx, &histories, plan, *mine, input, true, None, actor).await?;
                imported += 1;
            }
            tx.commit().await?;
        }
        Ok(BulkOutcome {
            rows,
            valid: keys.len(),
            imported,
            committed: imported > 0,
            problems,
            keys,
        })
    }
}

/// The English property keys of a GeoJSON register ([`Store::import_rights`]) → the column key.
const ENGLISH_KEYS: &[(&str, &str)] = &[
    ("id", "licence"),
    ("kind", "kind"),
    ("status", "status"),
    ("name", "name"),
    ("holder_name", "holder"),
    ("credit_code", "credit_code"),
    ("minerals", "minerals"),
    ("capacity", "capacity"),
    ("capacity_unit", "unit"),
    ("approval", "approval"),
    ("valid_from", "valid_from"),
    ("valid_to", "valid_to"),
    ("area", "area"),
];

/// The column key of a layer attribute: a header alias of the rights table, an alias cut to
/// 10 bytes by a DBF (its first four or more characters), or an English key.
fn register_column(name: &str) -> Option<&'static str> {
    let n = norm(name);
    RIGHT_COLUMNS
        .iter()
        .find(|(_, aliases)| aliases.iter().any(|a| norm(a) == n))
        .or_else(|| {
            (n.chars().count() >= 4)
                .then(|| {
                    RIGHT_COLUMNS
                        .iter()
                        .find(|(_, aliases)| aliases.iter().any(|a| norm(a).starts_with(&n)))
                })
                .flatten()
        })
        .map(|(k, _)| *k)
        .or_else(|| {
            ENGLISH_KEYS
                .iter()
                .find(|(e, _)| *e == name)
                .map(|(_, k)| *k)
        })
}

/// Whether a layer's attributes name rights-table columns in Chinese (then it is imported
/// through [`layer_register_table`] and the table's checks).
pub fn has_register_columns(layer: &minplan_domain::layer::SourceLayer) -> bool {
    layer.features.iter().any(|f| {
        f.properties
            .keys()
            .any(|k| register_column(k).is_some() && !ENGLISH_KEYS.iter().any(|(e, _)| e == k))
    })
}

/// A register read from a layer file (Shapefile, GeoPackage, KML, GeoJSON) as a rights table:
/// one row per feature, the attributes under their table headers (by name, cut DBF name or
/// English key; other attributes are left out and named in the returned notes), and the
/// geometry as 拐点坐标 text ([`minplan_io::corners::corner_text`]) in the file's CRS — or in
/// `declared` when the file declares none — so that every row gets the table's checks
/// ([`Store::import_rights_table`]: credit code, minerals, capacity, dates, area against the
/// corners, region) and its dry run.
///
/// # Errors
/// A Chinese message when neither the file nor the user gives a CRS.
pub fn layer_register_table(
    layer: &minplan_domain::layer::SourceLayer,
    declared: Option<minplan_geo::Crs>,
) -> std::result::Result<(Vec<Vec<String>>, Vec<String>), String> {
    let crs = match (layer.crs, declared) {
        (Some(f), Some(u)) if f.epsg() != u.epsg() => {
            return Err(format!(
                "文件声明的坐标系为 EPSG:{}，与指定的 EPSG:{} 不一致",
                f.epsg(),
                u.epsg()
            ));
        }
        (Some(c), _) | (None, Some(c)) => c,
        (None, None) => {
            return Err(
                "文件没有声明坐标系（如 Shapefile 缺少 .prj）：请用 --epsg 指定，不会猜测".into(),
            );
        }
    };
    // Columns in first-appearance order, each key once.
    let mut cols: Vec<(String, &'static str)> = Vec::new();
    let mut skipped: Vec<String> = Vec::new();
    for f in &layer.features {
        for k in f.properties.keys() {
            match register_column(k) {
                Some(key) if !cols.iter().any(|(_, c)| *c == key) && key != "corners" => {
                    cols.push((k.clone(), key));
                }
                Some(_) => {}
                None if !skipped.contains(k) => skipped.push(k.clone()),
                None => {}
            }
        }
    }
    let mut header: Vec<String> = cols
        .iter()
        .map(|(_, key)| label(RIGHT_COLUMNS, key))
        .collect();
    header.push(label(RIGHT_COLUMNS, "corners"));
    let mut rows = vec![header];
    for f in &layer.features {
        let mut row: Vec<String> = cols
            .iter()
            .map(|(name, _)| match f.properties.get(name) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Array(a)) => a
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                    .collect::<Vec<_>>()
                    .join("、"),
                Some(v) => v.to_string(),
            })
            .collect();
        let one = minplan_domain::layer::SourceLayer {
            crs: Some(crs),
            features: vec![f.clone()],
            notes: Vec::new(),
        };
        row.push(match &f.geometry {
            Ok(_) => minplan_io::corners::corner_text(&one).unwrap_or_default(),
            Err(_) => String::new(),
        });
        rows.push(row);
    }
    let notes = if skipped.is_empty() {
        Vec::new()
    } else {
        vec![format!(
            "以下属性不是登记表的列，未读取：{}",
            skipped.join("、")
        )]
    };
    Ok((rows, notes))
}

/// A column of a bulk-import table as the importer reads it: its key, the header it is known
/// by first (the one an import template writes), every header accepted, and whether a table
/// must have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportColumn {
    /// Key (`licence`, `corners`, …).
    pub key: &'static str,
    /// The first header accepted (许可证号, 拐点坐标, …).
    pub header: &'static str,
    /// Every header accepted.
    pub aliases: &'static [&'static str],
    /// Required.
    pub required: bool,
}

fn import_columns(spec: Spec, required: &[&str]) -> Vec<ImportColumn> {
    spec.iter()
        .map(|(key, aliases)| ImportColumn {
            key,
            header: aliases[0],
            aliases,
            required: required.contains(key),
        })
        .collect()
}

/// The columns of a rights table (`import_rights_table`), in the importer's order.
pub fn right_columns() -> Vec<ImportColumn> {
    import_columns(RIGHT_COLUMNS, RIGHT_REQUIRED)
}

/// The columns of an annual-reports table (`import_reports_table`), in the importer's order.
pub fn report_columns() -> Vec<ImportColumn> {
    import_columns(REPORT_COLUMNS, REPORT_REQUIRED)
}
