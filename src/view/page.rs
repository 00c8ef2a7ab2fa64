//! What a scene says around its picture at a moment: the legend (exactly the looks the picture
//! draws), the stats strip, the formula beside the simulated figure, the compare scene's two
//! headings, and the sentence the live region speaks. Built from traces; the app only lays it out.

use crate::sim::metrics::Metrics;
use crate::sim::order;
use crate::sim::scenario::{Mode, Scenario};
use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use crate::view::format::{self, student_name};
use crate::view::formula::last_wait;
use crate::view::inside::{first_snapshot, students_of, WORKER};
use crate::view::load::is_article;
use crate::view::phase::{looks_in, Look, Looks};
use crate::view::run::SharedTrace;
use crate::view::scenes::SceneId;
use crate::view::story::first_interleaving;
use crate::view::timeline::{shown_students, Rows};

/// Where `scene` opens in `trace` when the URL names no time: the article's snapshot for
/// `inside`, a student waiting for its email while the worker runs another's code for `async`
/// (the start if the run never shows it), the start elsewhere.
pub fn scene_moment(scene: SceneId, trace: &Trace) -> SimTime {
    match scene {
        SceneId::Inside => first_snapshot(trace).map_or(SimTime::ZERO, |s| s.t),
        // A sixth of the way in, so that the staircase of emails already started is drawn
        // in full colour, with the first screen's rows, and the student validated now is on it.
        SceneId::Async => {
            let from = SimTime::from_micros(trace.end.as_micros() / 6);
            first_interleaving(trace, from).unwrap_or(SimTime::ZERO)
        }
        // The load curve's numbers are the whole run's.
        SceneId::Load => trace.end,
        _ => SimTime::ZERO,
    }
}

/// One entry of a legend: a look, and what it means in the run that draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub look: Look,
    /// The legend's words for it in the run's mode.
    pub label: &'static str,
    pub meaning: &'static str,
}

/// The legend of `scene` drawing `traces` (two for `compare`): every look its picture uses over
/// the whole run, in legend order, with its meaning in the first run that draws it.
pub fn legend(scene: SceneId, traces: &[&Trace], follow: Option<u32>) -> Vec<Entry> {
    let mut entries: Vec<Entry> = Vec::new();
    for trace in traces {
        for look in scene_looks(scene, trace, follow).iter() {
            if entries.iter().all(|e| e.look != look) {
                let mode = trace.scenario.mode;
                entries.push(Entry {
                    look,
                    label: look.label_in(mode),
                    meaning: look.meaning(mode),
                });
            }
        }
    }
    order::short(&mut entries, |e| e.look);
    entries
}

/// The looks `scene`'s picture draws for one run.
fn scene_looks(scene: SceneId, trace: &Trace, follow: Option<u32>) -> Looks {
    let all: Vec<u32> = (0..trace.students.len() as u32).collect();
    let first_rows = shown_students(Rows::of(trace), follow);
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
        SceneId::Load => Looks::default(),
        SceneId::Workers => {
            let mut looks = looks_in(trace, &all, false);
            looks.remove(Look::Done);
            looks
        }
    }
}

/// The stats strip of `run` at `t`.
pub fn stats_at(run: &SharedTrace, t: SimTime) -> Vec<Stat> {
    let trace = run.trace();
    let mut strip = stats(&trace.metrics_at(t), trace.students.len() as u32);
    // What the setup can take (`view::load`), worked out once per run.
    let capacity = run.capacity_per_s();
    strip.push(Stat {
        key: "capacity-per-s",
        label: "Capacity",
        value: format::plain(capacity),
        shown: format::per_sec(capacity),
        // The article's handler does what the setup's numbers say; any other is measured.
        note: (!is_article(&trace.scenario))
            .then_some("measured by running this handler's own requests, one at a time"),
    });
    // "Blocked" counts a worker's own time held by a call; in a thread pool the call holds a
    // thread while the loop stays free, which the picture draws as blocked threads.
    if let Some(blocked) = strip.iter_mut().find(|s| s.key == "blocked") {
        blocked.note = Some(if trace.scenario.mode == Mode::Threadpool {
            "of the workers' time held by a blocking call; a pool thread blocked in one leaves \
             the worker's loop free, so it does not count"
        } else {
            "of the workers' time held by a blocking call"
        });
    }
    // "CPU busy" is a share of the workers' time too. With more workers than cores they take
    // turns on the cores, which are at least that busy (busier while some workers wait on I/O):
    // the note says so rather than let the number pass for the machine's load.
    if let Some(cpu) = strip.iter_mut().find(|s| s.key == "cpu-busy") {
        cpu.note = Some(if trace.scenario.workers > trace.scenario.cores {
            "of the workers' time running code; with more workers than cores, the cores are at \
             least this busy"
        } else {
            "of the workers' time running code"
        });
    }
    // Code that raised: the requests answered with an error by `t`, the statuses beside.
    if trace
        .students
        .iter()
        .any(|s| s.status >= 400 && !s.rejected)
    {
        let errors = trace
            .students
            .iter()
            .filter(|s| !s.rejected && s.status >= 400 && s.answered().is_some_and(|f| f <= t))
            .count() as u64;
        strip.push(Stat {
            key: "errors",
            label: "Answered with an error",
            value: errors.to_string(),
            shown: format::count(errors),
            note: None,
        });
    }
    strip
}

/// The numbers that carry `scene`'s point, by `data-stat` key, in order; the rest of the strip
/// goes behind "More numbers".
pub fn primary_keys(scene: SceneId) -> &'static [&'static str] {
    match scene {
        SceneId::Blocking => &["completed", "last-wait-s", "blocked"],
        SceneId::Async => &["completed", "in-flight", "last-wait-s", "blocked"],
        SceneId::Inside => &["in-flight", "cpu-busy"],
        SceneId::Await => &["completed", "last-wait-s", "blocked"],
        SceneId::Playground => &["completed", "errors", "last-wait-s", "blocked"],
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
    /// What the number counts, shown with it where the word alone could mislead.
    pub note: Option<&'static str>,
}

/// The stats strip for `metrics` of a run of `students`.
pub fn stats(m: &Metrics, students: u32) -> Vec<Stat> {
    let stat = |key, label, value: f64, shown| Stat {
        note: None,
        key,
        label,
        value: format::plain(value),
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
pub fn compare_stats(runs: &[SharedTrace], t: SimTime) -> (Vec<Stat>, Vec<SideStats>) {
    let mut shared = Vec::new();
    let sides = runs
        .iter()
        .map(|run| {
            let trace = run.trace();
            let strip = stats_at(run, t.min(trace.end));
            let (mut primary, mut more) = split_stats(SceneId::Compare, strip);
            // One clock for both, shown once: the shared one, `t`.
            more.retain(|s| s.key != "time-s");
            primary.retain(|s| s.key != "time-s");
            if shared.is_empty() {
                let time = stats_at(run, t).into_iter().find(|s| s.key == "time-s");
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
        value: format::plain(f.value_s),
        simulated: format::plain(simulated),
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
    let mut other = s.clone();
    other.mode = mode;
    other
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
mod tests;
