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

/// A backup killed half-way leaves `数据库备份-….db.partial`; a later automatic backup (or a
/// backup into the same folder) removes such files once they are old enough not to be another
/// server's backup in progress, and leaves a fresh one and every other file alone.
#[tokio::test]
async fn half_written_backups_of_an_interrupted_run_are_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("m.db")).await.unwrap();
    store
        .seed_if_empty(&minplan_store::default_bundle())
        .await
        .unwrap();
    let folder = dir.path().join("自动备份");
    std::fs::create_dir_all(&folder).unwrap();
    let aged = |name: &str, hours: u64| {
        let f = std::fs::File::create(folder.join(name)).unwrap();
        f.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(hours * 3600))
            .unwrap();
    };
    aged("数据库备份-20261130.db.partial", 30);
    aged("数据库备份-20261130.db.partial-journal", 30);
    aged("数据库备份-20261201-091500.db.partial", 7);
    aged("数据库备份-20261202.db.partial", 1);
    aged("别的.db.partial", 30);

    let done = store.daily_backup(&folder, "2026-12-03", 5).await.unwrap();
    assert_eq!(
        done.cleared,
        [
            "数据库备份-20261130.db.partial",
            "数据库备份-20261130.db.partial-journal",
            "数据库备份-20261201-091500.db.partial",
        ]
    );
    let mut left: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        [
            "别的.db.partial",
            "数据库备份-20261202.db.partial",
            "数据库备份-20261203.db"
        ]
    );

    // A backup into the folder (`db backup FOLDER`) clears them the same way.
    aged("数据库备份-20261202.db.partial", 8);
    let report = store.backup_to(&folder).await.unwrap();
    assert_eq!(report.cleared, ["数据库备份-20261202.db.partial"]);
    assert!(report.check.sound());
}
