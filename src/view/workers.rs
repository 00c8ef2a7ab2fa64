//! The `workers` scene's model, apart from drawing it: how many requests each worker has in flight
//! over time (split by what they are doing), the accept queue's backlog, and the words under the
//! picture. Built once per trace; the picture only looks values up. No web imports.

use crate::sim::handler::Step;
use crate::sim::scenario::{Mode, Scenario};
use crate::sim::time::SimTime;
use crate::sim::trace::{State, Trace};
use crate::view::format;

/// What a request in a lane is doing, in the order the bands stack (bottom first): the states that
/// occupy the worker at the bottom, waits above them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Band {
    /// The worker's CPU is on it.
    Running,
    /// A blocking I/O call: it holds the worker.
    Blocked,
    /// An awaited database call.
    AwaitingDb,
    /// Waiting for a database connection.
    WaitingConnection,
    /// An awaited email call.
    AwaitingEmail,
    /// Its I/O is done; it waits its turn (the loop's ready queue, or a thread waiting for the
    /// interpreter lock).
    Ready,
    /// In the accept queue, not yet taken by any worker (only in the backlog).
    Queued,
}

/// How many bands there are (the length of [`Counts`]).
pub const BANDS: usize = 7;

/// A count per band, indexed by `Band as usize`.
pub type Counts = [u32; BANDS];

impl Band {
    /// Every band, bottom of the stack first.
    pub const ALL: [Band; BANDS] = [
        Band::Running,
        Band::Blocked,
        Band::AwaitingDb,
        Band::WaitingConnection,
        Band::AwaitingEmail,
        Band::Ready,
        Band::Queued,
    ];

    /// The band of a span in `state` on handler line `step`.
    pub fn of(state: State, step: Option<Step>) -> Band {
        match state {
            State::Queued => Band::Queued,
            State::Running => Band::Running,
            State::Blocked => Band::Blocked,
            State::AwaitingIo => match step {
                Some(Step::SaveToDatabase) => Band::AwaitingDb,
                _ => Band::AwaitingEmail,
            },
            State::WaitingConnection => Band::WaitingConnection,
            State::Ready | State::ThreadWait => Band::Ready,
        }
    }
}

/// From `from` until the next level's `from`, these many requests per band.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Level {
    pub from: SimTime,
    pub counts: Counts,
}

impl Level {
    /// All bands together.
    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }
}

/// A count over time as steps, sorted by `from`, no two at the same instant. Zero before the
/// first step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Series {
    pub levels: Vec<Level>,
}

/// Consecutive pixel columns `first..end` that show the same counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Run {
    pub first: u32,
    pub end: u32,
    pub counts: Counts,
}

impl Series {
    /// Builds the steps from `(time, band, +1 or -1)` events; events at one instant are applied
    /// together, so an accept and a finish at the same moment never show as a blip.
    fn from_events(mut events: Vec<(SimTime, Band, i32)>) -> Series {
        events.sort_unstable_by_key(|(t, band, delta)| (*t, *band, *delta));
        let mut levels: Vec<Level> = Vec::new();
        let mut counts = [0i64; BANDS];
        let mut i = 0;
        while i < events.len() {
            let t = events[i].0;
            while let Some((_, band, delta)) = events.get(i).filter(|e| e.0 == t) {
                counts[*band as usize] += i64::from(*delta);
                i += 1;
            }
            let level = Level {
                from: t,
                counts: counts.map(|c| c.max(0) as u32),
            };
            match levels.last() {
                Some(last) if last.counts == level.counts => {}
                _ => levels.push(level),
            }
        }
        Series { levels }
    }

    /// The counts at `t` (the step starting at `t` counts).
    pub fn at(&self, t: SimTime) -> Counts {
        let i = self.levels.partition_point(|l| l.from <= t);
        match i.checked_sub(1) {
            Some(i) => self.levels[i].counts,
            None => [0; BANDS],
        }
    }

    /// All bands together at `t`.
    pub fn total_at(&self, t: SimTime) -> u32 {
        self.at(t).iter().sum()
    }

    /// The highest total ever.
    pub fn peak(&self) -> u32 {
        self.levels.iter().map(Level::total).max().unwrap_or(0)
    }

    /// The series over `[0, end]` cut into `columns` pixel columns, equal neighbours merged. A
    /// column shows the level with the highest total inside it, so a short peak stays visible at
    /// any width.
    pub fn columns(&self, end: SimTime, columns: u32) -> Vec<Run> {
        let mut runs: Vec<Run> = Vec::new();
        let end_us = u128::from(end.as_micros().max(1));
        let mut i = 0; // first level starting after the current column's start
        for c in 0..columns {
            let start = SimTime((end_us * u128::from(c) / u128::from(columns)) as u64);
            let stop = SimTime((end_us * u128::from(c + 1) / u128::from(columns)) as u64);
            while self.levels.get(i).is_some_and(|l| l.from <= start) {
                i += 1;
            }
            let mut best = match i.checked_sub(1) {
                Some(k) => self.levels[k].counts,
                None => [0; BANDS],
            };
            let mut j = i;
            while let Some(l) = self.levels.get(j).filter(|l| l.from < stop) {
                if l.total() > best.iter().sum() {
                    best = l.counts;
                }
                j += 1;
            }
            match runs.last_mut() {
                Some(run) if run.counts == best => run.end = c + 1,
                _ => runs.push(Run {
                    first: c,
                    end: c + 1,
                    counts: best,
                }),
            }
        }
        runs
    }
}

/// Everything the `workers` picture shows, computed once per trace.
/// `Eq`, so an `Rc` of it compares by pointer first (the effect's dependency check is cheap).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkersModel {
    /// Requests one worker may hold at once: `concurrency` (async), `threads` (threadpool), 1
    /// (blocking).
    pub cap: u32,
    /// Per worker (indexed by id), its requests in flight by band.
    pub workers: Vec<Series>,
    /// Students in the accept queue (band `Queued`): arrived, not taken by any worker.
    pub backlog: Series,
    /// The last moment of the run.
    pub end: SimTime,
}

/// Requests one worker of `scenario` can hold at once.
pub fn cap(scenario: &Scenario) -> u32 {
    match scenario.mode {
        Mode::Blocking => 1,
        Mode::Async => scenario.concurrency,
        Mode::Threadpool => scenario.threads,
    }
}

impl WorkersModel {
    /// Reads every student's spans once: O(spans log spans).
    pub fn new(trace: &Trace) -> WorkersModel {
        let mut events: Vec<Vec<(SimTime, Band, i32)>> = vec![Vec::new(); trace.workers.len()];
        let mut queue: Vec<(SimTime, Band, i32)> = Vec::with_capacity(trace.students.len() * 2);
        for s in &trace.students {
            queue.push((s.arrival, Band::Queued, 1));
            // Never taken: queued to the end (and beyond, for a partial trace).
            queue.push((s.accepted.unwrap_or(SimTime::MAX), Band::Queued, -1));
            let Some(lane) = s.worker.and_then(|w| events.get_mut(w as usize)) else {
                continue;
            };
            for sp in trace.spans_of(s.id) {
                let band = Band::of(sp.state, sp.step);
                if band != Band::Queued {
                    lane.push((sp.start, band, 1));
                    lane.push((sp.end, band, -1));
                }
            }
        }
        WorkersModel {
            cap: cap(&trace.scenario),
            workers: events.into_iter().map(Series::from_events).collect(),
            backlog: Series::from_events(queue),
            end: trace.end,
        }
    }

    /// Requests in flight on each worker at `t`.
    pub fn in_flight_at(&self, t: SimTime) -> Vec<u32> {
        self.workers.iter().map(|w| w.total_at(t)).collect()
    }

    /// Slots in all workers together (`workers x cap`).
    pub fn slots(&self) -> u64 {
        self.workers.len() as u64 * u64::from(self.cap)
    }
}

/// The student counts of the scene's preset buttons: exactly as many as there are slots, one
/// more, and twice as many (for the article's 4 x 250: 1000, 1001 and 2000).
pub fn presets(scenario: &Scenario) -> [u32; 3] {
    let slots = u64::from(scenario.workers) * u64::from(cap(scenario));
    let clamp = |n: u64| n.clamp(1, u64::from(u32::MAX)) as u32;
    [clamp(slots), clamp(slots + 1), clamp(slots * 2)]
}

/// One sentence under the picture: whether anybody found every slot taken, how long they waited
/// for one, and when the last was done. Every number comes from the trace.
pub fn caption(trace: &Trace, model: &WorkersModel) -> String {
    let waited: Vec<_> = trace
        .students
        .iter()
        .filter(|s| s.accepted.is_none_or(|a| a > s.arrival))
        .collect();
    let end = format::secs(trace.end.as_secs_f64());
    let slots = format!(
        "{} workers \u{d7} {} = {} slots",
        model.workers.len(),
        format::count(model.cap.into()),
        format::count(model.slots())
    );
    let longest = waited
        .iter()
        .map(|s| s.accepted.unwrap_or(trace.end) - s.arrival)
        .max();
    match longest {
        None => format!(
            "{slots}: all {} students got one on arrival, none waited in the accept queue, and \
             all were done at {end}.",
            format::count(trace.students.len() as u64)
        ),
        Some(longest) => {
            let (who, wait) = match waited.len() {
                1 => ("1 student".to_string(), ""),
                n => (format!("{} students", format::count(n as u64)), "up to "),
            };
            let freed = if waited.iter().all(|s| s.accepted.is_some()) {
                "for one to free"
            } else {
                "and some never got one"
            };
            format!(
                "{slots}: {who} found them all taken and waited {wait}{} in the accept queue \
                 {freed}; the last was done at {end}.",
                format::secs(longest.as_secs_f64())
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{simulate, Arrival, IoDist};
    use crate::view::scenes::SceneId;

    fn run(students: u32) -> (Trace, WorkersModel) {
        let scenario = Scenario {
            students,
            ..SceneId::Workers.defaults()
        };
        let trace = simulate(&scenario).unwrap();
        let model = WorkersModel::new(&trace);
        (trace, model)
    }

    /// Checks the in-flight counts per worker and the backlog at the given seconds.
    #[track_caller]
    fn check(students: u32, expected: &[(f64, [u32; 4], u32)]) {
        let (_, model) = run(students);
        for &(secs, in_flight, backlog) in expected {
            let t = SimTime::from_secs_f64(secs);
            assert_eq!(
                model.in_flight_at(t),
                in_flight,
                "{students} students: in flight at {secs} s"
            );
            assert_eq!(
                model.backlog.total_at(t),
                backlog,
                "{students} students: backlog at {secs} s"
            );
        }
    }

    #[test]
    fn the_article_fills_every_slot_once() {
        check(
            1000,
            &[
                (0.0, [250; 4], 0),
                (1.0, [250; 4], 0),
                (1.999_999, [250; 4], 0),
                (2.0, [0; 4], 0),
            ],
        );
        let (trace, model) = run(1000);
        assert_eq!(
            (model.cap, model.slots(), model.end),
            (250, 1000, trace.end)
        );
        assert_eq!(model.backlog.peak(), 0);
        // Everyone in flight is waiting for the email.
        assert_eq!(
            model.workers[0].at(SimTime::from_secs(1))[Band::AwaitingEmail as usize],
            250
        );
    }

    #[test]
    fn the_1001st_waits_for_a_slot_and_2000_come_in_two_waves() {
        check(
            1001,
            &[
                (0.0, [250; 4], 1),
                (1.0, [250; 4], 1),
                (2.0, [1, 0, 0, 0], 0),
                (3.999, [1, 0, 0, 0], 0),
                (4.0, [0; 4], 0),
            ],
        );
        // At 2 s the first wave's finishes and the second wave's accepts are one instant: the
        // lanes stay full, with no dip to zero.
        check(
            2000,
            &[(1.0, [250; 4], 1000), (2.0, [250; 4], 0), (4.0, [0; 4], 0)],
        );
        let (_, model) = run(2000);
        assert!(model.workers[0].levels.iter().all(|l| l.total() <= 250));
        assert_eq!(model.backlog.peak(), 1000);
    }

    #[test]
    fn the_series_equal_the_core_at_every_change() {
        for (mode, students, workers) in [
            (Mode::Async, 300, 3),
            (Mode::Blocking, 40, 2),
            (Mode::Threadpool, 200, 2),
        ] {
            let scenario = Scenario {
                mode,
                workers,
                students,
                concurrency: 20,
                threads: 8,
                validate_ms: 3.0,
                db_ms: 40.0,
                email_ms: 300.0,
                arrival: Arrival::Poisson,
                rate: 400.0,
                io_dist: IoDist::Exp,
                db_pool: Some(4),
                seed: 7,
                ..Scenario::default()
            };
            let trace = simulate(&scenario).unwrap();
            let model = WorkersModel::new(&trace);
            for t in trace.change_times() {
                assert_eq!(
                    model.in_flight_at(t),
                    trace.in_flight_by_worker(t),
                    "{mode:?} at {t:?}"
                );
                let queued = trace
                    .students
                    .iter()
                    .filter(|s| s.arrival <= t && s.accepted.is_none_or(|a| a > t))
                    .count() as u32;
                assert_eq!(
                    model.backlog.total_at(t),
                    queued,
                    "{mode:?} backlog at {t:?}"
                );
                for w in &model.workers {
                    assert!(w.total_at(t) <= model.cap, "{mode:?} at {t:?} over the cap");
                }
            }
            for series in model.workers.iter().chain([&model.backlog]) {
                assert!(
                    series
                        .levels
                        .windows(2)
                        .all(|p| p[0].from < p[1].from && p[0].counts != p[1].counts),
                    "{mode:?}: one level per instant, each a change"
                );
            }
        }
    }

    #[test]
    fn columns_keep_short_peaks_and_merge_equal_neighbours() {
        let level = |ms: u64, n: u32| Level {
            from: SimTime::from_millis(ms),
            counts: {
                let mut c = [0; BANDS];
                c[Band::AwaitingEmail as usize] = n;
                c
            },
        };
        // 0 until 100 ms, 5 for 1 ms, then 2 until 1 s.
        let series = Series {
            levels: vec![level(100, 5), level(101, 2), level(1000, 0)],
        };
        let totals = |runs: &[Run]| {
            runs.iter()
                .map(|r| (r.first, r.end, r.counts.iter().sum::<u32>()))
                .collect::<Vec<_>>()
        };
        // 10 columns of 100 ms: the 1 ms peak fills column 1.
        assert_eq!(
            totals(&series.columns(SimTime::from_secs(1), 10)),
            [(0, 1, 0), (1, 2, 5), (2, 10, 2)]
        );
        assert_eq!(
            totals(&series.columns(SimTime::from_secs(1), 1)),
            [(0, 1, 5)]
        );
        assert!(Series::default()
            .columns(SimTime::ZERO, 3)
            .iter()
            .all(|r| r.counts == [0; BANDS]));
    }

    #[test]
    fn presets_follow_the_slots() {
        assert_eq!(presets(&SceneId::Workers.defaults()), [1000, 1001, 2000]);
        let two = Scenario {
            workers: 2,
            ..SceneId::Workers.defaults()
        };
        assert_eq!(presets(&two), [500, 501, 1000]);
        assert_eq!(presets(&Scenario::default()), [1, 2, 2]);
    }

    #[test]
    fn captions_name_the_backlog_from_the_trace() {
        let (trace, model) = run(1000);
        assert_eq!(
            caption(&trace, &model),
            "4 workers \u{d7} 250 = 1\u{202f}000 slots: all 1\u{202f}000 students got one on \
             arrival, none waited in the accept queue, and all were done at 2 s."
        );
        let (trace, model) = run(1001);
        assert_eq!(
            caption(&trace, &model),
            "4 workers \u{d7} 250 = 1\u{202f}000 slots: 1 student found them all taken and \
             waited 2 s in the accept queue for one to free; the last was done at 4 s."
        );
        let (trace, model) = run(2000);
        assert_eq!(
            caption(&trace, &model),
            "4 workers \u{d7} 250 = 1\u{202f}000 slots: 1\u{202f}000 students found them all \
             taken and waited up to 2 s in the accept queue for one to free; the last was done \
             at 4 s."
        );
    }
}
