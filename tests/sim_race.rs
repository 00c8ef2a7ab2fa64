//! The race handler (`handler=race`): two requests read `seats_left`, decide and write it back with
//! no lock, and the simulation's interleaving decides whether an update is lost. The reads and
//! writes are part of the trace; the seed (through exponential I/O times) picks the interleaving.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use async_lanes::sim::{
    simulate, HandlerKind, Scenario, SeatOp, SeatOpKind, SeatsTrace, SimTime, State, Step, Trace,
};
use async_lanes::view::scenes::SceneId;

#[path = "support/keys.rs"]
mod keys;

fn run(args: &[&str]) -> Trace {
    keys::run(&format!("handler=race {}", args.join(" ")), "")
}

/// The queries in effect order, compactly: `R` or `W`, the student's letter, the value, `@` the
/// time in ms; a stale write ends in `!`.
fn story(seats: &SeatsTrace) -> String {
    let op = |op: &SeatOp| {
        format!(
            "{}{}{}@{}{}",
            if op.kind == SeatOpKind::Read {
                "R"
            } else {
                "W"
            },
            char::from(b'A' + op.student as u8),
            op.value,
            op.at.as_micros() / 1000,
            if op.is_stale_write() { "!" } else { "" }
        )
    };
    seats.ops.iter().map(op).collect::<Vec<_>>().join(" ")
}

#[track_caller]
fn check(args: &[&str], expected: &str) {
    let trace = run(args);
    assert_eq!(story(trace.seats.as_ref().unwrap()), expected, "{args:?}");
}

#[test]
fn fixed_times_interleave_the_same_way_every_time() {
    // Both read 1 at 50 ms, decide for 10 ms on their own workers, both write 0 at 110 ms.
    check(
        &[
            "mode=async",
            "workers=2",
            "students=2",
            "validate_ms=10",
            "db_ms=50",
        ],
        "RA1@50 RB1@50 WA0@110 WB0@110!",
    );
    // One worker in blocking mode serves them one after the other: nothing is lost, and B is
    // turned away.
    check(
        &["mode=blocking", "students=2", "validate_ms=10", "db_ms=50"],
        "RA1@50 WA0@110 RB0@160",
    );
    // One async worker loses the update too: the race needs no second process, only an await
    // between the read and the write.
    check(
        &["mode=async", "students=2", "validate_ms=10", "db_ms=50"],
        "RA1@50 RB1@50 WA0@110 WB0@120!",
    );
}

#[test]
fn the_scene_defaults_lose_an_update() {
    let scenario = SceneId::Race.defaults();
    assert_eq!(scenario.handler, HandlerKind::Race);
    let trace = simulate(&scenario).unwrap();
    let seats = trace.seats.as_ref().unwrap();
    assert_eq!(
        story(seats),
        "RA2@17 WA1@49 RB1@140 RC1@213 WB0@247 WC0@260!"
    );
    assert!(seats.registered() > seats.initial, "overbooked");
    assert_eq!(seats.final_value() + seats.registered(), 3);
    // B and C ran on different workers.
    let worker = |id: u32| trace.students[id as usize].worker;
    assert_ne!(worker(1), worker(2));
}

#[test]
fn some_seeds_interleave_safely_and_some_do_not() {
    let (mut safe, mut lost) = (0, 0);
    for seed in 1..=200u64 {
        let scenario = Scenario {
            seed,
            ..SceneId::Race.defaults()
        };
        let trace = simulate(&scenario).unwrap();
        if trace.seats.unwrap().lost_updates().is_empty() {
            safe += 1;
        } else {
            lost += 1;
        }
    }
    assert!(safe >= 50 && lost >= 50, "safe {safe}, lost {lost} of 200");
}

/// Replays the record against a plain cell and checks every invariant the picture relies on.
fn check_invariants(trace: &Trace, seed: u64) {
    let seats = trace
        .seats
        .as_ref()
        .expect("race traces have a seats record");
    let students = trace.students.len() as u32;
    let mut value = seats.initial;
    let mut writes = 0u32;
    let mut read_of: Vec<Option<&SeatOp>> = vec![None; students as usize];
    let mut last_at = SimTime::ZERO;
    for op in &seats.ops {
        assert!(op.at >= last_at, "seed {seed}: effects in time order");
        assert!(
            op.start <= op.at,
            "seed {seed}: a query ends after it starts"
        );
        last_at = op.at;
        assert_eq!(op.version, writes, "seed {seed}: versions count the writes");
        match op.kind {
            SeatOpKind::Read => {
                assert_eq!(
                    op.value, value,
                    "seed {seed}: a read returns the latest write"
                );
                assert!(
                    read_of[op.student as usize].is_none(),
                    "seed {seed}: one read each"
                );
                read_of[op.student as usize] = Some(op);
            }
            SeatOpKind::Write => {
                let read = read_of[op.student as usize].expect("a write follows its read");
                assert!(
                    read.value > 0,
                    "seed {seed}: only a positive read takes a seat"
                );
                assert_eq!(op.value, read.value - 1, "seed {seed}: write = read - 1");
                assert_eq!(op.replaced, value, "seed {seed}");
                assert_eq!(op.seen, read.version, "seed {seed}");
                value = op.value;
                writes += 1;
            }
        }
        // The query is a span of the trace: its I/O step starts when it was sent and ends when
        // it took effect.
        if op.at > op.start {
            let step = match op.kind {
                SeatOpKind::Read => Step::ReadSeats,
                SeatOpKind::Write => Step::WriteSeats,
            };
            assert!(
                trace
                    .spans_of(op.student)
                    .iter()
                    .any(|sp| sp.step == Some(step)
                        && matches!(sp.state, State::AwaitingIo | State::Blocked)
                        && (sp.start, sp.end) == (op.start, op.at)),
                "seed {seed}: {op:?} is not a span"
            );
        }
    }
    assert_eq!(value, seats.final_value(), "seed {seed}");
    assert!(
        read_of.iter().all(Option::is_some),
        "seed {seed}: everyone reads"
    );
    let took = seats.took_seat.iter().filter(|t| **t == Some(true)).count() as u32;
    assert_eq!(took, seats.registered(), "seed {seed}: every taker writes");
    assert!(seats.took_seat.iter().all(Option::is_some), "seed {seed}");
    // The chain argument: with no lost update the writes form one chain from the initial value,
    // so seats left + registered = initial; a lost update leaves a write out of the chain, so the
    // sum is larger. (So overbooking, registered > initial, needs a lost update.)
    let sum = seats.final_value() + seats.registered();
    if seats.lost_updates().is_empty() {
        assert_eq!(
            sum, seats.initial,
            "seed {seed}: consistent without a lost update"
        );
    } else {
        assert!(
            sum > seats.initial,
            "seed {seed}: a lost update shows in the count"
        );
        for lost in seats.lost_updates() {
            let write = &seats.ops[lost.write as usize];
            assert!(!lost.overwritten.is_empty(), "seed {seed}");
            for i in &lost.overwritten {
                let over = &seats.ops[*i as usize];
                assert!(over.kind == SeatOpKind::Write && over.student != write.student);
                assert!(over.at <= write.at, "seed {seed}");
            }
        }
    }
}

#[test]
fn invariants_hold_over_many_seeds_and_setups() {
    for seed in 0..1000u64 {
        let mode = ["mode=async", "mode=blocking", "mode=threadpool"][(seed % 3) as usize];
        let workers = format!("workers={}", 1 + seed % 4);
        let students = format!("students={}", 2 + seed % 9);
        let seats = format!("seats={}", seed % 6);
        let arrival =
            ["arrival=burst", "arrival=poisson", "arrival=uniform"][(seed / 3 % 3) as usize];
        let pool = if seed % 7 == 0 {
            "db_pool=1"
        } else {
            "db_pool=unlimited"
        };
        let seed_arg = format!("seed={seed}");
        let trace = run(&[
            mode,
            &workers,
            &students,
            &seats,
            arrival,
            "rate=20",
            pool,
            "validate_ms=5",
            "db_ms=40",
            "io_dist=exp",
            &seed_arg,
        ]);
        check_invariants(&trace, seed);
    }
}

#[test]
fn same_seed_same_trace_and_the_article_handler_has_no_seats_record() {
    let args = [
        "mode=async",
        "workers=2",
        "students=8",
        "seats=3",
        "io_dist=exp",
        "db_ms=30",
        "seed=9",
    ];
    let a = run(&args);
    let b = run(&args);
    assert_eq!(a, b);
    assert_eq!(a.hash(), b.hash());
    let other = run(&[
        "mode=async",
        "workers=2",
        "students=8",
        "seats=3",
        "io_dist=exp",
        "db_ms=30",
        "seed=10",
    ]);
    assert_ne!(a.hash(), other.hash(), "the seed is in the trace");
    let article = simulate(&Scenario::default()).unwrap();
    assert_eq!(article.seats, None);
}

#[test]
fn the_keys_round_trip_and_bad_values_are_named() {
    let s = Scenario::parse_args(&["handler=race", "seats=0"]).unwrap();
    assert_eq!((s.handler, s.seats), (HandlerKind::Race, 0));
    assert_eq!(Scenario::parse_pairs(s.to_pairs()), Ok(s));
    let errors = Scenario::parse_args(&["handler=lock", "seats=-1", "seats=1000001"]).unwrap_err();
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        text,
        [
            "handler=lock: expected one of register, race",
            "seats=-1: expected an integer from 0 to 1000000",
            "seats=1000001: expected each key at most once",
            "seats=1000001: expected an integer from 0 to 1000000",
        ]
    );
}

#[test]
fn zero_seats_turn_everyone_away() {
    let trace = run(&[
        "mode=async",
        "workers=2",
        "students=4",
        "seats=0",
        "db_ms=20",
    ]);
    let seats = trace.seats.unwrap();
    assert_eq!((seats.registered(), seats.final_value()), (0, 0));
    assert!(seats.took_seat.iter().all(|t| *t == Some(false)));
}

#[test]
fn the_command_line_prints_the_seats() {
    let out = async_lanes::sim::cli::run(&[
        "handler=race",
        "mode=async",
        "workers=2",
        "students=2",
        "validate_ms=10",
        "db_ms=50",
        "format=json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .trim_end()
            .ends_with(r#""seats":{"initial":1,"left":0,"registered":2,"lost_updates":1,"lock_waits":0,"retries":0}}"#),
        "{}",
        out.stdout
    );
    let text = async_lanes::sim::cli::run(&["handler=race", "seats=3", "students=2"]).stdout;
    assert!(text.contains("handler=race seats=3"), "{text}");
    assert!(text.contains("lost updates                 0"), "{text}");
}
