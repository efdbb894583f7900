//! `minplan user …` and `minplan audit …` as a user runs them: the real binary on a temporary
//! database; the audit chain tampered with by direct SQL is detected and the rows named.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const PW: &str = "Kuangchan-2025!";

fn minplan(db: &Path, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_minplan"));
    cmd.arg("--db")
        .arg(db)
        .args(args)
        .env_remove("MINPLAN_PASSWORD")
        .env("USER", "tester")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("run minplan");
    {
        let mut i = child.stdin.take().unwrap();
        if let Some(s) = stdin {
            i.write_all(s.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

async fn try_exec(db: &Path, sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", db.display())).await?;
    let r = sqlx::query(sql).execute(&mut c).await.map(|_| ());
    c.close().await?;
    r
}

async fn exec(db: &Path, sql: &str) {
    try_exec(db, sql).await.unwrap();
}

#[test]
fn user_add_list_passwd_disable() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let o = minplan(
        &db,
        &["user", "add", "--role", "admin", "root", "--password-stdin"],
        Some(&format!("{PW}\n")),
        &[],
    );
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(
        out.contains("已新建账号：root") && out.contains("系统管理员"),
        "{out}"
    );

    // Role by Chinese name; password from the environment.
    let o = minplan(
        &db,
        &[
            "user",
            "add",
            "--role",
            "规划科",
            "zhang",
            "--display-name",
            "张三",
        ],
        None,
        &[("MINPLAN_PASSWORD", "Another-pass-77")],
    );
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));

    // Refused input: exit 1, each problem named with its field, nothing written.
    let o = minplan(
        &db,
        &[
            "user",
            "add",
            "--role",
            "company",
            "qiye",
            "--password-stdin",
        ],
        Some("1234567890\n"),
        &[],
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("错误（统一社会信用代码）") && err.contains("错误（密码）"),
        "{err}"
    );
    let o = minplan(&db, &["user", "add", "--role", "科长", "x"], None, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("未知角色“科长”"), "{:?}", text(&o));

    let o = minplan(&db, &["user", "list", "--json"], None, &[]);
    let users: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let names: Vec<&str> = users
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["root", "zhang"]);
    assert!(!String::from_utf8_lossy(&o.stdout).contains("argon2"));

    let o = minplan(
        &db,
        &["user", "passwd", "zhang", "--password-stdin"],
        Some("Third-pass-2026\n"),
        &[],
    );
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let o = minplan(&db, &["user", "disable", "zhang"], None, &[]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    let o = minplan(&db, &["user", "disable", "root"], None, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).1.contains("最后一个"), "{:?}", text(&o));
    let o = minplan(&db, &["user", "disable", "nobody"], None, &[]);
    assert_eq!(o.status.code(), Some(1));

    // Every change is in the trail, by the OS user.
    let o = minplan(
        &db,
        &["audit", "list", "--entity", "user", "--json"],
        None,
        &[],
    );
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let actions: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["user.disable", "user.password", "user.add", "user.add"]
    );
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["actor"] == "cli:tester")
    );
}

#[tokio::test]
async fn audit_verify_detects_and_names_tampered_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    for name in ["u1", "u2", "u3"] {
        let o = minplan(
            &db,
            &["user", "add", "--role", "planning", name],
            None,
            &[("MINPLAN_PASSWORD", PW)],
        );
        assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    }
    // Rows: 1 plan.import, 2 plan.activate, 3–5 user.add.
    let o = minplan(&db, &["audit", "verify"], None, &[]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("操作日志完整：共 5 条记录"), "{out}");

    // The triggers refuse an edit through SQL…
    let e = try_exec(&db, "UPDATE audit_log SET actor = 'x' WHERE id = 4")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("只能追加"), "{e}");

    // …so the tamperer drops them, edits row 4 and deletes row 2.
    exec(&db, "DROP TRIGGER audit_log_no_update").await;
    exec(&db, "DROP TRIGGER audit_log_no_delete").await;
    exec(
        &db,
        "UPDATE audit_log SET after_json = replace(after_json, 'planning', 'admin') WHERE id = 4",
    )
    .await;
    exec(&db, "DELETE FROM audit_log WHERE id = 2").await;

    let o = minplan(&db, &["audit", "verify"], None, &[]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(out.contains("哈希链自第 2 条起断裂"), "{out}");
    assert!(out.contains("第 2 条记录被删除"), "{out}");
    assert!(out.contains("第 4 条记录被修改"), "{out}");

    let o = minplan(&db, &["audit", "verify", "--json"], None, &[]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["first_break"], 2);
    let kinds: Vec<(&str, i64)> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["kind"].as_str().unwrap(),
                p["id"].as_i64().or(p["from"].as_i64()).unwrap(),
            )
        })
        .collect();
    assert_eq!(kinds, [("deleted", 2), ("broken_link", 3), ("edited", 4)]);
}

/// Issue 19, item 10: a tail cut off with the id sequence lowered leaves a consistent chain;
/// the head printed by an earlier `audit verify` and given back with `--expect-head` catches it.
#[tokio::test]
async fn audit_verify_with_a_kept_head_catches_a_cut_tail() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    for name in ["u1", "u2"] {
        let o = minplan(
            &db,
            &["user", "add", "--role", "planning", name],
            None,
            &[("MINPLAN_PASSWORD", PW)],
        );
        assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    }
    let o = minplan(&db, &["audit", "verify"], None, &[]);
    let (out, _) = text(&o);
    let head = out
        .split("链尾锚点：")
        .nth(1)
        .and_then(|s| s.split('（').next())
        .unwrap()
        .to_owned();
    assert!(head.starts_with("4:"), "{out}");
    let o = minplan(&db, &["audit", "verify", "--expect-head", &head], None, &[]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    // A malformed head is a usage error (exit 2), named.
    let o = minplan(
        &db,
        &["audit", "verify", "--expect-head", "4:xyz"],
        None,
        &[],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).1.contains("64 位十六进制"), "{:?}", text(&o));
    // Cut row 4 (u2's user.add) and lower the sequence.
    exec(&db, "DROP TRIGGER audit_log_no_delete").await;
    exec(&db, "DELETE FROM audit_log WHERE id = 4").await;
    exec(
        &db,
        "UPDATE sqlite_sequence SET seq = 3 WHERE name = 'audit_log'",
    )
    .await;
    let o = minplan(&db, &["audit", "verify", "--expect-head", &head], None, &[]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(out.contains("第 4 条已不在日志中"), "{out}");
    assert!(out.contains("最新的第 2 条账号（user:2）"), "{out}");
}
