//! Every built-in handler is a program in the handler language (`lang::presets`). For every mode,
//! handler, await switch and I/O distribution, the preset runs exactly as its own text given as
//! `code=` does (trace for trace); and on small setups whose figures can be worked out by hand,
//! each gives those figures.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use async_lanes::sim::handler::code_for;
use async_lanes::sim::{simulate, Scenario, SimTime, Trace};

#[path = "support/keys.rs"]
mod keys;

/// The keys every case shares: two workers, small pools, Poisson arrivals, all three steps timed.
const COMMON: &str = "workers=2 students=60 concurrency=7 threads=3 arrival=poisson rate=40 \
                      validate_ms=2 db_ms=30 email_ms=90 db_pool=2 seats=20 seed=3";

/// Every combination of the keys that pick a preset, 48 in all.
fn cases() -> Vec<String> {
    let mut out = Vec::new();
    for mode in ["blocking", "async", "threadpool"] {
        for handler in ["register", "race"] {
            for await_db in [true, false] {
                for await_email in [true, false] {
                    for io_dist in ["fixed", "exp"] {
                        out.push(format!(
                            "mode={mode} handler={handler} await_db={await_db} \
                             await_email={await_email} io_dist={io_dist}"
                        ));
                    }
                }
            }
        }
    }
    out
}

#[test]
fn every_preset_runs_as_its_text_given_as_code() {
    let all = cases();
    assert_eq!(all.len(), 48);
    for keys in all {
        let preset = keys::scenario(&format!("{keys} {COMMON}"), "");
        let as_code = Scenario {
            code: Some(code_for(&preset)),
            ..preset.clone()
        };
        // The mode is explicit here (a field set in code), so it stays the preset's.
        let a = simulate(&preset).expect("completes");
        let mut b = simulate(&as_code).expect("completes");
        // Everything but the scenario it records, which has the code.
        b.scenario = preset.clone();
        assert!(a == b, "{keys} as code:\n{}", code_for(&preset));
    }
}

/// Each student's finish, in milliseconds, in id order.
fn finishes_ms(trace: &Trace) -> Vec<u64> {
    trace
        .students
        .iter()
        .map(|s| s.finish.map_or(0, |f| f.as_micros() / 1000))
        .collect()
}

#[test]
fn the_article_handler_gives_the_figures_worked_out_by_hand() {
    // Three students at once; 2 ms to validate, 30 ms to save, 90 ms to email: 122 ms each.
    let keys = "students=3 validate_ms=2 db_ms=30 email_ms=90";
    // Blocking: one after the other, 122, 244, 366 ms.
    let blocking = keys::run(&format!("{keys} mode=blocking"), "");
    assert_eq!(finishes_ms(&blocking), [122, 244, 366]);
    // Async with both awaits: the validations one after the other on the loop, the I/O
    // overlapping: 2 + 120, 4 + 120, 6 + 120 ms.
    let awaited = keys::run(&format!("{keys} mode=async"), "");
    assert_eq!(finishes_ms(&awaited), [122, 124, 126]);
    // Async with the blocking clients: as blocking, the loop held by each call.
    let held = keys::run(
        &format!("{keys} mode=async await_db=false await_email=false"),
        "",
    );
    assert_eq!(finishes_ms(&held), [122, 244, 366]);
    // Plain def on three threads: the 2 ms validations share one interpreter lock (each
    // shorter than the switch interval, so one after the other), the I/O overlaps.
    let threads = keys::run(&format!("{keys} mode=threadpool threads=3"), "");
    assert_eq!(finishes_ms(&threads), [122, 124, 126]);
}

#[test]
fn the_race_handler_gives_the_figures_worked_out_by_hand() {
    // Two students, one seat; each query 30 ms, deciding 2 ms.
    let keys = "handler=race students=2 seats=1 validate_ms=2 db_ms=30";
    // Blocking: A reads 1 (0-30), decides (30-32), writes 0 (32-62); B then reads 0 (62-92)
    // and decides not to write (92-94). One registered, nothing lost.
    let blocking = keys::run(&format!("{keys} mode=blocking"), "");
    let seats = blocking.seats.as_ref().expect("the race records its seats");
    assert_eq!(blocking.metrics.makespan, SimTime::from_millis(94));
    assert_eq!((seats.registered(), seats.lost_updates().len()), (1, 0));
    // Async: both read 1 at once (0-30), A decides (30-32) and writes (32-62), B decides
    // (32-34) and writes the same 0 (34-64): two registered for one seat, one update lost.
    let awaited = keys::run(&format!("{keys} mode=async"), "");
    let seats = awaited.seats.as_ref().expect("the race records its seats");
    assert_eq!(awaited.metrics.makespan, SimTime::from_millis(64));
    assert_eq!((seats.registered(), seats.lost_updates().len()), (2, 1));
}
