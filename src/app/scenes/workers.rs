//! The `workers` scene: a lane per worker with its requests in flight over time against its cap,
//! and a lane for the accept queue's backlog, drawn on a `<canvas>` (a thousand requests are too
//! many for SVG rows). Draws only what `view::workers` computed from the trace.
//!
//! Drawing is split so a frame costs the same for ten requests or a million: the lanes' chrome
//! and the whole run's areas are painted once per trace, width and theme into two offscreen
//! canvases; a frame copies the chrome, reveals the areas up to now, and writes the counts.

use std::cell::RefCell;
use std::rc::Rc;

use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

use crate::app::hooks::use_media_query;
use crate::app::scenes::canvas::{
    context, dashed, new_canvas, paints, two_lines, Fill, Paint, Palette, Side,
};
use crate::app::scenes::PictureProps;
use crate::sim::scenario::Overflow;
use crate::sim::time::SimTime;
use crate::view::axis::Unit;
use crate::view::change::Change;
use crate::view::config::PageConfig;
use crate::view::format;
use crate::view::series::{Run, Series, LOOKS};
use crate::view::story::guess_label;
use crate::view::workers::{cap_note, presets, Layout, WorkersModel, AXIS_H};

/// A band never drawn thinner than this, so one request among 250 still shows.
const MIN_BAND: f64 = 3.0;
/// Room between a lane's edge and its area (the cap line sits at the top of the room).
const PAD: f64 = 3.0;

/// How a look's square is painted: filled with its colour, or (a hatched look, too small to
/// show its hatch) outlined in its edge colour.
fn square_styles(p: &Palette) -> Vec<(Option<String>, Option<String>)> {
    let ctx = new_canvas(1, 1).map(|(_, ctx)| ctx);
    let Some(ctx) = ctx else {
        return Vec::new();
    };
    paints(&ctx, p)
        .into_iter()
        .map(|paint| match paint.fill {
            Some(Fill::Colour(c)) => (Some(c), None),
            _ => (None, paint.edge),
        })
        .collect()
}

/// The squares of one lane at `t`: `counts` by look, at most `room` squares, in `rows` rows
/// ending at `bottom`.
fn paint_squares(
    ctx: &CanvasRenderingContext2d,
    cache: &Cache,
    counts: &[u32],
    (rows, room): (u32, u32),
    bottom: f64,
) {
    let grid = &cache.layout.grid;
    let right = cache.layout.grid_right();
    let mut i = 0;
    for (k, n) in grid.cells(counts, room) {
        let Some((fill, edge)) = cache.squares.get(k) else {
            continue;
        };
        ctx.begin_path();
        for j in i..i + n {
            let (x, y) = grid.corner(j, rows, right, bottom);
            if fill.is_some() {
                ctx.rect(x, y, grid.pitch - 1.0, grid.pitch - 1.0);
            } else {
                ctx.rect(x + 0.5, y + 0.5, grid.pitch - 2.0, grid.pitch - 2.0);
            }
        }
        i += n;
        if let Some(fill) = fill {
            ctx.set_fill_style_str(fill);
            ctx.fill();
        } else if let Some(edge) = edge {
            ctx.set_stroke_style_str(edge);
            ctx.set_line_width(1.0);
            ctx.stroke();
        }
    }
}

/// The lanes' chrome: axis, grid, lane backgrounds, labels and cap lines.
fn paint_base(ctx: &CanvasRenderingContext2d, layout: &Layout, model: &WorkersModel, p: &Palette) {
    let bottom = layout.height - 2.0;
    ctx.set_font(&format!("12px {}", p.font));
    ctx.set_text_baseline("alphabetic");
    ctx.set_line_width(1.0);
    ctx.set_stroke_style_str(&p.border);
    ctx.set_fill_style_str(&p.muted);
    ctx.set_text_align("center");
    for tick in layout.axis.ticks(80.0, Unit::Seconds) {
        let x = tick.x.round() + 0.5;
        ctx.begin_path();
        ctx.move_to(x, AXIS_H - 6.0);
        ctx.line_to(x, bottom);
        ctx.stroke();
        let _ = ctx.fill_text(&tick.label, x, AXIS_H - 10.0);
    }
    ctx.set_text_align("right");
    let _ = ctx.fill_text(Unit::Seconds.word(), layout.axis.left - 8.0, AXIS_H - 10.0);

    let lane = |top: f64, h: f64, name: &str, note: &str| {
        ctx.set_fill_style_str(&p.bg);
        ctx.fill_rect(layout.axis.left, top, layout.axis.width, h);
        ctx.set_stroke_style_str(&p.border);
        ctx.stroke_rect(
            layout.axis.left + 0.5,
            top + 0.5,
            layout.axis.width - 1.0,
            h - 1.0,
        );
        let side = Side {
            x: 4.0,
            align: "left",
            max_w: layout.label_w - 8.0,
        };
        two_lines(ctx, p, &side, (top, h), (name, 13.0), note);
    };
    let cap = format!("{} max", format::count(model.cap.into()));
    let grid = &layout.grid;
    let slots = model.cap.div_ceil(grid.per_cell);
    for (w, _) in model.workers.iter().enumerate() {
        let top = layout.lane_top(w);
        lane(top, layout.lane_h, &format!("Worker {}", w + 1), &cap);
        ctx.set_stroke_style_str(&p.muted);
        dashed(ctx, layout.axis.left, layout.axis.right(), top + PAD + 0.5);
        // Every slot as an empty square: the cap as a picture.
        ctx.set_stroke_style_str(&p.border);
        ctx.begin_path();
        for i in 0..slots {
            let (x, y) = grid.corner(
                i,
                grid.rows,
                layout.grid_right(),
                layout.grid_bottom(Some(w)),
            );
            ctx.rect(x + 0.5, y + 0.5, grid.pitch - 2.0, grid.pitch - 2.0);
        }
        ctx.stroke();
    }
    lane(
        layout.backlog_top,
        layout.backlog_h,
        model.last.title,
        &model.last.note,
    );
    ctx.set_fill_style_str(&p.muted);
    ctx.set_text_align("left");
    let _ = ctx.fill_text(
        model.last.caption,
        layout.axis.left,
        layout.backlog_top - 4.0,
    );
}

/// One lane's stacked area for the whole run, `scale` pixels per request.
fn paint_area(
    ctx: &CanvasRenderingContext2d,
    paints: &[Paint],
    runs: &[Run],
    plot_x: f64,
    bottom: f64,
    scale: f64,
) {
    let col = |c: u32| plot_x + f64::from(c);
    // Heights are cumulative: band k sits on top of bands 0..k.
    let below = |run: &Run, k: usize| -> f64 { f64::from(run.below(k)) };
    for (k, paint) in paints.iter().enumerate().take(LOOKS) {
        if let Some(fill) = &paint.fill {
            match fill {
                Fill::Colour(c) => ctx.set_fill_style_str(c),
                Fill::Pattern(pat) => ctx.set_fill_style_canvas_pattern(pat),
            }
            ctx.begin_path();
            for run in runs.iter().filter(|r| r.counts[k] > 0) {
                let y0 = bottom - below(run, k) * scale;
                let h = (f64::from(run.counts[k]) * scale).max(MIN_BAND);
                ctx.rect(col(run.first), y0 - h, f64::from(run.end - run.first), h);
            }
            ctx.fill();
        }
        if let Some(edge) = &paint.edge {
            ctx.set_stroke_style_str(edge);
            ctx.set_line_width(if paint.thick { 1.5 } else { 1.0 });
            ctx.begin_path();
            let mut open = false;
            for run in runs {
                if run.counts[k] == 0 {
                    open = false;
                    continue;
                }
                let y = (bottom - (below(run, k) + f64::from(run.counts[k])) * scale).round() + 0.5;
                if open {
                    ctx.line_to(col(run.first), y);
                } else {
                    ctx.move_to(col(run.first), y);
                    open = true;
                }
                ctx.line_to(col(run.end), y);
            }
            ctx.stroke();
        }
    }
}

/// Counts too small to read off the area (one request among 250) are written above it, where
/// there is room for the text.
fn label_small_counts(
    ctx: &CanvasRenderingContext2d,
    p: &Palette,
    runs: &[Run],
    plot_x: f64,
    bottom: f64,
    scale: f64,
) {
    ctx.set_fill_style_str(&p.text);
    ctx.set_font(&format!("600 11px {}", p.font));
    ctx.set_text_align("left");
    for run in runs {
        let total = run.total();
        let h = (f64::from(total) * scale).max(MIN_BAND);
        if total > 0 && h < 8.0 && run.end - run.first >= 48 {
            let text = format!("{} in flight", format::count(total.into()));
            let _ = ctx.fill_text(&text, plot_x + f64::from(run.first) + 4.0, bottom - h - 3.0);
        }
    }
}

/// Every lane's area for the whole run.
fn paint_data(ctx: &CanvasRenderingContext2d, layout: &Layout, model: &WorkersModel, p: &Palette) {
    let paints = paints(ctx, p);
    let columns = layout.columns();
    let lane = |series: &Series, top: f64, h: f64, full: u32| {
        let inner = h - 2.0 * PAD;
        let scale = inner / f64::from(full.max(1));
        let runs = series.columns(model.end, columns);
        paint_area(ctx, &paints, &runs, layout.axis.left, top + h - PAD, scale);
        runs
    };
    for (i, series) in model.workers.iter().enumerate() {
        let (top, h) = (layout.lane_top(i), layout.lane_h);
        let runs = lane(series, top, h, model.cap);
        let scale = (h - 2.0 * PAD) / f64::from(model.cap.max(1));
        label_small_counts(ctx, p, &runs, layout.axis.left, top + h - PAD, scale);
    }
    lane(
        &model.last.series,
        layout.backlog_top,
        layout.backlog_h,
        model.last.full,
    );
}

/// What one frame needs that changes only with the trace, the width, the pixel ratio or the theme.
struct Cache {
    model: Rc<WorkersModel>,
    layout: Layout,
    dpr: f64,
    dark: bool,
    palette: Palette,
    /// Each look's square: its fill or its outline.
    squares: Vec<(Option<String>, Option<String>)>,
    base: HtmlCanvasElement,
    data: HtmlCanvasElement,
}

impl Cache {
    fn fits(&self, model: &Rc<WorkersModel>, layout: &Layout, dpr: f64, dark: bool) -> bool {
        Rc::ptr_eq(&self.model, model)
            && self.layout == *layout
            && self.dpr == dpr
            && self.dark == dark
    }

    fn build(
        el: &web_sys::Element,
        model: Rc<WorkersModel>,
        layout: Layout,
        dpr: f64,
        dark: bool,
    ) -> Option<Cache> {
        let palette = Palette::read(el);
        let (w, h) = device_size(&layout, dpr);
        let (base, ctx) = new_canvas(w, h)?;
        let _ = ctx.scale(dpr, dpr);
        paint_base(&ctx, &layout, &model, &palette);
        let (data, ctx) = new_canvas(w, h)?;
        let _ = ctx.scale(dpr, dpr);
        paint_data(&ctx, &layout, &model, &palette);
        Some(Cache {
            model,
            layout,
            dpr,
            dark,
            squares: square_styles(&palette),
            palette,
            base,
            data,
        })
    }
}

fn device_size(layout: &Layout, dpr: f64) -> (u32, u32) {
    (
        (layout.width * dpr).round() as u32,
        (layout.height * dpr).round() as u32,
    )
}

/// One frame: the chrome, the areas up to `t`, the now line and the counts at `t`.
fn paint_frame(
    canvas: &HtmlCanvasElement,
    cache: &Cache,
    t: SimTime,
    guess: Option<SimTime>,
) -> Option<()> {
    let ctx = context(canvas)?;
    let (w, h) = device_size(&cache.layout, cache.dpr);
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let layout = &cache.layout;
    let model = &cache.model;
    let p = &cache.palette;
    let t = t.min(model.end);
    let dpr = cache.dpr;
    ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0).ok()?;
    ctx.clear_rect(0.0, 0.0, f64::from(w), f64::from(h));
    ctx.draw_image_with_html_canvas_element(&cache.base, 0.0, 0.0)
        .ok()?;
    // Reveal the whole run's areas up to now: the future is not drawn.
    let now_x = layout.axis.x(t);
    ctx.save();
    ctx.begin_path();
    ctx.rect(0.0, 0.0, (now_x * dpr).round(), f64::from(h));
    ctx.clip();
    ctx.draw_image_with_html_canvas_element(&cache.data, 0.0, 0.0)
        .ok()?;
    ctx.restore();
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).ok()?;

    ctx.set_stroke_style_str(&p.now);
    ctx.set_line_width(2.0);
    ctx.begin_path();
    ctx.move_to(now_x, AXIS_H - 4.0);
    ctx.line_to(now_x, layout.height - 2.0);
    ctx.stroke();

    // The reader's guess of the last wait, dashed, with its words.
    if let Some(guess) = guess {
        let x = layout.axis.x(guess);
        ctx.set_stroke_style_str(&p.focus);
        let top = AXIS_H - 4.0;
        let mut y = top;
        ctx.begin_path();
        while y < layout.height - 2.0 {
            ctx.move_to(x, y);
            ctx.line_to(x, (y + 5.0).min(layout.height - 2.0));
            y += 8.0;
        }
        ctx.stroke();
        ctx.set_fill_style_str(&p.focus);
        ctx.set_font(&format!("700 12px {}", p.font));
        ctx.set_text_align("right");
        let _ = ctx.fill_text(
            &guess_label(guess, model.end),
            x - 4.0,
            layout.backlog_top - 4.0,
        );
    }

    // The counts at now, right-aligned in a fixed column so they never jump, and the slots
    // beside them as squares.
    let grid = &layout.grid;
    let side = Side {
        x: layout.grid_right() - grid.width() - 6.0,
        align: "right",
        max_w: layout.count_w - grid.width() - 8.0,
    };
    let count = |top: f64, h: f64, n: u32, unit: &str| {
        two_lines(
            &ctx,
            p,
            &side,
            (top, h),
            (&format::count(n.into()), 16.0),
            unit,
        );
    };
    let slots = model.cap.div_ceil(grid.per_cell);
    for (i, series) in model.workers.iter().enumerate() {
        let top = layout.lane_top(i);
        count(top, layout.lane_h, series.total_at(t), "in flight");
        let bottom = layout.grid_bottom(Some(i));
        paint_squares(&ctx, cache, &series.at(t), (grid.rows, slots), bottom);
    }
    count(
        layout.backlog_top,
        layout.backlog_h,
        model.last.series.total_at(t),
        model.last.unit,
    );
    let bottom = layout.grid_bottom(None);
    let room = grid.queue_rows * grid.cols;
    paint_squares(
        &ctx,
        cache,
        &model.last.series.at(t),
        (grid.queue_rows, room),
        bottom,
    );
    Some(())
}

#[component]
pub fn Workers(props: &PictureProps) -> Html {
    // Once per trace: the series behind every frame, and the caption.
    let run = use_memo(props.trace.clone(), |trace| {
        let (model, words) = trace.workers();
        (Rc::new(model), words)
    });
    let (model, words) = (run.0.clone(), &run.1);
    let layout = Layout::new(props.width, model.workers.len(), model.cap, model.end);
    let canvas_ref = use_node_ref();
    let dark = use_media_query("(prefers-color-scheme: dark)");
    let cache: Rc<RefCell<Option<Cache>>> = use_mut_ref(|| None);
    {
        let canvas_ref = canvas_ref.clone();
        use_effect_with(
            (model.clone(), props.t, layout, dark, props.config.guess),
            move |(model, t, layout, dark, guess)| {
                let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() else {
                    return;
                };
                let dpr = web_sys::window()
                    .map_or(1.0, |w| w.device_pixel_ratio())
                    .max(1.0);
                let mut cache = cache.borrow_mut();
                if !cache
                    .as_ref()
                    .is_some_and(|c| c.fits(model, layout, dpr, *dark))
                {
                    *cache = Cache::build(&canvas, model.clone(), *layout, dpr, *dark);
                }
                if let Some(cache) = cache.as_ref() {
                    paint_frame(&canvas, cache, *t, *guess);
                }
            },
        );
    }

    let t = props.t.min(model.end);
    // Where the queue's first square is drawn, for tests that look at the pixels.
    let queue_square = {
        let g = &layout.grid;
        let (x, y) = g.corner(
            0,
            g.queue_rows,
            layout.grid_right(),
            layout.grid_bottom(None),
        );
        format!("{},{}", format::plain(x), format::plain(y))
    };
    // Read by tests and authors: the counts now, as the core's trace has them.
    let in_flight: Vec<String> = model.in_flight_at(t).iter().map(u32::to_string).collect();

    html! {
        <div class="al-workers">
            <div class="al-workers-scroll">
                <canvas ref={canvas_ref} class="al-workers-canvas" role="img" aria-label={model.label_at(t)}
                    style={format!("width:{}px;height:{}px", format::plain(layout.width), format::plain(layout.height))}
                    data-in-flight={in_flight.join(",")} data-backlog={model.backlog.total_at(t).to_string()}
                    data-backlog-peak={model.backlog.peak().to_string()} data-cap={model.cap.to_string()}
                    data-lane-full={model.last.full.to_string()}
                    data-queue-square={queue_square}
                    data-guess={props.config.guess.map(|g| format::plain(g.as_secs_f64()))} />
            </div>
            { presets_bar(&props.config, &props.on_change) }
            <p class="al-caption al-workers-caption">{ words.clone() }</p>
            <p class="al-note" data-cap-note="">{ cap_note(&model) }</p>
        </div>
    }
}

/// "1000 students", "1001", "2000": exactly the slots, one more, twice as many.
fn presets_bar(config: &PageConfig, on_change: &Callback<Change>) -> Html {
    let current = config.scenario.students;
    let button = |(n, text): (u32, String)| {
        let onclick = on_change.reform(move |_: MouseEvent| Change::Students(n));
        html! {
            <button class="al-btn al-preset" aria-pressed={(n == current).to_string()} {onclick}
                data-students={n.to_string()}>{ text }</button>
        }
    };
    let overflow = config.scenario.overflow;
    let choice = |value: Overflow, text: &'static str| {
        let onclick = on_change.reform(move |_: MouseEvent| Change::Field {
            key: "overflow".to_string(),
            value: value.as_str().to_string(),
        });
        html! {
            <button class="al-btn al-overflow" aria-pressed={(value == overflow).to_string()} {onclick}
                data-overflow={value.as_str()}>{ text }</button>
        }
    };
    html! {
        <div class="al-workers-controls">
            <div class="al-presets" role="group" aria-label="How many students register at once">
                { for presets(&config.scenario).into_iter().map(button) }
            </div>
            <div class="al-presets" role="group" aria-label="When every slot is taken">
                { choice(Overflow::Queue, "wait for a slot") }
                { choice(Overflow::Reject, "503 at once") }
            </div>
        </div>
    }
}
