//! Canvas helpers of the `workers` scene: the theme's colours read from the page's CSS, the
//! hatches, and the canvas version of each look. Drawing only; what to draw
//! comes from `view::workers`.

use wasm_bindgen::JsCast;
use web_sys::{CanvasPattern, CanvasRenderingContext2d, HtmlCanvasElement};

use crate::view::phase::Look;

/// The theme's colours, read from the page's CSS custom properties (so dark mode follows them).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Palette {
    pub(super) bg: String,
    pub(super) border: String,
    pub(super) text: String,
    pub(super) muted: String,
    pub(super) queued: String,
    pub(super) running: String,
    pub(super) db: String,
    pub(super) db_tint: String,
    pub(super) email: String,
    pub(super) now: String,
    pub(super) focus: String,
    pub(super) ready: String,
    pub(super) font: String,
}

impl Palette {
    pub(super) fn read(el: &web_sys::Element) -> Palette {
        let style = web_sys::window().and_then(|w| w.get_computed_style(el).ok().flatten());
        let get = |name: &str, fallback: &str| {
            style
                .as_ref()
                .and_then(|s| s.get_property_value(name).ok())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| fallback.to_string())
        };
        Palette {
            bg: get("--al-bg", "#ffffff"),
            border: get("--al-border", "#d5d9e0"),
            text: get("--al-text", "#1b1f24"),
            muted: get("--al-muted", "#57606a"),
            queued: get("--al-queued", "#9aa1ab"),
            running: get("--al-running", "#0072b2"),
            db: get("--al-db", "#d55e00"),
            db_tint: get("--al-db-tint", "#f6d2b8"),
            email: get("--al-email", "#cc79a7"),
            now: get("--al-now", "#c0392b"),
            focus: get("--al-focus", "#0060a0"),
            ready: get("--al-ready", "#009e73"),
            font: get("--al-font", "system-ui, sans-serif"),
        }
    }
}

pub(super) fn new_canvas(w: u32, h: u32) -> Option<(HtmlCanvasElement, CanvasRenderingContext2d)> {
    let document = web_sys::window()?.document()?;
    let canvas: HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(w.max(1));
    canvas.set_height(h.max(1));
    let ctx = context(&canvas)?;
    Some((canvas, ctx))
}

pub(super) fn context(canvas: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    canvas.get_context("2d").ok()??.dyn_into().ok()
}

/// A 6 px tile of diagonal lines on the background: the legend's "awaiting I/O" hatch.
pub(super) fn hatch(
    on: &CanvasRenderingContext2d,
    bg: &str,
    ink: &str,
    rising: bool,
) -> Option<CanvasPattern> {
    let (tile, ctx) = new_canvas(6, 6)?;
    ctx.set_fill_style_str(bg);
    ctx.fill_rect(0.0, 0.0, 6.0, 6.0);
    ctx.set_stroke_style_str(ink);
    ctx.set_line_width(1.6);
    ctx.begin_path();
    // Three segments so the lines join across tiles.
    for k in [-6.0, 0.0, 6.0] {
        if rising {
            ctx.move_to(k, 6.0);
            ctx.line_to(k + 6.0, 0.0);
        } else {
            ctx.move_to(k, 0.0);
            ctx.line_to(k + 6.0, 6.0);
        }
    }
    ctx.stroke();
    on.create_pattern_with_html_canvas_element(&tile, "repeat")
        .ok()
        .flatten()
}

/// How a look is painted on the canvas: its fill (a colour or a hatch) and the colour of its
/// top edge.
pub(super) struct Paint {
    pub(super) fill: Option<Fill>,
    pub(super) edge: Option<String>,
    /// Lines of a look that is only an outline are drawn thicker.
    pub(super) thick: bool,
}

pub(super) enum Fill {
    Colour(String),
    Pattern(CanvasPattern),
}

/// The canvas version of each look, indexed like `Look::ALL` (the same looks as the legend's
/// CSS, read from the same custom properties).
pub(super) fn paints(ctx: &CanvasRenderingContext2d, p: &Palette) -> Vec<Paint> {
    let colour = |c: &str| Some(Fill::Colour(c.to_string()));
    Look::ALL
        .iter()
        .map(|look| {
            let (fill, edge) = match look {
                Look::Running => (colour(&p.running), None),
                Look::Framework => (colour(&p.muted), None),
                Look::BlockedDb => (colour(&p.db), Some(&p.text)),
                Look::BlockedEmail => (colour(&p.email), Some(&p.text)),
                Look::BlockedSleep => (colour(&p.muted), Some(&p.text)),
                Look::Sleeping => (colour(&p.border), Some(&p.muted)),
                Look::ThreadSlot => (None, Some(&p.muted)),
                Look::LockWait => (None, Some(&p.text)),
                Look::RowLockWait => (None, Some(&p.db)),
                Look::AwaitingDb => (
                    hatch(ctx, &p.bg, &p.db, true).map(Fill::Pattern),
                    Some(&p.db),
                ),
                Look::Connection => (colour(&p.db_tint), Some(&p.db)),
                Look::AwaitingEmail => (
                    hatch(ctx, &p.bg, &p.email, false).map(Fill::Pattern),
                    Some(&p.email),
                ),
                Look::Ready => (None, Some(&p.ready)),
                Look::ThreadWait => (None, Some(&p.running)),
                Look::Queued => (colour(&p.queued), None),
                Look::Rejected => (colour(&p.now), None),
                Look::Answered | Look::Done => (None, None),
            };
            Paint {
                fill,
                edge: edge.cloned(),
                thick: matches!(
                    look,
                    Look::Ready
                        | Look::ThreadWait
                        | Look::ThreadSlot
                        | Look::LockWait
                        | Look::RowLockWait
                        | Look::BlockedDb
                        | Look::BlockedEmail
                        | Look::BlockedSleep
                ),
            }
        })
        .collect()
}
