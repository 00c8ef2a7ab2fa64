//! The load curve's model against queueing theory and against itself.

use super::*;
use crate::view::scenes::SceneId;

#[test]
fn capacity_is_slots_over_the_time_per_request() {
    let blocking = SceneId::Load.defaults();
    assert_eq!(capacity_per_s(&blocking), 0.5);
    let async4 = Scenario {
        mode: Mode::Async,
        workers: 4,
        ..blocking.clone()
    };
    assert_eq!(capacity_per_s(&async4), 500.0);
    // An async worker with room for 1,000 requests and 5 ms of CPU each runs out of CPU
    // first: 1 / 5 ms = 200 /s (its slots alone would take 1000 / 2.005 s = 499 /s).
    let cpu = Scenario {
        mode: Mode::Async,
        concurrency: 1000,
        validate_ms: 5.0,
        ..blocking
    };
    assert_eq!(capacity_per_s(&cpu), 200.0);
    // Without `await`, the email holds the loop: one at a time, 1 / 2.005 s, as blocking's
    // (it read 499 /s, by the slots alone).
    let unawaited = Scenario {
        await_email: false,
        ..cpu.clone()
    };
    assert_eq!(capacity_per_s(&unawaited), 1000.0 / 2005.0);
    // The framework's own CPU counts as the handler's does: 5 + 5 ms on the loop, 100 /s.
    let framework = Scenario {
        framework_ms: 5.0,
        ..cpu.clone()
    };
    assert_eq!(capacity_per_s(&framework), 100.0);
    // Eight such workers on two cores: the cores run out first, 2 / 5 ms = 400 /s (the
    // workers alone would take 8 / 5 ms = 1,600 /s).
    let crowded = Scenario {
        workers: 8,
        cores: 2,
        ..cpu
    };
    assert_eq!(capacity_per_s(&crowded), 400.0);
}

/// `setup` running `code` instead of its preset.
fn with_code(setup: &Scenario, code: &str) -> Scenario {
    Scenario {
        code: Some(code.to_string()),
        ..setup.clone()
    }
}

#[test]
fn the_articles_handler_given_as_code_measures_what_the_setup_says() {
    // The capacity of any other handler is measured by running it; the article's, written out
    // as `code=`, measures what the setup's numbers give (the figures of the test above).
    let blocking = SceneId::Load.defaults();
    let setups = [
        blocking.clone(),
        Scenario {
            mode: Mode::Async,
            workers: 4,
            ..blocking.clone()
        },
        Scenario {
            mode: Mode::Async,
            concurrency: 1000,
            validate_ms: 5.0,
            framework_ms: 5.0,
            await_email: false,
            ..blocking.clone()
        },
        Scenario {
            mode: Mode::Async,
            workers: 8,
            cores: 2,
            validate_ms: 5.0,
            db_ms: 50.0,
            ..blocking.clone()
        },
        Scenario {
            mode: Mode::Threadpool,
            threads: 4,
            validate_ms: 20.0,
            ..blocking.clone()
        },
        // Two connections a worker, each save holding one for 100 ms: 2 × 2 ÷ 0.1 s = 40 /s,
        // where the slots alone would take 2 × 250 ÷ 2.1 s = 238 /s.
        Scenario {
            mode: Mode::Async,
            workers: 2,
            db_ms: 100.0,
            db_pool: Some(2),
            ..blocking
        },
    ];
    for setup in setups {
        let code = crate::sim::lang::presets::for_scenario(&setup);
        let (given, measured) = (
            capacity_per_s(&setup),
            capacity_per_s(&with_code(&setup, &code)),
        );
        assert!(
            (measured - given).abs() <= 1e-9 * given,
            "{}: {measured} measured, {given} from the setup",
            setup.describe()
        );
    }
}

#[test]
fn another_handlers_capacity_is_measured_from_its_code() {
    // The setup's numbers (2 s of email) do not describe a handler that only sleeps: 250 slots
    // for 0.5 s each is 500 /s, not 125.
    let setup = Scenario {
        mode: Mode::Async,
        ..SceneId::Load.defaults()
    };
    assert_eq!(capacity_per_s(&setup), 125.0);
    let sleeps = "async def register(student):\n    await asyncio.sleep(0.5)";
    assert_eq!(capacity_per_s(&with_code(&setup, sleeps)), 500.0);
    // Blocking, the same sleep holds the worker: 2 /s.
    let blocking = Scenario {
        mode: Mode::Blocking,
        ..setup.clone()
    };
    let sleeps = "def register(student):\n    time.sleep(0.5)";
    assert_eq!(capacity_per_s(&with_code(&blocking, sleeps)), 2.0);
    // 10 ms of CPU before the sleep: the worker runs one request's CPU at a time, 100 /s.
    let cpu = "async def register(student):\n    cpu_work(ms=10)\n    await asyncio.sleep(0.5)";
    assert_eq!(capacity_per_s(&with_code(&setup, cpu)), 100.0);
    // What the requests share counts too. asyncio's executor has min(32, cores + 4) = 8
    // threads a worker, and each email sent on one holds it 2 s: 8 ÷ 2 s = 4 /s, where the
    // slots alone would take 125.
    let to_thread = "import asyncio\nasync def register(student):\n    \
        await asyncio.to_thread(smtp.send, welcome(student))";
    assert_eq!(capacity_per_s(&with_code(&setup, to_thread)), 4.0);
    // An asyncio.Lock around the race's two 10 ms queries: of the 100 students measured, 25
    // find a seat and write, so the lock is held (25 × 20 + 75 × 10) ÷ 100 = 12.5 ms a
    // request: 80 /s on each worker, 160 on two (one lock per worker process).
    let lock = crate::sim::lang::presets::PRESETS
        .iter()
        .find(|p| p.slug == "lock")
        .unwrap()
        .code;
    let race = Scenario {
        students: 20,
        seats: 25,
        db_ms: 10.0,
        workers: 2,
        ..setup.clone()
    };
    assert_eq!(capacity_per_s(&with_code(&race, lock)), 160.0);
    // Code that does not run falls back to the setup's numbers.
    assert_eq!(capacity_per_s(&with_code(&setup, "def (")), 125.0);
}

#[test]
fn the_capacity_is_where_the_cores_fill() {
    // Eight async workers on two cores, 100 ms of CPU a request: 20 /s. Just under it the
    // waits settle; just over it the queue grows all run long.
    let s = Scenario {
        mode: Mode::Async,
        workers: 8,
        cores: 2,
        validate_ms: 100.0,
        ..SceneId::Load.defaults()
    };
    assert_eq!(capacity_per_s(&s), 20.0);
    let p95_at = |rate: f64| {
        let run = Scenario {
            arrival: Arrival::Poisson,
            rate,
            students: 2000,
            ..s.clone()
        };
        crate::sim::simulate(&run)
            .unwrap()
            .metrics
            .latency
            .p95
            .as_secs_f64()
    };
    let (under, over) = (p95_at(16.0), p95_at(24.0));
    // 3.0 s and 44.7 s: the 2.1 s of a request and a short queue, then a queue that grows.
    assert!(
        under < 4.0 && over > 10.0 * under,
        "p95 {under} s at 16 /s, {over} s at 24 /s"
    );
}

#[test]
fn the_simulated_mean_follows_pollaczek_khinchine() {
    // One blocking worker, fixed 2 s: at ρ = 0.5 the mean time in the system is 3 s.
    let s = SceneId::Load.defaults();
    assert_eq!(closed_form_mean_s(&s, 0.25), Some(3.0));
    assert_eq!(closed_form_mean_s(&s, 0.5), None, "saturated");
    let curve = LoadCurve::new(&s);
    assert_eq!(curve.rates.len(), RATES);
    assert_eq!(curve.run_s, 4000.0);
    let own = &curve.curves[0];
    assert_eq!(own.points.len(), RATES);
    for (p, cf) in own.points.iter().zip(&own.closed_form) {
        if let Some(cf) = cf.filter(|_| p.rate <= 0.3) {
            let err = (p.mean_s - cf).abs() / cf;
            assert!(
                err < 0.15,
                "rate {}: simulated {} vs {cf}",
                p.rate,
                p.mean_s
            );
        }
    }
    // Past the capacity the waits run away; async at the same rates barely waits.
    let last = own.points.last().unwrap();
    assert!(last.p95_s > 100.0 * own.points[0].p95_s / 10.0);
    let other = &curve.curves[1];
    assert_eq!(other.mode, Mode::Async);
    assert!(other.points.iter().all(|p| p.p95_s < 2.1));
}

#[test]
fn erlang_c_matches_the_textbook() {
    // c = 2, a = 1 Erlang: C = 1/3.
    assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
    // M/M/1: C = ρ.
    assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-12);
    let s = Scenario {
        io_dist: IoDist::Exp,
        workers: 2,
        ..SceneId::Load.defaults()
    };
    // μ = 0.5/s, λ = 0.5/s, a = 1: W = C/(cμ − λ) + 1/μ = (1/3)/0.5 + 2.
    let w = closed_form_mean_s(&s, 0.5).unwrap();
    assert!((w - (2.0 / 3.0 + 2.0)).abs() < 1e-9, "{w}");
}

fn async4() -> Scenario {
    Scenario {
        mode: Mode::Async,
        workers: 4,
        ..SceneId::Load.defaults()
    }
}

#[test]
fn every_run_lasts_as_long_as_the_setups_students_take_at_capacity() {
    let s = SceneId::Load.defaults();
    assert_eq!(run_s(&s), 4000.0, "2,000 students at 0.5 /s");
    let run = at_rate(&s, Mode::Async, 0.25);
    assert_eq!(
        (run.students, run.mode, run.arrival),
        (1000, Mode::Async, Arrival::Poisson)
    );
    let many = Scenario {
        students: 1_000_000,
        ..s
    };
    assert_eq!(run_s(&many), f64::from(MAX_STUDENTS) / 0.5);
}

#[test]
fn past_capacity_the_waits_grow_with_the_runs_length() {
    let of = |students| {
        LoadCurve::new(&Scenario {
            students,
            ..SceneId::Load.defaults()
        })
    };
    let (short, long) = (of(1000), of(4000));
    let p95 = |c: &LoadCurve, i: usize| c.curves[0].points[i].p95_s;
    // At 1.5 times the capacity the queue grows all run long: four times the run, about four
    // times the wait.
    let top = RATES - 1;
    assert!(
        p95(&long, top) > 3.0 * p95(&short, top),
        "{} vs {}",
        p95(&long, top),
        p95(&short, top)
    );
    // At half the capacity the waits settle: the run's length hardly matters.
    let half = RATES / 3 - 1;
    assert!(short.rates[half] < 0.5 * short.capacity_per_s);
    let ratio = p95(&long, half) / p95(&short, half);
    assert!((0.7..1.4).contains(&ratio), "{ratio}");
    // The caption says so with a run twice as long at the top rate.
    let longer = short.longer.clone().unwrap();
    assert_eq!(longer.students, 2 * short.curves[0].points[top].students);
    assert!(longer.p95_s > 1.8 * p95(&short, top));
    assert!(
        short.caption().contains("in a run twice as long"),
        "{}",
        short.caption()
    );
    // Along the curve past capacity the p95 keeps rising, about in proportion to the excess.
    let past: Vec<f64> = short.curves[0]
        .points
        .iter()
        .filter(|p| p.rate > 1.1 * short.capacity_per_s)
        .map(|p| p.p95_s)
        .collect();
    assert!(past.windows(2).all(|w| w[1] > w[0] * 1.1), "{past:?}");
}

#[test]
fn asyncs_knee_shows_on_its_own_scale() {
    let curve = LoadCurve::new(&async4());
    let plot = Plot::new(&curve, 1280.0);
    let own = &curve.curves[0].points;
    let (first, last) = (&own[0], &own[RATES - 1]);
    assert!(
        last.p95_s > 1.5 * first.p95_s,
        "{} vs {}",
        first.p95_s,
        last.p95_s
    );
    // The knee takes a good part of the plot's height.
    assert!(plot.y(first.p95_s) - plot.y(last.p95_s) > 0.3 * (plot.bottom - plot.top));
    // Blocking on four workers cannot take 47 /s (2 /s is its capacity): above the chart, and the key says so.
    let key = curve.key(&plot);
    assert_eq!(key[0], "Async (await): p95 wait");
    assert!(
        key[1].starts_with("Blocking: p95 wait, above the chart from 46.88 /s"),
        "{}",
        key[1]
    );
}

#[test]
fn ticks_are_round_numbers() {
    let t = |max, cover| {
        round_ticks(max, cover)
            .into_iter()
            .map(format::plain)
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(t(0.75, false), "0 0.2 0.4 0.6");
    assert_eq!(t(750.0, false), "0 200 400 600");
    assert_eq!(t(1893.0, true), "0 500 1000 1500 2000");
    assert_eq!(t(3.9, true), "0 1 2 3 4");
    assert_eq!(t(0.0035, true), "0 0.001 0.002 0.003 0.004");
    assert_eq!(t(f64::NAN, true), "0 0.5 1");
    let plot = Plot::new(&LoadCurve::new(&SceneId::Load.defaults()), 390.0);
    let labels: Vec<String> = plot.rate_ticks().into_iter().map(|(_, l)| l).collect();
    assert_eq!(labels, ["0 /s", "0.2 /s", "0.4 /s", "0.6 /s"]);
}

#[test]
fn the_marks_labels_never_touch() {
    for s in [SceneId::Load.defaults(), async4()] {
        let curve = LoadCurve::new(&s);
        for width in [320.0, 342.0, 960.0, 1280.0] {
            let plot = Plot::new(&curve, width);
            for rate in [
                s.rate,
                curve.capacity_per_s,
                0.9 * curve.capacity_per_s,
                1e9,
            ] {
                let marks = plot.marks(&curve, rate);
                let (a, b) = (&marks[0], &marks[1]);
                let apart = a.label_y != b.label_y
                    || a.label_x + a.width() <= b.label_x
                    || b.label_x + b.width() <= a.label_x;
                assert!(apart, "{width} px, {rate} /s: {marks:?}");
                for m in &marks {
                    assert!(m.label_x >= 0.0 && m.label_x + m.width() <= width, "{m:?}");
                    // Above the plot, where no curve is drawn.
                    assert!(m.label_y + 4.0 <= plot.clip_top(), "{m:?}");
                }
            }
        }
    }
}

#[test]
fn a_narrow_plot_keeps_its_least_width() {
    let curve = LoadCurve::new(&SceneId::Load.defaults());
    assert_eq!(Plot::new(&curve, 200.0), Plot::new(&curve, 320.0));
}
#[test]
fn the_races_capacity_counts_each_call_at_its_mean() {
    // The race scene on two workers, queries of 50 ms on average (exponential) and 10 ms to
    // decide, two seats. Measured over 100 students (whatever the scene's three) at the mean
    // times: the lock of the lock fix is held for the read, the decision and, for the two who
    // find a seat, the write: (2 × 110 + 98 × 60) ÷ 100 = 61 ms a request, so two workers'
    // locks let 2000 ÷ 61 = 32.8 /s through, whichever seed draws the scene's own times.
    let race = SceneId::Race.defaults();
    let lock = Scenario {
        fix: crate::sim::scenario::Fix::Lock,
        ..race.clone()
    };
    for seed in [1, 6, 7] {
        let c = capacity_per_s(&Scenario {
            seed,
            ..lock.clone()
        });
        assert!((c - 2000.0 / 61.0).abs() < 1e-9, "seed {seed}: {c}");
    }
    // Without the lock, the decision's 10 ms of CPU is what each worker runs one at a time.
    assert!((capacity_per_s(&race) - 200.0).abs() < 1e-9);
}
