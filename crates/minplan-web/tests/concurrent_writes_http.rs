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
