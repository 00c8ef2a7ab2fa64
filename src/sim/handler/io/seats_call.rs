//! A query on `seats_left` as a future: an I/O call whose effect on the cell happens when its
//! timer fires, in timer order.

use std::future::Future;
use std::num::NonZeroU16;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Waker};

use super::{Effect, EffectKind, Io, Step};
use crate::sim::seats::{ApplyOnWake, Query, QueryResult, SeatOpKind, Update};
use crate::sim::time::SimTime;

/// A future for one query on `seats_left` ([`Io::read_seats`], [`Io::write_seats`]): an I/O call
/// whose effect on the cell happens when its timer fires, in timer order.
pub struct SeatsCall {
    io: Io,
    kind: SeatOpKind,
    update: Update,
    duration: SimTime,
    awaited: bool,
    result: Option<QueryResult>,
    line: Option<NonZeroU16>,
}

impl SeatsCall {
    pub(super) fn new(
        io: &Io,
        kind: SeatOpKind,
        update: Update,
        duration: SimTime,
        awaited: bool,
    ) -> SeatsCall {
        SeatsCall {
            io: io.clone(),
            kind,
            update,
            duration,
            awaited,
            result: None,
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

impl Future for SeatsCall {
    type Output = (u32, u32);

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<(u32, u32)> {
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
            update: this.update,
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
            line: this.line.map(NonZeroU16::get),
            wake_at: Some((query.at, waker)),
            done: None,
            on_thread: this.io.on_thread,
        });
        Poll::Pending
    }
}
