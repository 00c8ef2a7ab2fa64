//! The `inside` scene: the article's "Worker 1" box (each request on one worker and what it is
//! doing, in words and in the legend's colours), beside the timeline of the same run, and the
//! moment the article's snapshot occurs, with a button and a link that go there. Draws
//! `view::inside`'s models as they are.

use yew::prelude::*;

use crate::app::scenes::PictureProps;
use crate::app::timeline::{note, timeline, TimelineProps};
use crate::view::change::Change;
use crate::view::config::Moment;
use crate::view::format;
use crate::view::inside::{BoxRow, Caption, WorkerBox, BOX_BESIDE};

pub fn inside(props: &PictureProps) -> Html {
    let trace = &props.trace;
    let (wide, timeline_w) = BOX_BESIDE.timeline_width(props.width);
    // The caption and the worker's students: once per run, kept with the run (a function, not
    // a component with a memo: each component and hook type adds its own code to the wasm).
    let (words, mine) = trace.inside();
    let worker_box = trace.worker_box(mine, props.t);

    html! {
        <div class="al-inside">
            <div class={classes!("al-inside-grid", wide.then_some("al-inside-wide"))}>
                { box_html(&worker_box) }
                // Beside the box on a wide screen, the timeline and the caption share a column.
                <div class="al-inside-side">
                    <div class="al-inside-timeline">
                        { timeline(TimelineProps::of(trace, props.t, timeline_w, props.uid.clone(),
                            "", &props.config, &props.on_change)) }
                    </div>
                    { note(trace.rows_note()) }
                    { caption_html(props, words) }
                </div>
            </div>
        </div>
    }
}

/// The box: the worker, what holds it, and a row per request.
fn box_html(b: &WorkerBox) -> Html {
    html! {
        <figure class="al-worker-box" aria-label={format!("{}: the requests it is serving", b.heading)}>
            <figcaption class="al-worker-head">
                <span class="al-worker-name">{ b.heading.clone() }</span>
                <span class="al-worker-count">{ b.in_flight.clone() }</span>
                <span class={classes!("al-worker-now", format!("al-worker-{}", b.state))} data-worker-state={b.state}>
                    { b.status.clone() }
                </span>
            </figcaption>
            <ul class="al-inflight">{ for b.rows.iter().map(row_html) }</ul>
            if let Some(summary) = &b.summary {
                <p class="al-inflight-more">{ summary.clone() }</p>
            }
        </figure>
    }
}

/// One request's row: its name, its look's swatch, the words, and how far it is.
fn row_html(row: &BoxRow) -> Html {
    let phase = row.phase;
    let bar = row.progress.map(|p| {
        html! {
            <svg class="al-bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true">
                <rect class="al-bar-track" width="100" height="6" />
                <rect class={classes!("al-bar-fill", phase.class())} width={format::fixed(p * 100.0, 2)} height="6" />
            </svg>
        }
    });
    html! {
        <li class={classes!("al-inflight-row", row.faint.then_some("al-faint"))}
            data-student={row.name.clone()} data-phase={phase.slug()}>
            <span class="al-inflight-name">{ row.name.clone() }</span>
            <span class={classes!("al-swatch", phase.class())} aria-hidden="true"></span>
            <span class="al-inflight-words">
                <span class="al-inflight-phase">{ phase.words() }</span>
                if !row.detail.is_empty() {
                    <span class="al-inflight-detail">{ row.detail }</span>
                }
            </span>
            <span class="al-inflight-time">{ row.timing.clone() }</span>
            { bar.unwrap_or_default() }
        </li>
    }
}

/// The caption under the picture, with a button and a link to the snapshot's moment, or a way
/// back to the defaults when this setup never shows it.
fn caption_html(props: &PictureProps, caption: &Caption) -> Html {
    let honest = html! {
        <p class="al-note">
            { "Where the article simplifies: only one of these requests is on the worker's CPU at a time. \
               The event loop runs one request until it awaits; the others are waiting, which is \
               exactly what lets one worker hold them all." }
        </p>
    };
    match caption {
        Caption::Never(words) => html! {
            <div class="al-snapshot">
                <p class="al-snapshot-text" data-snapshot="none">{ *words }</p>
                <button type="button" class="al-btn" onclick={props.on_change.reform(|_: MouseEvent| Change::Defaults)}>
                    { "Back to the defaults" }
                </button>
                { honest }
            </div>
        },
        Caption::At {
            t,
            lead,
            body,
            button,
        } => {
            let t = *t;
            let href = format!("?{}", props.config.to_query(Some(Moment::At(t))));
            html! {
                <div class="al-snapshot">
                    <p class="al-snapshot-text" data-snapshot-t={format::plain(t.as_secs_f64())}>
                        <strong>{ lead.clone() }</strong>{ body.clone() }
                    </p>
                    <div class="al-snapshot-actions">
                        <button type="button" class="al-btn al-snapshot-seek" onclick={props.on_seek.reform(move |_: MouseEvent| t)}>
                            { button.clone() }
                        </button>
                        <a class="al-snapshot-link" href={href}>{ "Link to this moment" }</a>
                    </div>
                    { honest }
                </div>
            }
        }
    }
}
