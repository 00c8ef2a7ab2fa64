//! The request handler of the article as real `async` Rust, and the small futures it awaits
//! (CPU work, I/O calls, a database connection). They talk to the executor only through a shared
//! context and their `Waker`; they never see the clock move by themselves.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use serde::{Deserialize, Serialize};

use super::scenario::{HandlerKind, Scenario};
use super::seats::{ApplyOnWake, Query, SeatOpKind, Seats, SharedSeats};
use super::time::SimTime;

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

/// What a suspended future asked of the executor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EffectKind {
    /// CPU work: the worker's lane is occupied.
    Cpu,
    /// An I/O call, awaited (yields) or a blocking call.
    Io { awaited: bool },
    /// Waiting for a database connection, awaited or blocking.
    Connection { awaited: bool },
}

/// A request from a leaf future, read by the executor right after the poll that produced it.
pub(crate) struct Effect {
    pub kind: EffectKind,
    pub step: Step,
    /// A timer to arm: wake this waker at this time.
    pub wake_at: Option<(SimTime, Waker)>,
}

/// One database connection pool (one per worker process).
struct Pool {
    available: u32,
    waiters: VecDeque<Rc<Waiter>>,
}

/// A request waiting for a connection; `granted` is set when one is handed over.
struct Waiter {
    granted: Cell<bool>,
    waker: RefCell<Option<Waker>>,
}

/// State shared by the executor and the futures of one run.
pub(crate) struct Ctx {
    now: Cell<SimTime>,
    effects: RefCell<Vec<Effect>>,
    pools: RefCell<Vec<Pool>>,
    seats: SharedSeats,
}

impl Ctx {
    /// A context for `workers` workers whose pools hold `db_pool` connections each (`None`:
    /// unlimited), and a `seats_left` cell starting at `seats` for `students` requests.
    pub(crate) fn new(workers: u32, db_pool: Option<u32>, seats: u32, students: u32) -> Ctx {
        let pools = (0..workers)
            .map(|_| Pool {
                available: db_pool.unwrap_or(u32::MAX),
                waiters: VecDeque::new(),
            })
            .collect();
        Ctx {
            now: Cell::new(SimTime::ZERO),
            effects: RefCell::new(Vec::new()),
            pools: RefCell::new(pools),
            seats: Arc::new(Mutex::new(Seats::new(seats, students))),
        }
    }

    /// The `seats_left` cell.
    pub(crate) fn seats(&self) -> std::sync::MutexGuard<'_, Seats> {
        self.seats.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn set_now(&self, now: SimTime) {
        self.now.set(now);
    }

    /// Moves the effects of the last poll into `out` (reusing both buffers).
    pub(crate) fn take_effects(&self, out: &mut Vec<Effect>) {
        out.append(&mut self.effects.borrow_mut());
    }

    fn push(&self, effect: Effect) {
        self.effects.borrow_mut().push(effect);
    }

    fn release(&self, worker: u32) {
        let mut pools = self.pools.borrow_mut();
        let pool = &mut pools[worker as usize];
        // Hand the connection straight to the first waiter, so a newcomer cannot overtake it.
        if let Some(waiter) = pool.waiters.pop_front() {
            waiter.granted.set(true);
            if let Some(waker) = waiter.waker.borrow_mut().take() {
                waker.wake();
            }
        } else {
            pool.available = pool.available.saturating_add(1);
        }
    }
}

/// A handler's access to the simulated world: its worker, the clock, and the operations that take
/// time. Cheap to clone.
#[derive(Clone)]
pub struct Io {
    ctx: Rc<Ctx>,
    worker: u32,
    student: u32,
}

impl Io {
    pub(crate) fn new(ctx: Rc<Ctx>, worker: u32, student: u32) -> Io {
        Io {
            ctx,
            worker,
            student,
        }
    }

    /// The worker running this request.
    pub fn worker(&self) -> u32 {
        self.worker
    }

    /// The student this request registers.
    pub fn student(&self) -> u32 {
        self.student
    }

    /// `SELECT seats_left`, lasting `duration` (awaited or blocking, as [`Io::call`]); returns
    /// the value at the query's completion.
    pub fn read_seats(&self, duration: SimTime, awaited: bool) -> SeatsCall {
        SeatsCall::new(self, SeatOpKind::Read, 0, duration, awaited)
    }

    /// `UPDATE ... SET seats_left = value`, lasting `duration`; the value is set at the query's
    /// completion, whatever happened since this request read it.
    pub fn write_seats(&self, value: u32, duration: SimTime, awaited: bool) -> SeatsCall {
        SeatsCall::new(self, SeatOpKind::Write, value, duration, awaited)
    }

    /// Records whether this request decided to take a seat.
    pub fn decide(&self, take: bool) {
        self.ctx.seats().decide(self.student, take);
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.ctx.now.get()
    }

    /// CPU work lasting `duration`: the worker can do nothing else meanwhile. Zero takes no time
    /// and does not suspend.
    pub fn compute(&self, step: Step, duration: SimTime) -> Work {
        Work::new(self, EffectKind::Cpu, step, duration)
    }

    /// An I/O call lasting `duration`. Awaited, it gives the worker's loop away until it completes
    /// (even when it takes no time, like `asyncio.sleep(0)`); not awaited, it is a blocking call.
    pub fn call(&self, step: Step, duration: SimTime, awaited: bool) -> Work {
        Work::new(self, EffectKind::Io { awaited }, step, duration)
    }

    /// A connection from this worker's database pool for `step`, waiting FIFO when none is free; dropping the
    /// returned guard gives it back.
    pub fn connection(&self, step: Step, awaited: bool) -> Acquire {
        Acquire {
            io: self.clone(),
            step,
            awaited,
            waiter: None,
        }
    }
}

/// A future for one operation that takes simulated time ([`Io::compute`], [`Io::call`]).
pub struct Work {
    ctx: Rc<Ctx>,
    kind: EffectKind,
    step: Step,
    duration: SimTime,
    deadline: Option<SimTime>,
}

impl Work {
    fn new(io: &Io, kind: EffectKind, step: Step, duration: SimTime) -> Work {
        Work {
            ctx: Rc::clone(&io.ctx),
            kind,
            step,
            duration,
            deadline: None,
        }
    }
}

impl Future for Work {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let now = this.ctx.now.get();
        match this.deadline {
            // Like tokio's `Sleep`: done once the clock has reached the deadline, whoever polls.
            Some(deadline) => {
                if now >= deadline {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }
            None => {
                let yields = this.kind == EffectKind::Io { awaited: true };
                if this.duration == SimTime::ZERO && !yields {
                    return Poll::Ready(());
                }
                let deadline = now + this.duration;
                this.deadline = Some(deadline);
                this.ctx.push(Effect {
                    kind: this.kind,
                    step: this.step,
                    wake_at: Some((deadline, cx.waker().clone())),
                });
                Poll::Pending
            }
        }
    }
}

/// A future for one query on `seats_left` ([`Io::read_seats`], [`Io::write_seats`]): an I/O call
/// whose effect on the cell happens when its timer fires, in timer order.
pub struct SeatsCall {
    io: Io,
    kind: SeatOpKind,
    value: u32,
    duration: SimTime,
    awaited: bool,
    result: Option<Arc<Mutex<Option<u32>>>>,
}

impl SeatsCall {
    fn new(io: &Io, kind: SeatOpKind, value: u32, duration: SimTime, awaited: bool) -> SeatsCall {
        SeatsCall {
            io: io.clone(),
            kind,
            value,
            duration,
            awaited,
            result: None,
        }
    }
}

impl Future for SeatsCall {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        let this = self.get_mut();
        if let Some(result) = &this.result {
            return match *result.lock().unwrap_or_else(PoisonError::into_inner) {
                Some(value) => Poll::Ready(value),
                None => Poll::Pending,
            };
        }
        let ctx = &this.io.ctx;
        let now = ctx.now.get();
        let query = Query {
            kind: this.kind,
            student: this.io.student,
            worker: this.io.worker,
            start: now,
            at: now + this.duration,
            value: this.value,
        };
        // A blocking call of no duration takes no step (as `Work`): it runs at once.
        if this.duration == SimTime::ZERO && !this.awaited {
            return Poll::Ready(ctx.seats().apply(query));
        }
        let result = Arc::new(Mutex::new(None));
        let waker = Waker::from(Arc::new(ApplyOnWake {
            seats: Arc::clone(&ctx.seats),
            query: Mutex::new(Some(query)),
            result: Arc::clone(&result),
            task: cx.waker().clone(),
        }));
        this.result = Some(result);
        ctx.push(Effect {
            kind: EffectKind::Io {
                awaited: this.awaited,
            },
            step: match this.kind {
                SeatOpKind::Read => Step::ReadSeats,
                SeatOpKind::Write => Step::WriteSeats,
            },
            wake_at: Some((query.at, waker)),
        });
        Poll::Pending
    }
}

/// A future for a database connection ([`Io::connection`]).
pub struct Acquire {
    io: Io,
    step: Step,
    awaited: bool,
    waiter: Option<Rc<Waiter>>,
}

/// A database connection held by a request; dropping it returns it to the pool.
pub struct Connection {
    io: Io,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.io.ctx.release(self.io.worker);
    }
}

impl Future for Acquire {
    type Output = Connection;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Connection> {
        let this = self.get_mut();
        if let Some(waiter) = &this.waiter {
            if waiter.granted.get() {
                this.waiter = None;
                return Poll::Ready(Connection {
                    io: this.io.clone(),
                });
            }
            *waiter.waker.borrow_mut() = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let worker = this.io.worker;
        let mut pools = this.io.ctx.pools.borrow_mut();
        let pool = &mut pools[worker as usize];
        if pool.available > 0 {
            pool.available -= 1;
            drop(pools);
            return Poll::Ready(Connection {
                io: this.io.clone(),
            });
        }
        let waiter = Rc::new(Waiter {
            granted: Cell::new(false),
            waker: RefCell::new(Some(cx.waker().clone())),
        });
        pool.waiters.push_back(Rc::clone(&waiter));
        drop(pools);
        this.waiter = Some(waiter);
        this.io.ctx.push(Effect {
            kind: EffectKind::Connection {
                awaited: this.awaited,
            },
            step: this.step,
            wake_at: None,
        });
        Poll::Pending
    }
}

impl Drop for Acquire {
    /// A cancelled wait leaves the queue, and a connection granted but never taken goes back.
    fn drop(&mut self) {
        if let Some(waiter) = self.waiter.take() {
            if waiter.granted.get() {
                self.io.ctx.release(self.io.worker);
            } else {
                let mut pools = self.io.ctx.pools.borrow_mut();
                pools[self.io.worker as usize]
                    .waiters
                    .retain(|w| !Rc::ptr_eq(w, &waiter));
            }
        }
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
