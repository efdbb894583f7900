//! Step 4: the 原矿业权证号 an application on an existing right must name.

use super::Problems;
use crate::application::kinds::ApplicationKind;
use crate::application::raw::RawApplication;

/// A 延续, 变更, 转让 or 探转采 application must name the existing right (`existing_right`).
pub(super) fn check(raw: &RawApplication, kind: Option<ApplicationKind>, p: &mut Problems<'_>) {
    if matches!(
        kind,
        Some(
            ApplicationKind::Extension
                | ApplicationKind::Change
                | ApplicationKind::Transfer
                | ApplicationKind::ExplorationToMining
        )
    ) && raw
        .existing_right
        .as_ref()
        .is_none_or(|e| e.get_ref().trim().is_empty())
    {
        p.err(
            "existing_right",
            Some(raw.kind.span().start),
            "延续、变更、转让、探转采申请须填写原矿业权证号（existing_right）".into(),
        );
    }
}
