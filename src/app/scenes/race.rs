//! The `race` scene: the worker lanes, each student's read, decide and write, and the shared
//! `seats_left` cell as a track with every query as an arrow out of it (read) or into it (write),
//! labelled with its value; a lost update is called out in words once the clock passes it. Every
//! query, value and time is read from the trace's seats record; nothing here simulates.

use yew::prelude::*;

use crate::app::scenes::PictureProps;
use crate::app::timeline::{pattern_fill, span_look, state_patterns};
use crate::sim::handler::Step;
use crate::sim::scenario::{Arrival, IoDist, Scenario};
use crate::sim::seats::{SeatOpKind, SeatsTrace};
use crate::sim::time::SimTime;
use crate::sim::trace::{State, Trace};
use crate::view::config::{Moment, PageConfig};
use crate::view::race::{callouts, op_label, readout, verdict};
use crate::view::timeline::{student_name, ticks};

/// Below this width the picture keeps its size and scrolls sideways.
const MIN_W: f64 = 680.0;
const LABEL_W: f64 = 96.0;
const RIGHT_PAD: f64 = 84.0;
const AXIS_H: f64 = 26.0;
const LANE_H: f64 = 22.0;
const CELL_H: f64 = 30.0;
const ROW_H: f64 = 46.0;
/// Room above a student's spans for the labels of its queries.
const ROW_LABEL_H: f64 = 16.0;
const SPAN_H: f64 = 20.0;
const GAP: f64 = 12.0;

/// Geometry shared by the parts of the drawing.
struct Frame {
    width: f64,
    plot_w: f64,
    end: SimTime,
    t: SimTime,
    workers_top: f64,
    cell_top: f64,
    rows_top: f64,
    height: f64,
}

impl Frame {
    fn new(trace: &Trace, width: f64, t: SimTime) -> Frame {
        let width = width.max(MIN_W);
        let workers_top = AXIS_H;
        let cell_top = workers_top + trace.workers.len() as f64 * (LANE_H + 4.0) + GAP;
        let rows_top = cell_top + CELL_H + GAP;
        Frame {
            width,
            plot_w: width - LABEL_W - RIGHT_PAD,
            end: trace.end.max(SimTime::from_millis(1)),
            t: t.min(trace.end),
            workers_top,
            cell_top,
            rows_top,
            height: rows_top + trace.students.len() as f64 * ROW_H + 6.0,
        }
    }

    fn x(&self, t: SimTime) -> f64 {
        LABEL_W + self.plot_w * (t.as_secs_f64() / self.end.as_secs_f64()).min(1.0)
    }

    fn row_y(&self, student: u32) -> f64 {
        self.rows_top + f64::from(student) * ROW_H
    }

    /// The top of a student's spans (where query arrows end or start).
    fn span_y(&self, student: u32) -> f64 {
        self.row_y(student) + ROW_LABEL_H
    }
}

fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// Milliseconds for the axis and labels: the race lasts a fraction of a second.
fn ms(t: SimTime) -> String {
    format!("{}", (t.as_secs_f64() * 1000.0).round())
}

fn step_word(step: Option<Step>) -> Option<&'static str> {
    match step {
        Some(Step::ReadSeats) => Some("read"),
        Some(Step::Decide) => Some("decide"),
        Some(Step::WriteSeats) => Some("write"),
        _ => None,
    }
}

fn axis(f: &Frame) -> Html {
    let ticks = ticks(f.end, (f.plot_w / 80.0).max(2.0) as u32);
    html! {
        <g class="al-race-axis">
            { for ticks.into_iter().map(|tick| {
                let tx = f.x(tick);
                html! {
                    <g class="al-tick">
                        <line x1={n(tx)} x2={n(tx)} y1={n(AXIS_H - 6.0)} y2={n(f.height)} />
                        <text x={n(tx)} y={n(AXIS_H - 10.0)} text-anchor="middle">{ ms(tick) }</text>
                    </g>
                }
            }) }
            <text class="al-axis-unit" x={n(LABEL_W - 14.0)} y={n(AXIS_H - 10.0)} text-anchor="end">{ "ms" }</text>
        </g>
    }
}

fn worker_lanes(trace: &Trace, f: &Frame) -> Html {
    let students = trace.students.len() as u32;
    trace
        .workers
        .iter()
        .map(|w| {
            let y = f.workers_top + f64::from(w.id) * (LANE_H + 4.0);
            let spans = w.spans.iter().take_while(|sp| sp.start <= f.t).map(|sp| {
                let (class, _) = span_look(sp.state, Some(sp.step));
                let x0 = f.x(sp.start);
                let width = (f.x(sp.end.min(f.t)) - x0).max(1.0);
                let who = student_name(sp.student, students);
                html! {
                    <g>
                        <rect class={class} x={n(x0)} y={n(y + 1.0)} width={n(width)} height={n(LANE_H - 2.0)} />
                        if width > 16.0 {
                            <text class="al-race-on-solid" x={n(x0 + width / 2.0)} y={n(y + LANE_H * 0.7)} text-anchor="middle">{ who }</text>
                        }
                    </g>
                }
            });
            html! {
                <g class="al-worker-lane">
                    <text class="al-lane-label" x="4" y={n(y + LANE_H * 0.7)}>{ format!("Worker {}", w.id + 1) }</text>
                    <rect class="al-lane-bg" x={n(LABEL_W)} y={n(y)} width={n(f.plot_w)} height={n(LANE_H)} />
                    { for spans }
                </g>
            }
        })
        .collect()
}

/// The `seats_left` track: the value over time up to now, one segment per write.
fn cell_track(trace: &Trace, seats: &SeatsTrace, f: &Frame, overwritten: &[u32]) -> Html {
    let students = trace.students.len() as u32;
    let writes: Vec<(usize, &_)> = seats
        .ops
        .iter()
        .enumerate()
        .filter(|(_, op)| op.kind == SeatOpKind::Write)
        .collect();
    let mut segments = Vec::new();
    let (mut from, mut value, mut by) = (SimTime::ZERO, seats.initial, None::<usize>);
    for (i, op) in writes.iter().filter(|(_, op)| op.at <= f.t) {
        segments.push((from, op.at, value, by));
        (from, value, by) = (op.at, op.value, Some(*i));
    }
    segments.push((from, f.t, value, by));
    let y = f.cell_top;
    let boxes = segments.into_iter().map(|(from, until, value, by)| {
        let x0 = f.x(from);
        let width = (f.x(until) - x0).max(0.0);
        let lost = by.is_some_and(|i| overwritten.contains(&(i as u32)));
        let title = match by {
            Some(i) => format!(
                "seats_left = {value}, written by Student {}",
                student_name(seats.ops[i].student, students)
            ),
            None => format!("seats_left = {value} at the start"),
        };
        html! {
            <g class={classes!("al-race-cell", lost.then_some("al-race-overwritten"))}>
                <rect x={n(x0)} y={n(y)} width={n(width)} height={n(CELL_H)} />
                if width > 14.0 {
                    <text class="al-race-cell-value" x={n(x0 + width / 2.0)} y={n(y + CELL_H * 0.68)} text-anchor="middle">{ value }</text>
                }
                <title>{ title }</title>
            </g>
        }
    });
    // The value now, in a box just after the now line, so it is readable even when the last
    // write has only just taken effect.
    let now_x = f.x(f.t) + 6.0;
    html! {
        <g class="al-race-track">
            <text class="al-lane-label al-race-mono" x="4" y={n(y + CELL_H * 0.65)}>{ "seats_left" }</text>
            <rect class="al-lane-bg" x={n(LABEL_W)} y={n(y)} width={n(f.plot_w)} height={n(CELL_H)} />
            { for boxes }
            <g class="al-race-now-value">
                <rect x={n(now_x)} y={n(y + 3.0)} width="30" height={n(CELL_H - 6.0)} rx="4" />
                <text class="al-race-cell-value" x={n(now_x + 15.0)} y={n(y + CELL_H * 0.68)} text-anchor="middle">{ seats.value_at(f.t) }</text>
            </g>
        </g>
    }
}

fn student_rows(trace: &Trace, seats: &SeatsTrace, f: &Frame, uid: &str) -> Html {
    let students = trace.students.len() as u32;
    (0..students)
        .map(|id| {
            let st = &trace.students[id as usize];
            let y = f.row_y(id);
            let span_y = f.span_y(id);
            let spans = trace.spans_of(id).iter().take_while(|sp| sp.start <= f.t).map(|sp| {
                let (class, share) = span_look(sp.state, sp.step);
                let h = SPAN_H * share;
                let x0 = f.x(sp.start);
                let width = (f.x(sp.end.min(f.t)) - x0).max(1.0);
                let word = (sp.state != State::Ready).then(|| step_word(sp.step)).flatten();
                let solid = sp.state == State::Running || sp.state == State::Blocked;
                html! {
                    <g>
                        <rect class={class} fill={pattern_fill(class, uid)} x={n(x0)} y={n(span_y + (SPAN_H - h) / 2.0)} width={n(width)} height={n(h)} />
                        if let Some(word) = word.filter(|w| width > 7.0 * w.len() as f64 + 6.0) {
                            <text class={if solid { "al-race-on-solid" } else { "al-race-on-tint" }}
                                x={n(x0 + width / 2.0)} y={n(span_y + SPAN_H * 0.7)} text-anchor="middle">{ word }</text>
                        }
                    </g>
                }
            });
            let queued = (st.arrival <= f.t).then(|| {
                let until = st.accepted.unwrap_or(f.t).min(f.t);
                let (class, share) = span_look(State::Queued, None);
                let h = SPAN_H * share;
                html! { <rect class={class} x={n(f.x(st.arrival))} y={n(span_y + (SPAN_H - h) / 2.0)} width={n((f.x(until) - f.x(st.arrival)).max(0.0))} height={n(h)} /> }
            });
            let outcome = st.finish.filter(|at| *at <= f.t).map(|at| {
                let took = seats.took_seat.get(id as usize).copied().flatten();
                let (word, class) = match took {
                    Some(true) => ("got a seat", "al-race-got"),
                    _ => ("no seat", "al-race-none"),
                };
                let fx = f.x(at);
                html! {
                    <g>
                        <line class="al-done-mark" x1={n(fx)} x2={n(fx)} y1={n(span_y)} y2={n(span_y + SPAN_H)} />
                        <text class={class} x={n(fx + 5.0)} y={n(span_y + SPAN_H * 0.7)}>{ word }</text>
                    </g>
                }
            });
            let worker = match (st.worker, st.accepted) {
                (Some(w), Some(at)) if at <= f.t => format!("Worker {}", w + 1),
                _ => String::new(),
            };
            html! {
                <g class="al-race-row">
                    <text class="al-lane-label" x="4" y={n(span_y + SPAN_H * 0.45)}>{ format!("Student {}", student_name(id, students)) }</text>
                    <text class="al-race-sub" x="4" y={n(span_y + SPAN_H * 0.45 + 13.0)}>{ worker }</text>
                    <line class="al-race-row-rule" x1={n(LABEL_W)} x2={n(f.width - RIGHT_PAD)} y1={n(y + ROW_H - 2.0)} y2={n(y + ROW_H - 2.0)} />
                    { queued }
                    { for spans }
                    { outcome }
                </g>
            }
        })
        .collect()
}

/// One arrow per query that has taken effect: down out of the cell for a read, up into it for a
/// write, labelled with its value above the student's spans.
fn arrows(seats: &SeatsTrace, f: &Frame, stale: &[u32]) -> Html {
    let cell_bottom = f.cell_top + CELL_H;
    seats
        .ops
        .iter()
        .enumerate()
        .filter(|(_, op)| op.at <= f.t)
        .map(|(i, op)| {
            let ax = f.x(op.at);
            let row = f.span_y(op.student);
            let lost = stale.contains(&(i as u32));
            let (tip, head) = match op.kind {
                // The head points at the student (read) or at the cell (write).
                SeatOpKind::Read => (row - 1.0, -1.0),
                SeatOpKind::Write => (cell_bottom + 1.0, 1.0),
            };
            let head_path = format!(
                "M{},{}L{},{}L{},{}Z",
                n(ax),
                n(tip),
                n(ax - 4.0),
                n(tip + 7.0 * head),
                n(ax + 4.0),
                n(tip + 7.0 * head)
            );
            // Labels sit right of their arrow, above the student's spans: a read's over the decision
            // it feeds, a write's past the end of the request (room kept by RIGHT_PAD).
            let label_x = ax + 4.0;
            let badge = lost.then(|| {
                // On the arrow just under the cell, clear of the values in the track.
                let (bx, by) = (ax, cell_bottom + 14.0);
                html! {
                    <g class="al-race-badge">
                        <circle cx={n(bx)} cy={n(by)} r="9" />
                        <text x={n(bx)} y={n(by + 4.5)} text-anchor="middle">{ "!" }</text>
                        <title>{ "A lost update: this write replaced a value its request never read" }</title>
                    </g>
                }
            });
            html! {
                <g class={classes!("al-race-op", match op.kind {
                    SeatOpKind::Read => "al-race-read",
                    SeatOpKind::Write => "al-race-write",
                }, lost.then_some("al-race-lost"))}>
                    <line x1={n(ax)} x2={n(ax)} y1={n(cell_bottom)} y2={n(row)} />
                    <path d={head_path} />
                    <text x={n(label_x)} y={n(row - 4.0)}>{ op_label(op) }</text>
                    { badge }
                </g>
            }
        })
        .collect()
}

#[component]
pub fn Race(props: &PictureProps) -> Html {
    let trace = &props.trace;
    // On a phone the drawing scrolls sideways: it follows the present (and the lost update that
    // happens there) as the clock moves or jumps to the end.
    let scroll_ref = use_node_ref();
    {
        let now_x = Frame::new(trace, props.width, props.t)
            .x(props.t.min(trace.end))
            .round() as i32;
        let scroll_ref = scroll_ref.clone();
        use_effect_with(now_x, move |&now_x| {
            if let Some(el) = scroll_ref.cast::<web_sys::Element>() {
                let visible = el.client_width();
                if el.scroll_width() > visible {
                    el.set_scroll_left(now_x - visible * 2 / 3);
                }
            }
        });
    }
    let Some(seats) = trace.seats.as_ref() else {
        return html! {
            <p class="al-note">{ "This setup runs the article's handler, which shares no seats_left: set handler=race to see the race." }</p>
        };
    };
    let uid = props.uid.as_str();
    let f = Frame::new(trace, props.width, props.t);
    let lost = seats.lost_updates();
    // Only what has happened by now is marked: a lost update is not shown before its write.
    let passed: Vec<_> = lost
        .iter()
        .filter(|l| seats.ops[l.write as usize].at <= f.t)
        .collect();
    let stale: Vec<u32> = passed.iter().map(|l| l.write).collect();
    let overwritten: Vec<u32> = passed
        .iter()
        .flat_map(|l| l.overwritten.iter().copied())
        .collect();
    let now = readout(seats, f.t);
    let students = trace.students.len() as u32;
    let calls = callouts(trace, f.t);
    let verdict = verdict(trace, f.t);

    let next_seed = {
        let config = props.config.clone();
        let on_config = props.on_config.clone();
        Callback::from(move |_: MouseEvent| {
            on_config.emit(PageConfig {
                scenario: Scenario {
                    seed: config.scenario.seed.wrapping_add(1),
                    ..config.scenario.clone()
                },
                moment: Moment::At(SimTime::ZERO),
                ..config.clone()
            });
        })
    };
    let s = &props.config.scenario;
    let seed_matters = s.io_dist == IoDist::Exp || s.arrival == Arrival::Poisson;
    let now_x = f.x(f.t);

    // The scenario as command-line pairs, so a test can run the same one through the CLI.
    let pairs: Vec<String> = s
        .to_pairs()
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();

    html! {
        <div class="al-race" data-scenario={pairs.join(" ")}>
            <dl class="al-race-readout" aria-label="The shared data at this moment">
                <div class="al-stat">
                    <dt class="al-race-mono">{ "seats_left" }</dt>
                    <dd data-stat="seats-left" data-value={now.seats_left.to_string()}>{ now.seats_left }</dd>
                </div>
                <div class="al-stat">
                    <dt>{ "Registered" }</dt>
                    <dd data-stat="registered" data-value={now.registered.to_string()}>
                        { format!("{} for {} seats", now.registered, now.initial) }
                    </dd>
                </div>
                <div class="al-stat">
                    <dt>{ "Lost updates" }</dt>
                    <dd data-stat="lost-updates" data-value={now.lost.to_string()}>{ now.lost }</dd>
                </div>
                <span class="al-visually-hidden" data-stat="seats" data-value={now.initial.to_string()}>{ format!("{} seats at the start", now.initial) }</span>
            </dl>
            <div class="al-race-scroll" ref={scroll_ref}>
            <svg class="al-timeline al-race-svg" width={n(f.width)} height={n(f.height)}
                viewBox={format!("0 0 {} {}", n(f.width), n(f.height))} role="img"
                aria-label={format!("Timeline of {students} students reading and writing seats_left, which starts at {}", seats.initial)}>
                <defs>
                    { state_patterns(uid) }
                </defs>
                { axis(&f) }
                { worker_lanes(trace, &f) }
                { cell_track(trace, seats, &f, &overwritten) }
                { student_rows(trace, seats, &f, uid) }
                // The now line goes under the queries, so an arrow at this very moment stays legible.
                <line class="al-now" x1={n(now_x)} x2={n(now_x)} y1={n(AXIS_H - 4.0)} y2={n(f.height)} />
                { arrows(seats, &f, &stale) }
            </svg>
            </div>
            <div class="al-race-words" role="status">
                if calls.is_empty() && verdict.is_none() {
                    <p class="al-race-hint">{ "Each query takes effect when it completes: a read takes the value the cell holds then, a write sets it, whatever happened since its own read." }</p>
                }
                { for calls.iter().map(|c| html! { <p class="al-race-callout">{ c.clone() }</p> }) }
                if let Some(v) = verdict {
                    <p class="al-race-verdict">{ v }</p>
                }
            </div>
            <div class="al-race-seed">
                <button class="al-btn" onclick={next_seed}>{ "Try another interleaving" }</button>
                <span class="al-note">
                    { format!("seed {}", s.seed) }
                    if !seed_matters {
                        { ": with fixed I/O times and regular arrivals every seed interleaves the same way; set I/O times to exp." }
                    }
                </span>
            </div>
            <p class="al-race-caption">
                { "This is where part 3 starts: a race condition, because read, decide and write are three steps that another request can slip between. The fix makes them one: lock the row in a transaction (" }
                <code>{ "SELECT … FOR UPDATE" }</code>
                { "), or let the database check and decrement at once with " }
                <code>{ "UPDATE courses SET seats_left = seats_left - 1 WHERE seats_left > 0" }</code>
                { "." }
            </p>
        </div>
    }
}
