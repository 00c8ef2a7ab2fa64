//! One instant of a run: fire the due timers, admit the due arrivals, then deliver wakes,
//! dispatch the accept queue and poll, until nothing is runnable; then, with `overflow=reject`,
//! turn away whoever is still queued. Spans are opened and closed here; the clock never moves here.

use std::rc::Rc;
use std::sync::{Arc, PoisonError};
use std::task::{Context, Poll, Waker};

use super::{Due, Executor, SimError, Slot, SlotStatus, TaskWaker, Timer};
use crate::sim::handler::{EffectKind, Io, Job, Step};
use crate::sim::scenario::{Mode, Overflow};
use crate::sim::time::SimTime;
use crate::sim::trace::{State, WorkerSpan};

impl Executor {
    pub(super) fn process_instant(&mut self) -> Result<(), SimError> {
        while self.timers.peek().is_some_and(|t| t.deadline <= self.now) {
            if let Some(timer) = self.timers.pop() {
                match timer.due {
                    Due::Wake(waker) => {
                        self.count_step()?;
                        waker.wake();
                    }
                    // Counted apart: a long CPU job shared in slices takes many.
                    Due::Cpu { worker, generation } => self.cpu_due(worker as usize, generation)?,
                }
            }
        }
        while let Some(id) = self.workload.order.get(self.next_arrival as usize) {
            if self.workload.arrival[*id as usize] > self.now {
                break;
            }
            self.next_arrival += 1;
        }
        loop {
            self.deliver_wakes();
            self.dispatch();
            let mut progressed = false;
            // Polling wakes nobody (wakes wait in `woken`), so the list does not grow meanwhile.
            let mut on_threads = std::mem::take(&mut self.on_threads);
            for &s in &on_threads {
                self.poll_slot(s)?;
                progressed = true;
            }
            on_threads.clear();
            self.on_threads = on_threads;
            for w in 0..self.workers.len() {
                // A request runs its next line only with the interpreter lock, in its turn.
                let lock_free = self.workers[w].holder.is_none()
                    && !self.workers[w].resume
                    && self.gil_ready_turn(w);
                let worker = &mut self.workers[w];
                let next = if worker.resume {
                    worker.resume = false;
                    let slot = worker.holder.take();
                    if let Some((start, student, state, step)) = worker.held.take() {
                        worker.busy.add(state, (self.now - start).as_micros());
                        if self.record && self.now > start {
                            worker.spans.push(WorkerSpan {
                                start,
                                end: self.now,
                                student,
                                state,
                                step,
                            });
                        }
                    }
                    slot
                } else if lock_free {
                    worker.ready.pop_front()
                } else {
                    None
                };
                if let Some(slot) = next {
                    if lock_free {
                        self.gil_took_ready(w);
                    }
                    self.poll_slot(slot)?;
                    progressed = true;
                    // Those still ready wait for the lock if the request took it.
                    self.gil_contend(w);
                } else if self.gil_next(w) {
                    progressed = true;
                }
            }
            if !progressed {
                self.reject_overflow();
                return Ok(());
            }
        }
    }

    /// With `overflow=reject`, rejects the students left in the accept queue once the instant is
    /// settled. They all arrived in this instant (the queue is empty between instants) and found
    /// no room, not even a slot freed in this instant by a request that finished then.
    fn reject_overflow(&mut self) {
        if self.overflow != Overflow::Reject {
            return;
        }
        while self.next_accept < self.next_arrival {
            let student = self.workload.order[self.next_accept as usize];
            self.next_accept += 1;
            let rec = &mut self.students[student as usize];
            rec.rejected = true;
            rec.first_span = self.spans.len() as u32;
            self.rejected += 1;
        }
    }

    /// The state a task waits in when it is ready but not running.
    fn ready_state(&self) -> State {
        if self.mode == Mode::Threadpool {
            State::ThreadWait
        } else {
            State::Ready
        }
    }

    fn deliver_wakes(&mut self) {
        let mut woken = std::mem::take(&mut self.woken_scratch);
        std::mem::swap(
            &mut woken,
            &mut *self.woken.lock().unwrap_or_else(PoisonError::into_inner),
        );
        let ready_state = self.ready_state();
        for (s, generation) in woken.drain(..) {
            let slot = &mut self.slots[s as usize];
            if slot.generation != generation {
                continue;
            }
            match slot.status {
                SlotStatus::Waiting {
                    holds_lane: false,
                    on_thread: true,
                } => {
                    slot.status = SlotStatus::Scheduled;
                    self.on_threads.push(s);
                }
                SlotStatus::Waiting {
                    holds_lane: true, ..
                } => {
                    let worker = &mut self.workers[slot.worker as usize];
                    if worker.holder == Some(s) {
                        worker.resume = true;
                    }
                }
                SlotStatus::Waiting {
                    holds_lane: false, ..
                } => {
                    slot.status = SlotStatus::Scheduled;
                    let (step, line, w) = (slot.step, slot.line, slot.worker as usize);
                    let ready = &mut self.workers[w].ready;
                    if std::mem::take(&mut slot.first) {
                        ready.push_front(s);
                    } else {
                        ready.push_back(s);
                    }
                    self.set_state(s, ready_state, step, line);
                    self.gil_contend(w);
                }
                // Already scheduled or running: the wake has nothing to add.
                _ => {}
            }
        }
        self.woken_scratch = woken;
    }

    fn dispatch(&mut self) {
        while self.next_accept < self.next_arrival {
            let mut best: Option<usize> = None;
            for (i, w) in self.workers.iter().enumerate() {
                if w.in_flight < self.capacity
                    && best.is_none_or(|b| w.in_flight < self.workers[b].in_flight)
                {
                    best = Some(i);
                }
            }
            let Some(w) = best else { return };
            self.accept(w as u32);
        }
    }

    fn accept(&mut self, w: u32) {
        let student = self.workload.order[self.next_accept as usize];
        self.next_accept += 1;
        let s = match self.free_slots.pop() {
            Some(s) => s,
            None => {
                let s = self.slots.len() as u32;
                self.slots.push(Slot {
                    student,
                    worker: w,
                    generation: 0,
                    future: None,
                    waker: Waker::noop().clone(),
                    status: SlotStatus::Free,
                    state: State::Queued,
                    step: None,
                    line: None,
                    since: SimTime::ZERO,
                    spans: Vec::new(),
                    first: false,
                });
                s
            }
        };
        let [first, second] = self.handler.io_steps;
        let [first_io, second_io] = self.workload.io[student as usize];
        let job = Job {
            student,
            cpu: self.cpu,
            io: [(first, first_io), (second, second_io)],
            await_database: self.await_database,
            await_email: self.await_email,
        };
        // A `def` endpoint's code runs on a pool thread; the framework's moves to the loop.
        let on_thread = self.mode == Mode::Threadpool;
        let io = Io::new(Rc::clone(&self.ctx), w, student, on_thread);
        let future = (self.handler.start)(io, job);
        let arrival = self.workload.arrival[student as usize];
        let woken = Arc::clone(&self.woken);
        let slot = &mut self.slots[s as usize];
        slot.generation = slot.generation.wrapping_add(1);
        slot.waker = Waker::from(Arc::new(TaskWaker {
            slot: s,
            generation: slot.generation,
            woken,
        }));
        slot.student = student;
        slot.worker = w;
        slot.future = Some(future);
        slot.status = SlotStatus::Scheduled;
        slot.state = State::Queued;
        slot.step = None;
        slot.line = None;
        slot.since = arrival;
        slot.spans.clear();
        let rec = &mut self.students[student as usize];
        rec.accepted = Some(self.now);
        rec.worker = Some(w);
        let worker = &mut self.workers[w as usize];
        worker.in_flight += 1;
        worker.ready.push_back(s);
        let ready_state = self.ready_state();
        let (first_step, first_line) = (self.handler.first_step, self.handler.first_line);
        self.set_state(s, ready_state, Some(first_step), first_line);
        self.gil_contend(w as usize);
    }

    /// Moves a task into a new state (on a step and a line) at the current time, closing its
    /// previous span.
    pub(super) fn set_state(
        &mut self,
        s: u32,
        state: State,
        step: Option<Step>,
        line: Option<u16>,
    ) {
        let now = self.now;
        let record = self.record;
        let slot = &mut self.slots[s as usize];
        if slot.state == state && slot.step == step && slot.line == line {
            return;
        }
        if record && now == slot.since {
            // The current span is empty. If the state goes back to what the last recorded span
            // was (ready, a zero-length await, ready again), reopen that span: spans stay maximal.
            if let Some(last) = slot.spans.last() {
                if last.end == now && last.state == state && last.step == step && last.line == line
                {
                    slot.since = last.start;
                    slot.spans.pop();
                    slot.state = state;
                    slot.step = step;
                    slot.line = line;
                    return;
                }
            }
        }
        if record {
            slot.close_span(now);
        }
        slot.state = state;
        slot.step = step;
        slot.line = line;
        slot.since = now;
    }

    /// What an effect means in this mode: the state it puts the task in, and whether the task
    /// keeps its worker's lane meanwhile.
    fn interpret(&self, kind: EffectKind) -> (State, bool) {
        // In threadpool mode blocking calls release the interpreter lock, as Python's I/O does.
        let blocking_holds = self.mode != Mode::Threadpool;
        match kind {
            // On the loop (or a blocking worker's one thread) the lane is taken; a pool thread's
            // or, in threadpool mode, the loop's CPU only needs the interpreter lock.
            EffectKind::Cpu { on_thread, .. } => (State::Running, !on_thread && blocking_holds),
            EffectKind::Io { awaited: true } => (State::AwaitingIo, false),
            EffectKind::Io { awaited: false } => (State::Blocked, blocking_holds),
            EffectKind::Connection { awaited } => {
                (State::WaitingConnection, !awaited && blocking_holds)
            }
            EffectKind::Thread => (State::WaitingThread, false),
            EffectKind::Lock { awaited } => (State::WaitingLock, !awaited && blocking_holds),
            EffectKind::RowLock { awaited } => (State::WaitingRowLock, !awaited && blocking_holds),
        }
    }

    fn poll_slot(&mut self, s: u32) -> Result<(), SimError> {
        self.count_step()?;
        let idx = s as usize;
        let Some(mut future) = self.slots[idx].future.take() else {
            return Ok(());
        };
        self.slots[idx].status = SlotStatus::Running;
        self.ctx.set_now(self.now);
        let poll = {
            let mut cx = Context::from_waker(&self.slots[idx].waker);
            future.as_mut().poll(&mut cx)
        };
        if let Some(e) = self.ctx.take_error() {
            return Err(SimError::Code(e));
        }
        match poll {
            Poll::Ready(()) => {
                // Dropping the finished future runs no code that matters, but do it before the
                // slot can be reused.
                drop(future);
                self.finish(s);
            }
            Poll::Pending => {
                self.slots[idx].future = Some(future);
                let mut effects = std::mem::take(&mut self.effects_scratch);
                self.ctx.take_effects(&mut effects);
                let mut holds_lane = false;
                let mut on_thread = self.mode != Mode::Threadpool;
                let mut next = None;
                for effect in effects.drain(..) {
                    match (effect.wake_at, effect.done, effect.kind) {
                        // CPU work: its end depends on the lock and the cores.
                        (
                            Some((deadline, waker)),
                            Some(done),
                            EffectKind::Cpu { on_thread, syscall },
                        ) => {
                            let work = deadline - self.now;
                            let (step, line) = (effect.step, effect.line);
                            let at = (!on_thread, syscall);
                            self.cpu_start(s, at, work, step, line, (waker, done));
                        }
                        (Some((deadline, waker)), _, _) => {
                            self.seq += 1;
                            self.timers.push(Timer {
                                deadline,
                                seq: self.seq,
                                due: Due::Wake(waker),
                            });
                        }
                        _ => {}
                    }
                    let (state, holds) = self.interpret(effect.kind);
                    holds_lane |= holds;
                    on_thread &= effect.on_thread;
                    next = Some((state, effect.step, effect.line));
                }
                self.effects_scratch = effects;
                // A future pending without an effect waits on something outside the model: the
                // lane is freed and the state kept.
                if let Some((state, step, line)) = next {
                    self.set_state(s, state, Some(step), line);
                    if holds_lane {
                        let slot = &self.slots[idx];
                        let worker = &mut self.workers[slot.worker as usize];
                        worker.holder = Some(s);
                        // CPU time is recorded by the interpreter lock, slice by slice.
                        if state != State::Running {
                            worker.held = Some((self.now, slot.student, state, step));
                        }
                    }
                    self.cpu_refresh(s);
                }
                on_thread &= next.is_some();
                self.slots[idx].status = SlotStatus::Waiting {
                    holds_lane,
                    on_thread,
                };
            }
        }
        Ok(())
    }

    fn finish(&mut self, s: u32) {
        let now = self.now;
        let record = self.record;
        let slot = &mut self.slots[s as usize];
        if record {
            slot.close_span(now);
        }
        let rec = &mut self.students[slot.student as usize];
        rec.finish = Some(now);
        rec.first_span = self.spans.len() as u32;
        rec.span_count = slot.spans.len() as u32;
        self.spans.append(&mut slot.spans);
        slot.status = SlotStatus::Free;
        slot.waker = Waker::noop().clone();
        self.workers[slot.worker as usize].in_flight -= 1;
        self.free_slots.push(s);
        self.completed += 1;
        self.last_finish = self.last_finish.max(now);
    }
}
