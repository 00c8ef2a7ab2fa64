//! The `workers` scene's model, apart from drawing it: how many requests each worker has in flight
//! over time (split by look), the accept queue's backlog, where the lanes go, and the words beside
//! and under the picture. Built once per trace; the canvas only looks values up. No web imports.

use crate::sim::scenario::{Overflow, Scenario};
use crate::sim::time::SimTime;
use crate::sim::trace::Trace;
use crate::view::axis::Axis;
use crate::view::change::Change;
use crate::view::format;
use crate::view::scenes::Choice;
use crate::view::series::Series;

/// Everything the `workers` picture shows, computed once per trace.
/// `Eq`, so an `Rc` of it compares by pointer first (the effect's dependency check is cheap).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkersModel {
    /// Requests one worker may hold at once: `concurrency` (async), `threads` (threadpool), 1
    /// (blocking).
    pub cap: u32,
    /// Per worker (indexed by id), its requests in flight by look.
    pub workers: Vec<Series>,
    /// Students in the accept queue: arrived, not taken by any worker.
    pub backlog: Series,
    /// The lane under the workers: the accept queue, or with `overflow=reject` the requests
    /// answered 503.
    pub last: LastLane,
    /// The last moment of the run.
    pub end: SimTime,
}

/// The lane under the workers: what happens to a request that finds every slot taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LastLane {
    pub series: Series,
    pub title: &'static str,
    /// Under the title: the peak, or what the lane means.
    pub note: String,
    /// Under the count now.
    pub unit: &'static str,
    /// Above the lane.
    pub caption: &'static str,
    /// After the count, in the picture's words for screen readers.
    pub words: &'static str,
    /// The count that fills the lane: every student of the run, so one waiting draws a sliver
    /// and a thousand most of it (a fixed scale, not the lane's own peak).
    pub full: u32,
}

impl WorkersModel {
    /// Reads every student's spans once: O(spans log spans).
    pub fn new(trace: &Trace) -> WorkersModel {
        let backlog = Series::backlog(trace);
        let full = trace.students.len() as u32;
        let last = match trace.scenario.overflow {
            Overflow::Queue => LastLane {
                note: match backlog.peak() {
                    0 => "never used".to_string(),
                    peak => format!("{} peak", format::count(peak.into())),
                },
                series: backlog.clone(),
                title: "Queue",
                unit: "waiting",
                caption: "waiting for a slot",
                words: "waiting in the accept queue",
                full,
            },
            Overflow::Reject => LastLane {
                series: Series::rejected(trace),
                title: "Rejected",
                note: "503 at once".to_string(),
                unit: "rejected",
                caption: "answered 503 at once, as uvicorn's --limit-concurrency does",
                words: "rejected with a 503",
                full,
            },
        };
        WorkersModel {
            cap: trace.scenario.capacity_per_worker(),
            workers: Series::per_worker(trace),
            backlog,
            last,
            end: trace.end,
        }
    }

    /// Where everything goes at `width` pixels.
    pub fn layout(&self, width: f64) -> Layout {
        Layout::new(width, self.workers.len(), self.cap, self.end)
    }

    /// Requests in flight on each worker at `t`.
    pub fn in_flight_at(&self, t: SimTime) -> Vec<u32> {
        self.workers.iter().map(|w| w.total_at(t)).collect()
    }

    /// Slots in all workers together (`workers x cap`).
    pub fn slots(&self) -> u64 {
        self.workers.len() as u64 * u64::from(self.cap)
    }

    /// The picture at `t` in words, for screen readers.
    pub fn label_at(&self, t: SimTime) -> String {
        let t = t.min(self.end);
        let lanes: Vec<String> = self
            .in_flight_at(t)
            .iter()
            .enumerate()
            .map(|(i, n)| format!("worker {} {}", i + 1, format::count((*n).into())))
            .collect();
        format!(
            "Requests in flight at {}, each worker holding at most {}: {}; {} {}.",
            format::secs(t.as_secs_f64()),
            format::count(self.cap.into()),
            lanes.join(", "),
            format::count(self.last.series.total_at(t).into()),
            self.last.words
        )
    }
}

/// Height of the time axis above the lanes.
pub const AXIS_H: f64 = 28.0;
const LANE_GAP: f64 = 8.0;
const BACKLOG_GAP: f64 = 16.0;
/// Below this width the picture scrolls sideways instead of squeezing the lanes.
const MIN_WIDTH: f64 = 320.0;

/// Where everything goes, in CSS pixels; a function of the width, the worker count, the cap and
/// the run's end only.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    /// The label column on the left and, on the right, the counts now and the slots beside them.
    pub label_w: f64,
    pub count_w: f64,
    pub height: f64,
    /// Time across the plot, between the two columns.
    pub axis: Axis,
    pub lane_h: f64,
    pub backlog_top: f64,
    pub backlog_h: f64,
    /// Each lane's slots at `t`, as squares at the right edge.
    pub grid: SlotGrid,
}

/// A lane's slots drawn as squares, one per request (or per `per_cell` requests where a worker
/// holds more than the squares have room for): a worker's 250 requests read as 250 things, its
/// empty slots as empty squares, and a student who found every slot taken as one square in the
/// queue, the size of a slot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SlotGrid {
    pub cols: u32,
    /// Rows of a worker's lane; the queue's lane has `queue_rows`.
    pub rows: u32,
    pub queue_rows: u32,
    /// Distance between squares' corners; a square is `pitch - 1` wide.
    pub pitch: f64,
    pub per_cell: u32,
}

impl SlotGrid {
    fn new(cap: u32, lane_h: f64, backlog_h: f64, phone: bool) -> SlotGrid {
        let (pitch, max_cols) = if phone { (3.0, 18) } else { (4.0, 30) };
        let rows_in = |h: f64| (((h - 4.0) / pitch).floor() as u32).max(1);
        let rows = rows_in(lane_h);
        let cap = cap.max(1);
        let per_cell = cap.div_ceil(rows * max_cols);
        let cols = cap.div_ceil(per_cell).div_ceil(rows);
        SlotGrid {
            cols,
            rows,
            queue_rows: rows_in(backlog_h),
            pitch,
            per_cell,
        }
    }

    /// The grid's width in CSS pixels.
    pub fn width(&self) -> f64 {
        f64::from(self.cols) * self.pitch
    }

    /// The squares `counts` (requests by look) fill, as (look index, squares) in look order,
    /// at most `room` squares in all. Each look's squares are the rounding up of the requests up
    /// to and including it, less those before it, so one request alone is one square.
    pub fn cells(&self, counts: &[u32], room: u32) -> Vec<(usize, u32)> {
        let mut out = Vec::new();
        let (mut sum, mut filled) = (0u32, 0u32);
        for (k, &n) in counts.iter().enumerate() {
            sum += n;
            let upto = sum.div_ceil(self.per_cell).min(room);
            if upto > filled {
                out.push((k, upto - filled));
                filled = upto;
            }
        }
        out
    }

    /// The top-left corner of square `i` of a lane whose squares end at `right` and whose rows
    /// (`rows` of them) end at `bottom`, filled from the bottom left, row by row.
    pub fn corner(&self, i: u32, rows: u32, right: f64, bottom: f64) -> (f64, f64) {
        let (col, row) = (i % self.cols, (i / self.cols).min(rows - 1));
        (
            right - self.width() + f64::from(col) * self.pitch,
            bottom - f64::from(row + 1) * self.pitch,
        )
    }
}

impl Layout {
    pub fn new(width: f64, workers: usize, cap: u32, end: SimTime) -> Layout {
        let width = width.max(MIN_WIDTH).floor();
        let n = workers.max(1) as f64;
        // Four workers get tall lanes; many workers still fit on a screen.
        let lane_h = (240.0 / n).clamp(14.0, 52.0);
        let backlog_top = AXIS_H + n * (lane_h + LANE_GAP) - LANE_GAP + BACKLOG_GAP;
        let backlog_h = lane_h.max(40.0);
        // A phone gets narrower side columns and smaller squares, so the plot keeps most of the
        // width.
        let phone = width < 520.0;
        let grid = SlotGrid::new(cap, lane_h, backlog_h, phone);
        let (label_w, text_w) = if phone { (68.0, 50.0) } else { (92.0, 64.0) };
        let count_w = text_w + grid.width() + 8.0;
        Layout {
            width,
            label_w,
            count_w,
            height: backlog_top + backlog_h + 4.0,
            axis: Axis::new(label_w, width - label_w - count_w, end),
            lane_h,
            backlog_top,
            backlog_h,
            grid,
        }
    }

    pub fn lane_top(&self, worker: usize) -> f64 {
        AXIS_H + worker as f64 * (self.lane_h + LANE_GAP)
    }

    /// Where the slots' squares end, at the right edge of the picture.
    pub fn grid_right(&self) -> f64 {
        self.width - 4.0
    }

    /// The bottom of the squares of worker `lane`, or of the queue's for `None`.
    pub fn grid_bottom(&self, lane: Option<usize>) -> f64 {
        match lane {
            Some(i) => self.lane_top(i) + self.lane_h - 2.0,
            None => self.backlog_top + self.backlog_h - 2.0,
        }
    }

    /// One column per CSS pixel of the plot.
    pub fn columns(&self) -> u32 {
        self.axis.width.max(1.0) as u32
    }
}

/// The student counts of the scene's preset buttons: exactly as many as there are slots, one
/// more, and twice as many (for the article's 4 x 250: 1000, 1001 and 2000), without repeats
/// (with room for one request in all, "one more" and "twice as many" are the same), each with
/// its button text; the setup's own count pressed.
pub fn presets(scenario: &Scenario) -> Vec<Choice> {
    let slots = u64::from(scenario.workers) * u64::from(scenario.capacity_per_worker());
    let clamp = |n: u64| n.clamp(1, u64::from(u32::MAX)) as u32;
    let mut counts = vec![clamp(slots), clamp(slots + 1), clamp(slots * 2)];
    counts.dedup();
    counts
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let text = format::count(n.into());
            Choice {
                text: if i == 0 {
                    format!("{text} students")
                } else {
                    text
                },
                data: n.to_string(),
                pressed: n == scenario.students,
                change: Change::Students(n),
            }
        })
        .collect()
}

/// What a request that finds every slot taken does: waits, or gets a 503 at once.
pub fn overflow_choices(scenario: &Scenario) -> [Choice; 2] {
    [
        (Overflow::Queue, "wait for a slot"),
        (Overflow::Reject, "503 at once"),
    ]
    .map(|(value, text)| Choice {
        text: text.to_string(),
        data: value.as_str().to_string(),
        pressed: value == scenario.overflow,
        change: Change::Field {
            key: "overflow".to_string(),
            value: value.as_str().to_string(),
        },
    })
}

/// What the cap per worker is, honestly: the article's figure, and what a real server does past
/// it.
pub fn cap_note(model: &WorkersModel) -> String {
    format!(
        "{} requests per worker is the article's figure, not a server's rule: uvicorn takes every \
         connection unless --limit-concurrency is set, and then answers the rest with a 503 at \
         once instead of queueing them.",
        format::count(model.cap.into())
    )
}

/// One sentence under the picture: whether anybody found every slot taken, how long they waited
/// for one, and when the last was done. Every number comes from the trace.
pub fn caption(trace: &Trace, model: &WorkersModel) -> String {
    let waited: Vec<_> = trace
        .students
        .iter()
        .filter(|s| !s.rejected && s.accepted.is_none_or(|a| a > s.arrival))
        .collect();
    let rejected = trace.students.iter().filter(|s| s.rejected).count() as u64;
    let end = format::secs(trace.end.as_secs_f64());
    let slots = format!(
        "{} workers \u{d7} {} = {} slots",
        model.workers.len(),
        format::count(model.cap.into()),
        format::count(model.slots())
    );
    let longest = waited
        .iter()
        .map(|s| s.accepted.unwrap_or(trace.end) - s.arrival)
        .max();
    match longest {
        None if rejected > 0 => format!(
            "{slots}: {} found them all taken and got a 503 at once; the {} who got one \
             were done at {end}.",
            format::plural(rejected, "student", "students"),
            format::count(trace.students.len() as u64 - rejected)
        ),
        None => format!(
            "{slots}: all {} students got one on arrival, none waited in the accept queue, and \
             all were done at {end}.",
            format::count(trace.students.len() as u64)
        ),
        Some(longest) => {
            let (who, wait) = match waited.len() {
                1 => ("1 student".to_string(), ""),
                n => (format!("{} students", format::count(n as u64)), "up to "),
            };
            let freed = if waited.iter().all(|s| s.accepted.is_some()) {
                "for one to free"
            } else {
                "and some never got one"
            };
            format!(
                "{slots}: {who} found them all taken and waited {wait}{} in the accept queue \
                 {freed}; the last was done at {end}.",
                format::secs(longest.as_secs_f64())
            )
        }
    }
}

#[cfg(test)]
mod tests;
