//! Command line over the simulation core: runs one scenario and prints its metrics.
//!
//! ```text
//! cargo run --release --example simulate -- mode=async workers=4 students=1000 format=json
//! cargo run --release --example simulate -- --help
//! ```
//!
//! Exit codes: 0 success, 1 the run failed (step limit, stuck), 2 bad input (every bad key is
//! listed with what it accepts). The logic lives in `async_lanes::sim::cli`.

use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = async_lanes::sim::cli::run(&args);
    // A closed pipe (`| head`) is not worth a panic.
    let _ = std::io::stdout().write_all(outcome.stdout.as_bytes());
    let _ = std::io::stderr().write_all(outcome.stderr.as_bytes());
    ExitCode::from(outcome.code)
}
