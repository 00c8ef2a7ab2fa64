//! The article's claims, each one line: a scenario and the figures it must produce.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use async_lanes::sim::Metrics;

#[path = "support/keys.rs"]
mod keys;

/// The figures a case pins, in one comparable line.
fn summary(m: &Metrics) -> String {
    format!(
        "completed={} max_in_flight={} makespan={} mean={:.3} s max={} util={:.3}",
        m.completed, m.max_in_flight, m.makespan, m.latency.mean_s, m.latency.max, m.utilization
    )
}

#[track_caller]
fn check(args: &str, expected: &str) {
    let trace = keys::run(args, "");
    assert_eq!(summary(&trace.metrics), expected, "for {args:?}");
}

#[test]
fn blocking_one_worker_last_student_waits_200_s() {
    // "If 100 students register and each email takes 2 seconds, the last student waits 200 seconds."
    check(
        "",
        "completed=100 max_in_flight=1 makespan=200 s mean=101.000 s max=200 s util=1.000",
    );
}

#[test]
fn async_one_worker_everyone_done_at_2_s() {
    check(
        "mode=async",
        "completed=100 max_in_flight=100 makespan=2 s mean=2.000 s max=2 s util=0.000",
    );
}

#[test]
fn four_workers_times_250_is_1000_concurrent_requests() {
    check(
        "mode=async workers=4 concurrency=250 students=1000",
        "completed=1000 max_in_flight=1000 makespan=2 s mean=2.000 s max=2 s util=0.000",
    );
}

#[test]
fn one_more_than_the_room_waits_for_a_slot() {
    // Student 1000 finds every slot taken and starts when the first batch is done.
    check(
        "mode=async workers=4 concurrency=250 students=1001",
        "completed=1001 max_in_flight=1000 makespan=4 s mean=2.002 s max=4 s util=0.000",
    );
}

#[test]
fn a_blocking_call_inside_async_def_is_back_to_200_s() {
    check(
        "mode=async await_email=false",
        "completed=100 max_in_flight=100 makespan=200 s mean=101.000 s max=200 s util=1.000",
    );
}

#[test]
fn plain_def_runs_in_a_pool_of_40_threads() {
    // 100 students, 40 at a time: batches finish at 2, 4 and 6 s.
    check(
        "mode=threadpool",
        "completed=100 max_in_flight=40 makespan=6 s mean=3.600 s max=6 s util=0.000",
    );
}

#[test]
fn four_blocking_workers_divide_the_wait_by_four() {
    check(
        "workers=4",
        "completed=100 max_in_flight=4 makespan=50 s mean=26.000 s max=50 s util=1.000",
    );
}

#[test]
fn cpu_work_is_not_overlapped_by_async() {
    // 10 ms of validation each cannot overlap on one loop: 100 x 10 ms = 1 s of CPU. The ready
    // queue is FIFO, so a request whose database call returned waits behind those not yet
    // validated: every email starts at about 1 s and ends at about 3 s.
    check(
        "mode=async validate_ms=10",
        "completed=100 max_in_flight=100 makespan=3 s mean=3.000 s max=3 s util=0.333",
    );
}

#[test]
fn a_database_pool_of_one_serialises_the_queries() {
    // Ten 100 ms queries through one connection take 1 s in all; no email.
    check(
        "mode=async students=10 db_ms=100 email_ms=0 db_pool=1",
        "completed=10 max_in_flight=10 makespan=1 s mean=0.550 s max=1 s util=0.000",
    );
}

#[test]
fn threads_share_one_interpreter_lock_for_cpu_work() {
    // 40 threads, 50 ms of validation each: one interpreter lock, so 2 s of CPU in all, the lock
    // handed over every 5 ms (CPython's switch interval) to the next thread in line. CPython
    // 3.11 on this machine: makespans 1.994 to 2.015 s, means 1.234 to 1.268 s.
    check(
        "mode=threadpool students=40 validate_ms=50 email_ms=0",
        "completed=40 max_in_flight=40 makespan=2 s mean=1.229 s max=2 s util=1.000",
    );
}
