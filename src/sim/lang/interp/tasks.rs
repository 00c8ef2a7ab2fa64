//! Coroutines and tasks: a coroutine made by calling an async function runs when awaited, once;
//! `asyncio.create_task` starts one as a task of its own on the worker's loop, which runs while
//! the handler goes on, and `await task` waits for its result (as many times as asked). The
//! request's [`Join`](crate::sim::handler::Join) polls the tasks beside the handler.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::calls::{execute, Op};
use super::{error, Value};
use crate::sim::handler::{Io, Spawned};
use crate::sim::lang::code::Call;
use crate::sim::lang::parser::Pos;
use crate::sim::lang::Fail;

/// A task's result once it has ended.
pub(super) type Outcome = Rc<Cell<Option<Value>>>;

/// Starts `op` as a task of the request; its result lands in the returned cell.
pub(super) fn spawn(io: &Io, spawned: &Spawned, op: Op) -> Outcome {
    let outcome: Outcome = Rc::new(Cell::new(None));
    let (io, done) = (io.clone(), Rc::clone(&outcome));
    spawned.borrow_mut().push(Box::pin(async move {
        let v = execute(&io, op).await;
        done.set(Some(v));
    }));
    outcome
}

/// Whether a task of the request is still running (the response then goes before the work
/// ends, as with `BackgroundTasks`).
pub(super) fn any_running(tasks: &[Outcome]) -> bool {
    tasks.iter().any(|t| t.get().is_none())
}

/// Waits for a task's result: pending, with nothing of its own to show, until the task ends
/// (the join polls the handler again then).
pub(super) struct Done(pub(super) Outcome);

impl Future for Done {
    type Output = Value;

    fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Value> {
        match self.0.get() {
            Some(v) => Poll::Ready(v),
            None => Poll::Pending,
        }
    }
}

/// A coroutine made and not awaited yet.
#[derive(Clone, Copy, Debug)]
pub(super) struct Coro {
    pub(super) call: Call,
    pub(super) args: [Value; 2],
    pub(super) awaited: bool,
    /// Started as a task (`asyncio.create_task`): its index among the request's tasks.
    pub(super) task: Option<u32>,
}

/// The task `v` was started as, if it was one.
pub(super) fn started(coros: &[Coro], v: Value) -> Option<usize> {
    match v {
        Value::Coro(i) => coros[i as usize].task.map(|t| t as usize),
        _ => None,
    }
}

pub(super) fn take_coro(coros: &mut [Coro], v: Value, pos: Pos) -> Result<Coro, Fail> {
    let Value::Coro(i) = v else {
        return error(
            pos,
            "TypeError: this value can't be used in 'await' expression",
        );
    };
    let coro = &mut coros[i as usize];
    if coro.awaited {
        return error(pos, "RuntimeError: cannot reuse already awaited coroutine");
    }
    coro.awaited = true;
    Ok(*coro)
}
