//! The bureau's settings and numbering: every field's problem at once, an audit row for a
//! change, 受理号 and 文号 sequences that never give a number twice, a refused save that
//! consumes no number, and an opinion that keeps its 文号.

#[allow(dead_code)]
mod common;

use minplan_store::settings::beijing_year;
use minplan_store::{Actor, AuditFilter, BureauSettings, ReviewEngine, Store, StoreError};

async fn save(store: &Store, toml: &str, corners: &(String, Vec<u8>)) -> Result<i64, StoreError> {
    let engine = ReviewEngine::load(store).await.unwrap();
    let app = engine.parse(toml, Some(&corners.1)).unwrap();
    engine
        .review_and_save(
            store,
            &app,
            toml,
            Some((corners.0.as_str(), corners.1.as_slice())),
            &Actor::System,
        )
        .await
        .map(|x| x.0)
}

fn example(name: &str, corners: &str) -> (String, (String, Vec<u8>)) {
    (
        std::fs::read_to_string(common::example(name)).unwrap(),
        (
            corners.to_string(),
            std::fs::read(common::example(corners)).unwrap(),
        ),
    )
}

async fn audit_rows(store: &Store) -> usize {
    store
        .audit_list(&AuditFilter::default())
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn settings_are_checked_whole_and_audited() {
    let store = common::seeded().await;
    let e = store.effective_settings("绥芬河市").await.unwrap();
    assert_eq!(e.bureau_name, "绥芬河市自然资源局");
    assert_eq!(e.opinion_number_pattern, "绥自然资审〔{年}〕{号}号");
    assert_eq!(e.defaulted.len(), 5, "{:?}", e.defaulted);
    let before = audit_rows(&store).await;
    let bad = BureauSettings {
        bureau_name: Some("某".repeat(50)),
        opinion_number_pattern: Some("〔{年}〕".into()),
        intake_number_pattern: Some("SFH-{号}".into()),
        signers: None,
        seal_caption: None,
    };
    match store.set_bureau_settings(&bad, &Actor::System).await {
        Err(StoreError::Invalid(fields)) => {
            let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
            assert_eq!(
                names,
                [
                    "bureau_name",
                    "opinion_number_pattern",
                    "intake_number_pattern"
                ]
            );
            assert!(
                fields[2].message.contains("受理号格式"),
                "{}",
                fields[2].message
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        store.bureau_settings().await.unwrap(),
        BureauSettings::default()
    );
    assert_eq!(audit_rows(&store).await, before, "nothing written");
    let good = BureauSettings {
        bureau_name: Some("绥芬河市自然资源局".into()),
        intake_number_pattern: Some("SFH-{年}-{号:03}".into()),
        signers: Some(vec!["经办人".into(), "  ".into(), "负责人".into()]),
        ..BureauSettings::default()
    };
    store
        .set_bureau_settings(&good, &Actor::System)
        .await
        .unwrap();
    let e = store.effective_settings("绥芬河市").await.unwrap();
    assert_eq!(e.signers, ["经办人", "负责人"]);
    assert_eq!(e.intake_number_pattern, "SFH-{年}-{号:03}");
    assert_eq!(
        e.defaulted,
        ["opinion_number_pattern", "seal_caption"],
        "blank fields keep their default"
    );
    let rows = store.audit_list(&AuditFilter::default()).await.unwrap();
    assert_eq!(rows.len(), before + 1);
    assert!(rows.iter().any(|r| r.action == "settings.update"));
}

#[tokio::test]
async fn numbers_are_never_given_twice_and_a_refused_save_takes_none() {
    let store = common::seeded().await;
    store
        .set_bureau_settings(
            &BureauSettings {
                intake_number_pattern: Some("SFH-{年}-{号:03}".into()),
                ..BureauSettings::default()
            },
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(
        store.next_intake_number(2026).await.unwrap(),
        "SFH-2026-001"
    );
    let (qingfa, qc) = example("01-qingfa-quarry.toml", "01-qingfa-quarry.txt");
    let first = save(&store, &qingfa, &qc).await.unwrap();
    assert_eq!(
        store.next_intake_number(2026).await.unwrap(),
        "SFH-2026-002"
    );
    assert_eq!(
        store.next_intake_number(2027).await.unwrap(),
        "SFH-2027-001"
    );
    // The same application reviewed again keeps its number and takes no new one.
    save(&store, &qingfa, &qc).await.unwrap();
    assert_eq!(
        store.next_intake_number(2026).await.unwrap(),
        "SFH-2026-002"
    );

    // Another applicant's application under the same number: refused, naming the field;
    // nothing written, no number consumed.
    let (geo, gc) = example("03-bielewa-geothermal.toml", "03-bielewa-geothermal.txt");
    let dup = geo.replace("SFH-2026-003", "SFH-2026-001");
    let rows = audit_rows(&store).await;
    match save(&store, &dup, &gc).await {
        Err(StoreError::Invalid(f)) => {
            assert_eq!(f[0].field, "number");
            assert!(f[0].message.contains("SFH-2026-001"), "{}", f[0].message);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(audit_rows(&store).await, rows);
    assert_eq!(
        store.next_intake_number(2026).await.unwrap(),
        "SFH-2026-002"
    );
    // A number typed ahead of the sequence moves it on (the clerk's choice, not silent).
    let ahead = geo.replace("SFH-2026-003", "SFH-2026-005");
    let second = save(&store, &ahead, &gc).await.unwrap();
    assert_eq!(
        store.next_intake_number(2026).await.unwrap(),
        "SFH-2026-006"
    );

    // 文号: the year of the review's Beijing date, one per opinion, kept when asked again.
    let year = beijing_year(&minplan_store::now_rfc3339()).unwrap();
    let a = store
        .opinion_number(first, "绥芬河市", &Actor::System)
        .await
        .unwrap();
    assert_eq!(a, format!("绥自然资审〔{year}〕1号"));
    // An unknown review: refused, and the sequence does not move.
    assert!(matches!(
        store
            .opinion_number(9_999, "绥芬河市", &Actor::System)
            .await,
        Err(StoreError::NotFound(_))
    ));
    let b = store
        .opinion_number(second, "绥芬河市", &Actor::System)
        .await
        .unwrap();
    assert_eq!(b, format!("绥自然资审〔{year}〕2号"));
    for _ in 0..3 {
        assert_eq!(
            store
                .opinion_number(first, "绥芬河市", &Actor::System)
                .await
                .unwrap(),
            a,
            "downloaded again: the same 文号"
        );
    }
    let numbered = store
        .audit_list(&AuditFilter::default())
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.action == "opinion.number")
        .count();
    assert_eq!(numbered, 2, "one audit row per number given");

    // The issuer is frozen with the 文号: later 机关设置 change neither the number nor the
    // bureau, signers, seal caption and pattern printed under it.
    let issued = store
        .issue_opinion(first, "绥芬河市", &Actor::System)
        .await
        .unwrap();
    assert_eq!(issued.number, a);
    assert_eq!(issued.bureau_name, "绥芬河市自然资源局");
    assert_eq!(issued.signers, ["承办人", "审核人", "签发人"]);
    assert_eq!(issued.seal_caption, "（印章）");
    assert_eq!(issued.opinion_number_pattern, "绥自然资审〔{年}〕{号}号");
    store
        .set_bureau_settings(
            &BureauSettings {
                bureau_name: Some("某某县自然资源和规划局".into()),
                opinion_number_pattern: Some("某审字〔{年}〕第{号}号".into()),
                intake_number_pattern: None,
                signers: Some(vec!["经办人".into()]),
                seal_caption: Some("（公章）".into()),
            },
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .issue_opinion(first, "绥芬河市", &Actor::System)
            .await
            .unwrap(),
        issued
    );
    assert_eq!(
        store.issued_opinion(first, "绥芬河市").await.unwrap(),
        Some(issued)
    );
    // A number given after the change carries the new issuer.
    let third = save(&store, &geo.replace("SFH-2026-003", "SFH-2026-009"), &gc)
        .await
        .unwrap();
    let later = store
        .issue_opinion(third, "绥芬河市", &Actor::System)
        .await
        .unwrap();
    assert_eq!(later.number, format!("某审字〔{year}〕第3号"));
    assert_eq!(later.bureau_name, "某某县自然资源和规划局");
    assert_eq!(later.signers, ["经办人"]);
    assert_eq!(later.seal_caption, "（公章）");
    // No number assigned: nothing issued.
    assert_eq!(store.issued_opinion(9_999, "绥芬河市").await.unwrap(), None);
}
