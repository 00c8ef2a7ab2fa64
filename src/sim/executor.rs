//! The cooperative executor: it polls each request's handler future through `Future::poll` with a
//! real `Waker`, on a virtual clock that jumps from one timer to the next. It never reads the wall
//! clock and never sleeps; a run that cannot finish is an error, not a hang.

use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use std::rc::Rc;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll, Wake, Waker};

use super::handler::{
    self, Ctx, Effect, EffectKind, Handler, HandlerDef, Io, Job, Step, TaskFuture,
};
use super::metrics::{self, Metrics, Times};
use super::scenario::{Mode, ParamError, Scenario};
use super::time::SimTime;
use super::trace::{Span, State, StudentTrace, Trace, WorkerSpan, WorkerTrace};
use super::workload::Workload;

/// Why a run could not complete.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimError {
    /// The scenario is out of range; one entry per bad field.
    InvalidScenario(Vec<ParamError>),
    /// The run took more steps (polls plus timer firings) than its limit.
    StepLimit {
        /// The limit that was exceeded.
        limit: u64,
        /// The clock when it was.
        at: SimTime,
    },
    /// Requests are unfinished but nothing is scheduled that could ever wake them.
    Stuck {
        /// The clock when the executor noticed.
        at: SimTime,
        /// How many students had not finished.
        unfinished: u32,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::InvalidScenario(errors) => {
                let parts: Vec<String> = errors.iter().map(ToString::to_string).collect();
                write!(f, "invalid scenario: {}", parts.join("; "))
            }
            SimError::StepLimit { limit, at } => {
                write!(f, "the run exceeded its limit of {limit} steps at t = {at}")
            }
            SimError::Stuck { at, unfinished } => write!(
                f,
                "{unfinished} requests can never finish: nothing is scheduled after t = {at}"
            ),
        }
    }
}

impl std::error::Error for SimError {}

/// A timer: wake this waker at `deadline`. Ties are broken by `seq`, the order of arming, so
/// every platform fires them in the same order.
struct Timer {
    deadline: SimTime,
    seq: u64,
    waker: Waker,
}

impl PartialEq for Timer {
    fn eq(&self, other: &Timer) -> bool {
        (self.deadline, self.seq) == (other.deadline, other.seq)
    }
}

impl Eq for Timer {}

impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Timer) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timer {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest `(deadline, seq)` first.
    fn cmp(&self, other: &Timer) -> std::cmp::Ordering {
        (other.deadline, other.seq).cmp(&(self.deadline, self.seq))
    }
}

/// The waker of one task: waking it queues `(slot, generation)` for the executor. The generation
/// lets the executor ignore a stale waker whose task has finished and whose slot was reused.
struct TaskWaker {
    slot: u32,
    generation: u32,
    woken: Arc<Mutex<Vec<(u32, u32)>>>,
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Single-threaded: the lock is never contended, and a poisoned one still holds valid data.
        self.woken
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push((self.slot, self.generation));
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SlotStatus {
    Free,
    /// In its worker's ready queue.
    Scheduled,
    /// Being polled.
    Running,
    /// Suspended until its waker fires; `holds_lane` if its worker stays occupied meanwhile.
    Waiting {
        holds_lane: bool,
    },
}

/// A request in flight: its future and the span it is currently in.
struct Slot {
    student: u32,
    worker: u32,
    generation: u32,
    future: Option<TaskFuture>,
    waker: Waker,
    status: SlotStatus,
    state: State,
    step: Option<Step>,
    since: SimTime,
    spans: Vec<Span>,
}

impl Slot {
    /// Records the current span as ending at `now`, unless it is empty.
    fn close_span(&mut self, now: SimTime) {
        if now > self.since {
            self.spans.push(Span {
                start: self.since,
                end: now,
                state: self.state,
                step: self.step,
            });
        }
    }
}

/// One worker process. Its "lane" is what can run one piece of Python code at a time: the single
/// thread (blocking), the event loop (async) or the interpreter lock (threadpool).
struct Worker {
    in_flight: u32,
    ready: VecDeque<u32>,
    /// The task suspended while keeping the lane (CPU work, a blocking call).
    holder: Option<u32>,
    /// The holder's waker fired: poll it before anything else.
    resume: bool,
    /// The open occupied stretch: start, student, state, step.
    held: Option<(SimTime, u32, State, Step)>,
    busy: u64,
    spans: Vec<WorkerSpan>,
}

#[derive(Clone, Copy, Debug)]
struct StudentRec {
    accepted: Option<SimTime>,
    worker: Option<u32>,
    finish: Option<SimTime>,
    first_span: u32,
    span_count: u32,
}

/// Steps allowed per student before a run is declared runaway; the default handler needs fewer
/// than ten (polls plus timers).
const STEPS_PER_STUDENT: u64 = 64;

/// The simulation of one scenario, driven step by step or run to the end.
///
/// Semantics (the contract the tests pin):
/// - One FIFO accept queue for all workers. Its head goes, as soon as it arrives or a slot frees,
///   to the worker with the fewest requests in flight that has room (ties: lowest id). Room is 1
///   request when blocking, `concurrency` in async mode, `threads` in threadpool mode.
/// - Each worker has one lane. A task is polled only while its worker's lane is free; a poll runs
///   until the handler awaits something. CPU work and blocking calls keep the lane for their
///   duration (in threadpool mode a blocking call releases the interpreter lock and keeps only its
///   thread). Anything else frees the lane, and the task rejoins the back of its worker's ready
///   queue when its waker fires.
/// - An instant is processed as: fire every timer due now in `(deadline, seq)` order, admit the
///   arrivals due now, then repeat {deliver wakes, dispatch the accept queue, poll one task on each
///   worker in id order} until nothing is runnable. Then the clock jumps to the next timer or
///   arrival.
pub struct Executor {
    mode: Mode,
    capacity: u32,
    handler: HandlerDef,
    record: bool,
    now: SimTime,
    ctx: Rc<Ctx>,
    woken: Arc<Mutex<Vec<(u32, u32)>>>,
    woken_scratch: Vec<(u32, u32)>,
    effects_scratch: Vec<Effect>,
    timers: BinaryHeap<Timer>,
    seq: u64,
    workload: Workload,
    cpu: SimTime,
    await_database: bool,
    await_email: bool,
    /// Students `order[..next_arrival]` have arrived.
    next_arrival: u32,
    /// Students `order[..next_accept]` have been taken by a worker.
    next_accept: u32,
    students: Vec<StudentRec>,
    slots: Vec<Slot>,
    free_slots: Vec<u32>,
    workers: Vec<Worker>,
    spans: Vec<Span>,
    completed: u32,
    last_finish: SimTime,
    total: u32,
    steps: u64,
    step_limit: u64,
    error: Option<SimError>,
    scenario: Scenario,
}

impl Executor {
    /// An executor for `scenario` running the handler it names: the article's
    /// ([`super::handler::register`]) or the race handler ([`super::handler::register_race`]).
    ///
    /// # Errors
    /// [`SimError::InvalidScenario`] if the scenario is out of range.
    pub fn new(scenario: &Scenario) -> Result<Executor, SimError> {
        Executor::with_def(scenario, handler::for_kind(scenario.handler))
    }

    /// An executor running another handler (for other scenes, or to test the executor itself).
    /// Everything but the function itself (first step, drawn I/O calls) is the scenario's
    /// handler's.
    ///
    /// # Errors
    /// [`SimError::InvalidScenario`] if the scenario is out of range.
    pub fn with_handler(scenario: &Scenario, start: Handler) -> Result<Executor, SimError> {
        let def = HandlerDef {
            start,
            ..handler::for_kind(scenario.handler)
        };
        Executor::with_def(scenario, def)
    }

    /// An executor running the handler `def` describes.
    ///
    /// # Errors
    /// [`SimError::InvalidScenario`] if the scenario is out of range.
    pub fn with_def(scenario: &Scenario, def: HandlerDef) -> Result<Executor, SimError> {
        scenario.validate().map_err(SimError::InvalidScenario)?;
        let workload = Workload::draw(scenario, def.io_steps);
        let total = scenario.total_students();
        let workers = (0..scenario.workers)
            .map(|_| Worker {
                in_flight: 0,
                ready: VecDeque::new(),
                holder: None,
                resume: false,
                held: None,
                busy: 0,
                spans: Vec::new(),
            })
            .collect();
        let is_async = scenario.mode == Mode::Async;
        Ok(Executor {
            mode: scenario.mode,
            capacity: scenario.capacity_per_worker(),
            handler: def,
            record: true,
            now: SimTime::ZERO,
            ctx: Rc::new(Ctx::new(
                scenario.workers,
                scenario.db_pool,
                scenario.seats,
                total,
            )),
            woken: Arc::new(Mutex::new(Vec::new())),
            woken_scratch: Vec::new(),
            effects_scratch: Vec::new(),
            timers: BinaryHeap::new(),
            seq: 0,
            workload,
            cpu: SimTime::from_millis_f64(scenario.validate_ms),
            await_database: is_async && scenario.await_db,
            await_email: is_async && scenario.await_email,
            next_arrival: 0,
            next_accept: 0,
            students: vec![
                StudentRec {
                    accepted: None,
                    worker: None,
                    finish: None,
                    first_span: 0,
                    span_count: 0,
                };
                total as usize
            ],
            slots: Vec::new(),
            free_slots: Vec::new(),
            workers,
            spans: Vec::new(),
            completed: 0,
            last_finish: SimTime::ZERO,
            total,
            steps: 0,
            step_limit: 1_000 + STEPS_PER_STUDENT * u64::from(total),
            error: None,
            scenario: scenario.clone(),
        })
    }

    /// Whether spans are recorded (default: yes). Without them the run is faster and smaller, and
    /// only [`Executor::metrics`] is meaningful; the trace has no spans.
    pub fn record_spans(mut self, record: bool) -> Executor {
        self.record = record;
        self
    }

    /// Replaces the step limit (by default 1,000 plus 64 per student).
    pub fn with_step_limit(mut self, limit: u64) -> Executor {
        self.step_limit = limit;
        self
    }

    /// The simulated clock.
    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Students completed so far.
    pub fn completed(&self) -> u32 {
        self.completed
    }

    /// Students accepted by a worker and not finished.
    pub fn in_flight(&self) -> u32 {
        self.workers.iter().map(|w| w.in_flight).sum()
    }

    /// Whether every student has completed.
    pub fn is_finished(&self) -> bool {
        self.completed == self.total
    }

    /// When the next step will happen: the earliest timer or arrival (`None` when finished or
    /// stuck).
    pub fn next_event_time(&self) -> Option<SimTime> {
        if self.is_finished() {
            return None;
        }
        let timer = self.timers.peek().map(|t| t.deadline);
        let arrival = self
            .workload
            .order
            .get(self.next_arrival as usize)
            .map(|id| self.workload.arrival[*id as usize]);
        match (timer, arrival) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Advances to the next moment something happens and processes everything due then.
    /// Returns that moment, or `None` once every student has completed.
    ///
    /// # Errors
    /// [`SimError::StepLimit`] or [`SimError::Stuck`]; after an error every further call returns
    /// it again.
    pub fn step(&mut self) -> Result<Option<SimTime>, SimError> {
        if let Some(e) = &self.error {
            return Err(e.clone());
        }
        if self.is_finished() {
            return Ok(None);
        }
        let Some(next) = self.next_event_time() else {
            return Err(self.fail(SimError::Stuck {
                at: self.now,
                unfinished: self.total - self.completed,
            }));
        };
        self.now = self.now.max(next);
        if let Err(e) = self.process_instant() {
            return Err(self.fail(e));
        }
        Ok(Some(self.now))
    }

    /// Processes every moment up to and including `t`, then sets the clock to `t` (unless the run
    /// finished earlier).
    ///
    /// # Errors
    /// As [`Executor::step`].
    pub fn run_until(&mut self, t: SimTime) -> Result<(), SimError> {
        while !self.is_finished() {
            match self.next_event_time() {
                Some(next) if next > t => break,
                _ => {
                    self.step()?;
                }
            }
        }
        if !self.is_finished() && t > self.now {
            self.now = t;
        }
        Ok(())
    }

    /// Runs until every student has completed.
    ///
    /// # Errors
    /// As [`Executor::step`].
    pub fn run(&mut self) -> Result<(), SimError> {
        while self.step()?.is_some() {}
        Ok(())
    }

    fn fail(&mut self, e: SimError) -> SimError {
        self.error = Some(e.clone());
        e
    }

    fn count_step(&mut self) -> Result<(), SimError> {
        self.steps += 1;
        if self.steps > self.step_limit {
            Err(SimError::StepLimit {
                limit: self.step_limit,
                at: self.now,
            })
        } else {
            Ok(())
        }
    }

    fn process_instant(&mut self) -> Result<(), SimError> {
        while self.timers.peek().is_some_and(|t| t.deadline <= self.now) {
            if let Some(timer) = self.timers.pop() {
                self.count_step()?;
                timer.waker.wake();
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
            for w in 0..self.workers.len() {
                let worker = &mut self.workers[w];
                let next = if worker.resume {
                    worker.resume = false;
                    let slot = worker.holder.take();
                    if let Some((start, student, state, step)) = worker.held.take() {
                        worker.busy += (self.now - start).as_micros();
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
                } else if worker.holder.is_none() {
                    worker.ready.pop_front()
                } else {
                    None
                };
                if let Some(slot) = next {
                    self.poll_slot(slot)?;
                    progressed = true;
                }
            }
            if !progressed {
                return Ok(());
            }
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
                SlotStatus::Waiting { holds_lane: true } => {
                    let worker = &mut self.workers[slot.worker as usize];
                    if worker.holder == Some(s) {
                        worker.resume = true;
                    }
                }
                SlotStatus::Waiting { holds_lane: false } => {
                    slot.status = SlotStatus::Scheduled;
                    let step = slot.step;
                    self.workers[slot.worker as usize].ready.push_back(s);
                    self.set_state(s, ready_state, step);
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
                    since: SimTime::ZERO,
                    spans: Vec::new(),
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
        let future = (self.handler.start)(Io::new(Rc::clone(&self.ctx), w, student), job);
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
        slot.since = arrival;
        slot.spans.clear();
        let rec = &mut self.students[student as usize];
        rec.accepted = Some(self.now);
        rec.worker = Some(w);
        let worker = &mut self.workers[w as usize];
        worker.in_flight += 1;
        worker.ready.push_back(s);
        let ready_state = self.ready_state();
        let first_step = self.handler.first_step;
        self.set_state(s, ready_state, Some(first_step));
    }

    /// Moves a task into a new state at the current time, closing its previous span.
    fn set_state(&mut self, s: u32, state: State, step: Option<Step>) {
        let now = self.now;
        let record = self.record;
        let slot = &mut self.slots[s as usize];
        if slot.state == state && slot.step == step {
            return;
        }
        if record && now == slot.since {
            // The current span is empty. If the state goes back to what the last recorded span
            // was (ready, a zero-length await, ready again), reopen that span: spans stay maximal.
            if let Some(last) = slot.spans.last() {
                if last.end == now && last.state == state && last.step == step {
                    slot.since = last.start;
                    slot.spans.pop();
                    slot.state = state;
                    slot.step = step;
                    return;
                }
            }
        }
        if record {
            slot.close_span(now);
        }
        slot.state = state;
        slot.step = step;
        slot.since = now;
    }

    /// What an effect means in this mode: the state it puts the task in, and whether the task
    /// keeps its worker's lane meanwhile.
    fn interpret(&self, kind: EffectKind) -> (State, bool) {
        // In threadpool mode blocking calls release the interpreter lock, as Python's I/O does.
        let blocking_holds = self.mode != Mode::Threadpool;
        match kind {
            EffectKind::Cpu => (State::Running, true),
            EffectKind::Io { awaited: true } => (State::AwaitingIo, false),
            EffectKind::Io { awaited: false } => (State::Blocked, blocking_holds),
            EffectKind::Connection { awaited } => {
                (State::WaitingConnection, !awaited && blocking_holds)
            }
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
                let mut next = None;
                for effect in effects.drain(..) {
                    if let Some((deadline, waker)) = effect.wake_at {
                        self.seq += 1;
                        self.timers.push(Timer {
                            deadline,
                            seq: self.seq,
                            waker,
                        });
                    }
                    let (state, holds) = self.interpret(effect.kind);
                    holds_lane |= holds;
                    next = Some((state, effect.step));
                }
                self.effects_scratch = effects;
                // A future pending without an effect waits on something outside the model: the
                // lane is freed and the state kept.
                if let Some((state, step)) = next {
                    self.set_state(s, state, Some(step));
                    if holds_lane {
                        let slot = &self.slots[idx];
                        let worker = &mut self.workers[slot.worker as usize];
                        worker.holder = Some(s);
                        worker.held = Some((self.now, slot.student, state, step));
                    }
                }
                self.slots[idx].status = SlotStatus::Waiting { holds_lane };
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

    /// The moment the metrics describe: the last completion once finished, else the clock.
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
            .map(|(rec, arrival)| Times {
                arrival: *arrival,
                accepted: rec.accepted,
                finish: rec.finish,
            })
    }

    /// The metrics at the end of the run (or at the clock, if unfinished). Works with or without
    /// recorded spans and equals the trace's metrics.
    pub fn metrics(&self) -> Metrics {
        let end = self.end();
        let busy: u64 = self
            .workers
            .iter()
            .map(|w| w.busy + w.held.map_or(0, |(start, ..)| (end - start).as_micros()))
            .sum();
        metrics::compute(end, self.workers.len() as u32, self.times(), busy)
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
                    });
                }
            }
            for w in &mut self.workers {
                if let Some((start, student, state, step)) = w.held {
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
        };
        trace.metrics = if self.record {
            trace.metrics_at(end)
        } else {
            self.metrics()
        };
        trace
    }
}
