//! The embedded Suifenhe bundle loads, and its figures are those of the plan text.

use minplan_domain::bundle::{BundleFiles, load_bundle};
use std::path::{Path, PathBuf};

fn bundle_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../plans/231081-2021-2025")
}

fn read_dir(dir: &Path) -> BundleFiles {
    let mut files = BundleFiles::new();
    fn walk(root: &Path, dir: &Path, files: &mut BundleFiles) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, files);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                files.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    walk(dir, dir, &mut files);
    files
}

#[test]
fn loads_without_errors_or_warnings() {
    let loaded = match load_bundle(&read_dir(&bundle_dir())) {
        Ok(l) => l,
        Err(e) => panic!("{e}"),
    };
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    assert!(loaded.warnings.is_empty());
    let plan = loaded.plan;
    assert_eq!(plan.blocks.len(), 8);
    assert_eq!(plan.indicators_in("专栏2").count(), 6);
}
