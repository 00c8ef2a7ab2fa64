//! A run as the app holds it: the trace of one simulation, shared by reference and compared by
//! identity, with what is derived from it once per run. Opaque: nothing here gives the trace
//! back, so the app can only hand a run to the page's models (through the methods below), never
//! read a field of it; the compiler holds the rule that `tests/architecture.rs` states.

use std::cell::OnceCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::sim::store::Shared;
use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use crate::sim::{simulate, Scenario, SimError};
use crate::view::format;
use crate::view::handler_code::LineState;
use crate::view::histogram::{Histogram, Scale};
use crate::view::inside::{caption, first_snapshot, students_of, Caption, WorkerBox, WORKER};
use crate::view::load::{capacity_per_s, LoadCurve};
use crate::view::page::{side, Side};
use crate::view::playback::Changes;
use crate::view::playground::PrintedLog;
use crate::view::series::Series;
use crate::view::timeline::{rows_note, Drawing, Now, Rows};
use crate::view::workers::WorkersModel;

/// A run's trace, shared by the components that draw it. Two are equal when they are the same
/// run (the same allocation), so props that carry one compare in constant time: a component
/// re-renders for a new run or a new moment, and never compares a trace's contents.
#[derive(Clone, Debug)]
pub struct SharedTrace(Rc<Inner>);

/// A trace and what is derived from it once per run, whichever picture asks first.
#[derive(Debug)]
struct Inner {
    trace: Trace,
    /// A number no other run of the page has had (a freed run's address may be reused).
    serial: u32,
    /// The accept queue, and each worker's requests by look, over the run.
    series: OnceCell<(Series, Vec<Series>)>,
    /// The `inside` scene's caption and its worker's students.
    inside: OnceCell<(Caption, Vec<u32>)>,
    /// The load curve of the setup the run was made from (the `load` scene's).
    load: OnceCell<LoadCurve>,
    /// The `workers` scene's model and caption.
    workers: OnceCell<(Rc<WorkersModel>, String)>,
    /// What the run's setup can take, per second (it may simulate the handler).
    capacity: OnceCell<f64>,
    /// The last timeline drawn of the run, and what it was drawn for: the clock's frames ask
    /// for the same one again.
    drawn: Shared<Option<(DrawingKey, Rc<Drawing>)>>,
}

/// What a timeline drawing depends on besides its run: width, rows' height, axis end, follow and
/// guess.
type DrawingKey = (u64, u64, Option<SimTime>, Option<u32>, Option<SimTime>);

impl PartialEq for SharedTrace {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl From<Trace> for SharedTrace {
    fn from(trace: Trace) -> SharedTrace {
        static RUNS: AtomicU32 = AtomicU32::new(0);
        SharedTrace(Rc::new(Inner {
            trace,
            serial: RUNS.fetch_add(1, Ordering::Relaxed),
            series: OnceCell::new(),
            inside: OnceCell::new(),
            load: OnceCell::new(),
            workers: OnceCell::new(),
            capacity: OnceCell::new(),
            drawn: Shared::default(),
        }))
    }
}

impl SharedTrace {
    /// Runs `scenario` in the core.
    ///
    /// # Errors
    /// Why the scenario cannot be simulated (the core's `SimError`).
    pub fn run(scenario: &Scenario) -> Result<SharedTrace, SimError> {
        simulate(scenario).map(SharedTrace::from)
    }

    /// The trace, for the page's models only.
    pub(in crate::view) fn trace(&self) -> &Trace {
        &self.0.trace
    }

    /// The run's accept queue and each worker's requests over time, computed on first use.
    pub(in crate::view) fn series(&self) -> (&Series, &[Series]) {
        let (backlog, lanes) = self.0.series.get_or_init(|| {
            (
                Series::backlog(&self.0.trace),
                Series::per_worker(&self.0.trace),
            )
        });
        (backlog, lanes)
    }

    /// The moments where anything changes, where the step keys stop.
    pub fn changes(&self) -> Changes {
        let (backlog, lanes) = self.series();
        Changes::of(self.trace(), backlog, lanes)
    }

    /// `t`, or the run's end if `t` is past it: a picture shows nothing after the end.
    fn clamp(&self, t: SimTime) -> SimTime {
        t.min(self.0.trace.end)
    }

    /// A timeline's name for screen readers: "Timeline of 20 students", then `more`.
    pub fn timeline_label(&self, more: &str) -> String {
        format!("Timeline of {} students{more}", self.0.trace.students.len())
    }

    /// The timeline's student rows (how many, which are drawn).
    pub fn rows(&self) -> Rows {
        Rows::of(self.trace())
    }

    /// The note under a timeline that draws only some of its students.
    pub fn rows_note(&self) -> Option<String> {
        rows_note(self.rows())
    }

    /// "done: 3 of 20", under a handler's code.
    pub fn done_of(&self, done: u32) -> String {
        format!(
            "done: {} of {}",
            format::count(done.into()),
            format::count(self.0.trace.students.len() as u64)
        )
    }

    /// The timeline laid out (see `Drawing::new`); the same drawing as last time when asked for
    /// the same one, so a picture can compare it by identity.
    pub fn drawing(
        &self,
        width: f64,
        rows_px: f64,
        axis_end: Option<SimTime>,
        marks: (Option<u32>, Option<SimTime>),
    ) -> Rc<Drawing> {
        let key = (
            width.to_bits(),
            rows_px.to_bits(),
            axis_end,
            marks.0,
            marks.1,
        );
        let mut drawn = self.0.drawn.borrow_mut();
        match &*drawn {
            Some((k, drawing)) if *k == key => Rc::clone(drawing),
            _ => {
                let drawing = Rc::new(Drawing::new(
                    self.trace(),
                    self.series().0,
                    width,
                    rows_px,
                    axis_end,
                    marks,
                ));
                *drawn = Some((key, Rc::clone(&drawing)));
                drawing
            }
        }
    }

    /// The timeline's present at `t` (see `Drawing::now`).
    pub fn now(&self, drawing: &Drawing, t: SimTime) -> Now {
        let (backlog, lanes) = self.series();
        drawing.now(self.trace(), backlog, lanes, t)
    }

    /// The later end of two runs: the right edge of an axis they share.
    pub fn end_with(&self, other: &SharedTrace) -> SimTime {
        self.0.trace.end.max(other.0.trace.end)
    }

    /// One side of the `compare` scene at `t`.
    pub fn side(&self, t: SimTime) -> Side {
        side(self.trace(), t)
    }

    /// The `inside` scene's caption and the students of its worker (`WORKER`), once per run.
    pub fn inside(&self) -> (&Caption, &[u32]) {
        let (caption_, mine) = self.0.inside.get_or_init(|| {
            let trace = self.trace();
            (
                caption(trace, first_snapshot(trace)),
                students_of(trace, WORKER),
            )
        });
        (caption_, mine)
    }

    /// What the run's setup can take, per second ([`capacity_per_s`]), once per run.
    pub fn capacity_per_s(&self) -> f64 {
        *self
            .0
            .capacity
            .get_or_init(|| capacity_per_s(&self.0.trace.scenario))
    }

    /// The load curve of `setup`, the setup this run was made from (`SceneId::run`), once per
    /// run: the `load` scene's picture.
    pub fn load_curve(&self, setup: &Scenario) -> &LoadCurve {
        self.0.load.get_or_init(|| LoadCurve::new(setup))
    }

    /// The worker box at `t`, of the students `mine` (from `inside`).
    pub fn worker_box(&self, mine: &[u32], t: SimTime) -> WorkerBox {
        WorkerBox::at(self.trace(), mine, t)
    }

    /// The article's handler's lines at `t` and how many are done.
    pub fn handler_lines_at(&self, t: SimTime) -> (Vec<LineState>, u32) {
        crate::view::handler_code::lines_at(self.trace(), self.clamp(t))
    }

    /// The reader's `code`'s lines at `t` and how many are done.
    pub fn code_lines_at(&self, t: SimTime, code: &str) -> (Vec<LineState>, u32) {
        crate::view::playground::lines_at(self.trace(), self.clamp(t), code)
    }

    /// What the handler printed up to `t`.
    pub fn printed_at(&self, t: SimTime) -> Option<PrintedLog> {
        crate::view::playground::printed_at(self.trace(), t)
    }

    /// The responses sent up to `t`, in words.
    pub fn responses_at(&self, t: SimTime) -> Option<String> {
        crate::view::playground::responses_at(self.trace(), t)
    }

    /// What a frame of the `workers` canvas depends on, as one text: this run, the moment, the
    /// width, the theme and the guess. The canvas is painted again when it changes.
    pub fn workers_frame_key(
        &self,
        t: SimTime,
        width: f64,
        dark: bool,
        guess: Option<SimTime>,
    ) -> String {
        format!(
            "{} {} {} {dark} {}",
            self.0.serial,
            t.as_micros(),
            width.to_bits(),
            guess.map_or(u64::MAX, SimTime::as_micros)
        )
    }

    /// The `workers` scene's model and its caption, once per run.
    pub fn workers(&self) -> (Rc<WorkersModel>, &str) {
        let (model, words) = self.0.workers.get_or_init(|| {
            let model = WorkersModel::new(self.trace());
            let words = crate::view::workers::caption(self.trace(), &model);
            (Rc::new(model), words)
        });
        (Rc::clone(model), words)
    }

    /// The race scene at `t`, `width` pixels wide; `None` for a handler with no shared seats.
    pub fn race(&self, width: f64, t: SimTime) -> Option<crate::view::race::RaceAt> {
        crate::view::race::RaceAt::of(self.trace(), width, t)
    }

    /// The axes of the distribution of `runs`' waits.
    pub fn scale(runs: &[SharedTrace]) -> Option<Scale> {
        let traces: Vec<&Trace> = runs.iter().map(SharedTrace::trace).collect();
        (!traces.is_empty()).then(|| Scale::of(&traces))
    }

    /// The distribution of `runs`' waits at `t`, on `scale`, `width` units wide.
    pub fn histogram(runs: &[SharedTrace], scale: Scale, t: SimTime, width: f64) -> Histogram {
        let traces: Vec<&Trace> = runs.iter().map(SharedTrace::trace).collect();
        Histogram::at(&traces, scale, t, width)
    }
}

#[cfg(test)]
#[path = "run_tests.rs"]
mod tests;
