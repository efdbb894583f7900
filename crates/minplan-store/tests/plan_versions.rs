//! Plan import, versions and the default bundle.

use minplan_store::{Store, default_bundle};

#[tokio::test]
async fn seeds_the_default_plan_once() {
    let store = Store::open_in_memory().await.unwrap();
    let first = store
        .seed_if_empty(&default_bundle())
        .await
        .unwrap()
        .expect("seeded");
    assert!(first.created);
    assert_eq!(first.version.adcode, "231081");
    assert_eq!(first.version.version, 1);
    assert!(
        store
            .seed_if_empty(&default_bundle())
            .await
            .unwrap()
            .is_none()
    );
    let active = store.active_plan().await.unwrap().unwrap();
    assert_eq!(
        active.loaded.plan.identity.name.value,
        "绥芬河市矿产资源总体规划（2021～2025年）"
    );
}
