//! Documents of the 双随机 checks (《规划》四（三）3（3）; 自然资源部令第13号): the
//! 检查记录表 and the 责令整改通知书 of one 抽查对象, and the year's 抽查结果 — its table
//! (XLSX, through [`crate::table`]) and its summary (DOCX: counts by item, by finding and by
//! outcome; a year without checks says 无数据). The issuer is the bureau's settings
//! ([`Issuer`]); fonts per GB/T 9704; dates as people write them.

use crate::ReportError;
use crate::docx::elements::{cell_para, header_row, heading, para, run, table, text_cell, trun};
use crate::docx::official::{self, Issuer};
use crate::evaluation::{TEXT_W, document, finish};
use crate::table::{Cell, Column, Table, table_xlsx};
use docx_rs::{AlignmentType, Paragraph, TableRow};
use minplan_domain::date::Date;
use minplan_domain::supervision::checks::{Finding, ItemFinding};
use std::collections::BTreeMap;

/// What the 检查记录表 and the 责令整改通知书 print about one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckSheet {
    /// 抽查计划.
    pub plan_name: String,
    /// 矿业权人.
    pub holder_name: String,
    /// 统一社会信用代码.
    pub credit_code: Option<String>,
    /// 许可证号.
    pub licence_no: String,
    /// 检查日期.
    pub check_date: Date,
    /// 检查方式 (label).
    pub method: String,
    /// 检查人员: (姓名, 执法证号).
    pub inspectors: Vec<(String, String)>,
    /// Items and findings.
    pub items: Vec<ItemFinding>,
    /// Evidence: (name as uploaded, SHA-256).
    pub evidence: Vec<(String, String)>,
    /// 检查结论 of the record.
    pub finding: Finding,
    /// 整改期限 (first round), when one was set.
    pub deadline: Option<Date>,
    /// 整改期限 in working days.
    pub rectify_days: Option<i64>,
    /// The calendar's note when the deadline's year is not held.
    pub calendar_note: Option<String>,
}

fn label_table(rows: &[(&str, String)]) -> docx_rs::Table {
    let widths = [2300, TEXT_W - 2300];
    table(
        &widths,
        rows.iter()
            .map(|(k, v)| {
                TableRow::new(vec![
                    crate::docx::elements::cell(
                        vec![cell_para(vec![trun(*k).bold()], AlignmentType::Center)],
                        widths[0],
                    ),
                    text_cell(v, widths[1], AlignmentType::Left),
                ])
            })
            .collect(),
    )
}

/// The 检查记录表: the target, the date and method, the inspectors, each item's finding and
/// note, the evidence with its SHA-256, the conclusion and, for 责令限期整改, the 整改期限.
///
/// # Errors
/// [`ReportError::Docx`] when the package cannot be written.
pub fn check_record_docx(s: &CheckSheet, issuer: &Issuer) -> Result<Vec<u8>, ReportError> {
    let mut doc = document("检查记录表")
        .add_paragraph(official::title("检查记录表"))
        .add_paragraph(official::issuer_line(issuer))
        .add_table(label_table(&[
            ("抽查计划", s.plan_name.clone()),
            ("被检查人", s.holder_name.clone()),
            (
                "统一社会信用代码",
                s.credit_code.clone().unwrap_or_else(|| "未登记".into()),
            ),
            ("许可证号", s.licence_no.clone()),
            ("检查日期", s.check_date.chinese()),
            ("检查方式", s.method.clone()),
            (
                "检查人员",
                s.inspectors
                    .iter()
                    .map(|(n, b)| format!("{n}（执法证号 {b}）"))
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
        ]))
        .add_paragraph(heading("检查事项及结论"));
    let w = [700, 2600, 1700, TEXT_W - 5000];
    let mut rows = vec![header_row(
        &["序号", "检查事项", "检查结论", "检查情况"],
        &w,
    )];
    for (i, it) in s.items.iter().enumerate() {
        rows.push(TableRow::new(vec![
            text_cell(&(i + 1).to_string(), w[0], AlignmentType::Center),
            text_cell(&it.item_name, w[1], AlignmentType::Left),
            text_cell(it.finding.label(), w[2], AlignmentType::Center),
            text_cell(
                if it.note.is_empty() { "—" } else { &it.note },
                w[3],
                AlignmentType::Left,
            ),
        ]));
    }
    doc = doc.add_table(table(&w, rows));
    doc = doc.add_paragraph(heading("证据材料"));
    if s.evidence.is_empty() {
        doc = doc.add_paragraph(para("无。"));
    } else {
        let w = [700, 3000, TEXT_W - 3700];
        let mut rows = vec![header_row(&["序号", "文件名", "SHA-256 校验值"], &w)];
        for (i, (n, h)) in s.evidence.iter().enumerate() {
            rows.push(TableRow::new(vec![
                text_cell(&(i + 1).to_string(), w[0], AlignmentType::Center),
                text_cell(n, w[1], AlignmentType::Left),
                text_cell(h, w[2], AlignmentType::Left),
            ]));
        }
        doc = doc.add_table(table(&w, rows));
    }
    doc = doc.add_paragraph(heading("检查结论"));
    let mut conclusion = format!("检查结论：{}。", s.finding.label());
    if let (Some(d), Some(n)) = (s.deadline, s.rectify_days) {
        conclusion.push_str(&format!(
            "责令于 {n} 个工作日内（{}前）完成整改并报送整改报告。",
            d.chinese()
        ));
    }
    doc = doc.add_paragraph(para(conclusion));
    if let Some(n) = &s.calendar_note {
        doc = doc.add_paragraph(para(format!("注：{n}。")));
    }
    doc = doc.add_paragraph(para(
        "被检查人签字：＿＿＿＿＿＿＿＿　　检查人员签字：＿＿＿＿＿＿＿＿",
    ));
    let mut iss = issuer.clone();
    iss.date = Some(s.check_date.to_string());
    finish(doc, &iss)
}

/// The 责令整改通知书 to the holder: the items to correct, the 整改期限 (a date counted in
/// working days) and the duty to report. Only for a record with a 责令限期整改 item.
///
/// # Errors
/// [`ReportError::Docx`] when the record has no 整改期限 (nothing to notify) or the package
/// cannot be written.
pub fn rectification_notice_docx(s: &CheckSheet, issuer: &Issuer) -> Result<Vec<u8>, ReportError> {
    let (Some(deadline), Some(days)) = (s.deadline, s.rectify_days) else {
        return Err(ReportError::Docx(
            "该检查记录没有责令限期整改的事项，不出具责令整改通知书".into(),
        ));
    };
    let mut doc = document("责令整改通知书")
        .add_paragraph(official::title("责令整改通知书"))
        .add_paragraph(official::issuer_line(issuer))
        .add_paragraph(Paragraph::new().add_run(run(format!("{}：", s.holder_name))))
        .add_paragraph(para(format!(
            "{}，本机关依据《矿业权人勘查开采信息管理办法》（自然资源部令第13号）和双随机抽查计划，对你单位（许可证号 {}）进行了{}。经查，你单位存在以下问题：",
            s.check_date.chinese(),
            s.licence_no,
            s.method
        )));
    for (i, it) in s
        .items
        .iter()
        .filter(|i| i.finding == Finding::Rectify)
        .enumerate()
    {
        doc = doc.add_paragraph(para(format!("{}. {}：{}", i + 1, it.item_name, it.note)));
    }
    doc = doc.add_paragraph(para(format!(
        "现责令你单位于 {days} 个工作日内，即{}前完成整改，并向本机关报送书面整改报告及相关证明材料。逾期未整改或整改不到位的，本机关将依法立案查处，并按规定列入异常名录。",
        deadline.chinese()
    )));
    if let Some(n) = &s.calendar_note {
        doc = doc.add_paragraph(para(format!("注：{n}。")));
    }
    let mut iss = issuer.clone();
    iss.date = Some(s.check_date.to_string());
    finish(doc, &iss)
}

/// One 抽查对象 of the year, with its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearResultRow {
    /// 抽查计划.
    pub plan_name: String,
    /// 许可证号.
    pub licence_no: String,
    /// 矿业权人.
    pub holder_name: String,
    /// 检查日期, `None` before the check.
    pub check_date: Option<Date>,
    /// Items: (name, finding label).
    pub items: Vec<(String, String)>,
    /// 检查结论, `None` before the check.
    pub finding: Option<String>,
    /// 整改结果 (未检查 before the check).
    pub outcome: String,
}

/// The year's 抽查结果 table.
///
/// # Errors
/// [`ReportError::Xlsx`].
pub fn check_results_xlsx(
    year: i32,
    rows: &[YearResultRow],
    exported_at: &str,
) -> Result<Vec<u8>, ReportError> {
    let t = Table {
        sheet: format!("{year}年抽查结果"),
        columns: vec![
            Column::new("抽查计划", 24.0),
            Column::new("许可证号", 22.0),
            Column::new("矿业权人", 28.0),
            Column::new("检查日期", 14.0),
            Column::new("抽查事项及结论", 48.0),
            Column::new("检查结论", 14.0),
            Column::new("整改结果", 24.0),
        ],
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Cell::text(&r.plan_name),
                    Cell::text(&r.licence_no),
                    Cell::text(&r.holder_name),
                    match r.check_date {
                        Some(d) => Cell::date_text(Some(&d.to_string())),
                        None => Cell::text("未检查"),
                    },
                    Cell::text(
                        r.items
                            .iter()
                            .map(|(n, f)| format!("{n}：{f}"))
                            .collect::<Vec<_>>()
                            .join("；"),
                    ),
                    Cell::text(r.finding.clone().unwrap_or_else(|| "未检查".into())),
                    Cell::text(&r.outcome),
                ]
            })
            .collect(),
        about: vec![
            ("年度".into(), format!("{year}年")),
            ("抽查对象数".into(), rows.len().to_string()),
            (
                "已检查".into(),
                rows.iter()
                    .filter(|r| r.check_date.is_some())
                    .count()
                    .to_string(),
            ),
            ("导出时间".into(), exported_at.to_string()),
        ],
    };
    table_xlsx(&t)
}

fn count_table(title: &str, counts: &BTreeMap<String, usize>) -> docx_rs::Table {
    let w = [TEXT_W - 2000, 2000];
    let mut rows = vec![header_row(&[title, "数量"], &w)];
    for (k, n) in counts {
        rows.push(TableRow::new(vec![
            text_cell(k, w[0], AlignmentType::Left),
            text_cell(&n.to_string(), w[1], AlignmentType::Center),
        ]));
    }
    table(&w, rows)
}

/// The year's 抽查结果 summary: how many targets and checks, counts by item (each item with
/// its findings), by finding and by outcome. A year without a checked target says 无数据.
///
/// # Errors
/// [`ReportError::Docx`].
pub fn check_results_docx(
    year: i32,
    rows: &[YearResultRow],
    issuer: &Issuer,
) -> Result<Vec<u8>, ReportError> {
    let title = format!("{year}年度双随机抽查结果汇总");
    let mut doc = document(&title)
        .add_paragraph(official::title(&title))
        .add_paragraph(official::issuer_line(issuer));
    let checked: Vec<&YearResultRow> = rows.iter().filter(|r| r.check_date.is_some()).collect();
    if checked.is_empty() {
        doc = doc.add_paragraph(para(format!(
            "{year}年度抽查结果：无数据（{}）。",
            if rows.is_empty() {
                "该年度没有抽查对象".to_string()
            } else {
                format!("抽取的 {} 个抽查对象尚未检查", rows.len())
            }
        )));
        return finish(doc, issuer);
    }
    doc = doc.add_paragraph(para(format!(
        "{year}年度共抽取抽查对象 {} 个，已检查 {} 个，未检查 {} 个。",
        rows.len(),
        checked.len(),
        rows.len() - checked.len()
    )));
    // By item: one row per item, a column per finding, in the order items first appear.
    let mut items: Vec<String> = Vec::new();
    let mut by_item: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    let mut by_finding: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_outcome: BTreeMap<String, usize> = BTreeMap::new();
    for r in &checked {
        for (n, f) in &r.items {
            let i = match items.iter().position(|x| x == n) {
                Some(i) => i,
                None => {
                    items.push(n.clone());
                    items.len() - 1
                }
            };
            let j = Finding::LABELS
                .iter()
                .position(|l| l == f)
                .unwrap_or(Finding::LABELS.len());
            *by_item.entry((i, j)).or_default() += 1;
        }
        if let Some(f) = &r.finding {
            *by_finding.entry(f.clone()).or_default() += 1;
        }
        *by_outcome.entry(r.outcome.clone()).or_default() += 1;
    }
    let n = Finding::LABELS.len();
    let first = TEXT_W - 1100 * (n + 1);
    let mut w = vec![first];
    w.extend(std::iter::repeat_n(1100, n + 1));
    let mut titles = vec!["抽查事项"];
    titles.extend(Finding::LABELS.iter().copied());
    titles.push("合计");
    let mut rows = vec![header_row(&titles, &w)];
    for (i, name) in items.iter().enumerate() {
        let counts: Vec<usize> = (0..n)
            .map(|j| by_item.get(&(i, j)).copied().unwrap_or(0))
            .collect();
        let mut cells = vec![text_cell(name, w[0], AlignmentType::Left)];
        for (j, c) in counts.iter().enumerate() {
            cells.push(text_cell(&c.to_string(), w[j + 1], AlignmentType::Center));
        }
        cells.push(text_cell(
            &counts.iter().sum::<usize>().to_string(),
            w[n + 1],
            AlignmentType::Center,
        ));
        rows.push(TableRow::new(cells));
    }
    doc = doc
        .add_paragraph(heading("一、按抽查事项"))
        .add_table(table(&w, rows))
        .add_paragraph(heading("二、按检查结论"))
        .add_table(count_table("检查结论", &by_finding))
        .add_paragraph(heading("三、按整改结果"))
        .add_table(count_table("整改结果", &by_outcome));
    finish(doc, issuer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet() -> CheckSheet {
        CheckSheet {
            plan_name: "2026年度双随机抽查计划".into(),
            holder_name: "绥芬河市庆发建材有限公司".into(),
            credit_code: Some("91231081MA1BQF0013".into()),
            licence_no: "C2310812010127130099999".into(),
            check_date: Date::parse("2026-02-10").unwrap(),
            method: "现场检查".into(),
            inspectors: vec![("张三".into(), "A1".into()), ("李四".into(), "A2".into())],
            items: vec![ItemFinding {
                item_code: "K1".into(),
                item_name: "勘查开采信息公示".into(),
                finding: Finding::Rectify,
                note: "未按期公示".into(),
            }],
            evidence: vec![("现场.jpg".into(), "ab".repeat(32))],
            finding: Finding::Rectify,
            deadline: Some(Date::parse("2026-03-02").unwrap()),
            rectify_days: Some(10),
            calendar_note: None,
        }
    }

    fn document_xml(bytes: &[u8]) -> String {
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut s)
            .unwrap();
        s
    }

    #[test]
    fn record_and_notice_name_the_holder_and_the_dates() {
        let iss = Issuer::new("绥芬河市自然资源局");
        let x = document_xml(&check_record_docx(&sheet(), &iss).unwrap());
        assert!(x.contains("绥芬河市庆发建材有限公司"));
        assert!(x.contains("2026年2月10日"));
        assert!(x.contains("2026年3月2日前"));
        let n = document_xml(&rectification_notice_docx(&sheet(), &iss).unwrap());
        assert!(n.contains("10 个工作日内，即2026年3月2日前"));
        let mut ok = sheet();
        ok.deadline = None;
        ok.rectify_days = None;
        assert!(rectification_notice_docx(&ok, &iss).is_err());
    }

    #[test]
    fn the_summary_counts_targets_items_findings_and_outcomes() {
        let row = |lic: &str, items: Vec<(&str, &str)>, finding: Option<&str>, outcome: &str| {
            YearResultRow {
                plan_name: "计划".into(),
                licence_no: lic.into(),
                holder_name: "甲".into(),
                check_date: finding.map(|_| Date::parse("2026-05-06").unwrap()),
                items: items
                    .into_iter()
                    .map(|(a, b)| (a.to_string(), b.to_string()))
                    .collect(),
                finding: finding.map(str::to_string),
                outcome: outcome.into(),
            }
        };
        let rows = vec![
            row(
                "C1",
                vec![("信息公示", "责令限期整改"), ("土地复垦", "合格")],
                Some("责令限期整改"),
                "整改中",
            ),
            row("C2", vec![("信息公示", "合格")], Some("合格"), "无需整改"),
            row("C3", vec![], None, "未检查"),
        ];
        let x = document_xml(
            &check_results_docx(2026, &rows, &Issuer::new("绥芬河市自然资源局")).unwrap(),
        );
        assert!(x.contains("共抽取抽查对象 3 个，已检查 2 个，未检查 1 个"));
        assert!(x.contains("信息公示") && x.contains("合计") && x.contains("无需整改"));
        assert!(
            !x.contains("未检查</w:t>"),
            "an unchecked target has no outcome row"
        );
        let xlsx = check_results_xlsx(2026, &rows, "2026年12月6日 10:00").unwrap();
        assert!(xlsx.starts_with(b"PK"));
    }

    #[test]
    fn a_year_without_checks_says_no_data() {
        let iss = Issuer::new("绥芬河市自然资源局");
        let x = document_xml(&check_results_docx(2025, &[], &iss).unwrap());
        assert!(x.contains("2025年度抽查结果：无数据（该年度没有抽查对象）"));
    }
}
