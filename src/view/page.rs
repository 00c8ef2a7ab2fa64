//! What a scene says around its picture at a moment: the legend (exactly the looks the picture
//! draws), the stats strip, the formula beside the simulated figure, the compare scene's two
//! headings, and the sentence the live region speaks. Built from traces; the app only lays it out.

use std::collections::BTreeSet;

use crate::sim::metrics::Metrics;
use crate::sim::order;
use crate::sim::scenario::{Mode, Scenario};
use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use crate::view::format::{self, student_name};
use crate::view::formula::last_wait;
use crate::view::inside::{first_snapshot, students_of, WORKER};
use crate::view::load::capacity_per_s;
use crate::view::phase::{looks_in, Look};
use crate::view::scenes::SceneId;
use crate::view::timeline::shown_students;

/// Where `scene` opens in `trace` when the URL names no time: the article's snapshot for
/// `inside` (the start if this run never shows it), the start elsewhere.
pub fn scene_moment(scene: SceneId, trace: &Trace) -> SimTime {
    match scene {
        SceneId::Inside => first_snapshot(trace).map_or(SimTime::ZERO, |s| s.t),
        // The load curve's numbers are the whole run's.
        SceneId::Load => trace.end,
        _ => SimTime::ZERO,
    }
}

/// One entry of a legend: a look, and what it means in the run that draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub look: Look,
    pub meaning: &'static str,
}

/// The legend of `scene` drawing `traces` (two for `compare`): every look its picture uses over
/// the whole run, in legend order, with its meaning in the first run that draws it.
pub fn legend(scene: SceneId, traces: &[&Trace], follow: Option<u32>) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for trace in traces {
        for look in scene_looks(scene, trace, follow) {
            if entries.iter().all(|e| e.look != look) {
                let meaning = look.meaning(trace.scenario.mode);
                entries.push(Entry { look, meaning });
            }
        }
    }
    order::short(&mut entries, |e| e.look);
    entries
}

/// The looks `scene`'s picture draws for one run.
fn scene_looks(scene: SceneId, trace: &Trace, follow: Option<u32>) -> BTreeSet<Look> {
    let all: Vec<u32> = (0..trace.students.len() as u32).collect();
    let first_rows = shown_students(trace.students.len() as u32, follow);
    match scene {
        SceneId::Blocking | SceneId::Async | SceneId::Compare => looks_in(trace, &first_rows, true),
        // The worker box may list a student beyond the timeline's rows.
        SceneId::Inside => {
            let mut shown = first_rows;
            shown.extend(students_of(trace, WORKER));
            looks_in(trace, &shown, true)
        }
        // The code's chips count every student.
        SceneId::Await | SceneId::Race | SceneId::Playground => looks_in(trace, &all, true),
        // The canvas stacks every request by look, and marks no completion.
        // Curves of waits: no request's state is drawn.
        SceneId::Load => BTreeSet::new(),
        SceneId::Workers => {
            let mut looks = looks_in(trace, &all, false);
            looks.remove(&Look::Done);
            looks
        }
    }
}

/// The stats strip of `trace` at `t`.
pub fn stats_at(trace: &Trace, t: SimTime) -> Vec<Stat> {
    let mut strip = stats(&trace.metrics_at(t), trace.students.len() as u32);
    // What the setup can take, from its numbers (`view::load`).
    let capacity = capacity_per_s(&trace.scenario);
    strip.push(Stat {
        key: "capacity-per-s",
        label: "Capacity",
        value: capacity.to_string(),
        shown: format::per_sec(capacity),
    });
    strip
}

/// The numbers that carry `scene`'s point, by `data-stat` key, in order; the rest of the strip
/// goes behind "More numbers".
pub fn primary_keys(scene: SceneId) -> &'static [&'static str] {
    match scene {
        SceneId::Blocking => &["completed", "last-wait-s", "blocked"],
        SceneId::Async => &["completed", "in-flight", "last-wait-s", "blocked"],
        SceneId::Inside => &["in-flight", "cpu-busy"],
        SceneId::Await | SceneId::Playground => &["completed", "last-wait-s", "blocked"],
        SceneId::Load => &["capacity-per-s", "p95-wait-s", "throughput-per-s"],
        SceneId::Workers => &["in-flight", "last-wait-s", "blocked", "rejected"],
        SceneId::Compare => &["completed", "last-wait-s", "blocked"],
        // The race's numbers are its own readout.
        SceneId::Race => &[],
    }
}

/// The strip split for `scene`: the numbers that carry its point, then the others.
pub fn split_stats(scene: SceneId, strip: Vec<Stat>) -> (Vec<Stat>, Vec<Stat>) {
    let keys = primary_keys(scene);
    let (mut primary, more): (Vec<Stat>, Vec<Stat>) =
        strip.into_iter().partition(|s| keys.contains(&s.key));
    order::short(&mut primary, |s| keys.iter().position(|k| *k == s.key));
    (primary, more)
}

/// One number of the stats strip.
#[derive(Clone, Debug, PartialEq)]
pub struct Stat {
    /// `data-stat`: the key authors and tests read.
    pub key: &'static str,
    pub label: &'static str,
    /// `data-value`: the raw number, in the unit the key names.
    pub value: String,
    /// The number for a reader.
    pub shown: String,
}

/// The stats strip for `metrics` of a run of `students`.
pub fn stats(m: &Metrics, students: u32) -> Vec<Stat> {
    let stat = |key, label, value: f64, shown| Stat {
        key,
        label,
        value: value.to_string(),
        shown,
    };
    let secs = |t: SimTime| t.as_secs_f64();
    let completed = format!(
        "{} of {}",
        format::count(m.completed.into()),
        format::count(students.into())
    );
    vec![
        stat("time-s", "Time", secs(m.time), format::clock(secs(m.time))),
        stat("completed", "Completed", m.completed.into(), completed),
        stat(
            "in-flight",
            "In flight",
            m.in_flight.into(),
            format::count(m.in_flight.into()),
        ),
        stat(
            "max-in-flight",
            "Most in flight",
            m.max_in_flight.into(),
            format::count(m.max_in_flight.into()),
        ),
        stat(
            "last-wait-s",
            "Longest wait",
            secs(m.latency.max),
            format::secs(secs(m.latency.max)),
        ),
        stat(
            "mean-wait-s",
            "Mean wait",
            m.latency.mean_s,
            format::secs(m.latency.mean_s),
        ),
        stat(
            "p95-wait-s",
            "95 % waited at most",
            secs(m.latency.p95),
            format::secs(secs(m.latency.p95)),
        ),
        stat(
            "throughput-per-s",
            "Throughput",
            m.throughput_per_s,
            format::per_sec(m.throughput_per_s),
        ),
        stat(
            "cpu-busy",
            "CPU busy",
            m.cpu_busy,
            format::percent(m.cpu_busy),
        ),
        stat("blocked", "Blocked", m.blocked, format::percent(m.blocked)),
        stat(
            "utilization",
            "Workers held",
            m.utilization,
            format::percent(m.utilization),
        ),
        stat(
            "rejected",
            "Rejected (503)",
            m.rejected.into(),
            format::count(m.rejected.into()),
        ),
    ]
}

/// One run's strip in the `compare` scene.
#[derive(Clone, Debug, PartialEq)]
pub struct SideStats {
    /// `data-side`: the mode's keyword.
    pub key: &'static str,
    pub title: &'static str,
    pub primary: Vec<Stat>,
    pub more: Vec<Stat>,
}

/// The `compare` scene's numbers at `t`: the clock once, then each run's strip with the same
/// keys, side by side. Each run is measured over its own time, up to `t` or to its own end: the
/// async run that ended at 2 s served 100 students in 2 s, not in the blocking run's 200.
pub fn compare_stats(runs: &[&Trace], t: SimTime) -> (Vec<Stat>, Vec<SideStats>) {
    let mut shared = Vec::new();
    let sides = runs
        .iter()
        .map(|trace| {
            let strip = stats_at(trace, t.min(trace.end));
            let (mut primary, mut more) = split_stats(SceneId::Compare, strip);
            // One clock for both, shown once: the shared one, `t`.
            more.retain(|s| s.key != "time-s");
            primary.retain(|s| s.key != "time-s");
            if shared.is_empty() {
                let time = stats_at(trace, t).into_iter().find(|s| s.key == "time-s");
                shared.extend(time);
            }
            SideStats {
                key: trace.scenario.mode.as_str(),
                title: mode_title(trace.scenario.mode),
                primary,
                more,
            }
        })
        .collect();
    (shared, sides)
}

/// The closed form beside the simulated longest wait.
#[derive(Clone, Debug, PartialEq)]
pub struct FormulaLine {
    /// `Formula: `, or which run it describes where two are shown (`Blocking, formula: `).
    pub lead: String,
    /// `100 students × 2 s = 200 s`, and its value in seconds.
    pub text: String,
    pub value: String,
    /// The simulated longest wait, raw and for a reader.
    pub simulated: String,
    pub simulated_text: String,
}

/// The formula line of a run, when its setup has a closed form; `named`, it says which run
/// (the `compare` scene shows two).
pub fn formula_line(trace: &Trace, named: bool) -> Option<FormulaLine> {
    let f = last_wait(&trace.scenario)?;
    let simulated = trace.metrics.latency.max.as_secs_f64();
    Some(FormulaLine {
        lead: if named {
            format!("{}, formula: ", mode_title(trace.scenario.mode))
        } else {
            "Formula: ".to_string()
        },
        text: f.text,
        value: f.value_s.to_string(),
        simulated: simulated.to_string(),
        simulated_text: format::secs(simulated),
    })
}

/// One sentence for screen readers about the latest completion at or before `t`; it changes only
/// when another student finishes, so the live region speaks at that pace, not every frame.
pub fn narrate(trace: &Trace, t: SimTime) -> String {
    let latest = trace
        .students
        .iter()
        .filter(|s| s.finish.is_some_and(|f| f <= t))
        .max_by_key(|s| (s.finish, s.id));
    match latest {
        Some(s) => format!(
            "Student {} finished after {}.",
            student_name(s.id, trace.students.len() as u32),
            format::secs((s.finish.unwrap_or(t) - s.arrival).as_secs_f64())
        ),
        None => String::new(),
    }
}

/// The other side of the `compare` scene: async, or blocking when the scenario is already async.
pub fn compare_with(s: &Scenario) -> Scenario {
    let mode = if s.mode == Mode::Async {
        Mode::Blocking
    } else {
        Mode::Async
    };
    Scenario { mode, ..s.clone() }
}

/// A mode's heading in the `compare` scene.
pub fn mode_title(mode: Mode) -> &'static str {
    match mode {
        Mode::Blocking => "Blocking",
        Mode::Async => "Async (await)",
        Mode::Threadpool => "Thread pool (def)",
    }
}

/// One side's heading in the `compare` scene and its numbers at the current time.
#[derive(Clone, Debug, PartialEq)]
pub struct Side {
    /// `data-side`: the mode's keyword.
    pub key: &'static str,
    pub title: &'static str,
    pub completed: u32,
    pub completed_text: String,
    pub last_wait: f64,
    pub last_wait_text: String,
    /// `all done at 200 s`.
    pub done_at: String,
}

/// `trace`'s side at `t`.
pub fn side(trace: &Trace, t: SimTime) -> Side {
    let m = trace.metrics_at(t.min(trace.end));
    let last_wait = m.latency.max.as_secs_f64();
    Side {
        key: trace.scenario.mode.as_str(),
        title: mode_title(trace.scenario.mode),
        completed: m.completed,
        completed_text: format!("{} of {}", m.completed, trace.students.len()),
        last_wait,
        last_wait_text: format::secs(last_wait),
        done_at: format!(
            "all done at {}",
            format::secs(trace.metrics.makespan.as_secs_f64())
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::simulate;

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
    fn compare_shows_both_runs_numbers_with_the_same_keys() {
        let blocking = simulate(&Scenario::default()).unwrap();
        let other = simulate(&compare_with(&blocking.scenario)).unwrap();
        let (shared, sides) = compare_stats(&[&blocking, &other], SimTime::from_secs(100));
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
        let (shared, sides) = compare_stats(&[&blocking, &other], end);
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
}
