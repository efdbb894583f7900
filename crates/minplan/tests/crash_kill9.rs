//! Issue 19: `minplan serve` killed with SIGKILL while six clients write — four saving reviews,
//! two adding accounts — then started again on the same database, five times. After each kill:
//! the database passes `PRAGMA integrity_check` and `foreign_key_check`, `minplan audit
//! verify` finds the chain whole, the server starts, and every write it acknowledged (201)
//! is there: each acknowledged review by its number and application, each account by its
//! name. Bounded: about two seconds of writing per round.
//!
//! The same run, longer (more rounds, more writers), is the crash figure in BENCHMARKS.md:
//! `MINPLAN_CRASH_ROUNDS=60 cargo test -p minplan --release --test crash_kill9 -- --nocapture`.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const PW: &str = "Kuangchan-2025!";

fn cli(db: &Path, args: &[&str], stdin: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("MINPLAN_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run minplan");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// `minplan serve` on an ephemeral port: the child and its base URL (read from its first line).
#[expect(
    clippy::zombie_processes,
    reason = "the child is handed to the caller, which kills and waits for it"
)]
fn serve(db: &Path) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_minplan"))
        .arg("--db")
        .arg(db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start minplan serve");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    loop {
        line.clear();
        if out.read_line(&mut line).unwrap_or(0) == 0 {
            let status = child.wait().unwrap();
            panic!("serve ended before it started: {status}");
        }
        if let Some(url) = line.trim().strip_prefix("minplan 已启动：") {
            let base = url.trim_end_matches('/').to_string();
            // Keep draining its output so that it never blocks on a full pipe.
            std::thread::spawn(move || for _ in out.lines() {});
            return (child, base);
        }
    }
}

fn example() -> (String, String) {
    let ex = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    (
        std::fs::read_to_string(ex.join("01-qingfa-quarry.toml")).unwrap(),
        std::fs::read_to_string(ex.join("01-qingfa-quarry.txt")).unwrap(),
    )
}

async fn login(base: &str) -> (reqwest::Client, String) {
    let c = reqwest::Client::builder()
        .cookie_store(true)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let s: Value = c
        .get(format!("{base}/api/session"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r: Value = c
        .post(format!("{base}/api/session"))
        .header("x-csrf-token", s["csrf_token"].as_str().unwrap())
        .json(&json!({"username": "root", "password": PW}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = r["csrf_token"]
        .as_str()
        .unwrap_or_else(|| panic!("logged in: {r}"))
        .to_string();
    (c, token)
}

/// What the server acknowledged: (review id, application number) and account names.
#[derive(Default)]
struct Acked {
    reviews: Vec<(i64, String)>,
    users: Vec<String>,
}

async fn writer(
    base: String,
    (c, token): (reqwest::Client, String),
    round: usize,
    w: usize,
    acked: Arc<Mutex<Acked>>,
) {
    let (toml, corners) = example();
    for i in 0.. {
        if w < 4 {
            let number = format!("K9-{round}-{w}-{i}");
            let body = json!({
                "toml": toml
                    .replace("received = \"2026-11-20\"", "received = \"2021-11-20\"")
                    .replace("number = \"SFH-2026-001\"", &format!("number = \"{number}\"")),
                "corner_file": {"name": "01-qingfa-quarry.txt", "content": corners},
                "save": true,
            });
            let Ok(r) = c
                .post(format!("{base}/api/reviews"))
                .header("x-csrf-token", &token)
                .json(&body)
                .send()
                .await
            else {
                return; // the server is gone
            };
            if r.status().as_u16() != 201 {
                continue;
            }
            let Ok(v) = r.json::<Value>().await else {
                return;
            };
            let id = v["review_id"]
                .as_i64()
                .expect("a saved review has its number");
            acked.lock().unwrap().reviews.push((id, number));
        } else {
            let name = format!("k9u{round}x{w}x{i}");
            let Ok(r) = c
                .post(format!("{base}/api/admin/users"))
                .header("x-csrf-token", &token)
                .json(&json!({"username": name, "role": "planning", "password": PW}))
                .send()
                .await
            else {
                return;
            };
            if r.status().as_u16() == 201 && r.bytes().await.is_ok() {
                acked.lock().unwrap().users.push(name);
            }
        }
    }
}

async fn check_database(db: &Path) {
    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(ok, "ok");
    let broken: Vec<(String,)> = sqlx::query_as("PRAGMA foreign_key_check")
        .fetch_all(&mut c)
        .await
        .unwrap();
    assert!(broken.is_empty(), "{broken:?}");
    c.close().await.unwrap();
}

async fn review_of(db: &Path, id: i64) -> Option<String> {
    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let n: Option<String> =
        sqlx::query_scalar("SELECT application_number FROM reviews WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut c)
            .await
            .unwrap();
    c.close().await.unwrap();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_kill_9_and_the_database_stays_whole() {
    let rounds: usize = std::env::var("MINPLAN_CRASH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("crash.db");
    let o = cli(
        &db,
        &["user", "add", "--role", "admin", "root", "--password-stdin"],
        &format!("{PW}\n"),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut all = Acked::default();
    for round in 0..rounds {
        let (mut child, base) = serve(&db);
        let acked = Arc::new(Mutex::new(Acked::default()));
        // One login shared by the six writers (six parallel logins of one account are six
        // attempts in flight, which the login throttle counts).
        let session = login(&base).await;
        let writers: Vec<_> = (0..6)
            .map(|w| {
                tokio::spawn(writer(
                    base.clone(),
                    session.clone(),
                    round,
                    w,
                    acked.clone(),
                ))
            })
            .collect();
        // Kill between 1.0 and 2.5 s in, varying by round, with writes in flight.
        tokio::time::sleep(Duration::from_millis(1000 + (round as u64 * 370) % 1500)).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        for w in writers {
            w.await.unwrap();
        }
        let a = std::mem::take(&mut *acked.lock().unwrap());
        all.reviews.extend(a.reviews);
        all.users.extend(a.users);

        check_database(&db).await;
        let v = cli(&db, &["audit", "verify"], "");
        assert!(
            v.status.success(),
            "round {round}: {}{}",
            String::from_utf8_lossy(&v.stdout),
            String::from_utf8_lossy(&v.stderr)
        );
        for (id, number) in &all.reviews {
            assert_eq!(
                review_of(&db, *id).await.as_deref(),
                Some(number.as_str()),
                "round {round}: acknowledged review {id} ({number})"
            );
        }
        let users = cli(&db, &["user", "list", "--json"], "");
        let listed = String::from_utf8_lossy(&users.stdout);
        for u in &all.users {
            assert!(
                listed.contains(&format!("\"{u}\"")),
                "round {round}: acknowledged account {u}"
            );
        }
    }
    // The run wrote something in every sense: reviews and accounts were acknowledged.
    assert!(all.reviews.len() >= rounds, "{} reviews", all.reviews.len());
    assert!(!all.users.is_empty());
    // And the server starts on what is left.
    let (mut child, base) = serve(&db);
    let r = reqwest::get(format!("{base}/login")).await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    child.kill().unwrap();
    child.wait().unwrap();
    eprintln!(
        "kill -9: {rounds} rounds, {} reviews and {} accounts acknowledged, all present; integrity ok; audit chain whole",
        all.reviews.len(),
        all.users.len()
    );
}
