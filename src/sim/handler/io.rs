//! What a handler can do to the simulated world: [`Io`] and the futures it returns (CPU work, I/O
//! calls, queries on `seats_left`, a database connection, a pool thread, several calls at once),
//! and the context they share with the executor. They report what they wait for as effects and
//! wake through their `Waker`; they never move the clock themselves.

use std::cell::Cell;
use std::collections::VecDeque;
use std::future::Future;
use std::num::NonZeroU16;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use super::{Step, TaskFuture};
use crate::sim::lang::CodeError;
use crate::sim::seats::{SeatOpKind, Seats, SharedSeats, Update};
use crate::sim::store::Shared;
use crate::sim::time::SimTime;
use crate::sim::trace::{LogLine, MAX_LOG_LINES};

mod acquire;
mod answer;
mod join;
mod lock;
mod per_student;
mod seats_call;
pub use acquire::{Acquire, Connection, PoolUse, Pooled};
pub use join::{Join, Spawned};
pub(crate) use per_student::PerStudent;
pub use seats_call::SeatsCall;

/// The calls on a request's socket around a stretch of the loop's CPU work. CPython gives the
/// interpreter lock up around each system call, so threads waiting for the lock take it then,
/// and the loop takes it back in its turn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Syscall {
    /// No call: the lock is kept from the line before.
    None,
    /// The loop has just read the request: the work waits in its turn for the lock.
    Read,
    /// The response, written in two calls (its head, then its body): the lock is given up as
    /// the work begins and as it ends, so the work waits in its turn for it, and so does the
    /// loop's next line. (Where the head's write falls within the work is not measured; at its
    /// start the work stays one stretch.)
    Write,
}

/// What a suspended future asked of the executor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum EffectKind {
    /// CPU work, on the worker's event loop (or its one thread) or on a pool thread: either way
    /// it needs the worker's interpreter lock. `syscall`: the socket call around it, around
    /// which CPython gives the lock up (see [`Syscall`]).
    Cpu { on_thread: bool, syscall: Syscall },
    /// An I/O call, awaited (yields) or a blocking call.
    Io { awaited: bool },
    /// Waiting for a database connection, awaited or blocking.
    Connection { awaited: bool },
    /// Waiting for a thread of a pool (`run_in_threadpool`, `asyncio.to_thread`); the loop is
    /// free meanwhile.
    Thread,
    /// Waiting for an `asyncio.Lock` or `Semaphore` of the worker's: awaited (the loop is free)
    /// or, where awaits do not yield, a blocking wait.
    Lock { awaited: bool },
    /// Waiting for the database's row lock, which another transaction holds, awaited or
    /// blocking.
    RowLock { awaited: bool },
}

impl EffectKind {
    /// How strongly the effect claims the worker, for choosing what several calls in flight at
    /// once show: CPU work, then a blocking call, then a blocking wait, then any wait.
    fn claim(self) -> u8 {
        match self {
            EffectKind::Cpu { .. } => 3,
            EffectKind::Io { awaited: false } => 2,
            EffectKind::Connection { awaited: false }
            | EffectKind::Lock { awaited: false }
            | EffectKind::RowLock { awaited: false } => 1,
            _ => 0,
        }
    }
}

/// A request from a leaf future, read by the executor right after the poll that produced it.
pub(crate) struct Effect {
    pub kind: EffectKind,
    pub step: Step,
    /// The line of the handler's source the call is on (`on_line` of the operation).
    pub line: Option<u16>,
    /// A timer to arm: wake this waker at this time. For CPU work, the time it would end with
    /// the interpreter lock and a core to itself; the executor wakes it when it really ends.
    pub wake_at: Option<(SimTime, Waker)>,
    /// CPU work: set by the executor when the work is done.
    pub done: Option<Rc<Cell<bool>>>,
    /// The wait is a pool thread's (`to_thread`, `run_in_threadpool`): when it ends, the
    /// thread goes on by itself, without the event loop.
    pub on_thread: bool,
}

/// What a pool hands out: a database connection or a thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Resource {
    Connection,
    /// The pool that serves `def` handlers and `run_in_threadpool` (`threads`).
    Threadpool,
    /// asyncio's default executor, for `asyncio.to_thread` (`min(32, cores + 4)`).
    ToThread,
    /// The module's `asyncio.Lock` or `Semaphore` of this number: one per worker process, as
    /// each process imports the module ([`Ctx::make_locks`]).
    Lock(u16),
    /// The `course` row's lock in the database: one for every worker.
    RowLock,
}

/// One pool of connections or threads (one of each per worker process).
struct Pool {
    size: u32,
    available: u32,
    waiters: VecDeque<Rc<Waiter>>,
    /// The time its units were in use, in µs: a unit taken subtracts the clock, one given back
    /// adds it, so once all are back it is their sum ([`PoolUse`]).
    used: i64,
}

/// A request waiting for a connection; `granted` is set when one is handed over.
struct Waiter {
    granted: Cell<bool>,
    waker: Shared<Option<Waker>>,
}

/// State shared by the executor and the futures of one run.
pub(crate) struct Ctx {
    now: Cell<SimTime>,
    effects: Shared<Vec<Effect>>,
    /// Per resource, then per worker.
    pools: Shared<Vec<Pool>>,
    workers: u32,
    seats: SharedSeats,
    /// A mistake in the code found while running it: the run ends with it.
    error: Shared<Option<CodeError>>,
    log: Shared<Vec<LogLine>>,
    /// Logging records below the level, which Python writes nowhere.
    log_hidden: Cell<u32>,
    /// The responses that are not 200, by student.
    statuses: Shared<PerStudent<u16>>,
    /// When each request that answers before its work ends sent its response, and the
    /// framework's part after the handler that the request runs at that moment ([`Io::answer`]).
    answers: Shared<answer::Answers>,
}

/// The sizes of one worker's pools.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PoolSizes {
    /// Database connections (`None`: unlimited).
    pub db: Option<u32>,
    /// Threads serving `run_in_threadpool`.
    pub threadpool: u32,
    /// Threads serving `asyncio.to_thread`.
    pub to_thread: u32,
}

impl Ctx {
    /// A context for `workers` workers with pools of `sizes` each, and a `seats_left` cell
    /// starting at `seats` for `students` requests.
    pub(crate) fn new(workers: u32, sizes: PoolSizes, seats: u32, students: u32) -> Ctx {
        let sizes = [
            sizes.db.unwrap_or(u32::MAX),
            sizes.threadpool,
            sizes.to_thread,
        ];
        let mut pools: Vec<Pool> = sizes
            .iter()
            .flat_map(|&size| (0..workers).map(move |_| Pool::new(size)))
            .collect();
        // The row lock: one transaction at a time holds it.
        pools.push(Pool::new(1));
        Ctx {
            now: Cell::new(SimTime::ZERO),
            effects: Shared::new(Vec::new()),
            pools: Shared::new(pools),
            workers,
            seats: Arc::new(Mutex::new(Seats::new(seats, students))),
            error: Shared::new(None),
            log: Shared::new(Vec::new()),
            log_hidden: Cell::new(0),
            statuses: Shared::default(),
            answers: Shared::default(),
        }
    }

    /// The responses that are not 200, by student.
    pub(crate) fn take_statuses(&self) -> PerStudent<u16> {
        std::mem::take(&mut self.statuses.borrow_mut())
    }

    /// What the requests printed, in time order.
    pub(crate) fn take_log(&self) -> (Vec<LogLine>, u32) {
        (
            std::mem::take(&mut self.log.borrow_mut()),
            self.log_hidden.get(),
        )
    }

    /// The code's mistake found in the last poll, if any.
    pub(crate) fn take_error(&self) -> Option<CodeError> {
        self.error.borrow_mut().take()
    }

    /// Where the pool of `resource` on `worker` is in `pools`: a row of one per worker for
    /// each of the three pools, then the database's row lock, then each asyncio lock's row.
    fn pool_index(&self, resource: Resource, worker: u32) -> usize {
        let workers = self.workers as usize;
        match resource {
            Resource::Connection => worker as usize,
            Resource::Threadpool => workers + worker as usize,
            Resource::ToThread => 2 * workers + worker as usize,
            Resource::RowLock => 3 * workers,
            Resource::Lock(id) => 3 * workers + 1 + usize::from(id) * workers + worker as usize,
        }
    }

    /// Makes the pools of the program's locks (a permit each, `sizes[id]` of them), once, when
    /// a request first takes one: only the program knows them.
    fn make_locks(&self, sizes: &[u32]) {
        let mut pools = self.pools.borrow_mut();
        if pools.len() == 3 * self.workers as usize + 1 {
            for &size in sizes {
                pools.extend((0..self.workers).map(|_| Pool::new(size)));
            }
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

    fn release(&self, resource: Resource, worker: u32) {
        let i = self.pool_index(resource, worker);
        let mut pools = self.pools.borrow_mut();
        let pool = &mut pools[i];
        // Hand the connection straight to the first waiter, so a newcomer cannot overtake it.
        if let Some(waiter) = pool.waiters.pop_front() {
            waiter.granted.set(true);
            if let Some(waker) = waiter.waker.borrow_mut().take() {
                waker.wake();
            }
        } else {
            pool.give_back(self.now.get());
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
    /// The code runs on a pool thread (a `def` endpoint's, `to_thread`'s), not on the loop.
    on_thread: bool,
}

impl Io {
    pub(crate) fn new(ctx: Rc<Ctx>, worker: u32, student: u32, on_thread: bool) -> Io {
        Io {
            ctx,
            worker,
            student,
            on_thread,
        }
    }

    /// The same request's access, for code running on a pool thread (`true`) or on the
    /// worker's event loop (`false`).
    pub(crate) fn on_thread(&self, on_thread: bool) -> Io {
        let mut io = self.clone();
        io.on_thread = on_thread;
        io
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
        SeatsCall::new(self, SeatOpKind::Read, Update::Set(0), duration, awaited)
    }

    /// `UPDATE course SET ...`, lasting `duration`: at the query's completion the row changes
    /// as `update` says (a plain `Set` whatever happened since this request read it).
    pub fn write_seats(&self, update: Update, duration: SimTime, awaited: bool) -> SeatsCall {
        SeatsCall::new(self, SeatOpKind::Write, update, duration, awaited)
    }

    /// Records whether this request decided to take a seat.
    pub fn decide(&self, take: bool) {
        self.ctx.seats().decide(self.student, take);
    }

    /// The current simulated time.
    pub fn now(&self) -> SimTime {
        self.ctx.now.get()
    }

    /// CPU work lasting `duration` with the interpreter lock and a core to itself: on the loop,
    /// the loop can do nothing else meanwhile. Zero takes no time and does not suspend.
    pub fn compute(&self, step: Step, duration: SimTime) -> Work {
        let on_thread = self.on_thread;
        let kind = EffectKind::Cpu {
            on_thread,
            syscall: Syscall::None,
        };
        Work::new(self, kind, step, duration)
    }

    /// The framework's CPU work on the loop around a call on the request's socket (see
    /// [`Syscall`]).
    pub(crate) fn compute_around(&self, syscall: Syscall, duration: SimTime) -> Work {
        let kind = EffectKind::Cpu {
            on_thread: false,
            syscall,
        };
        Work::new(self, kind, Step::Framework, duration)
    }

    /// The loop reads the byte a pool thread wrote to wake it when its call returned (asyncio's
    /// self-pipe, `call_soon_threadsafe`): a system call, so the lock is given up around it and
    /// taken back in turn. Measured on uvicorn (strace): a request served on a thread makes two
    /// reads, its own and this one. It takes no CPU here (in a served app that is inside
    /// `framework_ms`), only the wait for the lock. `step`: the call whose result it takes back.
    pub(crate) fn wake_read(&self, step: Step) -> Work {
        let kind = EffectKind::Cpu {
            on_thread: false,
            syscall: Syscall::Read,
        };
        Work::new(self, kind, step, SimTime::ZERO)
    }

    /// An I/O call lasting `duration`. Awaited, it gives the worker's loop away until it completes
    /// (even when it takes no time, like `asyncio.sleep(0)`); not awaited, it is a blocking call.
    pub fn call(&self, step: Step, duration: SimTime, awaited: bool) -> Work {
        Work::new(self, EffectKind::Io { awaited }, step, duration)
    }

    /// A connection from this worker's database pool for `step`, waiting FIFO when none is free; dropping the
    /// returned guard gives it back.
    pub fn connection(&self, step: Step, awaited: bool) -> Acquire {
        Acquire::new(
            self,
            step,
            EffectKind::Connection { awaited },
            Resource::Connection,
        )
    }

    /// A thread from this worker's pool for a call on `step`: asyncio's default executor
    /// (`to_thread`) or the pool of `run_in_threadpool`, waiting FIFO (with the loop free) when
    /// none is free; dropping the returned guard gives it back.
    pub fn thread(&self, to_thread: bool, step: Step) -> Acquire {
        let pool = if to_thread {
            Resource::ToThread
        } else {
            Resource::Threadpool
        };
        Acquire::new(self, step, EffectKind::Thread, pool)
    }

    /// Runs `calls` concurrently (`asyncio.gather`); done when every one is.
    pub fn gather(&self, calls: Vec<TaskFuture>) -> Gather {
        Gather {
            ctx: Rc::clone(&self.ctx),
            line: None,
            calls: calls.into_iter().map(|f| (Some(f), None)).collect(),
        }
    }

    /// Ends the run with a mistake in the code that only running it could find.
    pub fn fail(&self, error: CodeError) {
        self.ctx.error.borrow_mut().get_or_insert(error);
    }

    /// The status the request's response will have when it ends (200 unless this says).
    pub fn respond(&self, status: u16) {
        let status = (status != 200).then_some(status);
        self.ctx.statuses.borrow_mut().set(self.student, status);
    }

    /// A logging record below the level: counted, not written.
    pub fn hide_log(&self) {
        self.ctx.log_hidden.set(self.ctx.log_hidden.get() + 1);
    }

    /// A line the request prints now (past [`MAX_LOG_LINES`] in the run, none is kept).
    pub fn print(&self, text: String) {
        let mut log = self.ctx.log.borrow_mut();
        if log.len() < MAX_LOG_LINES {
            log.push(LogLine {
                student: self.student,
                at: self.now(),
                text,
            });
        }
    }
}

/// What one of several concurrent calls waits on: the effect it reported last.
#[derive(Clone, Copy, Debug)]
struct Wait {
    kind: EffectKind,
    step: Step,
    until: Option<SimTime>,
}

/// A future for several calls at once ([`Io::gather`]). The request is in one state at a time:
/// after each poll it reports the call that claims the worker most (CPU work, then a blocking
/// call), else the wait of the call that ends last (a wait of unknown end, such as for a
/// connection, counts as last); ties go to the later argument.
pub struct Gather {
    ctx: Rc<Ctx>,
    /// The `gather`'s own line: its calls are in flight there, whatever lines they were made on.
    line: Option<NonZeroU16>,
    calls: Vec<(Option<TaskFuture>, Option<Wait>)>,
}

impl Gather {
    /// The same operation, recorded as on `line` of the handler's source text (from 1; 0 is
    /// no line).
    #[inline(always)]
    pub fn on_line(mut self, line: u16) -> Self {
        self.line = NonZeroU16::new(line);
        self
    }
}

impl Future for Gather {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        for (call, wait) in &mut this.calls {
            let Some(future) = call else { continue };
            let before = this.ctx.effects.borrow().len();
            if future.as_mut().poll(cx).is_ready() {
                *call = None;
                *wait = None;
            } else if let Some(e) = this.ctx.effects.borrow()[before..].last() {
                *wait = Some(Wait {
                    kind: e.kind,
                    step: e.step,
                    until: e.wake_at.as_ref().map(|(t, _)| *t),
                });
            }
        }
        if this.calls.iter().all(|(call, _)| call.is_none()) {
            return Poll::Ready(());
        }
        let shown = this
            .calls
            .iter()
            .filter_map(|(call, wait)| call.as_ref().and(*wait))
            .max_by_key(|w| (w.kind.claim(), w.until.unwrap_or(SimTime::MAX)));
        if let Some(w) = shown {
            this.ctx.push(Effect {
                kind: w.kind,
                step: w.step,
                line: this.line.map(NonZeroU16::get),
                wake_at: None,
                done: None,
                // The loop resumes a gather (its calls' threads hand back through it).
                on_thread: false,
            });
        }
        Poll::Pending
    }
}

/// A future for one operation that takes simulated time ([`Io::compute`], [`Io::call`]).
pub struct Work {
    ctx: Rc<Ctx>,
    kind: EffectKind,
    step: Step,
    line: Option<NonZeroU16>,
    duration: SimTime,
    deadline: Option<SimTime>,
    /// CPU work: whether the executor has run all of it.
    done: Option<Rc<Cell<bool>>>,
    on_thread: bool,
}

impl Work {
    // Inlined, as it was before it took a line, into the calls that make one (`opt-level = "z"`
    // stopped doing so by itself).
    #[inline(always)]
    fn new(io: &Io, kind: EffectKind, step: Step, duration: SimTime) -> Work {
        Work {
            ctx: Rc::clone(&io.ctx),
            kind,
            step,
            line: None,
            duration,
            deadline: None,
            done: None,
            on_thread: io.on_thread,
        }
    }

    /// The same operation, recorded as on `line` of the handler's source text (from 1; 0 is
    /// no line).
    #[inline(always)]
    pub fn on_line(mut self, line: u16) -> Self {
        self.line = NonZeroU16::new(line);
        self
    }
}

impl Future for Work {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let now = this.ctx.now.get();
        match this.deadline {
            // Like tokio's `Sleep`: done once the clock has reached the deadline, whoever polls.
            // CPU work ends when the executor says: sharing the lock or the cores, later than
            // its deadline.
            Some(deadline) => {
                let done = this.done.as_ref().map_or(now >= deadline, |d| d.get());
                if done {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }
            None => {
                // A socket call with no CPU of its own still gives the lock up and waits to
                // take it back ([`Io::wake_read`]).
                let yields = this.kind == EffectKind::Io { awaited: true }
                    || matches!(this.kind, EffectKind::Cpu { syscall, .. } if syscall != Syscall::None);
                if this.duration == SimTime::ZERO && !yields {
                    return Poll::Ready(());
                }
                let deadline = now + this.duration;
                this.deadline = Some(deadline);
                if matches!(this.kind, EffectKind::Cpu { .. }) {
                    this.done = Some(Rc::default());
                }
                this.ctx.push(Effect {
                    kind: this.kind,
                    step: this.step,
                    line: this.line.map(NonZeroU16::get),
                    wake_at: Some((deadline, cx.waker().clone())),
                    done: this.done.clone(),
                    on_thread: this.on_thread,
                });
                Poll::Pending
            }
        }
    }
}
