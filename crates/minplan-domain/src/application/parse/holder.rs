//! Step 6: the applicant (申请人, 矿业权人) and its 统一社会信用代码.

use super::Problems;
use crate::application::raw::RawApplication;
use crate::credit_code::CreditCode;

/// The applicant's name must not be blank; its 统一社会信用代码 must pass GB 32100-2015
/// ([`CreditCode::parse`]). Returns the code, `None` when a problem was reported.
pub(super) fn check(raw: &RawApplication, p: &mut Problems<'_>) -> Option<CreditCode> {
    let holder = raw.holder.get_ref();
    if holder.name.get_ref().trim().is_empty() {
        p.err(
            "holder.name",
            Some(holder.name.span().start),
            "申请人名称不能为空".into(),
        );
    }
    match CreditCode::parse(holder.credit_code.get_ref()) {
        Ok(c) => Some(c),
        Err(e) => {
            p.err(
                "holder.credit_code",
                Some(holder.credit_code.span().start),
                e.to_string(),
            );
            None
        }
    }
}
