//! What a run produced, read off the executor: its metrics, and its trace (complete, or cut at the
//! clock). Nothing here advances the run.

use crate::sim::metrics::{self, Busy, Metrics, Times};
use crate::sim::time::SimTime;
use crate::sim::trace::{Span, State, StudentTrace, Trace, WorkerSpan, WorkerTrace};

use super::{Executor, SlotStatus};

impl Executor {
    /// The moment the metrics describe: the last completion once finished (never a rejection,
    /// which happens only while every slot is held by a request that finishes later), else the
    /// clock.
    fn end(&self) -> SimTime {
        if self.is_finished() {
            self.last_finish
        } else {
            self.now
        }
    }

    fn times(&self) -> impl Iterator<Item = Times> + '_ {
        self.students
            .iter()
            .zip(&self.workload.arrival)
            .zip(0u32..)
            .map(|((rec, arrival), id)| Times {
                arrival: *arrival,
                accepted: rec.accepted,
                finish: rec.finish,
                responded: self.ctx.responded(id),
                rejected: rec.rejected,
            })
    }

    /// How much of each pool (connections, threads, locks) the run used, pool by pool: whole
    /// once [`Executor::run`] is over.
    pub fn pool_use(&self) -> Vec<crate::sim::handler::PoolUse> {
        self.ctx.pool_use()
    }

    /// The metrics at the end of the run (or at the clock, if unfinished). Works with or without
    /// recorded spans and equals the trace's metrics.
    pub fn metrics(&self) -> Metrics {
        let end = self.end();
        let mut busy = Busy::default();
        for (i, w) in self.workers.iter().enumerate() {
            busy += w.busy;
            if let Some((start, _, state, _)) = w.held {
                busy.add(state, (end - start).as_micros());
            }
            if let Some((start, _, _)) = self.cores.open_slice(i) {
                busy.add(State::Running, (end - start).as_micros());
            }
        }
        metrics::compute(end, self.workers.len() as u32, &mut self.times(), busy)
    }

    /// The trace so far: complete after [`Executor::run`]; otherwise requests in progress have no
    /// finish and their current span ends at the clock.
    pub fn into_trace(mut self) -> Trace {
        let end = self.end();
        if !self.is_finished() && self.record {
            for slot in &mut self.slots {
                if slot.status == SlotStatus::Free {
                    continue;
                }
                if end > slot.since {
                    slot.spans.push(Span {
                        start: slot.since,
                        end,
                        state: slot.state,
                        step: slot.step,
                        line: slot.line,
                    });
                }
                let rec = &mut self.students[slot.student as usize];
                rec.first_span = self.spans.len() as u32;
                rec.span_count = slot.spans.len() as u32;
                self.spans.append(&mut slot.spans);
            }
            for i in self.next_accept..self.next_arrival {
                let id = self.workload.order[i as usize];
                let arrival = self.workload.arrival[id as usize];
                let rec = &mut self.students[id as usize];
                rec.first_span = self.spans.len() as u32;
                rec.span_count = u32::from(end > arrival);
                if end > arrival {
                    self.spans.push(Span {
                        start: arrival,
                        end,
                        state: State::Queued,
                        step: None,
                        line: None,
                    });
                }
            }
            for (i, w) in self.workers.iter_mut().enumerate() {
                let slice = self
                    .cores
                    .open_slice(i)
                    .map(|(start, student, step)| (start, student, State::Running, step));
                for (start, student, state, step) in w.held.into_iter().chain(slice) {
                    if end > start {
                        w.spans.push(WorkerSpan {
                            start,
                            end,
                            student,
                            state,
                            step,
                        });
                    }
                }
            }
        }
        let statuses = self.ctx.take_statuses();
        let students = self
            .students
            .iter()
            .zip(&self.workload.arrival)
            .enumerate()
            .map(|(id, (rec, arrival))| StudentTrace {
                id: id as u32,
                arrival: *arrival,
                accepted: rec.accepted,
                worker: rec.worker,
                finish: rec.finish,
                rejected: rec.rejected,
                status: if rec.rejected {
                    503
                } else {
                    statuses.get(id as u32).unwrap_or(200)
                },
                responded: self.ctx.responded(id as u32),
                first_span: rec.first_span,
                span_count: rec.span_count,
            })
            .collect();
        let workers = self
            .workers
            .iter_mut()
            .enumerate()
            .map(|(id, w)| WorkerTrace {
                id: id as u32,
                spans: std::mem::take(&mut w.spans),
            })
            .collect();
        let mut trace = Trace {
            scenario: self.scenario.clone(),
            students,
            spans: std::mem::take(&mut self.spans),
            workers,
            end,
            complete: self.is_finished(),
            metrics: Metrics::default(),
            seats: {
                let seats = self.ctx.seats();
                (self.handler.uses_seats || seats.is_used()).then(|| seats.record())
            },
            log: Vec::new(),
            log_hidden: 0,
        };
        (trace.log, trace.log_hidden) = self.ctx.take_log();
        trace.metrics = if self.record {
            trace.metrics_at(end)
        } else {
            self.metrics()
        };
        trace
    }
}
