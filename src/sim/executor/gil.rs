//! CPU work as CPython and Linux share it. Each worker process has one interpreter lock (GIL):
//! the code that computes holds it, whether on the event loop or on a pool thread, and a thread
//! that wants it while another computes gets it after the switch interval (`switch_ms`,
//! `sys.getswitchinterval()`, 5 ms), so CPU work of several threads interleaves in slices. The
//! loop runs one coroutine at a time, so its own CPU jobs run one after the other. The processes
//! share the machine's `cores`: with more processes computing than cores, each computes at
//! `cores / busy` of full speed (processor sharing, as Linux's scheduler gives on average).
//!
//! With one thread computing per process and no more processes computing than cores, a CPU job
//! is one slice that ends `duration` after it starts, armed as the one timer it always was: such
//! runs are exactly what they were before the lock was modelled.

use std::cell::Cell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::task::Waker;

use super::{Due, Executor, Timer};
use crate::sim::handler::{Step, Syscall};
use crate::sim::scenario::Mode;
use crate::sim::store::Table;
use crate::sim::time::SimTime;
use crate::sim::trace::{State, WorkerSpan};

/// Switches and rescalings a run may make before it stops as too long: each slice is a span to
/// draw, and a tiny switch interval with long CPU work would make millions (1,000 threads of 1 s
/// of CPU with the default 5 ms make 200,000, in about 2 s natively).
const MAX_SLICES: u64 = 500_000;

/// In a lock's queue, the turn of the requests ready to run their next line (the loop's, or in
/// threadpool mode the threads back from their I/O), which take the lock in its order.
const READY: u32 = u32::MAX;

/// The interpreter locks of every worker and the cores they share.
pub(super) struct Cores {
    cores: u64,
    switch: SimTime,
    jobs: Table<Job>,
    free: Vec<u32>,
    gils: Table<Gil>,
    /// Workers whose lock runs a job now.
    busy: u64,
    slices: u64,
}

/// One stretch of CPU work of a request, on the loop or on a pool thread.
struct Job {
    slot: u32,
    student: u32,
    on_loop: bool,
    /// Microseconds of CPU still to run.
    left: u64,
    step: Step,
    line: Option<u16>,
    waker: Waker,
    done: Rc<Cell<bool>>,
    /// It ends with a write to the request's socket, which gives the lock up
    /// ([`Syscall::Write`]).
    then_write: bool,
}

/// One worker's interpreter lock.
#[derive(Default)]
struct Gil {
    run: Option<Run>,
    /// Who wants the lock, first come first served: pool threads' jobs, the loop's current
    /// job, and the ready requests' turn ([`READY`], once).
    waiting: VecDeque<u32>,
    /// The loop's jobs behind the one it is on (a `gather` of coroutines that compute).
    loop_queue: VecDeque<u32>,
    loop_busy: bool,
    /// The ready requests' turn has come and the lock is still free: they run on.
    ready_turn: bool,
    /// Requests the loop's current iteration has left to run (async and blocking modes): those
    /// ready when it began. Those ready since wait for the next iteration, which begins with
    /// `select`, a system call around which CPython gives the lock up: with threads waiting for
    /// it, the loop takes it back in its turn.
    batch: usize,
    /// Whether someone waits for the lock while a job holds it: a job, or (with the lane free)
    /// a request ready to run its next line.
    contended: bool,
    /// When the waiters' wait began: the first one's arrival, or the last hand-over.
    since: SimTime,
    /// The thread whose CPU work just ended and who kept the lock for its next line, with the
    /// instant and the waiters' `since` then: if its next CPU work starts in that instant, the
    /// lock never changed hands, so the waiters' switch interval runs on (CPython counts it from
    /// the wait, not from the holder's next line).
    kept: Option<(u32, SimTime, SimTime)>,
    /// Bumped at each new schedule, so an older timer of this lock is ignored.
    generation: u32,
}

/// The job holding a lock: since when, and when its `left` was last brought up to date.
#[derive(Clone, Copy)]
struct Run {
    job: u32,
    start: SimTime,
    at: SimTime,
}

impl Cores {
    pub(super) fn new(workers: u32, cores: u32, switch: SimTime) -> Cores {
        Cores {
            cores: u64::from(cores.max(1)),
            // A switch interval rounds to no less than a microsecond, so slices always advance.
            switch: switch.max(SimTime::from_micros(1)),
            jobs: Table::default(),
            free: Vec::new(),
            gils: (0..workers).map(|_| Gil::default()).collect(),
            busy: 0,
            slices: 0,
        }
    }

    /// Wall time `left` of CPU work takes at the current share of a core (rounded up).
    fn time_for(&self, left: u64) -> u64 {
        if self.busy > self.cores {
            left.saturating_mul(self.busy).div_ceil(self.cores)
        } else {
            left
        }
    }

    /// The open slice of `worker`'s lock, if a job holds it: start, student, line.
    pub(super) fn open_slice(&self, worker: usize) -> Option<(SimTime, u32, Step)> {
        let run = self.gils[worker].run?;
        let job = &self.jobs[run.job as usize];
        Some((run.start, job.student, job.step))
    }

    /// The thread job `id` runs on: the loop ([`READY`]) or its request's pool thread (its slot).
    fn thread_of(&self, id: u32) -> u32 {
        let job = &self.jobs[id as usize];
        if job.on_loop {
            READY
        } else {
            job.slot
        }
    }

    /// The job of slot `s` the slot's state shows: one holding the lock, else one waiting.
    fn shown(&self, worker: usize, s: u32) -> Option<(State, u32)> {
        let gil = &self.gils[worker];
        let of_slot = |id: &u32| *id != READY && self.jobs[*id as usize].slot == s;
        if let Some(run) = gil.run.filter(|r| of_slot(&r.job)) {
            return Some((State::Running, run.job));
        }
        let waiting = gil
            .waiting
            .iter()
            .chain(&gil.loop_queue)
            .find(|id| of_slot(id));
        waiting.map(|id| (State::ThreadWait, *id))
    }
}

impl Executor {
    /// Starts `work` of CPU for slot `s`, on the loop or a pool thread; `done` is set and
    /// `waker` woken when all of it has run.
    pub(super) fn cpu_start(
        &mut self,
        s: u32,
        (on_loop, syscall): (bool, Syscall),
        work: SimTime,
        step: Step,
        line: Option<u16>,
        (waker, done): (Waker, Rc<Cell<bool>>),
    ) {
        let slot = &self.slots[s as usize];
        let w = slot.worker as usize;
        let job = Job {
            slot: s,
            student: slot.student,
            on_loop,
            left: work.as_micros(),
            step,
            line,
            waker,
            done,
            then_write: syscall == Syscall::Write,
        };
        let id = match self.cores.free.pop() {
            Some(id) => {
                self.cores.jobs[id as usize] = job;
                id
            }
            None => {
                self.cores.jobs.push(job);
                self.cores.jobs.len() as u32 - 1
            }
        };
        let gil = &mut self.cores.gils[w];
        if on_loop {
            if gil.loop_busy {
                gil.loop_queue.push_back(id);
                return;
            }
            gil.loop_busy = true;
        }
        self.gil_want(w, id, syscall != Syscall::None);
    }

    /// Job `id` wants `w`'s lock: it takes it if free, else waits, and the holder will let go
    /// after the switch interval. `after_call`: the loop's work right after a call on a
    /// request's socket ([`Syscall`]).
    fn gil_want(&mut self, w: usize, id: u32, after_call: bool) {
        // A pool thread handed work while the loop runs its ready requests' lines waits: the
        // loop has the lock until it next waits (or the switch interval runs out). So does the
        // loop's own work right after a call on a socket, which gave the lock up.
        let gil = &mut self.cores.gils[w];
        // In threadpool mode the ready requests' turn is their own threads' (each goes on with
        // its next line), unless the loop kept the lock in this instant (its framework work).
        let loop_kept = gil
            .kept
            .is_some_and(|(thread, at, _)| thread == READY && at == self.now);
        let on_loop = self.cores.jobs[id as usize].on_loop;
        let queues = after_call || (!on_loop && (self.mode != Mode::Threadpool || loop_kept));
        let turn = gil.ready_turn || gil.waiting.front() == Some(&READY);
        if gil.run.is_none() && turn && queues {
            if !gil.waiting.iter().any(|&j| j != READY) {
                gil.kept = gil.kept.map(|(thread, at, _)| (thread, at, self.now));
            }
            // Only the loop makes socket calls (`Io::compute_around`).
            if after_call {
                // Back from a socket call, the loop waits for the slice of the thread that took
                // the lock meanwhile, not for every thread in line: CPython's lock is no queue,
                // and the loop asking for it makes that thread let go (measured on uvicorn: six
                // threads computing, a request read 10 ms in starts after 62 to 71 ms, median
                // of twelve; behind all six it would be 136 ms; see `tests/sim_gil.rs`).
                let first = gil.waiting.iter().position(|&j| j != READY);
                let at = first.map_or(gil.waiting.len(), |i| i + 1);
                // Moved up from the back by swaps (`VecDeque::insert` costs 176 bytes more).
                gil.waiting.push_back(id);
                for i in (at + 1..gil.waiting.len()).rev() {
                    gil.waiting.swap(i - 1, i);
                }
            } else {
                gil.waiting.push_back(id);
            }
        } else if gil.run.is_none() {
            gil.waiting.push_front(id);
            self.gil_next(w);
        } else {
            gil.waiting.push_back(id);
            self.gil_contend(w);
        }
    }

    /// `id` takes `w`'s free lock now; whoever else wants it starts waiting now.
    fn gil_grant(&mut self, w: usize, id: u32) {
        let now = self.now;
        let contended = self.gil_waiters(w, Some(id));
        let thread = self.cores.thread_of(id);
        let gil = &mut self.cores.gils[w];
        gil.run = Some(Run {
            job: id,
            start: now,
            at: now,
        });
        gil.ready_turn = false;
        gil.contended = contended;
        gil.since = match gil.kept.take() {
            Some((kept, at, since)) if kept == thread && at == now => since,
            _ => now,
        };
    }

    /// Whether anyone but job `holder` wants `w`'s lock: a waiting job, or the ready requests'
    /// turn.
    fn gil_waiters(&self, w: usize, holder: Option<u32>) -> bool {
        let waiting = &self.cores.gils[w].waiting;
        waiting.iter().any(|&id| id != READY && Some(id) != holder)
            || (waiting.contains(&READY) && self.gil_ready_wants(w))
    }

    /// Whether requests are ready to run on another thread than `w`'s holder's (in async and
    /// blocking modes the ready requests are the loop's, so while the loop computes they wait
    /// for the loop, not the lock).
    fn gil_ready_wants(&self, w: usize) -> bool {
        let worker = &self.workers[w];
        let on_loop = self.cores.gils[w]
            .run
            .is_some_and(|r| self.cores.jobs[r.job as usize].on_loop);
        (self.mode == Mode::Threadpool || !on_loop)
            && worker.holder.is_none()
            && !worker.ready.is_empty()
    }

    /// Someone may have begun to want `w`'s held lock: the ready requests queue for their turn
    /// (once), and if nobody waited, the holder must let go a switch interval from now.
    pub(super) fn gil_contend(&mut self, w: usize) {
        if self.cores.gils[w].run.is_none() {
            return;
        }
        if self.gil_ready_wants(w) && !self.cores.gils[w].waiting.contains(&READY) {
            self.cores.gils[w].waiting.push_back(READY);
        }
        let gil = &self.cores.gils[w];
        if gil.contended {
            return;
        }
        let holder = gil.run.map(|r| r.job);
        if self.gil_waiters(w, holder) {
            let gil = &mut self.cores.gils[w];
            gil.contended = true;
            gil.since = self.now;
            self.gil_schedule(w);
        }
    }

    /// Whether the ready requests of `w` may run now: the lock is free and it is their turn
    /// (nobody queued before them); takes their turn from the queue.
    pub(super) fn gil_ready_turn(&mut self, w: usize) -> bool {
        let ready = self.workers[w].ready.len();
        let iterates = self.mode != Mode::Threadpool;
        let now = self.now;
        let gil = &mut self.cores.gils[w];
        if gil.run.is_some() {
            return false;
        }
        match gil.waiting.front() {
            Some(&READY) => {
                gil.waiting.pop_front();
                gil.ready_turn = true;
                // A turn that follows the loop's own CPU work in the same instant is the same
                // iteration; any other begins one.
                let same = gil
                    .kept
                    .is_some_and(|(thread, at, _)| thread == READY && at == now);
                if !same {
                    gil.batch = ready;
                }
            }
            Some(_) if !gil.ready_turn => return false,
            _ => {}
        }
        if iterates && gil.batch == 0 && ready > 0 {
            if gil.waiting.iter().any(|&id| id != READY) {
                // The iteration is over and threads wait: the loop's `select` lets them in.
                gil.ready_turn = false;
                if !gil.waiting.contains(&READY) {
                    gil.waiting.push_back(READY);
                }
                return false;
            }
            gil.batch = ready;
        }
        true
    }

    /// The loop took one of `w`'s ready requests to run.
    pub(super) fn gil_took_ready(&mut self, w: usize) {
        let gil = &mut self.cores.gils[w];
        gil.batch = gil.batch.saturating_sub(1);
    }

    /// Hands `w`'s lock, if free, to the first waiting job, once the ready requests' turn is
    /// over; whether it did.
    pub(super) fn gil_next(&mut self, w: usize) -> bool {
        if self.cores.gils[w].run.is_some() {
            return false;
        }
        let waiting = &mut self.cores.gils[w].waiting;
        // The ready requests' turn, once nobody is ready any more, is over.
        while waiting.front() == Some(&READY) {
            waiting.pop_front();
        }
        let Some(next) = waiting.pop_front() else {
            return false;
        };
        self.gil_grant(w, next);
        self.set_busy(true);
        self.gil_schedule(w);
        let slot = self.cores.jobs[next as usize].slot;
        self.cpu_refresh(slot);
        // Requests left ready now wait for their turn.
        self.gil_contend(w);
        true
    }

    /// Arms the timer of `w`'s holder: when its work ends at its share of a core, or when it
    /// must let a waiter have the lock, whichever is first.
    fn gil_schedule(&mut self, w: usize) {
        let cores = &mut self.cores;
        let Some(run) = cores.gils[w].run else { return };
        let left = cores.jobs[run.job as usize].left;
        let mut deadline = run.at + SimTime::from_micros(cores.time_for(left));
        let switch = cores.switch;
        let gil = &mut cores.gils[w];
        gil.generation = gil.generation.wrapping_add(1);
        if gil.contended {
            deadline = deadline.min((gil.since + switch).max(self.now));
        }
        self.seq += 1;
        self.timers.push(Timer {
            deadline,
            seq: self.seq,
            due: Due::Cpu {
                worker: w as u32,
                generation: gil.generation,
            },
        });
    }

    /// Brings `w`'s holder's work up to date with the clock.
    fn gil_progress(&mut self, w: usize) {
        let now = self.now;
        let cores = &mut self.cores;
        let Some(run) = cores.gils[w].run.as_mut() else {
            return;
        };
        let done = cores_work(cores.busy, cores.cores, (now - run.at).as_micros());
        run.at = now;
        let job = &mut cores.jobs[run.job as usize];
        job.left = job.left.saturating_sub(done);
    }

    /// One more (`true`) or one fewer worker computing. Past the cores, every holder's
    /// share changes: each is brought up to date at the old share and rescheduled at the new.
    fn set_busy(&mut self, more: bool) {
        let before = self.cores.busy;
        let after = if more { before + 1 } else { before - 1 };
        let rescale = before.max(after) > self.cores.cores;
        if rescale {
            for w in 0..self.cores.gils.len() {
                self.gil_progress(w);
            }
        }
        self.cores.busy = after;
        if rescale {
            for w in 0..self.cores.gils.len() {
                self.gil_schedule(w);
            }
        }
    }

    /// A timer of `w`'s lock fired: its holder finished its work, or lets the next waiter in.
    ///
    /// # Errors
    /// [`SimError::StepLimit`](super::SimError::StepLimit) past [`MAX_SLICES`].
    pub(super) fn cpu_due(&mut self, w: usize, generation: u32) -> Result<(), super::SimError> {
        if self.cores.gils[w].generation != generation {
            return Ok(());
        }
        self.cores.slices += 1;
        if self.cores.slices > MAX_SLICES {
            return Err(super::SimError::StepLimit {
                limit: MAX_SLICES,
                at: self.now,
            });
        }
        self.gil_progress(w);
        let Some(run) = self.cores.gils[w].run.take() else {
            return Ok(());
        };
        let (student, step) = {
            let job = &self.cores.jobs[run.job as usize];
            (job.student, job.step)
        };
        self.record_slice(w, run.start, student, step);
        let job = &self.cores.jobs[run.job as usize];
        let finished = job.left == 0;
        let slot = job.slot;
        if finished {
            job.done.set(true);
            job.waker.wake_by_ref();
            let (on_loop, then_write) = (job.on_loop, job.then_write);
            let thread = self.cores.thread_of(run.job);
            self.cores.free.push(run.job);
            // The thread goes straight on to its next line, before anyone else takes the lock
            // it had: in threadpool mode the request's own (first in the ready queue), on the
            // loop the request's and then the loop's other ready ones. A pool thread of async
            // mode hands its result to the loop, which queues for the lock.
            // A write to a socket gives the lock up, so the waiters take it first.
            let keeps = (on_loop || self.mode == Mode::Threadpool) && !then_write;
            self.slots[slot as usize].first = self.mode == Mode::Threadpool;
            if keeps {
                let gil = &mut self.cores.gils[w];
                gil.waiting.push_front(READY);
                let since = if gil.contended { gil.since } else { self.now };
                gil.kept = Some((thread, self.now, since));
            }
            if on_loop {
                let gil = &mut self.cores.gils[w];
                gil.loop_busy = false;
                if let Some(next) = gil.loop_queue.pop_front() {
                    gil.loop_busy = true;
                    gil.waiting.push_back(next);
                }
            }
        } else {
            self.cores.gils[w].waiting.push_back(run.job);
        }
        // The lock is free: the instant's polls hand it on in its queue's order
        // (`gil_ready_turn`, `gil_next`).
        self.set_busy(false);
        if !finished {
            self.cpu_refresh(slot);
        }
        Ok(())
    }

    /// Sets slot `s`'s state from its CPU work, if it has any: running while one of its jobs
    /// holds the lock, waiting for the lock while one waits.
    pub(super) fn cpu_refresh(&mut self, s: u32) {
        let w = self.slots[s as usize].worker as usize;
        if let Some((state, id)) = self.cores.shown(w, s) {
            let job = &self.cores.jobs[id as usize];
            let (step, line) = (job.step, job.line);
            self.set_state(s, state, Some(step), line);
        }
    }

    /// Records a slice of CPU on `w`'s lock, from `start` to now, as the worker's busy time.
    fn record_slice(&mut self, w: usize, start: SimTime, student: u32, step: Step) {
        let now = self.now;
        let worker = &mut self.workers[w];
        worker.busy.add(State::Running, (now - start).as_micros());
        if self.record && now > start {
            worker.spans.push(WorkerSpan {
                start,
                end: now,
                student,
                state: State::Running,
                step,
            });
        }
    }
}

/// CPU work done in `elapsed` microseconds with `busy` workers computing on `cores`.
fn cores_work(busy: u64, cores: u64, elapsed: u64) -> u64 {
    if busy > cores {
        elapsed.saturating_mul(cores) / busy
    } else {
        elapsed
    }
}
