use super::*;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn the_shipped_example_has_the_standard_chapters_and_is_flagged() {
    let c = Checklist::example();
    assert!(c.example, "the shipped item set must be flagged 示例");
    assert!(c.title.contains("示例"));
    assert_eq!(c.standard, "DZ/T 0316-2018 砂石行业绿色矿山建设规范");
    let chapters: Vec<(&str, &str)> = c
        .chapters
        .iter()
        .map(|ch| (ch.number.as_str(), ch.title.as_str()))
        .collect();
    assert_eq!(chapters, DZT_0316_2018_CHAPTERS.to_vec());
    assert_eq!(c.items().count(), 12);
    assert_eq!(c.full_total(), 100.0);
    assert_eq!(
        c.pass_rule,
        PassRule {
            min_total: 80.0,
            required_all_met: true
        }
    );
    let required: Vec<&str> = c
        .items()
        .filter(|i| i.required)
        .map(|i| i.code.as_str())
        .collect();
    assert_eq!(required, ["5-1", "6-1", "6-2", "8-1"]);
    // Every example item says it is one.
    assert!(c.items().all(|i| i.text.starts_with("（示例）")));
}

#[test]
fn every_problem_of_a_file_at_once_with_its_line() {
    let text = "format = \"minplan-green-checklist/1\"
standard = \"DZ/T 0316-2018\"
title = \"测试\"
example = false

[pass_rule]
min_total = 50

[[chapters]]
number = \"5\"
title = \"矿区环境\"

[[chapters]]
number = \"6\"
title = \"资源开发方式\"

[[items]]
code = \"5-1\"
chapter = \"5\"
text = \"道路硬化\"
evidence = \"照片\"
score = 10

[[items]]
code = \"5-1\"
chapter = \"7\"
text = \"\"
evidence = \"照片\"
score = -2
";
    let p = Checklist::parse(text).unwrap_err();
    let got: Vec<(Option<usize>, &str)> = p.iter().map(|p| (p.line, p.field.as_str())).collect();
    assert_eq!(
        got,
        vec![
            (Some(6), "pass_rule.required_all_met"),
            (Some(7), "pass_rule.min_total"),
            (Some(13), "chapters"),
            (Some(24), "items[2].code"),
            (Some(24), "items[2].chapter"),
            (Some(27), "items[2].text"),
            (Some(29), "items[2].score"),
        ],
        "{p:#?}"
    );
    assert_eq!(p[1].message, "达标总分 50 高于各条目满分之和 10");
    assert_eq!(p[2].message, "第 6 章“资源开发方式”没有条目");
    assert_eq!(
        p[6].to_string(),
        "第 29 行 items[2].score：分值应大于 0，文件写的是 -2"
    );
}

#[test]
fn unreadable_toml_and_unknown_fields_name_the_line() {
    let p = Checklist::parse("format = \"minplan-green-checklist/1\"\ntitle = \n").unwrap_err();
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].line, Some(2));
    assert_eq!(p[0].field, "file");
    let with_weight = EXAMPLE_CHECKLIST.replace(
        "score = 15\nrequired = true\n\n[[items]]\ncode = \"6-2\"",
        "score = 15\nrequired = true\nweight = 2\n\n[[items]]\ncode = \"6-2\"",
    );
    let p = Checklist::parse(&with_weight).unwrap_err();
    assert_eq!(p.len(), 1);
    assert!(p[0].message.contains("weight"), "{p:?}");
    let line = with_weight.lines().position(|l| l == "weight = 2").unwrap() + 1;
    assert_eq!(p[0].line, Some(line), "{p:?}");
    let p = Checklist::parse(&EXAMPLE_CHECKLIST.replace("minplan-green-checklist/1", "v2"))
        .unwrap_err();
    assert_eq!(p[0].field, "format");
    assert_eq!(p[0].line, Some(15));
}

/// The hand-computed evaluation of the example set:
///
/// | item | full | given |
/// |---|---|---|
/// | 5-1 必备 | 10 | 10 |
/// | 5-2 | 10 | 8 |
/// | 6-1 必备 | 15 | 15 |
/// | 6-2 必备 | 15 | 15 |
/// | 7-1 | 10 | 6 |
/// | 7-2 | 5 | 5 |
/// | 8-1 必备 | 10 | 10 |
/// | 8-2 | 5 | 3 |
/// | 9-1 | 5 | 2 |
/// | 9-2 | 5 | 5 |
/// | 10-1 | 5 | 5 |
/// | 10-2 | 5 | 4.5 |
/// | total | 100 | 88.5 |
fn scores(given: &[(&str, f64)]) -> Vec<ItemScore> {
    given
        .iter()
        .map(|(c, s)| ItemScore {
            code: c.to_string(),
            score: *s,
            note: String::new(),
        })
        .collect()
}

const GIVEN: [(&str, f64); 12] = [
    ("5-1", 10.0),
    ("5-2", 8.0),
    ("6-1", 15.0),
    ("6-2", 15.0),
    ("7-1", 6.0),
    ("7-2", 5.0),
    ("8-1", 10.0),
    ("8-2", 3.0),
    ("9-1", 2.0),
    ("9-2", 5.0),
    ("10-1", 5.0),
    ("10-2", 4.5),
];

#[test]
fn a_scored_evaluation_against_the_hand_computed_total() {
    let c = Checklist::example();
    let e = evaluate(&c, &scores(&GIVEN)).unwrap();
    assert_eq!(e.total, 88.5);
    assert_eq!(e.full_total, 100.0);
    assert_eq!(e.outcome, Outcome::Pass);
    assert_eq!(
        e.reasons,
        ["总分 88.5 分，不低于达标线 80 分", "必备条目均得满分"]
    );
    // 6-2 (必备) at 12 instead of 15: total 85.5 ≥ 80 but 不达标.
    let mut g = GIVEN;
    g[3].1 = 12.0;
    let e = evaluate(&c, &scores(&g)).unwrap();
    assert_eq!(e.total, 85.5);
    assert_eq!(e.outcome, Outcome::Fail);
    assert_eq!(
        e.reasons[1],
        "必备条目 6-2“（示例）边开采边治理，按矿区生态修复方案完成年度治理任务”未得满分（得 12 分，满分 15 分）"
    );
    // 7-1 at 0 and 5-2 at 0: 88.5 − 6 − 8 = 74.5 < 80.
    let mut g = GIVEN;
    g[1].1 = 0.0;
    g[4].1 = 0.0;
    let e = evaluate(&c, &scores(&g)).unwrap();
    assert_eq!(e.total, 74.5);
    assert_eq!(e.outcome, Outcome::Fail);
    assert_eq!(e.reasons[0], "总分 74.5 分，低于达标线 80 分");
}

#[test]
fn an_evaluation_with_missing_or_bad_scores_is_refused_item_by_item() {
    let c = Checklist::example();
    let mut g: Vec<(&str, f64)> = GIVEN.to_vec();
    g[0].1 = 11.0; // above 5-1's 10
    g.remove(11); // 10-2 not scored
    g.push(("11-1", 1.0));
    let p = evaluate(&c, &scores(&g)).unwrap_err();
    let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["item.11-1", "item.5-1", "item.10-2"]);
    assert_eq!(p[1].message, "条目 5-1 的得分应在 0 到 10 分之间");
}

#[test]
fn the_pass_rule_is_the_files_not_the_codes() {
    // The same scores with a file that does not require 必备 items at full score and sets
    // the line at 85: 85.5 passes.
    let text = EXAMPLE_CHECKLIST
        .replace("min_total = 80", "min_total = 85")
        .replace("required_all_met = true", "required_all_met = false");
    let c = Checklist::parse(&text).unwrap();
    let mut g = GIVEN;
    g[3].1 = 12.0;
    let e = evaluate(&c, &scores(&g)).unwrap();
    assert_eq!(e.outcome, Outcome::Pass);
    assert_eq!(e.reasons, ["总分 85.5 分，不低于达标线 85 分"]);
    // … and at 86 it fails.
    let c = Checklist::parse(&text.replace("min_total = 85", "min_total = 86")).unwrap();
    assert_eq!(evaluate(&c, &scores(&g)).unwrap().outcome, Outcome::Fail);
}

#[test]
fn a_submission_needs_every_item_and_evidence_for_claims() {
    let c = Checklist::example();
    let mut items: Vec<SelfItem> = c
        .items()
        .map(|i| SelfItem {
            code: i.code.clone(),
            answer: Some(SelfAnswer::Met),
            note: String::new(),
            evidence_files: 1,
        })
        .collect();
    assert_eq!(check_submission(&c, &items), Ok(()));
    items[2].evidence_files = 0; // 6-1 符合 without evidence
    items[5].answer = None; // 7-2 not answered
    items[7].answer = Some(SelfAnswer::NotMet); // 8-2 不符合: no evidence needed
    items[7].evidence_files = 0;
    let p = check_submission(&c, &items).unwrap_err();
    let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["item.6-1", "item.7-2"]);
    assert!(
        p[0].message
            .contains("请上传证明材料（开发利用方案批复；年度开采现状图）")
    );
}

#[test]
fn the_share_of_producing_mines_on_the_list() {
    let entry = |mine, level, date_in: &str, out: Option<&str>| GreenListing {
        mine_id: mine,
        level,
        date_in: d(date_in),
        document_number: "绥自然资发〔2025〕1号".into(),
        date_out: out.map(d),
    };
    let listings = vec![
        entry(1, GreenLevel::County, "2024-03-01", None),
        entry(2, GreenLevel::Provincial, "2025-06-01", None),
        entry(3, GreenLevel::County, "2023-01-01", Some("2025-01-01")),
        entry(9, GreenLevel::National, "2025-01-01", None), // not producing
    ];
    let f = green_figures(&[1, 2, 3, 4], &listings, d("2025-12-31"));
    assert_eq!(f.producing_mines, 4);
    assert_eq!(f.green_mines, Reading::Value(2));
    assert_eq!(f.share_pct, Reading::Value(50.0));
    assert_eq!(
        f.by_level,
        vec![
            ("县级".to_string(), 1),
            ("省级".to_string(), 1),
            ("国家级".to_string(), 1)
        ]
    );
    // On 2024-12-31: mines 1 and 3 (3 leaves on 2025-01-01); 2 not yet in.
    let f = green_figures(&[1, 2, 3, 4], &listings, d("2024-12-31"));
    assert_eq!(f.green_mines, Reading::Value(2));
    // On 2025-01-01: only mine 1.
    let f = green_figures(&[1, 2, 3, 4], &listings, d("2025-01-01"));
    assert_eq!(f.share_pct, Reading::Value(25.0));
    // No producing mine: no share, not 0 or 100 %.
    let f = green_figures(&[], &listings, d("2025-12-31"));
    assert_eq!(
        f.share_pct,
        Reading::Missing("无法判定：2025年12月31日 无生产矿山".into())
    );
    // No 名录 kept: 无数据.
    let f = green_figures(&[1, 2], &[], d("2025-12-31"));
    assert_eq!(f.green_mines.value(), None);
    assert_eq!(
        f.share_pct,
        Reading::Missing("无数据：尚未录入绿色矿山名录".into())
    );
}

#[test]
fn a_listing_needs_its_number_and_a_later_date_out() {
    let mut l = GreenListing {
        mine_id: 1,
        level: GreenLevel::County,
        date_in: d("2025-06-01"),
        document_number: " ".into(),
        date_out: Some(d("2025-06-01")),
    };
    let p = check_listing(&l).unwrap_err();
    assert_eq!(p.len(), 2);
    assert_eq!(p[0].field, "document_number");
    assert_eq!(
        p[1].message,
        "移出日期 2025年6月1日 应晚于入库日期 2025年6月1日"
    );
    l.document_number = "绥自然资发〔2025〕8号".into();
    l.date_out = None;
    assert_eq!(check_listing(&l), Ok(()));
    assert!(l.on(d("2025-06-01")) && !l.on(d("2025-05-31")));
    assert_eq!(GreenLevel::parse("省级"), Some(GreenLevel::Provincial));
}

#[test]
fn commitments_tracked_to_a_result() {
    use AssessmentStatus::*;
    assert_eq!(commitment_result(None, false).label(), "未自评");
    assert_eq!(commitment_result(Some(Draft), false).label(), "自评中");
    assert_eq!(commitment_result(Some(Submitted), false).label(), "评估中");
    assert_eq!(
        commitment_result(Some(Evaluated(Outcome::Pass)), false).label(),
        "评估中"
    );
    assert_eq!(
        commitment_result(Some(Evaluated(Outcome::Fail)), false).label(),
        "未达标"
    );
    assert_eq!(
        commitment_result(Some(Evaluated(Outcome::Fail)), true).label(),
        "已入名录"
    );
}
