//! The page model's rules, pinned: stats, legends, the compare scene's sides.
use super::*;
use crate::sim::scenario::Arrival;
use crate::sim::simulate;
use crate::sim::trace::State;
use std::collections::BTreeSet;

#[test]
fn a_thread_pool_names_its_blocked_threads_and_says_what_blocked_counts() {
    let pool = Scenario::parse_pairs(
        [("mode", "threadpool"), ("students", "4")].map(|(k, v)| (k.to_string(), v.to_string())),
    )
    .unwrap();
    let trace = simulate(&pool).unwrap();
    let labels: Vec<&str> = legend(SceneId::Blocking, &[&trace], None)
        .iter()
        .map(|e| e.label)
        .collect();
    assert!(
        labels.contains(&"a thread blocked on the email"),
        "{labels:?}"
    );
    let note = |t: &Trace| {
        stats_at(&SharedTrace::from(t.clone()), t.end)
            .into_iter()
            .find(|s| s.key == "blocked")
            .unwrap()
            .note
            .unwrap()
    };
    assert!(note(&trace).contains("leaves the worker's loop free"));
    assert!(!note(&simulate(&Scenario::default()).unwrap()).contains("pool"));
}

#[test]
fn cpu_busy_says_whose_time_it_counts() {
    let note = |pairs: &[(&str, &str)]| {
        let s = Scenario::parse_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
            .unwrap();
        let t = simulate(&s).unwrap();
        let strip = stats_at(&SharedTrace::from(t.clone()), t.end);
        let cpu = strip.into_iter().find(|s| s.key == "cpu-busy").unwrap();
        (cpu.value, cpu.note.unwrap())
    };
    let (_, alone) = note(&[("students", "4")]);
    assert_eq!(alone, "of the workers' time running code");
    // 8 workers on 2 cores, each validating for 100 ms of CPU at once: they take turns on the
    // cores, which are at least as busy as the workers' share of time running code.
    let crowded = [
        ("workers", "8"),
        ("cores", "2"),
        ("students", "8"),
        ("validate_ms", "100"),
    ];
    let (value, note) = note(&crowded);
    assert!(note.contains("the cores are at least this busy"), "{note}");
    assert!(value.parse::<f64>().unwrap() > 0.0, "{value}");
}

#[test]
fn the_stats_carry_the_cores_numbers() {
    let trace = simulate(&Scenario::default()).unwrap();
    let strip = stats(&trace.metrics, 100);
    let get = |key: &str| strip.iter().find(|s| s.key == key).unwrap().clone();
    assert_eq!(get("last-wait-s").value, "200");
    assert_eq!(get("last-wait-s").shown, "200 s (3 min 20 s)");
    assert_eq!(get("completed").shown, "100 of 100");
    assert_eq!(strip.len(), 12);
    assert_eq!(get("blocked").value, "1");
    assert_eq!(get("cpu-busy").value, "0");
}

#[test]
fn each_scene_leads_with_its_own_numbers() {
    let trace = simulate(&Scenario::default()).unwrap();
    let (primary, more) = split_stats(SceneId::Blocking, stats(&trace.metrics, 100));
    let keys: Vec<&str> = primary.iter().map(|s| s.key).collect();
    assert_eq!(keys[..2], ["completed", "last-wait-s"]);
    assert_eq!(primary.len() + more.len(), stats(&trace.metrics, 100).len());
    let (race, _) = split_stats(SceneId::Race, stats(&trace.metrics, 100));
    assert!(race.is_empty());
}

#[test]
fn narration_and_formula_follow_the_run() {
    let trace = simulate(&Scenario::default()).unwrap();
    assert_eq!(narrate(&trace, SimTime::from_secs(1)), "");
    assert_eq!(
        narrate(&trace, SimTime::from_secs(5)),
        "Student #2 finished after 4 s."
    );
    let f = formula_line(&trace, false).unwrap();
    assert_eq!(f.lead, "Formula: ");
    assert_eq!(
        formula_line(&trace, true).unwrap().lead,
        "Blocking, formula: "
    );
    assert_eq!((f.value.as_str(), f.simulated.as_str()), ("200", "200"));
}

#[test]
fn inside_opens_at_the_articles_moment() {
    let inside = simulate(&SceneId::Inside.defaults()).unwrap();
    assert_eq!(
        scene_moment(SceneId::Inside, &inside),
        SimTime::from_millis(550)
    );
    let blocking = simulate(&Scenario::default()).unwrap();
    assert_eq!(scene_moment(SceneId::Blocking, &blocking), SimTime::ZERO);
}

#[test]
fn async_opens_with_one_student_waiting_for_its_email_while_another_runs() {
    // One student every 10 ms; #1 is validated by 5 ms, saved by 55 ms, then waits for its
    // email until 2.055 s. A sixth of the 3.045 s run is 0.5075 s: #52 arrives at 0.51 s.
    let run = simulate(&SceneId::Async.defaults()).unwrap();
    let t = scene_moment(SceneId::Async, &run);
    assert_eq!(t, SimTime::from_millis(510));
    assert_eq!(crate::view::story::awaiting_email(&run, 0, t), Some(0));
    assert_eq!(run.span_at(51, t).map(|sp| sp.state), Some(State::Running));
    // From the start, the first such moment is #7's arrival at 60 ms.
    assert_eq!(
        crate::view::story::first_interleaving(&run, SimTime::ZERO),
        Some(SimTime::from_millis(60))
    );
    // Arriving all at once, nobody's email starts until all 100 are validated: 0.5 s.
    let burst = Scenario {
        arrival: Arrival::Burst,
        ..SceneId::Async.defaults()
    };
    let run = simulate(&burst).unwrap();
    assert_eq!(scene_moment(SceneId::Async, &run), SimTime::ZERO);
}

#[test]
fn compare_shows_both_runs_numbers_with_the_same_keys() {
    let blocking = simulate(&Scenario::default()).unwrap();
    let other = simulate(&compare_with(&blocking.scenario)).unwrap();
    let (shared, sides) = compare_stats(
        &[
            SharedTrace::from(blocking.clone()),
            SharedTrace::from(other.clone()),
        ],
        SimTime::from_secs(100),
    );
    assert_eq!(shared.iter().map(|s| s.key).collect::<Vec<_>>(), ["time-s"]);
    let keys = |s: &SideStats| s.primary.iter().map(|x| x.key).collect::<Vec<_>>();
    assert_eq!(keys(&sides[0]), keys(&sides[1]));
    let completed = |s: &SideStats| {
        s.primary
            .iter()
            .find(|x| x.key == "completed")
            .unwrap()
            .value
            .clone()
    };
    assert_eq!(
        (completed(&sides[0]), completed(&sides[1])),
        ("50".to_string(), "100".to_string())
    );
    assert_eq!((sides[0].key, sides[1].key), ("blocking", "async"));
    // At the end each run's throughput is over its own time: 100 / 200 s and 100 / 2 s
    // (the default blocking run's times are 0 / 0 / 2000 ms; async's end at 2 s too).
    let end = blocking.end.max(other.end);
    let (shared, sides) = compare_stats(
        &[
            SharedTrace::from(blocking.clone()),
            SharedTrace::from(other.clone()),
        ],
        end,
    );
    assert_eq!(shared[0].value, end.as_secs_f64().to_string());
    let rate = |s: &SideStats| -> f64 {
        let all = s.primary.iter().chain(&s.more);
        let x = all.clone().find(|x| x.key == "throughput-per-s").unwrap();
        x.value.parse().unwrap()
    };
    let own = |t: &Trace| 100.0 / t.end.as_secs_f64();
    assert_eq!(
        (rate(&sides[0]), rate(&sides[1])),
        (own(&blocking), own(&other))
    );
    assert!(rate(&sides[1]) > 90.0 * rate(&sides[0]));
}

#[test]
fn compare_sides_read_each_run() {
    let blocking = simulate(&Scenario::default()).unwrap();
    let other = simulate(&compare_with(&blocking.scenario)).unwrap();
    assert_eq!(other.scenario.mode, Mode::Async);
    let t = SimTime::from_secs(100);
    let (a, b) = (side(&blocking, t), side(&other, t));
    assert_eq!((a.key, a.completed, b.completed), ("blocking", 50, 100));
    assert_eq!(b.done_at, "all done at 2 s");
    assert_eq!(a.title, "Blocking");
}

/// The looks the scene's picture models draw over the whole run, gathered from their shapes
/// (timeline bars and marks, the worker box at every change, the code's chips at every
/// change, the workers canvas' bands, the race drawing at the end).
fn drawn(scene: SceneId, trace: &Trace, other: Option<&Trace>) -> BTreeSet<Look> {
    use crate::view::handler_code::lines_at;
    use crate::view::inside::WorkerBox;
    use crate::view::race_drawing::RaceDrawing;
    use crate::view::series::Series;
    use crate::view::timeline::Drawing;
    use crate::view::workers::WorkersModel;

    let timeline = |trace: &Trace| {
        Drawing::new(
            trace,
            &Series::backlog(trace),
            900.0,
            520.0,
            None,
            (None, None),
        )
        .looks()
    };
    let mut looks = BTreeSet::new();
    match scene {
        SceneId::Load => {}
        SceneId::Blocking | SceneId::Async => looks.extend(timeline(trace)),
        SceneId::Compare => {
            looks.extend(timeline(trace));
            looks.extend(timeline(other.unwrap()));
        }
        SceneId::Inside => {
            looks.extend(timeline(trace));
            let mine = students_of(trace, WORKER);
            for t in trace.change_times() {
                let rows = WorkerBox::at(trace, &mine, t).rows;
                looks.extend(rows.iter().filter_map(|r| r.phase.look()));
            }
        }
        SceneId::Await | SceneId::Playground => {
            looks.extend(timeline(trace));
            looks.insert(Look::Done); // the "done: n of N" swatch
            for t in trace.change_times() {
                let (lines, _) = lines_at(trace, t);
                let chips = lines.iter().flat_map(|l| l.chips());
                looks.extend(chips.filter_map(|(phase, _, _)| phase.look()));
            }
        }
        SceneId::Workers => {
            let model = WorkersModel::new(trace);
            for series in model.workers.iter().chain([&model.last.series]) {
                for level in &series.levels {
                    let present = Look::ALL
                        .into_iter()
                        .filter(|l| level.counts[*l as usize] > 0);
                    looks.extend(present);
                }
            }
        }
        SceneId::Race => {
            if let Some(seats) = &trace.seats {
                looks.extend(RaceDrawing::at(trace, seats, 900.0, trace.end).looks());
            }
        }
    }
    looks
}

#[track_caller]
fn check_legend(scene: SceneId, query: &str) {
    let (config, notices) =
        crate::view::config::PageConfig::parse(&format!("scene={}&{query}", scene.slug()));
    assert!(notices.is_empty(), "{query}: {notices:?}");
    let trace = simulate(&config.scenario).unwrap();
    let other =
        (scene == SceneId::Compare).then(|| simulate(&compare_with(&trace.scenario)).unwrap());
    let mut traces = vec![&trace];
    traces.extend(other.as_ref());
    let shown: BTreeSet<Look> = legend(scene, &traces, None)
        .into_iter()
        .map(|e| e.look)
        .collect();
    assert_eq!(
        drawn(scene, &trace, other.as_ref()),
        shown,
        "legend of scene={} {query}",
        scene.slug()
    );
}

#[test]
fn the_legend_lists_exactly_the_looks_each_scene_draws() {
    let setups = [
        "",
        "students=30",
        "students=150&mode=async&validate_ms=5&db_ms=50",
        "mode=threadpool&threads=4&students=12&validate_ms=20&db_ms=100",
        "mode=async&await_db=false&students=10&db_ms=100",
        "mode=async&db_pool=1&students=8&validate_ms=10&db_ms=300&arrival=uniform&rate=20",
        "mode=async&await_email=false&students=5&io_dist=exp&seed=3",
        "handler=race&students=4&db_ms=50&io_dist=exp&workers=2&mode=async",
        "handler=race&mode=blocking&students=3&db_ms=50",
        "students=40&workers=2&concurrency=5&mode=async&db_pool=2&db_ms=200&arrival=poisson&rate=50",
        "students=30&workers=2&concurrency=4&mode=async&overflow=reject&validate_ms=5",
        "students=6&overflow=reject&arrival=uniform&rate=1",
    ];
    for scene in SceneId::ALL {
        for query in setups {
            check_legend(scene, query);
        }
    }
}

#[test]
fn code_that_raises_counts_its_errors_in_the_strip() {
    let code = "async def f(student):\n    await send_email(student)\n    if student.name == 'Student 2':\n        raise HTTPException(409)";
    let pairs = [("students", "4"), ("code", code)].map(|(k, v)| (k.to_string(), v.to_string()));
    let trace = simulate(&Scenario::parse_pairs(pairs).unwrap()).unwrap();
    let run = SharedTrace::from(trace.clone());
    let errors = |t| {
        stats_at(&run, t)
            .into_iter()
            .find(|s| s.key == "errors")
            .unwrap()
            .value
    };
    assert_eq!(
        (errors(SimTime::ZERO), errors(trace.end)),
        ("0".to_string(), "1".to_string())
    );
    let (primary, _) = split_stats(SceneId::Playground, stats_at(&run, trace.end));
    assert!(primary.iter().any(|s| s.key == "errors"));
    // Code that raises nothing has no such figure.
    assert!(stats_at(
        &SharedTrace::from(simulate(&Scenario::default()).unwrap()),
        SimTime::ZERO
    )
    .iter()
    .all(|s| s.key != "errors"));
}
