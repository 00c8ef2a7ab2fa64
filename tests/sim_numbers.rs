//! Numbers that teach the point, and honest limits, each case one line: how a worker's time splits
//! between running code and being stuck in a blocking call, the waits at a moment (students still
//! waiting count), and `overflow=reject`, the 503 a full server answers.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use async_lanes::sim::{
    simulate, simulate_metrics_only, Executor, Metrics, Scenario, SimTime, Status,
};

#[path = "support/keys.rs"]
mod keys;

fn scenario(keys: &str) -> Scenario {
    keys::scenario(keys, "")
}

/// The shares of worker time, in one comparable line.
fn shares(m: &Metrics) -> String {
    format!(
        "util={:.3} cpu={:.3} blocked={:.3}",
        m.utilization, m.cpu_busy, m.blocked
    )
}

/// The shares at the end of the run of `args`, by both routes, and the identity between them.
#[track_caller]
fn check_shares(args: &str, expected: &str) {
    let s = scenario(args);
    let m = simulate(&s).expect("run completes").metrics;
    assert_eq!(shares(&m), expected, "for {args:?}");
    assert_eq!(simulate_metrics_only(&s).expect("run completes"), m);
    assert!(
        (m.utilization - (m.cpu_busy + m.blocked)).abs() < 1e-12,
        "{args:?}: {m:?}"
    );
}

#[test]
fn a_blocking_worker_sending_emails_is_all_blocked_and_no_cpu() {
    check_shares("", "util=1.000 cpu=0.000 blocked=1.000");
    check_shares("workers=4", "util=1.000 cpu=0.000 blocked=1.000");
    // A quarter of each request is validation.
    check_shares(
        "students=10 validate_ms=500 email_ms=1500",
        "util=1.000 cpu=0.250 blocked=0.750",
    );
}

#[test]
fn an_async_worker_awaiting_its_io_is_never_blocked() {
    check_shares("mode=async", "util=0.000 cpu=0.000 blocked=0.000");
    check_shares(
        "mode=async workers=4 concurrency=250 students=1000",
        "util=0.000 cpu=0.000 blocked=0.000",
    );
    check_shares(
        "mode=async validate_ms=10",
        "util=0.333 cpu=0.333 blocked=0.000",
    );
}

#[test]
fn a_blocking_call_in_async_def_blocks_the_loop() {
    check_shares(
        "mode=async await_email=false",
        "util=1.000 cpu=0.000 blocked=1.000",
    );
}

#[test]
fn in_a_thread_pool_a_blocking_call_holds_its_thread_not_the_lane() {
    check_shares("mode=threadpool", "util=0.000 cpu=0.000 blocked=0.000");
    check_shares(
        "mode=threadpool students=40 validate_ms=50 email_ms=0",
        "util=1.000 cpu=1.000 blocked=0.000",
    );
}

#[test]
fn shares_at_a_moment_cover_what_happened_by_then() {
    // Two blocking workers, 1 s of validation then a 1 s email each: CPU for the first second,
    // blocked for the second.
    let s = scenario("workers=2 students=2 validate_ms=1000 email_ms=1000");
    let trace = simulate(&s).expect("run completes");
    let at = |secs| shares(&trace.metrics_at(SimTime::from_secs(secs)));
    assert_eq!(at(0), "util=0.000 cpu=0.000 blocked=0.000");
    assert_eq!(at(1), "util=1.000 cpu=1.000 blocked=0.000");
    assert_eq!(at(2), "util=1.000 cpu=0.500 blocked=0.500");
    assert_eq!(trace.metrics_at(trace.end), trace.metrics);
}

/// The waits at a moment, in one comparable line.
fn waits(m: &Metrics) -> String {
    let l = &m.latency;
    format!(
        "completed={} in_flight={} mean={:.3} s p50={} p95={} p99={} max={}",
        m.completed, m.in_flight, l.mean_s, l.p50, l.p95, l.p99, l.max
    )
}

/// The waits of the run of `args` at `at` (seconds, or `end`).
#[track_caller]
fn check_waits(args: &str, at: &str, expected: &str) {
    let trace = simulate(&scenario(args)).expect("run completes");
    let t = match at {
        "end" => trace.end,
        secs => SimTime::from_secs(secs.parse().expect("whole seconds")),
    };
    assert_eq!(waits(&trace.metrics_at(t)), expected, "{args:?} at {at}");
}

#[test]
fn waits_at_a_moment_count_the_students_still_waiting() {
    // One blocking worker, 100 students at once, 2 s each. At 71 s, 35 have finished (after 2,
    // 4, ..., 70 s), one is being served and 64 are queued: those 65 have waited 71 s so far.
    let check = |at, expected| check_waits("", at, expected);
    check(
        "0",
        "completed=0 in_flight=1 mean=0.000 s p50=0 s p95=0 s p99=0 s max=0 s",
    );
    check(
        "1",
        "completed=0 in_flight=1 mean=1.000 s p50=1 s p95=1 s p99=1 s max=1 s",
    );
    check(
        "71",
        "completed=35 in_flight=1 mean=58.750 s p50=71 s p95=71 s p99=71 s max=71 s",
    );
    check(
        "end",
        "completed=100 in_flight=0 mean=101.000 s p50=100 s p95=190 s p99=198 s max=200 s",
    );
}

#[test]
fn a_student_not_yet_arrived_has_no_wait() {
    // Uniform arrivals, 10 per second, async: at 1.05 s, students 0..=10 have arrived; student
    // 0 (arrived at 0) has waited 1.05 s, the others less, and nobody has finished.
    let trace = simulate(&scenario("mode=async arrival=uniform")).expect("run completes");
    let m = trace.metrics_at(SimTime::from_millis(1050));
    assert_eq!((m.completed, m.in_flight), (0, 11));
    assert_eq!(m.latency.max, SimTime::from_millis(1050));
    assert_eq!(m.latency.p50, SimTime::from_millis(550));
}

/// The outcome of the run of `args`, in one comparable line.
fn outcome(m: &Metrics) -> String {
    format!(
        "completed={} rejected={} max_in_flight={} makespan={} max={}",
        m.completed, m.rejected, m.max_in_flight, m.makespan, m.latency.max
    )
}

/// The outcome at the end of the run of `args`, by both routes, and its trace's bookkeeping.
#[track_caller]
fn check_overflow(args: &str, expected: &str) {
    let s = scenario(args);
    let trace = simulate(&s).expect("run completes");
    assert_eq!(outcome(&trace.metrics), expected, "for {args:?}");
    assert_eq!(
        simulate_metrics_only(&s).expect("run completes"),
        trace.metrics
    );
    assert!(trace.complete);
    let rejected = trace.students.iter().filter(|st| st.rejected).count() as u32;
    assert_eq!(rejected, trace.metrics.rejected);
}

#[test]
fn with_overflow_reject_a_full_house_answers_503() {
    // One blocking worker, 100 students at once: one is served, 99 are turned away.
    check_overflow(
        "overflow=reject",
        "completed=1 rejected=99 max_in_flight=1 makespan=2 s max=2 s",
    );
    // The workers scene: 4 x 250 slots, the 1001st student is turned away, not served at 4 s.
    check_overflow(
        "mode=async workers=4 concurrency=250 students=1001 overflow=reject",
        "completed=1000 rejected=1 max_in_flight=1000 makespan=2 s max=2 s",
    );
    check_overflow(
        "mode=async workers=4 concurrency=250 students=1001",
        "completed=1001 rejected=0 max_in_flight=1000 makespan=4 s max=4 s",
    );
}

#[test]
fn the_check_is_at_arrival_after_that_instants_finishes() {
    // Student 0 holds the only worker from 0 to 2 s. One arriving at 1 s finds it full; one
    // arriving at 2 s comes in the instant student 0 finishes and takes the freed slot.
    check_overflow(
        "students=1 extra_arrivals=1,2 overflow=reject",
        "completed=2 rejected=1 max_in_flight=1 makespan=4 s max=2 s",
    );
}

#[test]
fn a_rejected_student_counts_at_its_arrival_with_no_spans_and_no_wait() {
    let trace = simulate(&scenario("overflow=reject")).expect("run completes");
    let student = &trace.students[7];
    assert!(student.rejected);
    assert_eq!(
        (student.accepted, student.worker, student.finish),
        (None, None, None)
    );
    assert!(trace.spans_of(7).is_empty());
    assert_eq!(trace.status_at(7, SimTime::ZERO), Status::Rejected);
    let start = trace.metrics_at(SimTime::ZERO);
    assert_eq!(
        (start.completed, start.rejected, start.in_flight),
        (0, 99, 1)
    );
    // Rejected students have no wait: only student 0's counts.
    let one = trace.metrics_at(SimTime::from_secs(1));
    assert_eq!(
        (one.latency.mean_s, one.latency.max),
        (1.0, SimTime::from_secs(1))
    );
}

#[test]
fn reject_with_room_for_everyone_is_the_same_run_as_queue() {
    for args in [
        "mode=async",
        "mode=threadpool threads=100",
        "workers=64 students=64",
    ] {
        let queue = simulate(&scenario(args)).expect("run completes");
        let reject = simulate(&scenario(&format!("{args} overflow=reject"))).expect("completes");
        assert_eq!(reject.metrics.rejected, 0, "{args}");
        assert_eq!(reject.hash(), queue.hash(), "{args}");
    }
    let queue = simulate(&scenario("")).expect("run completes");
    let reject = simulate(&scenario("overflow=reject")).expect("run completes");
    assert_ne!(reject.hash(), queue.hash());
}

#[test]
fn the_executor_rejects_in_the_arrival_instant() {
    let mut ex = Executor::new(&scenario("overflow=reject")).expect("valid scenario");
    assert_eq!(ex.step(), Ok(Some(SimTime::ZERO)));
    assert_eq!((ex.completed(), ex.rejected(), ex.in_flight()), (0, 99, 1));
    assert!(!ex.is_finished());
    assert_eq!(ex.step(), Ok(Some(SimTime::from_secs(2))));
    assert!(ex.is_finished());
    assert_eq!(ex.step(), Ok(None));
}
