//! The Word 审查意见书, read back from its ZIP package: corner values as entered, every rule,
//! the conclusion, the fonts, and a map that decodes with the conflict in its colour.

mod common;

use common::{
    block_ring, decode_png, failing, passing, pending_check, plan, plan_without_text, quarry,
    run_on, shifted, unzip,
};
use minplan_domain::review::{Conclusion, RuleOutcome};
use minplan_report::{ConflictKind, DocxOptions, Signer, review_docx};
use std::collections::BTreeMap;

fn docx_parts(review: &minplan_domain::review::ConformityReview) -> BTreeMap<String, Vec<u8>> {
    let bytes = review_docx(review, plan(), &DocxOptions::default()).unwrap();
    assert_eq!(&bytes[..4], b"PK\x03\x04", "a ZIP package");
    unzip(&bytes)
}

fn text(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        parts
            .get(name)
            .unwrap_or_else(|| panic!("no {name}"))
            .clone(),
    )
    .unwrap()
}

/// The text of every `<w:t>` of a part, concatenated (runs split words freely).
fn plain(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find("<w:t") {
        rest = &rest[i + 4..];
        // `<w:t>` or `<w:t xml:space="preserve">`, not `<w:tbl…>`/`<w:tc>`.
        if !(rest.starts_with('>') || rest.starts_with(' ')) {
            continue;
        }
        let open = rest.find('>').unwrap();
        let close = rest.find("</w:t>").unwrap();
        out.push_str(&rest[open + 1..close]);
        out.push('\n');
        rest = &rest[close..];
    }
    out
}

#[test]
fn the_package_has_the_parts_word_needs() {
    let parts = docx_parts(passing());
    for name in [
        "[Content_Types].xml",
        "_rels/.rels",
        "word/document.xml",
        "word/styles.xml",
        "word/fontTable.xml",
        "word/_rels/document.xml.rels",
        "docProps/core.xml",
    ] {
        assert!(
            parts.contains_key(name),
            "{name} missing: {:?}",
            parts.keys()
        );
    }
    let doc = text(&parts, "word/document.xml");
    // A4 portrait (twips) and a footer with PAGE and NUMPAGES fields.
    assert!(
        doc.contains(r#"<w:pgSz w:w="11906" w:h="16838""#),
        "page size"
    );
    let footer_name = parts
        .keys()
        .find(|k| k.starts_with("word/footer"))
        .expect("a footer part");
    let footer = text(&parts, footer_name);
    assert!(
        footer.contains("PAGE") && footer.contains("NUMPAGES"),
        "{footer}"
    );
    assert!(text(&parts, "docProps/core.xml").contains("2026-11-30T02:00:00Z"));
}

#[test]
fn passing_review_shows_corners_rules_conclusion_and_fonts() {
    let review = passing();
    assert_eq!(review.conclusion, Conclusion::Conforming);
    let parts = docx_parts(review);
    let doc = text(&parts, "word/document.xml");
    let words = plain(&doc);

    // Title, bureau from the plan's region, date in China time, conclusion.
    for s in [
        "矿业权申请规划符合性审查意见书",
        "绥芬河市自然资源局",
        "审查日期：2026年11月30日",
        "审查结论：",
        "一、申请基本情况",
        "二、拐点坐标",
        "三、范围示意图",
        "四、审查情况",
        "五、规划指标影响",
        "六、审查结论",
        "七、审查依据",
        "备注",
        "承办人：",
        "签发人：",
    ] {
        assert!(words.contains(s), "missing {s}");
    }
    assert!(
        words.contains("规划符合性审查结论为：\n符合\n"),
        "conclusion sentence"
    );

    // Every corner value exactly as entered (three decimals, never reformatted).
    let report = &review.application.corner_report;
    let mut n = 0;
    for p in report
        .blocks
        .iter()
        .flat_map(|b| &b.rings)
        .flat_map(|r| &r.points)
    {
        assert_eq!(
            p.x_text.split('.').nth(1).map(str::len),
            Some(3),
            "{}",
            p.x_text
        );
        assert!(
            words.contains(&format!("{}\n{}\n{}\n", p.label, p.x_text, p.y_text)),
            "{p:?}"
        );
        n += 1;
    }
    assert!(n >= 4, "{n} corners");
    assert!(words.contains("开采标高 520 米至 440 米"), "elevation");

    // Every rule title and outcome.
    assert_eq!(review.rules.len(), 15);
    for r in &review.rules {
        assert!(words.contains(r.title), "rule title {}", r.title);
        assert!(words.contains(&format!("{}\n", r.id)), "rule id {}", r.id);
    }
    // The plan's citations, the block, the areas with their methods.
    for r in &review.rules {
        let cites: Vec<String> = r.cites.iter().map(ToString::to_string).collect();
        let mut once: Vec<String> = Vec::new();
        for c in cites {
            if !once.contains(&c) {
                once.push(c);
            }
        }
        assert!(
            words.contains(&format!("《规划》{}\n", once.join("、"))),
            "{} cites {once:?}",
            r.id
        );
    }
    assert!(words.contains("231081-C05"), "block");
    let areas = report.areas.as_ref().unwrap();
    assert!(words.contains(&format!("平面面积（高斯投影）：{:.2} m²", areas.plane_m2)));
    assert!(words.contains(&format!(
        "椭球面积（TD/T 1055-2019 附录D）：{:.4} km²",
        areas.km2
    )));
    assert!(words.contains("EPSG:4532"), "CRS");
    // What-if rows.
    assert!(words.contains("矿山企业数量"), "what-if");
    // Legal basis: the standards used, the plan's words.
    for s in [
        "《中华人民共和国矿产资源法》",
        "《矿产资源规划编制实施办法》",
        "TD/T 1055-2019",
        "国土资发〔2004〕208号",
        "GB 32100-2015",
        "禁止湿地泥炭、可耕地的砖瓦用粘土项目开采",
    ] {
        assert!(words.contains(s), "basis {s}");
    }
    // Notes: schematic data.
    assert!(words.contains("示意数据"), "schematic note");

    // East Asian fonts on runs and in the defaults; the font table declares them.
    assert!(doc.contains(r#"w:eastAsia="宋体""#), "宋体 on runs");
    assert!(doc.contains(r#"w:eastAsia="黑体""#), "黑体 on headings");
    assert!(doc.contains(r#"w:ascii="Times New Roman""#), "Latin font");
    let styles = text(&parts, "word/styles.xml");
    let defaults =
        &styles[styles.find("<w:rPrDefault>").unwrap()..styles.find("</w:rPrDefault>").unwrap()];
    assert!(
        defaults.contains(r#"w:eastAsia="仿宋_GB2312""#),
        "{defaults}"
    );
    assert!(defaults.contains(r#"w:eastAsia="zh-CN""#), "{defaults}");
    let fonts = text(&parts, "word/fontTable.xml");
    assert!(fonts.contains(r#"w:name="宋体"><w:altName w:val="SimSun"/>"#));
    assert!(fonts.contains(r#"w:name="黑体"><w:altName w:val="SimHei"/>"#));

    // The map: one PNG, decodable, with the application's fill and no conflict colour.
    let media: Vec<&String> = parts
        .keys()
        .filter(|k| k.starts_with("word/media/"))
        .collect();
    assert_eq!(media.len(), 1, "{media:?}");
    assert!(media[0].ends_with(".png"));
    let img = decode_png(&parts[media[0]]);
    assert_eq!((img.width, img.height), (1600, 1200));
    assert!(img.count([0xDD, 0xE8, 0xF7]) > 1000, "application fill");
    assert_eq!(img.count(ConflictKind::EcologicalRedLine.colour()), 0);
    assert!(
        doc.contains(r#"r:embed="rIdImageMap""#),
        "the picture is referenced"
    );
}

#[test]
fn failing_review_marks_the_red_line_conflict() {
    let review = failing();
    assert_eq!(review.conclusion, Conclusion::NonConforming);
    let r8 = review.rule("R8").unwrap();
    assert_eq!(r8.outcome, RuleOutcome::Fail);
    let part = &r8.conflicts[0];
    let parts = docx_parts(review);
    let doc = text(&parts, "word/document.xml");
    let words = plain(&doc);

    assert!(
        words.contains("规划符合性审查结论为：\n不符合\n"),
        "conclusion"
    );
    assert!(words.contains("不符合事项及处理意见"));
    assert!(
        words.contains("申请范围须退出生态保护红线。"),
        "advice for R8"
    );
    // The conflicting part with its area and share.
    let line = format!("生态保护红线 {}", part.feature_id);
    assert!(words.contains(&line), "{line}");
    assert!(
        words.contains(&format!(
            "{:.2} m²（{:.2}%）",
            part.area_m2, part.percent_of_application
        )),
        "area of the part"
    );
    // 不符合 in the rule table is red and bold: find the R8 row's outcome run.
    let row_start = doc.find(r8.title).unwrap();
    let after = &doc[row_start..];
    let fail_at = after.find(">不符合</w:t>").unwrap();
    let run_start = after[..fail_at].rfind("<w:r>").unwrap();
    let run = &after[run_start..fail_at];
    assert!(run.contains(r#"<w:color w:val="C00000""#), "{run}");
    assert!(run.contains("<w:b "), "{run}");

    // The map shows the conflict in the red line's green.
    let media = parts.keys().find(|k| k.starts_with("word/media/")).unwrap();
    let img = decode_png(&parts[media]);
    let green = ConflictKind::EcologicalRedLine.colour();
    let n = img.count(green);
    // The part is about a quarter of a 200 m square; at the map's scale that is thousands of
    // pixels.
    assert!(n > 5000, "{n} green pixels");
    assert!(words.contains("与生态保护红线重叠部分"), "legend entry");
}

#[test]
fn a_pending_check_lists_what_to_check_and_how() {
    let review = pending_check();
    assert_eq!(review.conclusion, Conclusion::ConformingPendingCheck);
    assert_eq!(review.rule("R4").unwrap().outcome, RuleOutcome::ManualCheck);
    let words = plain(&text(&docx_parts(review), "word/document.xml"));
    assert!(words.contains("规划符合性审查结论为：\n基本符合（需人工核查）\n"));
    assert!(words.contains("须人工核查事项"));
    assert!(!words.contains("不符合事项及处理意见"));
    assert!(words.contains("补充资源量或服务年限资料后核算规模与资源量是否相适应。"));
    assert!(words.contains("上述事项经核查无误并记录后，方可认定该申请符合规划。"));
    assert!(words.contains("保有资源量\n未填报\n"), "reserves not filed");
}

#[test]
fn the_part_outside_the_block_is_orange_on_the_map() {
    let review = shifted();
    let r2 = review.rule("R2").unwrap();
    assert_eq!(r2.outcome, RuleOutcome::Fail);
    let part = &r2.conflicts[0];
    let parts = docx_parts(review);
    let words = plain(&text(&parts, "word/document.xml"));
    assert!(words.contains(&format!(
        "超出规划区块部分 231081-C05 {}：{:.2} m²（{:.2}%）",
        part.feature_name.as_deref().unwrap(),
        part.area_m2,
        part.percent_of_application
    )));
    assert!(
        words.contains("申请范围须调整至相应规划区块内"),
        "advice for R2"
    );
    let media = parts.keys().find(|k| k.starts_with("word/media/")).unwrap();
    let img = decode_png(&parts[media]);
    let orange = img.count(ConflictKind::OutsideBlock.colour());
    let fill = img.count([0xDD, 0xE8, 0xF7]);
    // Orange pixels against the application's pale fill: the share the review states.
    let share = orange as f64 / (orange + fill) as f64 * 100.0;
    assert!(
        (share - part.percent_of_application).abs() < 3.0,
        "{share} % orange vs {} %",
        part.percent_of_application
    );
}

#[test]
fn options_name_the_bureau_number_and_signatories() {
    let opts = DocxOptions {
        bureau: Some("某县自然资源局".into()),
        document_number: Some("某自然资审〔2026〕12号".into()),
        signers: vec![
            Signer {
                title: "承办人".into(),
                name: Some("张三".into()),
            },
            Signer::blank("审核人"),
            Signer {
                title: "签发人".into(),
                name: Some("李四".into()),
            },
        ],
        seal_caption: "（盖章）".into(),
        map_width_px: 800,
    };
    let bytes = review_docx(passing(), plan(), &opts).unwrap();
    let parts = unzip(&bytes);
    let words = plain(&text(&parts, "word/document.xml"));
    for s in [
        "某县自然资源局",
        "某自然资审〔2026〕12号",
        "承办人：张三",
        "审核人：＿＿＿＿＿＿＿＿",
        "签发人：李四",
        "（盖章）",
    ] {
        assert!(words.contains(s), "missing {s}");
    }
    assert!(!words.contains("绥芬河市自然资源局"));
    let core = text(&parts, "docProps/core.xml");
    assert!(
        core.contains("<dc:creator>某县自然资源局</dc:creator>"),
        "{core}"
    );
    let media = parts.keys().find(|k| k.starts_with("word/media/")).unwrap();
    assert_eq!(decode_png(&parts[media]).width, 800);
}

/// The bureau's conventions, read from the XML of every kind of opinion.
#[test]
fn the_opinion_follows_the_bureaus_conventions() {
    let opts = DocxOptions {
        document_number: Some("绥自然资审〔2026〕7号".into()),
        ..DocxOptions::default()
    };
    for review in [passing(), pending_check(), failing(), shifted()] {
        let parts = unzip(&review_docx(review, plan(), &opts).unwrap());
        let doc = text(&parts, "word/document.xml");
        let words = plain(&doc);
        let all: String = parts
            .iter()
            .filter(|(k, _)| k.ends_with(".xml"))
            .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
            .collect();
        // No product name anywhere in the package, no machine time or identifier in the text.
        assert!(!all.to_lowercase().contains("minplan"), "product name");
        assert!(!has_iso_time(&words), "an ISO time in:\n{words}");
        for id in ["plan:", "layer:", "user:", "cli:"] {
            assert!(!words.contains(id), "machine id {id}");
        }
        // The bureau, the 文号 and the Beijing date of the review.
        assert!(words.contains("绥芬河市自然资源局"));
        assert!(words.contains("绥自然资审〔2026〕7号"));
        let date = minplan_report::people_date(Some(&review.reviewed_at));
        assert!(date.ends_with('日') && words.contains(&date), "{date}");
        // Every row stays on one page; header rows repeat.
        assert_eq!(
            doc.matches("<w:tr>").count(),
            doc.matches("<w:cantSplit />").count(),
            "every row cantSplit"
        );
        assert!(doc.contains("<w:tblHeader />"));
        // Fonts per GB/T 9704 role.
        for font in [
            "方正小标宋简体",
            "仿宋_GB2312",
            "黑体",
            "楷体_GB2312",
            "宋体",
        ] {
            assert!(
                doc.contains(&format!(r#"w:eastAsia="{font}""#)),
                "no run in {font}"
            );
        }
        // Each document once in 七、审查依据.
        let basis = &words[words.find("七、审查依据").unwrap()..words.find("\n备注").unwrap()];
        for code in ["GB 32100-2015", "TD/T 1055-2019"] {
            assert!(basis.matches(code).count() <= 1, "{code} in {basis}");
        }
        assert!(basis.contains("GB 32100-2015"));
        // The schematic layers' shared source sentence once.
        let note = "规划文本未附矢量数据，按县域内合理位置绘制";
        assert!(words.matches(note).count() <= 1, "{note}");
        // A 符合 opinion opens with its summary page.
        let summary = words.contains("审查意见书（摘要）");
        assert_eq!(summary, review.conclusion == Conclusion::Conforming);
    }
}

/// A review at 17:30 UTC on 5 December is dated 6 December (Beijing).
#[test]
fn the_date_is_the_beijing_date_of_the_review() {
    let mut review = passing().clone();
    review.reviewed_at = "2026-12-05T17:30:00.123456Z".into();
    let words = plain(&text(
        &unzip(&review_docx(&review, plan(), &DocxOptions::default()).unwrap()),
        "word/document.xml",
    ));
    assert!(words.contains("2026年12月6日"), "{words}");
    assert!(!words.contains("2026年12月5日"));
}

/// `YYYY-MM-DDTHH:MM:SS` anywhere in the text.
fn has_iso_time(s: &str) -> bool {
    let b = s.as_bytes();
    (0..b.len().saturating_sub(8)).any(|i| {
        b[i] == b'T'
            && i >= 2
            && b[i - 1].is_ascii_digit()
            && b[i + 1].is_ascii_digit()
            && b[i + 2].is_ascii_digit()
            && b[i + 3] == b':'
    })
}

#[test]
fn the_same_review_gives_the_same_bytes() {
    let a = review_docx(failing(), plan(), &DocxOptions::default()).unwrap();
    let b = review_docx(failing(), plan(), &DocxOptions::default()).unwrap();
    assert!(a == b, "two runs differ");
}

#[test]
fn a_bad_map_width_is_an_error_in_chinese() {
    let opts = DocxOptions {
        map_width_px: 10,
        ..DocxOptions::default()
    };
    let e = review_docx(passing(), plan(), &opts).unwrap_err();
    assert!(e.to_string().contains("示意图宽度 10 像素"), "{e}");
}

#[test]
fn without_the_plan_text_the_opinion_marks_citations_unchecked() {
    let plan = plan_without_text();
    let review = run_on(plan, &quarry(&block_ring("231081-C05")));
    // The stored review carries the mark on every citation.
    let json = serde_json::to_string(&review).unwrap();
    assert!(json.contains("五（一）（未核对）"), "review JSON");
    let bytes = review_docx(&review, plan, &DocxOptions::default()).unwrap();
    let words = plain(&text(&unzip(&bytes), "word/document.xml"));
    let r6 = review.rules.iter().find(|r| r.id == "R6").unwrap();
    assert!(!r6.cites.is_empty());
    assert!(
        words.contains("《规划》五（一）（未核对）"),
        "the opinion marks the citation:\n{words}"
    );
    // No citation is shown as verified.
    for r in &review.rules {
        for c in &r.cites {
            assert!(!c.checked(), "{} {c}", r.id);
            assert!(!words.contains(&format!("{}\n", c.place())), "{} {c}", r.id);
        }
    }
    // With the text the same citation is verified and unmarked.
    let bytes = review_docx(passing(), common::plan(), &DocxOptions::default()).unwrap();
    let words = plain(&text(&unzip(&bytes), "word/document.xml"));
    assert!(words.contains("《规划》五（一）"));
    assert!(!words.contains("未核对"));
}
