//! Where the step keys go: the moments that change what the reader sees. Every change of the
//! trace is a candidate; a run of changes of one kind close together (99 validations in a row,
//! 100 emails finishing within a millisecond) is one step, so a reader reaches the next thing
//! that happens in a press or two instead of a hundred.

use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use crate::view::phase::{Look, Looks, WorkerActivity};
use crate::view::series::Series;

/// Changes closer than this share of the run to the previous one, of the same kind, join its
/// step.
const CLOSE: f64 = 0.005;
/// A step spans at most this share of the run, so a long run of one kind still moves in steps.
const LONGEST: f64 = 0.1;

/// What the reader sees of a moment, coarsely: which looks are on the picture, what each worker
/// is doing (running or blocked, on which step, or free), and how many queries on `seats_left`
/// have taken effect. Two moments of the same kind differ only in who is where.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Kind {
    looks: Looks,
    workers: Vec<(&'static str, Option<crate::sim::handler::Step>)>,
    queries: usize,
}

/// The trace's look-ups for [`Kind`], built once.
struct Reader<'a> {
    trace: &'a Trace,
    lanes: &'a [Series],
    backlog: &'a Series,
    first_finish: Option<SimTime>,
}

impl Reader<'_> {
    fn kind(&self, t: SimTime) -> Kind {
        let mut looks = Looks::default();
        for lane in self.lanes {
            let counts = lane.at(t);
            looks.extend(Look::ALL.into_iter().filter(|l| counts[*l as usize] > 0));
        }
        if self.backlog.total_at(t) > 0 {
            looks.insert(Look::Queued);
        }
        if self.first_finish.is_some_and(|f| f <= t) {
            looks.insert(Look::Done);
        }
        let workers = (0..self.trace.workers.len() as u32)
            .map(|w| {
                let activity = WorkerActivity::with_in_flight(self.trace, w, t, || 0);
                let step = match activity {
                    WorkerActivity::Running { step, .. } | WorkerActivity::Blocked { step, .. } => {
                        Some(step)
                    }
                    WorkerActivity::Free { .. } => None,
                };
                (activity.slug(), step)
            })
            .collect();
        let queries = self
            .trace
            .seats
            .as_ref()
            .map_or(0, |s| s.ops.iter().filter(|op| op.at <= t).count());
        Kind {
            looks,
            workers,
            queries,
        }
    }
}

/// The moments the step keys stop at, sorted: the start, the first change of each step, the end.
/// `backlog` and `lanes` are the run's accept queue and its workers' requests
/// ([`Series::backlog`], [`Series::per_worker`]), which the page already holds.
pub fn step_times(trace: &Trace, backlog: &Series, lanes: &[Series]) -> Vec<SimTime> {
    let changes = trace.change_times();
    let reader = Reader {
        trace,
        lanes,
        backlog,
        first_finish: trace.students.iter().filter_map(|s| s.finish).min(),
    };
    let run = trace.end.as_secs_f64().max(1e-9);
    let share = |a: SimTime, b: SimTime| (b - a).as_secs_f64() / run;
    let mut steps = Vec::new();
    let mut current: Option<(SimTime, SimTime, Kind)> = None; // first, latest, kind
    for t in changes {
        let kind = reader.kind(t);
        let joins = current.as_ref().is_some_and(|(first, latest, k)| {
            *k == kind && share(*latest, t) < CLOSE && share(*first, t) < LONGEST
        });
        match &mut current {
            Some((_, latest, _)) if joins => *latest = t,
            _ => {
                steps.push(t);
                current = Some((t, t, kind));
            }
        }
    }
    if steps.last() != Some(&trace.end) {
        steps.push(trace.end);
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{simulate, Mode, Scenario};

    fn steps(s: Scenario) -> Vec<f64> {
        let trace = simulate(&s).unwrap();
        step_times(
            &trace,
            &Series::backlog(&trace),
            &Series::per_worker(&trace),
        )
        .into_iter()
        .map(SimTime::as_secs_f64)
        .collect()
    }

    #[test]
    fn a_run_of_validations_is_one_step_and_the_first_email_is_the_next() {
        // 100 students validate 5 ms each before any email can start (at 0.5 s).
        let s = steps(Scenario {
            mode: Mode::Async,
            validate_ms: 5.0,
            ..Scenario::default()
        });
        let first_email = s.iter().position(|t| *t == 0.5).expect("a step at 0.5 s");
        assert!(first_email <= 5, "{s:?}");
        assert!(s.len() < 15, "{s:?}");
    }

    #[test]
    fn a_blocking_worker_steps_from_student_to_student() {
        let s = steps(Scenario::default());
        assert_eq!(s.len(), 101, "the start and each of 100 completions: {s:?}");
        assert_eq!(s[1], 2.0);
    }

    #[test]
    fn emails_finishing_together_are_one_step() {
        let s = steps(Scenario {
            mode: Mode::Async,
            ..Scenario::default()
        });
        assert_eq!(s, [0.0, 2.0]);
    }
}
