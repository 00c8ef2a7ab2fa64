//! Reading a trace at any moment (what the page does), driving the executor step by step, and the
//! errors a run can end with.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use async_lanes::sim::handler::TaskFuture;
use async_lanes::sim::{
    simulate, simulate_metrics_only, Executor, Io, Job, Mode, Scenario, SimError, SimTime, State,
    Status, Step,
};

fn secs(s: u64) -> SimTime {
    SimTime::from_secs(s)
}

fn active(state: State, step: Option<Step>) -> Status {
    Status::Active { state, step }
}

#[test]
fn blocking_student_50_waits_in_the_queue_then_blocks_on_the_email() {
    let trace = simulate(&Scenario::default()).unwrap();
    let check =
        |t: u64, expected: Status| assert_eq!(trace.status_at(50, secs(t)), expected, "t={t}");
    check(0, active(State::Queued, None));
    check(99, active(State::Queued, None));
    check(100, active(State::Blocked, Some(Step::SendEmail)));
    check(101, active(State::Blocked, Some(Step::SendEmail)));
    check(102, Status::Finished);
    assert_eq!(trace.spans_of(50).len(), 2);
    let lane = &trace.workers[0].spans;
    assert_eq!(lane.len(), 100);
    assert_eq!(
        (lane[50].start, lane[50].end, lane[50].student),
        (secs(100), secs(102), 50)
    );
}

#[test]
fn metrics_at_a_moment_count_what_has_happened_by_then() {
    let trace = simulate(&Scenario::default()).unwrap();
    let m = trace.metrics_at(secs(100));
    assert_eq!((m.completed, m.in_flight, m.max_in_flight), (50, 1, 1));
    assert_eq!(m.latency.max, secs(100));
    // 50 finished after 2, 4, ..., 100 s; the 50 still waiting have waited 100 s each.
    assert_eq!(m.latency.mean_s, 75.5);
    assert_eq!(m.throughput_per_s, 0.5);
    assert_eq!(m.utilization, 1.0);
    let start = trace.metrics_at(SimTime::ZERO);
    assert_eq!(
        (start.completed, start.in_flight, start.max_in_flight),
        (0, 1, 1)
    );
    assert_eq!((start.throughput_per_s, start.utilization), (0.0, 0.0));
    assert_eq!(trace.metrics_at(trace.end), trace.metrics);
}

#[test]
fn stepping_through_changes_moves_two_seconds_at_a_time_when_blocking() {
    let trace = simulate(&Scenario::default()).unwrap();
    assert_eq!(trace.next_change_after(SimTime::ZERO), Some(secs(2)));
    assert_eq!(trace.next_change_after(secs(3)), Some(secs(4)));
    assert_eq!(trace.prev_change_before(secs(3)), Some(secs(2)));
    assert_eq!(trace.prev_change_before(SimTime::ZERO), None);
    assert_eq!(trace.next_change_after(trace.end), None);
    let times = trace.change_times();
    assert_eq!(times.len(), 101);
    assert_eq!(times.last(), Some(&secs(200)));
}

#[test]
fn inside_one_async_worker_tasks_interleave() {
    // Visible CPU and I/O: 100 ms validation, 300 ms database, 2 s email, four students.
    let scenario = Scenario::parse_args(&[
        "mode=async",
        "students=4",
        "validate_ms=100",
        "db_ms=300",
        "email_ms=2000",
    ])
    .unwrap();
    let trace = simulate(&scenario).unwrap();
    let at = SimTime::from_millis(350);
    let states: Vec<Status> = (0..4).map(|s| trace.status_at(s, at)).collect();
    assert_eq!(
        states,
        [
            active(State::AwaitingIo, Some(Step::SaveToDatabase)),
            active(State::AwaitingIo, Some(Step::SaveToDatabase)),
            active(State::AwaitingIo, Some(Step::SaveToDatabase)),
            active(State::Running, Some(Step::Validate)),
        ]
    );
    let later = SimTime::from_millis(450);
    assert_eq!(
        trace.status_at(0, later),
        active(State::AwaitingIo, Some(Step::SendEmail))
    );
    assert_eq!(trace.in_flight_by_worker(later), vec![4]);
    assert_eq!(trace.metrics.makespan, SimTime::from_millis(2700));
}

#[test]
fn the_executor_steps_runs_until_and_reports_progress() {
    let mut ex = Executor::new(&Scenario::default()).unwrap();
    assert_eq!(ex.next_event_time(), Some(SimTime::ZERO));
    assert_eq!(ex.step(), Ok(Some(SimTime::ZERO)));
    assert_eq!((ex.completed(), ex.in_flight()), (0, 1));
    assert_eq!(ex.step(), Ok(Some(secs(2))));
    assert_eq!(ex.completed(), 1);
    ex.run_until(secs(11)).unwrap();
    assert_eq!((ex.now(), ex.completed()), (secs(11), 5));
    let partial = ex.into_trace();
    assert!(!partial.complete);
    assert_eq!(partial.end, secs(11));
    assert_eq!(
        partial.status_at(5, secs(11)),
        active(State::Blocked, Some(Step::SendEmail))
    );
    assert_eq!(partial.status_at(99, secs(11)), active(State::Queued, None));
    assert_eq!(partial.metrics.completed, 5);

    let mut ex = Executor::new(&Scenario::default()).unwrap();
    ex.run().unwrap();
    assert!(ex.is_finished());
    assert_eq!(ex.step(), Ok(None));
    assert_eq!(ex.metrics().makespan, secs(200));
}

#[test]
fn extra_arrivals_join_the_queue_at_their_time() {
    let scenario = Scenario {
        mode: Mode::Async,
        students: 3,
        extra_arrivals: vec![SimTime::from_millis(500), SimTime::ZERO],
        ..Scenario::default()
    };
    let trace = simulate(&scenario).unwrap();
    assert_eq!(trace.students.len(), 5);
    assert_eq!(trace.students[3].arrival, SimTime::from_millis(500));
    assert_eq!(trace.students[3].finish, Some(SimTime::from_millis(2500)));
    assert_eq!(trace.students[4].finish, Some(secs(2)));
    assert_eq!(
        trace.status_at(3, SimTime::from_millis(499)),
        Status::NotArrived
    );
}

#[test]
fn an_invalid_scenario_is_an_error_naming_the_field() {
    let bad = Scenario {
        workers: 0,
        email_ms: f64::NAN,
        ..Scenario::default()
    };
    let Err(SimError::InvalidScenario(errors)) = simulate(&bad) else {
        panic!("expected an invalid scenario");
    };
    let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["workers", "email_ms"]);
    assert!(simulate_metrics_only(&bad).is_err());
}

/// A handler that never stops yielding: only the step limit ends it.
fn forever(io: Io, _job: Job) -> TaskFuture {
    Box::pin(async move {
        loop {
            io.call(Step::SendEmail, SimTime::ZERO, true).await;
        }
    })
}

#[test]
fn a_runaway_handler_hits_the_step_limit() {
    let mut ex = Executor::with_handler(&Scenario::default(), forever)
        .unwrap()
        .with_step_limit(10_000);
    let err = ex.run().unwrap_err();
    assert_eq!(
        err,
        SimError::StepLimit {
            limit: 10_000,
            at: SimTime::ZERO
        }
    );
    assert_eq!(ex.step(), Err(err.clone()));
    assert!(err.to_string().contains("limit of 10000 steps"));
}

/// A handler that takes two connections from a pool of one: every request deadlocks.
fn greedy(io: Io, _job: Job) -> TaskFuture {
    Box::pin(async move {
        let _first = io.connection(Step::SaveToDatabase, true).await;
        let _second = io.connection(Step::SaveToDatabase, true).await;
    })
}

#[test]
fn a_deadlock_is_reported_as_stuck() {
    let scenario = Scenario {
        mode: Mode::Async,
        students: 3,
        db_pool: Some(1),
        ..Scenario::default()
    };
    let err = Executor::with_handler(&scenario, greedy)
        .unwrap()
        .run()
        .unwrap_err();
    assert_eq!(
        err,
        SimError::Stuck {
            at: SimTime::ZERO,
            unfinished: 3,
            // A hand-written handler has no source lines.
            line: None,
        }
    );
}

/// A future that is never woken: pending forever without asking the executor for anything.
struct Never;

impl Future for Never {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        Poll::Pending
    }
}

fn hangs(_io: Io, _job: Job) -> TaskFuture {
    Box::pin(Never)
}

#[test]
fn a_future_nobody_wakes_is_stuck_not_a_hang() {
    let err = Executor::with_handler(&Scenario::default(), hangs)
        .unwrap()
        .run()
        .unwrap_err();
    assert!(
        matches!(
            err,
            SimError::Stuck {
                unfinished: 100,
                ..
            }
        ),
        "{err}"
    );
}
