//! The simulation core: a deterministic model of workers serving the article's registration
//! handler, blocking, async or in a thread pool. Pure: it takes a [`Scenario`] and returns plain
//! data ([`Trace`], [`Metrics`]); no clock but its own, no randomness but its seeded generator, and
//! nothing from the browser, so the same code runs under `cargo test` and in the page.
//!
//! - [`scenario`]: the parameters, their `key=value` validation, and the table of keys
//!   ([`scenario::KEYS`]) that parsing, validation, help and the setup form derive from.
//! - `workload`: every random draw (arrivals, I/O durations), made up front.
//! - [`lang`]: the handler language (a small Python), its checker and interpreter, and the
//!   built-in handlers written in it.
//! - [`handler`]: the program a scenario runs, as the executor sees it, and the futures it awaits.
//! - [`seats`]: the race handler's shared `seats_left` cell and its record.
//! - [`executor`]: the cooperative executor polling those futures on a virtual clock.
//! - [`trace`] and [`metrics`]: the results, and their state at any moment.
//! - [`decimal`]: numbers read from and written as decimal text, without core's float tables.
//! - [`text`]: finding a text in another, without core's two-way searcher.
//! - [`cli`]: the command line of `examples/simulate.rs`, as a pure function.
//!
//! # Model decisions
//! Where the issue leaves room, the model decides as follows (the tests pin these):
//! - **Lane.** Each worker has one lane: its single thread (blocking) or its event loop (async);
//!   in threadpool mode the lane is the interpreter lock. Utilization is the share of worker time the lane is
//!   occupied: CPU work, a blocking call, or a blocking wait for a connection. It splits in two:
//!   `cpu_busy`, the lane running code (state `Running`: the handler's or the framework's), and
//!   `blocked`, the lane held by a blocking call or a blocking connection wait (`Blocked`,
//!   `WaitingConnection`); both are summed in whole microseconds, so
//!   `utilization == cpu_busy + blocked` up to float rounding. In
//!   threadpool mode I/O releases the lock, as Python's socket calls do, so threads waiting on I/O
//!   do not count as occupied, nor as blocked: a blocking call there holds its thread, not the
//!   lane.
//! - **The interpreter lock and the cores** (`executor::gil`). Each worker process has one
//!   interpreter lock: CPU work (`validate`, `cpu_work`, the framework's) holds it, whether it
//!   runs on the loop, on a blocking worker's one thread or on a pool thread (`def` endpoints,
//!   `to_thread`, `run_in_threadpool`); I/O never does. A thread that wants the lock while
//!   another computes gets it after the switch interval (`switch_ms`, CPython's 5 ms), counted
//!   from when it began to wait or from the last hand-over, and the one that let go queues
//!   behind the waiters: CPU work of several threads takes turns in slices (`ThreadWait` between
//!   them, "waiting for the interpreter lock"), first come first served. The loop is one thread:
//!   its own CPU jobs (a `gather` of coroutines that compute) run one after the other, and while
//!   it waits for the lock it stays taken. Requests ready to run their next line (pool
//!   threads', or the loop's while a pool thread computes) wait for the lock too, in the same
//!   line as the jobs (one place for all of them), and make the holder let go after the switch
//!   interval; a thread whose CPU work ends goes straight on to its next line, and if its next
//!   CPU work starts in the same instant the lock never changed hands, so the waiters' switch
//!   interval runs on (the loop cannot keep the lock by running many short lines). A call the
//!   loop hands to a pool thread waits while the loop runs on (the thread already exists, as a
//!   served app's do); the result reaches the coroutine through the loop's ready queue
//!   (`call_soon_threadsafe`). asyncio's executor (`to_thread`) has the thread free for its next
//!   call as soon as the call returns; anyio's (`run_in_threadpool`, `def` endpoints) yields to
//!   the loop once before it asks for a thread (its checkpoint), and hands its
//!   token over on the loop, when the coroutine resumes, and for a `def` endpoint that step also
//!   writes the response, so the next request's handler waits for the write. The
//!   framework's work before a handler starts with a read from the request's socket, and its
//!   work after one writes the response in two calls (head, then body): system calls around
//!   which CPython gives the lock up: as each begins, the loop takes the lock back after the
//!   slice of the thread that took it meanwhile (not behind every thread in line: CPython's
//!   lock is no queue, and the loop asking for it makes that thread let go), and it lets the
//!   threads waiting in as the write ends. anyio yields to the loop before it hands
//!   a `def` endpoint's call to a thread (its checkpoint), so the loop reads the requests ready
//!   first; the hand-over is 1 µs of the loop's work behind theirs. A `def` handler the loop
//!   hands to a pool thread waits behind the threads computing too. The
//!   loop runs in iterations, as asyncio's does: one runs the requests ready when it began, and
//!   the next begins with `select`, which gives the lock up, so with threads waiting the loop
//!   takes it back in its turn (a thread's result waits for that). That result wakes the loop
//!   through asyncio's self-pipe, which the loop reads, a system call taking no CPU here: with
//!   threads computing, the coroutine resumes only once the loop has the lock again, as after
//!   any socket call (uvicorn, traced: two reads per request served on a thread). The worker
//!   processes share `cores`
//!   CPUs: with more workers computing than cores, each computes at `cores / computing` of full
//!   speed (Linux's scheduler on average), in whole microseconds. With no thread but the loop's
//!   computing and no more workers computing than cores, a CPU job is one slice of exactly its
//!   length, as before the lock was modelled. Left out: a blocking call on the loop releases the
//!   lock in CPython (a pool thread may compute meanwhile; here too, so the worker's lane and its
//!   lock can then be held at once).
//! - **Dispatch.** Every mode uses one rule: the accept queue's head goes to the worker with the
//!   fewest requests in flight that has room, ties to the lowest id. With room 1 (blocking) this is
//!   "the lowest free worker". In threadpool mode the room is `threads` (`concurrency` with
//!   `framework_ms`, see below).
//! - **In flight** at `t` counts students accepted at or before `t` and not finished at or before
//!   `t`; a finish and an accept at the same instant never overlap.
//! - **Zero-time steps.** CPU work and blocking calls of zero duration take no step. An awaited I/O
//!   call of zero duration still yields the loop (like `asyncio.sleep(0)`), so with `db_ms=0` an
//!   async request still gives way once at its database call.
//! - **Ready queue.** FIFO per worker: a task whose I/O completed queues behind tasks not yet
//!   started. In threadpool mode every resumption (after a blocking call or a connection wait)
//!   queues for the lock FIFO, even with no CPU work left (state `ThreadWait`).
//! - **Database pool.** Per worker, FIFO, handed straight to the first waiter on release. The
//!   connection is held for the query only and returned before the email. With `await_db=false`
//!   (or blocking mode) waiting for a connection blocks the lane.
//! - **Await switches** only matter in async mode; blocking and threadpool handlers make plain
//!   blocking calls.
//! - **Random draws** are made up front in a fixed order (see `workload`): arrivals first, then
//!   per student the database and email times. `validate_ms` is CPU time and always exact; only
//!   I/O follows `io_dist`. Poisson arrivals start after a first gap; uniform ones at 0.
//! - **Instants.** At one moment, due timers fire first (in `(deadline, seq)` order), then due
//!   arrivals join the queue; then tasks are polled, one per worker per round, workers in id order,
//!   until nothing is runnable; with `overflow=reject`, whoever is still in the accept queue then
//!   is rejected.
//! - **Overflow** (`overflow=queue|reject`, default `queue`). With `reject`, a request that
//!   arrives when no worker has room is turned away at once, an HTTP 503 as uvicorn's
//!   `--limit-concurrency` gives: it never enters a worker, has no spans and no wait, is not
//!   completed, and counts in `rejected` from its arrival on. The check is made at arrival only,
//!   once the arrival's instant is settled: the instant's timers fire first and whatever they
//!   make runnable runs (as always), so a request finishing at that very instant frees its slot
//!   for the arrival; the instant's arrivals take the free slots in arrival order, and whoever is
//!   still in the accept queue when nothing more can run at that instant is rejected. So nobody
//!   waits in the accept queue, a rejection never ends a run (every slot is then held by a
//!   request that finishes later), and a run in which nobody is rejected is exactly the `queue`
//!   run. A run completes when every student has finished or been rejected.
//! - **Race handler** (`handler=race`, the teaser for part 3): read `seats_left`, decide (CPU,
//!   `validate_ms`), write `value read - 1` back if it was above 0; no lock. Both queries are
//!   database calls (`db_ms`, `await_db`, `db_pool`); there is no email. A query takes effect at
//!   its completion, in timer order, so the seed (through `io_dist=exp`) picks the interleaving. A
//!   student is registered when its write completes.
//! - **Waits at `t`** count every student arrived by `t`: its finish minus its arrival if it
//!   finished by `t`, else `t` minus its arrival (queued or in flight, it is still waiting). So
//!   the longest wait grows with the queue, not only as students finish; `completed` and the
//!   throughput still count finished students only. At the end of a complete run everyone has
//!   finished, and the waits are the latencies.
//! - **The framework's own work** (`framework_ms`, default 0). Before and after the handler the
//!   framework spends CPU on the worker's lane, as FastAPI on uvicorn does on the event loop:
//!   parsing, routing and validating the request before it, encoding and writing the response
//!   after it. The split is half and half (`handler::FRAMEWORK_BEFORE_SHARE`): `bench/fidelity`
//!   measured 41 to 51 % of the loop's CPU per request before the handler (medians of six
//!   measurements of the loop's own CPU time; FastAPI 0.163, uvicorn 0.54 with h11 and asyncio). It is its own step,
//!   `Step::Framework`, on no line of the handler, and counts in `cpu_busy`. A blocking worker
//!   does it on its one thread. In threadpool mode the loop reads a request as soon as a worker
//!   takes it (up to `concurrency` requests per worker, as in async mode), then the request waits
//!   for one of the `threads` (`WaitingThread`), runs the handler on it, gives it back, and the
//!   loop writes the response holding the interpreter lock: never on a pool thread, as FastAPI
//!   runs a `def` endpoint without a response model. With `framework_ms=0` nothing of this
//!   exists: the handler runs exactly as before, and `threads` is the room per worker.
//! - **Metrics at the end** are the metrics at the last completion. With no arrival, waits are
//!   zero; at `t = 0` throughput and utilization are zero.

pub mod cli;
pub mod decimal;
pub mod executor;
pub mod export;
pub mod handler;
pub mod lang;
pub mod metrics;
pub mod order;
pub mod rng;
pub mod scenario;
pub mod seats;
pub mod store;
pub mod text;
pub mod time;
pub mod trace;
mod workload;

pub use executor::{Executor, SimError};
pub use handler::{Io, Job, PoolUse, Pooled, Step};
pub use metrics::{LatencySummary, Metrics, MetricsJson};
pub use scenario::{
    Arrival, Fix, HandlerKind, IoDist, Mode, Overflow, ParamError, ParamErrorKind, Scenario,
};
pub use seats::{LostUpdate, SeatOp, SeatOpKind, SeatsTrace};
pub use time::SimTime;
pub use trace::{Span, State, Status, StudentTrace, Trace, WorkerSpan, WorkerTrace};

/// Runs `scenario` to the end and returns its full trace.
///
/// # Errors
/// [`SimError::InvalidScenario`] for out-of-range parameters; [`SimError::StepLimit`] or
/// [`SimError::Stuck`] if the run cannot complete (neither happens with the built-in handler).
pub fn simulate(scenario: &Scenario) -> Result<Trace, SimError> {
    let mut executor = Executor::new(scenario)?;
    executor.run()?;
    Ok(executor.into_trace())
}

/// Runs `scenario` to the end recording no spans, and returns only its metrics (equal to
/// `simulate(scenario)?.metrics`). For large runs such as the benchmark.
///
/// # Errors
/// As [`simulate`].
pub fn simulate_metrics_only(scenario: &Scenario) -> Result<Metrics, SimError> {
    simulate_pool_use(scenario).map(|(metrics, _)| metrics)
}

/// As [`simulate_metrics_only`], with how much of each pool the run used
/// ([`Executor::pool_use`]). One function for both, so the page carries one copy of the run.
///
/// # Errors
/// As [`simulate`].
pub fn simulate_pool_use(scenario: &Scenario) -> Result<(Metrics, Vec<PoolUse>), SimError> {
    let mut executor = Executor::new(scenario)?.record_spans(false);
    executor.run()?;
    Ok((executor.metrics(), executor.pool_use()))
}
