//! 勘查开采信息 (《矿业权人勘查开采信息管理办法》自然资源部令第13号, in force 2024-07-01): what a
//! rights holder files each year for the previous year besides the annual report's figures
//! (output, value, staff, the 三率 — [`super::annual_report`]), by kind of right.
//!
//! * 探矿权 (第六条, as found): 承担勘查工作的单位名称、地址; 年度勘查投入资金数额、探矿工程、
//!   样品分析等主要实物工作量, 是否编制勘查成果报告; 勘查矿种、勘查阶段, 是否综合勘查评价共伴生
//!   矿产; 勘查作业完毕后是否及时封填遗留井硐; 相关费用缴纳情况; 地质资料汇交义务履行情况;
//!   其他勘查义务履行情况.
//! * 采矿权 (第七条): the text found starts 矿山状态、实际开采利用矿种 and is cut there; the other
//!   items asked here — 年消耗资源储量 (资源储量变动), 矿山地质环境保护与土地复垦义务履行情况,
//!   履行义务情况 — follow the list and the 年检 contents of 国土资发〔2012〕64号 and are
//!   to be checked against the full text of 第七条.
//!
//! Every field is optional in the type; [`check_filing`] requires those of the right's kind
//! and refuses those of the other kind. The deadline is the annual report's
//! ([`super::annual_report::due_date`]: 31 March).

use super::Problem;
use crate::application::RightKind;
use crate::labels::zh_labels;
use serde::Serialize;

/// 矿山状态 (第七条（一）).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MineStatus {
    /// 生产.
    Producing,
    /// 基建.
    Building,
    /// 停产.
    Suspended,
    /// 闭坑.
    Closed,
}

zh_labels! {
    MineStatus, label {
        Producing => "生产",
        Building => "基建",
        Suspended => "停产",
        Closed => "闭坑",
    }
}

/// What a filing states beyond the annual report, as entered (text trimmed; empty = not
/// given).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FilingInput {
    // 采矿权.
    /// 矿山状态.
    pub mine_status: Option<MineStatus>,
    /// 年消耗资源储量, in the annual report's unit (万立方米 / 万吨).
    pub reserves_consumed: Option<f64>,
    /// 矿山地质环境保护与土地复垦义务履行情况.
    pub restoration: Option<String>,
    // 探矿权.
    /// 承担勘查工作的单位名称、地址.
    pub explorer: Option<String>,
    /// 年度勘查投入资金, 万元.
    pub investment_wan_yuan: Option<f64>,
    /// 主要实物工作量 (探矿工程、样品分析 …), as written.
    pub workload: Option<String>,
    /// 是否编制勘查成果报告.
    pub result_report: Option<bool>,
    /// 勘查阶段 (普查、详查、勘探).
    pub stage: Option<String>,
    /// 勘查作业完毕后是否及时封填遗留井硐 (`None`: 作业未完毕 or not said).
    pub wells_sealed: Option<bool>,
    /// 地质资料汇交义务履行情况.
    pub geodata: Option<String>,
    // Both.
    /// 相关费用缴纳情况与其他义务履行情况.
    pub obligations: Option<String>,
}

/// Longest text of a statement, characters.
pub const MAX_STATEMENT_CHARS: usize = 1000;
/// Largest 勘查投入 or 消耗资源储量 accepted.
pub const MAX_FIGURE: f64 = 1e7;

/// Checks a filing of a right of `kind`: the fields of that kind required, the other kind's
/// refused, figures ≥ 0 and below [`MAX_FIGURE`], statements within
/// [`MAX_STATEMENT_CHARS`]. 年消耗资源储量 is required only when the mine was 生产.
///
/// # Errors
/// Every [`Problem`], by field.
pub fn check_filing(kind: RightKind, f: &FilingInput) -> Result<(), Vec<Problem>> {
    let mut p = Vec::new();
    let text = |p: &mut Vec<Problem>,
                field: &str,
                label: &str,
                v: &Option<String>,
                needed: bool| {
        match v {
            Some(t) if t.trim().is_empty() && needed => {
                p.push(Problem::new(field, format!("请填写{label}")))
            }
            Some(t) if t.chars().count() > MAX_STATEMENT_CHARS => p.push(Problem::new(
                field,
                format!("{label}不超过 {MAX_STATEMENT_CHARS} 个字"),
            )),
            None if needed => p.push(Problem::new(field, format!("请填写{label}"))),
            _ => {}
        }
    };
    let figure =
        |p: &mut Vec<Problem>, field: &str, label: &str, v: Option<f64>, needed: bool| match v {
            Some(x) if !(0.0..MAX_FIGURE).contains(&x) => {
                p.push(Problem::new(field, format!("{label}应为不小于 0 的数")))
            }
            None if needed => p.push(Problem::new(field, format!("请填写{label}"))),
            _ => {}
        };
    let other = |p: &mut Vec<Problem>, field: &str, label: &str, given: bool, kind: &str| {
        if given {
            p.push(Problem::new(
                field,
                format!("{label}由{kind}填报，本矿业权不填"),
            ));
        }
    };
    text(
        &mut p,
        "obligations",
        "费用缴纳及其他义务履行情况",
        &f.obligations,
        true,
    );
    match kind {
        RightKind::Mining => {
            if f.mine_status.is_none() {
                p.push(Problem::new(
                    "mine_status",
                    format!("请选择矿山状态（{}）", MineStatus::LABELS.join("、")),
                ));
            }
            figure(
                &mut p,
                "reserves_consumed",
                "年消耗资源储量",
                f.reserves_consumed,
                f.mine_status == Some(MineStatus::Producing),
            );
            text(
                &mut p,
                "restoration",
                "矿山地质环境保护与土地复垦义务履行情况",
                &f.restoration,
                true,
            );
            for (field, label, given) in [
                ("explorer", "勘查单位", f.explorer.is_some()),
                (
                    "investment_wan_yuan",
                    "勘查投入",
                    f.investment_wan_yuan.is_some(),
                ),
                ("workload", "实物工作量", f.workload.is_some()),
                ("result_report", "勘查成果报告", f.result_report.is_some()),
                ("stage", "勘查阶段", f.stage.is_some()),
                ("wells_sealed", "井硐封填", f.wells_sealed.is_some()),
                ("geodata", "地质资料汇交", f.geodata.is_some()),
            ] {
                other(&mut p, field, label, given, "探矿权人");
            }
        }
        RightKind::Exploration => {
            text(
                &mut p,
                "explorer",
                "承担勘查工作的单位名称、地址",
                &f.explorer,
                true,
            );
            figure(
                &mut p,
                "investment_wan_yuan",
                "年度勘查投入（万元）",
                f.investment_wan_yuan,
                true,
            );
            text(&mut p, "workload", "主要实物工作量", &f.workload, true);
            if f.result_report.is_none() {
                p.push(Problem::new("result_report", "请选择是否编制勘查成果报告"));
            }
            text(&mut p, "stage", "勘查阶段", &f.stage, true);
            text(
                &mut p,
                "geodata",
                "地质资料汇交义务履行情况",
                &f.geodata,
                true,
            );
            for (field, label, given) in [
                ("mine_status", "矿山状态", f.mine_status.is_some()),
                (
                    "reserves_consumed",
                    "年消耗资源储量",
                    f.reserves_consumed.is_some(),
                ),
                (
                    "restoration",
                    "矿山地质环境保护与土地复垦",
                    f.restoration.is_some(),
                ),
            ] {
                other(&mut p, field, label, given, "采矿权人");
            }
        }
    }
    if p.is_empty() { Ok(()) } else { Err(p) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(r: Result<(), Vec<Problem>>) -> Vec<String> {
        r.err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.field)
            .collect()
    }

    #[test]
    fn a_mine_files_status_reserves_and_restoration() {
        let mut f = FilingInput {
            mine_status: Some(MineStatus::Producing),
            obligations: Some("已缴纳矿业权出让收益".into()),
            restoration: Some("已按方案复垦 1.2 公顷".into()),
            ..FilingInput::default()
        };
        assert_eq!(
            fields(check_filing(RightKind::Mining, &f)),
            vec!["reserves_consumed"]
        );
        f.mine_status = Some(MineStatus::Suspended);
        assert_eq!(check_filing(RightKind::Mining, &f), Ok(()));
        f.reserves_consumed = Some(-1.0);
        f.investment_wan_yuan = Some(10.0);
        assert_eq!(
            fields(check_filing(RightKind::Mining, &f)),
            vec!["reserves_consumed", "investment_wan_yuan"]
        );
    }

    #[test]
    fn an_exploration_right_files_investment_and_workload() {
        let f = FilingInput {
            obligations: Some("已缴纳探矿权占用费".into()),
            mine_status: Some(MineStatus::Producing),
            ..FilingInput::default()
        };
        assert_eq!(
            fields(check_filing(RightKind::Exploration, &f)),
            vec![
                "explorer",
                "investment_wan_yuan",
                "workload",
                "result_report",
                "stage",
                "geodata",
                "mine_status"
            ]
        );
        let ok = FilingInput {
            explorer: Some("黑龙江省第六地质勘查院，牡丹江市".into()),
            investment_wan_yuan: Some(85.0),
            workload: Some("槽探 320 立方米，钻探 1200 米，样品 96 件".into()),
            result_report: Some(false),
            stage: Some("详查".into()),
            geodata: Some("已汇交".into()),
            obligations: Some("已缴纳探矿权占用费".into()),
            ..FilingInput::default()
        };
        assert_eq!(check_filing(RightKind::Exploration, &ok), Ok(()));
        assert_eq!(
            check_filing(RightKind::Mining, &ok).unwrap_err()[0].message,
            "请选择矿山状态（生产、基建、停产、闭坑）"
        );
    }
}
