//! The timeline picture (SVG): time left to right, the worker lanes on top, the accept queue,
//! then one row per student. Reads the trace; computes nothing a reader sees as a number beyond
//! counting what the trace holds.
//!
//! The whole run is drawn once per trace and width (`RunDrawing`, which Yew then skips while the
//! clock moves); the current time is an HTML layer on top of it, moved by a CSS transform: the
//! now line, a veil that leaves the future faint, and the queue's count. A
//! frame so touches a few elements instead of re-recording hundreds of growing SVG rectangles,
//! which is what kept a 100-student timeline from 60 frames a second.

use std::rc::Rc;

use yew::prelude::*;

use crate::app::SharedTrace;

use crate::sim::handler::Step;
use crate::sim::time::SimTime;
use crate::sim::trace::{State, Trace};
use crate::view::format;
use crate::view::timeline::{queue_at, queue_length, student_name, ticks};

/// At most this many student rows; larger runs show the first ones and say so.
pub const MAX_ROWS: u32 = 100;

#[derive(Properties, PartialEq, Clone)]
pub struct TimelineProps {
    pub trace: SharedTrace,
    /// The current time.
    pub t: SimTime,
    /// The drawing's width in CSS pixels.
    pub width: f64,
    /// A unique prefix for this picture's pattern ids (several pictures can share a page).
    pub uid: AttrValue,
    /// A short name for the picture, for screen readers.
    pub label: AttrValue,
    /// Pixels for the student rows (shorter when several pictures share the scene).
    #[prop_or(520.0)]
    pub rows_px: f64,
    /// The time at the right edge, when several pictures share one axis (default: the run's end).
    #[prop_or_default]
    pub axis_end: Option<SimTime>,
}

/// The narrowest the picture is drawn, in CSS pixels (a phone in portrait: the text keeps its
/// size, only time gets fewer pixels).
pub const MIN_WIDTH: f64 = 320.0;
const LABEL_W: f64 = 76.0;
const RIGHT_PAD: f64 = 24.0;
const AXIS_H: f64 = 26.0;
const LANE_H: f64 = 22.0;
const GAP: f64 = 8.0;

/// The CSS class and the height share (of the row) that give a state its look.
pub(crate) fn span_look(state: State, step: Option<Step>) -> (&'static str, f64) {
    let io = |db: &'static str, email: &'static str| match step {
        Some(step) if step.is_database() => db,
        _ => email,
    };
    match state {
        State::Queued => ("al-s-queued", 0.3),
        State::Running => ("al-s-running", 1.0),
        State::AwaitingIo => (io("al-s-await-db", "al-s-await-email"), 0.7),
        State::Blocked => (io("al-s-blocked-db", "al-s-blocked-email"), 1.0),
        State::WaitingConnection => ("al-s-conn", 0.7),
        State::Ready => ("al-s-ready", 0.7),
        State::ThreadWait => ("al-s-thread", 0.5),
    }
}

/// The SVG patterns behind the hatched and dotted states (awaiting the database or the email,
/// waiting for a connection), with ids under `uid`, for a picture's `<defs>`; `pattern_fill`
/// names them.
pub(crate) fn state_patterns(uid: &str) -> Html {
    html! {
        <>
            <pattern id={format!("{uid}-hatch-db")} class="al-pat-db" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                <rect width="6" height="6" class="al-pat-bg" /><line x1="0" y1="0" x2="0" y2="6" />
            </pattern>
            <pattern id={format!("{uid}-hatch-email")} class="al-pat-email" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">
                <rect width="6" height="6" class="al-pat-bg" /><line x1="0" y1="0" x2="0" y2="6" />
            </pattern>
            <pattern id={format!("{uid}-dots-db")} class="al-pat-db" width="5" height="5" patternUnits="userSpaceOnUse">
                <rect width="5" height="5" class="al-pat-bg" /><circle cx="2.5" cy="2.5" r="1.2" />
            </pattern>
        </>
    }
}

/// Pattern fills by id, for the states whose look is a hatch.
pub(crate) fn pattern_fill(class: &str, uid: &str) -> Option<String> {
    match class {
        "al-s-await-db" => Some(format!("url(#{uid}-hatch-db)")),
        "al-s-await-email" => Some(format!("url(#{uid}-hatch-email)")),
        "al-s-conn" => Some(format!("url(#{uid}-dots-db)")),
        _ => None,
    }
}

/// Where everything goes, in CSS pixels: a function of the trace's shape and the props only.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Geometry {
    width: f64,
    height: f64,
    plot_w: f64,
    end: SimTime,
    row_h: f64,
    shown: u32,
    queue_top: f64,
    rows_top: f64,
}

impl Geometry {
    fn new(trace: &Trace, width: f64, rows_px: f64, axis_end: Option<SimTime>) -> Geometry {
        let end = axis_end.unwrap_or(trace.end).max(SimTime::from_millis(1));
        let width = width.max(MIN_WIDTH);
        let shown = (trace.students.len() as u32).min(MAX_ROWS);
        let row_h = (rows_px / f64::from(shown.max(1))).clamp(2.0, 22.0);
        let queue_top = AXIS_H + trace.workers.len() as f64 * (LANE_H + 4.0) + GAP;
        let rows_top = queue_top + LANE_H + GAP;
        Geometry {
            width,
            height: rows_top + f64::from(shown) * row_h + 4.0,
            plot_w: width - LABEL_W - RIGHT_PAD,
            end,
            row_h,
            shown,
            queue_top,
            rows_top,
        }
    }

    fn x(&self, t: SimTime) -> f64 {
        LABEL_W + self.plot_w * (t.as_secs_f64() / self.end.as_secs_f64()).min(1.0)
    }

    fn lane_y(&self, worker: u32) -> f64 {
        AXIS_H + f64::from(worker) * (LANE_H + 4.0)
    }
}

/// What a worker is doing at `t`, in words.
fn worker_words(trace: &Trace, worker: usize, t: SimTime) -> String {
    let students = trace.students.len() as u32;
    let spans = &trace.workers[worker].spans;
    let i = spans.partition_point(|sp| sp.start <= t);
    match i.checked_sub(1).map(|i| &spans[i]).filter(|sp| sp.end > t) {
        Some(sp) => {
            let who = student_name(sp.student, students);
            match (sp.state, sp.step) {
                (State::Running, _) => format!("busy: validating {who}"),
                (_, Step::SaveToDatabase) => format!("blocked by {who}'s database call"),
                _ => format!("blocked by {who}'s email"),
            }
        }
        None => "free".to_string(),
    }
}

#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let trace = &props.trace;
    let g = Geometry::new(trace, props.width, props.rows_px, props.axis_end);
    let queue = use_memo(props.trace.clone(), |trace| queue_length(trace));
    let t = props.t.min(trace.end);
    let now_x = g.x(t);
    let queued_now = queue_at(&queue, t);
    // The queue's count sits just right of the now line, or left of it near the right edge.
    let flip = now_x > g.width - 120.0;
    // What each worker is doing right now, in words (beside the picture, never over it).
    let statuses = (0..trace.workers.len())
        .map(|w| html! { <li>{ format!("Worker {}: {}", w + 1, worker_words(trace, w, t)) }</li> })
        .collect::<Html>();
    let now_style = format!(
        "transform:translateX({now_x:.1}px);top:{:.1}px;height:{:.1}px;width:{:.1}px",
        AXIS_H - 4.0,
        g.height - (AXIS_H - 4.0),
        g.width - LABEL_W
    );
    html! {
        <div class="al-timeline-wrap">
            <ul class="al-worker-status" aria-live="off">{ statuses }</ul>
            <div class="al-timeline-stage" style={format!("width:{}px;height:{}px", g.width, g.height)}>
                <RunDrawing trace={props.trace.clone()} queue={queue.clone()} width={props.width} uid={props.uid.clone()}
                    label={props.label.clone()} rows_px={props.rows_px} axis_end={props.axis_end} />
                <div class={classes!("al-now-layer", flip.then_some("al-now-flip"))} style={now_style}>
                    <div class="al-now-veil"></div>
                    <div class="al-now-line"></div>
                    <span class="al-now-word al-queue-count" style={format!("top:{}px", g.queue_top - (AXIS_H - 4.0))}>
                        { format!("{queued_now} waiting") }
                    </span>
                </div>
            </div>
        </div>
    }
}

/// The props of the whole-run drawing; equal (the trace and the queue by identity, not their
/// contents) while the clock moves, so Yew skips it.
#[derive(Properties, Clone, PartialEq)]
struct RunProps {
    trace: SharedTrace,
    /// The accept queue's length over the run, computed once per run by `Timeline`.
    queue: Rc<Vec<(SimTime, u32)>>,
    width: f64,
    uid: AttrValue,
    label: AttrValue,
    rows_px: f64,
    axis_end: Option<SimTime>,
}

/// The whole run, start to end.
#[component]
fn RunDrawing(props: &RunProps) -> Html {
    let trace = &props.trace;
    let uid = props.uid.as_str();
    let g = Geometry::new(trace, props.width, props.rows_px, props.axis_end);
    let (width, height, plot_w) = (g.width, g.height, g.plot_w);
    let x = |t: SimTime| g.x(t);
    let t = trace.end;
    let students = trace.students.len() as u32;
    let shown = g.shown;
    let row_h = g.row_h;
    let label_every = (16.0 / row_h).ceil().max(1.0) as u32;
    let queue_top = g.queue_top;
    let rows_top = g.rows_top;
    let queue = &props.queue;

    let axis = ticks(g.end, (plot_w / 90.0).max(2.0) as u32)
        .into_iter()
        .map(|tick| {
            let tx = x(tick);
            html! {
                <g class="al-tick">
                    <line x1={tx.to_string()} x2={tx.to_string()} y1={(AXIS_H - 6.0).to_string()} y2={height.to_string()} />
                    <text x={tx.to_string()} y={(AXIS_H - 10.0).to_string()} text-anchor={if tx > width - RIGHT_PAD - 12.0 { "end" } else { "middle" }}>{ format::secs(tick.as_secs_f64()).split(' ').next().unwrap_or("") }</text>
                </g>
            }
        })
        .collect::<Html>();

    let worker_lanes = trace
        .workers
        .iter()
        .map(|w| {
            let y = g.lane_y(w.id);
            let spans = w
                .spans
                .iter()
                .map(|sp| {
                    let (class, _) = span_look(sp.state, Some(sp.step));
                    let x0 = x(sp.start);
                    let w = (x(sp.end) - x0).max(1.0);
                    html! { <rect class={class} x={x0.to_string()} y={(y + 1.0).to_string()} width={w.to_string()} height={(LANE_H - 2.0).to_string()} /> }
                })
                .collect::<Html>();
            html! {
                <g class="al-worker-lane">
                    <text class="al-lane-label" x="4" y={(y + LANE_H * 0.68).to_string()}>{ format!("Worker {}", w.id + 1) }</text>
                    <rect class="al-lane-bg" x={LABEL_W.to_string()} y={y.to_string()} width={plot_w.to_string()} height={LANE_H.to_string()} fill={format!("url(#{uid}-idle)")} />
                    { spans }
                </g>
            }
        })
        .collect::<Html>();

    // The accept queue's length over time, as a step area scaled to the lane.
    let max_queue = queue.iter().map(|(_, c)| *c).max().unwrap_or(0).max(1);
    let queue_path = {
        let base = queue_top + LANE_H;
        let scale = (LANE_H - 2.0) / f64::from(max_queue);
        let mut d = format!("M{LABEL_W:.1},{base:.1}");
        let mut last = 0u32;
        for (from, count) in queue.iter().take_while(|(from, _)| *from <= t) {
            let px = x(*from);
            d.push_str(&format!(
                "L{px:.1},{:.1}L{px:.1},{:.1}",
                base - f64::from(last) * scale,
                base - f64::from(*count) * scale
            ));
            last = *count;
        }
        d.push_str(&format!(
            "L{:.1},{:.1}L{:.1},{base:.1}Z",
            x(t),
            base - f64::from(last) * scale,
            x(t)
        ));
        d
    };

    let rows = (0..shown)
        .map(|id| {
            let y = rows_top + f64::from(id) * row_h;
            let st = &trace.students[id as usize];
            let name = student_name(id, students);
            let label = (id.is_multiple_of(label_every)).then(|| html! {
                <text class="al-row-label" x={(LABEL_W - 6.0).to_string()} y={(y + row_h * 0.5 + 4.0).to_string()} text-anchor="end">{ name.clone() }</text>
            });
            let queued = (st.arrival <= t).then(|| {
                let until = st.accepted.unwrap_or(t).min(t);
                let (class, share) = span_look(State::Queued, None);
                let h = (row_h - 1.0) * share;
                html! { <rect class={class} x={x(st.arrival).to_string()} y={(y + (row_h - h) / 2.0).to_string()} width={(x(until) - x(st.arrival)).max(0.0).to_string()} height={h.to_string()} /> }
            });
            let spans = trace
                .spans_of(id)
                .iter()
                .map(|sp| {
                    let (class, share) = span_look(sp.state, sp.step);
                    let h = (row_h - 1.0) * share;
                    let x0 = x(sp.start);
                    let w = (x(sp.end.min(t)) - x0).max(1.0);
                    html! { <rect class={class} fill={pattern_fill(class, uid)} x={x0.to_string()} y={(y + (row_h - 1.0 - h) / 2.0).to_string()} width={w.to_string()} height={h.to_string()} /> }
                })
                .collect::<Html>();
            let done = st.finish.filter(|f| *f <= t).map(|f| {
                let fx = x(f);
                html! { <line class="al-done-mark" x1={fx.to_string()} x2={fx.to_string()} y1={y.to_string()} y2={(y + row_h - 1.0).to_string()} /> }
            });
            html! { <g>{ label }{ queued }{ spans }{ done }</g> }
        })
        .collect::<Html>();

    html! {
        <svg class="al-timeline" width={width.to_string()} height={height.to_string()}
            viewBox={format!("0 0 {width} {height}")} role="img" aria-label={props.label.clone()}>
            <defs>
                { state_patterns(uid) }
                <pattern id={format!("{uid}-idle")} class="al-pat-idle" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <line x1="0" y1="0" x2="0" y2="8" />
                </pattern>
            </defs>
            { axis }
            <text class="al-axis-unit" x={(LABEL_W - 6.0).to_string()} y={(AXIS_H - 10.0).to_string()} text-anchor="end">{ "seconds" }</text>
            { worker_lanes }
            <g class="al-queue-lane">
                <text class="al-lane-label" x="4" y={(queue_top + LANE_H * 0.68).to_string()}>{ "Queue" }</text>
                <rect class="al-lane-bg" x={LABEL_W.to_string()} y={queue_top.to_string()} width={plot_w.to_string()} height={LANE_H.to_string()} />
                <path class="al-queue-area" d={queue_path} />
            </g>
            { rows }
        </svg>
    }
}
