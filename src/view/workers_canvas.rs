//! The `workers` canvas laid out: every rule, rectangle, square and word it paints, in CSS
//! pixels, from `view::workers`' model and `Layout`: the scales of the lanes, which counts get a
//! label of their own, the words "Worker N", "250 max" and "N in flight". It hands them to a
//! `Pen` as it goes (no list of shapes is built, so a frame allocates nothing it would only walk
//! once); a shape names its `Ink` and words their `Voice`, and the app's pen, on a `<canvas>`,
//! paints them as they are. No colours and no canvas here. Tests in `workers_canvas/tests.rs`,
//! with a pen that records.

use crate::sim::time::SimTime;
use crate::view::axis::Unit;
use crate::view::format;
use crate::view::series::{Series, LOOKS};
use crate::view::story::guess_label;
use crate::view::workers::{Layout, WorkersModel, AXIS_H};

/// A band never drawn thinner than this, so one request among 250 still shows.
pub const MIN_BAND: f64 = 3.0;
/// Room between a lane's edge and its area (the cap line sits at the top of the room).
const PAD: f64 = 3.0;
/// A count whose band is thinner than this is written above it, where the text has room...
const LABEL_BELOW: f64 = 8.0;
/// ...if it lasts this many columns.
const LABEL_COLUMNS: u32 = 48;
/// A lane at least this tall has room for a second line beside it.
const TWO_LINES_FROM: f64 = 34.0;

/// A rectangle in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// How words are written: the app picks the font and colour for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Voice {
    /// 12 px, muted: ticks, the unit, notes, the caption.
    Plain,
    /// Bold in the text's colour, this many pixels tall: names and counts.
    Strong(u32),
    /// The reader's guess: bold, in the focus colour.
    Guess,
}

/// Where words stand relative to their `x`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

impl Align {
    /// The canvas's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Align::Left => "left",
            Align::Center => "center",
            Align::Right => "right",
        }
    }
}

/// What a shape is painted with; the app's pen maps each to its theme's colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ink {
    /// The ticks' rules, the lanes' outlines and the empty slots: thin, in the border colour.
    Border,
    /// A lane's background.
    Lane,
    /// The cap line at the top of a worker's lane, dashed, muted.
    Cap,
    /// The now line, 2 px.
    Now,
    /// The reader's guess, dashed, 2 px.
    Guess,
    /// A look's area (its index in `Look::ALL`).
    Fill(usize),
    /// A look's top edge.
    Edge(usize),
    /// A look's squares now: filled, or outlined where the pen says (`Pen::outlined`).
    Square(usize),
}

/// Where words stand and how they read; their baseline is at `y`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Place {
    pub x: f64,
    pub y: f64,
    pub align: Align,
    pub voice: Voice,
    /// The widest they may be drawn (squeezed beyond it).
    pub max_w: Option<f64>,
}

fn at((x, y): (f64, f64), align: Align, voice: Voice) -> Place {
    Place {
        x,
        y,
        align,
        voice,
        max_w: None,
    }
}

/// What the canvas is drawn with: shapes are built up (`rect`, `move_to`, `line_to`) and
/// painted with an ink (`paint`), which starts the next shape.
pub trait Pen {
    fn rect(&mut self, r: Rect);
    fn move_to(&mut self, x: f64, y: f64);
    fn line_to(&mut self, x: f64, y: f64);
    /// Paints the shape built since the last `paint`, then starts a new one.
    fn paint(&mut self, ink: Ink);
    fn write(&mut self, text: &str, place: Place);
    /// Outlines `r` in `Ink::Border` at once, apart from the shape being built (a canvas's
    /// `strokeRect`, whose corners are square where a path's are not quite).
    fn outline(&mut self, r: Rect);
    /// Whether look `k`'s squares are outlined (a hatched or unfilled look) rather than filled.
    fn outlined(&self, k: usize) -> bool;
}

/// A horizontal dashed line, 4 px on and 3 off.
fn dashed(pen: &mut impl Pen, x0: f64, x1: f64, y: f64) {
    let mut x = x0;
    while x < x1 {
        pen.move_to(x, y);
        pen.line_to((x + 4.0).min(x1), y);
        x += 7.0;
    }
}

/// A lane's side text: its name (or its count now) in bold and, when the lane is tall enough, a
/// muted second line under it; a short lane centres the first line alone.
fn side_text(
    pen: &mut impl Pen,
    (x, align, max_w): (f64, Align, f64),
    (top, h): (f64, f64),
    (first, px): (&str, u32),
    second: &str,
) {
    let room = h >= TWO_LINES_FROM;
    let size = f64::from(px);
    let y = if room {
        top + size + 4.0
    } else {
        top + h / 2.0 + size / 2.0 - 2.0
    };
    let max_w = Some(max_w);
    let mut place = at((x, y), align, Voice::Strong(px));
    place.max_w = max_w;
    pen.write(first, place);
    if room {
        let mut place = at((x, top + 33.5), align, Voice::Plain);
        place.max_w = max_w;
        pen.write(second, place);
    }
}

/// The lanes' chrome, painted once per run, width and theme: the ticks, each lane's background,
/// name and note, the cap lines, every slot as an empty square (the cap as a picture), and the
/// last lane's caption.
pub fn paint_base<P: Pen>(pen: &mut P, layout: &Layout, model: &WorkersModel) {
    let axis = &layout.axis;
    let bottom = layout.height - 2.0;
    for tick in axis.ticks(80.0, Unit::Seconds) {
        let x = tick.x.round() + 0.5;
        pen.move_to(x, AXIS_H - 6.0);
        pen.line_to(x, bottom);
        pen.write(
            &tick.label,
            at((x, AXIS_H - 10.0), Align::Center, Voice::Plain),
        );
    }
    pen.paint(Ink::Border);
    let unit = at((axis.left - 8.0, AXIS_H - 10.0), Align::Right, Voice::Plain);
    pen.write(Unit::Seconds.word(), unit);
    let name_side = (4.0, Align::Left, layout.label_w - 8.0);
    let lane = |pen: &mut P, top: f64, h: f64, name: &str, note: &str| {
        let r = Rect {
            x: axis.left,
            y: top,
            w: axis.width,
            h,
        };
        pen_lane(pen, r);
        side_text(pen, name_side, (top, h), (name, 13), note);
    };
    let cap = format!("{} max", format::count(model.cap.into()));
    let grid = &layout.grid;
    let slots = model.cap.div_ceil(grid.per_cell);
    for w in 0..model.workers.len() {
        let top = layout.lane_top(w);
        lane(pen, top, layout.lane_h, &format!("Worker {}", w + 1), &cap);
        dashed(pen, axis.left, axis.right(), top + PAD + 0.5);
        pen.paint(Ink::Cap);
        let (right, bottom) = (layout.grid_right(), layout.grid_bottom(Some(w)));
        for i in 0..slots {
            pen.rect(layout.square(grid.corner(i, grid.rows, right, bottom), true));
        }
        pen.paint(Ink::Border);
    }
    let last = &model.last;
    lane(
        pen,
        layout.backlog_top,
        layout.backlog_h,
        last.title,
        &last.note,
    );
    let caption = at(
        (axis.left, layout.backlog_top - 4.0),
        Align::Left,
        Voice::Plain,
    );
    pen.write(last.caption, caption);
}

/// A lane's background and its outline on pixels' middles.
fn pen_lane(pen: &mut impl Pen, r: Rect) {
    pen.rect(r);
    pen.paint(Ink::Lane);
    pen.outline(Rect {
        x: r.x + 0.5,
        y: r.y + 0.5,
        w: r.w - 1.0,
        h: r.h - 1.0,
    });
}

/// One lane's stacked area for the whole run, `scale` pixels per request, standing on
/// `bottom`; with `label`, the counts too small to read off the area (one request among 250)
/// are written above it, where there is room for the text.
fn paint_lane(
    pen: &mut impl Pen,
    layout: &Layout,
    (series, end): (&Series, SimTime),
    (top, h, full): (f64, f64, u32),
    label: bool,
) {
    let scale = (h - 2.0 * PAD) / f64::from(full.max(1));
    let bottom = top + h - PAD;
    let plot_x = layout.axis.left;
    let runs = series.columns(end, layout.columns());
    let col = |c: u32| plot_x + f64::from(c);
    for k in 0..LOOKS {
        // Heights are cumulative: band k sits on top of bands 0..k.
        let shown = runs.iter().filter(|r| r.counts[k] > 0);
        for run in shown.clone() {
            let y0 = bottom - f64::from(run.below(k)) * scale;
            let h = (f64::from(run.counts[k]) * scale).max(MIN_BAND);
            let w = f64::from(run.end - run.first);
            pen.rect(Rect {
                x: col(run.first),
                y: y0 - h,
                w,
                h,
            });
        }
        pen.paint(Ink::Fill(k));
        let mut open = false;
        for run in &runs {
            if run.counts[k] == 0 {
                open = false;
                continue;
            }
            let top = f64::from(run.below(k) + run.counts[k]);
            let y = (bottom - top * scale).round() + 0.5;
            if open {
                pen.line_to(col(run.first), y);
            } else {
                pen.move_to(col(run.first), y);
                open = true;
            }
            pen.line_to(col(run.end), y);
        }
        pen.paint(Ink::Edge(k));
    }
    for run in runs.iter().filter(|_| label) {
        let total = run.total();
        let h = (f64::from(total) * scale).max(MIN_BAND);
        if total > 0 && h < LABEL_BELOW && run.end - run.first >= LABEL_COLUMNS {
            let x = plot_x + f64::from(run.first) + 4.0;
            let text = format!("{} in flight", format::count(total.into()));
            pen.write(
                &text,
                at((x, bottom - h - 3.0), Align::Left, Voice::Strong(11)),
            );
        }
    }
}

/// Every lane's area for the whole run, painted once per run, width and theme: a worker's lane
/// full at the cap, the last lane full at every student of the run.
pub fn paint_areas(pen: &mut impl Pen, layout: &Layout, model: &WorkersModel) {
    for (i, series) in model.workers.iter().enumerate() {
        let lane = (layout.lane_top(i), layout.lane_h, model.cap);
        paint_lane(pen, layout, (series, model.end), lane, true);
    }
    let last = &model.last;
    let lane = (layout.backlog_top, layout.backlog_h, last.full);
    paint_lane(pen, layout, (&last.series, model.end), lane, false);
}

/// Where the present is at `t` (at most the run's end): everything left of it is revealed.
pub fn now_x(layout: &Layout, model: &WorkersModel, t: SimTime) -> f64 {
    layout.axis.x(t.min(model.end))
}

/// What changes with the clock, at `t` (at most the run's end): the now line, the reader's
/// `guess` of the last wait (dashed, with its words), the counts now, right-aligned in a fixed
/// column so they never jump, and the squares beside them.
pub fn paint_now<P: Pen>(
    pen: &mut P,
    layout: &Layout,
    model: &WorkersModel,
    t: SimTime,
    guess: Option<SimTime>,
) {
    let t = t.min(model.end);
    let (top, bottom) = (AXIS_H - 4.0, layout.height - 2.0);
    let x = layout.axis.x(t);
    pen.move_to(x, top);
    pen.line_to(x, bottom);
    pen.paint(Ink::Now);
    if let Some(g) = guess {
        let x = layout.axis.x(g);
        let mut y = top;
        while y < bottom {
            pen.move_to(x, y);
            pen.line_to(x, (y + 5.0).min(bottom));
            y += 8.0;
        }
        pen.paint(Ink::Guess);
        let words = at(
            (x - 4.0, layout.backlog_top - 4.0),
            Align::Right,
            Voice::Guess,
        );
        pen.write(&guess_label(g, model.end), words);
    }
    let grid = &layout.grid;
    let side = (
        layout.grid_right() - grid.width() - 6.0,
        Align::Right,
        layout.count_w - grid.width() - 8.0,
    );
    let lane = |pen: &mut P, series: &Series, band, unit: &str, lane, (rows, room)| {
        let n = format::count(series.total_at(t).into());
        side_text(pen, side, band, (&n, 16), unit);
        let (right, bottom) = (layout.grid_right(), layout.grid_bottom(lane));
        let mut i = 0;
        for (k, n) in grid.cells(&series.at(t), room) {
            let outlined = pen.outlined(k);
            for j in i..i + n {
                pen.rect(layout.square(grid.corner(j, rows, right, bottom), outlined));
            }
            pen.paint(Ink::Square(k));
            i += n;
        }
    };
    let slots = model.cap.div_ceil(grid.per_cell);
    for (i, series) in model.workers.iter().enumerate() {
        let band = (layout.lane_top(i), layout.lane_h);
        lane(pen, series, band, "in flight", Some(i), (grid.rows, slots));
    }
    let last = &model.last;
    let band = (layout.backlog_top, layout.backlog_h);
    let room = (grid.queue_rows, grid.queue_rows * grid.cols);
    lane(pen, &last.series, band, last.unit, None, room);
}

/// What the canvas says at `t` as attributes and words: for screen readers, and for tests and
/// authors who read the counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Readings {
    /// The picture in words.
    pub label: String,
    /// Requests in flight on each worker, "250,250,250,250".
    pub in_flight: String,
    /// Students in the accept queue.
    pub backlog: String,
}

impl WorkersModel {
    /// The readings at `t` (at most the run's end).
    pub fn readings(&self, t: SimTime) -> Readings {
        let t = t.min(self.end);
        let counts: Vec<String> = self.in_flight_at(t).iter().map(u32::to_string).collect();
        Readings {
            label: self.label_at(t),
            in_flight: counts.join(","),
            backlog: self.backlog.total_at(t).to_string(),
        }
    }
}

impl Layout {
    /// A square whose corner is `(x, y)`: filled, `pitch - 1` wide; outlined, a pixel inside
    /// that, on pixels' middles.
    pub fn square(&self, (x, y): (f64, f64), outlined: bool) -> Rect {
        let pitch = self.grid.pitch;
        if outlined {
            Rect {
                x: x + 0.5,
                y: y + 0.5,
                w: pitch - 2.0,
                h: pitch - 2.0,
            }
        } else {
            Rect {
                x,
                y,
                w: pitch - 1.0,
                h: pitch - 1.0,
            }
        }
    }

    /// Where the queue's first square is drawn, "x,y", for tests that look at the pixels.
    pub fn queue_square(&self) -> String {
        let g = &self.grid;
        let (x, y) = g.corner(0, g.queue_rows, self.grid_right(), self.grid_bottom(None));
        format!("{},{}", format::plain(x), format::plain(y))
    }
}

#[cfg(test)]
mod tests;
