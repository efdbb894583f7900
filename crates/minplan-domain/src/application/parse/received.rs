//! Step 5: the 受理日期, when the application states it.

use super::Problems;
use crate::application::raw::RawApplication;
use crate::date::Date;

/// The 受理日期 is written `YYYY-MM-DD`, is a calendar date, and lies in 1990–2100.
pub(super) fn check(raw: &RawApplication, p: &mut Problems<'_>) {
    let Some(r) = &raw.received else {
        return;
    };
    let s = r.get_ref();
    let ok = s.len() == 10
        && s.as_bytes()[4] == b'-'
        && s.as_bytes()[7] == b'-'
        && s[..4].parse::<u32>().is_ok()
        && s[5..7].parse::<u32>().is_ok_and(|m| (1..=12).contains(&m))
        && s[8..].parse::<u32>().is_ok_and(|d| (1..=31).contains(&d));
    if !ok {
        p.err(
            "received",
            Some(r.span().start),
            format!("受理日期“{s}”应写作 YYYY-MM-DD"),
        );
        return;
    }
    match Date::parse(s) {
        Err(e) => p.err("received", Some(r.span().start), format!("受理日期：{e}")),
        Ok(d) if !(1990..=2100).contains(&d.year()) => p.err(
            "received",
            Some(r.span().start),
            format!("受理日期“{s}”不在 1990～2100 年之间"),
        ),
        Ok(_) => {}
    }
}
