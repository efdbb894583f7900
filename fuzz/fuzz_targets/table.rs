//! The table reader of bulk imports (`minplan_io::table::read_table`: XLSX, XLS, CSV) on
//! arbitrary bytes; the first byte chooses the file name's extension. It never panics or
//! aborts (an allocation beyond the limits of `minplan_domain::limits` would abort the
//! process, which libFuzzer reports), and what it returns is within those limits.
//!
//! The reader turns a panic of the third-party workbook parser into a named refusal
//! (`table::guarded`); libfuzzer-sys's panic hook would abort on that caught panic, so the
//! target restores the default hook: a panic that escapes the reader still aborts the run
//! (libfuzzer-sys aborts when the input's call unwinds).
//!
//! Run: `tools/fuzz.sh 60 table`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use minplan_domain::limits::{CELL_CHARS, TABLE_COLUMNS, TABLE_ROWS};
use minplan_io::table::read_table;

fuzz_target!(
    init: {
        let _ = std::panic::take_hook();
    },
    |data: &[u8]| {
        let Some((&which, bytes)) = data.split_first() else {
            return;
        };
        let name = ["导入.xlsx", "导入.xls", "导入.csv"][usize::from(which) % 3];
        if let Ok(rows) = read_table(bytes, name) {
            assert!(rows.len() <= TABLE_ROWS as usize);
            for r in &rows {
                assert!(r.len() <= TABLE_COLUMNS as usize);
                for c in r {
                    assert!(c.chars().count() <= CELL_CHARS as usize);
                }
            }
        }
    }
);
