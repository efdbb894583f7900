//! `minplan coords check` end to end, on the built binary.

use std::path::PathBuf;
use std::process::Command;

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../minplan-geo/tests/data")
        .join(name)
}

fn run(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_minplan"))
        .args(args)
        .output()
        .expect("run minplan");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn json(args: &[&str]) -> (i32, serde_json::Value) {
    let (code, out) = run(args);
    (
        code,
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}")),
    )
}

const LIAONING: &str = "real/announcements/liaoning_haicheng_paolou_2025-54.txt";

#[test]
fn liaoning_announcement_checks_clean() {
    let f = data(LIAONING);
    let (code, j) = json(&["coords", "check", f.to_str().unwrap(), "--json"]);
    assert_eq!(code, 0);
    assert_eq!(j["crs"], 4529);
    assert_eq!(j["area_km2"], 1.0685); // stated in 辽采协示字〔2025〕54号
    assert_eq!(j["blocks"].as_array().unwrap().len(), 2);
    assert_eq!(j["rings"][1]["name"], "远东采区");
    assert_eq!(j["rings"][1]["points"].as_array().unwrap().len(), 11);
    assert!(j["problems"].as_array().unwrap().is_empty());
    let plane = j["area_plane_m2"].as_f64().unwrap();
    assert!((plane - 1_068_484.40).abs() < 0.01, "{plane}");

    let (code, text) = run(&["coords", "check", f.to_str().unwrap()]);
    assert_eq!(code, 0);
    for want in [
        "EPSG:4529",
        "金藏采区",
        "远东采区",
        "平面面积（高斯投影平面）",
        "椭球面积（TD/T 1055-2019 附录D）",
        "1.0685 km²",
        "未做县域范围检查",
    ] {
        assert!(text.contains(want), "missing {want} in\n{text}");
    }
}

#[test]
fn bad_inputs_exit_1_with_named_problems() {
    let cases = [
        ("suifenhe_swapped.txt", "xy_swapped"),
        ("suifenhe_masked.txt", "junk_in_number"),
        ("suifenhe_no_prefix.txt", "zone_prefix_missing"),
        ("suifenhe_self_intersection.txt", "self_intersection"),
        ("suifenhe_xian80.txt", "datum_not_cgcs2000"),
        ("suifenhe_no_datum.txt", "datum_not_stated"),
        ("suifenhe_outside.txt", "outside_region"),
        (
            "real/geojson-invalid/problematic_duplicate_nodes.geojson",
            "repeated_point",
        ),
    ];
    for (file, kind) in cases {
        let f = data(file);
        let region: &[&str] = if file.contains("no_prefix") {
            &[]
        } else {
            &["--region", "suifenhe"]
        };
        let mut args = vec!["coords", "check", f.to_str().unwrap(), "--json"];
        args.extend_from_slice(region);
        let (code, j) = json(&args);
        assert_eq!(code, 1, "{file}");
        let problems = j["problems"].as_array().unwrap();
        let p = problems
            .iter()
            .find(|p| p["kind"] == kind)
            .unwrap_or_else(|| panic!("{file}: no {kind} in {problems:?}"));
        assert!(!p["message"].as_str().unwrap().is_empty());
        assert!(p["points"].is_array());
    }
}

#[test]
fn zone_and_datum_arguments() {
    let f = data("suifenhe_no_prefix.txt");
    let (code, j) = json(&[
        "coords",
        "check",
        f.to_str().unwrap(),
        "--zone",
        "44",
        "--json",
    ]);
    assert_eq!(code, 0, "{j}");
    assert_eq!(j["crs"], 4553);
    let f = data("suifenhe_no_datum.txt");
    let (code, j) = json(&[
        "coords",
        "check",
        f.to_str().unwrap(),
        "--crs",
        "4532",
        "--json",
    ]);
    assert_eq!(code, 0, "{j}");
    assert_eq!(j["area_km2"], 0.3885);
}

#[test]
fn nothing_readable_exits_2() {
    let (code, _) = run(&["coords", "check", "/nonexistent/拐点.txt"]);
    assert_eq!(code, 2);
    let empty = std::env::temp_dir().join(format!("minplan-empty-{}.txt", std::process::id()));
    std::fs::write(&empty, "").unwrap();
    let (code, _) = run(&["coords", "check", empty.to_str().unwrap()]);
    std::fs::remove_file(&empty).ok();
    assert_eq!(code, 2);
}

/// A notice whose stated area the reading does not give exits 1 with the stated figure, the
/// computed areas and the line named; the JSON carries what the file states.
#[test]
fn a_stated_area_that_does_not_match_exits_1() {
    let text = std::fs::read_to_string(data("liaoning_as_announcement_table.txt")).unwrap();
    let dir = std::env::temp_dir().join(format!("minplan-stated-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("wrong-area.txt");
    std::fs::write(&f, text.replace("1.0685", "1.2000")).unwrap();
    let (code, j) = json(&["coords", "check", f.to_str().unwrap(), "--json"]);
    assert_eq!(code, 1);
    assert_eq!(j["stated"]["areas"][0]["km2"], 1.2);
    assert_eq!(j["stated"]["areas"][0]["line"], 26);
    assert_eq!(j["stated"]["points_read"], 19);
    let p = j["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "stated_figure_mismatch")
        .expect("the mismatch is a problem");
    assert_eq!(p["severity"], "error");
    let m = p["message"].as_str().unwrap();
    assert!(
        m.contains("第26行") && m.contains("1.2000平方公里") && m.contains("1.0685 km²"),
        "{m}"
    );
    let (code, text) = run(&["coords", "check", f.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        text.contains("文件说明的面积（第26行）：1.2000平方公里"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Every real notice of the test data gives its expected reading through the CLI: rings,
/// labels, lines read, the refusal and its reason.
#[test]
fn every_real_notice_gives_its_expected_reading() {
    struct Case {
        file: &'static str,
        exit: i32,
        rings: usize,
        kinds: &'static [&'static str],
        text: &'static [&'static str],
    }
    let cases = [
        Case {
            file: "linhai_hongchi_2017.txt",
            exit: 1,
            rings: 1,
            kinds: &["datum_not_cgcs2000"],
            text: &["14 个拐点", "读自第 46–128 行", "1980西安坐标系"],
        },
        Case {
            file: "jinghe_heishantou_exploration_2023.txt",
            exit: 1,
            rings: 1,
            kinds: &["placeholder_row", "stated_figure_mismatch"],
            text: &[
                "10 个拐点",
                "EPSG:4490",
                "0.0445 km²",
                "0.044600平方千米；与读到的面积不符",
            ],
        },
        Case {
            file: "xingan_tuquan_exploration_2008.txt",
            exit: 1,
            rings: 6,
            kinds: &["ambiguous_notation", "datum_not_stated"],
            text: &["块段：6 个，圈：6 个", "121°55′30″"],
        },
        Case {
            file: "maozu_lead_zinc_masked_2024.txt",
            // Not one point readable: exit 2.
            exit: 2,
            rings: 1,
            kinds: &["junk_in_number"],
            text: &["被遮盖", "****002.38"],
        },
        Case {
            file: "wenzhou_dongtou_masked_2018.txt",
            exit: 2,
            rings: 2,
            kinds: &["junk_in_number"],
            text: &["【A区】", "【B区】", "有数字被遮盖", "48 个；读到 48 个"],
        },
        Case {
            file: "liaoning_haicheng_paolou_2025-54.txt",
            exit: 0,
            rings: 2,
            kinds: &[],
            text: &["1.0685 km²"],
        },
    ];
    for c in cases {
        let f = data(&format!("real/announcements/{}", c.file));
        let (code, j) = json(&["coords", "check", f.to_str().unwrap(), "--json"]);
        assert_eq!(code, c.exit, "{}", c.file);
        assert_eq!(j["rings"].as_array().unwrap().len(), c.rings, "{}", c.file);
        let kinds: Vec<&str> = j["problems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["kind"].as_str().unwrap())
            .collect();
        for k in c.kinds {
            assert!(kinds.contains(k), "{}: {k} not in {kinds:?}", c.file);
        }
        // Every point says where it was read.
        for ring in j["rings"].as_array().unwrap() {
            for p in ring["source_lines"].as_array().unwrap() {
                assert!(!p["lines"].as_array().unwrap().is_empty(), "{}", c.file);
            }
        }
        let (_, text) = run(&["coords", "check", f.to_str().unwrap()]);
        for t in c.text {
            assert!(text.contains(t), "{}: missing {t} in\n{text}", c.file);
        }
    }
}
