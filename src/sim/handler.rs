//! What a request handler is to the executor: the program a scenario runs (its `code`, or a
//! preset of `sim::lang`), interpreted one future per request ([`HandlerDef`]); the kinds of call
//! it makes ([`Step`]); what a request brings it ([`Job`]). The futures it awaits are in `io`;
//! they talk to the executor only through a shared context and their `Waker`, and never see the
//! clock move by themselves.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};

use std::rc::Rc;

use super::lang::{self, CodeError, Program};
use super::scenario::Scenario;
use super::time::SimTime;

mod framework;
mod io;

pub use framework::{with_framework, FRAMEWORK_BEFORE_SHARE};
pub use io::{Acquire, Connection, Gather, Io, Join, PoolUse, Pooled, SeatsCall, Spawned, Work};
pub(crate) use io::{Ctx, Effect, EffectKind, PoolSizes, Syscall};

/// The line of the handler a request is on.
///
/// The first three are the article's handler's; the next three the race handler's; then the
/// playground's own (`cpu_work`, the sleeps); the last is no line of the handler at all but the
/// framework's own work around it (`framework_ms`). The executor and the trace do not depend on
/// which steps exist.
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
    /// `cpu_work(ms=N)`: CPU work of a given length.
    CpuWork,
    /// `asyncio.sleep(S)` (awaited) or `time.sleep(S)` (blocking): a wait that holds nothing.
    Sleep,
    /// The framework's own CPU on the event loop, around the handler: reading and validating the
    /// request before it, writing the response after it (`framework_ms`).
    Framework,
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
    /// for a database call, `email_ms` for the email (the mean, for I/O under `io_dist=exp`); 0
    /// for the steps whose length the code gives (`cpu_work`, the sleeps); `framework_ms`, both
    /// parts together, for the framework.
    pub fn scenario_ms(self, scenario: &Scenario) -> f64 {
        match self {
            Step::Framework => scenario.framework_ms,
            Step::CpuWork | Step::Sleep => 0.0,
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
            Step::CpuWork => "cpu_work",
            Step::Sleep => "sleep",
            Step::Framework => "framework",
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
            Step::CpuWork => 6,
            Step::Sleep => 7,
            Step::Framework => 8,
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

/// A boxed, single-threaded future, as the executor stores its tasks.
pub type TaskFuture = Pin<Box<dyn Future<Output = ()>>>;

/// A function that starts one request: the executor calls it when a worker accepts a student.
pub type Handler = fn(Io, Job) -> TaskFuture;

/// What starts one request of a handler (a program with its run's settings, or a [`Handler`]).
pub type Start = Rc<dyn Fn(Io, Job) -> TaskFuture>;

/// What the executor needs to know about one handler, kept here beside the handlers so the
/// executor never names them.
#[derive(Clone)]
pub struct HandlerDef {
    /// Starts one request.
    pub start: Start,
    /// The handler line a request waits on before its first poll.
    pub first_step: Step,
    /// The line of the source text of that call, from 1 (`None` for a handler without source).
    pub first_line: Option<u16>,
    /// The I/O calls whose durations are drawn for every job, in draw order.
    pub io_steps: [Step; 2],
    /// Whether the trace records the shared `seats_left` cell even if no query touched it.
    pub uses_seats: bool,
    /// Executor steps (polls and timers) a request may take before the run counts as runaway.
    pub steps_per_request: u64,
}

impl fmt::Debug for HandlerDef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandlerDef")
            .field("first_step", &self.first_step)
            .field("first_line", &self.first_line)
            .field("io_steps", &self.io_steps)
            .field("uses_seats", &self.uses_seats)
            .field("steps_per_request", &self.steps_per_request)
            .finish_non_exhaustive()
    }
}

/// Steps allowed per request of a handler without loops; the article's needs fewer than ten
/// (polls plus timers).
pub const STEPS_PER_REQUEST: u64 = 64;

/// The code a scenario runs: its `code`, or else the preset its `handler`, `mode` and await
/// switches describe ([`lang::presets::for_scenario`]).
pub fn code_for(scenario: &Scenario) -> String {
    match &scenario.code {
        Some(code) => code.clone(),
        None => lang::presets::for_scenario(scenario),
    }
}

/// The checked program a scenario runs.
///
/// # Errors
/// The code's first error (never for a preset).
pub fn program_for(scenario: &Scenario) -> Result<Program, CodeError> {
    lang::compile(&code_for(scenario))
}

/// The definition of the handler `scenario` runs: its program, interpreted, one future per
/// request.
///
/// # Errors
/// As [`program_for`].
pub fn for_scenario(scenario: &Scenario) -> Result<HandlerDef, CodeError> {
    let program = program_for(scenario)?;
    let info = program.info;
    let loaded = Rc::new(lang::Loaded::new(program, scenario));
    Ok(HandlerDef {
        start: Rc::new(move |io, job| lang::start(&loaded, io, job)),
        first_step: info.first_step,
        first_line: info.first_line,
        io_steps: info.io_steps,
        uses_seats: info.uses_seats,
        // Without a loop a request makes a handful of calls; with one, each of its operations
        // may be a call of a few steps.
        steps_per_request: if info.loops {
            STEPS_PER_REQUEST + 4 * u64::from(lang::MAX_OPS)
        } else {
            STEPS_PER_REQUEST
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::scenario::HandlerKind;

    #[test]
    fn each_handler_draws_its_io_with_its_steps_means() {
        let s = Scenario {
            validate_ms: 1.0,
            db_ms: 2.0,
            email_ms: 3.0,
            ..Scenario::default()
        };
        let check = |handler: HandlerKind, expect: [f64; 2]| {
            let scenario = Scenario {
                handler,
                ..s.clone()
            };
            let def = for_scenario(&scenario).expect("a preset compiles");
            let means = def.io_steps.map(|step| step.scenario_ms(&s));
            assert_eq!(means, expect, "{handler}");
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
