//! How a request is drawn: one [`Look`] per legend entry, the same in every picture (its CSS
//! class, legend label and meaning, SVG pattern, height in a row). `view::phase` decides which
//! look a moment of the trace has; this module only says what each look is.

use crate::sim::handler::Step;
use crate::sim::scenario::Mode;
use crate::sim::trace::State;
use crate::view::phase::Phase;

/// How a request is drawn: one look per legend entry, the same in every picture.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Look {
    /// On the worker's CPU.
    Running,
    /// The framework's own CPU on the loop, before or after the handler (`framework_ms`).
    Framework,
    /// A blocking database call: it holds the worker.
    BlockedDb,
    /// A blocking email call: it holds the worker.
    BlockedEmail,
    /// `time.sleep`: a blocking wait that holds the worker.
    BlockedSleep,
    /// An awaited database call; the worker is free.
    AwaitingDb,
    /// Waiting for a database connection.
    Connection,
    /// An awaited email call; the worker is free.
    AwaitingEmail,
    /// `await asyncio.sleep`: a timer runs; the worker is free.
    Sleeping,
    /// In the loop's ready queue.
    Ready,
    /// Thread pool: waiting for the interpreter lock.
    ThreadWait,
    /// `run_in_threadpool` or `asyncio.to_thread`: waiting for a free thread of the pool.
    ThreadSlot,
    /// Waiting for an `asyncio.Lock` or `Semaphore` other requests hold; the loop is free.
    LockWait,
    /// Waiting for the database's row lock, which another transaction holds.
    RowLockWait,
    /// In the accept queue.
    Queued,
    /// Answered 503 on arrival: every worker was full (`overflow=reject`).
    Rejected,
    /// The response was sent here, before the request's work ended (`BackgroundTasks`).
    Answered,
    /// Finished.
    Done,
}

/// The SVG fills behind the hatched and dotted looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    HatchDb,
    HatchEmail,
    DotsDb,
}

impl Pattern {
    /// Every pattern, for a picture's `<defs>`.
    pub const ALL: [Pattern; 3] = [Pattern::HatchDb, Pattern::HatchEmail, Pattern::DotsDb];

    /// The id suffix of the pattern (`{uid}-{suffix}`).
    pub fn suffix(self) -> &'static str {
        match self {
            Pattern::HatchDb => "hatch-db",
            Pattern::HatchEmail => "hatch-email",
            Pattern::DotsDb => "dots-db",
        }
    }
}

/// A set of looks, one bit each (`look as usize`), iterated in legend order. A `BTreeSet<Look>`
/// would cost the wasm a copy of the B-tree's code for this one element type.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Looks(u32);

impl Looks {
    /// Adds `look`.
    pub fn insert(&mut self, look: Look) {
        self.0 |= 1 << look as u32;
    }

    /// Takes `look` out.
    pub fn remove(&mut self, look: Look) {
        self.0 &= !(1 << look as u32);
    }

    /// Whether `look` is in.
    pub fn contains(self, look: Look) -> bool {
        self.0 & (1 << look as u32) != 0
    }

    /// The looks in, in legend order.
    pub fn iter(self) -> impl Iterator<Item = Look> {
        Look::ALL.into_iter().filter(move |l| self.contains(*l))
    }
}

impl Extend<Look> for Looks {
    fn extend<I: IntoIterator<Item = Look>>(&mut self, looks: I) {
        for look in looks {
            self.insert(look);
        }
    }
}

impl Look {
    /// The looks among `looks`, each once, in order: one pass, however many shapes a picture has.
    pub fn present(looks: impl Iterator<Item = Look>) -> Vec<Look> {
        let mut seen = [false; Look::ALL.len()];
        for look in looks {
            seen[look as usize] = true;
        }
        Look::ALL
            .into_iter()
            .filter(|l| seen[*l as usize])
            .collect()
    }

    /// Every look, in legend order (the order the workers scene stacks its bands, bottom first);
    /// `look as usize` is its index here.
    pub const ALL: [Look; 18] = [
        Look::Running,
        Look::Framework,
        Look::BlockedDb,
        Look::BlockedEmail,
        Look::BlockedSleep,
        Look::AwaitingDb,
        Look::Connection,
        Look::AwaitingEmail,
        Look::Sleeping,
        Look::Ready,
        Look::ThreadWait,
        Look::ThreadSlot,
        Look::LockWait,
        Look::RowLockWait,
        Look::Queued,
        Look::Rejected,
        Look::Answered,
        Look::Done,
    ];

    /// The CSS class giving the look, on SVG shapes and on swatches.
    pub fn class(self) -> &'static str {
        match self {
            Look::Queued => "al-s-queued",
            Look::Rejected => "al-s-rejected",
            Look::Running => "al-s-running",
            Look::Framework => "al-s-framework",
            Look::BlockedDb => "al-s-blocked-db",
            Look::BlockedEmail => "al-s-blocked-email",
            Look::BlockedSleep => "al-s-blocked-sleep",
            Look::Sleeping => "al-s-sleep",
            Look::ThreadSlot => "al-s-thread-slot",
            Look::LockWait => "al-s-lock",
            Look::RowLockWait => "al-s-row-lock",
            Look::AwaitingDb => "al-s-await-db",
            Look::Connection => "al-s-conn",
            Look::AwaitingEmail => "al-s-await-email",
            Look::Ready => "al-s-ready",
            Look::ThreadWait => "al-s-thread",
            Look::Answered => "al-s-answered",
            Look::Done => "al-s-done",
        }
    }

    /// The legend's label.
    pub fn label(self) -> &'static str {
        match self {
            Look::Queued => "queued",
            Look::Rejected => "rejected (503)",
            Look::Running => "running",
            Look::Framework => "framework",
            Look::BlockedDb => "blocked on the database",
            Look::BlockedEmail => "blocked on the email",
            Look::BlockedSleep => "blocked in time.sleep",
            Look::Sleeping => "awaiting a timer",
            Look::ThreadSlot => "waiting for a thread",
            Look::AwaitingDb => "awaiting DB",
            Look::Connection => "waiting for a connection",
            Look::AwaitingEmail => "awaiting email",
            Look::Ready => "ready",
            Look::ThreadWait => "waiting for the interpreter lock",
            Look::LockWait => "waiting for the asyncio lock",
            Look::RowLockWait => "waiting for a row lock",
            Look::Answered => "answered, work goes on",
            Look::Done => "done",
        }
    }

    /// The legend's words in `mode`: in a thread pool a synchronous call blocks its thread,
    /// not the worker, and says so.
    pub fn label_in(self, mode: Mode) -> &'static str {
        match self {
            Look::BlockedDb if mode == Mode::Threadpool => "a thread blocked on the database",
            Look::BlockedEmail if mode == Mode::Threadpool => "a thread blocked on the email",
            Look::BlockedSleep if mode == Mode::Threadpool => "a thread in time.sleep",
            _ => self.label(),
        }
    }

    /// What the look means in `mode`, one clause (the legend entry's title). In a thread pool a
    /// synchronous call holds only its thread: the interpreter lock, the worker's lane, is free.
    pub fn meaning(self, mode: Mode) -> &'static str {
        match self {
            Look::BlockedDb | Look::BlockedEmail | Look::BlockedSleep
                if mode == Mode::Threadpool =>
            {
                "a synchronous call: it holds its thread, not the interpreter lock"
            }
            Look::Queued => "in the accept queue, no worker yet",
            Look::Rejected => "every worker was full: answered 503 at once, never served",
            Look::Running => "the worker's CPU is on it",
            Look::Framework if mode == Mode::Threadpool => {
                "the framework reads it or writes its answer on the loop, holding the interpreter \
                 lock, on no pool thread"
            }
            Look::Framework => "the framework reads it or writes its answer: the loop's own CPU",
            Look::BlockedDb => "a synchronous database call: it holds the worker",
            Look::BlockedEmail => "a synchronous email call: it holds the worker",
            Look::BlockedSleep => "time.sleep: it holds the worker",
            Look::Sleeping => "asyncio.sleep: a timer runs; the worker is free",
            Look::ThreadSlot => "every thread of its pool is busy; the loop is free",
            Look::LockWait => {
                "other requests of its worker hold the lock (or every permit of the semaphore); \
                 the loop is free"
            }
            Look::RowLockWait => {
                "another request's transaction holds the course row until it ends; the loop is free"
            }
            Look::AwaitingDb => "waits for the database; the worker is free",
            Look::Connection => "no free database connection",
            Look::AwaitingEmail => "waits for the email service; the worker is free",
            Look::Ready => "runnable: waits its turn in the loop's ready queue",
            Look::ThreadWait => "its thread waits for the interpreter lock",
            Look::Answered => {
                "the response is sent: the student's wait ends here; the worker still runs the \
                 background tasks after it"
            }
            Look::Done => "finished",
        }
    }

    /// The SVG pattern that fills the look, if it is hatched or dotted.
    pub fn pattern(self) -> Option<Pattern> {
        match self {
            Look::AwaitingDb => Some(Pattern::HatchDb),
            Look::AwaitingEmail => Some(Pattern::HatchEmail),
            Look::Connection => Some(Pattern::DotsDb),
            _ => None,
        }
    }

    /// The share of a row's height a span of this look fills: solid work full, waits lower.
    pub fn height_share(self) -> f64 {
        match self {
            Look::Queued => 0.3,
            Look::Running
            | Look::Framework
            | Look::BlockedDb
            | Look::BlockedEmail
            | Look::BlockedSleep
            | Look::Rejected
            | Look::Answered
            | Look::Done => 1.0,
            Look::ThreadWait | Look::ThreadSlot | Look::LockWait | Look::RowLockWait => 0.5,
            Look::AwaitingDb
            | Look::Connection
            | Look::AwaitingEmail
            | Look::Sleeping
            | Look::Ready => 0.7,
        }
    }

    /// The look of a span in `state` on handler line `step`.
    pub fn of_span(state: State, step: Option<Step>) -> Look {
        Phase::of_state(state, step).look().unwrap_or(Look::Queued)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_look_is_at_its_own_index_and_present_keeps_that_order() {
        for (i, look) in Look::ALL.into_iter().enumerate() {
            assert_eq!(look as usize, i, "{look:?}");
        }
        let shapes = [
            Look::Done,
            Look::Queued,
            Look::Running,
            Look::Queued,
            Look::Done,
        ];
        assert_eq!(
            Look::present(shapes.into_iter()),
            [Look::Running, Look::Queued, Look::Done]
        );
        assert_eq!(Look::present(std::iter::empty()), []);
    }
}
