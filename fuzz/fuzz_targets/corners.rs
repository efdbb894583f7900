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
use minplan_geo::corners::{ParseOptions, decoded_text, parse_bytes, unaccounted_numbers};
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
    // The promise: no coordinate-shaped number silently dropped. On arbitrary bytes a number
    // glued to garbage may be caught only by `parse_str`'s last guard (an `unaccounted_number`
    // error names it): that is kept, not silent. The property test is stricter (the reader
    // itself must account for the tables it generates).
    assert!(
        lost.is_empty(),
        "silently dropped: {lost:?}\n--- input ---\n{text}\n--- problems ---\n{:#?}",
        report.problems
    );
});
