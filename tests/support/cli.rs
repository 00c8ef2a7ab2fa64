//! The command line as the language's tests drive it: keys on one line, code on one line with
//! `|` between its lines.

use async_lanes::sim::cli;

/// The arguments for `keys`, `format=json` if `json`, and `code`.
fn args(keys: &str, code: &str, json: bool) -> Vec<String> {
    let mut args: Vec<String> = keys.split_whitespace().map(str::to_string).collect();
    if json {
        args.push("format=json".into());
    }
    args.push(format!("code={}", code.replace('|', "\n")));
    args
}

/// The JSON of a run that works, or what the command line says of one that does not.
#[allow(dead_code)]
pub fn json(keys: &str, code: &str) -> String {
    let out = cli::run(&args(keys, code, true));
    if out.code == 0 {
        out.stdout
    } else {
        out.stderr
    }
}

/// What the command line writes to standard error: the warnings and the error.
#[allow(dead_code)]
pub fn said(keys: &str, code: &str) -> String {
    cli::run(&args(keys, code, false)).stderr
}
