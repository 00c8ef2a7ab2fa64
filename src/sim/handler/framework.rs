//! The framework's own work around a handler (`framework_ms`): the CPU a server such as FastAPI
//! on uvicorn spends per request on the worker's event loop, reading and validating the request
//! before the handler and writing the response after it. It wraps the start of a handler and
//! never runs on a pool thread; with `framework_ms=0` it leaves the handler exactly as it was.

use std::rc::Rc;

use super::io::Syscall;
use super::{HandlerDef, Io, Job, Step};
use crate::sim::scenario::{Mode, Scenario};
use crate::sim::time::SimTime;

/// The share of `framework_ms` the framework spends before the handler (parsing the request,
/// routing it, reading and validating its body); the rest it spends after (encoding the answer,
/// writing the response). Measured by `bench/fidelity` on FastAPI 0.163 and uvicorn 0.54 (h11,
/// asyncio): in a burst of 60 requests to a handler that only sleeps, the event loop's CPU time
/// until the last handler started was 41 to 51 % of its CPU time for the whole burst (the medians
/// of six measurements; single bursts 40 to 60 %). So half: the rest is the machine's noise.
pub const FRAMEWORK_BEFORE_SHARE: f64 = 0.5;

/// The loop's work of handing a `def` endpoint's call to a thread, after anyio's checkpoint:
/// the least a stretch of CPU can be, so that it queues behind the loop's other work.
const HAND_OVER: SimTime = SimTime::from_micros(1);

/// Executor steps the framework adds to a request: three stretches of CPU (a poll and a timer
/// each) and, in threadpool mode, the wait for a thread (a poll and a wake), with room to spare.
const FRAMEWORK_STEPS: u64 = 10;

/// `def` with the framework's work of `scenario` around it: `framework_ms` of CPU split at
/// [`FRAMEWORK_BEFORE_SHARE`], on the worker's lane, as the loop's own work (`Step::Framework`,
/// on no line of the handler). In threadpool mode the request reads on the loop as soon as a
/// worker takes it, then waits for one of the worker's `threads` (as FastAPI's
/// `run_in_threadpool` does for a `def` endpoint), runs the handler on it, writes its response
/// on the loop again and only then gives the thread back (anyio hands its token over in that
/// step). Without `framework_ms`, `def` itself.
pub fn with_framework(def: HandlerDef, scenario: &Scenario) -> HandlerDef {
    if !scenario.has_framework() {
        return def;
    }
    let total = SimTime::from_millis_f64(scenario.framework_ms);
    let before = SimTime::from_millis_f64(scenario.framework_ms * FRAMEWORK_BEFORE_SHARE);
    // The two parts add up to the whole, to the microsecond.
    let after = total - before;
    let on_thread = scenario.mode == Mode::Threadpool;
    let (first_step, first_line) = (def.first_step, def.first_line);
    let handler = Rc::clone(&def.start);
    let mut framed = def;
    framed.start = Rc::new(move |io: Io, job: Job| {
        let handler = Rc::clone(&handler);
        Box::pin(async move {
            // Made before the handler sets a line: the framework is on none of its lines.
            let on_loop = io.on_thread(false);
            // Read from the request's socket first, a system call: the lock is given up
            // around it and taken back in turn (see `EffectKind::Cpu`).
            on_loop.compute_around(Syscall::Read, before).await;
            let thread = if on_thread {
                // anyio yields to the loop before it asks for a thread (its `checkpoint`),
                // so the loop reads the other requests ready first; the hand-over is
                // loop work behind theirs (its own cost is inside `framework_ms`).
                on_loop.compute(Step::Framework, HAND_OVER).await;
                // Waiting for a thread to run the handler's first line on, as a `def`
                // endpoint waits in `run_in_threadpool`; the loop is free meanwhile.
                let waiting = io.thread(false, first_step);
                Some(waiting.on_line(first_line.unwrap_or(0)).await)
            } else {
                None
            };
            // A handler that answers before its work ends (BackgroundTasks) writes the
            // response then; otherwise it is written here, after the handler, in the loop's
            // step that takes the thread's result: the thread is given back after it.
            on_loop.defer_answer(after);
            handler(io, job).await;
            // The thread's result wakes the loop through asyncio's self-pipe, whose read
            // gives the lock up once more.
            if thread.is_some() {
                on_loop.wake_read(Step::Framework).await;
            }
            if let Some(after) = on_loop.take_deferred() {
                on_loop.compute_around(Syscall::Write, after).await;
            }
            drop(thread);
        })
    });
    (framed.first_step, framed.first_line) = (Step::Framework, None);
    framed.steps_per_request = framed.steps_per_request.saturating_add(FRAMEWORK_STEPS);
    framed
}
