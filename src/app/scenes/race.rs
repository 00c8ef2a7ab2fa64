//! The `race` scene: the worker lanes, each student's read, decide and write, and the shared
//! `seats_left` cell as a track with every query as an arrow out of it (read) or into it (write);
//! a lost update is called out in words once the clock passes it. Draws `view::race_drawing` and
//! `view::race` as they are.

use yew::prelude::*;

use crate::app::hooks::{use_effect_on, Deps};
use crate::app::scenes::PictureProps;
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
fn labelled(l: &Labelled, uid: &str, text_y: f64) -> Html {
    html! {
        <g>
            { bar(0, &l.bar, uid) }
            if let Some((word, solid)) = &l.word {
                <text class={if *solid { "al-race-on-solid" } else { "al-race-on-tint" }}
                    x={n(l.bar.x + l.bar.w / 2.0)} y={n(text_y)} text-anchor="middle">{ word.clone() }</text>
            }
        </g>
    }
}

/// The row labels as a column of their own that stays in view while a phone scrolls the drawing
/// sideways (the drawing's own text would scroll away with it).
fn labels(d: &RaceDrawing) -> Html {
    let at = |y: f64| format!("top:{}px", Fixed(y, 1));
    html! {
        <div class="al-race-labels" aria-hidden="true" style={format!("height:{}px", Fixed(d.height, 1))}>
            <span class="al-race-label al-race-unit" style={at(AXIS_H - 22.0)}>{ Unit::Millis.word() }</span>
            { for d.lanes.iter().map(|lane| html! {
                <span class="al-race-label" style={at(lane.y + 3.0)}>{ lane.label.clone() }</span>
            }) }
            <span class="al-race-label al-race-mono" style={at(d.cell_y + 7.0)}>{ "seats_left" }</span>
            { for d.rows.iter().map(|row| html! {
                <span class="al-race-label" style={at(row.span_y - 4.0)}>
                    { row.name.clone() }<span class="al-race-label-sub">{ row.worker.clone() }</span>
                </span>
            }) }
        </div>
    }
}

fn drawing(d: &RaceDrawing, uid: &str) -> Html {
    let lanes = d.lanes.iter().map(|lane| html! {
        <g class="al-worker-lane">
            <rect class="al-lane-bg" x={n(LABEL_W)} y={n(lane.y)} width={n(d.axis.width)} height={n(LANE_H)} />
            { for lane.spans.iter().map(|l| labelled(l, uid, lane.y + LANE_H * 0.7)) }
        </g>
    });
    let y = d.cell_y;
    let segments = d.segments.iter().map(|s| html! {
        <g class={classes!("al-race-cell", s.overwritten.then_some("al-race-overwritten"))}>
            <rect x={n(s.x)} y={n(y)} width={n(s.w)} height={n(CELL_H)} />
            if s.w > 14.0 {
                <text class="al-race-cell-value" x={n(s.x + s.w / 2.0)} y={n(y + CELL_H * 0.68)} text-anchor="middle">{ s.value }</text>
            }
            <title>{ s.title.clone() }</title>
        </g>
    });
    // The value now, in a box just after the now line, readable even when the last write has
    // only just taken effect.
    let now_box = d.now_x + 6.0;
    let rows = d.rows.iter().map(|row| html! {
        <g class="al-race-row">
            <line class="al-race-row-rule" x1={n(LABEL_W)} x2={n(d.axis.right())} y1={n(row.rule_y)} y2={n(row.rule_y)} />
            { for row.spans.iter().map(|l| labelled(l, uid, row.span_y + SPAN_H * 0.7)) }
            if let Some((x, ..)) = row.outcome {
                <line class={classes!("al-done-mark", Look::Done.class())} x1={n(x)} x2={n(x)} y1={n(row.span_y)} y2={n(row.span_y + SPAN_H)} />
            }
        </g>
    });
    // Words go over every line, each with a halo, so a line passing under one leaves it legible.
    let outcomes = d.rows.iter().filter_map(|row| {
        let (x, word, class) = row.outcome?;
        Some(html! {
            <text class={classes!("al-race-outcome", class)} x={n(x + 5.0)} y={n(row.span_y + SPAN_H * 0.7)}>{ word }</text>
        })
    });
    html! {
        <svg class="al-timeline al-race-svg" width={n(d.width)} height={n(d.height)}
            viewBox={format!("0 0 {} {}", n(d.width), n(d.height))} role="img"
            aria-label={d.label.clone()}>
            <defs>{ state_patterns(uid, false) }</defs>
            <g class="al-race-axis">
                // Every label centred on its tick, the last one too, as this drawing has them.
                { ticks(&d.ticks, AXIS_H, d.height, f64::INFINITY) }
            </g>
            { for lanes }
            <g class="al-race-track">
                <rect class="al-lane-bg" x={n(LABEL_W)} y={n(y)} width={n(d.axis.width)} height={n(CELL_H)} />
                { for segments }
                <g class="al-race-now-value">
                    <rect x={n(now_box)} y={n(y + 3.0)} width="30" height={n(CELL_H - 6.0)} rx="4" />
                    <text class="al-race-cell-value" x={n(now_box + 15.0)} y={n(y + CELL_H * 0.68)} text-anchor="middle">{ d.value_now }</text>
                </g>
            </g>
            { for rows }
            // The now line goes under the queries, so an arrow at this very moment stays legible.
            <line class="al-now" x1={n(d.now_x)} x2={n(d.now_x)} y1={n(AXIS_H - 4.0)} y2={n(d.height)} />
            { for d.arrows.iter().map(arrow) }
            { for outcomes }
            { for d.arrows.iter().map(arrow_words) }
        </svg>
    }
}

fn op_class(a: &Arrow) -> Classes {
    classes!(
        "al-race-op",
        if a.read {
            "al-race-read"
        } else {
            "al-race-write"
        },
        a.lost.then_some("al-race-lost")
    )
}

/// A query: a line between the cell and the student, and its head.
fn arrow(a: &Arrow) -> Html {
    html! {
        <g class={op_class(a)}>
            <line x1={n(a.x)} x2={n(a.x)} y1={n(a.y_cell)} y2={n(a.y_row)} />
            <path d={a.head.clone()} />
        </g>
    }
}

/// A query's label, and a lost update's badge in its band under the cell, on the arrow.
fn arrow_words(a: &Arrow) -> Html {
    html! {
        <g class={op_class(a)}>
            <text x={n(a.label_x)} y={n(a.y_row - 4.0)}>{ a.label.clone() }</text>
            if a.lost {
                <g class="al-race-badge">
                    <circle cx={n(a.x)} cy={n(a.badge_y)} r={n(BADGE_R)} />
                    <text x={n(a.x)} y={n(a.badge_y + 4.5)} text-anchor="middle">{ "!" }</text>
                    <title>{ "A lost update: this write replaced a value its request never read" }</title>
                </g>
            }
        </g>
    }
}

/// One figure of the readout: its name (`term`, with a class of its own if any) and its value,
/// raw in `data-value` and as `shown`.
#[inline(never)]
fn readout_stat(
    class: &'static str,
    term_class: Option<&'static str>,
    term: &'static str,
    key: &'static str,
    value: u32,
    shown: String,
) -> Html {
    html! {
        <div {class}>
            <dt class={term_class}>{ term }</dt>
            <dd data-stat={key} data-value={value.to_string()}>{ shown }</dd>
        </div>
    }
}

#[component]
pub fn Race(props: &PictureProps) -> Html {
    let race = props.trace.race(props.width, props.t);
    let scroll = race.as_ref().map(|r| r.drawing.scroll());
    // On a phone the drawing scrolls sideways: it opens on its start, with Student A in view,
    // and follows the present (and the lost update that happens there) once the clock moves.
    let scroll_ref = use_node_ref();
    let opened = use_mut_ref(|| false);
    {
        let now_x = scroll.map_or(0, |s| s.now_x.round() as i32);
        let scroll_ref = scroll_ref.clone();
        use_effect_on(
            Deps::key(u64::from(now_x as u32)),
            Box::new(move || {
                if let (Some(el), Some(d)) = (scroll_ref.cast::<web_sys::Element>(), scroll) {
                    let visible = el.client_width();
                    if el.scroll_width() > visible {
                        let opening = !opened.replace(true);
                        let left = d.left(f64::from(visible), opening);
                        el.set_scroll_left(left.round() as i32);
                    }
                }
                Box::new(|| ())
            }),
        );
    }
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
        return html! {
            <p class="al-note">{ "This setup runs the article's handler, which shares no seats_left: set handler=race to see the race." }</p>
        };
    };
    let s = &props.config.scenario;

    html! {
        <div class="al-race" data-scenario={cli_pairs(s)}>
            <dl class="al-race-readout" aria-label="The shared data at this moment">
                { readout_stat("al-stat", Some("al-race-mono"), "seats_left", "seats-left", now.seats_left, now.seats_left.to_string()) }
                { readout_stat("al-stat", None, "Registered", "registered", now.registered,
                    format!("{} for {} seats", now.registered, now.initial)) }
                { readout_stat("al-stat", None, "Lost updates", "lost-updates", now.lost, now.lost.to_string()) }
                { readout_stat("al-visually-hidden", None, "Seats at the start", "seats", now.initial, now.initial.to_string()) }
            </dl>
            // Focusable, so a keyboard can scroll it sideways on a phone.
            <div class="al-race-scroll" ref={scroll_ref} tabindex="0" role="group" data-al-scroll="x"
                aria-label="The race, drawn over time: scroll sideways on a narrow screen">
                <div class="al-race-stage" style={format!("width:{}px", Fixed(d.width, 1))}>
                    { labels(&d) }
                    { drawing(&d, props.uid.as_str()) }
                </div>
            </div>
            <div class="al-race-words" role="status">
                if let Some(words) = hint {
                    <p class="al-race-hint">{ words }</p>
                }
                { for calls.iter().map(|c| html! { <p class="al-race-callout">{ c.clone() }</p> }) }
                if let Some(v) = verdict {
                    <p class="al-race-verdict">{ v }</p>
                }
            </div>
            <div class="al-race-seed">
                <button class="al-btn" onclick={props.on_change.reform(|_: MouseEvent| Change::NextSeed)}>{ "Try another interleaving" }</button>
                <span class="al-note">{ seed_note(s) }</span>
            </div>
            if let Some(pieces) = fix {
                <p class="al-race-caption">
                    { for pieces.into_iter().map(|(text, code)| if code {
                        html! { <code>{ text }</code> }
                    } else {
                        html! { { text } }
                    }) }
                </p>
            }
            if let Some(p) = &panel {
                { super::race_fix::fix_panel(p, &props.on_change) }
            }
        </div>
    }
}
