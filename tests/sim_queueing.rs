//! Queueing theory as an oracle: with Poisson arrivals the simulated mean response time (queueing
//! plus service) of 100,000 students must be within 3 % of the closed forms.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use async_lanes::sim::simulate_metrics_only;

#[path = "support/keys.rs"]
mod keys;

const STUDENTS: &str = "students=100000";

/// Simulated mean latency in seconds.
fn simulated_mean(args: &str) -> f64 {
    let scenario = keys::scenario(&format!("{args} {STUDENTS}"), "");
    let metrics = simulate_metrics_only(&scenario).expect("run completes");
    assert_eq!(metrics.completed, 100_000);
    metrics.latency.mean_s
}

#[track_caller]
fn check(args: &str, theory: f64) {
    let simulated = simulated_mean(args);
    let error = (simulated - theory).abs() / theory;
    assert!(
        error <= 0.03,
        "{args}: simulated mean {simulated:.4} s, theory {theory:.4} s, off by {:.2} %",
        error * 100.0
    );
}

/// Pollaczek-Khinchine for M/D/1: `W = D + rho D / (2 (1 - rho))`.
fn md1(lambda: f64, d: f64) -> f64 {
    let rho = lambda * d;
    d + rho * d / (2.0 * (1.0 - rho))
}

/// Erlang C for M/M/c: `W = C(c, a) / (c mu - lambda) + 1 / mu`, with `a = lambda / mu`.
fn mmc(lambda: f64, mu: f64, c: u32) -> f64 {
    let a = lambda / mu;
    let rho = a / f64::from(c);
    let mut term = 1.0; // a^k / k!
    let mut below = 0.0;
    for k in 0..c {
        below += term;
        term *= a / f64::from(k + 1);
    }
    let top = term / (1.0 - rho);
    let erlang_c = top / (below + top);
    erlang_c / (f64::from(c) * mu - lambda) + 1.0 / mu
}

#[test]
fn md1_one_blocking_worker_matches_pollaczek_khinchine() {
    // rho = 0.6: W = 2 + 1.5 = 3.5 s.
    check("arrival=poisson rate=0.3 email_ms=2000", md1(0.3, 2.0));
}

#[test]
fn mm1_one_blocking_worker_matches_one_over_mu_minus_lambda() {
    check(
        "arrival=poisson rate=0.3 io_dist=exp seed=2",
        mmc(0.3, 0.5, 1),
    );
}

#[test]
fn mmc_four_blocking_workers_match_erlang_c() {
    check(
        "workers=4 arrival=poisson rate=1.2 io_dist=exp seed=3",
        mmc(1.2, 0.5, 4),
    );
}

#[test]
fn mmc_forty_threads_match_erlang_c() {
    // A thread pool with no CPU work is c servers sharing one queue. rho = 0.8.
    check(
        "mode=threadpool threads=40 arrival=poisson rate=16 io_dist=exp seed=4",
        mmc(16.0, 0.5, 40),
    );
}

#[test]
fn async_with_room_to_spare_is_pure_service_time() {
    // M/D/infinity: nobody waits, the mean is the email time.
    check("mode=async concurrency=10000 arrival=poisson rate=50", 2.0);
}

#[test]
fn closed_forms_are_right() {
    assert!((md1(0.3, 2.0) - 3.5).abs() < 1e-12);
    // M/M/1 from Erlang C with c = 1: 1 / (mu - lambda).
    assert!((mmc(0.3, 0.5, 1) - 5.0).abs() < 1e-12);
    // c = 2, a = 1: C = 1/3, W = (1/3) / (1 - 0.5) + 2 = 2.6667 for mu = 0.5, lambda = 0.5.
    assert!((mmc(0.5, 0.5, 2) - (2.0 / 3.0 + 2.0)).abs() < 1e-12);
}
