//! What happened in a run, as plain data: per student, the state it was in over time; per worker,
//! when it was occupied. The page draws any moment from this alone; nothing here simulates.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::handler::Step;
use super::metrics::{self, Busy, Metrics, Times};
use super::order;
use super::scenario::Scenario;
use super::seats::{SeatOpKind, SeatsTrace};
use super::time::SimTime;

/// What a student's request is doing during a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// In the shared accept queue, not yet taken by a worker.
    Queued,
    /// CPU work on its worker (which can do nothing else meanwhile).
    Running,
    /// An awaited I/O call in progress; the worker is free for others.
    AwaitingIo,
    /// A blocking I/O call in progress: in blocking and async modes the worker is stuck with it, in
    /// threadpool mode only its thread is.
    Blocked,
    /// Waiting for a database connection from its worker's pool.
    WaitingConnection,
    /// In its worker's ready queue (async): its I/O is done, the loop has not resumed it yet.
    Ready,
    /// Threadpool: waiting for the worker's interpreter lock to run Python code.
    ThreadWait,
    /// Waiting for a free thread of a pool (`run_in_threadpool`, `asyncio.to_thread`); the loop
    /// is free meanwhile.
    WaitingThread,
    /// Waiting for an `asyncio.Lock` or `Semaphore` that other requests of its worker hold;
    /// the loop is free meanwhile.
    WaitingLock,
    /// Waiting for the database's row lock, which another request's transaction holds; the
    /// loop is free meanwhile.
    WaitingRowLock,
}

impl State {
    /// The snake_case name used in serialized traces.
    pub fn as_str(self) -> &'static str {
        match self {
            State::Queued => "queued",
            State::Running => "running",
            State::AwaitingIo => "awaiting_io",
            State::Blocked => "blocked",
            State::WaitingConnection => "waiting_connection",
            State::Ready => "ready",
            State::ThreadWait => "thread_wait",
            State::WaitingThread => "waiting_thread",
            State::WaitingLock => "waiting_lock",
            State::WaitingRowLock => "waiting_row_lock",
        }
    }

    /// A stable small number for hashing and compact encodings.
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl Trace {
    /// How many requests waited for the database's row lock (another transaction held it).
    pub fn row_lock_waits(&self) -> u32 {
        self.students
            .iter()
            .filter(|s| {
                self.spans_of(s.id)
                    .iter()
                    .any(|sp| sp.state == State::WaitingRowLock)
            })
            .count() as u32
    }
}

impl StudentTrace {
    /// When the student had its response: [`StudentTrace::responded`] if the request answered
    /// before its work ended, else its finish.
    pub fn answered(&self) -> Option<SimTime> {
        self.responded.or(self.finish)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One stretch of a student's life: `[start, end)` in one state, on one line of the handler.
///
/// A student's spans are contiguous and cover `[arrival, finish)`; spans of zero length are not
/// recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// First instant of the span.
    pub start: SimTime,
    /// First instant after the span.
    pub end: SimTime,
    /// What the request was doing.
    pub state: State,
    /// The handler line it was on; `None` while queued (no handler is running yet). While
    /// ready, it is the step whose I/O just completed (the `await` has not returned yet).
    pub step: Option<Step>,
    /// The line of the handler's source text it was on, from 1 (see [`Trace::line_at`]); `None`
    /// while queued, and for a handler without source text. Not part of [`Trace::hash`], so the
    /// pinned hashes of traces from before it was recorded still hold; serialized only when
    /// known, so traces without lines read and write as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u16>,
}

/// One student: when it arrived, which worker took it and when, when it finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StudentTrace {
    /// Number of the student: regular students `0..students` first, then extra arrivals.
    pub id: u32,
    /// When the request arrived in the accept queue.
    pub arrival: SimTime,
    /// When a worker took it (`None` if none had by the end of the trace).
    pub accepted: Option<SimTime>,
    /// The worker that took it.
    pub worker: Option<u32>,
    /// When it completed (`None` if it had not by the end of the trace, or was rejected).
    pub finish: Option<SimTime>,
    /// Turned away at its arrival with a 503 (`overflow=reject`): never accepted, no worker, no
    /// finish, no spans. Absent in traces from before the key existed, hence the default.
    #[serde(default)]
    pub rejected: bool,
    /// The response's HTTP status: 200, the route's `status_code`, an `HTTPException`'s, 500
    /// for an exception the handler let through, 503 when rejected. Absent in traces from
    /// before the field existed, hence the default.
    #[serde(default = "ok")]
    pub status: u16,
    /// When its response was sent, when that was before its finish: the handler added
    /// `BackgroundTasks`, which the worker runs after the response. The student's wait ends
    /// here; the worker's work for it at `finish`. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responded: Option<SimTime>,
    /// Index of its first span in [`Trace::spans`].
    pub first_span: u32,
    /// How many spans it has.
    pub span_count: u32,
}

/// One stretch during which a worker was occupied by one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerSpan {
    /// First instant.
    pub start: SimTime,
    /// First instant after.
    pub end: SimTime,
    /// The student whose request held the worker.
    pub student: u32,
    /// `Running` (CPU), `Blocked` (a blocking I/O call) or `WaitingConnection` (a blocking wait
    /// for a database connection).
    pub state: State,
    /// The handler line.
    pub step: Step,
}

/// One worker's occupied time, in time order, never overlapping.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkerTrace {
    /// Worker number, from 0.
    pub id: u32,
    /// Occupied stretches.
    pub spans: Vec<WorkerSpan>,
}

/// Where a student is at one moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Status {
    /// Has not arrived yet.
    NotArrived,
    /// Somewhere between arrival and completion.
    Active {
        /// What it is doing.
        state: State,
        /// On which handler line (`None` while queued).
        step: Option<Step>,
    },
    /// Completed.
    Finished,
    /// Turned away at its arrival (`overflow=reject`); it never entered a worker.
    Rejected,
}

/// Everything a run produced. Spans of all students live in one vector (one allocation for a
/// million students); [`Trace::spans_of`] gives one student's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trace {
    /// The scenario that produced it.
    pub scenario: Scenario,
    /// Every student, indexed by id.
    pub students: Vec<StudentTrace>,
    /// Every span, grouped by student (in completion order, not id order).
    pub spans: Vec<Span>,
    /// Every worker, indexed by id.
    pub workers: Vec<WorkerTrace>,
    /// The last moment the trace covers: the last completion for a complete run (a rejection
    /// never comes last: it happens only while every slot is held by a request that finishes
    /// later), the clock for a partial one.
    pub end: SimTime,
    /// Whether every student completed or was rejected.
    pub complete: bool,
    /// The metrics at `end`; equal to `metrics_at(end)`.
    pub metrics: Metrics,
    /// The shared `seats_left` cell's reads and writes (race handler only).
    #[serde(default)]
    pub seats: Option<SeatsTrace>,
    /// What the handler printed, in time order.
    #[serde(default)]
    pub log: Vec<LogLine>,
    /// Logging records below the logging level: Python writes them nowhere.
    #[serde(default)]
    pub log_hidden: u32,
}

fn ok() -> u16 {
    200
}

/// One line a request printed: which student's request, when, and the text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    pub student: u32,
    pub at: SimTime,
    pub text: String,
}

/// Most lines a run keeps: a loop of prints in every request stops adding here.
pub const MAX_LOG_LINES: usize = 2_000;

/// A student's letter in a run of `students`: `A`..`Z` when the run has at most 26, as the
/// article names its students; none in a larger run, whose students are numbered from 1. The
/// page and the exports both name students by it, so a download says what the screen said.
pub fn student_letter(id: u32, students: u32) -> Option<char> {
    (students <= 26 && id < 26).then(|| char::from(b'A' + id as u8))
}

impl Trace {
    /// The spans of one student, in time order (empty for an unknown id).
    pub fn spans_of(&self, student: u32) -> &[Span] {
        match self.students.get(student as usize) {
            Some(s) => {
                let start = s.first_span as usize;
                self.spans
                    .get(start..start + s.span_count as usize)
                    .unwrap_or(&[])
            }
            None => &[],
        }
    }

    /// Where `student` is at time `t` (spans are half-open: at a boundary the later span counts).
    pub fn status_at(&self, student: u32, t: SimTime) -> Status {
        let Some(s) = self.students.get(student as usize) else {
            return Status::NotArrived;
        };
        if t < s.arrival {
            return Status::NotArrived;
        }
        if s.rejected {
            return Status::Rejected;
        }
        if s.finish.is_some_and(|f| f <= t) {
            return Status::Finished;
        }
        if s.accepted.is_none_or(|a| t < a) {
            return Status::Active {
                state: State::Queued,
                step: None,
            };
        }
        match self.last_span_from(student, t) {
            Some(sp) => Status::Active {
                state: sp.state,
                step: sp.step,
            },
            // Accepted and finished in the same instant: nothing to show.
            None => Status::Finished,
        }
    }

    /// The span of `student` covering `t` (half-open: at a boundary the later span), if any:
    /// none before its arrival, from its finish on, or for a rejected student.
    pub fn span_at(&self, student: u32, t: SimTime) -> Option<&Span> {
        self.last_span_from(student, t).filter(|sp| t < sp.end)
    }

    /// The last span of `student` starting at or before `t` (a partial trace's status past its
    /// end is its last span's).
    fn last_span_from(&self, student: u32, t: SimTime) -> Option<&Span> {
        let spans = self.spans_of(student);
        let i = spans.partition_point(|sp| sp.start <= t);
        spans.get(i.checked_sub(1)?)
    }

    /// The line of the handler's source text `student`'s request is on at `t`, from 1: the line
    /// of the call it is running, blocked in, awaiting or waiting a connection or thread for;
    /// while ready (or waiting for the interpreter lock), the line it resumes on: the call that
    /// just returned, or before its first poll the handler's first call. `None` while queued,
    /// before its arrival, from its finish on, and for a handler without source text.
    pub fn line_at(&self, student: u32, t: SimTime) -> Option<u16> {
        self.span_at(student, t).and_then(|sp| sp.line)
    }

    /// Every wait at `t`, shortest first: the ones [`Trace::metrics_at`] summarises (students
    /// arrived by `t` and not turned away, up to their finish or to `t`).
    pub fn waits_at(&self, t: SimTime) -> Vec<SimTime> {
        let mut waits: Vec<SimTime> = self
            .times()
            .filter_map(|s| metrics::wait_at(&s, t))
            .collect();
        order::times(&mut waits);
        waits
    }

    /// The metrics at moment `t`: completed by `t`, in flight at `t`, the maximum in flight over
    /// `[0, t]`, the waits of every student arrived by `t` (up to its finish, or up to `t` if it
    /// is still waiting), throughput `completed / t`, utilization (and its parts, CPU and blocked)
    /// over `[0, t]`. At `t = end` this equals [`Trace::metrics`] exactly.
    pub fn metrics_at(&self, t: SimTime) -> Metrics {
        let mut busy = Busy::default();
        for sp in self.workers.iter().flat_map(|w| &w.spans) {
            busy.add(sp.state, (sp.end.min(t) - sp.start).as_micros());
        }
        metrics::compute(t, self.workers.len() as u32, &mut self.times(), busy)
    }

    pub(crate) fn times(&self) -> impl Iterator<Item = Times> + '_ {
        self.students.iter().map(|s| Times {
            arrival: s.arrival,
            accepted: s.accepted,
            finish: s.finish,
            responded: s.responded,
            rejected: s.rejected,
        })
    }

    /// Requests in flight on each worker at `t` (indexed by worker id).
    pub fn in_flight_by_worker(&self, t: SimTime) -> Vec<u32> {
        let mut counts = vec![0u32; self.workers.len()];
        for s in &self.students {
            if let (Some(w), Some(a)) = (s.worker, s.accepted) {
                if a <= t && s.finish.is_none_or(|f| f > t) {
                    if let Some(c) = counts.get_mut(w as usize) {
                        *c += 1;
                    }
                }
            }
        }
        counts
    }

    /// Every moment at which the picture changes (an arrival, a span boundary, a completion, a
    /// worker span boundary, a query on `seats_left`), sorted, without repeats. Cache it when
    /// stepping through a large trace; [`Trace::next_change_after`] needs no cache.
    pub fn change_times(&self) -> Vec<SimTime> {
        let mut times = Vec::with_capacity(2 * self.spans.len() + 3 * self.students.len());
        self.each_boundary(&mut |x| times.push(x));
        order::times(&mut times);
        times.dedup();
        times
    }

    /// Hands `f` each moment of [`Trace::change_times`], unsorted and with repeats: the one list
    /// of what changes the picture, shared with the linear scans below. Plain loops: a chain of
    /// iterator adapters made each of its three uses a copy of every adapter's code.
    fn each_boundary(&self, f: &mut dyn FnMut(SimTime)) {
        for s in &self.students {
            f(s.arrival);
            if let Some(t) = s.accepted {
                f(t);
            }
            if let Some(t) = s.finish {
                f(t);
            }
        }
        for sp in &self.spans {
            f(sp.start);
            f(sp.end);
        }
        for sp in self.workers.iter().flat_map(|w| &w.spans) {
            f(sp.start);
            f(sp.end);
        }
        for t in self.seats.iter().flat_map(SeatsTrace::times) {
            f(t);
        }
        f(SimTime::ZERO);
        f(self.end);
    }

    /// The first moment after `t` at which the picture changes (a linear scan).
    pub fn next_change_after(&self, t: SimTime) -> Option<SimTime> {
        let mut next: Option<SimTime> = None;
        self.each_boundary(&mut |x| {
            if x > t && next.is_none_or(|n| x < n) {
                next = Some(x);
            }
        });
        next
    }

    /// The last moment before `t` at which the picture changes (a linear scan).
    pub fn prev_change_before(&self, t: SimTime) -> Option<SimTime> {
        let mut prev: Option<SimTime> = None;
        self.each_boundary(&mut |x| {
            if x < t && prev.is_none_or(|p| x > p) {
                prev = Some(x);
            }
        });
        prev
    }

    /// A 64-bit FNV-1a hash of the trace's canonical encoding (fixed-width little-endian integers,
    /// floats by their bits, options tagged), identical on every platform for the same trace.
    pub fn hash(&self) -> u64 {
        let mut h = Fnv1a::new();
        h.u32(self.students.len() as u32);
        for s in &self.students {
            h.u32(s.id);
            h.u64(s.arrival.as_micros());
            h.opt(s.accepted.map(SimTime::as_micros));
            h.opt(s.worker.map(u64::from));
            h.opt(s.finish.map(SimTime::as_micros));
            let spans = self.spans_of(s.id);
            h.u32(spans.len() as u32);
            for sp in spans {
                h.u64(sp.start.as_micros());
                h.u64(sp.end.as_micros());
                h.byte(sp.state.code());
                h.byte(sp.step.map_or(0xff, Step::code));
            }
        }
        h.u32(self.workers.len() as u32);
        for w in &self.workers {
            h.u32(w.id);
            h.u32(w.spans.len() as u32);
            for sp in &w.spans {
                h.u64(sp.start.as_micros());
                h.u64(sp.end.as_micros());
                h.u32(sp.student);
                h.byte(sp.state.code());
                h.byte(sp.step.code());
            }
        }
        h.u64(self.end.as_micros());
        h.byte(u8::from(self.complete));
        let m = &self.metrics;
        for x in [
            m.time.as_micros(),
            u64::from(m.completed),
            u64::from(m.in_flight),
            u64::from(m.max_in_flight),
            m.makespan.as_micros(),
            m.throughput_per_s.to_bits(),
            m.utilization.to_bits(),
            m.latency.mean_s.to_bits(),
            m.latency.p50.as_micros(),
            m.latency.p95.as_micros(),
            m.latency.p99.as_micros(),
            m.latency.max.as_micros(),
        ] {
            h.u64(x);
        }
        // Only traces with a seats record hash it, so the article's traces keep their hashes.
        if let Some(seats) = &self.seats {
            h.byte(0x5e);
            h.u32(seats.initial);
            h.u32(seats.ops.len() as u32);
            for op in &seats.ops {
                h.byte(match op.kind {
                    SeatOpKind::Read => 0,
                    SeatOpKind::Write => 1,
                });
                h.u32(op.student);
                h.u32(op.worker);
                h.u64(op.start.as_micros());
                h.u64(op.at.as_micros());
                h.u32(op.value);
                h.u32(op.version);
                h.u32(op.replaced);
                h.u32(op.seen);
            }
            h.u32(seats.took_seat.len() as u32);
            for took in &seats.took_seat {
                h.byte(took.map_or(0xff, u8::from));
            }
        }
        // Only traces with a rejection hash them, so every other trace keeps its hash.
        if m.rejected > 0 || self.students.iter().any(|s| s.rejected) {
            h.byte(0x72);
            h.u32(m.rejected);
            for s in self.students.iter().filter(|s| s.rejected) {
                h.u32(s.id);
            }
        }
        h.finish()
    }
}

/// 64-bit FNV-1a, chosen for being tiny and fully specified.
struct Fnv1a(u64);

impl Fnv1a {
    fn new() -> Fnv1a {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }

    fn byte(&mut self, b: u8) {
        self.0 ^= u64::from(b);
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }

    fn u32(&mut self, x: u32) {
        for b in x.to_le_bytes() {
            self.byte(b);
        }
    }

    fn u64(&mut self, x: u64) {
        for b in x.to_le_bytes() {
            self.byte(b);
        }
    }

    fn opt(&mut self, x: Option<u64>) {
        match x {
            Some(v) => {
                self.byte(1);
                self.u64(v);
            }
            None => self.byte(0),
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_reference_value() {
        let mut h = Fnv1a::new();
        for b in *b"a" {
            h.byte(b);
        }
        assert_eq!(h.finish(), 0xaf63_dc4c_8601_ec8c);
    }
}
