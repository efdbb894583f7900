//! Plans of other (invented) plan units, as their plans write them (issue 13): caps by kind
//! of mine and by mineral, a cap over the plan period, per-county caps of a city plan, a soft
//! cap, a category cap, and a redacted plan that sets no mine cap, no base year and lists a
//! block without its extent. Bundles in `tests/data/counties/` (geometry from
//! `tools/gen_test_counties.py`); each cap has an application that passes and one that fails.

use minplan_domain::application::{Application, Quantity, RightKind, parse_application};
use minplan_domain::bundle::{BundleErrors, BundleFiles, load_bundle};
use minplan_domain::plan::{ApprovalLevel, CapMeasure, LonLatPolygon, Plan};
use minplan_domain::review::config::{ReviewConfig, ScaleTable};
use minplan_domain::review::indicators::RegisterStats;
use minplan_domain::review::spatial::{SpatialIndex, plan_control_layers};
use minplan_domain::review::{ConformityReview, PlanRef, ReviewContext, RuleOutcome, review};
use minplan_domain::rights::{HolderLists, MiningRight, RightStatus};
use minplan_domain::units::Unit;
mod common;

use std::path::PathBuf;

fn files(unit: &str) -> BundleFiles {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/counties")
        .join(unit);
    common::read_dir(&dir)
}

fn load(unit: &str) -> Plan {
    match load_bundle(&files(unit)) {
        Ok(b) => b.plan,
        Err(e) => panic!("{unit}: {e}"),
    }
}

/// The bundle with `plan.toml` edited by `f`, loaded.
fn load_edited(unit: &str, f: impl Fn(&str) -> String) -> Result<Plan, BundleErrors> {
    let mut fs = files(unit);
    let toml = String::from_utf8(fs.get("plan.toml").unwrap().to_vec()).unwrap();
    fs.insert("plan.toml", f(&toml));
    load_bundle(&fs).map(|b| b.plan)
}

fn rect(w: f64, s: f64, e: f64, n: f64) -> Vec<LonLatPolygon> {
    vec![vec![vec![[w, s], [e, s], [e, n], [w, n], [w, s]]]]
}

const CODES: [&str; 8] = [
    "91110000710925462X",
    "9144030071526726XG",
    "91310000132149237G",
    "91330000142911293F",
    "91320000134755048L",
    "91440300192448589C",
    "91110108551385082Q",
    "911100001000013934",
];

/// A valid mining right of its own holder at `rect`.
fn right(
    k: usize,
    mineral: &str,
    method: Option<&str>,
    capacity: (f64, Unit),
    geometry: Vec<LonLatPolygon>,
) -> MiningRight {
    MiningRight {
        id: format!("C99{k:04}"),
        kind: RightKind::Mining,
        status: RightStatus::Valid,
        name: format!("测试矿山{k}"),
        holder_name: format!("测试公司{k}"),
        credit_code: Some(CODES[k % CODES.len()].to_string()),
        minerals: vec![mineral.into()],
        capacity: Some(Quantity {
            value: capacity.0,
            unit: capacity.1,
        }),
        approval: Some(ApprovalLevel::ThisLevel),
        geometry,
        mining_method: method.and_then(minplan_domain::application::MiningMethod::parse),
        sub_unit: None,
        review_failed: false,
    }
}

/// A 新立 mining application over a lon/lat rectangle, capacity in `unit`.
fn application(
    plan: &Plan,
    mineral: &str,
    method: &str,
    capacity: f64,
    unit: &str,
    ll: (f64, f64, f64, f64),
) -> Application {
    application_with(plan, mineral, method, capacity, unit, ll, "")
}

/// As [`application`], with `extra` lines at the top level of the file.
fn application_with(
    plan: &Plan,
    mineral: &str,
    method: &str,
    capacity: f64,
    unit: &str,
    ll: (f64, f64, f64, f64),
    extra: &str,
) -> Application {
    let tm = plan.region.zone.with_prefix(false).projection();
    let (w, s, e, n) = ll;
    let zone = f64::from(plan.region.zone.zone);
    let mut corners = String::from("拐点,X(起标高),Y(止标高)\n");
    for (k, (lon, lat)) in [(w, s), (e, s), (e, n), (w, n)].into_iter().enumerate() {
        let (x, y) = tm.forward(lon, lat);
        corners += &format!("{},{:.2},{:.2}, , ,\n", k + 1, y, zone * 1e6 + x);
    }
    corners += "*,520,440,采区,1,\n";
    let toml = format!(
        "format = \"minplan-application/1\"\nnumber = \"T-900\"\nkind = \"新立\"\nright_kind = \"采矿权\"\nproject_name = \"测试项目\"\nminerals = [\"{mineral}\"]\nmining_method = \"{method}\"\ncapacity = {{ value = {capacity}, unit = \"{unit}\" }}\n{extra}\n\n[holder]\nname = \"新申请人有限公司\"\ncredit_code = \"{}\"\n\n[grant]\nmethod = \"挂牌\"\n\n[documents]\ndevelopment_plan = true\nrestoration_plan = true\ngreen_mine_commitment = true\n\n[coordinates]\ntext = \"\"\"\n{corners}\"\"\"\n",
        "91370000163044841F"
    );
    match parse_application(&toml, None, &plan.minerals, plan.region.zone, None) {
        Ok(a) => a,
        Err(e) => panic!("{e}\n{toml}"),
    }
}

fn run(plan: &Plan, app: &Application, rights: &[MiningRight]) -> ConformityReview {
    let index = SpatialIndex::build(plan, plan_control_layers(plan), rights, None);
    let config = ReviewConfig::default();
    let scales = ScaleTable::default();
    let stats = RegisterStats::compute(plan, rights, &scales);
    let lists = HolderLists::default();
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
        lists: &lists,
        config: &config,
        scales: &scales,
        stats: &stats,
        now: "2026-11-30T00:00:00Z",
        plans_on_file: None,
    };
    review(app, &ctx)
}

fn outcome(r: &ConformityReview, id: &str) -> RuleOutcome {
    r.rule(id).unwrap().outcome
}

fn evidence(r: &ConformityReview, id: &str, label: &str) -> f64 {
    r.rule(id)
        .unwrap()
        .evidence
        .iter()
        .find(|e| e.label == label)
        .unwrap_or_else(|| panic!("{id} lacks {label}: {:?}", r.rule(id).unwrap().evidence))
        .number
        .unwrap()
}

fn message(r: &ConformityReview, id: &str) -> String {
    r.rule(id).unwrap().message.clone()
}

/// Rule `id` concluded `want`, and its message contains `needle` ("" for any message).
fn expect(r: &ConformityReview, id: &str, want: RuleOutcome, needle: &str) {
    let m = message(r, id);
    assert_eq!(outcome(r, id), want, "{id}: {m}");
    assert!(m.contains(needle), "{id}: {m}");
}

// ── 青禾县: caps by kind of mine and by mineral; a cap over the plan period ─────────────────

/// Block C01 (建筑用石) and C02 (矿泉水) of 青禾县, lon/lat.
const QH_C01: (f64, f64, f64, f64) = (119.901, 45.101, 119.929, 45.119);
const QH_C02: (f64, f64, f64, f64) = (120.051, 45.201, 120.069, 45.209);

fn far(k: usize) -> Vec<LonLatPolygon> {
    let w = 119.82 + 0.01 * k as f64;
    rect(w, 45.25, w + 0.005, 45.255)
}

#[test]
fn qinghe_loads_its_caps_as_written_and_invents_no_mine_cap() {
    let p = load("qinghe-county");
    assert!(p.admission.mine_cap_total.is_none());
    let caps: Vec<(&str, CapMeasure, f64, &str)> = p
        .admission
        .caps
        .iter()
        .map(|c| (c.key.as_str(), c.measure, c.value, c.unit.symbol()))
        .collect();
    assert_eq!(
        caps,
        [
            ("open_pit_mines", CapMeasure::Mines, 3.0, "个"),
            ("mineral_water_mines", CapMeasure::Mines, 1.0, "个"),
            (
                "sand_stone_total",
                CapMeasure::ExtractionOverPeriod,
                550.0,
                "万吨"
            ),
            (
                "city_share_building_stone",
                CapMeasure::ExtractionPerYear,
                60.0,
                "万吨/年"
            ),
        ]
    );
    assert_eq!(p.blocks[0].status.map(|s| s.label()), Some("新设"));
    assert!(p.block_groups[0].total_area_km2.is_none());
}

#[test]
fn a_second_mineral_water_mine_breaks_the_cap_of_one() {
    let p = load("qinghe-county");
    let water = right(0, "矿泉水", Some("井采"), (1.0, Unit::WanM3PerYear), far(0));
    let app = application(&p, "饮用天然矿泉水", "井采", 1.0, "万立方米/年", QH_C02);
    let r = run(&p, &app, std::slice::from_ref(&water));
    expect(&r, "R6", RuleOutcome::Fail, "");
    assert_eq!(evidence(&r, "R6", "矿泉水矿山数量：批准后"), 2.0);
    assert!(message(&r, "R6").contains("超过规划控制的 1 个"));
    // Without the existing mine the same application passes the cap.
    let r = run(&p, &app, &[]);
    expect(&r, "R6", RuleOutcome::Pass, "");
}

#[test]
fn open_pit_mines_are_counted_by_method_and_an_unknown_method_is_named() {
    let p = load("qinghe-county");
    let quarry = |k, method| right(k, "建筑用石", method, (1.0, Unit::WanTonnePerYear), far(k));
    let app = application(&p, "建筑用石", "露天", 2.0, "万吨/年", QH_C01);
    // Two open pits + this one = 3 ≤ 3; a well-mined water mine does not count.
    let two = [
        quarry(1, Some("露天")),
        quarry(2, Some("露天")),
        right(3, "矿泉水", Some("井采"), (1.0, Unit::WanM3PerYear), far(3)),
    ];
    let r = run(&p, &app, &two);
    expect(&r, "R6", RuleOutcome::Pass, "");
    assert_eq!(evidence(&r, "R6", "露天矿山数量：现有"), 2.0);
    // Three open pits already: a fourth breaks it.
    let three = [
        quarry(1, Some("露天")),
        quarry(2, Some("露天")),
        quarry(3, Some("露天")),
    ];
    let r = run(&p, &app, &three);
    expect(&r, "R6", RuleOutcome::Fail, "");
    // A quarry whose method the register does not know: named, 需人工核查, not guessed.
    let unknown = [
        quarry(1, Some("露天")),
        quarry(2, Some("露天")),
        quarry(3, None),
    ];
    let r = run(&p, &app, &unknown);
    assert_eq!(outcome(&r, "R6"), RuleOutcome::ManualCheck);
    assert!(
        message(&r, "R6").contains("无法判定是否计入"),
        "{}",
        message(&r, "R6")
    );
    let named = &r.rule("R6").unwrap().evidence;
    assert!(
        named
            .iter()
            .any(|e| e.value.contains("测试矿山3（开采方式未登记）")),
        "{named:?}"
    );
    // An underground mine is not concerned by the open-pit cap.
    let app = application(&p, "建筑用石", "地下", 2.0, "万吨/年", QH_C01);
    let r = run(&p, &app, &three);
    assert_ne!(
        outcome(&r, "R6"),
        RuleOutcome::Fail,
        "{}",
        message(&r, "R6")
    );
}

#[test]
fn the_cap_over_the_period_is_enforced_with_its_method_shown() {
    let p = load("qinghe-county");
    // Two quarries of 50 万吨/年: 100 × 5 years = 500 of 550 万吨.
    let rights = [
        right(
            1,
            "建筑用石",
            Some("地下"),
            (50.0, Unit::WanTonnePerYear),
            far(1),
        ),
        right(
            2,
            "建筑用砂",
            Some("地下"),
            (50.0, Unit::WanTonnePerYear),
            far(2),
        ),
    ];
    let big = application(&p, "建筑用石", "地下", 20.0, "万吨/年", QH_C01);
    let r = run(&p, &big, &rights);
    expect(&r, "R7", RuleOutcome::Fail, "");
    assert_eq!(
        evidence(&r, "R7", "砂石土类矿产开采总量：批准后合计"),
        600.0
    );
    assert!(
        r.rule("R7")
            .unwrap()
            .evidence
            .iter()
            .any(|e| e.value.contains("规划期 5 年")),
    );
    let small = application(&p, "建筑用石", "地下", 8.0, "万吨/年", QH_C01);
    let r = run(&p, &small, &rights);
    expect(&r, "R7", RuleOutcome::Pass, "");
    assert_eq!(
        evidence(&r, "R7", "砂石土类矿产开采总量：批准后合计"),
        540.0
    );
    // The city's share for the county is evaluated beside the county's own cap, each cited
    // to its own plan.
    assert_eq!(
        evidence(&r, "R7", "建筑用石年开采量（市级分配）：批准后合计"),
        58.0
    );
    let cites = p.cites_label(&r.rule("R7").unwrap().cites);
    assert!(cites.contains("三（二）3"), "{cites}");
    assert!(
        cites.contains("《东陵市矿产资源总体规划（2021—2025年）》第二章第二节"),
        "{cites}"
    );
    assert!(!cites.contains("未核对"), "{cites}");
}

#[test]
fn an_extraction_figure_without_its_period_is_refused_with_the_fix() {
    // “开采总量控制在550万吨” read as a yearly cap: the unit has no “/年”.
    let e = load_edited("qinghe-county", |t| {
        t.replace("measure = \"规划期开采总量\"", "measure = \"年开采量\"")
    })
    .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("未写明期间"), "{msg}");
    assert!(msg.contains("caps[2]"), "{msg}");
    // The same in the v1 form.
    let e = load_edited("qinghe-county", |t| {
        format!(
            "{t}\n[admission]\n[[admission.extraction_caps]]\nmineral = \"建筑用石\"\nvalue = 550\nunit = \"万吨\"\ncite = \"三(二)3\"\n"
        )
    })
    .unwrap_err();
    assert!(e.to_string().contains("未写明期间"), "{e}");
    // A measure that does not say which period.
    let e = load_edited("qinghe-county", |t| {
        t.replace("measure = \"规划期开采总量\"", "measure = \"开采量\"")
    })
    .unwrap_err();
    assert!(e.to_string().contains("未写明期间"), "{e}");
}

// ── 北山市: per-county caps, a soft cap, a category cap ────────────────────────────────────

/// Blocks of 北山市: C01 in 甲县, C02 in 乙县.
const BS_C01: (f64, f64, f64, f64) = (119.701, 45.501, 119.749, 45.529);
const BS_C02: (f64, f64, f64, f64) = (120.201, 45.601, 120.249, 45.629);

fn in_jia(k: usize) -> Vec<LonLatPolygon> {
    let w = 119.62 + 0.01 * k as f64;
    rect(w, 45.75, w + 0.005, 45.755)
}

fn in_yi(k: usize) -> Vec<LonLatPolygon> {
    let w = 120.32 + 0.01 * k as f64;
    rect(w, 45.75, w + 0.005, 45.755)
}

#[test]
fn a_county_over_its_own_share_of_a_city_plan_fails() {
    let p = load("beishan-city");
    assert_eq!(p.region.sub_units.len(), 2);
    let stone = |k, g| {
        right(
            k,
            "建筑用石",
            Some("露天"),
            (10.0, Unit::WanTonnePerYear),
            g,
        )
    };
    let rights = [stone(1, in_jia(1)), stone(2, in_jia(2)), stone(3, in_yi(3))];
    // 甲县: 2 rights already (cap 2 宗), 20 万吨/年 (cap 30): a third of 20 breaks both.
    let app = application(&p, "建筑用石", "露天", 20.0, "万吨/年", BS_C01);
    let r = run(&p, &app, &rights);
    expect(&r, "R6", RuleOutcome::Fail, "");
    assert_eq!(evidence(&r, "R6", "甲县采矿权宗数：批准后"), 3.0);
    expect(&r, "R7", RuleOutcome::Fail, "");
    assert_eq!(evidence(&r, "R7", "甲县砂石土类年开采量：批准后合计"), 40.0);
    // The city-wide category cap is evaluated beside it, with its own line.
    assert_eq!(evidence(&r, "R7", "建筑石料年开采总量：批准后合计"), 50.0);
    // The same application in 乙县: 甲县's caps do not concern it.
    let app = application(&p, "建筑用石", "露天", 20.0, "万吨/年", BS_C02);
    let r = run(&p, &app, &rights);
    expect(&r, "R6", RuleOutcome::Pass, "");
    expect(&r, "R7", RuleOutcome::Pass, "");
    assert!(
        !r.rule("R7")
            .unwrap()
            .evidence
            .iter()
            .any(|e| e.label.starts_with("甲县")),
    );
}

#[test]
fn a_soft_cap_warns_instead_of_vetoing() {
    let p = load("beishan-city");
    let stone = |k, g| right(k, "建筑用石", Some("露天"), (1.0, Unit::WanTonnePerYear), g);
    // Five 砂石土 mines (the plan's “5 个左右”) in 乙县: a sixth is a warning, not a veto.
    let rights: Vec<MiningRight> = (1..=5).map(|k| stone(k, in_yi(k))).collect();
    let app = application(&p, "建筑用石", "露天", 1.0, "万吨/年", BS_C02);
    let r = run(&p, &app, &rights);
    expect(&r, "R6", RuleOutcome::ManualCheck, "预警");
    assert!(message(&r, "R6").contains("左右"), "{}", message(&r, "R6"));
    let r = run(&p, &app, &rights[..4]);
    expect(&r, "R6", RuleOutcome::Pass, "");
}

#[test]
fn a_scope_that_is_not_a_sub_unit_is_refused() {
    let e = load_edited("beishan-city", |t| {
        t.replace("scope = \"甲县\"", "scope = \"丙县\"")
    })
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("“丙县”不是 [[sub_units]] 中登记的下级单元"),
        "{e}"
    );
}

#[test]
fn blocks_keep_who_designates_and_who_issues() {
    let p = load("beishan-city");
    let b = &p.blocks[1];
    assert_eq!(b.designated_by.as_deref(), Some("市级划定"));
    assert_eq!(b.issued_by.as_deref(), Some("市级出让登记"));
}

// ── 青禾经济开发区: no code of its own, a redacted plan ─────────────────────────────────────

#[test]
fn a_redacted_plan_loads_without_invented_figures() {
    let p = load("qinghe-zone");
    assert!(p.identity.base_year.is_none());
    assert!(p.admission.mine_cap_total.is_none());
    assert!(p.admission.caps.is_empty());
    assert!(!p.blocks[1].has_geometry());
    // No text: every citation is shown 未核对, never as a verified reference.
    let label = p.cite_label(&p.blocks[0].cite);
    assert!(label.contains("未核对"), "{label}");
    assert_eq!(p.blocks[1].computed_area_km2(), None);
    // The annual plan's open blocks give no area for the block without extent (never 0).
    let draft =
        minplan_domain::monitoring::annual_plan(&p, 2026, &[], &[], &[], &ScaleTable::default());
    let open: Vec<(&str, Option<f64>)> = draft
        .open_blocks
        .iter()
        .map(|b| (b.number.as_str(), b.area_km2))
        .collect();
    assert_eq!(open.len(), 2, "{open:?}");
    assert!(open[0].1.is_some_and(|a| a > 0.0), "{open:?}");
    assert_eq!(open[1], ("QHKF-C02", None));
    assert!(draft.mines.is_none());
    // R6 says the plan sets no cap instead of enforcing an invented one.
    let app = application(
        &p,
        "建筑用砂",
        "露天",
        2.0,
        "万吨/年",
        (120.1201, 45.0301, 120.1299, 45.0399),
    );
    let r = run(&p, &app, &[]);
    assert_eq!(outcome(&r, "R6"), RuleOutcome::NotApplicable);
    assert!(
        message(&r, "R6").contains("规划未设定"),
        "{}",
        message(&r, "R6")
    );
    expect(&r, "R2", RuleOutcome::Pass, "");
    // Outside the drawn block: the block without extent may hold it → 需人工核查, not 不符合.
    let app = application(
        &p,
        "建筑用砂",
        "露天",
        2.0,
        "万吨/年",
        (120.15, 45.06, 120.16, 45.07),
    );
    let r = run(&p, &app, &[]);
    expect(&r, "R2", RuleOutcome::ManualCheck, "未附范围");
}

#[test]
fn a_block_said_to_have_no_extent_must_not_have_one() {
    let e = load_edited("qinghe-zone", |t| {
        t.replacen(
            "minerals = [\"建筑用砂\"]\nschematic = true",
            "minerals = [\"建筑用砂\"]\ngeometry = false\nschematic = true",
            1,
        )
    })
    .unwrap_err();
    assert!(e.to_string().contains("geometry = false"), "{e}");
}

#[test]
fn every_problem_is_reported_at_once_in_the_bundles_terms() {
    // A missing field in [identity], an unknown field in the second block, and the first block
    // said to have no extent although the layer draws it: all three, each at its line, and no
    // follow-on error sending the author after a block that is not missing.
    let e = load_edited("qinghe-zone", |t| {
        t.replace("short_name = \"青禾经开区规划\"\n", "")
            .replace(
                "number = \"QHKF-C02\"",
                "number = \"QHKF-C02\"\ncolour = \"红\"",
            )
            .replacen(
                "minerals = [\"建筑用砂\"]\nschematic = true",
                "minerals = [\"建筑用砂\"]\ngeometry = false\nschematic = true",
                1,
            )
    })
    .unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("identity：缺少字段“short_name”"), "{msg}");
    assert!(msg.contains("blocks[1]") && msg.contains("colour"), "{msg}");
    // The geometry is still checked.
    assert!(msg.contains("geometry = false"), "{msg}");
    assert!(!msg.contains("没有对应的规划区块"), "{msg}");
    assert!(!msg.contains("规划载明 2 个"), "{msg}");
    assert!(e.0.iter().all(|x| x.line.is_some()), "{msg}");
}

#[test]
fn without_outlines_the_sub_unit_is_the_declared_and_registered_one() {
    // The city bundle without its counties' outlines: a right's county is what the register
    // records, the application's what it declares (sub_unit); neither is ever guessed.
    let p = load_edited("beishan-city", |t| {
        t.replace("file = \"layers/jia.geojson\"\n", "")
            .replace("file = \"layers/yi.geojson\"\n", "")
    })
    .unwrap();
    let in_county = |k, county: Option<&str>| MiningRight {
        sub_unit: county.map(str::to_string),
        ..right(
            k,
            "建筑用石",
            Some("露天"),
            (1.0, Unit::WanTonnePerYear),
            in_jia(k),
        )
    };
    let rights = [in_county(1, Some("甲县")), in_county(2, Some("甲县"))];
    let declared = application_with(
        &p,
        "建筑用石",
        "露天",
        1.0,
        "万吨/年",
        BS_C01,
        "sub_unit = \"甲县\"",
    );
    let r = run(&p, &declared, &rights);
    expect(&r, "R6", RuleOutcome::Fail, "");
    // Not declared: 需人工核查, saying why.
    let silent = application(&p, "建筑用石", "露天", 1.0, "万吨/年", BS_C01);
    let r = run(&p, &silent, &rights);
    expect(&r, "R6", RuleOutcome::ManualCheck, "sub_unit");
    // A right whose county the register does not record is named.
    let unrecorded = [in_county(1, Some("甲县")), in_county(2, None)];
    let r = run(&p, &declared, &unrecorded);
    expect(&r, "R6", RuleOutcome::ManualCheck, "");
    assert!(
        r.rule("R6")
            .unwrap()
            .evidence
            .iter()
            .any(|e| e.value.contains("登记簿未记所在单元")),
    );
}

#[test]
fn monitoring_reminds_of_a_cap_the_plan_writes_in_its_own_terms() {
    use minplan_domain::date::Date;
    use minplan_domain::monitoring::MonitoringConfig;
    use minplan_domain::monitoring::reminders::{ReminderInput, reminders};
    use minplan_domain::register::{RightEvent, RightHistory, RightState};
    let p = load("qinghe-county");
    let history = |k: usize, method: &str| {
        let state: RightState = serde_json::from_value(serde_json::json!({
            "id": format!("C99{k:04}"),
            "kind": "采矿权",
            "standing": "有效",
            "name": format!("测试矿山{k}"),
            "holder_name": format!("测试公司{k}"),
            "credit_code": CODES[k],
            "minerals": ["建筑用石"],
            "capacity": { "value": 1.0, "unit": "万吨/年" },
            "mining_method": method,
        }))
        .unwrap();
        RightHistory {
            id: state.id.clone(),
            geometry: far(k),
            events: vec![RightEvent {
                seq: 1,
                kind: minplan_domain::register::EventKind::Import,
                date: None,
                state,
                detail: serde_json::Value::Null,
                actor: "test".into(),
                recorded_at: "2026-01-01T00:00:00Z".into(),
            }],
        }
    };
    let histories: Vec<RightHistory> = (1..=4).map(|k| history(k, "露天")).collect();
    let config = MonitoringConfig::default();
    let all = reminders(&ReminderInput {
        plan: &p,
        today: Date::parse("2026-06-01").unwrap(),
        histories: &histories,
        mines: &Default::default(),
        reports: &[],
        scales: &ScaleTable::default(),
        config: &config,
        licences: &[],
        restoration_plans: &Default::default(),
    });
    let open_pit = all
        .iter()
        .find(|r| r.subject == "露天矿山数量")
        .unwrap_or_else(|| panic!("{all:?}"));
    assert!(open_pit.urgent, "{open_pit:?}");
    assert!(
        open_pit.message.contains("4 个，超过规划上限 3 个"),
        "{open_pit:?}"
    );
}

#[test]
fn rights_the_period_cap_cannot_count_are_named_and_never_pass_silently() {
    let p = load("qinghe-county");
    let small = application(&p, "建筑用石", "地下", 8.0, "万吨/年", QH_C01);
    let base = [
        right(
            1,
            "建筑用石",
            Some("地下"),
            (50.0, Unit::WanTonnePerYear),
            far(1),
        ),
        right(
            2,
            "建筑用砂",
            Some("地下"),
            (50.0, Unit::WanTonnePerYear),
            far(2),
        ),
    ];
    // A quarry licensed in 万立方米/年: not convertible to 万吨 without a density.
    let mut with_volume = base.to_vec();
    with_volume.push(right(
        3,
        "建筑用石",
        Some("地下"),
        (30.0, Unit::WanM3PerYear),
        far(3),
    ));
    let r = run(&p, &small, &with_volume);
    expect(&r, "R7", RuleOutcome::ManualCheck, "无法换算");
    assert!(
        message(&r, "R7").contains("测试矿山3"),
        "{}",
        message(&r, "R7")
    );
    // A quarry that was licensed during the period and has expired since: its output is
    // part of the period's total, so the estimate from valid rights cannot pass alone.
    let mut with_expired = base.to_vec();
    let mut gone = right(
        4,
        "建筑用石",
        Some("露天"),
        (40.0, Unit::WanTonnePerYear),
        far(4),
    );
    gone.status = RightStatus::Expired;
    with_expired.push(gone);
    let r = run(&p, &small, &with_expired);
    expect(&r, "R7", RuleOutcome::ManualCheck, "现已过期或注销");
}

#[test]
fn a_combined_mine_is_an_open_pit_mine_for_the_open_pit_cap() {
    let p = load("qinghe-county");
    let quarry = |k, method| {
        right(
            k,
            "建筑用石",
            Some(method),
            (1.0, Unit::WanTonnePerYear),
            far(k),
        )
    };
    // Three open pits, one of them worked 露天/地下联合: full.
    let three = [quarry(1, "露天"), quarry(2, "露天"), quarry(3, "联合")];
    let r = run(
        &p,
        &application(&p, "建筑用石", "露天", 2.0, "万吨/年", QH_C01),
        &three,
    );
    expect(&r, "R6", RuleOutcome::Fail, "");
    // A 联合 application is concerned by the open-pit cap too.
    let two = [quarry(1, "露天"), quarry(2, "露天"), quarry(3, "露天")];
    let r = run(
        &p,
        &application(&p, "建筑用石", "联合", 2.0, "万吨/年", QH_C01),
        &two,
    );
    expect(&r, "R6", RuleOutcome::Fail, "");
}

#[test]
fn the_period_cap_counts_a_new_mine_for_the_years_left() {
    let p = load("qinghe-county");
    let rights = [right(
        1,
        "建筑用石",
        Some("地下"),
        (100.0, Unit::WanTonnePerYear),
        far(1),
    )];
    // 100 × 5 = 500; received in 2024, 20 万吨/年 adds 2 years (2024, 2025): 540 ≤ 550.
    let late = application_with(
        &p,
        "建筑用石",
        "地下",
        20.0,
        "万吨/年",
        QH_C01,
        "received = \"2024-05-01\"",
    );
    let r = run(&p, &late, &rights);
    // (The city's yearly share of 60 breaks on its own line; the period cap holds.)
    assert!(
        message(&r, "R7").contains("砂石土类矿产开采总量 540 万吨，不超过调控指标 550 万吨"),
        "{}",
        message(&r, "R7")
    );
    assert_eq!(
        evidence(&r, "R7", "砂石土类矿产开采总量：批准后合计"),
        540.0
    );
    // Received after the period: nothing to add, and the review says the period has ended.
    let after = application_with(
        &p,
        "建筑用石",
        "地下",
        20.0,
        "万吨/年",
        QH_C01,
        "received = \"2026-03-01\"",
    );
    let r = run(&p, &after, &rights);
    assert!(
        r.notes.iter().any(|n| n.contains("规划期已满")),
        "{:?}",
        r.notes
    );
}

#[test]
fn a_figure_not_in_its_section_is_never_shown_as_verified() {
    // The open-pit cap typed as 30 where the text says 3: loads with a warning, and its
    // citation reads 未核对 wherever it is shown.
    let mut fs = files("qinghe-county");
    let toml = String::from_utf8(fs.get("plan.toml").unwrap().to_vec()).unwrap();
    fs.insert(
        "plan.toml",
        toml.replacen("value = 3\nunit = \"个\"", "value = 30\nunit = \"个\"", 1),
    );
    let b = load_bundle(&fs).unwrap();
    assert!(
        b.warnings.iter().any(|w| w.message.contains("未找到“30”")),
        "{:?}",
        b.warnings
    );
    let cap = b
        .plan
        .admission
        .caps
        .iter()
        .find(|c| c.key == "open_pit_mines")
        .unwrap();
    assert!(
        b.plan.cite_label(&cap.cite).contains("未核对"),
        "{}",
        b.plan.cite_label(&cap.cite)
    );
    // The others stay verified.
    let water = b
        .plan
        .admission
        .caps
        .iter()
        .find(|c| c.key == "mineral_water_mines")
        .unwrap();
    assert!(!b.plan.cite_label(&water.cite).contains("未核对"));
}

#[test]
fn a_soft_cap_is_shown_in_the_plans_word() {
    let p = load("beishan-city");
    let sgc = p
        .admission
        .caps
        .iter()
        .find(|c| c.key == "sgc_mines")
        .unwrap();
    assert_eq!(sgc.limit_label(), "5 个左右");
    let q = load_edited("beishan-city", |t| {
        t.replace("comparison = \"左右\"", "comparison = \"原则上\"")
    })
    .unwrap();
    let sgc = q
        .admission
        .caps
        .iter()
        .find(|c| c.key == "sgc_mines")
        .unwrap();
    assert_eq!(sgc.limit_label(), "原则上 5 个");
}
