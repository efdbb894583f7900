//! Step 7: the 出让方式 and, for 协议出让, its listed reason.

use super::Problems;
use crate::application::kinds::{AgreementReason, GrantMethod};
use crate::application::raw::RawApplication;

/// The grant as written; `None` where absent or where a problem was reported.
pub(super) struct GrantChoice {
    /// 出让方式.
    pub(super) method: Option<GrantMethod>,
    /// 协议出让理由.
    pub(super) agreement_reason: Option<AgreementReason>,
}

/// The 出让方式 is one of 招标、拍卖、挂牌、协议; an agreement reason, when given, is one of
/// the listed reasons ([`AgreementReason`]). Whether 协议 needs a reason is rule R15's
/// question (`docs/rules.md`), not the parser's.
pub(super) fn check(raw: &RawApplication, p: &mut Problems<'_>) -> GrantChoice {
    let g = raw.grant.get_ref();
    let method = GrantMethod::parse(g.method.get_ref());
    if method.is_none() {
        p.err(
            "grant.method",
            Some(g.method.span().start),
            format!(
                "出让方式“{}”应为 {} 之一",
                g.method.get_ref().trim(),
                GrantMethod::LABELS.join("、")
            ),
        );
    }
    let agreement_reason = match &g.agreement_reason {
        Some(r) => {
            let reason = AgreementReason::parse(r.get_ref());
            if reason.is_none() {
                p.err(
                    "grant.agreement_reason",
                    Some(r.span().start),
                    format!(
                        "协议出让理由“{}”应为 {} 之一",
                        r.get_ref(),
                        AgreementReason::LABELS.join("、")
                    ),
                );
            }
            reason
        }
        None => None,
    };
    GrantChoice {
        method,
        agreement_reason,
    }
}
