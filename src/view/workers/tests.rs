//! The workers scene's model: its series against the core, the slots as squares, the presets,
//! the words.

use super::*;
use crate::sim::{simulate, Arrival, IoDist, Mode};
use crate::view::phase::Look;
use crate::view::scenes::SceneId;

fn run(students: u32) -> (Trace, WorkersModel) {
    let scenario = Scenario {
        students,
        ..SceneId::Workers.defaults()
    };
    let trace = simulate(&scenario).unwrap();
    let model = WorkersModel::new(&trace);
    (trace, model)
}

/// Checks the in-flight counts per worker and the backlog at the given seconds.
#[track_caller]
fn check(students: u32, expected: &[(f64, [u32; 4], u32)]) {
    let (_, model) = run(students);
    for &(secs, in_flight, backlog) in expected {
        let t = SimTime::from_secs_f64(secs);
        assert_eq!(
            model.in_flight_at(t),
            in_flight,
            "{students} students: in flight at {secs} s"
        );
        assert_eq!(
            model.backlog.total_at(t),
            backlog,
            "{students} students: backlog at {secs} s"
        );
    }
}

#[test]
fn the_article_fills_every_slot_once() {
    check(
        1000,
        &[
            (0.0, [250; 4], 0),
            (1.0, [250; 4], 0),
            (1.999_999, [250; 4], 0),
            (2.0, [0; 4], 0),
        ],
    );
    let (trace, model) = run(1000);
    assert_eq!(
        (model.cap, model.slots(), model.end),
        (250, 1000, trace.end)
    );
    assert_eq!(model.backlog.peak(), 0);
    // Everyone in flight is waiting for the email.
    assert_eq!(
        model.workers[0].at(SimTime::from_secs(1))[Look::AwaitingEmail as usize],
        250
    );
}

#[test]
fn the_1001st_waits_for_a_slot_and_2000_come_in_two_waves() {
    check(
        1001,
        &[
            (0.0, [250; 4], 1),
            (1.0, [250; 4], 1),
            (2.0, [1, 0, 0, 0], 0),
            (3.999, [1, 0, 0, 0], 0),
            (4.0, [0; 4], 0),
        ],
    );
    // At 2 s the first wave's finishes and the second wave's accepts are one instant: the
    // lanes stay full, with no dip to zero.
    check(
        2000,
        &[(1.0, [250; 4], 1000), (2.0, [250; 4], 0), (4.0, [0; 4], 0)],
    );
    let (_, model) = run(2000);
    assert!(model.workers[0].levels.iter().all(|l| l.total() <= 250));
    assert_eq!(model.backlog.peak(), 1000);
}

#[test]
fn the_series_equal_the_core_at_every_change() {
    for (mode, students, workers) in [
        (Mode::Async, 300, 3),
        (Mode::Blocking, 40, 2),
        (Mode::Threadpool, 200, 2),
    ] {
        let scenario = Scenario {
            mode,
            workers,
            students,
            concurrency: 20,
            threads: 8,
            validate_ms: 3.0,
            db_ms: 40.0,
            email_ms: 300.0,
            arrival: Arrival::Poisson,
            rate: 400.0,
            io_dist: IoDist::Exp,
            db_pool: Some(4),
            seed: 7,
            ..Scenario::default()
        };
        let trace = simulate(&scenario).unwrap();
        let model = WorkersModel::new(&trace);
        for t in trace.change_times() {
            assert_eq!(
                model.in_flight_at(t),
                trace.in_flight_by_worker(t),
                "{mode:?} at {t:?}"
            );
            let queued = trace
                .students
                .iter()
                .filter(|s| s.arrival <= t && s.accepted.is_none_or(|a| a > t))
                .count() as u32;
            assert_eq!(
                model.backlog.total_at(t),
                queued,
                "{mode:?} backlog at {t:?}"
            );
            for w in &model.workers {
                assert!(w.total_at(t) <= model.cap, "{mode:?} at {t:?} over the cap");
            }
        }
        for series in model.workers.iter().chain([&model.backlog]) {
            assert!(
                series
                    .levels
                    .windows(2)
                    .all(|p| p[0].from < p[1].from && p[0].counts != p[1].counts),
                "{mode:?}: one level per instant, each a change"
            );
        }
    }
}

#[test]
fn each_slot_is_a_square_and_one_request_fills_one() {
    let layout = Layout::new(1000.0, 4, 250, SimTime::from_secs(2));
    let grid = layout.grid;
    // 250 slots in 12 rows of 21 squares, 4 px apart: the article's worker as 250 things.
    assert_eq!((grid.cols, grid.rows, grid.per_cell), (21, 12, 1));
    assert_eq!(grid.queue_rows, 12);
    assert!(layout.count_w >= grid.width() + 64.0);
    let mut counts = [0; crate::view::series::LOOKS];
    counts[3] = 250;
    assert_eq!(grid.cells(&counts, 252), [(3, 250)]);
    // The 1001st student: one square in the queue, as big as a slot.
    counts[3] = 0;
    counts[0] = 1;
    assert_eq!(grid.cells(&counts, 252), [(0, 1)]);
    // Rounded up per look, so a lone request never vanishes; never more than the room.
    let big = SlotGrid::new(10_000, 52.0, 52.0, false);
    assert_eq!((big.per_cell, big.cols), (28, 30));
    let (mut c, room) = ([0; crate::view::series::LOOKS], 5);
    c[0] = 1;
    c[2] = 1000;
    assert_eq!(big.cells(&c, room), [(0, 1), (2, 4)]);
    // Squares fill from the bottom left, row by row, and end at the column's right edge.
    assert_eq!(grid.corner(0, 12, 500.0, 100.0), (416.0, 96.0));
    assert_eq!(grid.corner(21, 12, 500.0, 100.0), (416.0, 92.0));
    // A phone's squares are smaller, so the plot keeps its width.
    let phone = Layout::new(350.0, 4, 250, SimTime::from_secs(2));
    assert!(phone.axis.width >= 170.0, "{}", phone.axis.width);
}

#[test]
fn presets_follow_the_slots() {
    let counts = |s: &Scenario| presets(s).into_iter().map(|c| c.data).collect::<Vec<_>>();
    assert_eq!(
        counts(&SceneId::Workers.defaults()),
        ["1000", "1001", "2000"]
    );
    let two = Scenario {
        workers: 2,
        ..SceneId::Workers.defaults()
    };
    assert_eq!(counts(&two), ["500", "501", "1000"]);
    assert_eq!(counts(&Scenario::default()), ["1", "2"]);
    assert_eq!(presets(&two)[0].text, "500 students");
    assert_eq!(presets(&two)[1].text, "501");
    // The setup's own count (the scene's 1000) is pressed.
    let pressed: Vec<String> = presets(&two)
        .into_iter()
        .filter(|c| c.pressed)
        .map(|c| c.data)
        .collect();
    assert_eq!(pressed, ["1000"]);
    let [queue, reject] = overflow_choices(&two);
    assert!(queue.pressed && !reject.pressed && reject.data == "reject");
}

#[test]
fn the_label_says_every_lane_at_t() {
    let (_, model) = run(1001);
    assert_eq!(
        model.label_at(SimTime::from_secs(1)),
        "Requests in flight at 1 s, each worker holding at most 250: worker 1 250, worker 2 \
         250, worker 3 250, worker 4 250; 1 waiting in the accept queue."
    );
    assert_eq!(model.last.note, "1 peak");
}

#[test]
fn captions_name_the_backlog_from_the_trace() {
    let (trace, model) = run(1000);
    assert_eq!(
        caption(&trace, &model),
        "4 workers \u{d7} 250 = 1\u{202f}000 slots: all 1\u{202f}000 students got one on \
         arrival, none waited in the accept queue, and all were done at 2 s."
    );
    let (trace, model) = run(1001);
    assert_eq!(
        caption(&trace, &model),
        "4 workers \u{d7} 250 = 1\u{202f}000 slots: 1 student found them all taken and \
         waited 2 s in the accept queue for one to free; the last was done at 4 s."
    );
    let (trace, model) = run(2000);
    assert_eq!(
        caption(&trace, &model),
        "4 workers \u{d7} 250 = 1\u{202f}000 slots: 1\u{202f}000 students found them all \
         taken and waited up to 2 s in the accept queue for one to free; the last was done \
         at 4 s."
    );
}
