//! Inside one worker: the article's "Worker 1" box (what each request on a worker is doing at a
//! moment, and what the worker itself is doing), and the first moment the article's snapshot
//! holds, with the caption that names it. Reads a trace; simulates nothing and draws nothing.
//!
//! # The article's four phrases, mapped onto the core's states
//! The article's box says: "waiting for email", "validating request", "saving to database",
//! "waiting for DB response". The model has one CPU step (`validate`) and two I/O steps. We read
//! the phrases as:
//! - *validating request*: `Running` on `validate`, the only step that uses the worker's CPU;
//! - *saving to database* and *waiting for DB response*: two requests `AwaitingIo` on
//!   `save_to_database` at once, the later query "saving", the earlier one waiting for its
//!   response. To the worker they are one state (an await on the database, which frees it), and
//!   the caption says so rather than invent a difference;
//! - *waiting for email*: `AwaitingIo` on `send_email`.
//!
//! Where the article simplifies: the four are not all "being worked on". Only the validating one
//! has the worker's CPU; the worker's event loop runs one request at a time, and the other three
//! are waiting, which is exactly why the worker can take them all.

use crate::sim::order;
use crate::sim::time::SimTime;
use crate::sim::trace::{Span, Trace};
use crate::view::format::{self, student_name};
use crate::view::phase::{Phase, WorkerActivity, ARTICLE_WORDS, SNAPSHOT};
use crate::view::timeline::Beside;

/// One request on the worker at a moment.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Row {
    /// The student.
    pub student: u32,
    pub phase: Phase,
    /// The span it is in (`None` when not arrived, queued before any span, or done).
    pub span: Option<Span>,
}

impl Row {
    /// How far through its current span the request is at `t`, from 0 to 1.
    pub fn progress(&self, t: SimTime) -> f64 {
        match self.span {
            Some(sp) if sp.end > sp.start => ((t.min(sp.end) - sp.start).as_secs_f64()
                / (sp.end - sp.start).as_secs_f64())
            .clamp(0.0, 1.0),
            _ => 0.0,
        }
    }
}

/// The span a student is in at `t`, if it is in one (spans are half-open).
pub fn span_at(trace: &Trace, student: u32, t: SimTime) -> Option<Span> {
    let spans = trace.spans_of(student);
    let i = spans.partition_point(|sp| sp.start <= t);
    spans
        .get(i.checked_sub(1)?)
        .filter(|sp| t < sp.end)
        .copied()
}

/// The students a worker box lists: every student `worker` ever takes, in order of arrival.
pub fn students_of(trace: &Trace, worker: u32) -> Vec<u32> {
    trace
        .students
        .iter()
        .filter(|s| s.worker == Some(worker))
        .map(|s| s.id)
        .collect()
}

/// Each of `students` at `t`.
pub fn rows(trace: &Trace, students: &[u32], t: SimTime) -> Vec<Row> {
    students
        .iter()
        .map(|&student| Row {
            student,
            phase: Phase::at(trace, student, t),
            span: span_at(trace, student, t),
        })
        .collect()
}

/// The moment the article's snapshot first holds, where, and who is in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// The first moment at which some worker has a request in each phase of [`SNAPSHOT`].
    pub t: SimTime,
    /// That worker.
    pub worker: u32,
    /// A student in each phase of [`SNAPSHOT`], in its order (the lowest id when several are).
    pub students: [u32; 4],
}

/// The first moment at which one worker has, at once, a request waiting for the email, one
/// validating and two awaiting the database ([`SNAPSHOT`]), or `None` if that never happens in
/// this run.
///
/// A sweep over the spans of those four phases, so it costs `O(spans log spans)` rather than a
/// look at every student at every moment.
pub fn first_snapshot(trace: &Trace) -> Option<Snapshot> {
    let slot = |sp: &Span| {
        SNAPSHOT
            .iter()
            .position(|p| *p == Phase::of_state(sp.state, sp.step))
    };
    // (time, worker << 3 | slot << 1 | 1 for a start); an instant's events are applied
    // together, because spans are half-open: a span ending at t does not hold at t.
    let mut events: Vec<(SimTime, u32)> = Vec::new();
    for s in &trace.students {
        let Some(worker) = s.worker else { continue };
        for sp in trace.spans_of(s.id) {
            if let Some(k) = slot(sp) {
                let at = worker << 3 | (k as u32) << 1;
                events.push((sp.start, at | 1));
                events.push((sp.end, at));
            }
        }
    }
    order::events(&mut events);
    let mut counts = vec![[0i64; 4]; trace.workers.len()];
    let need = need();
    let mut i = 0;
    while i < events.len() {
        let t = events[i].0;
        let mut touched: Vec<u32> = Vec::new();
        while let Some(&(_, at)) = events.get(i).filter(|e| e.0 == t) {
            let (worker, k) = (at >> 3, (at >> 1 & 3) as usize);
            if let Some(c) = counts.get_mut(worker as usize) {
                c[k] += if at & 1 == 1 { 1 } else { -1 };
                // An instant's events come by worker, so this keeps the list short.
                if touched.last() != Some(&worker) {
                    touched.push(worker);
                }
            }
            i += 1;
        }
        order::short(&mut touched, |w| *w);
        touched.dedup();
        for worker in touched {
            if counts[worker as usize]
                .iter()
                .zip(need)
                .all(|(c, need)| *c >= need)
            {
                return snapshot_at(trace, worker, t);
            }
        }
    }
    None
}

/// How many requests each counter of the sweep needs: a phase counts at its first place in
/// [`SNAPSHOT`], and needs as many as it has places there (none at a repeated place).
fn need() -> [i64; 4] {
    std::array::from_fn(|k| {
        let repeated = SNAPSHOT[..k].contains(&SNAPSHOT[k]);
        let places = SNAPSHOT.iter().filter(|p| **p == SNAPSHOT[k]).count();
        if repeated {
            0
        } else {
            places as i64
        }
    })
}

/// The students in the phases of [`SNAPSHOT`] on `worker` at `t`, if all four places are
/// filled: the lowest ids in each phase, and of the two awaiting the database, the later query
/// third ("saving to database") and the earlier fourth ("waiting for DB response").
pub fn snapshot_at(trace: &Trace, worker: u32, t: SimTime) -> Option<Snapshot> {
    let mut students = [None; 4];
    for s in trace.students.iter().filter(|s| s.worker == Some(worker)) {
        let phase = Phase::at(trace, s.id, t);
        let free = (0..4).find(|&k| SNAPSHOT[k] == phase && students[k].is_none());
        if let Some(k) = free {
            students[k] = Some(s.id);
        }
    }
    let [a, b, c, d] = students;
    let (c, d) = (c?, d?);
    let since = |id| span_at(trace, id, t).map(|sp| sp.start);
    let (c, d) = if since(c) < since(d) { (d, c) } else { (c, d) };
    Some(Snapshot {
        t,
        worker,
        students: [a?, b?, c, d],
    })
}

/// The worker the box shows (the article's "Worker 1").
pub const WORKER: u32 = 0;

/// The worker box beside the timeline, from a picture 900 px wide.
pub const BOX_BESIDE: Beside = Beside {
    side_w: 400.0,
    from: 900.0,
};
/// Up to this many students of the worker, the box keeps a row for each, so rows never move;
/// beyond it lists only those in flight.
const MAX_BOX_ROWS: usize = 12;

/// One row of the box, in words.
#[derive(Clone, Debug, PartialEq)]
pub struct BoxRow {
    pub name: String,
    pub phase: Phase,
    /// What the phase means, after its words.
    pub detail: &'static str,
    /// Not on the worker (not arrived, queued, done): drawn faint.
    pub faint: bool,
    /// `0.05 s of 0.1 s`, `for 0.2 s`, `after 2.1 s`.
    pub timing: String,
    /// How far through its step, from 0 to 1, for phases of known length.
    pub progress: Option<f64>,
}

/// The worker box at a moment: the worker, what holds it, and a row per request.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkerBox {
    pub heading: String,
    pub in_flight: String,
    /// `running`, `blocked` or `free`, for `data-worker-state` and the colour.
    pub state: &'static str,
    pub status: String,
    pub rows: Vec<BoxRow>,
    /// What the rows leave out, when the worker takes many students.
    pub summary: Option<String>,
}

impl WorkerBox {
    /// The box of [`WORKER`] at `t`; `students` are those it ever takes ([`students_of`]).
    pub fn at(trace: &Trace, students: &[u32], t: SimTime) -> WorkerBox {
        let t = t.min(trace.end);
        let total = trace.students.len() as u32;
        let all = rows(trace, students, t);
        let in_flight = all.iter().filter(|r| r.phase.in_flight()).count();
        let (shown, summary) = if all.len() <= MAX_BOX_ROWS {
            (all, None)
        } else {
            let done = all.iter().filter(|r| r.phase == Phase::Done).count();
            let active: Vec<Row> = all.into_iter().filter(|r| r.phase.in_flight()).collect();
            let more = active.len().saturating_sub(MAX_BOX_ROWS);
            let mut words = Vec::new();
            if more > 0 {
                words.push(format!("{} more in flight", format::count(more as u64)));
            }
            words.push(format!("{} done", format::count(done as u64)));
            let shown = active.into_iter().take(MAX_BOX_ROWS).collect();
            (shown, Some(words.join(" · ")))
        };
        let activity = WorkerActivity::with_in_flight(trace, WORKER, t, || in_flight as u32);
        let workers = trace.workers.len();
        WorkerBox {
            heading: if workers > 1 {
                format!("Worker 1 of {workers}")
            } else {
                "Worker 1".to_string()
            },
            in_flight: format!("{} in flight", format::count(in_flight as u64)),
            state: activity.slug(),
            status: activity.words(total),
            rows: shown.iter().map(|row| box_row(trace, row, t)).collect(),
            summary,
        }
    }
}

fn box_row(trace: &Trace, row: &Row, t: SimTime) -> BoxRow {
    let phase = row.phase;
    let secs = |d: SimTime| format::secs(d.as_secs_f64());
    let timing = match (phase, row.span) {
        (Phase::Done, _) => {
            let st = &trace.students[row.student as usize];
            st.finish
                .map(|f| format!("after {}", secs(f - st.arrival)))
                .unwrap_or_default()
        }
        (p, Some(sp)) if p.has_known_length() => {
            format!("{} of {}", secs(t - sp.start), secs(sp.end - sp.start))
        }
        (_, Some(sp)) => format!("for {}", secs(t - sp.start)),
        _ => String::new(),
    };
    BoxRow {
        name: student_name(row.student, trace.students.len() as u32),
        phase,
        detail: phase.detail(trace.scenario.mode),
        faint: !phase.in_flight(),
        timing,
        progress: (phase.has_known_length() && row.span.is_some()).then(|| row.progress(t)),
    }
}

/// The caption under the picture: when the article's snapshot happens in this run and who is in
/// it, or that it never does.
#[derive(Clone, Debug, PartialEq)]
pub enum Caption {
    /// No moment of this run has the four phrases on one worker.
    Never(&'static str),
    /// The snapshot's moment, with the words that name it.
    At {
        t: SimTime,
        /// `The article's snapshot happens at 0.6 s: `
        lead: String,
        /// Who is doing what, in the article's words.
        body: String,
        /// The button that goes there.
        button: String,
    },
}

/// The caption for `trace`'s first snapshot.
pub fn caption(trace: &Trace, snapshot: Option<Snapshot>) -> Caption {
    let Some(snap) = snapshot else {
        return Caption::Never(
            "With this setup, no moment has one worker waiting for an email, validating, saving \
             to the database and waiting for the database at once.",
        );
    };
    let total = trace.students.len() as u32;
    let [email, validating, saving, waiting] = snap.students.map(|id| student_name(id, total));
    let at = format::secs(snap.t.as_secs_f64());
    let since = |id| span_at(trace, id, snap.t).map_or(snap.t, |sp| sp.start);
    let out = |id| format::secs(since(id).as_secs_f64());
    let worker = if trace.workers.len() > 1 {
        format!(" on worker {}", snap.worker + 1)
    } else {
        String::new()
    };
    let words = SNAPSHOT.map(Phase::words);
    let mut body = format!(
        "{email} is {} (“{}”), {validating} is {} (“{}”), and {saving} and {waiting} are both \
         {} (“{}”, “{}”): {saving}'s query went out at {}, {waiting}'s at {}. To the worker \
         those two are one state, an await on the database, which leaves it free.",
        words[0],
        ARTICLE_WORDS[0],
        words[1],
        ARTICLE_WORDS[1],
        words[2],
        ARTICLE_WORDS[2],
        ARTICLE_WORDS[3],
        out(snap.students[2]),
        out(snap.students[3]),
    );
    if snap.students != [0, 1, 2, 3] {
        body.push_str(
            " Students are lettered in order of arrival, so the letters differ from the article's.",
        );
    }
    Caption::At {
        t: snap.t,
        lead: format!("The article's snapshot happens at {at}{worker}: "),
        body,
        button: format!("Show the moment ({at})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::handler::Step;
    use crate::sim::scenario::{Mode, Scenario};
    use crate::sim::simulate;
    use crate::view::scenes::SceneId;

    #[track_caller]
    fn check(scenario: Scenario, expected: Option<(u64, [u32; 4])>) {
        let trace = simulate(&scenario).unwrap();
        let got =
            first_snapshot(&trace).map(|s| (s.t.div_floor(SimTime::from_millis(1)), s.students));
        assert_eq!(got, expected, "(ms, students) of the first snapshot");
    }

    #[test]
    fn the_inside_defaults_show_the_article_snapshot() {
        // With the article's letters: A waits for its email, B validates, C's query is in the
        // database and D's, sent earlier, waits for its response: the four phrases at once,
        // 0.55 s in.
        check(SceneId::Inside.defaults(), Some((550, [0, 1, 2, 3])));
    }

    #[test]
    fn no_snapshot_without_two_queries_at_once_or_cpu_time() {
        // Queries of 50 ms: never two in the database at once.
        check(
            Scenario {
                db_ms: 50.0,
                ..SceneId::Inside.defaults()
            },
            None,
        );
        // Blocking: one request at a time, never four.
        check(
            Scenario {
                mode: Mode::Blocking,
                ..SceneId::Inside.defaults()
            },
            None,
        );
        // The article's own async run has no CPU time: nobody is ever seen validating.
        check(
            Scenario {
                mode: Mode::Async,
                ..Scenario::default()
            },
            None,
        );
    }

    #[test]
    fn the_snapshot_holds_at_its_time_and_not_just_before() {
        let trace = simulate(&SceneId::Inside.defaults()).unwrap();
        let snap = first_snapshot(&trace).unwrap();
        let phases = |t: SimTime| -> Vec<Phase> {
            rows(&trace, &students_of(&trace, snap.worker), t)
                .iter()
                .map(|r| r.phase)
                .collect()
        };
        let now = phases(snap.t);
        for p in SNAPSHOT {
            assert!(now.contains(&p), "{p:?} at the snapshot: {now:?}");
        }
        let before = phases(snap.t - SimTime::from_micros(1));
        assert!(
            !SNAPSHOT.iter().all(|p| before.contains(p)),
            "already held 1 µs earlier: {before:?}"
        );
        // Only one of them has the worker.
        assert_eq!(
            WorkerActivity::at(&trace, snap.worker, snap.t),
            WorkerActivity::Running {
                student: snap.students[1],
                step: Step::Validate
            }
        );
    }

    #[test]
    fn phases_read_in_words_and_progress_runs_from_zero_to_one() {
        let trace = simulate(&SceneId::Inside.defaults()).unwrap();
        let a = |ms: u64| rows(&trace, &[0], SimTime::from_millis(ms))[0];
        assert_eq!(a(50).phase.words(), "validating the request");
        assert_eq!(a(50).progress(SimTime::from_millis(50)), 0.5);
        assert_eq!(a(300).phase, Phase::Awaiting(Step::SaveToDatabase));
        // B's query returns at 1.0 s while F validates: B waits its turn on the loop.
        let b = rows(&trace, &[1], SimTime::from_millis(1020))[0];
        assert_eq!(b.phase, Phase::Ready(Step::SaveToDatabase));
        assert_eq!(a(1500).phase.words(), "waiting for the email");
        assert_eq!(a(1450).progress(SimTime::from_millis(1450)), 0.5);
        assert_eq!(a(9000).phase, Phase::Done);
        assert_eq!(a(9000).span, None);
        assert_eq!(
            WorkerActivity::at(&trace, 0, SimTime::from_millis(500)),
            WorkerActivity::Free { in_flight: 3 },
            "A awaits its email, C its query, D the connection: nobody holds the worker"
        );
    }
}
