//! What the domain's integration tests share: reading a plan bundle from a folder (the domain
//! itself does no I/O).

use minplan_domain::bundle::BundleFiles;
use std::path::Path;

/// Every file below `dir`, by its path relative to `dir` (with `/`).
pub fn read_dir(dir: &Path) -> BundleFiles {
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
