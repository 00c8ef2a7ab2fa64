//! Command line over the simulation core: runs one scenario and prints its metrics.
//!
//! ```text
//! cargo run --release --example simulate -- mode=async workers=4 students=1000 format=json
//! ```
//!
//! Exit codes: 0 success, 1 the run failed (step limit, stuck), 2 bad input.

use std::process::ExitCode;

use async_lanes::sim::scenario::KEYS;
use async_lanes::sim::{simulate_metrics_only, ParamError, Scenario};

const USAGE: &str = "\
usage: simulate [key=value ...]

keys (default in brackets):
  mode=blocking|async|threadpool   how workers run the handler [blocking]
  workers=N                        worker processes, 1..64 [1]
  students=N                       registrations, 1..1000000 [100]
  concurrency=N                    requests in flight per worker in async mode, 1..100000 [250]
  threads=N                        threads per worker in threadpool mode, 1..1000 [40]
  validate_ms=X db_ms=X email_ms=X step durations in ms, 0..3600000 [0, 0, 2000]
  arrival=burst|uniform|poisson    arrival pattern [burst]
  rate=X                           students per second for uniform/poisson, > 0 [10]
  seed=N                           seed of the random generator, 0..2^64-1 [1]
  io_dist=fixed|exp                I/O durations exact or exponential with that mean [fixed]
  db_pool=N|unlimited              database connections per worker [unlimited]
  await_db=true|false              await the database call (async mode) [true]
  await_email=true|false           await the email call (async mode) [true]
  extra_arrivals=S,S,...           additional students arriving at these seconds [none]
  format=text|json                 output [text]";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

/// Splits off `format=`, parses the rest; every problem is collected.
fn parse(args: &[String]) -> Result<(Scenario, Format), Vec<ParamError>> {
    let mut errors = Vec::new();
    let mut format = None;
    let mut rest = Vec::new();
    for arg in args {
        match arg.split_once('=') {
            Some(("format", value)) => {
                let parsed = match value {
                    "text" => Some(Format::Text),
                    "json" => Some(Format::Json),
                    _ => None,
                };
                let allowed = match (parsed, format) {
                    (None, _) => Some("one of text, json"),
                    (Some(_), Some(_)) => Some("each key at most once"),
                    (Some(f), None) => {
                        format = Some(f);
                        None
                    }
                };
                if let Some(allowed) = allowed {
                    errors.push(ParamError {
                        key: "format".to_string(),
                        value: value.to_string(),
                        allowed: allowed.to_string(),
                    });
                }
            }
            _ => rest.push(arg.as_str()),
        }
    }
    let scenario = match Scenario::parse_args(&rest) {
        Ok(s) => Some(s),
        Err(mut more) => {
            // The command line accepts one key the scenario does not know.
            for e in &mut more {
                if e.allowed.starts_with("one of the keys") {
                    e.allowed = format!("one of the keys {}, format", KEYS.join(", "));
                }
            }
            errors.append(&mut more);
            None
        }
    };
    match scenario {
        Some(s) if errors.is_empty() => Ok((s, format.unwrap_or(Format::Text))),
        _ => Err(errors),
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args
        .iter()
        .any(|a| matches!(a.as_str(), "-h" | "--help" | "help"))
    {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let (scenario, format) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(errors) => {
            for e in &errors {
                eprintln!("error: {e}");
            }
            eprintln!("\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    // The metrics are the same with or without spans; without is faster and smaller.
    let metrics = match simulate_metrics_only(&scenario) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    match format {
        Format::Json => println!("{}", metrics.to_json()),
        Format::Text => {
            println!("{}\n", scenario.describe());
            print!("{}", metrics.to_text());
        }
    }
    ExitCode::SUCCESS
}
