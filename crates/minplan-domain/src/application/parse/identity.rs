//! Step 1: the format identifier, 申请编号, 申请类型, 变更事项 and 矿业权类型.

use super::Problems;
use crate::application::FORMAT;
use crate::application::kinds::{ApplicationKind, ChangeKind, RightKind};
use crate::application::raw::RawApplication;
use crate::record_number::RecordNumber;

/// What the file says the application is; `None` where a problem was reported.
pub(super) struct Identity {
    /// 申请编号, trimmed.
    pub(super) number: String,
    /// 申请类型.
    pub(super) kind: Option<ApplicationKind>,
    /// 变更事项 (only for 变更).
    pub(super) change: Option<ChangeKind>,
    /// 探矿权 / 采矿权.
    pub(super) right_kind: Option<RightKind>,
}

/// Checks the format identifier ([`FORMAT`]), the 申请编号 ([`RecordNumber`]), the 申请类型, the
/// 变更事项 (required for 变更 and only there) and the 矿业权类型.
pub(super) fn check(raw: &RawApplication, p: &mut Problems<'_>) -> Identity {
    if raw.format.get_ref() != FORMAT {
        p.err(
            "format",
            Some(raw.format.span().start),
            format!("格式标识应为“{FORMAT}”"),
        );
    }
    let number = raw.number.get_ref().trim().to_string();
    if let Err(m) = RecordNumber::parse("申请编号", &number) {
        p.err("number", Some(raw.number.span().start), m);
    }
    let kind = ApplicationKind::parse(raw.kind.get_ref());
    if kind.is_none() {
        p.err(
            "kind",
            Some(raw.kind.span().start),
            format!(
                "申请类型“{}”应为 {} 之一",
                raw.kind.get_ref().trim(),
                ApplicationKind::LABELS.join("、")
            ),
        );
    }
    let change = match (&raw.change, kind) {
        (Some(c), Some(ApplicationKind::Change)) => {
            let change = ChangeKind::parse(c.get_ref());
            if change.is_none() {
                p.err(
                    "change",
                    Some(c.span().start),
                    format!(
                        "变更事项“{}”应为 {} 之一",
                        c.get_ref().trim(),
                        ChangeKind::LABELS.join("、")
                    ),
                );
            }
            change
        }
        (None, Some(ApplicationKind::Change)) => {
            p.err(
                "change",
                Some(raw.kind.span().start),
                "变更申请须写明变更事项（change）".into(),
            );
            None
        }
        (Some(c), Some(_)) => {
            p.err(
                "change",
                Some(c.span().start),
                "只有变更申请才写变更事项".into(),
            );
            None
        }
        _ => None,
    };
    let right_kind = RightKind::parse(raw.right_kind.get_ref());
    if right_kind.is_none() {
        p.err(
            "right_kind",
            Some(raw.right_kind.span().start),
            format!(
                "矿业权类型“{}”应为 探矿权 或 采矿权",
                raw.right_kind.get_ref()
            ),
        );
    }
    Identity {
        number,
        kind,
        change,
        right_kind,
    }
}
