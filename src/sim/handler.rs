//! The request handlers as real `async` Rust (the article's and the race), their lines ([`Step`]),
//! what a request brings them ([`Job`]), and what the executor needs to know about each
//! ([`HandlerDef`]). The futures they await are in `io`; they talk to the executor only through a
//! shared context and their `Waker`, and never see the clock move by themselves.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};

use super::scenario::{HandlerKind, Scenario};
use super::time::SimTime;

mod io;

pub use io::{Acquire, Connection, Io, SeatsCall, Work};
pub(crate) use io::{Ctx, Effect, EffectKind};

/// The line of the handler a request is on.
///
/// The first three are the article's handler ([`register`]); the last three the race handler's
/// ([`register_race`]). The executor and the trace do not depend on which steps exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// `validate(student)`: CPU work on the worker.
    Validate,
    /// `save_to_database(student)`: I/O, holding a database connection.
    SaveToDatabase,
    /// `send_email(student)`: I/O to the email service.
    SendEmail,
    /// `SELECT seats_left`: I/O, reading the shared cell (race handler).
    ReadSeats,
    /// `if seats_left > 0: take one`: CPU work deciding on the value read (race handler).
    Decide,
    /// `UPDATE ... SET seats_left = <value read - 1>`: I/O, writing the cell back (race handler).
    WriteSeats,
}

impl Step {
    /// Whether the step is a database call (drawn in the database's colour).
    pub fn is_database(self) -> bool {
        matches!(
            self,
            Step::SaveToDatabase | Step::ReadSeats | Step::WriteSeats
        )
    }

    /// The scenario's time for this step, in milliseconds: `validate_ms` for CPU work, `db_ms`
    /// for a database call, `email_ms` for the email (the mean, for I/O under `io_dist=exp`).
    pub fn scenario_ms(self, scenario: &Scenario) -> f64 {
        match self {
            Step::Validate | Step::Decide => scenario.validate_ms,
            Step::SaveToDatabase | Step::ReadSeats | Step::WriteSeats => scenario.db_ms,
            Step::SendEmail => scenario.email_ms,
        }
    }

    /// The name used in the trace and on the page: `validate`, `save_to_database`, `send_email`.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Validate => "validate",
            Step::SaveToDatabase => "save_to_database",
            Step::SendEmail => "send_email",
            Step::ReadSeats => "read_seats",
            Step::Decide => "decide",
            Step::WriteSeats => "write_seats",
        }
    }

    /// A stable small number for hashing and compact encodings.
    pub fn code(self) -> u8 {
        match self {
            Step::Validate => 0,
            Step::SaveToDatabase => 1,
            Step::SendEmail => 2,
            Step::ReadSeats => 3,
            Step::Decide => 4,
            Step::WriteSeats => 5,
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one student's request needs, decided before the run (durations already drawn, await
/// switches already combined with the mode). It knows nothing of any handler's lines: each handler
/// asks for the I/O times of its own steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Job {
    pub(crate) student: u32,
    /// The CPU time of the handler's one CPU step.
    pub(crate) cpu: SimTime,
    /// The handler's I/O calls and their drawn durations, in draw order.
    pub(crate) io: [(Step, SimTime); 2],
    /// Database calls yield (async mode with `await_db` on).
    pub(crate) await_database: bool,
    /// The email call yields (async mode with `await_email` on).
    pub(crate) await_email: bool,
}

impl Job {
    /// The student this request registers.
    pub fn student(&self) -> u32 {
        self.student
    }

    /// The CPU time of the handler's CPU step (`validate_ms`).
    pub fn cpu(&self) -> SimTime {
        self.cpu
    }

    /// The drawn duration of the I/O call at `step`; zero for a step the handler draws nothing
    /// for.
    pub fn io(&self, step: Step) -> SimTime {
        self.io
            .iter()
            .find(|(s, _)| *s == step)
            .map_or(SimTime::ZERO, |(_, d)| *d)
    }

    /// Whether the call at `step` is awaited (yields the loop) rather than blocking: the database
    /// switch for database calls, the email switch for the email.
    pub fn awaited(&self, step: Step) -> bool {
        if step.is_database() {
            self.await_database
        } else {
            step == Step::SendEmail && self.await_email
        }
    }
}

/// The I/O calls of [`register`] whose durations are drawn, in draw order.
const REGISTER_IO: [Step; 2] = [Step::SaveToDatabase, Step::SendEmail];

/// The request handler, exactly the article's endpoint:
///
/// ```python
/// async def register(student):
///     validate(student)
///     await save_to_database(student)
///     await send_email(student)
/// ```
///
/// Whether an I/O call yields the worker is decided by `job`'s await switches (and, for blocking
/// calls, by the executor's mode), so this one function serves every mode.
pub async fn register(io: Io, job: Job) {
    let (db, email) = (Step::SaveToDatabase, Step::SendEmail);
    io.compute(Step::Validate, job.cpu()).await;
    let connection = io.connection(db, job.awaited(db)).await;
    io.call(db, job.io(db), job.awaited(db)).await;
    // The connection goes back to the pool before the email, as soon as the query returns.
    drop(connection);
    io.call(email, job.io(email), job.awaited(email)).await;
}

/// The I/O calls of [`register_race`] in draw order: two database queries, so the write is drawn
/// where the article's handler draws its email, with the database's mean.
const RACE_IO: [Step; 2] = [Step::ReadSeats, Step::WriteSeats];

/// The race handler, the teaser for part 3: a read-modify-write of a shared cell with no lock,
///
/// ```python
/// async def register(student):
///     seats_left = await db.fetch("SELECT seats_left FROM course")
///     if seats_left > 0:                      # decide (CPU)
///         await db.execute("UPDATE course SET seats_left = $1", seats_left - 1)
/// ```
///
/// Between this request's read and its write, another request may write the cell; this write then
/// overwrites that one (a lost update). Each query holds a pooled connection for its duration.
pub async fn register_race(io: Io, job: Job) {
    let (read, write) = (Step::ReadSeats, Step::WriteSeats);
    let connection = io.connection(read, job.awaited(read)).await;
    let seats_left = io.read_seats(job.io(read), job.awaited(read)).await;
    drop(connection);
    io.compute(Step::Decide, job.cpu()).await;
    let take = seats_left > 0;
    io.decide(take);
    if take {
        let _connection = io.connection(write, job.awaited(write)).await;
        io.write_seats(seats_left - 1, job.io(write), job.awaited(write))
            .await;
    }
}

/// A boxed, single-threaded future, as the executor stores its tasks.
pub type TaskFuture = Pin<Box<dyn Future<Output = ()>>>;

/// A function that starts one request: the executor calls it when a worker accepts a student.
pub type Handler = fn(Io, Job) -> TaskFuture;

/// [`register`] as a [`Handler`].
pub fn register_handler(io: Io, job: Job) -> TaskFuture {
    Box::pin(register(io, job))
}

/// [`register_race`] as a [`Handler`].
pub fn race_handler(io: Io, job: Job) -> TaskFuture {
    Box::pin(register_race(io, job))
}

/// What the executor needs to know about one handler, kept here beside the handlers so the
/// executor never names them.
#[derive(Clone, Copy, Debug)]
pub struct HandlerDef {
    /// Starts one request.
    pub start: Handler,
    /// The handler line a request waits on before its first poll.
    pub first_step: Step,
    /// The I/O calls whose durations are drawn for every job, in draw order.
    pub io_steps: [Step; 2],
    /// Whether the trace records the shared `seats_left` cell even if no query touched it.
    pub uses_seats: bool,
}

/// The definition of the handler `kind` names.
pub fn for_kind(kind: HandlerKind) -> HandlerDef {
    match kind {
        HandlerKind::Register => HandlerDef {
            start: register_handler,
            first_step: Step::Validate,
            io_steps: REGISTER_IO,
            uses_seats: false,
        },
        HandlerKind::Race => HandlerDef {
            start: race_handler,
            first_step: Step::ReadSeats,
            io_steps: RACE_IO,
            uses_seats: true,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_handler_draws_its_io_with_its_steps_means() {
        let s = Scenario {
            validate_ms: 1.0,
            db_ms: 2.0,
            email_ms: 3.0,
            ..Scenario::default()
        };
        let check = |kind: HandlerKind, expect: [f64; 2]| {
            let means = for_kind(kind).io_steps.map(|step| step.scenario_ms(&s));
            assert_eq!(means, expect, "{kind}");
        };
        // The race handler's write is drawn in the email's place, with the database's mean.
        check(HandlerKind::Register, [2.0, 3.0]);
        check(HandlerKind::Race, [2.0, 2.0]);
    }

    #[test]
    fn a_job_answers_by_step() {
        let ms = SimTime::from_millis;
        let job = Job {
            student: 7,
            cpu: ms(1),
            io: [(Step::ReadSeats, ms(2)), (Step::WriteSeats, ms(3))],
            await_database: true,
            await_email: false,
        };
        assert_eq!((job.student(), job.cpu()), (7, ms(1)));
        assert_eq!(job.io(Step::WriteSeats), ms(3));
        assert_eq!(job.io(Step::SendEmail), SimTime::ZERO);
        assert!(job.awaited(Step::ReadSeats) && job.awaited(Step::SaveToDatabase));
        assert!(!job.awaited(Step::SendEmail) && !job.awaited(Step::Decide));
    }
}
