//! The one classification of what a moment of the trace means: from a span's state and handler
//! step to the [`Phase`] the page speaks of (its words) and the [`Look`] every picture draws it
//! with (its CSS class, its legend entry, its band in the workers scene). Every picture, the
//! worker box, the code annotations and the legend derive from here; nothing else maps states.

pub use crate::view::look::{Look, Looks, Pattern};

use crate::sim::handler::Step;
use crate::sim::scenario::Mode;
use crate::sim::time::SimTime;
use crate::sim::trace::{State, Status, Trace};
use crate::view::format::student_name;

/// What one request is doing, in the words the page uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Not arrived yet.
    NotArrived,
    /// In the accept queue; no worker has it yet.
    Queued,
    /// On the worker's CPU, on this step.
    Running(Step),
    /// Its awaited I/O call on this step is in flight (a database query holds a connection).
    Awaiting(Step),
    /// Waiting for a free database connection for this step.
    WaitingForDatabase(Step),
    /// Waiting for a free thread of a pool (`asyncio.to_thread`, `run_in_threadpool`) to run this
    /// step on; the loop is free.
    WaitingForThread(Step),
    /// A blocking I/O call: it waits and holds the worker (or, in a thread pool, its thread).
    Blocked(Step),
    /// In the loop's ready queue: the step it names is done (or, for a first step, not started)
    /// and it waits its turn on the loop.
    Ready(Step),
    /// Thread pool: waiting for the worker's interpreter lock.
    ThreadWait(Step),
    /// Waiting for an `asyncio.Lock` or `Semaphore` of its worker's, before this step.
    WaitingForLock(Step),
    /// Waiting for the database's row lock, another transaction's, to run this query.
    WaitingForRowLock(Step),
    /// Finished.
    /// Answered 503 on arrival: every worker was full (`overflow=reject`).
    Rejected,
    Done,
}

/// The article's snapshot, in its order: A waiting for email, B validating, C saving to the
/// database, D waiting for the database's response. C and D are in one phase: each awaits its
/// query, which to the worker is one state (C's query is the later one).
pub const SNAPSHOT: [Phase; 4] = [
    Phase::Awaiting(Step::SendEmail),
    Phase::Running(Step::Validate),
    Phase::Awaiting(Step::SaveToDatabase),
    Phase::Awaiting(Step::SaveToDatabase),
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
            // A request turned away at arrival (overflow=reject) is never drawn.
            Status::NotArrived => Phase::NotArrived,
            Status::Rejected => Phase::Rejected,
            Status::Finished => Phase::Done,
            Status::Active { state, step } => Phase::of_state(state, step),
        }
    }

    /// The phase of a span's state and step. A step is always recorded once a worker has the
    /// request; the fallbacks only keep a malformed trace drawable.
    pub fn of_state(state: State, step: Option<Step>) -> Phase {
        let step = step.unwrap_or(Step::Validate);
        match state {
            State::Queued => Phase::Queued,
            State::Running => Phase::Running(step),
            State::AwaitingIo => Phase::Awaiting(step),
            State::WaitingConnection => Phase::WaitingForDatabase(step),
            State::Blocked => Phase::Blocked(step),
            State::Ready => Phase::Ready(step),
            State::ThreadWait => Phase::ThreadWait(step),
            State::WaitingThread => Phase::WaitingForThread(step),
            State::WaitingLock => Phase::WaitingForLock(step),
            State::WaitingRowLock => Phase::WaitingForRowLock(step),
        }
    }

    /// Where `student` is at `t`.
    pub fn at(trace: &Trace, student: u32, t: SimTime) -> Phase {
        Phase::of(trace.status_at(student, t))
    }

    /// How the phase is drawn (`None` before the request arrives: nothing is drawn).
    pub fn look(self) -> Option<Look> {
        Some(match self {
            Phase::NotArrived => return None,
            Phase::Queued => Look::Queued,
            Phase::Running(Step::Framework) => Look::Framework,
            Phase::Running(_) => Look::Running,
            Phase::Awaiting(step) if step.is_database() => Look::AwaitingDb,
            Phase::Awaiting(Step::Sleep) => Look::Sleeping,
            Phase::Awaiting(_) => Look::AwaitingEmail,
            Phase::WaitingForDatabase(_) => Look::Connection,
            Phase::WaitingForThread(_) => Look::ThreadSlot,
            Phase::WaitingForLock(_) => Look::LockWait,
            Phase::WaitingForRowLock(_) => Look::RowLockWait,
            Phase::Blocked(step) if step.is_database() => Look::BlockedDb,
            Phase::Blocked(Step::Sleep) => Look::BlockedSleep,
            Phase::Blocked(_) => Look::BlockedEmail,
            Phase::Ready(_) => Look::Ready,
            Phase::ThreadWait(_) => Look::ThreadWait,
            Phase::Rejected => Look::Rejected,
            Phase::Done => Look::Done,
        })
    }

    /// The CSS class of the phase: its look's, or an empty swatch's before arrival (not a look:
    /// nothing of the request is drawn yet).
    pub fn class(self) -> &'static str {
        self.look().map_or("al-swatch-none", Look::class)
    }

    /// The phase in plain words, as the worker box says it.
    pub fn words(self) -> &'static str {
        match self {
            Phase::NotArrived => "not arrived yet",
            Phase::Queued => "in the accept queue",
            Phase::Running(Step::Validate) => "validating the request",
            Phase::Running(Step::Decide) => "deciding",
            Phase::Running(Step::Framework) => "in the framework: reading it or answering",
            Phase::Running(_) => "on the CPU",
            Phase::Awaiting(Step::Sleep) => "sleeping (asyncio.sleep)",
            Phase::Blocked(Step::Sleep) => "sleeping, blocking (time.sleep)",
            Phase::Awaiting(Step::SendEmail) => "waiting for the email",
            Phase::Awaiting(Step::ReadSeats) => "reading seats_left",
            Phase::Awaiting(Step::WriteSeats) => "writing seats_left",
            Phase::Awaiting(_) => "saving to the database",
            Phase::WaitingForDatabase(_) => "waiting for the database",
            Phase::WaitingForThread(_) => "waiting for a free thread",
            Phase::WaitingForLock(_) => "waiting for the asyncio lock",
            Phase::WaitingForRowLock(_) => "waiting for a row lock",
            Phase::Blocked(Step::SendEmail) => "sending the email, blocking",
            Phase::Blocked(_) => "saving to the database, blocking",
            Phase::Ready(_) => "ready",
            Phase::ThreadWait(_) => "waiting for the interpreter lock",
            Phase::Rejected => "rejected with a 503",
            Phase::Done => "done",
        }
    }

    /// What the phase means in `mode`, one short clause after the words.
    pub fn detail(self, mode: Mode) -> &'static str {
        match self {
            Phase::Blocked(_) if mode == Mode::Threadpool => {
                "a synchronous call: it holds its thread; other threads run"
            }
            Phase::NotArrived => "",
            Phase::Queued => "no worker has taken it yet",
            Phase::Running(Step::Framework) => {
                "the framework's own CPU on the loop, outside the handler; nobody else runs"
            }
            Phase::Running(_) => "on the worker's CPU; nobody else runs",
            Phase::Awaiting(step) if step.is_database() => {
                "it waits for the database's response; the worker is free"
            }
            Phase::Awaiting(Step::Sleep) => "a timer runs; the worker is free",
            Phase::Awaiting(_) => "the email service works; the worker is free",
            Phase::WaitingForDatabase(_) => "no free connection: its query waits for one",
            Phase::WaitingForThread(_) => "every thread of the pool is busy; the loop is free",
            Phase::WaitingForLock(_) => "another request of its worker holds it; the loop is free",
            Phase::WaitingForRowLock(_) => {
                "another transaction holds the row until it ends; the loop is free"
            }
            Phase::Blocked(_) => "a synchronous call: it holds the worker",
            Phase::Ready(Step::Validate) => "accepted; waits for its first turn on the loop",
            Phase::Ready(Step::SendEmail) => "the email is sent; waits for the loop to finish it",
            Phase::Ready(step) if step.is_database() => "the database answered; waits for the loop",
            Phase::Ready(_) => "waits its turn on the loop",
            // The framework's work waits for the loop, busy with another request's, or for
            // the lock that a thread holds.
            Phase::ThreadWait(Step::Framework) => {
                "the loop reads or answers it once it is free and has the interpreter lock"
            }
            Phase::ThreadWait(_) => {
                "another thread computes; CPython hands the lock over within its switch interval"
            }
            Phase::Rejected => "every worker was full: answered at once, never served",
            Phase::Done => "registered",
        }
    }

    /// A short word for counts ("3 awaiting"), the line of code saying the rest.
    pub fn short(self) -> &'static str {
        match self {
            Phase::NotArrived => "not arrived",
            Phase::Queued => "queued",
            Phase::Running(_) => "running",
            Phase::Awaiting(_) => "awaiting",
            Phase::WaitingForDatabase(_) => "waiting for a connection",
            Phase::WaitingForThread(_) => "waiting for a thread",
            Phase::WaitingForLock(_) => "waiting for the asyncio lock",
            Phase::WaitingForRowLock(_) => "waiting for a row lock",
            Phase::Blocked(_) => "blocked",
            Phase::Ready(_) => "ready",
            Phase::ThreadWait(_) => "waiting for the interpreter lock",
            Phase::Rejected => "rejected",
            Phase::Done => "done",
        }
    }

    /// A stable name for the phase, for `data-phase` attributes (tests and authors).
    pub fn slug(self) -> &'static str {
        match self {
            Phase::NotArrived => "not-arrived",
            Phase::Queued => "queued",
            Phase::Running(Step::Framework) => "framework",
            Phase::Running(_) => "validating",
            Phase::Awaiting(step) if step.is_database() => "saving-db",
            Phase::Awaiting(_) => "waiting-email",
            Phase::WaitingForDatabase(_) => "waiting-db",
            Phase::WaitingForThread(_) => "waiting-thread",
            Phase::WaitingForLock(_) => "waiting-lock",
            Phase::WaitingForRowLock(_) => "waiting-row-lock",
            Phase::Blocked(_) => "blocked",
            Phase::Ready(_) => "ready",
            Phase::ThreadWait(_) => "thread-wait",
            Phase::Rejected => "rejected",
            Phase::Done => "done",
        }
    }

    /// Whether the phase lasts a duration the request itself decides (a CPU step or an I/O
    /// call), so a progress bar can show how far it is; waits for a connection, the loop or the
    /// lock end when someone else is done, which the request cannot know.
    pub fn has_known_length(self) -> bool {
        matches!(
            self,
            Phase::Running(_) | Phase::Awaiting(_) | Phase::Blocked(_)
        )
    }

    /// Whether a worker has the request and has not finished it.
    pub fn in_flight(self) -> bool {
        !matches!(
            self,
            Phase::NotArrived | Phase::Queued | Phase::Rejected | Phase::Done
        )
    }
}

/// What a worker itself is doing at a moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkerActivity {
    /// Its CPU is on this student's step.
    Running { student: u32, step: Step },
    /// A blocking call (or a blocking wait for a connection) of this student holds it.
    Blocked { student: u32, step: Step },
    /// Nothing holds it, and it has this many requests in flight (all waiting).
    Free { in_flight: u32 },
}

impl WorkerActivity {
    /// What `worker` is doing at `t`, from its occupied spans (a scan of the students for the
    /// count in flight; [`WorkerActivity::with_in_flight`] takes it from elsewhere).
    pub fn at(trace: &Trace, worker: u32, t: SimTime) -> WorkerActivity {
        WorkerActivity::with_in_flight(trace, worker, t, || {
            let counts = trace.in_flight_by_worker(t);
            counts.get(worker as usize).copied().unwrap_or(0)
        })
    }

    /// What `worker` is doing at `t`, with its count in flight, asked only when it is free, from
    /// `in_flight` (a picture that plays keeps it in a series, to look up in `O(log n)`).
    pub fn with_in_flight(
        trace: &Trace,
        worker: u32,
        t: SimTime,
        in_flight: impl FnOnce() -> u32,
    ) -> WorkerActivity {
        let held = trace.workers.get(worker as usize).and_then(|w| {
            let i = w.spans.partition_point(|sp| sp.start <= t);
            w.spans.get(i.checked_sub(1)?).filter(|sp| t < sp.end)
        });
        match held {
            Some(sp) if sp.state == State::Running => WorkerActivity::Running {
                student: sp.student,
                step: sp.step,
            },
            Some(sp) => WorkerActivity::Blocked {
                student: sp.student,
                step: sp.step,
            },
            None => WorkerActivity::Free {
                in_flight: in_flight(),
            },
        }
    }

    /// A stable name for `data-worker-state`.
    pub fn slug(self) -> &'static str {
        match self {
            WorkerActivity::Running { .. } => "running",
            WorkerActivity::Blocked { .. } => "blocked",
            WorkerActivity::Free { .. } => "free",
        }
    }

    /// The activity in words, in sentence case: `Busy: validating A`, `Blocked by B's email`,
    /// `Free: every request on it is waiting`, `Idle: nothing to do`.
    pub fn words(self, students: u32) -> String {
        let name = |id: u32| student_name(id, students);
        match self {
            WorkerActivity::Running { student, step } => match step {
                Step::Validate => format!("Busy: validating {}", name(student)),
                Step::Decide => format!("Busy: deciding for {}", name(student)),
                Step::Framework => format!("Busy: the framework, for {}", name(student)),
                _ => format!("Busy: {}'s {step}", name(student)),
            },
            WorkerActivity::Blocked {
                student,
                step: Step::Sleep,
            } => format!("Blocked by {}'s time.sleep", name(student)),
            WorkerActivity::Blocked { student, step } if step.is_database() => {
                format!("Blocked by {}'s database call", name(student))
            }
            WorkerActivity::Blocked { student, .. } => {
                format!("Blocked by {}'s email", name(student))
            }
            WorkerActivity::Free { in_flight: 0 } => "Idle: nothing to do".to_string(),
            WorkerActivity::Free { .. } => "Free: every request on it is waiting".to_string(),
        }
    }
}

/// The looks a picture draws for these students over the whole run (and, with `workers`, the
/// worker lanes' looks): what its legend lists. Computed from the trace, independently of how
/// each picture lays its shapes out, so a test can hold the two against each other.
pub fn looks_in(trace: &Trace, students: &[u32], workers: bool) -> Looks {
    let mut looks = Looks::default();
    for &id in students {
        let Some(s) = trace.students.get(id as usize) else {
            continue;
        };
        if s.finish.is_some() {
            looks.insert(Look::Done);
        }
        // The response's mark, where it came before the work ended (BackgroundTasks).
        if s.responded.is_some_and(|r| s.finish != Some(r)) {
            looks.insert(Look::Answered);
        }
        if s.rejected {
            looks.insert(Look::Rejected);
        }
        looks.extend(
            trace
                .spans_of(id)
                .iter()
                .map(|sp| Look::of_span(sp.state, sp.step)),
        );
    }
    if workers {
        looks.extend(
            trace
                .workers
                .iter()
                .flat_map(|w| &w.spans)
                .map(|sp| Look::of_span(sp.state, Some(sp.step))),
        );
    }
    looks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(state: State, step: Step, look: Look, words: &str) {
        let phase = Phase::of_state(state, Some(step));
        assert_eq!(
            (phase.look(), phase.words()),
            (Some(look), words),
            "{state:?} on {step:?}"
        );
    }

    #[test]
    fn one_meaning_per_state_and_step() {
        check(
            State::Running,
            Step::Validate,
            Look::Running,
            "validating the request",
        );
        check(
            State::AwaitingIo,
            Step::SaveToDatabase,
            Look::AwaitingDb,
            "saving to the database",
        );
        check(
            State::AwaitingIo,
            Step::SendEmail,
            Look::AwaitingEmail,
            "waiting for the email",
        );
        // The race handler's queries are database calls wherever they are drawn.
        check(
            State::AwaitingIo,
            Step::ReadSeats,
            Look::AwaitingDb,
            "reading seats_left",
        );
        check(
            State::AwaitingIo,
            Step::WriteSeats,
            Look::AwaitingDb,
            "writing seats_left",
        );
        check(
            State::Blocked,
            Step::ReadSeats,
            Look::BlockedDb,
            "saving to the database, blocking",
        );
        check(
            State::Blocked,
            Step::SendEmail,
            Look::BlockedEmail,
            "sending the email, blocking",
        );
        check(
            State::WaitingConnection,
            Step::WriteSeats,
            Look::Connection,
            "waiting for the database",
        );
        check(State::Ready, Step::SendEmail, Look::Ready, "ready");
        check(
            State::ThreadWait,
            Step::Validate,
            Look::ThreadWait,
            "waiting for the interpreter lock",
        );
        check(State::Running, Step::Decide, Look::Running, "deciding");
        assert_eq!(Phase::NotArrived.class(), "al-swatch-none");
        let blocked = Phase::Blocked(Step::SendEmail);
        assert_eq!(
            blocked.detail(Mode::Async),
            "a synchronous call: it holds the worker"
        );
        assert!(blocked.detail(Mode::Threadpool).contains("its thread"));
        assert!(Look::BlockedDb
            .meaning(Mode::Threadpool)
            .contains("not the interpreter lock"));
        assert!(!Phase::WaitingForDatabase(Step::SaveToDatabase).has_known_length());
    }

    #[test]
    fn every_look_has_a_class_label_and_meaning() {
        let mut classes: Vec<&str> = Look::ALL.iter().map(|l| l.class()).collect();
        classes.sort_unstable();
        classes.dedup();
        assert_eq!(classes.len(), Look::ALL.len());
        for look in Look::ALL {
            assert!(look.class().starts_with("al-s-"));
            assert!(!look.label().is_empty() && !look.meaning(Mode::Async).is_empty());
        }
    }

    #[test]
    fn worker_words() {
        let w = |a: WorkerActivity| a.words(4);
        assert_eq!(
            w(WorkerActivity::Running {
                student: 0,
                step: Step::Validate
            }),
            "Busy: validating A"
        );
        assert_eq!(
            w(WorkerActivity::Running {
                student: 1,
                step: Step::Decide
            }),
            "Busy: deciding for B"
        );
        assert_eq!(
            w(WorkerActivity::Blocked {
                student: 2,
                step: Step::ReadSeats
            }),
            "Blocked by C's database call"
        );
        assert_eq!(
            w(WorkerActivity::Blocked {
                student: 3,
                step: Step::SendEmail
            }),
            "Blocked by D's email"
        );
        assert_eq!(
            w(WorkerActivity::Free { in_flight: 0 }),
            "Idle: nothing to do"
        );
        assert_eq!(
            w(WorkerActivity::Free { in_flight: 3 }),
            "Free: every request on it is waiting"
        );
    }
}
