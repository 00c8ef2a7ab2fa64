//! The timeline picture's model, apart from drawing it: time left to right, the worker lanes on
//! top, the accept queue, then one row per student, every shape placed in CSS pixels with its
//! look; and what the picture says at the current time. The app maps it to SVG as it is.

use crate::sim::scenario::Arrival;
use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use crate::view::axis::{Axis, Tick, Unit};
use crate::view::format::{self, student_name, Fixed};
use crate::view::phase::{Look, WorkerActivity};
use crate::view::series::Series;
use crate::view::story::guess_label;

/// At most this many student rows; larger runs show the first ones and say so.
pub const MAX_ROWS: u32 = 100;
/// The narrowest the picture is drawn, in CSS pixels (a phone in portrait: the text keeps its
/// size, only time gets fewer pixels).
pub const MIN_WIDTH: f64 = 320.0;
/// The label column on the left.
pub const LABEL_W: f64 = 76.0;
const RIGHT_PAD: f64 = 24.0;
/// Height of the time axis above the lanes.
pub const AXIS_H: f64 = 26.0;
/// Height of a worker lane and of the queue lane.
pub const LANE_H: f64 = 22.0;
const GAP: f64 = 8.0;

/// A rectangle of one look.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    pub look: Look,
}

impl Bar {
    /// The bar of `look` over the times `[start, end)` on `axis`, at height `y`, `h` tall: at
    /// least a pixel wide, so an instant still shows.
    pub fn on(
        axis: &Axis,
        (start, end): (SimTime, SimTime),
        (y, h): (f64, f64),
        look: Look,
    ) -> Bar {
        Bar {
            x: axis.x(start),
            y,
            w: (axis.x(end) - axis.x(start)).max(1.0),
            h,
            look,
        }
    }
}

impl Bar {
    /// The mark of a request answered 503 at `at`: a short solid bar where it arrived.
    pub fn rejected(axis: &Axis, at: SimTime, y: f64, h: f64) -> Bar {
        let mut bar = Bar::on(axis, (at, at), (y, h), Look::Rejected);
        bar.w = 4.0;
        bar
    }
}

/// A worker's lane: its label, its top, and the stretches it was occupied.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub label: String,
    pub y: f64,
    pub bars: Vec<Bar>,
}

/// One student's row.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The student, their row's top and height, and whether the reader follows them.
    pub student: u32,
    pub y: f64,
    pub h: f64,
    pub followed: bool,
    /// The name and its baseline, on every few rows when rows are thin (always when followed).
    pub label: Option<(String, f64)>,
    pub bars: Vec<Bar>,
    /// The completion mark: x, top, bottom.
    pub done: Option<(f64, f64, f64)>,
    /// The response's mark, when it was sent before the work ended (`BackgroundTasks`).
    pub answered: Option<(f64, f64, f64)>,
}

/// The whole run, start to end: what the SVG draws once per trace and width.
#[derive(Clone, Debug, PartialEq)]
pub struct Drawing {
    pub width: f64,
    pub height: f64,
    pub axis: Axis,
    pub ticks: Vec<Tick>,
    pub lanes: Vec<Lane>,
    pub queue_top: f64,
    /// The accept queue's length over the run as an SVG path, scaled to the lane.
    pub queue_path: String,
    pub rows: Vec<Row>,
    /// Students in the run (the rows show at most [`MAX_ROWS`] of them).
    pub students: u32,
    /// The reader's guess of the last wait: where it falls (the right edge if later) and its
    /// label.
    pub guess: Option<(f64, String)>,
}

impl Drawing {
    /// Lays out `trace` at `width` pixels, with `rows_px` for the student rows, on an axis up to
    /// `axis_end` (default: the run's end). `backlog` is the run's accept queue.
    pub fn new(
        trace: &Trace,
        backlog: &Series,
        width: f64,
        rows_px: f64,
        axis_end: Option<SimTime>,
        (follow, guess): (Option<u32>, Option<SimTime>),
    ) -> Drawing {
        let width = width.max(MIN_WIDTH);
        let axis = Axis::new(
            LABEL_W,
            width - LABEL_W - RIGHT_PAD,
            axis_end.unwrap_or(trace.end),
        );
        let students = trace.students.len() as u32;
        // The rows, and the followed student's below them when it is not among them.
        let ids = shown_students(Rows::of(trace), follow);
        let shown = ids.len() as u32;
        let row_h = (rows_px / f64::from(shown.max(1))).clamp(2.0, 22.0);
        let queue_top = AXIS_H + trace.workers.len() as f64 * (LANE_H + 4.0) + GAP;
        let rows_top = queue_top + LANE_H + GAP;
        let bar = |start, end, y, h, look| Bar::on(&axis, (start, end), (y, h), look);
        let lanes = trace
            .workers
            .iter()
            .map(|w| {
                let y = AXIS_H + f64::from(w.id) * (LANE_H + 4.0);
                Lane {
                    label: format!("Worker {}", w.id + 1),
                    y,
                    bars: w
                        .spans
                        .iter()
                        .map(|sp| {
                            let look = Look::of_span(sp.state, Some(sp.step));
                            bar(sp.start, sp.end, y + 1.0, LANE_H - 2.0, look)
                        })
                        .collect(),
                }
            })
            .collect();
        let label_every = (16.0 / row_h).ceil().max(1.0) as u32;
        let followed_slot = follow
            .and_then(|f| ids.iter().position(|id| *id == f))
            .map(|i| i as u32);
        let rows = (0u32..)
            .zip(ids)
            .map(|(slot, id)| {
                let y = rows_top + f64::from(slot) * row_h;
                let followed = follow == Some(id);
                let st = &trace.students[id as usize];
                let look_bar = |start, end, look: Look| {
                    let h = (row_h - 1.0) * look.height_share();
                    bar(start, end, y + (row_h - 1.0 - h) / 2.0, h, look)
                };
                // The spans start at the arrival: a wait in the accept queue is the first one.
                let mut bars: Vec<Bar> = trace
                    .spans_of(id)
                    .iter()
                    .map(|sp| look_bar(sp.start, sp.end, Look::of_span(sp.state, sp.step)))
                    .collect();
                if st.rejected {
                    bars.push(Bar::rejected(&axis, st.arrival, y, row_h - 1.0));
                }
                Row {
                    student: id,
                    y,
                    h: row_h,
                    followed,
                    // The followed row is always named; its neighbours give it room.
                    label: (followed
                        || (slot.is_multiple_of(label_every)
                            && followed_slot.is_none_or(|f| slot.abs_diff(f) >= label_every)))
                    .then(|| (student_name(id, students), y + row_h * 0.5 + 4.0)),
                    bars,
                    done: st.finish.map(|f| (axis.x(f), y, y + row_h - 1.0)),
                    answered: st
                        .responded
                        .filter(|r| st.finish != Some(*r))
                        .map(|r| (axis.x(r), y, y + row_h - 1.0)),
                }
            })
            .collect();
        Drawing {
            width,
            height: rows_top + f64::from(shown) * row_h + 4.0,
            ticks: axis.ticks(90.0, Unit::Seconds),
            axis,
            lanes,
            queue_top,
            queue_path: queue_path(backlog, &axis, queue_top + LANE_H, trace.end),
            rows,
            students,
            guess: guess.map(|g| (axis.x(g), guess_label(g, axis.end))),
        }
    }

    /// Every look the drawing uses: the shapes, not the trace.
    pub fn looks(&self) -> Vec<Look> {
        let lanes = self.lanes.iter().flat_map(|l| &l.bars);
        let rows = self.rows.iter().flat_map(|r| &r.bars);
        let done = self
            .rows
            .iter()
            .any(|r| r.done.is_some())
            .then_some(Look::Done);
        let answered = self
            .rows
            .iter()
            .any(|r| r.answered.is_some())
            .then_some(Look::Answered);
        Look::present(
            lanes
                .chain(rows)
                .map(|b| b.look)
                .chain(answered)
                .chain(done),
        )
    }

    /// What the picture says at `t`: where the present is, and in words what each worker does.
    /// `backlog` and `lanes` are the run's accept queue and its workers' requests in flight.
    pub fn now(&self, trace: &Trace, backlog: &Series, lanes: &[Series], t: SimTime) -> Now {
        let t = t.min(trace.end);
        let x = self.axis.x(t);
        let students = trace.students.len() as u32;
        Now {
            x,
            // The queue's count sits just right of the now line, or left of it near the edge.
            flip: x > self.width - 120.0,
            queued: format!("{} waiting", backlog.total_at(t)),
            workers: (0..trace.workers.len() as u32)
                .map(|w| {
                    let in_flight = || lanes.get(w as usize).map_or(0, |s| s.total_at(t));
                    let activity = WorkerActivity::with_in_flight(trace, w, t, in_flight);
                    let words = activity.words(students);
                    format!("Worker {}: {words}", w + 1)
                })
                .collect(),
        }
    }
}

/// How many students a run has and whether they arrive over time, which decides a timeline's
/// rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rows {
    pub students: u32,
    /// Arriving over time (uniform or Poisson), not all at once.
    pub spread: bool,
}

impl Rows {
    /// The rows of `trace`'s run.
    pub fn of(trace: &Trace) -> Rows {
        Rows {
            students: trace.students.len() as u32,
            spread: trace.scenario.arrival != Arrival::Burst,
        }
    }
}

/// The students a timeline has rows for: up to [`MAX_ROWS`], the first ones of a burst, or of a
/// run arriving over time every k-th, so the rows span the whole run; and the followed student
/// below them when it is not among them.
pub fn shown_students(rows: Rows, follow: Option<u32>) -> Vec<u32> {
    let n = rows.students;
    let mut ids: Vec<u32> = if rows.spread && n > MAX_ROWS {
        let step = n.div_ceil(MAX_ROWS);
        (0..n).step_by(step as usize).collect()
    } else {
        (0..n.min(MAX_ROWS)).collect()
    };
    ids.extend(follow.filter(|f| *f < n && !ids.contains(f)));
    ids
}

impl Rows {
    /// "Follow a student"'s options: nobody, then each student a row is drawn for, by name.
    pub fn options(self, follow: Option<u32>) -> Vec<(u32, String)> {
        let names = shown_students(self, follow).into_iter();
        names
            .map(|id| (id, student_name(id, self.students)))
            .collect()
    }
}

/// The present on the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Now {
    /// The now line's position.
    pub x: f64,
    /// Whether its labels go to its left.
    pub flip: bool,
    /// The accept queue now, in words.
    pub queued: String,
    /// Each worker's activity now, in words.
    pub workers: Vec<String>,
}

/// The queue's length as a step area from the lane's baseline, scaled to its peak.
fn queue_path(backlog: &Series, axis: &Axis, base: f64, end: SimTime) -> String {
    let scale = (LANE_H - 2.0) / f64::from(backlog.peak().max(1));
    let mut d = format!("M{},{}", Fixed(axis.left, 1), Fixed(base, 1));
    let mut last = 0u32;
    for level in backlog.levels.iter().take_while(|l| l.from <= end) {
        let px = axis.x(level.from);
        let count = level.total();
        let px = Fixed(px, 1);
        d.push_str(&format!(
            "L{px},{}L{px},{}",
            Fixed(base - f64::from(last) * scale, 1),
            Fixed(base - f64::from(count) * scale, 1)
        ));
        last = count;
    }
    let x_end = axis.x(end);
    let x_end = Fixed(x_end, 1);
    d.push_str(&format!(
        "L{x_end},{}L{x_end},{}Z",
        Fixed(base - f64::from(last) * scale, 1),
        Fixed(base, 1)
    ));
    d
}

/// Says so when a timeline shows only some of its students.
pub fn rows_note(rows: Rows) -> Option<String> {
    let n = rows.students;
    (n > MAX_ROWS).then(|| {
        let n = format::count(n.into());
        if rows.spread {
            let step = rows.students.div_ceil(MAX_ROWS);
            format!(
                "The timeline shows one student in every {step} of the {n}, across the whole \
                 run; the numbers count them all."
            )
        } else {
            format!("The timeline shows the first {MAX_ROWS} of {n} students; the numbers count them all.")
        }
    })
}

/// Something drawn beside a timeline on a wide screen and above it on a narrow one (the inside
/// scene's worker box, the await scene's code).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Beside {
    /// Its width beside the timeline.
    pub side_w: f64,
    /// The picture's width from which the two sit side by side.
    pub from: f64,
}

impl Beside {
    /// Whether the two sit side by side in `width`, and the timeline's width then.
    pub fn timeline_width(self, width: f64) -> (bool, f64) {
        let wide = width >= self.from;
        (
            wide,
            if wide {
                width - self.side_w - 16.0
            } else {
                width
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{simulate, Scenario};

    #[test]
    fn the_drawing_places_every_span_of_the_shown_rows() {
        let trace = simulate(&Scenario {
            students: 120,
            ..Scenario::default()
        })
        .unwrap();
        let backlog = Series::backlog(&trace);
        let d = Drawing::new(&trace, &backlog, 800.0, 520.0, None, (None, None));
        assert_eq!(d.rows.len(), MAX_ROWS as usize);
        // Following #120 adds its row below the first hundred.
        let followed = Drawing::new(&trace, &backlog, 800.0, 520.0, None, (Some(119), None));
        assert_eq!(followed.rows.len(), 101);
        let last = followed.rows.last().unwrap();
        assert!(last.followed && last.label.as_ref().unwrap().0 == "#120");
        // Student #2 waits 2 s queued, then blocks on its email for 2 s.
        let looks: Vec<Look> = d.rows[1].bars.iter().map(|b| b.look).collect();
        assert_eq!(looks, [Look::Queued, Look::BlockedEmail]);
        assert_eq!(d.rows[1].bars[0].x, d.axis.x(SimTime::ZERO));
        assert_eq!(d.rows[1].bars[1].x, d.axis.x(SimTime::from_secs(2)));
        assert_eq!(d.lanes[0].bars.len(), 120);
        assert_eq!(d.looks(), [Look::BlockedEmail, Look::Queued, Look::Done]);
        assert_eq!(
            rows_note(Rows {
                students: 120,
                spread: false
            })
            .unwrap(),
            "The timeline shows the first 100 of 120 students; the numbers count them all."
        );
        assert_eq!(
            rows_note(Rows {
                students: 100,
                spread: false
            }),
            None
        );
        // Arriving over time, the rows span the run.
        let spread = Rows {
            students: 1_000,
            spread: true,
        };
        assert_eq!(
            rows_note(spread).unwrap(),
            "The timeline shows one student in every 10 of the 1\u{202f}000, across the whole run; the \
             numbers count them all."
        );
        let ids = shown_students(spread, Some(15));
        assert_eq!(ids.len(), 101);
        assert_eq!((ids[0], ids[1], ids[99], ids[100]), (0, 10, 990, 15));
        assert_eq!(shown_students(spread, Some(20)).len(), 100);
    }

    #[test]
    fn the_present_in_words() {
        let trace = simulate(&Scenario::default()).unwrap();
        let backlog = Series::backlog(&trace);
        let d = Drawing::new(&trace, &backlog, 800.0, 520.0, None, (None, None));
        let now = d.now(
            &trace,
            &backlog,
            &Series::per_worker(&trace),
            SimTime::from_secs(71),
        );
        assert_eq!(now.queued, "64 waiting");
        assert_eq!(now.workers, ["Worker 1: Blocked by #36's email"]);
        assert_eq!(now.x, d.axis.x(SimTime::from_secs(71)));
    }

    #[test]
    fn a_box_sits_beside_the_timeline_only_where_both_fit() {
        let beside = Beside {
            side_w: 400.0,
            from: 900.0,
        };
        assert_eq!(beside.timeline_width(1200.0), (true, 784.0));
        assert_eq!(beside.timeline_width(900.0), (true, 484.0));
        assert_eq!(beside.timeline_width(899.0), (false, 899.0));
    }

    #[test]
    fn the_follow_choice_names_the_students_drawn_and_the_followed_one() {
        let rows = Rows {
            students: 300,
            spread: false,
        };
        let options = rows.options(Some(250));
        assert_eq!(options.len(), MAX_ROWS as usize + 1);
        assert_eq!(options[0], (0, student_name(0, 300)));
        assert_eq!(options.last().unwrap().0, 250);
    }
}
