//! The command line over the core, as a pure function from arguments to output text and exit
//! code, so the same code is tested natively and wrapped by `examples/simulate.rs`.

use super::scenario::{HandlerKind, KEYS};
use serde::Serialize;

use super::seats::SeatsTrace;
use super::{
    simulate, simulate_metrics_only, Metrics, MetricsJson, ParamError, Scenario, SimError,
};

/// The help text of the command line.
pub const USAGE: &str = "\
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
  handler=register|race            the article's handler, or the race on seats_left [register]
  seats=N                          seats_left at the start (race handler), 0..1000000 [1]
  extra_arrivals=S,S,...           additional students arriving at these seconds [none]
  format=text|json                 output [text]";

/// Output format of the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A readable table (the default).
    Text,
    /// One JSON object on one line.
    Json,
}

/// Parses the command line's arguments: the scenario keys plus `format=text|json`.
///
/// # Errors
/// Every bad argument, in order (`format` problems first).
pub fn parse(args: &[String]) -> Result<(Scenario, Format), Vec<ParamError>> {
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

/// What a run of the command line printed, and how it exited.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// 0 success, 1 the simulation failed, 2 bad input.
    pub code: u8,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// Runs the command line: `-h`/`--help`/`help` prints the usage; otherwise parses, simulates
/// (metrics only: the figures are the same as with a full trace) and formats.
pub fn run<S: AsRef<str>>(args: &[S]) -> Outcome {
    let args: Vec<String> = args.iter().map(|a| a.as_ref().to_string()).collect();
    if args
        .iter()
        .any(|a| matches!(a.as_str(), "-h" | "--help" | "help"))
    {
        return Outcome {
            code: 0,
            stdout: format!("{USAGE}\n"),
            stderr: String::new(),
        };
    }
    let (scenario, format) = match parse(&args) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let mut stderr = String::new();
            for e in &errors {
                stderr.push_str(&format!("error: {e}\n"));
            }
            stderr.push_str(&format!("\n{USAGE}\n"));
            return Outcome {
                code: 2,
                stdout: String::new(),
                stderr,
            };
        }
    };
    match figures(&scenario) {
        Ok((metrics, seats)) => Outcome {
            code: 0,
            stdout: match format {
                Format::Json => format!("{}\n", json(&metrics, seats.as_ref())),
                Format::Text => {
                    let mut text = format!("{}\n\n{}", scenario.describe(), metrics.to_text());
                    if let Some(seats) = &seats {
                        text.push_str(&seats_text(seats));
                    }
                    text
                }
            },
            stderr: String::new(),
        },
        Err(e) => Outcome {
            code: 1,
            stdout: String::new(),
            stderr: format!("error: {e}\n"),
        },
    }
}

/// The metrics, and for the race handler the record of `seats_left` (which needs the full run; the
/// article's handler runs without spans, as fast as it goes).
fn figures(scenario: &Scenario) -> Result<(Metrics, Option<SeatsTrace>), SimError> {
    match scenario.handler {
        HandlerKind::Register => Ok((simulate_metrics_only(scenario)?, None)),
        HandlerKind::Race => {
            let trace = simulate(scenario)?;
            Ok((trace.metrics, trace.seats))
        }
    }
}

/// The race handler's figures in the JSON object.
#[derive(Serialize)]
struct SeatsJson {
    initial: u32,
    left: u32,
    registered: u32,
    lost_updates: u32,
}

/// The metrics' JSON object, with `"seats"` after them for the race handler.
#[derive(Serialize)]
struct RaceJson {
    #[serde(flatten)]
    metrics: MetricsJson,
    seats: SeatsJson,
}

/// The JSON object: the metrics, plus `"seats": {"initial", "left", "registered",
/// "lost_updates"}` for the race handler.
fn json(metrics: &Metrics, seats: Option<&SeatsTrace>) -> String {
    let Some(seats) = seats else {
        return metrics.to_json();
    };
    let race = RaceJson {
        metrics: metrics.to_json_struct(),
        seats: SeatsJson {
            initial: seats.initial,
            left: seats.final_value(),
            registered: seats.registered(),
            lost_updates: seats.lost_updates().len() as u32,
        },
    };
    // Only numbers and fixed keys: serialization cannot fail.
    serde_json::to_string(&race).unwrap_or_default()
}

fn seats_text(seats: &SeatsTrace) -> String {
    let rows = [
        ("seats at start", seats.initial),
        ("seats left", seats.final_value()),
        ("registered", seats.registered()),
        ("lost updates", seats.lost_updates().len() as u32),
    ];
    rows.iter()
        .map(|(name, value)| format!("{name:<15} {value:>14}\n"))
        .collect()
}
