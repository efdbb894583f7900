//! 检查记录 over HTTP: a check with a 责令限期整改 item (整改期限 in working days across 春节
//! 2026 and its 调休 Saturdays), the company's 整改报告, the 验收; the company sees its own
//! records only (another's answers 404); a check with one inspector, evidence of a wrong type
//! or over 10 MB is refused with nothing written; the Word documents carry the holder and the
//! Beijing date; the year's 抽查结果; the public results carry no inspector.

mod common;

use common::{audit_rows, logged_in, start, token};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use std::io::Read;

const OWN_CODE: &str = "91350100M000100Y43";
/// A JPEG's first bytes and some more.
const JPG: &[u8] = &[
    0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 2, 3,
];

struct Seeded {
    targets: Vec<i64>,
    inspectors: Vec<i64>,
    plan: i64,
}

async fn seed(srv: &common::Server) -> Seeded {
    let (plan, targets, inspectors) = srv
        .store
        .seed_check_targets_for_tests(
            2026,
            &[
                ("K01", "勘查开采信息公示"),
                ("K02", "矿山地质环境保护与土地复垦"),
            ],
            &[("张检查", Some("zhifa")), ("李监察", None)],
            &[
                ("C-CHECK-1", "矩阵公司", Some(OWN_CODE)),
                ("C-CHECK-2", "他人公司", Some("91350100M000200X12")),
            ],
        )
        .await
        .unwrap();
    Seeded {
        targets,
        inspectors,
        plan,
    }
}

/// The check form as multipart, with `csrf_token`.
fn check_form(csrf: &str, inspectors: &[i64], evidence: Option<(&str, Vec<u8>)>) -> Form {
    let mut f = Form::new()
        .text("csrf_token", csrf.to_string())
        .text("check_date", "2026-02-10")
        .text("method", "现场检查")
        .text("finding_0", "责令限期整改")
        .text("note_0", "未按期公示2025年度勘查开采信息")
        .text("finding_1", "合格")
        .text("note_1", "")
        .text("rectify_days", "10");
    for i in inspectors {
        f = f.text(format!("inspector_{i}"), "1");
    }
    if let Some((name, bytes)) = evidence {
        f = f.part("evidence", Part::bytes(bytes).file_name(name.to_string()));
    }
    f
}

async fn docx_xml(c: &reqwest::Client, url: &str) -> String {
    let r = c.get(url).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{url}");
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

async fn text(c: &reqwest::Client, url: &str) -> (StatusCode, String) {
    let r = c.get(url).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test]
async fn check_rectify_report_and_accept_end_to_end() {
    let srv = start().await;
    let base = &srv.base;
    let s = seed(&srv).await;
    let (t1, t2) = (s.targets[0], s.targets[1]);
    let zhifa = logged_in(base, "zhifa").await;

    // The task list: the login's own tasks, the filter.
    let (st, html) = text(&zhifa, &format!("{base}/checks?mine=1")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        html.contains("C-CHECK-1") && html.contains("我的任务（2）"),
        "{html}"
    );
    // The form for the phone: camera photos and PDFs.
    let (st, html) = text(&zhifa, &format!("{base}/checks/{t1}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains(r#"accept="image/*,application/pdf" capture"#));
    assert!(html.contains("勘查开采信息公示") && html.contains("张检查"));

    let csrf = token(&zhifa, base).await;
    let r = zhifa
        .post(format!("{base}/checks/{t1}"))
        .multipart(check_form(
            &csrf,
            &s.inspectors,
            Some(("现场照片.jpg", JPG.to_vec())),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "{}",
        r.text().await.unwrap()
    );
    let (_, html) = text(&zhifa, &format!("{base}/checks/{t1}")).await;
    // 2026-02-10 + 10 working days: 11, 12, 13, Sat 14 (调休), [15–23 春节], 24, 25, 26, 27,
    // Sat 28 (调休), Mon 3-2 — Monday to Friday would have said 2026-02-24.
    assert!(
        html.contains("2026年3月2日（自检查日期起 10 个工作日）"),
        "{html}"
    );
    assert!(!html.contains("2026年2月24日"));
    assert!(html.contains(r#"id="record-stage">整改中"#));
    let sha = minplan_store::checks::sha256_hex(JPG);
    assert!(html.contains(&format!("SHA-256：{sha}")), "{html}");
    assert!(html.contains("现场照片.jpg"));
    // Overdue today (the deadline was 2026-03-02).
    assert!(html.contains("已逾期"));
    // The other target too, for the company's 404.
    let r = zhifa
        .post(format!("{base}/checks/{t2}"))
        .multipart(check_form(&csrf, &s.inspectors, None))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The documents: a zip, the holder, the Beijing dates.
    let x = docx_xml(&zhifa, &format!("{base}/checks/{t1}/record.docx")).await;
    assert!(x.contains("矩阵公司") && x.contains("2026年2月10日"));
    assert!(x.contains(&sha));
    assert!(!x.contains("minplan"));
    let x = docx_xml(&zhifa, &format!("{base}/checks/{t1}/notice.docx")).await;
    assert!(x.contains("矩阵公司") && x.contains("即2026年3月2日前完成整改"));

    // The workbench reminds 执法监察 of the overdue deadline.
    let (_, html) = text(&zhifa, &format!("{base}/workbench")).await;
    assert!(html.contains("id=\"check-deadlines\""));
    assert!(
        html.contains("C-CHECK-1 矩阵公司：整改期限 2026年3月2日，已逾期"),
        "{html}"
    );

    // The company: its own record, not the other's.
    let qiye = logged_in(base, "qiye").await;
    let (st, html) = text(&qiye, &format!("{base}/company/checks")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("C-CHECK-1") && !html.contains("C-CHECK-2"));
    assert!(html.contains("整改期限 2026年3月2日，已逾期"));
    let (_, html) = text(&qiye, &format!("{base}/workbench")).await;
    assert!(html.contains("/company/checks/"));
    let (st, html) = text(&qiye, &format!("{base}/company/checks/{t1}")).await;
    assert_eq!(st, StatusCode::OK);
    // The company sees who checked it (they showed their credentials), not their 执法证号.
    assert!(html.contains("报送整改报告") && html.contains("张检查") && !html.contains("T2026"));
    let (st, _) = text(&qiye, &format!("{base}/company/checks/{t2}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let csrf_q = token(&qiye, base).await;
    let rows_before = audit_rows(&srv.store).await;
    let r = qiye
        .post(format!("{base}/company/checks/{t2}/report"))
        .multipart(
            Form::new()
                .text("csrf_token", csrf_q.clone())
                .text("text", "不是我的"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(audit_rows(&srv.store).await, rows_before);
    // An empty report is refused, then the real one with a PDF.
    let r = qiye
        .post(format!("{base}/company/checks/{t1}/report"))
        .multipart(
            Form::new()
                .text("csrf_token", csrf_q.clone())
                .text("text", " "),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("请填写整改情况"));
    let r = qiye
        .post(format!("{base}/company/checks/{t1}/report"))
        .multipart(
            Form::new()
                .text("csrf_token", csrf_q.clone())
                .text("text", "已补充公示2025年度勘查开采信息")
                .part(
                    "file",
                    Part::bytes(b"%PDF-1.4 report".to_vec()).file_name("整改报告.pdf"),
                ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = text(&qiye, &format!("{base}/company/checks/{t1}")).await;
    assert!(html.contains(r#"id="record-stage">企业已报送整改报告"#));
    assert!(html.contains("逾期报送") && html.contains("整改报告.pdf"));

    // 验收合格 by the inspectors.
    let today = minplan_store::today();
    let r = zhifa
        .post(format!("{base}/checks/{t1}/acceptance"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("date", &today.to_string()),
            ("decision", "passed"),
            ("note", "已公示"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = text(&zhifa, &format!("{base}/checks/{t1}")).await;
    assert!(html.contains(r#"id="record-stage">验收合格"#));
    assert!(html.contains(&format!("{}：验收合格", today.chinese())));
    // The history: each step, in Chinese.
    for a in ["保存检查记录", "报送整改报告", "整改验收"] {
        assert!(html.contains(a), "history lacks {a}");
    }
    // A second 验收 is refused.
    let r = zhifa
        .post(format!("{base}/checks/{t1}/acceptance"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("date", &today.to_string()),
            ("decision", "passed"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // The public results: holder, licence, items, outcome — no inspector.
    let public = srv.store.check_results_public(s.plan).await.unwrap();
    assert_eq!(public.len(), 2);
    assert_eq!(public[0].licence_no, "C-CHECK-1");
    assert_eq!(public[0].holder_name, "矩阵公司");
    assert_eq!(public[0].finding, "责令限期整改");
    assert_eq!(public[0].outcome, "整改验收合格");
    assert_eq!(public[0].items[1].finding, "合格");
    let json = serde_json::to_string(&public).unwrap();
    assert!(!json.contains("张检查") && !json.contains("李监察") && !json.contains("T2026"));

    // The year's results: the summary counts, the table; a year without checks says 无数据.
    let x = docx_xml(&zhifa, &format!("{base}/checks/results.docx?year=2026")).await;
    assert!(
        x.contains("共抽取抽查对象 2 个，已检查 2 个，未检查 0 个"),
        "{x}"
    );
    assert!(
        x.contains("按抽查事项") && x.contains("勘查开采信息公示") && x.contains("整改验收合格")
    );
    let x = docx_xml(&zhifa, &format!("{base}/checks/results.docx?year=2019")).await;
    assert!(x.contains("无数据"));
    let r = zhifa
        .get(format!("{base}/checks/results.xlsx?year=2026"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut strings = String::new();
    zip.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut strings)
        .unwrap();
    assert!(strings.contains("C-CHECK-1") && strings.contains("整改验收合格"));
}

#[tokio::test]
async fn refused_checks_write_nothing() {
    let srv = start().await;
    let base = &srv.base;
    let s = seed(&srv).await;
    let t1 = s.targets[0];
    let zhifa = logged_in(base, "zhifa").await;
    let csrf = token(&zhifa, base).await;
    let before = audit_rows(&srv.store).await;

    // One inspector.
    let r = zhifa
        .post(format!("{base}/checks/{t1}"))
        .multipart(check_form(&csrf, &s.inspectors[..1], None))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("到场检查人员不少于 2 人（现为 1 人）")
    );

    // Evidence that is not a JPG, PNG or PDF (a GIF named .jpg).
    let r = zhifa
        .post(format!("{base}/checks/{t1}"))
        .multipart(check_form(
            &csrf,
            &s.inspectors,
            Some(("伪装.jpg", b"GIF89a....".to_vec())),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("文件“伪装.jpg”不是 JPG、PNG 图片或 PDF 文件")
    );

    // Evidence over 10 MB: the request is refused before the form is read (413).
    let mut big = vec![0u8; 10 * 1024 * 1024 + 1];
    big[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
    let r = zhifa
        .post(format!("{base}/checks/{t1}"))
        .multipart(check_form(
            &csrf,
            &s.inspectors,
            Some(("大.jpg", big.clone())),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // And the store refuses it by itself, naming the file.
    let draft = minplan_domain::supervision::checks::CheckDraft {
        check_date: minplan_domain::date::Date::parse("2026-02-10").unwrap(),
        method: minplan_domain::supervision::checks::CheckMethod::Onsite,
        items: vec![minplan_domain::supervision::checks::ItemFinding {
            item_code: "K01".into(),
            item_name: "勘查开采信息公示".into(),
            finding: minplan_domain::supervision::checks::Finding::Compliant,
            note: String::new(),
        }],
        inspectors: s.inspectors.clone(),
        rectify_days: None,
    };
    let e = srv
        .store
        .record_check(
            t1,
            &draft,
            &[minplan_store::checks::Upload {
                name: "大.jpg".into(),
                bytes: big,
            }],
            minplan_store::today(),
            &minplan_store::Actor::System,
        )
        .await
        .unwrap_err();
    assert!(
        e.to_string().contains("大.jpg") && e.to_string().contains("10 MB"),
        "{e}"
    );

    // Nothing was written.
    assert!(srv.store.check_record(t1).await.unwrap().is_none());
    assert_eq!(audit_rows(&srv.store).await, before);
    let (_, html) = text(&zhifa, &format!("{base}/checks/{t1}")).await;
    assert!(html.contains("id=\"check-form\""));

    // Other roles may not open the tasks; a company may not open the inspectors' page.
    let qiye = logged_in(base, "qiye").await;
    let (st, _) = text(&qiye, &format!("{base}/checks/{t1}")).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn more_evidence_a_failed_acceptance_and_a_refused_report_file() {
    let srv = start().await;
    let base = &srv.base;
    let s = seed(&srv).await;
    let t1 = s.targets[0];
    let zhifa = logged_in(base, "zhifa").await;
    let csrf = token(&zhifa, base).await;
    let r = zhifa
        .post(format!("{base}/checks/{t1}"))
        .multipart(check_form(&csrf, &s.inspectors, None))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // Evidence added later: a PNG, its hash shown.
    let png = b"\x89PNG\r\n\x1a\n-image-".to_vec();
    let r = zhifa
        .post(format!("{base}/checks/{t1}/evidence"))
        .multipart(
            Form::new()
                .text("csrf_token", csrf.clone())
                .part("evidence", Part::bytes(png.clone()).file_name("补拍.png")),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = text(&zhifa, &format!("{base}/checks/{t1}")).await;
    let sha = minplan_store::checks::sha256_hex(&png);
    assert!(html.contains("补拍.png") && html.contains(&sha));
    // The file downloads as uploaded.
    let rec = srv.store.check_record(t1).await.unwrap().unwrap();
    let r = zhifa
        .get(format!("{base}/checks/files/{}", rec.evidence[0].id))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.unwrap().to_vec(), png);
    // 验收 before a report is refused.
    let today = minplan_store::today().to_string();
    let r = zhifa
        .post(format!("{base}/checks/{t1}/acceptance"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("date", &today),
            ("decision", "passed"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("企业报送整改报告后才能验收")
    );

    // The company's report with a file that is not JPG/PNG/PDF: refused, nothing written.
    let qiye = logged_in(base, "qiye").await;
    let csrf_q = token(&qiye, base).await;
    let before = audit_rows(&srv.store).await;
    let r = qiye
        .post(format!("{base}/company/checks/{t1}/report"))
        .multipart(
            Form::new()
                .text("csrf_token", csrf_q.clone())
                .text("text", "已整改")
                .part(
                    "file",
                    Part::bytes(b"PK\x03\x04zip".to_vec()).file_name("整改.docx"),
                ),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("文件“整改.docx”不是 JPG、PNG 图片或 PDF 文件")
    );
    assert_eq!(audit_rows(&srv.store).await, before);
    let r = qiye
        .post(format!("{base}/company/checks/{t1}/report"))
        .multipart(
            Form::new()
                .text("csrf_token", csrf_q)
                .text("text", "已整改"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // 验收不合格, 5 more working days from the 验收 date; the record is 整改中 again.
    let r = zhifa
        .post(format!("{base}/checks/{t1}/acceptance"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("date", &today),
            ("decision", "retry"),
            ("rectify_days", "5"),
            ("note", "公示内容不完整"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let rec = srv.store.check_record(t1).await.unwrap().unwrap();
    let cal = srv.store.work_calendar().await.unwrap();
    let expected = cal.add_working_days(minplan_store::today(), 5);
    assert_eq!(rec.state.deadline, Some(expected.value));
    assert_eq!(rec.state.round, 2);
    let (_, html) = text(&zhifa, &format!("{base}/checks/{t1}")).await;
    assert!(html.contains(r#"id="record-stage">整改中"#));
    assert!(html.contains(&format!(
        "验收不合格，重新整改，新的整改期限 {}",
        expected.value.chinese()
    )));
    assert!(html.contains(&format!("{}（第 2 轮整改）", expected.value.chinese())));
}

#[tokio::test]
async fn a_deadline_in_a_year_outside_the_calendar_says_so() {
    let srv = start().await;
    let base = &srv.base;
    let s = seed(&srv).await;
    let t1 = s.targets[0];
    let zhifa = logged_in(base, "zhifa").await;
    let csrf = token(&zhifa, base).await;
    // 2023 is not among the built-in years (2024–2026) nor entered by the bureau.
    let form = check_form(&csrf, &s.inspectors, None).text("check_date", "2023-06-01");
    let r = zhifa
        .post(format!("{base}/checks/{t1}"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = text(&zhifa, &format!("{base}/checks/{t1}")).await;
    // Thursday 2023-06-01 + 10 working days Monday–Friday: 2023-06-15.
    assert!(
        html.contains(
            "2023年6月15日（自检查日期起 10 个工作日）；2023年节假日安排未录入，按周一至周五计"
        ),
        "{html}"
    );
    let x = docx_xml(&zhifa, &format!("{base}/checks/{t1}/notice.docx")).await;
    assert!(x.contains("2023年节假日安排未录入，按周一至周五计"));
}
