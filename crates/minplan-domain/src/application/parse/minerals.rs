//! Step 2: the minerals, each known to the plan's catalogue.

use super::Problems;
use crate::application::raw::RawApplication;
use crate::minerals::MineralCatalogue;

/// The minerals by the names the catalogue knows them; at least one is required, and an
/// unknown name is a problem.
pub(super) fn check(
    raw: &RawApplication,
    minerals: &MineralCatalogue,
    p: &mut Problems<'_>,
) -> Vec<String> {
    let mut names = Vec::new();
    if raw.minerals.get_ref().is_empty() {
        p.err(
            "minerals",
            Some(raw.minerals.span().start),
            "至少填写一个矿种".into(),
        );
    }
    for m in raw.minerals.get_ref() {
        match minerals.get(m.get_ref()) {
            Some(known) => names.push(known.name.clone()),
            None => p.err(
                "minerals",
                Some(m.span().start),
                format!("未知矿种“{}”（规划矿种目录中没有）", m.get_ref()),
            ),
        }
    }
    names
}
