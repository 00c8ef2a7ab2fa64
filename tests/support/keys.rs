//! Scenarios for the native tests from one line of keys, and optionally handler code written on
//! one line with `|` between its lines.

use async_lanes::sim::{simulate, Scenario, Trace};

/// The scenario of `keys` (plus `code=` if `code` is not empty, lines separated by `|`).
pub fn scenario(keys: &str, code: &str) -> Scenario {
    let mut pairs: Vec<(String, String)> = keys
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if !code.is_empty() {
        pairs.push(("code".into(), code.replace('|', "\n")));
    }
    Scenario::parse_pairs(pairs).unwrap_or_else(|e| panic!("{keys}: {e:?}"))
}

/// The run of [`scenario`].
pub fn run(keys: &str, code: &str) -> Trace {
    simulate(&scenario(keys, code)).unwrap_or_else(|e| panic!("{keys}: {e}"))
}
