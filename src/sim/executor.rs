//! The cooperative executor: it polls each request's handler future through `Future::poll` with a
//! real `Waker`, on a virtual clock that jumps from one timer to the next. It never reads the wall
//! clock and never sleeps; a run that cannot finish is an error, not a hang.

use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use std::rc::Rc;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Wake, Waker};

use super::handler::{self, Ctx, Effect, Handler, HandlerDef, PoolSizes, Step, TaskFuture};
use super::lang::CodeError;
use super::metrics::Busy;
use super::scenario::{Mode, Overflow, ParamError, Scenario};
use super::store::Table;
use super::time::SimTime;
use super::trace::{Span, State, WorkerSpan};
use super::workload::Workload;

mod gil;
mod instant;
mod record;

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
    /// The handler's code made a mistake only running it could find (too many operations, a
    /// coroutine awaited twice, ...).
    Code(CodeError),
    /// Requests are unfinished but nothing is scheduled that could ever wake them.
    Stuck {
        /// The clock when the executor noticed.
        at: SimTime,
        /// How many students had neither finished nor been rejected.
        unfinished: u32,
        /// A line of the handler's source a stuck request is on, from 1: the one holding its
        /// worker's lane if any (a blocking wait on the loop), else the first in flight's;
        /// `None` for a handler without source text.
        line: Option<u32>,
    },
}

impl SimError {
    /// The line of the handler's source the error is about, from 1, if it has one: a mistake
    /// in the code, or where a request is stuck.
    pub fn line(&self) -> Option<u32> {
        match self {
            SimError::Code(e) => Some(e.line),
            SimError::Stuck { line, .. } => *line,
            SimError::InvalidScenario(_) | SimError::StepLimit { .. } => None,
        }
    }
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
            SimError::Code(e) => write!(f, "{e}"),
            SimError::Stuck {
                at,
                unfinished,
                line,
            } => {
                // Led by its line, as a mistake in the code is, so the page can show it there.
                if let Some(line) = line {
                    write!(f, "line {line}: ")?;
                }
                write!(
                    f,
                    "{unfinished} requests can never finish: nothing is scheduled after t = {at}"
                )
            }
        }
    }
}

impl std::error::Error for SimError {}

/// A timer: at `deadline`, do what is `due`. Ties are broken by `seq`, the order of arming, so
/// every platform fires them in the same order.
struct Timer {
    deadline: SimTime,
    seq: u64,
    due: Due,
}

/// What a timer does when it fires.
enum Due {
    /// Wakes a future (an I/O call ends).
    Wake(Waker),
    /// A worker's interpreter lock changes hands or its holder's work ends ([`gil`]), unless
    /// the lock was rescheduled since (another `generation`).
    Cpu { worker: u32, generation: u32 },
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
    /// Suspended until its waker fires; `holds_lane` if its worker stays occupied meanwhile;
    /// `on_thread` if a pool thread resumes it, not the loop (async code's `to_thread`).
    Waiting {
        holds_lane: bool,
        on_thread: bool,
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
    line: Option<u16>,
    since: SimTime,
    spans: Vec<Span>,
    /// Its CPU work just ended on a thread that keeps the interpreter lock for its next line:
    /// it goes to the front of the ready queue.
    first: bool,
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
                line: self.line,
            });
        }
    }
}

/// One worker process. Its "lane" is the thread that runs the requests one at a time: the single
/// thread (blocking) or the event loop (async). In threadpool mode nothing holds it: each
/// request has its thread, and CPU work shares the interpreter lock (`gil`).
struct Worker {
    in_flight: u32,
    ready: VecDeque<u32>,
    /// The task suspended while keeping the lane (CPU work, a blocking call).
    holder: Option<u32>,
    /// The holder's waker fired: poll it before anything else.
    resume: bool,
    /// The open occupied stretch: start, student, state, step.
    held: Option<(SimTime, u32, State, Step)>,
    /// Closed occupied stretches, by what held the lane.
    busy: Busy,
    spans: Vec<WorkerSpan>,
}

#[derive(Clone, Copy, Debug)]
struct StudentRec {
    accepted: Option<SimTime>,
    worker: Option<u32>,
    finish: Option<SimTime>,
    /// Turned away on arrival (`overflow=reject`).
    rejected: bool,
    first_span: u32,
    span_count: u32,
}

/// The simulation of one scenario, driven step by step or run to the end.
///
/// Semantics (the contract the tests pin):
/// - One FIFO accept queue for all workers. Its head goes, as soon as it arrives or a slot frees,
///   to the worker with the fewest requests in flight that has room (ties: lowest id). Room is 1
///   request when blocking, `concurrency` in async mode, `threads` in threadpool mode.
/// - With `overflow=reject`, the students still in the accept queue when their arrival instant
///   is settled (nothing left to run) are rejected: the queue never carries anyone to a later
///   instant, and a slot freed in the same instant, by a request that finished then, is taken.
/// - Each worker has one lane. A task is polled only while its worker's lane is free; a poll runs
///   until the handler awaits something. CPU work on the lane and blocking calls keep it until
///   they end (in threadpool mode neither does: a blocking call keeps only its thread). CPU work
///   anywhere takes turns for the worker's interpreter lock and shares the cores (`gil`).
///   Anything else frees the lane, and the task rejoins the back of its worker's ready queue
///   when its waker fires.
/// - An instant is processed as: fire every timer due now in `(deadline, seq)` order, admit the
///   arrivals due now, then repeat {deliver wakes, dispatch the accept queue, poll one task on each
///   worker in id order} until nothing is runnable. Then the clock jumps to the next timer or
///   arrival.
pub struct Executor {
    mode: Mode,
    capacity: u32,
    overflow: Overflow,
    handler: HandlerDef,
    record: bool,
    now: SimTime,
    ctx: Rc<Ctx>,
    woken: Arc<Mutex<Vec<(u32, u32)>>>,
    woken_scratch: Vec<(u32, u32)>,
    /// Requests woken on a pool thread, polled at once: the thread needs no turn of the loop.
    on_threads: Vec<u32>,
    effects_scratch: Vec<Effect>,
    timers: BinaryHeap<Timer>,
    seq: u64,
    workload: Workload,
    cpu: SimTime,
    cores: gil::Cores,
    await_database: bool,
    await_email: bool,
    /// Students `order[..next_arrival]` have arrived.
    next_arrival: u32,
    /// Students `order[..next_accept]` have been taken by a worker or rejected.
    next_accept: u32,
    students: Table<StudentRec>,
    slots: Table<Slot>,
    free_slots: Vec<u32>,
    workers: Table<Worker>,
    spans: Vec<Span>,
    completed: u32,
    last_finish: SimTime,
    rejected: u32,
    total: u32,
    steps: u64,
    step_limit: u64,
    error: Option<SimError>,
    scenario: Scenario,
}

impl Executor {
    /// An executor for `scenario` running its handler: its `code`, or the preset its keys name
    /// (see [`handler::for_scenario`]).
    ///
    /// # Errors
    /// [`SimError::InvalidScenario`] if the scenario is out of range (its code included).
    pub fn new(scenario: &Scenario) -> Result<Executor, SimError> {
        Executor::with_def(scenario, Executor::def_of(scenario)?)
    }

    fn def_of(scenario: &Scenario) -> Result<HandlerDef, SimError> {
        scenario.validate().map_err(SimError::InvalidScenario)?;
        handler::for_scenario(scenario).map_err(SimError::Code)
    }

    /// An executor running another handler (for other scenes, or to test the executor itself).
    /// Everything but the function itself (first step, drawn I/O calls) is the scenario's
    /// handler's.
    ///
    /// # Errors
    /// [`SimError::InvalidScenario`] if the scenario is out of range.
    pub fn with_handler(scenario: &Scenario, start: Handler) -> Result<Executor, SimError> {
        let mut def = Executor::def_of(scenario)?;
        def.start = Rc::new(start);
        // A hand-written handler has no source text for its requests to be on.
        def.first_line = None;
        Executor::with_def(scenario, def)
    }

    /// An executor running the handler `def` describes.
    ///
    /// # Errors
    /// [`SimError::InvalidScenario`] if the scenario is out of range.
    pub fn with_def(scenario: &Scenario, def: HandlerDef) -> Result<Executor, SimError> {
        scenario.validate().map_err(SimError::InvalidScenario)?;
        // The framework's own work, if any, wraps whichever handler runs.
        let def = handler::with_framework(def, scenario);
        let workload = Workload::draw(scenario, def.io_steps);
        let total = scenario.total_students();
        let workers = (0..scenario.workers)
            .map(|_| Worker {
                in_flight: 0,
                ready: VecDeque::new(),
                holder: None,
                resume: false,
                held: None,
                busy: Busy::default(),
                spans: Vec::new(),
            })
            .collect();
        let is_async = scenario.mode == Mode::Async;
        let step_limit = 1_000 + def.steps_per_request.saturating_mul(u64::from(total));
        Ok(Executor {
            mode: scenario.mode,
            capacity: scenario.capacity_per_worker(),
            overflow: scenario.overflow,
            handler: def,
            record: true,
            now: SimTime::ZERO,
            ctx: Rc::new(Ctx::new(
                scenario.workers,
                PoolSizes {
                    db: scenario.db_pool,
                    threadpool: scenario.threads,
                    to_thread: scenario.to_thread_threads(),
                },
                scenario.seats,
                total,
            )),
            woken: Arc::new(Mutex::new(Vec::new())),
            woken_scratch: Vec::new(),
            on_threads: Vec::new(),
            effects_scratch: Vec::new(),
            timers: BinaryHeap::new(),
            seq: 0,
            workload,
            cpu: SimTime::from_millis_f64(scenario.validate_ms),
            cores: gil::Cores::new(
                scenario.workers,
                scenario.cores,
                SimTime::from_millis_f64(scenario.switch_ms),
            ),
            await_database: is_async && scenario.await_db,
            await_email: is_async && scenario.await_email,
            next_arrival: 0,
            next_accept: 0,
            students: Table(vec![
                StudentRec {
                    accepted: None,
                    worker: None,
                    finish: None,
                    rejected: false,
                    first_span: 0,
                    span_count: 0,
                };
                total as usize
            ]),
            slots: Table::default(),
            free_slots: Vec::new(),
            workers,
            spans: Vec::new(),
            completed: 0,
            last_finish: SimTime::ZERO,
            rejected: 0,
            total,
            steps: 0,
            step_limit,
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

    /// Replaces the step limit (by default 1,000 plus the handler's steps per request for each student: 64 without loops).
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

    /// Students rejected so far (`overflow=reject`).
    pub fn rejected(&self) -> u32 {
        self.rejected
    }

    /// Students accepted by a worker and not finished.
    pub fn in_flight(&self) -> u32 {
        self.workers.iter().map(|w| w.in_flight).sum()
    }

    /// Whether every student has completed or been rejected.
    pub fn is_finished(&self) -> bool {
        self.completed + self.rejected == self.total
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
    /// Returns that moment, or `None` once every student has completed or been rejected.
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
                unfinished: self.total - self.completed - self.rejected,
                line: self.stuck_line(),
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

    /// Runs until every student has completed or been rejected.
    ///
    /// # Errors
    /// As [`Executor::step`].
    pub fn run(&mut self) -> Result<(), SimError> {
        while self.step()?.is_some() {}
        Ok(())
    }

    /// The line to blame for a deadlock: a request holding its worker's lane while it waits (the
    /// blocking call that keeps the others from running) if there is one, else the first request
    /// in flight on a line. In worker, then slot order, so every platform names the same line.
    fn stuck_line(&self) -> Option<u32> {
        let holders = self.workers.iter().filter_map(|w| w.holder);
        let in_flight = (0..self.slots.len() as u32)
            .filter(|&s| self.slots[s as usize].status != SlotStatus::Free);
        holders
            .chain(in_flight)
            .find_map(|s| self.slots[s as usize].line)
            .map(u32::from)
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
}
