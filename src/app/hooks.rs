//! Hooks that reach into the browser: animation frames, the element's width, media queries and
//! keys. Each keeps its handles inside an effect, so unmounting cancels it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use gloo_timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::sim::decimal;
use crate::view::playback::Focus;

/// What an effect leaves to undo: run before the effect runs again and when the component goes.
pub type Teardown = Box<dyn FnOnce()>;

/// An effect, set up after a render: what it leaves to undo.
pub type Effect = Box<dyn FnOnce() -> Teardown>;

/// An effect that leaves nothing to undo. One function for all of them: each closure written
/// in place is a type, with code, of its own.
pub fn nothing() -> Teardown {
    Box::new(|| ())
}

/// What an effect that listens leaves: the listener, dropped (so removed) when undone.
pub fn unlisten(listener: Option<EventListener>) -> Teardown {
    Box::new(move || drop(listener))
}

/// What an effect depends on: it runs after the first render and after every render in which
/// any of this changed. One type for every effect of the app, so that they share one copy of
/// Yew's effect machinery: each closure given to `use_effect_with` is a type, and a copy, of its
/// own.
#[derive(PartialEq)]
pub struct Deps {
    key: u64,
    node: Option<NodeRef>,
    text: Option<String>,
}

impl Deps {
    /// A number.
    pub fn key(key: u64) -> Deps {
        Deps {
            key,
            node: None,
            text: None,
        }
    }

    /// The element behind `node`, and a number.
    pub fn node(node: NodeRef, key: u64) -> Deps {
        Deps {
            key,
            node: Some(node),
            text: None,
        }
    }

    /// A text, and a number.
    pub fn text(text: Option<String>, key: u64) -> Deps {
        Deps {
            key,
            node: None,
            text,
        }
    }
}

/// Runs `effect` after a render in which `deps` changed, as `use_effect_with(deps, ..)` does.
#[hook]
pub fn use_effect_on(deps: Deps, effect: Effect) {
    use_effect_with(deps, move |_| effect());
}

/// The frame handles of a running loop: the one scheduled, and the one running now (kept alive
/// until its callback has returned).
#[derive(Default)]
struct Frames {
    next: Option<AnimationFrame>,
    running: Option<AnimationFrame>,
}

fn schedule(frames: Rc<RefCell<Frames>>, last: Option<f64>, on_frame: Callback<f64>) {
    let again = frames.clone();
    let frame = request_animation_frame(move |now| {
        if let Some(prev) = last {
            // A background tab resumes with one long frame; cap it so the clock does not leap.
            on_frame.emit((now - prev).clamp(0.0, 100.0));
        }
        schedule(again, Some(now), on_frame);
    });
    let mut f = frames.borrow_mut();
    f.running = f.next.take();
    f.next = Some(frame);
}

/// Calls `on_frame` with the real milliseconds since the previous frame, every animation frame
/// while `active`; with `stepped` (reduced motion), once a second instead.
#[hook]
pub fn use_frames(active: bool, stepped: bool, on_frame: Callback<f64>) {
    let key = u64::from(active) | u64::from(stepped) << 1;
    use_effect_on(
        Deps::key(key),
        Box::new(move || {
            let frames: Rc<RefCell<Frames>> = Rc::default();
            let mut interval = None;
            if active && stepped {
                let cb = on_frame.clone();
                interval = Some(gloo_timers::callback::Interval::new(1000, move || {
                    cb.emit(1000.0)
                }));
            } else if active {
                schedule(frames.clone(), None, on_frame);
            }
            Box::new(move || {
                drop(interval);
                let mut f = frames.borrow_mut();
                f.next.take();
                f.running.take();
            })
        }),
    );
}

/// Whether a media query matches, following changes (for example the reader's motion setting).
#[hook]
pub fn use_media_query(query: &'static str) -> bool {
    // The list is made again for the effect rather than kept in a memo: one hook type fewer.
    let media = move || web_sys::window().and_then(|w| w.match_media(query).ok().flatten());
    let matches = use_state(|| media().is_some_and(|l| l.matches()));
    {
        let matches = matches.clone();
        use_effect_on(
            Deps::key(0),
            Box::new(move || {
                let listener = media().map(|l| {
                    let l2 = l.clone();
                    EventListener::new(&l, "change", move |_| matches.set(l2.matches()))
                });
                unlisten(listener)
            }),
        );
    }
    *matches
}

/// The width of an element's content box: its client width (which includes the padding) less
/// its horizontal padding, so a picture drawn at that width fits inside it.
fn content_width(el: &web_sys::Element) -> f64 {
    let padding = web_sys::window()
        .and_then(|w| w.get_computed_style(el).ok().flatten())
        .map_or(0.0, |style| {
            ["padding-left", "padding-right"]
                .iter()
                .filter_map(|side| style.get_property_value(side).ok())
                .filter_map(|v| {
                    let v = v.trim();
                    decimal::parse(v.strip_suffix("px").unwrap_or(v))
                })
                .sum()
        });
    f64::from(el.client_width()) - padding
}

/// The content width in CSS pixels of the element behind `node`, following resizes: `None` until
/// it has been measured (just after the first render), `fallback` if it cannot be (an element
/// not laid out, say in a hidden tab). A picture is drawn only once its width is known, so the
/// first render (the page's frame and its numbers) comes sooner and the picture is drawn once,
/// not once at a guessed width and again at the real one.
///
/// The width is kept in `width`, the caller's; a change draws again through a `bool` state, a
/// type the app holds anyway (a state of its own type would be Yew's state code once more).
#[hook]
pub fn use_width(node: NodeRef, fallback: f64, width: Rc<Cell<Option<f64>>>) -> Option<f64> {
    let redraw = use_state(|| false);
    let now = width.get();
    {
        let width = move |w: f64| {
            width.set(Some(w));
            redraw.set(true);
        };
        use_effect_on(
            Deps::node(node.clone(), 0),
            Box::new(move || {
                let measure = {
                    let node = node.clone();
                    move || {
                        node.cast::<web_sys::Element>()
                            .map(|el| content_width(&el))
                            .filter(|w| *w > 0.0)
                    }
                };
                // The first width is set in a task of its own, so the browser can paint the frame
                // before the picture is drawn.
                let first = measure().unwrap_or(fallback);
                let first = {
                    let width = width.clone();
                    Timeout::new(0, move || width(first))
                };
                let listener = web_sys::window().map(|w| {
                    EventListener::new(&w, "resize", move |_| {
                        if let Some(w) = measure() {
                            width(w);
                        }
                    })
                });
                Box::new(move || drop((first, listener)))
            }),
        );
    }
    now
}

/// Where a key event's target is, for the playback keys (`view::playback::Focus` decides).
pub fn focus_of(event: &web_sys::KeyboardEvent) -> Focus {
    let Some(el) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return Focus::Page;
    };
    // A region that scrolls sideways takes the arrows, as a radio button does.
    if el.has_attribute("data-al-scroll") {
        return Focus::Choice;
    }
    let input_type = el
        .dyn_ref::<web_sys::HtmlInputElement>()
        .map(|i| i.type_())
        .unwrap_or_default();
    Focus::of(&el.tag_name(), &input_type, el.is_content_editable())
}

/// Whether the element behind `node` is at least partly on screen (an IntersectionObserver);
/// true until the browser says otherwise, and always true when not `watch`ing.
#[hook]
pub fn use_on_screen(node: NodeRef, watch: bool) -> bool {
    let visible = use_state(|| true);
    {
        let visible = visible.clone();
        let observed = node.clone();
        use_effect_on(
            Deps::node(node, u64::from(watch)),
            Box::new(move || {
                let mut observer = None;
                if let (true, Some(el)) = (watch, observed.cast::<web_sys::Element>()) {
                    let callback =
                        Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                            let any = entries.iter().any(|e| {
                                e.dyn_into::<web_sys::IntersectionObserverEntry>()
                                    .is_ok_and(|e| e.is_intersecting())
                            });
                            visible.set(any);
                        });
                    if let Ok(o) =
                        web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref())
                    {
                        o.observe(&el);
                        observer = Some((o, callback));
                    }
                }
                Box::new(move || {
                    if let Some((o, _callback)) = observer {
                        o.disconnect();
                    }
                })
            }),
        );
    }
    *visible
}

/// While `active` (the app inside an iframe), posts `{type: "async-lanes:resize", height}` to the
/// parent page whenever the height of the element behind `node` changes (a ResizeObserver), so
/// the host can size the iframe to fit.
#[hook]
pub fn use_resize_messages(node: NodeRef, active: bool) {
    let observed = node.clone();
    use_effect_on(
        Deps::node(node, u64::from(active)),
        Box::new(move || {
            let mut observer = None;
            let parent = web_sys::window()
                .and_then(|w| w.parent().ok().flatten().map(|p| (w, p)))
                .filter(|(w, p)| active && w != p)
                .map(|(_, p)| p);
            if let (Some(parent), Some(el)) = (parent, observed.cast::<web_sys::Element>()) {
                let last = Rc::new(RefCell::new(-1.0f64));
                let measured = el.clone();
                let callback = Closure::<dyn FnMut()>::new(move || {
                    let height = measured.get_bounding_client_rect().height().ceil();
                    if (height - *last.borrow()).abs() >= 1.0 {
                        *last.borrow_mut() = height;
                        let message = js_sys::Object::new();
                        let _ = js_sys::Reflect::set(
                            &message,
                            &"type".into(),
                            &"async-lanes:resize".into(),
                        );
                        let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
                        let _ = parent.post_message(&message, "*");
                    }
                });
                if let Ok(o) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
                    o.observe(&el);
                    observer = Some((o, callback));
                }
            }
            Box::new(move || {
                if let Some((o, _callback)) = observer {
                    o.disconnect();
                }
            })
        }),
    );
}

/// A validated message from the parent page: only `{type: "async-lanes:seek", t: seconds}`
/// with a finite, non-negative `t` is understood; anything else is `None` and ignored.
pub fn parse_seek_message(data: &wasm_bindgen::JsValue) -> Option<f64> {
    let kind = js_sys::Reflect::get(data, &"type".into())
        .ok()?
        .as_string()?;
    if kind != "async-lanes:seek" {
        return None;
    }
    let t = js_sys::Reflect::get(data, &"t".into()).ok()?.as_f64()?;
    (t.is_finite() && t >= 0.0).then_some(t)
}
