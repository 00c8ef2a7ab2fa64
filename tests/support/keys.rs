//! Scenarios for the native tests from one line of keys, and optionally handler code written on
//! one line with `|` between its lines: the one way the tests write a scenario.
// Each test file takes what it needs of this module.
#![allow(dead_code)]

use async_lanes::sim::{simulate, Scenario, Trace};

/// The scenario of `keys` (plus `code=` if `code` is not empty, lines separated by `|`).
/// A word that is not `key=value` is an error, as on the command line.
pub fn scenario(keys: &str, code: &str) -> Scenario {
    let code = format!("code={}", code.replace('|', "\n"));
    let mut args: Vec<&str> = keys.split_whitespace().collect();
    if code != "code=" {
        args.push(&code);
    }
    Scenario::parse_args(&args).unwrap_or_else(|e| panic!("{keys}: {e:?}"))
}

/// The run of [`scenario`].
pub fn run(keys: &str, code: &str) -> Trace {
    simulate(&scenario(keys, code)).unwrap_or_else(|e| panic!("{keys}: {e}"))
}
