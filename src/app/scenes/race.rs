//! The `race` scene: the worker lanes, each student's read, decide and write, and the shared
//! `seats_left` cell as a track with every query as an arrow out of it (read) or into it (write);
//! a lost update is called out in words once the clock passes it. Draws `view::race_drawing` and
//! `view::race` as they are.

use yew::prelude::*;

use crate::app::hooks::{nothing, Deps, Effect};
use crate::app::markup::{el, list, when, Markup};
use crate::app::scenes::{Drawn, Kept, PictureProps};
use crate::app::timeline::{bar, state_patterns, ticks};
use crate::view::axis::Unit;
use crate::view::change::Change;
use crate::view::format::{self, Fixed};
use crate::view::phase::Look;
use crate::view::race::{cli_pairs, seed_note, RaceAt};
use crate::view::race_drawing::{
    Arrow, Labelled, RaceDrawing, AXIS_H, BADGE_R, CELL_H, LABEL_W, LANE_H, SPAN_H,
};

fn n(v: f64) -> String {
    format::fixed(v, 1)
}

/// A shape and the word on it.
fn labelled(m: &mut Markup, l: &Labelled, uid: &str, text_y: f64) {
    el!(m, "g"; {
        bar(m, 0, &l.bar, uid);
        match &l.word {
            Some((word, solid)) => el!(m, "text", class = if *solid { "al-race-on-solid" } else { "al-race-on-tint" },
                x = n(l.bar.x + l.bar.w / 2.0), y = n(text_y), "text-anchor" = "middle"; { m.say(word.clone()) }),
            None => m.node(Html::default()),
        }
    });
}

/// The row labels as a column of their own that stays in view while a phone scrolls the drawing
/// sideways (the drawing's own text would scroll away with it).
fn labels(m: &mut Markup, d: &RaceDrawing) {
    let at = |y: f64| format!("top:{}px", Fixed(y, 1));
    el!(m, "div", class = "al-race-labels", "aria-hidden" = "true",
        style = format!("height:{}px", Fixed(d.height, 1)); {
        el!(m, "span", class = "al-race-label al-race-unit", style = at(AXIS_H - 22.0); {
            m.text(Unit::Millis.word());
        });
        list!(m, {
            for lane in &d.lanes {
                el!(m, "span", class = "al-race-label", style = at(lane.y + 3.0); { m.say(lane.label.clone()) });
            }
        });
        el!(m, "span", class = "al-race-label al-race-mono", style = at(d.cell_y + 7.0); { m.text("seats_left") });
        list!(m, {
            for row in &d.rows {
                el!(m, "span", class = "al-race-label", style = at(row.span_y - 4.0); {
                    m.say(row.name.clone());
                    el!(m, "span", class = "al-race-label-sub"; { m.say(row.worker.clone()) });
                });
            }
        });
    });
}

fn drawing(m: &mut Markup, d: &RaceDrawing, uid: &str) {
    let y = d.cell_y;
    // The value now, in a box just after the now line, readable even when the last write has
    // only just taken effect.
    let now_box = d.now_x + 6.0;
    el!(m, "svg", class = "al-timeline al-race-svg", width = n(d.width), height = n(d.height),
        viewBox = format!("0 0 {} {}", n(d.width), n(d.height)), role = "img", "aria-label" = d.label.clone(); {
        el!(m, "defs"; { m.node(state_patterns(uid, false)) });
        el!(m, "g", class = "al-race-axis"; {
            // Every label centred on its tick, the last one too, as this drawing has them.
            ticks(m, &d.ticks, AXIS_H, d.height, f64::INFINITY);
        });
        list!(m, {
            for lane in &d.lanes {
                el!(m, "g", class = "al-worker-lane"; {
                    el!(m, "rect", class = "al-lane-bg", x = n(LABEL_W), y = n(lane.y), width = n(d.axis.width),
                        height = n(LANE_H));
                    list!(m, { for l in &lane.spans { labelled(m, l, uid, lane.y + LANE_H * 0.7) } });
                });
            }
        });
        el!(m, "g", class = "al-race-track"; {
            el!(m, "rect", class = "al-lane-bg", x = n(LABEL_W), y = n(y), width = n(d.axis.width), height = n(CELL_H));
            list!(m, {
                for s in &d.segments {
                    let class = if s.overwritten { "al-race-cell al-race-overwritten" } else { "al-race-cell" };
                    el!(m, "g", class = class; {
                        el!(m, "rect", x = n(s.x), y = n(y), width = n(s.w), height = n(CELL_H));
                        when!(m, s.w > 14.0, {
                            el!(m, "text", class = "al-race-cell-value", x = n(s.x + s.w / 2.0),
                                y = n(y + CELL_H * 0.68), "text-anchor" = "middle"; { m.say(s.value.to_string()) });
                        });
                        el!(m, "title"; { m.say(s.title.clone()) });
                    });
                }
            });
            el!(m, "g", class = "al-race-now-value"; {
                el!(m, "rect", x = n(now_box), y = n(y + 3.0), width = "30", height = n(CELL_H - 6.0), rx = "4");
                el!(m, "text", class = "al-race-cell-value", x = n(now_box + 15.0), y = n(y + CELL_H * 0.68),
                    "text-anchor" = "middle"; { m.say(d.value_now.to_string()) });
            });
        });
        list!(m, {
            for row in &d.rows {
                el!(m, "g", class = "al-race-row"; {
                    el!(m, "line", class = "al-race-row-rule", x1 = n(LABEL_W), x2 = n(d.axis.right()),
                        y1 = n(row.rule_y), y2 = n(row.rule_y));
                    list!(m, { for l in &row.spans { labelled(m, l, uid, row.span_y + SPAN_H * 0.7) } });
                    match row.outcome {
                        Some((x, ..)) => el!(m, "line", class = format!("al-done-mark {}", Look::Done.class()),
                            x1 = n(x), x2 = n(x), y1 = n(row.span_y), y2 = n(row.span_y + SPAN_H)),
                        None => m.node(Html::default()),
                    }
                });
            }
        });
        // The now line goes under the queries, so an arrow at this very moment stays legible.
        el!(m, "line", class = "al-now", x1 = n(d.now_x), x2 = n(d.now_x), y1 = n(AXIS_H - 4.0), y2 = n(d.height));
        list!(m, { for a in &d.arrows { arrow(m, a) } });
        // Words go over every line, each with a halo, so a line passing under one leaves it legible.
        list!(m, {
            for row in &d.rows {
                if let Some((x, word, class)) = row.outcome {
                    el!(m, "text", class = format!("al-race-outcome {class}"), x = n(x + 5.0),
                        y = n(row.span_y + SPAN_H * 0.7); { m.text(word) });
                }
            }
        });
        list!(m, { for a in &d.arrows { arrow_words(m, a) } });
    });
}

fn op_class(a: &Arrow) -> &'static str {
    match (a.read, a.lost) {
        (true, false) => "al-race-op al-race-read",
        (true, true) => "al-race-op al-race-read al-race-lost",
        (false, false) => "al-race-op al-race-write",
        (false, true) => "al-race-op al-race-write al-race-lost",
    }
}

/// A query: a line between the cell and the student, and its head.
fn arrow(m: &mut Markup, a: &Arrow) {
    el!(m, "g", class = op_class(a); {
        el!(m, "line", x1 = n(a.x), x2 = n(a.x), y1 = n(a.y_cell), y2 = n(a.y_row));
        el!(m, "path", d = a.head.clone());
    });
}

/// A query's label, and a lost update's badge in its band under the cell, on the arrow.
fn arrow_words(m: &mut Markup, a: &Arrow) {
    el!(m, "g", class = op_class(a); {
        el!(m, "text", x = n(a.label_x), y = n(a.y_row - 4.0); { m.say(a.label.clone()) });
        when!(m, a.lost, {
            el!(m, "g", class = "al-race-badge"; {
                el!(m, "circle", cx = n(a.x), cy = n(a.badge_y), r = n(BADGE_R));
                el!(m, "text", x = n(a.x), y = n(a.badge_y + 4.5), "text-anchor" = "middle"; { m.text("!") });
                el!(m, "title"; { m.text("A lost update: this write replaced a value its request never read") });
            });
        });
    });
}

/// One figure of the readout: its name (`term`, with a class of its own if any) and its value,
/// raw in `data-value` and as `shown`.
#[inline(never)]
fn readout_stat(
    m: &mut Markup,
    class: &'static str,
    term_class: Option<&'static str>,
    term: &'static str,
    key: &'static str,
    value: u32,
    shown: String,
) {
    el!(m, "div", class = class; {
        el!(m, "dt", class = term_class; { m.text(term) });
        el!(m, "dd", "data-stat" = key, "data-value" = value.to_string(); { m.say(shown) });
    });
}

/// The race picture, and the effect that keeps its present in view on a phone.
pub fn race(props: &PictureProps, kept: &Kept) -> Drawn {
    let race = props.trace.race(props.width, props.t);
    let scroll = race.as_ref().map(|r| r.drawing.scroll());
    // On a phone the drawing scrolls sideways: it opens on its start, with Student A in view,
    // and follows the present (and the lost update that happens there) once the clock moves.
    let now_x = scroll.map_or(0, |s| s.now_x.round() as i32);
    let (scroll_ref, held) = (kept.node.clone(), kept.held.clone());
    let effect: Effect = Box::new(move || {
        if let (Some(el), Some(d)) = (scroll_ref.cast::<web_sys::Element>(), scroll) {
            let visible = el.client_width();
            if el.scroll_width() > visible {
                let opening = !std::mem::replace(&mut held.borrow_mut().opened, true);
                let left = d.left(f64::from(visible), opening);
                el.set_scroll_left(left.round() as i32);
            }
        }
        nothing()
    });
    let effect = Some((Deps::key(u64::from(now_x as u32)), effect));
    let Some(RaceAt {
        drawing: d,
        readout: now,
        callouts: calls,
        verdict,
        hint,
        fix,
        panel,
    }) = race
    else {
        let mut m = Markup::new();
        el!(m, "p", class = "al-note"; {
            m.text(
                "This setup runs the article's handler, which shares no seats_left: set handler=race to see the race.",
            );
        });
        return (m.finish(), effect);
    };
    let s = &props.config.scenario;

    let mut m = Markup::new();
    el!(m, "div", class = "al-race", "data-scenario" = cli_pairs(s); {
        el!(m, "dl", class = "al-race-readout", "aria-label" = "The shared data at this moment"; {
            readout_stat(&mut m, "al-stat", Some("al-race-mono"), "seats_left", "seats-left", now.seats_left,
                now.seats_left.to_string());
            readout_stat(&mut m, "al-stat", None, "Registered", "registered", now.registered,
                format!("{} for {} seats", now.registered, now.initial));
            readout_stat(&mut m, "al-stat", None, "Lost updates", "lost-updates", now.lost, now.lost.to_string());
            readout_stat(&mut m, "al-visually-hidden", None, "Seats at the start", "seats", now.initial,
                now.initial.to_string());
        });
        // Focusable, so a keyboard can scroll it sideways on a phone.
        el!(m, "div", class = "al-race-scroll", tabindex = "0", role = "group", "data-al-scroll" = "x",
            "aria-label" = "The race, drawn over time: scroll sideways on a narrow screen"; {
            m.node_ref(kept.node.clone());
            el!(m, "div", class = "al-race-stage", style = format!("width:{}px", Fixed(d.width, 1)); {
                labels(&mut m, &d);
                drawing(&mut m, &d, props.uid.as_str());
            });
        });
        el!(m, "div", class = "al-race-words", role = "status"; {
            match hint {
                Some(words) => el!(m, "p", class = "al-race-hint"; { m.text(words) }),
                None => m.node(Html::default()),
            }
            list!(m, { for c in calls { el!(m, "p", class = "al-race-callout"; { m.say(c) }) } });
            match verdict {
                Some(v) => el!(m, "p", class = "al-race-verdict"; { m.say(v) }),
                None => m.node(Html::default()),
            }
        });
        el!(m, "div", class = "al-race-seed"; {
            el!(m, "button", class = "al-btn"; {
                m.send(&props.on_change, Change::NextSeed);
                m.text("Try another interleaving");
            });
            el!(m, "span", class = "al-note"; { m.say(seed_note(s)) });
        });
        match fix {
            Some(pieces) => el!(m, "p", class = "al-race-caption"; {
                list!(m, {
                    for (text, code) in pieces {
                        if code {
                            el!(m, "code"; { m.text(text) });
                        } else {
                            m.text(text);
                        }
                    }
                });
            }),
            None => m.node(Html::default()),
        }
        match &panel {
            Some(p) => super::race_fix::fix_panel(&mut m, p, &props.on_change),
            None => m.node(Html::default()),
        }
    });
    (m.finish(), effect)
}
