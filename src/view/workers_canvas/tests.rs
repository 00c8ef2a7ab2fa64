//! The workers canvas's layout, checked on the article's setups with a pen that records: the
//! lanes and their words, the scales, which counts get a label, the squares, the guess and the
//! readings.

use super::*;
use crate::sim::simulate;
use crate::sim::Scenario;
use crate::view::phase::Look;
use crate::view::scenes::SceneId;

/// A painted shape: its ink, its rectangles and its lines' points.
type Shape = (Ink, Vec<Rect>, Vec<(f64, f64)>);

/// A pen that keeps what it is given: each painted shape with its ink, and the words.
#[derive(Default)]
struct Recorder {
    rects: Vec<Rect>,
    points: Vec<(f64, f64)>,
    painted: Vec<Shape>,
    words: Vec<(String, Place)>,
}

impl Pen for Recorder {
    fn rect(&mut self, r: Rect) {
        self.rects.push(r);
    }
    fn move_to(&mut self, x: f64, y: f64) {
        self.points.push((x, y));
    }
    fn line_to(&mut self, x: f64, y: f64) {
        self.points.push((x, y));
    }
    fn paint(&mut self, ink: Ink) {
        let shape = (
            ink,
            std::mem::take(&mut self.rects),
            std::mem::take(&mut self.points),
        );
        self.painted.push(shape);
    }
    fn write(&mut self, text: &str, place: Place) {
        self.words.push((text.to_string(), place));
    }
    fn outline(&mut self, r: Rect) {
        self.painted.push((Ink::Border, vec![r], Vec::new()));
    }
    fn outlined(&self, k: usize) -> bool {
        k == Look::AwaitingEmail as usize
    }
}

impl Recorder {
    fn texts(&self) -> Vec<&str> {
        self.words.iter().map(|(t, _)| t.as_str()).collect()
    }

    fn place(&self, text: &str) -> Place {
        self.words.iter().find(|(t, _)| t == text).unwrap().1
    }

    /// Every rectangle painted with `ink`.
    fn rects(&self, ink: Ink) -> Vec<Rect> {
        let of = self.painted.iter().filter(|(i, _, _)| *i == ink);
        of.flat_map(|(_, r, _)| r.clone()).collect()
    }

    /// Every point of the lines painted with `ink`.
    fn points(&self, ink: Ink) -> Vec<(f64, f64)> {
        let of = self.painted.iter().filter(|(i, _, _)| *i == ink);
        of.flat_map(|(_, _, p)| p.clone()).collect()
    }
}

/// The model and layout of the workers scene with `students`, 1000 px wide.
fn setup(students: u32) -> (WorkersModel, Layout) {
    let scenario = Scenario {
        students,
        ..SceneId::Workers.defaults()
    };
    let model = WorkersModel::new(&simulate(&scenario).unwrap());
    let layout = Layout::new(1000.0, model.workers.len(), model.cap, model.end);
    (model, layout)
}

fn base(students: u32) -> (WorkersModel, Layout, Recorder) {
    let (model, layout) = setup(students);
    let mut pen = Recorder::default();
    paint_base(&mut pen, &layout, &model);
    (model, layout, pen)
}

#[test]
fn each_lane_is_named_with_its_cap_and_the_last_lane_with_its_peak() {
    let (_, layout, pen) = base(1001);
    let t = pen.texts();
    for name in [
        "Worker 1",
        "Worker 4",
        "250 max",
        "Queue",
        "1 peak",
        "waiting for a slot",
        "seconds",
    ] {
        assert!(t.contains(&name), "{name} in {t:?}");
    }
    // Four worker lanes and the queue's, each outlined inside its background.
    let lanes = pen.rects(Ink::Lane);
    assert_eq!(lanes.len(), 5);
    assert_eq!(
        (lanes[0].x, lanes[4].y),
        (layout.axis.left, layout.backlog_top)
    );
    // A dashed cap line on each worker lane, at the top of its room.
    let caps = pen.points(Ink::Cap);
    assert_eq!(caps[0], (layout.axis.left, layout.lane_top(0) + PAD + 0.5));
    assert_eq!(caps[1].0 - caps[0].0, 4.0);
    // Every slot an empty square, outlined: 4 workers x 250, and the lanes' outlines.
    assert_eq!(pen.rects(Ink::Border).len(), 1000 + 5);
    // The ticks' rules sit on pixels' middles.
    assert!(pen
        .points(Ink::Border)
        .iter()
        .all(|(x, _)| x.fract() == 0.5));
    let name = pen.place("Worker 1");
    assert_eq!(
        (name.x, name.align, name.voice),
        (4.0, Align::Left, Voice::Strong(13))
    );
    assert_eq!(name.max_w, Some(layout.label_w - 8.0));
}

#[test]
fn a_short_lane_centres_its_name_alone() {
    let side = (4.0, Align::Left, 80.0);
    let mut tall = Recorder::default();
    side_text(&mut tall, side, (30.0, 52.0), ("Worker 1", 13), "250 max");
    assert_eq!(tall.texts(), ["Worker 1", "250 max"]);
    assert_eq!(
        (tall.words[0].1.y, tall.words[1].1.y),
        (30.0 + 17.0, 30.0 + 33.5)
    );
    let mut short = Recorder::default();
    side_text(&mut short, side, (30.0, 20.0), ("Worker 1", 13), "250 max");
    assert_eq!(short.texts(), ["Worker 1"]);
    assert_eq!(short.words[0].1.y, 30.0 + 10.0 + 6.5 - 2.0);
}

fn areas(students: u32) -> (WorkersModel, Layout, Recorder) {
    let (model, layout) = setup(students);
    let mut pen = Recorder::default();
    paint_areas(&mut pen, &layout, &model);
    (model, layout, pen)
}

#[test]
fn a_worker_lane_is_full_at_its_cap_and_the_queue_at_every_student() {
    let (_, layout, pen) = areas(2000);
    let email = Look::AwaitingEmail as usize;
    // 250 of 250 awaiting the email: the band fills the lane between its paddings.
    let band = pen.rects(Ink::Fill(email))[0];
    assert!(
        (band.h - (layout.lane_h - 2.0 * PAD)).abs() < 1e-9,
        "{band:?}"
    );
    assert_eq!(band.y, layout.lane_top(0) + PAD);
    // 1000 of 2000 students waiting: half the queue's lane.
    let queued = pen.rects(Ink::Fill(Look::Queued as usize))[0];
    let half = (layout.backlog_h - 2.0 * PAD) / 2.0;
    assert!((queued.h - half).abs() < 1e-9, "{queued:?}");
    // The edge sits on a pixel's middle.
    assert!(pen
        .points(Ink::Edge(email))
        .iter()
        .all(|(_, y)| y.fract() == 0.5));
    // Full lanes need no label of their own.
    assert!(pen.words.is_empty());
}

#[test]
fn one_request_among_250_is_a_visible_sliver_and_says_how_many() {
    let (_, layout, pen) = areas(1001);
    // After 2 s only the 1001st runs, on worker 1: a band of MIN_BAND, labelled.
    assert_eq!(pen.texts(), ["1 in flight"]);
    let label = pen.words[0].1;
    assert_eq!(label.voice, Voice::Strong(11));
    let x2 = layout.axis.x(SimTime::from_secs(2));
    assert!((label.x - (x2 + 4.0)).abs() <= 1.0, "{} vs {x2}", label.x);
    let bottom = layout.lane_top(0) + layout.lane_h - PAD;
    assert_eq!(label.y, bottom - MIN_BAND - 3.0);
    let slivers = (0..LOOKS).flat_map(|k| pen.rects(Ink::Fill(k)));
    assert!(slivers.filter(|r| r.h == MIN_BAND).count() > 0);
}

fn now(students: u32, t: f64, guess: Option<SimTime>) -> (WorkersModel, Layout, Recorder) {
    let (model, layout) = setup(students);
    let mut pen = Recorder::default();
    paint_now(&mut pen, &layout, &model, SimTime::from_secs_f64(t), guess);
    (model, layout, pen)
}

#[test]
fn the_frame_counts_each_lane_and_fills_its_squares() {
    let (model, layout, pen) = now(1001, 1.0, None);
    let x = layout.axis.x(SimTime::from_secs(1));
    assert_eq!(now_x(&layout, &model, SimTime::from_secs(1)), x);
    assert_eq!(
        pen.points(Ink::Now),
        [(x, AXIS_H - 4.0), (x, layout.height - 2.0)]
    );
    assert_eq!(
        pen.texts(),
        [
            "250",
            "in flight",
            "250",
            "in flight",
            "250",
            "in flight",
            "250",
            "in flight",
            "1",
            "waiting"
        ]
    );
    assert!(pen.words.iter().all(|(_, p)| p.align == Align::Right));
    // 250 squares a worker, outlined where the pen says, and the 1001st student's one in the
    // queue, filled, where the tests look.
    let email = pen.rects(Ink::Square(Look::AwaitingEmail as usize));
    assert_eq!(email.len(), 1000);
    assert_eq!(email[0].w, layout.grid.pitch - 2.0);
    let queue = pen.rects(Ink::Square(Look::Queued as usize));
    assert_eq!(queue.len(), 1);
    assert_eq!(
        layout.queue_square(),
        format!(
            "{},{}",
            format::plain(queue[0].x),
            format::plain(queue[0].y)
        )
    );
    // After the end, the end.
    assert_eq!(
        now_x(&layout, &model, SimTime::from_secs(100)),
        layout.axis.x(model.end)
    );
}

#[test]
fn the_guess_is_dashed_down_the_lanes_with_its_words() {
    let g = SimTime::from_secs(1);
    let (model, layout, pen) = now(1000, 0.0, Some(g));
    let x = layout.axis.x(g);
    let dashes = pen.points(Ink::Guess);
    assert_eq!(dashes[..2], [(x, AXIS_H - 4.0), (x, AXIS_H + 1.0)]);
    assert!(dashes.iter().all(|(_, y)| *y <= layout.height - 2.0));
    let label = guess_label(g, model.end);
    assert_eq!(pen.place(&label).voice, Voice::Guess);
}

#[test]
fn squares_are_filled_or_outlined_inside_their_pitch() {
    let (_, layout) = setup(1000);
    let p = layout.grid.pitch;
    let (w, h) = (p - 1.0, p - 1.0);
    assert_eq!(
        layout.square((10.0, 20.0), false),
        Rect {
            x: 10.0,
            y: 20.0,
            w,
            h
        }
    );
    let (w, h) = (p - 2.0, p - 2.0);
    assert_eq!(
        layout.square((10.0, 20.0), true),
        Rect {
            x: 10.5,
            y: 20.5,
            w,
            h
        }
    );
}

#[test]
fn the_readings_name_every_lane() {
    let (model, _) = setup(1001);
    let r = model.readings(SimTime::from_secs(1));
    assert_eq!(
        (r.in_flight.as_str(), r.backlog.as_str()),
        ("250,250,250,250", "1")
    );
    assert_eq!(r.label, model.label_at(SimTime::from_secs(1)));
    assert_eq!(model.readings(SimTime::from_secs(100)).in_flight, "0,0,0,0");
}
