//! The same scenario gives the same trace: run twice natively, and against constants that the
//! browser test (`tests/web_core.rs`) asserts too.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

#[path = "support/determinism.rs"]
mod determinism;

use async_lanes::sim::simulate;

#[test]
fn fixture_hashes_match_the_pinned_constants() {
    let hashes = determinism::hashes();
    let printed: Vec<String> = hashes.iter().map(|h| format!("{h:#018x}")).collect();
    assert_eq!(
        hashes,
        determinism::EXPECTED,
        "trace hashes changed: [{}]",
        printed.join(", ")
    );
}

#[test]
fn two_runs_give_equal_traces() {
    for scenario in determinism::scenarios() {
        let a = simulate(&scenario).unwrap();
        let b = simulate(&scenario).unwrap();
        assert_eq!(a, b, "{}", scenario.describe());
    }
}
