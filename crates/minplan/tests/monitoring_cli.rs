//! `minplan indicators --year 2025 --json` and `minplan evaluate` on the database of the
//! five-year scenario (`scenario/mod.rs`; hand-computed values in `monitoring_scenario.rs`).

mod scenario;

use std::path::Path;
use std::process::Command;

fn minplan(db: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap()
}

fn scenario_db(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("t.db");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let store = minplan_store::Store::open(&db).await.unwrap();
        scenario::build(&store).await;
    });
    db
}

#[test]
fn indicators_2025_json_gives_the_hand_computed_values() {
    let dir = tempfile::tempdir().unwrap();
    let db = scenario_db(dir.path());
    let out = minplan(&db, &["indicators", "--year", "2025", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["year"], 2025);
    assert_eq!(v["as_of"], "2025-12-31");
    let get = |key: &str| {
        v["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["key"] == key)
            .unwrap_or_else(|| panic!("{key}"))
            .clone()
    };
    // 产值 240 + 70 + 336 = 646 < 1000 in the target year: 未达标.
    // 企业 {地热, 金家沟} = 2 of ≤3; 本级 {金家沟} = 1 of ≤2; 大中型 1 (金家沟 5, 中型) of 2
    // (地热 8 < 10, 小型) = 50 % > 33; 建筑用石 1.0 + 4.8 = 5.8 of 10; 矿泉水 0; 地下热水 8.
    for (key, value, status, label) in [
        ("output_value", 646.0, "breached", "未达标"),
        ("mine_count", 2.0, "on_track", "正常"),
        ("mine_count_this_level", 1.0, "on_track", "正常"),
        ("large_medium_ratio", 50.0, "on_track", "正常"),
        ("extraction_building_stone", 5.8, "on_track", "正常"),
        ("extraction_mineral_water", 0.0, "on_track", "正常"),
        ("extraction_geothermal_water", 8.0, "on_track", "正常"),
    ] {
        let i = get(key);
        let got = i["value"].as_f64().unwrap();
        assert!((got - value).abs() < 1e-9, "{key}: {got} ≠ {value}");
        assert_eq!(i["status"], status, "{key}");
        assert_eq!(i["status_label"], label, "{key}");
        assert!(
            i["projection"].is_null(),
            "{key}: no projection in the target year"
        );
    }
    assert_eq!(get("extraction_building_stone")["licensed_total"], 5.0);
    // Not computable from the register and never entered: 未填报, not 0.
    assert_eq!(get("new_deposits")["status"], "not_entered");
    assert_eq!(get("new_deposits")["status_label"], "未填报");
    assert_eq!(v["reports_required"], 3);
    assert_eq!(v["reports_filed"], 3);
    // The 2024 warning on 建筑用石 (9.5 ≥ 90 % of 10), in the terminal table.
    let out = minplan(&db, &["indicators", "--year", "2024"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("预警") && text.contains("9.5"), "{text}");
}

#[test]
fn evaluate_writes_the_zhuanlan1_table() {
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().unwrap();
    let db = scenario_db(dir.path());
    let xlsx = dir.path().join("评估.xlsx");
    let docx = dir.path().join("评估.docx");
    // All or nothing: an unwritable Word path leaves no Excel file behind either.
    let out = minplan(
        &db,
        &[
            "evaluate",
            "--xlsx",
            xlsx.to_str().unwrap(),
            "--docx",
            "/nonexistent-dir/评估.docx",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent-dir/评估.docx"));
    assert!(!xlsx.exists());
    assert_eq!(
        std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains("tmp"))
            .count(),
        0
    );
    // Years far outside the plan period are refused, naming the field.
    let out = minplan(&db, &["indicators", "--year", "1800"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2011～2035"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = minplan(
        &db,
        &[
            "evaluate",
            "--from",
            "2021",
            "--to",
            "2025",
            "--xlsx",
            xlsx.to_str().unwrap(),
            "--docx",
            docx.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("64.6%"), "{text}");
    let mut wb: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let range = wb.worksheet_range("实施评估").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header: Vec<String> = rows[1].iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        [
            "序号",
            "规划目标",
            "规划指标",
            "单位",
            "规划目标值",
            "实际完成",
            "完成率"
        ]
    );
    assert_eq!(rows[2][2].to_string(), "矿业总产值");
    assert_eq!(rows[2][3].to_string(), "万元");
    assert_eq!(rows[2][4], Data::Float(1000.0));
    assert_eq!(rows[2][5], Data::Float(646.0));
    assert!(matches!(rows[2][6], Data::Float(p) if (p - 64.6).abs() < 1e-9));
    assert!(std::fs::read(&docx).unwrap().starts_with(b"PK"));
    // Reminders on the scenario's last day: 金家沟 ends in 81 days; and, no 安全生产许可证 being
    // entered in the scenario, every mine-year with output (别勒洼 2021–2025, 庆发 2022–2025,
    // 金家沟 2023–2025) is 无安全生产许可证生产.
    let out = minplan(&db, &["reminders", "--today", "2026-04-10", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let (safety, other): (Vec<_>, Vec<_>) = v
        .as_array()
        .unwrap()
        .iter()
        .partition(|r| r["kind"] == "safety_licence_missing");
    assert_eq!(safety.len(), 12);
    assert_eq!(other.len(), 1);
    assert_eq!(other[0]["kind"], "licence_expiring");
    assert_eq!(other[0]["days"], 81);
}
