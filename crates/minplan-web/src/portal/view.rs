//! What the public sees of a payload, as tables: the one rendering of every published kind,
//! used by the portal's pages, the CSV feeds and the staff's preview before publishing
//! (the 公示审核 pages), so that the preview is exactly what the public will see.

use crate::http::words::date_zh;
use minplan_domain::disclosure::{
    BlocksPayload, FundSummaryPayload, ImplementationPayload, Payload, PublicInspectionResult,
    PublicListEntry, PublicRight,
};

/// A table the public reads: headers and rows of text. On a phone each row becomes a card
/// whose cells carry their header (`data-label`).
#[derive(Debug, Clone)]
pub struct PublicTable {
    /// The headers.
    pub headers: Vec<&'static str>,
    /// The rows, each as many cells as headers.
    pub rows: Vec<Vec<String>>,
}

impl PublicTable {
    /// The cells of a row with their headers (for the template's `data-label`).
    pub fn labelled(&self, row: &[String]) -> Vec<(&'static str, String)> {
        self.headers
            .iter()
            .copied()
            .zip(row.iter().cloned())
            .collect()
    }

    /// The table as CSV: UTF-8 with a byte-order mark (so that Excel reads the Chinese), a
    /// header row, CRLF line ends, fields quoted when they hold a comma, quote or line break
    /// (RFC 4180).
    pub fn csv(&self) -> Vec<u8> {
        let mut out = String::from("\u{feff}");
        let line = |cells: &mut dyn Iterator<Item = &str>| {
            cells.map(csv_field).collect::<Vec<_>>().join(",") + "\r\n"
        };
        out.push_str(&line(&mut self.headers.iter().copied()));
        for r in &self.rows {
            out.push_str(&line(&mut r.iter().map(String::as_str)));
        }
        out.into_bytes()
    }
}

fn csv_field(s: &str) -> String {
    // A leading =, +, - or @ would be read by a spreadsheet as a formula: prefix a quote
    // mark's worth of protection by quoting with a leading apostrophe.
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// An optional date as people write it, 无数据 when absent.
fn opt_date(d: &Option<String>) -> String {
    d.as_deref()
        .filter(|d| !d.trim().is_empty())
        .map_or("无数据".into(), date_zh)
}

/// km² to 4 decimals, 无数据 when absent.
fn area(a: Option<f64>) -> String {
    a.map_or("无数据".into(), |a| format!("{a:.4}"))
}

/// The 矿业权公示 columns.
pub const RIGHT_HEADERS: [&str; 9] = [
    "许可证号",
    "矿业权人",
    "矿山（项目）名称",
    "矿业权类型",
    "矿种",
    "面积（平方千米）",
    "有效期起",
    "有效期止",
    "状态",
];

/// Rights as a table.
pub fn rights_table(rights: &[PublicRight]) -> PublicTable {
    PublicTable {
        headers: RIGHT_HEADERS.to_vec(),
        rows: rights
            .iter()
            .map(|r| {
                vec![
                    r.licence_no.clone(),
                    r.holder_name.clone(),
                    r.name.clone(),
                    r.kind.clone(),
                    if r.minerals.is_empty() {
                        "无数据".into()
                    } else {
                        r.minerals.join("、")
                    },
                    area(r.area_km2),
                    opt_date(&r.valid_from),
                    opt_date(&r.valid_to),
                    r.status.clone(),
                ]
            })
            .collect(),
    }
}

/// Planning blocks as a table.
pub fn blocks_table(p: &BlocksPayload) -> PublicTable {
    PublicTable {
        headers: vec![
            "区块编号",
            "区块名称",
            "类型",
            "规划矿种",
            "面积（平方千米）",
            "图形",
        ],
        rows: p
            .blocks
            .iter()
            .map(|b| {
                vec![
                    b.code.clone(),
                    b.name.clone(),
                    b.kind.clone(),
                    b.minerals.join("、"),
                    area(b.area_km2),
                    if b.geometry.is_none() {
                        "无图形".into()
                    } else if b.schematic {
                        "示意".into()
                    } else {
                        "正式".into()
                    },
                ]
            })
            .collect(),
    }
}

/// A year's indicators as a table.
pub fn implementation_table(p: &ImplementationPayload) -> PublicTable {
    PublicTable {
        headers: vec!["年度", "指标", "规划目标", "实际值", "完成率", "执行情况"],
        rows: p
            .indicators
            .iter()
            .map(|i| {
                vec![
                    format!("{}年", p.year),
                    i.name.clone(),
                    i.target.clone(),
                    i.value.clone(),
                    i.completion.clone(),
                    i.status.clone(),
                ]
            })
            .collect(),
    }
}

/// A 抽查计划's results as a table (one row per target).
pub fn inspection_table(p: &PublicInspectionResult) -> PublicTable {
    PublicTable {
        headers: vec![
            "抽查计划",
            "矿业权人",
            "许可证号",
            "抽查事项",
            "检查日期",
            "检查结果",
            "处理结果",
        ],
        rows: p
            .targets
            .iter()
            .map(|t| {
                vec![
                    p.plan_name.clone(),
                    t.holder_name.clone(),
                    t.licence_no.clone(),
                    t.items.join("、"),
                    t.checked_on.as_deref().map_or("未检查".into(), date_zh),
                    t.finding.clone(),
                    t.outcome.clone(),
                ]
            })
            .collect(),
    }
}

/// The 名录 columns.
pub const LIST_HEADERS: [&str; 7] = [
    "名录",
    "矿业权人",
    "统一社会信用代码",
    "列入原因",
    "决定文号",
    "列入日期",
    "移出日期",
];

/// List entries as a table.
pub fn list_table(entries: &[&PublicListEntry]) -> PublicTable {
    PublicTable {
        headers: LIST_HEADERS.to_vec(),
        rows: entries
            .iter()
            .map(|e| {
                vec![
                    e.list.clone(),
                    e.holder_name.clone(),
                    e.credit_code.clone(),
                    e.reason.clone(),
                    e.decision_number.clone(),
                    date_zh(&e.listed_on),
                    e.removed_on.as_deref().map_or("未移出".into(), date_zh),
                ]
            })
            .collect(),
    }
}

/// 万元 to 2 decimals; a figure that cannot be computed shows the words saying why.
fn wan(v: Option<f64>, why: &str) -> String {
    match v {
        Some(v) => format!("{v:.2}"),
        None if why.trim().is_empty() => "无数据".into(),
        None => why.to_string(),
    }
}

/// The 治理恢复基金公示 columns (amounts in 万元).
pub const FUND_HEADERS: [&str; 8] = [
    "矿山名称",
    "矿业权人",
    "统一社会信用代码",
    "本年计提（万元）",
    "本年使用（万元）",
    "期末余额（万元）",
    "本年应计提（万元）",
    "计提缺口（万元）",
];

/// A year's 治理恢复基金公示 as a table (《规划》六（二）5).
pub fn fund_table(p: &FundSummaryPayload) -> PublicTable {
    PublicTable {
        headers: FUND_HEADERS.to_vec(),
        rows: p
            .mines
            .iter()
            .map(|m| {
                vec![
                    m.mine_name.clone(),
                    m.holder_name.clone(),
                    if m.credit_code.is_empty() {
                        "无数据".into()
                    } else {
                        m.credit_code.clone()
                    },
                    wan(Some(m.accrued_wan_yuan), ""),
                    wan(Some(m.used_wan_yuan), ""),
                    wan(Some(m.balance_wan_yuan), ""),
                    wan(m.due_wan_yuan, &m.due_note),
                    wan(m.shortfall_wan_yuan, &m.shortfall_note),
                ]
            })
            .collect(),
    }
}

/// What a payload shows: lines above the table and the table (a register's first `limit`
/// rights only — the preview of a 50,000-right snapshot — with a line saying so).
pub fn payload_view(p: &Payload, limit: usize) -> (Vec<String>, PublicTable) {
    match p {
        Payload::Rights(r) => {
            let mut lines = vec![format!(
                "登记簿截至 {}，共 {} 个矿业权",
                date_zh(&r.as_of),
                r.rights.len()
            )];
            if r.rights.len() > limit {
                lines.push(format!("此处预览前 {limit} 条；公开后可在门户分页查阅全部"));
            }
            let n = r.rights.len().min(limit);
            (lines, rights_table(&r.rights[..n]))
        }
        Payload::Blocks(b) => (
            vec![format!(
                "{}（{}），共 {} 个区块",
                b.plan_name,
                b.version,
                b.blocks.len()
            )],
            blocks_table(b),
        ),
        Payload::Implementation(i) => {
            let mut lines = vec![format!("{} {}年度规划执行情况", i.plan_name, i.year)];
            lines.extend(i.summary.iter().cloned());
            (lines, implementation_table(i))
        }
        Payload::Inspections(r) => (
            vec![format!(
                "{}（{}年度），抽查 {} 个对象{}",
                r.plan_name,
                r.year,
                r.targets.len(),
                r.checks_completed_on
                    .as_deref()
                    .map_or(String::new(), |d| format!("，检查于 {} 完成", date_zh(d)))
            )],
            inspection_table(r),
        ),
        Payload::Lists(e) => (
            vec![format!(
                "{}：{}{}",
                e.list,
                e.holder_name,
                if e.removed_on.is_some() {
                    "（移出）"
                } else {
                    "（列入）"
                }
            )],
            list_table(&[e]),
        ),
        Payload::RestorationFund(f) => (
            vec![format!(
                "{}年度矿山地质环境治理恢复基金计提、使用情况，统计至 {}，共 {} 座矿山",
                f.year,
                date_zh(&f.as_of),
                f.mines.len()
            )],
            fund_table(f),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_bom_header_and_quotes() {
        let t = PublicTable {
            headers: vec!["名称", "说明"],
            rows: vec![
                vec!["甲,乙".into(), "=1+1".into()],
                vec!["\"丙\"".into(), "-5".into()],
            ],
        };
        let s = String::from_utf8(t.csv()).unwrap();
        assert_eq!(
            s,
            "\u{feff}名称,说明\r\n\"甲,乙\",'=1+1\r\n\"\"\"丙\"\"\",-5\r\n"
        );
    }
}
