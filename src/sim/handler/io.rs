//! What a handler can do to the simulated world: [`Io`] and the futures it returns (CPU work, I/O
//! calls, queries on `seats_left`, a database connection), and the context they share with the
//! executor. They report what they wait for as effects and wake through their `Waker`; they never
//! move the clock themselves.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use super::Step;
use crate::sim::seats::{ApplyOnWake, Query, SeatOpKind, Seats, SharedSeats};
use crate::sim::time::SimTime;

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
