//! The indicator charts never draw “not reported” as a zero bar: a year without a value is a
//! marked gap (未报送 / 未填报), a value from part of the reports a pale outlined bar with
//! `n / m 已报送`; the evaluation documents write those states, not 0 or —.

use minplan_domain::monitoring::{EvaluationRow, Status, YearValue};
use minplan_domain::plan::Comparison;
use minplan_domain::units::Unit;

fn row(series: Vec<YearValue>, status: Status) -> EvaluationRow {
    EvaluationRow {
        seq: 5,
        group: "矿产资源合理开发利用与保护".into(),
        indicator: "主要矿产开采总量：建筑用石".into(),
        unit: Unit::WanM3PerYear,
        target: 10.0,
        comparison: Comparison::Le,
        target_label: "≤10".into(),
        actual: series.last().and_then(|v| v.value),
        completion_pct: None,
        status,
        status_label: status.label(Comparison::Le).into(),
        projection: None,
        note: String::new(),
        cite: "专栏2".into(),
        source: "年度报告".into(),
        coverage_label: "1 / 3 座矿山已报送".into(),
        manual: None,
        series,
    }
}

fn yv(year: i32, value: Option<f64>, mark: Option<&str>, partial: bool) -> YearValue {
    YearValue {
        year,
        value,
        mark: mark.map(str::to_string),
        partial,
    }
}

#[test]
fn a_year_not_reported_is_a_marked_gap_and_a_partial_year_is_labelled() {
    let r = row(
        vec![
            yv(2023, Some(6.8), None, false),
            yv(2024, None, Some("未报送"), false),
            yv(2025, Some(5.8), Some("1 / 3 已报送"), true),
        ],
        Status::PartlyReported,
    );
    let svg = minplan_report::indicator_chart_svg(&r);
    // Two bars (2023 full, 2025 partial), one gap — never a bar for 2024.
    assert_eq!(svg.matches(r#"class="bar""#).count(), 1, "{svg}");
    assert_eq!(svg.matches(r#"class="bar partial""#).count(), 1, "{svg}");
    assert_eq!(svg.matches(r#"class="gap""#).count(), 1, "{svg}");
    assert!(svg.contains("<title>2024年：未报送</title>"), "{svg}");
    assert!(!svg.contains("<title>2024年：0"), "{svg}");
    assert!(svg.contains("1 / 3 已报送"), "{svg}");
    // The partial bar is pale, not the status colour of a judged last year.
    assert!(svg.contains(r##"fill="#B4C7E7""##), "{svg}");
    assert!(!svg.contains(r##"fill="#C00000" class="bar"##), "{svg}");
}

#[test]
fn the_evaluation_docx_writes_the_states() {
    use std::io::Read;
    let r = row(
        vec![
            yv(2024, Some(6.8), None, false),
            yv(2025, None, Some("未报送"), false),
        ],
        Status::NotReported,
    );
    let e = minplan_domain::monitoring::Evaluation {
        plan: "某县矿产资源总体规划".into(),
        from: 2024,
        to: 2025,
        target_year: 2025,
        rows: vec![r],
        scale_table: "国土资发〔2004〕208号".into(),
        warn_ratio: 0.9,
        reports: (3, 0),
        standing_note: String::new(),
        notes: vec![],
    };
    let bytes = minplan_report::evaluation_docx(&e, &minplan_report::Issuer::new("某县自然资源局"))
        .unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    z.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    assert!(xml.contains("未报送"), "the docx lacks 未报送");
    let xlsx = minplan_report::evaluation_xlsx(&e).unwrap();
    assert!(xlsx.starts_with(b"PK"));
}
