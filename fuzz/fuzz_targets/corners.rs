//! The corner reader on arbitrary bytes: it never panics, and it keeps its promise that
//! nothing is silently dropped — every coordinate-shaped number of the decoded text is in a
//! point or quoted by a problem on its line (`minplan_geo::corners::unaccounted_numbers`).
//!
//! Run: `cargo +nightly fuzz run corners -- -max_total_time=600` (from the repository root).
//! With `MINPLAN_FUZZ_PANICS_ONLY=1` in the environment only panics are looked for (while the
//! reader is known to break the promise, the fuzzer would otherwise stop at the first known
//! case).

#![no_main]

use libfuzzer_sys::fuzz_target;
use minplan_geo::corners::{
    ParseOptions, ProblemKind, decoded_text, parse_bytes, unaccounted_numbers,
};
use std::sync::OnceLock;

fn panics_only() -> bool {
    static ONLY: OnceLock<bool> = OnceLock::new();
    *ONLY.get_or_init(|| std::env::var_os("MINPLAN_FUZZ_PANICS_ONLY").is_some())
}

fuzz_target!(|data: &[u8]| {
    let report = parse_bytes(data, &ParseOptions::default());
    if panics_only() {
        return;
    }
    let text = decoded_text(data);
    let lost = unaccounted_numbers(&text, &report);
    // The reader itself must account for every number, not only the last guard of
    // `parse_str` (which turns a miss into an `unaccounted_number` error).
    let caught_late: Vec<&str> = report
        .problems
        .iter()
        .filter(|p| p.kind == ProblemKind::UnaccountedNumber)
        .map(|p| p.message.as_str())
        .collect();
    assert!(
        lost.is_empty() && caught_late.is_empty(),
        "silently dropped: {lost:?} {caught_late:?}\n--- input ---\n{text}\n--- problems ---\n{:#?}",
        report.problems
    );
});
