//! The command line over the core, as a pure function from arguments to output text and exit
//! code, so the same code is tested natively and wrapped by `examples/simulate.rs`.

use serde::Serialize;

use super::scenario::{key_names, HandlerKind, KeyKind, ParamErrorKind, KEYS};
use super::seats::SeatsTrace;
use super::{
    simulate, simulate_metrics_only, Metrics, MetricsJson, ParamError, Scenario, SimError,
};

/// The command line's own key, beside the scenario's.
const FORMAT: &str = "format";
/// What `format` accepts.
const FORMAT_KIND: KeyKind = KeyKind::Choice(&["text", "json"]);

/// The help text of the command line: one line per scenario key, from the key table, then
/// `format`.
pub fn usage() -> String {
    let mut rows: Vec<(String, String)> = KEYS
        .iter()
        .map(|key| {
            let mut help = key.help.to_string();
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
            Some((FORMAT, value)) => {
                let parsed = match value {
                    "text" => Some(Format::Text),
                    "json" => Some(Format::Json),
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
            _ => rest.push(arg.as_str()),
        }
    }
    let scenario = match Scenario::parse_args(&rest) {
        Ok(s) => Some(s),
        Err(mut more) => {
            // The command line accepts one key the scenario does not know.
            for e in &mut more {
                if e.kind == ParamErrorKind::UnknownKey {
                    *e = ParamError::unknown_key(&e.key, &e.value, key_names().chain([FORMAT]));
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
            stdout: format!("{}\n", usage()),
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
            stderr.push_str(&format!("\n{}\n", usage()));
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
