//! Properties over many random small scenarios (1200 seeds, our own seeded loop; a third with
//! `framework_ms`): every student
//! finishes exactly once or is rejected, spans tile each student's life, a worker is never occupied
//! twice at once, in flight never exceeds the worker's room, a student is rejected only when every
//! worker is full, time never goes backwards, and the same seed gives the same trace whether run at
//! once, step by step or without spans. A failure names its seed.
#![allow(clippy::disallowed_types, clippy::disallowed_methods)] // clippy.toml keeps them from the app

use async_lanes::sim::rng::Rng;
use async_lanes::sim::{
    simulate, simulate_metrics_only, Arrival, Executor, Fix, HandlerKind, IoDist, Mode, Overflow,
    Scenario, SimTime, State, Status, Trace,
};

const SEEDS: u64 = 1200;

/// A small random scenario: every mode, arrival pattern, distribution and switch.
fn random_scenario(seed: u64) -> Scenario {
    let mut rng = Rng::seed_from_u64(seed);
    let mut pick = |n: u64| rng.below(n) as u32;
    let mode = [Mode::Blocking, Mode::Async, Mode::Threadpool][pick(3) as usize];
    let arrival = [Arrival::Burst, Arrival::Uniform, Arrival::Poisson][pick(3) as usize];
    let ms = |choice: u32, scale: u32| match choice {
        0 => 0.0,
        1 => 0.5,
        _ => f64::from(scale),
    };
    let validate_ms = ms(pick(3), 1 + pick(20));
    let db_ms = ms(pick(3), 1 + pick(60));
    let email_ms = ms(pick(4), 1 + pick(120));
    let extra: Vec<SimTime> = (0..pick(3))
        .map(|_| SimTime::from_millis(u64::from(pick(1500))))
        .collect();
    Scenario {
        mode,
        workers: 1 + pick(4),
        students: 1 + pick(40),
        concurrency: 1 + pick(8),
        threads: 1 + pick(6),
        validate_ms,
        db_ms,
        email_ms,
        arrival,
        rate: f64::from(5 + pick(400)),
        seed: u64::from(pick(1000)),
        io_dist: if pick(2) == 0 {
            IoDist::Fixed
        } else {
            IoDist::Exp
        },
        db_pool: if pick(2) == 0 {
            None
        } else {
            Some(1 + pick(3))
        },
        await_db: pick(4) != 0,
        await_email: pick(4) != 0,
        extra_arrivals: extra,
        code: None,
        cores: 4,
        switch_ms: 5.0,
        // Drawn last, so the draws above stay what they were before the race handler existed.
        handler: if pick(4) == 0 {
            HandlerKind::Race
        } else {
            HandlerKind::Register
        },
        seats: pick(10),
        // Drawn after the race handler's, for the same reason.
        overflow: if pick(4) == 0 {
            Overflow::Reject
        } else {
            Overflow::Queue
        },
        // Drawn last of all, for the same reason: a third of the runs have the framework's work.
        framework_ms: if pick(3) == 0 {
            ms(1 + pick(2), 1 + pick(5))
        } else {
            0.0
        },
        // Drawn after everything else, for the same reason: a race run may have a fix.
        fix: match pick(6) {
            1 => Fix::Lock,
            2 => Fix::Atomic,
            3 => Fix::RowLock,
            4 => Fix::Optimistic,
            _ => Fix::None,
        },
    }
}

/// Runs one check for every seed and reports all failing seeds with their scenario.
fn for_all_seeds(check: impl Fn(&Scenario, &Trace) -> Result<(), String>) {
    let mut failures = Vec::new();
    for seed in 0..SEEDS {
        let scenario = random_scenario(seed);
        let outcome = simulate(&scenario)
            .map_err(|e| format!("run failed: {e}"))
            .and_then(|trace| check(&scenario, &trace));
        if let Err(why) = outcome {
            let pairs: Vec<String> = scenario
                .to_pairs()
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            failures.push(format!(
                "seed {seed}: {why}\n    scenario: {}",
                pairs.join(" ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {SEEDS} seeds failed; first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn ensure(ok: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(why())
    }
}

#[test]
fn every_student_finishes_exactly_once_or_is_rejected() {
    for_all_seeds(|s, t| {
        ensure(t.complete, || "trace not complete".into())?;
        ensure(t.students.len() as u32 == s.total_students(), || {
            format!("{} students traced", t.students.len())
        })?;
        for (i, st) in t.students.iter().enumerate() {
            ensure(st.id == i as u32, || {
                format!("student {i} has id {}", st.id)
            })?;
            if st.rejected {
                ensure(s.overflow == Overflow::Reject, || {
                    format!("student {i} rejected with overflow={}", s.overflow)
                })?;
                ensure(
                    st.accepted.is_none()
                        && st.worker.is_none()
                        && st.finish.is_none()
                        && t.spans_of(st.id).is_empty(),
                    || format!("student {i} rejected and also served: {st:?}"),
                )?;
                continue;
            }
            let (Some(a), Some(f)) = (st.accepted, st.finish) else {
                return Err(format!("student {i} has no accept or finish"));
            };
            ensure(st.arrival <= a && a <= f, || {
                format!("student {i}: times out of order")
            })?;
            ensure(st.worker.is_some_and(|w| w < s.workers), || {
                format!("student {i}: bad worker")
            })?;
        }
        let rejected = t.students.iter().filter(|st| st.rejected).count() as u32;
        ensure(
            t.metrics.completed + rejected == s.total_students() && t.metrics.rejected == rejected,
            || "metrics disagree".into(),
        )
    });
}

#[test]
fn a_student_is_rejected_only_when_every_worker_is_full() {
    for_all_seeds(|s, t| {
        let room = s.capacity_per_worker();
        for st in &t.students {
            if st.rejected {
                let full = t.in_flight_by_worker(st.arrival);
                ensure(full.iter().all(|n| *n == room), || {
                    format!("student {} rejected with {full:?} in flight", st.id)
                })?;
                ensure(t.status_at(st.id, st.arrival) == Status::Rejected, || {
                    format!("student {} not shown rejected", st.id)
                })?;
            } else if s.overflow == Overflow::Reject {
                // Nobody waits in the accept queue: accepted at arrival or rejected.
                ensure(st.accepted == Some(st.arrival), || {
                    format!("student {} queued under overflow=reject", st.id)
                })?;
            }
        }
        if s.overflow == Overflow::Reject && t.metrics.rejected == 0 {
            // Nobody turned away: the very run `overflow=queue` gives.
            let queue = Scenario {
                overflow: Overflow::Queue,
                ..s.clone()
            };
            let queued = simulate(&queue).map_err(|e| e.to_string())?;
            ensure(queued.hash() == t.hash(), || {
                "reject without a rejection differs from queue".into()
            })?;
        }
        Ok(())
    });
}

#[test]
fn spans_tile_each_students_life_in_time_order() {
    for_all_seeds(|s, t| {
        let mut span_total = 0u64;
        for st in &t.students {
            let spans = t.spans_of(st.id);
            span_total += spans.len() as u64;
            if st.rejected {
                ensure(spans.is_empty(), || {
                    format!("rejected student {} has spans", st.id)
                })?;
                continue;
            }
            let finish = st.finish.unwrap_or(SimTime::MAX);
            let mut cursor = st.arrival;
            for sp in spans {
                ensure(sp.start == cursor && sp.start < sp.end, || {
                    format!("student {}: span {sp:?} after {cursor}", st.id)
                })?;
                ensure((sp.state == State::Queued) == sp.step.is_none(), || {
                    format!("student {}: queued iff no step, got {sp:?}", st.id)
                })?;
                let allowed = match (sp.state, s.mode) {
                    (State::Queued | State::Running | State::WaitingConnection, _) => true,
                    (State::Blocked, _) => true,
                    (State::AwaitingIo | State::Ready, m) => m == Mode::Async,
                    (State::ThreadWait, m) => m == Mode::Threadpool,
                    // Pool threads are waited for only by awaited calls, and, with the
                    // framework's work, by a `def` handler once the loop has read its request.
                    (State::WaitingThread, m) => {
                        m == Mode::Async || (m == Mode::Threadpool && s.framework_ms > 0.0)
                    }
                    // A lock's wait: awaited on a loop, a blocking wait elsewhere.
                    (State::WaitingLock | State::WaitingRowLock, _) => true,
                };
                ensure(allowed, || {
                    format!("student {}: {} in mode {}", st.id, sp.state, s.mode)
                })?;
                cursor = sp.end;
            }
            ensure(
                cursor == finish || (spans.is_empty() && st.arrival == finish),
                || format!("student {}: spans end at {cursor}, finish {finish}", st.id),
            )?;
            for (i, pair) in spans.windows(2).enumerate() {
                ensure(
                    // A request may be ready twice in a row on two lines (a lock granted, then
                    // a call that takes no time): only the same state on the same line merges.
                    (pair[0].state, pair[0].step, pair[0].line)
                        != (pair[1].state, pair[1].step, pair[1].line),
                    || format!("student {}: spans {i} and {} not merged", st.id, i + 1),
                )?;
            }
        }
        ensure(span_total == t.spans.len() as u64, || "stray spans".into())
    });
}

#[test]
fn a_worker_is_never_occupied_twice_at_once() {
    for_all_seeds(|s, t| {
        for w in &t.workers {
            for pair in w.spans.windows(2) {
                ensure(
                    pair[0].start < pair[0].end && pair[0].end <= pair[1].start,
                    || format!("worker {}: {:?} overlaps {:?}", w.id, pair[0], pair[1]),
                )?;
            }
            for sp in &w.spans {
                let status = t.status_at(sp.student, sp.start);
                ensure(
                    status
                        == Status::Active {
                            state: sp.state,
                            step: Some(sp.step),
                        },
                    || format!("worker {}: {sp:?} but student is {status:?}", w.id),
                )?;
            }
        }
        // Blocking workers are occupied from accept to finish, nothing else.
        if s.mode == Mode::Blocking {
            let busy: u64 = t
                .workers
                .iter()
                .flat_map(|w| &w.spans)
                .map(|sp| (sp.end - sp.start).as_micros())
                .sum();
            let held: u64 = t
                .students
                .iter()
                .filter(|st| !st.rejected)
                .map(|st| (st.finish.unwrap() - st.accepted.unwrap()).as_micros())
                .sum();
            ensure(busy == held, || format!("busy {busy} µs, held {held} µs"))?;
        }
        Ok(())
    });
}

#[test]
fn in_flight_never_exceeds_room() {
    for_all_seeds(|s, t| {
        let room = s.capacity_per_worker();
        for w in 0..s.workers {
            // Sweep this worker's accepts and finishes; at one instant finishes come first.
            let mut events: Vec<(SimTime, i32)> = Vec::new();
            for st in t.students.iter().filter(|st| st.worker == Some(w)) {
                // Only served students have a worker.
                events.push((st.accepted.unwrap(), 1));
                events.push((st.finish.unwrap(), -1));
            }
            events.sort();
            let mut current = 0;
            for (at, delta) in events {
                current += delta;
                ensure(current <= room as i32, || {
                    format!("worker {w}: {current} in flight at {at}, room {room}")
                })?;
            }
        }
        ensure(t.metrics.max_in_flight <= room * s.workers, || {
            "max in flight above total room".into()
        })
    });
}

#[test]
fn time_never_goes_backwards_and_stepping_gives_the_same_trace() {
    for_all_seeds(|s, t| {
        let mut ex = Executor::new(s).map_err(|e| e.to_string())?;
        let mut last = SimTime::ZERO;
        let mut steps = 0;
        while let Some(now) = ex.step().map_err(|e| e.to_string())? {
            ensure(now >= last, || format!("clock went from {last} to {now}"))?;
            ensure(ex.now() == now, || "now() disagrees with step()".into())?;
            last = now;
            steps += 1;
        }
        ensure(steps > 0, || "no steps".into())?;
        ensure(ex.step() == Ok(None), || {
            "step after the end did something".into()
        })?;
        let stepped = ex.into_trace();
        ensure(&stepped == t, || "stepped trace differs".into())?;
        ensure(stepped.hash() == t.hash(), || "hash differs".into())
    });
}

#[test]
fn same_seed_same_trace_and_metrics_by_every_route() {
    for_all_seeds(|s, t| {
        let again = simulate(s).map_err(|e| e.to_string())?;
        ensure(&again == t, || "second run differs".into())?;
        let lean = simulate_metrics_only(s).map_err(|e| e.to_string())?;
        ensure(lean == t.metrics, || {
            format!("metrics only {lean:?} vs {:?}", t.metrics)
        })?;
        ensure(t.metrics_at(t.end) == t.metrics, || {
            "metrics_at(end) differs".into()
        })?;
        ensure(t.end == t.metrics.makespan, || {
            "end is not the makespan".into()
        })
    });
}

#[test]
fn a_run_paused_midway_agrees_with_the_full_trace() {
    for_all_seeds(|s, t| {
        let mid = t.end.scale(1, 2);
        let mut ex = Executor::new(s).map_err(|e| e.to_string())?;
        ex.run_until(mid).map_err(|e| e.to_string())?;
        let partial = ex.into_trace();
        ensure(partial.end == mid || partial.complete, || {
            format!("partial ends at {}", partial.end)
        })?;
        if partial.complete {
            return Ok(());
        }
        ensure(partial.metrics == t.metrics_at(mid), || {
            format!(
                "at {mid}: partial {:?}\n full {:?}",
                partial.metrics,
                t.metrics_at(mid)
            )
        })?;
        for st in &t.students {
            for probe in [
                SimTime::ZERO,
                mid.scale(1, 2),
                mid - SimTime::from_micros(1),
            ] {
                let (a, b) = (partial.status_at(st.id, probe), t.status_at(st.id, probe));
                ensure(a == b, || {
                    format!("student {} at {probe}: {a:?} vs {b:?}", st.id)
                })?;
            }
        }
        Ok(())
    });
}

#[test]
fn metrics_over_time_are_monotone_where_they_must_be() {
    for_all_seeds(|_, t| {
        let times = t.change_times();
        let mut prev = t.metrics_at(SimTime::ZERO);
        for at in times.iter().copied() {
            let m = t.metrics_at(at);
            ensure(m.completed >= prev.completed, || {
                format!("completed fell at {at}")
            })?;
            ensure(m.rejected >= prev.rejected, || {
                format!("rejected fell at {at}")
            })?;
            ensure(m.max_in_flight >= prev.max_in_flight, || {
                format!("max fell at {at}")
            })?;
            ensure(m.latency.max >= prev.latency.max, || {
                format!("longest wait fell at {at}")
            })?;
            ensure(m.in_flight <= m.max_in_flight, || {
                format!("in flight above max at {at}")
            })?;
            ensure((0.0..=1.0).contains(&m.utilization), || {
                format!("utilization {}", m.utilization)
            })?;
            ensure(
                (0.0..=1.0).contains(&m.cpu_busy)
                    && (0.0..=1.0).contains(&m.blocked)
                    && (m.utilization - (m.cpu_busy + m.blocked)).abs() < 1e-12,
                || {
                    format!(
                        "at {at}: utilization {} is not cpu {} + blocked {}",
                        m.utilization, m.cpu_busy, m.blocked
                    )
                },
            )?;
            prev = m;
        }
        let next = t.next_change_after(SimTime::ZERO);
        ensure(next == times.get(1).copied(), || {
            "next_change_after(0) disagrees".into()
        })?;
        ensure(
            t.prev_change_before(t.end) == times.iter().rev().nth(1).copied(),
            || "prev_change_before(end) disagrees".into(),
        )
    });
}
