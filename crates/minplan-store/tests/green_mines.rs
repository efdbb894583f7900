//! 绿色矿山 in the store on the five-year scenario (`crates/minplan/tests/scenario`: on
//! 1 May 2026 别勒洼地热 and 金家沟 hold a 采矿权 in force, 庆发 is closed): the shipped 示例
//! checklist stored as version 1 at the first assessment, a bad upload refused with its lines and
//! nothing written, a new version that the running assessment does not take, refused and
//! accepted self-assessments, the scored evaluation (88.5 of 100, 达标), the 名录 and the share
//! of producing mines on it, and the committed mines' results.

#[path = "../../minplan/tests/scenario/mod.rs"]
mod scenario;

use minplan_domain::date::Date;
use minplan_domain::restoration::figures::Reading;
use minplan_domain::restoration::green::{
    AssessmentStatus, CommitmentResult, EXAMPLE_CHECKLIST, GreenLevel, GreenListing, ItemScore,
    Outcome, SelfAnswer,
};
use minplan_store::{Actor, AuditFilter, SelfInput, Store, StoreError, UploadedFile};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

async fn audit_rows(store: &Store) -> usize {
    store
        .audit_list(&AuditFilter::default())
        .await
        .unwrap()
        .len()
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

fn pdf(name: &str) -> UploadedFile {
    UploadedFile {
        file_name: name.into(),
        bytes: format!("%PDF-1.7 {name}").into_bytes(),
    }
}

#[tokio::test]
async fn checklist_assessment_evaluation_and_the_list() {
    let store = Store::open_in_memory().await.unwrap();
    let built = scenario::build(&store).await;
    let [geo, qingfa, jinjiagou] = built.mines;
    let actor = Actor::System;
    let on = d("2026-05-01");

    // Before anything: 2 producing mines, no 名录 kept → 无数据, not 0 %.
    let f = store.green_figures(on).await.unwrap();
    assert_eq!(f.producing_mines, 2);
    assert_eq!(f.green_mines.value(), None);
    assert_eq!(
        f.share_pct,
        Reading::Missing("无数据：尚未录入绿色矿山名录".into())
    );
    assert!(store.current_green_checklist().await.unwrap().is_none());

    // The first assessment stores the shipped example as version 1.
    let before = audit_rows(&store).await;
    let a = store
        .start_green_assessment(jinjiagou, d("2026-04-01"), &actor)
        .await
        .unwrap();
    assert_eq!(audit_rows(&store).await, before + 2);
    let v1 = store.current_green_checklist().await.unwrap().unwrap();
    assert_eq!(v1.version, 1);
    assert!(v1.example);
    assert_eq!(v1.source_name, "随附示例清单");
    // A second open assessment of the same mine is refused.
    let e = store
        .start_green_assessment(jinjiagou, d("2026-04-02"), &actor)
        .await
        .unwrap_err();
    assert!(
        matches!(e, StoreError::Invalid(ref v) if v[0].field == "mine"),
        "{e:?}"
    );

    // A bad file: every problem with its line, nothing written.
    let before = audit_rows(&store).await;
    let bad = EXAMPLE_CHECKLIST
        .replace("min_total = 80", "min_total = 180")
        .replacen(
            "score = 10\nrequired = true",
            "score = 0\nrequired = true",
            1,
        );
    let StoreError::Invalid(v) = store
        .upload_green_checklist("评价细则.toml", &bad, &actor)
        .await
        .unwrap_err()
    else {
        panic!("expected Invalid")
    };
    let lines: Vec<&str> = v.iter().map(|e| e.message.as_str()).collect();
    assert_eq!(v.len(), 2, "{lines:?}");
    assert_eq!(
        lines[0],
        "第 21 行 pass_rule.min_total：达标总分 180 高于各条目满分之和 90"
    );
    assert_eq!(
        lines[1],
        "第 53 行 items[1].score：分值应大于 0，文件写的是 0"
    );
    assert_eq!(audit_rows(&store).await, before);
    assert_eq!(store.green_checklists().await.unwrap().len(), 1);

    // A new version (not an example, threshold 85): the running assessment keeps version 1.
    let v2 = store
        .upload_green_checklist(
            "评价细则.toml",
            &EXAMPLE_CHECKLIST
                .replace("example = true", "example = false")
                .replace("min_total = 80", "min_total = 85"),
            &actor,
        )
        .await
        .unwrap();
    assert_eq!((v2.version, v2.example), (2, false));
    let rec = store.green_assessment(a).await.unwrap().unwrap();
    assert_eq!(rec.checklist.version, 1);
    assert_eq!(rec.items.len(), 12);
    assert_eq!(rec.status, AssessmentStatus::Draft);

    // Refused: a file that is not a picture or PDF; a submission with items unanswered.
    let before = audit_rows(&store).await;
    let answers: Vec<SelfInput> = GIVEN
        .iter()
        .map(|(c, _)| SelfInput {
            code: c.to_string(),
            answer: Some(SelfAnswer::Met),
            note: "已落实".into(),
        })
        .collect();
    let e = store
        .save_green_self_assessment(
            a,
            &answers[..2],
            &[(
                "5-1".into(),
                UploadedFile {
                    file_name: "布置图.docx".into(),
                    bytes: b"PK\x03\x04".to_vec(),
                },
            )],
            false,
            on,
            &actor,
        )
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "证明材料“布置图.docx”不是 JPEG、PNG 或 PDF 文件"
    );
    let StoreError::Invalid(v) = store
        .save_green_self_assessment(a, &answers[..2], &[], true, on, &actor)
        .await
        .unwrap_err()
    else {
        panic!()
    };
    // 5-1 and 5-2 claimed without evidence, 6-1 … 10-2 unanswered.
    assert_eq!(v.len(), 12);
    assert_eq!(v[0].field, "item.5-1");
    assert_eq!(audit_rows(&store).await, before);

    // Saved as a draft with one file, then submitted with the rest.
    let files: Vec<(String, UploadedFile)> = GIVEN
        .iter()
        .map(|(c, _)| (c.to_string(), pdf(&format!("{c}.pdf"))))
        .collect();
    store
        .save_green_self_assessment(a, &answers[..1], &files[..1], false, on, &actor)
        .await
        .unwrap();
    let rec = store
        .save_green_self_assessment(a, &answers, &files[1..], true, on, &actor)
        .await
        .unwrap();
    assert_eq!(rec.status, AssessmentStatus::Submitted);
    assert_eq!(rec.submitted_on, Some(on));
    assert_eq!(rec.items[0].files.len(), 1);
    // SHA-256 of "%PDF-1.7 5-1.pdf".
    assert_eq!(rec.items[0].files[0].sha256.len(), 64);
    let (name, bytes) = store
        .green_evidence(a, rec.items[0].files[0].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (name.as_str(), bytes),
        ("5-1.pdf", b"%PDF-1.7 5-1.pdf".to_vec())
    );
    assert_eq!(audit_rows(&store).await, before + 2);
    // No more changes once submitted.
    assert!(
        store
            .save_green_self_assessment(a, &answers, &[], false, on, &actor)
            .await
            .is_err()
    );

    // The bureau's evaluation by version 1's rule (80): 88.5, 达标.
    let scores: Vec<ItemScore> = GIVEN
        .iter()
        .map(|(c, s)| ItemScore {
            code: c.to_string(),
            score: *s,
            note: String::new(),
        })
        .collect();
    let e = store
        .evaluate_green_assessment(a, &scores[..11], d("2026-05-01"), &actor)
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "条目 10-2“（示例）按时公示矿山勘查开采信息，与周边社区和谐”尚未评分"
    );
    let ev = store
        .evaluate_green_assessment(a, &scores, d("2026-05-01"), &actor)
        .await
        .unwrap();
    assert_eq!(ev.total, 88.5);
    assert_eq!(ev.outcome, Outcome::Pass);
    let rec = store.green_assessment(a).await.unwrap().unwrap();
    assert_eq!(rec.status, AssessmentStatus::Evaluated(Outcome::Pass));
    assert_eq!(rec.total, Some(88.5));
    assert_eq!(rec.items[11].score, Some(4.5));

    // Commitments before the 名录: 金家沟 评估中 (达标, awaiting the list), the others 未自评.
    let c = store.green_commitments(on).await.unwrap();
    let results: Vec<(i64, CommitmentResult)> = c.iter().map(|r| (r.mine.id, r.result)).collect();
    assert_eq!(
        results,
        vec![
            (geo, CommitmentResult::NotAssessed),
            (qingfa, CommitmentResult::NotAssessed),
            (jinjiagou, CommitmentResult::Evaluating)
        ]
    );

    // The 名录: a blank 文号 is refused; 金家沟 at 县级 from 2026-05-01.
    let mut l = GreenListing {
        mine_id: jinjiagou,
        level: GreenLevel::County,
        date_in: d("2026-05-01"),
        document_number: String::new(),
        date_out: None,
    };
    assert!(store.add_green_listing(&l, &actor).await.is_err());
    l.document_number = "绥自然资发〔2026〕12号".into();
    let lid = store.add_green_listing(&l, &actor).await.unwrap();
    assert!(
        store.add_green_listing(&l, &actor).await.is_err(),
        "listed twice"
    );
    let f = store.green_figures(on).await.unwrap();
    assert_eq!(f.producing_mines, 2);
    assert_eq!(f.green_mines, Reading::Value(1));
    assert_eq!(f.share_pct, Reading::Value(50.0));
    assert_eq!(
        f.by_level,
        vec![
            ("县级".to_string(), 1),
            ("省级".to_string(), 0),
            ("国家级".to_string(), 0)
        ]
    );
    let c = store.green_commitments(on).await.unwrap();
    assert_eq!(c[2].result, CommitmentResult::Listed);
    // After 金家沟's licence ends (30 June 2026) only the geothermal mine produces: 0 %.
    let f = store.green_figures(d("2026-07-01")).await.unwrap();
    assert_eq!(f.producing_mines, 1);
    assert_eq!(f.share_pct, Reading::Value(0.0));
    // Removed from 1 June: on 2026-06-01 no longer on the list.
    store
        .remove_green_listing(lid, d("2026-06-01"), &actor)
        .await
        .unwrap();
    let f = store.green_figures(d("2026-06-01")).await.unwrap();
    assert_eq!(f.green_mines, Reading::Value(0));
}
