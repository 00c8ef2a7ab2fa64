//! Inside one worker, in words: what each request on a worker is doing at a moment (the
//! article's "Worker 1" box), what the worker itself is doing, and the first moment the article's
//! snapshot holds. Reads a trace; simulates nothing and draws nothing.
//!
//! # The article's four phrases, mapped onto the core's states
//! The article's box says: "waiting for email", "validating request", "saving to database",
//! "waiting for DB response". The model has one CPU step (`validate`) and two I/O steps, and the
//! database is reached through a pool of connections. We read the phrases as:
//! - *validating request*: `Running` on `validate`, the only step that uses the worker's CPU;
//! - *saving to database*: `AwaitingIo` on `save_to_database`: its query holds a connection and
//!   the database is writing the row; the worker is free meanwhile;
//! - *waiting for DB response*: `WaitingConnection`: its query cannot even be sent, because every
//!   connection of the worker's pool is busy with someone else's query; it waits on the database;
//! - *waiting for email*: `AwaitingIo` on `send_email`.
//!
//! Where the article simplifies: the four are not all "being worked on". Only the validating one
//! has the worker's CPU; the worker's event loop runs one request at a time, and the other three
//! are waiting, which is exactly why the worker can take them all.

use crate::sim::handler::Step;
use crate::sim::time::SimTime;
use crate::sim::trace::{Span, State, Status, Trace};

/// What one request is doing, in the words the page uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Not arrived yet.
    NotArrived,
    /// In the accept queue; no worker has it yet.
    Queued,
    /// On the worker's CPU (the handler's `validate` in the article's handler).
    Running(Step),
    /// Its awaited database query is in flight, holding a connection.
    SavingToDatabase,
    /// Waiting for a free database connection.
    WaitingForDatabase,
    /// Its awaited email call is in flight.
    WaitingForEmail,
    /// A blocking I/O call: it waits and holds the worker (or, in a thread pool, its thread).
    Blocked(Step),
    /// In the loop's ready queue: the step it names is done (or, for `validate`, not started)
    /// and it waits its turn on the loop.
    Ready(Step),
    /// Thread pool: waiting for the worker's interpreter lock.
    ThreadWait(Step),
    /// Finished.
    Done,
}

/// The article's snapshot, in its order: A waiting for email, B validating, C saving to the
/// database, D waiting for the database's response.
pub const SNAPSHOT: [Phase; 4] = [
    Phase::WaitingForEmail,
    Phase::Running(Step::Validate),
    Phase::SavingToDatabase,
    Phase::WaitingForDatabase,
];

/// The article's own words for the phases of [`SNAPSHOT`], in the same order.
pub const ARTICLE_WORDS: [&str; 4] = [
    "waiting for email",
    "validating request",
    "saving to database",
    "waiting for DB response",
];

impl Phase {
    /// The phase of a student's [`Status`].
    pub fn of(status: Status) -> Phase {
        match status {
            Status::NotArrived => Phase::NotArrived,
            Status::Finished => Phase::Done,
            Status::Active { state, step } => Phase::of_state(state, step),
        }
    }

    /// The phase of a span's state and step.
    pub fn of_state(state: State, step: Option<Step>) -> Phase {
        let step_or = |default: Step| step.unwrap_or(default);
        match state {
            State::Queued => Phase::Queued,
            State::Running => Phase::Running(step_or(Step::Validate)),
            State::AwaitingIo => match step {
                Some(Step::SendEmail) => Phase::WaitingForEmail,
                _ => Phase::SavingToDatabase,
            },
            State::WaitingConnection => Phase::WaitingForDatabase,
            State::Blocked => Phase::Blocked(step_or(Step::SaveToDatabase)),
            State::Ready => Phase::Ready(step_or(Step::Validate)),
            State::ThreadWait => Phase::ThreadWait(step_or(Step::Validate)),
        }
    }

    /// The phase in plain words, as the worker box says it.
    pub fn words(self) -> &'static str {
        match self {
            Phase::NotArrived => "not arrived yet",
            Phase::Queued => "in the accept queue",
            Phase::Running(Step::Validate) => "validating the request",
            Phase::Running(_) => "on the CPU",
            Phase::SavingToDatabase => "saving to the database",
            Phase::WaitingForDatabase => "waiting for the database",
            Phase::WaitingForEmail => "waiting for the email",
            Phase::Blocked(Step::SendEmail) => "sending the email, blocking",
            Phase::Blocked(_) => "saving to the database, blocking",
            Phase::Ready(_) => "ready",
            Phase::ThreadWait(_) => "waiting for the interpreter lock",
            Phase::Done => "done",
        }
    }

    /// What the phase means, one short clause after the words.
    pub fn detail(self) -> &'static str {
        match self {
            Phase::NotArrived => "",
            Phase::Queued => "no worker has taken it yet",
            Phase::Running(_) => "on the worker's CPU; nobody else runs",
            Phase::SavingToDatabase => "its query holds a connection; the worker is free",
            Phase::WaitingForDatabase => "no free connection: its query waits for one",
            Phase::WaitingForEmail => "the email service works; the worker is free",
            Phase::Blocked(_) => "a synchronous call: it holds the worker",
            Phase::Ready(Step::Validate) => "accepted; waits for its first turn on the loop",
            Phase::Ready(Step::SaveToDatabase) => "the database answered; waits for the loop",
            Phase::Ready(_) => "the email is sent; waits for the loop to finish it",
            Phase::ThreadWait(_) => "its thread waits to run Python code",
            Phase::Done => "registered",
        }
    }

    /// A short word for counts ("3 awaiting"), the line of code saying the rest.
    pub fn short(self) -> &'static str {
        match self {
            Phase::NotArrived => "not arrived",
            Phase::Queued => "queued",
            Phase::Running(_) => "running",
            Phase::SavingToDatabase | Phase::WaitingForEmail => "awaiting",
            Phase::WaitingForDatabase => "waiting for a connection",
            Phase::Blocked(_) => "blocked",
            Phase::Ready(_) => "ready",
            Phase::ThreadWait(_) => "waiting for the lock",
            Phase::Done => "done",
        }
    }

    /// The CSS class giving the phase its look: the same classes as the legend and timeline.
    pub fn class(self) -> &'static str {
        match self {
            Phase::NotArrived => "al-s-none",
            Phase::Queued => "al-s-queued",
            Phase::Running(_) => "al-s-running",
            Phase::SavingToDatabase => "al-s-await-db",
            Phase::WaitingForDatabase => "al-s-conn",
            Phase::WaitingForEmail => "al-s-await-email",
            Phase::Blocked(Step::SendEmail) => "al-s-blocked-email",
            Phase::Blocked(_) => "al-s-blocked-db",
            Phase::Ready(_) => "al-s-ready",
            Phase::ThreadWait(_) => "al-s-thread",
            Phase::Done => "al-s-done",
        }
    }

    /// A stable name for the phase, for `data-phase` attributes (tests and authors).
    pub fn slug(self) -> &'static str {
        match self {
            Phase::NotArrived => "not-arrived",
            Phase::Queued => "queued",
            Phase::Running(_) => "validating",
            Phase::SavingToDatabase => "saving-db",
            Phase::WaitingForDatabase => "waiting-db",
            Phase::WaitingForEmail => "waiting-email",
            Phase::Blocked(_) => "blocked",
            Phase::Ready(_) => "ready",
            Phase::ThreadWait(_) => "thread-wait",
            Phase::Done => "done",
        }
    }

    /// Whether the phase lasts a duration the request itself decides (a CPU step or an I/O
    /// call), so a progress bar can show how far it is; waits for a connection, the loop or the
    /// lock end when someone else is done, which the request cannot know.
    pub fn has_known_length(self) -> bool {
        matches!(
            self,
            Phase::Running(_)
                | Phase::SavingToDatabase
                | Phase::WaitingForEmail
                | Phase::Blocked(_)
        )
    }
}

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
            phase: Phase::of(trace.status_at(student, t)),
            span: span_at(trace, student, t),
        })
        .collect()
}

/// What a worker itself is doing at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerActivity {
    /// Its CPU is on this student's step.
    Running { student: u32, step: Step },
    /// A blocking call (or a blocking wait for a connection) of this student holds it.
    Blocked { student: u32, step: Step },
    /// Nothing holds it.
    Free,
}

/// What `worker` is doing at `t`, from its occupied spans.
pub fn worker_activity(trace: &Trace, worker: u32, t: SimTime) -> WorkerActivity {
    let Some(w) = trace.workers.get(worker as usize) else {
        return WorkerActivity::Free;
    };
    let i = w.spans.partition_point(|sp| sp.start <= t);
    match i.checked_sub(1).map(|i| &w.spans[i]) {
        Some(sp) if t < sp.end => match sp.state {
            State::Running => WorkerActivity::Running {
                student: sp.student,
                step: sp.step,
            },
            _ => WorkerActivity::Blocked {
                student: sp.student,
                step: sp.step,
            },
        },
        _ => WorkerActivity::Free,
    }
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
/// validating, one saving to the database and one waiting for the database ([`SNAPSHOT`]), or
/// `None` if that never happens in this run.
///
/// A sweep over the spans of those four phases, so it costs `O(spans log spans)` rather than a
/// look at every student at every moment.
pub fn first_snapshot(trace: &Trace) -> Option<Snapshot> {
    let slot = |sp: &Span| {
        SNAPSHOT
            .iter()
            .position(|p| *p == Phase::of_state(sp.state, sp.step))
    };
    // (time, +1 start / -1 end, worker, slot); at one instant ends go first (-1 < +1), because
    // spans are half-open: a span ending at t does not hold at t.
    let mut events: Vec<(SimTime, i8, u32, usize)> = Vec::new();
    for s in &trace.students {
        let Some(worker) = s.worker else { continue };
        for sp in trace.spans_of(s.id) {
            if let Some(k) = slot(sp) {
                events.push((sp.start, 1, worker, k));
                events.push((sp.end, -1, worker, k));
            }
        }
    }
    events.sort_unstable();
    let mut counts = vec![[0i64; 4]; trace.workers.len()];
    let mut i = 0;
    while i < events.len() {
        let t = events[i].0;
        let mut touched: Vec<u32> = Vec::new();
        while i < events.len() && events[i].0 == t {
            let (_, delta, worker, k) = events[i];
            if let Some(c) = counts.get_mut(worker as usize) {
                c[k] += i64::from(delta);
                touched.push(worker);
            }
            i += 1;
        }
        touched.sort_unstable();
        touched.dedup();
        for worker in touched {
            if counts[worker as usize].iter().all(|c| *c > 0) {
                return snapshot_at(trace, worker, t);
            }
        }
    }
    None
}

/// The students in the phases of [`SNAPSHOT`] on `worker` at `t`, if all four phases are there.
pub fn snapshot_at(trace: &Trace, worker: u32, t: SimTime) -> Option<Snapshot> {
    let mut students = [None; 4];
    for s in trace.students.iter().filter(|s| s.worker == Some(worker)) {
        let phase = Phase::of(trace.status_at(s.id, t));
        if let Some(k) = SNAPSHOT.iter().position(|p| *p == phase) {
            students[k] = students[k].or(Some(s.id));
        }
    }
    let [a, b, c, d] = students;
    Some(Snapshot {
        t,
        worker,
        students: [a?, b?, c?, d?],
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::{Mode, Scenario};
    use crate::sim::simulate;
    use crate::view::scenes::SceneId;

    #[track_caller]
    fn check(scenario: Scenario, expected: Option<(u64, [u32; 4])>) {
        let trace = simulate(&scenario).unwrap();
        let got = first_snapshot(&trace).map(|s| (s.t.as_micros() / 1000, s.students));
        assert_eq!(got, expected, "(ms, students) of the first snapshot");
    }

    #[test]
    fn the_inside_defaults_show_the_article_snapshot() {
        // A waits for its email, D validates, B's query is in the database, C waits for the
        // one connection: the four phrases at once, 0.6 s in.
        check(SceneId::Inside.defaults(), Some((600, [0, 3, 1, 2])));
    }

    #[test]
    fn no_snapshot_without_database_contention_or_cpu_time() {
        // An unlimited pool: nobody ever waits for the database.
        check(
            Scenario {
                db_pool: None,
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
        let before = phases(SimTime(snap.t.0 - 1));
        assert!(
            !SNAPSHOT.iter().all(|p| before.contains(p)),
            "already held 1 µs earlier: {before:?}"
        );
        // Only one of them has the worker.
        assert_eq!(
            worker_activity(&trace, snap.worker, snap.t),
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
        assert_eq!(a(300).phase, Phase::SavingToDatabase);
        // Its query returned at 0.45 s while C was validating: A waits its turn on the loop.
        assert_eq!(a(470).phase, Phase::Ready(Step::SaveToDatabase));
        assert_eq!(a(1500).phase.words(), "waiting for the email");
        assert_eq!(a(1500).progress(SimTime::from_millis(1500)), 0.5);
        assert_eq!(a(9000).phase, Phase::Done);
        assert_eq!(a(9000).span, None);
        assert!(!Phase::WaitingForDatabase.has_known_length());
        assert_eq!(
            worker_activity(&trace, 0, SimTime::from_millis(300)),
            WorkerActivity::Free,
            "A's query is in the database and nobody else has arrived"
        );
    }
}
