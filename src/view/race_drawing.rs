//! The race picture's model at a moment: the worker lanes, the shared `seats_left` cell as a track
//! of values, each student's read, decide and write, and every query that has taken effect as an
//! arrow out of the cell (read) or into it (write). Every shape placed in CSS pixels, every value
//! read from the trace's seats record; the app maps it to SVG as it is. Labels and badges are
//! placed for the whole run, so none overlaps another and nothing moves as the clock plays.

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
/// A lost update's badge: its radius, and the height of one level of the band under the cell
/// that holds the badges, so that no badge ever sits on a student's labels or on another badge.
pub const BADGE_R: f64 = 9.0;
const BADGE_LEVEL_H: f64 = 2.0 * BADGE_R + 4.0;
/// Between a query's arrow and its label.
const LABEL_GAP: f64 = 4.0;
/// Between two labels on one row.
const LABEL_SPACE: f64 = 6.0;
/// How much farther from its arrow a label may go to keep clear of one crossing arrow.
const CROSSING_COST: f64 = 40.0;

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
    /// Where the label starts: beside its arrow, clear of the row's other labels, of the arrows
    /// that cross the row and of the run's end, where the now line rests at the end.
    pub label_x: f64,
    /// A lost update's badge centre, in the band under the cell (`y` only: it sits on the arrow).
    pub badge_y: f64,
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

/// Each lost update's write and its level in the badge band: the first level where its badge
/// clears every earlier one, so two lost updates close in time stack instead of overlapping.
fn badge_levels(seats: &SeatsTrace, axis: &Axis) -> Vec<(u32, u32)> {
    let mut placed: Vec<(u32, u32, f64)> = Vec::new();
    for lost in seats.lost_updates() {
        let x = axis.x(seats.ops[lost.write as usize].at);
        let level = (0..)
            .find(|l| {
                placed
                    .iter()
                    .all(|(_, pl, px)| pl != l || (px - x).abs() >= 2.0 * BADGE_R + 2.0)
            })
            .unwrap_or(0);
        placed.push((lost.write, level, x));
    }
    placed.into_iter().map(|(w, l, _)| (w, l)).collect()
}

/// Where each query's label starts, for the whole run. A label sits in its row's band above
/// the spans, beside its arrow: the nearest place that overlaps no earlier label of the row,
/// does not straddle the run's end (the now line rests there at the end) and stays inside the
/// picture, preferring one that no arrow to this row or one below crosses (an arrow runs from
/// the cell down to its row). Failing all, right of the row's last label.
fn place_labels(seats: &SeatsTrace, axis: &Axis, width: f64) -> Vec<f64> {
    let end = axis.right();
    let mut taken: Vec<(u32, f64, f64)> = Vec::new();
    let mut xs = Vec::with_capacity(seats.ops.len());
    for (i, op) in seats.ops.iter().enumerate() {
        let x = axis.x(op.at);
        let w = LABEL_CHAR_W * op_label(op).len() as f64;
        let row = op.student;
        let on_row = |from: f64| {
            taken
                .iter()
                .filter(|(r, ..)| *r == row)
                .all(|(_, a, b)| from + w + LABEL_SPACE <= *a || from >= b + LABEL_SPACE)
        };
        // Arrows that cross the label (its text keeps a halo, so it stays legible): a cost,
        // not a rule, as a busy moment can leave no place free of them.
        let crossings = |from: f64| {
            seats
                .ops
                .iter()
                .enumerate()
                .filter(|(j, other)| {
                    let ox = axis.x(other.at);
                    *j != i && other.student >= row && ox > from - 2.0 && ox < from + w + 2.0
                })
                .count() as f64
        };
        let fits = |from: f64| {
            let beside = from >= x + LABEL_GAP - 0.01 || from + w <= x - LABEL_GAP + 0.01;
            beside
                && from >= LABEL_W
                && from + w <= width
                && !(from < end && end < from + w)
                && on_row(from)
        };
        // Candidates: right of the arrow, left of it, then just past each obstacle to the right.
        let mut candidates = vec![x + LABEL_GAP, x - LABEL_GAP - w];
        candidates.extend(
            taken
                .iter()
                .filter(|(r, ..)| *r == row)
                .map(|(_, _, b)| b + LABEL_SPACE),
        );
        candidates.extend(seats.ops.iter().map(|o| axis.x(o.at) + LABEL_GAP));
        candidates.extend([end + LABEL_GAP, end - LABEL_GAP - w]);
        candidates.retain(|c| *c >= x - LABEL_GAP - w);
        let best = candidates
            .into_iter()
            .filter(|c| fits(*c))
            .map(|c| (c, (c - x).max(x - c - w) + CROSSING_COST * crossings(c)))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(c, _)| c);
        let from = best.unwrap_or_else(|| {
            let last = taken
                .iter()
                .filter(|(r, ..)| *r == row)
                .map(|(_, _, b)| b + LABEL_SPACE)
                .fold(f64::NEG_INFINITY, f64::max);
            (x + LABEL_GAP).max(last)
        });
        taken.push((row, from, from + w));
        xs.push(from);
    }
    xs
}

impl RaceDrawing {
    /// The picture of `trace` (whose seats record is `seats`) at `t`, `width` pixels wide.
    pub fn at(trace: &Trace, seats: &SeatsTrace, width: f64, t: SimTime) -> RaceDrawing {
        let width = width.max(MIN_W);
        let axis = Axis::new(LABEL_W, width - LABEL_W - RIGHT_PAD, trace.end);
        let t = t.min(trace.end);
        let students = trace.students.len() as u32;
        let cell_y = AXIS_H + trace.workers.len() as f64 * (LANE_H + 4.0) + GAP;
        let cell_bottom = cell_y + CELL_H;
        // The layout is the whole run's, so nothing moves as the clock reveals it.
        let levels = badge_levels(seats, &axis);
        let band = levels.iter().map(|(_, l)| l + 1).max().unwrap_or(0);
        let rows_top = cell_bottom + GAP + f64::from(band) * BADGE_LEVEL_H;
        let label_xs = place_labels(seats, &axis, width);
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
            .iter()
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
                let level = levels.iter().find(|(w, _)| *w == i as u32).map(|(_, l)| *l);
                Arrow {
                    label_x: label_xs[i],
                    badge_y: cell_bottom
                        + 2.0
                        + BADGE_R
                        + f64::from(level.unwrap_or(0)) * BADGE_LEVEL_H,
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
                    label: op_label(op),
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

    /// What scrolling the drawing sideways depends on, apart from the drawing.
    pub fn scroll(&self) -> Scroll {
        Scroll {
            now_x: self.now_x,
            width: self.width,
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

/// Where the present is in a drawing `width` wide: all that scrolling it needs (so an effect
/// keeps two numbers, not the drawing).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scroll {
    pub now_x: f64,
    pub width: f64,
}

impl Scroll {
    /// Where a drawing wider than its `visible` pixels is scrolled sideways (on a phone): when
    /// the scene opens, at its start, so Student A's row and the first queries are in view and
    /// the story reads from the left; once the clock moves, with the present two thirds of the
    /// way across, so the present (and a lost update happening there) stays in view.
    pub fn left(self, visible: f64, opening: bool) -> f64 {
        if opening {
            0.0
        } else {
            (self.now_x - visible * 2.0 / 3.0).clamp(0.0, (self.width - visible).max(0.0))
        }
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
        // Labels sit beside their arrows, never on them.
        for a in &d.arrows {
            let w = LABEL_CHAR_W * a.label.len() as f64;
            let gap = (a.label_x - a.x).max(a.x - (a.label_x + w));
            assert!((LABEL_GAP..=3.0 * LABEL_GAP).contains(&gap), "{a:?}");
        }
    }

    /// Every shape of the race picture that carries words or a mark, as a box:
    /// `(what, x1, y1, x2, y2)`.
    fn boxes(d: &RaceDrawing) -> Vec<(String, f64, f64, f64, f64)> {
        let mut out = Vec::new();
        for a in &d.arrows {
            let w = LABEL_CHAR_W * a.label.len() as f64;
            out.push((
                a.label.clone(),
                a.label_x,
                a.y_row - 15.0,
                a.label_x + w,
                a.y_row - 2.0,
            ));
            if a.lost {
                let (x, y, r) = (a.x, a.badge_y, BADGE_R);
                out.push(("!".into(), x - r, y - r, x + r, y + r));
            }
        }
        out
    }

    #[test]
    fn no_label_or_badge_overlaps_another_at_any_width_or_seed() {
        for (students, seats) in [(3, 2), (4, 2), (5, 3)] {
            for seed in 1..60 {
                let s = crate::sim::Scenario {
                    seed,
                    students,
                    seats,
                    ..SceneId::Race.defaults()
                };
                let trace = simulate(&s).unwrap();
                let record = trace.seats.as_ref().unwrap();
                for width in [680.0, 1100.0] {
                    let d = RaceDrawing::at(&trace, record, width, trace.end);
                    let found = boxes(&d);
                    for (i, a) in found.iter().enumerate() {
                        for b in &found[..i] {
                            let apart = a.3 <= b.1 || b.3 <= a.1 || a.4 <= b.2 || b.4 <= a.2;
                            assert!(
                                apart,
                                "seed {seed}, {students} students, {width} px: {a:?} on {b:?}"
                            );
                        }
                        // Inside the picture; a label never straddles the run's end, where the
                        // now line rests at the end.
                        assert!(a.1 >= LABEL_W && a.3 <= d.width, "seed {seed}: {a:?}");
                        let end = d.axis.right();
                        assert!(
                            a.0 == "!" || !(a.1 < end && end < a.3),
                            "seed {seed}: {a:?}"
                        );
                    }
                    // Badges sit in their band, above the first row.
                    for a in d.arrows.iter().filter(|a| a.lost) {
                        assert!(a.badge_y + BADGE_R <= d.rows[0].y, "seed {seed}: {a:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_phone_opens_on_the_start_and_then_follows_the_present() {
        let trace = simulate(&SceneId::Race.defaults()).unwrap();
        let d = RaceDrawing::at(&trace, trace.seats.as_ref().unwrap(), 390.0, trace.end);
        // Opened at the end, Student A's first query is in view (right of the row labels).
        let first = d.rows[0].spans[0].bar.x;
        let left = d.scroll().left(340.0, true);
        assert!(
            first >= left + LABEL_W && first < left + 340.0,
            "{first} {left}"
        );
        // Once the clock moves, the present is in view.
        let left = d.scroll().left(340.0, false);
        assert!(
            d.now_x > left + LABEL_W && d.now_x < left + 340.0,
            "{} {left}",
            d.now_x
        );
    }
}
