//! The timeline picture (SVG), drawn from `view::timeline`'s model as it is.
//!
//! The whole run is drawn once per trace and width (`RunDrawing`, which Yew then skips while the
//! clock moves); the current time is an HTML layer on top of it, moved by a CSS transform: the
//! now line, a veil that leaves the future faint, and the queue's count. A frame so touches a few
//! elements instead of re-recording hundreds of SVG rectangles.

use std::rc::Rc;

use yew::prelude::*;

use crate::app::markup::{el, list, Markup};
use crate::app::SharedTrace;
use crate::sim::time::SimTime;
use crate::view::axis::{Tick, Unit};
use crate::view::change::Change;
use crate::view::config::PageConfig;
use crate::view::format::{self, plain, Fixed};
use crate::view::phase::{Look, Pattern};
use crate::view::timeline::{Bar, Drawing, AXIS_H, LABEL_W, LANE_H};

/// What a timeline draws: a run at a moment, in a given room.
pub struct TimelineProps {
    pub trace: SharedTrace,
    /// The current time.
    pub t: SimTime,
    /// The drawing's width in CSS pixels.
    pub width: f64,
    /// A unique prefix for this picture's pattern ids (several pictures can share a page).
    pub uid: AttrValue,
    /// A short name for the picture, for screen readers.
    pub label: AttrValue,
    /// Pixels for the student rows (shorter when several pictures share the scene).
    pub rows_px: f64,
    /// The time at the right edge, when several pictures share one axis (default: the run's end).
    pub axis_end: Option<SimTime>,
    /// The student the reader follows, highlighted (and drawn even beyond the first rows).
    pub follow: Option<u32>,
    /// A click on a row follows that student (or, on the followed one, nobody): a
    /// `Change::Follow`. The scene's own callback, passed as it is: one made anew each frame
    /// would make the whole-run drawing differ every frame and draw it again.
    pub on_change: Callback<Change>,
    /// The reader's guess of the last wait, marked on the axis.
    pub guess: Option<SimTime>,
}

impl TimelineProps {
    /// The timeline of a scene's `trace` at `t`, `width` pixels wide, with the page's follow,
    /// guess and changes, the student rows at their usual height and the run's own axis; named
    /// "Timeline of N students", then `more`.
    pub fn of(
        trace: &SharedTrace,
        t: SimTime,
        width: f64,
        uid: AttrValue,
        more: &str,
        config: &PageConfig,
        on_change: &Callback<Change>,
    ) -> TimelineProps {
        TimelineProps {
            trace: trace.clone(),
            t,
            width,
            uid,
            label: trace.timeline_label(more).into(),
            rows_px: 520.0,
            axis_end: None,
            follow: config.follow,
            on_change: on_change.clone(),
            guess: config.guess,
        }
    }
}

/// The timeline of `props`: one place that draws it, for every scene that has one.
pub fn timeline(props: TimelineProps) -> Html {
    draw_timeline(&props)
}

/// The timeline of `props`, then the note under it when it draws only some of the students.
pub fn timeline_noted(props: TimelineProps) -> Html {
    let words = props.trace.rows_note();
    let mut m = Markup::new();
    m.node(timeline(props));
    m.node(note(words));
    m.finish()
}

/// A note under a picture, if there is one.
pub fn note(text: Option<String>) -> Html {
    let Some(text) = text else {
        return Html::default();
    };
    let mut m = Markup::new();
    el!(m, "p", class = "al-note"; { m.say(text) });
    m.finish()
}

/// The SVG patterns behind the hatched and dotted looks, with ids under `uid`, for a picture's
/// `<defs>`; with `idle`, also the faint hatching of a worker lane's idle time. Fixed markup, so
/// it is written as text (parsed into SVG elements by the browser): Yew would build each of its
/// elements with code of its own. `uid` is the page's own prefix, never the reader's text.
pub(crate) fn state_patterns(uid: &str, idle: bool) -> Html {
    let mut svg = String::new();
    for p in Pattern::ALL {
        let id = p.suffix();
        svg.push_str(&match p {
            Pattern::HatchDb | Pattern::HatchEmail => {
                let (class, turn) = if p == Pattern::HatchDb {
                    ("al-pat-db", "45")
                } else {
                    ("al-pat-email", "-45")
                };
                format!(
                    r#"<pattern id="{uid}-{id}" class="{class}" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate({turn})"><rect width="6" height="6" class="al-pat-bg"/><line x1="0" y1="0" x2="0" y2="6"/></pattern>"#
                )
            }
            Pattern::DotsDb => format!(
                r#"<pattern id="{uid}-{id}" class="al-pat-db" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" class="al-pat-bg"/><circle cx="2.5" cy="2.5" r="1.2"/></pattern>"#
            ),
        });
    }
    if idle {
        svg.push_str(&format!(
            r#"<pattern id="{uid}-idle" class="al-pat-idle" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8"/></pattern>"#
        ));
    }
    Html::from_html_unchecked(svg.into())
}

fn n(v: f64) -> String {
    format::fixed(v, 1)
}

/// A rectangle of one look, filled by its pattern where it has one; keyed by its place `i` in
/// its row, so that when the run changes (await on or off) the same element moves to its new
/// place instead of being remade.
pub(crate) fn bar(m: &mut Markup, i: usize, b: &Bar, uid: &str) {
    let fill = b
        .look
        .pattern()
        .map(|p| format!("url(#{uid}-{})", p.suffix()));
    el!(m, "rect", class = b.look.class(), fill = fill, x = n(b.x), y = n(b.y), width = n(b.w), height = n(b.h); {
        m.key(i);
    });
}

/// The timeline at `props.t`: the run's drawing (made once per run and size, by the run itself)
/// under the present's layer. A function, not a component: it changes with every frame anyway.
fn draw_timeline(props: &TimelineProps) -> Html {
    let trace = &props.trace;
    let drawing = trace.drawing(
        props.width,
        props.rows_px,
        props.axis_end,
        (props.follow, props.guess),
    );
    let now = trace.now(&drawing, props.t);
    let now_style = format!(
        "transform:translateX({}px);top:{}px;height:{}px;width:{}px",
        Fixed(now.x, 1),
        Fixed(AXIS_H - 4.0, 1),
        Fixed(drawing.height - (AXIS_H - 4.0), 1),
        Fixed(drawing.width - LABEL_W, 1)
    );
    let mut m = Markup::new();
    el!(m, "div", class = "al-timeline-wrap"; {
        el!(m, "ul", class = "al-worker-status", "aria-live" = "off"; {
            list!(m, {
                for w in &now.workers {
                    el!(m, "li"; { m.say(w.clone()) });
                }
            });
        });
        el!(m, "div", class = "al-timeline-stage",
            style = format!("width:{}px;height:{}px", plain(drawing.width), plain(drawing.height)); {
            m.node(html! {
                <RunDrawing drawing={drawing.clone()} uid={props.uid.clone()} label={props.label.clone()}
                    on_change={props.on_change.clone()} />
            });
            el!(m, "div", class = if now.flip { "al-now-layer al-now-flip" } else { "al-now-layer" }, style = now_style; {
                el!(m, "div", class = "al-now-veil");
                el!(m, "div", class = "al-now-line");
                el!(m, "span", class = "al-now-word al-queue-count",
                    style = format!("top:{}px", plain(drawing.queue_top - (AXIS_H - 4.0))); { m.say(now.queued) });
            });
        });
    });
    m.finish()
}

/// The props of the whole-run drawing: equal (the drawing by identity) while the clock moves, so
/// Yew skips it.
#[derive(Properties, Clone)]
struct RunProps {
    drawing: Rc<Drawing>,
    uid: AttrValue,
    label: AttrValue,
    on_change: Callback<Change>,
}

impl PartialEq for RunProps {
    /// The run keeps one drawing per size and marks, so the same drawing is the same `Rc`; a
    /// field-by-field comparison of two drawings would be work (and code) for nothing.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.drawing, &other.drawing)
            && self.uid == other.uid
            && self.label == other.label
            && self.on_change == other.on_change
    }
}

/// The time axis's ticks, each a rule down to `height` and its label above the drawing, both
/// drawings' (`axis_h` is where the axis band ends); a label too near `right` ends there.
pub(crate) fn ticks(m: &mut Markup, ticks: &[Tick], axis_h: f64, height: f64, right: f64) {
    list!(m, {
        for tick in ticks {
            el!(m, "g", class = "al-tick"; {
                el!(m, "line", x1 = n(tick.x), x2 = n(tick.x), y1 = n(axis_h - 6.0), y2 = n(height));
                el!(m, "text", x = n(tick.x), y = n(axis_h - 10.0), "text-anchor" = if tick.x > right - 12.0 { "end" } else { "middle" }; {
                    m.say(tick.label.clone());
                });
            });
        }
    });
}

/// The whole run, start to end.
#[component]
fn RunDrawing(props: &RunProps) -> Html {
    let d = &props.drawing;
    let uid = props.uid.as_str();
    let mut m = Markup::new();
    el!(m, "svg", class = "al-timeline", width = plain(d.width), height = plain(d.height),
        viewBox = format!("0 0 {} {}", plain(d.width), plain(d.height)), role = "img", "aria-label" = props.label.clone(); {
        el!(m, "defs"; { m.node(state_patterns(uid, true)) });
        ticks(&mut m, &d.ticks, AXIS_H, d.height, d.axis.right());
        el!(m, "text", class = "al-axis-unit", x = n(LABEL_W - 6.0), y = n(AXIS_H - 10.0), "text-anchor" = "end"; {
            m.text(Unit::Seconds.word());
        });
        list!(m, {
            for lane in &d.lanes {
                el!(m, "g", class = "al-worker-lane"; {
                    el!(m, "text", class = "al-lane-label", x = "4", y = n(lane.y + LANE_H * 0.68); { m.say(lane.label.clone()) });
                    el!(m, "rect", class = "al-lane-bg", x = n(LABEL_W), y = n(lane.y), width = n(d.axis.width), height = n(LANE_H),
                        fill = format!("url(#{uid}-idle)"));
                    el!(m, "g", class = "al-bars"; {
                        list!(m, {
                            for (i, b) in lane.bars.iter().enumerate() {
                                bar(&mut m, i, b, uid);
                            }
                        });
                    });
                });
            }
        });
        el!(m, "g", class = "al-queue-lane"; {
            el!(m, "text", class = "al-lane-label", x = "4", y = n(d.queue_top + LANE_H * 0.68); { m.text("Queue") });
            el!(m, "rect", class = "al-lane-bg", x = n(LABEL_W), y = n(d.queue_top), width = n(d.axis.width), height = n(LANE_H));
            el!(m, "path", class = "al-queue-area", d = d.queue_path.clone());
        });
        list!(m, {
            for row in &d.rows {
                let (student, followed) = (row.student, row.followed);
                el!(m, "g", class = if followed { "al-row al-followed" } else { "al-row" }; {
                    m.send(&props.on_change, Change::Follow((!followed).then_some(student)));
                    // The whole row answers a click, and the followed one is banded.
                    el!(m, "rect", class = "al-row-hit", x = "0", y = n(row.y), width = n(d.width), height = n(row.h));
                    match &row.label {
                        Some((name, y)) => el!(m, "text", class = "al-row-label", x = n(LABEL_W - 6.0), y = n(*y), "text-anchor" = "end"; {
                            m.say(name.clone());
                        }),
                        None => m.node(Html::default()),
                    }
                    // The bars in a group of their own, keyed, so they are matched one by one.
                    el!(m, "g", class = "al-bars"; {
                        list!(m, {
                            for (i, b) in row.bars.iter().enumerate() {
                                bar(&mut m, i, b, uid);
                            }
                        });
                    });
                    for (mark, look, at) in [("al-answered-mark", Look::Answered, row.answered), ("al-done-mark", Look::Done, row.done)] {
                        match at {
                            Some((x, y0, y1)) => el!(m, "line", class = format!("{mark} {}", look.class()), x1 = n(x), x2 = n(x),
                                y1 = n(y0), y2 = n(y1)),
                            None => m.node(Html::default()),
                        }
                    }
                });
            }
        });
        match &d.guess {
            Some((x, label)) => el!(m, "g", class = "al-guess"; {
                el!(m, "line", x1 = n(*x), x2 = n(*x), y1 = n(AXIS_H - 4.0), y2 = n(d.height));
                el!(m, "text", x = n(*x - 4.0), y = n(d.queue_top - 4.0), "text-anchor" = "end"; { m.say(label.clone()) });
            }),
            None => m.node(Html::default()),
        }
    });
    m.finish()
}
