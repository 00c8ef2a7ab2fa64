//! The simulation core in the browser: the pinned trace hashes that the native tests also assert
//! (so wasm and native produce identical traces), the article's numbers, and an ignored benchmark
//! (`cargo test --release --target wasm32-unknown-unknown --test web_core -- --include-ignored
//! --nocapture bench`; the runner ignores plain `--ignored`).
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app
#![cfg(target_arch = "wasm32")]

#[path = "support/determinism.rs"]
mod determinism;

use async_lanes::sim::{simulate, simulate_metrics_only, Mode, Scenario, SimTime};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn trace_hashes_equal_the_native_ones() {
    assert_eq!(determinism::hashes(), determinism::EXPECTED);
}

#[wasm_bindgen_test]
fn the_article_numbers_hold_in_the_browser() {
    let blocking = simulate(&Scenario::default()).unwrap();
    assert_eq!(blocking.metrics.latency.max, SimTime::from_secs(200));
    let async_mode = Scenario {
        mode: Mode::Async,
        ..Scenario::default()
    };
    let trace = simulate(&async_mode).unwrap();
    assert_eq!(trace.metrics.makespan, SimTime::from_secs(2));
    assert_eq!(trace.metrics.max_in_flight, 100);
}

/// Milliseconds from the browser's monotonic clock.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

#[wasm_bindgen_test]
#[ignore]
fn bench_one_million_requests() {
    let scenario = Scenario {
        mode: Mode::Async,
        workers: 4,
        concurrency: 250,
        students: 1_000_000,
        ..Scenario::default()
    };
    let requests = f64::from(scenario.students);
    let mut full = f64::INFINITY;
    let mut lean = f64::INFINITY;
    for _ in 0..3 {
        let start = now_ms();
        let trace = simulate(&scenario).unwrap();
        full = full.min(now_ms() - start);
        assert_eq!(trace.metrics.completed, scenario.students);
        drop(trace);
        let start = now_ms();
        simulate_metrics_only(&scenario).unwrap();
        lean = lean.min(now_ms() - start);
    }
    console_log!(
        "wasm bench: full trace {:.3} s wall, {:.0} requests/s; metrics only {:.3} s wall, {:.0} requests/s",
        full / 1e3,
        requests / (full / 1e3),
        lean / 1e3,
        requests / (lean / 1e3)
    );
}

/// The playground re-runs the reader's code after each pause in the typing: compiling it and
/// simulating the scene's 100 students must fit in one 16 ms frame.
#[wasm_bindgen_test]
#[ignore]
fn bench_playground_rerun() {
    use async_lanes::sim::lang::presets::PRESETS;
    let base = Scenario {
        mode: Mode::Async,
        validate_ms: 5.0,
        db_ms: 50.0,
        ..Scenario::default()
    };
    let mut worst = 0.0f64;
    for preset in PRESETS {
        let scenario = Scenario {
            code: Some(preset.code.to_string()),
            ..base.clone()
        };
        let mut best = f64::INFINITY;
        for _ in 0..5 {
            let start = now_ms();
            let trace = simulate(&scenario).unwrap();
            best = best.min(now_ms() - start);
            assert_eq!(trace.students.len(), 100);
        }
        worst = worst.max(best);
    }
    console_log!(
        "wasm bench: playground re-run of 100 students, slowest of {} presets: {:.2} ms (one frame: 16 ms)",
        PRESETS.len(),
        worst
    );
}

/// The load scene simulates every rate of both curves in the page: within 300 ms.
#[wasm_bindgen_test]
#[ignore]
fn bench_load_curve() {
    use async_lanes::view::load::{LoadCurve, RATES};
    use async_lanes::view::scenes::SceneId;
    for (name, scenario) in [
        ("blocking", SceneId::Load.defaults()),
        (
            "async x4",
            Scenario {
                mode: Mode::Async,
                workers: 4,
                ..SceneId::Load.defaults()
            },
        ),
    ] {
        let mut best = f64::INFINITY;
        for _ in 0..3 {
            let start = now_ms();
            let curve = LoadCurve::new(&scenario);
            best = best.min(now_ms() - start);
            assert_eq!(curve.curves.len(), 2);
        }
        console_log!(
            "wasm bench: load curve ({name}), 2 curves x {RATES} rates: {best:.0} ms (budget 300 ms)"
        );
    }
}
