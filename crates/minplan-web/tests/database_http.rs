//! 数据库备份 over HTTP: the 系统管理员 downloads a backup while the server runs; the file is
//! a SQLite database whose every table equals the live database's at that moment, sound, and
//! the download is audited. The check of the database reports it sound.

mod common;

use common::{csrf_in, logged_in, start};
use reqwest::StatusCode;

#[tokio::test]
async fn the_administrator_downloads_a_backup_equal_to_the_database() {
    let srv = start().await;
    let admin = logged_in(&srv.base, "root").await;
    let page = admin
        .get(format!("{}/admin/database", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("下载备份"), "{html}");
    let csrf = csrf_in(&html);

    let before = srv.store.table_digests().await.unwrap();
    let r = admin
        .post(format!("{}/admin/database/backup", srv.base))
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let disposition = r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains("filename*=UTF-8''%E6%95%B0%E6%8D%AE%E5%BA%93%E5%A4%87%E4%BB%BD-"),
        "{disposition}"
    );
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("backup.db");
    std::fs::write(&file, &bytes).unwrap();
    let check = minplan_store::backup::check_file(&file).await.unwrap();
    assert!(check.sound(), "{:?}", check.problems());
    assert_eq!(
        check.tables, before,
        "the backup is the database at that moment"
    );
    assert!(
        check
            .tables
            .iter()
            .any(|t| t.table == "users" && t.rows == 6)
    );

    // The download is in the audit trail, by whom.
    let rows = srv
        .store
        .audit_list(&minplan_store::AuditFilter::parse_entity("database"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].action, "db.backup");
    assert!(rows[0].actor.contains("root"), "{}", rows[0].actor);

    // The check, asked for: sound, with the totals.
    let html = admin
        .get(format!("{}/admin/database?check=1", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("检查通过"), "{html}");
    // The tables as at the backup, and the one audit row written since.
    let rows: u64 = before.iter().map(|t| t.rows).sum::<u64>() + 1;
    assert!(
        html.contains(&format!("{} 张表共 {rows} 条记录", before.len())),
        "{html}"
    );

    // Not for other roles, and not without the form's token.
    let shenpi = logged_in(&srv.base, "shenpi").await;
    let r = shenpi
        .get(format!("{}/admin/database", srv.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let refusal = r.text().await.unwrap();
    assert!(refusal.contains("备份和检查数据库"), "{refusal}");
    let r = admin
        .post(format!("{}/admin/database/backup", srv.base))
        .form(&[("csrf_token", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_page_lists_the_automatic_backups() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("自动备份");
    let srv = common::start_with(minplan_web::WebConfig {
        backup: Some(minplan_web::AutoBackup {
            dir: folder.clone(),
            keep: 7,
        }),
        ..minplan_web::WebConfig::default()
    })
    .await;
    let admin = logged_in(&srv.base, "root").await;
    let html = admin
        .get(format!("{}/admin/database", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("保留最近 7 份"), "{html}");
    assert!(html.contains("还没有自动备份"), "{html}");
    srv.store
        .daily_backup(&folder, "2026-12-06", 7)
        .await
        .unwrap();
    let html = admin
        .get(format!("{}/admin/database", srv.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("2026年12月6日"), "{html}");
    assert!(html.contains("数据库备份-20261206.db"), "{html}");

    // Without --backup-dir the page says how to set it.
    let plain = start().await;
    let admin = logged_in(&plain.base, "root").await;
    let html = admin
        .get(format!("{}/admin/database", plain.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("未设置自动备份") && html.contains("--backup-dir"),
        "{html}"
    );
}

/// An automatic backup that fails after start (here: the folder has become a file) is shown
/// on the page with its reason, not only logged; the next good run replaces the notice.
#[tokio::test]
async fn a_failed_automatic_backup_shows_on_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("自动备份");
    let srv = common::start_with(minplan_web::WebConfig {
        backup: Some(minplan_web::AutoBackup {
            dir: folder.clone(),
            keep: 7,
        }),
        today: Some(minplan_domain::date::Date::new(2026, 12, 8).unwrap()),
        ..minplan_web::WebConfig::default()
    })
    .await;
    let admin = logged_in(&srv.base, "root").await;
    let page = || async {
        admin
            .get(format!("{}/admin/database", srv.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    };
    assert!(!page().await.contains("auto-backup-last"));

    std::fs::write(&folder, b"not a folder").unwrap();
    minplan_web::database::run_daily_backup(&srv.state).await;
    let html = page().await;
    let notice = html
        .split("id=\"auto-backup-last\"")
        .nth(1)
        .and_then(|r| r.split("</p>").next())
        .unwrap_or_else(|| panic!("no notice of the last run: {html}"));
    assert!(
        html.contains("class=\"notice error\" id=\"auto-backup-last\""),
        "{html}"
    );
    assert!(
        notice.contains("失败") && notice.contains("无法创建备份文件夹"),
        "{notice}"
    );
    assert!(notice.contains(&folder.display().to_string()), "{notice}");

    // The folder is back: the next run writes the day's backup and says so.
    std::fs::remove_file(&folder).unwrap();
    minplan_web::database::run_daily_backup(&srv.state).await;
    let html = page().await;
    assert!(
        html.contains("class=\"notice ok\" id=\"auto-backup-last\"")
            && html.contains("写入 数据库备份-20261208.db"),
        "{html}"
    );
    assert!(folder.join("数据库备份-20261208.db").is_file());
    // Run again the same day: nothing to write, and the page says that.
    minplan_web::database::run_daily_backup(&srv.state).await;
    assert!(page().await.contains("今天的自动备份已有"));
}
