//! A request with tasks of its own (`asyncio.create_task`): the handler and the tasks it starts
//! run concurrently on the worker's loop, and the request ends when all of them have. As with
//! `gather`, the request is in one state at a time: the one that claims the worker most.

use crate::sim::store::Shared;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::{Ctx, Effect, Io, Wait};
use crate::sim::handler::TaskFuture;
use crate::sim::time::SimTime;

/// The tasks a handler started and the join has not taken up yet.
pub type Spawned = Rc<Shared<Vec<TaskFuture>>>;

/// A future of the request and what it waits on last: its kind and its line.
type Running = (TaskFuture, Option<(Wait, Option<u16>)>);

/// A future for a handler and the tasks it starts ([`Io::join`]).
pub struct Join {
    ctx: Rc<Ctx>,
    handler: Option<Running>,
    spawned: Spawned,
    tasks: Vec<Running>,
}

impl Io {
    /// Runs `handler` and every task it adds to `spawned`, concurrently; done when all are.
    pub fn join(&self, handler: TaskFuture, spawned: Spawned) -> Join {
        Join {
            ctx: Rc::clone(&self.ctx),
            handler: Some((handler, None)),
            spawned,
            tasks: Vec::new(),
        }
    }
}

/// Polls `future`, keeping what it waits on; whether it is done.
fn poll_one(
    ctx: &Ctx,
    future: &mut TaskFuture,
    wait: &mut Option<(Wait, Option<u16>)>,
    cx: &mut Context<'_>,
) -> bool {
    let before = ctx.effects.borrow().len();
    if future.as_mut().poll(cx).is_ready() {
        return true;
    }
    if let Some(e) = ctx.effects.borrow()[before..].last() {
        let w = Wait {
            kind: e.kind,
            step: e.step,
            until: e.wake_at.as_ref().map(|(t, _)| *t),
        };
        *wait = Some((w, e.line));
    }
    false
}

impl Future for Join {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        loop {
            if let Some((handler, wait)) = &mut this.handler {
                if poll_one(&this.ctx, handler, wait, cx) {
                    this.handler = None;
                }
            }
            // A task starts once the handler gives the loop away, in the same instant.
            this.tasks
                .extend(this.spawned.borrow_mut().drain(..).map(|f| (f, None)));
            let before = this.tasks.len();
            this.tasks
                .retain_mut(|(task, wait)| !poll_one(&this.ctx, task, wait, cx));
            // A task that ended may be what the handler awaits: it goes on at once.
            if this.tasks.len() == before || this.handler.is_none() {
                break;
            }
        }
        if this.handler.is_none() && this.tasks.is_empty() {
            return Poll::Ready(());
        }
        let shown = this
            .handler
            .iter()
            .chain(&this.tasks)
            .filter_map(|(_, wait)| *wait)
            .max_by_key(|(w, _)| (w.kind.claim(), w.until.unwrap_or(SimTime::MAX)));
        if let Some((w, line)) = shown {
            this.ctx.push(Effect {
                kind: w.kind,
                step: w.step,
                line,
                wake_at: None,
                done: None,
                on_thread: false,
            });
        }
        Poll::Pending
    }
}
