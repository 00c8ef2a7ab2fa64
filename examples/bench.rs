//! Native benchmark of the simulation core: 1,000,000 registrations on 4 async workers with 250
//! requests in flight each (the article's "1000 concurrent requests"), 2 s email.
//!
//! ```text
//! cargo run --release --example bench
//! ```
//!
//! Prints the wall time and simulated requests per second, with the full trace recorded
//! (`simulate`) and with metrics only (`simulate_metrics_only`), best of three runs each.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use std::time::Instant;

use async_lanes::sim::{simulate, simulate_metrics_only, Mode, Scenario};

fn scenario() -> Scenario {
    Scenario {
        mode: Mode::Async,
        workers: 4,
        concurrency: 250,
        students: 1_000_000,
        ..Scenario::default()
    }
}

fn main() {
    let scenario = scenario();
    println!("scenario: {}", scenario.describe());
    let requests = f64::from(scenario.students);

    let mut best = f64::INFINITY;
    let mut spans = 0;
    let mut makespan = 0.0;
    for _ in 0..3 {
        let start = Instant::now();
        let trace = match simulate(&scenario) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        };
        best = best.min(start.elapsed().as_secs_f64());
        spans = trace.spans.len();
        makespan = trace.metrics.makespan.as_secs_f64();
    }
    println!(
        "full trace:   {:.3} s wall, {:.0} requests/s simulated ({spans} spans, makespan {makespan} s)",
        best,
        requests / best
    );

    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let start = Instant::now();
        if let Err(e) = simulate_metrics_only(&scenario) {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "metrics only: {:.3} s wall, {:.0} requests/s simulated",
        best,
        requests / best
    );
}
