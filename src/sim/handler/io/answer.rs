//! A response sent before the request's work ends: FastAPI's `BackgroundTasks` run after the
//! response, on the same worker. The student's wait ends at the response; the worker's work
//! goes on. The framework's own part after the handler (writing the response) then happens at
//! the response, not after the background work.

use super::{Ctx, Io, PerStudent};
use crate::sim::handler::Step;
use crate::sim::time::SimTime;

/// Per student: when its response was sent, and the framework's part after the handler that
/// its wrapper left for the response to run.
#[derive(Default)]
pub(super) struct Answers {
    sent: PerStudent<SimTime>,
    deferred: PerStudent<SimTime>,
}

impl Ctx {
    /// When `student`'s response was sent, if it answered before its work ended.
    pub(crate) fn responded(&self, student: u32) -> Option<SimTime> {
        self.answers.borrow().sent.get(student)
    }
}

impl Io {
    /// Leaves the framework's CPU after the handler, `after`, to whoever sends the response:
    /// the handler itself if it answers early ([`Io::answer`]), else the wrapper
    /// ([`Io::take_deferred`]).
    pub fn defer_answer(&self, after: SimTime) {
        self.ctx
            .answers
            .borrow_mut()
            .deferred
            .set(self.student, Some(after));
    }

    /// The framework's part after the handler, if no early response ran it.
    pub fn take_deferred(&self) -> Option<SimTime> {
        self.ctx
            .answers
            .borrow_mut()
            .deferred
            .set(self.student, None)
    }

    /// Sends the response now, before the request's work ends: the framework writes it (its
    /// deferred part, on the loop), and the student's wait ends.
    pub async fn answer(&self) {
        if let Some(after) = self.take_deferred() {
            self.on_thread(false).compute(Step::Framework, after).await;
        }
        let now = self.now();
        self.ctx
            .answers
            .borrow_mut()
            .sent
            .set(self.student, Some(now));
    }
}
