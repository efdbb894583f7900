//! Reviews on the Suifenhe plan, built as crates/minplan-domain/tests/review_rules.rs does:
//! a quarry exactly on block 231081-C05 (conforms) and one straddling the red line (fails).

#![allow(dead_code)]

use minplan_domain::application::{Application, parse_application};
use minplan_domain::bundle::{BundleFiles, load_bundle};
use minplan_domain::plan::{ControlLayerKind, Plan};
use minplan_domain::review::config::{ReviewConfig, ScaleTable};
use minplan_domain::review::spatial::{SpatialIndex, plan_control_layers};
use minplan_domain::review::{ConformityReview, PlanRef, ReviewContext, review};
use minplan_domain::rights::HolderLists;
use minplan_geo::GaussKrugerZone;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub fn plan() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| load(false))
}

/// The Suifenhe bundle without its plan text: every citation is 未核对.
pub fn plan_without_text() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| load(true))
}

fn load(without_text: bool) -> Plan {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../plans/231081-2021-2025");
    let mut files = BundleFiles::new();
    fn walk(root: &Path, dir: &Path, files: &mut BundleFiles) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, files);
            } else {
                files.insert(
                    p.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    walk(&dir, &dir, &mut files);
    if without_text {
        let toml = String::from_utf8(files.get("plan.toml").unwrap().to_vec()).unwrap();
        files.insert("plan.toml", toml.replacen("text = \"text.txt\"\n", "", 1));
    }
    load_bundle(&files).unwrap().plan
}

fn zone() -> GaussKrugerZone {
    GaussKrugerZone::three_degree(44, true).unwrap()
}

/// Plane (E, N) without prefix of a lon/lat point in zone 44.
pub fn en(lon: f64, lat: f64) -> (f64, f64) {
    zone().with_prefix(false).projection().forward(lon, lat)
}

/// The block's exterior ring in the plane, without the closing point.
pub fn block_ring(number: &str) -> Vec<(f64, f64)> {
    let b = plan().blocks.iter().find(|b| b.number == number).unwrap();
    let r = &b.geometry[0][0];
    r[..r.len() - 1].iter().map(|p| en(p[0], p[1])).collect()
}

pub fn square(c: (f64, f64), half: f64) -> Vec<(f64, f64)> {
    vec![
        (c.0 - half, c.1 - half),
        (c.0 + half, c.1 - half),
        (c.0 + half, c.1 + half),
        (c.0 - half, c.1 + half),
    ]
}

/// A square straddling the boundary of the first feature of a control layer.
pub fn straddling(kind: ControlLayerKind) -> Vec<(f64, f64)> {
    let l = plan().control_layer(kind).unwrap();
    let p = l.features[0].geometry[0][0][0];
    square(en(p[0], p[1]), 100.0)
}

/// MNR 报盘 text of a ring (E, N without prefix): X = northing, Y = 44 + easting, written
/// with three decimals so that a report that reformats them (to two) is caught.
pub fn corner_text(ring: &[(f64, f64)]) -> String {
    let mut s = String::from("拐点,X(起标高),Y(止标高)\n");
    for (k, (e, n)) in ring.iter().enumerate() {
        s += &format!("J{},{:.3},{:.3}, , ,\n", k + 1, n, 44_000_000.0 + e);
    }
    s += "*,520,440,采区,1,\n";
    s
}

/// A 6 万m³/年 建筑用凝灰岩 quarry with 48 万m³ reserves (8 years).
pub fn quarry(ring: &[(f64, f64)]) -> Application {
    application(
        ring,
        "reserves = { value = 48, unit = \"万立方米\" }\nservice_years = 8\n",
    )
}

/// A quarry application on `ring` with `extra` TOML lines (reserves, service years).
pub fn application(ring: &[(f64, f64)], extra: &str) -> Application {
    let toml = format!(
        r#"format = "minplan-application/1"
number = "SQ-2026-007"
kind = "新立"
right_kind = "采矿权"
project_name = "庆发建筑用凝灰岩矿"
minerals = ["建筑用凝灰岩"]
mining_method = "露天"
capacity = {{ value = 6, unit = "万立方米/年" }}
{}

[holder]
name = "绥芬河市庆发建材有限公司"
credit_code = "91110000710925462X"

[grant]
method = "挂牌"

[documents]
development_plan = true
restoration_plan = true
green_mine_commitment = true

[coordinates]
text = """
{}"""
"#,
        extra,
        corner_text(ring)
    );
    match parse_application(&toml, None, &plan().minerals, zone(), None) {
        Ok(app) => app,
        Err(e) => panic!("{e}\n{toml}"),
    }
}

pub fn run(app: &Application) -> ConformityReview {
    run_on(plan(), app)
}

/// The review of `app` on `plan`.
pub fn run_on(plan: &'static Plan, app: &Application) -> ConformityReview {
    let index = SpatialIndex::build(plan, plan_control_layers(plan), &[], None);
    let config = ReviewConfig::default();
    let scales = ScaleTable::default();
    let lists = HolderLists::default();
    let stats = minplan_domain::review::indicators::RegisterStats::compute(plan, &[], &scales);
    let ctx = ReviewContext {
        plan,
        plan_ref: PlanRef::new(
            1,
            1,
            "0123456789abcdef0123456789abcdef".into(),
            plan,
            minplan_domain::date::Date::start_of_year(2026),
        ),
        spatial: &index,
        rights: &[],
        lists: &lists,
        config: &config,
        scales: &scales,
        stats: &stats,
        now: "2026-11-30T02:00:00Z",
        plans_on_file: None,
    };
    review(app, &ctx)
}

/// The passing review: the application is block 231081-C05.
pub fn passing() -> &'static ConformityReview {
    static R: OnceLock<ConformityReview> = OnceLock::new();
    R.get_or_init(|| run(&quarry(&block_ring("231081-C05"))))
}

/// The failing review: 200 m square centred on a vertex of the red line.
pub fn failing() -> &'static ConformityReview {
    static R: OnceLock<ConformityReview> = OnceLock::new();
    R.get_or_init(|| run(&quarry(&straddling(ControlLayerKind::EcologicalRedLine))))
}

/// 基本符合: the quarry on its block without reserves or service years (R4 needs a manual
/// check).
pub fn pending_check() -> &'static ConformityReview {
    static R: OnceLock<ConformityReview> = OnceLock::new();
    R.get_or_init(|| run(&application(&block_ring("231081-C05"), "")))
}

/// The block's ring shifted 60 m east: part of the application lies outside the block (R2).
pub fn shifted() -> &'static ConformityReview {
    static R: OnceLock<ConformityReview> = OnceLock::new();
    R.get_or_init(|| {
        let ring: Vec<(f64, f64)> = block_ring("231081-C05")
            .into_iter()
            .map(|(e, n)| (e + 60.0, n))
            .collect();
        run(&quarry(&ring))
    })
}

/// Every part of a ZIP package, by name.
pub fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP package");
    let mut out = BTreeMap::new();
    for i in 0..a.len() {
        let mut f = a.by_index(i).unwrap();
        let mut v = Vec::new();
        f.read_to_end(&mut v).unwrap();
        out.insert(f.name().to_string(), v);
    }
    out
}

/// A decoded RGBA8 image.
pub struct Image {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl Image {
    pub fn rgb(&self, x: u32, y: u32) -> [u8; 3] {
        let i = ((y * self.width + x) * 4) as usize;
        [self.rgba[i], self.rgba[i + 1], self.rgba[i + 2]]
    }

    pub fn count(&self, rgb: [u8; 3]) -> usize {
        self.rgba
            .chunks_exact(4)
            .filter(|p| p[..3] == rgb && p[3] == 255)
            .count()
    }
}

/// Decodes a PNG with the `png` crate (not the renderer's own decoder).
pub fn decode_png(bytes: &[u8]) -> Image {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().expect("a PNG header");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a PNG frame");
    assert_eq!(info.color_type, png::ColorType::Rgba, "RGBA");
    assert_eq!(info.bit_depth, png::BitDepth::Eight);
    buf.truncate(info.buffer_size());
    Image {
        width: info.width,
        height: info.height,
        rgba: buf,
    }
}

/// examples/03-bielewa-geothermal: a 1 km² 地下热水 application inside the 14 km² mining
/// block 231081-C01 (which shares its outline with exploration block 231081-K01); 基本符合
/// because the application takes only a small share of the block (R2).
pub fn geothermal() -> &'static ConformityReview {
    static R: OnceLock<ConformityReview> = OnceLock::new();
    R.get_or_init(|| example("03-bielewa-geothermal.toml", "03-bielewa-geothermal.txt"))
}

/// The review of an example application (`examples/{toml}` with its corner file `corners`).
pub fn example(toml: &str, corners: &str) -> ConformityReview {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    let toml = std::fs::read_to_string(dir.join(toml)).unwrap();
    let corners = std::fs::read(dir.join(corners)).unwrap();
    let app = parse_application(&toml, Some(&corners), &plan().minerals, zone(), None)
        .unwrap_or_else(|e| panic!("{e}"));
    run(&app)
}
