//! Accounts, login throttling and the audit trail: every write leaves an audit row with its
//! before/after values in its own transaction; tampering by direct SQL is detected and named.

use minplan_store::audit::{self, AuditProblem};
use minplan_store::throttle::LockScope;
use minplan_store::{
    Actor, AuditFilter, NewUser, Role, Store, StoreError, ThrottlePolicy, default_bundle,
};
use serde_json::Value;
use time::{Duration, OffsetDateTime};

const PW: &str = "Kuangchan-2025!";

async fn seeded() -> Store {
    let store = Store::open_in_memory().await.unwrap();
    store.seed_if_empty(&default_bundle()).await.unwrap();
    store
}

fn admin() -> Actor {
    Actor::User {
        id: 1,
        username: "root".into(),
    }
}

fn new_user(name: &str, role: Role) -> NewUser {
    NewUser {
        username: name.into(),
        display_name: String::new(),
        role,
        credit_code: (role == Role::Company).then(|| "91350100M000100Y43".into()),
    }
}

async fn audit_count(store: &Store) -> usize {
    store
        .audit_list(&AuditFilter::default())
        .await
        .unwrap()
        .len()
}

fn json(s: &Option<String>) -> Value {
    serde_json::from_str(s.as_deref().expect("json present")).unwrap()
}

#[tokio::test]
async fn seeding_records_import_and_activation() {
    let store = seeded().await;
    let rows = store.audit_trail("plan_version", "1").await.unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["plan.import", "plan.activate"]);
    assert!(rows.iter().all(|r| r.actor == "system"));
    assert_eq!(rows[0].before, None);
    let after = json(&rows[0].after);
    assert_eq!(after["adcode"], "231081");
    assert_eq!(after["version"], 1);
    assert_eq!(json(&rows[1].before)["active_plan_version_id"], Value::Null);
    assert_eq!(json(&rows[1].after)["active_plan_version_id"], 1);
    // The chain starts at the genesis hash and links.
    assert_eq!(rows[0].prev_hash, audit::GENESIS_HASH);
    assert_eq!(rows[1].prev_hash, rows[0].hash);
    assert!(audit::verify(&store).await.unwrap().intact());
}

#[tokio::test]
async fn account_writes_record_before_and_after() {
    let store = seeded().await;
    let u = store
        .add_user(&new_user("zhangsan", Role::Planning), PW, &admin())
        .await
        .unwrap();
    assert_eq!(u.display_name, "zhangsan");
    store
        .set_password("ZhangSan", "Another-pass-77", &admin())
        .await
        .unwrap();
    store
        .set_user_disabled("zhangsan", true, &admin())
        .await
        .unwrap();
    let rows = store.audit_trail("user", &u.id.to_string()).await.unwrap();
    let actions: Vec<&str> = rows.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["user.add", "user.password", "user.disable"]);
    assert!(rows.iter().all(|r| r.actor == "user:1:root"));
    assert_eq!(json(&rows[0].after)["role"], "planning");
    assert_eq!(json(&rows[2].before)["disabled"], false);
    assert_eq!(json(&rows[2].after)["disabled"], true);
    // The password hash never reaches the trail.
    for r in &rows {
        let text = format!("{:?}{:?}", r.before, r.after);
        assert!(!text.contains("argon2"), "{text}");
    }
    assert!(audit::verify(&store).await.unwrap().intact());
}

#[tokio::test]
async fn refused_writes_leave_no_audit_row() {
    let store = seeded().await;
    store
        .add_user(&new_user("lisi", Role::Approval), PW, &admin())
        .await
        .unwrap();
    let n = audit_count(&store).await;
    // Taken username (any case), weak password, company without credit code.
    let e = store
        .add_user(&new_user("LISI", Role::Approval), PW, &admin())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(v) if v[0].field == "username" && v[0].message.contains("已被使用")),
        "{e}"
    );
    let e = store
        .add_user(&new_user("wangwu", Role::Approval), "1234567890", &admin())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(v) if v[0].field == "password"),
        "{e}"
    );
    let mut c = new_user("qiye", Role::Company);
    c.credit_code = Some("91350100M000100Y44".into());
    let e = store.add_user(&c, PW, &admin()).await.unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(v) if v[0].field == "credit_code" && v[0].message.contains("校验位")),
        "{e}"
    );
    // The last administrator cannot be disabled.
    store
        .add_user(&new_user("root", Role::Admin), PW, &admin())
        .await
        .unwrap();
    let n2 = audit_count(&store).await;
    assert_eq!(n2, n + 1);
    let e = store
        .set_user_disabled("root", true, &admin())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("最后一个"), "{e}");
    assert_eq!(audit_count(&store).await, n2);
    // Activating an unknown version writes nothing either.
    assert!(matches!(
        store.activate(99, &admin()).await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(audit_count(&store).await, n2);
    assert_eq!(store.list_users().await.unwrap().len(), 2);
}

#[tokio::test]
async fn password_verify() {
    let store = seeded().await;
    store
        .add_user(&new_user("zhao", Role::Enforcement), PW, &admin())
        .await
        .unwrap();
    let u = store.verify_password("zhao", PW).await.unwrap().unwrap();
    assert_eq!(u.role, Role::Enforcement);
    assert!(store.verify_password("ZHAO", PW).await.unwrap().is_some());
    assert!(
        store
            .verify_password("zhao", "wrong-password-1")
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.verify_password("nobody", PW).await.unwrap().is_none());
    assert!(store.verify_password("zhao", "").await.unwrap().is_none());
    // The stored hash is an argon2id PHC string, not the password.
    let phc: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'zhao'")
        .fetch_one(store.pool())
        .await
        .unwrap();
    assert!(phc.starts_with("$argon2id$"), "{phc}");
    assert!(!phc.contains(PW));
    // A new password replaces the old; a disabled account cannot log in.
    store
        .set_password("zhao", "Another-pass-77", &admin())
        .await
        .unwrap();
    assert!(store.verify_password("zhao", PW).await.unwrap().is_none());
    assert!(
        store
            .verify_password("zhao", "Another-pass-77")
            .await
            .unwrap()
            .is_some()
    );
    store
        .set_user_disabled("zhao", true, &admin())
        .await
        .unwrap();
    assert!(
        store
            .verify_password("zhao", "Another-pass-77")
            .await
            .unwrap()
            .is_none()
    );
    store
        .set_user_disabled("zhao", false, &admin())
        .await
        .unwrap();
    assert!(
        store
            .verify_password("zhao", "Another-pass-77")
            .await
            .unwrap()
            .is_some()
    );
}

#[tokio::test]
async fn throttling_per_username_and_per_address() {
    let store = seeded().await;
    let policy = ThrottlePolicy::default();
    let t0 = OffsetDateTime::from_unix_timestamp(1_767_225_600).unwrap(); // 2026-01-01 00:00 UTC
    for i in 0..4 {
        store
            .record_login_failure("Zhang", "10.0.0.1", t0 + Duration::minutes(i))
            .await
            .unwrap();
        assert!(
            store
                .login_lockout("zhang", "10.0.0.1", t0 + Duration::minutes(i), &policy)
                .await
                .unwrap()
                .is_none()
        );
    }
    let t5 = t0 + Duration::minutes(4);
    store
        .record_login_failure("zhang", "10.0.0.2", t5)
        .await
        .unwrap();
    let lock = store
        .login_lockout("ZHANG", "10.0.0.9", t5, &policy)
        .await
        .unwrap()
        .expect("locked after 5 failures");
    assert_eq!(lock.scope, LockScope::Username);
    // Unlocked when the first failure leaves the 15-minute window: 00:15 UTC = 08:15 北京时间.
    assert_eq!(lock.until, t0 + Duration::minutes(15));
    let msg = lock.message(t5);
    assert!(
        msg.contains("2026-01-01 08:15") && msg.contains("约 11 分钟"),
        "{msg}"
    );
    assert!(
        store
            .login_lockout("zhang", "10.0.0.9", t0 + Duration::minutes(15), &policy)
            .await
            .unwrap()
            .is_none()
    );
    // Other usernames from other addresses are not affected.
    assert!(
        store
            .login_lockout("li", "10.0.0.9", t5, &policy)
            .await
            .unwrap()
            .is_none()
    );
    // A successful login clears the username's failures.
    store.clear_login_failures("ZHANG").await.unwrap();
    assert!(
        store
            .login_lockout("zhang", "10.0.0.9", t5, &policy)
            .await
            .unwrap()
            .is_none()
    );
    // 20 failures from one address lock the address for every username.
    for i in 0..20 {
        store
            .record_login_failure(&format!("user{i}"), "10.0.0.7", t0 + Duration::seconds(i))
            .await
            .unwrap();
    }
    let lock = store
        .login_lockout("someone", "10.0.0.7", t0 + Duration::minutes(1), &policy)
        .await
        .unwrap()
        .expect("address locked");
    assert_eq!(lock.scope, LockScope::Ip);
    assert!(lock.message(t0).contains("本机地址"));
}

/// A store with a few audit rows and the protecting triggers dropped, as a tamperer would.
async fn tamperable() -> Store {
    let store = seeded().await;
    for name in ["a1", "a2", "a3"] {
        store
            .add_user(&new_user(name, Role::Planning), PW, &admin())
            .await
            .unwrap();
    }
    // rows: 1 plan.import, 2 plan.activate, 3..=5 user.add
    assert_eq!(audit_count(&store).await, 5);
    store
}

async fn drop_triggers(store: &Store) {
    for t in ["audit_log_no_update", "audit_log_no_delete"] {
        sqlx::query(&format!("DROP TRIGGER {t}"))
            .execute(store.pool())
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn triggers_refuse_update_and_delete() {
    let store = tamperable().await;
    let e = sqlx::query("UPDATE audit_log SET actor = 'x' WHERE id = 3")
        .execute(store.pool())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("只能追加"), "{e}");
    let e = sqlx::query("DELETE FROM audit_log WHERE id = 3")
        .execute(store.pool())
        .await
        .unwrap_err();
    assert!(e.to_string().contains("只能追加"), "{e}");
    assert!(audit::verify(&store).await.unwrap().intact());
}

#[tokio::test]
async fn an_edited_row_is_named() {
    let store = tamperable().await;
    drop_triggers(&store).await;
    sqlx::query(
        "UPDATE audit_log SET after_json = replace(after_json, 'planning', 'admin') WHERE id = 4",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let r = audit::verify(&store).await.unwrap();
    assert!(!r.intact());
    assert_eq!(r.first_break, Some(4));
    assert!(
        matches!(r.problems.as_slice(), [AuditProblem::Edited { id: 4, .. }]),
        "{:?}",
        r.problems
    );
    assert!(r.summary().contains("第 4 条记录被修改"), "{}", r.summary());
}

#[tokio::test]
async fn an_edited_and_rehashed_row_is_named_by_the_next_link() {
    let store = tamperable().await;
    drop_triggers(&store).await;
    // Edit row 3 and recompute its own hash: its successor's link no longer matches.
    let mut row = store.audit_trail("user", "1").await.unwrap().remove(0);
    assert_eq!(row.id, 3);
    row.actor = "user:9:someone-else".into();
    let h = row.computed_hash();
    sqlx::query("UPDATE audit_log SET actor = ?, hash = ? WHERE id = 3")
        .bind(&row.actor)
        .bind(&h)
        .execute(store.pool())
        .await
        .unwrap();
    let r = audit::verify(&store).await.unwrap();
    assert_eq!(r.first_break, Some(4));
    assert!(
        matches!(
            r.problems.as_slice(),
            [AuditProblem::BrokenLink {
                id: 4,
                prev_id: Some(3),
                ..
            }]
        ),
        "{:?}",
        r.problems
    );
    assert!(r.summary().contains("第 3 条被修改"), "{}", r.summary());
}

#[tokio::test]
async fn a_deleted_row_is_named() {
    let store = tamperable().await;
    drop_triggers(&store).await;
    sqlx::query("DELETE FROM audit_log WHERE id = 2")
        .execute(store.pool())
        .await
        .unwrap();
    let r = audit::verify(&store).await.unwrap();
    assert_eq!(r.first_break, Some(2));
    assert_eq!(r.problems[0], AuditProblem::Deleted { from: 2, to: 2 });
    assert!(matches!(
        r.problems[1],
        AuditProblem::BrokenLink {
            id: 3,
            prev_id: Some(1),
            ..
        }
    ));
    assert!(r.summary().contains("第 2 条记录被删除"), "{}", r.summary());
}

#[tokio::test]
async fn deleted_newest_rows_are_named_and_later_appends_keep_the_gap() {
    let store = tamperable().await;
    drop_triggers(&store).await;
    sqlx::query("DELETE FROM audit_log WHERE id >= 4")
        .execute(store.pool())
        .await
        .unwrap();
    let r = audit::verify(&store).await.unwrap();
    // The newest account (a3, written by row 5) no longer has its user.add row either.
    assert_eq!(
        r.problems,
        [
            AuditProblem::Deleted { from: 4, to: 5 },
            AuditProblem::Unlogged {
                what: "最新的第 3 条账号（user:3）的 user.add 记录".into()
            }
        ]
    );
    assert!(
        r.summary().contains("第 4～5 条记录被删除"),
        "{}",
        r.summary()
    );
    // A later write does not reuse the ids: the deletion stays visible.
    store
        .add_user(&new_user("later", Role::Planning), PW, &admin())
        .await
        .unwrap();
    let r = audit::verify(&store).await.unwrap();
    assert_eq!(r.first_break, Some(4));
    assert_eq!(r.problems[0], AuditProblem::Deleted { from: 4, to: 5 });
    let newest = &store.audit_list(&AuditFilter::default()).await.unwrap()[0];
    assert_eq!(newest.id, 6);
}

/// Issue 19, item 8: 60 wrong passwords sent at once for one user got 29 checked (limit 5),
/// 44 across users from one address (limit 20). Attempts are now reserved before the
/// password is checked, inside one write transaction.
#[tokio::test]
async fn parallel_login_attempts_are_counted_before_the_password_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    // A file database: the pool's connections really run in parallel.
    let store = Store::open(&dir.path().join("t.db")).await.unwrap();
    let policy = ThrottlePolicy::default();
    let now = OffsetDateTime::from_unix_timestamp(1_767_225_600).unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..60 {
        let store = store.clone();
        tasks.spawn(async move {
            // One user from many addresses, then many users from one address.
            let (user, ip) = if i < 30 {
                ("zhang".to_string(), format!("10.0.1.{i}"))
            } else {
                (format!("user{i}"), "10.0.0.7".to_string())
            };
            store
                .reserve_login_attempt(&user, &ip, now, &policy)
                .await
                .unwrap()
                .is_ok()
        });
    }
    let mut admitted = 0;
    while let Some(r) = tasks.join_next().await {
        admitted += usize::from(r.unwrap());
    }
    // 5 for zhang (from 30 addresses) + 20 from the one address (30 usernames).
    assert_eq!(admitted, 5 + 20);
    // A correct password takes its attempt back and clears the username's failures.
    let looser = ThrottlePolicy {
        max_per_username: 6,
        ..policy
    };
    let attempt = store
        .reserve_login_attempt("zhang", "10.0.2.1", now, &looser)
        .await
        .unwrap()
        .unwrap();
    store.login_succeeded("zhang", attempt).await.unwrap();
    assert!(
        store
            .login_lockout("zhang", "10.0.2.1", now, &policy)
            .await
            .unwrap()
            .is_none()
    );
}

/// Issue 19, item 10: an `INSERT OR REPLACE` of the newest row with a recomputed hash went
/// undetected (REPLACE does not fire the DELETE trigger); it is now refused.
#[tokio::test]
async fn replacing_the_newest_row_is_refused() {
    let store = tamperable().await;
    let mut row = store.audit_list(&AuditFilter::default()).await.unwrap()[0].clone();
    assert_eq!(row.id, 5);
    row.actor = "user:9:someone-else".into();
    row.hash = row.computed_hash();
    let e = sqlx::query(
        "INSERT OR REPLACE INTO audit_log (id, at, actor, action, entity_type, entity_id, before_json, after_json, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(row.id)
    .bind(&row.at)
    .bind(&row.actor)
    .bind(&row.action)
    .bind(&row.entity_type)
    .bind(&row.entity_id)
    .bind(&row.before)
    .bind(&row.after)
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .execute(store.pool())
    .await
    .unwrap_err();
    assert!(e.to_string().contains("只能追加"), "{e}");
    assert!(audit::verify(&store).await.unwrap().intact());
    // Appending goes on as before.
    store
        .add_user(&new_user("a4", Role::Planning), PW, &admin())
        .await
        .unwrap();
    assert!(audit::verify(&store).await.unwrap().intact());
}

/// Issue 19, item 10: an emptied log verified as “完整：共 0 条记录” although the database
/// held accounts; a tail cut off with `sqlite_sequence` lowered went unnoticed.
#[tokio::test]
async fn an_emptied_or_cut_log_is_named_and_a_kept_head_catches_a_cut_tail() {
    let store = tamperable().await;
    let intact = audit::verify(&store).await.unwrap();
    assert!(intact.intact());
    assert!(
        intact.summary().contains(&format!(
            "链尾锚点：5:{}",
            intact.head_hash.clone().unwrap()
        )),
        "{}",
        intact.summary()
    );
    let anchor = audit::Anchor::parse(&format!("5:{}", intact.head_hash.unwrap())).unwrap();
    assert!(
        audit::verify_with(&store, Some(&anchor))
            .await
            .unwrap()
            .intact()
    );
    // Cut the tail (rows 4 and 5) and lower the sequence: the chain itself is consistent.
    let mut tx = store.pool().begin().await.unwrap();
    for sql in [
        "DROP TRIGGER audit_log_no_delete",
        "DELETE FROM audit_log WHERE id >= 4",
        "UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit_log'",
    ] {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
    let r = audit::verify(&store).await.unwrap();
    assert!(
        matches!(r.problems.as_slice(), [AuditProblem::Unlogged { .. }]),
        "{:?}",
        r.problems
    );
    assert!(
        r.summary().contains("日志尾部被截去或被清空"),
        "{}",
        r.summary()
    );
    let r = audit::verify_with(&store, Some(&anchor)).await.unwrap();
    assert!(
        r.problems.iter().any(|p| matches!(
            p,
            AuditProblem::AnchorMismatch {
                id: 5,
                found_hash: None,
                ..
            }
        )),
        "{:?}",
        r.problems
    );
    // Emptied altogether.
    sqlx::query("DELETE FROM audit_log")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("DELETE FROM sqlite_sequence WHERE name = 'audit_log'")
        .execute(store.pool())
        .await
        .unwrap();
    let r = audit::verify(&store).await.unwrap();
    assert_eq!(r.rows, 0);
    assert!(!r.intact());
    assert!(!r.summary().contains("完整"), "{}", r.summary());
}

#[tokio::test]
async fn the_day_s_head_is_written_once() {
    let store = tamperable().await;
    let row = store.write_daily_head("2026-12-07").await.unwrap().unwrap();
    let head = store.audit_list(&AuditFilter::default()).await.unwrap()[1].clone();
    let after: Value = serde_json::from_str(row.after.as_deref().unwrap()).unwrap();
    assert_eq!(after["head_id"], head.id);
    assert_eq!(after["head_hash"], head.hash.as_str());
    assert!(
        store
            .write_daily_head("2026-12-07")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .write_daily_head("2026-12-08")
            .await
            .unwrap()
            .is_some()
    );
    assert!(audit::verify(&store).await.unwrap().intact());
}

/// Issue 19, item 11: enabling an enabled account wrote an audit row each time.
#[tokio::test]
async fn enabling_an_enabled_account_records_nothing() {
    let store = tamperable().await;
    let before = audit_count(&store).await;
    let u = store
        .set_user_disabled("a1", false, &admin())
        .await
        .unwrap();
    assert!(!u.disabled);
    assert_eq!(audit_count(&store).await, before);
    store.set_user_disabled("a1", true, &admin()).await.unwrap();
    store.set_user_disabled("a1", true, &admin()).await.unwrap();
    assert_eq!(audit_count(&store).await, before + 1);
}
