//! The line of the handler's source each request is on over time (`Span::line`,
//! `Trace::line_at`): the lines of the code's own text, or of the preset's text exactly as
//! `lang::presets` gives it, so the page can show that text with its per-line counts.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use async_lanes::sim::handler::code_for;
use async_lanes::sim::lang::presets::{self, PRESETS};
use async_lanes::sim::{simulate, SimError, SimTime, Span, State, Step, Trace};

#[path = "support/keys.rs"]
mod keys;
use keys::{run, scenario};

/// The line (from 1) of the first line of `text` containing `needle`.
#[track_caller]
fn line_of(text: &str, needle: &str) -> u16 {
    let i = text.lines().position(|l| l.contains(needle));
    let i = i.unwrap_or_else(|| panic!("no {needle:?} in:\n{text}"));
    u16::try_from(i + 1).unwrap_or(u16::MAX)
}

/// `student`'s line at each of `times_ms`.
fn lines_at(trace: &Trace, student: u32, times_ms: &[u64]) -> Vec<Option<u16>> {
    times_ms
        .iter()
        .map(|&ms| trace.line_at(student, SimTime::from_millis(ms)))
        .collect()
}

#[test]
fn the_articles_handler_is_on_each_steps_line_of_the_presets_text() {
    let keys = "mode=async students=1 validate_ms=100 db_ms=200 email_ms=300";
    let text = code_for(&scenario(keys, ""));
    let (validate, save, email) = (
        line_of(&text, "validate(student)"),
        line_of(&text, "await save_to_database(student)"),
        line_of(&text, "await send_email(student)"),
    );
    assert_eq!((validate, save, email), (3, 4, 5), "{text}");
    let trace = run(keys, "");
    assert_eq!(
        lines_at(&trace, 0, &[0, 50, 150, 299, 300, 450, 599, 600]),
        [
            Some(validate),
            Some(validate),
            Some(save),
            Some(save),
            Some(email),
            Some(email),
            Some(email),
            None // finished
        ]
    );
}

#[test]
fn queued_requests_are_on_no_line() {
    // One worker taking one request at a time: the second waits in the accept queue.
    let keys = "mode=blocking students=2 validate_ms=100 db_ms=200 email_ms=300";
    let text = code_for(&scenario(keys, ""));
    let trace = run(keys, "");
    let validate = Some(line_of(&text, "validate(student)"));
    let save = Some(line_of(&text, "db.save(student)"));
    assert_eq!(
        trace
            .span_at(1, SimTime::from_millis(599))
            .map(|sp| sp.state),
        Some(State::Queued)
    );
    assert_eq!(
        lines_at(&trace, 1, &[0, 599, 600, 699, 850]),
        [None, None, validate, validate, save]
    );
}

#[test]
fn a_loop_of_sleeps_stays_on_the_sleeps_line() {
    let code = "import asyncio||async def f(student):|    for i in range(3):|        await asyncio.sleep(0.5)|    await send_email(student)";
    let trace = run("mode=async students=1 email_ms=300", code);
    let spans = trace.spans_of(0);
    let (in_loop, after): (Vec<&Span>, Vec<&Span>) = spans
        .iter()
        .partition(|sp| sp.end <= SimTime::from_millis(1500));
    // Each sleep's wake is resumed at once: the three sleeps make one maximal span.
    assert!(!in_loop.is_empty(), "{spans:?}");
    assert!(in_loop.iter().all(|sp| sp.line == Some(5)), "{spans:?}");
    assert!(after.iter().all(|sp| sp.line == Some(6)), "{spans:?}");
    assert_eq!(
        lines_at(&trace, 0, &[250, 750, 1250, 1600]),
        [Some(5), Some(5), Some(5), Some(6)]
    );
}

#[test]
fn in_a_loop_each_span_is_on_its_calls_line_ready_ones_too() {
    let code = "import asyncio||async def f(student):|    for i in range(3):|        await asyncio.sleep(0.5)|        cpu_work(ms=100)|    await send_email(student)";
    let trace = run("mode=async students=2 email_ms=300", code);
    let line = |step: Step| match step {
        Step::Sleep => 5,
        Step::CpuWork => 6,
        _ => 7,
    };
    for sp in &trace.spans {
        assert_eq!(sp.line, sp.step.map(line), "{sp:?}");
    }
    // The second request's sleeps end while the first computes: it waits, ready, on line 5.
    assert!(trace
        .spans_of(1)
        .iter()
        .any(|sp| sp.state == State::Ready && sp.line == Some(5)));
}

#[test]
fn waits_for_the_interpreter_lock_are_on_the_line_about_to_run() {
    // Two requests on one worker's thread pool, both computing from 0: CPython hands the lock
    // over every switch interval (5 ms), so they take turns on line 2, each done after 20
    // slices (0.195 and 0.200 s). Back from its sleep at 0.250 s, the second waits for the lock
    // to return from the sleep's line (3) while the first computes on line 4, until its turn
    // 5 ms later.
    let code = "def f(student):|    cpu_work(ms=100)|    time.sleep(0.05)|    cpu_work(ms=100)";
    let trace = run("mode=threadpool threads=2 students=2", code);
    let at = |student, us| {
        let t = SimTime::from_micros(us);
        (
            trace.span_at(student, t).map(|sp| sp.state),
            trace.line_at(student, t),
        )
    };
    assert_eq!(at(0, 52_000), (Some(State::Running), Some(2)));
    assert_eq!(at(1, 52_000), (Some(State::ThreadWait), Some(2)));
    assert_eq!(at(0, 57_000), (Some(State::ThreadWait), Some(2)));
    assert_eq!(at(1, 57_000), (Some(State::Running), Some(2)));
    assert_eq!(at(0, 197_000), (Some(State::Blocked), Some(3)));
    assert_eq!(at(1, 197_000), (Some(State::Running), Some(2)));
    assert_eq!(at(0, 252_000), (Some(State::Running), Some(4)));
    assert_eq!(at(1, 252_000), (Some(State::ThreadWait), Some(3)));
    assert_eq!(at(1, 257_000), (Some(State::Running), Some(4)));
}

#[test]
fn gathered_calls_are_on_the_gathers_line() {
    let preset = presets::named("gather").expect("the gather preset");
    let trace = run(
        "mode=async students=1 validate_ms=100 db_ms=200 email_ms=300",
        preset.code,
    );
    let gather = line_of(preset.code, "await asyncio.gather(");
    assert_eq!(
        lines_at(&trace, 0, &[50, 150, 350]),
        [
            Some(line_of(preset.code, "validate(student)")),
            Some(gather),
            Some(gather)
        ]
    );
}

#[test]
fn a_coroutine_runs_on_the_line_that_awaits_it() {
    let code =
        "async def f(student):|    c = send_email(student)|    validate(student)|    await c";
    let trace = run("mode=async students=1 validate_ms=100 email_ms=300", code);
    assert_eq!(lines_at(&trace, 0, &[50, 200]), [Some(3), Some(4)]);
}

/// Every span of every preset, in every mode: queued ones on no line, the others on a line of
/// the text that makes a call or takes a lock (never the decorator, the `def` or a blank line).
#[test]
fn every_span_of_every_preset_is_on_a_line_that_calls() {
    let common = "workers=2 students=40 concurrency=5 threads=3 arrival=poisson rate=40 \
                  validate_ms=2 db_ms=30 email_ms=90 db_pool=2";
    let mut cases: Vec<(String, String)> = Vec::new();
    for mode in ["blocking", "async", "threadpool"] {
        for handler in ["register", "race"] {
            for awaits in [
                "await_db=true await_email=true",
                "await_db=false await_email=false",
            ] {
                let keys = format!("{common} mode={mode} handler={handler} {awaits}");
                cases.push((keys.clone(), code_for(&scenario(&keys, ""))));
            }
        }
    }
    for preset in PRESETS {
        cases.push((common.to_string(), preset.code.to_string()));
    }
    for (keys, text) in &cases {
        let trace = simulate(&scenario(keys, &text.replace('\n', "|")))
            .unwrap_or_else(|e| panic!("{keys}: {e}"));
        let lines: Vec<&str> = text.lines().collect();
        for sp in &trace.spans {
            match sp.line {
                None => assert_eq!(sp.state, State::Queued, "{keys}: {sp:?}\n{text}"),
                Some(l) => {
                    let line = lines[usize::from(l) - 1].trim();
                    assert!(sp.state != State::Queued, "{keys}: {sp:?}\n{text}");
                    // A wait for a lock is on its `async with` line, as a traceback shows it.
                    assert!(
                        line.contains('(') || line.starts_with("async with "),
                        "{keys}: line {l} {line:?}\n{text}"
                    );
                    assert!(!line.starts_with('@') && !line.contains("def "), "{line}");
                }
            }
        }
    }
}

#[test]
fn a_deadlock_names_the_line_of_the_blocking_wait() {
    // The first request holds the only connection while its fetch is awaited; back on the loop,
    // it hands the connection to the second request, then blocks the loop waiting for one on
    // line 3: the second can never run to give it back.
    let code =
        "async def f(student):|    x = await db.fetch(\"SELECT seats_left FROM course\")|    db.save(student)";
    let err = simulate(&scenario("mode=async students=2 db_pool=1", code)).unwrap_err();
    assert!(
        matches!(err, SimError::Stuck { line: Some(3), .. }),
        "{err}"
    );
    assert_eq!(err.line(), Some(3));
    assert!(
        err.to_string()
            .starts_with("line 3: 2 requests can never finish"),
        "{err}"
    );
}

#[test]
fn lines_stay_out_of_the_hash_and_out_of_json_when_unknown() {
    let mut trace = run("mode=async students=3", "");
    let hash = trace.hash();
    for sp in &mut trace.spans {
        sp.line = None;
    }
    assert_eq!(trace.hash(), hash);
    let json = serde_json::to_string(&trace.spans[0]).expect("a span serializes");
    assert!(!json.contains("line"), "{json}");
}
