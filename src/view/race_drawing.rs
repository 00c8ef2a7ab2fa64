//! The race picture's model at a moment: the worker lanes, the shared `seats_left` cell as a track
//! of values, each student's read, decide and write, and every query that has taken effect as an
//! arrow out of the cell (read) or into it (write). Every shape placed in CSS pixels, every value
//! read from the trace's seats record; the app maps it to SVG as it is.

use crate::sim::handler::Step;
use crate::sim::seats::{SeatOpKind, SeatsTrace};
use crate::sim::time::SimTime;
use crate::sim::trace::{State, Trace};
use crate::view::axis::{Axis, Tick, Unit};
use crate::view::format::{student_name, Fixed};
use crate::view::phase::Look;
use crate::view::race::op_label;
use crate::view::timeline::Bar;

/// Below this width the picture keeps its size and scrolls sideways.
const MIN_W: f64 = 680.0;
/// The label column on the left.
pub const LABEL_W: f64 = 96.0;
/// Room on the right for the labels of the last writes.
const RIGHT_PAD: f64 = 84.0;
/// Height of the time axis.
pub const AXIS_H: f64 = 26.0;
/// Height of a worker lane.
pub const LANE_H: f64 = 22.0;
/// Height of the `seats_left` track.
pub const CELL_H: f64 = 30.0;
const ROW_H: f64 = 46.0;
/// Room above a student's spans for the labels of its queries.
const ROW_LABEL_H: f64 = 16.0;
/// Height of a student's spans.
pub const SPAN_H: f64 = 20.0;
const GAP: f64 = 12.0;
/// The width of one character of a query's label (11 px monospace), to keep labels apart.
const LABEL_CHAR_W: f64 = 7.0;

/// A shape with an optional word written on it.
#[derive(Clone, Debug, PartialEq)]
pub struct Labelled {
    pub bar: Bar,
    /// The word, and whether it sits on a solid fill (light text) or a tint (dark text).
    pub word: Option<(String, bool)>,
}

/// A worker's lane.
#[derive(Clone, Debug, PartialEq)]
pub struct RaceLane {
    pub label: String,
    pub y: f64,
    pub spans: Vec<Labelled>,
}

/// A stretch of the cell's track holding one value.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub x: f64,
    pub w: f64,
    pub value: u32,
    /// Written by a write that a lost update then overwrote.
    pub overwritten: bool,
    /// `seats_left = 1, written by Student A`.
    pub title: String,
}

/// One student's row.
#[derive(Clone, Debug, PartialEq)]
pub struct RaceRow {
    pub name: String,
    /// `Worker 2` once a worker has taken it.
    pub worker: String,
    /// The row's top, the top of its spans and its bottom rule.
    pub y: f64,
    pub span_y: f64,
    pub rule_y: f64,
    pub spans: Vec<Labelled>,
    /// Its completion: x, `got a seat` or `no seat`, and the word's class.
    pub outcome: Option<(f64, &'static str, &'static str)>,
}

/// A query that has taken effect.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub x: f64,
    /// From the cell's bottom to the top of the student's spans.
    pub y_cell: f64,
    pub y_row: f64,
    pub read: bool,
    /// A stale write: a lost update.
    pub lost: bool,
    /// The arrow head, as an SVG path.
    pub head: String,
    /// `read 2`, `wrote 1`.
    pub label: String,
    /// Where the label starts: right of the arrow, clear of a lost update's badge, after the
    /// row's previous label.
    pub label_x: f64,
}

/// The race picture at `t`.
#[derive(Clone, Debug, PartialEq)]
pub struct RaceDrawing {
    /// The picture in words, for screen readers.
    pub label: String,
    pub width: f64,
    pub height: f64,
    pub axis: Axis,
    pub ticks: Vec<Tick>,
    /// The present.
    pub now_x: f64,
    pub lanes: Vec<RaceLane>,
    pub cell_y: f64,
    pub segments: Vec<Segment>,
    /// `seats_left` now.
    pub value_now: u32,
    pub rows: Vec<RaceRow>,
    pub arrows: Vec<Arrow>,
}

fn step_word(step: Option<Step>) -> Option<&'static str> {
    match step {
        Some(Step::ReadSeats) => Some("read"),
        Some(Step::Decide) => Some("decide"),
        Some(Step::WriteSeats) => Some("write"),
        _ => None,
    }
}

impl RaceDrawing {
    /// The picture of `trace` (whose seats record is `seats`) at `t`, `width` pixels wide.
    pub fn at(trace: &Trace, seats: &SeatsTrace, width: f64, t: SimTime) -> RaceDrawing {
        let width = width.max(MIN_W);
        let axis = Axis::new(LABEL_W, width - LABEL_W - RIGHT_PAD, trace.end);
        let t = t.min(trace.end);
        let students = trace.students.len() as u32;
        let cell_y = AXIS_H + trace.workers.len() as f64 * (LANE_H + 4.0) + GAP;
        let rows_top = cell_y + CELL_H + GAP;
        let height = rows_top + f64::from(students) * ROW_H + 6.0;
        let name = |id: u32| student_name(id, students);
        // Spans still open at `t` are drawn up to now.
        let bar =
            |start, end: SimTime, y, h, look| Bar::on(&axis, (start, end.min(t)), (y, h), look);

        let lanes = trace
            .workers
            .iter()
            .map(|w| {
                let y = AXIS_H + f64::from(w.id) * (LANE_H + 4.0);
                let spans = w.spans.iter().take_while(|sp| sp.start <= t).map(|sp| {
                    let look = Look::of_span(sp.state, Some(sp.step));
                    let bar = bar(sp.start, sp.end, y + 1.0, LANE_H - 2.0, look);
                    let word = (bar.w > 16.0).then(|| (name(sp.student), true));
                    Labelled { bar, word }
                });
                RaceLane {
                    label: format!("Worker {}", w.id + 1),
                    y,
                    spans: spans.collect(),
                }
            })
            .collect();

        // Only what has happened by now is marked: a lost update is not shown before its write.
        let passed: Vec<_> = seats
            .lost_updates()
            .into_iter()
            .filter(|l| seats.ops[l.write as usize].at <= t)
            .collect();
        let overwritten: Vec<u32> = passed.iter().flat_map(|l| l.overwritten.clone()).collect();
        let mut segments = Vec::new();
        let (mut from, mut value, mut by) = (SimTime::ZERO, seats.initial, None::<usize>);
        let writes = seats.ops.iter().enumerate();
        for (i, op) in writes.filter(|(_, op)| op.kind == SeatOpKind::Write && op.at <= t) {
            segments.push((from, op.at, value, by));
            (from, value, by) = (op.at, op.value, Some(i));
        }
        segments.push((from, t, value, by));
        let segments = segments
            .into_iter()
            .map(|(from, until, value, by)| Segment {
                x: axis.x(from),
                w: (axis.x(until) - axis.x(from)).max(0.0),
                value,
                overwritten: by.is_some_and(|i| overwritten.contains(&(i as u32))),
                title: match by {
                    Some(i) => format!(
                        "seats_left = {value}, written by Student {}",
                        name(seats.ops[i].student)
                    ),
                    None => format!("seats_left = {value} at the start"),
                },
            })
            .collect();

        let rows = (0..students)
            .map(|id| {
                let st = &trace.students[id as usize];
                let y = rows_top + f64::from(id) * ROW_H;
                let span_y = y + ROW_LABEL_H;
                let look_bar = |start, end, look: Look| {
                    let h = SPAN_H * look.height_share();
                    bar(start, end, span_y + (SPAN_H - h) / 2.0, h, look)
                };
                let mut spans = Vec::new();
                if st.rejected && st.arrival <= t {
                    let bar = Bar::rejected(&axis, st.arrival, span_y, SPAN_H);
                    spans.push(Labelled { bar, word: None });
                }
                for sp in trace.spans_of(id).iter().take_while(|sp| sp.start <= t) {
                    let bar = look_bar(sp.start, sp.end, Look::of_span(sp.state, sp.step));
                    let solid = matches!(sp.state, State::Running | State::Blocked);
                    let word = step_word(sp.step)
                        .filter(|w| sp.state != State::Ready && bar.w > 7.0 * w.len() as f64 + 6.0)
                        .map(|w| (w.to_string(), solid));
                    spans.push(Labelled { bar, word });
                }
                let outcome = st.finish.filter(|at| *at <= t).map(|at| {
                    let took = seats.took_seat.get(id as usize).copied().flatten();
                    let (word, class) = match took {
                        Some(true) => ("got a seat", "al-race-got"),
                        _ => ("no seat", "al-race-none"),
                    };
                    (axis.x(at), word, class)
                });
                RaceRow {
                    name: format!("Student {}", name(id)),
                    worker: match (st.worker, st.accepted) {
                        (Some(w), Some(at)) if at <= t => format!("Worker {}", w + 1),
                        _ => String::new(),
                    },
                    y,
                    span_y,
                    rule_y: y + ROW_H - 2.0,
                    spans,
                    outcome,
                }
            })
            .collect();

        let stale: Vec<u32> = passed.iter().map(|l| l.write).collect();
        let cell_bottom = cell_y + CELL_H;
        // Where each row's last label ends, so the next one on that row starts after it.
        let mut label_ends = vec![f64::NEG_INFINITY; students as usize];
        let arrows = seats
            .ops
            .iter()
            .enumerate()
            .filter(|(_, op)| op.at <= t)
            .map(|(i, op)| {
                let x = axis.x(op.at);
                let y_row = rows_top + f64::from(op.student) * ROW_H + ROW_LABEL_H;
                let read = op.kind == SeatOpKind::Read;
                // The head points at the student (read) or at the cell (write).
                let (tip, dir) = if read {
                    (y_row - 1.0, -1.0)
                } else {
                    (cell_bottom + 1.0, 1.0)
                };
                let back = tip + 7.0 * dir;
                let lost = stale.contains(&(i as u32));
                // Near the right edge the label goes left of its arrow, so neither the badge nor
                // the now line (which sits on the last arrow at the end) crosses it.
                // Right of the arrow, clear of a lost update's badge (and of the now line, which
                // sits on the arrow at the end), and after the row's previous label.
                let gap = if lost { 12.0 } else { 4.0 };
                let label = op_label(op);
                let row_end = label_ends.get_mut(op.student as usize);
                let label_x = row_end
                    .as_deref()
                    .map_or(x + gap, |end| (x + gap).max(end + 6.0));
                if let Some(end) = row_end {
                    *end = label_x + LABEL_CHAR_W * label.len() as f64;
                }
                Arrow {
                    label_x,
                    x,
                    y_cell: cell_bottom,
                    y_row,
                    read,
                    lost,
                    head: format!(
                        "M{},{}L{},{}L{},{}Z",
                        Fixed(x, 1),
                        Fixed(tip, 1),
                        Fixed(x - 4.0, 1),
                        Fixed(back, 1),
                        Fixed(x + 4.0, 1),
                        Fixed(back, 1)
                    ),
                    label,
                }
            })
            .collect();

        RaceDrawing {
            label: format!(
                "Timeline of {students} students reading and writing seats_left, which starts at {}",
                seats.initial
            ),
            width,
            height,
            ticks: axis.ticks(80.0, Unit::Millis),
            now_x: axis.x(t),
            axis,
            lanes,
            cell_y,
            segments,
            value_now: seats.value_at(t),
            rows,
            arrows,
        }
    }

    /// Every look the drawing uses.
    pub fn looks(&self) -> Vec<Look> {
        let lanes = self.lanes.iter().flat_map(|l| &l.spans);
        let rows = self.rows.iter().flat_map(|r| &r.spans);
        let done = self
            .rows
            .iter()
            .any(|r| r.outcome.is_some())
            .then_some(Look::Done);
        Look::present(lanes.chain(rows).map(|s| s.bar.look).chain(done))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::simulate;
    use crate::view::scenes::SceneId;

    #[test]
    fn the_picture_at_the_end_has_every_query_and_the_lost_update() {
        let trace = simulate(&SceneId::Race.defaults()).unwrap();
        let seats = trace.seats.as_ref().unwrap();
        let d = RaceDrawing::at(&trace, seats, 900.0, trace.end);
        assert_eq!(d.arrows.len(), seats.ops.len());
        assert_eq!(d.arrows.iter().filter(|a| a.lost).count(), 1);
        assert_eq!(d.value_now, 0);
        assert!(d.segments.iter().any(|s| s.overwritten));
        let start = RaceDrawing::at(&trace, seats, 900.0, SimTime::ZERO);
        assert!(start.arrows.is_empty());
        assert_eq!(start.segments.len(), 1);
        assert_eq!(start.segments[0].title, "seats_left = 2 at the start");
        assert_eq!(d.rows[0].name, "Student A");
        assert_eq!(d.rows[0].outcome.map(|o| o.1), Some("got a seat"));
        assert_eq!(d.width, 900.0);
        assert_eq!(
            RaceDrawing::at(&trace, seats, 390.0, trace.end).width,
            MIN_W
        );
        // Labels sit right of their arrows, clear of the badge, and never overlap on a row.
        for a in &d.arrows {
            assert!(a.label_x >= a.x + if a.lost { 12.0 } else { 4.0 }, "{a:?}");
        }
        for seed in 1..40 {
            let trace = simulate(&crate::sim::Scenario {
                seed,
                ..SceneId::Race.defaults()
            })
            .unwrap();
            let d = RaceDrawing::at(&trace, trace.seats.as_ref().unwrap(), 680.0, trace.end);
            for (i, a) in d.arrows.iter().enumerate() {
                for b in &d.arrows[..i] {
                    if a.y_row == b.y_row {
                        let b_end = b.label_x + LABEL_CHAR_W * b.label.len() as f64;
                        assert!(a.label_x >= b_end, "seed {seed}: {a:?} overlaps {b:?}");
                    }
                }
            }
        }
    }
}
