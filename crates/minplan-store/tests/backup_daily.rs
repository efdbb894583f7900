//! The automatic daily backup (`Store::daily_backup`, run by `serve --backup-dir`): one file a
//! day named by the day, written once however often it is asked for, the oldest removed beyond
//! the number kept, and nothing else in the folder touched.

use minplan_store::Store;
use minplan_store::backup::{daily_backup_name, daily_backups};

#[tokio::test]
async fn one_backup_a_day_the_oldest_removed_nothing_else_touched() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("m.db")).await.unwrap();
    store
        .seed_if_empty(&minplan_store::default_bundle())
        .await
        .unwrap();
    let folder = dir.path().join("自动备份");
    assert!(
        daily_backups(&folder).unwrap().is_empty(),
        "missing folder is empty"
    );

    let first = store.daily_backup(&folder, "2026-12-01", 2).await.unwrap();
    let written = first.written.expect("the first of the day is written");
    assert!(written.check.sound());
    assert_eq!(written.path, folder.join("数据库备份-20261201.db"));
    assert_eq!(daily_backup_name("2026-12-01"), "数据库备份-20261201.db");
    // Asked again the same day (the hourly tick): nothing written.
    let again = store.daily_backup(&folder, "2026-12-01", 2).await.unwrap();
    assert!(again.written.is_none() && again.removed.is_empty());

    // Files of other names are not backups and stay.
    std::fs::write(folder.join("说明.txt"), "手工备份放在这里").unwrap();
    std::fs::write(folder.join("数据库备份-手工.db"), "x").unwrap();

    store.daily_backup(&folder, "2026-12-02", 2).await.unwrap();
    let third = store.daily_backup(&folder, "2026-12-03", 2).await.unwrap();
    assert_eq!(third.removed, ["数据库备份-20261201.db"]);
    let left = daily_backups(&folder).unwrap();
    let names: Vec<&str> = left.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(names, ["数据库备份-20261203.db", "数据库备份-20261202.db"]);
    assert_eq!(left[0].date, "2026-12-03");
    assert!(left[0].bytes > 100_000, "{}", left[0].bytes);
    assert!(folder.join("说明.txt").exists());
    assert!(folder.join("数据库备份-手工.db").exists());
}
