//! Twenty clients save reviews at once against one SQLite database (the loopback server as
//! `serve` builds it): every save is answered 201 — none surfaces “database is locked” or a
//! conflict to its user — every one is stored (no lost write), each with its audit row, and
//! the audit chain is intact afterwards. All the applications lie on the same ground, so each
//! save changes the register every other review reads (R12).

mod common;

use common::{logged_in, start, token};
use reqwest::StatusCode;
use serde_json::json;

const CLIENTS: usize = 20;
const SAVES_EACH: usize = 3;

fn example() -> (String, String) {
    let ex = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    (
        std::fs::read_to_string(ex.join("01-qingfa-quarry.toml")).unwrap(),
        std::fs::read_to_string(ex.join("01-qingfa-quarry.txt")).unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_clients_saving_at_once_lose_nothing_and_see_no_lock_error() {
    let srv = start().await;
    let base = srv.base.clone();
    let (toml, corners) = example();
    let audit_before = minplan_store::audit::verify(&srv.store).await.unwrap().rows;
    let mut clients = Vec::new();
    for _ in 0..CLIENTS {
        let c = logged_in(&base, "shenpi").await;
        let t = token(&c, &base).await;
        clients.push((c, t));
    }
    let mut tasks = Vec::new();
    for (k, (c, t)) in clients.into_iter().enumerate() {
        let base = base.clone();
        let toml = toml.clone();
        let corners = corners.clone();
        tasks.push(tokio::spawn(async move {
            let mut answers = Vec::new();
            for j in 0..SAVES_EACH {
                let number = format!("SFH-2021-{:03}", 100 + k * SAVES_EACH + j);
                let app = toml
                    .replace("received = \"2026-11-20\"", "received = \"2021-11-20\"")
                    .replace(
                        "number = \"SFH-2026-001\"",
                        &format!("number = \"{number}\""),
                    );
                let r = c
                    .post(format!("{base}/api/reviews"))
                    .header("x-csrf-token", &t)
                    .json(&json!({
                        "toml": app,
                        "corner_file": { "name": "01-qingfa-quarry.txt", "content": corners },
                    }))
                    .send()
                    .await
                    .unwrap();
                let status = r.status();
                let body = r.text().await.unwrap();
                answers.push((number, status, body));
            }
            answers
        }));
    }
    let mut answers = Vec::new();
    for t in tasks {
        answers.extend(t.await.unwrap());
    }
    let refused: Vec<_> = answers
        .iter()
        .filter(|(_, s, _)| *s != StatusCode::CREATED)
        .collect();
    assert!(refused.is_empty(), "{refused:#?}");
    assert!(
        !answers.iter().any(|(_, _, b)| b.contains("locked")),
        "a lock error reached a user"
    );
    // Every save is stored, once.
    for (number, _, _) in &answers {
        assert!(
            srv.store
                .pending_application(number)
                .await
                .unwrap()
                .is_some(),
            "{number} lost"
        );
    }
    let digests = srv.store.table_digests().await.unwrap();
    let reviews = digests.iter().find(|t| t.table == "reviews").unwrap().rows;
    assert_eq!(reviews as usize, CLIENTS * SAVES_EACH);
    let report = minplan_store::audit::verify(&srv.store).await.unwrap();
    assert!(report.intact(), "{}", report.summary());
    // Each save wrote its review.create row (and each login its own).
    let created = srv
        .store
        .audit_list(&minplan_store::AuditFilter::parse_entity("review"))
        .await
        .unwrap()
        .iter()
        .filter(|r| r.action == "review.create")
        .count();
    assert_eq!(created, CLIENTS * SAVES_EACH);
    assert!(report.rows >= audit_before + (CLIENTS * SAVES_EACH) as u64);
}

/// Another program holds the database's write lock past the busy timeout (as a long import by
/// the command line could): the save is answered 503 `busy` with a Chinese message saying
/// nothing was written — not a 500, not SQLite's English — nothing is stored, and the same
/// save goes through once the lock is released.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_lock_held_elsewhere_is_answered_busy_and_writes_nothing() {
    use sqlx::{Connection, Row};
    let srv = start().await;
    let base = srv.base.clone();
    let c = logged_in(&base, "shenpi").await;
    let t = token(&c, &base).await;
    let file: String = sqlx::query("PRAGMA database_list")
        .fetch_one(srv.store.pool())
        .await
        .unwrap()
        .get(2);
    let mut other = sqlx::SqliteConnection::connect_with(
        &sqlx::sqlite::SqliteConnectOptions::new().filename(&file),
    )
    .await
    .unwrap();
    sqlx::query("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();
    let (toml, corners) = example();
    let app = toml
        .replace("received = \"2026-11-20\"", "received = \"2021-11-20\"")
        .replace("number = \"SFH-2026-001\"", "number = \"SFH-2021-900\"");
    let body = json!({
        "toml": app,
        "corner_file": { "name": "01-qingfa-quarry.txt", "content": corners },
    });
    let r = c
        .post(format!("{base}/api/reviews"))
        .header("x-csrf-token", &t)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["code"], "busy", "{v}");
    let msg = v["message"].as_str().unwrap();
    assert!(
        msg.contains("数据库正忙") && msg.contains("未写入任何内容"),
        "{msg}"
    );
    assert!(!msg.contains("locked"), "{msg}");
    sqlx::query("ROLLBACK").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
    assert!(
        srv.store
            .pending_application("SFH-2021-900")
            .await
            .unwrap()
            .is_none()
    );
    let r = c
        .post(format!("{base}/api/reviews"))
        .header("x-csrf-token", &t)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
}
