//! Command line over the simulation core: runs one scenario and prints its metrics.
//!
//! ```text
//! cargo run --release --example simulate -- mode=async workers=4 students=1000 format=json
//! cargo run --release --example simulate -- code_file=handler.py students=1000 format=json
//! cargo run --release --example simulate -- --help
//! ```
//!
//! Exit codes: 0 success, 1 the run failed (step limit, stuck), 2 bad input (every bad key is
//! listed with what it accepts; code that does not compile or fails says `line N, column M: ...`). The logic lives in `async_lanes::sim::cli`.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let read = |path: &str| std::fs::read_to_string(path).map_err(|e| e.to_string());
    let outcome = async_lanes::sim::cli::run_with_files(&args, &read);
    // A closed pipe (`| head`) is not worth a panic.
    let _ = std::io::stdout().write_all(outcome.stdout.as_bytes());
    let _ = std::io::stderr().write_all(outcome.stderr.as_bytes());
    ExitCode::from(outcome.code)
}
