//! Honest figures (issue 16, item 5): “not reported” is its own state, years outside the plan
//! period and unfinished years are not scored, manual indicators carry their evidence or are
//! 未填报, and the annual plan states its data date truthfully and flags every exceeded cap.

use minplan_domain::application::{Quantity, RightKind};
use minplan_domain::bundle::load_bundle;
use minplan_domain::date::Date;
use minplan_domain::monitoring::{
    IndicatorReport, ManualEntry, MonitoringConfig, RequiredMine, Status, YearMeasures,
    annual_plan_on, assess_on, indicator_specs, measure_year_with,
};
use minplan_domain::plan::{ApprovalLevel, LonLatPolygon, Plan};
use minplan_domain::register::annual_report::AnnualReport;
use minplan_domain::review::config::ScaleTable;
use minplan_domain::rights::{MiningRight, RightStatus};
use minplan_domain::units::Unit;
use std::path::PathBuf;
use std::sync::OnceLock;
mod common;

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../plans/231081-2021-2025");
        load_bundle(&common::read_dir(&dir)).unwrap().plan
    })
}

fn d(y: i32, m: u8, day: u8) -> Date {
    Date::new(y, m, day).unwrap()
}

/// A small square (±0.001°) around the first vertex-centre of a block's exterior ring.
fn inside(block: &str) -> Vec<LonLatPolygon> {
    let b = plan().blocks.iter().find(|b| b.number == block).unwrap();
    let ring = &b.geometry[0][0];
    let n = (ring.len() - 1) as f64;
    let (lon, lat) = (
        ring[..ring.len() - 1].iter().map(|p| p[0]).sum::<f64>() / n,
        ring[..ring.len() - 1].iter().map(|p| p[1]).sum::<f64>() / n,
    );
    let h = 0.001;
    vec![vec![vec![
        [lon - h, lat - h],
        [lon + h, lat - h],
        [lon + h, lat + h],
        [lon - h, lat + h],
        [lon - h, lat - h],
    ]]]
}

fn quarry(id: &str, credit: &str, capacity: f64, geometry: Vec<LonLatPolygon>) -> MiningRight {
    MiningRight {
        id: id.into(),
        kind: RightKind::Mining,
        status: RightStatus::Valid,
        name: format!("{id} 采石场"),
        holder_name: format!("{id} 公司"),
        credit_code: Some(credit.into()),
        minerals: vec!["建筑用石".into()],
        capacity: Some(Quantity {
            value: capacity,
            unit: Unit::WanM3PerYear,
        }),
        approval: Some(ApprovalLevel::ThisLevel),
        geometry,
        mining_method: None,
        sub_unit: None,
        review_failed: false,
    }
}

fn report(mine_id: i64, year: i32, extraction: f64, value: f64) -> AnnualReport {
    AnnualReport {
        id: mine_id,
        mine_id,
        mine_name: format!("矿山{mine_id}"),
        year,
        right_id: format!("R{mine_id}"),
        credit_code: None,
        mineral: "建筑用石".into(),
        extraction,
        unit: Unit::WanM3,
        output_value_wan_yuan: value,
        staff: 10,
        mining_recovery_pct: None,
        processing_recovery_pct: None,
        utilisation_pct: None,
        water_reuse_pct: None,
        filed_on: d(year + 1, 3, 1),
        corrected_on: None,
        on_behalf: false,
        filed_by: "矿山".into(),
        note: None,
        disturbed_ha: None,
        restored_ha: None,
    }
}

const CREDITS: [&str; 3] = [
    "91231081MA1AAAAA0X",
    "91231081MA1BBBBB0X",
    "91231081MA1CCCCC0X",
];

fn three_quarries() -> Vec<MiningRight> {
    (0..3)
        .map(|i| quarry(&format!("Q{i}"), CREDITS[i], 2.0, inside("231081-C01")))
        .collect()
}

/// The indicators of `year` on `today`, from one year's measures.
fn report_of(
    year: i32,
    rights: &[MiningRight],
    reports: &[AnnualReport],
    required: usize,
    manual: &[ManualEntry],
    today: Date,
) -> IndicatorReport {
    let plan = plan();
    let specs = indicator_specs(plan);
    let refs: Vec<&AnnualReport> = reports.iter().collect();
    let scales = ScaleTable::default();
    // Mines 1..=required owe a report, each mining 建筑用石 (as the reports say).
    let owing: Vec<RequiredMine> = (1..=required as i64)
        .map(|mine_id| RequiredMine {
            mine_id,
            minerals: vec!["建筑用石".into()],
        })
        .collect();
    let m: YearMeasures =
        measure_year_with(plan, &specs, year, rights, &refs, &owing, &scales, manual);
    assess_on(
        plan,
        &specs,
        &[m],
        year,
        &MonitoringConfig::default(),
        &scales.source,
        today,
    )
}

#[test]
fn one_of_three_mines_reported_is_never_on_track() {
    // 建筑用石 5.8 万立方米 from one report while three mines owed one: the cap ≤10 is not
    // judged on a third of the mines.
    let r = report_of(
        2024,
        &three_quarries(),
        &[report(1, 2024, 5.8, 300.0)],
        3,
        &[],
        d(2026, 12, 6),
    );
    let stone = r.get("extraction_building_stone").unwrap();
    assert_eq!(stone.value, Some(5.8));
    assert_eq!(stone.status, Status::PartlyReported);
    assert_ne!(stone.status_label, "正常");
    assert_eq!(stone.status_label, "部分未报送，无法判定");
    assert_eq!(stone.coverage_label, "1 / 3 座矿山已报送");
    assert!(stone.note.contains("1 / 3 座矿山已报送"), "{}", stone.note);
    assert_eq!(stone.series[0].mark.as_deref(), Some("1 / 3 已报送"));
    assert!(stone.series[0].partial);
    let value = r.get("output_value").unwrap();
    assert_eq!(value.status, Status::PartlyReported);
    // The register-based counts of the same year are scored as usual: three holders ≥ 90 %
    // of the cap 3 → 预警.
    let mines = r.get("mine_count").unwrap();
    assert_eq!((mines.value, mines.status), (Some(3.0), Status::Warning));
    assert_eq!(mines.source, "登记簿");
    assert_eq!(mines.coverage_label, "");
}

#[test]
fn a_year_nobody_reported_has_no_value_and_no_bar() {
    let r = report_of(2024, &three_quarries(), &[], 3, &[], d(2026, 12, 6));
    for key in ["output_value", "extraction_building_stone"] {
        let v = r.get(key).unwrap();
        assert_eq!(v.value, None, "{key}");
        assert_eq!(v.status, Status::NotReported, "{key}");
        assert_eq!(v.status_label, "未报送");
        assert_eq!(v.series[0].value, None);
        assert_eq!(v.series[0].mark.as_deref(), Some("未报送"));
        assert_eq!(v.percent_of_target, None);
    }
    // All three reported: scored (≤10 with 2 + 2 + 2 = 6 → 正常), no mark.
    let all: Vec<_> = (1..=3).map(|i| report(i, 2024, 2.0, 100.0)).collect();
    let r = report_of(2024, &three_quarries(), &all, 3, &[], d(2026, 12, 6));
    let stone = r.get("extraction_building_stone").unwrap();
    assert_eq!((stone.value, stone.status), (Some(6.0), Status::OnTrack));
    assert_eq!(stone.series[0].mark, None);
    assert_eq!(stone.coverage_label, "3 / 3 座矿山已报送");
}

#[test]
fn years_outside_the_plan_period_are_not_scored() {
    let all: Vec<_> = (1..=3).map(|i| report(i, 2026, 4.0, 100.0)).collect();
    // 2026 is after the period 2021–2025; judged on 2027-03-01 it is over.
    let r = report_of(2026, &three_quarries(), &all, 3, &[], d(2027, 3, 1));
    assert!(r.standing.out_of_period && !r.standing.unfinished);
    assert!(
        r.standing_note.contains("规划期外，不评价"),
        "{}",
        r.standing_note
    );
    for v in &r.indicators {
        assert!(
            matches!(v.status, Status::OutOfPeriod | Status::NotEntered),
            "{}: {:?}",
            v.key,
            v.status
        );
        assert_ne!(v.status_label, "未达标", "{}", v.key);
        assert_eq!(v.projection, None);
    }
    // 12 > 10 would be 超出上限 inside the period; here it is only shown.
    let stone = r.get("extraction_building_stone").unwrap();
    assert_eq!(stone.value, Some(12.0));
    assert_eq!(stone.status_label, "规划期外，不评价");
}

#[test]
fn an_unfinished_year_is_marked_and_not_scored() {
    let r = report_of(2025, &three_quarries(), &[], 0, &[], d(2025, 12, 6));
    assert!(r.standing.unfinished && !r.standing.out_of_period);
    assert_eq!(r.as_of, d(2025, 12, 6));
    assert!(
        r.standing_note.contains("年度未结束"),
        "{}",
        r.standing_note
    );
    let mines = r.get("mine_count").unwrap();
    assert_eq!(mines.value, Some(3.0));
    assert_eq!(mines.status, Status::Unfinished);
    assert_eq!(mines.status_label, "年度未结束");
    assert_eq!(mines.series[0].mark.as_deref(), Some("年度未结束"));
    // The same year judged after it ended is scored.
    let r = report_of(2025, &three_quarries(), &[], 0, &[], d(2026, 1, 1));
    assert_eq!(r.get("mine_count").unwrap().status, Status::Warning);
}

#[test]
fn a_manual_indicator_shows_its_evidence_and_a_missing_one_is_not_entered() {
    let none = report_of(2024, &three_quarries(), &[], 0, &[], d(2026, 12, 6));
    let nd = none.get("new_deposits").unwrap();
    assert_eq!(nd.value, None);
    assert_eq!(nd.status, Status::NotEntered);
    assert_eq!(nd.status_label, "未填报");
    assert!(nd.manual_indicator);
    assert_eq!(nd.series[0].mark.as_deref(), Some("未填报"));
    let entry = ManualEntry {
        indicator: "new_deposits".into(),
        year: 2024,
        value: 1.0,
        evidence: "黑龙江省自然资源厅关于某建筑用石矿详查报告的评审备案文件".into(),
        attachment: Some("评审备案证明.pdf".into()),
        entered_by: "规划科张三".into(),
        entered_at: "2026-12-06T06:05:00Z".into(),
    };
    let other_year = ManualEntry {
        year: 2023,
        value: 0.0,
        ..entry.clone()
    };
    let r = report_of(
        2024,
        &three_quarries(),
        &[],
        0,
        &[other_year, entry.clone()],
        d(2026, 12, 6),
    );
    let nd = r.get("new_deposits").unwrap();
    assert_eq!(nd.value, Some(1.0));
    assert_eq!(nd.source, "人工填报");
    assert_eq!(nd.manual.as_ref(), Some(&entry));
    assert!(
        nd.note.contains("评审备案文件") && nd.note.contains("评审备案证明.pdf"),
        "{}",
        nd.note
    );
    // ≥1 reached → 正常.
    assert_eq!(nd.status, Status::OnTrack);
}

#[test]
fn the_annual_plan_states_its_data_date_and_counts_a_block_granted_before_it() {
    let plan = plan();
    let scales = ScaleTable::default();
    // A right granted in November 2026 in block C01, in the register on the drafting date.
    let granted = quarry("C2026-11", CREDITS[0], 2.0, inside("231081-C01"));
    let drafted = d(2026, 12, 6);
    for year in [2026, 2027] {
        let p = annual_plan_on(
            plan,
            year,
            drafted,
            std::slice::from_ref(&granted),
            &[],
            &[],
            None,
            &scales,
        );
        assert_eq!(p.basis_date, drafted, "{year}");
        assert!(p.basis_date <= p.drafted_on);
        assert!(
            p.notes[0].starts_with("数据截至2026年12月6日"),
            "{}",
            p.notes[0]
        );
        assert!(
            !p.open_blocks.iter().any(|b| b.number == "231081-C01"),
            "{year}: a block granted before the data date is not 可投放"
        );
    }
    // Without the right the block is open (the check above can fail).
    let p = annual_plan_on(plan, 2027, drafted, &[], &[], &[], None, &scales);
    assert!(p.open_blocks.iter().any(|b| b.number == "231081-C01"));
    // A past year's plan drawn again reads the register as at the end of the year before.
    let p = annual_plan_on(plan, 2024, drafted, &[], &[], &[], None, &scales);
    assert_eq!(p.basis_date, d(2023, 12, 31));
}

#[test]
fn the_annual_plan_flags_every_exceeded_cap() {
    let plan = plan();
    let scales = ScaleTable::default();
    // Four holders (cap 3), four at this level (cap 2), 4 × 3 = 12 万立方米/年 of 建筑用石 (cap 10).
    let mut rights = three_quarries();
    rights.push(quarry(
        "Q3",
        "91231081MA1DDDDD0X",
        2.0,
        inside("231081-C02"),
    ));
    for r in &mut rights {
        r.capacity.as_mut().unwrap().value = 3.0;
    }
    let p = annual_plan_on(plan, 2027, d(2026, 12, 6), &rights, &[], &[], None, &scales);
    let find = |what: &str| {
        p.exceeded
            .iter()
            .find(|e| e.cap.contains(what))
            .unwrap_or_else(|| panic!("{what} not flagged: {:?}", p.exceeded))
    };
    let stone = find("建筑用石");
    assert_eq!((stone.value, stone.limit), (12.0, 10.0));
    assert!(stone.cite.contains("五（一）"), "{}", stone.cite);
    let total = find("矿山企业");
    assert_eq!((total.value, total.limit), (4.0, 3.0));
    let this_level = find("本级");
    assert_eq!((this_level.value, this_level.limit), (4.0, 2.0));
    assert!(p.caps.iter().any(|c| c.mineral == "建筑用石" && c.exceeded));
    // Within every cap nothing is flagged.
    let p = annual_plan_on(
        plan,
        2027,
        d(2026, 12, 6),
        &three_quarries()[..1],
        &[],
        &[],
        None,
        &scales,
    );
    assert!(p.exceeded.is_empty(), "{:?}", p.exceeded);
}

#[test]
fn a_year_not_begun_is_read_as_of_today_and_never_scored() {
    // 2027 on 2026-12-06: after the period and not begun. Three mines would owe a report.
    let today = d(2026, 12, 6);
    let r = report_of(2027, &three_quarries(), &[], 3, &[], today);
    assert!(r.standing.not_started && r.standing.out_of_period);
    assert_eq!(r.as_of, today, "never a future date");
    assert!(
        r.standing_note.contains("年度未开始"),
        "{}",
        r.standing_note
    );
    for v in &r.indicators {
        assert_eq!(v.status, Status::NotStarted, "{}", v.key);
        assert_eq!(v.status_label, "年度未开始");
        assert_eq!(v.percent_of_target, None, "{}: no 完成率", v.key);
        assert_eq!(v.coverage, None, "{}: no “0 / 3 已报送”", v.key);
        assert_eq!(v.coverage_label, "");
        assert_eq!(v.series[0].mark.as_deref(), Some("年度未开始"));
    }
    let mines = r.get("mine_count").unwrap();
    assert_ne!(mines.status_label, "未报送");
}

#[test]
fn a_year_after_the_period_has_no_completion_rate() {
    let all: Vec<_> = (1..=3).map(|i| report(i, 2026, 4.0, 100.0)).collect();
    let r = report_of(2026, &three_quarries(), &all, 3, &[], d(2027, 3, 1));
    let mines = r.get("mine_count").unwrap();
    assert_eq!(mines.value, Some(3.0));
    assert_eq!(mines.percent_of_target, None);
    assert_eq!(mines.status, Status::OutOfPeriod);
    // Inside the period the same figure has its 完成率.
    let r = report_of(2025, &three_quarries(), &all, 3, &[], d(2026, 3, 1));
    assert_eq!(r.get("mine_count").unwrap().percent_of_target, Some(100.0));
}

#[test]
fn a_mineral_nobody_mining_it_reported_is_not_reported_not_zero() {
    // Three quarries filed 2025; the one geothermal mine (4) did not.
    let plan = plan();
    let specs = indicator_specs(plan);
    let scales = ScaleTable::default();
    let reports: Vec<_> = (1..=3).map(|i| report(i, 2025, 2.0, 100.0)).collect();
    let refs: Vec<&AnnualReport> = reports.iter().collect();
    let mut owing: Vec<RequiredMine> = (1..=3)
        .map(|mine_id| RequiredMine {
            mine_id,
            minerals: vec!["建筑用石".into()],
        })
        .collect();
    owing.push(RequiredMine {
        mine_id: 4,
        minerals: vec!["地下热水".into()],
    });
    let m = measure_year_with(
        plan,
        &specs,
        2025,
        &three_quarries(),
        &refs,
        &owing,
        &scales,
        &[],
    );
    let r = assess_on(
        plan,
        &specs,
        &[m],
        2025,
        &MonitoringConfig::default(),
        &scales.source,
        d(2026, 12, 6),
    );
    let heat = r
        .indicators
        .iter()
        .find(|i| i.key.starts_with("extraction_") && i.name.contains("地下热水"))
        .expect("地下热水 indicator");
    assert_eq!(heat.value, None, "never 0");
    assert_eq!(heat.status, Status::NotReported);
    assert_eq!(heat.coverage_label, "0 / 1 座矿山已报送");
    assert_eq!(heat.percent_of_target, None);
    // The quarries all filed: 建筑用石 is complete and scored, not partial.
    let stone = r.get("extraction_building_stone").unwrap();
    assert_eq!(stone.value, Some(6.0));
    assert_eq!(stone.coverage_label, "3 / 3 座矿山已报送");
    assert_eq!(stone.status, Status::OnTrack);

    // The annual plan's 上年开采量 likewise.
    let p = annual_plan_on(
        plan,
        2026,
        d(2026, 12, 6),
        &three_quarries(),
        &[],
        &refs,
        Some(&owing),
        &scales,
    );
    let cap = |m: &str| p.caps.iter().find(|c| c.mineral == m).unwrap();
    assert_eq!(cap("地下热水").last_year_extraction, None);
    assert_eq!(cap("建筑用石").last_year_extraction, Some(6.0));
    assert_eq!(
        cap("建筑用石").last_year_coverage.map(|c| c.label()),
        Some("3 / 3 座矿山已报送".into())
    );
}
