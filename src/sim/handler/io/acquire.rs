//! Waiting for something a pool hands out (a database connection, a pool thread, an asyncio
//! lock's permit, the row lock): first come, first served, the loop free or held meanwhile as
//! the wait's kind says; dropping what was handed out gives it back.

use std::cell::Cell;
use std::collections::VecDeque;
use std::future::Future;
use std::num::NonZeroU16;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::{Ctx, Effect, EffectKind, Io, Pool, Resource, Step, Waiter};
use crate::sim::store::Shared;
use crate::sim::time::SimTime;

/// A future for a database connection ([`Io::connection`]) or a pool thread ([`Io::thread`]).
pub struct Acquire {
    io: Io,
    step: Step,
    kind: EffectKind,
    resource: Resource,
    waiter: Option<Rc<Waiter>>,
    line: Option<NonZeroU16>,
}

impl Acquire {
    /// A wait of `kind` for `resource`, for a call on `step`.
    pub(super) fn new(io: &Io, step: Step, kind: EffectKind, resource: Resource) -> Acquire {
        Acquire {
            io: io.clone(),
            step,
            kind,
            resource,
            waiter: None,
            line: None,
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

/// A database connection (or a pool thread) held by a request; dropping it returns it to the
/// pool.
pub struct Connection {
    io: Io,
    resource: Resource,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.io.ctx.release(self.resource, self.io.worker);
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
                    resource: this.resource,
                });
            }
            *waiter.waker.borrow_mut() = Some(cx.waker().clone());
            return Poll::Pending;
        }
        let i = this.io.ctx.pool_index(this.resource, this.io.worker);
        let mut pools = this.io.ctx.pools.borrow_mut();
        let pool = &mut pools[i];
        if pool.available > 0 {
            pool.take(this.io.ctx.now.get());
            drop(pools);
            return Poll::Ready(Connection {
                io: this.io.clone(),
                resource: this.resource,
            });
        }
        let waiter = Rc::new(Waiter {
            granted: Cell::new(false),
            waker: Shared::new(Some(cx.waker().clone())),
        });
        pool.waiters.push_back(Rc::clone(&waiter));
        drop(pools);
        this.waiter = Some(waiter);
        this.io.ctx.push(Effect {
            kind: this.kind,
            step: this.step,
            line: this.line.map(NonZeroU16::get),
            wake_at: None,
            done: None,
            // A thread of asyncio's executor that frees up takes the next call queued for it
            // itself; anyio's (`run_in_threadpool`) hands its token over on the loop.
            on_thread: this.io.on_thread || this.resource == Resource::ToThread,
        });
        Poll::Pending
    }
}

impl Drop for Acquire {
    /// A cancelled wait leaves the queue, and a connection granted but never taken goes back.
    fn drop(&mut self) {
        if let Some(waiter) = self.waiter.take() {
            if waiter.granted.get() {
                self.io.ctx.release(self.resource, self.io.worker);
            } else {
                let i = self.io.ctx.pool_index(self.resource, self.io.worker);
                let mut pools = self.io.ctx.pools.borrow_mut();
                pools[i].waiters.retain(|w| !Rc::ptr_eq(w, &waiter));
            }
        }
    }
}

impl Pool {
    pub(super) fn new(size: u32) -> Pool {
        Pool {
            size,
            available: size,
            waiters: VecDeque::new(),
            used: 0,
        }
    }

    /// A unit handed out at `now` (a waiter's turn is handed over, and is not counted here).
    fn take(&mut self, now: SimTime) {
        self.available -= 1;
        self.used -= now.as_micros() as i64;
    }

    /// A unit back at `now`, with nobody waiting for it.
    pub(super) fn give_back(&mut self, now: SimTime) {
        self.available = self.available.saturating_add(1);
        self.used += now.as_micros() as i64;
    }
}

/// What a pool hands out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pooled {
    /// Database connections (`db_pool`), one pool per worker process.
    Connections,
    /// The threads serving `def` handlers and `run_in_threadpool` (`threads`), per worker.
    Threads,
    /// asyncio's default executor, for `asyncio.to_thread`, per worker.
    ToThread,
    /// The database's row lock: one for every worker.
    RowLock,
    /// A module's `asyncio.Lock` or `Semaphore`, per worker.
    Lock,
}

/// How much of one pool a finished run used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolUse {
    pub kind: Pooled,
    /// Units it hands out (`u32::MAX`: unlimited).
    pub size: u32,
    /// The time its units were in use, added up.
    pub used: SimTime,
}

impl Ctx {
    /// Every pool's use, as [`Ctx::pool_index`] lays the pools out (kind by kind, worker by
    /// worker). Only once the run is over is every unit back and each `used` whole: before,
    /// a unit still out counts minus the moment it was taken.
    pub(crate) fn pool_use(&self) -> Vec<PoolUse> {
        let workers = self.workers as usize;
        let pools = self.pools.borrow();
        pools
            .iter()
            .enumerate()
            .map(|(i, pool)| PoolUse {
                kind: match i / workers.max(1) {
                    _ if i == 3 * workers => Pooled::RowLock,
                    0 => Pooled::Connections,
                    1 => Pooled::Threads,
                    2 => Pooled::ToThread,
                    _ => Pooled::Lock,
                },
                size: pool.size,
                used: SimTime::from_micros(pool.used.max(0) as u64),
            })
            .collect()
    }
}
