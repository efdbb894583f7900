//! The restoration indicators (issue 15, item 6): references read from the plan bundle and equal
//! to the plan text's numbers, gaps shown as their words and never as 0, 规划未设定 for a plan
//! without the keys, completion computed by hand.

use minplan_domain::bundle::load_bundle;
use minplan_domain::plan::Plan;
use minplan_domain::restoration::figures::{
    FundFigures, GreenFigures, LegacyFigures, Reading, RestorationFigures, ScheduleFigures,
};
use minplan_domain::restoration::indicators::{NOT_SET, restoration_indicators};
use std::path::PathBuf;
use std::sync::OnceLock;
mod common;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../plans/231081-2021-2025")
}

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| load_bundle(&common::read_dir(&dir())).unwrap().plan)
}

#[test]
fn references_come_from_the_bundle_and_match_the_plan_text() {
    let text = std::fs::read_to_string(dir().join("text.txt")).unwrap();
    // 《规划》一（一）5–6 and 专栏1 as the text writes them.
    assert!(text.contains("截至 2020 年我市历史遗留矿山 14 个"));
    assert!(text.contains("0.7 平方千米"));
    assert!(text.contains("计实施矿山生态环境修复项目 11 个，投资资金额 350 万元"));
    assert!(text.contains("矿山修复项目区总面积 0.0212 平方千米"));
    assert!(text.contains("重点治理项目 个 22 11"));

    let s = restoration_indicators(plan(), 2025, &RestorationFigures::default());
    let r = |k: &str| s.row(k).unwrap();
    assert_eq!(r("key_projects").reference.value, Some(22.0));
    assert_eq!(r("key_projects").reference.kind, "专栏1 上轮规划目标");
    assert_eq!(r("key_projects").note, "上轮规划完成 11 个");
    assert_eq!(r("key_projects").cite, "《规划》专栏1");
    assert_eq!(r("legacy_mines").reference.value, Some(14.0));
    assert_eq!(r("legacy_remaining").reference.label, "14");
    assert_eq!(r("legacy_area").reference.value, Some(0.7));
    assert_eq!(r("restored_area").reference.label, "0.7");
    assert_eq!(r("legacy_area").cite, "《规划》一（一）5");
    assert_eq!(r("projects").reference.value, Some(11.0));
    assert_eq!(r("investment").reference.value, Some(350.0));
    assert_eq!(r("project_area").reference.label, "0.0212");
    assert_eq!(r("project_area").cite, "《规划》一（一）6");
}

#[test]
fn missing_figures_show_their_words_never_zero() {
    let s = restoration_indicators(plan(), 2025, &RestorationFigures::default());
    assert_eq!(s.rows.len(), 18);
    for row in &s.rows {
        assert_eq!(row.value, None, "{}", row.key);
        assert_eq!(row.value_label, "无数据", "{}", row.key);
    }
    // A completion against a plan figure cannot be judged without the figure.
    assert_eq!(s.row("key_projects").unwrap().completion, "无法判定");
    assert_eq!(s.row("restored_area").unwrap().completion, "无法判定");
    // Accrued vs due: both missing, the due amount's words stand in the reference.
    let acc = s.row("fund_accrued").unwrap();
    assert_eq!(
        (acc.reference.label.as_str(), acc.completion.as_str()),
        ("无数据", "无法判定")
    );
    assert_eq!(s.row("fund_shortfall").unwrap().note, "少提矿山：无数据");
    assert_eq!(s.row("green_share").unwrap().note, "绿色矿山：无数据");
    // No count beside a missing figure (the stub counted nothing).
    assert_eq!(s.row("fund_due").unwrap().note, "");
    assert_eq!(s.row("disturbed_ha").unwrap().note, "");
    assert!(!s.schematic);
}

#[test]
fn a_plan_without_the_keys_says_not_set() {
    let mut p = plan().clone();
    p.baseline.clear();
    p.previous_round.clear();
    let s = restoration_indicators(&p, 2025, &RestorationFigures::default());
    for k in [
        "key_projects",
        "legacy_mines",
        "legacy_area",
        "legacy_remaining",
        "legacy_remaining_area",
        "restored_area",
        "projects",
        "investment",
        "project_area",
    ] {
        let r = s.row(k).unwrap();
        assert_eq!(r.reference.label, NOT_SET, "{k}");
        assert_eq!(r.reference.value, None, "{k}");
        assert_eq!(r.cite, "", "{k}");
        // Nothing to complete against: no completion, not 无法判定.
        assert_eq!(r.completion, "", "{k}");
    }
    assert_eq!(s.row("key_projects").unwrap().note, "");
}

#[test]
fn values_and_completion_by_hand() {
    let fig = RestorationFigures {
        legacy: LegacyFigures {
            legacy_mines: Reading::Value(14),
            legacy_schematic: true,
            legacy_area_km2: Reading::Value(0.7),
            remaining: Reading::Value(9),
            remaining_area_km2: Reading::Value(0.45),
            restored_area_km2: Reading::Value(0.25),
            projects: Reading::Value(13),
            key_projects_done: Reading::Value(11),
            investment_wan_yuan: Reading::Value(410.5),
            project_area_km2: Reading::Value(0.0312),
        },
        fund: FundFigures {
            year: 2025,
            mines: 5,
            due_wan_yuan: Reading::Value(120.0),
            accrued_wan_yuan: Reading::Value(90.0),
            withdrawn_wan_yuan: Reading::Value(40.0),
            mines_short: Reading::Value(2),
            shortfall_wan_yuan: Reading::Value(30.0),
        },
        schedule: ScheduleFigures {
            year: 2025,
            disturbed_ha: Reading::Value(3.2),
            restored_ha: Reading::Missing("未报送：2 座矿山未报送".into()),
            mines_reporting: 3,
            mines_behind: Reading::Value(1),
            mines_without_plans: Reading::Value(0),
        },
        green: GreenFigures {
            producing_mines: 8,
            green_mines: Reading::Value(2),
            by_level: vec![("县级".into(), 1), ("省级".into(), 1)],
            share_pct: Reading::Value(25.0),
        },
    };
    let s = restoration_indicators(plan(), 2025, &fig);
    let r = |k: &str| s.row(k).unwrap();
    // 11 / 22 = 50 %; 0.25 / 0.7 = 35.714… %; 90 / 120 = 75 %.
    assert_eq!(
        (
            r("key_projects").value_label.as_str(),
            r("key_projects").completion.as_str()
        ),
        ("11", "50.0%")
    );
    assert_eq!(r("restored_area").completion, "35.7%");
    assert_eq!(r("fund_accrued").reference.label, "120");
    assert_eq!(r("fund_accrued").completion, "75.0%");
    assert_eq!(r("fund_shortfall").value_label, "30");
    assert_eq!(r("fund_shortfall").note, "2 座矿山少提（5 座应提取）");
    assert_eq!(r("fund_due").name, "2025年应提取基金");
    assert_eq!(r("fund_due").note, "5 座矿山应提取");
    assert_eq!(
        r("disturbed_ha").note,
        "3 座矿山年度报告填报了损毁与修复面积"
    );
    assert_eq!(r("investment").value_label, "410.5");
    assert_eq!(r("project_area").value_label, "0.0312");
    assert_eq!(r("legacy_remaining").value_label, "9");
    // A real zero is a value, shown as 0.
    assert_eq!(
        (
            r("mines_without_plans").value,
            r("mines_without_plans").value_label.as_str()
        ),
        (Some(0.0), "0")
    );
    assert_eq!(r("restored_ha").value_label, "未报送：2 座矿山未报送");
    assert_eq!(r("green_share").value_label, "25");
    assert_eq!(r("green_share").note, "2 / 8 座生产矿山列入绿色矿山名录");
    // The 示意 mark on the inventory's rows only.
    assert!(s.schematic);
    assert!(r("legacy_mines").schematic && r("restored_area").schematic);
    assert!(!r("projects").schematic && !r("fund_due").schematic);
}
