//! CPU work as CPython and Linux share it: one interpreter lock per worker process with a switch
//! interval, and the machine's cores shared by the processes. Each case carries the figure
//! CPython 3.11.7 gave on this project's 2-core machine (`sys.getswitchinterval()` 0.005 s;
//! CPU work as a loop on `time.thread_time()`; cores limited with `os.sched_setaffinity`), or
//! the figure worked out by hand where a real server is needed.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use async_lanes::sim::lang::presets;
use async_lanes::sim::{simulate, Mode, Scenario, SimTime, State, Step};
use async_lanes::view::scenes::SceneId;

#[path = "support/keys.rs"]
mod keys;
use keys::{run, scenario};

fn secs(t: SimTime) -> f64 {
    t.as_secs_f64()
}

/// The run's makespan, in milliseconds.
fn makespan_ms(keys: &str) -> u64 {
    run(keys, "").metrics.makespan.as_micros() / 1000
}

/// Every student's finish, in seconds, by student number.
fn finishes(keys: &str, code: &str) -> Vec<f64> {
    let trace = run(keys, code);
    trace
        .students
        .iter()
        .map(|s| secs(s.finish.expect("finished")))
        .collect()
}

#[test]
fn gather_runs_cpu_work_on_threads_one_slice_at_a_time() {
    // CPython: 0.201, 0.202 and 0.201 s. Two threads, one lock: 200 ms of CPU take 200 ms.
    let code = "import asyncio|async def register(student):|    await asyncio.gather(\
                asyncio.to_thread(cpu_work, ms=100), asyncio.to_thread(cpu_work, ms=100))";
    assert_eq!(finishes("mode=async students=1 email_ms=0", code), [0.2]);
    // run_in_threadpool shares the same lock.
    let code = "from starlette.concurrency import run_in_threadpool|\
                async def register(student):|    await asyncio.gather(\
                run_in_threadpool(cpu_work, ms=100), run_in_threadpool(cpu_work, ms=100))";
    assert_eq!(
        finishes(
            "mode=async students=1 email_ms=0",
            &format!("import asyncio|{code}")
        ),
        [0.2]
    );
}

#[test]
fn a_thread_computing_lets_the_loop_in_within_a_switch_interval() {
    // CPython 3.11, with the executor's threads already made (as a served app's are after its
    // first requests): B's validation started at 0.0102-0.0103 s and ended at 0.0253-0.0267 s
    // while A's thread computed for 1 s. The loop keeps the lock after A's line hands the call
    // to a thread, so B starts at once; the thread, waiting since then, gets the lock after a
    // switch interval: B runs 5 ms, waits 5, runs 5, done at 0.025 s, not after A's whole
    // second. (With no thread made yet, starting one hands it the lock first: B ran from
    // 0.017 to 0.032 s.)
    let code = "import asyncio|async def register(student):|    validate(student)|    \
                await asyncio.to_thread(cpu_work, ms=1000)";
    let trace = run("mode=async students=2 validate_ms=10 email_ms=0", code);
    let on_validate: Vec<(State, f64, f64)> = trace
        .spans_of(1)
        .iter()
        .filter(|sp| sp.line == Some(3))
        .map(|sp| (sp.state, secs(sp.start), secs(sp.end)))
        .collect();
    assert_eq!(
        on_validate,
        [
            (State::Ready, 0.0, 0.01),
            (State::Running, 0.01, 0.015),
            (State::ThreadWait, 0.015, 0.02),
            (State::Running, 0.02, 0.025),
        ]
    );
    // Both threads then share the lock: 2.02 s of CPU in all, so both end in the last few
    // slices. CPython (five tries): A done at 2.010-2.024 s, B at 2.010-2.044, three times
    // within 0.5 ms of each other. A's thread ends at 2.015 s, but the loop takes its result
    // only after reading the byte the thread wrote to wake it (asyncio's self-pipe), a system
    // call, so behind B's last slice: both at 2.02 s. (Without that read: A at 2.015.)
    let done = finishes("mode=async students=2 validate_ms=10 email_ms=0", code);
    assert_eq!(done, [2.02, 2.02]);
}

#[test]
fn the_loop_lets_threads_in_between_short_lines_and_resumes_them_in_its_turn() {
    // CPython 3.11, 30 requests at once, each validating 2 ms on the loop, then 20 ms of CPU in
    // asyncio.to_thread (6 threads on 2 cores), then a 200 ms email; the executor's threads
    // already made. The loop runs every request's first line before it takes any result back
    // (its ready queue), but lets the threads in every switch interval, so the 30 validations
    // stretch to 0.43 s (measured 0.433) and the first result is taken at 0.47 s, after the
    // loop's next `select` (which gives the lock up); makespan 0.878 to 0.920 s, mean 0.72 to
    // 0.86 s. The model: the last validation ends at 0.375 s, the loop takes the lock back
    // behind the threads, reads the first thread's wake-up byte behind one more slice, and the
    // first email starts at 0.41 s, makespan 0.86 s, mean 0.724 s. (Without that read: 0.405 s
    // and a mean of 0.7035 s. Before that: the loop held the lock through its short lines,
    // ending them at 0.09 s, and a thread stayed taken until the loop took its result: mean
    // 0.631 s.)
    let code = "import asyncio|async def register(student):|    validate(student)|    \
                await asyncio.to_thread(cpu_work, ms=20)|    await send_email(student)";
    let keys = "mode=async students=30 validate_ms=2 email_ms=200 cores=2";
    let trace = run(keys, code);
    let mut last_validate = SimTime::ZERO;
    let mut first_email = SimTime::MAX;
    for s in &trace.students {
        for sp in trace.spans_of(s.id) {
            if sp.line == Some(3) && sp.state == State::Running {
                last_validate = last_validate.max(sp.end);
            }
            if sp.line == Some(5) && sp.state == State::AwaitingIo {
                first_email = first_email.min(sp.start);
            }
        }
    }
    assert_eq!(secs(last_validate), 0.375);
    assert_eq!(secs(first_email), 0.41);
    assert_eq!(secs(trace.metrics.makespan), 0.86);
    let done = finishes(keys, code);
    let mean = done.iter().sum::<f64>() / done.len() as f64;
    assert!((mean - 0.724).abs() < 1e-9, "mean {mean}");
}

#[test]
fn a_request_read_while_a_thread_computes_waits_its_turns_for_the_lock() {
    // FastAPI 0.163 on uvicorn 0.54, CPython 3.11: a `def` endpoint computing 100 ms; B is sent
    // 10 ms after A. B's handler started 17 to 30 ms after A was sent (median 26.3, ten tries).
    // The loop takes the lock when B arrives (after a switch interval: 0.015), gives it up to
    // read B's socket (a system call) and takes it back behind A's thread (0.020), reads and
    // routes B (1 ms, framework_ms=2 half before), then hands B to a thread (1 µs), which waits
    // behind A's again: B's handler starts at 0.026001 s. (Taking the lock straight back, it
    // started at 0.016.)
    let trace = run(
        "mode=threadpool threads=2 students=1 extra_arrivals=0.01 framework_ms=2 email_ms=0 \
         validate_ms=0 db_ms=0",
        "def register(student):|    cpu_work(ms=100)",
    );
    let b: Vec<(State, f64, f64)> = trace
        .spans_of(1)
        .iter()
        .take(4)
        .map(|sp| (sp.state, secs(sp.start), secs(sp.end)))
        .collect();
    assert_eq!(
        b,
        [
            (State::ThreadWait, 0.01, 0.02),
            (State::Running, 0.02, 0.021001),
            (State::ThreadWait, 0.021001, 0.026001),
            (State::Running, 0.026001, 0.031001),
        ]
    );
}

#[test]
fn def_endpoints_are_time_sliced_and_finish_together() {
    // CPython, ten threads of 100 ms CPU: finishes from 0.551 to 0.994 s (mean 0.824), 0.634
    // to 0.993 (0.858), 0.709 to 0.993 (0.873); again, means 0.842, 0.897 and 0.882: 1 s of CPU
    // in all, shared, not a staircase of 0.1, 0.2 ... 1.0 s. The model hands the lock over
    // every 5 ms to the next in line, the threads starting in turn: 0.775 to 1.0 s, mean 0.918.
    let done = finishes(
        "mode=threadpool students=10 email_ms=0",
        "def register(student):|    cpu_work(ms=100)",
    );
    assert_eq!(
        done,
        [0.775, 0.82, 0.86, 0.895, 0.925, 0.95, 0.97, 0.985, 0.995, 1.0]
    );
}

#[test]
fn the_loops_framework_work_comes_before_a_def_endpoints_thread() {
    // One thread, 2 students at once, a 1 s email, framework_ms=1000 (0.5 s of CPU on the loop
    // before the handler and 0.5 s after it). Measured on FastAPI 0.163, uvicorn 0.54, anyio
    // 4.16, CPython 3.11 (the CPU in a middleware, before the app and before the response's
    // head): answered at 2.505-2.511 and 4.006-4.013 s. anyio yields to the loop before it
    // hands A's call to the thread, so the loop reads B first (A's email runs from 1.0 to
    // 2.0 s), and B gets the thread only in the step that writes A's response (B's email from
    // 2.5 to 3.5 s). Not 3.0 s: a `def` endpoint's work does not overlap the loop's this way.
    let keys = "mode=threadpool threads=1 students=2 email_ms=1000 framework_ms=1000";
    assert_eq!(makespan_ms(keys), 4000);
}

#[test]
fn worker_processes_share_the_cores() {
    // CPython, 4 processes pinned to 1 core, each validating 2 students of 100 ms: 0.815,
    // 0.808 and 0.808 s. Four workers on one core cannot compute faster than one.
    let keys = "mode=async workers=4 validate_ms=100 students=8 email_ms=0";
    assert_eq!(makespan_ms(&format!("{keys} cores=1")), 800);
    assert_eq!(makespan_ms(&format!("{keys} cores=2")), 400);
    assert_eq!(makespan_ms(&format!("{keys} cores=4")), 200);
}

#[test]
fn io_is_not_slowed_by_busy_cores() {
    // Eight blocking workers on two cores, each 10 ms of CPU then a 1 s email: the emails
    // overlap whatever the cores; only the CPU is shared (8 x 10 ms on 2 cores: 40 ms).
    let keys = "workers=8 cores=2 students=8 validate_ms=10 email_ms=1000";
    assert_eq!(makespan_ms(keys), 1040);
}

#[test]
fn the_switch_interval_is_a_key() {
    let code = "def register(student):|    cpu_work(ms=100)";
    let slices = |keys: &str| {
        let trace = run(keys, code);
        trace
            .spans_of(0)
            .iter()
            .filter(|sp| sp.state == State::Running)
            .count()
    };
    // Two threads of 100 ms: with a 5 ms interval, 20 slices each; with 50 ms, 2.
    assert_eq!(slices("mode=threadpool students=2 email_ms=0"), 20);
    assert_eq!(
        slices("mode=threadpool students=2 email_ms=0 switch_ms=50"),
        2
    );
    let s = scenario("switch_ms=2.5", "");
    assert_eq!(s.switch_ms, 2.5);
    assert!(s.describe().contains("switch_ms=2.5"));
    assert!(!Scenario::default().describe().contains("switch_ms"));
    assert!(Scenario::parse_args(&["switch_ms=fast"]).is_err());
}

#[test]
fn without_threads_or_extra_workers_nothing_changes() {
    // The loop alone never waits for its own lock, and up to `cores` workers never share a
    // core: CPU work is one slice of exactly its length.
    for keys in [
        "mode=async students=20 validate_ms=7 db_ms=30 email_ms=90",
        "mode=blocking workers=4 students=20 validate_ms=7 email_ms=90",
    ] {
        let trace = run(keys, "");
        for s in &trace.students {
            let running: Vec<_> = trace
                .spans_of(s.id)
                .iter()
                .filter(|sp| sp.state == State::Running)
                .map(|sp| sp.end - sp.start)
                .collect();
            assert_eq!(running, [SimTime::from_millis(7)], "{keys}");
            assert!(trace
                .spans_of(s.id)
                .iter()
                .all(|sp| sp.state != State::ThreadWait));
        }
    }
    let blocking = simulate(&Scenario {
        mode: Mode::Blocking,
        workers: 8,
        cores: 8,
        validate_ms: 5.0,
        ..Scenario::default()
    })
    .expect("runs");
    assert_eq!(blocking.metrics.makespan, SimTime::from_millis(13 * 2005));
}

/// Every scene as it opens, and every playground preset in the playground's setup, hashed
/// before the interpreter lock and the cores were modelled: none of them has a thread but the
/// loop's computing or more workers than cores, so none may change.
const BEFORE_THE_LOCK: &[(&str, u64)] = &[
    ("blocking", 0x3f5a2327b1d855f3),
    ("async", 0x65876fd7e5a37638),
    // The inside scene as it opened when the lock came in (it has since lost its one
    // connection: the article's D waits for its query's response, not for a connection).
    ("inside then", 0xae698c8d903891bd),
    ("await", 0xb68c4dd004a72e3c),
    ("workers", 0x9385d1122d0be2e6),
    ("compare", 0x3f5a2327b1d855f3),
    ("race", 0xba2e2c91c467200e),
    ("load", 0x825f3b5860ba37e5),
    ("playground", 0xb68c4dd004a72e3c),
    ("preset article", 0xb68c4dd004a72e3c),
    ("preset def", 0x490815d17cb2ffe5),
    ("preset gather", 0xd9cac61a702a117a),
    ("preset to-thread", 0x9b64ee88cd64540c),
    ("preset time-limit", 0x7e583d7bb338307f),
    ("preset after-response", 0xa6bf4150ebe52d75),
    ("preset forgotten-await", 0x6a355d5b01e9a4d7),
    ("preset race", 0x5d059642b6092e33),
    ("preset lock", 0xa21a0ae1f42b78e0),
    ("preset atomic", 0xd7e23face42efd23),
    ("preset row-lock", 0x6851d246f9165d11),
    ("preset optimistic", 0x14efbd2f90e13d95),
];

#[test]
fn the_scenes_as_they_open_and_the_presets_are_unchanged() {
    let playground = SceneId::Playground.defaults();
    for (name, before) in BEFORE_THE_LOCK {
        let scenario = match name.strip_prefix("preset ") {
            Some(slug) => Scenario {
                code: Some(presets::named(slug).expect("a preset").code.to_string()),
                ..playground.clone()
            },
            None if *name == "inside then" => Scenario {
                db_pool: Some(1),
                extra_arrivals: [550, 200, 300, 750, 950].map(SimTime::from_millis).to_vec(),
                ..SceneId::Inside.defaults()
            },
            None => SceneId::from_slug(name).expect("a scene").defaults(),
        };
        let hash = simulate(&scenario).expect("runs").hash();
        assert_eq!(hash, *before, "{name}: {hash:#018x}");
    }
}

#[test]
fn a_run_of_too_many_slices_stops_with_a_clear_error() {
    // 0.001 ms slices of 2 x 1 s of CPU would be two million spans.
    let scenario = scenario(
        "mode=threadpool students=2 email_ms=0 switch_ms=0.001",
        "def register(student):|    cpu_work(ms=1000)",
    );
    let e = simulate(&scenario).expect_err("too many slices");
    assert!(
        e.to_string()
            .starts_with("the run exceeded its limit of 500000 steps"),
        "{e}"
    );
}

#[test]
fn run_in_threadpool_yields_to_the_loop_before_it_takes_a_thread() {
    // CPython 3.11, Starlette's run_in_threadpool on anyio 4.16: two coroutines gathered, each
    // 100 ms of CPU on the loop, then a 1 s time.sleep through run_in_threadpool: both done at
    // 1.202 s (1.202, 1.202; 1.23 on a cold start). anyio yields before it asks for a thread,
    // so the second computes before the first's sleep starts; without that yield the first
    // would be done at 1.1 s. asyncio.to_thread hands the call over at once: 1.101 to 1.103
    // and 1.202 to 1.204 s.
    let keys = "mode=async students=2 validate_ms=100 email_ms=1000 db_ms=0";
    let code = |call: &str| {
        let email = format!("await {call}(smtp.send, welcome(student))");
        format!("async def register(student):|    validate(student)|    {email}")
    };
    assert_eq!(finishes(keys, &code("run_in_threadpool")), [1.2, 1.2]);
    assert_eq!(finishes(keys, &code("asyncio.to_thread")), [1.1, 1.2]);
}

#[test]
fn back_from_a_socket_call_the_loop_waits_one_slice_not_behind_every_thread() {
    // FastAPI 0.163 on uvicorn 0.54, CPython 3.11: six requests at once each compute 100 ms in
    // asyncio.to_thread (six threads, the pool of a 2-CPU machine); a seventh sent 10 ms later
    // started its handler 62.4 and 70.6 ms after the first was sent (the medians of two sets
    // of twelve; single tries 19 to 188 ms). The loop, back from reading it, waits for the
    // slice of the thread that took the lock during the read: here at 61.4 ms. Behind all six
    // threads in line it started at 136.4 ms.
    let trace = run(
        "mode=async students=6 extra_arrivals=0.01 framework_ms=0.4 validate_ms=0 db_ms=0 \
         email_ms=0 cores=2",
        "async def register(student):|    await asyncio.to_thread(cpu_work, ms=100)",
    );
    let read = trace
        .spans_of(6)
        .iter()
        .find(|sp| sp.step != Some(Step::Framework));
    assert_eq!(read.map(|sp| sp.start.as_micros()), Some(61_400));
}
