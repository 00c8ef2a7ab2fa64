//! The command line over the core, as a pure function from arguments to output text and exit
//! code, so the same code is tested natively and wrapped by `examples/simulate.rs`.

use serde::Serialize;

use super::decimal;
use super::lang::Warning;
use super::scenario::{key_names, KeyKind, ParamErrorKind, KEYS};
use super::seats::SeatsTrace;
use super::trace::{LogLine, Trace};
use super::{export, handler};
use super::{
    simulate, simulate_metrics_only, Metrics, MetricsJson, ParamError, Scenario, SimError,
};

/// The command line's own key, beside the scenario's.
const FORMAT: &str = "format";
/// What `format` accepts.
const FORMAT_KIND: KeyKind = KeyKind::Choice(&["text", "json", "perfetto", "csv"]);
/// The command line's key that reads `code` from a file.
const CODE_FILE: &str = "code_file";

/// Reads a file for `code_file=PATH`: the text, or why not. The core reads no files itself; the
/// binary passes `std::fs::read_to_string`.
pub type ReadFile<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// A reader for when there is no file system: every read fails.
fn no_files(path: &str) -> Result<String, String> {
    Err(format!("cannot read {path}: no file system here"))
}

/// The help text of the command line: one line per scenario key, from the key table, then
/// `format`.
pub fn usage() -> String {
    let mut rows: Vec<(String, String)> = KEYS
        .iter()
        .map(|key| {
            let mut help = key.help().to_string();
            if let Some(range) = key.kind.range() {
                help = format!("{help}, {range}");
            }
            let default = key.default_text();
            let default = if default.is_empty() { "none" } else { &default };
            (
                format!("{}={}", key.name, key.kind.syntax()),
                format!("{help} [{default}]"),
            )
        })
        .collect();
    rows.push((
        format!("{CODE_FILE}=PATH"),
        "read code from this file [none]".to_string(),
    ));
    rows.push((
        format!("{FORMAT}={}", FORMAT_KIND.syntax()),
        "output [text]".to_string(),
    ));
    let width = rows.iter().map(|(left, _)| left.len()).max().unwrap_or(0);
    let mut text = "usage: simulate [key=value ...]\n\nkeys (default in brackets):".to_string();
    for (left, right) in rows {
        text.push_str(&format!("\n  {left:<width$}   {right}"));
    }
    text
}

/// Output format of the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A readable table (the default).
    Text,
    /// One JSON object on one line.
    Json,
    /// The whole trace as Chrome Trace Event JSON, for ui.perfetto.dev (`sim::export`).
    Perfetto,
    /// One row per student span (`sim::export`).
    Csv,
}

/// Parses the command line's arguments: the scenario keys plus `format=text|json` (no
/// `code_file`: see [`parse_with_files`]).
///
/// # Errors
/// Every bad argument, in order (`format` problems first).
pub fn parse(args: &[String]) -> Result<(Scenario, Format), Vec<ParamError>> {
    parse_with_files(args, &no_files)
}

/// Parses the command line's arguments: the scenario keys plus `format=text|json` and
/// `code_file=PATH`, read with `read_file`.
///
/// # Errors
/// Every bad argument, in order (`format` and `code_file` problems first).
pub fn parse_with_files(
    args: &[String],
    read_file: ReadFile<'_>,
) -> Result<(Scenario, Format), Vec<ParamError>> {
    let mut errors = Vec::new();
    let mut format = None;
    let mut rest: Vec<String> = Vec::new();
    let has_code = args.iter().any(|a| a.starts_with("code="));
    for arg in args {
        match arg.split_once('=') {
            Some((CODE_FILE, path)) => match read_file(path) {
                _ if has_code => errors.push(ParamError::bad_value(
                    CODE_FILE,
                    path,
                    "either code or code_file, not both",
                )),
                Ok(text) => rest.push(format!("code={text}")),
                Err(why) => errors.push(ParamError::bad_value(
                    CODE_FILE,
                    path,
                    format!("a readable file ({why})"),
                )),
            },
            Some((FORMAT, value)) => {
                let parsed = match value {
                    "text" => Some(Format::Text),
                    "json" => Some(Format::Json),
                    "perfetto" => Some(Format::Perfetto),
                    "csv" => Some(Format::Csv),
                    _ => None,
                };
                match (parsed, format) {
                    (None, _) => {
                        errors.push(ParamError::bad_value(FORMAT, value, FORMAT_KIND.allowed()));
                    }
                    (Some(_), Some(_)) => errors.push(ParamError::repeated(FORMAT, value)),
                    (Some(f), None) => format = Some(f),
                }
            }
            _ => rest.push(arg.clone()),
        }
    }
    let scenario = match Scenario::parse_args(&rest) {
        Ok(s) => Some(s),
        Err(mut more) => {
            // The command line accepts one key the scenario does not know.
            for e in &mut more {
                if e.kind == ParamErrorKind::UnknownKey {
                    let known = key_names().chain([CODE_FILE, FORMAT]);
                    *e = ParamError::unknown_key(&e.key, &e.value, known);
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
/// (metrics only: the figures are the same as with a full trace) and formats. `code_file` cannot
/// be read here (see [`run_with_files`]).
pub fn run<S: AsRef<str>>(args: &[S]) -> Outcome {
    run_with_files(args, &no_files)
}

/// Runs the command line as [`run`], reading `code_file=PATH` with `read_file`.
///
/// With `code` (or `code_file`), warnings about the code (`coroutine 'send_email' was never
/// awaited`) go to standard error as `warning: line N: ...` and, in JSON, to `"warnings"`. Code
/// that does not compile, or fails while running, exits with 2: `line N, column M: ...`.
pub fn run_with_files<S: AsRef<str>>(args: &[S], read_file: ReadFile<'_>) -> Outcome {
    let args: Vec<String> = args.iter().map(|a| a.as_ref().to_string()).collect();
    if args
        .iter()
        .any(|a| matches!(a.as_str(), "-h" | "--help" | "help"))
    {
        return Outcome {
            code: 0,
            stdout: format!("{}\n", usage()),
            stderr: String::new(),
        };
    }
    let (scenario, format) = match parse_with_files(&args, read_file) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let mut stderr = String::new();
            for e in &errors {
                stderr.push_str(&format!("error: {e}\n"));
            }
            // The usage helps with keys, not with code.
            if errors.iter().any(|e| e.kind != ParamErrorKind::BadCode) {
                stderr.push_str(&format!("\n{}\n", usage()));
            }
            return Outcome {
                code: 2,
                stdout: String::new(),
                stderr,
            };
        }
    };
    // Parsing compiled the code already: it compiles.
    let program = handler::program_for(&scenario);
    let warnings = match (&program, &scenario.code) {
        (Ok(p), Some(_)) => Some(p.warnings().to_vec()),
        _ => None,
    };
    let uses_seats = program.as_ref().is_ok_and(|p| p.uses_seats());
    let prints = program.is_ok_and(|p| p.prints());
    let warning_lines: String = warnings
        .iter()
        .flatten()
        .map(|w| format!("warning: line {}: {}\n", w.line, w.message))
        .collect();
    // The trace itself, taken away whole.
    if let Some(write) = match format {
        Format::Perfetto => Some(export::perfetto as fn(&Trace) -> String),
        Format::Csv => Some(export::csv as fn(&Trace) -> String),
        Format::Text | Format::Json => None,
    } {
        return match simulate(&scenario) {
            Ok(trace) => Outcome {
                code: 0,
                stdout: write(&trace),
                stderr: warning_lines,
            },
            Err(e) => Outcome {
                code: if matches!(e, SimError::Code(_)) { 2 } else { 1 },
                stdout: String::new(),
                stderr: format!("{warning_lines}error: {e}\n"),
            },
        };
    }
    let _ = prints;
    match figures(&scenario, uses_seats || scenario.code.is_some()) {
        Ok((metrics, seats, (log, hidden), status)) => {
            // Responses by status are counted for code (the built-in handlers answer 200).
            let status = status.filter(|_| scenario.code.is_some());
            Outcome {
                code: 0,
                stdout: match format {
                    Format::Json => format!(
                        "{}\n",
                        json(
                            &metrics,
                            seats.as_ref(),
                            warnings,
                            (&log, hidden),
                            status.as_ref()
                        )
                    ),
                    Format::Text | Format::Perfetto | Format::Csv => {
                        let mut text = format!("{}\n\n{}", scenario.describe(), metrics.to_text());
                        if let Some(seats) = &seats {
                            text.push_str(&seats_text(seats));
                        }
                        if let Some(status) = status.filter(|s| s.keys().any(|k| k != "200")) {
                            let counts: Vec<String> = status
                                .iter()
                                .map(|(code, n)| format!("{code}: {n}"))
                                .collect();
                            text.push_str(&format!("responses      {}\n", counts.join(", ")));
                        }
                        text.push_str(&log_text(&log, hidden));
                        text
                    }
                },
                stderr: warning_lines,
            }
        }
        Err(e) => Outcome {
            // A mistake in the code is bad input, as when it does not compile.
            code: if matches!(e, SimError::Code(_)) { 2 } else { 1 },
            stdout: String::new(),
            stderr: format!("{warning_lines}error: {e}\n"),
        },
    }
}

/// The metrics, and for code or a handler that touches `seats_left` its record, its log and
/// its responses by status (which need the full run; the built-in handlers run without spans,
/// as fast as they go).
fn figures(scenario: &Scenario, full: bool) -> Result<Figures, SimError> {
    if full {
        let trace = simulate(scenario)?;
        let mut status = Statuses::new();
        for s in trace
            .students
            .iter()
            .filter(|s| s.finish.is_some() || s.rejected)
        {
            *status.entry(s.status.to_string()).or_default() += 1;
        }
        let lock_waits = trace.row_lock_waits();
        Ok((
            trace.metrics,
            trace.seats.map(|s| (s, lock_waits)),
            (trace.log, trace.log_hidden),
            Some(status),
        ))
    } else {
        Ok((
            simulate_metrics_only(scenario)?,
            None,
            (Vec::new(), 0),
            None,
        ))
    }
}

/// A run's metrics, its seats with the row lock's waits, what it printed, and its responses.
type Figures = (
    Metrics,
    Option<(SeatsTrace, u32)>,
    Printed,
    Option<Statuses>,
);

/// Responses by HTTP status, `"200"` first.
type Statuses = std::collections::BTreeMap<String, u32>;

/// What a run printed, and how many logging calls fell below the level.
type Printed = (Vec<LogLine>, u32);

/// One printed line in the JSON object: the student as the page numbers it (#1 first), the
/// simulated time in seconds, the text.
#[derive(Serialize)]
struct LogJson<'a> {
    student: u32,
    time: f64,
    text: &'a str,
}

/// The printed lines under the figures: `  0.050 s  #1  text`.
fn log_text(log: &[LogLine], hidden: u32) -> String {
    if log.is_empty() && hidden == 0 {
        return String::new();
    }
    let mut out = String::from("\nprinted\n");
    if hidden > 0 {
        out.push_str(&format!(
            "  ({hidden} logging call{} below the logging level: written nowhere, as in Python)\n",
            if hidden == 1 { "" } else { "s" }
        ));
    }
    for line in log {
        out.push_str(&format!(
            "  {:>9} s  #{:<4} {}\n",
            decimal::fixed(line.at.as_secs_f64(), 3),
            line.student + 1,
            line.text
        ));
    }
    out
}

/// The race handler's figures in the JSON object.
#[derive(Serialize)]
struct SeatsJson {
    initial: u32,
    left: u32,
    registered: u32,
    lost_updates: u32,
    /// Requests that waited for the row lock of another transaction.
    lock_waits: u32,
    /// Versioned updates that found the version moved on.
    retries: u32,
}

/// The JSON object: the metrics, then `"seats"` for a handler that touches `seats_left`, then
/// `"warnings"` when code was given, then `"log"` when it printed.
#[derive(Serialize)]
struct Json<'a> {
    #[serde(flatten)]
    metrics: MetricsJson,
    #[serde(skip_serializing_if = "Option::is_none")]
    seats: Option<SeatsJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warnings: Option<Vec<Warning>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    log: Vec<LogJson<'a>>,
    /// Logging calls below the level, which Python writes nowhere.
    #[serde(skip_serializing_if = "is_zero")]
    log_below_level: u32,
    /// Responses by status, for code.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'a Statuses>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// The JSON object: the metrics, plus `"seats": {"initial", "left", "registered",
/// "lost_updates", "lock_waits", "retries"}` for the race handler, plus `"warnings": [{"line",
/// "message"}]` for code.
fn json(
    metrics: &Metrics,
    seats: Option<&(SeatsTrace, u32)>,
    warnings: Option<Vec<Warning>>,
    (log, hidden): (&[LogLine], u32),
    status: Option<&Statuses>,
) -> String {
    let out = Json {
        metrics: metrics.to_json_struct(),
        seats: seats.map(|(seats, lock_waits)| SeatsJson {
            initial: seats.initial,
            left: seats.final_value(),
            registered: seats.registered(),
            lost_updates: seats.lost_updates().len() as u32,
            lock_waits: *lock_waits,
            retries: seats.retries(),
        }),
        warnings,
        log: log
            .iter()
            .map(|l| LogJson {
                student: l.student + 1,
                time: l.at.as_secs_f64(),
                text: &l.text,
            })
            .collect(),
        log_below_level: hidden,
        status,
    };
    // Only numbers, fixed keys and plain strings: serialization cannot fail.
    serde_json::to_string(&out).unwrap_or_default()
}

fn seats_text((seats, lock_waits): &(SeatsTrace, u32)) -> String {
    let rows = [
        ("seats at start", seats.initial),
        ("seats left", seats.final_value()),
        ("registered", seats.registered()),
        ("lost updates", seats.lost_updates().len() as u32),
        ("lock waits", *lock_waits),
        ("retries", seats.retries()),
    ];
    rows.iter()
        .map(|(name, value)| format!("{name:<15} {value:>14}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_names_every_key_with_its_default() {
        let help = usage();
        for key in KEYS.iter().map(|k| k.name).chain([FORMAT]) {
            let line = help
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{key}=")))
                .unwrap_or_else(|| panic!("no help line for {key}"));
            assert!(line.ends_with(']'), "{line}");
        }
        assert!(help.contains("  workers=N "));
        assert!(help.contains("worker processes, 1..64 [1]"));
        assert!(
            help.contains("[none]"),
            "extra_arrivals has no default times"
        );
    }
}
