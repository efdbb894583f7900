//! The documents of 矿区生态保护修复 (《规划》六（二）, baseline 一（一）5–6, 专栏1):
//!
//! * [`restoration_ledger_xlsx`] — the 生态修复台账: sheets 历史遗留矿山, 修复项目, 治理恢复基金,
//!   each ending with a 合计 row computed from its rows (a column with a missing value in some
//!   row is not summed: its total says 部分无数据), and a 说明 sheet;
//! * [`annual_restoration_docx`] — the 年度矿山生态修复工作报告 in the bureau's conventions
//!   (title block, the year's figures table, sections for legacy mines, projects, the fund,
//!   三同时 and 边开采边治理, green mines; signature block; dates as people write them; no
//!   product name).
//!
//! Inputs are plain structs whose text is already in people's words (display names, Chinese
//! statuses, dates as [`Date`]); the caller maps the store's records onto them. A row that
//! contradicts itself (a negative amount or area, a stated shortfall other than due − accrued)
//! is refused with [`ReportError::Input`] naming the sheet and the row: nothing is written.
//! Amounts in 万元, areas in km² as the field names say.

use crate::ReportError;
use crate::docx::elements::{header_row, heading, para, table, text_cell};
use crate::docx::official::{self, Issuer};
use crate::evaluation::{TEXT_W, document, finish, restoration_figures_table};
use docx_rs::{AlignmentType, TableRow};
use minplan_domain::date::Date;
use minplan_domain::restoration::indicators::{RestorationIndicators, number_label};
use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet, XlsxError};

fn xerr(e: XlsxError) -> ReportError {
    ReportError::Xlsx(e.to_string())
}

/// A 历史遗留矿山 as the ledger lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyMineRow {
    /// Name (e.g. `阜宁镇原采石场`).
    pub name: String,
    /// Where (乡镇、村).
    pub location: String,
    /// Former mineral and method (`建筑用石料，露天`).
    pub former_use: String,
    /// Area, km².
    pub area_km2: f64,
    /// Problems found, `、`-joined (地质灾害隐患、损毁土地 …).
    pub problems: String,
    /// Responsible party, or `无（责任人灭失）`.
    pub responsible: String,
    /// Restoration direction (宜林则林 …) and its reason.
    pub direction: String,
    /// Status (未治理 / 治理中 / 已治理 / 已验收).
    pub status: String,
    /// Whether the entry is schematic (示意).
    pub schematic: bool,
}

/// A 修复项目 as the ledger lists it. Funding by source, 万元.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow {
    /// Name.
    pub name: String,
    /// Its sites in words (legacy mines or a mine's disturbed area).
    pub sites: String,
    /// Whether it is a 重点治理项目 (counted toward 专栏1).
    pub key_project: bool,
    /// 中央财政, 万元.
    pub central: f64,
    /// 省级财政, 万元.
    pub provincial: f64,
    /// 地方 (市县) 财政, 万元.
    pub local: f64,
    /// 社会资本 (谁修复、谁受益), 万元.
    pub social: f64,
    /// The company's 治理恢复基金, 万元.
    pub company_fund: f64,
    /// Spent, 万元.
    pub spent: f64,
    /// Restored area, km²; `None` while not measured.
    pub restored_area_km2: Option<f64>,
    /// Start date.
    pub start: Option<Date>,
    /// Acceptance date (验收), when accepted.
    pub accepted: Option<Date>,
    /// Status in words (实施中, 已验收, 基期项目 …).
    pub status: String,
}

impl ProjectRow {
    /// The budget: the sum of the sources, 万元.
    pub fn budget(&self) -> f64 {
        self.central + self.provincial + self.local + self.social + self.company_fund
    }
}

/// A mine's fund over one period, as the ledger lists it. Amounts in 万元.
#[derive(Debug, Clone, PartialEq)]
pub struct FundRow {
    /// Mine name.
    pub mine: String,
    /// Holder (矿业权人).
    pub holder: String,
    /// Period (`2025年第1季度`, `2025年度`).
    pub period: String,
    /// Amount due; `None` when the bureau's method gives none (未核定).
    pub due: Option<f64>,
    /// Accrued in the period.
    pub accrued: f64,
    /// Withdrawn (used) in the period.
    pub withdrawn: f64,
    /// Balance at the end of the period.
    pub balance: f64,
    /// Shortfall (due − accrued when positive, else 0); `None` when the due amount is unknown.
    pub shortfall: Option<f64>,
    /// Remark (责令限期整改 …).
    pub note: String,
}

/// The 生态修复台账 of a county on a date.
#[derive(Debug, Clone, PartialEq)]
pub struct RestorationLedger {
    /// The unit (e.g. `绥芬河市`).
    pub unit: String,
    /// As of.
    pub as_of: Date,
    /// 历史遗留矿山.
    pub legacy: Vec<LegacyMineRow>,
    /// 修复项目.
    pub projects: Vec<ProjectRow>,
    /// 治理恢复基金.
    pub fund: Vec<FundRow>,
}

const EPS: f64 = 0.005;

fn refuse(sheet: &str, i: usize, name: &str, what: String) -> ReportError {
    ReportError::Input(format!("{sheet}第 {} 行（{name}）：{what}", i + 1))
}

fn non_negative(
    sheet: &str,
    i: usize,
    name: &str,
    fields: &[(&str, f64)],
) -> Result<(), ReportError> {
    for (f, v) in fields {
        if !v.is_finite() || *v < 0.0 {
            return Err(refuse(sheet, i, name, format!("{f}为 {v}，不能为负数")));
        }
    }
    Ok(())
}

/// Checks every row of `l`: no negative amount or area; a stated shortfall equals
/// max(due − accrued, 0) (within 0.005 万元) and is absent only when the due amount is.
///
/// # Errors
/// [`ReportError::Input`] naming the sheet, the row (from 1) and the field.
pub fn check_ledger(l: &RestorationLedger) -> Result<(), ReportError> {
    for (i, r) in l.legacy.iter().enumerate() {
        non_negative("历史遗留矿山", i, &r.name, &[("面积", r.area_km2)])?;
    }
    for (i, r) in l.projects.iter().enumerate() {
        non_negative(
            "修复项目",
            i,
            &r.name,
            &[
                ("中央财政", r.central),
                ("省级财政", r.provincial),
                ("地方财政", r.local),
                ("社会资本", r.social),
                ("企业基金", r.company_fund),
                ("已支出", r.spent),
                ("修复面积", r.restored_area_km2.unwrap_or(0.0)),
            ],
        )?;
    }
    for (i, r) in l.fund.iter().enumerate() {
        let name = format!("{}，{}", r.mine, r.period);
        non_negative(
            "治理恢复基金",
            i,
            &name,
            &[
                ("应提取", r.due.unwrap_or(0.0)),
                ("已提取", r.accrued),
                ("已使用", r.withdrawn),
                ("余额", r.balance),
            ],
        )?;
        match (r.due, r.shortfall) {
            (Some(d), Some(s)) => {
                let expect = (d - r.accrued).max(0.0);
                if (expect - s).abs() > EPS {
                    return Err(refuse(
                        "治理恢复基金",
                        i,
                        &name,
                        format!(
                            "少提取 {} 万元与应提取 {} − 已提取 {} = {} 万元不符",
                            number_label(s),
                            number_label(d),
                            number_label(r.accrued),
                            number_label(expect)
                        ),
                    ));
                }
            }
            (None, Some(s)) => {
                return Err(refuse(
                    "治理恢复基金",
                    i,
                    &name,
                    format!("应提取未核定，却写了少提取 {} 万元", number_label(s)),
                ));
            }
            (Some(_), None) => {
                return Err(refuse(
                    "治理恢复基金",
                    i,
                    &name,
                    "应提取已核定，少提取未写".into(),
                ));
            }
            (None, None) => {}
        }
    }
    Ok(())
}

/// The words of a total of a column some row lacks.
pub const PARTLY_MISSING: &str = "部分无数据";

/// The sum of `vs`, or `None` when any is missing.
fn total(vs: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    vs.sum()
}

struct Formats {
    title: Format,
    head: Format,
    text: Format,
    number: Format,
    total_text: Format,
    total_number: Format,
}

fn formats() -> Formats {
    let border = Format::new().set_border(FormatBorder::Thin);
    Formats {
        title: Format::new().set_bold().set_font_size(14),
        head: border.clone().set_bold().set_background_color("D9D9D9"),
        text: border.clone(),
        number: border.clone().set_num_format("0.####"),
        total_text: border.clone().set_bold(),
        total_number: border.set_bold().set_num_format("0.####"),
    }
}

/// A cell of the sheet: text, a number, or a number that may be missing (its words instead).
enum C<'a> {
    T(&'a str),
    S(String),
    N(f64),
    O(Option<f64>, &'a str),
}

fn write_row(
    ws: &mut Worksheet,
    row: u32,
    cells: &[C<'_>],
    f: &Formats,
    bold: bool,
) -> Result<(), ReportError> {
    let (tf, nf) = if bold {
        (&f.total_text, &f.total_number)
    } else {
        (&f.text, &f.number)
    };
    for (c, v) in cells.iter().enumerate() {
        let c = c as u16;
        match v {
            C::T(t) => ws.write_string_with_format(row, c, *t, tf),
            C::S(t) => ws.write_string_with_format(row, c, t, tf),
            C::N(n) => ws.write_number_with_format(row, c, *n, nf),
            C::O(Some(n), _) => ws.write_number_with_format(row, c, *n, nf),
            C::O(None, words) => ws.write_string_with_format(row, c, *words, tf),
        }
        .map_err(xerr)?;
    }
    Ok(())
}

fn sheet_head(
    ws: &mut Worksheet,
    title: &str,
    heads: &[&str],
    widths: &[f64],
    f: &Formats,
) -> Result<(), ReportError> {
    ws.write_string_with_format(0, 0, title, &f.title)
        .map_err(xerr)?;
    for (c, h) in heads.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, *h, &f.head)
            .map_err(xerr)?;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    ws.set_freeze_panes(2, 0).map_err(xerr)?;
    Ok(())
}

/// The headers of sheet 历史遗留矿山 (row 2, under the title).
pub const LEGACY_COLUMNS: [&str; 10] = [
    "序号",
    "名称",
    "位置",
    "原开采矿种与方式",
    "面积（km²）",
    "存在问题",
    "责任主体",
    "修复方向及理由",
    "治理状态",
    "数据性质",
];
/// The headers of sheet 修复项目.
pub const PROJECT_COLUMNS: [&str; 15] = [
    "序号",
    "项目名称",
    "修复对象",
    "重点治理项目",
    "中央财政（万元）",
    "省级财政（万元）",
    "地方财政（万元）",
    "社会资本（万元）",
    "企业基金（万元）",
    "总投资（万元）",
    "已支出（万元）",
    "修复面积（km²）",
    "开工日期",
    "验收日期",
    "状态",
];
/// The headers of sheet 治理恢复基金.
pub const FUND_COLUMNS: [&str; 10] = [
    "序号",
    "矿山名称",
    "矿业权人",
    "期间",
    "应提取（万元）",
    "已提取（万元）",
    "已使用（万元）",
    "期末余额（万元）",
    "少提取（万元）",
    "说明",
];

/// The 生态修复台账 as an XLSX workbook: sheets 历史遗留矿山, 修复项目, 治理恢复基金 (title in
/// row 1, headers in row 2, one row per entry, then the 合计 row), and 说明.
///
/// # Errors
/// As [`check_ledger`]; [`ReportError::Xlsx`].
pub fn restoration_ledger_xlsx(l: &RestorationLedger) -> Result<Vec<u8>, ReportError> {
    check_ledger(l)?;
    let f = formats();
    let mut wb = Workbook::new();
    let as_of = l.as_of.chinese();
    {
        let ws = wb.add_worksheet().set_name("历史遗留矿山").map_err(xerr)?;
        sheet_head(
            ws,
            &format!("{}历史遗留矿山台账（截至{as_of}）", l.unit),
            &LEGACY_COLUMNS,
            &[6.0, 24.0, 20.0, 20.0, 12.0, 28.0, 20.0, 30.0, 10.0, 10.0],
            &f,
        )?;
        for (i, r) in l.legacy.iter().enumerate() {
            write_row(
                ws,
                2 + i as u32,
                &[
                    C::N((i + 1) as f64),
                    C::T(&r.name),
                    C::T(&r.location),
                    C::T(&r.former_use),
                    C::N(r.area_km2),
                    C::T(&r.problems),
                    C::T(&r.responsible),
                    C::T(&r.direction),
                    C::T(&r.status),
                    C::T(if r.schematic { "示意" } else { "实测" }),
                ],
                &f,
                false,
            )?;
        }
        let n = l.legacy.len();
        write_row(
            ws,
            2 + n as u32,
            &[
                C::T("合计"),
                C::S(format!("{n} 个")),
                C::T(""),
                C::T(""),
                C::N(l.legacy.iter().map(|r| r.area_km2).sum()),
                C::T(""),
                C::T(""),
                C::T(""),
                C::S(status_counts(l.legacy.iter().map(|r| r.status.as_str()))),
                C::S(format!(
                    "示意 {} 个",
                    l.legacy.iter().filter(|r| r.schematic).count()
                )),
            ],
            &f,
            true,
        )?;
    }
    {
        let ws = wb.add_worksheet().set_name("修复项目").map_err(xerr)?;
        sheet_head(
            ws,
            &format!("{}矿山生态修复项目台账（截至{as_of}）", l.unit),
            &PROJECT_COLUMNS,
            &[
                6.0, 28.0, 24.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 12.0, 16.0, 16.0,
                10.0,
            ],
            &f,
        )?;
        let date = |d: &Option<Date>| d.as_ref().map_or("—".to_string(), Date::chinese);
        for (i, r) in l.projects.iter().enumerate() {
            write_row(
                ws,
                2 + i as u32,
                &[
                    C::N((i + 1) as f64),
                    C::T(&r.name),
                    C::T(&r.sites),
                    C::T(if r.key_project { "是" } else { "否" }),
                    C::N(r.central),
                    C::N(r.provincial),
                    C::N(r.local),
                    C::N(r.social),
                    C::N(r.company_fund),
                    C::N(r.budget()),
                    C::N(r.spent),
                    C::O(r.restored_area_km2, "未测定"),
                    C::S(date(&r.start)),
                    C::S(date(&r.accepted)),
                    C::T(&r.status),
                ],
                &f,
                false,
            )?;
        }
        let p = &l.projects;
        let sum = |g: fn(&ProjectRow) -> f64| p.iter().map(g).sum::<f64>();
        write_row(
            ws,
            2 + p.len() as u32,
            &[
                C::T("合计"),
                C::S(format!("{} 个", p.len())),
                C::T(""),
                C::S(format!("{} 个", p.iter().filter(|r| r.key_project).count())),
                C::N(sum(|r| r.central)),
                C::N(sum(|r| r.provincial)),
                C::N(sum(|r| r.local)),
                C::N(sum(|r| r.social)),
                C::N(sum(|r| r.company_fund)),
                C::N(sum(ProjectRow::budget)),
                C::N(sum(|r| r.spent)),
                C::O(total(p.iter().map(|r| r.restored_area_km2)), PARTLY_MISSING),
                C::T(""),
                C::S(format!(
                    "已验收 {} 个",
                    p.iter().filter(|r| r.accepted.is_some()).count()
                )),
                C::T(""),
            ],
            &f,
            true,
        )?;
    }
    {
        let ws = wb.add_worksheet().set_name("治理恢复基金").map_err(xerr)?;
        sheet_head(
            ws,
            &format!("{}矿山地质环境治理恢复基金台账（截至{as_of}）", l.unit),
            &FUND_COLUMNS,
            &[6.0, 24.0, 24.0, 16.0, 12.0, 12.0, 12.0, 14.0, 12.0, 30.0],
            &f,
        )?;
        for (i, r) in l.fund.iter().enumerate() {
            write_row(
                ws,
                2 + i as u32,
                &[
                    C::N((i + 1) as f64),
                    C::T(&r.mine),
                    C::T(&r.holder),
                    C::T(&r.period),
                    C::O(r.due, "未核定"),
                    C::N(r.accrued),
                    C::N(r.withdrawn),
                    C::N(r.balance),
                    C::O(r.shortfall, "无法判定"),
                    C::T(&r.note),
                ],
                &f,
                false,
            )?;
        }
        let fr = &l.fund;
        write_row(
            ws,
            2 + fr.len() as u32,
            &[
                C::T("合计"),
                C::S(format!("{} 行", fr.len())),
                C::T(""),
                C::T(""),
                C::O(total(fr.iter().map(|r| r.due)), PARTLY_MISSING),
                C::N(fr.iter().map(|r| r.accrued).sum()),
                C::N(fr.iter().map(|r| r.withdrawn).sum()),
                // Balances of different periods do not add up: not summed.
                C::T("—"),
                C::O(total(fr.iter().map(|r| r.shortfall)), PARTLY_MISSING),
                C::S(format!(
                    "少提取 {} 行",
                    fr.iter()
                        .filter(|r| r.shortfall.is_some_and(|s| s > EPS))
                        .count()
                )),
            ],
            &f,
            true,
        )?;
    }
    {
        let ws = wb.add_worksheet().set_name("说明").map_err(xerr)?;
        for (i, n) in [
            format!("{}生态修复台账，截至{as_of}。", l.unit),
            "金额单位万元，面积单位平方千米（km²）。各表末行“合计”由本表各行相加；某列有行缺数时该列合计写“部分无数据”，不以 0 计。".to_string(),
            "治理恢复基金：应提取额按局设定的计提方法核定，未核定的写“未核定”；少提取 = 应提取 − 已提取（不足为 0）；期末余额按期间列示，不合计（《规划》六（二）5）。".to_string(),
            "历史遗留矿山的“数据性质”为“示意”的，为示意条目，不是实测结果（《规划》一（一）5）。".to_string(),
        ]
        .iter()
        .enumerate()
        {
            ws.write_string(i as u32, 0, n).map_err(xerr)?;
        }
        ws.set_column_width(0, 120.0).map_err(xerr)?;
    }
    wb.save_to_buffer().map_err(xerr)
}

/// `未治理 3、已验收 2` in first-seen order.
fn status_counts<'a>(ss: impl Iterator<Item = &'a str>) -> String {
    let mut out: Vec<(&str, usize)> = Vec::new();
    for s in ss {
        match out.iter_mut().find(|(k, _)| *k == s) {
            Some((_, n)) => *n += 1,
            None => out.push((s, 1)),
        }
    }
    out.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join("、")
}

/// A mine in the 绿色矿山名录, as the report lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct GreenMineRow {
    /// Mine name.
    pub mine: String,
    /// Level (县级 / 省级 / 国家级).
    pub level: String,
    /// Date listed.
    pub listed: Date,
    /// Score of the bureau's evaluation, when scored.
    pub score: Option<f64>,
}

/// The 年度矿山生态修复工作报告 of a year.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualRestorationReport {
    /// The year.
    pub year: i32,
    /// The plan's name (the line under the title).
    pub plan: String,
    /// The year's figures (规划指标 section 矿区生态保护修复与绿色矿山).
    pub indicators: RestorationIndicators,
    /// The ledger (legacy mines, projects, fund) as of the report.
    pub ledger: RestorationLedger,
    /// 三同时 and 边开采边治理, one sentence per mine or finding, in people's words.
    pub schedule: Vec<String>,
    /// The 绿色矿山名录.
    pub green: Vec<GreenMineRow>,
}

fn figure_sentence(ind: &RestorationIndicators, key: &str) -> String {
    match ind.row(key) {
        Some(r) => {
            let mut s = format!("{}：{}", r.name, r.value_label);
            if r.value.is_some() {
                s.push_str(&r.unit);
            }
            if r.reference.value.is_some() {
                s.push_str(&format!(
                    "（{} {}{}）",
                    r.reference.kind, r.reference.label, r.unit
                ));
            }
            if r.schematic {
                s.push_str("（示意）");
            }
            s
        }
        None => String::new(),
    }
}

fn section_figures(ind: &RestorationIndicators, group: &str) -> String {
    let parts: Vec<String> = ind
        .rows
        .iter()
        .filter(|r| r.group == group)
        .map(|r| figure_sentence(ind, &r.key))
        .collect();
    format!("{}。", parts.join("；"))
}

fn rows_table(heads: &[&str], widths: &[usize], rows: Vec<Vec<String>>) -> docx_rs::Table {
    let mut out = vec![header_row(heads, widths)];
    for r in rows {
        out.push(TableRow::new(
            r.iter()
                .zip(widths)
                .map(|(t, w)| text_cell(t, *w, AlignmentType::Center))
                .collect(),
        ));
    }
    table(widths, out)
}

/// The 年度矿山生态修复工作报告 as a Word document: title 《{year}年度矿山生态修复工作报告》,
/// the plan's name and the bureau, 一、总体情况 (the figures table), 二、历史遗留矿山治理,
/// 三、矿山生态修复项目, 四、矿山地质环境治理恢复基金, 五、三同时与边开采边治理, 六、绿色矿山建设,
/// then the signature block with the date of issue as people write it.
///
/// # Errors
/// As [`check_ledger`]; [`ReportError::Docx`].
pub fn annual_restoration_docx(
    r: &AnnualRestorationReport,
    issuer: &Issuer,
) -> Result<Vec<u8>, ReportError> {
    check_ledger(&r.ledger)?;
    let ind = &r.indicators;
    let mut doc = document(&format!("{}年度矿山生态修复工作报告", r.year))
        .add_paragraph(official::centred_line(&r.plan))
        .add_paragraph(official::issuer_line(issuer))
        .add_paragraph(heading("一、总体情况"))
        .add_paragraph(para(format!(
            "依据《规划》六（一）（二），现将{}年度矿区生态保护修复与绿色矿山建设情况报告如下。对照值取自规划基期值（一（一）5–6）与专栏1；无法计算的写明原因，不以 0 代替。",
            r.year
        )));
    doc = doc.add_table(restoration_figures_table(ind));
    if ind.schematic {
        doc = doc.add_paragraph(para(
            "注：历史遗留矿山清单含示意条目，标“示意”的数值来自示意数据，不是实测结果。",
        ));
    }

    let l = &r.ledger;
    doc = doc
        .add_paragraph(heading("二、历史遗留矿山治理"))
        .add_paragraph(para(section_figures(ind, "历史遗留矿山")))
        .add_paragraph(para(format!(
            "截至{}，台账在册历史遗留矿山 {} 个，面积合计 {} 平方千米（{}）。修复方向按“宜耕则耕、宜林则林、宜湿则湿、宜草则草、宜建则建”确定（《规划》六（二）4）。",
            l.as_of.chinese(),
            l.legacy.len(),
            number_label(l.legacy.iter().map(|m| m.area_km2).sum()),
            if l.legacy.is_empty() {
                "无".to_string()
            } else {
                status_counts(l.legacy.iter().map(|m| m.status.as_str()))
            }
        )));
    if !l.legacy.is_empty() {
        let w = [2400, 1100, 2300, 1300, TEXT_W - 7100];
        doc = doc.add_table(rows_table(
            &["名称", "面积（km²）", "修复方向", "治理状态", "存在问题"],
            &w,
            l.legacy
                .iter()
                .map(|m| {
                    vec![
                        if m.schematic {
                            format!("{}（示意）", m.name)
                        } else {
                            m.name.clone()
                        },
                        number_label(m.area_km2),
                        m.direction.clone(),
                        m.status.clone(),
                        m.problems.clone(),
                    ]
                })
                .collect(),
        ));
    }

    doc = doc
        .add_paragraph(heading("三、矿山生态修复项目"))
        .add_paragraph(para(section_figures(ind, "修复项目")));
    if !l.projects.is_empty() {
        let w = [2600, 900, 1300, 1300, 1300, TEXT_W - 7400];
        doc = doc.add_table(rows_table(
            &[
                "项目名称",
                "重点治理",
                "总投资（万元）",
                "已支出（万元）",
                "修复面积（km²）",
                "验收日期",
            ],
            &w,
            l.projects
                .iter()
                .map(|p| {
                    vec![
                        p.name.clone(),
                        if p.key_project { "是" } else { "否" }.into(),
                        number_label(p.budget()),
                        number_label(p.spent),
                        p.restored_area_km2.map_or("未测定".into(), number_label),
                        p.accepted.as_ref().map_or("未验收".into(), Date::chinese),
                    ]
                })
                .collect(),
        ));
    }

    doc = doc
        .add_paragraph(heading("四、矿山地质环境治理恢复基金"))
        .add_paragraph(para(section_figures(ind, "治理恢复基金")))
        .add_paragraph(para(
            "基金由企业按规定计提、单独建账、专款专用，自然资源主管部门监管并向社会公示；未按规定计提或未履行治理义务的，责令限期整改，逾期不整改的列入异常名录或严重违法失信名单（《规划》六（二）5）。",
        ));
    let short: Vec<&FundRow> = l
        .fund
        .iter()
        .filter(|f| f.shortfall.is_some_and(|s| s > EPS))
        .collect();
    if !short.is_empty() {
        let w = [2600, 1500, 1200, 1200, TEXT_W - 6500];
        doc = doc.add_table(rows_table(
            &[
                "少提取的矿山",
                "期间",
                "应提取（万元）",
                "少提取（万元）",
                "说明",
            ],
            &w,
            short
                .iter()
                .map(|f| {
                    vec![
                        f.mine.clone(),
                        f.period.clone(),
                        f.due.map_or("未核定".into(), number_label),
                        f.shortfall.map_or("无法判定".into(), number_label),
                        f.note.clone(),
                    ]
                })
                .collect(),
        ));
    }

    doc = doc
        .add_paragraph(heading("五、三同时与边开采边治理"))
        .add_paragraph(para(section_figures(ind, "边开采边治理")));
    for s in &r.schedule {
        doc = doc.add_paragraph(para(s));
    }

    doc = doc
        .add_paragraph(heading("六、绿色矿山建设"))
        .add_paragraph(para(section_figures(ind, "绿色矿山")));
    if r.green.is_empty() {
        doc = doc.add_paragraph(para("本年度绿色矿山名录无在录矿山。"));
    } else {
        let w = [3200, 1400, 2000, TEXT_W - 6600];
        doc = doc.add_table(rows_table(
            &["矿山名称", "级别", "列入日期", "评估得分"],
            &w,
            r.green
                .iter()
                .map(|g| {
                    vec![
                        g.mine.clone(),
                        g.level.clone(),
                        g.listed.chinese(),
                        g.score.map_or("未评分".into(), number_label),
                    ]
                })
                .collect(),
        ));
    }
    finish(doc, issuer)
}
