//! `minplan-bench`: the review benchmark, a developer tool kept out of the operator's
//! `minplan` binary. It reviews a seeded synthetic county ([`synth`]) — or layers given as
//! GeoJSON files, to run side by side with PostGIS on identical data — with the same domain
//! functions `minplan review` uses, and prints the table of `BENCHMARKS.md`.
//!
//! ```sh
//! cargo run --release -p minplan-bench -- --breakdown
//! ```

mod bench;
mod synth;

/// The allocator the `minplan` binary uses, so that the benchmark measures what it runs.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = bench::BenchArgs::parse();
    match bench::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::from(2)
        }
    }
}
