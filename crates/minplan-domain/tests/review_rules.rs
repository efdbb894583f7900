//! Each review rule passes and fails on the Suifenhe plan, with the numbers behind it.

use minplan_domain::application::{Application, Quantity, RightKind, parse_application};
use minplan_domain::bundle::load_bundle;
use minplan_domain::plan::{ApprovalLevel, LonLatPolygon, Plan};
use minplan_domain::review::config::{ReviewConfig, ScaleTable};
use minplan_domain::review::indicators::RegisterStats;
use minplan_domain::review::spatial::{SpatialIndex, plan_control_layers};
use minplan_domain::review::{
    Conclusion, ConformityReview, PlanRef, ReviewContext, RuleOutcome, review,
};
use minplan_domain::rights::{HolderLists, ListedHolder, MiningRight, RightStatus};
use minplan_domain::units::Unit;
use minplan_geo::GaussKrugerZone;
mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../plans/231081-2021-2025");
        let files = common::read_dir(&dir);
        load_bundle(&files).unwrap().plan
    })
}

fn zone() -> GaussKrugerZone {
    GaussKrugerZone::three_degree(44, true).unwrap()
}

/// Plane (E, N) without prefix of a lon/lat point in zone 44.
fn en(lon: f64, lat: f64) -> (f64, f64) {
    zone().with_prefix(false).projection().forward(lon, lat)
}

fn block(number: &str) -> &'static minplan_domain::plan::PlanningBlock {
    plan().blocks.iter().find(|b| b.number == number).unwrap()
}

/// The block's exterior ring in the plane, without the closing point.
fn block_ring(number: &str) -> Vec<(f64, f64)> {
    let r = &block(number).geometry[0][0];
    r[..r.len() - 1].iter().map(|p| en(p[0], p[1])).collect()
}

fn centroid(ring: &[(f64, f64)]) -> (f64, f64) {
    let n = ring.len() as f64;
    (
        ring.iter().map(|p| p.0).sum::<f64>() / n,
        ring.iter().map(|p| p.1).sum::<f64>() / n,
    )
}

fn square(c: (f64, f64), half: f64) -> Vec<(f64, f64)> {
    vec![
        (c.0 - half, c.1 - half),
        (c.0 + half, c.1 - half),
        (c.0 + half, c.1 + half),
        (c.0 - half, c.1 + half),
    ]
}

/// MNR 报盘 text of a ring (E, N without prefix) — X = northing, Y = 44 + easting.
fn corners(ring: &[(f64, f64)]) -> String {
    let mut s = String::from("拐点,X(起标高),Y(止标高)\n");
    for (k, (e, n)) in ring.iter().enumerate() {
        s += &format!("{},{:.2},{:.2}, , ,\n", k + 1, n, 44_000_000.0 + e);
    }
    s += "*,520,440,采区,1,\n";
    s
}

struct App {
    number: &'static str,
    kind: &'static str,
    extra: &'static str,
    right_kind: &'static str,
    minerals: &'static str,
    method: &'static str,
    capacity: f64,
    /// Unit of the capacity, with a basis in brackets if any.
    capacity_unit: &'static str,
    /// More keys of the capacity's inline table, e.g. `, days_per_year = 300`.
    capacity_extra: &'static str,
    reserves: Option<f64>,
    /// Unit of the reserves, with a basis in brackets if any.
    reserves_unit: &'static str,
    grant: &'static str,
    credit: &'static str,
    docs: (bool, bool, bool),
    site: &'static str,
    ring: Vec<(f64, f64)>,
}

const CREDIT_A: &str = "91110000710925462X";
const CREDIT_B: &str = "9144030071526726XG";

fn quarry(ring: Vec<(f64, f64)>) -> App {
    App {
        number: "T-001",
        kind: "新立",
        extra: "",
        right_kind: "采矿权",
        minerals: "\"建筑用凝灰岩\"",
        method: "露天",
        capacity: 6.0,
        capacity_unit: "万立方米/年",
        capacity_extra: "",
        reserves: Some(48.0),
        reserves_unit: "万立方米",
        grant: "method = \"挂牌\"",
        credit: CREDIT_A,
        docs: (true, true, true),
        site: "",
        ring,
    }
}

fn toml_of(a: &App) -> String {
    let reserves = a
        .reserves
        .map(|r| {
            format!(
                "reserves = {{ value = {r}, unit = \"{}\" }}\n",
                a.reserves_unit
            )
        })
        .unwrap_or_default();
    format!(
        "format = \"minplan-application/1\"\nnumber = \"{}\"\nkind = \"{}\"\n{}right_kind = \"{}\"\nproject_name = \"测试项目\"\nminerals = [{}]\nmining_method = \"{}\"\ncapacity = {{ value = {}, unit = \"{}\"{} }}\n{reserves}\n[holder]\nname = \"测试建材有限公司\"\ncredit_code = \"{}\"\n\n[grant]\n{}\n\n[documents]\ndevelopment_plan = {}\nrestoration_plan = {}\ngreen_mine_commitment = {}\n\n[site]\n{}\n\n[coordinates]\ntext = \"\"\"\n{}\"\"\"\n",
        a.number,
        a.kind,
        a.extra,
        a.right_kind,
        a.minerals,
        a.method,
        a.capacity,
        a.capacity_unit,
        a.capacity_extra,
        a.credit,
        a.grant,
        a.docs.0,
        a.docs.1,
        a.docs.2,
        a.site,
        corners(&a.ring)
    )
}

fn parse(a: &App) -> Application {
    let toml = toml_of(a);
    match parse_application(&toml, None, &plan().minerals, zone(), None) {
        Ok(app) => app,
        Err(e) => panic!("{e}\n{toml}"),
    }
}

fn right(
    id: &str,
    credit: &str,
    minerals: &[&str],
    capacity: f64,
    approval: Option<ApprovalLevel>,
    ring: &[(f64, f64)],
    status: RightStatus,
) -> MiningRight {
    let tm = zone().with_prefix(false).projection();
    let mut lonlat: Vec<[f64; 2]> = ring
        .iter()
        .map(|&(e, n)| {
            let (lon, lat) = tm.inverse(e, n);
            [lon, lat]
        })
        .collect();
    lonlat.push(lonlat[0]);
    let geometry: Vec<LonLatPolygon> = vec![vec![lonlat]];
    MiningRight {
        id: id.into(),
        kind: RightKind::Mining,
        status,
        name: format!("{id} 矿"),
        holder_name: format!("{id} 公司"),
        credit_code: Some(credit.into()),
        minerals: minerals.iter().map(|s| s.to_string()).collect(),
        capacity: Some(Quantity {
            value: capacity,
            unit: Unit::WanM3PerYear,
        }),
        approval,
        geometry,
        mining_method: None,
        sub_unit: None,
        review_failed: false,
    }
}

fn run_with(app: &Application, rights: &[MiningRight], lists: &HolderLists) -> ConformityReview {
    let plan = plan();
    let index = SpatialIndex::build(plan, plan_control_layers(plan), rights, None);
    let config = ReviewConfig::default();
    let scales = ScaleTable::default();
    let stats = RegisterStats::compute(plan, rights, &scales);
    let ctx = ReviewContext {
        plan,
        plan_ref: PlanRef::new(
            1,
            1,
            "test".into(),
            plan,
            minplan_domain::date::Date::start_of_year(2026),
        ),
        spatial: &index,
        rights,
        lists,
        config: &config,
        scales: &scales,
        stats: &stats,
        now: "2026-11-30T00:00:00Z",
        plans_on_file: None,
    };
    let r = review(app, &ctx);
    // R6 reads the register's count tallies gathered once per register; without them it
    // tallies the register itself, to the same result.
    let untallied = RegisterStats {
        count_tallies: vec![],
        ..stats.clone()
    };
    let again = review(
        app,
        &ReviewContext {
            stats: &untallied,
            ..ctx
        },
    );
    assert_eq!(
        format!("{:?}", r.rule("R6")),
        format!("{:?}", again.rule("R6"))
    );
    r
}

fn run(app: &Application) -> ConformityReview {
    run_with(app, &[], &HolderLists::default())
}

fn outcome(r: &ConformityReview, id: &str) -> RuleOutcome {
    r.rule(id).unwrap().outcome
}

fn evidence(r: &ConformityReview, id: &str, label: &str) -> f64 {
    r.rule(id)
        .unwrap()
        .evidence
        .iter()
        .find(|e| e.label.starts_with(label))
        .unwrap_or_else(|| panic!("{id} lacks {label}: {:?}", r.rule(id).unwrap().evidence))
        .number
        .unwrap()
}

#[test]
fn a_quarry_matching_its_block_conforms_on_every_rule() {
    let r = run(&parse(&quarry(block_ring("231081-C05"))));
    for rule in &r.rules {
        assert!(
            matches!(rule.outcome, RuleOutcome::Pass | RuleOutcome::NotApplicable),
            "{} {}: {}",
            rule.id,
            rule.outcome.label(),
            rule.message
        );
    }
    assert_eq!(r.conclusion, Conclusion::Conforming);
    assert_eq!(r.rules.len(), 15);
    // R2 coverage both ways is 100 % (the application is the block, to 0.01 m rounding).
    assert!((evidence(&r, "R2", "区块覆盖申请范围的比例") - 100.0).abs() < 0.01);
    assert!((evidence(&r, "R2", "申请范围占区块的比例") - 100.0).abs() < 0.01);
    // 0.02 km² block (示意) — the plane area is within 0.1 % of it.
    assert!(
        (r.application_area_m2 / 20_000.0 - 1.0).abs() < 1e-3,
        "{}",
        r.application_area_m2
    );
    // Every applicable rule cites the plan.
    assert!(
        r.rules
            .iter()
            .filter(|x| x.outcome != RuleOutcome::NotApplicable)
            .all(|x| !x.cites.is_empty()),
        "{:?}",
        r.rules
            .iter()
            .map(|x| (x.id, x.cites.len()))
            .collect::<Vec<_>>()
    );
    // What-if: one mine after approval, 6 of the 10 万立方米/年 建筑用石 cap.
    let stone = r
        .indicators
        .iter()
        .find(|i| i.name.ends_with("建筑用石"))
        .unwrap();
    assert_eq!(
        (stone.before, stone.after, stone.holds_after),
        (Some(0.0), Some(6.0), Some(true))
    );
    let mines = r
        .indicators
        .iter()
        .find(|i| i.name == "矿山企业数量")
        .unwrap();
    assert_eq!((mines.before, mines.after), (Some(0.0), Some(1.0)));
    // 6 万m³/年 建筑用石 is 中型 (国土资发〔2004〕208号: 10–5): ratio 100 % after.
    let ratio = r
        .indicators
        .iter()
        .find(|i| i.name == "大中型矿山比例")
        .unwrap();
    assert_eq!(
        (ratio.before, ratio.after, ratio.holds_after),
        (None, Some(100.0), Some(true))
    );
    assert!(r.notes.iter().any(|n| n.contains("示意")));
}

#[test]
fn r1_prohibited_mineral() {
    let mut a = quarry(block_ring("231081-C05"));
    a.minerals = "\"砖瓦用粘土\"";
    a.site = "arable_land = true";
    assert_eq!(outcome(&run(&parse(&a)), "R1"), RuleOutcome::Fail);
    a.site = "arable_land = false";
    // Declared not arable: the land use must still be verified.
    assert_eq!(outcome(&run(&parse(&a)), "R1"), RuleOutcome::ManualCheck);
    let pass = run(&parse(&quarry(block_ring("231081-C05"))));
    assert_eq!(outcome(&pass, "R1"), RuleOutcome::Pass);
}

#[test]
fn r2_outside_the_block_and_partial_coverage() {
    // 300 m × 300 m square 3 km east of 庆发: outside every block.
    let c = centroid(&block_ring("231081-C05"));
    let r = run(&parse(&quarry(square((c.0 + 3000.0, c.1), 150.0))));
    assert_eq!(outcome(&r, "R2"), RuleOutcome::Fail);
    assert_eq!(r.conclusion, Conclusion::NonConforming);
    // Half inside the block: the block covers ~half the application → fail, with the outside part.
    let ring = block_ring("231081-C05");
    let shifted: Vec<(f64, f64)> = ring.iter().map(|p| (p.0 + 60.0, p.1)).collect();
    let r = run(&parse(&quarry(shifted)));
    let r2 = r.rule("R2").unwrap();
    assert_eq!(r2.outcome, RuleOutcome::Fail);
    let outside = &r2.conflicts[0];
    assert!(
        outside.area_m2 > 1000.0 && !outside.geometry.is_empty(),
        "{}",
        outside.area_m2
    );
    let cover = evidence(&r, "R2", "区块覆盖申请范围的比例");
    assert!(
        (cover + outside.percent_of_application - 100.0).abs() < 0.01,
        "{cover} + {}",
        outside.percent_of_application
    );
    // A geothermal right inside its 14 km² block but covering only part of it: manual check.
    let c1 = centroid(&block_ring("231081-C01"));
    let mut g = quarry(square(c1, 500.0));
    g.minerals = "\"地下热水\"";
    g.method = "井采";
    g.capacity = 30.0;
    g.reserves = Some(600.0);
    let r = run(&parse(&g));
    assert_eq!(outcome(&r, "R2"), RuleOutcome::ManualCheck);
    assert!((evidence(&r, "R2", "申请范围占区块的比例") - 1e6 / 14e6 * 100.0).abs() < 0.2);
}

#[test]
fn r3_one_block_one_right() {
    let ring = block_ring("231081-C05");
    let c = centroid(&ring);
    let existing = right(
        "C2310812019011",
        CREDIT_B,
        &["建筑用凝灰岩"],
        5.0,
        Some(ApprovalLevel::ThisLevel),
        &square(c, 20.0),
        RightStatus::Valid,
    );
    let app = parse(&quarry(ring));
    let r = run_with(
        &app,
        std::slice::from_ref(&existing),
        &HolderLists::default(),
    );
    assert_eq!(outcome(&r, "R3"), RuleOutcome::Fail);
    assert!(r.rule("R3").unwrap().message.contains("C2310812019011"));
    // The application's own existing right does not count (a 变更 of that right).
    let mut own = quarry(block_ring("231081-C05"));
    own.kind = "变更";
    own.extra = "change = \"扩大范围\"\nexisting_right = \"C2310812019011\"\n";
    let r = run_with(&parse(&own), &[existing], &HolderLists::default());
    assert_eq!(outcome(&r, "R3"), RuleOutcome::Pass);
}

#[test]
fn r4_scale_fits_reserves() {
    let mut a = quarry(block_ring("231081-C05"));
    a.reserves = Some(600.0); // 100 years at 6 万m³/年: 大矿小开
    let r = run(&parse(&a));
    assert_eq!(outcome(&r, "R4"), RuleOutcome::Fail);
    assert_eq!(evidence(&r, "R4", "资源量 ÷ 规模"), 100.0);
    a.reserves = None;
    assert_eq!(outcome(&run(&parse(&a)), "R4"), RuleOutcome::ManualCheck);
    a.reserves = Some(48.0);
    assert_eq!(outcome(&run(&parse(&a)), "R4"), RuleOutcome::Pass);
}

#[test]
fn r4_compares_like_with_like() {
    let mut a = quarry(block_ring("231081-C05"));
    // 600 千立方米 = 60 万立方米: 10 years at 6 万m³/年, not 600 ÷ 6 = 100 (大矿小开).
    a.reserves = Some(600.0);
    a.reserves_unit = "千立方米";
    let r = run(&parse(&a));
    assert_eq!(outcome(&r, "R4"), RuleOutcome::Pass);
    assert_eq!(evidence(&r, "R4", "资源量 ÷ 规模"), 10.0);
    // 60 千立方米/年 = 6 万立方米/年 against 48 万立方米: 8 years.
    a.reserves = Some(48.0);
    a.reserves_unit = "万方";
    a.capacity = 60.0;
    a.capacity_unit = "千立方米/年";
    assert_eq!(evidence(&run(&parse(&a)), "R4", "资源量 ÷ 规模"), 8.0);
    // 600 万立方米 of blocks against 6 万立方米/年 of rock: 100 years on paper, but the
    // figures are on different bases — a person compares them, no 大矿小开 verdict.
    a.capacity = 6.0;
    a.reserves = Some(600.0);
    a.reserves_unit = "万立方米（荒料量）";
    a.capacity_unit = "万立方米/年（矿石量）";
    let r = run(&parse(&a));
    let r4 = r.rule("R4").unwrap();
    assert_eq!(r4.outcome, RuleOutcome::ManualCheck, "{}", r4.message);
    assert!(
        r4.message.contains("基准不同（荒料量/矿石量），无法比较"),
        "{}",
        r4.message
    );
    // 荒料量 against an unstated basis is not comparable either; 荒料 against 荒料 is.
    a.capacity_unit = "万立方米/年";
    assert_eq!(outcome(&run(&parse(&a)), "R4"), RuleOutcome::ManualCheck);
    a.capacity_unit = "万立方米/年（荒料量）";
    assert_eq!(outcome(&run(&parse(&a)), "R4"), RuleOutcome::Fail);
    // 查明资源量 overstate what is extracted: 需人工核查, not 大矿小开.
    a.reserves_unit = "万立方米（查明荒料量）";
    assert_eq!(outcome(&run(&parse(&a)), "R4"), RuleOutcome::ManualCheck);
    // Tonnes against cubic metres: not convertible without a density.
    a.reserves_unit = "万吨";
    a.capacity_unit = "万立方米/年";
    assert!(
        run(&parse(&a))
            .rule("R4")
            .unwrap()
            .message
            .contains("须换算后核验")
    );
}

#[test]
fn r5_minimum_scale() {
    let mut a = quarry(block_ring("231081-C05"));
    a.capacity = 3.0;
    a.reserves = Some(24.0);
    let r = run(&parse(&a));
    assert_eq!(outcome(&r, "R5"), RuleOutcome::Fail);
    assert_eq!(evidence(&r, "R5", "最低开采规模"), 5.0);
    a.capacity = 5.0;
    a.reserves = Some(40.0);
    assert_eq!(outcome(&run(&parse(&a)), "R5"), RuleOutcome::Pass);
    // 30 千立方米/年 = 3 万立方米/年 < 5; 50 千立方米/年 = 5 is enough.
    a.capacity_unit = "千立方米/年";
    a.capacity = 30.0;
    a.reserves = Some(24.0);
    assert_eq!(outcome(&run(&parse(&a)), "R5"), RuleOutcome::Fail);
    a.capacity = 50.0;
    a.reserves = Some(40.0);
    assert_eq!(outcome(&run(&parse(&a)), "R5"), RuleOutcome::Pass);
    // A daily rate needs the working days: not compared.
    a.capacity_unit = "立方米/日";
    a.capacity = 200.0;
    assert_eq!(outcome(&run(&parse(&a)), "R5"), RuleOutcome::ManualCheck);
    // With the working days stated: 200 m³/d × 300 d = 6 万立方米/年 ≥ 5; on 200 days 4 < 5.
    a.capacity_extra = ", days_per_year = 300";
    let r = run(&parse(&a));
    assert_eq!(
        outcome(&r, "R5"),
        RuleOutcome::Pass,
        "{}",
        r.rule("R5").unwrap().message
    );
    assert!(
        r.rule("R5").unwrap().evidence.iter().any(|e| e
            .value
            .contains("200 立方米/日 × 300 天/年 = 6 万立方米/年")),
        "{:?}",
        r.rule("R5").unwrap().evidence
    );
    a.capacity_extra = ", days_per_year = 200";
    assert_eq!(outcome(&run(&parse(&a)), "R5"), RuleOutcome::Fail);
}

#[test]
fn working_days_only_with_a_daily_capacity() {
    let mut a = quarry(block_ring("231081-C05"));
    a.capacity_extra = ", days_per_year = 300";
    let e = parse_application(&toml_of(&a), None, &plan().minerals, zone(), None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("年工作天数（days_per_year）只用于以立方米/日填写的生产规模"),
        "{e}"
    );
    a.capacity_unit = "立方米/日";
    a.capacity_extra = ", days_per_year = 400";
    let e = parse_application(&toml_of(&a), None, &plan().minerals, zone(), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("年工作天数应在 1～366 之间"), "{e}");
    // A basis that is not one is refused, naming it.
    a.capacity_unit = "万立方米/年（毛料）";
    a.capacity_extra = "";
    let e = parse_application(&toml_of(&a), None, &plan().minerals, zone(), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("未知基准“毛料”"), "{e}");
}

#[test]
fn r6_mine_count_caps() {
    let far = |k: f64| {
        square(
            (
                centroid(&block_ring("231081-C01")).0 + k * 100.0,
                centroid(&block_ring("231081-C01")).1,
            ),
            10.0,
        )
    };
    let codes = [
        "91310000MA1FL4J525",
        "91230100MA18XK4L1Q",
        "9144030071526726XG",
    ];
    let three: Vec<MiningRight> = codes
        .iter()
        .enumerate()
        .map(|(k, c)| {
            right(
                &format!("C{k}"),
                c,
                &["地下热水"],
                1.0,
                Some(ApprovalLevel::CityDesignated),
                &far(k as f64),
                RightStatus::Valid,
            )
        })
        .collect();
    let app = parse(&quarry(block_ring("231081-C05")));
    let r = run_with(&app, &three, &HolderLists::default());
    assert_eq!(outcome(&r, "R6"), RuleOutcome::Fail);
    assert_eq!(
        (
            evidence(&r, "R6", "矿山企业数量：现有"),
            evidence(&r, "R6", "矿山企业数量：批准后")
        ),
        (3.0, 4.0)
    );
    let r = run_with(&app, &three[..2], &HolderLists::default());
    assert_eq!(outcome(&r, "R6"), RuleOutcome::Pass);
    // Two valid 本级 quarries already: a third at this level breaks the cap of 2.
    let ql: Vec<MiningRight> = codes[..2]
        .iter()
        .enumerate()
        .map(|(k, c)| {
            right(
                &format!("Q{k}"),
                c,
                &["建筑用石"],
                1.0,
                Some(ApprovalLevel::ThisLevel),
                &far(k as f64 + 10.0),
                RightStatus::Valid,
            )
        })
        .collect();
    let r = run_with(&app, &ql, &HolderLists::default());
    assert_eq!(outcome(&r, "R6"), RuleOutcome::Fail);
    assert_eq!(evidence(&r, "R6", "本级审批发证的矿山数量：批准后"), 3.0);
}

#[test]
fn r7_extraction_caps() {
    let c1 = centroid(&block_ring("231081-C01"));
    let existing = right(
        "C9",
        CREDIT_B,
        &["建筑用石"],
        8.0,
        Some(ApprovalLevel::ThisLevel),
        &square(c1, 10.0),
        RightStatus::Valid,
    );
    let app = parse(&quarry(block_ring("231081-C05")));
    let r = run_with(
        &app,
        std::slice::from_ref(&existing),
        &HolderLists::default(),
    );
    assert_eq!(outcome(&r, "R7"), RuleOutcome::Fail);
    assert_eq!(evidence(&r, "R7", "建筑用石：批准后合计"), 14.0);
    assert_eq!(evidence(&r, "R7", "建筑用石：规划调控指标"), 10.0);
    let small = right(
        "C9",
        CREDIT_B,
        &["建筑用石"],
        4.0,
        Some(ApprovalLevel::ThisLevel),
        &square(c1, 10.0),
        RightStatus::Valid,
    );
    let r = run_with(&app, &[small], &HolderLists::default());
    assert_eq!(outcome(&r, "R7"), RuleOutcome::Pass);
    assert_eq!(evidence(&r, "R7", "建筑用石：批准后合计"), 10.0);
    // A right registered in 千立方米/年 counts in the 万立方米/年 total: 80 千 = 8 万.
    let mut thousands = existing.clone();
    thousands.capacity = Some(Quantity {
        value: 80.0,
        unit: Unit::QianM3PerYear,
    });
    let r = run_with(&app, &[thousands], &HolderLists::default());
    assert_eq!(outcome(&r, "R7"), RuleOutcome::Fail);
    assert_eq!(evidence(&r, "R7", "建筑用石：批准后合计"), 14.0);
}

/// Rights whose capacity does not convert to the cap's unit (万吨/年 against 万立方米/年) are
/// counted and the first ten named, in register order, from the register's precomputed total
/// (the plan's 建筑用石 cap: one mineral, no filter), without walking the register.
#[test]
fn r7_names_the_first_ten_rights_it_cannot_convert() {
    let c1 = centroid(&block_ring("231081-C01"));
    let rights: Vec<MiningRight> = (1..=12)
        .map(|k| MiningRight {
            capacity: Some(Quantity {
                value: 1.0,
                unit: Unit::WanTonnePerYear,
            }),
            ..right(
                &format!("T{k:02}"),
                CREDIT_B,
                &["建筑用石"],
                1.0,
                Some(ApprovalLevel::ThisLevel),
                &square(c1, 10.0),
                RightStatus::Valid,
            )
        })
        .collect();
    let app = parse(&quarry(block_ring("231081-C05")));
    let r = run_with(&app, &rights, &HolderLists::default());
    assert_eq!(outcome(&r, "R7"), RuleOutcome::ManualCheck);
    let r7 = r.rule("R7").unwrap();
    assert!(
        r7.message
            .contains("另有 12 宗采矿权规模单位无法换算为万立方米/年（T01 矿、T02 矿、"),
        "{}",
        r7.message
    );
    let named = evidence_text(&r, "R7", "建筑用石：规模单位无法换算").unwrap();
    let expected: Vec<String> = (1..=10).map(|k| format!("T{k:02} 矿")).collect();
    assert_eq!(named, expected.join("、"));
}

/// The text of an evidence line of a rule, by the start of its label.
fn evidence_text(r: &ConformityReview, id: &str, label: &str) -> Option<String> {
    r.rule(id)
        .unwrap()
        .evidence
        .iter()
        .find(|e| e.label.starts_with(label))
        .map(|e| e.value.clone())
}

#[test]
fn r6_r7_leave_out_pending_applications_reviewed_nonconforming() {
    let c1 = centroid(&block_ring("231081-C01"));
    let at = |k: f64| square((c1.0 + k * 100.0, c1.1), 10.0);
    // Two enterprises hold 地下热水 wells; the applicant would be the third (cap ≤ 3).
    let wells: Vec<MiningRight> = ["91310000MA1FL4J525", "91230100MA18XK4L1Q"]
        .iter()
        .enumerate()
        .map(|(k, c)| {
            right(
                &format!("W{k}"),
                c,
                &["地下热水"],
                1.0,
                Some(ApprovalLevel::CityDesignated),
                &at(k as f64),
                RightStatus::Valid,
            )
        })
        .collect();
    // A fourth enterprise's quarry of 5 万立方米/年 is pending: with the application's 6 it
    // would break both the enterprise cap (4 > 3) and the 建筑用石 cap (11 > 10).
    let mut other = right(
        "SQ-BAD",
        "9144030071526726XG",
        &["建筑用石"],
        5.0,
        None,
        &at(5.0),
        RightStatus::Pending,
    );
    let app = parse(&quarry(block_ring("231081-C05")));
    let mut register = wells.clone();
    register.push(other.clone());
    let r = run_with(&app, &register, &HolderLists::default());
    assert_eq!(outcome(&r, "R6"), RuleOutcome::ManualCheck);
    assert_eq!(outcome(&r, "R7"), RuleOutcome::ManualCheck);
    assert_eq!(evidence(&r, "R7", "建筑用石：其他在审申请规模"), 5.0);
    // Reviewed 不符合, it is left out and named: both caps hold.
    other.review_failed = true;
    let mut register = wells.clone();
    register.push(other.clone());
    let r = run_with(&app, &register, &HolderLists::default());
    for id in ["R6", "R7"] {
        let rule = r.rule(id).unwrap();
        assert_eq!(rule.outcome, RuleOutcome::Pass, "{id}: {}", rule.message);
        assert!(
            rule.message
                .contains("另有 1 件在审申请经审查不符合，未计入"),
            "{id}: {}",
            rule.message
        );
    }
    assert_eq!(
        evidence_text(&r, "R7", "建筑用石：未计入的在审申请").as_deref(),
        Some("另有 1 件在审申请经审查不符合，未计入：SQ-BAD 矿（SQ-BAD）")
    );
    assert_eq!(
        evidence_text(&r, "R6", "矿山企业数量：未计入的在审申请").as_deref(),
        Some("另有 1 件在审申请经审查不符合，未计入：SQ-BAD 矿（SQ-BAD）")
    );
    assert_eq!(evidence_text(&r, "R7", "建筑用石：其他在审申请规模"), None);
    assert_eq!(evidence(&r, "R6", "矿山企业数量：批准后"), 3.0);
    assert_eq!(r.conclusion, Conclusion::Conforming, "{:?}", r.rules);
}

#[test]
fn a_transfer_adding_no_capacity_is_not_held_up_by_pending_applications() {
    // 转让 of a valid 8 万立方米/年 quarry: the total stays 8 ≤ 10 whatever is pending.
    let ring = block_ring("231081-C05");
    let own = right(
        "C9",
        CREDIT_B,
        &["建筑用石"],
        8.0,
        Some(ApprovalLevel::ThisLevel),
        &ring,
        RightStatus::Valid,
    );
    let c1 = centroid(&block_ring("231081-C01"));
    let mut pending = right(
        "SQ-BAD",
        "9144030071526726XG",
        &["建筑用石"],
        5.0,
        None,
        &square(c1, 10.0),
        RightStatus::Pending,
    );
    let mut a = quarry(ring);
    a.kind = "转让";
    a.extra = "existing_right = \"C9\"\n";
    a.capacity = 8.0;
    let app = parse(&a);
    for failed in [false, true] {
        pending.review_failed = failed;
        let r = run_with(
            &app,
            &[own.clone(), pending.clone()],
            &HolderLists::default(),
        );
        let r7 = r.rule("R7").unwrap();
        assert_eq!(
            r7.outcome,
            RuleOutcome::Pass,
            "failed={failed}: {}",
            r7.message
        );
        assert_eq!(evidence(&r, "R7", "建筑用石：批准后合计"), 8.0);
        assert_eq!(
            r7.message.contains("另有 1 件在审申请经审查不符合，未计入"),
            failed,
            "{}",
            r7.message
        );
        assert_ne!(outcome(&r, "R6"), RuleOutcome::ManualCheck);
    }
}

#[test]
fn the_ratio_names_mines_it_cannot_classify() {
    let c1 = centroid(&block_ring("231081-C01"));
    let at = |k: f64| square((c1.0 + k * 100.0, c1.1), 10.0);
    // A 中型 quarry in 千立方米/年 (60 千 = 6 万), and a 地下热水 well registered in 万吨/年,
    // which the table's 万立方米/年 row cannot class.
    let mut medium = right(
        "M1",
        CREDIT_B,
        &["建筑用石"],
        60.0,
        Some(ApprovalLevel::ThisLevel),
        &at(0.0),
        RightStatus::Valid,
    );
    medium.capacity.as_mut().unwrap().unit = Unit::QianM3PerYear;
    let mut well = right(
        "W1",
        "91310000MA1FL4J525",
        &["地下热水"],
        3.0,
        Some(ApprovalLevel::CityDesignated),
        &at(3.0),
        RightStatus::Valid,
    );
    well.capacity.as_mut().unwrap().unit = Unit::WanTonnePerYear;
    let app = parse(&quarry(block_ring("231081-C05")));
    let r = run_with(&app, &[medium.clone(), well], &HolderLists::default());
    let ratio = r
        .indicators
        .iter()
        .find(|i| i.name == "大中型矿山比例")
        .unwrap();
    // 1 of 1 classifiable before, 2 of 2 after — but one mine is left out: no “是”.
    assert_eq!((ratio.before, ratio.after), (Some(100.0), Some(100.0)));
    assert_eq!((ratio.holds_before, ratio.holds_after), (None, None));
    assert!(
        ratio.note.contains(
            "1 座无法判定规模（W1 矿（规模单位无法换算为分类表单位）），比例按可判定的 1 座计算"
        ),
        "{}",
        ratio.note
    );
    // Every mine classified: the target is judged.
    let r = run_with(&app, &[medium], &HolderLists::default());
    let ratio = r
        .indicators
        .iter()
        .find(|i| i.name == "大中型矿山比例")
        .unwrap();
    assert_eq!(ratio.holds_after, Some(true));
    assert!(!ratio.note.contains("无法判定"), "{}", ratio.note);
}

/// A square straddling the boundary of the first feature of a control layer.
fn straddling(kind: minplan_domain::plan::ControlLayerKind) -> Vec<(f64, f64)> {
    let l = plan().control_layer(kind).unwrap();
    let p = l.features[0].geometry[0][0][0];
    square(en(p[0], p[1]), 100.0)
}

#[test]
fn r8_ecological_red_line() {
    use minplan_domain::plan::ControlLayerKind::EcologicalRedLine;
    let r = run(&parse(&quarry(straddling(EcologicalRedLine))));
    let r8 = r.rule("R8").unwrap();
    assert_eq!(r8.outcome, RuleOutcome::Fail);
    assert!(r8.conflicts[0].area_m2 > 1000.0 && r8.conflicts[0].feature_id == "ERL-1");
    assert!(!r8.conflicts[0].geometry.is_empty());
    // The parts are kept in the plane and written as lon/lat: the record's JSON holds the
    // lon/lat polygons, whose first corner projects back onto the first plane vertex.
    let g = &r8.conflicts[0].geometry;
    let written = serde_json::to_value(g).unwrap();
    assert_eq!(written, serde_json::to_value(g.lonlat()).unwrap());
    let first = written[0][0][0].as_array().unwrap();
    let (lon, lat) = (first[0].as_f64().unwrap(), first[1].as_f64().unwrap());
    assert!(
        (131.0..131.3).contains(&lon) && (44.2..44.6).contains(&lat),
        "{lon} {lat}"
    );
    let (x, y) = en(lon, lat);
    let v = g.plane().0[0].exterior().0[0];
    assert!(
        (x - v.x).abs() < 1e-6 && (y - v.y).abs() < 1e-6,
        "{x} {y} vs {v:?}"
    );
    let mut e = quarry(straddling(EcologicalRedLine));
    e.right_kind = "探矿权";
    assert_eq!(outcome(&run(&parse(&e)), "R8"), RuleOutcome::ManualCheck);
    assert_eq!(
        outcome(&run(&parse(&quarry(block_ring("231081-C05")))), "R8"),
        RuleOutcome::Pass
    );
}

#[test]
fn r9_permanent_basic_farmland() {
    use minplan_domain::plan::ControlLayerKind::PermanentBasicFarmland;
    let r = run(&parse(&quarry(straddling(PermanentBasicFarmland))));
    assert_eq!(outcome(&r, "R9"), RuleOutcome::Fail);
    let mut g = quarry(straddling(PermanentBasicFarmland));
    g.minerals = "\"地下热水\"";
    g.method = "井采";
    assert_eq!(outcome(&run(&parse(&g)), "R9"), RuleOutcome::ManualCheck);
    assert_eq!(
        outcome(&run(&parse(&quarry(block_ring("231081-C05")))), "R9"),
        RuleOutcome::Pass
    );
}

#[test]
fn r10_urban_development_boundary() {
    use minplan_domain::plan::ControlLayerKind::UrbanDevelopmentBoundary;
    let r = run(&parse(&quarry(straddling(UrbanDevelopmentBoundary))));
    assert_eq!(outcome(&r, "R10"), RuleOutcome::ManualCheck);
    assert_eq!(
        outcome(&run(&parse(&quarry(block_ring("231081-C05")))), "R10"),
        RuleOutcome::Pass
    );
}

#[test]
fn r11_visible_corridor() {
    use minplan_domain::plan::ControlLayerKind::VisibleCorridor;
    let r = run(&parse(&quarry(straddling(VisibleCorridor))));
    assert_eq!(outcome(&r, "R11"), RuleOutcome::Fail);
    let mut u = quarry(straddling(VisibleCorridor));
    u.method = "地下";
    assert_eq!(outcome(&run(&parse(&u)), "R11"), RuleOutcome::NotApplicable);
    assert_eq!(
        outcome(&run(&parse(&quarry(block_ring("231081-C05")))), "R11"),
        RuleOutcome::Pass
    );
}

#[test]
fn r12_overlap_touching_and_pending() {
    let ring = block_ring("231081-C05");
    let c = centroid(&ring);
    let app = parse(&quarry(ring.clone()));
    // A pending application overlapping 40 m × 40 m of the block.
    let pending = right(
        "SQ-OTHER",
        CREDIT_B,
        &["建筑用石"],
        5.0,
        None,
        &square((c.0 - 20.0, c.1), 20.0),
        RightStatus::Pending,
    );
    let r = run_with(
        &app,
        std::slice::from_ref(&pending),
        &HolderLists::default(),
    );
    let r12 = r.rule("R12").unwrap();
    assert_eq!(r12.outcome, RuleOutcome::Fail);
    assert!(
        (r12.conflicts[0].area_m2 - 1600.0).abs() < 0.01,
        "{}",
        r12.conflicts[0].area_m2
    );
    // A neighbour sharing the block's first edge exactly: touching, not overlap.
    let (a, b) = (ring[0], ring[1]);
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = dx.hypot(dy);
    let (nx, ny) = (dy / len * 50.0, -dx / len * 50.0); // outward for a CCW ring
    let neighbour = right(
        "C-N",
        CREDIT_B,
        &["建筑用石"],
        5.0,
        None,
        &[a, (a.0 + nx, a.1 + ny), (b.0 + nx, b.1 + ny), b],
        RightStatus::Valid,
    );
    let r = run_with(&app, &[neighbour], &HolderLists::default());
    let r12 = r.rule("R12").unwrap();
    assert_eq!(r12.outcome, RuleOutcome::Pass, "{}", r12.message);
    assert!(r12.message.contains("相邻"));
    // Its own earlier review (same application number) is not a conflict.
    let mut itself = right(
        "T-001",
        CREDIT_A,
        &["建筑用凝灰岩"],
        6.0,
        None,
        &ring,
        RightStatus::Pending,
    );
    itself.status = RightStatus::Pending;
    let r = run_with(&app, &[itself], &HolderLists::default());
    assert_eq!(outcome(&r, "R12"), RuleOutcome::Pass);
}

#[test]
fn r13_holder_lists() {
    let app = parse(&quarry(block_ring("231081-C05")));
    let entry = ListedHolder {
        credit_code: CREDIT_A.into(),
        name: "测试建材有限公司".into(),
        reason: "未按期公示年度信息".into(),
        since: "2026-05-01".into(),
    };
    let serious = HolderLists {
        serious_violation: vec![entry.clone()],
        abnormal: vec![],
    };
    assert_eq!(
        outcome(&run_with(&app, &[], &serious), "R13"),
        RuleOutcome::Fail
    );
    let abnormal = HolderLists {
        serious_violation: vec![],
        abnormal: vec![entry],
    };
    assert_eq!(
        outcome(&run_with(&app, &[], &abnormal), "R13"),
        RuleOutcome::ManualCheck
    );
    assert_eq!(outcome(&run(&app), "R13"), RuleOutcome::Pass);
}

#[test]
fn r14_three_simultaneities() {
    let mut a = quarry(block_ring("231081-C05"));
    a.docs = (true, false, true);
    let r = run(&parse(&a));
    assert_eq!(outcome(&r, "R14"), RuleOutcome::Fail);
    assert!(r.rule("R14").unwrap().message.contains("矿区生态修复方案"));
    a.docs = (true, true, false);
    assert_eq!(outcome(&run(&parse(&a)), "R14"), RuleOutcome::Fail);
}

#[test]
fn r15_grant_method() {
    let mut a = quarry(block_ring("231081-C05"));
    a.grant = "method = \"协议\"";
    assert_eq!(outcome(&run(&parse(&a)), "R15"), RuleOutcome::Fail);
    a.grant = "method = \"协议\"\nagreement_reason = \"深部或上部同类矿产\"";
    assert_eq!(outcome(&run(&parse(&a)), "R15"), RuleOutcome::ManualCheck);
    a.grant = "method = \"拍卖\"";
    assert_eq!(outcome(&run(&parse(&a)), "R15"), RuleOutcome::Pass);
}

#[test]
fn the_same_inputs_give_the_same_review() {
    let app = parse(&quarry(straddling(
        minplan_domain::plan::ControlLayerKind::PermanentBasicFarmland,
    )));
    let a = serde_json::to_string(&run(&app)).unwrap();
    let b = serde_json::to_string(&run(&app)).unwrap();
    assert_eq!(a, b);
}

/// Monitoring, on the same register: 大中型矿山比例 leaves out a mine it cannot class and
/// says so — status 需人工核查, the mine named, never a silent 100 %; when no mine can be
/// classed the value is none (无法判定), not 0 or 100.
#[test]
fn the_monitored_ratio_is_a_manual_check_with_an_unclassifiable_mine() {
    use minplan_domain::monitoring::measure_year;
    use minplan_domain::monitoring::{MonitoringConfig, Status, assess, indicator_specs};
    let c1 = centroid(&block_ring("231081-C01"));
    let at = |k: f64| square((c1.0 + k * 100.0, c1.1), 10.0);
    let mut well = right(
        "W1",
        "91310000MA1FL4J525",
        &["地下热水"],
        300.0,
        None,
        &at(3.0),
        RightStatus::Valid,
    );
    // 300 m³/d: no yearly row without the working days.
    well.capacity.as_mut().unwrap().unit = Unit::M3PerDay;
    let quarry = right(
        "Q1",
        CREDIT_B,
        &["建筑用石"],
        6.0,
        Some(ApprovalLevel::ThisLevel),
        &at(0.0),
        RightStatus::Valid,
    );
    let plan = plan();
    let specs = indicator_specs(plan);
    let scales = ScaleTable::default();
    let ratio_of = |rights: &[MiningRight]| {
        let m = measure_year(plan, &specs, 2025, rights, &[], &[], &scales);
        let r = assess(
            plan,
            &specs,
            &[m],
            2025,
            &MonitoringConfig::default(),
            &scales.source,
        );
        r.get("large_medium_ratio").unwrap().clone()
    };
    let only_well = ratio_of(std::slice::from_ref(&well));
    assert_eq!(only_well.value, None);
    assert_eq!(only_well.status, Status::ManualCheck);
    assert!(
        only_well
            .note
            .contains("1 座无法判定规模（W1 矿（规模单位无法换算为分类表单位）），没有可判定规模的矿山，比例无法判定"),
        "{}",
        only_well.note
    );
    let both = ratio_of(&[well, quarry.clone()]);
    assert_eq!(both.value, Some(100.0));
    assert_eq!(both.status, Status::ManualCheck);
    assert_eq!(both.status_label, "需人工核查");
    assert!(
        both.note.contains("比例按可判定的 1 座计算"),
        "{}",
        both.note
    );
    // Every mine classed: judged against the target as before.
    let judged = ratio_of(&[quarry]);
    assert_eq!(judged.status, Status::OnTrack);
    assert!(!judged.note.contains("无法判定"), "{}", judged.note);
}

/// Issue 19, item 11: 1e308 capacities and `service_years = 9223372036854775807` were
/// accepted and saved; an application's quantities and 服务年限 now have upper bounds
/// (`minplan_domain::limits`).
#[test]
fn absurd_capacities_and_service_years_are_refused() {
    let mut a = quarry(block_ring("231081-C05"));
    // 1e308 itself is refused by the TOML reader (integer overflow); 2 × 10¹⁰ reads.
    a.capacity = 2e10;
    let e = parse_application(&toml_of(&a), None, &plan().minerals, zone(), None)
        .unwrap_err()
        .to_string();
    assert!(e.contains("过大") && e.contains("1e10"), "{e}");
    let a = quarry(block_ring("231081-C05"));
    let toml = toml_of(&a).replacen("\n[", "\nservice_years = 9.2e18\n[", 1);
    let e = parse_application(&toml, None, &plan().minerals, zone(), None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("服务年限应为正数，且不超过 100 年"),
        "{e}\n{toml}"
    );
    let ok = toml_of(&a).replacen("\n[", "\nservice_years = 30\n[", 1);
    assert_eq!(
        parse_application(&ok, None, &plan().minerals, zone(), None)
            .unwrap()
            .service_years,
        Some(30.0)
    );
}

/// A saved review takes its application's pending entry out of the register and puts it last
/// (`ReviewEngine::update_application`): `RegisterStats::replace_pending` then gives what
/// `RegisterStats::compute` gives on the changed register, in the same order — pending
/// entries, failed ones, the 建筑用石 totals — and declines a valid right (counts it cannot
/// take back).
#[test]
fn replacing_a_pending_entry_gives_the_stats_computed_afresh() {
    let plan = plan();
    let scales = ScaleTable::default();
    let ring = square(centroid(&block_ring("231081-C05")), 50.0);
    let valid = |id: &str, cap: f64| {
        right(
            id,
            "91230000VALID00001",
            &["建筑用凝灰岩"],
            cap,
            Some(ApprovalLevel::ThisLevel),
            &ring,
            RightStatus::Valid,
        )
    };
    let pending = |id: &str, credit: &str, cap: f64, failed: bool| MiningRight {
        review_failed: failed,
        ..right(
            id,
            credit,
            &["建筑用凝灰岩"],
            cap,
            None,
            &ring,
            RightStatus::Pending,
        )
    };
    let mut register = vec![
        valid("C1", 3.0),
        pending("SFH-1", "91230000PEND000001", 2.0, false),
        valid("C2", 8.0),
        pending("SFH-2", "91230000PEND000002", 4.0, true),
        pending("SFH-3", "91230000PEND000003", 1.5, false),
    ];
    let mut stats = RegisterStats::compute(plan, &register, &scales);
    let show = |s: &RegisterStats| format!("{s:?}");
    // SFH-1 reviewed again (now 5 万m³/年), SFH-2 reviewed again and now passing, SFH-3 no
    // longer pending (approved or withdrawn), a new one.
    let steps: Vec<(&str, Option<MiningRight>)> = vec![
        (
            "SFH-1",
            Some(pending("SFH-1", "91230000PEND000001", 5.0, false)),
        ),
        (
            "SFH-2",
            Some(pending("SFH-2", "91230000PEND000002", 4.0, false)),
        ),
        ("SFH-3", None),
        (
            "SFH-4",
            Some(pending("SFH-4", "91230000PEND000004", 0.5, true)),
        ),
    ];
    for (number, entry) in steps {
        register.retain(|r| !(r.status == RightStatus::Pending && r.id == number));
        register.extend(entry.clone());
        assert!(stats.replace_pending(plan, &scales, number, entry.as_ref()));
        assert_eq!(
            show(&stats),
            show(&RegisterStats::compute(plan, &register, &scales)),
            "{number}"
        );
    }
    // The failed pending applications under each cap, worked out once per entry: SFH-4
    // (建筑用凝灰岩) falls under the 建筑用石 cap, not under the 矿泉水 one.
    let cap_of = |mineral: &str| {
        plan.admission
            .caps
            .iter()
            .find(|c| {
                matches!(&c.subject, minplan_domain::plan::CapSubject::Mineral(m) if m == mineral)
            })
            .unwrap()
    };
    let ids = |v: Option<Vec<&MiningRight>>| -> Vec<String> {
        v.unwrap().iter().map(|r| r.id.clone()).collect()
    };
    assert_eq!(
        ids(stats.failed_under(plan, cap_of("建筑用石"), "SFH-9")),
        ["SFH-4"]
    );
    assert!(ids(stats.failed_under(plan, cap_of("建筑用石"), "SFH-4")).is_empty());
    assert!(ids(stats.failed_under(plan, cap_of("矿泉水"), "SFH-9")).is_empty());
    // A cap that is not the plan's own (a copy): not answered from the stats.
    let copy = cap_of("建筑用石").clone();
    assert!(stats.failed_under(plan, &copy, "SFH-9").is_none());
    // R6's tallies: the valid rights approved at this level counted, in register order; the
    // pending ones carry no approval level yet, so they are not counted as pending.
    let this_level = plan
        .admission
        .caps
        .iter()
        .position(|c| c.filter.approval == Some(ApprovalLevel::ThisLevel) && c.measure.is_count())
        .expect("the plan caps mines approved at this level");
    let tally = &stats.count_tallies[this_level];
    let ids = |v: &[minplan_domain::review::caps::TalliedRight]| -> Vec<String> {
        v.iter().map(|t| t.id.clone()).collect()
    };
    assert_eq!(ids(&tally.counted), ["C1", "C2"]);
    assert_eq!(tally.holders.len(), 1);
    assert!(tally.pending.is_empty() && tally.unknown.is_empty());
    let total = stats
        .totals
        .iter()
        .find(|t| t.mineral.ends_with("建筑用石"))
        .expect("the plan caps 建筑用石");
    assert_eq!(total.valid, 11.0);
    assert_eq!(
        total.pending,
        vec![("SFH-1".to_string(), 5.0), ("SFH-2".to_string(), 4.0)]
    );
    assert_eq!(stats.failed_pending.len(), 1);
    // A valid right is not taken in this way.
    let before = show(&stats);
    assert!(!stats.replace_pending(plan, &scales, "C3", Some(&valid("C3", 1.0))));
    assert_eq!(show(&stats), before);
}

/// A conflict's parts are written vertex by vertex as they are converted: the JSON is the
/// same text as that of [`PartGeometry::lonlat`], and each vertex is the projection's inverse
/// (by tiles, within 1e-11° of the exact one) of the plane vertex (zone 44 of the Suifenhe plan), the closing vertex the first's.
#[test]
fn part_geometry_is_written_as_its_lonlat_polygons() {
    use geo::{LineString, MultiPolygon, Polygon};
    use minplan_domain::review::PartGeometry;
    let exact = zone().with_prefix(false).projection();
    let tm = std::sync::Arc::new(minplan_geo::TiledInverse::new(exact.clone()));
    let square = |x: f64, y: f64, d: f64| {
        LineString::from(vec![(x, y), (x + d, y), (x + d, y + d), (x, y + d), (x, y)])
    };
    let outer = square(500_100.25, 4_920_000.5, 400.0);
    let hole = square(500_200.0, 4_920_100.0, 50.0);
    // Given unclosed: geo closes it.
    let open = LineString::from(vec![
        (501_000.0, 4_921_000.0),
        (501_050.0, 4_921_000.0),
        (501_050.0, 4_921_050.0),
    ]);
    let parts = MultiPolygon(vec![
        Polygon::new(outer.clone(), vec![hole]),
        Polygon::new(open, vec![]),
    ]);
    let g = PartGeometry::new(parts, tm.clone());
    let written = serde_json::to_string(&g).unwrap();
    assert_eq!(written, serde_json::to_string(&g.lonlat()).unwrap());
    let v: Vec<Vec<Vec<[f64; 2]>>> = serde_json::from_str(&written).unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].len(), 2, "outer ring and hole");
    assert_eq!(v[1][0].len(), 4, "the triangle closed");
    assert_eq!(v[1][0][0], v[1][0][3]);
    for (k, c) in outer.0.iter().enumerate() {
        // By tiles: the tiled inverse's value, within 1e-11° of the exact one.
        let (lon, lat) = tm.inverse(c.x, c.y);
        assert_eq!(v[0][0][k], [lon, lat]);
        let (lon, lat) = exact.inverse(c.x, c.y);
        assert!((v[0][0][k][0] - lon).abs() < 1e-11 && (v[0][0][k][1] - lat).abs() < 1e-11);
    }
    assert_eq!(v[0][0][0], v[0][0][4]);
    // Zone 44's central meridian is 132°E; the square lies just east of it near 44.4°N.
    assert!(v[0][0][0][0] > 132.0 && v[0][0][0][0] < 132.01);
    assert!(v[0][0][0][1] > 44.0 && v[0][0][0][1] < 45.0);
}

/// A register with many mines of unknown scale: the note names the first ten and says 等,
/// with the count of all; one more classified 新立 mine moves the ratio, an unclassified one
/// leaves it unsure.
#[test]
fn the_unclassified_note_names_ten_mines_and_counts_all() {
    use minplan_domain::review::config::{ScaleClass, Unclassified};
    use minplan_domain::review::indicators::{ScaleCounts, UnclassifiedMine};
    let counts = ScaleCounts {
        large_or_medium: 1,
        classified: 4,
        unclassified: (1..=25)
            .map(|k| UnclassifiedMine {
                name: format!("{k}号采石场"),
                reason: Unclassified::NoCapacity,
            })
            .collect(),
    };
    let note = counts.unclassified_note();
    assert!(note.starts_with("25 座无法判定规模（1号采石场（"), "{note}");
    assert!(
        note.contains("10号采石场（") && !note.contains("11号采石场"),
        "{note}"
    );
    assert!(note.ends_with("）等），比例按可判定的 4 座计算"), "{note}");
    assert_eq!(counts.ratio(), Some(25.0));
    assert_eq!(
        counts.ratio_with(Ok(ScaleClass::Medium)),
        (Some(40.0), true)
    );
    assert_eq!(counts.ratio_with(Ok(ScaleClass::Small)), (Some(20.0), true));
    assert_eq!(
        counts.ratio_with(Err(Unclassified::NotInTable)),
        (Some(25.0), true)
    );
    let none_left = ScaleCounts {
        unclassified: vec![],
        ..counts
    };
    assert_eq!(none_left.unclassified_note(), "");
    assert_eq!(
        none_left.ratio_with(Ok(ScaleClass::Large)),
        (Some(40.0), false)
    );
}
