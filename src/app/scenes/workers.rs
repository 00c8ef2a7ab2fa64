//! The `workers` scene: a lane per worker with its requests in flight over time against its cap,
//! and a lane for the accept queue's backlog, drawn on a `<canvas>` (a thousand requests are too
//! many for SVG rows). Draws only what `view::workers` computed from the trace.
//!
//! Drawing is split so a frame costs the same for ten requests or a million: the lanes' chrome
//! and the whole run's areas are painted once per trace, width and theme into two offscreen
//! canvases; a frame copies the chrome, reveals the areas up to now, and writes the counts.

use std::rc::Rc;

use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

use crate::app::hooks::{nothing, Deps, Effect};
use crate::app::markup::{el, Markup};
use crate::app::scenes::canvas::{context, new_canvas, paints, Fill, Paint, Palette};
use crate::app::scenes::{Drawn, Kept, PictureProps};
use crate::sim::time::SimTime;
use crate::view::change::Change;
use crate::view::config::PageConfig;
use crate::view::format;
use crate::view::scenes::Choice;
use crate::view::workers::{cap_note, overflow_choices, presets, Layout, WorkersModel};
use crate::view::workers_canvas::{
    now_x, paint_areas, paint_base, paint_now, Ink, Pen, Place, Rect, Voice,
};

/// A `<canvas>` as `view::workers_canvas` draws on it, in the theme's colours.
struct Canvas<'a> {
    ctx: &'a CanvasRenderingContext2d,
    p: &'a Palette,
    /// Each look's paint.
    paints: &'a [Paint],
}

impl Canvas<'_> {
    fn stroke(&self, colour: &str, width: f64) {
        self.ctx.set_stroke_style_str(colour);
        self.ctx.set_line_width(width);
        self.ctx.stroke();
    }

    fn fill(&self, fill: &Fill) {
        match fill {
            Fill::Colour(c) => self.ctx.set_fill_style_str(c),
            Fill::Pattern(pat) => self.ctx.set_fill_style_canvas_pattern(pat),
        }
        self.ctx.fill();
    }
}

impl Pen for Canvas<'_> {
    fn rect(&mut self, r: Rect) {
        self.ctx.rect(r.x, r.y, r.w, r.h);
    }

    fn move_to(&mut self, x: f64, y: f64) {
        self.ctx.move_to(x, y);
    }

    fn line_to(&mut self, x: f64, y: f64) {
        self.ctx.line_to(x, y);
    }

    fn paint(&mut self, ink: Ink) {
        let (p, paint) = (self.p, |k: usize| self.paints.get(k));
        match ink {
            Ink::Border => self.stroke(&p.border, 1.0),
            Ink::Lane => {
                self.ctx.set_fill_style_str(&p.bg);
                self.ctx.fill();
            }
            Ink::Cap => self.stroke(&p.muted, 1.0),
            Ink::Now => self.stroke(&p.now, 2.0),
            Ink::Guess => self.stroke(&p.focus, 2.0),
            Ink::Fill(k) => {
                if let Some(fill) = paint(k).and_then(|p| p.fill.as_ref()) {
                    self.fill(fill);
                }
            }
            Ink::Edge(k) => {
                if let Some(Paint {
                    edge: Some(edge),
                    thick,
                    ..
                }) = paint(k)
                {
                    self.stroke(edge, if *thick { 1.5 } else { 1.0 });
                }
            }
            // A hatched look's square is too small to show its hatch: outlined in its edge.
            Ink::Square(k) => match paint(k) {
                Some(Paint {
                    fill: Some(fill @ Fill::Colour(_)),
                    ..
                }) => self.fill(fill),
                Some(Paint {
                    edge: Some(edge), ..
                }) => self.stroke(edge, 1.0),
                _ => {}
            },
        }
        self.ctx.begin_path();
    }

    fn write(&mut self, text: &str, at: Place) {
        let (weight, px, colour) = match at.voice {
            Voice::Plain => ("", 12, &self.p.muted),
            Voice::Strong(px) => ("600 ", px, &self.p.text),
            Voice::Guess => ("700 ", 12, &self.p.focus),
        };
        let ctx = self.ctx;
        ctx.set_font(&format!("{weight}{px}px {}", self.p.font));
        ctx.set_fill_style_str(colour);
        ctx.set_text_align(at.align.as_str());
        let _ = match at.max_w {
            Some(max_w) => ctx.fill_text_with_max_width(text, at.x, at.y, max_w),
            None => ctx.fill_text(text, at.x, at.y),
        };
    }

    fn outline(&mut self, r: Rect) {
        self.ctx.set_stroke_style_str(&self.p.border);
        self.ctx.set_line_width(1.0);
        self.ctx.stroke_rect(r.x, r.y, r.w, r.h);
    }

    fn outlined(&self, k: usize) -> bool {
        !matches!(
            self.paints.get(k),
            Some(Paint {
                fill: Some(Fill::Colour(_)),
                ..
            })
        )
    }
}

/// What one frame needs that changes only with the trace, the width, the pixel ratio or the theme.
pub(super) struct Cache {
    model: Rc<WorkersModel>,
    layout: Layout,
    dpr: f64,
    dark: bool,
    palette: Palette,
    /// Each look's paint, for the squares now.
    paints: Vec<Paint>,
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
        let paints = paints(&ctx, &palette);
        let mut pen = Canvas {
            ctx: &ctx,
            p: &palette,
            paints: &paints,
        };
        paint_base(&mut pen, &layout, &model);
        let (data, ctx) = new_canvas(w, h)?;
        let _ = ctx.scale(dpr, dpr);
        pen.ctx = &ctx;
        paint_areas(&mut pen, &layout, &model);
        Some(Cache {
            model,
            layout,
            dpr,
            dark,
            paints,
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
    let dpr = cache.dpr;
    ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0).ok()?;
    ctx.clear_rect(0.0, 0.0, f64::from(w), f64::from(h));
    ctx.draw_image_with_html_canvas_element(&cache.base, 0.0, 0.0)
        .ok()?;
    // Reveal the whole run's areas up to now: the future is not drawn.
    let now_x = now_x(&cache.layout, &cache.model, t);
    ctx.save();
    ctx.begin_path();
    ctx.rect(0.0, 0.0, (now_x * dpr).round(), f64::from(h));
    ctx.clip();
    ctx.draw_image_with_html_canvas_element(&cache.data, 0.0, 0.0)
        .ok()?;
    ctx.restore();
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0).ok()?;
    ctx.begin_path();
    let mut pen = Canvas {
        ctx: &ctx,
        p: &cache.palette,
        paints: &cache.paints,
    };
    paint_now(&mut pen, &cache.layout, &cache.model, t, guess);
    Some(())
}

/// The workers picture, and the effect that paints its canvas.
pub fn workers(props: &PictureProps, kept: &Kept) -> Drawn {
    // Once per run, kept with the run: the series behind every frame, and the caption.
    let (model, words) = props.trace.workers();
    let layout = model.layout(props.width);
    let (canvas_ref, held, dark) = (kept.node.clone(), kept.held.clone(), kept.dark);
    let (t, guess) = (props.t, props.config.guess);
    // Painted again when the run, the moment, the width, the theme or the guess changes.
    let key = props.trace.workers_frame_key(t, props.width, dark, guess);
    let paint = {
        let model = model.clone();
        let effect: Effect = Box::new(move || {
            if let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() {
                let dpr = web_sys::window()
                    .map_or(1.0, |w| w.device_pixel_ratio())
                    .max(1.0);
                let cache = &mut held.borrow_mut().canvas;
                if !cache
                    .as_ref()
                    .is_some_and(|c| c.fits(&model, &layout, dpr, dark))
                {
                    *cache = Cache::build(&canvas, model.clone(), layout, dpr, dark);
                }
                if let Some(cache) = cache.as_ref() {
                    paint_frame(&canvas, cache, t, guess);
                }
            }
            nothing()
        });
        (Deps::text(Some(key), 0), effect)
    };

    // Read by tests and authors: the counts now, as the core's trace has them.
    let now = model.readings(props.t);

    let mut m = Markup::new();
    el!(m, "div", class = "al-workers"; {
        el!(m, "div", class = "al-workers-scroll"; {
            el!(m, "canvas", class = "al-workers-canvas", role = "img", "aria-label" = now.label,
                style = format!("width:{}px;height:{}px", format::plain(layout.width), format::plain(layout.height)),
                "data-in-flight" = now.in_flight, "data-backlog" = now.backlog,
                "data-backlog-peak" = model.backlog.peak().to_string(), "data-cap" = model.cap.to_string(),
                "data-lane-full" = model.last.full.to_string(),
                "data-queue-square" = layout.queue_square(),
                "data-guess" = props.config.guess.map(|g| format::plain(g.as_secs_f64())); {
                m.node_ref(kept.node.clone());
            });
        });
        presets_bar(&mut m, &props.config, &props.on_change);
        el!(m, "p", class = "al-caption al-workers-caption"; { m.say(words.to_string()) });
        el!(m, "p", class = "al-note", "data-cap-note" = ""; { m.say(cap_note(&model)) });
    });
    (m.finish(), Some(paint))
}

/// "1000 students", "1001", "2000": exactly the slots, one more, twice as many; and what a
/// student who finds them all taken does.
fn presets_bar(m: &mut Markup, config: &PageConfig, on_change: &Callback<Change>) {
    el!(m, "div", class = "al-workers-controls"; {
        choices(m, "How many students register at once", &["class", "aria-pressed", "data-students"],
            "al-btn al-preset", presets(&config.scenario), on_change);
        choices(m, "When every slot is taken", &["class", "aria-pressed", "data-overflow"],
            "al-btn al-overflow", overflow_choices(&config.scenario), on_change);
    });
}

/// A labelled group of choices.
fn choices(
    m: &mut Markup,
    label: &'static str,
    keys: &'static [&'static str],
    class: &'static str,
    choices: impl IntoIterator<Item = Choice>,
    on_change: &Callback<Change>,
) {
    el!(m, "div", class = "al-presets", role = "group", "aria-label" = label; {
        super::choice_buttons(m, keys, class, choices, on_change);
    });
}
