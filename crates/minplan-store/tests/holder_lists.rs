//! 异常名录 and 严重违法失信名单 as workflows in the store: the rows of the plain add/remove
//! list migrated (0017), every step with its audit row, refusals that write nothing, a
//! company's application limited to its own entries, and the lists on a date.

use minplan_domain::date::Date;
use minplan_domain::supervision::listing::{
    EntryStatus, HolderList, ListingReason, ListingRequest, Removal, Verification,
    VerificationMethod, VerificationResult,
};
use minplan_store::{Actor, AuditFilter, ListEntryQuery, Store, StoreError, UploadedFile};

const CODE: &str = "91231081MA1BQF0013";

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn request() -> ListingRequest {
    ListingRequest {
        list: HolderList::Abnormal,
        holder_name: "绥芬河市庆发建材有限公司".into(),
        credit_code: CODE.into(),
        reason: ListingReason::FundNotAccrued,
        reason_text: String::new(),
        decision_number: "绥自然资异〔2026〕5号".into(),
        decision_date: d("2026-03-02"),
    }
}

async fn audit_rows(store: &Store) -> usize {
    store
        .audit_list(&AuditFilter::default())
        .await
        .unwrap()
        .len()
}

async fn step_rows(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM list_steps")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn rows_of_the_old_list_are_migrated() {
    let dir = tempfile::tempdir().unwrap();
    let before = dir.path().join("before");
    std::fs::create_dir(&before).unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    for f in std::fs::read_dir(&src).unwrap() {
        let f = f.unwrap();
        let name = f.file_name().into_string().unwrap();
        if name.as_str() < "0017" {
            std::fs::copy(f.path(), before.join(&name)).unwrap();
        }
    }
    let db = dir.path().join("m.sqlite");
    {
        let opts = sqlx::sqlite::SqliteConnectOptions::new()
            .filename(&db)
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(opts).await.unwrap();
        sqlx::migrate::Migrator::new(before.as_path())
            .await
            .unwrap()
            .run(&pool)
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO holder_list_entries (list, credit_code, name, reason, since, removed_at) VALUES
             ('abnormal', '91231081MA1BQF0013', '庆发建材', '未按期公示年度信息', '2026-05-01', NULL),
             ('serious_violation', '91231081MA1BXY007Q', '老庆发石材厂', '无证开采', '2025-01-10', '2026-03-31T17:00:00Z')",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let store = Store::open(&db).await.unwrap();
    let all = store
        .list_entries(&ListEntryQuery::default())
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let listed = &all[0].entry;
    assert_eq!(listed.listing().holder_name, "庆发建材");
    assert_eq!(listed.listing().reason, ListingReason::Other);
    assert_eq!(listed.listing().reason_display(), "未按期公示年度信息");
    assert_eq!(listed.listing().decision_number, "未录入");
    assert_eq!(listed.status(), EntryStatus::Listed);
    let removed = &all[1].entry;
    assert_eq!(removed.status(), EntryStatus::Removed);
    // Removed at 2026-03-31 17:00 UTC = 2026-04-01 in Beijing.
    assert_eq!(removed.removal().unwrap().decision_date, d("2026-04-01"));
    let on = store.holder_lists_on(d("2026-03-31")).await.unwrap();
    assert_eq!(on.serious_violation.len(), 1);
    assert!(on.abnormal.is_empty());
    let on = store.holder_lists_on(d("2026-05-01")).await.unwrap();
    assert_eq!(on.abnormal.len(), 1);
    assert!(on.serious_violation.is_empty());
}

#[tokio::test]
async fn workflow_steps_are_audited_and_refusals_write_nothing() {
    let store = Store::open_in_memory().await.unwrap();
    let a0 = audit_rows(&store).await;
    let mut bad = request();
    bad.decision_number = String::new();
    match store.list_holder(&bad, &Actor::System).await {
        Err(StoreError::Invalid(p)) => assert_eq!(p[0].field, "decision_number"),
        other => panic!("{other:?}"),
    }
    assert_eq!(audit_rows(&store).await, a0);
    let id = store.list_holder(&request(), &Actor::System).await.unwrap();
    assert_eq!(audit_rows(&store).await, a0 + 1);
    assert_eq!(step_rows(&store).await, 1);

    // A removal before any 核验: refused, nothing written.
    let removal = Removal {
        decision_number: "绥自然资移〔2026〕7号".into(),
        decision_date: d("2026-04-20"),
    };
    match store
        .remove_listed_holder(id, &removal, &Actor::System)
        .await
    {
        Err(StoreError::Invalid(p)) => assert!(p[0].message.contains("核验")),
        other => panic!("{other:?}"),
    }
    assert_eq!(step_rows(&store).await, 1);
    assert_eq!(audit_rows(&store).await, a0 + 1);

    // Another company's application: not found, nothing written.
    let file = UploadedFile {
        file_name: "缴存凭证.pdf".into(),
        bytes: b"%PDF-1.4 test".to_vec(),
    };
    assert!(matches!(
        store
            .apply_list_removal(
                id,
                Some("91231081MA1BXY007Q"),
                d("2026-04-01"),
                "已计提",
                std::slice::from_ref(&file),
                &Actor::System
            )
            .await,
        Err(StoreError::NotFound(_))
    ));
    // An attachment over 10 MB: refused.
    let big = UploadedFile {
        file_name: "大文件.pdf".into(),
        bytes: vec![0; 10 * 1024 * 1024 + 1],
    };
    assert!(matches!(
        store
            .apply_list_removal(
                id,
                Some(CODE),
                d("2026-04-01"),
                "已计提",
                &[big],
                &Actor::System
            )
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(step_rows(&store).await, 1);

    let e = store
        .apply_list_removal(
            id,
            Some(CODE),
            d("2026-04-01"),
            "已计提基金",
            &[file],
            &Actor::System,
        )
        .await
        .unwrap();
    assert_eq!(e.status(), EntryStatus::Applied);
    let stored = store.list_entry(id).await.unwrap();
    let (att_id, att) = &stored.steps[1].files[0];
    assert_eq!(att.size_bytes, 13);
    assert_eq!(att.sha256.len(), 64);
    let (name, bytes) = store.list_attachment(id, *att_id).await.unwrap();
    assert_eq!(name, "缴存凭证.pdf");
    assert_eq!(bytes, b"%PDF-1.4 test");

    // The queue of applications.
    let queue = store
        .list_entries(&ListEntryQuery {
            statuses: vec![EntryStatus::Applied],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(queue.len(), 1);

    store
        .verify_list_removal(
            id,
            &Verification {
                method: VerificationMethod::Field,
                result: VerificationResult::Approve,
                reason: "实地核查基金账户已计提".into(),
                verified_on: d("2026-04-10"),
            },
            &Actor::System,
        )
        .await
        .unwrap();
    store
        .remove_listed_holder(id, &removal, &Actor::System)
        .await
        .unwrap();
    let stored = store.list_entry(id).await.unwrap();
    assert_eq!(stored.steps.len(), 4);
    assert_eq!(stored.steps[3].recorded_by, "system");
    assert_eq!(audit_rows(&store).await, a0 + 4);
    let public = store.list_entries_public().await.unwrap();
    assert_eq!(public[0].removed_on.as_deref(), Some("2026-04-20"));
    assert_eq!(public[0].list, "矿业权人异常名录");
    assert_eq!(public[0].reason, "未按规定计提矿山地质环境治理恢复基金");
    // The steps cannot be changed afterwards.
    assert!(
        sqlx::query("DELETE FROM list_steps")
            .execute(store.pool())
            .await
            .is_err()
    );
}

#[tokio::test]
async fn verification_limit_is_a_bureau_setting() {
    let store = Store::open_in_memory().await.unwrap();
    assert_eq!(store.list_verification_limit().await.unwrap(), 10);
    store
        .set_list_verification_limit(15, &Actor::System)
        .await
        .unwrap();
    assert_eq!(store.list_verification_limit().await.unwrap(), 15);
    assert!(
        store
            .set_list_verification_limit(0, &Actor::System)
            .await
            .is_err()
    );
    assert_eq!(store.list_verification_limit().await.unwrap(), 15);
}
