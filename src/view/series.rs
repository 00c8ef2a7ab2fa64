//! Counts over time as steps: how many requests are in each look from one instant to the next, on
//! one worker or in the accept queue. Built once per trace from its spans; a picture looks values
//! up at `t` or per pixel column. The one derivation of the accept queue's length.

use crate::sim::order;
use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use crate::view::phase::Look;

/// How many looks a count covers (the length of [`Counts`]).
pub const LOOKS: usize = Look::ALL.len();

/// A count per look, indexed by `Look as usize`.
pub type Counts = [u32; LOOKS];

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

impl Run {
    /// Requests in all looks together.
    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// Requests in the looks stacked below `look` (earlier in `Look::ALL`).
    pub fn below(&self, look: usize) -> u32 {
        self.counts[..look].iter().sum()
    }
}

/// A change of one look's count at a moment: `(t, look << 1 | 1 for +1, 0 for -1)`, the shape
/// `sim::order::events` sorts.
type Event = (SimTime, u32);

fn event(t: SimTime, look: Look, delta: i32) -> Event {
    (t, (look as u32) << 1 | u32::from(delta > 0))
}

impl Series {
    /// The accept queue over the run: students arrived and not yet taken by a worker.
    pub fn backlog(trace: &Trace) -> Series {
        let mut events = Vec::with_capacity(trace.students.len() * 2);
        // A rejected request never enters the queue: it is answered 503 on arrival.
        for s in trace.students.iter().filter(|s| !s.rejected) {
            events.push(event(s.arrival, Look::Queued, 1));
            // Never taken: queued to the end (and beyond, for a partial trace).
            events.push(event(s.accepted.unwrap_or(SimTime::MAX), Look::Queued, -1));
        }
        Series::from_events(events)
    }

    /// Requests answered 503 on arrival (`overflow=reject`), counted up over the run.
    pub fn rejected(trace: &Trace) -> Series {
        let events = trace.students.iter().filter(|s| s.rejected);
        Series::from_events(
            events
                .map(|s| event(s.arrival, Look::Rejected, 1))
                .collect(),
        )
    }

    /// Per worker (indexed by id), its requests in flight by look: every span after the accept.
    pub fn per_worker(trace: &Trace) -> Vec<Series> {
        let mut events: Vec<Vec<Event>> = vec![Vec::new(); trace.workers.len()];
        for s in &trace.students {
            let Some(lane) = s.worker.and_then(|w| events.get_mut(w as usize)) else {
                continue;
            };
            for sp in trace.spans_of(s.id) {
                let look = Look::of_span(sp.state, sp.step);
                if look != Look::Queued {
                    lane.push(event(sp.start, look, 1));
                    lane.push(event(sp.end, look, -1));
                }
            }
        }
        events.into_iter().map(Series::from_events).collect()
    }

    /// Builds the steps from [`event`]s; events at one instant are applied
    /// together, so an accept and a finish at the same moment never show as a blip.
    fn from_events(mut keyed: Vec<Event>) -> Series {
        order::events(&mut keyed);
        let mut levels: Vec<Level> = Vec::new();
        let mut counts = [0i64; LOOKS];
        let mut i = 0;
        while i < keyed.len() {
            let t = keyed[i].0;
            while let Some(&(_, at)) = keyed.get(i).filter(|e| e.0 == t) {
                counts[(at >> 1) as usize] += if at & 1 == 1 { 1 } else { -1 };
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
            None => [0; LOOKS],
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
        let end = end.max(SimTime::from_micros(1));
        let mut i = 0; // first level starting after the current column's start
        for c in 0..columns {
            let start = end.scale(c, columns);
            let stop = end.scale(c + 1, columns);
            while self.levels.get(i).is_some_and(|l| l.from <= start) {
                i += 1;
            }
            let mut best = match i.checked_sub(1) {
                Some(k) => self.levels[k].counts,
                None => [0; LOOKS],
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{simulate, Scenario};

    #[test]
    fn the_blocking_queue_drains_one_student_every_two_seconds() {
        let backlog = Series::backlog(&simulate(&Scenario::default()).unwrap());
        assert_eq!(backlog.total_at(SimTime::ZERO), 99, "one is served at once");
        assert_eq!(backlog.total_at(SimTime::from_secs(3)), 98);
        assert_eq!(backlog.total_at(SimTime::from_secs(199)), 0);
        assert_eq!(backlog.peak(), 99);
    }

    #[test]
    fn columns_keep_short_peaks_and_merge_equal_neighbours() {
        let level = |ms: u64, n: u32| Level {
            from: SimTime::from_millis(ms),
            counts: {
                let mut c = [0; LOOKS];
                c[Look::AwaitingEmail as usize] = n;
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
            .all(|r| r.counts == [0; LOOKS]));
    }
}
