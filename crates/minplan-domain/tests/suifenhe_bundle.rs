//! The Suifenhe bundle loads cleanly, and every figure in it is the plan text's.
//!
//! Oracles: the plan text itself (`plans/231081-2021-2025/text.txt`, the published text,
//! pinned by its SHA-256) — each figure must appear in the section it cites — and a literal
//! table of the figures transcribed from the plan text (`docs/suifenhe.md`), which the bundle
//! must match exactly.

use minplan_domain::bundle::load_bundle;
use minplan_domain::citation::{Citation, PlanText, format_number};
use minplan_domain::plan::Plan;
use sha2::{Digest, Sha256};
mod common;

use common::read_dir;
use std::path::PathBuf;

fn bundle_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../plans/231081-2021-2025")
}

/// SHA-256 of the published plan text (the project's seed copy `000_ee0a3cd33c297f28.txt`,
/// 30 810 bytes), of which `text.txt` is a byte-for-byte copy.
const PLAN_TEXT_SHA256: &str = "e2e18dc592f1bde6a605b9bc92ce2fb4117100fb2364f0991eb47abdd37af69e";

fn plan() -> Plan {
    match load_bundle(&read_dir(&bundle_dir())) {
        Ok(l) => {
            assert!(l.warnings.is_empty(), "warnings: {:?}", l.warnings);
            l.plan
        }
        Err(e) => panic!("{e}"),
    }
}

/// Every number of the bundle with the section it cites: (what, value, citation).
fn figures(p: &Plan) -> Vec<(String, f64, String)> {
    let mut out = Vec::new();
    let mut push =
        |what: &str, v: f64, c: &Citation| out.push((what.to_string(), v, c.to_string()));
    let base_year = p.identity.base_year.as_ref().expect("绥芬河规划载明基准年");
    push("基准年", base_year.value as f64, &base_year.cite);
    push(
        "规划期起",
        p.identity.period_start as f64,
        &p.identity.period_cite,
    );
    push(
        "规划期止",
        p.identity.period_end as f64,
        &p.identity.period_cite,
    );
    for f in &p.baseline {
        push(&f.label, f.value, &f.cite);
    }
    for r in &p.previous_round {
        let name = format!("专栏1 {}", r.item.as_deref().unwrap_or(&r.indicator));
        push(&format!("{name} 目标"), r.target, &r.cite);
        push(&format!("{name} 完成"), r.actual, &r.cite);
    }
    for i in &p.indicators {
        push(&format!("指标 {}", i.name), i.target, &i.cite);
    }
    for g in &p.block_groups {
        push(
            &format!("{} 数量", g.label),
            g.count.value as f64,
            &g.count.cite,
        );
        let total = g.total_area_km2.as_ref().expect("绥芬河规划载明区块总面积");
        push(&format!("{} 总面积", g.label), total.value, &total.cite);
    }
    let a = &p.admission;
    let cap = a.mine_cap_total.as_ref().expect("绥芬河规划设矿山数量上限");
    push("矿山数量上限", cap.value as f64, &cap.cite);
    if let Some(c) = &a.mine_cap_this_level {
        push("本级矿山数量上限", c.value as f64, &c.cite);
    }
    for m in &a.min_scales {
        push(&format!("最低开采规模 {}", m.mineral), m.value, &m.cite);
    }
    for m in &a.extraction_caps {
        push(&format!("开采指标 {}", m.mineral), m.value, &m.cite);
    }
    for f in &a.other {
        push(&f.label, f.value, &f.cite);
    }
    out
}

/// The figures of the plan text, transcribed by hand (`docs/suifenhe.md`): value and section.
const LITERAL: &[(&str, f64, &str)] = &[
    ("基准年", 2020.0, "总则"),
    ("规划期起", 2021.0, "总则"),
    ("规划期止", 2025.0, "总则"),
    ("行政村", 11.0, "总则"),
    ("行政区面积", 460.0, "一（一）1"),
    ("常住人口", 11.0, "一（一）1"),
    ("平均海拔", 600.0, "一（一）1"),
    ("已发现矿产（含亚矿种）", 12.0, "一（一）2"),
    ("矿点、矿化点", 6.0, "一（一）2"),
    ("1:5万区域地质调查面积", 377.0, "一（一）3"),
    ("金鱼背泥炭矿资源储量", 120.0, "一（一）3"),
    ("已开发利用矿产", 8.0, "一（一）4"),
    ("全部矿山关闭年份", 2018.0, "一（一）6"),
    ("历史遗留矿山", 14.0, "一（一）5"),
    ("历史遗留矿山面积", 0.7, "一（一）5"),
    (
        "矿山生态环境修复项目（2015～2020年累计）",
        11.0,
        "一（一）6",
    ),
    ("修复项目投资", 350.0, "一（一）6"),
    ("修复项目区总面积", 0.0212, "一（一）6"),
    ("专栏1 砖瓦用粘土（矿石） 目标", 12.7, "专栏1"),
    ("专栏1 砖瓦用粘土（矿石） 完成", 0.0, "专栏1"),
    ("专栏1 建筑用石（矿石） 目标", 14.5, "专栏1"),
    ("专栏1 建筑用石（矿石） 完成", 0.0, "专栏1"),
    ("专栏1 重点治理项目 目标", 22.0, "专栏1"),
    ("专栏1 重点治理项目 完成", 11.0, "专栏1"),
    ("指标 矿业总产值", 1000.0, "专栏2"),
    ("指标 矿山企业数量", 3.0, "专栏2"),
    ("指标 大中型矿山比例", 33.0, "专栏2"),
    ("指标 建筑用石", 10.0, "专栏2"),
    ("指标 矿泉水", 3.6, "专栏2"),
    ("指标 地下热水", 96.0, "专栏2"),
    ("指标 提供中型矿产地", 1.0, "三 2"),
    ("市级划定勘查规划区块 数量", 3.0, "四（三）1"),
    ("市级划定勘查规划区块 总面积", 32.0, "四（三）1"),
    ("市级划定开采规划区块 数量", 3.0, "四（三）2"),
    ("市级划定开采规划区块 总面积", 32.0, "四（三）2"),
    ("本级审批发证开采规划区块 数量", 2.0, "四（三）2"),
    ("本级审批发证开采规划区块 总面积", 0.05, "四（三）2"),
    ("矿山数量上限", 3.0, "五（一）"),
    ("本级矿山数量上限", 2.0, "五（一）"),
    ("最低开采规模 建筑用石", 5.0, "五（三）1"),
    ("开采指标 建筑用石", 10.0, "五（一）"),
    ("开采指标 矿泉水", 3.6, "五（一）"),
    ("开采指标 地下热水", 96.0, "五（一）"),
    ("生产废水清水循环利用率", 100.0, "五（二）"),
    ("大中型矿山比例", 33.0, "五（一）"),
];

#[test]
fn bundle_figures_equal_the_literal_table() {
    let got = figures(&plan());
    for (what, v, cite) in LITERAL {
        let hit = got.iter().find(|g| g.0 == *what);
        let Some(hit) = hit else {
            panic!("bundle lacks {what}")
        };
        assert_eq!((hit.1, hit.2.as_str()), (*v, *cite), "{what}");
    }
    for g in &got {
        assert!(
            LITERAL.iter().any(|l| l.0 == g.0),
            "figure {} ({}) is not in the literal table",
            g.0,
            g.1
        );
    }
}

#[test]
fn every_figure_is_in_its_cited_section_of_the_plan_text() {
    let bundled = std::fs::read_to_string(bundle_dir().join("text.txt")).unwrap();
    let text = PlanText::new(&bundled);
    for (what, v, cite) in figures(&plan()) {
        let c = Citation::parse(&cite).unwrap();
        assert_eq!(
            text.section_contains_number(&c, v),
            Some(true),
            "{what} = {} not found in 《规划》{cite}",
            format_number(v)
        );
    }
    // The bundle's copy of the text is the plan text.
    let digest: String = Sha256::digest(bundled.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(digest, PLAN_TEXT_SHA256);
}

#[test]
fn names_and_lists_are_the_plan_texts() {
    let p = plan();
    assert_eq!(
        p.identity.name.value,
        "绥芬河市矿产资源总体规划（2021～2025年）"
    );
    assert_eq!(p.identity.adcode, "231081");
    assert_eq!(p.region.towns.value, ["绥芬河镇", "阜宁镇"]);
    let minerals = &p.figure("discovered_minerals").unwrap().items;
    assert_eq!(minerals.len(), 12);
    assert_eq!(p.figure("exploited_minerals").unwrap().items.len(), 8);
    let names: Vec<&str> = p.key_areas.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "庆发采石场建筑用凝灰岩产业区域",
            "建新村饮用天然矿泉水产业区域"
        ]
    );
    let prohibited: Vec<&str> = p.prohibitions.iter().map(|x| x.mineral.as_str()).collect();
    assert_eq!(prohibited, ["泥炭", "砖瓦用粘土"]);
}

#[test]
fn eight_blocks_with_the_stated_totals_all_schematic() {
    use minplan_domain::plan::{ApprovalLevel::*, BlockKind::*};
    let p = plan();
    let count = |k, a| {
        p.blocks
            .iter()
            .filter(|b| b.kind == k && b.approval == a)
            .count()
    };
    assert_eq!(count(Exploration, CityDesignated), 3);
    assert_eq!(count(Mining, CityDesignated), 3);
    assert_eq!(count(Mining, ThisLevel), 2);
    assert!(p.blocks.iter().all(|b| b.schematic));
    for g in &p.block_groups {
        let total = g.total_area_km2.as_ref().unwrap().value;
        let rel = (g.computed_area_km2 - total).abs() / total;
        assert!(
            rel < 1e-4,
            "{}: {} vs {}",
            g.label,
            g.computed_area_km2,
            total
        );
    }
    // The county outline is sized to 460 km² (一（一）1).
    assert!(
        (p.region.outline_area_km2 - 460.0).abs() < 0.05,
        "{}",
        p.region.outline_area_km2
    );
    assert!(p.region.outline_schematic);
    assert_eq!(p.indicators_in("专栏2").count(), 6);
    assert_eq!(p.control_layers.len(), 4);
    assert!(
        p.control_layers
            .iter()
            .all(|l| l.schematic && !l.features.is_empty())
    );
}
